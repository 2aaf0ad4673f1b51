package batch

import (
	"bytes"
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/geosim/geosim/output"
	"github.com/geosim/geosim/sim/scenario"
)

// tree returns every file under dir with its bytes.
func tree(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	files := map[string][]byte{}
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || d.Name() == output.ManifestName {
			return err
		}
		b, err := os.ReadFile(path)
		rel, _ := filepath.Rel(dir, path)
		files[rel] = b
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

// TestSweepResume: a sweep interrupted after two points, then run again
// with the same experiment, resumes from the finished points and ends
// with files byte-identical to an uninterrupted sweep's — including
// after a simulated kill that left a half-written file behind.
func TestSweepResume(t *testing.T) {
	e, err := scenario.LoadExperiment("testdata/small-sweep.toml")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	whole := filepath.Join(dir, "whole")
	if _, err := Sweep(context.Background(), e, SweepOptions{Out: whole}); err != nil {
		t.Fatal(err)
	}

	resumed := filepath.Join(dir, "resumed")
	ctx, cancel := context.WithCancel(context.Background())
	_, err = Sweep(ctx, e, SweepOptions{Out: resumed, Progress: func(done, _ int) {
		if done == 2 {
			cancel()
		}
	}})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("interrupted sweep: %v", err)
	}
	if _, err := os.Stat(resumed); !os.IsNotExist(err) {
		t.Fatal("an interrupted sweep left its final folder")
	}
	// A killed process may leave a temporary file mid-write.
	os.WriteFile(filepath.Join(WorkDir(resumed), "points", "0002", ".summary.json.tmp-123"), []byte("{half"), 0o644)
	rep, err := Sweep(context.Background(), e, SweepOptions{Out: resumed})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Resumed != 2 {
		t.Errorf("resumed %d points, want 2", rep.Resumed)
	}
	a, b := tree(t, whole), tree(t, resumed)
	if len(a) != len(b) {
		t.Errorf("%d files after an uninterrupted sweep, %d after a resumed one", len(a), len(b))
	}
	for name, data := range a {
		if !bytes.Equal(data, b[name]) {
			t.Errorf("%s differs between the uninterrupted and the resumed sweep", name)
		}
	}
	for _, want := range []string{"points.csv", "experiment.json", "response-events.png", filepath.Join("points", "0004", "summary.json")} {
		if _, ok := a[want]; !ok {
			t.Errorf("sweep wrote no %s", want)
		}
	}
	if lines := bytes.Count(a["points.csv"], []byte("\n")); lines != 6 {
		t.Errorf("points.csv has %d lines, want header + 5", lines)
	}
}

// TestSweepDiscardsStalePartial: partial results of another experiment
// are not mixed in.
func TestSweepDiscardsStalePartial(t *testing.T) {
	e, err := scenario.LoadExperiment("testdata/small-sweep.toml")
	if err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "x")
	os.MkdirAll(WorkDir(out), 0o755)
	os.WriteFile(filepath.Join(WorkDir(out), "manifest.json"), []byte(`{"tool":"geosim","experiment_sha256":"other"}`), 0o644)
	rep, err := Sweep(context.Background(), e, SweepOptions{Out: out})
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Notes) == 0 || rep.Resumed != 0 {
		t.Errorf("report %+v", rep)
	}
}

func TestCompareWritesFolder(t *testing.T) {
	a, err := scenario.Load("../scenarios/beijing-parade-2025.toml")
	if err != nil {
		t.Fatal(err)
	}
	b, err := scenario.Load("../scenarios/early-ceasefire.toml")
	if err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "cmp")
	c, dir, err := Compare(context.Background(), []*scenario.File{a, b}, CompareOptions{Out: out, Runs: 500, Seed: -1})
	if err != nil {
		t.Fatal(err)
	}
	if dir != out || len(c.Rows) != len(a.Model.Events())+len(a.Model.Outcomes()) {
		t.Errorf("dir %s, %d rows", dir, len(c.Rows))
	}
	files := tree(t, out)
	for _, want := range []string{"comparison.json", "comparison.csv", "differences-early-ceasefire.png", "overlay-dprk_rus_end.png", filepath.Join("scenarios", "early-ceasefire.summary.json")} {
		if _, ok := files[want]; !ok {
			t.Errorf("no %s", want)
		}
	}
	if !strings.Contains(string(files["comparison.csv"]), "early-ceasefire,event,ukraine_ceasefire") {
		t.Error("comparison.csv lacks the ceasefire row")
	}
}

