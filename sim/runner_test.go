package sim_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"testing"
	"time"

	"github.com/geosim/geosim/sim"
	"github.com/geosim/geosim/sim/scenario"
)

func flagship(t testing.TB) *sim.Model {
	t.Helper()
	f, err := scenario.Load("../scenarios/beijing-parade-2025.toml")
	if err != nil {
		t.Fatal(err)
	}
	return f.Model
}

func runBytes(t *testing.T, m *sim.Model, cfg sim.Config) ([]byte, []byte) {
	t.Helper()
	var rows bytes.Buffer
	cfg.Rows = &rows
	res, err := sim.Run(context.Background(), m, cfg)
	if err != nil {
		t.Fatal(err)
	}
	js, err := json.Marshal(res)
	if err != nil {
		t.Fatal(err)
	}
	return rows.Bytes(), js
}

// TestRunDeterministicAcrossWorkers: the same seed and runs give the
// same per-run rows and the same accumulated result, byte for byte, for
// 1, 2 and 5 workers.
func TestRunDeterministicAcrossWorkers(t *testing.T) {
	m := flagship(t)
	rows1, res1 := runBytes(t, m, sim.Config{Runs: 3000, Seed: 7, Workers: 1})
	for _, w := range []int{2, 5} {
		rows, res := runBytes(t, m, sim.Config{Runs: 3000, Seed: 7, Workers: w})
		if !bytes.Equal(rows, rows1) {
			t.Errorf("%d workers: rows differ from 1 worker", w)
		}
		if !bytes.Equal(res, res1) {
			t.Errorf("%d workers: result differs from 1 worker", w)
		}
	}
	other, _ := runBytes(t, m, sim.Config{Runs: 3000, Seed: 8, Workers: 2})
	if bytes.Equal(other, rows1) {
		t.Error("a different seed gave the same rows")
	}
}

// TestRunOffset: runs First..First+Runs-1 are exactly the corresponding
// rows of a longer run (the basis of sharding).
func TestRunOffset(t *testing.T) {
	m := flagship(t)
	all, _ := runBytes(t, m, sim.Config{Runs: 1000, Seed: 3})
	tail, _ := runBytes(t, m, sim.Config{Runs: 400, Seed: 3, First: 600})
	lines := bytes.SplitAfter(all, []byte("\n"))
	if want := bytes.Join(lines[600:1000], nil); !bytes.Equal(tail, want) {
		t.Error("rows of runs 600..999 differ when run on their own")
	}
}

func TestRunCancel(t *testing.T) {
	m := flagship(t)
	ctx, cancel := context.WithCancel(context.Background())
	go func() { time.Sleep(20 * time.Millisecond); cancel() }()
	start := time.Now()
	_, err := sim.Run(ctx, m, sim.Config{Runs: 50_000_000, Seed: 1})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("got %v, want context.Canceled", err)
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("cancellation took %v", d)
	}
}

func TestRunRejectsBadConfig(t *testing.T) {
	m := flagship(t)
	for _, cfg := range []sim.Config{{Runs: 0}, {Runs: -3}, {Runs: 10, First: -1}} {
		if _, err := sim.Run(context.Background(), m, cfg); err == nil {
			t.Errorf("%+v: no error", cfg)
		}
	}
}

// TestRunAllocatesNothing: a run, accumulating it and formatting its CSV
// row allocate nothing once the workspace exists.
func TestRunAllocatesNothing(t *testing.T) {
	m := flagship(t)
	ws := sim.NewWorkspace(m)
	res := sim.NewResult(m)
	buf := make([]byte, 0, 4096)
	run := uint64(0)
	allocs := testing.AllocsPerRun(200, func() {
		ws.Run(11, run)
		res.Add(&ws.Out)
		buf = sim.AppendRow(buf[:0], &ws.Out)
		run++
	})
	if allocs != 0 {
		t.Errorf("%v allocations per run, want 0", allocs)
	}
}
