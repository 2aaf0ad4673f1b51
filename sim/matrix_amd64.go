package sim

import "math"

// matrixConsts are the constants of matrix_amd64.s, four lanes each.
var matrixConsts = [...][4]uint64{
	splat(math.Float64bits(goldsteinMax)),  //   0
	splat(math.Float64bits(-goldsteinMax)), //  32
	splat(math.Float64bits(1)),             //  64
	splat(0),                               //  96
	splat(1),                               // 128: int64 one
	splat(1<<32 | 1),                       // 160: int32 one
}

// updateAVX2 is updateGo's element loop in assembly.
//
//go:noescape
func updateAVX2(a *matrixArgs)

// coefsAVX2 is coefsGo in assembly.
//
//go:noescape
func coefsAVX2(a *matrixArgs)

func init() {
	if hasAVX2 {
		updateKernel = updateAVX2
		coefsKernel = coefsAVX2
	}
}
