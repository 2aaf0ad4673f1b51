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

	"github.com/geosim/geosim/output"
)

// Sweep is what the sweep charts are drawn from: the design and each
// point's summary.
type Sweep struct {
	Name, Title, Design string
	Factors             []string    // parameter paths
	Points              [][]float64 // [point][factor]; NaN: the factor is at its scenario value
	Summaries           []*output.Summary
	Runs                int
	Seed                uint64
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
// interval, or an outcome's mean with its interval and 90% range.
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
				return 100 * float64(ev.Probability), 100 * float64(ev.Wilson95[0]), 100 * float64(ev.Wilson95[1]), math.NaN(), math.NaN()
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
// (events together, each outcome alone), heatmaps for two factors on a
// grid, scatter plots against each factor for Latin hypercube and Sobol'
// designs,
// and for one-at-a-time designs the events' response to each factor.
func WriteSweep(ctx context.Context, w FileWriter, sw Sweep) error {
	if len(sw.Summaries) == 0 {
		return fmt.Errorf("plots: a sweep without points")
	}
	var jobs []chartJob
	metrics := sweepMetrics(sw.Summaries[0])
	switch {
	case sw.Design == "lhs" || sw.Design == "sobol" || len(sw.Factors) > 2 && sw.Design == "grid":
		for _, m := range metrics {
			m := m
			jobs = append(jobs, chartJob{"scatter-" + fileName(m.name) + ".png", func() ([]byte, error) { return scatterChart(sw, m) }})
		}
	case sw.Design == "oat":
		for i := range sw.Factors {
			i := i
			jobs = append(jobs, chartJob{"response-events-" + fileName(sw.Factors[i]) + ".png", func() ([]byte, error) { return responseEvents(sw, i) }})
		}
	case len(sw.Factors) == 1:
		jobs = append(jobs, chartJob{"response-events.png", func() ([]byte, error) { return responseEvents(sw, 0) }})
		for _, m := range metrics {
			if m.percent {
				continue
			}
			m := m
			jobs = append(jobs, chartJob{"response-" + fileName(m.name) + ".png", func() ([]byte, error) { return responseOutcome(sw, m) }})
		}
	default:
		for _, m := range metrics {
			m := m
			jobs = append(jobs, chartJob{"heatmap-" + fileName(m.name) + ".png", func() ([]byte, error) { return heatmap(sw, m) }})
		}
	}
	return renderAll(ctx, w, jobs)
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

// band returns the polygon between lo and hi along xs.
func bandPolygon(xs, lo, hi []float64, col color.NRGBA) (*plotter.Polygon, error) {
	var xy plotter.XYs
	for k := range xs {
		xy = append(xy, plotter.XY{X: xs[k], Y: hi[k]})
	}
	for k := len(xs) - 1; k >= 0; k-- {
		xy = append(xy, plotter.XY{X: xs[k], Y: lo[k]})
	}
	p, err := plotter.NewPolygon(xy)
	if err != nil {
		return nil, err
	}
	p.Color = col
	p.LineStyle.Width = 0
	return p, nil
}

// responseEvents draws every event's probability against factor i, with
// its Wilson 95% band; for one-at-a-time designs the base point's
// probabilities are dashed reference lines.
func responseEvents(sw Sweep, i int) ([]byte, error) {
	idx := along(sw, i)
	if len(idx) < 2 {
		return nil, fmt.Errorf("factor %s has fewer than two points", sw.Factors[i])
	}
	p := newPlot(sw.Factors[i], "Probability (%)")
	xs := make([]float64, len(idx))
	for a, k := range idx {
		xs[a] = sw.Points[k][i]
	}
	var lines []plot.Plotter
	for e, ev := range sw.Summaries[0].Events {
		col := palette[e%len(palette)]
		v, lo, hi := make([]float64, len(idx)), make([]float64, len(idx)), make([]float64, len(idx))
		var xy plotter.XYs
		for a, k := range idx {
			es := sw.Summaries[k].Events[e]
			v[a], lo[a], hi[a] = 100*float64(es.Probability), 100*float64(es.Wilson95[0]), 100*float64(es.Wilson95[1])
			xy = append(xy, plotter.XY{X: xs[a], Y: v[a]})
		}
		band, err := bandPolygon(xs, lo, hi, withAlpha(col, 60))
		if err != nil {
			return nil, err
		}
		line, pts, err := plotter.NewLinePoints(xy)
		if err != nil {
			return nil, err
		}
		line.LineStyle = draw.LineStyle{Color: col, Width: vg.Points(2.2)}
		pts.GlyphStyle = draw.GlyphStyle{Color: col, Radius: vg.Points(3), Shape: draw.CircleGlyph{}}
		p.Add(band)
		lines = append(lines, line, pts)
		p.Legend.Add(ev.Description, line)
		if sw.Design == "oat" {
			base := 100 * float64(sw.Summaries[0].Events[e].Probability)
			ref, err := plotter.NewLine(plotter.XYs{{X: xs[0], Y: base}, {X: xs[len(xs)-1], Y: base}})
			if err != nil {
				return nil, err
			}
			ref.LineStyle = draw.LineStyle{Color: withAlpha(col, 160), Width: vg.Points(1), Dashes: []vg.Length{vg.Points(4), vg.Points(3)}}
			lines = append(lines, ref)
		}
	}
	p.Add(plotter.NewGrid())
	p.Add(lines...)
	p.Y.Min, p.Y.Max = 0, 100
	p.Legend.Top, p.Legend.Left = true, true
	p.Legend.XOffs = vg.Points(8)
	sub := fmt.Sprintf("Probability of each event at each value of %s, with Wilson 95%% bands; %s runs per point on common random numbers", sw.Factors[i], thousands(int64(sw.Runs)))
	if sw.Design == "oat" {
		sub += "; dashed: the scenario as written"
	}
	return renderPlot(ChartWidth, ChartHeight, Meta{Title: sw.Title + ": events", Subtitle: sub, Footer: sw.footer()}, p)
}

// responseOutcome draws an outcome's mean (with its 95% band) and 90%
// range against the single factor.
func responseOutcome(sw Sweep, m metric) ([]byte, error) {
	idx := along(sw, 0)
	p := newPlot(sw.Factors[0], m.axis)
	n := len(idx)
	xs, v, lo, hi, q5, q95 := make([]float64, n), make([]float64, n), make([]float64, n), make([]float64, n), make([]float64, n), make([]float64, n)
	var xy plotter.XYs
	for a, k := range idx {
		xs[a] = sw.Points[k][0]
		v[a], lo[a], hi[a], q5[a], q95[a] = m.value(sw.Summaries[k])
		xy = append(xy, plotter.XY{X: xs[a], Y: v[a]})
	}
	outer, err := bandPolygon(xs, q5, q95, withAlpha(accent, 45))
	if err != nil {
		return nil, err
	}
	line, pts, err := plotter.NewLinePoints(xy)
	if err != nil {
		return nil, err
	}
	line.LineStyle = draw.LineStyle{Color: accent, Width: vg.Points(2.2)}
	pts.GlyphStyle = draw.GlyphStyle{Color: accent, Radius: vg.Points(3), Shape: draw.CircleGlyph{}}
	p.Add(plotter.NewGrid(), outer)
	p.Legend.Add("mean", line)
	// With one run per point the mean has no interval (NaN): no band.
	if finite(lo...) && finite(hi...) {
		inner, err := bandPolygon(xs, lo, hi, withAlpha(accent, 150))
		if err != nil {
			return nil, err
		}
		p.Add(inner)
		p.Legend.Add("95% interval of the mean", inner)
	}
	p.Add(line, pts)
	p.Legend.Add("90% of runs", outer)
	p.Legend.Top = true
	sub := fmt.Sprintf("Mean over %s runs per point, its 95%% interval and the range holding 90%% of runs, at each value of %s", thousands(int64(sw.Runs)), sw.Factors[0])
	return renderPlot(ChartWidth, ChartHeight, Meta{Title: m.title, Subtitle: sub, Footer: sw.footer()}, p)
}

// cells draws a heatmap of values on an index grid with each cell's
// value written in it; darker cells are higher.
type cells struct {
	nx, ny   int
	values   [][]float64 // [x][y]
	label    func(v float64) string
	min, max float64
}

func (c cells) Plot(cv draw.Canvas, p *plot.Plot) {
	trX, trY := p.Transforms(&cv)
	for i := 0; i < c.nx; i++ {
		for j := 0; j < c.ny; j++ {
			v := c.values[i][j]
			t := 0.0
			if c.max > c.min {
				t = (v - c.min) / (c.max - c.min)
			}
			fill := color.NRGBA{R: uint8(247 - 216*t), G: uint8(251 - 156*t), B: uint8(255 - 102*t), A: 255}
			x0, x1 := trX(float64(i)-0.5), trX(float64(i)+0.5)
			y0, y1 := trY(float64(j)-0.5), trY(float64(j)+0.5)
			cv.FillPolygon(fill, []vg.Point{{X: x0, Y: y0}, {X: x1, Y: y0}, {X: x1, Y: y1}, {X: x0, Y: y1}})
			txt := ink
			if t > 0.55 {
				txt = color.NRGBA{R: 255, G: 255, B: 255, A: 255}
			}
			st := style(sans, 13, txt)
			st.XAlign, st.YAlign = draw.XCenter, draw.YCenter
			cv.FillText(st, vg.Point{X: (x0 + x1) / 2, Y: (y0 + y1) / 2}, c.label(v))
		}
	}
}

func (c cells) DataRange() (xmin, xmax, ymin, ymax float64) {
	return -0.5, float64(c.nx) - 0.5, -0.5, float64(c.ny) - 0.5
}

// heatmap draws a metric over a two-factor grid.
func heatmap(sw Sweep, m metric) ([]byte, error) {
	xv, yv := distinct(sw.Points, 0), distinct(sw.Points, 1)
	c := cells{nx: len(xv), ny: len(yv), min: math.Inf(1), max: math.Inf(-1)}
	c.values = make([][]float64, c.nx)
	for i := range c.values {
		c.values[i] = make([]float64, c.ny)
	}
	for k, pt := range sw.Points {
		v, _, _, _, _ := m.value(sw.Summaries[k])
		i, j := sort.SearchFloat64s(xv, pt[0]), sort.SearchFloat64s(yv, pt[1])
		c.values[i][j] = v
		c.min, c.max = math.Min(c.min, v), math.Max(c.max, v)
	}
	c.label = func(v float64) string {
		if m.percent {
			return percent(v / 100)
		}
		return num(v)
	}
	p := newPlot(sw.Factors[0], sw.Factors[1])
	p.Add(c)
	p.NominalX(labels(xv)...)
	p.NominalY(labels(yv)...)
	p.X.Tick.Label.XAlign, p.X.Tick.Label.YAlign = draw.XCenter, draw.YTop
	p.Y.Tick.Label.XAlign, p.Y.Tick.Label.YAlign = draw.XRight, draw.YCenter
	what := "probability"
	if !m.percent {
		what = "mean, " + strings.TrimPrefix(m.axis, "Mean ")
	}
	sub := fmt.Sprintf("%s at each grid point (darker: higher); %s runs per point on common random numbers", what, thousands(int64(sw.Runs)))
	return renderPlot(ChartWidth, ChartHeight, Meta{Title: m.title, Subtitle: strings.ToUpper(sub[:1]) + sub[1:], Footer: sw.footer()}, p)
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

func labels(vs []float64) []string {
	out := make([]string, len(vs))
	for i, v := range vs {
		out[i] = trimFloat(v)
	}
	return out
}

// scatterChart draws a metric against each factor, one panel per factor.
func scatterChart(sw Sweep, m metric) ([]byte, error) {
	meta := Meta{Title: m.title, Subtitle: fmt.Sprintf("%s at each of %d design points against each factor; %s runs per point", m.axis, len(sw.Points), thousands(int64(sw.Runs))), Footer: sw.footer()}
	cols := min(len(sw.Factors), 3)
	rows := (len(sw.Factors) + cols - 1) / cols
	return render(ChartWidth+400*(cols-2)*boolInt(cols > 2), ChartHeight, func(c draw.Canvas) error {
		area := frame(c, meta, 22)
		w := (area.Max.X - area.Min.X) / vg.Length(cols)
		h := (area.Max.Y - area.Min.Y) / vg.Length(rows)
		for i, f := range sw.Factors {
			var xy plotter.XYs
			for k, pt := range sw.Points {
				v, _, _, _, _ := m.value(sw.Summaries[k])
				xy = append(xy, plotter.XY{X: pt[i], Y: v})
			}
			p := newPlot(f, m.axis)
			sc, err := plotter.NewScatter(xy)
			if err != nil {
				return err
			}
			sc.GlyphStyle = draw.GlyphStyle{Color: withAlpha(accent, 200), Radius: vg.Points(3.5), Shape: draw.CircleGlyph{}}
			p.Add(plotter.NewGrid(), sc)
			if i%cols != 0 {
				p.Y.Label.Text = ""
			}
			cell := area
			col, row := i%cols, i/cols
			cell.Min = vg.Point{X: area.Min.X + w*vg.Length(col), Y: area.Max.Y - h*vg.Length(row+1)}
			cell.Max = vg.Point{X: area.Min.X + w*vg.Length(col+1) - px(10), Y: area.Max.Y - h*vg.Length(row) - px(8)}
			p.Draw(cell)
		}
		return nil
	})
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}
