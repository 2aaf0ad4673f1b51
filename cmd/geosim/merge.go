package main

import (
	"context"
	"flag"
	"fmt"
	"io"

	"github.com/geosim/geosim/batch"
)

type mergeOptions struct {
	Dirs  []string
	Out   string
	Quiet bool
	Force bool
	Args  []string
}

func mergeCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("merge", flag.ContinueOnError)
	var o mergeOptions
	fs.StringVar(&o.Out, "out", "", "output folder (default: the unsharded command's default)")
	fs.BoolVar(&o.Quiet, "quiet", false, "no summary")
	fs.BoolVar(&o.Force, "force", false, "replace the output folder even if geosim did not write it (never one holding an input or the current folder)")
	pos, help, err := parseCommand(fs, args, stdout, "merge SHARD_DIR... [-out DIR]\n\nCombines the shard folders of a run, sweep, sensitivity analysis or backtest (written with -shard K/N)\ninto the folder one machine would have written.")
	if help || err != nil {
		return err
	}
	if len(pos) == 0 {
		return fmt.Errorf("%w: merge needs the shard folders", errUsage)
	}
	o.Dirs, o.Args = pos, append([]string{"geosim", "merge"}, args...)
	return runMerge(ctx, o, stdout, stderr)
}

func runMerge(ctx context.Context, o mergeOptions, stdout, _ io.Writer) error {
	rep, err := batch.Merge(ctx, o.Dirs, batch.MergeOptions{Out: o.Out, Force: o.Force, Command: o.Args})
	if err != nil {
		return err
	}
	if o.Quiet {
		return nil
	}
	if rep.Summary != nil {
		printTable(stdout, rep.Summary, rep.Dir+fmt.Sprintf(" (merged from %d shards)", rep.Shards), 0)
		return nil
	}
	fmt.Fprintf(stdout, "%s: merged %d shards → %s\n", rep.Kind, rep.Shards, rep.Dir)
	return nil
}
