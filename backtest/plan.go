package backtest

import (
	"fmt"
	"math"
	"slices"
	"sort"
	"strings"

	"github.com/geosim/geosim/history"
	"github.com/geosim/geosim/sim"
	"github.com/geosim/geosim/sim/dist"
)

// Plan is a checked backtest ready to run: per origin, the compiled
// model and the questions asked there, already resolved from the record
// and forecast by the benchmarks. Only the model's probabilities remain
// to be computed (RunOrigin).
type Plan struct {
	Spec    *Spec
	Origins []*Origin
	// Dropped counts question instances not asked because their window
	// ends after the cut-off.
	Dropped int
}

// Origin is one forecast origin.
type Origin struct {
	Month     sim.Month
	Model     *sim.Model // the template at this origin, with the record replayed
	Signals   int        // dated signals replayed from the record
	Overrides []string   // names of the overrides in force, in date order
	Questions []Question
	events    [][]int // per template: the model events of its filters
}

// Question is one template asked at one origin for one horizon, with
// what happened and what the benchmarks said.
type Question struct {
	ID       string // TEMPLATE/ORIGIN/hH, e.g. kim_xi_summit/2018-01/h6
	Template int    // index in Spec.Templates
	Horizon  int    // months
	AtLeast  int    // months needed: 1 for "occurs", ⌈share·h⌉ for a count template
	From, To sim.Month
	Text     string

	Outcome     bool    // from the record
	Observed    int     // months of the window holding a selected event
	Climatology float64 // Laplace-smoothed frequency over the climatology window
	Persistence float64 // 1 if the h months before the origin would have resolved yes, else 0

	outcome int // model outcome (count templates), or -1
}

// OriginSeed is the seed of an origin's runs: run i at origin o draws
// from the streams of (OriginSeed(seed, o), i).
func OriginSeed(seed uint64, origin sim.Month) uint64 {
	return seed ^ uint64(origin)*0x9e3779b97f4a7c15
}

// Prepare checks a spec and builds its plan. Every problem is reported
// at once, as sim.Problems located by the key path of the backtest file
// ("mapping.summit.action", "question.kim_xi_summit.events").
func Prepare(spec *Spec) (*Plan, error) {
	p := &preparer{spec: spec, mapping: map[string]Mapping{}}
	p.check()
	if len(p.probs) > 0 {
		return nil, p.probs
	}
	plan := &Plan{Spec: spec}
	p.series()
	for _, o := range spec.Origins {
		org, dropped := p.origin(o)
		if len(p.probs) > 0 {
			return nil, p.probs
		}
		plan.Origins = append(plan.Origins, org)
		plan.Dropped += dropped
	}
	return plan, nil
}

type preparer struct {
	spec     *Spec
	probs    sim.Problems
	mapping  map[string]Mapping
	probe    *sim.Model // the template compiled at the first origin
	actors   []string
	overs    []Override // sorted by date
	recStart sim.Month
	cutMonth sim.Month // last month wholly inside the record
	active   [][]int   // per template: prefix sums of months holding a selected event, from recStart
	activeK  [][]bool  // per template: month holds a selected event
}

func (p *preparer) add(path, format string, args ...any) {
	p.probs = append(p.probs, &sim.Problem{Path: path, Msg: fmt.Sprintf(format, args...)})
}

func (p *preparer) maxHorizon() int {
	if len(p.spec.Horizons) == 0 {
		return 1
	}
	return slices.Max(p.spec.Horizons)
}

func (p *preparer) check() {
	s := p.spec
	if s.Template == nil {
		p.add("backtest.template", "a backtest needs a scenario template")
		return
	}
	if s.Record == nil {
		p.add("backtest.record", "a backtest needs the event record")
		return
	}
	p.recStart = sim.MonthOf(s.RecordStart)
	p.cutMonth = sim.MonthOf(s.Cutoff)
	if s.Cutoff.AddDate(0, 0, 1).Day() != 1 { // the cut-off month is partial: it cannot resolve questions
		p.cutMonth--
	}
	p.checkNumbers()
	p.checkTemplate()
	if p.probe == nil {
		return
	}
	p.checkMappings()
	p.checkOverrides()
	p.checkTemplates()
}

