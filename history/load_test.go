package history

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/geosim/geosim/sim"
)

func TestLoadGood(t *testing.T) {
	r, err := Load(Options{}, "testdata/good.csv")
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Events) != 7 {
		t.Fatalf("%d events, want 7", len(r.Events))
	}
	e := r.Events[1]
	if !e.MonthOnly || e.DateString() != "2017-07" || e.Line != 3 || e.Count != 1 {
		t.Errorf("month-only row: %+v", e)
	}
	if got := r.Events[4]; got.Count != 1 || got.Target != "USA" {
		t.Errorf("empty count should default to 1: %+v", got)
	}
	if got := r.CountByType(); got[Summit] != 3 || got[BallisticLaunch] != 2 {
		t.Errorf("counts by type: %v", got)
	}
	first, last := r.Span()
	if first.String() != "2016-01" || last.String() != "2025-08" {
		t.Errorf("span %s..%s", first, last)
	}
}

func TestLoadBadReportsEveryProblem(t *testing.T) {
	_, err := Load(Options{}, "testdata/bad.csv")
	var list ErrorList
	if !errors.As(err, &list) {
		t.Fatalf("want an ErrorList, got %v", err)
	}
	want := []string{
		`testdata/bad.csv:2: date: "2016-13-06" is not a date`,
		`testdata/bad.csv:3: date: 2011-12-31 is before the record's start, 2012-01-01`,
		`testdata/bad.csv:4: target: a ballistic_launch has no target: leave it empty`,
		`testdata/bad.csv:4: count: "0" is not a positive whole number`,
		`testdata/bad.csv:5: target: unknown actor "CHINA"`,
		`testdata/bad.csv:5: type: unknown type "sumit"`,
		`testdata/bad.csv:5: source: every row needs a source`,
		`testdata/bad.csv:6: actor: a summit has actor DPRK, got USA`,
		`testdata/bad.csv:6: date: out of order: rows are sorted by date, then type, then actor, and 2018-01-01 summit USA comes after 2018-03-26 sumit DPRK`,
		`testdata/bad.csv:7: date: 2025-09 is after the cut-off 2025-08-31`,
		`testdata/bad.csv:8: a row has 7 fields`,
	}
	text := err.Error()
	for _, w := range want {
		if !strings.Contains(text, w) {
			t.Errorf("missing %q in\n%s", w, text)
		}
	}
	if len(list) != len(want) {
		t.Errorf("%d problems, want %d:\n%s", len(list), len(want), text)
	}
}

func TestInvalidFiles(t *testing.T) {
	head := strings.Join(Header, ",") + "\n"
	cases := []struct{ name, data, want string }{
		{"empty", "", "x.csv: the file is empty"},
		{"binary", "\x00\x01", "x.csv: not UTF-8 text"},
		{"header", "date,actor,type\n", "x.csv:1: the header must be exactly date,actor,target,type,count,source,note"},
		{"quote", head + "2016-01-06,DPRK,,nuclear_test,1,\"Reu\"ters,\n", `x.csv:2: CSV: extraneous or missing " in quoted-field`},
		{"day", head + "2016-02-30,DPRK,,nuclear_test,1,s,\n", `x.csv:2: date: "2016-02-30" is not a date`},
		{"short date", head + "2016-2-3,DPRK,,nuclear_test,1,s,\n", `x.csv:2: date: "2016-2-3" is not a date`},
		{"self", head + "2016-02-03,CHN,CHN,visit,1,s,\n", "x.csv:2: target: actor and target are both CHN"},
		{"no target", head + "2016-02-03,CHN,,visit,1,s,\n", "x.csv:2: target: a visit needs a target"},
		{"unsc target", head + "2016-02-03,CHN,UNSC,visit,1,s,\n", "x.csv:2: target: a visit has target"},
		{"actor", head + "2016-02-03,Dprk,,nuclear_test,1,s,\n", `x.csv:2: actor: unknown actor "Dprk"`},
		{"blank source", head + "2016-02-03,DPRK,,nuclear_test,1,  ,\n", "x.csv:2: source: every row needs a source"},
		{"count", head + "2016-02-03,DPRK,,nuclear_test,two,s,\n", `x.csv:2: count: "two" is not a positive whole number`},
		{"type order", head + "2016-02-03,DPRK,,nuclear_test,1,s,\n2016-02-03,DPRK,,ballistic_launch,1,s,\n", "x.csv:3: type: out of order"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := Parse("x.csv", []byte(c.data), Options{})
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("got %v, want %q", err, c.want)
			}
		})
	}
}

