package abc

import (
	"bytes"
	"context"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/geosim/geosim/sim/dist"
)

func TestPosteriorRoundTrip(t *testing.T) {
	p := &Posterior{
		Params:  []string{"actor.DPRK.rationality", "tie.DPRK.CHN.weight"},
		Rows:    [][]float64{{0.1, -1e-300}, {1.0 / 3, math.Copysign(0, -1)}, {123456789.123456789, math.SmallestNonzeroFloat64}},
		Weights: []float64{0.2, 0.3, 0.5},
	}
	var b bytes.Buffer
	if err := p.WriteCSV(&b); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(b.String(), "actor.DPRK.rationality,tie.DPRK.CHN.weight,weight\n0.1,-1e-300,0.2\n") {
		t.Errorf("unexpected file start:\n%s", b.String())
	}
	q, err := ReadPosterior(bytes.NewReader(b.Bytes()), "posterior.csv")
	if err != nil {
		t.Fatal(err)
	}
	for i, row := range p.Rows {
		for j, v := range row {
			if math.Float64bits(q.Rows[i][j]) != math.Float64bits(v) {
				t.Errorf("row %d column %d: wrote %v, read %v", i, j, v, q.Rows[i][j])
			}
		}
		if q.Weights[i] != p.Weights[i] {
			t.Errorf("row %d weight: wrote %v, read %v", i, p.Weights[i], q.Weights[i])
		}
	}
	if len(q.SHA256) != 64 {
		t.Errorf("SHA-256 %q", q.SHA256)
	}
	var again bytes.Buffer
	q.WriteCSV(&again)
	if again.String() != b.String() {
		t.Error("writing a read posterior gives other bytes")
	}
}

func TestReadPosteriorErrors(t *testing.T) {
	for _, tc := range []struct {
		name, csv string
		want      []string
	}{
		{"empty", "", []string{"x.csv: empty file"}},
		{"no weight", "a,b\n1,2\n", []string{`x.csv:1: no "weight" column`}},
		{"header", "a,a,,weight\n1,2,3,1\n", []string{"x.csv:1: column 2: parameter a appears twice", "x.csv:1: column 3 has no name"}},
		{"values", "a,weight\n1,0.5\nx,1\n2,-1\nNaN,1\n3\n", []string{
			`x.csv:3: a: "x" is not a number`, "x.csv:4: weight: -1 is negative", "x.csv:5: a: NaN is not a finite number", "x.csv:6: 1 fields, the header has 2"}},
		{"zero weights", "a,weight\n1,0\n2,0\n", []string{"x.csv:2: the weights are all zero"}},
		{"no rows", "a,weight\n", []string{"x.csv:2: no rows"}},
	} {
		_, err := ReadPosterior(strings.NewReader(tc.csv), "x.csv")
		if err == nil {
			t.Errorf("%s: no error", tc.name)
			continue
		}
		for _, w := range tc.want {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("%s: error\n%v\ndoes not contain %q", tc.name, err, w)
			}
		}
	}
}

// Rows are drawn jointly with probability proportional to their weight,
// and the weight column may stand anywhere.
func TestPosteriorDraw(t *testing.T) {
	p, err := ReadPosterior(strings.NewReader("weight,x,y\n1,10,-10\n0,20,-20\n3,30,-30\n"), "p.csv")
	if err != nil {
		t.Fatal(err)
	}
	counts := map[float64]int{}
	const runs = 20000
	for run := range uint64(runs) {
		row := p.Draw(42, run)
		if row[1] != -row[0] {
			t.Fatalf("row %v is not a joint draw", row)
		}
		counts[row[0]]++
		if again := p.Draw(42, run); again[0] != row[0] {
			t.Fatal("Draw is not deterministic")
		}
	}
	if counts[20] != 0 {
		t.Errorf("a zero-weight row was drawn %d times", counts[20])
	}
	// 1/4 with binomial sd √(0.25·0.75/20000) ≈ 0.003.
	if f := float64(counts[10]) / runs; math.Abs(f-0.25) > 0.015 {
		t.Errorf("row 1 drawn with frequency %g, want 0.25", f)
	}
	if got := p.Row(0.2499); got != 0 {
		t.Errorf("Row(0.2499) = %d, want 0", got)
	}
	if got := p.Row(0.2501); got != 2 {
		t.Errorf("Row(0.2501) = %d, want 2", got)
	}
	lit := &Posterior{Params: []string{"x"}, Rows: [][]float64{{1}, {2}}, Weights: []float64{1, 1}}
	if lit.Row(0.4) != 0 || lit.Row(0.6) != 1 {
		t.Error("a posterior built as a literal draws wrongly")
	}
}

// A calibration's posterior written to a file and read back gives the
// same particles.
func TestResultPosteriorFile(t *testing.T) {
	p, c := quick()
	c.Generations = 2
	res, err := Run(context.Background(), p, c)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "posterior.csv")
	var b bytes.Buffer
	res.Posterior().WriteCSV(&b)
	os.WriteFile(path, b.Bytes(), 0o644)
	q, err := ReadPosteriorFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if q.Column("b") != 1 || q.Column("weight") != -1 || len(q.Rows) != c.Particles {
		t.Errorf("columns %v, %d rows", q.Params, len(q.Rows))
	}
	for i, pt := range res.Particles {
		if q.Rows[i][0] != pt.Theta[0] || q.Rows[i][1] != pt.Theta[1] || q.Weights[i] != pt.Weight {
			t.Fatalf("row %d differs from particle %d", i, i)
		}
	}
}

func TestPosteriorCheck(t *testing.T) {
	p, err := ReadPosterior(strings.NewReader("x,y,weight\n0.5,2,1\n1.5,3,1\n-1,4,1\n"), "p.csv")
	if err != nil {
		t.Fatal(err)
	}
	params := []Param{
		{Name: "x", Prior: dist.Uniform{Min: 0, Max: 1}},
		{Name: "y", Prior: dist.LogNormal{Mu: 0, Sigma: 1}},
		{Name: "z", Prior: dist.Normal{Mu: 0, Sigma: 1}},
	}
	err = p.Check(params, "p.csv")
	for _, want := range []string{"p.csv:3: x = 1.5 lies outside", "p.csv:4: x = -1", "p.csv: no column for parameter z"} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("Check: %v; want %q", err, want)
		}
	}
	if err := p.Check(params[1:2], "p.csv"); err != nil {
		t.Errorf("valid column rejected: %v", err)
	}
}
