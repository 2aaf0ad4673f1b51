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
