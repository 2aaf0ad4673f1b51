// Package output turns Monte Carlo results into the files of an output
// folder — summary.json, runs.csv, timeseries.csv, run.json — and writes
// folders atomically: they appear complete or not at all.
package output

import (
	"encoding/json"
	"fmt"
	"math"
	"strconv"

	"github.com/geosim/geosim/internal/version"
	"github.com/geosim/geosim/sim"
	"github.com/geosim/geosim/sim/stats"
)

// Float is a float64 that encodes NaN and infinities as JSON null and
// other values in their shortest exact form.
type Float float64

// MarshalJSON implements json.Marshaler.
func (f Float) MarshalJSON() ([]byte, error) {
	v := float64(f)
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return []byte("null"), nil
	}
	return strconv.AppendFloat(nil, v, 'g', -1, 64), nil
}

// UnmarshalJSON implements json.Unmarshaler.
func (f *Float) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		*f = Float(math.NaN())
		return nil
	}
	v, err := strconv.ParseFloat(string(b), 64)
	*f = Float(v)
	return err
}

// Summary is the content of summary.json: everything deterministic about
// a set of runs. It is byte-identical for the same scenario, seed and
// runs whatever the number of workers or shards.
type Summary struct {
	Provenance Provenance        `json:"provenance"`
	Scenario   ScenarioInfo      `json:"scenario"`
	Uncertain  []ParamInfo       `json:"uncertain_parameters"`
	Outcomes   []OutcomeSummary  `json:"outcomes"`
	Events     []EventSummary    `json:"events"`
	Shocks     []EventSummary    `json:"shocks"`
	Series     []SeriesSummary   `json:"series"`
	Questions  []QuestionSummary `json:"questions,omitempty"`
	// Conditional holds, for the first shocks, the main series and
	// outcomes split by whether and when the shock fired.
	Conditional []ShockConditional `json:"conditional,omitempty"`
	// Precision is set when the run count was chosen by precision mode.
	Precision *Precision `json:"precision,omitempty"`
}

// QuestionSummary is the forecast of one question: the probability that
// its event has occurred by the resolve-by date.
type QuestionSummary struct {
	ID          string   `json:"id"`
	Text        string   `json:"text"`
	Event       string   `json:"event"`
	AsOf        string   `json:"as_of"`
	ResolveBy   string   `json:"resolve_by"`
	Probability Float    `json:"probability"`
	Wilson95    [2]Float `json:"wilson95"`
	Occurrences int64    `json:"occurrences"`
	Runs        int64    `json:"runs"`
	// AssumptionSpread: how the probability varies across the scenario's
	// uncertain assumptions (see EventSummary).
	AssumptionSpread *Spread `json:"assumption_spread,omitempty"`
}

// Spread is the distribution of an event's probability across the draws
// of the scenario's uncertain parameters: P(event | assumptions). It is
// not Monte Carlo error (which more runs shrink) but what is not known
// about the situation (which more runs do not change). Estimated from
// groups of runs sharing a parameter draw, with their binomial noise
// removed (docs/MODEL.md §7).
type Spread struct {
	P10        Float `json:"p10"`
	P50        Float `json:"p50"`
	P90        Float `json:"p90"`
	SD         Float `json:"sd"`
	Draws      int64 `json:"draws"`      // parameter draws (groups) used
	Replicates int64 `json:"replicates"` // runs per draw
	// Resolved is false when the spread does not stand out from Monte
	// Carlo noise: it is then too small to measure with these runs, not
	// known to be zero (percentiles are the estimate's, for reference).
	Resolved bool `json:"resolved"`
}

// Provenance identifies what produced a result.
type Provenance struct {
	Tool           string `json:"tool"`
	Version        string `json:"version"`
	ScenarioFile   string `json:"scenario_file"`
	ScenarioSHA256 string `json:"scenario_sha256"`
	Seed           uint64 `json:"seed"`
	Runs           int64  `json:"runs"`
	// Replicates is the number of consecutive runs that share a draw of
	// the uncertain parameters (run r uses draw ⌊r / Replicates⌋).
	Replicates int `json:"replicates,omitempty"`
	// PosteriorFile and PosteriorSHA256 name the calibration posterior
	// the scenario draws parameters from jointly, if any.
	PosteriorFile   string `json:"posterior_file,omitempty"`
	PosteriorSHA256 string `json:"posterior_sha256,omitempty"`
}

