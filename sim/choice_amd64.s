#include "textflag.h"

// Offsets in chooseArgs and chooseSet (choice.go; TestChooseLayout
// checks them).
#define C_SETS 0
#define C_NSETS 8
#define C_CF 24
#define C_TH 48
#define C_MK 72
#define S_REC 0
#define S_MASK 24
#define S_NREC 48
#define S_NOPT 56
#define S_SHARED 64
#define S_BYTES 72

// func chooseAVX2(a *chooseArgs)
//
// chooseGo (choice.go): set by set, chooseRecords four decisions (one
// record) at a time, in one of three loops by the number of options:
// records of one and two options, the common ones, skip the option loop
// and its counters and are taken four per step (one loop update per
// four; two and one at the end). In a set of one option, the first
// records, whose lanes share one i*n + j (chooseSet.shared: how many),
// have a loop of its own that loads c and h once a record instead of
// gathering them; the others follow in the set's ordinary loop (one
// set instead of two: ~12 instructions a call fewer). The loops
// share the macros below; the rough bound's float32 part (ROUGH) and
// the compares take two records at a time. About 41 instructions a
// record of one option (39 shared), 48 of two, in steps of four.
//
// Registers: AX scratch (the set's shared records, FIRSTS's index),
// R12 in a set of one option the records after the shared ones,
// BX next set, CX sets left, SI record, DI records left (in
// the loops of four, minus 4), R8 cf, R9 th, R10 next mask byte,
// R15 chooseConsts, Y14 zero, Y15 mk in every lane; with more than two
// options R11 options beyond the second, R14 next option, DX options
// left, Y9 minus the next option's index (the records hold minus the
// best option).
// Constants (chooseConsts in choice_amd64.go, four lanes each): 0 the
// SplitMix64 increment, 32 and 64 its multipliers, 96 1.0 (also the
// exponent bias 1023<<52), 128 1 − 2^-53, then eight lanes of float32
// each (roughT): 160 1.0, 192 1.5·2^23 + 127·2^10, 224 and 256
// ∓38·1024/ln2, 288 and 320 actSure and actNever; 352 the integer 1,
// 384 the integer −2, 416 and 448 the multipliers with their 32-bit
// halves swapped.

// FIRST(b), for the record at b(SI): c = cf[ij] (Y2), h = th[ij] (Y3)
// and best = c·x + h·q + F of option 0 (Y4). A gather clears its mask
// (Y1).
#define FIRST(b) \
	VMOVDQU b+0(SI), X0; \
	VPCMPEQD Y1, Y1, Y1; \
	VGATHERDPD Y1, (R8)(X0*8), Y2; \
	VPCMPEQD Y1, Y1, Y1; \
	VGATHERDPD Y1, (R9)(X0*8), Y3; \
	VMULPD b+128(SI), Y2, Y4; \
	VMULPD b+160(SI), Y3, Y5; \
	VADDPD Y5, Y4, Y4; \
	VADDPD b+192(SI), Y4, Y4

// FIRSTS(b): FIRST for a record whose lanes share one i*n + j
// (chooseSet.shared): c and h loaded once each, in every lane.
#define FIRSTS(b) \
	MOVL b+0(SI), AX; \
	VBROADCASTSD (R8)(AX*8), Y2; \
	VBROADCASTSD (R9)(AX*8), Y3; \
	VMULPD b+128(SI), Y2, Y4; \
	VMULPD b+160(SI), Y3, Y5; \
	VADDPD Y5, Y4, Y4; \
	VADDPD b+192(SI), Y4, Y4

// OPTION(off, r): the option at off(r) replaces best where strictly
// larger (VCMPPD predicate GT_OQ); Y8 is where it does.
#define OPTION(off, r) \
	VMULPD off(r), Y2, Y7; \
	VMULPD off+32(r), Y3, Y8; \
	VADDPD Y8, Y7, Y7; \
	VADDPD off+64(r), Y7, Y7; \
	VCMPPD $0x1e, Y4, Y7, Y8; \
	VBLENDVPD Y8, Y7, Y4, Y4

