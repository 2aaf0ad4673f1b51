package plots

import (
	"context"
	"fmt"
	"html/template"
	"image/color"
	"math"
	"sort"
	"strconv"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/geosim/geosim/output"
)

// whiskers draws, per row at y = index, the difference as a dot with its
// paired 95% interval (thick) over the unpaired one (thin, grey).
type whiskers struct {
	rows  []output.ComparisonRow
	scale float64 // 100 for probabilities (percentage points)
	color color.NRGBA
}

func (w whiskers) Plot(c draw.Canvas, p *plot.Plot) {
	trX, trY := p.Transforms(&c)
	x0 := trX(0)
	if x0 >= c.Min.X && x0 <= c.Max.X {
		c.StrokeLine2(draw.LineStyle{Color: muted, Width: vg.Points(1)}, x0, c.Min.Y, x0, c.Max.Y)
	}
	for i, r := range w.rows {
		y := trY(float64(i))
		// An interval is NaN with a single run (no variance): the
		// whisker is left out, the difference still shown.
		if lo, hi := w.scale*float64(r.Unpaired95[0]), w.scale*float64(r.Unpaired95[1]); finite(lo, hi) {
			c.StrokeLine2(draw.LineStyle{Color: faint, Width: vg.Points(5)}, trX(lo), y, trX(hi), y)
		}
		if lo, hi := w.scale*float64(r.Paired95[0]), w.scale*float64(r.Paired95[1]); finite(lo, hi) {
			c.StrokeLine2(draw.LineStyle{Color: w.color, Width: vg.Points(2.5)}, trX(lo), y, trX(hi), y)
		}
		if d := w.scale * float64(r.Difference); finite(d) {
			c.DrawGlyph(draw.GlyphStyle{Color: w.color, Radius: vg.Points(4.5), Shape: draw.CircleGlyph{}}, vg.Point{X: trX(d), Y: y})
		}
	}
}

func (w whiskers) DataRange() (xmin, xmax, ymin, ymax float64) {
	xmin, xmax = 0, 0
	for _, r := range w.rows {
		for _, v := range []output.Float{r.Unpaired95[0], r.Unpaired95[1], r.Difference} {
			if x := w.scale * float64(v); finite(x) {
				xmin, xmax = math.Min(xmin, x), math.Max(xmax, x)
			}
		}
	}
	pad := (xmax - xmin) * 0.05
	if pad == 0 {
		pad = 1
	}
	return xmin - pad, xmax + pad, -0.6, float64(len(w.rows)) - 0.4
}

// finite reports whether every value is a finite number.
func finite(xs ...float64) bool {
	for _, x := range xs {
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return false
		}
	}
	return true
}

// WriteComparison renders a comparison's charts — per compared
// scenario, both scenarios' values and their difference with paired and
// unpaired 95% intervals (differences-KEY.png); per common outcome, the
// scenarios' distributions overlaid (overlay-OUTCOME.png) — and
// report.html.
func WriteComparison(ctx context.Context, w FileWriter, c *output.Comparison, summaries []*output.Summary) error {
	var jobs []chartJob
	for k := 1; k < len(c.Scenarios); k++ {
		k := k
		jobs = append(jobs, chartJob{"differences-" + fileName(c.Scenarios[k].FileKey()) + ".png", c.Scenarios[k].Display() + " against " + c.Scenarios[0].Display(), func() ([]byte, error) { return differences(c, k) }})
	}
	for _, o := range summaries[0].Outcomes {
		name, desc := o.Name, o.Description
		jobs = append(jobs, chartJob{"overlay-" + fileName(name) + ".png", desc, func() ([]byte, error) { return overlay(c, summaries, name) }})
	}
	images, err := renderImages(ctx, w, jobs)
	if err != nil {
		return err
	}
	return comparisonHTML(w, c, summaries, jobs, images)
}

func compareFooter(c *output.Comparison) string {
	return fmt.Sprintf("%s runs per scenario on common random numbers · seed %d · %s %s", thousands(c.Runs), c.Seed, c.Tool, c.Version)
}

