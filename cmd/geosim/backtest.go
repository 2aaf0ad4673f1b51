package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"path/filepath"
	"text/tabwriter"

	"github.com/geosim/geosim/backtest"
	"github.com/geosim/geosim/batch"
	"github.com/geosim/geosim/sim/scenario"
)

type backtestOptions struct {
	File     string
	Template string // "": the file's
	Out      string
	Runs     int   // 0: the file's
	Seed     int64 // -1: the file's
	Workers  int
	Quiet    bool
	Shard    *batch.Shard
	Force    bool
	Args     []string
}

func backtestCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("backtest", flag.ContinueOnError)
	var o backtestOptions
	fs.StringVar(&o.Out, "out", "", "output folder (default: out/<backtest name>)")
	fs.IntVar(&o.Runs, "runs", 0, "Monte Carlo runs per origin (default: the file's runs)")
	fs.Int64Var(&o.Seed, "seed", -1, "random seed (default: the file's seed)")
	fs.IntVar(&o.Workers, "workers", 0, "worker goroutines (default: number of CPUs); results do not depend on it")
	fs.BoolVar(&o.Quiet, "quiet", false, "no progress and no table")
	fs.BoolVar(&o.Force, "force", false, "replace the output folder even if geosim did not write it (never one holding an input or the current folder)")
	fs.StringVar(&o.Template, "template", "", "scenario to use as the template instead of the file's (same origins, record and questions: an ablation study)")
	shard := fs.String("shard", "", "run only shard K/N of the origins (K from 0) into a shard folder, for geosim merge")
	pos, help, err := parseCommand(fs, args, stdout, "backtest FILE [flags]\n\nRuns a rolling-origin backtest: the scenario template at every origin with the event\nrecord replayed, question templates resolved from the record, scored against\nclimatology, persistence and 50%. Writes forecasts.csv, scores.json, charts and\nreport.html. Interrupted, the same command resumes.")
	if help || err != nil {
		return err
	}
	if len(pos) != 1 {
		return fmt.Errorf("%w: backtest takes one backtest file, got %d", errUsage, len(pos))
	}
	o.File = pos[0]
	if err := checkCounts(fs, o.Runs, o.Seed); err != nil {
		return err
	}
	if o.Workers < 0 {
		return fmt.Errorf("%w: -workers must be >= 0", errUsage)
	}
	if o.Shard, err = shardFlag(*shard); err != nil {
		return err
	}
	o.Args = append([]string{"geosim", "backtest"}, args...)
	return runBacktest(ctx, o, stdout, stderr)
}

func runBacktest(ctx context.Context, o backtestOptions, stdout, stderr io.Writer) error {
	b, err := scenario.LoadBacktestWith(o.File, scenario.BacktestOptions{Template: o.Template})
	if err != nil {
		return err
	}
	out := o.Out
	if out == "" {
		out = filepath.Join("out", b.Spec.Name)
		if o.Template != "" {
			out += "-" + b.Template.Model.Name()
		}
		if o.Shard != nil {
			out += fmt.Sprintf(".shard-%d-of-%d", o.Shard.K, o.Shard.N)
		}
	}
	bar := newProgress(stderr, len(b.Plan.Origins), o.Quiet, "origins")
	rep, err := batch.Backtest(ctx, b, batch.BacktestOptions{Shard: o.Shard, Out: out, Runs: o.Runs, Seed: o.Seed, Workers: o.Workers,
		Progress: func(done, _ int) { bar.set(done) }, Args: o.Args, Force: o.Force})
	bar.finish()
	if rep != nil && rep.Discard != "" {
		fmt.Fprintln(stderr, "geosim: note:", rep.Discard, "(discarded)")
	}
	if err != nil {
		if errors.Is(err, context.Canceled) && o.Shard == nil {
			fmt.Fprintf(stderr, "geosim: backtest interrupted; finished origins are kept in %s; run the same command to resume\n", batch.WorkDir(out))
			return errQuiet
		}
		return err
	}
	if o.Quiet {
		return nil
	}
	if o.Shard != nil {
		fmt.Fprintf(stdout, "%s: shard %s, %d origins, %d runs each, seed %d → %s\n", b.Spec.Name, o.Shard, rep.Origins, rep.Runs, rep.Seed, out)
		return nil
	}
	fmt.Fprintf(stdout, "%s: %d origins, %d runs each, seed %d → %s", b.Spec.Name, rep.Origins, rep.Runs, rep.Seed, out)
	if rep.Resumed > 0 {
		fmt.Fprintf(stdout, " (%d origins resumed)", rep.Resumed)
	}
	fmt.Fprintf(stdout, "\n%d questions resolved, %d not asked (they resolve after the cut-off)\n\n", rep.Questions, rep.Dropped)
	printBacktest(stdout, b.Spec, rep.Groups)
	return nil
}

// printBacktest prints, for all questions, each horizon and each
// template at each horizon, the Brier scores and the model's skill
// against each benchmark with its 90% interval.
func printBacktest(w io.Writer, spec *backtest.Spec, groups []backtest.Group) {
	label := func(g backtest.Group) string {
		switch {
		case g.Template != "":
			return fmt.Sprintf("%s %dm", g.Template, g.Horizon)
		case g.Horizon > 0:
			return fmt.Sprintf("within %d months", g.Horizon)
		}
		return "all"
	}
	width := 0
	for _, g := range groups {
		width = max(width, len(label(g)))
	}
	// Right-aligned numbers; the labels, padded to one width, stay left.
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(tw, "%-*s\tN\tYES\tBRIER MODEL\tCLIM\tPERS\t50%%\tSKILL VS CLIM (90%%)\tVS PERS\tVS 50%%\t\n", width, "QUESTIONS")
	for _, g := range groups {
		if g.Template != "" && g.Horizon == 0 {
			continue
		}
		m := g.Scores[backtest.Model]
		fmt.Fprintf(tw, "%-*s\t%d\t%d\t%.3f\t%.3f\t%.3f\t%.3f\t", width, label(g), g.N, g.Yes, m.Brier,
			g.Scores[backtest.Climatology].Brier, g.Scores[backtest.Persistence].Brier, g.Scores[backtest.Half].Brier)
		for _, s := range m.Skill {
			fmt.Fprintf(tw, "%s\t", skillString(s))
		}
		fmt.Fprintln(tw)
	}
	tw.Flush()
	fmt.Fprintf(w, "\nSkill = 1 − Brier(model)/Brier(benchmark); intervals: %.0f%% block bootstrap over origins.\n", 100*backtest.SkillLevel)
}

func skillString(s backtest.Skill) string {
	f := func(v float64) string {
		if math.IsInf(v, -1) {
			return "-inf"
		}
		return fmt.Sprintf("%+.2f", v)
	}
	if math.IsNaN(s.Value) {
		return "—"
	}
	return fmt.Sprintf("%s [%s, %s]", f(s.Value), f(s.Lo), f(s.Hi))
}
