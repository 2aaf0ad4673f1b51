package sim

import (
	"encoding/binary"
	"math"
	"math/bits"
	"unsafe"
)

// The choice decisions of a month (MODEL.md §5.2.2) are taken in bulk:
// decisions with the same number of options form a group whose
// per-decision constants (rationality, and per option its intensity,
// security payoff and fixed utility) sit in flat records, so that one
// kernel computes every decision's best option, its value z = λ·U and
// its uniform, and settles it with the rough bound of actU. It leaves
// two bit sets: the decisions that act, and the few the bound cannot
// settle, which the exact rule decides afterwards from z computed again
// (chooseRough: storing z cost an instruction a record, computing it
// again costs a few per undecided decision, ~30 a run of ~4,700).
// Decisions an active occasion pays for (their utility has one more
// term) are decided again by the scalar rule, chooseExact.
//
// The kernel exists three times: chooseGo, and in assembly chooseAVX2
// (AVX2, four decisions per step) and chooseAVX512 (AVX-512, the hash of
// eight decisions per step), which compute the same bits — every
// floating-point operation is the same IEEE operation in the same order,
// and the 64-bit multiplications of SplitMix64 are exact in all three —,
// as TestChooseKernelsAgree checks on every kernel the CPU can run.

// choiceLanes is the number of decisions in a record; groups are padded
// to a multiple of it.
const choiceLanes = 4

// Layout of a record of four decisions, in 64-bit words: the kernels
// read and write exactly this.
const (
	recIJ     = 0  // words 0–1: i*n + j of each lane as four int32 (the index of its coefficient and threat)
	recKey    = 4  // words 4–7: the key of each lane's uniform
	recLambda = 8  // words 8–11: λ_i·(−1024/ln2) (float64), see roughT
	recBest   = 12 // words 12–15, output of records of several options: minus the best option (int64: 0, −1, …; a two-option record's compare mask as is)
	recOpt    = 16 // from word 16, per option k at recOpt + 12k: x_a, Q_i·ψ_a/10 and the fixed utility F, four lanes each
)

func recSize(nopt int) int { return recOpt + 12*nopt }

// choiceGroup is the plan of the choice decisions with nopt options.
type choiceGroup struct {
	nopt  int
	n, np int // decisions, and decisions padded to a multiple of choiceLanes
	// shared is the number of first records whose four lanes share one
	// i*n + j (makePlan orders the decisions so).
	shared int
	ij     []int32  // per decision: i*n + j (j = i: broadcast)
	actor  []int32  // per decision: the actor i
	key    []uint64 // per decision: the key of its uniform
	acts   []int32  // option k of decision d at k*np + d: its action
	// who holds, for option k of decision d, packWho of its action at
	// k*whoStride + whoSlot(d): the position of d's act bit in the masks
	// read as words (see actMasksGo), whoStride = 64 per word of masks.
	who       []uint64
	whoStride int
}

// whoSlot is the index in a choiceGroup's who of decision d's option 0.
func whoSlot(d int) int { return d/choiceLanes*8 + d%choiceLanes }

// choiceRef names decision d of choice group g.
type choiceRef struct{ g, d int }

// choiceWork holds a group's records (per-run constants and per-month
// results) and the month's decisions: per record a byte whose low four
// bits are its lanes that act and high four bits its lanes the rough
// bound does not rule out — those that act and those left to the exact
// rule: the kernels save an instruction per record by not clearing the
// acting lanes there, the acting kernel clears them once per word of
// eight records (padded with zero bytes to a multiple of eight).
type choiceWork struct {
	rec  []uint64
	mask []byte
}

// Masks of the act and not-ruled-out bits of eight records' bytes read
// as a little-endian word.
const (
	actBits = 0x0F0F0F0F0F0F0F0F
	ambBits = actBits << 4
)

