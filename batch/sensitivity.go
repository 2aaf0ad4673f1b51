package batch

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/csv"
	"fmt"
	"math"
	"path/filepath"
	"runtime"
	"sort"
	"strconv"
	"strings"

	"github.com/geosim/geosim/internal/version"
	"github.com/geosim/geosim/output"
	"github.com/geosim/geosim/plots"
	"github.com/geosim/geosim/sim"
	"github.com/geosim/geosim/sim/dist"
	"github.com/geosim/geosim/sim/scenario"
	"github.com/geosim/geosim/sim/sensitivity"
	"github.com/geosim/geosim/sim/stats"
)

// RandomnessInput is the name of the input that stands for the model's
// own randomness in a sensitivity analysis.
const RandomnessInput = "model randomness"

// SensitivityOptions says how to analyse a scenario.
type SensitivityOptions struct {
	Shard  *Shard // nil: every design row
	Method string // sobol, morris or oat
	N      int    // 0: 4096 (sobol), 50 trajectories (morris), 1000 replicates (oat)
	// Design is Sobol's sample design: sensitivity.DesignSobol
	// (quasi-random, the default when empty) or sensitivity.DesignRandom.
	Design string
	// Replicates is the number of scrambled replicates of the
	// quasi-random design (0: sensitivity.DefaultReplicates).
	Replicates int
	Seed       int64 // -1: the scenario's seed
	Workers    int
	Limits     Limits // on the estimated memory, checked before the design is built
	Out        string // "": out/<scenario>-sensitivity-<method>
	Progress   func(done, total int)
	Force      bool     // replace a folder geosim did not write (see output.Target)
	Command    []string // the command line, for the folder's manifest
	// Precision, when above 0, chooses Sobol's N: it doubles from N
	// (0: 1,024) until the widest 95% interval half-width among the
	// total indices of every input and every output that varies is at
	// most Precision, or N would exceed MaxN (0: 65,536). Only for
	// Sobol, and not sharded.
	Precision float64
	MaxN      int
}

// Sensitivity is sensitivity.json.
type Sensitivity struct {
	Tool           string `json:"tool"`
	Version        string `json:"version"`
	ScenarioFile   string `json:"scenario_file"`
	ScenarioSHA256 string `json:"scenario_sha256"`
	Scenario       string `json:"scenario"`
	Title          string `json:"title"`
	Method         string `json:"method"`
	N              int    `json:"n"`
	// Design, Replicates, Scrambling and Intervals describe a Sobol
	// analysis's sample design (see sensitivity.SobolResult).
	Design      string   `json:"design,omitempty"`
	Replicates  int      `json:"replicates,omitempty"`
	Scrambling  string   `json:"scrambling,omitempty"`
	Intervals   string   `json:"intervals,omitempty"`
	Seed        uint64   `json:"seed"`
	Evaluations int      `json:"evaluations"`
	Inputs      []string `json:"inputs"`
	// InputLabels name the inputs for readers ("North Korea: rationality
	// (logit precision)"), in the order of Inputs.
	InputLabels  []string `json:"input_labels,omitempty"`
	Outputs      []string `json:"outputs"`
	Descriptions []string `json:"descriptions"`
	Warnings     []string `json:"warnings"`

	Precision *SensitivityPrecision `json:"precision,omitempty"`

	Sobol  *sensitivity.SobolResult  `json:"sobol,omitempty"`
	Morris *sensitivity.MorrisResult `json:"morris,omitempty"`
	OAT    *sensitivity.OATResult    `json:"oat,omitempty"`
}

// sensitivityPart records, in a shard, what the analysis is. A shard
// without a design predates the quasi-random design: its rows are those
// of the random design.
type sensitivityPart struct {
	Method     string `json:"method"`
	N          int    `json:"n"`
	Design     string `json:"design,omitempty"`
	Replicates int    `json:"replicates,omitempty"`
}

