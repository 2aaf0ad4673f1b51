package sim

import (
	"math"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/geosim/geosim/sim/dist"
)

// hazardTaken decides as the rule with hazardProb (taken iff p > 0 and
// (p ≥ 1 or u < p)) on random states with covariates of every kind,
// coefficients of both signs and 0, with and without the month's threats
// from coefs (their rows, or an actor's largest on the diagonal), for
// rates in (0, 1) and uniforms next to p and next to the bound of
// hazardEta; and hazardEta's exact η has the bits of hazardProb's.
func TestHazardTakenMatchesRule(t *testing.T) {
	r := rand.New(rand.NewPCG(21, 22))
	pick := func(vals ...float64) float64 { return vals[r.IntN(len(vals))] }
	kinds := []byte("srmdtl")
	for range 20_000 {
		n := 2 + r.IntN(5)
		nn := n * n
		m := &Model{n: n}
		for i := 0; i < n; i++ {
			m.plan.lostActors = append(m.plan.lostActors, i)
		}
		w := &Workspace{m: m, p: make([]float64, nn+4), s: make([]float64, nn), mem: make([]float64, nn),
			phi: make([]float64, nn), tradeNorm: make([]float64, nn), threat: make([]float64, nn),
			power: make([]float64, n), lostHi: make([]float64, n)}
		for j := range w.power {
			w.power[j] = pick(0, 1, 0.15, r.Float64())
		}
		for ij := 0; ij < nn; ij++ {
			w.s[ij] = pick(-10, 10, 0, 20*r.Float64()-10)
			w.mem[ij] = pick(0, r.NormFloat64()*5)
			w.phi[ij] = pick(0, 1, 3, 3*r.Float64())
			w.p[ij] = pick(0, 1, r.Float64())
			w.tradeNorm[ij] = w.p[ij]
			if s := w.s[ij]; s < 0 { // as coefsGo: (−P_j)·s_ij
				w.threat[ij] = -w.power[ij%n] * s
			}
		}
		w.setLostHi()
		for i := 0; i < n; i++ { // as coefs for actors with broadcast choices
			w.threat[i*n+i] = w.threatOf(i)
		}
		var covs []covariate
		for k := range 1 + r.IntN(4) {
			a, b := r.IntN(n), r.IntN(n-1)
			if b >= a {
				b++
			}
			kind := kinds[r.IntN(len(kinds))]
			covs = append(covs, covariate{kind: kind, a: a, b: b, coef: nn + k, diag: kind == 't' && r.IntN(2) == 0, ab: a*n + b, ba: b*n + a})
			w.p[nn+k] = pick(0, 0.1, -0.15, 3, -3, r.NormFloat64()*2)
		}
		rate := pick(1e-9, 0.0005, 0.006, 0.2, 0.5, 0.999, unit(r.Uint64()))
		extra := pick(0, 0, r.NormFloat64())
		eta := extra
		for k := range covs {
			eta += w.p[covs[k].coef] * w.covariateValue(&covs[k])
		}
		for _, fresh := range []bool{false, true} {
			if got, _ := w.hazardEta(covs, extra, fresh, false); math.Float64bits(got) != math.Float64bits(eta) {
				t.Fatalf("hazardEta = %v, hazardProb's η = %v", got, eta)
			}
		}
		p := w.hazardProb(rate, covs, extra)
		bound, _ := w.hazardEta(covs, extra, false, true)
		if !(bound >= eta) && !math.IsNaN(bound) {
			t.Fatalf("bound %v below η %v", bound, eta)
		}
		edge := roughExp(bound) * 1.00035 * -math.Log1p(-rate) * (1 + 1e-12)
		var c logSurv
		for _, u := range []float64{unit(r.Uint64()), p, math.Nextafter(p, 0), math.Nextafter(p, 1), p * 1.0001, p * 0.9999, p * 1.1,
			edge, math.Nextafter(edge, 0), math.Nextafter(edge, 1)} {
			if !(u > 0 && u < 1) {
				continue
			}
			want := p > 0 && (p >= 1 || u < p)
			for _, fresh := range []bool{false, true} {
				if got := w.hazardTaken(rate, covs, extra, u, &c, fresh); got != want {
					t.Fatalf("rate %v, η %v, u %v, fresh %v: decided %v, the rule says %v (p = %v)", rate, eta, u, fresh, got, want, p)
				}
			}
		}
	}
}