// MUL(c, cs): Y0 = Y0·C mod 2^64, C at c and with its 32-bit halves
// swapped at cs: AVX2 has no 64-bit product. x·C is lo(x)·lo(C) +
// ((lo(x)·hi(C) + hi(x)·lo(C)) << 32) (VPMULUDQ the first term).
// VPMULLD gives both cross products in one 64-bit lane, as its two
// 32-bit halves; VPHADDD with zero sums the halves of each lane into
// dwords 0 and 1 of its 128 bits (dwords 2 and 3 zero), and VPSHUFD
// $0x73 moves those sums to dwords 1 and 3 (the lanes' high halves)
// and zero to dwords 0 and 2. Five instructions instead of six.
#define MUL(c, cs) \
	VPMULUDQ c(R15), Y0, Y1; \
	VPMULLD cs(R15), Y0, Y2; \
	VPHADDD Y14, Y2, Y2; \
	VPSHUFD $0x73, Y2, Y2; \
	VPADDQ Y2, Y1, Y0

// DECIDE(b, py, pu), for the record at b(SI): y = λ′·best (the
// record's λ scaled, see roughT) and u = Unit(splitmix64(mk ^ key)),
// both rounded to float32 into the xmm py and pu for ROUGH.
#define DECIDE(b, py, pu) \
	VMULPD b+64(SI), Y4, Y4; \
	VPXOR b+32(SI), Y15, Y0; \
	VPADDQ 0(R15), Y0, Y0; \
	VPSRLQ $30, Y0, Y1; \
	VPXOR Y1, Y0, Y0; \
	MUL(32, 416); \
	VPSRLQ $27, Y0, Y1; \
	VPXOR Y1, Y0, Y0; \
	MUL(64, 448); \
	VPSRLQ $31, Y0, Y1; \
	VPXOR Y1, Y0, Y0; \
	VPSRLQ $12, Y0, Y0; \
	VPOR 96(R15), Y0, Y0; \
	VSUBPD 128(R15), Y0, Y0; \
	VCVTPD2PSY Y4, py; \
	VCVTPD2PSY Y0, pu

// ROUGH(y, u): roughT on four or eight lanes of float32 (xmm or ymm):
// t = u·(1 + e) into y, y clamped to ±38·1024/ln2 (VMINPS first: a NaN
// becomes the upper bound) and e = roughExp(y·ln2/1024), whose
// exponent bias comes with the shift constant.
#define ROUGH(y, u) \
	VMINPS 256(R15), y, y; \
	VMAXPS 224(R15), y, y; \
	VADDPS 192(R15), y, y; \
	VPSLLD $13, y, y; \
	VADDPS 160(R15), y, y; \
	VMULPS u, y, y

// LAST(b, m): DECIDE(b) and ROUGH, and the record's mask byte at
// m(R10): act where t < actSure (LT_OQ), not ruled out where not
// t > actNever (NGT_UQ), which includes every acting lane; VPACKSSDW
// makes words act 0–3, not ruled out 0–3, VPACKSSWB bytes, one
// VPMOVMSKB bit each.
#define LAST(b, m) \
	DECIDE(b, X1, X0); \
	ROUGH(X1, X0); \
	VCMPPS $0x11, 288(R15), X1, X5; \
	VCMPPS $0x1a, 320(R15), X1, X6; \
	VPACKSSDW X6, X5, X5; \
	VPACKSSWB X5, X5, X5; \
	VPMOVMSKB X5, AX; \
	MOVB AX, m(R10)

// PAIR(ya, ua, yb, ub): the y and u of two records A and B joined (A's
// lanes low, B's high: ya and ua are the ymm of A's xmm, yb and ub B's
// xmm) and t of the eight lanes into ya.
#define PAIR(ya, ua, yb, ub) \
	VINSERTF128 $1, yb, ya, ya; \
	VINSERTF128 $1, ub, ua, ua; \
	ROUGH(ya, ua)

