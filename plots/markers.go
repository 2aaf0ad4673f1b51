package plots

import (
	"image/color"
	"math"
	"sort"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// Marker is a thin vertical line at X across the data area (a dated
// signal); its label goes in the timeline strip above the chart.
type Marker struct {
	X     float64
	Color color.Color
	Dash  []vg.Length
}

// Markers draws vertical lines across the data area.
type Markers struct {
	List []Marker
}

// Plot implements plot.Plotter.
func (ms Markers) Plot(c draw.Canvas, p *plot.Plot) {
	trX, _ := p.Transforms(&c)
	for _, m := range ms.List {
		x := trX(m.X)
		if x < c.Min.X || x > c.Max.X {
			continue
		}
		c.StrokeLine2(draw.LineStyle{Color: m.Color, Width: vg.Points(1), Dashes: m.Dash}, x, c.Min.Y, x, c.Max.Y)
	}
}

// Span is a shaded stretch of months [From, To).
type Span struct {
	From, To float64
}

// Spans shades calendar occasions behind the data: light amber bands
// across the data area (their labels go in the timeline strip).
type Spans struct {
	List  []Span
	Color color.NRGBA // zero: spanColor
}

// spanColor is a light amber that stays apart from the fan's actor
// colours and from the grey and red markers.
var spanColor = color.NRGBA{R: 0xe6, G: 0x9f, B: 0x00, A: 0x30}

// spanInk is the amber of occasion labels and strip spans.
var spanInk = color.NRGBA{R: 0x8a, G: 0x5a, B: 0x00, A: 0xff}

// Plot implements plot.Plotter.
func (ss Spans) Plot(c draw.Canvas, p *plot.Plot) {
	trX, _ := p.Transforms(&c)
	for _, s := range ss.List {
		x0, x1 := max(trX(s.From), c.Min.X), min(trX(s.To), c.Max.X)
		if x1 <= x0 {
			continue
		}
		col := ss.Color
		if col.A == 0 {
			col = spanColor
		}
		c.FillPolygon(col, []vg.Point{{X: x0, Y: c.Min.Y}, {X: x1, Y: c.Min.Y}, {X: x1, Y: c.Max.Y}, {X: x0, Y: c.Max.Y}})
	}
}

// timelineItem is one entry of the timeline strip above a time axis: a
// dated signal (a point), a calendar occasion (a span) or the firing of
// a shock (a bar per month, its height the probability that the shock
// fires in that month: when it tends to come, without pretending to know
// the month).
type timelineItem struct {
	Kind     string  // "signal", "occasion", "shock"
	From, To float64 // months after the start; To = From for a point
	// Density: shocks, the probability of firing in month k (from 0),
	// drawn on a scale whose top is DensityMax (shared by the shocks of a
	// strip, so that a rare shock shows small bars).
	Density    []float64
	DensityMax float64
	Label      string
	Color      color.NRGBA
}

// timelineRow is the height of one row of the strip.
func timelineRow(size float64) vg.Length { return lineHeight(style(sans, size, ink)) + px(4) }

// packTimeline assigns each item to the first row where its mark and
// label fit after the previous ones, given the x transform of the axis
// and the strip's right edge; it returns each item's row and where its
// label starts, and the number of rows (at most maxRows: later items
// that do not fit are dropped, row -1).
func packTimeline(items []timelineItem, trX func(float64) vg.Length, left, right vg.Length, size float64, maxRows int) (rows []int, labelX []vg.Length, n int) {
	st := style(sans, size, ink)
	order := make([]int, len(items))
	for i := range order {
		order[i] = i
	}
	// Signals and occasions first, then the shocks, each on its own row
	// nearest the chart.
	sort.SliceStable(order, func(a, b int) bool {
		sa, sb := items[order[a]].Kind == "shock", items[order[b]].Kind == "shock"
		if sa != sb {
			return sb
		}
		return items[order[a]].From < items[order[b]].From
	})
	rows = make([]int, len(items))
	labelX = make([]vg.Length, len(items))
	var ends []vg.Length
	for _, i := range order {
		it := items[i]
		x0, x1 := trX(it.From), trX(it.To)
		w := st.Width(it.Label)
		lx := max(x1+px(6), left)
		if it.Kind == "shock" {
			lx = max(x0, left) + px(4)
		}
		if it.Kind == "occasion" {
			lx = max(x0, left) // the label sits on the span
			if lx+w < x1 {
				lx = (max(x0, left) + min(x1, right) - w) / 2
			}
		}
		if lx+w > right {
			lx = max(left, right-w)
		}
		start, end := min(x0, lx), max(x1, lx+w)+px(10)
		row := -1
		for r := range ends {
			if ends[r] <= start && it.Kind != "shock" {
				row = r
				break
			}
		}
		if row < 0 {
			if len(ends) == maxRows {
				rows[i] = -1
				continue
			}
			ends = append(ends, 0)
			row = len(ends) - 1
		}
		ends[row] = end
		rows[i], labelX[i] = row, lx
	}
	return rows, labelX, len(ends)
}

// drawTimeline draws the strip's items in c (rows from the top down).
func drawTimeline(c draw.Canvas, items []timelineItem, trX func(float64) vg.Length, rows []int, labelX []vg.Length, size float64) {
	rh := timelineRow(size)
	for i, it := range items {
		if rows[i] < 0 {
			continue
		}
		yTop := c.Max.Y - vg.Length(rows[i])*rh
		mid := yTop - rh/2
		x0, x1 := trX(it.From), trX(it.To)
		x0, x1 = max(x0, c.Min.X), min(x1, c.Max.X)
		st := style(sans, size, it.Color)
		st.YAlign = draw.YCenter
		switch it.Kind {
		case "signal":
			c.DrawGlyph(draw.GlyphStyle{Color: it.Color, Radius: vg.Points(3.5), Shape: draw.PyramidGlyph{}}, vg.Point{X: x0, Y: mid})
		case "occasion":
			c.FillPolygon(withAlpha(it.Color, 0x40), []vg.Point{{X: x0, Y: yTop - px(2)}, {X: x1, Y: yTop - px(2)}, {X: x1, Y: yTop - rh + px(2)}, {X: x0, Y: yTop - rh + px(2)}})
		case "shock":
			most := it.DensityMax
			for _, d := range it.Density {
				most = max(most, d)
			}
			base, full := yTop-rh+px(2), rh-px(4)
			for k, d := range it.Density {
				if d <= 0 || most <= 0 {
					continue
				}
				a, b := trX(float64(k)), trX(float64(k+1))
				top := base + full*vg.Length(d/most)
				c.FillPolygon(withAlpha(it.Color, 0x50), []vg.Point{{X: a, Y: base}, {X: b, Y: base}, {X: b, Y: top}, {X: a, Y: top}})
			}
			st.Color = ink
		}
		c.FillText(st, vg.Point{X: labelX[i], Y: mid}, it.Label)
	}
}

// drawWithTimeline draws p in c with the timeline strip of items above
// its data area, at most maxRows rows (items beyond are left out), and
// returns the area the plot was drawn in.
func drawWithTimeline(c draw.Canvas, p *plot.Plot, items []timelineItem, size float64, maxRows int) draw.Canvas {
	fitAxisLabels(p, c)
	if len(items) == 0 {
		drawPlot(c, p)
		return c
	}
	dc := p.DataCanvas(c)
	trX, _ := p.Transforms(&dc)
	rows, labelX, n := packTimeline(items, trX, dc.Min.X, c.Max.X, size, maxRows)
	h := vg.Length(n)*timelineRow(size) + px(6)
	strip := c
	strip.Min.Y = c.Max.Y - h
	strip.Min.X, strip.Max.X = dc.Min.X, c.Max.X
	c.Max.Y -= h
	drawPlot(c, p)
	dc = p.DataCanvas(c)
	trX, _ = p.Transforms(&dc)
	drawTimeline(strip, items, func(x float64) vg.Length {
		return min(max(trX(x), dc.Min.X), dc.Max.X)
	}, rows, labelX, size)
	return c
}

// finiteOr returns x, or alt when x is not finite.
func finiteOr(x, alt float64) float64 {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return alt
	}
	return x
}
