package calibration

import (
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/geosim/geosim/backtest"
	"github.com/geosim/geosim/sim/abc"
)

// Summary is a calibration's summary.json: what was fitted to what, the
// priors and posteriors, the sampler's generations, and the predictive
// checks. It holds only deterministic values: the same calibration gives
// the same bytes.
type Summary struct {
	Provenance  any    `json:"provenance"`
	Name        string `json:"name"`
	Title       string `json:"title"`
	Description string `json:"description"`

	FitFrom            string `json:"fit_from"`
	FitTo              string `json:"fit_to"`
	HoldoutFrom        string `json:"holdout_from,omitempty"`
	HoldoutTo          string `json:"holdout_to,omitempty"`
	BlockMonths        int    `json:"block_months"`
	HoldoutBlockMonths int    `json:"holdout_block_months,omitempty"`
	BurnIn             int    `json:"burn_in_months"`
	Histories          int    `json:"histories_per_parameter_vector"`
	// MonthsPerHistory is the months each fitting history simulates,
	// burn-in included: with Simulations, the calibration's cost.
	MonthsPerHistory int `json:"months_per_history"`

	Events     []EventSummary   `json:"events"`
	Context    []ContextSummary `json:"dated_context"`
	Parameters []ParamSummary   `json:"parameters"`
	// Distance says how statistics enter the distance.
	Distance string `json:"distance"`
	// Regression describes the regression summaries (nil when the
	// statistics enter the distance themselves).
	Regression *RegressionSummary `json:"regression,omitempty"`
	ABC        *abc.Summary       `json:"abc"`
	Fit        *CheckSummary      `json:"fit"`
	Holdout    *CheckSummary      `json:"holdout,omitempty"`
	// Simulations counts every simulated history: the sampler's and the
	// predictive checks'.
	Simulations int64    `json:"simulated_histories"`
	Warnings    []string `json:"warnings"`
}

// EventSummary is a model event the statistics count, and the record
// rows that show it.
type EventSummary struct {
	Action string `json:"action"`
	Actor  string `json:"actor"`
	Target string `json:"target,omitempty"`
	Joint  bool   `json:"joint"`
	// Record lists the record types the mapping replays as this action.
	Record []string `json:"record_types"`
}

// ContextSummary is a dated override and how it enters the histories.
type ContextSummary struct {
	Name        string   `json:"name"`
	Date        string   `json:"date"`
	From        string   `json:"in_force_from"`
	AtStart     bool     `json:"before_window"`
	Set         []string `json:"sets"`
	Description string   `json:"description,omitempty"`
	Source      string   `json:"source"`
}

// ParamSummary compares a fitted parameter's prior and posterior.
type ParamSummary struct {
	abc.ParamSummary
	// Label names the parameter for readers ("China's visit incentive
	// toward North Korea"): the template scenario's label, or one built
	// from the path (sim.Model.ParamLabel); Unit is the unit of its
	// values ("" for a probability or an index, which the label names).
	// Summaries written before labels were recorded have neither:
	// reports then show the path.
	Label  string `json:"label,omitempty"`
	Unit   string `json:"unit,omitempty"`
	Source string `json:"source,omitempty"`
	// Contraction is 1 − posterior sd / prior sd: 0 when the record says
	// nothing about the parameter, near 1 when it pins it down.
	Contraction float64 `json:"contraction"`
}

// Display returns the parameter's label for readers, or its path when
// it has none.
func (p ParamSummary) Display() string {
	if p.Label != "" {
		return p.Label
	}
	return p.Name
}

// Decimals is how many decimals the parameter's values are printed with
// — one number for its prior, posterior and intervals, so that a column
// of them lines up: the last digit is between a hundredth and a
// thousandth of the prior's 90% interval (2 decimals for an interval 1
// to 10 wide, 4 for a monthly probability between 0 and 0.04), at most
// 6.
func (p ParamSummary) Decimals() int {
	width := math.Abs(p.PriorInterval90[1] - p.PriorInterval90[0])
	if !(width > 0) || math.IsInf(width, 0) {
		return 3
	}
	d := 2 - int(math.Floor(math.Log10(width)))
	return min(max(d, 0), 6)
}

// Format writes a value of the parameter with its Decimals.
func (p ParamSummary) Format(v float64) string {
	s := strconv.FormatFloat(v, 'f', p.Decimals(), 64)
	if strings.Trim(s, "-0.") == "" {
		s = strings.TrimPrefix(s, "-") // no "-0.00"
	}
	return s
}

