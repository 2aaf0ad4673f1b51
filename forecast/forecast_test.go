package forecast

import (
	"math"
	"strings"
	"testing"
)

func fc(id string, p float64) Forecast { return Forecast{ID: id, P: p, ResolveBy: "2018-12-31"} }

func near(a, b float64) bool { return math.Abs(a-b) < 1e-12 }

func TestPerfectWorstAndHalf(t *testing.T) {
	outcomes := map[string]Outcome{"a": {Yes: true}, "b": {Yes: false}, "c": {Yes: true}, "d": {Yes: false}}
	cases := []struct {
		name       string
		p          map[string]float64
		brier, log float64
		skillHalf  float64
	}{
		{"perfect", map[string]float64{"a": 1, "b": 0, "c": 1, "d": 0}, 0, math.Log(0.999), 1},
		{"worst", map[string]float64{"a": 0, "b": 1, "c": 0, "d": 1}, 1, math.Log(0.001), -3},
		{"always 0.5", map[string]float64{"a": 0.5, "b": 0.5, "c": 0.5, "d": 0.5}, 0.25, math.Log(0.5), 0},
	}
	for _, c := range cases {
		var fs []Forecast
		for _, id := range []string{"a", "b", "c", "d"} {
			fs = append(fs, fc(id, c.p[id]))
		}
		s, err := Score(fs, outcomes, Config{Seed: 1})
		if err != nil {
			t.Fatal(err)
		}
		if !near(s.Brier, c.brier) || !near(s.Log, c.log) || !near(s.SkillHalf, c.skillHalf) {
			t.Errorf("%s: Brier %v (want %v), log %v (want %v), skill vs 0.5 %v (want %v)", c.name, s.Brier, c.brier, s.Log, c.log, s.SkillHalf, c.skillHalf)
		}
		if !near(s.BaseRate, 0.5) || !near(s.Uncertainty, 0.25) {
			t.Errorf("%s: base rate %v, uncertainty %v", c.name, s.BaseRate, s.Uncertainty)
		}
	}
}

// TestMurphyDecomposition: four forecasts of 0.2 (one yes) and four of
// 0.8 (three yes): REL = 0.0025, RES = 0.0625, UNC = 0.25 and the Brier
// score 0.19 = REL − RES + UNC exactly (no within-bin spread).
func TestMurphyDecomposition(t *testing.T) {
	var fs []Forecast
	out := map[string]Outcome{}
	for i, o := range []bool{false, false, false, true} {
		id := "low" + string(rune('0'+i))
		fs = append(fs, fc(id, 0.2))
		out[id] = Outcome{Yes: o}
	}
	for i, o := range []bool{true, true, true, false} {
		id := "high" + string(rune('0'+i))
		fs = append(fs, fc(id, 0.8))
		out[id] = Outcome{Yes: o}
	}
	s, err := Score(fs, out, Config{Seed: 2})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string][2]float64{
		"Brier": {s.Brier, 0.19}, "REL": {s.Reliability, 0.0025}, "RES": {s.Resolution, 0.0625},
		"UNC": {s.Uncertainty, 0.25}, "within-bin": {s.WithinBin, 0}, "skill vs 0.5": {s.SkillHalf, 0.24}, "skill vs base rate": {s.SkillBase, 0.24},
	}
	for name, v := range want {
		if math.Abs(v[0]-v[1]) > 1e-12 {
			t.Errorf("%s = %v, want %v", name, v[0], v[1])
		}
	}
	if s.BrierCI95[0] > 0.19 || s.BrierCI95[1] < 0.19 || s.BrierCI95[0] < 0 || s.BrierCI95[1] > 1 {
		t.Errorf("bootstrap interval %v does not hold 0.19", s.BrierCI95)
	}
	if s.Bins[2].N != 4 || !near(s.Bins[2].Observed, 0.25) || s.Bins[8].N != 4 {
		t.Errorf("bins %+v", s.Bins)
	}
}