// NewProvenance fills in the tool and version.
func NewProvenance(file, hash string, seed uint64, runs int64) Provenance {
	return Provenance{Tool: "geosim", Version: version.Version, ScenarioFile: file, ScenarioSHA256: hash, Seed: seed, Runs: runs}
}

// ScenarioInfo describes the scenario for reports.
type ScenarioInfo struct {
	Name        string       `json:"name"`
	Title       string       `json:"title"`
	Description string       `json:"description"`
	Start       string       `json:"start"`
	End         string       `json:"end"`
	Steps       int          `json:"steps"`
	Actors      []ActorInfo  `json:"actors"`
	Signals     []SignalInfo `json:"signals"`
	// Calendar lists the occasions that apply inside the horizon (dated
	// opportunities such as co-located leaders, recurring seasons).
	Calendar []OccasionInfo `json:"calendar,omitempty"`
}

// OccasionInfo is a calendar occasion inside the horizon, for charts and
// the report.
type OccasionInfo struct {
	Name        string   `json:"name"`
	Description string   `json:"description"`
	Action      string   `json:"action"`
	Actors      []string `json:"actors"`
	First       int      `json:"first_month"` // first month it applies in, counted from 0 at the start
	Last        int      `json:"last_month"`
	Months      []int    `json:"months,omitempty"` // months of the year, when it recurs
}

// ActorInfo names an actor.
type ActorInfo struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

// SignalInfo is a dated signal inside the horizon, for marking charts.
type SignalInfo struct {
	Name        string `json:"name"`
	Description string `json:"description"`
	Month       int    `json:"month"` // the month it happens in, counted from 0 at the start
	Date        string `json:"date"`
}

// ParamInfo describes an uncertain parameter.
type ParamInfo struct {
	Path string `json:"path"`
	// Label names the parameter for readers ("North Korea's trade share
	// with China"); LabelUnit is the unit charts show it in and
	// LabelScale converts a value to it (100 for shares shown in %).
	Label        string `json:"label,omitempty"`
	LabelUnit    string `json:"label_unit,omitempty"`
	LabelScale   Float  `json:"label_scale,omitempty"`
	Distribution string `json:"distribution"`
	Mean         Float  `json:"mean"`
	SD           Float  `json:"sd"`
	Unit         string `json:"unit"`
}

// NewParamInfo describes the parameter at path of m for reports, without
// its distribution.
func NewParamInfo(m *sim.Model, path string) ParamInfo {
	l := m.ParamLabel(path)
	info := ParamInfo{Path: path, Label: l.Text, LabelUnit: l.Unit, LabelScale: Float(l.Scale)}
	if i, ok := m.ParamIndex(path); ok {
		info.Unit = m.Params()[i].Field.Unit
	}
	return info
}

// OutcomeSummary is the distribution of one scalar outcome over runs.
type OutcomeSummary struct {
	Name        string    `json:"name"`
	Description string    `json:"description"`
	Kind        string    `json:"kind"`
	Actors      []string  `json:"actors"`
	Unit        string    `json:"unit"`
	Mean        Float     `json:"mean"`
	SD          Float     `json:"sd"`
	SE          Float     `json:"se"`
	CI95        [2]Float  `json:"mean_ci95"`
	Quantiles   Quantiles `json:"quantiles"`
	Min         Float     `json:"min"`
	Max         Float     `json:"max"`
	Histogram   Histogram `json:"histogram"`
}

// Quantiles are the 5, 25, 50, 75 and 95% quantiles.
type Quantiles struct {
	P5  Float `json:"p5"`
	P25 Float `json:"p25"`
	P50 Float `json:"p50"`
	P75 Float `json:"p75"`
	P95 Float `json:"p95"`
}

