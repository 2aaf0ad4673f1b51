package batch

import (
	"context"
	"errors"
	"fmt"
	"github.com/geosim/geosim/sim/sensitivity"
	"math"
	"path/filepath"
	"sort"
	"strings"

	"github.com/geosim/geosim/output"
	"github.com/geosim/geosim/sim/scenario"
)

// SensitivityPrecision records, in sensitivity.json, how precision mode
// chose Sobol's N.
type SensitivityPrecision struct {
	Target float64     `json:"target"` // largest 95% interval half-width allowed, in index units
	MaxN   int         `json:"max_n"`
	Met    bool        `json:"met"`
	Steps  []SobolStep `json:"steps"`
}

// SobolStep is one N tried: the widest interval it left.
type SobolStep struct {
	N           int     `json:"n"`
	Evaluations int     `json:"evaluations"`
	Widest      float64 `json:"widest_half_width"`
	Where       string  `json:"where"` // which index: "ST of INPUT for OUTPUT"
	// TooRare lists the outputs left out of the rule at this N: those
	// whose rarer values occur in fewer than MinRareBase base points
	// (see rareOutputs).
	TooRare []string `json:"too_rare,omitempty"`
}

// MinRareBase is how many of N base points must take a value other than
// an output's most common one for precision mode to hold its indices
// to the target. Below it the indices of a 0/1 output rest on a handful
// of events: on the flagship a summit of probability 0.0005 left total
// indices above 1 with half-widths of 0.15–0.35 at N = 65,536, and no
// N within reach would bring them to 0.1. Such outputs keep their
// indices and warnings in the report; they do not decide N.
const MinRareBase = 100

// Defaults of sensitivity precision mode.
const (
	DefaultPrecisionStartN = 1024
	DefaultPrecisionMaxN   = 65536
)

var errSensitivityPrecision = errors.New("-precision applies to -method sobol, whose indices share one scale (0 to 1); Morris's and OAT's effects are in each output's own units, so one target does not fit them all: choose -n instead")

// analysePrecise runs Sobol analyses with N = N0, 2·N0, 4·N0, … until
// the widest total-index interval (widestInterval) meets the target or N would pass MaxN. Each N is a
// fresh design (the designs of different N are not nested), so the cost
// is about twice that of the final N alone. Which N it stops at depends
// only on the scenario, seed and options.
func analysePrecise(ctx context.Context, f *scenario.File, o SensitivityOptions, seed uint64) (*Sensitivity, string, error) {
	if o.Method != "" && o.Method != "sobol" {
		return nil, "", errSensitivityPrecision
	}
	if o.Shard != nil {
		return nil, "", errors.New("sensitivity -precision cannot be sharded: whether to double N depends on every evaluation; find N with -precision first, then shard with -n N")
	}
	n, maxN := o.N, o.MaxN
	if n == 0 {
		n = DefaultPrecisionStartN
	}
	if maxN == 0 {
		maxN = DefaultPrecisionMaxN
	}
	if !(o.Precision > 0 && o.Precision < 1) || maxN < n {
		return nil, "", fmt.Errorf("sensitivity precision: need 0 < target < 1 and a maximum N (%d) at least the starting N (%d)", maxN, n)
	}
	out := o.Out
	if out == "" {
		out = filepath.Join("out", f.Model.Name()+"-sensitivity-sobol")
	}
	prec := &SensitivityPrecision{Target: o.Precision, MaxN: maxN}
	var s *Sensitivity
	target := output.Target{Dir: out, Kind: "sensitivity", Command: o.Command, Inputs: inputsOf(f.Sources()), Force: o.Force}
	// The folder is checked and locked before the evaluations, not after.
	err := output.Write(ctx, target, func(folder *output.Folder) error {
		for {
			part := sensitivityPart{Method: "sobol", N: n, Design: o.Design, Replicates: o.Replicates}
			if part.Design == "" {
				part.Design = sensitivity.DesignSobol
			}
			a, err := newAnalysis(f, part, seed, o.Workers, o.Limits, o.Progress)
			if err != nil {
				return err
			}
			ys, err := a.plan.Evaluate(ctx, a.eval, len(a.outputs), 0, len(a.plan.X))
			if err != nil {
				return err
			}
			s = a.result(f, ys)
			rare := rareOutputs(ys, a.outputs, a.plan.N)
			widest, where := widestInterval(s, rare)
			step := SobolStep{N: n, Evaluations: len(a.plan.X), Widest: widest, Where: where}
			for k, r := range rare {
				if r {
					step.TooRare = append(step.TooRare, a.outputs[k])
				}
			}
			prec.Steps = append(prec.Steps, step)
			if widest <= o.Precision {
				prec.Met = true
				break
			}
			if 2*n > maxN {
				break
			}
			n *= 2
		}
		s.Precision = prec
		if last := prec.Steps[len(prec.Steps)-1]; len(last.TooRare) > 0 {
			s.Warnings = append(s.Warnings, fmt.Sprintf("precision mode left out %s: their less common values occur in fewer than %d of the N = %d base points, too few to hold their indices to the target; their indices are reported but rest on a handful of cases", strings.Join(last.TooRare, ", "), MinRareBase, last.N))
		}
		if !prec.Met {
			last := prec.Steps[len(prec.Steps)-1]
			s.Warnings = append(s.Warnings, fmt.Sprintf("precision %g not reached by N = %d: the widest interval half-width is %.3f (%s); raise -max-n or the target", o.Precision, last.N, last.Widest, last.Where))
		}
		return writeSensitivity(ctx, folder, s)
	})
	if err != nil {
		return nil, "", err
	}
	return s, out, nil
}

