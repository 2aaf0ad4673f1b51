package main

import (
	"os"
	"strings"
	"testing"
)

func TestParseSize(t *testing.T) {
	good := map[string]int64{"8GB": 8 << 30, "8gib": 8 << 30, "1.5G": 3 << 29, "512MB": 512 << 20, "100": 100, "4KB": 4096, "none": -1, "2TB": 2 << 40}
	for in, want := range good {
		if got, err := parseSize(in); err != nil || got != want {
			t.Errorf("%q: %d, %v; want %d", in, got, err, want)
		}
	}
	for _, in := range []string{"", "0", "-5GB", "lots", "8XB", "NaN", "1e30GB"} {
		if _, err := parseSize(in); err == nil {
			t.Errorf("%q accepted", in)
		}
	}
}

// TestRefusedBeforeStarting: the CLI refuses an oversized run with the
// limit's message and a non-zero exit, before any output.
func TestRefusedBeforeStarting(t *testing.T) {
	out := t.TempDir() + "/x"
	code, _, stderr := geosim(t, "run", "-runs", "100000000", "-quiet", "-out", out)
	if code == 0 || !strings.Contains(stderr, "over the 10GB output limit (-max-output); use -runs-csv=false") {
		t.Fatalf("exit %d, stderr %q", code, stderr)
	}
	if _, err := os.Stat(out); !os.IsNotExist(err) {
		t.Errorf("%s was written", out)
	}
	code, _, stderr = geosim(t, "sensitivity", "-n", "2000000000", "../../scenarios/beijing-parade-2025.toml")
	if code == 0 || !strings.Contains(stderr, "-n must be between 1 and") {
		t.Fatalf("exit %d, stderr %q", code, stderr)
	}
}