// MASKS4: the mask bytes of four records A–D at 0(R10) from their t,
// A and B in Y10, C and D in Y11 (PAIR), compared as in LAST eight
// lanes at a time; VPACKSSDW gives per 128 bits A's (B's) words act
// 0–3, not ruled out 0–3, VPACKSSWB makes bytes A, C low and B, D high,
// VPERMQ orders them A, B, C, D for VPMOVMSKB: four mask bytes.
#define MASKS4 \
	VCMPPS $0x11, 288(R15), Y10, Y12; \
	VCMPPS $0x1a, 320(R15), Y10, Y13; \
	VPACKSSDW Y13, Y12, Y10; \
	VCMPPS $0x11, 288(R15), Y11, Y12; \
	VCMPPS $0x1a, 320(R15), Y11, Y13; \
	VPACKSSDW Y13, Y12, Y11; \
	VPACKSSWB Y11, Y10, Y10; \
	VPERMQ $0xD8, Y10, Y10; \
	VPMOVMSKB Y10, AX; \
	MOVL AX, (R10)

// TWO(b): option 1 of the two-option record at b(SI) and minus the
// best option: −1 where option 1 won, the compare mask itself.
#define TWO(b) \
	OPTION(b+224, SI); \
	VMOVDQU Y8, b+96(SI)

// ONE1(b, m) and ONE2(b, m): the record of one or two options at b(SI)
// and its mask byte at m(R10).
#define ONE1(b, m) \
	FIRST(b); \
	LAST(b, m)

#define ONE1S(b, m) \
	FIRSTS(b); \
	LAST(b, m)

#define ONE2(b, m) \
	FIRST(b); \
	TWO(b); \
	LAST(b, m)

// QUAD1(b, py, pu) and QUAD2(b, py, pu): the same, with y and u left
// in py and pu for PAIR.
#define QUAD1(b, py, pu) \
	FIRST(b); \
	DECIDE(b, py, pu)

#define QUAD1S(b, py, pu) \
	FIRSTS(b); \
	DECIDE(b, py, pu)

#define QUAD2(b, py, pu) \
	FIRST(b); \
	TWO(b); \
	DECIDE(b, py, pu)

// The loops of one and two options take four records per step (DI: the
// records left minus 4), then two and one as are left: the loop update
// is one instruction a record per step of four, two per step of two.
// Every set has a record at least (newChooseArgs): the loop of more
// options needs one.
TEXT ·chooseAVX2(SB), NOSPLIT, $0-8
	MOVQ a+0(FP), AX
	MOVQ C_SETS(AX), BX
	MOVQ C_NSETS(AX), CX
	MOVQ C_CF(AX), R8
	MOVQ C_TH(AX), R9
	VPBROADCASTQ C_MK(AX), Y15
	LEAQ ·chooseConsts(SB), R15
	VPXOR Y14, Y14, Y14
	TESTQ CX, CX
	JZ done

set:
	MOVQ S_REC(BX), SI
	MOVQ S_NREC(BX), DI
	MOVQ S_NOPT(BX), R11
	MOVQ S_MASK(BX), R10
	MOVQ S_SHARED(BX), AX
	ADDQ $S_BYTES, BX
	SUBQ $2, R11
	JZ loop2
	JA loopn
	// one option: the shared records (AX of them, perhaps none), then
	// the others (R12)
	MOVQ DI, R12
	SUBQ AX, R12
	MOVQ AX, DI
	SUBQ $4, DI
	JCS tails1

quad1s:
	QUAD1S(0, X10, X11)
	QUAD1S(224, X12, X13)
	PAIR(Y10, Y11, X12, X13)
	QUAD1S(448, X11, X12)
	QUAD1S(672, X13, X6)
	PAIR(Y11, Y12, X13, X6)
	MASKS4
	ADDQ $896, SI
	ADDQ $4, R10
	SUBQ $4, DI
	JCC quad1s

