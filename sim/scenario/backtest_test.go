package scenario

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// backtestDir copies the fixture backtest into a temporary folder, with
// the backtest file edited by edit, and returns the backtest file's path.
func backtestDir(t *testing.T, edit func(string) string, record func(string) string) string {
	t.Helper()
	dir := t.TempDir()
	copyFile := func(from, to string, fn func(string) string) {
		b, err := os.ReadFile(from)
		if err != nil {
			t.Fatal(err)
		}
		s := string(b)
		if fn != nil {
			s = fn(s)
		}
		os.WriteFile(filepath.Join(dir, to), []byte(s), 0o644)
	}
	copyFile("../../scenarios/backtest/template.toml", "template.toml", nil)
	copyFile("../../backtest/testdata/record.csv", "record.csv", record)
	copyFile("../../backtest/testdata/small.toml", "bt.toml", func(s string) string {
		s = strings.Replace(s, `template = "../../scenarios/backtest/template.toml"`, `template = "template.toml"`, 1)
		if edit != nil {
			s = edit(s)
		}
		return s
	})
	return filepath.Join(dir, "bt.toml")
}

func TestLoadBacktestFixture(t *testing.T) {
	b, err := LoadBacktest(backtestDir(t, nil, nil))
	if err != nil {
		t.Fatal(err)
	}
	if len(b.Plan.Origins) != 4 || len(b.Spec.Templates) != 5 || len(b.Spec.Mappings) != 9 || b.Spec.Runs != 300 {
		t.Errorf("origins %d, templates %d, mappings %d, runs %d", len(b.Plan.Origins), len(b.Spec.Templates), len(b.Spec.Mappings), b.Spec.Runs)
	}
	src := b.Sources()
	if len(src) != 3 {
		t.Errorf("sources %d, want the backtest, the template and the record", len(src))
	}
	again, err := LoadBacktestSources(b.Path, src, "")
	if err != nil || again.Hash != b.Hash {
		t.Errorf("reloading from sources: %v, hash %s vs %s", err, again.Hash, b.Hash)
	}
}

// TestBacktestProblems: every problem of a broken backtest, its template
// and its record is reported at once, positioned.
func TestBacktestProblems(t *testing.T) {
	file := backtestDir(t, func(s string) string {
		return strings.NewReplacer(
			"runs = 300", "run = 300",
			"horizons = [3, 6]", "horizons = [6, 3]",
			`[mapping.summit]
action = "summit"`, `[mapping.summit]
action = "sumit"`,
			`[mapping.unsc_veto]
replay = "none"`, ``,
			`"incentive.USA.DPRK.summit" = 1.0`, `"incentive.USA.DPRK.sumit" = 1.0`,
			`events = [{ type = "summit", actor = "DPRK", target = "CHN" }]`, `events = [{ type = "summit", actor = "DPRK", target = "UNSC" }]`,
			"first_origin = 2014-01-01", "first_origin = 2013-01-15",
		).Replace(s)
	}, nil)
	_, err := LoadBacktest(file)
	if err == nil {
		t.Fatal("a broken backtest loaded")
	}
	msg := strings.ReplaceAll(err.Error(), filepath.Dir(file)+string(filepath.Separator), "")
	for _, want := range []string{
		`bt.toml:16: backtest.run: unknown key "run" in [backtest] (did you mean runs?)`,
		"bt.toml:10: backtest.first_origin: origins are months: write the first day, like 2013-01-01",
		"bt.toml:10: backtest.first_origin: 2013-01 is too early",
		"bt.toml:13: backtest.horizons: list horizons in increasing order",
		`bt.toml:33: mapping.summit.action: unknown action "sumit"`,
		"bt.toml:20: mapping: the record holds unsc_veto events: declare [mapping.unsc_veto]",
		`bt.toml:58: override.trump.set."incentive.USA.DPRK.sumit": no parameter "incentive.USA.DPRK.sumit" (did you mean incentive.USA.DPRK.summit?)`,
		`bt.toml:62: question.kim_xi_summit.events: event 1 (summit): target "UNSC" is not an actor of the template`,
	} {
		if !strings.Contains(msg, want) {
			t.Errorf("missing %q in\n%s", want, msg)
		}
	}
	// Problems in the record are reported with the backtest's.
	file = backtestDir(t, func(s string) string { return strings.Replace(s, "horizons = [3, 6]", "horizons = [0]", 1) },
		func(s string) string {
			return strings.Replace(s, "2013-05-22,DPRK,CHN,visit", "2013-05-22,DPRK,CHINA,visit", 1)
		})
	_, err = LoadBacktest(file)
	msg = strings.ReplaceAll(err.Error(), filepath.Dir(file)+string(filepath.Separator), "")
	if !strings.Contains(msg, `record.csv:8: target: unknown actor "CHINA"`) {
		t.Errorf("record problem missing:\n%s", msg)
	}
}