// newChoiceWork allocates g's records and sets what does not depend on
// the parameters: indices, keys, and the padded lanes, which get λ = 1
// (scaled as roughT's) and utility −1e300: they never act and never
// need the exact rule.
func newChoiceWork(g *choiceGroup) choiceWork {
	nrec := g.np / choiceLanes
	cw := choiceWork{rec: make([]uint64, nrec*recSize(g.nopt)), mask: make([]byte, (nrec+7)&^7)}
	for d := 0; d < g.np; d++ {
		r := cw.rec[d/choiceLanes*recSize(g.nopt):]
		l := d % choiceLanes
		r[recIJ+l/2] |= uint64(uint32(g.ij[d])) << (32 * uint(l%2))
		r[recKey+l] = g.key[d]
		if d >= g.n {
			r[recLambda+l] = math.Float64bits(-roughScale)
			for k := 0; k < g.nopt; k++ {
				r[recOpt+12*k+8+l] = math.Float64bits(-1e300)
			}
		}
	}
	return cw
}

// fillCopy is a record word fillChoice sets: word dst of the records
// takes the derived quantity w.dv[src].
type fillCopy struct{ dst, src int32 }

// choiceFill lists the record words that depend on the parameters.
type choiceFill struct {
	copies [][]fillCopy // per choice group, then the proposal screen
	lambda [][]fillCopy // the same: words that take −w.dv[src]·1024/ln2 (λ)
	neg    []fillCopy   // words of the proposal screen that take −w.dv[src]
}

// newChoiceFill lists, for w's records, where each word that depends on
// the parameters comes from in w.dv: λ_i, and per option x_a, Q_i·ψ_a/10
// and the fixed utility F; for a proposal (see screenJoints) option 0
// is holding the action (its held intensity), option 1 the constant −D
// (x = q = 0, left zero). The derived quantities move as one array, so
// that fillChoice is one copy per word instead of the index arithmetic
// per decision and option.
func newChoiceFill(w *Workspace) choiceFill {
	K := len(w.m.actionIDs)
	pl := &w.m.plan
	at := func(s []float64, k int) int32 {
		// s is carved from w.dv (NewWorkspace): its offset there.
		off := (uintptr(unsafe.Pointer(&s[k])) - uintptr(unsafe.Pointer(&w.dv[0]))) / 8
		if off >= uintptr(len(w.dv)) {
			panic("sim: a record's source is not in the derived quantities")
		}
		return int32(off)
	}
	var f choiceFill
	for gi := 0; gi <= len(pl.choice); gi++ {
		g := &pl.propose
		if gi < len(pl.choice) {
			g = &pl.choice[gi]
		}
		var cs, ls []fillCopy
		for d := 0; d < g.n; d++ {
			r, l := int32(d/choiceLanes*recSize(g.nopt)), int32(d%choiceLanes)
			i, ij := int(g.actor[d]), int(g.ij[d])
			ls = append(ls, fillCopy{r + recLambda + l, at(w.lambda, i)})
			if g == &pl.propose {
				a, o := int(g.acts[d]), r+recOpt+l
				cs = append(cs, fillCopy{o, at(w.xHeld, a)}, fillCopy{o + 4, at(w.q, i*K+a)}, fillCopy{o + 8, at(w.base, ij*K+a)})
				f.neg = append(f.neg, fillCopy{o + 12 + 8, at(w.rebuff, a)})
				continue
			}
			for k := 0; k < g.nopt; k++ {
				a, o := int(g.acts[k*g.np+d]), r+recOpt+int32(12*k)+l
				cs = append(cs, fillCopy{o, at(w.x, a)}, fillCopy{o + 4, at(w.q, i*K+a)}, fillCopy{o + 8, at(w.base, ij*K+a)})
			}
		}
		f.copies = append(f.copies, cs)
		f.lambda = append(f.lambda, ls)
	}
	return f
}

