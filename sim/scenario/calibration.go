package scenario

import (
	"crypto/sha256"
	"encoding/hex"
	"io/fs"
	"path"
	"path/filepath"
	"time"

	"github.com/geosim/geosim/calibration"
	"github.com/geosim/geosim/sim"
)

// Calibration is a loaded calibration file: its spec, the backtest file
// it reuses (template, record, mapping, dated context) and the checked
// plan.
type Calibration struct {
	Path     string
	Source   []byte
	Hash     string // SHA-256 of the file, then of the backtest's hash
	Backtest *Backtest
	Spec     *calibration.Spec
	Plan     *calibration.Plan
}

// Sources returns the bytes of the calibration file and of every file
// it reads (the backtest, its template, record and posteriors), by path.
func (c *Calibration) Sources() map[string][]byte {
	out := c.Backtest.Sources()
	out[c.Path] = c.Source
	return out
}

// CalibrationOptions changes what a calibration file says.
type CalibrationOptions struct {
	// FitTo, when not zero, ends the fitting window at this date (the
	// last day of a month) instead of the file's fit_to, and drops the
	// held-out window: a calibration with only the data up to a backtest
	// origin.
	FitTo time.Time
	// Template, when not "", replaces the backtest's template.
	Template string
	// Particles, Generations and PredictiveDraws, when positive, replace
	// the file's particles, generations and predictive_draws: a quicker
	// (or more thorough) calibration of the same file.
	Particles, Generations, PredictiveDraws int
}

var calibrationKeys = []string{"name", "title", "description", "backtest", "fit_from", "fit_to", "holdout_from", "holdout_to",
	"block_months", "holdout_block_months", "burn_in", "histories", "particles", "generations", "quantile", "min_acceptance", "max_simulations",
	"seed", "predictive_draws", "summaries", "regression_pilot"}

// LoadCalibration reads and checks a calibration file, the backtest file
// it names (relative to its folder) with that file's template and record,
// and prepares the plan. Every problem in any of the files is reported at
// once.
//
//	[calibration]
//	backtest = "../backtest/dprk-2014-2025.toml"
//	fit_from = 2012-01-01
//	fit_to = 2021-12-31
//	holdout_from = 2022-01-01
//	holdout_to = 2025-08-31
//
//	[parameter."incentive.DPRK.weapons_test"]
//	prior = { dist = "uniform", min = -1, max = 3 }
//
//	[statistic.dprk_tests]
//	event = { action = "weapons_test", actor = "DPRK" }
func LoadCalibration(file string, o CalibrationOptions) (*Calibration, error) {
	return loadCalibrationFS(osFS{}, filepath.ToSlash(file), o)
}

