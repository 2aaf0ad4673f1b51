package sim

import (
	"math"
	"math/rand/v2"

	"github.com/geosim/geosim/sim/dist"
)

// RunOutput is what one run produced. Its slices are owned by the
// Workspace that filled it and are overwritten by the next run.
type RunOutput struct {
	Run       uint64
	Params    []float64 // sampled values of the uncertain parameters, in Model.Uncertain order
	Outcomes  []float64 // one value per outcome, in Model.Outcomes order
	EventStep []int32   // step (0-based month) of each event's first occurrence in its window, or -1
	ShockStep []int32   // step each shock fired in, or -1 if not within the horizon
	Series    []float64 // series s at state k (0..Steps) is Series[s*(Steps+1)+k]
}

// Workspace holds the state of one run and every buffer a run needs, so
// that running allocates nothing. A Workspace is used by one goroutine.
type Workspace struct {
	m   *Model
	pcg *rand.PCG
	rng *rand.Rand
	p   []float64 // parameter vector of this run

	decay    []float64 // per actor: stance decay factor per month
	recDecay float64   // reciprocity memory decay per month
	spill    float64   // ω: reception weight of a broadcast by non-adversaries
	lev      []float64 // [i*n+j]: leverage factor of j's signals on i

	g, joint, cred []float64 // per action: intensity, joint intensity, credibility

	// The utilities of the logit choice, multiplied by the actor's
	// rationality λ_i (section 5.2 of MODEL.md): per actor i and option o
	// of its dyadic and broadcast menus, λ·x_o = λ·g_o/10 and λ·Q_i·ψ_o/10;
	// per dyad (i, j) (broadcast: i, i) and option, λ times the parts that
	// change only with parameters: status payoff plus incentive minus
	// cost. bound[i] and bbound[i] hold the largest magnitudes of each
	// part, to rule out overflow cheaply.
	dx, dsec, dbase []float64
	bx, bsec, bbase []float64
	bound, bbound   [][3]float64
	base, kl        []float64 // [i*n+j]: baseline stance b_ij; κ_i·L_ij

	s, mem, sent []float64 // [i*n+j]: stance, reciprocity memory, signals sent i→j this month
	choice       []int32   // [i*n+j]: action i chose toward j; [i*n+i]: broadcast
	pending      []int32   // [i*n+j]: joint action i proposed to j last month, not yet held, or -1
	held         []int32   // [i*n+j] and [j*n+i]: joint action held by i and j this month, or -1
	coef         []float64 // scratch: cooperation coefficient per partner
	util, w      []float64 // scratch: utilities and weights of one decision

	tracker []float64 // per outcome: running sum / min / max / count

	Out RunOutput
}

// NewWorkspace allocates everything a run of m needs.
func NewWorkspace(m *Model) *Workspace {
	n, K, mo := m.n, len(m.actionIDs), m.maxOpts
	pcg := rand.NewPCG(0, 0)
	return &Workspace{
		m: m, pcg: pcg, rng: rand.New(pcg),
		p:     make([]float64, len(m.params)),
		decay: make([]float64, n), lev: make([]float64, n*n),
		g: make([]float64, K), joint: make([]float64, K), cred: make([]float64, K),
		dx: make([]float64, n*mo), dsec: make([]float64, n*mo), dbase: make([]float64, n*n*mo),
		bx: make([]float64, n*mo), bsec: make([]float64, n*mo), bbase: make([]float64, n*mo),
		base: make([]float64, n*n), kl: make([]float64, n*n),
		bound: make([][3]float64, n), bbound: make([][3]float64, n),
		s: make([]float64, n*n), mem: make([]float64, n*n), sent: make([]float64, n*n),
		choice: make([]int32, n*n), pending: make([]int32, n*n), held: make([]int32, n*n),
		coef: make([]float64, n),
		util: make([]float64, mo), w: make([]float64, mo),
		tracker: make([]float64, len(m.outcomes)),
		Out: RunOutput{
			Params:    make([]float64, len(m.uncertain)),
			Outcomes:  make([]float64, len(m.outcomes)),
			EventStep: make([]int32, len(m.events)),
			ShockStep: make([]int32, len(m.shocks)),
			Series:    make([]float64, len(m.series)*(m.steps+1)),
		},
	}
}

