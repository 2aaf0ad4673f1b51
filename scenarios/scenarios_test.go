package scenarios_test

import (
	"context"
	"io/fs"
	"os"
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

// TestCitedFilesExist: every file a scenario, experiment, backtest or
// resolutions file cites by a relative path (the facts files, the event
// record) is in the repository, so that a clone can check the sources.
func TestCitedFilesExist(t *testing.T) {
	cited := regexp.MustCompile(`(?:\.\./|\b(?:docs|history)/)[A-Za-z0-9_./-]+\.(?:md|csv|toml)`)
	n := 0
	err := filepath.WalkDir(".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || filepath.Ext(path) != ".toml" {
			return err
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		for _, ref := range cited.FindAllString(string(b), -1) {
			n++
			// Relative to the file, to scenarios/ or to the repository.
			found := false
			for _, base := range []string{filepath.Dir(path), ".", ".."} {
				if _, err := os.Stat(filepath.Join(base, filepath.FromSlash(ref))); err == nil {
					found = true
				}
			}
			if !found {
				t.Errorf("%s cites %s, which is not in the repository", path, ref)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if n == 0 {
		t.Error("no citation found: the pattern is wrong")
	}
}
