package plots

import (
	"fmt"
	"html/template"
	"math"
	"strings"

	"github.com/geosim/geosim/calibration"
)

var calibrationTemplate = template.Must(template.New("calibration").Parse(`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{{.Title}}</title>
<style></style>
</head>
<body>
<h1>{{.Title}}</h1>
<p class="meta">{{.Meta}}</p>
<div class="bottom-line-here"></div>
{{if .Description}}<p>{{.Description}}</p>{{end}}
{{if .Warnings}}<div class="warn"><strong>Read with care</strong><ul>{{range .Warnings}}<li>{{.}}</li>{{end}}</ul></div>{{end}}

<h2>Parameters</h2>
<p>The prior is what was assumed before looking at the record; the posterior, the values whose simulated histories come close to it. Contraction is 1 − posterior sd / prior sd: near 0 the record says little about the parameter. The posterior mean's Monte Carlo standard error is sd/√ESS (an underestimate by about 20% for SMC populations, docs/CALIBRATION.md). Values in the parameter's own unit.</p>
<table>
<tr><th>Parameter</th><th>Unit</th><th>Prior</th><th>Prior mean</th><th>Prior 90%</th><th>Posterior mean (± MC se)</th><th>Posterior 90%</th><th>Contraction</th><th>Prior's source</th></tr>
{{range .Params}}<tr><td>{{.Label}}<br><code>{{.Path}}</code></td><td>{{.Unit}}</td><td style="white-space: nowrap">{{.Prior}}</td><td class="n">{{.PriorMean}}</td><td class="n">{{.PriorInterval}}</td><td class="n">{{.PostMean}}</td><td class="n">{{.PostInterval}}</td><td class="n">{{.Contraction}}</td><td>{{.Source}}</td></tr>
{{end}}</table>
<img src="parameters.png" alt="Prior and posterior of each parameter">
{{if .Pairs}}<img src="pairs.png" alt="The joint posterior of the most constrained parameters">{{end}}

<h2>The record against the model</h2>
<p>Each statistic counts months with an event (or measures how launch months cluster) in the record and in histories simulated with parameters drawn from the posterior (posterior predictive) and from the priors (prior predictive). A record outside the posterior predictive interval is marked: the fitted model rarely produces a history like it.</p>
{{range .Checks}}<h3>{{.Title}}</h3>
<p>{{.Summary}}</p>
<img src="{{.Chart}}" alt="{{.Title}}">
<table>
<tr><th>Statistic, period</th><th>Record</th><th>Posterior predictive median</th><th>{{.Level}}% interval</th><th>Prior predictive {{.Level}}%</th></tr>
{{range .Rows}}{{if .Head}}<tr><td colspan="5"><strong>{{.Head}}</strong> <code>{{.Statistic}}</code></td></tr>
{{end}}<tr><td style="padding-left: 1.6em">{{.Block}}</td>{{if .Out}}<td class="n" style="color: #b34700; font-weight: bold">▲ {{.Observed}} (outside)</td>{{else}}<td class="n">{{.Observed}}</td>{{end}}<td class="n">{{.Median}}</td><td class="n">{{.Post}}</td><td class="n">{{.Prior}}</td></tr>
{{end}}</table>
{{end}}

<h2>How the fit was made</h2>
<p>Approximate Bayesian computation (ABC-SMC): parameter values are drawn from their priors, a history of the model is simulated from {{.FitFrom}} to {{.FitTo}} for each (after {{.BurnIn}} months of burn-in from the baselines, with the dated context of each period), the same statistics are computed from the simulated history and from the record, and only values whose histories lie within a shrinking tolerance of the record are kept. Distance: {{.Distance}}. What survives is the posterior: the parameter values consistent with the record, as far as the model can tell them apart.</p>
<table>
<tr><th>Generation</th><th>Tolerance</th><th>Simulated histories</th><th>Acceptance rate</th><th>ESS</th><th>Resampled</th></tr>
{{range .Generations}}<tr><td class="n">{{.Index}}</td><td class="n">{{.Tolerance}}</td><td class="n">{{.Sims}}</td><td class="n">{{.Acceptance}}</td><td class="n">{{.ESS}}</td><td>{{.Resampled}}</td></tr>
{{end}}</table>
<p>Stopped: {{.Stop}}. {{.Cost}}</p>
<img src="generations.png" alt="The sampler by generation">

<h2>What the statistics count</h2>
<p>Each statistic counts months in which a model event occurs; on the record's side, the months holding a row that the backtest's mapping replays as that event (a summit as the joint action held, a designation or a UN resolution as a US sanction, a ballistic, cruise or satellite launch as a DPRK show of force).</p>
<table>
<tr><th>Model event</th><th>Record types</th></tr>
{{range .Events}}<tr><td>{{.Label}}</td><td>{{.Record}}</td></tr>
{{end}}</table>

{{if .Context}}<h2>Dated context</h2>
<p>Known before the window: applied from its first month. Later: a shock that sets the values in the month after the date.</p>
<table>
<tr><th>Override</th><th>Date</th><th>In force from</th><th>Sets</th><th>Source</th></tr>
{{range .Context}}<tr><td>{{.Name}}{{if .Description}}: {{.Description}}{{end}}</td><td>{{.Date}}</td><td>{{.From}}</td><td><code>{{.Set}}</code></td><td>{{.Source}}</td></tr>
{{end}}</table>{{end}}

<footer>{{.Footer}}</footer>
</body>
</html>
`))

