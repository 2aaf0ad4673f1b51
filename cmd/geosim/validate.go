package main

import (
	"context"
	"flag"
	"fmt"
	"io"

	"github.com/geosim/geosim/sim/scenario"
)

type validateOptions struct {
	Files []string
}

func validateCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("validate", flag.ContinueOnError)
	files, help, err := parseCommand(fs, args, stdout, "validate FILE...")
	if help || err != nil {
		return err
	}
	if len(files) == 0 {
		return fmt.Errorf("%w: validate needs at least one scenario file", errUsage)
	}
	return runValidate(ctx, validateOptions{Files: files}, stdout, stderr)
}

// runValidate checks each file, printing an OK line for a valid one and
// every problem of an invalid one. It fails if any file is invalid.
func runValidate(_ context.Context, opts validateOptions, stdout, stderr io.Writer) error {
	bad := 0
	for _, file := range opts.Files {
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