func TestBacktestOriginsAndRecordRules(t *testing.T) {
	file := backtestDir(t, func(s string) string {
		s = strings.NewReplacer("last_origin = 2015-07-01", "last_origin = 2016-01-01", `record = ["record.csv"]`, `record = []`).Replace(s)
		return s[:strings.Index(s, "[question.")]
	}, nil)
	_, err := LoadBacktest(file)
	if err == nil {
		t.Fatal("accepted")
	}
	for _, want := range []string{
		"backtest.record: name at least one record file",
		"backtest.last_origin: 2016-01 is too late: its shortest horizon (3 months) ends in 2016-03, after the cut-off 2015-10-31",
		"question: a backtest needs at least one [question.NAME] template",
	} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("missing %q in\n%v", want, err)
		}
	}
}

func TestBacktestTemplateRules(t *testing.T) {
	file := backtestDir(t, func(s string) string {
		return strings.NewReplacer(
			`events = [{ type = "nuclear_test", actor = "DPRK" }]`, `events = [{ type = "nuclear_test", actor = "DPRK", target = "USA" }]`,
			`events = [{ type = "summit", actor = "DPRK", target = "CHN" }]`, `events = [{ type = "summit", actor = "DPRK", target = "CHN" }]
at_least_share = 0.5`,
			`events = [{ type = "ballistic_launch", actor = "DPRK" }]
at_least_share = 0.5`, `events = [{ type = "unsc_veto", actor = "DPRK" }]
at_least_share = 1.5`,
		).Replace(s)
	}, nil)
	_, err := LoadBacktest(file)
	if err == nil {
		t.Fatal("accepted")
	}
	for _, want := range []string{
		"question.nuclear_test.events: event 1 (nuclear_test): nuclear_test is a broadcast action: give no target",
		"question.kim_xi_summit.events: event 1 (summit): months of a joint action cannot be counted",
		"question.launch_half.at_least_share: must be in (0, 1], got 1.5",
		`question.launch_half.events: event 1 (unsc_veto): unsc_veto is record-only`,
	} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("missing %q in\n%v", want, err)
		}
	}
}

// TestBacktestPosteriorRanges: a posterior range gives its origins the
// posterior's joint draws; one fitted to data reaching an origin, one
// whose summary says another date, and overlapping ranges are refused.
func TestBacktestPosteriorRanges(t *testing.T) {
	post := "incentive.DPRK.weapons_test,weight\n0.5,1\n1.5,1\n"
	ranges := func(extra string) string {
		file := backtestDir(t, func(s string) string {
			return s + `
[posterior.early]
file = "post/posterior.csv"
data_to = 2013-12-31
first_origin = 2014-01-01
last_origin = 2014-12-01
` + extra
		}, nil)
		dir := filepath.Join(filepath.Dir(file), "post")
		os.MkdirAll(dir, 0o755)
		os.WriteFile(filepath.Join(dir, "posterior.csv"), []byte(post), 0o644)
		os.WriteFile(filepath.Join(dir, "summary.json"), []byte(`{"fit_to": "2013-12-31"}`), 0o644)
		return file
	}
	b, err := LoadBacktest(ranges(""))
	if err != nil {
		t.Fatal(err)
	}
	var with []string
	for _, o := range b.Plan.Origins {
		if o.Posterior != "" {
			with = append(with, o.Month.String())
			if file, sha := o.Model.PosteriorInfo(); sha == "" || !strings.HasSuffix(file, "post/posterior.csv") {
				t.Errorf("origin %s: posterior %q %q", o.Month, file, sha)
			}
		}
	}
	if strings.Join(with, " ") != "2014-01 2014-07" {
		t.Errorf("origins with the posterior: %v", with)
	}
	if len(b.Sources()) != 5 {
		t.Errorf("sources %d: the backtest, template, record, posterior and its summary", len(b.Sources()))
	}
	_, err = LoadBacktest(ranges(`
[posterior.late]
file = "post/posterior.csv"
data_to = 2015-03-31
first_origin = 2014-07-01
last_origin = 2015-07-01
`))
	for _, want := range []string{
		`posterior.late.data_to: the posterior was fitted to data up to 2015-03-31, not before the range's first origin 2014-07`,
		`posterior.late: origins 2014-07 to 2015-07 overlap those of posterior early (2014-01 to 2014-12)`,
		`posterior.late.data_to: 2015-03-31, but`,
	} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("missing %q in %v", want, err)
		}
	}
}
