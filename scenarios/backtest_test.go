package scenarios_test

import (
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/geosim/geosim/sim/scenario"
)

// TestBacktestTemplateIsTheFlagship: the backtest template carries the
// flagship's model and parameters unchanged, except what it documents as
// dated context (the presidents' summit incentives, the Korean baseline
// stances and Russia's wartime demand, set by the backtest file's
// overrides) and the flagship's 2025 signals, occasions and shocks. When
// the flagship's parameters change, update the template.
func TestBacktestTemplateIsTheFlagship(t *testing.T) {
	flag, err := scenario.Load("beijing-parade-2025.toml")
	if err != nil {
		t.Fatal(err)
	}
	tpl, err := scenario.Load("backtest/template.toml")
	if err != nil {
		t.Fatal(err)
	}
	dated := map[string]bool{
		"incentive.USA.DPRK.summit": true, "incentive.ROK.DPRK.summit": true, "incentive.DPRK.RUS.military_support": true,
		"incentive.RUS.DPRK.deal": true, "incentive.RUS.DPRK.military_support": true,
		"stance.ROK.DPRK": true, "stance.DPRK.ROK": true,
	}
	tplParams := map[string]string{}
	for _, p := range tpl.Model.Params() {
		tplParams[p.Path] = p.Dist.String()
	}
	kept := map[string]bool{} // occasions and shocks the template keeps: structural, not 2025's
	for _, o := range tpl.Scenario.Calendar {
		kept["calendar."+o.Name+"."] = true
	}
	for _, s := range tpl.Scenario.Shocks {
		kept["shock."+s.Name+"."] = true
	}
	isKept := func(path string) bool {
		for prefix := range kept {
			if strings.HasPrefix(path, prefix) {
				return true
			}
		}
		return false
	}
	compared := 0
	for _, p := range flag.Model.Params() {
		if dated[p.Path] || strings.HasPrefix(p.Path, "signal.") ||
			((strings.HasPrefix(p.Path, "shock.") || strings.HasPrefix(p.Path, "calendar.")) && !isKept(p.Path)) {
			continue
		}
		compared++
		if got, ok := tplParams[p.Path]; !ok || got != p.Dist.String() {
			t.Errorf("%s: template %q, flagship %q", p.Path, got, p.Dist.String())
		}
	}
	for _, path := range []string{"incentive.USA.DPRK.summit", "incentive.ROK.DPRK.summit", "incentive.DPRK.RUS.military_support",
		"incentive.RUS.DPRK.deal", "incentive.RUS.DPRK.military_support"} {
		i, _ := tpl.Model.ParamIndex(path)
		if v := tpl.Model.Params()[i].Dist.Mean(); v != 0 {
			t.Errorf("%s = %v in the template; it is dated context, 0 until an override sets it", path, v)
		}
	}
	if len(tpl.Scenario.Signals) != 0 {
		t.Error("the template has signals")
	}
	for _, s := range tpl.Scenario.Shocks {
		if s.Name != "dprk_engagement" {
			t.Errorf("the template has the 2025 shock %s", s.Name)
		}
	}
	if compared < 100 {
		t.Errorf("compared only %d parameters", compared)
	}
}

// TestShippedBacktest: the shipped backtest loads with the shipped
// record, has at least 40 origins and 150 questions to resolve, none
// resolving after 2025-08-31.
func TestShippedBacktest(t *testing.T) {
	if files, _ := filepath.Glob("history/*.csv"); len(files) == 0 {
		t.Skip("no record in scenarios/history yet")
	}
	b, err := scenario.LoadBacktest("backtest/dprk-2014-2025.toml")
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, o := range b.Plan.Origins {
		for _, q := range o.Questions {
			n++
			if q.To.Date() > "2025-08-31" {
				t.Errorf("%s resolves after the cut-off", q.ID)
			}
		}
	}
	if len(b.Plan.Origins) < 40 || n < 150 {
		t.Errorf("%d origins, %d questions", len(b.Plan.Origins), n)
	}
}

// TestCalibratedBacktestIsTheBacktest: the calibrated backtest asks the
// plain backtest's questions of the same model at the same origins with
// the same record, mapping and dated context; only its header and its
// posterior ranges differ, and every origin has a posterior fitted to
// data before it.
func TestCalibratedBacktestIsTheBacktest(t *testing.T) {
	plain, err := scenario.LoadBacktest("backtest/dprk-2014-2025.toml")
	if err != nil {
		t.Fatal(err)
	}
	cal, err := scenario.LoadBacktest("backtest/dprk-2014-2025-calibrated.toml")
	if err != nil {
		t.Fatal(err)
	}
	a, b := *plain.Spec, *cal.Spec
	if len(b.Posteriors) == 0 {
		t.Fatal("the calibrated backtest has no posterior ranges")
	}
	a.Name, a.Title, a.Description, a.Posteriors = "", "", "", nil
	b.Name, b.Title, b.Description, b.Posteriors = "", "", "", nil
	a.Template, b.Template = nil, nil
	if plain.Template.Hash != cal.Template.Hash {
		t.Error("the templates differ")
	}
	if !reflect.DeepEqual(a, b) {
		t.Error("the calibrated backtest differs from dprk-2014-2025.toml beyond its header and posteriors")
	}
	for _, o := range cal.Plan.Origins {
		if o.Posterior == "" {
			t.Errorf("origin %s has no posterior", o.Month)
		}
	}
	for _, r := range cal.Spec.Posteriors {
		if !r.DataTo.Before(r.From.Time()) {
			t.Errorf("%s: fitted to %s, used from %s", r.Name, r.DataTo.Format("2006-01-02"), r.From)
		}
	}
}