// CheckSummary is a predictive check of one window.
type CheckSummary struct {
	From  string  `json:"from"`
	To    string  `json:"to"`
	Draws int     `json:"draws"`
	Level float64 `json:"level"`
	// Inside of N observed statistics lie in the posterior predictive
	// interval; PriorInside in the prior predictive one.
	Inside      int             `json:"inside"`
	N           int             `json:"statistics"`
	Coverage    float64         `json:"coverage"`
	PriorInside int             `json:"prior_inside"`
	Stats       []StatCheck     `json:"statistic_checks"`
	Groups      []GroupCoverage `json:"per_statistic"`
}

// GroupCoverage is the coverage of one statistic of the file over its
// blocks.
type GroupCoverage struct {
	Statistic string `json:"statistic"`
	Inside    int    `json:"inside"`
	N         int    `json:"n"`
}

// StatCheck is one statistic's observed value and predictive intervals.
type StatCheck struct {
	Name        string    `json:"name"`
	Statistic   string    `json:"statistic"`
	Description string    `json:"description,omitempty"`
	Kind        string    `json:"kind"`
	From        string    `json:"from"`
	To          string    `json:"to"`
	Observed    float64   `json:"observed"`
	Posterior   Predicted `json:"posterior_predictive"`
	Prior       Predicted `json:"prior_predictive"`
	Inside      bool      `json:"inside"`
}

// Predicted is a statistic's predictive distribution: mean, median and
// central interval.
type Predicted struct {
	Mean   float64 `json:"mean"`
	Median float64 `json:"median"`
	Lower  float64 `json:"lower"`
	Upper  float64 `json:"upper"`
}

// RegressionSummary describes the regression summaries.
type RegressionSummary struct {
	Pilot    int `json:"pilot_simulations"`
	Features int `json:"features"`
	// R2 is, per parameter, the share of its prior variance that the
	// statistics explain over the pilot.
	R2 map[string]float64 `json:"r2"`
}

// Distance descriptions for reports.
const (
	DistanceStatistics = "Euclidean distance of the statistics' differences from the record, each in units of its own sampling noise: counts of months as Anscombe's 2√(x + 3/8), autocorrelations times √months; weighted as the file says"
	DistanceRegression = "semi-automatic ABC (Fearnhead & Prangle 2012): the statistics, each in units of its sampling noise (counts of months as Anscombe's 2√(x + 3/8), autocorrelations times √months), and their squares predict each parameter by a least-squares regression fitted to simulations from the priors; the distance is the Euclidean distance between the parameters predicted from a simulated history and from the record, each divided by its regression's residual standard deviation"
)

// Summarize builds the summary of a result; provenance is written as is.
func Summarize(r *Result, provenance any) *Summary {
	p := r.Plan
	s := p.Spec
	out := &Summary{
		Provenance: provenance, Name: s.Name, Title: s.Title, Description: s.Description,
		FitFrom: p.Fit.From.Date(), FitTo: lastDay(p.Fit.To), BlockMonths: s.BlockMonths,
		BurnIn: s.BurnIn, Histories: s.Histories, MonthsPerHistory: int(p.Fit.To-p.Fit.From) + 1 + s.BurnIn,
		Distance: DistanceStatistics, ABC: abc.Summarize(r.ABC, nil), Warnings: append([]string{}, p.Warnings...),
	}
	if pr := r.Projection; pr != nil {
		out.Distance = DistanceRegression
		out.Regression = &RegressionSummary{Pilot: pr.Pilot, Features: 2 * len(p.Fit.Stats), R2: map[string]float64{}}
		for i, name := range pr.Params {
			out.Regression.R2[name] = pr.R2[i]
		}
	}
	out.Warnings = append(out.Warnings, r.ABC.Warnings...)
	for i, ev := range p.Events {
		out.Events = append(out.Events, EventSummary{Action: ev.Action, Actor: ev.Actor, Target: ev.Target,
			Joint: p.Joint[i], Record: recordTypes(s.Backtest, ev, p.Joint[i])})
	}
	for _, c := range p.Context {
		out.Context = append(out.Context, ContextSummary{Name: c.Name, Date: c.Date.Format(time.DateOnly), From: c.Month.String(),
			AtStart: c.AtStart, Set: c.Set, Description: c.Description, Source: c.Source})
	}
	for i, ps := range out.ABC.Params {
		priorSD := math.Sqrt(p.Params[i].Prior.Variance())
		par := ParamSummary{ParamSummary: ps, Source: p.Sources[i], Contraction: 1 - ps.PosteriorSD/priorSD}
		if m := p.Fit.Model; m != nil {
			l := m.ParamLabel(ps.Name)
			if l.Text != ps.Name {
				par.Label = l.Text
			}
			// Values are the parameter's own: a label's unit that
			// rescales them (a share shown in %) does not apply.
			par.Unit = l.Unit
			if k, ok := m.ParamIndex(ps.Name); ok && l.Scale != 1 {
				par.Unit = m.Params()[k].Field.Unit
			}
		}
		out.Parameters = append(out.Parameters, par)
	}
	out.Simulations = r.ABC.Simulations
	if r.Projection != nil {
		out.Simulations += int64(r.Projection.Pilot)
	}
	out.Fit = checkSummary(p.Fit, r.Fit)
	out.Simulations += int64(2 * r.Fit.Posterior.Draws)
	if r.Holdout != nil {
		out.HoldoutFrom, out.HoldoutTo, out.HoldoutBlockMonths = p.Holdout.From.Date(), lastDay(p.Holdout.To), s.HoldoutBlockMonths
		out.Holdout = checkSummary(p.Holdout, r.Holdout)
		out.Simulations += int64(2 * r.Holdout.Posterior.Draws)
	}
	return out
}

