// Package batch runs batch experiments to files: sweeps over design
// points with resume, and paired comparisons of scenarios. It sits
// between the engine (sim, sim/experiment), the files (output) and the
// charts (plots), so that cmd/geosim stays thin.
package batch

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"github.com/geosim/geosim/internal/version"
	"github.com/geosim/geosim/output"
	"github.com/geosim/geosim/plots"
	"github.com/geosim/geosim/sim"
	"github.com/geosim/geosim/sim/dist"
	"github.com/geosim/geosim/sim/experiment"
	"github.com/geosim/geosim/sim/scenario"
)

// SweepOptions says where and how to run a sweep.
type SweepOptions struct {
	Shard   *Shard // nil: every design point
	Out     string // the final folder
	Workers int    // 0: GOMAXPROCS
	Limits  Limits // on the estimated memory and output, checked before any point runs
	// Progress, when not nil, is called after each point with the number
	// of points finished (including resumed ones) and the total.
	Progress func(done, total int)
	Force    bool     // replace a folder geosim did not write (see output.Target)
	Command  []string // the command line, for the folder's manifest
}

// SweepReport says what a sweep did.
type SweepReport struct {
	Dir     string
	Points  int
	Resumed int      // points found finished from an interrupted sweep
	Notes   []string // partial results discarded, and why
}

// manifest identifies the sweep a work folder belongs to.
type manifest struct {
	Tool       string `json:"tool"`
	Version    string `json:"version"`
	Experiment string `json:"experiment_sha256"`
	Runs       int    `json:"runs"`
	Seed       uint64 `json:"seed"`
	Points     int    `json:"points"`
}

func sweepManifest(e *scenario.Experiment) manifest {
	return manifest{Tool: "geosim", Version: version.Version, Experiment: e.Hash, Runs: e.Runs, Seed: e.Seed, Points: len(e.Points)}
}

// WorkDir is where a sweep keeps finished points until it completes.
func WorkDir(out string) string { return filepath.Clean(out) + ".partial" }

// inputsOf lists the files a scenario or experiment was loaded from.
func inputsOf(sources map[string][]byte) []string {
	var out []string
	for k := range sources {
		out = append(out, filepath.FromSlash(k))
	}
	sort.Strings(out)
	return out
}

// Sweep runs every design point of e that is not already finished in the
// work folder (WorkDir(o.Out)), saving each point's summary as soon as it
// is done, then writes points.csv, the design, the charts and moves the
// folder into place. Interrupted — by ctx or by the process being killed
// — and started again with the same experiment, it continues from the
// finished points that pass verification (see checkPoint; the others are
// run again); the final files are byte-identical to an uninterrupted
// sweep's, since each point's summary is deterministic and everything
// else is derived from the saved summaries. The output folder's lock
// covers the work folder, so two sweeps never share it.
func Sweep(ctx context.Context, e *scenario.Experiment, o SweepOptions) (*SweepReport, error) {
	if o.Shard != nil {
		return sweepShard(ctx, e, o)
	}
	if err := checkSweep(e, len(e.Points), workersOr(o.Workers), true, o.Limits); err != nil {
		return nil, err
	}
	rep := &SweepReport{Dir: o.Out, Points: len(e.Points)}
	sess, err := output.Open(output.Target{Dir: o.Out, Kind: "sweep", Command: o.Command, Inputs: inputsOf(e.Sources()),
		Force: o.Force, Work: filepath.Base(WorkDir(o.Out))})
	if err != nil {
		return nil, err
	}
	defer sess.Close()
	work := sess.WorkPath()
	if err := recoverLegacy(work+".old", sess.Final()); err != nil {
		return nil, err
	}
	want := sweepManifest(e)
	if err := adoptWork(work, want, o.Force, rep); err != nil {
		return nil, err
	}
	folder, err := sess.Resume()
	if err != nil {
		return nil, err
	}
	if err := folder.WriteJSON("manifest.json", want); err != nil {
		return nil, err
	}
	summaries := make([]*output.Summary, len(e.Points))
	for k := range e.Points {
		s, err := readPoint(e, k, work)
		switch {
		case errors.Is(err, fs.ErrNotExist):
		case err != nil:
			rep.Notes = append(rep.Notes, fmt.Sprintf("point %d in %s failed verification and is run again: %v", k, work, err))
			if err := os.RemoveAll(filepath.Join(work, pointDir(k))); err != nil {
				return rep, err
			}
		default:
			summaries[k] = s
			rep.Resumed++
		}
	}
	done := rep.Resumed
	if o.Progress != nil {
		o.Progress(done, len(e.Points))
	}
	for k := range e.Points {
		if summaries[k] != nil {
			continue
		}
		if summaries[k], err = runAndWritePoint(ctx, folder, e, k, o.Workers); err != nil {
			return rep, err
		}
		done++
		if o.Progress != nil {
			o.Progress(done, len(e.Points))
		}
	}
	if err := ctx.Err(); err != nil {
		return rep, err
	}
	if err := finishSweep(ctx, folder, e, summaries); err != nil {
		return rep, err
	}
	return rep, sess.Commit(folder)
}

