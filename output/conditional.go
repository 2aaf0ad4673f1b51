package output

import "github.com/geosim/geosim/sim"

// ShockConditional is one shock's conditional views: the main relations
// and outcomes in the runs where the shock fired early, fired late, or
// did not fire (sim.ShockSplit) — "does a ceasefire cool DPRK–Russia
// ties?".
type ShockConditional struct {
	Shock      string      `json:"shock"` // the shock's name
	Label      string      `json:"label"` // its short name for charts
	Conditions []Condition `json:"conditions"`
}

// Condition is one part of a split: the runs whose shock fired in the
// months From..By (dates of the first and last day; both empty for the
// runs where it did not fire).
type Condition struct {
	Name     string               `json:"name"` // fired_early, fired_late, not_fired
	From     string               `json:"from,omitempty"`
	By       string               `json:"by,omitempty"`
	Runs     int64                `json:"runs"`
	Share    Float                `json:"share"` // Runs over all runs
	Series   []ConditionalSeries  `json:"series,omitempty"`
	Outcomes []ConditionalOutcome `json:"outcomes,omitempty"`
}

// ConditionalSeries is a series' quantiles at each state (as
// SeriesPoint, without mean) in the runs of a condition.
type ConditionalSeries struct {
	Name   string             `json:"name"`
	Points []ConditionalPoint `json:"points"`
}

// ConditionalPoint is a series' quantiles at state Month.
type ConditionalPoint struct {
	Month int `json:"month"`
	Quantiles
}

// ConditionalOutcome is an outcome's quantiles in the runs of a
// condition, and its histogram counts on the bins of the outcome's own
// histogram (OutcomeSummary.Histogram), so that charts can stack them.
type ConditionalOutcome struct {
	Name      string    `json:"name"`
	Quantiles Quantiles `json:"quantiles"`
	Counts    []int64   `json:"counts"`
}

// conditionNames name the conditions of sim.ShockSplit in order.
var conditionNames = [sim.NumConditions]string{"fired_early", "fired_late", "not_fired"}

// conditionals summarises the result's conditional views. Conditions
// without runs carry no series or outcomes.
func conditionals(m *sim.Model, r *sim.Result) []ShockConditional {
	var out []ShockConditional
	shocks, series, outcomes := m.Shocks(), m.Series(), m.Outcomes()
	start, early, steps := m.Start(), m.EarlyMonths(), m.Steps()
	for i := range r.Conditional {
		sp := &r.Conditional[i]
		sc := ShockConditional{Shock: shocks[i].Name, Label: m.ShockLabel(shocks[i].Name)}
		for c := 0; c < sim.NumConditions; c++ {
			cond := Condition{Name: conditionNames[c], Runs: sp.Runs[c], Share: Float(float64(sp.Runs[c]) / float64(r.Runs))}
			switch c {
			case sim.FiredEarly:
				cond.From, cond.By = start.Date(), lastDay(start+sim.Month(early-1))
			case sim.FiredLate:
				cond.From, cond.By = (start + sim.Month(early)).Date(), lastDay(start+sim.Month(steps-1))
			}
			if sp.Runs[c] > 0 {
				for s, pts := range sp.Series[c] {
					cs := ConditionalSeries{Name: series[s].Name}
					for k, h := range pts {
						cs.Points = append(cs.Points, ConditionalPoint{Month: k, Quantiles: quantiles(h)})
					}
					cond.Series = append(cond.Series, cs)
				}
				for o, h := range sp.Outcomes[c] {
					co := ConditionalOutcome{Name: outcomes[o].Name, Quantiles: quantiles(h)}
					if outcomes[o].Integer {
						_, counts, _ := trimInteger(r.Outcomes[o].Hist)
						co.Counts = append([]int64(nil), h.Counts[:len(counts)]...)
					} else {
						co.Counts = h.RebinAs(r.Outcomes[o].Hist, summaryBins)
					}
					cond.Outcomes = append(cond.Outcomes, co)
				}
			}
			sc.Conditions = append(sc.Conditions, cond)
		}
		out = append(out, sc)
	}
	return out
}
