package sim_test

import (
	"math"
	"slices"
	"testing"

	"github.com/geosim/geosim/sim"
)

// TestStartCacheReuse runs the flagship on one reused Workspace — runs of
// one draw in a row (the start restored, with and without shocks in the
// run before), SetParams and Use with the sampled values (the vector
// then compared, not trusted), a draw repeated after another — and
// checks every run against a fresh Workspace's.
func TestStartCacheReuse(t *testing.T) {
	m := flagship(t)
	reused := sim.NewWorkspace(m)
	const seed = 7
	type step struct {
		run  uint64
		with string // "", "set": SetParams, "use": Use, with the draw's own values
	}
	var steps []step
	for r := uint64(0); r < 24; r++ {
		steps = append(steps, step{run: r})
		if r%5 == 2 {
			steps = append(steps, step{r, "set"}, step{r, "use"}, step{r, ""})
		}
	}
	steps = append(steps, step{run: 3}, step{run: 17}, step{run: 3})
	shocked := 0
	for _, s := range steps {
		fresh := sim.NewWorkspace(m)
		fresh.Run(seed, s.run)
		reused.Sample(seed, s.run)
		switch s.with {
		case "set":
			reused.SetParams(slices.Clone(reused.Out.Params))
		case "use":
			reused.Use(slices.Clone(reused.Out.Params))
		}
		reused.Simulate(seed, s.run)
		for k, v := range fresh.Out.ShockStep {
			if v >= 0 && reused.Out.ShockStep[k] == v {
				shocked++
			}
		}
		same := func(a, b []float64) bool {
			return slices.EqualFunc(a, b, func(x, y float64) bool { return math.Float64bits(x) == math.Float64bits(y) })
		}
		if !same(fresh.Out.Outcomes, reused.Out.Outcomes) || !same(fresh.Out.Series, reused.Out.Series) ||
			!slices.Equal(fresh.Out.EventStep, reused.Out.EventStep) || !slices.Equal(fresh.Out.ShockStep, reused.Out.ShockStep) {
			t.Fatalf("run %d (%q): the reused workspace's output differs from a fresh one's", s.run, s.with)
		}
	}
	if shocked == 0 {
		t.Fatal("no shock fired: the test does not exercise restoring after a shock")
	}
}