// TestAnalyse runs each method on the flagship at a small size and checks
// the files and the randomness input.
func TestAnalyse(t *testing.T) {
	f, err := scenario.Load("../scenarios/beijing-parade-2025.toml")
	if err != nil {
		t.Fatal(err)
	}
	for method, n := range map[string]int{"sobol": 128, "morris": 6, "oat": 50} {
		out := filepath.Join(t.TempDir(), method)
		s, dir, err := Analyse(context.Background(), f, SensitivityOptions{Method: method, N: n, Seed: -1, Out: out})
		if err != nil {
			t.Fatalf("%s: %v", method, err)
		}
		files := tree(t, dir)
		for _, want := range []string{"sensitivity.json", "indices.csv", "report.html"} {
			if _, ok := files[want]; !ok {
				t.Errorf("%s: no %s", method, want)
			}
		}
		pngs := 0
		for name := range files {
			if strings.HasSuffix(name, ".png") {
				pngs++
			}
		}
		if pngs != len(s.Outputs) {
			t.Errorf("%s: %d charts for %d outputs", method, pngs, len(s.Outputs))
		}
		hasNoise := false
		for _, in := range s.Inputs {
			hasNoise = hasNoise || in == RandomnessInput
		}
		if hasNoise != (method != "oat") {
			t.Errorf("%s: randomness input present = %v", method, hasNoise)
		}
		if method == "sobol" && !strings.Contains(string(files["report.html"]), "randomness is involved in") {
			t.Error("the Sobol report does not state the share of variance left to randomness")
		}
		if method == "sobol" {
			for file, wants := range map[string][]string{
				"sensitivity.json": {`"design": "sobol"`, `"replicates": 16`, `"scrambling": "Owen's nested uniform scrambling`, `"n": 128`, `"seed": 20250903`},
				"report.html":      {"quasi-random design (scrambled Sobol&#39;, 16 replicates)", "Design: quasi-random", "16 independent replicates of 8 points"},
			} {
				for _, w := range wants {
					if !strings.Contains(string(files[file]), w) {
						t.Errorf("%s lacks %q", file, w)
					}
				}
			}
		}
	}
}

// TestAnalyseRandomDesign: the pseudo-random design stays available and
// says so; options that do not fit the method are refused.
func TestAnalyseRandomDesign(t *testing.T) {
	f, err := scenario.Load("../scenarios/beijing-parade-2025.toml")
	if err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "random")
	s, dir, err := Analyse(context.Background(), f, SensitivityOptions{Method: "sobol", Design: "random", N: 100, Seed: 1, Out: out})
	if err != nil {
		t.Fatal(err)
	}
	if s.Design != "random" || s.Replicates != 1 || s.N != 100 || s.Scrambling != "" {
		t.Errorf("design %q, %d replicates, N %d, scrambling %q", s.Design, s.Replicates, s.N, s.Scrambling)
	}
	files := tree(t, dir)
	if !strings.Contains(string(files["report.html"]), "Design: pseudo-random") || !strings.Contains(string(files["sensitivity.json"]), `"intervals": "bootstrap percentile`) {
		t.Error("the random design's report or JSON does not say how it was sampled")
	}
	if _, _, err := Analyse(context.Background(), f, SensitivityOptions{Method: "morris", Design: "sobol", N: 4, Seed: 1, Out: filepath.Join(t.TempDir(), "m")}); err == nil {
		t.Error("a design accepted for Morris")
	}
}
