#include "textflag.h"
#include "go_asm.h"

// Offsets of a Point's fields (go_asm.h gives each struct's own).
#define P_N (Point_Moments+Moments_N)
#define P_SUMHI (Point_Moments+Moments_Sum+FixedSum_Hi)
#define P_SUMLO (Point_Moments+Moments_Sum+FixedSum_Lo)
#define P_SQHI (Point_Moments+Moments_SumSq+SquareSum_Hi)
#define P_SQMID (Point_Moments+Moments_SumSq+SquareSum_Mid)
#define P_SQLO (Point_Moments+Moments_SumSq+SquareSum_Lo)
#define P_MIN (Point_Moments+Moments_Min)
#define P_MAX (Point_Moments+Moments_Max)

// func addSmallAsm(pts *Point, xs *float64, bins *int, n int, lo, scale float64, last int) int
//
// addSmallGo in scalar SSE2, value by value in the same order and with
// the same floating-point operations: each point takes x = xs[k] while
// -2^19 < x < 2^19 (NaN fails) and its histogram has last+1 bins, and
// bins[k] is set to x's bin (every point holds values: N > 0, which
// AddPoints tests once); the first point that does not
// take its value ends the loop, untouched, and the number of points
// added to is returned.
//
// Registers: SI point, DI past the values, R8 past the bins, CX n, BX
// the point's index minus n (from -n up to 0), R9 last, R10 last+1, R11
// zero; X8 lo, X9 scale, X10 2^19, X11 -2^19, X12 2^32.
TEXT ·addSmallAsm(SB), NOSPLIT, $0-64
	MOVQ pts+0(FP), SI
	MOVQ n+24(FP), CX
	MOVQ xs+8(FP), DI
	LEAQ (DI)(CX*8), DI
	MOVQ bins+16(FP), R8
	LEAQ (R8)(CX*8), R8
	MOVSD lo+32(FP), X8
	MOVSD scale+40(FP), X9
	MOVQ last+48(FP), R9
	MOVQ $0x4120000000000000, AX // 2^19
	MOVQ AX, X10
	MOVQ $0xc120000000000000, AX // -2^19
	MOVQ AX, X11
	MOVQ $0x41f0000000000000, AX // 2^32
	MOVQ AX, X12
	LEAQ 1(R9), R10 // bins
	XORQ R11, R11
	MOVQ CX, BX
	NEGQ BX
	JEQ  done

loop:
	MOVSD (DI)(BX*8), X0
	UCOMISD X0, X10 // 2^19 > x, not NaN
	JBE  done
	UCOMISD X11, X0 // x > -2^19
	JBE  done
	MOVQ Point_Hist(SI), R12
	CMPQ Histogram_Counts+8(R12), R10 // len(h.Counts) == last+1
	JNE  done

	// Min and Max: x < Min ? x : Min, x > Max ? x : Max.
	MOVSD X0, X1
	MINSD P_MIN(SI), X1
	MOVSD X1, P_MIN(SI)
	MOVSD X0, X1
	MAXSD P_MAX(SI), X1
	MOVSD X1, P_MAX(SI)
	INCQ P_N(SI)

	// q = roundSmall(x): x·2^32 (exact) rounded to the nearest integer,
	// ties to even, by the conversion's rounding (MXCSR's, which Go
	// leaves at round to nearest even): what roundSmall's
	// (x·2^32 + 1.5·2^52) − 1.5·2^52 gives below 2^51.
	MOVSD X0, X1
	MULSD X12, X1
	CVTSD2SQ X1, AX

	// Sum += q (128 bits, q sign-extended into DX).
	CQO
	ADDQ AX, P_SUMLO(SI)
	ADCQ DX, P_SUMHI(SI)

	// SumSq += q² (192 bits): |q| <= 2^51, so the signed product is q².
	IMULQ AX
	ADDQ AX, P_SQLO(SI)
	ADCQ DX, P_SQMID(SI)
	ADCQ $0, P_SQHI(SI)

	// Bin: int((x − lo)·scale) clamped to [0, last], into bins[k].
	SUBSD X8, X0
	MULSD X9, X0
	CVTTSD2SQ X0, AX
	TESTQ AX, AX
	CMOVQLT R11, AX
	CMPQ AX, R9
	CMOVQGT R9, AX
	MOVQ AX, (R8)(BX*8)
	MOVQ Histogram_Counts(R12), R13
	INCQ (R13)(AX*8)
	INCQ Histogram_N(R12)

	ADDQ $Point__size, SI
	INCQ BX
	JNE  loop

done:
	ADDQ CX, BX
	MOVQ BX, ret+56(FP)
	RET
