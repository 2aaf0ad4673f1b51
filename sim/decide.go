package sim

import (
	"math"
	"slices"
	"strconv"
)

// plan lists the decisions of a month, fixed at compile time: which
// channels each actor weighs toward each partner, and the name of every
// decision's random stream.
type plan struct {
	choice  []choiceGroup // choice decisions, grouped by their number of options
	calFix  [][]choiceRef // per step: choice decisions an active occasion pays for
	hazards []hazardDec
	// lostActors lists the actors of lost-trade covariates (hazards and
	// shocks), whose bound lostHi Workspace.setLostHi keeps.
	lostActors []int
	// stateShocks lists the shocks whose hazard has covariates.
	stateShocks []int
	// boundHaz lists the hazards with one option, no occasion raising
	// them and covariates of bounded kinds only, boundShocks the state
	// shocks with such covariates, and boundStances the i*n+j of the
	// stances these covariates read: Workspace.setRunBounds gives each
	// a uniform at and above which it is not taken all run.
	boundHaz, boundShocks, boundStances []int
	// calPay and calHaz list per step the increments of the active
	// occasions to payoffs and to log hazard ratios (calendarIncs).
	calPay, calHaz [][]calInc
	joints         []jointDec
	// propose screens the proposals of joint channels with one action:
	// lanes 2k and 2k+1 are the two proposals of joint decision
	// proposeOf[k] (see screenJoints). jointCal lists, per step, the
	// joint decisions an active occasion pays for; calScreen, per step
	// with such decisions among the screened ones, masks their lanes
	// (whose screen does not apply) in the words of the screen's mask.
	propose     choiceGroup
	proposeOf   []int
	jointAlways []int // joint decisions with several actions: never screened
	jointCal    [][]int
	calScreen   [][]uint64
	// baseRecs lists, per fixed utility (i*n+j)*K + a, the record words
	// that hold it: group (len(choice) for propose) and word.
	baseRecs [][]recPos
}

type recPos struct{ g, word int }

type hazardDec struct {
	i, j int // j = i: broadcast
	opts []int
	decl []int // per option: index into Model.hazardDecls
	key  uint64
	// With one option a (decide takes these itself): i*n+j, the index
	// (i*n+j)*K + a of its occasion's log hazard ratio, its bit, and its
	// declaration's rate slot and covariates.
	ij, calIdx, rate int
	bit              uint64
	covs             []covariate
}

// hazardRef is a hazard decision of the plan as decide reads it every
// month: for one option, its base rate in p and its run bound in hazHi
// by address (taken once, newHazardRefs, in arrays allocated once in
// NewWorkspace and never replaced), so that the month loads no slice
// headers and checks no bounds before the uniform settles it, and its
// key; for several options, nil addresses (decideHazard).
type hazardRef struct {
	rate, hi *float64
	key      uint64
}

// newHazardRefs returns w's hazardRef of each of the plan's hazard
// decisions, in its order.
func newHazardRefs(w *Workspace) []hazardRef {
	hs := w.m.plan.hazards
	out := make([]hazardRef, len(hs))
	for k := range hs {
		if d := &hs[k]; len(d.opts) == 1 {
			out[k] = hazardRef{rate: &w.p[d.rate], hi: &w.hazHi[k], key: d.key}
		}
	}
	return out
}

type jointDec struct {
	i, j                                 int // i < j
	opts                                 []int
	proposeI, proposeJ, acceptI, acceptJ uint64
	// With one option a: the indices i*n+j, j*n+i, (i*n+j)*K+a,
	// (j*n+i)*K+a, i*K+a and j*K+a of its utilities' terms.
	ij, ji, ijA, jiA, iA, jA int
}

// decisionKey names a decision's random stream.
func decisionKey(parts ...string) uint64 {
	s := ""
	for k, p := range parts {
		if k > 0 {
			s += "/"
		}
		s += p
	}
	return pathHash(s)
}

