package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/geosim/geosim/batch"
	"github.com/geosim/geosim/discover"
)

type discoverOptions struct {
	Source     string // a run folder, its runs.csv, or a scenario file
	Condition  string
	Points     int
	Replicates int
	Seed       int64
	Workers    int
	Out        string
	Quiet      bool
	Force      bool
	Config     discover.Config
	Args       []string // the command line, for the folder's manifest
}

func discoverCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("discover", flag.ContinueOnError)
	var o discoverOptions
	fs.StringVar(&o.Condition, "condition", "", "what to look for: an event name (kim_trump_summit) or an outcome compared with a number (\"dprk_rus_end < 4\"; < <= > >=)")
	fs.IntVar(&o.Points, "points", 0, "scenario file: parameter points to run (default 2000)")
	fs.IntVar(&o.Replicates, "replicates", 0, "scenario file: runs per parameter point, each with its own random streams (default 10)")
	fs.Int64Var(&o.Seed, "seed", -1, "scenario file: seed of the runs (default: the scenario's)")
	fs.IntVar(&o.Workers, "workers", 0, "worker goroutines (default: number of CPUs); results do not depend on it")
	fs.StringVar(&o.Out, "out", "", "output folder (default: <run folder>-discover-<condition>, or out/<scenario>-discover-<condition>)")
	fs.BoolVar(&o.Quiet, "quiet", false, "no progress and no summary")
	fs.BoolVar(&o.Force, "force", false, "replace the output folder even if geosim did not write it (never one holding an input or the current folder)")
	fs.Float64Var(&o.Config.Prim.PeelAlpha, "peel-alpha", 0.05, "share of a box's points each peel removes")
	fs.Float64Var(&o.Config.Prim.PasteAlpha, "paste-alpha", 0.05, "share of a box's points each paste adds")
	fs.Float64Var(&o.Config.Prim.MassMin, "mass-min", 0.05, "smallest share of the points a box may hold")
	fs.IntVar(&o.Config.Prim.MaxDims, "max-dims", 3, "most parameters a box may restrict (0: no limit)")
	fs.StringVar(&o.Config.Prim.Rule, "rule", "phi", "box choice rule on the peeling trajectory: phi (most correlated with the condition) or density (densest above -min-coverage)")
	fs.Float64Var(&o.Config.Prim.MinCoverage, "min-coverage", 0, "only boxes holding at least this share of the cases are eligible (default: none for phi, 0.5 for density)")
	fs.IntVar(&o.Config.MaxBoxes, "boxes", 3, "most boxes PRIM's covering finds")
	fs.IntVar(&o.Config.Permutations, "permutations", 99, "permutations for each box's significance test (0: none)")
	fs.IntVar(&o.Config.Bootstrap, "bootstrap", 50, "bootstrap resamples for each box's stability (0: none)")
	fs.IntVar(&o.Config.CART.MaxDepth, "cart-depth", 3, "CART's largest depth before pruning")
	discoverSeed := fs.Uint64("discover-seed", 0, "seed of the permutations, resamples and CART folds (default: the runs' seed)")
	pos, help, err := parseCommand(fs, args, stdout, "discover DIR|FILE -condition COND [flags]\n\nFinds the ranges of the uncertain parameters where a condition is frequent (PRIM, with CART\nfor comparison), from a run folder's runs.csv (DIR, one run per point) or by running the\nscenario FILE (.toml) with -replicates runs per parameter point. See docs/DISCOVERY.md.")
	if help || err != nil {
		return err
	}
	if len(pos) != 1 {
		return fmt.Errorf("%w: discover takes one run folder or scenario file, got %d", errUsage, len(pos))
	}
	o.Source = pos[0]
	var probs []string
	if strings.TrimSpace(o.Condition) == "" {
		probs = append(probs, "-condition is required (an event name, or e.g. \"dprk_rus_end < 4\")")
	}
	check := func(ok bool, msg string) {
		if !ok {
			probs = append(probs, msg)
		}
	}
	check(o.Points >= 0, "-points must be >= 2")
	check(o.Replicates >= 0, "-replicates must be >= 1")
	check(o.Workers >= 0, "-workers must be >= 0")
	check(o.Config.Prim.PeelAlpha > 0 && o.Config.Prim.PeelAlpha < 0.5, "-peel-alpha must be in (0, 0.5)")
	check(o.Config.Prim.PasteAlpha > 0 && o.Config.Prim.PasteAlpha < 0.5, "-paste-alpha must be in (0, 0.5)")
	check(o.Config.Prim.MassMin > 0 && o.Config.Prim.MassMin < 1, "-mass-min must be in (0, 1)")
	check(o.Config.Prim.MaxDims >= 0, "-max-dims must be >= 0")
	check(slices.Contains(discover.Rules, o.Config.Prim.Rule), "-rule must be phi or density")
	check(o.Config.Prim.MinCoverage >= 0 && o.Config.Prim.MinCoverage < 1, "-min-coverage must be in [0, 1)")
	check(o.Config.MaxBoxes >= 1, "-boxes must be >= 1")
	check(o.Config.Permutations >= 0, "-permutations must be >= 0")
	check(o.Config.Bootstrap >= 0, "-bootstrap must be >= 0")
	check(o.Config.CART.MaxDepth >= 1 && o.Config.CART.MaxDepth <= 10, "-cart-depth must be between 1 and 10")
	isScenario := strings.HasSuffix(strings.ToLower(o.Source), ".toml")
	if !isScenario {
		for _, name := range []string{"points", "replicates", "seed"} {
			if flagSet(fs, name) {
				probs = append(probs, "-"+name+" applies to a scenario file (.toml), not to a run folder, which has one run per point")
			}
		}
	}
	if len(probs) > 0 {
		return fmt.Errorf("%w: discover: %s", errUsage, strings.Join(probs, "; "))
	}
	// The library's zero values mean "default" and negative ones "none".
	if o.Config.Prim.MaxDims == 0 {
		o.Config.Prim.MaxDims = -1
	}
	if o.Config.Permutations == 0 {
		o.Config.Permutations = -1
	}
	if o.Config.Bootstrap == 0 {
		o.Config.Bootstrap = -1
	}
	o.Config.Seed = *discoverSeed
	o.Args = append([]string{"geosim", "discover"}, args...)
	return runDiscover(ctx, o, stdout, stderr)
}

