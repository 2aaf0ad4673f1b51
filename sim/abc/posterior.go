package abc

import (
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"strconv"
	"strings"

	"github.com/geosim/geosim/sim/dist"
)

// WeightColumn heads the weight column of posterior.csv.
const WeightColumn = "weight"

// Posterior is a weighted joint sample of parameters — the rows of a
// posterior.csv file. Rows are drawn jointly, so the dependence between
// parameters that the data imply is kept.
type Posterior struct {
	// Params are the parameter paths, one per column.
	Params []string
	// Rows holds one joint draw per particle, values in Params order.
	Rows [][]float64
	// Weights holds each row's weight (≥ 0, not all zero; they need not
	// sum to 1).
	Weights []float64
	// SHA256 is the hex SHA-256 of the file the posterior was read from
	// (empty when it was not read from a file), for provenance.
	SHA256 string

	cum []float64
}

// Posterior returns the final population as a Posterior.
func (r *Result) Posterior() *Posterior {
	p := &Posterior{}
	for _, par := range r.Params {
		p.Params = append(p.Params, par.Name)
	}
	for _, pt := range r.Particles {
		p.Rows = append(p.Rows, pt.Theta)
		p.Weights = append(p.Weights, pt.Weight)
	}
	p.cum = cumulative(p.Weights)
	return p
}

// formatFloat writes x in the shortest form that reads back exactly.
func formatFloat(x float64) string { return strconv.FormatFloat(x, 'g', -1, 64) }

// WriteCSV writes the posterior as CSV: a header of the parameter paths
// and "weight", then one row per draw. Values are written in the
// shortest form that parses back to the same float64, so a written and
// re-read posterior is identical.
func (p *Posterior) WriteCSV(w io.Writer) error {
	cw := csv.NewWriter(w)
	head := append(append([]string{}, p.Params...), WeightColumn)
	if err := cw.Write(head); err != nil {
		return err
	}
	rec := make([]string, len(head))
	for i, row := range p.Rows {
		for j, v := range row {
			rec[j] = formatFloat(v)
		}
		rec[len(row)] = formatFloat(p.Weights[i])
		if err := cw.Write(rec); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// maxPosteriorErrors bounds the problems ReadPosterior reports at once.
const maxPosteriorErrors = 20

// ReadPosterior reads a posterior written by WriteCSV. name is the
// file's name for messages; every problem is reported at once (up to 20)
// as "name:line: column: message". The weight column may stand anywhere.
func ReadPosterior(r io.Reader, name string) (*Posterior, error) {
	h := sha256.New()
	cr := csv.NewReader(io.TeeReader(r, h))
	cr.ReuseRecord = false
	head, err := cr.Read()
	if err == io.EOF {
		return nil, fmt.Errorf("%s: empty file: a posterior needs a header and at least one row", name)
	}
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	var errs []error
	add := func(line int, format string, args ...any) {
		if len(errs) < maxPosteriorErrors {
			errs = append(errs, fmt.Errorf("%s:%d: %s", name, line, fmt.Sprintf(format, args...)))
		}
	}
	wcol := -1
	seen := map[string]bool{}
	p := &Posterior{}
	for j, col := range head {
		col = strings.TrimSpace(col)
		switch {
		case col == WeightColumn:
			if wcol >= 0 {
				add(1, "column %d: a second %q column", j+1, WeightColumn)
			}
			wcol = j
			continue
		case col == "":
			add(1, "column %d has no name", j+1)
		case seen[col]:
			add(1, "column %d: parameter %s appears twice", j+1, col)
		}
		seen[col] = true
		p.Params = append(p.Params, col)
	}
	if wcol < 0 {
		add(1, "no %q column", WeightColumn)
	}
	if len(p.Params) == 0 {
		add(1, "no parameter columns")
	}
	total := 0.0
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		line, _ := cr.FieldPos(0)
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				line = pe.Line
				if errors.Is(pe.Err, csv.ErrFieldCount) {
					add(line, "%d fields, the header has %d", len(rec), len(head))
					continue
				}
			}
			add(line, "%v", err)
			break
		}
		row := make([]float64, 0, len(p.Params))
		weight := math.NaN()
		for j, field := range rec {
			col := WeightColumn
			if j != wcol {
				col = strings.TrimSpace(head[j])
			}
			v, err := strconv.ParseFloat(strings.TrimSpace(field), 64)
			switch {
			case err != nil:
				add(line, "%s: %q is not a number", col, field)
			case math.IsNaN(v) || math.IsInf(v, 0):
				add(line, "%s: %v is not a finite number", col, v)
			case j == wcol && v < 0:
				add(line, "%s: %v is negative", col, v)
			}
			if j == wcol {
				weight = v
			} else {
				row = append(row, v)
			}
		}
		p.Rows = append(p.Rows, row)
		p.Weights = append(p.Weights, weight)
		if weight >= 0 && !math.IsInf(weight, 0) {
			total += weight
		}
	}
	if len(errs) == 0 {
		if len(p.Rows) == 0 {
			add(2, "no rows: a posterior needs at least one draw")
		} else if !(total > 0) {
			add(2, "the weights are all zero")
		}
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	p.SHA256 = hex.EncodeToString(h.Sum(nil))
	p.cum = cumulative(p.Weights)
	return p, nil
}

