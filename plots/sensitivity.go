package plots

import (
	"context"
	"fmt"
	"html/template"
	"image/color"
	"math"
	"sort"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/geosim/geosim/sim/sensitivity"
)

// SensitivityData is what the sensitivity charts and report show.
type SensitivityData struct {
	Title, Scenario, Method string
	N                       int
	Seed                    uint64
	Evaluations             int
	Inputs                  []string
	Labels                  []string // the inputs' labels for readers; nil: the paths
	Version                 string
	Warnings                []string
	Randomness              string // the name of the model-randomness input
	// Design, Replicates, Scrambling and Intervals describe a Sobol
	// analysis's sample design (sensitivity.DesignSobol or DesignRandom).
	Design                string
	Replicates            int
	Scrambling, Intervals string
	// Precision, when set, says how precision mode chose N.
	Precision string
	Outputs   []SensitivityOutput
}

// ReplicatePoints is the number of points of each replicate of a
// quasi-random design.
func (d SensitivityData) ReplicatePoints() int {
	if d.Replicates < 1 {
		return d.N
	}
	return d.N / d.Replicates
}

// DesignLabel names a Sobol analysis's design in a few words, "" for
// other methods.
func (d SensitivityData) DesignLabel() string {
	switch d.Design {
	case sensitivity.DesignSobol:
		return fmt.Sprintf("quasi-random design (scrambled Sobol', %d replicates)", d.Replicates)
	case sensitivity.DesignRandom:
		return "pseudo-random design"
	}
	return ""
}

// SensitivityOutput is one output's indices and the sentence that ranks
// its drivers.
type SensitivityOutput struct {
	Name, Description, Summary string
	S1, ST                     []sensitivity.Estimate // Sobol
	MuStar                     []sensitivity.Estimate // Morris
	Sigma                      []float64
	OAT                        *sensitivity.OATOutput
	File                       string // chart file, set by WriteSensitivity
}

// LabelOf returns input i's label (for the report).
func (d SensitivityData) LabelOf(i int) string { return d.label(i) }

// label returns input i's label.
func (d SensitivityData) label(i int) string {
	if i < len(d.Labels) && d.Labels[i] != "" {
		return d.Labels[i]
	}
	return d.Inputs[i]
}

func (d SensitivityData) footer() string {
	method := d.Method
	if l := d.DesignLabel(); l != "" {
		method += ", " + l
	}
	return fmt.Sprintf("%s · %s · N = %d · %s model evaluations · seed %d · %s", d.Scenario, method, d.N, thousands(int64(d.Evaluations)), d.Seed, d.Version)
}

// WriteSensitivity renders one chart per output — Sobol S1 and ST bars
// with intervals, a Morris μ*–σ scatter, or a tornado of one-at-a-time
// effects — and report.html.
func WriteSensitivity(ctx context.Context, w FileWriter, d SensitivityData) error {
	prefix := map[string]string{"sobol": "sobol-", "morris": "morris-", "oat": "tornado-"}[d.Method]
	chart := map[string]func(SensitivityData, SensitivityOutput) ([]byte, error){"sobol": sobolChart, "morris": morrisChart, "oat": tornadoChart}[d.Method]
	if chart == nil {
		return fmt.Errorf("plots: unknown sensitivity method %q", d.Method)
	}
	jobs := make([]chartJob, len(d.Outputs))
	for k := range d.Outputs {
		d.Outputs[k].File = prefix + fileName(d.Outputs[k].Name) + ".png"
		o := d.Outputs[k]
		jobs[k] = chartJob{o.File, o.Description, func() ([]byte, error) { return chart(d, o) }}
	}
	images, err := renderImages(ctx, w, jobs)
	if err != nil {
		return err
	}
	return writePage(w, sensitivityTemplate, d, SensitivityBottomLine(d), images)
}

// clampIndex keeps an index, or an end of its interval, inside the
// chart's range [-0.05, 1.05]; a NaN (an output that never varies) is
// drawn at 0. The rasteriser must never see a non-finite or huge
// coordinate: it can loop for minutes on one.
func clampIndex(x float64) float64 {
	if math.IsNaN(x) {
		return 0
	}
	return min(max(x, -0.05), 1.05)
}

// indexBars draws, per input row, an ST bar above an S1 bar with their
// intervals.
type indexBars struct {
	s1, st []sensitivity.Estimate
	grey   []bool
}

// sobolColors are the total (dark) and first-order (light) bars, and
// the greys of the model's own randomness.
var sobolColors = [4]color.NRGBA{accent, palette[5], muted, faint}