tails1:
	ADDQ $4, DI
	JZ others1
	CMPQ DI, $2
	JCS lasts1
	ONE1S(0, 0)
	ONE1S(224, 1)
	ADDQ $448, SI
	ADDQ $2, R10
	SUBQ $2, DI
	JZ others1

lasts1:
	ONE1S(0, 0)
	ADDQ $224, SI
	INCQ R10

others1:
	MOVQ R12, DI
	SUBQ $4, DI
	JCS tail1

quad1:
	QUAD1(0, X10, X11)
	QUAD1(224, X12, X13)
	PAIR(Y10, Y11, X12, X13)
	QUAD1(448, X11, X12)
	QUAD1(672, X13, X6)
	PAIR(Y11, Y12, X13, X6)
	MASKS4
	ADDQ $896, SI
	ADDQ $4, R10
	SUBQ $4, DI
	JCC quad1

tail1:
	ADDQ $4, DI
	JZ next
	CMPQ DI, $2
	JCS last1
	ONE1(0, 0)
	ONE1(224, 1)
	ADDQ $448, SI
	ADDQ $2, R10
	SUBQ $2, DI
	JZ next

last1:
	ONE1(0, 0)
	JMP next

loop2:
	SUBQ $4, DI
	JCS tail2

quad2:
	QUAD2(0, X10, X11)
	QUAD2(320, X12, X13)
	PAIR(Y10, Y11, X12, X13)
	QUAD2(640, X11, X12)
	QUAD2(960, X13, X6)
	PAIR(Y11, Y12, X13, X6)
	MASKS4
	ADDQ $1280, SI
	ADDQ $4, R10
	SUBQ $4, DI
	JCC quad2

tail2:
	ADDQ $4, DI
	JZ next
	CMPQ DI, $2
	JCS last2
	ONE2(0, 0)
	ONE2(320, 1)
	ADDQ $640, SI
	ADDQ $2, R10
	SUBQ $2, DI
	JZ next

last2:
	ONE2(0, 0)
	JMP next

loopn:
	FIRST(0)
	OPTION(224, SI)
	VMOVDQA Y8, Y6
	VMOVDQU 384(R15), Y9
	LEAQ 320(SI), R14
	MOVQ R11, DX

optn:
	OPTION(0, R14)
	VBLENDVPD Y8, Y9, Y6, Y6
	VPSUBQ 352(R15), Y9, Y9
	ADDQ $96, R14
	DECQ DX
	JNZ optn
	VMOVDQU Y6, 96(SI)
	LAST(0, 0)
	INCQ R10
	MOVQ R14, SI
	DECQ DI
	JNZ loopn

next:
	DECQ CX
	JNZ set

done:
	VZEROUPPER
	RET

