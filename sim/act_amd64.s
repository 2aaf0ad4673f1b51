#include "textflag.h"

// Offsets in actArgs and actGroup (choice.go; TestActLayout checks them).
#define A_GROUPS 0
#define A_NGROUPS 8
#define A_MON 24
#define A_TM 48
#define A_TRADED 56
#define A_DIDOFF 80
#define A_AMB 88
#define A_NT 112
#define A_NA 120
#define G_MASKS 0
#define G_NMASKS 8
#define G_WHO 24
#define G_REC 48
#define G_STRIDE 80
#define G_BEST 88
#define G_BYTES 112

// func actMasksAsm(a *actArgs)
//
// actMasksGo (choice.go) in scalar assembly, one word of masks (eight
// records) per step, with one loop for groups of a single option and
// one for groups of several (which read the best option), so that an
// action tests neither. Registers: SI next word, CX words left, DX the
// word (once its act bits are known, only its bits left to the exact
// rule), R13 its act bits left, R8 who at the word (8r), R9 the records
// at the word (r), R10 the group's table of best-option offsets
// (actGroup.best), R11 stride in bytes, DI mon, R12 tm. Frame: 0 the
// next group, 8 groups left, 16 the group's index, 24–40 registers
// saved on the rare path of a first trade action, 48 the group's masks
// (r = SI − masks).
TEXT ·actMasksAsm(SB), NOSPLIT, $56-8
	MOVQ a+0(FP), AX
	MOVQ A_MON(AX), DI
	MOVQ A_TM(AX), R12
	MOVQ $0, A_NA(AX)
	MOVQ A_GROUPS(AX), R8
	MOVQ R8, 0(SP)
	MOVQ A_NGROUPS(AX), R9
	MOVQ R9, 8(SP)
	MOVQ $0, 16(SP)
	TESTQ R9, R9
	JZ done

group:
	MOVQ 0(SP), AX
	MOVQ G_MASKS(AX), SI
	MOVQ SI, 48(SP)
	MOVQ G_NMASKS(AX), CX
	SHRQ $3, CX
	MOVQ G_WHO(AX), R8
	MOVQ G_REC(AX), R9
	MOVQ G_BEST(AX), R10
	MOVQ G_STRIDE(AX), R11
	SHLQ $3, R11
	TESTQ CX, CX
	JZ nextgroup
	TESTQ R11, R11
	JNZ mword

// Groups of a single option: the target is who[8r + p].
sword:
	MOVQ (SI), DX
	TESTQ DX, DX
	JZ snext
	MOVQ $0x0F0F0F0F0F0F0F0F, R13
	ANDQ DX, R13
	JZ samb
	// DX: the bits left to the exact rule, the high bits of the lanes
	// that act cleared (the choice kernels set them), as the low ones:
	// DX ^ act·0x11
	IMUL3Q $0x11, R13, AX
	XORQ AX, DX

sact:
	BSFQ R13, R14         // p
	MOVQ (R8)(R14*8), R15 // who[8r + p]
	// R15: a | did's index<<6 | j<<32 | acted's index<<38 (packWho)
	MOVL R15, AX
	SHRQ $6, AX           // did's index
	MOVQ (DI)(AX*8), R14
	BTQ R15, R12          // a has a trade effect (bit offsets are mod 64)
	JCC sset
	TESTQ R12, R14
	JNZ sset
	// the first such action toward the partner: traded[nt] = did's index − didOff
	MOVQ R13, 24(SP)
	MOVQ R14, 32(SP)
	MOVQ R15, 40(SP)
	MOVQ a+0(FP), R13
	MOVQ AX, R14
	SUBQ A_DIDOFF(R13), R14
	MOVQ A_NT(R13), R15
	INCQ A_NT(R13)
	MOVQ A_TRADED(R13), R13
	MOVL R14, (R13)(R15*4)
	MOVQ 24(SP), R13
	MOVQ 32(SP), R14
	MOVQ 40(SP), R15

