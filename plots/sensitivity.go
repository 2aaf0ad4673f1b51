package plots

import (
	"bytes"
	"context"
	"fmt"
	"html/template"
	"math"
	"sort"

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
		jobs[k] = chartJob{o.File, func() ([]byte, error) { return chart(d, o) }}
	}
	if err := renderAll(ctx, w, jobs); err != nil {
		return err
	}
	var b bytes.Buffer
	if err := sensitivityTemplate.Execute(&b, d); err != nil {
		return err
	}
	return w.WriteFile("report.html", b.Bytes())
}

// indexBars draws, per input row, an S1 bar and an ST bar with their
// intervals.
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

type indexBars struct {
	s1, st []sensitivity.Estimate
	grey   []bool
}

func (b indexBars) Plot(c draw.Canvas, p *plot.Plot) {
	trX, trY := p.Transforms(&c)
	h := (trY(1) - trY(0)) * 0.2
	for i := range b.st {
		y := trY(float64(i))
		for part, e := range []sensitivity.Estimate{b.st[i], b.s1[i]} {
			col := accent
			if part == 1 {
				col = palette[5]
			}
			if b.grey[i] {
				col = withAlpha(muted, 255)
				if part == 1 {
					col = withAlpha(faint, 255)
				}
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
		st := style(sans, 12, ink)
		st.YAlign = draw.YCenter
		c.FillText(st, vg.Point{X: trX(clampIndex(b.st[i].Hi)) + vg.Points(5), Y: y + h*1.1}, fmt.Sprintf("ST %.2f", b.st[i].Value))
		c.FillText(st, vg.Point{X: trX(max(clampIndex(b.s1[i].Hi), 0)) + vg.Points(5), Y: y - h*1.1}, fmt.Sprintf("S1 %.2f", b.s1[i].Value))
	}
}

func (b indexBars) DataRange() (xmin, xmax, ymin, ymax float64) {
	return 0, 1, -0.6, float64(len(b.st)) - 0.4
}

func sobolChart(d SensitivityData, o SensitivityOutput) ([]byte, error) {
	order := make([]int, len(d.Inputs))
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(a, b int) bool { return o.ST[order[a]].Value < o.ST[order[b]].Value }) // largest on top
	bars := indexBars{}
	var names []string
	for _, i := range order {
		bars.s1, bars.st = append(bars.s1, o.S1[i]), append(bars.st, o.ST[i])
		bars.grey = append(bars.grey, d.Inputs[i] == d.Randomness)
		names = append(names, clip(d.Inputs[i], 48))
	}
	p := newPlot("Sobol index (share of the output's variance)", "")
	p.Add(plotter.NewGrid(), bars)
	p.NominalY(names...)
	p.Y.Tick.Label.XAlign, p.Y.Tick.Label.YAlign = draw.XRight, draw.YCenter
	p.X.Min, p.X.Max = 0, 1.15
	intervals := "bootstrap 95% intervals"
	if d.Design == sensitivity.DesignSobol {
		intervals = fmt.Sprintf("95%% intervals from %d independent replicates", d.Replicates)
	}
	meta := Meta{Title: o.Description, Subtitle: "Total (ST, dark) and first-order (S1, light) Sobol indices with " + intervals + ";\ngrey: the model's own randomness", Footer: d.footer()}
	h := max(ChartHeight, 200+len(names)*48)
	return renderPlot(ChartWidth, h, meta, p)
}

func morrisChart(d SensitivityData, o SensitivityOutput) ([]byte, error) {
	p := newPlot("μ*: mean absolute elementary effect (output units per normalised range)", "σ: standard deviation of the effects")
	var xy plotter.XYs
	var labels []string
	for i := range d.Inputs {
		xy = append(xy, plotter.XY{X: o.MuStar[i].Value, Y: o.Sigma[i]})
		labels = append(labels, clip(d.Inputs[i], 40))
	}
	sc, err := plotter.NewScatter(xy)
	if err != nil {
		return nil, err
	}
	sc.GlyphStyle = draw.GlyphStyle{Color: accent, Radius: vg.Points(4), Shape: draw.CircleGlyph{}}
	lab, err := plotter.NewLabels(plotter.XYLabels{XYs: xy, Labels: labels})
	if err != nil {
		return nil, err
	}
	for i := range lab.TextStyle {
		lab.TextStyle[i] = style(sans, 11, ink)
		lab.TextStyle[i].YAlign = draw.YCenter
	}
	lab.Offset = vg.Point{X: vg.Points(6)}
	maxX := 0.0
	for _, v := range xy {
		maxX = math.Max(maxX, math.Max(v.X, v.Y))
	}
	diag, err := plotter.NewLine(plotter.XYs{{X: 0, Y: 0}, {X: maxX, Y: maxX}})
	if err != nil {
		return nil, err
	}
	diag.LineStyle = draw.LineStyle{Color: faint, Width: vg.Points(1), Dashes: []vg.Length{vg.Points(4), vg.Points(3)}}
	p.Add(plotter.NewGrid(), diag, sc, lab)
	p.X.Min, p.Y.Min = 0, 0
	p.X.Max = maxX * 1.35
	meta := Meta{Title: o.Description, Subtitle: "Morris screening: right = more influential; above the dashed line (σ > μ*) = strongly non-linear or interacting", Footer: d.footer()}
	return renderPlot(ChartWidth, ChartHeight, meta, p)
}

// tornadoBars draws, per input, the output's range as the input goes from
// its 5% to its 95% quantile, around the base value.
type tornadoBars struct {
	base   float64
	low    []float64
	high   []float64
	labels []string
}

func (t tornadoBars) Plot(c draw.Canvas, p *plot.Plot) {
	trX, trY := p.Transforms(&c)
	h := (trY(1) - trY(0)) * 0.32
	for i := range t.low {
		y := trY(float64(i))
		for part, v := range []float64{t.low[i], t.high[i]} {
			col := palette[1]
			if part == 1 {
				col = palette[0]
			}
			x0, x1 := trX(t.base), trX(v)
			c.FillPolygon(withAlpha(col, 200), c.ClipPolygonXY([]vg.Point{{X: x0, Y: y - h}, {X: x1, Y: y - h}, {X: x1, Y: y + h}, {X: x0, Y: y + h}}))
		}
		st := style(sans, 11, muted)
		st.YAlign = draw.YCenter
		right := math.Max(t.low[i], t.high[i])
		c.FillText(st, vg.Point{X: trX(right) + vg.Points(5), Y: y}, t.labels[i])
	}
	c.StrokeLine2(draw.LineStyle{Color: ink, Width: vg.Points(1.2)}, trX(t.base), c.Min.Y, trX(t.base), c.Max.Y)
}

func (t tornadoBars) DataRange() (xmin, xmax, ymin, ymax float64) {
	xmin, xmax = t.base, t.base
	for i := range t.low {
		xmin = math.Min(xmin, math.Min(t.low[i], t.high[i]))
		xmax = math.Max(xmax, math.Max(t.low[i], t.high[i]))
	}
	pad := (xmax - xmin) * 0.3
	if pad == 0 {
		pad = 1
	}
	return xmin - pad*0.2, xmax + pad, -0.6, float64(len(t.low)) - 0.4
}

func tornadoChart(d SensitivityData, o SensitivityOutput) ([]byte, error) {
	e := o.OAT.Effects
	order := make([]int, len(e))
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(a, b int) bool {
		return math.Abs(e[order[a]].High-e[order[a]].Low) < math.Abs(e[order[b]].High-e[order[b]].Low)
	})
	t := tornadoBars{base: o.OAT.Base}
	var names []string
	for _, i := range order {
		t.low, t.high = append(t.low, e[i].Low), append(t.high, e[i].High)
		t.labels = append(t.labels, fmt.Sprintf("%s → %s", trimFloat(round3(e[i].LowValue)), trimFloat(round3(e[i].HighValue))))
		names = append(names, clip(d.Inputs[i], 48))
	}
	p := newPlot(fmt.Sprintf("%s (mean over %d runs; base %s)", o.Description, d.N, num(o.OAT.Base)), "")
	p.Add(plotter.NewGrid(), t)
	p.NominalY(names...)
	p.Y.Tick.Label.XAlign, p.Y.Tick.Label.YAlign = draw.XRight, draw.YCenter
	legendLow, _ := plotter.NewPolygon(plotter.XYs{{X: 0, Y: 0}})
	legendLow.Color = withAlpha(palette[1], 200)
	legendHigh, _ := plotter.NewPolygon(plotter.XYs{{X: 0, Y: 0}})
	legendHigh.Color = withAlpha(palette[0], 200)
	p.Legend.Add("input at its 5% quantile", legendLow)
	p.Legend.Add("input at its 95% quantile", legendHigh)
	p.Legend.Top = false
	meta := Meta{Title: o.Description, Subtitle: "Each uncertain parameter moved alone from its 5% to its 95% quantile, the others at their medians", Footer: d.footer()}
	h := max(ChartHeight, 200+len(names)*40)
	return renderPlot(ChartWidth, h, meta, p)
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
<style>
body { font-family: "Liberation Sans", Arial, Helvetica, sans-serif; max-width: 1240px; margin: 2em auto; color: #222; line-height: 1.45; padding: 0 1em; }
.meta { color: #666; }
img { width: 100%; height: auto; border: 1px solid #eee; margin: 0.5em 0 2em; }
.warn { background: #fff4e5; border-left: 4px solid #e69f00; padding: 0.5em 1em; }
</style>
</head>
<body>
<h1>Which assumptions drive each answer?</h1>
<p class="meta">{{.Title}} · method {{.Method}}{{with .DesignLabel}} · {{.}}{{end}} · N = {{.N}} · {{.Evaluations}} model evaluations · seed {{.Seed}} · {{.Version}}</p>
{{if eq .Method "sobol"}}<p>Sobol indices split each output's variance over the uncertain parameters. The first-order index S1 is the share a parameter explains alone; the total index ST adds its interactions with every other input. The model's own randomness enters as one more input ("{{.Randomness}}"): its total index is the share of variance the parameters leave unexplained.</p>
{{if eq .Design "sobol"}}<p>Design: quasi-random. The sample matrices A and B are the two halves of a scrambled Sobol' sequence (A from its first coordinates, B from its last), which covers the parameter space more evenly than independent random draws. That sharpens the part of each output's variance that the parameters explain smoothly; the part due to the model's own randomness is estimated with Monte Carlo precision by any design, so outputs dominated by it gain little. The N = {{.N}} base samples are {{.Replicates}} independent replicates of {{.ReplicatePoints}} points, each scrambled independently ({{.Scrambling}}); each index is the mean of its {{.Replicates}} replicate estimates, and its 95% interval is the Student t interval of that mean — valid because the replicates, unlike the points within one, are independent.</p>{{end}}
{{if eq .Design "random"}}<p>Design: pseudo-random. The sample matrices A and B are independent random draws; 95% intervals: {{.Intervals}}.</p>{{end}}{{end}}
{{if eq .Method "morris"}}<p>Morris screening moves one parameter at a time along random trajectories. μ* (the mean absolute elementary effect) ranks influence; σ large compared with μ* signals non-linear effects or interactions.</p>{{end}}
{{if eq .Method "oat"}}<p>Each uncertain parameter moved alone from its 5% to its 95% quantile, the others at their medians; each point is the mean over the same {{.N}} random streams.</p>{{end}}
{{if .Warnings}}<div class="warn"><strong>Warnings</strong><ul>{{range .Warnings}}<li>{{.}}</li>{{end}}</ul></div>{{end}}
{{if .Precision}}<h2>Precision</h2><p>{{.Precision}}</p>{{end}}
{{range .Outputs}}<h2>{{.Description}}</h2>
<p>{{.Summary}}</p>
<img src="{{.File}}" alt="{{.Description}}">
{{end}}
</body>
</html>
`))
