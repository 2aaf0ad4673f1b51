package plots

import (
	"context"
	"fmt"
	"image/color"
	"math"
	"regexp"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/geosim/geosim/backtest"
	"github.com/geosim/geosim/forecast"
	"github.com/geosim/geosim/sim"
	"github.com/geosim/geosim/sim/stats"
)

// BacktestData is what the charts and report of a backtest show.
type BacktestData struct {
	Name, Title, Description string
	File, SHA256, Version    string
	Spec                     *backtest.Spec
	Plan                     *backtest.Plan
	Rows                     []backtest.Row
	Groups                   []backtest.Group
	Runs                     int
	Seed                     uint64
}

func (d BacktestData) footer() string {
	return fmt.Sprintf("%s · %d origins %s–%s · %d runs per origin · seed %d · geosim %s",
		d.File, len(d.Plan.Origins), d.Plan.Origins[0].Month, d.Plan.Origins[len(d.Plan.Origins)-1].Month, d.Runs, d.Seed, d.Version)
}

// Colours of the forecasters in every backtest chart.
var forecasterColors = []color.NRGBA{accent, palette[0], palette[3], muted}

// horizonColors tell the horizons apart (up to five; then they repeat).
var horizonColors = []color.NRGBA{palette[5], palette[1], {R: 0x0b, G: 0x2a, B: 0x5c, A: 0xff}, palette[2], palette[4]}

// WriteBacktest renders a backtest's charts — reliability.png (with the
// sharpness histogram), skill.png and one timeline-TEMPLATE.png per
// question template — and report.html, which embeds them.
func WriteBacktest(ctx context.Context, w FileWriter, d BacktestData) error {
	if len(d.Rows) == 0 || len(d.Groups) == 0 {
		return fmt.Errorf("no resolved questions to chart")
	}
	jobs := []chartJob{
		{"reliability.png", "Reliability and sharpness", func() ([]byte, error) { return backtestReliability(d) }},
		{"skill.png", "Skill per question and horizon", func() ([]byte, error) { return backtestSkill(d) }},
	}
	for t, tpl := range d.Spec.Templates {
		jobs = append(jobs, chartJob{timelineFile(tpl.ID), "Over time: " + templateLabel(tpl), func() ([]byte, error) { return backtestTimeline(d, t) }})
	}
	files := memFiles{}
	if err := renderAll(ctx, files, jobs); err != nil {
		return err
	}
	images := make([][]byte, len(jobs))
	for i, j := range jobs {
		images[i] = files[j.file]
		if err := w.WriteFile(j.file, images[i]); err != nil {
			return err
		}
	}
	html, err := backtestHTML(d, jobs, images)
	if err != nil {
		return err
	}
	return w.WriteFile("report.html", html)
}

// templateLabel names a question template for readers: its question
// with the placeholders filled by "…" and the window left out ("Will Kim
// Jong Un and Xi Jinping hold a summit?"), or its id when it has no text.
func templateLabel(t backtest.Template) string {
	if strings.TrimSpace(t.Text) == "" {
		return t.ID
	}
	q := placeholder.ReplaceAllString(t.Text, "…")
	for _, window := range []string{" between … and …", " from … to …", " by …"} {
		q = strings.Replace(q, window+"?", "?", 1)
	}
	return q
}

var placeholder = regexp.MustCompile(`\{[a-z]+\}`)

func timelineFile(id string) string { return "timeline-" + fileName(id) + ".png" }

// colorBins draws each non-empty bin of a reliability diagram at (mean
// forecast, observed share) with the Wilson 95% interval of the share;
// the circle's area grows with the bin's count.
type colorBins struct {
	bins  []forecast.Bin
	color color.NRGBA
	dx    float64 // horizontal offset in points, so that two series do not hide each other
	most  int     // the largest count among the series drawn: it gets the largest circle
}

