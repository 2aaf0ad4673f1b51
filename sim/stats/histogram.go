package stats

import (
	"fmt"
	"math"
)

// Histogram counts values in equal-width bins over [Lo, Hi]. Values
// outside the range are counted in the end bins. An Integer histogram
// has one bin per whole number from Lo to Hi and gives exact quantiles of
// whole-number data; a continuous one interpolates linearly inside bins,
// so its quantiles are accurate to a bin width.
type Histogram struct {
	Lo      float64 `json:"lo"`
	Hi      float64 `json:"hi"`
	Integer bool    `json:"integer,omitempty"`
	Counts  []int64 `json:"counts"`
	N       int64   `json:"n"`
	scale   float64 // bins per unit
}

// NewHistogram returns a continuous histogram of bins equal-width bins
// over [lo, hi].
func NewHistogram(lo, hi float64, bins int) (*Histogram, error) {
	if !(hi > lo) || bins < 1 || math.IsInf(hi-lo, 0) {
		return nil, fmt.Errorf("stats: histogram needs lo < hi and bins >= 1, got [%g, %g], %d", lo, hi, bins)
	}
	return &Histogram{Lo: lo, Hi: hi, Counts: make([]int64, bins), scale: float64(bins) / (hi - lo)}, nil
}

// NewIntegerHistogram returns a histogram with one bin per whole number
// in [lo, hi].
func NewIntegerHistogram(lo, hi int) (*Histogram, error) {
	if hi < lo {
		return nil, fmt.Errorf("stats: integer histogram needs lo <= hi, got [%d, %d]", lo, hi)
	}
	return &Histogram{Lo: float64(lo), Hi: float64(hi), Integer: true, Counts: make([]int64, hi-lo+1), scale: 1}, nil
}

// Bin returns the index of the bin x falls in.
func (h *Histogram) Bin(x float64) int {
	var b int
	if h.Integer {
		b = int(math.Round(x - h.Lo))
	} else {
		b = int((x - h.Lo) * h.scale)
	}
	return min(max(b, 0), len(h.Counts)-1)
}

// Grid is a histogram's bin rule on its own, for loops that bin many
// values into histograms of the same bins: Grid(h).Bin(x) is h.Bin(x),
// and Bin inlines.
type Grid struct {
	lo, scale float64
	last      int
	integer   bool
}

// Grid returns h's bin rule.
func (h *Histogram) Grid() Grid {
	return Grid{lo: h.Lo, scale: h.scale, last: len(h.Counts) - 1, integer: h.Integer}
}

// Bin returns the index of the bin x falls in, as Histogram.Bin.
func (g Grid) Bin(x float64) int {
	if g.integer {
		return g.wholeBin(x)
	}
	return min(max(int((x-g.lo)*g.scale), 0), g.last)
}

// wholeBin is Bin for an integer histogram, out of line so that Bin
// inlines.
//
//go:noinline
func (g Grid) wholeBin(x float64) int {
	return min(max(int(math.Round(x-g.lo)), 0), g.last)
}

// Add counts one value.
func (h *Histogram) Add(x float64) {
	h.Counts[h.Bin(x)]++
	h.N++
}

// Merge adds the counts of a histogram with the same bins.
func (h *Histogram) Merge(o *Histogram) error {
	if o.Lo != h.Lo || o.Hi != h.Hi || o.Integer != h.Integer || len(o.Counts) != len(h.Counts) {
		return fmt.Errorf("stats: merging histograms with different bins")
	}
	for i, c := range o.Counts {
		h.Counts[i] += c
	}
	h.N += o.N
	return nil
}

// BinWidth returns the width of one bin.
func (h *Histogram) BinWidth() float64 {
	if h.Integer {
		return 1
	}
	return (h.Hi - h.Lo) / float64(len(h.Counts))
}

// Edge returns the lower edge of bin i (for an integer histogram, the
// whole number minus one half).
func (h *Histogram) Edge(i int) float64 {
	if h.Integer {
		return h.Lo + float64(i) - 0.5
	}
	return h.Lo + float64(i)*h.BinWidth()
}

// Quantile returns the p-quantile of the counted values (NaN when empty).
// For an integer histogram it is the smallest whole number v with
// P(X <= v) >= p; for a continuous one the cumulative distribution is
// interpolated linearly within the bin where it crosses p.
func (h *Histogram) Quantile(p float64) float64 {
	if h.N == 0 {
		return math.NaN()
	}
	target := p * float64(h.N)
	cum := 0.0
	for i, c := range h.Counts {
		if c == 0 {
			continue
		}
		next := cum + float64(c)
		if next >= target {
			if h.Integer {
				return h.Lo + float64(i)
			}
			frac := (target - cum) / float64(c)
			return h.Edge(i) + frac*h.BinWidth()
		}
		cum = next
	}
	return h.Hi
}

// QuantileIn returns the p-quantile of the counted values given their
// observed minimum lo and maximum hi (as Moments records them). The
// first occupied bin is taken to start at lo and the last to end at hi,
// so the quantiles lie in [lo, hi] — a constant outcome's are that
// constant, where interpolating across the whole bin put the 5%
// quantile of values all equal to −4.000005 at −4.0095.
func (h *Histogram) QuantileIn(p, lo, hi float64) float64 {
	if h.N == 0 {
		return math.NaN()
	}
	if h.Integer {
		return math.Min(math.Max(h.Quantile(p), lo), hi)
	}
	first, last := -1, -1
	for i, c := range h.Counts {
		if c > 0 {
			if first < 0 {
				first = i
			}
			last = i
		}
	}
	target := p * float64(h.N)
	cum := 0.0
	for i := first; i <= last; i++ {
		c := h.Counts[i]
		if c == 0 {
			continue
		}
		next := cum + float64(c)
		if next >= target || i == last {
			a, b := h.Edge(i), h.Edge(i)+h.BinWidth()
			if i == first {
				a = lo
			}
			if i == last {
				b = hi
			}
			frac := math.Min(math.Max((target-cum)/float64(c), 0), 1)
			return math.Min(math.Max(a+frac*(b-a), lo), hi)
		}
		cum = next
	}
	return hi
}

