package batch

import (
	"os"
	"testing"

	"github.com/geosim/geosim/plots"
)

// TestMain checks the layout of every chart the package's tests render
// (plots.SetStrictLayout): sweeps, comparisons, sensitivity analyses,
// backtests and discoveries on small scenarios.
func TestMain(m *testing.M) {
	plots.SetStrictLayout(true)
	os.Exit(m.Run())
}
