package stats

import (
	"math/big"
	"math/bits"
)

// SquareSum is an exact sum of squares of fixed-point values: Σ q² for
// q = x·2^32 rounded (toFixed), held as an unsigned 192-bit integer
// (Hi, Mid, Lo) in units of 2^-64. With |q| <= 2^62, up to 2^63 squares
// fit. Because q² is exactly the square of the value the FixedSum adds,
// N·Σq² − (Σq)² is the exact (non-negative) sum of squared pairwise
// differences: zero when every value is the same.
type SquareSum struct {
	Hi  uint64 `json:"hi"`
	Mid uint64 `json:"mid"`
	Lo  uint64 `json:"lo"`
}

// addSquare adds q².
func (s *SquareSum) addSquare(q int64) {
	a := uint64(q)
	if q < 0 {
		a = uint64(-q) // |q| <= 2^62: no overflow
	}
	hi, lo := bits.Mul64(a, a)
	var c uint64
	s.Lo, c = bits.Add64(s.Lo, lo, 0)
	s.Mid, c = bits.Add64(s.Mid, hi, c)
	s.Hi += c
}

// Merge adds another sum.
func (s *SquareSum) Merge(o SquareSum) {
	var c uint64
	s.Lo, c = bits.Add64(s.Lo, o.Lo, 0)
	s.Mid, c = bits.Add64(s.Mid, o.Mid, c)
	s.Hi += o.Hi + c
}

// Int returns the sum in units of 2^-64.
func (s SquareSum) Int() *big.Int {
	v := new(big.Int).SetUint64(s.Hi)
	v.Lsh(v, 64)
	v.Add(v, new(big.Int).SetUint64(s.Mid))
	v.Lsh(v, 64)
	return v.Add(v, new(big.Int).SetUint64(s.Lo))
}
