package discover

import (
	"math"
	"sort"
)

// PrimConfig controls PRIM's peeling, pasting and the choice of a box on
// the peeling trajectory. Zero values mean the defaults given.
type PrimConfig struct {
	// PeelAlpha is the share of the box's points each peel removes
	// (0: 0.05, Friedman & Fisher's and EMA Workbench's default).
	PeelAlpha float64
	// PasteAlpha is the share of the box's points each paste adds (0: 0.05).
	PasteAlpha float64
	// MassMin: peeling stops before the box would hold less than this
	// share of the points (0: 0.05).
	MassMin float64
	// MaxDims is the largest number of parameters a box may restrict:
	// once it restricts MaxDims parameters, peeling only narrows those
	// (0: 3, so that every box reads as a short sentence; negative: no
	// limit).
	MaxDims int
	// Rule picks one box on the peeling trajectory (see Rules): "phi"
	// (the default) or "density".
	Rule string
	// MinCoverage: only boxes holding at least this share of the cases
	// still to be explained are eligible (0: none for "phi", 0.5 for
	// "density").
	MinCoverage float64
}

// Rules are the box choice rules.
//
// "phi", the default, takes the box whose membership is most correlated
// with the condition: the φ coefficient of the 2×2 table (inside or
// outside the box × condition held or not), equivalently the largest χ²
// statistic. With d the box's density, r the rate among the points
// searched and w the share of them inside, φ ∝ (d − r)·√(w/(1 − w)). It
// balances density against coverage without a tuning constant, and it
// does not reward peeling inside a region where the rate is flat (noise
// then lowers w faster than it raises d) — the failure of "densest box
// above a coverage floor", which keeps peeling by chance once the
// region is found.
//
// "density" takes the densest box holding at least MinCoverage of the
// cases (0.5 unless set), the rule of many scenario-discovery studies.
var Rules = []string{"phi", "density"}

func (c PrimConfig) withDefaults() PrimConfig {
	def := func(v *float64, d float64) {
		if *v == 0 {
			*v = d
		}
	}
	def(&c.PeelAlpha, 0.05)
	def(&c.PasteAlpha, 0.05)
	def(&c.MassMin, 0.05)
	if c.Rule == "" {
		c.Rule = "phi"
	}
	if c.Rule == "density" {
		def(&c.MinCoverage, 0.5)
	}
	if c.MaxDims == 0 {
		c.MaxDims = 3
	}
	return c
}

// Box is a hyper-rectangle over the parameters with what it holds.
// Lo[j] = −Inf and Hi[j] = +Inf leave parameter j unrestricted on that
// side; a point is inside when Lo[j] ≤ x_j ≤ Hi[j] for every j. Limits
// lie halfway between neighbouring observed values.
type Box struct {
	Lo, Hi []float64
	// Weight is the number of points inside (counted with their
	// multiplicity), Sum the sum of their values (share of runs meeting
	// the condition).
	Weight, Sum float64
	// Coverage is the share of all cases of interest inside the box, in
	// [0, 1]; Density the mean value inside (the condition's rate); Mass
	// the share of all points inside.
	Coverage, Density, Mass float64
	Dims                    int // parameters restricted
}

// Restricted reports whether the box restricts parameter j.
func (b *Box) Restricted(j int) bool { return !math.IsInf(b.Lo[j], -1) || !math.IsInf(b.Hi[j], 1) }

// Contains reports whether the point with coordinates x[·][i] is inside.
func (b *Box) Contains(x [][]float64, i int) bool {
	for j := range b.Lo {
		if v := x[j][i]; v < b.Lo[j] || v > b.Hi[j] {
			return false
		}
	}
	return true
}

// Search is one PRIM search: the peeling trajectory from the whole data
// (its first box) to the smallest box, the box the choice rule picked,
// and that box after pasting.
type Search struct {
	Trajectory []Box
	Chosen     int // index in Trajectory
	Pasted     Box
}

