package plots

import (
	"context"
	"fmt"
	"html/template"
	"math"
	"sort"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/geosim/geosim/forecast"
	"github.com/geosim/geosim/sim/stats"
)

// WriteScores renders the reliability diagram (reliability.png), the
// forecasts against their outcomes (forecasts.png) and report.html.
func WriteScores(ctx context.Context, w FileWriter, s *forecast.Scores, footer string) error {
	var jobs []chartJob
	if s.N > 0 {
		jobs = []chartJob{
			{"reliability.png", "Reliability diagram", func() ([]byte, error) { return reliability(s, footer) }},
			{"forecasts.png", "Forecasts and what happened", func() ([]byte, error) { return forecastsChart(s, footer) }},
		}
	}
	images, err := renderImages(ctx, w, jobs)
	if err != nil {
		return err
	}
	return writePage(w, scoresTemplate, map[string]any{"S": s, "Footer": footer, "Charts": chartsOf(jobs)}, ScoresBottomLine(s), images)
}

// ScoresBottomLine says how good the forecasts were: the Brier score
// with its interval against the two baselines, and calibration.
func ScoresBottomLine(s *forecast.Scores) []string {
	if s.N == 0 {
		return []string{fmt.Sprintf("No question has resolved yet: %s listed, none scored.", plural(len(s.Unresolved), "forecast"))}
	}
	out := []string{fmt.Sprintf("Brier score %.3f (95%% bootstrap interval %.3f–%.3f) over %s; 0 is perfect, 0.25 is always saying 50%%.",
		s.Brier, s.BrierCI95[0], s.BrierCI95[1], plural(s.N, "resolved question"))}
	skill := fmt.Sprintf("Skill %+.2f against always 50%%", s.SkillHalf)
	if !math.IsNaN(s.SkillBase) {
		skill += fmt.Sprintf(" and %+.2f against the base rate (%s yes)", s.SkillBase, percent(s.BaseRate))
	}
	out = append(out, skill+"; above 0 beats the baseline.")
	if s.N < 30 {
		out = append(out, fmt.Sprintf("Only %s: the scores are indicative, their interval wide.", plural(s.N, "question")))
	}
	if len(s.Unresolved) > 0 {
		out = append(out, fmt.Sprintf("%s not yet resolved (listed, not scored).", plural(len(s.Unresolved), "question")))
	}
	return out
}

// plural writes a count with its noun: "1 bin", "6 bins".
func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

var scoresTemplate = template.Must(template.New("scores").Funcs(template.FuncMap{
	"pct": percent,
	"f3":  func(x float64) string { return fmt.Sprintf("%.3f", x) },
	"f4":  func(x float64) string { return fmt.Sprintf("%.4f", x) },
}).Parse(`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Forecast scores</title>
<style></style>
</head>
<body>
<h1>Forecast scores</h1>
<p class="meta">{{.Footer}}</p>
<div class="bottom-line-here"></div>
{{if .S.Warnings}}<div class="warn"><strong>Read with care</strong><ul>{{range .S.Warnings}}<li>{{.}}</li>{{end}}</ul></div>{{end}}
{{if .S.N}}<h2>Scores</h2>
<table>
<tr><th>Measure</th><th>Value</th><th>Reading</th></tr>
<tr><td>Brier score</td><td class="n">{{f3 .S.Brier}} ({{f3 (index .S.BrierCI95 0)}}–{{f3 (index .S.BrierCI95 1)}})</td><td>mean squared error of the probabilities; 95% bootstrap interval over questions</td></tr>
<tr><td>Log score</td><td class="n">{{f3 .S.Log}}</td><td>mean log of the probability given to what happened (probabilities clipped to [{{.S.Clip}}, 1 − {{.S.Clip}}]); higher is better</td></tr>
<tr><td>Reliability</td><td class="n">{{f4 .S.Reliability}}</td><td>Murphy decomposition: 0 is perfectly calibrated</td></tr>
<tr><td>Resolution</td><td class="n">{{f4 .S.Resolution}}</td><td>how far the forecasts separate the outcomes; higher is better</td></tr>
<tr><td>Uncertainty</td><td class="n">{{f4 .S.Uncertainty}}</td><td>base rate × (1 − base rate): what the questions make hard</td></tr>
<tr><td>Skill against always 50%</td><td class="n">{{f3 .S.SkillHalf}}</td><td>1 − Brier/0.25</td></tr>
<tr><td>Skill against the base rate</td><td class="n">{{f3 .S.SkillBase}}</td><td>1 − Brier/uncertainty</td></tr>
</table>
{{range .Charts}}<h2>{{.Title}}</h2>
<img src="{{.File}}" alt="{{.Title}}">
{{end}}
<h2>Questions</h2>
<table>
<tr><th>Question</th><th>As of</th><th>Forecast (Monte Carlo 95%)</th><th>Outcome</th><th>Resolved</th><th>Brier</th></tr>
{{range .S.Questions}}<tr><td>{{.Text}}</td><td>{{.AsOf}}</td><td class="n">{{pct .P}} ({{pct .Lo}}–{{pct .Hi}})</td><td>{{if .Yes}}yes{{else}}no{{end}}</td><td>{{.Date}}</td><td class="n">{{f3 .Brier}}</td></tr>
{{end}}</table>{{end}}
{{if .S.Unresolved}}<h2>Not yet resolved</h2>
<table>
<tr><th>Question</th><th>As of</th><th>Resolves by</th><th>Forecast (Monte Carlo 95%)</th></tr>
{{range .S.Unresolved}}<tr><td>{{.Text}}</td><td>{{.AsOf}}</td><td>{{.ResolveBy}}</td><td class="n">{{pct .P}} ({{pct .Lo}}–{{pct .Hi}})</td></tr>
{{end}}</table>{{end}}
<footer>Files: scores.json, questions.csv. Method: docs/FORECASTING.md.</footer>
</body>
</html>
`))

