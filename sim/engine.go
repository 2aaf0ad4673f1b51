package sim

import (
	"math"
	"math/bits"
	"unsafe"

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
	m *Model
	p []float64 // parameter vector of this run

	// pGen is the generation of the draw cache whose parameter vector p
	// holds, except at the slots listed in pTouched, or 0 when p may
	// differ anywhere from every cached vector. Only SampleDraw,
	// SetParams, Use and fireShocks write p (TestParamWriters keeps it
	// so), and each keeps pGen and pTouched right. They let SampleDraw
	// put back only the slots shocks changed, and restoreStart skip
	// comparing the vector with the start's, when p is the draw both
	// were taken from.
	pGen     uint64
	pTouched []int32 // the slots of p shocks changed since SampleDraw set it (touchParam)

	runKey     uint64    // splitmix64(splitmix64(seed) ⊕ run): the run's key
	decay      []float64 // per actor: stance decay factor per month
	recDecay   float64   // reciprocity memory decay per month
	tradeDecay float64   // decay of trade-flow deviations per month
	spill      float64   // ω: reception weight of a broadcast by non-adversaries
	eta        float64   // η: leverage amplification
	tradeMask  uint64    // the actions with a nonzero trade effect

	// Per actor: rationality λ, economic weight E, affinity A/10,
	// reciprocity R/10, loss aversion ρ, power P, responsiveness κ.
	lambda, econ, aff, rec, loss, power, kappa []float64

	// Per action: intensity x = g/10, intensity of a held joint action
	// (g + J)/10, the signals sent c·g and, held, c·(g + J), trade effect,
	// rebuff cost.
	x, xHeld, sig, sigHeld, trEff, rebuff []float64

	q    []float64 // [i*K+a]: Q_i·ψ_a/10, the security payoff per unit of threat
	base []float64 // [(i*n+j)*K+a]: S_i·P_j·σ_a + V_ija − C_a (j = i: broadcast, S_i·σ_a + V_iia − C_a)

	calU, calH []float64 // [(i*n+j)*K+a]: payoff and log hazard ratio added by active occasions
	calDirty   bool      // parameters changed: recompute calU and calH
	calFrom    int       // the step whose occasions calU and calH hold, or -1: none

	calPay [][]calRef // per step: the plan's calPay as addresses in calU and p
	calHaz [][]calRef // per step: the plan's calHaz as addresses in calH and p

	stateSh []stateShock // per shock of plan.stateShocks: what stateShocks reads, by address

	baseStance, tradeNorm, stake []float64  // [i*n+j]: b_ij, T̄_ij, B_ij
	et, etStake                  []float64  // [i*n+j]: E_i·T̄_ij and E_i·T̄_ij + B_ij (coefs)
	updRec                       []float64  // the update kernel's constants (updRecWords per four i*n+j)
	linkWK                       []float64  // per link: its weight times κ of the actor it moves
	coefRec                      []float64  // the coefficient kernel's constants (coefRecWords per four i*n+j)
	ma                           matrixArgs // the operands of the update and coefficient kernels

	s, mem, recv, phi []float64    // [i*n+j]: stance, reciprocity memory, signals i received from j this month (sent_ji), trade flow factor
	state             []float64    // backing array of s, mem and phi (each padded to a block of four)
	raw               []float64    // [i*n+j]: the update kernel's stances before the clamp, which links move
	coef, threat      []float64    // [i*n+j]: this month's cooperation coefficient and threat; [i*n+i]: their broadcast counterparts c̄_i, θ_i
	choice            []choiceWork // per choice group of the plan
	propose           choiceWork   // the plan's screen of joint proposals
	hazL, shockL      []logSurv    // per hazard declaration and shock: its cached −ln(1 − ρ)
	lostHi            []float64    // per actor of plan.lostActors: the largest share of trade it can lose (setLostHi)
	hazHi, shockHi    []float64    // per hazard of the plan and shock: a uniform at or above which it is surely not taken this run (setRunBounds), else 2
	sLo, sHi          float64      // the range of the stances plan.boundStances this run (setRunBounds)
	boundsKept        bool         // hazHi, shockHi, sLo and sHi are those of the start of the run, for the cached start's parameters
	nextShock         int          // the first step after the current one in which a shock is due to fire (or a step past the end)
	sigNext, sigStep  int          // the next exogenous signal to send in the month loop, and its month (MaxInt: none)
	did, held         []uint64     // [i*n+j]: actions i took toward j (j = i: broadcast); joint actions held by i and j
	acted             []uint64     // per actor i: bit j set when did[i*n+j] may be nonzero
	traded            []int32      // the i*n+j whose did holds an action with a trade effect
	act               actArgs      // the acting kernel's arguments (choose)
	chooseA           chooseArgs   // the choice kernel's arguments (choose)
	fill              choiceFill   // where the records' words that depend on the parameters come from (fillChoice)
	sendA             sendArgs     // the signal kernel's arguments (sendChoices)
	jointT            []jointTerms // per joint decision of the plan: its terms' addresses (decideJoint)
	hazT              []hazardRef  // per hazard decision of the plan: its rate's and bound's addresses (decide)
	monthly           []uint64     // backing array of recv, did, held and acted, so that one clear (coefs) empties them

	tracker []float64 // per outcome: the count of an action toward any partner (trackPlan.anyCounts)
	rows    []float64 // quantity rows of steps+1 states (trackPlan); RunOutput.Series is their prefix
	flags   []uint64  // flag rows: one bit per month (trackPlan)
	trkA    trackArgs // the month kernel's arguments (track)

	dv           []float64  // backing array of every quantity derive computes
	actSV        []float64  // per action: status value σ (derive's scratch)
	actCost      []float64  // per action: cost C (derive's scratch)
	derivedDirty bool       // derive or rebase ran since the start was saved or restored
	derivedFull  bool       // derive ran since then (else only rebase, on the fixed utilities in rebased)
	rebased      []int32    // the fixed utilities rebase changed since then
	start        startCache // the state at the start of a run, by parameter vector
	draw         drawCache  // the last parameter draw sampled

	Out RunOutput
}

