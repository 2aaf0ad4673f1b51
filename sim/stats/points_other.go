//go:build !amd64

package stats

// addSmall is addSmallGo where there is no assembly kernel.
func addSmall(pts []Point, g Grid, xs []float64, bins []int) int {
	return addSmallGo(pts, g, xs, bins)
}