// EvaluationsFile holds a sensitivity shard's model outputs: float64
// little-endian, one row of outputs per design row of the shard's block.
const EvaluationsFile = "evaluations.bin"

// analysis is a scenario's sensitivity analysis before it runs: the
// plan, the outputs and the function evaluating the model.
type analysis struct {
	plan           *sensitivity.Plan
	outputs, descs []string
	eval           sensitivity.Func
	method         string
	n              int // as requested, before a quasi-random design rounds it
	seed           uint64
}

// newAnalysis prepares the analysis of f: its inputs are the scenario's
// uncertain parameters (plus, for Sobol and Morris, the model's own
// randomness as one more uniform input that selects the run's random
// streams); its outputs every outcome and every event (as a 0/1
// indicator).
func newAnalysis(f *scenario.File, part sensitivityPart, seed uint64, workers int, limits Limits, progress func(done, total int)) (*analysis, error) {
	method, n := part.Method, part.N
	m := f.Model
	if n == 0 {
		n = map[string]int{"sobol": 4096, "morris": 50, "oat": 1000}[method]
	}
	params := m.Params()
	var inputs []sensitivity.Input
	for _, i := range m.Uncertain() {
		inputs = append(inputs, sensitivity.Input{Name: params[i].Path, Dist: params[i].Dist})
	}
	if len(inputs) == 0 {
		return nil, fmt.Errorf("%s has no uncertain parameters to analyse: give some parameters as distributions", f.Path)
	}
	d := len(inputs)
	a := &analysis{method: method, n: n, seed: seed}
	for _, oc := range m.Outcomes() {
		a.outputs, a.descs = append(a.outputs, oc.Name), append(a.descs, oc.Description)
	}
	for _, e := range m.Events() {
		a.outputs, a.descs = append(a.outputs, e.Name), append(a.descs, e.Description)
	}
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	spaces := make([]*sim.Workspace, workers)
	for w := range spaces {
		spaces[w] = sim.NewWorkspace(m)
	}
	a.eval = func(worker int, x, out []float64) {
		ws := spaces[worker]
		ws.Use(x[:d])
		ws.Simulate(seed, uint64(x[d]*(1<<52)))
		copy(out, ws.Out.Outcomes)
		for k, step := range ws.Out.EventStep {
			out[len(ws.Out.Outcomes)+k] = 0
			if step >= 0 {
				out[len(ws.Out.Outcomes)+k] = 1
			}
		}
	}
	if method != "oat" {
		inputs = append(inputs, sensitivity.Input{Name: RandomnessInput, Dist: dist.Uniform{Min: 0, Max: 1}})
	}
	if err := checkAnalysis(method, len(inputs), len(a.outputs), n, workers, m, limits); err != nil {
		return nil, err
	}
	var err error
	a.plan, err = sensitivity.NewPlan(method, inputs, sensitivity.Config{N: n, Seed: seed, Workers: workers, Progress: progress,
		Design: part.Design, Replicates: part.Replicates})
	return a, err
}

// part describes the analysis for a shard header: what newAnalysis needs
// to rebuild the same design and the same warnings (N as requested).
func (a *analysis) part() *sensitivityPart {
	p := &sensitivityPart{Method: a.method, N: a.n}
	if a.method == "sobol" {
		p.Design, p.Replicates = a.plan.Design, a.plan.Replicates
	}
	return p
}

