package forecast

import (
	"math"
	"math/rand/v2"
	"testing"
)

// TestPerfectForecaster: Brier 0, calibrated, resolution equal to the
// uncertainty, skill 1 against any imperfect reference.
func TestPerfectForecaster(t *testing.T) {
	o := []float64{1, 0, 0, 1, 1}
	d := Decompose(o, o, 10)
	if d.Brier != 0 || d.Reliability != 0 || !near(d.Resolution, d.Uncertainty) || !near(d.Uncertainty, 0.24) || !near(d.WithinBin, 0) {
		t.Errorf("%+v", d)
	}
	clim := []float64{0.6, 0.6, 0.6, 0.6, 0.6}
	if s := Skill(d.Brier, Decompose(clim, o, 10).Brier); s != 1 {
		t.Errorf("skill %v, want 1", s)
	}
	if n, right := Confident(o, o, 0.1, 0.9); n != 5 || right != 5 {
		t.Errorf("confident %d, right %d", n, right)
	}
}

// TestClimatologyAgainstItself: skill 0, and every bootstrap resample
// gives 0, so the interval is [0, 0].
func TestClimatologyAgainstItself(t *testing.T) {
	blocks := []float64{0.3, 0.1, 0, 0.7, 0.25}
	if s := Skill(0.2, 0.2); s != 0 {
		t.Errorf("skill %v", s)
	}
	lo, hi := BlockBootstrapSkill(blocks, blocks, 500, 0.9, rand.New(rand.NewPCG(1, 2)))
	if lo != 0 || hi != 0 {
		t.Errorf("interval [%v, %v], want [0, 0]", lo, hi)
	}
}

// TestHandComputedBrierAndSkill: outcomes 1, 0, 0, 1 forecast 0.9, 0.2,
// 0.1, 0.6 have squared errors 0.01, 0.04, 0.01, 0.16: Brier 0.055.
// Always 50% scores 0.25 (skill 0.78); always 30% scores (0.49 + 0.09 +
// 0.09 + 0.49)/4 = 0.29 (skill 1 − 0.055/0.29 = 0.81034…).
func TestHandComputedBrierAndSkill(t *testing.T) {
	o := []float64{1, 0, 0, 1}
	d := Decompose([]float64{0.9, 0.2, 0.1, 0.6}, o, 10)
	half := Decompose([]float64{0.5, 0.5, 0.5, 0.5}, o, 10)
	clim := Decompose([]float64{0.3, 0.3, 0.3, 0.3}, o, 10)
	for name, v := range map[string][2]float64{
		"Brier": {d.Brier, 0.055}, "Brier 50%": {half.Brier, 0.25}, "Brier 30%": {clim.Brier, 0.29},
		"skill vs 50%": {Skill(d.Brier, half.Brier), 0.78}, "skill vs 30%": {Skill(d.Brier, clim.Brier), 1 - 0.055/0.29},
		"REL 30%": {clim.Reliability, 0.04}, "RES 30%": {clim.Resolution, 0}, "UNC": {clim.Uncertainty, 0.25},
	} {
		if math.Abs(v[0]-v[1]) > 1e-12 {
			t.Errorf("%s = %v, want %v", name, v[0], v[1])
		}
	}
	if s := Skill(0.1, 0); !math.IsInf(s, -1) {
		t.Errorf("skill against a perfect reference: %v, want -Inf", s)
	}
	if d := Decompose(nil, nil, 10); !math.IsNaN(d.Brier) || d.N != 0 || len(d.Bins) != 10 {
		t.Errorf("empty: %+v", d)
	}
}

// TestBlockBootstrapTwoBlocks: with two blocks a resample is (1,1),
// (1,2), (2,1) or (2,2), each pair of sums equally likely; block 1 has
// squared errors 0.05 against the reference's 0.25, block 2 has 0.3
// against 0.2. The skills are 1 − 0.1/0.5 = 0.8 (a quarter of
// resamples), 1 − 0.35/0.45 (half) and 1 − 0.6/0.4 = −0.5 (a quarter),
// so the 90% interval is [−0.5, 0.8].
func TestBlockBootstrapTwoBlocks(t *testing.T) {
	lo, hi := BlockBootstrapSkill([]float64{0.05, 0.3}, []float64{0.25, 0.2}, 4000, 0.9, rand.New(rand.NewPCG(3, 4)))
	if !near(lo, -0.5) || !near(hi, 0.8) {
		t.Errorf("interval [%v, %v], want [-0.5, 0.8]", lo, hi)
	}
	if lo, hi := BlockBootstrapSkill(nil, nil, 100, 0.9, rand.New(rand.NewPCG(3, 4))); !math.IsNaN(lo) || !math.IsNaN(hi) {
		t.Errorf("no blocks: [%v, %v]", lo, hi)
	}
}

// TestBlockBootstrapCoverage: forecasts p of independent outcomes,
// grouped in 40 blocks of 5 correlated questions (the five share their
// outcome draw), scored against always 50%. The skill's expected value
// is 1 − E[p(1−p)]/0.25; the 90% interval should hold it in about 90% of
// 300 replications (allowing Monte Carlo error and the percentile
// method's small-sample bias).
func TestBlockBootstrapCoverage(t *testing.T) {
	if testing.Short() {
		t.Skip("statistical check")
	}
	rng := rand.New(rand.NewPCG(5, 6))
	const blocks, per, reps = 40, 5, 300
	probs := []float64{0.1, 0.3, 0.5, 0.8, 0.95}
	var ep float64
	for _, p := range probs {
		ep += p * (1 - p) / float64(len(probs))
	}
	truth := 1 - ep/0.25
	covered := 0
	score, ref := make([]float64, blocks), make([]float64, blocks)
	for range reps {
		for b := range blocks {
			score[b], ref[b] = 0, 0
			u := rng.Float64() // one draw per block: its questions are correlated
			for q := range per {
				p := probs[q]
				o := 0.0
				if u < p {
					o = 1
				}
				score[b] += (p - o) * (p - o)
				ref[b] += 0.25
			}
		}
		lo, hi := BlockBootstrapSkill(score, ref, 1000, 0.9, rng)
		if lo <= truth && truth <= hi {
			covered++
		}
	}
	share := float64(covered) / reps
	t.Logf("coverage %.3f of the true skill %.3f", share, truth)
	if share < 0.82 || share > 0.97 {
		t.Errorf("90%% interval covered the true skill in %.1f%% of replications", 100*share)
	}
}

func TestLogScoreClip(t *testing.T) {
	if v := LogScore(0, true, 0.01); !near(v, math.Log(0.01)) {
		t.Errorf("%v", v)
	}
	if v := LogScore(1, false, 0.01); !near(v, math.Log(0.01)) {
		t.Errorf("%v", v)
	}
	if v := LogScore(0.3, false, 0.01); !near(v, math.Log(0.7)) {
		t.Errorf("%v", v)
	}
	if n, right := Confident([]float64{0.95, 0.05, 0.92, 0.5}, []float64{1, 1, 0, 1}, 0.1, 0.9); n != 3 || right != 1 {
		t.Errorf("confident %d right %d, want 3 and 1", n, right)
	}
}