func (m *Model) makePlan() plan {
	n := m.n
	var pl plan
	groups := map[int]*choiceGroup{} // by number of options
	where := map[[2]int]choiceRef{}  // (i*n+j, channel) → its choice decision
	type refT struct {
		nopt int
		i, j int
		opts []int
		key  uint64
		ch   int
	}
	var refs []refT
	opts := func(i int, ch channel) []int {
		var out []int
		for _, a := range ch.actions {
			if m.available(i, a) {
				out = append(out, a)
			}
		}
		return out
	}
	ids := m.actorIDs
	for i := 0; i < n; i++ {
		for k, ch := range m.channels {
			o := opts(i, ch)
			if len(o) == 0 {
				continue
			}
			switch ch.mode {
			case 'c':
				for j := 0; j < n; j++ {
					if (j == i) != ch.broadcast {
						continue
					}
					key := decisionKey("choose", ids[i], ch.name)
					if j != i {
						key = decisionKey("choose", ids[i], ids[j], ch.name)
					}
					refs = append(refs, refT{len(o), i, j, o, key, k})
					if groups[len(o)] == nil {
						groups[len(o)] = &choiceGroup{nopt: len(o)}
					}
					groups[len(o)].n++
				}
			case 'h':
				for j := 0; j < n; j++ {
					if (j == i) != ch.broadcast {
						continue
					}
					d := hazardDec{i: i, j: j, opts: o, key: decisionKey("hazard", ids[i], ch.name)}
					if j != i {
						d.key = decisionKey("hazard", ids[i], ids[j], ch.name)
					}
					for _, a := range o {
						d.decl = append(d.decl, m.hazard[(i*n+j)*len(m.actionIDs)+a])
					}
					h := &m.hazardDecls[d.decl[0]]
					d.ij, d.calIdx, d.bit = i*n+j, (i*n+j)*len(m.actionIDs)+o[0], 1<<uint(o[0])
					d.rate, d.covs = h.rate, h.covs
					pl.hazards = append(pl.hazards, d)
				}
			case 'j':
				for j := i + 1; j < n; j++ {
					var both []int
					for _, a := range o {
						if m.available(j, a) {
							both = append(both, a)
						}
					}
					if len(both) == 0 {
						continue
					}
					pl.joints = append(pl.joints, jointDec{i: i, j: j, opts: both,
						proposeI: decisionKey("propose", ids[i], ids[j], ch.name),
						proposeJ: decisionKey("propose", ids[j], ids[i], ch.name),
						acceptI:  decisionKey("accept", ids[i], ids[j], ch.name),
						acceptJ:  decisionKey("accept", ids[j], ids[i], ch.name)})
				}
			}
		}
	}
	// The decisions of a group toward one partner (i*n + j: the same
	// coefficient and threat), four at a time, fill the group's first
	// records, shared ones, whose four lanes the AVX2 kernel reads with
	// one load each instead of a gather (chooseSet.shared); the others
	// follow in their order. Shared records come in multiples of four,
	// the kernel's step (a record left over costs more than the loads
	// save). A group's order changes no output: every decision keeps its
	// key, the acting kernel and setDid only set bits and list each
	// i*n + j in traded once, and tradeMoves takes each dyad of traded
	// alone.
	type pairKey struct{ nopt, ij int }
	same := map[pairKey][]int{} // the refs of each group and partner
	blocks := map[int][][]int{} // per group: four refs of one partner each
	for k, r := range refs {
		pk := pairKey{r.nopt, r.i*n + r.j}
		same[pk] = append(same[pk], k)
	}
	for _, r := range refs {
		pk := pairKey{r.nopt, r.i*n + r.j}
		for ks := same[pk]; len(ks) >= choiceLanes; ks = ks[choiceLanes:] {
			blocks[r.nopt] = append(blocks[r.nopt], ks[:choiceLanes])
		}
		same[pk] = nil
	}
	shared := make([]bool, len(refs))
	var order []int
	for nopt := 1; nopt <= MaxActions; nopt++ {
		bs := blocks[nopt]
		bs = bs[:len(bs)/choiceLanes*choiceLanes]
		for _, b := range bs {
			order = append(order, b...)
			for _, k := range b {
				shared[k] = true
			}
		}
		if groups[nopt] != nil {
			groups[nopt].shared = len(bs)
		}
	}
	for k := range refs {
		if !shared[k] {
			order = append(order, k)
		}
	}
	sorted := make([]refT, 0, len(refs))
	for _, k := range order {
		sorted = append(sorted, refs[k])
	}
	refs = sorted
	for nopt := 1; nopt <= MaxActions; nopt++ {
		g := groups[nopt]
		if g == nil {
			continue
		}
		g.np = (g.n + choiceLanes - 1) / choiceLanes * choiceLanes
		g.ij = make([]int32, g.np)
		g.actor = make([]int32, g.np)
		g.key = make([]uint64, g.np)
		g.acts = make([]int32, nopt*g.np)
		g.whoStride = 8 * ((g.np/choiceLanes + 7) &^ 7)
		g.who = make([]uint64, nopt*g.whoStride)
		g.n = 0
		pl.choice = append(pl.choice, *g)
	}
	index := map[int]int{}
	for k, g := range pl.choice {
		index[g.nopt] = k
	}
	for _, r := range refs {
		gi := index[r.nopt]
		g := &pl.choice[gi]
		d := g.n
		g.n++
		g.ij[d], g.actor[d], g.key[d] = int32(r.i*n+r.j), int32(r.i), r.key
		for k, a := range r.opts {
			g.acts[k*g.np+d] = int32(a)
		}
		where[[2]int{r.i*n + r.j, r.ch}] = choiceRef{gi, d}
		for k, a := range r.opts {
			g.who[k*g.whoStride+whoSlot(d)] = packWho(r.i, r.j, a, n)
		}
	}
	pl.calFix = make([][]choiceRef, m.steps)
	K := len(m.actionIDs)
	for t := range pl.calFix {
		seen := map[choiceRef]bool{}
		for _, k := range m.calAt[t] {
			o := &m.calendar[k]
			if o.hazard {
				continue
			}
			for _, idx := range o.targets {
				ij, a := idx/K, idx%K
				if m.mode[a] != 'c' {
					continue
				}
				if r, ok := where[[2]int{ij, m.channelOf[a]}]; ok && !seen[r] {
					seen[r] = true
					pl.calFix[t] = append(pl.calFix[t], r)
				}
			}
		}
	}
	var single []int
	for k := range pl.joints {
		if jd := &pl.joints[k]; len(jd.opts) == 1 {
			single = append(single, k)
			a := jd.opts[0]
			jd.ij, jd.ji = jd.i*n+jd.j, jd.j*n+jd.i
			jd.ijA, jd.jiA, jd.iA, jd.jA = jd.ij*K+a, jd.ji*K+a, jd.i*K+a, jd.j*K+a
		}
	}
	pg := choiceGroup{nopt: 2, n: 2 * len(single)}
	pg.np = (pg.n + choiceLanes - 1) / choiceLanes * choiceLanes
	pg.ij, pg.actor, pg.key, pg.acts = make([]int32, pg.np), make([]int32, pg.np), make([]uint64, pg.np), make([]int32, 2*pg.np)
	for x, k := range single {
		jd := &pl.joints[k]
		for side, d := range [2]int{2 * x, 2*x + 1} {
			i, j, key := jd.i, jd.j, jd.proposeI
			if side == 1 {
				i, j, key = jd.j, jd.i, jd.proposeJ
			}
			pg.ij[d], pg.actor[d], pg.key[d] = int32(i*n+j), int32(i), key
			pg.acts[d], pg.acts[pg.np+d] = int32(jd.opts[0]), -1
		}
	}
	pl.propose, pl.proposeOf = pg, single
	for k, jd := range pl.joints {
		if len(jd.opts) > 1 {
			pl.jointAlways = append(pl.jointAlways, k)
		}
	}
	for _, covs := range m.covariateLists() {
		for _, cv := range covs {
			if cv.kind == 'l' && !slices.Contains(pl.lostActors, cv.a) {
				pl.lostActors = append(pl.lostActors, cv.a)
			}
		}
	}
	pl.calPay, pl.calHaz = m.calendarIncs()
	for k := range m.shocks {
		if len(m.shocks[k].covs) > 0 {
			pl.stateShocks = append(pl.stateShocks, k)
		}
	}
	pl.planRunBounds(m)
	pl.jointCal, pl.calScreen = make([][]int, m.steps), make([][]uint64, m.steps)
	for t := range pl.jointCal {
		for k, jd := range pl.joints {
			ij, ji := jd.i*n+jd.j, jd.j*n+jd.i
		occasions:
			for _, oc := range m.calAt[t] {
				o := &m.calendar[oc]
				for _, idx := range o.targets {
					if !o.hazard && (idx/K == ij || idx/K == ji) && slices.Contains(jd.opts, idx%K) {
						pl.jointCal[t] = append(pl.jointCal[t], k)
						if x := slices.Index(single, k); x >= 0 {
							if pl.calScreen[t] == nil {
								pl.calScreen[t] = make([]uint64, (pg.np/choiceLanes+7)/8)
							}
							// Lanes 2x and 2x+1: record x/2, bits 2(x%2) and up.
							pl.calScreen[t][x/16] |= 3 << uint(8*(x/2%8)+2*(x%2))
						}
						break occasions
					}
				}
			}
		}
	}
	// Shocks whose effects only change incentives rebase the fixed
	// utilities they touch (Workspace.rebase) and the records holding
	// them (baseRecs).
	use := map[int][]int{} // incentive slot → its (i*n+j)*K + a
	for bi, slot := range m.incentive {
		if slot >= 0 {
			use[slot] = append(use[slot], bi)
		}
	}
	for k := range m.shocks {
		sh := &m.shocks[k]
		sh.rebase = []int{}
		for _, e := range sh.effects {
			bis, ok := use[e.target]
			if !ok {
				sh.rebase = nil
				break
			}
			for _, bi := range bis {
				if !slices.Contains(sh.rebase, bi) {
					sh.rebase = append(sh.rebase, bi)
				}
			}
		}
	}
	pl.baseRecs = make([][]recPos, n*n*K)
	for gi := 0; gi <= len(pl.choice); gi++ {
		g := &pl.propose
		if gi < len(pl.choice) {
			g = &pl.choice[gi]
		}
		for d := 0; d < g.n; d++ {
			for k := 0; k < g.nopt; k++ {
				a := int(g.acts[k*g.np+d])
				if a < 0 { // a proposal's constant option
					continue
				}
				bi := int(g.ij[d])*K + a
				pl.baseRecs[bi] = append(pl.baseRecs[bi], recPos{gi, d/choiceLanes*recSize(g.nopt) + recOpt + 12*k + 8 + d%choiceLanes})
			}
		}
	}
	m.trk = m.planTracking()
	m.bcastActors = nil
	for _, g := range pl.choice {
		for d := 0; d < g.n; d++ {
			if i := int(g.actor[d]); int(g.ij[d]) == i*n+i && !slices.Contains(m.bcastActors, i) {
				m.bcastActors = append(m.bcastActors, i)
			}
		}
	}
	slices.Sort(m.bcastActors)
	for _, covs := range m.covariateLists() {
		for k := range covs {
			cv := &covs[k]
			cv.diag = cv.kind == 't' && slices.Contains(m.bcastActors, cv.a)
			if cv.b >= 0 {
				cv.ab, cv.ba = cv.a*n+cv.b, cv.b*n+cv.a
			}
		}
	}
	m.dyads = make([]uint32, n*n)
	for i := range n {
		for j := range n {
			lo, hi := min(i, j), max(i, j)
			m.dyads[i*n+j] = uint32(lo*n+hi) | uint32(hi*n+lo)<<16
		}
	}
	m.monthKey = make([]uint64, m.steps)
	for t := range m.monthKey {
		m.monthKey[t] = pathHash("month/" + strconv.Itoa(t))
	}
	m.burnKey = make([]uint64, m.burnIn)
	for k := range m.burnKey {
		m.burnKey[k] = pathHash("month/" + strconv.Itoa(k-m.burnIn))
	}
	return pl
}