// describe returns what the analysis is, before any result: provenance,
// method, design, inputs, outputs and the design's warnings.
func (a *analysis) describe(f *scenario.File) *Sensitivity {
	m := f.Model
	s := &Sensitivity{Tool: "geosim", Version: version.Version, ScenarioFile: filepath.ToSlash(f.Path), ScenarioSHA256: f.Hash,
		Scenario: m.Name(), Title: m.Scenario().Title, Method: a.method, N: a.plan.N, Seed: a.seed, Outputs: a.outputs, Descriptions: a.descs,
		Evaluations: len(a.plan.X), Warnings: warningStrings(a.plan.Warnings)}
	if a.method == "sobol" {
		s.Design, s.Replicates = a.plan.Design, a.plan.Replicates
	}
	for _, in := range a.plan.Inputs {
		s.Inputs = append(s.Inputs, in.Name)
		label := in.Name
		if in.Name != RandomnessInput {
			label = m.ParamLabel(in.Name).Text
		}
		s.InputLabels = append(s.InputLabels, label)
	}
	return s
}

// result computes the indices from every row's outputs.
func (a *analysis) result(f *scenario.File, ys [][]float64) *Sensitivity {
	s := a.describe(f)
	switch a.method {
	case "sobol":
		s.Sobol = a.plan.Sobol(ys, a.outputs)
		s.Warnings = warningStrings(s.Sobol.Warnings)
		s.Design, s.Replicates, s.Scrambling, s.Intervals = s.Sobol.Design, s.Sobol.Replicates, s.Sobol.Scrambling, s.Sobol.Intervals
	case "morris":
		s.Morris = a.plan.Morris(ys, a.outputs)
		s.Warnings = warningStrings(s.Morris.Warnings)
	default:
		s.OAT = a.plan.OAT(ys, a.outputs)
	}
	return s
}

// Analyse runs a sensitivity analysis of a scenario (see newAnalysis for
// its inputs and outputs) and writes sensitivity.json, indices.csv, the
// charts and report.html into a folder that appears complete or not at
// all. With a shard it evaluates only the shard's block of design rows
// and writes a shard folder (shard.json, evaluations.bin) for Merge; the
// Sensitivity it returns then only describes the analysis (method, N,
// design and the design's warnings), without indices.
func Analyse(ctx context.Context, f *scenario.File, o SensitivityOptions) (*Sensitivity, string, error) {
	method := o.Method
	if method == "" {
		method = "sobol"
	}
	seed := f.Model.DefaultSeed()
	if o.Seed >= 0 {
		seed = uint64(o.Seed)
	}
	part := sensitivityPart{Method: method, N: o.N}
	if method == "sobol" {
		part.Design, part.Replicates = o.Design, o.Replicates
		if part.Design == "" {
			part.Design = sensitivity.DesignSobol
		}
	} else if o.Design != "" || o.Replicates != 0 {
		return nil, "", fmt.Errorf("the design and replicates options are for the Sobol method, not %s", method)
	}
	if o.Precision > 0 {
		return analysePrecise(ctx, f, o, seed)
	}
	a, err := newAnalysis(f, part, seed, o.Workers, o.Limits, o.Progress)
	if err != nil {
		return nil, "", err
	}
	out := o.Out
	if out == "" {
		out = filepath.Join("out", f.Model.Name()+"-sensitivity-"+method)
		if o.Shard != nil {
			out += fmt.Sprintf(".shard-%d-of-%d", o.Shard.K, o.Shard.N)
		}
	}
	lo, hi := 0, len(a.plan.X)
	if o.Shard != nil {
		lo, hi = o.Shard.Range(len(a.plan.X))
	}
	var s *Sensitivity
	kind := "sensitivity"
	if o.Shard != nil {
		kind = "sensitivity-shard"
	}
	target := output.Target{Dir: out, Kind: kind, Command: o.Command, Inputs: inputsOf(f.Sources()), Force: o.Force}
	// The folder is checked and locked before the evaluations, not after.
	err = output.Write(ctx, target, func(folder *output.Folder) error {
		ys, err := a.plan.Evaluate(ctx, a.eval, len(a.outputs), lo, hi)
		if err != nil {
			return err
		}
		if o.Shard == nil {
			s = a.result(f, ys)
			return writeSensitivity(ctx, folder, s)
		}
		h := newHeader("sensitivity", filepath.ToSlash(f.Path), f.Hash, f.Sources(), seed, len(a.plan.X), 1, *o.Shard)
		h.Sensitivity = a.part()
		s = a.describe(f)
		rows := encodeRows(ys)
		h.Files[EvaluationsFile] = sha256Hex(rows)
		if err := folder.WriteFile(EvaluationsFile, rows); err != nil {
			return err
		}
		return folder.WriteJSON(ShardFile, h)
	})
	if err != nil {
		return nil, "", err
	}
	return s, out, nil
}

