package discover

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
)

// synthetic returns n points uniform on [0,1]^(2+noise): parameters a, b
// and noise parameters, and R runs per point in which the condition holds
// with probability p(a, b).
func synthetic(t testing.TB, n, noise, runs int, seed uint64, p func(a, b float64) float64) *Data {
	t.Helper()
	rng := rand.New(rand.NewPCG(seed, 1))
	params := []string{"a", "b"}
	for k := 0; k < noise; k++ {
		params = append(params, fmt.Sprintf("noise%d", k+1))
	}
	x := make([][]float64, len(params))
	for j := range x {
		x[j] = make([]float64, n)
		for i := range x[j] {
			x[j][i] = rng.Float64()
		}
	}
	hits := make([]int32, n)
	for i := range hits {
		q := p(x[0][i], x[1][i])
		for r := 0; r < runs; r++ {
			if rng.Float64() < q {
				hits[i]++
			}
		}
	}
	d, err := NewData(params, x, hits, runs)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func inCorner(a, b float64) float64 {
	if a > 0.7 && b < 0.3 {
		return 1
	}
	return 0
}

// TestPrimRecoversThresholds: the condition holds exactly when a > 0.7
// and b < 0.3; four noise parameters are present. PRIM's box recovers
// both thresholds within 0.05, restricts nothing else, and holds at
// least 95% of the cases at a density of at least 95%.
func TestPrimRecoversThresholds(t *testing.T) {
	d := synthetic(t, 2000, 4, 1, 7, inCorner)
	res, err := Analyse(context.Background(), d, Config{Seed: 1, Permutations: 19, Bootstrap: 20})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Boxes) == 0 {
		t.Fatalf("no box; warnings %v", res.Warnings)
	}
	b := res.Boxes[0].Box
	t.Logf("box: a in [%.4f, %.4f], b in [%.4f, %.4f], coverage %.3f density %.3f dims %d", b.Lo[0], b.Hi[0], b.Lo[1], b.Hi[1], b.Coverage, b.Density, b.Dims)
	if math.Abs(b.Lo[0]-0.7) > 0.05 || !math.IsInf(b.Hi[0], 1) {
		t.Errorf("a: [%g, %g], want [0.7, +Inf)", b.Lo[0], b.Hi[0])
	}
	if math.Abs(b.Hi[1]-0.3) > 0.05 || !math.IsInf(b.Lo[1], -1) {
		t.Errorf("b: [%g, %g], want (−Inf, 0.3]", b.Lo[1], b.Hi[1])
	}
	for j := 2; j < len(d.Params); j++ {
		if b.Restricted(j) {
			t.Errorf("%s restricted to [%g, %g]", d.Params[j], b.Lo[j], b.Hi[j])
		}
	}
	if b.Density < 0.95 || b.Coverage < 0.95 {
		t.Errorf("density %g coverage %g, want both >= 0.95", b.Density, b.Coverage)
	}
	if !res.Boxes[0].Significant() {
		t.Errorf("box not significant: %+v", res.Boxes[0].Permutation)
	}
	for j := 0; j < 2; j++ {
		if qp := res.Boxes[0].QuasiP[j]; !(qp < 1e-6) {
			t.Errorf("quasi-p of %s = %g, want tiny", d.Params[j], qp)
		}
		if r := res.Boxes[0].Bootstrap.Restricted[j]; r < 0.95 {
			t.Errorf("%s restricted in %.0f%% of resamples", d.Params[j], 100*r)
		}
	}
}

// TestCARTFindsTheSameSplit: the pruned tree's densest leaf is the same
// corner, thresholds within 0.05.
func TestCARTFindsTheSameSplit(t *testing.T) {
	d := synthetic(t, 2000, 4, 1, 7, inCorner)
	tree, err := GrowCART(context.Background(), d, CARTConfig{}, 1)
	if err != nil {
		t.Fatal(err)
	}
	leaf := tree.Nodes[tree.Leaves[0]].Box
	t.Logf("leaf: a in [%.4f, %.4f], b in [%.4f, %.4f], density %.3f, %d leaves", leaf.Lo[0], leaf.Hi[0], leaf.Lo[1], leaf.Hi[1], leaf.Density, len(tree.Leaves))
	if math.Abs(leaf.Lo[0]-0.7) > 0.05 || math.Abs(leaf.Hi[1]-0.3) > 0.05 || leaf.Density < 0.999 {
		t.Errorf("densest leaf a in [%g, %g], b in [%g, %g], density %g", leaf.Lo[0], leaf.Hi[0], leaf.Lo[1], leaf.Hi[1], leaf.Density)
	}
	for j := 2; j < len(d.Params); j++ {
		if leaf.Restricted(j) {
			t.Errorf("leaf restricts %s", d.Params[j])
		}
	}
}