func (b colorBins) Plot(c draw.Canvas, p *plot.Plot) {
	trX, trY := p.Transforms(&c)
	for _, bin := range b.bins {
		if bin.N == 0 {
			continue
		}
		x := trX(100*bin.MeanP) + vg.Points(b.dx)
		r := vg.Points(3 + 13*math.Sqrt(float64(bin.N)/float64(max(b.most, 1))))
		c.DrawGlyph(draw.GlyphStyle{Color: withAlpha(b.color, 120), Radius: r, Shape: draw.CircleGlyph{}}, vg.Point{X: x, Y: trY(100 * bin.Observed)})
	}
	for _, bin := range b.bins {
		if bin.N == 0 {
			continue
		}
		yes := int64(math.Round(bin.Observed * float64(bin.N)))
		lo, hi := forecastProportion(yes, bin.N)
		x := trX(100*bin.MeanP) + vg.Points(b.dx)
		c.StrokeLine2(draw.LineStyle{Color: b.color, Width: vg.Points(1.8)}, x, trY(100*lo), x, trY(100*hi))
		c.DrawGlyph(draw.GlyphStyle{Color: b.color, Radius: vg.Points(2.5), Shape: draw.CircleGlyph{}}, vg.Point{X: x, Y: trY(100 * bin.Observed)})
	}
}

func (colorBins) DataRange() (xmin, xmax, ymin, ymax float64) { return 0, 100, 0, 100 }

// Thumbnail draws the legend entry.
func (b colorBins) Thumbnail(c *draw.Canvas) {
	mid := vg.Point{X: (c.Min.X + c.Max.X) / 2, Y: (c.Min.Y + c.Max.Y) / 2}
	c.DrawGlyph(draw.GlyphStyle{Color: withAlpha(b.color, 120), Radius: vg.Points(6), Shape: draw.CircleGlyph{}}, mid)
	c.DrawGlyph(draw.GlyphStyle{Color: b.color, Radius: vg.Points(2.5), Shape: draw.CircleGlyph{}}, mid)
}

// binBars is the sharpness histogram: per bin, one bar per series.
type binBars struct {
	counts [][]int // [series][bin]
	colors []color.NRGBA
}

func (b binBars) Plot(c draw.Canvas, p *plot.Plot) {
	trX, trY := p.Transforms(&c)
	ns := len(b.counts)
	for s, counts := range b.counts {
		width := 100.0 / float64(len(counts))
		bar := width * 0.8 / float64(ns)
		for k, n := range counts {
			if n == 0 {
				continue
			}
			x0 := float64(k)*width + width*0.1 + float64(s)*bar
			pts := []vg.Point{{X: trX(x0), Y: trY(0)}, {X: trX(x0 + bar), Y: trY(0)}, {X: trX(x0 + bar), Y: trY(float64(n))}, {X: trX(x0), Y: trY(float64(n))}}
			c.FillPolygon(b.colors[s], pts)
			st := style(sans, 10, ink)
			st.XAlign, st.YAlign = draw.XCenter, draw.YBottom
			c.FillText(st, vg.Point{X: trX(x0 + bar/2), Y: trY(float64(n)) + vg.Points(2)}, fmt.Sprint(n))
		}
	}
}

func (b binBars) DataRange() (xmin, xmax, ymin, ymax float64) {
	top := 1
	for _, counts := range b.counts {
		for _, n := range counts {
			top = max(top, n)
		}
	}
	return 0, 100, 0, float64(top) * 1.15
}

// legendSwatch is a filled square for a legend.
type legendSwatch struct{ color color.NRGBA }

func (l legendSwatch) Thumbnail(c *draw.Canvas) {
	c.FillPolygon(l.color, []vg.Point{c.Min, {X: c.Max.X, Y: c.Min.Y}, c.Max, {X: c.Min.X, Y: c.Max.Y}})
}

