package backtest

import (
	"context"
	"runtime"
	"sync"
	"sync/atomic"

	"github.com/geosim/geosim/sim"
	"github.com/geosim/geosim/sim/stats"
)

// minChunkRuns is the least number of runs a worker performs per task; a
// chunk is the smallest multiple of the model's replicates at least this
// large, as in sim.Run.
const minChunkRuns = 256

// Tally is the model's answers to one question at one origin.
type Tally struct {
	Yes int64 // runs answering yes, out of all runs
	// Grouped counts the yes answers by group of replicates — runs
	// g·R … g·R + R − 1 share one parameter draw (R the model's
	// replicates) — over the complete groups, as geosim run does for
	// its events and questions: its Size is R, and with R = 1 it holds
	// no group (the runs are independent and the binomial error is
	// right). A last partial group counts in Yes only.
	Grouped stats.Grouped
}

// RunOrigin performs runs runs at origin o under seed and returns, for
// each of its questions, in how many runs the model's answer was yes, in
// total and by group of replicates. Run i draws only from the streams of
// (OriginSeed(seed, o.Month), i); work chunks hold whole groups, so that
// each group is counted by one worker, and every count is an integer sum,
// so the result does not depend on workers (0: GOMAXPROCS). Cancelling
// ctx stops within a chunk of runs and returns its error.
func RunOrigin(ctx context.Context, o *Origin, runs int, seed uint64, workers int) ([]Tally, error) {
	oseed := OriginSeed(seed, o.Month)
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	size := o.Model.Replicates()
	chunkRuns := size * ((minChunkRuns + size - 1) / size)
	chunks := (runs + chunkRuns - 1) / chunkRuns
	workers = max(1, min(workers, chunks))
	var next atomic.Int64
	parts := make([][]Tally, workers)
	var wg sync.WaitGroup
	for wk := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			ws := sim.NewWorkspace(o.Model)
			part := newTallies(len(o.Questions), size)
			parts[wk] = part
			first := make([]int32, len(o.events))
			open := make([]int64, len(o.Questions)) // yes answers in the current group
			for {
				c := int(next.Add(1) - 1)
				if c >= chunks || ctx.Err() != nil {
					return
				}
				clear(open)
				for i := c * chunkRuns; i < min((c+1)*chunkRuns, runs); i++ {
					ws.Run(oseed, uint64(i))
					o.tally(&ws.Out, first, open)
					if size > 1 && i%size != size-1 {
						continue
					}
					for q, k := range open {
						part[q].Yes += k
						if size > 1 {
							part[q].Grouped.AddGroup(k)
						}
					}
					clear(open)
				}
				// A last partial group: its runs count in the total only.
				for q, k := range open {
					part[q].Yes += k
				}
			}
		}()
	}
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	total := newTallies(len(o.Questions), size)
	for _, part := range parts {
		for q, t := range part {
			total[q].Yes += t.Yes
			total[q].Grouped.Merge(t.Grouped)
		}
	}
	return total, nil
}

func newTallies(questions, size int) []Tally {
	t := make([]Tally, questions)
	for q := range t {
		t[q].Grouped.Size = int64(size)
	}
	return t
}

// tally adds one run's answers to yes: first[t] is the first month any
// event of template t occurred (-1: none); a question is yes when that
// month is inside its horizon, or, for a counting question, when the
// run's count reaches the threshold.
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
