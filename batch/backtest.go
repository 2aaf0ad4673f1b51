package batch

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"path/filepath"
	"runtime"
	"strconv"
	"time"

	"github.com/geosim/geosim/backtest"
	"github.com/geosim/geosim/internal/version"
	"github.com/geosim/geosim/output"
	"github.com/geosim/geosim/plots"
	"github.com/geosim/geosim/sim"
	"github.com/geosim/geosim/sim/scenario"
	"github.com/geosim/geosim/sim/stats"
)

// BacktestOptions says where and how to run a backtest.
type BacktestOptions struct {
	Shard   *Shard // nil: every origin
	Out     string // the final folder
	Runs    int    // runs per origin; 0: the file's
	Seed    int64  // -1: the file's
	Workers int    // 0: GOMAXPROCS
	// Progress, when not nil, is called after each origin with the
	// number of origins finished (resumed ones included) and the total.
	Progress func(done, total int)
	Args     []string // the command line, for run.json and the folder's manifest
	Force    bool     // replace a folder geosim did not write (see output.Target)
}

// BacktestReport says what a backtest did.
type BacktestReport struct {
	Dir       string
	Origins   int
	Resumed   int    // origins found finished from an interrupted backtest
	Discard   string // non-empty when stale partial results were discarded, and why
	Questions int    // resolved question instances scored
	Dropped   int    // instances not asked: they resolve after the cut-off
	Groups    []backtest.Group
	Runs      int
	Seed      uint64
}

// backtestManifest identifies the backtest a work folder belongs to.
type backtestManifest struct {
	Tool    string `json:"tool"`
	Version string `json:"version"`
	// Format is originFormat: partial results saved in an older format
	// (no "format" key) are discarded rather than mixed with new ones.
	Format   int    `json:"format"`
	Backtest string `json:"backtest_sha256"`
	Runs     int    `json:"runs_per_origin"`
	Seed     uint64 `json:"seed"`
	Origins  int    `json:"origins"`
}

// newBacktestManifest identifies a backtest of b with these runs per
// origin and seed, made by this version of geosim.
func newBacktestManifest(b *scenario.Backtest, runs int, seed uint64) backtestManifest {
	return backtestManifest{Tool: "geosim", Version: version.Version, Format: originFormat, Backtest: b.Hash, Runs: runs, Seed: seed, Origins: len(b.Plan.Origins)}
}

// originFormat is the version of origins/*.json. Format 2 added each
// question's yes counts by group of replicates; format 1 (the yes total
// only) cannot give the grouped interval.
const originFormat = 2

// originFile is origins/YYYY-MM.json: the model's yes counts at one
// origin, per question.
type originFile struct {
	Format    int              `json:"format"` // originFormat
	Origin    string           `json:"origin"`
	Seed      uint64           `json:"seed"` // the origin's seed (backtest.OriginSeed)
	Runs      int              `json:"runs"`
	Signals   int              `json:"replayed_signals"`
	Overrides []string         `json:"overrides"`
	Questions []originQuestion `json:"questions"`
}

type originQuestion struct {
	ID  string `json:"id"`
	Yes int64  `json:"yes"`
	// Grouped is the yes counts by group of replicates (backtest.Tally).
	Grouped stats.Grouped `json:"grouped"`
}

func effective(b *scenario.Backtest, runs int, seed int64) (int, uint64) {
	r, s := b.Spec.Runs, b.Spec.Seed
	if runs > 0 {
		r = runs
	}
	if seed >= 0 {
		s = uint64(seed)
	}
	return r, s
}

// maxOriginBytes bounds what readOrigin reads of an origin file.
const maxOriginBytes = 16 << 20

// originPath is origin m's file in the folder dir (originName).
func originPath(dir string, m sim.Month) string { return filepath.Join(dir, originName(m)) }

