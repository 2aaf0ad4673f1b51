package batch

import "fmt"

// check verifies a sensitivity.json read back (by geosim plot) before
// its charts are drawn: one description per output, labels (if any) for
// every input, and the method's result with one estimate per input for
// every output. Values themselves are drawn clamped (plots.clampIndex).
func (s *Sensitivity) check() error {
	ni, no := len(s.Inputs), len(s.Outputs)
	switch {
	case ni == 0 || no == 0:
		return fmt.Errorf("%d inputs and %d outputs: nothing to draw", ni, no)
	case len(s.Descriptions) != no:
		return fmt.Errorf("%d descriptions for %d outputs", len(s.Descriptions), no)
	case len(s.InputLabels) != 0 && len(s.InputLabels) != ni:
		return fmt.Errorf("%d input labels for %d inputs", len(s.InputLabels), ni)
	}
	bad := func(what string, k, got int) error {
		return fmt.Errorf("output %d: %d %s for %d inputs", k, got, what, ni)
	}
	switch s.Method {
	case "sobol":
		if s.Sobol == nil || len(s.Sobol.Outputs) != no {
			return fmt.Errorf("a Sobol analysis without indices for its %d outputs", no)
		}
		for k, o := range s.Sobol.Outputs {
			if len(o.S1) != ni || len(o.ST) != ni {
				return bad("indices", k, wrongLen(ni, len(o.S1), len(o.ST)))
			}
		}
	case "morris":
		if s.Morris == nil || len(s.Morris.Outputs) != no {
			return fmt.Errorf("a Morris analysis without effects for its %d outputs", no)
		}
		for k, o := range s.Morris.Outputs {
			if len(o.MuStar) != ni || len(o.Sigma) != ni {
				return bad("effects", k, wrongLen(ni, len(o.MuStar), len(o.Sigma)))
			}
		}
	case "oat":
		if s.OAT == nil || len(s.OAT.Outputs) != no {
			return fmt.Errorf("a one-at-a-time analysis without effects for its %d outputs", no)
		}
		for k, o := range s.OAT.Outputs {
			if len(o.Effects) != ni {
				return bad("effects", k, len(o.Effects))
			}
		}
	default:
		return fmt.Errorf("unknown method %q", s.Method)
	}
	return nil
}

// wrongLen is whichever of two lengths is not the want that check
// expects (a first), so that the message names the count actually wrong.
func wrongLen(want, a, b int) int {
	if a != want {
		return a
	}
	return b
}
