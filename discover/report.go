package discover

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/geosim/geosim/output"
)

// Report is boxes.json: a discovery with its provenance, every box in
// numbers and in words, and CART's leaves for comparison.
type Report struct {
	Tool           string `json:"tool"`
	Version        string `json:"version"`
	Source         string `json:"source"` // the runs.csv or scenario file read
	Scenario       string `json:"scenario"`
	Title          string `json:"title"`
	ScenarioFile   string `json:"scenario_file"`
	ScenarioSHA256 string `json:"scenario_sha256"`
	Seed           uint64 `json:"seed"` // of the runs

	Condition   string `json:"condition"`   // as parsed, e.g. "dprk_rus_end < 4"
	Description string `json:"description"` // the event's or outcome's description
	Phrase      string `json:"phrase"`      // what a run meeting it has, for sentences

	// Points is the number of parameter points; Replicates the runs per
	// point (1 for a run folder's runs.csv); Runs their product.
	Points     int   `json:"points"`
	Replicates int   `json:"replicates"`
	Runs       int64 `json:"runs"`

	Settings   Settings     `json:"settings"`
	Rate       RateReport   `json:"unconditional_rate"`
	Parameters []Parameter  `json:"parameters"`
	Boxes      []BoxReport  `json:"boxes"`
	CART       CARTReport   `json:"cart"`
	Warnings   []string     `json:"warnings"`
	Notes      []string     `json:"notes"`
	Method     MethodReport `json:"method"`
}

// Settings records the configuration used.
type Settings struct {
	PeelAlpha    float64 `json:"peel_alpha"`
	PasteAlpha   float64 `json:"paste_alpha"`
	MassMin      float64 `json:"mass_min"`
	MaxDims      int     `json:"max_dims"`
	Rule         string  `json:"rule"`
	MinCoverage  float64 `json:"min_coverage"`
	MaxBoxes     int     `json:"max_boxes"`
	Permutations int     `json:"permutations"`
	Bootstrap    int     `json:"bootstrap"`
	CARTDepth    int     `json:"cart_max_depth"`
	CARTMinLeaf  int     `json:"cart_min_leaf"`
	CARTFolds    int     `json:"cart_folds"`
	Seed         uint64  `json:"seed"` // of the permutations, resamples and folds
}

// MethodReport states, in a sentence each, how the numbers were made.
type MethodReport struct {
	Randomness string `json:"randomness"`
	Intervals  string `json:"intervals"`
}

// RateReport is a Rate for JSON.
type RateReport struct {
	Value  output.Float `json:"value"`
	Lo95   output.Float `json:"lo95"`
	Hi95   output.Float `json:"hi95"`
	SE     output.Float `json:"se"`
	Hits   int64        `json:"hits"`
	Runs   int64        `json:"runs"`
	Points int64        `json:"points"`
}

func rateReport(r Rate) RateReport {
	return RateReport{output.Float(r.Value), output.Float(r.Lo), output.Float(r.Hi), output.Float(r.SE), r.Hits, r.Runs, r.Points}
}

// Parameter is an uncertain parameter with its label and observed range.
type Parameter struct {
	Path  string       `json:"path"`
	Label string       `json:"label"`
	Min   output.Float `json:"min"`
	Max   output.Float `json:"max"`
	Unit  string       `json:"unit,omitempty"`
}

// Restriction is one restricted parameter of a box. Lower or Upper is
// null on a side left open.
type Restriction struct {
	Parameter string       `json:"parameter"`
	Label     string       `json:"label"`
	Lower     output.Float `json:"lower"`
	Upper     output.Float `json:"upper"`
	Min       output.Float `json:"range_min"`
	Max       output.Float `json:"range_max"`
	QuasiP    output.Float `json:"quasi_p"`
	// BootstrapShare is the share of bootstrap boxes restricting the
	// parameter; Lower95 and Upper95 the 2.5–97.5% spread of their limits.
	BootstrapShare output.Float    `json:"bootstrap_share"`
	Lower95        [2]output.Float `json:"lower_bootstrap95"`
	Upper95        [2]output.Float `json:"upper_bootstrap95"`
	// Param is the parameter's index among Report.Parameters.
	Param int `json:"-"`
}

// TrajectoryPoint is one box of a peeling trajectory.
type TrajectoryPoint struct {
	Coverage output.Float `json:"coverage"`
	Density  output.Float `json:"density"`
	Mass     output.Float `json:"mass"`
	Dims     int          `json:"dims"`
}

