package abc

import (
	"context"
	"encoding/json"
	"math"
	"strings"
	"testing"
)

func TestSummarize(t *testing.T) {
	p, c := quick()
	res, err := Run(context.Background(), p, c)
	if err != nil {
		t.Fatal(err)
	}
	s := Summarize(res, map[string]string{"tool": "geosim"})
	if len(s.Params) != 2 || len(s.Stats) != 2 || len(s.Generations) != len(res.Generations) {
		t.Fatalf("summary sizes: %d params, %d stats, %d generations", len(s.Params), len(s.Stats), len(s.Generations))
	}
	a := s.Params[0]
	if a.Prior != "normal(0, 1)" || a.PriorMean != 0 || math.Abs(a.PriorInterval90[1]-1.6448536269514722) > 1e-12 {
		t.Errorf("prior summary %+v", a)
	}
	if !(a.PosteriorInterval90[0] < a.PosteriorMedian && a.PosteriorMedian < a.PosteriorInterval90[1]) || !(a.PosteriorSD < 1) || !(a.PosteriorMeanSE > 0) {
		t.Errorf("posterior summary %+v", a)
	}
	var sims int64
	for _, g := range s.Generations {
		sims += g.Simulations
	}
	if sims != s.Simulations {
		t.Errorf("generations add to %d simulations, summary says %d", sims, s.Simulations)
	}
	b, err := json.MarshalIndent(s, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	text := string(b)
	for _, want := range []string{`"tolerance": null`, `"posterior_interval90": [`, `"tool": "geosim"`, `"stop": "generations"`, `"warnings": []`} {
		if !strings.Contains(text, want) {
			t.Errorf("summary.json lacks %s", want)
		}
	}
}

func TestGenerationJSON(t *testing.T) {
	for _, g := range []Generation{
		{Index: 0, Tolerance: math.Inf(1), Simulations: 10, Accepted: 10, AcceptanceRate: 1, ESS: 10},
		{Index: 3, Tolerance: 0.1 + 0.2, Simulations: 17, Accepted: 5, AcceptanceRate: 5.0 / 17, ESS: 4.2, Resampled: true},
	} {
		b, err := json.Marshal(g)
		if err != nil {
			t.Fatal(err)
		}
		var back Generation
		if err := json.Unmarshal(b, &back); err != nil {
			t.Fatal(err)
		}
		if back != g {
			t.Errorf("%s read back as %+v, want %+v", b, back, g)
		}
	}
}
