package sim_test

import (
	"fmt"
	"math"
	"testing"
	"time"

	"github.com/geosim/geosim/sim"
)

// Outcomes and events are read off what a run records; series record
// the same quantities month by month. Each outcome and event here is
// recomputed from a series of the same run by its definition (MODEL.md
// §7): minimum, maximum and mean over the states after each month, the
// value at a state, the months an action was taken in a window, the
// first month in a window past a level or with the action, the month a
// shock fired.
func TestTrackingMatchesSeries(t *testing.T) {
	sc := *flagship(t).Scenario()
	sc.Questions = nil
	date := func(k int) time.Time { return sc.Start.AddDate(0, k, 0) }
	sc.Series = []sim.Series{
		{Name: "rel", Kind: "relation", Actors: [2]string{"DPRK", "USA"}},
		{Name: "stance", Kind: "stance", Actors: [2]string{"USA", "DPRK"}},
		{Name: "trade", Kind: "trade", Actors: [2]string{"DPRK", "CHN"}},
		{Name: "tests", Kind: "action", Actors: [2]string{"DPRK"}, Action: "weapons_test"},
		{Name: "sanctions", Kind: "action", Actors: [2]string{"USA", "DPRK"}, Action: "sanction"},
		{Name: "summits", Kind: "joint", Actors: [2]string{"CHN", "DPRK"}, Action: "summit"},
	}
	type outRef struct {
		series int
		stat   string // min, max, mean, at (state k), count (months lo..hi)
		k      int
		lo, hi int
	}
	var outs []outRef
	sc.Outcomes = nil
	addOut := func(o sim.Outcome, r outRef) {
		o.Name = fmt.Sprintf("o%d", len(sc.Outcomes))
		sc.Outcomes = append(sc.Outcomes, o)
		outs = append(outs, r)
	}
	T := sc.Steps
	for _, st := range []string{"min", "max", "mean"} {
		addOut(sim.Outcome{Kind: "relation", Actors: [2]string{"USA", "DPRK"}, Stat: st}, outRef{series: 0, stat: st})
		addOut(sim.Outcome{Kind: "stance", Actors: [2]string{"USA", "DPRK"}, Stat: st}, outRef{series: 1, stat: st})
		addOut(sim.Outcome{Kind: "trade", Actors: [2]string{"DPRK", "CHN"}, Stat: st}, outRef{series: 2, stat: st})
	}
	for _, k := range []int{0, 7, T} {
		addOut(sim.Outcome{Kind: "relation", Actors: [2]string{"DPRK", "USA"}, Stat: "at", At: date(k)}, outRef{series: 0, stat: "at", k: k})
	}
	addOut(sim.Outcome{Kind: "trade", Actors: [2]string{"DPRK", "CHN"}}, outRef{series: 2, stat: "at", k: T})
	addOut(sim.Outcome{Kind: "count", Actor: "DPRK", Action: "weapons_test"}, outRef{series: 3, stat: "count", lo: 0, hi: T - 1})
	addOut(sim.Outcome{Kind: "count", Actor: "DPRK", Action: "weapons_test", From: date(3), By: date(9)}, outRef{series: 3, stat: "count", lo: 3, hi: 9})
	addOut(sim.Outcome{Kind: "count", Actor: "USA", Target: "DPRK", Action: "sanction", From: date(5)}, outRef{series: 4, stat: "count", lo: 5, hi: T - 1})

	type evRef struct {
		series int // -1: a shock
		shock  int
		lo, hi int
		below  *float64
		above  *float64
	}
	var evs []evRef
	sc.Events = nil
	addEv := func(e sim.Event, r evRef) {
		e.Name = fmt.Sprintf("e%d", len(sc.Events))
		sc.Events = append(sc.Events, e)
		evs = append(evs, r)
	}
	for _, w := range [][2]int{{0, T - 1}, {4, 15}, {20, T - 1}} {
		from, by := date(w[0]), date(w[1])
		addEv(sim.Event{Kind: "action", Actor: "DPRK", Action: "weapons_test", From: from, By: by}, evRef{series: 3, lo: w[0], hi: w[1]})
		addEv(sim.Event{Kind: "action", Actor: "USA", Target: "DPRK", Action: "sanction", From: from, By: by}, evRef{series: 4, lo: w[0], hi: w[1]})
		addEv(sim.Event{Kind: "joint", Actors: [2]string{"DPRK", "CHN"}, Action: "summit", From: from, By: by}, evRef{series: 5, lo: w[0], hi: w[1]})
		for s, name := range sc.Shocks {
			addEv(sim.Event{Kind: "shock", Shock: name.Name, From: from, By: by}, evRef{series: -1, shock: s, lo: w[0], hi: w[1]})
		}
		for _, level := range []float64{-6.5, -5.5, -4.5, -3.5} {
			l := level
			addEv(sim.Event{Kind: "threshold", Actors: [2]string{"USA", "DPRK"}, Below: &l, From: from, By: by}, evRef{series: 0, below: &l, lo: w[0], hi: w[1]})
			addEv(sim.Event{Kind: "threshold", Actors: [2]string{"DPRK", "USA"}, Above: &l, From: from, By: by}, evRef{series: 0, above: &l, lo: w[0], hi: w[1]})
			addEv(sim.Event{Kind: "threshold", Actors: [2]string{"USA", "DPRK"}, Directed: true, Above: &l, From: from, By: by}, evRef{series: 1, above: &l, lo: w[0], hi: w[1]})
		}
	}
	m, err := sim.Compile(&sc)
	if err != nil {
		t.Fatal(err)
	}
	w := sim.NewWorkspace(m)
	T1 := T + 1
	hits, misses := make([]int, len(evs)), make([]int, len(evs))
	for r := range uint64(300) {
		w.Run(3, r)
		row := func(s int) []float64 { return w.Out.Series[s*T1 : (s+1)*T1] }
		for k, o := range outs {
			x := row(o.series)
			var want float64
			switch o.stat {
			case "min":
				want = math.Inf(1)
				for _, v := range x[1:] {
					want = min(want, v)
				}
			case "max":
				want = math.Inf(-1)
				for _, v := range x[1:] {
					want = max(want, v)
				}
			case "mean":
				for _, v := range x[1:] {
					want += v
				}
				want /= float64(T)
			case "at":
				want = x[o.k]
			case "count":
				for t := o.lo; t <= o.hi; t++ {
					want += x[t+1]
				}
			}
			if got := w.Out.Outcomes[k]; math.Float64bits(got) != math.Float64bits(want) {
				t.Fatalf("run %d: outcome %s (%s of series %s) = %v, the series gives %v", r, sc.Outcomes[k].Name, o.stat, sc.Series[o.series].Name, got, want)
			}
		}
		for k, e := range evs {
			want := int32(-1)
			for t := e.lo; t <= e.hi && want < 0; t++ {
				switch {
				case e.series < 0:
					if int(w.Out.ShockStep[e.shock]) == t {
						want = int32(t)
					}
				case e.below != nil:
					if row(e.series)[t+1] < *e.below {
						want = int32(t)
					}
				case e.above != nil:
					if row(e.series)[t+1] > *e.above {
						want = int32(t)
					}
				default:
					if row(e.series)[t+1] == 1 {
						want = int32(t)
					}
				}
			}
			if got := w.Out.EventStep[k]; got != want {
				t.Fatalf("run %d: event %d (%s, months %d..%d) first month %d, the series gives %d", r, k, sc.Events[k].Kind, e.lo, e.hi, got, want)
			}
			if want >= 0 {
				hits[k]++
			} else {
				misses[k]++
			}
		}
	}
	// The comparison must have seen both answers for most events.
	both := 0
	for k := range evs {
		if hits[k] > 0 && misses[k] > 0 {
			both++
		}
	}
	if both < len(evs)/2 {
		t.Errorf("only %d of %d events both occurred and did not in 300 runs: the check compared little", both, len(evs))
	}
}