// ReadPosteriorFile reads the posterior file at path.
func ReadPosteriorFile(path string) (*Posterior, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return ReadPosterior(f, path)
}

// Row returns the index of the row that the uniform u in (0, 1) selects,
// by inversion of the weights in row order: row i is chosen with
// probability Weights[i] / ΣWeights. One uniform per draw, so a run that
// takes its u from a counter-based stream (seed, run, key) gets the same
// row whatever the number of workers.
func (p *Posterior) Row(u float64) int {
	cum := p.cum
	if cum == nil { // built as a literal: correct, but O(rows) per draw
		cum = cumulative(p.Weights)
	}
	return pick(cum, u)
}

// Draw returns the row that run `run` under seed draws from its own
// counter-based uniform (independent of the streams a calibration uses),
// for callers that have no uniform of their own.
func (p *Posterior) Draw(seed, run uint64) []float64 {
	u := dist.Unit(splitmix64(splitmix64(splitmix64(seed)^run) ^ posteriorKey))
	return p.Rows[p.Row(u)]
}

// posteriorKey separates Draw's uniforms from other counter-based ones.
const posteriorKey = 0x706f7374657269 // "posteri"

// Column returns the index of parameter name, or -1.
func (p *Posterior) Column(name string) int {
	for j, n := range p.Params {
		if n == name {
			return j
		}
	}
	return -1
}

// Check reports, all at once, the parameters of params that have no
// column in the posterior and the values that lie outside their prior's
// support — what a scenario drawing from a posterior file should verify.
// Columns the parameters do not name are not an error. name is the
// file's name for messages; rows are numbered as file lines (row i is
// line i+2).
func (p *Posterior) Check(params []Param, name string) error {
	var errs []error
	for _, par := range params {
		j := p.Column(par.Name)
		if j < 0 {
			errs = append(errs, fmt.Errorf("%s: no column for parameter %s", name, par.Name))
			continue
		}
		lo, hi := par.Prior.Support()
		bad := 0
		for i, row := range p.Rows {
			if v := row[j]; v < lo || v > hi {
				if bad < 3 {
					errs = append(errs, fmt.Errorf("%s:%d: %s = %g lies outside its prior %s's support [%g, %g]", name, i+2, par.Name, v, par.Prior, lo, hi))
				}
				bad++
			}
		}
		if bad > 3 {
			errs = append(errs, fmt.Errorf("%s: %d more values of %s outside [%g, %g]", name, bad-3, par.Name, lo, hi))
		}
	}
	return errors.Join(errs...)
}
