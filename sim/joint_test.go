package sim

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/geosim/geosim/sim/dist"
)

// The sides screenJoints passes decideJoint change no decision: the
// month it takes does what deciding every pair with both sides does; a
// pair decided with the sides read off the screen's masks does what it
// does with both sides, and with both sides and the bound tested in
// decideJoint (bit 2) too, and a pair the screen leaves out does nothing,
// on states and parameters where summits are proposed, accepted and
// refused; pairs an occasion pays for do not pass the screen (they are
// taken with both sides).
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
	outcome := func(k int, mk uint64, sides int) [4]uint64 {
		d := &pl.joints[k]
		w.clearMonth()
		w.decideJoint(k, mk, sides)
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
			// The kernel call in choose screens the proposals; the month
			// as decide then takes it, against every pair taken with
			// both sides.
			w.choose(mk, month)
			w.clearMonth()
			w.screenJoints(mk, month)
			got := [2][]uint64{slices.Clone(w.did), slices.Clone(w.held)}
			w.clearMonth()
			for k := range pl.joints {
				w.decideJoint(k, mk, 3)
			}
			if !slices.Equal(got[0], w.did) || !slices.Equal(got[1], w.held) {
				t.Fatalf("run %d, month %d: the screened month did %v held %v, with both sides %v, %v", run, month, got[0], got[1], w.did, w.held)
			}
			// The sides screenJoints passes, read off the screen's masks
			// as it reads them: each pair's decision with its sides.
			sides := make([]int, len(pl.joints))
			for _, k := range pl.jointAlways {
				sides[k] = 7
			}
			var cal []uint64
			if month >= 0 {
				cal = pl.calScreen[month]
			}
			for r := 0; r < len(w.propose.mask); r += 8 {
				word := screenWord(w.propose.mask[r:], cal, r)
				for x, k := range pl.proposeOf[2*r : min(2*r+16, len(pl.proposeOf))] {
					p := 8*(x/2) + 2*(x%2) // the byte of record r+x/2, lanes 2(x%2) and up
					if s := int(word >> uint(p) & 3); s != 0 {
						if sides[k] != 0 {
							t.Fatalf("month %d: pair %d listed twice", month, k)
						}
						sides[k] = s
					}
				}
			}
			if month >= 0 {
				for _, k := range pl.jointCal[month] {
					if sides[k] != 0 {
						t.Fatalf("month %d: pair %d, which an occasion pays for, passed the screen (sides %b)", month, k, sides[k])
					}
					sides[k] = 7
				}
			}
			if month >= 0 {
				paid += len(pl.jointCal[month])
			}
			for k := range pl.joints {
				d := &pl.joints[k]
				want := outcome(k, mk, 3)
				if got := outcome(k, mk, sides[k]); got != want {
					t.Fatalf("run %d, pair %d-%d, sides %b: %v, with both sides %v", run, d.i, d.j, sides[k], got, want)
				}
				if sides[k]&3 != 3 {
					ruled++
				}
				if got := outcome(k, mk, 7); got != want {
					t.Fatalf("run %d, pair %d-%d, bound tested in decideJoint: %v, with both sides %v", run, d.i, d.j, got, want)
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

// proposes is decideJoint's proposal rule for a side of value h and
// rationality λ whose partner values the action ho and has rationality
// λo, with the proposal's uniform u: the same lines.
func proposes(h, ho, lam, lamO, rebuff, u float64) bool {
	q := 1 / (1 + fastExpUnchecked(sigmoidArg(lamO*ho)))
	z := lam * (q*h - (1-q)*rebuff)
	p, exact := actRough(z, u)
	if exact {
		p = u*(1+fastExpUnchecked(-z)) < 1
	}
	return p
}

// proposes decides as the rule it writes out: act on
// λ·(q·h − (1 − q)·D) with q = sigmoid(λo·ho), acting iff
// u·(1 + e^(−z)) < 1 (settled beyond ±38), on random values and on
// uniforms at and next to the rule's edge.
func TestProposesMatchesRule(t *testing.T) {
	r := rand.New(rand.NewPCG(11, 12))
	pick := func(vals ...float64) float64 { return vals[r.IntN(len(vals))] }
	rule := func(z, u float64) bool {
		switch {
		case z > decisionThreshold:
			return true
		case z < -decisionThreshold:
			return false
		}
		return u*(1+fastExp(-z)) < 1
	}
	acted, refused := 0, 0
	for range 200_000 {
		h, ho := pick(0, 1, -1, 20*r.NormFloat64(), 3*r.NormFloat64()), pick(0, 2, -2, 20*r.NormFloat64(), 3*r.NormFloat64())
		lam, lamO := pick(0, 0.5, 1, 4, 100*r.Float64(), 3*r.Float64()), pick(0, 0.5, 1, 4, 100*r.Float64(), 3*r.Float64())
		rebuff := pick(0, 0.5, 2, 5*r.Float64())
		q := sigmoid(lamO * ho)
		z := lam * (q*h - (1-q)*rebuff)
		edge := 1 / (1 + fastExp(-max(min(z, 38), -38)))
		for _, u := range []float64{unit(r.Uint64()), edge, math.Nextafter(edge, 0), math.Nextafter(edge, 1), edge * 1.0001, edge * 0.9999} {
			if !(u > 0 && u < 1) {
				continue
			}
			want := rule(z, u)
			if got := proposes(h, ho, lam, lamO, rebuff, u); got != want {
				t.Fatalf("h %v, ho %v, λ %v, λo %v, D %v, u %v: proposes %v, the rule %v (z = %v)", h, ho, lam, lamO, rebuff, u, got, want, z)
			}
			if want {
				acted++
			} else {
				refused++
			}
		}
	}
	if acted < 1000 || refused < 1000 {
		t.Fatalf("%d proposals made, %d not: the test needs both", acted, refused)
	}
}