// func chooseAVX512(a *chooseArgs)
//
// chooseGo with AVX-512 (F, DQ, VL) and BMI2, on chooseAVX2's sets of
// records, set by set, two records (eight decisions) per step. Each record's best option and
// y (DECIDE) are computed as in chooseAVX2 (four lanes, ymm) but with c and h
// loaded lane by lane: on the AMD Zen 5 this was written on, VGATHERDPD
// is slower than eight scalar loads, and ten times slower in its EVEX
// (mask register) form. The two records' y and keys are then joined in
// one zmm for the hash and the rough decision, where VPMULLQ makes each
// 64-bit product of SplitMix64 one instruction, the compares write mask
// registers, and PDEP spreads their eight bits over the two mask bytes.
// Records of one and two options have their own loops (the macros
// below, records at fixed offsets, the first record's y kept in Y10),
// and the first one-option records of a set, whose lanes share one
// i*n + j (chooseSet.shared), one that loads c and h once a record;
// records of more options a general loop over the pair. An odd last
// record is paired with itself and writes one byte.
//
// Registers: SI record, DI records left (in the pair loops, minus 2),
// BX options beyond the first, R8 cf, R9 th, R10 next mask byte, AX and
// R11 scratch (R11 the set's shared records until their loop), R15
// 0x0F0F; in a set of one option R12 the records after the shared ones;
// in the general loop R12 first record of the pair, R13 the second's offset (the record size in bytes, 0 for the
// odd one), CX records of the pair left, R14 next option, DX options
// left. Z15 mk in every lane, and the constants of chooseConsts,
// broadcast: Z16 SplitMix64 increment, Z17 and Z18 its multipliers,
// Z19 1.0 (and 1023<<52), Z20 1 − 2^-53, and as float32 (roughT) Z21
// 1.0, Z22 1.5·2^23 + 127·2^10, Z23 and Z24 ∓38·1024/ln2, Z25 and Z26
// actSure and actNever; Z27 the integer 1. Z16–Z27 are zeroed before
// returning, as VZEROUPPER does not clear them: a first version of this
// kernel (with EVEX gathers) ran sevenfold slower when they were left
// dirty; the present one showed no difference (BenchmarkRun, CPU time),
// so it is a cheap precaution (12 instructions a call). Frame: 0 the
// next set, 8 sets left.

// XFRONT(b), for the record at b(SI): c = cf[ij] (Y2) and h = th[ij]
// (Y3), lanes 0–1 in X2, X3 and 2–3 in X5, X6, and best = c·x + h·q + F
// of option 0 (Y4).
#define XFRONT(b) \
	MOVL b+0(SI), AX; \
	MOVL b+4(SI), R11; \
	VMOVSD (R8)(AX*8), X2; \
	VMOVHPD (R8)(R11*8), X2, X2; \
	VMOVSD (R9)(AX*8), X3; \
	VMOVHPD (R9)(R11*8), X3, X3; \
	MOVL b+8(SI), AX; \
	MOVL b+12(SI), R11; \
	VMOVSD (R8)(AX*8), X5; \
	VMOVHPD (R8)(R11*8), X5, X5; \
	VMOVSD (R9)(AX*8), X6; \
	VMOVHPD (R9)(R11*8), X6, X6; \
	VINSERTF128 $1, X5, Y2, Y2; \
	VINSERTF128 $1, X6, Y3, Y3; \
	VMULPD b+128(SI), Y2, Y4; \
	VMULPD b+160(SI), Y3, Y5; \
	VADDPD Y5, Y4, Y4; \
	VADDPD b+192(SI), Y4, Y4

// XFRONTS(b): XFRONT for a record whose lanes share one i*n + j
// (chooseSet.shared): c and h loaded once each, in every lane.
#define XFRONTS(b) \
	MOVL b+0(SI), AX; \
	VBROADCASTSD (R8)(AX*8), Y2; \
	VBROADCASTSD (R9)(AX*8), Y3; \
	VMULPD b+128(SI), Y2, Y4; \
	VMULPD b+160(SI), Y3, Y5; \
	VADDPD Y5, Y4, Y4; \
	VADDPD b+192(SI), Y4, Y4

// XTWO(b): option 1 of the two-option record at b(SI) replaces best
// where strictly larger (GT_OQ, K1), and minus the best option (−1
// there, 0 elsewhere) goes to the record.
#define XTWO(b) \
	VMULPD b+224(SI), Y2, Y7; \
	VMULPD b+256(SI), Y3, Y8; \
	VADDPD Y8, Y7, Y7; \
	VADDPD b+288(SI), Y7, Y7; \
	VCMPPD $0x1e, Y4, Y7, K1; \
	VMOVAPD Y7, K1, Y4; \
	VPMOVM2Q K1, Y6; \
	VMOVDQU Y6, b+96(SI)

// XZ(b): y = λ′·best (Y4) of the record at b(SI) (see DECIDE).
#define XZ(b) \
	VMULPD b+64(SI), Y4, Y4

