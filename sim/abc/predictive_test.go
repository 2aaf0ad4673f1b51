package abc

import (
	"context"
	"errors"
	"math"
	"strings"
	"testing"

	"gonum.org/v1/gonum/stat/distuv"
)

// For the conjugate normal model the posterior predictive of the sample
// mean is normal with variance posterior variance + σ²/n.
func TestPosteriorPredictive(t *testing.T) {
	m := normalMean{m0: 0, s0: 2, sigma: 1, n: 20}
	ybar := 0.8
	mean, sd := m.posterior(ybar)
	p := Problem{Params: m.params(), Simulator: SimulatorFunc(m.simulate), Observed: []float64{ybar}}
	res := run(t, p, Config{Particles: 1000, Seed: 8, Generations: 6})
	cfg := PredictiveConfig{Draws: 4000, Seed: 9}
	pred, err := PosteriorPredictive(context.Background(), res.Posterior(), p.Simulator, p.Observed, []string{"ybar"}, cfg)
	if err != nil {
		t.Fatal(err)
	}
	want := distuv.Normal{Mu: mean, Sigma: math.Sqrt(sd*sd + 1.0/20)}
	t.Logf("predictive 90%% interval [%.3f, %.3f], analytic [%.3f, %.3f]; mean %.3f, analytic %.3f", pred.Lower[0], pred.Upper[0], want.Quantile(0.05), want.Quantile(0.95), pred.Mean[0], mean)
	for _, c := range []struct{ got, want float64 }{{pred.Lower[0], want.Quantile(0.05)}, {pred.Upper[0], want.Quantile(0.95)}, {pred.Mean[0], mean}} {
		if math.Abs(c.got-c.want) > 0.05 {
			t.Errorf("predictive %g, analytic %g", c.got, c.want)
		}
	}
	if !pred.Inside[0] || pred.Coverage != 1 || pred.Stats[0] != "ybar" {
		t.Errorf("observed %g not inside [%g, %g]", ybar, pred.Lower[0], pred.Upper[0])
	}
	cfg.Workers = 1
	again, _ := PosteriorPredictive(context.Background(), res.Posterior(), p.Simulator, p.Observed, nil, cfg)
	if again.Lower[0] != pred.Lower[0] || again.Mean[0] != pred.Mean[0] || again.Stats[0] != "stat0" {
		t.Error("predictive check depends on the number of workers")
	}
	bad := SimulatorFunc(func([]float64, uint64) ([]float64, error) { return nil, errors.New("boom") })
	if _, err := PosteriorPredictive(context.Background(), res.Posterior(), bad, nil, nil, cfg); err == nil || !strings.Contains(err.Error(), "boom") {
		t.Errorf("simulator error: %v", err)
	}
}
