package output

import (
	"context"
	"os"
	"testing"

	"github.com/geosim/geosim/sim"
	"github.com/geosim/geosim/sim/scenario"
)

// constantScenario has an outcome that is the same in every run (no
// actor responds to signals, so the relation stays at its baseline) and
// an event that never occurs.
const constantScenario = `[scenario]
name = "const"
start = 2025-09-01
steps = 6

[actor.A]
responsiveness = 0
[actor.B]
responsiveness = 0

[stance.A]
B = -4.000005
[stance.B]
A = -4.000005

[outcome.rel]
kind = "relation"
actors = ["A", "B"]

[event.never]
kind = "threshold"
actors = ["A", "B"]
below = -9

[event.always]
kind = "threshold"
actors = ["A", "B"]
below = -3
`

// TestSummaryOfConstants: a constant outcome's summary has sd, se and
// interval width 0 and every quantile equal to the value (it reported
// sd 7.5e-6 in other cases and p5 = −4.0095 below the minimum
// −4.000005); an event that never occurs has a Wilson lower bound of
// exactly 0, one that always occurs an upper bound of exactly 1. The
// summary is byte-identical for 1 and 3 workers.
func TestSummaryOfConstants(t *testing.T) {
	f, err := scenario.Parse("const.toml", []byte(constantScenario))
	if err != nil {
		t.Fatal(err)
	}
	var first []byte
	for _, workers := range []int{1, 3} {
		res, err := sim.Run(context.Background(), f.Model, sim.Config{Runs: 700, Seed: 5, Workers: workers})
		if err != nil {
			t.Fatal(err)
		}
		s := Summarize(f.Model, res, Provenance{})
		o := s.Outcomes[0]
		const x = -4.000005
		if o.Mean != x || o.SD != 0 || o.SE != 0 || o.CI95 != [2]Float{x, x} || o.Min != x || o.Max != x {
			t.Errorf("constant outcome: mean %v sd %v se %v ci %v min %v max %v", o.Mean, o.SD, o.SE, o.CI95, o.Min, o.Max)
		}
		if q := o.Quantiles; q != (Quantiles{x, x, x, x, x}) {
			t.Errorf("constant outcome's quantiles %+v", q)
		}
		if lo := s.Events[0].Wilson95[0]; lo != 0 || s.Events[0].Probability != 0 {
			t.Errorf("never: p %v, lower bound %v", s.Events[0].Probability, lo)
		}
		if hi := s.Events[1].Wilson95[1]; hi != 1 || s.Events[1].Probability != 1 {
			t.Errorf("always: p %v, upper bound %v", s.Events[1].Probability, hi)
		}
		dir := t.TempDir()
		if err := Dir(dir).WriteJSON("summary.json", s); err != nil {
			t.Fatal(err)
		}
		b, _ := os.ReadFile(dir + "/summary.json")
		if first == nil {
			first = b
		} else if string(b) != string(first) {
			t.Error("summary differs between 1 and 3 workers")
		}
	}
}
