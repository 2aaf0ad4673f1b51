package scenario

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"path/filepath"
	"sort"
	"time"

	"github.com/geosim/geosim/backtest"
	"github.com/geosim/geosim/history"
	"github.com/geosim/geosim/sim"
	"github.com/geosim/geosim/sim/abc"
	"github.com/geosim/geosim/sim/dist"
)

// Backtest is a loaded backtest file: its spec, the template scenario
// and record files it names, and the checked plan.
type Backtest struct {
	Path     string
	Source   []byte
	Hash     string // SHA-256 of the file, then of the template's hash and each record file (path and bytes)
	Template *File
	// TemplateOverride is the template used instead of the file's, when
	// one was given (BacktestOptions), as a slash path; "" otherwise.
	TemplateOverride string
	Records          map[string][]byte // record files by path
	// Attached holds the posterior files of [posterior.NAME] ranges and
	// the summaries beside them, by path.
	Attached map[string][]byte
	Spec     *backtest.Spec
	Plan     *backtest.Plan
}

// Sources returns the bytes of the backtest file, its template and its
// record files by path, for LoadBacktestSources (shards carry them).
func (b *Backtest) Sources() map[string][]byte {
	out := b.Template.Sources()
	for k, v := range b.Records {
		out[k] = v
	}
	for k, v := range b.Attached {
		out[k] = v
	}
	out[b.Path] = b.Source
	return out
}

// LoadBacktest reads and checks a backtest file, the scenario template
// and the record files it names (relative to its folder), and prepares
// the plan. Every problem in any of the files is reported at once.
//
//	[backtest]
//	template = "template.toml"
//	record = ["../history/launches.csv", "../history/summits.csv"]
//	first_origin = 2014-01-01
//	last_origin = 2024-07-01
//	origin_every_months = 3
//	horizons = [3, 6, 12]
//
//	[mapping.summit]
//	action = "summit"
//	replay = "joint"
//
//	[override.trump_2017]
//	date = 2017-01-20
//	source = "…"
//	set = { "incentive.USA.DPRK.summit" = 1.0 }
//
//	[question.kim_xi_summit]
//	text = "Will Kim Jong Un and Xi Jinping meet between {from} and {to}?"
//	events = [{ type = "summit", actor = "DPRK", target = "CHN" }]
func LoadBacktest(file string) (*Backtest, error) {
	return loadBacktestFS(osFS{}, filepath.ToSlash(file), BacktestOptions{})
}

// BacktestOptions changes what a backtest file says.
type BacktestOptions struct {
	// Template, when not "", is a scenario used as the template instead
	// of the one the file names (a path as given on the command line):
	// the same origins, record and questions asked of another model, as
	// an ablation study needs.
	Template string
}

// LoadBacktestWith is LoadBacktest with options.
func LoadBacktestWith(file string, o BacktestOptions) (*Backtest, error) {
	o.Template = filepath.ToSlash(o.Template)
	return loadBacktestFS(osFS{}, filepath.ToSlash(file), o)
}

// LoadBacktestSources loads the backtest at path from in-memory sources
// as returned by Sources, with the template override it was run with.
func LoadBacktestSources(path string, sources map[string][]byte, template string) (*Backtest, error) {
	return loadBacktestFS(mapFS(sources), path, BacktestOptions{Template: template})
}

var backtestKeys = []string{"name", "title", "description", "template", "record", "record_start", "cutoff",
	"first_origin", "last_origin", "origin_every_months", "horizons", "replay_months", "climatology_months",
	"runs", "seed", "bootstrap", "log_clip"}