// readOrigin reads an origin file and checks that it answers o's
// questions under the given runs and seed, in the current format, with
// counts that runs runs in groups of o's replicates can give; it returns
// nil otherwise. A file larger than maxOriginBytes is not one geosim
// wrote (an origin of a few thousand questions takes a few hundred KB)
// and is not read at all, so a device or a huge file cannot hang it.
func readOrigin(file string, o *backtest.Origin, runs int, seed uint64) []backtest.Tally {
	b, err := output.ReadLimited(file, maxOriginBytes)
	if err != nil {
		return nil
	}
	var f originFile
	if json.Unmarshal(b, &f) != nil || f.Format != originFormat || f.Origin != o.Month.String() || f.Runs != runs ||
		f.Seed != backtest.OriginSeed(seed, o.Month) || len(f.Questions) != len(o.Questions) {
		return nil
	}
	size := int64(o.Model.Replicates())
	groups := int64(runs) / size
	if size == 1 {
		groups = 0 // independent runs: no groups, as RunOrigin counts them
	}
	partial := int64(runs) - groups*size
	tallies := make([]backtest.Tally, len(f.Questions))
	for i, q := range f.Questions {
		g := q.Grouped
		// Each group's count K is in [0, R], so Σ K ≤ Σ K² ≤ R·Σ K.
		if q.ID != o.Questions[i].ID || g.Size != size || g.Groups != groups ||
			g.Sum < 0 || g.Sum > groups*size || q.Yes < g.Sum || q.Yes > g.Sum+partial ||
			g.SumSq < g.Sum || g.SumSq > size*g.Sum {
			return nil
		}
		tallies[i] = backtest.Tally{Yes: q.Yes, Grouped: g}
	}
	return tallies
}

func newOriginFile(o *backtest.Origin, runs int, seed uint64, tallies []backtest.Tally) originFile {
	f := originFile{Format: originFormat, Origin: o.Month.String(), Seed: backtest.OriginSeed(seed, o.Month), Runs: runs,
		Signals: o.Signals, Overrides: o.Overrides}
	if f.Overrides == nil {
		f.Overrides = []string{}
	}
	for i, q := range o.Questions {
		f.Questions = append(f.Questions, originQuestion{ID: q.ID, Yes: tallies[i].Yes, Grouped: tallies[i].Grouped})
	}
	return f
}

// Backtest runs every origin of b that is not already finished in the
// work folder (WorkDir(o.Out)), saving each origin's counts as soon as
// it is done, then writes forecasts.csv, scores.json, the charts and
// report.html and moves the folder into place. Interrupted and started
// again with the same backtest, runs and seed, it continues from the
// finished origins; the final files are byte-identical to an
// uninterrupted backtest's, since everything is derived from the saved
// counts. With o.Shard it runs one shard's origins into a shard folder
// for Merge.
func Backtest(ctx context.Context, b *scenario.Backtest, o BacktestOptions) (*BacktestReport, error) {
	start := time.Now()
	runs, seed := effective(b, o.Runs, o.Seed)
	if runs < 1 || runs > sim.MaxRuns {
		return nil, fmt.Errorf("runs per origin must be between 1 and %d, got %d", sim.MaxRuns, runs)
	}
	origins := b.Plan.Origins
	if o.Shard != nil {
		return backtestShard(ctx, b, o, runs, seed)
	}
	rep := &BacktestReport{Dir: o.Out, Origins: len(origins), Runs: runs, Seed: seed}
	sess, err := output.Open(output.Target{Dir: o.Out, Kind: "backtest", Command: o.Args, Inputs: inputsOf(b.Sources()),
		Force: o.Force, Work: filepath.Base(WorkDir(o.Out))})
	if err != nil {
		return nil, err
	}
	defer sess.Close()
	work := sess.WorkPath()
	want := newBacktestManifest(b, runs, seed)
	if err := adoptBacktestWork(work, want, o.Force, rep); err != nil {
		return nil, err
	}
	folder, err := sess.Resume()
	if err != nil {
		return nil, err
	}
	if err := folder.WriteJSON("manifest.json", want); err != nil {
		return nil, err
	}
	yes := make([][]backtest.Tally, len(origins))
	for k, org := range origins {
		if yes[k] = readOrigin(originPath(work, org.Month), org, runs, seed); yes[k] != nil {
			rep.Resumed++
		}
	}
	done := rep.Resumed
	if o.Progress != nil {
		o.Progress(done, len(origins))
	}
	for k, org := range origins {
		if yes[k] != nil {
			continue
		}
		y, err := backtest.RunOrigin(ctx, org, runs, seed, o.Workers)
		if err != nil {
			return rep, err
		}
		if err := folder.WriteJSON(originName(org.Month), newOriginFile(org, runs, seed, y)); err != nil {
			return rep, err
		}
		// Read back what was written, so that fresh and resumed origins
		// enter the derived files identically.
		if yes[k] = readOrigin(originPath(work, org.Month), org, runs, seed); yes[k] == nil {
			return rep, fmt.Errorf("%s: cannot read back what was written", originPath(work, org.Month))
		}
		done++
		if o.Progress != nil {
			o.Progress(done, len(origins))
		}
	}
	if err := ctx.Err(); err != nil {
		return rep, err
	}
	if err := finishBacktest(ctx, folder, b, runs, seed, yes, rep); err != nil {
		return rep, err
	}
	workers := o.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	info := output.NewRunInfo(start, time.Now(), int64(runs)*int64(len(origins)-rep.Resumed), workers, o.Args)
	if err := folder.WriteJSON("run.json", info); err != nil {
		return rep, err
	}
	return rep, sess.Commit(folder)
}

