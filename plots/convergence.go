package plots

import (
	"fmt"
	"image/color"
	"math"
	"sort"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/geosim/geosim/output"
)

// ConvergenceWidth and ConvergenceHeight are the convergence chart's size.
const (
	ConvergenceWidth  = 1600
	ConvergenceHeight = 1000
)

// bandSeries is one quantity across checkpoints: its estimate and 95%
// interval at each run count.
type bandSeries struct {
	y, lo, hi []float64
	col       color.NRGBA
	label     string
	band      bool // shade the interval
}

// bandLines draws series against runs, each with its interval band, and
// labels each at its right end, spread so that labels do not collide.
type bandLines struct {
	x      []float64
	series []bandSeries
}

func (b bandLines) Plot(c draw.Canvas, p *plot.Plot) {
	trX, trY := p.Transforms(&c)
	for _, s := range b.series {
		if s.band && len(b.x) > 1 {
			var poly []vg.Point
			for k := range b.x {
				poly = append(poly, vg.Point{X: trX(b.x[k]), Y: trY(s.hi[k])})
			}
			for k := len(b.x) - 1; k >= 0; k-- {
				poly = append(poly, vg.Point{X: trX(b.x[k]), Y: trY(s.lo[k])})
			}
			c.FillPolygon(withAlpha(s.col, 45), c.ClipPolygonXY(poly))
		}
	}
	type label struct {
		y    vg.Length
		text string
		col  color.NRGBA
	}
	var labels []label
	for _, s := range b.series {
		line := make([]vg.Point, len(b.x))
		for k := range b.x {
			line[k] = vg.Point{X: trX(b.x[k]), Y: trY(s.y[k])}
		}
		c.StrokeLines(draw.LineStyle{Color: s.col, Width: vg.Points(2)}, c.ClipLinesXY(line)...)
		for _, pt := range line {
			if c.Contains(pt) {
				c.DrawGlyph(draw.GlyphStyle{Color: s.col, Radius: vg.Points(2.5), Shape: draw.CircleGlyph{}}, pt)
			}
		}
		if s.label != "" {
			y := line[len(line)-1].Y
			y = min(max(y, c.Min.Y+px(8)), c.Max.Y-px(8))
			labels = append(labels, label{y, s.label, s.col})
		}
	}
	// Spread labels at least a line apart, keeping their order.
	sort.SliceStable(labels, func(i, j int) bool { return labels[i].y > labels[j].y })
	gap := px(17)
	for i := 1; i < len(labels); i++ {
		if labels[i].y > labels[i-1].y-gap {
			labels[i].y = labels[i-1].y - gap
		}
	}
	if n := len(labels); n > 0 && labels[n-1].y < c.Min.Y+px(6) {
		shift := c.Min.Y + px(6) - labels[n-1].y
		for i := range labels {
			labels[i].y += shift
		}
	}
	x := trX(b.x[len(b.x)-1]) + px(10)
	for _, l := range labels {
		st := style(sans, 12, l.col)
		st.YAlign = draw.YCenter
		c.FillText(st, vg.Point{X: x, Y: l.y}, fitText(st, l.text, c.Max.X-x-px(2)))
	}
}

func (b bandLines) DataRange() (xmin, xmax, ymin, ymax float64) {
	xmin, xmax = 0, b.x[len(b.x)-1]
	ymin, ymax = math.Inf(1), math.Inf(-1)
	for _, s := range b.series {
		for k := range s.y {
			ymin = math.Min(ymin, s.lo[k])
			ymax = math.Max(ymax, s.hi[k])
		}
	}
	return xmin, xmax, ymin, ymax
}

// targetBand shades the horizontal band [lo, hi] across the plot.
type targetBand struct {
	lo, hi float64
	label  string
}

