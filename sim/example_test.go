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
		// Runs come in groups sharing a parameter draw: the Monte Carlo
		// interval comes from the spread of the groups.
		lo, hi := res.Events[k].Grouped.Interval95(p)
		fmt.Printf("%-20s %5.3f [%5.3f, %5.3f]\n", e.Name, p.P(), lo, hi)
	}
	for k, o := range m.Outcomes()[:3] {
		fmt.Printf("%-20s mean %6.3f\n", o.Name, res.Outcomes[k].Moments.Mean())
	}
	// Output:
	// kim_trump_summit     0.121 [0.100, 0.146]
	// kim_xi_summit        0.045 [0.036, 0.057]
	// kim_putin_summit     0.848 [0.809, 0.881]
	// kim_lee_summit       0.001 [0.000, 0.003]
	// china_supply_cut     0.001 [0.000, 0.002]
	// nuclear_test         0.070 [0.062, 0.079]
	// dprk_rus_cooling     0.204 [0.185, 0.224]
	// ukraine_ceasefire    0.673 [0.648, 0.698]
	// dprk_engagement      0.079 [0.069, 0.089]
	// sanctions_relief     0.188 [0.169, 0.208]
	// dprk_chn_end         mean  3.260
	// dprk_rus_end         mean  5.507
	// dprk_usa_end         mean -6.171
}
