package calibration

import (
	"fmt"
	"slices"

	"github.com/geosim/geosim/backtest"
	"github.com/geosim/geosim/history"
	"github.com/geosim/geosim/sim"
)

// StatInfo describes one computed statistic: a statistic of the file,
// for one block of one window.
type StatInfo struct {
	Name        string // e.g. dprk_tests/2017, or dprk_tests for a window statistic
	Statistic   string // the file's statistic
	Description string
	Kind        string
	From, To    sim.Month // months it covers, inclusive
	Weight      float64
}

// instance is a statistic to compute over months a..b.
type instance struct {
	kind      string
	ref, with int // indices into the plan's refs; with = -1 unless co-occurrence
	a, b      sim.Month
}

// source gives a history's months with each event: the record's, or a
// simulated history's.
type source interface {
	// months counts the months a..b in which event r occurs.
	months(r int, a, b sim.Month) int
	// occurs reports whether event r occurs in month m (only for events
	// tracked month by month).
	occurs(r int, m sim.Month) bool
}

// compute evaluates the instances on src into out.
func compute(ins []instance, src source, out []float64) {
	for k, in := range ins {
		switch in.kind {
		case KindMonths:
			out[k] = float64(src.months(in.ref, in.a, in.b))
		case KindCooccurrence:
			n := 0
			for m := in.a; m <= in.b; m++ {
				if src.occurs(in.ref, m) && src.occurs(in.with, m) {
					n++
				}
			}
			out[k] = float64(n)
		case KindAutocorrelation:
			out[k] = autocorrelation(func(m sim.Month) bool { return src.occurs(in.ref, m) }, in.a, in.b)
		}
	}
}

// autocorrelation is the lag-1 autocorrelation of a 0/1 series over the
// months a..b: Σ_{t<b} (x_t − x̄)(x_{t+1} − x̄) / Σ_t (x_t − x̄)², and 0
// when the series is constant.
func autocorrelation(x func(sim.Month) bool, a, b sim.Month) float64 {
	v := func(m sim.Month) float64 {
		if x(m) {
			return 1
		}
		return 0
	}
	n := float64(b - a + 1)
	mean := 0.0
	for m := a; m <= b; m++ {
		mean += v(m)
	}
	mean /= n
	num, den := 0.0, 0.0
	for m := a; m <= b; m++ {
		d := v(m) - mean
		den += d * d
		if m < b {
			num += d * (v(m+1) - mean)
		}
	}
	if den == 0 {
		return 0
	}
	return num / den
}

// blockLabel names the months a..b: a calendar year as "2017", otherwise
// "2017-01..2018-12".
func blockLabel(a, b sim.Month) string {
	if int(a)%12 == 0 && b == a+11 {
		return fmt.Sprint(a.Year())
	}
	return a.String() + ".." + b.String()
}

// instances lays the file's statistics out over the window from..to in
// blocks of the given length. Statistics restricted (From, To) to months
// outside the window yield nothing; their names are returned as skipped.
func (p *preparer) instances(from, to sim.Month, block int) (ins []instance, infos []StatInfo, skipped []string) {
	for si, st := range p.spec.Statistics {
		a, b := from, to
		if !st.From.IsZero() {
			a = max(a, sim.MonthOf(st.From))
		}
		if !st.To.IsZero() {
			b = min(b, sim.MonthOf(st.To))
		}
		if a > b {
			skipped = append(skipped, st.Name)
			continue
		}
		ref, with := p.statRefs[si][0], p.statRefs[si][1]
		weight := st.Weight
		if weight == 0 {
			weight = 1
		}
		add := func(name string, x, y sim.Month) {
			ins = append(ins, instance{kind: st.Kind, ref: ref, with: with, a: x, b: y})
			infos = append(infos, StatInfo{Name: name, Statistic: st.Name, Description: st.Description, Kind: st.Kind, From: x, To: y, Weight: weight})
		}
		if st.Kind == KindAutocorrelation || st.Per == PerWindow {
			add(st.Name, a, b)
			continue
		}
		// Blocks are aligned on the window's start, so that a statistic
		// restricted to later months shares the blocks of the others.
		for s := from; s <= to; s += sim.Month(block) {
			e := min(s+sim.Month(block)-1, to)
			x, y := max(s, a), min(e, b)
			if x > y {
				continue
			}
			add(st.Name+"/"+blockLabel(x, y), x, y)
		}
	}
	return ins, infos, skipped
}

// recordSource is the record's months with each event, as the mapping
// replays it.
type recordSource struct {
	start  sim.Month
	active [][]bool // [ref][month − start]
	prefix [][]int  // [ref][k]: active months before start+k
}

func (r *recordSource) months(ref int, a, b sim.Month) int {
	return r.prefix[ref][b-r.start+1] - r.prefix[ref][a-r.start]
}

func (r *recordSource) occurs(ref int, m sim.Month) bool { return r.active[ref][m-r.start] }

