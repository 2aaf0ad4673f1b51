package sim_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/geosim/geosim/sim"
)

// An action or joint series is 1 exactly in the months the matching
// one-month event occurs: the same runs, recorded both ways.
func TestActionSeriesMatchMonthlyEvents(t *testing.T) {
	sc := *flagship(t).Scenario()
	sc.Steps, sc.Outcomes, sc.Questions = 12, nil, nil
	sc.Series = []sim.Series{
		{Name: "tests", Kind: "action", Actors: [2]string{"DPRK"}, Action: "weapons_test"},
		{Name: "sanctions", Kind: "action", Actors: [2]string{"USA", "DPRK"}, Action: "sanction"},
		{Name: "kim_xi", Kind: "joint", Actors: [2]string{"CHN", "DPRK"}, Action: "summit"},
	}
	sc.Events = nil
	for k := range sc.Steps {
		d := sc.Start.AddDate(0, k, 0)
		sc.Events = append(sc.Events,
			sim.Event{Name: fmt.Sprintf("t%d", k), Kind: "action", Actor: "DPRK", Action: "weapons_test", From: d, By: d},
			sim.Event{Name: fmt.Sprintf("s%d", k), Kind: "action", Actor: "USA", Target: "DPRK", Action: "sanction", From: d, By: d},
			sim.Event{Name: fmt.Sprintf("x%d", k), Kind: "joint", Actors: [2]string{"DPRK", "CHN"}, Action: "summit", From: d, By: d})
	}
	m, err := sim.Compile(&sc)
	if err != nil {
		t.Fatal(err)
	}
	w := sim.NewWorkspace(m)
	T1 := sc.Steps + 1
	ones := make([]int, 3)
	for r := range uint64(300) {
		w.Run(5, r)
		for s := range 3 {
			if v := w.Out.Series[s*T1]; v != 0 {
				t.Fatalf("run %d: series %d is %v at state 0", r, s, v)
			}
			for k := range sc.Steps {
				want := 0.0
				if w.Out.EventStep[3*k+s] >= 0 {
					want = 1
				}
				if got := w.Out.Series[s*T1+k+1]; got != want {
					t.Fatalf("run %d, month %d: series %s = %v, event says %v", r, k, sc.Series[s].Name, got, want)
				}
				ones[s] += int(want)
			}
		}
	}
	for s, n := range ones {
		if n == 0 {
			t.Errorf("series %s never 1 in 300 runs: the check compared nothing", sc.Series[s].Name)
		}
	}
	if _, err := sim.Run(context.Background(), m, sim.Config{Runs: 100, Seed: 1}); err != nil {
		t.Errorf("a model with action series does not run: %v", err)
	}
	bad := sc
	bad.Series = []sim.Series{
		{Name: "a", Kind: "action", Actors: [2]string{"DPRK", "USA"}, Action: "weapons_test"},
		{Name: "b", Kind: "joint", Actors: [2]string{"DPRK", "CHN"}, Action: "weapons_test"},
		{Name: "c", Kind: "action", Actors: [2]string{"USA"}, Action: "sanction"},
		{Name: "d", Kind: "action", Actors: [2]string{"USA", "DPRK"}, Action: "sanctions"},
	}
	_, err = sim.Compile(&bad)
	for _, want := range []string{"series.a.actors: weapons_test is a broadcast action", "series.b.action: weapons_test is a broadcast action",
		"series.c.actors", `series.d.action: unknown action "sanctions"`} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("missing %q in %v", want, err)
		}
	}
}