// CDF returns the fraction of values in bins up to and including bin i.
func (h *Histogram) CDF(i int) float64 {
	var c int64
	for _, v := range h.Counts[:i+1] {
		c += v
	}
	return float64(c) / float64(h.N)
}

// Rebin returns the counts of the occupied range (from the first to the
// last non-empty bin) regrouped into at most bins bins of equal width
// (whole groups of the fine bins), with their lower edges and the common
// width: for compact output and charts. Group sizes are 1, 2 or 5 times
// a power of ten fine bins, so that edges stay round.
func (h *Histogram) Rebin(bins int) (edges []float64, counts []int64, width float64) {
	start, group, last := h.rebinGrid(bins)
	for i := start; i <= last; i += group {
		edges = append(edges, h.Edge(i))
		counts = append(counts, groupSum(h.Counts, i, group))
	}
	return edges, counts, h.BinWidth() * float64(group)
}

// RebinAs returns h's counts regrouped on the bins Rebin(bins) gives ref,
// a histogram with the same fine bins whose values include h's (h counts
// a subset of ref's runs): so that the parts can be stacked.
func (h *Histogram) RebinAs(ref *Histogram, bins int) []int64 {
	start, group, last := ref.rebinGrid(bins)
	var counts []int64
	for i := start; i <= last; i += group {
		counts = append(counts, groupSum(h.Counts, i, group))
	}
	return counts
}

func groupSum(counts []int64, i, group int) int64 {
	var c int64
	for _, v := range counts[i:min(i+group, len(counts))] {
		c += v
	}
	return c
}

// rebinGrid returns the first fine bin, the group size and the last
// occupied fine bin of Rebin(bins).
func (h *Histogram) rebinGrid(bins int) (start, group, last int) {
	first := 0
	last = len(h.Counts) - 1
	for first < last && h.Counts[first] == 0 {
		first++
	}
	for last > first && h.Counts[last] == 0 {
		last--
	}
	group = 1
	for p := 1; (last-first+1+group-1)/group > bins; p *= 10 {
		for _, m := range []int{1, 2, 5, 10} {
			group = m * p
			if (last-first+1+group-1)/group <= bins {
				break
			}
		}
	}
	return first - first%group, group, last // groups aligned to the grid of the range
}

// Restore recomputes the derived bin scale after decoding from JSON.
func (h *Histogram) Restore() {
	if h.Integer {
		h.scale = 1
	} else {
		h.scale = float64(len(h.Counts)) / (h.Hi - h.Lo)
	}
}

// Coarser reports whether f.Bin(x) == g.Bin(x)>>shift for every x up to
// MaxFixed in magnitude (every value Moments accept), so that bins found
// on g give those on f by a shift: both continuous, with the same lower
// end, g's scale f's times 2^shift and 2^shift of g's bins in each of
// f's. Then y = x − lo is the same float64 on both grids, and y·scale on
// g is exactly 2^shift times y·scale on f (a power of two commutes with
// rounding; where the product on f is subnormal both are below 1), so
// the truncations agree after the shift, and the clamps too. The bounds
// on lo and scale keep |y| ≤ 2^31 and the products within 2^61, where
// the conversion to int is exact.
func (g Grid) Coarser(f Grid) (shift uint, ok bool) {
	if g.integer || f.integer || g.lo != f.lo || !(math.Abs(g.lo) <= MaxFixed && g.scale <= 1<<30) {
		return 0, false
	}
	for shift = 0; shift < 16; shift++ {
		if g.scale == f.scale*float64(int(1)<<shift) && g.last+1 == (f.last+1)<<shift {
			return shift, true
		}
	}
	return 0, false
}

// BinAll sets dst[k] = g.Bin(xs[k]) for every value (len(dst) must be
// len(xs)), with the grid's rule chosen once for the slice.
func (g Grid) BinAll(dst []int, xs []float64) {
	dst = dst[:len(xs)]
	if g.integer {
		for k, x := range xs {
			dst[k] = g.wholeBin(x)
		}
		return
	}
	lo, scale, last := g.lo, g.scale, g.last
	for k, x := range xs {
		dst[k] = min(max(int((x-lo)*scale), 0), last)
	}
}

// IndexAll sets dst[k] = base + k·stride + g.Bin(xs[k]) for every value
// (len(dst) must be len(xs)): the bins of histograms laid out one after
// the other in one array, stride counters apart.
func (g Grid) IndexAll(dst []int, xs []float64, base, stride int) {
	dst = dst[:len(xs)]
	if g.integer {
		for k, x := range xs {
			dst[k] = base + k*stride + g.wholeBin(x)
		}
		return
	}
	lo, scale, last := g.lo, g.scale, g.last
	for k, x := range xs {
		dst[k] = base + k*stride + min(max(int((x-lo)*scale), 0), last)
	}
}

// CountBins counts one value in each histogram: bin bins[k] of hs[k]
// (len(bins) must be len(hs)), as hs[k].Add of a value in that bin
// does.
func CountBins(hs []*Histogram, bins []int) {
	bins = bins[:len(hs)]
	for k, h := range hs {
		h.Counts[bins[k]]++
		h.N++
	}
}
