package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/geosim/geosim/batch"
	"github.com/geosim/geosim/output"
	"github.com/geosim/geosim/scenarios"
	"github.com/geosim/geosim/sim"
	"github.com/geosim/geosim/sim/scenario"
)

type runOptions struct {
	File    string // empty: the embedded flagship
	Runs    int    // 0: the scenario's
	Seed    int64  // -1: the scenario's
	Workers int    // 0: GOMAXPROCS
	Out     string // empty: out/<scenario name>
	Quiet   bool
	Shard   *batch.Shard // nil: all runs
	NoRows  bool
	Limits  batch.Limits
	Args    []string // the command line, for run.json
	// Precision, when not nil, chooses the run count (see
	// batch.PrecisionOptions).
	Precision *batch.PrecisionOptions
}

func runCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("run", flag.ContinueOnError)
	var o runOptions
	fs.IntVar(&o.Runs, "runs", 0, "number of Monte Carlo runs (default: the scenario's runs)")
	fs.Int64Var(&o.Seed, "seed", -1, "random seed (default: the scenario's seed)")
	fs.IntVar(&o.Workers, "workers", 0, "worker goroutines (default: number of CPUs); results do not depend on it")
	fs.StringVar(&o.Out, "out", "", "output folder (default: out/<scenario name>)")
	fs.BoolVar(&o.Quiet, "quiet", false, "no progress bar and no summary table")
	runsCSV := fs.Bool("runs-csv", true, "write runs.csv, one row per run (false for studies too large for per-run data)")
	shard := fs.String("shard", "", "run only shard K/N of the run indices (K from 0) into a shard folder, for geosim merge")
	precision := fs.Float64("precision", 0, "run blocks of runs until every event probability's 95% interval half-width is at most P (0.01 = ±1 point) and every outcome mean's at most P × the outcome's range; replaces -runs")
	block := fs.Int("block", batch.DefaultBlock, "with -precision: runs per block; precision is checked only after whole blocks")
	maxRuns := fs.Int("max-runs", batch.DefaultMaxRuns, "with -precision: stop here even if not precise enough")
	limitFlags(fs, &o.Limits, true)
	pos, help, err := parseCommand(fs, args, stdout, "run [FILE] [flags]\n\nRuns the scenario FILE (default: the embedded flagship, "+scenarios.Flagship+")\nand writes summary.json, runs.csv, timeseries.csv, run.json and charts.")
	if help || err != nil {
		return err
	}
	if len(pos) > 1 {
		return fmt.Errorf("%w: run takes one scenario file, got %d", errUsage, len(pos))
	}
	if len(pos) == 1 {
		o.File = pos[0]
	}
	if o.Runs < 0 || o.Runs > sim.MaxRuns {
		return fmt.Errorf("%w: -runs must be between 1 and %d", errUsage, sim.MaxRuns)
	}
	if o.Workers < 0 {
		return fmt.Errorf("%w: -workers must be >= 0", errUsage)
	}
	if o.Shard, err = shardFlag(*shard); err != nil {
		return err
	}
	if flagSet(fs, "precision") {
		switch {
		case flagSet(fs, "runs"):
			return fmt.Errorf("%w: -precision chooses the number of runs: give -max-runs (and -block), not -runs", errUsage)
		case o.Shard != nil:
			return fmt.Errorf("%w: -precision cannot be combined with -shard: whether another block runs depends on every run so far; find the count with -precision first, then shard -runs N (docs/SCALING.md)", errUsage)
		}
		o.Precision = &batch.PrecisionOptions{Target: *precision, Block: *block, MaxRuns: *maxRuns}
		if err := o.Precision.Check(); err != nil {
			return fmt.Errorf("%w: %v", errUsage, err)
		}
	} else if flagSet(fs, "block") || flagSet(fs, "max-runs") {
		return fmt.Errorf("%w: -block and -max-runs apply only with -precision", errUsage)
	}
	o.NoRows = !*runsCSV
	o.Args = append([]string{"geosim", "run"}, args...)
	return runRun(ctx, o, stdout, stderr)
}

// loadScenario loads a scenario file, or the embedded flagship when file
// is empty. It returns the name to record in provenance.
func loadScenario(file string) (*scenario.File, string, error) {
	if file == "" {
		f, err := scenario.LoadFS(scenarios.FS, scenarios.Flagship)
		return f, scenarios.Flagship + " (embedded)", err
	}
	f, err := scenario.Load(file)
	return f, filepath.ToSlash(file), err
}