type calParamRow struct {
	Label, Path, Unit, Prior, PriorMean, PriorInterval, PostMean, PostInterval, Contraction, Source string
}

type calStatRow struct {
	Head, Statistic                      string // the statistic's description and name, on its first block
	Block, Observed, Median, Post, Prior string
	Out                                  bool
}

type calCheck struct {
	Title, Summary, Chart, Level string
	Rows                         []calStatRow
}

type calGeneration struct {
	Index                                       int
	Tolerance, Sims, Acceptance, ESS, Resampled string
}

type calEvent struct{ Label, Record string }

type calContext struct{ Name, Description, Date, From, Set, Source string }

type calibrationPageData struct {
	Title, Meta, Description             string
	Warnings                             []string
	Params                               []calParamRow
	Pairs                                bool
	Checks                               []calCheck
	FitFrom, FitTo, Distance, Stop, Cost string
	BurnIn                               int
	Generations                          []calGeneration
	Events                               []calEvent
	Context                              []calContext
	Footer                               string
}

// statValue writes a statistic's value: a count of months to one
// decimal (predictive medians and bounds are whole or half months), an
// autocorrelation to two, with a typographic minus.
func statValue(v float64, kind string) string {
	s := trimFloat(math.Round(v*10) / 10)
	if kind == calibration.KindAutocorrelation {
		s = fmt.Sprintf("%.2f", v)
	}
	return strings.Replace(s, "-", "−", 1)
}

// paramSE writes a posterior mean's standard error with the parameter's
// decimals, or with one significant digit when those would round it to
// zero.
func paramSE(p calibration.ParamSummary, se float64) string {
	s := p.Format(se)
	if strings.Trim(s, "0.") == "" && se > 0 {
		s = fmt.Sprintf("%.1g", se)
	}
	return s
}

