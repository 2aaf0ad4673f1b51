package sim

import (
	"math"
	"unsafe"
)

// matrixConsts are the constants of matrix_amd64.s, four lanes each.
var matrixConsts = [...][4]uint64{
	splat(math.Float64bits(goldsteinMax)),  //   0
	splat(math.Float64bits(-goldsteinMax)), //  32
	splat(math.Float64bits(1)),             //  64
	splat(0),                               //  96
	splat(1<<32 | 1),                       // 128: int32 one
}

// updateAVX2 indexes links and linkWK with one register: it needs a
// matrixLink to be 32 bytes (this fails to compile otherwise).
var _ = [1]struct{}{}[unsafe.Sizeof(matrixLink{})-32]

// updateAVX2 is updateGo in assembly. When hasAVX2 is false (no AVX2,
// or GEOSIM_NOASM set) it jumps to updateGo instead.
//
//go:noescape
func updateAVX2(a *matrixArgs)

// coefsAVX2 is coefsGo in assembly; without hasAVX2 it jumps to coefsGo.
//
//go:noescape
func coefsAVX2(a *matrixArgs)

// updateKernel and coefsKernel call the assembly kernels directly, which
// choose between themselves and their Go twins: a call through a func
// value would go through an ABI wrapper (8 instructions a call), and a
// choice here would keep update and coefs from being inlined.
func updateKernel(a *matrixArgs) { updateAVX2(a) }

func coefsKernel(a *matrixArgs) { coefsAVX2(a) }
