package plots

import (
	"bytes"
	"context"
	"fmt"
	"os"
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
