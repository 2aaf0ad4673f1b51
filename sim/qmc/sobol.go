package qmc

import (
	"math"
	"math/bits"
)

// Sobol generates the points of a Sobol' sequence, in Gray-code order,
// plain or Owen-scrambled. A Sobol is used by one goroutine at a time.
type Sobol struct {
	v     [][Bits]uint32 // direction numbers per dimension
	x     []uint32       // digits of the point at index, unscrambled
	index uint64         // index of the point Next returns
	keys  []uint64       // per-dimension scrambling keys; nil: unscrambled
}

// NewSobol returns the unscrambled Sobol' sequence in dim dimensions
// (1 ≤ dim ≤ MaxDim). Its first point is the origin.
func NewSobol(dim int) (*Sobol, error) {
	v, err := directions(dim)
	if err != nil {
		return nil, err
	}
	return &Sobol{v: v, x: make([]uint32, dim)}, nil
}

// NewScrambledSobol returns the Sobol' sequence in dim dimensions with
// Owen's nested uniform scrambling determined by seed: the same seed
// always gives the same points; different seeds give independent
// scrambles.
func NewScrambledSobol(dim int, seed uint64) (*Sobol, error) {
	s, err := NewSobol(dim)
	if err != nil {
		return nil, err
	}
	s.keys = make([]uint64, dim)
	base := mix(seed ^ 0x0ae5_50b0_1ae5_50b0)
	for j := range s.keys {
		s.keys[j] = mix(base + uint64(j+1)*golden)
	}
	return s, nil
}

// Dim returns the dimension of the points.
func (s *Sobol) Dim() int { return len(s.x) }

// Scrambled reports whether the sequence is scrambled.
func (s *Sobol) Scrambled() bool { return s.keys != nil }

// Index returns the index of the point the next call to Next returns.
func (s *Sobol) Index() uint64 { return s.index }

// Seek makes point i (counting from 0) the next one Next returns. Point
// i is the XOR of the direction numbers selected by the bits of the Gray
// code of i.
func (s *Sobol) Seek(i uint64) {
	if i >= 1<<Bits {
		panic("qmc: Seek beyond the 2^32 points of a Sobol' sequence")
	}
	g := i ^ i>>1
	for j := range s.x {
		var x uint32
		for k := 0; g>>k != 0; k++ {
			if g>>k&1 == 1 {
				x ^= s.v[j][k]
			}
		}
		s.x[j] = x
	}
	s.index = i
}

// NextDigits writes the first 32 binary digits of each coordinate of the
// next point into dst (len(dst) ≥ Dim()): coordinate j lies in
// [dst[j]/2^32, (dst[j]+1)/2^32). Digits are scrambled for a scrambled
// sequence.
func (s *Sobol) NextDigits(dst []uint32) {
	for j, x := range s.x {
		if s.keys != nil {
			x = uint32(owen(x, s.keys[j]) >> tailBits)
		}
		dst[j] = x
	}
	s.advance()
}

// Next writes the next point into dst (len(dst) ≥ Dim()). Unscrambled
// points are multiples of 2^-32 in [0, 1); scrambled points have 52
// random binary digits and lie in (0, 1).
func (s *Sobol) Next(dst []float64) {
	for j, x := range s.x {
		if s.keys != nil {
			dst[j] = (float64(owen(x, s.keys[j])) + 0.5) / (1 << (Bits + tailBits))
		} else {
			dst[j] = float64(x) / (1 << Bits)
		}
	}
	s.advance()
}

// advance moves to the next point: X_{i+1} = X_i ⊕ v_c, c the position
// of the lowest zero bit of i (Antonov & Saleev 1979).
func (s *Sobol) advance() {
	if s.index >= 1<<Bits-1 {
		if s.index == 1<<Bits-1 {
			s.index++
			return
		}
		panic("qmc: a Sobol' sequence holds at most 2^32 points")
	}
	c := trailingOnes(s.index)
	for j := range s.x {
		s.x[j] ^= s.v[j][c]
	}
	s.index++
}

func trailingOnes(i uint64) int {
	n := 0
	for i&1 == 1 {
		i >>= 1
		n++
	}
	return n
}

// Points returns n points of the sequence from the current one on, as n
// rows of Dim() coordinates.
func (s *Sobol) Points(n int) [][]float64 {
	flat := make([]float64, n*s.Dim())
	rows := make([][]float64, n)
	for i := range rows {
		rows[i] = flat[i*s.Dim() : (i+1)*s.Dim() : (i+1)*s.Dim()]
		s.Next(rows[i])
	}
	return rows
}

// IsPowerOfTwo reports whether n is a positive power of two: the sample
// sizes at which the first n points of a Sobol' sequence are balanced.
func IsPowerOfTwo(n int) bool { return n > 0 && n&(n-1) == 0 }

// RoundPowerOfTwo returns the power of two nearest to n on a log scale
// (ties upward), at least 1.
func RoundPowerOfTwo(n int) int {
	if n <= 1 {
		return 1
	}
	lo := 1 << (63 - bits.LeadingZeros64(uint64(n)))
	if lo == n {
		return n
	}
	if math.Log2(float64(n))-math.Log2(float64(lo)) < 0.5 {
		return lo
	}
	return 2 * lo
}
