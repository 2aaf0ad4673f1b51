package experiment

import (
	"context"
	"math"
	"strconv"

	"github.com/geosim/geosim/sim"
	"github.com/geosim/geosim/sim/dist"
)

var nan = math.NaN()

// Overrides returns the parameter values a point sets, as fixed
// distributions; NaN values (factors a one-at-a-time point leaves alone)
// are left out.
func (p Point) Overrides(factors []Factor) map[string]dist.Dist {
	o := map[string]dist.Dist{}
	for i, f := range factors {
		if !math.IsNaN(p.Values[i]) {
			o[f.Path] = dist.Fixed{Value: p.Values[i]}
		}
	}
	return o
}

// Model returns the model of the design point: the base with the
// point's values.
func (p Point) Model(base *sim.Model, factors []Factor) (*sim.Model, error) {
	return base.With(p.Overrides(factors))
}

// Check builds every point's model in turn, so that every point's values
// are checked before anything runs, without keeping the models (a design
// of 100,000 points held that many models: 3.5-6.7 GB before the first
// point ran). The error of the first invalid point says which.
func Check(base *sim.Model, factors []Factor, points []Point) error {
	for k, p := range points {
		if _, err := p.Model(base, factors); err != nil {
			return &PointError{Point: k, Values: p.Values, Factors: factors, Err: err}
		}
	}
	return nil
}

// PointError reports a design point whose values are invalid.
type PointError struct {
	Point   int
	Values  []float64
	Factors []Factor
	Err     error
}

func (e *PointError) Error() string {
	return "design point " + strconv.Itoa(e.Point) + ": " + e.Err.Error()
}

func (e *PointError) Unwrap() error { return e.Err }

// RunPoint runs one design point. Every point uses the same seed and run
// indices, hence the same random streams: common random numbers.
func RunPoint(ctx context.Context, m *sim.Model, runs int, seed uint64, workers int) (*sim.Result, error) {
	return sim.Run(ctx, m, sim.Config{Runs: runs, Seed: seed, Workers: workers})
}
