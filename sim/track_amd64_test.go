package sim

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
	"unsafe"
)

// track_amd64.s reads trackArgs, stateRef and flagRef at these offsets.
func TestTrackLayout(t *testing.T) {
	var a trackArgs
	var r stateRef
	var f flagRef
	got := []uintptr{
		unsafe.Offsetof(a.rows), unsafe.Offsetof(a.s), unsafe.Offsetof(a.tn), unsafe.Offsetof(a.phi),
		unsafe.Offsetof(a.mo), unsafe.Offsetof(a.flags), unsafe.Offsetof(a.rel), unsafe.Offsetof(a.trade),
		unsafe.Offsetof(a.monthFlags), unsafe.Offsetof(r.ab), unsafe.Offsetof(r.ba), unsafe.Offsetof(r.row),
		unsafe.Sizeof(r), unsafe.Offsetof(f.ij), unsafe.Offsetof(f.at), unsafe.Offsetof(f.bit), unsafe.Sizeof(f),
	}
	want := []uintptr{0, 24, 48, 72, 96, 120, 144, 168, 192, 0, 4, 8, 12, 0, 4, 8, 16}
	if !slices.Equal(got, want) {
		t.Fatalf("offsets %v, track_amd64.s uses %v", got, want)
	}
}

// The assembly month kernel records the same bits as trackMonthGo: rows
// of relations, stances and trade values (signed zeros, subnormals, NaN
// and values whose halving rounds among them) and flag bits in every
// month of horizons past 64, over prior rows and flags, with empty lists
// too.
func TestTrackKernelsAgree(t *testing.T) {
	if !asmAllowed() {
		t.Skip("GEOSIM_NOASM set")
	}
	r := rand.New(rand.NewPCG(21, 22))
	special := []float64{0, math.Copysign(0, -1), 0x1p-1074, -0x1p-1074, 3 * 0x1p-1074, 0x1p-1022, math.MaxFloat64 / 4, math.NaN(), math.Inf(1), -10, 10}
	val := func() float64 {
		if r.IntN(5) == 0 {
			return special[r.IntN(len(special))]
		}
		return r.NormFloat64() * 5
	}
	for trial := 0; trial < 400; trial++ {
		n, T := 1+r.IntN(12), 1+r.IntN(150)
		T1, words := T+1, (T+63)/64
		nrows, nflags := 1+r.IntN(10), 1+r.IntN(12)
		a := trackArgs{rows: make([]float64, nrows*T1), s: make([]float64, n*n), tn: make([]float64, n*n), phi: make([]float64, n*n),
			mo: make([]uint64, monthlySize(n)), flags: make([]uint64, nflags*words)}
		for k := range a.rows {
			a.rows[k] = val()
		}
		for k := range a.flags {
			a.flags[k] = r.Uint64() & r.Uint64()
		}
		for range r.IntN(8) {
			a.rel = append(a.rel, stateRef{ab: int32(r.IntN(n * n)), ba: int32(r.IntN(n * n)), row: int32(r.IntN(nrows) * T1)})
		}
		for range r.IntN(3) {
			a.trade = append(a.trade, stateRef{ab: int32(r.IntN(n * n)), row: int32(r.IntN(nrows) * T1)})
		}
		for range r.IntN(10) {
			a.monthFlags = append(a.monthFlags, flagRef{ij: int32(r.IntN(len(a.mo))), at: int32(r.IntN(nflags) * words), bit: 1 << uint(r.IntN(64))})
		}
		b := a
		b.rows, b.flags = slices.Clone(a.rows), slices.Clone(a.flags)
		for mo := 0; mo < T; mo++ {
			for k := range a.s {
				a.s[k], a.tn[k], a.phi[k] = val(), val(), math.Abs(val())
			}
			for k := range a.mo {
				a.mo[k] = r.Uint64() & r.Uint64() & r.Uint64()
			}
			trackMonthAsm(&a, mo)
			trackMonthGo(&b, mo)
			if !slices.Equal(a.flags, b.flags) || !slices.EqualFunc(a.rows, b.rows, func(x, y float64) bool { return math.Float64bits(x) == math.Float64bits(y) }) {
				t.Fatalf("trial %d, month %d: the assembly kernel's rows or flags differ from trackMonthGo's", trial, mo)
			}
		}
	}
}