// decisionThreshold is the utility (times rationality) beyond which a
// binary logit decision is settled whatever its uniform: for z > 38,
// e^(−z) < 2^−54 and u·(1 + e^(−z)) rounds to u < 1; for z < −38,
// u·(1 + e^(−z)) ≥ 2^−53·e^38 > 1.
const decisionThreshold = 38

// act decides a binary logit choice of value z = λ·U against not acting,
// with the uniform u of the decision named key in the month keyed mk: it
// acts iff u·(1 + e^(−z)) < 1, which happens with probability
// 1 / (1 + e^(−z)). The uniform is not computed when z settles the
// decision alone.
func act(z float64, mk, key uint64) bool {
	switch {
	case z > decisionThreshold:
		return true
	case z < -decisionThreshold:
		return false
	}
	return actU(z, uniform(mk, key))
}

// actU is the rule u·(1 + fastExp(−z)) < 1 for |z| ≤ 38, decided
// without fastExp when a rough exponential settles it: with
// e = roughExp(−z), the exact fastExp(−z) lies in [e/1.0620, e·1.00034],
// so t = u·(1 + e) below actSure means the rule holds and t above
// actNever that it does not; only the few uniforms in between (about 6%
// of p(1−p) of the decisions) compute the exponential.
func actU(z, u float64) bool {
	t := u * (1 + roughExp(-z))
	if t < actSure {
		return true
	}
	if t > actNever {
		return false
	}
	return u*(1+fastExpUnchecked(-z)) < 1 // |z| ≤ 38
}

