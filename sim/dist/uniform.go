package dist

import "math"

// Uniform is the continuous uniform distribution on [Min, Max].
type Uniform struct {
	Min, Max float64
}

// Quantile is kept inside [Min, Max] against rounding.
func (u Uniform) Quantile(p float64) float64 {
	return math.Min(math.Max(u.Min+clampP(p)*(u.Max-u.Min), u.Min), u.Max)
}
func (u Uniform) Mean() float64             { return (u.Min + u.Max) / 2 }
func (u Uniform) Variance() float64         { w := u.Max - u.Min; return w * w / 12 }
func (u Uniform) Support() (lo, hi float64) { return u.Min, u.Max }
func (Uniform) Kind() string                { return "uniform" }
func (u Uniform) String() string {
	return "uniform(" + fmtNum(u.Min) + ", " + fmtNum(u.Max) + ")"
}

func (u Uniform) Validate() error {
	if err := checkFinite("min", u.Min, "max", u.Max); err != nil {
		return err
	}
	if !(u.Max > u.Min) {
		return fieldErr("max", "must be greater than min (%g), got %g", u.Min, u.Max)
	}
	return checkDraws(u, "max")
}
