//go:build long

package abc

import (
	"context"
	"testing"
)

// Simulation-based calibration over 100 replications (Talts et al.
// 2018), opt-in:
//
//	go test -tags long -run SBC -v ./sim/abc/
//
// The measured coverage is written in docs/CALIBRATION.md.

func sbcReport(t *testing.T, name string, p Problem, cfg SBCConfig) {
	t.Helper()
	res, err := SBC(context.Background(), p, cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%s: %d replications, %d simulations (%.0f per calibration), %.1f generations per calibration",
		name, res.Replications, res.Simulations, float64(res.Simulations)/float64(res.Replications), res.Generations)
	for i, c := range res.Coverage {
		t.Logf("  %s: 90%% interval covered the truth in %d/%d = %.2f (Wilson 95%% %.2f–%.2f); rank histogram %v, chi-square p = %.3f",
			c.Param, c.Covered, res.Replications, c.Rate, c.Wilson95[0], c.Wilson95[1], res.RankHistogram[i], res.RankChi2P[i])
		if c.Rate < 0.80 || c.Rate > 0.97 {
			t.Errorf("%s: coverage %.2f outside [0.80, 0.97]", c.Param, c.Rate)
		}
	}
}

func TestSBCConjugateNormal(t *testing.T) {
	m := normalMean{m0: 0, s0: 2, sigma: 1, n: 20}
	p := Problem{Params: m.params(), Simulator: SimulatorFunc(m.simulate), Observed: []float64{0}}
	sbcReport(t, "conjugate normal", p, SBCConfig{Replications: 100, Seed: 2018, ABC: Config{Particles: 500, Generations: 8}})
}

func TestSBCLaunches(t *testing.T) {
	m := launches{months: 120}
	p := Problem{Params: m.params(), Simulator: SimulatorFunc(m.simulate), Observed: []float64{0, 0, 0}, Stats: []string{"p01", "p11", "share"}}
	sbcReport(t, "launch chain", p, SBCConfig{Replications: 100, Seed: 2018, ABC: Config{Particles: 500, Generations: 8}})
}
