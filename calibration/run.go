package calibration

import (
	"context"
	"fmt"
	"hash/fnv"
	"math"

	"github.com/geosim/geosim/sim"
	"github.com/geosim/geosim/sim/abc"
)

// Options says how to run a calibration; none of them changes its
// result.
type Options struct {
	// Workers is the number of goroutines; 0 means GOMAXPROCS.
	Workers int
	// StateFile, when not empty, is where the sampler saves its state
	// after each generation, and resumes from.
	StateFile string
	// SimulatorID identifies the model and data (file hashes, tool
	// version): a state file made with another is not resumed.
	SimulatorID string
	// Progress, when not nil, receives the sampler's progress.
	Progress func(abc.Progress)
	// Check, when not nil, is called before each predictive check with
	// its name ("fit", "holdout").
	Check func(name string)
}

// Result is a finished calibration: the ABC-SMC result, its posterior,
// and the predictive checks on the fitting and held-out windows.
type Result struct {
	Plan      *Plan
	ABC       *abc.Result
	Posterior *abc.Posterior
	Fit       *Check
	Holdout   *Check // nil without a held-out window
	// Projection is the regression the summaries came from (nil with
	// SummariesStatistics).
	Projection *Projection
}

// Check compares a window's observed statistics with what the model
// predicts for them, from the posterior and, for reference, from the
// prior: histories drawn afresh, not selected for being close to the
// data.
type Check struct {
	Posterior *abc.Predictive
	Prior     *abc.Predictive
}

// Stream purposes of the checks, mixed into the seed.
const (
	seedPosteriorCheck = 0x706f7374 // "post"
	seedPriorCheck     = 0x7072696f // "prio"
	seedPriorDraws     = 0x64726177 // "draw"
)

// Problem returns the ABC problem of a plan: its parameters, the fitting
// window's simulator and the observed summaries — each statistic in
// units of its sampling noise (Scaled), or, with regression summaries,
// one prediction per parameter from the projection, which it fits first
// from prior simulations (returned; nil otherwise).
func (p *Plan) Problem(ctx context.Context, o Options) (abc.Problem, *Projection, error) {
	names := make([]string, len(p.Fit.Stats))
	obs := make([]float64, len(p.Fit.Stats))
	for k, s := range p.Fit.Stats {
		names[k] = s.Name
		obs[k] = s.Scaled(p.Fit.Observed[k])
	}
	sim := scaled{sim: NewSimulator(p.Fit), stats: p.Fit.Stats}
	if p.Spec.Summaries != SummariesRegression {
		return abc.Problem{Params: p.Params, Simulator: sim, Observed: obs, Stats: names}, nil, nil
	}
	proj, err := p.fitProjection(ctx, p.Spec.RegressionPilot, o.Workers)
	if err != nil {
		return abc.Problem{}, nil, err
	}
	names = make([]string, len(p.Params))
	for i, par := range p.Params {
		names[i] = "predicted " + par.Name
	}
	sim.proj = proj
	return abc.Problem{Params: p.Params, Simulator: sim, Observed: proj.Apply(obs), Stats: names}, proj, nil
}

// scaled puts a simulator's statistics on the scale the distance uses,
// and projects them when proj is not nil.
type scaled struct {
	sim   *Simulator
	stats []StatInfo
	proj  *Projection
}

func (s scaled) Simulate(theta []float64, key uint64) ([]float64, error) {
	out, err := s.sim.Simulate(theta, key)
	for k := range out {
		out[k] = s.stats[k].Scaled(out[k])
	}
	if s.proj != nil {
		return s.proj.Apply(out), err
	}
	return out, err
}

// Scaled returns the value x of the statistic in the units the distance
// measures it in — about one standard deviation of its sampling noise,
// whatever the parameters, so that differences from the record of all
// statistics weigh alike and a rare event's count is not drowned by the
// spread of the prior: a count of months by Anscombe's (1948)
// variance-stabilising 2√(x + 3/8), whose standard deviation is about 1
// for a Poisson count; an autocorrelation times √n, n the months it is
// computed over (its standard error is about 1/√n for independent
// months).
func (s StatInfo) Scaled(x float64) float64 {
	if s.Kind == KindAutocorrelation {
		return x * math.Sqrt(float64(s.To-s.From+1))
	}
	return 2 * math.Sqrt(x+0.375)
}

