package plots

import (
	"image/color"
	"math"
	"sort"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// The shared chart layer: text measured and wrapped to the room it has,
// keys (legends) drawn outside the data, columns of figures beside a
// plot, a timeline strip above a time axis, and a colour bar. Every
// chart builds on it, so that none clips a subtitle, puts a legend over
// its data or prints labels on top of each other — and the layout check
// (layout.go) holds them to it in tests.

// wrapWidth breaks text into lines no wider than width in style st, at
// spaces; a word longer than the width is cut with "…". Existing line
// breaks are kept.
func wrapWidth(st text.Style, s string, width vg.Length) []string {
	var lines []string
	for _, para := range strings.Split(s, "\n") {
		line := ""
		for _, w := range strings.Fields(para) {
			for st.Width(w) > width && len([]rune(w)) > 1 {
				w = clip(w, len([]rune(w))-1)
			}
			switch {
			case line == "":
				line = w
			case st.Width(line+" "+w) <= width:
				line += " " + w
			default:
				lines = append(lines, line)
				line = w
			}
		}
		lines = append(lines, line)
	}
	return lines
}

// fitText shortens s with "…" until it is no wider than width.
func fitText(st text.Style, s string, width vg.Length) string {
	r := []rune(s)
	for n := len(r); n > 1 && st.Width(string(r[:n])) > width; n-- {
		s = string(r[:n-1]) + "…"
		if st.Width(s) <= width {
			return s
		}
	}
	return s
}

// lineHeight is the distance between lines of text in style st.
func lineHeight(st text.Style) vg.Length { return st.Font.Size * 1.3 }

// keyItem is one entry of a key: a swatch drawn by its kind and a label.
type keyItem struct {
	Label string
	Color color.Color
	// Kind: "line" (a stroke, dashed if Dash), "box" (a filled square),
	// "band" (a wide translucent box), "whisker" (an interval with end
	// caps), "dot" (a circle), "square", "ring", "triangle" (glyphs),
	// "linedot" (a line through a dot).
	Kind  string
	Width vg.Length // line width; 0: 2 pt
	Dash  []vg.Length
}

func (k keyItem) swatch(c draw.Canvas, x, y, size vg.Length) {
	w := k.Width
	if w == 0 {
		w = vg.Points(2)
	}
	switch k.Kind {
	case "line":
		c.StrokeLine2(draw.LineStyle{Color: k.Color, Width: w, Dashes: k.Dash}, x, y, x+size*1.6, y)
	case "whisker":
		ls := draw.LineStyle{Color: k.Color, Width: vg.Points(1.5)}
		c.StrokeLine2(ls, x, y, x+size*1.6, y)
		c.StrokeLine2(ls, x, y-size*0.35, x, y+size*0.35)
		c.StrokeLine2(ls, x+size*1.6, y-size*0.35, x+size*1.6, y+size*0.35)
	case "dot":
		c.DrawGlyph(draw.GlyphStyle{Color: k.Color, Radius: size * 0.3, Shape: draw.CircleGlyph{}}, vg.Point{X: x + size*0.8, Y: y})
	case "square":
		c.DrawGlyph(draw.GlyphStyle{Color: k.Color, Radius: size * 0.3, Shape: draw.BoxGlyph{}}, vg.Point{X: x + size*0.8, Y: y})
	case "ring":
		c.DrawGlyph(draw.GlyphStyle{Color: k.Color, Radius: size * 0.3, Shape: draw.RingGlyph{}}, vg.Point{X: x + size*0.8, Y: y})
	case "linedot": // a line with a dot: a series of points joined
		c.StrokeLine2(draw.LineStyle{Color: k.Color, Width: w, Dashes: k.Dash}, x, y, x+size*1.6, y)
		c.DrawGlyph(draw.GlyphStyle{Color: k.Color, Radius: size * 0.22, Shape: draw.CircleGlyph{}}, vg.Point{X: x + size*0.8, Y: y})
	case "triangle":
		c.DrawGlyph(draw.GlyphStyle{Color: k.Color, Radius: size * 0.35, Shape: draw.PyramidGlyph{}}, vg.Point{X: x + size*0.8, Y: y})
	case "band":
		h := size * 0.22
		if k.Width > 0 {
			h = k.Width / 2
		}
		c.FillPolygon(k.Color, []vg.Point{{X: x, Y: y - h}, {X: x + size*1.6, Y: y - h}, {X: x + size*1.6, Y: y + h}, {X: x, Y: y + h}})
	default: // box
		h := size * 0.4
		c.FillPolygon(k.Color, []vg.Point{{X: x, Y: y - h}, {X: x + size*1.6, Y: y - h}, {X: x + size*1.6, Y: y + h}, {X: x, Y: y + h}})
	}
}

// keyRows splits items into rows that fit width w, as indices into items.
func keyRows(items []keyItem, w vg.Length, size float64) [][]int {
	st := style(sans, size, ink)
	sw := st.Font.Size * 1.6
	gap := st.Font.Size * 1.4
	var rows [][]int
	x := vg.Length(0)
	for i, it := range items {
		iw := sw + st.Font.Size*0.4 + st.Width(it.Label)
		if len(rows) == 0 || x > 0 && x+iw > w {
			rows = append(rows, nil)
			x = 0
		}
		rows[len(rows)-1] = append(rows[len(rows)-1], i)
		x += iw + gap
	}
	return rows
}

// drawKey draws a key — swatch and label for each item, in rows that
// wrap to c's width — along the top of c and returns the height used.
func drawKey(c draw.Canvas, items []keyItem, size float64) vg.Length {
	st := style(sans, size, ink)
	st.YAlign = draw.YCenter
	rows := keyRows(items, c.Max.X-c.Min.X, size)
	sw := st.Font.Size * 1.6
	gap := st.Font.Size * 1.4
	y := c.Max.Y - lineHeight(st)/2
	for _, row := range rows {
		x := c.Min.X
		for _, i := range row {
			it := items[i]
			it.swatch(c, x, y, st.Font.Size)
			x += sw + st.Font.Size*0.4
			c.FillText(st, vg.Point{X: x, Y: y}, it.Label)
			x += st.Width(it.Label) + gap
		}
		y -= lineHeight(st)
	}
	return vg.Length(len(rows)) * lineHeight(st)
}

// labelColumnWidth returns the width of the widest of the labels' lines
// in style st.
func labelColumnWidth(st text.Style, labels []string) vg.Length {
	var w vg.Length
	for _, l := range labels {
		for _, line := range strings.Split(l, "\n") {
			w = max(w, st.Width(line))
		}
	}
	return w
}

// rightColumn draws, for each row y = index of a plot drawn on c, the
// text beside it in a column right of the data: the plot must have been
// drawn on a canvas that leaves the column's width free (see
// splitRight). Each text may have two lines (first ink, second muted).
func rightColumn(c draw.Canvas, p *plot.Plot, plotArea draw.Canvas, texts []string, size float64) {
	dc := p.DataCanvas(plotArea)
	_, trY := p.Transforms(&dc)
	first := style(sans, size, ink)
	second := style(sans, size-1, muted)
	for i, t := range texts {
		y := trY(float64(i))
		lines := strings.SplitN(t, "\n", 2)
		x := plotArea.Max.X + px(12)
		if len(lines) == 1 {
			first.YAlign = draw.YCenter
			c.FillText(first, vg.Point{X: x, Y: y}, lines[0])
			continue
		}
		first.YAlign = draw.YBottom
		second.YAlign = draw.YTop
		c.FillText(first, vg.Point{X: x, Y: y + vg.Points(1)}, lines[0])
		c.FillText(second, vg.Point{X: x, Y: y - vg.Points(1)}, lines[1])
	}
}

// drawWithColumn draws p on c with texts in a column at its right, one
// beside each row (rightColumn), leaving the column's width free.
func drawWithColumn(c draw.Canvas, p *plot.Plot, texts []string, size float64) {
	area := splitRight(c, columnWidth(texts, size))
	drawPlot(area, p)
	rightColumn(c, p, area, texts, size)
}

// columnWidth returns the width rightColumn needs for texts.
func columnWidth(texts []string, size float64) vg.Length {
	first := style(sans, size, ink)
	second := style(sans, size-1, muted)
	var w vg.Length
	for _, t := range texts {
		lines := strings.SplitN(t, "\n", 2)
		w = max(w, first.Width(lines[0]))
		if len(lines) == 2 {
			w = max(w, second.Width(lines[1]))
		}
	}
	return w + px(16)
}

// splitRight returns c without a column of width w at its right.
func splitRight(c draw.Canvas, w vg.Length) draw.Canvas {
	c.Max.X -= w
	return c
}

// spreadLabels moves label centres ys (any order) apart so that no two
// are closer than gap, keeping them within [lo, hi] and as near their
// wished positions as it can; it returns the new positions in the same
// order. Used to label line ends directly.
func spreadLabels(ys []vg.Length, gap, lo, hi vg.Length) []vg.Length {
	n := len(ys)
	order := make([]int, n)
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(a, b int) bool { return ys[order[a]] < ys[order[b]] })
	pos := make([]vg.Length, n)
	for k, i := range order {
		pos[k] = min(max(ys[i], lo), hi)
	}
	for iter := 0; iter < 50; iter++ {
		moved := false
		for k := 1; k < n; k++ {
			if d := pos[k] - pos[k-1]; d < gap {
				shift := (gap - d) / 2
				pos[k-1] -= shift
				pos[k] += shift
				moved = true
			}
		}
		if pos[0] < lo {
			d := lo - pos[0]
			for k := range pos {
				pos[k] += d
			}
		}
		if n > 0 && pos[n-1] > hi {
			d := pos[n-1] - hi
			for k := range pos {
				pos[k] -= d
			}
		}
		if !moved {
			break
		}
	}
	// Last pass: enforce the gap upward from the bottom (labels may then
	// run past hi when there is not room for all; the layout check
	// reports that).
	for k := 1; k < n; k++ {
		pos[k] = max(pos[k], pos[k-1]+gap)
	}
	out := make([]vg.Length, n)
	for k, i := range order {
		out[i] = pos[k]
	}
	return out
}

