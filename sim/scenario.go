package sim

import (
	"time"

	"github.com/geosim/geosim/sim/dist"
)

// Scenario is a complete description of a situation to simulate: the
// actors, their ties, the action catalogue, dated signals, shocks and the
// outcomes to measure. It is plain data; Compile checks it and turns it
// into a runnable Model. Package sim/scenario reads Scenarios from TOML.
//
// Every numeric parameter is a dist.Dist: a dist.Fixed for a known value
// or any other distribution for an uncertain one, sampled once per run.
// Maps of parameters are keyed by the parameter's name as written in a
// scenario file (see ActorFields, ActionFields and ModelFields); a nil or
// missing entry takes the documented default.
type Scenario struct {
	Name        string // short identifier, used for output folders
	Title       string // one line for charts and reports
	Description string // a paragraph for reports

	Start time.Time // first day simulated; step 0 is Start's calendar month
	Steps int       // number of monthly steps, 1 to MaxSteps

	Runs int    // default number of Monte Carlo runs (0: DefaultRuns)
	Seed uint64 // default seed
	// Replicates is the number of consecutive runs that share one draw
	// of the uncertain parameters (0: DefaultReplicates): it separates how
	// much a probability depends on the assumptions from Monte Carlo
	// noise (docs/MODEL.md §7).
	Replicates int
	// BurnIn is the number of months simulated before the start, with
	// decisions, from the baselines (and the signals dated in them), so
	// that month 0 starts from the model's own routine state rather than
	// from baselines (docs/MODEL.md §6.1). 0: none.
	BurnIn int
	// Posterior, when not nil, gives joint draws of some parameters: each
	// parameter draw takes one row, chosen by weight (docs/MODEL.md §7).
	Posterior *Posterior

	Model   map[string]dist.Dist // global parameters (ModelFields)
	Actors  []Actor
	Actions []Action // additions to and changes of the built-in Catalogue

	Trade      []Tie       // trade.FROM.TO: share of FROM's trade that is with TO
	Stance     []Tie       // stance.FROM.TO: FROM's baseline stance toward TO
	Stake      []Tie       // stake.FROM.TO: FROM's strategic interest in TO (utility)
	Incentives []Incentive // extra payoffs for particular choices
	Hazards    []Hazard    // rates and covariates of hazard-mode actions
	Links      []Link      // third-party effects
	Signals    []Signal    // dated exogenous signals
	Shocks     []Shock     // events of uncertain timing that change parameters
	Calendar   []Occasion  // dated opportunities and seasonal incentives

	Outcomes  []Outcome
	Events    []Event
	Series    []Series
	Questions []Question
}

// Actor is a country (or any agent). Its parameters are keyed by the names
// in ActorFields.
type Actor struct {
	ID      string // short code used in keys and paths, e.g. "DPRK"
	Name    string // display name, e.g. "North Korea"
	Params  map[string]dist.Dist
	Exclude []string // actions this actor never takes
	Source  string
}

// Action is an entry of the action catalogue. A scenario Action whose ID
// matches a built-in one changes only what it sets (empty Channel and
// Mode keep the built-in's).
type Action struct {
	ID          string
	Description string
	CAMEO       string // CAMEO code(s) the scale value comes from
	Broadcast   bool   // chosen once per step and signalled to every other actor
	// Channel names the decision the action belongs to: the actions of
	// one channel are alternatives (at most one of them is taken per
	// actor, partner and month), actions of different channels are
	// decided separately. Empty: the action's own ID.
	Channel string
	// Mode is how the channel decides: ModeChoice (a logit decision to
	// act), ModeJoint (a proposal the partner accepts or not: summits) or
	// ModeHazard (a monthly hazard with covariates: rare strategic acts).
	// Empty: ModeChoice.
	Mode   string
	Params map[string]dist.Dist
}

// Posterior is a table of joint parameter draws (a calibration's
// weighted particles): Params are parameter paths, each row one joint
// draw, Weights its weight.
type Posterior struct {
	File    string // where it was read from, for messages and provenance
	SHA256  string // hex SHA-256 of the file
	Params  []string
	Rows    [][]float64
	Weights []float64
}

