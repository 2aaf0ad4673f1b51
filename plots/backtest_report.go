package plots

import (
	"encoding/base64"
	"fmt"
	"html/template"
	"math"
	"sort"
	"strings"
	"time"

	"github.com/geosim/geosim/backtest"
)

// backtestTableRow is one group's line in the report's tables.
type backtestTableRow struct {
	Label     string
	N         int
	Origins   int
	BaseRate  string
	Brier     []string // per forecaster
	Log       []string
	Skill     []string // the model against climatology, persistence, always 50%
	Confident string   // the model's forecasts <10% or >90%, and the share right
}

type backtestImage struct {
	Title string
	Src   template.URL // a data: URL, trusted: we encoded it
}

type murphyRow struct {
	Name                                         string
	Brier, REL, RES, UNC, Within, Log, Confident string
}

var backtestTemplate = template.Must(template.New("backtest").Parse(`<!DOCTYPE html>
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
<p>{{.Description}}</p>
<p>Question templates, benchmarks and the record-to-model mapping were fixed in the backtest file before any score was computed. Skill is the Brier skill score 1 − Brier(model)/Brier(benchmark): above 0 the model beats the benchmark. Intervals are {{.Level}}% block-bootstrap intervals that resample whole origins ({{.Resamples}} resamples), since the questions asked at one origin are correlated. Log scores clip every probability to [{{.Clip}}, {{.ClipHi}}].</p>

<h2>Overall and per horizon</h2>
{{template "table" .Headline}}

<h2>Per question and horizon</h2>
{{template "table" .Detail}}

<h2>Murphy decomposition, all questions</h2>
<p>Brier = reliability − resolution + uncertainty + within-bin (10 bins). Reliability 0 is perfectly calibrated; resolution is how far the forecasts separate the outcomes.</p>
<table>
<tr><th>Forecaster</th><th>Brier</th><th>Reliability</th><th>Resolution</th><th>Uncertainty</th><th>Within-bin</th><th>Log score</th><th>Forecasts &lt;10% or &gt;90% (right)</th></tr>
{{range .Murphy}}<tr><td>{{.Name}}</td><td class="n">{{.Brier}}</td><td class="n">{{.REL}}</td><td class="n">{{.RES}}</td><td class="n">{{.UNC}}</td><td class="n">{{.Within}}</td><td class="n">{{.Log}}</td><td class="n">{{.Confident}}</td></tr>
{{end}}</table>

{{range .Images}}<h3>{{.Title}}</h3>
<img src="{{.Src}}" alt="{{.Title}}">
{{end}}

<h2>Benchmarks</h2>
<ul>
<li><b>Climatology</b>: for each question, the Laplace-smoothed share (yes + 1)/(windows + 2) of the h-month windows lying wholly inside the {{.ClimMonths}} months before the origin (never before the record's start, {{.RecordStart}}) in which the question would have resolved yes.</li>
<li><b>Persistence</b>: 1 if the question would have resolved yes over the h months just before the origin, else 0.</li>
<li><b>Always 50%</b>.</li>
</ul>

<h2>Record → model</h2>
<table>
<tr><th>Record type</th><th>Model action</th><th>Replayed as</th><th>Note</th></tr>
{{range .Mapping}}<tr><td><code>{{.Type}}</code></td><td><code>{{.Action}}</code></td><td>{{.Replay}}{{if .Senders}} from {{.Senders}}{{end}}</td><td>{{.Note}}</td></tr>
{{end}}</table>

{{if .Overrides}}<h2>Dated context</h2>
<table>
<tr><th>From</th><th>Override</th><th>Sets</th><th>Source</th></tr>
{{range .Overrides}}<tr><td>{{.Date}}</td><td>{{.Description}}</td><td><code>{{.Set}}</code></td><td>{{.Source}}</td></tr>
{{end}}</table>{{end}}

<h2>Questions</h2>
<table>
<tr><th>Template</th><th>Text</th></tr>
{{range .Questions}}<tr><td><code>{{.ID}}</code></td><td>{{.Text}}</td></tr>
{{end}}</table>

<footer>{{.Footer}}</footer>
</body>
</html>
{{define "table"}}<table>
<tr><th>Questions</th><th>n (origins)</th><th>Base rate</th><th>Brier: model</th><th>climatology</th><th>persistence</th><th>50%</th><th>Skill vs climatology</th><th>vs persistence</th><th>vs 50%</th><th>Log: model</th><th>climatology</th><th>Model &lt;10% or &gt;90% (right)</th></tr>
{{range .}}<tr><td>{{.Label}}</td><td class="n">{{.N}} ({{.Origins}})</td><td class="n">{{.BaseRate}}</td>{{range .Brier}}<td class="n">{{.}}</td>{{end}}{{range .Skill}}<td class="n">{{.}}</td>{{end}}{{range .Log}}<td class="n">{{.}}</td>{{end}}<td class="n">{{.Confident}}</td></tr>
{{end}}</table>{{end}}
`))

