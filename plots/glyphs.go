package plots

import (
	"image"
	"math"

	xdraw "golang.org/x/image/draw"
	"golang.org/x/image/math/f64"
)

// glyphInterpolator is the interpolator of the charts' gg contexts. gg
// draws every glyph of every text as an affine transform of the glyph's
// alpha mask, in a uniform colour, with x/image/draw's BiLinear kernel
// (even where the transform is a whole-pixel translation); for that
// combination x/image/draw takes its generic path, which reads and
// writes every pixel through image.Image interfaces and colour
// conversions (a fifth of the charts' CPU). glyphInterpolator computes
// exactly what that path computes, the same integer and floating-point
// operations in the same order, on the images' bytes directly, and hands
// every other case to BiLinear. TestGlyphInterpolatorAgrees holds it to
// the same bytes as BiLinear.
type glyphInterpolator struct{}

// Scale implements xdraw.Scaler (gg does not scale through it; images
// drawn on a chart are).
func (glyphInterpolator) Scale(dst xdraw.Image, dr image.Rectangle, src image.Image, sr image.Rectangle, op xdraw.Op, opts *xdraw.Options) {
	xdraw.BiLinear.Scale(dst, dr, src, sr, op, opts)
}

// Transform implements xdraw.Transformer: a uniform colour through an
// alpha mask, drawn over an RGBA image, as BiLinear.Transform draws it;
// anything else by BiLinear.Transform.
func (glyphInterpolator) Transform(dst xdraw.Image, s2d f64.Aff3, src image.Image, sr image.Rectangle, op xdraw.Op, opts *xdraw.Options) {
	d, okDst := dst.(*image.RGBA)
	u, okSrc := src.(*image.Uniform)
	var mask *image.Alpha
	if opts != nil {
		mask, _ = opts.SrcMask.(*image.Alpha)
	}
	if !okDst || !okSrc || mask == nil || opts.DstMask != nil || op != xdraw.Over {
		xdraw.BiLinear.Transform(dst, s2d, src, sr, op, opts)
		return
	}
	// The set-up of x/image/draw's (*Kernel).Transform for this case.
	dr := transformRect(&s2d, &sr)
	adr := d.Bounds().Intersect(dr)
	if adr.Empty() || sr.Empty() {
		return
	}
	d2s := invert(&s2d)
	bias := transformRect(&d2s, &adr).Min
	bias.X--
	bias.Y--
	d2s[2] -= float64(bias.X)
	d2s[5] -= float64(bias.Y)
	adr = adr.Sub(dr.Min)
	xscale := absf(d2s[0])
	if s := absf(d2s[1]); xscale < s {
		xscale = s
	}
	yscale := absf(d2s[3])
	if s := absf(d2s[4]); yscale < s {
		yscale = s
	}
	transformUniformAlphaOver(d, dr, adr, &d2s, u, mask, opts.SrcMaskP, sr, bias, xscale, yscale)
}

// bilinearSupport is the BiLinear kernel's support.
const bilinearSupport = 1.0

// bilinearWeights sets, for one axis, the weights w[k−i] of the source
// pixels i ≤ k < j (clipped to [lo, hi)) that sample position s reads —
// s with the bias added and 0.5 taken off, as x/image/draw computes it —,
// each 1 − |(s − k)·argScale| within the support, divided by their sum:
// the same operations in the same order as x/image/draw's loops.
func bilinearWeights(s, halfWidth, argScale float64, lo, hi int, w []float64) (i, j int) {
	i = int(math.Floor(s - halfWidth))
	if i < lo {
		i = lo
	}
	j = int(math.Ceil(s + halfWidth))
	if j > hi {
		j = hi
	}
	total := 0.0
	for k := i; k < j; k++ {
		weight := 0.0
		if t := absf((s - float64(k)) * argScale); t < bilinearSupport {
			weight = 1 - t
		}
		w[k-i] = weight
		total += weight
	}
	for k := range w[:j-i] {
		w[k] /= total
	}
	return i, j
}

