#include "go_asm.h"
#include "textflag.h"

// The kernels of update and coefs (engine.go, decide.go), which run
// their Go twins instead when hasAVX2 is false: element-wise,
// four i*n + j per block, two blocks per step (one loop count and
// index step for both), then update's links and coefs' diagonal, with
// the same IEEE operations in the same order as updateGo and coefsGo
// (coefs: its general rule, which gives the same value where φ = 1).
// Constants come from matrixConsts (matrix_amd64.go): 0 ten, 32 minus
// ten, 64 one, 96 zero, 128 int32 one. The operands come
// from a matrixArgs (matrix.go), whose field offsets go_asm.h defines; a
// slice field's first word is its data pointer.

// func updateAVX2(a *matrixArgs)
//
// updRec holds per block of four: b (0), δ (32), T̄_ij (64), T̄_ji (96),
// κ (128), padded to 256 bytes: the block at element offset AX (32 per
// block) is at 8·AX, so one register steps through both. Every stance is clamped in the element loop and
// kept unclamped in raw; a link that applies adds to raw and clamps the
// stance from it again (the last one to move a stance sets it).
TEXT ·updateAVX2(SB), NOSPLIT, $0-8
	CMPB ·hasAVX2(SB), $0
	JEQ upgo
	MOVQ a+0(FP), DX
	MOVQ matrixArgs_n4(DX), CX
	MOVQ matrixArgs_s(DX), SI
	MOVQ matrixArgs_mem(DX), DI
	MOVQ matrixArgs_recv(DX), R8
	MOVQ matrixArgs_phi(DX), R9
	MOVQ matrixArgs_raw(DX), R10
	MOVQ matrixArgs_updRec(DX), R11
	// δ_r in a register; η, δ_T and 1 − δ_r are memory operands (four
	// lanes each in a), where a product has one other operand in a register
	VMOVUPD matrixArgs_rd(DX), Y14
	LEAQ ·matrixConsts(SB), R15
	VMOVUPD 0(R15), Y8              // ten
	VMOVUPD 32(R15), Y9             // minus ten
	// pairs of blocks; an odd first block alone, as the second of a
	// pair at AX = −32
	XORQ AX, AX
	SHRQ $1, CX
	JCC upeven
	MOVQ $-32, AX
	INCQ CX
	JMP uphalf

upeven:
	JZ uplinks                       // no blocks (SHRQ's zero flag)

uppair:
	// κL = κ·(1 + η·max(0, T̄_ij·φ − T̄_ji·φ))
	VMOVUPD (R9)(AX*1), Y0          // φ
	VMULPD 64(R11)(AX*8), Y0, Y1
	VMULPD 96(R11)(AX*8), Y0, Y2
	VSUBPD Y2, Y1, Y1
	VMAXPD 96(R15), Y1, Y1
	VMULPD matrixArgs_eta(DX), Y1, Y1
	VADDPD 64(R15), Y1, Y1
	VMULPD 128(R11)(AX*8), Y1, Y1
	// v = b + δ·(s − b) + κL·in
	VMOVUPD (R8)(AX*1), Y3          // in
	VMOVUPD 0(R11)(AX*8), Y4      // b
	VMOVUPD (SI)(AX*1), Y5
	VSUBPD Y4, Y5, Y5
	VMULPD 32(R11)(AX*8), Y5, Y5
	VADDPD Y5, Y4, Y5
	VMULPD Y3, Y1, Y6
	VADDPD Y6, Y5, Y5
	// raw = v; s = v clamped to [−10, 10]: 10 < v ? 10 : v, then
	// −10 > v ? −10 : v (VMINPD and VMAXPD return their second operand
	// unless the first is smaller, greater), as clampStance
	VMOVUPD Y5, (R10)(AX*1)
	VMINPD Y5, Y8, Y7
	VMAXPD Y7, Y9, Y7
	VMOVUPD Y7, (SI)(AX*1)
	// m = δ_r·m + (1 − δ_r)·in
	VMULPD (DI)(AX*1), Y14, Y5
	VMULPD matrixArgs_ord(DX), Y3, Y6 // in·(1 − δ_r), the same product
	VADDPD Y6, Y5, Y5
	VMOVUPD Y5, (DI)(AX*1)
	// φ = 1 + δ_T·(φ − 1)
	VSUBPD 64(R15), Y0, Y0
	VMULPD matrixArgs_td(DX), Y0, Y0
	VADDPD 64(R15), Y0, Y0
	VMOVUPD Y0, (R9)(AX*1)

