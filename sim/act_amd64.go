package sim

import "os"

// actMasksAsm is actMasksGo in assembly (act_amd64.s). It trusts the
// sizes newActArgs checks, and that the packed targets in who index mon
// and the records' best options index who, which hold by construction
// (makePlan, packWho, the choice kernels).
//
//go:noescape
func actMasksAsm(a *actArgs)

// hasActAsm reports whether the assembly acting kernel may run: it
// needs plain x86-64 only; GEOSIM_NOASM keeps the Go kernel, as for the
// other kernels.
func hasActAsm() bool { return os.Getenv("GEOSIM_NOASM") == "" }

func init() {
	if hasActAsm() {
		actKernel = actMasksAsm
	}
}
