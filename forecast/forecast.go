// Package forecast scores probability forecasts against what happened:
// Brier and log scores, the Murphy decomposition of the Brier score into
// reliability, resolution and uncertainty, a bootstrap interval on the
// Brier score, and skill against two baselines (always 50%, and the base
// rate of the resolved questions). For backtests over many origins it
// also has the pieces separately: Decompose (Murphy), Skill against any
// reference forecaster, a block-bootstrap interval of skill that
// resamples whole origins, the clipped log score and the share of
// confident forecasts that were right.
//
// References: Brier, G. (1950), "Verification of forecasts expressed in
// terms of probability", Monthly Weather Review 78(1):1–3; Murphy, A.
// (1973), "A new vector partition of the probability score", Journal of
// Applied Meteorology 12(4):595–600; Good, I. J. (1952), "Rational
// decisions", JRSS B 14(1):107–114 (the log score).
package forecast

import (
	"encoding/csv"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"os"
	"sort"
	"strconv"
	"strings"
	"time"
)

// Forecast is one question's forecast, as written in forecasts.csv.
type Forecast struct {
	ID, Text         string
	AsOf, ResolveBy  string
	P, Lo, Hi        float64
	Runs             int64
	Scenario, SHA256 string
	File             string
	Line             int
}

// Limits on a forecasts file read back: far above what a study writes.
const (
	MaxForecastBytes = 64 << 20
	MaxForecasts     = 100_000
)

// ReadCSV reads a forecasts.csv written by geosim run. It accepts only
// a regular file of at most MaxForecastBytes.
func ReadCSV(path string) ([]Forecast, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if !st.Mode().IsRegular() {
		return nil, fmt.Errorf("%s is not a regular file", path)
	}
	if st.Size() > MaxForecastBytes {
		return nil, fmt.Errorf("%s is %d bytes, more than the %d a forecasts file may have", path, st.Size(), MaxForecastBytes)
	}
	return ParseCSV(path, io.LimitReader(f, MaxForecastBytes))
}

// forecastColumns are the columns ParseCSV needs.
var forecastColumns = []string{"question_id", "text", "as_of", "resolve_by", "probability", "lo95", "hi95", "runs", "scenario", "scenario_sha256"}

// ParseCSV parses forecasts.csv from r; path names it in errors. Every
// row is checked: a question id, valid dates, probabilities in [0, 1]
// with lo95 ≤ probability ≤ hi95, a positive run count. Every problem is
// reported (at most twenty), each with its line.
func ParseCSV(path string, r io.Reader) ([]Forecast, error) {
	cr := csv.NewReader(r)
	head, err := cr.Read()
	if err != nil {
		return nil, fmt.Errorf("%s: not a forecasts file: %v", path, err)
	}
	col := map[string]int{}
	for i, h := range head {
		if _, dup := col[h]; dup {
			return nil, fmt.Errorf("%s:1: column %q appears twice", path, h)
		}
		col[h] = i
	}
	// The Monte Carlo interval's columns were lo95 and hi95 before the
	// spread across assumptions joined them; both spellings are read.
	for _, name := range []string{"lo95", "hi95"} {
		if i, ok := col["mc_"+name]; ok {
			col[name] = i
		}
	}
	for _, need := range forecastColumns {
		if _, ok := col[need]; !ok {
			return nil, fmt.Errorf("%s:1: not a geosim forecasts.csv: no column %q", path, need)
		}
	}
	var out []Forecast
	var probs []string
	bad := func(line int, format string, args ...any) {
		if len(probs) < 20 {
			probs = append(probs, fmt.Sprintf("%s:%d: ", path, line)+fmt.Sprintf(format, args...))
		}
	}
	for line := 2; ; line++ {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("%s:%d: %v", path, line, err)
		}
		if len(out) >= MaxForecasts {
			return nil, fmt.Errorf("%s: more than %d forecasts", path, MaxForecasts)
		}
		num := func(k string) float64 {
			v, err := strconv.ParseFloat(rec[col[k]], 64)
			if err != nil || !(v >= 0 && v <= 1) {
				bad(line, "%s %q is not a probability", k, clipField(rec[col[k]]))
				return 0
			}
			return v
		}
		fc := Forecast{ID: rec[col["question_id"]], Text: rec[col["text"]], AsOf: rec[col["as_of"]], ResolveBy: rec[col["resolve_by"]],
			P: num("probability"), Lo: num("lo95"), Hi: num("hi95"), Scenario: rec[col["scenario"]], SHA256: rec[col["scenario_sha256"]],
			File: path, Line: line}
		if fc.ID == "" {
			bad(line, "empty question_id")
		}
		if !(fc.Lo <= fc.P && fc.P <= fc.Hi) {
			bad(line, "probability %v is not within its interval [%v, %v]", fc.P, fc.Lo, fc.Hi)
		}
		for _, k := range []string{"as_of", "resolve_by"} {
			if _, err := time.Parse(time.DateOnly, rec[col[k]]); err != nil {
				bad(line, "%s %q is not a date (YYYY-MM-DD)", k, clipField(rec[col[k]]))
			}
		}
		if fc.Runs, err = strconv.ParseInt(rec[col["runs"]], 10, 64); err != nil || fc.Runs < 1 {
			bad(line, "runs %q is not a positive whole number", clipField(rec[col["runs"]]))
		}
		out = append(out, fc)
	}
	if len(probs) > 0 {
		return nil, fmt.Errorf("%s", strings.Join(probs, "\n"))
	}
	return out, nil
}

func clipField(s string) string {
	if len(s) > 40 {
		return s[:40] + "…"
	}
	return s
}

