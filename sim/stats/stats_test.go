package stats

import (
	"math"
	"math/big"
	"math/rand/v2"
	"reflect"
	"slices"
	"testing"
)

func TestFixedSumExactAndOrderFree(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	xs := make([]float64, 10_000)
	for i := range xs {
		xs[i] = (rng.Float64() - 0.5) * 20
	}
	var fwd, rev FixedSum
	for _, x := range xs {
		fwd.Add(x)
	}
	for i := len(xs) - 1; i >= 0; i-- {
		rev.Add(xs[i])
	}
	if fwd != rev {
		t.Fatalf("order changed the sum: %v vs %v", fwd, rev)
	}
	var a, b FixedSum
	for _, x := range xs[:3333] {
		a.Add(x)
	}
	for _, x := range xs[3333:] {
		b.Add(x)
	}
	b.Merge(a)
	if b != fwd {
		t.Fatalf("merge differs from sequential sum")
	}
	want := 0.0
	for _, x := range xs {
		want += x
	}
	if got := fwd.Float(); math.Abs(got-want) > 1e-7 {
		t.Errorf("Float %v, float64 sum %v", got, want)
	}
}

func TestFixedSumCarries(t *testing.T) {
	var s FixedSum
	for i := 0; i < 1000; i++ {
		s.Add(-MaxFixed)
		s.Add(MaxFixed / 2)
	}
	if got, want := s.Float(), -1000*float64(MaxFixed)/2; got != want {
		t.Errorf("got %v, want %v", got, want)
	}
	s.Merge(FixedSum{})
	for i := 0; i < 1000; i++ {
		s.Add(MaxFixed / 2)
	}
	if s != (FixedSum{}) {
		t.Errorf("sum of cancelling values is %v, want zero", s)
	}
}

func TestMomentsKnown(t *testing.T) {
	var m Moments
	for i := 1; i <= 100; i++ {
		m.Add(float64(i))
	}
	if m.Mean() != 50.5 {
		t.Errorf("mean %v, want 50.5", m.Mean())
	}
	if want := 10100.0 / 12; math.Abs(m.Variance()-want) > 1e-9 {
		t.Errorf("variance %v, want %v", m.Variance(), want)
	}
	if m.Min != 1 || m.Max != 100 || m.N != 100 {
		t.Errorf("min %v max %v n %d", m.Min, m.Max, m.N)
	}
	var one Moments
	one.Add(3)
	if !math.IsNaN(one.Variance()) || one.Mean() != 3 {
		t.Errorf("one value: mean %v variance %v", one.Mean(), one.Variance())
	}
}

// TestMomentsNormal checks mean, variance and the standard error against
// a two-pass float64 computation on 10^5 normal draws, and that the 95%
// interval of the mean of N(2, 0.5²) samples covers 2 about 95% of the
// time over 2000 replications (tolerance ±2.5 points, about 5 binomial
// standard errors).
func TestMomentsNormal(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	var m Moments
	xs := make([]float64, 100_000)
	for i := range xs {
		xs[i] = 2 + 0.5*rng.NormFloat64()
		m.Add(xs[i])
	}
	mean := 0.0
	for _, x := range xs {
		mean += x
	}
	mean /= float64(len(xs))
	v := 0.0
	for _, x := range xs {
		v += (x - mean) * (x - mean)
	}
	v /= float64(len(xs) - 1)
	if math.Abs(m.Mean()-mean) > 1e-9 || math.Abs(m.Variance()-v) > 1e-8 {
		t.Errorf("mean %v var %v, two-pass %v %v", m.Mean(), m.Variance(), mean, v)
	}
	covered := 0
	const reps = 2000
	for r := 0; r < reps; r++ {
		var s Moments
		for i := 0; i < 50; i++ {
			s.Add(2 + 0.5*rng.NormFloat64())
		}
		if lo, hi := s.CI95(); lo <= 2 && 2 <= hi {
			covered++
		}
	}
	if c := float64(covered) / reps; math.Abs(c-0.95) > 0.025 {
		t.Errorf("coverage %.3f, want 0.95 ± 0.025", c)
	}
}

func TestMomentsMergeOrderFree(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	parts := make([]Moments, 7)
	var whole Moments
	for i := 0; i < 7000; i++ {
		x := rng.NormFloat64() * 3
		whole.Add(x)
		parts[i%7].Add(x)
	}
	var a, b Moments
	for i := range parts {
		a.Merge(&parts[i])
		b.Merge(&parts[len(parts)-1-i])
	}
	if !reflect.DeepEqual(a, whole) || !reflect.DeepEqual(b, whole) {
		t.Errorf("merged moments differ from the whole: %+v %+v %+v", a, b, whole)
	}
}

