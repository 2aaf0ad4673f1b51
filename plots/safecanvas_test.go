package plots

import (
	"bytes"
	"image"
	"image/color"
	"testing"

	"gonum.org/v1/plot/vg"
)

// drawInvisibleSequence draws on c: a red square, then fills and strokes
// over it with transparent colours (skipped by safeCanvas), and then,
// after a Pop restores the opaque colour, a fill that must be painted.
func drawInvisibleSequence(c vg.Canvas) {
	square := func(x0, y0, s vg.Length) vg.Path {
		var p vg.Path
		p.Move(vg.Point{X: x0, Y: y0})
		p.Line(vg.Point{X: x0 + s, Y: y0})
		p.Line(vg.Point{X: x0 + s, Y: y0 + s})
		p.Line(vg.Point{X: x0, Y: y0 + s})
		p.Close()
		return p
	}
	c.SetColor(color.RGBA{200, 30, 30, 255})
	c.Fill(square(10, 10, 50))
	c.Push()
	c.SetColor(color.Transparent)
	c.Fill(square(0, 0, 100))
	c.SetLineWidth(3)
	c.Stroke(square(5, 5, 40))
	c.Push()
	c.SetColor(color.NRGBA{10, 200, 10, 0})
	c.Fill(square(20, 20, 30))
	c.Pop()
	c.Pop()
	c.Fill(square(40, 40, 30))
	c.SetColor(color.NRGBA{10, 10, 200, 128})
	c.Fill(square(30, 5, 30))
}

// Skipping transparent fills and strokes leaves the same pixels as
// painting them, and the colour stack follows Push and Pop.
func TestSafeCanvasSkipsInvisiblePaint(t *testing.T) {
	direct := newCanvas(160, 160)
	drawInvisibleSequence(direct)
	viaSafe := newCanvas(160, 160)
	safe := newSafeCanvas(viaSafe)
	drawInvisibleSequence(safe)
	a := direct.Image().(*image.RGBA)
	b := viaSafe.Image().(*image.RGBA)
	if !bytes.Equal(a.Pix, b.Pix) {
		t.Fatal("pixels differ between painting and skipping transparent paths")
	}
	// The fill after the Pops, in the colour from before the Pushes,
	// was painted: red where it leaves the first square.
	d := int(vg.Length(66).Dots(dpi))
	if got := b.RGBAAt(d, 160-d); got != (color.RGBA{200, 30, 30, 255}) {
		t.Errorf("fill after Pop not painted: %v at (%d,%d)", got, d, 160-d)
	}
}
