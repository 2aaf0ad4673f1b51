package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const smallBacktest = "../../backtest/testdata/small.toml"

// TestBacktestCLI runs the fixture backtest (4 origins, 100 runs) and
// compares its table and forecasts.csv with golden files.
func TestBacktestCLI(t *testing.T) {
	out := filepath.Join(t.TempDir(), "bt")
	code, stdout, stderr := geosim(t, "backtest", smallBacktest, "-runs", "100", "-out", out)
	if code != 0 {
		t.Fatalf("exit %d\n%s", code, stderr)
	}
	golden(t, "backtest-small.stdout", []byte(strings.ReplaceAll(stdout, out, "OUT")))
	csv, err := os.ReadFile(filepath.Join(out, "forecasts.csv"))
	if err != nil {
		t.Fatal(err)
	}
	golden(t, "backtest-small.forecasts.csv", csv)
	for _, f := range []string{"scores.json", "report.html", "reliability.png", "skill.png", "timeline-kim_xi_summit.png", "run.json"} {
		if st, err := os.Stat(filepath.Join(out, f)); err != nil || st.Size() == 0 {
			t.Errorf("%s: %v", f, err)
		}
	}
	html, _ := os.ReadFile(filepath.Join(out, "report.html"))
	if !strings.Contains(string(html), `<img src="data:image/png;base64,`) || strings.Contains(string(html), `src="skill.png"`) {
		t.Error("report.html does not embed its charts")
	}
}

// TestBacktestCLIResume simulates a backtest killed after two origins
// (the work folder holds their files, the manifest and a half-written
// temporary file) and checks that the same command resumes and ends with
// the bytes of an uninterrupted run.
func TestBacktestCLIResume(t *testing.T) {
	dir := t.TempDir()
	whole := filepath.Join(dir, "whole")
	if code, _, stderr := geosim(t, "backtest", smallBacktest, "-runs", "100", "-out", whole, "-quiet"); code != 0 {
		t.Fatal(stderr)
	}
	resumed := filepath.Join(dir, "resumed")
	work := resumed + ".partial"
	os.MkdirAll(filepath.Join(work, "origins"), 0o755)
	for _, f := range []string{"manifest.json", "origins/2014-01.json", "origins/2014-07.json"} {
		b, err := os.ReadFile(filepath.Join(whole, f))
		if err != nil {
			t.Fatal(err)
		}
		os.WriteFile(filepath.Join(work, f), b, 0o644)
	}
	os.WriteFile(filepath.Join(work, "origins", ".2015-01.json.tmp-99"), []byte(`{"origin": "2015-0`), 0o644)
	code, stdout, stderr := geosim(t, "backtest", smallBacktest, "-runs", "100", "-out", resumed)
	if code != 0 {
		t.Fatalf("exit %d\n%s", code, stderr)
	}
	if !strings.Contains(stdout, "(2 origins resumed)") {
		t.Errorf("no resume noted:\n%s", stdout)
	}
	for _, f := range []string{"forecasts.csv", "scores.json", "report.html", "origins/2015-01.json", "skill.png"} {
		a, _ := os.ReadFile(filepath.Join(whole, f))
		b, _ := os.ReadFile(filepath.Join(resumed, f))
		if len(a) == 0 || string(a) != string(b) {
			t.Errorf("%s differs after resuming", f)
		}
	}
	if _, err := os.Stat(work); !os.IsNotExist(err) {
		t.Error("the work folder was left behind")
	}
}

// TestBacktestCLIShardsAndErrors: shards merged with geosim merge give
// the single run's forecasts.csv; usage and file errors are reported.
func TestBacktestCLIShardsAndErrors(t *testing.T) {
	dir := t.TempDir()
	whole := filepath.Join(dir, "whole")
	if code, _, stderr := geosim(t, "backtest", smallBacktest, "-runs", "60", "-out", whole, "-quiet"); code != 0 {
		t.Fatal(stderr)
	}
	var shards []string
	for _, k := range []string{"0/2", "1/2"} {
		s := filepath.Join(dir, "s"+k[:1])
		if code, _, stderr := geosim(t, "backtest", smallBacktest, "-runs", "60", "-shard", k, "-out", s, "-quiet"); code != 0 {
			t.Fatal(stderr)
		}
		shards = append(shards, s)
	}
	merged := filepath.Join(dir, "merged")
	code, stdout, stderr := geosim(t, append(append([]string{"merge"}, shards...), "-out", merged)...)
	if code != 0 || !strings.Contains(stdout, "backtest: merged 2 shards") {
		t.Fatalf("exit %d\n%s%s", code, stdout, stderr)
	}
	for _, f := range []string{"forecasts.csv", "scores.json"} {
		a, _ := os.ReadFile(filepath.Join(whole, f))
		b, _ := os.ReadFile(filepath.Join(merged, f))
		if len(a) == 0 || string(a) != string(b) {
			t.Errorf("%s of the merged shards differs from the single run's", f)
		}
	}
	cases := map[string][]string{
		"backtest takes one backtest file, got 0": {"backtest"},
		"cannot read: no such file":               {"backtest", "nope.toml"},
	}
	for want, args := range cases {
		if code, _, stderr := geosim(t, args...); code == 0 || !strings.Contains(stderr, want) {
			t.Errorf("%v: exit %d, stderr %q, want %q", args, code, stderr, want)
		}
	}
}
