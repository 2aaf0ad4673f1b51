package backtest

import (
	"time"

	"github.com/geosim/geosim/history"
	"github.com/geosim/geosim/sim"
	"github.com/geosim/geosim/sim/dist"
)

// Spec is a backtest as written in a backtest file: the scenario
// template, the record, the origins, horizons and question templates,
// the mapping from record to model and the dated overrides. It is plain
// data; Prepare checks it and builds the plan. Package sim/scenario reads
// Specs from TOML.
type Spec struct {
	Name        string
	Title       string
	Description string

	// Template holds the actors and structural parameters. Its dated
	// signals must be empty (the record supplies them); its start, steps,
	// outcomes, events, series and questions are replaced at each origin.
	Template *sim.Scenario
	// TemplateOverrides are parameter values applied to the template at
	// every origin, before the dated overrides (a variant template's
	// [override] table).
	TemplateOverrides map[string]dist.Dist

	// Record is the event record replayed before each origin and
	// resolving each question.
	Record *history.Record
	// RecordStart is the first month the record covers: the climatology
	// window and the replay never reach before it.
	RecordStart time.Time
	// Cutoff is the as-of date: questions whose window ends after it are
	// dropped.
	Cutoff time.Time

	Origins  []sim.Month // forecast origins, strictly increasing
	Horizons []int       // months, strictly increasing, 1 to MaxHorizon

	// ReplayMonths is how many months of record before an origin are
	// replayed as dated signals, 0 to MaxReplay.
	ReplayMonths int
	// ClimatologyMonths is the length of the climatology benchmark's
	// window before each origin (truncated at RecordStart).
	ClimatologyMonths int

	Runs int    // Monte Carlo runs per origin
	Seed uint64 // origin o's runs use OriginSeed(Seed, o)

	Mappings  []Mapping
	Overrides []Override
	Templates []Template
	// Posteriors give the origins of each range joint parameter draws
	// from a calibration fitted only to data before the range's first
	// origin (geosim calibrate -fit-to); origins in no range run the
	// template's own distributions.
	Posteriors []PosteriorRange

	Bootstrap int     // block-bootstrap resamples (0: DefaultBootstrap)
	LogClip   float64 // log score clip (0: DefaultLogClip)
}

// Limits and defaults.
const (
	MaxHorizon       = 60
	MaxReplay        = 120 // the engine replays dated signals up to 120 months before the start
	DefaultBootstrap = 2000
	DefaultLogClip   = 0.01
)

// Clip is the log score clip the scores use: LogClip, or DefaultLogClip
// when unset.
func (s *Spec) Clip() float64 {
	if s.LogClip == 0 {
		return DefaultLogClip
	}
	return s.LogClip
}

// Resamples is the number of block-bootstrap resamples the skill
// intervals use: Bootstrap, or DefaultBootstrap when unset.
func (s *Spec) Resamples() int {
	if s.Bootstrap == 0 {
		return DefaultBootstrap
	}
	return s.Bootstrap
}

// Ways a record event is replayed.
const (
	// ReplayBroadcast: the row's actor sends the action's signal to every
	// other actor, at full intensity to those it holds a negative
	// baseline stance toward (its adversaries) and at the model's
	// broadcast_spillover weight to the others, as the engine does for a
	// chosen broadcast action.
	ReplayBroadcast = "broadcast"
	// ReplayDyadic: the row's actor (or each of Senders) sends the
	// action's signal to the row's target.
	ReplayDyadic = "dyadic"
	// ReplayJoint: actor and target each send the other the action's
	// scale plus its joint scale, as when a summit is held.
	ReplayJoint = "joint"
	// ReplayNone: the type is record-only: neither replayed nor usable in
	// questions.
	ReplayNone = "none"
)

// Mapping declares how events of one record type correspond to a model
// action: the signal they are replayed as, and the model event a
// question about them asks about.
type Mapping struct {
	Type    string   // record event type (history.Types)
	Action  string   // the catalogue action whose scale and credibility the replay uses; "" for ReplayNone
	Replay  string   // ReplayBroadcast, ReplayDyadic, ReplayJoint or ReplayNone
	Senders []string // dyadic only: these actors send instead of the row's actor (an adopted UN resolution)
	Note    string
}

// Override changes template parameters for the origins after Date: a
// piece of context known at those origins (who is US president, the war
// in Ukraine). Overrides apply in date order; a later one replaces an
// earlier one's value for the same path.
type Override struct {
	Name        string
	Date        time.Time
	Set         map[string]dist.Dist // parameter path → new value
	Description string
	Source      string // required: a publication, or "assumption: …"
}

// Template is a question fixed in advance and asked at every origin for
// every horizon h:
//
//   - AtLeastShare 0: "does an event the filters select occur in the h
//     months from the origin?"
//   - AtLeastShare s in (0, 1]: "do at least k = ⌈s·h⌉ of the h months
//     hold such an event?" (one filter, not a joint action).
type Template struct {
	ID           string
	Text         string // with {from}, {to}, {h} and {k} filled in per question
	Events       []history.Filter
	AtLeastShare float64
}

// PosteriorRange gives origins From..To (inclusive) the joint draws of
// a calibration posterior. The posterior must have been fitted to data
// ending before From: DataTo, the last day of its data, is checked
// against it, so that no origin sees data after it.
type PosteriorRange struct {
	Name      string
	Posterior *sim.Posterior
	DataTo    time.Time
	From, To  sim.Month
	Source    string
}