// BoxReport is one PRIM box.
type BoxReport struct {
	Box          int               `json:"box"` // 1-based
	Sentence     string            `json:"sentence"`
	Coverage     output.Float      `json:"coverage"`
	Density      output.Float      `json:"density"`
	Mass         output.Float      `json:"mass"`
	Lift         output.Float      `json:"lift"`
	Rate         RateReport        `json:"rate"`       // inside the box, with its (optimistic) interval
	Start        RateReport        `json:"start_rate"` // among the points the search began with
	Restrictions []Restriction     `json:"restrictions"`
	Significant  *bool             `json:"significant"` // null when not tested
	Permutation  *Permutation      `json:"permutation,omitempty"`
	Jaccard      output.Float      `json:"bootstrap_jaccard"`
	Resamples    int               `json:"bootstrap_resamples"`
	Trajectory   []TrajectoryPoint `json:"trajectory"`
	Chosen       int               `json:"chosen"` // index in Trajectory
	Pasted       TrajectoryPoint   `json:"pasted"`
}

// LeafReport is one leaf of the pruned CART tree.
type LeafReport struct {
	Leaf         int           `json:"leaf"` // node index in the tree
	Sentence     string        `json:"sentence"`
	Coverage     output.Float  `json:"coverage"`
	Density      output.Float  `json:"density"`
	Mass         output.Float  `json:"mass"`
	Points       int           `json:"points"`
	Restrictions []Restriction `json:"restrictions"`
}

// CARTReport is the pruned tree's leaves, densest first, and how its
// densest leaf compares with PRIM's first box.
type CARTReport struct {
	Alpha   output.Float `json:"alpha"`
	Leaves  []LeafReport `json:"leaves"`
	Pruning []PruneStep  `json:"pruning"`
	// Agreement is the Jaccard overlap between the points of the densest
	// leaf and of PRIM's first box (null without a box).
	Agreement output.Float `json:"agreement_with_prim_box1"`
}

// ReportMeta is what a Report says besides the discovery.
type ReportMeta struct {
	Tool, Version, Source, Scenario, Title, ScenarioFile, ScenarioSHA256 string
	Seed                                                                 uint64
	Condition                                                            Condition
	Description                                                          string
	Labels                                                               Labels
	Units                                                                map[string]string // parameter path → unit
}