func (p *preparer) checkNumbers() {
	s := p.spec
	if p.cutMonth < p.recStart {
		p.add("backtest.cutoff", "the cut-off %s leaves no whole month of record after record_start %s",
			s.Cutoff.Format("2006-01-02"), s.RecordStart.Format("2006-01-02"))
	}
	if s.Runs < 1 || s.Runs > sim.MaxRuns {
		p.add("backtest.runs", "must be between 1 and %d, got %d", sim.MaxRuns, s.Runs)
	}
	if len(s.Horizons) == 0 {
		p.add("backtest.horizons", "give at least one horizon in months, like [3, 6, 12]")
	}
	for i, h := range s.Horizons {
		if h < 1 || h > MaxHorizon {
			p.add("backtest.horizons", "horizon %d months: must be between 1 and %d", h, MaxHorizon)
		}
		if i > 0 && h <= s.Horizons[i-1] {
			p.add("backtest.horizons", "list horizons in increasing order, each once")
		}
	}
	if s.ReplayMonths < 0 || s.ReplayMonths > MaxReplay {
		p.add("backtest.replay_months", "must be between 0 and %d (the engine's replay limit), got %d", MaxReplay, s.ReplayMonths)
	}
	if s.ClimatologyMonths < p.maxHorizon() {
		p.add("backtest.climatology_months", "must be at least the longest horizon (%d months), got %d", p.maxHorizon(), s.ClimatologyMonths)
	}
	if len(s.Origins) == 0 {
		p.add("backtest.first_origin", "a backtest needs at least one origin")
	}
	for i, o := range s.Origins {
		if i > 0 && o <= s.Origins[i-1] {
			p.add("backtest.first_origin", "origins must increase: %s after %s", o, s.Origins[i-1])
		}
	}
	if n := len(s.Origins); n > 0 && len(s.Horizons) > 0 {
		if last, end := s.Origins[n-1], s.Origins[n-1]+sim.Month(s.Horizons[0])-1; end > p.cutMonth {
			p.add("backtest.last_origin", "%s is too late: its shortest horizon (%d months) ends in %s, after the cut-off %s",
				last, s.Horizons[0], end, s.Cutoff.Format("2006-01-02"))
		}
	}
	if len(s.Templates) == 0 {
		p.add("question", "a backtest needs at least one [question.NAME] template")
	}
	if len(s.Origins) > 0 {
		first := s.Origins[0]
		if need := first - sim.Month(max(s.ReplayMonths, p.maxHorizon())); need < p.recStart {
			p.add("backtest.first_origin", "%s is too early: replaying %d months and persistence over %d months reach back to %s, before the record starts (%s)",
				first, s.ReplayMonths, p.maxHorizon(), need, p.recStart)
		}
	}
	if s.Bootstrap < 0 {
		p.add("backtest.bootstrap", "must be >= 0, got %d", s.Bootstrap)
	}
	if s.LogClip < 0 || s.LogClip >= 0.5 {
		p.add("backtest.log_clip", "must be in [0, 0.5), got %g", s.LogClip)
	}
}

// atOrigin returns a copy of the template set up for origin o with the
// given events, outcomes and signals.
func (p *preparer) atOrigin(o sim.Month, events []sim.Event, outcomes []sim.Outcome, signals []sim.Signal) *sim.Scenario {
	sc := *p.spec.Template
	sc.Name = fmt.Sprintf("%s-%s", nameOr(p.spec.Name, "backtest"), o)
	sc.Start, sc.Steps = o.Time(), p.maxHorizon()
	sc.Signals, sc.Events, sc.Outcomes = signals, events, outcomes
	sc.Series, sc.Questions = nil, nil
	return &sc
}

