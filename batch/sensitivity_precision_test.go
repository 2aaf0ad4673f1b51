package batch

import (
	"context"
	"encoding/json"
	"errors"
	"math"
	"path/filepath"
	"testing"
)

// TestSensitivityPrecision: N doubles from 128 until the widest total
// index interval is within the target; the N chosen and every index are
// the same for 1 and 2 workers.
func TestSensitivityPrecision(t *testing.T) {
	f := loadScenario(t, "testdata/hazard.toml")
	var first []byte
	for _, w := range []int{1, 2} {
		s, _, err := Analyse(context.Background(), f, SensitivityOptions{Method: "sobol", N: 128, Seed: 3, Workers: w, Precision: 0.1, MaxN: 4096,
			Out: filepath.Join(t.TempDir(), "s")})
		if err != nil {
			t.Fatal(err)
		}
		p := s.Precision
		if p == nil || !p.Met {
			t.Fatalf("precision %+v", p)
		}
		for k, st := range p.Steps {
			if st.N != 128<<k {
				t.Errorf("step %d: N = %d", k, st.N)
			}
			if last := k == len(p.Steps)-1; last != (st.Widest <= 0.1) {
				t.Errorf("step %d (N = %d): widest %.3f against target 0.1", k, st.N, st.Widest)
			}
		}
		if s.N != p.Steps[len(p.Steps)-1].N {
			t.Errorf("analysis N %d, last step N %d", s.N, p.Steps[len(p.Steps)-1].N)
		}
		b, _ := json.Marshal(s)
		if first == nil {
			first = b
			t.Logf("steps: %+v", p.Steps)
		} else if string(b) != string(first) {
			t.Error("precision mode differs between 1 and 2 workers")
		}
	}
}

func TestSensitivityPrecisionRefusals(t *testing.T) {
	f := loadScenario(t, "testdata/hazard.toml")
	if _, _, err := Analyse(context.Background(), f, SensitivityOptions{Method: "morris", Seed: -1, Precision: 0.1}); !errors.Is(err, errSensitivityPrecision) {
		t.Errorf("morris: %v", err)
	}
	if _, _, err := Analyse(context.Background(), f, SensitivityOptions{Method: "sobol", Seed: -1, Precision: 0.1, Shard: &Shard{K: 0, N: 2}}); err == nil {
		t.Error("a sharded precision analysis was accepted")
	}
}

// TestRareOutputs: an output is rare when values other than its most
// common one fall in fewer than MinRareBase of N base points, counted
// over every row and scaled to N.
func TestRareOutputs(t *testing.T) {
	const rows, n = 10000, 1000 // rows of the design, N base points
	ys := make([][]float64, rows)
	for j := range ys {
		y := []float64{0, 0, float64(j), 0, 5}
		if j%100 == 0 { // 100 of 10,000 rows: 10 of 1,000 base points
			y[0] = 1
		}
		if j%10 == 0 { // 1,000 rows: 100 base points, exactly the minimum
			y[1] = 1
		}
		if j%10 != 0 { // the common value is 1 here: 0 in 100 base points
			y[3] = 1
		}
		if j == 7 {
			y[4] = math.NaN() // one NaN: a run of one, never a hang
		}
		ys[j] = y
	}
	got := rareOutputs(ys, []string{"rare", "edge", "continuous", "rare_zero", "constant"}, n)
	want := []bool{true, false, false, false, true}
	for k := range want {
		if got[k] != want[k] {
			t.Errorf("output %d: rare %v, want %v", k, got[k], want[k])
		}
	}
}
