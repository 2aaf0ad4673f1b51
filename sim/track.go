package sim

import "math/bits"

// trackPlan says what a run records each month for its outcomes, events
// and series, and how finishTracking turns the record into them. The
// month's work is only the recording: each state quantity (a relation,
// stance or trade value) that a series, outcome or threshold event reads
// is written into its row of Workspace.rows, and each action or joint
// action an event, count or series asks about sets the month's bit in
// its row of Workspace.flags. Minima, maxima, means, values at a state,
// counts and first months are read off the rows once the run is over,
// in the order the month-by-month rules took them, so every value is
// the same bit for bit.
type trackPlan struct {
	// rows is the number of quantity rows of steps+1 states: the series'
	// first (row s is series s, so that RunOutput.Series is their
	// prefix), then the states only outcomes and threshold events read.
	rows int
	// words is the number of 64-bit words a flag row takes: one bit per
	// month. flagRows is the number of flag rows.
	words, flagRows int

	// rel: relations (s_ab + s_ba)/2 and stances s_ab, taken as
	// (s_ab + s_ab)/2: the same float64 (doubling and halving are exact
	// for |s| below MaxFloat64/2, zeros, infinities and NaN included;
	// states are Goldstein values); trade: trade values. Recorded every
	// month.
	rel, trade []stateRef
	// monthFlags: an action in did (with a target, or broadcast) or a
	// joint action in held, both read from Workspace.monthly.
	monthFlags []flagRef
	anyFlags   []anyFlag  // an action toward any partner
	anyCounts  []anyCount // counts of an action toward any partner: per partner, so counted monthly
	actRows    []actRow   // action and joint series: their rows from flag rows
	outs       []outRule  // per outcome
	evs        []evRule   // per event
}

// stateRef records a state quantity: relation (s_ab + s_ba)/2, stance
// s_ab or trade T̄_ab·φ_ab, at indices ab and ba of the n×n matrices,
// into the row starting at rows[row].
type stateRef struct{ ab, ba, row int32 }

// flagRef sets the month's bit of the flag row starting at flags[at]
// when monthly[ij] has bit: did[ij'] at ij = monthlyDid(n)+ij', held[ij']
// at ij = monthlyHeld(n)+ij'.
type flagRef struct {
	ij, at int32
	bit    uint64
}

// anyFlag sets the month's bit of the flag row at flags[at] when actor
// took the action of bit toward any partner.
type anyFlag struct {
	actor, at int32
	bit       uint64
}

// anyCount adds to tracker[k] the partners actor took the action of bit
// toward in each month from from to by.
type anyCount struct {
	k, actor, from, by int32
	bit                uint64
}

// actRow fills the row at rows[row] (states 1..steps) with 1 where the
// flag row at flags[flag] has the month's bit, else 0.
type actRow struct{ flag, row int32 }

// outRule computes an outcome from the record.
type outRule struct {
	how    byte  // 'v' value at state lo, 'n' min, 'x' max, 'm' mean over states 1..steps, 'c' bits in months lo..hi, 'C' tracker, '0' zero
	at     int32 // the quantity row's offset in rows ('v', 'n', 'x', 'm'), the flag row's in flags ('c')
	lo, hi int32
}

// evRule computes an event's first month from the record.
type evRule struct {
	how    byte  // 'f' first bit of a flag row, 't' first month past a level, 's' a shock's month, '0' never
	at     int32 // the flag row's offset in flags ('f'), the quantity row's in rows ('t')
	lo, hi int32 // the months looked at: the event's window within the horizon
	level  float64
	below  bool
	shock  int32
}

