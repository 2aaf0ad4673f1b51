package plots

import (
	"context"
	"fmt"
	"html/template"
	"regexp"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/geosim/geosim/output"
)

// FileWriter receives the files of a report (output.Folder is one).
type FileWriter interface {
	WriteFile(name string, data []byte) error
}

// Chart is one rendered chart file.
type Chart struct {
	File  string
	Title string
	Kind  string // dashboard, events, time-to-event, fan, distribution
}

var unsafeName = regexp.MustCompile(`[^A-Za-z0-9_-]+`)

// Charts returns the charts a summary has, in report order, without
// rendering them.
func Charts(s *output.Summary) []Chart {
	var cs []Chart
	cs = append(cs, Chart{"dashboard.png", s.Scenario.Title, "dashboard"})
	if len(s.Events) > 0 {
		cs = append(cs, Chart{"events.png", "Event probabilities", "events"})
		for _, e := range s.Events {
			if e.Probability >= minTimeToEvent && len(e.Cumulative) > 0 {
				cs = append(cs, Chart{"time-to-event.png", "Time to event", "time-to-event"})
				break
			}
		}
	}
	for _, sr := range s.Series {
		cs = append(cs, Chart{"fan-" + fileName(sr.Name) + ".png", sr.Description, "fan"})
	}
	for _, o := range s.Outcomes {
		cs = append(cs, Chart{"dist-" + fileName(o.Name) + ".png", o.Description, "distribution"})
	}
	for _, sc := range s.Conditional {
		if !drawable(sc) {
			continue
		}
		for _, sr := range s.Series {
			for _, cs2 := range sc.Conditions[0].Series {
				if cs2.Name == sr.Name {
					cs = append(cs, Chart{conditionalFanFile(sr.Name, sc.Shock), sr.Description + " by " + sc.Label, "conditional-fan"})
				}
			}
		}
		if splitsRelations(s, sc) {
			cs = append(cs, Chart{shockFile(sc.Shock), "Relations by " + sc.Label, "shock"})
		}
	}
	if s.Precision != nil && len(s.Precision.Checkpoints) > 0 {
		cs = append(cs, Chart{"convergence.png", "Precision: estimates against runs", "convergence"})
	}
	return cs
}

// drawable reports whether a shock's conditional view has at least two
// conditions with enough runs to compare.
func drawable(sc output.ShockConditional) bool {
	n := 0
	for _, c := range sc.Conditions {
		if c.Runs >= minConditionRuns && (len(c.Series) > 0 || len(c.Outcomes) > 0) {
			n++
		}
	}
	return n >= 2 && len(sc.Conditions) == 3
}

// splitsRelations reports whether a conditional view holds a
// Goldstein-scale outcome.
func splitsRelations(s *output.Summary, sc output.ShockConditional) bool {
	kinds := map[string]string{}
	for _, o := range s.Outcomes {
		kinds[o.Name] = o.Kind
	}
	for _, c := range sc.Conditions {
		for _, o := range c.Outcomes {
			if k := kinds[o.Name]; k == "relation" || k == "stance" {
				return true
			}
		}
	}
	return false
}

// renderChart draws one chart of Charts(s).
func renderChart(s *output.Summary, c Chart) ([]byte, error) {
	colors := NewColors(s.Scenario.Actors)
	runs := s.Provenance.Runs
	single := func(m Meta, b body, err error) ([]byte, error) {
		if err != nil {
			return nil, err
		}
		m.Footer = footerText(s)
		return renderBody(ChartWidth, ChartHeight, m, b)
	}
	switch c.Kind {
	case "dashboard":
		return Dashboard(s)
	case "convergence":
		return Convergence(s)
	case "events":
		return single(Events(s.Events, runs))
	case "time-to-event":
		return single(TimeToEvent(s.Events, s.Scenario.Start, runs))
	case "fan":
		for _, sr := range s.Series {
			if c.File == "fan-"+fileName(sr.Name)+".png" {
				return single(Fan(sr, FanInput{Start: s.Scenario.Start, Signals: s.Scenario.Signals, Shocks: s.Shocks, Calendar: s.Scenario.Calendar, Runs: runs}, colors.Pair(sr.Actors[:])))
			}
		}
	case "distribution":
		for _, o := range s.Outcomes {
			if c.File == "dist-"+fileName(o.Name)+".png" {
				return single(Distribution(o, colors.Pair(o.Actors), runs, bestSplit(s, o)))
			}
		}
	case "conditional-fan":
		for _, sc := range s.Conditional {
			for _, sr := range s.Series {
				if c.File == conditionalFanFile(sr.Name, sc.Shock) {
					return single(ConditionalFan(s, sr, sc))
				}
			}
		}
	case "shock":
		for _, sc := range s.Conditional {
			if c.File == shockFile(sc.Shock) {
				return single(ShockOutcomes(s, sc))
			}
		}
	}
	return nil, fmt.Errorf("plots: unknown chart %s", c.File)
}

