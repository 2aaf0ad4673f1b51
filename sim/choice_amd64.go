package sim

import (
	"math"
	"os"

	"golang.org/x/sys/cpu"
)

// chooseAVX2 is chooseGo in assembly (choice_amd64.s) over nrec records
// of nopt options; it ends with VZEROUPPER.
//
//go:noescape
func chooseAVX2(rec *uint64, nrec, nopt int, cf, th *float64, mk uint64, actM, ambM *uint64)

// chooseConsts are the kernel's constants, four lanes each, at the byte
// offsets choice_amd64.s uses: computed from the Go constants, so that
// the two kernels cannot disagree on them.
var chooseConsts = [...][4]uint64{
	splat(0x9e3779b97f4a7c15),                  //   0: SplitMix64 increment
	splat(0xbf58476d1ce4e5b9 & 0xffffffff),     //  32: first multiplier, low half
	splat(0xbf58476d1ce4e5b9 >> 32),            //  64: first multiplier, high half
	splat(0x94d049bb133111eb & 0xffffffff),     //  96: second multiplier, low half
	splat(0x94d049bb133111eb >> 32),            // 128: second multiplier, high half
	splat(math.Float64bits(1)),                 // 160: 1.0, and the exponent bias 1023<<52
	splat(math.Float64bits(0.5 / (1 << 52))),   // 192: half a unit of the uniform's grid
	splat(math.Float64bits(-roughScale)),       // 224
	splat(math.Float64bits(roundShift)),        // 256
	splat(math.MaxInt64),                       // 288: clears the sign bit
	splat(math.Float64bits(decisionThreshold)), // 320
	splat(math.Float64bits(actSure)),           // 352
	splat(math.Float64bits(actNever)),          // 384
	splat(1),                                   // 416
}

func splat(v uint64) [4]uint64 { return [4]uint64{v, v, v, v} }

func chooseAVX2Slices(rec []uint64, nrec, nopt int, cf, th []float64, mk uint64, actM, ambM []uint64) {
	if nrec == 0 {
		return
	}
	// The kernel reads nrec records, indexes cf and th by the records'
	// i*n + j (< len(cf) = len(th) by construction) and writes
	// ⌈4·nrec/64⌉ words of each bit set: check what it can.
	_ = rec[nrec*recSize(nopt)-1]
	_ = actM[(4*nrec-1)/64]
	_ = ambM[(4*nrec-1)/64]
	chooseAVX2(&rec[0], nrec, nopt, &cf[0], &th[0], mk, &actM[0], &ambM[0])
}

// hasAVX2 reports whether the assembly kernel may run: the CPU and the
// operating system support AVX2, and GEOSIM_NOASM is not set (to measure
// or debug the pure-Go path).
var hasAVX2 = cpu.X86.HasAVX2 && os.Getenv("GEOSIM_NOASM") == ""

func init() {
	if hasAVX2 {
		chooseKernel = chooseAVX2Slices
	}
}
