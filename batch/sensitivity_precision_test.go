package batch

import (
	"context"
	"encoding/json"
	"errors"
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
