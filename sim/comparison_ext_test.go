package sim_test

import (
	"flag"
	"os"
	"testing"

	"github.com/geosim/geosim/sim"
)

var comparisonModel = flag.String("comparison-model", "", "write the compiled flagship model as JSON to this file (for scripts/numpy_model.py)")

// TestComparisonModel checks the export scripts/numpy_model.py reads and
// writes it with -comparison-model FILE (docs/BENCHMARKS.md).
func TestComparisonModel(t *testing.T) {
	b, err := sim.ComparisonJSON(flagship(t))
	if err != nil {
		t.Fatal(err)
	}
	if *comparisonModel != "" {
		if err := os.WriteFile(*comparisonModel, b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}
