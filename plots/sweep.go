package plots

import (
	"context"
	"fmt"
	"image/color"
	"math"
	"sort"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"html/template"

	"github.com/geosim/geosim/output"
)

// Sweep is what the sweep charts are drawn from: the design and each
// point's summary.
type Sweep struct {
	Name, Title, Design string
	Factors             []string    // parameter paths
	FactorInfo          []Factor    // labels, units and base values, one per factor (nil: paths only)
	Points              [][]float64 // [point][factor]; NaN: the factor is at its scenario value
	Summaries           []*output.Summary
	Runs                int
	Seed                uint64
}

// Factor describes one factor of a sweep for its charts.
type Factor struct {
	Path  string
	Label string  // "North Korea's trade share with China"
	Unit  string  // the unit values are shown in ("%")
	Scale float64 // converts a value to the unit shown (100 for a share in %)
	// Base is the factor's value in the scenario as written (the mean of
	// its distribution when BaseUncertain), NaN if unknown.
	Base          float64
	BaseUncertain bool
}

// factor returns factor i's description (its path alone when the sweep
// has none).
func (sw Sweep) factor(i int) Factor {
	if i < len(sw.FactorInfo) {
		f := sw.FactorInfo[i]
		if f.Scale == 0 {
			f.Scale = 1
		}
		if f.Label == "" {
			f.Label = sw.Factors[i]
		}
		return f
	}
	return Factor{Path: sw.Factors[i], Label: sw.Factors[i], Scale: 1, Base: math.NaN()}
}

// axis returns the factor's axis title: "North Korea's trade share with
// China (%)".
func (f Factor) axis() string {
	if f.Unit == "" {
		return f.Label
	}
	return f.Label + " (" + f.Unit + ")"
}

// baseLabel says what the base marker shows.
func (f Factor) baseLabel() string {
	v := trimFloat(round3(f.Base * f.Scale))
	if f.Unit == "%" {
		v += "%"
	}
	if f.BaseUncertain {
		return "the scenario as written: the mean of its distribution, " + v
	}
	return "the scenario as written: " + v
}

func (sw Sweep) footer() string {
	version := ""
	if len(sw.Summaries) > 0 {
		version = sw.Summaries[0].Provenance.Tool + " " + sw.Summaries[0].Provenance.Version
	}
	return fmt.Sprintf("%s · %s design · %d points · %s runs per point on common random numbers · seed %d · %s",
		sw.Name, sw.Design, len(sw.Points), thousands(int64(sw.Runs)), sw.Seed, version)
}

// metric is a number per design point: an event probability with its
// Monte Carlo interval and spread across the assumptions, or an
// outcome's mean with its interval and 90% range over runs.
type metric struct {
	name, title, axis string
	percent           bool
	value             func(s *output.Summary) (v, lo, hi, p5, p95 float64)
}

func sweepMetrics(s *output.Summary) []metric {
	var ms []metric
	for k, e := range s.Events {
		k := k
		ms = append(ms, metric{name: "event-" + e.Name, title: e.Description, axis: "Probability (%)", percent: true,
			value: func(s *output.Summary) (float64, float64, float64, float64, float64) {
				ev := s.Events[k]
				p10, p90 := math.NaN(), math.NaN()
				if sp := ev.AssumptionSpread; sp != nil && sp.Resolved {
					p10, p90 = 100*float64(sp.P10), 100*float64(sp.P90)
				}
				return 100 * float64(ev.Probability), 100 * float64(ev.Wilson95[0]), 100 * float64(ev.Wilson95[1]), p10, p90
			}})
	}
	for k, o := range s.Outcomes {
		k := k
		unit, _, _ := strings.Cut(o.Unit, ",")
		ms = append(ms, metric{name: "outcome-" + o.Name, title: o.Description, axis: "Mean (" + unit + ")",
			value: func(s *output.Summary) (float64, float64, float64, float64, float64) {
				oc := s.Outcomes[k]
				return float64(oc.Mean), float64(oc.CI95[0]), float64(oc.CI95[1]), float64(oc.Quantiles.P5), float64(oc.Quantiles.P95)
			}})
	}
	return ms
}

