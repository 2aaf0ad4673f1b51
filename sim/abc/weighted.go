package abc

import (
	"math"
	"slices"
	"sort"
)

// normalize scales w in place to sum to 1, summing in index order so
// that the result does not depend on how it was computed.
func normalize(w []float64) {
	s := 0.0
	for _, x := range w {
		s += x
	}
	for i := range w {
		w[i] /= s
	}
}

// ESS returns Kish's effective sample size (Σw)² / Σw² of the weights:
// N for equal weights, 1 when one weight holds all the mass.
func ESS(w []float64) float64 {
	s, s2 := 0.0, 0.0
	for _, x := range w {
		s += x
		s2 += x * x
	}
	if s2 == 0 {
		return 0
	}
	return s * s / s2
}

// WeightedMean returns Σ w_i x_i / Σ w_i.
func WeightedMean(x, w []float64) float64 {
	s, sw := 0.0, 0.0
	for i := range x {
		s += w[i] * x[i]
		sw += w[i]
	}
	return s / sw
}

// WeightedSD returns the weighted standard deviation of x,
// sqrt(Σ w_i (x_i − m)² / Σ w_i) with m the weighted mean: the standard
// deviation of the distribution the weighted sample represents.
func WeightedSD(x, w []float64) float64 {
	m := WeightedMean(x, w)
	s, sw := 0.0, 0.0
	for i := range x {
		d := x[i] - m
		s += w[i] * d * d
		sw += w[i]
	}
	return math.Sqrt(s / sw)
}

// WeightedQuantile returns the p-quantile of the weighted sample: the
// smallest x_i whose cumulative normalised weight, in increasing order of
// x (ties in index order), reaches p. It is the inverse of the weighted
// empirical distribution function, with no interpolation, so that it is
// always one of the sample's values. p must be in [0, 1].
func WeightedQuantile(x, w []float64, p float64) float64 {
	order := make([]int, len(x))
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(a, b int) bool { return x[order[a]] < x[order[b]] })
	total := 0.0
	for _, v := range w {
		total += v
	}
	target, cum := p*total, 0.0
	for _, i := range order {
		cum += w[i]
		if cum >= target && w[i] > 0 {
			return x[i]
		}
	}
	// Rounding left the cumulative sum a hair below p·total: the largest
	// value with positive weight.
	for k := len(order) - 1; k >= 0; k-- {
		if w[order[k]] > 0 {
			return x[order[k]]
		}
	}
	return math.NaN()
}

// cumulative returns the running sums of w, for drawing indices by
// inversion with pick.
func cumulative(w []float64) []float64 {
	c := make([]float64, len(w))
	s := 0.0
	for i, x := range w {
		s += x
		c[i] = s
	}
	return c
}

// pick returns the index drawn by the uniform u in (0, 1) from the
// distribution whose running weight sums are cum: the first i with
// cum[i] > u·cum[last]. It never returns an index of zero weight.
func pick(cum []float64, u float64) int {
	target := u * cum[len(cum)-1]
	i, _ := slices.BinarySearchFunc(cum, target, func(c, t float64) int {
		if c <= t {
			return -1
		}
		return 1
	})
	return min(i, len(cum)-1)
}

// systematic returns n indices drawn from the weights w by systematic
// resampling (Kitagawa 1996; Carpenter, Clifford & Fearnhead 1999) with
// the single uniform u: index i appears ⌊n·w_i⌋ or ⌈n·w_i⌉ times, in
// increasing order.
func systematic(w []float64, n int, u float64) []int {
	cum := cumulative(w)
	total := cum[len(cum)-1]
	out := make([]int, 0, n)
	i := 0
	for k := 0; k < n; k++ {
		target := (float64(k) + u) / float64(n) * total
		for i < len(cum)-1 && cum[i] <= target {
			i++
		}
		out = append(out, i)
	}
	return out
}