// levelText gives a row's two values and difference: "A 12% → B 35%
// +23.0 pp" for events, "A 3.19 → B 3.40 +0.21" for outcomes, with the
// paired interval on a second line.
func levelText(r output.ComparisonRow, pp bool) string {
	if pp {
		return fmt.Sprintf("%s → %s   %s pp\npaired 95%%: %s to %s pp", percent(float64(r.Reference)), percent(float64(r.Value)), signedFixed(100*float64(r.Difference), 1),
			signedFixed(100*float64(r.Paired95[0]), 1), signedFixed(100*float64(r.Paired95[1]), 1))
	}
	return fmt.Sprintf("%s → %s   %s\npaired 95%%: %s to %s", num(float64(r.Reference)), num(float64(r.Value)), signedFixed(float64(r.Difference), 2),
		signedFixed(float64(r.Paired95[0]), 2), signedFixed(float64(r.Paired95[1]), 2))
}

// signedFixed writes x with its sign and the given decimals, 0 without a
// sign when it rounds to zero, and a typographic minus.
func signedFixed(x float64, decimals int) string {
	s := strconv.FormatFloat(x, 'f', decimals, 64)
	if strings.Trim(s, "-0.") == "" {
		return strconv.FormatFloat(0, 'f', decimals, 64)
	}
	if x > 0 {
		return "+" + s
	}
	return strings.Replace(s, "-", "−", 1)
}

// differences stacks one dot-and-whisker panel for the events and one
// per outcome unit, each row labelled with both scenarios' values.
func differences(c *output.Comparison, k int) ([]byte, error) {
	type group struct {
		title, axis string
		scale       float64
		rows        []output.ComparisonRow
	}
	var groups []*group
	byUnit := map[string]*group{}
	for _, r := range c.Rows {
		if r.Scenario != k {
			continue
		}
		key := r.Kind + "|" + r.Unit
		g, ok := byUnit[key]
		if !ok {
			if r.Kind == "event" {
				g = &group{title: "Events: probability in A → in B, and the difference", axis: "Difference in probability, B − A (percentage points)", scale: 100}
			} else {
				unit, _, _ := strings.Cut(r.Unit, ",")
				g = &group{title: "Outcomes (" + unit + "): mean in A → in B, and the difference", axis: "Difference in mean, B − A (" + unit + ")", scale: 1}
			}
			byUnit[key] = g
			groups = append(groups, g)
		}
		g.rows = append(g.rows, r)
	}
	total := 0
	for _, g := range groups {
		total += len(g.rows) + 3
	}
	height := max(ChartHeight, 230+total*46)
	ref, other := c.Scenarios[0], c.Scenarios[k]
	meta := Meta{
		Title:    fmt.Sprintf("%s (B) against %s (A)", other.Display(), ref.Display()),
		Subtitle: fmt.Sprintf("%s runs of each on common random numbers", thousands(c.Runs)),
		Footer:   compareFooter(c),
		Key: []keyItem{{Label: "difference B − A", Color: accent, Kind: "dot"},
			{Label: "paired 95% interval (common random numbers)", Color: accent, Kind: "line", Width: vg.Points(2.5)},
			{Label: "95% interval independent runs would give", Color: faint, Kind: "line", Width: vg.Points(5)}},
	}
	return renderBody(ChartWidth, height, meta, func(cv draw.Canvas) error {
		top := cv.Max.Y
		unit := (cv.Max.Y - cv.Min.Y) / vg.Length(total)
		lst := style(sans, 13, ink)
		for _, g := range groups {
			h := unit * vg.Length(len(g.rows)+3)
			cell := cv
			cell.Max.Y, cell.Min.Y = top, top-h
			top -= h
			rows := make([]output.ComparisonRow, len(g.rows)) // first row on top
			names := make([]string, len(g.rows))
			texts := make([]string, len(g.rows))
			for i, r := range g.rows {
				j := len(rows) - 1 - i
				rows[j] = r
				names[j] = strings.Join(wrapWidth(lst, r.Description, px(330)), "\n")
				texts[j] = levelText(r, g.scale == 100)
			}
			p := newPlot(g.axis, "")
			p.Add(plotter.NewGrid(), whiskers{rows: rows, scale: g.scale, color: accent})
			p.NominalY(names...)
			p.Y.Tick.Label = lst
			p.Y.Tick.Label.XAlign, p.Y.Tick.Label.YAlign = draw.XRight, draw.YCenter
			st := style(sansBold, 15, ink)
			cv.FillText(st, vg.Point{X: cell.Min.X + px(8), Y: cell.Max.Y}, fitText(st, g.title, cell.Max.X-cell.Min.X))
			cell.Max.Y -= lineHeight(st) + px(4)
			drawWithColumn(cell, p, texts, 12)
		}
		return nil
	})
}