// transformUniformAlphaOver is x/image/draw's
// (*Kernel).transform_Image_Image_Over for the BiLinear kernel (support
// 1, weight 1−t), a uniform source colour u, a source mask and an RGBA
// destination, with each At, RGBA and Set written out on the bytes.
func transformUniformAlphaOver(dst *image.RGBA, dr, adr image.Rectangle, d2s *f64.Aff3, u *image.Uniform, mask *image.Alpha, smp image.Point, sr image.Rectangle, bias image.Point, xscale, yscale float64) {
	xHalfWidth, xKernelArgScale := bilinearSupport, 1.0
	if xscale > 1 {
		xHalfWidth *= xscale
		xKernelArgScale = 1 / xscale
	}
	yHalfWidth, yKernelArgScale := bilinearSupport, 1.0
	if yscale > 1 {
		yHalfWidth *= yscale
		yKernelArgScale = 1 / yscale
	}
	xWeights := make([]float64, 1+2*int(math.Ceil(xHalfWidth)))
	yWeights := make([]float64, 1+2*int(math.Ceil(yHalfWidth)))

	ur, ug, ub, ua := u.C.RGBA()
	if d2s[0] == 1 && d2s[1] == 0 && d2s[3] == 0 && d2s[4] == 1 && d2s[2] == math.Floor(d2s[2]) && d2s[5] == math.Floor(d2s[5]) {
		translateUniformAlphaOver(dst, dr, adr, d2s, [4]uint32{ur, ug, ub, ua}, mask, smp, sr, bias)
		return
	}
	for dy := int32(adr.Min.Y); dy < int32(adr.Max.Y); dy++ {
		dyf := float64(dr.Min.Y+int(dy)) + 0.5
		for dx := int32(adr.Min.X); dx < int32(adr.Max.X); dx++ {
			dxf := float64(dr.Min.X+int(dx)) + 0.5
			sx := float64(d2s[0]*dxf) + float64(d2s[1]*dyf) + d2s[2]
			sy := float64(d2s[3]*dxf) + float64(d2s[4]*dyf) + d2s[5]
			if !(image.Point{int(sx) + bias.X, int(sy) + bias.Y}).In(sr) {
				continue
			}

			ix, jx := bilinearWeights(sx+float64(bias.X)-0.5, xHalfWidth, xKernelArgScale, sr.Min.X, sr.Max.X, xWeights)
			iy, jy := bilinearWeights(sy+float64(bias.Y)-0.5, yHalfWidth, yKernelArgScale, sr.Min.Y, sr.Max.Y, yWeights)

			var pr, pg, pb, pa float64
			for ky := iy; ky < jy; ky++ {
				if yWeight := yWeights[ky-iy]; yWeight != 0 {
					for kx := ix; kx < jx; kx++ {
						if w := xWeights[kx-ix] * yWeight; w != 0 {
							ma := alphaAt(mask, smp.X+kx, smp.Y+ky)
							pru := ur * ma / 0xffff
							pgu := ug * ma / 0xffff
							pbu := ub * ma / 0xffff
							pau := ua * ma / 0xffff
							pr += float64(float64(pru) * w)
							pg += float64(float64(pgu) * w)
							pb += float64(float64(pbu) * w)
							pa += float64(float64(pau) * w)
						}
					}
				}
			}

			if pr > pa {
				pr = pa
			}
			if pg > pa {
				pg = pa
			}
			if pb > pa {
				pb = pa
			}

			i := dst.PixOffset(dr.Min.X+int(dx), dr.Min.Y+int(dy))
			px := dst.Pix[i : i+4 : i+4]
			qr, qg, qb, qa := uint32(px[0])*0x101, uint32(px[1])*0x101, uint32(px[2])*0x101, uint32(px[3])*0x101
			pr0 := uint32(fffftou(pr))
			pg0 := uint32(fffftou(pg))
			pb0 := uint32(fffftou(pb))
			pa0 := uint32(fffftou(pa))
			pa1 := 0xffff - pa0
			px[0] = uint8(uint16(qr*pa1/0xffff+pr0) >> 8)
			px[1] = uint8(uint16(qg*pa1/0xffff+pg0) >> 8)
			px[2] = uint8(uint16(qb*pa1/0xffff+pb0) >> 8)
			px[3] = uint8(uint16(qa*pa1/0xffff+pa0) >> 8)
		}
	}
}

