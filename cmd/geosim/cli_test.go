package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"flag"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/geosim/geosim/output"
)

var regen = flag.Bool("regen", false, "rewrite golden files in testdata/")

// golden compares got with testdata/name, or rewrites it with -regen.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *regen {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -regen to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("output differs from %s (go test -regen to accept):\n--- got\n%s\n--- want\n%s", path, got, want)
	}
}

func geosim(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	code = cli(args, strings.NewReader(""), &out, &errb)
	return code, out.String(), errb.String()
}

func TestValidateShippedScenarios(t *testing.T) {
	files, _ := filepath.Glob("../../scenarios/*.toml")
	code, stdout, stderr := geosim(t, append([]string{"validate"}, files...)...)
	if code != 0 {
		t.Fatalf("exit %d\n%s", code, stderr)
	}
	golden(t, "validate.stdout", []byte(stdout))
}

func TestValidateBroken(t *testing.T) {
	src, err := os.ReadFile("../../scenarios/beijing-parade-2025.toml")
	if err != nil {
		t.Fatal(err)
	}
	broken := strings.NewReplacer(
		`CHN = { value = 0.97,`, `CHN = { value = 1.7,`,
		"rationality = 2.5", "rationalty = 2.5",
		`action = "nuclear_test"`, `action = "nuke_test"`,
	).Replace(string(src))
	dir := t.TempDir()
	bad := filepath.Join(dir, "broken.toml")
	os.WriteFile(bad, []byte(broken), 0o644)
	code, _, stderr := geosim(t, "validate", "../../scenarios/beijing-parade-2025.toml", bad)
	if code != 1 {
		t.Fatalf("exit %d, want 1", code)
	}
	stderr = strings.ReplaceAll(stderr, dir+string(filepath.Separator), "")
	golden(t, "validate-broken.stderr", []byte(stderr))
}

func TestUsageErrors(t *testing.T) {
	cases := map[string][]string{
		`unknown command "rnu" (did you mean run?)`:             {"rnu"},
		"validate needs at least one file":                      {"validate"},
		"unknown flag -rusn (did you mean -runs?)":              {"run", "-rusn", "5"},
		"unknown flag -forse (did you mean -force?)":            {"sweep", "-forse", "x.toml"},
		"-runs must be between 1 and":                           {"run", "-runs", "0"},
		"-runs must be between 1 and 1000000000, got -3":        {"backtest", "-runs", "-3", "x.toml"},
		"-seed must be 0 or more, got -5":                       {"run", "-seed", "-5"},
		"-seed must be 0 or more":                               {"compare", "-seed", "-1", "a.toml", "b.toml"},
		"help takes one command":                                {"help", "run", "sweep"},
		`unknown command "sweap" (did you mean sweep?)`:         {"help", "sweap"},
		"run takes one scenario file, got 2":                    {"run", "a.toml", "b.toml"},
		`unknown -design "halton" (use sobol or random)`:        {"sensitivity", "-design", "halton", "x.toml"},
		"-replicates must be at least 2":                        {"sensitivity", "-replicates", "1", "x.toml"},
		"-design and -replicates are for -method sobol":         {"sensitivity", "-method", "morris", "-design", "sobol", "x.toml"},
		"the random design's intervals come from the bootstrap": {"sensitivity", "-design", "random", "-replicates", "4", "x.toml"},
	}
	for want, args := range cases {
		code, _, stderr := geosim(t, args...)
		if code != 2 || !strings.Contains(stderr, want) {
			t.Errorf("%v: exit %d, stderr %q; want 2 and %q", args, code, stderr, want)
		}
	}
	if code, stdout, _ := geosim(t, "help"); code != 0 || !strings.Contains(stdout, "validate") {
		t.Errorf("help: exit %d\n%s", code, stdout)
	}
	// A mistyped flag gets the command's usage with its flags.
	if _, _, stderr := geosim(t, "run", "-rusn", "5"); !strings.Contains(stderr, "Usage: geosim run [FILE] [flags]") || !strings.Contains(stderr, "  -runs int") {
		t.Errorf("unknown flag: no usage in\n%s", stderr)
	}
}

