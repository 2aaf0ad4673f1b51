package sim

import (
	"math"
	"testing"
	"time"

	"github.com/geosim/geosim/sim/dist"
)

// shockScenario returns a two-actor scenario whose shocks all fire in
// month 0.
func shockScenario(shocks ...Shock) *Scenario {
	return &Scenario{
		Name: "order", Start: time.Date(2025, 9, 1, 0, 0, 0, 0, time.UTC), Steps: 2,
		Actors:   []Actor{{ID: "A"}, {ID: "B"}},
		Outcomes: []Outcome{{Name: "rel", Kind: "relation", Actors: [2]string{"A", "B"}}},
		Shocks:   shocks,
	}
}

func powerEffect(op string, v float64) Effect {
	return Effect{Op: op, Target: "actor.A.power", Value: dist.Fixed{Value: v}}
}

// TestShockEffectOrder pins docs/MODEL.md §5.1: a shock applies its sets,
// then its multiplies, then its adds, whatever order they are given in,
// clamping to the target's range after each; shocks firing in the same
// month apply in declaration order (not by name).
func TestShockEffectOrder(t *testing.T) {
	now := dist.Fixed{Value: 0}
	cases := []struct {
		name   string
		shocks []Shock
		want   float64
	}{
		// set 0.3, ×2, +0.1 = 0.7; given in the order add, set, multiply.
		{"one shock", []Shock{{Name: "s", Month: now, Effects: []Effect{powerEffect("add", 0.1), powerEffect("set", 0.3), powerEffect("multiply", 2)}}}, 0.7},
		// z_first (0.7) then a_second (×0.5): 0.35. By name it would be
		// 0.5·0.5 = 0.25, then set 0.3, ×2, +0.1 = 0.7.
		{"declaration order", []Shock{
			{Name: "z_first", Month: now, Effects: []Effect{powerEffect("add", 0.1), powerEffect("set", 0.3), powerEffect("multiply", 2)}},
			{Name: "a_second", Month: now, Effects: []Effect{powerEffect("multiply", 0.5)}},
		}, 0.35},
		// set 0.9, ×2 = 1.8 clamped to 1, −0.5 = 0.5 (clamping only at
		// the end would give 1).
		{"clamped after each effect", []Shock{{Name: "s", Month: now, Effects: []Effect{powerEffect("add", -0.5), powerEffect("multiply", 2), powerEffect("set", 0.9)}}}, 0.5},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			m, err := Compile(shockScenario(c.shocks...))
			if err != nil {
				t.Fatal(err)
			}
			target, _ := m.ParamIndex("actor.A.power")
			w := NewWorkspace(m)
			w.Sample(1, 0)
			w.shockTimes(1, 0)
			w.fireShocks(0)
			if got := w.p[target]; math.Abs(got-c.want) > 1e-12 {
				t.Errorf("power after the shocks = %v, want %v", got, c.want)
			}
			for k, s := range m.Shocks() {
				if s.Name != c.shocks[k].Name {
					t.Errorf("shock %d is %s, want %s (declaration order)", k, s.Name, c.shocks[k].Name)
				}
			}
		})
	}
}
