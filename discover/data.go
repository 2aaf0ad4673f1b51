package discover

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"sort"
	"strconv"
	"strings"
)

// Data is what discovery works on: points in the space of the uncertain
// parameters and, for each point, in how many of its runs the condition
// held.
//
// With one run per point (a run folder's runs.csv) a point's value is 0
// or 1 and mixes the parameters' effect with the model's own randomness.
// With R runs per point (replicates: the same parameter values, R
// independent random streams) the point's value Hits/R estimates the
// condition's probability at that point, and discovery works on those
// estimates (see the package documentation).
type Data struct {
	Params []string    // parameter names (paths), one per column of X
	X      [][]float64 // X[j][i]: value of parameter j at point i
	Hits   []int32     // runs of point i in which the condition held, 0..Runs
	Runs   int         // runs per point, at least 1

	order [][]int32 // per parameter: point indices sorted by value (ties by index)
}

// NewData checks the shapes and prepares the sorted orders discovery
// walks. x is column-major: x[j][i] is parameter j at point i.
func NewData(params []string, x [][]float64, hits []int32, runs int) (*Data, error) {
	if runs < 1 {
		return nil, fmt.Errorf("discover: runs per point must be >= 1, got %d", runs)
	}
	if len(params) == 0 || len(params) != len(x) {
		return nil, fmt.Errorf("discover: %d parameter names for %d columns (need at least one)", len(params), len(x))
	}
	if len(params) > math.MaxUint16 {
		return nil, fmt.Errorf("discover: at most %d parameters, got %d", math.MaxUint16, len(params))
	}
	n := len(hits)
	if n < 2 {
		return nil, fmt.Errorf("discover: need at least 2 points, got %d", n)
	}
	for j, col := range x {
		if len(col) != n {
			return nil, fmt.Errorf("discover: parameter %s has %d values for %d points", params[j], len(col), n)
		}
		for i, v := range col {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return nil, fmt.Errorf("discover: parameter %s is %v at point %d", params[j], v, i)
			}
		}
	}
	for i, h := range hits {
		if h < 0 || int(h) > runs {
			return nil, fmt.Errorf("discover: point %d has %d hits in %d runs", i, h, runs)
		}
	}
	d := &Data{Params: params, X: x, Hits: hits, Runs: runs, order: make([][]int32, len(x))}
	for j, col := range x {
		ord := make([]int32, n)
		for i := range ord {
			ord[i] = int32(i)
		}
		sort.SliceStable(ord, func(a, b int) bool { return col[ord[a]] < col[ord[b]] })
		d.order[j] = ord
	}
	return d, nil
}

// Points returns the number of points.
func (d *Data) Points() int { return len(d.Hits) }

// Y returns the share of point i's runs in which the condition held.
func (d *Data) Y(i int) float64 { return float64(d.Hits[i]) / float64(d.Runs) }

// Range returns the smallest and largest value of parameter j.
func (d *Data) Range(j int) (lo, hi float64) {
	ord := d.order[j]
	return d.X[j][ord[0]], d.X[j][ord[len(ord)-1]]
}

// ParseError is a problem at a line of a runs.csv file.
type ParseError struct {
	File string
	Line int
	Err  error
}

func (e *ParseError) Error() string { return fmt.Sprintf("%s:%d: %v", e.File, e.Line, e.Err) }
func (e *ParseError) Unwrap() error { return e.Err }

// ReadRuns reads a runs.csv file written by geosim run (one run per
// row): the columns named in params become the points' coordinates, and
// the column cond.Name decides, run by run, whether the condition held.
// Consecutive runs come in groups of replicates sharing a parameter draw
// (run r uses draw ⌊r / replicates⌋): each group is one point with
// replicates runs, and a group the file leaves incomplete is dropped.
// name labels errors. Every problem is reported, up to a limit.
func ReadRuns(r io.Reader, name string, params []string, cond Condition, replicates int) (*Data, error) {
	if replicates < 1 {
		return nil, fmt.Errorf("discover: replicates must be >= 1, got %d", replicates)
	}
	cr := csv.NewReader(r)
	cr.ReuseRecord = true
	header, err := cr.Read()
	if err == io.EOF {
		return nil, &ParseError{name, 1, errors.New("empty file: expected the runs.csv header")}
	}
	if err != nil {
		return nil, &ParseError{name, 1, err}
	}
	col := map[string]int{}
	for k, h := range header {
		col[h] = k
	}
	var missing []string
	idx := make([]int, len(params))
	for j, p := range params {
		k, ok := col[p]
		if !ok { // runs.csv writes a path without the quotes around a dotted segment
			k, ok = col[strings.ReplaceAll(p, `"`, "")]
		}
		if !ok {
			missing = append(missing, p)
		}
		idx[j] = k
	}
	ck, ok := col[cond.Name]
	if !ok {
		missing = append(missing, cond.Name)
	}
	if len(missing) > 0 {
		return nil, &ParseError{name, 1, fmt.Errorf("header lacks the column(s) %v", missing)}
	}
	x := make([][]float64, len(params))
	var hits []int32
	var probs []error
	line := 1
	for {
		rec, err := cr.Read()
		line++
		if err == io.EOF {
			break
		}
		if err != nil {
			probs = append(probs, &ParseError{name, line, err})
			if len(probs) >= 10 {
				break
			}
			continue
		}
		ok := true
		for j, k := range idx {
			v, err := strconv.ParseFloat(rec[k], 64)
			if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
				probs = append(probs, &ParseError{name, line, fmt.Errorf("%s = %q is not a number", params[j], rec[k])})
				ok = false
				continue
			}
			x[j] = append(x[j], v)
		}
		v, err := strconv.ParseFloat(rec[ck], 64)
		if err != nil || math.IsNaN(v) {
			probs = append(probs, &ParseError{name, line, fmt.Errorf("%s = %q is not a number", cond.Name, rec[ck])})
			ok = false
		}
		if !ok {
			if len(probs) >= 10 {
				break
			}
			for j := range x {
				x[j] = x[j][:len(hits)]
			}
			continue
		}
		var h int32
		if cond.Holds(v) {
			h = 1
		}
		hits = append(hits, h)
	}
	if len(probs) > 0 {
		return nil, errors.Join(probs...)
	}
	if replicates == 1 {
		return NewData(params, x, hits, 1)
	}
	points := len(hits) / replicates
	gx := make([][]float64, len(params))
	for j := range x {
		gx[j] = make([]float64, points)
		for i := range gx[j] {
			gx[j][i] = x[j][i*replicates]
		}
	}
	ghits := make([]int32, points)
	for i := range ghits {
		for r := 0; r < replicates; r++ {
			ghits[i] += hits[i*replicates+r]
		}
	}
	return NewData(params, gx, ghits, replicates)
}