// The threats decideHazard reads after coefs (fresh: the diagonal for an
// actor with broadcast choices, the row for one without) are those
// threatOf computes, on the states of real runs with the kernel in use.
func TestHazardFreshThreats(t *testing.T) {
	sc := &Scenario{Name: "threats", Start: time.Date(2025, 9, 1, 0, 0, 0, 0, time.UTC), Steps: 12,
		Outcomes: []Outcome{{Name: "rel", Kind: "relation", Actors: [2]string{"A", "B"}}},
		Hazards: []Hazard{{Actor: "A", Action: "nuclear_test", Rate: dist.Uniform{Min: 0.01, Max: 0.2}, Covariates: []Covariate{
			{Variable: "threat.C", Coef: dist.Fixed{Value: 0.3}}, {Variable: "threat.B", Coef: dist.Fixed{Value: -0.2}}}}}}
	for _, id := range []string{"A", "B", "C", "D"} {
		a := Actor{ID: id, Params: map[string]dist.Dist{FieldPower: dist.Uniform{Min: 0, Max: 1}}}
		if id == "B" {
			a.Exclude = []string{"weapons_test", "nuclear_test"} // no broadcast choice: its threat is a row's largest
		}
		sc.Actors = append(sc.Actors, a)
	}
	for _, p := range [][2]string{{"A", "B"}, {"B", "A"}, {"B", "C"}, {"C", "D"}, {"C", "A"}, {"D", "B"}} {
		sc.Stance = append(sc.Stance, Tie{From: p[0], To: p[1], Value: dist.Uniform{Min: -8, Max: 2}})
	}
	m, err := Compile(sc)
	if err != nil {
		t.Fatal(err)
	}
	var covs []covariate
	for _, l := range m.covariateLists() {
		covs = append(covs, l...)
	}
	diag := 0
	for _, cv := range covs {
		if cv.diag {
			diag++
		}
	}
	if len(covs) != 2 || diag != 1 {
		t.Fatalf("%d threat covariates, %d on the diagonal: want 2 and 1", len(covs), diag)
	}
	w := NewWorkspace(m)
	for run := range uint64(200) {
		w.Run(3, run)
		w.coefs()
		for _, cv := range covs {
			one := []covariate{cv}
			fresh, _ := w.hazardEta(one, 0, true, false)
			want, _ := w.hazardEta(one, 0, false, false)
			if math.Float64bits(fresh) != math.Float64bits(want) {
				t.Fatalf("run %d, threat of %d (diagonal %v): %v from coefs, %v from threatOf", run, cv.a, cv.diag, fresh, want)
			}
		}
	}
}