func loadBacktestFS(fsys fs.FS, name string, o BacktestOptions) (*Backtest, error) {
	data, doc, ix, order, err := readDoc(fsys, name)
	if err != nil {
		return nil, err
	}
	w := &walker{order: order}
	w.checkKeys("", doc, "backtest", "mapping", "override", "question", "posterior")
	head, ok := w.sub(doc, "", "backtest")
	if !ok {
		w.add("backtest", "a backtest file needs a [backtest] table naming the template, record, origins and horizons")
		return nil, positioned(name, ix, w.probs)
	}
	w.checkKeys("backtest", head, backtestKeys...)
	b := &Backtest{Path: name, Source: data, Records: map[string][]byte{}}
	spec := &backtest.Spec{RecordStart: history.RecordStart, Cutoff: history.DefaultCutoff,
		ReplayMonths: 24, ClimatologyMonths: 60, Runs: 2000, Seed: 1}
	b.Spec = spec
	w.optStr("backtest", head, "name", &spec.Name)
	w.optStr("backtest", head, "title", &spec.Title)
	w.optStr("backtest", head, "description", &spec.Description)
	if spec.Name != "" && !idName(spec.Name) {
		w.add("backtest.name", "%q: use letters, digits, '-' and '_', starting with a letter", spec.Name)
	}
	w.optDate("backtest", head, "record_start", &spec.RecordStart)
	w.optDate("backtest", head, "cutoff", &spec.Cutoff)
	if spec.Cutoff.After(history.DefaultCutoff) {
		w.add("backtest.cutoff", "%s is after %s: nothing later may be used", spec.Cutoff.Format(time.DateOnly), history.DefaultCutoff.Format(time.DateOnly))
	}
	w.backtestOrigins(head, spec)
	if v, ok := head["horizons"]; ok {
		for _, h := range w.numbers("backtest.horizons", v) {
			if h != float64(int(h)) {
				w.add("backtest.horizons", "horizons are whole months, got %g", h)
				continue
			}
			spec.Horizons = append(spec.Horizons, int(h))
		}
	}
	w.optInt("backtest", head, "replay_months", &spec.ReplayMonths)
	w.optInt("backtest", head, "climatology_months", &spec.ClimatologyMonths)
	w.optInt("backtest", head, "runs", &spec.Runs)
	w.optInt("backtest", head, "bootstrap", &spec.Bootstrap)
	w.optSeed("backtest", head, "seed", &spec.Seed)
	if v, ok := head["log_clip"]; ok {
		spec.LogClip, _ = w.number("backtest.log_clip", v)
	}

	var files ErrorList // problems positioned in other files
	var tplPath string
	w.reqStr("backtest", head, "template", &tplPath)
	if tplPath != "" {
		full := path.Join(path.Dir(name), tplPath)
		if o.Template != "" {
			full = o.Template
			b.TemplateOverride = o.Template
		}
		f, err := loadFS(fsys, full, 0)
		if err != nil {
			files = append(files, asErrorList(full, err)...)
		} else {
			b.Template = f
			spec.Template = f.Scenario
			spec.TemplateOverrides = f.Overrides
		}
	}
	if v, ok := head["record"]; ok {
		rec := &history.Record{}
		for _, rp := range w.strings("backtest.record", v) {
			full := path.Join(path.Dir(name), rp)
			data, err := fs.ReadFile(fsys, full)
			if err != nil {
				w.add("backtest.record", "%s: cannot read: %s", rp, unwrapPathError(err))
				continue
			}
			b.Records[full] = data
			r, err := history.Parse(full, data, history.Options{})
			if err != nil {
				files = append(files, asErrorList(full, err)...)
				continue
			}
			rec.Files = append(rec.Files, full)
			rec.Events = append(rec.Events, r.Events...)
		}
		spec.Record = rec
		if len(b.Records) == 0 && len(w.strings("backtest.record", v)) == 0 {
			w.add("backtest.record", "name at least one record file")
		}
	} else {
		w.add("backtest", "record is required: the event record files, like [\"../history/launches.csv\"]")
	}
	w.backtestMappings(doc, spec)
	w.backtestOverrides(doc, spec)
	w.backtestQuestions(doc, spec)
	w.backtestPosteriors(fsys, name, doc, spec, b)

	probs := w.probs
	if len(files) == 0 && spec.Template != nil && spec.Record != nil {
		plan, err := backtest.Prepare(spec)
		probs = append(probs, sim.AsProblems(err)...)
		b.Plan = plan
	}
	if len(probs) > 0 || len(files) > 0 {
		return nil, append(positioned(name, ix, probs), files...)
	}
	h := sha256.New()
	h.Write(data)
	h.Write([]byte(b.Template.Hash))
	for _, f := range spec.Record.Files {
		fmt.Fprintf(h, "\x00%s\x00", f)
		h.Write(b.Records[f])
	}
	for _, f := range sortedKeys(b.Attached) {
		fmt.Fprintf(h, "\x00%s\x00", f)
		h.Write(b.Attached[f])
	}
	b.Hash = hex.EncodeToString(h.Sum(nil))
	return b, nil
}

