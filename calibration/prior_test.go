package calibration

import (
	"math"
	"reflect"
	"strings"
	"testing"

	"github.com/geosim/geosim/sim/dist"
)

// TestParsePriorRoundTrips: every distribution a prior can be reads back
// from its String as the same distribution, with numbers that %g writes
// in full (a third, 1e-7) exact; malformed notations are errors.
func TestParsePriorRoundTrips(t *testing.T) {
	third := 1.0 / 3
	for _, d := range []dist.Dist{
		dist.Uniform{Min: -2, Max: 2.5},
		dist.Uniform{Min: 0, Max: 0.04},
		dist.Normal{Mu: third, Sigma: 1e-7},
		dist.LogNormal{Mu: -1.5, Sigma: 0.4},
		dist.TruncLogNormal{Mu: 0, Sigma: 1, Min: 0.1, Max: 10},
		dist.TruncNormal{Mu: 0.25, Sigma: 1.23, Min: -1, Max: 3},
		dist.Triangular{Min: 1, Mode: 1.5, Max: 4},
		dist.Beta{Alpha: 2, Beta: 5},
		dist.Choice{Values: []float64{1, 2, 3}},
		dist.Choice{Values: []float64{1, 2}, Weights: []float64{0.25, 0.75}},
	} {
		got, err := ParsePrior(d.String())
		if err != nil {
			t.Errorf("%s: %v", d, err)
			continue
		}
		if !reflect.DeepEqual(got, d) {
			t.Errorf("%s read back as %#v", d, got)
		}
		if a, b := got.Quantile(0.3), d.Quantile(0.3); a != b && !(math.IsNaN(a) && math.IsNaN(b)) {
			t.Errorf("%s: quantile %v, want %v", d, a, b)
		}
	}
	for _, bad := range []string{"", "uniform", "uniform(1)", "uniform(2, 1)", "gamma(1, 2)", "uniform(1, x)",
		"lognormal(0, 1) in [1]", "normal(0, 1) in [0, 1]", "choice(1:0.5, 2)", "uniform(1, 2) extra"} {
		if _, err := ParsePrior(bad); err == nil || !strings.Contains(err.Error(), "prior") {
			t.Errorf("%q: got %v, want an error naming the prior", bad, err)
		}
	}
}

// TestSummaryPriors: the shipped flagship posterior's summary reads back
// with its priors, whose 90% intervals are the ones it records.
func TestSummaryPriors(t *testing.T) {
	s, err := ReadSummary("../scenarios/calibration/summary.json")
	if err != nil {
		t.Fatal(err)
	}
	priors, err := s.Priors()
	if err != nil {
		t.Fatal(err)
	}
	for i, p := range priors {
		ps := s.Parameters[i]
		if p.Name != ps.Name {
			t.Errorf("parameter %d: %s, want %s", i, p.Name, ps.Name)
		}
		for k, q := range []float64{0.05, 0.95} {
			if got := p.Prior.Quantile(q); math.Abs(got-ps.PriorInterval90[k]) > 1e-12 {
				t.Errorf("%s: %v quantile %v, recorded %v", p.Name, q, got, ps.PriorInterval90[k])
			}
		}
	}
	if _, err := ReadSummary("../scenarios/calibration/posterior.csv"); err == nil {
		t.Error("a CSV file read as a summary")
	}
}

// TestParamDecimals: one number of decimals per parameter, from its
// prior's 90% interval, and no negative zero.
func TestParamDecimals(t *testing.T) {
	for _, c := range []struct {
		lo, hi float64
		v      float64
		want   string
	}{
		{-1.775, 2.275, 0.485, "0.48"}, // binary 0.485 lies just below
		{1.1, 2.9, 1.86, "1.86"},
		{0.002, 0.038, 0.024, "0.0240"},
		{0.0015, 0.0285, 0.0181, "0.0181"},
		{10, 90, 42.42, "42.4"},
		{100, 900, 420.6, "421"},
		{-1, 1, -0.001, "0.00"},
	} {
		p := ParamSummary{}
		p.PriorInterval90 = [2]float64{c.lo, c.hi}
		if got := p.Format(c.v); got != c.want {
			t.Errorf("[%v, %v]: %v printed %s, want %s", c.lo, c.hi, c.v, got, c.want)
		}
	}
}
