package batch

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"math"
	"path/filepath"
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
)

// RandomnessInput is the name of the input that stands for the model's
// own randomness in a sensitivity analysis.
const RandomnessInput = "model randomness"

// SensitivityOptions says how to analyse a scenario.
type SensitivityOptions struct {
	Method   string // sobol, morris or oat
	N        int    // 0: 4096 (sobol), 50 trajectories (morris), 1000 replicates (oat)
	Seed     int64  // -1: the scenario's seed
	Workers  int
	Out      string // "": out/<scenario>-sensitivity-<method>
	Progress func(done, total int)
}

// Sensitivity is sensitivity.json.
type Sensitivity struct {
	Tool           string   `json:"tool"`
	Version        string   `json:"version"`
	ScenarioFile   string   `json:"scenario_file"`
	ScenarioSHA256 string   `json:"scenario_sha256"`
	Scenario       string   `json:"scenario"`
	Title          string   `json:"title"`
	Method         string   `json:"method"`
	N              int      `json:"n"`
	Seed           uint64   `json:"seed"`
	Evaluations    int      `json:"evaluations"`
	Inputs         []string `json:"inputs"`
	Outputs        []string `json:"outputs"`
	Descriptions   []string `json:"descriptions"`
	Warnings       []string `json:"warnings"`

	Sobol  *sensitivity.SobolResult  `json:"sobol,omitempty"`
	Morris *sensitivity.MorrisResult `json:"morris,omitempty"`
	OAT    *sensitivity.OATResult    `json:"oat,omitempty"`
}

// Analyse runs a sensitivity analysis of a scenario: its inputs are the
// scenario's uncertain parameters (plus, for Sobol and Morris, the
// model's own randomness as one more uniform input that selects the run's
// random streams); its outputs are every outcome and every event (as a
// 0/1 indicator). It writes sensitivity.json, indices.csv, the charts and
// report.html into a folder that appears complete or not at all.
func Analyse(ctx context.Context, f *scenario.File, o SensitivityOptions) (*Sensitivity, string, error) {
	m := f.Model
	method := o.Method
	if method == "" {
		method = "sobol"
	}
	n := o.N
	if n == 0 {
		n = map[string]int{"sobol": 4096, "morris": 50, "oat": 1000}[method]
	}
	seed := m.DefaultSeed()
	if o.Seed >= 0 {
		seed = uint64(o.Seed)
	}
	params := m.Params()
	var inputs []sensitivity.Input
	for _, i := range m.Uncertain() {
		inputs = append(inputs, sensitivity.Input{Name: params[i].Path, Dist: params[i].Dist})
	}
	if len(inputs) == 0 {
		return nil, "", fmt.Errorf("%s has no uncertain parameters to analyse: give some parameters as distributions", f.Path)
	}
	d := len(inputs)
	var outputs, descs []string
	for _, oc := range m.Outcomes() {
		outputs, descs = append(outputs, oc.Name), append(descs, oc.Description)
	}
	for _, e := range m.Events() {
		outputs, descs = append(outputs, e.Name), append(descs, e.Description)
	}
	workers := o.Workers
	if workers <= 0 {
		workers = max(1, runtimeWorkers())
	}
	spaces := make([]*sim.Workspace, workers)
	for w := range spaces {
		spaces[w] = sim.NewWorkspace(m)
	}
	eval := func(worker int, x, out []float64) {
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
	cfg := sensitivity.Config{N: n, Seed: seed, Workers: workers, Progress: o.Progress}
	withNoise := append(append([]sensitivity.Input(nil), inputs...), sensitivity.Input{Name: RandomnessInput, Dist: dist.Uniform{Min: 0, Max: 1}})
	s := &Sensitivity{Tool: "geosim", Version: version.Version, ScenarioFile: filepath.ToSlash(f.Path), ScenarioSHA256: f.Hash,
		Scenario: m.Name(), Title: m.Scenario().Title, Method: method, N: n, Seed: seed, Outputs: outputs, Descriptions: descs}
	var err error
	switch method {
	case "sobol":
		s.Sobol, err = sensitivity.Sobol(ctx, eval, withNoise, outputs, cfg)
		if err == nil {
			s.Inputs, s.Evaluations = s.Sobol.Inputs, s.Sobol.Evaluations
			s.Warnings = warningStrings(s.Sobol.Warnings)
		}
	case "morris":
		s.Morris, err = sensitivity.Morris(ctx, eval, withNoise, outputs, cfg)
		if err == nil {
			s.Inputs, s.Evaluations = s.Morris.Inputs, s.Morris.Evaluations
			s.Warnings = warningStrings(s.Morris.Warnings)
		}
	case "oat":
		s.OAT, err = sensitivity.OAT(ctx, eval, inputs, outputs, cfg)
		if err == nil {
			s.Inputs, s.Evaluations = s.OAT.Inputs, s.OAT.Evaluations
		}
	default:
		return nil, "", fmt.Errorf("unknown method %q (use sobol, morris or oat)", method)
	}
	if err != nil {
		return nil, "", err
	}
	out := o.Out
	if out == "" {
		out = filepath.Join("out", m.Name()+"-sensitivity-"+method)
	}
	folder, err := output.Create(out)
	if err != nil {
		return nil, "", err
	}
	committed := false
	defer func() {
		if !committed {
			folder.Abort()
		}
	}()
	if err := folder.WriteJSON("sensitivity.json", s); err != nil {
		return nil, "", err
	}
	if err := folder.WriteFile("indices.csv", indicesCSV(s)); err != nil {
		return nil, "", err
	}
	if err := plots.WriteSensitivity(folder, plotsData(s)); err != nil {
		return nil, "", err
	}
	if err := folder.Commit(); err != nil {
		return nil, "", err
	}
	committed = true
	return s, out, nil
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
		Evaluations: s.Evaluations, Inputs: s.Inputs, Version: s.Tool + " " + s.Version, Warnings: s.Warnings,
		Randomness: RandomnessInput}
	for k, name := range s.Outputs {
		o := plots.SensitivityOutput{Name: name, Description: s.Descriptions[k]}
		switch {
		case s.Sobol != nil:
			idx := s.Sobol.Outputs[k]
			o.S1, o.ST = idx.S1, idx.ST
			o.Summary = sobolSentence(s.Inputs, idx)
		case s.Morris != nil:
			e := s.Morris.Outputs[k]
			o.MuStar, o.Sigma = e.MuStar, e.Sigma
			o.Summary = morrisSentence(s.Inputs, e)
		case s.OAT != nil:
			o.OAT = &s.OAT.Outputs[k]
			o.Summary = oatSentence(s.Inputs, s.OAT.Outputs[k])
		}
		pd.Outputs = append(pd.Outputs, o)
	}
	return pd
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
