//go:build !amd64

package sim

// updateKernel is the update kernel: updateGo (matrix_amd64.go has the
// assembly one).
func updateKernel(a *matrixArgs) { updateGo(a) }

// coefsKernel is the coefficient kernel: coefsGo.
func coefsKernel(a *matrixArgs) { coefsGo(a) }
