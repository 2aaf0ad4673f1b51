package batch

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/geosim/geosim/sim/scenario"
)

var deterministicRunFiles = []string{"summary.json", "runs.csv", "timeseries.csv"}

func runShards(t *testing.T, f *scenario.File, dir string, runs, n int) []string {
	t.Helper()
	var dirs []string
	for k := 0; k < n; k++ {
		d := filepath.Join(dir, fmt.Sprintf("shard-%d-of-%d", k, n))
		if _, err := Run(context.Background(), f, RunOptions{Label: "flagship.toml", Runs: runs, Seed: 11, Out: d, Shard: &Shard{k, n}}); err != nil {
			t.Fatal(err)
		}
		dirs = append(dirs, d)
	}
	return dirs
}

// TestMergeRunByteIdentical: 1, 3 and 7 shards merged give the same
// summary.json, runs.csv and timeseries.csv, byte for byte, as one
// unsharded run — and the same charts and report.
func TestMergeRunByteIdentical(t *testing.T) {
	f, err := scenario.Load("../scenarios/beijing-parade-2025.toml")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	const runs = 1000
	whole := filepath.Join(dir, "whole")
	if _, err := Run(context.Background(), f, RunOptions{Label: "flagship.toml", Runs: runs, Seed: 11, Out: whole}); err != nil {
		t.Fatal(err)
	}
	want := tree(t, whole)
	for _, n := range []int{1, 3, 7} {
		shards := runShards(t, f, filepath.Join(dir, fmt.Sprint(n)), runs, n)
		// Merge in a scrambled order: the result must not depend on it.
		for i, j := 0, len(shards)-1; i < j; i, j = i+1, j-1 {
			shards[i], shards[j] = shards[j], shards[i]
		}
		merged := filepath.Join(dir, fmt.Sprintf("merged-%d", n))
		if _, err := Merge(context.Background(), shards, MergeOptions{Out: merged}); err != nil {
			t.Fatalf("%d shards: %v", n, err)
		}
		got := tree(t, merged)
		for name, data := range want {
			if name == "run.json" {
				continue
			}
			if !bytes.Equal(data, got[name]) {
				t.Errorf("%d shards: %s differs from the unsharded run", n, name)
			}
		}
	}
}

// TestMergeRejects: missing, duplicated and mismatched shards are
// rejected with errors naming the culprits.
func TestMergeRejects(t *testing.T) {
	f, err := scenario.Load("../scenarios/beijing-parade-2025.toml")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	shards := runShards(t, f, dir, 600, 3)
	other := filepath.Join(dir, "other-seed")
	if _, err := Run(context.Background(), f, RunOptions{Label: "flagship.toml", Runs: 600, Seed: 12, Out: other, Shard: &Shard{2, 3}}); err != nil {
		t.Fatal(err)
	}
	variant, _ := scenario.Load("../scenarios/early-ceasefire.toml")
	otherScenario := filepath.Join(dir, "other-scenario")
	if _, err := Run(context.Background(), variant, RunOptions{Label: "v.toml", Runs: 600, Seed: 11, Out: otherScenario, Shard: &Shard{2, 3}}); err != nil {
		t.Fatal(err)
	}
	// Shard 2 again, as if made by a build that fuses multiply-adds.
	otherArith := filepath.Join(dir, "other-arithmetic")
	if _, err := Run(context.Background(), f, RunOptions{Label: "flagship.toml", Runs: 600, Seed: 11, Out: otherArith, Shard: &Shard{2, 3}}); err != nil {
		t.Fatal(err)
	}
	setShardArithmetic(t, otherArith, "arm64 GOARM64=v8.0")
	notShard := filepath.Join(dir, "plain")
	os.MkdirAll(notShard, 0o755)
	cases := []struct {
		name string
		dirs []string
		want []string
	}{
		{"missing", shards[:2], []string{"shards 2 of 3 are missing"}},
		{"duplicated", []string{shards[0], shards[1], shards[1], shards[2]}, []string{"are both shard 1/3", shards[1]}},
		{"other seed", []string{shards[0], shards[1], other}, []string{other, "seed 12 differs from 11"}},
		{"other scenario", []string{shards[0], shards[1], otherScenario}, []string{otherScenario, "scenario SHA-256"}},
		{"other arithmetic", []string{shards[0], shards[1], otherArith}, []string{otherArith, `arithmetic "arm64 GOARM64=v8.0"`, "Mixing machines"}},
		{"not a shard", []string{shards[0], notShard}, []string{notShard, "not a geosim shard folder"}},
	}
	for _, c := range cases {
		_, err := Merge(context.Background(), c.dirs, MergeOptions{Out: filepath.Join(dir, "out-"+c.name)})
		if err == nil {
			t.Errorf("%s: merged", c.name)
			continue
		}
		for _, w := range c.want {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("%s: %q lacks %q", c.name, err, w)
			}
		}
		if _, statErr := os.Stat(filepath.Join(dir, "out-"+c.name)); !os.IsNotExist(statErr) {
			t.Errorf("%s: a failed merge left its output folder", c.name)
		}
	}
}

