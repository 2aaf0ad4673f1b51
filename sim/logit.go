package sim

import "math"

// expTable holds 2^(j/32) for j = 0..31.
var expTable = func() (t [32]float64) {
	for j := range t {
		t[j] = math.Exp2(float64(j) / 32)
	}
	return t
}()

const (
	invLn2x32 = 32 / math.Ln2
	ln2by32Hi = 2.1660849390173098e-02 // ln2/32 rounded to 40 bits
	ln2by32Lo = math.Ln2/32 - ln2by32Hi
)

// expNeg returns e^x for x <= 0 with relative error below 2e-12, about
// twice as fast as math.Exp: the logit choice evaluates one exponential
// per option per decision, which dominates a run's cost. It writes
// x = (32m + j)·ln2/32 + r with |r| <= ln2/64 and returns
// 2^m · 2^(j/32) · p(r), p the degree-4 Taylor polynomial of e^r.
func expNeg(x float64) float64 {
	if x < -708 {
		return 0
	}
	k := int(x*invLn2x32 - 0.5)
	fk := float64(k)
	r := x - fk*ln2by32Hi - fk*ln2by32Lo
	p := 1 + r*(1+r*(0.5+r*(1.0/6+r*(1.0/24))))
	return expTable[k&31] * p * math.Float64frombits(uint64((k>>5)+1023)<<52)
}

// logitChoose draws an option with probability proportional to
// exp(lambda·utility) (the logit or quantal response rule of McKelvey &
// Palfrey 1995) by inverting the cumulative weights at u in [0, 1).
// weights is scratch space of len(utility). lambda = 0 gives the uniform
// choice; as lambda grows the choice concentrates on the best options.
func logitChoose(utility, weights []float64, lambda, u float64) int {
	best := utility[0]
	for _, v := range utility[1:] {
		best = max(best, v)
	}
	total := 0.0
	for o, v := range utility {
		w := expNeg(lambda * (v - best))
		weights[o] = w
		total += w
	}
	target := u * total
	last := 0
	for o, w := range weights[:len(utility)] {
		if w == 0 {
			continue
		}
		if target < w {
			return o
		}
		target -= w
		last = o
	}
	return last
}
