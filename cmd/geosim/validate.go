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
	files, help, err := parseCommand(fs, args, stdout, "validate FILE...\n\nChecks scenario, backtest and calibration files (TOML) and event-record files (CSV with the header\n"+strings.Join(history.Header, ",")+"), reporting every problem at once.")
	if help || err != nil {
		return err
	}
	if len(files) == 0 {
		return fmt.Errorf("%w: validate needs at least one scenario file", errUsage)
	}
	o := validateOptions{Files: files}
	if o.Cutoff, err = time.Parse(time.DateOnly, *cutoff); err != nil {
		return fmt.Errorf("%w: -cutoff %q is not a date like 2025-08-31", errUsage, *cutoff)
	}
	return runValidate(ctx, o, stdout, stderr)
}

// backtestHeader finds the [backtest] table that makes a TOML file a
// backtest file.
var backtestHeader = regexp.MustCompile(`(?m)^[ \t]*\[backtest\]`)

// calibrationHeader finds the [calibration] table of a calibration file.
var calibrationHeader = regexp.MustCompile(`(?m)^[ \t]*\[calibration\]`)

// runValidate checks each file — an event record when its first line is
// the record header, a calibration file when it has a [calibration]
// table, a backtest file when it has a [backtest] table, a scenario
// otherwise — printing an OK line for a
// valid one and every problem of an invalid one. It fails if any file is
// invalid.
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
		f, err := scenario.Load(file)
		if err != nil {
			bad++
			fmt.Fprintln(stderr, err)
			continue
		}
		m := f.Model
		fmt.Fprintf(stdout, "%s: OK (%s: %d actors, %d months, %d uncertain parameters, %d outcomes, %d events)\n",
			file, m.Name(), len(m.Actors()), m.Steps(), len(m.Uncertain()), len(m.Outcomes()), len(m.Events()))
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
