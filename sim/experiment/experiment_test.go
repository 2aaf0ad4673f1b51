package experiment_test

import (
	"context"
	"math"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"

	"github.com/geosim/geosim/sim"
	"github.com/geosim/geosim/sim/dist"
	. "github.com/geosim/geosim/sim/experiment"
	"github.com/geosim/geosim/sim/scenario"
)

func TestGrid(t *testing.T) {
	pts, err := Grid([]Factor{{Path: "a", Values: []float64{1, 2}}, {Path: "b", Values: []float64{10, 20, 30}}})
	if err != nil {
		t.Fatal(err)
	}
	var got [][]float64
	for _, p := range pts {
		got = append(got, p.Values)
	}
	want := [][]float64{{1, 10}, {1, 20}, {1, 30}, {2, 10}, {2, 20}, {2, 30}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %v", got)
	}
	if r := Range(0.5, 0.98, 13); len(r) != 13 || r[0] != 0.5 || r[12] != 0.98 || math.Abs(r[1]-0.54) > 1e-12 {
		t.Errorf("Range: %v", r)
	}
}

// TestLatinHypercube: each factor has exactly one value in each of the n
// strata of its distribution's quantiles.
func TestLatinHypercube(t *testing.T) {
	factors := []Factor{{Path: "a", Dist: dist.Uniform{Min: 0, Max: 1}}, {Path: "b", Dist: dist.Triangular{Min: 0, Mode: 1, Max: 4}}}
	const n = 50
	pts, err := LatinHypercube(factors, n, rand.New(rand.NewPCG(1, 2)))
	if err != nil {
		t.Fatal(err)
	}
	for i, f := range factors {
		strata := make([]int, n)
		for _, p := range pts {
			// Invert the triangular CDF by bisection over the quantile function.
			lo, hi := 0.0, 1.0
			for k := 0; k < 60; k++ {
				mid := (lo + hi) / 2
				if f.Dist.Quantile(mid) < p.Values[i] {
					lo = mid
				} else {
					hi = mid
				}
			}
			strata[int(lo*n)]++
		}
		for s, c := range strata {
			if c != 1 {
				t.Fatalf("factor %s stratum %d holds %d points", f.Path, s, c)
			}
		}
	}
	again, _ := LatinHypercube(factors, n, rand.New(rand.NewPCG(1, 2)))
	if !reflect.DeepEqual(pts, again) {
		t.Error("the same seed gave a different design")
	}
}

// TestSobolPoints: each factor has one value in each of the n equally
// likely intervals of its distribution, and so does every pair of the
// first two factors on the √n × √n grid of quantiles (a (0, m, 2)-net);
// the design depends on the seed alone; sizes that are not powers of two
// are refused with the nearest ones.
func TestSobolPoints(t *testing.T) {
	factors := []Factor{{Path: "a", Dist: dist.Uniform{Min: 0, Max: 1}}, {Path: "b", Dist: dist.Uniform{Min: 10, Max: 20}}, {Path: "c", Dist: dist.Uniform{Min: -1, Max: 1}}}
	const n = 64
	pts, err := SobolPoints(factors, n, 7)
	if err != nil {
		t.Fatal(err)
	}
	cdf := []func(float64) float64{func(x float64) float64 { return x }, func(x float64) float64 { return (x - 10) / 10 }, func(x float64) float64 { return (x + 1) / 2 }}
	for i := range factors {
		seen := make([]bool, n)
		for _, p := range pts {
			k := int(cdf[i](p.Values[i]) * n)
			if seen[k] {
				t.Fatalf("factor %s: two points in interval %d of %d", factors[i].Path, k, n)
			}
			seen[k] = true
		}
	}
	cells := map[[2]int]int{}
	for _, p := range pts {
		cells[[2]int{int(cdf[0](p.Values[0]) * 8), int(cdf[1](p.Values[1]) * 8)}]++
	}
	if len(cells) != 64 {
		t.Errorf("factors a and b fill %d of the 64 cells of an 8×8 grid", len(cells))
	}
	again, _ := SobolPoints(factors, n, 7)
	other, _ := SobolPoints(factors, n, 8)
	if !reflect.DeepEqual(pts, again) || reflect.DeepEqual(pts, other) {
		t.Error("the design does not depend on the seed alone")
	}
	if _, err := SobolPoints(factors, 50, 7); err == nil || !strings.Contains(err.Error(), "got 50 (try 32 or 64)") {
		t.Errorf("50 points: %v", err)
	}
	if _, err := SobolPoints([]Factor{{Path: "v", Values: []float64{1}}}, 8, 7); err == nil {
		t.Error("a factor without a distribution accepted")
	}
}

func TestOneAtATime(t *testing.T) {
	pts, err := OneAtATime([]Factor{{Path: "a", Values: []float64{1, 2}}, {Path: "b", Values: []float64{3}}})
	if err != nil {
		t.Fatal(err)
	}
	if len(pts) != 4 || !pts[0].Base || pts[1].Varied != 0 || pts[3].Varied != 1 || !math.IsNaN(pts[3].Values[0]) || pts[3].Values[1] != 3 {
		t.Errorf("%+v", pts)
	}
	if o := pts[3].Overrides([]Factor{{Path: "a"}, {Path: "b"}}); len(o) != 1 || o["b"].Mean() != 3 {
		t.Errorf("overrides %v", o)
	}
}

