package pngenc

import (
	"bytes"
	adler32pkg "hash/adler32"
	"image"
	"image/color"
	"image/draw"
	"image/png"
	"math/rand/v2"
	"testing"
)

// decodeRGBA decodes a PNG and returns its pixels as RGBA.
func decodeRGBA(t *testing.T, data []byte) (*image.RGBA, image.Image) {
	t.Helper()
	m, err := png.Decode(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	r := image.NewRGBA(m.Bounds())
	draw.Draw(r, r.Rect, m, m.Bounds().Min, draw.Src)
	return r, m
}

// samePixels reports whether a and b hold the same RGBA colours at the
// same positions relative to their bounds.
func samePixels(a image.Image, b *image.RGBA) bool {
	ab, bb := a.Bounds(), b.Bounds()
	if ab.Dx() != bb.Dx() || ab.Dy() != bb.Dy() {
		return false
	}
	for y := 0; y < ab.Dy(); y++ {
		for x := 0; x < ab.Dx(); x++ {
			if color.RGBAModel.Convert(a.At(ab.Min.X+x, ab.Min.Y+y)) != b.RGBAAt(bb.Min.X+x, bb.Min.Y+y) {
				return false
			}
		}
	}
	return true
}

// chartLike fills an opaque image the way charts look: white, with
// runs of colour and random antialiasing-like noise.
func chartLike(r *rand.Rand, m *image.RGBA) {
	b := m.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			c := color.RGBA{255, 255, 255, 255}
			switch r.IntN(4) {
			case 0:
				c = color.RGBA{uint8(r.Uint32()), uint8(r.Uint32()), uint8(r.Uint32()), 255}
			case 1:
				c = color.RGBA{70, 130, 180, 255}
			}
			m.SetRGBA(x, y, c)
		}
	}
}

func TestEncodeOpaqueRoundTrip(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	sizes := [][2]int{{1, 1}, {2, 1}, {3, 2}, {4, 4}, {5, 3}, {7, 9}, {8, 1}, {17, 5}, {1200, 3}}
	for _, sz := range sizes {
		m := image.NewRGBA(image.Rect(0, 0, sz[0], sz[1]))
		chartLike(r, m)
		var b bytes.Buffer
		if err := Encode(&b, m); err != nil {
			t.Fatal(err)
		}
		got, _ := decodeRGBA(t, b.Bytes())
		if !bytes.Equal(got.Pix, m.Pix) {
			t.Errorf("%dx%d: decoded pixels differ", sz[0], sz[1])
		}
		if ct := b.Bytes()[25]; ct != 2 {
			t.Errorf("%dx%d: colour type %d, want 2 (RGB)", sz[0], sz[1], ct)
		}
		if eb, err := EncodeBytes(m); err != nil || !bytes.Equal(eb, b.Bytes()) {
			t.Errorf("%dx%d: EncodeBytes differs from Encode (%v)", sz[0], sz[1], err)
		}
	}
}

// A sub-image (offset bounds, stride wider than the row) encodes only
// its own pixels.
func TestEncodeSubImage(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	big := image.NewRGBA(image.Rect(-3, -2, 40, 30))
	chartLike(r, big)
	sub := big.SubImage(image.Rect(5, 1, 18, 12)).(*image.RGBA)
	var b bytes.Buffer
	if err := Encode(&b, sub); err != nil {
		t.Fatal(err)
	}
	got, _ := decodeRGBA(t, b.Bytes())
	if !samePixels(sub, got) {
		t.Error("sub-image: decoded pixels differ")
	}
}