// adoptBacktestWork keeps a work folder left by an interrupted run of the
// same backtest, discards one of another backtest (saying so in
// rep.Discard), and refuses a folder geosim did not make unless force.
func adoptBacktestWork(work string, want backtestManifest, force bool, rep *BacktestReport) error {
	why, err := adoptFolder(work, "backtest", want, force, func(got backtestManifest) string {
		if got.Format != want.Format {
			return "partial results in " + work + " were saved by an older geosim, without the counts by replicate group that the Monte Carlo intervals need"
		}
		return "partial results in " + work + " belong to a different backtest, seed, run count or version"
	})
	rep.Discard = why
	return err
}

// originName is origin m's file inside a backtest or shard folder.
func originName(m sim.Month) string { return filepath.Join("origins", m.String()+".json") }

// backtestShard runs one shard's origins into a shard folder:
// shard.json (carrying the backtest's files) and origins/*.json.
func backtestShard(ctx context.Context, b *scenario.Backtest, o BacktestOptions, runs int, seed uint64) (*BacktestReport, error) {
	origins := b.Plan.Origins
	lo, hi := o.Shard.Range(len(origins))
	if lo == hi {
		return nil, fmt.Errorf("shard %s of %d origins is empty: use fewer shards than origins", o.Shard, len(origins))
	}
	rep := &BacktestReport{Dir: o.Out, Origins: hi - lo, Runs: runs, Seed: seed}
	target := output.Target{Dir: o.Out, Kind: "backtest-shard", Command: o.Args, Inputs: inputsOf(b.Sources()), Force: o.Force}
	err := output.Write(ctx, target, func(folder *output.Folder) error {
		for k := lo; k < hi; k++ {
			org := origins[k]
			y, err := backtest.RunOrigin(ctx, org, runs, seed, o.Workers)
			if err != nil {
				return err
			}
			if err := folder.WriteJSON(originName(org.Month), newOriginFile(org, runs, seed, y)); err != nil {
				return err
			}
			if o.Progress != nil {
				o.Progress(k-lo+1, hi-lo)
			}
		}
		h := newHeader("backtest", b.Path, b.Hash, b.Sources(), seed, len(origins), 1, *o.Shard)
		h.Template = b.TemplateOverride
		h.Runs = runs
		return folder.WriteJSON(ShardFile, h)
	})
	if err != nil {
		return nil, err
	}
	return rep, nil
}

