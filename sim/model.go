package sim

import "time"

// Scenario returns the scenario the model was compiled from, with the
// action catalogue merged into its Actions.
func (m *Model) Scenario() *Scenario { return m.sc }

// Name returns the scenario's name.
func (m *Model) Name() string { return m.sc.Name }

// Start returns the month of step 0.
func (m *Model) Start() Month { return m.start }

// Steps returns the number of monthly steps.
func (m *Model) Steps() int { return m.steps }

// DefaultRuns returns the scenario's run count (DefaultRuns if unset).
func (m *Model) DefaultRuns() int { return m.runs }

// Replicates returns the number of consecutive runs that share a draw of
// the uncertain parameters: run r uses draw ⌊r / Replicates⌋. It is 1
// when no parameter is uncertain.
func (m *Model) Replicates() int { return m.replicates }

// DefaultSeed returns the scenario's seed.
func (m *Model) DefaultSeed() uint64 { return m.sc.Seed }

// Actors returns the actor ids in slot order.
func (m *Model) Actors() []string { return m.actorIDs }

// ActorNames returns the actors' display names in slot order.
func (m *Model) ActorNames() []string { return m.actorNames }

// Actions returns the action ids of the merged catalogue.
func (m *Model) Actions() []string { return m.actionIDs }

// Outcomes describes the scalar outcomes, in output order.
func (m *Model) Outcomes() []OutcomeInfo {
	out := make([]OutcomeInfo, len(m.outcomes))
	for i, o := range m.outcomes {
		out[i] = o.info
	}
	return out
}

// Events describes the events, in output order.
func (m *Model) Events() []EventInfo {
	out := make([]EventInfo, len(m.events))
	for i, e := range m.events {
		out[i] = e.info
	}
	return out
}

// Series describes the time series, in output order.
func (m *Model) Series() []SeriesInfo {
	out := make([]SeriesInfo, len(m.series))
	for i, s := range m.series {
		out[i] = s.info
	}
	return out
}

// ShockInfo describes a shock for reports.
type ShockInfo struct {
	Name        string
	Description string
}

// Shocks describes the shocks, in output order.
func (m *Model) Shocks() []ShockInfo {
	out := make([]ShockInfo, len(m.shocks))
	for i, s := range m.shocks {
		out[i] = ShockInfo{Name: s.name, Description: s.description}
	}
	return out
}

// SignalMarks returns the dated exogenous signals inside the horizon as
// (month, name) pairs, for marking charts.
func (m *Model) SignalMarks() []SignalMark {
	var out []SignalMark
	for _, s := range m.sc.Signals {
		if mo := MonthOf(s.Date); mo >= m.start && mo < m.start+Month(m.steps) {
			out = append(out, SignalMark{Month: mo, Date: s.Date, Name: s.Name, Description: s.Description})
		}
	}
	return out
}

// SignalMark is a dated signal shown on charts.
type SignalMark struct {
	Month       Month
	Date        time.Time
	Name        string
	Description string
}
