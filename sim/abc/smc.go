package abc

import (
	"context"
	"errors"
	"fmt"
	"math"
	"slices"
	"sync"
	"sync/atomic"
)

// Particle is one member of a population.
type Particle struct {
	// Theta holds the parameter values, one per Param.
	Theta []float64 `json:"theta"`
	// U is the particle's point in the unit cube: Theta[i] =
	// Params[i].Prior.Quantile(U[i]). The sampler works on U (see the
	// package documentation).
	U []float64 `json:"u"`
	// Stats are the summary statistics its simulation returned.
	Stats []float64 `json:"stats"`
	// Distance is their distance from the observed statistics.
	Distance float64 `json:"distance"`
	// Weight is its normalised importance weight; a population's weights
	// sum to 1.
	Weight float64 `json:"weight"`
	// Proposal is the index of the proposal that produced it within its
	// generation.
	Proposal int64 `json:"proposal"`
	// Distances holds, with Config.PseudoSamples M > 1, the distance of
	// each of the M data sets simulated at Theta. Stats is then their
	// mean statistics, Distance the smallest distance, and Likelihood the
	// share of the M within the generation's tolerance (the estimate of
	// the ABC likelihood its weight includes).
	Distances  []float64 `json:"distances,omitempty"`
	Likelihood float64   `json:"likelihood,omitempty"`

	samples [][]float64 // pilot only: each data set's statistics, for the scales
}

// Result is a finished calibration.
type Result struct {
	Params   []Param
	Stats    []string  // statistic names
	Observed []float64 // observed statistics
	// Scales are the statistics' scales in the distance; StatWeights
	// their weights (0 for a statistic left out).
	Scales, StatWeights []float64
	// Particles is the final population: the weighted posterior sample.
	Particles []Particle
	// Generations describes each generation, the prior pilot first.
	Generations []Generation
	// Abandoned, when not nil, describes the generation that was stopped
	// by the acceptance-rate floor or the simulation budget and is not
	// part of the result.
	Abandoned *Generation
	// Simulations is the total number of simulations, including those of
	// an abandoned generation.
	Simulations int64
	// Stop says why the calibration stopped (a Stop* constant).
	Stop string
	// Warnings are non-fatal problems (statistics left out).
	Warnings []string
	// Config is the configuration the calibration ran with, defaults
	// filled in.
	Config Config
	// Resumed is the number of generations read from the state file
	// rather than computed; it is the only field that differs between a
	// resumed calibration and an uninterrupted one.
	Resumed int
}

// Weights returns the final particles' weights.
func (r *Result) Weights() []float64 {
	w := make([]float64, len(r.Particles))
	for i, p := range r.Particles {
		w[i] = p.Weight
	}
	return w
}

// Column returns the values of parameter i over the final particles.
func (r *Result) Column(i int) []float64 {
	x := make([]float64, len(r.Particles))
	for k, p := range r.Particles {
		x[k] = p.Theta[i]
	}
	return x
}

// maxAttempts bounds the perturbations tried for one proposal before
// giving up on finding one inside the prior's support.
const maxAttempts = 1_000_000

// errAbandoned marks a generation stopped by its proposal cap.
var errAbandoned = errors.New("abc: generation abandoned")

