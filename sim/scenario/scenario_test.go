package scenario

import (
	"errors"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/geosim/geosim/sim/dist"
)

const validScenario = `[scenario]
name = "t"
start = 2025-09-01
steps = 12

[actor.DPRK]
rationality = 2.0

[actor.CHN]
power = 0.9

[actor.USA]
power = 1.0

[trade.DPRK]
CHN = 0.9

[signal.visit]
date = 2025-09-03
from = "DPRK"
to = "CHN"
scale = 1.9

[shock.relief]
hazard = 0.05
[shock.relief.set]
"incentive.USA.DPRK.sanction" = -1.0

[outcome.rel]
kind = "relation"
actors = ["DPRK", "CHN"]

[event.summit]
kind = "joint"
actors = ["DPRK", "USA"]
action = "summit"
by = 2026-06-30
`

func TestValidScenario(t *testing.T) {
	f, err := Parse("t.toml", []byte(validScenario))
	if err != nil {
		t.Fatal(err)
	}
	if n := len(f.Model.Actors()); n != 3 {
		t.Errorf("%d actors", n)
	}
}

// lineOf returns the 1-based line of the first line containing marker.
func lineOf(t *testing.T, text, marker string) int {
	t.Helper()
	for i, l := range strings.Split(text, "\n") {
		if strings.Contains(l, marker) {
			return i + 1
		}
	}
	t.Fatalf("marker %q not found", marker)
	return 0
}

