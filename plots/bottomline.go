package plots

import (
	"fmt"
	"math"
	"sort"
	"strings"

	"github.com/geosim/geosim/output"
)

// RunBottomLine says in a few sentences what a run found: the likeliest
// events with both kinds of uncertainty, where the main relations end,
// and the shock that moves a relation most. It opens the report.
func RunBottomLine(s *output.Summary) []string {
	var out []string
	events := append([]output.EventSummary(nil), s.Events...)
	sort.SliceStable(events, func(i, j int) bool { return events[i].Probability > events[j].Probability })
	var parts []string
	for _, e := range events {
		if len(parts) == 4 || e.Probability < 0.05 {
			break
		}
		parts = append(parts, fmt.Sprintf("%s %s (%s)", e.Description, percent(float64(e.Probability)), uncertaintyText(e.Wilson95, e.AssumptionSpread)))
	}
	if len(parts) > 0 {
		out = append(out, "Likeliest events: "+strings.Join(parts, "; ")+".")
	}
	var rare []string
	for i := len(events) - 1; i >= 0 && len(rare) < 3; i-- {
		if e := events[i]; e.Probability < 0.05 {
			rare = append(rare, fmt.Sprintf("%s %s", e.Description, percent(float64(e.Probability))))
		}
	}
	if len(rare) > 0 {
		out = append(out, "Unlikely: "+strings.Join(rare, "; ")+".")
	}
	var ends []string
	for _, sr := range s.Series[:min(dashboardSeries, len(s.Series))] {
		if o := endOutcome(s, sr); o != nil {
			q := o.Quantiles
			ends = append(ends, fmt.Sprintf("%s %s (%s to %s)", o.Description, num(float64(q.P50)), num(float64(q.P5)), num(float64(q.P95))))
		}
	}
	if len(ends) > 0 {
		out = append(out, "Relations at the end, median and 90% of runs on the Goldstein scale (−10 hostile, +10 friendly): "+strings.Join(ends, "; ")+".")
	}
	if c := strongestShock(s); c != "" {
		out = append(out, c)
	}
	if p := s.Precision; p != nil {
		if p.Met {
			out = append(out, fmt.Sprintf("Precision: every probability is within ±%s points (95%%) after %s runs.", num(100*float64(p.Target)), thousands(p.Runs)))
		} else {
			out = append(out, fmt.Sprintf("Precision %s was NOT reached within %s runs: read the intervals.", num(float64(p.Target)), thousands(p.MaxRuns)))
		}
	}
	return out
}

// uncertaintyText gives both kinds of uncertainty of a probability:
// "Monte Carlo 78–89%, across assumptions 42% to >99.9%".
func uncertaintyText(mc [2]output.Float, sp *output.Spread) string {
	t := "Monte Carlo " + percentRange(float64(mc[0]), float64(mc[1]))
	if sp != nil {
		if sp.Resolved {
			t += ", across assumptions " + percentRange(float64(sp.P10), float64(sp.P90))
		} else {
			t += ", spread across assumptions too small to measure"
		}
	}
	return t
}

// strongestShock names the shock whose early firing moves a relation's
// median furthest from the runs where it does not fire (at least half a
// Goldstein point), or "".
func strongestShock(s *output.Summary) string {
	kind := map[string]output.OutcomeSummary{}
	for _, o := range s.Outcomes {
		kind[o.Name] = o
	}
	best, text := 0.5, ""
	for _, sc := range s.Conditional {
		if len(sc.Conditions) != 3 || sc.Conditions[0].Runs < minConditionRuns || sc.Conditions[2].Runs < minConditionRuns {
			continue
		}
		none := map[string]output.Quantiles{}
		for _, co := range sc.Conditions[2].Outcomes {
			none[co.Name] = co.Quantiles
		}
		for _, co := range sc.Conditions[0].Outcomes {
			o := kind[co.Name]
			if o.Kind != "relation" && o.Kind != "stance" {
				continue
			}
			q0, ok := none[co.Name]
			if !ok {
				continue
			}
			if d := math.Abs(float64(co.Quantiles.P50 - q0.P50)); d > best {
				best = d
				text = fmt.Sprintf("Shocks matter most for the %s: with “%s” by %s it ends at a median of %s, against %s in the runs where it does not come (%s of runs).",
					o.Description, sc.Label, monthLabel(sc.Conditions[0].By), num(float64(co.Quantiles.P50)), num(float64(q0.P50)), percent(float64(sc.Conditions[2].Share)))
			}
		}
	}
	return text
}
