package abc

import (
	"fmt"
	"math"
	"slices"
)

// distance measures how far simulated statistics lie from the observed
// ones: a weighted Euclidean distance of differences divided by each
// statistic's scale,
//
//	d(s, o) = sqrt( Σ_k w_k ((s_k − o_k) / scale_k)² ).
//
// Statistics with a zero weight (including those dropped because they
// did not vary over the pilot) do not count.
type distance struct {
	observed []float64
	scales   []float64 // 0 marks a dropped statistic
	weights  []float64 // w_k
}

func (d *distance) of(s []float64) float64 {
	sum := 0.0
	for k, o := range d.observed {
		if d.weights[k] == 0 {
			continue
		}
		z := (s[k] - o) / d.scales[k]
		sum += d.weights[k] * z * z
	}
	return math.Sqrt(sum)
}

// newDistance derives the scales from the pilot's statistics (one row
// per pilot simulation) and returns the distance, plus a warning for each
// statistic that did not vary and is left out. weights may be nil.
func newDistance(observed []float64, pilot [][]float64, weights []float64, method Scale, names []string) (*distance, []string) {
	d := &distance{observed: observed, scales: make([]float64, len(observed)), weights: make([]float64, len(observed))}
	var warnings []string
	col := make([]float64, len(pilot))
	for k := range observed {
		for i, s := range pilot {
			col[i] = s[k]
		}
		scale := 0.0
		if slices.Min(col) != slices.Max(col) {
			switch method {
			case ScaleNone:
				scale = 1
			case ScaleMAD:
				scale = mad(col)
			}
			if scale == 0 {
				scale = sd(col)
			}
		}
		w := 1.0
		if weights != nil {
			w = weights[k]
		}
		if scale == 0 {
			if w > 0 {
				warnings = append(warnings, fmt.Sprintf("statistic %s takes the same value (%g) in every pilot simulation: it cannot tell parameters apart and is left out of the distance", names[k], col[0]))
			}
			w, scale = 0, 0
		}
		d.scales[k], d.weights[k] = scale, w
	}
	return d, warnings
}

// informative reports whether at least one statistic enters the
// distance.
func (d *distance) informative() bool {
	for _, w := range d.weights {
		if w > 0 {
			return true
		}
	}
	return false
}

// median returns the median of x (the mean of the two middle values for
// an even count). x is not modified.
func median(x []float64) float64 {
	s := slices.Clone(x)
	slices.Sort(s)
	n := len(s)
	if n%2 == 1 {
		return s[n/2]
	}
	return (s[n/2-1] + s[n/2]) / 2
}

// mad returns the median absolute deviation from the median (unscaled).
func mad(x []float64) float64 {
	m := median(x)
	dev := make([]float64, len(x))
	for i, v := range x {
		dev[i] = math.Abs(v - m)
	}
	return median(dev)
}

// sd returns the population standard deviation of x.
func sd(x []float64) float64 {
	m := 0.0
	for _, v := range x {
		m += v
	}
	m /= float64(len(x))
	s := 0.0
	for _, v := range x {
		s += (v - m) * (v - m)
	}
	return math.Sqrt(s / float64(len(x)))
}