// TestInvalidScenarios: each case breaks the valid scenario in one way;
// the error must name the line (found by the marker text) and contain
// the expected message.
func TestInvalidScenarios(t *testing.T) {
	cases := []struct {
		name     string
		old, new string // replace old by new in the valid scenario
		marker   string // text on the line the error must point to
		want     string // substring of the message
	}{
		{"share above 1", "CHN = 0.9", "CHN = 1.7", "CHN = 1.7", "trade.DPRK.CHN: must be in [0, 1] (share), got 1.7"},
		{"shares sum above 1", "CHN = 0.9", "CHN = 0.9\nUSA = 0.3", "[trade.DPRK]", "trade shares can sum to 1.2"},
		{"unknown actor key", "rationality = 2.0", "rationalty = 2.0", "rationalty", `unknown key "rationalty" in [actor.DPRK] (did you mean rationality?)`},
		{"unknown section", "[actor.USA]", "[actors.USA]", "[actors.USA]", `unknown key "actors" here (did you mean actor?)`},
		{"unknown actor in trade", "CHN = 0.9", "CNH = 0.9", "CNH = 0.9", `unknown actor "CNH" (did you mean CHN?)`},
		{"signal after horizon", "date = 2025-09-03", "date = 2027-09-03", "date = 2027-09-03", "2027-09-03 is after the horizon ends (2026-09-01)"},
		{"unknown action", `action = "summit"`, `action = "sumit"`, `action = "sumit"`, `unknown action "sumit" (did you mean summit?)`},
		{"unknown shock target", `"incentive.USA.DPRK.sanction"`, `"incentive.USA.DPRK.sanctoin"`, "sanctoin", `(did you mean incentive.USA.DPRK.sanction?)`},
		{"bad distribution", "rationality = 2.0", `rationality = { dist = "uniform", min = 3, max = 1 }`, "uniform", "actor.DPRK.rationality.max: must be greater than min (3), got 1"},
		{"normal too wide for the range", "rationality = 2.0", `rationality = { dist = "normal", mean = 2, sd = 1 }`, "normal", "actor.DPRK.rationality: normal(2, 1) puts 2.28% of its draws outside the range [0, 100] (1/utility)"},
		{"lognormal too wide for the range", "power = 0.9", `power = { dist = "lognormal", mu = 0, sigma = 1 }`, "lognormal", "actor.CHN.power: lognormal(0, 1) puts 50% of its draws outside the range [0, 1] (index)"},
		{"beta overflowing", "power = 0.9", `power = { dist = "beta", alpha = 1, beta = 1e20 }`, "beta", "actor.CHN.power.beta: must be in [0.001, 10000], got 1e+20"},
		{"beta degenerate", "power = 0.9", `power = { dist = "beta", alpha = 1e-9, beta = 1 }`, "beta", "actor.CHN.power.alpha: must be in [0.001, 10000], got 1e-09"},
		{"uniform overflowing", "power = 0.9", `power = { dist = "uniform", min = -1e308, max = 1e308 }`, "uniform", "actor.CHN.power.max: uniform(-1e+308, 1e+308) is too wide: its mean or variance overflows"},
		{"choice all weights zero", "power = 0.9", `power = { dist = "choice", values = [0.5, 0.9], weights = [0, 0] }`, "choice", "actor.CHN.power.weights: must not all be zero"},
		{"choice weight infinite", "power = 0.9", `power = { dist = "choice", values = [0.5, 0.9], weights = [inf, 1] }`, "choice", "actor.CHN.power.weights: must be finite and >= 0, got +Inf"},
		{"unknown distribution", "rationality = 2.0", `rationality = { dist = "gaussian", mean = 2 }`, "gaussian", `unknown distribution "gaussian"`},
		{"steps out of range", "steps = 12", "steps = 0", "steps = 0", "scenario.steps: must be between 1 and 600 months, got 0"},
		{"steps of wrong type", "steps = 12", `steps = "12"`, `steps = "12"`, "scenario.steps: must be a whole number"},
		{"unknown outcome kind", `kind = "relation"`, `kind = "relashion"`, "relashion", `unknown outcome kind "relashion"`},
		{"shock timing twice", "hazard = 0.05", "hazard = 0.05\nmonth = 3", "[shock.relief]", "give exactly one of hazard"},
		{"hazard above 1", "hazard = 0.05", "hazard = 1.5", "hazard = 1.5", "shock.relief.hazard: must be in [0, 1] (probability per month), got 1.5"},
		{"event date outside horizon", "by = 2026-06-30", "by = 2030-06-30", "by = 2030-06-30", "2030-06-30 is outside the horizon"},
		{"name used twice", "[event.summit]", "[event.rel]", "[event.rel]", "the name rel is already used by outcome.rel"},
		{"same actor twice", `actors = ["DPRK", "USA"]`, `actors = ["DPRK", "DPRK"]`, `["DPRK", "DPRK"]`, "needs two different actors"},
		{"unknown excluded action", "power = 1.0", "power = 1.0\nexclude = [\"nuke\"]", "exclude", `unknown action "nuke"`},
		{"at without date", `kind = "relation"`, "kind = \"relation\"\nstat = \"at\"", `stat = "at"`, `stat = "at" needs a date`},
		{"syntax error", "power = 0.9", "power = = 0.9", "power = = 0.9", "TOML syntax"},
		{"runs too many", "steps = 12", "steps = 12\nruns = 2000000000", "runs = ", "scenario.runs: must be between 1 and 1000000000"},
		{"power above 1", "power = 0.9", "power = 1.9", "power = 1.9", "actor.CHN.power: must be in [0, 1] (index), got 1.9"},
		{"local time as start", "start = 2025-09-01", "start = 10:00:00", "start = 10:00:00", "scenario.start: must be a date like 2025-09-01, got the time of day 10:00:00"},
		{"date-time as start", "start = 2025-09-01", "start = 2025-09-01T10:00:00Z", "start = 2025-09-01T", "scenario.start: must be a date like 2025-09-01, got the date-time 2025-09-01T10:00:00Z: write the date alone"},
		{"local time as signal date", "date = 2025-09-03", "date = 07:30:00", "date = 07:30:00", "signal.visit.date: must be a date like 2025-09-01, got the time of day 07:30:00"},
		{"local date-time as event date", "by = 2026-06-30", "by = 2026-06-30T12:00:00", "by = 2026-06-30T", "event.summit.by: must be a date like 2025-09-01, got the date-time 2026-06-30T12:00:00: write the date alone"},
		{"year mistyped", "start = 2025-09-01", "start = 0025-09-01", "start = 0025", "scenario.start: 0025-09-01: the year must be between 1800 and 2399"},
		{"date as a number", "by = 2026-06-30", "by = 2026", "by = 2026", "event.summit.by: must be a date like 2025-09-01, got a number"},
		{"outcome named run", "[outcome.rel]", "[outcome.run]", "[outcome.run]", "outcome.run: the name run is reserved (the run index column of runs.csv): choose another"},
		{"outcome named an R reserved word", "[outcome.rel]", "[outcome.TRUE]", "[outcome.TRUE]", "outcome.TRUE: the name TRUE is reserved (an R or Python reserved word)"},
		{"outcome named like an event's month column", "[outcome.rel]", "[outcome.summit_month]", "[event.summit]", "event.summit: the month of first occurrence of event.summit would be runs.csv column summit_month, which is already the column of outcome.summit_month: rename one"},
		{"event named like a shock's column", "[event.summit]", "[event.shock_relief]", "[shock.relief]", "shock.relief: the month of shock.relief would be runs.csv column shock_relief_month, which is already the column of event.shock_relief: rename one"},
		{"names differing only in case", "[event.summit]", "[event.REL]", "[event.REL]", "event.REL: the name REL differs only in case from outcome.rel"},
		{"dash in an event name", "[event.summit]", "[event.kim-summit]", "[event.kim-summit]", `event.kim-summit: name "kim-summit": use letters, digits and '_', starting with a letter (it is part of runs.csv column names)`},
		{"dash in an actor id", "[actor.USA]", "[actor.US-A]", "[actor.US-A]", `actor.US-A: actor id "US-A": use letters, digits and '_'`},
		{"comma in a shock name", "[shock.relief]", "[shock.\"re,lief\"]", "[shock.\"re,lief\"]", `shock.re,lief: shock name "re,lief": use letters, digits and '_'`},
		{"space in a signal name", "[signal.visit]", "[signal.\"state visit\"]", "[signal.\"state visit\"]", `signal."state visit": signal name "state visit": use letters`},
		{"measures nothing", validScenario[strings.Index(validScenario, "[outcome.rel]"):], "", "[scenario]", "scenario: the scenario measures nothing, so a run would write an empty report: declare at least one [outcome.NAME], [event.NAME] or [series.NAME]"},
		{"choice weights mismatch", "power = 0.9", "power = { dist = \"choice\", values = [0.5, 0.9], weights = [1] }", "choice", "actor.CHN.power.weights: has 1 entries but values has 2"},
	}
	seen := map[string]bool{}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if seen[c.want] {
				t.Fatalf("duplicate case message %q", c.want)
			}
			seen[c.want] = true
			if !strings.Contains(validScenario, c.old) {
				t.Fatalf("%q not in the valid scenario", c.old)
			}
			text := strings.Replace(validScenario, c.old, c.new, 1)
			_, err := Parse("bad.toml", []byte(text))
			var list ErrorList
			if !errors.As(err, &list) {
				t.Fatalf("got %v, want an ErrorList", err)
			}
			line := lineOf(t, text, c.marker)
			for _, e := range list {
				if strings.Contains(e.Error(), c.want) {
					if e.Line != line {
						t.Errorf("%q reported at line %d, want %d", e.Error(), e.Line, line)
					}
					if !strings.HasPrefix(e.Error(), "bad.toml:") {
						t.Errorf("%q does not start with the file name", e.Error())
					}
					return
				}
			}
			t.Errorf("no error contains %q; got:\n%v", c.want, err)
		})
	}
	if len(cases) < 15 {
		t.Fatalf("only %d cases", len(cases))
	}
}