// Histogram is a compact histogram: bin i covers [Edges[i], Edges[i]+Width).
type Histogram struct {
	Edges  []Float `json:"edges"`
	Width  Float   `json:"width"`
	Counts []int64 `json:"counts"`
}

// EventSummary is the probability of an event (or shock) and the
// distribution of the month of its first occurrence.
type EventSummary struct {
	Name        string `json:"name"`
	Description string `json:"description"`
	// Label is a shock's short name for chart markers.
	Label       string `json:"label,omitempty"`
	From        string `json:"from"` // first month counted
	By          string `json:"by"`   // last month counted
	Probability Float  `json:"probability"`
	// SE and Wilson95 are Monte Carlo error: how precisely the runs
	// estimate the probability. With replicates, SE comes from the spread
	// of the draws' group means and Wilson95 uses the effective number of
	// runs it implies.
	SE          Float    `json:"se"`
	Wilson95    [2]Float `json:"wilson95"`
	Occurrences int64    `json:"occurrences"`
	Runs        int64    `json:"runs"`
	// AssumptionSpread is the 10th-90th percentile range (and median) of
	// the probability across the scenario's uncertain assumptions; absent
	// for shocks and when runs do not share parameter draws.
	AssumptionSpread *Spread `json:"assumption_spread,omitempty"`
	// FirstMonth: quantiles of the month of first occurrence (1 = the
	// first simulated month) among runs where it occurred.
	FirstMonth *Quantiles `json:"first_month,omitempty"`
	// Cumulative holds, for each month of the horizon, the probability
	// that it has occurred by the month's last day.
	Cumulative []CumulativePoint `json:"cumulative"`
}

// CumulativePoint is the probability that an event has occurred by the
// end of a month (Month counts from 1, the first simulated month; By is
// that month's last day).
type CumulativePoint struct {
	Month       int    `json:"month"`
	By          string `json:"by"`
	Probability Float  `json:"probability"`
}

// SeriesSummary is a time series' distribution per month.
type SeriesSummary struct {
	Name        string        `json:"name"`
	Description string        `json:"description"`
	Unit        string        `json:"unit"`
	Actors      [2]string     `json:"actors"`
	Points      []SeriesPoint `json:"points"`
}

// SeriesPoint is a series' distribution at one state (Month months after
// the start).
type SeriesPoint struct {
	Month int    `json:"month"`
	Date  string `json:"date"`
	Mean  Float  `json:"mean"`
	SE    Float  `json:"se"`
	Quantiles
}

// summaryBins is the largest number of bins a histogram keeps in
// summary.json.
const summaryBins = 40

func quantiles(h *stats.Histogram) Quantiles {
	return Quantiles{Float(h.Quantile(0.05)), Float(h.Quantile(0.25)), Float(h.Quantile(0.5)), Float(h.Quantile(0.75)), Float(h.Quantile(0.95))}
}

// quantilesIn returns the quantiles of values whose observed range is
// mo's [Min, Max]: they never fall outside it.
func quantilesIn(h *stats.Histogram, mo *stats.Moments) Quantiles {
	q := func(p float64) Float { return Float(h.QuantileIn(p, mo.Min, mo.Max)) }
	return Quantiles{q(0.05), q(0.25), q(0.5), q(0.75), q(0.95)}
}

func floats(xs []float64) []Float {
	out := make([]Float, len(xs))
	for i, x := range xs {
		out[i] = Float(x)
	}
	return out
}

