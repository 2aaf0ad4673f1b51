package abc

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"sync"
	"sync/atomic"

	"github.com/geosim/geosim/sim/stats"
	"gonum.org/v1/gonum/stat/distuv"
)

// SBCConfig controls a simulation-based calibration check.
type SBCConfig struct {
	// Replications is the number of synthetic data sets R (≥ 1).
	Replications int
	// Seed selects the true parameters, the synthetic data and every
	// replication's calibration seed.
	Seed uint64
	// Level is the credible level of the central interval checked for
	// coverage; 0 means 0.9.
	Level float64
	// ABC configures each replication's calibration. Its Seed, Workers,
	// StateFile and Progress are ignored: each replication gets its own
	// seed and runs on one goroutine.
	ABC Config
	// Workers is the number of replications calibrated at once; 0 means
	// GOMAXPROCS. Results do not depend on it.
	Workers int
	// Progress, when not nil, is called with the number of replications
	// finished, one call at a time.
	Progress func(done, total int)
}

// SBCResult reports how often the posterior interval held the truth.
type SBCResult struct {
	Params       []string `json:"parameters"`
	Level        float64  `json:"level"`
	Replications int      `json:"replications"`
	// Coverage per parameter: how many replications' central Level
	// intervals contained the true value, with a Wilson 95% interval.
	Coverage []Coverage `json:"coverage"`
	// Truth[r][i], Lower[r][i], Upper[r][i]: replication r's true value
	// of parameter i and its posterior interval.
	Truth [][]float64 `json:"truth"`
	Lower [][]float64 `json:"lower"`
	Upper [][]float64 `json:"upper"`
	// Rank[r][i] is the posterior probability below the truth,
	// Σ_j w_j [θ_ij < θ*_i] + ½ Σ_j w_j [θ_ij = θ*_i]: uniform on (0, 1)
	// for a calibrated method (Talts et al. 2018's normalised rank).
	Rank [][]float64 `json:"rank"`
	// RankHistogram[i] counts ranks of parameter i in ten equal bins;
	// RankChi2P is the chi-square test's p-value against uniformity (9
	// degrees of freedom; small values flag miscalibration, and the test
	// is rough below ~50 replications).
	RankHistogram [][10]int `json:"rank_histogram"`
	RankChi2P     []float64 `json:"rank_chi2_p"`
	// Simulations is the total over all replications, and Generations
	// the mean number of generations per calibration.
	Simulations int64   `json:"simulations"`
	Generations float64 `json:"mean_generations"`
}

// Coverage is one parameter's interval coverage.
type Coverage struct {
	Param    string     `json:"parameter"`
	Covered  int        `json:"covered"`
	Rate     float64    `json:"rate"`
	Wilson95 [2]float64 `json:"wilson95"`
}

