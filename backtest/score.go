package backtest

import (
	"fmt"
	"hash/fnv"
	"math"
	"math/rand/v2"

	"github.com/geosim/geosim/forecast"
	"github.com/geosim/geosim/sim"
	"github.com/geosim/geosim/sim/stats"
)

// Forecasters are the model and the benchmarks fixed in advance, in
// output order.
var Forecasters = []string{"model", "climatology", "persistence", "always_50"}

// Indices into Forecasters.
const (
	Model = iota
	Climatology
	Persistence
	Half
)

// Row is one resolved question with every forecaster's probability.
type Row struct {
	Origin   sim.Month
	Question *Question
	Yes      int64      // runs answering yes
	Runs     int        // runs at the origin
	P        [4]float64 // per forecaster (Forecasters order)
	// Lo and Hi are the model's 95% Monte Carlo interval (Tally.Interval95):
	// from the spread of the replicate groups, in [0, 1].
	Lo, Hi float64
}

// Outcome is 1 for yes and 0 for no.
func (r Row) Outcome() float64 {
	if r.Question.Outcome {
		return 1
	}
	return 0
}

// Interval95 returns the 95% Monte Carlo interval of the model's
// probability t.Yes/runs, computed as geosim run computes its events'
// (stats.Grouped.Interval95): the Wilson interval at the effective
// number of runs p(1−p)/SE², SE the standard error of the mean of the
// replicate groups' yes shares, so that runs sharing a parameter draw
// count for what they are worth. With one run per draw, or fewer than two
// complete groups, it is the binomial Wilson interval of all runs. When
// no run, or every run, said yes, its end is exactly 0 or 1.
func (t Tally) Interval95(runs int) (lo, hi float64) {
	return t.Grouped.Interval95(stats.Proportion{Successes: t.Yes, Trials: int64(runs)})
}

// Rows joins a plan's questions with the model's tallies from runs runs
// per origin (tallies[k] for plan.Origins[k], as RunOrigin returns them).
func Rows(plan *Plan, tallies [][]Tally, runs int) []Row {
	var rows []Row
	for k, o := range plan.Origins {
		for q := range o.Questions {
			qu := &o.Questions[q]
			t := tallies[k][q]
			lo, hi := t.Interval95(runs)
			rows = append(rows, Row{Origin: o.Month, Question: qu, Yes: t.Yes, Runs: runs,
				P: [4]float64{float64(t.Yes) / float64(runs), qu.Climatology, qu.Persistence, 0.5}, Lo: lo, Hi: hi})
		}
	}
	return rows
}

// Group is the scores of every forecaster on one set of questions: all
// of them, one horizon, one template, or one template at one horizon.
type Group struct {
	Key      string // "all", "h6", "kim_xi_summit", "kim_xi_summit/h6"
	Template string // "" for every template
	Horizon  int    // 0 for every horizon
	N        int    // questions
	Origins  int    // distinct origins among them (the bootstrap's blocks)
	Yes      int
	BaseRate float64
	Scores   []Score // per forecaster, Forecasters order
}

// Score is one forecaster's scores on a group.
type Score struct {
	Forecaster     string
	Brier          float64
	Log            float64 // mean clipped log score (≤ 0, higher is better)
	Murphy         forecast.Decomposition
	Confident      int     // forecasts below 0.1 or above 0.9
	ConfidentRight int     // of those, how many were right
	ConfidentShare float64 // ConfidentRight / Confident (NaN if none)
	Skill          []Skill // Brier skill against every other forecaster
}

// Skill is a Brier skill score against a reference with its
// block-bootstrap interval.
type Skill struct {
	Reference string
	Value     float64
	Lo, Hi    float64 // SkillLevel interval, origins resampled
}

// SkillLevel is the coverage of the skill intervals.
const SkillLevel = 0.9

// ScoreRows scores the rows in every group: all, per horizon, per
// template and per template and horizon. The bootstrap draws from seed.
func ScoreRows(spec *Spec, rows []Row, seed uint64) []Group {
	var groups []Group
	add := func(key, template string, h int) {
		var sel []Row
		for _, r := range rows {
			if (template == "" || spec.Templates[r.Question.Template].ID == template) && (h == 0 || r.Question.Horizon == h) {
				sel = append(sel, r)
			}
		}
		if len(sel) > 0 {
			groups = append(groups, scoreGroup(spec, seed, key, template, h, sel))
		}
	}
	add("all", "", 0)
	for _, h := range spec.Horizons {
		add(fmt.Sprintf("h%d", h), "", h)
	}
	for _, t := range spec.Templates {
		add(t.ID, t.ID, 0)
	}
	for _, t := range spec.Templates {
		for _, h := range spec.Horizons {
			add(fmt.Sprintf("%s/h%d", t.ID, h), t.ID, h)
		}
	}
	return groups
}

func scoreGroup(spec *Spec, seed uint64, key, template string, h int, rows []Row) Group {
	g := Group{Key: key, Template: template, Horizon: h, N: len(rows)}
	clip, resamples := spec.Clip(), spec.Resamples()
	o := make([]float64, len(rows))
	block := map[sim.Month]int{}
	var blocks []int // block of each row
	for i, r := range rows {
		o[i] = r.Outcome()
		g.Yes += int(o[i])
		b, ok := block[r.Origin]
		if !ok {
			b = len(block)
			block[r.Origin] = b
		}
		blocks = append(blocks, b)
	}
	g.Origins = len(block)
	g.BaseRate = float64(g.Yes) / float64(g.N)
	sse := make([][]float64, len(Forecasters)) // [forecaster][block]
	for f := range Forecasters {
		sse[f] = make([]float64, g.Origins)
		p := make([]float64, len(rows))
		var logSum float64
		for i, r := range rows {
			p[i] = r.P[f]
			sse[f][blocks[i]] += (p[i] - o[i]) * (p[i] - o[i])
			logSum += forecast.LogScore(p[i], o[i] == 1, clip)
		}
		s := Score{Forecaster: Forecasters[f], Murphy: forecast.Decompose(p, o, 10), Log: logSum / float64(len(rows))}
		s.Brier = s.Murphy.Brier
		s.Confident, s.ConfidentRight = forecast.Confident(p, o, 0.1, 0.9)
		s.ConfidentShare = nanDiv(s.ConfidentRight, s.Confident)
		g.Scores = append(g.Scores, s)
	}
	seed = bootstrapSeed(seed, key)
	for f := range Forecasters {
		for ref := range Forecasters {
			if ref == f {
				continue
			}
			// The same seed for every pair: each skill is computed on the
			// same resampled origins.
			lo, hi := forecast.BlockBootstrapSkill(sse[f], sse[ref], resamples, SkillLevel, rand.New(rand.NewPCG(seed, 0xb10c)))
			g.Scores[f].Skill = append(g.Scores[f].Skill, Skill{Reference: Forecasters[ref],
				Value: forecast.Skill(g.Scores[f].Brier, g.Scores[ref].Brier), Lo: lo, Hi: hi})
		}
	}
	return g
}

func bootstrapSeed(seed uint64, key string) uint64 {
	h := fnv.New64a()
	h.Write([]byte(key))
	return seed ^ h.Sum64()
}

func nanDiv(a, b int) float64 {
	if b == 0 {
		return math.NaN()
	}
	return float64(a) / float64(b)
}
