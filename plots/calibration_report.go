package plots

import (
	"bytes"
	"encoding/base64"
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
<style>
body { font-family: "Liberation Sans", Arial, Helvetica, sans-serif; max-width: 1400px; margin: 2em auto; color: #222; line-height: 1.45; padding: 0 1em; }
h1 { font-size: 1.7em; margin-bottom: 0.2em; }
.meta { color: #666; }
table { border-collapse: collapse; margin: 1em 0 2em; width: 100%; font-size: 0.92em; }
th, td { text-align: left; padding: 0.3em 0.6em; border-bottom: 1px solid #ddd; vertical-align: top; }
th { background: #f3f3f3; }
td.n { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
td.out { color: #b22222; font-weight: bold; }
img { width: 100%; height: auto; border: 1px solid #eee; margin: 0.5em 0 1.5em; }
.warn { color: #8a4b00; }
footer { color: #888; font-size: 0.85em; margin-top: 3em; }
</style>
</head>
<body>
<h1>{{.Title}}</h1>
<p class="meta">{{.Meta}}</p>
<p>{{.Description}}</p>
<p>Approximate Bayesian computation (ABC-SMC): parameter values are drawn from their priors, a history of the model is simulated from {{.FitFrom}} to {{.FitTo}} for each (after {{.BurnIn}} months of burn-in from the baselines, with the dated context of each period), the same statistics are computed from the simulated history and from the record, and only values whose histories lie within a shrinking tolerance of the record are kept. Distance: {{.Distance}}. What survives is the posterior: the parameter values consistent with the record, as far as the model can tell them apart.</p>
<p><b>Checks.</b> {{.FitCheck}}.{{if .HoldoutCheck}} <b>Held out</b> ({{.HoldoutFrom}} to {{.HoldoutTo}}, not used in the fit): {{.HoldoutCheck}}.{{end}}</p>
{{if .Warnings}}<ul class="warn">{{range .Warnings}}<li>{{.}}</li>{{end}}</ul>{{end}}

<h2>Parameters</h2>
<p>Contraction is 1 − posterior sd / prior sd: near 0 the record says little about the parameter. The posterior mean's Monte Carlo standard error is sd/√ESS (an underestimate by about 20% for SMC populations, docs/CALIBRATION.md).</p>
<table>
<tr><th>Parameter</th><th>Prior</th><th>Prior mean</th><th>Prior 90%</th><th>Posterior mean (± MC se)</th><th>Posterior 90%</th><th>Contraction</th><th>Prior's source</th></tr>
{{range .Params}}<tr><td>{{.Name}}</td><td>{{.Prior}}</td><td class="n">{{.PriorMean}}</td><td class="n">{{.PriorInterval}}</td><td class="n">{{.PostMean}}</td><td class="n">{{.PostInterval}}</td><td class="n">{{.Contraction}}</td><td>{{.Source}}</td></tr>
{{end}}</table>

{{range .Images}}<h3>{{.Title}}</h3>
<img src="{{.Src}}" alt="{{.Title}}">
{{end}}

<h2>Statistics: the record against the model</h2>
{{range .Checks}}<h3>{{.Title}}</h3>
<table>
<tr><th>Statistic</th><th>Months</th><th>Record</th><th>Posterior predictive median</th><th>{{.Level}}% interval</th><th>Prior predictive {{.Level}}%</th></tr>
{{range .Rows}}<tr><td>{{.Name}}</td><td>{{.Months}}</td><td class="n{{if .Out}} out{{end}}">{{.Observed}}</td><td class="n">{{.Median}}</td><td class="n">{{.Post}}</td><td class="n">{{.Prior}}</td></tr>
{{end}}</table>
{{end}}

<h2>Generations</h2>
<table>
<tr><th>Generation</th><th>Tolerance</th><th>Simulated histories</th><th>Acceptance rate</th><th>ESS</th><th>Resampled</th></tr>
{{range .Generations}}<tr><td class="n">{{.Index}}</td><td class="n">{{.Tolerance}}</td><td class="n">{{.Sims}}</td><td class="n">{{.Acceptance}}</td><td class="n">{{.ESS}}</td><td>{{.Resampled}}</td></tr>
{{end}}</table>
<p>Stopped: {{.Stop}}. {{.Cost}}</p>

<h2>What the statistics count</h2>
<p>Each statistic counts months in which a model event occurs; on the record's side, the months holding a row that the backtest's mapping replays as that event (a summit as the joint action held, a designation or a UN resolution as a US sanction, a ballistic, cruise or satellite launch as a DPRK show of force).</p>
<table>
<tr><th>Model event</th><th>Record types</th></tr>
{{range .Events}}<tr><td>{{.Label}}</td><td>{{.Record}}</td></tr>
{{end}}</table>

<h2>Dated context</h2>
<p>Known before the window: applied from its first month. Later: a shock that sets the values in the month after the date.</p>
<table>
<tr><th>Override</th><th>Date</th><th>In force from</th><th>Sets</th><th>Source</th></tr>
{{range .Context}}<tr><td>{{.Name}}{{if .Description}}: {{.Description}}{{end}}</td><td>{{.Date}}</td><td>{{.From}}</td><td>{{.Set}}</td><td>{{.Source}}</td></tr>
{{end}}</table>

<footer>{{.Footer}}</footer>
</body>
</html>
`))

func calibrationHTML(d CalibrationData, jobs []chartJob, images [][]byte) ([]byte, error) {
	s := d.Summary
	type paramRow struct {
		Name, Prior, PriorMean, PriorInterval, PostMean, PostInterval, Contraction, Source string
	}
	var params []paramRow
	for _, p := range s.Parameters {
		params = append(params, paramRow{p.Name, p.Prior, num(p.PriorMean),
			fmt.Sprintf("[%s, %s]", num(p.PriorInterval90[0]), num(p.PriorInterval90[1])),
			fmt.Sprintf("%s ± %s", num(p.PosteriorMean), num(p.PosteriorMeanSE)),
			fmt.Sprintf("[%s, %s]", num(p.PosteriorInterval90[0]), num(p.PosteriorInterval90[1])),
			fmt.Sprintf("%.2f", p.Contraction), p.Source})
	}
	type statRow struct {
		Name, Months, Observed, Median, Post, Prior string
		Out                                         bool
	}
	type checkTable struct {
		Title string
		Level string
		Rows  []statRow
	}
	value := func(v float64, kind string) string {
		if kind == calibration.KindAutocorrelation {
			return fmt.Sprintf("%.2f", v)
		}
		return trimFloat(math.Round(v*10) / 10)
	}
	table := func(title string, c *calibration.CheckSummary) checkTable {
		t := checkTable{Title: title, Level: fmt.Sprintf("%.0f", 100*c.Level)}
		for _, st := range c.Stats {
			t.Rows = append(t.Rows, statRow{Name: st.Name, Months: st.From + " to " + st.To, Observed: value(st.Observed, st.Kind),
				Median: value(st.Posterior.Median, st.Kind),
				Post:   fmt.Sprintf("[%s, %s]", value(st.Posterior.Lower, st.Kind), value(st.Posterior.Upper, st.Kind)),
				Prior:  fmt.Sprintf("[%s, %s]", value(st.Prior.Lower, st.Kind), value(st.Prior.Upper, st.Kind)), Out: !st.Inside})
		}
		return t
	}
	checks := []checkTable{table(fmt.Sprintf("Fitting window, %s to %s", s.Fit.From, s.Fit.To), s.Fit)}
	data := map[string]any{}
	if s.Holdout != nil {
		checks = append(checks, table(fmt.Sprintf("Held-out window, %s to %s", s.Holdout.From, s.Holdout.To), s.Holdout))
		data["HoldoutCheck"] = s.Holdout.Describe()
		data["HoldoutFrom"], data["HoldoutTo"] = s.Holdout.From, s.Holdout.To
	}
	type genRow struct {
		Index                                       int
		Tolerance, Sims, Acceptance, ESS, Resampled string
	}
	var gens []genRow
	for _, g := range s.ABC.Generations {
		tol := "—"
		if g.Index > 0 {
			tol = fmt.Sprintf("%.3f", g.Tolerance)
		}
		res := ""
		if g.Resampled {
			res = "yes"
		}
		gens = append(gens, genRow{g.Index, tol, thousands(g.Simulations), fmt.Sprintf("%.1f%%", 100*g.AcceptanceRate), fmt.Sprintf("%.0f", g.ESS), res})
	}
	type eventRow struct{ Label, Record string }
	var events []eventRow
	for _, e := range s.Events {
		events = append(events, eventRow{calibration.EventLabel(e), strings.Join(e.Record, ", ")})
	}
	type contextRow struct{ Name, Description, Date, From, Set, Source string }
	var context []contextRow
	for _, c := range s.Context {
		from := c.From
		if c.AtStart {
			from = "the window's start"
		}
		context = append(context, contextRow{c.Name, c.Description, c.Date, from, strings.Join(c.Set, ", "), c.Source})
	}
	var imgs []backtestImage
	titles := map[string]string{"parameters.png": "Prior and posterior of each parameter", "pairs.png": "Joint posterior",
		"predictive-fit.png": "Posterior predictive check, fitting window", "predictive-holdout.png": "Held-out check",
		"generations.png": "The sampler's generations"}
	for i, j := range jobs {
		imgs = append(imgs, backtestImage{Title: titles[j.file], Src: template.URL("data:image/png;base64," + base64.StdEncoding.EncodeToString(images[i]))})
	}
	title := s.Title
	if title == "" {
		title = "Calibration " + s.Name
	}
	stop := s.ABC.Stop
	if s.ABC.Abandoned != nil {
		stop += fmt.Sprintf(" (generation %d abandoned after %s histories)", s.ABC.Abandoned.Index, thousands(s.ABC.Abandoned.Simulations))
	}
	for k, v := range map[string]any{
		"Title": title, "Description": s.Description,
		"Meta": fmt.Sprintf("fit %s to %s · %d parameters · %d statistics · %d particles, %d per parameter vector · %s simulated histories of %d months · seed %d",
			s.FitFrom, s.FitTo, len(s.Parameters), len(s.Fit.Stats), s.ABC.Particles, s.Histories, thousands(s.Simulations), s.MonthsPerHistory, s.ABC.Settings.Seed),
		"FitFrom": s.FitFrom, "FitTo": s.FitTo, "BurnIn": s.BurnIn, "Distance": s.Distance,
		"FitCheck": "Fitting window: " + s.Fit.Describe(), "Warnings": s.Warnings,
		"Params": params, "Images": imgs, "Checks": checks, "Generations": gens, "Stop": stop,
		"Cost":   fmt.Sprintf("The sampler simulated %s histories; the predictive checks %s more.", thousands(s.ABC.Simulations), thousands(s.Simulations-s.ABC.Simulations)),
		"Events": events, "Context": context,
		"Footer": fmt.Sprintf("geosim %s · %s (SHA-256 %s)", d.Version, d.File, d.SHA256),
	} {
		data[k] = v
	}
	var b bytes.Buffer
	if err := calibrationTemplate.Execute(&b, data); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}
