package sim

import (
	"math"
	"strconv"
)

// maxGDigits bounds appendG's precision: the scaled value then stays
// below 10^12, far inside float64's exact integers.
const maxGDigits = 12

// pow10 holds the powers of ten appendG scales by, all exact in float64.
var pow10 = [...]float64{1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16}

// firstDigit[e+4] is the float64 nearest 10^e, e from -4: the bounds
// appendG finds a value's first digit with (a bound an ulp off only sends
// the value to strconv).
var firstDigit = func() (t [maxGDigits + 4]float64) {
	for i := range t {
		t[i] = pow10[i] * 1e-4
	}
	return t
}()

// log10Pow2[be+14] is ⌊be·log10 2⌋ for the binary exponents be of the
// values appendG formats itself (1e-4 ≤ a < 10^11: be from -14 to 36):
// the decimal exponent of a's first digit is it or one more.
var log10Pow2 = func() (t [51]int8) {
	for i := range t {
		t[i] = int8(math.Floor(float64(i-14) * math.Log10(2)))
	}
	return t
}()

// digitPairs holds "00", "01", … "99".
const digitPairs = "00010203040506070809101112131415161718192021222324252627282930313233343536373839404142434445464748495051525354555657585960616263646566676869707172737475767778798081828384858687888990919293949596979899"

// appendG appends v as strconv.AppendFloat(b, v, 'g', prec, 64) does,
// byte for byte, for prec from 1 to maxGDigits — faster for the values
// runs.csv holds: whole numbers below 10^prec (counts, months) and
// numbers from 1e-4 to 10^(prec-1) whose prec significant digits a
// float64 product settles. Anything else goes to strconv: values whose
// next digit is too close to a tie for the product to decide, that
// round up into the next power of ten, that need an exponent, NaN and
// infinities.
func appendG(b []byte, v float64, prec int) []byte {
	if prec < 1 || prec > maxGDigits {
		return strconv.AppendFloat(b, v, 'g', prec, 64)
	}
	a := math.Abs(v)
	if a == math.Trunc(a) && a < pow10[prec] {
		if math.Signbit(v) {
			b = append(b, '-')
		}
		return strconv.AppendUint(b, uint64(a), 10)
	}
	if !(a >= 1e-4 && a < pow10[prec-1]) {
		return strconv.AppendFloat(b, v, 'g', prec, 64)
	}
	// e: the decimal exponent of a's first digit: for a in [2^be,
	// 2^(be+1)) it is c = ⌊be·log10 2⌋ or c+1 (10^c ≤ 2^be and
	// 2^(be+1) < 10^(c+2)), which one a comparison with 10^(c+1) says;
	// a wrong one would leave y outside [10^(prec-1), 10^prec) and go to
	// strconv.
	e := int(log10Pow2[int(math.Float64bits(a)>>52)-1023+14])
	if a >= firstDigit[e+5] {
		e++
	}
	e = min(e, prec-2)
	y := a * pow10[prec-1-e] // a·10^(prec-1-e), rounded once
	fl := math.Floor(y)
	f := y - fl // exact
	// y is within half an ulp (≤ y·2^-53) of the exact product, so the
	// integer that rounds it is the exact product's unless the fraction
	// is this close to one half. The upper bound keeps the digits from
	// carrying into one more.
	if !(fl >= pow10[prec-1] && fl < pow10[prec]-1) || math.Abs(f-0.5) <= y*0x1p-50 {
		return strconv.AppendFloat(b, v, 'g', prec, 64)
	}
	n := uint64(fl)
	if f > 0.5 {
		n++
	}
	// The line is put together in buf and appended at once: the sign,
	// then "0." and zeros before the digits when a < 1; else the digits
	// one byte on, the integer ones moved back over that byte and the
	// decimal point put after them.
	var buf [maxGDigits + 8]byte
	s := 0
	if v < 0 {
		buf[0] = '-'
		s = 1
	}
	dp := e + 1 // digits before the decimal point
	at := s + 1 // where the digits go
	if dp <= 0 {
		buf[s], buf[s+1] = '0', '.'
		for k := s + 2; k < s+2-dp; k++ {
			buf[k] = '0'
		}
		at = s + 2 - dp
	}
	d := buf[at : at+prec]
	i := prec
	for ; i >= 2; i -= 2 {
		p := n % 100 * 2
		d[i-2], d[i-1] = digitPairs[p], digitPairs[p+1]
		n /= 100
	}
	if i == 1 {
		d[0] = byte('0' + n)
	}
	nd := prec // significant digits without trailing zeros, as %g writes
	for d[nd-1] == '0' {
		nd--
	}
	if dp <= 0 {
		return append(b, buf[:at+nd]...)
	}
	for k := s; k < s+dp; k++ {
		buf[k] = buf[k+1]
	}
	if dp >= nd {
		return append(b, buf[:s+dp]...)
	}
	buf[s+dp] = '.'
	return append(b, buf[:at+nd]...)
}