// fillChoice sets the records' words that depend on the parameters from
// the derived quantities (see newChoiceFill).
func (w *Workspace) fillChoice() {
	dv := w.dv
	for gi, cs := range w.fill.copies {
		rec := w.propose.rec
		if gi < len(w.choice) {
			rec = w.choice[gi].rec
		}
		for _, c := range cs {
			rec[c.dst] = math.Float64bits(dv[c.src])
		}
		for _, c := range w.fill.lambda[gi] {
			rec[c.dst] = math.Float64bits(dv[c.src] * -roughScale)
		}
	}
	for _, c := range w.fill.neg {
		w.propose.rec[c.dst] = math.Float64bits(-dv[c.src])
	}
}

// choose takes every choice decision of the month keyed mk in step t
// (t < 0: a burn-in month, when no occasion applies). Its kernel runs,
// in one call, on every choice group and the proposal screen, with the
// month's coefficients and threats (screenJoints reads the proposals'
// masks): a call per group cost ~45 instructions of argument passing
// and slice checks, three times a month.
func (w *Workspace) choose(mk uint64, t int) {
	pl := &w.m.plan
	w.chooseA.mk = mk
	switch chooseUse {
	case chooseUseAVX512:
		chooseAVX512(&w.chooseA)
	case chooseUseAVX2:
		chooseAVX2(&w.chooseA)
	default:
		chooseGo(&w.chooseA)
	}
	// Decisions an active occasion pays for, in few months: the exact
	// rule, not the kernel, decides them.
	var fix []choiceRef
	if t >= 0 {
		fix = pl.calFix[t]
	}
	for _, r := range fix {
		d := uint(r.d)
		w.choice[r.g].mask[d/4] &^= 0x11 << (d % 4)
	}
	// The decisions that act, then those left to the exact rule.
	a := &w.act
	a.tm, a.nt = w.tradeMask, len(w.traded)
	if asmKernels {
		actMasksAsm(a)
	} else {
		actMasksGo(a)
	}
	w.traded = w.traded[:a.nt]
	for k := 0; k < a.na; k += 3 {
		gi := int(a.amb[k])
		w.chooseRough(&pl.choice[gi], &w.choice[gi], int(a.amb[k+1]), a.amb[k+2], mk)
	}
	for _, r := range fix {
		w.chooseExact(&pl.choice[r.g], r.d, mk)
	}
}

// The kernels in use: chooseUse names the choice kernel (the widest
// assembly one the CPU has, unless switched off, see choice_amd64.go),
// asmKernels whether the acting kernel is the assembly one. choose calls
// the kernels they name directly: called through a function value, an
// assembly function is reached by an ABI wrapper, 8 instructions a call.
const (
	chooseUseGo = iota
	chooseUseAVX2
	chooseUseAVX512
)

var (
	chooseUse  = chooseUseGo
	asmKernels = false
)

// chooseSet is one group of records for the choice kernel: nrec ≥ 1
// records of nopt options and their nrec mask bytes. choice_amd64.s
// reads it at fixed offsets (TestChooseLayout).
type chooseSet struct {
	rec        []uint64
	mask       []byte
	nrec, nopt int
	// shared, for one option, is the number of first records whose four
	// lanes share one i*n + j: the assembly kernels load the coefficient
	// and the threat once for such a record instead of gathering them
	// (two instructions a record fewer; chooseGo reads the lanes as
	// always). Zero for more options.
	shared int
}

// chooseArgs are the choice kernel's arguments: the groups of records
// it takes, in order, the coefficients and threats by i*n + j, and the
// month's key, which choose sets. choice_amd64.s reads it at fixed
// offsets (TestChooseLayout).
type chooseArgs struct {
	sets   []chooseSet
	cf, th []float64
	mk     uint64
}

