package experiment

import (
	"context"
	"fmt"
	"math"
	"runtime"
	"sync"
	"sync/atomic"

	"github.com/geosim/geosim/sim"
	"github.com/geosim/geosim/sim/stats"
)

// Paired holds, for one outcome or event, the values in the reference
// scenario (A) and another (B) and their differences B − A run by run.
// Events enter as 0/1 indicators, so means are probabilities.
type Paired struct {
	A, B, Diff stats.Moments
	// GroupDiff holds the moments of the mean difference over each
	// complete group of runs sharing a parameter draw (replicates): with
	// groups, runs are not independent and the paired interval comes
	// from the spread of the group means.
	GroupDiff stats.Moments
	open      float64 // the current group's sum of differences
}

// Difference returns the mean difference B − A.
func (p *Paired) Difference() float64 { return p.Diff.Mean() }

// PairedCI95 is the 95% interval of the mean difference from the
// standard deviation of the run-by-run differences: on common random
// numbers the runs of A and B are positively correlated, so it is
// narrower than UnpairedCI95.
func (p *Paired) PairedCI95() (lo, hi float64) {
	if p.Diff.Variance() == 0 {
		d := p.Diff.Mean()
		return d, d
	}
	if p.GroupDiff.N >= 2 && p.GroupDiff.N < p.Diff.N {
		d, se := p.Diff.Mean(), p.GroupDiff.SE()
		return d - stats.Z95*se, d + stats.Z95*se
	}
	return p.Diff.CI95()
}

// add records one run's values; pos is the run's place in its group of
// size replicates.
func (p *Paired) add(a, b float64, pos, replicates uint64) {
	p.A.Add(a)
	p.B.Add(b)
	p.Diff.Add(b - a)
	if replicates < 2 {
		return
	}
	if pos == 0 {
		p.open = 0
	}
	p.open += b - a
	if pos == replicates-1 {
		p.GroupDiff.Add(p.open / float64(replicates))
	}
}

// UnpairedCI95 is the interval one would get from independent runs:
// mean difference ± 1.96·sqrt(var_A/n + var_B/n).
func (p *Paired) UnpairedCI95() (lo, hi float64) {
	d := p.Diff.Mean()
	se := math.Sqrt(p.A.Variance()/float64(p.A.N) + p.B.Variance()/float64(p.B.N))
	return d - stats.Z95*se, d + stats.Z95*se
}

func (p *Paired) merge(o *Paired) {
	p.A.Merge(&o.A)
	p.B.Merge(&o.B)
	p.Diff.Merge(&o.Diff)
	p.GroupDiff.Merge(&o.GroupDiff)
}

// Comparison is the result of comparing scenarios run by run.
type Comparison struct {
	Models   []*sim.Model
	Results  []*sim.Result
	Outcomes []string   // outcome names every scenario has
	Events   []string   // event names every scenario has
	Outcome  [][]Paired // [scenario k ≥ 1][outcome]: scenario k versus scenario 0
	Event    [][]Paired // [scenario k ≥ 1][event]
	index    [][2][]int // [scenario][outcomes, events]: position of each common name
}

