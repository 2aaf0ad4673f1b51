package plots

import (
	"image/color"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// Marker is a labelled vertical line at X.
type Marker struct {
	X     float64
	Label string
	Color color.Color
	Dash  []vg.Length
}

// Markers draws vertical lines across the data area with their labels
// written upward along the line, for dated signals and shock timings.
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
		ls := draw.LineStyle{Color: m.Color, Width: vg.Points(1.2), Dashes: m.Dash}
		c.StrokeLine2(ls, x, c.Min.Y, x, c.Max.Y)
		st := style(sans, 11, m.Color)
		st.Rotation = 1.5707963267948966 // 90°: read bottom to top
		// Rotated, the text's top faces left: YTop hangs it right of the line.
		st.XAlign, st.YAlign = draw.XRight, draw.YTop
		c.FillText(st, vg.Point{X: x + vg.Points(2), Y: c.Max.Y - vg.Points(4)}, m.Label)
	}
}

// Span is a shaded stretch of months [From, To) with an optional label.
type Span struct {
	From, To float64
	Label    string
}

// Spans shades calendar occasions behind the data: light amber bands
// across the data area, labels written along the top of each band.
type Spans struct {
	List []Span
}

// spanColor is a light amber that stays apart from the fan's actor
// colours and from the grey and red markers.
var spanColor = color.NRGBA{R: 0xe6, G: 0x9f, B: 0x00, A: 0x33}

// Plot implements plot.Plotter. Labels go along the bottom of the data
// area, each on the lowest row where it does not run into an earlier one.
func (ss Spans) Plot(c draw.Canvas, p *plot.Plot) {
	trX, _ := p.Transforms(&c)
	st := style(sans, 11, color.NRGBA{R: 0x8a, G: 0x5a, B: 0x00, A: 0xff})
	st.XAlign, st.YAlign = draw.XLeft, draw.YBottom
	var rowEnd []vg.Length // per label row: where its last label ends
	for _, s := range ss.List {
		x0, x1 := max(trX(s.From), c.Min.X), min(trX(s.To), c.Max.X)
		if x1 <= x0 {
			continue
		}
		c.FillPolygon(spanColor, []vg.Point{{X: x0, Y: c.Min.Y}, {X: x1, Y: c.Min.Y}, {X: x1, Y: c.Max.Y}, {X: x0, Y: c.Max.Y}})
		if s.Label == "" {
			continue
		}
		x := x0 + vg.Points(2)
		row := 0
		for row < len(rowEnd) && rowEnd[row] > x {
			row++
		}
		if row == len(rowEnd) {
			rowEnd = append(rowEnd, 0)
		}
		rowEnd[row] = x + st.Width(s.Label) + vg.Points(8)
		c.FillText(st, vg.Point{X: x, Y: c.Min.Y + vg.Points(3) + vg.Length(row)*st.Font.Size*1.3}, s.Label)
	}
}
