package sensitivity

import (
	"context"
	"fmt"
)

// Plan is an analysis's design: the input points X to evaluate, in a
// fixed order determined by the method, the inputs and the seed. Plans
// let the evaluations be split — into shards run on different machines —
// and the analysis computed once all outputs are gathered: Evaluate a
// block of rows, concatenate the blocks in order, then call the method's
// analysis (Sobol, Morris or OAT).
type Plan struct {
	Method string // sobol, morris or oat
	Inputs []Input
	X      [][]float64
	// N is the base sample size the design has: cfg.N, or for the
	// quasi-random Sobol design cfg.N rounded to Replicates times a power
	// of two.
	N int
	// Design and Replicates describe a Sobol plan: DesignSobol with its
	// number of scrambled replicates, or DesignRandom (Replicates 1).
	Design     string
	Replicates int
	// Warnings say what the plan changed in the request (a rounded N).
	Warnings []Warning
	cfg      Config
	order    [][]int     // morris: the order inputs change in, per trajectory
	sign     [][]float64 // morris: the direction of each change
}

// NewPlan builds the design of method ("sobol", "morris" or "oat") for
// the inputs. For OAT each row has one element more than there are
// inputs: the replicate selector. The quasi-random Sobol design needs
// cfg.N = R·2^k for R replicates; another N is rounded to the nearest
// such size (on a log scale), and a warning says so.
func NewPlan(method string, inputs []Input, cfg Config) (*Plan, error) {
	if err := checkInputs(inputs); err != nil {
		return nil, err
	}
	p := &Plan{Method: method, Inputs: inputs, N: cfg.N, cfg: cfg}
	switch method {
	case "sobol":
		if err := p.sobolDesign(); err != nil {
			return nil, err
		}
	case "morris":
		if cfg.N < 4 {
			return nil, fmt.Errorf("sensitivity: Morris needs at least 4 trajectories, got %d", cfg.N)
		}
		p.morrisDesign()
	case "oat":
		if cfg.N < 1 {
			return nil, fmt.Errorf("sensitivity: OAT needs at least one replicate")
		}
		p.X = oatDesign(inputs, cfg.N)
	default:
		return nil, fmt.Errorf("sensitivity: unknown method %q (use sobol, morris or oat)", method)
	}
	return p, nil
}

// Evaluate evaluates rows lo..hi-1 of the design in parallel and returns
// their outputs, in row order.
func (p *Plan) Evaluate(ctx context.Context, f Func, outputs, lo, hi int) ([][]float64, error) {
	return evaluate(ctx, f, p.X[lo:hi], outputs, p.cfg)
}

// Rows returns the number of design rows (model evaluations) of method
// for d inputs and base size n: n(d+2) for Sobol, n(d+1) for Morris,
// n(2d+1) for OAT (n replicates of the median point and of each input
// at its 5% and 95% quantiles). It is 0 for an unknown method.
func Rows(method string, d, n int) int64 {
	switch method {
	case "sobol":
		return int64(n) * int64(d+2)
	case "morris":
		return int64(n) * int64(d+1)
	case "oat":
		return int64(n) * int64(2*d+1)
	}
	return 0
}

// MemoryBytes estimates the memory an analysis holds, so that callers
// can refuse a size that would not fit before building the plan: the
// design rows (d inputs each, one more for OAT's replicate selector), the
// outputs of every row, and the analysis's bootstrap resamples (for
// Sobol boots resamples of n row indices, 0 meaning the default 500, and
// per-output work arrays; for Morris 200 resamples of the n
// trajectories).
func MemoryBytes(method string, d, outputs, n, boots int) int64 {
	rows := Rows(method, d, n)
	cols := int64(d)
	if method == "oat" {
		cols++
	}
	// A row: its slice header in X (X grows by doubling), its data
	// rounded up to an allocation size class; its outputs' header and
	// values.
	const sliceHeader = 24
	b := rows*(3*sliceHeader+8*(cols+2)) + rows*(sliceHeader+8*int64(outputs))
	switch method {
	case "sobol":
		if boots <= 0 {
			boots = 500
		}
		b += 4*int64(boots)*int64(n) + 8*int64(n)*int64(d+4)
	case "morris": // the normalised levels, 200 bootstrap resamples of n trajectories, the effects
		b += rows*(sliceHeader+8*int64(d)) + 200*8*int64(n) + 8*int64(n)*int64(d)
	}
	return b
}
