package sensitivity

import (
	"context"
	"fmt"
	"math"
	"runtime"
	"strconv"
	"sync"
	"sync/atomic"

	"github.com/geosim/geosim/sim/dist"
)

// Func evaluates a model at x and writes its outputs into out. It is
// called concurrently; worker identifies the calling goroutine.
type Func func(worker int, x, out []float64)

// Input is an independent model input.
type Input struct {
	Name string
	Dist dist.Dist
}

// Config controls an analysis.
type Config struct {
	// N is the base sample size: Sobol evaluates the model N·(d+2) times,
	// Morris uses N trajectories of d+1 points each. With the quasi-random
	// Sobol design N is the total over the replicates and is rounded so
	// that each replicate has a power of two of points (see NewPlan).
	N int
	// Seed determines the samples and the bootstrap.
	Seed uint64
	// Workers is the number of goroutines; 0 means GOMAXPROCS.
	Workers int
	// Design is how Sobol's sample matrices are drawn: DesignSobol
	// (scrambled Sobol' points, the default when empty) or DesignRandom
	// (independent pseudo-random draws). Other methods ignore it.
	Design string
	// Replicates is the number of independently scrambled designs of the
	// quasi-random Sobol design, at least 2 (0: DefaultReplicates); their
	// spread gives the intervals.
	Replicates int
	// Bootstrap is the number of bootstrap resamples for the intervals of
	// the pseudo-random Sobol design (0: 500).
	Bootstrap int
	// Progress, when not nil, is called with the number of evaluations
	// done and the total, from one goroutine at a time.
	Progress func(done, total int)
}

func (c Config) workers() int {
	if c.Workers > 0 {
		return c.Workers
	}
	return runtime.GOMAXPROCS(0)
}

// Estimate is an index with its 95% interval. NaN marks an index that
// cannot be estimated (an output that does not vary); it is encoded as
// JSON null.
type Estimate struct {
	Value, Lo, Hi float64
}

// MarshalJSON encodes the estimate as {"value":…,"lo":…,"hi":…}, NaN as
// null.
func (e Estimate) MarshalJSON() ([]byte, error) {
	f := func(x float64) string {
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return "null"
		}
		return strconv.FormatFloat(x, 'g', -1, 64)
	}
	return []byte(`{"value":` + f(e.Value) + `,"lo":` + f(e.Lo) + `,"hi":` + f(e.Hi) + `}`), nil
}

// Warning is a non-fatal problem of an analysis, for the caller to show.
type Warning struct {
	Output string `json:"output"` // "" for the analysis as a whole
	Msg    string `json:"msg"`
}

func (w Warning) Error() string {
	if w.Output == "" {
		return w.Msg
	}
	return w.Output + ": " + w.Msg
}

// evaluate fills ys[k] = f(xs[k]) for every row, in parallel; rows are
// independent and stored by index, so the result does not depend on the
// number of workers.
func evaluate(ctx context.Context, f Func, xs [][]float64, outputs int, cfg Config) ([][]float64, error) {
	ys := make([][]float64, len(xs))
	flat := make([]float64, len(xs)*outputs)
	for k := range ys {
		ys[k] = flat[k*outputs : (k+1)*outputs]
	}
	const chunk = 64
	chunks := (len(xs) + chunk - 1) / chunk
	var next, done atomic.Int64
	var mu sync.Mutex
	var wg sync.WaitGroup
	for w := 0; w < min(cfg.workers(), chunks); w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for ctx.Err() == nil {
				c := int(next.Add(1) - 1)
				if c >= chunks {
					return
				}
				end := min((c+1)*chunk, len(xs))
				for k := c * chunk; k < end; k++ {
					f(w, xs[k], ys[k])
				}
				n := int(done.Add(int64(end - c*chunk)))
				if cfg.Progress != nil {
					mu.Lock()
					cfg.Progress(n, len(xs))
					mu.Unlock()
				}
			}
		}(w)
	}
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return ys, nil
}

func checkInputs(inputs []Input) error {
	if len(inputs) == 0 {
		return fmt.Errorf("sensitivity: no inputs")
	}
	for _, in := range inputs {
		if in.Dist == nil {
			return fmt.Errorf("sensitivity: input %s has no distribution", in.Name)
		}
		if err := in.Dist.Validate(); err != nil {
			return fmt.Errorf("sensitivity: input %s: %v", in.Name, err)
		}
	}
	return nil
}
