package stats

import (
	"fmt"
	"math"
	"math/big"
	"math/bits"
)

// FixedScale is the resolution of exact sums: values are rounded to
// multiples of 1/FixedScale = 2^-32 (about 2.3e-10) before adding.
const FixedScale = 1 << 32

// MaxFixed is the largest magnitude a value added to a FixedSum may have.
// Outcomes in geosim are bounded well below it (Goldstein values, counts
// of months, months).
const MaxFixed = 1 << 30

// FixedSum is an exact sum of values rounded to multiples of 2^-32,
// held as a signed 128-bit integer (Hi, Lo) in units of 2^-32. Adding and
// merging are exact, so the sum does not depend on order. Up to 2^64
// values of magnitude MaxFixed fit without overflow.
type FixedSum struct {
	Hi int64  `json:"hi"`
	Lo uint64 `json:"lo"`
}

// toFixed rounds x to the fixed-point grid. It panics on values outside
// ±MaxFixed or NaN: the model guarantees bounded outputs, so such a value
// is a programming error.
func toFixed(x float64) int64 {
	if !(x >= -MaxFixed && x <= MaxFixed) {
		outOfRange(x)
	}
	return int64(math.RoundToEven(x * FixedScale))
}

// outOfRange panics; kept out of toFixed so that toFixed inlines.
//
//go:noinline
func outOfRange(x float64) {
	panic(fmt.Sprintf("stats: value %v outside the exact-sum range ±2^30", x))
}

// addInt adds a signed 64-bit quantity (in units of 2^-32): the carry of
// the low words, and q's sign extended (q>>63 is -1 or 0).
func (s *FixedSum) addInt(q int64) {
	var carry uint64
	s.Lo, carry = bits.Add64(s.Lo, uint64(q), 0)
	s.Hi += q>>63 + int64(carry)
}

// Add adds x, rounded to a multiple of 2^-32.
func (s *FixedSum) Add(x float64) { s.addInt(toFixed(x)) }

// Merge adds another sum.
func (s *FixedSum) Merge(o FixedSum) {
	var carry uint64
	s.Lo, carry = bits.Add64(s.Lo, o.Lo, 0)
	s.Hi += o.Hi + int64(carry)
}

// Int returns the sum in units of 2^-32 as a big integer.
func (s FixedSum) Int() *big.Int {
	v := new(big.Int).SetInt64(s.Hi)
	v.Lsh(v, 64)
	return v.Add(v, new(big.Int).SetUint64(s.Lo))
}

// Float returns the sum, correctly rounded to float64.
func (s FixedSum) Float() float64 {
	f := new(big.Float).SetInt(s.Int())
	f.SetMantExp(f, -32)
	v, _ := f.Float64()
	return v
}
