//go:build long

package discover

import (
	"context"
	"testing"
)

// TestLongNoiseCalibration: on 200 data sets where the condition is a
// coin flip (rate 0.3) independent of five parameters, 1,000 points, one
// run each, count how often PRIM's first box looks significant by its
// naive Wilson interval (lower end above the overall rate) and by the
// permutation test. The permutation test should reject about 5% of the
// time; the naive interval, which ignores PRIM's search, far more often.
// Run with go test -tags long -run Long ./discover.
func TestLongNoiseCalibration(t *testing.T) {
	const sets = 1000
	naive, perm, boxes := 0, 0, 0
	for k := 0; k < sets; k++ {
		d := synthetic(t, 1000, 3, 1, uint64(1000+k), func(a, b float64) float64 { return 0.3 })
		res, err := Analyse(context.Background(), d, Config{Seed: uint64(k), Bootstrap: -1, MaxBoxes: 1})
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Boxes) == 0 {
			continue
		}
		boxes++
		f := res.Boxes[0]
		if f.Rate.Lo > res.Rate.Value {
			naive++
		}
		if f.Significant() {
			perm++
		}
	}
	t.Logf("%d noise data sets, %d with a box: naive interval excludes the overall rate in %d (%.1f%%), permutation test rejects in %d (%.1f%%)",
		sets, boxes, naive, 100*float64(naive)/sets, perm, 100*float64(perm)/sets)
	if float64(perm)/sets > 0.075 {
		t.Errorf("permutation test rejects in %d of %d noise data sets", perm, sets)
	}
}
