#include "textflag.h"

// Offsets in sendArgs (engine.go; TestSendLayout checks them).
#define S_ACTED 0
#define S_DID 24
#define S_HELD 48
#define S_RECV 72
#define S_S 96
#define S_SIG 120
#define S_SIGHELD 144
#define S_N 168
#define S_SPILL 176

// func sendChoicesAsm(a *sendArgs)
//
// sendChoicesGo (engine.go) in scalar assembly: every addition is the
// same ADDSD of the same operands in the same order (a sender's
// broadcast, then its aimed actions partner by partner in catalogue
// order), and ω·v the same MULSD. Registers: R8 n, SI acted, CX i,
// R14 i·n, DI did, R9 held, R10 recv, R11 s (broadcasts) or the action
// (aimed), R12 sig, R13 sigHeld, X7 ω, X6 zero.
TEXT ·sendChoicesAsm(SB), NOSPLIT, $0-8
	// GEOSIM_NOASM: the Go kernel, by a tail jump with this call's
	// argument (sendChoices calls this function directly either way).
	CMPB ·asmKernels(SB), $0
	JEQ  gokernel
	MOVQ a+0(FP), AX
	MOVQ S_N(AX), R8
	MOVQ S_ACTED(AX), SI
	MOVQ S_DID(AX), DI
	MOVQ S_HELD(AX), R9
	MOVQ S_RECV(AX), R10
	MOVQ S_SIG(AX), R12
	MOVQ S_SIGHELD(AX), R13
	MOVSD S_SPILL(AX), X7
	XORPS X6, X6
	XORQ CX, CX
	XORQ R14, R14
	TESTQ R8, R8
	JZ done

actor:
	MOVQ (SI)(CX*8), DX
	TESTQ DX, DX
	JZ nextactor

	// A broadcast: v = Σ sig[a] over did[i·n + i], then to each k ≠ i
	// v (an adversary: s_ik < 0) or ω·v, in two loops (k < i, k > i)
	// that need no test of k = i.
	LEAQ (R14)(CX*1), AX
	MOVQ (DI)(AX*8), BX
	TESTQ BX, BX
	JZ aimed
	XORPS X0, X0

bsum:
	BSFQ BX, AX
	ADDSD (R12)(AX*8), X0
	LEAQ -1(BX), AX
	ANDQ AX, BX
	JNZ bsum
	MOVSD X7, X1
	MULSD X0, X1          // ω·v
	MOVQ a+0(FP), AX
	MOVQ S_S(AX), R11
	LEAQ (R11)(R14*8), R11 // s_i0
	LEAQ (R10)(CX*8), AX  // recv[0·n + i]
	XORQ BX, BX           // k
	TESTQ CX, CX
	JZ bself

blow:
	MOVSD (AX), X2
	UCOMISD (R11)(BX*8), X6 // 0 > s_ik: an adversary (NaN: not)
	JA blowadv
	ADDSD X1, X2
	MOVSD X2, (AX)
	LEAQ (AX)(R8*8), AX
	INCQ BX
	CMPQ BX, CX
	JLT blow
	JMP bself

blowadv:
	ADDSD X0, X2
	MOVSD X2, (AX)
	LEAQ (AX)(R8*8), AX
	INCQ BX
	CMPQ BX, CX
	JLT blow

bself:
	LEAQ (AX)(R8*8), AX
	INCQ BX
	CMPQ BX, R8
	JGE aimed

bhigh:
	MOVSD (AX), X2
	UCOMISD (R11)(BX*8), X6
	JA bhighadv
	ADDSD X1, X2
	MOVSD X2, (AX)
	LEAQ (AX)(R8*8), AX
	INCQ BX
	CMPQ BX, R8
	JLT bhigh
	JMP aimed

bhighadv:
	ADDSD X0, X2
	MOVSD X2, (AX)
	LEAQ (AX)(R8*8), AX
	INCQ BX
	CMPQ BX, R8
	JLT bhigh

aimed:
	// to each partner j of acted[i] but i: recv[j·n + i] += sigHeld[a]
	// (held, rare: out of line) or sig[a], over a in did[i·n + j], which
	// is not empty (setDid and the acting kernel set acted's bit with an
	// action), so that a partner's first action needs no test
	BTRQ CX, DX
	TESTQ DX, DX
	JZ nextactor

pair:
	BSFQ DX, BX           // j
	LEAQ (R14)(BX*1), AX  // i·n + j
	MOVQ (DI)(AX*8), R15
	MOVQ (R9)(AX*8), AX
	IMULQ R8, BX
	ADDQ CX, BX           // j·n + i
	MOVSD (R10)(BX*8), X0

action:
	BSFQ R15, R11
	BTQ R11, AX
	JCS held
	ADDSD (R12)(R11*8), X0

nextaction:
	LEAQ -1(R15), R11
	ANDQ R11, R15
	JNZ action
	MOVSD X0, (R10)(BX*8)

	LEAQ -1(DX), AX
	ANDQ AX, DX
	JNZ pair

nextactor:
	INCQ CX
	ADDQ R8, R14
	CMPQ CX, R8
	JLT actor

done:
	RET

held:
	ADDSD (R13)(R11*8), X0
	JMP nextaction

gokernel:
	JMP ·sendChoicesGo(SB)
