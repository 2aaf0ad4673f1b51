package abc

import (
	"math"
	"strings"
	"testing"
)

func TestDistanceScales(t *testing.T) {
	pilot := [][]float64{{1, 0, 5}, {2, 0, 5}, {3, 0, 5}, {4, 10, 5}, {100, 0, 5}}
	d, warnings := newDistance([]float64{2, 1, 5}, pilot, nil, ScaleMAD, []string{"a", "rare", "const"})
	// a: median 3, deviations 2 1 0 1 97 → MAD 1. rare: MAD 0, falls back
	// to the sd (4). const: left out.
	if d.scales[0] != 1 || d.scales[1] != 4 || d.weights[2] != 0 {
		t.Errorf("scales %v weights %v", d.scales, d.weights)
	}
	if len(warnings) != 1 || !strings.Contains(warnings[0], "const") {
		t.Errorf("warnings %q", warnings)
	}
	// d = sqrt(((4−2)/1)² + ((3−1)/4)²).
	if got, want := d.of([]float64{4, 3, 99}), math.Sqrt(4+0.25); math.Abs(got-want) > 1e-15 {
		t.Errorf("distance %g, want %g", got, want)
	}
	w, _ := newDistance([]float64{2, 1, 5}, pilot, []float64{4, 0, 1}, ScaleSD, []string{"a", "rare", "const"})
	if w.weights[1] != 0 || w.weights[0] != 4 || w.scales[0] != sd([]float64{1, 2, 3, 4, 100}) {
		t.Errorf("weighted sd scales %v weights %v", w.scales, w.weights)
	}
	if got, want := w.of([]float64{4, 3, 99}), math.Sqrt(4*4/(w.scales[0]*w.scales[0])); math.Abs(got-want) > 1e-15 {
		t.Errorf("weighted distance %g, want %g", got, want)
	}
	n, _ := newDistance([]float64{2, 1, 5}, pilot, nil, ScaleNone, []string{"a", "rare", "const"})
	if n.scales[0] != 1 || n.scales[1] != 1 || n.weights[2] != 0 {
		t.Errorf("unscaled: scales %v weights %v", n.scales, n.weights)
	}
}