// WriteSweep renders a sweep's charts: response curves for one factor
// (the events as small multiples, each outcome alone), heatmaps for two
// factors on a grid, scatter plots against each factor for Latin
// hypercube and Sobol' designs, and for one-at-a-time designs the events'
// response to each factor.
func WriteSweep(ctx context.Context, w FileWriter, sw Sweep) error {
	jobs, err := sweepJobs(sw)
	if err != nil {
		return err
	}
	images, err := renderImages(ctx, w, jobs)
	if err != nil {
		return err
	}
	html, err := sweepHTML(sw, jobs, images)
	if err != nil {
		return err
	}
	return w.WriteFile("report.html", html)
}

// sweepJobs lists a sweep's charts.
func sweepJobs(sw Sweep) ([]chartJob, error) {
	if len(sw.Summaries) == 0 {
		return nil, fmt.Errorf("plots: a sweep without points")
	}
	var jobs []chartJob
	metrics := sweepMetrics(sw.Summaries[0])
	switch {
	case sw.Design == "lhs" || sw.Design == "sobol" || len(sw.Factors) > 2 && sw.Design == "grid":
		for _, m := range metrics {
			m := m
			jobs = append(jobs, chartJob{"scatter-" + fileName(m.name) + ".png", m.title, func() ([]byte, error) { return scatterChart(sw, m) }})
		}
	case sw.Design == "oat":
		for i := range sw.Factors {
			if !anyEvent(sw) {
				break
			}
			i := i
			jobs = append(jobs, chartJob{"response-events-" + fileName(sw.Factors[i]) + ".png", "Events against " + sw.factor(i).Label, func() ([]byte, error) { return responseEvents(sw, i) }})
		}
	case len(sw.Factors) == 1:
		if anyEvent(sw) {
			jobs = append(jobs, chartJob{"response-events.png", "Events against " + sw.factor(0).Label, func() ([]byte, error) { return responseEvents(sw, 0) }})
		}
		for _, m := range metrics {
			if m.percent {
				continue
			}
			m := m
			jobs = append(jobs, chartJob{"response-" + fileName(m.name) + ".png", m.title, func() ([]byte, error) { return responseOutcome(sw, m) }})
		}
	default:
		for _, m := range metrics {
			m := m
			jobs = append(jobs, chartJob{"heatmap-" + fileName(m.name) + ".png", m.title, func() ([]byte, error) { return heatmap(sw, m) }})
		}
	}
	return jobs, nil
}

// anyEvent reports whether some event occurs at some point of the sweep.
func anyEvent(sw Sweep) bool {
	for _, s := range sw.Summaries {
		for _, e := range s.Events {
			if e.Probability > 0 {
				return true
			}
		}
	}
	return false
}

func fileName(s string) string { return unsafeName.ReplaceAllString(s, "_") }

// along returns the points that vary factor i (for one-at-a-time
// designs, those where only it varies), sorted by its value.
func along(sw Sweep, i int) []int {
	var idx []int
	for k, p := range sw.Points {
		if !math.IsNaN(p[i]) {
			idx = append(idx, k)
		}
	}
	sort.SliceStable(idx, func(a, b int) bool { return sw.Points[idx[a]][i] < sw.Points[idx[b]][i] })
	return idx
}

// bandPolygon returns the polygon between lo and hi along xs, leaving
// out the points where either is not finite.
func bandPolygon(xs, lo, hi []float64, col color.NRGBA) (*plotter.Polygon, error) {
	var xy plotter.XYs
	for k := range xs {
		if finite(lo[k], hi[k]) {
			xy = append(xy, plotter.XY{X: xs[k], Y: hi[k]})
		}
	}
	for k := len(xs) - 1; k >= 0; k-- {
		if finite(lo[k], hi[k]) {
			xy = append(xy, plotter.XY{X: xs[k], Y: lo[k]})
		}
	}
	if len(xy) < 3 {
		return nil, nil
	}
	p, err := plotter.NewPolygon(xy)
	if err != nil {
		return nil, err
	}
	p.Color = col
	p.LineStyle.Width = 0
	return p, nil
}

// vline marks x across the data area (the scenario's own value).
type vline struct {
	x     float64
	color color.Color
}

