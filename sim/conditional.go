package sim

import (
	"fmt"
	"math"

	"github.com/geosim/geosim/sim/stats"
)

// Conditional views answer the analyst's question "what happens to the
// main relations when the shock fires?": for each of the first few
// shocks, the runs are split by when it fired — in the first half of the
// horizon, in the second half, or not at all — and each part keeps the
// distribution of the first few series at every month and of the first
// few outcomes. Only histograms are kept (quantiles are what the charts
// show): the outcomes' with the bins of the unconditional ones (so that
// charts can stack them), the series' coarser, so that the views cost
// little memory and time per run.
const (
	// ConditionalShocks, ConditionalSeries and ConditionalOutcomes bound
	// the shocks, series and outcomes split (the first ones declared).
	ConditionalShocks   = 4
	ConditionalSeries   = 3
	ConditionalOutcomes = 8
	// conditionalBins is the resolution of the split series: 0.1
	// Goldstein points for relations.
	conditionalBins = 200
)

// Conditions of a split, in the order of ShockSplit's arrays.
const (
	FiredEarly = iota // fired in months 1 … ⌈steps/2⌉
	FiredLate         // fired in a later month of the horizon
	NotFired          // did not fire within the horizon
	NumConditions
)

// ShockSplit holds one shock's conditional views.
type ShockSplit struct {
	// Runs[c] counts the runs in condition c.
	Runs [NumConditions]int64 `json:"runs"`
	// Series[c][s][k] is series s at state k in the runs of condition c.
	Series [NumConditions][][]*stats.Histogram `json:"series"`
	// Outcomes[c][o] is outcome o in the runs of condition c.
	Outcomes [NumConditions][]*stats.Histogram `json:"outcomes"`
}

// EarlyMonths returns the last month (counted from 1) of the "fired
// early" condition.
func (m *Model) EarlyMonths() int { return (m.steps + 1) / 2 }

// conditionOf returns the condition of a run in which the shock fired at
// step (-1: not at all).
func conditionOf(step int32, early int) int {
	switch {
	case step < 0:
		return NotFired
	case int(step) < early:
		return FiredEarly
	}
	return FiredLate
}

func newShockSplits(m *Model) []ShockSplit {
	ns, nser, nout := min(len(m.shocks), ConditionalShocks), min(len(m.series), ConditionalSeries), min(len(m.outcomes), ConditionalOutcomes)
	splits := make([]ShockSplit, ns)
	for i := range splits {
		for c := 0; c < NumConditions; c++ {
			for s := 0; s < nser; s++ {
				lo, hi := m.seriesRange(s)
				pts := make([]*stats.Histogram, m.steps+1)
				for k := range pts {
					pts[k] = mustHistogram(stats.NewHistogram(lo, hi, conditionalBins))
				}
				splits[i].Series[c] = append(splits[i].Series[c], pts)
			}
			for o := 0; o < nout; o++ {
				splits[i].Outcomes[c] = append(splits[i].Outcomes[c], m.outcomeHistogram(o))
			}
		}
	}
	return splits
}

// seriesRange returns the range of series s's values.
func (m *Model) seriesRange(s int) (lo, hi float64) {
	if m.series[s].kind == 'd' {
		return 0, maxTradeFactor
	}
	return -goldsteinMax, goldsteinMax
}

func mustHistogram(h *stats.Histogram, err error) *stats.Histogram {
	if err != nil {
		panic(err) // ranges come from Compile
	}
	return h
}