// WriteReport renders every chart of the summary (in parallel) and the
// HTML report that shows them, and writes them with w. The files written
// are the same for the same summary.
func WriteReport(ctx context.Context, w FileWriter, s *output.Summary) error {
	charts := Charts(s)
	jobs := make([]chartJob, len(charts))
	for i, c := range charts {
		jobs[i] = chartJob{c.File, c.Title, func() ([]byte, error) { return renderChart(s, c) }}
	}
	images, err := renderImages(ctx, w, jobs)
	if err != nil {
		return err
	}
	html, err := reportHTML(s, charts, images)
	if err != nil {
		return err
	}
	return w.WriteFile("report.html", html)
}

func sortedEvents(events []output.EventSummary) []output.EventSummary {
	sorted := append([]output.EventSummary(nil), events...)
	sort.SliceStable(sorted, func(i, j int) bool { return sorted[i].Probability < sorted[j].Probability })
	return sorted
}

var reportTemplate = template.Must(template.New("report").Funcs(template.FuncMap{
	"pct":         func(f output.Float) string { return percent(float64(f)) },
	"num":         func(f output.Float) string { return num(float64(f)) },
	"month":       monthLabel,
	"thousands":   thousands,
	"thousands64": func(n int) string { return thousands(int64(n)) },
	"pp":          func(f output.Float) string { return fmt.Sprintf("%.2f pp", 100*float64(f)) },
	"pct2":        func(f output.Float) string { return fmt.Sprintf("%.2f%%", 100*float64(f)) },
	// calmonth names month k (1 = the first simulated month) of a
	// horizon that starts at start.
	"calmonth": func(start string, k output.Float) string {
		return monthStart(start).AddDate(0, int(k)-1, 0).Format("Jan 2006")
	},
	"stepmonth": func(start string, k int) string { return monthStart(start).AddDate(0, k, 0).Format("Jan 2006") },
	"horizon":   horizonLabel,
	"join":      strings.Join,
	"ints": func(xs []int) string {
		parts := make([]string, len(xs))
		for i, x := range xs {
			parts[i] = strconv.Itoa(x)
		}
		return strings.Join(parts, ", ")
	},
}).Parse(`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{{.S.Scenario.Title}}</title>
<style></style>
</head>
<body>
<h1>{{.S.Scenario.Title}}</h1>
<p class="meta">As of {{.S.Scenario.Start}} · {{.S.Scenario.Steps}} months, {{horizon .S.Scenario.Start .S.Scenario.Steps}} · {{thousands .S.Provenance.Runs}} Monte Carlo runs{{with .S.Provenance.Replicates}}{{if gt . 1}} ({{.}} runs per draw of the uncertain assumptions){{end}}{{end}} · seed {{.S.Provenance.Seed}}{{with .S.Provenance}}{{if .PosteriorFile}} · uncertain parameters drawn jointly from the calibration posterior <code>{{.PosteriorFile}}</code> (SHA-256 <code>{{.PosteriorSHA256}}</code>){{end}}{{end}}</p>
<div class="bottom-line-here"></div>
<p>{{.S.Scenario.Description}}</p>
<h2>Dashboard</h2>
<img src="dashboard.png" alt="Dashboard">

{{with .S.Precision}}<h2>Precision</h2>
<p>The number of runs was chosen by precision mode: runs went in blocks of {{thousands64 .Block}}, and after each block every event's and question's probability had to have a 95% interval within ±{{num .Target}} (absolute) and every outcome mean within ±{{num .Target}} times the outcome's range. {{if .Met}}That was reached after <strong>{{thousands .Runs}} runs</strong>{{else}}<strong>That was not reached</strong> within the maximum of {{thousands .MaxRuns}} runs{{end}}; the widest interval relative to its tolerance is {{.Binding}}'s.</p>
<table>
<tr><th>Quantity</th><th>Kind</th><th>Estimate</th><th>95% half-width</th><th>Tolerance</th><th>Met</th></tr>
<tr><td colspan="6" class="meta">Probabilities in percentage points (pp); outcome means in their own units.</td></tr>
{{range .Quantities}}<tr><td>{{.Description}}</td><td>{{.Kind}}</td>{{if eq .Kind "outcome"}}<td class="n">{{num .Estimate}}</td><td class="n">{{num .HalfWidth}}</td><td class="n">{{num .Tolerance}}</td>{{else}}<td class="n">{{pct2 .Estimate}}</td><td class="n">{{pp .HalfWidth}}</td><td class="n">{{pp .Tolerance}}</td>{{end}}<td>{{if .Met}}yes{{else}}<strong>no</strong>{{end}}</td></tr>
{{end}}</table>
<img src="convergence.png" alt="Convergence">
{{end}}

{{if .S.Events}}<h2>Events</h2>
<p>Probability that each event occurs within its window. Two kinds of uncertainty, never to be confused: the <b>Monte Carlo 95% interval</b> (and standard error) says how precisely the runs estimate the probability — more runs shrink it; the <b>range across assumptions</b> is the 10th to 90th percentile of the probability over the scenario's uncertain parameters — what is not known about the situation, which more runs do not change ("not resolved": too small to tell from Monte Carlo noise with these runs; "—": no uncertain parameter). Last, the month of first occurrence among the runs where it occurs.</p>
<table>
<tr><th>Event</th><th>Window</th><th>Probability</th><th>Monte Carlo 95% interval</th><th>MC standard error</th><th>Across assumptions (10th – 90th percentile)</th><th>First occurs (median, 90% of runs where it occurs)</th></tr>
{{range .S.Events}}<tr><td>{{.Description}}</td><td>{{month .From}} – {{month .By}}</td><td class="n">{{pct .Probability}}</td><td class="n">{{pct (index .Wilson95 0)}} – {{pct (index .Wilson95 1)}}</td><td class="n">{{pp .SE}}</td><td class="n">{{with .AssumptionSpread}}{{if .Resolved}}{{pct .P10}} – {{pct .P90}}{{else}}not resolved{{end}}{{else}}—{{end}}</td><td>{{with .FirstMonth}}{{calmonth $.S.Scenario.Start .P50}} ({{calmonth $.S.Scenario.Start .P5}} – {{calmonth $.S.Scenario.Start .P95}}){{else}}—{{end}}</td></tr>
{{end}}</table>
{{range .Events}}<img src="{{.File}}" alt="{{.Title}}">
{{end}}
{{end}}

{{if .S.Questions}}<h2>Forecasts</h2>
<p>Questions as of {{.S.Scenario.Start}}: the probability that each event has occurred by the resolve-by date, with its Monte Carlo 95% interval and its range across the uncertain assumptions (forecasts.csv).</p>
<table>
<tr><th>Question</th><th>Resolves by</th><th>Probability</th><th>Monte Carlo 95% interval</th><th>Across assumptions (10th – 90th percentile)</th></tr>
{{range .S.Questions}}<tr><td>{{.Text}}</td><td>{{.ResolveBy}}</td><td class="n">{{pct .Probability}}</td><td class="n">{{pct (index .Wilson95 0)}} – {{pct (index .Wilson95 1)}}</td><td class="n">{{with .AssumptionSpread}}{{if .Resolved}}{{pct .P10}} – {{pct .P90}}{{else}}not resolved{{end}}{{else}}—{{end}}</td></tr>
{{end}}</table>
{{end}}

{{if .S.Outcomes}}<h2>Outcomes</h2>
<table>
<tr><th>Outcome</th><th>Unit</th><th>Median</th><th>90% of runs</th><th>Mean (95% CI)</th></tr>
{{range .S.Outcomes}}<tr><td>{{.Description}}</td><td>{{.Unit}}</td><td class="n">{{num .Quantiles.P50}}</td><td class="n">{{num .Quantiles.P5}} to {{num .Quantiles.P95}}</td><td class="n">{{num .Mean}} ({{num (index .CI95 0)}} to {{num (index .CI95 1)}})</td></tr>
{{end}}</table>
{{end}}

{{if .Fans}}<h2>Relations over time</h2>
{{range .Fans}}<img src="{{.File}}" alt="{{.Title}}">
{{end}}{{end}}

{{if .Dists}}<h2>Distributions</h2>
<p>Where one shock explains a good part of an outcome's spread, its bars are split by when that shock fired.</p>
<div class="grid">{{range .Dists}}<img src="{{.File}}" alt="{{.Title}}">
{{end}}</div>{{end}}

{{if .Shocks}}<h2>What changes when shocks fire</h2>
<p>The runs split by whether and when each shock fired — in the first half of the horizon, in the second, or not at all — and the main relations and outcomes in each part. These are not forecasts of what a shock would do if imposed: runs in which a shock fires early may differ in other ways too (a shock whose hazard depends on the state fires more often in some kinds of run).</p>
{{range .Shocks}}<h3>{{.Label}}</h3>
<table>
<tr><th>Outcome (median, 90% of runs)</th>{{range .Conditions}}<th>{{.}}</th>{{end}}</tr>
{{range .Rows}}<tr><td>{{.Outcome}}</td>{{range .Cells}}<td class="n">{{.}}</td>{{end}}</tr>
{{end}}</table>
{{range .Charts}}<img src="{{.File}}" alt="{{.Title}}">
{{end}}{{end}}{{end}}

{{if .S.Shocks}}<h2>Shocks</h2>
<table>
<tr><th>Shock</th><th>Fires within the horizon</th><th>Month it fires (median, 90% range)</th></tr>
{{range .S.Shocks}}<tr><td>{{if .Description}}{{.Description}}{{else}}{{.Name}}{{end}}</td><td class="n">{{pct .Probability}} ({{pct (index .Wilson95 0)}} – {{pct (index .Wilson95 1)}})</td><td>{{with .FirstMonth}}{{calmonth $.S.Scenario.Start .P50}} ({{calmonth $.S.Scenario.Start .P5}} – {{calmonth $.S.Scenario.Start .P95}}){{else}}—{{end}}</td></tr>
{{end}}</table>{{end}}

{{if .S.Scenario.Calendar}}<h2>Calendar</h2>
<p>Dated opportunities and recurring seasons inside the horizon: while an occasion lasts it adds its payoff to its action for the actors it names (for a joint action with several actors, every pair of them: leaders who are together can meet). Shaded on the fan charts of the relations they concern.</p>
<table>
<tr><th>Occasion</th><th>Actors</th><th>Action</th><th>When</th></tr>
{{range .S.Scenario.Calendar}}<tr><td>{{if .Description}}{{.Description}}{{else}}{{.Name}}{{end}}</td><td>{{join .Actors ", "}}</td><td>{{.Action}}</td><td>{{if .Months}}months {{ints .Months}} of each year, {{end}}{{stepmonth $.S.Scenario.Start .First}} – {{stepmonth $.S.Scenario.Start .Last}}</td></tr>
{{end}}</table>{{end}}

{{if .S.Uncertain}}<h2>Uncertain assumptions</h2>
<p>Parameters sampled once per parameter draw (runs come in groups of replicates sharing one draw); their values are in runs.csv.</p>
<table>
<tr><th>Parameter</th><th>Distribution</th><th>Mean</th><th>SD</th><th>Unit</th></tr>
{{range .S.Uncertain}}<tr><td><code>{{.Path}}</code></td><td>{{.Distribution}}</td><td class="n">{{num .Mean}}</td><td class="n">{{num .SD}}</td><td>{{.Unit}}</td></tr>
{{end}}</table>{{end}}

<footer>{{.S.Provenance.Tool}} {{.S.Provenance.Version}} · scenario {{.S.Provenance.ScenarioFile}} (SHA-256 {{.S.Provenance.ScenarioSHA256}}) · seed {{.S.Provenance.Seed}} · {{thousands .S.Provenance.Runs}} runs{{with .S.Provenance}}{{if .PosteriorFile}} · posterior {{.PosteriorFile}} (SHA-256 {{.PosteriorSHA256}}){{end}}{{end}}. Model: docs/MODEL.md.</footer>
</body>
</html>
`))

