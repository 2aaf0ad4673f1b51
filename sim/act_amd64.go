package sim

import "os"

// actMasksAsm is actMasksGo in assembly (act_amd64.s). It trusts the
// sizes newActArgs checks, and that the packed targets in who index mon
// and the records' best options index who, which hold by construction
// (makePlan, packWho, the choice kernels).
//
//go:noescape
func actMasksAsm(a *actArgs)

// asmAllowed reports whether the scalar assembly kernels (acting and
// signals) may run: they need plain x86-64 only; GEOSIM_NOASM keeps the
// Go kernels, as for the AVX2 ones.
func asmAllowed() bool { return os.Getenv("GEOSIM_NOASM") == "" }

func init() {
	asmKernels = asmAllowed()
}