// overlay draws each scenario's distribution of one outcome as a line of
// shares over the histogram's bins.
func overlay(c *output.Comparison, summaries []*output.Summary, name string) ([]byte, error) {
	var desc, xLabel string
	p := newPlot("", "Share of runs per unit (%)")
	var key []keyItem
	for k, s := range summaries {
		for _, o := range s.Outcomes {
			if o.Name != name {
				continue
			}
			desc = o.Description
			xLabel = outcomeAxis(o)
			total := 0.0
			for _, n := range o.Histogram.Counts {
				total += float64(n)
			}
			var xy plotter.XYs
			w := float64(o.Histogram.Width)
			for i, n := range o.Histogram.Counts {
				x := float64(o.Histogram.Edges[i])
				share := 100 * float64(n) / total / w // a density: bin widths may differ
				xy = append(xy, plotter.XY{X: x, Y: share}, plotter.XY{X: x + w, Y: share})
			}
			line, err := plotter.NewLine(xy)
			if err != nil {
				return nil, err
			}
			col := palette[k%len(palette)]
			line.LineStyle = draw.LineStyle{Color: col, Width: vg.Points(2.2)}
			if k >= len(palette) {
				line.LineStyle.Dashes = []vg.Length{vg.Points(6), vg.Points(3)}
			}
			p.Add(line)
			key = append(key, keyItem{Label: fmt.Sprintf("%s (median %s)", c.Scenarios[k].Display(), num(float64(o.Quantiles.P50))), Color: col, Kind: "line", Dash: line.LineStyle.Dashes})
		}
	}
	p.X.Label.Text = xLabel
	p.Add(plotter.NewGrid())
	p.Y.Min = 0
	meta := Meta{Title: desc, Subtitle: "Distribution over runs in each scenario, as the share of runs per unit of the outcome", Footer: compareFooter(c), Key: key}
	return renderBody(ChartWidth, ChartHeight, meta, plotBody(p))
}

var comparisonTemplate = template.Must(template.New("comparison").Funcs(template.FuncMap{
	"pct": func(f output.Float) string { return percent(float64(f)) },
	"pp":  func(f output.Float) string { return signedFixed(100*float64(f), 1) },
	"num": func(f output.Float) string { return num(float64(f)) },
	"d2":  func(f output.Float) string { return signedFixed(float64(f), 2) },
}).Parse(`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Comparison: {{.Title}}</title>
<style></style>
</head>
<body>
<h1>Comparison: {{.Title}}</h1>
<p class="meta">{{.Runs}} runs per scenario on common random numbers (run i of every scenario uses the same random streams, so that differences are the scenarios', not noise) · seed {{.C.Seed}} · {{.C.Tool}} {{.C.Version}}</p>
<div class="bottom-line-here"></div>
{{if .C.Warnings}}<div class="warn"><strong>Read with care</strong><ul>{{range .C.Warnings}}<li>{{.}}</li>{{end}}</ul></div>{{end}}
<h2>Scenarios</h2>
<table>
<tr><th></th><th>Scenario</th><th>Title</th><th>File (SHA-256)</th></tr>
{{range $i, $s := .C.Scenarios}}<tr><td>{{index $.Letters $i}}</td><td>{{$s.Display}}</td><td>{{$s.Title}}</td><td><code>{{$s.File}}</code> ({{printf "%.12s" $s.SHA256}}…)</td></tr>
{{end}}</table>
{{range .Pairs}}<h2>{{.Title}}</h2>
<p>Probabilities in each scenario and their difference in percentage points (pp); outcome means and their difference. The paired 95% interval uses the common random numbers; the unpaired one is what independent runs would give.</p>
<table>
<tr><th>Event</th><th>A</th><th>B</th><th>B − A</th><th>Paired 95%</th><th>Unpaired 95%</th></tr>
{{range .Events}}<tr><td>{{.Description}}</td><td class="n">{{pct .Reference}}</td><td class="n">{{pct .Value}}</td><td class="n">{{pp .Difference}} pp</td><td class="n">{{pp (index .Paired95 0)}} to {{pp (index .Paired95 1)}} pp</td><td class="n">{{pp (index .Unpaired95 0)}} to {{pp (index .Unpaired95 1)}} pp</td></tr>
{{end}}</table>
<table>
<tr><th>Outcome (mean)</th><th>Unit</th><th>A</th><th>B</th><th>B − A</th><th>Paired 95%</th><th>Unpaired 95%</th></tr>
{{range .Outcomes}}<tr><td>{{.Description}}</td><td>{{.Unit}}</td><td class="n">{{num .Reference}}</td><td class="n">{{num .Value}}</td><td class="n">{{d2 .Difference}}</td><td class="n">{{d2 (index .Paired95 0)}} to {{d2 (index .Paired95 1)}}</td><td class="n">{{d2 (index .Unpaired95 0)}} to {{d2 (index .Unpaired95 1)}}</td></tr>
{{end}}</table>
<img src="{{.File}}" alt="{{.Title}}">
{{end}}
<h2>Distributions</h2>
<div class="grid">{{range .Overlays}}<img src="{{.}}" alt="distribution">
{{end}}</div>
<footer>Files: comparison.json, comparison.csv, scenarios/KEY.summary.json (each scenario's full summary).</footer>
</body>
</html>
`))

