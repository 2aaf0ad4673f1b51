package output

import (
	"bytes"
	"encoding/csv"
	"io"
	"os"
	"runtime"
	"strconv"
	"time"
)

// WriteHeader writes the runs.csv header row.
func WriteHeader(w io.Writer, header []string) error {
	cw := csv.NewWriter(w)
	cw.Write(header)
	cw.Flush()
	return cw.Error()
}

// TimeseriesCSV renders timeseries.csv: one row per series and month,
// long format.
func TimeseriesCSV(s *Summary) []byte {
	var b bytes.Buffer
	cw := csv.NewWriter(&b)
	cw.Write([]string{"series", "description", "month", "date", "mean", "p5", "p25", "p50", "p75", "p95"})
	f := func(x Float) string { return strconv.FormatFloat(float64(x), 'g', 6, 64) }
	for _, ser := range s.Series {
		for _, p := range ser.Points {
			cw.Write([]string{ser.Name, ser.Description, strconv.Itoa(p.Month), p.Date, f(p.Mean), f(p.P5), f(p.P25), f(p.P50), f(p.P75), f(p.P95)})
		}
	}
	cw.Flush()
	return b.Bytes()
}

// RunInfo is run.json: what is not deterministic about a run.
type RunInfo struct {
	Start       time.Time `json:"start"`
	End         time.Time `json:"end"`
	WallSeconds float64   `json:"wall_seconds"`
	RunsPerSec  float64   `json:"runs_per_second"`
	Workers     int       `json:"workers"`
	GoVersion   string    `json:"go_version"`
	Host        string    `json:"host"`
	CPUs        int       `json:"cpus"`
	Command     []string  `json:"command"`
}

// NewRunInfo fills in the machine description for a run that started at
// start and ended at end.
func NewRunInfo(start, end time.Time, runs int64, workers int, args []string) RunInfo {
	host, _ := os.Hostname()
	wall := end.Sub(start).Seconds()
	return RunInfo{Start: start.UTC(), End: end.UTC(), WallSeconds: wall, RunsPerSec: float64(runs) / wall,
		Workers: workers, GoVersion: runtime.Version(), Host: host, CPUs: runtime.NumCPU(), Command: args}
}

// ForecastsHeader is the header of forecasts.csv.
var ForecastsHeader = []string{"question_id", "text", "as_of", "resolve_by", "probability", "mc_lo95", "mc_hi95",
	"assumptions_p10", "assumptions_p50", "assumptions_p90", "runs", "scenario", "scenario_sha256"}

// ForecastsCSV renders forecasts.csv: one row per question with its
// probability, its Monte Carlo 95% interval (mc_lo95, mc_hi95: how
// precisely the runs estimate it) and the 10th, 50th and 90th percentiles
// of the probability across the scenario's uncertain assumptions
// (assumptions_p10 ... p90: how much it depends on what is not known;
// empty when runs do not share parameter draws, or when the spread is too
// small to tell from Monte Carlo noise).
func ForecastsCSV(s *Summary) []byte {
	var b bytes.Buffer
	cw := csv.NewWriter(&b)
	cw.Write(ForecastsHeader)
	f := func(x Float) string { return strconv.FormatFloat(float64(x), 'g', 8, 64) }
	for _, q := range s.Questions {
		p10, p50, p90 := "", "", ""
		if sp := q.AssumptionSpread; sp != nil && sp.Resolved {
			p10, p50, p90 = f(sp.P10), f(sp.P50), f(sp.P90)
		}
		cw.Write([]string{q.ID, q.Text, q.AsOf, q.ResolveBy, f(q.Probability), f(q.Wilson95[0]), f(q.Wilson95[1]),
			p10, p50, p90, strconv.FormatInt(q.Runs, 10), s.Scenario.Name, s.Provenance.ScenarioSHA256})
	}
	cw.Flush()
	return b.Bytes()
}
