#include "textflag.h"

// func chooseAVX2(rec *uint64, nrec, nopt int, cf, th *float64, mk uint64, actM, ambM *uint64)
//
// chooseGo (choice.go) four decisions at a time: one record per step.
// Registers: SI record, DI records left, BX options beyond the first,
// R8 cf, R9 th, R10/R11 next words of actM/ambM, R12/R13 their bits so
// far, CX bit position, R15 chooseConsts, Y15 mk in every lane.
TEXT ·chooseAVX2(SB), NOSPLIT, $0-64
	MOVQ rec+0(FP), SI
	MOVQ nrec+8(FP), DI
	MOVQ nopt+16(FP), BX
	DECQ BX
	MOVQ cf+24(FP), R8
	MOVQ th+32(FP), R9
	VPBROADCASTQ mk+40(FP), Y15
	MOVQ actM+48(FP), R10
	MOVQ ambM+56(FP), R11
	LEAQ ·chooseConsts(SB), R15
	XORQ R12, R12
	XORQ R13, R13
	XORQ CX, CX

loop:
	// c = cf[ij], h = th[ij]
	VMOVDQU 0(SI), X0
	VPCMPEQD Y1, Y1, Y1
	VGATHERDPD Y1, (R8)(X0*8), Y2
	VPCMPEQD Y1, Y1, Y1
	VGATHERDPD Y1, (R9)(X0*8), Y3

	// best = c·x + h·q + F of option 0, then each further option
	// replaces it when strictly larger (Y6: its index).
	VMULPD 160(SI), Y2, Y4
	VMULPD 192(SI), Y3, Y5
	VADDPD Y5, Y4, Y4
	VADDPD 224(SI), Y4, Y4
	VPXOR Y6, Y6, Y6
	LEAQ 256(SI), R14
	TESTQ BX, BX
	JZ optsdone
	MOVQ BX, DX
	VMOVDQU 416(R15), Y9

opt:
	VMULPD 0(R14), Y2, Y7
	VMULPD 32(R14), Y3, Y8
	VADDPD Y8, Y7, Y7
	VADDPD 64(R14), Y7, Y7
	VCMPPD $0x1e, Y4, Y7, Y8 // u > best (GT_OQ)
	VBLENDVPD Y8, Y7, Y4, Y4
	VBLENDVPD Y8, Y9, Y6, Y6
	VPADDQ 416(R15), Y9, Y9
	ADDQ $96, R14
	DECQ DX
	JNZ opt

optsdone:
	// z = λ·best
	VMULPD 64(SI), Y4, Y4
	VMOVUPD Y4, 96(SI)
	VMOVDQU Y6, 128(SI)

	// u = Unit(splitmix64(mk ^ key)); 64-bit products from three
	// 32×32-bit ones: lo·lo + (hi·lo + lo·hi)<<32.
	VPXOR 32(SI), Y15, Y0
	VPADDQ 0(R15), Y0, Y0
	VPSRLQ $30, Y0, Y1
	VPXOR Y1, Y0, Y0
	VPMULUDQ 32(R15), Y0, Y1
	VPSRLQ $32, Y0, Y2
	VPMULUDQ 32(R15), Y2, Y2
	VPMULUDQ 64(R15), Y0, Y3
	VPADDQ Y3, Y2, Y2
	VPSLLQ $32, Y2, Y2
	VPADDQ Y2, Y1, Y0
	VPSRLQ $27, Y0, Y1
	VPXOR Y1, Y0, Y0
	VPMULUDQ 96(R15), Y0, Y1
	VPSRLQ $32, Y0, Y2
	VPMULUDQ 96(R15), Y2, Y2
	VPMULUDQ 128(R15), Y0, Y3
	VPADDQ Y3, Y2, Y2
	VPSLLQ $32, Y2, Y2
	VPADDQ Y2, Y1, Y0
	VPSRLQ $31, Y0, Y1
	VPXOR Y1, Y0, Y0
	// (⌊x/2^12⌋ + ½)/2^52 exactly: 1 + ⌊x/2^12⌋/2^52, minus 1, plus 2^-53.
	VPSRLQ $12, Y0, Y0
	VPOR 160(R15), Y0, Y0
	VSUBPD 160(R15), Y0, Y0
	VADDPD 192(R15), Y0, Y0

	// t = u·(1 + roughExp(−z))
	VMULPD 224(R15), Y4, Y1
	VADDPD 256(R15), Y1, Y1
	VPSLLQ $42, Y1, Y1
	VPADDQ 160(R15), Y1, Y1
	VADDPD 160(R15), Y1, Y1
	VMULPD Y0, Y1, Y1

	// act = z > 38 | (|z| ≤ 38 & t < actSure);
	// amb = |z| ≤ 38 & !(t < actSure) & !(t > actNever)
	VANDPD 288(R15), Y4, Y2
	VCMPPD $0x12, 320(R15), Y2, Y2 // |z| <= 38 (LE_OQ)
	VCMPPD $0x1e, 320(R15), Y4, Y3 // z > 38
	VCMPPD $0x11, 352(R15), Y1, Y5 // t < actSure (LT_OQ)
	VCMPPD $0x1e, 384(R15), Y1, Y6 // t > actNever
	VANDPD Y2, Y5, Y7
	VORPD Y3, Y7, Y7
	VORPD Y5, Y6, Y6
	VANDNPD Y2, Y6, Y6
	VMOVMSKPD Y7, AX
	VMOVMSKPD Y6, DX
	SHLQ CX, AX
	SHLQ CX, DX
	ORQ AX, R12
	ORQ DX, R13
	ADDQ $4, CX
	CMPQ CX, $64
	JNE next
	MOVQ R12, (R10)
	MOVQ R13, (R11)
	ADDQ $8, R10
	ADDQ $8, R11
	XORQ R12, R12
	XORQ R13, R13
	XORQ CX, CX

next:
	MOVQ R14, SI
	DECQ DI
	JNZ loop
	TESTQ CX, CX
	JZ done
	MOVQ R12, (R10)
	MOVQ R13, (R11)

done:
	VZEROUPPER
	RET
