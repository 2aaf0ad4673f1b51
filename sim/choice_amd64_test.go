package sim

import (
	"bytes"
	"math/rand/v2"
	"slices"
	"testing"
	"unsafe"
)

// The assembly kernel writes the same bits as chooseGo: records (z, best
// option) and both bit sets.
func TestChooseKernelsAgree(t *testing.T) {
	if !hasAVX2 {
		t.Skip("no AVX2 (or GEOSIM_NOASM set)")
	}
	r := rand.New(rand.NewPCG(7, 8))
	for _, nopt := range []int{1, 2, 3, 5} {
		for _, nrec := range []int{1, 15, 16, 17, 40} {
			nn := 64
			rec := randomRecords(r, nopt, nrec, nn)
			cf, th := make([]float64, nn), make([]float64, nn)
			for k := range cf {
				cf[k], th[k] = r.NormFloat64()*3, r.Float64()*5
			}
			mk := r.Uint64()
			words := (4*nrec + 63) / 64
			goRec, asmRec := slices.Clone(rec), slices.Clone(rec)
			goAct, goAmb := make([]uint64, words), make([]uint64, words)
			asmAct, asmAmb := make([]uint64, words), make([]uint64, words)
			for k := range asmAct { // the kernel must overwrite whatever was there
				asmAct[k], asmAmb[k] = ^uint64(0), ^uint64(0)
			}
			chooseGo(goRec, nopt, cf, th, mk, goAct, goAmb)
			chooseAVX2Slices(asmRec, nopt, cf, th, mk, asmAct, asmAmb)
			if !bytes.Equal(u64bytes(goRec), u64bytes(asmRec)) || !slices.Equal(goAct, asmAct) || !slices.Equal(goAmb, asmAmb) {
				t.Fatalf("nopt %d, %d records: the kernels differ", nopt, nrec)
			}
		}
	}
}

func u64bytes(s []uint64) []byte {
	return unsafe.Slice((*byte)(unsafe.Pointer(&s[0])), 8*len(s))
}