func (b indexBars) Plot(c draw.Canvas, p *plot.Plot) {
	trX, trY := p.Transforms(&c)
	h := (trY(1) - trY(0)) * 0.2
	for i := range b.st {
		y := trY(float64(i))
		for part, e := range []sensitivity.Estimate{b.st[i], b.s1[i]} {
			col := sobolColors[part]
			if b.grey[i] {
				col = sobolColors[2+part]
			}
			yc := y + h*1.1
			if part == 1 {
				yc = y - h*1.1
			}
			x0, x1 := trX(0), trX(clampIndex(e.Value))
			c.FillPolygon(col, c.ClipPolygonXY([]vg.Point{{X: x0, Y: yc - h}, {X: x1, Y: yc - h}, {X: x1, Y: yc + h}, {X: x0, Y: yc + h}}))
			ls := draw.LineStyle{Color: ink, Width: vg.Points(1.2)}
			lo, hi := trX(clampIndex(e.Lo)), trX(clampIndex(e.Hi))
			c.StrokeLine2(ls, lo, yc, hi, yc)
			c.StrokeLine2(ls, lo, yc-h*0.6, lo, yc+h*0.6)
			c.StrokeLine2(ls, hi, yc-h*0.6, hi, yc+h*0.6)
		}
	}
}

func (b indexBars) DataRange() (xmin, xmax, ymin, ymax float64) {
	return 0, 1, -0.6, float64(len(b.st)) - 0.4
}

// minShownIndex is the smallest total index (upper end of its interval)
// a Sobol chart draws a row for; the parameters below it are named in
// the subtitle and listed in indices.csv.
const minShownIndex = 0.02

// maxShownInputs bounds the rows of a sensitivity chart.
const maxShownInputs = 14

// fmtIndex formats an index with two decimals, "<0.01" when smaller.
func fmtIndex(v float64) string {
	switch {
	case math.IsNaN(v):
		return "–"
	case math.Abs(v) < 0.005:
		return "<0.01"
	}
	return fmt.Sprintf("%.2f", v)
}

func sobolChart(d SensitivityData, o SensitivityOutput) ([]byte, error) {
	order := make([]int, len(d.Inputs))
	for i := range order {
		order[i] = i
	}
	st := func(i int) float64 { return finiteOr(o.ST[i].Value, 0) }
	sort.SliceStable(order, func(a, b int) bool { return st(order[a]) > st(order[b]) })
	var shown, hidden []int
	for k, i := range order {
		if k < 3 || d.Inputs[i] == d.Randomness || (finiteOr(o.ST[i].Hi, 0) >= minShownIndex && len(shown) < maxShownInputs) {
			shown = append(shown, i)
		} else {
			hidden = append(hidden, i)
		}
	}
	// Largest on top: the plot's rows count upward.
	for a, b := 0, len(shown)-1; a < b; a, b = a+1, b-1 {
		shown[a], shown[b] = shown[b], shown[a]
	}
	bars := indexBars{}
	var names, texts []string
	lst := style(sans, 13, ink)
	for _, i := range shown {
		bars.s1, bars.st = append(bars.s1, o.S1[i]), append(bars.st, o.ST[i])
		bars.grey = append(bars.grey, d.Inputs[i] == d.Randomness)
		names = append(names, strings.Join(wrapWidth(lst, d.label(i), px(360)), "\n"))
		texts = append(texts, fmt.Sprintf("total %s [%s–%s]\nfirst-order %s", fmtIndex(o.ST[i].Value), fmtIndex(o.ST[i].Lo), fmtIndex(o.ST[i].Hi), fmtIndex(o.S1[i].Value)))
	}
	intervals := "bootstrap 95% intervals"
	if d.Design == sensitivity.DesignSobol {
		intervals = fmt.Sprintf("95%% intervals from %d independent replicates", d.Replicates)
	}
	sub := "Share of the output's variance each uncertain parameter explains: total index (with interactions) and first-order index (alone), with " + intervals
	if len(hidden) > 0 {
		sub += fmt.Sprintf(". Not shown: %d parameters whose total index is below %.2f (indices.csv)", len(hidden), minShownIndex)
	}
	meta := Meta{Title: o.Description, Subtitle: sub, Footer: d.footer(), Key: []keyItem{
		{Label: "total index (ST)", Color: sobolColors[0], Kind: "box"},
		{Label: "first-order index (S1)", Color: sobolColors[1], Kind: "box"},
		{Label: "95% interval", Color: ink, Kind: "whisker"},
		{Label: "grey: the model's own randomness", Color: sobolColors[2], Kind: "box"},
	}}
	h := max(ChartHeight, 260+len(names)*56)
	return renderBody(ChartWidth, h, meta, func(c draw.Canvas) error {
		p := newPlot("Sobol index (share of the output's variance)", "")
		p.Add(plotter.NewGrid(), bars)
		p.NominalY(names...)
		p.Y.Tick.Label = lst
		p.Y.Tick.Label.XAlign, p.Y.Tick.Label.YAlign = draw.XRight, draw.YCenter
		p.X.Min, p.X.Max = -0.05, 1.05 // room for intervals that reach past the ends (sampling error)
		drawWithColumn(c, p, texts, 12)
		return nil
	})
}

