package batch

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"time"

	"github.com/geosim/geosim/output"
	"github.com/geosim/geosim/plots"
	"github.com/geosim/geosim/sim"
	"github.com/geosim/geosim/sim/scenario"
)

// Shard selects shard K of N (0 ≤ K < N): a contiguous block of run
// indices, design points or sample rows.
type Shard struct {
	K, N int
}

// Range returns shard k's block [lo, hi) of total items: the items are
// split into n contiguous blocks whose sizes differ by at most one.
func (s Shard) Range(total int) (lo, hi int) {
	return s.K * total / s.N, (s.K + 1) * total / s.N
}

// RangeBy returns shard k's block [lo, hi) of total items split in whole
// units of unit items (the last unit may be short): runs split by groups
// of replicates, so that no group straddles two shards.
func (s Shard) RangeBy(total, unit int) (lo, hi int) {
	if unit <= 1 {
		return s.Range(total)
	}
	units := (total + unit - 1) / unit
	lo, hi = s.Range(units)
	return min(lo*unit, total), min(hi*unit, total)
}

func (s Shard) String() string { return fmt.Sprintf("%d/%d", s.K, s.N) }

// ParseShard reads "k/n".
func ParseShard(text string) (Shard, error) {
	var s Shard
	if _, err := fmt.Sscanf(text, "%d/%d", &s.K, &s.N); err != nil || fmt.Sprintf("%d/%d", s.K, s.N) != text {
		return s, fmt.Errorf("-shard %q: want K/N, e.g. 0/4 (shards are numbered from 0)", text)
	}
	if s.N < 1 || s.N > 100_000 || s.K < 0 || s.K >= s.N {
		return s, fmt.Errorf("-shard %s: need 0 <= K < N <= 100000", text)
	}
	return s, nil
}

// RunOptions says how to run a scenario.
type RunOptions struct {
	Label    string // the scenario's name in provenance (a path, or the embedded flagship's)
	Runs     int    // 0: the scenario's
	Seed     int64  // -1: the scenario's
	Workers  int    // 0: GOMAXPROCS
	Out      string // "": out/<name>, or out/<name>.shard-K-of-N
	Shard    *Shard // nil: all runs
	NoRows   bool   // write no runs.csv (studies too large for per-run data)
	Limits   Limits // on the estimated memory and output, checked before any run
	Progress func(done int)
	Args     []string // the command line, for run.json
	// Precision, when not nil, chooses the number of runs: Runs is
	// ignored and runs go in blocks until every quantity is precise
	// enough (see RunPrecision).
	Precision *PrecisionOptions
}

// RunReport says what a run did.
type RunReport struct {
	Summary *output.Summary // nil for a shard
	Dir     string
	Runs    int64
	Wall    time.Duration
}

// Run performs a scenario's runs and writes its results folder —
// summary.json, runs.csv, timeseries.csv, run.json, charts and
// report.html — complete or not at all. With a Shard it performs only
// that shard's block of run indices and writes a shard folder instead
// (shard.json, its part of runs.csv, run.json), for Merge.
func Run(ctx context.Context, f *scenario.File, o RunOptions) (*RunReport, error) {
	m := f.Model
	runs, seed := o.Runs, m.DefaultSeed()
	if runs == 0 {
		runs = m.DefaultRuns()
	}
	if o.Seed >= 0 {
		seed = uint64(o.Seed)
	}
	first, count := 0, runs
	if o.Precision != nil {
		if o.Shard != nil {
			return nil, errPrecisionShard
		}
		if err := o.Precision.Check(); err != nil {
			return nil, err
		}
	}
	if o.Shard != nil {
		lo, hi := o.Shard.RangeBy(runs, m.Replicates())
		first, count = lo, hi-lo
		if count == 0 {
			return nil, fmt.Errorf("shard %s of %d runs is empty: shards hold whole groups of %d replicates; use at most %d shards", o.Shard, runs, m.Replicates(), (runs+m.Replicates()-1)/m.Replicates())
		}
	}
	out := o.Out
	if out == "" {
		out = filepath.Join("out", m.Name())
		if o.Shard != nil {
			out += fmt.Sprintf(".shard-%d-of-%d", o.Shard.K, o.Shard.N)
		}
	}
	workers := workersOr(o.Workers)
	if err := checkRun(m, workers, runs, count, !o.NoRows, o.Shard != nil, o.Limits); err != nil {
		return nil, err
	}
	rep := &RunReport{Dir: out}
	err := output.Write(out, func(folder *output.Folder) error {
		cfg := sim.Config{Runs: count, First: first, Seed: seed, Workers: workers, Progress: o.Progress}
		var rows *bufio.Writer
		var csvFile *os.File
		if !o.NoRows {
			var err error
			if csvFile, err = os.Create(folder.Path("runs.csv")); err != nil {
				return err
			}
			defer csvFile.Close() // on error paths; the success path closes it below
			rows = bufio.NewWriterSize(csvFile, 1<<20)
			if err := output.WriteHeader(rows, m.Header()); err != nil {
				return err
			}
			cfg.Rows = rows
		}
		start := time.Now()
		var res *sim.Result
		var prec *output.Precision
		var err error
		if o.Precision != nil {
			res, prec, err = RunPrecision(ctx, m, cfg, *o.Precision)
		} else {
			res, err = sim.Run(ctx, m, cfg)
		}
		if err != nil {
			return err
		}
		end := time.Now()
		if rows != nil {
			if err := errors.Join(rows.Flush(), csvFile.Close()); err != nil {
				return err
			}
		}
		rep.Runs, rep.Wall = res.Runs, end.Sub(start)
		if o.Shard != nil {
			h := newRunShard(f, o.Label, seed, runs, *o.Shard, first, count, res)
			h.NoRows = o.NoRows
			if err := folder.WriteJSON(ShardFile, h); err != nil {
				return err
			}
		} else {
			rep.Summary = output.Summarize(m, res, output.NewProvenance(o.Label, f.Hash, seed, res.Runs))
			rep.Summary.Precision = prec
			if err := WriteRunResults(folder, rep.Summary); err != nil {
				return err
			}
		}
		if err := folder.WriteJSON("run.json", output.NewRunInfo(start, end, res.Runs, workers, o.Args)); err != nil {
			return err
		}
		return ctx.Err()
	})
	if err != nil {
		return nil, err
	}
	return rep, nil
}

// workersOr returns workers, or GOMAXPROCS for 0.
func workersOr(workers int) int {
	if workers <= 0 {
		return runtime.GOMAXPROCS(0)
	}
	return workers
}

// WriteRunResults writes the files derived from a run's summary:
// summary.json, timeseries.csv, forecasts.csv (when the scenario asks
// questions), the charts and report.html.
func WriteRunResults(w interface {
	WriteJSON(string, any) error
	WriteFile(string, []byte) error
}, s *output.Summary) error {
	if err := w.WriteJSON("summary.json", s); err != nil {
		return err
	}
	if err := w.WriteFile("timeseries.csv", output.TimeseriesCSV(s)); err != nil {
		return err
	}
	if len(s.Questions) > 0 {
		if err := w.WriteFile("forecasts.csv", output.ForecastsCSV(s)); err != nil {
			return err
		}
	}
	return plots.WriteReport(w, s)
}
