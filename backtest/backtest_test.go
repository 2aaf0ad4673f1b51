package backtest_test

import (
	"context"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/geosim/geosim/backtest"
	"github.com/geosim/geosim/sim"
	"github.com/geosim/geosim/sim/scenario"
	"github.com/geosim/geosim/sim/stats"
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

// TestRunOriginWorkers: the tallies — totals and counts by replicate
// group — are the same for any number of workers, also when the runs end
// in a partial group, and cancelling stops the runs.
func TestRunOriginWorkers(t *testing.T) {
	b := load(t)
	o := b.Plan.Origins[1]
	if o.Model.Replicates() != 20 {
		t.Fatalf("the template has %d replicates, the test expects 20", o.Model.Replicates())
	}
	for _, runs := range []int{600, 610} {
		one, err := backtest.RunOrigin(context.Background(), o, runs, 3, 1)
		if err != nil {
			t.Fatal(err)
		}
		for _, workers := range []int{2, 3} {
			many, err := backtest.RunOrigin(context.Background(), o, runs, 3, workers)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(one, many) {
				t.Errorf("%d runs: 1 worker %v, %d workers %v", runs, one, workers, many)
			}
		}
		for q, y := range one {
			if g := y.Grouped; g.Size != 20 || g.Groups != 30 || g.Sum > y.Yes || y.Yes > g.Sum+int64(runs-600) {
				t.Errorf("%d runs, question %d: %d yes, grouped %+v", runs, q, y.Yes, g)
			}
		}
	}
	other, _ := backtest.RunOrigin(context.Background(), o, 600, 4, 2)
	one, _ := backtest.RunOrigin(context.Background(), o, 600, 3, 2)
	if slices.Equal(one, other) {
		t.Error("another seed gave the same counts")
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := backtest.RunOrigin(ctx, o, 600, 3, 2); err == nil {
		t.Error("a cancelled context did not stop the runs")
	}
}

// TestRunOriginGroups: the group counts are those of runs g·R … g·R+R−1.
// Runs 0-19 alone give group 0's count K₀, runs 0-39 give K₀ + K₁; the
// tally of 40 runs must hold Σ K = K₀ + K₁ and Σ K² = K₀² + K₁².
func TestRunOriginGroups(t *testing.T) {
	b := load(t)
	o := b.Plan.Origins[2]
	g0, err := backtest.RunOrigin(context.Background(), o, 20, 5, 1)
	if err != nil {
		t.Fatal(err)
	}
	both, err := backtest.RunOrigin(context.Background(), o, 40, 5, 2)
	if err != nil {
		t.Fatal(err)
	}
	// 30 runs: one complete group, ten runs of the second in the total only.
	partial, err := backtest.RunOrigin(context.Background(), o, 30, 5, 2)
	if err != nil {
		t.Fatal(err)
	}
	var informative bool
	for q := range both {
		k0, k1 := g0[q].Yes, both[q].Yes-g0[q].Yes
		if g := both[q].Grouped; g.Groups != 2 || g.Sum != k0+k1 || g.SumSq != k0*k0+k1*k1 {
			t.Errorf("question %d: groups of %d and %d yes, tally %+v", q, k0, k1, g)
		}
		if g := partial[q].Grouped; g.Groups != 1 || g.Sum != k0 || g.SumSq != k0*k0 || partial[q].Yes < k0 {
			t.Errorf("question %d, 30 runs: first group %d yes, tally %d %+v", q, k0, partial[q].Yes, g)
		}
		informative = informative || k0 != k1
	}
	if !informative {
		t.Error("every question had equal groups: the test checks nothing about the boundaries")
	}
}

// TestRunOriginOneReplicate: with one run per parameter draw the runs
// are independent; no groups are counted, as geosim run counts none, and
// the interval is the binomial Wilson interval.
func TestRunOriginOneReplicate(t *testing.T) {
	src, err := os.ReadFile("../scenarios/backtest/template.toml")
	if err != nil {
		t.Fatal(err)
	}
	text := strings.Replace(string(src), "\nseed = 20140101\n", "\nseed = 20140101\nreplicates = 1\n", 1)
	if text == string(src) {
		t.Fatal("the template's seed line moved: cannot add replicates")
	}
	tpl := filepath.Join(t.TempDir(), "template.toml")
	if err := os.WriteFile(tpl, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	b, err := scenario.LoadBacktestWith("testdata/small.toml", scenario.BacktestOptions{Template: tpl})
	if err != nil {
		t.Fatal(err)
	}
	o := b.Plan.Origins[1]
	if o.Model.Replicates() != 1 {
		t.Fatalf("%d replicates", o.Model.Replicates())
	}
	one, err := backtest.RunOrigin(context.Background(), o, 300, 3, 1)
	if err != nil {
		t.Fatal(err)
	}
	two, err := backtest.RunOrigin(context.Background(), o, 300, 3, 2)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(one, two) {
		t.Errorf("1 worker %v, 2 workers %v", one, two)
	}
	for q, y := range one {
		if y.Grouped != (stats.Grouped{Size: 1}) {
			t.Errorf("question %d: grouped %+v with one replicate", q, y.Grouped)
		}
		lo, hi := y.Interval95(300)
		wlo, whi := stats.Proportion{Successes: y.Yes, Trials: 300}.Wilson95()
		if lo != wlo || hi != whi {
			t.Errorf("question %d: [%v, %v], Wilson [%v, %v]", q, lo, hi, wlo, whi)
		}
	}
}

// TestTallyInterval checks the grouped interval against hand computations
// (Python, z = 1.959963984540054).
func TestTallyInterval(t *testing.T) {
	cases := []struct {
		name   string
		tally  backtest.Tally
		runs   int
		lo, hi float64
	}{
		// Groups of 2 with 2, 2, 0, 0 yes: p = 1/2, group shares 1, 1, 0,
		// 0 with variance 1/3, SE² = 1/12, n_eff = p(1−p)/SE² = 3; the
		// Wilson interval at n = 3.
		{"four groups", backtest.Tally{Yes: 4, Grouped: stats.Grouped{Size: 2, Groups: 4, Sum: 4, SumSq: 8}}, 8, 0.1253344719102632, 0.8746655280897369},
		// The same groups and a ninth run (a partial group) that said yes:
		// p = 5/9 from all runs, SE from the complete groups, n_eff = 80/27.
		{"partial group", backtest.Tally{Yes: 5, Grouped: stats.Grouped{Size: 2, Groups: 4, Sum: 4, SumSq: 8}}, 9, 0.14951884804279042, 0.8988641178378087},
		// Groups of 20 with 10 yes each: no spread between the groups, SE
		// 0, so no effective number; the binomial Wilson interval of the 60
		// runs, as geosim run gives.
		{"no spread", backtest.Tally{Yes: 30, Grouped: stats.Grouped{Size: 20, Groups: 3, Sum: 30, SumSq: 300}}, 60, 0.3773502424155577, 0.6226497575844423},
		// One replicate: the binomial Wilson interval of 3 in 10.
		{"independent runs", backtest.Tally{Yes: 3, Grouped: stats.Grouped{Size: 1}}, 10, 0.10779126740630099, 0.6032218525388546},
		// No run, or every run, said yes: exact ends.
		{"none", backtest.Tally{Yes: 0, Grouped: stats.Grouped{Size: 2, Groups: 5}}, 10, 0, 0.2775327998628892},
		{"all", backtest.Tally{Yes: 10, Grouped: stats.Grouped{Size: 2, Groups: 5, Sum: 10, SumSq: 20}}, 10, 0.7224672001371107, 1},
	}
	for _, c := range cases {
		lo, hi := c.tally.Interval95(c.runs)
		if math.Abs(lo-c.lo) > 1e-12 || math.Abs(hi-c.hi) > 1e-12 {
			t.Errorf("%s: [%.15g, %.15g], want [%.15g, %.15g]", c.name, lo, hi, c.lo, c.hi)
		}
		if c.tally.Yes == 0 && lo != 0 || c.tally.Yes == int64(c.runs) && hi != 1 {
			t.Errorf("%s: [%v, %v] does not end exactly at 0 or 1", c.name, lo, hi)
		}
	}
}

// TestGroupedIntervalWider: when the answer depends strongly on the
// parameter draw (half the groups all yes, half all no), the grouped
// interval is much wider than the binomial one of the same runs, which
// would treat 2000 runs as independent when they hold only 100 draws.
func TestGroupedIntervalWider(t *testing.T) {
	g := stats.Grouped{Size: 20}
	for i := range 100 {
		g.AddGroup(int64(20 * (i % 2)))
	}
	tally := backtest.Tally{Yes: g.Sum, Grouped: g}
	lo, hi := tally.Interval95(2000)
	wlo, whi := stats.Proportion{Successes: g.Sum, Trials: 2000}.Wilson95()
	// SE = sqrt(s²/G) with s² = 0.25·100/99: n_eff = 99, about √20 times
	// the binomial half-width.
	ratio := (hi - lo) / (whi - wlo)
	t.Logf("grouped [%.4f, %.4f], binomial [%.4f, %.4f], ratio %.2f", lo, hi, wlo, whi, ratio)
	if ratio < 4 || ratio > 4.6 {
		t.Errorf("grouped interval %.2f times the binomial one, want about √20 ≈ 4.5", ratio)
	}
}

// TestScoreKnownAnswers: a model that forecasts exactly what the
// climatology benchmark does has skill 0 against it, with interval
// [0, 0]; the Brier scores and base rate match a hand computation.
func TestScoreKnownAnswers(t *testing.T) {
	b := load(t)
	var yes [][]backtest.Tally
	for _, o := range b.Plan.Origins {
		var y []backtest.Tally
		for _, q := range o.Questions {
			y = append(y, backtest.Tally{Yes: int64(math.Round(q.Climatology * 1e9)), Grouped: stats.Grouped{Size: 1}})
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