func (v vline) Plot(c draw.Canvas, p *plot.Plot) {
	trX, _ := p.Transforms(&c)
	x := trX(v.x)
	if x >= c.Min.X && x <= c.Max.X {
		c.StrokeLine2(draw.LineStyle{Color: v.color, Width: vg.Points(1.5), Dashes: []vg.Length{vg.Points(5), vg.Points(3)}}, x, c.Min.Y, x, c.Max.Y)
	}
}

// baseColor marks the scenario's own value on sweep charts.
var baseColor = color.NRGBA{R: 0x33, G: 0x33, B: 0x33, A: 0xcc}

// sweepKey explains a response chart's marks.
func sweepKey(col color.NRGBA, f Factor, percent bool) []keyItem {
	key := []keyItem{{Label: "estimate at each point", Color: col, Kind: "line"}}
	if percent {
		key = append(key,
			keyItem{Label: "Monte Carlo 95% interval", Color: withAlpha(col, 110), Kind: "box"},
			keyItem{Label: "10th–90th percentile across the other uncertain assumptions", Color: withAlpha(spreadColor, 70), Kind: "box"})
	} else {
		key = append(key,
			keyItem{Label: "95% interval of the mean", Color: withAlpha(col, 150), Kind: "box"},
			keyItem{Label: "90% of runs", Color: withAlpha(col, 45), Kind: "box"})
	}
	if !math.IsNaN(f.Base) {
		key = append(key, keyItem{Label: f.baseLabel(), Color: baseColor, Kind: "line", Width: vg.Points(1.5), Dash: []vg.Length{vg.Points(5), vg.Points(3)}})
	}
	return key
}

// responsePanel draws one metric against factor i: the estimate with
// its Monte Carlo band and (events) the spread across assumptions, or
// (outcomes) the range of 90% of runs, and the scenario's own value.
func responsePanel(sw Sweep, i int, m metric, col color.NRGBA) (*plot.Plot, error) {
	idx := along(sw, i)
	if len(idx) < 2 {
		return nil, fmt.Errorf("factor %s has fewer than two points", sw.Factors[i])
	}
	f := sw.factor(i)
	p := newPlot(f.axis(), m.axis)
	n := len(idx)
	xs, v, lo, hi, a, b := make([]float64, n), make([]float64, n), make([]float64, n), make([]float64, n), make([]float64, n), make([]float64, n)
	var xy plotter.XYs
	top := 0.0
	for k, pt := range idx {
		xs[k] = sw.Points[pt][i] * f.Scale
		v[k], lo[k], hi[k], a[k], b[k] = m.value(sw.Summaries[pt])
		xy = append(xy, plotter.XY{X: xs[k], Y: v[k]})
		for _, y := range []float64{v[k], hi[k], b[k]} {
			if finite(y) {
				top = math.Max(top, y)
			}
		}
	}
	p.Add(plotter.NewGrid())
	wide := withAlpha(col, 45)
	if m.percent {
		wide = withAlpha(spreadColor, 70)
	}
	if band, err := bandPolygon(xs, a, b, wide); err != nil {
		return nil, err
	} else if band != nil {
		p.Add(band)
	}
	inner := withAlpha(col, 110)
	if !m.percent {
		inner = withAlpha(col, 150)
	}
	// With one run per point the mean has no interval (NaN): no band.
	if band, err := bandPolygon(xs, lo, hi, inner); err != nil {
		return nil, err
	} else if band != nil {
		p.Add(band)
	}
	line, pts, err := plotter.NewLinePoints(xy)
	if err != nil {
		return nil, err
	}
	line.LineStyle = draw.LineStyle{Color: col, Width: vg.Points(2.2)}
	pts.GlyphStyle = draw.GlyphStyle{Color: col, Radius: vg.Points(2.8), Shape: draw.CircleGlyph{}}
	p.Add(line, pts)
	if !math.IsNaN(f.Base) {
		p.Add(vline{x: f.Base * f.Scale, color: baseColor})
	}
	if m.percent {
		p.Y.Min, p.Y.Max = 0, niceTop(top)
	}
	p.X.Min, p.X.Max = xs[0], xs[n-1]
	if !math.IsNaN(f.Base) {
		p.X.Min, p.X.Max = math.Min(p.X.Min, f.Base*f.Scale), math.Max(p.X.Max, f.Base*f.Scale)
	}
	pad := (p.X.Max - p.X.Min) * 0.03
	p.X.Min, p.X.Max = p.X.Min-pad, p.X.Max+pad
	return p, nil
}

