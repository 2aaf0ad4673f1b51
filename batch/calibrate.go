package batch

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"time"

	"github.com/geosim/geosim/calibration"
	"github.com/geosim/geosim/internal/version"
	"github.com/geosim/geosim/output"
	"github.com/geosim/geosim/plots"
	"github.com/geosim/geosim/sim/abc"
	"github.com/geosim/geosim/sim/scenario"
)

// CalibrateOptions says where and how to run a calibration.
type CalibrateOptions struct {
	Out     string // the final folder
	Workers int    // 0: GOMAXPROCS
	// Progress receives the sampler's progress; Check is called before
	// each predictive check ("fit", "holdout").
	Progress func(abc.Progress)
	Check    func(name string)
	Args     []string // the command line, for run.json and the manifest
	Force    bool     // replace a folder geosim did not write (see output.Target)
}

// CalibrateReport says what a calibration did.
type CalibrateReport struct {
	Dir     string
	Resumed int    // generations read back from an interrupted calibration
	Discard string // non-empty when a stale partial calibration was discarded, and why
	Summary *calibration.Summary
}

// CalibrationProvenance identifies what a calibration was made from.
type CalibrationProvenance struct {
	Tool    string            `json:"tool"`
	Version string            `json:"version"`
	File    string            `json:"calibration_file"`
	SHA256  string            `json:"calibration_sha256"`
	Files   map[string]string `json:"files_sha256"` // the backtest, template and record files
	Seed    uint64            `json:"seed"`
	FitTo   string            `json:"fit_to"`
}

// stateFile is where an unfinished calibration keeps the sampler's
// state, inside the work folder.
const stateFile = "abc-state.json"

// Calibrate runs a calibration into o.Out: posterior.csv, summary.json,
// the charts, report.html and run.json, complete or not at all. The
// sampler saves its state after each generation in the work folder
// (WorkDir(o.Out)); interrupted and started again with the same file
// and version, it continues and ends with the same bytes (with more or
// fewer generations too). A state made with another file, window,
// version or particle count is discarded with a note (CalibrateReport.
// Discard); other differences are refused by the sampler's settings
// check, with a message naming the difference.
func Calibrate(ctx context.Context, c *scenario.Calibration, o CalibrateOptions) (*CalibrateReport, error) {
	start := time.Now()
	sess, err := output.Open(output.Target{Dir: o.Out, Kind: "calibration", Command: o.Args, Inputs: inputsOf(c.Sources()),
		Force: o.Force, Work: filepath.Base(WorkDir(o.Out))})
	if err != nil {
		return nil, err
	}
	defer sess.Close()
	work, err := sess.Resume()
	if err != nil {
		return nil, err
	}
	id := "geosim " + version.Version + " calibration " + c.Hash
	particles := c.Spec.Particles
	if particles == 0 {
		particles = calibration.DefaultParticles
	}
	discard, err := adoptCalibrationWork(filepath.Join(sess.WorkPath(), stateFile), id, particles)
	if err != nil {
		return nil, err
	}
	res, err := calibration.Calibrate(ctx, c.Plan, calibration.Options{
		Workers: o.Workers, StateFile: filepath.Join(sess.WorkPath(), stateFile),
		SimulatorID: id, Progress: o.Progress, Check: o.Check,
	})
	if err != nil {
		return nil, err
	}
	files := map[string]string{}
	for path, data := range c.Sources() {
		files[path] = sha256Hex(data)
	}
	prov := CalibrationProvenance{Tool: "geosim", Version: version.Version, File: c.Path, SHA256: c.Hash, Files: files,
		Seed: c.Spec.Seed, FitTo: c.Spec.FitTo.Format(time.DateOnly)}
	sum := calibration.Summarize(res, prov)
	var post bytes.Buffer
	if err := res.Posterior.WriteCSV(&post); err != nil {
		return nil, err
	}
	workers := o.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	f, err := sess.NewFolder()
	if err != nil {
		return nil, err
	}
	fill := func() error {
		if err := f.WriteFile("posterior.csv", post.Bytes()); err != nil {
			return err
		}
		if err := f.WriteJSON("summary.json", sum); err != nil {
			return err
		}
		if err := plots.WriteCalibration(ctx, f, plots.CalibrationData{Summary: sum, Posterior: res.Posterior, Priors: c.Plan.Params,
			File: c.Path, SHA256: c.Hash, Version: version.Version}); err != nil {
			return err
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		return f.WriteJSON("run.json", output.NewRunInfo(start, time.Now(), sum.Simulations, workers, o.Args))
	}
	if err := fill(); err != nil {
		sess.Discard(f)
		return nil, err
	}
	if err := sess.Commit(f); err != nil {
		return nil, err
	}
	if err := sess.Discard(work); err != nil {
		return nil, err
	}
	return &CalibrateReport{Dir: o.Out, Resumed: res.ABC.Resumed, Discard: discard, Summary: sum}, nil
}

// adoptCalibrationWork keeps the sampler's state left by an interrupted
// run of the same calibration (same file, window and version: the
// simulator id; same number of particles, which -particles may change),
// and removes one of another, saying why. More or fewer generations
// (-generations) resume the same state.
func adoptCalibrationWork(state, id string, particles int) (string, error) {
	raw, err := os.ReadFile(state)
	if errors.Is(err, fs.ErrNotExist) {
		return "", nil
	}
	if err != nil {
		return "", err
	}
	var st struct {
		Settings struct {
			SimulatorID string `json:"simulator_id"`
			Particles   int    `json:"particles"`
		} `json:"settings"`
	}
	_, body, _ := bytes.Cut(raw, []byte("\n"))
	if json.Unmarshal(body, &st) == nil && st.Settings.SimulatorID == id {
		if st.Settings.Particles == particles {
			return "", nil
		}
		return fmt.Sprintf("the partial calibration in %s was made with %d particles, now %d", filepath.Dir(state), st.Settings.Particles, particles), os.Remove(state)
	}
	return "the partial calibration in " + filepath.Dir(state) + " belongs to another calibration file, window or version", os.Remove(state)
}

func sha256Hex(data []byte) string {
	sum := sha256.Sum256(data)
	return hex.EncodeToString(sum[:])
}
