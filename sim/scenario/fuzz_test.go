package scenario

import (
	"bytes"
	"fmt"
	"os"
	"testing"
	"time"

	"github.com/geosim/geosim/sim/experiment"
)

// FuzzParse checks that no input makes the loader panic: every input is
// either a compiled scenario or positioned errors. The seed corpus runs
// with go test; go test -fuzz=FuzzParse ./sim/scenario explores further
// (opt-in, not part of the default suite).
func FuzzParse(f *testing.F) {
	f.Add([]byte(validScenario))
	if b, err := os.ReadFile("../../scenarios/beijing-parade-2025.toml"); err == nil {
		f.Add(b)
	}
	f.Add([]byte("[scenario]\nname = \"x\"\n[actor.A]\n[actor.B]\n[trade.A]\nB = { dist = \"beta\", alpha = 1, beta = 2 }\n"))
	f.Add([]byte("\x00\x01"))
	f.Fuzz(func(t *testing.T, data []byte) {
		// A hang becomes a crash that the fuzzer saves with its input.
		tm := time.AfterFunc(3*time.Second, func() { panic(fmt.Sprintf("hang on %q", data)) })
		defer tm.Stop()
		file, err := Parse("fuzz.toml", data)
		if err == nil && file.Model == nil {
			t.Fatal("no error and no model")
		}
		if err != nil {
			if _, ok := err.(ErrorList); !ok {
				t.Fatalf("error of type %T: %v", err, err)
			}
		}
	})
}

// fuzzBase is the base scenario fuzzed experiment files refer to.
const fuzzBase = "base.toml"

// FuzzExperiment checks that no experiment file makes the loader panic or
// hang: every input is either an experiment whose every point builds a
// model, or positioned errors. go test -fuzz=FuzzExperiment
// ./sim/scenario explores further (docs/TESTING.md).
func FuzzExperiment(f *testing.F) {
	f.Add([]byte("[experiment]\nscenario = \"base.toml\"\ndesign = \"grid\"\nruns = 10\n\n[factor.\"trade.DPRK.CHN\"]\nmin = 0.5\nmax = 0.9\nsteps = 3\n"))
	f.Add([]byte("[experiment]\nscenario = \"base.toml\"\ndesign = \"lhs\"\npoints = 5\n\n[factor.\"model.leverage\"]\nmin = 0\nmax = 2\n\n[factor.\"actor.DPRK.rationality\"]\ndist = \"normal\"\nmean = 2\nsd = 0.3\n"))
	f.Add([]byte("[experiment]\nscenario = \"base.toml\"\ndesign = \"oat\"\n\n[factor.\"shock.relief.hazard\"]\nvalues = [0.01, 0.1]\n"))
	f.Add([]byte("[experiment]\nscenario = \"../../dev/zero\"\n"))
	for _, p := range []string{"../../scenarios/experiments/dprk-dependence.toml", "../../scenarios/experiments/assumptions-lhs.toml"} {
		if b, err := os.ReadFile(p); err == nil {
			f.Add(bytes.ReplaceAll(b, []byte("../beijing-parade-2025.toml"), []byte(fuzzBase)))
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		tm := time.AfterFunc(20*time.Second, func() { panic(fmt.Sprintf("hang on %q", data)) })
		defer tm.Stop()
		e, err := LoadExperimentSources("e.toml", map[string][]byte{"e.toml": data, fuzzBase: []byte(validScenario)})
		if err != nil {
			if _, ok := err.(ErrorList); !ok {
				t.Fatalf("error of type %T: %v", err, err)
			}
			return
		}
		if len(e.Points) == 0 || len(e.Points) > experiment.MaxPoints {
			t.Fatalf("%d points", len(e.Points))
		}
		if _, err := e.Model(len(e.Points) - 1); err != nil {
			t.Fatalf("a checked point does not build: %v", err)
		}
	})
}

// FuzzResolutions checks that no resolutions file makes the loader panic
// or hang, and that every accepted resolution is complete.
func FuzzResolutions(f *testing.F) {
	f.Add([]byte(validResolutions))
	if b, err := os.ReadFile("../../scenarios/resolutions/backtest-2018.toml"); err == nil {
		f.Add(b)
	}
	f.Add([]byte("[resolution.q]\noutcome = \"\"\ndate = 12:00:00\nsource = \"x\"\n"))
	f.Add([]byte("[resolution.\"a.b\"]\noutcome = \"yes\"\ndate = 2018-06-12T10:00:00Z\nsource = \"\"\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		tm := time.AfterFunc(5*time.Second, func() { panic(fmt.Sprintf("hang on %q", data)) })
		defer tm.Stop()
		rs, err := ParseResolutions("r.toml", data)
		if err != nil {
			if _, ok := err.(ErrorList); !ok {
				t.Fatalf("error of type %T: %v", err, err)
			}
			return
		}
		if len(rs) == 0 {
			t.Fatal("no error and no resolutions")
		}
		for _, r := range rs {
			if r.ID == "" || r.Source == "" || r.Date.Year() < minYear || r.Date.Year() > maxYear {
				t.Fatalf("incomplete resolution accepted: %+v", r)
			}
		}
	})
}
