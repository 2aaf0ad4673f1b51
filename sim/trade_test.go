package sim_test

import (
	"math"
	"slices"
	"testing"
	"time"

	"github.com/geosim/geosim/sim"
	"github.com/geosim/geosim/sim/dist"
)

// Properties of trade as a lever (docs/MODEL.md §5.5): a supply cut
// lowers the dependent side's trade, and the more it depends on the
// cutter, the more the cut changes what it does.

func date(y, m, d int) time.Time { return time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC) }

// supplyCutModels returns the flagship, with the DPRK's trade share with
// China fixed at dependence, without and with a Chinese supply cut forced
// in November 2025 (an occasion whose payoff makes it certain), and two
// outcomes: DPRK weapons-test months from December 2025 to November 2026
// and the DPRK's trade with China on 2026-01-01.
func supplyCutModels(t *testing.T, dependence float64) (without, with *sim.Model) {
	t.Helper()
	sc := *flagship(t).Scenario()
	sc.Outcomes = append(slices.Clone(sc.Outcomes),
		sim.Outcome{Name: "tests_after_cut", Kind: "count", Actor: "DPRK", Action: "weapons_test", From: date(2025, 12, 1), By: date(2026, 11, 30)},
		sim.Outcome{Name: "trade_after_cut", Kind: "trade", Actors: [2]string{"DPRK", "CHN"}, Stat: "at", At: date(2026, 1, 1)})
	sc.Trade = slices.Clone(sc.Trade)
	for k, tie := range sc.Trade {
		if tie.From == "DPRK" && tie.To == "CHN" {
			sc.Trade[k].Value = dist.Fixed{Value: dependence}
		}
	}
	var err error
	if without, err = sim.Compile(&sc); err != nil {
		t.Fatal(err)
	}
	sc.Calendar = append(slices.Clone(sc.Calendar), sim.Occasion{Name: "forced_cut", Actor: "CHN", Target: "DPRK", Action: "supply_cut",
		From: date(2025, 11, 1), By: date(2025, 11, 30), Incentive: dist.Fixed{Value: 50}})
	if with, err = sim.Compile(&sc); err != nil {
		t.Fatal(err)
	}
	return without, with
}

// A Chinese supply cut lowers the DPRK's trade with China in the months
// that follow.
func TestPropertySupplyCutLowersTrade(t *testing.T) {
	without, with := supplyCutModels(t, 0.97)
	k := outcomeIndex(t, without, "trade_after_cut")
	mean, se := paired(with, without, propertyRuns, func(o *sim.RunOutput) float64 { return o.Outcomes[k] })
	requirePositive(t, "DPRK trade with China on 2026-01-01, without minus with a November cut", mean, se)
}

// The more the DPRK depends on China, the more a Chinese supply cut
// lowers its weapons testing: the drop in test months after the cut is
// larger at a trade share of 0.97 than at 0.5 (a difference in
// differences, every model on the same random numbers).
func TestPropertyDependenceAmplifiesSupplyCut(t *testing.T) {
	lowWithout, lowWith := supplyCutModels(t, 0.5)
	highWithout, highWith := supplyCutModels(t, 0.97)
	k := outcomeIndex(t, lowWithout, "tests_after_cut")
	ws := []*sim.Workspace{sim.NewWorkspace(lowWithout), sim.NewWorkspace(lowWith), sim.NewWorkspace(highWithout), sim.NewWorkspace(highWith)}
	var sumLow, sumHigh, sum, sumSq float64
	const runs = propertyRuns
	for r := 0; r < runs; r++ {
		var v [4]float64
		for i, w := range ws {
			w.Run(99, uint64(r))
			v[i] = w.Out.Outcomes[k]
		}
		low, high := v[0]-v[1], v[2]-v[3] // test months the cut prevented
		sumLow += low
		sumHigh += high
		d := high - low
		sum += d
		sumSq += d * d
	}
	n := float64(runs)
	t.Logf("test months the cut prevents: %.3f at dependence 0.5, %.3f at 0.97", sumLow/n, sumHigh/n)
	mean := sum / n
	se := math.Sqrt((sumSq/n - mean*mean) / (n - 1))
	requirePositive(t, "cut effect on DPRK test months, dependence 0.97 minus 0.5", mean, se)
}