// MaxBurnIn bounds the burn-in, in months.
const MaxBurnIn = 600

// Decision modes of action channels (docs/MODEL.md §5.2).
const (
	ModeChoice = "choice"
	ModeJoint  = "joint"
	ModeHazard = "hazard"
)

// Tie is a number attached to an ordered pair of actors.
type Tie struct {
	From, To string
	Value    dist.Dist
	Source   string
}

// Incentive is an extra payoff, in utility units, that From receives for
// choosing Action toward To. For a broadcast action To is empty.
type Incentive struct {
	From, To, Action string
	Value            dist.Dist
	Source           string
}

// Hazard gives the monthly rate and covariate effects of a hazard-mode
// action for one actor (and, for an action aimed at a partner, one
// target): the probability of taking it in month t is
// 1 − (1 − Rate)^exp(Σ β_c x_c(t)), x_c the covariates' values at the
// start of the month.
type Hazard struct {
	Actor, Target, Action string // Target empty for broadcast actions
	Rate                  dist.Dist
	Covariates            []Covariate
	Source                string
}

// Covariate is a state variable and its coefficient in a hazard: the
// log hazard ratio per unit of the variable. Variable is a path:
// "stance.A.B", "relation.A.B", "received.A.B", "trade.A.B",
// "threat.A" or "lost_trade.A" (docs/MODEL.md §6.4).
type Covariate struct {
	Variable string
	Coef     dist.Dist
}

// Occasion is a calendar entry: a dated window (From..By, inclusive
// calendar months) and/or recurring months of the year in which an
// action is more (or less) attractive. For a joint action with several
// Actors, every pair of them gets the Incentive for holding the action
// together (they are co-located, or a visit is announced); otherwise
// Actor (toward Target, for actions aimed at a partner) gets it. For a
// hazard-mode action the occasion multiplies the hazard by HazardRatio
// instead.
type Occasion struct {
	Name        string
	Description string
	Actors      []string // two or more, for joint actions
	Actor       string
	Target      string
	Action      string
	From, By    time.Time // zero: unbounded on that side
	Months      []int     // months of the year, 1–12; empty: every month
	Incentive   dist.Dist // utility; for choice and joint actions
	HazardRatio dist.Dist // factor; for hazard-mode actions
	Source      string
}

// Link is a third-party effect: the signals sent by When[0] to When[1] in
// a month move Moves[0]'s stance toward Moves[1] by Weight times their
// credibility-weighted intensity (scaled by Moves[0]'s responsiveness).
// Sign restricts the link to months whose net signal is cooperative
// ("cooperation") or conflictual ("conflict"); "" or "all" applies both.
type Link struct {
	Name        string
	Description string
	When        [2]string // sender, receiver of the triggering signals
	Moves       [2]string // holder and object of the stance that moves
	Sign        string
	Weight      dist.Dist
	Source      string
}

// Signal is an exogenous signal: From sends To an event with intensity
// Scale on the Goldstein conflict–cooperation scale, believed with
// probability-like weight Credibility. Dated signals happen in the month
// of Date; those dated before the start shape the initial state. A
// signal with a Window instead of a Date is sent every month from the
// window's first month to its last (a standing position, a campaign).
type Signal struct {
	Name        string
	Description string
	Date        time.Time    // zero for signals emitted by a shock or sent over a window
	Window      [2]time.Time // first and last month of a repeated signal; zero: not repeated
	From, To    string
	Scale       dist.Dist // Goldstein scale, -10 to 10
	Credibility dist.Dist // 0 to 1; default 1
	Source      string
}