// NewReport builds boxes.json from a discovery.
func NewReport(res *Result, d *Data, m ReportMeta) *Report {
	c := res.Config
	r := &Report{Tool: m.Tool, Version: m.Version, Source: m.Source, Scenario: m.Scenario, Title: m.Title,
		ScenarioFile: m.ScenarioFile, ScenarioSHA256: m.ScenarioSHA256, Seed: m.Seed,
		Condition: m.Condition.String(), Description: m.Description, Phrase: m.Condition.Phrase(m.Description),
		Points: res.Points, Replicates: res.Runs, Runs: int64(res.Points) * int64(res.Runs),
		Settings: Settings{PeelAlpha: c.Prim.PeelAlpha, PasteAlpha: c.Prim.PasteAlpha, MassMin: c.Prim.MassMin, MaxDims: c.Prim.MaxDims,
			Rule: c.Prim.Rule, MinCoverage: c.Prim.MinCoverage, MaxBoxes: c.MaxBoxes, Permutations: max(c.Permutations, 0),
			Bootstrap: max(c.Bootstrap, 0), CARTDepth: c.CART.MaxDepth, CARTMinLeaf: c.CART.MinLeaf, CARTFolds: c.CART.Folds, Seed: c.Seed},
		Rate: rateReport(res.Rate), Warnings: res.Warnings, Notes: res.Notes}
	if r.Warnings == nil {
		r.Warnings = []string{}
	}
	if r.Notes == nil {
		r.Notes = []string{}
	}
	if r.Settings.CARTMinLeaf == 0 {
		r.Settings.CARTMinLeaf = max(10, res.Points/100)
	}
	if res.Runs > 1 {
		r.Method.Randomness = "Each point was run " + strconv.Itoa(res.Runs) + " times with its own random streams; a point's value is the share of its runs meeting the condition, and a box's density is the mean of those shares."
		r.Method.Intervals = "Intervals of rates are the mean of the point shares ± 1.96 standard errors taken from their spread across points. Box rates are measured on the points that chose the box, so they are optimistic; the permutation test counts the search."
	} else {
		r.Method.Randomness = "One run per point: a point's value (0 or 1) mixes the parameters' effect with the model's own randomness, so a box's density is a rate of runs, not a probability per parameter point; run discovery on the scenario with -replicates for per-point probabilities."
		r.Method.Intervals = "Intervals of rates are Wilson 95% intervals. Box rates are measured on the points that chose the box, so they are optimistic; the permutation test counts the search."
	}
	for j, p := range d.Params {
		lo, hi := d.Range(j)
		r.Parameters = append(r.Parameters, Parameter{Path: p, Label: m.Labels.Label(p), Min: output.Float(lo), Max: output.Float(hi), Unit: m.Units[p]})
	}
	restrictions := func(b *Box, qp []float64, boot *Bootstrap) []Restriction {
		out := []Restriction{}
		for j, p := range d.Params {
			if !b.Restricted(j) {
				continue
			}
			lo, hi := d.Range(j)
			rs := Restriction{Parameter: p, Label: m.Labels.Label(p), Lower: output.Float(b.Lo[j]), Upper: output.Float(b.Hi[j]),
				Min: output.Float(lo), Max: output.Float(hi), QuasiP: output.Float(math.NaN()), BootstrapShare: output.Float(math.NaN()),
				Lower95: [2]output.Float{output.Float(math.NaN()), output.Float(math.NaN())}, Upper95: [2]output.Float{output.Float(math.NaN()), output.Float(math.NaN())}, Param: j}
			if qp != nil {
				rs.QuasiP = output.Float(qp[j])
			}
			if boot != nil {
				rs.BootstrapShare = output.Float(boot.Restricted[j])
				rs.Lower95 = [2]output.Float{output.Float(boot.Lo[j][0]), output.Float(boot.Lo[j][1])}
				rs.Upper95 = [2]output.Float{output.Float(boot.Hi[j][0]), output.Float(boot.Hi[j][1])}
			}
			out = append(out, rs)
		}
		return out
	}
	point := func(b Box) TrajectoryPoint {
		return TrajectoryPoint{output.Float(b.Coverage), output.Float(b.Density), output.Float(b.Mass), b.Dims}
	}
	phrase := r.Phrase
	for k := range res.Boxes {
		f := &res.Boxes[k]
		// Later boxes hold only the runs earlier boxes left.
		sentence := m.Labels.Sentence(&f.Box, d.Params, phrase, res.Rate.Value)
		switch {
		case k == 1:
			sentence = "Outside box 1, " + strings.ToLower(sentence[:1]) + sentence[1:]
		case k > 1:
			sentence = "Outside boxes 1–" + strconv.Itoa(k) + ", " + strings.ToLower(sentence[:1]) + sentence[1:]
		}
		br := BoxReport{Box: k + 1, Sentence: sentence,
			Coverage: output.Float(f.Box.Coverage), Density: output.Float(f.Box.Density), Mass: output.Float(f.Box.Mass),
			Lift: output.Float(f.Lift), Rate: rateReport(f.Rate), Start: rateReport(f.Start),
			Restrictions: restrictions(&f.Box, f.QuasiP, f.Bootstrap), Permutation: f.Permutation,
			Chosen: f.Chosen, Pasted: point(f.Pasted), Jaccard: output.Float(math.NaN())}
		if f.Permutation != nil {
			sig := f.Significant()
			br.Significant = &sig
		}
		if f.Bootstrap != nil {
			br.Jaccard, br.Resamples = output.Float(f.Bootstrap.Jaccard), f.Bootstrap.Resamples
		}
		for _, b := range f.Trajectory {
			br.Trajectory = append(br.Trajectory, point(b))
		}
		r.Boxes = append(r.Boxes, br)
	}
	if r.Boxes == nil {
		r.Boxes = []BoxReport{}
	}
	r.CART.Agreement = output.Float(math.NaN())
	if t := res.CART; t != nil {
		r.CART.Alpha, r.CART.Pruning = output.Float(t.Alpha), t.Pruning
		for _, leaf := range t.Leaves {
			nd := &t.Nodes[leaf]
			r.CART.Leaves = append(r.CART.Leaves, LeafReport{Leaf: leaf, Sentence: m.Labels.Sentence(&nd.Box, d.Params, phrase, res.Rate.Value),
				Coverage: output.Float(nd.Box.Coverage), Density: output.Float(nd.Box.Density), Mass: output.Float(nd.Box.Mass),
				Points: nd.Points, Restrictions: restrictions(&nd.Box, nil, nil)})
		}
		if len(res.Boxes) > 0 && len(t.Leaves) > 0 {
			r.CART.Agreement = output.Float(jaccard(d, &res.Boxes[0].Box, &t.Nodes[t.Leaves[0]].Box))
		}
	}
	return r
}

