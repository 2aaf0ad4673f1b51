package sensitivity

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"sort"

	"gonum.org/v1/gonum/stat/distuv"
)

// SobolIndices are the Sobol indices of one output.
type SobolIndices struct {
	Output   string     `json:"output"`
	Variance float64    `json:"variance"` // of the output over the input distribution
	S1       []Estimate `json:"s1"`       // first-order index per input
	ST       []Estimate `json:"st"`       // total index per input
}

// SobolResult is the outcome of a Sobol analysis.
type SobolResult struct {
	Inputs  []string       `json:"inputs"`
	Outputs []SobolIndices `json:"outputs"`
	// N is the base sample size (over all replicates); Evaluations =
	// N·(d+2).
	N           int `json:"n"`
	Evaluations int `json:"evaluations"`
	// Design is DesignSobol or DesignRandom; Replicates the number of
	// independently scrambled replicates (1 for the random design).
	Design     string `json:"design"`
	Replicates int    `json:"replicates"`
	// Scrambling names the randomisation of the quasi-random design.
	Scrambling string `json:"scrambling,omitempty"`
	// Intervals says how the 95% intervals were computed.
	Intervals string    `json:"intervals"`
	Warnings  []Warning `json:"warnings"`
}

// MinSobolN is the smallest base sample accepted; below 1,000 a warning
// says the indices are unreliable.
const MinSobolN = 64

// Descriptions of the randomisation and of the intervals, recorded in
// results.
const (
	OwenScrambling     = "Owen's nested uniform scrambling, hash-based, independent per replicate"
	replicateIntervals = "mean of the replicates ± t(0.975, R−1) × their standard deviation / √R"
	bootstrapIntervals = "bootstrap percentile (rows resampled with replacement)"
)

// Sobol estimates first-order and total Sobol indices of every output.
//
// Design (Saltelli 2010): two N×d sample matrices A and B, and for each
// input i the matrix AB_i — A with column i taken from B: N·(d+2)
// evaluations. By default (DesignSobol) A and B are the two halves of a
// 2d-dimensional scrambled Sobol' sequence, in cfg.Replicates
// independently scrambled replicates of N/R points each; DesignRandom
// draws them from independent pseudo-random uniforms. Estimators, over
// the n rows of a replicate, with V the variance of the 2n outputs of A
// and B:
//
//	S1_i = (1/n) Σ_j f(B)_j (f(AB_i)_j − f(A)_j) / V     (Saltelli 2010)
//	ST_i = (1/2n) Σ_j (f(A)_j − f(AB_i)_j)² / V          (Jansen 1999)
//
// 95% intervals: for the quasi-random design, each index is the mean of
// its R replicate estimates and its interval the t interval of that mean
// (the replicates are independent and identically distributed, so the
// interval is honest even though the points within a replicate are not
// independent); for the random design, bootstrap percentile intervals
// over rows resampled with replacement cfg.Bootstrap times. Warnings
// flag a small or rounded N, outputs that do not vary, clearly negative
// first-order estimates, and inputs whose intervals are too wide to rank
// them.
func Sobol(ctx context.Context, f Func, inputs []Input, outputs []string, cfg Config) (*SobolResult, error) {
	p, err := NewPlan("sobol", inputs, cfg)
	if err != nil {
		return nil, err
	}
	ys, err := p.Evaluate(ctx, f, len(outputs), 0, len(p.X))
	if err != nil {
		return nil, err
	}
	return p.Sobol(ys, outputs), nil
}

// Sobol computes the indices from the outputs ys of every row of the
// plan's design, in order.
func (p *Plan) Sobol(ys [][]float64, outputs []string) *SobolResult {
	res := &SobolResult{N: p.N, Evaluations: len(p.X), Design: p.Design, Replicates: p.Replicates}
	for _, in := range p.Inputs {
		res.Inputs = append(res.Inputs, in.Name)
	}
	res.Warnings = append(res.Warnings, p.Warnings...)
	if p.N < 1000 {
		res.Warnings = append(res.Warnings, Warning{Msg: fmt.Sprintf("N = %d is small: Sobol indices typically need thousands of base samples; raise -n", p.N)})
	}
	var estimate func(k int, name string) (SobolIndices, []Warning)
	if p.Design == DesignRandom {
		res.Intervals = bootstrapIntervals
		estimate = p.bootstrapEstimator(ys)
	} else {
		res.Scrambling, res.Intervals = OwenScrambling, replicateIntervals
		estimate = p.replicateEstimator(ys)
	}
	for k, name := range outputs {
		idx, ws := estimate(k, name)
		res.Warnings = append(res.Warnings, ws...)
		if !(idx.Variance > 0) {
			res.Warnings = append(res.Warnings, Warning{Output: name, Msg: "does not vary over the inputs: no indices"})
			idx.S1, idx.ST = nil, nil
			for range p.Inputs {
				idx.S1 = append(idx.S1, Estimate{math.NaN(), math.NaN(), math.NaN()})
				idx.ST = append(idx.ST, Estimate{math.NaN(), math.NaN(), math.NaN()})
			}
		} else {
			res.Warnings = append(res.Warnings, rankWarnings(name, res.Inputs, idx)...)
		}
		res.Outputs = append(res.Outputs, idx)
	}
	return res
}

