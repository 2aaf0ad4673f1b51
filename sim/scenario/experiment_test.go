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
			"bad.toml:4: experiment.points: a sobol design needs a power of two of points from 2 to 8192, got 50 (try 32 or 64)", 4},
		{"missing base", "[experiment]\nscenario = \"nothere.toml\"\n\n[factor.\"trade.DPRK.CHN\"]\nvalues = [0.5]\n",
			"bad.toml:2: experiment.scenario: cannot read: no such file", 2},
		{"no factors", "[experiment]\nscenario = \"base.toml\"\n", "at least one [factor.", 0},
		{"lhs normal too wide", "[experiment]\nscenario = \"base.toml\"\ndesign = \"lhs\"\npoints = 4\n\n[factor.\"trade.DPRK.CHN\"]\ndist = \"normal\"\nmean = 0.9\nsd = 0.1\n",
			`bad.toml:6: factor."trade.DPRK.CHN": normal(0.9, 0.1) puts 15.9% of its draws outside the range [0, 1] (share)`, 6},
		{"lhs range beyond the parameter's", "[experiment]\nscenario = \"base.toml\"\ndesign = \"lhs\"\npoints = 4\n\n[factor.\"trade.DPRK.CHN\"]\nmin = 0.5\nmax = 1.5\n",
			`bad.toml:6: factor."trade.DPRK.CHN": must be in [0, 1] (share), but uniform(0.5, 1.5) takes values in [0.5, 1.5]`, 6},
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
	if len(e.Points) != 10 || e.Runs != 50 || e.Name != "e" {
		t.Errorf("%d points, %d runs, name %q", len(e.Points), e.Runs, e.Name)
	}
	if m, err := e.Model(9); err != nil || m == nil {
		t.Errorf("point 9: %v", err)
	}
}

// TestExperimentTruncatedFactor: a Latin hypercube factor given as a
// normal is sampled truncated to the parameter's range, like a scenario
// parameter, so that every design point is valid.
func TestExperimentTruncatedFactor(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "base.toml"), []byte(validScenario), 0o644)
	p := filepath.Join(dir, "e.toml")
	os.WriteFile(p, []byte("[experiment]\nscenario = \"base.toml\"\ndesign = \"lhs\"\npoints = 200\n\n[factor.\"trade.DPRK.CHN\"]\ndist = \"normal\"\nmean = 0.9\nsd = 0.03\n"), 0o644)
	e, err := LoadExperiment(p)
	if err != nil {
		t.Fatal(err)
	}
	if got := e.Factors[0].Dist.String(); got != "truncnormal(0.9, 0.03, [0, 1])" {
		t.Errorf("factor sampled from %s", got)
	}
	for _, pt := range e.Points {
		if v := pt.Values[0]; v < 0 || v > 1 {
			t.Errorf("design value %v outside [0, 1]", v)
		}
	}
	os.WriteFile(p, []byte("[experiment]\nscenario = \"base.toml\"\ndesign = \"sobol\"\npoints = 16\nruns = 50\n\n[factor.\"trade.DPRK.CHN\"]\nmin = 0.5\nmax = 0.9\n\n[factor.\"actor.DPRK.rationality\"]\ndist = \"triangular\"\nmin = 0\nmode = 2\nmax = 4\n"), 0o644)
	e, err = LoadExperiment(p)
	if err != nil {
		t.Fatal(err)
	}
	if e.Design != "sobol" || len(e.Points) != 16 {
		t.Fatalf("design %s, %d points", e.Design, len(e.Points))
	}
	for _, pt := range e.Points {
		if pt.Values[0] < 0.5 || pt.Values[0] > 0.9 || pt.Values[1] < 0 || pt.Values[1] > 4 {
			t.Errorf("point %v outside the factors' ranges", pt.Values)
		}
	}
}
