package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/geosim/geosim/batch"
	"github.com/geosim/geosim/output"
)

type plotOptions struct {
	Path  string // a results folder, or a summary.json
	Out   string // for a summary.json outside a run folder: the folder to write
	Force bool
	Args  []string
}

func plotCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("plot", flag.ContinueOnError)
	var o plotOptions
	fs.BoolVar(&o.Force, "force", false, "re-render a folder that geosim did not write (or that was changed since)")
	fs.StringVar(&o.Out, "out", "", "with a summary.json: write its charts and report into this new folder instead of beside it")
	pos, help, err := parseCommand(fs, args, stdout, plotSynopsis)
	if help || err != nil {
		return err
	}
	if len(pos) != 1 {
		return usageError(fs, plotSynopsis, "plot takes one results folder or summary.json")
	}
	o.Path, o.Args = pos[0], append([]string{"geosim", "plot"}, args...)
	return runPlot(ctx, o, stdout, stderr)
}

const plotSynopsis = `plot DIR | SUMMARY.json [-out DIR] [-force]

Re-renders the charts and report.html of a results folder — of run, merge,
sweep, compare, sensitivity, score, backtest, discover or calibrate — from
the data it holds, without running anything. Given a summary.json,
re-renders the run or calibration folder it is in, or with -out writes a
run's charts and report into a new folder (a sweep point's summary, a copy
mailed on its own).`

// runPlot re-renders a results folder (batch.Replot), or draws a run's
// charts from a summary.json into a new folder.
func runPlot(ctx context.Context, o plotOptions, stdout, _ io.Writer) error {
	info, err := os.Stat(o.Path)
	if err != nil {
		return err
	}
	dir := o.Path
	if !info.IsDir() {
		if o.Out != "" {
			return plotSummary(ctx, o, stdout)
		}
		dir = filepath.Dir(o.Path)
		if filepath.Base(o.Path) != "summary.json" {
			return fmt.Errorf("%w: %s is not a results folder or a summary.json", errUsage, o.Path)
		}
		if m, err := output.ReadManifest(dir); err != nil || m.Kind != "run" && m.Kind != "calibration" {
			return fmt.Errorf("%w: %s is not the summary of a run folder (it is part of %s): give -out DIR to draw its charts into a new folder", errUsage, o.Path, dir)
		}
	} else if o.Out != "" {
		return fmt.Errorf("%w: -out applies to a summary.json; a folder is re-rendered in place", errUsage)
	}
	rep, err := batch.Replot(ctx, batch.ReplotOptions{Dir: dir, Force: o.Force, Command: o.Args})
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "%s: the charts and report.html of the %s folder re-rendered\n", rep.Dir, rep.Kind)
	return nil
}

// plotSummary writes a new run folder from a summary.json: the summary,
// timeseries.csv, forecasts.csv, the charts and the report.
func plotSummary(ctx context.Context, o plotOptions, stdout io.Writer) error {
	s, err := output.ReadSummary(o.Path)
	if err != nil {
		return err
	}
	err = output.Write(ctx, output.Target{Dir: o.Out, Kind: "run", Command: o.Args, Inputs: []string{o.Path}, Force: o.Force}, func(f *output.Folder) error {
		return batch.WriteRunResults(ctx, f, s)
	})
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "%s: the charts and report.html of %s\n", o.Out, o.Path)
	return nil
}
