package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/geosim/geosim/batch"
	"github.com/geosim/geosim/output"
	"github.com/geosim/geosim/sim/scenario"
)

type compareOptions struct {
	Files   []string
	Runs    int
	Seed    int64
	Workers int
	Out     string
	Quiet   bool
	Limits  batch.Limits
}

func compareCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("compare", flag.ContinueOnError)
	var o compareOptions
	fs.IntVar(&o.Runs, "runs", 0, "runs per scenario (default: the first scenario's runs)")
	fs.Int64Var(&o.Seed, "seed", -1, "random seed (default: the first scenario's seed)")
	fs.IntVar(&o.Workers, "workers", 0, "worker goroutines (default: number of CPUs)")
	fs.StringVar(&o.Out, "out", "", "output folder (default: out/compare-A-vs-B)")
	fs.BoolVar(&o.Quiet, "quiet", false, "no summary table")
	limitFlags(fs, &o.Limits, false)
	pos, help, err := parseCommand(fs, args, stdout, "compare A.toml B.toml [C.toml ...] [flags]\n\nRuns the scenarios on common random numbers and reports, per outcome and event, the\ndifference from the first scenario with a paired 95% interval.")
	if help || err != nil {
		return err
	}
	if len(pos) < 2 {
		return fmt.Errorf("%w: compare needs at least two scenario files", errUsage)
	}
	o.Files = pos
	return runCompare(ctx, o, stdout, stderr)
}

func runCompare(ctx context.Context, o compareOptions, stdout, _ io.Writer) error {
	var files []*scenario.File
	var problems []string
	seen := map[string]string{}
	for _, path := range o.Files {
		f, err := scenario.Load(path)
		if err != nil {
			problems = append(problems, err.Error())
			continue
		}
		if prev, dup := seen[f.Model.Name()]; dup {
			problems = append(problems, fmt.Sprintf("%s and %s are both named %q: scenarios compared must have different names", prev, path, f.Model.Name()))
			continue
		}
		seen[f.Model.Name()] = path
		files = append(files, f)
	}
	if len(problems) > 0 {
		return errors.New(strings.Join(problems, "\n"))
	}
	cmp, out, err := batch.Compare(ctx, files, batch.CompareOptions{Out: o.Out, Runs: o.Runs, Seed: o.Seed, Workers: o.Workers, Limits: o.Limits})
	if err != nil {
		return err
	}
	if !o.Quiet {
		printComparison(stdout, cmp, out)
	}
	return nil
}

func printComparison(w io.Writer, c *output.Comparison, out string) {
	fmt.Fprintf(w, "%d runs per scenario on common random numbers, seed %d → %s\n", c.Runs, c.Seed, out)
	for k := 1; k < len(c.Scenarios); k++ {
		fmt.Fprintf(w, "\n%s minus %s\n", c.Scenarios[k].Name, c.Scenarios[0].Name)
		tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
		fmt.Fprintln(tw, "\tREFERENCE\tVALUE\tDIFFERENCE\tPAIRED 95%\tUNPAIRED 95%")
		for _, r := range c.Rows {
			if r.Scenario != k {
				continue
			}
			scale, unit := 1.0, ""
			if r.Kind == "event" {
				scale, unit = 100, "%"
			}
			f := func(x output.Float) string { return fmt.Sprintf("%.3g%s", scale*float64(x), unit) }
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t[%s, %s]\t[%s, %s]\n", r.Description, f(r.Reference), f(r.Value), f(r.Difference),
				f(r.Paired95[0]), f(r.Paired95[1]), f(r.Unpaired95[0]), f(r.Unpaired95[1]))
		}
		tw.Flush()
	}
}