// Bounds of the rough decision (see actU and roughExp), with margins far
// larger than the rounding errors of t and of the exact rule.
const (
	actSure  = 0.9996
	actNever = 1.0621
)

// roughExp returns an approximation e of e^x for |x| ≤ 700 with
// e/1.0620 ≤ e^x ≤ 1.00034·e (Schraudolph 1999, with 10 fractional
// bits): n = round(x·1024/ln2) read off the mantissa of
// x·1024/ln2 + 1.5·2^52, shifted into the exponent field with the bias
// added, gives 2^⌊n/1024⌋·(1 + (n mod 1024)/1024) — a linear
// interpolation of 2^f between powers of two, never below 2^f, within
// 2^(±1/2048) of 2^(x/ln2). The assembly kernel computes the same bits.
func roughExp(x float64) float64 {
	return math.Float64frombits(math.Float64bits(x*roughScale+roundShift)<<42 + 1023<<52)
}

const roughScale = 1024 / math.Ln2

// uniform is the uniform of the decision named key in the month whose
// key is mk (docs/MODEL.md §8).
func uniform(mk, key uint64) float64 { return unit(splitmix64(mk ^ key)) }

// unit maps 64 random bits to (0, 1): (⌊x/2^12⌋ + ½)/2^52.
func unit(x uint64) float64 { return (float64(x>>12) + 0.5) * (1.0 / (1 << 52)) }

