package scenario

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestExperimentErrors(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "base.toml"), []byte(validScenario), 0o644)
	cases := []struct {
		name, body, want string
		line             int
	}{
		{"unknown path", "[experiment]\nscenario = \"base.toml\"\n\n[factor.\"trade.DPRK.CNH\"]\nvalues = [0.5]\n",
			`bad.toml:4: factor."trade.DPRK.CNH": no parameter "trade.DPRK.CNH" (did you mean trade.DPRK.CHN?)`, 4},
		{"value out of range", "[experiment]\nscenario = \"base.toml\"\n\n[factor.\"trade.DPRK.CHN\"]\nvalues = [0.5, 1.5]\n",
			`bad.toml:5: factor."trade.DPRK.CHN".values: must be in [0, 1] (share), got 1.5 (design point 1)`, 5},
		{"lhs without points", "[experiment]\nscenario = \"base.toml\"\ndesign = \"lhs\"\n\n[factor.\"trade.DPRK.CHN\"]\nmin = 0.5\nmax = 0.9\n",
			"the lhs design needs points = N", 1},
		{"unknown design", "[experiment]\nscenario = \"base.toml\"\ndesign = \"gird\"\n",
			`unknown design "gird" (use grid, lhs, sobol or oat) (did you mean grid?)`, 3},
		{"distribution in a grid", "[experiment]\nscenario = \"base.toml\"\n\n[factor.\"trade.DPRK.CHN\"]\ndist = \"uniform\"\nmin = 0.1\nmax = 0.2\n",
			"a distribution is only used by the lhs and sobol designs", 5},
		{"sobol without points", "[experiment]\nscenario = \"base.toml\"\ndesign = \"sobol\"\n\n[factor.\"trade.DPRK.CHN\"]\nmin = 0.5\nmax = 0.9\n",
			"the sobol design needs points = N", 1},
		{"sobol points not a power of two", "[experiment]\nscenario = \"base.toml\"\ndesign = \"sobol\"\npoints = 50\n\n[factor.\"trade.DPRK.CHN\"]\nmin = 0.5\nmax = 0.9\n",
			"bad.toml:4: experiment.points: a sobol design needs a power of two of points from 2 to 65536, got 50 (try 32 or 64)", 4},
		{"missing base", "[experiment]\nscenario = \"nothere.toml\"\n\n[factor.\"trade.DPRK.CHN\"]\nvalues = [0.5]\n",
			"bad.toml:2: experiment.scenario: cannot read: no such file", 2},
		{"no factors", "[experiment]\nscenario = \"base.toml\"\n", "at least one [factor.", 0},
		{"bad steps", "[experiment]\nscenario = \"base.toml\"\n\n[factor.\"trade.DPRK.CHN\"]\nmin = 0.5\nmax = 0.9\nsteps = 1\n",
			"must be between 2 and 1000, got 1", 7},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p := filepath.Join(dir, "bad.toml")
			os.WriteFile(p, []byte(c.body), 0o644)
			_, err := LoadExperiment(p)
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("got %v, want %q", err, c.want)
			}
			if list, ok := err.(ErrorList); ok && c.line > 0 {
				found := false
				for _, e := range list {
					if strings.Contains(e.Error(), c.want) || strings.Contains(c.want, e.Msg) {
						found = found || e.Line == c.line
					}
				}
				if !found {
					t.Errorf("%v: not at line %d", err, c.line)
				}
			}
		})
	}
}

func TestExperimentDesigns(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "base.toml"), []byte(validScenario), 0o644)
	p := filepath.Join(dir, "e.toml")
	os.WriteFile(p, []byte("[experiment]\nscenario = \"base.toml\"\ndesign = \"lhs\"\npoints = 10\nruns = 50\n\n[factor.\"trade.DPRK.CHN\"]\nmin = 0.5\nmax = 0.9\n\n[factor.\"actor.DPRK.rationality\"]\ndist = \"triangular\"\nmin = 0\nmode = 2\nmax = 4\n"), 0o644)
	e, err := LoadExperiment(p)
	if err != nil {
		t.Fatal(err)
	}
	if len(e.Points) != 10 || len(e.Models) != 10 || e.Runs != 50 || e.Name != "e" {
		t.Errorf("%d points, %d models, %d runs, name %q", len(e.Points), len(e.Models), e.Runs, e.Name)
	}
	os.WriteFile(p, []byte("[experiment]\nscenario = \"base.toml\"\ndesign = \"sobol\"\npoints = 16\nruns = 50\n\n[factor.\"trade.DPRK.CHN\"]\nmin = 0.5\nmax = 0.9\n\n[factor.\"actor.DPRK.rationality\"]\ndist = \"triangular\"\nmin = 0\nmode = 2\nmax = 4\n"), 0o644)
	e, err = LoadExperiment(p)
	if err != nil {
		t.Fatal(err)
	}
	if e.Design != "sobol" || len(e.Points) != 16 || len(e.Models) != 16 {
		t.Fatalf("design %s, %d points, %d models", e.Design, len(e.Points), len(e.Models))
	}
	for _, pt := range e.Points {
		if pt.Values[0] < 0.5 || pt.Values[0] > 0.9 || pt.Values[1] < 0 || pt.Values[1] > 4 {
			t.Errorf("point %v outside the factors' ranges", pt.Values)
		}
	}
}
