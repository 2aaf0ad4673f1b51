#include "textflag.h"

// Offsets in trackArgs (a slice is pointer, length, capacity) and the
// sizes of stateRef and flagRef; TestTrackLayout checks them.
#define TA_ROWS 0
#define TA_S 24
#define TA_TN 48
#define TA_PHI 72
#define TA_MO 96
#define TA_FLAGS 120
#define TA_REL 144
#define TA_TRADE 168
#define TA_FL 192

// func trackMonthAsm(a *trackArgs, t int)
//
// trackMonthGo, entry by entry with the same floating-point operations:
// (s[ab] + s[ba])·0.5 (the same as /2: both exact or both the one
// correctly rounded halving) and tn[ab]·phi[ab] into rows[row+t+1]; for
// each flag whose word mo[ij] has bit, flags[at + t>>6] |= 1<<(t&63).
TEXT ·trackMonthAsm(SB), NOSPLIT, $0-16
	MOVQ a+0(FP), R8
	MOVQ t+8(FP), R9
	MOVQ TA_ROWS(R8), DI
	LEAQ 8(DI)(R9*8), DI // &rows[t+1]

	// Relations and stances.
	MOVQ TA_S(R8), SI
	MOVQ $0x3fe0000000000000, AX // 0.5
	MOVQ AX, X2
	MOVQ TA_REL(R8), BX
	MOVQ TA_REL+8(R8), CX
	TESTQ CX, CX
	JEQ  trade

rel:
	MOVLQSX 0(BX), AX
	MOVLQSX 4(BX), DX
	MOVSD (SI)(AX*8), X0
	ADDSD (SI)(DX*8), X0
	MULSD X2, X0
	MOVLQSX 8(BX), AX
	MOVSD X0, (DI)(AX*8)
	ADDQ $12, BX
	DECQ CX
	JNZ  rel

trade:
	MOVQ TA_TN(R8), SI
	MOVQ TA_PHI(R8), R10
	MOVQ TA_TRADE(R8), BX
	MOVQ TA_TRADE+8(R8), CX
	TESTQ CX, CX
	JEQ  flags

tr:
	MOVLQSX 0(BX), AX
	MOVSD (SI)(AX*8), X0
	MULSD (R10)(AX*8), X0
	MOVLQSX 8(BX), DX
	MOVSD X0, (DI)(DX*8)
	ADDQ $12, BX
	DECQ CX
	JNZ  tr

flags:
	MOVQ TA_FLAGS(R8), DI
	MOVQ R9, AX
	SHRQ $6, AX
	LEAQ (DI)(AX*8), DI // &flags[t>>6]
	MOVQ R9, CX
	MOVL $1, DX
	SHLQ CX, DX         // 1 << (t&63)
	MOVQ TA_MO(R8), SI
	MOVQ TA_FL(R8), BX
	MOVQ TA_FL+8(R8), CX
	TESTQ CX, CX
	JEQ  done

flag:
	MOVLQSX 0(BX), AX
	MOVQ (SI)(AX*8), AX
	TESTQ 8(BX), AX
	JEQ  next
	MOVLQSX 4(BX), AX
	ORQ  DX, (DI)(AX*8)

next:
	ADDQ $16, BX
	DECQ CX
	JNZ  flag

done:
	RET