// decide takes every decision of the month keyed mk, step t (t < 0: a
// burn-in month), filling did and held (MODEL.md §5.2).
func (w *Workspace) decide(mk uint64, t int) {
	w.coefs()
	w.choose(mk, t)
	pl := &w.m.plan
	for k := range w.hazT {
		r := &w.hazT[k]
		if r.rate == nil {
			w.decideHazard(&pl.hazards[k], mk)
			continue
		}
		// One option: taken with its probability, the uniform drawn only
		// for rates strictly between 0 and 1; most uniforms lie at or
		// above the run's bound hazHi and settle it at once.
		rate := *r.rate
		if rate <= 0 {
			continue
		}
		if rate >= 1 {
			d := &pl.hazards[k]
			w.setDid(d.ij, d.i, d.bit)
		} else if u := uniform(mk, r.key); u < *r.hi {
			d := &pl.hazards[k]
			if w.hazardTaken(rate, d.covs, w.calH[d.calIdx], u, &w.hazL[d.decl[0]], true) {
				w.setDid(d.ij, d.i, d.bit)
			}
		}
	}
	w.screenJoints(mk, t)
}

// coefs starts the month: it computes the month's cooperation
// coefficients c_ij and threats θ_ij (MODEL.md §5.2.1), and on the
// diagonal, for actors with broadcast choice decisions, the weighted
// mean coefficient c̄_i and the largest threat θ_i; and it empties the
// month's received signals and actions (recv, did, held, acted: the
// kernel clears Workspace.monthly in the same pass, four words per
// element, instead of a separate clear; and traded), which the month's
// decisions and signals then fill. The economic term
// E_i·T̄_ij·(φ + ρ·max(0, 1 − φ)) is (E_i·T̄_ij)·1 while the flow is
// normal, so that E_i·T̄_ij + B_ij (derive's et and etStake) is the same
// floating-point value as the first two terms.
func (w *Workspace) coefs() {
	w.traded = w.traded[:0]
	coefsKernel(&w.ma)
}

