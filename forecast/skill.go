package forecast

import (
	"math"
	"math/rand/v2"
	"sort"
)

func nan() float64 { return math.NaN() }

// Skill is the skill score 1 − score/ref of a negatively oriented score
// (Brier: lower is better) against a reference forecaster's score on the
// same questions: 1 is perfect, 0 no better than the reference, negative
// worse. When the reference is perfect (ref = 0) the skill is 0 if the
// forecaster is perfect too and −Inf otherwise.
func Skill(score, ref float64) float64 {
	if ref == 0 {
		if score == 0 {
			return 0
		}
		return math.Inf(-1)
	}
	return 1 - score/ref
}

// LogScore is ln of the probability given to what happened, with p
// clipped to [clip, 1 − clip] so that a confident miss costs ln(clip)
// rather than −∞. It is ≤ 0; higher is better.
func LogScore(p float64, yes bool, clip float64) float64 {
	p = min(max(p, clip), 1-clip)
	if yes {
		return math.Log(p)
	}
	return math.Log(1 - p)
}

// Confident counts the forecasts below lo or above hi, and how many of
// them were right: a yes outcome above hi, a no below lo.
func Confident(p, o []float64, lo, hi float64) (n, right int) {
	for i := range p {
		switch {
		case p[i] > hi:
			n++
			if o[i] == 1 {
				right++
			}
		case p[i] < lo:
			n++
			if o[i] == 0 {
				right++
			}
		}
	}
	return n, right
}

// BlockBootstrapSkill is a percentile bootstrap interval, at the given
// level (e.g. 0.9), for Skill(Σ score, Σ ref): score[b] and ref[b] are
// the summed squared errors of the forecaster and of the reference in
// block b. Whole blocks are resampled with replacement — questions asked
// at the same origin are correlated, so the origin, not the question, is
// the unit of resampling (Künsch 1989; Wilks 2011, §5.3.5). Resamples
// whose reference sum is 0 give the Skill conventions (0 or −Inf). With
// no blocks the interval is NaN.
func BlockBootstrapSkill(score, ref []float64, resamples int, level float64, rng *rand.Rand) (lo, hi float64) {
	nb := len(score)
	if nb == 0 || resamples < 1 {
		return nan(), nan()
	}
	boot := make([]float64, resamples)
	for r := range boot {
		var s, f float64
		for range nb {
			b := rng.IntN(nb)
			s += score[b]
			f += ref[b]
		}
		boot[r] = Skill(s, f)
	}
	return percentileInterval(boot, level)
}

// percentileInterval sorts xs and returns its (1−level)/2 and
// (1+level)/2 order statistics (lower index rounded down, upper up, so
// the interval holds at least the stated share).
func percentileInterval(xs []float64, level float64) (lo, hi float64) {
	sort.Float64s(xs)
	a := (1 - level) / 2
	n := float64(len(xs) - 1)
	return xs[int(a*n)], xs[int(math.Ceil((1-a)*n))]
}