// TestAllProblemsAtOnce: three independent problems give three errors,
// in line order.
// TestUnboundedDistributions: a normal or lognormal that puts at most
// 1% of its draws outside a parameter's range is sampled truncated to the
// range; every draw lies inside it, and a choice with weights of 1e308
// draws both its values.
func TestUnboundedDistributions(t *testing.T) {
	text := strings.NewReplacer(
		"rationality = 2.0", `rationality = { dist = "normal", mean = 2, sd = 0.5 }
memory = { dist = "lognormal", mu = 1.8, sigma = 0.5 }
power = { dist = "choice", values = [0.2, 0.4], weights = [1e308, 1e308] }`,
		"power = 0.9", `power = { dist = "beta", alpha = 1, beta = 10000 }`,
	).Replace(validScenario)
	f, err := Parse("u.toml", []byte(text))
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"actor.DPRK.rationality": "truncnormal(2, 0.5, [0, 100])",
		"actor.DPRK.memory":      "lognormal(1.8, 0.5) in [0.1, 1200]",
	}
	for path, s := range want {
		i, _ := f.Model.ParamIndex(path)
		if got := f.Model.Params()[i].Dist.String(); got != s {
			t.Errorf("%s is sampled from %s, want %s", path, got, s)
		}
	}
	seen := map[float64]bool{}
	rng := rand.New(rand.NewPCG(1, 2))
	for _, p := range f.Model.Params() {
		for k := 0; k < 2000; k++ {
			x := dist.Rand(p.Dist, rng)
			if !(x >= p.Field.Min && x <= p.Field.Max) {
				t.Fatalf("%s: draw %v outside [%g, %g]", p.Path, x, p.Field.Min, p.Field.Max)
			}
			if p.Path == "actor.DPRK.power" {
				seen[x] = true
			}
		}
	}
	if !seen[0.2] || !seen[0.4] {
		t.Errorf("choice with weights 1e308 drew %v, want both values", seen)
	}
}