// splitmix64 is the output function of Steele, Lea & Flood's SplitMix64
// generator: a bijective mixer of 64-bit words.
func splitmix64(z uint64) uint64 {
	z += 0x9e3779b97f4a7c15
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
	z = (z ^ (z >> 27)) * 0x94d049bb133111eb
	return z ^ (z >> 31)
}

// ParamUniform is the uniform in (0, 1) that run `run` under `seed` uses
// for the quantity whose path hashes to key. Parameters and shock timings
// draw from these counter-based uniforms rather than from the run's
// generator, so that each keeps its own random number whatever else a
// scenario contains: variants and sweep points share them run by run.
func ParamUniform(seed, run, key uint64) float64 {
	return dist.Unit(splitmix64(splitmix64(splitmix64(seed)^run) ^ key))
}

// Sample fills the parameter vector for run `run` under `seed`: fixed
// values, then each uncertain parameter drawn by inversion of its own
// uniform. It also records the draws in Out.Params.
func (w *Workspace) Sample(seed, run uint64) {
	m := w.m
	copy(w.p, m.base)
	for k, i := range m.uncertain {
		v := m.params[i].Dist.Quantile(ParamUniform(seed, run, m.params[i].key))
		w.p[i] = v
		w.Out.Params[k] = v
	}
}

// SetParams replaces the values of the uncertain parameters (in
// Model.Uncertain order) after Sample; designs that choose the values
// themselves (Latin hypercube, Sobol) use it.
func (w *Workspace) SetParams(values []float64) {
	for k, i := range w.m.uncertain {
		w.p[i] = values[k]
		w.Out.Params[k] = values[k]
	}
}

// Run performs run `run` of the model under `seed`: it samples the
// parameters and simulates. The result is in w.Out.
func (w *Workspace) Run(seed, run uint64) {
	w.Sample(seed, run)
	w.Simulate(seed, run)
}

// Simulate runs the model on the current parameter vector with the
// dynamics generator of (seed, run). It allocates nothing.
func (w *Workspace) Simulate(seed, run uint64) {
	m := w.m
	T := m.steps
	w.Out.Run = run
	w.shockTimes(seed, run)
	w.derive()
	w.initialState()
	w.startTracking()
	w.pcg.Seed(seed, run)
	sig := 0
	for sig < len(m.signals) && m.signals[sig].step < 0 {
		sig++
	}
	for t := 0; t < T; t++ {
		w.fireShocks(t)
		w.choose()
		clear(w.sent)
		for ; sig < len(m.signals) && m.signals[sig].step == t; sig++ {
			w.send(m.signals[sig])
		}
		for k := range m.shocks {
			if int(w.Out.ShockStep[k]) == t {
				for _, s := range m.shocks[k].signals {
					w.send(s)
				}
			}
		}
		w.sendChoices()
		w.update()
		w.track(t)
	}
	w.finishTracking()
}

// shockTimes draws the month each shock fires in.
func (w *Workspace) shockTimes(seed, run uint64) {
	for k, s := range w.m.shocks {
		step := int32(-1)
		if s.month >= 0 {
			if mo := w.p[s.month]; mo < float64(w.m.steps) {
				step = int32(mo)
			}
		} else if h := w.p[s.hazard]; h >= 1 {
			step = 0
		} else if h > 0 {
			// Months before firing are geometric: inversion of one uniform.
			u := ParamUniform(seed, run, s.key)
			if wait := math.Floor(math.Log(u) / math.Log1p(-h)); wait < float64(w.m.steps) {
				step = int32(wait)
			}
		}
		w.Out.ShockStep[k] = step
	}
}