func TestWilsonKnown(t *testing.T) {
	cases := []struct {
		s, n   int64
		lo, hi float64
	}{
		{0, 10, 0, Z95 * Z95 / (10 + Z95*Z95)},
		{10, 10, 10 / (10 + Z95*Z95), 1},
		{50, 100, 0.40383153, 0.59616847},
	}
	for _, c := range cases {
		lo, hi := Proportion{Successes: c.s, Trials: c.n}.Wilson95()
		if math.Abs(lo-c.lo) > 1e-7 || math.Abs(hi-c.hi) > 1e-7 {
			t.Errorf("%d/%d: [%.8f, %.8f], want [%.8f, %.8f]", c.s, c.n, lo, hi, c.lo, c.hi)
		}
	}
}

// TestWilsonCoverage: for p = 0.1 and n = 50 the Wilson interval's
// coverage is close to 95% (Brown, Cai & DasGupta 2001 report 0.93–0.97
// in this region); over 4000 replications we require [0.92, 0.98].
func TestWilsonCoverage(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 10))
	covered := 0
	const reps = 4000
	for r := 0; r < reps; r++ {
		var p Proportion
		for i := 0; i < 50; i++ {
			p.Add(rng.Float64() < 0.1)
		}
		if lo, hi := p.Wilson95(); lo <= 0.1 && 0.1 <= hi {
			covered++
		}
	}
	if c := float64(covered) / reps; c < 0.92 || c > 0.98 {
		t.Errorf("coverage %.3f, want in [0.92, 0.98]", c)
	}
}

// TestHistogramQuantiles compares histogram quantiles of 10^5 uniform
// draws with the exact sample quantiles: they must agree within one bin.
func TestHistogramQuantiles(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 12))
	h, err := NewHistogram(-10, 10, 2000)
	if err != nil {
		t.Fatal(err)
	}
	xs := make([]float64, 100_000)
	for i := range xs {
		xs[i] = -10 + 20*rng.Float64()*rng.Float64()
		h.Add(xs[i])
	}
	slices.Sort(xs)
	for _, p := range []float64{0.05, 0.25, 0.5, 0.75, 0.95} {
		exact := xs[int(math.Ceil(p*float64(len(xs))))-1]
		if got := h.Quantile(p); math.Abs(got-exact) > h.BinWidth() {
			t.Errorf("p=%v: histogram %v, exact %v", p, got, exact)
		}
	}
}

func TestIntegerHistogram(t *testing.T) {
	h, err := NewIntegerHistogram(0, 24)
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range []float64{0, 1, 1, 2, 2, 2, 5, 24, 30, -3} {
		h.Add(v)
	}
	// Sorted (clamped): 0 0 1 1 2 2 2 5 24 24
	cases := map[float64]float64{0.1: 0, 0.2: 0, 0.25: 1, 0.5: 2, 0.7: 2, 0.75: 5, 0.8: 5, 0.9: 24, 1: 24}
	for p, want := range cases {
		if got := h.Quantile(p); got != want {
			t.Errorf("Quantile(%v) = %v, want %v", p, got, want)
		}
	}
	if got := h.CDF(2); got != 0.7 {
		t.Errorf("CDF(2) = %v, want 0.7", got)
	}
	o, _ := NewIntegerHistogram(0, 24)
	o.Add(3)
	if err := h.Merge(o); err != nil || h.N != 11 || h.Counts[3] != 1 {
		t.Errorf("merge: %v, n %d", err, h.N)
	}
	bad, _ := NewIntegerHistogram(0, 12)
	if err := h.Merge(bad); err == nil {
		t.Error("merging different bins succeeded")
	}
}

func TestHistogramRebin(t *testing.T) {
	h, _ := NewHistogram(0, 10, 100)
	for i := 0; i < 100; i++ {
		h.Add(float64(i) / 10)
	}
	edges, counts, width := h.Rebin(10)
	if len(edges) != 10 || width != 1 || counts[3] != 10 || edges[3] != 3 {
		t.Errorf("edges %v counts %v width %v", edges, counts, width)
	}
	// Only the occupied range is kept: values in [2, 3.5) of a [0, 10)
	// histogram, regrouped into at most 8 bins of round width.
	n, _ := NewHistogram(0, 10, 1000)
	for i := 0; i < 150; i++ {
		n.Add(2 + float64(i)/100)
	}
	edges, counts, width = n.Rebin(8)
	if math.Abs(width-0.2) > 1e-12 || len(edges) != 8 || math.Abs(edges[0]-2) > 1e-12 || counts[0] != 20 {
		t.Errorf("occupied range: edges %v counts %v width %v", edges, counts, width)
	}
}

