//go:build long

package abc

import (
	"context"
	"math"
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

func TestSBCCorrelatedPair(t *testing.T) {
	m := linear{a: [2][2]float64{{1, 1}, {0, 0.5}}, s: 0.5}
	p := Problem{Params: m.params(), Simulator: SimulatorFunc(m.simulate), Observed: []float64{0, 0}}
	sbcReport(t, "correlated pair", p, SBCConfig{Replications: 100, Seed: 2018, ABC: Config{Particles: 500, Generations: 8}})
}

// The Monte Carlo error of the posterior mean over 100 seeds, against the
// standard error sd/√ESS that summaries report: the z-scores' spread
// says how honest that standard error is.
func TestRepeatedSeeds(t *testing.T) {
	m := normalMean{m0: 0, s0: 2, sigma: 1, n: 20}
	wantMean, wantSD := m.posterior(0.8)
	p := Problem{Params: m.params(), Simulator: SimulatorFunc(m.simulate), Observed: []float64{0.8}}
	var zs, ratios []float64
	for seed := uint64(100); seed < 200; seed++ {
		res, err := Run(context.Background(), p, Config{Particles: 1000, Seed: seed, Generations: 6})
		if err != nil {
			t.Fatal(err)
		}
		w, x := res.Weights(), res.Column(0)
		zs = append(zs, (WeightedMean(x, w)-wantMean)/(wantSD/math.Sqrt(ESS(w))))
		ratios = append(ratios, WeightedSD(x, w)/wantSD)
	}
	mean := func(x []float64) float64 {
		s := 0.0
		for _, v := range x {
			s += v
		}
		return s / float64(len(x))
	}
	t.Logf("posterior mean z-scores over 100 seeds: mean %.2f, sd %.2f (1 if sd/√ESS were exact)", mean(zs), sd(zs))
	t.Logf("posterior sd / analytic sd: mean %.3f, sd %.3f", mean(ratios), sd(ratios))
	if sd(zs) > 1.5 || math.Abs(mean(zs)) > 0.5 {
		t.Errorf("z-scores mean %.2f sd %.2f", mean(zs), sd(zs))
	}
}