// adoptWork decides what to do with an existing work folder: keep it if
// it belongs to this sweep, discard it if it belongs to another geosim
// sweep (or another version), refuse it — unless force — if geosim did
// not make it.
func adoptWork(work string, want manifest, force bool, rep *SweepReport) error {
	why, err := adoptFolder(work, "sweep", want, force, func(manifest) string {
		return "partial results in " + work + " belong to a different experiment, seed, run count or version (discarded)"
	})
	if why != "" {
		rep.Notes = append(rep.Notes, why)
	}
	return err
}

// recoverLegacy deals with the NAME.partial.old folder that geosim
// before version 2 of the shard format left when killed between the
// two renames of a sweep's commit: a geosim sweep folder (it has the
// sweep's manifest.json) is put back if the final folder is missing,
// removed otherwise; anything else there is left alone.
func recoverLegacy(old, final string) error {
	b, err := output.ReadLimited(filepath.Join(old, "manifest.json"), 1<<20)
	var m manifest
	if err != nil || json.Unmarshal(b, &m) != nil || m.Tool != "geosim" {
		return nil
	}
	if _, err := os.Lstat(final); errors.Is(err, fs.ErrNotExist) {
		return os.Rename(old, final)
	}
	return os.RemoveAll(old)
}

func pointDir(k int) string { return filepath.Join("points", fmt.Sprintf("%04d", k)) }

// pointFile is a point's summary inside a folder.
func pointFile(dir string, k int) string { return filepath.Join(dir, pointDir(k), "summary.json") }

// pointRecord is points/NNNN/point.json: what a saved point was made
// with and the SHA-256 of its summary, checked before the point is used
// again (by a resumed sweep, or by merge).
type pointRecord struct {
	Experiment string `json:"experiment_sha256"`
	Seed       uint64 `json:"seed"`
	Runs       int    `json:"runs"`
	Point      int    `json:"point"`
	Summary    string `json:"summary_sha256"`
}

// pointLabel is the scenario file named in a point summary's provenance.
func pointLabel(e *scenario.Experiment, k int) string {
	return fmt.Sprintf("%s (point %d)", filepath.ToSlash(e.Path), k)
}

// runAndWritePoint runs design point k, saves its summary and record
// into folder and returns the summary as read back, so that fresh and
// resumed points enter the derived files identically.
func runAndWritePoint(ctx context.Context, folder *output.Folder, e *scenario.Experiment, k, workers int) (*output.Summary, error) {
	s, err := runPoint(ctx, e, k, workers)
	if err != nil {
		return nil, err
	}
	data, err := json.MarshalIndent(s, "", "  ")
	if err != nil {
		return nil, err
	}
	data = append(data, '\n')
	dir := filepath.ToSlash(pointDir(k))
	if err := folder.WriteFile(dir+"/summary.json", data); err != nil {
		return nil, err
	}
	rec := pointRecord{Experiment: e.Hash, Seed: e.Seed, Runs: e.Runs, Point: k, Summary: sha256Hex(data)}
	if err := folder.WriteJSON(dir+"/point.json", rec); err != nil {
		return nil, err
	}
	return checkPoint(e, k, pointFile(folder.Dir(), k), data, rec)
}

