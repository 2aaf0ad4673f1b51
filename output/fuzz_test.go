package output

import (
	"bytes"
	"fmt"
	"os"
	"testing"
	"time"
)

// FuzzParseSummary checks that no summary.json makes geosim plot panic or
// hang: every input is rejected with an error or passes Validate, whose
// promises (finite, in range, consistent) the charts rely on. The seed
// corpus runs with go test; go test -fuzz=FuzzParseSummary ./output
// explores further (opt-in; results in docs/TESTING.md). Rendering the
// accepted summaries is checked by the plots package's fuzz target.
func FuzzParseSummary(f *testing.F) {
	// A small scenario's summary: the fuzzer mutates and minimises
	// small inputs far faster than the flagship's 60 KB.
	good, err := os.ReadFile("../plots/testdata/small-summary.json")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(good)
	f.Add(bytes.Replace(good, []byte(`"probability": 0.`), []byte(`"probability": null, "x": 0.`), 1))
	f.Add(bytes.Replace(good, []byte(`"probability": 0.`), []byte(`"probability": 1e308, "x": 0.`), 1))
	f.Add([]byte(`{"provenance":{"tool":"geosim","runs":1},"scenario":{"name":"a","start":"2025-09-01","end":"2025-10-01","steps":1}}`))
	f.Add([]byte(`{"provenance":{"tool":"geosim"},"outcomes":[{"histogram":{"edges":[1],"counts":[1,2],"width":1}}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		tm := time.AfterFunc(5*time.Second, func() { panic(fmt.Sprintf("hang on %q", data)) })
		defer tm.Stop()
		s, err := ParseSummary("fuzz.json", data)
		if err != nil {
			return
		}
		if err := s.Validate(); err != nil {
			t.Fatalf("validated twice with different answers: %v", err)
		}
		for _, e := range s.Events {
			if !(e.Probability >= 0 && e.Probability <= 1) {
				t.Fatalf("accepted probability %v", e.Probability)
			}
		}
		for _, o := range s.Outcomes {
			if len(o.Histogram.Edges) != len(o.Histogram.Counts) {
				t.Fatal("accepted a histogram with mismatched lengths")
			}
		}
	})
}
