package sim

import (
	"fmt"
	"github.com/geosim/geosim/internal/suggest"
	"time"
)

// OutcomeInfo describes a scalar outcome for reports.
type OutcomeInfo struct {
	Name        string
	Description string
	Kind        string    // relation, stance, trade or count
	Actors      [2]string // the dyad of a relation or stance; the actor (and target) of a count
	Unit        string
	Min, Max    float64 // range every value lies in
	Integer     bool    // values are whole numbers (counts)
}

// EventInfo describes an event for reports.
type EventInfo struct {
	Name        string
	Description string
	From, By    Month // months counted, inclusive
}

// SeriesInfo describes a time series for reports.
type SeriesInfo struct {
	Name        string
	Description string
	Unit        string
	Actors      [2]string
}

const (
	goldsteinUnit = "Goldstein scale, -10 to +10"
	tradeUnit     = "share of normal total trade"
)

type outcome struct {
	info          OutcomeInfo
	kind          byte // 'r' relation, 's' stance, 'd' trade, 'c' count
	a, b          int
	stat          byte // 'e' end, 'a' at, 'n' min, 'x' max, 'm' mean
	atK           int  // state index for stat 'a'
	actor, action int
	target        int // -1: any target
	from, by      int // steps counted, inclusive
}

type event struct {
	info     EventInfo
	kind     byte // 'j' joint, 'a' action, 't' threshold, 's' shock
	a, b     int
	action   int
	target   int // -1: any
	directed bool
	level    float64
	below    bool
	shock    int
	from, by int
}

type series struct {
	info SeriesInfo
	kind byte // 'r' relation, 's' stance, 'd' trade
	a, b int
}

// window resolves an optional From..By date range to inclusive steps.
func (c *compiler) window(path string, from, by time.Time) (int, int, bool) {
	lo, hi := 0, c.m.steps-1
	ok := true
	if !from.IsZero() {
		lo = int(MonthOf(from) - c.m.start)
		if c.horizon && (lo < 0 || lo >= c.m.steps) {
			c.probs.add(path+".from", "%s is outside the horizon %s to %s", from.Format(time.DateOnly), c.m.start.Date(), c.endDate())
			ok = false
		}
	}
	if !by.IsZero() {
		hi = int(MonthOf(by) - c.m.start)
		if c.horizon && (hi < 0 || hi >= c.m.steps) {
			c.probs.add(path+".by", "%s is outside the horizon %s to %s", by.Format(time.DateOnly), c.m.start.Date(), c.endDate())
			ok = false
		}
	}
	if ok && hi < lo && (c.horizon || !from.IsZero() && !by.IsZero()) {
		c.probs.add(path+".by", "%s is before from (%s)", by.Format(time.DateOnly), from.Format(time.DateOnly))
		ok = false
	}
	return lo, hi, ok
}

