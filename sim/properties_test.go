package sim_test

import (
	"fmt"
	"math"
	"testing"

	"github.com/geosim/geosim/sim"
	"github.com/geosim/geosim/sim/dist"
	"github.com/geosim/geosim/sim/scenario"
)

// The four direction-of-effect properties of the brief. Each compares two
// versions of a model run by run on common random numbers (same seed and
// run index): the paired differences have a small variance, so a few
// thousand runs resolve effects of a few hundredths of a Goldstein
// point. Each test states its tolerance: the mean paired difference must
// lie more than 4 standard errors on the expected side of zero (a false
// failure for a true effect of that size has probability < 1e-4, and the
// seed is fixed, so the test is deterministic).

const propertyRuns = 3000

func override(t *testing.T, m *sim.Model, kv map[string]float64) *sim.Model {
	t.Helper()
	o := map[string]dist.Dist{}
	for k, v := range kv {
		o[k] = dist.Fixed{Value: v}
	}
	m2, err := m.With(o)
	if err != nil {
		t.Fatal(err)
	}
	return m2
}

func outcomeIndex(t *testing.T, m *sim.Model, name string) int {
	t.Helper()
	for i, o := range m.Outcomes() {
		if o.Name == name {
			return i
		}
	}
	t.Fatalf("no outcome %q", name)
	return -1
}

// paired returns the mean and standard error of f(b) − f(a) over runs.
func paired(a, b *sim.Model, runs int, f func(out *sim.RunOutput) float64) (mean, se float64) {
	wa, wb := sim.NewWorkspace(a), sim.NewWorkspace(b)
	var sum, sumSq float64
	for r := 0; r < runs; r++ {
		wa.Run(99, uint64(r))
		wb.Run(99, uint64(r))
		d := f(&wb.Out) - f(&wa.Out)
		sum += d
		sumSq += d * d
	}
	n := float64(runs)
	mean = sum / n
	return mean, math.Sqrt((sumSq/n - mean*mean) / (n - 1))
}

func requirePositive(t *testing.T, what string, mean, se float64) {
	t.Helper()
	t.Logf("%s: paired difference %.4f ± %.4f (se)", what, mean, se)
	if !(mean > 4*se) || mean <= 0 {
		t.Errorf("%s: difference %.4f is not > 4 se (%.4f)", what, mean, 4*se)
	}
}

// Raising the DPRK's dependence on China raises the expected DPRK–China
// relation, monotonically over 0.5, 0.75 and 0.97.
func TestPropertyDependenceRaisesRelation(t *testing.T) {
	m := flagship(t)
	k := outcomeIndex(t, m, "dprk_chn_end")
	get := func(o *sim.RunOutput) float64 { return o.Outcomes[k] }
	low := override(t, m, map[string]float64{"trade.DPRK.CHN": 0.5})
	mid := override(t, m, map[string]float64{"trade.DPRK.CHN": 0.75})
	high := override(t, m, map[string]float64{"trade.DPRK.CHN": 0.97})
	mean, se := paired(low, mid, propertyRuns, get)
	requirePositive(t, "0.50 → 0.75", mean, se)
	mean, se = paired(mid, high, propertyRuns, get)
	requirePositive(t, "0.75 → 0.97", mean, se)
}

// A positive signal (Xi hosting Kim at the parade) raises the receiver's
// expected stance toward the sender in the months after it.
func TestPropertySignalRaisesStance(t *testing.T) {
	m := flagship(t)
	with := override(t, m, map[string]float64{"signal.parade_host.scale": 2.8})
	without := override(t, m, map[string]float64{"signal.parade_host.scale": 0})
	T1 := m.Steps() + 1
	series := 0 // dprk_chn relation
	wa, wb := sim.NewWorkspace(without), sim.NewWorkspace(with)
	var sum, sumSq [7]float64
	for r := 0; r < propertyRuns; r++ {
		wa.Run(99, uint64(r))
		wb.Run(99, uint64(r))
		for month := 1; month <= 6; month++ {
			d := wb.Out.Series[series*T1+month] - wa.Out.Series[series*T1+month]
			sum[month] += d
			sumSq[month] += d * d
		}
	}
	n := float64(propertyRuns)
	for month := 1; month <= 6; month++ {
		mean := sum[month] / n
		se := math.Sqrt((sumSq[month]/n - mean*mean) / (n - 1))
		requirePositive(t, fmt.Sprintf("DPRK–China relation after the parade, month %d", month), mean, se)
	}
}