func TestAllProblemsAtOnce(t *testing.T) {
	text := strings.NewReplacer("rationality = 2.0", "rationalty = 2.0", "CHN = 0.9", "CHN = 1.9", `action = "summit"`, `action = "sumit"`).Replace(validScenario)
	_, err := Parse("bad.toml", []byte(text))
	var list ErrorList
	if !errors.As(err, &list) || len(list) != 3 {
		t.Fatalf("want 3 errors, got %v", err)
	}
	for i := 1; i < len(list); i++ {
		if list[i].Line < list[i-1].Line {
			t.Errorf("errors not in line order: %v", err)
		}
	}
}

func TestBadFiles(t *testing.T) {
	dir := t.TempDir()
	write := func(name string, data []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	cases := map[string]string{
		write("empty.toml", []byte("  \n\n")):                   "the file is empty",
		write("binary.toml", []byte{0x7f, 'E', 'L', 'F', 0, 1}): "not a text file",
		filepath.Join(dir, "missing.toml"):                      "cannot read: no such file",
		write("array.toml", []byte("x = [1,\n")):                "TOML syntax",
		write("notable.toml", []byte("scenario = 3\n")):         "scenario: must be a table",
	}
	for path, want := range cases {
		_, err := Load(path)
		if err == nil || !strings.Contains(err.Error(), want) || !strings.Contains(err.Error(), path) {
			t.Errorf("%s: got %v, want an error naming the file and containing %q", path, err, want)
		}
	}
}

func TestVariant(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "base.toml"), []byte(validScenario), 0o644)
	os.WriteFile(filepath.Join(dir, "v.toml"), []byte(`[scenario]
base = "base.toml"
name = "v"

[override]
"shock.relief.hazard" = 0.5
"trade.DPRK.CHN" = { dist = "uniform", min = 0.5, max = 0.9 }
`), 0o644)
	f, err := Load(filepath.Join(dir, "v.toml"))
	if err != nil {
		t.Fatal(err)
	}
	if f.Model.Name() != "v" || len(f.Model.Uncertain()) != 1 {
		t.Errorf("name %q, %d uncertain", f.Model.Name(), len(f.Model.Uncertain()))
	}
	i, _ := f.Model.ParamIndex("shock.relief.hazard")
	if got := f.Model.Params()[i].Dist.Mean(); got != 0.5 {
		t.Errorf("override not applied: hazard %v", got)
	}
	os.WriteFile(filepath.Join(dir, "bad.toml"), []byte(`[scenario]
base = "base.toml"

[override]
"shock.relief.hazrd" = 0.5
"trade.DPRK.CHN" = 3
`), 0o644)
	_, err = Load(filepath.Join(dir, "bad.toml"))
	for _, want := range []string{`bad.toml:5: override."shock.relief.hazrd": no parameter "shock.relief.hazrd" (did you mean shock.relief.hazard?)`, `bad.toml:6: override."trade.DPRK.CHN": must be in [0, 1] (share), got 3`} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("got %v, want %q", err, want)
		}
	}
}