uphalf:
	// the second block of the pair: the same 32 bytes on (256 in the records)
	VMOVUPD 32(R9)(AX*1), Y0
	VMULPD 320(R11)(AX*8), Y0, Y1
	VMULPD 352(R11)(AX*8), Y0, Y2
	VSUBPD Y2, Y1, Y1
	VMAXPD 96(R15), Y1, Y1
	VMULPD matrixArgs_eta(DX), Y1, Y1
	VADDPD 64(R15), Y1, Y1
	VMULPD 384(R11)(AX*8), Y1, Y1
	VMOVUPD 32(R8)(AX*1), Y3
	VMOVUPD 256(R11)(AX*8), Y4
	VMOVUPD 32(SI)(AX*1), Y5
	VSUBPD Y4, Y5, Y5
	VMULPD 288(R11)(AX*8), Y5, Y5
	VADDPD Y5, Y4, Y5
	VMULPD Y3, Y1, Y6
	VADDPD Y6, Y5, Y5
	VMOVUPD Y5, 32(R10)(AX*1)
	VMINPD Y5, Y8, Y7
	VMAXPD Y7, Y9, Y7
	VMOVUPD Y7, 32(SI)(AX*1)
	VMULPD 32(DI)(AX*1), Y14, Y5
	VMULPD matrixArgs_ord(DX), Y3, Y6 // in·(1 − δ_r), the same product
	VADDPD Y6, Y5, Y5
	VMOVUPD Y5, 32(DI)(AX*1)
	VSUBPD 64(R15), Y0, Y0
	VMULPD matrixArgs_td(DX), Y0, Y0
	VADDPD 64(R15), Y0, Y0
	VMOVUPD Y0, 32(R9)(AX*1)
	ADDQ $64, AX
	DECQ CX
	JNZ uppair

uplinks:
	// raw[moves] += linkWK·v where v = recv[recv] gives t > 0
	// (matrixLink), link by link, as updateGo. CX = −8·(links left) indexes
	// both linkWK (R13, its end) and links (R12, its end; 32 bytes each).
	MOVQ matrixArgs_links+8(DX), CX
	TESTQ CX, CX
	JZ updone
	SHLQ $3, CX
	MOVQ matrixArgs_links(DX), R12
	LEAQ (R12)(CX*4), R12
	MOVQ matrixArgs_linkWK(DX), R13
	ADDQ CX, R13
	NEGQ CX
	VXORPD X7, X7, X7

uplink:
	MOVQ matrixLink_recv(R12)(CX*4), AX
	VMOVSD (R8)(AX*8), X0           // v
	VANDPD matrixLink_and(R12)(CX*4), X0, X1
	VXORPD matrixLink_xor(R12)(CX*4), X1, X1 // t: v, −v or |v|
	VUCOMISD X7, X1
	JLS upnext                      // t ≤ 0, or NaN
	MOVQ matrixLink_moves(R12)(CX*4), BX
	VMULSD (R13)(CX*1), X0, X0
	VADDSD (R10)(BX*8), X0, X0
	VMOVSD X0, (R10)(BX*8)
	VMINSD X0, X8, X0               // s = raw clamped as above
	VMAXSD X0, X9, X0
	VMOVSD X0, (SI)(BX*8)

upnext:
	ADDQ $8, CX
	JNZ uplink

updone:
	VZEROUPPER
	RET

upgo:
	JMP ·updateGo(SB)               // tail call: a is where updateGo's ABI0 entry reads it