// fadeScenario: B sends A one signal of +5 in the first month; both
// decide at random (rationality 0: every channel acts with probability
// 1/2) between the two mild actions they keep (visit and statement, each
// alone in its channel), so their choices do not depend on the state and
// are the same with and without the signal, run by run, and stances stay
// clear of the clamp at ±10.
const fadeScenario = `
[scenario]
name = "fade"
start = 2025-01-01
steps = 24
[actor.A]
rationality = 0
responsiveness = 0.1
memory = 4
exclude = ["summit", "deal", "criticism", "sanction", "supply_cut", "threat", "military_support", "weapons_test", "nuclear_test"]
[actor.B]
rationality = 0
exclude = ["summit", "deal", "criticism", "sanction", "supply_cut", "threat", "military_support", "weapons_test", "nuclear_test"]
[trade.A]
B = 0.6
[trade.B]
A = 0.1
[signal.offer]
date = 2025-01-15
from = "B"
to = "A"
scale = 5.0
credibility = 0.8
[series.a_b]
kind = "stance"
actors = ["A", "B"]
`

// TestPropertySignalFadesAsSpecified: the difference the signal makes to
// A's stance toward B is κ·L·c·g = 0.1·(1 + 1·(0.6 − 0.1))·0.8·5 = 0.6
// after the month it is sent, and decays by δ = 2^(−1/4) a month (a
// 4-month half-life): exactly, to rounding error, in every run.
func TestPropertySignalFadesAsSpecified(t *testing.T) {
	f, err := scenario.Parse("fade.toml", []byte(fadeScenario))
	if err != nil {
		t.Fatal(err)
	}
	with := f.Model
	without := override(t, with, map[string]float64{"signal.offer.scale": 0})
	wa, wb := sim.NewWorkspace(without), sim.NewWorkspace(with)
	decay := math.Exp2(-1.0 / 4)
	for r := 0; r < 500; r++ {
		wa.Run(5, uint64(r))
		wb.Run(5, uint64(r))
		if wa.Out.Series[0] != wb.Out.Series[0] {
			t.Fatalf("run %d: the signal changed the initial state", r)
		}
		for k := 1; k <= 24; k++ {
			d := wb.Out.Series[k] - wa.Out.Series[k]
			want := 0.6 * math.Pow(decay, float64(k-1))
			if math.Abs(d-want) > 1e-9 {
				t.Fatalf("run %d month %d: effect %.12f, want %.12f", r, k, d, want)
			}
		}
	}
}

// Ending the Ukraine war lowers expected DPRK–Russia cooperation: the
// relation at the end and the months of DPRK military supply.
func TestPropertyCeasefireCoolsDPRKRussia(t *testing.T) {
	m := flagship(t)
	war := override(t, m, map[string]float64{"shock.ukraine_ceasefire.hazard": 0})
	peace := override(t, m, map[string]float64{"shock.ukraine_ceasefire.hazard": 1})
	rel := outcomeIndex(t, m, "dprk_rus_end")
	mean, se := paired(peace, war, propertyRuns, func(o *sim.RunOutput) float64 { return o.Outcomes[rel] })
	requirePositive(t, "DPRK–Russia relation, war minus ceasefire", mean, se)
	mil := outcomeIndex(t, m, "munitions_months")
	mean, se = paired(peace, war, propertyRuns, func(o *sim.RunOutput) float64 { return o.Outcomes[mil] })
	requirePositive(t, "months of DPRK military supply, war minus ceasefire", mean, se)
}

