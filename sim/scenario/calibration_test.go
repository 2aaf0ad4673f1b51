package scenario

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// calibrationFile writes the fixture calibration, edited by edit, beside
// a copy of the fixture backtest and returns its path.
func calibrationFile(t *testing.T, edit func(string) string) string {
	t.Helper()
	bt := backtestDir(t, nil, nil)
	b, err := os.ReadFile("../../calibration/testdata/small.toml")
	if err != nil {
		t.Fatal(err)
	}
	s := strings.Replace(string(b), `backtest = "../../backtest/testdata/small.toml"`, `backtest = "bt.toml"`, 1)
	if edit != nil {
		s = edit(s)
	}
	file := filepath.Join(filepath.Dir(bt), "cal.toml")
	os.WriteFile(file, []byte(s), 0o644)
	return file
}

func TestLoadCalibrationFixture(t *testing.T) {
	c, err := LoadCalibration(calibrationFile(t, nil), CalibrationOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Plan.Params) != 2 || len(c.Spec.Statistics) != 7 || c.Spec.Particles != 40 || c.Plan.Holdout == nil {
		t.Errorf("params %d, statistics %d, particles %d, holdout %v", len(c.Plan.Params), len(c.Spec.Statistics), c.Spec.Particles, c.Plan.Holdout)
	}
	if c.Hash == "" || c.Hash == c.Backtest.Hash {
		t.Errorf("hash %q", c.Hash)
	}
}

// TestCalibrationProblems: every problem of a broken calibration file is
// reported at once, positioned.
func TestCalibrationProblems(t *testing.T) {
	file := calibrationFile(t, func(s string) string {
		return strings.NewReplacer(
			`block_months = 12`, `block_months = 0`,
			`fit_to = 2014-12-31`, `fit_to = 2014-12-30`,
			`particles = 40`, "particles = 40\nparticle = 3",
			`prior = { dist = "uniform", min = 1.0, max = 4.0 }`, `prior = 2.0`,
			`[statistic.tests]
event = { action = "weapons_test", actor = "DPRK" }`, `[statistic.tests]
event = { action = "weapons_tests", actor = "DPRK" }`,
			`[statistic.sanctions]
event = { action = "sanction", actor = "USA", target = "DPRK" }`, `[statistic.sanctions]
event = { action = "sanction", actor = "USA" }`,
			`kind = "autocorrelation"`, `kind = "correlation"`,
		).Replace(s) + `
[parameter."incentive.USA.DPRK.summit"]
prior = { dist = "uniform", min = 0.0, max = 2.0 }

[parameter."incentive.DPRK.weapon_test"]
prior = { dist = "uniform", min = 0.0, max = 2.0 }

[statistic.summits_nobody]
event = { action = "summit", actor = "DPRK", target = "ATL" }
`
	})
	_, err := LoadCalibration(file, CalibrationOptions{})
	if err == nil {
		t.Fatal("a broken calibration loaded")
	}
	msg := err.Error()
	for _, want := range []string{
		`cal.toml:16: calibration.particle: unknown key "particle" in [calibration] (did you mean particles?)`,
		`calibration.fit_to: windows are whole months: write the last day of the month, like 2014-12-31`,
		`calibration.block_months: must be at least 1, got 0`,
		`parameter."action.visit.cost".prior: a fixed prior (2) leaves nothing to fit`,
		`statistic.tests.event: unknown action "weapons_tests"`,
		`statistic.sanctions.event: sanction is aimed at a partner: give its target`,
		`statistic.tests_ac.kind: unknown kind "correlation"`,
		`parameter."incentive.USA.DPRK.summit": the dated override trump sets incentive.USA.DPRK.summit from 2015-01-01`,
		`parameter."incentive.DPRK.weapon_test": no parameter "incentive.DPRK.weapon_test" (did you mean incentive.DPRK.weapons_test?)`,
		`statistic.summits_nobody.event: target "ATL" is not an actor of the template`,
	} {
		if !strings.Contains(msg, want) {
			t.Errorf("missing %q in:\n%s", want, msg)
		}
	}
	for _, line := range strings.Split(msg, "\n") {
		if !strings.HasPrefix(line, file+":") {
			t.Errorf("not positioned: %q", line)
		}
	}
}
