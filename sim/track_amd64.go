package sim

// trackMonthAsm is trackMonthGo in assembly (track_amd64.s). It trusts
// the indices newTrackArgs checks.
//
//go:noescape
func trackMonthAsm(a *trackArgs, t int)

// trackAsm reports whether track runs trackMonthAsm (plain x86-64; not
// with GEOSIM_NOASM).
var trackAsm = asmAllowed()
