package backtest

import (
	"context"
	"runtime"
	"sync"
	"sync/atomic"

	"github.com/geosim/geosim/sim"
)

// chunkRuns is the number of runs a worker performs per task.
const chunkRuns = 256

// RunOrigin performs runs runs at origin o under seed and returns, for
// each of its questions, in how many runs the model's answer was yes.
// Run i draws only from the streams of (OriginSeed(seed, o.Month), i)
// and the counts are integer sums, so the result does not depend on
// workers (0: GOMAXPROCS). Cancelling ctx stops within a chunk of runs
// and returns its error.
func RunOrigin(ctx context.Context, o *Origin, runs int, seed uint64, workers int) ([]int64, error) {
	oseed := OriginSeed(seed, o.Month)
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	chunks := (runs + chunkRuns - 1) / chunkRuns
	workers = max(1, min(workers, chunks))
	var next atomic.Int64
	counts := make([][]int64, workers)
	var wg sync.WaitGroup
	for wk := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			ws := sim.NewWorkspace(o.Model)
			yes := make([]int64, len(o.Questions))
			counts[wk] = yes
			first := make([]int32, len(o.events))
			for {
				c := int(next.Add(1) - 1)
				if c >= chunks || ctx.Err() != nil {
					return
				}
				for i := c * chunkRuns; i < min((c+1)*chunkRuns, runs); i++ {
					ws.Run(oseed, uint64(i))
					o.tally(&ws.Out, first, yes)
				}
			}
		}()
	}
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	total := make([]int64, len(o.Questions))
	for _, yes := range counts {
		for q, n := range yes {
			total[q] += n
		}
	}
	return total, nil
}

// tally adds one run's answers: first[t] is the first month any event of
// template t occurred (-1: none); a question is yes when that month is
// inside its horizon, or, for a counting question, when the run's count
// reaches the threshold.
func (o *Origin) tally(out *sim.RunOutput, first []int32, yes []int64) {
	for t, evs := range o.events {
		f := int32(-1)
		for _, e := range evs {
			if s := out.EventStep[e]; s >= 0 && (f < 0 || s < f) {
				f = s
			}
		}
		first[t] = f
	}
	for q := range o.Questions {
		qu := &o.Questions[q]
		var hit bool
		if qu.outcome >= 0 {
			hit = out.Outcomes[qu.outcome] >= float64(qu.AtLeast)
		} else {
			f := first[qu.Template]
			hit = f >= 0 && int(f) < qu.Horizon
		}
		if hit {
			yes[q]++
		}
	}
}