func backtestReliability(d BacktestData) ([]byte, error) {
	all := d.Groups[0]
	show := []int{backtest.Model, backtest.Climatology}
	top := newPlot("Forecast probability (%), mean within each bin", "Observed frequency (%)")
	diag, err := plotter.NewLine(plotter.XYs{{X: 0, Y: 0}, {X: 100, Y: 100}})
	if err != nil {
		return nil, err
	}
	diag.LineStyle = draw.LineStyle{Color: muted, Width: vg.Points(1), Dashes: []vg.Length{vg.Points(5), vg.Points(3)}}
	top.Add(plotter.NewGrid(), diag)
	top.Legend.Add("perfect calibration", diag)
	bottom := newPlot("Forecast probability (%), bins of 10 points", "Forecasts in the bin")
	bars := binBars{}
	most := 0
	for _, f := range show {
		for _, b := range all.Scores[f].Murphy.Bins {
			most = max(most, b.N)
		}
	}
	for i, f := range show {
		s := all.Scores[f]
		cb := colorBins{bins: s.Murphy.Bins, color: forecasterColors[f], dx: float64(i*2-1) * 3, most: most}
		top.Add(cb)
		top.Legend.Add(fmt.Sprintf("%s (Brier %.3f, reliability %.3f, resolution %.3f)", s.Forecaster, s.Brier, s.Murphy.Reliability, s.Murphy.Resolution), cb)
		var counts []int
		for _, b := range s.Murphy.Bins {
			counts = append(counts, b.N)
		}
		bars.counts = append(bars.counts, counts)
		bars.colors = append(bars.colors, withAlpha(forecasterColors[f], 210))
		bottom.Legend.Add(s.Forecaster, legendSwatch{withAlpha(forecasterColors[f], 210)})
	}
	bottom.Add(plotter.NewGrid(), bars)
	top.Legend.Top, top.Legend.Left = false, false // bottom right: forecasts of 90% that came true 10% of the time are rare
	top.Legend.XOffs, top.Legend.YOffs = -vg.Points(10), vg.Points(10)
	bottom.Legend.Top = true
	top.X.Min, top.X.Max, top.Y.Min, top.Y.Max = 0, 100, 0, 100
	bottom.X.Min, bottom.X.Max = 0, 100
	m := all.Scores[backtest.Model]
	meta := Meta{Title: "Reliability and sharpness: all questions",
		Subtitle: fmt.Sprintf("%d resolved questions at %d origins, %.0f%% resolved yes · circle area: the bin's count; whiskers: Wilson 95%% interval\nThe model's forecasts below 10%% or above 90%%: %d, of which %s right",
			all.N, all.Origins, 100*all.BaseRate, m.Confident, shareText(m.ConfidentRight, m.Confident)),
		Footer: d.footer()}
	return render(ChartWidth, 1150, func(c draw.Canvas) error {
		area := frame(c, meta, 22)
		h := area.Max.Y - area.Min.Y
		split := area.Min.Y + h*0.34
		upper, lower := area, area
		upper.Min.Y = split + px(14)
		lower.Max.Y = split
		panel(upper, "Reliability: how often what was forecast at p happened", top)
		panel(lower, "Sharpness: how many forecasts fall in each bin", bottom)
		return nil
	})
}

func shareText(right, n int) string {
	if n == 0 {
		return "—"
	}
	return fmt.Sprintf("%d (%.0f%%)", right, 100*float64(right)/float64(n))
}

// skillPoint is one skill estimate with its interval, drawn at row y.
type skillPoint struct {
	y             float64
	value, lo, hi float64
	color         color.NRGBA
	xmin, xmax    float64 // the axis range: values below it are drawn at the edge as a triangle
}

type skillPoints []skillPoint

func (ps skillPoints) Plot(c draw.Canvas, p *plot.Plot) {
	trX, trY := p.Transforms(&c)
	for _, pt := range ps {
		y := trY(pt.y)
		if math.IsNaN(pt.value) {
			continue
		}
		clamp := func(v float64) float64 { return math.Min(math.Max(v, pt.xmin), pt.xmax) }
		if !math.IsNaN(pt.lo) && !math.IsNaN(pt.hi) {
			c.StrokeLine2(draw.LineStyle{Color: pt.color, Width: vg.Points(2)}, trX(clamp(pt.lo)), y, trX(clamp(pt.hi)), y)
		}
		x := trX(clamp(pt.value))
		shape := draw.GlyphDrawer(draw.CircleGlyph{})
		if pt.value < pt.xmin {
			shape = draw.TriangleGlyph{}
		}
		c.DrawGlyph(draw.GlyphStyle{Color: pt.color, Radius: vg.Points(4.5), Shape: shape}, vg.Point{X: x, Y: y})
		if pt.value < pt.xmin {
			st := style(sans, 10, ink)
			st.XAlign, st.YAlign = draw.XLeft, draw.YCenter
			text := fmt.Sprintf("%.2f", pt.value)
			if math.IsInf(pt.value, -1) {
				text = "−∞"
			}
			c.FillText(st, vg.Point{X: x + vg.Points(7), Y: y}, text)
		}
	}
}

func (ps skillPoints) DataRange() (xmin, xmax, ymin, ymax float64) {
	if len(ps) == 0 {
		return -1, 1, 0, 1
	}
	return ps[0].xmin, ps[0].xmax, -0.6, math.Ceil(ps[len(ps)-1].y) + 0.4
}