// Summarize builds the summary of a result.
func Summarize(m *sim.Model, r *sim.Result, prov Provenance) *Summary {
	sc := m.Scenario()
	prov.Replicates = m.Replicates()
	prov.PosteriorFile, prov.PosteriorSHA256 = m.PosteriorInfo()
	s := &Summary{Provenance: prov, Scenario: ScenarioInfo{
		Name: sc.Name, Title: sc.Title, Description: sc.Description,
		Start: m.Start().Date(), End: (m.Start() + sim.Month(m.Steps())).Date(), Steps: m.Steps(),
	}}
	names := m.ActorNames()
	for i, id := range m.Actors() {
		s.Scenario.Actors = append(s.Scenario.Actors, ActorInfo{ID: id, Name: names[i]})
	}
	for _, o := range m.Occasions() {
		s.Scenario.Calendar = append(s.Scenario.Calendar, OccasionInfo{Name: o.Name, Description: o.Description, Action: o.Action,
			Actors: o.Actors, First: o.First, Last: o.Last, Months: o.Months})
	}
	for _, mk := range m.SignalMarks() {
		s.Scenario.Signals = append(s.Scenario.Signals, SignalInfo{Name: mk.Name, Description: mk.Description,
			Month: int(mk.Month - m.Start()), Date: mk.Date.Format("2006-01-02")})
	}
	params := m.Params()
	for _, i := range m.Uncertain() {
		p := params[i]
		info := NewParamInfo(m, p.Path)
		info.Distribution, info.Mean, info.SD = p.Dist.String(), Float(p.Dist.Mean()), Float(math.Sqrt(p.Dist.Variance()))
		s.Uncertain = append(s.Uncertain, info)
	}
	for k, info := range m.Outcomes() {
		st := r.Outcomes[k]
		mo := &st.Moments
		se := st.MeanSE()
		lo, hi := mo.Mean()-stats.Z95*se, mo.Mean()+stats.Z95*se
		o := OutcomeSummary{Name: info.Name, Description: info.Description, Kind: info.Kind, Unit: info.Unit,
			Actors: nonEmpty(info.Actors[:]),
			Mean:   Float(mo.Mean()), SD: Float(mo.SD()), SE: Float(se), CI95: [2]Float{Float(lo), Float(hi)},
			Quantiles: quantilesIn(st.Hist, mo), Min: Float(mo.Min), Max: Float(mo.Max)}
		edges, counts, width := st.Hist.Rebin(summaryBins)
		if info.Integer {
			edges, counts, width = trimInteger(st.Hist)
		}
		o.Histogram = Histogram{Edges: floats(edges), Width: Float(width), Counts: counts}
		s.Outcomes = append(s.Outcomes, o)
	}
	for k, info := range m.Events() {
		e := eventSummary(info.Name, info.Description, info.From.Date(), lastDay(info.By), r.Events[k], m.Steps(), m.Start())
		g := r.Events[k].Grouped
		if se := g.SE(); g.Size > 1 && !math.IsNaN(se) {
			e.SE = Float(se)
		}
		lo, hi := g.Interval95(r.Events[k].Occurred)
		e.Wilson95 = [2]Float{Float(lo), Float(hi)}
		e.AssumptionSpread = spread(g)
		s.Events = append(s.Events, e)
	}
	for k, sh := range m.Shocks() {
		e := eventSummary(sh.Name, sh.Description, m.Start().Date(), lastDay(m.Start()+sim.Month(m.Steps()-1)), r.Shocks[k], m.Steps(), m.Start())
		e.Label = m.ShockLabel(sh.Name)
		s.Shocks = append(s.Shocks, e)
	}
	for k, q := range m.Questions() {
		p, g := questionEstimate(m, r, k)
		lo, hi := g.Interval95(p)
		s.Questions = append(s.Questions, QuestionSummary{ID: q.ID, Text: q.Text, Event: q.Event, AsOf: q.AsOf, ResolveBy: q.ResolveBy,
			Probability: Float(p.P()), Wilson95: [2]Float{Float(lo), Float(hi)}, Occurrences: p.Successes, Runs: p.Trials,
			AssumptionSpread: spread(g)})
	}
	descs := m.Series()
	for k, info := range descs {
		ss := SeriesSummary{Name: info.Name, Description: info.Description, Unit: info.Unit, Actors: info.Actors}
		for month, pt := range r.Series[k] {
			ss.Points = append(ss.Points, SeriesPoint{Month: month, Date: (m.Start() + sim.Month(month)).Date(),
				Mean: Float(pt.Moments.Mean()), SE: Float(pt.Moments.SE()), Quantiles: quantilesIn(pt.Hist, &pt.Moments)})
		}
		s.Series = append(s.Series, ss)
	}
	s.Conditional = conditionals(m, r)
	return s
}

