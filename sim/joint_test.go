package sim

import (
	"math/rand/v2"
	"testing"
	"time"

	"github.com/geosim/geosim/sim/dist"
)

// The sides screenJoints passes decideJoint change no decision: a pair
// decided with the screen's sides does what it does with both sides, and
// a pair the screen leaves out does nothing, on states and parameters
// where summits are proposed, accepted and refused.
func TestScreenSidesExact(t *testing.T) {
	ids := []string{"A", "B", "C", "D", "E"}
	sc := &Scenario{Name: "joint", Start: time.Date(2025, 9, 1, 0, 0, 0, 0, time.UTC), Steps: 6,
		Outcomes: []Outcome{{Name: "rel", Kind: "relation", Actors: [2]string{"A", "B"}}}}
	for _, id := range ids {
		sc.Actors = append(sc.Actors, Actor{ID: id, Params: map[string]dist.Dist{
			FieldRationality: dist.Uniform{Min: 0, Max: 4}}})
	}
	for k, i := range ids {
		for _, j := range ids[k+1:] {
			sc.Incentives = append(sc.Incentives, Incentive{From: i, To: j, Action: "summit", Value: dist.Uniform{Min: -2, Max: 6}},
				Incentive{From: j, To: i, Action: "summit", Value: dist.Uniform{Min: -6, Max: 4}})
		}
	}
	m, err := Compile(sc)
	if err != nil {
		t.Fatal(err)
	}
	w := NewWorkspace(m)
	pl := &m.plan
	r := rand.New(rand.NewPCG(5, 6))
	outcome := func(d *jointDec, mk uint64, sides int) [4]uint64 {
		w.clearActions()
		w.decideJoint(d, mk, sides)
		return [4]uint64{w.did[d.i*m.n+d.j], w.did[d.j*m.n+d.i], w.held[d.i*m.n+d.j], w.held[d.j*m.n+d.i]}
	}
	ruled, listed := 0, 0
	for run := range uint64(300) {
		w.Run(7, run)
		w.coefs()
		for range 50 {
			mk := r.Uint64()
			w.screenJoints(mk, -1)
			sides := make([]int, len(pl.joints))
			for _, x := range w.jointTodo {
				sides[x>>2] = x & 3
			}
			for k := range pl.joints {
				d := &pl.joints[k]
				want := outcome(d, mk, 3)
				if got := outcome(d, mk, sides[k]); got != want {
					t.Fatalf("run %d, pair %d-%d, sides %b: %v, with both sides %v", run, d.i, d.j, sides[k], got, want)
				}
				if sides[k] != 3 {
					ruled++
				}
				if want != ([4]uint64{}) {
					listed++
				}
			}
		}
	}
	if ruled == 0 || listed == 0 {
		t.Fatalf("the test ruled out %d sides and saw %d pairs act", ruled, listed)
	}
	t.Logf("%d pairs with a side ruled out, %d pairs acting", ruled, listed)
}
