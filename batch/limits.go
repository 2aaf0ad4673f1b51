package batch

import (
	"fmt"

	"github.com/geosim/geosim/output"
	"github.com/geosim/geosim/sim"
	"github.com/geosim/geosim/sim/scenario"
	"github.com/geosim/geosim/sim/sensitivity"
)

// Limits bounds the memory a command holds and the bytes it writes. Both
// are estimated from the model before any work starts (sim.Model's
// ResultBytes and RowBytes, output.SummaryBytes, sensitivity.MemoryBytes),
// and work over a limit is refused with a *LimitError saying how to
// proceed. Zero fields mean the defaults; negative fields mean no limit.
type Limits struct {
	Memory int64 // bytes
	Output int64 // bytes
}

// Default limits (docs/SCENARIOS.md, Limits): generous for one machine,
// small enough that a typo (-runs 1000000000, -n 100000000) is caught.
const (
	DefaultMaxMemory = 4 << 30  // 4 GiB
	DefaultMaxOutput = 10 << 30 // 10 GiB
)

func (l Limits) memory() int64 { return orDefault(l.Memory, DefaultMaxMemory) }
func (l Limits) output() int64 { return orDefault(l.Output, DefaultMaxOutput) }

func orDefault(v, def int64) int64 {
	if v == 0 {
		return def
	}
	return v
}

// LimitError reports work refused because its estimated memory or output
// exceeds a limit.
type LimitError struct {
	Kind   string // "memory" or "output"
	Need   int64  // estimated bytes
	Limit  int64
	Detail string // what the estimate is made of
	Hint   string // how to proceed
}

func (e *LimitError) Error() string {
	return fmt.Sprintf("refused before starting: %s — about %s, over the %s %s limit (-max-%s); %s",
		e.Detail, Size(e.Need), Size(e.Limit), e.Kind, e.Kind, e.Hint)
}

func checkLimit(kind string, need, limit int64, detail, hint string) error {
	if limit < 0 || need <= limit {
		return nil
	}
	return &LimitError{Kind: kind, Need: need, Limit: limit, Detail: detail, Hint: hint}
}

// Size formats a byte count as geosim's size flags accept it: "4GB",
// "512MB", "1.5GB" (binary units: 1GB = 2^30 bytes).
func Size(n int64) string {
	units := []struct {
		name string
		size int64
	}{{"TB", 1 << 40}, {"GB", 1 << 30}, {"MB", 1 << 20}, {"KB", 1 << 10}}
	for _, u := range units {
		if n >= u.size {
			return fmt.Sprintf("%.3g%s", float64(n)/float64(u.size), u.name)
		}
	}
	return fmt.Sprintf("%dB", n)
}

// processBytes is what the process holds besides the estimated parts:
// the binary, the compiled model, chart rendering.
const processBytes = 64 << 20

// withHeadroom adds what Go's collector lets the heap grow beyond the
// live data before collecting (a run of 64 series over 600 months on 2
// workers, estimated at about 430 MB of live data, peaked at 570 MB RSS).
func withHeadroom(live int64) int64 { return live*5/4 + processBytes }

// runMemory estimates what sim.Run holds for count runs on workers
// workers: a Result per worker and one for the total, a Workspace per
// worker and, with rows, the runs.csv lines in flight.
func runMemory(m *sim.Model, workers, count int, rows bool) int64 {
	b := int64(workers+1)*m.ResultBytes() + int64(workers)*m.WorkspaceBytes()
	if rows {
		b += m.RunBufferBytes(workers, count) + 1<<20
	}
	return b
}