// readPoint reads and verifies point k saved in dir.
func readPoint(e *scenario.Experiment, k int, dir string) (*output.Summary, error) {
	path := pointFile(dir, k)
	data, err := output.ReadLimited(path, output.MaxSummaryBytes)
	if err != nil {
		return nil, err
	}
	b, err := output.ReadLimited(filepath.Join(dir, pointDir(k), "point.json"), 1<<16)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("no point.json beside %s", path)
		}
		return nil, err
	}
	var rec pointRecord
	if err := json.Unmarshal(b, &rec); err != nil {
		return nil, fmt.Errorf("%s: %v", filepath.Join(dir, pointDir(k), "point.json"), err)
	}
	return checkPoint(e, k, path, data, rec)
}

// checkPoint verifies a saved point k: its record names this experiment,
// seed, runs and point and the summary's SHA-256; the summary is valid
// (output.Summary.Validate), its provenance names the same and its
// outcomes, events, shocks and series are those of point k's model.
func checkPoint(e *scenario.Experiment, k int, path string, data []byte, rec pointRecord) (*output.Summary, error) {
	switch {
	case rec.Experiment != e.Hash || rec.Seed != e.Seed || rec.Runs != e.Runs:
		return nil, fmt.Errorf("%s was made by another experiment, seed or run count", path)
	case rec.Point != k:
		return nil, fmt.Errorf("%s is point %d's, not point %d's", path, rec.Point, k)
	case rec.Summary != sha256Hex(data):
		return nil, fmt.Errorf("%s: its SHA-256 is not the one recorded in point.json: the file was edited or damaged", path)
	}
	s, err := output.ParseSummary(path, data)
	if err != nil {
		return nil, err
	}
	p := s.Provenance
	if p.ScenarioSHA256 != e.Hash || p.Seed != e.Seed || p.Runs != int64(e.Runs) || p.ScenarioFile != pointLabel(e, k) {
		return nil, fmt.Errorf("%s: its provenance (%s, seed %d, %d runs) is not point %d of this experiment", path, p.ScenarioFile, p.Seed, p.Runs, k)
	}
	m, err := e.Model(k)
	if err != nil {
		return nil, err
	}
	if err := s.Matches(m); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return s, nil
}

// finishSweep writes the files derived from the point summaries.
func finishSweep(ctx context.Context, w *output.Folder, e *scenario.Experiment, summaries []*output.Summary) error {
	if err := w.WriteFile("points.csv", pointsCSV(e, summaries)); err != nil {
		return err
	}
	design := newSweepDesign(e)
	if err := w.WriteJSON("experiment.json", design); err != nil {
		return err
	}
	if err := w.WriteFile("results.csv", resultsCSV(e, summaries)); err != nil {
		return err
	}
	return plots.WriteSweep(ctx, w, design.plotsSweep(summaries))
}