// morrisBars draws, per input row, μ* as a bar with its bootstrap
// interval and σ as a diamond on the same scale.
type morrisBars struct {
	mu    []sensitivity.Estimate
	sigma []float64
	grey  []bool
}

func (b morrisBars) Plot(c draw.Canvas, p *plot.Plot) {
	trX, trY := p.Transforms(&c)
	h := (trY(1) - trY(0)) * 0.25
	for i := range b.mu {
		y := trY(float64(i))
		col := sobolColors[0]
		if b.grey[i] {
			col = sobolColors[2]
		}
		x0, x1 := trX(0), trX(finiteOr(b.mu[i].Value, 0))
		c.FillPolygon(col, c.ClipPolygonXY([]vg.Point{{X: x0, Y: y - h}, {X: x1, Y: y - h}, {X: x1, Y: y + h}, {X: x0, Y: y + h}}))
		if lo, hi := b.mu[i].Lo, b.mu[i].Hi; finite(lo, hi) {
			ls := draw.LineStyle{Color: ink, Width: vg.Points(1.2)}
			c.StrokeLine2(ls, trX(lo), y, trX(hi), y)
			c.StrokeLine2(ls, trX(lo), y-h*0.6, trX(lo), y+h*0.6)
			c.StrokeLine2(ls, trX(hi), y-h*0.6, trX(hi), y+h*0.6)
		}
		if s := b.sigma[i]; finite(s) {
			c.DrawGlyph(draw.GlyphStyle{Color: palette[0], Radius: vg.Points(5), Shape: draw.PyramidGlyph{}}, vg.Point{X: trX(s), Y: y})
		}
	}
}

func (b morrisBars) DataRange() (xmin, xmax, ymin, ymax float64) {
	for i := range b.mu {
		xmax = math.Max(xmax, finiteOr(b.mu[i].Hi, 0))
		xmax = math.Max(xmax, finiteOr(b.mu[i].Value, 0))
		xmax = math.Max(xmax, finiteOr(b.sigma[i], 0))
	}
	if xmax == 0 {
		xmax = 1
	}
	return 0, xmax * 1.03, -0.6, float64(len(b.mu)) - 0.4
}

// morrisChart ranks the inputs by μ* (Morris screening's measure of
// influence) as bars, with σ beside each: a ranked chart rather than the
// μ*–σ scatter, whose labels pile up where most parameters matter little.
func morrisChart(d SensitivityData, o SensitivityOutput) ([]byte, error) {
	order := make([]int, len(d.Inputs))
	for i := range order {
		order[i] = i
	}
	mu := func(i int) float64 { return finiteOr(o.MuStar[i].Value, 0) }
	sort.SliceStable(order, func(a, b int) bool { return mu(order[a]) > mu(order[b]) })
	shown := order[:min(maxShownInputs, len(order))]
	bars := morrisBars{}
	var names, texts []string
	lst := style(sans, 13, ink)
	for k := len(shown) - 1; k >= 0; k-- { // most influential on top
		i := shown[k]
		bars.mu, bars.sigma = append(bars.mu, o.MuStar[i]), append(bars.sigma, o.Sigma[i])
		bars.grey = append(bars.grey, d.Inputs[i] == d.Randomness)
		names = append(names, strings.Join(wrapWidth(lst, d.label(i), px(360)), "\n"))
		kind := "near linear"
		if o.Sigma[i] > o.MuStar[i].Value {
			kind = "non-linear or interacting"
		}
		texts = append(texts, fmt.Sprintf("μ* %s   σ %s\n%s", num(o.MuStar[i].Value), num(o.Sigma[i]), kind))
	}
	sub := "Morris screening: μ*, the mean absolute change of the output when the parameter moves across its range (bars, with bootstrap 95% intervals), ranks influence; σ, the spread of those changes, above μ* marks a non-linear or interacting effect"
	if hidden := len(order) - len(shown); hidden > 0 {
		sub += fmt.Sprintf(". Not shown: the %d parameters with the smallest μ*", hidden)
	}
	meta := Meta{Title: o.Description, Subtitle: sub, Footer: d.footer(), Key: []keyItem{
		{Label: "μ* (influence)", Color: sobolColors[0], Kind: "box"},
		{Label: "95% interval", Color: ink, Kind: "whisker"},
		{Label: "σ (spread of the effects)", Color: palette[0], Kind: "triangle"},
		{Label: "grey: the model's own randomness", Color: sobolColors[2], Kind: "box"},
	}}
	h := max(ChartHeight, 260+len(names)*50)
	return renderBody(ChartWidth, h, meta, func(c draw.Canvas) error {
		p := newPlot("Output units per normalised range of the parameter", "")
		p.Add(plotter.NewGrid(), bars)
		p.NominalY(names...)
		p.Y.Tick.Label = lst
		p.Y.Tick.Label.XAlign, p.Y.Tick.Label.YAlign = draw.XRight, draw.YCenter
		drawWithColumn(c, p, texts, 12)
		return nil
	})
}