// calibrationPage writes report.html: the parameters, the predictive
// checks with every statistic that falls outside its interval marked,
// the sampler's generations, what the statistics count and the dated
// context, after a bottom line; the charts embedded.
func calibrationPage(w FileWriter, d CalibrationData, jobs []chartJob, images map[string][]byte) error {
	s := d.Summary
	data := calibrationPageData{Title: s.Title, Description: s.Description, Warnings: s.Warnings,
		FitFrom: s.FitFrom, FitTo: s.FitTo, BurnIn: s.BurnIn, Distance: s.Distance,
		Footer: fmt.Sprintf("geosim %s · %s (SHA-256 %s) · seed %d. Files: posterior.csv (weighted joint draws, for a scenario's [posterior]), summary.json. Method and trust checks: docs/CALIBRATION.md.", d.Version, d.File, d.SHA256, s.ABC.Settings.Seed)}
	if data.Title == "" {
		data.Title = "Calibration " + s.Name
	}
	perVector := fmt.Sprintf("%d histories per parameter vector", s.Histories)
	if s.Histories == 1 {
		perVector = "one history per parameter vector"
	}
	data.Meta = fmt.Sprintf("Fit %s to %s · %d parameters · %d statistics · %d particles, %s · %s simulated histories of %d months (burn-in included) · seed %d",
		s.FitFrom, s.FitTo, len(s.Parameters), len(s.Fit.Stats), s.ABC.Particles, perVector, thousands(s.Simulations), s.MonthsPerHistory, s.ABC.Settings.Seed)
	for _, p := range s.Parameters {
		data.Params = append(data.Params, calParamRow{Label: p.Display(), Path: p.Name, Unit: p.Unit, Prior: p.Prior,
			PriorMean:     paramValue(p, p.PriorMean),
			PriorInterval: fmt.Sprintf("%s to %s", paramValue(p, p.PriorInterval90[0]), paramValue(p, p.PriorInterval90[1])),
			PostMean:      fmt.Sprintf("%s ± %s", paramValue(p, p.PosteriorMean), paramSE(p, p.PosteriorMeanSE)),
			PostInterval:  fmt.Sprintf("%s to %s", paramValue(p, p.PosteriorInterval90[0]), paramValue(p, p.PosteriorInterval90[1])),
			Contraction:   strings.Replace(fmt.Sprintf("%.2f", p.Contraction), "-", "−", 1), Source: p.Source})
	}
	for _, j := range jobs {
		data.Pairs = data.Pairs || j.file == "pairs.png"
	}
	check := func(title, chart string, c *calibration.CheckSummary) calCheck {
		t := calCheck{Title: title, Chart: chart, Level: fmt.Sprintf("%.0f", 100*c.Level), Summary: capitalFirst(c.Describe()) + "."}
		for _, group := range statGroups(c) {
			for i, st := range group {
				r := calStatRow{Block: shortBlockLine(st.From, st.To),
					Observed: statValue(st.Observed, st.Kind), Median: statValue(st.Posterior.Median, st.Kind),
					Post:  fmt.Sprintf("%s to %s", statValue(st.Posterior.Lower, st.Kind), statValue(st.Posterior.Upper, st.Kind)),
					Prior: fmt.Sprintf("%s to %s", statValue(st.Prior.Lower, st.Kind), statValue(st.Prior.Upper, st.Kind)), Out: !st.Inside}
				if i == 0 {
					r.Head, r.Statistic = statTitle(st), st.Statistic
				}
				t.Rows = append(t.Rows, r)
			}
		}
		return t
	}
	data.Checks = append(data.Checks, check(fmt.Sprintf("Fitting window, %s to %s", s.Fit.From, s.Fit.To), "predictive-fit.png", s.Fit))
	if s.Holdout != nil {
		data.Checks = append(data.Checks, check(fmt.Sprintf("Held out, %s to %s (not used in the fit)", s.Holdout.From, s.Holdout.To), "predictive-holdout.png", s.Holdout))
	}
	for _, g := range s.ABC.Generations {
		r := calGeneration{Index: g.Index, Tolerance: "—", Sims: thousands(g.Simulations),
			Acceptance: fmt.Sprintf("%.1f%%", 100*g.AcceptanceRate), ESS: fmt.Sprintf("%.0f", g.ESS)}
		if g.Index > 0 {
			r.Tolerance = fmt.Sprintf("%.3f", g.Tolerance)
		}
		if g.Resampled {
			r.Resampled = "yes"
		}
		data.Generations = append(data.Generations, r)
	}
	data.Stop = s.ABC.Stop
	if s.ABC.Abandoned != nil {
		data.Stop += fmt.Sprintf(" (generation %d abandoned after %s histories)", s.ABC.Abandoned.Index, thousands(s.ABC.Abandoned.Simulations))
	}
	data.Cost = fmt.Sprintf("The sampler simulated %s histories; the predictive checks %s more.", thousands(s.ABC.Simulations), thousands(s.Simulations-s.ABC.Simulations))
	for _, e := range s.Events {
		data.Events = append(data.Events, calEvent{calibration.EventLabel(e), strings.Join(e.Record, ", ")})
	}
	for _, c := range s.Context {
		from := c.From
		if c.AtStart {
			from = "the window's start"
		}
		data.Context = append(data.Context, calContext{c.Name, c.Description, c.Date, from, strings.Join(c.Set, ", "), c.Source})
	}
	return writePage(w, calibrationTemplate, data, CalibrationBottomLine(s), images)
}

// shortBlockLine names a block on one line: "2017", "2012–21",
// "2024–Aug 25", "2025 Jan–Aug".
func shortBlockLine(from, to string) string {
	return strings.NewReplacer("\n–", "–", "\n", " ").Replace(shortBlock(from, to))
}

