package calibration

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/geosim/geosim/sim/abc"
	"github.com/geosim/geosim/sim/dist"
)

// ParsePrior reads back a distribution from the notation its String
// method writes — "uniform(-2, 2.5)", "truncnormal(0, 1, [-1, 3])",
// "lognormal(0, 1) in [0.1, 10]", "choice(1:0.5, 2:0.5)" — as a
// calibration's summary.json records each prior. Numbers are written
// with %g, which reads back exactly, so the distribution is the one
// the calibration drew from; the result is checked by writing it again.
func ParsePrior(s string) (dist.Dist, error) {
	d, err := parsePrior(strings.TrimSpace(s))
	if err != nil {
		return nil, fmt.Errorf("prior %q: %w", s, err)
	}
	if err := d.Validate(); err != nil {
		return nil, fmt.Errorf("prior %q: %w", s, err)
	}
	if got := d.String(); got != strings.TrimSpace(s) {
		return nil, fmt.Errorf("prior %q reads back as %q", s, got)
	}
	return d, nil
}

func parsePrior(s string) (dist.Dist, error) {
	if v, err := strconv.ParseFloat(s, 64); err == nil {
		return dist.Fixed{Value: v}, nil
	}
	name, rest, ok := strings.Cut(s, "(")
	if !ok {
		return nil, fmt.Errorf("not a distribution")
	}
	args, tail, ok := strings.Cut(rest, ")")
	if !ok {
		return nil, fmt.Errorf("no closing parenthesis")
	}
	tail = strings.TrimSpace(tail)
	if name == "choice" && tail == "" {
		return parseChoice(args)
	}
	// truncnormal(mu, sd, [min, max]): the bracket is inside the
	// parentheses, so the arguments run to the last ")".
	if name == "truncnormal" {
		args = strings.TrimSuffix(rest, ")")
		tail = ""
		args = strings.NewReplacer("[", "", "]", "").Replace(args)
	}
	x, err := numbers(args)
	if err != nil {
		return nil, err
	}
	var bounds []float64
	if tail != "" {
		inner, ok := strings.CutPrefix(tail, "in [")
		if !ok || !strings.HasSuffix(inner, "]") || name != "lognormal" {
			return nil, fmt.Errorf("unexpected %q", tail)
		}
		if bounds, err = numbers(strings.TrimSuffix(inner, "]")); err != nil {
			return nil, err
		}
		if len(bounds) != 2 {
			return nil, fmt.Errorf("a range takes two numbers")
		}
	}
	want := map[string]int{"uniform": 2, "normal": 2, "lognormal": 2, "beta": 2, "triangular": 3, "truncnormal": 4}
	n, known := want[name]
	if !known {
		return nil, fmt.Errorf("unknown distribution %q", name)
	}
	if len(x) != n {
		return nil, fmt.Errorf("%s takes %d numbers, got %d", name, n, len(x))
	}
	switch name {
	case "uniform":
		return dist.Uniform{Min: x[0], Max: x[1]}, nil
	case "normal":
		return dist.Normal{Mu: x[0], Sigma: x[1]}, nil
	case "lognormal":
		if bounds != nil {
			return dist.TruncLogNormal{Mu: x[0], Sigma: x[1], Min: bounds[0], Max: bounds[1]}, nil
		}
		return dist.LogNormal{Mu: x[0], Sigma: x[1]}, nil
	case "beta":
		return dist.Beta{Alpha: x[0], Beta: x[1]}, nil
	case "triangular":
		return dist.Triangular{Min: x[0], Mode: x[1], Max: x[2]}, nil
	}
	return dist.TruncNormal{Mu: x[0], Sigma: x[1], Min: x[2], Max: x[3]}, nil
}

func numbers(s string) ([]float64, error) {
	var out []float64
	for _, f := range strings.Split(s, ",") {
		v, err := strconv.ParseFloat(strings.TrimSpace(f), 64)
		if err != nil {
			return nil, fmt.Errorf("%q is not a number", strings.TrimSpace(f))
		}
		out = append(out, v)
	}
	return out, nil
}

func parseChoice(args string) (dist.Dist, error) {
	var c dist.Choice
	for i, f := range strings.Split(args, ",") {
		v, w, weighted := strings.Cut(strings.TrimSpace(f), ":")
		x, err := strconv.ParseFloat(v, 64)
		if err != nil {
			return nil, fmt.Errorf("%q is not a number", v)
		}
		c.Values = append(c.Values, x)
		if i > 0 && weighted != (c.Weights != nil) {
			return nil, fmt.Errorf("a choice gives a weight to every value or to none")
		}
		if weighted {
			y, err := strconv.ParseFloat(w, 64)
			if err != nil {
				return nil, fmt.Errorf("%q is not a number", w)
			}
			c.Weights = append(c.Weights, y)
		}
	}
	return c, nil
}

// Priors returns the fitted parameters of a summary with their priors,
// read back from the summary's notation (ParsePrior), in file order.
func (s *Summary) Priors() ([]abc.Param, error) {
	out := make([]abc.Param, len(s.Parameters))
	var probs []string
	for i, p := range s.Parameters {
		d, err := ParsePrior(p.Prior)
		if err != nil {
			probs = append(probs, fmt.Sprintf("parameter %s: %v", p.Name, err))
			continue
		}
		out[i] = abc.Param{Name: p.Name, Prior: d}
	}
	if len(probs) > 0 {
		return nil, fmt.Errorf("%s", strings.Join(probs, "; "))
	}
	return out, nil
}

// maxSummaryBytes bounds a summary.json read back: a calibration's is
// tens of kilobytes.
const maxSummaryBytes = 64 << 20

// ReadSummary reads a calibration's summary.json. (Not through
// package output's reader: output's tests import this package.)
func ReadSummary(path string) (*Summary, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if st, err := f.Stat(); err != nil || !st.Mode().IsRegular() {
		return nil, fmt.Errorf("%s is not a regular file", path)
	}
	b, err := io.ReadAll(io.LimitReader(f, maxSummaryBytes+1))
	if err != nil {
		return nil, err
	}
	if len(b) > maxSummaryBytes {
		return nil, fmt.Errorf("%s is larger than %d MB: not a calibration's summary", path, maxSummaryBytes>>20)
	}
	var s Summary
	if err := json.Unmarshal(b, &s); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if s.ABC == nil || s.Fit == nil || len(s.Parameters) == 0 {
		return nil, fmt.Errorf("%s is not a calibration's summary (no parameters, sampler or fitting-window check)", filepath.Clean(path))
	}
	return &s, nil
}