// func coefsAVX2(a *matrixArgs)
//
// The element loop also clears monthly, 128 bytes per block of four.
//
// coefRec holds per block of four: E·T̄ (0), E·T̄ + B (32), B (64),
// A/10 (96), R/10 (128), ρ (160), −P (192), padded to 256 bytes
// (addressed as updRec's). diagRec holds per group of four actors r:
// r·n as int32 (0), the diagonal's byte offset 8·r·(n + 1) (32): 64
// bytes; diagKeep per group, for each column j from the last to the
// first, four lanes of all ones but 0 in the lane with r = j.
//
// The diagonal is computed for four broadcasting actors r at a time
// (lanes), partner j by partner: c_rj, s_rj and θ_rj are gathered, the
// weight w = 1 for an adversary (s < 0), ω otherwise, and each lane adds
// w·c (= c for an adversary) and w in the order of j, as coefsGo does
// row by row; the lane with j = r adds w = +0 (diagKeep) and w·c = ±0
// (c_rr, computed above, is finite), which change no sum (a sum from +0
// is never −0). The largest threat is max by
// comparison (VMAXPD returns its second operand unless the first is
// greater), θ = +0 for s ≥ 0. Lanes without an actor read row 0 and are
// not stored.
TEXT ·coefsAVX2(SB), NOSPLIT, $0-8
	CMPB ·hasAVX2(SB), $0
	JEQ cfgo
	MOVQ a+0(FP), DX
	MOVQ matrixArgs_n4(DX), CX
	MOVQ matrixArgs_coef(DX), SI
	MOVQ matrixArgs_threat(DX), DI
	MOVQ matrixArgs_s(DX), R8
	MOVQ matrixArgs_mem(DX), R9
	MOVQ matrixArgs_phi(DX), R10
	MOVQ matrixArgs_coefRec(DX), R11
	MOVQ matrixArgs_monthly(DX), R12
	LEAQ ·matrixConsts(SB), R15
	VMOVUPD 64(R15), Y14            // one
	VXORPD Y13, Y13, Y13            // zero
	// pairs of blocks; an odd first block alone, as the second of a
	// pair at AX = −32
	XORQ AX, AX
	SHRQ $1, CX
	JCC cfeven
	MOVQ $-32, AX
	INCQ CX
	JMP cfhalf

cfeven:
	JZ cfdiag                       // no blocks (SHRQ's zero flag)

cfpair:
	VMOVUPD (R8)(AX*1), Y0          // s
	VMOVUPD (R10)(AX*1), Y1         // φ
	VMULPD 96(R11)(AX*8), Y0, Y2  // A·s
	VMOVUPD (R9)(AX*1), Y3          // m
	VMULPD 128(R11)(AX*8), Y3, Y3 // R·m
	// E·T̄·(φ + ρ·max(0, 1 − φ)) + B + A·s + R·m, also where the flow
	// is normal: for φ = 1 the factor is 1 + ρ·(+0) = 1 exactly (ρ is
	// finite), so E·T̄·1 + B is coefsGo's E·T̄ + B (derive's etStake)
	VSUBPD Y1, Y14, Y5              // 1 − φ
	VMAXPD 96(R15), Y5, Y5          // max(1 − φ, 0)
	VMULPD 160(R11)(AX*8), Y5, Y5 // ρ·…
	VADDPD Y5, Y1, Y5               // φ + …
	VMULPD 0(R11)(AX*8), Y5, Y5   // E·T̄·(…)
	VADDPD 64(R11)(AX*8), Y5, Y5  // + B
	VADDPD Y2, Y5, Y5               // + A·s
	VADDPD Y3, Y5, Y5               // + R·m
	VMOVUPD Y5, (SI)(AX*1)
	// θ = (−P)·s > 0 ? (−P)·s : +0 (VMAXPD returns its second operand
	// unless the first is greater)
	VMULPD 192(R11)(AX*8), Y0, Y7
	VMAXPD Y13, Y7, Y7
	VMOVUPD Y7, (DI)(AX*1)
	// monthly: 128 bytes cleared per block
	VMOVDQU Y13, (R12)(AX*4)
	VMOVDQU Y13, 32(R12)(AX*4)
	VMOVDQU Y13, 64(R12)(AX*4)
	VMOVDQU Y13, 96(R12)(AX*4)

