package calibration

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/geosim/geosim/sim/abc"
	"github.com/geosim/geosim/sim/dist"
)

// The regression recovers a known relation: θ₁ = 1 + 2x − 0.5x² + noise
// of sd 0.3 with x uniform on (0, 3), and θ₂ unrelated to the
// statistics (R² near 0), from 5,000 draws.
func TestRegressionKnownAnswer(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	n := 5000
	theta := make([][]float64, n)
	stats := make([][]float64, n)
	for i := range n {
		x := 3 * rng.Float64()
		theta[i] = []float64{1 + 2*x - 0.5*x*x + 0.3*rng.NormFloat64(), rng.NormFloat64()}
		stats[i] = []float64{x, rng.Float64()}
	}
	params := []abc.Param{{Name: "a", Prior: dist.Uniform{Min: 0, Max: 1}}, {Name: "b", Prior: dist.Uniform{Min: 0, Max: 1}}}
	p, err := fitLeastSquares(params, theta, stats)
	if err != nil {
		t.Fatal(err)
	}
	for _, x := range []float64{0.5, 1.5, 2.5} {
		got := p.Predict([]float64{x, 0.5})[0]
		if want := 1 + 2*x - 0.5*x*x; math.Abs(got-want) > 0.03 {
			t.Errorf("prediction at x = %g: %.4f, want %.4f", x, got, want)
		}
	}
	if math.Abs(p.Residual[0]-0.3) > 0.01 {
		t.Errorf("residual sd %.4f, want 0.3", p.Residual[0])
	}
	// Var(2x − 0.5x²) over x ~ U(0, 3) is 4·E[x²] − 2·E[x³] + E[x⁴]/4 −
	// 1.5² = 12 − 13.5 + 4.05 − 2.25 = 0.30, so R² = 0.30/(0.30 + 0.09).
	if math.Abs(p.R2[0]-0.30/0.39) > 0.02 || p.R2[1] > 0.01 {
		t.Errorf("R² %.3f and %.3f, want %.3f and 0", p.R2[0], p.R2[1], 0.30/0.39)
	}
	if got := p.Apply([]float64{1, 0.5})[0]; math.Abs(got-p.Predict([]float64{1, 0.5})[0]/p.Residual[0]) > 1e-12 {
		t.Errorf("Apply is not the prediction in residual units: %v", got)
	}
}
