package batch

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/geosim/geosim/internal/version"
	"github.com/geosim/geosim/output"
	"github.com/geosim/geosim/sim"
	"github.com/geosim/geosim/sim/scenario"
)

// ShardFile is the file that makes a folder a shard: its header and, for
// runs, its accumulated result. The format is documented in
// docs/SCALING.md.
const ShardFile = "shard.json"

// ShardFormat and ShardFormatVersion identify the shard file format.
const (
	ShardFormat        = "geosim-shard"
	ShardFormatVersion = 2 // 2: the moments' sum_sq is Σq² exactly, three 64-bit words
)

// shardHeader is shard.json.
type shardHeader struct {
	Format        string            `json:"format"`
	FormatVersion int               `json:"format_version"`
	Kind          string            `json:"kind"` // run, sweep, sensitivity or backtest
	Tool          string            `json:"tool"`
	Version       string            `json:"version"`
	Path          string            `json:"path"`               // the scenario or experiment as named on the command line
	Template      string            `json:"template,omitempty"` // backtest: the template used instead of the file's, if any
	SHA256        string            `json:"sha256"`             // its hash (with its bases)
	Sources       map[string]string `json:"sources"`
	Seed          uint64            `json:"seed"`
	Total         int               `json:"total"`          // runs, design points, sample rows or origins in all shards
	Runs          int               `json:"runs,omitempty"` // backtest: runs per origin
	Shard         int               `json:"shard"`
	Shards        int               `json:"shards"`
	Unit          int               `json:"unit,omitempty"` // blocks are whole units of this many items (runs: the replicates)
	First         int               `json:"first"`          // the shard's block [first, first+count)
	Count         int               `json:"count"`
	Created       string            `json:"created"`

	Result      *sim.Result      `json:"result,omitempty"`      // run: the shard's accumulators
	NoRows      bool             `json:"no_runs_csv,omitempty"` // run: no runs.csv was written
	Sensitivity *sensitivityPart `json:"sensitivity,omitempty"` // sensitivity: method and size
}

func sources(m map[string][]byte) map[string]string {
	out := map[string]string{}
	for k, v := range m {
		out[k] = string(v)
	}
	return out
}

func sourceBytes(m map[string]string) map[string][]byte {
	out := map[string][]byte{}
	for k, v := range m {
		out[k] = []byte(v)
	}
	return out
}

func newHeader(kind, path, hash string, src map[string][]byte, seed uint64, total, unit int, s Shard) shardHeader {
	lo, hi := s.RangeBy(total, unit)
	if unit <= 1 {
		unit = 0
	}
	return shardHeader{Format: ShardFormat, FormatVersion: ShardFormatVersion, Kind: kind, Tool: "geosim", Version: version.Version,
		Path: path, SHA256: hash, Sources: sources(src), Seed: seed, Total: total, Unit: unit, Shard: s.K, Shards: s.N,
		First: lo, Count: hi - lo, Created: time.Now().UTC().Format(time.RFC3339)}
}

func newRunShard(f *scenario.File, label string, seed uint64, runs int, s Shard, first, count int, res *sim.Result) shardHeader {
	h := newHeader("run", label, f.Hash, f.Sources(), seed, runs, f.Model.Replicates(), s)
	h.Result = res
	return h
}

// shardDir is a shard folder and its header.
type shardDir struct {
	dir string
	h   shardHeader
}