func writeSensitivity(ctx context.Context, folder *output.Folder, s *Sensitivity) error {
	if err := folder.WriteJSON("sensitivity.json", s); err != nil {
		return err
	}
	if err := folder.WriteFile("indices.csv", indicesCSV(s)); err != nil {
		return err
	}
	return plots.WriteSensitivity(ctx, folder, plotsData(s))
}

func encodeRows(ys [][]float64) []byte {
	var b []byte
	for _, row := range ys {
		for _, v := range row {
			b = binary.LittleEndian.AppendUint64(b, math.Float64bits(v))
		}
	}
	return b
}

// decodeRows decodes a shard's evaluations: rows × outputs float64, the
// first outcomes outputs finite, the rest (events) 0 or 1.
func decodeRows(b []byte, rows, outputs, outcomes int) ([][]float64, error) {
	if len(b) != rows*outputs*8 {
		return nil, fmt.Errorf("%s holds %d bytes, expected %d rows of %d outputs", EvaluationsFile, len(b), rows, outputs)
	}
	ys := make([][]float64, rows)
	for r := range ys {
		ys[r] = make([]float64, outputs)
		for k := range ys[r] {
			v := math.Float64frombits(binary.LittleEndian.Uint64(b[(r*outputs+k)*8:]))
			if k < outcomes && !(v >= -stats.MaxFixed && v <= stats.MaxFixed) || k >= outcomes && v != 0 && v != 1 {
				return nil, fmt.Errorf("%s: row %d, output %d holds %v, not a value the model gives", EvaluationsFile, r, k, v)
			}
			ys[r][k] = v
		}
	}
	return ys, nil
}

// mergeSensitivity verifies the shards' evaluations (content hash,
// size, values) and computes the indices once.
func mergeSensitivity(ctx context.Context, shards []shardDir, o MergeOptions) (*MergeReport, error) {
	h := shards[0].h
	f, err := scenario.LoadSources(sourcePath(h), sourceBytes(h.Sources))
	if err != nil {
		return nil, fmt.Errorf("%s: the scenario carried by the shard does not load: %w", shards[0].dir, err)
	}
	if f.Hash != h.SHA256 {
		return nil, fmt.Errorf("%s: the scenario carried by the shard has SHA-256 %s, not %s", shards[0].dir, f.Hash, h.SHA256)
	}
	for _, s := range shards[1:] {
		if *s.h.Sensitivity != *h.Sensitivity {
			return nil, fmt.Errorf("%s: the %s analysis with N = %d (%s design, %d replicates) differs from %s's", s.dir, s.h.Sensitivity.Method, s.h.Sensitivity.N, s.h.Sensitivity.Design, s.h.Sensitivity.Replicates, shards[0].dir)
		}
	}
	switch m, n := h.Sensitivity.Method, h.Sensitivity.N; {
	case m != "sobol" && m != "morris" && m != "oat":
		return nil, fmt.Errorf("%s: unknown sensitivity method %q", shards[0].dir, m)
	case n < 1 || n > maxSensitivityRows:
		return nil, fmt.Errorf("%s: sensitivity size N = %d out of range", shards[0].dir, n)
	}
	part := *h.Sensitivity
	if part.Method == "sobol" && part.Design == "" {
		part.Design = sensitivity.DesignRandom
	}
	a, err := newAnalysis(f, part, h.Seed, 1, Limits{Memory: -1}, nil)
	if err != nil {
		return nil, err
	}
	if len(a.plan.X) != h.Total {
		return nil, fmt.Errorf("the design has %d rows, the shards declare %d", len(a.plan.X), h.Total)
	}
	outcomes := len(f.Model.Outcomes())
	var ys [][]float64
	for _, s := range shards {
		path := filepath.Join(s.dir, EvaluationsFile)
		b, err := output.ReadLimited(path, int64(s.h.Count)*int64(len(a.outputs))*8)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", s.dir, err)
		}
		if sha256Hex(b) != s.h.Files[EvaluationsFile] {
			return nil, fmt.Errorf("%s: its SHA-256 is not the one the shard recorded: the file was edited or damaged", path)
		}
		rows, err := decodeRows(b, s.h.Count, len(a.outputs), outcomes)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", s.dir, err)
		}
		ys = append(ys, rows...)
	}
	out := o.Out
	if out == "" {
		out = filepath.Join("out", f.Model.Name()+"-sensitivity-"+a.method)
	}
	err = output.Write(ctx, o.target(out, "sensitivity", shards), func(folder *output.Folder) error {
		return writeSensitivity(ctx, folder, a.result(f, ys))
	})
	if err != nil {
		return nil, err
	}
	return &MergeReport{Kind: "sensitivity", Dir: out, Shards: len(shards)}, nil
}

