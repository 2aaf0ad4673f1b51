package backtest_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/geosim/geosim/backtest"
	"github.com/geosim/geosim/forecast"
	"github.com/geosim/geosim/sim/scenario"
)

// originBrier runs the shipped backtest with a template (the file's
// own when template is "") and returns, per origin, the model's summed
// squared error and climatology's, and the number of questions.
func originBrier(t *testing.T, template string) (model, clim []float64, n int) {
	t.Helper()
	b, err := scenario.LoadBacktestWith("../scenarios/backtest/dprk-2014-2025.toml", scenario.BacktestOptions{Template: template})
	if err != nil {
		t.Fatal(err)
	}
	yes := make([][]backtest.Tally, len(b.Plan.Origins))
	for k := range b.Plan.Origins {
		if yes[k], err = backtest.RunOrigin(context.Background(), b.Plan.Origins[k], b.Spec.Runs, b.Spec.Seed, 0); err != nil {
			t.Fatal(err)
		}
	}
	rows := backtest.Rows(b.Plan, yes, b.Spec.Runs)
	index := map[string]int{}
	for _, r := range rows {
		k, ok := index[r.Origin.String()]
		if !ok {
			k = len(model)
			index[r.Origin.String()] = k
			model, clim = append(model, 0), append(clim, 0)
		}
		o := r.Outcome()
		model[k] += (r.P[backtest.Model] - o) * (r.P[backtest.Model] - o)
		clim[k] += (r.P[backtest.Climatology] - o) * (r.P[backtest.Climatology] - o)
		n++
	}
	return model, clim, n
}

func sum(xs []float64) (s float64) {
	for _, x := range xs {
		s += x
	}
	return s
}

// TestAblation measures what each mechanism is worth on the shipped
// backtest: the full model and each ablation template of
// scenarios/backtest/ablation/, scored on the same 1,290 questions. For
// each: its Brier score, its skill against climatology, and its skill
// against the full model (positive: the ablated model is better), with
// 90% block-bootstrap intervals over origins. It prints the table of
// docs/FORECASTING.md. Opt-in (about a minute per template):
//
//	GEOSIM_LONG=1 go test ./backtest -run TestAblation -v
func TestAblation(t *testing.T) {
	if os.Getenv("GEOSIM_LONG") == "" {
		t.Skip("long: set GEOSIM_LONG=1")
	}
	full, clim, n := originBrier(t, "")
	variants, _ := filepath.Glob("../scenarios/backtest/ablation/*.toml")
	interval := func(a, b []float64) string {
		lo, hi := forecast.BlockBootstrapSkill(a, b, 2000, 0.9, rand.New(rand.NewPCG(1, 2)))
		return fmt.Sprintf("%+.3f [%+.3f, %+.3f]", forecast.Skill(sum(a), sum(b)), lo, hi)
	}
	var table strings.Builder
	fmt.Fprintf(&table, "| model | Brier | skill vs climatology (90%%) | skill vs the full model (90%%) |\n|---|---|---|---|\n")
	fmt.Fprintf(&table, "| full model | %.4f | %s | — |\n", sum(full)/float64(n), interval(full, clim))
	for _, v := range variants {
		model, c, m := originBrier(t, v)
		if m != n {
			t.Fatalf("%s: %d questions, want %d", v, m, n)
		}
		fmt.Fprintf(&table, "| %s | %.4f | %s | %s |\n", strings.TrimSuffix(filepath.Base(v), ".toml"), sum(model)/float64(n), interval(model, c), interval(model, full))
	}
	t.Log("\n" + table.String())
}