// niceTop returns a round upper end for a probability axis (%) above v.
func niceTop(v float64) float64 {
	for _, t := range []float64{1, 2, 5, 10, 15, 20, 30, 40, 50, 60, 80, 100} {
		if v*1.05 <= t {
			return t
		}
	}
	return 100
}

// responseEvents draws every event's probability against factor i as
// small multiples — one panel per event, each with its own scale — with
// the Monte Carlo band, the spread across the other uncertain
// assumptions and the scenario's own value.
func responseEvents(sw Sweep, i int) ([]byte, error) {
	events := sw.Summaries[0].Events
	ms := sweepMetrics(sw.Summaries[0])[:len(events)]
	f := sw.factor(i)
	var shown []int
	var never []string
	for e := range events {
		most := 0.0
		for _, s := range sw.Summaries {
			most = math.Max(most, float64(s.Events[e].Probability))
		}
		if most == 0 {
			never = append(never, events[e].Description)
			continue
		}
		shown = append(shown, e)
	}
	if len(shown) == 0 {
		return nil, fmt.Errorf("no event occurs at any point")
	}
	cols := min(3, len(shown))
	rows := (len(shown) + cols - 1) / cols
	sub := fmt.Sprintf("Probability of each event at each value of the factor; %s runs per point on common random numbers; each panel has its own scale", thousands(int64(sw.Runs)))
	if sw.Design == "oat" {
		sub += "; the other factors at the scenario's values"
	}
	if len(never) > 0 {
		sub += fmt.Sprintf(". Never occurs at any point: %s", strings.Join(never, "; "))
	}
	meta := Meta{Title: sw.Title + ": events against " + f.Label, Subtitle: sub, Footer: sw.footer(), Key: sweepKey(accent, f, true)}
	return renderBody(ChartWidth, 250+rows*300, meta, func(c draw.Canvas) error {
		w := (c.Max.X - c.Min.X) / vg.Length(cols)
		h := (c.Max.Y - c.Min.Y) / vg.Length(rows)
		for k, e := range shown {
			p, err := responsePanel(sw, i, ms[e], accent)
			if err != nil {
				return err
			}
			col, row := k%cols, k/cols
			if col != 0 {
				p.Y.Label.Text = ""
			}
			if row != rows-1 && k+cols < len(shown) {
				p.X.Label.Text = ""
			}
			cell := c
			cell.Min = vg.Point{X: c.Min.X + w*vg.Length(col), Y: c.Max.Y - h*vg.Length(row+1)}
			cell.Max = vg.Point{X: c.Min.X + w*vg.Length(col+1) - px(16), Y: c.Max.Y - h*vg.Length(row) - px(6)}
			panel(cell, events[e].Description, p)
		}
		return nil
	})
}

// responseOutcome draws an outcome's mean (with its 95% band) and 90%
// range against the single factor.
func responseOutcome(sw Sweep, m metric) ([]byte, error) {
	p, err := responsePanel(sw, 0, m, accent)
	if err != nil {
		return nil, err
	}
	f := sw.factor(0)
	sub := fmt.Sprintf("Mean over %s runs per point, its 95%% interval and the range holding 90%% of runs, at each value of %s", thousands(int64(sw.Runs)), lowerFirst(f.Label))
	return renderBody(ChartWidth, ChartHeight, Meta{Title: m.title, Subtitle: sub, Footer: sw.footer(), Key: sweepKey(accent, f, false)}, plotBody(p))
}

// lowerFirst lower-cases the first letter of a phrase that starts with
// an ordinary word ("Summit incentive, …"), not a name ("North Korea's …").
func lowerFirst(s string) string {
	r := []rune(s)
	if len(r) < 2 || !(r[0] >= 'A' && r[0] <= 'Z') || r[1] >= 'A' && r[1] <= 'Z' || strings.Contains(strings.SplitN(s, " ", 3)[0]+" ", "'s ") {
		return s
	}
	first, _, _ := strings.Cut(s, " ")
	for _, name := range []string{"North", "South", "China", "Russia", "Japan", "United", "Ukraine", "Kim"} {
		if first == name || strings.HasPrefix(first, name+"'") {
			return s
		}
	}
	return strings.ToLower(string(r[0])) + string(r[1:])
}

