package discover

import (
	"math"
	"testing"
)

func TestLabels(t *testing.T) {
	l := Labels{Actors: map[string]string{"DPRK": "North Korea", "USA": "United States"}}
	cases := map[string]string{
		"actor.DPRK.rationality":            "North Korea's rationality",
		"actor.USA.memory":                  "United States' stance memory",
		"model.leverage":                    "leverage amplification",
		"incentive.DPRK.nuclear_test":       "North Korea's nuclear test incentive",
		"incentive.USA.DPRK.summit":         "summit incentive USA → DPRK",
		"trade.DPRK.CHN":                    "trade share DPRK → CHN",
		"stance.DPRK.USA":                   "baseline stance DPRK → USA",
		"link.russia_strains_china.weight":  "russia strains china link weight",
		"signal.trump_overture.credibility": "trump overture credibility",
		"shock.ukraine_ceasefire.hazard":    "ukraine ceasefire hazard per month",
		`shock.ukraine_ceasefire.multiply."incentive.DPRK.RUS.military_support"`: "ukraine ceasefire: factor on military support incentive DPRK → RUS",
		"something.odd": "something.odd",
	}
	for path, want := range cases {
		if got := l.Label(path); got != want {
			t.Errorf("%s: %q, want %q", path, got, want)
		}
	}
}

func TestSentence(t *testing.T) {
	inf := math.Inf(1)
	b := Box{Lo: []float64{-inf, 1.5, -inf}, Hi: []float64{1.2, inf, inf}, Coverage: 0.64, Density: 0.71, Mass: 0.21}
	l := Labels{Actors: map[string]string{"DPRK": "North Korea"}}
	got := l.Sentence(&b, []string{"actor.DPRK.rationality", "incentive.USA.DPRK.summit", "model.leverage"}, "see “Kim–Trump summit”", 0.23)
	want := "When North Korea's rationality < 1.2 and summit incentive USA → DPRK > 1.5: 71% of such runs see “Kim–Trump summit”, against 23% overall; these runs hold 64% of all the runs that do (the box holds 21% of all runs)."
	if got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
	if got := l.Clause("model.leverage", 0.5, 0.75); got != "leverage amplification between 0.5 and 0.75" {
		t.Errorf("clause %s", got)
	}
}
