package calibration

import (
	"context"
	"fmt"
	"math"
	"runtime"
	"sync"
	"sync/atomic"

	"gonum.org/v1/gonum/mat"

	"github.com/geosim/geosim/sim/abc"
)

// Ways the statistics enter the distance (Spec.Summaries).
const (
	// SummariesStatistics: every statistic, in units of its sampling
	// noise (StatInfo.Scaled).
	SummariesStatistics = "statistics"
	// SummariesRegression: one summary per parameter, the parameter's
	// value predicted from the statistics by a regression fitted to
	// prior simulations (semi-automatic ABC, Fearnhead & Prangle 2012).
	SummariesRegression = "regression"
)

// DefaultRegressionPilot is the number of prior simulations the
// regression is fitted to.
const DefaultRegressionPilot = 4000

// Projection maps a history's statistics to one summary per fitted
// parameter: the parameter's value as predicted by a linear regression
// on the statistics (each in units of its sampling noise) and their
// squares, fitted by least squares to simulations from the priors. Such a
// prediction estimates the parameter's posterior mean given the
// statistics, the summary that makes ABC's posterior mean the best the
// statistics allow (Fearnhead & Prangle 2012); with one summary per
// parameter the distance is no longer swamped by the noise of many
// statistics that each say little.
type Projection struct {
	Params []string
	// Pilot is the number of prior simulations it was fitted to.
	Pilot int
	// R2 is, per parameter, the share of its prior variance the
	// statistics explain over the pilot: near 0, the record cannot tell
	// the parameter's values apart, whatever the sampler does.
	R2 []float64

	// Residual is, per parameter, the standard deviation of the
	// regression's residuals over the pilot: the noise of its prediction.
	// Summaries are predictions divided by it, so that a unit of the
	// distance is one standard deviation of noise for every parameter and
	// well-predicted parameters weigh most.
	Residual []float64

	mean, sd []float64   // per feature: for standardising
	coef     [][]float64 // per parameter: intercept, then one per feature
}

// features writes the regression's inputs for scaled statistics x:
// each statistic and its square, standardised.
func (p *Projection) features(x, f []float64) {
	n := len(x)
	for k, v := range x {
		f[k] = v
		f[n+k] = v * v
	}
	for j := range f {
		if p.sd[j] > 0 {
			f[j] = (f[j] - p.mean[j]) / p.sd[j]
		} else {
			f[j] = 0
		}
	}
}

// Predict returns the parameters predicted from scaled statistics x.
func (p *Projection) Predict(x []float64) []float64 {
	f := make([]float64, 2*len(x))
	p.features(x, f)
	out := make([]float64, len(p.coef))
	for i, c := range p.coef {
		v := c[0]
		for j, fj := range f {
			v += c[j+1] * fj
		}
		out[i] = v
	}
	return out
}

// Apply returns the summaries of scaled statistics x: the predicted
// parameters in units of their residual standard deviation.
func (p *Projection) Apply(x []float64) []float64 {
	out := p.Predict(x)
	for i := range out {
		out[i] /= p.Residual[i]
	}
	return out
}

// Stream purposes of the regression's pilot.
const (
	seedRegressionDraws = 0x72656764 // "regd"
	purposeRegression   = 0x72656772 // "regr"
)

// fitProjection simulates n histories of the fitting window at joint
// prior draws, scales their statistics as the sampler sees them (the
// scaled simulator without a projection) and fits the projection. Draw
// i uses the same uniforms and stream whatever the number of workers,
// and the fit sums in draw order, so the projection is deterministic.
func (p *Plan) fitProjection(ctx context.Context, n, workers int) (*Projection, error) {
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	prior := p.priorSample(n, p.Spec.Seed^seedRegressionDraws)
	sim := scaled{sim: NewSimulator(p.Fit), stats: p.Fit.Stats}
	stats := make([][]float64, n)
	var next atomic.Int64
	var wg sync.WaitGroup
	for range min(workers, n) {
		wg.Go(func() {
			for ctx.Err() == nil {
				i := int(next.Add(1) - 1)
				if i >= n {
					return
				}
				// Simulator.Simulate never fails.
				stats[i], _ = sim.Simulate(prior.Rows[i], abc.StreamKey(p.Spec.Seed, 0, int64(i), purposeRegression))
			}
		})
	}
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return fitLeastSquares(p.Params, prior.Rows, stats)
}

// fitLeastSquares regresses each parameter on the features of the
// statistics (ordinary least squares through the normal equations of the
// standardised features, with a ridge of 10⁻⁸ per observation for
// features that are nearly collinear).
func fitLeastSquares(params []abc.Param, theta, stats [][]float64) (*Projection, error) {
	n, m := len(stats), len(stats[0])
	nf := 2 * m
	p := &Projection{Pilot: n, mean: make([]float64, nf), sd: make([]float64, nf)}
	for _, par := range params {
		p.Params = append(p.Params, par.Name)
	}
	raw := make([][]float64, n)
	for i, s := range stats {
		raw[i] = make([]float64, nf)
		for k, v := range s {
			raw[i][k], raw[i][m+k] = v, v*v
		}
	}
	for j := range nf {
		mean := 0.0
		for i := range n {
			mean += raw[i][j]
		}
		mean /= float64(n)
		ss := 0.0
		for i := range n {
			ss += (raw[i][j] - mean) * (raw[i][j] - mean)
		}
		p.mean[j], p.sd[j] = mean, math.Sqrt(ss/float64(n))
		if p.sd[j] < 1e-12*max(1, math.Abs(mean)) {
			p.sd[j] = 0
		}
	}
	x := mat.NewDense(n, nf+1, nil)
	f := make([]float64, nf)
	for i, s := range stats {
		p.features(s, f)
		x.Set(i, 0, 1)
		for j, v := range f {
			x.Set(i, j+1, v)
		}
	}
	var xtx mat.SymDense
	xtx.SymOuterK(1, x.T())
	for j := 1; j <= nf; j++ {
		xtx.SetSym(j, j, xtx.At(j, j)+1e-8*float64(n))
	}
	var chol mat.Cholesky
	if ok := chol.Factorize(&xtx); !ok {
		return nil, fmt.Errorf("calibration: the regression of the parameters on the statistics is singular")
	}
	y := mat.NewVecDense(n, nil)
	for i := range params {
		mean := 0.0
		for r := range n {
			y.SetVec(r, theta[r][i])
			mean += theta[r][i] / float64(n)
		}
		var xty, beta mat.VecDense
		xty.MulVec(x.T(), y)
		if err := chol.SolveVecTo(&beta, &xty); err != nil {
			return nil, fmt.Errorf("calibration: regression for %s: %w", params[i].Name, err)
		}
		var fit mat.VecDense
		fit.MulVec(x, &beta)
		res, tot := 0.0, 0.0
		for r := range n {
			res += (y.AtVec(r) - fit.AtVec(r)) * (y.AtVec(r) - fit.AtVec(r))
			tot += (y.AtVec(r) - mean) * (y.AtVec(r) - mean)
		}
		r2 := 0.0
		if tot > 0 {
			r2 = 1 - res/tot
		}
		if !(res > 0) {
			return nil, fmt.Errorf("calibration: the statistics predict %s without error over the pilot: nothing to calibrate", params[i].Name)
		}
		p.R2 = append(p.R2, r2)
		p.Residual = append(p.Residual, math.Sqrt(res/float64(n)))
		p.coef = append(p.coef, mat.Col(nil, 0, &beta))
	}
	return p, nil
}
