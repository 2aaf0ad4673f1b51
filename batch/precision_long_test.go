//go:build long

package batch

import (
	"context"
	"testing"

	"github.com/geosim/geosim/sim"
)

// TestLongPrecisionCoverage: over 1,000 seeds, precision mode on
// coin.toml (truth 0.4596, target ±0.01, blocks of 1,000) stops after
// the same number of blocks and its final 95% interval covers the truth
// in 93.5–96.5% of seeds. Run with go test -tags long -run Long ./batch.
func TestLongPrecisionCoverage(t *testing.T) {
	m := loadScenario(t, "testdata/coin.toml").Model
	const seeds = 1000
	covered := 0
	counts := map[int64]int{}
	for seed := uint64(1); seed <= seeds; seed++ {
		res, prec, err := RunPrecision(context.Background(), m, sim.Config{Seed: seed}, PrecisionOptions{Target: 0.01, Block: 1000})
		if err != nil {
			t.Fatal(err)
		}
		counts[prec.Runs]++
		lo, hi := res.Events[0].Occurred.Wilson95()
		if lo <= coinTruth && coinTruth <= hi {
			covered++
		}
	}
	rate := float64(covered) / seeds
	t.Logf("runs chosen: %v; coverage %.3f (%d of %d)", counts, rate, covered, seeds)
	if rate < 0.935 || rate > 0.965 {
		t.Errorf("coverage %.3f", rate)
	}
}