// Compare runs every model for the same runs on common random numbers and
// compares each with the first: per common outcome and event, the mean
// difference with its paired and unpaired 95% intervals. Outcomes and
// events are matched by name. Results do not depend on the number of
// workers.
func Compare(ctx context.Context, models []*sim.Model, cfg sim.Config) (*Comparison, error) {
	if len(models) < 2 {
		return nil, fmt.Errorf("compare needs at least two scenarios")
	}
	if cfg.Runs < 1 {
		return nil, fmt.Errorf("compare needs at least one run")
	}
	c := &Comparison{Models: models}
	c.match()
	if len(c.Outcomes)+len(c.Events) == 0 {
		return nil, fmt.Errorf("the scenarios share no outcome or event names")
	}
	workers := cfg.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	// Runs are grouped by parameter draw as in the first model; chunks
	// hold whole groups so that each group is counted by one worker.
	replicates := models[0].Replicates()
	for _, m := range models[1:] {
		if m.Replicates() != replicates {
			return nil, fmt.Errorf("compare: %s has %d replicates per parameter draw, %s has %d; give the scenarios the same replicates", models[0].Name(), replicates, m.Name(), m.Replicates())
		}
	}
	if cfg.First%replicates != 0 {
		return nil, fmt.Errorf("compare: first run %d does not start a group of %d replicates", cfg.First, replicates)
	}
	chunk := replicates * ((256 + replicates - 1) / replicates)
	chunks := (cfg.Runs + chunk - 1) / chunk
	workers = min(workers, chunks)
	type part struct {
		results []*sim.Result
		outcome [][]Paired
		event   [][]Paired
	}
	parts := make([]part, workers)
	var next atomic.Int64
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			p := part{}
			ws := make([]*sim.Workspace, len(models))
			for k, m := range models {
				ws[k] = sim.NewWorkspace(m)
				p.results = append(p.results, sim.NewResult(m))
			}
			p.outcome, p.event = c.emptyPairs(), c.emptyEventPairs()
			parts[w] = p
			for ctx.Err() == nil {
				ch := int(next.Add(1) - 1)
				if ch >= chunks {
					return
				}
				for i := ch * chunk; i < min((ch+1)*chunk, cfg.Runs); i++ {
					for k := range models {
						ws[k].Run(cfg.Seed, uint64(cfg.First+i))
						p.results[k].Add(&ws[k].Out)
					}
					c.addPairs(ws, p.outcome, p.event)
				}
			}
		}(w)
	}
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	c.Outcome, c.Event = c.emptyPairs(), c.emptyEventPairs()
	for k, m := range models {
		c.Results = append(c.Results, sim.NewResult(m))
		for _, p := range parts {
			if err := c.Results[k].Merge(p.results[k]); err != nil {
				return nil, err
			}
		}
	}
	for _, p := range parts {
		for k := range c.Outcome {
			for j := range c.Outcome[k] {
				c.Outcome[k][j].merge(&p.outcome[k][j])
			}
			for j := range c.Event[k] {
				c.Event[k][j].merge(&p.event[k][j])
			}
		}
	}
	return c, nil
}

// match finds the outcome and event names common to every model, in the
// first model's order.
func (c *Comparison) match() {
	has := func(m *sim.Model, outcome bool, name string) int {
		if outcome {
			for i, o := range m.Outcomes() {
				if o.Name == name {
					return i
				}
			}
			return -1
		}
		for i, e := range m.Events() {
			if e.Name == name {
				return i
			}
		}
		return -1
	}
	c.index = make([][2][]int, len(c.Models))
	for _, o := range c.Models[0].Outcomes() {
		if all(c.Models, func(m *sim.Model) bool { return has(m, true, o.Name) >= 0 }) {
			c.Outcomes = append(c.Outcomes, o.Name)
		}
	}
	for _, e := range c.Models[0].Events() {
		if all(c.Models, func(m *sim.Model) bool { return has(m, false, e.Name) >= 0 }) {
			c.Events = append(c.Events, e.Name)
		}
	}
	for k, m := range c.Models {
		for _, n := range c.Outcomes {
			c.index[k][0] = append(c.index[k][0], has(m, true, n))
		}
		for _, n := range c.Events {
			c.index[k][1] = append(c.index[k][1], has(m, false, n))
		}
	}
}

func all(ms []*sim.Model, f func(*sim.Model) bool) bool {
	for _, m := range ms {
		if !f(m) {
			return false
		}
	}
	return true
}

func (c *Comparison) emptyPairs() [][]Paired {
	out := make([][]Paired, len(c.Models)-1)
	for k := range out {
		out[k] = make([]Paired, len(c.Outcomes))
	}
	return out
}

func (c *Comparison) emptyEventPairs() [][]Paired {
	out := make([][]Paired, len(c.Models)-1)
	for k := range out {
		out[k] = make([]Paired, len(c.Events))
	}
	return out
}

func (c *Comparison) addPairs(ws []*sim.Workspace, outcome, event [][]Paired) {
	ref := &ws[0].Out
	r := uint64(c.Models[0].Replicates())
	pos := ref.Run % r
	for k := 1; k < len(ws); k++ {
		out := &ws[k].Out
		for j, i0 := range c.index[0][0] {
			outcome[k-1][j].add(ref.Outcomes[i0], out.Outcomes[c.index[k][0][j]], pos, r)
		}
		for j, i0 := range c.index[0][1] {
			event[k-1][j].add(indicator(ref.EventStep[i0]), indicator(out.EventStep[c.index[k][1][j]]), pos, r)
		}
	}
}

func indicator(step int32) float64 {
	if step >= 0 {
		return 1
	}
	return 0
}
