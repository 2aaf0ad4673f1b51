package batch

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/geosim/geosim/output"
	"github.com/geosim/geosim/plots"
	"github.com/geosim/geosim/sim/scenario"
)

// FuzzMergeShard checks that no shard folder makes geosim merge panic or
// hang: merge rejects it with an error or writes a result of the runs
// the shard declares. The fuzzer's shard.json and runs.csv have their
// recorded hashes recomputed before the merge, so that it explores the
// checks behind them (the accumulators' consistency, runs.csv's rows)
// rather than stopping at the hash. The seed corpus runs with go test;
// go test -fuzz=FuzzMergeShard ./batch explores further (opt-in; results
// in docs/TESTING.md). The charts are left out: FuzzRenderSummary
// covers them.
func FuzzMergeShard(f *testing.F) {
	sc, err := scenario.Load("testdata/small.toml")
	if err != nil {
		f.Fatal(err)
	}
	seed := filepath.Join(f.TempDir(), "shard")
	if _, err := Run(context.Background(), sc, RunOptions{Label: "small.toml", Runs: 20, Seed: 3, Out: seed, Shard: &Shard{0, 1}}); err != nil {
		f.Fatal(err)
	}
	header, _ := os.ReadFile(filepath.Join(seed, ShardFile))
	rows, _ := os.ReadFile(filepath.Join(seed, "runs.csv"))
	f.Add(header, rows)
	f.Add(bytes.Replace(header, []byte(`"successes": 0`), []byte(`"successes": 999`), 1), rows)
	f.Add(bytes.Replace(header, []byte(`"hist": {`), []byte(`"hist": null, "x": {`), 1), rows)
	f.Add(bytes.Replace(header, []byte(`"step": {`), []byte(`"step": null, "x": {`), 1), rows)
	f.Add(header, bytes.Replace(rows, []byte("\n1,"), []byte("\n2,"), 1))
	f.Add([]byte(`{"format":"geosim-shard","format_version":2,"kind":"run"}`), []byte(""))
	renderReport = func(context.Context, plots.FileWriter, *output.Summary) error { return nil }
	f.Cleanup(func() { renderReport = plots.WriteReport })
	f.Fuzz(func(t *testing.T, header, rows []byte) {
		tm := time.AfterFunc(20*time.Second, func() { panic(fmt.Sprintf("hang on %q / %q", header, rows)) })
		defer tm.Stop()
		dir := t.TempDir()
		shard := filepath.Join(dir, "shard")
		os.MkdirAll(shard, 0o755)
		os.WriteFile(filepath.Join(shard, ShardFile), rehash(header, rows), 0o644)
		os.WriteFile(filepath.Join(shard, "runs.csv"), rows, 0o644)
		rep, err := Merge(context.Background(), []string{shard}, MergeOptions{Out: filepath.Join(dir, "out")})
		if err != nil {
			return
		}
		if rep.Summary != nil {
			if err := rep.Summary.Validate(); err != nil {
				t.Fatalf("merge wrote a summary that fails validation: %v", err)
			}
		}
	})
}

// rehash sets a shard header's result_sha256 and runs.csv SHA-256 to
// those of its (possibly mutated) content, when it decodes.
func rehash(header, rows []byte) []byte {
	var h shardHeader
	if json.Unmarshal(header, &h) != nil {
		return header
	}
	if h.Result != nil {
		h.ResultSHA256, _ = resultHash(h.Result)
	}
	sum := sha256.Sum256(rows)
	if h.Files == nil {
		h.Files = map[string]string{}
	}
	h.Files["runs.csv"] = hex.EncodeToString(sum[:])
	b, err := json.Marshal(h)
	if err != nil {
		return header
	}
	return b
}
