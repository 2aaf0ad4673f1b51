package abc

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"math"
	"strings"
	"testing"

	"github.com/geosim/geosim/sim/dist"
	"gonum.org/v1/gonum/stat/distuv"
)

func run(t *testing.T, p Problem, c Config) *Result {
	t.Helper()
	res, err := Run(context.Background(), p, c)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func logGenerations(t *testing.T, res *Result) {
	t.Helper()
	for _, g := range res.Generations {
		t.Logf("generation %d: tolerance %.4g, %d simulations, acceptance %.3f, ESS %.0f", g.Index, g.Tolerance, g.Simulations, g.AcceptanceRate, g.ESS)
	}
}

// checkMoment fails unless got is within k Monte Carlo standard errors
// (se) plus slack of want.
func checkMoment(t *testing.T, what string, got, want, se, slack float64) {
	t.Helper()
	t.Logf("%s: %.4f, analytic %.4f (difference %.4f, MC se %.4f)", what, got, want, got-want, se)
	if math.Abs(got-want) > 4*se+slack {
		t.Errorf("%s = %.4f, analytic %.4f: off by %.4f, more than 4 se (%.4f) + %.4f", what, got, want, got-want, se, slack)
	}
}

// The conjugate normal model: the ABC posterior approaches the analytic
// one as the tolerance shrinks.
func TestConjugateNormal(t *testing.T) {
	m := normalMean{m0: 0, s0: 2, sigma: 1, n: 20}
	ybar := 0.8
	wantMean, wantSD := m.posterior(ybar)
	p := Problem{Params: m.params(), Simulator: SimulatorFunc(m.simulate), Observed: []float64{ybar}}

	coarse := run(t, p, Config{Particles: 1000, Seed: 1, Generations: 1})
	fine := run(t, p, Config{Particles: 1000, Seed: 1, Generations: 7})
	logGenerations(t, fine)
	sdCoarse := WeightedSD(coarse.Column(0), coarse.Weights())
	w := fine.Weights()
	x := fine.Column(0)
	ess := ESS(w)
	checkMoment(t, "posterior mean", WeightedMean(x, w), wantMean, wantSD/math.Sqrt(ess), 0)
	// The sd of a sample sd is about sd/√(2·ESS).
	sd := WeightedSD(x, w)
	checkMoment(t, "posterior sd", sd, wantSD, wantSD/math.Sqrt(2*ess), 0.01*wantSD)
	t.Logf("posterior sd after generation 1: %.4f; after %d: %.4f; analytic %.4f", sdCoarse, len(fine.Generations)-1, sd, wantSD)
	if !(math.Abs(sd-wantSD) < math.Abs(sdCoarse-wantSD)) {
		t.Errorf("the posterior sd did not approach the analytic %.4f as the tolerance shrank: %.4f then %.4f", wantSD, sdCoarse, sd)
	}
	// Generation 1 is the same in both: the stopping rule does not change
	// the generations that run.
	if fine.Generations[1] != coarse.Generations[1] {
		t.Errorf("generation 1 differs with the number of generations: %+v vs %+v", fine.Generations[1], coarse.Generations[1])
	}
}

// The binomial model with a beta prior: with a discrete statistic the
// tolerance reaches 0 (exact matches), where ABC is exact.
func TestBinomialBeta(t *testing.T) {
	m := binomial{a: 2, b: 3, n: 30}
	k := 9.0
	post := distuv.Beta{Alpha: m.a + k, Beta: m.b + float64(m.n) - k}
	p := Problem{Params: m.params(), Simulator: SimulatorFunc(m.simulate), Observed: []float64{k}}
	res := run(t, p, Config{Particles: 1000, Seed: 2})
	logGenerations(t, res)
	if res.Stop != StopStalled || res.Generations[len(res.Generations)-1].Tolerance != 0 {
		t.Errorf("stopped by %q at tolerance %g, want %q at 0", res.Stop, res.Generations[len(res.Generations)-1].Tolerance, StopStalled)
	}
	w, x := res.Weights(), res.Column(0)
	ess := ESS(w)
	sd := math.Sqrt(post.Variance())
	checkMoment(t, "posterior mean", WeightedMean(x, w), post.Mean(), sd/math.Sqrt(ess), 0)
	checkMoment(t, "posterior sd", WeightedSD(x, w), sd, sd/math.Sqrt(2*ess), 0.01*sd)
	for _, q := range []float64{0.05, 0.95} {
		// A quantile's standard error is √(q(1−q)/ESS) / density.
		se := math.Sqrt(q*(1-q)/ess) / post.Prob(post.Quantile(q))
		checkMoment(t, "posterior quantile "+formatFloat(q), WeightedQuantile(x, w, q), post.Quantile(q), se, 0)
	}
	for _, v := range x {
		if !(v > 0 && v < 1) {
			t.Fatalf("particle %g outside the beta prior's support", v)
		}
	}
}

// Two parameters with a strongly correlated Gaussian posterior: the
// multivariate kernel recovers means, sds and the correlation.
func TestCorrelatedPair(t *testing.T) {
	m := linear{a: [2][2]float64{{1, 1}, {0, 0.5}}, s: 0.5}
	y := []float64{1.2, 0.3}
	wantMean, wantSD, wantCorr := m.posterior(y)
	p := Problem{Params: m.params(), Simulator: SimulatorFunc(m.simulate), Observed: y}
	res := run(t, p, Config{Particles: 1000, Seed: 3, Generations: 7})
	logGenerations(t, res)
	w := res.Weights()
	ess := ESS(w)
	a, b := res.Column(0), res.Column(1)
	for i, x := range [][]float64{a, b} {
		name := res.Params[i].Name
		checkMoment(t, name+" mean", WeightedMean(x, w), wantMean[i], wantSD[i]/math.Sqrt(ess), 0)
		checkMoment(t, name+" sd", WeightedSD(x, w), wantSD[i], wantSD[i]/math.Sqrt(2*ess), 0.02*wantSD[i])
	}
	corr := weightedCorr(a, b, w)
	// The sd of a sample correlation is about (1−ρ²)/√ESS.
	checkMoment(t, "correlation", corr, wantCorr, (1-wantCorr*wantCorr)/math.Sqrt(ess), 0.02)
}

func weightedCorr(a, b, w []float64) float64 {
	ma, mb := WeightedMean(a, w), WeightedMean(b, w)
	var sab, saa, sbb float64
	for i := range a {
		sab += w[i] * (a[i] - ma) * (b[i] - mb)
		saa += w[i] * (a[i] - ma) * (a[i] - ma)
		sbb += w[i] * (b[i] - mb) * (b[i] - mb)
	}
	return sab / math.Sqrt(saa*sbb)
}

// Bounded priors: every particle stays inside every prior's support.
func TestSupportRespected(t *testing.T) {
	params := []Param{
		{Name: "u", Prior: dist.Uniform{Min: 0, Max: 1}},
		{Name: "t", Prior: dist.TruncNormal{Mu: 0, Sigma: 1, Min: 0, Max: 0.5}},
		{Name: "l", Prior: dist.LogNormal{Mu: 0, Sigma: 1}},
		{Name: "c", Prior: dist.Choice{Values: []float64{1, 2, 3}}},
	}
	// The data pull u and t against their lower bounds.
	sim := SimulatorFunc(func(theta []float64, key uint64) ([]float64, error) {
		return []float64{theta[0] + 0.01*float64(key%7), theta[1], theta[2] * theta[3]}, nil
	})
	res := run(t, Problem{Params: params, Simulator: sim, Observed: []float64{0, 0, 1}}, Config{Particles: 300, Seed: 4, Generations: 5})
	for _, pt := range res.Particles {
		for i, par := range params {
			lo, hi := par.Prior.Support()
			if v := pt.Theta[i]; v < lo || v > hi {
				t.Fatalf("parameter %s = %g outside [%g, %g]", par.Name, v, lo, hi)
			}
			if v := pt.U[i]; !(v > 0 && v < 1) {
				t.Fatalf("parameter %s: unit coordinate %g outside (0, 1)", par.Name, v)
			}
		}
		if c := pt.Theta[3]; c != 1 && c != 2 && c != 3 {
			t.Fatalf("choice parameter took %g", c)
		}
	}
}

func quick() (Problem, Config) {
	m := linear{a: [2][2]float64{{1, 1}, {0, 0.5}}, s: 0.5}
	return Problem{Params: m.params(), Simulator: SimulatorFunc(m.simulate), Observed: []float64{1.2, 0.3}, Stats: []string{"y1", "y2"}},
		Config{Particles: 200, Seed: 5, Generations: 4}
}

// outputs returns the bytes a calibration's files would hold.
func outputs(t *testing.T, res *Result) string {
	t.Helper()
	var b bytes.Buffer
	if err := res.Posterior().WriteCSV(&b); err != nil {
		t.Fatal(err)
	}
	j, err := json.MarshalIndent(Summarize(res, nil), "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	b.Write(j)
	return b.String()
}

func TestDeterministicAcrossWorkers(t *testing.T) {
	p, base := quick()
	resampling := base
	resampling.ResampleBelow, resampling.Kernel = 1, KernelComponentwise
	for _, c := range []Config{base, resampling} {
		var want string
		for _, workers := range []int{1, 2, 5} {
			c.Workers = workers
			res := run(t, p, c)
			got := outputs(t, res)
			if want == "" {
				want = got
			} else if got != want {
				t.Fatalf("%s kernel, resampling below %g: %d workers give different output than 1 worker", c.Kernel, c.ResampleBelow, workers)
			}
			if c.ResampleBelow == 1 && !res.Generations[2].Resampled {
				t.Errorf("generation 2 not resampled with ResampleBelow = 1")
			}
		}
	}
}

// A generation that cannot reach N acceptances within N/MinAcceptance
// proposals is abandoned, and the previous population returned.
func TestAcceptanceFloor(t *testing.T) {
	p, c := quick()
	c.Generations = 30
	c.MinAcceptance = 0.2
	res := run(t, p, c)
	if res.Stop != StopMinAcceptance || res.Abandoned == nil {
		t.Fatalf("stopped by %q (abandoned %v), want %q", res.Stop, res.Abandoned, StopMinAcceptance)
	}
	if a := res.Abandoned; a.Simulations != int64(math.Ceil(200/0.2)) || a.Accepted >= 200 || a.AcceptanceRate >= 0.2 {
		t.Errorf("abandoned generation %+v", *a)
	}
	total := res.Abandoned.Simulations
	for _, g := range res.Generations {
		total += g.Simulations
		if g.Index > 0 && g.AcceptanceRate < 0.2 {
			t.Errorf("generation %d kept with acceptance rate %g below the floor", g.Index, g.AcceptanceRate)
		}
	}
	if total != res.Simulations {
		t.Errorf("total simulations %d, generations sum to %d", res.Simulations, total)
	}

	c.MinAcceptance = 0
	c.MaxSimulations = 2000
	res = run(t, p, c)
	if res.Stop != StopMaxSimulations || res.Simulations > 2000 {
		t.Errorf("with a budget of 2000 simulations: stopped by %q after %d", res.Stop, res.Simulations)
	}

	c.MaxSimulations = 0
	c.MinTolerance = 0.3
	res = run(t, p, c)
	last := res.Generations[len(res.Generations)-1]
	if res.Stop != StopMinTolerance || last.Tolerance != 0.3 {
		t.Errorf("with a tolerance floor of 0.3: stopped by %q at tolerance %g", res.Stop, last.Tolerance)
	}
}

func TestInvalidInput(t *testing.T) {
	good := func() (Problem, Config) { return quick() }
	for _, tc := range []struct {
		name string
		edit func(*Problem, *Config)
		want []string
	}{
		{"no params", func(p *Problem, c *Config) { p.Params = nil }, []string{"no parameters"}},
		{"fixed prior", func(p *Problem, c *Config) { p.Params[0].Prior = dist.Fixed{Value: 1} }, []string{"a has a fixed prior"}},
		{"bad prior and duplicate", func(p *Problem, c *Config) {
			p.Params[1] = Param{Name: "a", Prior: dist.Normal{Mu: 0, Sigma: -1}}
		}, []string{"a is listed twice", "prior normal: sd: must be > 0"}},
		{"reserved name", func(p *Problem, c *Config) { p.Params[0].Name = "weight" }, []string{"reserved"}},
		{"nan observed", func(p *Problem, c *Config) { p.Observed[1] = math.NaN() }, []string{"observed statistic y2 is NaN"}},
		{"names", func(p *Problem, c *Config) { p.Stats = []string{"y1"} }, []string{"1 statistic names for 2"}},
		{"config", func(p *Problem, c *Config) {
			c.Particles, c.Quantile, c.Kernel, c.Weights, c.MinAcceptance = 1, 1.5, "gauss", []float64{1}, 2
		}, []string{"particles must be at least 2", "quantile must be in (0, 1)", `kernel must be`, "1 statistic weights for 2", "minimum acceptance rate"}},
	} {
		p, c := good()
		p.Observed = append([]float64(nil), p.Observed...)
		p.Params = append([]Param(nil), p.Params...)
		tc.edit(&p, &c)
		_, err := Run(context.Background(), p, c)
		if err == nil {
			t.Errorf("%s: no error", tc.name)
			continue
		}
		for _, w := range tc.want {
			if !strings.Contains(strings.ReplaceAll(err.Error(), "parameter ", ""), w) {
				t.Errorf("%s: error %q does not mention %q", tc.name, err, w)
			}
		}
	}
}

func TestSimulatorProblems(t *testing.T) {
	p, c := quick()
	c.Workers = 3
	inner := p.Simulator
	for _, tc := range []struct {
		name string
		sim  SimulatorFunc
		want string
	}{
		{"error", func(th []float64, k uint64) ([]float64, error) {
			if th[0] > 1.5 {
				return nil, errors.New("model diverged")
			}
			return inner.Simulate(th, k)
		}, "model diverged"},
		{"length", func(th []float64, k uint64) ([]float64, error) { return []float64{1}, nil }, "returned 1 statistics, want 2"},
		{"nan", func(th []float64, k uint64) ([]float64, error) { return []float64{1, math.Inf(1)}, nil }, "statistic y2 is +Inf"},
	} {
		p.Simulator = tc.sim
		_, err := Run(context.Background(), p, c)
		if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), "generation 0, proposal") {
			t.Errorf("%s: error %v, want one naming the proposal and %q", tc.name, err, tc.want)
		}
	}
	// A statistic that never varies is left out, with a warning.
	p.Simulator = SimulatorFunc(func(th []float64, k uint64) ([]float64, error) {
		s, _ := inner.Simulate(th, k)
		return []float64{s[0], 7}, nil
	})
	res := run(t, p, c)
	if len(res.Warnings) != 1 || !strings.Contains(res.Warnings[0], "statistic y2 takes the same value (7)") || res.StatWeights[1] != 0 {
		t.Errorf("constant statistic: warnings %q, weights %v", res.Warnings, res.StatWeights)
	}
}