// mergeBacktest gathers the shards' origin files and finishes the
// backtest as one machine would have.
func mergeBacktest(ctx context.Context, shards []shardDir, o MergeOptions) (*MergeReport, error) {
	h := shards[0].h
	b, err := scenario.LoadBacktestSources(h.Path, sourceBytes(h.Sources), h.Template)
	if err != nil {
		return nil, fmt.Errorf("%s: the backtest carried by the shard does not load: %w", shards[0].dir, err)
	}
	if b.Hash != h.SHA256 {
		return nil, fmt.Errorf("%s: the backtest carried by the shard has SHA-256 %s, not %s", shards[0].dir, b.Hash, h.SHA256)
	}
	out := o.Out
	if out == "" {
		out = filepath.Join("out", b.Spec.Name)
	}
	runs, seed := h.Runs, h.Seed
	if runs < 1 || runs > sim.MaxRuns {
		return nil, fmt.Errorf("%s: %d runs per origin is out of range", shards[0].dir, runs)
	}
	origins := b.Plan.Origins
	if h.Total != len(origins) {
		return nil, fmt.Errorf("%s: the shards cover %d origins, the backtest has %d", shards[0].dir, h.Total, len(origins))
	}
	target := output.Target{Dir: out, Kind: "backtest", Command: o.Command, Force: o.Force}
	for _, s := range shards {
		target.Inputs = append(target.Inputs, s.dir)
	}
	err = output.Write(ctx, target, func(folder *output.Folder) error {
		yes := make([][]backtest.Tally, len(origins))
		for _, s := range shards {
			for k := s.h.First; k < s.h.First+s.h.Count; k++ {
				org := origins[k]
				y := readOrigin(originPath(s.dir, org.Month), org, runs, seed)
				if y == nil {
					return fmt.Errorf("%s: origin %s is missing, does not match the backtest or was written by an older geosim (run that shard again)", s.dir, org.Month)
				}
				if err := folder.WriteJSON(originName(org.Month), newOriginFile(org, runs, seed, y)); err != nil {
					return err
				}
				if yes[k] = readOrigin(folder.Path(originName(org.Month)), org, runs, seed); yes[k] == nil {
					return fmt.Errorf("%s: origin %s does not read back as written", folder.Path(originName(org.Month)), org.Month)
				}
			}
		}
		want := newBacktestManifest(b, runs, seed)
		if err := folder.WriteJSON("manifest.json", want); err != nil {
			return err
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		if err := finishBacktest(ctx, folder, b, runs, seed, yes, &BacktestReport{}); err != nil {
			return err
		}
		return folder.WriteJSON("run.json", mergeInfo(shards))
	})
	if err != nil {
		return nil, err
	}
	return &MergeReport{Kind: "backtest", Dir: out, Shards: len(shards)}, nil
}

// finishBacktest scores the counts and writes the derived files.
func finishBacktest(ctx context.Context, w *output.Folder, b *scenario.Backtest, runs int, seed uint64, yes [][]backtest.Tally, rep *BacktestReport) error {
	rows := backtest.Rows(b.Plan, yes, runs)
	groups := backtest.ScoreRows(b.Spec, rows, seed)
	rep.Questions, rep.Dropped, rep.Groups = len(rows), b.Plan.Dropped, groups
	if err := w.WriteFile("forecasts.csv", backtestCSV(b, rows)); err != nil {
		return err
	}
	if err := w.WriteJSON("scores.json", backtestJSON(b, runs, seed, rows, groups)); err != nil {
		return err
	}
	src := backtestSources{Path: filepath.ToSlash(b.Path), Template: b.TemplateOverride, Runs: runs, Seed: seed, Sources: map[string]string{}}
	for k, v := range b.Sources() {
		src.Sources[k] = string(v)
	}
	if err := w.WriteJSON("backtest.json", src); err != nil {
		return err
	}
	return plots.WriteBacktest(ctx, w, plots.BacktestData{
		Name: b.Spec.Name, Title: b.Spec.Title, Description: b.Spec.Description, File: b.Path, SHA256: b.Hash,
		Spec: b.Spec, Plan: b.Plan, Rows: rows, Groups: groups, Runs: runs, Seed: seed, Version: version.Version,
	})
}

// backtestSources is backtest.json: the backtest file, its template and
// record files as they were (text), with the runs and seed — what geosim
// plot needs to score the saved counts again and draw the charts.
type backtestSources struct {
	Path     string            `json:"path"`
	Template string            `json:"template,omitempty"` // the template used instead of the file's, if any
	Runs     int               `json:"runs_per_origin"`
	Seed     uint64            `json:"seed"`
	Sources  map[string]string `json:"sources"`
}

// backtestHeader is the header of a backtest's forecasts.csv.
var backtestHeader = []string{"origin", "question_id", "template", "horizon_months", "from", "to", "text",
	"probability", "lo95", "hi95", "runs", "outcome", "observed_months", "needed_months",
	"climatology", "persistence", "always_50"}

// backtestCSV has one row per resolved question: the model's probability
// with its Wilson 95% Monte Carlo interval, the outcome and every
// benchmark's probability.
func backtestCSV(b *scenario.Backtest, rows []backtest.Row) []byte {
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	w.Write(backtestHeader)
	g := func(x float64) string { return strconv.FormatFloat(x, 'g', 8, 64) }
	for _, r := range rows {
		q := r.Question
		w.Write([]string{r.Origin.String(), q.ID, b.Spec.Templates[q.Template].ID, strconv.Itoa(q.Horizon), q.From.String(), q.To.String(), q.Text,
			g(r.P[backtest.Model]), g(r.Lo), g(r.Hi), strconv.Itoa(r.Runs), strconv.Itoa(int(r.Outcome())), strconv.Itoa(q.Observed), strconv.Itoa(q.AtLeast),
			g(r.P[backtest.Climatology]), g(r.P[backtest.Persistence]), g(r.P[backtest.Half])})
	}
	w.Flush()
	return buf.Bytes()
}

func backtestJSON(b *scenario.Backtest, runs int, seed uint64, rows []backtest.Row, groups []backtest.Group) any {
	f := func(x float64) output.Float { return output.Float(x) }
	s := b.Spec
	type event struct {
		Type   string `json:"type"`
		Actor  string `json:"actor,omitempty"`
		Target string `json:"target,omitempty"`
	}
	type template struct {
		ID           string       `json:"id"`
		Text         string       `json:"text"`
		Events       []event      `json:"events"`
		AtLeastShare output.Float `json:"at_least_share,omitempty"`
	}
	var templates []template
	for _, t := range s.Templates {
		tt := template{ID: t.ID, Text: t.Text, AtLeastShare: f(t.AtLeastShare)}
		for _, e := range t.Events {
			tt.Events = append(tt.Events, event{e.Type, e.Actor, e.Target})
		}
		templates = append(templates, tt)
	}
	type mappingJSON struct {
		Type    string   `json:"type"`
		Action  string   `json:"action,omitempty"`
		Replay  string   `json:"replay"`
		Senders []string `json:"senders,omitempty"`
		Note    string   `json:"note,omitempty"`
	}
	var mapping []mappingJSON
	for _, m := range s.Mappings {
		mapping = append(mapping, mappingJSON{m.Type, m.Action, m.Replay, m.Senders, m.Note})
	}
	var overrides []map[string]any
	for _, o := range s.Overrides {
		overrides = append(overrides, map[string]any{"name": o.Name, "date": o.Date.Format(time.DateOnly), "description": o.Description, "source": o.Source})
	}
	var origins []map[string]any
	for _, o := range b.Plan.Origins {
		ov := o.Overrides
		if ov == nil {
			ov = []string{}
		}
		entry := map[string]any{"origin": o.Month.String(), "questions": len(o.Questions), "replayed_signals": o.Signals, "overrides": ov}
		if o.Posterior != "" {
			entry["posterior"] = o.Posterior
		}
		origins = append(origins, entry)
	}
	yes := 0
	for _, r := range rows {
		yes += int(r.Outcome())
	}
	var gs []map[string]any
	for _, g := range groups {
		var fs []map[string]any
		for _, sc := range g.Scores {
			var bins []map[string]any
			for _, bin := range sc.Murphy.Bins {
				bins = append(bins, map[string]any{"lo": bin.Lo, "hi": bin.Hi, "n": bin.N, "mean_forecast": f(bin.MeanP), "observed": f(bin.Observed)})
			}
			var skill []map[string]any
			for _, k := range sc.Skill {
				skill = append(skill, map[string]any{"reference": k.Reference, "value": f(k.Value), "lo90": f(k.Lo), "hi90": f(k.Hi)})
			}
			fs = append(fs, map[string]any{
				"forecaster": sc.Forecaster, "brier": f(sc.Brier), "log_score": f(sc.Log),
				"reliability": f(sc.Murphy.Reliability), "resolution": f(sc.Murphy.Resolution), "uncertainty": f(sc.Murphy.Uncertainty), "within_bin": f(sc.Murphy.WithinBin),
				"confident": sc.Confident, "confident_right": sc.ConfidentRight, "confident_share": f(sc.ConfidentShare),
				"bins": bins, "skill": skill,
			})
		}
		gs = append(gs, map[string]any{"group": g.Key, "template": g.Template, "horizon_months": g.Horizon, "questions": g.N, "origins": g.Origins,
			"yes": g.Yes, "base_rate": f(g.BaseRate), "forecasters": fs})
	}
	var posteriors []map[string]any
	for _, r := range s.Posteriors {
		posteriors = append(posteriors, map[string]any{"name": r.Name, "file": r.Posterior.File, "sha256": r.Posterior.SHA256,
			"data_to": r.DataTo.Format(time.DateOnly), "first_origin": r.From.String(), "last_origin": r.To.String(), "source": r.Source})
	}
	head := map[string]any{
		"name": s.Name, "title": s.Title, "file": filepath.ToSlash(b.Path), "sha256": b.Hash,
		"template": filepath.ToSlash(b.Template.Path), "template_sha256": b.Template.Hash, "record": s.Record.Files,
		"record_start": s.RecordStart.Format(time.DateOnly), "cutoff": s.Cutoff.Format(time.DateOnly),
		"horizons_months": s.Horizons, "replay_months": s.ReplayMonths, "climatology_months": s.ClimatologyMonths,
		"runs_per_origin": runs, "seed": seed, "bootstrap_resamples": s.Resamples(), "skill_interval": backtest.SkillLevel,
		"log_clip": s.Clip(), "questions": templates, "mapping": mapping, "overrides": overrides,
	}
	if posteriors != nil {
		head["posteriors"] = posteriors
	}
	return map[string]any{
		"tool": "geosim", "version": version.Version,
		"backtest":    head,
		"forecasters": backtest.Forecasters,
		"resolved":    len(rows), "dropped": b.Plan.Dropped, "yes": yes,
		"origins": origins,
		"groups":  gs,
	}
}