// comparisonHTML writes the comparison's report.html.
func comparisonHTML(w FileWriter, c *output.Comparison, summaries []*output.Summary, jobs []chartJob, images map[string][]byte) error {
	type pair struct {
		Title            string
		File             string
		Events, Outcomes []output.ComparisonRow
	}
	var pairs []pair
	var overlays []string
	for _, j := range jobs {
		if strings.HasPrefix(j.file, "overlay-") {
			overlays = append(overlays, j.file)
		}
	}
	for k := 1; k < len(c.Scenarios); k++ {
		p := pair{Title: fmt.Sprintf("%s (B) against %s (A)", c.Scenarios[k].Display(), c.Scenarios[0].Display()), File: "differences-" + fileName(c.Scenarios[k].FileKey()) + ".png"}
		for _, r := range c.Rows {
			if r.Scenario != k {
				continue
			}
			if r.Kind == "event" {
				p.Events = append(p.Events, r)
			} else {
				p.Outcomes = append(p.Outcomes, r)
			}
		}
		pairs = append(pairs, p)
	}
	var names []string
	for _, s := range c.Scenarios {
		names = append(names, s.Display())
	}
	letters := []string{}
	for i := range c.Scenarios {
		letters = append(letters, string(rune('A'+i%26)))
	}
	data := map[string]any{"C": c, "Title": strings.Join(names, " vs "), "Runs": thousands(c.Runs), "Pairs": pairs, "Overlays": overlays, "Letters": letters}
	return writePage(w, comparisonTemplate, data, CompareBottomLine(c), images)
}

// CompareBottomLine names, per compared scenario, the events whose
// probability differs most from the reference's (paired interval clear
// of zero), in percentage points.
func CompareBottomLine(c *output.Comparison) []string {
	var out []string
	for k := 1; k < len(c.Scenarios); k++ {
		var rows []output.ComparisonRow
		for _, r := range c.Rows {
			if r.Scenario == k && r.Kind == "event" && (r.Paired95[0] > 0 || r.Paired95[1] < 0) {
				rows = append(rows, r)
			}
		}
		sort.SliceStable(rows, func(i, j int) bool {
			return math.Abs(float64(rows[i].Difference)) > math.Abs(float64(rows[j].Difference))
		})
		if len(rows) == 0 {
			out = append(out, fmt.Sprintf("%s against %s: no event's probability differs beyond the Monte Carlo error.", c.Scenarios[k].Display(), c.Scenarios[0].Display()))
			continue
		}
		var parts []string
		for _, r := range rows[:min(4, len(rows))] {
			parts = append(parts, fmt.Sprintf("%s %s → %s (%s pp)", r.Description, percent(float64(r.Reference)), percent(float64(r.Value)), signedFixed(100*float64(r.Difference), 1)))
		}
		out = append(out, fmt.Sprintf("%s against %s: %s.", c.Scenarios[k].Display(), c.Scenarios[0].Display(), strings.Join(parts, "; ")))
	}
	return out
}

// zeroLine marks x = 0 across the data area.
type zeroLine struct{}

func (zeroLine) Plot(c draw.Canvas, p *plot.Plot) {
	trX, _ := p.Transforms(&c)
	x := trX(0)
	if x >= c.Min.X && x <= c.Max.X {
		c.StrokeLine2(draw.LineStyle{Color: muted, Width: vg.Points(1)}, x, c.Min.Y, x, c.Max.Y)
	}
}
