package batch

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"math"
	"os"
	"path/filepath"
	"testing"

	"github.com/geosim/geosim/output"
	"github.com/geosim/geosim/sim"
	"github.com/geosim/geosim/sim/scenario"
)

// coinTruth is the probability that coin.toml's shock fires within 12
// months at a monthly hazard of 0.05.
var coinTruth = 1 - math.Pow(0.95, 12)

func loadScenario(t testing.TB, path string) *scenario.File {
	t.Helper()
	f, err := scenario.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	return f
}

// TestPrecisionKnownProbability: with a target of ±0.02 and blocks of
// 500 runs, the Wilson half-width at the true probability 0.4596 first
// drops below 0.02 at 2,500 runs (at 2,000 it is at least 0.0209 for any
// estimate in [0.35, 0.65], at 2,500 at most 0.0196), so every seed stops
// after exactly 5 blocks; and the final 95% intervals cover the truth in
// about 95% of seeds (at least 16 of 20 would fail only with probability
// 0.03%).
func TestPrecisionKnownProbability(t *testing.T) {
	m := loadScenario(t, "testdata/coin.toml").Model
	covered := 0
	for seed := uint64(1); seed <= 20; seed++ {
		res, prec, err := RunPrecision(context.Background(), m, sim.Config{Seed: seed}, PrecisionOptions{Target: 0.02, Block: 500})
		if err != nil {
			t.Fatal(err)
		}
		if prec.Runs != 2500 || res.Runs != 2500 || !prec.Met {
			t.Errorf("seed %d: stopped after %d runs (met %v), want 2500", seed, prec.Runs, prec.Met)
		}
		if len(prec.Checkpoints) != 5 || prec.Checkpoints[4].Runs != 2500 {
			t.Errorf("seed %d: %d checkpoints", seed, len(prec.Checkpoints))
		}
		lo, hi := res.Events[0].Occurred.Wilson95()
		if lo <= coinTruth && coinTruth <= hi {
			covered++
		}
	}
	t.Logf("the final interval covered %.4f in %d of 20 seeds", coinTruth, covered)
	if covered < 16 {
		t.Errorf("covered the truth in %d of 20 seeds", covered)
	}
}

// TestPrecisionCap: a target out of reach stops at MaxRuns, the last
// block cut short, and says it was not met.
func TestPrecisionCap(t *testing.T) {
	m := loadScenario(t, "testdata/coin.toml").Model
	res, prec, err := RunPrecision(context.Background(), m, sim.Config{Seed: 3}, PrecisionOptions{Target: 0.001, Block: 500, MaxRuns: 1200})
	if err != nil {
		t.Fatal(err)
	}
	if prec.Met || prec.Runs != 1200 || res.Runs != 1200 || len(prec.Checkpoints) != 3 || prec.Binding != "coin" {
		t.Errorf("met %v after %d runs, %d checkpoints, binding %q", prec.Met, prec.Runs, len(prec.Checkpoints), prec.Binding)
	}
}

// TestPrecisionDeterministic: precision mode on the flagship gives the
// same runs, result and precision record for 1 and 3 workers, and the
// same runs and result as a plain run of the count it chose.
func TestPrecisionDeterministic(t *testing.T) {
	m := loadScenario(t, "../scenarios/beijing-parade-2025.toml").Model
	encode := func(workers int) (rows, res, prec []byte, runs int64) {
		var b bytes.Buffer
		r, p, err := RunPrecision(context.Background(), m, sim.Config{Seed: 5, Workers: workers, Rows: &b}, PrecisionOptions{Target: 0.03, Block: 300})
		if err != nil {
			t.Fatal(err)
		}
		rj, _ := json.Marshal(r)
		pj, _ := json.Marshal(p)
		return b.Bytes(), rj, pj, p.Runs
	}
	rows1, res1, prec1, runs := encode(1)
	rows3, res3, prec3, _ := encode(3)
	if !bytes.Equal(rows1, rows3) || !bytes.Equal(res1, res3) || !bytes.Equal(prec1, prec3) {
		t.Error("precision mode differs between 1 and 3 workers")
	}
	if runs%300 != 0 {
		t.Errorf("%d runs: not a whole number of blocks", runs)
	}
	var b bytes.Buffer
	r, err := sim.Run(context.Background(), m, sim.Config{Seed: 5, Runs: int(runs), Workers: 2, Rows: &b})
	if err != nil {
		t.Fatal(err)
	}
	rj, _ := json.Marshal(r)
	if !bytes.Equal(b.Bytes(), rows1) || !bytes.Equal(rj, res1) {
		t.Errorf("precision mode's %d runs differ from a plain run of %d", runs, runs)
	}
	t.Logf("precision 0.03 in blocks of 300: %d runs", runs)
}

// TestPrecisionFolder: a precision run's summary.json records the
// precision and equals, apart from it, a plain run's of the same count;
// the folder has the convergence chart.
func TestPrecisionFolder(t *testing.T) {
	f := loadScenario(t, "testdata/coin.toml")
	dir := t.TempDir()
	rep, err := Run(context.Background(), f, RunOptions{Label: "coin", Seed: 2, Out: filepath.Join(dir, "p"), Precision: &PrecisionOptions{Target: 0.02, Block: 500}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Run(context.Background(), f, RunOptions{Label: "coin", Seed: 2, Runs: int(rep.Runs), Out: filepath.Join(dir, "plain")}); err != nil {
		t.Fatal(err)
	}
	read := func(path string) []byte {
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	var s output.Summary
	if err := json.Unmarshal(read(filepath.Join(dir, "p", "summary.json")), &s); err != nil {
		t.Fatal(err)
	}
	if s.Precision == nil || s.Precision.Runs != 2500 || !s.Precision.Met || len(s.Precision.Quantities) != 2 {
		t.Fatalf("precision section %+v", s.Precision)
	}
	s.Precision = nil
	a, _ := json.MarshalIndent(&s, "", "  ")
	if !bytes.Equal(append(a, '\n'), read(filepath.Join(dir, "plain", "summary.json"))) {
		t.Error("summary.json differs from a plain run's beyond the precision section")
	}
	if _, err := os.Stat(filepath.Join(dir, "p", "convergence.png")); err != nil {
		t.Error("no convergence chart")
	}
	if !bytes.Contains(read(filepath.Join(dir, "p", "report.html")), []byte("reached after <strong>2,500 runs</strong>")) {
		t.Error("report.html does not state the run count precision mode chose")
	}
}

func TestPrecisionRefusesShard(t *testing.T) {
	f := loadScenario(t, "testdata/coin.toml")
	_, err := Run(context.Background(), f, RunOptions{Seed: -1, Out: filepath.Join(t.TempDir(), "x"), Shard: &Shard{K: 0, N: 2}, Precision: &PrecisionOptions{Target: 0.02}})
	if !errors.Is(err, errPrecisionShard) {
		t.Errorf("got %v", err)
	}
	for _, bad := range []PrecisionOptions{{Target: 0}, {Target: 0.7}, {Target: 0.01, Block: -1}, {Target: 0.01, Block: 1000, MaxRuns: 10}} {
		if bad.Check() == nil {
			t.Errorf("%+v accepted", bad)
		}
	}
}