// searcher is the state of PRIM searches over one Data. It is reused for
// many searches (permutations, bootstrap resamples) by one goroutine.
type searcher struct {
	d   *Data
	cfg PrimConfig
	y   []float64 // per point: the value searched on (possibly permuted)
	w   []int32   // per point: multiplicity (0: not part of this search)

	wAll, sAll     float64 // denominators of mass and coverage
	wStart, sStart float64 // the points and cases the search starts with

	lo, hi     []float64
	start, end []int    // per parameter: points outside order[j][start:end] violate its limits
	viol       []uint16 // per point: number of parameters whose limits it violates
	win, sin   float64  // weight and value sum inside the box
	dims       int
}

func newSearcher(d *Data, cfg PrimConfig) *searcher {
	n, p := d.Points(), len(d.Params)
	return &searcher{d: d, cfg: cfg.withDefaults(), viol: make([]uint16, n),
		lo: make([]float64, p), hi: make([]float64, p), start: make([]int, p), end: make([]int, p)}
}

// reset starts a search over the points with multiplicities w and values
// y. Mass is relative to wAll points and coverage to sAll cases; the
// choice rule's coverage is relative to the cases among w.
func (s *searcher) reset(y []float64, w []int32, wAll, sAll float64) {
	s.y, s.w, s.wAll, s.sAll = y, w, wAll, sAll
	clear(s.viol)
	s.win, s.sin, s.dims = 0, 0, 0
	for i, m := range w {
		if m > 0 {
			s.win += float64(m)
			s.sin += float64(m) * y[i]
		}
	}
	s.wStart, s.sStart = s.win, s.sin
	for j := range s.lo {
		s.lo[j], s.hi[j] = math.Inf(-1), math.Inf(1)
		s.start[j], s.end[j] = 0, len(w)
	}
}

// box returns the current box.
func (s *searcher) box() Box {
	b := Box{Lo: append([]float64(nil), s.lo...), Hi: append([]float64(nil), s.hi...), Weight: s.win, Sum: s.sin, Dims: s.dims}
	b.Mass = s.win / s.wAll
	if s.sAll > 0 {
		b.Coverage = s.sin / s.sAll
	}
	if s.win > 0 {
		b.Density = s.sin / s.win
	}
	return b
}

func (s *searcher) inside(i int32) bool { return s.w[i] > 0 && s.viol[i] == 0 }

// restricted reports whether the current box limits parameter j (as
// Box.Restricted does for a box).
func (s *searcher) restricted(j int) bool {
	return !math.IsInf(s.lo[j], -1) || !math.IsInf(s.hi[j], 1)
}

// peelCandidate is a peel of parameter j on one side: the new limit, the
// position in order[j] where the remaining slab starts (low side) or
// ends (high side), and what the peel removes.
type peelCandidate struct {
	j        int
	high     bool
	limit    float64
	pos      int
	wRem     float64
	sRem     float64
	feasible bool
}

// peel finds the peel of parameter j that removes at least PeelAlpha of
// the box's weight from one side, extended to whole ties.
func (s *searcher) peel(j int, high bool) peelCandidate {
	c := peelCandidate{j: j, high: high}
	ord, xj := s.d.order[j], s.d.X[j]
	target := math.Max(1, math.Ceil(s.cfg.PeelAlpha*s.win))
	last := math.NaN()
	if !high {
		pos := s.start[j]
		for ; pos < s.end[j]; pos++ {
			i := ord[pos]
			if !s.inside(i) {
				continue
			}
			v := xj[i]
			if c.wRem >= target && v != last {
				c.limit = (last + v) / 2
				c.pos = pos
				for c.pos > s.start[j] && xj[ord[c.pos-1]] >= c.limit {
					c.pos--
				}
				c.feasible = true
				return c
			}
			c.wRem += float64(s.w[i])
			c.sRem += float64(s.w[i]) * s.y[i]
			last = v
		}
		return c
	}
	pos := s.end[j] - 1
	for ; pos >= s.start[j]; pos-- {
		i := ord[pos]
		if !s.inside(i) {
			continue
		}
		v := xj[i]
		if c.wRem >= target && v != last {
			c.limit = (last + v) / 2
			c.pos = pos + 1
			for c.pos < s.end[j] && xj[ord[c.pos]] <= c.limit {
				c.pos++
			}
			c.feasible = true
			return c
		}
		c.wRem += float64(s.w[i])
		c.sRem += float64(s.w[i]) * s.y[i]
		last = v
	}
	return c
}