func tableRow(label string, g backtest.Group) backtestTableRow {
	r := backtestTableRow{Label: label, N: g.N, Origins: g.Origins, BaseRate: fmt.Sprintf("%.0f%%", 100*g.BaseRate)}
	for _, s := range g.Scores {
		r.Brier = append(r.Brier, fmt.Sprintf("%.3f", s.Brier))
	}
	for _, f := range []int{backtest.Model, backtest.Climatology} {
		r.Log = append(r.Log, fmt.Sprintf("%.3f", g.Scores[f].Log))
	}
	m := g.Scores[backtest.Model]
	for _, ref := range []string{"climatology", "persistence", "always_50"} {
		r.Skill = append(r.Skill, skillCell(findSkill(m, ref)))
	}
	r.Confident = fmt.Sprintf("%d (%s)", m.Confident, percentOrDash(m.ConfidentRight, m.Confident))
	return r
}

func skillCell(s backtest.Skill) string {
	if math.IsNaN(s.Value) {
		return "—"
	}
	return fmt.Sprintf("%s [%s, %s]", signedNum(s.Value), signedNum(s.Lo), signedNum(s.Hi))
}

func percentOrDash(a, b int) string {
	if b == 0 {
		return "—"
	}
	return fmt.Sprintf("%.0f%%", 100*float64(a)/float64(b))
}