// newChooseArgs sets up the choice kernel's arguments for w: its choice
// groups, then the proposal screen, each only if it has decisions (the
// assembly kernels need at least one record per set).
func newChooseArgs(w *Workspace) chooseArgs {
	pl := &w.m.plan
	a := chooseArgs{cf: w.coef, th: w.threat}
	add := func(g *choiceGroup, cw *choiceWork) {
		if g.np == 0 {
			return
		}
		nrec := g.np / choiceLanes
		// What the assembly kernels index and cannot check, checked once.
		if len(cw.rec) < nrec*recSize(g.nopt) || len(cw.mask) < nrec || g.nopt < 1 || g.shared > nrec {
			panic("sim: inconsistent choice kernel arguments")
		}
		// The shared records and the others in one set: one set's
		// overhead a call fewer than two sets.
		c := chooseSet{rec: cw.rec, mask: cw.mask, nrec: nrec, nopt: g.nopt}
		if g.nopt == 1 {
			c.shared = g.shared
		}
		a.sets = append(a.sets, c)
	}
	for gi := range pl.choice {
		add(&pl.choice[gi], &w.choice[gi])
	}
	add(&pl.propose, &w.propose)
	return a
}

// actGroup is what the acting kernel reads of a choice group: its
// masks, the packed targets of its options (choiceGroup.who), its
// records, their size in words, minus who's stride (0: a single
// option; minus, as the records hold minus the best option), and for
// several options the table bestOffsets(size). act_amd64.s reads it at
// fixed offsets (TestActLayout).
type actGroup struct {
	masks        []byte
	who, rec     []uint64
	size, stride int
	best         []int
}

// bestOffsets is the acting kernel's table for records of size words:
// at p < 64, the byte offset, from a word of masks' first record, of
// the best option of the lane of bit p (lane p%8 of record p/8; bits
// 4–7 of a byte are never act bits, their entries unused); at 64, the
// bytes of a word's eight records. One load a decision replaces the
// index arithmetic (r + p/8)·size + p%8, ~5 instructions an action.
func bestOffsets(size int) []int {
	t := make([]int, 65)
	for p := range 64 {
		t[p] = 8 * (p/8*size + recBest + p%8)
	}
	t[64] = 64 * size
	return t
}

// actArgs are the acting kernel's arguments and results, set up once per
// Workspace (NewWorkspace); choose sets tm and nt. act_amd64.s reads it
// at fixed offsets (TestActLayout).
type actArgs struct {
	groups []actGroup // per choice group of the plan
	mon    []uint64   // Workspace.monthly
	tm     uint64     // the actions with a trade effect
	traded []int32    // Workspace.traded at its full length n²
	didOff int        // the index of did in mon
	amb    []uint64   // out: triples (group, r, bits) of the bits left to the exact rule, room for one per word of masks
	nt, na int        // in: the length of traded; out: the lengths of traded and amb
}

// newActArgs sets up the acting kernel's arguments for w.
func newActArgs(w *Workspace) actArgs {
	pl := &w.m.plan
	a := actArgs{mon: w.monthly, traded: w.traded[:cap(w.traded)], didOff: monthlyDid(w.m.n)}
	words := 0
	for gi := range pl.choice {
		g, cw := &pl.choice[gi], &w.choice[gi]
		// What the kernels index by construction, checked once here
		// (act_amd64.s checks no bounds): whole words of masks, a packed
		// target for every option of every act bit, room in traded for
		// every i*n + j.
		if len(cw.mask)%8 != 0 || g.whoStride != 8*len(cw.mask) || len(g.who) != g.nopt*g.whoStride || len(a.traded) < w.m.n*w.m.n {
			panic("sim: inconsistent acting kernel arguments")
		}
		ag := actGroup{masks: cw.mask, who: g.who, rec: cw.rec, size: recSize(g.nopt)}
		if g.nopt > 1 {
			ag.stride, ag.best = -g.whoStride, bestOffsets(ag.size)
		}
		a.groups = append(a.groups, ag)
		words += len(cw.mask) / 8
	}
	a.amb = make([]uint64, 3*words)
	return a
}

