package batch

import (
	"runtime"
	"runtime/debug"
	"strings"

	"golang.org/x/sys/cpu"
)

// arithmetic describes what, besides the inputs, decides the last bits
// of a floating-point result, so that merge can refuse shards computed
// with different arithmetic (docs/SCALING.md, "Mixing machines"): the
// architecture and its build level (at GOAMD64=v3 and on arm64 the Go
// compiler may fuse a multiplication and an addition into one FMA, in
// geosim's pure-Go code and in gonum's), and on amd64 whether the CPU has
// FMA (Go's math.Exp takes a different path with it). The engine's own
// kernels (AVX-512, AVX2, pure Go) give the same bits on any CPU and are
// not part of it.
func arithmetic() string {
	key := "GO" + strings.ToUpper(runtime.GOARCH) // GOAMD64, GOARM64, GO386, …
	out := runtime.GOARCH
	if bi, ok := debug.ReadBuildInfo(); ok {
		for _, s := range bi.Settings {
			if s.Key == key {
				out += " " + s.Key + "=" + s.Value
			}
		}
	}
	if runtime.GOARCH == "amd64" {
		fma := "no"
		if cpu.X86.HasFMA {
			fma = "yes"
		}
		out += ", FMA " + fma
	}
	return out
}