// trimInteger returns an integer histogram's bins up to the largest
// observed value (at least one bin).
func trimInteger(h *stats.Histogram) (edges []float64, counts []int64, width float64) {
	last := 0
	for i, c := range h.Counts {
		if c > 0 {
			last = i
		}
	}
	for i := 0; i <= last; i++ {
		edges = append(edges, h.Edge(i))
	}
	return edges, append([]int64(nil), h.Counts[:last+1]...), 1
}

// questionEstimate returns question k's count of runs where its event
// occurred by the question's resolution month, and the replicate groups
// its Monte Carlo interval and assumption spread come from (empty when
// r has none for it).
func questionEstimate(m *sim.Model, r *sim.Result, k int) (stats.Proportion, stats.Grouped) {
	ev, step := m.QuestionEvent(k)
	st := r.Events[ev]
	var n int64
	for i := 0; i <= step; i++ {
		n += st.Step.Counts[i]
	}
	var g stats.Grouped
	if k < len(r.Questions) {
		g = r.Questions[k]
	}
	return stats.Proportion{Successes: n, Trials: st.Occurred.Trials}, g
}

// lastDay returns the date of a month's last day.
func lastDay(m sim.Month) string { return (m + 1).Time().AddDate(0, 0, -1).Format("2006-01-02") }

func eventSummary(name, desc, from, by string, st sim.EventStats, steps int, start sim.Month) EventSummary {
	p := st.Occurred
	lo, hi := p.Wilson95()
	e := EventSummary{Name: name, Description: desc, From: from, By: by,
		Probability: Float(p.P()), SE: Float(p.SE()), Wilson95: [2]Float{Float(lo), Float(hi)},
		Occurrences: p.Successes, Runs: p.Trials}
	if st.Step.N > 0 {
		q := quantiles(st.Step)
		for _, f := range []*Float{&q.P5, &q.P25, &q.P50, &q.P75, &q.P95} {
			*f++ // months count from 1
		}
		e.FirstMonth = &q
	}
	var cum int64
	for k := 0; k < steps; k++ {
		cum += st.Step.Counts[k]
		e.Cumulative = append(e.Cumulative, CumulativePoint{Month: k + 1, By: lastDay(start + sim.Month(k)), Probability: Float(float64(cum) / float64(p.Trials))})
	}
	return e
}

// spread summarises the spread across parameter draws, or nil when the
// runs do not allow it (groups of one run, fewer than two groups).
func spread(g stats.Grouped) *Spread {
	sp, ok := g.Spread()
	if !ok {
		return nil
	}
	return &Spread{P10: Float(sp.P10), P50: Float(sp.P50), P90: Float(sp.P90), SD: Float(sp.SD), Draws: g.Groups, Replicates: g.Size, Resolved: sp.Resolved}
}

func nonEmpty(xs []string) []string {
	var out []string
	for _, x := range xs {
		if x != "" {
			out = append(out, x)
		}
	}
	return out
}

// ReadSummary reads a summary.json written by geosim and validates it
// (see Summary.Validate): a file of at most MaxSummaryBytes that decodes
// completely and passes every check, or an error naming the file and
// each problem.
func ReadSummary(path string) (*Summary, error) {
	b, err := readLimited(path, MaxSummaryBytes)
	if err != nil {
		return nil, err
	}
	return ParseSummary(path, b)
}

// ParseSummary decodes and validates the bytes of a summary.json; path
// names it in errors.
func ParseSummary(path string, b []byte) (*Summary, error) {
	var s Summary
	if err := json.Unmarshal(b, &s); err != nil {
		return nil, fmt.Errorf("%s: not a geosim summary: %w", path, err)
	}
	if s.Provenance.Tool != "geosim" {
		return nil, fmt.Errorf("%s: not a geosim summary (no provenance)", path)
	}
	if err := s.Validate(); err != nil {
		return nil, fmt.Errorf("%s: invalid summary:\n%w", path, err)
	}
	return &s, nil
}