// cells draws a heatmap of values on an index grid with each cell's
// value written in it, on a fixed colour scale; the cell of the
// scenario's own values (if on the grid) is outlined.
type cells struct {
	nx, ny     int
	values     [][]float64 // [x][y]
	label      func(v float64) string
	scale      colorScale
	baseX      int // -1: the scenario's value is not on the grid
	baseY      int
	labelStyle float64
}

func (c cells) Plot(cv draw.Canvas, p *plot.Plot) {
	trX, trY := p.Transforms(&cv)
	for i := 0; i < c.nx; i++ {
		for j := 0; j < c.ny; j++ {
			v := c.values[i][j]
			fill := c.scale.at(v)
			x0, x1 := trX(float64(i)-0.5), trX(float64(i)+0.5)
			y0, y1 := trY(float64(j)-0.5), trY(float64(j)+0.5)
			cv.FillPolygon(fill, []vg.Point{{X: x0, Y: y0}, {X: x1, Y: y0}, {X: x1, Y: y1}, {X: x0, Y: y1}})
			txt := color.Color(ink)
			if dark(fill) {
				txt = color.White
			}
			st := style(sans, c.labelStyle, txt)
			st.XAlign, st.YAlign = draw.XCenter, draw.YCenter
			cv.FillText(st, vg.Point{X: (x0 + x1) / 2, Y: (y0 + y1) / 2}, c.label(v))
		}
	}
	if c.baseX >= 0 && c.baseY >= 0 {
		x0, x1 := trX(float64(c.baseX)-0.5), trX(float64(c.baseX)+0.5)
		y0, y1 := trY(float64(c.baseY)-0.5), trY(float64(c.baseY)+0.5)
		cv.StrokeLines(draw.LineStyle{Color: shockRed, Width: vg.Points(3)}, []vg.Point{{X: x0, Y: y0}, {X: x1, Y: y0}, {X: x1, Y: y1}, {X: x0, Y: y1}, {X: x0, Y: y0}})
	}
}

func (c cells) DataRange() (xmin, xmax, ymin, ymax float64) {
	return -0.5, float64(c.nx) - 0.5, -0.5, float64(c.ny) - 0.5
}

// heatmap draws a metric over a two-factor grid on a colour scale that
// starts at zero for probabilities (so that pale means rare in every
// chart), with a colour bar.
func heatmap(sw Sweep, m metric) ([]byte, error) {
	xv, yv := distinct(sw.Points, 0), distinct(sw.Points, 1)
	fx, fy := sw.factor(0), sw.factor(1)
	c := cells{nx: len(xv), ny: len(yv), baseX: -1, baseY: -1, labelStyle: 13}
	c.values = make([][]float64, c.nx)
	for i := range c.values {
		c.values[i] = make([]float64, c.ny)
	}
	lo, hi := math.Inf(1), math.Inf(-1)
	for k, pt := range sw.Points {
		v, _, _, _, _ := m.value(sw.Summaries[k])
		i, j := sort.SearchFloat64s(xv, pt[0]), sort.SearchFloat64s(yv, pt[1])
		c.values[i][j] = v
		lo, hi = math.Min(lo, v), math.Max(hi, v)
	}
	for i, x := range xv {
		if x == fx.Base {
			c.baseX = i
		}
	}
	for j, y := range yv {
		if y == fy.Base {
			c.baseY = j
		}
	}
	c.scale.Min, c.scale.Max = niceRange(lo, hi, m.percent)
	c.label = func(v float64) string {
		if m.percent {
			return percent(v / 100)
		}
		return num(v)
	}
	format := func(v float64) string { return trimFloat(v) }
	barTitle := strings.TrimPrefix(strings.TrimSuffix(m.axis, ")"), "Mean (")
	if m.percent {
		format = func(v float64) string { return trimFloat(v) + "%" }
		barTitle = "Probability"
	} else {
		barTitle = "Mean, " + barTitle
	}
	what := "Probability"
	if !m.percent {
		what = "Mean"
	}
	sub := fmt.Sprintf("%s at each grid point, written in its cell; %s runs per point on common random numbers", what, thousands(int64(sw.Runs)))
	if c.baseX >= 0 && c.baseY >= 0 {
		sub += "; outlined in red: the scenario as written"
		if fx.BaseUncertain || fy.BaseUncertain {
			sub += " (the means of its distributions)"
		}
	}
	return renderBody(ChartWidth, ChartHeight, Meta{Title: m.title, Subtitle: sub, Footer: sw.footer()}, func(cv draw.Canvas) error {
		p := newPlot(fx.axis(), fy.axis())
		p.Add(c)
		p.NominalX(scaledLabels(xv, fx.Scale)...)
		p.NominalY(scaledLabels(yv, fy.Scale)...)
		p.X.Tick.Label.XAlign, p.X.Tick.Label.YAlign = draw.XCenter, draw.YTop
		p.Y.Tick.Label.XAlign, p.Y.Tick.Label.YAlign = draw.XRight, draw.YCenter
		bar := cv
		bar.Min.X = cv.Max.X - px(150)
		area := cv
		area.Max.X = bar.Min.X - px(20)
		area.Max.Y -= px(40) // room for the colour bar's title
		drawPlot(area, p)
		dc := p.DataCanvas(area)
		drawColorBar(bar, c.scale, dc.Min.Y, dc.Max.Y, barTitle, format)
		return nil
	})
}