func TestUnresolvedAndDuplicates(t *testing.T) {
	s, err := Score([]Forecast{fc("a", 0.3), fc("b", 0.6)}, map[string]Outcome{"a": {Yes: true}, "zzz": {Yes: false}}, Config{})
	if err != nil {
		t.Fatal(err)
	}
	if s.N != 1 || len(s.Unresolved) != 1 || s.Unresolved[0].ID != "b" {
		t.Errorf("N %d, unresolved %v", s.N, s.Unresolved)
	}
	if !strings.Contains(strings.Join(s.Warnings, "\n"), "resolution zzz matches no forecast") {
		t.Errorf("warnings %v", s.Warnings)
	}
	if !math.IsNaN(s.SkillBase) {
		t.Errorf("skill vs base rate %v with a single outcome, want NaN", s.SkillBase)
	}
	if _, err := Score([]Forecast{fc("a", 0.3), fc("a", 0.4)}, nil, Config{}); err == nil {
		t.Error("a question forecast twice was accepted")
	}
}

func TestParseCSV(t *testing.T) {
	in := "question_id,text,as_of,resolve_by,probability,lo95,hi95,runs,scenario,scenario_sha256\nq1,\"Will X, or Y?\",2018-01-01,2018-06-30,0.25,0.2,0.3,1000,s,abc\n"
	fs, err := ParseCSV("f.csv", strings.NewReader(in))
	if err != nil || len(fs) != 1 || fs[0].Text != "Will X, or Y?" || fs[0].P != 0.25 || fs[0].Line != 2 {
		t.Fatalf("%+v %v", fs, err)
	}
	if _, err := ParseCSV("f.csv", strings.NewReader(strings.Replace(in, "0.25", "1.5", 1))); err == nil || !strings.Contains(err.Error(), "f.csv:2: probability") {
		t.Errorf("bad probability: %v", err)
	}
	if _, err := ParseCSV("f.csv", strings.NewReader("a,b\n1,2\n")); err == nil {
		t.Error("a file without the columns was accepted")
	}
}

// TestParseCSVRejects: every malformed row is reported with its line —
// NaN and infinite probabilities included (they used to reach Score and
// index its reliability bins out of range).
func TestParseCSVRejects(t *testing.T) {
	head := "question_id,text,as_of,resolve_by,probability,lo95,hi95,runs,scenario,scenario_sha256\n"
	cases := map[string]string{
		"NaN":          "q1,t,2018-01-01,2018-06-30,NaN,0.2,0.3,1000,s,abc\n",
		"Inf":          "q1,t,2018-01-01,2018-06-30,+Inf,0.2,0.3,1000,s,abc\n",
		"interval":     "q1,t,2018-01-01,2018-06-30,0.5,0.6,0.7,1000,s,abc\n",
		"empty id":     ",t,2018-01-01,2018-06-30,0.25,0.2,0.3,1000,s,abc\n",
		"date":         "q1,t,10:00:00,2018-06-30,0.25,0.2,0.3,1000,s,abc\n",
		"runs":         "q1,t,2018-01-01,2018-06-30,0.25,0.2,0.3,-4,s,abc\n",
		"short row":    "q1,t,2018-01-01\n",
		"double quote": "q1,\"t,2018-01-01,2018-06-30,0.25,0.2,0.3,1000,s,abc\n",
	}
	for name, row := range cases {
		if _, err := ParseCSV("f.csv", strings.NewReader(head+row)); err == nil || !strings.Contains(err.Error(), "f.csv:") {
			t.Errorf("%s: %v", name, err)
		}
	}
	if _, err := ParseCSV("f.csv", strings.NewReader("question_id,question_id\n")); err == nil {
		t.Error("a duplicated column was accepted")
	}
	if _, err := Score([]Forecast{{ID: "a", P: math.NaN()}}, map[string]Outcome{"a": {Yes: true}}, Config{}); err == nil {
		t.Error("Score accepted a NaN probability")
	}
}
