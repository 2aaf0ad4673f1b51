package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"path/filepath"
	"text/tabwriter"
	"time"

	"github.com/geosim/geosim/batch"
	"github.com/geosim/geosim/sim/abc"
	"github.com/geosim/geosim/sim/scenario"
)

type calibrateOptions struct {
	File     string
	Out      string
	FitTo    time.Time // zero: the file's
	Template string    // "": the backtest's
	Workers  int
	// Particles, Generations and Draws replace the file's particles,
	// generations and predictive_draws when positive.
	Particles, Generations, Draws int
	Quiet                         bool
	Force                         bool
	Args                          []string
}

func calibrateCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("calibrate", flag.ContinueOnError)
	var o calibrateOptions
	fs.StringVar(&o.Out, "out", "", "output folder (default: out/<calibration name>, with -fit-to: out/<name>-to-<date>)")
	fitTo := fs.String("fit-to", "", "end the fitting window at this date (YYYY-MM-DD, the last day of a month) and drop the held-out window: a calibration on the data up to then")
	fs.StringVar(&o.Template, "template", "", "scenario to use as the template instead of the backtest's")
	fs.IntVar(&o.Workers, "workers", 0, "worker goroutines (default: number of CPUs); results do not depend on it")
	fs.IntVar(&o.Particles, "particles", 0, "ABC population size (default: the file's particles)")
	fs.IntVar(&o.Generations, "generations", 0, "most ABC generations after the pilot (default: the file's generations)")
	fs.IntVar(&o.Draws, "draws", 0, "histories of each predictive check (default: the file's predictive_draws)")
	fs.BoolVar(&o.Quiet, "quiet", false, "no progress and no table")
	fs.BoolVar(&o.Force, "force", false, "replace an output folder geosim did not write")
	pos, help, err := parseCommand(fs, args, stdout, "calibrate FILE [flags]\n\nFits a scenario's judgement parameters to the historical record by ABC-SMC: simulated\nhistories against the record's statistics. Writes posterior.csv, summary.json, charts\nand report.html. Interrupted, the same command resumes from the last generation.")
	if help || err != nil {
		return err
	}
	if len(pos) != 1 {
		return fmt.Errorf("%w: calibrate takes one calibration file, got %d", errUsage, len(pos))
	}
	o.File = pos[0]
	if *fitTo != "" {
		if o.FitTo, err = time.Parse(time.DateOnly, *fitTo); err != nil {
			return fmt.Errorf("%w: -fit-to %q: write a date like 2021-12-31", errUsage, *fitTo)
		}
	}
	if o.Workers < 0 {
		return fmt.Errorf("%w: -workers must be >= 0", errUsage)
	}
	for _, f := range []struct {
		name string
		v    int
	}{{"particles", o.Particles}, {"generations", o.Generations}, {"draws", o.Draws}} {
		if f.v < 0 || (f.v == 0 && flagSet(fs, f.name)) {
			return fmt.Errorf("%w: -%s must be at least 1, got %d (leave it out for the file's value)", errUsage, f.name, f.v)
		}
	}
	o.Args = append([]string{"geosim", "calibrate"}, args...)
	return runCalibrate(ctx, o, stdout, stderr)
}

func runCalibrate(ctx context.Context, o calibrateOptions, stdout, stderr io.Writer) error {
	c, err := scenario.LoadCalibration(o.File, scenario.CalibrationOptions{FitTo: o.FitTo, Template: o.Template,
		Particles: o.Particles, Generations: o.Generations, PredictiveDraws: o.Draws})
	if err != nil {
		return err
	}
	out := o.Out
	if out == "" {
		name := c.Spec.Name
		if name == "" {
			name = "calibration"
		}
		if !o.FitTo.IsZero() {
			name += "-to-" + o.FitTo.Format(time.DateOnly)
		}
		out = filepath.Join("out", name)
	}
	bar := newProgress(stderr, c.Spec.Particles, o.Quiet, "accepted particles")
	gen := -1
	rep, err := batch.Calibrate(ctx, c, batch.CalibrateOptions{Out: out, Workers: o.Workers, Args: o.Args, Force: o.Force,
		Progress: func(p abc.Progress) {
			if p.Generation != gen {
				gen = p.Generation
				desc := "generation 0: prior draws"
				if gen > 0 {
					desc = fmt.Sprintf("generation %d: tolerance %.3g", gen, p.Tolerance)
				}
				bar.restart(desc)
			}
			bar.set(p.Accepted)
		},
		Check: func(name string) { bar.restart(name + " check") },
	})
	bar.finish()
	if rep != nil && rep.Discard != "" {
		fmt.Fprintln(stderr, "geosim: note:", rep.Discard, "(discarded)")
	}
	if err != nil {
		if errors.Is(err, context.Canceled) {
			fmt.Fprintf(stderr, "geosim: calibration interrupted; finished generations are kept in %s; run the same command to resume\n", batch.WorkDir(out))
			return errQuiet
		}
		return err
	}
	if o.Quiet {
		return nil
	}
	s := rep.Summary
	fmt.Fprintf(stdout, "%s: fit %s to %s, %d parameters, %d statistics → %s", c.Spec.Name, s.FitFrom, s.FitTo, len(s.Parameters), len(s.Fit.Stats), out)
	if rep.Resumed > 0 {
		fmt.Fprintf(stdout, " (%d generations resumed)", rep.Resumed)
	}
	last := s.ABC.Generations[len(s.ABC.Generations)-1]
	gens := fmt.Sprintf("%d generations", last.Index)
	if last.Index == 1 {
		gens = "1 generation"
	}
	fmt.Fprintf(stdout, "\n%s, final tolerance %.3g, ESS %.0f of %d particles; %d simulated histories (stop: %s)\n\n",
		gens, last.Tolerance, s.ABC.ESS, s.ABC.Particles, s.Simulations, s.ABC.Stop)
	tw := tabwriter.NewWriter(stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "PARAMETER\tPRIOR 90%\tPOSTERIOR MEAN\tPOSTERIOR 90%\tCONTRACTION")
	// Each parameter's values with one number of decimals (its
	// prior's scale), so that a row reads without mixing 0.485 and 1.18.
	for _, p := range s.Parameters {
		fmt.Fprintf(tw, "%s\t[%s, %s]\t%s\t[%s, %s]\t%5.2f\n", p.Name, p.Format(p.PriorInterval90[0]), p.Format(p.PriorInterval90[1]),
			p.Format(p.PosteriorMean), p.Format(p.PosteriorInterval90[0]), p.Format(p.PosteriorInterval90[1]), p.Contraction)
	}
	tw.Flush()
	fmt.Fprintf(stdout, "\nFitting window: %s\n", s.Fit.Describe())
	if s.Holdout != nil {
		fmt.Fprintf(stdout, "Held out (%s to %s): %s\n", s.Holdout.From, s.Holdout.To, s.Holdout.Describe())
	}
	for _, w := range s.Warnings {
		fmt.Fprintln(stderr, "geosim: note:", w)
	}
	return nil
}
