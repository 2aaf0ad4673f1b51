package sim

import (
	"math"
	"slices"
	"time"
)

// occasion is a compiled calendar entry (Occasion).
type occasion struct {
	info    OccasionInfo
	name    string
	lo, hi  int    // first and last step of the window (may lie outside the horizon)
	months  uint16 // bit k: calendar month k (0 = January) counts
	targets []int  // (i*n+j)*K + a of every choice it applies to
	value   int    // slot: utility, or hazard ratio when hazard
	hazard  bool
}

const allMonths = 1<<12 - 1

// active reports whether the occasion applies in step t of a model
// starting in month start.
func (o *occasion) active(start Month, t int) bool {
	return t >= o.lo && t <= o.hi && o.months&(1<<uint((int(start)+t)%12)) != 0
}

func (c *compiler) occasions() {
	m := c.m
	n, K := m.n, len(m.actionIDs)
	seen := map[string]string{}
	for _, oc := range c.sc.Calendar {
		path := PathKey("calendar", oc.Name)
		if !c.uniqueName(path, oc.Name, seen) {
			continue
		}
		o := occasion{name: oc.Name, lo: math.MinInt32, hi: math.MaxInt32, months: allMonths,
			info: OccasionInfo{Name: oc.Name, Description: oc.Description, Action: oc.Action, Months: oc.Months}}
		if len(oc.Actors) > 0 {
			o.info.Actors = oc.Actors
		} else {
			o.info.Actors = []string{oc.Actor}
			if oc.Target != "" {
				o.info.Actors = append(o.info.Actors, oc.Target)
			}
		}
		ok := true
		if !oc.From.IsZero() {
			o.lo = int(MonthOf(oc.From) - m.start)
		}
		if !oc.By.IsZero() {
			o.hi = int(MonthOf(oc.By) - m.start)
		}
		if !oc.From.IsZero() && !oc.By.IsZero() && o.hi < o.lo {
			c.probs.add(path+".by", "%s is before from (%s)", oc.By.Format(time.DateOnly), oc.From.Format(time.DateOnly))
			ok = false
		}
		if len(oc.Months) > 0 {
			o.months = 0
			for _, mo := range oc.Months {
				if mo < 1 || mo > 12 {
					c.probs.add(path+".months", "%d is not a month of the year (1 to 12)", mo)
					ok = false
					continue
				}
				if o.months&(1<<uint(mo-1)) != 0 {
					c.probs.add(path+".months", "month %d is listed twice", mo)
					ok = false
				}
				o.months |= 1 << uint(mo-1)
			}
		}
		if oc.From.IsZero() && oc.By.IsZero() && len(oc.Months) == 0 {
			c.probs.add(path, "an occasion needs a window (from, by) or months of the year; an incentive that always holds belongs in [incentive]")
			ok = false
		}
		a := c.action(path+".action", oc.Action)
		if a < 0 {
			continue
		}
		o.hazard = m.mode[a] == 'h'
		switch {
		case o.hazard && oc.Incentive != nil:
			c.probs.add(path+".incentive", "%s is a hazard-mode action: an occasion multiplies its hazard (hazard_ratio = ...)", oc.Action)
			ok = false
		case !o.hazard && oc.HazardRatio != nil:
			c.probs.add(path+".hazard_ratio", "%s is a %s-mode action: an occasion adds to its payoff (incentive = ...)", oc.Action, modeName(m.mode[a]))
			ok = false
		case o.hazard && oc.HazardRatio == nil:
			c.probs.add(path, "hazard_ratio is required (the factor applied to the hazard of %s)", oc.Action)
			ok = false
		case !o.hazard && oc.Incentive == nil:
			c.probs.add(path, "incentive is required (the payoff added to %s)", oc.Action)
			ok = false
		}
		switch {
		case len(oc.Actors) > 0 && oc.Actor != "":
			c.probs.add(path, "give either actors (every pair of them) or actor (and target), not both")
			ok = false
		case len(oc.Actors) > 0:
			if m.broadcast[a] {
				c.probs.add(path+".actors", "%s is a broadcast action: give actor, not actors", oc.Action)
				ok = false
				break
			}
			if len(oc.Actors) < 2 {
				c.probs.add(path+".actors", "list at least two actors (every pair of them meets the occasion)")
				ok = false
				break
			}
			var idx []int
			for _, id := range oc.Actors {
				i := c.actor(path+".actors", id)
				if i < 0 {
					ok = false
					continue
				}
				if slices.Contains(idx, i) {
					c.probs.add(path+".actors", "%s is listed twice", id)
					ok = false
				}
				idx = append(idx, i)
			}
			for _, i := range idx {
				for _, j := range idx {
					if i != j {
						o.targets = append(o.targets, (i*n+j)*K+a)
					}
				}
			}
		case oc.Actor != "":
			i := c.actor(path+".actor", oc.Actor)
			if i < 0 {
				ok = false
				break
			}
			j := i
			switch {
			case m.broadcast[a] && oc.Target != "":
				c.probs.add(path+".target", "%s is a broadcast action: it has no target", oc.Action)
				ok = false
			case !m.broadcast[a] && oc.Target == "":
				c.probs.add(path+".target", "%s is aimed at a partner: a target is required", oc.Action)
				ok = false
			case oc.Target != "":
				if j = c.actor(path+".target", oc.Target); j < 0 {
					ok = false
				} else if j == i {
					c.probs.add(path+".target", "an actor does not act toward itself")
					ok = false
				}
			}
			o.targets = append(o.targets, (i*n+j)*K+a)
		default:
			c.probs.add(path, "give actors (for a joint action: every pair of them) or actor (and target)")
			ok = false
		}
		if !ok {
			continue
		}
		if o.hazard {
			o.value = c.tab.add(path+".hazard_ratio", oc.HazardRatio, HazardRatioFld)
		} else {
			o.value = c.tab.add(path+".incentive", oc.Incentive, OccasionIncFld)
		}
		m.calendar = append(m.calendar, o)
	}
	m.calAt = make([][]int, m.steps)
	m.calSame = make([]bool, m.steps)
	for t := range m.calAt {
		for k := range m.calendar {
			if m.calendar[k].active(m.start, t) {
				m.calAt[t] = append(m.calAt[t], k)
			}
		}
		m.calSame[t] = t > 0 && slices.Equal(m.calAt[t], m.calAt[t-1])
	}
}

