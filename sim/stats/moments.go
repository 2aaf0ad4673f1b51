package stats

import (
	"math"
	"math/big"
)

// Moments accumulates the count, exact sum and sum of squares, minimum
// and maximum of a stream of values. Its zero value is empty.
//
// Each value is rounded once, to a multiple of 2^-32; the sum and the
// sum of squares are exact for the rounded values, so the variance is
// that of the rounded values, exactly 0 when all values are equal (the
// squares used to be rounded separately, which gave a constant outcome
// a standard deviation of 7.5e-6), and merging stays order-free.
type Moments struct {
	N     int64     `json:"n"`
	Sum   FixedSum  `json:"sum"`
	SumSq SquareSum `json:"sum_sq"` // Σ q², q the value in units of 2^-32
	Min   float64   `json:"min"`
	Max   float64   `json:"max"`
}

// Add adds one value. Values must lie within ±MaxFixed.
func (m *Moments) Add(x float64) {
	if m.N == 0 || x < m.Min {
		m.Min = x
	}
	if m.N == 0 || x > m.Max {
		m.Max = x
	}
	m.N++
	q := toFixed(x)
	m.Sum.addInt(q)
	m.SumSq.addSquare(q)
}

// Merge adds the values of another accumulator. The result is exactly
// the same whatever the order of merges.
func (m *Moments) Merge(o *Moments) {
	if o.N == 0 {
		return
	}
	if m.N == 0 || o.Min < m.Min {
		m.Min = o.Min
	}
	if m.N == 0 || o.Max > m.Max {
		m.Max = o.Max
	}
	m.N += o.N
	m.Sum.Merge(o.Sum)
	m.SumSq.Merge(o.SumSq)
}

// Mean returns the sample mean (NaN when empty), kept inside [Min, Max]:
// the rounding of the values to 2^-32 could otherwise put the mean of a
// constant a hair outside its only value.
func (m *Moments) Mean() float64 {
	if m.N == 0 {
		return math.NaN()
	}
	f := new(big.Float).SetInt(m.Sum.Int())
	f.Quo(f, new(big.Float).SetInt64(m.N))
	f.SetMantExp(f, -32)
	v, _ := f.Float64()
	return math.Min(math.Max(v, m.Min), m.Max)
}

// Variance returns the unbiased sample variance (NaN for fewer than two
// values), computed exactly from the fixed-point sums as
// (N·Σq² − (Σq)²) / (N(N−1)) and rounded once.
func (m *Moments) Variance() float64 {
	if m.N < 2 {
		return math.NaN()
	}
	n := big.NewInt(m.N)
	s := m.Sum.Int()
	num := new(big.Int).Mul(n, m.SumSq.Int()) // both terms in units of 2^-64
	num.Sub(num, new(big.Int).Mul(s, s))
	if num.Sign() <= 0 { // 0 exactly when every value is the same; never negative unless tampered with
		return 0
	}
	den := new(big.Int).Mul(n, big.NewInt(m.N-1))
	f := new(big.Float).SetPrec(128).SetInt(num)
	f.Quo(f, new(big.Float).SetPrec(128).SetInt(den))
	f.SetMantExp(f, -64)
	v, _ := f.Float64()
	return v
}

// SD returns the sample standard deviation.
func (m *Moments) SD() float64 { return math.Sqrt(m.Variance()) }

// SE returns the Monte Carlo standard error of the mean, sd/√N.
func (m *Moments) SE() float64 { return math.Sqrt(m.Variance() / float64(m.N)) }

// CI95 returns the normal-approximation 95% interval of the mean,
// mean ± 1.96·SE.
func (m *Moments) CI95() (lo, hi float64) {
	mean, se := m.Mean(), m.SE()
	return mean - Z95*se, mean + Z95*se
}

// Z95 is the 97.5% quantile of the standard normal distribution.
const Z95 = 1.959963984540054
