package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestValidateRecord: geosim validate tells an event record from a
// scenario by its header, accepts the fixture and the shipped record,
// and rejects a broken copy with file:line: column positions.
func TestValidateRecord(t *testing.T) {
	files, _ := filepath.Glob("../../scenarios/history/*.csv")
	files = append(files, "../../history/testdata/good.csv")
	code, stdout, stderr := geosim(t, append([]string{"validate"}, files...)...)
	if code != 0 {
		t.Fatalf("exit %d\n%s", code, stderr)
	}
	if n := strings.Count(stdout, ": OK (event record: "); n != len(files) {
		t.Errorf("%d OK lines for %d files:\n%s", n, len(files), stdout)
	}
	src, err := os.ReadFile(files[0])
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(string(src), "\n")
	lines[1] = strings.Replace(lines[1], ",", ",XX", 1) // an unknown actor on line 2
	lines = append(lines[:2], append([]string{"2025-09-01,DPRK,,nuclear_test,1,,"}, lines[2:]...)...)
	bad := filepath.Join(t.TempDir(), "broken.csv")
	os.WriteFile(bad, []byte(strings.Join(lines, "\n")), 0o644)
	code, _, stderr = geosim(t, "validate", bad)
	if code != 1 {
		t.Fatalf("exit %d, want 1", code)
	}
	for _, want := range []string{bad + ":2: actor: unknown actor", bad + ":3: date: 2025-09-01 is after the cut-off 2025-08-31", bad + ":3: source: every row needs a source"} {
		if !strings.Contains(stderr, want) {
			t.Errorf("missing %q in\n%s", want, stderr)
		}
	}
	code, _, stderr = geosim(t, "validate", "-cutoff", "2016-01-05", "../../history/testdata/good.csv")
	if code != 1 || !strings.Contains(stderr, "good.csv:2: date: 2016-01-06 is after the cut-off 2016-01-05") {
		t.Errorf("-cutoff: exit %d\n%s", code, stderr)
	}
}
