package sim

import (
	"math"
	"math/rand/v2"
	"testing"
)

// roughExp stays within the bounds actU relies on.
func TestRoughExpBounds(t *testing.T) {
	check := func(x float64) {
		e, want := roughExp(x), math.Exp(x)
		if !(e/1.0620 <= want && want <= 1.00034*e) {
			t.Fatalf("roughExp(%v) = %v, e^x = %v: outside [e/1.0620, 1.00034·e]", x, e, want)
		}
	}
	for x := -40.0; x <= 40; x += 1.0 / 4096 {
		check(x)
	}
	r := rand.New(rand.NewPCG(1, 2))
	for range 1_000_000 {
		check(80*r.Float64() - 40)
	}
}

// actU decides exactly as the rule u·(1 + fastExp(−z)) < 1, also for
// uniforms a few ulps and a few percent from the decision boundary.
func TestActMatchesRule(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	rule := func(z, u float64) bool { return u*(1+fastExp(-z)) < 1 }
	check := func(z, u float64) {
		if !(u > 0 && u < 1) {
			return
		}
		if got, want := actU(z, u), rule(z, u); got != want {
			t.Fatalf("actU(%v, %v) = %v, the rule says %v", z, u, got, want)
		}
	}
	for range 200_000 {
		z := 76*r.Float64() - 38
		check(z, unit(r.Uint64()))
		b := 1 / (1 + fastExp(-z)) // the boundary
		for _, f := range []float64{1, 1 + 1e-12, 1 - 1e-12, 1 + 1e-6, 1 - 1e-6, 1.0004, 0.9996, 1.03, 0.97, 1.062, 0.94, 1.07, 0.9} {
			u := b * f
			check(z, u)
			check(z, math.Nextafter(u, 0))
			check(z, math.Nextafter(u, 1))
		}
	}
	for _, z := range []float64{0, math.Copysign(0, -1), 38, -38, 37.999999, -37.999999, 1e-300, -1e-300} {
		for range 10_000 {
			check(z, unit(r.Uint64()))
		}
	}
}

// randomRecords fills choice records for testing the kernels: payoffs
// that tie, values of z near ±38 and 0, rationality 0 and large.
func randomRecords(r *rand.Rand, nopt, nrec, nn int) []uint64 {
	rec, _ := randomRecordsLambda(r, nopt, nrec, nn)
	return rec
}

// randomRecordsLambda is randomRecords that also returns each
// decision's λ, which the records hold scaled (recLambda).
func randomRecordsLambda(r *rand.Rand, nopt, nrec, nn int) ([]uint64, []float64) {
	rec := make([]uint64, nrec*recSize(nopt))
	lam := make([]float64, nrec*choiceLanes)
	pick := func(vals ...float64) float64 { return vals[r.IntN(len(vals))] }
	for k := 0; k < nrec; k++ {
		b := rec[k*recSize(nopt):]
		for l := 0; l < choiceLanes; l++ {
			b[recIJ+l/2] |= uint64(r.IntN(nn)) << (32 * uint(l%2))
			b[recKey+l] = r.Uint64()
			lam[k*choiceLanes+l] = pick(0, 1, 2.5, 60, 100, r.Float64()*5)
			b[recLambda+l] = math.Float64bits(lam[k*choiceLanes+l] * -roughScale)
			for o := 0; o < nopt; o++ {
				x := recOpt + 12*o + l
				b[x] = math.Float64bits(pick(0, 0.34, -0.2, r.NormFloat64()))
				b[x+4] = math.Float64bits(pick(0, 0, 0.05, r.Float64()))
				b[x+8] = math.Float64bits(pick(-3.5, -1, 0, 15.2, -15.2, -1e300, r.NormFloat64()*5))
				if o > 0 && r.IntN(4) == 0 { // a copy of the previous option: a tie
					copy(b[x:x+9:x+9], []uint64{b[x-12], 0, 0, 0, b[x-8], 0, 0, 0, b[x-4]})
				}
			}
		}
	}
	return rec, lam
}

// The kernel's decisions are those of the rule of MODEL.md §5.2.2 taken
// one by one: act iff z > 38, or |z| ≤ 38 and u·(1 + e^(−z)) < 1.
func TestChooseGoDecides(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	for _, nopt := range []int{1, 2, 3} {
		nrec, nn := 37, 36
		rec, lam := randomRecordsLambda(r, nopt, nrec, nn)
		cf, th := make([]float64, nn), make([]float64, nn)
		for k := range cf {
			cf[k], th[k] = r.NormFloat64()*3, r.Float64()*5
		}
		mk := r.Uint64()
		mask := make([]byte, nrec)
		chooseRecords(rec, nrec, nopt, cf, th, mk, mask)
		for d := 0; d < 4*nrec; d++ {
			b, l := rec[d/4*recSize(nopt):], d%4
			ij := uint32(b[recIJ+l/2] >> (32 * uint(l%2)))
			best, bk := 0.0, -1
			for o := 0; o < nopt; o++ {
				x := recOpt + 12*o + l
				u := cf[ij]*math.Float64frombits(b[x]) + th[ij]*math.Float64frombits(b[x+4]) + math.Float64frombits(b[x+8])
				if bk < 0 || u > best {
					best, bk = u, o
				}
			}
			z := lam[d] * best
			if nopt > 1 && uint64(-bk) != b[recBest+l] {
				t.Fatalf("nopt %d, decision %d: best %d, kernel %d", nopt, d, bk, -int(b[recBest+l]))
			}
			a, m := mask[d/4]>>uint(l)&1 == 1, mask[d/4]>>uint(l+4)&1 == 1
			if a && !m {
				t.Fatalf("decision %d acts but is ruled out", d)
			}
			got := a || (m && uniform(mk, b[recKey+l])*(1+fastExp(-z)) < 1)
			if want := act(z, mk, b[recKey+l]); got != want {
				t.Fatalf("nopt %d, decision %d (z = %v): kernel %v, rule %v", nopt, d, z, got, want)
			}
		}
	}
}