// condPlan lays a Result's conditional histograms out for addConditional:
// each run's values are binned once, not once per shock, and counted by
// index into flat lists instead of through the nested views.
type condPlan struct {
	// hists[(i*NumConditions+c)*len(grids)+j] is view j of shock i in
	// condition c: the series' states (series by series), then the
	// outcomes, in the order of the run's Series and Outcomes.
	hists  []*stats.Histogram
	grids  []stats.Grid // per view: its bins, the same in every split
	bins   []int        // per view: the bin of the current run's value
	series int          // views that are series states
	spans  []gridSpan   // the views by runs of one grid, binned together
	// For addDeferred: the spans whose bins it finds itself (binned),
	// and the runs of views whose bins it takes from Add's (shared).
	binned []gridSpan
	shared []sharedRun
	// derive: every view's bins are its unconditional histogram's
	// (mains[j]) shifted by shifts[j], so addDeferred leaves the block of
	// all runs alone and flushDeferred takes NotFired as what the
	// unconditional histogram counted beyond FiredEarly and FiredLate:
	// Add counts every run into both, and flushes come between runs.
	derive bool
	mains  []*stats.Histogram
	shifts []uint

	// Deferred counting (Result.deferConditional, for the runner): the
	// counts of a run go to 16-bit counters, a quarter of the int64
	// counts' memory and without the histograms' N, so that fewer of
	// them miss the cache. Per shock, a run is counted into the block
	// of its condition if the shock fired (FiredEarly, FiredLate); the
	// NotFired histograms take the difference from all runs when the
	// blocks are flushed (flushDeferred): all runs as the unconditional
	// histograms counted them (derive), else as the block of all runs,
	// into which every run is counted once. Most runs leave most shocks
	// unfired, so a run counts its views about (shocks fired) times
	// rather than once per shock (flagship: 0.96 against 3). The blocks
	// are flushed before any counter can overflow: when 65535 runs have
	// been counted.
	offs    []int    // per view: its first counter within a block; then the block's size
	block   int      // counters per block
	small   []uint16 // block of all runs, then per shock i its FiredEarly and FiredLate blocks (deferBlock), view offs[j]+bin
	at      []int    // per view: offs[j] plus the current run's bin
	pending []int64  // runs counted in small, not yet in the histograms: all runs, then as small's blocks
}

// gridSpan is a run of consecutive views with the same grid, all series
// states or all outcomes (views from to to-1).
type gridSpan struct {
	from, to int
	g        stats.Grid
	// shared: the bin of view j is Result.bins[j+src]>>shift, the bin
	// Add found for the same value on the unconditional histogram.
	shared bool
	src    int
	shift  uint
}

// sharedRun is a run of consecutive views from gridSpans with shared
// bins, all series states or all outcomes, with one src and shift.
type sharedRun struct {
	from, to, src int
	shift         uint
	series        bool
}

// planConditional builds r.cond from r.Conditional (also for a Result
// decoded from JSON). It returns false when the splits' histograms do not
// share their bins view by view, which NewResult and Check rule out.
func (r *Result) planConditional() bool {
	p := condPlan{}
	for i := range r.Conditional {
		for c := 0; c < NumConditions; c++ {
			sp := &r.Conditional[i]
			var views []*stats.Histogram
			for _, pts := range sp.Series[c] {
				views = append(views, pts...)
			}
			if i == 0 && c == 0 {
				p.series = len(views)
			}
			views = append(views, sp.Outcomes[c]...)
			if i == 0 && c == 0 {
				for _, h := range views {
					p.grids = append(p.grids, h.Grid())
				}
			}
			if len(views) != len(p.grids) {
				return false
			}
			for j, h := range views {
				if h.Grid() != p.grids[j] {
					return false
				}
			}
			p.hists = append(p.hists, views...)
		}
	}
	p.bins = make([]int, len(p.grids))
	p.offs = make([]int, len(p.grids)+1)
	p.at = make([]int, len(p.grids))
	for j := range p.grids {
		p.offs[j] = p.block
		p.block += len(p.hists[j].Counts) // the same in every block: same grids
	}
	p.offs[len(p.grids)] = p.block
	for j, g := range p.grids {
		if n := len(p.spans); n > 0 && p.spans[n-1].g == g && j != p.series {
			p.spans[n-1].to++
		} else {
			p.spans = append(p.spans, gridSpan{from: j, to: j + 1, g: g})
		}
	}
	for k := range p.spans {
		sp := &p.spans[k]
		r.shareBins(sp, p.series)
		series := sp.from < p.series
		switch n := len(p.shared); {
		case !sp.shared:
			p.binned = append(p.binned, *sp)
			continue
		case n > 0 && p.shared[n-1].to == sp.from && p.shared[n-1].series == series && p.shared[n-1].src == sp.src && p.shared[n-1].shift == sp.shift:
			p.shared[n-1].to = sp.to
		default:
			p.shared = append(p.shared, sharedRun{from: sp.from, to: sp.to, src: sp.src, shift: sp.shift, series: series})
		}
	}
	if len(p.binned) == 0 && len(p.shared) > 0 {
		p.derive = true
		states := 1
		if p.series > 0 {
			states = len(r.Conditional[0].Series[0][0])
		}
		for _, sr := range p.shared {
			for j := sr.from; j < sr.to; j++ {
				if sr.series {
					p.mains = append(p.mains, r.Series[j/states][j%states].Hist)
				} else {
					p.mains = append(p.mains, r.Outcomes[j-p.series].Hist)
				}
				p.shifts = append(p.shifts, sr.shift)
			}
		}
	}
	r.cond = &p
	return true
}