// newRecordSource marks, for each event, the months from..to in which a
// record row is replayed as it: a row whose type the mapping maps to the
// event's action, from the event's actor (a broadcast), from the actor
// or one of the mapping's fixed senders to the target (dyadic), or
// between the two actors (joint).
func newRecordSource(rec *history.Record, mappings []backtest.Mapping, refs []EventRef, joint []bool, from, to sim.Month) *recordSource {
	n := int(to-from) + 1
	src := &recordSource{start: from}
	byType := mappingsByType(mappings)
	for r, ref := range refs {
		act := make([]bool, n)
		for _, e := range rec.Events {
			m := e.Month()
			if m < from || m > to || !replayedAs(byType, e, ref, joint[r]) {
				continue
			}
			act[m-from] = true
		}
		pre := make([]int, n+1)
		for k, x := range act {
			pre[k+1] = pre[k]
			if x {
				pre[k+1]++
			}
		}
		src.active = append(src.active, act)
		src.prefix = append(src.prefix, pre)
	}
	return src
}

// mappingsByType indexes a backtest's mappings by record type.
func mappingsByType(mappings []backtest.Mapping) map[string]backtest.Mapping {
	byType := make(map[string]backtest.Mapping, len(mappings))
	for _, mp := range mappings {
		byType[mp.Type] = mp
	}
	return byType
}

// replayedAs reports whether record row e is replayed as the event ref:
// its type is mapped to ref's action and the mapping's replay rule
// matches. The statistics and the summary's record types both use it,
// so they always agree on which rows count.
func replayedAs(byType map[string]backtest.Mapping, e history.Event, ref EventRef, joint bool) bool {
	mp, ok := byType[e.Type]
	return ok && mp.Action == ref.Action && replays(mp, e, ref, joint)
}

// replays reports whether record row e, of a type mapped by mp to the
// event's action, is replayed as the event ref.
func replays(mp backtest.Mapping, e history.Event, ref EventRef, joint bool) bool {
	switch mp.Replay {
	case backtest.ReplayBroadcast:
		return e.Actor == ref.Actor && ref.Target == ""
	case backtest.ReplayJoint:
		return joint && (e.Actor == ref.Actor && e.Target == ref.Target || e.Actor == ref.Target && e.Target == ref.Actor)
	case backtest.ReplayDyadic:
		if joint || e.Target != ref.Target {
			return false
		}
		senders := mp.Senders
		if len(senders) == 0 {
			senders = []string{e.Actor}
		}
		return slices.Contains(senders, ref.Actor)
	}
	return false
}

// historySource reads a simulated history's events from its run output:
// count outcomes for the months of an event in a range, or the event's
// action series for events tracked month by month.
type historySource struct {
	out *sim.RunOutput
	lay *layout
}

func (h *historySource) months(r int, a, b sim.Month) int {
	if h.lay.series[r] >= 0 {
		n := 0
		for m := a; m <= b; m++ {
			if h.occurs(r, m) {
				n++
			}
		}
		return n
	}
	return int(h.out.Outcomes[h.lay.count[countKey{r, a, b}]])
}

// occurs reads the event's series: the state after month m, at index
// m − start + 1 (state 0 is the start).
func (h *historySource) occurs(r int, m sim.Month) bool {
	return h.out.Series[h.lay.series[r]*h.lay.states+int(m-h.lay.start)+1] > 0
}

// layout is the outcomes and series a history model records so that a
// window's statistics can be computed from one run: a count outcome per
// event and range for events counted in blocks, and an action (or joint)
// series — 1 in the months the event occurs — for joint actions (whose
// count outcomes would count proposals, not summits held) and for events
// whose months are needed one by one (autocorrelation, co-occurrence).
type layout struct {
	start    sim.Month // the history's first month
	states   int       // states per series: the history's months + 1
	outcomes []sim.Outcome
	series   []int // per ref: index of its series, or -1
	list     []sim.Series
	count    map[countKey]int
}

type countKey struct {
	ref  int
	a, b sim.Month
}

// newLayout plans what a history model from start to end must record for
// the instances.
func newLayout(refs []EventRef, joint []bool, ins []instance, start, end sim.Month) *layout {
	l := &layout{start: start, states: int(end-start) + 2, count: map[countKey]int{}, series: make([]int, len(refs))}
	need := make([]bool, len(refs))
	for _, in := range ins {
		if in.kind != KindMonths || joint[in.ref] {
			need[in.ref] = true
		}
		if in.with >= 0 {
			need[in.with] = true
		}
	}
	for r, ref := range refs {
		l.series[r] = -1
		if !need[r] {
			continue
		}
		l.series[r] = len(l.list)
		sr := sim.Series{Name: fmt.Sprintf("e%d", r), Kind: "action", Action: ref.Action, Actors: [2]string{ref.Actor, ref.Target}}
		if joint[r] {
			sr.Kind = "joint"
		}
		l.list = append(l.list, sr)
	}
	for _, in := range ins {
		k := countKey{in.ref, in.a, in.b}
		if in.kind != KindMonths || need[in.ref] {
			continue
		}
		if _, ok := l.count[k]; ok {
			continue
		}
		ref := refs[in.ref]
		l.count[k] = len(l.outcomes)
		l.outcomes = append(l.outcomes, sim.Outcome{Name: fmt.Sprintf("c%d_%d_%d", in.ref, in.a-start, in.b-start), Kind: "count",
			Actor: ref.Actor, Action: ref.Action, Target: ref.Target, From: in.a.Time(), By: in.b.Time()})
	}
	return l
}