// Contraction thresholds of the bottom line: at or above
// wellConstrained the record narrows a parameter's prior by a third or
// more of its sd (posterior sd ≤ 2/3 of the prior's ≈ 0.3); below
// barelyConstrained the posterior is hard to tell from the prior.
const (
	wellConstrained   = 0.3
	barelyConstrained = 0.1
)

// CalibrationBottomLine says in a few sentences what a calibration
// found: which parameters the record constrains and which it does not,
// how many statistics of the fitting window (and of the held-out one)
// lie inside their predictive intervals and which do not, and what the
// fit cost.
func CalibrationBottomLine(s *calibration.Summary) []string {
	var out []string
	order := byContraction(s)
	var strong, weak []string
	for _, i := range order {
		p := s.Parameters[i]
		switch {
		case p.Contraction >= wellConstrained:
			strong = append(strong, fmt.Sprintf("%s (contraction %.2f)", p.Display(), p.Contraction))
		case p.Contraction < barelyConstrained:
			weak = append(weak, p.Display())
		}
	}
	if len(strong) > 0 {
		out = append(out, fmt.Sprintf("The record constrains %s of the %d parameters: %s.", countWord(len(strong)), len(s.Parameters), strings.Join(strong, "; ")))
	} else if len(order) > 0 {
		p := s.Parameters[order[0]]
		out = append(out, fmt.Sprintf("The record constrains none of the %d parameters much: the most constrained, %s, has a posterior sd %.0f%% below its prior's (contraction %.2f).",
			len(s.Parameters), p.Display(), 100*p.Contraction, p.Contraction))
	}
	if len(weak) > 0 {
		subject := fmt.Sprintf("%s parameters have posteriors", capitalFirst(countWord(len(weak))))
		if len(weak) == 1 {
			subject = "One parameter has a posterior"
		}
		out = append(out, fmt.Sprintf("%s close to the prior (contraction below %.1f), so the record says little about them and forecasts inherit the prior's judgement: %s.",
			subject, barelyConstrained, strings.Join(weak, "; ")))
	}
	out = append(out, checkSentence(fmt.Sprintf("Fitting window (%s to %s)", s.Fit.From, s.Fit.To), s.Fit))
	if h := s.Holdout; h != nil {
		out = append(out, checkSentence(fmt.Sprintf("Held out (%s to %s, not used in the fit)", h.From, h.To), h))
	} else {
		out = append(out, "There is no held-out window: the checks above are in-sample, and the fit's forecasting skill is the backtest's to show (docs/FORECASTING.md).")
	}
	last := s.ABC.Generations[len(s.ABC.Generations)-1]
	out = append(out, fmt.Sprintf("Cost: %s simulated histories of %d months each, burn-in included (%d generations of %d particles, final effective sample size %.0f; the predictive checks %s of them).",
		thousands(s.Simulations), s.MonthsPerHistory, last.Index, s.ABC.Particles, s.ABC.ESS, thousands(s.Simulations-s.ABC.Simulations)))
	return out
}

// checkSentence says how many of a window's statistics lie inside
// their posterior predictive intervals and names up to three outside.
func checkSentence(window string, c *calibration.CheckSummary) string {
	t := fmt.Sprintf("%s: %d of %d observed statistics lie inside their %.0f%% posterior predictive intervals (prior predictive: %d)",
		window, c.Inside, c.N, 100*c.Level, c.PriorInside)
	var outside []string
	more := 0
	for _, st := range c.Stats {
		if st.Inside {
			continue
		}
		if len(outside) == 3 {
			more++
			continue
		}
		desc := st.Description
		if desc == "" {
			desc = st.Statistic
		}
		outside = append(outside, fmt.Sprintf("“%s” over %s (record %s, interval %s to %s)", desc, shortBlockLine(st.From, st.To),
			statValue(st.Observed, st.Kind), statValue(st.Posterior.Lower, st.Kind), statValue(st.Posterior.Upper, st.Kind)))
	}
	if len(outside) > 0 {
		t += ". Outside: " + strings.Join(outside, "; ")
	}
	if more > 0 {
		t += fmt.Sprintf("; and %d more (tables below)", more)
	}
	return t + "."
}