// readShards reads and cross-checks shard folders: they must be shards of
// the same kind, of the same scenario or experiment (same hash), seed,
// size, shard count and tool version; none may be missing or repeated.
// Every problem is reported at once, naming the folders concerned.
func readShards(dirs []string) ([]shardDir, error) {
	if len(dirs) == 0 {
		return nil, errors.New("merge needs at least one shard folder")
	}
	var probs []string
	var shards []shardDir
	for _, d := range dirs {
		b, err := os.ReadFile(filepath.Join(d, ShardFile))
		if err != nil {
			probs = append(probs, fmt.Sprintf("%s: not a geosim shard folder (no readable %s)", d, ShardFile))
			continue
		}
		var h shardHeader
		if err := json.Unmarshal(b, &h); err != nil || h.Format != ShardFormat {
			probs = append(probs, fmt.Sprintf("%s: %s is not a geosim shard file", d, ShardFile))
			continue
		}
		if h.FormatVersion != ShardFormatVersion {
			probs = append(probs, fmt.Sprintf("%s: shard format version %d; this geosim reads version %d", d, h.FormatVersion, ShardFormatVersion))
			continue
		}
		shards = append(shards, shardDir{d, h})
	}
	if len(probs) > 0 {
		return nil, errors.New(strings.Join(probs, "\n"))
	}
	ref := shards[0]
	for _, s := range shards[1:] {
		check := func(what string, a, b any) {
			if a != b {
				probs = append(probs, fmt.Sprintf("%s (shard %d/%d): %s %v differs from %v in %s", s.dir, s.h.Shard, s.h.Shards, what, b, a, ref.dir))
			}
		}
		check("kind", ref.h.Kind, s.h.Kind)
		check("geosim version", ref.h.Version, s.h.Version)
		check("scenario SHA-256", ref.h.SHA256, s.h.SHA256)
		check("seed", ref.h.Seed, s.h.Seed)
		check("size (runs, points, rows or origins)", ref.h.Total, s.h.Total)
		check("runs per origin", ref.h.Runs, s.h.Runs)
		check("shard count", ref.h.Shards, s.h.Shards)
		check("unit (replicates)", ref.h.Unit, s.h.Unit)
		check("no_runs_csv", ref.h.NoRows, s.h.NoRows)
	}
	if len(probs) > 0 {
		return nil, errors.New(strings.Join(probs, "\n"))
	}
	byK := map[int]string{}
	for _, s := range shards {
		if prev, dup := byK[s.h.Shard]; dup {
			probs = append(probs, fmt.Sprintf("%s and %s are both shard %d/%d", prev, s.dir, s.h.Shard, s.h.Shards))
			continue
		}
		byK[s.h.Shard] = s.dir
		lo, hi := Shard{s.h.Shard, s.h.Shards}.RangeBy(s.h.Total, s.h.Unit)
		if s.h.First != lo || s.h.Count != hi-lo {
			probs = append(probs, fmt.Sprintf("%s: shard %d/%d covers [%d, %d), expected [%d, %d)", s.dir, s.h.Shard, s.h.Shards, s.h.First, s.h.First+s.h.Count, lo, hi))
		}
	}
	var missing []string
	for k := 0; k < ref.h.Shards; k++ {
		if _, ok := byK[k]; !ok {
			missing = append(missing, fmt.Sprint(k))
		}
	}
	if len(missing) > 0 {
		probs = append(probs, fmt.Sprintf("shards %s of %d are missing (have %d folders)", strings.Join(missing, ", "), ref.h.Shards, len(byK)))
	}
	if len(probs) > 0 {
		return nil, errors.New(strings.Join(probs, "\n"))
	}
	sort.Slice(shards, func(i, j int) bool { return shards[i].h.Shard < shards[j].h.Shard })
	return shards, nil
}

// MergeReport says what a merge did.
type MergeReport struct {
	Kind    string
	Dir     string
	Shards  int
	Summary *output.Summary // for runs
}

// Merge combines shard folders into the folder one machine would have
// written: byte-identical summary.json, runs.csv and timeseries.csv for
// runs (and the same charts and report), the same points and charts for
// sweeps, the same indices for sensitivity analyses, the same
// forecasts.csv and scores.json for backtests.
func Merge(ctx context.Context, dirs []string, out string) (*MergeReport, error) {
	shards, err := readShards(dirs)
	if err != nil {
		return nil, err
	}
	switch shards[0].h.Kind {
	case "run":
		return mergeRun(ctx, shards, out)
	case "sweep":
		return mergeSweep(ctx, shards, out)
	case "sensitivity":
		return mergeSensitivity(ctx, shards, out)
	case "backtest":
		return mergeBacktest(ctx, shards, out)
	}
	return nil, fmt.Errorf("%s: unknown shard kind %q", shards[0].dir, shards[0].h.Kind)
}

