package sim

import (
	"fmt"
	"strings"

	"github.com/geosim/geosim/sim/stats"
)

// Histogram resolutions. Quantiles of continuous outcomes are accurate to
// a bin: 0.01 Goldstein points for outcomes, 0.05 for time series.
const (
	outcomeBins = 2000
	seriesBins  = 400
)

// Result accumulates the runs of a model: per outcome its moments and
// histogram, per event and shock its frequency and the month of first
// occurrence, per series and month its moments and histogram. Its memory
// is fixed by the model, not by the number of runs, and Merge is exact,
// so a Result does not depend on how runs were split among workers or
// shards. It is encoded as JSON in shard files (ResultVersion).
type Result struct {
	Version  int             `json:"version"`
	Runs     int64           `json:"runs"`
	Outcomes []OutcomeStats  `json:"outcomes"`
	Events   []EventStats    `json:"events"`
	Shocks   []EventStats    `json:"shocks"`
	Series   [][]SeriesPoint `json:"series"` // [series][state 0..Steps]
	// Questions[q] groups question q's outcome (its event by the
	// resolve-by month) by parameter draw.
	Questions []stats.Grouped `json:"questions"`
	// Conditional[i] splits the runs by when shock i fired (the first
	// ConditionalShocks shocks; see ShockSplit).
	Conditional []ShockSplit `json:"conditional"`

	early   int       // last step (from 0) plus one of the "fired early" condition
	size    uint64    // runs per parameter draw (replicates)
	qEvent  []int     // per question: its event
	qStep   []int     // per question: last step counted
	open    []int64   // successes so far in the current group: events, then questions
	openSum []float64 // outcome sums so far in the current group
	cond    *condPlan // Conditional laid out for Add (nil until the first Add)
	// deferCond: Add counts the conditional views into cond's 16-bit
	// counters until flushConditional (deferConditional).
	deferCond bool
	grids     []seriesGrid
	// bins holds the current run's bins (Add): the outcomes', then the
	// series' state by state, series by series (len(r.Series[s]) each).
	// They give the conditional views' by a shift (Grid.Coarser).
	bins []int
}

// seriesGrid is the bin rule a series' histograms share (ok: all of its
// states have it), set by the first Add.
type seriesGrid struct {
	g  stats.Grid
	ok bool
}

// ResultVersion is the version of Result's JSON encoding.
const ResultVersion = 4 // 2: Moments.SumSq holds Σq² exactly (stats.SquareSum); 3: replicate groups; 4: conditional views

// OutcomeStats summarises one scalar outcome.
type OutcomeStats struct {
	Moments stats.Moments    `json:"moments"`
	Hist    *stats.Histogram `json:"hist"`
	// Groups are the moments of the outcome's mean over each complete
	// group of replicates: with runs sharing parameter draws, the
	// Monte Carlo error of the mean comes from their spread.
	Groups stats.Moments `json:"groups"`
}

// MeanSE returns the Monte Carlo standard error of the outcome's mean:
// from the spread of the group means when runs come in groups of
// replicates (so that runs sharing a parameter draw count for what they
// are worth), sd/√N otherwise.
func (o *OutcomeStats) MeanSE() float64 {
	if o.Groups.N >= 2 && o.Groups.N < o.Moments.N {
		return o.Groups.SE()
	}
	return o.Moments.SE()
}

// EventStats summarises one event or shock: how often it occurred and the
// month (0-based step) of its first occurrence.
type EventStats struct {
	Occurred stats.Proportion `json:"occurred"`
	Step     *stats.Histogram `json:"step"`
	// Grouped counts occurrences by parameter draw (events only): the
	// Monte Carlo error with replicates and the spread across draws.
	Grouped stats.Grouped `json:"grouped"`
}

// SeriesPoint summarises a series at one state: its moments and
// histogram.
type SeriesPoint = stats.Point