// Run calibrates p: ABC-SMC (population Monte Carlo) with an adaptive
// tolerance schedule, as described in the package documentation. It
// returns when a stopping rule fires, when ctx is cancelled (with ctx's
// error; the state file keeps the last finished generation), or on the
// first simulator error in proposal order.
func Run(ctx context.Context, p Problem, cfg Config) (*Result, error) {
	cfg = cfg.withDefaults()
	if err := errors.Join(p.validate(), cfg.validate(len(p.Observed))); err != nil {
		return nil, err
	}
	r := &runner{p: &p, cfg: cfg, names: p.statNames()}
	want := newSettings(&p, cfg)
	st, err := loadState(cfg.StateFile, want)
	if err != nil {
		return nil, err
	}
	resumed := 0
	if st != nil {
		resumed = len(st.Generations)
	} else {
		if st, err = r.pilot(ctx, want); err != nil {
			return nil, err
		}
		if err := saveState(cfg.StateFile, st); err != nil {
			return nil, err
		}
	}
	r.dist = &distance{observed: p.Observed, scales: st.Scales, weights: st.StatWeights}
	var abandoned *Generation
	stop := ""
	for {
		var eps float64
		if stop, eps = r.stopReason(st); stop != "" {
			break
		}
		next, g, err := r.generation(ctx, st, eps)
		st.Simulations += g.Simulations
		if errors.Is(err, errAbandoned) {
			abandoned = &g
			stop = StopMinAcceptance
			if cfg.MaxSimulations > 0 && st.Simulations >= cfg.MaxSimulations {
				stop = StopMaxSimulations
			}
			break
		}
		if err != nil {
			return nil, err
		}
		st.Generations = append(st.Generations, g)
		st.Particles = next
		if err := saveState(cfg.StateFile, st); err != nil {
			return nil, err
		}
	}
	return &Result{
		Params: p.Params, Stats: r.names, Observed: p.Observed,
		Scales: st.Scales, StatWeights: st.StatWeights,
		Particles: st.Particles, Generations: st.Generations, Abandoned: abandoned,
		Simulations: st.Simulations, Stop: stop, Warnings: st.Warnings, Config: cfg, Resumed: resumed,
	}, nil
}

type runner struct {
	p     *Problem
	cfg   Config
	names []string
	dist  *distance
}

// stopReason returns why no further generation should run, or the
// tolerance of the next one.
func (r *runner) stopReason(st *state) (string, float64) {
	last := st.Generations[len(st.Generations)-1]
	switch {
	case last.Index >= r.cfg.Generations:
		return StopGenerations, 0
	case last.Index >= 1 && r.cfg.MinTolerance > 0 && last.Tolerance <= r.cfg.MinTolerance:
		return StopMinTolerance, 0
	case r.cfg.MaxSimulations > 0 && st.Simulations >= r.cfg.MaxSimulations:
		return StopMaxSimulations, 0
	}
	d, w := acceptedDistances(st.Particles, last.Tolerance)
	eps := math.Max(WeightedQuantile(d, w, r.cfg.Quantile), r.cfg.MinTolerance)
	if !(eps < last.Tolerance) {
		// With discrete statistics more than 1−α of the weight can sit
		// exactly at the tolerance: step down to the largest distance
		// below it instead, as long as a particle has one.
		eps = math.Inf(-1)
		for _, x := range d {
			if x < last.Tolerance && x > eps {
				eps = x
			}
		}
		eps = math.Max(eps, r.cfg.MinTolerance)
		if !(eps < last.Tolerance) {
			return StopStalled, 0
		}
	}
	return "", eps
}

// acceptedDistances returns the distances of a population's accepted data
// sets and their weights: each particle's distance with its weight, or,
// with several data sets per particle, each of its data sets within the
// population's tolerance eps with an equal share of its weight. Their
// weighted quantiles are those of the distance under the population's
// target.
func acceptedDistances(pts []Particle, eps float64) (d, w []float64) {
	for _, pt := range pts {
		if pt.Distances == nil {
			d, w = append(d, pt.Distance), append(w, pt.Weight)
			continue
		}
		k := 0
		for _, x := range pt.Distances {
			if x <= eps {
				k++
			}
		}
		for _, x := range pt.Distances {
			if x <= eps {
				d, w = append(d, x), append(w, pt.Weight/float64(k))
			}
		}
	}
	return d, w
}