func (t targetBand) Plot(c draw.Canvas, p *plot.Plot) {
	_, trY := p.Transforms(&c)
	y0, y1 := trY(t.lo), trY(t.hi)
	c.FillPolygon(color.NRGBA{R: 0x00, G: 0x9e, B: 0x73, A: 30}, c.ClipPolygonY([]vg.Point{{X: c.Min.X, Y: y0}, {X: c.Max.X, Y: y0}, {X: c.Max.X, Y: y1}, {X: c.Min.X, Y: y1}}))
	ls := draw.LineStyle{Color: palette[2], Width: vg.Points(1.2), Dashes: []vg.Length{vg.Points(5), vg.Points(4)}}
	c.StrokeLine2(ls, c.Min.X, y0, c.Max.X, y0)
	if t.hi != t.lo {
		c.StrokeLine2(ls, c.Min.X, y1, c.Max.X, y1)
	}
	st := style(sans, 12, palette[2])
	st.YAlign = draw.YBottom
	c.FillText(st, vg.Point{X: c.Min.X + px(8), Y: y1 + px(3)}, t.label)
}

func (t targetBand) DataRange() (xmin, xmax, ymin, ymax float64) {
	return math.NaN(), math.NaN(), t.lo, t.hi
}

// Convergence charts a precision-mode run: the event probabilities with
// their 95% intervals against runs; the outcome means, standardised as
// their distance from the final mean in units of their tolerance, with
// the ±1 band the final interval had to fit in; and each quantity's
// half-width as a multiple of its tolerance, which must end below 1.
func Convergence(s *output.Summary) ([]byte, error) {
	pr := s.Precision
	if pr == nil || len(pr.Checkpoints) == 0 {
		return nil, fmt.Errorf("plots: no precision checkpoints")
	}
	xs := make([]float64, len(pr.Checkpoints))
	for k, cp := range pr.Checkpoints {
		xs[k] = float64(cp.Runs)
	}
	col := func(i int) color.NRGBA { return palette[i%len(palette)] }
	series := func(q int) (y, lo, hi []float64) {
		for _, cp := range pr.Checkpoints {
			y = append(y, float64(cp.Estimate[q]))
			lo = append(lo, float64(cp.Lo[q]))
			hi = append(hi, float64(cp.Hi[q]))
		}
		return y, lo, hi
	}
	runsAxis := func(p *plot.Plot) {
		p.X.Min, p.X.Max = 0, xs[len(xs)-1]*1.75 // room at the right for the labels
		p.X.Tick.Marker = runTicks{max: xs[len(xs)-1]}
	}

	events := newPlot("runs", "probability (95% interval shaded)")
	events.Add(plotter.NewGrid())
	var ev bandLines
	ev.x = xs
	var outs bandLines
	outs.x = xs
	ratio := newPlot("runs", "half-width ÷ tolerance")
	ratio.Add(plotter.NewGrid())
	ratio.Y.Scale = plot.LogScale{}
	ratio.Y.Tick.Marker = plot.LogTicks{Prec: -1}
	var rl bandLines
	rl.x = xs
	nEvents, nOutcomes := 0, 0
	rmin, rmax := math.Inf(1), math.Inf(-1)
	for q, qt := range pr.Quantities {
		y, lo, hi := series(q)
		tol := float64(qt.Tolerance)
		switch qt.Kind {
		case "event":
			ev.series = append(ev.series, bandSeries{y: y, lo: lo, hi: hi, col: col(nEvents), label: fmt.Sprintf("%s %s", percent(y[len(y)-1]), quantityName(qt)), band: true})
			nEvents++
		case "outcome":
			final := y[len(y)-1]
			z := func(v []float64) []float64 {
				out := make([]float64, len(v))
				for k := range v {
					out[k] = math.Max(-4, math.Min(4, (v[k]-final)/tol))
				}
				return out
			}
			outs.series = append(outs.series, bandSeries{y: z(y), lo: z(lo), hi: z(hi), col: col(nOutcomes), label: quantityName(qt), band: true})
			nOutcomes++
		}
		var r []float64
		for k := range y {
			v := math.Max(1e-3, (hi[k]-lo[k])/2/tol)
			r = append(r, v)
			rmin, rmax = math.Min(rmin, v), math.Max(rmax, v)
		}
		label := ""
		if qt.Name == pr.Binding {
			label = "widest: " + quantityName(qt)
		}
		c := withAlpha(faint, 255)
		if label != "" {
			c = shockRed
		}
		rl.series = append(rl.series, bandSeries{y: r, lo: r, hi: r, col: c, label: label})
	}
	// Draw the binding quantity last, on top.
	sort.SliceStable(rl.series, func(i, j int) bool { return rl.series[i].label == "" && rl.series[j].label != "" })
	if len(ev.series) > 0 {
		events.Add(ev)
	}
	events.Y.Tick.Marker = percentTicks{}
	events.Y.Min, events.Y.Max = 0, 1
	if len(ev.series) > 0 {
		_, _, lo, hi := ev.DataRange()
		events.Y.Min, events.Y.Max = math.Max(0, lo-0.02), math.Min(1, hi+0.02)
	}
	runsAxis(events)

	outcomes := newPlot("runs", "(mean − final) ÷ tolerance")
	outcomes.Add(plotter.NewGrid(), targetBand{-1, 1, "±1 tolerance"})
	if len(outs.series) > 0 {
		outcomes.Add(outs)
	}
	outcomes.Y.Min, outcomes.Y.Max = -4, 4
	runsAxis(outcomes)

	ratio.Add(targetBand{1, 1, ""}, rl)
	ratio.Y.Min, ratio.Y.Max = math.Max(1e-3, math.Min(rmin, 1)*0.7), math.Max(rmax, 1)*1.4
	runsAxis(ratio)
	ratio.X.Max = xs[len(xs)-1] * 1.8

	status := "reached"
	if !pr.Met {
		status = "NOT reached"
	}
	meta := Meta{
		Title: fmt.Sprintf("Precision %s %s after %s runs", trimFloat(float64(pr.Target)), status, thousands(pr.Runs)),
		Subtitle: fmt.Sprintf("Checked after every block of %s runs (at most %s): every probability's 95%% interval within ±%s, every outcome mean's within ±%s × its range",
			thousands(int64(pr.Block)), thousands(pr.MaxRuns), trimFloat(float64(pr.Target)), trimFloat(float64(pr.Target))),
		Footer: footerText(s),
	}
	return render(ConvergenceWidth, ConvergenceHeight, func(c draw.Canvas) error {
		area := frame(c, meta, 22)
		mid := area.Min.X + (area.Max.X-area.Min.X)/2
		head := func(cv draw.Canvas, text string) draw.Canvas {
			st := style(sansBold, 15, ink)
			cv.FillText(st, vg.Point{X: cv.Min.X + px(10), Y: cv.Max.Y}, text)
			cv.Max.Y -= px(28)
			return cv
		}
		left := area
		left.Max.X = mid - px(20)
		drawPlot(head(left, "Event probabilities"), events)
		upper, lower := area, area
		upper.Min.X, lower.Min.X = mid+px(10), mid+px(10)
		half := (area.Max.Y - area.Min.Y) / 2
		upper.Min.Y = area.Min.Y + half + px(10)
		lower.Max.Y = area.Min.Y + half - px(10)
		drawPlot(head(upper, "Outcome means, standardised"), outcomes)
		drawPlot(head(lower, "Interval half-width ÷ tolerance, log scale: must end below the dashed line"), ratio)
		return nil
	})
}

// quantityName names a precision quantity by its description, or its
// name when it has none.
func quantityName(q output.PrecisionQuantity) string {
	if q.Description != "" {
		return q.Description
	}
	return q.Name
}

// runTicks labels a run-count axis with round numbers up to max.
type runTicks struct{ max float64 }

func (t runTicks) Ticks(min, max float64) []plot.Tick {
	var ticks []plot.Tick
	for _, tk := range (niceTicks{}).Ticks(min, t.max) {
		if tk.Label != "" {
			tk.Label = thousands(int64(math.Round(tk.Value)))
		}
		ticks = append(ticks, tk)
	}
	return ticks
}
