package history

import "github.com/geosim/geosim/sim"

// Filter selects events: those of Type by Actor toward Target. An empty
// Actor matches any actor; an empty Target matches any target (and an
// event without one).
type Filter struct {
	Type, Actor, Target string
}

// Match reports whether e is selected.
func (f Filter) Match(e Event) bool {
	return e.Type == f.Type && (f.Actor == "" || e.Actor == f.Actor) && (f.Target == "" || e.Target == f.Target)
}

// Monthly returns, for each calendar month from..to (inclusive), the
// number of events (rows) that any of the filters selects. An event
// selected by two filters counts once.
func (r *Record) Monthly(from, to sim.Month, filters ...Filter) []int {
	if to < from {
		return nil
	}
	out := make([]int, to-from+1)
	for _, e := range r.Events {
		m := e.Month()
		if m < from || m > to {
			continue
		}
		for _, f := range filters {
			if f.Match(e) {
				out[m-from]++
				break
			}
		}
	}
	return out
}

// ActiveMonths returns how many of the months from..to hold at least one
// event that a filter selects: the unit of a model action, which an
// actor takes at most once a month.
func (r *Record) ActiveMonths(from, to sim.Month, filters ...Filter) int {
	n := 0
	for _, c := range r.Monthly(from, to, filters...) {
		if c > 0 {
			n++
		}
	}
	return n
}

// Occurred reports whether any selected event falls in the months
// from..to.
func (r *Record) Occurred(from, to sim.Month, filters ...Filter) bool {
	return r.ActiveMonths(from, to, filters...) > 0
}