func distinct(points [][]float64, i int) []float64 {
	seen := map[float64]bool{}
	var out []float64
	for _, p := range points {
		if !seen[p[i]] {
			seen[p[i]] = true
			out = append(out, p[i])
		}
	}
	sort.Float64s(out)
	return out
}

func scaledLabels(vs []float64, scale float64) []string {
	out := make([]string, len(vs))
	for i, v := range vs {
		out[i] = trimFloat(round3(v * scale))
	}
	return out
}

// intervalDots draws each design point's estimate with its Monte Carlo
// interval as a thin whisker.
type intervalDots struct {
	x, v, lo, hi []float64
	color        color.NRGBA
}

func (d intervalDots) Plot(c draw.Canvas, p *plot.Plot) {
	trX, trY := p.Transforms(&c)
	for k := range d.x {
		x := trX(d.x[k])
		if finite(d.lo[k], d.hi[k]) {
			c.StrokeLine2(draw.LineStyle{Color: withAlpha(d.color, 120), Width: vg.Points(1)}, x, trY(d.lo[k]), x, trY(d.hi[k]))
		}
		c.DrawGlyph(draw.GlyphStyle{Color: withAlpha(d.color, 210), Radius: vg.Points(3), Shape: draw.CircleGlyph{}}, vg.Point{X: x, Y: trY(d.v[k])})
	}
}

func (d intervalDots) DataRange() (xmin, xmax, ymin, ymax float64) {
	xmin, xmax, ymin, ymax = math.Inf(1), math.Inf(-1), math.Inf(1), math.Inf(-1)
	for k := range d.x {
		xmin, xmax = math.Min(xmin, d.x[k]), math.Max(xmax, d.x[k])
		for _, y := range []float64{d.v[k], d.lo[k], d.hi[k]} {
			if finite(y) {
				ymin, ymax = math.Min(ymin, y), math.Max(ymax, y)
			}
		}
	}
	return
}

// binnedMeans is the mean of the estimates in equal-width bins of x: the
// trend through a scatter.
func binnedMeans(x, v []float64, bins int) plotter.XYs {
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, a := range x {
		lo, hi = math.Min(lo, a), math.Max(hi, a)
	}
	if !(hi > lo) {
		return nil
	}
	sum, n := make([]float64, bins), make([]float64, bins)
	for k, a := range x {
		b := min(int((a-lo)/(hi-lo)*float64(bins)), bins-1)
		sum[b] += v[k]
		n[b]++
	}
	var xy plotter.XYs
	for b := range sum {
		if n[b] > 0 {
			xy = append(xy, plotter.XY{X: lo + (float64(b)+0.5)*(hi-lo)/float64(bins), Y: sum[b] / n[b]})
		}
	}
	return xy
}

