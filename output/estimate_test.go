package output

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/geosim/geosim/scenarios"
	"github.com/geosim/geosim/sim"
	"github.com/geosim/geosim/sim/scenario"
)

// TestSummaryBytes: the estimate of summary.json's size is on the high
// side of the real size, within a factor of three.
func TestSummaryBytes(t *testing.T) {
	f, err := scenario.LoadFS(scenarios.FS, scenarios.Flagship)
	if err != nil {
		t.Fatal(err)
	}
	res, err := sim.Run(context.Background(), f.Model, sim.Config{Runs: 2000, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	b, _ := json.MarshalIndent(Summarize(f.Model, res, Provenance{}), "", "  ")
	est := SummaryBytes(f.Model)
	t.Logf("summary.json %d bytes, estimate %d", len(b), est)
	if est < int64(len(b)) || est > 3*int64(len(b)) {
		t.Errorf("estimate %d for %d bytes", est, len(b))
	}
}
