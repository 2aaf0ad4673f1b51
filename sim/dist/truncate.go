package dist

import (
	"math"

	"gonum.org/v1/gonum/stat/distuv"
)

// Truncatable is a distribution with unbounded support that can be
// restricted to a finite range: normal and lognormal. A scenario
// parameter has a finite range, so geosim samples such a distribution
// truncated to it — provided little of its mass lies outside (see
// sim.MaxTruncatedMass); otherwise the analyst must truncate explicitly.
type Truncatable interface {
	Dist
	// Outside returns the probability of a draw outside [lo, hi].
	Outside(lo, hi float64) float64
	// Truncate returns the distribution conditioned on [lo, hi]. Its
	// support lies in [lo, hi]; its mean and variance are those of the
	// truncated distribution.
	Truncate(lo, hi float64) Dist
}

// Outside returns the normal's probability outside [lo, hi].
func (n Normal) Outside(lo, hi float64) float64 {
	return distuv.UnitNormal.CDF((lo-n.Mu)/n.Sigma) + distuv.UnitNormal.Survival((hi-n.Mu)/n.Sigma)
}

// Truncate returns the truncated normal on [lo, hi].
func (n Normal) Truncate(lo, hi float64) Dist {
	return TruncNormal{Mu: n.Mu, Sigma: n.Sigma, Min: lo, Max: hi}
}

// Outside returns the lognormal's probability outside [lo, hi].
func (l LogNormal) Outside(lo, hi float64) float64 {
	below := 0.0
	if lo > 0 {
		below = distuv.UnitNormal.CDF((math.Log(lo) - l.Mu) / l.Sigma)
	}
	return below + distuv.UnitNormal.Survival((math.Log(hi)-l.Mu)/l.Sigma)
}

// Truncate returns the lognormal conditioned on [max(lo, 0), hi].
func (l LogNormal) Truncate(lo, hi float64) Dist {
	return TruncLogNormal{Mu: l.Mu, Sigma: l.Sigma, Min: math.Max(lo, 0), Max: hi}
}

// TruncLogNormal is a lognormal distribution (of exp(Y), Y normal with
// mean Mu and standard deviation Sigma) conditioned on [Min, Max], with
// 0 <= Min < Max < +Inf. It is what a lognormal parameter is sampled
// from: the parameter's range bounds it.
type TruncLogNormal struct {
	Mu, Sigma float64
	Min, Max  float64
}

// logNormal returns the truncated normal of log X (its lower bound may
// be -Inf).
func (t TruncLogNormal) logNormal() TruncNormal {
	lo := math.Inf(-1)
	if t.Min > 0 {
		lo = math.Log(t.Min)
	}
	return TruncNormal{Mu: t.Mu, Sigma: t.Sigma, Min: lo, Max: math.Log(t.Max)}
}

// std returns the standardised bounds α, β of log X.
func (t TruncLogNormal) std() (alpha, beta float64) {
	ln := t.logNormal()
	return (ln.Min - t.Mu) / t.Sigma, (ln.Max - t.Mu) / t.Sigma
}

func (t TruncLogNormal) Quantile(p float64) float64 {
	return math.Min(math.Max(math.Exp(t.logNormal().Quantile(p)), t.Min), t.Max)
}

// moment returns E[X^k] for k = 1, 2, in logarithms to avoid overflow:
// E[exp(kY) | a <= Y <= b] = exp(kμ + k²σ²/2) · P(a' <= Z <= b') / P(α <= Z <= β),
// with Z standard normal, α, β the standardised bounds and a' = α − kσ,
// b' = β − kσ.
func (t TruncLogNormal) moment(k float64) float64 {
	alpha, beta := t.std()
	ks := k * t.Sigma
	v := k*t.Mu + ks*ks/2 + logNormalMass(alpha-ks, beta-ks) - logNormalMass(alpha, beta)
	return math.Exp(v)
}

func (t TruncLogNormal) Mean() float64 {
	return math.Min(math.Max(t.moment(1), t.Min), t.Max)
}

func (t TruncLogNormal) Variance() float64 {
	m := t.Mean()
	return math.Max(t.moment(2)-m*m, 0)
}

func (t TruncLogNormal) Support() (lo, hi float64) { return t.Min, t.Max }
func (TruncLogNormal) Kind() string                { return "lognormal" }
func (t TruncLogNormal) String() string {
	return "lognormal(" + fmtNum(t.Mu) + ", " + fmtNum(t.Sigma) + ") in [" + fmtNum(t.Min) + ", " + fmtNum(t.Max) + "]"
}

func (t TruncLogNormal) Validate() error {
	if err := checkFinite("mu", t.Mu, "sigma", t.Sigma, "min", t.Min, "max", t.Max); err != nil {
		return err
	}
	if !(t.Sigma > 0) {
		return fieldErr("sigma", "must be > 0, got %g", t.Sigma)
	}
	if !(t.Min >= 0 && t.Max > t.Min) {
		return fieldErr("max", "must be greater than min (%g) >= 0, got %g", t.Min, t.Max)
	}
	if math.Exp(logNormalMass(t.std())) < 1e-12 {
		return fieldErr("mu", "[%g, %g] lies too far in the tail of lognormal(%g, %g) to sample", t.Min, t.Max, t.Mu, t.Sigma)
	}
	return checkDraws(t, "sigma")
}

// logNormalMass returns log P(a <= Z <= b) for a standard normal Z and
// a < b (either may be infinite), accurate far into either tail.
func logNormalMass(a, b float64) float64 {
	if a > 0 { // both in the upper tail: reflect
		a, b = -b, -a
	}
	if b > 0 { // the interval holds the centre: no cancellation
		return math.Log(1 - math.Exp(logPhi(a)) - math.Exp(logPhi(-b)))
	}
	la, lb := logPhi(a), logPhi(b)
	return lb + math.Log1p(-math.Exp(la-lb))
}

// logPhi returns log Φ(x), the logarithm of the standard normal CDF,
// using the asymptotic series where Φ(x) underflows.
func logPhi(x float64) float64 {
	if math.IsInf(x, -1) {
		return math.Inf(-1)
	}
	if x > -37 {
		return math.Log(0.5 * math.Erfc(-x/math.Sqrt2))
	}
	x2 := 1 / (x * x)
	series := 1 - x2 + 3*x2*x2 - 15*x2*x2*x2 + 105*x2*x2*x2*x2
	return -x*x/2 - math.Log(-x) - 0.5*math.Log(2*math.Pi) + math.Log(series)
}
