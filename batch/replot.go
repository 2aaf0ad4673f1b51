package batch

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/geosim/geosim/backtest"
	"github.com/geosim/geosim/calibration"
	"github.com/geosim/geosim/discover"
	"github.com/geosim/geosim/forecast"
	"github.com/geosim/geosim/output"
	"github.com/geosim/geosim/plots"
	"github.com/geosim/geosim/sim/abc"
	"github.com/geosim/geosim/sim/scenario"
)

// ReplotOptions says what to re-render.
type ReplotOptions struct {
	// Dir is a results folder of any command that writes one (run,
	// sweep, comparison, sensitivity, scores, backtest, discovery,
	// calibration).
	Dir     string
	Force   bool     // re-render a folder geosim did not write, or one changed since
	Command []string // the command line, for the folder's manifest
}

// ReplotReport says what was re-rendered.
type ReplotReport struct {
	Dir  string
	Kind string
}

// replotFiles names the file that identifies each kind of folder when
// it has no manifest (with -force).
var replotFiles = []struct{ file, kind string }{
	{"posterior.csv", "calibration"}, // before summary.json, which a calibration has too
	{"summary.json", "run"},
	{"experiment.json", "sweep"},
	{"comparison.json", "comparison"},
	{"sensitivity.json", "sensitivity"},
	{"boxes.json", "discovery"},
	{"backtest.json", "backtest"},
	{"questions.csv", "scores"},
}

// folderKind returns the kind of a results folder: its manifest's, or
// with force the one its files show.
func folderKind(dir string, force bool) (string, error) {
	m, err := output.ReadManifest(dir)
	if err == nil {
		return m.Kind, nil
	}
	if !force {
		return "", fmt.Errorf("%w %s: %v (a results folder of geosim has one; -force re-renders a folder without)", output.ErrRefused, dir, err)
	}
	for _, f := range replotFiles {
		if _, err := os.Stat(filepath.Join(dir, f.file)); err == nil {
			return f.kind, nil
		}
	}
	return "", fmt.Errorf("%s holds none of the files geosim re-renders from (summary.json, posterior.csv, experiment.json, comparison.json, sensitivity.json, boxes.json, backtest.json, questions.csv)", dir)
}

// Replot re-renders the charts and report.html of a results folder from
// the data it holds, without running anything: a new folder with the
// data files linked (or copied) in and the charts drawn anew replaces
// the old one atomically, so that an interrupted replot leaves it as it
// was.
func Replot(ctx context.Context, o ReplotOptions) (*ReplotReport, error) {
	kind, err := folderKind(o.Dir, o.Force)
	if err != nil {
		return nil, err
	}
	render, ok := replotters[kind]
	if !ok {
		return nil, fmt.Errorf("%s holds a %s; geosim plot re-renders the folders of run, merge, sweep, compare, sensitivity, score, backtest, discover and calibrate", o.Dir, kind)
	}
	sess, err := output.Open(output.Target{Dir: o.Dir, Kind: kind, Command: o.Command, Force: o.Force})
	if err != nil {
		return nil, err
	}
	defer sess.Close()
	folder, err := sess.NewFolder()
	if err != nil {
		return nil, err
	}
	err = linkData(sess, folder)
	if err == nil {
		err = render(ctx, sess.Final(), folder)
	}
	if err == nil {
		err = ctx.Err()
	}
	if err == nil {
		err = sess.Commit(folder)
	}
	if err != nil {
		sess.Discard(folder)
		return nil, err
	}
	return &ReplotReport{Dir: o.Dir, Kind: kind}, nil
}

// redrawn reports whether a file of a results folder is drawn by the
// renderers (charts at the top level and the report), not data.
func redrawn(name string) bool {
	return name == "report.html" || !strings.Contains(name, "/") && strings.HasSuffix(name, ".png")
}

// linkData puts every data file of the old folder into the new one.
func linkData(sess *output.Session, folder *output.Folder) error {
	if prior := sess.Prior(); prior != nil {
		for _, f := range prior.Files {
			if redrawn(f.Name) {
				continue
			}
			if err := folder.Link(filepath.Join(sess.Final(), filepath.FromSlash(f.Name)), f.Name, &f); err != nil {
				return err
			}
		}
		return nil
	}
	// Forced over a folder without a manifest: keep everything but the
	// files drawn anew.
	return filepath.WalkDir(sess.Final(), func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, err := filepath.Rel(sess.Final(), path)
		if err != nil {
			return err
		}
		rel = filepath.ToSlash(rel)
		if redrawn(rel) || rel == output.ManifestName || !d.Type().IsRegular() {
			return nil
		}
		return folder.Link(path, rel, nil)
	})
}

// replotters re-render each kind of folder: dir is the folder being
// replaced (the data files are also in w).
var replotters = map[string]func(ctx context.Context, dir string, w *output.Folder) error{
	"run":         replotRun,
	"sweep":       replotSweep,
	"comparison":  replotComparison,
	"sensitivity": replotSensitivity,
	"scores":      replotScores,
	"backtest":    replotBacktest,
	"discovery":   replotDiscovery,
	"calibration": replotCalibration,
}

func replotRun(ctx context.Context, dir string, w *output.Folder) error {
	s, err := output.ReadSummary(filepath.Join(dir, "summary.json"))
	if err != nil {
		return err
	}
	return plots.WriteReport(ctx, w, s)
}

