package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strconv"
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
	Force   bool
	Args    []string
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
	fs.BoolVar(&o.Force, "force", false, "replace the output folder even if geosim did not write it (never one holding an input or the current folder)")
	pos, help, err := parseCommand(fs, args, stdout, compareSynopsis)
	if help || err != nil {
		return err
	}
	if len(pos) < 2 {
		return usageError(fs, compareSynopsis, "compare needs at least two scenario files")
	}
	if err := checkCounts(fs, o.Runs, o.Seed); err != nil {
		return err
	}
	o.Files, o.Args = pos, append([]string{"geosim", "compare"}, args...)
	return runCompare(ctx, o, stdout, stderr)
}

const compareSynopsis = "compare A.toml B.toml [C.toml ...] [flags]\n\nRuns the scenarios on common random numbers and reports, per outcome and event, the\ndifference from the first scenario with a paired 95% interval. Scenarios that share a\nname are told apart by their files."

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
		if prev, dup := seen[f.Path]; dup {
			problems = append(problems, fmt.Sprintf("%s is given twice (as %s and %s): compare a scenario with another", path, prev, path))
			continue
		}
		seen[f.Path] = path
		files = append(files, f)
	}
	if len(problems) > 0 {
		return errors.New(strings.Join(problems, "\n"))
	}
	cmp, out, err := batch.Compare(ctx, files, batch.CompareOptions{Out: o.Out, Runs: o.Runs, Seed: o.Seed, Workers: o.Workers, Limits: o.Limits, Force: o.Force, Command: o.Args})
	if err != nil {
		return err
	}
	if !o.Quiet {
		printComparison(stdout, cmp, out)
	}
	return nil
}

// printComparison prints, per compared scenario, each event's
// probability in both scenarios and their difference in percentage
// points, and each outcome's mean in both and their difference, with
// paired and unpaired 95% intervals — with a fixed number of decimals
// (one for percentages and points, two for means).
func printComparison(w io.Writer, c *output.Comparison, out string) {
	fmt.Fprintf(w, "%s runs per scenario on common random numbers, seed %d → %s\n", groupDigits(c.Runs), c.Seed, out)
	for _, warn := range c.Warnings {
		fmt.Fprintln(w, "warning:", warn)
	}
	ref := c.Scenarios[0].Display()
	for k := 1; k < len(c.Scenarios); k++ {
		other := c.Scenarios[k].Display()
		fmt.Fprintf(w, "\n%s (B) against %s (A)\n", other, ref)
		tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
		fmt.Fprintln(tw, "EVENT\t     A\t     B\t    B − A\tPAIRED 95%\tUNPAIRED 95%")
		for _, r := range c.Rows {
			if r.Scenario != k || r.Kind != "event" {
				continue
			}
			pct := func(x output.Float) string { return fmt.Sprintf("%5.1f%%", 100*float64(x)) }
			pp := func(x output.Float) string { return signed(100*float64(x), 1) }
			fmt.Fprintf(tw, "%s\t%s\t%s\t%6s pp\t[%s, %s] pp\t[%s, %s] pp\n", r.Description, pct(r.Reference), pct(r.Value), pp(r.Difference),
				pp(r.Paired95[0]), pp(r.Paired95[1]), pp(r.Unpaired95[0]), pp(r.Unpaired95[1]))
		}
		fmt.Fprintln(tw, "\t\t\t\t\t")
		fmt.Fprintln(tw, "OUTCOME (MEAN)\t     A\t     B\t    B − A\tPAIRED 95%\tUNPAIRED 95%")
		for _, r := range c.Rows {
			if r.Scenario != k || r.Kind != "outcome" {
				continue
			}
			f := func(x output.Float) string { return fmt.Sprintf("%6.2f", float64(x)) }
			d := func(x output.Float) string { return signed(float64(x), 2) }
			fmt.Fprintf(tw, "%s\t%s\t%s\t%9s\t[%s, %s]\t[%s, %s]\n", r.Description, f(r.Reference), f(r.Value), d(r.Difference),
				d(r.Paired95[0]), d(r.Paired95[1]), d(r.Unpaired95[0]), d(r.Unpaired95[1]))
		}
		tw.Flush()
	}
	fmt.Fprintln(w, "\npp: percentage points. Paired intervals use the common random numbers; unpaired ones are what independent runs would give.")
}

// signed writes x with its sign and the given decimals, and 0 without a
// sign when it rounds to zero (never "-0.0").
func signed(x float64, decimals int) string {
	s := strconv.FormatFloat(x, 'f', decimals, 64)
	if strings.Trim(s, "-0.") == "" {
		return strconv.FormatFloat(0, 'f', decimals, 64)
	}
	if x > 0 {
		return "+" + s
	}
	return s
}

// groupDigits writes n with thousands separators.
func groupDigits(n int64) string {
	s := strconv.FormatInt(n, 10)
	var b strings.Builder
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	return b.String()
}
