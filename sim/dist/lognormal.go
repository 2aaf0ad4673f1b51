package dist

import (
	"math"

	"gonum.org/v1/gonum/stat/distuv"
)

// LogNormal is the distribution of exp(Y) with Y normal with mean Mu and
// standard deviation Sigma. Its median is exp(Mu).
type LogNormal struct {
	Mu, Sigma float64
}

func (l LogNormal) Quantile(p float64) float64 {
	return math.Exp(l.Mu + l.Sigma*distuv.UnitNormal.Quantile(clampP(p)))
}
func (l LogNormal) Mean() float64 { return math.Exp(l.Mu + l.Sigma*l.Sigma/2) }
func (l LogNormal) Variance() float64 {
	s2 := l.Sigma * l.Sigma
	return math.Expm1(s2) * math.Exp(2*l.Mu+s2)
}
func (l LogNormal) Support() (lo, hi float64) { return 0, math.Inf(1) }
func (LogNormal) Kind() string                { return "lognormal" }
func (l LogNormal) String() string {
	return "lognormal(" + fmtNum(l.Mu) + ", " + fmtNum(l.Sigma) + ")"
}

func (l LogNormal) Validate() error {
	if err := checkFinite("mu", l.Mu, "sigma", l.Sigma); err != nil {
		return err
	}
	if !(l.Sigma > 0) {
		return fieldErr("sigma", "must be > 0, got %g", l.Sigma)
	}
	if l.Mu+l.Sigma*l.Sigma > 300 {
		return fieldErr("mu", "lognormal(%g, %g) overflows float64", l.Mu, l.Sigma)
	}
	return nil
}
