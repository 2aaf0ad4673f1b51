package forecast

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// ScoresFile is scores.json, written by geosim score: the scores, the
// reliability bins and every question with its forecast (and Monte Carlo
// interval), outcome and scores — enough to draw the charts again
// (Scores).
type ScoresFile struct {
	Tool            string         `json:"tool"`
	Version         string         `json:"version"`
	Forecasts       []string       `json:"forecasts"`
	Resolutions     string         `json:"resolutions"`
	Seed            uint64         `json:"seed"`
	Resolved        int            `json:"resolved"`
	UnresolvedCount int            `json:"unresolved"`
	BaseRate        Number         `json:"base_rate"`
	Brier           Number         `json:"brier"`
	BrierCI95       [2]Number      `json:"brier_ci95"`
	LogScore        Number         `json:"log_score"`
	LogClip         float64        `json:"log_clip"`
	Reliability     Number         `json:"reliability"`
	Resolution      Number         `json:"resolution"`
	Uncertainty     Number         `json:"uncertainty"`
	WithinBin       Number         `json:"within_bin"`
	SkillVsHalf     Number         `json:"skill_vs_half"`
	SkillVsBaseRate Number         `json:"skill_vs_base_rate"`
	Warnings        []string       `json:"warnings"`
	Bins            []FileBin      `json:"bins"`
	Questions       []FileQuestion `json:"questions"`
}

// Number is a float64 that encodes NaN and infinities as JSON null.
type Number float64

// MarshalJSON implements json.Marshaler.
func (n Number) MarshalJSON() ([]byte, error) {
	v := float64(n)
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return []byte("null"), nil
	}
	return strconv.AppendFloat(nil, v, 'g', -1, 64), nil
}

// UnmarshalJSON implements json.Unmarshaler.
func (n *Number) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		*n = Number(math.NaN())
		return nil
	}
	v, err := strconv.ParseFloat(string(b), 64)
	*n = Number(v)
	return err
}

// FileBin is one reliability bin of scores.json.
type FileBin struct {
	Lo           float64 `json:"lo"`
	Hi           float64 `json:"hi"`
	N            int     `json:"n"`
	MeanForecast Number  `json:"mean_forecast"`
	Observed     Number  `json:"observed"`
}

// FileQuestion is one question of scores.json; resolved ones have an
// outcome and scores.
type FileQuestion struct {
	ID          string  `json:"id"`
	Text        string  `json:"text"`
	Scenario    string  `json:"scenario"`
	AsOf        string  `json:"as_of"`
	ResolveBy   string  `json:"resolve_by"`
	Probability Number  `json:"probability"`
	Lo          Number  `json:"mc_lo95"`
	Hi          Number  `json:"mc_hi95"`
	Outcome     string  `json:"outcome,omitempty"`
	Resolved    string  `json:"resolved,omitempty"`
	Source      string  `json:"source,omitempty"`
	Brier       *Number `json:"brier,omitempty"`
	Log         *Number `json:"log,omitempty"`
}

// NewScoresFile describes scores s of the forecast files against the
// resolutions file, bootstrapped with seed.
func NewScoresFile(tool, version string, files []string, resolutions string, seed uint64, s *Scores) ScoresFile {
	f := ScoresFile{Tool: tool, Version: version, Forecasts: files, Resolutions: resolutions, Seed: seed,
		Resolved: s.N, UnresolvedCount: len(s.Unresolved), BaseRate: Number(s.BaseRate), Brier: Number(s.Brier),
		BrierCI95: [2]Number{Number(s.BrierCI95[0]), Number(s.BrierCI95[1])}, LogScore: Number(s.Log), LogClip: s.Clip,
		Reliability: Number(s.Reliability), Resolution: Number(s.Resolution), Uncertainty: Number(s.Uncertainty), WithinBin: Number(s.WithinBin),
		SkillVsHalf: Number(s.SkillHalf), SkillVsBaseRate: Number(s.SkillBase), Warnings: s.Warnings}
	if f.Forecasts == nil {
		f.Forecasts = []string{}
	}
	for _, b := range s.Bins {
		f.Bins = append(f.Bins, FileBin{Lo: b.Lo, Hi: b.Hi, N: b.N, MeanForecast: Number(b.MeanP), Observed: Number(b.Observed)})
	}
	for _, q := range s.Questions {
		b, l := Number(q.Brier), Number(q.Log)
		outcome := "no"
		if q.Yes {
			outcome = "yes"
		}
		f.Questions = append(f.Questions, FileQuestion{ID: q.ID, Text: q.Text, Scenario: q.Scenario, AsOf: q.AsOf, ResolveBy: q.ResolveBy,
			Probability: Number(q.P), Lo: Number(q.Lo), Hi: Number(q.Hi), Outcome: outcome, Resolved: q.Date, Source: q.Source, Brier: &b, Log: &l})
	}
	for _, u := range s.Unresolved {
		f.Questions = append(f.Questions, FileQuestion{ID: u.ID, Text: u.Text, Scenario: u.Scenario, AsOf: u.AsOf, ResolveBy: u.ResolveBy,
			Probability: Number(u.P), Lo: Number(u.Lo), Hi: Number(u.Hi)})
	}
	return f
}

