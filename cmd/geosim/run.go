package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/geosim/geosim/output"
	"github.com/geosim/geosim/plots"
	"github.com/geosim/geosim/scenarios"
	"github.com/geosim/geosim/sim"
	"github.com/geosim/geosim/sim/scenario"
)

type runOptions struct {
	File    string // empty: the embedded flagship
	Runs    int    // 0: the scenario's
	Seed    int64  // -1: the scenario's
	Workers int    // 0: GOMAXPROCS
	Out     string // empty: out/<scenario name>
	Quiet   bool
	Args    []string // the command line, for run.json
}

func runCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("run", flag.ContinueOnError)
	var o runOptions
	fs.IntVar(&o.Runs, "runs", 0, "number of Monte Carlo runs (default: the scenario's runs)")
	fs.Int64Var(&o.Seed, "seed", -1, "random seed (default: the scenario's seed)")
	fs.IntVar(&o.Workers, "workers", 0, "worker goroutines (default: number of CPUs); results do not depend on it")
	fs.StringVar(&o.Out, "out", "", "output folder (default: out/<scenario name>)")
	fs.BoolVar(&o.Quiet, "quiet", false, "no progress bar and no summary table")
	pos, err := parseFlags(fs, args)
	if errors.Is(err, flag.ErrHelp) {
		flagHelp(stdout, fs, "run [FILE] [flags]\n\nRuns the scenario FILE (default: the embedded flagship, "+scenarios.Flagship+")\nand writes summary.json, runs.csv, timeseries.csv, run.json and charts.")
		return nil
	}
	if err != nil {
		return err
	}
	if len(pos) > 1 {
		return fmt.Errorf("%w: run takes one scenario file, got %d", errUsage, len(pos))
	}
	if len(pos) == 1 {
		o.File = pos[0]
	}
	if o.Runs < 0 || o.Runs > sim.MaxRuns {
		return fmt.Errorf("%w: -runs must be between 1 and %d", errUsage, sim.MaxRuns)
	}
	if o.Workers < 0 {
		return fmt.Errorf("%w: -workers must be >= 0", errUsage)
	}
	o.Args = append([]string{"geosim", "run"}, args...)
	return runRun(ctx, o, stdout, stderr)
}

// loadScenario loads a scenario file, or the embedded flagship when file
// is empty. It returns the name to record in provenance.
func loadScenario(file string) (*scenario.File, string, error) {
	if file == "" {
		f, err := scenario.LoadFS(scenarios.FS, scenarios.Flagship)
		return f, scenarios.Flagship + " (embedded)", err
	}
	f, err := scenario.Load(file)
	return f, filepath.ToSlash(file), err
}

func runRun(ctx context.Context, o runOptions, stdout, stderr io.Writer) error {
	f, label, err := loadScenario(o.File)
	if err != nil {
		return err
	}
	m := f.Model
	runs, seed := o.Runs, m.DefaultSeed()
	if runs == 0 {
		runs = m.DefaultRuns()
	}
	if o.Seed >= 0 {
		seed = uint64(o.Seed)
	}
	out := o.Out
	if out == "" {
		out = filepath.Join("out", m.Name())
	}
	workers := o.Workers
	if workers == 0 {
		workers = runtime.GOMAXPROCS(0)
	}

	folder, err := output.Create(out)
	if err != nil {
		return err
	}
	committed := false
	defer func() {
		if !committed {
			folder.Abort()
		}
	}()
	csvFile, err := os.Create(folder.Path("runs.csv"))
	if err != nil {
		return err
	}
	defer csvFile.Close()
	rows := bufio.NewWriterSize(csvFile, 1<<20)
	if err := output.WriteHeader(rows, m.Header()); err != nil {
		return err
	}

	bar := newProgress(stderr, runs, o.Quiet)
	start := time.Now()
	res, err := sim.Run(ctx, m, sim.Config{Runs: runs, Seed: seed, Workers: workers, Rows: rows, Progress: bar.set})
	bar.finish()
	if err != nil {
		return err
	}
	end := time.Now()
	if err := rows.Flush(); err != nil {
		return err
	}
	if err := csvFile.Close(); err != nil {
		return err
	}
	summary := output.Summarize(m, res, output.NewProvenance(label, f.Hash, seed, res.Runs))
	if err := writeResults(folder, summary); err != nil {
		return err
	}
	if err := folder.WriteJSON("run.json", output.NewRunInfo(start, end, res.Runs, workers, o.Args)); err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	if err := folder.Commit(); err != nil {
		return err
	}
	committed = true
	if !o.Quiet {
		printTable(stdout, summary, folder.Final(), end.Sub(start))
	}
	return nil
}

// writeResults writes the files derived from a summary: summary.json,
// timeseries.csv, the charts and report.html.
func writeResults(folder *output.Folder, s *output.Summary) error {
	if err := folder.WriteJSON("summary.json", s); err != nil {
		return err
	}
	if err := folder.WriteFile("timeseries.csv", output.TimeseriesCSV(s)); err != nil {
		return err
	}
	return plots.WriteReport(folder, s)
}

// printTable prints each event's probability with its interval and each
// outcome's median and 90% range.
func printTable(w io.Writer, s *output.Summary, dir string, wall time.Duration) {
	p := s.Provenance
	fmt.Fprintf(w, "%s: %d runs, seed %d, %.1fs → %s\n\n", s.Scenario.Name, p.Runs, p.Seed, wall.Seconds(), dir)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	if len(s.Events) > 0 {
		fmt.Fprintln(tw, "EVENT\tPROBABILITY\t95% INTERVAL\tWINDOW")
		for _, e := range s.Events {
			fmt.Fprintf(tw, "%s\t%5.1f%%\t[%.1f%%, %.1f%%]\t%s – %s\n", e.Description, 100*e.Probability,
				100*e.Wilson95[0], 100*e.Wilson95[1], e.From[:7], e.By[:7])
		}
		fmt.Fprintln(tw)
	}
	if len(s.Outcomes) > 0 {
		fmt.Fprintln(tw, "OUTCOME\tMEDIAN\t90% RANGE\tUNIT")
		for _, o := range s.Outcomes {
			unit, _, _ := strings.Cut(o.Unit, ",")
			fmt.Fprintf(tw, "%s\t%s\t[%s, %s]\t%s\n", o.Description, num(o.Quantiles.P50), num(o.Quantiles.P5), num(o.Quantiles.P95), unit)
		}
	}
	tw.Flush()
}

func num(f output.Float) string { return fmt.Sprintf("%.3g", float64(f)) }
