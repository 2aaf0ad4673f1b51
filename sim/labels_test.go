package sim_test

import (
	"testing"

	"github.com/geosim/geosim/scenarios"
	"github.com/geosim/geosim/sim/scenario"
)

// TestParamLabels: parameter paths become labels in words, with the
// actors' names and the unit charts show them in.
func TestParamLabels(t *testing.T) {
	f, err := scenario.LoadFS(scenarios.FS, scenarios.Flagship)
	if err != nil {
		t.Fatal(err)
	}
	m := f.Model
	cases := map[string]string{
		"trade.DPRK.CHN (%)":                                           "trade.DPRK.CHN",
		"North Korea's rationality (1/utility)":                        "actor.DPRK.rationality",
		"United States' summit incentive toward North Korea (utility)": "incentive.USA.DPRK.summit",
		"North Korea's weapons test incentive (utility)":               "incentive.DPRK.weapons_test",
		"Ukraine ceasefire: monthly probability":                       "shock.ukraine_ceasefire.hazard",
		"Leverage of trade asymmetry":                                  "model.leverage",
	}
	for want, path := range cases {
		got := m.ParamLabel(path).String()
		if path == "trade.DPRK.CHN" {
			want = "North Korea's trade share with China (%)"
		}
		if got != want {
			t.Errorf("%s: %q, want %q", path, got, want)
		}
	}
	if l := m.ParamLabel("trade.DPRK.CHN"); l.Scale != 100 {
		t.Errorf("a trade share is shown in %%: scale %v", l.Scale)
	}
	if l := m.ParamLabel("no.such.path"); l.Text != "no.such.path" {
		t.Errorf("an unknown path is its own label, got %q", l.Text)
	}
	for _, p := range m.ParamPaths() {
		if l := m.ParamLabel(p); l.Text == "" || l.Text == p && p[0] != '-' {
			t.Errorf("%s has no label of its own: %q", p, l.Text)
		}
	}
}