// Layout of the coefficient kernel's constants: per block of four
// i*n + j, four lanes each of E_i·T̄_ij, E_i·T̄_ij + B_ij, B_ij, A_i/10,
// R_i/10, ρ_i and −P_j, padded to 32 words as the update kernel's.
const (
	crET, crETS, crStake, crAff, crRec, crLoss, crNegPow = 0, 4, 8, 12, 16, 20, 24
	coefRecWords                                         = 32
)

// coefsGo is the coefficient kernel: it clears a.monthly, then computes
// c_ij and θ_ij for every i*n + j from the state and the constants
// coefRec (the diagonal's values are not used), then the diagonal of the
// actors in a.bcast. The assembly kernel
// computes the diagonal for four of them at a time, partner by partner,
// so each lane adds its terms in the same order as here. It applies the
// general rule where φ = 1 as well: there its factor φ + ρ·max(0, 1 − φ)
// is exactly 1 (ρ is finite), so its first two terms are the same value
// E·T̄ + B as the record's crETS, which this branch reads to save work.
func coefsGo(a *matrixArgs) {
	clear(a.monthly)
	nn, rec := a.nn, a.coefRec
	coef, threat, s, mem, phi := a.coef[:nn], a.threat[:nn], a.s[:nn], a.mem[:nn], a.phi[:nn]
	for ij := range coef {
		r, l := rec[ij/4*coefRecWords:ij/4*coefRecWords+coefRecWords], ij%4
		sij := s[ij]
		if f := phi[ij]; f == 1 {
			coef[ij] = r[crETS+l] + r[crAff+l]*sij + r[crRec+l]*mem[ij]
		} else {
			coef[ij] = r[crET+l]*(f+r[crLoss+l]*max(0, 1-f)) + r[crStake+l] + r[crAff+l]*sij + r[crRec+l]*mem[ij]
		}
		// P_j·max(0, −s_ij) as (−P_j)·s_ij where that is positive, else
		// +0: with P_j ≥ 0 (power lies in [0, 1]) the same value as
		// (−P_j)·s_ij where s_ij < 0, and one comparison fewer in SIMD.
		t := r[crNegPow+l] * sij
		if !(t > 0) {
			t = 0
		}
		threat[ij] = t
	}
	n, spill := a.n, a.spill
	for _, i := range a.bcast {
		row, srow, trow := coef[i*n:i*n+n], s[i*n:i*n+n], threat[i*n:i*n+n]
		coefSum, weightSum, threatMax := 0.0, 0.0, 0.0
		for j, c := range row {
			if j == i {
				continue
			}
			if srow[j] < 0 { // an adversary: broadcast actions are aimed at these
				coefSum += c
				weightSum++
				if t := trow[j]; t > threatMax { // max by comparison: threats are ≥ +0, never NaN
					threatMax = t
				}
			} else { // others receive a broadcast at weight ω
				coefSum += spill * c
				weightSum += spill
			}
		}
		coefMean := 0.0
		if weightSum > 0 {
			coefMean = coefSum / weightSum
		}
		row[i], trow[i] = coefMean, threatMax
	}
}

