package scenario

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io/fs"
	"math/rand/v2"
	"path"
	"path/filepath"
	"strings"

	"github.com/geosim/geosim/internal/suggest"
	"github.com/geosim/geosim/sim"
	"github.com/geosim/geosim/sim/dist"
	"github.com/geosim/geosim/sim/experiment"
)

// Experiment is a loaded batch experiment: a base scenario, the factors
// to vary, the design and its points, each point's compiled model.
type Experiment struct {
	Path        string
	Source      []byte // the experiment file's bytes
	Hash        string // hex SHA-256 of the experiment file, then of its base scenario's hash
	Name        string
	Title       string
	Description string
	Base        *File
	Design      string // grid, lhs, sobol or oat
	Factors     []experiment.Factor
	Points      []experiment.Point // every point checked at load; Model(k) builds one
	Runs        int                // per point
	Seed        uint64             // for every point (common random numbers)
	LHSSeed     uint64             // the seed of the Latin hypercube's draws and of the Sobol' design's scrambling
}

// Designs an experiment may use.
var designs = []string{"grid", "lhs", "sobol", "oat"}

// sampled reports whether a design samples its factors from ranges or
// distributions (and so needs points = N) rather than listing values.
func sampled(design string) bool { return design == "lhs" || design == "sobol" }

// LoadExperiment reads, validates and expands an experiment file. The
// base scenario is resolved relative to the experiment's folder. Every
// problem — in the experiment or in any design point's values — is
// reported at once, positioned like scenario errors.
func LoadExperiment(file string) (*Experiment, error) {
	return loadExperimentFS(osFS{}, filepath.ToSlash(file))
}

// Sources returns the bytes of the experiment file and of the scenarios
// it builds on, keyed by path, for LoadExperimentSources.
func (e *Experiment) Sources() map[string][]byte {
	out := e.Base.Sources()
	out[e.Path] = e.Source
	return out
}

// LoadExperimentSources loads the experiment at path from in-memory
// sources as returned by Sources.
func LoadExperimentSources(path string, sources map[string][]byte) (*Experiment, error) {
	return loadExperimentFS(mapFS(sources), path)
}

