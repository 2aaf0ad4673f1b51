package sim_test

import (
	"context"
	"fmt"

	"github.com/geosim/geosim/sim"
	"github.com/geosim/geosim/sim/scenario"
)

// ExampleRun runs the flagship scenario with a fixed seed. The output
// pins a few results, so that any change to the model's behaviour shows
// up in review as a change to this example.
func ExampleRun() {
	f, err := scenario.Load("../scenarios/beijing-parade-2025.toml")
	if err != nil {
		fmt.Println(err)
		return
	}
	m := f.Model
	res, err := sim.Run(context.Background(), m, sim.Config{Runs: 4000, Seed: 1})
	if err != nil {
		fmt.Println(err)
		return
	}
	for k, e := range m.Events() {
		p := res.Events[k].Occurred
		lo, hi := p.Wilson95()
		fmt.Printf("%-20s %5.3f [%5.3f, %5.3f]\n", e.Name, p.P(), lo, hi)
	}
	for k, o := range m.Outcomes()[:3] {
		fmt.Printf("%-20s mean %6.3f\n", o.Name, res.Outcomes[k].Moments.Mean())
	}
	// Output:
	// kim_trump_summit     0.230 [0.217, 0.243]
	// kim_xi_summit        0.382 [0.367, 0.397]
	// kim_putin_summit     0.298 [0.285, 0.313]
	// nuclear_test         0.026 [0.021, 0.031]
	// dprk_rus_cooling     0.066 [0.059, 0.074]
	// ukraine_ceasefire    0.690 [0.675, 0.704]
	// sanctions_relief     0.205 [0.193, 0.218]
	// dprk_chn_end         mean  3.452
	// dprk_rus_end         mean  5.326
	// dprk_usa_end         mean -4.938
}
