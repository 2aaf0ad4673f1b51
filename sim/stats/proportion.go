package stats

import "math"

// Proportion counts successes in trials.
type Proportion struct {
	Successes int64 `json:"successes"`
	Trials    int64 `json:"trials"`
}

// Add records one trial.
func (p *Proportion) Add(success bool) {
	p.Trials++
	if success {
		p.Successes++
	}
}

// Merge adds another count.
func (p *Proportion) Merge(o Proportion) {
	p.Successes += o.Successes
	p.Trials += o.Trials
}

// P returns the estimated probability (NaN with no trials).
func (p Proportion) P() float64 { return float64(p.Successes) / float64(p.Trials) }

// SE returns the Monte Carlo standard error sqrt(p(1−p)/n).
func (p Proportion) SE() float64 {
	q := p.P()
	return math.Sqrt(q * (1 - q) / float64(p.Trials))
}

// Wilson returns the Wilson score interval at normal quantile z (Wilson
// 1927; recommended by Brown, Cai & DasGupta 2001). Unlike p ± z·SE it
// stays inside [0, 1] and does not collapse to a point when no run, or
// every run, saw the event.
func (p Proportion) Wilson(z float64) (lo, hi float64) {
	n := float64(p.Trials)
	if n == 0 {
		return 0, 1
	}
	lo, hi = wilson(p.P(), n, z)
	// At the ends the bound is exactly 0 or 1 (centre = half); computed,
	// it came out as 1.08e-19 or 1 − 1e-16.
	if p.Successes == 0 {
		lo = 0
	}
	if p.Successes == p.Trials {
		hi = 1
	}
	return lo, hi
}

// wilson is the Wilson score interval of a proportion q observed in n
// trials (n may be an effective number).
func wilson(q, n, z float64) (lo, hi float64) {
	z2 := z * z
	centre := (q + z2/(2*n)) / (1 + z2/n)
	half := z / (1 + z2/n) * math.Sqrt(q*(1-q)/n+z2/(4*n*n))
	lo, hi = math.Max(0, centre-half), math.Min(1, centre+half)
	if q == 0 { // exactly 0 and 1 at the ends, not a rounding residue
		lo = 0
	}
	if q == 1 {
		hi = 1
	}
	return lo, hi
}

// Wilson95 returns the 95% Wilson interval.
func (p Proportion) Wilson95() (lo, hi float64) { return p.Wilson(Z95) }