// hazardHi is a bound for the whole run: on random states whose stances
// lie on the Goldstein scale or at their baselines (some beyond it),
// with threats from the powers of the parameter vector and lost trade up
// to lostHi, every uniform at or above it is one the rule does not take
// (and hazardTaken agrees); the bound is below 1, so that it settles
// some uniforms, in a fifth of the draws at least (their coefficients
// are often large).
func TestHazardHiBoundsRun(t *testing.T) {
	r := rand.New(rand.NewPCG(23, 24))
	pick := func(vals ...float64) float64 { return vals[r.IntN(len(vals))] }
	kinds := []byte("srtl")
	settled, draws := 0, 0
	for range 20_000 {
		n := 2 + r.IntN(5)
		nn := n * n
		m := &Model{n: n, actorSlot0: nn + 4}
		m.stanceSlot0 = m.actorSlot0 + n*numActorFields
		for i := 0; i < n; i++ {
			m.plan.lostActors = append(m.plan.lostActors, i)
		}
		for ij := 0; ij < nn; ij++ {
			m.plan.boundStances = append(m.plan.boundStances, ij)
		}
		w := &Workspace{m: m, p: make([]float64, m.stanceSlot0+nn), s: make([]float64, nn), mem: make([]float64, nn),
			phi: make([]float64, nn), tradeNorm: make([]float64, nn), threat: make([]float64, nn),
			power: make([]float64, n), lostHi: make([]float64, n)}
		for j := range w.power {
			w.power[j] = pick(0, 1, 0.15, r.Float64())
			w.p[m.actorSlot0+j*numActorFields+fPower] = w.power[j]
		}
		for ij := 0; ij < nn; ij++ {
			b := pick(-12, 11, -10, 10, 20*r.Float64()-10)
			w.p[m.stanceSlot0+ij] = b
			w.s[ij] = pick(b, -10, 10, 0, 20*r.Float64()-10)
			w.phi[ij] = pick(0, 1, 3, 3*r.Float64())
			w.p[ij] = pick(0, 1, r.Float64())
			w.tradeNorm[ij] = w.p[ij]
			if s := w.s[ij]; s < 0 {
				w.threat[ij] = -w.power[ij%n] * s
			}
		}
		w.setLostHi()
		w.setRunBounds(true)
		for i := 0; i < n; i++ {
			w.threat[i*n+i] = w.threatOf(i)
		}
		var covs []covariate
		for k := range 1 + r.IntN(4) {
			a, b := r.IntN(n), r.IntN(n-1)
			if b >= a {
				b++
			}
			kind := kinds[r.IntN(len(kinds))]
			covs = append(covs, covariate{kind: kind, a: a, b: b, coef: nn + k, diag: kind == 't' && r.IntN(2) == 0, ab: a*n + b, ba: b*n + a})
			w.p[nn+k] = pick(0, 0.1, -0.15, 3, -3, r.NormFloat64()*2)
		}
		rate := pick(1e-9, 0.0005, 0.006, 0.2, 0.5, 0.999, unit(r.Uint64()))
		var c logSurv
		hi := w.hazardHi(rate, covs, &c)
		draws++
		if hi < 1 {
			settled++
		}
		p := w.hazardProb(rate, covs, 0)
		for _, u := range []float64{unit(r.Uint64()), hi, math.Nextafter(hi, 2), hi * 1.001, p, math.Nextafter(p, 1)} {
			if !(u > 0 && u < 1) || u < hi {
				continue
			}
			if p > 0 && (p >= 1 || u < p) {
				t.Fatalf("rate %v, covariates %+v: u %v at or above the run's bound %v, but the rule takes it (p = %v)", rate, covs, u, hi, p)
			}
			for _, fresh := range []bool{false, true} {
				if w.hazardTaken(rate, covs, 0, u, &c, fresh) {
					t.Fatalf("rate %v: u %v at or above the run's bound %v, but hazardTaken takes it", rate, u, hi)
				}
			}
		}
	}
	if settled < draws/5 {
		t.Fatalf("the bound settles uniforms in %d of %d draws", settled, draws)
	}
}

// boundEta computes the same η and exactness as hazardEta with bound
// (and extra 0, fresh false) on random stances, received signals, lost
// trade bounds and coefficients of either sign, signed zeros included;
// a covariate of another kind leaves a shock without terms.
func TestBoundEtaMatchesHazardEta(t *testing.T) {
	r := rand.New(rand.NewPCG(31, 32))
	pick := func() float64 {
		switch r.IntN(6) {
		case 0:
			return 0
		case 1:
			return math.Copysign(0, -1)
		default:
			return r.NormFloat64() * 4
		}
	}
	kinds := []byte("sml")
	for range 5_000 {
		n := 2 + r.IntN(4)
		nn := n * n
		w := &Workspace{m: &Model{n: n}, p: make([]float64, 8), s: make([]float64, nn), mem: make([]float64, nn), lostHi: make([]float64, n)}
		for _, v := range [][]float64{w.p, w.s, w.mem, w.lostHi} {
			for k := range v {
				v[k] = pick()
			}
		}
		covs := make([]covariate, 1+r.IntN(4))
		for k := range covs {
			a, b := r.IntN(n), r.IntN(n)
			covs[k] = covariate{kind: kinds[r.IntN(len(kinds))], a: a, b: b, coef: r.IntN(len(w.p)), ab: a*n + b, ba: b*n + a}
		}
		terms := newEtaTerms(w, covs)
		if terms == nil {
			t.Fatalf("no terms for %v", covs)
		}
		got, gotExact := boundEta(terms)
		want, wantExact := w.hazardEta(covs, 0, false, true)
		if math.Float64bits(got) != math.Float64bits(want) || gotExact != wantExact {
			t.Fatalf("covariates %v: boundEta %v (exact %v), hazardEta %v (exact %v)", covs, got, gotExact, want, wantExact)
		}
		if newEtaTerms(w, append(covs, covariate{kind: "rdt"[r.IntN(3)]})) != nil {
			t.Fatal("terms for a covariate of another kind")
		}
	}
}