func loadExperimentFS(fsys fs.FS, name string) (*Experiment, error) {
	data, doc, ix, order, err := readDoc(fsys, name)
	if err != nil {
		return nil, err
	}
	w := &walker{order: order}
	w.checkKeys("", doc, "experiment", "factor")
	head, ok := w.sub(doc, "", "experiment")
	if !ok {
		w.add("experiment", "an experiment file needs an [experiment] table with scenario and design")
		return nil, positioned(name, ix, w.all())
	}
	w.checkKeys("experiment", head, "name", "title", "description", "scenario", "design", "points", "runs", "seed")
	e := &Experiment{Design: "grid"}
	var basePath string
	w.optStr("experiment", head, "name", &e.Name)
	w.optStr("experiment", head, "title", &e.Title)
	w.optStr("experiment", head, "description", &e.Description)
	w.reqStr("experiment", head, "scenario", &basePath)
	w.optStr("experiment", head, "design", &e.Design)
	if !contains(designs, e.Design) {
		w.add("experiment.design", "unknown design %q (use grid, lhs, sobol or oat)%s", e.Design, suggest.Hint(e.Design, designs))
	}
	points := 0
	if v, ok := head["points"]; ok {
		if n, ok := w.integer("experiment.points", v); ok {
			if n < 2 || n > experiment.MaxPoints {
				w.add("experiment.points", "must be between 2 and %d, got %d", experiment.MaxPoints, n)
			}
			points = int(n)
		}
		if !sampled(e.Design) {
			w.add("experiment.points", "points is only used by the lhs and sobol designs")
		}
	} else if sampled(e.Design) {
		w.add("experiment", "the %s design needs points = N", e.Design)
	}
	if v, ok := head["runs"]; ok {
		if n, ok := w.integer("experiment.runs", v); ok {
			if n < 1 || n > sim.MaxRuns {
				w.add("experiment.runs", "must be between 1 and %d, got %d", sim.MaxRuns, n)
			}
			e.Runs = int(n)
		}
	}
	seedSet := false
	if v, ok := head["seed"]; ok {
		if n, ok := w.integer("experiment.seed", v); ok && n >= 0 {
			e.Seed, seedSet = uint64(n), true
		} else if ok {
			w.add("experiment.seed", "must be >= 0")
		}
	}
	if e.Name == "" {
		e.Name = strings.TrimSuffix(path.Base(name), ".toml")
	} else if !idName(e.Name) {
		w.add("experiment.name", "%q: use letters, digits, '-' and '_', starting with a letter", e.Name)
	}
	if w.count() > 0 || basePath == "" {
		return nil, positioned(name, ix, w.all())
	}
	base, err := loadFS(fsys, path.Join(path.Dir(name), basePath), 0)
	if err != nil {
		var list ErrorList
		if errors.As(err, &list) && len(list) == 1 && list[0].Line == 0 {
			return nil, ErrorList{{File: name, Line: ix.line("experiment.scenario"), Path: "experiment.scenario", Msg: list[0].Msg}}
		}
		return nil, err
	}
	e.Path, e.Base, e.Source = name, base, data
	if e.Runs == 0 {
		e.Runs = base.Model.DefaultRuns()
	}
	if !seedSet {
		e.Seed = base.Model.DefaultSeed()
	}
	e.LHSSeed = e.Seed
	e.Factors = w.factors(doc, e.Design, base.Model)
	if len(e.Factors) == 0 && w.count() == 0 {
		w.add("factor", `an experiment needs at least one [factor."path"] table`)
	}
	if e.Design == "grid" && len(e.Factors) > 3 && w.count() == 0 {
		w.add("factor", "a grid over %d factors grows too fast: use the lhs or sobol design", len(e.Factors))
	}
	if w.count() > 0 {
		return nil, positioned(name, ix, w.all())
	}
	switch e.Design {
	case "grid":
		e.Points, err = experiment.Grid(e.Factors)
	case "lhs":
		e.Points, err = experiment.LatinHypercube(e.Factors, points, rand.New(rand.NewPCG(e.LHSSeed, 0x1a7e)))
	case "sobol":
		e.Points, err = experiment.SobolPoints(e.Factors, points, e.LHSSeed)
	default:
		e.Points, err = experiment.OneAtATime(e.Factors)
	}
	if err != nil {
		key := "experiment.design"
		if sampled(e.Design) {
			key = "experiment.points"
		}
		return nil, ErrorList{{File: name, Line: ix.line(key), Path: key, Msg: err.Error()}}
	}
	err = experiment.Check(base.Model, e.Factors, e.Points)
	if err != nil {
		var pe *experiment.PointError
		if errors.As(err, &pe) {
			for _, p := range sim.AsProblems(pe.Err) {
				w.add(factorPath(p.Path, e.Factors), "%s (design point %d)", p.Msg, pe.Point)
			}
			return nil, positioned(name, ix, w.all())
		}
		return nil, err
	}
	sum := sha256.Sum256(data)
	h := sha256.New()
	h.Write([]byte(hex.EncodeToString(sum[:])))
	h.Write([]byte(base.Hash))
	e.Hash = hex.EncodeToString(h.Sum(nil))
	return e, nil
}

// Model returns the compiled model of design point k (checked when the
// experiment was loaded). Models are built one at a time rather than all
// kept.
func (e *Experiment) Model(k int) (*sim.Model, error) {
	return e.Points[k].Model(e.Base.Model, e.Factors)
}

func idName(s string) bool {
	for i, r := range s {
		ok := r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || i > 0 && (r >= '0' && r <= '9' || r == '-' || r == '_')
		if !ok {
			return false
		}
	}
	return s != ""
}

