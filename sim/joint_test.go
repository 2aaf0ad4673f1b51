package sim

import (
	"math"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/geosim/geosim/sim/dist"
)

// The sides screenJoints passes decideJoint change no decision: a pair
// decided with the screen's sides does what it does with both sides, and
// a pair the screen leaves out does nothing, on states and parameters
// where summits are proposed, accepted and refused; pairs an occasion
// pays for are listed once, with both sides.
func TestScreenSidesExact(t *testing.T) {
	ids := []string{"A", "B", "C", "D", "E"}
	sc := &Scenario{Name: "joint", Start: time.Date(2025, 9, 1, 0, 0, 0, 0, time.UTC), Steps: 6,
		Outcomes: []Outcome{{Name: "rel", Kind: "relation", Actors: [2]string{"A", "B"}}},
		Calendar: []Occasion{
			{Name: "ace", Actors: []string{"A", "C", "E"}, Action: "summit", Months: []int{10}, Incentive: dist.Uniform{Min: 0, Max: 4}},
			{Name: "bd", Actors: []string{"B", "D"}, Action: "summit", Months: []int{9, 11}, Incentive: dist.Uniform{Min: -2, Max: 4}},
		}}
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
		w.clearMonth()
		w.decideJoint(d, mk, sides)
		return [4]uint64{w.did[d.i*m.n+d.j], w.did[d.j*m.n+d.i], w.held[d.i*m.n+d.j], w.held[d.j*m.n+d.i]}
	}
	ruled, listed, paid := 0, 0, 0
	for run := range uint64(300) {
		w.Run(7, run)
		w.coefs()
		for step := range 50 {
			mk, month := r.Uint64(), step%(sc.Steps+1)-1
			if month >= 0 {
				w.applyCalendar(month)
			} else {
				w.clearCalendar()
			}
			w.choose(mk, month) // its kernel call screens the proposals
			w.screenJoints(mk, month)
			sides := make([]int, len(pl.joints))
			for _, x := range w.jointTodo {
				if sides[x>>2] != 0 {
					t.Fatalf("month %d: pair %d listed twice", month, x>>2)
				}
				sides[x>>2] = x & 3
			}
			if month >= 0 {
				for _, k := range pl.jointCal[month] {
					paid++
					if sides[k] != 3 {
						t.Fatalf("month %d: pair %d, which an occasion pays for, has sides %b", month, k, sides[k])
					}
				}
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
	if ruled == 0 || listed == 0 || paid == 0 {
		t.Fatalf("the test ruled out %d sides, saw %d pairs act and %d paid for by occasions", ruled, listed, paid)
	}
	t.Logf("%d pairs with a side ruled out, %d pairs acting, %d paid for by occasions", ruled, listed, paid)
}

// sigmoid's clamp by comparisons gives the bits of the formula with the
// built-in min and max, at the clamp's ends, signed zeros, infinities
// and NaN included.
func TestSigmoidClamp(t *testing.T) {
	ref := func(z float64) float64 { return 1 / (1 + fastExp(min(max(-z, -700), 700))) }
	r := rand.New(rand.NewPCG(9, 10))
	zs := []float64{0, math.Copysign(0, -1), 700, -700, 701, -701, math.Nextafter(700, 0), math.Inf(1), math.Inf(-1), math.NaN(), 38, -38}
	for range 100_000 {
		zs = append(zs, 1600*r.Float64()-800)
	}
	for _, z := range zs {
		if got, want := sigmoid(z), ref(z); math.Float64bits(got) != math.Float64bits(want) && !(math.IsNaN(got) && math.IsNaN(want)) {
			t.Fatalf("sigmoid(%v) = %v, want %v", z, got, want)
		}
	}
}
