package sim_test

import (
	"maps"
	"math"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/geosim/geosim/sim"
	"github.com/geosim/geosim/sim/dist"
)

// Properties of the choice structure (docs/MODEL.md §5.2): decisions do
// not depend on how the catalogue is split, rare strategic choices do not
// come from logit noise, and the calendar matters where it should and
// nowhere else. Every comparison runs both models on the same seed and
// run indices (common random numbers).

const structureRuns = 2000

// eventSteps runs m and returns each run's event first-occurrence steps.
func eventSteps(m *sim.Model, runs int, seed uint64) [][]int32 {
	w := sim.NewWorkspace(m)
	out := make([][]int32, runs)
	for r := range out {
		w.Run(seed, uint64(r))
		out[r] = slices.Clone(w.Out.EventStep)
	}
	return out
}

// probabilities returns each event's share of runs in which it occurred.
func probabilities(steps [][]int32) []float64 {
	p := make([]float64, len(steps[0]))
	for _, run := range steps {
		for e, s := range run {
			if s >= 0 {
				p[e]++
			}
		}
	}
	for e := range p {
		p[e] /= float64(len(steps))
	}
	return p
}

// withDuplicate returns the scenario with an exact copy of action id
// under another name: same parameters, channel and mode, and the same
// incentives, hazards, occasions, shock effects and exclusions as the
// original.
func withDuplicate(sc *sim.Scenario, id string) *sim.Scenario {
	c := *sc
	copyID := id + "_copy"
	c.Actions = slices.Clone(sc.Actions)
	orig := sim.Action{}
	for _, a := range sim.Catalogue() {
		if a.ID == id {
			orig = a
		}
	}
	for _, a := range sc.Actions { // the scenario's changes of a built-in action
		if a.ID == id {
			orig.Params = maps.Clone(orig.Params)
			maps.Copy(orig.Params, a.Params)
		}
	}
	orig.ID = copyID
	c.Actions = append(c.Actions, orig)
	c.Actors = slices.Clone(sc.Actors)
	for k, a := range c.Actors {
		if slices.Contains(a.Exclude, id) {
			c.Actors[k].Exclude = append(slices.Clone(a.Exclude), copyID)
		}
	}
	c.Incentives = slices.Clone(sc.Incentives)
	for _, in := range sc.Incentives {
		if in.Action == id {
			in.Action = copyID
			c.Incentives = append(c.Incentives, in)
		}
	}
	c.Hazards = slices.Clone(sc.Hazards)
	for _, h := range sc.Hazards {
		if h.Action == id {
			h.Action = copyID
			c.Hazards = append(c.Hazards, h)
		}
	}
	c.Shocks = slices.Clone(sc.Shocks)
	for k, sh := range c.Shocks {
		sh.Effects = slices.Clone(sh.Effects)
		for _, e := range sc.Shocks[k].Effects {
			if parts := strings.Split(e.Target, "."); slices.Contains(parts, id) {
				for p := range parts {
					if parts[p] == id {
						parts[p] = copyID
					}
				}
				e.Target = strings.Join(parts, ".")
				sh.Effects = append(sh.Effects, e)
			}
		}
		c.Shocks[k] = sh
	}
	c.Calendar = slices.Clone(sc.Calendar)
	for _, o := range sc.Calendar {
		if o.Action == id {
			o.Name += "_copy"
			o.Action = copyID
			c.Calendar = append(c.Calendar, o)
		}
	}
	return &c
}