func (w *Workspace) actorParam(i, f int) float64 {
	return w.p[w.m.actorSlot0+i*numActorFields+f]
}

func (w *Workspace) actionParam(a, f int) float64 {
	return w.p[w.m.actionSlot0+a*numActionFields+f]
}

// Indices of the fields in ActorFields and ActionFields.
const (
	fRationality = iota
	fEconomic
	fAffinity
	fReciprocity
	fStatus
	fSecurity
	fPower
	fResponsive
	fMemory
)

// Indices of the fields in ModelFields.
const (
	mLeverage = iota
	mRecipMemory
	mSpillover
)

const (
	fScale = iota
	fJoint
	fCost
	fStatusValue
	fSecurityValue
	fCredibility
)

// derive computes the quantities the step loop reads from the parameter
// vector. It runs at the start of a run and after a shock changes
// parameters.
func (w *Workspace) derive() {
	m := w.m
	n, K, mo := m.n, len(m.actionIDs), m.maxOpts
	for i := 0; i < n; i++ {
		w.decay[i] = math.Exp2(-1 / w.actorParam(i, fMemory))
	}
	w.recDecay = math.Exp2(-1 / w.p[m.modelSlot0+mRecipMemory])
	w.spill = w.p[m.modelSlot0+mSpillover]
	eta := w.p[m.modelSlot0+mLeverage]
	for i := 0; i < n; i++ {
		kappa := w.actorParam(i, fResponsive)
		for j := 0; j < n; j++ {
			w.lev[i*n+j] = 1 + eta*max(0, w.p[m.tradeSlot(i, j)]-w.p[m.tradeSlot(j, i)])
			w.kl[i*n+j] = kappa * w.lev[i*n+j]
			w.base[i*n+j] = w.p[m.stanceSlot(i, j)]
		}
	}
	for a := 0; a < K; a++ {
		w.g[a] = w.actionParam(a, fScale)
		w.joint[a] = w.actionParam(a, fJoint)
		w.cred[a] = w.actionParam(a, fCredibility)
	}
	for i := 0; i < n; i++ {
		status, lambda := w.actorParam(i, fStatus), w.actorParam(i, fRationality)
		secW := lambda * w.actorParam(i, fSecurity) / goldsteinMax
		w.bound[i], w.bbound[i] = [3]float64{}, [3]float64{}
		for o, a := range m.dyadOpts[i] {
			w.dx[i*mo+o] = lambda * w.g[a] / goldsteinMax
			w.dsec[i*mo+o] = secW * w.actionParam(a, fSecurityValue)
			sv, cost := w.actionParam(a, fStatusValue), w.actionParam(a, fCost)
			for j := 0; j < n; j++ {
				v := 0.0
				if s := m.incentive[(i*n+j)*K+a]; s >= 0 {
					v = w.p[s]
				}
				w.dbase[(i*n+j)*mo+o] = lambda * (status*w.actorParam(j, fPower)*sv + v - cost)
				w.bound[i][2] = max(w.bound[i][2], math.Abs(w.dbase[(i*n+j)*mo+o]))
			}
			w.bound[i][0] = max(w.bound[i][0], math.Abs(w.dx[i*mo+o]))
			w.bound[i][1] = max(w.bound[i][1], math.Abs(w.dsec[i*mo+o]))
		}
		for o, a := range m.bcastOpts[i] {
			w.bx[i*mo+o] = lambda * w.g[a] / goldsteinMax
			w.bsec[i*mo+o] = secW * w.actionParam(a, fSecurityValue)
			v := 0.0
			if s := m.incentive[(i*n+i)*K+a]; s >= 0 {
				v = w.p[s]
			}
			w.bbase[i*mo+o] = lambda * (status*w.actionParam(a, fStatusValue) + v - w.actionParam(a, fCost))
			w.bbound[i][0] = max(w.bbound[i][0], math.Abs(w.bx[i*mo+o]))
			w.bbound[i][1] = max(w.bbound[i][1], math.Abs(w.bsec[i*mo+o]))
			w.bbound[i][2] = max(w.bbound[i][2], math.Abs(w.bbase[i*mo+o]))
		}
	}
}