func TestLineIndex(t *testing.T) {
	src := `# comment
[scenario] # trailing
name = "x"
description = """
line with = sign
[not.a.table]
"""
[shock.s.multiply]
"incentive.A.B.deal" = { dist = "uniform", min = 0.1,
  max = 0.4 }
list = [
  1, 2,
]
after = 1
a.b.c = 2
`
	ix := indexLines(src)
	want := map[string]int{
		"scenario":                                  2,
		"scenario.name":                             3,
		"scenario.description":                      4,
		`shock.s.multiply."incentive.A.B.deal"`:     9,
		`shock.s.multiply."incentive.A.B.deal".max`: 10,
		"shock.s.multiply.list":                     11,
		"shock.s.multiply.after":                    14,
		"shock.s.multiply.a.b.c":                    15,
	}
	for path, line := range want {
		if got := ix.line(path); got != line {
			t.Errorf("%s: line %d, want %d", path, got, line)
		}
	}
	if _, ok := ix["not.a.table"]; ok {
		t.Error("a table header inside a multi-line string was indexed")
	}
}

// TestShockDeclarationOrder: shocks keep the order their tables are
// written in (the order shocks firing in the same month apply), not
// their names' order; the effects of one shock are set, multiply, add
// whatever order the file gives them in (docs/MODEL.md §5.1).
func TestShockDeclarationOrder(t *testing.T) {
	text := strings.Replace(validScenario, "[shock.relief]", `[shock.z_first]
month = 0
[shock.z_first.add]
"actor.DPRK.power" = 0.1
[shock.z_first.set]
"actor.DPRK.power" = 0.3

[shock.relief]`, 1)
	f, err := Parse("order.toml", []byte(text))
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, s := range f.Model.Shocks() {
		names = append(names, s.Name)
	}
	if strings.Join(names, " ") != "z_first relief" {
		t.Errorf("shocks in order %v, want z_first relief", names)
	}
	var ops []string
	for _, e := range f.Scenario.Shocks[0].Effects {
		ops = append(ops, e.Op)
	}
	if strings.Join(ops, " ") != "set add" {
		t.Errorf("effects in order %v, want set add", ops)
	}
}

// TestNoCascade: a start or horizon that cannot be read gives one
// message, not one more for every date measured against the horizon
// (start = 10:00:00 gave "needs a start date" and 20 "outside the
// horizon 0001-01-01 to 0003-01-01" lines too).
func TestNoCascade(t *testing.T) {
	for _, c := range []struct{ old, new, want string }{
		{"start = 2025-09-01", "start = 10:00:00", "bad.toml:3: scenario.start: must be a date like 2025-09-01, got the time of day 10:00:00"},
		{"start = 2025-09-01", "start = 2025-09-01T00:00:00Z", "bad.toml:3: scenario.start: must be a date like 2025-09-01, got the date-time 2025-09-01T00:00:00Z: write the date alone"},
		{"steps = 12", "steps = 0", "bad.toml:4: scenario.steps: must be between 1 and 600 months, got 0"},
	} {
		_, err := Parse("bad.toml", []byte(strings.Replace(validScenario, c.old, c.new, 1)))
		if err == nil || err.Error() != c.want {
			t.Errorf("got\n%v\nwant exactly\n%s", err, c.want)
		}
	}
}
