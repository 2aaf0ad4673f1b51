package sim

import (
	"math"
	"math/rand/v2"
	"testing"
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