// XBACK(b, s): the records at b(SI) (y in Y10) and b+s(SI) (y in Y4)
// joined: u = Unit(splitmix64(mk ^ key)), whose last step
// (x ^ x>>31)>>12 | 1.0 is (x>>12 ^ x>>43) | 1.0, one VPTERNLOGQ;
// t = roughT(u, y) in float32 as chooseAVX2's ROUGH; act (K1) where
// t < actSure (LT_OQ), not ruled out where not t > actNever (NGT_UQ,
// K2). Bits 0–3 of each are the first record's, 4–7 the
// second's: AX gets the two mask bytes act | not ruled out<<4.
#define XBACK(b, s) \
	VINSERTF64X4 $1, Y4, Z10, Z4; \
	VMOVDQU64 b+32(SI), Y0; \
	VINSERTI64X4 $1, b+s+32(SI), Z0, Z0; \
	VPXORQ Z15, Z0, Z0; \
	VPADDQ Z16, Z0, Z0; \
	VPSRLQ $30, Z0, Z1; \
	VPXORQ Z1, Z0, Z0; \
	VPMULLQ Z17, Z0, Z0; \
	VPSRLQ $27, Z0, Z1; \
	VPXORQ Z1, Z0, Z0; \
	VPMULLQ Z18, Z0, Z0; \
	VPSRLQ $12, Z0, Z1; \
	VPSRLQ $43, Z0, Z0; \
	VPTERNLOGQ $0xBE, Z19, Z1, Z0; \
	VSUBPD Z20, Z0, Z0; \
	VCVTPD2PS Z4, Y4; \
	VCVTPD2PS Z0, Y0; \
	VMINPS Y24, Y4, Y4; \
	VMAXPS Y23, Y4, Y1; \
	VADDPS Y22, Y1, Y1; \
	VPSLLD $13, Y1, Y1; \
	VADDPS Y21, Y1, Y1; \
	VMULPS Y0, Y1, Y1; \
	VCMPPS $0x11, Y25, Y1, K1; \
	VCMPPS $0x1a, Y26, Y1, K2; \
	KMOVB K1, AX; \
	KMOVB K2, DX; \
	PDEPL R15, AX, AX; \
	PDEPL R15, DX, DX; \
	SHLL $4, DX; \
	ORL DX, AX

TEXT ·chooseAVX512(SB), NOSPLIT, $16-8
	MOVQ a+0(FP), AX
	MOVQ C_SETS(AX), R8
	MOVQ R8, 0(SP)
	MOVQ C_NSETS(AX), R9
	MOVQ R9, 8(SP)
	MOVQ C_CF(AX), R8
	MOVQ C_TH(AX), R9
	VPBROADCASTQ C_MK(AX), Z15
	LEAQ ·chooseConsts(SB), R15
	VPBROADCASTQ 0(R15), Z16
	VPBROADCASTQ 32(R15), Z17
	VPBROADCASTQ 64(R15), Z18
	VPBROADCASTQ 96(R15), Z19
	VPBROADCASTQ 128(R15), Z20
	VPBROADCASTQ 160(R15), Z21
	VPBROADCASTQ 192(R15), Z22
	VPBROADCASTQ 224(R15), Z23
	VPBROADCASTQ 256(R15), Z24
	VPBROADCASTQ 288(R15), Z25
	VPBROADCASTQ 320(R15), Z26
	VPBROADCASTQ 352(R15), Z27
	MOVL $0x0F0F, R15
	CMPQ 8(SP), $0
	JEQ done512

