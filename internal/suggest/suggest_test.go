package suggest

import "testing"

func TestClosest(t *testing.T) {
	names := []string{"rationality", "economic_weight", "power", "DPRK", "CHN", "RUS", "USA"}
	cases := map[string]string{
		"rationalty":      "rationality",
		"ratoinality":     "rationality",
		"economic_wieght": "economic_weight",
		"DPKR":            "DPRK",
		"dprk":            "DPRK",
		"CNH":             "CHN",
		"banana":          "",
		"x":               "",
	}
	for in, want := range cases {
		if got := Closest(in, names); got != want {
			t.Errorf("Closest(%q) = %q, want %q", in, got, want)
		}
	}
	if h := Hint("powr", names); h != " (did you mean power?)" {
		t.Errorf("Hint = %q", h)
	}
}