sset:
	BTSQ R15, R14         // did |= 1<<a
	MOVQ R14, (DI)(AX*8)
	SHRQ $32, R15         // j | acted's index<<6
	MOVQ R15, AX
	SHRQ $6, AX           // acted's index
	MOVQ (DI)(AX*8), R14
	BTSQ R15, R14         // acted |= 1<<j
	MOVQ R14, (DI)(AX*8)
	LEAQ -1(R13), AX
	ANDQ AX, R13
	JNZ sact

samb:
	TESTQ DX, DX
	JZ snext
	// amb[na:na+3] = group, r, bits
	MOVQ a+0(FP), R14
	MOVQ A_NA(R14), R13
	ADDQ $3, A_NA(R14)
	MOVQ A_AMB(R14), R14
	LEAQ (R14)(R13*8), R14
	MOVQ 16(SP), R15
	MOVQ R15, 0(R14)
	MOVQ SI, R15
	SUBQ 48(SP), R15
	MOVQ R15, 8(R14)
	MOVQ DX, 16(R14)

snext:
	ADDQ $8, SI
	ADDQ $512, R8
	DECQ CX
	JNZ sword
	JMP nextgroup

// Groups of several options: the target is who[8r + p + k·stride] with
// minus the best option k from the records.
mword:
	MOVQ (SI), DX
	TESTQ DX, DX
	JZ mnext
	MOVQ $0x0F0F0F0F0F0F0F0F, R13
	ANDQ DX, R13
	JZ mamb
	IMUL3Q $0x11, R13, AX
	XORQ AX, DX

mact:
	BSFQ R13, R14          // p
	MOVQ (R10)(R14*8), AX  // the byte offset of p's best option
	MOVQ (R9)(AX*1), AX    // minus the best option k
	IMULQ R11, AX
	ADDQ R8, AX
	MOVQ (AX)(R14*8), R15  // who[8r + p + k·stride]
	MOVL R15, AX
	SHRQ $6, AX            // did's index
	MOVQ (DI)(AX*8), R14
	BTQ R15, R12           // a has a trade effect
	JCC mset
	TESTQ R12, R14
	JNZ mset
	MOVQ R13, 24(SP)
	MOVQ R14, 32(SP)
	MOVQ R15, 40(SP)
	MOVQ a+0(FP), R13
	MOVQ AX, R14
	SUBQ A_DIDOFF(R13), R14
	MOVQ A_NT(R13), R15
	INCQ A_NT(R13)
	MOVQ A_TRADED(R13), R13
	MOVL R14, (R13)(R15*4)
	MOVQ 24(SP), R13
	MOVQ 32(SP), R14
	MOVQ 40(SP), R15

mset:
	BTSQ R15, R14          // did |= 1<<a
	MOVQ R14, (DI)(AX*8)
	SHRQ $32, R15          // j | acted's index<<6
	MOVQ R15, AX
	SHRQ $6, AX            // acted's index
	MOVQ (DI)(AX*8), R14
	BTSQ R15, R14          // acted |= 1<<j
	MOVQ R14, (DI)(AX*8)
	LEAQ -1(R13), AX
	ANDQ AX, R13
	JNZ mact

mamb:
	TESTQ DX, DX
	JZ mnext
	MOVQ a+0(FP), R14
	MOVQ A_NA(R14), R13
	ADDQ $3, A_NA(R14)
	MOVQ A_AMB(R14), R14
	LEAQ (R14)(R13*8), R14
	MOVQ 16(SP), R15
	MOVQ R15, 0(R14)
	MOVQ SI, R15
	SUBQ 48(SP), R15
	MOVQ R15, 8(R14)
	MOVQ DX, 16(R14)

mnext:
	ADDQ $8, SI
	ADDQ $512, R8
	ADDQ 512(R10), R9      // the next eight records
	DECQ CX
	JNZ mword

nextgroup:
	ADDQ $G_BYTES, 0(SP)
	INCQ 16(SP)
	DECQ 8(SP)
	JNZ group

done:
	RET