// asErrorList turns a loader's error into positioned errors.
func asErrorList(file string, err error) ErrorList {
	var list ErrorList
	if errors.As(err, &list) {
		return list
	}
	var hl history.ErrorList
	if errors.As(err, &hl) {
		for _, e := range hl {
			list = append(list, &Error{File: e.File, Line: e.Line, Path: e.Column, Msg: e.Msg})
		}
		return list
	}
	return ErrorList{{File: file, Msg: err.Error()}}
}

func (w *walker) optInt(path string, m map[string]any, key string, dst *int) {
	if v, ok := m[key]; ok {
		if n, ok := w.integer(join(path, key), v); ok {
			*dst = int(n)
		}
	}
}

// backtestOrigins reads first_origin, last_origin and
// origin_every_months into the list of origins.
func (w *walker) backtestOrigins(head map[string]any, spec *backtest.Spec) {
	var first, last time.Time
	every := 3
	for _, o := range []struct {
		key string
		dst *time.Time
	}{{"first_origin", &first}, {"last_origin", &last}} {
		key, dst := o.key, o.dst
		if _, ok := head[key]; !ok {
			w.add("backtest", "%s is required (the first day of a month)", key)
			continue
		}
		w.optDate("backtest", head, key, dst)
		if !dst.IsZero() && dst.Day() != 1 {
			w.add("backtest."+key, "origins are months: write the first day, like %s", dst.Format("2006-01")+"-01")
		}
	}
	w.optInt("backtest", head, "origin_every_months", &every)
	if every < 1 {
		w.add("backtest.origin_every_months", "must be at least 1, got %d", every)
		return
	}
	if first.IsZero() || last.IsZero() {
		return
	}
	if last.Before(first) {
		w.add("backtest.last_origin", "%s is before first_origin %s", last.Format(time.DateOnly), first.Format(time.DateOnly))
		return
	}
	for m := sim.MonthOf(first); m <= sim.MonthOf(last); m += sim.Month(every) {
		spec.Origins = append(spec.Origins, m)
		if len(spec.Origins) > 10_000 {
			w.add("backtest.origin_every_months", "more than 10,000 origins")
			return
		}
	}
}

func (w *walker) backtestMappings(doc map[string]any, spec *backtest.Spec) {
	w.each(doc, "mapping", func(p, typ string, m map[string]any) {
		w.checkKeys(p, m, "action", "replay", "senders", "note")
		mp := backtest.Mapping{Type: typ}
		w.optStr(p, m, "action", &mp.Action)
		w.reqStr(p, m, "replay", &mp.Replay)
		w.optStr(p, m, "note", &mp.Note)
		if v, ok := m["senders"]; ok {
			mp.Senders = w.strings(join(p, "senders"), v)
		}
		spec.Mappings = append(spec.Mappings, mp)
	})
}

func (w *walker) backtestOverrides(doc map[string]any, spec *backtest.Spec) {
	spec.Overrides = w.overrides(doc)
}

// overrides reads [override.NAME] tables: dated context, in the form
// backtest and calibration files share.
func (w *walker) overrides(doc map[string]any) []backtest.Override {
	var out []backtest.Override
	w.each(doc, "override", func(p, name string, m map[string]any) {
		w.checkKeys(p, m, "date", "description", "source", "set")
		ov := backtest.Override{Name: name, Set: map[string]dist.Dist{}}
		if _, ok := m["date"]; !ok {
			w.add(p, "date is required: the day from which the change is known")
		}
		w.optDate(p, m, "date", &ov.Date)
		w.optStr(p, m, "description", &ov.Description)
		w.reqStr(p, m, "source", &ov.Source)
		if set, ok := w.sub(m, p, "set"); ok {
			sp := join(p, "set")
			for _, k := range w.keys(sp, set) {
				if d := w.param(join(sp, k), set[k]); d != nil {
					ov.Set[k] = d
				}
			}
		}
		out = append(out, ov)
	})
	return out
}