// tornadoBars draws, per input, the output's range as the input goes from
// its 5% to its 95% quantile, around the base value.
type tornadoBars struct {
	base      float64
	low, high []float64
}

// tornadoColors tell the input's low and high quantiles apart.
var tornadoColors = [2]color.NRGBA{palette[1], palette[0]}

func (t tornadoBars) Plot(c draw.Canvas, p *plot.Plot) {
	trX, trY := p.Transforms(&c)
	h := (trY(1) - trY(0)) * 0.32
	c.StrokeLine2(draw.LineStyle{Color: muted, Width: vg.Points(1.2)}, trX(t.base), c.Min.Y, trX(t.base), c.Max.Y)
	for i := range t.low {
		y := trY(float64(i))
		for part, v := range []float64{t.low[i], t.high[i]} {
			x0, x1 := trX(t.base), trX(v)
			c.FillPolygon(withAlpha(tornadoColors[part], 210), c.ClipPolygonXY([]vg.Point{{X: x0, Y: y - h}, {X: x1, Y: y - h}, {X: x1, Y: y + h}, {X: x0, Y: y + h}}))
		}
	}
}

func (t tornadoBars) DataRange() (xmin, xmax, ymin, ymax float64) {
	xmin, xmax = t.base, t.base
	for i := range t.low {
		xmin = math.Min(xmin, math.Min(t.low[i], t.high[i]))
		xmax = math.Max(xmax, math.Max(t.low[i], t.high[i]))
	}
	pad := (xmax - xmin) * 0.05
	if pad == 0 {
		pad = 1
	}
	return xmin - pad, xmax + pad, -0.6, float64(len(t.low)) - 0.4
}

func tornadoChart(d SensitivityData, o SensitivityOutput) ([]byte, error) {
	e := o.OAT.Effects
	order := make([]int, len(e))
	for i := range order {
		order[i] = i
	}
	width := func(i int) float64 { return finiteOr(math.Abs(e[i].High-e[i].Low), 0) }
	sort.SliceStable(order, func(a, b int) bool { return width(order[a]) > width(order[b]) })
	shown := order[:min(maxShownInputs, len(order))]
	hidden := len(order) - len(shown)
	t := tornadoBars{base: o.OAT.Base}
	var names, texts []string
	lst := style(sans, 13, ink)
	for k := len(shown) - 1; k >= 0; k-- { // widest on top
		i := shown[k]
		t.low, t.high = append(t.low, e[i].Low), append(t.high, e[i].High)
		texts = append(texts, fmt.Sprintf("%s → %s\ninput %s → %s", num(e[i].Low), num(e[i].High), trimFloat(round3(e[i].LowValue)), trimFloat(round3(e[i].HighValue))))
		names = append(names, strings.Join(wrapWidth(lst, d.label(i), px(360)), "\n"))
	}
	sub := fmt.Sprintf("Each uncertain parameter moved alone from its 5%% to its 95%% quantile, the others at their medians; mean over %d runs each; grey line: all at their medians (%s)", d.N, num(o.OAT.Base))
	if hidden > 0 {
		sub += fmt.Sprintf(". Not shown: the %d parameters with the smallest effects", hidden)
	}
	meta := Meta{Title: o.Description, Subtitle: sub, Footer: d.footer(), Key: []keyItem{
		{Label: "parameter at its 5% quantile", Color: withAlpha(tornadoColors[0], 210), Kind: "box"},
		{Label: "parameter at its 95% quantile", Color: withAlpha(tornadoColors[1], 210), Kind: "box"},
		{Label: "all at their medians", Color: muted, Kind: "line", Width: vg.Points(1.2)},
	}}
	h := max(ChartHeight, 260+len(names)*50)
	return renderBody(ChartWidth, h, meta, func(c draw.Canvas) error {
		p := newPlot(o.Description+" (mean)", "")
		p.Add(plotter.NewGrid(), t)
		p.NominalY(names...)
		p.Y.Tick.Label = lst
		p.Y.Tick.Label.XAlign, p.Y.Tick.Label.YAlign = draw.XRight, draw.YCenter
		drawWithColumn(c, p, texts, 12)
		return nil
	})
}

