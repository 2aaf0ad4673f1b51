package calibration_test

import (
	"bytes"
	"context"
	"encoding/json"
	"math"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/geosim/geosim/calibration"
	"github.com/geosim/geosim/sim/scenario"
)

func load(t *testing.T, o scenario.CalibrationOptions) *scenario.Calibration {
	t.Helper()
	c, err := scenario.LoadCalibration("testdata/small.toml", o)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// The fixture record's statistics, counted by hand from
// backtest/testdata/record.csv.
func TestObservedStatistics(t *testing.T) {
	p := load(t, scenario.CalibrationOptions{}).Plan
	want := map[string]float64{
		"tests/2012": 2, // satellite launches in April and December
		"tests/2013": 1, // a ballistic launch in May (the February nuclear test is another action)
		"tests/2014": 6, // February, March, June, July, August, September
		"sanctions":  1, // the UN resolution of 2013-03 (the US votes for it)
		"visits":     1, // DPRK to China, 2013-05
		"kim_xi":     0,
		// launches and sanctions never share a month in 2012-2014
		"tests_sanctions":             0,
		"late_tests/2014-03..2014-12": 5, // restricted to 2014-03 on: March, June to September
	}
	got := map[string]float64{}
	for k, s := range p.Fit.Stats {
		got[s.Name] = p.Fit.Observed[k]
	}
	for name, w := range want {
		if g, ok := got[name]; !ok || g != w {
			t.Errorf("%s = %v (present %v), want %v", name, g, ok, w)
		}
	}
	// Launch months 2012-01..2014-12 as a 0/1 series, autocorrelated by
	// hand.
	x := make([]float64, 36)
	for _, m := range []int{3, 11, 16, 25, 26, 29, 30, 31, 32} {
		x[m] = 1
	}
	if g, w := got["tests_ac"], lag1(x); math.Abs(g-w) > 1e-12 {
		t.Errorf("tests_ac = %v, want %v", g, w)
	}
	// Held out 2015-01..2015-09 in 3-month blocks: March, May launches;
	// the designation of 2015-01.
	hold := map[string]float64{}
	for k, s := range p.Holdout.Stats {
		hold[s.Name] = p.Holdout.Observed[k]
	}
	for name, w := range map[string]float64{"tests/2015-01..2015-03": 1, "tests/2015-04..2015-06": 1, "tests/2015-07..2015-09": 0, "sanctions": 1} {
		if hold[name] != w {
			t.Errorf("held out %s = %v, want %v", name, hold[name], w)
		}
	}
}

func lag1(x []float64) float64 {
	mean := 0.0
	for _, v := range x {
		mean += v / float64(len(x))
	}
	num, den := 0.0, 0.0
	for i, v := range x {
		den += (v - mean) * (v - mean)
		if i+1 < len(x) {
			num += (v - mean) * (x[i+1] - mean)
		}
	}
	return num / den
}

// A statistic counts the same months whether the history model records
// the event as count outcomes per block or as a monthly action series:
// the same history, two layouts.
func TestCountsAgreeAcrossLayouts(t *testing.T) {
	monthly := load(t, scenario.CalibrationOptions{}).Plan // tests are a series (autocorrelation)
	c := load(t, scenario.CalibrationOptions{})
	spec := *c.Spec
	spec.Statistics = slices.DeleteFunc(slices.Clone(spec.Statistics), func(s calibration.Statistic) bool {
		return s.Kind != calibration.KindMonths // only counts: blocks from count outcomes
	})
	counted, err := calibration.Prepare(&spec)
	if err != nil {
		t.Fatal(err)
	}
	if len(counted.Fit.Model.Outcomes()) == 0 || len(counted.Fit.Model.Series()) >= len(monthly.Fit.Model.Series()) {
		t.Fatalf("layouts do not differ: %d outcomes, %d vs %d series", len(counted.Fit.Model.Outcomes()), len(counted.Fit.Model.Series()), len(monthly.Fit.Model.Series()))
	}
	a, b := calibration.NewSimulator(monthly.Fit), calibration.NewSimulator(counted.Fit)
	index := func(p *calibration.Plan, name string) int {
		for k, s := range p.Fit.Stats {
			if s.Name == name {
				return k
			}
		}
		t.Fatalf("no statistic %s", name)
		return -1
	}
	varied := false
	for key := range uint64(40) {
		theta := []float64{-2 + 4*float64(key)/40, 2}
		sa, _ := a.Simulate(theta, key)
		sb, _ := b.Simulate(theta, key)
		for _, name := range []string{"tests/2012", "tests/2013", "tests/2014", "late_tests/2014-03..2014-12"} {
			x, y := sa[index(monthly, name)], sb[index(counted, name)]
			if x != y {
				t.Fatalf("key %d: %s = %v from the action series, %v from count outcomes", key, name, x, y)
			}
			varied = varied || x != sa[index(monthly, "tests/2012")]
		}
	}
	if !varied {
		t.Errorf("the histories never differed: the check compared nothing")
	}
}

// A dated override is a shock in the month after its date inside a
// history that reaches it, and nothing in one that does not.
func TestOverridesBecomeDatedShocks(t *testing.T) {
	p := load(t, scenario.CalibrationOptions{}).Plan
	if len(p.Context) != 1 || p.Context[0].Month.String() != "2015-02" || p.Context[0].AtStart {
		t.Fatalf("context %+v", p.Context)
	}
	has := func(names []string) bool { return slices.Contains(names, "override_trump") }
	shocks := func(w *calibration.Window) []string {
		var out []string
		for _, s := range w.Model.Shocks() {
			out = append(out, s.Name)
		}
		return out
	}
	if has(shocks(p.Fit)) {
		t.Errorf("the fitting window ends 2014-12 but its model has the override of 2015-01: %v", shocks(p.Fit))
	}
	if !has(shocks(p.Holdout)) {
		t.Errorf("the held-out model lacks the override shock: %v", shocks(p.Holdout))
	}
	i, ok := p.Holdout.Model.ParamIndex("shock.override_trump.month")
	if !ok || p.Holdout.Model.Params()[i].Dist.Mean() != 37 { // 2015-02 is month 37 after 2012-01
		t.Errorf("override shock month: present %v", ok)
	}
}

func outputs(t *testing.T, r *calibration.Result) string {
	t.Helper()
	var b bytes.Buffer
	if err := r.Posterior.WriteCSV(&b); err != nil {
		t.Fatal(err)
	}
	j, err := json.Marshal(calibration.Summarize(r, nil))
	if err != nil {
		t.Fatal(err)
	}
	b.Write(j)
	return b.String()
}

// The same calibration gives the same posterior and summary for any
// number of workers, and resumed from a state file after one generation.
func TestCalibrateDeterministicAndResumable(t *testing.T) {
	p := load(t, scenario.CalibrationOptions{}).Plan
	var want string
	for _, workers := range []int{1, 3} {
		r, err := calibration.Calibrate(context.Background(), p, calibration.Options{Workers: workers})
		if err != nil {
			t.Fatal(err)
		}
		if got := outputs(t, r); want == "" {
			want = got
		} else if got != want {
			t.Fatalf("%d workers give a different calibration than 1", workers)
		}
	}
	state := filepath.Join(t.TempDir(), "state")
	short := *p.Spec
	short.Generations = 1
	sp, err := calibration.Prepare(&short)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := calibration.Calibrate(context.Background(), sp, calibration.Options{StateFile: state}); err != nil {
		t.Fatal(err)
	}
	r, err := calibration.Calibrate(context.Background(), p, calibration.Options{StateFile: state, Workers: 2})
	if err != nil {
		t.Fatal(err)
	}
	if r.ABC.Resumed != 2 || outputs(t, r) != want {
		t.Errorf("resumed %d generations; same output as uninterrupted: %v", r.ABC.Resumed, outputs(t, r) == want)
	}
	s := calibration.Summarize(r, nil)
	if s.Fit.N != len(p.Fit.Stats) || s.Holdout == nil || s.Holdout.N != len(p.Holdout.Stats) {
		t.Errorf("checks cover %d and %v statistics", s.Fit.N, s.Holdout)
	}
	if s.Simulations != r.ABC.Simulations+4*int64(p.Spec.PredictiveDraws) || s.Regression != nil {
		t.Errorf("simulated histories %d: the sampler's %d plus four checks of %d; regression %v", s.Simulations, r.ABC.Simulations, p.Spec.PredictiveDraws, s.Regression)
	}
}

// With regression summaries (semi-automatic ABC) the sampler works on
// one summary per parameter, the same for any number of workers.
func TestCalibrateRegressionSummaries(t *testing.T) {
	spec := *load(t, scenario.CalibrationOptions{}).Spec
	spec.Summaries = calibration.SummariesRegression
	p, err := calibration.Prepare(&spec)
	if err != nil {
		t.Fatal(err)
	}
	var want string
	for _, workers := range []int{1, 2} {
		r, err := calibration.Calibrate(context.Background(), p, calibration.Options{Workers: workers})
		if err != nil {
			t.Fatal(err)
		}
		if got := outputs(t, r); want == "" {
			want = got
		} else if got != want {
			t.Fatal("regression summaries: 2 workers give a different calibration than 1")
		}
		s := calibration.Summarize(r, nil)
		if len(r.ABC.Stats) != 2 || s.Regression == nil || !(s.Regression.R2["incentive.DPRK.weapons_test"] > 0.3) {
			t.Errorf("%d summaries; regression %+v: the launch statistics should predict the test incentive", len(r.ABC.Stats), s.Regression)
		}
		if s.Simulations != r.ABC.Simulations+int64(spec.RegressionPilot)+4*int64(spec.PredictiveDraws) {
			t.Errorf("simulated histories %d: the sampler's %d, the regression's %d and four checks", s.Simulations, r.ABC.Simulations, spec.RegressionPilot)
		}
	}
}

// -fit-to ends the window earlier and drops the held-out window; a date
// after the record is refused.
func TestFitTo(t *testing.T) {
	c := load(t, scenario.CalibrationOptions{FitTo: date(t, "2013-12-31")})
	if c.Plan.Holdout != nil || c.Plan.Fit.To.String() != "2013-12" {
		t.Errorf("fit to %s, held out %v", c.Plan.Fit.To, c.Plan.Holdout)
	}
	full := load(t, scenario.CalibrationOptions{})
	if c.Hash == full.Hash {
		t.Errorf("the calibration fitted to 2013-12 has the hash of the full one")
	}
	_, err := scenario.LoadCalibration("testdata/small.toml", scenario.CalibrationOptions{FitTo: date(t, "2016-03-31")})
	if err == nil || !strings.Contains(err.Error(), "after the last whole month of the record") {
		t.Errorf("fitting past the record: %v", err)
	}
}

func date(t *testing.T, s string) time.Time {
	t.Helper()
	d, err := time.Parse(time.DateOnly, s)
	if err != nil {
		t.Fatal(err)
	}
	return d
}