// SweepDesign is experiment.json: what the sweep ran — the design, its
// factors with their labels and the base scenario's values, each point's
// values — enough, with the points' summaries, to draw its charts again.
type SweepDesign struct {
	Name        string   `json:"name"`
	Title       string   `json:"title"`
	Description string   `json:"description"`
	Experiment  string   `json:"experiment_file"`
	SHA256      string   `json:"experiment_sha256"`
	Scenario    string   `json:"scenario_file"`
	Design      string   `json:"design"`
	Factors     []string `json:"factors"`
	// FactorLabels, FactorUnits and FactorScales name each factor for
	// readers and convert its values to the unit shown (sim.Label).
	FactorLabels []string  `json:"factor_labels,omitempty"`
	FactorUnits  []string  `json:"factor_units,omitempty"`
	FactorScales []Float64 `json:"factor_scales,omitempty"`
	// BaseValues are the factors' values in the base scenario (the mean
	// of its distribution when BaseUncertain).
	BaseValues    []Float64   `json:"base_values,omitempty"`
	BaseUncertain []bool      `json:"base_uncertain,omitempty"`
	Runs          int         `json:"runs_per_point"`
	Seed          uint64      `json:"seed"`
	Points        [][]Float64 `json:"points"`
}

func newSweepDesign(e *scenario.Experiment) SweepDesign {
	d := SweepDesign{Name: e.Name, Title: e.Title, Description: e.Description, Experiment: filepath.ToSlash(e.Path), SHA256: e.Hash,
		Scenario: filepath.ToSlash(e.Base.Path), Design: e.Design, Factors: factorPaths(e), Runs: e.Runs, Seed: e.Seed, Points: pointValues(e)}
	m := e.Base.Model
	for _, f := range e.Factors {
		l := m.ParamLabel(f.Path)
		if f.Label != "" {
			l.Text = f.Label
		}
		d.FactorLabels = append(d.FactorLabels, l.Text)
		d.FactorUnits = append(d.FactorUnits, l.Unit)
		d.FactorScales = append(d.FactorScales, Float64(l.Scale))
		base, uncertain := math.NaN(), false
		if i, ok := m.ParamIndex(f.Path); ok {
			dd := m.Params()[i].Dist
			base, uncertain = dd.Mean(), !dist.IsFixed(dd)
		}
		d.BaseValues = append(d.BaseValues, Float64(base))
		d.BaseUncertain = append(d.BaseUncertain, uncertain)
	}
	return d
}

// plotsSweep is what the charts are drawn from.
func (d SweepDesign) plotsSweep(summaries []*output.Summary) plots.Sweep {
	sw := plots.Sweep{Name: d.Name, Title: d.Title, Design: d.Design, Factors: d.Factors, Summaries: summaries, Runs: d.Runs, Seed: d.Seed}
	for _, p := range d.Points {
		row := make([]float64, len(p))
		for i, v := range p {
			row[i] = float64(v)
		}
		sw.Points = append(sw.Points, row)
	}
	for i := range d.Factors {
		f := plots.Factor{Path: d.Factors[i], Label: d.Factors[i], Scale: 1, Base: math.NaN()}
		if i < len(d.FactorLabels) {
			f.Label, f.Unit = d.FactorLabels[i], d.FactorUnits[i]
		}
		if i < len(d.FactorScales) && d.FactorScales[i] > 0 {
			f.Scale = float64(d.FactorScales[i])
		}
		if i < len(d.BaseValues) {
			f.Base, f.BaseUncertain = float64(d.BaseValues[i]), d.BaseUncertain[i]
		}
		sw.FactorInfo = append(sw.FactorInfo, f)
	}
	return sw
}

// Float64 encodes NaN (a factor left at its scenario value) as null.
type Float64 = output.Float

func factorPaths(e *scenario.Experiment) []string {
	out := make([]string, len(e.Factors))
	for i, f := range e.Factors {
		out[i] = f.Path
	}
	return out
}

func pointValues(e *scenario.Experiment) [][]Float64 {
	out := make([][]Float64, len(e.Points))
	for k, p := range e.Points {
		for _, v := range p.Values {
			out[k] = append(out[k], Float64(v))
		}
	}
	return out
}

