// Package dist holds the probability distributions a scenario parameter may
// follow: fixed, uniform, normal, truncated normal, beta, triangular,
// lognormal and discrete choice.
//
// Every distribution is a small value type that validates its own
// parameters and is sampled by inversion: a draw is Quantile(u) for one
// uniform u in (0, 1). Inversion costs a little more than the specialised
// samplers in gonum's distuv, but it gives geosim three properties it
// relies on:
//
//   - a draw consumes exactly one uniform, so adding or changing a
//     parameter never shifts the random numbers seen by the others
//     (common random numbers across scenarios and sweep points);
//   - a draw is monotone in u, so two scenarios that differ only in a
//     parameter's distribution are coupled run by run;
//   - Latin hypercube and Sobol designs need only the quantile function.
//
// Rand draws from an explicit *rand.Rand; there is no package-level
// random state.
package dist

import (
	"fmt"
	"math"
	"math/rand/v2"
)

// Dist is a univariate distribution of a scenario parameter.
type Dist interface {
	// Quantile returns the value x with P(X <= x) = p, for p in (0, 1).
	Quantile(p float64) float64
	// Mean returns the expected value.
	Mean() float64
	// Variance returns the variance.
	Variance() float64
	// Support returns the smallest and largest values a draw can take
	// (possibly infinite).
	Support() (lo, hi float64)
	// Validate reports whether the parameters define a distribution.
	// Its error is a *FieldError naming the offending parameter.
	Validate() error
	// Kind is the distribution's name as written in a scenario file
	// ("uniform", "normal", ...).
	Kind() string
	// String describes the distribution and its parameters compactly.
	String() string
}

// Rand draws one value of d from rng by inversion, using exactly one
// uniform from rng.
func Rand(d Dist, rng *rand.Rand) float64 {
	return d.Quantile(Unit(rng.Uint64()))
}

// Unit maps 64 random bits to a uniform number strictly inside (0, 1):
// the top 52 bits plus one half, divided by 2^52 (exact in float64).
// Neither 0 nor 1 can occur, so quantile functions never see an infinite
// tail.
func Unit(bits uint64) float64 {
	return (float64(bits>>12) + 0.5) / (1 << 52)
}

// IsFixed reports whether d always takes the same value.
func IsFixed(d Dist) bool {
	_, ok := d.(Fixed)
	return ok
}

// FieldError says which parameter of a distribution is invalid and why.
type FieldError struct {
	Field string // parameter name as written in a scenario, e.g. "sd"
	Msg   string // what is wrong, e.g. "must be > 0, got -1"
}

func (e *FieldError) Error() string { return e.Field + ": " + e.Msg }

func fieldErr(field, format string, args ...any) error {
	return &FieldError{Field: field, Msg: fmt.Sprintf(format, args...)}
}

func finite(x float64) bool { return !math.IsNaN(x) && !math.IsInf(x, 0) }

// checkFinite returns a FieldError for the first non-finite value, given
// as alternating names and values.
func checkFinite(fields ...any) error {
	for i := 0; i+1 < len(fields); i += 2 {
		v := fields[i+1].(float64)
		if !finite(v) {
			return fieldErr(fields[i].(string), "must be a finite number, got %v", v)
		}
	}
	return nil
}

// clampP keeps a probability inside (0, 1) so that callers passing 0 or 1
// get the support's end instead of NaN.
func clampP(p float64) float64 {
	const tiny = 1.0 / (1 << 54)
	if p < tiny {
		return tiny
	}
	if p > 1-tiny {
		return 1 - tiny
	}
	return p
}

func fmtNum(x float64) string { return fmt.Sprintf("%g", x) }

// probeP are the uniforms checkDraws tries: the smallest and largest
// Unit can return, and points between.
var probeP = []float64{Unit(0), 1e-12, 1e-6, 0.001, 0.1, 0.5, 0.9, 0.999, 1 - 1e-6, 1 - 1e-12, Unit(math.MaxUint64)}

// checkDraws reports, as an error on field, a distribution whose draws at
// the probe uniforms are not finite, leave its support or decrease, and
// whose mean or variance is not finite: parameterisations that pass the
// per-parameter checks yet overflow or defeat the quantile function.
// Decreases below a billionth of the support's width are tolerated:
// gonum's incomplete-beta inversion wobbles that much in its far tails.
func checkDraws(d Dist, field string) error {
	lo, hi := d.Support()
	slack := 1e-9 * (hi - lo)
	prev := math.Inf(-1)
	for _, p := range probeP {
		x := d.Quantile(p)
		if !finite(x) || x < lo || x > hi || x < prev-slack {
			return fieldErr(field, "%s cannot be sampled: its quantile at %g is %v", d, p, x)
		}
		prev = x
	}
	if !finite(d.Mean()) || !finite(d.Variance()) {
		return fieldErr(field, "%s is too wide: its mean or variance overflows float64", d)
	}
	return nil
}