// binPoints draws each non-empty bin at (mean forecast, observed share)
// with the Wilson 95% interval of the observed share and its count.
type binPoints struct{ bins []forecast.Bin }

func (b binPoints) Plot(c draw.Canvas, p *plot.Plot) {
	trX, trY := p.Transforms(&c)
	for _, bin := range b.bins {
		if bin.N == 0 {
			continue
		}
		yes := int64(math.Round(bin.Observed * float64(bin.N)))
		lo, hi := stats.Proportion{Successes: yes, Trials: int64(bin.N)}.Wilson95()
		x := trX(100 * bin.MeanP)
		ls := draw.LineStyle{Color: accent, Width: vg.Points(1.5)}
		c.StrokeLine2(ls, x, trY(100*lo), x, trY(100*hi))
		r := vg.Points(4 + 2*math.Sqrt(float64(bin.N)))
		c.DrawGlyph(draw.GlyphStyle{Color: withAlpha(accent, 200), Radius: r, Shape: draw.CircleGlyph{}}, vg.Point{X: x, Y: trY(100 * bin.Observed)})
		st := style(sans, 12, ink)
		st.YAlign = draw.YCenter
		c.FillText(st, vg.Point{X: x + r + vg.Points(4), Y: trY(100 * bin.Observed)}, fmt.Sprintf("n = %d", bin.N))
	}
}

func (binPoints) DataRange() (xmin, xmax, ymin, ymax float64) { return 0, 100, 0, 100 }

func reliability(s *forecast.Scores, footer string) ([]byte, error) {
	p := newPlot("Forecast probability (%), mean within each bin", "Observed frequency (%)")
	diag, err := plotter.NewLine(plotter.XYs{{X: 0, Y: 0}, {X: 100, Y: 100}})
	if err != nil {
		return nil, err
	}
	diag.LineStyle = draw.LineStyle{Color: muted, Width: vg.Points(1), Dashes: []vg.Length{vg.Points(5), vg.Points(3)}}
	p.Add(plotter.NewGrid(), diag, binPoints{bins: s.Bins})
	p.X.Min, p.X.Max, p.Y.Min, p.Y.Max = -3, 103, -3, 103
	meta := Meta{Title: "Reliability diagram",
		Subtitle: fmt.Sprintf("%s, grouped in %s of 10 points; circle area grows with the count. Brier %.3f (95%% bootstrap %.3f–%.3f) · reliability %.3f · resolution %.3f · uncertainty %.3f",
			plural(s.N, "resolved question"), plural(nonEmpty(s.Bins), "non-empty bin"), s.Brier, s.BrierCI95[0], s.BrierCI95[1], s.Reliability, s.Resolution, s.Uncertainty),
		Footer: footer,
		Key: []keyItem{{Label: "mean forecast and observed frequency in a bin (n questions)", Color: withAlpha(accent, 200), Kind: "dot"},
			{Label: "Wilson 95% interval of the observed frequency", Color: accent, Kind: "line", Width: vg.Points(1.5)},
			{Label: "perfect calibration", Color: muted, Kind: "line", Width: vg.Points(1), Dash: []vg.Length{vg.Points(5), vg.Points(3)}}}}
	return renderBody(ChartWidth, ChartHeight, meta, plotBody(p))
}

