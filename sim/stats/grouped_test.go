package stats

import (
	"math"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/stat/distuv"
)

// simulateGroups draws G parameter points with P(event | θ) from draw and
// R Bernoulli runs at each.
func simulateGroups(G, R int, draw func(*rand.Rand) float64, seed uint64) Grouped {
	rng := rand.New(rand.NewPCG(seed, 1))
	g := Grouped{Size: int64(R)}
	for i := 0; i < G; i++ {
		p := draw(rng)
		k := int64(0)
		for r := 0; r < R; r++ {
			if rng.Float64() < p {
				k++
			}
		}
		g.AddGroup(k)
	}
	return g
}

// With P(event | θ) ~ Beta(2, 8) the estimated spread recovers the true
// 10th and 90th percentiles, and the standard error matches the spread of
// the estimate over independent repetitions.
func TestGroupedSpreadKnownBeta(t *testing.T) {
	truth := distuv.Beta{Alpha: 2, Beta: 8}
	draw := func(rng *rand.Rand) float64 { return truth.Quantile(rng.Float64()) }
	var means []float64
	for seed := uint64(1); seed <= 40; seed++ {
		g := simulateGroups(1000, 16, draw, seed)
		s, ok := g.Spread()
		if !ok {
			t.Fatal("no spread")
		}
		if !s.Resolved {
			t.Errorf("seed %d: a Beta(2, 8) spread over 1000 draws is not resolved", seed)
		}
		if seed == 1 {
			t.Logf("p10 %.4f (true %.4f), p90 %.4f (true %.4f), sd %.4f (true %.4f), se %.4f",
				s.P10, truth.Quantile(0.1), s.P90, truth.Quantile(0.9), s.SD, truth.StdDev(), g.SE())
			if math.Abs(s.P10-truth.Quantile(0.1)) > 0.015 || math.Abs(s.P90-truth.Quantile(0.9)) > 0.02 {
				t.Errorf("spread [%.4f, %.4f], want about [%.4f, %.4f]", s.P10, s.P90, truth.Quantile(0.1), truth.Quantile(0.9))
			}
			if math.Abs(s.SD-truth.StdDev()) > 0.01 {
				t.Errorf("sd %.4f, want %.4f", s.SD, truth.StdDev())
			}
		}
		means = append(means, float64(g.Sum)/float64(g.Groups*g.Size))
	}
	// The SE of one estimate against the observed spread over 40 repetitions.
	var m, v float64
	for _, x := range means {
		m += x
	}
	m /= float64(len(means))
	for _, x := range means {
		v += (x - m) * (x - m)
	}
	observed := math.Sqrt(v / float64(len(means)-1))
	se := simulateGroups(1000, 16, draw, 1).SE()
	t.Logf("SE %.5f, observed sd of the estimate over 40 repetitions %.5f", se, observed)
	if se < 0.7*observed || se > 1.4*observed {
		t.Errorf("SE %.5f disagrees with the observed %.5f", se, observed)
	}
}

// When the probability does not depend on the parameters, the spread is
// (nearly) nil: the binomial noise of each group is removed.
func TestGroupedSpreadNone(t *testing.T) {
	g := simulateGroups(2000, 16, func(*rand.Rand) float64 { return 0.3 }, 7)
	s, ok := g.Spread()
	if !ok {
		t.Fatal("no spread")
	}
	t.Logf("constant p = 0.3: sd %.4f, [%.4f, %.4f]", s.SD, s.P10, s.P90)
	if s.SD > 0.02 || s.P90-s.P10 > 0.05 || s.Resolved {
		t.Errorf("constant probability shows a spread: sd %.4f, [%.4f, %.4f], resolved %v", s.SD, s.P10, s.P90, s.Resolved)
	}
	if _, ok := (Grouped{Size: 1, Groups: 10}).Spread(); ok {
		t.Error("groups of one run cannot separate spread from noise")
	}
}

// Merging group accumulators is exact.
func TestGroupedMerge(t *testing.T) {
	a := Grouped{Size: 4}
	b := Grouped{Size: 4}
	all := Grouped{Size: 4}
	for k := int64(0); k < 20; k++ {
		all.AddGroup(k % 5)
		if k%2 == 0 {
			a.AddGroup(k % 5)
		} else {
			b.AddGroup(k % 5)
		}
	}
	a.Merge(b)
	if a != all {
		t.Errorf("merged %+v, want %+v", a, all)
	}
}