// horizonLegend writes the horizons' colours at the top right of the
// chart, beside the title.
func horizonLegend(c draw.Canvas, horizons []int) {
	st := style(sans, 14, ink)
	st.YAlign = draw.YCenter
	x, y := c.Max.X-px(24), c.Max.Y-px(40)
	for j := len(horizons) - 1; j >= 0; j-- {
		text := fmt.Sprintf("%d months", horizons[j])
		x -= st.Width(text)
		c.FillText(st, vg.Point{X: x, Y: y}, text)
		x -= px(14)
		c.DrawGlyph(draw.GlyphStyle{Color: horizonColors[j%len(horizonColors)], Radius: vg.Points(5), Shape: draw.CircleGlyph{}}, vg.Point{X: x, Y: y})
		x -= px(26)
	}
	st.XAlign = draw.XRight
	c.FillText(st, vg.Point{X: x, Y: y}, "Horizon:")
}

// rowLines separates the rows of a chart with a nominal Y axis.
type rowLines struct{ n int }

func (r rowLines) Plot(c draw.Canvas, p *plot.Plot) {
	_, trY := p.Transforms(&c)
	for i := 0; i < r.n-1; i++ {
		y := trY(float64(i) + 0.5)
		c.StrokeLine2(draw.LineStyle{Color: gridGrey, Width: vg.Points(1)}, c.Min.X, y, c.Max.X, y)
	}
}

// backtestSkill draws the model's Brier skill against each benchmark,
// per template and horizon, with block-bootstrap intervals: one panel
// per benchmark.
func backtestSkill(d BacktestData) ([]byte, error) {
	refs := []int{backtest.Climatology, backtest.Persistence, backtest.Half}
	byKey := map[string]backtest.Group{}
	for _, g := range d.Groups {
		byKey[g.Key] = g
	}
	// Rows bottom to top: the templates in reverse file order, then all
	// questions on top.
	var rowKeys []string
	var labels []string
	for t := len(d.Spec.Templates) - 1; t >= 0; t-- {
		rowKeys = append(rowKeys, d.Spec.Templates[t].ID)
		labels = append(labels, strings.Join(wrapWidth(style(sans, 13, ink), templateLabel(d.Spec.Templates[t]), px(330)), "\n"))
	}
	rowKeys = append(rowKeys, "")
	labels = append(labels, "all questions")
	const xmin, xmax = -2.0, 1.05
	var plots []*plot.Plot
	var titles []string
	nh := len(d.Spec.Horizons)
	for pi, ref := range refs {
		p := newPlot("Brier skill score (1 = perfect, 0 = no better, < 0 = worse)", "")
		var pts skillPoints
		for row, key := range rowKeys {
			for j, h := range d.Spec.Horizons {
				gk := fmt.Sprintf("h%d", h)
				if key != "" {
					gk = fmt.Sprintf("%s/h%d", key, h)
				}
				g, ok := byKey[gk]
				if !ok {
					continue
				}
				sk := findSkill(g.Scores[backtest.Model], backtest.Forecasters[ref])
				off := 0.0
				if nh > 1 {
					off = 0.22 - 0.44*float64(j)/float64(nh-1)
				}
				pts = append(pts, skillPoint{y: float64(row) + off, value: sk.Value, lo: sk.Lo, hi: sk.Hi,
					color: horizonColors[j%len(horizonColors)], xmin: xmin, xmax: xmax})
			}
		}
		grid := plotter.NewGrid()
		grid.Horizontal.Color = nil
		p.Add(grid, rowLines{len(rowKeys)}, zeroLine{}, pts)
		p.NominalY(labels...)
		p.Y.Tick.Label.XAlign, p.Y.Tick.Label.YAlign = draw.XRight, draw.YCenter
		p.X.Min, p.X.Max = xmin, xmax
		if pi > 0 {
			p.NominalY(make([]string, len(labels))...)
		}
		p.X.Label.Text = "Brier skill score"
		plots = append(plots, p)
		titles = append(titles, "against "+forecasterLabel(backtest.Forecasters[ref]))
	}
	meta := Meta{Title: "The model's skill against each benchmark, per question and horizon",
		Subtitle: fmt.Sprintf("Brier skill 1 − Brier(model)/Brier(benchmark): 1 perfect, 0 no better than the benchmark, below 0 worse\nBars: %.0f%% block-bootstrap intervals (origins resampled); triangles: below %.0f, value written", 100*backtest.SkillLevel, xmin),
		Footer:   d.footer()}
	h := max(ChartHeight, 280+len(rowKeys)*64)
	return render(1900, h, func(c draw.Canvas) error {
		area := frame(c, meta, 22)
		horizonLegend(c, d.Spec.Horizons)
		w := area.Max.X - area.Min.X
		labelW := w * 0.12
		gap := px(28)
		for i, p := range plots {
			cell := area
			cell.Min.X = area.Min.X + labelW + (w-labelW)*vg.Length(i)/vg.Length(len(plots)) + gap
			cell.Max.X = area.Min.X + labelW + (w-labelW)*vg.Length(i+1)/vg.Length(len(plots))
			if i == 0 {
				cell.Min.X = area.Min.X
			}
			panel(cell, titles[i], p)
		}
		return nil
	})
}

