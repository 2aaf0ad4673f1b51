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