// actMasksGo is the acting kernel in Go: for every act bit set in the
// groups' masks (see choiceWork) it records its decision's action as
// setDid does, in mon: did and acted at the indices its packed target
// holds (packWho), and in traded, from index nt on, the first action of
// the month with a trade effect toward a partner. The masks are read
// eight records (a word) at a time: bit p of the word at record r is
// lane p%8 of record r + p/8, and who holds that decision's option 0 at
// 8r + p, option k stride further; for a group of several options the
// kernel reads the best one from the records (both negated). Each word's bits left to
// the exact rule — its high bits less those of lanes that act — are
// listed in amb.
func actMasksGo(a *actArgs) {
	mon, tm, traded, amb := a.mon, a.tm, a.traded, a.amb
	nt, na := a.nt, 0
	for gi := range a.groups {
		g := &a.groups[gi]
		masks, who, rec, size, stride := g.masks, g.who, g.rec, g.size, g.stride
		for r := 0; r+8 <= len(masks); r += 8 {
			word := binary.LittleEndian.Uint64(masks[r:])
			for set := word & actBits; set != 0; set &= set - 1 {
				p := bits.TrailingZeros64(set)
				x := 8*r + p
				if stride != 0 { // the best option's
					x += int(rec[(r+p>>3)*size+recBest+p&7]) * stride
				}
				wh := who[x]
				di, bit := wh>>6&(1<<26-1), uint64(1)<<(wh&63)
				if bit&tm != 0 && mon[di]&tm == 0 {
					traded[nt] = int32(int(di) - a.didOff)
					nt++
				}
				mon[di] |= bit
				mon[wh>>38] |= 1 << (wh >> 32 & 63)
			}
			if b := word&ambBits ^ (word&actBits)<<4; b != 0 {
				amb[na], amb[na+1], amb[na+2] = uint64(gi), uint64(r), b
				na += 3
			}
		}
	}
	a.nt, a.na = nt, na
}

// chooseRough takes the decisions the kernel left to the exact rule:
// the bits amb of the word of masks read at record r of group g. The
// kernel's best option's U is computed again from the record by the same
// floating-point operations, and z = λ·U with the actor's λ.
func (w *Workspace) chooseRough(g *choiceGroup, cw *choiceWork, r int, amb, mk uint64) {
	size := recSize(g.nopt)
	cf, th := w.coef, w.threat
	for ; amb != 0; amb &= amb - 1 {
		d := int(choiceLane(r, amb) - 4)
		l, b := d%choiceLanes, cw.rec[d/choiceLanes*size:][:size]
		k := 0
		if g.nopt > 1 {
			k = -int(b[recBest+l])
		}
		o, ij := b[recOpt+12*k+l:][:9], g.ij[d]
		// The conversions round each product, so that no build (GOAMD64=v3,
		// arm64) fuses them into a multiply-add: u is the kernel's value.
		u := float64(cf[ij]*math.Float64frombits(o[0])) + float64(th[ij]*math.Float64frombits(o[4])) + math.Float64frombits(o[8])
		if uniform(mk, g.key[d])*(1+fastExp(-w.lambda[g.actor[d]]*u)) < 1 {
			w.setDid(int(ij), int(g.actor[d]), 1<<uint(g.acts[k*g.np+d]))
		}
	}
}

// choiceLane is the decision of the lowest set bit of set, a word of
// masks read at record r: byte k is record r+k, bit b of it lane b (act)
// or, returned plus 4, lane b−4 (exact rule).
func choiceLane(r int, set uint64) uint {
	p := uint(bits.TrailingZeros64(set))
	return uint(r+int(p>>3))*choiceLanes + p&7
}

