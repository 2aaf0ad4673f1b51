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
	switch {
	case m.N == 0:
		m.Min, m.Max = x, x
	case x < m.Min:
		m.Min = x
	case x > m.Max: // not after a new minimum: Min ≤ Max
		m.Max = x
	}
	m.N++
	q := toFixed(x)
	m.Sum.addInt(q)
	m.SumSq.addSquare(q)
}

// AddCounted adds x to the moments and counts it in the histogram h: Add
// and h.Add in one call, for the per-run accumulation loops.
func (m *Moments) AddCounted(h *Histogram, x float64) {
	m.AddBinned(h, h.Bin(x), x)
}

// AddBinned is AddCounted for a value whose bin is known, b = h.Bin(x)
// (from h.Grid(), which inlines), for loops that bin many values on one
// grid.
func (m *Moments) AddBinned(h *Histogram, b int, x float64) {
	switch {
	case m.N == 0:
		m.Min, m.Max = x, x
	case x < m.Min:
		m.Min = x
	case x > m.Max:
		m.Max = x
	}
	m.N++
	q := toFixed(x)
	m.Sum.addInt(q)
	m.SumSq.addSquare(q)
	h.Counts[b]++
	h.N++
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

// Point is the moments and histogram of one quantity, e.g. a time series
// at one month.
type Point struct {
	Moments Moments    `json:"moments"`
	Hist    *Histogram `json:"hist"`
}

// AddPoints adds xs[k] to pts[k] for every point, as AddCounted does,
// and sets bins[k] = g.Bin(xs[k]), the bin it counted xs[k] in (for
// bins of a coarser grid by a shift: Grid.Coarser); every point's
// histogram must bin by g (g == pts[k].Hist.Grid()), and every point
// hold the same count N, as the points of a series do (each run adds a
// value to each). On a continuous grid, addSmall takes the values it can
// (below 2^19 in magnitude, for points already holding values: series of
// Goldstein values and trade shares after the first run), in a loop that
// calls nothing; the values from the first it cannot take take
// AddBinned.
func AddPoints(pts []Point, g Grid, xs []float64, bins []int) {
	xs, bins = xs[:len(pts)], bins[:len(pts)]
	k := 0
	// The points' common N tested once here, not per point in addSmall.
	if !g.integer && len(pts) > 0 && pts[0].Moments.N != 0 {
		k = addSmall(pts, g, xs, bins)
	}
	for ; k < len(pts); k++ {
		b := g.Bin(xs[k])
		bins[k] = b
		pts[k].Moments.AddBinned(pts[k].Hist, b, xs[k])
	}
}

// addSmallGo adds xs[k] to pts[k] on the continuous grid g, as
// AddBinned(h, g.Bin(x), x) does, and sets bins[k] = g.Bin(x), from the
// first point while the value lies within ±smallLimit and the point's
// histogram has g's bins; it returns the number of points
// it added to. The rounding to the fixed-point grid is roundSmall's, so
// the loop calls nothing and the compiler keeps its state in registers.
// It is the pure-Go twin of the amd64 kernel (addSmallAsm), which must
// compute the same bits. The points must hold values already (N > 0:
// AddPoints tests their common N), so that Min <= Max below.
func addSmallGo(pts []Point, g Grid, xs []float64, bins []int) int {
	xs, bins = xs[:len(pts)], bins[:len(pts)]
	for k := range pts {
		p, x := &pts[k], xs[k]
		m, h := &p.Moments, p.Hist
		if !(x > -smallLimit && x < smallLimit) || len(h.Counts) != g.last+1 {
			return k
		}
		// m.Min <= m.Max once N > 0: x cannot be below the one and
		// above the other.
		if x < m.Min {
			m.Min = x
		}
		if x > m.Max {
			m.Max = x
		}
		m.N++
		q := roundSmall(x)
		m.Sum.addInt(q)
		m.SumSq.addSquare(q)
		b := min(max(int((x-g.lo)*g.scale), 0), g.last)
		bins[k] = b
		h.Counts[b]++
		h.N++
	}
	return len(pts)
}

// smallLimit bounds the values roundSmall takes: below it in magnitude,
// |x·2^32| < 2^51.
const smallLimit = 1 << 19

// roundMagic is 1.5·2^52: y + roundMagic, for |y| < 2^51, lies in
// [2^52, 2^53), where float64 spacing is 1, so the addition rounds y to
// an integer, ties to even (roundMagic is even), and subtracting it again
// is exact.
const roundMagic = 0x1.8p52

// roundSmall is toFixed for |x| < smallLimit, without a call: x·2^32
// (exact) rounded to the nearest integer, ties to even, as
// math.RoundToEven does. The conversions keep the compiler from fusing
// the multiplication and addition.
func roundSmall(x float64) int64 {
	return int64(float64(float64(x*FixedScale)+roundMagic) - roundMagic)
}
