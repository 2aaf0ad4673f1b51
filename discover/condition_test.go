package discover

import (
	"strings"
	"testing"
)

var (
	testEvents   = []string{"kim_trump_summit", "nuclear_test"}
	testOutcomes = []string{"dprk_rus_end", "missile_tests"}
)

func TestParseCondition(t *testing.T) {
	cases := []struct {
		text string
		want Condition
		str  string
	}{
		{"kim_trump_summit", Condition{Name: "kim_trump_summit", Event: true}, "kim_trump_summit"},
		{"  dprk_rus_end < 4 ", Condition{Name: "dprk_rus_end", Op: "<", Value: 4}, "dprk_rus_end < 4"},
		{"dprk_rus_end<=-1.5", Condition{Name: "dprk_rus_end", Op: "<=", Value: -1.5}, "dprk_rus_end <= -1.5"},
		{"missile_tests >= 12", Condition{Name: "missile_tests", Op: ">=", Value: 12}, "missile_tests >= 12"},
		{"missile_tests > 3e1", Condition{Name: "missile_tests", Op: ">", Value: 30}, "missile_tests > 30"},
		{"nuclear_test < 1", Condition{Name: "nuclear_test", Op: "<", Value: 1, Event: true}, "nuclear_test < 1"},
	}
	for _, c := range cases {
		got, err := ParseCondition(c.text, testEvents, testOutcomes)
		if err != nil {
			t.Errorf("%q: %v", c.text, err)
			continue
		}
		if got != c.want || got.String() != c.str {
			t.Errorf("%q: got %+v (%s), want %+v (%s)", c.text, got, got, c.want, c.str)
		}
	}
}

func TestParseConditionErrors(t *testing.T) {
	cases := map[string]string{
		"":                       "condition is empty",
		"kim_trump_sumit":        "did you mean kim_trump_summit?",
		"dprk_rus_end":           "is an outcome, not an event",
		"dprk_rus_end == 4":      "operator == is not supported",
		"dprk_rus_end = 4":       "operator = is not supported",
		"dprk_rus_end < four":    `"four" after < is not a number`,
		"dprk_rus_end <":         `"" after < is not a number`,
		"dprk rus end < 4":       "expected NAME or NAME OP NUMBER",
		"missile_tests >= 1 2":   "is not a number",
		"unknown_thing > 0":      "events: kim_trump_summit, nuclear_test; outcomes: dprk_rus_end, missile_tests",
		"kim_trump_summit != 1":  "operator != is not supported",
		"dprk_rus_end < 4 and x": "is not a number",
	}
	for text, want := range cases {
		_, err := ParseCondition(text, testEvents, testOutcomes)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%q: error %v, want it to contain %q", text, err, want)
		}
	}
}

func TestConditionHoldsAndWords(t *testing.T) {
	ev := Condition{Name: "e", Event: true}
	if !ev.Holds(1) || ev.Holds(0) {
		t.Error("an event condition holds for 1 and not for 0")
	}
	lt := Condition{Name: "o", Op: "<", Value: 4}
	if !lt.Holds(3.9) || lt.Holds(4) {
		t.Error("< is strict")
	}
	le := Condition{Name: "o", Op: "<=", Value: 4}
	if !le.Holds(4) || le.Holds(4.1) {
		t.Error("<= includes the value")
	}
	if got := (Condition{Name: "dprk_rus_end", Op: "<", Value: -4}).Slug(); got != "dprk_rus_end-lt-m4" {
		t.Errorf("slug %s", got)
	}
	if got := ev.Phrase("Kim–Trump summit"); got != "see “Kim–Trump summit”" {
		t.Errorf("phrase %s", got)
	}
	if got := (Condition{Name: "e", Op: "<", Value: 1, Event: true}).Phrase("Kim–Trump summit"); got != "do not see “Kim–Trump summit”" {
		t.Errorf("phrase %s", got)
	}
	if got := lt.Phrase("DPRK–Russia relation"); got != "have “DPRK–Russia relation” below 4" {
		t.Errorf("phrase %s", got)
	}
}
