package batch

import (
	"os"
	"strings"
	"testing"
)

// TestScalingRecipesAreTheTestedOnes: docs/SCALING.md shows the Slurm
// scripts and the Kubernetes manifest verbatim, and the GNU parallel
// recipe that scripts/parallel-e2e.sh runs.
func TestScalingRecipesAreTheTestedOnes(t *testing.T) {
	doc, err := os.ReadFile("../docs/SCALING.md")
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{"../scripts/slurm/geosim-array.sbatch", "../scripts/slurm/geosim-merge.sbatch", "../scripts/k8s/geosim-indexed-job.yaml"} {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(string(doc), string(b)) {
			t.Errorf("docs/SCALING.md does not show %s verbatim", f)
		}
	}
	script, err := os.ReadFile("../scripts/parallel-e2e.sh")
	if err != nil {
		t.Fatal(err)
	}
	_, recipe, _ := strings.Cut(string(script), "# --- the recipe (docs/SCALING.md, \"GNU parallel on one machine\") ---\n")
	recipe, _, _ = strings.Cut(recipe, "# --- end of the recipe ---")
	if recipe == "" || !strings.Contains(string(doc), recipe) {
		t.Errorf("docs/SCALING.md does not show the GNU parallel recipe of scripts/parallel-e2e.sh:\n%s", recipe)
	}
}
