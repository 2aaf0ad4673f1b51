package sim

import (
	"math"
	"testing"
)

// TestMatrixLinkApplies checks the kernels' one-comparison test of a
// link against its rule, v·sign ≥ 0 and v ≠ 0, for every sign and finite
// values of both zero signs, and NaN.
func TestMatrixLinkApplies(t *testing.T) {
	vs := []float64{0, math.Copysign(0, -1), 1e-300, -1e-300, 0.5, -0.5, 7, -7, math.MaxFloat64, -math.MaxFloat64, math.NaN()}
	for _, sign := range []float64{-1, 0, 1} {
		l := newMatrixLink(link{sign: sign})
		for _, v := range vs {
			if got, want := l.applies(v), v*sign >= 0 && v != 0; got != want {
				t.Errorf("sign %v, v = %v: applies %v, the rule says %v", sign, v, got, want)
			}
		}
	}
}