// screenJoints takes the joint decisions of the month with decideJoint,
// each with the sides it must consider, in the order: joint channels with
// several actions, screened pairs, pairs occasions pay for. A proposal's
// value z = λ_i·(q_j·H_i − (1 − q_j)·D) is at most λ_i·max(H_i, −D),
// whatever the partner's acceptance probability q_j; the kernel decides
// with that bound, and a side for which the rule does not act even there
// surely makes no proposal. When neither side does, nothing happens: no
// proposal, so nothing is held and no answer is needed (MODEL.md
// §5.2.3). Joint channels with several actions, and decisions an active
// occasion pays for (their bound lacks the occasion's payoff: their
// screen is cleared), are passed to decideJoint with both sides and bit
// 2 set: decideJoint tests the bound itself. The kernel ran on the
// proposals with the month's key mk in choose; screenJoints reads its
// masks.
func (w *Workspace) screenJoints(mk uint64, t int) {
	pl := &w.m.plan
	for _, k := range pl.jointAlways {
		w.decideJoint(k, mk, 7)
	}
	if g, cw := &pl.propose, &w.propose; g.n > 0 {
		var cal []uint64
		if t >= 0 {
			cal = pl.calScreen[t]
		}
		for r := 0; r < len(cw.mask); r += 8 {
			// Per byte (record r+b), the low nibble: the lanes that may
			// propose. Lanes 0–1 and 2–3 are the proposals of pairs 2(r+b) and 2(r+b)+1, side i first.
			word := screenWord(cw.mask[r:], cal, r)
			for set := (word | word>>1) & 0x0505050505050505; set != 0; set &= set - 1 {
				p := uint(bits.TrailingZeros64(set))
				x := 2*(r+int(p>>3)) + int(p&7)>>1
				w.decideJoint(pl.proposeOf[x], mk, int(word>>p&3))
			}
		}
	}
	if t >= 0 {
		for _, k := range pl.jointCal[t] {
			w.decideJoint(k, mk, 7)
		}
	}
}

// screenWord reads the proposal screen's masks of records r to r+7 from
// mask: per byte, bit b set when lane b may propose (the kernel's high
// nibble: the lanes the rough bound does not rule out, acting ones
// included), lanes an occasion pays for (cal, if not nil) cleared.
func screenWord(mask []byte, cal []uint64, r int) uint64 {
	word := binary.LittleEndian.Uint64(mask) >> 4 & actBits
	if cal != nil {
		word &^= cal[r/8]
	}
	return word
}

// chooseExact takes choice decision d of group g by the rule of
// MODEL.md §5.2.2 with the month's occasion payoffs.
func (w *Workspace) chooseExact(g *choiceGroup, d int, mk uint64) {
	K := len(w.m.actionIDs)
	i, ij := int(g.actor[d]), int(g.ij[d])
	coef, threat := w.coef[ij], w.threat[ij]
	best, bestA := 0.0, -1
	for k := 0; k < g.nopt; k++ {
		a := int(g.acts[k*g.np+d])
		if u := coef*w.x[a] + threat*w.q[i*K+a] + w.base[ij*K+a] + w.calU[ij*K+a]; bestA < 0 || u > best {
			best, bestA = u, a
		}
	}
	if act(w.lambda[i]*best, mk, g.key[d]) {
		w.setDid(ij, i, 1<<uint(bestA))
	}
}

// chooseGo is the kernel in Go: chooseRecords on each set of a, in
// order.
func chooseGo(a *chooseArgs) {
	for k := range a.sets {
		c := &a.sets[k]
		chooseRecords(c.rec, c.nrec, c.nopt, a.cf, a.th, a.mk, c.mask)
	}
}

// chooseRecords is the kernel in Go on one set. For every decision of
// the nrec records rec (nopt options each) it computes the best option
// (ties: the first) into the record and z = λ·U, and decides by the
// rough bound: act, not act, or left to the exact rule — the bits of
// mask (see choiceWork: an acting lane has both its bits). cf and th are
// the month's coefficients and threats by i*n + j. The rough bound's
// t is computed as roughT says, from the records' scaled λ.
func chooseRecords(rec []uint64, nrec, nopt int, cf, th []float64, mk uint64, mask []byte) {
	size := recSize(nopt)
	rec, mask = rec[:nrec*size], mask[:nrec]
	for r := range mask {
		b := rec[r*size : r*size+size]
		hdr := (*[recOpt + 12]uint64)(b) // the lanes' fields and option 0
		var m byte
		for l := range choiceLanes {
			ij := uint32(hdr[recIJ+l/2] >> (32 * uint(l%2)))
			c, h := cf[ij], th[ij]
			best := c*math.Float64frombits(hdr[recOpt+l]) + h*math.Float64frombits(hdr[recOpt+4+l]) + math.Float64frombits(hdr[recOpt+8+l])
			bk := 0
			for k := 1; k < nopt; k++ {
				o := (*[12]uint64)(b[recOpt+12*k:])
				if u := c*math.Float64frombits(o[l]) + h*math.Float64frombits(o[4+l]) + math.Float64frombits(o[8+l]); u > best {
					best, bk = u, k
				}
			}
			if nopt > 1 {
				hdr[recBest+l] = uint64(-bk)
			}
			switch t := roughT(uniform(mk, hdr[recKey+l]), math.Float64frombits(hdr[recLambda+l])*best); {
			case t < actSure32:
				m |= 0x11 << uint(l)
			case !(t > actNever32):
				m |= 0x10 << uint(l)
			}
		}
		mask[r] = m
	}
}

