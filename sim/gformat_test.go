package sim

import (
	"math"
	"math/rand/v2"
	"strconv"
	"testing"
)

// appendG writes what strconv writes with 'g' and 1 to 12 digits (6 and
// 10 are what runs.csv uses), for values
// of every magnitude, whole numbers, ties at the seventh digit, values an
// ulp from ties and from powers of ten, and the special values.
func TestAppendGMatchesStrconv(t *testing.T) {
	var vals []float64
	for _, v := range []float64{0, math.Copysign(0, -1), 1, -1, 999999, 1e6, 999999.5, 99999.95, 99999.949999, 1e-4, 9.99995e-5, 0.000123455, 12345.65, 10000.25, 1.5,
		math.Inf(1), math.Inf(-1), math.NaN(), math.MaxFloat64, math.SmallestNonzeroFloat64, 1e21, 3.45576, -7.41208, 0.927073} {
		vals = append(vals, v)
	}
	for e := -6; e <= 7; e++ {
		p := math.Pow(10, float64(e))
		for _, d := range []float64{1, 9.99999, 9.999995, 9.999994999, 9.9999996, 9.9999999, 1.000005, 1.0000049999, 5} {
			vals = append(vals, d*p)
		}
	}
	r := rand.New(rand.NewPCG(17, 18))
	for k := 0; k < 400_000; k++ {
		var v float64
		switch k % 4 {
		case 0: // any magnitude
			v = math.Exp(r.Float64()*40 - 20)
		case 1: // Goldstein-like values
			v = r.Float64()*20 - 10
		case 2: // a tie at the seventh significant digit, and its neighbours
			e := r.IntN(10) - 4
			v = (float64(100000+r.IntN(900000)) + 0.5) * math.Pow(10, float64(e-5))
			v = math.Nextafter(v, math.Inf(int(r.IntN(3))-1))
		default: // whole numbers and halves
			v = float64(r.IntN(2_000_000)) / float64(1+r.IntN(2))
		}
		if r.IntN(2) == 0 {
			v = -v
		}
		vals = append(vals, v)
	}
	var got, want []byte
	for _, prec := range []int{6, 10, 1, 2, 5, 7, 9, 11, 12, 13, 17} {
		for k, v := range vals {
			if prec != 6 && prec != 10 && k%8 != 0 {
				continue
			}
			if prec == 10 && k%4 == 2 { // ties at the eleventh digit
				v = math.Nextafter((float64(1_000_000_000+r.Int64N(9_000_000_000))+0.5)*math.Pow(10, float64(r.IntN(10)-13)), math.Inf(int(r.IntN(3))-1))
			}
			got = appendG(got[:0], v, prec)
			want = strconv.AppendFloat(want[:0], v, 'g', prec, 64)
			if string(got) != string(want) {
				t.Fatalf("prec %d: %v (bits %#x): got %q, strconv %q", prec, v, math.Float64bits(v), got, want)
			}
		}
	}
}