// pilot runs generation 0: N draws from the prior, all accepted. Their
// statistics set the distance's scales; their distances the first
// tolerance.
func (r *runner) pilot(ctx context.Context, set settings) (*state, error) {
	n := r.cfg.Particles
	pts, used, err := r.propose(ctx, 0, math.Inf(1), nil, n, int64(n), 0)
	if err != nil {
		return nil, err
	}
	m := r.cfg.PseudoSamples
	used *= int64(m)
	pilot := make([][]float64, 0, n*m)
	for i := range pts {
		pilot = append(pilot, pts[i].samples...)
	}
	d, warnings := newDistance(r.p.Observed, pilot, r.cfg.Weights, r.cfg.Scale, r.names)
	if !d.informative() {
		return nil, fmt.Errorf("abc: no statistic varies over the %d pilot simulations: the statistics cannot tell parameters apart", len(pilot))
	}
	for i := range pts {
		pt := &pts[i]
		if m == 1 {
			pt.Distance = d.of(pt.Stats)
		} else {
			pt.Distances = make([]float64, m)
			for h, s := range pt.samples {
				pt.Distances[h] = d.of(s)
			}
			pt.Distance, pt.Likelihood = slices.Min(pt.Distances), 1
		}
		pt.samples = nil
		pt.Weight = 1 / float64(n)
	}
	g := Generation{Index: 0, Tolerance: math.Inf(1), Simulations: used, Accepted: n, AcceptanceRate: 1, ESS: float64(n)}
	r.progress(g, n, used, used, true)
	return &state{
		Settings: set, Scales: d.scales, StatWeights: d.weights, Warnings: warnings,
		Generations: []Generation{g}, Particles: pts, Simulations: used,
	}, nil
}

// sampler is where generation t draws its proposals from: parents with
// normalised weights and the perturbation kernel.
type sampler struct {
	parents [][]float64
	weights []float64
	cum     []float64
	kernel  *kernel
}

// generation runs generation t = len(st.Generations) at tolerance eps.
// On errAbandoned the returned Generation describes the abandoned
// attempt.
func (r *runner) generation(ctx context.Context, st *state, eps float64) ([]Particle, Generation, error) {
	t := len(st.Generations)
	n := r.cfg.Particles
	prevU := make([][]float64, len(st.Particles))
	prevW := make([]float64, len(st.Particles))
	for i, pt := range st.Particles {
		prevU[i], prevW[i] = pt.U, pt.Weight
	}
	s := &sampler{kernel: newKernel(prevU, prevW, r.cfg.Kernel == KernelComponentwise)}
	resampled := false
	if r.cfg.ResampleBelow >= 1 || ESS(prevW) < r.cfg.ResampleBelow*float64(n) {
		resampled = true
		u := unit(newStreamRand().at(StreamKey(r.cfg.Seed, t, 0, purposeResample)))
		for _, i := range systematic(prevW, n, u) {
			s.parents = append(s.parents, prevU[i])
			s.weights = append(s.weights, 1/float64(n))
		}
	} else {
		s.parents, s.weights = prevU, prevW
	}
	s.cum = cumulative(s.weights)

	m := int64(r.cfg.PseudoSamples)
	limit := int64(math.Ceil(float64(n) / r.cfg.MinAcceptance))
	if r.cfg.MaxSimulations > 0 {
		limit = min(limit, (r.cfg.MaxSimulations-st.Simulations)/m)
	}
	pts, used, err := r.propose(ctx, t, eps, s, n, limit, st.Simulations)
	g := Generation{Index: t, Tolerance: eps, Simulations: used * m, Accepted: len(pts), Resampled: resampled}
	g.AcceptanceRate = float64(len(pts)) / float64(max(used, 1))
	if err != nil {
		return nil, g, err
	}
	r.weigh(pts, s)
	w := make([]float64, n)
	for i := range pts {
		w[i] = pts[i].Weight
	}
	g.ESS = ESS(w)
	r.progress(g, n, used*m, st.Simulations+used*m, true)
	return pts, g, nil
}