// Scores returns the scores the file describes, checking what the charts
// rely on: probabilities and bin shares in [0, 1], counts consistent.
func (f ScoresFile) Scores() (*Scores, error) {
	prob := func(what string, x Number) error {
		if v := float64(x); !(v >= 0 && v <= 1) {
			return fmt.Errorf("%s: %v is not a probability", what, v)
		}
		return nil
	}
	s := &Scores{N: f.Resolved, BaseRate: float64(f.BaseRate), Brier: float64(f.Brier), BrierCI95: [2]float64{float64(f.BrierCI95[0]), float64(f.BrierCI95[1])},
		Log: float64(f.LogScore), Clip: f.LogClip, Reliability: float64(f.Reliability), Resolution: float64(f.Resolution), Uncertainty: float64(f.Uncertainty),
		WithinBin: float64(f.WithinBin), SkillHalf: float64(f.SkillVsHalf), SkillBase: float64(f.SkillVsBaseRate), Warnings: f.Warnings}
	total := 0
	for i, b := range f.Bins {
		if b.N < 0 || !(b.Lo >= 0 && b.Lo <= b.Hi && b.Hi <= 1) {
			return nil, fmt.Errorf("bins[%d]: not a bin of [0, 1] with a count", i)
		}
		if b.N > 0 {
			if err := prob(fmt.Sprintf("bins[%d].mean_forecast", i), b.MeanForecast); err != nil {
				return nil, err
			}
			if err := prob(fmt.Sprintf("bins[%d].observed", i), b.Observed); err != nil {
				return nil, err
			}
		}
		total += b.N
		s.Bins = append(s.Bins, Bin{Lo: b.Lo, Hi: b.Hi, N: b.N, MeanP: float64(b.MeanForecast), Observed: float64(b.Observed)})
	}
	for i, q := range f.Questions {
		path := fmt.Sprintf("questions[%d]", i)
		for _, c := range []struct {
			what string
			x    Number
		}{{".probability", q.Probability}, {".mc_lo95", q.Lo}, {".mc_hi95", q.Hi}} {
			if err := prob(path+c.what, c.x); err != nil {
				return nil, err
			}
		}
		fc := Forecast{ID: q.ID, Text: q.Text, AsOf: q.AsOf, ResolveBy: q.ResolveBy, P: float64(q.Probability), Lo: float64(q.Lo), Hi: float64(q.Hi), Scenario: q.Scenario}
		if q.Outcome == "" {
			s.Unresolved = append(s.Unresolved, fc)
			continue
		}
		if q.Outcome != "yes" && q.Outcome != "no" || q.Brier == nil || q.Log == nil {
			return nil, fmt.Errorf("%s: a resolved question needs outcome yes or no and its scores", path)
		}
		s.Questions = append(s.Questions, Scored{Forecast: fc, Outcome: Outcome{Yes: q.Outcome == "yes", Date: q.Resolved, Source: q.Source},
			Brier: float64(*q.Brier), Log: float64(*q.Log)})
	}
	if len(s.Questions) != s.N || len(s.Bins) > 0 && total != s.N {
		return nil, fmt.Errorf("%d resolved questions, %d listed, %d in the bins", s.N, len(s.Questions), total)
	}
	return s, nil
}

// Footer is the charts' footer line.
func (f ScoresFile) Footer() string {
	return fmt.Sprintf("%s · resolutions %s · %s %s", strings.Join(f.Forecasts, ", "), f.Resolutions, f.Tool, f.Version)
}
