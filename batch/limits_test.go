package batch

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/geosim/geosim/scenarios"
	"github.com/geosim/geosim/sim"
	"github.com/geosim/geosim/sim/scenario"
)

// bigSeriesScenario has the most series the limits allow over the most
// months: each worker's accumulators take about 130 MB.
func bigSeriesScenario(t *testing.T) *scenario.File {
	t.Helper()
	var b strings.Builder
	b.WriteString("[scenario]\nname = \"big\"\nstart = 2025-09-01\nsteps = 600\n\n[actor.A]\n[actor.B]\n\n")
	for i := 0; i < sim.MaxSeries; i++ {
		fmt.Fprintf(&b, "[series.s%d]\nactors = [\"A\", \"B\"]\n", i)
	}
	f, err := scenario.Parse("big.toml", []byte(b.String()))
	if err != nil {
		t.Fatal(err)
	}
	return f
}

// TestLimitsRefuseBeforeWork: work whose estimated memory or output is
// over a limit is refused at once — no folder written, no design built —
// with a message that says how to proceed. The defects: -runs 10^8 wrote
// runs.csv until the disk filled, -n 100000000 ran out of memory, an LHS
// sweep of 100,000 points used 3.5-6.7 GB before the first point.
func TestLimitsRefuseBeforeWork(t *testing.T) {
	flagship, err := scenario.LoadFS(scenarios.FS, scenarios.Flagship)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	out := filepath.Join(dir, "out")
	cases := []struct {
		name string
		do   func() error
		kind string
		want string
	}{
		{"runs.csv too large", func() error {
			_, err := Run(context.Background(), flagship, RunOptions{Runs: 100_000_000, Seed: 1, Out: out})
			return err
		}, "output", "use -runs-csv=false"},
		{"accumulators too large for the workers", func() error {
			_, err := Run(context.Background(), bigSeriesScenario(t), RunOptions{Runs: 10, Seed: 1, Workers: 64, Out: out, NoRows: true})
			return err
		}, "memory", "use fewer -workers"},
		{"sensitivity N too large", func() error {
			_, _, err := Analyse(context.Background(), flagship, SensitivityOptions{Method: "sobol", N: 100_000_000, Seed: 1, Out: out})
			return err
		}, "memory", "use -n "},
		{"comparison accumulators", func() error {
			big := bigSeriesScenario(t)
			_, _, err := Compare(context.Background(), []*scenario.File{big, big}, CompareOptions{Runs: 10, Seed: 1, Workers: 32, Out: out})
			return err
		}, "memory", "fewer scenarios"},
		{"sweep summaries over a small limit", func() error {
			e, err := scenario.LoadExperiment("testdata/small-sweep.toml")
			if err != nil {
				return err
			}
			_, err = Sweep(context.Background(), e, SweepOptions{Out: out, Limits: Limits{Memory: 1 << 20}})
			return err
		}, "memory", "raise -max-memory"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			start := time.Now()
			err := c.do()
			var le *LimitError
			if !errors.As(err, &le) || le.Kind != c.kind || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("got %v, want a %s LimitError saying %q", err, c.kind, c.want)
			}
			if !strings.HasPrefix(err.Error(), "refused before starting: ") || le.Need <= le.Limit {
				t.Errorf("message %q", err)
			}
			if d := time.Since(start); d > 5*time.Second {
				t.Errorf("refusing took %v", d)
			}
			if _, err := os.Stat(out); !os.IsNotExist(err) {
				t.Errorf("%s was written", out)
			}
		})
	}
	// Raised limits let the same work through the check.
	if err := checkRun(flagship.Model, 1, 100_000_000, 100_000_000, true, false, Limits{Output: -1}); err != nil {
		t.Errorf("no output limit: %v", err)
	}
}

// TestRunEstimates: the runs.csv estimate is close to, and not below,
// what a run writes.
func TestRunEstimates(t *testing.T) {
	f, err := scenario.LoadFS(scenarios.FS, scenarios.Flagship)
	if err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "run")
	if _, err := Run(context.Background(), f, RunOptions{Runs: 3000, Seed: 1, Out: out}); err != nil {
		t.Fatal(err)
	}
	info, err := os.Stat(filepath.Join(out, "runs.csv"))
	if err != nil {
		t.Fatal(err)
	}
	est := f.Model.HeaderBytes() + 3000*f.Model.RowBytes(3000)
	t.Logf("runs.csv %d bytes, estimate %d", info.Size(), est)
	if est < info.Size() || est > info.Size()*3/2 {
		t.Errorf("estimate %d for %d bytes", est, info.Size())
	}
}

// TestLargestN: the N a refused sensitivity analysis suggests fits the
// limit, and twice it does not.
func TestLargestN(t *testing.T) {
	f, err := scenario.LoadFS(scenarios.FS, scenarios.Flagship)
	if err != nil {
		t.Fatal(err)
	}
	for _, method := range []string{"sobol", "morris", "oat"} {
		err := checkAnalysis(method, 16, 14, 100_000_000, 2, f.Model, Limits{})
		var n int
		if err == nil {
			t.Fatalf("%s: not refused", method)
		}
		if _, serr := fmt.Sscanf(err.Error()[strings.Index(err.Error(), "use -n "):], "use -n %d", &n); serr != nil || n < 1 {
			t.Fatalf("%s: no N in %q", method, err)
		}
		if err := checkAnalysis(method, 16, 14, n, 2, f.Model, Limits{}); err != nil {
			t.Errorf("%s: the suggested N = %d is refused: %v", method, n, err)
		}
		if err := checkAnalysis(method, 16, 14, 2*n, 2, f.Model, Limits{}); err == nil {
			t.Errorf("%s: twice the suggested N = %d is accepted", method, n)
		}
	}
}
