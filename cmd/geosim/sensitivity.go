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
	Shard      *batch.Shard
	File       string
	Method     string
	N          int
	Design     string
	Replicates int
	Seed       int64
	Workers    int
	Out        string
	Quiet      bool
	Limits     batch.Limits
	// Precision and MaxN drive Sobol's precision mode (0: off).
	Precision float64
	MaxN      int
}

func sensitivityCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("sensitivity", flag.ContinueOnError)
	var o sensitivityOptions
	fs.StringVar(&o.Method, "method", "sobol", "sobol, morris or oat")
	fs.IntVar(&o.N, "n", 0, "base samples (sobol, default 4096; the quasi-random design rounds it to replicates × a power of two), trajectories (morris, default 50) or replicates per point (oat, default 1000)")
	fs.StringVar(&o.Design, "design", "", "sobol's sample design: sobol (quasi-random, scrambled Sobol' points; the default) or random (pseudo-random, bootstrap intervals)")
	fs.IntVar(&o.Replicates, "replicates", 0, "independently scrambled replicates of the quasi-random design, whose spread gives the intervals (default 16, at least 2)")
	fs.Int64Var(&o.Seed, "seed", -1, "random seed (default: the scenario's seed)")
	fs.IntVar(&o.Workers, "workers", 0, "worker goroutines (default: number of CPUs)")
	fs.StringVar(&o.Out, "out", "", "output folder (default: out/<scenario>-sensitivity-<method>)")
	fs.BoolVar(&o.Quiet, "quiet", false, "no progress and no summary")
	shard := fs.String("shard", "", "evaluate only shard K/N of the sample rows (K from 0) into a shard folder, for geosim merge")
	fs.Float64Var(&o.Precision, "precision", 0, "sobol: double N (from -n, default 1024) until every total index (ST) has a 95% interval half-width of at most P")
	fs.IntVar(&o.MaxN, "max-n", batch.DefaultPrecisionMaxN, "with -precision: the largest N to try")
	limitFlags(fs, &o.Limits, false)
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
	if o.N < 0 || o.N > maxSensitivityN {
		return fmt.Errorf("%w: -n must be between 1 and %d", errUsage, maxSensitivityN)
	}
	switch {
	case o.Method != "sobol" && (o.Design != "" || o.Replicates != 0):
		return fmt.Errorf("%w: -design and -replicates are for -method sobol", errUsage)
	case o.Design != "" && o.Design != "sobol" && o.Design != "random":
		return fmt.Errorf("%w: unknown -design %q (use sobol or random)", errUsage, o.Design)
	case o.Replicates < 0 || o.Replicates == 1:
		return fmt.Errorf("%w: -replicates must be at least 2", errUsage)
	case o.Design == "random" && o.Replicates != 0:
		return fmt.Errorf("%w: -replicates is for the quasi-random design; the random design's intervals come from the bootstrap", errUsage)
	}
	o.File = pos[0]
	if o.Shard, err = shardFlag(*shard); err != nil {
		return err
	}
	if flagSet(fs, "precision") {
		switch {
		case o.Method != "sobol":
			return fmt.Errorf("%w: -precision applies to -method sobol, whose indices share one scale (0 to 1); Morris's and OAT's effects are in each output's own units: choose -n instead", errUsage)
		case o.Shard != nil:
			return fmt.Errorf("%w: -precision cannot be combined with -shard: whether N doubles depends on every evaluation; find N with -precision first, then shard with -n N", errUsage)
		case !(o.Precision > 0 && o.Precision < 1):
			return fmt.Errorf("%w: -precision must be in (0, 1): a half-width in index units", errUsage)
		case o.MaxN < o.N || (o.N == 0 && o.MaxN < batch.DefaultPrecisionStartN):
			return fmt.Errorf("%w: -max-n must be at least the starting N (-n, default %d)", errUsage, batch.DefaultPrecisionStartN)
		}
	} else if flagSet(fs, "max-n") {
		return fmt.Errorf("%w: -max-n applies only with -precision", errUsage)
	}
	return runSensitivity(ctx, o, stdout, stderr)
}

// maxSensitivityN bounds -n before any estimate (the design's row count
// must not overflow); the memory limit usually binds long before.
const maxSensitivityN = 1 << 30

func runSensitivity(ctx context.Context, o sensitivityOptions, stdout, stderr io.Writer) error {
	f, _, err := loadScenario(o.File)
	if err != nil {
		return err
	}
	var bar *progress
	var barTotal int
	start := time.Now()
	s, out, err := batch.Analyse(ctx, f, batch.SensitivityOptions{Shard: o.Shard, Method: o.Method, N: o.N, Design: o.Design, Replicates: o.Replicates, Seed: o.Seed, Workers: o.Workers, Limits: o.Limits, Out: o.Out,
		Precision: o.Precision, MaxN: o.MaxN,
		Progress: func(done, total int) {
			if bar == nil || total != barTotal { // precision mode starts a new design for each N
				if bar != nil {
					bar.finish()
				}
				bar, barTotal = newProgress(stderr, total, o.Quiet), total
			}
			bar.set(done)
		}})
	if bar != nil {
		bar.finish()
	}
	if err != nil {
		return err
	}
	for _, w := range s.Warnings {
		fmt.Fprintln(stderr, "geosim: warning:", w)
	}
	if o.Quiet {
		return nil
	}
	method := s.Method
	switch s.Design {
	case "sobol":
		method += fmt.Sprintf(" (quasi-random design: %d scrambled Sobol' replicates of %d points)", s.Replicates, s.N/s.Replicates)
	case "random":
		method += " (pseudo-random design)"
	}
	if o.Shard != nil {
		fmt.Fprintf(stdout, "%s: shard %s of the %s, N = %d, %.1fs → %s\n", s.Scenario, o.Shard, method, s.N, time.Since(start).Seconds(), out)
		return nil
	}
	fmt.Fprintf(stdout, "%s: %s, N = %d, %d evaluations, %.1fs → %s\n", s.Scenario, method, s.N, s.Evaluations, time.Since(start).Seconds(), out)
	if p := s.Precision; p != nil {
		last := p.Steps[len(p.Steps)-1]
		status := "reached"
		if !p.Met {
			status = "NOT reached"
		}
		fmt.Fprintf(stdout, "Precision %g %s at N = %d: widest interval half-width %.3f (%s).\n", p.Target, status, last.N, last.Widest, last.Where)
	}
	return nil
}
