package history

import (
	"path/filepath"
	"slices"
	"testing"
)

// fileTypes is the contract's one concept per file.
var fileTypes = map[string][]string{
	"launches.csv":  {BallisticLaunch, CruiseLaunch, SatelliteLaunch, NuclearTest},
	"summits.csv":   {Summit, Visit},
	"sanctions.csv": {USDesignation, UNSCResolution, UNSCVeto},
	"military.csv":  {MilitarySupport},
	"exercises.csv": {JointExercise},
}

// TestShippedRecord checks the record in scenarios/history: it validates
// clean, holds nothing dated after the 2025-08-31 cut-off, every row has
// a source, and each file holds only its own types.
func TestShippedRecord(t *testing.T) {
	files, _ := filepath.Glob("../scenarios/history/*.csv")
	if len(files) == 0 {
		t.Skip("no record files in scenarios/history yet")
	}
	r, err := Load(Options{Cutoff: DefaultCutoff}, files...)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range r.Events {
		if lastDay(e).After(DefaultCutoff) {
			t.Errorf("%s:%d: %s is after 2025-08-31", e.File, e.Line, e.DateString())
		}
		if e.Source == "" {
			t.Errorf("%s:%d: no source", e.File, e.Line)
		}
		if allowed, ok := fileTypes[filepath.Base(e.File)]; ok && !slices.Contains(allowed, e.Type) {
			t.Errorf("%s:%d: a %s does not belong in %s", e.File, e.Line, e.Type, filepath.Base(e.File))
		}
	}
	t.Logf("%d files, %d events: %v", len(files), len(r.Events), r.CountByType())
}