// Config returns the sampler settings of a plan for the problem's
// number of summaries.
func (p *Plan) Config(o Options, pr abc.Problem) abc.Config {
	s := p.Spec
	c := abc.Config{
		Particles: s.Particles, PseudoSamples: s.Histories, Seed: s.Seed, Workers: o.Workers,
		Quantile: s.Quantile, Generations: s.Generations, MinAcceptance: s.MinAcceptance,
		MaxSimulations: s.MaxSimulations, SimulatorID: o.SimulatorID, StateFile: o.StateFile, Progress: o.Progress,
	}
	// Both kinds of summary are already in units of their own noise.
	c.Scale = abc.ScaleNone
	if s.Summaries == SummariesRegression {
		return c
	}
	c.Weights = make([]float64, len(p.Fit.Stats))
	for k, st := range p.Fit.Stats {
		c.Weights[k] = st.Weight
	}
	return c
}

// Calibrate runs the plan's ABC-SMC calibration, then checks the
// posterior against the fitting window and the held-out window. The
// result depends only on the plan (and its seed), not on the options.
func Calibrate(ctx context.Context, plan *Plan, o Options) (*Result, error) {
	pr, proj, err := plan.Problem(ctx, o)
	if err != nil {
		return nil, err
	}
	res, err := abc.Run(ctx, pr, plan.Config(o, pr))
	if err != nil {
		return nil, err
	}
	out := &Result{Plan: plan, ABC: res, Posterior: res.Posterior(), Projection: proj}
	if out.Fit, err = plan.check(ctx, "fit", plan.Fit, out.Posterior, o); err != nil {
		return nil, err
	}
	if plan.Holdout != nil {
		if out.Holdout, err = plan.check(ctx, "holdout", plan.Holdout, out.Posterior, o); err != nil {
			return nil, err
		}
	}
	return out, nil
}

func (p *Plan) check(ctx context.Context, name string, w *Window, post *abc.Posterior, o Options) (*Check, error) {
	if o.Check != nil {
		o.Check(name)
	}
	names := make([]string, len(w.Stats))
	for k, s := range w.Stats {
		names[k] = s.Name
	}
	draws := p.Spec.PredictiveDraws
	cfg := abc.PredictiveConfig{Draws: draws, Seed: p.Spec.Seed ^ seedPosteriorCheck, Workers: o.Workers}
	sim := NewSimulator(w)
	postCheck, err := abc.PosteriorPredictive(ctx, post, sim, w.Observed, names, cfg)
	if err != nil {
		return nil, fmt.Errorf("the %s window's posterior predictive check: %w", name, err)
	}
	cfg.Seed = p.Spec.Seed ^ seedPriorCheck
	priorCheck, err := abc.PosteriorPredictive(ctx, p.PriorSample(draws), sim, w.Observed, names, cfg)
	if err != nil {
		return nil, fmt.Errorf("the %s window's prior predictive check: %w", name, err)
	}
	return &Check{Posterior: postCheck, Prior: priorCheck}, nil
}

// PriorSample returns n joint draws from the priors, equally weighted,
// as a posterior table (for prior predictive checks and charts). Draw i
// of parameter j is the prior's quantile at a uniform named by the seed,
// i and the parameter's path.
func (p *Plan) PriorSample(n int) *abc.Posterior {
	return p.priorSample(n, p.Spec.Seed^seedPriorDraws)
}

func (p *Plan) priorSample(n int, seed uint64) *abc.Posterior {
	post := &abc.Posterior{}
	keys := make([]uint64, len(p.Params))
	for j, par := range p.Params {
		post.Params = append(post.Params, par.Name)
		h := fnv.New64a()
		h.Write([]byte(par.Name))
		keys[j] = h.Sum64()
	}
	for i := range n {
		row := make([]float64, len(p.Params))
		for j, par := range p.Params {
			row[j] = par.Prior.Quantile(sim.ParamUniform(seed, uint64(i), keys[j]))
		}
		post.Rows = append(post.Rows, row)
		post.Weights = append(post.Weights, 1)
	}
	return post
}

// Coverage returns the share of statistics whose observed value lies in
// the predictive interval, and their number.
func (c *Check) Coverage() (share float64, inside, n int) {
	for _, in := range c.Posterior.Inside {
		if in {
			inside++
		}
	}
	n = len(c.Posterior.Inside)
	if n == 0 {
		return math.NaN(), 0, 0
	}
	return float64(inside) / float64(n), inside, n
}
