package dist

import (
	"math"
	"strings"
)

// Choice is a discrete distribution over Values with probabilities
// proportional to Weights. Nil Weights means equally likely values.
// Draw i falls on the first value whose cumulative probability exceeds u,
// in the order the values are given.
//
// Weights are divided by the largest weight before they are summed, so
// that any finite weights — 1e308 included — give finite probabilities.
type Choice struct {
	Values  []float64
	Weights []float64
}

// MaxChoiceValues bounds the number of values of a choice: a draw scans
// them, once per run.
const MaxChoiceValues = 1000

// scale returns the largest weight (1 without weights): weights are
// divided by it, which cannot overflow.
func (c Choice) scale() float64 {
	if c.Weights == nil {
		return 1
	}
	m := 0.0
	for _, w := range c.Weights {
		m = math.Max(m, w)
	}
	return m
}

func (c Choice) weight(i int, scale float64) float64 {
	if c.Weights == nil {
		return 1
	}
	return c.Weights[i] / scale
}

// total returns the sum of the scaled weights, in [1, len(Values)].
func (c Choice) total(scale float64) float64 {
	if c.Weights == nil {
		return float64(len(c.Values))
	}
	s := 0.0
	for _, w := range c.Weights {
		s += w / scale
	}
	return s
}

func (c Choice) Quantile(p float64) float64 {
	sc := c.scale()
	target := clampP(p) * c.total(sc)
	cum := 0.0
	for i, v := range c.Values {
		cum += c.weight(i, sc)
		if target < cum {
			return v
		}
	}
	// Rounding in the running sum: the last value with positive weight.
	for i := len(c.Values) - 1; i >= 0; i-- {
		if c.weight(i, sc) > 0 {
			return c.Values[i]
		}
	}
	return c.Values[len(c.Values)-1]
}

func (c Choice) Mean() float64 {
	sc, s := c.scale(), 0.0
	for i, v := range c.Values {
		s += c.weight(i, sc) * v
	}
	return s / c.total(sc)
}

func (c Choice) Variance() float64 {
	sc, m, s := c.scale(), c.Mean(), 0.0
	for i, v := range c.Values {
		s += c.weight(i, sc) * (v - m) * (v - m)
	}
	return s / c.total(sc)
}

// Support returns the smallest and largest values of positive weight.
func (c Choice) Support() (lo, hi float64) {
	lo, hi = math.Inf(1), math.Inf(-1)
	sc := c.scale()
	for i, v := range c.Values {
		if c.weight(i, sc) > 0 {
			lo, hi = math.Min(lo, v), math.Max(hi, v)
		}
	}
	return lo, hi
}

func (Choice) Kind() string { return "choice" }
func (c Choice) String() string {
	var b strings.Builder
	b.WriteString("choice(")
	for i, v := range c.Values {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(fmtNum(v))
		if c.Weights != nil {
			b.WriteString(":" + fmtNum(c.Weights[i]))
		}
	}
	b.WriteString(")")
	return b.String()
}

func (c Choice) Validate() error {
	if len(c.Values) == 0 {
		return fieldErr("values", "needs at least one value")
	}
	if len(c.Values) > MaxChoiceValues {
		return fieldErr("values", "has %d values; a choice takes at most %d", len(c.Values), MaxChoiceValues)
	}
	for _, v := range c.Values {
		if !finite(v) {
			return fieldErr("values", "must be finite numbers, got %v", v)
		}
	}
	if c.Weights != nil {
		if err := c.validateWeights(); err != nil {
			return err
		}
	}
	if !finite(c.Mean()) || !finite(c.Variance()) {
		return fieldErr("values", "are too large: their mean or variance overflows")
	}
	return nil
}

func (c Choice) validateWeights() error {
	if len(c.Weights) != len(c.Values) {
		return fieldErr("weights", "has %d entries but values has %d", len(c.Weights), len(c.Values))
	}
	for _, w := range c.Weights {
		if !finite(w) || w < 0 {
			return fieldErr("weights", "must be finite and >= 0, got %v", w)
		}
	}
	if c.scale() == 0 {
		return fieldErr("weights", "must not all be zero")
	}
	return nil
}
