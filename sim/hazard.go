package sim

import (
	"math"
	"slices"
	"strings"

	"github.com/geosim/geosim/internal/suggest"
)

// covariate is a compiled Covariate: a state variable of actors a (and
// b) and the slot of its coefficient.
type covariate struct {
	kind byte // 's' stance, 'r' relation, 'm' received, 'd' trade share, 't' threat, 'l' lost trade
	a, b int
	coef int
	// diag: a threat covariate of an actor with broadcast choice
	// decisions, whose threat coefs leaves in w.threat[a*n+a]; ab and ba:
	// a*n+b and b*n+a (makePlan).
	diag   bool
	ab, ba int
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
// only with the parameters. The zero value holds ρ = 0, whose value is
// +0 = −log1p(−0); a NaN rate is never cached (it compares unequal).
type logSurv struct {
	rate, l float64
}

func (c *logSurv) get(rate float64) float64 {
	if rate != c.rate {
		c.rate, c.l = rate, -math.Log1p(-rate)
	}
	return c.l
}

// hazardTaken decides a hazard of base rate 0 < ρ < 1, covariates covs
// and extra log hazard ratio with the uniform u of its key in the month:
// taken iff p > 0 and (p ≥ 1 or u < p), p = hazardProb(ρ, covs, extra)
// (MODEL.md §5.2.4); the callers settle ρ ≤ 0 (never) and ρ ≥ 1 (always)
// without the uniform. fresh says that coefs ran on this month's state,
// so that w.threat holds the threats a threat covariate is the largest
// of. A hazard with a lost-trade covariate is first tried with an upper
// bound of η in which lost trade, the one covariate that costs a loop
// over partners, takes its largest possible value (hazardEta): most
// uniforms lie above the probability even there, and then no loop is
// needed. Most uniforms are settled by hazardSurelyNot here, without
// calling hazardDecide (which tests it again before the exponentials).
func (w *Workspace) hazardTaken(rate float64, covs []covariate, extra, u float64, c *logSurv, fresh bool) bool {
	eta, exact := w.hazardEta(covs, extra, fresh, true)
	if hazardFirstNot(eta, exact, u, c.get(rate)) {
		return false
	}
	return w.hazardTakenAfter(rate, covs, extra, u, c, fresh, eta, exact)
}

// hazardFirstNot is hazardTaken's first test, on hazardEta's η with
// bound (exact, or an upper bound) and l = −ln(1 − ρ): true settles the
// hazard as not taken. Callers that decide many months take it
// themselves and call hazardTakenAfter only when it fails.
func hazardFirstNot(eta float64, exact bool, u, l float64) bool {
	return (!exact || eta != 0) && hazardSurelyNot(eta, u, l)
}

// hazardTakenAfter is the rest of hazardTaken, after hazardFirstNot
// failed on hazardEta's bounded η and exact.
func (w *Workspace) hazardTakenAfter(rate float64, covs []covariate, extra, u float64, c *logSurv, fresh bool, eta float64, exact bool) bool {
	if !exact {
		eta, _ = w.hazardEta(covs, extra, fresh, false)
		if eta != 0 && hazardSurelyNot(eta, u, c.get(rate)) {
			return false
		}
	}
	return hazardDecide(rate, eta, u, c)
}

// hazardEta returns η = extra + Σ β·x over covs, in their order — the
// floating-point operations of hazardProb — and exact = true. With bound,
// a lost-trade covariate x = Σ_j T̄_ij·max(0, 1 − φ_ij) is replaced by
// its largest value lostHi_i = Σ_j max(0, T̄_ij) when β ≥ 0 (φ lies in
// [0, 3], so each term is at most max(0, T̄_ij)) and by its smallest, 0,
// when β < 0; then β·x can only grow (a floating-point product is
// monotone in each factor), each partial sum too, and the result, with
// exact = false, is an upper bound of η. With fresh, a threat covariate
// is the largest of the month's threats w.threat[i*n+j] = −P_j·s_ij
// (s_ij < 0, else 0) over j ≠ i: the same products threatOf compares,
// and for an actor with broadcast choice decisions (diag) the largest
// coefs has already found, θ_i = w.threat[i*n+i].
func (w *Workspace) hazardEta(covs []covariate, extra float64, fresh, bound bool) (eta float64, exact bool) {
	n := w.m.n
	eta, exact = extra, true
	for k := range covs {
		cv := &covs[k]
		beta := w.p[cv.coef]
		var x float64
		switch cv.kind {
		case 's':
			x = w.s[cv.ab]
		case 'r':
			x = (w.s[cv.ab] + w.s[cv.ba]) / 2
		case 'm':
			x = w.mem[cv.ab]
		case 'd':
			x = w.tradeNorm[cv.ab] * w.phi[cv.ab]
		case 't':
			switch {
			case fresh && cv.diag:
				x = w.threat[cv.a*n+cv.a]
			case fresh:
				row := w.threat[cv.a*n : cv.a*n+n]
				for j, t := range row {
					// max by comparison: threats are ≥ +0 and never NaN.
					if j != cv.a && t > x {
						x = t
					}
				}
			default:
				x = w.threatOf(cv.a)
			}
		default:
			switch {
			case !bound:
				x = w.lostTrade(cv.a)
			case beta >= 0:
				x, exact = w.lostHi[cv.a], false
			default:
				exact = false
			}
		}
		eta += beta * x
	}
	return eta, exact
}

// hazardSurelyNot reports whether a hazard of log hazard ratio at most
// eta and −ln(1 − ρ) = l is surely not taken with the uniform u: p ≤ x =
// e^η·l (1 − e^(−x) ≤ x), and roughExp(η)·1.00035 is above e^η, by a
// margin far larger than the rounding errors of p; with η = 0 the rule is
// u < ρ ≤ l. roughExp is monotone, so eta may be an upper bound.
func hazardSurelyNot(eta, u, l float64) bool {
	return eta > -700 && eta < 700 && u >= roughExp(eta)*1.00035*l*(1+1e-12)
}

// hazardDecide is hazardTaken's rule for 0 < ρ < 1 given η and u: the
// exponentials are computed only when hazardSurelyNot does not settle it.
func hazardDecide(rate, eta, u float64, c *logSurv) bool {
	if eta == 0 {
		return u < rate
	}
	l := c.get(rate)
	if hazardSurelyNot(eta, u, l) {
		return false
	}
	p := -math.Expm1(math.Exp(eta) * -l)
	return p > 0 && (p >= 1 || u < p)
}

// covariateLists returns the covariates of every hazard declaration and
// every shock (the Model's own slices: makePlan sets their diag).
func (m *Model) covariateLists() [][]covariate {
	var out [][]covariate
	for k := range m.hazardDecls {
		out = append(out, m.hazardDecls[k].covs)
	}
	for k := range m.shocks {
		out = append(out, m.shocks[k].covs)
	}
	return out
}

// setLostHi sets lostHi_i = Σ_{j≠i} max(0, T̄_ij), in the order lostTrade
// sums, for the actors of lost-trade covariates, from the parameters (T̄
// is read from them by derive): at the start of a run (unless it kept
// those of the previous run: initialState) and after a shock that
// changed more than incentives.
func (w *Workspace) setLostHi() {
	m := w.m
	n := m.n
	for _, i := range m.plan.lostActors {
		sum := 0.0
		for j := 0; j < n; j++ {
			if j != i {
				sum += max(w.p[m.tradeSlot(i, j)], 0)
			}
		}
		w.lostHi[i] = sum
	}
}

// planRunBounds lists the hazards and state shocks whose η has an upper
// bound for a whole run (hazardHi): every covariate of a kind whose
// range is known — stance, relation, threat, lost trade — and, for a
// hazard, no occasion adding to its log hazard ratio (so that the extra
// term is always +0). Received signals and trade shares have no such
// range.
func (pl *plan) planRunBounds(m *Model) {
	n := m.n
	bounded := func(covs []covariate) bool {
		for _, cv := range covs {
			if !strings.ContainsRune("srtl", rune(cv.kind)) {
				return false
			}
		}
		return true
	}
	stances := func(covs []covariate) {
		for _, cv := range covs {
			var ijs []int
			switch cv.kind {
			case 's', 'r':
				ijs = []int{cv.a*n + cv.b, cv.b*n + cv.a}
			case 't':
				for j := 0; j < n; j++ {
					if j != cv.a {
						ijs = append(ijs, cv.a*n+j)
					}
				}
			}
			for _, ij := range ijs {
				if !slices.Contains(pl.boundStances, ij) {
					pl.boundStances = append(pl.boundStances, ij)
				}
			}
		}
	}
	raised := map[int]bool{} // (i*n+j)*K + a of hazard occasions' targets
	for k := range m.calendar {
		if o := &m.calendar[k]; o.hazard {
			for _, idx := range o.targets {
				raised[idx] = true
			}
		}
	}
	for k, d := range pl.hazards {
		if len(d.opts) == 1 && !raised[d.calIdx] && bounded(d.covs) {
			pl.boundHaz = append(pl.boundHaz, k)
			stances(d.covs)
		}
	}
	for _, k := range pl.stateShocks {
		if covs := m.shocks[k].covs; bounded(covs) {
			pl.boundShocks = append(pl.boundShocks, k)
			stances(covs)
		}
	}
}

// setRunBounds sets hazHi and shockHi for the hazards and state shocks of
// plan.boundHaz and plan.boundShocks from the parameters: at the start of
// a run (start: the baseline stances are then the stances, which every
// later month clamps to the Goldstein scale; after setLostHi, before the
// burn-in) and after a shock changed parameters (after setLostHi).
func (w *Workspace) setRunBounds(start bool) {
	m := w.m
	pl := &m.plan
	w.boundsKept = start
	if start {
		lo, hi := -goldsteinMax, goldsteinMax
		for _, ij := range pl.boundStances {
			b := w.p[m.stanceSlot0+ij]
			lo, hi = min(lo, b), max(hi, b) // a NaN stays: no bound
		}
		w.sLo, w.sHi = lo, hi
	}
	for _, k := range pl.boundHaz {
		d := &pl.hazards[k]
		w.hazHi[k] = w.hazardHi(w.p[d.rate], d.covs, &w.hazL[d.decl[0]])
	}
	for _, k := range pl.boundShocks {
		s := &m.shocks[k]
		w.shockHi[k] = w.hazardHi(w.p[s.hazard], s.covs, &w.shockL[k])
	}
}

// hazardHi returns the uniform at and above which a hazard of base rate
// ρ, covariates covs of the kinds planRunBounds accepts and no extra log
// hazard ratio is surely not taken in any month of the run (2: no such
// uniform): hazardSurelyNot's edge at an upper bound of η, which
// hazardEta's operations give with each covariate x replaced by the end
// of its range that makes β·x largest (a floating-point product is
// monotone in each factor, a sum in each term). The ranges: stances in
// [sLo, sHi] (clamped to ±10 after every month, the baselines before),
// a relation likewise; a threat −P_j·s_ij (s_ij < 0) in
// [0, max(0, max_j −P_j·sLo)]; lost trade in [0, lostHi] (hazardEta).
// A NaN anywhere makes η's bound NaN and the result 2.
func (w *Workspace) hazardHi(rate float64, covs []covariate, c *logSurv) float64 {
	if !(rate > 0 && rate < 1) {
		return 2 // decided without the uniform
	}
	m := w.m
	eta := 0.0
	for k := range covs {
		cv := &covs[k]
		beta := w.p[cv.coef]
		var lo, hi float64
		switch cv.kind {
		case 's':
			lo, hi = w.sLo, w.sHi
		case 'r':
			lo, hi = (w.sLo+w.sLo)/2, (w.sHi+w.sHi)/2
		case 't':
			for j := 0; j < m.n; j++ {
				if j != cv.a {
					hi = max(hi, -w.actorParam(j, fPower)*w.sLo)
				}
			}
		default: // 'l'
			hi = w.lostHi[cv.a]
		}
		x := hi
		if beta < 0 {
			x = lo
		}
		eta += beta * x
	}
	if u := roughExp(eta) * 1.00035 * c.get(rate) * (1 + 1e-12); eta > -700 && eta < 700 {
		return u
	}
	return 2
}