// applyPeel narrows the box by c.
func (s *searcher) applyPeel(c peelCandidate) {
	j, ord := c.j, s.d.order[c.j]
	wasRestricted := s.restricted(j)
	var from, to int
	if !c.high {
		from, to = s.start[j], c.pos
		s.start[j], s.lo[j] = c.pos, c.limit
	} else {
		from, to = c.pos, s.end[j]
		s.end[j], s.hi[j] = c.pos, c.limit
	}
	for p := from; p < to; p++ {
		s.viol[ord[p]]++
	}
	s.win -= c.wRem
	s.sin -= c.sRem
	if !wasRestricted {
		s.dims++
	}
}

// peelAll peels until no peel raises the density or the box would fall
// below MassMin, and returns the trajectory.
func (s *searcher) peelAll() []Box {
	traj := []Box{s.box()}
	p := len(s.lo)
	massMin := s.cfg.MassMin * s.wAll
	for s.win > 0 {
		mean := s.sin / s.win
		best, bestScore, bestRestricted := peelCandidate{}, math.Inf(-1), false
		for j := 0; j < p; j++ {
			restricted := s.restricted(j)
			if !restricted && s.cfg.MaxDims > 0 && s.dims >= s.cfg.MaxDims {
				continue
			}
			for _, high := range []bool{false, true} {
				c := s.peel(j, high)
				if !c.feasible || s.win-c.wRem < massMin {
					continue
				}
				// EMA Workbench's default "lenient1" objective: the gain
				// in density per unit of mass removed.
				gain := ((s.sin-c.sRem)/(s.win-c.wRem) - mean) / c.wRem
				// On a tie, narrowing a restricted parameter keeps the box simpler.
				if gain > bestScore || (gain == bestScore && restricted && !bestRestricted) {
					best, bestScore, bestRestricted = c, gain, restricted
				}
			}
		}
		if !best.feasible || bestScore <= 0 {
			break
		}
		s.applyPeel(best)
		traj = append(traj, s.box())
	}
	return traj
}

// setBox makes b the current box.
func (s *searcher) setBox(b Box) {
	copy(s.lo, b.Lo)
	copy(s.hi, b.Hi)
	s.dims = 0
	for j := range s.lo {
		ord, xj := s.d.order[j], s.d.X[j]
		s.start[j] = sort.Search(len(ord), func(p int) bool { return xj[ord[p]] >= s.lo[j] })
		s.end[j] = sort.Search(len(ord), func(p int) bool { return xj[ord[p]] > s.hi[j] })
		if s.restricted(j) {
			s.dims++
		}
	}
	s.win, s.sin = 0, 0
	for i := range s.viol {
		var v uint16
		for j := range s.lo {
			if x := s.d.X[j][i]; x < s.lo[j] || x > s.hi[j] {
				v++
			}
		}
		s.viol[i] = v
		if v == 0 && s.w[i] > 0 {
			s.win += float64(s.w[i])
			s.sin += float64(s.w[i]) * s.y[i]
		}
	}
}

// pasteCandidate widens parameter j on one side.
type pasteCandidate struct {
	j        int
	high     bool
	limit    float64 // ±Inf: the side becomes unrestricted
	wAdd     float64
	sAdd     float64
	feasible bool
}