// readJSON decodes a JSON file of at most 64 MB.
func readJSON(path string, v any) error {
	b, err := output.ReadLimited(path, 64<<20)
	if err != nil {
		return err
	}
	if err := json.Unmarshal(b, v); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	return nil
}

func replotSweep(ctx context.Context, dir string, w *output.Folder) error {
	var d SweepDesign
	if err := readJSON(filepath.Join(dir, "experiment.json"), &d); err != nil {
		return err
	}
	if len(d.Points) == 0 || len(d.Factors) == 0 {
		return fmt.Errorf("%s: experiment.json has no design points", dir)
	}
	summaries := make([]*output.Summary, len(d.Points))
	for k := range d.Points {
		s, err := output.ReadSummary(filepath.Join(dir, pointDir(k), "summary.json"))
		if err != nil {
			return err
		}
		if len(d.Points[k]) != len(d.Factors) {
			return fmt.Errorf("%s: point %d has %d values for %d factors", dir, k, len(d.Points[k]), len(d.Factors))
		}
		summaries[k] = s
	}
	return plots.WriteSweep(ctx, w, d.plotsSweep(summaries))
}

func replotComparison(ctx context.Context, dir string, w *output.Folder) error {
	var c output.Comparison
	if err := readJSON(filepath.Join(dir, "comparison.json"), &c); err != nil {
		return err
	}
	if len(c.Scenarios) < 2 {
		return fmt.Errorf("%s: comparison.json compares fewer than two scenarios", dir)
	}
	summaries := make([]*output.Summary, len(c.Scenarios))
	for k, sc := range c.Scenarios {
		s, err := output.ReadSummary(filepath.Join(dir, "scenarios", sc.FileKey()+".summary.json"))
		if err != nil {
			return err
		}
		summaries[k] = s
	}
	return plots.WriteComparison(ctx, w, &c, summaries)
}

func replotSensitivity(ctx context.Context, dir string, w *output.Folder) error {
	var s Sensitivity
	if err := readJSON(filepath.Join(dir, "sensitivity.json"), &s); err != nil {
		return err
	}
	if err := s.check(); err != nil {
		return fmt.Errorf("%s: %w", filepath.Join(dir, "sensitivity.json"), err)
	}
	return plots.WriteSensitivity(ctx, w, plotsData(&s))
}

func replotScores(ctx context.Context, dir string, w *output.Folder) error {
	var f forecast.ScoresFile
	if err := readJSON(filepath.Join(dir, "scores.json"), &f); err != nil {
		return err
	}
	s, err := f.Scores()
	if err != nil {
		return fmt.Errorf("%s: %w", filepath.Join(dir, "scores.json"), err)
	}
	return plots.WriteScores(ctx, w, s, f.Footer())
}

func replotBacktest(ctx context.Context, dir string, w *output.Folder) error {
	var src backtestSources
	if err := readJSON(filepath.Join(dir, "backtest.json"), &src); err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("%s has no backtest.json (the backtest's files), which geosim plot needs: it was written by an older geosim; run the backtest again", dir)
		}
		return err
	}
	b, err := scenario.LoadBacktestSources(src.Path, sourceBytes(src.Sources), src.Template)
	if err != nil {
		return fmt.Errorf("%s: the backtest it carries does not load: %w", filepath.Join(dir, "backtest.json"), err)
	}
	yes := make([][]backtest.Tally, len(b.Plan.Origins))
	for k, org := range b.Plan.Origins {
		if yes[k] = readOrigin(originPath(dir, org.Month), org, src.Runs, src.Seed); yes[k] == nil {
			return fmt.Errorf("%s: origin %s is missing, does not match the backtest or was written by an older geosim (run the backtest again)", dir, org.Month)
		}
	}
	return finishBacktest(ctx, w, b, src.Runs, src.Seed, yes, &BacktestReport{})
}

func replotDiscovery(ctx context.Context, dir string, w *output.Folder) error {
	var r discover.Report
	if err := readJSON(filepath.Join(dir, "boxes.json"), &r); err != nil {
		return err
	}
	if err := r.RestoreIndices(); err != nil {
		return fmt.Errorf("%s: %w", filepath.Join(dir, "boxes.json"), err)
	}
	data, err := readPointsCSV(filepath.Join(dir, "points.csv"))
	if err != nil {
		return err
	}
	return plots.WriteDiscovery(ctx, w, &r, data)
}

// replotCalibration re-renders a calibration from its summary.json (the
// priors read back from their notation, the labels and provenance it
// records) and posterior.csv (the weighted particles).
func replotCalibration(ctx context.Context, dir string, w *output.Folder) error {
	s, err := calibration.ReadSummary(filepath.Join(dir, "summary.json"))
	if err != nil {
		return err
	}
	priors, err := s.Priors()
	if err != nil {
		return fmt.Errorf("%s: %w", filepath.Join(dir, "summary.json"), err)
	}
	post, err := abc.ReadPosteriorFile(filepath.Join(dir, "posterior.csv"))
	if err != nil {
		return err
	}
	var prov CalibrationProvenance
	raw, err := json.Marshal(s.Provenance)
	if err == nil {
		err = json.Unmarshal(raw, &prov)
	}
	if err != nil {
		return fmt.Errorf("%s: its provenance: %w", filepath.Join(dir, "summary.json"), err)
	}
	return plots.WriteCalibration(ctx, w, plots.CalibrationData{Summary: s, Posterior: post, Priors: priors,
		File: prov.File, SHA256: prov.SHA256, Version: prov.Version})
}
