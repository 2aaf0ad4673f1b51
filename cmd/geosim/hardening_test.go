package main

import (
	"bytes"
	"context"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/geosim/geosim/output"
)

func copyFile(t *testing.T, src, dst string) {
	t.Helper()
	b, err := os.ReadFile(src)
	if err != nil {
		t.Fatal(err)
	}
	os.MkdirAll(filepath.Dir(dst), 0o755)
	if err := os.WriteFile(dst, b, 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestOutNeverDestroys reproduces issue 18's data loss: -out once
// deleted whatever folder was there — an analyst's notes, the scenario
// being run, the shards being merged, the forecasts being scored.
func TestOutNeverDestroys(t *testing.T) {
	dir := t.TempDir()
	flagship := filepath.Join(dir, "proj", "s.toml")
	copyFile(t, "../../batch/testdata/small.toml", flagship)
	notes := filepath.Join(dir, "d", "thesis.txt")
	os.MkdirAll(filepath.Dir(notes), 0o755)
	os.WriteFile(notes, []byte("mine"), 0o644)

	refused := func(what string, want string, args ...string) {
		t.Helper()
		code, _, stderr := geosim(t, args...)
		if code != 1 || !strings.Contains(stderr, want) {
			t.Errorf("%s: exit %d, %q; want 1 and %q", what, code, stderr, want)
		}
	}
	refused("a folder of the analyst's", "was not written by geosim", "run", flagship, "-runs", "100", "-out", filepath.Dir(notes), "-quiet")
	refused("the scenario's own folder", "an input of this command", "run", flagship, "-runs", "100", "-out", filepath.Dir(flagship), "-quiet", "-force")

	study := filepath.Join(dir, "study")
	var shards []string
	for _, k := range []string{"0", "1"} {
		d := filepath.Join(study, "shard-"+k)
		if code, _, stderr := geosim(t, "run", flagship, "-runs", "100", "-shard", k+"/2", "-out", d, "-quiet"); code != 0 {
			t.Fatal(stderr)
		}
		shards = append(shards, d)
	}
	refused("the folder of the shards", "an input of this command", append(append([]string{"merge"}, shards...), "-out", study, "-force")...)

	bt := filepath.Join(dir, "bt")
	copyFile(t, "../../forecast/testdata/backtest-forecasts.csv", filepath.Join(bt, "forecasts.csv"))
	refused("the forecasts' folder", "an input of this command", "score", filepath.Join(bt, "forecasts.csv"), "-resolutions", "../../scenarios/resolutions/backtest-2018.toml", "-out", bt, "-force")
	refused("the resolutions' folder", "an input of this command", "score", filepath.Join(bt, "forecasts.csv"), "-resolutions", "../../scenarios/resolutions/backtest-2018.toml", "-out", "../../scenarios", "-force")
	refused("a run folder as scores", "holds geosim run-shard results, not scores results", "score", filepath.Join(bt, "forecasts.csv"), "-resolutions", "../../scenarios/resolutions/backtest-2018.toml", "-out", filepath.Join(study, "shard-0"))

	for _, p := range append(shards, notes, flagship, filepath.Join(bt, "forecasts.csv")) {
		if _, err := os.Stat(p); err != nil {
			t.Errorf("%s is gone: %v", p, err)
		}
	}
	if code, _, stderr := geosim(t, "run", flagship, "-runs", "100", "-out", filepath.Dir(notes), "-quiet", "-force"); code != 0 {
		t.Errorf("-force over the analyst's folder: %s", stderr)
	}
	if _, err := output.ReadManifest(filepath.Dir(notes)); err != nil {
		t.Errorf("the forced folder has no manifest: %v", err)
	}

	// An experiment file named "..toml" once wrote into out/ itself.
	exp := filepath.Join(dir, "proj", "..toml")
	os.WriteFile(exp, []byte("[experiment]\nscenario = \"s.toml\"\n[factor.\"trade.DPRK.CHN\"]\nvalues = [0.5, 0.9]\n"), 0o644)
	refused("experiment ..toml", "does not make one", "sweep", exp)
}

// TestRunOutcomeWithoutEvents: a valid scenario with an outcome and no
// events once panicked in the dashboard; every chart renders now, and
// geosim plot re-renders the folder.
func TestRunOutcomeWithoutEvents(t *testing.T) {
	dir := t.TempDir()
	sc := filepath.Join(dir, "noev.toml")
	os.WriteFile(sc, []byte("[scenario]\nname = \"noev\"\nstart = 2025-09-01\nsteps = 6\n[actor.A]\n[actor.B]\n[outcome.ab_end]\nkind = \"relation\"\nactors = [\"A\", \"B\"]\n"), 0o644)
	out := filepath.Join(dir, "out")
	if code, _, stderr := geosim(t, "run", sc, "-runs", "200", "-out", out, "-quiet"); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	b, err := os.ReadFile(filepath.Join(out, "dashboard.png"))
	if err != nil {
		t.Fatal(err)
	}
	if img, err := png.Decode(bytes.NewReader(b)); err != nil || img.Bounds().Dx() != 1920 {
		t.Errorf("dashboard: %v", err)
	}
	if code, _, stderr := geosim(t, "plot", out); code != 0 {
		t.Errorf("plot: exit %d: %s", code, stderr)
	}
	// One run: standard deviations and intervals are null; plot copes.
	one := filepath.Join(dir, "one")
	if code, _, stderr := geosim(t, "run", "../../batch/testdata/small.toml", "-runs", "1", "-out", one, "-quiet"); code != 0 {
		t.Fatalf("one run: %s", stderr)
	}
	if code, _, stderr := geosim(t, "plot", one); code != 0 {
		t.Errorf("plot of one run: %s", stderr)
	}
}

// TestPlotRejectsMalformedSummary: summaries that once panicked geosim
// plot (histogram edges shorter than counts) or hung it for half an hour
// in the font rasteriser (null, 1e308, NaN probabilities) are rejected
// at once, naming the problem, and the folder is left as it was.
func TestPlotRejectsMalformedSummary(t *testing.T) {
	good, err := os.ReadFile("../../plots/testdata/summary.json")
	if err != nil {
		t.Fatal(err)
	}
	cases := map[string]struct {
		from, to, want string
	}{
		"short edges":      {`"edges": [`, `"edges": [], "x": [`, "histogram: has 0 edges"},
		"null probability": {`"probability": 0.2195`, `"probability": null`, "events[0].probability"},
		"huge probability": {`"probability": 0.2195`, `"probability": 1e308`, "events[0].probability"},
	}
	for name, c := range cases {
		dir := filepath.Join(t.TempDir(), "r")
		bad := bytes.Replace(good, []byte(c.from), []byte(c.to), 1)
		if bytes.Equal(bad, good) {
			t.Fatalf("%s: the edit did not apply", name)
		}
		err := output.Write(context.Background(), output.Target{Dir: dir, Kind: "run"}, func(f *output.Folder) error {
			return f.WriteFile("summary.json", bad)
		})
		if err != nil {
			t.Fatal(err)
		}
		start := time.Now()
		code, _, stderr := geosim(t, "plot", dir)
		if code != 1 || !strings.Contains(stderr, c.want) {
			t.Errorf("%s: exit %d, %q; want 1 and %q", name, code, stderr, c.want)
		}
		if d := time.Since(start); d > 10*time.Second {
			t.Errorf("%s: took %v", name, d)
		}
		if entries, _ := os.ReadDir(dir); len(entries) != 2 {
			t.Errorf("%s: the folder changed: %v", name, entries)
		}
	}
}

// TestPlotKeepsRunFiles: geosim plot re-renders the charts and keeps
// every other file of the run, byte for byte, with a manifest that
// still verifies.
func TestPlotKeepsRunFiles(t *testing.T) {
	out := filepath.Join(t.TempDir(), "r")
	if code, _, stderr := geosim(t, "run", "../../batch/testdata/small.toml", "-runs", "300", "-out", out, "-quiet"); code != 0 {
		t.Fatal(stderr)
	}
	before := readAll(t, out, "runs.csv", "summary.json", "run.json", "dashboard.png")
	if code, _, stderr := geosim(t, "plot", out); code != 0 {
		t.Fatal(stderr)
	}
	after := readAll(t, out, "runs.csv", "summary.json", "run.json", "dashboard.png")
	for name := range before {
		if !bytes.Equal(before[name], after[name]) {
			t.Errorf("%s changed", name)
		}
	}
	m, err := output.ReadManifest(out)
	if err != nil {
		t.Fatal(err)
	}
	if diffs, err := m.Differences(out, true, 5); err != nil || len(diffs) > 0 {
		t.Errorf("after plot: %v %v", diffs, err)
	}
	if len(m.Command) < 2 || m.Command[1] != "plot" {
		t.Errorf("manifest command %v", m.Command)
	}
}
