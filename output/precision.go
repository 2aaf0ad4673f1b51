package output

import (
	"math"

	"github.com/geosim/geosim/sim"
	"github.com/geosim/geosim/sim/stats"
)

// Precision is what a run in precision mode (geosim run -precision P)
// records in summary.json: the target, the block schedule, whether every
// quantity met its tolerance, and the estimates at each check.
//
// The rule: every event probability and every question's probability
// has a 95% Wilson interval of half-width at most Target (absolute, in
// probability units: 0.01 is ±1 percentage point), and every outcome
// mean a 95% interval (mean ± 1.96 SE) of half-width at most Target
// times the outcome's range (20 Goldstein points for relations, the
// months counted for counts). A probability is the mean of a 0/1
// outcome whose range is 1, so one number sets both.
type Precision struct {
	Target  Float  `json:"target"`
	Block   int    `json:"block"`    // runs per block; checks happen only after whole blocks
	MaxRuns int64  `json:"max_runs"` // the cap
	Runs    int64  `json:"runs"`     // runs performed
	Met     bool   `json:"met"`      // every quantity met its tolerance
	Binding string `json:"binding"`  // the quantity with the largest half-width relative to its tolerance at the end
	// Quantities are the final half-widths against their tolerances.
	Quantities []PrecisionQuantity `json:"quantities"`
	// Checkpoints are the estimates after each block (at most
	// MaxCheckpoints of them, evenly thinned, always with the last).
	Checkpoints []Checkpoint `json:"checkpoints"`
}

// PrecisionQuantity is one quantity's precision.
type PrecisionQuantity struct {
	Name        string `json:"name"`
	Description string `json:"description"`
	Kind        string `json:"kind"` // event, question or outcome
	// Tolerance is the half-width allowed, in the quantity's units.
	Tolerance Float `json:"tolerance"`
	HalfWidth Float `json:"half_width"`
	Estimate  Float `json:"estimate"`
	Met       bool  `json:"met"`
}

// Checkpoint is every quantity's estimate and 95% interval after some
// runs, in the order of Precision.Quantities.
type Checkpoint struct {
	Runs     int64   `json:"runs"`
	Estimate []Float `json:"estimate"`
	Lo       []Float `json:"lo95"`
	Hi       []Float `json:"hi95"`
}

// MaxCheckpoints bounds the checkpoints kept in summary.json.
const MaxCheckpoints = 200

// CheckPrecision measures every quantity of r against the target and
// returns them with the checkpoint of r. Quantities are events, then
// questions, then outcomes, in the model's order.
func CheckPrecision(m *sim.Model, r *sim.Result, target float64) ([]PrecisionQuantity, Checkpoint) {
	var qs []PrecisionQuantity
	cp := Checkpoint{Runs: r.Runs}
	add := func(q PrecisionQuantity, est, lo, hi float64) {
		q.Estimate, q.Met = Float(est), q.HalfWidth <= q.Tolerance
		qs = append(qs, q)
		cp.Estimate = append(cp.Estimate, Float(est))
		cp.Lo = append(cp.Lo, Float(lo))
		cp.Hi = append(cp.Hi, Float(hi))
	}
	for k, e := range m.Events() {
		p := r.Events[k].Occurred
		lo, hi := r.Events[k].Grouped.Interval95(p)
		add(PrecisionQuantity{Name: e.Name, Description: e.Description, Kind: "event", Tolerance: Float(target), HalfWidth: Float((hi - lo) / 2)}, p.P(), lo, hi)
	}
	for k, q := range m.Questions() {
		p, g := questionEstimate(m, r, k)
		lo, hi := g.Interval95(p)
		add(PrecisionQuantity{Name: q.ID, Description: q.Text, Kind: "question", Tolerance: Float(target), HalfWidth: Float((hi - lo) / 2)}, p.P(), lo, hi)
	}
	for k, o := range m.Outcomes() {
		mo := &r.Outcomes[k].Moments
		half := stats.Z95 * r.Outcomes[k].MeanSE()
		if math.IsNaN(half) {
			half = math.Inf(1) // fewer than two runs
		}
		mean := mo.Mean()
		add(PrecisionQuantity{Name: o.Name, Description: o.Description, Kind: "outcome", Tolerance: Float(target * (o.Max - o.Min)), HalfWidth: Float(half)}, mean, mean-half, mean+half)
	}
	return qs, cp
}

// Binding returns the quantity whose half-width is largest relative to
// its tolerance ("" for none).
func Binding(qs []PrecisionQuantity) string {
	best, worst := "", -1.0
	for _, q := range qs {
		if ratio := float64(q.HalfWidth) / float64(q.Tolerance); ratio > worst {
			best, worst = q.Name, ratio
		}
	}
	return best
}

// ThinCheckpoints keeps at most MaxCheckpoints checkpoints: every k-th,
// k the smallest step that fits, and always the last.
func ThinCheckpoints(cps []Checkpoint) []Checkpoint {
	if len(cps) <= MaxCheckpoints {
		return cps
	}
	step := (len(cps) + MaxCheckpoints - 2) / (MaxCheckpoints - 1)
	var out []Checkpoint
	for i := 0; i < len(cps)-1; i += step {
		out = append(out, cps[i])
	}
	return append(out, cps[len(cps)-1])
}
