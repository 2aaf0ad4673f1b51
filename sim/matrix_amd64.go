package sim

import "math"

// matrixConsts are the constants of matrix_amd64.s, four lanes each.
var matrixConsts = [...][4]uint64{
	splat(math.Float64bits(goldsteinMax)),  //  0
	splat(math.Float64bits(-goldsteinMax)), // 32
	splat(math.Float64bits(1)),             // 64
	splat(0),                               // 96
}

//go:noescape
func updateAVX2(n4 int, s, mem, recv, phi, rec *float64, eta, td, rd, ord float64)

//go:noescape
func coefsAVX2(n4 int, coef, threat, s, mem, phi, rec *float64)

// updateAVX2Slices runs updateAVX2 over the blocks of four covering nn
// elements: every slice has room for them (NewWorkspace pads).
func updateAVX2Slices(nn int, s, mem, recv, phi, rec []float64, eta, td, rd float64) {
	nn4 := (nn + 3) &^ 3
	s, mem, recv, phi, rec = s[:nn4], mem[:nn4], recv[:nn4], phi[:nn4], rec[:nn4/4*updRecWords]
	updateAVX2(nn4/4, &s[0], &mem[0], &recv[0], &phi[0], &rec[0], eta, td, rd, 1-rd)
}

func coefsAVX2Slices(nn int, coef, threat, s, mem, phi, rec []float64) {
	nn4 := (nn + 3) &^ 3
	coef, threat, s, mem, phi, rec = coef[:nn4], threat[:nn4], s[:nn4], mem[:nn4], phi[:nn4], rec[:nn4/4*coefRecWords]
	coefsAVX2(nn4/4, &coef[0], &threat[0], &s[0], &mem[0], &phi[0], &rec[0])
}

func init() {
	if hasAVX2 {
		updateKernel = updateAVX2Slices
		coefsKernel = coefsAVX2Slices
	}
}
