//go:build !amd64

package sim

// The assembly kernels exist on amd64 only (choice_amd64.s,
// act_amd64.s). Elsewhere chooseUse stays chooseUseGo and asmKernels
// false, so these are never called: they name the Go kernels so that the
// direct calls of choose compile everywhere.

func chooseAVX2(a *chooseArgs)   { chooseGo(a) }
func chooseAVX512(a *chooseArgs) { chooseGo(a) }
func actMasksAsm(a *actArgs)     { actMasksGo(a) }
func sendChoicesAsm(a *sendArgs) { sendChoicesGo(a) }