// roughT is the choice kernels' rough t = u·(1 + roughExp(−z)) of a
// decision with uniform u and y = λ′·U, λ′ = λ·(−1024/ln2) from its
// record (one product a decision fewer than −(λ·U)·1024/ln2), computed
// in float32 — eight lanes an instruction in the AVX2 kernel: y and u
// rounded to float32, y clamped as VMINPS then VMAXPS do to
// ±38·1024/ln2 (a NaN, never produced, becomes the upper bound: not
// acting), roughExp's bit trick in single precision (round(y) plus the
// bias 127·1024 read off the mantissa of y + 1.5·2^23 + 127·1024,
// shifted into the exponent field: 10 fractional bits as in
// roughExp), then u·(1 + e). y differs from −z·1024/ln2 by a few units
// in the last place of float64 and then by at most 2^−8 (|y| < 2^16)
// from rounding to float32, so the step roughExp rounds to is at most
// 0.5 + 2^−8 steps of ln2/1024 from the exact argument instead of 0.5:
// its bounds e/1.0620 ≤ e^x ≤ 1.00034·e widen by a factor below
// 1 + 3·10^−6; u, 1 + e and t are rounded to a relative 2^−24 each.
// Both stay far inside the margins of actSure and actNever (6·10^−5
// and 10^−4), so the rough bound stays a bound and the decisions are
// the exact rule's (TestRoughTBound). A value z beyond ±38 is settled
// (MODEL.md §5.2.2): clamped it gives t < actSure or the exact rule
// above, and t > actNever below, so the rough test needs no separate
// case.
func roughT(u, y float64) float32 {
	y32 := float32(y)
	if !(y32 < roughClamp32) {
		y32 = roughClamp32
	}
	if !(y32 > -roughClamp32) {
		y32 = -roughClamp32
	}
	return float32(u) * (1 + roughExp32(y32))
}

// roughExp32 is roughExp in float32 given y = x·1024/ln2, |y| ≤ 38·1024/ln2:
// 2^⌊n/1024⌋·(1 + (n mod 1024)/1024), n = y rounded to an integer
// (ties to even).
func roughExp32(y float32) float32 {
	return math.Float32frombits(math.Float32bits(y+roundShift32) << 13)
}

// roughClamp32 is decisionThreshold in roughT's scale, roundShift32
// 1.5·2^23 with the exponent bias 127 in its low bits, above the 10
// fractional ones.
const (
	roughClamp32 = float32(decisionThreshold * roughScale)
	roundShift32 = float32(1.5*(1<<23) + 127<<10)
)

// actSure32 and actNever32 are the rough bounds in single precision
// (roughT): the kernels compare t to them eight lanes at a time.
const (
	actSure32  = float32(actSure)
	actNever32 = float32(actNever)
)

// chooseFunc is the signature of the choice kernels: chooseGo's.
type chooseFunc func(a *chooseArgs)

// namedChooser is a choice kernel and its name.
type namedChooser struct {
	name string
	fn   chooseFunc
}

// chooseKernels lists every kernel this CPU can run, chooseGo first,
// whether or not the environment switches it off: the tests compare
// them and the benchmarks time them.
var chooseKernels = []namedChooser{{"go", chooseGo}}
