package batch

import (
	"context"
	"errors"
	"fmt"

	"github.com/geosim/geosim/output"
	"github.com/geosim/geosim/sim"
)

// PrecisionOptions drives precision mode: runs go in blocks of Block
// until every event and question probability's 95% interval has a
// half-width of at most Target and every outcome mean's at most Target
// times the outcome's range (output.Precision), or MaxRuns runs are
// done.
type PrecisionOptions struct {
	Target  float64 // in (0, 0.5]
	Block   int     // 0: 1,000 runs
	MaxRuns int     // 0: 1,000,000 runs
}

// DefaultBlock and DefaultMaxRuns are precision mode's defaults.
const (
	DefaultBlock   = 1000
	DefaultMaxRuns = 1_000_000
)

var errPrecisionShard = errors.New("precision mode cannot be sharded: whether to run another block depends on every run so far. Find the run count first (geosim run -precision P, perhaps with -runs-csv=false), then shard that many runs with -runs N: the merged result is byte-identical to the precision run's")

func (p *PrecisionOptions) withDefaults() PrecisionOptions {
	q := *p
	if q.Block == 0 {
		q.Block = DefaultBlock
	}
	if q.MaxRuns == 0 {
		q.MaxRuns = DefaultMaxRuns
	}
	return q
}

// Check reports every problem with the options at once.
func (p *PrecisionOptions) Check() error {
	q := p.withDefaults()
	var probs []error
	if !(q.Target > 0 && q.Target <= 0.5) {
		probs = append(probs, fmt.Errorf("precision target must be in (0, 0.5] (an interval half-width in probability units), got %g", q.Target))
	}
	if q.Block < 1 || q.Block > sim.MaxRuns {
		probs = append(probs, fmt.Errorf("precision block must be between 1 and %d runs, got %d", sim.MaxRuns, q.Block))
	}
	if q.MaxRuns < q.Block || q.MaxRuns > sim.MaxRuns {
		probs = append(probs, fmt.Errorf("maximum runs must be between the block (%d) and %d, got %d", q.Block, sim.MaxRuns, q.MaxRuns))
	}
	return errors.Join(probs...)
}

// RunPrecision performs runs 0, 1, 2, … of m in blocks of Block runs
// (the last block cut at MaxRuns) and checks the precision only after
// each whole block. The runs done are therefore always a whole number of
// blocks (or MaxRuns), and which blocks run depends only on the results
// of the blocks before — that is, on the scenario, the seed and the
// options, never on the number of workers: run i is run i of geosim run,
// and the accumulators merge exactly. cfg's Runs and First are ignored;
// its Rows receive every run in order.
func RunPrecision(ctx context.Context, m *sim.Model, cfg sim.Config, o PrecisionOptions) (*sim.Result, *output.Precision, error) {
	if err := o.Check(); err != nil {
		return nil, nil, err
	}
	o = o.withDefaults()
	total := sim.NewResult(m)
	prec := &output.Precision{Target: output.Float(o.Target), Block: o.Block, MaxRuns: int64(o.MaxRuns)}
	var cps []output.Checkpoint
	progress := cfg.Progress
	for done := 0; done < o.MaxRuns; {
		block := cfg
		block.First, block.Runs = done, min(o.Block, o.MaxRuns-done)
		if progress != nil {
			base := done
			block.Progress = func(n int) { progress(base + n) }
		}
		res, err := sim.Run(ctx, m, block)
		if err != nil {
			return nil, nil, err
		}
		if err := total.Merge(res); err != nil {
			return nil, nil, err
		}
		done += block.Runs
		qs, cp := output.CheckPrecision(m, total, o.Target)
		cps = append(cps, cp)
		prec.Quantities, prec.Met = qs, true
		for _, q := range qs {
			prec.Met = prec.Met && q.Met
		}
		if prec.Met {
			break
		}
	}
	prec.Runs = total.Runs
	prec.Binding = output.Binding(prec.Quantities)
	prec.Checkpoints = output.ThinCheckpoints(cps)
	return total, prec, nil
}