set512:
	MOVQ 0(SP), AX
	MOVQ S_REC(AX), SI
	MOVQ S_NREC(AX), DI
	MOVQ S_NOPT(AX), BX
	MOVQ S_MASK(AX), R10
	MOVQ S_SHARED(AX), R11
	ADDQ $S_BYTES, 0(SP)
	LEAQ (BX)(BX*2), R13
	SHLQ $5, R13
	ADDQ $128, R13 // 8·recSize(nopt) = 128 + 96·nopt
	DECQ BX
	CMPQ BX, $1
	JA genpair
	TESTQ BX, BX
	JNZ two512
	// one option: the shared records (R11 of them, perhaps none), then
	// the others (R12)
	MOVQ DI, R12
	SUBQ R11, R12
	MOVQ R11, DI
	SUBQ $2, DI
	JCS odds512

pair1s:
	XFRONTS(0)
	XZ(0)
	VMOVAPD Y4, Y10
	XFRONTS(224)
	XZ(224)
	XBACK(0, 224)
	MOVW AX, (R10)
	ADDQ $448, SI
	ADDQ $2, R10
	SUBQ $2, DI
	JCC pair1s

odds512:
	ADDQ $2, DI
	JZ others512
	XFRONTS(0)
	XZ(0)
	VMOVAPD Y4, Y10
	XBACK(0, 0)
	MOVB AX, (R10)
	ADDQ $224, SI
	INCQ R10

others512:
	MOVQ R12, DI
	SUBQ $2, DI
	JCS odd512

pair1:
	XFRONT(0)
	XZ(0)
	VMOVAPD Y4, Y10
	XFRONT(224)
	XZ(224)
	XBACK(0, 224)
	MOVW AX, (R10)
	ADDQ $448, SI
	ADDQ $2, R10
	SUBQ $2, DI
	JCC pair1
	JMP odd512

two512:
	SUBQ $2, DI
	JCS odd512

pair2:
	XFRONT(0)
	XTWO(0)
	XZ(0)
	VMOVAPD Y4, Y10
	XFRONT(320)
	XTWO(320)
	XZ(320)
	XBACK(0, 320)
	MOVW AX, (R10)
	ADDQ $640, SI
	ADDQ $2, R10
	SUBQ $2, DI
	JCC pair2

odd512:
	ADDQ $2, DI
	JZ next512
	XFRONT(0)
	TESTQ BX, BX
	JZ oddz
	XTWO(0)

oddz:
	XZ(0)
	VMOVAPD Y4, Y10
	XBACK(0, 0)
	MOVB AX, (R10)
	JMP next512

genpair:
	MOVQ SI, R12
	MOVL $2, CX
	CMPQ DI, $1
	JNE genfront
	MOVL $1, CX
	XORL R13, R13

genfront:
	// c = cf[ij], h = th[ij], lanes 0–1 in X2, X3 and 2–3 in X5, X6
	MOVL 0(SI), AX
	MOVL 4(SI), R11
	VMOVSD (R8)(AX*8), X2
	VMOVHPD (R8)(R11*8), X2, X2
	VMOVSD (R9)(AX*8), X3
	VMOVHPD (R9)(R11*8), X3, X3
	MOVL 8(SI), AX
	MOVL 12(SI), R11
	VMOVSD (R8)(AX*8), X5
	VMOVHPD (R8)(R11*8), X5, X5
	VMOVSD (R9)(AX*8), X6
	VMOVHPD (R9)(R11*8), X6, X6
	VINSERTF128 $1, X5, Y2, Y2
	VINSERTF128 $1, X6, Y3, Y3

	// best = c·x + h·q + F of option 0
	VMULPD 128(SI), Y2, Y4
	VMULPD 160(SI), Y3, Y5
	VADDPD Y5, Y4, Y4
	VADDPD 192(SI), Y4, Y4
	LEAQ 224(SI), R14
	TESTQ BX, BX
	JZ gensingle

	// each further option replaces it when strictly larger (Y6: minus its index)
	VPXORQ Y6, Y6, Y6
	MOVQ BX, DX
	VPCMPEQQ Y9, Y9, Y9

