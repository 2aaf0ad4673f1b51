package sim

import (
	"math/rand/v2"
	"slices"
	"testing"
	"unsafe"
)

// act_amd64.s reads actArgs and actGroup at these offsets.
func TestActLayout(t *testing.T) {
	var a actArgs
	var g actGroup
	got := []uintptr{
		unsafe.Offsetof(a.groups), unsafe.Offsetof(a.mon), unsafe.Offsetof(a.tm), unsafe.Offsetof(a.traded),
		unsafe.Offsetof(a.didOff), unsafe.Offsetof(a.amb), unsafe.Offsetof(a.nt), unsafe.Offsetof(a.na),
		unsafe.Offsetof(g.masks), unsafe.Offsetof(g.who), unsafe.Offsetof(g.rec), unsafe.Offsetof(g.size),
		unsafe.Offsetof(g.stride), unsafe.Offsetof(g.best), unsafe.Sizeof(g),
	}
	want := []uintptr{0, 24, 48, 56, 80, 88, 112, 120, 0, 24, 48, 72, 80, 88, 112}
	if !slices.Equal(got, want) {
		t.Fatalf("offsets %v, act_amd64.s uses %v", got, want)
	}
}

// The assembly acting kernel records the same actions as actMasksGo:
// did and acted words, traded (a first trade action toward a partner
// only), and the exact-rule list, from arbitrary masks, targets, best
// options and prior did words.
func TestActKernelsAgree(t *testing.T) {
	if !asmAllowed() {
		t.Skip("GEOSIM_NOASM set")
	}
	r := rand.New(rand.NewPCG(11, 12))
	for trial := 0; trial < 300; trial++ {
		n := 2 + r.IntN(31)
		nn := n * n
		a := actArgs{mon: make([]uint64, monthlySize(n)), tm: r.Uint64() & r.Uint64(), didOff: monthlyDid(n)}
		for k := range a.mon { // some did words already hold actions
			if r.IntN(4) == 0 {
				a.mon[k] = r.Uint64() & r.Uint64() & r.Uint64()
			}
		}
		nt0 := r.IntN(4)
		a.traded, a.nt = make([]int32, nn+nt0), nt0
		for k := range a.traded {
			a.traded[k] = int32(r.IntN(nn))
		}
		words := 0
		for range 1 + r.IntN(3) {
			nopt := []int{1, 2, 3, 5}[r.IntN(4)]
			nrec := 1 + r.IntN(40)
			nm := (nrec + 7) &^ 7
			g := actGroup{masks: make([]byte, nm), rec: make([]uint64, nrec*recSize(nopt)), size: recSize(nopt)}
			// dense masks (words of many act bits) and sparse ones
			// (most bytes a single act or exact-rule bit)
			dense := r.IntN(2) == 0
			for k := range nrec {
				g.masks[k] = byte(r.Uint32())
				if !dense && r.IntN(3) != 0 {
					g.masks[k] &= 0x80 >> uint(r.IntN(8))
				}
				for l := range choiceLanes {
					g.rec[k*g.size+recBest+l] = uint64(-r.IntN(nopt))
				}
			}
			stride := 8 * nm
			g.who = make([]uint64, nopt*stride)
			for k := range g.who {
				i, j := r.IntN(n), r.IntN(n)
				g.who[k] = packWho(i, j, r.IntN(64), n)
			}
			if nopt > 1 {
				g.stride, g.best = -stride, bestOffsets(g.size)
			}
			a.groups = append(a.groups, g)
			words += nm / 8
		}
		a.amb = make([]uint64, 3*words)
		b := a
		b.mon, b.traded, b.amb = slices.Clone(a.mon), slices.Clone(a.traded), slices.Clone(a.amb)
		actMasksGo(&a)
		actMasksAsm(&b)
		if !slices.Equal(a.mon, b.mon) || a.nt != b.nt || !slices.Equal(a.traded, b.traded) ||
			a.na != b.na || !slices.Equal(a.amb[:a.na], b.amb[:b.na]) {
			t.Fatalf("trial %d (n %d, %d groups): the kernels differ", trial, n, len(a.groups))
		}
	}
}
