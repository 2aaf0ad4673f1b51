package stats

import (
	"fmt"
	"math"
	"math/big"
)

// The Check methods verify accumulators read back from a file (a shard
// of a run, written by another process or edited by hand) before they
// are merged or reported: every count non-negative and consistent, every
// number finite. Accumulators built by Add and Merge always pass.

// Check verifies a proportion: 0 ≤ successes ≤ trials.
func (p Proportion) Check() error {
	if p.Trials < 0 || p.Successes < 0 || p.Successes > p.Trials {
		return fmt.Errorf("%d successes in %d trials", p.Successes, p.Trials)
	}
	return nil
}

// CheckLike verifies a histogram against an empty one with the bins it
// should have (want): same range, kind and number of bins, no negative
// count, counts summing to N. It also restores the derived bin scale.
func (h *Histogram) CheckLike(want *Histogram) error {
	if h == nil {
		return fmt.Errorf("histogram missing")
	}
	if h.Lo != want.Lo || h.Hi != want.Hi || h.Integer != want.Integer || len(h.Counts) != len(want.Counts) {
		return fmt.Errorf("histogram bins [%g, %g] × %d (integer %v), want [%g, %g] × %d (integer %v)",
			h.Lo, h.Hi, len(h.Counts), h.Integer, want.Lo, want.Hi, len(want.Counts), want.Integer)
	}
	if h.N < 0 {
		return fmt.Errorf("histogram of %d values", h.N)
	}
	var sum int64
	for i, c := range h.Counts {
		if c < 0 || c > h.N-sum {
			return fmt.Errorf("histogram bin %d counts %d: counts must be non-negative and sum to %d", i, c, h.N)
		}
		sum += c
	}
	if sum != h.N {
		return fmt.Errorf("histogram counts sum to %d, not %d", sum, h.N)
	}
	h.Restore()
	return nil
}

// Check verifies moments: N ≥ 0; an empty accumulator is all zero; a
// non-empty one has finite min ≤ max within ±MaxFixed and a mean between
// them (to the 2^-32 rounding of the sums); the sum of squares is
// unsigned.
func (m *Moments) Check() error {
	if m.N < 0 {
		return fmt.Errorf("moments of %d values", m.N)
	}
	if m.N == 0 {
		if m.Sum != (FixedSum{}) || m.SumSq != (SquareSum{}) || m.Min != 0 || m.Max != 0 {
			return fmt.Errorf("moments of no values are not zero")
		}
		return nil
	}
	if !(m.Min >= -MaxFixed && m.Min <= m.Max && m.Max <= MaxFixed) {
		return fmt.Errorf("min %v and max %v are not finite and ordered within ±2^30", m.Min, m.Max)
	}
	n := new(big.Int).SetInt64(m.N)
	eps := new(big.Int).Set(n) // one unit of 2^-32 per value
	lo := new(big.Int).Mul(n, big.NewInt(int64(math.Floor(m.Min*FixedScale))))
	hi := new(big.Int).Mul(n, big.NewInt(int64(math.Ceil(m.Max*FixedScale))))
	sum := m.Sum.Int()
	if sum.Cmp(lo.Sub(lo, eps)) < 0 || sum.Cmp(hi.Add(hi, eps)) > 0 {
		return fmt.Errorf("mean %v outside [min %v, max %v]", m.Mean(), m.Min, m.Max)
	}
	return nil
}