// TestHelpCommand: "geosim help COMMAND" prints the command's usage and
// flags, and no help text shows a placeholder default (a -1 seed, a zero
// run count standing for "the scenario's").
func TestHelpCommand(t *testing.T) {
	for name := range commands {
		code, stdout, stderr := geosim(t, "help", name)
		if code != 0 || !strings.HasPrefix(stdout, "Usage: geosim "+name) || stderr != "" {
			t.Errorf("help %s: exit %d\n%s%s", name, code, stdout, stderr)
		}
		for _, leak := range []string{"(default -1)", "(default 0)", "value\n"} {
			if strings.Contains(stdout, leak) {
				t.Errorf("help %s shows %q:\n%s", name, leak, stdout)
			}
		}
		code2, stdout2, _ := geosim(t, name, "-h")
		if code2 != 0 || stdout2 != stdout {
			t.Errorf("%s -h differs from help %s", name, name)
		}
	}
}

func readAll(t *testing.T, dir string, names ...string) map[string][]byte {
	t.Helper()
	out := map[string][]byte{}
	for _, n := range names {
		b, err := os.ReadFile(filepath.Join(dir, n))
		if err != nil {
			t.Fatal(err)
		}
		out[n] = b
	}
	return out
}

var deterministicFiles = []string{"summary.json", "runs.csv", "timeseries.csv"}

// TestRunDeterministicFiles: summary.json, runs.csv and timeseries.csv
// are byte-identical for 1 and 3 workers.
func TestRunDeterministicFiles(t *testing.T) {
	dir := t.TempDir()
	for _, w := range []string{"1", "3"} {
		code, _, stderr := geosim(t, "run", "../../scenarios/beijing-parade-2025.toml", "-runs", "3000", "-seed", "42", "-workers", w, "-out", filepath.Join(dir, w), "-quiet")
		if code != 0 {
			t.Fatalf("workers %s: exit %d: %s", w, code, stderr)
		}
	}
	one, three := readAll(t, filepath.Join(dir, "1"), deterministicFiles...), readAll(t, filepath.Join(dir, "3"), deterministicFiles...)
	for _, n := range deterministicFiles {
		if !bytes.Equal(one[n], three[n]) {
			t.Errorf("%s differs between 1 and 3 workers", n)
		}
	}
	if lines := bytes.Count(one["runs.csv"], []byte("\n")); lines != 3001 {
		t.Errorf("runs.csv has %d lines, want header + 3000", lines)
	}
	if _, err := os.Stat(filepath.Join(dir, "1", "run.json")); err != nil {
		t.Error(err)
	}
}

// TestRunEmbeddedFlagship: with no file, run uses the embedded flagship
// and prints the summary table.
func TestRunEmbeddedFlagship(t *testing.T) {
	out := filepath.Join(t.TempDir(), "flag")
	code, stdout, stderr := geosim(t, "run", "-runs", "2000", "-out", out)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	_, table, _ := strings.Cut(stdout, "\n\n")
	golden(t, "run-flagship.stdout", []byte(table))
	if stderr != "" {
		t.Errorf("stderr is not a terminal, yet got %q", stderr)
	}
}

// TestRunLeavesNothingOnFailure: a cancelled run and an invalid scenario
// leave neither the output folder nor a temporary one.
// TestRunCalibratedNamesPosterior: the calibrated flagship records the
// posterior it draws from — file and SHA-256 of its bytes — in
// summary.json and names both at the top of its report.
func TestRunCalibratedNamesPosterior(t *testing.T) {
	out := filepath.Join(t.TempDir(), "cal")
	if code, _, stderr := geosim(t, "run", "../../scenarios/beijing-parade-2025-calibrated.toml", "-runs", "40", "-out", out, "-quiet"); code != 0 {
		t.Fatalf("exit %d\n%s", code, stderr)
	}
	posterior, err := os.ReadFile("../../scenarios/calibration/posterior.csv")
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(posterior)
	sha := hex.EncodeToString(sum[:])
	s, err := output.ReadSummary(filepath.Join(out, "summary.json"))
	if err != nil {
		t.Fatal(err)
	}
	if p := s.Provenance; p.PosteriorSHA256 != sha || !strings.HasSuffix(p.PosteriorFile, "calibration/posterior.csv") {
		t.Errorf("summary.json records posterior %q (SHA-256 %s), want calibration/posterior.csv (%s)", p.PosteriorFile, p.PosteriorSHA256, sha)
	}
	html, _ := os.ReadFile(filepath.Join(out, "report.html"))
	meta := regexp.MustCompile(`<p class="meta">.*</p>`).FindString(string(html))
	if !strings.Contains(meta, "calibration/posterior.csv</code>") || !strings.Contains(meta, sha) {
		t.Errorf("the report's meta line does not name the posterior and its SHA-256: %s", meta)
	}
}