// checkRun refuses a run (or a shard of one) whose memory or output
// would exceed the limits.
func checkRun(m *sim.Model, workers, runs, count int, rows, shard bool, l Limits) error {
	memory := func(summary int64) error {
		return checkLimit("memory", withHeadroom(runMemory(m, workers, count, rows)+3*summary), l.memory(),
			fmt.Sprintf("%d workers would hold %s each for the accumulators of %d outcomes, %d events and %d series over %d months",
				workers, Size(m.ResultBytes()), len(m.Outcomes()), len(m.Events()), len(m.Series()), m.Steps()),
			"use fewer -workers (the results do not depend on them), fewer series or months, or raise -max-memory")
	}
	// The accumulators alone first: estimating the summary runs the
	// model once, which takes a second for the largest models.
	if err := memory(0); err != nil {
		return err
	}
	summary := output.SummaryBytes(m)
	if err := memory(summary); err != nil {
		return err
	}
	out := int64(0)
	detail := ""
	if rows {
		out = m.HeaderBytes() + int64(count)*m.RowBytes(runs)
		detail = fmt.Sprintf("runs.csv would hold %d runs × %d bytes", count, m.RowBytes(runs))
	}
	if !shard {
		out += summary + int64(len(m.Series()))*int64(m.Steps()+1)*100 + output.ChartBytes(m)
		if detail == "" {
			detail = "the summary, time series and charts"
		} else {
			detail += ", plus the summary, time series and charts"
		}
	}
	hint := "use fewer -runs, shards (-shard K/N) or raise -max-output"
	if rows {
		hint = "use -runs-csv=false (summary and charts only; the study's statistics do not need runs.csv), fewer -runs, or raise -max-output to write it anyway"
	}
	return checkLimit("output", out, l.output(), detail, hint)
}

// checkSweep refuses a sweep of points design points whose memory or
// output would exceed the limits: a sweep holds every point's summary
// (hold) until it writes points.csv and the charts, and writes each.
func checkSweep(e *scenario.Experiment, points, workers int, hold bool, l Limits) error {
	m := e.Base.Model
	summary := output.SummaryBytes(m)
	live := runMemory(m, workers, e.Runs, false)
	if hold {
		live += int64(points) * summary
	}
	mem := withHeadroom(live)
	err := checkLimit("memory", mem, l.memory(),
		fmt.Sprintf("the sweep would hold %d point summaries of %s each", points, Size(summary)),
		"use fewer points (or shards, -shard K/N, merged with geosim merge), or raise -max-memory")
	if err != nil {
		return err
	}
	return checkLimit("output", int64(points)*summary, l.output(),
		fmt.Sprintf("%d points would write a summary.json of %s each", points, Size(summary)),
		"use fewer points, or raise -max-output")
}

// checkAnalysis refuses a sensitivity analysis whose design, outputs and
// analysis would not fit the memory limit, naming the largest N that
// would.
func checkAnalysis(method string, d, outputs, n, workers int, m *sim.Model, l Limits) error {
	fixed := int64(workers) * m.WorkspaceBytes()
	need := withHeadroom(sensitivity.MemoryBytes(method, d, outputs, n, 0) + fixed)
	limit := l.memory()
	if limit < 0 || need <= limit {
		return nil
	}
	perN := withHeadroom(sensitivity.MemoryBytes(method, d, outputs, 1, 0)) - processBytes
	largest := (limit - withHeadroom(fixed)) / max(perN, 1)
	hint := "raise -max-memory"
	if largest >= 1 {
		hint = fmt.Sprintf("use -n %d or less, or raise -max-memory (shards do not help: each builds the whole design)", largest)
	}
	return &LimitError{Kind: "memory", Need: need, Limit: limit, Hint: hint,
		Detail: fmt.Sprintf("%s with N = %d means %d model evaluations of %d inputs and %d outputs, held in memory",
			method, n, sensitivity.Rows(method, d, n), d, outputs)}
}

// checkCompare refuses a comparison whose accumulators would not fit the
// memory limit: every worker holds a Result of every scenario.
func checkCompare(models []*sim.Model, workers int, l Limits) error {
	var per int64
	for _, m := range models {
		per += m.ResultBytes() + m.WorkspaceBytes()
	}
	return checkLimit("memory", withHeadroom(int64(workers+1)*per), l.memory(),
		fmt.Sprintf("%d workers would hold %s each for the accumulators of %d scenarios", workers, Size(per), len(models)),
		"use fewer -workers (the results do not depend on them), fewer scenarios, or raise -max-memory")
}
