package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestPlotEveryKind: geosim plot re-renders the folder of every command
// that writes one — run, sweep, compare, sensitivity, score, backtest,
// discover, calibrate — from the data it holds, byte for byte as the command drew
// it; each folder's report.html stands alone (no file referred to) and
// opens with a bottom line. It also draws a run's charts from a
// summary.json into a new folder.
func TestPlotEveryKind(t *testing.T) {
	dir := t.TempDir()
	out := func(name string) string { return filepath.Join(dir, name) }
	small, err := os.ReadFile("../../batch/testdata/small.toml")
	if err != nil {
		t.Fatal(err)
	}
	other := out("other.toml") // the same scenario, renamed by nothing: compared by file
	os.WriteFile(other, small, 0o644)
	steps := [][]string{
		{"run", "../../batch/testdata/small.toml", "-runs", "200", "-out", out("run")},
		{"sweep", "../../batch/testdata/tiny-sweep.toml", "-out", out("sweep")},
		{"compare", "../../batch/testdata/small.toml", other, "-runs", "100", "-out", out("compare")},
		{"sensitivity", "../../batch/testdata/small.toml", "-method", "oat", "-n", "20", "-out", out("oat")},
		{"run", "../../scenarios/backtest-2018.toml", "-runs", "200", "-out", out("bt2018")},
		{"score", filepath.Join(out("bt2018"), "forecasts.csv"), "-resolutions", "../../scenarios/resolutions/backtest-2018.toml", "-out", out("score")},
		{"backtest", "../../backtest/testdata/small.toml", "-runs", "20", "-out", out("backtest")},
		{"discover", out("run"), "-condition", "summit", "-permutations", "9", "-bootstrap", "5", "-out", out("discover")},
		{"calibrate", smallCalibration, "-out", out("calibrate")},
	}
	for _, args := range steps {
		if code, _, stderr := geosim(t, append(args, "-quiet")...); code != 0 {
			t.Fatalf("%v: exit %d\n%s", args, code, stderr)
		}
	}
	for _, kind := range []string{"run", "sweep", "compare", "oat", "score", "backtest", "discover", "calibrate"} {
		folder := out(kind)
		before := pngsAndReport(t, folder)
		if before["report.html"] == nil || kind != "discover" && len(before) < 2 {
			t.Errorf("%s: %d charts and reports", kind, len(before))
		}
		report := string(before["report.html"])
		if !strings.Contains(report, `class="bottomline"`) {
			t.Errorf("%s: report.html lacks its bottom line", kind)
		}
		for _, m := range []string{`src="`, `href="`} {
			for _, rest := range strings.Split(report, m)[1:] {
				if !strings.HasPrefix(rest, "data:") && !strings.HasPrefix(rest, "#") {
					t.Errorf("%s: report.html refers to a file: %s%s", kind, m, rest[:min(40, len(rest))])
				}
			}
		}
		code, stdout, stderr := geosim(t, "plot", folder)
		if code != 0 || !strings.Contains(stdout, "re-rendered") {
			t.Errorf("plot %s: exit %d\n%s%s", kind, code, stdout, stderr)
			continue
		}
		after := pngsAndReport(t, folder)
		for name, b := range before {
			if !bytes.Equal(after[name], b) {
				t.Errorf("plot %s: %s differs from the one the command drew", kind, name)
			}
		}
	}
	// A summary.json: its own run folder, or with -out a new one.
	if code, _, stderr := geosim(t, "plot", filepath.Join(out("run"), "summary.json")); code != 0 {
		t.Errorf("plot summary.json: exit %d\n%s", code, stderr)
	}
	if code, stdout, stderr := geosim(t, "plot", filepath.Join(out("calibrate"), "summary.json")); code != 0 || !strings.Contains(stdout, "calibration folder re-rendered") {
		t.Errorf("plot of a calibration's summary.json: exit %d\n%s%s", code, stdout, stderr)
	}
	point := filepath.Join(out("sweep"), "points", "0002", "summary.json")
	if code, _, stderr := geosim(t, "plot", point); code != 2 || !strings.Contains(stderr, "-out") {
		t.Errorf("plot of a sweep point's summary without -out: exit %d\n%s", code, stderr)
	}
	if code, _, stderr := geosim(t, "plot", point, "-out", out("point")); code != 0 {
		t.Errorf("plot of a sweep point's summary: exit %d\n%s", code, stderr)
	}
	for _, f := range []string{"summary.json", "report.html", "dashboard.png", "timeseries.csv"} {
		if _, err := os.Stat(filepath.Join(out("point"), f)); err != nil {
			t.Error(err)
		}
	}
}

// pngsAndReport reads a folder's top-level charts and report.
func pngsAndReport(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]byte{}
	for _, e := range entries {
		if n := e.Name(); strings.HasSuffix(n, ".png") || n == "report.html" {
			b, err := os.ReadFile(filepath.Join(dir, n))
			if err != nil {
				t.Fatal(err)
			}
			out[n] = b
		}
	}
	return out
}