// TestConstantHasZeroVariance: a constant outcome has variance exactly 0
// and its own value as mean and quantiles (it reported sd 7.5e-6 and a
// 5% quantile of −4.0095 below its minimum of −4.000005), however the
// runs are split and merged.
func TestConstantHasZeroVariance(t *testing.T) {
	for _, x := range []float64{-4.000005, 0.1, 7, -9.999999999, 1234.5678} {
		parts := make([]Moments, 3)
		h, _ := NewHistogram(-10, 10, 2000)
		for i := 0; i < 1000; i++ {
			parts[i%3].Add(x)
			h.Add(x)
		}
		var m Moments
		for i := range parts {
			m.Merge(&parts[i])
		}
		if v := m.Variance(); v != 0 {
			t.Errorf("%v: variance %v, want 0", x, v)
		}
		if m.Mean() != x || m.SE() != 0 {
			t.Errorf("%v: mean %v, se %v", x, m.Mean(), m.SE())
		}
		for _, p := range []float64{0.05, 0.5, 0.95} {
			if q := h.QuantileIn(p, m.Min, m.Max); q != x {
				t.Errorf("%v: quantile %v is %v", x, p, q)
			}
		}
	}
}

// TestVarianceExact: the variance is that of the values rounded to
// 2^-32, computed exactly — here compared with a two-pass float64
// computation over the rounded values — for values whose spread is tiny
// next to their size, where the separately rounded squares used to add
// an error of order |x|·2^-32.
func TestVarianceExact(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 12))
	for _, spread := range []float64{1e-9, 1e-6, 1e-3, 1} {
		var m Moments
		xs := make([]float64, 5000)
		for i := range xs {
			xs[i] = -4 + spread*rng.NormFloat64()
			m.Add(xs[i])
			xs[i] = math.RoundToEven(xs[i]*FixedScale) / FixedScale
		}
		mean := 0.0
		for _, x := range xs {
			mean += x
		}
		mean /= float64(len(xs))
		ss := 0.0
		for _, x := range xs {
			ss += (x - mean) * (x - mean)
		}
		want := ss / float64(len(xs)-1)
		if got := m.Variance(); math.Abs(got-want) > 1e-9*want+1e-30 {
			t.Errorf("spread %g: variance %v, want %v", spread, got, want)
		}
	}
}

// TestQuantileInRange: for values spread over a few bins the quantiles
// stay inside the observed [min, max] and agree with the unbounded
// interpolation away from the end bins.
func TestQuantileInRange(t *testing.T) {
	h, _ := NewHistogram(-10, 10, 2000)
	var m Moments
	for i := 0; i < 1000; i++ {
		x := -4.000005 + 0.03*float64(i%7)/6 // −4.000005 … −3.970005
		h.Add(x)
		m.Add(x)
	}
	prev := math.Inf(-1)
	for _, p := range []float64{0.01, 0.05, 0.25, 0.5, 0.75, 0.95, 0.99} {
		q := h.QuantileIn(p, m.Min, m.Max)
		if q < m.Min || q > m.Max || q < prev {
			t.Errorf("quantile %v = %v outside [%v, %v] or decreasing", p, q, m.Min, m.Max)
		}
		prev = q
	}
	if a, b := h.QuantileIn(0.5, m.Min, m.Max), h.Quantile(0.5); math.Abs(a-b) > 1e-12 {
		t.Errorf("median %v, unbounded %v", a, b)
	}
}

// TestWilsonEnds: with no success the lower bound is exactly 0 (it came
// out as 1.08e-19), with every trial a success the upper bound is
// exactly 1.
func TestWilsonEnds(t *testing.T) {
	for _, n := range []int64{1, 7, 10, 1000, 123457, 1_000_000_000} {
		if lo, _ := (Proportion{Successes: 0, Trials: n}).Wilson95(); lo != 0 {
			t.Errorf("0/%d: lower bound %v", n, lo)
		}
		if _, hi := (Proportion{Successes: n, Trials: n}).Wilson95(); hi != 1 {
			t.Errorf("%d/%d: upper bound %v", n, n, hi)
		}
	}
}