// weigh sets the importance weights of generation t's particles
// (Beaumont et al. 2009): prior density over the density of the mixture
// the proposals came from. On the unit cube the prior density is 1, so
// w_i ∝ 1 / Σ_j W_j K(u_i | u_j). Each weight depends only on its own
// particle, so they are computed in parallel and normalised in index
// order.
func (r *runner) weigh(pts []Particle, s *sampler) {
	logq := make([]float64, len(pts))
	var next atomic.Int64
	var wg sync.WaitGroup
	for range min(r.cfg.Workers, len(pts)) {
		wg.Go(func() {
			m := make([]float64, len(s.parents))
			z := make([]float64, s.kernel.d)
			for {
				i := int(next.Add(1) - 1)
				if i >= len(pts) {
					return
				}
				logq[i] = s.kernel.logMixture(pts[i].U, s.parents, s.weights, m, z)
			}
		})
	}
	wg.Wait()
	low := slices.Min(logq)
	w := make([]float64, len(pts))
	for i := range pts {
		w[i] = math.Exp(low - logq[i])
		if pts[i].Distances != nil {
			w[i] *= pts[i].Likelihood
		}
	}
	normalize(w)
	for i := range pts {
		pts[i].Weight = w[i]
	}
}

// outcome is a finished proposal.
type outcome struct {
	index int64
	p     *Particle // nil when rejected
	err   error
}

// propose evaluates proposals 0, 1, 2, … of generation t in parallel
// until n of them — the first n in index order — have distance ≤ eps,
// and returns those in index order with the number of proposals up to
// and including the n-th acceptance. Proposals beyond it that workers
// had already started are discarded, so the result does not depend on
// the number of workers. If limit proposals do not yield n acceptances it
// returns errAbandoned, the acceptances so far and limit. s is nil for
// the pilot (draws from the prior). before is the number of simulations
// of earlier generations, for progress reports.
func (r *runner) propose(parent context.Context, t int, eps float64, s *sampler, n int, limit, before int64) ([]Particle, int64, error) {
	ctx, cancel := context.WithCancel(parent)
	defer cancel()
	out := make(chan outcome, 4*r.cfg.Workers)
	var next atomic.Int64
	var wg sync.WaitGroup
	for range r.cfg.Workers {
		wg.Go(func() {
			w := newProposer(r, s)
			for ctx.Err() == nil {
				i := next.Add(1) - 1
				if i >= limit {
					return
				}
				p, err := w.propose(t, i, eps)
				select {
				case out <- outcome{index: i, p: p, err: err}:
				case <-ctx.Done():
					return
				}
			}
		})
	}
	go func() {
		wg.Wait()
		close(out)
	}()

	pending := map[int64]outcome{}
	var accepted []Particle
	var prefix int64 // proposals 0 … prefix−1 are finished and counted
	var failed error
	finished := false
	for o := range out {
		if finished || failed != nil {
			continue
		}
		pending[o.index] = o
		for !finished && failed == nil {
			o, ok := pending[prefix]
			if !ok {
				break
			}
			delete(pending, prefix)
			prefix++
			switch {
			case o.err != nil:
				failed = o.err
				cancel()
			case o.p != nil:
				accepted = append(accepted, *o.p)
				if len(accepted) == n {
					finished = true
					cancel()
				}
			}
		}
		if failed == nil {
			g := Generation{Index: t, Tolerance: eps}
			m := int64(r.cfg.PseudoSamples)
			r.progress(g, len(accepted), prefix*m, before+prefix*m, false)
		}
	}
	switch {
	case failed != nil:
		return nil, prefix, failed
	case finished:
		return accepted, prefix, nil
	case prefix >= limit:
		return accepted, prefix, errAbandoned
	}
	if err := parent.Err(); err != nil {
		return nil, prefix, err
	}
	return nil, prefix, context.Canceled
}

func (r *runner) progress(g Generation, accepted int, sims, total int64, done bool) {
	if r.cfg.Progress == nil {
		return
	}
	r.cfg.Progress(Progress{
		Generation: g.Index, Tolerance: g.Tolerance, Accepted: accepted, Particles: r.cfg.Particles,
		Simulations: sims, Total: total, Done: done,
	})
}