// initialState sets stances to their baselines and replays the signals
// dated before the start, month by month, with the update rule.
func (w *Workspace) initialState() {
	m := w.m
	n := m.n
	for i := 0; i < n; i++ {
		for j := 0; j < n; j++ {
			w.s[i*n+j] = w.p[m.stanceSlot(i, j)]
		}
	}
	clear(w.mem)
	for k := range w.pending {
		w.pending[k], w.held[k] = -1, -1
	}
	sig := 0
	for t := -m.preSteps; t < 0; t++ {
		clear(w.sent)
		for ; sig < len(m.signals) && m.signals[sig].step == t; sig++ {
			w.send(m.signals[sig])
		}
		w.update()
	}
}

// fireShocks applies the effects of the shocks that fire in month t.
func (w *Workspace) fireShocks(t int) {
	fired := false
	for k, s := range w.m.shocks {
		if int(w.Out.ShockStep[k]) != t {
			continue
		}
		for _, e := range s.effects {
			v, f := w.p[e.value], w.m.params[e.target].Field
			switch e.op {
			case '=':
				w.p[e.target] = v
			case '*':
				w.p[e.target] *= v
			default:
				w.p[e.target] += v
			}
			w.p[e.target] = min(max(w.p[e.target], f.Min), f.Max)
		}
		fired = fired || len(s.effects) > 0
	}
	if fired {
		w.derive()
	}
}

// choose lets every actor pick one action toward each partner, in
// partner order, then one broadcast action: n(n-1)+n uniforms per month,
// always in that order. The utilities are those of MODEL.md §5.2,
// computed already multiplied by λ_i (see derive):
//
//	λU(a, j) = c_ij·(λx_a) + θ'_ij·(λQψ_a/10) + λ(S P_j σ_a + V_ija − C_a)
//
// with θ'_ij = P_j·max(0, −s_ij) = 10·θ_ij.
func (w *Workspace) choose() {
	m := w.m
	n, mo := m.n, m.maxOpts
	for i := 0; i < n; i++ {
		econ := w.actorParam(i, fEconomic)
		aff := w.actorParam(i, fAffinity) / goldsteinMax
		rec := w.actorParam(i, fReciprocity) / goldsteinMax
		opts := len(m.dyadOpts[i])
		dx, dsec := w.dx[i*mo:i*mo+opts], w.dsec[i*mo:i*mo+opts]
		bd := w.bound[i]
		lu := w.util[:opts]
		coefSum, weightSum, threatMax := 0.0, 0.0, 0.0
		for j := 0; j < n; j++ {
			if j == i {
				continue
			}
			ij := i*n + j
			s := w.s[ij]
			coef := econ*w.p[m.tradeSlot0+ij] + aff*s + rec*w.mem[ij]
			threat := 0.0 // P_j·max(0, −s_ij)
			if s < 0 {    // an adversary: broadcast actions are aimed at these
				threat = -w.actorParam(j, fPower) * s
				coefSum += coef
				weightSum++
				if threat > threatMax {
					threatMax = threat
				}
			} else { // others receive a broadcast at weight ω
				coefSum += w.spill * coef
				weightSum += w.spill
			}
			base := w.dbase[ij*mo : ij*mo+opts]
			for o := range lu {
				lu[o] = coef*dx[o] + threat*dsec[o] + base[o]
			}
			bound := math.Abs(coef)*bd[0] + threat*bd[1] + bd[2]
			w.choice[ij] = int32(m.dyadOpts[i][logitSample(lu, w.w, bound, w.rng.Float64())])
		}
		opts = len(m.bcastOpts[i])
		if opts == 1 { // only hold: nothing to weigh, but the uniform is drawn all the same
			w.rng.Float64()
			w.choice[i*n+i] = int32(m.bcastOpts[i][0])
			continue
		}
		bx, bsec, bbase := w.bx[i*mo:i*mo+opts], w.bsec[i*mo:i*mo+opts], w.bbase[i*mo:i*mo+opts]
		lu = w.util[:opts]
		coefMean := 0.0
		if weightSum > 0 {
			coefMean = coefSum / weightSum
		}
		for o := range lu {
			lu[o] = coefMean*bx[o] + threatMax*bsec[o] + bbase[o]
		}
		bd = w.bbound[i]
		bound := math.Abs(coefMean)*bd[0] + threatMax*bd[1] + bd[2]
		w.choice[i*n+i] = int32(m.bcastOpts[i][logitSample(lu, w.w, bound, w.rng.Float64())])
	}
}