func (w *walker) backtestQuestions(doc map[string]any, spec *backtest.Spec) {
	w.each(doc, "question", func(p, id string, m map[string]any) {
		w.checkKeys(p, m, "text", "events", "at_least_share")
		t := backtest.Template{ID: id}
		if !idName(id) {
			w.add(p, "question id %q: use letters, digits, '-' and '_', starting with a letter", id)
		}
		w.reqStr(p, m, "text", &t.Text)
		if v, ok := m["at_least_share"]; ok {
			t.AtLeastShare, _ = w.number(join(p, "at_least_share"), v)
			if t.AtLeastShare == 0 {
				w.add(join(p, "at_least_share"), "must be in (0, 1]; leave it out to ask whether the event occurs")
			}
		}
		ep := join(p, "events")
		var list []map[string]any
		switch v := m["events"].(type) {
		case nil:
		case []map[string]any:
			list = v
		case []any:
			for i, x := range v {
				if em, ok := x.(map[string]any); ok {
					list = append(list, em)
				} else {
					w.add(ep, "element %d must be a table like { type = \"summit\", actor = \"DPRK\", target = \"CHN\" }", i+1)
				}
			}
		default:
			w.add(ep, "must be an array of tables like [{ type = \"summit\", actor = \"DPRK\", target = \"CHN\" }]")
		}
		for _, em := range list {
			keys := make([]string, 0, len(em))
			for k := range em {
				keys = append(keys, k)
			}
			sort.Strings(keys)
			for _, k := range keys {
				if k != "type" && k != "actor" && k != "target" {
					w.add(ep, "unknown key %q in an event (use type, actor, target)", k)
				}
			}
			var f history.Filter
			w.optStr(ep, em, "type", &f.Type)
			w.optStr(ep, em, "actor", &f.Actor)
			w.optStr(ep, em, "target", &f.Target)
			t.Events = append(t.Events, f)
		}
		spec.Templates = append(spec.Templates, t)
	})
}

// backtestPosteriors reads [posterior.NAME] ranges: a posterior file
// (relative to the backtest file) whose joint draws the origins
// first_origin..last_origin use, and data_to, the last day of the data
// it was fitted to. When the summary.json that geosim calibrate writes
// lies beside the posterior, its fit_to must equal data_to.
func (w *walker) backtestPosteriors(fsys fs.FS, name string, doc map[string]any, spec *backtest.Spec, b *Backtest) {
	w.each(doc, "posterior", func(p, id string, m map[string]any) {
		w.checkKeys(p, m, "file", "data_to", "first_origin", "last_origin", "source")
		r := backtest.PosteriorRange{Name: id}
		var file string
		var from, to time.Time
		w.reqStr(p, m, "file", &file)
		w.optStr(p, m, "source", &r.Source)
		for _, k := range []string{"data_to", "first_origin", "last_origin"} {
			if _, ok := m[k]; !ok {
				w.add(p, "%s is required", k)
			}
		}
		w.optDate(p, m, "data_to", &r.DataTo)
		w.optDate(p, m, "first_origin", &from)
		w.optDate(p, m, "last_origin", &to)
		r.From, r.To = sim.MonthOf(from), sim.MonthOf(to)
		if file != "" {
			full := path.Join(path.Dir(name), file)
			data, err := fs.ReadFile(fsys, full)
			if err != nil {
				w.add(join(p, "file"), "%s: cannot read: %s", file, unwrapPathError(err))
			} else if post, err := abc.ReadPosterior(bytes.NewReader(data), full); err != nil {
				w.add(join(p, "file"), "%v", err)
			} else {
				if b.Attached == nil {
					b.Attached = map[string][]byte{}
				}
				b.Attached[full] = data
				r.Posterior = &sim.Posterior{File: full, SHA256: post.SHA256, Params: post.Params, Rows: post.Rows, Weights: post.Weights}
				summary := path.Join(path.Dir(full), "summary.json")
				if raw, err := fs.ReadFile(fsys, summary); err == nil {
					b.Attached[summary] = raw
					var s struct {
						FitTo string `json:"fit_to"`
					}
					if json.Unmarshal(raw, &s) != nil || s.FitTo == "" {
						w.add(join(p, "file"), "%s beside the posterior has no fit_to", summary)
					} else if !r.DataTo.IsZero() && s.FitTo != r.DataTo.Format(time.DateOnly) {
						w.add(join(p, "data_to"), "%s, but %s says the posterior was fitted to %s", r.DataTo.Format(time.DateOnly), summary, s.FitTo)
					}
				}
			}
		}
		if r.Posterior != nil { // an unreadable or missing file is reported once, above
			spec.Posteriors = append(spec.Posteriors, r)
		}
	})
}