func round3(x float64) float64 {
	if x == 0 {
		return 0
	}
	p := math.Pow(10, 2-math.Floor(math.Log10(math.Abs(x))))
	return math.Round(x*p) / p
}

var sensitivityTemplate = template.Must(template.New("sensitivity").Parse(`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Sensitivity: {{.Title}}</title>
<style></style>
</head>
<body>
<h1>Which assumptions drive each answer?</h1>
<p class="meta">{{.Title}} · method {{.Method}}{{with .DesignLabel}} · {{.}}{{end}} · N = {{.N}} · {{.Evaluations}} model evaluations · seed {{.Seed}} · {{.Version}}</p>
<div class="bottom-line-here"></div>
{{if eq .Method "sobol"}}<p>Sobol indices split each output's variance over the uncertain parameters. The first-order index S1 is the share a parameter explains alone; the total index ST adds its interactions with every other input. The model's own randomness enters as one more input ("{{.Randomness}}"): its total index is the share of variance the parameters leave unexplained.</p>
{{if eq .Design "sobol"}}<p>Design: quasi-random. The sample matrices A and B are the two halves of a scrambled Sobol' sequence (A from its first coordinates, B from its last), which covers the parameter space more evenly than independent random draws. That sharpens the part of each output's variance that the parameters explain smoothly; the part due to the model's own randomness is estimated with Monte Carlo precision by any design, so outputs dominated by it gain little. The N = {{.N}} base samples are {{.Replicates}} independent replicates of {{.ReplicatePoints}} points, each scrambled independently ({{.Scrambling}}); each index is the mean of its {{.Replicates}} replicate estimates, and its 95% interval is the Student t interval of that mean — valid because the replicates, unlike the points within one, are independent.</p>{{end}}
{{if eq .Design "random"}}<p>Design: pseudo-random. The sample matrices A and B are independent random draws; 95% intervals: {{.Intervals}}.</p>{{end}}{{end}}
{{if eq .Method "morris"}}<p>Morris screening moves one parameter at a time along random trajectories. μ* (the mean absolute elementary effect) ranks influence; σ large compared with μ* signals non-linear effects or interactions.</p>{{end}}
{{if eq .Method "oat"}}<p>Each uncertain parameter moved alone from its 5% to its 95% quantile, the others at their medians; each point is the mean over the same {{.N}} random streams.</p>{{end}}
{{if .Warnings}}<div class="warn"><strong>Warnings</strong><ul>{{range .Warnings}}<li>{{.}}</li>{{end}}</ul></div>{{end}}
{{if .Precision}}<h2>Precision</h2><p>{{.Precision}}</p>{{end}}
<h2>Method</h2>
<p>Parameters are named for readers; their paths (as in the scenario file and indices.csv) are listed at the end.</p>
{{range .Outputs}}<h2>{{.Description}}</h2>
<p>{{.Summary}}</p>
<img src="{{.File}}" alt="{{.Description}}">
{{end}}
<h2>Parameters</h2>
<table>
<tr><th>Parameter</th><th>Path</th></tr>
{{range $i, $p := .Inputs}}<tr><td>{{$.LabelOf $i}}</td><td><code>{{$p}}</code></td></tr>
{{end}}</table>
<footer>Files: sensitivity.json, indices.csv. Method: docs/SENSITIVITY.md.</footer>
</body>
</html>
`))

// SensitivityBottomLine names, for the first outputs, the parameters
// that drive them most (the summary sentence of each).
func SensitivityBottomLine(d SensitivityData) []string {
	var out []string
	for _, o := range d.Outputs[:min(4, len(d.Outputs))] {
		if o.Summary != "" {
			out = append(out, o.Description+": "+o.Summary)
		}
	}
	if len(d.Warnings) > 0 {
		out = append(out, fmt.Sprintf("%s below: read the indices with them in mind.", plural(len(d.Warnings), "warning")))
	}
	return out
}
