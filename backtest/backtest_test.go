package backtest_test

import (
	"context"
	"math"
	"slices"
	"testing"
	"time"

	"github.com/geosim/geosim/backtest"
	"github.com/geosim/geosim/sim"
	"github.com/geosim/geosim/sim/scenario"
)

func load(t *testing.T) *scenario.Backtest {
	t.Helper()
	b, err := scenario.LoadBacktest("testdata/small.toml")
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func question(t *testing.T, b *scenario.Backtest, id string) backtest.Question {
	t.Helper()
	for _, o := range b.Plan.Origins {
		for _, q := range o.Questions {
			if q.ID == id {
				return q
			}
		}
	}
	t.Fatalf("no question %s", id)
	return backtest.Question{}
}

func near(a, b float64) bool { return math.Abs(a-b) < 1e-12 }

// TestResolutionAndBenchmarks checks questions of the fixture record
// (testdata/record.csv) against hand counts.
func TestResolutionAndBenchmarks(t *testing.T) {
	b := load(t)
	if n := len(b.Plan.Origins); n != 4 {
		t.Fatalf("%d origins, want 4 (2014-01 to 2015-07 every 6 months)", n)
	}
	// The cut-off 2015-10-31 drops the five 6-month questions of 2015-07.
	if b.Plan.Dropped != 5 {
		t.Errorf("dropped %d, want 5", b.Plan.Dropped)
	}
	cases := []struct {
		id              string
		outcome         bool
		observed, need  int
		clim, pers      float64
		textContainsMon string
	}{
		// Launches in February and March 2014: two months. The 24 months
		// before hold one launch month (2013-05); of the 22 three-month
		// windows inside them, 3 contain it: (3+1)/(22+2).
		{"launch/2014-01/h3", true, 2, 1, 4.0 / 24, 0, "March 2014"},
		// Six-month windows: 19, of which 6 contain 2013-05: 7/21.
		{"launch/2014-01/h6", true, 3, 1, 7.0 / 21, 0, "June 2014"},
		// At least ⌈0.5·3⌉ = 2 launch months: yes; no window of the
		// 24 months before had two: 1/24.
		{"launch_half/2014-01/h3", true, 2, 2, 1.0 / 24, 0, "2 of the 3"},
		// Visits either way: CHN→DPRK in 2013-07 is in the six months
		// before 2014-01, so persistence says yes; nothing happens.
		{"china_visit/2014-01/h6", false, 0, 1, 9.0 / 21, 1, ""},
		// The only nuclear test before 2015-07 (2013-02) has left the
		// 24-month window: (0+1)/(22+2).
		{"nuclear_test/2015-07/h3", false, 0, 1, 1.0 / 24, 0, ""},
		// Launches in 2014-07, 2014-08, 2014-09; persistence: 2014-06.
		{"launch/2014-07/h3", true, 3, 1, 9.0 / 24, 1, ""},
	}
	for _, c := range cases {
		q := question(t, b, c.id)
		if q.Outcome != c.outcome || q.Observed != c.observed || q.AtLeast != c.need || !near(q.Climatology, c.clim) || q.Persistence != c.pers {
			t.Errorf("%s: outcome %v observed %d need %d climatology %v persistence %v; want %v %d %d %v %v",
				c.id, q.Outcome, q.Observed, q.AtLeast, q.Climatology, q.Persistence, c.outcome, c.observed, c.need, c.clim, c.pers)
		}
		if c.textContainsMon != "" && !contains(q.Text, c.textContainsMon) {
			t.Errorf("%s: text %q lacks %q", c.id, q.Text, c.textContainsMon)
		}
	}
}

func contains(s, sub string) bool {
	for i := 0; i+len(sub) <= len(s); i++ {
		if s[i:i+len(sub)] == sub {
			return true
		}
	}
	return false
}

// TestReplay checks the signals replayed before 2014-01 and the dated
// override: the record's 2012-01..2013-12 events become 30 signals — five
// broadcast months (three launches, the nuclear test, an exercise), each
// reaching the five other actors, plus a UN resolution sent by the three
// permanent members and two visits.
func TestReplay(t *testing.T) {
	b := load(t)
	o := b.Plan.Origins[0]
	if o.Signals != 30 {
		t.Errorf("%d signals, want 30", o.Signals)
	}
	sigs := map[string]sim.Signal{}
	for _, s := range o.Model.Scenario().Signals {
		sigs[s.Name] = s
		if sim.MonthOf(s.Date) >= o.Month || sim.MonthOf(s.Date) < o.Month-24 {
			t.Errorf("%s dated %s, outside the 24 months before %s", s.Name, s.Date, o.Month)
		}
	}
	want := map[string]float64{
		"rec_weapons_test_DPRK_USA_2013_05": -7.2,        // a launch: full intensity to the adversary
		"rec_weapons_test_DPRK_CHN_2013_05": -7.2 * 0.25, // others: broadcast_spillover (default 0.25)
		"rec_nuclear_test_DPRK_RUS_2013_02": -10 * 0.25,
		"rec_sanction_CHN_DPRK_2013_03":     -8,   // a UN resolution: every permanent member sends
		"rec_weapons_test_USA_CHN_2013_03":  -7.2, // an exercise: CHN is a US adversary (stance -2)
		"rec_visit_CHN_DPRK_2013_07":        1.9,
		"rec_weapons_test_DPRK_USA_2012_12": -7.2,
	}
	for name, scale := range want {
		s, ok := sigs[name]
		if !ok {
			t.Errorf("no signal %s", name)
			continue
		}
		if !near(s.Scale.Mean(), scale) || s.Credibility.Mean() != 1 {
			t.Errorf("%s: scale %v credibility %v, want %v and 1", name, s.Scale.Mean(), s.Credibility.Mean(), scale)
		}
	}
	if len(b.Plan.Origins[2].Overrides) != 0 || !slices.Equal(b.Plan.Origins[3].Overrides, []string{"trump"}) {
		t.Errorf("overrides %v and %v; the 2015-01-01 override applies to origins after that day only", b.Plan.Origins[2].Overrides, b.Plan.Origins[3].Overrides)
	}
	m := b.Plan.Origins[3].Model
	i, _ := m.ParamIndex("incentive.USA.DPRK.summit")
	if v := m.Params()[i].Dist.Mean(); v != 1 {
		t.Errorf("override not applied: incentive.USA.DPRK.summit = %v", v)
	}
}

// TestJointReplay: a summit is replayed as both sides' summit plus joint
// scale, (4.0 + 3.0) at credibility 0.8.
func TestJointReplay(t *testing.T) {
	b := load(t)
	spec := *b.Spec
	spec.Origins = []sim.Month{sim.MonthOf(mustDate("2018-06-01"))}
	spec.Cutoff = mustDate("2018-12-31")
	plan, err := backtest.Prepare(&spec)
	if err != nil {
		t.Fatal(err)
	}
	found := 0
	for _, s := range plan.Origins[0].Model.Scenario().Signals {
		if s.Name == "rec_summit_DPRK_CHN_2018_03" || s.Name == "rec_summit_CHN_DPRK_2018_03" {
			found++
			if !near(s.Scale.Mean(), 7) || !near(s.Credibility.Mean(), 0.8) {
				t.Errorf("%s: scale %v credibility %v", s.Name, s.Scale.Mean(), s.Credibility.Mean())
			}
		}
	}
	if found != 2 {
		t.Errorf("found %d of the two summit signals", found)
	}
}

// TestRunOriginWorkers: the yes counts are the same for any number of
// workers, and cancelling stops the runs.
func TestRunOriginWorkers(t *testing.T) {
	b := load(t)
	o := b.Plan.Origins[1]
	one, err := backtest.RunOrigin(context.Background(), o, 600, 3, 1)
	if err != nil {
		t.Fatal(err)
	}
	three, err := backtest.RunOrigin(context.Background(), o, 600, 3, 3)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(one, three) {
		t.Errorf("1 worker %v, 3 workers %v", one, three)
	}
	other, _ := backtest.RunOrigin(context.Background(), o, 600, 4, 2)
	if slices.Equal(one, other) {
		t.Error("another seed gave the same counts")
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := backtest.RunOrigin(ctx, o, 600, 3, 2); err == nil {
		t.Error("a cancelled context did not stop the runs")
	}
}

// TestScoreKnownAnswers: a model that forecasts exactly what the
// climatology benchmark does has skill 0 against it, with interval
// [0, 0]; the Brier scores and base rate match a hand computation.
func TestScoreKnownAnswers(t *testing.T) {
	b := load(t)
	var yes [][]int64
	for _, o := range b.Plan.Origins {
		var y []int64
		for _, q := range o.Questions {
			y = append(y, int64(math.Round(q.Climatology*1e9)))
		}
		yes = append(yes, y)
	}
	rows := backtest.Rows(b.Plan, yes, 1e9)
	groups := backtest.ScoreRows(b.Spec, rows, 1)
	all := groups[0]
	if all.Key != "all" || all.N != 35 || all.Origins != 4 {
		t.Fatalf("group %s: %d questions at %d origins", all.Key, all.N, all.Origins)
	}
	var brier, yesN float64
	for _, r := range rows {
		o := r.Outcome()
		brier += (r.P[backtest.Climatology] - o) * (r.P[backtest.Climatology] - o)
		yesN += o
	}
	brier /= float64(len(rows))
	if !near(all.Scores[backtest.Climatology].Brier, brier) || !near(all.BaseRate, yesN/35) || !near(all.Scores[backtest.Half].Brier, 0.25) {
		t.Errorf("Brier %v (want %v), base rate %v", all.Scores[backtest.Climatology].Brier, brier, all.BaseRate)
	}
	for _, g := range groups {
		for _, s := range g.Scores[backtest.Model].Skill {
			if s.Reference == "climatology" && (math.Abs(s.Value) > 1e-6 || math.Abs(s.Lo) > 1e-6 || math.Abs(s.Hi) > 1e-6) {
				t.Errorf("%s: skill of climatology against itself %v [%v, %v]", g.Key, s.Value, s.Lo, s.Hi)
			}
		}
	}
	// Groups: all, 2 horizons, 5 templates, 5 × 2 template-horizons.
	if len(groups) != 1+2+5+10 {
		t.Errorf("%d groups", len(groups))
	}
}

func mustDate(s string) time.Time {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return t
}

// TestPrepareRejectsBadRanges: a cut-off before the record's start, or
// origins after the cut-off, are problems, not panics.
func TestPrepareRejectsBadRanges(t *testing.T) {
	b := load(t)
	for name, edit := range map[string]func(*backtest.Spec){
		"cutoff before the record": func(s *backtest.Spec) { s.Cutoff = mustDate("2011-06-30") },
		"origins after the cutoff": func(s *backtest.Spec) { s.Origins = append(s.Origins, sim.MonthOf(mustDate("2020-01-01"))) },
		"no origins":               func(s *backtest.Spec) { s.Origins = nil },
		"no horizons":              func(s *backtest.Spec) { s.Horizons = nil },
	} {
		spec := *b.Spec
		edit(&spec)
		if _, err := backtest.Prepare(&spec); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}
