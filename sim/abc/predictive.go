package abc

import (
	"context"
	"errors"
	"fmt"
	"math"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"
)

// PredictiveConfig controls a posterior predictive check.
type PredictiveConfig struct {
	// Draws is the number of simulated histories (≥ 1); 0 means 1000.
	Draws int
	// Seed selects the posterior rows drawn and the histories' streams.
	Seed uint64
	// Level is the central predictive interval's probability; 0 means 0.9.
	Level float64
	// Workers is the number of goroutines; 0 means GOMAXPROCS. Results do
	// not depend on it.
	Workers int
}

// Predictive compares observed statistics with their posterior
// predictive distribution.
type Predictive struct {
	Stats    []string  `json:"statistics"`
	Observed []float64 `json:"observed"`
	Draws    int       `json:"draws"`
	Level    float64   `json:"level"`
	// Per statistic: the predictive mean, median and central Level
	// interval over the draws.
	Mean   []float64 `json:"mean"`
	Median []float64 `json:"median"`
	Lower  []float64 `json:"lower"`
	Upper  []float64 `json:"upper"`
	// Inside[k] says whether Observed[k] lies in [Lower[k], Upper[k]];
	// Coverage is the share of statistics for which it does.
	Inside   []bool  `json:"inside"`
	Coverage float64 `json:"coverage"`
	// Samples[d] holds draw d's statistics (for charts).
	Samples [][]float64 `json:"-"`
}

const (
	purposePredictRow = 0x70726f77 // "prow"
	purposePredictSim = 0x7073696d // "psim"
)

// PosteriorPredictive draws rows jointly from post (by weight), simulates
// one fresh history at each and summarises, per statistic, where the
// observed value falls among the simulated ones. Unlike the particles'
// own statistics, these histories were not selected for being close to
// the data, so they show what the fitted model predicts; with a simulator
// of another window (e.g. a held-out period) the same function makes an
// out-of-sample check. observed may be nil (no comparison); names may be
// nil.
func PosteriorPredictive(ctx context.Context, post *Posterior, sim Simulator, observed []float64, names []string, cfg PredictiveConfig) (*Predictive, error) {
	if cfg.Draws == 0 {
		cfg.Draws = 1000
	}
	if cfg.Level == 0 {
		cfg.Level = 0.9
	}
	if cfg.Workers <= 0 {
		cfg.Workers = runtime.GOMAXPROCS(0)
	}
	switch {
	case cfg.Draws < 1:
		return nil, fmt.Errorf("abc: predictive check needs at least 1 draw, got %d", cfg.Draws)
	case !(cfg.Level > 0 && cfg.Level < 1):
		return nil, fmt.Errorf("abc: predictive level must be in (0, 1), got %g", cfg.Level)
	case len(post.Rows) == 0:
		return nil, errors.New("abc: predictive check of an empty posterior")
	}
	samples := make([][]float64, cfg.Draws)
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var next atomic.Int64
	var once sync.Once
	var failed error
	var wg sync.WaitGroup
	for range min(cfg.Workers, cfg.Draws) {
		wg.Go(func() {
			rng := newStreamRand()
			for ctx.Err() == nil {
				d := int(next.Add(1) - 1)
				if d >= cfg.Draws {
					return
				}
				row := post.Rows[post.Row(unit(rng.at(StreamKey(cfg.Seed, 0, int64(d), purposePredictRow))))]
				s, err := sim.Simulate(slices.Clone(row), StreamKey(cfg.Seed, 0, int64(d), purposePredictSim))
				if err == nil && observed != nil && len(s) != len(observed) {
					err = fmt.Errorf("the simulator returned %d statistics, want %d", len(s), len(observed))
				}
				for k, v := range s {
					if err == nil && (math.IsNaN(v) || math.IsInf(v, 0)) {
						err = fmt.Errorf("statistic %d is %v", k, v)
					}
				}
				if err != nil {
					once.Do(func() { failed = fmt.Errorf("abc: predictive draw %d: %w", d, err); cancel() })
					return
				}
				samples[d] = slices.Clone(s)
			}
		})
	}
	wg.Wait()
	if failed != nil {
		return nil, failed
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	m := len(samples[0])
	for d, s := range samples {
		if len(s) != m {
			return nil, fmt.Errorf("abc: predictive draw %d returned %d statistics, draw 0 returned %d", d, len(s), m)
		}
	}
	out := &Predictive{Stats: names, Observed: observed, Draws: cfg.Draws, Level: cfg.Level, Samples: samples}
	if out.Stats == nil {
		out.Stats = (&Problem{Observed: make([]float64, m)}).statNames()
	}
	one := make([]float64, cfg.Draws)
	for i := range one {
		one[i] = 1
	}
	col := make([]float64, cfg.Draws)
	inside := 0
	for k := range m {
		for d, s := range samples {
			col[d] = s[k]
		}
		lo, hi := WeightedQuantile(col, one, (1-cfg.Level)/2), WeightedQuantile(col, one, (1+cfg.Level)/2)
		out.Mean = append(out.Mean, WeightedMean(col, one))
		out.Median = append(out.Median, WeightedQuantile(col, one, 0.5))
		out.Lower, out.Upper = append(out.Lower, lo), append(out.Upper, hi)
		if observed != nil {
			in := lo <= observed[k] && observed[k] <= hi
			out.Inside = append(out.Inside, in)
			if in {
				inside++
			}
		}
	}
	if observed != nil {
		out.Coverage = float64(inside) / float64(m)
	}
	return out, nil
}
