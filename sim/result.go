package sim

import (
	"fmt"

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

	size    uint64    // runs per parameter draw (replicates)
	qEvent  []int     // per question: its event
	qStep   []int     // per question: last step counted
	open    []int64   // successes so far in the current group: events, then questions
	openSum []float64 // outcome sums so far in the current group
}

// ResultVersion is the version of Result's JSON encoding.
const ResultVersion = 3 // 2: Moments.SumSq holds Σq² exactly (stats.SquareSum); 3: replicate groups

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

// SeriesPoint summarises a series at one state.
type SeriesPoint struct {
	Moments stats.Moments    `json:"moments"`
	Hist    *stats.Histogram `json:"hist"`
}

// NewResult returns an empty Result shaped for m.
func NewResult(m *Model) *Result {
	r := &Result{Version: ResultVersion}
	for _, o := range m.outcomes {
		var h *stats.Histogram
		var err error
		if o.info.Integer {
			h, err = stats.NewIntegerHistogram(int(o.info.Min), int(o.info.Max))
		} else {
			h, err = stats.NewHistogram(o.info.Min, o.info.Max, outcomeBins)
		}
		if err != nil {
			panic(err) // ranges come from Compile
		}
		r.Outcomes = append(r.Outcomes, OutcomeStats{Hist: h})
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
		if sr.kind == 'd' {
			lo, hi = 0, maxTradeFactor
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
	return r
}

// Add accumulates one run's output. It allocates nothing.
func (r *Result) Add(out *RunOutput) {
	r.Runs++
	for k, v := range out.Outcomes {
		r.Outcomes[k].Moments.Add(v)
		r.Outcomes[k].Hist.Add(v)
	}
	addSteps(r.Events, out.EventStep)
	addSteps(r.Shocks, out.ShockStep)
	r.addGroups(out)
	for s, pts := range r.Series {
		vals := out.Series[s*len(pts) : (s+1)*len(pts)]
		for k, v := range vals {
			pts[k].Moments.Add(v)
			pts[k].Hist.Add(v)
		}
	}
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
}
