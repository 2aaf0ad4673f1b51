package sim

import (
	"math"
	"math/rand/v2"
	"testing"
)

// TestRowMinMaxMatchBuiltins checks finishTracking's comparison minimum
// and maximum against the builtins bit for bit on rows with ties and
// zeros of both signs (never NaN, as quantity rows).
func TestRowMinMaxMatchBuiltins(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 17))
	zero, negZero := 0.0, math.Copysign(0, -1)
	for trial := range 20000 {
		xs := make([]float64, r.IntN(30))
		for k := range xs {
			switch r.IntN(5) {
			case 0:
				xs[k] = zero
			case 1:
				xs[k] = negZero
			case 2:
				xs[k] = float64(r.IntN(3) - 1)
			default:
				xs[k] = r.NormFloat64() * 5
			}
		}
		lo, hi := math.Inf(1), math.Inf(-1)
		for _, x := range xs {
			lo, hi = min(lo, x), max(hi, x)
		}
		if got := rowMin(xs); math.Float64bits(got) != math.Float64bits(lo) {
			t.Fatalf("trial %d: rowMin(%v) = %v, min gives %v", trial, xs, got, lo)
		}
		if got := rowMax(xs); math.Float64bits(got) != math.Float64bits(hi) {
			t.Fatalf("trial %d: rowMax(%v) = %v, max gives %v", trial, xs, got, hi)
		}
	}
}