func findSkill(s backtest.Score, ref string) backtest.Skill {
	for _, k := range s.Skill {
		if k.Reference == ref {
			return k
		}
	}
	return backtest.Skill{Value: math.NaN(), Lo: math.NaN(), Hi: math.NaN()}
}

func forecasterLabel(name string) string {
	if name == "always_50" {
		return "always 50%"
	}
	return name
}

// outcomeMarks draws what happened at each origin: a square at 100% for
// yes, a ring at 0% for no.
type outcomeMarks struct {
	xs  []float64
	yes []bool
}

func (o outcomeMarks) Plot(c draw.Canvas, p *plot.Plot) {
	trX, trY := p.Transforms(&c)
	for i, x := range o.xs {
		if o.yes[i] {
			c.DrawGlyph(draw.GlyphStyle{Color: palette[2], Radius: vg.Points(5), Shape: draw.BoxGlyph{}}, vg.Point{X: trX(x), Y: trY(100)})
		} else {
			c.DrawGlyph(draw.GlyphStyle{Color: muted, Radius: vg.Points(4), Shape: draw.RingGlyph{}}, vg.Point{X: trX(x), Y: trY(0)})
		}
	}
}

func (o outcomeMarks) DataRange() (xmin, xmax, ymin, ymax float64) {
	return o.xs[0], o.xs[len(o.xs)-1], 0, 100
}

func (outcomeMarks) Thumbnail(c *draw.Canvas) {}

// intervalBars draws the model's Monte Carlo 95% intervals.
type intervalBars struct {
	xs, lo, hi []float64
	color      color.NRGBA
}

func (b intervalBars) Plot(c draw.Canvas, p *plot.Plot) {
	trX, trY := p.Transforms(&c)
	for i, x := range b.xs {
		c.StrokeLine2(draw.LineStyle{Color: b.color, Width: vg.Points(1.2)}, trX(x), trY(100*b.lo[i]), trX(x), trY(100*b.hi[i]))
	}
}