// decideHazard takes the decision of a hazard channel with several
// options: the option with the largest monthly probability, taken with
// that probability.
func (w *Workspace) decideHazard(d *hazardDec, mk uint64) {
	m := w.m
	n, K := m.n, len(m.actionIDs)
	ij := d.i*n + d.j
	best, bestA := 0.0, -1
	for k, a := range d.opts {
		h := &m.hazardDecls[d.decl[k]]
		if p := w.hazardProb(w.p[h.rate], h.covs, w.calH[ij*K+a]); bestA < 0 || p > best {
			best, bestA = p, a
		}
	}
	if best > 0 && (best >= 1 || uniform(mk, d.key) < best) {
		w.setDid(ij, d.i, 1<<uint(bestA))
	}
}

// decideJoint takes the decisions of joint decision k of the plan, a
// pair about a joint channel: the action whose holding both value most,
// each side's proposal weighing the partner's chance of accepting, and
// the answer to a one-sided proposal (MODEL.md §5.2.3). Bit 0 of sides is clear when screenJoints
// found that i surely does not propose, bit 1 likewise for j: that
// proposal, and the partner's acceptance probability it would weigh, are
// not computed. Bit 2 set says the screen did not apply (several
// actions, or an occasion's payoff): the same bound λ·max(H, −D) is
// tested here, before the partner's acceptance probability is computed.
func (w *Workspace) decideJoint(k int, mk uint64, sides int) {
	t := &w.jointT[k]
	d := t.d
	var a, ij, ji int
	var hi, hj, li, lj, rebuff float64
	if t.x != nil {
		a, ij, ji = t.a, d.ij, d.ji
		hi = *t.cij**t.x + *t.tij**t.qi + *t.bij + *t.uij
		hj = *t.cji**t.x + *t.tji**t.qj + *t.bji + *t.uji
		li, lj, rebuff = *t.li, *t.lj, *t.rebuff
	} else {
		n, K := w.m.n, len(w.m.actionIDs)
		ij, ji = d.i*n+d.j, d.j*n+d.i
		best, bestA := 0.0, -1
		for _, a := range d.opts {
			ui := w.coef[ij]*w.xHeld[a] + w.threat[ij]*w.q[d.i*K+a] + w.base[ij*K+a] + w.calU[ij*K+a]
			uj := w.coef[ji]*w.xHeld[a] + w.threat[ji]*w.q[d.j*K+a] + w.base[ji*K+a] + w.calU[ji*K+a]
			if bestA < 0 || ui+uj > best {
				best, bestA, hi, hj = ui+uj, a, ui, uj
			}
		}
		a = bestA
		li, lj, rebuff = w.lambda[d.i], w.lambda[d.j], w.rebuff[a]
	}
	// Each side's proposal: with the partner's chance of accepting
	// q = sigmoid(λo·Ho), act on z = λ·(q·H − (1 − q)·D) with the
	// proposal's uniform. sigmoid and act are written out: the rule is
	// too large to inline, and a call, even one rarely reached, costs as
	// much in registers saved and reloaded around it as the rule itself.
	var pi, pj bool
	if sides&1 != 0 {
		if u := uniform(mk, d.proposeI); sides&4 == 0 || mayPropose(hi, li, rebuff, u) {
			q := 1 / (1 + fastExpUnchecked(sigmoidArg(lj*hj)))
			z := li * (q*hi - (1-q)*rebuff)
			var exact bool
			if pi, exact = actRough(z, u); exact {
				pi = u*(1+fastExpUnchecked(-z)) < 1
			}
		}
	}
	if sides&2 != 0 {
		if u := uniform(mk, d.proposeJ); sides&4 == 0 || mayPropose(hj, lj, rebuff, u) {
			q := 1 / (1 + fastExpUnchecked(sigmoidArg(li*hi)))
			z := lj * (q*hj - (1-q)*rebuff)
			var exact bool
			if pj, exact = actRough(z, u); exact {
				pj = u*(1+fastExpUnchecked(-z)) < 1
			}
		}
	}
	// A one-sided proposal's answer: act on the partner's λ·H, written
	// out as the proposals are.
	held := pi && pj
	if pi != pj {
		z, key := lj*hj, d.acceptJ
		if pj {
			z, key = li*hi, d.acceptI
		}
		u := uniform(mk, key)
		var exact bool
		if held, exact = actRough(z, u); exact {
			held = u*(1+fastExpUnchecked(-z)) < 1
		}
	}
	bit := uint64(1) << uint(a)
	if pi || held {
		w.setDid(ij, d.i, bit)
	}
	if pj || held {
		w.setDid(ji, d.j, bit)
	}
	if held {
		w.held[ij] |= bit
		w.held[ji] |= bit
	}
}

