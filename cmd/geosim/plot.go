package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"path/filepath"
	"strings"

	"github.com/geosim/geosim/output"
	"github.com/geosim/geosim/plots"
)

type plotOptions struct {
	Dir   string
	Force bool
	Args  []string
}

func plotCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("plot", flag.ContinueOnError)
	var o plotOptions
	fs.BoolVar(&o.Force, "force", false, "re-render a folder that geosim did not write (or that was changed since)")
	pos, help, err := parseCommand(fs, args, stdout, "plot DIR\n\nRe-renders the charts and report.html of a results folder from its summary.json.")
	if help || err != nil {
		return err
	}
	if len(pos) != 1 {
		return fmt.Errorf("%w: plot takes one results folder", errUsage)
	}
	o.Dir, o.Args = pos[0], append([]string{"geosim", "plot"}, args...)
	return runPlot(ctx, o, stdout, stderr)
}

// runPlot re-renders a results folder as a new folder — the files it
// does not re-render linked (or copied) in, the charts and report drawn
// anew — that replaces the old one atomically: interrupted, it leaves
// the folder as it was.
func runPlot(ctx context.Context, o plotOptions, stdout, _ io.Writer) error {
	sess, err := output.Open(output.Target{Dir: o.Dir, Kind: "run", Command: o.Args, Force: o.Force})
	if err != nil {
		return err
	}
	defer sess.Close()
	s, err := output.ReadSummary(filepath.Join(sess.Final(), "summary.json"))
	if err != nil {
		return err
	}
	folder, err := sess.NewFolder()
	if err != nil {
		return err
	}
	err = plotInto(ctx, sess, folder, s)
	if err == nil {
		err = ctx.Err()
	}
	if err == nil {
		err = sess.Commit(folder)
	}
	if err != nil {
		sess.Discard(folder)
		return err
	}
	fmt.Fprintf(stdout, "%s: %d charts and report.html re-rendered\n", o.Dir, len(plots.Charts(s)))
	return nil
}

func plotInto(ctx context.Context, sess *output.Session, folder *output.Folder, s *output.Summary) error {
	redrawn := map[string]bool{"report.html": true}
	for _, c := range plots.Charts(s) {
		redrawn[c.File] = true
	}
	if prior := sess.Prior(); prior != nil {
		// Every file geosim wrote, but the charts and report: the old
		// charts go, the new ones are drawn from the summary.
		for _, f := range prior.Files {
			if redrawn[f.Name] || !strings.Contains(f.Name, "/") && strings.HasSuffix(f.Name, ".png") {
				continue
			}
			if err := folder.Link(filepath.Join(sess.Final(), filepath.FromSlash(f.Name)), f.Name, &f); err != nil {
				return err
			}
		}
	} else {
		// Forced over a folder without a manifest: keep everything but
		// the files drawn anew.
		err := filepath.WalkDir(sess.Final(), func(path string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			rel, err := filepath.Rel(sess.Final(), path)
			if err != nil {
				return err
			}
			rel = filepath.ToSlash(rel)
			if redrawn[rel] || rel == output.ManifestName || !d.Type().IsRegular() {
				return nil
			}
			return folder.Link(path, rel, nil)
		})
		if err != nil {
			return err
		}
	}
	return plots.WriteReport(ctx, folder, s)
}
