package sim

import (
	"math"
	"math/bits"
	"strconv"
)

// plan lists the decisions of a month, fixed at compile time: which
// channels each actor weighs toward each partner, and the name of every
// decision's random stream.
type plan struct {
	C          int          // number of channels
	dyad       [][]chanOpts // per actor: choice-mode channels aimed at partners
	bcast      [][]chanOpts // per actor: choice-mode broadcast channels
	decKey     []uint64     // choice decision (i, j, channel) at (i*n+j)*C + ch; j = i: broadcast
	hazards    []hazardDec
	joints     []jointDec
	jointPairs bool // some pair has a joint channel
}

// chanOpts is a channel and the actions of it an actor may take, in
// catalogue order.
type chanOpts struct {
	ch   int
	opts []int
}

type hazardDec struct {
	i, j int // j = i: broadcast
	opts []int
	decl []int // per option: index into Model.hazardDecls
	key  uint64
}

type jointDec struct {
	i, j                                 int // i < j
	opts                                 []int
	proposeI, proposeJ, acceptI, acceptJ uint64
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
	n, C := m.n, len(m.channels)
	pl := plan{C: C, dyad: make([][]chanOpts, n), bcast: make([][]chanOpts, n), decKey: make([]uint64, n*n*C)}
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
				if ch.broadcast {
					pl.bcast[i] = append(pl.bcast[i], chanOpts{k, o})
					pl.decKey[(i*n+i)*C+k] = decisionKey("choose", ids[i], ch.name)
				} else {
					pl.dyad[i] = append(pl.dyad[i], chanOpts{k, o})
					for j := 0; j < n; j++ {
						if j != i {
							pl.decKey[(i*n+j)*C+k] = decisionKey("choose", ids[i], ids[j], ch.name)
						}
					}
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
// e = roughExp(−z), the exact fastExp(−z) lies in [e/1.0616, e·(1+10⁻¹¹)],
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
	return u*(1+fastExp(-z)) < 1
}

// Bounds of the rough decision (see actU and roughExp), with margins far
// larger than the rounding errors of t and of the exact rule.
const (
	actSure  = 0.999999
	actNever = 1.0616 * 1.000001
)

// roughExp returns an approximation e of e^x for |x| ≤ 700 with
// e^x ≤ e ≤ 1.0615·e^x (Schraudolph 1999): the bits of x/ln2 in 1/2^52
// units, offset by the exponent bias, read as a float64 — a linear
// interpolation of 2^f between powers of two, never below 2^f.
func roughExp(x float64) float64 {
	return math.Float64frombits(uint64(int64(x*roughScale) + 1023<<52))
}

const roughScale = (1 << 52) / math.Ln2

// uniform is the uniform of the decision named key in the month whose
// key is mk (docs/MODEL.md §8).
func uniform(mk, key uint64) float64 { return unit(splitmix64(mk ^ key)) }

// unit maps 64 random bits to (0, 1): (⌊x/2^12⌋ + ½)/2^52.
func unit(x uint64) float64 { return (float64(x>>12) + 0.5) * (1.0 / (1 << 52)) }

// decide takes every decision of month t (MODEL.md §5.2), filling did and
// held. mk is the month's key.
func (w *Workspace) decide(mk uint64) {
	m, pl := w.m, &w.m.plan
	n, K, C := m.n, len(m.actionIDs), pl.C
	for i := 0; i < n; i++ {
		lambda := w.lambda[i]
		coefSum, weightSum, threatMax := 0.0, 0.0, 0.0
		for j := 0; j < n; j++ {
			if j == i {
				continue
			}
			ij := i*n + j
			s := w.s[ij]
			phi := w.phi[ij]
			coef := w.econ[i]*w.tradeNorm[ij]*(phi+w.loss[i]*max(0, 1-phi)) + w.stake[ij] + w.aff[i]*s + w.rec[i]*w.mem[ij]
			threat := 0.0 // P_j·max(0, −s_ij)
			if s < 0 {    // an adversary: broadcast actions are aimed at these
				threat = -w.power[j] * s
				coefSum += coef
				weightSum++
				threatMax = max(threatMax, threat)
			} else { // others receive a broadcast at weight ω
				coefSum += w.spill * coef
				weightSum += w.spill
			}
			w.coef[ij], w.threat[ij] = coef, threat
			base, cal := w.base[ij*K:ij*K+K], w.calU[ij*K:ij*K+K]
			q := w.q[i*K : i*K+K]
			for _, co := range pl.dyad[i] {
				best, bestA := 0.0, -1
				for _, a := range co.opts {
					if u := coef*w.x[a] + threat*q[a] + base[a] + cal[a]; bestA < 0 || u > best {
						best, bestA = u, a
					}
				}
				key := pl.decKey[ij*C+co.ch]
				if act(lambda*best, mk, key) {
					w.did[ij] |= 1 << uint(bestA)
				}
			}
		}
		w.threatMax[i] = threatMax
		if len(pl.bcast[i]) == 0 {
			continue
		}
		coefMean := 0.0
		if weightSum > 0 {
			coefMean = coefSum / weightSum
		}
		ii := i*n + i
		base, cal := w.base[ii*K:ii*K+K], w.calU[ii*K:ii*K+K]
		q := w.q[i*K : i*K+K]
		for _, co := range pl.bcast[i] {
			best, bestA := 0.0, -1
			for _, a := range co.opts {
				if u := coefMean*w.x[a] + threatMax*q[a] + base[a] + cal[a]; bestA < 0 || u > best {
					best, bestA = u, a
				}
			}
			key := pl.decKey[ii*C+co.ch]
			if act(lambda*best, mk, key) {
				w.did[ii] |= 1 << uint(bestA)
			}
		}
	}
	for k := range pl.hazards {
		w.decideHazard(&pl.hazards[k], mk)
	}
	for k := range pl.joints {
		w.decideJoint(&pl.joints[k], mk)
	}
}

// decideHazard takes a hazard channel's decision: the option with the
// largest monthly probability, taken with that probability.
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
		w.did[ij] |= 1 << uint(bestA)
	}
}

