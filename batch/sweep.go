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
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/geosim/geosim/internal/version"
	"github.com/geosim/geosim/output"
	"github.com/geosim/geosim/plots"
	"github.com/geosim/geosim/sim"
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
}

// SweepReport says what a sweep did.
type SweepReport struct {
	Dir     string
	Points  int
	Resumed int    // points found finished from an interrupted sweep
	Discard string // non-empty when stale partial results were discarded, and why
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

// WorkDir is where a sweep keeps finished points until it completes.
func WorkDir(out string) string { return filepath.Clean(out) + ".partial" }

// Sweep runs every design point of e that is not already finished in the
// work folder (WorkDir(o.Out)), saving each point's summary as soon as it
// is done, then writes points.csv, the design, the charts and moves the
// folder into place. Interrupted — by ctx or by the process being killed
// — and started again with the same experiment, it continues from the
// finished points; the final files are byte-identical to an
// uninterrupted sweep's, since each point's summary is deterministic and
// everything else is derived from the saved summaries.
func Sweep(ctx context.Context, e *scenario.Experiment, o SweepOptions) (*SweepReport, error) {
	if o.Shard != nil {
		return sweepShard(ctx, e, o)
	}
	if err := checkSweep(e, len(e.Points), workersOr(o.Workers), true, o.Limits); err != nil {
		return nil, err
	}
	work := WorkDir(o.Out)
	rep := &SweepReport{Dir: o.Out, Points: len(e.Points)}
	want := manifest{Tool: "geosim", Version: version.Version, Experiment: e.Hash, Runs: e.Runs, Seed: e.Seed, Points: len(e.Points)}
	if b, err := os.ReadFile(filepath.Join(work, "manifest.json")); err == nil {
		var got manifest
		if json.Unmarshal(b, &got) != nil || got != want {
			rep.Discard = "partial results in " + work + " belong to a different experiment, seed, run count or version"
			if err := os.RemoveAll(work); err != nil {
				return nil, err
			}
		}
	}
	if err := os.MkdirAll(filepath.Join(work, "points"), 0o755); err != nil {
		return nil, err
	}
	if err := removeTemporaries(work); err != nil {
		return nil, err
	}
	if err := writeJSONAtomic(filepath.Join(work, "manifest.json"), want); err != nil {
		return nil, err
	}
	summaries := make([]*output.Summary, len(e.Points))
	for k := range e.Points {
		file := pointFile(work, k)
		if s, err := output.ReadSummary(file); err == nil {
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
		s, err := runPoint(ctx, e, k, o.Workers)
		if err != nil {
			return rep, err
		}
		if err := writeJSONAtomic(pointFile(work, k), s); err != nil {
			return rep, err
		}
		// Read back what was written, so that fresh and resumed points
		// enter the derived files identically.
		if summaries[k], err = output.ReadSummary(pointFile(work, k)); err != nil {
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
	if err := finishSweep(work, e, summaries); err != nil {
		return rep, err
	}
	return rep, commitDir(work, o.Out)
}

// removeTemporaries deletes half-written files a killed sweep may have
// left (output.Dir's ".NAME.tmp-*" files).
func removeTemporaries(work string) error {
	return filepath.WalkDir(work, func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() && strings.HasPrefix(d.Name(), ".") && strings.Contains(d.Name(), ".tmp-") {
			return os.Remove(path)
		}
		return nil
	})
}

func pointFile(work string, k int) string {
	return filepath.Join(work, "points", fmt.Sprintf("%04d", k), "summary.json")
}

// finishSweep writes the files derived from the point summaries.
func finishSweep(work string, e *scenario.Experiment, summaries []*output.Summary) error {
	w := output.Dir(work)
	if err := w.WriteFile("points.csv", pointsCSV(e, summaries)); err != nil {
		return err
	}
	design := struct {
		Name        string      `json:"name"`
		Title       string      `json:"title"`
		Description string      `json:"description"`
		Experiment  string      `json:"experiment_file"`
		SHA256      string      `json:"experiment_sha256"`
		Scenario    string      `json:"scenario_file"`
		Design      string      `json:"design"`
		Factors     []string    `json:"factors"`
		Runs        int         `json:"runs_per_point"`
		Seed        uint64      `json:"seed"`
		Points      [][]Float64 `json:"points"`
	}{e.Name, e.Title, e.Description, filepath.ToSlash(e.Path), e.Hash, filepath.ToSlash(e.Base.Path), e.Design, factorPaths(e), e.Runs, e.Seed, pointValues(e)}
	if err := writeJSONAtomic(filepath.Join(work, "experiment.json"), design); err != nil {
		return err
	}
	return plots.WriteSweep(w, plots.Sweep{
		Name: e.Name, Title: e.Title, Design: e.Design, Factors: factorPaths(e),
		Points: rawPoints(e), Summaries: summaries, Runs: e.Runs, Seed: e.Seed,
	})
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

func rawPoints(e *scenario.Experiment) [][]float64 {
	out := make([][]float64, len(e.Points))
	for k, p := range e.Points {
		out[k] = p.Values
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
	f := func(x output.Float) string {
		if math.IsNaN(float64(x)) {
			return ""
		}
		return strconv.FormatFloat(float64(x), 'g', 8, 64)
	}
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

// writeJSONAtomic writes v as indented JSON through a temporary file
// renamed into place.
func writeJSONAtomic(path string, v any) error {
	return output.Dir(filepath.Dir(path)).WriteJSON(filepath.Base(path), v)
}

// commitDir moves a finished work folder to its final place, replacing
// an older folder there.
func commitDir(work, final string) error {
	var old string
	if _, err := os.Stat(final); err == nil {
		old = work + ".old"
		os.RemoveAll(old)
		if err := os.Rename(final, old); err != nil {
			return err
		}
	}
	if err := os.Rename(work, final); err != nil {
		if old != "" {
			os.Rename(old, final)
		}
		return err
	}
	if old != "" {
		return os.RemoveAll(old)
	}
	return nil
}

// sweepShard runs the design points of one shard and writes a shard
// folder: shard.json (carrying the experiment and its scenarios) and
// points/NNNN/summary.json for its points.
func sweepShard(ctx context.Context, e *scenario.Experiment, o SweepOptions) (*SweepReport, error) {
	lo, hi := o.Shard.Range(len(e.Points))
	if lo == hi {
		return nil, fmt.Errorf("shard %s of %d points is empty: use fewer shards than points", o.Shard, len(e.Points))
	}
	if err := checkSweep(e, hi-lo, workersOr(o.Workers), false, o.Limits); err != nil {
		return nil, err
	}
	rep := &SweepReport{Dir: o.Out, Points: hi - lo}
	err := output.Write(o.Out, func(folder *output.Folder) error {
		for k := lo; k < hi; k++ {
			s, err := runPoint(ctx, e, k, o.Workers)
			if err != nil {
				return err
			}
			if err := folder.WriteJSON(filepath.Join("points", fmt.Sprintf("%04d", k), "summary.json"), s); err != nil {
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

// mergeSweep gathers the shards' point summaries and finishes the sweep
// as one machine would have.
func mergeSweep(ctx context.Context, shards []shardDir, out string) (*MergeReport, error) {
	h := shards[0].h
	e, err := scenario.LoadExperimentSources(h.Path, sourceBytes(h.Sources))
	if err != nil {
		return nil, fmt.Errorf("%s: the experiment carried by the shard does not load: %w", shards[0].dir, err)
	}
	if e.Hash != h.SHA256 {
		return nil, fmt.Errorf("%s: the experiment carried by the shard has SHA-256 %s, not %s", shards[0].dir, e.Hash, h.SHA256)
	}
	if out == "" {
		out = filepath.Join("out", e.Name)
	}
	work := WorkDir(out)
	if err := os.RemoveAll(work); err != nil {
		return nil, err
	}
	summaries := make([]*output.Summary, len(e.Points))
	for _, s := range shards {
		for k := s.h.First; k < s.h.First+s.h.Count; k++ {
			src := filepath.Join(s.dir, "points", fmt.Sprintf("%04d", k), "summary.json")
			sum, err := output.ReadSummary(src)
			if err != nil {
				return nil, fmt.Errorf("%s: point %d: %w", s.dir, k, err)
			}
			if err := writeJSONAtomic(pointFile(work, k), sum); err != nil {
				return nil, err
			}
			if summaries[k], err = output.ReadSummary(pointFile(work, k)); err != nil {
				return nil, err
			}
		}
	}
	want := manifest{Tool: "geosim", Version: version.Version, Experiment: e.Hash, Runs: e.Runs, Seed: e.Seed, Points: len(e.Points)}
	if err := writeJSONAtomic(filepath.Join(work, "manifest.json"), want); err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if err := finishSweep(work, e, summaries); err != nil {
		return nil, err
	}
	if err := commitDir(work, out); err != nil {
		return nil, err
	}
	return &MergeReport{Kind: "sweep", Dir: out, Shards: len(shards)}, nil
}