// TestSquareSumCarries: the 192-bit sum of squares carries across words
// and merges exactly.
func TestSquareSumCarries(t *testing.T) {
	var s SquareSum
	q := int64(1) << 62 // q² = 2^124
	for i := 0; i < 64; i++ {
		s.addSquare(q)
		s.addSquare(-q)
	}
	want := new(big.Int).Lsh(big.NewInt(128), 124)
	if s.Int().Cmp(want) != 0 {
		t.Errorf("sum %v, want %v", s.Int(), want)
	}
	var a, b SquareSum
	a.addSquare(q)
	b.addSquare(q)
	a.Merge(b)
	if a.Int().Cmp(new(big.Int).Lsh(big.NewInt(2), 124)) != 0 {
		t.Errorf("merged %v", a.Int())
	}
}

// AddCounted and AddBinned are Add and Histogram.Add.
func TestAddCounted(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 1))
	h1, _ := NewHistogram(-10, 10, 400)
	h2, _ := NewHistogram(-10, 10, 400)
	i1, _ := NewIntegerHistogram(0, 30)
	i2, _ := NewIntegerHistogram(0, 30)
	var m1, m2, n1, n2 Moments
	for k := 0; k < 1000; k++ {
		x := r.NormFloat64() * 6
		m1.Add(x)
		h1.Add(x)
		if k%2 == 0 {
			m2.AddCounted(h2, x)
		} else {
			m2.AddBinned(h2, h2.Grid().Bin(x), x)
		}
		c := float64(r.IntN(35))
		n1.Add(c)
		i1.Add(c)
		n2.AddCounted(i2, c)
	}
	if !reflect.DeepEqual(m1, m2) || !reflect.DeepEqual(h1, h2) || !reflect.DeepEqual(n1, n2) || !reflect.DeepEqual(i1, i2) {
		t.Error("AddCounted differs from Add and Histogram.Add")
	}
}

// A Grid bins every value, inside, outside and at the edges of the range,
// non-finite ones included, as its histogram does.
func TestGridBinsAsHistogram(t *testing.T) {
	c, _ := NewHistogram(-10, 10, 200)
	d, _ := NewHistogram(0, 3.5, 400)
	n, _ := NewIntegerHistogram(0, 23)
	r := rand.New(rand.NewPCG(5, 6))
	for _, h := range []*Histogram{c, d, n} {
		g := h.Grid()
		xs := []float64{h.Lo, h.Hi, math.Nextafter(h.Lo, -1), math.Nextafter(h.Hi, 100), -1e300, 1e300, math.Inf(1), math.Inf(-1), math.NaN(), 0, -0.5, 0.5}
		for k := 0; k <= len(h.Counts); k++ {
			e := h.Lo + float64(k)*(h.Hi-h.Lo)/float64(len(h.Counts))
			xs = append(xs, e, math.Nextafter(e, -100), math.Nextafter(e, 100))
		}
		for k := 0; k < 10_000; k++ {
			xs = append(xs, h.Lo-1+r.Float64()*(h.Hi-h.Lo+2))
		}
		all, at := make([]int, len(xs)), make([]int, len(xs))
		g.BinAll(all, xs)
		g.IndexAll(at, xs, 7, len(h.Counts))
		for k, x := range xs {
			if got, want := g.Bin(x), h.Bin(x); got != want || all[k] != want || at[k] != 7+k*len(h.Counts)+want {
				t.Errorf("[%g, %g] %d bins: Grid.Bin(%v) = %d, BinAll %d, IndexAll %d, Histogram.Bin %d", h.Lo, h.Hi, len(h.Counts), x, got, all[k], at[k], want)
			}
		}
		// CountBins counts as Add does.
		a, b := *h, *h
		a.Counts, b.Counts = make([]int64, len(h.Counts)), make([]int64, len(h.Counts))
		hs := make([]*Histogram, len(xs))
		for k, x := range xs {
			hs[k] = &a
			b.Add(x)
		}
		CountBins(hs, all)
		if !reflect.DeepEqual(a, b) {
			t.Errorf("[%g, %g] %d bins: CountBins differs from Add", h.Lo, h.Hi, len(h.Counts))
		}
	}
	var back Histogram
	back.Lo, back.Hi, back.Counts = c.Lo, c.Hi, make([]int64, len(c.Counts))
	back.Restore()
	if back.Grid() != c.Grid() {
		t.Error("a restored histogram's grid differs")
	}
}