// NewResult returns an empty Result shaped for m.
func NewResult(m *Model) *Result {
	r := &Result{Version: ResultVersion}
	for o := range m.outcomes {
		r.Outcomes = append(r.Outcomes, OutcomeStats{Hist: m.outcomeHistogram(o)})
	}
	stepHist := func() *stats.Histogram {
		h, err := stats.NewIntegerHistogram(0, m.steps-1)
		if err != nil {
			panic(err)
		}
		return h
	}
	for range m.events {
		r.Events = append(r.Events, EventStats{Step: stepHist(), Grouped: stats.Grouped{Size: int64(m.replicates)}})
	}
	for _, q := range m.questions {
		r.Questions = append(r.Questions, stats.Grouped{Size: int64(m.replicates)})
		r.qEvent = append(r.qEvent, q.event)
		r.qStep = append(r.qStep, q.step)
	}
	r.size = uint64(m.replicates)
	r.open = make([]int64, len(m.events)+len(m.questions))
	r.openSum = make([]float64, len(m.outcomes))
	for range m.shocks {
		r.Shocks = append(r.Shocks, EventStats{Step: stepHist()})
	}
	for _, sr := range m.series {
		lo, hi := -goldsteinMax, goldsteinMax
		switch sr.kind {
		case 'd':
			lo, hi = 0, maxTradeFactor
		case 'a', 'j':
			lo, hi = 0, 1
		}
		pts := make([]SeriesPoint, m.steps+1)
		for k := range pts {
			h, err := stats.NewHistogram(lo, hi, seriesBins)
			if err != nil {
				panic(err)
			}
			pts[k].Hist = h
		}
		r.Series = append(r.Series, pts)
	}
	r.Conditional = newShockSplits(m)
	r.early = m.EarlyMonths()
	return r
}

// outcomeHistogram returns an empty histogram for outcome o: one bin per
// whole number for counts, outcomeBins bins over its range otherwise.
func (m *Model) outcomeHistogram(o int) *stats.Histogram {
	info := m.outcomes[o].info
	if info.Integer {
		return mustHistogram(stats.NewIntegerHistogram(int(info.Min), int(info.Max)))
	}
	return mustHistogram(stats.NewHistogram(info.Min, info.Max, outcomeBins))
}

// Add accumulates one run's output. It allocates nothing.
func (r *Result) Add(out *RunOutput) {
	r.Runs++
	if r.bins == nil {
		r.planSeries()
	}
	bins := r.bins
	for k, v := range out.Outcomes {
		o := &r.Outcomes[k]
		b := o.Hist.Bin(v)
		bins[k] = b
		o.Moments.AddBinned(o.Hist, b, v)
	}
	addSteps(r.Events, out.EventStep)
	addSteps(r.Shocks, out.ShockStep)
	r.addGroups(out)
	bins = bins[len(out.Outcomes):]
	for s, pts := range r.Series {
		vals := out.Series[s*len(pts) : (s+1)*len(pts)][:len(pts)]
		sb := bins[s*len(pts):][:len(pts)]
		if sg := r.grids[s]; sg.ok {
			stats.AddPoints(pts, sg.g, vals, sb)
			continue
		}
		for k, v := range vals {
			b := pts[k].Hist.Bin(v)
			sb[k] = b
			pts[k].Moments.AddBinned(pts[k].Hist, b, v)
		}
	}
	r.addConditional(out)
}

// planSeries finds the bin rule each series' histograms share, so that
// Add bins with it inline, and makes room for a run's bins.
func (r *Result) planSeries() {
	r.grids = make([]seriesGrid, len(r.Series))
	n := len(r.Outcomes)
	for s, pts := range r.Series {
		n += len(pts)
		if len(pts) == 0 {
			continue
		}
		sg := seriesGrid{g: pts[0].Hist.Grid(), ok: true}
		for _, pt := range pts {
			sg.ok = sg.ok && pt.Hist.Grid() == sg.g
		}
		r.grids[s] = sg
	}
	r.bins = make([]int, n)
}

