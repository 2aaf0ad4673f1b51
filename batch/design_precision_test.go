package batch

import (
	"context"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"sort"
	"testing"

	"github.com/geosim/geosim/sim/scenario"
)

// TestFlagshipDesignPrecision measures what the quasi-random design buys
// on the flagship (docs/SENSITIVITY.md reports the numbers): the widths
// of the 95% intervals of every Sobol index (outputs × inputs × S1/ST)
// for the pseudo-random design at today's default N = 4096 and for the
// quasi-random design at N = 1024 … 8192, all with the scenario's seed;
// per output, the ratio of the two designs' mean widths at N = 4096; and
// the N at which the quasi-random design's mean width matches the random
// design's at N = 4096, interpolated on a log–log scale. It costs about
// 660,000 flagship runs, so it is opt-in:
//
//	GEOSIM_LONG=1 go test ./batch -run FlagshipDesignPrecision -v -timeout 60m
func TestFlagshipDesignPrecision(t *testing.T) {
	if os.Getenv("GEOSIM_LONG") == "" {
		t.Skip("opt-in: set GEOSIM_LONG=1 (about 660,000 flagship runs)")
	}
	f, err := scenario.Load("../scenarios/beijing-parade-2025.toml")
	if err != nil {
		t.Fatal(err)
	}
	type widths struct {
		mean, median float64
		perOutput    []float64 // mean width over the output's indices
		randomness   []float64 // the randomness input's total index per output
	}
	analyse := func(design string, n, replicates int) widths {
		s, _, err := Analyse(context.Background(), f, SensitivityOptions{Method: "sobol", Design: design, N: n, Replicates: replicates, Seed: -1, Out: filepath.Join(t.TempDir(), fmt.Sprint(design, n))})
		if err != nil {
			t.Fatal(err)
		}
		var w widths
		var all []float64
		for _, o := range s.Sobol.Outputs {
			sum, count := 0.0, 0
			for i := range o.S1 {
				for _, e := range []float64{o.S1[i].Hi - o.S1[i].Lo, o.ST[i].Hi - o.ST[i].Lo} {
					if !math.IsNaN(e) {
						all = append(all, e)
						sum += e
						count++
					}
				}
			}
			w.perOutput = append(w.perOutput, sum/float64(count))
			w.randomness = append(w.randomness, o.ST[len(o.ST)-1].Value)
			w.mean += sum
		}
		w.mean /= float64(len(all))
		sort.Float64s(all)
		w.median = all[len(all)/2]
		t.Logf("%-6s design, N = %4d, %2d replicates (%6d runs): %d indices, mean 95%% interval width %.4f, median %.4f",
			design, s.N, s.Replicates, s.Evaluations, len(all), w.mean, w.median)
		return w
	}
	old := analyse("random", 4096, 0)
	var ns []int
	var means []float64
	for _, n := range []int{1024, 2048, 4096, 8192} {
		w := analyse("sobol", n, 0)
		ns, means = append(ns, n), append(means, w.mean)
		if n != 4096 {
			continue
		}
		for k, name := range outputNames(f) {
			t.Logf("  %-28s randomness ST %.2f: mean width random %.4f, quasi-random %.4f (ratio %.2f)",
				name, w.randomness[k], old.perOutput[k], w.perOutput[k], old.perOutput[k]/w.perOutput[k])
		}
	}
	// Width ~ c·N^slope, fitted between the two sizes that bracket the
	// target (or the nearest pair when none does).
	k := len(ns) - 2
	for j := 0; j+1 < len(ns); j++ {
		slope := math.Log(means[j+1]/means[j]) / math.Log(float64(ns[j+1])/float64(ns[j]))
		t.Logf("quasi-random mean width falls as N^%.2f from N = %d to %d", slope, ns[j], ns[j+1])
		if means[j] >= old.mean && old.mean >= means[j+1] {
			k = j
		}
	}
	if old.mean > means[0] {
		k = 0
	}
	slope := math.Log(means[k+1]/means[k]) / math.Log(float64(ns[k+1])/float64(ns[k]))
	match := float64(ns[k]) * math.Pow(old.mean/means[k], 1/slope)
	t.Logf("the quasi-random design matches the random design's mean width at N = 4096 (%d runs) with N ≈ %.0f (%.0f%% of the runs)", 4096*(len(f.Model.Uncertain())+3), match, 100*match/4096)
}

// outputNames lists a scenario's outcomes then events, the outputs of
// its sensitivity analysis.
func outputNames(f *scenario.File) []string {
	var out []string
	for _, oc := range f.Model.Outcomes() {
		out = append(out, oc.Name)
	}
	for _, e := range f.Model.Events() {
		out = append(out, e.Name)
	}
	return out
}
