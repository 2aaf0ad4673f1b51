package sim

import (
	"bytes"
	"math"
	"math/rand/v2"
	"os"
	"slices"
	"testing"
	"unsafe"
)

// Every assembly choice kernel the CPU can run writes the same bits as
// chooseGo: records (z, best option) and both bit sets, for every set of
// a call — sets of 1, 2, 3 and 5 options and 1 to 40 records, with and
// without lanes sharing one i*n + j, in random order, all in one call
// and one by one — and no mask byte beyond them.
func TestChooseKernelsAgree(t *testing.T) {
	if len(chooseKernels) == 1 {
		t.Skip("no AVX2")
	}
	if !cpuAVX512 {
		t.Log("no AVX-512: only the AVX2 kernel is compared")
	}
	r := rand.New(rand.NewPCG(7, 8))
	const nn = 64
	cf, th := make([]float64, nn), make([]float64, nn)
	for k := range cf {
		cf[k], th[k] = r.NormFloat64()*3, r.Float64()*5
	}
	var sets []chooseSet
	for _, nopt := range []int{1, 2, 3, 5} {
		for _, nrec := range []int{1, 2, 3, 15, 16, 17, 40} {
			sets = append(sets, chooseSet{rec: randomRecords(r, nopt, nrec, nn), nrec: nrec, nopt: nopt})
			// The same with the four lanes of each of the first s records
			// on one i*n + j (chooseSet.shared, for one option: all
			// records, or some and then ordinary ones).
			for _, s := range []int{nrec, 1 + r.IntN(nrec)} {
				rec := randomRecords(r, nopt, nrec, nn)
				for k := 0; k < s; k++ {
					b := rec[k*recSize(nopt):]
					b[recIJ+1] = b[recIJ]&0xffffffff | b[recIJ]<<32
					b[recIJ] = b[recIJ+1]
				}
				c := chooseSet{rec: rec, nrec: nrec, nopt: nopt}
				if nopt == 1 {
					c.shared = s
				}
				sets = append(sets, c)
			}
		}
	}
	// mask bytes beyond nrec: bytes no kernel may write; below, the Go
	// kernel's start zero, the others' 0xff, which they must overwrite.
	clone := func(sets []chooseSet, fill byte) []chooseSet {
		c := slices.Clone(sets)
		for k := range c {
			c[k].rec = slices.Clone(c[k].rec)
			c[k].mask = make([]byte, c[k].nrec+8)
			for j := range c[k].mask {
				c[k].mask[j] = fill
				if j >= c[k].nrec {
					c[k].mask[j] = byte(j)
				}
			}
		}
		return c
	}
	for trial := 0; trial < 6; trial++ {
		r.Shuffle(len(sets), func(i, j int) { sets[i], sets[j] = sets[j], sets[i] })
		mk := r.Uint64()
		want := chooseArgs{sets: clone(sets, 0), cf: cf, th: th, mk: mk}
		chooseGo(&want)
		for _, k := range chooseKernels[1:] {
			got := chooseArgs{sets: clone(sets, 0xff), cf: cf, th: th, mk: mk}
			if trial%2 == 0 {
				k.fn(&got)
			} else {
				for j := range got.sets {
					one := got
					one.sets = got.sets[j : j+1]
					k.fn(&one)
				}
			}
			for j := range got.sets {
				w, g := &want.sets[j], &got.sets[j]
				if !bytes.Equal(u64bytes(w.rec), u64bytes(g.rec)) || !bytes.Equal(w.mask, g.mask) {
					t.Fatalf("%s, trial %d, set %d of %d (nopt %d, %d records, shared %d): the kernel differs from chooseGo", k.name, trial, j, len(sets), w.nopt, w.nrec, w.shared)
				}
			}
		}
	}
}