// decideJoint takes the decisions of a pair about a joint channel: the
// action whose holding both value most, each side's proposal weighing
// the partner's chance of accepting, and the answer to a one-sided
// proposal (MODEL.md §5.2.3).
func (w *Workspace) decideJoint(d *jointDec, mk uint64) {
	n, K := w.m.n, len(w.m.actionIDs)
	ij, ji := d.i*n+d.j, d.j*n+d.i
	best, bestA := 0.0, -1
	var hi, hj float64
	for _, a := range d.opts {
		ui := w.coef[ij]*w.xHeld[a] + w.threat[ij]*w.q[d.i*K+a] + w.base[ij*K+a] + w.calU[ij*K+a]
		uj := w.coef[ji]*w.xHeld[a] + w.threat[ji]*w.q[d.j*K+a] + w.base[ji*K+a] + w.calU[ji*K+a]
		if bestA < 0 || ui+uj > best {
			best, bestA, hi, hj = ui+uj, a, ui, uj
		}
	}
	a := bestA
	li, lj := w.lambda[d.i], w.lambda[d.j]
	qi, qj := sigmoid(li*hi), sigmoid(lj*hj) // chance each accepts the other's proposal
	rebuff := w.rebuff[a]
	pi := act(li*(qj*hi-(1-qj)*rebuff), mk, d.proposeI)
	pj := act(lj*(qi*hj-(1-qi)*rebuff), mk, d.proposeJ)
	held := false
	switch {
	case pi && pj:
		held = true
	case pi:
		held = act(lj*hj, mk, d.acceptJ)
	case pj:
		held = act(li*hi, mk, d.acceptI)
	}
	bit := uint64(1) << uint(a)
	if pi || held {
		w.did[ij] |= bit
	}
	if pj || held {
		w.did[ji] |= bit
	}
	if held {
		w.held[ij] |= bit
		w.held[ji] |= bit
	}
}

// sigmoid is 1 / (1 + e^(−z)) with the exponential of act.
func sigmoid(z float64) float64 {
	return 1 / (1 + fastExp(min(max(-z, -700), 700)))
}

// forEach calls fn for every action in the set, in catalogue order.
func forEach(set uint64, fn func(a int)) {
	for ; set != 0; set &= set - 1 {
		fn(bits.TrailingZeros64(set))
	}
}
