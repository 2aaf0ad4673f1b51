package plots

import (
	"bytes"
	"image"
	"image/color"
	"testing"

	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
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

// The pixel pool hands back a kept buffer large enough for the request,
// keeps at most four, and forgets them on drop.
func TestPixelPool(t *testing.T) {
	var p pixelPool
	if b := p.get(10); b != nil {
		t.Fatal("empty pool returned a buffer")
	}
	p.put(make([]byte, 100))
	p.put(make([]byte, 40))
	if b := p.get(50); len(b) != 50 || cap(b) != 100 {
		t.Errorf("get(50): len %d cap %d, want the 100-byte buffer", len(b), cap(b))
	}
	if b := p.get(50); b != nil {
		t.Error("get(50) with only a 40-byte buffer left returned one")
	}
	for range 6 {
		p.put(make([]byte, 8))
	}
	if len(p.free) != 4 {
		t.Errorf("pool keeps %d buffers, want at most 4", len(p.free))
	}
	p.drop()
	if b := p.get(1); b != nil {
		t.Error("pool returned a buffer after drop")
	}
}

// A canvas on a reused buffer starts white: a chart drawn after another
// has the bytes it has when drawn first.
func TestRenderOnReusedPixels(t *testing.T) {
	defer pixels.drop()
	pixels.drop()
	draw1 := func(c draw.Canvas) error {
		c.FillPolygon(color.NRGBA{R: 30, G: 90, B: 200, A: 160}, []vg.Point{{X: 10, Y: 10}, {X: 100, Y: 30}, {X: 40, Y: 90}})
		return nil
	}
	first, err := render(200, 150, draw1)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := render(220, 160, func(c draw.Canvas) error {
		c.FillPolygon(color.NRGBA{R: 200, A: 255}, []vg.Point{{X: 0, Y: 0}, {X: 300, Y: 0}, {X: 300, Y: 300}, {X: 0, Y: 300}})
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if len(pixels.free) == 0 {
		t.Fatal("render kept no buffer for reuse")
	}
	again, err := render(200, 150, draw1)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(first, again) {
		t.Error("the same chart drawn on a reused buffer differs")
	}
}