// colorScale maps values in [Min, Max] to a sequential single-hue scale
// (ColorBrewer's Blues, light to dark): readable with any colour-vision
// deficiency and in greyscale, pale for low values so that a sparse map
// reads on white; for heatmaps, with a colour bar.
type colorScale struct {
	Min, Max float64
}

// scaleStops are ColorBrewer's nine-class Blues (Harrower & Brewer 2003).
var scaleStops = []color.NRGBA{
	{R: 0xf7, G: 0xfb, B: 0xff, A: 0xff},
	{R: 0xde, G: 0xeb, B: 0xf7, A: 0xff},
	{R: 0xc6, G: 0xdb, B: 0xef, A: 0xff},
	{R: 0x9e, G: 0xca, B: 0xe1, A: 0xff},
	{R: 0x6b, G: 0xae, B: 0xd6, A: 0xff},
	{R: 0x42, G: 0x92, B: 0xc6, A: 0xff},
	{R: 0x21, G: 0x71, B: 0xb5, A: 0xff},
	{R: 0x08, G: 0x51, B: 0x9c, A: 0xff},
	{R: 0x08, G: 0x30, B: 0x6b, A: 0xff},
}

func (s colorScale) at(v float64) color.NRGBA {
	t := 0.0
	if s.Max > s.Min {
		t = (v - s.Min) / (s.Max - s.Min)
	}
	t = math.Min(math.Max(t, 0), 1) * float64(len(scaleStops)-1)
	i := min(int(t), len(scaleStops)-2)
	f := t - float64(i)
	a, b := scaleStops[i], scaleStops[i+1]
	mix := func(x, y uint8) uint8 { return uint8(math.Round(float64(x) + f*(float64(y)-float64(x)))) }
	return color.NRGBA{R: mix(a.R, b.R), G: mix(a.G, b.G), B: mix(a.B, b.B), A: 0xff}
}