// pointsCSV has one row per point: the factor values (empty where a
// one-at-a-time point leaves the factor at its scenario value), each
// event's probability with its Wilson interval, each outcome's mean,
// standard error and 5/50/95% quantiles.
func pointsCSV(e *scenario.Experiment, summaries []*output.Summary) []byte {
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	head := []string{"point"}
	for _, p := range factorPaths(e) {
		head = append(head, sim.ColumnName(p))
	}
	first := summaries[0]
	for _, ev := range first.Events {
		head = append(head, ev.Name+"_p", ev.Name+"_lo95", ev.Name+"_hi95")
	}
	for _, o := range first.Outcomes {
		head = append(head, o.Name+"_mean", o.Name+"_se", o.Name+"_p5", o.Name+"_p50", o.Name+"_p95")
	}
	w.Write(head)
	f := csvCell
	for k, s := range summaries {
		row := []string{strconv.Itoa(k)}
		for _, v := range e.Points[k].Values {
			row = append(row, f(output.Float(v)))
		}
		for _, ev := range s.Events {
			row = append(row, f(ev.Probability), f(ev.Wilson95[0]), f(ev.Wilson95[1]))
		}
		for _, o := range s.Outcomes {
			row = append(row, f(o.Mean), f(o.SE), f(o.Quantiles.P5), f(o.Quantiles.P50), f(o.Quantiles.P95))
		}
		w.Write(row)
	}
	w.Flush()
	return b.Bytes()
}

// resultsCSV is the sweep's results in long ("tidy") form: one row per
// design point and event or outcome, with the factors' values, the
// estimate, its Monte Carlo 95% interval and — for events — the 10th, 50th
// and 90th percentiles across the uncertain assumptions, for outcomes the
// 5th, 50th and 95th percentiles over runs. Empty cells are values that do
// not apply or were not measured.
func resultsCSV(e *scenario.Experiment, summaries []*output.Summary) []byte {
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	head := []string{"point"}
	for _, p := range factorPaths(e) {
		head = append(head, sim.ColumnName(p))
	}
	head = append(head, "kind", "name", "description", "estimate", "mc_lo95", "mc_hi95",
		"assumptions_p10", "assumptions_p50", "assumptions_p90", "runs_p5", "runs_p50", "runs_p95", "unit")
	w.Write(head)
	f := csvCell
	for k, s := range summaries {
		lead := []string{strconv.Itoa(k)}
		for _, v := range e.Points[k].Values {
			lead = append(lead, f(output.Float(v)))
		}
		for _, ev := range s.Events {
			p10, p50, p90 := "", "", ""
			if sp := ev.AssumptionSpread; sp != nil && sp.Resolved {
				p10, p50, p90 = f(sp.P10), f(sp.P50), f(sp.P90)
			}
			w.Write(append(append([]string(nil), lead...), "event", ev.Name, ev.Description, f(ev.Probability), f(ev.Wilson95[0]), f(ev.Wilson95[1]),
				p10, p50, p90, "", "", "", "probability"))
		}
		for _, o := range s.Outcomes {
			w.Write(append(append([]string(nil), lead...), "outcome", o.Name, o.Description, f(o.Mean), f(o.CI95[0]), f(o.CI95[1]),
				"", "", "", f(o.Quantiles.P5), f(o.Quantiles.P50), f(o.Quantiles.P95), o.Unit))
		}
	}
	w.Flush()
	return b.Bytes()
}

// sweepShard runs the design points of one shard and writes a shard
// folder: shard.json (carrying the experiment and its scenarios) and
// points/NNNN/summary.json and point.json for its points.
func sweepShard(ctx context.Context, e *scenario.Experiment, o SweepOptions) (*SweepReport, error) {
	lo, hi := o.Shard.Range(len(e.Points))
	if lo == hi {
		return nil, fmt.Errorf("shard %s of %d points is empty: use fewer shards than points", o.Shard, len(e.Points))
	}
	if err := checkSweep(e, hi-lo, workersOr(o.Workers), false, o.Limits); err != nil {
		return nil, err
	}
	rep := &SweepReport{Dir: o.Out, Points: hi - lo}
	target := output.Target{Dir: o.Out, Kind: "sweep-shard", Command: o.Command, Inputs: inputsOf(e.Sources()), Force: o.Force}
	err := output.Write(ctx, target, func(folder *output.Folder) error {
		for k := lo; k < hi; k++ {
			if _, err := runAndWritePoint(ctx, folder, e, k, o.Workers); err != nil {
				return err
			}
			if o.Progress != nil {
				o.Progress(k-lo+1, hi-lo)
			}
		}
		h := newHeader("sweep", filepath.ToSlash(e.Path), e.Hash, e.Sources(), e.Seed, len(e.Points), 1, *o.Shard)
		return folder.WriteJSON(ShardFile, h)
	})
	if err != nil {
		return nil, err
	}
	return rep, nil
}