// SBC checks a calibration against truth it knows (Talts et al. 2018):
// for each replication r it draws true parameters from the priors,
// simulates synthetic statistics at them, calibrates against those, and
// records whether each parameter's central Level posterior interval
// contains its true value, and the truth's posterior rank. A calibrated
// method covers the truth in a fraction Level of replications; ABC at a
// positive tolerance tends to cover more (its posterior is wider).
//
// p.Observed and p.Stats give only the number and names of the
// statistics; their values are ignored.
func SBC(ctx context.Context, p Problem, cfg SBCConfig) (*SBCResult, error) {
	if cfg.Level == 0 {
		cfg.Level = 0.9
	}
	if cfg.Workers <= 0 {
		cfg.Workers = runtime.GOMAXPROCS(0)
	}
	var errs []error
	if cfg.Replications < 1 {
		errs = append(errs, fmt.Errorf("abc: SBC needs at least 1 replication, got %d", cfg.Replications))
	}
	if !(cfg.Level > 0 && cfg.Level < 1) {
		errs = append(errs, fmt.Errorf("abc: SBC level must be in (0, 1), got %g", cfg.Level))
	}
	if err := errors.Join(append(errs, p.validate())...); err != nil {
		return nil, err
	}
	d := len(p.Params)
	reps := make([]*Result, cfg.Replications)
	truths := make([][]float64, cfg.Replications)
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var next atomic.Int64
	var mu sync.Mutex
	var firstErr error
	done := 0
	var wg sync.WaitGroup
	for range min(cfg.Workers, cfg.Replications) {
		wg.Go(func() {
			for ctx.Err() == nil {
				r := int(next.Add(1) - 1)
				if r >= cfg.Replications {
					return
				}
				truth, res, err := sbcReplication(ctx, p, cfg, r)
				mu.Lock()
				if err != nil && firstErr == nil {
					firstErr = fmt.Errorf("abc: SBC replication %d: %w", r, err)
					cancel()
				}
				truths[r], reps[r] = truth, res
				done++
				if cfg.Progress != nil && firstErr == nil {
					cfg.Progress(done, cfg.Replications)
				}
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	if firstErr != nil {
		return nil, firstErr
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}

	out := &SBCResult{Level: cfg.Level, Replications: cfg.Replications, Truth: truths,
		RankHistogram: make([][10]int, d), RankChi2P: make([]float64, d)}
	covered := make([]stats.Proportion, d)
	lo, hi := (1-cfg.Level)/2, (1+cfg.Level)/2
	gens := 0
	for r, res := range reps {
		w := res.Weights()
		lower, upper, rank := make([]float64, d), make([]float64, d), make([]float64, d)
		for i := range d {
			x := res.Column(i)
			lower[i], upper[i] = WeightedQuantile(x, w, lo), WeightedQuantile(x, w, hi)
			t := truths[r][i]
			covered[i].Add(lower[i] <= t && t <= upper[i])
			for j := range x {
				switch {
				case x[j] < t:
					rank[i] += w[j]
				case x[j] == t:
					rank[i] += w[j] / 2
				}
			}
			out.RankHistogram[i][min(int(rank[i]*10), 9)]++
		}
		out.Lower, out.Upper, out.Rank = append(out.Lower, lower), append(out.Upper, upper), append(out.Rank, rank)
		out.Simulations += res.Simulations
		gens += len(res.Generations) - 1
	}
	out.Generations = float64(gens) / float64(cfg.Replications)
	for i, par := range p.Params {
		out.Params = append(out.Params, par.Name)
		l, h := covered[i].Wilson95()
		out.Coverage = append(out.Coverage, Coverage{Param: par.Name, Covered: int(covered[i].Successes), Rate: covered[i].P(), Wilson95: [2]float64{l, h}})
		expect := float64(cfg.Replications) / 10
		chi2 := 0.0
		for _, c := range out.RankHistogram[i] {
			chi2 += (float64(c) - expect) * (float64(c) - expect) / expect
		}
		out.RankChi2P[i] = 1 - distuv.ChiSquared{K: 9}.CDF(chi2)
	}
	return out, nil
}

// sbcReplication draws replication r's truth and data and calibrates.
func sbcReplication(ctx context.Context, p Problem, cfg SBCConfig, r int) ([]float64, *Result, error) {
	rng := newStreamRand().at(StreamKey(cfg.Seed, 0, int64(r), purposeTruth))
	u := make([]float64, len(p.Params))
	for i := range u {
		u[i] = unit(rng)
	}
	truth := make([]float64, len(p.Params))
	p.theta(u, truth)
	obs, err := p.Simulator.Simulate(truth, StreamKey(cfg.Seed, 0, int64(r), purposeData))
	if err != nil {
		return nil, nil, err
	}
	if len(obs) != len(p.Observed) {
		return nil, nil, fmt.Errorf("the simulator returned %d statistics, want %d", len(obs), len(p.Observed))
	}
	p.Observed = obs
	c := cfg.ABC
	c.Seed = StreamKey(cfg.Seed, 0, int64(r), purposeCalib)
	c.Workers, c.StateFile, c.Progress = 1, "", nil
	res, err := Run(ctx, p, c)
	return truth, res, err
}
