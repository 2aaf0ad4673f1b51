package scenario

import (
	"fmt"
	"strings"
	"time"

	"github.com/geosim/geosim/internal/suggest"
	"github.com/geosim/geosim/sim"
	"github.com/geosim/geosim/sim/dist"
)

// walker converts a decoded TOML document into a sim.Scenario, checking
// types and keys and collecting every problem with its key path.
type walker struct {
	probs sim.Problems
	more  int                 // problems beyond sim.MaxProblems, counted only
	order map[string][]string // table path → child keys in document order
}

func (w *walker) add(path, format string, args ...any) {
	if w.full() {
		w.more++
		return
	}
	w.probs = append(w.probs, &sim.Problem{Path: path, Msg: fmt.Sprintf(format, args...)})
}

// full reports whether further problems are only counted.
func (w *walker) full() bool { return len(w.probs) >= sim.MaxProblems }

// count returns the number of problems found so far.
func (w *walker) count() int { return len(w.probs) + w.more }

// all returns the problems found, with one entry standing for those
// beyond sim.MaxProblems.
func (w *walker) all() sim.Problems {
	if w.more > 0 {
		return append(w.probs[:len(w.probs):len(w.probs)], sim.MoreProblems(w.more))
	}
	return w.probs
}

func join(path, key string) string {
	k := sim.PathKey(key)
	if path == "" {
		return k
	}
	return path + "." + k
}

// keys returns m's keys in document order.
func (w *walker) keys(path string, m map[string]any) []string {
	out := make([]string, 0, len(m))
	seen := map[string]bool{}
	for _, k := range w.order[path] {
		if _, ok := m[k]; ok && !seen[k] {
			out = append(out, k)
			seen[k] = true
		}
	}
	for _, k := range sortedKeys(m) {
		if !seen[k] {
			out = append(out, k)
		}
	}
	return out
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sortStrings(out)
	return out
}