func loadCalibrationFS(fsys fs.FS, name string, o CalibrationOptions) (*Calibration, error) {
	data, doc, ix, order, err := readDoc(fsys, name)
	if err != nil {
		return nil, err
	}
	w := &walker{order: order}
	w.checkKeys("", doc, "calibration", "parameter", "statistic", "override")
	head, ok := w.sub(doc, "", "calibration")
	if !ok {
		w.add("calibration", "a calibration file needs a [calibration] table naming the backtest, the windows and the settings")
		return nil, positioned(name, ix, w.probs)
	}
	w.checkKeys("calibration", head, calibrationKeys...)
	spec := &calibration.Spec{}
	c := &Calibration{Path: name, Source: data, Spec: spec}
	w.optStr("calibration", head, "name", &spec.Name)
	w.optStr("calibration", head, "title", &spec.Title)
	w.optStr("calibration", head, "description", &spec.Description)
	w.optStr("calibration", head, "summaries", &spec.Summaries)
	if spec.Name != "" && !idName(spec.Name) {
		w.add("calibration.name", "%q: use letters, digits, '-' and '_', starting with a letter", spec.Name)
	}
	for _, d := range []struct {
		key string
		dst *time.Time
	}{{"fit_from", &spec.FitFrom}, {"fit_to", &spec.FitTo}, {"holdout_from", &spec.HoldoutFrom}, {"holdout_to", &spec.HoldoutTo}} {
		w.optDate("calibration", head, d.key, d.dst)
	}
	if !o.FitTo.IsZero() {
		spec.FitTo, spec.HoldoutFrom, spec.HoldoutTo = o.FitTo, time.Time{}, time.Time{}
	}
	for _, n := range []struct {
		key string
		dst *int
	}{{"block_months", &spec.BlockMonths}, {"holdout_block_months", &spec.HoldoutBlockMonths}, {"burn_in", &spec.BurnIn}, {"histories", &spec.Histories},
		{"particles", &spec.Particles}, {"generations", &spec.Generations}, {"predictive_draws", &spec.PredictiveDraws},
		{"regression_pilot", &spec.RegressionPilot}} {
		w.optInt("calibration", head, n.key, n.dst)
		if _, ok := head[n.key]; ok && n.key != "burn_in" && *n.dst < 1 {
			w.add(join("calibration", n.key), "must be at least 1, got %d", *n.dst)
		}
	}
	for _, n := range []struct {
		v   int
		dst *int
	}{{o.Particles, &spec.Particles}, {o.Generations, &spec.Generations}, {o.PredictiveDraws, &spec.PredictiveDraws}} {
		if n.v > 0 {
			*n.dst = n.v
		}
	}
	if v, ok := head["max_simulations"]; ok {
		if n, ok := w.integer("calibration.max_simulations", v); ok {
			spec.MaxSimulations = n
		}
	}
	w.optSeed("calibration", head, "seed", &spec.Seed)
	for _, f := range []struct {
		key string
		dst *float64
	}{{"quantile", &spec.Quantile}, {"min_acceptance", &spec.MinAcceptance}} {
		if v, ok := head[f.key]; ok {
			*f.dst, _ = w.number(join("calibration", f.key), v)
		}
	}
	w.calibrationParams(doc, spec)
	w.calibrationStatistics(doc, spec)
	spec.Overrides = w.overrides(doc)

	var files ErrorList
	var btPath string
	w.reqStr("calibration", head, "backtest", &btPath)
	if btPath != "" {
		full := path.Join(path.Dir(name), btPath)
		b, err := loadBacktestFS(fsys, full, BacktestOptions{Template: filepath.ToSlash(o.Template)})
		if err != nil {
			files = append(files, asErrorList(full, err)...)
		} else {
			c.Backtest = b
			spec.Backtest = b.Spec
		}
	}
	probs := w.probs
	if len(files) == 0 && spec.Backtest != nil {
		plan, err := calibration.Prepare(spec)
		probs = append(probs, sim.AsProblems(err)...)
		c.Plan = plan
	}
	if len(probs) > 0 || len(files) > 0 {
		return nil, append(positioned(name, ix, probs), files...)
	}
	h := sha256.New()
	h.Write(data)
	h.Write([]byte(c.Backtest.Hash))
	if !o.FitTo.IsZero() { // the same file fitted to another date is another calibration
		h.Write([]byte("\x00fit_to=" + o.FitTo.Format(time.DateOnly)))
	}
	c.Hash = hex.EncodeToString(h.Sum(nil))
	return c, nil
}

func (w *walker) calibrationParams(doc map[string]any, spec *calibration.Spec) {
	w.each(doc, "parameter", func(p, name string, m map[string]any) {
		w.checkKeys(p, m, "prior", "source")
		par := calibration.Param{Path: name}
		if v, ok := m["prior"]; ok {
			par.Prior = w.param(join(p, "prior"), v)
		}
		w.optStr(p, m, "source", &par.Source)
		spec.Params = append(spec.Params, par)
	})
}

func (w *walker) calibrationStatistics(doc map[string]any, spec *calibration.Spec) {
	w.each(doc, "statistic", func(p, name string, m map[string]any) {
		w.checkKeys(p, m, "description", "kind", "event", "with", "per", "from", "to", "weight")
		st := calibration.Statistic{Name: name}
		if !idName(name) {
			w.add(p, "statistic name %q: use letters, digits, '-' and '_', starting with a letter", name)
		}
		w.optStr(p, m, "description", &st.Description)
		w.optStr(p, m, "kind", &st.Kind)
		w.optStr(p, m, "per", &st.Per)
		w.optDate(p, m, "from", &st.From)
		w.optDate(p, m, "to", &st.To)
		if v, ok := m["weight"]; ok {
			st.Weight, _ = w.number(join(p, "weight"), v)
			if st.Weight == 0 {
				w.add(join(p, "weight"), "must be > 0 (leave the statistic out instead)")
			}
		}
		if _, ok := m["event"]; !ok {
			w.add(p, "event is required, like { action = \"weapons_test\", actor = \"DPRK\" }")
		}
		st.Event = w.eventRef(join(p, "event"), m["event"])
		if v, ok := m["with"]; ok {
			st.With = w.eventRef(join(p, "with"), v)
		}
		spec.Statistics = append(spec.Statistics, st)
	})
}

func (w *walker) eventRef(p string, v any) calibration.EventRef {
	var r calibration.EventRef
	if v == nil {
		return r
	}
	m, ok := w.table(p, v)
	if !ok {
		return r
	}
	w.checkKeys(p, m, "action", "actor", "target")
	w.reqStr(p, m, "action", &r.Action)
	w.reqStr(p, m, "actor", &r.Actor)
	w.optStr(p, m, "target", &r.Target)
	return r
}
