package sim

import (
	"bytes"
	"unsafe"
)

// startCache holds the state at the start of a run — derived quantities,
// stances, memories and trade flows (all normal) after the replay of the signals dated before the
// start — for the parameter vector p. Runs of one group of replicates
// share their parameters, so all but the first of a group restore it
// instead of deriving and replaying again. The result is the same bits:
// the replay uses no random numbers and depends on nothing but p.
type startCache struct {
	valid bool
	p     []float64  // the parameter vector the cache was computed from
	gen   uint64     // Workspace.pGen when it was (0: none)
	dv    []float64  // Workspace.dv at the start
	base  []float64  // Workspace.base's part of dv
	state []float64  // Workspace.state (stances, memories, trade flows)
	rec   [][]uint64 // the choice groups' records
	sig   int        // next exogenous signal after the replay

	recDecay, tradeDecay, spill, eta float64
	tradeMask                        uint64
}

// drawCache holds the last parameter draw SampleDraw computed, so that
// the runs of a group of replicates do not invert every distribution
// again.
type drawCache struct {
	valid      bool
	seed, draw uint64
	gen        uint64    // bumped at every new draw: Workspace.pGen's values
	p          []float64 // the parameter vector after sampling
	params     []float64 // Out.Params after sampling
}

// sameBits reports whether a and b hold the same float64 bit patterns.
func sameBits(a, b []float64) bool {
	if len(a) != len(b) {
		return false
	}
	if len(a) == 0 {
		return true
	}
	return bytes.Equal(unsafe.Slice((*byte)(unsafe.Pointer(&a[0])), 8*len(a)), unsafe.Slice((*byte)(unsafe.Pointer(&b[0])), 8*len(b)))
}

// saveStart records the current state as the start of runs with the
// current parameter vector.
func (w *Workspace) saveStart(sig int) {
	c := &w.start
	copy(c.p, w.p)
	c.gen = w.pGen
	if len(w.pTouched) > 0 {
		c.gen = 0 // p is not the draw's
	}
	copy(c.dv, w.dv)
	copy(c.state, w.state)
	for k := range w.choice {
		copy(c.rec[k], w.choice[k].rec)
	}
	copy(c.rec[len(w.choice)], w.propose.rec)
	c.sig = sig
	w.derivedDirty, w.derivedFull, w.rebased = false, false, w.rebased[:0]
	c.recDecay, c.tradeDecay, c.spill, c.eta, c.tradeMask = w.recDecay, w.tradeDecay, w.spill, w.eta, w.tradeMask
	c.valid = true
}

// restoreStart sets the state to the saved start if it belongs to the
// current parameter vector, and returns the next exogenous signal. The
// vectors are compared only when p is not known to be the draw the start
// was saved for (pGen).
func (w *Workspace) restoreStart() (sig int, ok bool) {
	c := &w.start
	if !c.valid || (w.pGen == 0 || w.pGen != c.gen || len(w.pTouched) > 0) && !sameBits(c.p, w.p) {
		return 0, false
	}
	switch {
	case w.derivedFull:
		// A shock changed derived quantities in the last run. The rates
		// and the trade mask change only in derive, which sets
		// derivedFull: otherwise they are still the cache's.
		copy(w.dv, c.dv)
		w.recDecay, w.tradeDecay, w.spill, w.eta, w.tradeMask = c.recDecay, c.tradeDecay, c.spill, c.eta, c.tradeMask
		w.setRates()
		for k := range w.choice {
			copy(w.choice[k].rec, c.rec[k])
		}
		copy(w.propose.rec, c.rec[len(w.choice)])
	case w.derivedDirty:
		// Only incentive shocks fired (rebase): put back the fixed
		// utilities they changed and the record words holding them,
		// instead of copying every record.
		for _, bi := range w.rebased {
			w.setBase(int(bi), c.base[bi])
		}
	}
	w.derivedDirty, w.derivedFull, w.rebased = false, false, w.rebased[:0]
	copy(w.state, c.state)
	w.calDirty = true
	return c.sig, true
}
