package dist

import "math"

// Triangular is the triangular distribution on [Min, Max] with its peak at
// Mode. A common way to encode an expert's low / most likely / high.
type Triangular struct {
	Min, Mode, Max float64
}

func (t Triangular) Quantile(p float64) float64 {
	p = clampP(p)
	a, c, b := t.Min, t.Mode, t.Max
	w := b - a
	var x float64
	if p < (c-a)/w {
		x = a + math.Sqrt(p*w*(c-a))
	} else {
		x = b - math.Sqrt((1-p)*w*(b-c))
	}
	return math.Min(math.Max(x, a), b) // against rounding
}
func (t Triangular) Mean() float64 { return (t.Min + t.Mode + t.Max) / 3 }
func (t Triangular) Variance() float64 {
	a, c, b := t.Min, t.Mode, t.Max
	return (a*a + b*b + c*c - a*b - a*c - b*c) / 18
}
func (t Triangular) Support() (lo, hi float64) { return t.Min, t.Max }
func (Triangular) Kind() string                { return "triangular" }
func (t Triangular) String() string {
	return "triangular(" + fmtNum(t.Min) + ", " + fmtNum(t.Mode) + ", " + fmtNum(t.Max) + ")"
}

func (t Triangular) Validate() error {
	if err := checkFinite("min", t.Min, "mode", t.Mode, "max", t.Max); err != nil {
		return err
	}
	if !(t.Max > t.Min) {
		return fieldErr("max", "must be greater than min (%g), got %g", t.Min, t.Max)
	}
	if t.Mode < t.Min || t.Mode > t.Max {
		return fieldErr("mode", "must lie in [min, max] = [%g, %g], got %g", t.Min, t.Max, t.Mode)
	}
	return checkDraws(t, "max")
}