// OccasionInfo describes a calendar occasion for reports and charts.
type OccasionInfo struct {
	Name        string
	Description string
	Action      string
	Actors      []string // the actors it concerns
	// First and Last are the first and last steps of the horizon in which
	// it applies; Months lists its months of the year when it recurs.
	First, Last int
	Months      []int
}

// Occasions describes the calendar occasions that apply in at least one
// month of the horizon, in declaration order.
func (m *Model) Occasions() []OccasionInfo {
	var out []OccasionInfo
	for k := range m.calendar {
		o := m.calendar[k]
		first, last := -1, -1
		for t := 0; t < m.steps; t++ {
			if o.active(m.start, t) {
				if first < 0 {
					first = t
				}
				last = t
			}
		}
		if first < 0 {
			continue
		}
		info := o.info
		info.First, info.Last = first, last
		out = append(out, info)
	}
	return out
}

// calInc is one increment of an active occasion: its target
// (i*n+j)*K + a and its parameter slot.
type calInc struct{ idx, slot int32 }

// calendarIncs lists per step the increments of its active occasions to
// payoffs and to log hazard ratios, each in the order of the occasions
// and their targets.
func (m *Model) calendarIncs() (pay, haz [][]calInc) {
	pay, haz = make([][]calInc, m.steps), make([][]calInc, m.steps)
	for t := range pay {
		for _, k := range m.calAt[t] {
			o := &m.calendar[k]
			for _, idx := range o.targets {
				if o.hazard {
					haz[t] = append(haz[t], calInc{int32(idx), int32(o.value)})
				} else {
					pay[t] = append(pay[t], calInc{int32(idx), int32(o.value)})
				}
			}
		}
	}
	return pay, haz
}

// applyCalendar makes the payoff and hazard increments of the occasions
// active in step t current. They change only when the set of active
// occasions changes (or a shock changed a parameter: calDirty). Payoffs
// and hazard ratios are separate sums, so each is added in its own loop.
//
// The test alone is inlined where it is called: in many months nothing
// changes, and no call is made (resetCalendar does the rest).
func (w *Workspace) applyCalendar(t int) {
	if !w.calDirty && w.m.calSame[t] {
		w.calFrom = t
		return
	}
	w.resetCalendar(t)
}

// resetCalendar is applyCalendar when the increments change.
func (w *Workspace) resetCalendar(t int) {
	w.calDirty = false
	w.clearCalendar()
	for _, r := range w.calPay[t] {
		*r.dst += *r.src
	}
	for _, r := range w.calHaz[t] {
		*r.dst += math.Log(*r.src)
	}
	w.calFrom = t
}

// calRef is a calendar increment (calInc) as addresses in a Workspace's
// arrays: the payoff or log hazard ratio it adds to, and the parameter
// it adds. applyCalendar and clearCalendar, which run in most months,
// follow them without index loads or bounds checks; the arrays are
// allocated once, in NewWorkspace, and never replaced.
type calRef struct{ dst, src *float64 }

// newCalRefs returns the per-step increments incs as addresses in dst
// (calU or calH) and p, in the same order.
func newCalRefs(incs [][]calInc, dst, p []float64) [][]calRef {
	out := make([][]calRef, len(incs))
	for t, l := range incs {
		out[t] = make([]calRef, len(l))
		for k, op := range l {
			out[t][k] = calRef{&dst[op.idx], &p[op.slot]}
		}
	}
	return out
}

// clearCalendar sets every occasion increment to 0: only the targets of
// the occasions of step calFrom can be nonzero, a payoff only at a
// payoff's target, a hazard ratio only at a hazard's.
func (w *Workspace) clearCalendar() {
	if t := w.calFrom; t >= 0 {
		for _, r := range w.calPay[t] {
			*r.dst = 0
		}
		for _, r := range w.calHaz[t] {
			*r.dst = 0
		}
	}
	w.calFrom = -1
}
