package dist

import "gonum.org/v1/gonum/stat/distuv"

// Beta is the beta distribution on [0, 1] with shape parameters Alpha and
// Beta. Mean Alpha/(Alpha+Beta). Suited to probabilities and shares.
type Beta struct {
	Alpha, Beta float64
}

func (b Beta) g() distuv.Beta { return distuv.Beta{Alpha: b.Alpha, Beta: b.Beta} }

func (b Beta) Quantile(p float64) float64 { return b.g().Quantile(clampP(p)) }
func (b Beta) Mean() float64              { return b.Alpha / (b.Alpha + b.Beta) }
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
	if !(b.Alpha > 0) {
		return fieldErr("alpha", "must be > 0, got %g", b.Alpha)
	}
	if !(b.Beta > 0) {
		return fieldErr("beta", "must be > 0, got %g", b.Beta)
	}
	return nil
}
