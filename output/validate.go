package output

import (
	"fmt"
	"math"
	"regexp"
	"strings"
	"time"

	"github.com/geosim/geosim/sim"
)

// Limits on a summary read back: far above what geosim writes, low
// enough that re-rendering its charts stays quick.
const (
	MaxSummaryBytes = 64 << 20 // summary.json file size
	maxItems        = 1000     // outcomes, events, shocks, series, questions, parameters, signals
	maxText         = 4000     // bytes in one name, title or description
	maxBins         = 100_000  // histogram bins
	maxMagnitude    = 1 << 30  // |value| of any outcome, series or month (the exact sums' range)
)

var idName = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9_-]*$`)

// Validate checks a summary read back from a file — by geosim plot, by a
// resumed sweep, by merge — so that nothing downstream (statistics,
// charts, the font rasteriser) ever sees a non-finite, out-of-range or
// inconsistent value: probabilities in [0, 1], counts at most the runs,
// histogram lengths and totals consistent, quantiles ordered, dates
// valid, names unique identifiers. It reports every problem (at most
// twenty), each with its JSON path.
func (s *Summary) Validate() error {
	v := &validator{}
	p := s.Provenance
	if p.Tool != "geosim" {
		v.add("provenance.tool", "is %q, not geosim", p.Tool)
	}
	runs := p.Runs
	if runs < 1 || runs > sim.MaxRuns {
		v.add("provenance.runs", "%d is not between 1 and %d", runs, sim.MaxRuns)
		runs = 0
	}
	v.text("provenance.scenario_file", p.ScenarioFile)
	v.text("provenance.scenario_sha256", p.ScenarioSHA256)
	v.text("provenance.version", p.Version)

	sc := s.Scenario
	v.id("scenario.name", sc.Name)
	v.text("scenario.title", sc.Title)
	v.text("scenario.description", sc.Description)
	steps := sc.Steps
	if steps < 1 || steps > sim.MaxSteps {
		v.add("scenario.steps", "%d is not between 1 and %d", steps, sim.MaxSteps)
		steps = 0
	}
	start := v.date("scenario.start", sc.Start)
	end := v.date("scenario.end", sc.End)
	if !start.IsZero() && !end.IsZero() && steps > 0 && !start.AddDate(0, steps, 0).Equal(end) {
		v.add("scenario.end", "%s is not %d months after the start %s", sc.End, steps, sc.Start)
	}
	v.count("scenario.actors", len(sc.Actors))
	ids := map[string]bool{}
	for i, a := range sc.Actors {
		path := fmt.Sprintf("scenario.actors[%d]", i)
		v.id(path+".id", a.ID)
		v.text(path+".name", a.Name)
		if ids[a.ID] {
			v.add(path+".id", "%q appears twice", a.ID)
		}
		ids[a.ID] = true
	}
	v.count("scenario.signals", len(sc.Signals))
	for i, sg := range sc.Signals {
		path := fmt.Sprintf("scenario.signals[%d]", i)
		v.text(path+".name", sg.Name)
		v.text(path+".description", sg.Description)
		v.date(path+".date", sg.Date)
		if sg.Month < 0 || steps > 0 && sg.Month >= steps {
			v.add(path+".month", "%d is not a month of the horizon (0 to %d)", sg.Month, steps-1)
		}
	}
	v.count("uncertain_parameters", len(s.Uncertain))
	for i, u := range s.Uncertain {
		path := fmt.Sprintf("uncertain_parameters[%d]", i)
		v.text(path+".path", u.Path)
		v.text(path+".distribution", u.Distribution)
		v.text(path+".unit", u.Unit)
	}
	v.count("outcomes", len(s.Outcomes))
	names := map[string]bool{}
	for i, o := range s.Outcomes {
		v.outcome(fmt.Sprintf("outcomes[%d]", i), o, runs, names)
	}
	for _, list := range []struct {
		key    string
		events []EventSummary
	}{{"events", s.Events}, {"shocks", s.Shocks}} {
		v.count(list.key, len(list.events))
		names := map[string]bool{}
		for i, e := range list.events {
			v.event(fmt.Sprintf("%s[%d]", list.key, i), e, runs, steps, names)
		}
	}
	v.count("series", len(s.Series))
	names = map[string]bool{}
	for i, sr := range s.Series {
		v.series(fmt.Sprintf("series[%d]", i), sr, runs, steps, names)
	}
	v.count("questions", len(s.Questions))
	for i, q := range s.Questions {
		path := fmt.Sprintf("questions[%d]", i)
		v.text(path+".id", q.ID)
		v.text(path+".text", q.Text)
		v.text(path+".event", q.Event)
		v.date(path+".as_of", q.AsOf)
		v.date(path+".resolve_by", q.ResolveBy)
		v.proportion(path, q.Probability, q.Wilson95, q.Occurrences, q.Runs, runs)
	}
	return v.err()
}

type validator struct {
	probs []string
	more  int
}

func (v *validator) add(path, format string, args ...any) {
	if len(v.probs) >= 20 {
		v.more++
		return
	}
	v.probs = append(v.probs, path+": "+fmt.Sprintf(format, args...))
}

func (v *validator) err() error {
	if len(v.probs) == 0 {
		return nil
	}
	msg := strings.Join(v.probs, "\n")
	if v.more > 0 {
		msg += fmt.Sprintf("\n(and %d more problems)", v.more)
	}
	return fmt.Errorf("%s", msg)
}

func (v *validator) text(path, s string) {
	if len(s) > maxText {
		v.add(path, "is %d bytes long, more than %d", len(s), maxText)
	}
}

func (v *validator) id(path, s string) {
	if !idName.MatchString(s) || len(s) > maxText {
		v.add(path, "%q is not a name (letters, digits, '-' and '_', starting with a letter)", clipped(s))
	}
}

func clipped(s string) string {
	if len(s) > 40 {
		return s[:40] + "…"
	}
	return s
}

func (v *validator) count(path string, n int) {
	if n > maxItems {
		v.add(path, "has %d entries, more than %d", n, maxItems)
	}
}

func (v *validator) date(path, s string) time.Time {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		v.add(path, "%q is not a date (YYYY-MM-DD)", clipped(s))
	}
	return t
}

// value checks a finite number within ±maxMagnitude.
func (v *validator) value(path string, x Float) bool {
	if f := float64(x); !(f >= -maxMagnitude && f <= maxMagnitude) {
		v.add(path, "%v is not a finite value within ±2^30", f)
		return false
	}
	return true
}

// spread checks a standard deviation or error: finite and ≥ 0, or null
// when there are too few runs to have one.
func (v *validator) spread(path string, x Float, runs int64) {
	f := float64(x)
	if math.IsNaN(f) && runs < 2 {
		return
	}
	if !(f >= 0 && f <= maxMagnitude) {
		v.add(path, "%v is not a finite non-negative value", f)
	}
}

func (v *validator) ordered(path string, q Quantiles) {
	xs := []Float{q.P5, q.P25, q.P50, q.P75, q.P95}
	ok := true
	for i, x := range xs {
		ok = v.value(fmt.Sprintf("%s.p%d", path, []int{5, 25, 50, 75, 95}[i]), x) && ok
	}
	if !ok {
		return
	}
	for i := 1; i < len(xs); i++ {
		if xs[i] < xs[i-1] {
			v.add(path, "quantiles are not in increasing order")
			return
		}
	}
}

func (v *validator) outcome(path string, o OutcomeSummary, runs int64, names map[string]bool) {
	v.id(path+".name", o.Name)
	if names[o.Name] {
		v.add(path+".name", "%q appears twice", o.Name)
	}
	names[o.Name] = true
	v.text(path+".description", o.Description)
	v.text(path+".kind", o.Kind)
	v.text(path+".unit", o.Unit)
	if len(o.Actors) > sim.MaxActors {
		v.add(path+".actors", "has %d entries", len(o.Actors))
	}
	for i, a := range o.Actors {
		v.text(fmt.Sprintf("%s.actors[%d]", path, i), a)
	}
	v.value(path+".mean", o.Mean)
	v.spread(path+".sd", o.SD, runs)
	v.spread(path+".se", o.SE, runs)
	for i, c := range o.CI95 {
		if !(math.IsNaN(float64(c)) && runs < 2) {
			v.value(fmt.Sprintf("%s.mean_ci95[%d]", path, i), c)
		}
	}
	v.ordered(path+".quantiles", o.Quantiles)
	if v.value(path+".min", o.Min) && v.value(path+".max", o.Max) && o.Min > o.Max {
		v.add(path, "min %v is above max %v", o.Min, o.Max)
	}
	h := o.Histogram
	switch {
	case len(h.Counts) == 0 || len(h.Counts) > maxBins:
		v.add(path+".histogram.counts", "has %d bins, not 1 to %d", len(h.Counts), maxBins)
		return
	case len(h.Edges) != len(h.Counts):
		v.add(path+".histogram", "has %d edges for %d counts", len(h.Edges), len(h.Counts))
		return
	case !(h.Width > 0 && float64(h.Width) <= maxMagnitude):
		v.add(path+".histogram.width", "%v is not a positive finite width", float64(h.Width))
		return
	}
	var total int64
	for i, c := range h.Counts {
		if c < 0 || runs > 0 && c > runs-total {
			v.add(fmt.Sprintf("%s.histogram.counts[%d]", path, i), "%d: counts must be non-negative and sum to the runs", c)
			return
		}
		total += c
		if !v.value(fmt.Sprintf("%s.histogram.edges[%d]", path, i), h.Edges[i]) {
			return
		}
		if i > 0 && !(h.Edges[i] > h.Edges[i-1]) {
			v.add(fmt.Sprintf("%s.histogram.edges[%d]", path, i), "edges are not increasing")
			return
		}
	}
	if runs > 0 && total != runs {
		v.add(path+".histogram.counts", "sum to %d, not the %d runs", total, runs)
	}
}

// proportion checks a probability with its Wilson interval and counts.
func (v *validator) proportion(path string, p Float, wilson [2]Float, occurrences, n, runs int64) {
	if !(p >= 0 && p <= 1) {
		v.add(path+".probability", "%v is not a probability in [0, 1]", float64(p))
	}
	if !(wilson[0] >= 0 && wilson[0] <= wilson[1] && wilson[1] <= 1) {
		v.add(path+".wilson95", "[%v, %v] is not an interval within [0, 1]", float64(wilson[0]), float64(wilson[1]))
	}
	if n != runs {
		v.add(path+".runs", "%d, but the summary is of %d runs", n, runs)
	}
	if occurrences < 0 || occurrences > n {
		v.add(path+".occurrences", "%d is not between 0 and the %d runs", occurrences, n)
	} else if n > 0 && p >= 0 && p <= 1 && math.Abs(float64(p)-float64(occurrences)/float64(n)) > 1e-9 {
		v.add(path+".probability", "%v is not %d occurrences in %d runs", float64(p), occurrences, n)
	}
}

func (v *validator) event(path string, e EventSummary, runs int64, steps int, names map[string]bool) {
	v.id(path+".name", e.Name)
	if names[e.Name] {
		v.add(path+".name", "%q appears twice", e.Name)
	}
	names[e.Name] = true
	v.text(path+".description", e.Description)
	v.date(path+".from", e.From)
	v.date(path+".by", e.By)
	v.proportion(path, e.Probability, e.Wilson95, e.Occurrences, e.Runs, runs)
	v.spread(path+".se", e.SE, runs)
	switch {
	case e.FirstMonth == nil && e.Occurrences > 0:
		v.add(path+".first_month", "missing, but the event occurred")
	case e.FirstMonth != nil && e.Occurrences == 0:
		v.add(path+".first_month", "present, but the event never occurred")
	case e.FirstMonth != nil:
		v.ordered(path+".first_month", *e.FirstMonth)
		for _, m := range []Float{e.FirstMonth.P5, e.FirstMonth.P95} {
			if m < 0 || steps > 0 && float64(m) > float64(steps)+1 {
				v.add(path+".first_month", "%v is not a month of the horizon", float64(m))
				break
			}
		}
	}
	if steps > 0 && len(e.Cumulative) != steps {
		v.add(path+".cumulative", "has %d months, the horizon %d", len(e.Cumulative), steps)
	}
	prev := 0.0
	for i, c := range e.Cumulative {
		if !(float64(c) >= prev && c <= 1) {
			v.add(fmt.Sprintf("%s.cumulative[%d]", path, i), "%v: cumulative probabilities must increase within [0, 1]", float64(c))
			break
		}
		prev = float64(c)
	}
}

func (v *validator) series(path string, sr SeriesSummary, runs int64, steps int, names map[string]bool) {
	v.id(path+".name", sr.Name)
	if names[sr.Name] {
		v.add(path+".name", "%q appears twice", sr.Name)
	}
	names[sr.Name] = true
	v.text(path+".description", sr.Description)
	v.text(path+".unit", sr.Unit)
	for i, a := range sr.Actors {
		v.text(fmt.Sprintf("%s.actors[%d]", path, i), a)
	}
	if steps > 0 && len(sr.Points) != steps+1 {
		v.add(path+".points", "has %d points, the horizon %d months (%d points)", len(sr.Points), steps, steps+1)
		return
	}
	for i, pt := range sr.Points {
		pp := fmt.Sprintf("%s.points[%d]", path, i)
		if pt.Month != i {
			v.add(pp+".month", "%d, want %d", pt.Month, i)
		}
		v.date(pp+".date", pt.Date)
		v.value(pp+".mean", pt.Mean)
		v.spread(pp+".se", pt.SE, runs)
		v.ordered(pp, pt.Quantiles)
		if len(v.probs) >= 20 {
			return
		}
	}
}

// Matches checks that a summary is of the model m: the same scenario
// name and horizon, and the same outcomes, events, shocks and series in
// the same order — so that a summary saved for one design point cannot
// stand in for another's, or lose columns.
func (s *Summary) Matches(m *sim.Model) error {
	var probs []string
	if s.Scenario.Name != m.Name() || s.Scenario.Steps != m.Steps() {
		probs = append(probs, fmt.Sprintf("scenario %s over %d months, want %s over %d", s.Scenario.Name, s.Scenario.Steps, m.Name(), m.Steps()))
	}
	same := func(what string, got, want []string) {
		if strings.Join(got, ",") != strings.Join(want, ",") {
			probs = append(probs, fmt.Sprintf("%s [%s], want [%s]", what, strings.Join(got, ", "), strings.Join(want, ", ")))
		}
	}
	var got, want []string
	for _, o := range s.Outcomes {
		got = append(got, o.Name)
	}
	for _, o := range m.Outcomes() {
		want = append(want, o.Name)
	}
	same("outcomes", got, want)
	got, want = nil, nil
	for _, e := range s.Events {
		got = append(got, e.Name)
	}
	for _, e := range m.Events() {
		want = append(want, e.Name)
	}
	same("events", got, want)
	got, want = nil, nil
	for _, e := range s.Shocks {
		got = append(got, e.Name)
	}
	for _, e := range m.Shocks() {
		want = append(want, e.Name)
	}
	same("shocks", got, want)
	got, want = nil, nil
	for _, e := range s.Series {
		got = append(got, e.Name)
	}
	for _, e := range m.Series() {
		want = append(want, e.Name)
	}
	same("series", got, want)
	if len(probs) > 0 {
		return fmt.Errorf("not a summary of this scenario: %s", strings.Join(probs, "; "))
	}
	return nil
}
