package abc_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"

	"github.com/geosim/geosim/sim/abc"
	"github.com/geosim/geosim/sim/dist"
)

// Fit a monthly launch probability to a record of 9 launch months out of
// 30. The statistic is the number of launch months; with a beta(2, 3)
// prior the exact posterior is beta(11, 24), mean 0.314, sd 0.077.
func Example() {
	simulate := func(theta []float64, key uint64) ([]float64, error) {
		rng := rand.New(rand.NewPCG(key, 0))
		months := 0.0
		for range 30 {
			if rng.Float64() < theta[0] {
				months++
			}
		}
		return []float64{months}, nil
	}
	res, err := abc.Run(context.Background(), abc.Problem{
		Params:    []abc.Param{{Name: "launch_probability", Prior: dist.Beta{Alpha: 2, Beta: 3}}},
		Simulator: abc.SimulatorFunc(simulate),
		Observed:  []float64{9},
		Stats:     []string{"launch_months"},
	}, abc.Config{Particles: 1000, Seed: 1})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return
	}
	s := abc.Summarize(res, nil)
	p := s.Params[0]
	fmt.Printf("stopped: %s at tolerance %g\n", res.Stop, res.Generations[len(res.Generations)-1].Tolerance)
	fmt.Printf("posterior mean %.2f, sd %.2f, 90%% interval [%.2f, %.2f]\n", p.PosteriorMean, p.PosteriorSD, p.PosteriorInterval90[0], p.PosteriorInterval90[1])
	// A scenario draws its parameters jointly, run by run:
	post := res.Posterior()
	fmt.Printf("run 0 draws %.3f\n", post.Draw(42, 0)[0])
	// Output:
	// stopped: tolerance_stalled at tolerance 0
	// posterior mean 0.31, sd 0.07, 90% interval [0.20, 0.45]
	// run 0 draws 0.485
}
