package plots

import (
	"fmt"
	"math"
	"sort"
	"strings"
	"sync/atomic"

	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/vg"
)

// textBox is where one line of text was drawn: the box of its glyph
// bodies (from a little below the baseline to the cap height) in canvas
// coordinates, points.
type textBox struct {
	text                   string
	minX, minY, maxX, maxY float64
}

func (b textBox) String() string {
	return fmt.Sprintf("%q at (%.0f, %.0f)–(%.0f, %.0f)", clip(b.text, 50), b.minX, b.minY, b.maxX, b.maxY)
}

// affine is a 2-D affine transform: x' = a·x + c·y + e, y' = b·x + d·y + f.
type affine struct{ a, b, c, d, e, f float64 }

var identity = affine{a: 1, d: 1}

func (m affine) apply(x, y float64) (float64, float64) {
	return m.a*x + m.c*y + m.e, m.b*x + m.d*y + m.f
}

// then returns m followed, in local coordinates, by n (m ∘ n).
func (m affine) then(n affine) affine {
	return affine{
		a: m.a*n.a + m.c*n.b, b: m.b*n.a + m.d*n.b,
		c: m.a*n.c + m.c*n.d, d: m.b*n.c + m.d*n.d,
		e: m.a*n.e + m.c*n.f + m.e, f: m.b*n.e + m.d*n.f + m.f,
	}
}

// layoutRecorder follows the canvas transform and records every line of
// text drawn, so that checkLayout can find text that leaves the canvas
// or runs into other text.
type layoutRecorder struct {
	m     affine
	stack []affine
	boxes []textBox
	init  bool
}

func (r *layoutRecorder) current() affine {
	if !r.init {
		r.m, r.init = identity, true
	}
	return r.m
}

func (r *layoutRecorder) push() { r.stack = append(r.stack, r.current()) }

func (r *layoutRecorder) pop() {
	if n := len(r.stack); n > 0 {
		r.m, r.stack = r.stack[n-1], r.stack[:n-1]
	}
}

func (r *layoutRecorder) translate(pt vg.Point) {
	r.m = r.current().then(affine{a: 1, d: 1, e: float64(pt.X), f: float64(pt.Y)})
}

func (r *layoutRecorder) rotate(rad float64) {
	s, c := math.Sincos(rad)
	r.m = r.current().then(affine{a: c, b: s, c: -s, d: c})
}

func (r *layoutRecorder) scale(x, y float64) {
	r.m = r.current().then(affine{a: x, d: y})
}

func (r *layoutRecorder) text(f font.Face, pt vg.Point, s string) {
	if strings.TrimSpace(s) == "" {
		return
	}
	size := float64(f.Font.Size)
	x0, y0 := float64(pt.X), float64(pt.Y)-0.15*size
	x1, y1 := float64(pt.X+f.Width(s)), float64(pt.Y)+0.72*size
	m := r.current()
	b := textBox{text: s, minX: math.Inf(1), minY: math.Inf(1), maxX: math.Inf(-1), maxY: math.Inf(-1)}
	for _, corner := range [][2]float64{{x0, y0}, {x1, y0}, {x0, y1}, {x1, y1}} {
		x, y := m.apply(corner[0], corner[1])
		b.minX, b.maxX = math.Min(b.minX, x), math.Max(b.maxX, x)
		b.minY, b.maxY = math.Min(b.minY, y), math.Max(b.maxY, y)
	}
	r.boxes = append(r.boxes, b)
}

// strictLayout makes render refuse a chart whose text leaves the canvas
// or overlaps other text. Tests turn it on, so that every chart they
// render is checked; geosim itself draws what it can.
var strictLayout atomic.Bool

// layoutTolerance is how far (points) text may overlap other text or
// the canvas edge before it counts: glyph boxes are approximate.
const layoutTolerance = 1.0

// checkLayout returns the layout problems of the text boxes on a canvas
// of w×h points: text outside the canvas, and pairs of lines that
// overlap, at most ten.
func checkLayout(boxes []textBox, w, h float64) error {
	var probs []string
	add := func(format string, args ...any) {
		if len(probs) < 10 {
			probs = append(probs, fmt.Sprintf(format, args...))
		}
	}
	t := layoutTolerance
	for _, b := range boxes {
		if b.minX < -t || b.minY < -t || b.maxX > w+t || b.maxY > h+t {
			add("text leaves the %.0f×%.0f canvas: %v", w, h, b)
		}
	}
	sorted := append([]textBox(nil), boxes...)
	sort.Slice(sorted, func(i, j int) bool { return sorted[i].minX < sorted[j].minX })
	for i, a := range sorted {
		for _, b := range sorted[i+1:] {
			if b.minX >= a.maxX-t {
				break
			}
			if math.Min(a.maxY, b.maxY)-math.Max(a.minY, b.minY) > t && math.Min(a.maxX, b.maxX)-math.Max(a.minX, b.minX) > t {
				add("overlapping text: %v and %v", a, b)
			}
		}
	}
	if len(probs) == 0 {
		return nil
	}
	return fmt.Errorf("layout: %s", strings.Join(probs, "; "))
}

// SetStrictLayout makes every chart rendered afterwards fail with the
// layout check's problems instead of being drawn as it is. Tests of the
// packages that render charts turn it on, so that every chart they
// produce is checked.
func SetStrictLayout(on bool) { strictLayout.Store(on) }
