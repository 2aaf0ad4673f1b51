package batch

import (
	"context"
	"errors"
	"fmt"
	"github.com/geosim/geosim/sim/sensitivity"
	"math"
	"path/filepath"
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
}

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
	prec := &SensitivityPrecision{Target: o.Precision, MaxN: maxN}
	var s *Sensitivity
	for {
		part := sensitivityPart{Method: "sobol", N: n, Design: o.Design, Replicates: o.Replicates}
		if part.Design == "" {
			part.Design = sensitivity.DesignSobol
		}
		a, err := newAnalysis(f, part, seed, o.Workers, o.Limits, o.Progress)
		if err != nil {
			return nil, "", err
		}
		ys, err := a.plan.Evaluate(ctx, a.eval, len(a.outputs), 0, len(a.plan.X))
		if err != nil {
			return nil, "", err
		}
		s = a.result(f, ys)
		widest, where := widestInterval(s)
		prec.Steps = append(prec.Steps, SobolStep{N: n, Evaluations: len(a.plan.X), Widest: widest, Where: where})
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
	if !prec.Met {
		last := prec.Steps[len(prec.Steps)-1]
		s.Warnings = append(s.Warnings, fmt.Sprintf("precision %g not reached by N = %d: the widest interval half-width is %.3f (%s); raise -max-n or the target", o.Precision, last.N, last.Widest, last.Where))
	}
	out := o.Out
	if out == "" {
		out = filepath.Join("out", f.Model.Name()+"-sensitivity-sobol")
	}
	err := output.Write(out, func(folder *output.Folder) error {
		if err := writeSensitivity(folder, s); err != nil {
			return err
		}
		return ctx.Err()
	})
	if err != nil {
		return nil, "", err
	}
	return s, out, nil
}

// widestInterval returns the largest 95% interval half-width among the
// total indices (ST) of every input for every output that varies.
// First-order indices are left out: Saltelli's S1 estimator is far
// noisier (on the flagship at N = 4,096 its widest half-width was 0.52
// against 0.12 for ST) and would need some thirty times the evaluations
// for the same target, while ST is what ranks the drivers.
func widestInterval(s *Sensitivity) (float64, string) {
	widest, where := 0.0, ""
	for _, o := range s.Sobol.Outputs {
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
	return fmt.Sprintf("N was chosen by precision mode: doubled until the widest 95%% interval half-width among the total indices (ST) of every input and output was at most %g (at most N = %d); %s. First-order intervals are not part of the rule: they are much wider and shrink only as 1/√N. Widest ST half-width at each N: %s.",
		p.Target, p.MaxN, status, strings.Join(steps, "; "))
}