// translateUniformAlphaOver is transformUniformAlphaOver for a d2s that
// only translates by whole pixels (unrotated text: nearly every glyph).
// Each destination pixel centre then maps to a source pixel centre
// exactly: of the kernel's samples, that pixel's has weight 1 and the
// others 0, so the weighted sums are that pixel's integer values, as
// float64 without rounding, and the pixel is that sample blended over
// the destination with the same integer arithmetic. Where the mask is 0
// the blend gives back the destination's bytes: those pixels are left.
func translateUniformAlphaOver(dst *image.RGBA, dr, adr image.Rectangle, d2s *f64.Aff3, u [4]uint32, mask *image.Alpha, smp image.Point, sr image.Rectangle, bias image.Point) {
	if adr.Empty() {
		return
	}
	// The source column of the row's first pixel, as the general loop
	// computes it; each next pixel's is one more (the coordinates are
	// small integers plus ½, exact in float64, and positive, so int()
	// truncates as floor would).
	dxf0 := float64(dr.Min.X+adr.Min.X) + 0.5
	kx0 := int(float64(d2s[0]*dxf0)+float64(d2s[1]*0)+d2s[2]) + bias.X
	// Columns whose source pixel is in sr and in the mask (elsewhere the
	// mask reads 0 and the pixel is left as it is).
	lo := max(sr.Min.X, mask.Rect.Min.X-smp.X)
	hi := min(sr.Max.X, mask.Rect.Max.X-smp.X)
	x0 := adr.Min.X + max(0, lo-kx0)
	x1 := adr.Min.X + min(adr.Dx(), hi-kx0)
	if x0 >= x1 {
		return
	}
	// Where the mask is full and the colour opaque, the blend below gives
	// the colour's own bytes (pa1 = 0, pr0 = ur, and ur>>8 its byte).
	solid := [4]uint8{uint8(u[0] >> 8), uint8(u[1] >> 8), uint8(u[2] >> 8), uint8(u[3] >> 8)}
	opaque := u[3] == 0xffff
	for dy := int32(adr.Min.Y); dy < int32(adr.Max.Y); dy++ {
		dyf := float64(dr.Min.Y+int(dy)) + 0.5
		sy := float64(d2s[3]*0) + float64(d2s[4]*dyf) + d2s[5]
		ky := int(sy) + bias.Y
		if ky < sr.Min.Y || ky >= sr.Max.Y || smp.Y+ky < mask.Rect.Min.Y || smp.Y+ky >= mask.Rect.Max.Y {
			continue
		}
		mi := mask.PixOffset(smp.X+kx0+(x0-adr.Min.X), smp.Y+ky)
		mrow := mask.Pix[mi : mi+(x1-x0)]
		di := dst.PixOffset(dr.Min.X+x0, dr.Min.Y+int(dy))
		drow := dst.Pix[di : di+4*(x1-x0)]
		for j, m := range mrow {
			if m == 0 {
				continue
			}
			if m == 0xff && opaque {
				copy(drow[4*j:4*j+4], solid[:])
				continue
			}
			ma := uint32(m) | uint32(m)<<8
			pr0, pg0, pb0, pa0 := u[0]*ma/0xffff, u[1]*ma/0xffff, u[2]*ma/0xffff, u[3]*ma/0xffff
			pr0, pg0, pb0 = min(pr0, pa0), min(pg0, pa0), min(pb0, pa0)
			px := drow[4*j : 4*j+4 : 4*j+4]
			qr, qg, qb, qa := uint32(px[0])*0x101, uint32(px[1])*0x101, uint32(px[2])*0x101, uint32(px[3])*0x101
			pa1 := 0xffff - pa0
			px[0] = uint8(uint16(qr*pa1/0xffff+pr0) >> 8)
			px[1] = uint8(uint16(qg*pa1/0xffff+pg0) >> 8)
			px[2] = uint8(uint16(qb*pa1/0xffff+pb0) >> 8)
			px[3] = uint8(uint16(qa*pa1/0xffff+pa0) >> 8)
		}
	}
}

// alphaAt is mask.At(x, y).RGBA()'s alpha: 0 outside the mask.
func alphaAt(mask *image.Alpha, x, y int) uint32 {
	if !(image.Point{x, y}.In(mask.Rect)) {
		return 0
	}
	a := uint32(mask.Pix[mask.PixOffset(x, y)])
	return a | a<<8
}

// transformRect, invert, absf and fffftou are x/image/draw's
// transformRect, invert, abs and fffftou.

func transformRect(s2d *f64.Aff3, sr *image.Rectangle) (dr image.Rectangle) {
	ps := [...]image.Point{
		{sr.Min.X, sr.Min.Y},
		{sr.Max.X, sr.Min.Y},
		{sr.Min.X, sr.Max.Y},
		{sr.Max.X, sr.Max.Y},
	}
	for i, p := range ps {
		sxf := float64(p.X)
		syf := float64(p.Y)
		dx := int(math.Floor(float64(s2d[0]*sxf) + float64(s2d[1]*syf) + s2d[2]))
		dy := int(math.Floor(float64(s2d[3]*sxf) + float64(s2d[4]*syf) + s2d[5]))
		if i == 0 {
			dr = image.Rectangle{
				Min: image.Point{dx + 0, dy + 0},
				Max: image.Point{dx + 1, dy + 1},
			}
			continue
		}
		if dr.Min.X > dx {
			dr.Min.X = dx
		}
		dx++
		if dr.Max.X < dx {
			dr.Max.X = dx
		}
		if dr.Min.Y > dy {
			dr.Min.Y = dy
		}
		dy++
		if dr.Max.Y < dy {
			dr.Max.Y = dy
		}
	}
	return dr
}

func invert(m *f64.Aff3) f64.Aff3 {
	m00 := +m[3*1+1]
	m01 := -m[3*0+1]
	m02 := +float64(m[3*1+2]*m[3*0+1]) - float64(m[3*1+1]*m[3*0+2])
	m10 := -m[3*1+0]
	m11 := +m[3*0+0]
	m12 := +float64(m[3*1+0]*m[3*0+2]) - float64(m[3*1+2]*m[3*0+0])

	det := float64(m00*m11) - float64(m10*m01)

	return f64.Aff3{
		m00 / det,
		m01 / det,
		m02 / det,
		m10 / det,
		m11 / det,
		m12 / det,
	}
}

func absf(f float64) float64 {
	if f < 0 {
		f = -f
	}
	return f
}

func fffftou(f float64) uint16 {
	i := int32(f + 0.5)
	if i > 0xffff {
		return 0xffff
	}
	if i > 0 {
		return uint16(i)
	}
	return 0
}
