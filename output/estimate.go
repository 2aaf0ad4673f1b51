package output

import (
	"encoding/json"

	"github.com/geosim/geosim/sim"
)

// SummaryBytes estimates the size of m's summary.json — and, about as
// much, of a Summary held in memory: the summary of one run, written as
// geosim writes it, plus room for what fills in with more runs (an
// outcome's histogram up to summaryBins bins, numbers that are null for
// one run), plus a quarter. It runs the model once.
func SummaryBytes(m *sim.Model) int64 {
	w := sim.NewWorkspace(m)
	w.Run(0, 0)
	r := sim.NewResult(m)
	r.Add(&w.Out)
	b, err := json.MarshalIndent(Summarize(m, r, Provenance{}), "", "  ")
	if err != nil {
		return 0
	}
	grow := int64(len(m.Outcomes()))*summaryBins*40 + int64(len(m.Events())+len(m.Shocks()))*200
	return (int64(len(b)) + grow) * 5 / 4
}

// ChartBytes estimates the size of a run's charts and report: measured on
// the flagship at 70 KB per outcome distribution, 135 KB per fan chart
// and 700 KB for the dashboard, event charts and report.
func ChartBytes(m *sim.Model) int64 {
	return 700<<10 + int64(len(m.Outcomes()))*(70<<10) + int64(len(m.Series()))*(135<<10)
}