// addGroups counts the run's events and question outcomes into the
// current group of replicates and closes the group at its last run.
// Runs arrive in index order within a group (the runner's chunks hold
// whole groups), and a group cut short by the end of the runs is left
// out of the grouped counts.
func (r *Result) addGroups(out *RunOutput) {
	if r.size < 2 {
		return
	}
	pos := out.Run % r.size
	if pos == 0 {
		clear(r.open)
		clear(r.openSum)
	}
	for k, v := range out.Outcomes {
		r.openSum[k] += v
	}
	ne := len(r.Events)
	for k, step := range out.EventStep {
		if step >= 0 {
			r.open[k]++
		}
	}
	for q, e := range r.qEvent {
		if step := out.EventStep[e]; step >= 0 && int(step) <= r.qStep[q] {
			r.open[ne+q]++
		}
	}
	if pos == r.size-1 {
		for k := range r.Outcomes {
			r.Outcomes[k].Groups.Add(r.openSum[k] / float64(r.size))
		}
		for k := range r.Events {
			r.Events[k].Grouped.AddGroup(r.open[k])
		}
		for q := range r.Questions {
			r.Questions[q].AddGroup(r.open[ne+q])
		}
	}
}

func addSteps(st []EventStats, steps []int32) {
	for k, step := range steps {
		st[k].Occurred.Add(step >= 0)
		if step >= 0 {
			st[k].Step.Add(float64(step))
		}
	}
}

// Merge adds the runs of o, which must come from the same model. The
// result is the same whatever the order of merges.
func (r *Result) Merge(o *Result) error {
	if len(o.Outcomes) != len(r.Outcomes) || len(o.Events) != len(r.Events) ||
		len(o.Shocks) != len(r.Shocks) || len(o.Series) != len(r.Series) {
		return fmt.Errorf("sim: merging results of different models")
	}
	r.Runs += o.Runs
	for k := range r.Outcomes {
		r.Outcomes[k].Moments.Merge(&o.Outcomes[k].Moments)
		r.Outcomes[k].Groups.Merge(&o.Outcomes[k].Groups)
		if err := r.Outcomes[k].Hist.Merge(o.Outcomes[k].Hist); err != nil {
			return err
		}
	}
	if len(o.Questions) != len(r.Questions) {
		return fmt.Errorf("sim: merging results of different models")
	}
	for k := range r.Events {
		if r.Events[k].Grouped.Size != o.Events[k].Grouped.Size {
			return fmt.Errorf("sim: merging results with %d and %d replicates", r.Events[k].Grouped.Size, o.Events[k].Grouped.Size)
		}
		r.Events[k].Grouped.Merge(o.Events[k].Grouped)
	}
	for q := range r.Questions {
		r.Questions[q].Merge(o.Questions[q])
	}
	for _, pair := range [][2][]EventStats{{r.Events, o.Events}, {r.Shocks, o.Shocks}} {
		for k := range pair[0] {
			pair[0][k].Occurred.Merge(pair[1][k].Occurred)
			if err := pair[0][k].Step.Merge(pair[1][k].Step); err != nil {
				return err
			}
		}
	}
	if len(o.Conditional) != len(r.Conditional) {
		return fmt.Errorf("sim: merging results of different models")
	}
	for i := range r.Conditional {
		if err := r.Conditional[i].merge(&o.Conditional[i]); err != nil {
			return err
		}
	}
	for s := range r.Series {
		if len(o.Series[s]) != len(r.Series[s]) {
			return fmt.Errorf("sim: merging results of different horizons")
		}
		for k := range r.Series[s] {
			r.Series[s][k].Moments.Merge(&o.Series[s][k].Moments)
			if err := r.Series[s][k].Hist.Merge(o.Series[s][k].Hist); err != nil {
				return err
			}
		}
	}
	return nil
}

// Restore prepares a Result decoded from JSON for merging.
func (r *Result) Restore() {
	for k := range r.Outcomes {
		r.Outcomes[k].Hist.Restore()
	}
	for _, st := range [][]EventStats{r.Events, r.Shocks} {
		for k := range st {
			st[k].Step.Restore()
		}
	}
	for s := range r.Series {
		for k := range r.Series[s] {
			r.Series[s][k].Hist.Restore()
		}
	}
	for i := range r.Conditional {
		r.Conditional[i].restore()
	}
}

