package stats

import (
	"math"

	"gonum.org/v1/gonum/stat/distuv"
)

// Grouped accumulates an event's successes by groups of runs that share
// their parameter draw (replicates): the number of complete groups, the
// successes in them and the sum of each group's successes squared. From
// it come the Monte Carlo error of a probability when runs are grouped,
// and the spread of the probability across the parameter draws — how much
// it depends on the scenario's uncertain assumptions, as opposed to how
// precisely the runs estimate it. All counts are integers, so merging is
// exact and order-free.
type Grouped struct {
	Size   int64 `json:"size"`   // runs per group, R ≥ 1
	Groups int64 `json:"groups"` // complete groups G
	Sum    int64 `json:"sum"`    // Σ_g K_g, successes in complete groups
	SumSq  int64 `json:"sum_sq"` // Σ_g K_g²
}

// AddGroup records one complete group with k successes.
func (g *Grouped) AddGroup(k int64) {
	g.Groups++
	g.Sum += k
	g.SumSq += k * k
}

// Merge adds another accumulator of the same group size.
func (g *Grouped) Merge(o Grouped) {
	g.Groups += o.Groups
	g.Sum += o.Sum
	g.SumSq += o.SumSq
}

// groupVariance returns the mean of the group means p̄ and their unbiased
// sample variance s².
func (g Grouped) groupVariance() (mean, s2 float64) {
	G, R := float64(g.Groups), float64(g.Size)
	mean = float64(g.Sum) / (G * R)
	// Σ(K/R − p̄)² = ΣK²/R² − G·p̄², computed from integers.
	ss := float64(g.SumSq)/(R*R) - G*mean*mean
	return mean, max(0, ss) / (G - 1)
}

// SE returns the Monte Carlo standard error of the probability from the
// spread of the group means, sqrt(s²/G): with R > 1 runs sharing a
// parameter draw, runs are not independent and the binomial formula
// would be too optimistic. NaN with fewer than two groups.
func (g Grouped) SE() float64 {
	if g.Groups < 2 {
		return math.NaN()
	}
	_, s2 := g.groupVariance()
	return math.Sqrt(s2 / float64(g.Groups))
}

// Spread describes how the probability of an event varies across the
// parameter draws: the distribution of P(event | parameters).
type Spread struct {
	// SD is the estimated standard deviation of P(event | parameters)
	// across draws, with the binomial noise of R runs per draw removed:
	// V = (s² − p̄(1−p̄)/R) / (1 − 1/R), clamped at 0.
	SD float64 `json:"sd"`
	// P10, P50 and P90 are quantiles of a beta distribution with mean p̄
	// and variance V (method of moments): the 10th, 50th and 90th
	// percentiles of P(event | parameters). When V is 0 they equal p̄.
	P10 float64 `json:"p10"`
	P50 float64 `json:"p50"`
	P90 float64 `json:"p90"`
	// Resolved reports whether the spread stands out from the Monte Carlo
	// noise of the group means: V exceeds twice its standard error,
	// approximately s²·√(2/(G−1))/(1 − 1/R). When it does not, the spread
	// is too small to measure with these runs (more runs, or more draws,
	// would tell), not known to be zero.
	Resolved bool `json:"resolved"`
}

// Spread estimates the spread of the probability across parameter draws.
// It needs groups of at least two runs and at least two groups; ok is
// false otherwise.
func (g Grouped) Spread() (s Spread, ok bool) {
	if g.Size < 2 || g.Groups < 2 {
		return Spread{}, false
	}
	p, s2 := g.groupVariance()
	R := float64(g.Size)
	v := (s2 - p*(1-p)/R) / (1 - 1/R)
	seV := s2 * math.Sqrt(2/float64(g.Groups-1)) / (1 - 1/R)
	if v <= 0 || p <= 0 || p >= 1 {
		return Spread{SD: 0, P10: p, P50: p, P90: p, Resolved: false}, true
	}
	v = min(v, p*(1-p)*(1-1e-9)) // a beta needs V < p(1−p)
	n := p*(1-p)/v - 1
	b := distuv.Beta{Alpha: p * n, Beta: (1 - p) * n}
	return Spread{SD: math.Sqrt(v), P10: b.Quantile(0.1), P50: b.Quantile(0.5), P90: b.Quantile(0.9), Resolved: v > 2*seV}, true
}

// Interval95 returns the 95% Monte Carlo interval of the probability p
// estimated from all runs: the Wilson interval at the effective number of
// runs n_eff = p(1−p)/SE², with SE from the group means (so that runs
// sharing a parameter draw count for what they are worth). With groups of
// one run, or too few groups to estimate SE, it is p's own Wilson
// interval.
func (g Grouped) Interval95(p Proportion) (lo, hi float64) {
	se := g.SE()
	q := p.P()
	if g.Size < 2 || math.IsNaN(se) || se == 0 || q <= 0 || q >= 1 {
		return p.Wilson95()
	}
	return wilson(q, q*(1-q)/(se*se), Z95)
}
