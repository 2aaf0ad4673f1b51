package main

import (
	"bytes"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const smallCalibration = "../../calibration/testdata/small.toml"

// TestCalibrateCLI runs the fixture calibration (40 particles, 2
// generations) and compares its table with a golden file; the folder
// holds every file, the charts decode, the report embeds them, and
// another worker count writes the same bytes.
func TestCalibrateCLI(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "cal")
	code, stdout, stderr := geosim(t, "calibrate", smallCalibration, "-out", out, "-workers", "2")
	if code != 0 {
		t.Fatalf("exit %d\n%s", code, stderr)
	}
	golden(t, "calibrate-small.stdout", []byte(strings.ReplaceAll(stdout, out, "OUT")))
	for _, f := range []string{"posterior.csv", "summary.json", "report.html", "run.json"} {
		if st, err := os.Stat(filepath.Join(out, f)); err != nil || st.Size() == 0 {
			t.Errorf("%s: %v", f, err)
		}
	}
	for _, f := range []string{"parameters.png", "pairs.png", "predictive-fit.png", "predictive-holdout.png", "generations.png"} {
		b, err := os.ReadFile(filepath.Join(out, f))
		if err != nil {
			t.Fatal(err)
		}
		img, err := png.Decode(bytes.NewReader(b))
		if err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		if r := img.Bounds(); r.Dx() < 800 || r.Dy() < 400 {
			t.Errorf("%s is %v", f, r)
		}
	}
	html, _ := os.ReadFile(filepath.Join(out, "report.html"))
	if strings.Count(string(html), `<img src="data:image/png;base64,`) != 5 {
		t.Error("report.html does not embed its five charts")
	}
	if _, err := os.Stat(out + ".partial"); !os.IsNotExist(err) {
		t.Errorf("the work folder was left behind: %v", err)
	}
	other := filepath.Join(dir, "other")
	if code, _, stderr := geosim(t, "calibrate", smallCalibration, "-out", other, "-workers", "1", "-quiet"); code != 0 {
		t.Fatal(stderr)
	}
	for _, f := range []string{"posterior.csv", "summary.json", "report.html", "parameters.png", "predictive-holdout.png"} {
		a, _ := os.ReadFile(filepath.Join(out, f))
		b, _ := os.ReadFile(filepath.Join(other, f))
		if !bytes.Equal(a, b) {
			t.Errorf("%s differs between 1 and 2 workers", f)
		}
	}
}

func TestCalibrateCLIErrors(t *testing.T) {
	for _, c := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"calibrate"}, 2, "calibrate takes one calibration file, got 0"},
		{[]string{"calibrate", smallCalibration, "-fit-to", "2014-13-01"}, 2, "-fit-to \"2014-13-01\": write a date like 2021-12-31"},
		{[]string{"calibrate", smallCalibration, "-fit-to", "2014-06-30", "-out", "OUT"}, 0, ""},
		{[]string{"calibrate", "nope.toml"}, 1, "nope.toml"},
	} {
		args := c.args
		for i, a := range args {
			if a == "OUT" {
				args[i] = filepath.Join(t.TempDir(), "x")
			}
		}
		code, _, stderr := geosim(t, append(args, "-quiet")...)
		if code != c.code || !strings.Contains(stderr, c.want) {
			t.Errorf("%v: exit %d, stderr %q; want %d and %q", c.args, code, stderr, c.code, c.want)
		}
	}
}

// TestCalibrateQuickFlags: -particles, -generations and -draws replace
// the file's settings for a quick look — zero or negative values are
// usage errors (exit 2), never silently the file's — and a tiny
// calibration of the flagship's file (40 particles, one generation, 50
// predictive draws: about a second) writes a complete folder whose
// report opens with a bottom line.
func TestCalibrateQuickFlags(t *testing.T) {
	const file = "../../scenarios/calibration/dprk.toml"
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"-particles", "0"}, "-particles must be at least 1, got 0"},
		{[]string{"-generations", "-1"}, "-generations must be at least 1, got -1"},
		{[]string{"-draws", "0"}, "-draws must be at least 1, got 0"},
		{[]string{"-particles", "many"}, "-particles"},
	} {
		out := filepath.Join(t.TempDir(), "never")
		code, _, stderr := geosim(t, append([]string{"calibrate", file, "-out", out, "-quiet"}, c.args...)...)
		if code != 2 || !strings.Contains(stderr, c.want) {
			t.Errorf("%v: exit %d, stderr %q; want 2 and %q", c.args, code, stderr, c.want)
		}
		if _, err := os.Stat(out); !os.IsNotExist(err) {
			t.Errorf("%v: a usage error wrote %s", c.args, out)
		}
	}
	out := filepath.Join(t.TempDir(), "tiny")
	code, stdout, stderr := geosim(t, "calibrate", file, "-particles", "40", "-generations", "1", "-draws", "50", "-out", out)
	if code != 0 {
		t.Fatalf("exit %d\n%s", code, stderr)
	}
	if !strings.Contains(stdout, "1 generation,") || !strings.Contains(stdout, "of 40 particles") {
		t.Errorf("the table does not show the quick settings:\n%s", stdout)
	}
	for _, f := range []string{"posterior.csv", "summary.json", "report.html", "run.json", "parameters.png", "pairs.png",
		"predictive-fit.png", "predictive-holdout.png", "generations.png"} {
		if st, err := os.Stat(filepath.Join(out, f)); err != nil || st.Size() == 0 {
			t.Errorf("%s: %v", f, err)
		}
	}
	posterior, _ := os.ReadFile(filepath.Join(out, "posterior.csv"))
	if n := strings.Count(string(posterior), "\n"); n != 41 {
		t.Errorf("posterior.csv has %d lines, want a header and 40 particles", n)
	}
	html, _ := os.ReadFile(filepath.Join(out, "report.html"))
	for _, want := range []string{`class="bottomline"`, "The record constrains", "Fitting window (2012-01-01 to 2021-12-31)", "Held out (2022-01-01 to 2025-08-31", "<nav class=\"toc\">"} {
		if !strings.Contains(string(html), want) {
			t.Errorf("report.html lacks %q", want)
		}
	}
}
