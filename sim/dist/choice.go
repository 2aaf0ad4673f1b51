package dist

import (
	"math"
	"strings"
)

// Choice is a discrete distribution over Values with probabilities
// proportional to Weights. Nil Weights means equally likely values.
// Draw i falls on the first value whose cumulative probability exceeds u,
// in the order the values are given.
type Choice struct {
	Values  []float64
	Weights []float64
}

func (c Choice) weight(i int) float64 {
	if c.Weights == nil {
		return 1
	}
	return c.Weights[i]
}

func (c Choice) total() float64 {
	if c.Weights == nil {
		return float64(len(c.Values))
	}
	s := 0.0
	for _, w := range c.Weights {
		s += w
	}
	return s
}

func (c Choice) Quantile(p float64) float64 {
	target := clampP(p) * c.total()
	cum := 0.0
	for i, v := range c.Values {
		cum += c.weight(i)
		if target < cum {
			return v
		}
	}
	return c.Values[len(c.Values)-1]
}

func (c Choice) Mean() float64 {
	s := 0.0
	for i, v := range c.Values {
		s += c.weight(i) * v
	}
	return s / c.total()
}

func (c Choice) Variance() float64 {
	m, s := c.Mean(), 0.0
	for i, v := range c.Values {
		s += c.weight(i) * (v - m) * (v - m)
	}
	return s / c.total()
}

func (c Choice) Support() (lo, hi float64) {
	lo, hi = math.Inf(1), math.Inf(-1)
	for _, v := range c.Values {
		lo, hi = math.Min(lo, v), math.Max(hi, v)
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
	for _, v := range c.Values {
		if !finite(v) {
			return fieldErr("values", "must be finite numbers, got %v", v)
		}
	}
	if c.Weights == nil {
		return nil
	}
	if len(c.Weights) != len(c.Values) {
		return fieldErr("weights", "has %d entries but values has %d", len(c.Weights), len(c.Values))
	}
	for _, w := range c.Weights {
		if !finite(w) || w < 0 {
			return fieldErr("weights", "must be finite and >= 0, got %v", w)
		}
	}
	if !(c.total() > 0) {
		return fieldErr("weights", "must not all be zero")
	}
	return nil
}
