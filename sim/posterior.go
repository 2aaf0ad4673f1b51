package sim

import (
	"math"
	"sort"
)

// posterior is a compiled Posterior: the slots its columns set, its rows
// and the cumulative weights a draw inverts.
type posterior struct {
	file, sha string
	slots     []int       // parameter slot of each column
	rows      [][]float64 // values in column order
	cum       []float64   // cumulative weights
	col       []int       // per column: its position in Model.uncertain
	key       uint64      // names the row uniform of a parameter draw
}

// has reports whether slot i is set by the posterior.
func (p *posterior) has(i int) bool {
	if p == nil {
		return false
	}
	for _, s := range p.slots {
		if s == i {
			return true
		}
	}
	return false
}

// index records where each column's parameter sits in the uncertain list.
func (p *posterior) index(uncertain []int) {
	if p == nil {
		return
	}
	p.col = make([]int, len(p.slots))
	for k, s := range p.slots {
		for u, slot := range uncertain {
			if slot == s {
				p.col[k] = u
			}
		}
	}
}

// row returns the row the uniform u in (0, 1) selects: row i with
// probability w_i / Σw, by inversion of the cumulative weights.
func (p *posterior) row(u float64) []float64 {
	target := u * p.cum[len(p.cum)-1]
	i := sort.Search(len(p.cum), func(i int) bool { return p.cum[i] > target })
	return p.rows[min(i, len(p.rows)-1)]
}

// posterior checks the scenario's posterior table against the model's
// parameters: known paths, each once, finite values inside each
// parameter's range, weights that are finite, non-negative and not all 0.
func (c *compiler) posterior() {
	sc := c.sc.Posterior
	if sc == nil {
		return
	}
	const path = "posterior"
	p := &posterior{file: sc.File, sha: sc.SHA256, key: pathHash("posterior")}
	ok := true
	if len(sc.Params) == 0 || len(sc.Rows) == 0 {
		c.probs.add(path, "%s: a posterior needs parameter columns and at least one row", sc.File)
		return
	}
	seen := map[string]bool{}
	for _, name := range sc.Params {
		slot, known := c.tab.byPath[name]
		switch {
		case !known || name == "" || name[0] == '-':
			c.probs.add(path, "%s: column %q is not a parameter of the scenario", sc.File, name)
			ok = false
		case seen[name]:
			c.probs.add(path, "%s: column %q appears twice", sc.File, name)
			ok = false
		}
		seen[name] = true
		p.slots = append(p.slots, slot)
	}
	if len(sc.Weights) != len(sc.Rows) {
		c.probs.add(path, "%s: %d weights for %d rows", sc.File, len(sc.Weights), len(sc.Rows))
		return
	}
	total := 0.0
	for r, row := range sc.Rows {
		if len(row) != len(sc.Params) {
			c.probs.add(path, "%s: row %d has %d values for %d columns", sc.File, r+1, len(row), len(sc.Params))
			ok = false
			continue
		}
		for k, v := range row {
			if !ok {
				break
			}
			f := c.tab.params[p.slots[k]].Field
			if math.IsNaN(v) || v < f.Min || v > f.Max {
				c.probs.add(path, "%s: row %d, %s = %g is outside [%g, %g]", sc.File, r+1, sc.Params[k], v, f.Min, f.Max)
				ok = false
			}
		}
		w := sc.Weights[r]
		if math.IsNaN(w) || math.IsInf(w, 0) || w < 0 {
			c.probs.add(path, "%s: row %d has weight %g; weights must be finite and >= 0", sc.File, r+1, w)
			ok = false
		}
		total += w
		p.cum = append(p.cum, total)
	}
	if ok && !(total > 0 && !math.IsInf(total, 0)) {
		c.probs.add(path, "%s: the weights sum to %g; they must sum to a positive finite number", sc.File, total)
		ok = false
	}
	if ok {
		p.rows = sc.Rows
		c.m.post = p
	}
}

// PosteriorInfo returns the posterior's file and SHA-256, or empty
// strings when the scenario draws no parameters from a posterior.
func (m *Model) PosteriorInfo() (file, sha string) {
	if m.post == nil {
		return "", ""
	}
	return m.post.file, m.post.sha
}

// BurnIn returns the months of burn-in before the start.
func (m *Model) BurnIn() int { return m.burnIn }