// send adds an exogenous signal's credibility-weighted intensity.
func (w *Workspace) send(s signal) {
	w.sent[s.from*w.m.n+s.to] += w.p[s.cred] * w.p[s.scale]
}

// sendChoices adds the signals of this month's chosen actions: each
// dyadic action to its target, each broadcast action at full intensity to
// the sender's adversaries (the partners it holds a negative stance
// toward) and at weight ω to the others. A joint action (one with a joint intensity, a
// summit) is held when both sides choose it toward each other this month,
// or when one side accepts the other's proposal of last month by
// choosing it now; both sides then also receive the joint intensity.
// A proposal not held stays open for one month.
func (w *Workspace) sendChoices() {
	n := w.m.n
	hold := int32(w.m.holdIndex)
	for i := 0; i < n; i++ {
		if a := w.choice[i*n+i]; a != hold {
			v := w.cred[a] * w.g[a]
			for k := 0; k < n; k++ {
				switch {
				case k == i:
				case w.s[i*n+k] < 0:
					w.sent[i*n+k] += v
				default:
					w.sent[i*n+k] += w.spill * v
				}
			}
		}
		for j := 0; j < n; j++ {
			if j != i {
				a := w.choice[i*n+j]
				w.sent[i*n+j] += w.cred[a] * w.g[a]
			}
		}
	}
	for i := 0; i < n; i++ {
		for j := i + 1; j < n; j++ {
			ij, ji := i*n+j, j*n+i
			a, b := w.choice[ij], w.choice[ji]
			held := int32(-1)
			switch {
			case w.joint[a] != 0 && (b == a || w.pending[ji] == a):
				held = a
			case w.joint[b] != 0 && w.pending[ij] == b:
				held = b
			}
			w.held[ij], w.held[ji] = held, held
			if held >= 0 {
				v := w.cred[held] * w.joint[held]
				w.sent[ij] += v
				w.sent[ji] += v
			}
			w.pending[ij], w.pending[ji] = -1, -1
			if w.joint[a] != 0 && held != a {
				w.pending[ij] = a
			}
			if w.joint[b] != 0 && held != b {
				w.pending[ji] = b
			}
		}
	}
}

// update advances stances and reciprocity memories by one month:
//
//	s_ij ← b_ij + δ_i (s_ij − b_ij) + κ_i L_ij sent_ji + Σ links, clamped to [-10, 10]
//	m_ij ← δ_r m_ij + (1 − δ_r) sent_ji
func (w *Workspace) update() {
	m := w.m
	n := m.n
	for i := 0; i < n; i++ {
		d := w.decay[i]
		for j := 0; j < n; j++ {
			if j == i {
				continue
			}
			ij := i*n + j
			in := w.sent[j*n+i]
			b := w.base[ij]
			w.s[ij] = b + d*(w.s[ij]-b) + w.kl[ij]*in
			w.mem[ij] = w.recDecay*w.mem[ij] + (1-w.recDecay)*in
		}
	}
	for _, l := range m.links {
		if v := w.sent[l.from*n+l.to]; v*l.sign >= 0 && v != 0 {
			w.s[l.holder*n+l.obj] += w.p[l.weight] * w.actorParam(l.holder, fResponsive) * v
		}
	}
	for k, v := range w.s {
		if v > goldsteinMax {
			w.s[k] = goldsteinMax
		} else if v < -goldsteinMax {
			w.s[k] = -goldsteinMax
		}
	}
}