cfhalf:
	// the second block of the pair: the same 32 bytes on (256 in the records)
	VMOVUPD 32(R8)(AX*1), Y0
	VMOVUPD 32(R10)(AX*1), Y1
	VMULPD 352(R11)(AX*8), Y0, Y2
	VMOVUPD 32(R9)(AX*1), Y3
	VMULPD 384(R11)(AX*8), Y3, Y3
	VSUBPD Y1, Y14, Y5
	VMAXPD 96(R15), Y5, Y5
	VMULPD 416(R11)(AX*8), Y5, Y5
	VADDPD Y5, Y1, Y5
	VMULPD 256(R11)(AX*8), Y5, Y5
	VADDPD 320(R11)(AX*8), Y5, Y5
	VADDPD Y2, Y5, Y5
	VADDPD Y3, Y5, Y5
	VMOVUPD Y5, 32(SI)(AX*1)
	VMULPD 448(R11)(AX*8), Y0, Y7
	VMAXPD Y13, Y7, Y7
	VMOVUPD Y7, 32(DI)(AX*1)
	VMOVDQU Y13, 128(R12)(AX*4)
	VMOVDQU Y13, 160(R12)(AX*4)
	VMOVDQU Y13, 192(R12)(AX*4)
	VMOVDQU Y13, 224(R12)(AX*4)
	ADDQ $64, AX
	DECQ CX
	JNZ cfpair

cfdiag:
	MOVQ matrixArgs_diagGroups(DX), BX
	TESTQ BX, BX
	JZ cfdone
	MOVQ matrixArgs_diagRec(DX), R12
	MOVQ matrixArgs_diagKeep(DX), R14
	MOVQ matrixArgs_bcast+8(DX), R13 // actors left
	VBROADCASTSD matrixArgs_spill(DX), Y15
	MOVQ matrixArgs_n(DX), R11
	SHLQ $5, R11                    // 32·n: a group's bytes of diagKeep

cfgroup:
	VMOVDQU 0(R12), X9              // r·n (int32): the element (r, j) is r·n + j
	VXORPD Y4, Y4, Y4               // Σ w·c
	VXORPD Y5, Y5, Y5               // Σ w
	VXORPD Y6, Y6, Y6               // largest θ
	MOVQ R11, CX                    // 32·(n − j); column j's mask at −32(R14)(CX*1)

cfcol:
	VPCMPEQD Y1, Y1, Y1
	VGATHERDPD Y1, (SI)(X9*8), Y2   // c
	VPCMPEQD Y1, Y1, Y1
	VGATHERDPD Y1, (R8)(X9*8), Y3   // s
	VPCMPEQD Y1, Y1, Y1
	VGATHERDPD Y1, (DI)(X9*8), Y7   // θ
	VCMPPD $0x11, Y13, Y3, Y8       // s < 0 (LT_OQ)
	VBLENDVPD Y8, Y14, Y15, Y8      // w = s < 0 ? 1 : ω
	VANDPD -32(R14)(CX*1), Y8, Y8   // 0 in the lane with r = j
	VMULPD Y2, Y8, Y2
	VADDPD Y2, Y4, Y4
	VADDPD Y8, Y5, Y5
	VANDPD -32(R14)(CX*1), Y7, Y7
	VMAXPD Y6, Y7, Y6               // θ > max ? θ : max
	VPADDD 128(R15), X9, X9
	SUBQ $32, CX
	JNZ cfcol

	// c̄ = Σ w > 0 ? Σ w·c / Σ w : 0
	VCMPPD $0x1e, Y13, Y5, Y0       // Σ w > 0 (GT_OQ)
	VDIVPD Y5, Y4, Y4
	VANDPD Y0, Y4, Y4
	// to the diagonal, lane by lane while actors are left
	MOVQ 32(R12), AX
	VMOVSD X4, (SI)(AX*1)
	VMOVSD X6, (DI)(AX*1)
	CMPQ R13, $2
	JLT cfdone
	MOVQ 40(R12), AX
	VMOVHPD X4, (SI)(AX*1)
	VMOVHPD X6, (DI)(AX*1)
	CMPQ R13, $3
	JLT cfdone
	VEXTRACTF128 $1, Y4, X4
	VEXTRACTF128 $1, Y6, X6
	MOVQ 48(R12), AX
	VMOVSD X4, (SI)(AX*1)
	VMOVSD X6, (DI)(AX*1)
	CMPQ R13, $4
	JLT cfdone
	MOVQ 56(R12), AX
	VMOVHPD X4, (SI)(AX*1)
	VMOVHPD X6, (DI)(AX*1)
	SUBQ $4, R13
	ADDQ $64, R12
	ADDQ R11, R14
	DECQ BX
	JNZ cfgroup

cfdone:
	VZEROUPPER
	RET

cfgo:
	JMP ·coefsGo(SB)
