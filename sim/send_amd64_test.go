package sim

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
	"unsafe"
)

// send_amd64.s reads sendArgs at these offsets.
func TestSendLayout(t *testing.T) {
	var a sendArgs
	got := []uintptr{
		unsafe.Offsetof(a.acted), unsafe.Offsetof(a.did), unsafe.Offsetof(a.held), unsafe.Offsetof(a.recv),
		unsafe.Offsetof(a.s), unsafe.Offsetof(a.sig), unsafe.Offsetof(a.sigHeld), unsafe.Offsetof(a.n),
		unsafe.Offsetof(a.spill),
	}
	want := []uintptr{0, 24, 48, 72, 96, 120, 144, 168, 176}
	if !slices.Equal(got, want) {
		t.Fatalf("offsets %v, send_amd64.s uses %v", got, want)
	}
}

// The assembly signal kernel adds the same bits as sendChoicesGo: the
// same additions in the same order, from received totals, stances,
// intensities and weights of very different magnitudes (so that another
// order would round differently), signed zeros and NaN stances included,
// for sets of actions as setDid leaves them (a partner in acted has one).
func TestSendKernelsAgree(t *testing.T) {
	if !asmAllowed() {
		t.Skip("GEOSIM_NOASM set")
	}
	r := rand.New(rand.NewPCG(13, 14))
	val := func() float64 {
		switch r.IntN(8) {
		case 0:
			return 0
		case 1:
			return math.Copysign(0, -1)
		default:
			return (r.Float64() - 0.5) * math.Pow(10, float64(r.IntN(12)-4))
		}
	}
	vec := func(k int) []float64 {
		v := make([]float64, k)
		for i := range v {
			v[i] = val()
		}
		return v
	}
	sparse := func(k int) []uint64 {
		v := make([]uint64, k)
		for i := range v {
			if r.IntN(3) == 0 {
				v[i] = r.Uint64() & r.Uint64() & r.Uint64()
			}
		}
		return v
	}
	for trial := 0; trial < 500; trial++ {
		n := 2 + r.IntN(31)
		nn := n * n
		a := sendArgs{acted: make([]uint64, n), did: sparse(nn), held: sparse(nn), recv: vec(nn), s: vec(nn),
			sig: vec(64), sigHeld: vec(64), n: n, spill: r.Float64()}
		for i := range a.acted {
			if r.IntN(4) > 0 {
				a.acted[i] = r.Uint64() & (1<<uint(n) - 1)
			}
			for j := range n { // a partner in acted has an action (setDid)
				if j != i && a.did[i*n+j] == 0 {
					a.acted[i] &^= 1 << uint(j)
				}
			}
		}
		if r.IntN(10) == 0 {
			a.s[r.IntN(nn)] = math.NaN()
		}
		b := a
		b.recv = slices.Clone(a.recv)
		sendChoicesGo(&a)
		sendChoicesAsm(&b)
		for k := range a.recv {
			if math.Float64bits(a.recv[k]) != math.Float64bits(b.recv[k]) {
				t.Fatalf("trial %d (n %d): recv[%d] %v (Go) and %v (assembly)", trial, n, k, a.recv[k], b.recv[k])
			}
		}
	}
}
