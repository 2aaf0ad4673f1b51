package main

import (
	"path/filepath"
	"strings"
	"testing"
)

// TestDiscoverAndPrecisionUsage: bad flags of discover and of the
// precision modes are usage errors (exit 2) that say what to do.
func TestDiscoverAndPrecisionUsage(t *testing.T) {
	flagship := "../../scenarios/beijing-parade-2025.toml"
	cases := []struct {
		args []string
		want string
	}{
		{[]string{"discover", flagship}, "-condition is required"},
		{[]string{"discover"}, "discover takes one run folder or scenario file, got 0"},
		{[]string{"discover", "out/x", "-condition", "e", "-replicates", "5"}, "-replicates applies to a scenario file"},
		{[]string{"discover", flagship, "-condition", "e", "-rule", "best", "-peel-alpha", "0.7"}, "-peel-alpha must be in (0, 0.5); -rule must be phi or density"},
		{[]string{"run", "-precision", "0.01", "-runs", "5000"}, "give -max-runs (and -block), not -runs"},
		{[]string{"run", "-precision", "0.01", "-shard", "0/2"}, "-precision cannot be combined with -shard"},
		{[]string{"run", "-precision", "0.8"}, "precision target must be in (0, 0.5]"},
		{[]string{"run", "-max-runs", "5000"}, "-block and -max-runs apply only with -precision"},
		{[]string{"sensitivity", flagship, "-method", "morris", "-precision", "0.05"}, "-precision applies to -method sobol"},
		{[]string{"sensitivity", flagship, "-precision", "0.05", "-shard", "0/2"}, "-precision cannot be combined with -shard"},
	}
	for _, c := range cases {
		code, _, stderr := geosim(t, c.args...)
		if code != 2 || !strings.Contains(stderr, c.want) {
			t.Errorf("%v: exit %d, stderr %q; want 2 and %q", c.args, code, stderr, c.want)
		}
	}
	code, _, stderr := geosim(t, "discover", flagship, "-condition", "kim_trump_sumit", "-out", filepath.Join(t.TempDir(), "d"))
	if code != 1 || !strings.Contains(stderr, "did you mean kim_trump_summit?") {
		t.Errorf("misspelt condition: exit %d, %q", code, stderr)
	}
}

// TestDiscoverCommand runs discover on the flagship with replicates and
// checks what it prints.
func TestDiscoverCommand(t *testing.T) {
	out := filepath.Join(t.TempDir(), "d")
	code, stdout, stderr := geosim(t, "discover", "../../scenarios/beijing-parade-2025.toml", "-condition", "kim_trump_summit", "-points", "1000", "-replicates", "10",
		"-permutations", "19", "-bootstrap", "5", "-out", out)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	for _, want := range []string{"kim_trump_summit", "1,000 parameter points, 10 runs each", "Box 1: When", "United States' summit incentive toward North Korea", "[permutation p = 0.05]", "→ " + out} {
		if !strings.Contains(stdout, want) {
			t.Errorf("stdout lacks %q:\n%s", want, stdout)
		}
	}
}