func flagship(t testing.TB) *sim.Model {
	t.Helper()
	f, err := scenario.Load("../../scenarios/beijing-parade-2025.toml")
	if err != nil {
		t.Fatal(err)
	}
	return f.Model
}

// TestCompareWithItself: a scenario compared with itself differs by
// exactly zero, with a zero-width paired interval.
func TestCompareWithItself(t *testing.T) {
	m := flagship(t)
	c, err := Compare(context.Background(), []*sim.Model{m, m}, sim.Config{Runs: 1000, Seed: 3})
	if err != nil {
		t.Fatal(err)
	}
	for _, group := range [][]Paired{c.Outcome[0], c.Event[0]} {
		for j := range group {
			p := &group[j]
			lo, hi := p.PairedCI95()
			if p.Difference() != 0 || lo != 0 || hi != 0 {
				t.Errorf("self-comparison: difference %v, interval [%v, %v]", p.Difference(), lo, hi)
			}
		}
	}
}

// TestPairedNarrowerThanUnpaired: for a small change (leverage 1.0 vs
// 1.1) common random numbers make the paired interval of every outcome's
// difference narrower than the unpaired one.
func TestPairedNarrowerThanUnpaired(t *testing.T) {
	m := flagship(t)
	a, _ := m.With(map[string]dist.Dist{"model.leverage": dist.Fixed{Value: 1.0}})
	b, _ := m.With(map[string]dist.Dist{"model.leverage": dist.Fixed{Value: 1.1}})
	c, err := Compare(context.Background(), []*sim.Model{a, b}, sim.Config{Runs: 3000, Seed: 4})
	if err != nil {
		t.Fatal(err)
	}
	for j, name := range c.Outcomes {
		p := &c.Outcome[0][j]
		plo, phi := p.PairedCI95()
		ulo, uhi := p.UnpairedCI95()
		t.Logf("%s: paired width %.4f, unpaired %.4f", name, phi-plo, uhi-ulo)
		if !(phi-plo < uhi-ulo) {
			t.Errorf("%s: paired width %.4g not below unpaired %.4g", name, phi-plo, uhi-ulo)
		}
	}
}

// TestCompareDeterministic: the comparison does not depend on workers,
// and each scenario's result equals its own plain run.
func TestCompareDeterministic(t *testing.T) {
	m := flagship(t)
	b, _ := m.With(map[string]dist.Dist{"shock.ukraine_ceasefire.hazard": dist.Fixed{Value: 0.2}})
	c1, err := Compare(context.Background(), []*sim.Model{m, b}, sim.Config{Runs: 1500, Seed: 5, Workers: 1})
	if err != nil {
		t.Fatal(err)
	}
	c2, _ := Compare(context.Background(), []*sim.Model{m, b}, sim.Config{Runs: 1500, Seed: 5, Workers: 3})
	if !reflect.DeepEqual(c1.Outcome, c2.Outcome) || !reflect.DeepEqual(c1.Event, c2.Event) {
		t.Error("comparison differs between 1 and 3 workers")
	}
	plain, _ := sim.Run(context.Background(), b, sim.Config{Runs: 1500, Seed: 5})
	if !reflect.DeepEqual(plain.Outcomes[0].Moments, c1.Results[1].Outcomes[0].Moments) {
		t.Error("the compared scenario's result differs from its own run")
	}
}

// TestCommonRandomNumbers: sweep points share random streams run by
// run — every other uncertain parameter and every shock time is the same
// at every point — so differences between points come from the swept
// parameter.
func TestCommonRandomNumbers(t *testing.T) {
	m := flagship(t)
	factors := []Factor{{Path: "trade.DPRK.CHN", Values: []float64{0.6, 0.97}}}
	pts, _ := Grid(factors)
	m0, err := pts[0].Model(m, factors)
	if err != nil {
		t.Fatal(err)
	}
	m1, err := pts[1].Model(m, factors)
	if err != nil {
		t.Fatal(err)
	}
	w0, w1 := sim.NewWorkspace(m0), sim.NewWorkspace(m1)
	differ := 0
	var prev []float64
	step := uint64(m0.Replicates()) // runs of one group share a draw
	for r := uint64(0); r < 200*step; r += step {
		w0.Run(9, r)
		w1.Run(9, r)
		if !reflect.DeepEqual(w0.Out.Params, w1.Out.Params) || !reflect.DeepEqual(w0.Out.ShockStep, w1.Out.ShockStep) {
			t.Fatalf("run %d: parameters or shock months differ between points", r)
		}
		if prev != nil && !reflect.DeepEqual(prev, w0.Out.Params) {
			differ++
		}
		prev = append(prev[:0], w0.Out.Params...)
	}
	if differ < 190 {
		t.Errorf("only %d of 199 consecutive parameter draws differ", differ)
	}
}

func TestCheckRejectsInvalidPoint(t *testing.T) {
	m := flagship(t)
	factors := []Factor{{Path: "trade.DPRK.CHN", Values: []float64{0.5, 1.5}}}
	pts, _ := Grid(factors)
	err := Check(m, factors, pts)
	var pe *PointError
	if err == nil || !errorsAs(err, &pe) || pe.Point != 1 {
		t.Fatalf("got %v, want a PointError for point 1", err)
	}
}

func errorsAs(err error, target **PointError) bool {
	pe, ok := err.(*PointError)
	if ok {
		*target = pe
	}
	return ok
}