// rationalityScenario has the decisions that matter in its single
// month: A's choice-mode channels toward B, counted per action. A
// excludes supply_cut, so each of those channels holds one action but
// verbal (statement or criticism: statement is the better of the two
// here, see expectedUtilities).
const rationalityScenario = `
[scenario]
name = "rationality"
start = 2025-01-01
steps = 1
[actor.A]
rationality = 2
economic_weight = 2
affinity_weight = 1
reciprocity_weight = 1
status_weight = 1
security_weight = 1
exclude = ["supply_cut"]
[actor.B]
power = 0.5
[trade.A]
B = 0.5
[stance.A]
B = 5.0
[outcome.visit]
kind = "count"
actor = "A"
target = "B"
action = "visit"
[outcome.deal]
kind = "count"
actor = "A"
target = "B"
action = "deal"
[outcome.statement]
kind = "count"
actor = "A"
target = "B"
action = "statement"
[outcome.criticism]
kind = "count"
actor = "A"
target = "B"
action = "criticism"
[outcome.sanction]
kind = "count"
actor = "A"
target = "B"
action = "sanction"
[outcome.threat]
kind = "count"
actor = "A"
target = "B"
action = "threat"
[outcome.military_support]
kind = "count"
actor = "A"
target = "B"
action = "military_support"
`

// expectedUtilities computes A's utilities from the equations of
// docs/MODEL.md and the built-in catalogue, independently of the engine:
// U = c·g/10 + S·P_B·σ + Q·θ·ψ + V − C with c = E·T·(φ + ρ·max(0, 1−φ))
// + B + (A·s + R·m)/10 = 2·0.5·1 + 0 + (1·5 + 1·0)/10 = 1.5 (trade at its
// normal level, φ = 1), S·P_B = 0.5, θ = 0 (B is not hostile).
func expectedUtilities(names []string) []float64 {
	params := map[string]map[string]float64{}
	for _, a := range sim.Catalogue() {
		params[a.ID] = map[string]float64{}
		for k, d := range a.Params {
			params[a.ID][k] = d.Mean()
		}
	}
	u := make([]float64, len(names))
	for i, n := range names {
		p := params[n]
		u[i] = 1.5*p["scale"]/10 + 0.5*p["status"] - p["cost"]
	}
	return u
}

// As rationality falls decisions approach a coin toss (each channel acts
// with probability 1/2); as it grows they approach the best response
// (act exactly when the channel's best action pays); in between each
// channel follows the binary logit rule 1/(1 + e^(−λU)) on the
// documented utilities, with the channel's best action taken (statement,
// never criticism). Frequencies over 20,000 runs must match the exact
// probabilities within 4 binomial standard errors.
func TestPropertyRationalityLimits(t *testing.T) {
	f, err := scenario.Parse("rationality.toml", []byte(rationalityScenario))
	if err != nil {
		t.Fatal(err)
	}
	names := []string{}
	for _, o := range f.Model.Outcomes() {
		names = append(names, o.Name)
	}
	util := expectedUtilities(names)
	const runs = 20_000
	freq := func(lambda float64) []float64 {
		m := override(t, f.Model, map[string]float64{"actor.A.rationality": lambda})
		w := sim.NewWorkspace(m)
		counts := make([]float64, len(names))
		for r := 0; r < runs; r++ {
			w.Run(1, uint64(r))
			for i, v := range w.Out.Outcomes {
				counts[i] += v
			}
		}
		for i := range counts {
			counts[i] /= runs
		}
		return counts
	}
	want := func(lambda float64) []float64 {
		p := make([]float64, len(util))
		for i, u := range util {
			if names[i] != "criticism" { // the verbal channel's worse action
				p[i] = 1 / (1 + math.Exp(-lambda*u))
			}
		}
		return p
	}
	check := func(lambda float64, want []float64) {
		got := freq(lambda)
		for i := range want {
			se := math.Sqrt(want[i] * (1 - want[i]) / runs)
			if math.Abs(got[i]-want[i]) > 4*se+1e-12 {
				t.Errorf("rationality %g, %s: frequency %.4f, want %.4f ± %.4f", lambda, names[i], got[i], want[i], 4*se)
			}
		}
	}
	for _, lambda := range []float64{0, 0.5, 2, 8} {
		check(lambda, want(lambda))
	}
	best := freq(100)
	for i, u := range util {
		response := 0.0
		if u > 0 && names[i] != "criticism" {
			response = 1
		}
		if math.Abs(best[i]-response) > 0.001 {
			t.Errorf("rationality 100, %s (utility %.3f): frequency %.4f, want the best response %g", names[i], u, best[i], response)
		}
	}
}
