//go:build long

package calibration_test

import (
	"context"
	"encoding/json"
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/geosim/geosim/calibration"
	"github.com/geosim/geosim/sim/abc"
	"github.com/geosim/geosim/sim/scenario"
)

// Simulation-based calibration of the shipped calibration
// (scenarios/calibration/dprk.toml: its parameters, priors, statistics,
// window and sampler settings) on synthetic records drawn from the model
// itself at known parameter values (Talts et al. 2018), opt-in:
//
//	go test -tags long -run SBC -v -timeout 6h ./calibration/
//
// GEOSIM_SBC_REPS sets the number of replications (default 60) and
// GEOSIM_SBC_OUT a file for the full result (JSON). The measured coverage
// is written in docs/CALIBRATION.md.
func TestSBCFlagshipCalibration(t *testing.T) {
	c, err := scenario.LoadCalibration("../scenarios/calibration/dprk.toml", scenario.CalibrationOptions{})
	if err != nil {
		t.Fatal(err)
	}
	reps := 60
	if s := os.Getenv("GEOSIM_SBC_REPS"); s != "" {
		if reps, err = strconv.Atoi(s); err != nil {
			t.Fatal(err)
		}
	}
	p := c.Plan
	pr, _, err := p.Problem(context.Background(), calibration.Options{})
	if err != nil {
		t.Fatal(err)
	}
	cfg := p.Config(calibration.Options{}, pr)
	start := time.Now()
	res, err := abc.SBC(context.Background(), pr, abc.SBCConfig{Replications: reps, Seed: 2012, ABC: cfg,
		Progress: func(done, total int) {
			t.Logf("%d/%d replications, %s", done, total, time.Since(start).Round(time.Second))
		}})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%d replications, %d simulated histories (%.0f per calibration), %.1f generations per calibration, %s",
		res.Replications, res.Simulations, float64(res.Simulations)/float64(res.Replications), res.Generations, time.Since(start).Round(time.Second))
	for i, cv := range res.Coverage {
		t.Logf("  %-32s 90%% interval covered the truth in %d/%d = %.2f (Wilson 95%% %.2f–%.2f); ranks %v, chi-square p = %.3f",
			cv.Param, cv.Covered, res.Replications, cv.Rate, cv.Wilson95[0], cv.Wilson95[1], res.RankHistogram[i], res.RankChi2P[i])
		if cv.Rate < 0.80 || cv.Rate > 0.97 {
			t.Errorf("%s: coverage %.2f outside [0.80, 0.97]", cv.Param, cv.Rate)
		}
	}
	if out := os.Getenv("GEOSIM_SBC_OUT"); out != "" {
		b, _ := json.MarshalIndent(res, "", "  ")
		os.WriteFile(out, b, 0o644)
	}
}