// planTracking builds m.trk from m's outcomes, events and series.
func (m *Model) planTracking() trackPlan {
	n, T, T1 := m.n, m.steps, m.steps+1
	p := trackPlan{words: (T + 63) / 64}
	type stateKey struct {
		kind   byte
		ab, ba int32
	}
	type flagKey struct {
		src  byte // 'd' did, 'h' held, 'y' any partner
		ij   int32
		bits uint64
	}
	states := map[stateKey]int32{} // quantity → its row offset
	flags := map[flagKey]int32{}   // flag → its row offset
	addState := func(kind byte, a, b int, row int) int32 {
		ab, ba := int32(a*n+b), int32(b*n+a)
		if kind != 'r' {
			ba = ab
		}
		// (x + y) and (y + x) are the same float64: a relation is one
		// quantity in either order.
		key := stateKey{kind, min(ab, ba), max(ab, ba)}
		if row < 0 {
			if at, ok := states[key]; ok {
				return at
			}
			row = p.rows
			p.rows++
		}
		at := int32(row * T1)
		if _, ok := states[key]; !ok {
			states[key] = at
		}
		r := stateRef{ab: ab, ba: ba, row: at}
		if kind == 'd' {
			p.trade = append(p.trade, r)
		} else {
			p.rel = append(p.rel, r)
		}
		return at
	}
	addFlag := func(src byte, ij int, bit uint64) int32 {
		key := flagKey{src, int32(ij), bit}
		if at, ok := flags[key]; ok {
			return at
		}
		at := int32(p.flagRows * p.words)
		p.flagRows++
		flags[key] = at
		switch src {
		case 'd':
			p.monthFlags = append(p.monthFlags, flagRef{ij: int32(monthlyDid(n) + ij), at: at, bit: bit})
		case 'h':
			p.monthFlags = append(p.monthFlags, flagRef{ij: int32(monthlyHeld(n) + ij), at: at, bit: bit})
		default:
			p.anyFlags = append(p.anyFlags, anyFlag{actor: int32(ij), at: at, bit: bit})
		}
		return at
	}
	// window clamps the months from..by to the horizon; empty: lo > hi.
	window := func(from, by int) (int32, int32) { return int32(max(from, 0)), int32(min(by, T-1)) }

	p.rows = len(m.series)
	for s := range m.series {
		sr := &m.series[s]
		switch sr.kind {
		case 'a', 'j':
			src := byte('d')
			if sr.kind == 'j' {
				src = 'h'
			}
			f := addFlag(src, sr.a*n+sr.b, uint64(1)<<uint(sr.action))
			p.actRows = append(p.actRows, actRow{flag: f, row: int32(s * T1)})
		default:
			addState(sr.kind, sr.a, sr.b, s)
		}
	}
	p.outs = make([]outRule, len(m.outcomes))
	for k := range m.outcomes {
		o := &m.outcomes[k]
		r := outRule{how: '0'}
		switch {
		case o.kind == 'c':
			bit := uint64(1) << uint(o.action)
			lo, hi := window(o.from, o.by)
			switch {
			case lo > hi:
			case m.broadcast[o.action]:
				r = outRule{how: 'c', at: addFlag('d', o.actor*n+o.actor, bit), lo: lo, hi: hi}
			case o.target >= 0:
				r = outRule{how: 'c', at: addFlag('d', o.actor*n+o.target, bit), lo: lo, hi: hi}
			default:
				r.how = 'C'
				p.anyCounts = append(p.anyCounts, anyCount{k: int32(k), actor: int32(o.actor), from: lo, by: hi, bit: bit})
			}
		case o.stat == 'n' || o.stat == 'x' || o.stat == 'm':
			r = outRule{how: o.stat, at: addState(o.kind, o.a, o.b, -1)}
		case o.stat == 'a':
			if o.atK >= 0 && o.atK <= T {
				r = outRule{how: 'v', at: addState(o.kind, o.a, o.b, -1), lo: int32(o.atK)}
			}
		default: // 'e'
			r = outRule{how: 'v', at: addState(o.kind, o.a, o.b, -1), lo: int32(T)}
		}
		p.outs[k] = r
	}
	p.evs = make([]evRule, len(m.events))
	for k := range m.events {
		e := &m.events[k]
		lo, hi := window(e.from, e.by)
		r := evRule{how: '0', lo: lo, hi: hi}
		bit := uint64(1) << uint(e.action)
		switch {
		case lo > hi:
		case e.kind == 'j':
			r.how, r.at = 'f', addFlag('h', e.a*n+e.b, bit)
		case e.kind == 'a' && m.broadcast[e.action]:
			r.how, r.at = 'f', addFlag('d', e.a*n+e.a, bit)
		case e.kind == 'a' && e.target >= 0:
			r.how, r.at = 'f', addFlag('d', e.a*n+e.target, bit)
		case e.kind == 'a':
			r.how, r.at = 'f', addFlag('y', e.a, bit)
		case e.kind == 't':
			kind := byte('r')
			if e.directed {
				kind = 's'
			}
			r.how, r.at, r.level, r.below = 't', addState(kind, e.a, e.b, -1), e.level, e.below
		default: // 's'
			r.how, r.shock = 's', int32(e.shock)
		}
		p.evs[k] = r
	}
	return p
}

