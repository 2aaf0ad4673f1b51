package plots

import (
	"image"
	"image/color"
	"math"

	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/vg"
)

// maxCoordinate bounds every coordinate, length and radius that reaches
// the rasteriser, in points: far beyond any chart (a 1920-pixel slide is
// 1382 points wide), far below what makes it loop for hours.
const maxCoordinate = 1e5

// safeCanvas stands between the charts and the rasteriser: it drops any
// path, text or transform with a NaN, infinite or huge coordinate (which
// send the font and path rasterisers into loops that ignore signals) and
// counts them, so that render can refuse the chart instead.
type safeCanvas struct {
	vg.CanvasSizer
	dropped int
	// layout records where text was drawn, for checkLayout.
	layout layoutRecorder
	// invisible[len-1] is whether the current colour is fully
	// transparent; the stack follows Push and Pop as the canvas's own
	// colour stack does (newSafeCanvas starts it with the canvas's
	// initial black).
	invisible []bool
}

// newSafeCanvas wraps c, whose colour is its initial black.
func newSafeCanvas(c vg.CanvasSizer) *safeCanvas {
	return &safeCanvas{CanvasSizer: c, invisible: []bool{false}}
}

// isInvisible reports whether painting with the current colour leaves
// every pixel as it was: a colour whose premultiplied red, green, blue
// and alpha are all 0. (freetype's RGBAPainter then computes each
// channel as d·0xffff·0x101/0xffff >> 8 = d exactly.) gonum/plot fills
// each plot's whole area with its background colour, which the charts
// set transparent: a fifth of the charts' rasterising for nothing.
func (c *safeCanvas) isInvisible() bool {
	return len(c.invisible) > 0 && c.invisible[len(c.invisible)-1]
}

func okLength(x vg.Length) bool { return okFloat(float64(x)) }

func okFloat(x float64) bool { return x >= -maxCoordinate && x <= maxCoordinate }

func okPoint(p vg.Point) bool { return okLength(p.X) && okLength(p.Y) }

func (c *safeCanvas) okPath(p vg.Path) bool {
	for _, comp := range p {
		if !okPoint(comp.Pos) || !okLength(comp.Radius) || !okFloat(comp.Start) || !okFloat(comp.Angle) {
			c.dropped++
			return false
		}
		for _, ctl := range comp.Control {
			if !okPoint(ctl) {
				c.dropped++
				return false
			}
		}
	}
	return true
}

func (c *safeCanvas) SetLineWidth(w vg.Length) {
	if !(w >= 0 && w <= 1000) {
		c.dropped++
		w = 0
	}
	c.CanvasSizer.SetLineWidth(w)
}

// SetLineDash drops dash patterns with non-positive or non-finite
// lengths, which would make the dasher loop.
func (c *safeCanvas) SetLineDash(pattern []vg.Length, offset vg.Length) {
	for _, d := range pattern {
		if !(d > 0.01 && d <= 1000) {
			c.dropped++
			pattern = nil
			break
		}
	}
	if !okLength(offset) {
		c.dropped++
		offset = 0
	}
	c.CanvasSizer.SetLineDash(pattern, offset)
}

func (c *safeCanvas) SetColor(col color.Color) {
	invisible := false
	if col != nil {
		r, g, b, a := col.RGBA()
		invisible = r|g|b|a == 0
	}
	if len(c.invisible) > 0 {
		c.invisible[len(c.invisible)-1] = invisible
	}
	c.CanvasSizer.SetColor(col)
}

func (c *safeCanvas) Rotate(rad float64) {
	if !okFloat(rad) {
		c.dropped++
		return
	}
	c.layout.rotate(rad)
	c.CanvasSizer.Rotate(rad)
}

func (c *safeCanvas) Translate(pt vg.Point) {
	if !okPoint(pt) {
		c.dropped++
		return
	}
	c.layout.translate(pt)
	c.CanvasSizer.Translate(pt)
}

func (c *safeCanvas) Scale(x, y float64) {
	if !okFloat(x) || !okFloat(y) || x == 0 || y == 0 {
		c.dropped++
		return
	}
	c.layout.scale(x, y)
	c.CanvasSizer.Scale(x, y)
}

func (c *safeCanvas) Push() {
	c.layout.push()
	c.invisible = append(c.invisible, c.isInvisible())
	c.CanvasSizer.Push()
}

func (c *safeCanvas) Pop() {
	c.layout.pop()
	if len(c.invisible) > 0 {
		c.invisible = c.invisible[:len(c.invisible)-1]
	}
	c.CanvasSizer.Pop()
}

// Stroke and Fill skip an invisible colour's paths (after checking
// them): the pixels are the same, and the canvas's path is empty
// afterwards either way.
func (c *safeCanvas) Stroke(p vg.Path) {
	if c.okPath(p) && !c.isInvisible() {
		c.CanvasSizer.Stroke(p)
	}
}

func (c *safeCanvas) Fill(p vg.Path) {
	if c.okPath(p) && !c.isInvisible() {
		c.CanvasSizer.Fill(p)
	}
}

func (c *safeCanvas) FillString(f font.Face, pt vg.Point, text string) {
	if !okPoint(pt) || !okLength(f.Font.Size) || math.IsNaN(float64(f.Font.Size)) {
		c.dropped++
		return
	}
	c.layout.text(f, pt, text)
	c.CanvasSizer.FillString(f, pt, text)
}

func (c *safeCanvas) DrawImage(rect vg.Rectangle, img image.Image) {
	if !okPoint(rect.Min) || !okPoint(rect.Max) {
		c.dropped++
		return
	}
	c.CanvasSizer.DrawImage(rect, img)
}