func TestCutoffOption(t *testing.T) {
	data := strings.Join(Header, ",") + "\n2018-06-12,DPRK,USA,summit,1,s,\n"
	if _, err := Parse("x.csv", []byte(data), Options{Cutoff: time.Date(2018, 6, 11, 0, 0, 0, 0, time.UTC)}); err == nil {
		t.Error("an event after the cut-off was accepted")
	}
	if _, err := Parse("x.csv", []byte(data), Options{Cutoff: time.Date(2018, 6, 12, 0, 0, 0, 0, time.UTC)}); err != nil {
		t.Errorf("an event on the cut-off day was rejected: %v", err)
	}
	month := strings.Join(Header, ",") + "\n2018-06,DPRK,USA,summit,1,s,\n"
	if _, err := Parse("x.csv", []byte(month), Options{Cutoff: time.Date(2018, 6, 29, 0, 0, 0, 0, time.UTC)}); err == nil {
		t.Error("a month-only date whose month ends after the cut-off was accepted")
	}
}

func TestByteOrderMarkAndCRLF(t *testing.T) {
	data := "\ufeff" + strings.Join(Header, ",") + "\r\n2018-06-12,DPRK,USA,summit,1,s,\r\n"
	if !IsRecord([]byte(data)) {
		t.Error("IsRecord rejects a record with a BOM and CRLF")
	}
	if _, err := Parse("x.csv", []byte(data), Options{}); err != nil {
		t.Error(err)
	}
	if IsRecord([]byte("[scenario]\nname = \"x\"\n")) {
		t.Error("IsRecord accepts a scenario")
	}
}

func TestLoadMissingFile(t *testing.T) {
	_, err := Load(Options{}, "testdata/nope.csv", "testdata/bad.csv")
	if err == nil || !strings.Contains(err.Error(), "testdata/nope.csv: cannot read: no such file") ||
		!strings.Contains(err.Error(), "testdata/bad.csv:2:") {
		t.Errorf("want problems of both files, got %v", err)
	}
}

func TestMonthly(t *testing.T) {
	r, err := Load(Options{}, "testdata/good.csv")
	if err != nil {
		t.Fatal(err)
	}
	jul17 := sim.MonthOf(time.Date(2017, 7, 1, 0, 0, 0, 0, time.UTC))
	launch := Filter{Type: BallisticLaunch}
	if got := r.Monthly(jul17-1, jul17+1, launch); len(got) != 3 || got[0] != 0 || got[1] != 2 || got[2] != 0 {
		t.Errorf("launches Jun-Aug 2017: %v, want [0 2 0]", got)
	}
	if got := r.ActiveMonths(jul17-12, jul17+12, launch); got != 1 {
		t.Errorf("launch months: %d, want 1", got)
	}
	summits := []Filter{{Type: Summit, Actor: "DPRK", Target: "CHN"}, {Type: Summit, Actor: "DPRK", Target: "USA"}}
	if got := r.ActiveMonths(jul17, jul17+24, summits...); got != 2 {
		t.Errorf("Kim-Xi or Kim-US summit months: %d, want 2", got)
	}
	if r.Occurred(jul17+9, jul17+9, summits...) {
		t.Error("no summit in April 2018")
	}
	if !r.Occurred(jul17+8, jul17+8, Filter{Type: Summit}) {
		t.Error("Kim-Xi summit in March 2018 not found")
	}
	if got := r.Monthly(jul17, jul17-1, launch); got != nil {
		t.Errorf("empty range: %v", got)
	}
	both := []Filter{{Type: Summit}, {Type: Summit, Actor: "DPRK"}}
	if got := r.Monthly(jul17+8, jul17+8, both...); got[0] != 1 {
		t.Errorf("an event matched by two filters counted %d times", got[0])
	}
}