// jaccard is the overlap of two boxes' points, |A∩B|/|A∪B|.
func jaccard(d *Data, a, b *Box) float64 {
	var both, either int
	for i := 0; i < d.Points(); i++ {
		ina, inb := a.Contains(d.X, i), b.Contains(d.X, i)
		if ina && inb {
			both++
		}
		if ina || inb {
			either++
		}
	}
	if either == 0 {
		return math.NaN()
	}
	return float64(both) / float64(either)
}

// BoxesCSV renders boxes.csv: one row per box and restricted parameter,
// PRIM's boxes then CART's leaves. Open sides are empty.
func (r *Report) BoxesCSV() []byte {
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	w.Write([]string{"method", "box", "parameter", "label", "lower", "upper", "range_min", "range_max", "quasi_p", "bootstrap_share", "box_coverage", "box_density", "box_mass"})
	f := func(x output.Float) string {
		v := float64(x)
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return ""
		}
		return strconv.FormatFloat(v, 'g', 6, 64)
	}
	for _, bx := range r.Boxes {
		for _, rs := range bx.Restrictions {
			w.Write([]string{"prim", strconv.Itoa(bx.Box), rs.Parameter, rs.Label, f(rs.Lower), f(rs.Upper), f(rs.Min), f(rs.Max), f(rs.QuasiP), f(rs.BootstrapShare), f(bx.Coverage), f(bx.Density), f(bx.Mass)})
		}
	}
	for k, leaf := range r.CART.Leaves {
		for _, rs := range leaf.Restrictions {
			w.Write([]string{"cart", strconv.Itoa(k + 1), rs.Parameter, rs.Label, f(rs.Lower), f(rs.Upper), f(rs.Min), f(rs.Max), "", "", f(leaf.Coverage), f(leaf.Density), f(leaf.Mass)})
		}
	}
	w.Flush()
	return b.Bytes()
}

// TrajectoryCSV renders trajectory.csv: every box of every peeling
// trajectory, with the chosen box and the pasted box marked.
func (r *Report) TrajectoryCSV() []byte {
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	w.Write([]string{"box", "step", "coverage", "density", "mass", "dims", "chosen"})
	f := func(x output.Float) string { return strconv.FormatFloat(float64(x), 'g', 6, 64) }
	for _, bx := range r.Boxes {
		for k, p := range bx.Trajectory {
			mark := ""
			if k == bx.Chosen {
				mark = "chosen"
			}
			w.Write([]string{strconv.Itoa(bx.Box), strconv.Itoa(k), f(p.Coverage), f(p.Density), f(p.Mass), strconv.Itoa(p.Dims), mark})
		}
		p := bx.Pasted
		w.Write([]string{strconv.Itoa(bx.Box), "pasted", f(p.Coverage), f(p.Density), f(p.Mass), strconv.Itoa(p.Dims), "final"})
	}
	w.Flush()
	return b.Bytes()
}

// RestoreIndices sets each restriction's Param — its index among
// r.Parameters, which boxes.json does not carry — from its parameter
// path, in PRIM's boxes and CART's leaves, after a report is read back.
// It fails on a path the report does not list.
func (r *Report) RestoreIndices() error {
	index := make(map[string]int, len(r.Parameters))
	for j, p := range r.Parameters {
		index[p.Path] = j
	}
	restore := func(where string, rs []Restriction) error {
		for k := range rs {
			j, ok := index[rs[k].Parameter]
			if !ok {
				return fmt.Errorf("%s restricts %q, which is not among the report's parameters", where, rs[k].Parameter)
			}
			rs[k].Param = j
		}
		return nil
	}
	for b := range r.Boxes {
		if err := restore(fmt.Sprintf("box %d", b+1), r.Boxes[b].Restrictions); err != nil {
			return err
		}
	}
	for l := range r.CART.Leaves {
		if err := restore(fmt.Sprintf("CART leaf %d", r.CART.Leaves[l].Leaf), r.CART.Leaves[l].Restrictions); err != nil {
			return err
		}
	}
	return nil
}
