package sim

import (
	"math"
	"testing"
)

func TestExpNeg(t *testing.T) {
	worst := 0.0
	for x := 0.0; x > -708; x -= 0.000731 {
		want := math.Exp(x)
		if rel := math.Abs(fastExp(x)-want) / want; rel > worst {
			worst = rel
		}
	}
	for x := 0.0; x < 709; x += 0.000731 {
		want := math.Exp(x)
		if rel := math.Abs(fastExp(x)-want) / want; rel > worst {
			worst = rel
		}
	}
	if worst > 2e-12 {
		t.Errorf("worst relative error %g, want < 2e-12", worst)
	}
	if fastExp(-1000) != 0 || fastExp(0) != 1 {
		t.Errorf("fastExp(-1000) = %v, fastExp(0) = %v", fastExp(-1000), fastExp(0))
	}
}

// logitProbs returns the exact choice probabilities for comparison.
func logitProbs(u []float64, lambda float64) []float64 {
	p := make([]float64, len(u))
	s := 0.0
	for i, v := range u {
		p[i] = math.Exp(lambda * v)
		s += p[i]
	}
	for i := range p {
		p[i] /= s
	}
	return p
}

// TestLogitChooseInverts sweeps u over a fine grid: the share of u that
// selects each option must equal its logit probability.
func TestLogitChooseInverts(t *testing.T) {
	util := []float64{0, 1.2, -0.5, 0.7, 1.2}
	w := make([]float64, len(util))
	for _, lambda := range []float64{0, 0.5, 2, 10} {
		const grid = 200_000
		counts := make([]float64, len(util))
		for k := 0; k < grid; k++ {
			counts[logitChoose(util, w, lambda, (float64(k)+0.5)/grid)]++
		}
		for i, p := range logitProbs(util, lambda) {
			if got := counts[i] / grid; math.Abs(got-p) > 2.0/grid {
				t.Errorf("lambda %v option %d: share %.6f, want %.6f", lambda, i, got, p)
			}
		}
	}
}

// TestLogitLimits checks the two limits the brief asks for directly on
// the choice rule: lambda → 0 gives the uniform distribution, lambda → ∞
// puts all mass on the best response.
func TestLogitLimits(t *testing.T) {
	util := []float64{0.3, -1, 2, 0.5}
	p0 := logitProbs(util, 0)
	for _, p := range p0 {
		if math.Abs(p-0.25) > 1e-12 {
			t.Fatalf("lambda 0: %v, want uniform", p0)
		}
	}
	w := make([]float64, len(util))
	for k := 0; k < 1000; k++ {
		if o := logitChoose(util, w, 1e6, float64(k)/1000); o != 2 {
			t.Fatalf("lambda 1e6 chose %d at u=%v, want the best option 2", o, float64(k)/1000)
		}
	}
}

// logitChoose is the logit choice rule on raw utilities: it draws an
// option with probability proportional to
// exp(lambda·utility) (the logit or quantal response rule of McKelvey &
// Palfrey 1995). lambda = 0 gives the uniform choice; as lambda grows the
// choice concentrates on the best options. cum is scratch space of
// len(utility). See logitSample for the inversion.
func logitChoose(utility, cum []float64, lambda, u float64) int {
	scaled := make([]float64, len(utility))
	bound := 0.0
	for o, v := range utility {
		scaled[o] = lambda * v
		bound = math.Max(bound, scaled[o])
	}
	return logitSample(scaled, cum, bound, u)
}