// choice_amd64.s reads chooseArgs and chooseSet at these offsets.
func TestChooseLayout(t *testing.T) {
	var a chooseArgs
	var c chooseSet
	got := []uintptr{
		unsafe.Offsetof(a.sets), unsafe.Offsetof(a.cf), unsafe.Offsetof(a.th), unsafe.Offsetof(a.mk),
		unsafe.Offsetof(c.rec), unsafe.Offsetof(c.mask), unsafe.Offsetof(c.nrec), unsafe.Offsetof(c.nopt), unsafe.Offsetof(c.shared), unsafe.Sizeof(c),
	}
	want := []uintptr{0, 24, 48, 72, 0, 24, 48, 56, 64, 72}
	if !slices.Equal(got, want) {
		t.Fatalf("offsets %v, choice_amd64.s uses %v", got, want)
	}
}

// choose runs the widest choice kernel the CPU has and the
// environment allows, and the acting and signal kernels are the
// assembly ones unless GEOSIM_NOASM is set.
func TestKernelsSelected(t *testing.T) {
	noasm := os.Getenv("GEOSIM_NOASM") != ""
	want := chooseUseGo
	switch {
	case noasm || !cpuAVX2:
	case cpuAVX512 && os.Getenv("GEOSIM_NOAVX512") == "":
		want = chooseUseAVX512
	default:
		want = chooseUseAVX2
	}
	if chooseUse != want {
		t.Fatalf("choice kernel %d in use, want %d (0 Go, 1 AVX2, 2 AVX-512)", chooseUse, want)
	}
	if asmKernels == noasm {
		t.Fatalf("assembly acting and signal kernels: %v with GEOSIM_NOASM %q", asmKernels, os.Getenv("GEOSIM_NOASM"))
	}
}

func u64bytes(s []uint64) []byte {
	return unsafe.Slice((*byte)(unsafe.Pointer(&s[0])), 8*len(s))
}