func runRun(ctx context.Context, o runOptions, stdout, stderr io.Writer) error {
	f, label, err := loadScenario(o.File)
	if err != nil {
		return err
	}
	total := o.Runs
	if total == 0 {
		total = f.Model.DefaultRuns()
	}
	if o.Shard != nil {
		lo, hi := o.Shard.RangeBy(total, f.Model.Replicates())
		total = hi - lo
	}
	if o.Precision != nil {
		total = -1 // unknown: the bar counts runs without a percentage
	}
	bar := newProgress(stderr, total, o.Quiet)
	rep, err := batch.Run(ctx, f, batch.RunOptions{Label: label, Runs: o.Runs, Seed: o.Seed, Workers: o.Workers,
		Out: o.Out, Shard: o.Shard, NoRows: o.NoRows, Limits: o.Limits, Progress: bar.set, Args: o.Args, Precision: o.Precision})
	bar.finish()
	if err != nil {
		return err
	}
	if o.Quiet {
		return nil
	}
	if rep.Summary == nil {
		fmt.Fprintf(stdout, "%s: shard %s, %d runs, %.1fs → %s\n", f.Model.Name(), o.Shard, rep.Runs, rep.Wall.Seconds(), rep.Dir)
		return nil
	}
	printTable(stdout, rep.Summary, rep.Dir, rep.Wall)
	if p := rep.Summary.Precision; p != nil {
		fmt.Fprintln(stdout)
		fmt.Fprintln(stdout, precisionLine(p))
		if !p.Met {
			fmt.Fprintf(stderr, "geosim: warning: precision %g not reached within %d runs (see the precision section of report.html)\n", float64(p.Target), p.MaxRuns)
		}
	}
	return nil
}

// precisionLine says how precision mode ended.
func precisionLine(p *output.Precision) string {
	var worst output.PrecisionQuantity
	ratio := -1.0
	for _, q := range p.Quantities {
		if r := float64(q.HalfWidth) / float64(q.Tolerance); r > ratio {
			worst, ratio = q, r
		}
	}
	status := "reached"
	if !p.Met {
		status = "NOT reached"
	}
	return fmt.Sprintf("Precision %g %s after %d runs (blocks of %d): widest interval %s (half-width %.3g, tolerance %.3g).",
		float64(p.Target), status, p.Runs, p.Block, worst.Name, float64(worst.HalfWidth), float64(worst.Tolerance))
}

// printTable prints each event's probability with its interval and each
// outcome's median and 90% range.
func printTable(w io.Writer, s *output.Summary, dir string, wall time.Duration) {
	p := s.Provenance
	took := ""
	if wall > 0 {
		took = fmt.Sprintf(", %.1fs", wall.Seconds())
	}
	fmt.Fprintf(w, "%s: %d runs, seed %d%s → %s\n\n", s.Scenario.Name, p.Runs, p.Seed, took, dir)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	if len(s.Events) > 0 {
		fmt.Fprintln(tw, "EVENT\tPROBABILITY\tMONTE CARLO 95%\tACROSS ASSUMPTIONS 10–90%\tWINDOW")
		for _, e := range s.Events {
			spread := "–"
			if sp := e.AssumptionSpread; sp != nil {
				spread = fmt.Sprintf("%.1f%% – %.1f%%", 100*sp.P10, 100*sp.P90)
				if !sp.Resolved {
					spread = "not resolved"
				}
			}
			fmt.Fprintf(tw, "%s\t%5.1f%%\t[%.1f%%, %.1f%%]\t%s\t%s – %s\n", e.Description, 100*e.Probability,
				100*e.Wilson95[0], 100*e.Wilson95[1], spread, e.From[:7], e.By[:7])
		}
		fmt.Fprintln(tw)
	}
	if len(s.Outcomes) > 0 {
		fmt.Fprintln(tw, "OUTCOME\tMEDIAN\t90% RANGE\tUNIT")
		for _, o := range s.Outcomes {
			unit, _, _ := strings.Cut(o.Unit, ",")
			fmt.Fprintf(tw, "%s\t%s\t[%s, %s]\t%s\n", o.Description, num(o.Quantiles.P50), num(o.Quantiles.P5), num(o.Quantiles.P95), unit)
		}
	}
	tw.Flush()
}

func num(f output.Float) string { return fmt.Sprintf("%.3g", float64(f)) }

// shardFlag parses a -shard value; "" means no sharding.
func shardFlag(text string) (*batch.Shard, error) {
	if text == "" {
		return nil, nil
	}
	s, err := batch.ParseShard(text)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", errUsage, err)
	}
	return &s, nil
}