func (c *compiler) outcomes() {
	m := c.m
	seen := map[string]string{}
	for _, o := range c.sc.Outcomes {
		path := PathKey("outcome", o.Name)
		if !c.uniqueName(path, o.Name, seen) {
			continue
		}
		out := outcome{info: OutcomeInfo{Name: o.Name, Description: o.Description, Kind: o.Kind}, target: -1}
		ok := true
		switch o.Kind {
		case "relation", "stance", "trade":
			out.kind = map[string]byte{"relation": 'r', "stance": 's', "trade": 'd'}[o.Kind]
			out.info.Actors = o.Actors
			out.a, out.b, ok = c.pair(path+".actors", o.Actors)
			out.info.Unit, out.info.Min, out.info.Max = goldsteinUnit, -goldsteinMax, goldsteinMax
			if out.kind == 'd' {
				out.info.Unit, out.info.Min, out.info.Max = tradeUnit, 0, maxTradeFactor
			}
			stats := map[string]byte{"": 'e', "end": 'e', "at": 'a', "min": 'n', "max": 'x', "mean": 'm'}
			st, known := stats[o.Stat]
			if !known {
				c.probs.add(path+".stat", "unknown stat %q (use end, at, min, max or mean)", o.Stat)
				ok = false
			}
			out.stat = st
			if st == 'a' {
				if o.At.IsZero() {
					c.probs.add(path+".stat", "stat = \"at\" needs a date (at = YYYY-MM-DD)")
					ok = false
				} else if out.atK = int(MonthOf(o.At) - m.start); c.horizon && (out.atK < 0 || out.atK > m.steps) {
					c.probs.add(path+".at", "%s is outside the horizon %s to %s", o.At.Format(time.DateOnly), m.start.Date(), c.endDate())
					ok = false
				}
			} else if !o.At.IsZero() {
				c.probs.add(path+".at", "a date is only used with stat = \"at\"")
				ok = false
			}
			if ok && out.info.Description == "" {
				out.info.Description = fmt.Sprintf("%s %s–%s (%s)", o.Kind, o.Actors[0], o.Actors[1], statWord(st, o.At))
			}
		case "count":
			out.kind = 'c'
			out.info.Actors = [2]string{o.Actor, o.Target}
			out.actor = c.actor(path+".actor", o.Actor)
			out.action = c.action(path+".action", o.Action)
			if o.Target != "" {
				out.target = c.actor(path+".target", o.Target)
			}
			var wok bool
			out.from, out.by, wok = c.window(path, o.From, o.By)
			ok = wok && out.actor >= 0 && out.action >= 0 && (o.Target == "" || out.target >= 0)
			if ok && m.broadcast[out.action] && out.target >= 0 {
				c.probs.add(path+".target", "%s is a broadcast action: it has no target", o.Action)
				ok = false
			}
			if ok && out.target == out.actor {
				c.probs.add(path+".target", "an actor does not act toward itself")
				ok = false
			}
			months := float64(out.by - out.from + 1)
			out.info.Unit, out.info.Integer = "actions", true
			out.info.Max = months
			if !m.broadcast[out.action] && out.target < 0 {
				out.info.Max = months * float64(m.n-1)
			}
			if ok && out.info.Description == "" {
				out.info.Description = fmt.Sprintf("%s %s actions", o.Actor, o.Action)
			}
		default:
			c.probs.add(path+".kind", "unknown outcome kind %q (use relation, stance, trade or count)", o.Kind)
			ok = false
		}
		if ok {
			m.outcomes = append(m.outcomes, out)
		}
	}
}

func statWord(st byte, at time.Time) string {
	switch st {
	case 'a':
		return "on " + at.Format(time.DateOnly)
	case 'n':
		return "minimum"
	case 'x':
		return "maximum"
	case 'm':
		return "mean over the horizon"
	}
	return "at the end"
}

func (c *compiler) events() {
	m := c.m
	seen := map[string]string{}
	for _, o := range c.sc.Outcomes {
		if _, dup := seen[nameKey(o.Name)]; !dup {
			seen[nameKey(o.Name)] = PathKey("outcome", o.Name)
		}
	}
	for _, e := range c.sc.Events {
		path := PathKey("event", e.Name)
		if !c.uniqueName(path, e.Name, seen) {
			continue
		}
		ev := event{info: EventInfo{Name: e.Name, Description: e.Description}, target: -1, shock: -1}
		from, by, ok := c.window(path, e.From, e.By)
		ev.from, ev.by = from, by
		ev.info.From, ev.info.By = m.start+Month(from), m.start+Month(by)
		switch e.Kind {
		case "joint":
			ev.kind = 'j'
			var pok bool
			ev.a, ev.b, pok = c.pair(path+".actors", e.Actors)
			ev.action = c.action(path+".action", e.Action)
			ok = ok && pok && ev.action >= 0
			if ok && m.broadcast[ev.action] {
				c.probs.add(path+".action", "%s is a broadcast action; a joint event needs an action aimed at a partner", e.Action)
				ok = false
			}
		case "action":
			ev.kind = 'a'
			ev.a = c.actor(path+".actor", e.Actor)
			ev.action = c.action(path+".action", e.Action)
			if e.Target != "" {
				ev.target = c.actor(path+".target", e.Target)
			}
			ok = ok && ev.a >= 0 && ev.action >= 0 && (e.Target == "" || ev.target >= 0)
			if ok && m.broadcast[ev.action] && ev.target >= 0 {
				c.probs.add(path+".target", "%s is a broadcast action: it has no target", e.Action)
				ok = false
			}
		case "threshold":
			ev.kind = 't'
			var pok bool
			ev.a, ev.b, pok = c.pair(path+".actors", e.Actors)
			ev.directed = e.Directed
			ok = ok && pok
			switch {
			case (e.Below == nil) == (e.Above == nil):
				c.probs.add(path, "give exactly one of below and above")
				ok = false
			case e.Below != nil:
				ev.level, ev.below = *e.Below, true
			default:
				ev.level = *e.Above
			}
			if ok && (ev.level < -goldsteinMax || ev.level > goldsteinMax) {
				c.probs.add(path, "the threshold %g is outside the Goldstein scale [-10, 10]", ev.level)
				ok = false
			}
		case "shock":
			ev.kind = 's'
			names := make([]string, len(c.sc.Shocks))
			for i, s := range c.sc.Shocks {
				names[i] = s.Name
				if s.Name == e.Shock {
					ev.shock = i
				}
			}
			if ev.shock < 0 {
				c.probs.add(path+".shock", "unknown shock %q%s", e.Shock, suggest.Hint(e.Shock, names))
				ok = false
			}
		default:
			c.probs.add(path+".kind", "unknown event kind %q (use joint, action, threshold or shock)", e.Kind)
			ok = false
		}
		if ok && ev.info.Description == "" {
			ev.info.Description = e.Name
		}
		if ok {
			m.events = append(m.events, ev)
		}
	}
}

