#include "textflag.h"

// The element-wise kernels of update and coefs (engine.go, decide.go),
// four i*n + j per step, with the same IEEE operations in the same order
// as updateGo and coefsGo. Constants come from matrixConsts
// (matrix_amd64.go): 0 ten, 32 minus ten, 64 one, 96 zero.

// func updateAVX2(n4 int, s, mem, recv, base, decay, kl *float64, clampMask *uint64, rd, ord float64)
TEXT ·updateAVX2(SB), NOSPLIT, $0-80
	MOVQ n4+0(FP), CX
	MOVQ s+8(FP), SI
	MOVQ mem+16(FP), DI
	MOVQ recv+24(FP), R8
	MOVQ base+32(FP), R9
	MOVQ decay+40(FP), R10
	MOVQ kl+48(FP), R11
	MOVQ clampMask+56(FP), R12
	VBROADCASTSD rd+64(FP), Y14
	VBROADCASTSD ord+72(FP), Y13
	LEAQ ·matrixConsts(SB), R15
	XORQ AX, AX
	TESTQ CX, CX
	JZ updone

uploop:
	VMOVUPD (R8)(AX*1), Y0          // in
	VMOVUPD (R9)(AX*1), Y1          // b
	VMOVUPD (SI)(AX*1), Y2
	VSUBPD Y1, Y2, Y2               // s − b
	VMULPD (R10)(AX*1), Y2, Y2      // δ·(s − b)
	VADDPD Y2, Y1, Y2               // b + δ·(s − b)
	VMULPD (R11)(AX*1), Y0, Y3      // κL·in
	VADDPD Y3, Y2, Y2               // v
	VCMPPD $0x1e, 0(R15), Y2, Y3    // v > 10 (GT_OQ)
	VBLENDVPD Y3, 0(R15), Y2, Y4
	VCMPPD $0x11, 32(R15), Y4, Y3   // v < −10 (LT_OQ)
	VBLENDVPD Y3, 32(R15), Y4, Y4
	VMOVDQU (R12)(AX*1), Y5
	VBLENDVPD Y5, Y4, Y2, Y2        // clamped where the mask is set
	VMOVUPD Y2, (SI)(AX*1)
	VMULPD (DI)(AX*1), Y14, Y5      // δ_r·m
	VMULPD Y0, Y13, Y6              // (1 − δ_r)·in
	VADDPD Y6, Y5, Y5
	VMOVUPD Y5, (DI)(AX*1)
	ADDQ $32, AX
	DECQ CX
	JNZ uploop

updone:
	VZEROUPPER
	RET

// func coefsAVX2(n4 int, coef, threat, s, mem, phi, rec *float64)
//
// rec holds per block of four: E·T̄ (0), E·T̄ + B (32), B (64), A/10 (96),
// R/10 (128), ρ (160), −P (192): 224 bytes.
TEXT ·coefsAVX2(SB), NOSPLIT, $0-56
	MOVQ n4+0(FP), CX
	MOVQ coef+8(FP), SI
	MOVQ threat+16(FP), DI
	MOVQ s+24(FP), R8
	MOVQ mem+32(FP), R9
	MOVQ phi+40(FP), R10
	MOVQ rec+48(FP), R11
	LEAQ ·matrixConsts(SB), R15
	XORQ AX, AX
	TESTQ CX, CX
	JZ cfdone

cfloop:
	VMOVUPD (R8)(AX*1), Y0          // s
	VMOVUPD (R10)(AX*1), Y1         // φ
	VMULPD 96(R11), Y0, Y2          // A·s
	VMOVUPD (R9)(AX*1), Y3          // m
	VMULPD 128(R11), Y3, Y3         // R·m
	// normal flow: (E·T̄ + B) + A·s + R·m
	VADDPD 32(R11), Y2, Y4
	VADDPD Y3, Y4, Y4
	// otherwise: E·T̄·(φ + ρ·max(0, 1 − φ)) + B + A·s + R·m
	VMOVUPD 64(R15), Y5
	VSUBPD Y1, Y5, Y5               // 1 − φ
	VMAXPD 96(R15), Y5, Y5          // max(1 − φ, 0)
	VMULPD 160(R11), Y5, Y5         // ρ·…
	VADDPD Y5, Y1, Y5               // φ + …
	VMULPD 0(R11), Y5, Y5           // E·T̄·(…)
	VADDPD 64(R11), Y5, Y5          // + B
	VADDPD Y2, Y5, Y5               // + A·s
	VADDPD Y3, Y5, Y5               // + R·m
	VCMPPD $0x00, 64(R15), Y1, Y6   // φ == 1 (EQ_OQ)
	VBLENDVPD Y6, Y4, Y5, Y5
	VMOVUPD Y5, (SI)(AX*1)
	// θ = s < 0 ? (−P)·s : 0
	VMULPD 192(R11), Y0, Y7
	VCMPPD $0x11, 96(R15), Y0, Y6   // s < 0 (LT_OQ)
	VANDPD Y6, Y7, Y7
	VMOVUPD Y7, (DI)(AX*1)
	ADDQ $32, AX
	ADDQ $224, R11
	DECQ CX
	JNZ cfloop

cfdone:
	VZEROUPPER
	RET
