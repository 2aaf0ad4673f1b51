package scenario

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const posteriorBase = `
[scenario]
name = "post"
start = 2025-01-01
steps = 3
[actor.A]
rationality = { dist = "uniform", min = 1, max = 3 }
[actor.B]
power = 0.4
[stance.A]
B = { dist = "uniform", min = -2, max = 2 }
[series.ab]
actors = ["A", "B"]
`

func writeFiles(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, text := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// A scenario draws its parameters jointly from a posterior: every run's
// values are one of the rows, rows are chosen in proportion to their
// weights, and the posterior's hash is part of the scenario's.
func TestPosteriorJointDraws(t *testing.T) {
	csv := "actor.A.rationality,stance.A.B,weight\n1.5,-1,1\n2.5,1,0\n2,0.5,3\n"
	dir := writeFiles(t, map[string]string{
		"base.toml":     posteriorBase,
		"cal.toml":      "[scenario]\nbase = \"base.toml\"\nname = \"post-cal\"\n\n[posterior]\nfile = \"posterior.csv\"\n",
		"posterior.csv": csv,
	})
	f, err := Load(filepath.Join(dir, "cal.toml"))
	if err != nil {
		t.Fatal(err)
	}
	file, sha := f.Model.PosteriorInfo()
	if !strings.HasSuffix(file, "posterior.csv") || len(sha) != 64 {
		t.Errorf("posterior info %q %q", file, sha)
	}
	if len(f.Sources()) != 3 {
		t.Errorf("sources %d, want the variant, its base and the posterior", len(f.Sources()))
	}
	ws := simWorkspace(f)
	counts := map[[2]float64]int{}
	const draws = 4000
	for d := uint64(0); d < draws; d++ {
		ws.SampleDraw(7, d)
		counts[[2]float64{ws.Out.Params[0], ws.Out.Params[1]}]++
	}
	if len(counts) != 2 || counts[[2]float64{2.5, 1}] != 0 {
		t.Fatalf("drew %v; want only the rows of positive weight", counts)
	}
	if p := float64(counts[[2]float64{2, 0.5}]) / draws; p < 0.73 || p > 0.77 {
		t.Errorf("row 3 (weight 3 of 4) drawn with frequency %.3f", p)
	}
	plain, err := Load(filepath.Join(dir, "base.toml"))
	if err != nil {
		t.Fatal(err)
	}
	if plain.Hash == f.Hash {
		t.Error("the posterior does not change the scenario's hash")
	}
}

// A bad posterior is refused naming the scenario's line and the
// posterior file's row.
func TestPosteriorProblems(t *testing.T) {
	for _, c := range []struct{ csv, want string }{
		{"actor.A.rationality,actor.A.nonsense,weight\n2,1,1\n", `column "actor.A.nonsense" is not a parameter`},
		{"actor.A.rationality,weight\n2,1\n2,-1\n", "posterior.csv:3: weight: -1 is negative"},
		{"actor.A.rationality,weight\n150,1\n2,1\n", "row 1, actor.A.rationality = 150 is outside [0, 100]"},
	} {
		dir := writeFiles(t, map[string]string{
			"base.toml":     posteriorBase,
			"cal.toml":      "[scenario]\nbase = \"base.toml\"\nname = \"post-cal\"\n\n[posterior]\nfile = \"posterior.csv\"\n",
			"posterior.csv": c.csv,
		})
		_, err := Load(filepath.Join(dir, "cal.toml"))
		if err == nil || !strings.Contains(err.Error(), c.want) || !strings.Contains(err.Error(), "cal.toml:") {
			t.Errorf("%q: error %v, want one naming cal.toml and %q", c.csv, err, c.want)
		}
	}
}
