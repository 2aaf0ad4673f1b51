package sim

import (
	"math"
	"math/bits"
	"os"

	"golang.org/x/sys/cpu"
)

// chooseAVX2 is chooseGo in assembly (choice_amd64.s): every set of a
// in one call; it ends with VZEROUPPER. It trusts what newChooseArgs
// checks (each set's records and mask bytes are there, nrec ≥ 1) and
// that the records' i*n + j index cf and th, which holds by
// construction.
//
//go:noescape
func chooseAVX2(a *chooseArgs)

// chooseAVX512 is chooseAVX2 with AVX-512 (F, DQ, VL): the same records
// and outputs (choice_amd64.s).
//
//go:noescape
func chooseAVX512(a *chooseArgs)

// chooseConsts are the kernels' constants, four lanes each (chooseAVX512
// broadcasts the first), at the byte offsets choice_amd64.s uses:
// computed from the Go constants, so that the assembly and chooseGo
// cannot disagree on them. Each SplitMix64 multiplier appears as is
// (VPMULUDQ reads its low half, VPMULLQ all of it) and with its 32-bit
// halves swapped (VPMULLD then pairs lo(x) with hi(C) and hi(x) with
// lo(C)).
var chooseConsts = [...][4]uint64{
	splat(0x9e3779b97f4a7c15),                        //   0: SplitMix64 increment
	splat(0xbf58476d1ce4e5b9),                        //  32: first multiplier
	splat(0x94d049bb133111eb),                        //  64: second multiplier
	splat(math.Float64bits(1)),                       //  96: 1.0, and the exponent bias 1023<<52
	splat(math.Float64bits(1 - 0.5/(1<<52))),         // 128
	splat32(math.Float32bits(1)),                     // 160: eight lanes of float32 each from here to 320
	splat32(math.Float32bits(roundShift32)),          // 192
	splat32(math.Float32bits(-roughClamp32)),         // 224
	splat32(math.Float32bits(roughClamp32)),          // 256
	splat32(math.Float32bits(actSure32)),             // 288
	splat32(math.Float32bits(actNever32)),            // 320
	splat(1),                                         // 352
	splat(^uint64(1)),                                // 384: the integer −2
	splat(bits.RotateLeft64(0xbf58476d1ce4e5b9, 32)), // 416: first multiplier, halves swapped
	splat(bits.RotateLeft64(0x94d049bb133111eb, 32)), // 448: second multiplier, halves swapped
}

func splat(v uint64) [4]uint64 { return [4]uint64{v, v, v, v} }

func splat32(v uint32) [4]uint64 { return splat(uint64(v)<<32 | uint64(v)) }

// cpuAVX2 and cpuAVX512 report what the CPU and the operating system
// support; hasAVX2 and hasAVX512 whether the kernels may run: neither
// GEOSIM_NOASM (no assembly: to measure or debug the pure-Go path) nor,
// for AVX-512, GEOSIM_NOAVX512 (the AVX2 kernels, which valgrind can
// count) is set.
var (
	cpuAVX2   = cpu.X86.HasAVX2
	cpuAVX512 = cpuAVX2 && cpu.X86.HasAVX512F && cpu.X86.HasAVX512DQ && cpu.X86.HasAVX512VL && cpu.X86.HasBMI1 && cpu.X86.HasBMI2
	hasAVX2   = cpuAVX2 && os.Getenv("GEOSIM_NOASM") == ""
	hasAVX512 = hasAVX2 && cpuAVX512 && os.Getenv("GEOSIM_NOAVX512") == ""
)

func init() {
	if cpuAVX2 {
		chooseKernels = append(chooseKernels, namedChooser{"avx2", chooseAVX2})
	}
	if cpuAVX512 {
		chooseKernels = append(chooseKernels, namedChooser{"avx512", chooseAVX512})
	}
	switch {
	case hasAVX512:
		chooseUse = chooseUseAVX512
	case hasAVX2:
		chooseUse = chooseUseAVX2
	}
}
