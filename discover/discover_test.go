package discover

import (
	"bytes"
	"context"
	"encoding/gob"
	"math"
	"testing"
)

func TestBinomialUpper(t *testing.T) {
	// P(X >= 3) for X ~ Binomial(10, 0.2) = 1 − P(X <= 2) = 0.3222004736.
	if got := binomialUpper(3, 10, 0.2); math.Abs(got-0.3222004736) > 1e-9 {
		t.Errorf("P(X>=3) = %.10f", got)
	}
	if binomialUpper(0, 10, 0.2) != 1 || binomialUpper(11, 10, 0.2) != 0 || binomialUpper(4, 10, 0) != 0 || binomialUpper(4, 10, 1) != 1 {
		t.Error("edge cases")
	}
}

// TestQuasiPSeparatesRealFromIdleRestrictions: a box restricting a (the
// driver) and c (a parameter with no effect, forced into the box) gets a
// tiny quasi-p for a and a large one for c.
func TestQuasiPSeparatesRealFromIdleRestrictions(t *testing.T) {
	d := synthetic(t, 3000, 1, 1, 9, func(a, b float64) float64 {
		if a > 0.5 {
			return 0.6
		}
		return 0.2
	})
	qp := idleBoxQuasiP(d)
	t.Logf("quasi-p: a %.3g, b %v, c %.3g", qp[0], qp[1], qp[2])
	if !(qp[0] < 1e-10) || !math.IsNaN(qp[1]) || !(qp[2] > 0.05) {
		t.Errorf("quasi-p %v: want tiny for a, NaN for b, > 0.05 for c", qp)
	}
}

// TestAnalyseDeterministic: the whole result is the same for 1 and 4
// workers.
func TestAnalyseDeterministic(t *testing.T) {
	d := synthetic(t, 800, 3, 3, 21, func(a, b float64) float64 { return 0.1 + 0.6*a*(1-b) })
	var out [2][]byte
	for k, workers := range []int{1, 4} {
		res, err := Analyse(context.Background(), d, Config{Seed: 5, Workers: workers, Permutations: 29, Bootstrap: 17})
		if err != nil {
			t.Fatal(err)
		}
		res.Config.Workers = 0
		// gob, unlike JSON, encodes the NaN quasi-p-values and infinite
		// limits, and follows pointers.
		var b bytes.Buffer
		if err := gob.NewEncoder(&b).Encode(res); err != nil {
			t.Fatal(err)
		}
		out[k] = b.Bytes()
		if len(res.Boxes) == 0 || res.Boxes[0].Permutation == nil || res.Boxes[0].Bootstrap == nil {
			t.Fatalf("expected a tested box: %+v", res)
		}
	}
	if !bytes.Equal(out[0], out[1]) {
		t.Error("results differ between 1 and 4 workers")
	}
}

// TestQuasiPReplicates: with replicates the quasi-p-values are tested on
// points, so an idle restriction stays large and a real one small.
func TestQuasiPReplicates(t *testing.T) {
	d := synthetic(t, 2000, 1, 10, 9, func(a, b float64) float64 {
		if a > 0.5 {
			return 0.6
		}
		return 0.2
	})
	qp := idleBoxQuasiP(d)
	t.Logf("quasi-p with 10 replicates: a %.3g, c %.3g", qp[0], qp[2])
	if !(qp[0] < 1e-10) || !(qp[2] > 0.05) {
		t.Errorf("quasi-p %v", qp)
	}
}

// idleBoxQuasiP returns the quasi-p-values, over all of d's points, of
// the box restricting a to > 0.5 (the driver) and c to [0.2, 0.9] (a
// parameter with no effect), leaving b free.
func idleBoxQuasiP(d *Data) []float64 {
	s := newSearcher(d, PrimConfig{})
	w := make([]int32, d.Points())
	y := make([]float64, d.Points())
	for i := range w {
		w[i], y[i] = 1, d.Y(i)
	}
	s.reset(y, w, float64(len(w)), 1)
	inf := math.Inf(1)
	s.setBox(Box{Lo: []float64{0.5, -inf, 0.2}, Hi: []float64{inf, inf, 0.9}})
	return s.quasiP(d)
}
