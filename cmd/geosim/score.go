package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"flag"
	"fmt"
	"io"
	"path/filepath"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/geosim/geosim/forecast"
	"github.com/geosim/geosim/internal/version"
	"github.com/geosim/geosim/output"
	"github.com/geosim/geosim/plots"
	"github.com/geosim/geosim/sim/scenario"
)

type scoreOptions struct {
	Files       []string
	Resolutions string
	Out         string
	Seed        uint64
	Quiet       bool
	Force       bool
	Args        []string
}

func scoreCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("score", flag.ContinueOnError)
	var o scoreOptions
	fs.StringVar(&o.Resolutions, "resolutions", "", "resolutions file (TOML) saying how each question resolved (required)")
	fs.StringVar(&o.Out, "out", filepath.Join("out", "scores"), "output folder")
	fs.Uint64Var(&o.Seed, "seed", 1, "seed of the bootstrap")
	fs.BoolVar(&o.Quiet, "quiet", false, "no table")
	fs.BoolVar(&o.Force, "force", false, "replace the output folder even if geosim did not write it (never one holding an input or the current folder)")
	pos, help, err := parseCommand(fs, args, stdout, "score FORECASTS.csv... -resolutions FILE [-out DIR]\n\nScores forecasts written by geosim run against how the questions resolved: Brier and log\nscores, the Murphy decomposition, a bootstrap interval and skill against two baselines.")
	if help || err != nil {
		return err
	}
	if len(pos) == 0 {
		return fmt.Errorf("%w: score needs at least one forecasts.csv", errUsage)
	}
	if o.Resolutions == "" {
		return fmt.Errorf("%w: score needs -resolutions FILE", errUsage)
	}
	o.Files, o.Args = pos, append([]string{"geosim", "score"}, args...)
	return runScore(ctx, o, stdout, stderr)
}

func runScore(ctx context.Context, o scoreOptions, stdout, stderr io.Writer) error {
	var all []forecast.Forecast
	for _, f := range o.Files {
		fc, err := forecast.ReadCSV(f)
		if err != nil {
			return err
		}
		all = append(all, fc...)
	}
	res, err := scenario.LoadResolutions(o.Resolutions)
	if err != nil {
		return err
	}
	outcomes := map[string]forecast.Outcome{}
	for _, r := range res {
		outcomes[r.ID] = forecast.Outcome{Yes: r.Outcome, Date: r.Date.Format(time.DateOnly), Source: r.Source}
	}
	s, err := forecast.Score(all, outcomes, forecast.Config{Seed: o.Seed})
	if err != nil {
		return err
	}
	for _, w := range s.Warnings {
		fmt.Fprintln(stderr, "geosim: warning:", w)
	}
	footer := fmt.Sprintf("%s · resolutions %s · geosim %s", strings.Join(o.Files, ", "), o.Resolutions, version.Version)
	target := output.Target{Dir: o.Out, Kind: "scores", Command: o.Args, Inputs: append([]string{o.Resolutions}, o.Files...), Force: o.Force}
	err = output.Write(ctx, target, func(folder *output.Folder) error {
		if err := folder.WriteJSON("scores.json", scoresJSON(o, s)); err != nil {
			return err
		}
		if err := folder.WriteFile("questions.csv", questionsCSV(s)); err != nil {
			return err
		}
		return plots.WriteScores(ctx, folder, s, footer)
	})
	if err != nil {
		return err
	}
	if !o.Quiet {
		printScores(stdout, s, o.Out)
	}
	return nil
}

