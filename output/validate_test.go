package output

import (
	"encoding/json"
	"os"
	"strings"
	"testing"
)

// fixtureBytes is a summary.json of the flagship written by geosim run
// (the plots package's fixture).
func fixtureBytes(t testing.TB) []byte {
	b, err := os.ReadFile("../plots/testdata/summary.json")
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// edit decodes the fixture generically, applies fn and encodes it again.
func edit(t *testing.T, fn func(s map[string]any)) []byte {
	t.Helper()
	var s map[string]any
	if err := json.Unmarshal(fixtureBytes(t), &s); err != nil {
		t.Fatal(err)
	}
	fn(s)
	b, err := json.Marshal(s)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func at(s map[string]any, keys ...any) map[string]any {
	var v any = s
	for _, k := range keys {
		switch k := k.(type) {
		case string:
			v = v.(map[string]any)[k]
		case int:
			v = v.([]any)[k]
		}
	}
	return v.(map[string]any)
}

// TestValidateSummary: summaries that once crashed or hung geosim plot —
// histogram edges shorter than counts, null, 1e308 or NaN event
// probabilities — and other inconsistent ones are rejected with the JSON
// path of each problem; the fixture written by geosim passes.
func TestValidateSummary(t *testing.T) {
	if _, err := ParseSummary("ok.json", fixtureBytes(t)); err != nil {
		t.Fatalf("a summary written by geosim fails validation: %v", err)
	}
	cases := []struct {
		name string
		fn   func(s map[string]any)
		want string
	}{
		{"short edges", func(s map[string]any) {
			h := at(s, "outcomes", 0, "histogram")
			h["edges"] = h["edges"].([]any)[:3]
		}, "outcomes[0].histogram: has 3 edges"},
		{"null probability", func(s map[string]any) { at(s, "events", 0)["probability"] = nil }, "events[0].probability"},
		{"huge probability", func(s map[string]any) { at(s, "events", 0)["probability"] = 1e308 }, "events[0].probability"},
		{"occurrences above runs", func(s map[string]any) { at(s, "events", 1)["occurrences"] = 5000 }, "events[1].occurrences"},
		{"negative count", func(s map[string]any) { at(s, "outcomes", 1, "histogram")["counts"].([]any)[0] = -3 }, "outcomes[1].histogram.counts[0]"},
		{"counts not the runs", func(s map[string]any) { at(s, "outcomes", 1, "histogram")["counts"].([]any)[0] = 1 }, "outcomes[1].histogram.counts"},
		{"zero width", func(s map[string]any) { at(s, "outcomes", 2, "histogram")["width"] = 0 }, "outcomes[2].histogram.width"},
		{"null mean", func(s map[string]any) { at(s, "outcomes", 0)["mean"] = nil }, "outcomes[0].mean"},
		{"huge quantile", func(s map[string]any) { at(s, "outcomes", 0, "quantiles")["p95"] = 1e300 }, "outcomes[0].quantiles.p95"},
		{"quantiles out of order", func(s map[string]any) { at(s, "outcomes", 0, "quantiles")["p5"] = 9.9 }, "not in increasing order"},
		{"series too short", func(s map[string]any) {
			sr := at(s, "series", 0)
			sr["points"] = sr["points"].([]any)[:5]
		}, "series[0].points: has 5 points"},
		{"series NaN", func(s map[string]any) { at(s, "series", 1, "points", 3)["p50"] = nil }, "series[1].points[3].p50"},
		{"cumulative decreasing", func(s map[string]any) { at(s, "events", 0)["cumulative"].([]any)[5] = 0.0 }, "events[0].cumulative[5]"},
		{"bad date", func(s map[string]any) { at(s, "scenario")["start"] = "10:00:00" }, "scenario.start"},
		{"steps", func(s map[string]any) { at(s, "scenario")["steps"] = 1e9 }, "scenario.steps"},
		{"runs", func(s map[string]any) { at(s, "provenance")["runs"] = 0 }, "provenance.runs"},
		{"duplicate names", func(s map[string]any) { at(s, "outcomes", 1)["name"] = at(s, "outcomes", 0)["name"] }, "appears twice"},
		{"name as a path", func(s map[string]any) { at(s, "series", 0)["name"] = "../../etc" }, "series[0].name"},
		{"long title", func(s map[string]any) { at(s, "scenario")["title"] = strings.Repeat("x", 100000) }, "scenario.title"},
		{"first month missing", func(s map[string]any) { delete(at(s, "events", 0), "first_month") }, "events[0].first_month"},
	}
	for _, c := range cases {
		_, err := ParseSummary("bad.json", edit(t, c.fn))
		if err == nil || !strings.Contains(err.Error(), c.want) || !strings.Contains(err.Error(), "bad.json") {
			t.Errorf("%s: got %v, want an error with %q", c.name, err, c.want)
		}
	}
	if _, err := ParseSummary("x.json", []byte(`{"provenance":{"tool":"geosim"}}`)); err == nil {
		t.Error("an empty summary passed")
	}
}
