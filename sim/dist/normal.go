package dist

import (
	"math"

	"gonum.org/v1/gonum/stat/distuv"
)

// Normal is the normal distribution with mean Mu and standard deviation
// Sigma (written "mean" and "sd" in a scenario). Its support is the whole
// real line: use TruncNormal for a parameter that has bounds.
type Normal struct {
	Mu, Sigma float64
}

func (n Normal) Quantile(p float64) float64 {
	return n.Mu + n.Sigma*distuv.UnitNormal.Quantile(clampP(p))
}
func (n Normal) Mean() float64             { return n.Mu }
func (n Normal) Variance() float64         { return n.Sigma * n.Sigma }
func (n Normal) Support() (lo, hi float64) { return math.Inf(-1), math.Inf(1) }
func (Normal) Kind() string                { return "normal" }
func (n Normal) String() string {
	return "normal(" + fmtNum(n.Mu) + ", " + fmtNum(n.Sigma) + ")"
}

func (n Normal) Validate() error {
	if err := checkFinite("mean", n.Mu, "sd", n.Sigma); err != nil {
		return err
	}
	if !(n.Sigma > 0) {
		return fieldErr("sd", "must be > 0, got %g", n.Sigma)
	}
	return nil
}
