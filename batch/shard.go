package batch

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
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
// Version 2 added the content hashes (result_sha256, files).
const (
	ShardFormat        = "geosim-shard"
	ShardFormatVersion = 3 // 2: sum_sq is Σq² exactly (three 64-bit words); 3: content hashes, replicate units
)

// maxShardBytes bounds shard.json (the flagship's is 0.7 MB).
const maxShardBytes = 256 << 20

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
	// Arithmetic is arithmetic() of the machine and build that made the
	// shard (empty in shards made before it was recorded).
	Arithmetic string `json:"arithmetic,omitempty"`

	Result       *sim.Result       `json:"result,omitempty"`        // run: the shard's accumulators
	ResultSHA256 string            `json:"result_sha256,omitempty"` // run: SHA-256 of the result's JSON encoding
	NoRows       bool              `json:"no_runs_csv,omitempty"`   // run: no runs.csv was written
	Sensitivity  *sensitivityPart  `json:"sensitivity,omitempty"`   // sensitivity: method and size
	Files        map[string]string `json:"files,omitempty"`         // SHA-256 of the shard's data files (runs.csv, evaluations.bin)
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
		First: lo, Count: hi - lo, Created: time.Now().UTC().Format(time.RFC3339), Arithmetic: arithmetic(), Files: map[string]string{}}
}

func newRunShard(f *scenario.File, label string, seed uint64, runs int, s Shard, res *sim.Result) (shardHeader, error) {
	h := newHeader("run", label, f.Hash, f.Sources(), seed, runs, f.Model.Replicates(), s)
	h.Result = res
	sum, err := resultHash(res)
	h.ResultSHA256 = sum
	return h, err
}

// resultHash is the SHA-256 of a result's JSON encoding, which is the
// same after a round trip through shard.json.
func resultHash(r *sim.Result) (string, error) {
	b, err := json.Marshal(r)
	if err != nil {
		return "", err
	}
	return sha256Hex(b), nil
}

// shardDir is a shard folder and its header.
type shardDir struct {
	dir string
	h   shardHeader
}

// readShard reads one shard folder's header and checks what can be
// checked alone: format, kind, a consistent block, content hashes
// present (and, for runs, the accumulators' hash).
func readShard(d string) (shardDir, error) {
	b, err := output.ReadLimited(filepath.Join(d, ShardFile), maxShardBytes)
	if err != nil {
		return shardDir{}, fmt.Errorf("%s: not a geosim shard folder (no readable %s: %v)", d, ShardFile, err)
	}
	var h shardHeader
	if err := json.Unmarshal(b, &h); err != nil || h.Format != ShardFormat {
		return shardDir{}, fmt.Errorf("%s: %s is not a geosim shard file", d, ShardFile)
	}
	if h.FormatVersion != ShardFormatVersion {
		return shardDir{}, fmt.Errorf("%s: shard format version %d; this geosim reads version %d (run the shard again with this geosim)", d, h.FormatVersion, ShardFormatVersion)
	}
	var probs []string
	bad := func(format string, args ...any) { probs = append(probs, fmt.Sprintf(format, args...)) }
	if h.Tool != "geosim" {
		bad("tool %q is not geosim", h.Tool)
	}
	maxTotal := map[string]int{"run": sim.MaxRuns, "sweep": maxSweepPoints, "sensitivity": maxSensitivityRows, "backtest": maxBacktestOrigins}[h.Kind]
	if maxTotal == 0 {
		bad("unknown shard kind %q", h.Kind)
	} else if h.Total < 1 || h.Total > maxTotal {
		bad("total %d is not between 1 and %d", h.Total, maxTotal)
	}
	if h.Unit < 0 || h.Unit > sim.MaxReplicates {
		bad("unit %d is not between 0 and %d", h.Unit, sim.MaxReplicates)
	}
	if h.Shards < 1 || h.Shards > maxShards || h.Shard < 0 || h.Shard >= h.Shards {
		bad("shard %d/%d: need 0 <= K < N <= %d", h.Shard, h.Shards, maxShards)
	} else if h.Total >= 1 {
		lo, hi := (Shard{h.Shard, h.Shards}).RangeBy(h.Total, h.Unit)
		if h.First != lo || h.Count != hi-lo || h.Count < 1 {
			bad("shard %d/%d covers [%d, %d), expected [%d, %d)", h.Shard, h.Shards, h.First, h.First+h.Count, lo, hi)
		}
	}
	if len(h.Sources) == 0 {
		bad("carries no scenario or experiment (sources)")
	}
	switch h.Kind {
	case "run":
		if h.Result == nil {
			bad("has no result")
		} else if sum, err := resultHash(h.Result); err != nil || sum != h.ResultSHA256 {
			bad("its result does not match its result_sha256: the accumulators were edited or damaged")
		} else if h.Result.Runs != int64(h.Count) {
			bad("its result holds %d runs, the shard ran %d", h.Result.Runs, h.Count)
		}
		if !h.NoRows && len(h.Files["runs.csv"]) != 64 {
			bad("records no SHA-256 of runs.csv")
		}
	case "sensitivity":
		if h.Sensitivity == nil {
			bad("sensitivity shard without its method")
		}
		if len(h.Files[EvaluationsFile]) != 64 {
			bad("records no SHA-256 of %s", EvaluationsFile)
		}
	}
	if len(probs) > 0 {
		return shardDir{}, fmt.Errorf("%s: %s", d, strings.Join(probs, "; "))
	}
	return shardDir{d, h}, nil
}

