package backtest

import (
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/geosim/geosim/sim"
	"github.com/geosim/geosim/sim/dist"
)

// replayKey identifies one replayed signal: an action's signal from one
// actor to another in one month. Several record rows of a month (three
// launch days in March) become one signal, as the model acts at most
// once a month per action and partner.
type replayKey struct {
	month    sim.Month
	action   string
	from, to string
}

type replaySignal struct {
	scale, cred float64
	rows        int
	first       string // file:line of the first row
}

// replay turns the record's events in the ReplayMonths before origin o
// into dated signals, following the mappings, with scales and
// credibilities read from m (the template at o). Events involving actors
// the template lacks are skipped.
func (p *preparer) replay(o sim.Month, m *sim.Model) []sim.Signal {
	from := o - sim.Month(p.spec.ReplayMonths)
	sigs := map[replayKey]*replaySignal{}
	put := func(k replayKey, scale, cred float64, where string) {
		if scale == 0 || !slices.Contains(p.actors, k.from) || !slices.Contains(p.actors, k.to) || k.from == k.to {
			return
		}
		if s, ok := sigs[k]; ok {
			s.rows++
			return
		}
		sigs[k] = &replaySignal{scale: scale, cred: cred, rows: 1, first: where}
	}
	spill := p.mean(sim.PathKey("model", sim.FieldSpillover), m)
	for _, e := range p.spec.Record.Events {
		mo := e.Month()
		mp, ok := p.mapping[e.Type]
		if mo < from || mo >= o || !ok || mp.Replay == ReplayNone {
			continue
		}
		scale := p.mean(sim.PathKey("action", mp.Action, sim.FieldScale), m)
		cred := p.mean(sim.PathKey("action", mp.Action, sim.FieldCredibility), m)
		where := fmt.Sprintf("%s:%d", e.File, e.Line)
		switch mp.Replay {
		case ReplayBroadcast:
			for _, to := range p.actors {
				w := 1.0
				if p.mean(sim.PathKey("stance", e.Actor, to), m) >= 0 {
					w = spill
				}
				put(replayKey{mo, mp.Action, e.Actor, to}, w*scale, cred, where)
			}
		case ReplayJoint:
			joint := scale + p.mean(sim.PathKey("action", mp.Action, sim.FieldJointScale), m)
			put(replayKey{mo, mp.Action, e.Actor, e.Target}, joint, cred, where)
			put(replayKey{mo, mp.Action, e.Target, e.Actor}, joint, cred, where)
		default:
			senders := mp.Senders
			if len(senders) == 0 {
				senders = []string{e.Actor}
			}
			for _, s := range senders {
				put(replayKey{mo, mp.Action, s, e.Target}, scale, cred, where)
			}
		}
	}
	keys := make([]replayKey, 0, len(sigs))
	for k := range sigs {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		a, b := keys[i], keys[j]
		if a.month != b.month {
			return a.month < b.month
		}
		if a.action != b.action {
			return a.action < b.action
		}
		if a.from != b.from {
			return a.from < b.from
		}
		return a.to < b.to
	})
	out := make([]sim.Signal, len(keys))
	for i, k := range keys {
		s := sigs[k]
		out[i] = sim.Signal{
			// Names are identifiers (runs.csv columns): the month as 2013_05.
			Name:        strings.Join([]string{"rec", k.action, k.from, k.to, strings.ReplaceAll(k.month.String(), "-", "_")}, "_"),
			Description: fmt.Sprintf("record: %s %s → %s, %s (%d rows)", k.action, k.from, k.to, k.month, s.rows),
			Date:        k.month.Time(), From: k.from, To: k.to,
			Scale: dist.Fixed{Value: s.scale}, Credibility: dist.Fixed{Value: s.cred},
			Source: "record, from " + s.first,
		}
	}
	return out
}
