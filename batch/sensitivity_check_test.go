package batch

import (
	"strings"
	"testing"

	"github.com/geosim/geosim/sim/sensitivity"
)

// A sensitivity.json whose total indices are one too many must be
// refused with that count, not the first-order indices' correct one.
func TestSensitivityCheckNamesWrongCount(t *testing.T) {
	est := func(n int) []sensitivity.Estimate { return make([]sensitivity.Estimate, n) }
	for _, c := range []struct {
		s1, st int
		want   string
	}{
		{2, 3, "3 indices for 2 inputs"},
		{1, 2, "1 indices for 2 inputs"},
		{2, 2, ""},
	} {
		s := Sensitivity{
			Method: "sobol", Inputs: []string{"a", "b"}, Outputs: []string{"y"}, Descriptions: []string{"y"},
			Sobol: &sensitivity.SobolResult{Outputs: []sensitivity.SobolIndices{{Output: "y", S1: est(c.s1), ST: est(c.st)}}},
		}
		err := s.check()
		switch {
		case c.want == "" && err != nil:
			t.Errorf("S1 %d, ST %d: %v", c.s1, c.st, err)
		case c.want != "" && (err == nil || !strings.Contains(err.Error(), c.want)):
			t.Errorf("S1 %d, ST %d: got %v, want %q", c.s1, c.st, err, c.want)
		}
	}
}