// backtestHTML renders report.html with the charts embedded, so that the
// file can be mailed on its own.
func backtestHTML(d BacktestData, jobs []chartJob, images [][]byte) ([]byte, error) {
	s := d.Spec
	clip := s.LogClip
	if clip == 0 {
		clip = backtest.DefaultLogClip
	}
	resamples := s.Bootstrap
	if resamples == 0 {
		resamples = backtest.DefaultBootstrap
	}
	byKey := map[string]backtest.Group{}
	for _, g := range d.Groups {
		byKey[g.Key] = g
	}
	var headline, detail []backtestTableRow
	if g, ok := byKey["all"]; ok {
		headline = append(headline, tableRow("all questions", g))
	}
	for _, h := range s.Horizons {
		if g, ok := byKey[fmt.Sprintf("h%d", h)]; ok {
			headline = append(headline, tableRow(fmt.Sprintf("within %d months", h), g))
		}
	}
	for _, t := range s.Templates {
		if g, ok := byKey[t.ID]; ok {
			detail = append(detail, tableRow(t.ID+", all horizons", g))
		}
		for _, h := range s.Horizons {
			if g, ok := byKey[fmt.Sprintf("%s/h%d", t.ID, h)]; ok {
				detail = append(detail, tableRow(fmt.Sprintf("%s, %d months", t.ID, h), g))
			}
		}
	}
	var murphy []murphyRow
	if g, ok := byKey["all"]; ok {
		for _, sc := range g.Scores {
			murphy = append(murphy, murphyRow{Name: forecasterLabel(sc.Forecaster), Brier: fmt.Sprintf("%.3f", sc.Brier),
				REL: fmt.Sprintf("%.4f", sc.Murphy.Reliability), RES: fmt.Sprintf("%.4f", sc.Murphy.Resolution),
				UNC: fmt.Sprintf("%.4f", sc.Murphy.Uncertainty), Within: fmt.Sprintf("%.4f", sc.Murphy.WithinBin),
				Log: fmt.Sprintf("%.3f", sc.Log), Confident: fmt.Sprintf("%d (%s)", sc.Confident, percentOrDash(sc.ConfidentRight, sc.Confident))})
		}
	}
	var imgs []backtestImage
	titles := map[string]string{"reliability.png": "Reliability and sharpness", "skill.png": "Skill per question and horizon"}
	for i, j := range jobs {
		title := titles[j.file]
		if title == "" {
			title = "Over time: " + strings.TrimSuffix(strings.TrimPrefix(j.file, "timeline-"), ".png")
		}
		imgs = append(imgs, backtestImage{Title: title, Src: template.URL("data:image/png;base64," + base64.StdEncoding.EncodeToString(images[i]))})
	}
	type mappingRow struct{ Type, Action, Replay, Senders, Note string }
	var mapping []mappingRow
	for _, m := range s.Mappings {
		mapping = append(mapping, mappingRow{m.Type, m.Action, m.Replay, strings.Join(m.Senders, ", "), m.Note})
	}
	type overrideRow struct{ Date, Description, Set, Source string }
	var overrides []overrideRow
	for _, o := range s.Overrides {
		var set []string
		for _, k := range sortedPaths(o.Set) {
			set = append(set, fmt.Sprintf("%s = %s", k, o.Set[k]))
		}
		desc := o.Description
		if desc == "" {
			desc = o.Name
		}
		overrides = append(overrides, overrideRow{o.Date.Format(time.DateOnly), desc, strings.Join(set, "; "), o.Source})
	}
	first, last := d.Plan.Origins[0].Month, d.Plan.Origins[len(d.Plan.Origins)-1].Month
	all := byKey["all"]
	data := map[string]any{
		"Title": d.Title, "Description": d.Description,
		"Meta": fmt.Sprintf("%d origins %s to %s · horizons %v months · %d runs per origin · seed %d · %d months of record replayed · %d resolved questions (%d yes), %d not asked (they resolve after %s)",
			len(d.Plan.Origins), first, last, s.Horizons, d.Runs, d.Seed, s.ReplayMonths, all.N, all.Yes, d.Plan.Dropped, s.Cutoff.Format(time.DateOnly)),
		"Level": fmt.Sprintf("%.0f", 100*backtest.SkillLevel), "Resamples": resamples, "Clip": clip, "ClipHi": 1 - clip,
		"Headline": headline, "Detail": detail, "Murphy": murphy, "Images": imgs,
		"ClimMonths": s.ClimatologyMonths, "RecordStart": s.RecordStart.Format("2006-01"),
		"Mapping": mapping, "Overrides": overrides, "Questions": s.Templates,
		"Footer": fmt.Sprintf("geosim %s · %s (SHA-256 %s) · record %s", d.Version, d.File, d.SHA256, strings.Join(s.Record.Files, ", ")),
	}
	if d.Title == "" {
		data["Title"] = "Backtest " + d.Name
	}
	return renderPage(backtestTemplate, data, backtestBottomLine(d, byKey), nil)
}

// backtestBottomLine says whether the model beat the benchmarks over
// all questions and at each horizon, with the intervals.
func backtestBottomLine(d BacktestData, byKey map[string]backtest.Group) []string {
	var out []string
	g, ok := byKey["all"]
	if !ok {
		return nil
	}
	var parts []string
	for _, ref := range backtest.Forecasters[1:] {
		if sk := findSkill(g.Scores[0], ref); !math.IsNaN(sk.Value) {
			parts = append(parts, fmt.Sprintf("against %s %s", forecasterLabel(ref), skillText(sk)))
		}
	}
	out = append(out, fmt.Sprintf("Over %d resolved questions at %d origins, the model's Brier skill (above 0 beats the benchmark, %0.f%% interval in brackets): %s.",
		g.N, len(d.Plan.Origins), 100*backtest.SkillLevel, strings.Join(parts, "; ")))
	for _, h := range d.Spec.Horizons {
		if gh, ok := byKey[fmt.Sprintf("h%d", h)]; ok && len(gh.Scores) > 0 {
			if sk := findSkill(gh.Scores[0], "climatology"); !math.IsNaN(sk.Value) {
				out = append(out, fmt.Sprintf("Within %d months: skill against climatology %s (%d questions).", h, skillText(sk), gh.N))
			}
		}
	}
	return out
}

func sortedPaths[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
