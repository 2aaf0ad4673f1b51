package batch

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/geosim/geosim/calibration"
	"github.com/geosim/geosim/internal/version"
	"github.com/geosim/geosim/sim/scenario"
)

// TestCalibrateResumes: a calibration killed after its first generation
// (its state saved in the work folder) resumes and ends with the bytes of
// an uninterrupted one; a state of another calibration is discarded.
func TestCalibrateResumes(t *testing.T) {
	c, err := scenario.LoadCalibration("../calibration/testdata/small.toml", scenario.CalibrationOptions{})
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	whole := filepath.Join(dir, "whole")
	if _, err := Calibrate(context.Background(), c, CalibrateOptions{Out: whole}); err != nil {
		t.Fatal(err)
	}
	resumed := filepath.Join(dir, "resumed")
	short := *c.Spec
	short.Generations = 1
	plan, err := calibration.Prepare(&short)
	if err != nil {
		t.Fatal(err)
	}
	state := filepath.Join(WorkDir(resumed), stateFile)
	if _, err := calibration.Calibrate(context.Background(), plan, calibration.Options{StateFile: state,
		SimulatorID: "geosim " + version.Version + " calibration " + c.Hash}); err != nil {
		t.Fatal(err)
	}
	rep, err := Calibrate(context.Background(), c, CalibrateOptions{Out: resumed, Workers: 1})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Resumed != 2 || rep.Discard != "" {
		t.Errorf("resumed %d generations (want 2), discard %q", rep.Resumed, rep.Discard)
	}
	for _, f := range []string{"posterior.csv", "summary.json", "report.html", "parameters.png"} {
		a, _ := os.ReadFile(filepath.Join(whole, f))
		b, _ := os.ReadFile(filepath.Join(resumed, f))
		if string(a) != string(b) {
			t.Errorf("%s of the resumed calibration differs from the uninterrupted one", f)
		}
	}
	if _, err := os.Stat(WorkDir(resumed)); !os.IsNotExist(err) {
		t.Errorf("the work folder is left: %v", err)
	}

	// A state of the same file fitted to another date is another
	// calibration: discarded, with a note.
	other, err := scenario.LoadCalibration("../calibration/testdata/small.toml", scenario.CalibrationOptions{FitTo: mustDate(t, "2013-12-31")})
	if err != nil {
		t.Fatal(err)
	}
	stale := filepath.Join(dir, "stale")
	if _, err := calibration.Calibrate(context.Background(), other.Plan, calibration.Options{StateFile: filepath.Join(WorkDir(stale), stateFile),
		SimulatorID: "geosim " + version.Version + " calibration " + other.Hash}); err != nil {
		t.Fatal(err)
	}
	rep, err = Calibrate(context.Background(), c, CalibrateOptions{Out: stale})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Resumed != 0 || !strings.Contains(rep.Discard, "belongs to another calibration") {
		t.Errorf("stale state: resumed %d, discard %q", rep.Resumed, rep.Discard)
	}
}

func mustDate(t *testing.T, s string) time.Time {
	t.Helper()
	d, err := time.Parse(time.DateOnly, s)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// TestAdoptCalibrationWork: a saved sampler state is kept for the same
// calibration and particle count, and removed with a reason when
// -particles changed it or it belongs to another calibration.
func TestAdoptCalibrationWork(t *testing.T) {
	write := func(id string, particles int) string {
		f := filepath.Join(t.TempDir(), "abc-state.json")
		body := `{"settings":{"simulator_id":"` + id + `","particles":` + strconv.Itoa(particles) + `}}`
		if err := os.WriteFile(f, []byte("sha256 x\n"+body), 0o644); err != nil {
			t.Fatal(err)
		}
		return f
	}
	for _, c := range []struct {
		id        string
		particles int
		keep      bool
		why       string
	}{
		{"geosim calibration A", 500, true, ""},
		{"geosim calibration A", 100, false, "made with 500 particles, now 100"},
		{"geosim calibration B", 500, false, "another calibration file"},
	} {
		f := write("geosim calibration A", 500)
		why, err := adoptCalibrationWork(f, c.id, c.particles)
		if err != nil {
			t.Fatal(err)
		}
		_, statErr := os.Stat(f)
		if kept := statErr == nil; kept != c.keep || !strings.Contains(why, c.why) {
			t.Errorf("%s, %d particles: kept %v (%q), want %v (%q)", c.id, c.particles, kept, why, c.keep, c.why)
		}
	}
}
