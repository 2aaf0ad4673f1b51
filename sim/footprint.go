package sim

import (
	"strconv"
	"unsafe"
)

// Estimates of what running a model costs in memory and output, for
// refusing work that would exceed a limit before it starts (batch). They
// are approximate — within a few tens of percent, on the high side — and
// count the large allocations only.

// ResultBytes estimates the memory of one Result of m: the histograms
// and accumulators of every outcome, event, shock and series point.
// sim.Run holds one per worker and one for the total.
func (m *Model) ResultBytes() int64 {
	const accum = int64(unsafe.Sizeof(OutcomeStats{}) + unsafe.Sizeof(histogramHeader{}))
	var b int64
	for _, o := range m.outcomes {
		bins := int64(outcomeBins)
		if o.info.Integer {
			bins = int64(o.info.Max-o.info.Min) + 1
		}
		b += accum + 8*bins
	}
	b += int64(len(m.events)+len(m.shocks)) * (accum + 8*int64(m.steps))
	b += int64(len(m.series)) * int64(m.steps+1) * (accum + 8*seriesBins)
	return b
}

// histogramHeader stands for the fixed part of a stats.Histogram.
type histogramHeader struct {
	lo, hi, scale float64
	counts        []int64
	n             int64
	integer       bool
}

// WorkspaceBytes estimates the memory of one Workspace of m (NewWorkspace
// allocates per-actor, per-action, per-dyad and per-dyad-and-action
// slices, the parameter vector, outcome trackers and the series).
func (m *Model) WorkspaceBytes() int64 {
	n, k := int64(m.n), int64(len(m.actionIDs))
	floats := int64(len(m.params)) + 3*n*n*k + n*k + 12*n*n + 8*n + 6*k +
		int64(len(m.outcomes)) + int64(len(m.series))*int64(m.steps+1)
	return 8*floats + 8*2*n*n + 4*int64(len(m.events)+len(m.shocks)) + 4096
}

// RowBytes estimates the length of one runs.csv line of a run with index
// below runs: typical widths of the values AppendRow writes (10
// significant digits for parameters, 6 for outcomes).
func (m *Model) RowBytes(runs int) int64 {
	return int64(len(strconv.Itoa(max(runs-1, 0)))) + 13*int64(len(m.uncertain)) + 9*int64(len(m.outcomes)) +
		2*int64(len(m.events)) + 3*int64(len(m.events)+len(m.shocks)) + 1
}

// HeaderBytes returns the length of runs.csv's header line.
func (m *Model) HeaderBytes() int64 {
	b := int64(0)
	for _, h := range m.Header() {
		b += int64(len(h)) + 1
	}
	return b
}

// RunBufferBytes estimates the memory Run holds for runs.csv lines in
// flight: up to 9 chunks of runs per worker.
func (m *Model) RunBufferBytes(workers, runs int) int64 {
	chunk := int64(m.replicates) * ((minChunkRuns + int64(m.replicates) - 1) / int64(m.replicates))
	return 9 * int64(workers) * chunk * m.RowBytes(runs)
}
