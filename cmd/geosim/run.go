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
	Force   bool
	Args    []string // the command line, for run.json and the folder's manifest
}

func runCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("run", flag.ContinueOnError)
	var o runOptions
	fs.IntVar(&o.Runs, "runs", 0, "number of Monte Carlo runs (default: the scenario's runs)")
	fs.Int64Var(&o.Seed, "seed", -1, "random seed (default: the scenario's seed)")
	fs.IntVar(&o.Workers, "workers", 0, "worker goroutines (default: number of CPUs); results do not depend on it")
	fs.StringVar(&o.Out, "out", "", "output folder (default: out/<scenario name>)")
	fs.BoolVar(&o.Quiet, "quiet", false, "no progress bar and no summary table")
	fs.BoolVar(&o.Force, "force", false, "replace the output folder even if geosim did not write it (never one holding an input or the current folder)")
	runsCSV := fs.Bool("runs-csv", true, "write runs.csv, one row per run (false for studies too large for per-run data)")
	shard := fs.String("shard", "", "run only shard K/N of the run indices (K from 0) into a shard folder, for geosim merge")
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
		lo, hi := o.Shard.Range(total)
		total = hi - lo
	}
	bar := newProgress(stderr, total, o.Quiet)
	rep, err := batch.Run(ctx, f, batch.RunOptions{Label: label, Runs: o.Runs, Seed: o.Seed, Workers: o.Workers,
		Out: o.Out, Shard: o.Shard, NoRows: o.NoRows, Progress: bar.set, Args: o.Args, Force: o.Force})
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
	return nil
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
		fmt.Fprintln(tw, "EVENT\tPROBABILITY\t95% INTERVAL\tWINDOW")
		for _, e := range s.Events {
			fmt.Fprintf(tw, "%s\t%5.1f%%\t[%.1f%%, %.1f%%]\t%s – %s\n", e.Description, 100*e.Probability,
				100*e.Wilson95[0], 100*e.Wilson95[1], e.From[:7], e.By[:7])
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
