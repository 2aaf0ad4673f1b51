package sim

import (
	"context"
	"fmt"
	"io"
	"runtime"
	"sync"
	"sync/atomic"
)

// Config says which runs to perform and how.
type Config struct {
	// Runs is the number of runs, at least 1.
	Runs int
	// Seed selects the random streams; run i of a seed always draws the
	// same numbers.
	Seed uint64
	// Workers is the number of goroutines; 0 means GOMAXPROCS. Results do
	// not depend on it.
	Workers int
	// First is the index of the first run (a shard's offset); runs
	// First .. First+Runs-1 are performed.
	First int
	// Rows, when not nil, receives one CSV line per run (AppendRow), in
	// run order, without a header.
	Rows io.Writer
	// Progress, when not nil, is called with the number of runs finished
	// so far, from a single goroutine, after each chunk of runs.
	Progress func(done int)
}

// minChunkRuns is the least number of runs a worker performs per task;
// a chunk is the smallest multiple of the replicates at least this large.
const minChunkRuns = 256

type chunkDone struct {
	index int
	rows  []byte
}

// Run performs cfg.Runs runs of m in parallel and returns their
// accumulated result. Run i uses only the random streams of (Seed, i), and
// the accumulators merge exactly, so the result — and the bytes written
// to Rows — are the same for any number of workers. Cancelling ctx stops
// the runs within a chunk and returns ctx's error.
func Run(parent context.Context, m *Model, cfg Config) (*Result, error) {
	if cfg.Runs < 1 || cfg.Runs > MaxRuns {
		return nil, fmt.Errorf("sim: runs must be between 1 and %d, got %d", MaxRuns, cfg.Runs)
	}
	if cfg.First < 0 {
		return nil, fmt.Errorf("sim: first run must be >= 0, got %d", cfg.First)
	}
	if cfg.First%m.replicates != 0 {
		return nil, fmt.Errorf("sim: first run %d does not start a group of %d replicates", cfg.First, m.replicates)
	}
	// Chunks hold whole groups of replicates, so that each group is
	// counted by one worker.
	chunkRuns := m.replicates * ((minChunkRuns + m.replicates - 1) / m.replicates)
	workers := cfg.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	chunks := (cfg.Runs + chunkRuns - 1) / chunkRuns
	workers = min(workers, chunks)

	ctx, cancel := context.WithCancel(parent)
	defer cancel()
	var next atomic.Int64
	tokens := make(chan struct{}, 4*workers) // bounds chunks waiting to be written
	done := make(chan chunkDone, 4*workers)
	free := make(chan []byte, 5*workers) // row buffers for reuse
	results := make([]*Result, workers)

	var wg sync.WaitGroup
	for wk := 0; wk < workers; wk++ {
		wg.Add(1)
		go func(wk int) {
			defer wg.Done()
			ws := NewWorkspace(m)
			res := NewResult(m)
			res.deferConditional()
			defer res.flushConditional() // before wg.Done: the merge reads res
			var rowf rowFormat
			results[wk] = res
			for {
				select {
				case tokens <- struct{}{}:
				case <-ctx.Done():
					return
				}
				c := int(next.Add(1) - 1)
				if c >= chunks || ctx.Err() != nil {
					<-tokens
					return
				}
				var rows []byte
				if cfg.Rows != nil {
					select {
					case rows = <-free:
					default:
						rows = make([]byte, 0, chunkRuns*160)
					}
				}
				end := min((c+1)*chunkRuns, cfg.Runs)
				for i := c * chunkRuns; i < end; i++ {
					ws.Run(cfg.Seed, uint64(cfg.First+i))
					res.Add(&ws.Out)
					if cfg.Rows != nil {
						rows = rowf.append(rows, &ws.Out)
					}
				}
				done <- chunkDone{index: c, rows: rows}
			}
		}(wk)
	}
	go func() {
		wg.Wait()
		close(done)
	}()

	// Collect: write rows in chunk order, report progress.
	var writeErr error
	pending := map[int][]byte{}
	written, finished := 0, 0
	for d := range done {
		finished += min((d.index+1)*chunkRuns, cfg.Runs) - d.index*chunkRuns
		pending[d.index] = d.rows
		for {
			rows, ok := pending[written]
			if !ok {
				break
			}
			delete(pending, written)
			if cfg.Rows != nil && writeErr == nil {
				if _, err := cfg.Rows.Write(rows); err != nil {
					writeErr = err
					cancel()
				}
				select {
				case free <- rows[:0]:
				default:
				}
			}
			written++
			<-tokens
		}
		if cfg.Progress != nil {
			cfg.Progress(finished)
		}
	}
	if writeErr != nil {
		return nil, fmt.Errorf("sim: writing runs: %w", writeErr)
	}
	if written < chunks {
		if err := parent.Err(); err != nil {
			return nil, err
		}
		return nil, context.Canceled
	}
	total := NewResult(m)
	for _, r := range results {
		if r != nil {
			if err := total.Merge(r); err != nil {
				return nil, err
			}
		}
	}
	return total, nil
}