// dark reports whether text on colour c should be white.
func dark(c color.NRGBA) bool {
	return 0.299*float64(c.R)+0.587*float64(c.G)+0.114*float64(c.B) < 140
}

// niceRange widens [lo, hi] to round ends for a colour scale; for
// probabilities (percent) it starts at 0 and ends at 10, 25, 50 or 100.
func niceRange(lo, hi float64, percent bool) (float64, float64) {
	if percent {
		for _, top := range []float64{10, 25, 50, 100} {
			if hi <= top {
				return 0, top
			}
		}
		return 0, 100
	}
	if !(hi > lo) {
		return lo - 1, hi + 1
	}
	ticks := niceTicks{}.Ticks(lo, hi)
	step := (hi - lo) / 5
	if len(ticks) > 1 {
		step = ticks[1].Value - ticks[0].Value
		if ticks[1].Label == "" && len(ticks) > 2 {
			step = ticks[2].Value - ticks[0].Value
		}
	}
	return math.Floor(lo/step) * step, math.Ceil(hi/step) * step
}

// drawColorBar draws a vertical colour bar for scale s from bottom to
// top in c (a fixed width at its left) with ticks, and its title above
// it, and returns the width used.
func drawColorBar(c draw.Canvas, s colorScale, bottom, top vg.Length, title string, format func(float64) string) vg.Length {
	barW := px(18)
	st := style(sans, 12, ink)
	st.YAlign = draw.YCenter
	tt := style(sans, 12, muted)
	tt.YAlign = draw.YBottom
	lines := wrapWidth(tt, title, px(110))
	for i, l := range lines {
		c.FillText(tt, vg.Point{X: c.Min.X, Y: top + px(6) + vg.Length(len(lines)-1-i)*lineHeight(tt)}, l)
	}
	steps := 60
	for i := 0; i < steps; i++ {
		y0 := bottom + (top-bottom)*vg.Length(i)/vg.Length(steps)
		y1 := bottom + (top-bottom)*vg.Length(i+1)/vg.Length(steps)
		v := s.Min + (s.Max-s.Min)*(float64(i)+0.5)/float64(steps)
		c.FillPolygon(s.at(v), []vg.Point{{X: c.Min.X, Y: y0}, {X: c.Min.X + barW, Y: y0}, {X: c.Min.X + barW, Y: y1 + 0.3}, {X: c.Min.X, Y: y1 + 0.3}})
	}
	w := barW
	for _, t := range (niceTicks{}).Ticks(s.Min, s.Max) {
		if t.Label == "" {
			continue
		}
		y := bottom + (top-bottom)*vg.Length((t.Value-s.Min)/(s.Max-s.Min))
		c.StrokeLine2(draw.LineStyle{Color: ink, Width: vg.Points(0.8)}, c.Min.X+barW, y, c.Min.X+barW+px(5), y)
		label := format(t.Value)
		c.FillText(st, vg.Point{X: c.Min.X + barW + px(8), Y: y}, label)
		w = max(w, barW+px(8)+st.Width(label))
	}
	return max(w, px(110))
}

