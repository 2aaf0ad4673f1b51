package batch

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/geosim/geosim/sim/scenario"
)

// copyTree copies a folder (a shard, to tamper with it).
func copyTree(t *testing.T, src, dst string) {
	t.Helper()
	for name, data := range tree(t, src) {
		p := filepath.Join(dst, name)
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// editShard rewrites a shard's shard.json through fn on its decoded
// header; with rehash, it records the content hashes of what is there
// now, as a careful forger would.
func editShard(t *testing.T, dir string, rehashAll bool, fn func(h *shardHeader)) {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, ShardFile))
	if err != nil {
		t.Fatal(err)
	}
	var h shardHeader
	if err := json.Unmarshal(b, &h); err != nil {
		t.Fatal(err)
	}
	fn(&h)
	if rehashAll {
		if h.Result != nil {
			h.ResultSHA256, _ = resultHash(h.Result)
		}
		for name := range h.Files {
			data, _ := os.ReadFile(filepath.Join(dir, name))
			sum := sha256.Sum256(data)
			h.Files[name] = hex.EncodeToString(sum[:])
		}
	}
	b, _ = json.MarshalIndent(h, "", "  ")
	os.WriteFile(filepath.Join(dir, ShardFile), b, 0o644)
}

func editFile(t *testing.T, path string, fn func(b []byte) []byte) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, fn(b), 0o644); err != nil {
		t.Fatal(err)
	}
}

// swapLines swaps lines i and j (0 is the header).
func swapLines(b []byte, i, j int) []byte {
	lines := bytes.SplitAfter(b, []byte("\n"))
	lines[i], lines[j] = lines[j], lines[i]
	return bytes.Join(lines, nil)
}

// TestMergeRejectsTampered: merge verifies what it reads — accumulators
// edited (successes above the runs, negative counts, missing histograms
// that once crashed it), runs.csv rows reordered, foreign, duplicated or
// edited, files changed behind the recorded hashes — and writes nothing.
func TestMergeRejectsTampered(t *testing.T) {
	f, err := scenario.Load("testdata/small.toml")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	var shards []string
	for k := 0; k < 2; k++ {
		d := filepath.Join(dir, fmt.Sprintf("shard-%d", k))
		// 80 runs in groups of 20 replicates: shard 1 holds runs 40-79.
		if _, err := Run(context.Background(), f, RunOptions{Label: "small.toml", Runs: 80, Seed: 3, Out: d, Shard: &Shard{k, 2}}); err != nil {
			t.Fatal(err)
		}
		shards = append(shards, d)
	}
	if _, err := Merge(context.Background(), shards, MergeOptions{Out: filepath.Join(dir, "good")}); err != nil {
		t.Fatalf("untampered shards: %v", err)
	}
	cases := []struct {
		name   string
		tamper func(d string)
		want   string
	}{
		{"successes above runs", func(d string) {
			editShard(t, d, true, func(h *shardHeader) { h.Result.Events[0].Occurred.Successes = 100 })
		}, "successes in 40 trials"},
		{"negative count", func(d string) {
			editShard(t, d, true, func(h *shardHeader) { h.Result.Outcomes[0].Hist.Counts[0] = -1 })
		}, "counts must be non-negative"},
		{"null histogram", func(d string) {
			editShard(t, d, true, func(h *shardHeader) { h.Result.Outcomes[0].Hist = nil })
		}, "histogram missing"},
		{"null first-month histogram", func(d string) {
			editShard(t, d, true, func(h *shardHeader) { h.Result.Events[0].Step = nil })
		}, "first month: histogram missing"},
		{"mean outside min and max", func(d string) {
			editShard(t, d, true, func(h *shardHeader) { h.Result.Outcomes[0].Moments.Max = h.Result.Outcomes[0].Moments.Min })
		}, "outside [min"},
		{"runs miscounted", func(d string) {
			editShard(t, d, true, func(h *shardHeader) { h.Result.Runs = 41 })
		}, "result holds 41 runs"},
		{"accumulators edited, hash not updated", func(d string) {
			editShard(t, d, false, func(h *shardHeader) { h.Result.Events[0].Occurred.Successes = 1 })
		}, "result_sha256"},
		{"rows reordered", func(d string) {
			editFile(t, filepath.Join(d, "runs.csv"), func(b []byte) []byte { return swapLines(b, 1, 2) })
			editShard(t, d, true, func(h *shardHeader) {})
		}, "rows must be the shard's runs in order"},
		{"foreign rows", func(d string) {
			other, _ := os.ReadFile(filepath.Join(shards[0], "runs.csv"))
			os.WriteFile(filepath.Join(d, "runs.csv"), other, 0o644)
			editShard(t, d, true, func(h *shardHeader) {})
		}, `run index "0", expected 40`},
		{"duplicated row", func(d string) {
			editFile(t, filepath.Join(d, "runs.csv"), func(b []byte) []byte {
				lines := bytes.SplitAfter(b, []byte("\n"))
				lines[3] = lines[2]
				return bytes.Join(lines, nil)
			})
			editShard(t, d, true, func(h *shardHeader) {})
		}, "expected 42"},
		{"extra column", func(d string) {
			editFile(t, filepath.Join(d, "runs.csv"), func(b []byte) []byte { return bytes.Replace(b, []byte("run,"), []byte("run,extra,"), 1) })
			editShard(t, d, true, func(h *shardHeader) {})
		}, "header is not the scenario's"},
		{"row truncated", func(d string) {
			editFile(t, filepath.Join(d, "runs.csv"), func(b []byte) []byte { return b[:len(b)-20] })
			editShard(t, d, true, func(h *shardHeader) {})
		}, "runs.csv"},
		{"value edited, hash not updated", func(d string) {
			editFile(t, filepath.Join(d, "runs.csv"), func(b []byte) []byte { return bytes.Replace(b, []byte("\n41,"), []byte("\n41,9"), 1) })
		}, "SHA-256 is not the one the shard recorded"},
		{"text in a row", func(d string) {
			editFile(t, filepath.Join(d, "runs.csv"), func(b []byte) []byte { return bytes.Replace(b, []byte("\n41,"), []byte("\n41,\"x\","), 1) })
			editShard(t, d, true, func(h *shardHeader) {})
		}, "runs.csv holds only numbers"},
	}
	for i, c := range cases {
		bad := filepath.Join(dir, fmt.Sprintf("bad-%d", i))
		copyTree(t, shards[1], bad)
		c.tamper(bad)
		out := filepath.Join(dir, fmt.Sprintf("out-%d", i))
		_, err := Merge(context.Background(), []string{shards[0], bad}, MergeOptions{Out: out})
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: got %v, want an error with %q", c.name, err, c.want)
		}
		if _, statErr := os.Stat(out); !os.IsNotExist(statErr) {
			t.Errorf("%s: a rejected merge wrote its folder", c.name)
		}
	}
}

