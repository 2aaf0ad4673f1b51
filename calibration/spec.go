package calibration

import (
	"time"

	"github.com/geosim/geosim/backtest"
	"github.com/geosim/geosim/sim/dist"
)

// Spec is a calibration as written in a calibration file: the backtest
// whose template, record, mapping and dated context it reuses, the
// windows, the parameters to fit with their priors, the summary
// statistics and the sampler's settings. It is plain data; Prepare
// checks it and builds the plan. Package sim/scenario reads Specs from
// TOML.
type Spec struct {
	Name        string
	Title       string
	Description string

	// Backtest supplies the scenario template (with its variant
	// overrides), the event record and its coverage (RecordStart,
	// Cutoff), the mapping from record types to model actions and the
	// dated overrides. A calibration asks the same model the same
	// questions of the record as the backtest does.
	Backtest *backtest.Spec
	// Overrides are dated context besides the backtest's (e.g. a change
	// of government after the backtest's last origin), in the same form.
	Overrides []backtest.Override

	// FitFrom and FitTo are the first and last months of the fitting
	// window (FitFrom the first day of a month, FitTo the last day of
	// one). Holdout, when HoldoutFrom is not zero, is a later window whose
	// statistics the fitted model predicts without having seen them.
	FitFrom, FitTo         time.Time
	HoldoutFrom, HoldoutTo time.Time

	// BlockMonths is the length of the blocks per-block statistics are
	// counted in (12: per year), from the start of each window; the last
	// block may be shorter. 0 means 12.
	BlockMonths int
	// HoldoutBlockMonths is the block length of the held-out window's
	// statistics; 0 means BlockMonths.
	HoldoutBlockMonths int
	// BurnIn is the number of months each simulated history lives before
	// the window, from the baselines, so that it enters the window in the
	// model's own routine state (docs/MODEL.md §6.1).
	BurnIn int
	// Histories is the number of histories simulated per parameter vector
	// (abc.Config.PseudoSamples): more make rare-event statistics less
	// noisy in the weights without changing the posterior. 0 means 1.
	Histories int

	// Params are the parameters to fit; empty means every uncertain
	// parameter of the template, with its distribution as the prior.
	Params []Param
	// Statistics are computed identically from the record and from each
	// simulated history.
	Statistics []Statistic
	// Summaries says how the statistics enter the distance:
	// SummariesStatistics (the default: each statistic) or
	// SummariesRegression (one regression summary per parameter).
	Summaries string
	// RegressionPilot is the number of prior simulations the regression
	// is fitted to; 0 means DefaultRegressionPilot.
	RegressionPilot int

	Particles      int     // ABC population size; 0 means 500
	Generations    int     // most ABC generations after the prior pilot; 0 means 8
	Quantile       float64 // tolerance quantile α; 0 means 0.5
	MinAcceptance  float64 // acceptance-rate floor; 0 means 0.01
	MaxSimulations int64   // simulated histories budget; 0 means none
	Seed           uint64
	// PredictiveDraws is the number of histories of the posterior (and
	// prior) predictive checks; 0 means 1000.
	PredictiveDraws int
}

// Param is a parameter to fit: its path in the template and its prior.
type Param struct {
	Path string
	// Prior is the prior distribution; nil means the template's own
	// distribution of the parameter (which must then be uncertain).
	Prior  dist.Dist
	Source string // why this prior: a publication or "assumption: …"
}

// Statistic kinds.
const (
	// KindMonths counts the months in which the event occurs (a joint
	// action: is held), per block or over the window.
	KindMonths = "months"
	// KindAutocorrelation is the lag-1 autocorrelation of the event's
	// monthly 0/1 indicator over the window (0 when the indicator is
	// constant): how much the months with the event cluster.
	KindAutocorrelation = "autocorrelation"
	// KindCooccurrence counts the months in which both Event and With
	// occur, per block or over the window.
	KindCooccurrence = "cooccurrence"
)

// Per values of a statistic.
const (
	PerBlock  = "block"
	PerWindow = "window"
)

// Statistic is a summary statistic, computed the same way from the
// record and from a simulated history.
type Statistic struct {
	Name        string
	Description string
	Kind        string // KindMonths, KindAutocorrelation or KindCooccurrence
	Event       EventRef
	With        EventRef // KindCooccurrence only
	// Per is PerBlock (one statistic per block; the default) or PerWindow
	// (one over the window). Autocorrelation is always over the window.
	Per string
	// From and To, when not zero, restrict the statistic to these months
	// (e.g. military supplies from 2023): blocks outside are left out.
	From, To time.Time
	// Weight multiplies the statistic's squared scaled difference in the
	// distance; 0 means 1.
	Weight float64
}

// EventRef names a model event: Actor takes Action (toward Target, for
// an action aimed at a partner). For a joint action (a summit) it is the
// action held by Actor and Target together. On the record's side it is
// every row that the backtest's mapping replays as that action between
// those actors.
type EventRef struct {
	Action, Actor, Target string
}

// Defaults.
const (
	DefaultBlockMonths     = 12
	DefaultParticles       = 500
	DefaultGenerations     = 8
	DefaultPredictiveDraws = 1000
)