func backtestTimeline(d BacktestData, t int) ([]byte, error) {
	tpl := d.Spec.Templates[t]
	first := d.Plan.Origins[0].Month
	type panelPlot struct {
		title string
		p     *plot.Plot
	}
	var panels []panelPlot
	for _, h := range d.Spec.Horizons {
		var rows []backtest.Row
		for _, r := range d.Rows {
			if r.Question.Template == t && r.Question.Horizon == h {
				rows = append(rows, r)
			}
		}
		if len(rows) == 0 {
			continue
		}
		p := newPlot("Forecast origin", "Probability (%)")
		model, clim := make(plotter.XYs, len(rows)), make(plotter.XYs, len(rows))
		bars := intervalBars{color: withAlpha(accent, 160)}
		marks := outcomeMarks{}
		yes := 0
		for i, r := range rows {
			x := float64(r.Origin - first)
			model[i] = plotter.XY{X: x, Y: 100 * r.P[backtest.Model]}
			clim[i] = plotter.XY{X: x, Y: 100 * r.P[backtest.Climatology]}
			bars.xs, bars.lo, bars.hi = append(bars.xs, x), append(bars.lo, r.Lo), append(bars.hi, r.Hi)
			marks.xs, marks.yes = append(marks.xs, x), append(marks.yes, r.Question.Outcome)
			if r.Question.Outcome {
				yes++
			}
		}
		ml, mp, err := plotter.NewLinePoints(model)
		if err != nil {
			return nil, err
		}
		ml.LineStyle = draw.LineStyle{Color: accent, Width: vg.Points(2)}
		mp.GlyphStyle = draw.GlyphStyle{Color: accent, Radius: vg.Points(3), Shape: draw.CircleGlyph{}}
		cl, err := plotter.NewLine(clim)
		if err != nil {
			return nil, err
		}
		cl.LineStyle = draw.LineStyle{Color: forecasterColors[backtest.Climatology], Width: vg.Points(2), Dashes: []vg.Length{vg.Points(6), vg.Points(3)}}
		p.Add(plotter.NewGrid(), cl, bars, ml, mp, marks)
		p.Y.Min, p.Y.Max = -6, 106
		p.X.Min, p.X.Max = -1, float64(d.Plan.Origins[len(d.Plan.Origins)-1].Month-first)+1
		p.X.Tick.Marker = yearTicks{start: first}
		p.X.Label.Text = ""
		g := groupScores(d.Groups, fmt.Sprintf("%s/h%d", tpl.ID, h))
		title := fmt.Sprintf("Within %d months · %d of %d resolved yes", h, yes, len(rows))
		if g != nil {
			sk := findSkill(g.Scores[backtest.Model], "climatology")
			title += fmt.Sprintf(" · Brier model %.3f, climatology %.3f · skill %s", g.Scores[backtest.Model].Brier, g.Scores[backtest.Climatology].Brier, skillText(sk))
		}
		panels = append(panels, panelPlot{title, p})
	}
	text := questionExample(d, t)
	meta := Meta{Title: "Forecasts and outcomes: " + templateLabel(tpl),
		Subtitle: text + "\nEach point: the forecast made at that origin for the window starting there (bars: the model's Monte Carlo 95% interval);\nsquares at 100%: it happened; rings at 0%: it did not",
		Footer:   d.footer(),
		Key: []keyItem{{Label: "model", Color: accent, Kind: "linedot"},
			{Label: "climatology", Color: forecasterColors[backtest.Climatology], Kind: "line", Dash: []vg.Length{vg.Points(6), vg.Points(3)}},
			{Label: "happened", Color: palette[2], Kind: "square"},
			{Label: "did not", Color: muted, Kind: "ring"}}}
	h := 290 + 330*len(panels)
	return render(ChartWidth+300, h, func(c draw.Canvas) error {
		area := frame(c, meta, 22)
		ph := (area.Max.Y - area.Min.Y) / vg.Length(len(panels))
		for i, pp := range panels {
			cell := area
			cell.Max.Y = area.Max.Y - ph*vg.Length(i)
			cell.Min.Y = cell.Max.Y - ph + px(12)
			panel(cell, pp.title, pp.p)
		}
		return nil
	})
}

// yearTicks labels a months-after-start axis with every January and
// marks every quarter: backtests span a decade.
type yearTicks struct{ start sim.Month }

func (t yearTicks) Ticks(min, max float64) []plot.Tick {
	var ticks []plot.Tick
	for k := int(math.Ceil(min)); k <= int(math.Floor(max)); k++ {
		m := t.start + sim.Month(k)
		switch {
		case int(m)%12 == 0:
			ticks = append(ticks, plot.Tick{Value: float64(k), Label: fmt.Sprint(m.Year())})
		case int(m)%3 == 0:
			ticks = append(ticks, plot.Tick{Value: float64(k)})
		}
	}
	return ticks
}

func groupScores(groups []backtest.Group, key string) *backtest.Group {
	for i := range groups {
		if groups[i].Key == key {
			return &groups[i]
		}
	}
	return nil
}

func skillText(s backtest.Skill) string {
	if math.IsNaN(s.Value) {
		return "undefined"
	}
	return fmt.Sprintf("%s (%.0f%%: %s to %s)", signedNum(s.Value), 100*backtest.SkillLevel, signedNum(s.Lo), signedNum(s.Hi))
}

func signedNum(v float64) string {
	switch {
	case math.IsInf(v, -1):
		return "−∞"
	case math.IsNaN(v):
		return "—"
	case v >= 0:
		return fmt.Sprintf("+%.2f", v)
	}
	return fmt.Sprintf("−%.2f", -v)
}

// questionExample is a template's text as asked at the first origin.
func questionExample(d BacktestData, t int) string {
	for _, r := range d.Rows {
		if r.Question.Template == t {
			return fmt.Sprintf("e.g. %q (asked at %s)", r.Question.Text, r.Origin)
		}
	}
	return d.Spec.Templates[t].Text
}

func forecastProportion(yes int64, n int) (lo, hi float64) {
	return stats.Proportion{Successes: yes, Trials: int64(n)}.Wilson95()
}
