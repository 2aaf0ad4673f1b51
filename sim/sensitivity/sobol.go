package sensitivity

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"sort"

	"github.com/geosim/geosim/sim/dist"
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
	Inputs      []string       `json:"inputs"`
	Outputs     []SobolIndices `json:"outputs"`
	N           int            `json:"n"`
	Evaluations int            `json:"evaluations"`
	Warnings    []Warning      `json:"warnings"`
}

// MinSobolN is the smallest base sample accepted; below 1,000 a warning
// says the indices are unreliable.
const MinSobolN = 64

// Sobol estimates first-order and total Sobol indices of every output.
//
// Design (Saltelli 2010): two independent N×d sample matrices A and B,
// each row drawn by inversion of independent uniforms from the inputs'
// distributions, and for each input i the matrix AB_i — A with column i
// taken from B: N·(d+2) evaluations. Estimators, with V the variance of
// the 2N outputs of A and B:
//
//	S1_i = (1/N) Σ_j f(B)_j (f(AB_i)_j − f(A)_j) / V     (Saltelli 2010)
//	ST_i = (1/2N) Σ_j (f(A)_j − f(AB_i)_j)² / V          (Jansen 1999)
//
// 95% intervals are bootstrap percentile intervals: rows j resampled
// with replacement cfg.Bootstrap times. Warnings flag a small N, outputs
// that do not vary, clearly negative first-order estimates, and inputs
// whose intervals are too wide to rank them.
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

// sobolDesign returns the rows A, B, AB_1, …, AB_d.
func sobolDesign(inputs []Input, cfg Config) [][]float64 {
	d, n := len(inputs), cfg.N
	rng := rand.New(rand.NewPCG(cfg.Seed, 0x50b01))
	sample := func() [][]float64 {
		m := make([][]float64, n)
		for j := range m {
			m[j] = make([]float64, d)
			for i, in := range inputs {
				m[j][i] = in.Dist.Quantile(dist.Unit(rng.Uint64()))
			}
		}
		return m
	}
	a, b := sample(), sample()
	xs := make([][]float64, 0, n*(d+2))
	xs = append(xs, a...)
	xs = append(xs, b...)
	for i := 0; i < d; i++ {
		for j := 0; j < n; j++ {
			row := append([]float64(nil), a[j]...)
			row[i] = b[j][i]
			xs = append(xs, row)
		}
	}
	return xs
}

// Sobol computes the indices from the outputs ys of every row of the
// plan's design, in order.
func (p *Plan) Sobol(ys [][]float64, outputs []string) *SobolResult {
	inputs, cfg := p.Inputs, p.cfg
	d, n := len(inputs), cfg.N
	res := &SobolResult{N: n, Evaluations: len(p.X)}
	for _, in := range inputs {
		res.Inputs = append(res.Inputs, in.Name)
	}
	if n < 1000 {
		res.Warnings = append(res.Warnings, Warning{Msg: fmt.Sprintf("N = %d is small: Sobol indices typically need thousands of base samples; raise -n", n)})
	}
	boots := cfg.Bootstrap
	if boots <= 0 {
		boots = 500
	}
	// The same resamples for every output and input, so that intervals
	// are comparable.
	brng := rand.New(rand.NewPCG(cfg.Seed, 0xb007))
	resamples := make([][]int32, boots)
	for r := range resamples {
		resamples[r] = make([]int32, n)
		for j := range resamples[r] {
			resamples[r][j] = int32(brng.IntN(n))
		}
	}
	fa, fb, fab := make([]float64, n), make([]float64, n), make([]float64, n)
	for k, name := range outputs {
		for j := 0; j < n; j++ {
			fa[j], fb[j] = ys[j][k], ys[n+j][k]
		}
		idx := SobolIndices{Output: name, Variance: variance2(fa, fb)}
		if idx.Variance <= 0 {
			res.Warnings = append(res.Warnings, Warning{Output: name, Msg: "does not vary over the inputs: no indices"})
			for range inputs {
				idx.S1 = append(idx.S1, Estimate{math.NaN(), math.NaN(), math.NaN()})
				idx.ST = append(idx.ST, Estimate{math.NaN(), math.NaN(), math.NaN()})
			}
			res.Outputs = append(res.Outputs, idx)
			continue
		}
		for i := 0; i < d; i++ {
			for j := 0; j < n; j++ {
				fab[j] = ys[(2+i)*n+j][k]
			}
			s1, st := sobolPair(fa, fb, fab, nil)
			bs1, bst := make([]float64, boots), make([]float64, boots)
			for r, rs := range resamples {
				bs1[r], bst[r] = sobolPair(fa, fb, fab, rs)
			}
			idx.S1 = append(idx.S1, percentile(s1, bs1))
			idx.ST = append(idx.ST, percentile(st, bst))
		}
		res.Warnings = append(res.Warnings, rankWarnings(name, res.Inputs, idx)...)
		res.Outputs = append(res.Outputs, idx)
	}
	return res
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
