package sim

// sendChoicesAsm is sendChoicesGo in assembly (send_amd64.s). It trusts
// what holds by construction: acted has n words; did, held, recv and s
// n² each; sig and sigHeld an entry for every action in did; did[i·n + j]
// not empty when bit j ≠ i of acted[i] is set (setDid sets both). With
// asmKernels false it jumps to sendChoicesGo instead.
//
//go:noescape
func sendChoicesAsm(a *sendArgs)