func runDiscover(ctx context.Context, o discoverOptions, stdout, stderr io.Writer) error {
	var bar *progress
	opts := batch.DiscoverOptions{Condition: o.Condition, Points: o.Points, Replicates: o.Replicates, Seed: o.Seed, Workers: o.Workers, Out: o.Out, Config: o.Config,
		Force: o.Force, Command: o.Args,
		Progress: func(done, total int) {
			if bar == nil {
				bar = newProgress(stderr, total, o.Quiet, "runs")
			}
			bar.set(done)
		}}
	start := time.Now()
	var rep *batch.DiscoverReport
	var err error
	if strings.HasSuffix(strings.ToLower(o.Source), ".toml") {
		f, label, lerr := loadScenario(o.Source)
		if lerr != nil {
			return lerr
		}
		rep, err = batch.DiscoverScenario(ctx, f, label, opts)
	} else {
		if _, serr := os.Stat(o.Source); serr != nil {
			return fmt.Errorf("%s: %w", o.Source, serr)
		}
		rep, err = batch.DiscoverFolder(ctx, o.Source, opts)
	}
	if bar != nil {
		bar.finish()
	}
	if err != nil {
		return err
	}
	r := rep.Report
	for _, w := range r.Warnings {
		fmt.Fprintln(stderr, "geosim: warning:", w)
	}
	if o.Quiet {
		return nil
	}
	each := "1 run each"
	if r.Replicates > 1 {
		each = fmt.Sprintf("%d runs each", r.Replicates)
	}
	fmt.Fprintf(stdout, "%s: %s — %s of %s runs overall (95%% interval %s to %s); %s parameter points, %s; %.1fs → %s\n\n", r.Scenario, r.Condition,
		pct1(float64(r.Rate.Value)), groupDigits(r.Rate.Runs), pct1(float64(r.Rate.Lo95)), pct1(float64(r.Rate.Hi95)),
		groupDigits(int64(r.Points)), each, time.Since(start).Seconds(), rep.Dir)
	for _, b := range r.Boxes {
		sig := ""
		if b.Permutation != nil {
			sig = fmt.Sprintf(" [permutation p = %.2f]", b.Permutation.P)
		}
		fmt.Fprintf(stdout, "Box %d: %s%s\n", b.Box, b.Sentence, sig)
	}
	switch {
	case len(r.CART.Leaves) == 1:
		fmt.Fprintln(stdout, "CART: the cross-validated tree makes no split.")
	case len(r.CART.Leaves) > 1:
		fmt.Fprintf(stdout, "CART's densest leaf: %s\n", r.CART.Leaves[0].Sentence)
	}
	return nil
}

// pct1 formats a share as a percentage with one decimal, or two
// significant digits below 0.1%.
func pct1(p float64) string {
	if p < 1e-12 {
		p = 0 // a Wilson bound of 0 successes, up to rounding
	}
	if p > 0 && p < 0.001 {
		return fmt.Sprintf("%.2g%%", 100*p)
	}
	return fmt.Sprintf("%.1f%%", 100*p)
}
