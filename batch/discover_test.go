package batch

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/geosim/geosim/discover"
)

var quickDiscovery = discover.Config{Permutations: 19, Bootstrap: 8}

// TestDiscoverFolderAndScenarioAgree: discovery on a run folder's
// runs.csv (1 worker; consecutive runs share a parameter draw, so each
// group of replicates is a point) and on the scenario with the same
// draws and replicates (3 workers) see the same points and find the same
// boxes with the same tests; the first box restricts the US summit
// incentive, the flagship's known driver of a Kim–Trump summit.
func TestDiscoverFolderAndScenarioAgree(t *testing.T) {
	f := loadScenario(t, "../scenarios/beijing-parade-2025.toml")
	dir := t.TempDir()
	run := filepath.Join(dir, "run")
	if _, err := Run(context.Background(), f, RunOptions{Label: "flagship", Runs: 4000, Seed: 9, Out: run}); err != nil {
		t.Fatal(err)
	}
	read := func(path string) []byte {
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	folder, err := DiscoverFolder(context.Background(), run, DiscoverOptions{Condition: "kim_trump_summit", Workers: 1, Config: quickDiscovery,
		Out: filepath.Join(dir, "folder")})
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"boxes.csv", "trajectory.csv", "tradeoff.png", "box-1.png", "pairs.png", "report.html"} {
		if _, err := os.Stat(filepath.Join(folder.Dir, name)); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
	r := folder.Report
	if len(r.Boxes) == 0 {
		t.Fatalf("no box: %+v", r.Warnings)
	}
	found := false
	for _, rs := range r.Boxes[0].Restrictions {
		found = found || rs.Parameter == "incentive.USA.DPRK.summit"
	}
	if !found {
		t.Errorf("box 1 %q (significant %v) does not restrict the US summit incentive", r.Boxes[0].Sentence, r.Boxes[0].Significant)
	}
	t.Logf("%s", r.Boxes[0].Sentence)
	reps := f.Model.Replicates()
	rep, err := DiscoverScenario(context.Background(), f, "flagship", DiscoverOptions{Condition: "kim_trump_summit", Points: 4000 / reps, Replicates: reps, Seed: 9, Workers: 3,
		Config: quickDiscovery, Out: filepath.Join(dir, "scenario")})
	if err != nil {
		t.Fatal(err)
	}
	// runs.csv keeps 10 significant digits, so limits may differ in the
	// last digits; the boxes, their statistics and tests may not.
	var a, b discover.Report
	json.Unmarshal(read(filepath.Join(folder.Dir, "boxes.json")), &a)
	json.Unmarshal(read(filepath.Join(rep.Dir, "boxes.json")), &b)
	same := a.Rate == b.Rate && len(a.Boxes) == len(b.Boxes)
	for k := 0; same && k < len(a.Boxes); k++ {
		x, y := a.Boxes[k], b.Boxes[k]
		same = x.Sentence == y.Sentence && x.Density == y.Density && x.Coverage == y.Coverage && *x.Permutation == *y.Permutation && x.Jaccard == y.Jaccard
	}
	if !same {
		t.Error("the scenario's parameter draws with their replicates do not reproduce the run folder's discovery")
	}
	if lines := bytes.Count(read(filepath.Join(rep.Dir, "points.csv")), []byte("\n")); lines != 4000/reps+1 {
		t.Errorf("points.csv has %d lines", lines)
	}
}

// TestDiscoverReplicates: with replicates, every point's runs are
// counted and the rates are shares of them.
func TestDiscoverReplicates(t *testing.T) {
	f := loadScenario(t, "../scenarios/beijing-parade-2025.toml")
	rep, err := DiscoverScenario(context.Background(), f, "flagship", DiscoverOptions{Condition: "dprk_rus_end < 5", Points: 300, Replicates: 6, Seed: 2,
		Config: quickDiscovery, Out: filepath.Join(t.TempDir(), "d")})
	if err != nil {
		t.Fatal(err)
	}
	r := rep.Report
	if r.Points != 300 || r.Replicates != 6 || r.Runs != 1800 || r.Rate.Runs != 1800 || r.Rate.Points != 300 {
		t.Errorf("points %d × %d = %d; rate over %d runs, %d points", r.Points, r.Replicates, r.Runs, r.Rate.Runs, r.Rate.Points)
	}
	if !strings.Contains(r.Method.Randomness, "run 6 times") {
		t.Errorf("method note %q", r.Method.Randomness)
	}
}

func TestDiscoverErrors(t *testing.T) {
	f := loadScenario(t, "testdata/coin.toml")
	dir := t.TempDir()
	noRows := filepath.Join(dir, "norows")
	if _, err := Run(context.Background(), loadScenario(t, "testdata/hazard.toml"), RunOptions{Runs: 50, Seed: -1, Out: noRows, NoRows: true}); err != nil {
		t.Fatal(err)
	}
	cases := map[string]func() error{
		"has no runs.csv": func() error {
			_, err := DiscoverFolder(context.Background(), noRows, DiscoverOptions{Condition: "coin"})
			return err
		},
		"did you mean coin?": func() error {
			_, err := DiscoverFolder(context.Background(), noRows, DiscoverOptions{Condition: "con"})
			return err
		},
		"is not a geosim run folder": func() error {
			_, err := DiscoverFolder(context.Background(), dir, DiscoverOptions{Condition: "coin"})
			return err
		},
		"no uncertain parameters": func() error {
			_, err := DiscoverScenario(context.Background(), f, "coin", DiscoverOptions{Condition: "coin", Seed: -1})
			return err
		},
	}
	for want, fn := range cases {
		if err := fn(); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("got %v, want %q", err, want)
		}
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Errorf("failed discoveries left files behind: %v", entries)
	}
}