// fitAxisLabels wraps the value axis title onto two or more lines when
// it is longer than the canvas is high (gonum/plot would otherwise
// shrink the data area until the rotated title fits), and the time or
// value axis title at the bottom when it is wider than the canvas.
func fitAxisLabels(p *plot.Plot, c draw.Canvas) {
	if t := p.Y.Label.Text; t != "" && !strings.Contains(t, "\n") {
		room := (c.Max.Y - c.Min.Y) * 0.8
		if p.Y.Label.TextStyle.Width(t) > room {
			p.Y.Label.Text = strings.Join(wrapWidth(p.Y.Label.TextStyle, t, room), "\n")
		}
	}
	if t := p.X.Label.Text; t != "" && !strings.Contains(t, "\n") {
		room := (c.Max.X - c.Min.X) * 0.9
		if p.X.Label.TextStyle.Width(t) > room {
			p.X.Label.Text = strings.Join(wrapWidth(p.X.Label.TextStyle, t, room), "\n")
		}
	}
}

// drawPlot draws p in c with its axis titles fitted to c.
func drawPlot(c draw.Canvas, p *plot.Plot) {
	fitAxisLabels(p, c)
	p.Draw(c)
}

// placeLabels finds a y for each label (x0..x1 wide, wanting to sit at
// want) such that no two labels whose x ranges overlap are closer than
// gap: the fixed ones stay where they want, then each other one, in
// order of wanted height, takes the free position nearest its wish
// within [lo, hi].
func placeLabels(x0, x1, want []vg.Length, fixed []bool, gap, lo, hi vg.Length) []vg.Length {
	n := len(want)
	order := make([]int, 0, n)
	got := make([]vg.Length, n)
	var placed []int
	for i := 0; i < n; i++ {
		if fixed[i] {
			got[i] = want[i]
			placed = append(placed, i)
		} else {
			order = append(order, i)
		}
	}
	sort.SliceStable(order, func(a, b int) bool { return want[order[a]] > want[order[b]] })
	free := func(i int, y vg.Length) bool {
		for _, j := range placed {
			if x0[i] < x1[j] && x0[j] < x1[i] && y > got[j]-gap && y < got[j]+gap {
				return false
			}
		}
		return true
	}
	for _, i := range order {
		y := min(max(want[i], lo), hi)
		for k := 1; !free(i, y) && k < 200; k++ {
			step := gap * vg.Length((k+1)/2) / 2
			if k%2 == 1 {
				y = min(max(want[i]-step, lo), hi)
			} else {
				y = min(max(want[i]+step, lo), hi)
			}
		}
		got[i] = y
		placed = append(placed, i)
	}
	return got
}