// pinned returns m with every uncertain parameter fixed at the value the
// given quantile of its distribution takes; value maps a path to the
// path whose value it takes (identity for m itself).
func pinned(t *testing.T, m *sim.Model, quantile float64, source func(string) string) *sim.Model {
	t.Helper()
	values := map[string]float64{}
	base := flagship(t)
	for _, slot := range base.Uncertain() {
		p := base.Params()[slot]
		values[p.Path] = p.Dist.Quantile(quantile)
	}
	o := map[string]dist.Dist{}
	for _, slot := range m.Uncertain() {
		path := m.Params()[slot].Path
		o[path] = dist.Fixed{Value: values[source(path)]}
	}
	v, err := m.With(o)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// Duplicating any action under a new name changes no event probability
// by more than 0.5 percentage points: alternatives share a channel, so a
// copy is a relabelling, not a second chance to act. The copy is exact —
// its incentives, hazards and occasions take the original's values — at
// two points of the assumptions (every uncertain parameter at its median,
// then at its 25th percentile); with uncertain values the copy would draw
// its own and be a different action.
func TestPropertyDuplicateActionChangesNothing(t *testing.T) {
	m := flagship(t)
	same := func(path string) string { return path }
	orig := func(path string) string { return strings.ReplaceAll(path, "_copy", "") }
	for _, q := range []float64{0.5, 0.25} {
		base := probabilities(eventSteps(pinned(t, m, q, same), structureRuns, 7))
		for _, a := range sim.Catalogue() {
			dup, err := sim.Compile(withDuplicate(m.Scenario(), a.ID))
			if err != nil {
				t.Fatalf("%s: %v", a.ID, err)
			}
			got := probabilities(eventSteps(pinned(t, dup, q, orig), structureRuns, 7))
			worst := 0.0
			for e := range base {
				worst = max(worst, math.Abs(got[e]-base[e]))
				if math.Abs(got[e]-base[e]) > 0.005 {
					t.Errorf("quantile %g: duplicating %s moves %s from %.4f to %.4f", q, a.ID, m.Events()[e].Name, base[e], got[e])
				}
			}
			t.Logf("quantile %g: duplicating %-16s: largest change of an event probability %.4f", q, a.ID, worst)
		}
	}
}

// pairedIndicator returns the mean and standard error of the paired
// difference b − a of an event's 0/1 indicator.
func pairedIndicator(a, b [][]int32, e int) (mean, se float64) {
	var sum, sumSq float64
	for r := range a {
		d := 0.0
		if b[r][e] >= 0 {
			d++
		}
		if a[r][e] >= 0 {
			d--
		}
		sum += d
		sumSq += d * d
	}
	n := float64(len(a))
	mean = sum / n
	return mean, math.Sqrt((sumSq/n - mean*mean) / (n - 1))
}

func eventIndex(t *testing.T, m *sim.Model, name string) int {
	t.Helper()
	for i, e := range m.Events() {
		if e.Name == name {
			return i
		}
	}
	t.Fatalf("no event %q", name)
	return -1
}

// Lowering the DPRK's incentive to supply Russia militarily, or ending
// the war, does not raise the probability of a Kim–Putin summit: the
// payoff removed from military support does not flow to other actions.
func TestPropertyLessMilitarySupportNoMoreSummits(t *testing.T) {
	m := flagship(t)
	e := eventIndex(t, m, "kim_putin_summit")
	base := eventSteps(m, structureRuns, 11)
	for _, c := range []struct {
		what string
		set  map[string]float64
	}{
		{"incentive.DPRK.RUS.military_support = 0", map[string]float64{"incentive.DPRK.RUS.military_support": 0}},
		{"ceasefire in the first month", map[string]float64{"shock.ukraine_ceasefire.hazard": 1}},
	} {
		mean, se := pairedIndicator(base, eventSteps(override(t, m, c.set), structureRuns, 11), e)
		t.Logf("%s: P(Kim–Putin summit) changes by %+.4f ± %.4f", c.what, mean, se)
		if mean > 3*se && mean > 0 {
			t.Errorf("%s raises P(Kim–Putin summit) by %.4f (se %.4f)", c.what, mean, se)
		}
	}
}

// In a month in which the calendar co-locates two leaders whose relation
// is positive (the Beijing parade: Kim with Xi and with Putin, September
// 2025), a joint summit is more likely than not; without the occasion it
// is not.
func TestPropertyCoLocationMakesSummitLikely(t *testing.T) {
	m := flagship(t)
	sc := *m.Scenario()
	sep := func(name, partner string) sim.Event {
		return sim.Event{Name: name, Kind: "joint", Actors: [2]string{"DPRK", partner}, Action: "summit",
			By: time.Date(2025, 9, 30, 0, 0, 0, 0, time.UTC)}
	}
	sc.Events = append(slices.Clone(sc.Events), sep("xi_sep", "CHN"), sep("putin_sep", "RUS"))
	with, err := sim.Compile(&sc)
	if err != nil {
		t.Fatal(err)
	}
	sc.Calendar = nil
	without, err := sim.Compile(&sc)
	if err != nil {
		t.Fatal(err)
	}
	steps := eventSteps(with, structureRuns, 3)
	for _, name := range []string{"xi_sep", "putin_sep"} {
		e := eventIndex(t, with, name)
		p := probabilities(steps)[e]
		se := math.Sqrt(p * (1 - p) / structureRuns)
		p0 := probabilities(eventSteps(without, structureRuns, 3))[e]
		t.Logf("%s: P(summit in the parade month) %.4f ± %.4f with the calendar, %.4f without", name, p, se, p0)
		if p-4*se <= 0.5 {
			t.Errorf("%s: P(summit in the co-located month) = %.4f, want > 0.5", name, p)
		}
		if p0 >= 0.5 {
			t.Errorf("%s: without the occasion P = %.4f; the calendar should be what makes it likely", name, p0)
		}
	}
}

// A calendar without opportunities changes nothing, run by run: an
// occasion whose incentive is 0, and one that lies outside the horizon,
// leave every output identical.
func TestPropertyEmptyCalendarChangesNothing(t *testing.T) {
	m := flagship(t)
	sc := *m.Scenario()
	sc.Calendar = nil
	bare, err := sim.Compile(&sc)
	if err != nil {
		t.Fatal(err)
	}
	sc.Calendar = []sim.Occasion{
		{Name: "nothing", Actors: []string{"DPRK", "USA"}, Action: "summit", Months: []int{3, 8}, Incentive: dist.Fixed{Value: 0}},
		{Name: "later", Actors: []string{"DPRK", "USA"}, Action: "summit", From: time.Date(2031, 1, 1, 0, 0, 0, 0, time.UTC),
			By: time.Date(2031, 2, 1, 0, 0, 0, 0, time.UTC), Incentive: dist.Fixed{Value: 9}},
		{Name: "earlier", Actor: "DPRK", Action: "nuclear_test", By: time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC), HazardRatio: dist.Fixed{Value: 50}},
	}
	empty, err := sim.Compile(&sc)
	if err != nil {
		t.Fatal(err)
	}
	wa, wb := sim.NewWorkspace(bare), sim.NewWorkspace(empty)
	for r := 0; r < 500; r++ {
		wa.Run(17, uint64(r))
		wb.Run(17, uint64(r))
		if !slices.Equal(wa.Out.Outcomes, wb.Out.Outcomes) || !slices.Equal(wa.Out.EventStep, wb.Out.EventStep) || !slices.Equal(wa.Out.Series, wb.Out.Series) {
			t.Fatalf("run %d differs with an empty calendar", r)
		}
	}
}