func mergeRun(ctx context.Context, shards []shardDir, out string) (*MergeReport, error) {
	h := shards[0].h
	f, err := scenario.LoadSources(sourcePath(h), sourceBytes(h.Sources))
	if err != nil {
		return nil, fmt.Errorf("%s: the scenario carried by the shard does not load: %w", shards[0].dir, err)
	}
	if f.Hash != h.SHA256 {
		return nil, fmt.Errorf("%s: the scenario carried by the shard has SHA-256 %s, not %s", shards[0].dir, f.Hash, h.SHA256)
	}
	total := sim.NewResult(f.Model)
	for _, s := range shards {
		if s.h.Result == nil {
			return nil, fmt.Errorf("%s: shard has no result", s.dir)
		}
		s.h.Result.Restore()
		if err := total.Merge(s.h.Result); err != nil {
			return nil, fmt.Errorf("%s: %w", s.dir, err)
		}
	}
	if total.Runs != int64(h.Total) {
		return nil, fmt.Errorf("merged %d runs, the shards declare %d", total.Runs, h.Total)
	}
	if out == "" {
		out = filepath.Join("out", f.Model.Name())
	}
	var rows bytes.Buffer
	for i, s := range shards {
		if h.NoRows {
			break
		}
		b, err := os.ReadFile(filepath.Join(s.dir, "runs.csv"))
		if err != nil {
			return nil, fmt.Errorf("%s: %w", s.dir, err)
		}
		header, body, _ := bytes.Cut(b, []byte("\n"))
		if i == 0 {
			rows.Write(header)
			rows.WriteByte('\n')
		}
		if n := bytes.Count(body, []byte("\n")); n != s.h.Count {
			return nil, fmt.Errorf("%s: runs.csv has %d rows, the shard ran %d runs", s.dir, n, s.h.Count)
		}
		rows.Write(body)
	}
	s := output.Summarize(f.Model, total, output.NewProvenance(h.Path, h.SHA256, h.Seed, total.Runs))
	err = output.Write(out, func(folder *output.Folder) error {
		if !h.NoRows {
			if err := folder.WriteFile("runs.csv", rows.Bytes()); err != nil {
				return err
			}
		}
		if err := WriteRunResults(folder, s); err != nil {
			return err
		}
		if err := folder.WriteJSON("run.json", mergeInfo(shards)); err != nil {
			return err
		}
		return ctx.Err()
	})
	if err != nil {
		return nil, err
	}
	return &MergeReport{Kind: "run", Dir: out, Shards: len(shards), Summary: s}, nil
}

// sourcePath is the key of the main file among a shard's sources: the
// one no other source names as its base. Shards record the path they
// were given, which for the embedded flagship carries a suffix.
func sourcePath(h shardHeader) string {
	if _, ok := h.Sources[h.Path]; ok {
		return h.Path
	}
	p := strings.TrimSuffix(h.Path, " (embedded)")
	if _, ok := h.Sources[p]; ok {
		return p
	}
	for k := range h.Sources {
		return k
	}
	return h.Path
}

// mergeInfo is the run.json of a merge: what is not deterministic.
func mergeInfo(shards []shardDir) any {
	var list []map[string]any
	for _, s := range shards {
		list = append(list, map[string]any{"dir": filepath.ToSlash(s.dir), "shard": s.h.Shard, "first": s.h.First, "count": s.h.Count, "created": s.h.Created})
	}
	return map[string]any{"merged": time.Now().UTC().Format(time.RFC3339), "shards": list}
}