genopt:
	VMULPD 0(R14), Y2, Y7
	VMULPD 32(R14), Y3, Y8
	VADDPD Y8, Y7, Y7
	VADDPD 64(R14), Y7, Y7
	VCMPPD $0x1e, Y4, Y7, K1 // u > best (GT_OQ)
	VMOVAPD Y7, K1, Y4
	VMOVDQA64 Y9, K1, Y6
	VPSUBQ Y27, Y9, Y9
	ADDQ $96, R14
	DECQ DX
	JNZ genopt
	VMOVDQU Y6, 96(SI)

gensingle:
	// z = λ·best: the first record's ends in Y10, the second's in Y11
	VMULPD 64(SI), Y4, Y4
	VMOVAPD Y11, Y10
	VMOVAPD Y4, Y11
	MOVQ R14, SI
	DECQ CX
	JNZ genfront
	TESTQ R13, R13
	JNZ genjoin
	VMOVAPD Y11, Y10 // an odd last record, paired with itself

genjoin:
	// the pair's z (Z4) and mk ^ key (Z0)
	VINSERTF64X4 $1, Y11, Z10, Z4
	VMOVDQU64 32(R12), Y0
	VINSERTI64X4 $1, 32(R12)(R13*1), Z0, Z0
	VPXORQ Z15, Z0, Z0

	// u = Unit(splitmix64(mk ^ key)); the last step's
	// (x ^ x>>31)>>12 | 1.0 is (x>>12 ^ x>>43) | 1.0, one VPTERNLOGQ
	VPADDQ Z16, Z0, Z0
	VPSRLQ $30, Z0, Z1
	VPXORQ Z1, Z0, Z0
	VPMULLQ Z17, Z0, Z0
	VPSRLQ $27, Z0, Z1
	VPXORQ Z1, Z0, Z0
	VPMULLQ Z18, Z0, Z0
	VPSRLQ $12, Z0, Z1
	VPSRLQ $43, Z0, Z0
	VPTERNLOGQ $0xBE, Z19, Z1, Z0 // (Z0 ^ Z1) | Z19
	VSUBPD Z20, Z0, Z0

	// t = roughT(u, y) in float32 (chooseAVX2's ROUGH)
	VCVTPD2PS Z4, Y4
	VCVTPD2PS Z0, Y0
	VMINPS Y24, Y4, Y4
	VMAXPS Y23, Y4, Y1
	VADDPS Y22, Y1, Y1
	VPSLLD $13, Y1, Y1
	VADDPS Y21, Y1, Y1
	VMULPS Y0, Y1, Y1

	// act (K1): t < actSure; not ruled out: not t > actNever (K2).
	// Bits 0–3 of each are the first record's, 4–7 the second's: mask
	// bytes act | not ruled out<<4 of each.
	VCMPPS $0x11, Y25, Y1, K1 // LT_OQ
	VCMPPS $0x1a, Y26, Y1, K2 // NGT_UQ
	KMOVB K1, AX
	KMOVB K2, DX
	PDEPL R15, AX, AX
	PDEPL R15, DX, DX
	SHLL $4, DX
	ORL DX, AX
	CMPQ DI, $1
	JEQ genodd
	MOVW AX, (R10)
	ADDQ $2, R10
	SUBQ $2, DI
	JNZ genpair
	JMP next512

genodd:
	MOVB AX, (R10)

next512:
	DECQ 8(SP)
	JNZ set512

done512:
	VPXORQ Y16, Y16, Y16
	VPXORQ Y17, Y17, Y17
	VPXORQ Y18, Y18, Y18
	VPXORQ Y19, Y19, Y19
	VPXORQ Y20, Y20, Y20
	VPXORQ Y21, Y21, Y21
	VPXORQ Y22, Y22, Y22
	VPXORQ Y23, Y23, Y23
	VPXORQ Y24, Y24, Y24
	VPXORQ Y25, Y25, Y25
	VPXORQ Y26, Y26, Y26
	VPXORQ Y27, Y27, Y27
	VZEROUPPER
	RET
