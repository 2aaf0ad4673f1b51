package batch

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/geosim/geosim/sim/scenario"
)

// sameFiles compares two result folders file by file, except run.json
// (timings) which is expected to differ.
func sameFiles(t *testing.T, a, b string) {
	t.Helper()
	ta, tb := tree(t, a), tree(t, b)
	if len(ta) != len(tb) {
		t.Errorf("%s has %d files, %s has %d", a, len(ta), b, len(tb))
	}
	for name, data := range ta {
		if name == "run.json" {
			continue
		}
		if !bytes.Equal(data, tb[name]) {
			t.Errorf("%s differs between %s and %s", name, a, b)
		}
	}
}

func loadSmallBacktest(t *testing.T) *scenario.Backtest {
	t.Helper()
	b, err := scenario.LoadBacktest("../backtest/testdata/small.toml")
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestBacktestResumeAndShards: a backtest interrupted after two origins,
// run again with one worker instead of two, resumes to the same bytes as
// an uninterrupted one (also after a simulated kill that left a
// half-written file), and three shards merged give the same
// forecasts.csv, scores.json, charts and report.
func TestBacktestResumeAndShards(t *testing.T) {
	b := loadSmallBacktest(t)
	dir := t.TempDir()
	opts := func(out string) BacktestOptions {
		return BacktestOptions{Out: filepath.Join(dir, out), Runs: 120, Seed: -1, Workers: 2}
	}

	whole := opts("whole")
	rep, err := Backtest(context.Background(), b, whole)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Questions != 35 || rep.Dropped != 5 || rep.Origins != 4 || rep.Runs != 120 {
		t.Errorf("report %+v", rep)
	}
	for _, f := range []string{"forecasts.csv", "scores.json", "reliability.png", "skill.png", "timeline-launch.png", "report.html", "origins/2015-07.json", "run.json"} {
		if _, err := os.Stat(filepath.Join(whole.Out, f)); err != nil {
			t.Error(err)
		}
	}

	resumed := opts("resumed")
	ctx, cancel := context.WithCancel(context.Background())
	resumed.Progress = func(done, _ int) {
		if done == 2 {
			cancel()
		}
	}
	if _, err := Backtest(ctx, b, resumed); !errors.Is(err, context.Canceled) {
		t.Fatalf("interrupted backtest: %v", err)
	}
	if _, err := os.Stat(resumed.Out); !os.IsNotExist(err) {
		t.Fatal("an interrupted backtest left a final folder")
	}
	os.WriteFile(filepath.Join(WorkDir(resumed.Out), "origins", ".2015-01.json.tmp-123"), []byte("{half"), 0o644)
	resumed.Progress, resumed.Workers = nil, 1
	rep, err = Backtest(context.Background(), b, resumed)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Resumed != 2 {
		t.Errorf("resumed %d origins, want 2", rep.Resumed)
	}
	sameFiles(t, whole.Out, resumed.Out)

	var shards []string
	for k := range 3 {
		s := opts("shard" + string(rune('0'+k)))
		s.Shard = &Shard{K: k, N: 3}
		if _, err := Backtest(context.Background(), b, s); err != nil {
			t.Fatal(err)
		}
		shards = append(shards, s.Out)
	}
	merged := filepath.Join(dir, "merged")
	mr, err := Merge(context.Background(), shards, MergeOptions{Out: merged})
	if err != nil {
		t.Fatal(err)
	}
	if mr.Kind != "backtest" || mr.Shards != 3 {
		t.Errorf("merge report %+v", mr)
	}
	sameFiles(t, whole.Out, merged)

	if _, err := Merge(context.Background(), shards[:2], MergeOptions{Out: filepath.Join(dir, "m2")}); err == nil || !strings.Contains(err.Error(), "missing") {
		t.Errorf("merging two of three shards: %v", err)
	}
}

// TestBacktestDiscardsStalePartial: partial results of another seed are
// discarded, not mixed in.
func TestBacktestDiscardsStalePartial(t *testing.T) {
	b := loadSmallBacktest(t)
	out := filepath.Join(t.TempDir(), "bt")
	ctx, cancel := context.WithCancel(context.Background())
	o := BacktestOptions{Out: out, Runs: 50, Seed: 1, Progress: func(done, _ int) {
		if done == 1 {
			cancel()
		}
	}}
	Backtest(ctx, b, o)
	o.Seed, o.Progress = 2, nil
	rep, err := Backtest(context.Background(), b, o)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Resumed != 0 || !strings.Contains(rep.Discard, "different backtest, seed") {
		t.Errorf("resumed %d, discard %q", rep.Resumed, rep.Discard)
	}
}

// TestBacktestOldFormatPartial: partial results saved before the origin
// files carried the counts by replicate group (no "format" in the
// manifest or the origin files) are discarded with a note, and an
// old-format origin file under a current manifest is recomputed, not
// read as zero groups; either way the result is the uninterrupted one.
func TestBacktestOldFormatPartial(t *testing.T) {
	b := loadSmallBacktest(t)
	dir := t.TempDir()
	whole := BacktestOptions{Out: filepath.Join(dir, "whole"), Runs: 60, Seed: -1}
	if _, err := Backtest(context.Background(), b, whole); err != nil {
		t.Fatal(err)
	}
	// oldFormat rewrites a JSON file as the previous format had it.
	oldFormat := func(file string) {
		t.Helper()
		var v map[string]any
		raw, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal(raw, &v); err != nil {
			t.Fatal(err)
		}
		delete(v, "format")
		if qs, ok := v["questions"].([]any); ok {
			for _, q := range qs {
				delete(q.(map[string]any), "grouped")
			}
		}
		raw, _ = json.Marshal(v)
		if err := os.WriteFile(file, raw, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	interrupted := func(out string) string {
		ctx, cancel := context.WithCancel(context.Background())
		o := BacktestOptions{Out: out, Runs: 60, Seed: -1, Progress: func(done, _ int) {
			if done == 2 {
				cancel()
			}
		}}
		if _, err := Backtest(ctx, b, o); !errors.Is(err, context.Canceled) {
			t.Fatalf("interrupted backtest: %v", err)
		}
		return WorkDir(out)
	}

	old := filepath.Join(dir, "old")
	work := interrupted(old)
	oldFormat(filepath.Join(work, "manifest.json"))
	oldFormat(filepath.Join(work, "origins", "2014-01.json"))
	rep, err := Backtest(context.Background(), b, BacktestOptions{Out: old, Runs: 60, Seed: -1})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Resumed != 0 || !strings.Contains(rep.Discard, "older geosim") {
		t.Errorf("resumed %d, discard %q", rep.Resumed, rep.Discard)
	}
	sameFiles(t, whole.Out, old)

	mixed := filepath.Join(dir, "mixed")
	work = interrupted(mixed)
	oldFormat(filepath.Join(work, "origins", "2014-01.json"))
	rep, err = Backtest(context.Background(), b, BacktestOptions{Out: mixed, Runs: 60, Seed: -1})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Resumed != 1 || rep.Discard != "" {
		t.Errorf("resumed %d (want 1: the old-format origin recomputed), discard %q", rep.Resumed, rep.Discard)
	}
	sameFiles(t, whole.Out, mixed)
}