// rareOutputs reports, per output, whether values other than its most
// common one occur in fewer than MinRareBase of n base points: counted
// over every evaluation (the design's rows all follow the inputs'
// distribution) and scaled to n.
func rareOutputs(ys [][]float64, outputs []string, n int) []bool {
	rare := make([]bool, len(outputs))
	if len(ys) == 0 {
		return rare
	}
	col := make([]float64, len(ys))
	for k := range outputs {
		for j, y := range ys {
			col[j] = y[k]
		}
		sort.Float64s(col)
		mode := 0                   // length of the longest run of equal values
		for i := 0; i < len(col); { // a NaN is a run of one
			j := i + 1
			for j < len(col) && col[j] == col[i] {
				j++
			}
			mode = max(mode, j-i)
			i = j
		}
		other := len(col) - mode
		rare[k] = float64(other)*float64(n) < float64(MinRareBase)*float64(len(col))
	}
	return rare
}

// widestInterval returns the largest 95% interval half-width among the
// total indices (ST) of every input for every output that varies and
// is not rare.
// First-order indices are left out: Saltelli's S1 estimator is far
// noisier (on the flagship at N = 4,096 its widest half-width was 0.52
// against 0.12 for ST) and would need some thirty times the evaluations
// for the same target, while ST is what ranks the drivers.
func widestInterval(s *Sensitivity, rare []bool) (float64, string) {
	widest, where := 0.0, ""
	for k, o := range s.Sobol.Outputs {
		if rare[k] {
			continue
		}
		for i, e := range o.ST {
			if half := (e.Hi - e.Lo) / 2; !math.IsNaN(half) && half > widest {
				widest, where = half, fmt.Sprintf("ST of %s for %s", s.Inputs[i], o.Output)
			}
		}
	}
	return widest, where
}

// precisionNote describes precision mode for the report ("" without it).
func precisionNote(p *SensitivityPrecision) string {
	if p == nil {
		return ""
	}
	var steps []string
	for _, st := range p.Steps {
		steps = append(steps, fmt.Sprintf("N = %d: %.3f (%s)", st.N, st.Widest, st.Where))
	}
	status := "reached"
	if !p.Met {
		status = "not reached"
	}
	note := fmt.Sprintf("N was chosen by precision mode: doubled until the widest 95%% interval half-width among the total indices (ST) of every input and output was at most %g (at most N = %d); %s. First-order intervals are not part of the rule: they are much wider and shrink only as 1/√N. Widest ST half-width at each N: %s.",
		p.Target, p.MaxN, status, strings.Join(steps, "; "))
	if rare := p.Steps[len(p.Steps)-1].TooRare; len(rare) > 0 {
		note += fmt.Sprintf(" Left out of the rule as too rare (their less common values in fewer than %d base points): %s; their indices rest on a handful of cases.", MinRareBase, strings.Join(rare, ", "))
	}
	return note
}
