package discover

import (
	"errors"
	"strings"
	"testing"
)

func TestReadRuns(t *testing.T) {
	csv := "run,a,\"shock.s.multiply.\"\"x.y\"\"\",out,ev\n0,0.5,2,3.5,1\n1,0.25,1,-1,0\n2,1,3,7,1\n"
	cond := Condition{Name: "out", Op: "<", Value: 4}
	d, err := ReadRuns(strings.NewReader(csv), "runs.csv", []string{"a", `shock.s.multiply."x.y"`}, cond, 1)
	if err != nil {
		t.Fatal(err)
	}
	if d.Points() != 3 || d.Runs != 1 || d.X[0][1] != 0.25 || d.X[1][2] != 3 {
		t.Fatalf("read %+v", d)
	}
	if d.Hits[0] != 1 || d.Hits[1] != 1 || d.Hits[2] != 0 {
		t.Errorf("hits %v, want [1 1 0]", d.Hits)
	}
	if lo, hi := d.Range(0); lo != 0.25 || hi != 1 {
		t.Errorf("range %g..%g", lo, hi)
	}
}

// TestReadRunsErrors: every bad row is reported with its line, and a
// missing column is named.
func TestReadRunsErrors(t *testing.T) {
	cond := Condition{Name: "ev", Event: true}
	_, err := ReadRuns(strings.NewReader("run,a,ev\n0,x,1\n1,0.5,1\n2,0.7,\n"), "f/runs.csv", []string{"a"}, cond, 1)
	if err == nil {
		t.Fatal("no error")
	}
	for _, want := range []string{`f/runs.csv:2: a = "x" is not a number`, `f/runs.csv:4: ev = "" is not a number`} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q lacks %q", err, want)
		}
	}
	var pe *ParseError
	if !errors.As(err, &pe) {
		t.Errorf("not a ParseError: %T", err)
	}
	_, err = ReadRuns(strings.NewReader("run,a\n0,1\n"), "runs.csv", []string{"a", "b"}, cond, 1)
	if err == nil || !strings.Contains(err.Error(), "runs.csv:1: header lacks the column(s) [b ev]") {
		t.Errorf("missing columns: %v", err)
	}
	_, err = ReadRuns(strings.NewReader(""), "runs.csv", []string{"a"}, cond, 1)
	if err == nil || !strings.Contains(err.Error(), "empty file") {
		t.Errorf("empty: %v", err)
	}
}

func TestNewDataChecks(t *testing.T) {
	if _, err := NewData([]string{"a"}, [][]float64{{1, 2}}, []int32{0, 3}, 2); err == nil {
		t.Error("3 hits in 2 runs accepted")
	}
	if _, err := NewData([]string{"a"}, [][]float64{{1}}, []int32{0}, 1); err == nil {
		t.Error("a single point accepted")
	}
	if _, err := NewData([]string{"a", "b"}, [][]float64{{1, 2}}, []int32{0, 1}, 1); err == nil {
		t.Error("mismatched names accepted")
	}
}

// TestReadRunsGrouped: with replicates, consecutive runs form one point;
// a group the file leaves incomplete is dropped.
func TestReadRunsGrouped(t *testing.T) {
	csv := "run,a,ev\n0,0.5,1\n1,0.5,0\n2,0.7,1\n3,0.7,1\n4,0.9,1\n"
	d, err := ReadRuns(strings.NewReader(csv), "runs.csv", []string{"a"}, Condition{Name: "ev", Event: true}, 2)
	if err != nil {
		t.Fatal(err)
	}
	if d.Points() != 2 || d.Runs != 2 || d.X[0][0] != 0.5 || d.X[0][1] != 0.7 || d.Hits[0] != 1 || d.Hits[1] != 2 {
		t.Errorf("read %d points of %d runs: x %v, hits %v", d.Points(), d.Runs, d.X[0], d.Hits)
	}
}