func (c *compiler) seriesList() {
	seen := map[string]string{}
	for _, s := range c.sc.Series {
		path := PathKey("series", s.Name)
		if !c.uniqueName(path, s.Name, seen) {
			continue
		}
		sr := series{info: SeriesInfo{Name: s.Name, Description: s.Description, Unit: goldsteinUnit, Actors: s.Actors}}
		switch s.Kind {
		case "", "relation":
			sr.kind = 'r'
		case "stance":
			sr.kind = 's'
		case "trade":
			sr.kind = 'd'
			sr.info.Unit = tradeUnit
		default:
			c.probs.add(path+".kind", "unknown series kind %q (use relation, stance or trade)", s.Kind)
			continue
		}
		var ok bool
		sr.a, sr.b, ok = c.pair(path+".actors", s.Actors)
		if !ok {
			continue
		}
		if sr.info.Description == "" {
			sr.info.Description = s.Actors[0] + "–" + s.Actors[1] + " relation"
			if sr.kind == 'd' {
				sr.info.Description = s.Actors[0] + " trade with " + s.Actors[1]
			}
		}
		c.m.series = append(c.m.series, sr)
	}
}

// QuestionInfo describes a forecasting question of a compiled model.
type QuestionInfo struct {
	ID        string
	Text      string
	Event     string
	ResolveBy string // the date as written, YYYY-MM-DD
	AsOf      string // the scenario's start date
}

type question struct {
	info  QuestionInfo
	event int
	step  int // last step counted: the month of ResolveBy
}

func (c *compiler) questions() {
	m := c.m
	seen := map[string]string{}
	for _, q := range c.sc.Questions {
		path := PathKey("question", q.ID)
		if !c.uniqueName(path, q.ID, seen) {
			continue
		}
		qu := question{info: QuestionInfo{ID: q.ID, Text: q.Text, Event: q.Event, AsOf: c.sc.Start.Format(time.DateOnly)}, event: -1}
		if q.Text == "" {
			c.probs.add(path+".text", "a question needs its text, as an analyst would write it")
		}
		names := make([]string, len(m.events))
		for i, e := range m.events {
			names[i] = e.info.Name
			if e.info.Name == q.Event {
				qu.event = i
			}
		}
		if qu.event < 0 {
			declared := false
			for _, e := range c.sc.Events {
				declared = declared || e.Name == q.Event
			}
			if !declared { // a declared but invalid event has its own error already
				c.probs.add(path+".event", "unknown event %q%s", q.Event, suggest.Hint(q.Event, names))
			}
			continue
		}
		if q.ResolveBy.IsZero() {
			c.probs.add(path+".resolve_by", "a question needs a resolve_by date")
			continue
		}
		qu.info.ResolveBy = q.ResolveBy.Format(time.DateOnly)
		qu.step = int(MonthOf(q.ResolveBy) - m.start)
		e := m.events[qu.event]
		if c.horizon && (qu.step < e.from || qu.step > e.by) {
			c.probs.add(path+".resolve_by", "%s is outside the window of event %s (%s to %s)", qu.info.ResolveBy, q.Event, e.info.From, e.info.By)
			continue
		}
		m.questions = append(m.questions, qu)
	}
}

// Questions describes the forecasting questions, in output order.
func (m *Model) Questions() []QuestionInfo {
	out := make([]QuestionInfo, len(m.questions))
	for i, q := range m.questions {
		out[i] = q.info
	}
	return out
}

// QuestionEvent returns the event index and the last step a question
// counts.
func (m *Model) QuestionEvent(i int) (event, step int) {
	return m.questions[i].event, m.questions[i].step
}
