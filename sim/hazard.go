package sim

import (
	"math"
	"strings"

	"github.com/geosim/geosim/internal/suggest"
)

// covariate is a compiled Covariate: a state variable of actors a (and
// b) and the slot of its coefficient.
type covariate struct {
	kind byte // 's' stance, 'r' relation, 'm' received, 'd' trade share, 't' threat, 'l' lost trade
	a, b int
	coef int
}

// hazardDecl is the compiled hazard of one (actor, target, action).
type hazardDecl struct {
	rate int // slot
	covs []covariate
}

// CovariateKinds are the state variables a hazard may depend on, with
// the number of actors each names (docs/MODEL.md §6.4).
var CovariateKinds = []struct {
	Name   string
	Actors int
	Unit   string
}{
	{"stance", 2, "Goldstein scale"},
	{"relation", 2, "Goldstein scale"},
	{"received", 2, "Goldstein points per month"},
	{"trade", 2, "share"},
	{"threat", 1, "power × Goldstein points"},
	{"lost_trade", 1, "share"},
}

var covariateCode = map[string]byte{"stance": 's', "relation": 'r', "received": 'm', "trade": 'd', "threat": 't', "lost_trade": 'l'}

// covariates resolves the covariates of a hazard declared at path.
func (c *compiler) covariates(path string, covs []Covariate) []covariate {
	var out []covariate
	seen := map[string]bool{}
	for _, cv := range covs {
		cpath := path + ".covariates." + PathKey(cv.Variable)
		if seen[cv.Variable] {
			c.probs.add(cpath, "set twice")
			continue
		}
		seen[cv.Variable] = true
		parts := strings.Split(cv.Variable, ".")
		names := make([]string, len(CovariateKinds))
		want := -1
		for k, ck := range CovariateKinds {
			names[k] = ck.Name
			if ck.Name == parts[0] {
				want = ck.Actors
			}
		}
		if want < 0 {
			c.probs.add(cpath, "unknown state variable %q (use stance.A.B, relation.A.B, received.A.B, trade.A.B, threat.A or lost_trade.A)%s", parts[0], suggest.Hint(parts[0], names))
			continue
		}
		if len(parts) != 1+want {
			c.probs.add(cpath, "%s names %d actor(s): write %s", parts[0], want, map[int]string{1: parts[0] + ".A", 2: parts[0] + ".A.B"}[want])
			continue
		}
		cov := covariate{kind: covariateCode[parts[0]], a: c.actor(cpath, parts[1]), b: -1}
		if want == 2 {
			var ok bool
			cov.a, cov.b, ok = c.pair(cpath, [2]string{parts[1], parts[2]})
			if !ok {
				continue
			}
		} else if cov.a < 0 {
			continue
		}
		if cv.Coef == nil {
			c.probs.add(cpath, "a coefficient is required")
			continue
		}
		cov.coef = c.tab.add(cpath, cv.Coef, CovariateFld)
		out = append(out, cov)
	}
	return out
}

// hazards registers the rate of every hazard-mode action each actor may
// take (0 unless the scenario sets it) and applies the scenario's
// hazard declarations.
func (c *compiler) hazards() {
	m := c.m
	n, K := m.n, len(m.actionIDs)
	m.hazard = make([]int, n*n*K)
	for k := range m.hazard {
		m.hazard[k] = -1
	}
	for i := 0; i < n; i++ {
		for a := 0; a < K; a++ {
			if m.mode[a] != 'h' || !m.available(i, a) {
				continue
			}
			for j := 0; j < n; j++ {
				if m.broadcast[a] != (i == j) {
					continue
				}
				path := PathKey("hazard", m.actorIDs[i], m.actionIDs[a])
				if i != j {
					path = PathKey("hazard", m.actorIDs[i], m.actorIDs[j], m.actionIDs[a])
				}
				m.hazard[(i*n+j)*K+a] = len(m.hazardDecls)
				m.hazardDecls = append(m.hazardDecls, hazardDecl{rate: c.tab.add(path+".rate", nil, RateField)})
			}
		}
	}
	seen := map[string]bool{}
	for _, h := range c.sc.Hazards {
		path, i, j, a := c.aimedAction("hazard", h.Actor, h.Target, h.Action)
		if i < 0 || j < 0 || a < 0 {
			continue
		}
		switch {
		case m.mode[a] != 'h':
			c.probs.add(path, "%s is not a hazard-mode action (its mode is %s): give it incentives instead, or set mode = \"hazard\" in [action.%s]", h.Action, modeName(m.mode[a]), h.Action)
			continue
		case h.Target == "" && !m.broadcast[a]:
			c.probs.add(path, "%s is aimed at a partner: write hazard.%s.PARTNER.%s", h.Action, h.Actor, h.Action)
			continue
		case h.Target != "" && m.broadcast[a]:
			c.probs.add(path, "%s is a broadcast action: write hazard.%s.%s", h.Action, h.Actor, h.Action)
			continue
		case h.Target != "" && i == j:
			c.probs.add(path, "an actor cannot aim an action at itself")
			continue
		case !m.available(i, a):
			c.probs.add(path, "%s excludes %s", h.Actor, h.Action)
			continue
		case seen[path]:
			c.probs.add(path, "set twice")
			continue
		}
		seen[path] = true
		d := &m.hazardDecls[m.hazard[(i*n+j)*K+a]]
		if h.Rate == nil {
			c.probs.add(path+".rate", "a rate (monthly probability) is required")
		} else {
			c.tab.params[d.rate].Dist = h.Rate
		}
		d.covs = c.covariates(path, h.Covariates)
	}
}