// The assembly update and coefficient kernels compute the same bits as
// updateGo and coefsGo, clamping, flow cases, links and the diagonal (ties,
// signed zeros, rows without adversaries, ω = 0) included, for sets of
// broadcasting actors that fill the groups of four and that do not; both
// coefficient kernels clear the whole of monthly.
func TestMatrixKernelsAgree(t *testing.T) {
	if !hasAVX2 {
		t.Skip("no AVX2 (or GEOSIM_NOASM set)")
	}
	r := rand.New(rand.NewPCG(9, 10))
	pick := func(vals ...float64) float64 { return vals[r.IntN(len(vals))] }
	vec := func(k int, gen func() float64) []float64 {
		v := make([]float64, k)
		for i := range v {
			v[i] = gen()
		}
		return v
	}
	for _, n := range []int{1, 2, 3, 4, 5, 6, 7, 8, 9, 10} {
		nn := n * n
		nn4 := (nn + 3) &^ 3
		for range 50 {
			stance := func() float64 { return pick(10, -10, 9.999, -9.999, 0, math.Copysign(0, -1), r.NormFloat64()*6) }
			s, mem, recv := vec(nn4, stance), vec(nn4, r.NormFloat64), vec(nn4, func() float64 { return pick(0, 0, r.NormFloat64()*8) })
			phi := vec(nn4, func() float64 { return pick(1, 1, 0, 0.7, 1.3, 3, r.Float64()*3) })
			urec := vec(nn4/4*updRecWords, func() float64 { return pick(0, r.Float64(), r.Float64()*3) })
			for b := 0; b < nn4/4; b++ {
				for l := 0; l < 4; l++ {
					urec[b*updRecWords+urBase+l] = stance()
				}
			}
			// Links: several moving one stance, every sign, zero months.
			var links []link
			linkWK := vec(r.IntN(8), func() float64 { return r.NormFloat64() * 0.3 })
			for range linkWK {
				links = append(links, link{recv: r.IntN(nn), moves: r.IntN(nn), sign: pick(-1, 0, 1)})
			}
			var bcast []int // any subset of the actors, often all or none
			for i := range n {
				if r.IntN(3) > 0 {
					bcast = append(bcast, i)
				}
			}
			switch r.IntN(5) {
			case 0:
				bcast = nil
			case 1:
				bcast = bcast[:0]
				for i := range n {
					bcast = append(bcast, i)
				}
			}
			monthly := func() []uint64 { // last month's words, which coefs clears
				m := make([]uint64, monthlyAlloc(n))
				for k := range m {
					m[k] = r.Uint64()
				}
				return m
			}
			args := func(s, mem, phi, coef, threat []float64) *matrixArgs {
				w := &Workspace{s: s[:nn], mem: mem[:nn], recv: recv[:nn], phi: phi[:nn], coef: coef[:nn], threat: threat[:nn], updRec: urec, linkWK: linkWK, monthly: monthly(), raw: make([]float64, nn4)}
				w.ma = newMatrixArgs(w, n, bcast, links)
				return &w.ma
			}
			eta, td, rd := r.Float64()*3, r.Float64(), r.Float64()
			s2, mem2, phi2 := slices.Clone(s), slices.Clone(mem), slices.Clone(phi)
			a, a2 := args(s, mem, phi, s, s), args(s2, mem2, phi2, s, s)
			for _, a := range []*matrixArgs{a, a2} {
				a.eta, a.td, a.rd, a.ord = lanes4(eta), lanes4(td), lanes4(rd), lanes4(1-rd)
			}
			updateGo(a)
			updateAVX2(a2)
			if !bytes.Equal(f64bytes(s[:nn]), f64bytes(s2[:nn])) || !bytes.Equal(f64bytes(mem[:nn]), f64bytes(mem2[:nn])) || !bytes.Equal(f64bytes(phi[:nn]), f64bytes(phi2[:nn])) {
				t.Fatalf("update, %d actors: the kernels differ", n)
			}

			for k := range s { // ties among threats, rows without adversaries
				if r.IntN(4) == 0 {
					s[k] = pick(-2, 0, 3)
				}
			}
			phi = vec(nn4, func() float64 { return pick(1, 1, 0, 0.7, 1.3, 3, r.Float64()*3) })
			rec := vec(nn4/4*coefRecWords, func() float64 { return pick(0, r.Float64(), r.NormFloat64()*5) })
			for b := range nn4 / 4 {
				for l := range 4 {
					rec[b*coefRecWords+crNegPow+l] = pick(-1, -r.Float64()*3)
					// E·T̄ + B as derive computes it: the assembly kernel
					// uses the general rule where φ = 1 too
					rec[b*coefRecWords+crETS+l] = rec[b*coefRecWords+crET+l] + rec[b*coefRecWords+crStake+l]
				}
			}
			coef, threat := make([]float64, nn4), make([]float64, nn4)
			coef2, threat2 := vec(nn4, r.NormFloat64), vec(nn4, r.NormFloat64) // overwritten
			a, a2 = args(s, mem, phi, coef, threat), args(s, mem, phi, coef2, threat2)
			spill := pick(0, 0.5, r.Float64())
			for _, a := range []*matrixArgs{a, a2} {
				a.coefRec, a.spill = rec, spill
			}
			coefsGo(a)
			coefsAVX2(a2)
			if !bytes.Equal(f64bytes(coef[:nn]), f64bytes(coef2[:nn])) || !bytes.Equal(f64bytes(threat[:nn]), f64bytes(threat2[:nn])) {
				t.Fatalf("coefs, %d actors: the kernels differ", n)
			}
			if slices.ContainsFunc(a.monthly, func(v uint64) bool { return v != 0 }) || !slices.Equal(a.monthly, a2.monthly) {
				t.Fatalf("coefs, %d actors: monthly not cleared", n)
			}
		}
	}
}

func f64bytes(s []float64) []byte {
	return unsafe.Slice((*byte)(unsafe.Pointer(&s[0])), 8*len(s))
}
