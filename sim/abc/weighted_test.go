package abc

import (
	"math"
	"testing"
)

func TestESS(t *testing.T) {
	for _, tc := range []struct {
		w    []float64
		want float64
	}{
		{[]float64{1, 1, 1, 1}, 4},
		{[]float64{0.25, 0.25, 0.25, 0.25}, 4},
		{[]float64{1, 0, 0, 0}, 1},
		{[]float64{3, 1}, 16.0 / 10},
		{[]float64{0, 0}, 0},
	} {
		if got := ESS(tc.w); math.Abs(got-tc.want) > 1e-12 {
			t.Errorf("ESS(%v) = %g, want %g", tc.w, got, tc.want)
		}
	}
}

func TestWeightedMoments(t *testing.T) {
	x := []float64{1, 2, 3, 10}
	w := []float64{1, 2, 1, 0}
	if got := WeightedMean(x, w); got != 2 {
		t.Errorf("mean %g, want 2", got)
	}
	// Variance (1·1 + 2·0 + 1·1)/4 = 0.5.
	if got := WeightedSD(x, w); math.Abs(got-math.Sqrt(0.5)) > 1e-15 {
		t.Errorf("sd %g, want √0.5", got)
	}
}

func TestWeightedQuantile(t *testing.T) {
	x := []float64{3, 1, 2, 5}
	w := []float64{0.2, 0.3, 0.5, 0}
	for _, tc := range []struct{ p, want float64 }{
		{0, 1}, {0.3, 1}, {0.31, 2}, {0.8, 2}, {0.81, 3}, {1, 3},
	} {
		if got := WeightedQuantile(x, w, tc.p); got != tc.want {
			t.Errorf("quantile %g = %g, want %g", tc.p, got, tc.want)
		}
	}
	// Equal weights: the inverse empirical distribution function.
	y := []float64{5, 4, 3, 2, 1}
	one := []float64{1, 1, 1, 1, 1}
	if got := WeightedQuantile(y, one, 0.5); got != 3 {
		t.Errorf("median %g, want 3", got)
	}
}

func TestPickAndSystematic(t *testing.T) {
	w := []float64{0.1, 0, 0.6, 0.3}
	cum := cumulative(w)
	counts := make([]int, len(w))
	const n = 10000
	for k := range n {
		counts[pick(cum, (float64(k)+0.5)/n)]++
	}
	for i := range w {
		if got := float64(counts[i]) / n; math.Abs(got-w[i]) > 1e-3 {
			t.Errorf("pick chose %d with frequency %g, want %g", i, got, w[i])
		}
	}
	for _, u := range []float64{1e-9, 0.5, 1 - 1e-9} {
		idx := systematic(w, 10, u)
		got := make([]int, len(w))
		for _, i := range idx {
			got[i]++
		}
		for i := range w {
			if lo, hi := math.Floor(10*w[i]), math.Ceil(10*w[i]); float64(got[i]) < lo || float64(got[i]) > hi {
				t.Errorf("systematic(u=%g) kept %d copies of %d, want between %g and %g", u, got[i], i, lo, hi)
			}
		}
		for k := 1; k < len(idx); k++ {
			if idx[k] < idx[k-1] {
				t.Errorf("systematic indices not increasing: %v", idx)
			}
		}
	}
}
