package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"sort"
	"strings"
	"syscall"

	"github.com/geosim/geosim/internal/suggest"
	"github.com/geosim/geosim/internal/version"
	"github.com/geosim/geosim/sim"
)

// command is a subcommand: its one-line summary and its entry point,
// which parses its own flags.
type command struct {
	summary string
	run     func(ctx context.Context, args []string, stdout, stderr io.Writer) error
}

var commands = map[string]command{
	"validate":    {"check scenario files and report every problem", validateCmd},
	"run":         {"run a scenario and write its results folder", runCmd},
	"plot":        {"re-render a results folder's charts and report from summary.json", plotCmd},
	"sweep":       {"run an experiment's design points (grid, Latin hypercube, one-at-a-time)", sweepCmd},
	"compare":     {"compare scenarios run by run on common random numbers", compareCmd},
	"score":       {"score forecasts against how their questions resolved (Brier, log, Murphy)", scoreCmd},
	"merge":       {"combine the shard folders of a run, sweep or sensitivity analysis", mergeCmd},
	"sensitivity": {"rank the uncertain parameters driving each outcome (Sobol, Morris, one-at-a-time)", sensitivityCmd},
	"backtest":    {"score the model's forecasts over many past origins against the event record and benchmarks", backtestCmd},
	"calibrate":   {"fit a scenario's judgement parameters to the event record (ABC-SMC) and check the fit", calibrateCmd},
	"discover":    {"find the parameter ranges where an event or outcome condition is frequent (PRIM, CART)", discoverCmd},
}

// errUsage marks errors in how geosim was called (exit status 2).
var errUsage = errors.New("usage")

// errQuiet marks failures whose details were already printed.
var errQuiet = errors.New("failed")

// cli runs geosim with args and returns the exit status: 0 on success, 1
// on failure, 2 on a usage error, 130 when interrupted.
func cli(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	// After the first signal, restore the default handling: a second
	// one ends the process at once (what it leaves, the next run
	// cleans up).
	go func() { <-ctx.Done(); stop() }()
	return exitStatus(ctx, dispatch(ctx, args, stdout, stderr), stderr)
}

// exitStatus prints err (unless already said) and returns the exit
// status: 0 on success, 1 on failure, 2 on a usage error, 130 when a
// signal stopped the command.
func exitStatus(ctx context.Context, err error, stderr io.Writer) int {
	switch {
	case err == nil:
		return 0
	case errors.Is(err, context.Canceled) || ctx.Err() != nil:
		if !errors.Is(err, errQuiet) {
			fmt.Fprintln(stderr, "geosim: interrupted; nothing was written")
		}
		return 130
	case errors.Is(err, errUsage):
		if msg := strings.TrimPrefix(err.Error(), errUsage.Error()+": "); msg != errUsage.Error() {
			fmt.Fprintln(stderr, "geosim:", msg)
		}
		return 2
	case errors.Is(err, errQuiet):
		return 1
	default:
		fmt.Fprintln(stderr, "geosim:", err)
		return 1
	}
}

func dispatch(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] == "-h" || args[0] == "-help" || args[0] == "--help" {
		usage(stdout)
		return nil
	}
	if args[0] == "help" {
		return help(ctx, args[1:], stdout)
	}
	if args[0] == "version" || args[0] == "-version" || args[0] == "--version" {
		fmt.Fprintln(stdout, "geosim", version.Version)
		return nil
	}
	cmd, err := lookup(args[0])
	if err != nil {
		return err
	}
	return cmd.run(ctx, args[1:], stdout, stderr)
}

// lookup returns the subcommand called name, or a usage error with a
// did-you-mean.
func lookup(name string) (command, error) {
	cmd, ok := commands[name]
	if !ok {
		names := make([]string, 0, len(commands))
		for n := range commands {
			names = append(names, n)
		}
		return command{}, fmt.Errorf("%w: unknown command %q%s; run \"geosim help\"", errUsage, name, suggest.Hint(name, names))
	}
	return cmd, nil
}

// help prints the list of commands, or one command's usage and flags
// ("geosim help run").
func help(ctx context.Context, args []string, stdout io.Writer) error {
	if len(args) == 0 {
		usage(stdout)
		return nil
	}
	if len(args) > 1 {
		return fmt.Errorf("%w: help takes one command, got %d", errUsage, len(args))
	}
	cmd, err := lookup(args[0])
	if err != nil {
		return err
	}
	return cmd.run(ctx, []string{"-h"}, stdout, io.Discard)
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "geosim — Monte Carlo simulation of agent models of countries")
	fmt.Fprintln(w, "\nUsage: geosim COMMAND [arguments]\n\nCommands:")
	names := make([]string, 0, len(commands))
	for n := range commands {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(w, "  %-12s %s\n", n, commands[n].summary)
	}
	fmt.Fprintf(w, "  %-12s %s\n", "help", "list the commands, or show one command's usage and flags (geosim help run)")
	fmt.Fprintf(w, "  %-12s %s\n", "version", "print geosim's version")
	fmt.Fprintln(w, "\nRun \"geosim help COMMAND\" for a command's flags. Documentation: README.md and docs/.")
}