// factorPath maps a parameter path back to the factor that set it: to
// its values key when it has one (the line index falls back to the
// factor's table otherwise).
func factorPath(p string, factors []experiment.Factor) string {
	for _, f := range factors {
		if p == f.Path || strings.HasPrefix(p, f.Path+".") {
			return "factor." + sim.PathKey(f.Path) + ".values"
		}
	}
	return p
}

// factors reads the [factor."path"] tables.
func (w *walker) factors(doc map[string]any, design string, m *sim.Model) []experiment.Factor {
	var out []experiment.Factor
	sec, ok := w.sub(doc, "", "factor")
	if !ok {
		return nil
	}
	for _, p := range w.keys("factor", sec) {
		fp := join("factor", p)
		t, ok := w.table(fp, sec[p])
		if !ok {
			continue
		}
		if _, known := m.ParamIndex(p); !known || strings.HasPrefix(p, "-") {
			w.add(fp, "%v", m.UnknownPathError(p))
			continue
		}
		f := experiment.Factor{Path: p}
		_, hasValues := t["values"]
		_, hasDist := t["dist"]
		_, hasSteps := t["steps"]
		switch {
		case hasValues:
			w.checkKeys(fp, t, "values", "note")
			f.Values = w.numbers(join(fp, "values"), t["values"])
			if len(f.Values) == 0 {
				w.add(join(fp, "values"), "needs at least one value")
			}
		case hasDist:
			if !sampled(design) {
				w.add(join(fp, "dist"), "a distribution is only used by the lhs and sobol designs; give values or min, max and steps")
				continue
			}
			f.Dist = w.distTable(fp, t)
		case hasSteps:
			w.checkKeys(fp, t, "min", "max", "steps", "note")
			lo, ok1 := w.reqNumber(fp, t, "min")
			hi, ok2 := w.reqNumber(fp, t, "max")
			n, ok3 := w.integer(join(fp, "steps"), t["steps"])
			if ok3 && (n < 2 || n > 1000) {
				w.add(join(fp, "steps"), "must be between 2 and 1000, got %d", n)
				ok3 = false
			}
			if ok1 && ok2 && !(hi > lo) {
				w.add(join(fp, "max"), "must be greater than min (%g), got %g", lo, hi)
				ok2 = false
			}
			if ok1 && ok2 && ok3 {
				f.Values = experiment.Range(lo, hi, int(n))
			}
		default:
			if sampled(design) {
				w.checkKeys(fp, t, "min", "max", "note")
				lo, ok1 := w.reqNumber(fp, t, "min")
				hi, ok2 := w.reqNumber(fp, t, "max")
				if ok1 && ok2 {
					f.Dist = dist.Uniform{Min: lo, Max: hi}
					if err := f.Dist.Validate(); err != nil {
						w.add(join(fp, "max"), "%v", err)
					}
				}
			} else {
				w.add(fp, "give values = [...], or min, max and steps")
				continue
			}
		}
		if sampled(design) && f.Dist == nil && f.Values != nil {
			w.add(fp, "the %s design samples each factor from a range or distribution: give min and max, or dist", design)
			continue
		}
		if f.Dist != nil {
			idx, _ := m.ParamIndex(p)
			field := m.Params()[idx].Field
			d, err := sim.FitToRange(f.Dist, field)
			if err != nil {
				w.add(fp, "%v", err)
				continue
			}
			if lo, hi := d.Support(); lo < field.Min || hi > field.Max {
				w.add(fp, "must be in [%g, %g] (%s), but %s takes values in [%g, %g]", field.Min, field.Max, field.Unit, d, lo, hi)
				continue
			}
			f.Dist = d
		}
		out = append(out, f)
	}
	return out
}

func (w *walker) reqNumber(path string, m map[string]any, key string) (float64, bool) {
	v, ok := m[key]
	if !ok {
		w.add(path, "%s is required", key)
		return 0, false
	}
	return w.number(join(path, key), v)
}