// An image with one transparent pixel, anywhere (also in a row's last
// pixels, copied one by one), or an image of another type is still
// written with its exact pixels, by image/png, with an alpha channel.
func TestEncodeFallback(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	for _, at := range []image.Point{{0, 0}, {4, 2}, {6, 4}, {5, 4}} {
		m := image.NewRGBA(image.Rect(0, 0, 7, 5))
		chartLike(r, m)
		m.SetRGBA(at.X, at.Y, color.RGBA{})
		var b bytes.Buffer
		if err := Encode(&b, m); err != nil {
			t.Fatal(err)
		}
		got, _ := decodeRGBA(t, b.Bytes())
		if !bytes.Equal(got.Pix, m.Pix) {
			t.Errorf("transparent pixel at %v: decoded pixels differ", at)
		}
		if ct := b.Bytes()[25]; ct != 6 {
			t.Errorf("transparent pixel at %v: colour type %d, want 6 (RGBA)", at, ct)
		}
		if eb, err := EncodeBytes(m); err != nil || !bytes.Equal(eb, b.Bytes()) {
			t.Errorf("transparent pixel at %v: EncodeBytes differs from Encode (%v)", at, err)
		}
	}
	g := image.NewGray(image.Rect(0, 0, 9, 4))
	for i := range g.Pix {
		g.Pix[i] = uint8(r.Uint32())
	}
	var b bytes.Buffer
	if err := Encode(&b, g); err != nil {
		t.Fatal(err)
	}
	got, _ := decodeRGBA(t, b.Bytes())
	if !samePixels(g, got) {
		t.Error("gray image: decoded pixels differ")
	}
}

// An empty image has no PNG: Encode refuses it with image/png's error,
// as image/png does, instead of writing a file no decoder reads.
func TestEncodeEmpty(t *testing.T) {
	for _, r := range []image.Rectangle{image.Rect(0, 0, 0, 5), image.Rect(0, 0, 5, 0), image.Rect(3, 3, 3, 3)} {
		if b, err := EncodeBytes(image.NewRGBA(r)); err == nil {
			t.Errorf("%v: %d bytes and no error, want an error", r, len(b))
		}
	}
}

// toRGB agrees with a byte-by-byte copy at every length, and its alpha
// word finds a translucent pixel wherever it is.
func TestToRGB(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 8))
	for n := 0; n <= 21; n++ {
		src := make([]byte, 4*n)
		for i := range src {
			src[i] = uint8(r.Uint32())
		}
		for i := 3; i < len(src); i += 4 {
			src[i] = 0xff
		}
		want := make([]byte, 3*n)
		for i := 0; i < n; i++ {
			copy(want[3*i:3*i+3], src[4*i:4*i+3])
		}
		got := make([]byte, 3*n)
		if a := toRGB(got, src); a&alphaBytes != alphaBytes {
			t.Errorf("%d pixels, all opaque: alpha word %#x", n, a)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%d pixels: got %v, want %v", n, got, want)
		}
		for p := 0; p < n; p++ {
			src[4*p+3] = 0xfe
			if a := toRGB(got, src); a&alphaBytes == alphaBytes {
				t.Errorf("%d pixels, pixel %d translucent: not detected", n, p)
			}
			src[4*p+3] = 0xff
		}
	}
}

// adler32 agrees with hash/adler32 at every length around its word and
// block boundaries, from any starting checksum, on random bytes and on
// all-0xff bytes (the largest sums).
func TestAdler32(t *testing.T) {
	r := rand.New(rand.NewPCG(9, 10))
	lengths := []int{0, 1, 7, 8, 9, 15, 16, 17, 4095, 4096, 4097, 4103, 8192, 12345, 100000}
	for _, n := range lengths {
		for _, fill := range []string{"random", "ff"} {
			p := make([]byte, n)
			for i := range p {
				p[i] = 0xff
				if fill == "random" {
					p[i] = uint8(r.Uint32())
				}
			}
			if got, want := adler32(1, p), adler32pkg.Checksum(p); got != want {
				t.Errorf("%d %s bytes: %#08x, want %#08x", n, fill, got, want)
			}
			h := adler32pkg.New()
			h.Write(p[:n/3])
			start := h.Sum32()
			h.Write(p[n/3:])
			if got, want := adler32(start, p[n/3:]), h.Sum32(); got != want {
				t.Errorf("%d %s bytes, continued from %#08x: %#08x, want %#08x", n, fill, start, got, want)
			}
		}
	}
}