// jointTerms holds, for a joint decision with one action a, the
// addresses in a Workspace's arrays of the terms of its two utilities
// H_i = c_ij·x_a + θ_ij·q_ia + F_ija + O_ija (held intensity x, security
// term q, fixed utility F, occasion payoff O) and H_j likewise, of λ_i,
// λ_j and a's rebuff cost D: taken once (newJointTerms), so that
// decideJoint, called a few times every month, reads each with one load
// instead of a slice's pointer, length, index and bounds check. The
// arrays are allocated once, in NewWorkspace, and never replaced.
type jointTerms struct {
	cij, cji, tij, tji, x, qi, qj, bij, bji, uij, uji, li, lj, rebuff *float64
	d                                                                 *jointDec // the plan's joint decision, for every joint
	a                                                                 int       // the action
}

// newJointTerms returns the jointTerms of w's joint decisions, indexed
// as the plan's joints (those with several actions: all nil but d).
func newJointTerms(w *Workspace) []jointTerms {
	joints := w.m.plan.joints
	out := make([]jointTerms, len(joints))
	for k := range joints {
		d := &joints[k]
		out[k].d = d
		if len(d.opts) != 1 {
			continue
		}
		a := d.opts[0]
		out[k] = jointTerms{
			cij: &w.coef[d.ij], cji: &w.coef[d.ji], tij: &w.threat[d.ij], tji: &w.threat[d.ji],
			x: &w.xHeld[a], qi: &w.q[d.iA], qj: &w.q[d.jA], bij: &w.base[d.ijA], bji: &w.base[d.jiA],
			uij: &w.calU[d.ijA], uji: &w.calU[d.jiA], li: &w.lambda[d.i], lj: &w.lambda[d.j], rebuff: &w.rebuff[a], d: d, a: a,
		}
	}
	return out
}

// actRough decides act's rule on z with the decision's uniform u where
// the settled range or the rough exponential suffice (exact false), as
// act and actU do; exact true leaves the decision to the exact rule
// u·(1 + fastExp(−z)) < 1. decideJoint writes out its proposals and
// answers with it.
func actRough(z, u float64) (p, exact bool) {
	switch {
	case z > decisionThreshold:
		return true, false
	case z < -decisionThreshold:
		return false, false
	}
	t := u * (1 + roughExp(-z))
	return t < actSure, !(t < actSure) && !(t > actNever)
}

// mayPropose is false when a side of value h, rationality λ ≥ 0 and
// rebuff cost D surely makes no proposal with the uniform u, whatever the
// partner's chance of accepting: the screen of screenJoints, on the
// upper bound λ·max(h, −D) of the proposal's value, which act's rough
// test rules out (a NaN rules nothing out).
func mayPropose(h, lam, rebuff, u float64) bool {
	zb := lam * max(h, -rebuff)
	return !(lam >= 0 && (zb < -decisionThreshold || zb <= decisionThreshold && u*(1+roughExp(-zb)) > actNever))
}

// sigmoid is 1 / (1 + e^(−z)) with the exponential of act, its argument
// −z clamped to [−700, 700] by comparisons (the same value as
// min(max(−z, −700), 700), a NaN included).
func sigmoid(z float64) float64 {
	return 1 / (1 + fastExpUnchecked(sigmoidArg(z)))
}

// sigmoidArg is sigmoid's argument of the exponential, −z clamped.
func sigmoidArg(z float64) float64 {
	x := -z
	if x < -700 {
		x = -700
	} else if x > 700 {
		x = 700
	}
	return x
}
