package history

import (
	"slices"
	"time"

	"github.com/geosim/geosim/sim"
)

// Header is the exact header line of a record file.
var Header = []string{"date", "actor", "target", "type", "count", "source", "note"}

// RecordStart is the first date a record may hold.
var RecordStart = time.Date(2012, time.January, 1, 0, 0, 0, 0, time.UTC)

// DefaultCutoff is the as-of date of the shipped record: the flagship
// forecasts as of 2025-09-01, so nothing dated later may enter the
// record or anything built from it.
var DefaultCutoff = time.Date(2025, time.August, 31, 0, 0, 0, 0, time.UTC)

// Actors are the actor codes a record may name.
var Actors = []string{"DPRK", "CHN", "RUS", "USA", "ROK", "JPN", "UNSC"}

// Event types of the record.
const (
	Summit          = "summit"
	Visit           = "visit"
	BallisticLaunch = "ballistic_launch"
	CruiseLaunch    = "cruise_launch"
	SatelliteLaunch = "satellite_launch"
	NuclearTest     = "nuclear_test"
	USDesignation   = "us_designation"
	UNSCResolution  = "unsc_resolution"
	UNSCVeto        = "unsc_veto"
	MilitarySupport = "military_support"
	JointExercise   = "joint_exercise"
)

// typeRule says who may be actor and target of an event type. An empty
// list allows any state (any actor but UNSC); target "" in targets means
// the event has no target.
type typeRule struct {
	actors  []string
	targets []string
	none    bool // the target must be empty
}

var states = []string{"DPRK", "CHN", "RUS", "USA", "ROK", "JPN"}

// rules follow the record contract (scenarios/history/README.md).
var rules = map[string]typeRule{
	Summit:          {actors: []string{"DPRK"}, targets: states},
	Visit:           {actors: states, targets: states},
	BallisticLaunch: {actors: []string{"DPRK"}, none: true},
	CruiseLaunch:    {actors: []string{"DPRK"}, none: true},
	SatelliteLaunch: {actors: []string{"DPRK"}, none: true},
	NuclearTest:     {actors: []string{"DPRK"}, none: true},
	USDesignation:   {actors: []string{"USA"}, targets: []string{"DPRK"}},
	UNSCResolution:  {actors: []string{"UNSC"}, targets: []string{"DPRK"}},
	UNSCVeto:        {actors: []string{"CHN", "RUS", "USA"}, targets: []string{"DPRK"}},
	MilitarySupport: {actors: states, targets: states},
	JointExercise:   {actors: []string{"USA"}, targets: states},
}

// Types returns the record's event types, sorted.
func Types() []string {
	out := make([]string, 0, len(rules))
	for t := range rules {
		out = append(out, t)
	}
	slices.Sort(out)
	return out
}

// KnownType reports whether t is an event type of the record.
func KnownType(t string) bool { _, ok := rules[t]; return ok }

// HasTarget reports whether events of type t name a target.
func HasTarget(t string) bool { return !rules[t].none }

// Event is one row of a record file.
type Event struct {
	Date      time.Time // the day; for a month-only date, the first day of the month
	MonthOnly bool      // the file gives only the month (YYYY-MM)
	Actor     string
	Target    string // "" when the event has none
	Type      string
	Count     int // at least 1
	Source    string
	Note      string
	File      string // where the row is written
	Line      int
}

// Month is the calendar month of the event.
func (e Event) Month() sim.Month { return sim.MonthOf(e.Date) }

// DateString is the date as the file writes it.
func (e Event) DateString() string {
	if e.MonthOnly {
		return e.Date.Format("2006-01")
	}
	return e.Date.Format(time.DateOnly)
}

// Record is the events of one or more record files, in the order the
// files were given and, within a file, in file order (date, type, actor).
type Record struct {
	Files  []string
	Events []Event
}

// Span returns the months of the first and last events (zero for an
// empty record).
func (r *Record) Span() (first, last sim.Month) {
	for i, e := range r.Events {
		m := e.Month()
		if i == 0 || m < first {
			first = m
		}
		if i == 0 || m > last {
			last = m
		}
	}
	return first, last
}

// CountByType returns the number of rows of each type.
func (r *Record) CountByType() map[string]int {
	out := map[string]int{}
	for _, e := range r.Events {
		out[e.Type]++
	}
	return out
}