// Shock is an exogenous event of uncertain timing. It fires at most once
// per run, either with a constant monthly Hazard or in the month given by
// Month (months after the start, possibly uncertain); exactly one is set.
// When it fires its Effects change parameters for the rest of the run and
// its Signals are sent.
//
// Covariates make a hazard depend on the state (a relief offer becomes
// likelier as relations improve): the monthly probability is then
// 1 − (1 − Hazard)^exp(Σ β x), evaluated month by month.
//
// Its Effects apply in a fixed order when it fires — every "set", then
// every "multiply", then every "add", each group in slice order — and
// shocks firing in the same month apply in the order of Scenario.Shocks
// (a scenario file's declaration order).
type Shock struct {
	Name        string
	Description string
	Hazard      dist.Dist // probability per month, 0 to 1
	Month       dist.Dist // months after the start; >= Steps means never
	Covariates  []Covariate
	Effects     []Effect
	Signals     []Signal
	Source      string
}

// Effect changes one parameter when a shock fires.
type Effect struct {
	Op     string    // "set", "multiply" or "add"
	Target string    // parameter path, e.g. "incentive.DPRK.RUS.military_support"
	Value  dist.Dist // the new value, the factor or the increment
}

// Outcome is a scalar measured on every run.
//
//	Kind "relation": the mean of both actors' stances toward each other;
//	Kind "stance":   Actors[0]'s stance toward Actors[1];
//	  with Stat "end" (after the last step), "at" (at date At),
//	  "min", "max" or "mean" (over the states after each step).
//	Kind "count": how many times Actor chose Action (toward Target, or
//	  any target when Target is empty) in the months From..By.
type Outcome struct {
	Name        string
	Description string
	Kind        string
	Actors      [2]string
	Stat        string
	At          time.Time
	Actor       string
	Action      string
	Target      string
	From, By    time.Time // zero: the whole horizon
}

// Event is a yes/no occurrence whose probability and time of first
// occurrence are measured, counted in the months From..By (zero: the
// whole horizon).
//
//	Kind "joint":     both Actors choose Action toward each other in the
//	                  same month (a summit);
//	Kind "action":    Actor chooses Action (toward Target, or any target);
//	Kind "threshold": the relation (or, with Directed, the stance) of
//	                  Actors falls below Below or rises above Above after
//	                  a step;
//	Kind "shock":     Shock fires.
type Event struct {
	Name        string
	Description string
	Kind        string
	Actors      [2]string
	Actor       string
	Action      string
	Target      string
	Directed    bool
	Below       *float64
	Above       *float64
	Shock       string
	From, By    time.Time
}

// Series is a relation or stance recorded after every step, summarised by
// per-month quantiles (fan charts).
type Series struct {
	Name        string
	Description string
	Kind        string // "relation" or "stance"
	Actors      [2]string
}

// Question is a forecasting question bound to an event: "will the event
// have occurred by ResolveBy?". Its forecast is the share of runs in which
// the event first occurred (within its window) by the end of ResolveBy's
// month.
type Question struct {
	ID        string
	Text      string    // as an analyst would write it
	Event     string    // the name of a declared event
	ResolveBy time.Time // inside the event's window
}

// Limits on scenario sizes: generous for analysis (the flagship has 4
// actors, 9 signals, 2 shocks, 7 outcomes, 7 events and 3 series), small
// enough that no scenario makes a run allocate without bound. A series
// costs each worker (Steps+1)·400 histogram bins (about 2 MB at 600
// months); docs/SCENARIOS.md lists them.
const (
	MaxActors    = 32
	MaxActions   = 64 // the built-in catalogue and the scenario's own
	MaxSteps     = 600
	MaxRuns      = 1_000_000_000
	MaxSignals   = 1000 // dated signals
	MaxShocks    = 64
	MaxShockSigs = 16 // signals one shock sends
	MaxLinks     = 256
	MaxOutcomes  = 256
	MaxEvents    = 256
	MaxSeries    = 64
	MaxQuestions = 256
	DefaultRuns  = 10_000
	MaxOccasions = 256 // calendar entries
	// DefaultReplicates runs share each parameter draw unless the
	// scenario says otherwise; MaxReplicates bounds it.
	DefaultReplicates = 20
	MaxReplicates     = 1024
)
