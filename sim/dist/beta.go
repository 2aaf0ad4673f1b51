package dist

import (
	"math"

	"gonum.org/v1/gonum/stat/distuv"
)

// Beta is the beta distribution on [0, 1] with shape parameters Alpha and
// Beta. Mean Alpha/(Alpha+Beta). Suited to probabilities and shares.
type Beta struct {
	Alpha, Beta float64
}

// Shape parameters outside [MinBetaShape, MaxBetaShape] are rejected: the
// incomplete-beta inversion behind Quantile returns NaN for shapes near
// 1e5 and above (beta(1, 1e20) gave NaN for every draw), and shapes below
// 0.001 put all but a vanishing fraction of the mass at 0 and 1. A beta
// with alpha + beta = 10,000 already has a standard deviation of at most
// 0.005, tighter than any judgement it could encode.
const (
	MinBetaShape = 0.001
	MaxBetaShape = 10_000
)

func (b Beta) g() distuv.Beta { return distuv.Beta{Alpha: b.Alpha, Beta: b.Beta} }

// Quantile inverts the regularised incomplete beta function; the result
// is kept inside [0, 1] against rounding in the inversion.
func (b Beta) Quantile(p float64) float64 {
	return math.Min(math.Max(b.g().Quantile(clampP(p)), 0), 1)
}
func (b Beta) Mean() float64 { return b.Alpha / (b.Alpha + b.Beta) }
func (b Beta) Variance() float64 {
	s := b.Alpha + b.Beta
	return b.Alpha * b.Beta / (s * s * (s + 1))
}
func (Beta) Support() (lo, hi float64) { return 0, 1 }
func (Beta) Kind() string              { return "beta" }
func (b Beta) String() string {
	return "beta(" + fmtNum(b.Alpha) + ", " + fmtNum(b.Beta) + ")"
}

func (b Beta) Validate() error {
	if err := checkFinite("alpha", b.Alpha, "beta", b.Beta); err != nil {
		return err
	}
	for _, f := range []struct {
		name string
		v    float64
	}{{"alpha", b.Alpha}, {"beta", b.Beta}} {
		if !(f.v >= MinBetaShape && f.v <= MaxBetaShape) {
			return fieldErr(f.name, "must be in [%g, %g], got %g (outside it the beta's quantiles cannot be computed reliably)", float64(MinBetaShape), float64(MaxBetaShape), f.v)
		}
	}
	return checkDraws(b, "beta")
}