func lastDay(m interface{ Time() time.Time }) string {
	return m.Time().AddDate(0, 1, -1).Format(time.DateOnly)
}

// recordTypes lists the record types of the rows that the mapping
// replays as the event.
func recordTypes(bt *backtest.Spec, ev EventRef, joint bool) []string {
	byType := mappingsByType(bt.Mappings)
	seen := map[string]bool{}
	var out []string
	for _, e := range bt.Record.Events {
		if !seen[e.Type] && replayedAs(byType, e, ev, joint) {
			seen[e.Type] = true
			out = append(out, e.Type)
		}
	}
	sort.Strings(out)
	return out
}

func checkSummary(w *Window, c *Check) *CheckSummary {
	post, prior := c.Posterior, c.Prior
	share, inside, n := c.Coverage()
	cs := &CheckSummary{From: w.From.Date(), To: lastDay(w.To), Draws: post.Draws, Level: post.Level,
		Inside: inside, N: n, Coverage: share}
	groups := map[string]*GroupCoverage{}
	var order []string
	for k, st := range w.Stats {
		sc := StatCheck{Name: st.Name, Statistic: st.Statistic, Description: st.Description, Kind: st.Kind,
			From: st.From.String(), To: st.To.String(), Observed: w.Observed[k], Inside: post.Inside[k],
			Posterior: Predicted{post.Mean[k], post.Median[k], post.Lower[k], post.Upper[k]},
			Prior:     Predicted{prior.Mean[k], prior.Median[k], prior.Lower[k], prior.Upper[k]}}
		if prior.Inside[k] {
			cs.PriorInside++
		}
		cs.Stats = append(cs.Stats, sc)
		g, ok := groups[st.Statistic]
		if !ok {
			g = &GroupCoverage{Statistic: st.Statistic}
			groups[st.Statistic] = g
			order = append(order, st.Statistic)
		}
		g.N++
		if sc.Inside {
			g.Inside++
		}
	}
	for _, name := range order {
		cs.Groups = append(cs.Groups, *groups[name])
	}
	return cs
}

// Describe is a one-line account of a check for terminals and reports:
// "17 of 20 observed statistics (85%) inside the 90% posterior
// predictive intervals (prior: 19 of 20)".
func (c *CheckSummary) Describe() string {
	return fmt.Sprintf("%d of %d observed statistics (%.0f%%) inside the %.0f%% posterior predictive intervals (prior predictive: %d of %d)",
		c.Inside, c.N, 100*c.Coverage, 100*c.Level, c.PriorInside, c.N)
}

// EventLabel names a model event for people: "DPRK weapons_test",
// "USA sanction → DPRK", "DPRK–CHN summit".
func EventLabel(e EventSummary) string {
	switch {
	case e.Joint:
		return e.Actor + "–" + e.Target + " " + e.Action
	case e.Target != "":
		return e.Actor + " " + e.Action + " → " + e.Target
	}
	return e.Actor + " " + e.Action
}