// AddPoints is AddCounted value by value, and its bins are Bin's.
func TestAddPoints(t *testing.T) {
	r := rand.New(rand.NewPCG(2, 3))
	mk := func() []Point {
		pts := make([]Point, 25)
		for k := range pts {
			pts[k].Hist, _ = NewHistogram(-10, 10, 400)
		}
		return pts
	}
	got, want := mk(), mk()
	xs, bins := make([]float64, len(got)), make([]int, len(got))
	for run := 0; run < 500; run++ {
		for k := range xs {
			xs[k] = r.NormFloat64() * 8 // some outside the range
			if r.IntN(100) == 0 {       // past roundSmall's limit: the rest of the run takes AddBinned
				xs[k] = math.Copysign(smallLimit*(1+r.Float64()*1000), xs[k])
			}
		}
		AddPoints(got, got[0].Hist.Grid(), xs, bins)
		for k, x := range xs {
			want[k].Moments.AddCounted(want[k].Hist, x)
			if bins[k] != want[k].Hist.Bin(x) {
				t.Fatalf("run %d: AddPoints binned %v in %d, Bin %d", run, x, bins[k], want[k].Hist.Bin(x))
			}
		}
	}
	if !reflect.DeepEqual(got, want) {
		t.Error("AddPoints differs from AddCounted")
	}
}

// roundSmall rounds as toFixed does below smallLimit, ties included.
func TestRoundSmall(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 8))
	xs := []float64{0, math.Copysign(0, -1), 0x1p-33, -0x1p-33, 3 * 0x1p-33, -3 * 0x1p-33, 0x1p-1074,
		math.Nextafter(smallLimit, 0), -math.Nextafter(smallLimit, 0), 0x1p18 + 0x1p-33, 0x1p18 + 3*0x1p-33}
	for k := 0; k < 100_000; k++ {
		q := r.Int64N(1<<52) - 1<<51
		xs = append(xs, (float64(q)+0.5)*0x1p-32, (float64(q)+0.25)*0x1p-32, math.Ldexp(r.Float64()*2-1, r.IntN(40)-20))
	}
	for _, x := range xs {
		if !(math.Abs(x) < smallLimit) {
			continue
		}
		if got, want := roundSmall(x), toFixed(x); got != want {
			t.Fatalf("roundSmall(%v) = %d, toFixed %d", x, got, want)
		}
	}
}

// Coarser: a grid's bins give a coarser grid's by the shift it reports
// for every value up to MaxFixed in magnitude — at and beside every bin
// edge of both, outside the range, far outside, signed zeros, tiny
// values — and grids that do not nest are refused.
func TestGridCoarser(t *testing.T) {
	grid := func(lo, hi float64, bins int) Grid {
		h, _ := NewHistogram(lo, hi, bins)
		return h.Grid()
	}
	integer, _ := NewIntegerHistogram(0, 23)
	r := rand.New(rand.NewPCG(9, 10))
	for _, c := range []struct {
		fine, coarse Grid
		shift        uint
		ok           bool
	}{
		{grid(-10, 10, 400), grid(-10, 10, 200), 1, true},
		{grid(0, 3, 400), grid(0, 3, 200), 1, true},
		{grid(-10, 10, 400), grid(-10, 10, 100), 2, true},
		{grid(-10, 10, 200), grid(-10, 10, 200), 0, true},
		{grid(0.1, 2.9, 480), grid(0.1, 2.9, 60), 3, true},
		{grid(-10, 10, 400), grid(-10, 10, 300), 0, false},
		{grid(-10, 10, 400), grid(-9, 10, 200), 0, false},
		{grid(-10, 10, 200), grid(-10, 10, 400), 0, false},
		{integer.Grid(), integer.Grid(), 0, false},
	} {
		shift, ok := c.fine.Coarser(c.coarse)
		if ok != c.ok || (ok && shift != c.shift) {
			t.Errorf("%+v.Coarser(%+v) = %d, %v; want %d, %v", c.fine, c.coarse, shift, ok, c.shift, c.ok)
			continue
		}
		if !ok {
			continue
		}
		g, f := c.fine, c.coarse
		xs := []float64{0, math.Copysign(0, -1), 0x1p-1074, -0x1p-1074, 1e-300, -1e-300, MaxFixed, -MaxFixed, math.Nextafter(MaxFixed, 0), smallLimit, -smallLimit}
		for _, h := range []Grid{g, f} {
			for k := 0; k <= h.last+1; k++ {
				e := h.lo + float64(k)/h.scale
				xs = append(xs, e, math.Nextafter(e, -smallLimit), math.Nextafter(e, smallLimit))
			}
		}
		for k := 0; k < 20_000; k++ {
			xs = append(xs, g.lo-2+r.Float64()*(float64(g.last+1)/g.scale+4), math.Ldexp(r.Float64()*2-1, r.IntN(71)-40))
		}
		for _, x := range xs {
			if got, want := g.Bin(x)>>shift, f.Bin(x); got != want {
				t.Fatalf("%+v: bin of %v is %d on the fine grid, shifted %d; %d on the coarse one", c.fine, x, g.Bin(x), got, want)
			}
		}
	}
}
