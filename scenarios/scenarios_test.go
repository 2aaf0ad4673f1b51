package scenarios_test

import (
	"context"
	"io/fs"
	"path/filepath"
	"regexp"
	"testing"

	"github.com/geosim/geosim/scenarios"
	"github.com/geosim/geosim/sim"
	"github.com/geosim/geosim/sim/scenario"
)

// TestEveryScenarioLoadsAndRuns loads every scenario file shipped here,
// from disk and from the embedded copy, and runs it.
func TestEveryScenarioLoadsAndRuns(t *testing.T) {
	files, err := filepath.Glob("*.toml")
	if err != nil || len(files) < 3 {
		t.Fatalf("found %v (%v)", files, err)
	}
	for _, file := range files {
		t.Run(file, func(t *testing.T) {
			f, err := scenario.Load(file)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := scenario.LoadFS(scenarios.FS, file); err != nil {
				t.Fatalf("embedded copy: %v", err)
			}
			res, err := sim.Run(context.Background(), f.Model, sim.Config{Runs: 500, Seed: 1})
			if err != nil {
				t.Fatal(err)
			}
			if res.Runs != 500 {
				t.Errorf("%d runs", res.Runs)
			}
			checkColumns(t, f.Model.Header())
		})
	}
	embedded, _ := fs.Glob(scenarios.FS, "*.toml")
	if len(embedded) != len(files) {
		t.Errorf("embedded %d files, folder has %d", len(embedded), len(files))
	}
}

// plainColumn is a column name R's read.csv keeps as written and pandas
// reads without quoting.
var plainColumn = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9_.]*$`)

// checkColumns: runs.csv column names are unique plain identifiers (the
// flagship's shock-effect column used to be a quoted
// "shock.ukraine_ceasefire.multiply.""incentive...""").
func checkColumns(t *testing.T, header []string) {
	t.Helper()
	seen := map[string]bool{}
	for _, h := range header {
		if !plainColumn.MatchString(h) || seen[h] {
			t.Errorf("runs.csv column %q is not a unique plain name", h)
		}
		seen[h] = true
	}
}

// TestShippedExperimentsLoad loads every experiment file shipped.
func TestShippedExperimentsLoad(t *testing.T) {
	files, _ := filepath.Glob("experiments/*.toml")
	if len(files) < 2 {
		t.Fatalf("found %v", files)
	}
	for _, file := range files {
		e, err := scenario.LoadExperiment(file)
		if err != nil {
			t.Errorf("%s: %v", file, err)
			continue
		}
		if len(e.Points) < 2 {
			t.Errorf("%s: %d points", file, len(e.Points))
		}
	}
}