// shockSection is one shock's part of the report's conditional views.
type shockSection struct {
	Label      string
	Conditions []string
	Rows       []shockRow
	Charts     []Chart
}

type shockRow struct {
	Outcome string
	Cells   []string
}

// shockSections tabulates the conditional views: per shock, each split
// outcome's median and 90% range in each condition.
func shockSections(s *output.Summary, charts []Chart) []shockSection {
	var out []shockSection
	desc := map[string]string{}
	for _, o := range s.Outcomes {
		desc[o.Name] = o.Description
	}
	for _, sc := range s.Conditional {
		if !drawable(sc) {
			continue
		}
		sec := shockSection{Label: sc.Label}
		for k := range sc.Conditions {
			sec.Conditions = append(sec.Conditions, conditionLabel(sc, k))
		}
		rows := map[string]*shockRow{}
		var order []string
		for k, cond := range sc.Conditions {
			for _, co := range cond.Outcomes {
				r, ok := rows[co.Name]
				if !ok {
					r = &shockRow{Outcome: desc[co.Name], Cells: make([]string, len(sc.Conditions))}
					for i := range r.Cells {
						r.Cells[i] = "—"
					}
					rows[co.Name], order = r, append(order, co.Name)
				}
				if cond.Runs >= minConditionRuns {
					q := co.Quantiles
					r.Cells[k] = fmt.Sprintf("%s (%s to %s)", num(float64(q.P50)), num(float64(q.P5)), num(float64(q.P95)))
				}
			}
		}
		for _, name := range order {
			sec.Rows = append(sec.Rows, *rows[name])
		}
		for _, c := range charts {
			if c.File == shockFile(sc.Shock) || c.Kind == "conditional-fan" && strings.HasSuffix(c.File, "-by-"+fileName(sc.Shock)+".png") {
				sec.Charts = append(sec.Charts, c)
			}
		}
		out = append(out, sec)
	}
	return out
}