func TestRunLeavesNothingOnFailure(t *testing.T) {
	dir := t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	err := runRun(ctx, runOptions{File: "../../scenarios/beijing-parade-2025.toml", Runs: 100000, Seed: -1, Out: filepath.Join(dir, "x"), Quiet: true}, &bytes.Buffer{}, &bytes.Buffer{})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("got %v, want context.Canceled", err)
	}
	bad := filepath.Join(dir, "bad.toml")
	os.WriteFile(bad, []byte("[scenario]\nname = 3\n"), 0o644)
	if code, _, _ := geosim(t, "run", bad, "-out", filepath.Join(dir, "y")); code != 1 {
		t.Errorf("invalid scenario: exit %d, want 1", code)
	}
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if e.Name() != "bad.toml" {
			t.Errorf("left behind %s", e.Name())
		}
	}
}

func TestSweepAndCompareCommands(t *testing.T) {
	dir := t.TempDir()
	code, stdout, stderr := geosim(t, "sweep", "../../batch/testdata/small-sweep.toml", "-out", filepath.Join(dir, "sw"))
	if code != 0 || !strings.Contains(stdout, "5 points (grid design), 300 runs each") {
		t.Fatalf("sweep: exit %d\n%s%s", code, stdout, stderr)
	}
	if _, err := os.Stat(filepath.Join(dir, "sw", "points.csv")); err != nil {
		t.Error(err)
	}
	code, stdout, stderr = geosim(t, "compare", "../../scenarios/beijing-parade-2025.toml", "../../scenarios/sanctions-relief.toml", "-runs", "400", "-out", filepath.Join(dir, "cmp"))
	if code != 0 || !strings.Contains(stdout, "sanctions-relief (B) against beijing-parade-2025 (A)") || !strings.Contains(stdout, "PAIRED 95%") ||
		!regexp.MustCompile(`Kim–Trump summit by 2026-12-31 +\d+\.\d% +\d+\.\d% +[+-]?\d+\.\d pp`).MatchString(stdout) {
		t.Fatalf("compare: exit %d\n%s%s", code, stdout, stderr)
	}
	if code, _, stderr := geosim(t, "compare", "../../scenarios/beijing-parade-2025.toml"); code != 2 || !strings.Contains(stderr, "at least two") {
		t.Errorf("compare with one file: exit %d, %s", code, stderr)
	}
	if code, _, stderr := geosim(t, "compare", "../../scenarios/beijing-parade-2025.toml", "../../scenarios/beijing-parade-2025.toml"); code != 1 || !strings.Contains(stderr, "given twice") {
		t.Errorf("compare of a file with itself: exit %d, %s", code, stderr)
	}
}

// TestCompareSameName: two files whose scenarios share a name are
// compared, told apart by file in the table, the files and the charts;
// events counted over different windows are warned about.
func TestCompareSameName(t *testing.T) {
	dir := t.TempDir()
	base, err := os.ReadFile("../../batch/testdata/small.toml")
	if err != nil {
		t.Fatal(err)
	}
	a, b := filepath.Join(dir, "a.toml"), filepath.Join(dir, "b.toml")
	os.WriteFile(a, base, 0o644)
	changed := bytes.Replace(base, []byte("action = \"summit\"\n"), []byte("action = \"summit\"\nby = 2025-10-31\n"), 1)
	if bytes.Equal(changed, base) {
		t.Fatal("the edit of the event window did not apply")
	}
	os.WriteFile(b, changed, 0o644)
	out := filepath.Join(dir, "cmp")
	code, stdout, stderr := geosim(t, "compare", a, b, "-runs", "200", "-out", out)
	if code != 0 {
		t.Fatalf("compare: exit %d\n%s%s", code, stdout, stderr)
	}
	for _, want := range []string{"small (" + filepath.ToSlash(b) + ") (B) against small (" + filepath.ToSlash(a) + ") (A)", "warning: event", "pp"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("compare output lacks %q:\n%s", want, stdout)
		}
	}
	for _, f := range []string{"scenarios/small-a.summary.json", "scenarios/small-b.summary.json", "report.html"} {
		if _, err := os.Stat(filepath.Join(out, f)); err != nil {
			t.Error(err)
		}
	}
}