// shareBins sets sp.shared, src and shift when the bins Add finds for
// the unconditional histograms of the span's values give the span's by a
// shift: the same grid for outcomes, a grid Coarser by the same shift
// for every series state (views series by series, state by state, as the
// run's series). It needs Add's series grids (planSeries).
func (r *Result) shareBins(sp *gridSpan, series int) {
	if r.grids == nil {
		return
	}
	if sp.from >= series {
		for j := sp.from; j < sp.to; j++ {
			if r.Outcomes[j-series].Hist.Grid() != sp.g {
				return
			}
		}
		sp.shared, sp.src, sp.shift = true, -series, 0
		return
	}
	states := len(r.Conditional[0].Series[0][0])
	shift, ok := uint(0), false
	for j := sp.from; j < sp.to; j++ {
		s := j / states
		if len(r.Series[s]) != states || !r.grids[s].ok {
			return
		}
		sh, okj := r.grids[s].g.Coarser(sp.g)
		if !okj || (ok && sh != shift) {
			return
		}
		shift, ok = sh, true
	}
	sp.shared, sp.src, sp.shift = ok, len(r.Outcomes), shift
}

// addConditional counts one run into the condition each split shock puts
// it in.
func (r *Result) addConditional(out *RunOutput) {
	if len(r.Conditional) == 0 {
		return
	}
	if r.cond == nil && !r.planConditional() {
		r.addConditionalViews(out)
		return
	}
	p := r.cond
	if r.deferCond {
		r.addDeferred(p, out)
		return
	}
	bins := p.bins
	for _, sp := range p.spans {
		if sp.from < p.series {
			sp.g.BinAll(bins[sp.from:sp.to], out.Series[sp.from:sp.to])
		} else {
			sp.g.BinAll(bins[sp.from:sp.to], out.Outcomes[sp.from-p.series:sp.to-p.series])
		}
	}
	for i := range r.Conditional {
		c := conditionOf(out.ShockStep[i], r.early)
		r.Conditional[i].Runs[c]++
		stats.CountBins(p.hists[(i*NumConditions+c)*len(bins):][:len(bins)], bins)
	}
}

// condFlushRuns is the number of runs after which the deferred counters
// are flushed: no 16-bit counter can overflow before (tests lower it to
// exercise the flush).
var condFlushRuns int64 = math.MaxUint16

// deferBlock returns the block of small and pending that counts shock i's
// runs in condition c (FiredEarly or FiredLate).
func deferBlock(i, c int) int { return 1 + 2*i + c }

// addDeferred is addConditional into the 16-bit counters.
func (r *Result) addDeferred(p *condPlan, out *RunOutput) {
	if p.small == nil {
		p.small = make([]uint16, (1+2*len(r.Conditional))*p.block)
		p.pending = make([]int64, 1+2*len(r.Conditional))
	}
	// The run's counter in every view (its offset plus its bin), once
	// for all the shocks: from the bins Add found where they give the
	// views' (shared), else from the values.
	at := p.at
	for _, sr := range p.shared {
		indexShifted(at[sr.from:sr.to], p.offs[sr.from:sr.to], r.bins[sr.from+sr.src:sr.to+sr.src], sr.shift)
	}
	p.indexAll(p.binned, out)
	if !p.derive {
		countAt(p.small[:p.block], at)
	}
	for i := range r.Conditional {
		c := conditionOf(out.ShockStep[i], r.early)
		r.Conditional[i].Runs[c]++
		if c == NotFired {
			continue
		}
		blk := deferBlock(i, c)
		countAt(p.small[blk*p.block:][:p.block], at)
		p.pending[blk]++
	}
	if p.pending[0]++; p.pending[0] == condFlushRuns {
		r.flushDeferred()
	}
}

