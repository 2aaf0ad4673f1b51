package sensitivity

import (
	"context"
	"math"
)

// OATEffect is the one-at-a-time effect of one input on one output.
type OATEffect struct {
	LowValue  float64 `json:"low_value"` // the input's 5% and 95% quantiles
	HighValue float64 `json:"high_value"`
	Low       float64 `json:"low"` // the output's mean there, others at their medians
	High      float64 `json:"high"`
	LowSE     float64 `json:"low_se"` // standard errors of those means over replicates
	HighSE    float64 `json:"high_se"`
}

// OATOutput is one output's base value and effects.
type OATOutput struct {
	Output  string      `json:"output"`
	Base    float64     `json:"base"` // mean output with every input at its median
	BaseSE  float64     `json:"base_se"`
	Effects []OATEffect `json:"effects"`
}

// OATResult is the outcome of a one-at-a-time analysis.
type OATResult struct {
	Inputs      []string    `json:"inputs"`
	Outputs     []OATOutput `json:"outputs"`
	Replicates  int         `json:"replicates"`
	Evaluations int         `json:"evaluations"`
}

// OAT moves each input alone from its median to its 5% and 95% quantiles,
// the others held at their medians: the data of a tornado chart. f
// receives one element more than there are inputs, a replicate selector
// (r + ½)/R for replicate r of cfg.N; a stochastic model uses it to pick
// its random stream (the same streams at every point, so that effects
// are paired), a deterministic one ignores it and uses N = 1. Outputs are
// means over the N replicates.
func OAT(ctx context.Context, f Func, inputs []Input, outputs []string, cfg Config) (*OATResult, error) {
	p, err := NewPlan("oat", inputs, cfg)
	if err != nil {
		return nil, err
	}
	ys, err := p.Evaluate(ctx, f, len(outputs), 0, len(p.X))
	if err != nil {
		return nil, err
	}
	return p.OAT(ys, outputs), nil
}

// oatDesign returns the base point, then each input's low and high
// points, each repeated for the cfg.N replicates.
func oatDesign(inputs []Input, reps int) [][]float64 {
	d := len(inputs)
	median := make([]float64, d)
	for i, in := range inputs {
		median[i] = in.Dist.Quantile(0.5)
	}
	var xs [][]float64
	point := func(i int, q float64) {
		for r := 0; r < reps; r++ {
			x := append(append([]float64(nil), median...), (float64(r)+0.5)/float64(reps))
			if i >= 0 {
				x[i] = inputs[i].Dist.Quantile(q)
			}
			xs = append(xs, x)
		}
	}
	point(-1, 0.5)
	for i := range inputs {
		point(i, 0.05)
		point(i, 0.95)
	}
	return xs
}

// OAT computes the effects from the outputs ys of every row of the
// plan's design, in order.
func (p *Plan) OAT(ys [][]float64, outputs []string) *OATResult {
	reps := p.cfg.N
	mean := func(pt, k int) (float64, float64) {
		var s, s2 float64
		for r := 0; r < reps; r++ {
			v := ys[pt*reps+r][k]
			s += v
			s2 += v * v
		}
		m := s / float64(reps)
		if reps < 2 {
			return m, 0
		}
		return m, math.Sqrt(math.Max(0, s2/float64(reps)-m*m) / float64(reps-1))
	}
	res := &OATResult{Replicates: reps, Evaluations: len(p.X)}
	for _, in := range p.Inputs {
		res.Inputs = append(res.Inputs, in.Name)
	}
	for k, name := range outputs {
		o := OATOutput{Output: name}
		o.Base, o.BaseSE = mean(0, k)
		for i, in := range p.Inputs {
			e := OATEffect{LowValue: in.Dist.Quantile(0.05), HighValue: in.Dist.Quantile(0.95)}
			e.Low, e.LowSE = mean(1+2*i, k)
			e.High, e.HighSE = mean(2+2*i, k)
			o.Effects = append(o.Effects, e)
		}
		res.Outputs = append(res.Outputs, o)
	}
	return res
}