// proposer holds one worker's scratch space.
type proposer struct {
	r      *runner
	s      *sampler
	rng    *streamRand
	xi     []float64
	params int
}

func newProposer(r *runner, s *sampler) *proposer {
	d := len(r.p.Params)
	return &proposer{r: r, s: s, rng: newStreamRand(), xi: make([]float64, d), params: d}
}

// propose draws proposal i of generation t from its own stream, simulates
// it and returns the particle if its distance is at most eps (every
// pilot proposal is accepted; its distance is set later).
func (w *proposer) propose(t int, i int64, eps float64) (*Particle, error) {
	r := w.r
	rng := w.rng.at(StreamKey(r.cfg.Seed, t, i, purposePropose))
	u := make([]float64, w.params)
	if w.s == nil {
		for a := range u {
			u[a] = unit(rng)
		}
	} else {
		inside := false
		for attempt := 0; attempt < maxAttempts && !inside; attempt++ {
			parent := w.s.parents[pick(w.s.cum, unit(rng))]
			inside = w.s.kernel.perturb(parent, u, w.xi, rng)
		}
		if !inside {
			return nil, fmt.Errorf("abc: generation %d, proposal %d: none of %d perturbations fell inside the priors' support", t, i, maxAttempts)
		}
	}
	theta := make([]float64, w.params)
	r.p.theta(u, theta)
	m := r.cfg.PseudoSamples
	key := StreamKey(r.cfg.Seed, t, i, purposeSimulate)
	p := &Particle{Theta: theta, U: u, Proposal: i}
	for h := range m {
		stats, err := r.p.Simulator.Simulate(theta, pseudoKey(key, h))
		if err != nil {
			return nil, fmt.Errorf("abc: generation %d, proposal %d at %s: %w", t, i, r.describe(theta), err)
		}
		if len(stats) != len(r.p.Observed) {
			return nil, fmt.Errorf("abc: generation %d, proposal %d at %s: the simulator returned %d statistics, want %d", t, i, r.describe(theta), len(stats), len(r.p.Observed))
		}
		for k, v := range stats {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return nil, fmt.Errorf("abc: generation %d, proposal %d at %s: statistic %s is %v", t, i, r.describe(theta), r.names[k], v)
			}
		}
		p.samples = append(p.samples, slices.Clone(stats))
	}
	if m == 1 {
		p.Stats = p.samples[0]
	} else {
		p.Stats = make([]float64, len(r.p.Observed))
		for _, s := range p.samples {
			for k, v := range s {
				p.Stats[k] += v / float64(m)
			}
		}
	}
	if w.s == nil {
		return p, nil // the pilot computes distances once the scales are known
	}
	if m == 1 {
		p.Distance, p.samples = r.dist.of(p.Stats), nil
		if p.Distance <= eps {
			return p, nil
		}
		return nil, nil
	}
	p.Distances = make([]float64, m)
	within := 0
	for h, s := range p.samples {
		p.Distances[h] = r.dist.of(s)
		if p.Distances[h] <= eps {
			within++
		}
	}
	p.samples = nil
	if within == 0 {
		return nil, nil
	}
	p.Distance, p.Likelihood = slices.Min(p.Distances), float64(within)/float64(m)
	return p, nil
}

// pseudoKey is the stream key of data set h of a proposal whose first
// data set has key: key itself for h = 0, so that one data set per
// proposal draws what it always drew.
func pseudoKey(key uint64, h int) uint64 {
	if h == 0 {
		return key
	}
	return splitmix64(key ^ uint64(h)*0x9e3779b97f4a7c15)
}

// describe formats parameter values for an error message.
func (r *runner) describe(theta []float64) string {
	b := []byte{'('}
	for i, par := range r.p.Params {
		if i > 0 {
			b = append(b, ", "...)
		}
		b = fmt.Appendf(b, "%s=%g", par.Name, theta[i])
	}
	return string(append(b, ')'))
}