func nonEmpty(bins []forecast.Bin) int {
	n := 0
	for _, b := range bins {
		if b.N > 0 {
			n++
		}
	}
	return n
}

// forecastRows draws each question's forecast with its interval, and
// what happened: a filled square at 100% for yes, an open one at 0% for
// no.
type forecastRows struct{ qs []forecast.Scored }

func (f forecastRows) Plot(c draw.Canvas, p *plot.Plot) {
	trX, trY := p.Transforms(&c)
	for i, q := range f.qs {
		y := trY(float64(i))
		ls := draw.LineStyle{Color: accent, Width: vg.Points(2)}
		c.StrokeLine2(ls, trX(100*q.Lo), y, trX(100*q.Hi), y)
		c.DrawGlyph(draw.GlyphStyle{Color: accent, Radius: vg.Points(4.5), Shape: draw.CircleGlyph{}}, vg.Point{X: trX(100 * q.P), Y: y})
		x, shape := trX(0), draw.GlyphDrawer(draw.BoxGlyph{})
		col := shockRed
		if q.Yes {
			x = trX(100)
			col = palette[2]
		}
		c.DrawGlyph(draw.GlyphStyle{Color: col, Radius: vg.Points(5), Shape: shape}, vg.Point{X: x, Y: y})
	}
}

func (f forecastRows) DataRange() (xmin, xmax, ymin, ymax float64) {
	return 0, 100, -0.6, float64(len(f.qs)) - 0.4
}

// maxForecastRows bounds the questions the forecasts chart shows (its
// height grows with them).
const maxForecastRows = 60

func forecastsChart(s *forecast.Scores, footer string) ([]byte, error) {
	qs := append([]forecast.Scored(nil), s.Questions...)
	subtitle := "Each question's forecast with its Monte Carlo 95% interval, and what happened"
	if len(qs) > maxForecastRows {
		sort.SliceStable(qs, func(i, j int) bool { return qs[i].Brier > qs[j].Brier })
		qs = qs[:maxForecastRows]
		subtitle = fmt.Sprintf("The %d of %d questions with the highest Brier score · ", maxForecastRows, len(s.Questions)) + subtitle
	}
	sort.SliceStable(qs, func(i, j int) bool { return qs[i].P < qs[j].P })
	p := newPlot("Forecast probability (%)", "")
	lst := style(sans, 13, ink)
	names := make([]string, len(qs))
	texts := make([]string, len(qs))
	for i, q := range qs {
		names[i] = strings.Join(wrapWidth(lst, q.Text, px(420)), "\n")
		outcome := "happened"
		if !q.Yes {
			outcome = "did not happen"
		}
		texts[i] = fmt.Sprintf("%s (MC %s)\n%s · Brier %.2f", percent(q.P), percentRange(q.Lo, q.Hi), outcome, q.Brier)
	}
	p.Add(plotter.NewGrid(), forecastRows{qs: qs})
	p.NominalY(names...)
	p.Y.Tick.Label = lst
	p.Y.Tick.Label.XAlign, p.Y.Tick.Label.YAlign = draw.XRight, draw.YCenter
	p.X.Min, p.X.Max = -4, 104
	meta := Meta{Title: "Forecasts and what happened",
		Subtitle: subtitle,
		Footer:   footer,
		Key: []keyItem{{Label: "forecast, with its Monte Carlo 95% interval", Color: accent, Kind: "dot"},
			{Label: "the event happened (at 100%)", Color: palette[2], Kind: "box"},
			{Label: "it did not (at 0%)", Color: shockRed, Kind: "box"}}}
	h := max(ChartHeight, 240+len(qs)*64)
	return renderBody(ChartWidth+200, h, meta, func(c draw.Canvas) error {
		drawWithColumn(c, p, texts, 12)
		return nil
	})
}