// TestMergeSweepAndSensitivity: sharded sweeps and sensitivity analyses
// merge into the same files as unsharded ones.
func TestMergeSweepAndSensitivity(t *testing.T) {
	dir := t.TempDir()
	e, err := scenario.LoadExperiment("testdata/small-sweep.toml")
	if err != nil {
		t.Fatal(err)
	}
	whole := filepath.Join(dir, "sweep")
	if _, err := Sweep(context.Background(), e, SweepOptions{Out: whole}); err != nil {
		t.Fatal(err)
	}
	var parts []string
	for k := 0; k < 2; k++ {
		d := filepath.Join(dir, fmt.Sprintf("sweep-shard-%d", k))
		if _, err := Sweep(context.Background(), e, SweepOptions{Out: d, Shard: &Shard{k, 2}}); err != nil {
			t.Fatal(err)
		}
		parts = append(parts, d)
	}
	merged := filepath.Join(dir, "sweep-merged")
	if _, err := Merge(context.Background(), parts, MergeOptions{Out: merged}); err != nil {
		t.Fatal(err)
	}
	compareTrees(t, "sweep", tree(t, whole), tree(t, merged))

	f, _ := scenario.Load("../scenarios/beijing-parade-2025.toml")
	// The quasi-random default (N = 100 is rounded to 128, and the merged
	// output must say so too) and the pseudo-random design; three shards
	// cut the replicates' blocks of rows anywhere.
	for _, design := range []string{"", "random"} {
		wholeS := filepath.Join(dir, "sens"+design)
		if _, _, err := Analyse(context.Background(), f, SensitivityOptions{Method: "sobol", Design: design, N: 100, Seed: 1, Out: wholeS}); err != nil {
			t.Fatal(err)
		}
		parts = nil
		for k := 0; k < 3; k++ {
			d := filepath.Join(dir, fmt.Sprintf("sens%s-shard-%d", design, k))
			if _, _, err := Analyse(context.Background(), f, SensitivityOptions{Method: "sobol", Design: design, N: 100, Seed: 1, Out: d, Shard: &Shard{k, 3}}); err != nil {
				t.Fatal(err)
			}
			parts = append(parts, d)
		}
		mergedS := filepath.Join(dir, "sens"+design+"-merged")
		if _, err := Merge(context.Background(), parts, MergeOptions{Out: mergedS}); err != nil {
			t.Fatal(err)
		}
		compareTrees(t, "sensitivity "+design, tree(t, wholeS), tree(t, mergedS))
		if design == "" && !strings.Contains(string(tree(t, mergedS)["sensitivity.json"]), "N = 100 rounded to 128") {
			t.Error("the merged quasi-random analysis does not say N was rounded")
		}
	}
}

func compareTrees(t *testing.T, what string, a, b map[string][]byte) {
	t.Helper()
	if len(a) != len(b) {
		t.Errorf("%s: %d files unsharded, %d merged", what, len(a), len(b))
	}
	for name, data := range a {
		if !bytes.Equal(data, b[name]) {
			t.Errorf("%s: %s differs between the unsharded and the merged output", what, name)
		}
	}
}

func TestParseShard(t *testing.T) {
	if s, err := ParseShard("2/5"); err != nil || s != (Shard{2, 5}) {
		t.Errorf("2/5: %v %v", s, err)
	}
	for _, bad := range []string{"5/5", "-1/3", "1/0", "a/b", "1/3x", "1"} {
		if _, err := ParseShard(bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
	total := 0
	for k := 0; k < 7; k++ {
		lo, hi := Shard{k, 7}.Range(1000)
		if lo != total {
			t.Fatalf("shard %d starts at %d, previous ended at %d", k, lo, total)
		}
		total = hi
	}
	if total != 1000 {
		t.Errorf("shards cover %d of 1000", total)
	}
}

// setShardArithmetic rewrites the arithmetic recorded in a shard
// folder's shard.json, leaving every other byte as it is (the result's
// hash covers its exact encoding).
func setShardArithmetic(t *testing.T, dir, value string) {
	t.Helper()
	file := filepath.Join(dir, ShardFile)
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	field := regexp.MustCompile(`"arithmetic": *"[^"]*"`)
	if !field.Match(b) {
		t.Fatalf("%s records no arithmetic", file)
	}
	b = field.ReplaceAll(b, []byte(`"arithmetic": "`+value+`"`))
	if err := os.WriteFile(file, b, 0o644); err != nil {
		t.Fatal(err)
	}
}
