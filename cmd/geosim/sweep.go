package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"path/filepath"

	"github.com/geosim/geosim/batch"
	"github.com/geosim/geosim/sim/scenario"
)

type sweepOptions struct {
	Shard   *batch.Shard
	File    string
	Out     string
	Workers int
	Quiet   bool
	Limits  batch.Limits
}

func sweepCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("sweep", flag.ContinueOnError)
	var o sweepOptions
	fs.StringVar(&o.Out, "out", "", "output folder (default: out/<experiment name>)")
	fs.IntVar(&o.Workers, "workers", 0, "worker goroutines (default: number of CPUs); results do not depend on it")
	fs.BoolVar(&o.Quiet, "quiet", false, "no progress and no summary")
	shard := fs.String("shard", "", "run only shard K/N of the design points (K from 0) into a shard folder, for geosim merge")
	limitFlags(fs, &o.Limits, true)
	pos, help, err := parseCommand(fs, args, stdout, "sweep EXPERIMENT [flags]\n\nRuns every design point of an experiment file on common random numbers and writes\npoints.csv, each point's summary.json and charts. Interrupted, the same command resumes.")
	if help || err != nil {
		return err
	}
	if len(pos) != 1 {
		return fmt.Errorf("%w: sweep takes one experiment file", errUsage)
	}
	o.File = pos[0]
	if o.Shard, err = shardFlag(*shard); err != nil {
		return err
	}
	return runSweep(ctx, o, stdout, stderr)
}

func runSweep(ctx context.Context, o sweepOptions, stdout, stderr io.Writer) error {
	e, err := scenario.LoadExperiment(o.File)
	if err != nil {
		return err
	}
	out := o.Out
	if out == "" {
		out = filepath.Join("out", e.Name)
		if o.Shard != nil {
			out += fmt.Sprintf(".shard-%d-of-%d", o.Shard.K, o.Shard.N)
		}
	}
	bar := newProgress(stderr, len(e.Points), o.Quiet)
	rep, err := batch.Sweep(ctx, e, batch.SweepOptions{Shard: o.Shard, Out: out, Workers: o.Workers, Limits: o.Limits, Progress: func(done, _ int) { bar.set(done) }})
	bar.finish()
	if rep != nil && rep.Discard != "" {
		fmt.Fprintln(stderr, "geosim: note:", rep.Discard, "(discarded)")
	}
	if err != nil {
		if errors.Is(err, context.Canceled) && o.Shard == nil {
			fmt.Fprintf(stderr, "geosim: sweep interrupted; finished points are kept in %s; run the same command to resume\n", batch.WorkDir(out))
			return errQuiet
		}
		return err
	}
	if !o.Quiet {
		fmt.Fprintf(stdout, "%s: %d points (%s design), %d runs each, seed %d → %s", e.Name, rep.Points, e.Design, e.Runs, e.Seed, out)
		if rep.Resumed > 0 {
			fmt.Fprintf(stdout, " (%d points resumed)", rep.Resumed)
		}
		fmt.Fprintln(stdout)
	}
	return nil
}