// columns returns, for output k and the replicate whose rows start at
// base, f(A), f(B) and a function giving f(AB_i).
func columns(ys [][]float64, k, base, n int) (fa, fb []float64, fab func(i int, dst []float64)) {
	fa, fb = make([]float64, n), make([]float64, n)
	for j := 0; j < n; j++ {
		fa[j], fb[j] = ys[base+j][k], ys[base+n+j][k]
	}
	return fa, fb, func(i int, dst []float64) {
		for j := range dst {
			dst[j] = ys[base+(2+i)*n+j][k]
		}
	}
}

// bootstrapEstimator estimates the indices of the random design, with
// percentile intervals over bootstrap resamples of the rows.
func (p *Plan) bootstrapEstimator(ys [][]float64) func(int, string) (SobolIndices, []Warning) {
	d, n := len(p.Inputs), p.N
	boots := p.cfg.Bootstrap
	if boots <= 0 {
		boots = 500
	}
	// The same resamples for every output and input, so that intervals
	// are comparable.
	brng := rand.New(rand.NewPCG(p.cfg.Seed, 0xb007))
	resamples := make([][]int32, boots)
	for r := range resamples {
		resamples[r] = make([]int32, n)
		for j := range resamples[r] {
			resamples[r][j] = int32(brng.IntN(n))
		}
	}
	fab := make([]float64, n)
	return func(k int, name string) (SobolIndices, []Warning) {
		fa, fb, col := columns(ys, k, 0, n)
		idx := SobolIndices{Output: name, Variance: variance2(fa, fb)}
		if !(idx.Variance > 0) {
			return idx, nil
		}
		for i := 0; i < d; i++ {
			col(i, fab)
			s1, st := sobolPair(fa, fb, fab, nil)
			bs1, bst := make([]float64, boots), make([]float64, boots)
			for r, rs := range resamples {
				bs1[r], bst[r] = sobolPair(fa, fb, fab, rs)
			}
			idx.S1 = append(idx.S1, percentile(s1, bs1))
			idx.ST = append(idx.ST, percentile(st, bst))
		}
		return idx, nil
	}
}

// replicateEstimator estimates the indices of the quasi-random design:
// each index is the mean of its replicate estimates, with the t interval
// of that mean. Replicates in which the output does not vary are left
// out, with a warning.
func (p *Plan) replicateEstimator(ys [][]float64) func(int, string) (SobolIndices, []Warning) {
	d, reps := len(p.Inputs), p.Replicates
	n := p.N / reps
	fab := make([]float64, n)
	return func(k int, name string) (SobolIndices, []Warning) {
		idx := SobolIndices{Output: name}
		s1 := make([][]float64, d) // [input][replicate]
		st := make([][]float64, d)
		var vsum float64
		varying := 0
		for r := 0; r < reps; r++ {
			fa, fb, col := columns(ys, k, r*n*(d+2), n)
			v := variance2(fa, fb)
			if !(v > 0) {
				continue
			}
			varying++
			vsum += v
			for i := 0; i < d; i++ {
				col(i, fab)
				a, b := sobolPair(fa, fb, fab, nil)
				s1[i], st[i] = append(s1[i], a), append(st[i], b)
			}
		}
		if varying == 0 {
			return idx, nil
		}
		idx.Variance = vsum / float64(varying)
		var ws []Warning
		if varying < reps {
			ws = append(ws, Warning{Output: name, Msg: fmt.Sprintf("does not vary in %d of the %d replicates: indices from the other %d; raise N", reps-varying, reps, varying)})
		}
		for i := 0; i < d; i++ {
			idx.S1 = append(idx.S1, tInterval(s1[i]))
			idx.ST = append(idx.ST, tInterval(st[i]))
		}
		return idx, ws
	}
}