// TestBacktestForecastAndScore: geosim run writes forecasts.csv for the
// backtest and geosim score scores it against the shipped resolutions.
func TestBacktestForecastAndScore(t *testing.T) {
	dir := t.TempDir()
	code, _, stderr := geosim(t, "run", "../../scenarios/backtest-2018.toml", "-runs", "2000", "-out", filepath.Join(dir, "bt"), "-quiet")
	if code != 0 {
		t.Fatalf("run: exit %d: %s", code, stderr)
	}
	fc := filepath.Join(dir, "bt", "forecasts.csv")
	b, err := os.ReadFile(fc)
	if err != nil || bytes.Count(b, []byte("\n")) != 7 {
		t.Fatalf("forecasts.csv: %v\n%s", err, b)
	}
	code, stdout, stderr := geosim(t, "score", fc, "-resolutions", "../../scenarios/resolutions/backtest-2018.toml", "-out", filepath.Join(dir, "scores"))
	if code != 0 || !strings.Contains(stdout, "6 resolved questions, 0 unresolved") || !strings.Contains(stdout, "Murphy: reliability") {
		t.Fatalf("score: exit %d\n%s%s", code, stdout, stderr)
	}
	for _, f := range []string{"scores.json", "questions.csv", "reliability.png", "forecasts.png"} {
		if _, err := os.Stat(filepath.Join(dir, "scores", f)); err != nil {
			t.Error(err)
		}
	}
	// The flagship's questions have not resolved: listed, not scored.
	code, _, stderr = geosim(t, "run", "-runs", "500", "-out", filepath.Join(dir, "flag"), "-quiet")
	if code != 0 {
		t.Fatalf("flagship run failed: %s", stderr)
	}
	code, stdout, _ = geosim(t, "score", filepath.Join(dir, "flag", "forecasts.csv"), fc, "-resolutions", "../../scenarios/resolutions/backtest-2018.toml", "-out", filepath.Join(dir, "both"))
	if code != 0 || !strings.Contains(stdout, "Not yet resolved") || !strings.Contains(stdout, "kim_trump_by_2026") {
		t.Errorf("score of both: exit %d\n%s", code, stdout)
	}
	bad := filepath.Join(dir, "bad.toml")
	os.WriteFile(bad, []byte("[resolution.x]\noutcome = \"maybe\"\nsourc = \"y\"\n"), 0o644)
	code, _, stderr = geosim(t, "score", fc, "-resolutions", bad, "-out", filepath.Join(dir, "s2"))
	if code != 1 || !strings.Contains(stderr, `bad.toml:2: resolution.x.outcome: must be "yes" or "no"`) || !strings.Contains(stderr, `(did you mean source?)`) {
		t.Errorf("bad resolutions: exit %d\n%s", code, stderr)
	}
}

// TestReadmeShowsEveryCommand: the README's examples (run on a clean
// clone by scripts/readme-examples.sh) include every subcommand, and
// each example parses: a command geosim knows, flags it knows.
func TestReadmeShowsEveryCommand(t *testing.T) {
	b, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	_, block, _ := strings.Cut(string(b), "<!-- examples -->")
	block, _, _ = strings.Cut(block, "<!-- end of examples -->")
	seen := map[string]bool{}
	for _, line := range strings.Split(block, "\n") {
		fields := strings.Fields(line)
		if len(fields) < 2 || fields[0] != "geosim" {
			continue
		}
		seen[fields[1]] = true
		if cmd, ok := commands[fields[1]]; ok {
			// -h after the example's flags: a flag geosim does not know
			// would fail before the help is printed.
			if err := cmd.run(context.Background(), append(fields[2:], "-h"), io.Discard, io.Discard); err != nil {
				t.Errorf("README example %q: %v", line, err)
			}
		}
	}
	for name := range commands {
		if !seen[name] {
			t.Errorf("the README's examples do not show geosim %s", name)
		}
	}
	for _, name := range []string{"help", "version"} {
		if !seen[name] {
			t.Errorf("the README's examples do not show geosim %s", name)
		}
	}
}
