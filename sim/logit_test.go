package sim

import (
	"math"
	"math/rand/v2"
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

// fastExp and fastExpUnchecked compute the bits of the formula as first
// written (k as a signed integer, the exponent field as (m + 1023)<<52),
// and roundShiftBits is the bit pattern of roundShift.
func TestFastExpBits(t *testing.T) {
	if roundShiftBits != math.Float64bits(roundShift) {
		t.Fatalf("roundShiftBits = %#x, want %#x", uint64(roundShiftBits), math.Float64bits(roundShift))
	}
	ref := func(x float64) float64 {
		if x < -708 {
			return 0
		}
		kd := x*invLn2x32 + roundShift
		k := int64(math.Float64bits(kd) - math.Float64bits(roundShift))
		kd -= roundShift
		r := x - kd*ln2by32Hi - kd*ln2by32Lo
		p := 1 + r*(1+r*(0.5+r*(1.0/6+r*(1.0/24))))
		return expTable[k&31] * p * math.Float64frombits(uint64((k>>5)+1023)<<52)
	}
	check := func(x float64) {
		want := math.Float64bits(ref(x))
		if got := math.Float64bits(fastExp(x)); got != want {
			t.Fatalf("fastExp(%v) = %#x, want %#x", x, got, want)
		}
		if x >= -708 && x <= 709 {
			if got := math.Float64bits(fastExpUnchecked(x)); got != want {
				t.Fatalf("fastExpUnchecked(%v) = %#x, want %#x", x, got, want)
			}
		}
	}
	for x := -720.0; x <= 709; x += 1.0 / 64 {
		check(x)
	}
	r := rand.New(rand.NewPCG(7, 8))
	for range 1_000_000 {
		check(1430*r.Float64() - 720)
		check(76*r.Float64() - 38)
	}
	for _, x := range []float64{0, math.Copysign(0, -1), -708, 709, 38, -38, math.Nextafter(-708, 0), 1e-300, -1e-300} {
		check(x)
	}
}
