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
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "-help" || args[0] == "--help" {
		usage(stdout)
		return nil
	}
	if args[0] == "version" || args[0] == "-version" || args[0] == "--version" {
		fmt.Fprintln(stdout, "geosim", version.Version)
		return nil
	}
	cmd, ok := commands[args[0]]
	if !ok {
		names := make([]string, 0, len(commands))
		for n := range commands {
			names = append(names, n)
		}
		return fmt.Errorf("%w: unknown command %q%s; run \"geosim help\"", errUsage, args[0], suggest.Hint(args[0], names))
	}
	return cmd.run(ctx, args[1:], stdout, stderr)
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
	fmt.Fprintln(w, "\nRun \"geosim COMMAND -h\" for a command's flags. Documentation: docs/.")
}

// parseFlags parses flags that may come before, between or after the
// positional arguments ("geosim run FILE -runs 1000"), returning the
// positional ones.
func parseFlags(fs *flag.FlagSet, args []string) ([]string, error) {
	fs.SetOutput(io.Discard)
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return nil, err
			}
			return nil, fmt.Errorf("%w: %s %v", errUsage, fs.Name(), err)
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
// prints the usage line and flags to stdout and returns help = true.
func parseCommand(fs *flag.FlagSet, args []string, stdout io.Writer, synopsis string) (pos []string, help bool, err error) {
	pos, err = parseFlags(fs, args)
	if errors.Is(err, flag.ErrHelp) {
		fmt.Fprintf(stdout, "Usage: geosim %s\n\nFlags:\n", synopsis)
		fs.SetOutput(stdout)
		fs.PrintDefaults()
		return nil, true, nil
	}
	return pos, false, err
}
