//go:build !amd64

package sim

// trackAsm is false where there is no assembly month kernel.
const trackAsm = false

// trackMonthAsm is never called without the assembly kernel (trackAsm).
func trackMonthAsm(a *trackArgs, t int) { trackMonthGo(a, t) }