func warningStrings(ws []sensitivity.Warning) []string {
	var out []string
	for _, w := range ws {
		out = append(out, w.Error())
	}
	return out
}

func indicesCSV(s *Sensitivity) []byte {
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	f := func(x float64) string {
		if math.IsNaN(x) {
			return ""
		}
		return strconv.FormatFloat(x, 'g', 6, 64)
	}
	switch {
	case s.Sobol != nil:
		w.Write([]string{"output", "parameter", "S1", "S1_lo95", "S1_hi95", "ST", "ST_lo95", "ST_hi95"})
		for _, o := range s.Sobol.Outputs {
			for i, in := range s.Inputs {
				w.Write([]string{o.Output, in, f(o.S1[i].Value), f(o.S1[i].Lo), f(o.S1[i].Hi), f(o.ST[i].Value), f(o.ST[i].Lo), f(o.ST[i].Hi)})
			}
		}
	case s.Morris != nil:
		w.Write([]string{"output", "parameter", "mu", "mu_star", "mu_star_lo95", "mu_star_hi95", "sigma"})
		for _, o := range s.Morris.Outputs {
			for i, in := range s.Inputs {
				w.Write([]string{o.Output, in, f(o.Mu[i]), f(o.MuStar[i].Value), f(o.MuStar[i].Lo), f(o.MuStar[i].Hi), f(o.Sigma[i])})
			}
		}
	case s.OAT != nil:
		w.Write([]string{"output", "parameter", "low_value", "high_value", "base", "low", "high", "low_se", "high_se"})
		for _, o := range s.OAT.Outputs {
			for i, in := range s.Inputs {
				e := o.Effects[i]
				w.Write([]string{o.Output, in, f(e.LowValue), f(e.HighValue), f(o.Base), f(e.Low), f(e.High), f(e.LowSE), f(e.HighSE)})
			}
		}
	}
	w.Flush()
	return b.Bytes()
}