// checkKeys reports every key of m that is not allowed, with a hint.
func (w *walker) checkKeys(path string, m map[string]any, allowed ...string) {
	for _, k := range w.keys(path, m) {
		if !contains(allowed, k) {
			if w.full() { // skip the hint: nobody reads the 100,001st
				w.more++
				continue
			}
			where := "here"
			if path != "" {
				where = "in [" + path + "]"
			}
			w.add(join(path, k), "unknown key %q %s%s", k, where, suggest.Hint(k, allowed))
		}
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func typeName(v any) string {
	switch v.(type) {
	case string:
		return "a string"
	case int64, float64:
		return "a number"
	case bool:
		return "a boolean"
	case time.Time:
		return "a date"
	case []any, []map[string]any:
		return "an array"
	case map[string]any:
		return "a table"
	}
	return fmt.Sprintf("%T", v)
}

func (w *walker) table(path string, v any) (map[string]any, bool) {
	m, ok := v.(map[string]any)
	if !ok {
		w.add(path, "must be a table, got %s", typeName(v))
	}
	return m, ok
}

func (w *walker) str(path string, v any) string {
	s, ok := v.(string)
	if !ok {
		w.add(path, "must be a string, got %s", typeName(v))
	}
	return s
}

func (w *walker) boolean(path string, v any) bool {
	b, ok := v.(bool)
	if !ok {
		w.add(path, "must be true or false, got %s", typeName(v))
	}
	return b
}

func (w *walker) integer(path string, v any) (int64, bool) {
	switch x := v.(type) {
	case int64:
		return x, true
	case float64:
		if x == float64(int64(x)) {
			return int64(x), true
		}
	}
	w.add(path, "must be a whole number, got %v", v)
	return 0, false
}

func (w *walker) number(path string, v any) (float64, bool) {
	switch x := v.(type) {
	case int64:
		return float64(x), true
	case float64:
		return x, true
	}
	w.add(path, "must be a number, got %s", typeName(v))
	return 0, false
}

// Years a date may have: wide enough for history and long horizons,
// narrow enough to catch a mistyped year (0025-09-01).
const (
	minYear = 1800
	maxYear = 2399
)

// date accepts a TOML local date (2025-09-01) or a string holding one.
// A TOML local time (10:00:00) decodes as a time.Time in year 0 and a
// date-time carries a time of day (and perhaps a zone that moves the
// date): both are rejected rather than read as a date.
func (w *walker) date(path string, v any) time.Time {
	var t time.Time
	switch x := v.(type) {
	case time.Time:
		switch x.Location().String() {
		case "date-local": // BurntSushi/toml's zone for a local date
			t = time.Date(x.Year(), x.Month(), x.Day(), 0, 0, 0, 0, time.UTC)
		case "time-local":
			w.add(path, "must be a date like 2025-09-01, got the time of day %s", x.Format(time.TimeOnly))
			return time.Time{}
		case "datetime-local":
			w.add(path, "must be a date like 2025-09-01, got the date-time %s: write the date alone", x.Format("2006-01-02T15:04:05.999999999"))
			return time.Time{}
		default:
			w.add(path, "must be a date like 2025-09-01, got the date-time %s: write the date alone", x.Format(time.RFC3339Nano))
			return time.Time{}
		}
	case string:
		p, err := time.Parse(time.DateOnly, x)
		if err != nil {
			w.add(path, "must be a date like 2025-09-01, got %q", x)
			return time.Time{}
		}
		t = p
	default:
		w.add(path, "must be a date like 2025-09-01, got %s", typeName(v))
		return time.Time{}
	}
	if t.Year() < minYear || t.Year() > maxYear {
		w.add(path, "%s: the year must be between %d and %d", t.Format(time.DateOnly), minYear, maxYear)
		return time.Time{}
	}
	return t
}

func (w *walker) strings(path string, v any) []string {
	arr, ok := v.([]any)
	if !ok {
		w.add(path, "must be an array of strings, got %s", typeName(v))
		return nil
	}
	out := make([]string, 0, len(arr))
	for i, x := range arr {
		s, ok := x.(string)
		if !ok {
			w.add(path, "element %d must be a string, got %s", i+1, typeName(x))
			continue
		}
		out = append(out, s)
	}
	return out
}

func (w *walker) pair(path string, v any) [2]string {
	s := w.strings(path, v)
	if len(s) != 2 {
		if s != nil {
			w.add(path, "must name exactly two actors, like [\"DPRK\", \"CHN\"]")
		}
		return [2]string{}
	}
	return [2]string{s[0], s[1]}
}

func (w *walker) numbers(path string, v any) []float64 {
	arr, ok := v.([]any)
	if !ok {
		w.add(path, "must be an array of numbers, got %s", typeName(v))
		return nil
	}
	out := make([]float64, 0, len(arr))
	for _, x := range arr {
		if f, ok := w.number(path, x); ok {
			out = append(out, f)
		}
	}
	return out
}

// distKeys lists the parameters of each distribution kind.
var distKeys = map[string][]string{
	"fixed":       {"value"},
	"uniform":     {"min", "max"},
	"normal":      {"mean", "sd"},
	"truncnormal": {"mean", "sd", "min", "max"},
	"beta":        {"alpha", "beta"},
	"triangular":  {"min", "mode", "max"},
	"lognormal":   {"mu", "sigma"},
	"choice":      {"values", "weights"},
}

var distKinds = []string{"fixed", "uniform", "normal", "truncnormal", "beta", "triangular", "lognormal", "choice"}

// param reads a numeric parameter: a number, { value = x, source = ".." }
// or a distribution table { dist = "uniform", min = a, max = b }. It
// returns nil after recording a problem.
func (w *walker) param(path string, v any) dist.Dist {
	switch x := v.(type) {
	case int64, float64:
		f, _ := w.number(path, x)
		return dist.Fixed{Value: f}
	case map[string]any:
		return w.distTable(path, x)
	}
	w.add(path, "must be a number or a distribution like { dist = \"uniform\", min = 1, max = 3 }, got %s", typeName(v))
	return nil
}

func (w *walker) distTable(path string, m map[string]any) dist.Dist {
	kind := "fixed"
	if k, ok := m["dist"]; ok {
		kind = w.str(join(path, "dist"), k)
		if _, known := distKeys[kind]; !known {
			w.add(join(path, "dist"), "unknown distribution %q (use %s)%s", kind, strings.Join(distKinds, ", "), suggest.Hint(kind, distKinds))
			return nil
		}
	} else if _, ok := m["value"]; !ok {
		w.add(path, "a parameter table needs dist = \"...\" or value = ...")
		return nil
	}
	allowed := append([]string{"dist", "source", "note"}, distKeys[kind]...)
	w.checkKeys(path, m, allowed...)
	before := w.count()
	num := func(k string) float64 {
		v, ok := m[k]
		if !ok {
			if k != "weights" {
				w.add(path, "%s distribution needs %s", kind, k)
			}
			return 0
		}
		f, _ := w.number(join(path, k), v)
		return f
	}
	var d dist.Dist
	switch kind {
	case "fixed":
		d = dist.Fixed{Value: num("value")}
	case "uniform":
		d = dist.Uniform{Min: num("min"), Max: num("max")}
	case "normal":
		d = dist.Normal{Mu: num("mean"), Sigma: num("sd")}
	case "truncnormal":
		d = dist.TruncNormal{Mu: num("mean"), Sigma: num("sd"), Min: num("min"), Max: num("max")}
	case "beta":
		d = dist.Beta{Alpha: num("alpha"), Beta: num("beta")}
	case "triangular":
		d = dist.Triangular{Min: num("min"), Mode: num("mode"), Max: num("max")}
	case "lognormal":
		d = dist.LogNormal{Mu: num("mu"), Sigma: num("sigma")}
	case "choice":
		c := dist.Choice{}
		if v, ok := m["values"]; ok {
			c.Values = w.numbers(join(path, "values"), v)
		} else {
			w.add(path, "choice distribution needs values")
		}
		if v, ok := m["weights"]; ok {
			c.Weights = w.numbers(join(path, "weights"), v)
		}
		d = c
	}
	if w.count() > before {
		return nil
	}
	return d
}

// params reads the keys of m named in fields as parameters into out.
func (w *walker) params(path string, m map[string]any, fields []sim.Field, out map[string]dist.Dist) {
	for _, f := range fields {
		if v, ok := m[f.Name]; ok {
			if d := w.param(join(path, f.Name), v); d != nil {
				out[f.Name] = d
			}
		}
	}
}

func fieldNames(fields []sim.Field) []string {
	out := make([]string, len(fields))
	for i, f := range fields {
		out[i] = f.Name
	}
	return out
}

// scenario converts the whole document.
func (w *walker) scenario(doc map[string]any, sc *sim.Scenario) {
	sections := []string{"scenario", "model", "actor", "action", "trade", "stance", "stake", "incentive", "hazard", "link", "signal", "shock", "calendar", "outcome", "event", "series", "question", "posterior", "labels"}
	w.checkKeys("", doc, sections...)
	w.header(doc, sc)
	if m, ok := w.sub(doc, "", "labels"); ok {
		sc.Labels = map[string]string{}
		for _, k := range sortedKeys(m) {
			sc.Labels[k] = w.str(join("labels", k), m[k])
		}
	}
	if m, ok := w.sub(doc, "", "model"); ok {
		w.checkKeys("model", m, fieldNames(sim.ModelFields[:])...)
		sc.Model = map[string]dist.Dist{}
		w.params("model", m, sim.ModelFields[:], sc.Model)
	}
	w.each(doc, "actor", func(path, id string, m map[string]any) {
		fields := fieldNames(sim.ActorFields[:])
		w.checkKeys(path, m, append([]string{"name", "source", "exclude"}, fields...)...)
		a := sim.Actor{ID: id, Params: map[string]dist.Dist{}}
		w.optStr(path, m, "name", &a.Name)
		w.optStr(path, m, "source", &a.Source)
		if v, ok := m["exclude"]; ok {
			a.Exclude = w.strings(join(path, "exclude"), v)
		}
		w.params(path, m, sim.ActorFields[:], a.Params)
		sc.Actors = append(sc.Actors, a)
	})
	w.each(doc, "action", func(path, id string, m map[string]any) {
		fields := fieldNames(sim.ActionFields[:])
		w.checkKeys(path, m, append([]string{"description", "cameo", "broadcast", "channel", "mode", "source"}, fields...)...)
		a := sim.Action{ID: id, Params: map[string]dist.Dist{}}
		w.optStr(path, m, "description", &a.Description)
		w.optStr(path, m, "cameo", &a.CAMEO)
		w.optStr(path, m, "channel", &a.Channel)
		w.optStr(path, m, "mode", &a.Mode)
		if v, ok := m["broadcast"]; ok {
			a.Broadcast = w.boolean(join(path, "broadcast"), v)
		} else {
			a.Broadcast = builtinBroadcast(id)
		}
		w.params(path, m, sim.ActionFields[:], a.Params)
		sc.Actions = append(sc.Actions, a)
	})
	sc.Trade = w.ties(doc, "trade")
	sc.Stance = w.ties(doc, "stance")
	sc.Stake = w.ties(doc, "stake")
	w.each(doc, "incentive", func(path, from string, m map[string]any) {
		for _, k := range w.keys(path, m) {
			kp := join(path, k)
			if sub, ok := m[k].(map[string]any); ok && !isParamTable(sub) {
				for _, action := range w.keys(kp, sub) {
					if d := w.param(join(kp, action), sub[action]); d != nil {
						sc.Incentives = append(sc.Incentives, sim.Incentive{From: from, To: k, Action: action, Value: d})
					}
				}
				continue
			}
			if d := w.param(kp, m[k]); d != nil {
				sc.Incentives = append(sc.Incentives, sim.Incentive{From: from, Action: k, Value: d})
			}
		}
	})
	w.each(doc, "hazard", func(path, actor string, m map[string]any) {
		for _, k := range w.keys(path, m) {
			kp := join(path, k)
			sub, ok := w.table(kp, m[k])
			if !ok {
				continue
			}
			if _, direct := sub["rate"]; direct || len(sub) == 0 {
				sc.Hazards = append(sc.Hazards, w.hazard(kp, actor, "", k, sub))
				continue
			}
			for _, action := range w.keys(kp, sub) {
				ap := join(kp, action)
				if am, ok := w.table(ap, sub[action]); ok {
					sc.Hazards = append(sc.Hazards, w.hazard(ap, actor, k, action, am))
				}
			}
		}
	})
	w.each(doc, "calendar", func(path, name string, m map[string]any) {
		sc.Calendar = append(sc.Calendar, w.occasion(path, name, m))
	})
	w.each(doc, "link", func(path, name string, m map[string]any) {
		w.checkKeys(path, m, "description", "source", "when", "moves", "sign", "weight")
		l := sim.Link{Name: name}
		w.optStr(path, m, "description", &l.Description)
		w.optStr(path, m, "sign", &l.Sign)
		w.optStr(path, m, "source", &l.Source)
		l.When = w.reqPair(path, m, "when")
		l.Moves = w.reqPair(path, m, "moves")
		if v, ok := m["weight"]; ok {
			l.Weight = w.param(join(path, "weight"), v)
		} else {
			w.add(path, "a link needs a weight")
		}
		sc.Links = append(sc.Links, l)
	})
	w.each(doc, "signal", func(path, name string, m map[string]any) {
		sc.Signals = append(sc.Signals, w.signal(path, name, m, true))
	})
	w.each(doc, "shock", func(path, name string, m map[string]any) {
		sc.Shocks = append(sc.Shocks, w.shock(path, name, m))
	})
	w.each(doc, "outcome", func(path, name string, m map[string]any) {
		w.checkKeys(path, m, "description", "kind", "actors", "stat", "at", "actor", "action", "target", "from", "by")
		o := sim.Outcome{Name: name}
		w.optStr(path, m, "description", &o.Description)
		w.reqStr(path, m, "kind", &o.Kind)
		w.optPair(path, m, "actors", &o.Actors)
		w.optStr(path, m, "stat", &o.Stat)
		w.optDate(path, m, "at", &o.At)
		w.optStr(path, m, "actor", &o.Actor)
		w.optStr(path, m, "action", &o.Action)
		w.optStr(path, m, "target", &o.Target)
		w.optDate(path, m, "from", &o.From)
		w.optDate(path, m, "by", &o.By)
		sc.Outcomes = append(sc.Outcomes, o)
	})
	w.each(doc, "event", func(path, name string, m map[string]any) {
		w.checkKeys(path, m, "description", "kind", "actors", "actor", "action", "target", "directed", "below", "above", "shock", "from", "by")
		e := sim.Event{Name: name}
		w.optStr(path, m, "description", &e.Description)
		w.reqStr(path, m, "kind", &e.Kind)
		w.optPair(path, m, "actors", &e.Actors)
		w.optStr(path, m, "actor", &e.Actor)
		w.optStr(path, m, "action", &e.Action)
		w.optStr(path, m, "target", &e.Target)
		w.optStr(path, m, "shock", &e.Shock)
		if v, ok := m["directed"]; ok {
			e.Directed = w.boolean(join(path, "directed"), v)
		}
		for _, k := range []string{"below", "above"} {
			if v, ok := m[k]; ok {
				if f, ok := w.number(join(path, k), v); ok {
					if k == "below" {
						e.Below = &f
					} else {
						e.Above = &f
					}
				}
			}
		}
		w.optDate(path, m, "from", &e.From)
		w.optDate(path, m, "by", &e.By)
		sc.Events = append(sc.Events, e)
	})
	w.each(doc, "question", func(path, id string, m map[string]any) {
		w.checkKeys(path, m, "text", "event", "resolve_by")
		q := sim.Question{ID: id}
		w.reqStr(path, m, "text", &q.Text)
		w.reqStr(path, m, "event", &q.Event)
		if _, ok := m["resolve_by"]; !ok {
			w.add(path, "resolve_by is required")
		}
		w.optDate(path, m, "resolve_by", &q.ResolveBy)
		sc.Questions = append(sc.Questions, q)
	})
	w.each(doc, "series", func(path, name string, m map[string]any) {
		w.checkKeys(path, m, "description", "kind", "actors")
		s := sim.Series{Name: name}
		w.optStr(path, m, "description", &s.Description)
		w.optStr(path, m, "kind", &s.Kind)
		s.Actors = w.reqPair(path, m, "actors")
		sc.Series = append(sc.Series, s)
	})
}

// scenarioKeys are the keys of [scenario]; a variant may set only
// variantKeys besides base.
var (
	scenarioKeys = []string{"name", "title", "description", "start", "steps", "runs", "seed", "replicates", "burn_in", "base"}
	variantKeys  = []string{"name", "title", "description", "runs", "seed", "replicates", "burn_in", "base"}
)

func (w *walker) header(doc map[string]any, sc *sim.Scenario) {
	m, ok := w.sub(doc, "", "scenario")
	if !ok {
		w.add("scenario", "the file needs a [scenario] table with name, start and steps")
		return
	}
	w.checkKeys("scenario", m, scenarioKeys...)
	w.headerFields(m, sc)
}

// headerFields reads the [scenario] keys that are present into sc.
func (w *walker) headerFields(m map[string]any, sc *sim.Scenario) {
	w.optStr("scenario", m, "name", &sc.Name)
	w.optStr("scenario", m, "title", &sc.Title)
	w.optStr("scenario", m, "description", &sc.Description)
	w.optDate("scenario", m, "start", &sc.Start)
	if v, ok := m["steps"]; ok {
		if n, ok := w.integer("scenario.steps", v); ok {
			sc.Steps = int(n)
		}
	}
	w.optIntIn("scenario", m, "runs", 1, sim.MaxRuns, "", &sc.Runs)
	w.optIntIn("scenario", m, "burn_in", 0, sim.MaxBurnIn, " months", &sc.BurnIn)
	w.optIntIn("scenario", m, "replicates", 1, sim.MaxReplicates, "", &sc.Replicates)
	w.optSeed("scenario", m, "seed", &sc.Seed)
}

func (w *walker) sub(m map[string]any, path, key string) (map[string]any, bool) {
	v, ok := m[key]
	if !ok {
		return nil, false
	}
	return w.table(join(path, key), v)
}

// each calls fn for every named sub-table of doc[section], in document
// order.
func (w *walker) each(doc map[string]any, section string, fn func(path, name string, m map[string]any)) {
	sec, ok := w.sub(doc, "", section)
	if !ok {
		return
	}
	for _, name := range w.keys(section, sec) {
		path := join(section, name)
		if m, ok := w.table(path, sec[name]); ok {
			fn(path, name, m)
		}
	}
}

func (w *walker) ties(doc map[string]any, section string) []sim.Tie {
	var out []sim.Tie
	w.each(doc, section, func(path, from string, m map[string]any) {
		for _, to := range w.keys(path, m) {
			if d := w.param(join(path, to), m[to]); d != nil {
				t := sim.Tie{From: from, To: to, Value: d}
				if tm, ok := m[to].(map[string]any); ok {
					t.Source, _ = tm["source"].(string)
				}
				out = append(out, t)
			}
		}
	})
	return out
}

func (w *walker) signal(path, name string, m map[string]any, dated bool) sim.Signal {
	keys := []string{"description", "source", "from", "to", "scale", "credibility"}
	if dated {
		keys = append(keys, "date", "window")
	}
	w.checkKeys(path, m, keys...)
	s := sim.Signal{Name: name}
	w.optStr(path, m, "description", &s.Description)
	w.optStr(path, m, "source", &s.Source)
	w.reqStr(path, m, "from", &s.From)
	w.reqStr(path, m, "to", &s.To)
	if dated {
		_, hasDate := m["date"]
		_, hasWindow := m["window"]
		if !hasDate && !hasWindow {
			w.add(path, "a signal needs a date (or a window = [first, last] to repeat it every month)")
		}
		w.optDate(path, m, "date", &s.Date)
		if v, ok := m["window"]; ok {
			s.Window = w.dateRange(join(path, "window"), v)
		}
	}
	if v, ok := m["scale"]; ok {
		s.Scale = w.param(join(path, "scale"), v)
	} else {
		w.add(path, "a signal needs a scale (its Goldstein intensity)")
	}
	if v, ok := m["credibility"]; ok {
		s.Credibility = w.param(join(path, "credibility"), v)
	}
	return s
}

func (w *walker) shock(path, name string, m map[string]any) sim.Shock {
	w.checkKeys(path, m, "description", "label", "source", "hazard", "month", "covariates", "set", "multiply", "add", "signal")
	s := sim.Shock{Name: name}
	w.optStr(path, m, "description", &s.Description)
	w.optStr(path, m, "label", &s.Label)
	w.optStr(path, m, "source", &s.Source)
	if v, ok := m["hazard"]; ok {
		s.Hazard = w.param(join(path, "hazard"), v)
	}
	if v, ok := m["month"]; ok {
		s.Month = w.param(join(path, "month"), v)
	}
	if cm, ok := w.sub(m, path, "covariates"); ok {
		s.Covariates = w.covariates(join(path, "covariates"), cm)
	}
	for _, op := range []string{"set", "multiply", "add"} {
		ops, ok := w.sub(m, path, op)
		if !ok {
			continue
		}
		opPath := join(path, op)
		for _, target := range w.keys(opPath, ops) {
			if d := w.param(join(opPath, target), ops[target]); d != nil {
				s.Effects = append(s.Effects, sim.Effect{Op: op, Target: target, Value: d})
			}
		}
	}
	if sigs, ok := w.sub(m, path, "signal"); ok {
		sp := join(path, "signal")
		for _, sname := range w.keys(sp, sigs) {
			if sm, ok := w.table(join(sp, sname), sigs[sname]); ok {
				s.Signals = append(s.Signals, w.signal(join(sp, sname), sname, sm, false))
			}
		}
	}
	return s
}

// hazard reads a [hazard.ACTOR.ACTION] or [hazard.ACTOR.TARGET.ACTION]
// table: rate and covariates.
func (w *walker) hazard(path, actor, target, action string, m map[string]any) sim.Hazard {
	w.checkKeys(path, m, "rate", "covariates", "source")
	h := sim.Hazard{Actor: actor, Target: target, Action: action}
	w.optStr(path, m, "source", &h.Source)
	if v, ok := m["rate"]; ok {
		h.Rate = w.param(join(path, "rate"), v)
	} else {
		w.add(path, "a hazard needs a rate (monthly probability when every covariate is 0)")
	}
	if cm, ok := w.sub(m, path, "covariates"); ok {
		h.Covariates = w.covariates(join(path, "covariates"), cm)
	}
	return h
}

// covariates reads a table of state-variable paths (quoted, like
// "relation.DPRK.USA", or written as nested tables) and coefficients.
func (w *walker) covariates(path string, m map[string]any) []sim.Covariate {
	var out []sim.Covariate
	var walk func(prefix, p string, m map[string]any)
	walk = func(prefix, p string, m map[string]any) {
		for _, k := range w.keys(p, m) {
			name := k
			if prefix != "" {
				name = prefix + "." + k
			}
			if sub, ok := m[k].(map[string]any); ok && !isParamTable(sub) {
				walk(name, join(p, k), sub)
				continue
			}
			if d := w.param(join(path, name), m[k]); d != nil {
				out = append(out, sim.Covariate{Variable: name, Coef: d})
			}
		}
	}
	walk("", path, m)
	return out
}

// occasion reads a [calendar.NAME] table.
func (w *walker) occasion(path, name string, m map[string]any) sim.Occasion {
	w.checkKeys(path, m, "description", "source", "actors", "actor", "target", "action", "from", "by", "months", "incentive", "hazard_ratio")
	o := sim.Occasion{Name: name}
	w.optStr(path, m, "description", &o.Description)
	w.optStr(path, m, "source", &o.Source)
	if v, ok := m["actors"]; ok {
		o.Actors = w.strings(join(path, "actors"), v)
	}
	w.optStr(path, m, "actor", &o.Actor)
	w.optStr(path, m, "target", &o.Target)
	w.reqStr(path, m, "action", &o.Action)
	w.optDate(path, m, "from", &o.From)
	w.optDate(path, m, "by", &o.By)
	if v, ok := m["months"]; ok {
		for k, f := range w.numbers(join(path, "months"), v) {
			if f != float64(int(f)) {
				w.add(join(path, "months"), "element %d: %g is not a whole month number", k, f)
				continue
			}
			o.Months = append(o.Months, int(f))
		}
	}
	if v, ok := m["incentive"]; ok {
		o.Incentive = w.param(join(path, "incentive"), v)
	}
	if v, ok := m["hazard_ratio"]; ok {
		o.HazardRatio = w.param(join(path, "hazard_ratio"), v)
	}
	return o
}

// dateRange reads a [first, last] pair of dates.
func (w *walker) dateRange(path string, v any) [2]time.Time {
	arr, ok := v.([]any)
	if !ok || len(arr) != 2 {
		w.add(path, "expected two dates, like [2025-09-01, 2025-12-31], got %s", typeName(v))
		return [2]time.Time{}
	}
	return [2]time.Time{w.date(path+"[0]", arr[0]), w.date(path+"[1]", arr[1])}
}

func (w *walker) optStr(path string, m map[string]any, key string, dst *string) {
	if v, ok := m[key]; ok {
		*dst = w.str(join(path, key), v)
	}
}

func (w *walker) reqStr(path string, m map[string]any, key string, dst *string) {
	if _, ok := m[key]; !ok {
		w.add(path, "%s is required", key)
		return
	}
	w.optStr(path, m, key, dst)
}

func (w *walker) optDate(path string, m map[string]any, key string, dst *time.Time) {
	if v, ok := m[key]; ok {
		*dst = w.date(join(path, key), v)
	}
}

// optIntIn reads key as an integer in [lo, hi] into dst; out of range
// it reports the range (hi followed by unit, e.g. " months") and leaves
// dst alone.
func (w *walker) optIntIn(path string, m map[string]any, key string, lo, hi int64, unit string, dst *int) {
	if v, ok := m[key]; ok {
		p := join(path, key)
		if n, ok := w.integer(p, v); ok {
			if n < lo || n > hi {
				w.add(p, "must be between %d and %d%s, got %d", lo, hi, unit, n)
			} else {
				*dst = int(n)
			}
		}
	}
}

// optSeed reads key as a random seed, which must be >= 0.
func (w *walker) optSeed(path string, m map[string]any, key string, dst *uint64) {
	if v, ok := m[key]; ok {
		p := join(path, key)
		if n, ok := w.integer(p, v); ok {
			if n < 0 {
				w.add(p, "must be >= 0, got %d", n)
			}
			*dst = uint64(n)
		}
	}
}

func (w *walker) optPair(path string, m map[string]any, key string, dst *[2]string) {
	if v, ok := m[key]; ok {
		*dst = w.pair(join(path, key), v)
	}
}

func (w *walker) reqPair(path string, m map[string]any, key string) [2]string {
	v, ok := m[key]
	if !ok {
		w.add(path, "%s is required, like [\"DPRK\", \"CHN\"]", key)
		return [2]string{}
	}
	return w.pair(join(path, key), v)
}

// isParamTable tells a parameter given as a table ({ dist = ... } or
// { value = ... }) from a table of per-action incentives.
func isParamTable(m map[string]any) bool {
	_, d := m["dist"]
	_, v := m["value"]
	return d || v
}

func builtinBroadcast(id string) bool {
	for _, a := range sim.Catalogue() {
		if a.ID == id {
			return a.Broadcast
		}
	}
	return false
}