func modeName(b byte) string {
	return map[byte]string{'c': ModeChoice, 'j': ModeJoint, 'h': ModeHazard}[b]
}

// covariateValue is the value of a state variable at the start of the
// month.
func (w *Workspace) covariateValue(cv *covariate) float64 {
	n := w.m.n
	switch cv.kind {
	case 's':
		return w.s[cv.a*n+cv.b]
	case 'r':
		return (w.s[cv.a*n+cv.b] + w.s[cv.b*n+cv.a]) / 2
	case 'm':
		return w.mem[cv.a*n+cv.b]
	case 'd':
		return w.tradeNorm[cv.a*n+cv.b] * w.phi[cv.a*n+cv.b]
	case 't':
		return w.threatOf(cv.a)
	default:
		return w.lostTrade(cv.a)
	}
}

// threatOf is the largest threat actor i faces: max_j P_j·max(0, −s_ij).
func (w *Workspace) threatOf(i int) float64 {
	n, top := w.m.n, 0.0
	row, power := w.s[i*n:i*n+n], w.power[:n]
	for j, s := range row {
		// max by comparison: threats are ≥ +0 and never NaN.
		if t := -power[j] * s; j != i && s < 0 && t > top {
			top = t
		}
	}
	return top
}

// lostTrade is the share of actor i's normal trade currently lost:
// Σ_j T̄_ij·max(0, 1 − φ_ij).
func (w *Workspace) lostTrade(i int) float64 {
	n, sum := w.m.n, 0.0
	norm, phi := w.tradeNorm[i*n:i*n+n], w.phi[i*n:i*n+n]
	for j, f := range phi {
		if j != i {
			// max(0, 1 − φ) by comparison: 1 − φ is never NaN or −0.
			lost := 1 - f
			if lost < 0 {
				lost = 0
			}
			sum += norm[j] * lost
		}
	}
	return sum
}

// hazardProb is the monthly probability 1 − (1 − ρ)^exp(η) of a hazard
// with base rate ρ, covariates covs and an extra log hazard ratio
// (occasions): η = extra + Σ β·x.
func (w *Workspace) hazardProb(rate float64, covs []covariate, extra float64) float64 {
	if rate <= 0 {
		return 0
	}
	if rate >= 1 {
		return 1
	}
	eta := extra
	for k := range covs {
		eta += w.p[covs[k].coef] * w.covariateValue(&covs[k])
	}
	if eta == 0 {
		return rate
	}
	return -math.Expm1(math.Exp(eta) * math.Log1p(-rate))
}

// logSurv caches −log1p(−ρ) for a hazard's base rate ρ: the rate changes
// only with the parameters.
type logSurv struct {
	rate, l float64
	ok      bool
}

func (c *logSurv) get(rate float64) float64 {
	if !c.ok || math.Float64bits(rate) != math.Float64bits(c.rate) {
		c.rate, c.l, c.ok = rate, -math.Log1p(-rate), true
	}
	return c.l
}

// hazardTaken decides a hazard of base rate ρ, covariates covs and extra
// log hazard ratio with the uniform u of key in the month keyed mk: taken
// iff p > 0 and (p ≥ 1 or u < p), p = hazardProb(ρ, covs, extra)
// (MODEL.md §5.2.4). p ≤ x = e^η·(−ln(1 − ρ)) (1 − e^(−x) ≤ x), so
// a uniform above a rough upper bound of x settles it without the
// exponentials; otherwise p is computed as hazardProb does.
func (w *Workspace) hazardTaken(rate float64, covs []covariate, extra float64, mk, key uint64, c *logSurv) bool {
	if rate <= 0 {
		return false
	}
	if rate >= 1 {
		return true
	}
	eta := extra
	for k := range covs {
		cv := &covs[k]
		eta += w.p[cv.coef] * w.covariateValue(cv)
	}
	return hazardDecide(rate, eta, uniform(mk, key), c)
}

// hazardDecide is hazardTaken's rule for 0 < ρ < 1 given η and u.
func hazardDecide(rate, eta, u float64, c *logSurv) bool {
	if eta == 0 {
		return u < rate
	}
	l := c.get(rate)
	if eta > -700 && eta < 700 && u >= roughExp(eta)*1.00035*l*(1+1e-12) {
		return false
	}
	p := -math.Expm1(math.Exp(eta) * -l)
	return p > 0 && (p >= 1 || u < p)
}
