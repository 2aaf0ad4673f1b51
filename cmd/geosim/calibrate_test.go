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