// scatterChart draws a metric against each factor, one panel per factor
// (two columns): each design point with its Monte Carlo interval, the
// trend of binned means, and the scenario's own value.
func scatterChart(sw Sweep, m metric) ([]byte, error) {
	meta := Meta{Title: m.title,
		Subtitle: fmt.Sprintf("%s at each of %d design points against each factor (the others vary too); %s runs per point; line: mean of the points in eight equal bins",
			m.axis, len(sw.Points), thousands(int64(sw.Runs))),
		Footer: sw.footer(),
		Key: []keyItem{{Label: "design point, with its Monte Carlo 95% interval", Color: accent, Kind: "dot"},
			{Label: "trend (binned means)", Color: palette[0], Kind: "line"},
			{Label: "the scenario as written (the mean of its distribution where uncertain)", Color: baseColor, Kind: "line", Width: vg.Points(1.5), Dash: []vg.Length{vg.Points(5), vg.Points(3)}}}}
	cols := min(len(sw.Factors), 2)
	rows := (len(sw.Factors) + cols - 1) / cols
	top := 0.0
	for k := range sw.Points {
		v, _, hi, _, _ := m.value(sw.Summaries[k])
		for _, y := range []float64{v, hi} {
			if finite(y) {
				top = math.Max(top, y)
			}
		}
	}
	return renderBody(ChartWidth, 230+rows*330, meta, func(c draw.Canvas) error {
		w := (c.Max.X - c.Min.X) / vg.Length(cols)
		h := (c.Max.Y - c.Min.Y) / vg.Length(rows)
		for i := range sw.Factors {
			f := sw.factor(i)
			d := intervalDots{color: accent}
			for k, pt := range sw.Points {
				v, lo, hi, _, _ := m.value(sw.Summaries[k])
				d.x, d.v, d.lo, d.hi = append(d.x, pt[i]*f.Scale), append(d.v, v), append(d.lo, lo), append(d.hi, hi)
			}
			p := newPlot(f.axis(), m.axis)
			p.Add(plotter.NewGrid(), d)
			if trend := binnedMeans(d.x, d.v, 8); len(trend) > 1 {
				line, err := plotter.NewLine(trend)
				if err != nil {
					return err
				}
				line.LineStyle = draw.LineStyle{Color: palette[0], Width: vg.Points(2)}
				p.Add(line)
			}
			if !math.IsNaN(f.Base) {
				p.Add(vline{x: f.Base * f.Scale, color: baseColor})
			}
			if m.percent {
				p.Y.Min, p.Y.Max = 0, niceTop(top)
			}
			p.Y.Padding, p.X.Padding = vg.Points(6), vg.Points(6)
			if i%cols != 0 {
				p.Y.Label.Text = ""
			}
			col, row := i%cols, i/cols
			cell := c
			cell.Min = vg.Point{X: c.Min.X + w*vg.Length(col), Y: c.Max.Y - h*vg.Length(row+1)}
			cell.Max = vg.Point{X: c.Min.X + w*vg.Length(col+1) - px(16), Y: c.Max.Y - h*vg.Length(row) - px(8)}
			drawPlot(cell, p)
		}
		return nil
	})
}

// SweepBottomLine says which events move most across the design: each
// event's lowest and highest probability over the points, and where the
// highest is, for the four that move most.
func SweepBottomLine(sw Sweep) []string {
	if len(sw.Summaries) == 0 {
		return nil
	}
	type move struct {
		desc       string
		lo, hi     float64
		at         int
		resolution float64
	}
	var moves []move
	for e, ev := range sw.Summaries[0].Events {
		m := move{desc: ev.Description, lo: math.Inf(1), hi: math.Inf(-1)}
		for k, s := range sw.Summaries {
			p := float64(s.Events[e].Probability)
			if p < m.lo {
				m.lo = p
			}
			if p > m.hi {
				m.hi, m.at = p, k
			}
			m.resolution = math.Max(m.resolution, float64(s.Events[e].Wilson95[1]-s.Events[e].Wilson95[0])/2)
		}
		moves = append(moves, m)
	}
	sort.SliceStable(moves, func(i, j int) bool { return moves[i].hi-moves[i].lo > moves[j].hi-moves[j].lo })
	var out []string
	for _, m := range moves[:min(4, len(moves))] {
		where := make([]string, 0, len(sw.Factors))
		for i, v := range sw.Points[m.at] {
			if !math.IsNaN(v) {
				f := sw.factor(i)
				val := trimFloat(round3(v * f.Scale))
				if f.Unit == "%" {
					val += "%"
				}
				where = append(where, fmt.Sprintf("%s = %s", lowerFirst(f.Label), val))
			}
		}
		line := fmt.Sprintf("%s: from %s to %s across the design points, highest at %s.", m.desc, percent(m.lo), percent(m.hi), strings.Join(where, ", "))
		if m.hi-m.lo < 2*m.resolution {
			line = fmt.Sprintf("%s: %s to %s across the design points — within the Monte Carlo error (±%s points): no measurable effect.", m.desc, percent(m.lo), percent(m.hi), num(100*m.resolution))
		}
		out = append(out, line)
	}
	return out
}

