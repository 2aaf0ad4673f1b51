package stats

import "os"

// useAsm reports whether addSmall runs the assembly kernel: unless
// GEOSIM_NOASM is set (to measure or debug the pure-Go path). The
// kernel needs nothing beyond SSE2, which every amd64 CPU has.
var useAsm = os.Getenv("GEOSIM_NOASM") == ""

// addSmall is addSmallGo, by the assembly kernel unless useAsm is off.
func addSmall(pts []Point, g Grid, xs []float64, bins []int) int {
	if !useAsm {
		return addSmallGo(pts, g, xs, bins)
	}
	_, _ = xs[len(pts)-1], bins[len(pts)-1]
	return addSmallAsm(&pts[0], &xs[0], &bins[0], len(pts), g.lo, g.scale, g.last)
}

// addSmallAsm is addSmallGo on the n points from pts, the values from xs
// and the bins from bins (points_amd64.s).
//
//go:noescape
func addSmallAsm(pts *Point, xs *float64, bins *int, n int, lo, scale float64, last int) int