// paste finds the paste of parameter j that adds at least PasteAlpha of
// the box's weight on one side: the nearest points outside the box that
// violate only this limit, extended to whole ties.
func (s *searcher) paste(j int, high bool) pasteCandidate {
	c := pasteCandidate{j: j, high: high}
	ord, xj := s.d.order[j], s.d.X[j]
	if (!high && math.IsInf(s.lo[j], -1)) || (high && math.IsInf(s.hi[j], 1)) {
		return c
	}
	target := math.Max(1, math.Ceil(s.cfg.PasteAlpha*s.win))
	last := math.NaN()
	// Walk outward from the box: down from its first point on the low
	// side, up from past its last point on the high side.
	pos, step, stop := s.start[j]-1, -1, -1
	if high {
		pos, step, stop = s.end[j], 1, len(ord)
	}
	for ; pos != stop; pos += step {
		i := ord[pos]
		if s.w[i] <= 0 || s.viol[i] != 1 {
			continue
		}
		v := xj[i]
		if c.wAdd >= target && v != last {
			c.limit = (last + v) / 2
			c.feasible = true
			return c
		}
		c.wAdd += float64(s.w[i])
		c.sAdd += float64(s.w[i]) * s.y[i]
		last = v
	}
	c.limit, c.feasible = math.Inf(step), c.wAdd > 0
	return c
}

// applyPaste widens the box by c.
func (s *searcher) applyPaste(c pasteCandidate) {
	j, ord, xj := c.j, s.d.order[c.j], s.d.X[c.j]
	if !c.high {
		p := s.start[j]
		for p > 0 && xj[ord[p-1]] >= c.limit {
			p--
			s.viol[ord[p]]--
		}
		s.start[j], s.lo[j] = p, c.limit
	} else {
		p := s.end[j]
		for p < len(ord) && xj[ord[p]] <= c.limit {
			s.viol[ord[p]]--
			p++
		}
		s.end[j], s.hi[j] = p, c.limit
	}
	s.win += c.wAdd
	s.sin += c.sAdd
	if !s.restricted(j) {
		s.dims--
	}
}

// pasteAll widens the current box while some paste keeps its density
// from falling (Friedman & Fisher 1999, section 5), taking each time the
// paste that leaves the highest density.
func (s *searcher) pasteAll() {
	for s.win > 0 {
		mean := s.sin / s.win
		var best pasteCandidate
		bestMean := math.Inf(-1)
		for j := range s.lo {
			for _, high := range []bool{false, true} {
				c := s.paste(j, high)
				if !c.feasible {
					continue
				}
				if m := (s.sin + c.sAdd) / (s.win + c.wAdd); m > bestMean {
					best, bestMean = c, m
				}
			}
		}
		if !best.feasible || bestMean < mean {
			return
		}
		s.applyPaste(best)
	}
}

// choose applies the box choice rule (see Rules) to a trajectory. It
// returns 0 (the whole data) when no smaller box does better.
func (s *searcher) choose(traj []Box) int {
	goal := s.cfg.MinCoverage * s.sStart
	best, bestScore := 0, 0.0
	for k, b := range traj {
		if k == 0 || b.Sum < goal-1e-9*s.sStart || b.Weight <= 0 {
			continue
		}
		var score float64
		if s.cfg.Rule == "density" {
			score = b.Density - s.sStart/s.wStart
		} else {
			w := b.Weight / s.wStart
			score = (b.Density - s.sStart/s.wStart) * math.Sqrt(w/(1-w))
		}
		if score > bestScore {
			best, bestScore = k, score
		}
	}
	return best
}

// search runs PRIM from a reset state: peeling, the choice rule, pasting.
func (s *searcher) search() Search {
	traj := s.peelAll()
	k := s.choose(traj)
	res := Search{Trajectory: traj, Chosen: k}
	s.setBox(traj[k])
	if k > 0 {
		s.pasteAll()
	}
	res.Pasted = s.box()
	return res
}