func nameOr(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

func (p *preparer) checkTemplate() {
	s := p.spec
	if len(s.Template.Signals) > 0 {
		p.add("backtest.template", "the template has %d dated signals (the first: %s); a backtest template has none: the record supplies them",
			len(s.Template.Signals), s.Template.Signals[0].Name)
		return
	}
	if len(s.Origins) == 0 {
		return
	}
	probe := p.atOrigin(s.Origins[0], nil, nil, nil)
	if len(s.Template.Actors) >= 2 { // something to measure, so that the probe compiles
		probe.Series = []sim.Series{{Name: "probe", Actors: [2]string{s.Template.Actors[0].ID, s.Template.Actors[1].ID}}}
	}
	m, err := p.compile(probe, nil)
	if err != nil {
		p.add("backtest.template", "the template does not compile as a backtest scenario: %v", err)
		return
	}
	p.probe = m
	p.actors = m.Actors()
}

// actionExists reports whether the template has action id, and whether
// it is a broadcast action (a new action of the template's, or the
// built-in one's flag: a scenario cannot change it).
func (p *preparer) actionExists(id string) (broadcast, ok bool) {
	if !slices.Contains(p.probe.Actions(), id) {
		return false, false
	}
	for _, a := range p.spec.Template.Actions {
		if a.ID == id {
			return a.Broadcast, true
		}
	}
	for _, a := range sim.Catalogue() {
		if a.ID == id {
			return a.Broadcast, true
		}
	}
	return false, true
}

func (p *preparer) checkMappings() {
	replays := []string{ReplayBroadcast, ReplayDyadic, ReplayJoint, ReplayNone}
	for _, mp := range p.spec.Mappings {
		path := sim.PathKey("mapping", mp.Type)
		if !history.KnownType(mp.Type) {
			p.add(path, "unknown record type %q (the record's types: %s)", mp.Type, strings.Join(history.Types(), ", "))
			continue
		}
		if !slices.Contains(replays, mp.Replay) {
			p.add(path+".replay", "unknown replay %q (use broadcast, dyadic, joint or none)", mp.Replay)
			continue
		}
		p.mapping[mp.Type] = mp
		if mp.Replay == ReplayNone {
			if mp.Action != "" {
				p.add(path+".action", "a record-only type (replay = \"none\") has no action")
			}
			continue
		}
		broadcast, ok := p.actionExists(mp.Action)
		switch {
		case mp.Action == "":
			p.add(path+".action", "name the model action a %s corresponds to", mp.Type)
		case !ok:
			p.add(path+".action", "unknown action %q (the template's actions: %s)", mp.Action, strings.Join(p.probe.Actions(), ", "))
		case broadcast != (mp.Replay == ReplayBroadcast):
			if broadcast {
				p.add(path+".replay", "%s is a broadcast action: replay it as \"broadcast\"", mp.Action)
			} else {
				p.add(path+".replay", "%s is aimed at a partner: replay it as \"dyadic\" or \"joint\"", mp.Action)
			}
		case mp.Replay == ReplayJoint && p.mean(sim.PathKey("action", mp.Action, sim.FieldJointScale), p.probe) == 0:
			p.add(path+".replay", "%s has no joint scale, so it is never held jointly", mp.Action)
		}
		if len(mp.Senders) > 0 {
			if mp.Replay != ReplayDyadic {
				p.add(path+".senders", "senders apply only to dyadic replays")
			}
			for _, a := range mp.Senders {
				if !slices.Contains(history.Actors, a) {
					p.add(path+".senders", "unknown actor %q", a)
				}
			}
		}
		if mp.Replay != ReplayBroadcast && !history.HasTarget(mp.Type) {
			p.add(path+".replay", "a %s has no target, so it can only be replayed as a broadcast", mp.Type)
		}
	}
	types := map[string]bool{}
	for _, e := range p.spec.Record.Events {
		types[e.Type] = true
	}
	for _, t := range sortedSet(types) {
		if _, ok := p.mapping[t]; !ok {
			p.add("mapping", "the record holds %s events: declare [mapping.%s] (replay = \"none\" for a record-only type)", t, t)
		}
	}
}

func sortedSet(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// mean is the mean of a parameter of m (0 if m has no such path).
func (p *preparer) mean(path string, m *sim.Model) float64 {
	i, ok := m.ParamIndex(path)
	if !ok {
		return 0
	}
	return m.Params()[i].Dist.Mean()
}

func (p *preparer) checkOverrides() {
	p.overs = append([]Override(nil), p.spec.Overrides...)
	sort.SliceStable(p.overs, func(i, j int) bool { return p.overs[i].Date.Before(p.overs[j].Date) })
	for _, ov := range p.spec.Overrides {
		path := sim.PathKey("override", ov.Name)
		if ov.Date.IsZero() {
			p.add(path+".date", "an override needs the date from which it is known")
		}
		if strings.TrimSpace(ov.Source) == "" {
			p.add(path+".source", "an override needs a source: a publication, or \"assumption: …\"")
		}
		if len(ov.Set) == 0 {
			p.add(path+".set", "an override needs at least one parameter to set")
		}
		if _, err := p.probe.With(ov.Set); err != nil {
			for _, pr := range sim.AsProblems(err) {
				p.add(path+".set."+sim.PathKey(pr.Path), "%s", pr.Msg)
			}
		}
	}
}

func (p *preparer) checkTemplates() {
	seen := map[string]bool{}
	for _, t := range p.spec.Templates {
		path := sim.PathKey("question", t.ID)
		if seen[t.ID] {
			p.add(path, "question %s is declared twice", t.ID)
		}
		seen[t.ID] = true
		if strings.TrimSpace(t.Text) == "" {
			p.add(path+".text", "a question needs its text, as an analyst would write it (with {from}, {to}, {h}, {k})")
		}
		if t.AtLeastShare < 0 || t.AtLeastShare > 1 {
			p.add(path+".at_least_share", "must be in (0, 1], got %g", t.AtLeastShare)
		}
		if len(t.Events) == 0 {
			p.add(path+".events", "a question needs the record events it asks about, like [{ type = \"summit\", actor = \"DPRK\", target = \"CHN\" }]")
		}
		if t.AtLeastShare > 0 && len(t.Events) != 1 {
			p.add(path+".events", "a counting question (at_least_share) asks about one kind of event")
		}
		for i, f := range t.Events {
			epath := fmt.Sprintf("%s.events", path)
			where := fmt.Sprintf("event %d (%s)", i+1, f.Type)
			mp, ok := p.mapping[f.Type]
			switch {
			case !history.KnownType(f.Type):
				p.add(epath, "%s: unknown record type %q (use one of %s)", where, f.Type, strings.Join(history.Types(), ", "))
				continue
			case !ok:
				p.add(epath, "%s: %s has no [mapping.%s]", where, f.Type, f.Type)
				continue
			case mp.Replay == ReplayNone:
				p.add(epath, "%s: %s is record-only (replay = \"none\"): the model has no event to forecast it with", where, f.Type)
				continue
			case len(mp.Senders) > 0:
				p.add(epath, "%s: %s is replayed from fixed senders, so no single model event corresponds to it", where, f.Type)
				continue
			}
			if !slices.Contains(p.actors, f.Actor) {
				p.add(epath, "%s: actor %q is not an actor of the template (%s)", where, f.Actor, strings.Join(p.actors, ", "))
			}
			switch mp.Replay {
			case ReplayBroadcast:
				if f.Target != "" {
					p.add(epath, "%s: %s is a broadcast action: give no target", where, mp.Action)
				}
			default:
				if !slices.Contains(p.actors, f.Target) {
					p.add(epath, "%s: target %q is not an actor of the template (%s)", where, f.Target, strings.Join(p.actors, ", "))
				}
				if mp.Replay == ReplayJoint && t.AtLeastShare > 0 {
					p.add(epath, "%s: months of a joint action cannot be counted; ask whether it occurs", where)
				}
			}
		}
	}
}

// series precomputes, per template, which record months hold a selected
// event, from the record's start to the cut-off.
func (p *preparer) series() {
	n := int(p.cutMonth-p.recStart) + 1
	for _, t := range p.spec.Templates {
		counts := p.spec.Record.Monthly(p.recStart, p.cutMonth, t.Events...)
		act := make([]bool, n)
		pre := make([]int, n+1)
		for i, c := range counts {
			act[i] = c > 0
			pre[i+1] = pre[i]
			if act[i] {
				pre[i+1]++
			}
		}
		p.activeK = append(p.activeK, act)
		p.active = append(p.active, pre)
	}
}

// activeMonths counts months from..to holding an event of template t.
func (p *preparer) activeMonths(t int, from, to sim.Month) int {
	lo, hi := int(from-p.recStart), int(to-p.recStart)+1
	return p.active[t][hi] - p.active[t][lo]
}

// origin builds origin o: its questions with outcomes and benchmarks,
// and its model.
func (p *preparer) origin(o sim.Month) (*Origin, int) {
	s := p.spec
	org := &Origin{Month: o}
	var events []sim.Event
	var outcomes []sim.Outcome
	for ti, t := range s.Templates {
		var idx []int
		for fi, f := range t.Events {
			mp := p.mapping[f.Type]
			ev := sim.Event{Name: fmt.Sprintf("q%d_e%d", ti, fi), Action: mp.Action}
			switch mp.Replay {
			case ReplayJoint:
				ev.Kind, ev.Actors = "joint", [2]string{f.Actor, f.Target}
			default:
				ev.Kind, ev.Actor, ev.Target = "action", f.Actor, f.Target
			}
			idx = append(idx, len(events))
			events = append(events, ev)
		}
		org.events = append(org.events, idx)
	}
	dropped := 0
	for ti, t := range s.Templates {
		for _, h := range s.Horizons {
			to := o + sim.Month(h) - 1
			if to > p.cutMonth {
				dropped++
				continue
			}
			q := Question{Template: ti, Horizon: h, AtLeast: 1, From: o, To: to, outcome: -1,
				ID: fmt.Sprintf("%s/%s/h%d", t.ID, o, h)}
			if t.AtLeastShare > 0 {
				q.AtLeast = max(1, int(math.Ceil(t.AtLeastShare*float64(h)-1e-9)))
				f := t.Events[0]
				mp := p.mapping[f.Type]
				q.outcome = len(outcomes)
				outcomes = append(outcomes, sim.Outcome{Name: fmt.Sprintf("q%d_h%d", ti, h), Kind: "count",
					Actor: f.Actor, Action: mp.Action, Target: f.Target, From: o.Time(), By: to.Time()})
			}
			q.Text = questionText(t.Text, q)
			q.Observed = p.activeMonths(ti, o, to)
			q.Outcome = q.Observed >= q.AtLeast
			q.Climatology = p.climatology(ti, o, h, q.AtLeast)
			if p.activeMonths(ti, o-sim.Month(h), o-1) >= q.AtLeast {
				q.Persistence = 1
			}
			org.Questions = append(org.Questions, q)
		}
	}
	over := map[string]dist.Dist{}
	for _, ov := range p.overs {
		if ov.Date.Before(o.Time()) {
			for k, v := range ov.Set {
				over[k] = v
			}
			org.Overrides = append(org.Overrides, ov.Name)
		}
	}
	base, err := p.compile(p.atOrigin(o, events, outcomes, nil), over)
	if err != nil {
		p.add("backtest.template", "origin %s: %v", o, err)
		return nil, 0
	}
	signals := p.replay(o, base)
	org.Signals = len(signals)
	if org.Model, err = p.compile(p.atOrigin(o, events, outcomes, signals), over); err != nil {
		p.add("backtest.template", "origin %s: replaying the record: %v", o, err)
		return nil, 0
	}
	return org, dropped
}

func (p *preparer) compile(sc *sim.Scenario, over map[string]dist.Dist) (*sim.Model, error) {
	m, err := sim.Compile(sc)
	if err != nil {
		return nil, err
	}
	all := map[string]dist.Dist{}
	for k, v := range p.spec.TemplateOverrides {
		all[k] = v
	}
	for k, v := range over { // dated context wins over a variant template's values
		all[k] = v
	}
	if len(all) == 0 {
		return m, nil
	}
	return m.With(all)
}

// climatology is the Laplace-smoothed share of h-month windows, among
// those wholly inside the ClimatologyMonths before origin o (and after
// the record's start), that held at least k months with an event of
// template t: (yes + 1)/(windows + 2), 1/2 when no window fits.
func (p *preparer) climatology(t int, o sim.Month, h, k int) float64 {
	lo := max(p.recStart, o-sim.Month(p.spec.ClimatologyMonths))
	yes, n := 0, 0
	for start := lo; start+sim.Month(h)-1 <= o-1; start++ {
		n++
		if p.activeMonths(t, start, start+sim.Month(h)-1) >= k {
			yes++
		}
	}
	return float64(yes+1) / float64(n+2)
}

// questionText fills a template's placeholders.
func questionText(text string, q Question) string {
	return strings.NewReplacer("{from}", monthName(q.From), "{to}", monthName(q.To),
		"{h}", fmt.Sprint(q.Horizon), "{k}", fmt.Sprint(q.AtLeast)).Replace(text)
}

func monthName(m sim.Month) string { return m.Time().Format("January 2006") }
