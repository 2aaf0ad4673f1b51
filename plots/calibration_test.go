package plots

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/geosim/geosim/calibration"
	"github.com/geosim/geosim/sim/abc"
)

// shippedCalibration reads a calibration shipped with the scenarios (a
// folder holding summary.json and posterior.csv) as the charts take it.
func shippedCalibration(t *testing.T, dir string) CalibrationData {
	t.Helper()
	s, err := calibration.ReadSummary(dir + "/summary.json")
	if err != nil {
		t.Fatal(err)
	}
	priors, err := s.Priors()
	if err != nil {
		t.Fatal(err)
	}
	post, err := abc.ReadPosteriorFile(dir + "/posterior.csv")
	if err != nil {
		t.Fatal(err)
	}
	return CalibrationData{Summary: s, Posterior: post, Priors: priors, File: "scenarios/calibration/dprk.toml", SHA256: "0123abcd", Version: "test"}
}

// TestWriteCalibration renders the charts and report of the shipped
// flagship posterior (fitted to 2025-08, no held-out window) and of the
// first rolling one under the layout check (TestMain) — with the paths
// the summaries were written with, and again with long human labels and
// a held-out check, which must wrap rather than clip or collide — and
// checks that the report stands alone, opens with a bottom line that
// names the constrained parameters and the checks, and keeps its tables.
func TestWriteCalibration(t *testing.T) {
	flagship := shippedCalibration(t, "../scenarios/calibration")
	labelled := shippedCalibration(t, "../scenarios/calibration/rolling/2013-12")
	for i := range labelled.Summary.Parameters {
		p := &labelled.Summary.Parameters[i]
		p.Label = "A long human label for " + p.Name + " that wraps onto a second line"
		p.Unit = "utility"
	}
	held := *labelled.Summary.Fit
	held.From, held.To = "2014-01-01", "2015-08-31"
	labelled.Summary.Holdout = &held
	for name, d := range map[string]CalibrationData{"flagship": flagship, "labelled": labelled} {
		files := memWriter{}
		if err := WriteCalibration(context.Background(), files, d); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		want := []string{"parameters.png", "pairs.png", "predictive-fit.png", "generations.png"}
		if d.Summary.Holdout != nil {
			want = append(want, "predictive-holdout.png")
		}
		for _, f := range want {
			if files[f] == nil {
				t.Fatalf("%s: no %s", name, f)
			}
			lookDir(t, name+"-"+f, files[f])
		}
		html := string(files["report.html"])
		for _, s := range []string{`class="bottomline"`, `<nav class="toc">`, "The record constrains", "Fitting window (", "Cost: ",
			"Posterior mean (± MC se)", "Generation</th>", "Record types", "Dated context", d.SHA256, "<code>incentive.DPRK.weapons_test</code>"} {
			if !strings.Contains(html, s) {
				t.Errorf("%s: report.html lacks %q", name, s)
			}
		}
		if d.Summary.Holdout != nil && !strings.Contains(html, "Held out (") {
			t.Errorf("%s: the bottom line does not report the held-out check", name)
		}
		if d.Summary.Holdout == nil && !strings.Contains(html, "no held-out window") {
			t.Errorf("%s: the bottom line does not say there is no held-out window", name)
		}
		if n := strings.Count(html, `src="data:image/png;base64,`); n != len(want) {
			t.Errorf("%s: report.html embeds %d charts, want %d", name, n, len(want))
		}
		if strings.Contains(html, `.png"`) {
			t.Errorf("%s: report.html refers to a chart file", name)
		}
		if n := len(CalibrationBottomLine(d.Summary)); n < 3 || n > 5 {
			t.Errorf("%s: the bottom line has %d sentences, want 3 to 5", name, n)
		}
		outside := 0
		for _, st := range d.Summary.Fit.Stats {
			if !st.Inside {
				outside++
			}
		}
		if got := strings.Count(html, "(outside)"); d.Summary.Holdout == nil && got != outside {
			t.Errorf("%s: %d statistics marked outside in the report, %d in the summary", name, got, outside)
		}
		again := memWriter{}
		if err := WriteCalibration(context.Background(), again, d); err != nil {
			t.Fatal(err)
		}
		for f, b := range files {
			if !bytes.Equal(again[f], b) {
				t.Errorf("%s: %s differs between two renderings", name, f)
			}
		}
	}
	if !strings.Contains(strings.Join(CalibrationBottomLine(labelled.Summary), " "), "A long human label for") {
		t.Error("the bottom line does not name parameters by their labels")
	}
	bad := flagship
	bad.Priors = bad.Priors[1:]
	if err := WriteCalibration(context.Background(), memWriter{}, bad); err == nil || !strings.Contains(err.Error(), "priors") {
		t.Errorf("priors that do not match the summary: %v", err)
	}
}
