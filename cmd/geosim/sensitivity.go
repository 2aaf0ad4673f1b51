package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"time"

	"github.com/geosim/geosim/batch"
)

type sensitivityOptions struct {
	Shard   *batch.Shard
	File    string
	Method  string
	N       int
	Seed    int64
	Workers int
	Out     string
	Quiet   bool
	Force   bool
	Args    []string
}

func sensitivityCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("sensitivity", flag.ContinueOnError)
	var o sensitivityOptions
	fs.StringVar(&o.Method, "method", "sobol", "sobol, morris or oat")
	fs.IntVar(&o.N, "n", 0, "base samples (sobol, default 4096), trajectories (morris, default 50) or replicates per point (oat, default 1000)")
	fs.Int64Var(&o.Seed, "seed", -1, "random seed (default: the scenario's seed)")
	fs.IntVar(&o.Workers, "workers", 0, "worker goroutines (default: number of CPUs)")
	fs.StringVar(&o.Out, "out", "", "output folder (default: out/<scenario>-sensitivity-<method>)")
	fs.BoolVar(&o.Quiet, "quiet", false, "no progress and no summary")
	fs.BoolVar(&o.Force, "force", false, "replace the output folder even if geosim did not write it (never one holding an input or the current folder)")
	shard := fs.String("shard", "", "evaluate only shard K/N of the sample rows (K from 0) into a shard folder, for geosim merge")
	pos, help, err := parseCommand(fs, args, stdout, "sensitivity FILE [flags]\n\nRanks the scenario's uncertain parameters (those given as distributions) by their\neffect on every outcome and event.")
	if help || err != nil {
		return err
	}
	if len(pos) != 1 {
		return fmt.Errorf("%w: sensitivity takes one scenario file", errUsage)
	}
	switch o.Method {
	case "sobol", "morris", "oat":
	default:
		return fmt.Errorf("%w: unknown -method %q (use sobol, morris or oat)", errUsage, o.Method)
	}
	if o.N < 0 {
		return fmt.Errorf("%w: -n must be positive", errUsage)
	}
	o.File, o.Args = pos[0], append([]string{"geosim", "sensitivity"}, args...)
	if o.Shard, err = shardFlag(*shard); err != nil {
		return err
	}
	return runSensitivity(ctx, o, stdout, stderr)
}

func runSensitivity(ctx context.Context, o sensitivityOptions, stdout, stderr io.Writer) error {
	f, _, err := loadScenario(o.File)
	if err != nil {
		return err
	}
	var bar *progress
	start := time.Now()
	s, out, err := batch.Analyse(ctx, f, batch.SensitivityOptions{Shard: o.Shard, Method: o.Method, N: o.N, Seed: o.Seed, Workers: o.Workers, Out: o.Out,
		Force: o.Force, Command: o.Args, Progress: func(done, total int) {
			if bar == nil {
				bar = newProgress(stderr, total, o.Quiet)
			}
			bar.set(done)
		}})
	if bar != nil {
		bar.finish()
	}
	if err != nil {
		return err
	}
	if s == nil { // a shard
		if !o.Quiet {
			fmt.Fprintf(stdout, "%s: shard %s of the %s design, %.1fs → %s\n", f.Model.Name(), o.Shard, o.Method, time.Since(start).Seconds(), out)
		}
		return nil
	}
	for _, w := range s.Warnings {
		fmt.Fprintln(stderr, "geosim: warning:", w)
	}
	if !o.Quiet {
		fmt.Fprintf(stdout, "%s: %s, N = %d, %d evaluations, %.1fs → %s\n", s.Scenario, s.Method, s.N, s.Evaluations, time.Since(start).Seconds(), out)
	}
	return nil
}