// value returns the relation (mean of both stances) or, directed, a's
// stance toward b.
func (w *Workspace) value(a, b int, directed bool) float64 {
	n := w.m.n
	if directed {
		return w.s[a*n+b]
	}
	return (w.s[a*n+b] + w.s[b*n+a]) / 2
}

func (w *Workspace) startTracking() {
	m := w.m
	for k := range w.Out.EventStep {
		w.Out.EventStep[k] = -1
	}
	for k, o := range m.outcomes {
		switch o.stat {
		case 'n':
			w.tracker[k] = math.Inf(1)
		case 'x':
			w.tracker[k] = math.Inf(-1)
		default:
			w.tracker[k] = 0
		}
		if o.kind != 'c' && o.stat == 'a' && o.atK == 0 {
			w.tracker[k] = w.value(o.a, o.b, o.kind == 's')
		}
	}
	T1 := m.steps + 1
	for s, sr := range m.series {
		w.Out.Series[s*T1] = w.value(sr.a, sr.b, sr.directed)
	}
}

// track records month t's choices and the state after it.
func (w *Workspace) track(t int) {
	m := w.m
	n, k1 := m.n, t+1
	for k, o := range m.outcomes {
		if o.kind == 'c' {
			if t < o.from || t > o.by {
				continue
			}
			if m.broadcast[o.action] {
				if w.choice[o.actor*n+o.actor] == int32(o.action) {
					w.tracker[k]++
				}
				continue
			}
			for j := 0; j < n; j++ {
				if j != o.actor && (o.target < 0 || o.target == j) && w.choice[o.actor*n+j] == int32(o.action) {
					w.tracker[k]++
				}
			}
			continue
		}
		v := w.value(o.a, o.b, o.kind == 's')
		switch o.stat {
		case 'n':
			w.tracker[k] = min(w.tracker[k], v)
		case 'x':
			w.tracker[k] = max(w.tracker[k], v)
		case 'm':
			w.tracker[k] += v
		case 'a':
			if o.atK == k1 {
				w.tracker[k] = v
			}
		default:
			if k1 == m.steps {
				w.tracker[k] = v
			}
		}
	}
	for k, e := range m.events {
		if w.Out.EventStep[k] >= 0 || t < e.from || t > e.by || !w.happened(e, t) {
			continue
		}
		w.Out.EventStep[k] = int32(t)
	}
	T1 := m.steps + 1
	for s, sr := range m.series {
		w.Out.Series[s*T1+k1] = w.value(sr.a, sr.b, sr.directed)
	}
}

func (w *Workspace) happened(e event, t int) bool {
	n := w.m.n
	a := int32(e.action)
	switch e.kind {
	case 'j':
		return w.held[e.a*n+e.b] == a
	case 'a':
		if w.m.broadcast[e.action] {
			return w.choice[e.a*n+e.a] == a
		}
		for j := 0; j < n; j++ {
			if j != e.a && (e.target < 0 || e.target == j) && w.choice[e.a*n+j] == a {
				return true
			}
		}
		return false
	case 't':
		v := w.value(e.a, e.b, e.directed)
		return (e.below && v < e.level) || (!e.below && v > e.level)
	default:
		return int(w.Out.ShockStep[e.shock]) == t
	}
}

func (w *Workspace) finishTracking() {
	for k, o := range w.m.outcomes {
		v := w.tracker[k]
		if o.kind != 'c' && o.stat == 'm' {
			v /= float64(w.m.steps)
		}
		w.Out.Outcomes[k] = v
	}
}

// Use sets the parameter vector to the fixed values of the model with the
// uncertain parameters at values (in Model.Uncertain order), for designs
// that choose the values themselves; follow it with Simulate.
func (w *Workspace) Use(values []float64) {
	copy(w.p, w.m.base)
	w.SetParams(values)
}