// indexAll sets the run's counter in every view of spans (at), from its
// value: its offset plus its bin. A span's views have bins of one size,
// laid out one after the other.
func (p *condPlan) indexAll(spans []gridSpan, out *RunOutput) {
	for _, sp := range spans {
		base, stride := p.offs[sp.from], p.offs[sp.from+1]-p.offs[sp.from]
		if sp.from < p.series {
			sp.g.IndexAll(p.at[sp.from:sp.to], out.Series[sp.from:sp.to], base, stride)
		} else {
			sp.g.IndexAll(p.at[sp.from:sp.to], out.Outcomes[sp.from-p.series:sp.to-p.series], base, stride)
		}
	}
}

// indexShifted sets dst[k] = offs[k] + bins[k]>>shift (shift < 64).
func indexShifted(dst, offs, bins []int, shift uint) {
	offs, bins = offs[:len(dst)], bins[:len(dst)]
	for k, b := range bins {
		dst[k] = offs[k] + b>>(shift&63)
	}
}

// countAt adds one to the counters of small at the indices in at.
func countAt(small []uint16, at []int) {
	for _, k := range at {
		small[k]++
	}
}

// flushDeferred adds the deferred counters and runs to the histograms
// and clears them: the FiredEarly and FiredLate blocks to their own, and
// to NotFired's what the block of all runs counted beyond both.
func (r *Result) flushDeferred() {
	p := r.cond
	nv := len(p.grids)
	all := p.small[:p.block]
	for i := range r.Conditional {
		early := p.small[deferBlock(i, FiredEarly)*p.block:][:p.block]
		late := p.small[deferBlock(i, FiredLate)*p.block:][:p.block]
		hists := func(c int) []*stats.Histogram { return p.hists[(i*NumConditions+c)*nv:][:nv] }
		he, hl, hn := hists(FiredEarly), hists(FiredLate), hists(NotFired)
		for j := range nv {
			lo, hi := p.offs[j], p.offs[j+1]
			ce, cl, cn := he[j].Counts, hl[j].Counts, hn[j].Counts
			he[j].N += p.pending[deferBlock(i, FiredEarly)]
			hl[j].N += p.pending[deferBlock(i, FiredLate)]
			if p.derive {
				for b := range hi - lo {
					ce[b] += int64(early[lo+b])
					cl[b] += int64(late[lo+b])
				}
				main, sh := p.mains[j], p.shifts[j]
				clear(cn)
				for b, c := range main.Counts {
					cn[b>>sh] += c
				}
				for b := range cn {
					cn[b] -= ce[b] + cl[b]
				}
				hn[j].N = main.N - he[j].N - hl[j].N
				continue
			}
			for b := range hi - lo {
				e, l := early[lo+b], late[lo+b]
				ce[b] += int64(e)
				cl[b] += int64(l)
				cn[b] += int64(all[lo+b] - e - l)
			}
			hn[j].N += p.pending[0] - p.pending[deferBlock(i, FiredEarly)] - p.pending[deferBlock(i, FiredLate)]
		}
	}
	clear(p.small)
	clear(p.pending)
}

// deferConditional makes Add count the conditional views into 16-bit
// counters (see condPlan) until flushConditional: for the runner, whose
// workers flush before their Results are read. Results of a model whose
// splits differ in their bins count directly all the same.
func (r *Result) deferConditional() { r.deferCond = true }

// flushConditional adds the deferred counts to the conditional
// histograms, making them exact again, and clears the counters.
func (r *Result) flushConditional() {
	if p := r.cond; p != nil && p.small != nil && p.pending[0] > 0 {
		r.flushDeferred()
	}
}

// addConditionalViews is addConditional through the nested views, for
// splits whose histograms differ in their bins.
func (r *Result) addConditionalViews(out *RunOutput) {
	for i := range r.Conditional {
		sp := &r.Conditional[i]
		c := conditionOf(out.ShockStep[i], r.early)
		sp.Runs[c]++
		for s, pts := range sp.Series[c] {
			vals := out.Series[s*len(pts) : (s+1)*len(pts)]
			for k, h := range pts {
				h.Add(vals[k])
			}
		}
		for o, h := range sp.Outcomes[c] {
			h.Add(out.Outcomes[o])
		}
	}
}