// P(nuclear test within 24 months) differs by less than a factor of 2
// between the top and bottom quartiles of every actor's rationality: the
// test is a deliberate decision with its own hazard, not a logit
// tremble. Each actor's rationality in turn is drawn from uniform(0.5, 4).
func TestPropertyNuclearTestNotFromRationality(t *testing.T) {
	if testing.Short() {
		t.Skip("long: 4 × 8,000 runs")
	}
	m := flagship(t)
	const runs = 8000
	e := eventIndex(t, m, "nuclear_test")
	for _, actor := range m.Actors() {
		path := "actor." + actor + ".rationality"
		v, err := m.With(map[string]dist.Dist{path: dist.Uniform{Min: 0.5, Max: 4}})
		if err != nil {
			t.Fatal(err)
		}
		col := -1
		for k, slot := range v.Uncertain() {
			if v.Params()[slot].Path == path {
				col = k
			}
		}
		type draw struct {
			lambda float64
			hit    bool
		}
		draws := make([]draw, runs)
		w := sim.NewWorkspace(v)
		for r := range draws {
			w.Run(23, uint64(r))
			draws[r] = draw{w.Out.Params[col], w.Out.EventStep[e] >= 0}
		}
		sort.Slice(draws, func(a, b int) bool { return draws[a].lambda < draws[b].lambda })
		rate := func(part []draw) float64 {
			hits := 0.0
			for _, d := range part {
				if d.hit {
					hits++
				}
			}
			return hits / float64(len(part))
		}
		low, high := rate(draws[:runs/4]), rate(draws[3*runs/4:])
		t.Logf("%s rationality: P(nuclear test) %.4f in the bottom quartile, %.4f in the top", actor, low, high)
		if ratio := max(low, high) / min(low, high); !(ratio < 2) {
			t.Errorf("%s rationality: quartile ratio %.2f, want < 2", actor, ratio)
		}
	}
}
