package plots

import (
	"bytes"
	"image"
	"image/color"
	"math"
	"math/rand/v2"
	"testing"

	xdraw "golang.org/x/image/draw"
	"golang.org/x/image/math/f64"
)

// glyphInterpolator draws a uniform colour through an alpha mask with
// the same bytes as x/image/draw's BiLinear: whole-pixel and fractional
// translations, quarter turns (rotated axis labels), flips, scales up
// and down and arbitrary rotations, masks offset in their own images,
// glyphs partly off the canvas, translucent colours over varied
// backgrounds; and it hands other cases to BiLinear.
func TestGlyphInterpolatorAgrees(t *testing.T) {
	r := rand.New(rand.NewPCG(11, 12))
	drawn := 0
	for n := 0; n < 400; n++ {
		W, H := 20+r.IntN(40), 20+r.IntN(40)
		bg := image.NewRGBA(image.Rect(0, 0, W, H))
		for i := 0; i < len(bg.Pix); i += 4 {
			a := uint8(255)
			if n%4 == 3 {
				a = uint8(r.IntN(256))
			}
			bg.Pix[i], bg.Pix[i+1], bg.Pix[i+2], bg.Pix[i+3] = uint8(r.IntN(int(a)+1)), uint8(r.IntN(int(a)+1)), uint8(r.IntN(int(a)+1)), a
			if r.IntN(3) == 0 {
				copy(bg.Pix[i:i+4], []byte{255, 255, 255, 255})
			}
		}
		mw, mh := 1+r.IntN(14), 1+r.IntN(16)
		off := image.Pt(r.IntN(5)-2, r.IntN(5)-2)
		mask := image.NewAlpha(image.Rect(off.X, off.Y, off.X+mw+r.IntN(3), off.Y+mh+r.IntN(3)))
		for i := range mask.Pix {
			switch r.IntN(3) {
			case 0:
				mask.Pix[i] = 0
			case 1:
				mask.Pix[i] = 255
			default:
				mask.Pix[i] = uint8(r.IntN(256))
			}
		}
		sr := image.Rect(0, 0, mw, mh)
		maskp := off.Add(image.Pt(r.IntN(4)-2, r.IntN(4)-2))
		var col color.Color = color.NRGBA{uint8(r.IntN(256)), uint8(r.IntN(256)), uint8(r.IntN(256)), 255}
		if n%3 == 1 {
			col = color.NRGBA{uint8(r.IntN(256)), uint8(r.IntN(256)), uint8(r.IntN(256)), uint8(r.IntN(256))}
		}
		tx, ty := float64(r.IntN(W+20)-10), float64(r.IntN(H+20)-10)
		if n%2 == 1 {
			tx += r.Float64()
			ty += r.Float64()
		}
		var m f64.Aff3
		switch n % 6 {
		case 0, 1:
			m = f64.Aff3{1, 0, tx, 0, 1, ty}
		case 2:
			m = f64.Aff3{0, 1, tx, -1, 0, ty}
		case 3:
			m = f64.Aff3{1, 0, tx, 0, -1, ty}
		case 4:
			s := 0.3 + 2*r.Float64()
			m = f64.Aff3{s, 0, tx, 0, s * (0.5 + r.Float64()), ty}
		default:
			a := 2 * math.Pi * r.Float64()
			m = f64.Aff3{math.Cos(a), -math.Sin(a), tx, math.Sin(a), math.Cos(a), ty}
		}
		opts := &xdraw.Options{SrcMask: mask, SrcMaskP: maskp}
		want := image.NewRGBA(bg.Rect)
		copy(want.Pix, bg.Pix)
		xdraw.BiLinear.Transform(want, m, image.NewUniform(col), sr, xdraw.Over, opts)
		got := image.NewRGBA(bg.Rect)
		copy(got.Pix, bg.Pix)
		glyphInterpolator{}.Transform(got, m, image.NewUniform(col), sr, xdraw.Over, opts)
		if !bytes.Equal(got.Pix, want.Pix) {
			t.Fatalf("case %d (matrix %v, mask %v at %v, colour %v): pixels differ from BiLinear", n, m, mask.Rect, maskp, col)
		}
		if !bytes.Equal(got.Pix, bg.Pix) {
			drawn++
		}
	}
	if drawn < 200 {
		t.Errorf("only %d of 400 cases changed a pixel", drawn)
	}
	// Not a glyph (an image without a mask): BiLinear's own result.
	src := image.NewRGBA(image.Rect(0, 0, 5, 4))
	for i := range src.Pix {
		src.Pix[i] = uint8(r.IntN(256)) | 0x0f
	}
	m := f64.Aff3{1.7, 0, 3.2, 0, 2.1, 1.4}
	want, got := image.NewRGBA(image.Rect(0, 0, 20, 20)), image.NewRGBA(image.Rect(0, 0, 20, 20))
	xdraw.BiLinear.Transform(want, m, src, src.Rect, xdraw.Over, nil)
	glyphInterpolator{}.Transform(got, m, src, src.Rect, xdraw.Over, nil)
	if !bytes.Equal(got.Pix, want.Pix) {
		t.Fatal("image without a mask: pixels differ from BiLinear")
	}
}
