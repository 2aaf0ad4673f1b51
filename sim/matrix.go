package sim

import "math"

// matrixArgs holds the operands of the element-wise kernels of update
// and coefs, so that a month's kernel call passes one pointer: the
// Workspace's matrices (with room for whole blocks of four i*n + j) and
// kernel constants, set once by NewWorkspace, and the rates, set by
// setRates whenever derive or restoreStart changes them. The assembly
// kernels (matrix_amd64.s) read it through go_asm.h's field offsets.
type matrixArgs struct {
	nn, n4 int // elements n·n, and blocks of four covering them

	s, mem, recv, phi []float64 // [i*n+j], length 4·n4 (Workspace's)
	raw               []float64 // [i*n+j], length 4·n4: stances before the clamp (Workspace's)
	coef, threat      []float64 // [i*n+j], length 4·n4 (Workspace's)
	monthly           []uint64  // Workspace.monthly, length 16·n4: the coefficient kernel clears it
	updRec, coefRec   []float64 // the kernels' constants (Workspace's)

	// The diagonal of coefs, for the actors with broadcast choice
	// decisions (bcast, ascending) only: diagGroups groups of four of
	// them, each described by diagRecWords words of diagRec and 4·n
	// words of diagKeep.
	n, diagGroups int
	bcast         []int
	diagRec       []uint64
	diagKeep      []uint64

	// The third-party links, in declaration order, and their weights
	// times κ (Workspace's linkWK).
	links  []matrixLink
	linkWK []float64

	// η, δ_T, δ_r and 1 − δ_r in four equal lanes, which the assembly
	// kernel reads as memory operands instead of broadcasting them each
	// call; and ω.
	eta, td, rd, ord [4]float64
	spill            float64
}

// matrixLink is a link as update applies it: the stance s[moves] moves
// by linkWK·v, v = recv[recv], in months where t = (v AND and) XOR xor,
// bit by bit, is > 0: t = v for a link of sign +1 (cooperation only),
// −v for −1 (conflict only) and |v| for 0 (all), so that t > 0 is
// v·sign ≥ 0 and v ≠ 0 (recv is finite), one comparison. It is 32 bytes,
// four times a linkWK entry, so that the assembly kernel indexes both
// with one register; and and xor come first, as the kernel reads each
// with a 16-byte operand.
type matrixLink struct {
	and, xor    uint64
	recv, moves int
}

// newMatrixLink returns l as the update kernels apply it.
func newMatrixLink(l link) matrixLink {
	const signBit = 1 << 63
	ml := matrixLink{and: ^uint64(0), recv: l.recv, moves: l.moves}
	switch {
	case l.sign < 0:
		ml.xor = signBit
	case l.sign == 0:
		ml.and = ^uint64(signBit)
	}
	return ml
}

// applies reports whether l moves its stance in a month where it
// receives v.
func (l *matrixLink) applies(v float64) bool {
	return math.Float64frombits(math.Float64bits(v)&l.and^l.xor) > 0
}

// Layout of a group of four broadcasting actors r in diagRec: the
// element indices r·n of their rows as four int32 (row 0 for a lane
// without an actor, so that every gathered address lies in the matrix)
// and four int32 of padding, then the byte offsets 8·r·(n + 1) of their
// diagonal elements as int64. In diagKeep, a group's masks for column j
// are at words 4·(n − 1 − j) … 4·(n − 1 − j) + 3 (the kernel counts
// columns down): all ones, but 0 in the lane of actor j, which its mean
// leaves out.
const (
	drIndex, drDiag = 0, 4
	diagRecWords    = 8
)

// newMatrixArgs returns the kernel operands of w, whose matrices are
// allocated, for a model of n actors, of which those in bcast have
// broadcast choice decisions, with links.
func newMatrixArgs(w *Workspace, n int, bcast []int, links []link) matrixArgs {
	nn := n * n
	nn4 := (nn + 3) &^ 3
	a := matrixArgs{
		nn: nn, n4: nn4 / 4, n: n, bcast: bcast,
		s: w.s[:nn4], mem: w.mem[:nn4], recv: w.recv[:nn4], phi: w.phi[:nn4], raw: w.raw[:nn4],
		coef: w.coef[:nn4], threat: w.threat[:nn4], monthly: w.monthly[:4*nn4],
		updRec: w.updRec, coefRec: w.coefRec,
		linkWK: w.linkWK,
	}
	for _, l := range links {
		a.links = append(a.links, newMatrixLink(l))
	}
	a.diagGroups = (len(bcast) + 3) / 4
	a.diagRec = make([]uint64, a.diagGroups*diagRecWords)
	a.diagKeep = make([]uint64, a.diagGroups*4*n)
	for k := range a.diagKeep {
		a.diagKeep[k] = ^uint64(0)
	}
	for k, r := range bcast {
		rec, l := a.diagRec[k/4*diagRecWords:], k%4
		rec[drIndex+l/2] |= uint64(r*n) << (32 * uint(l%2))
		rec[drDiag+l] = uint64(8 * r * (n + 1))
		a.diagKeep[(k/4*n+n-1-r)*4+l] = 0
	}
	return a
}

// setRates copies the rates derive computed (or restoreStart restored)
// into the kernels' operands.
func (w *Workspace) setRates() {
	a := &w.ma
	a.eta, a.td, a.rd, a.ord = lanes4(w.eta), lanes4(w.tradeDecay), lanes4(w.recDecay), lanes4(1-w.recDecay)
	a.spill = w.spill
}

// lanes4 returns four lanes of x.
func lanes4(x float64) [4]float64 {
	return [4]float64{x, x, x, x}
}