// TestMergeRejectsTamperedSweepAndSensitivity: sweep point summaries
// swapped between points, replaced by a stub or edited, and edited
// evaluations of a sensitivity shard are rejected.
func TestMergeRejectsTamperedSweepAndSensitivity(t *testing.T) {
	dir := t.TempDir()
	e, err := scenario.LoadExperiment("testdata/tiny-sweep.toml")
	if err != nil {
		t.Fatal(err)
	}
	var sweeps []string
	for k := 0; k < 2; k++ {
		d := filepath.Join(dir, fmt.Sprintf("sweep-%d", k))
		if _, err := Sweep(context.Background(), e, SweepOptions{Out: d, Shard: &Shard{k, 2}}); err != nil {
			t.Fatal(err)
		}
		sweeps = append(sweeps, d)
	}
	point := func(d string, k int, name string) string { return filepath.Join(d, pointDir(k), name) }
	swap := func(a, b string) {
		x, _ := os.ReadFile(a)
		y, _ := os.ReadFile(b)
		os.WriteFile(a, y, 0o644)
		os.WriteFile(b, x, 0o644)
	}
	stub := []byte(`{"provenance":{"tool":"geosim","runs":40}}`)
	cases := []struct {
		name   string
		tamper func(d string)
		want   string
	}{
		{"summaries swapped", func(d string) { swap(point(d, 0, "summary.json"), point(d, 1, "summary.json")) }, "SHA-256 is not the one recorded"},
		{"points swapped", func(d string) {
			swap(point(d, 0, "summary.json"), point(d, 1, "summary.json"))
			swap(point(d, 0, "point.json"), point(d, 1, "point.json"))
		}, "is point 1's, not point 0's"},
		{"stub summary", func(d string) {
			os.WriteFile(point(d, 0, "summary.json"), stub, 0o644)
			sum := sha256.Sum256(stub)
			editFile(t, point(d, 0, "point.json"), func(b []byte) []byte {
				var rec pointRecord
				json.Unmarshal(b, &rec)
				rec.Summary = hex.EncodeToString(sum[:])
				out, _ := json.Marshal(rec)
				return out
			})
		}, "invalid summary"},
		{"record missing", func(d string) { os.Remove(point(d, 1, "point.json")) }, "no point.json"},
	}
	for i, c := range cases {
		bad := filepath.Join(dir, fmt.Sprintf("bad-sweep-%d", i))
		copyTree(t, sweeps[0], bad)
		c.tamper(bad)
		_, err := Merge(context.Background(), []string{bad, sweeps[1]}, MergeOptions{Out: filepath.Join(dir, fmt.Sprintf("out-sweep-%d", i))})
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: got %v, want an error with %q", c.name, err, c.want)
		}
	}

	f, _ := scenario.Load("testdata/small.toml")
	var sens []string
	for k := 0; k < 2; k++ {
		d := filepath.Join(dir, fmt.Sprintf("sens-%d", k))
		if _, _, err := Analyse(context.Background(), f, SensitivityOptions{Method: "sobol", Design: "random", N: 64, Seed: 1, Out: d, Shard: &Shard{k, 2}}); err != nil {
			t.Fatal(err)
		}
		sens = append(sens, d)
	}
	evals := func(d string) string { return filepath.Join(d, EvaluationsFile) }
	sensCases := []struct {
		name   string
		tamper func(d string)
		want   string
	}{
		{"edited", func(d string) {
			editFile(t, evals(d), func(b []byte) []byte { b[3] ^= 1; return b })
		}, "SHA-256 is not the one the shard recorded"},
		{"NaN, rehashed", func(d string) {
			editFile(t, evals(d), func(b []byte) []byte {
				binary.LittleEndian.PutUint64(b, math.Float64bits(math.NaN()))
				return b
			})
			editShard(t, d, true, func(h *shardHeader) {})
		}, "not a value the model gives"},
		{"event not 0 or 1, rehashed", func(d string) {
			editFile(t, evals(d), func(b []byte) []byte {
				binary.LittleEndian.PutUint64(b[8:], math.Float64bits(0.5))
				return b
			})
			editShard(t, d, true, func(h *shardHeader) {})
		}, "not a value the model gives"},
		{"truncated, rehashed", func(d string) {
			editFile(t, evals(d), func(b []byte) []byte { return b[:len(b)-8] })
			editShard(t, d, true, func(h *shardHeader) {})
		}, "expected"},
	}
	for i, c := range sensCases {
		bad := filepath.Join(dir, fmt.Sprintf("bad-sens-%d", i))
		copyTree(t, sens[1], bad)
		c.tamper(bad)
		_, err := Merge(context.Background(), []string{sens[0], bad}, MergeOptions{Out: filepath.Join(dir, fmt.Sprintf("out-sens-%d", i))})
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("sensitivity %s: got %v, want an error with %q", c.name, err, c.want)
		}
	}
}

