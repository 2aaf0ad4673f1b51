package sim_test

import (
	"math"
	"testing"

	"github.com/geosim/geosim/sim"
)

// meanSeries returns each series' mean at state k over runs.
func meanSeries(m *sim.Model, runs int, k int) []float64 {
	w := sim.NewWorkspace(m)
	T1 := m.Steps() + 1
	out := make([]float64, len(m.Series()))
	for r := 0; r < runs; r++ {
		w.Run(5, uint64(r))
		for s := range out {
			out[s] += w.Out.Series[s*T1+k] / float64(runs)
		}
	}
	return out
}

// A burn-in starts the run from the model's own routine state: the drift
// of the relations over the first months (MODEL.md §10: baselines are
// no-signal levels, from which routine signals move relations) is
// smaller with a 36-month burn-in than without, for every series whose
// drift is visible.
func TestPropertyBurnInRemovesInitialDrift(t *testing.T) {
	m := flagship(t)
	sc := *m.Scenario()
	sc.BurnIn = 36
	burned, err := sim.Compile(&sc)
	if err != nil {
		t.Fatal(err)
	}
	const runs = 1000
	a0, a3 := meanSeries(m, runs, 0), meanSeries(m, runs, 3)
	b0, b3 := meanSeries(burned, runs, 0), meanSeries(burned, runs, 3)
	checked := 0
	for s, info := range m.Series() {
		if info.Unit != "Goldstein scale, -10 to +10" {
			continue
		}
		without, with := math.Abs(a3[s]-a0[s]), math.Abs(b3[s]-b0[s])
		t.Logf("%s: drift over 3 months %.3f without burn-in, %.3f with", info.Name, without, with)
		if without > 0.1 {
			checked++
			if with >= without {
				t.Errorf("%s: a burn-in does not reduce the initial drift (%.3f without, %.3f with)", info.Name, without, with)
			}
		}
	}
	if checked == 0 {
		t.Error("no series drifts visibly without a burn-in: the test checks nothing")
	}
}
