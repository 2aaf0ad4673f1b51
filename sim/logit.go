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
	invLn2x32  = 32 / math.Ln2
	ln2by32Hi  = 2.1660849390173098e-02 // ln2/32 rounded to 40 bits
	ln2by32Lo  = math.Ln2/32 - ln2by32Hi
	roundShift = 0x1.8p52 // adding it rounds a float64 of magnitude < 2^51 to an integer
)

// roundShiftBits is math.Float64bits(roundShift) (TestFastExpBits).
const roundShiftBits = 0x4338000000000000

// fastExp returns e^x for x <= 709 with relative error below 2e-12,
// about twice as fast as math.Exp: the logit choice evaluates one
// exponential per option per decision, which dominates a run's cost. It
// writes x = (32m + j)·ln2/32 + r with |r| <= ln2/64 and returns
// 2^m · 2^(j/32) · p(r), p the degree-4 Taylor polynomial of e^r.
// Below -708 it returns 0.
func fastExp(x float64) float64 {
	if x < -708 {
		return 0
	}
	return fastExpUnchecked(x)
}

// fastExpUnchecked is fastExp for -708 <= x <= 709, without the check,
// small enough to inline where the argument is known to lie there
// (sigmoid, actU).
func fastExpUnchecked(x float64) float64 {
	// k = round(x·32/ln2) without float↔int conversions: adding
	// roundShift leaves k in the low mantissa bits.
	kd := x*invLn2x32 + roundShift
	k := math.Float64bits(kd) - roundShiftBits
	kd -= roundShift
	r := x - kd*ln2by32Hi - kd*ln2by32Lo
	// 2^(j/32) · p(r) · 2^m, the exponent field built as (m + 1023)<<52
	// (mod 2^64).
	return expTable[k&31] * (1 + r*(1+r*(0.5+r*(1.0/6+r*(1.0/24))))) * math.Float64frombits(uint64(int64(k)>>5)<<52+1023<<52)
}

// maxLogitExponent bounds λ·U before weights could overflow; past it the
// choice subtracts the largest value first.
const maxLogitExponent = 700

// logitSample draws option o with probability exp(x_o) / Σ exp(x), by
// inverting the cumulative weights at u in [0, 1): the choice is the
// first option whose cumulative weight exceeds u times the total. bound
// must be at least every x_o; x is overwritten when bound is large.
//
// Every menu of the model contains hold, of utility 0 and weight 1, so
// the total weight is at least 1 and never underflows; weights are
// exp(x_o) directly unless bound could overflow them, in which case all
// are scaled by exp(−max x). The inversion counts the options whose
// cumulative weight is at most the target without branches: a
// data-dependent branch per option mispredicts often and costs more than
// the arithmetic.
func logitSample(x, cum []float64, bound, u float64) int {
	cum = cum[:len(x)]
	if bound > maxLogitExponent {
		top := x[0]
		for _, v := range x {
			top = math.Max(top, v)
		}
		for o := range x {
			x[o] -= top
		}
	}
	total := 0.0
	for o, v := range x {
		total += fastExp(v)
		cum[o] = total
	}
	target := u * total
	idx := 0
	for _, c := range cum {
		// 1 when c <= target (target − c is +0 or positive), else 0.
		idx += int(1 ^ math.Float64bits(target-c)>>63)
	}
	if idx == len(cum) { // only through rounding: the last option of positive weight
		for idx--; idx > 0 && cum[idx] == cum[idx-1]; idx-- {
		}
	}
	return idx
}