// runPoint runs design point k and summarises it.
func runPoint(ctx context.Context, e *scenario.Experiment, k, workers int) (*output.Summary, error) {
	m, err := e.Model(k)
	if err != nil {
		return nil, err
	}
	res, err := experiment.RunPoint(ctx, m, e.Runs, e.Seed, workers)
	if err != nil {
		return nil, err
	}
	prov := output.NewProvenance(fmt.Sprintf("%s (point %d)", filepath.ToSlash(e.Path), k), e.Hash, e.Seed, res.Runs)
	return output.Summarize(m, res, prov), nil
}

// mergeSweep verifies the shards' point summaries (see checkPoint) and
// finishes the sweep as one machine would have.
func mergeSweep(ctx context.Context, shards []shardDir, o MergeOptions) (*MergeReport, error) {
	h := shards[0].h
	e, err := scenario.LoadExperimentSources(h.Path, sourceBytes(h.Sources))
	if err != nil {
		return nil, fmt.Errorf("%s: the experiment carried by the shard does not load: %w", shards[0].dir, err)
	}
	if e.Hash != h.SHA256 {
		return nil, fmt.Errorf("%s: the experiment carried by the shard has SHA-256 %s, not %s", shards[0].dir, e.Hash, h.SHA256)
	}
	if len(e.Points) != h.Total {
		return nil, fmt.Errorf("the experiment has %d points, the shards declare %d", len(e.Points), h.Total)
	}
	summaries := make([]*output.Summary, len(e.Points))
	var probs []string
	for _, s := range shards {
		for k := s.h.First; k < s.h.First+s.h.Count; k++ {
			sum, err := readPoint(e, k, s.dir)
			if err != nil {
				probs = append(probs, fmt.Sprintf("%s: point %d: %v", s.dir, k, err))
				if len(probs) >= 20 {
					break
				}
				continue
			}
			summaries[k] = sum
		}
	}
	if len(probs) > 0 {
		return nil, errors.New(strings.Join(probs, "\n"))
	}
	out := o.Out
	if out == "" {
		out = filepath.Join("out", e.Name)
	}
	err = output.Write(ctx, o.target(out, "sweep", shards), func(folder *output.Folder) error {
		if err := folder.WriteJSON("manifest.json", sweepManifest(e)); err != nil {
			return err
		}
		for _, s := range shards {
			for k := s.h.First; k < s.h.First+s.h.Count; k++ {
				for _, name := range []string{"summary.json", "point.json"} {
					rel := filepath.Join(pointDir(k), name)
					b, err := output.ReadLimited(filepath.Join(s.dir, rel), output.MaxSummaryBytes)
					if err != nil {
						return err
					}
					if err := folder.WriteFile(filepath.ToSlash(rel), b); err != nil {
						return err
					}
				}
			}
		}
		return finishSweep(ctx, folder, e, summaries)
	})
	if err != nil {
		return nil, err
	}
	return &MergeReport{Kind: "sweep", Dir: out, Shards: len(shards)}, nil
}

// csvCell writes a value for the sweep's CSV files: 8 significant digits,
// empty for NaN (not measured or not applicable).
func csvCell(x output.Float) string {
	if math.IsNaN(float64(x)) {
		return ""
	}
	return strconv.FormatFloat(float64(x), 'g', 8, 64)
}
