#include "textflag.h"

// func chooseAVX2(rec *uint64, nrec, nopt int, cf, th *float64, mk uint64, mask *byte)
//
// chooseGo (choice.go) four decisions at a time: one record per step.
// Registers: SI record, DI records left, BX options beyond the first,
// R8 cf, R9 th, R10 next mask byte, R15 chooseConsts, Y15 mk in every
// lane. Constants (chooseConsts in choice_amd64.go): 0 SplitMix64
// increment, 32 and 64 its multipliers as (high, low) 32-bit halves per
// lane, 96 1.0 (also the exponent bias 1023<<52), 128 1 − 2^-53,
// 160 −1024/ln2, 192 1.5·2^52, 224 −38, 256 38, 288 actSure,
// 320 actNever, 352 all ones, 384 the integer 1, 416 0xFFFFFFFF00000000,
// 448 and 480 the multipliers with their 32-bit halves swapped.
TEXT ·chooseAVX2(SB), NOSPLIT, $0-56
	MOVQ rec+0(FP), SI
	MOVQ nrec+8(FP), DI
	MOVQ nopt+16(FP), BX
	DECQ BX
	MOVQ cf+24(FP), R8
	MOVQ th+32(FP), R9
	VPBROADCASTQ mk+40(FP), Y15
	MOVQ mask+48(FP), R10
	LEAQ ·chooseConsts(SB), R15
	TESTQ DI, DI
	JZ done

loop:
	// c = cf[ij], h = th[ij]
	VMOVDQU 0(SI), X0
	VPCMPEQD Y1, Y1, Y1
	VGATHERDPD Y1, (R8)(X0*8), Y2
	VPCMPEQD Y1, Y1, Y1
	VGATHERDPD Y1, (R9)(X0*8), Y3

	// best = c·x + h·q + F of option 0
	VMULPD 160(SI), Y2, Y4
	VMULPD 192(SI), Y3, Y5
	VADDPD Y5, Y4, Y4
	VADDPD 224(SI), Y4, Y4
	LEAQ 256(SI), R14
	TESTQ BX, BX
	JZ single

	// each further option replaces it when strictly larger (Y6: index)
	VPXOR Y6, Y6, Y6
	MOVQ BX, DX
	VMOVDQU 384(R15), Y9

opt:
	VMULPD 0(R14), Y2, Y7
	VMULPD 32(R14), Y3, Y8
	VADDPD Y8, Y7, Y7
	VADDPD 64(R14), Y7, Y7
	VCMPPD $0x1e, Y4, Y7, Y8 // u > best (GT_OQ)
	VBLENDVPD Y8, Y7, Y4, Y4
	VBLENDVPD Y8, Y9, Y6, Y6
	VPADDQ 384(R15), Y9, Y9
	ADDQ $96, R14
	DECQ DX
	JNZ opt
	VMOVDQU Y6, 128(SI)

single:
	// z = λ·best
	VMULPD 64(SI), Y4, Y4
	VMOVUPD Y4, 96(SI)

	// u = Unit(splitmix64(mk ^ key)). A 64-bit product x·C is
	// lo(x)·lo(C) + ((lo(x)·hi(C) + hi(x)·lo(C)) << 32): VPMULLD gives
	// both cross products in one 64-bit lane P = a + b·2^32, and
	// (a + b)·2^32 = (P << 32) + (P & 0xFFFFFFFF00000000).
	VPXOR 32(SI), Y15, Y0
	VPADDQ 0(R15), Y0, Y0
	VPSRLQ $30, Y0, Y1
	VPXOR Y1, Y0, Y0
	VPMULUDQ 32(R15), Y0, Y1
	VPMULLD 448(R15), Y0, Y2
	VPSLLQ $32, Y2, Y3
	VPAND 416(R15), Y2, Y2
	VPADDQ Y3, Y2, Y2
	VPADDQ Y2, Y1, Y0
	VPSRLQ $27, Y0, Y1
	VPXOR Y1, Y0, Y0
	VPMULUDQ 64(R15), Y0, Y1
	VPMULLD 480(R15), Y0, Y2
	VPSLLQ $32, Y2, Y3
	VPAND 416(R15), Y2, Y2
	VPADDQ Y3, Y2, Y2
	VPADDQ Y2, Y1, Y0
	VPSRLQ $31, Y0, Y1
	VPXOR Y1, Y0, Y0
	// (⌊x/2^12⌋ + ½)/2^52 exactly: (1 + ⌊x/2^12⌋/2^52) − (1 − 2^-53)
	VPSRLQ $12, Y0, Y0
	VPOR 96(R15), Y0, Y0
	VSUBPD 128(R15), Y0, Y0

	// t = u·(1 + roughExp(−z)) with z clamped to [−38, 38]
	VMAXPD 224(R15), Y4, Y4
	VMINPD 256(R15), Y4, Y4
	VMULPD 160(R15), Y4, Y1
	VADDPD 192(R15), Y1, Y1
	VPSLLQ $42, Y1, Y1
	VPADDQ 96(R15), Y1, Y1
	VADDPD 96(R15), Y1, Y1
	VMULPD Y0, Y1, Y1

	// act: t < actSure; exact rule: neither that nor t > actNever
	VCMPPD $0x11, 288(R15), Y1, Y5 // LT_OQ
	VCMPPD $0x1e, 320(R15), Y1, Y6 // GT_OQ
	VORPD Y5, Y6, Y6
	VXORPD 352(R15), Y6, Y6
	VMOVMSKPD Y5, AX
	VMOVMSKPD Y6, DX
	SHLQ $4, DX
	ORQ DX, AX
	MOVB AX, (R10)
	INCQ R10
	MOVQ R14, SI
	DECQ DI
	JNZ loop

done:
	VZEROUPPER
	RET
