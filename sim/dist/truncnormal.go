package dist

import (
	"math"

	"gonum.org/v1/gonum/stat/distuv"
)

// TruncNormal is a normal distribution with location Mu and scale Sigma
// (written "mean" and "sd" in a scenario) restricted to [Min, Max]. Mu and
// Sigma are those of the parent normal, not the mean and standard
// deviation of the truncated one.
type TruncNormal struct {
	Mu, Sigma float64
	Min, Max  float64
}

// std returns the standardised bounds, reflected so that the lower bound
// is at most zero: the normal CDF is accurate in the lower tail, so
// working there keeps far-tail truncations precise. flip reports the
// reflection.
func (t TruncNormal) std() (alpha, beta float64, flip bool) {
	alpha = (t.Min - t.Mu) / t.Sigma
	beta = (t.Max - t.Mu) / t.Sigma
	if alpha > 0 {
		return -beta, -alpha, true
	}
	return alpha, beta, false
}

func (t TruncNormal) Quantile(p float64) float64 {
	p = clampP(p)
	alpha, beta, flip := t.std()
	if flip {
		p = 1 - p
	}
	lo := distuv.UnitNormal.CDF(alpha)
	hi := distuv.UnitNormal.CDF(beta)
	z := distuv.UnitNormal.Quantile(lo + p*(hi-lo))
	if flip {
		z = -z
	}
	x := t.Mu + t.Sigma*z
	return math.Min(math.Max(x, t.Min), t.Max)
}

// moments returns the mean and variance of the standardised truncated
// normal on [alpha, beta] (Johnson, Kotz & Balakrishnan 1994, §10.1).
func truncMoments(alpha, beta float64) (mean, variance float64) {
	z := distuv.UnitNormal.CDF(beta) - distuv.UnitNormal.CDF(alpha)
	pa, pb := distuv.UnitNormal.Prob(alpha), distuv.UnitNormal.Prob(beta)
	mean = (pa - pb) / z
	aTerm, bTerm := alpha*pa, beta*pb
	if math.IsInf(alpha, 0) {
		aTerm = 0
	}
	if math.IsInf(beta, 0) {
		bTerm = 0
	}
	variance = 1 + (aTerm-bTerm)/z - mean*mean
	return mean, variance
}

func (t TruncNormal) Mean() float64 {
	alpha, beta, flip := t.std()
	m, _ := truncMoments(alpha, beta)
	if flip {
		m = -m
	}
	return t.Mu + t.Sigma*m
}

func (t TruncNormal) Variance() float64 {
	alpha, beta, _ := t.std()
	_, v := truncMoments(alpha, beta)
	return t.Sigma * t.Sigma * v
}

func (t TruncNormal) Support() (lo, hi float64) { return t.Min, t.Max }
func (TruncNormal) Kind() string                { return "truncnormal" }
func (t TruncNormal) String() string {
	return "truncnormal(" + fmtNum(t.Mu) + ", " + fmtNum(t.Sigma) + ", [" + fmtNum(t.Min) + ", " + fmtNum(t.Max) + "])"
}

func (t TruncNormal) Validate() error {
	if err := checkFinite("mean", t.Mu, "sd", t.Sigma, "min", t.Min, "max", t.Max); err != nil {
		return err
	}
	if !(t.Sigma > 0) {
		return fieldErr("sd", "must be > 0, got %g", t.Sigma)
	}
	if !(t.Max > t.Min) {
		return fieldErr("max", "must be greater than min (%g), got %g", t.Min, t.Max)
	}
	alpha, beta, _ := t.std()
	if distuv.UnitNormal.CDF(beta)-distuv.UnitNormal.CDF(alpha) < 1e-12 {
		return fieldErr("min", "[min, max] = [%g, %g] lies too far in the tail of normal(%g, %g) to sample", t.Min, t.Max, t.Mu, t.Sigma)
	}
	return checkDraws(t, "sd")
}