// Limits on what a shard may declare.
const (
	maxShards          = 100_000
	maxSweepPoints     = 100_000
	maxSensitivityRows = 1 << 30
	maxBacktestOrigins = 100_000
)

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
		s, err := readShard(d)
		if err != nil {
			probs = append(probs, err.Error())
			continue
		}
		shards = append(shards, s)
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
		if ref.h.Arithmetic != "" && s.h.Arithmetic != "" && ref.h.Arithmetic != s.h.Arithmetic {
			probs = append(probs, fmt.Sprintf("%s (shard %d/%d) was computed with arithmetic %q, %s with %q: their runs could differ in the last bits from one machine's; run every shard with the same geosim binary on machines of one kind (docs/SCALING.md, \"Mixing machines\")",
				s.dir, s.h.Shard, s.h.Shards, s.h.Arithmetic, ref.dir, ref.h.Arithmetic))
		}
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
	}
	var missing []string
	for k := 0; k < ref.h.Shards && len(missing) < 20; k++ {
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

// MergeOptions says where a merge writes (see output.Target).
type MergeOptions struct {
	Out     string   // "": the unsharded command's default folder
	Force   bool     // replace a folder geosim did not write
	Command []string // the command line, for the folder's manifest
}

// Merge combines shard folders into the folder one machine would have
// written: byte-identical summary.json, runs.csv and timeseries.csv for
// runs (and the same charts and report), the same points and charts for
// sweeps, the same indices for sensitivity analyses, the same
// forecasts.csv and scores.json for backtests. Everything read is
// verified first — content hashes, the parameters each shard was made
// with, the accumulators' consistency — and runs.csv is streamed, so
// memory does not grow with the number of runs.
func Merge(ctx context.Context, dirs []string, o MergeOptions) (*MergeReport, error) {
	shards, err := readShards(dirs)
	if err != nil {
		return nil, err
	}
	switch shards[0].h.Kind {
	case "run":
		return mergeRun(ctx, shards, o)
	case "sweep":
		return mergeSweep(ctx, shards, o)
	case "sensitivity":
		return mergeSensitivity(ctx, shards, o)
	case "backtest":
		return mergeBacktest(ctx, shards, o)
	}
	return nil, fmt.Errorf("%s: unknown shard kind %q", shards[0].dir, shards[0].h.Kind)
}

func (o MergeOptions) target(out, kind string, shards []shardDir) output.Target {
	t := output.Target{Dir: out, Kind: kind, Force: o.Force, Command: o.Command}
	for _, s := range shards {
		t.Inputs = append(t.Inputs, s.dir)
	}
	return t
}

func mergeRun(ctx context.Context, shards []shardDir, o MergeOptions) (*MergeReport, error) {
	h := shards[0].h
	f, err := scenario.LoadSources(sourcePath(h), sourceBytes(h.Sources))
	if err != nil {
		return nil, fmt.Errorf("%s: the scenario carried by the shard does not load: %w", shards[0].dir, err)
	}
	if f.Hash != h.SHA256 {
		return nil, fmt.Errorf("%s: the scenario carried by the shard has SHA-256 %s, not %s", shards[0].dir, f.Hash, h.SHA256)
	}
	total := sim.NewResult(f.Model)
	var probs []string
	for _, s := range shards {
		if err := s.h.Result.Check(f.Model); err != nil {
			probs = append(probs, fmt.Sprintf("%s: %v", s.dir, err))
			continue
		}
		if err := total.Merge(s.h.Result); err != nil {
			probs = append(probs, fmt.Sprintf("%s: %v", s.dir, err))
		}
	}
	if len(probs) > 0 {
		return nil, errors.New(strings.Join(probs, "\n"))
	}
	if total.Runs != int64(h.Total) {
		return nil, fmt.Errorf("merged %d runs, the shards declare %d", total.Runs, h.Total)
	}
	out := o.Out
	if out == "" {
		out = filepath.Join("out", f.Model.Name())
	}
	s := output.Summarize(f.Model, total, output.NewProvenance(h.Path, h.SHA256, h.Seed, total.Runs))
	err = output.Write(ctx, o.target(out, "run", shards), func(folder *output.Folder) error {
		if !h.NoRows {
			if err := mergeRows(ctx, folder, f.Model.Header(), shards); err != nil {
				return err
			}
		}
		if err := WriteRunResults(ctx, folder, s); err != nil {
			return err
		}
		return folder.WriteJSON("run.json", mergeInfo(shards))
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
