package abc

import (
	"context"
	"math"
	"path/filepath"
	"strings"
	"testing"

	"gonum.org/v1/gonum/stat/distuv"
)

// Several data sets per proposal, weighted by the share within the
// tolerance, target the same posterior as one: the binomial model's
// exact posterior is recovered, down to tolerance 0.
func TestPseudoSamplesKeepThePosterior(t *testing.T) {
	m := binomial{a: 2, b: 3, n: 30}
	k := 9.0
	post := distuv.Beta{Alpha: m.a + k, Beta: m.b + float64(m.n) - k}
	p := Problem{Params: m.params(), Simulator: SimulatorFunc(m.simulate), Observed: []float64{k}}
	res := run(t, p, Config{Particles: 1000, Seed: 2, PseudoSamples: 4})
	logGenerations(t, res)
	if last := res.Generations[len(res.Generations)-1]; last.Tolerance != 0 {
		t.Errorf("stopped by %q at tolerance %g, want 0", res.Stop, last.Tolerance)
	}
	w, x := res.Weights(), res.Column(0)
	ess := ESS(w)
	sd := math.Sqrt(post.Variance())
	checkMoment(t, "posterior mean", WeightedMean(x, w), post.Mean(), sd/math.Sqrt(ess), 0)
	checkMoment(t, "posterior sd", WeightedSD(x, w), sd, sd/math.Sqrt(2*ess), 0.01*sd)
	for _, g := range res.Generations {
		if g.Index > 0 && g.Simulations%4 != 0 {
			t.Errorf("generation %d counts %d simulations: not 4 per proposal", g.Index, g.Simulations)
		}
	}
	for _, pt := range res.Particles {
		if len(pt.Distances) != 4 || !(pt.Likelihood > 0 && pt.Likelihood <= 1) {
			t.Fatalf("particle with %d distances and likelihood %g", len(pt.Distances), pt.Likelihood)
		}
	}
}

// Averaging the statistics of several data sets is not the same thing:
// with 4 data sets averaged, the normal model's ABC posterior is that of
// 4 times the data (sd 0.112 instead of 0.222) — overconfident. This is
// why the engine weighs by the share within the tolerance instead.
func TestAveragingStatisticsNarrowsThePosterior(t *testing.T) {
	m := normalMean{m0: 0, s0: 2, sigma: 1, n: 20}
	ybar := 0.8
	_, wantSD := m.posterior(ybar)
	averaged := SimulatorFunc(func(theta []float64, key uint64) ([]float64, error) {
		sum := 0.0
		for h := range 4 {
			s, _ := m.simulate(theta, pseudoKey(key, h))
			sum += s[0] / 4
		}
		return []float64{sum}, nil
	})
	for _, c := range []struct {
		name   string
		sim    Simulator
		pseudo int
		want   float64
	}{
		{"share within the tolerance", SimulatorFunc(m.simulate), 4, wantSD},
		{"averaged statistics", averaged, 1, normalMean{m0: 0, s0: 2, sigma: 1, n: 80}.sd()},
	} {
		p := Problem{Params: m.params(), Simulator: c.sim, Observed: []float64{ybar}}
		res := run(t, p, Config{Particles: 1000, Seed: 1, Generations: 7, PseudoSamples: c.pseudo})
		w := res.Weights()
		checkMoment(t, c.name+": posterior sd", WeightedSD(res.Column(0), w), c.want, c.want/math.Sqrt(2*ESS(w)), 0.02*c.want)
	}
}

func (m normalMean) sd() float64 { _, sd := m.posterior(0); return sd }

func TestPseudoSamplesDeterministicAndResumable(t *testing.T) {
	p, c := quick()
	c.PseudoSamples = 3
	var want string
	for _, workers := range []int{1, 2, 5} {
		c.Workers = workers
		got := outputs(t, run(t, p, c))
		if want == "" {
			want = got
		} else if got != want {
			t.Fatalf("with 3 data sets per proposal, %d workers give different output than 1 worker", workers)
		}
	}
	c.Workers = 2
	c.StateFile = filepath.Join(t.TempDir(), "state")
	short := c
	short.Generations = 2
	run(t, p, short)
	res := run(t, p, c)
	if res.Resumed != 3 || outputs(t, res) != want {
		t.Errorf("resumed %d generations; output equal to the uninterrupted one: %v", res.Resumed, outputs(t, res) == want)
	}
	other := c
	other.PseudoSamples = 2
	if _, err := Run(context.Background(), p, other); err == nil || !strings.Contains(err.Error(), "pseudo-samples 3, now 2") {
		t.Errorf("resuming with another number of data sets per proposal: %v", err)
	}
	bad := c
	bad.StateFile, bad.PseudoSamples = "", -1
	if _, err := Run(context.Background(), p, bad); err == nil || !strings.Contains(err.Error(), "pseudo-samples must be between 1") {
		t.Errorf("negative pseudo-samples: %v", err)
	}
}
