package main

import (
	"context"
	"flag"
	"fmt"
	"io"

	"path/filepath"

	"github.com/geosim/geosim/output"
	"github.com/geosim/geosim/plots"
)

type plotOptions struct {
	Dir string
}

func plotCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("plot", flag.ContinueOnError)
	pos, help, err := parseCommand(fs, args, stdout, "plot DIR\n\nRe-renders the charts and report.html of a results folder from its summary.json.")
	if help || err != nil {
		return err
	}
	if len(pos) != 1 {
		return fmt.Errorf("%w: plot takes one results folder", errUsage)
	}
	return runPlot(ctx, plotOptions{Dir: pos[0]}, stdout, stderr)
}

func runPlot(_ context.Context, o plotOptions, stdout, _ io.Writer) error {
	s, err := output.ReadSummary(filepath.Join(o.Dir, "summary.json"))
	if err != nil {
		return err
	}
	if err := plots.WriteReport(output.Dir(o.Dir), s); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "%s: %d charts and report.html re-rendered\n", o.Dir, len(plots.Charts(s)))
	return nil
}
