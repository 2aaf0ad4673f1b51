package sensitivity

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
)

// MorrisLevels is the number of grid levels p of the Morris design; the
// step is Δ = p / (2(p−1)) = 2/3 of the normalised range.
const MorrisLevels = 4

// MorrisEffects are the elementary-effect statistics of one output.
type MorrisEffects struct {
	Output string     `json:"output"`
	Mu     []float64  `json:"mu"`      // mean elementary effect per input
	MuStar []Estimate `json:"mu_star"` // mean absolute elementary effect, with a bootstrap 95% interval
	Sigma  []float64  `json:"sigma"`   // standard deviation of the elementary effects
}

// MorrisResult is the outcome of a Morris screening.
type MorrisResult struct {
	Inputs       []string        `json:"inputs"`
	Outputs      []MorrisEffects `json:"outputs"`
	Trajectories int             `json:"trajectories"`
	Evaluations  int             `json:"evaluations"`
	Warnings     []Warning       `json:"warnings"`
}

// levelQuantile maps a normalised level x in [0, 1] to the probability
// at which an input's distribution is evaluated: the p levels sit at the
// midpoints of p equally likely bins, (l + ½)/p.
func levelQuantile(x float64) float64 {
	return (x*(MorrisLevels-1) + 0.5) / MorrisLevels
}

// Morris screens the inputs with N random trajectories of d+1 points on a
// p = 4 level grid (Morris 1991): each trajectory starts at a random grid
// point and changes one input at a time, in random order, by Δ = 2/3 of
// the normalised range. An elementary effect is the change of the output
// divided by Δ: effects are in output units per normalised range of the
// input (from the 12.5% to the 87.5% quantile of its distribution).
// μ* (Campolongo et al. 2007) ranks importance; σ flags interactions or
// non-linearity.
func Morris(ctx context.Context, f Func, inputs []Input, outputs []string, cfg Config) (*MorrisResult, error) {
	p, err := NewPlan("morris", inputs, cfg)
	if err != nil {
		return nil, err
	}
	ys, err := p.Evaluate(ctx, f, len(outputs), 0, len(p.X))
	if err != nil {
		return nil, err
	}
	return p.Morris(ys, outputs), nil
}

// morrisDesign fills the plan's trajectories.
func (p *Plan) morrisDesign() {
	inputs, cfg := p.Inputs, p.cfg
	d, r := len(inputs), cfg.N
	delta := float64(MorrisLevels) / (2 * float64(MorrisLevels-1))
	rng := rand.New(rand.NewPCG(cfg.Seed, 0x3a77))
	levels := make([][]float64, 0, r*(d+1)) // normalised points
	p.order = make([][]int, r)
	p.sign = make([][]float64, r)
	for t := 0; t < r; t++ {
		x := make([]float64, d)
		for i := range x {
			x[i] = float64(rng.IntN(MorrisLevels)) / float64(MorrisLevels-1)
		}
		levels = append(levels, append([]float64(nil), x...))
		p.order[t] = rng.Perm(d)
		p.sign[t] = make([]float64, d)
		for _, i := range p.order[t] {
			if x[i] < 0.5 {
				x[i] += delta
				p.sign[t][i] = 1
			} else {
				x[i] -= delta
				p.sign[t][i] = -1
			}
			levels = append(levels, append([]float64(nil), x...))
		}
	}
	p.X = make([][]float64, len(levels))
	for k, lv := range levels {
		p.X[k] = make([]float64, d)
		for i, in := range inputs {
			p.X[k][i] = in.Dist.Quantile(levelQuantile(lv[i]))
		}
	}
}

// Morris computes the elementary-effect statistics from the outputs ys
// of every row of the plan's design, in order.
func (p *Plan) Morris(ys [][]float64, outputs []string) *MorrisResult {
	d, r := len(p.Inputs), p.cfg.N
	delta := float64(MorrisLevels) / (2 * float64(MorrisLevels-1))
	res := &MorrisResult{Trajectories: r, Evaluations: len(p.X)}
	for _, in := range p.Inputs {
		res.Inputs = append(res.Inputs, in.Name)
	}
	if r < 10 {
		res.Warnings = append(res.Warnings, Warning{Msg: fmt.Sprintf("%d trajectories are few: Morris screening typically uses 10 to 50", r)})
	}
	brng := rand.New(rand.NewPCG(p.cfg.Seed, 0xb008))
	const boots = 200
	resamples := make([][]int, boots)
	for b := range resamples {
		resamples[b] = make([]int, r)
		for t := range resamples[b] {
			resamples[b][t] = brng.IntN(r)
		}
	}
	ee := make([][]float64, d) // [input][trajectory]
	for i := range ee {
		ee[i] = make([]float64, r)
	}
	for k, name := range outputs {
		for t := 0; t < r; t++ {
			base := t * (d + 1)
			for step, i := range p.order[t] {
				ee[i][t] = (ys[base+step+1][k] - ys[base+step][k]) / (p.sign[t][i] * delta)
			}
		}
		eff := MorrisEffects{Output: name}
		for i := 0; i < d; i++ {
			var sum, sumAbs float64
			for _, e := range ee[i] {
				sum += e
				sumAbs += math.Abs(e)
			}
			mu, muStar := sum/float64(r), sumAbs/float64(r)
			var ss float64
			for _, e := range ee[i] {
				ss += (e - mu) * (e - mu)
			}
			bs := make([]float64, boots)
			for b, rs := range resamples {
				var s float64
				for _, t := range rs {
					s += math.Abs(ee[i][t])
				}
				bs[b] = s / float64(r)
			}
			eff.Mu = append(eff.Mu, mu)
			eff.MuStar = append(eff.MuStar, percentile(muStar, bs))
			eff.Sigma = append(eff.Sigma, math.Sqrt(ss/float64(r-1)))
		}
		res.Outputs = append(res.Outputs, eff)
	}
	return res
}