// parseFlags parses flags that may come before, between or after the
// positional arguments ("geosim run FILE -runs 1000"), returning the
// positional ones.
func parseFlags(fs *flag.FlagSet, args []string) ([]string, error) {
	fs.SetOutput(io.Discard)
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		args = fs.Args()
		if len(args) == 0 {
			return pos, nil
		}
		if args[0] == "--" {
			return append(pos, args[1:]...), nil
		}
		pos = append(pos, args[0])
		args = args[1:]
	}
}

// parseCommand parses a subcommand's flags (see parseFlags). For -h it
// prints the usage line and flags to stdout and returns help = true; a
// flag it does not know is a usage error that names the closest flag and
// shows the command's usage.
func parseCommand(fs *flag.FlagSet, args []string, stdout io.Writer, synopsis string) (pos []string, help bool, err error) {
	pos, err = parseFlags(fs, args)
	switch {
	case errors.Is(err, flag.ErrHelp):
		printUsage(stdout, fs, synopsis)
		return nil, true, nil
	case err != nil:
		msg := err.Error()
		if name, ok := strings.CutPrefix(msg, "flag provided but not defined: -"); ok {
			var names []string
			fs.VisitAll(func(f *flag.Flag) { names = append(names, f.Name) })
			msg = fmt.Sprintf("unknown flag -%s%s", name, dashHint(suggest.Hint(name, names)))
		}
		return nil, false, usageError(fs, synopsis, msg)
	}
	return pos, false, nil
}

// dashHint writes a did-you-mean about flags with their dash.
func dashHint(hint string) string { return strings.Replace(hint, "did you mean ", "did you mean -", 1) }

// usageError is a usage error (exit status 2) whose message ends with the
// command's usage and flags.
func usageError(fs *flag.FlagSet, synopsis, msg string) error {
	var b strings.Builder
	fmt.Fprintf(&b, "%s: %s\n\n", fs.Name(), msg)
	printUsage(&b, fs, synopsis)
	return fmt.Errorf("%w: %s", errUsage, strings.TrimRight(b.String(), "\n"))
}

// printUsage prints "Usage: geosim SYNOPSIS" and the flags. A flag's
// default is shown only when it is a real value: flags whose zero or -1
// stands for "the scenario's" or "none" say so in their usage instead
// (a usage that mentions "default" carries its own).
func printUsage(w io.Writer, fs *flag.FlagSet, synopsis string) {
	fmt.Fprintf(w, "Usage: geosim %s\n\nFlags:\n", synopsis)
	fs.VisitAll(func(f *flag.Flag) {
		name, use := flag.UnquoteUsage(f)
		line := "  -" + f.Name
		if name != "" {
			line += " " + name
		}
		def := f.DefValue
		if !strings.Contains(use, "default") && def != "" && def != "0" && def != "false" && def != "-1" {
			use += fmt.Sprintf(" (default %s)", def)
		}
		fmt.Fprintf(w, "%s\n    \t%s\n", line, strings.ReplaceAll(use, "\n", "\n    \t"))
	})
}

// flagSet reports whether the flag was given on the command line.
func flagSet(fs *flag.FlagSet, name string) bool {
	set := false
	fs.Visit(func(f *flag.Flag) { set = set || f.Name == name })
	return set
}

// checkCounts refuses run counts and seeds given explicitly out of
// range: -runs 0 or a negative seed are errors, never silently replaced
// by the scenario's (which is what leaving them out means).
func checkCounts(fs *flag.FlagSet, runs int, seed int64) error {
	if flagSet(fs, "runs") && (runs < 1 || runs > sim.MaxRuns) {
		return fmt.Errorf("%w: %s: -runs must be between 1 and %d, got %d (leave it out for the file's runs)", errUsage, fs.Name(), sim.MaxRuns, runs)
	}
	if flagSet(fs, "seed") && seed < 0 {
		return fmt.Errorf("%w: %s: -seed must be 0 or more, got %d (leave it out for the file's seed)", errUsage, fs.Name(), seed)
	}
	return nil
}