// plotsData converts the analysis into what the charts need, with a
// sentence per output ranking its drivers.
func plotsData(s *Sensitivity) plots.SensitivityData {
	pd := plots.SensitivityData{Title: s.Title, Scenario: s.Scenario, Method: s.Method, N: s.N, Seed: s.Seed,
		Evaluations: s.Evaluations, Inputs: s.Inputs, Labels: labelsOf(s), Version: s.Tool + " " + s.Version, Warnings: s.Warnings,
		Randomness: RandomnessInput, Design: s.Design, Replicates: s.Replicates, Scrambling: s.Scrambling, Intervals: s.Intervals, Precision: precisionNote(s.Precision)}
	labels := labelsOf(s)
	for k, name := range s.Outputs {
		o := plots.SensitivityOutput{Name: name, Description: s.Descriptions[k]}
		switch {
		case s.Sobol != nil:
			idx := s.Sobol.Outputs[k]
			o.S1, o.ST = idx.S1, idx.ST
			o.Summary = sobolSentence(labels, idx)
		case s.Morris != nil:
			e := s.Morris.Outputs[k]
			o.MuStar, o.Sigma = e.MuStar, e.Sigma
			o.Summary = morrisSentence(labels, e)
		case s.OAT != nil:
			o.OAT = &s.OAT.Outputs[k]
			o.Summary = oatSentence(labels, s.OAT.Outputs[k])
		}
		pd.Outputs = append(pd.Outputs, o)
	}
	return pd
}

// labelsOf returns the inputs' labels, or their paths when the analysis
// has none (one written before labels).
func labelsOf(s *Sensitivity) []string {
	if len(s.InputLabels) == len(s.Inputs) {
		return s.InputLabels
	}
	return s.Inputs
}

func ranked(values []float64) []int {
	idx := make([]int, len(values))
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(a, b int) bool { return values[idx[a]] > values[idx[b]] })
	return idx
}

func sobolSentence(inputs []string, idx sensitivity.SobolIndices) string {
	if math.IsNaN(idx.Variance) || idx.Variance <= 0 || len(idx.ST) == 0 || math.IsNaN(idx.ST[0].Value) {
		return "This output does not vary: nothing drives it."
	}
	st := make([]float64, len(idx.ST))
	for i, e := range idx.ST {
		st[i] = e.Value
	}
	var parts []string
	var noise string
	sumS1 := 0.0
	for _, i := range ranked(st) {
		if inputs[i] == RandomnessInput {
			noise = fmt.Sprintf("The model's own randomness is involved in %.0f%% of the variance (its total index): that share is not explained by the uncertain parameters.", 100*st[i])
			continue
		}
		sumS1 += math.Max(0, idx.S1[i].Value)
		if len(parts) < 3 && st[i] >= 0.02 {
			parts = append(parts, fmt.Sprintf("%s (total index %.2f, first-order %.2f)", inputs[i], st[i], idx.S1[i].Value))
		}
	}
	lead := "No uncertain parameter accounts for as much as 2% of the variance."
	if len(parts) > 0 {
		lead = "Main drivers: " + strings.Join(parts, "; ") + "."
	}
	return fmt.Sprintf("%s The parameters' first-order indices sum to %.2f. %s", lead, sumS1, noise)
}

func morrisSentence(inputs []string, e sensitivity.MorrisEffects) string {
	ms := make([]float64, len(e.MuStar))
	for i, m := range e.MuStar {
		ms[i] = m.Value
	}
	var parts []string
	for _, i := range ranked(ms)[:min(3, len(ms))] {
		kind := "roughly linear"
		if e.Sigma[i] > 0.5*ms[i] {
			kind = "non-linear or interacting"
		}
		parts = append(parts, fmt.Sprintf("%s (μ* %.3g, %s)", inputs[i], ms[i], kind))
	}
	return "Largest elementary effects: " + strings.Join(parts, "; ") + "."
}

func oatSentence(inputs []string, o sensitivity.OATOutput) string {
	swing := make([]float64, len(o.Effects))
	for i, e := range o.Effects {
		swing[i] = math.Abs(e.High - e.Low)
	}
	var parts []string
	for _, i := range ranked(swing)[:min(3, len(swing))] {
		parts = append(parts, fmt.Sprintf("%s (%.3g to %.3g)", inputs[i], o.Effects[i].Low, o.Effects[i].High))
	}
	return fmt.Sprintf("From a base of %.3g, the widest swings come from %s.", o.Base, strings.Join(parts, "; "))
}
