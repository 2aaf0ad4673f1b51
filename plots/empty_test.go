package plots

import (
	"context"
	"errors"
	"math"
	"testing"

	"github.com/geosim/geosim/forecast"
	"github.com/geosim/geosim/output"
)

// TestChartsEmptyInputs: every writer of charts copes with a summary, a
// sweep, a comparison, a sensitivity analysis or a score that has
// nothing to show — the dashboard of a scenario with an outcome and no
// events once panicked — and refuses, rather than hangs on, values no
// chart can show.
func TestChartsEmptyInputs(t *testing.T) {
	ctx := context.Background()
	empty := &output.Summary{Provenance: output.Provenance{Tool: "geosim", Runs: 10},
		Scenario: output.ScenarioInfo{Name: "x", Start: "2025-09-01", End: "2025-10-01", Steps: 1}}
	if err := WriteReport(ctx, memWriter{}, empty); err != nil {
		t.Errorf("empty summary: %v", err)
	}
	outcomeOnly := *empty
	outcomeOnly.Outcomes = []output.OutcomeSummary{{Name: "o", Kind: "relation", Mean: 1, Quantiles: output.Quantiles{P5: 0, P25: 0.5, P50: 1, P75: 1.5, P95: 2},
		Histogram: output.Histogram{Edges: []output.Float{0, 1}, Width: 1, Counts: []int64{4, 6}}}}
	if _, err := Dashboard(&outcomeOnly); err != nil {
		t.Errorf("dashboard of an outcome without events: %v", err)
	}
	if err := WriteSweep(ctx, memWriter{}, Sweep{Name: "s", Design: "grid", Factors: []string{"f"}, Points: [][]float64{{1}, {2}},
		Summaries: []*output.Summary{empty, empty}}); err != nil {
		t.Errorf("sweep without events or outcomes: %v", err)
	}
	if err := WriteComparison(ctx, memWriter{}, &output.Comparison{Scenarios: []output.ComparedScenario{{Name: "a"}, {Name: "b"}}},
		[]*output.Summary{empty, empty}); err != nil {
		t.Errorf("comparison without rows: %v", err)
	}
	if err := WriteSensitivity(ctx, memWriter{}, SensitivityData{Method: "sobol"}); err != nil {
		t.Errorf("sensitivity without outputs: %v", err)
	}
	if err := WriteScores(ctx, memWriter{}, &forecast.Scores{}, ""); err != nil {
		t.Errorf("no resolved question: %v", err)
	}

	huge := outcomeOnly
	huge.Events = []output.EventSummary{{Name: "e", From: "2025-09-01", By: "2025-09-01", Probability: 1e308, Runs: 10,
		Wilson95: [2]output.Float{output.Float(math.NaN()), 1}}}
	if _, err := Dashboard(&huge); err == nil {
		t.Error("a probability of 1e308 was drawn")
	}
	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	if err := WriteReport(cancelled, memWriter{}, &outcomeOnly); !errors.Is(err, context.Canceled) {
		t.Errorf("rendering under a cancelled context: %v", err)
	}
}