// tInterval returns the mean of independent replicate estimates with the
// 95% Student t interval of the mean; with a single replicate the
// interval is unknown (NaN).
func tInterval(xs []float64) Estimate {
	m := float64(len(xs))
	var sum float64
	for _, x := range xs {
		sum += x
	}
	mean := sum / m
	if len(xs) < 2 {
		return Estimate{Value: mean, Lo: math.NaN(), Hi: math.NaN()}
	}
	var ss float64
	for _, x := range xs {
		ss += (x - mean) * (x - mean)
	}
	half := tQuantile975(len(xs)-1) * math.Sqrt(ss/(m-1)/m)
	return Estimate{Value: mean, Lo: mean - half, Hi: mean + half}
}

// tQuantile975 is the 97.5% quantile of Student's t distribution with df
// degrees of freedom.
func tQuantile975(df int) float64 {
	return distuv.StudentsT{Mu: 0, Sigma: 1, Nu: float64(df)}.Quantile(0.975)
}

// sobolPair computes S1 and ST from the rows in rs (all rows if nil).
func sobolPair(fa, fb, fab []float64, rs []int32) (s1, st float64) {
	n := len(fa)
	var sum, sumSq, v1, vt float64
	count := n
	if rs != nil {
		count = len(rs)
	}
	for c := 0; c < count; c++ {
		j := c
		if rs != nil {
			j = int(rs[c])
		}
		a, b, ab := fa[j], fb[j], fab[j]
		sum += a + b
		sumSq += a*a + b*b
		v1 += b * (ab - a)
		vt += (a - ab) * (a - ab)
	}
	m := float64(count)
	mean := sum / (2 * m)
	v := sumSq/(2*m) - mean*mean
	if v <= 0 {
		return math.NaN(), math.NaN()
	}
	return v1 / m / v, vt / (2 * m) / v
}

func variance2(a, b []float64) float64 {
	var s, s2 float64
	for k := range a {
		s += a[k] + b[k]
		s2 += a[k]*a[k] + b[k]*b[k]
	}
	m := float64(2 * len(a))
	mean := s / m
	return s2/m - mean*mean
}

// percentile returns the estimate with the 2.5% and 97.5% percentiles of
// its bootstrap replicates.
// Replicates that are NaN (a resample in which the output did not vary)
// are left out.
func percentile(v float64, boot []float64) Estimate {
	s := make([]float64, 0, len(boot))
	for _, b := range boot {
		if !math.IsNaN(b) {
			s = append(s, b)
		}
	}
	if len(s) == 0 {
		return Estimate{Value: v, Lo: math.NaN(), Hi: math.NaN()}
	}
	sort.Float64s(s)
	q := func(p float64) float64 {
		pos := p * float64(len(s)-1)
		lo := int(math.Floor(pos))
		hi := min(lo+1, len(s)-1)
		return s[lo] + (pos-float64(lo))*(s[hi]-s[lo])
	}
	return Estimate{Value: v, Lo: q(0.025), Hi: q(0.975)}
}

// rankWarnings flags clearly negative first-order estimates and leading
// inputs whose total-index intervals overlap so much that their order is
// not known.
func rankWarnings(output string, inputs []string, idx SobolIndices) []Warning {
	var ws []Warning
	for i, e := range idx.S1 {
		if e.Hi < 0 {
			ws = append(ws, Warning{Output: output, Msg: fmt.Sprintf("first-order index of %s is negative (%.3f, 95%% interval %.3f to %.3f): sampling error; raise N", inputs[i], e.Value, e.Lo, e.Hi)})
		}
	}
	order := make([]int, len(inputs))
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(a, b int) bool { return idx.ST[order[a]].Value > idx.ST[order[b]].Value })
	for r := 0; r+1 < min(len(order), 3); r++ {
		a, b := idx.ST[order[r]], idx.ST[order[r+1]]
		if a.Value < 0.05 {
			break
		}
		if a.Lo < b.Hi && a.Hi-a.Lo > 0.5*(a.Value-b.Value)+0.02 && b.Value > 0.05 {
			ws = append(ws, Warning{Output: output, Msg: fmt.Sprintf("cannot rank %s (ST %.2f) above %s (ST %.2f): their intervals overlap; raise N", inputs[order[r]], a.Value, inputs[order[r+1]], b.Value)})
		}
	}
	return ws
}