func reportHTML(s *output.Summary, charts []Chart, images map[string][]byte) ([]byte, error) {
	data := struct {
		S      *output.Summary
		Events []Chart
		Fans   []Chart
		Dists  []Chart
		Shocks []shockSection
	}{S: s, Shocks: shockSections(s, charts)}
	for _, c := range charts {
		switch c.Kind {
		case "events", "time-to-event":
			data.Events = append(data.Events, c)
		case "fan":
			data.Fans = append(data.Fans, c)
		case "distribution":
			data.Dists = append(data.Dists, c)
		}
	}
	return renderPage(reportTemplate, data, RunBottomLine(s), images)
}

// chartJob is a chart to render into a file.
type chartJob struct {
	file   string
	title  string
	render func() ([]byte, error)
}

// renderAll renders the charts in parallel and writes them in order. It
// stops starting charts as soon as ctx is done (a chart takes tens of
// milliseconds) and then returns ctx's error, having written nothing.
func renderAll(ctx context.Context, w FileWriter, jobs []chartJob) error {
	defer pixels.drop()
	images := make([][]byte, len(jobs))
	errs := make([]error, len(jobs))
	parallel(len(jobs), func(i int) {
		if errs[i] = ctx.Err(); errs[i] == nil {
			images[i], errs[i] = jobs[i].render()
		}
	})
	if err := ctx.Err(); err != nil {
		return err
	}
	for i, j := range jobs {
		if errs[i] != nil {
			return fmt.Errorf("rendering %s: %w", j.file, errs[i])
		}
		if err := w.WriteFile(j.file, images[i]); err != nil {
			return err
		}
	}
	return nil
}

// parallel calls fn(0..n-1) on GOMAXPROCS goroutines.
func parallel(n int, fn func(i int)) {
	var wg sync.WaitGroup
	next := make(chan int)
	for range min(runtime.GOMAXPROCS(0), n) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				fn(i)
			}
		}()
	}
	for i := 0; i < n; i++ {
		next <- i
	}
	close(next)
	wg.Wait()
}
