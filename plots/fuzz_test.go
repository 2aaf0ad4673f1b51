package plots

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/geosim/geosim/output"
)

// FuzzRenderSummary checks geosim plot end to end on arbitrary
// summary.json bytes: output.ParseSummary rejects the input, or every
// chart and the report render without a panic, a hang (the rasteriser
// once looped for half an hour on a 1e308 probability) or an error.
// The seed corpus runs with go test; go test -fuzz=FuzzRenderSummary
// ./plots explores further (opt-in; results in docs/TESTING.md). The
// seed is a small scenario's summary, so that each accepted input
// renders in a fraction of a second.
func FuzzRenderSummary(f *testing.F) {
	small, err := os.ReadFile("testdata/small-summary.json")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(small)
	f.Add(bytes.Replace(small, []byte(`"probability": 0.`), []byte(`"probability": 1e308, "x": 0.`), 1))
	f.Add(bytes.Replace(small, []byte(`"title": ""`), []byte(`"title": "\u202e\u0000\t"`), 1))
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := output.ParseSummary("fuzz.json", data)
		if err != nil {
			return
		}
		tm := time.AfterFunc(20*time.Second, func() { panic(fmt.Sprintf("hang rendering %q", data)) })
		defer tm.Stop()
		if err := WriteReport(context.Background(), memWriter{}, s); err != nil {
			t.Fatalf("a valid summary does not render: %v", err)
		}
	})
}

// FuzzRenderValues puts arbitrary numbers and text into a valid summary
// — an event's probability and interval, an outcome's mean, quantiles
// and histogram, a series' band, the title — and checks that whatever
// output.Summary.Validate accepts renders without a panic, a hang or an
// error. Byte mutations of JSON (FuzzRenderSummary) rarely keep a
// summary valid; this target explores the extreme values that pass.
func FuzzRenderValues(f *testing.F) {
	small, err := os.ReadFile("testdata/small-summary.json")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(0.5, 0.4, 0.6, 0.0, -1.0, 1.0, 0.1, -2.0, "title")
	f.Add(1.0, 0.9, 1.0, 1e9, -1e9, 1e9, 1e3, -1e9, strings.Repeat("W", 4000))
	f.Add(0.0, 0.0, 1e-300, -1e-300, 0.0, 0.0, 1e-9, 0.0, "\u202e\x00")
	f.Fuzz(func(t *testing.T, p, lo, hi, mean, q5, q95, width, edge float64, title string) {
		s, err := output.ParseSummary("small", small)
		if err != nil {
			t.Fatal(err)
		}
		runs := s.Provenance.Runs
		e := &s.Events[0]
		e.Probability, e.Wilson95 = output.Float(p), [2]output.Float{output.Float(lo), output.Float(hi)}
		if p >= 0 && p <= 1 {
			e.Occurrences = int64(p * float64(runs))
			e.Probability = output.Float(float64(e.Occurrences) / float64(runs))
			if e.Occurrences == 0 {
				e.FirstMonth = nil
				for i := range e.Cumulative {
					e.Cumulative[i] = 0
				}
			}
		}
		o := &s.Outcomes[0]
		o.Mean, o.Min, o.Max = output.Float(mean), output.Float(min(q5, mean)), output.Float(max(q95, mean))
		o.Quantiles = output.Quantiles{P5: output.Float(q5), P25: output.Float(q5), P50: output.Float(q5), P75: output.Float(q95), P95: output.Float(q95)}
		o.Histogram.Width = output.Float(width)
		for i := range o.Histogram.Edges {
			o.Histogram.Edges[i] = output.Float(edge + float64(i)*width)
		}
		for i := range s.Series[0].Points {
			pt := &s.Series[0].Points[i]
			pt.Quantiles, pt.Mean = o.Quantiles, o.Mean
		}
		s.Scenario.Title = title
		if s.Validate() != nil {
			return
		}
		tm := time.AfterFunc(20*time.Second, func() {
			panic(fmt.Sprintf("hang rendering %v %v %v %v %v %v %v %v %q", p, lo, hi, mean, q5, q95, width, edge, title))
		})
		defer tm.Stop()
		if err := WriteReport(context.Background(), memWriter{}, s); err != nil {
			t.Fatalf("a valid summary does not render: %v", err)
		}
	})
}