// NewWorkspace allocates everything a run of m needs.
func NewWorkspace(m *Model) *Workspace {
	n, K := m.n, len(m.actionIDs)
	nn, nnK := n*n, n*n*K
	nn4 := (nn + 3) &^ 3 // the element-wise kernels work in blocks of four
	f := func(k int) []float64 { return make([]float64, k) }
	mat := func() []float64 { return make([]float64, nn4)[:nn] }
	w := &Workspace{
		m: m, p: f(len(m.params)), calFrom: -1,
		calU: f(nnK), calH: f(nnK),
		coef: mat(), threat: mat(), raw: mat(),
		monthly: make([]uint64, monthlyAlloc(n)), traded: make([]int32, 0, nn),
		tracker: f(len(m.outcomes)), actSV: f(K), actCost: f(K),
		Out: RunOutput{
			Params:    make([]float64, len(m.uncertain)),
			Outcomes:  make([]float64, len(m.outcomes)),
			EventStep: make([]int32, len(m.events)),
			ShockStep: make([]int32, len(m.shocks)),
		},
	}
	// Stances, memories and trade flows in one array, so that the start
	// of a run is saved and restored with one copy.
	w.state = f(3 * nn4)
	w.s, w.mem, w.phi = w.state[:nn:nn4], w.state[nn4:nn4+nn:2*nn4], w.state[2*nn4:2*nn4+nn:3*nn4]
	// recv, did, held and acted are emptied every month, recv's float64
	// zeros as all-zero words: one array, one clear.
	w.recv = unsafe.Slice((*float64)(unsafe.Pointer(&w.monthly[0])), nn4)[:nn]
	mo := w.monthly
	w.did, w.held, w.acted = mo[monthlyDid(n):monthlyHeld(n):monthlyHeld(n)], mo[monthlyHeld(n):monthlyActed(n):monthlyActed(n)], mo[monthlyActed(n):monthlySize(n):monthlySize(n)]
	// At least one row of each, so that track can take a month's
	// column of them (rows[t+1:], flags[t>>6:]) when a model records
	// nothing.
	w.rows = f(max(m.trk.rows, 1) * (m.steps + 1))
	w.Out.Series = w.rows[: len(m.series)*(m.steps+1) : len(m.series)*(m.steps+1)]
	w.flags = make([]uint64, max(m.trk.flagRows, 1)*m.trk.words)
	// The quantities derive computes live in one array, so that the
	// start of a run can be saved and restored with one copy.
	w.dv = f(8*n + 6*K + n*K + nnK + 5*nn + (updRecWords+coefRecWords)*nn4/4 + len(m.links))
	rest := w.dv
	carve := func(k int) []float64 {
		s := rest[:k:k]
		rest = rest[k:]
		return s
	}
	w.decay, w.lambda, w.econ, w.aff, w.rec, w.loss, w.power, w.kappa = carve(n), carve(n), carve(n), carve(n), carve(n), carve(n), carve(n), carve(n)
	w.x, w.xHeld, w.sig, w.sigHeld, w.trEff, w.rebuff = carve(K), carve(K), carve(K), carve(K), carve(K), carve(K)
	w.q, w.base = carve(n*K), carve(nnK)
	baseOff := len(w.dv) - len(rest) - nnK
	w.tradeNorm, w.stake, w.et, w.etStake = carve(nn), carve(nn), carve(nn), carve(nn)
	w.baseStance = carve(nn)
	w.updRec = carve(updRecWords * nn4 / 4)
	w.coefRec = carve(coefRecWords * nn4 / 4)
	w.linkWK = carve(len(m.links))
	w.ma = newMatrixArgs(w, n, m.bcastActors, m.links)
	w.start = startCache{p: f(len(m.params)), dv: f(len(w.dv)), state: f(len(w.state))}
	w.start.base = w.start.dv[baseOff : baseOff+nnK : baseOff+nnK]
	rebases := 0
	for k := range m.shocks {
		rebases += len(m.shocks[k].rebase)
	}
	w.rebased = make([]int32, 0, rebases) // each shock fires at most once a run
	effects := 0
	for k := range m.shocks {
		effects += len(m.shocks[k].effects)
	}
	w.pTouched = make([]int32, 0, effects)
	for k := range m.plan.choice {
		w.choice = append(w.choice, newChoiceWork(&m.plan.choice[k]))
		w.start.rec = append(w.start.rec, make([]uint64, len(w.choice[k].rec)))
	}
	w.propose = newChoiceWork(&m.plan.propose)
	w.start.rec = append(w.start.rec, make([]uint64, len(w.propose.rec)))
	w.act = newActArgs(w)
	w.chooseA = newChooseArgs(w)
	w.fill = newChoiceFill(w)
	w.jointT = newJointTerms(w)
	w.calPay, w.calHaz = newCalRefs(m.plan.calPay, w.calU, w.p), newCalRefs(m.plan.calHaz, w.calH, w.p)
	w.sendA = sendArgs{acted: w.acted, did: w.did, held: w.held, recv: w.recv, s: w.s, sig: w.sig, sigHeld: w.sigHeld, n: n}
	w.trkA = newTrackArgs(w)
	w.hazL, w.shockL = make([]logSurv, len(m.hazardDecls)), make([]logSurv, len(m.shocks))
	w.lostHi = f(n)
	w.hazHi, w.shockHi = make([]float64, len(m.plan.hazards)), make([]float64, len(m.shocks))
	for k := range w.hazHi {
		w.hazHi[k] = 2
	}
	for k := range w.shockHi {
		w.shockHi[k] = 2
	}
	w.stateSh = newStateShocks(w)
	w.hazT = newHazardRefs(w)
	w.draw = drawCache{p: f(len(m.params)), params: f(len(m.uncertain))}
	return w
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
// uniform — the uniform of parameter draw ⌊run / Replicates⌋, so that
// groups of consecutive runs share their assumptions. It also records
// the draws in Out.Params.
func (w *Workspace) Sample(seed, run uint64) {
	w.SampleDraw(seed, run/uint64(w.m.replicates))
}

// SampleDraw fills the parameter vector with parameter draw `draw` under
// `seed`: the values runs draw·R … draw·R + R − 1 use (R the model's
// replicates). Designs that choose their own grouping of runs (scenario
// discovery's points) use it directly.
func (w *Workspace) SampleDraw(seed, draw uint64) {
	m := w.m
	if c := &w.draw; c.valid && c.seed == seed && c.draw == draw {
		if w.pGen == c.gen {
			for _, i := range w.pTouched {
				w.p[i] = c.p[i]
			}
		} else {
			copy(w.p, c.p)
			w.pGen = c.gen
		}
		w.pTouched = w.pTouched[:0]
		copy(w.Out.Params, c.params)
		return
	}
	copy(w.p, m.base)
	for k, i := range m.uncertain {
		v := m.params[i].Dist.Quantile(ParamUniform(seed, draw, m.params[i].key))
		w.p[i] = v
		w.Out.Params[k] = v
	}
	if p := m.post; p != nil {
		// One row of joint draws, chosen by weight, replaces the
		// independent draws of its columns.
		row := p.row(ParamUniform(seed, draw, p.key))
		for k, slot := range p.slots {
			w.p[slot] = row[k]
			w.Out.Params[p.col[k]] = row[k]
		}
	}
	c := &w.draw
	copy(c.p, w.p)
	copy(c.params, w.Out.Params)
	c.seed, c.draw, c.valid = seed, draw, true
	c.gen++
	w.pGen, w.pTouched = c.gen, w.pTouched[:0]
}

// SetParams replaces the values of the uncertain parameters (in
// Model.Uncertain order) after Sample; designs that choose the values
// themselves (Latin hypercube, Sobol) use it.
func (w *Workspace) SetParams(values []float64) {
	w.pGen, w.pTouched = 0, w.pTouched[:0]
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
// decision streams of (seed, run). It allocates nothing.
func (w *Workspace) Simulate(seed, run uint64) {
	m := w.m
	T := m.steps
	w.Out.Run = run
	w.runKey = splitmix64(splitmix64(seed) ^ run)
	w.shockTimes(seed, run)
	w.sigNext = w.initialState()
	w.sigStep = w.signalStep(w.sigNext)
	w.startTracking()
	w.nextShock = w.shockAfter(-1)
	for t := 0; t < T; t++ {
		mk := splitmix64(w.runKey ^ m.monthKey[t])
		// Shocks fire in few months: the others skip their loops.
		shocked := w.stateShocks(t, mk) || t == w.nextShock
		if shocked {
			w.fireShocks(t)
		}
		w.applyCalendar(t)
		w.decide(mk, t) // starts with coefs, which empties the month's signals and actions

		if t == w.sigStep { // exogenous signals are dated in few months
			w.sendDue(t)
		}
		if shocked {
			w.sendShockSignals(t)
			w.nextShock = w.shockAfter(t)
		}
		w.sendChoices()
		w.update()
		w.updateTrade()
		w.track(t)
	}
	w.finishTracking()
}

// shockTimes draws the month each shock fires in, for shocks whose
// timing does not depend on the state; the others wait (-1) for
// stateShocks.
func (w *Workspace) shockTimes(seed, run uint64) {
	for k, s := range w.m.shocks {
		step := int32(-1)
		switch {
		case len(s.covs) > 0:
		case s.month >= 0:
			if mo := w.p[s.month]; mo < float64(w.m.steps) {
				step = int32(mo)
			}
		case w.p[s.hazard] >= 1:
			step = 0
		case w.p[s.hazard] > 0:
			// Months before firing are geometric: inversion of one uniform.
			// log1p(−ρ) is −shockL's cached −log1p(−ρ) (the same bits),
			// computed once for the runs of a parameter draw.
			u := ParamUniform(seed, run, s.key)
			if wait := math.Floor(math.Log(u) / -w.shockL[k].get(w.p[s.hazard])); wait < float64(w.m.steps) {
				step = int32(wait)
			}
		}
		w.Out.ShockStep[k] = step
	}
}

// shockAfter returns the first step after t in which a shock is due to
// fire, or the number of steps if none is: shockTimes drew the steps of
// shocks of fixed timing; a shock whose hazard has covariates has step
// -1 until stateShocks makes it fire.
func (w *Workspace) shockAfter(t int) int {
	next := w.m.steps
	for _, s := range w.Out.ShockStep {
		if int(s) > t && int(s) < next {
			next = int(s)
		}
	}
	return next
}

// stateShocks decides, for each shock whose hazard has covariates and
// has not fired, whether it fires in month t, from the state at the
// start of the month; it reports whether one did.
func (w *Workspace) stateShocks(t int, mk uint64) bool {
	fired := false
	for k := range w.stateSh {
		r := &w.stateSh[k]
		if *r.step >= 0 {
			continue
		}
		rate := *r.rate
		if rate <= 0 {
			continue
		}
		if rate < 1 {
			// hazardTaken, its first test written out: most months end
			// at the run's bound or there.
			u := uniform(mk, r.key)
			if u >= *r.hi {
				continue
			}
			var eta float64
			var exact bool
			if r.terms != nil {
				eta, exact = boundEta(r.terms)
			} else {
				eta, exact = w.hazardEta(r.covs, 0, false, true)
			}
			if hazardFirstNot(eta, exact, u, r.c.get(rate)) || !w.hazardTakenAfter(rate, r.covs, 0, u, r.c, false, eta, exact) {
				continue
			}
		}
		*r.step = int32(t)
		fired = true
	}
	return fired
}

// stateShock is a shock of plan.stateShocks as stateShocks reads it
// every month: its step in Out.ShockStep, its base rate in p, its bound
// in shockHi and its cache in shockL by address (taken once,
// newStateShocks, in arrays allocated once in NewWorkspace), so that the
// month loads no slice headers and checks no bounds; its key and
// covariates as the Model's, and, when these are all stances, received
// signals or lost trade, as etaTerms (else nil).
type stateShock struct {
	step     *int32
	rate, hi *float64
	c        *logSurv
	key      uint64
	covs     []covariate
	terms    []etaTerm
}

// etaTerm is a covariate of kind 's', 'm' or 'l' as boundEta reads it:
// the addresses of its coefficient β in p and of its value (s_ab, m_ab)
// or, for lost trade (lost), of its bound lostHi_a.
type etaTerm struct {
	beta, x *float64
	lost    bool
}

// boundEta is hazardEta(covs, 0, false, true) for covariates given as
// etaTerms: the same products and additions in the same order, from +0.
func boundEta(terms []etaTerm) (eta float64, exact bool) {
	exact = true
	for k := range terms {
		t := &terms[k]
		beta := *t.beta
		var x float64
		switch {
		case !t.lost:
			x = *t.x
		case beta >= 0:
			x, exact = *t.x, false
		default:
			exact = false
		}
		eta += beta * x
	}
	return eta, exact
}

// newEtaTerms returns covs as w's etaTerms, or nil if one of them is of
// another kind than 's', 'm' and 'l'.
func newEtaTerms(w *Workspace, covs []covariate) []etaTerm {
	out := make([]etaTerm, len(covs))
	for k, cv := range covs {
		t := etaTerm{beta: &w.p[cv.coef]}
		switch cv.kind {
		case 's':
			t.x = &w.s[cv.ab]
		case 'm':
			t.x = &w.mem[cv.ab]
		case 'l':
			t.x, t.lost = &w.lostHi[cv.a], true
		default:
			return nil
		}
		out[k] = t
	}
	return out
}

// newStateShocks returns w's stateShock of each of the plan's state
// shocks, in its order.
func newStateShocks(w *Workspace) []stateShock {
	m := w.m
	out := make([]stateShock, len(m.plan.stateShocks))
	for i, k := range m.plan.stateShocks {
		s := &m.shocks[k]
		out[i] = stateShock{step: &w.Out.ShockStep[k], rate: &w.p[s.hazard], hi: &w.shockHi[k], c: &w.shockL[k], key: s.key, covs: s.covs, terms: newEtaTerms(w, s.covs)}
	}
	return out
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
	fLossAversion
)

// Indices of the fields in ModelFields.
const (
	mLeverage = iota
	mRecipMemory
	mSpillover
	mTradeMemory
)

const (
	fScale = iota
	fJoint
	fCost
	fStatusValue
	fSecurityValue
	fCredibility
	fTradeEffect
	fRebuff
)

// maxTradeFactor bounds a dyad's trade flow at three times its normal
// level (docs/MODEL.md §5.5).
const maxTradeFactor = 3

// derive computes the quantities the step loop reads from the parameter
// vector. It runs at the start of a run and after a shock changes
// parameters.
func (w *Workspace) derive() {
	m := w.m
	n, K := m.n, len(m.actionIDs)
	mp := func(f int) float64 { return w.p[m.modelSlot0+f] }
	w.recDecay = math.Exp2(-1 / mp(mRecipMemory))
	w.tradeDecay = math.Exp2(-1 / mp(mTradeMemory))
	w.spill = mp(mSpillover)
	w.eta = mp(mLeverage)
	w.setRates()
	nn := n * n
	copy(w.baseStance, w.p[m.stanceSlot0:m.stanceSlot0+nn])
	copy(w.tradeNorm, w.p[m.tradeSlot0:m.tradeSlot0+nn])
	copy(w.stake, w.p[m.stakeSlot0:m.stakeSlot0+nn])
	for i := 0; i < n; i++ {
		w.decay[i] = math.Exp2(-1 / w.actorParam(i, fMemory))
		w.lambda[i] = w.actorParam(i, fRationality)
		w.econ[i] = w.actorParam(i, fEconomic)
		w.aff[i] = w.actorParam(i, fAffinity) / goldsteinMax
		w.rec[i] = w.actorParam(i, fReciprocity) / goldsteinMax
		w.loss[i] = w.actorParam(i, fLossAversion)
		w.power[i] = w.actorParam(i, fPower)
		w.kappa[i] = w.actorParam(i, fResponsive)
		econ, row := w.econ[i], w.tradeNorm[i*n:i*n+n]
		et, etStake, stake := w.et[i*n:i*n+n], w.etStake[i*n:i*n+n], w.stake[i*n:i*n+n]
		for j, t := range row {
			et[j] = econ * t
			etStake[j] = et[j] + stake[j]
		}
	}
	for i := 0; i < n; i++ {
		decay, kappa, aff, rec, loss := w.decay[i], w.kappa[i], w.aff[i], w.rec[i], w.loss[i]
		for j := 0; j < n; j++ {
			ij := i*n + j
			u, r, l := w.updRec[ij/4*updRecWords:ij/4*updRecWords+updRecWords], w.coefRec[ij/4*coefRecWords:ij/4*coefRecWords+coefRecWords], ij&3
			u[urBase+l], u[urDecay+l], u[urTrade+l], u[urTradeT+l], u[urKappa+l] = w.baseStance[ij], decay, w.tradeNorm[ij], w.tradeNorm[j*n+i], kappa
			r[crET+l], r[crETS+l], r[crStake+l], r[crAff+l], r[crRec+l], r[crLoss+l], r[crNegPow+l] = w.et[ij], w.etStake[ij], w.stake[ij], aff, rec, loss, -w.power[j]
		}
	}
	for a := 0; a < K; a++ {
		g, cred := w.actionParam(a, fScale), w.actionParam(a, fCredibility)
		j := w.actionParam(a, fJoint)
		w.x[a] = g / goldsteinMax
		w.xHeld[a] = (g + j) / goldsteinMax
		w.sig[a] = cred * g
		w.sigHeld[a] = cred * (g + j)
		w.trEff[a] = w.actionParam(a, fTradeEffect)
		w.rebuff[a] = w.actionParam(a, fRebuff)
	}
	// The fixed utilities in the order they are stored, (i, j, a), from
	// the actions' status values and costs gathered once.
	ap := w.p[m.actionSlot0 : m.actionSlot0+K*numActionFields]
	sv, cost := w.actSV[:K], w.actCost[:K]
	for a := range sv {
		sv[a], cost[a] = ap[a*numActionFields+fStatusValue], ap[a*numActionFields+fCost]
	}
	for i := 0; i < n; i++ {
		status, secW := w.actorParam(i, fStatus), w.actorParam(i, fSecurity)/goldsteinMax
		for a := 0; a < K; a++ {
			w.q[i*K+a] = secW * ap[a*numActionFields+fSecurityValue]
		}
		for j := 0; j < n; j++ {
			weight := status * w.power[j] // status of engaging j
			if i == j {
				weight = status // a broadcast action's status is its own
			}
			ij := i*n + j
			inc, base := m.incentive[ij*K:ij*K+K], w.base[ij*K:ij*K+K]
			for a, s := range inc {
				v := 0.0
				if s >= 0 {
					v = w.p[s]
				}
				base[a] = weight*sv[a] + v - cost[a]
			}
		}
	}
	for k, l := range m.links {
		w.linkWK[k] = w.p[l.weight] * w.kappa[l.holder]
	}
	w.tradeMask = 0
	for a := 0; a < K; a++ {
		if w.trEff[a] != 0 {
			w.tradeMask |= 1 << uint(a)
		}
	}
	w.fillChoice()
	w.calDirty = true
	w.derivedDirty, w.derivedFull = true, true
}

// initialState sets stances to their baselines, trade flows to normal,
// derives, and replays the signals dated before the start, month by
// month, with the update rule; then it lives the burn-in months. The
// state before the burn-in depends on the parameters alone and is taken
// from the workspace's cache when the parameters are those of the
// previous run. It returns the index of the first signal dated at or
// after the start.
func (w *Workspace) initialState() (sig int) {
	m := w.m
	sig, ok := w.restoreStart()
	if !ok {
		for k := range w.phi {
			w.phi[k] = 1
		}
		w.derive()
		copy(w.s, w.baseStance)
		clear(w.mem)
		sig = 0
		for t := -max(m.preSteps, m.burnIn); t < -m.burnIn; t++ {
			clear(w.recv)
			sig = w.sendSignals(sig, t)
			w.update()
		}
		w.saveStart(sig)
	}
	if !ok || !w.boundsKept {
		// lostHi and the run's bounds depend on the parameters alone: a
		// run that restored the start of the previous one keeps them,
		// unless a shock changed them.
		w.setLostHi()
		w.setRunBounds(true)
	}
	if m.burnIn == 0 {
		return sig
	}
	w.clearCalendar() // no occasion applies before the start
	for t := -m.burnIn; t < 0; t++ {
		// Burn-in: the months before the start are lived, not only
		// replayed — decisions and their signals, trade moves. The
		// exogenous signals go after the decisions, which do not read
		// them and whose first step (coefs) empties recv.
		w.decide(splitmix64(w.runKey^m.burnKey[m.burnIn+t]), t)
		sig = w.sendSignals(sig, t)
		w.sendChoices()
		w.update()
		w.updateTrade()
	}
	return sig
}

// fireShocks applies the effects of the shocks that fire in month t, in
// declaration order; each shock's effects in the order set, multiply,
// add (docs/MODEL.md §5.1). Derived quantities follow: all of them, or,
// when a single shock fired and its effects only change incentives, the
// fixed utilities of those incentives (the same values).
func (w *Workspace) fireShocks(t int) {
	count, last, full := 0, 0, false
	for k := range w.m.shocks {
		s := &w.m.shocks[k]
		if int(w.Out.ShockStep[k]) != t {
			continue
		}
		for _, e := range s.effects {
			w.touchParam(e.target)
			v, f := w.p[e.value], &w.m.params[e.target].Field
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
		if len(s.effects) > 0 {
			count, last = count+1, k
			full = full || s.rebase == nil
		}
	}
	if full {
		// Shocks that change incentives only (rebase) leave the trade
		// shares, rates, coefficients and powers the bounds read alone.
		w.setLostHi()
		w.setRunBounds(false)
	}
	switch {
	case count == 0:
	case full || count > 1:
		w.derive()
	default:
		for _, bi := range w.m.shocks[last].rebase {
			w.rebase(bi)
		}
	}
}

// touchParam records that a shock is about to change p[i] (pGen). When
// the list is full — Simulate called again without SampleDraw — p is
// marked as changed anywhere instead.
func (w *Workspace) touchParam(i int) {
	switch {
	case w.pGen == 0:
	case len(w.pTouched) == cap(w.pTouched):
		w.pGen, w.pTouched = 0, w.pTouched[:0]
	default:
		w.pTouched = append(w.pTouched, int32(i))
	}
}

// rebase recomputes fixed utility bi = (i*n+j)*K + a as derive does, and
// the record words that hold it, after a shock changed its incentive.
func (w *Workspace) rebase(bi int) {
	m := w.m
	w.derivedDirty = true
	w.rebased = append(w.rebased, int32(bi))
	n, K := m.n, len(m.actionIDs)
	i, j, a := bi/K/n, bi/K%n, bi%K
	status := w.actorParam(i, fStatus)
	sv, cost := w.actionParam(a, fStatusValue), w.actionParam(a, fCost)
	v := 0.0
	if s := m.incentive[bi]; s >= 0 {
		v = w.p[s]
	}
	weight := status * w.power[j]
	if i == j {
		weight = status
	}
	w.setBase(bi, weight*sv+v-cost)
}

// setBase sets fixed utility bi and the record words that hold it.
func (w *Workspace) setBase(bi int, v float64) {
	w.base[bi] = v
	for _, r := range w.m.plan.baseRecs[bi] {
		rec := w.propose.rec
		if r.g < len(w.choice) {
			rec = w.choice[r.g].rec
		}
		rec[r.word] = math.Float64bits(v)
	}
}

// send adds an exogenous signal's credibility-weighted intensity.
func (w *Workspace) send(s signal) {
	w.recv[s.to*w.m.n+s.from] += w.p[s.cred] * w.p[s.scale]
}

// sendSignals sends the exogenous signals of month t: those from index
// sig of the model's step-ordered list on. It returns the index of the
// first signal of a later month.
func (w *Workspace) sendSignals(sig, t int) int {
	signals := w.m.signals
	for ; sig < len(signals) && signals[sig].step == t; sig++ {
		w.send(signals[sig])
	}
	return sig
}

// sendDue sends the exogenous signals of month t from w.sigNext on, and
// moves w.sigNext and w.sigStep to the next signal.
func (w *Workspace) sendDue(t int) {
	w.sigNext = w.sendSignals(w.sigNext, t)
	w.sigStep = w.signalStep(w.sigNext)
}

// signalStep returns the month of exogenous signal sig, or MaxInt when
// there is none.
func (w *Workspace) signalStep(sig int) int {
	if sig < len(w.m.signals) {
		return w.m.signals[sig].step
	}
	return math.MaxInt
}

// sendShockSignals sends the signals of the shocks that fired in month
// t, in declaration order.
func (w *Workspace) sendShockSignals(t int) {
	steps := w.Out.ShockStep
	for k := range w.m.shocks {
		if int(steps[k]) == t {
			for _, s := range w.m.shocks[k].signals {
				w.send(s)
			}
		}
	}
}

// Layout of Workspace.monthly for n actors: recv (n² float64, padded to
// a multiple of four), did, held (n² each), acted (n).
func monthlyDid(n int) int   { return (n*n + 3) &^ 3 }
func monthlyHeld(n int) int  { return monthlyDid(n) + n*n }
func monthlyActed(n int) int { return monthlyHeld(n) + n*n }
func monthlySize(n int) int  { return monthlyActed(n) + n }

// monthlyAlloc is the length of Workspace.monthly: four words per element
// of the coefficient kernel's blocks of four, which it clears as it goes
// (coefs); at least monthlySize, as n ≤ n² ≤ (n² + 3) &^ 3.
func monthlyAlloc(n int) int { return 4 * monthlyDid(n) }

// packWho packs decision i → j (j = i: broadcast) taking action a, with
// the indices in Workspace.monthly of the words it sets:
// a | (did's i*n + j)<<6 | j<<32 | (acted's i)<<38: each half holds a
// bit's offset in its low six bits and its word's index above them, so
// that the acting kernel splits it with shifts only. With at most 32
// actors and 64 actions every field fits.
func packWho(i, j, a, n int) uint64 {
	return uint64(a) | uint64(monthlyDid(n)+i*n+j)<<6 | uint64(j)<<32 | uint64(monthlyActed(n)+i)<<38
}

// setDid records that actor i took the actions bits toward the partner
// of ij = i*n + j (j = i: broadcast).
func (w *Workspace) setDid(ij, i int, bits uint64) {
	if bits&w.tradeMask != 0 && w.did[ij]&w.tradeMask == 0 {
		w.addTraded(int32(ij))
	}
	w.did[ij] |= bits
	w.acted[i] |= 1 << uint(ij-i*w.m.n)
}

// addTraded lists ij in traded. Each i*n + j is listed at most once a
// month (when its first action with a trade effect is recorded), so
// that the capacity n² is never exceeded and traded never grows — no
// call to grow it weighs on the loops that record actions.
func (w *Workspace) addTraded(ij int32) {
	k := len(w.traded)
	w.traded = w.traded[:k+1]
	w.traded[k] = ij
}

// sendChoices adds the signals of this month's actions: each action
// aimed at a partner to that partner — a joint action that was held with
// its held intensity c·(g + J), a proposal that was not with c·g —, each
// broadcast action at full intensity to the sender's adversaries (the
// partners it holds a negative stance toward) and at weight ω to the
// others. A sender's broadcast comes before its other actions, partners
// in order, as everywhere the same received total is summed.
func (w *Workspace) sendChoices() {
	a := &w.sendA
	a.spill = w.spill
	sendChoicesAsm(a)
}

// sendArgs are the signal kernel's arguments: the Workspace's slices, set
// up once (NewWorkspace), n, and ω, which sendChoices sets.
// send_amd64.s reads it at fixed offsets (TestSendLayout).
type sendArgs struct {
	acted, did, held      []uint64
	recv, s, sig, sigHeld []float64
	n                     int
	spill                 float64
}

// sendChoicesGo is the signal kernel in Go (see sendChoices).
// sendChoices calls sendChoicesAsm directly, not through a function
// value (which reaches an assembly function by an ABI wrapper), and with
// a single call, so that it stays inlined: the assembly passes on to
// this kernel itself when asmKernels is false (GEOSIM_NOASM), and off
// amd64 sendChoicesAsm is this kernel under the assembly's name.
func sendChoicesGo(a *sendArgs) {
	n := a.n
	nn := n * n
	did, heldv, recv, sv := a.did[:nn], a.held[:nn], a.recv[:nn], a.s[:nn]
	sig, sigHeld := a.sig, a.sigHeld
	for i, mask := range a.acted[:n] {
		if mask == 0 {
			continue
		}
		row := i * n
		if set := did[row+i]; set != 0 {
			v := 0.0
			for ; set != 0; set &= set - 1 {
				v += sig[bits.TrailingZeros64(set)]
			}
			sv := sv[row : row+n]
			for k, s := range sv {
				switch {
				case k == i:
				case s < 0:
					recv[k*n+i] += v
				default:
					recv[k*n+i] += a.spill * v
				}
			}
		}
		for mask &^= 1 << uint(i); mask != 0; mask &= mask - 1 {
			j := bits.TrailingZeros64(mask)
			ij, ji := row+j, j*n+i
			held := heldv[ij]
			for set := did[ij]; set != 0; set &= set - 1 {
				a := bits.TrailingZeros64(set)
				if held&(1<<uint(a)) != 0 {
					recv[ji] += sigHeld[a]
				} else {
					recv[ji] += sig[a]
				}
			}
		}
	}
}

// update advances stances and reciprocity memories by one month:
//
//	s_ij ← b_ij + δ_i (s_ij − b_ij) + κ_i L_ij sent_ji + Σ links, clamped to [-10, 10]
//	m_ij ← δ_r m_ij + (1 − δ_r) sent_ji
//
// with the leverage L_ij = 1 + η·max(0, T_ij − T_ji) of the current
// trade shares T_ij = T̄_ij·φ_ij (MODEL.md §4), element by element over
// the whole matrix (the diagonal stays 0: no actor signals itself).
// Every stance is clamped at once and kept before the clamp (raw); a
// link that applies adds to its stance's raw value and clamps it again,
// so a stance ends as its value after all the month's links, clamped.
// The kernel also starts the month's trade update (MODEL.md §5.5): every
// flow relaxes toward normal, φ ← 1 + δ_T·(φ − 1), which leaves φ = 1
// unchanged; updateTrade applies the month's actions.
func (w *Workspace) update() {
	updateKernel(&w.ma)
}

// Layout of the update kernel's constants: per block of four i*n + j,
// four lanes each of b_ij, δ_i, T̄_ij, T̄_ji and κ_i, padded to 32 words
// (256 bytes, eight times the block's 32 bytes of state), so that the
// assembly kernel addresses a block's constants and state with one index.
const (
	urBase, urDecay, urTrade, urTradeT, urKappa = 0, 4, 8, 12, 16
	updRecWords                                 = 32
)

// updateGo is the update kernel: the element-by-element rule, then the
// links in declaration order on the unclamped stances, then the clamp of
// the stances they moved.
func updateGo(a *matrixArgs) {
	nn, rec, eta, td, rd, ord := a.nn, a.updRec, a.eta[0], a.td[0], a.rd[0], a.ord[0]
	s, mem, recv, phi, raw := a.s[:nn], a.mem[:nn], a.recv[:nn], a.phi[:nn], a.raw[:nn]
	for ij := range s {
		r, l := rec[ij/4*updRecWords:ij/4*updRecWords+updRecWords], ij%4
		f := phi[ij]
		kl := r[urKappa+l] * (1 + eta*max(0, r[urTrade+l]*f-r[urTradeT+l]*f))
		in := recv[ij]
		b := r[urBase+l]
		v := b + r[urDecay+l]*(s[ij]-b) + kl*in
		raw[ij] = v
		s[ij] = clampStance(v)
		mem[ij] = rd*mem[ij] + ord*in
		phi[ij] = 1 + td*(f-1)
	}
	for k := range a.links {
		l := &a.links[k]
		if v := recv[l.recv]; l.applies(v) {
			raw[l.moves] += a.linkWK[k] * v
			s[l.moves] = clampStance(raw[l.moves])
		}
	}
}

// clampStance clamps a stance to the Goldstein scale.
func clampStance(v float64) float64 {
	if v > goldsteinMax {
		return goldsteinMax
	} else if v < -goldsteinMax {
		return -goldsteinMax
	}
	return v
}

// updateTrade finishes each dyad's trade flow update (MODEL.md §5.5):
// the update kernel relaxed every flow toward normal; each action of the
// month with a trade effect multiplies the flow by (1 + e) — a held
// joint action once —, clamped to [0, 3]. Dyads where nobody took such
// an action (traded lists the others) keep the relaxed flow, which lies
// in [0, 3].
func (w *Workspace) updateTrade() {
	if len(w.traded) > 0 { // inlined: most months have no action with a trade effect
		w.tradeMoves()
	}
}

// tradeMoves applies the month's actions with a trade effect (traded)
// to the flows (updateTrade).
func (w *Workspace) tradeMoves() {
	did, heldv, phiv, dyads := w.did, w.held, w.phi, w.m.dyads
	mask := w.tradeMask
	for _, x := range w.traded {
		d := dyads[x]
		ij, ji := int(d&0xffff), int(d>>16) // i*n + j, j*n + i with i ≤ j
		if int(x) != ij && did[ij]&mask != 0 {
			continue // the dyad is in traded from its other side too
		}
		dij, dji, held := did[ij], did[ji], heldv[ij]
		phi := phiv[ij]
		for set := (dij | dji) &^ held & mask; set != 0; set &= set - 1 {
			a := bits.TrailingZeros64(set)
			e := w.trEff[a]
			if dij&(1<<uint(a)) != 0 {
				phi *= 1 + e
			}
			if dji&(1<<uint(a)) != 0 {
				phi *= 1 + e
			}
		}
		for set := held & mask; set != 0; set &= set - 1 {
			phi *= 1 + w.trEff[bits.TrailingZeros64(set)]
		}
		// min(max(φ, 0), 3) by comparisons: φ is never NaN or −0.
		if phi > maxTradeFactor {
			phi = maxTradeFactor
		} else if phi < 0 {
			phi = 0
		}
		phiv[ij], phiv[ji] = phi, phi
	}
}

func (w *Workspace) startTracking() {
	p := &w.m.trk
	rows, s := w.rows, w.s
	for _, r := range p.rel {
		rows[r.row] = (s[r.ab] + s[r.ba]) / 2
	}
	for _, r := range p.trade {
		rows[r.row] = w.tradeNorm[r.ab] * w.phi[r.ab]
	}
	for _, a := range p.actRows {
		rows[a.row] = 0 // nothing done before month 0 is recorded
	}
	clear(w.flags)
	for _, c := range p.anyCounts {
		w.tracker[c.k] = 0
	}
}

// track records the state after month t and the month's actions that
// the model's outcomes, events and series read (trackPlan): the
// relations, trade values and flags by the month kernel, the rare
// any-partner flags and counts here.
func (w *Workspace) track(t int) {
	// A direct call: through a function value the assembly kernel would
	// take an ABI wrapper.
	if trackAsm {
		trackMonthAsm(&w.trkA, t)
	} else {
		trackMonthGo(&w.trkA, t)
	}
	if w.trkA.any {
		w.trackAny(t)
	}
}

// trackAny records the month's actions toward any partner (trackPlan's
// anyFlags and anyCounts).
func (w *Workspace) trackAny(t int) {
	p := &w.m.trk
	flags, did, wd, tb := w.flags, w.did, t>>6, uint64(1)<<uint(t&63)
	for _, f := range p.anyFlags {
		if w.didAny(int(f.actor), f.bit) {
			flags[int(f.at)+wd] |= tb
		}
	}
	n := w.m.n
	for _, c := range p.anyCounts {
		if t < int(c.from) || t > int(c.by) {
			continue
		}
		i := int(c.actor)
		for mask := w.acted[i] &^ (1 << uint(i)); mask != 0; mask &= mask - 1 {
			if did[i*n+bits.TrailingZeros64(mask)]&c.bit != 0 {
				w.tracker[c.k]++
			}
		}
	}
}

// didAny reports whether actor i took the action of bit toward any
// partner this month.
func (w *Workspace) didAny(i int, bit uint64) bool {
	n := w.m.n
	for mask := w.acted[i] &^ (1 << uint(i)); mask != 0; mask &= mask - 1 {
		if w.did[i*n+bits.TrailingZeros64(mask)]&bit != 0 {
			return true
		}
	}
	return false
}

// finishTracking reads the run's outcomes and events off the record:
// minima, maxima and means over the states after each month in month
// order, as a month-by-month update would take them.
func (w *Workspace) finishTracking() {
	p := &w.m.trk
	T := w.m.steps
	rows, flags := w.rows, w.flags
	for _, a := range p.actRows {
		f, r := flags[a.flag:][:p.words], rows[a.row:][:T+1]
		for t := 0; t < T; t++ {
			r[t+1] = float64(f[t>>6] >> uint(t&63) & 1)
		}
	}
	for k := range p.outs {
		o := &p.outs[k]
		var v float64
		switch o.how {
		case 'v':
			v = rows[o.at+o.lo]
		case 'n':
			v = rowMin(rows[o.at+1:][:T])
		case 'x':
			v = rowMax(rows[o.at+1:][:T])
		case 'm':
			for _, x := range rows[o.at+1:][:T] {
				v += x
			}
			v /= float64(T)
		case 'c':
			v = float64(countBits(flags[o.at:][:p.words], o.lo, o.hi))
		case 'C':
			v = w.tracker[k]
		}
		w.Out.Outcomes[k] = v
	}
	for k := range p.evs {
		e := &p.evs[k]
		step := int32(-1)
		switch e.how {
		case 'f':
			step = firstBit(flags[e.at:][:p.words], e.lo, e.hi)
		case 't': // one loop per direction: the test per month is one comparison
			r, level := rows[e.at+1:][:T][e.lo:e.hi+1], e.level
			if e.below {
				for k, v := range r {
					if v < level {
						step = e.lo + int32(k)
						break
					}
				}
			} else {
				for k, v := range r {
					if v > level {
						step = e.lo + int32(k)
						break
					}
				}
			}
		case 's':
			if st := w.Out.ShockStep[e.shock]; st >= e.lo && st <= e.hi {
				step = st
			}
		}
		w.Out.EventStep[k] = step
	}
}

// rowMin is min(+Inf, xs...) of a quantity row, whose values are never
// NaN (stances are clamped and trade values are products of bounded,
// finite factors): the smallest value by comparison, which costs fewer
// instructions than the builtin's NaN and signed-zero handling, then the
// builtin's sign of a zero result (−0 if any element is −0).
func rowMin(xs []float64) float64 {
	v := math.Inf(1)
	for _, x := range xs {
		if x < v {
			v = x
		}
	}
	if v == 0 {
		for _, x := range xs {
			if x == 0 && math.Signbit(x) {
				return x
			}
		}
	}
	return v
}

// rowMax is max(−Inf, xs...) of a quantity row, as rowMin: +0 if the
// largest value is a zero and any element is +0.
func rowMax(xs []float64) float64 {
	v := math.Inf(-1)
	for _, x := range xs {
		if x > v {
			v = x
		}
	}
	if v == 0 {
		for _, x := range xs {
			if x == 0 && !math.Signbit(x) {
				return x
			}
		}
	}
	return v
}

// Use sets the parameter vector to the fixed values of the model with the
// uncertain parameters at values (in Model.Uncertain order), for designs
// that choose the values themselves; follow it with Simulate.
func (w *Workspace) Use(values []float64) {
	w.pGen, w.pTouched = 0, w.pTouched[:0]
	copy(w.p, w.m.base)
	w.SetParams(values)
}