var sweepTemplate = template.Must(template.New("sweep").Parse(`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Sweep: {{.Title}}</title>
<style></style>
</head>
<body>
<h1>Sweep: {{.Title}}</h1>
<p class="meta">{{.Design}} design · {{.Points}} points · {{.Runs}} runs per point on common random numbers (every point uses the same random streams, so that differences between points are the factors', not noise) · seed {{.Seed}}</p>
<div class="bottom-line-here"></div>
<h2>Design</h2>
<table>
<tr><th>Factor</th><th>Parameter</th><th>Values swept</th><th>The scenario as written</th></tr>
{{range .Factors}}<tr><td>{{.Label}}</td><td><code>{{.Path}}</code></td><td>{{.Values}}</td><td>{{.Base}}</td></tr>
{{end}}</table>
<h2>Charts</h2>
<p>Probabilities carry two kinds of uncertainty, shown apart: the Monte Carlo 95% interval (how precisely the runs at a point estimate it) and, shaded grey, the 10th–90th percentile across the scenario's other uncertain assumptions (what is not known; it does not shrink with more runs).</p>
{{range .Charts}}<h3>{{.Title}}</h3>
<img src="{{.File}}" alt="{{.Title}}">
{{end}}
<h2>Data files</h2>
<ul>
<li><code>results.csv</code>: one row per point and event or outcome (long format): the factors' values, the estimate, its Monte Carlo 95% interval, the spread across assumptions (events) or over runs (outcomes).</li>
<li><code>points.csv</code>: one row per point, every event and outcome in columns.</li>
<li><code>points/NNNN/summary.json</code>: each point's full summary; <code>experiment.json</code>: the design.</li>
</ul>
<footer>{{.Footer}}</footer>
</body>
</html>
`))

type sweepFactorRow struct{ Label, Path, Values, Base string }

// sweepHTML renders the sweep's report.html.
func sweepHTML(sw Sweep, jobs []chartJob, images map[string][]byte) ([]byte, error) {
	var factors []sweepFactorRow
	for i := range sw.Factors {
		f := sw.factor(i)
		vs := distinct(sw.Points, i)
		var vals []string
		for _, v := range vs {
			if !math.IsNaN(v) {
				vals = append(vals, trimFloat(round3(v*f.Scale)))
			}
		}
		values := strings.Join(vals, ", ")
		if len(vals) > 8 {
			values = fmt.Sprintf("%d values from %s to %s", len(vals), vals[0], vals[len(vals)-1])
		}
		if f.Unit != "" {
			values += " (" + f.Unit + ")"
		}
		base := "—"
		if !math.IsNaN(f.Base) {
			base = trimFloat(round3(f.Base * f.Scale))
			if f.BaseUncertain {
				base = "uncertain, mean " + base
			}
		}
		factors = append(factors, sweepFactorRow{f.Label, f.Path, values, base})
	}
	title := sw.Title
	if title == "" {
		title = sw.Name
	}
	data := map[string]any{"Title": title, "Design": sw.Design, "Points": len(sw.Points), "Runs": thousands(int64(sw.Runs)), "Seed": sw.Seed,
		"Factors": factors, "Charts": chartsOf(jobs), "Footer": sw.footer()}
	return renderPage(sweepTemplate, data, SweepBottomLine(sw), images)
}