// merge adds o's counts.
func (sp *ShockSplit) merge(o *ShockSplit) error {
	for c := 0; c < NumConditions; c++ {
		sp.Runs[c] += o.Runs[c]
		if len(o.Series[c]) != len(sp.Series[c]) || len(o.Outcomes[c]) != len(sp.Outcomes[c]) {
			return fmt.Errorf("sim: merging conditional views of different models")
		}
		for s := range sp.Series[c] {
			if len(o.Series[c][s]) != len(sp.Series[c][s]) {
				return fmt.Errorf("sim: merging results of different horizons")
			}
			for k, h := range sp.Series[c][s] {
				if err := h.Merge(o.Series[c][s][k]); err != nil {
					return err
				}
			}
		}
		for k, h := range sp.Outcomes[c] {
			if err := h.Merge(o.Outcomes[c][k]); err != nil {
				return err
			}
		}
	}
	return nil
}

func (sp *ShockSplit) restore() {
	for c := 0; c < NumConditions; c++ {
		for _, pts := range sp.Series[c] {
			for _, h := range pts {
				h.Restore()
			}
		}
		for _, h := range sp.Outcomes[c] {
			h.Restore()
		}
	}
}

// check compares a split read back from a shard with the shape want has,
// calling add for each problem.
func (sp *ShockSplit) check(want *ShockSplit, name string, fired int64, runs int64, add func(string, ...any)) {
	if sp.Runs[FiredEarly] < 0 || sp.Runs[FiredLate] < 0 || sp.Runs[NotFired] < 0 ||
		sp.Runs[FiredEarly]+sp.Runs[FiredLate] != fired || sp.Runs[NotFired] != runs-fired {
		add("shock %s: conditional runs %v do not match %d firings in %d runs", name, sp.Runs, fired, runs)
		return
	}
	for c := 0; c < NumConditions; c++ {
		if len(sp.Series[c]) != len(want.Series[c]) || len(sp.Outcomes[c]) != len(want.Outcomes[c]) {
			add("shock %s: conditional views of %d series and %d outcomes, want %d and %d", name, len(sp.Series[c]), len(sp.Outcomes[c]), len(want.Series[c]), len(want.Outcomes[c]))
			return
		}
		for s := range sp.Series[c] {
			if len(sp.Series[c][s]) != len(want.Series[c][s]) {
				add("shock %s: conditional series %d has %d months, want %d", name, s, len(sp.Series[c][s]), len(want.Series[c][s]))
				return
			}
			for k, h := range sp.Series[c][s] {
				if h == nil {
					add("shock %s: conditional series %d, month %d: missing", name, s, k)
					return
				}
				if err := h.CheckLike(want.Series[c][s][k]); err != nil {
					add("shock %s: conditional series %d, month %d: %v", name, s, k, err)
					return
				}
				if h.N != sp.Runs[c] {
					add("shock %s: conditional series %d, month %d: %d values in %d runs", name, s, k, h.N, sp.Runs[c])
					return
				}
			}
		}
		for o, h := range sp.Outcomes[c] {
			if h == nil {
				add("shock %s: conditional outcome %d: missing", name, o)
				return
			}
			if err := h.CheckLike(want.Outcomes[c][o]); err != nil {
				add("shock %s: conditional outcome %d: %v", name, o, err)
				return
			}
			if h.N != sp.Runs[c] {
				add("shock %s: conditional outcome %d: %d values in %d runs", name, o, h.N, sp.Runs[c])
				return
			}
		}
	}
}

// conditionalBytes estimates the memory of a Result's conditional views:
// per bin its int64 count and, in a runner's worker, its 16-bit deferred
// counter (condPlan; counted for every Result, on the high side).
func (m *Model) conditionalBytes() int64 {
	const hist, perBin = int64(64), int64(8 + 2)
	ns, nser, nout := int64(min(len(m.shocks), ConditionalShocks)), int64(min(len(m.series), ConditionalSeries)), int64(min(len(m.outcomes), ConditionalOutcomes))
	per := nser * int64(m.steps+1) * (hist + perBin*conditionalBins)
	for o := 0; o < int(nout); o++ {
		per += hist + perBin*int64(len(m.outcomeHistogram(o).Counts))
	}
	return ns * NumConditions * per
}