func scoresJSON(o scoreOptions, s *forecast.Scores) any {
	type q struct {
		ID          string        `json:"id"`
		Text        string        `json:"text"`
		Scenario    string        `json:"scenario"`
		AsOf        string        `json:"as_of"`
		ResolveBy   string        `json:"resolve_by"`
		Probability output.Float  `json:"probability"`
		Outcome     string        `json:"outcome,omitempty"`
		Resolved    string        `json:"resolved,omitempty"`
		Source      string        `json:"source,omitempty"`
		Brier       *output.Float `json:"brier,omitempty"`
		Log         *output.Float `json:"log,omitempty"`
	}
	f := func(x float64) output.Float { return output.Float(x) }
	out := map[string]any{
		"tool": "geosim", "version": version.Version, "forecasts": o.Files, "resolutions": o.Resolutions, "seed": o.Seed,
		"resolved": s.N, "unresolved": len(s.Unresolved), "base_rate": f(s.BaseRate),
		"brier": f(s.Brier), "brier_ci95": []output.Float{f(s.BrierCI95[0]), f(s.BrierCI95[1])},
		"log_score": f(s.Log), "log_clip": s.Clip,
		"reliability": f(s.Reliability), "resolution": f(s.Resolution), "uncertainty": f(s.Uncertainty), "within_bin": f(s.WithinBin),
		"skill_vs_half": f(s.SkillHalf), "skill_vs_base_rate": f(s.SkillBase), "warnings": s.Warnings,
	}
	var bins []map[string]any
	for _, b := range s.Bins {
		bins = append(bins, map[string]any{"lo": b.Lo, "hi": b.Hi, "n": b.N, "mean_forecast": f(b.MeanP), "observed": f(b.Observed)})
	}
	out["bins"] = bins
	var qs []q
	for _, sq := range s.Questions {
		b, l := f(sq.Brier), f(sq.Log)
		outcome := "no"
		if sq.Yes {
			outcome = "yes"
		}
		qs = append(qs, q{sq.ID, sq.Text, sq.Scenario, sq.AsOf, sq.ResolveBy, f(sq.P), outcome, sq.Date, sq.Source, &b, &l})
	}
	for _, u := range s.Unresolved {
		qs = append(qs, q{ID: u.ID, Text: u.Text, Scenario: u.Scenario, AsOf: u.AsOf, ResolveBy: u.ResolveBy, Probability: f(u.P)})
	}
	out["questions"] = qs
	return out
}

func questionsCSV(s *forecast.Scores) []byte {
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	w.Write([]string{"question_id", "text", "scenario", "as_of", "resolve_by", "probability", "outcome", "resolved", "source", "brier", "log_score"})
	g := func(x float64) string { return strconv.FormatFloat(x, 'g', 6, 64) }
	for _, q := range s.Questions {
		outcome := "no"
		if q.Yes {
			outcome = "yes"
		}
		w.Write([]string{q.ID, q.Text, q.Scenario, q.AsOf, q.ResolveBy, g(q.P), outcome, q.Date, q.Source, g(q.Brier), g(q.Log)})
	}
	for _, u := range s.Unresolved {
		w.Write([]string{u.ID, u.Text, u.Scenario, u.AsOf, u.ResolveBy, g(u.P), "", "", "", "", ""})
	}
	w.Flush()
	return b.Bytes()
}

func printScores(w io.Writer, s *forecast.Scores, dir string) {
	fmt.Fprintf(w, "%d resolved questions, %d unresolved → %s\n\n", s.N, len(s.Unresolved), dir)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	if s.N > 0 {
		fmt.Fprintln(tw, "QUESTION\tFORECAST\tOUTCOME\tBRIER")
		for _, q := range s.Questions {
			outcome := "no"
			if q.Yes {
				outcome = "yes"
			}
			fmt.Fprintf(tw, "%s\t%.1f%%\t%s\t%.3f\n", clipText(q.Text, 70), 100*q.P, outcome, q.Brier)
		}
		tw.Flush()
		fmt.Fprintf(w, "\nBrier %.3f (95%% bootstrap %.3f–%.3f); log score %.3f (probabilities clipped to [%g, %g])\n",
			s.Brier, s.BrierCI95[0], s.BrierCI95[1], s.Log, s.Clip, 1-s.Clip)
		fmt.Fprintf(w, "Murphy: reliability %.4f, resolution %.4f, uncertainty %.4f (within-bin %.4f)\n", s.Reliability, s.Resolution, s.Uncertainty, s.WithinBin)
		fmt.Fprintf(w, "Skill: %.3f against always 50%%, %.3f against the base rate %.2f\n", s.SkillHalf, s.SkillBase, s.BaseRate)
	}
	if len(s.Unresolved) > 0 {
		fmt.Fprintln(w, "\nNot yet resolved (not scored):")
		for _, u := range s.Unresolved {
			fmt.Fprintf(w, "  %s (by %s): %.1f%%\n", u.ID, u.ResolveBy, 100*u.P)
		}
	}
}

func clipText(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}