// hazardDecide takes a hazard decision exactly as the rule with
// hazardProb: taken iff p > 0 and (p ≥ 1 or u < p), also for uniforms
// next to p and hazards near 0 and 1.
func TestHazardDecideMatchesRule(t *testing.T) {
	r := rand.New(rand.NewPCG(11, 12))
	var w Workspace
	var c logSurv
	for range 200_000 {
		rate := []float64{1e-9, 0.0005, 0.006, 0.2, 0.5, 0.999, r.Float64()}[r.IntN(7)]
		eta := []float64{0, -800, 800, -700, 699.9, r.NormFloat64() * 3, r.NormFloat64() * 30}[r.IntN(7)]
		p := w.hazardProb(rate, nil, eta)
		rule := func(u float64) bool { return p > 0 && (p >= 1 || u < p) }
		for _, u := range []float64{unit(r.Uint64()), p, math.Nextafter(p, 0), math.Nextafter(p, 1), p * 1.0001, p * 0.9999, p * 1.1} {
			if !(u > 0 && u < 1) {
				continue
			}
			if got := hazardDecide(rate, eta, u, &c); got != rule(u) {
				t.Fatalf("rate %v, η %v, u %v: decided %v, the rule says %v (p = %v)", rate, eta, u, got, rule(u), p)
			}
		}
	}
}

// BenchChooseKernels times every kernel of chooseKernels on one month's
// choice records of m (all its choice groups and the proposal screen,
// as the last month of a run left them), one sub-benchmark per kernel;
// BenchmarkChooseKernel (package sim_test, which can load a scenario)
// runs it on the flagship. Each iteration is a month with its own key.
func BenchChooseKernels(b *testing.B, m *Model) {
	w := NewWorkspace(m)
	w.Run(1, 1)
	a := newChooseArgs(w)
	decisions := 0
	for _, c := range a.sets {
		decisions += choiceLanes * c.nrec
	}
	for _, k := range chooseKernels {
		b.Run(k.name, func(b *testing.B) {
			if benchLock != nil {
				benchLock()
			}
			var c0 int64
			if benchCPUClock != nil {
				c0 = benchCPUClock()
			}
			for i := 0; b.Loop(); i++ {
				a.mk = splitmix64(uint64(i))
				k.fn(&a)
			}
			if benchCPUClock != nil {
				b.ReportMetric(float64(benchCPUClock()-c0)/float64(b.N*decisions), "cpu-ns/decision")
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*decisions), "ns/decision")
		})
	}
}

// benchLock, where set, locks the benchmark's goroutine to its thread,
// and benchCPUClock then reads that thread's CPU time in nanoseconds
// (threadcpu_linux_test.go).
var (
	benchLock     func()
	benchCPUClock func() int64
)

// roughExp32's bit trick gives 2^⌊n/1024⌋·(1 + (n mod 1024)/1024) for
// every y in float32 up to ±38·1024/ln2, n = y rounded to even: at and
// next to the integers and half-integers.
func TestRoughExp32(t *testing.T) {
	check := func(y float32) {
		n := math.RoundToEven(float64(y))
		want := math.Ldexp(1+math.Mod(n-1024*math.Floor(n/1024), 1024)/1024, int(math.Floor(n/1024)))
		if got := roughExp32(y); float64(got) != want {
			t.Fatalf("y = %v: %v, want %v", y, got, want)
		}
	}
	for k := -112277; k <= 112277; k++ { // ±2·roughClamp32
		y := float32(k) / 2
		check(y)
		check(math.Nextafter32(y, 0))
		check(math.Nextafter32(y, 1e5))
	}
	check(roughClamp32)
	check(-roughClamp32)
}

// roughT is a bound of the exact rule u·(1 + e^(−z)) < 1: below actSure32
// it acts, above actNever32 it does not, for z over [−38, 38] (also on
// roughExp's grid, where float32 may round to the other step) and
// uniforms near the rule's threshold, and rationalities that scale y.
func TestRoughTBound(t *testing.T) {
	r := rand.New(rand.NewPCG(13, 14))
	for range 1_000_000 {
		lam := []float64{0.3, 1, 2.5, 60, 100}[r.IntN(5)]
		z := (r.Float64()*2 - 1) * decisionThreshold
		if r.IntN(2) == 0 { // near a half step of roughExp's grid
			z = (math.Round(z*roughScale) + 0.5 + (r.Float64()-0.5)*1e-2) / roughScale
		}
		U := z / lam
		z = lam * U
		if math.Abs(z) > decisionThreshold {
			continue
		}
		p := 1 / (1 + fastExp(-z))
		u := p * (1 + (r.Float64()*2-1)*0.1)
		if !(u > 0 && u < 1) {
			continue
		}
		tt := roughT(u, lam*-roughScale*U)
		exact := u*(1+fastExp(-z)) < 1
		if tt < actSure32 && !exact || tt > actNever32 && exact {
			t.Fatalf("z %v, u %v, λ %v: roughT %v, the exact rule %v", z, u, lam, tt, exact)
		}
	}
}