// Check verifies a Result read back from a file (a shard) against the
// model it claims to come from, and prepares it for Merge: the same
// outcomes, events, shocks and series with the same histogram bins;
// every histogram present, with non-negative counts summing to the runs
// (for first months, to the number of occurrences); successes at most
// the runs; moments finite and consistent. It reports every problem, at
// most ten.
func (r *Result) Check(m *Model) error {
	var probs []string
	add := func(format string, args ...any) {
		if len(probs) < 10 {
			probs = append(probs, fmt.Sprintf(format, args...))
		}
	}
	if r.Version != ResultVersion {
		return fmt.Errorf("result format version %d; this geosim reads version %d", r.Version, ResultVersion)
	}
	want := NewResult(m)
	if len(r.Outcomes) != len(want.Outcomes) || len(r.Events) != len(want.Events) || len(r.Shocks) != len(want.Shocks) || len(r.Series) != len(want.Series) {
		return fmt.Errorf("result has %d outcomes, %d events, %d shocks and %d series; the scenario has %d, %d, %d and %d",
			len(r.Outcomes), len(r.Events), len(r.Shocks), len(r.Series), len(want.Outcomes), len(want.Events), len(want.Shocks), len(want.Series))
	}
	if r.Runs < 0 {
		add("%d runs", r.Runs)
	}
	for k, o := range r.Outcomes {
		name := m.outcomes[k].info.Name
		if err := o.Hist.CheckLike(want.Outcomes[k].Hist); err != nil {
			add("outcome %s: %v", name, err)
		} else if o.Hist.N != r.Runs {
			add("outcome %s: histogram of %d values in %d runs", name, o.Hist.N, r.Runs)
		}
		if err := o.Moments.Check(); err != nil {
			add("outcome %s: %v", name, err)
		} else if o.Moments.N != r.Runs {
			add("outcome %s: moments of %d values in %d runs", name, o.Moments.N, r.Runs)
		}
	}
	checkEvents := func(what string, got, want []EventStats, name func(int) string) {
		for k, e := range got {
			if err := e.Occurred.Check(); err != nil {
				add("%s %s: %v", what, name(k), err)
			} else if e.Occurred.Trials != r.Runs {
				add("%s %s: %d trials in %d runs", what, name(k), e.Occurred.Trials, r.Runs)
			}
			if err := e.Step.CheckLike(want[k].Step); err != nil {
				add("%s %s: first month: %v", what, name(k), err)
			} else if e.Step.N != e.Occurred.Successes {
				add("%s %s: %d first months for %d occurrences", what, name(k), e.Step.N, e.Occurred.Successes)
			}
		}
	}
	checkEvents("event", r.Events, want.Events, func(k int) string { return m.events[k].info.Name })
	checkEvents("shock", r.Shocks, want.Shocks, func(k int) string { return m.shocks[k].name })
	for s, pts := range r.Series {
		name := m.series[s].info.Name
		if len(pts) != len(want.Series[s]) {
			add("series %s: %d months, want %d", name, len(pts), len(want.Series[s]))
			continue
		}
		for k, pt := range pts {
			if err := pt.Hist.CheckLike(want.Series[s][k].Hist); err != nil {
				add("series %s, month %d: %v", name, k, err)
			} else if pt.Hist.N != r.Runs {
				add("series %s, month %d: histogram of %d values in %d runs", name, k, pt.Hist.N, r.Runs)
			}
			if err := pt.Moments.Check(); err != nil {
				add("series %s, month %d: %v", name, k, err)
			} else if pt.Moments.N != r.Runs {
				add("series %s, month %d: moments of %d values in %d runs", name, k, pt.Moments.N, r.Runs)
			}
		}
	}
	if len(r.Conditional) != len(want.Conditional) {
		add("conditional views of %d shocks, want %d", len(r.Conditional), len(want.Conditional))
	} else {
		for i := range r.Conditional {
			r.Conditional[i].check(&want.Conditional[i], m.shocks[i].name, r.Shocks[i].Occurred.Successes, r.Runs, add)
		}
	}
	if len(probs) > 0 {
		return fmt.Errorf("%s", strings.Join(probs, "; "))
	}
	return nil
}
