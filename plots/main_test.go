package plots

import (
	"os"
	"testing"
)

// TestMain renders every chart of the package's tests under the layout
// check: a chart whose text leaves the canvas or runs into other text
// fails to render.
func TestMain(m *testing.M) {
	strictLayout.Store(true)
	os.Exit(m.Run())
}
