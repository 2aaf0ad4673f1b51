package sim_test

import (
	"context"
	"reflect"
	"testing"

	"github.com/geosim/geosim/sim"
	"github.com/geosim/geosim/sim/stats"
)

// addViews counts a run into a Result's conditional views the plain way,
// histogram by histogram: the reference for Result.Add's flat counting.
func addViews(m *sim.Model, r *sim.Result, out *sim.RunOutput) {
	for i := range r.Conditional {
		sp := &r.Conditional[i]
		c := sim.NotFired
		switch step := out.ShockStep[i]; {
		case step >= 0 && int(step) < m.EarlyMonths():
			c = sim.FiredEarly
		case step >= 0:
			c = sim.FiredLate
		}
		sp.Runs[c]++
		for s, pts := range sp.Series[c] {
			for k, h := range pts {
				h.Add(out.Series[s*len(pts)+k])
			}
		}
		for o, h := range sp.Outcomes[c] {
			h.Add(out.Outcomes[o])
		}
	}
}

// Result.Add counts the conditional views as histogram-by-histogram
// additions do, also in a Result whose splits do not share their bins
// (the fallback).
func TestConditionalCountsAsViews(t *testing.T) {
	m := flagship(t)
	fresh := sim.NewResult(m)
	odd := sim.NewResult(m)
	odd.Conditional[1].Series[sim.NotFired][0][3], _ = stats.NewHistogram(-10, 10, 70)
	want, wantOdd := sim.NewResult(m), sim.NewResult(m)
	wantOdd.Conditional[1].Series[sim.NotFired][0][3], _ = stats.NewHistogram(-10, 10, 70)
	ws := sim.NewWorkspace(m)
	for run := uint64(0); run < 600; run++ {
		ws.Run(3, run)
		for _, r := range []*sim.Result{fresh, odd} {
			r.Add(&ws.Out)
		}
		addViews(m, want, &ws.Out)
		addViews(m, wantOdd, &ws.Out)
	}
	for _, c := range []struct {
		name      string
		got, want *sim.Result
	}{{"new", fresh, want}, {"different bins", odd, wantOdd}} {
		if len(c.got.Conditional) == 0 {
			t.Fatal("the flagship has no conditional views")
		}
		for i := range c.want.Conditional {
			g, w := &c.got.Conditional[i], &c.want.Conditional[i]
			if g.Runs != w.Runs || !reflect.DeepEqual(g.Series, w.Series) || !reflect.DeepEqual(g.Outcomes, w.Outcomes) {
				t.Errorf("%s: shock %d: conditional views differ from histogram-by-histogram additions", c.name, i)
			}
		}
	}
}

// The runner counts the conditional views into 16-bit counters, added to
// the histograms every condFlushRuns runs and at the end
// (deferConditional): its views must equal histogram-by-histogram
// additions of the same runs, with the flush at its usual 65535 runs
// (only at the end here) and every 97 runs.
func TestRunnerConditionalCountsAsViews(t *testing.T) {
	m := flagship(t)
	// An action series among the split ones: its views' bins (Goldstein
	// range) are not its own histograms' ([0, 1]), so NotFired comes from
	// the block of all runs, not from the unconditional histograms.
	sc := *m.Scenario()
	sc.Series = append([]sim.Series{{Name: "tests", Kind: "action", Actors: [2]string{"DPRK"}, Action: "weapons_test"}}, sc.Series...)
	withAction, err := sim.Compile(&sc)
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range []*sim.Model{m, withAction} {
		runnerCountsAsViews(t, m)
	}
}

func runnerCountsAsViews(t *testing.T, m *sim.Model) {
	const runs = 1500
	want := sim.NewResult(m)
	ws := sim.NewWorkspace(m)
	for run := uint64(0); run < runs; run++ {
		ws.Run(5, run)
		addViews(m, want, &ws.Out)
	}
	for _, every := range []int64{0, 97} {
		if every > 0 {
			defer sim.SetConditionalFlushRuns(every)()
		}
		got, err := sim.Run(context.Background(), m, sim.Config{Runs: runs, Seed: 5, Workers: 1})
		if err != nil {
			t.Fatal(err)
		}
		for i := range want.Conditional {
			g, w := &got.Conditional[i], &want.Conditional[i]
			if g.Runs != w.Runs || !reflect.DeepEqual(g.Series, w.Series) || !reflect.DeepEqual(g.Outcomes, w.Outcomes) {
				t.Errorf("%d series, flush every %d runs: shock %d: the runner's conditional views differ from histogram-by-histogram additions", len(m.Scenario().Series), every, i)
			}
		}
	}
}
