package batch

import (
	"fmt"
	"runtime"
	"runtime/debug"

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
	level := ""
	if bi, ok := debug.ReadBuildInfo(); ok {
		for _, s := range bi.Settings {
			if s.Key == "GO"+map[string]string{"amd64": "AMD64", "arm64": "ARM64", "386": "386", "arm": "ARM"}[runtime.GOARCH] {
				level = " " + s.Key + "=" + s.Value
			}
		}
	}
	if runtime.GOARCH == "amd64" {
		return fmt.Sprintf("%s%s, FMA %s", runtime.GOARCH, level, map[bool]string{true: "yes", false: "no"}[cpu.X86.HasFMA])
	}
	return runtime.GOARCH + level
}
