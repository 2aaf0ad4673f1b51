package calibration

import (
	"math"
	"testing"

	"github.com/geosim/geosim/sim"
)

func TestAutocorrelationKnownAnswers(t *testing.T) {
	for _, c := range []struct {
		x    string
		want float64
	}{
		{"0101", -0.75}, // deviations ∓½: three products of −¼ over four squares of ¼
		{"0011", 0.25},
		{"1111", 0}, // constant: no variance, 0 by definition
		{"0000", 0},
		{"1001", -0.25},
	} {
		got := autocorrelation(func(m sim.Month) bool { return c.x[m] == '1' }, 0, sim.Month(len(c.x)-1))
		if math.Abs(got-c.want) > 1e-15 {
			t.Errorf("autocorrelation(%s) = %v, want %v", c.x, got, c.want)
		}
	}
}

func TestBlockLabels(t *testing.T) {
	m := func(y, mo int) sim.Month { return sim.Month(y*12 + mo - 1) }
	for _, c := range []struct {
		a, b sim.Month
		want string
	}{
		{m(2017, 1), m(2017, 12), "2017"},
		{m(2016, 1), m(2017, 12), "2016-01..2017-12"},
		{m(2025, 1), m(2025, 8), "2025-01..2025-08"},
	} {
		if got := blockLabel(c.a, c.b); got != c.want {
			t.Errorf("blockLabel = %q, want %q", got, c.want)
		}
	}
}

// Scaled puts counts on Anscombe's scale and autocorrelations on √n.
func TestScaled(t *testing.T) {
	count := StatInfo{Kind: KindMonths}
	if got := count.Scaled(1); math.Abs(got-2*math.Sqrt(1.375)) > 1e-15 {
		t.Errorf("Scaled(1) = %v", got)
	}
	ac := StatInfo{Kind: KindAutocorrelation, From: 0, To: 99}
	if got := ac.Scaled(0.3); math.Abs(got-3) > 1e-12 {
		t.Errorf("autocorrelation 0.3 over 100 months scaled to %v, want 3", got)
	}
}
