package abc

import (
	"context"
	"encoding/json"
	"testing"
)

// A small SBC run: the harness is deterministic for any number of
// workers and reports consistent counts. The coverage it measures over
// 100 replications is in sbc_long_test.go (build tag "long").
func TestSBCPlumbing(t *testing.T) {
	m := normalMean{m0: 0, s0: 2, sigma: 1, n: 20}
	p := Problem{Params: m.params(), Simulator: SimulatorFunc(m.simulate), Observed: []float64{0}}
	cfg := SBCConfig{Replications: 8, Seed: 7, ABC: Config{Particles: 100, Generations: 3}}
	var want []byte
	for _, workers := range []int{1, 3} {
		cfg.Workers = workers
		calls := 0
		cfg.Progress = func(done, total int) { calls++ }
		res, err := SBC(context.Background(), p, cfg)
		if err != nil {
			t.Fatal(err)
		}
		if calls != 8 {
			t.Errorf("progress called %d times, want 8", calls)
		}
		got, _ := json.Marshal(res)
		if want == nil {
			want = got
		} else if string(got) != string(want) {
			t.Errorf("SBC with %d workers differs from 1 worker", workers)
		}
		c := res.Coverage[0]
		hist := 0
		for _, n := range res.RankHistogram[0] {
			hist += n
		}
		if c.Covered > 8 || c.Rate != float64(c.Covered)/8 || hist != 8 || len(res.Truth) != 8 {
			t.Errorf("inconsistent counts: %+v, histogram total %d", c, hist)
		}
		for r := range res.Truth {
			inside := res.Lower[r][0] <= res.Truth[r][0] && res.Truth[r][0] <= res.Upper[r][0]
			if rk := res.Rank[r][0]; rk < 0 || rk > 1 || (rk < 0.05 || rk > 0.95) && inside && res.Lower[r][0] != res.Truth[r][0] && res.Upper[r][0] != res.Truth[r][0] {
				t.Errorf("replication %d: rank %g inconsistent with interval [%g, %g] around truth %g", r, rk, res.Lower[r][0], res.Upper[r][0], res.Truth[r][0])
			}
		}
	}
}
