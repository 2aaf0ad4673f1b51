package stats

import (
	"math"
	"math/rand/v2"
	"reflect"
	"testing"
)

// The assembly kernel and addSmallGo compute the same bits (points and
// bins) and stop at
// the same point: values at ties of the fixed-point grid, signed zeros,
// the bins' edges and ends, values past ±2^19 and NaN, and a histogram
// of other bins. The points hold values (N > 0), as AddPoints requires.
func TestAddSmallKernelsAgree(t *testing.T) {
	r := rand.New(rand.NewPCG(11, 12))
	edge := []float64{0, math.Copysign(0, -1), 0x1p-33, -0x1p-33, 3 * 0x1p-33, -10, 10, -10.05, 10.05, 9.95,
		math.Nextafter(smallLimit, 0), -math.Nextafter(smallLimit, 0), smallLimit, -smallLimit, math.NaN(), math.Inf(1)}
	for trial := 0; trial < 800; trial++ {
		n := 1 + r.IntN(40)
		mk := func() []Point {
			h := rand.New(rand.NewPCG(uint64(trial), 1))
			pts := make([]Point, n)
			for k := range pts {
				pts[k].Hist, _ = NewHistogram(-10, 10, 400)
				if h.IntN(200) == 0 {
					pts[k].Hist, _ = NewHistogram(-10, 10, 399)
				}
				for range 1 + h.IntN(3) {
					pts[k].Moments.AddCounted(pts[k].Hist, h.NormFloat64()*5)
				}
			}
			return pts
		}
		xs := make([]float64, n)
		for k := range xs {
			switch r.IntN(8) {
			case 0:
				xs[k] = edge[r.IntN(len(edge))]
			case 1:
				xs[k] = (float64(r.Int64N(1<<40)-1<<39) + 0.5) * 0x1p-32 // a tie
			default:
				xs[k] = r.NormFloat64() * 6
			}
		}
		a, b := mk(), mk()
		g := a[0].Hist.Grid()
		ba, bb := make([]int, n), make([]int, n)
		ka := addSmallAsm(&a[0], &xs[0], &ba[0], n, g.lo, g.scale, g.last)
		kb := addSmallGo(b, g, xs, bb)
		if ka != kb || !reflect.DeepEqual(a, b) || !reflect.DeepEqual(ba, bb) {
			t.Fatalf("trial %d: kernel added %d points, Go %d, or their states differ\nvalues %v", trial, ka, kb, xs)
		}
	}
}