// windowWord is word wd of the flag row f with the bits of the months
// outside lo…hi cleared.
func windowWord(f []uint64, wd, lo, hi int32) uint64 {
	x := f[wd]
	if wd == lo>>6 {
		x &= ^uint64(0) << uint(lo&63)
	}
	if wd == hi>>6 {
		x &= ^uint64(0) >> uint(63-hi&63)
	}
	return x
}

// firstBit returns the first month from lo to hi whose bit is set in
// the flag row f, or -1.
func firstBit(f []uint64, lo, hi int32) int32 {
	for wd := lo >> 6; wd <= hi>>6; wd++ {
		if x := windowWord(f, wd, lo, hi); x != 0 {
			return wd<<6 + int32(bits.TrailingZeros64(x))
		}
	}
	return -1
}

// countBits returns the number of months from lo to hi whose bit is set
// in the flag row f.
func countBits(f []uint64, lo, hi int32) int {
	c := 0
	for wd := lo >> 6; wd <= hi>>6; wd++ {
		c += bits.OnesCount64(windowWord(f, wd, lo, hi))
	}
	return c
}

// trackArgs is what the month kernel (trackMonthGo, trackMonthAsm) reads:
// the plan's lists and the Workspace arrays they index, whose indices
// planTracking keeps in range (newTrackArgs checks the lengths).
type trackArgs struct {
	rows, s, tn, phi []float64 // rows: Workspace.rows; tn, phi: tradeNorm, phi
	mo, flags        []uint64  // Workspace.monthly, Workspace.flags
	rel, trade       []stateRef
	monthFlags       []flagRef
	any              bool // the plan has any-partner flags or counts (Workspace.trackAny)
}

func newTrackArgs(w *Workspace) trackArgs {
	p := &w.m.trk
	a := trackArgs{rows: w.rows, s: w.s, tn: w.tradeNorm, phi: w.phi, mo: w.monthly, flags: w.flags,
		rel: p.rel, trade: p.trade, monthFlags: p.monthFlags, any: len(p.anyFlags)+len(p.anyCounts) > 0}
	T1 := int32(w.m.steps + 1)
	for _, r := range a.rel {
		if int(max(r.ab, r.ba)) >= len(a.s) || int(r.row+T1) > len(a.rows) {
			panic("sim: tracking plan out of range")
		}
	}
	for _, r := range a.trade {
		if int(r.ab) >= min(len(a.tn), len(a.phi)) || int(r.row+T1) > len(a.rows) {
			panic("sim: tracking plan out of range")
		}
	}
	for _, f := range a.monthFlags {
		if int(f.ij) >= len(a.mo) || int(f.at)+p.words > len(a.flags) {
			panic("sim: tracking plan out of range")
		}
	}
	return a
}

// trackMonthGo records month t (from 0): the state after it in the rows
// of relations and stances, (s_ab + s_ba)/2, and of trade values,
// T̄_ab·φ_ab, at state t+1; the bit of month t in each flag row whose
// did or held word has its action. The assembly kernel must compute the
// same bits.
func trackMonthGo(a *trackArgs, t int) {
	rows, s := a.rows[t+1:], a.s
	for _, r := range a.rel {
		rows[r.row] = (s[r.ab] + s[r.ba]) / 2
	}
	tn, phi := a.tn, a.phi
	for _, r := range a.trade {
		rows[r.row] = tn[r.ab] * phi[r.ab]
	}
	flags, mo, tb := a.flags[t>>6:], a.mo, uint64(1)<<uint(t&63)
	for _, f := range a.monthFlags {
		if mo[f.ij]&f.bit != 0 {
			flags[f.at] |= tb
		}
	}
}