// TestSweepResumeRejectsStub: a stub summary.json in the work folder (it
// once made points.csv lose every event and outcome column) is not
// trusted: the point runs again, with a note, and the sweep ends
// byte-identical to an uninterrupted one.
func TestSweepResumeRejectsStub(t *testing.T) {
	e, err := scenario.LoadExperiment("testdata/tiny-sweep.toml")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	whole := filepath.Join(dir, "whole")
	if _, err := Sweep(context.Background(), e, SweepOptions{Out: whole}); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "resumed")
	ctx, cancel := context.WithCancel(context.Background())
	Sweep(ctx, e, SweepOptions{Out: out, Progress: func(done, _ int) {
		if done == 2 {
			cancel()
		}
	}})
	work := WorkDir(out)
	stub := []byte(`{"provenance":{"tool":"geosim","runs":40}}`)
	os.WriteFile(pointFile(work, 1), stub, 0o644)
	rep, err := Sweep(context.Background(), e, SweepOptions{Out: out})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Resumed != 1 || len(rep.Notes) != 1 || !strings.Contains(rep.Notes[0], "point 1") {
		t.Errorf("resumed %d, notes %q", rep.Resumed, rep.Notes)
	}
	compareTrees(t, "sweep", tree(t, whole), tree(t, out))
}

// TestSweepRecoversLegacyOld: the NAME.partial.old folder an older
// geosim left when killed between the two renames of its commit is put
// back when the results folder is missing, removed when it is there.
func TestSweepRecoversLegacyOld(t *testing.T) {
	e, err := scenario.LoadExperiment("testdata/tiny-sweep.toml")
	if err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "sw")
	if _, err := Sweep(context.Background(), e, SweepOptions{Out: out}); err != nil {
		t.Fatal(err)
	}
	legacy := WorkDir(out) + ".old"
	if err := os.Rename(out, legacy); err != nil {
		t.Fatal(err)
	}
	os.Remove(filepath.Join(legacy, ".geosim-manifest.json")) // older versions wrote none
	// Force: the restored folder has no manifest, as an older geosim's.
	if _, err := Sweep(context.Background(), e, SweepOptions{Out: out, Force: true}); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(legacy); !os.IsNotExist(err) {
		t.Error("the legacy folder survived")
	}
	copyTree(t, out, legacy)
	if _, err := Sweep(context.Background(), e, SweepOptions{Out: out}); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(legacy); !os.IsNotExist(err) {
		t.Error("the legacy folder survived beside the results")
	}
}