// Outcome is how a question resolved.
type Outcome struct {
	Yes    bool
	Date   string
	Source string
}

// Config controls scoring.
type Config struct {
	Bins      int     // reliability bins of equal width on [0, 1] (0: 10)
	Clip      float64 // log score: probabilities are clipped to [Clip, 1−Clip] (0: 0.001)
	Bootstrap int     // resamples for the Brier interval (0: 10,000)
	Seed      uint64
}

// Scored is one resolved question.
type Scored struct {
	Forecast
	Outcome
	Brier float64 // (p − o)²
	Log   float64 // ln of the clipped probability given to what happened
}

// Bin is one bin of the reliability diagram.
type Bin struct {
	Lo, Hi   float64
	N        int
	MeanP    float64 // mean forecast in the bin
	Observed float64 // share of yes outcomes
}

// Scores summarises a set of forecasts against their outcomes.
type Scores struct {
	N           int     // resolved questions scored
	BaseRate    float64 // share of yes among them
	Brier       float64
	BrierCI95   [2]float64 // bootstrap percentile interval over questions
	Log         float64    // mean log score (≤ 0; higher is better)
	Clip        float64
	Reliability float64 // (1/N) Σ_k n_k (p̄_k − ō_k)²; 0 is perfectly calibrated
	Resolution  float64 // (1/N) Σ_k n_k (ō_k − ō)²; higher separates outcomes better
	Uncertainty float64 // ō(1 − ō)
	WithinBin   float64 // Brier − (REL − RES + UNC): the part due to forecasts differing inside a bin
	SkillHalf   float64 // 1 − Brier/0.25: skill against always forecasting 50%
	SkillBase   float64 // 1 − Brier/UNC: skill against forecasting the base rate (NaN if every outcome is the same)
	Bins        []Bin
	Questions   []Scored
	Unresolved  []Forecast
	Warnings    []string
}

// Score scores the forecasts that have an outcome; the others are listed
// as unresolved. Question ids must be unique across the forecasts.
func Score(forecasts []Forecast, outcomes map[string]Outcome, cfg Config) (*Scores, error) {
	if cfg.Bins <= 0 {
		cfg.Bins = 10
	}
	if cfg.Clip <= 0 {
		cfg.Clip = 0.001
	}
	if cfg.Bootstrap <= 0 {
		cfg.Bootstrap = 10_000
	}
	s := &Scores{Clip: cfg.Clip}
	seen := map[string]Forecast{}
	for _, f := range forecasts {
		if prev, dup := seen[f.ID]; dup {
			return nil, fmt.Errorf("question %s is forecast twice: %s:%d and %s:%d", f.ID, prev.File, prev.Line, f.File, f.Line)
		}
		seen[f.ID] = f
		if !(f.P >= 0 && f.P <= 1) {
			return nil, fmt.Errorf("%s:%d: question %s: probability %v is not in [0, 1]", f.File, f.Line, f.ID, f.P)
		}
		o, ok := outcomes[f.ID]
		if !ok {
			s.Unresolved = append(s.Unresolved, f)
			continue
		}
		if o.Yes && o.Date != "" && f.ResolveBy != "" && o.Date > f.ResolveBy {
			s.Warnings = append(s.Warnings, fmt.Sprintf("%s resolved yes on %s, after its resolve-by date %s", f.ID, o.Date, f.ResolveBy))
		}
		y := 0.0
		if o.Yes {
			y = 1
		}
		pc := math.Min(math.Max(f.P, cfg.Clip), 1-cfg.Clip)
		lg := math.Log(pc)
		if !o.Yes {
			lg = math.Log(1 - pc)
		}
		s.Questions = append(s.Questions, Scored{Forecast: f, Outcome: o, Brier: (f.P - y) * (f.P - y), Log: lg})
	}
	for id := range outcomes {
		if _, ok := seen[id]; !ok {
			s.Warnings = append(s.Warnings, fmt.Sprintf("resolution %s matches no forecast", id))
		}
	}
	sort.Strings(s.Warnings)
	s.N = len(s.Questions)
	if s.N == 0 {
		return s, nil
	}
	p := make([]float64, s.N)
	o := make([]float64, s.N)
	for i, q := range s.Questions {
		p[i] = q.P
		if q.Yes {
			o[i] = 1
		}
		s.Log += q.Log
	}
	n := float64(s.N)
	s.Log /= n
	d := Decompose(p, o, cfg.Bins)
	s.Brier, s.BaseRate, s.Uncertainty, s.Bins = d.Brier, d.BaseRate, d.Uncertainty, d.Bins
	s.Reliability, s.Resolution, s.WithinBin = d.Reliability, d.Resolution, d.WithinBin
	s.SkillHalf = 1 - s.Brier/0.25
	s.SkillBase = math.NaN()
	if s.Uncertainty > 0 {
		s.SkillBase = 1 - s.Brier/s.Uncertainty
	}
	rng := rand.New(rand.NewPCG(cfg.Seed, 0xb41e))
	boot := make([]float64, cfg.Bootstrap)
	for r := range boot {
		var b float64
		for range s.N {
			q := s.Questions[rng.IntN(s.N)]
			b += q.Brier
		}
		boot[r] = b / n
	}
	sort.Float64s(boot)
	s.BrierCI95 = [2]float64{boot[int(0.025*float64(len(boot)-1))], boot[int(math.Ceil(0.975*float64(len(boot)-1)))]}
	if s.N < 20 {
		s.Warnings = append(s.Warnings, fmt.Sprintf("only %d resolved questions: scores are indicative, their interval wide", s.N))
	}
	return s, nil
}
