package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"regexp"
	"sort"
	"strings"
	"time"

	"github.com/geosim/geosim/history"
	"github.com/geosim/geosim/sim/scenario"
)

type validateOptions struct {
	Files  []string
	Cutoff time.Time // last date a record file may hold
}

func validateCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("validate", flag.ContinueOnError)
	cutoff := fs.String("cutoff", history.DefaultCutoff.Format(time.DateOnly), "record files: the last date an event may have (YYYY-MM-DD)")
	files, help, err := parseCommand(fs, args, stdout, "validate FILE...\n\nChecks scenario, experiment, backtest, calibration and resolutions files (TOML) and event-record\nfiles (CSV with the header "+strings.Join(history.Header, ",")+"),\nrecognised by their content, reporting every problem at once.")
	if help || err != nil {
		return err
	}
	if len(files) == 0 {
		return fmt.Errorf("%w: validate needs at least one file", errUsage)
	}
	o := validateOptions{Files: files}
	if o.Cutoff, err = time.Parse(time.DateOnly, *cutoff); err != nil {
		return fmt.Errorf("%w: -cutoff %q is not a date like 2025-08-31", errUsage, *cutoff)
	}
	return runValidate(ctx, o, stdout, stderr)
}

// The tables that tell TOML files apart by content: [backtest] makes a
// backtest file, [experiment] an experiment, [resolution.ID] tables a
// resolutions file; anything else is taken for a scenario.
var (
	backtestHeader   = regexp.MustCompile(`(?m)^[ \t]*\[backtest\]`)
	experimentHeader = regexp.MustCompile(`(?m)^[ \t]*\[experiment\]`)
	resolutionHeader = regexp.MustCompile(`(?m)^[ \t]*\[resolution\.`)
)

// calibrationHeader finds the [calibration] table of a calibration file.
var calibrationHeader = regexp.MustCompile(`(?m)^[ \t]*\[calibration\]`)

// runValidate checks each file, recognised by its content — an event
// record when its first line is the record header, a calibration file
// when it has a [calibration] table, a backtest file when it has a
// [backtest] table, an experiment when it has [experiment], a
// resolutions file when it has [resolution.ID] tables, a scenario
// otherwise — printing an OK line for a valid one and every problem of an
// invalid one. It fails if any file is invalid.
func runValidate(_ context.Context, opts validateOptions, stdout, stderr io.Writer) error {
	bad := 0
	for _, file := range opts.Files {
		if data, err := os.ReadFile(file); err == nil && history.IsRecord(data) {
			r, err := history.Parse(file, data, history.Options{Cutoff: opts.Cutoff})
			if err != nil {
				bad++
				fmt.Fprintln(stderr, err)
				continue
			}
			fmt.Fprintf(stdout, "%s: OK (event record: %s)\n", file, recordSummary(r))
			continue
		}
		if data, err := os.ReadFile(file); err == nil && calibrationHeader.Match(data) {
			c, err := scenario.LoadCalibration(file, scenario.CalibrationOptions{})
			if err != nil {
				bad++
				fmt.Fprintln(stderr, err)
				continue
			}
			p := c.Plan
			fmt.Fprintf(stdout, "%s: OK (calibration %s: %d parameters, %d statistics over %s to %s", file, c.Spec.Name, len(p.Params), len(p.Fit.Stats), p.Fit.From, p.Fit.To)
			if p.Holdout != nil {
				fmt.Fprintf(stdout, ", %d held out over %s to %s", len(p.Holdout.Stats), p.Holdout.From, p.Holdout.To)
			}
			fmt.Fprintln(stdout, ")")
			continue
		}
		if data, err := os.ReadFile(file); err == nil && backtestHeader.Match(data) {
			b, err := scenario.LoadBacktest(file)
			if err != nil {
				bad++
				fmt.Fprintln(stderr, err)
				continue
			}
			n := 0
			for _, o := range b.Plan.Origins {
				n += len(o.Questions)
			}
			fmt.Fprintf(stdout, "%s: OK (backtest %s: %d origins, horizons %v months, %d question templates, %d questions to resolve, %d record events)\n",
				file, b.Spec.Name, len(b.Plan.Origins), b.Spec.Horizons, len(b.Spec.Templates), n, len(b.Spec.Record.Events))
			continue
		}
		if data, err := os.ReadFile(file); err == nil && experimentHeader.Match(data) {
			e, err := scenario.LoadExperiment(file)
			if err != nil {
				bad++
				fmt.Fprintln(stderr, err)
				continue
			}
			fmt.Fprintf(stdout, "%s: OK (experiment %s: %s design, %s, %s, %s each, on %s)\n",
				file, e.Name, e.Design, plural(len(e.Factors), "factor"), plural(len(e.Points), "point"), plural(e.Runs, "run"), e.Base.Model.Name())
			continue
		}
		if data, err := os.ReadFile(file); err == nil && resolutionHeader.Match(data) && !backtestHeader.Match(data) {
			res, err := scenario.LoadResolutions(file)
			if err != nil {
				bad++
				fmt.Fprintln(stderr, err)
				continue
			}
			yes := 0
			for _, r := range res {
				if r.Outcome {
					yes++
				}
			}
			fmt.Fprintf(stdout, "%s: OK (resolutions: %s, %d resolved yes)\n", file, plural(len(res), "question"), yes)
			continue
		}
		f, err := scenario.Load(file)
		if err != nil {
			bad++
			fmt.Fprintln(stderr, err)
			continue
		}
		m := f.Model
		fmt.Fprintf(stdout, "%s: OK (%s: %s, %s, %s, %s, %s)\n", file, m.Name(), plural(len(m.Actors()), "actor"), plural(m.Steps(), "month"),
			plural(len(m.Uncertain()), "uncertain parameter"), plural(len(m.Outcomes()), "outcome"), plural(len(m.Events()), "event"))
	}
	if bad > 0 {
		fmt.Fprintf(stderr, "%d of %d files invalid\n", bad, len(opts.Files))
		return errQuiet
	}
	return nil
}

// recordSummary says how many events of each type a record holds and
// the months they span.
func recordSummary(r *history.Record) string {
	if len(r.Events) == 0 {
		return "no events"
	}
	counts := r.CountByType()
	types := make([]string, 0, len(counts))
	for t := range counts {
		types = append(types, t)
	}
	sort.Strings(types)
	parts := make([]string, len(types))
	for i, t := range types {
		parts[i] = fmt.Sprintf("%d %s", counts[t], t)
	}
	first, last := r.Span()
	return fmt.Sprintf("%d events, %s to %s: %s", len(r.Events), first, last, strings.Join(parts, ", "))
}

// plural writes a count with its noun: "1 outcome", "9 outcomes".
func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}
