#include "textflag.h"

// The element-wise kernels of update and coefs (engine.go, decide.go),
// four i*n + j per step, with the same IEEE operations in the same order
// as updateGo and coefsGo. Constants come from matrixConsts
// (matrix_amd64.go): 0 ten, 32 minus ten, 64 one, 96 zero.

// func updateAVX2(n4 int, s, mem, recv, phi, rec *float64, eta, td, rd, ord float64)
//
// rec holds per block of four: b (0), δ (32), T̄_ij (64), T̄_ji (96),
// κ (128), clamp mask (160): 192 bytes.
TEXT ·updateAVX2(SB), NOSPLIT, $0-80
	MOVQ n4+0(FP), CX
	MOVQ s+8(FP), SI
	MOVQ mem+16(FP), DI
	MOVQ recv+24(FP), R8
	MOVQ phi+32(FP), R9
	MOVQ rec+40(FP), R11
	VBROADCASTSD eta+48(FP), Y12
	VBROADCASTSD td+56(FP), Y13
	VBROADCASTSD rd+64(FP), Y14
	VBROADCASTSD ord+72(FP), Y15
	LEAQ ·matrixConsts(SB), R15
	XORQ AX, AX
	TESTQ CX, CX
	JZ updone

uploop:
	// κL = κ·(1 + η·max(0, T̄_ij·φ − T̄_ji·φ))
	VMOVUPD (R9)(AX*1), Y0          // φ
	VMULPD 64(R11), Y0, Y1
	VMULPD 96(R11), Y0, Y2
	VSUBPD Y2, Y1, Y1
	VMAXPD 96(R15), Y1, Y1
	VMULPD Y12, Y1, Y1
	VADDPD 64(R15), Y1, Y1
	VMULPD 128(R11), Y1, Y1
	// v = b + δ·(s − b) + κL·in
	VMOVUPD (R8)(AX*1), Y3          // in
	VMOVUPD 0(R11), Y4              // b
	VMOVUPD (SI)(AX*1), Y5
	VSUBPD Y4, Y5, Y5
	VMULPD 32(R11), Y5, Y5
	VADDPD Y5, Y4, Y5
	VMULPD Y3, Y1, Y6
	VADDPD Y6, Y5, Y5
	// clamped to [−10, 10] where the mask is set
	VCMPPD $0x1e, 0(R15), Y5, Y6    // v > 10 (GT_OQ)
	VBLENDVPD Y6, 0(R15), Y5, Y7
	VCMPPD $0x11, 32(R15), Y7, Y6   // v < −10 (LT_OQ)
	VBLENDVPD Y6, 32(R15), Y7, Y7
	VMOVDQU 160(R11), Y6
	VBLENDVPD Y6, Y7, Y5, Y5
	VMOVUPD Y5, (SI)(AX*1)
	// m = δ_r·m + (1 − δ_r)·in
	VMULPD (DI)(AX*1), Y14, Y5
	VMULPD Y3, Y15, Y6
	VADDPD Y6, Y5, Y5
	VMOVUPD Y5, (DI)(AX*1)
	// φ = 1 + δ_T·(φ − 1)
	VSUBPD 64(R15), Y0, Y0
	VMULPD Y13, Y0, Y0
	VADDPD 64(R15), Y0, Y0
	VMOVUPD Y0, (R9)(AX*1)
	ADDQ $32, AX
	ADDQ $192, R11
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
