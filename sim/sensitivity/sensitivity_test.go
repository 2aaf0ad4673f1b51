package sensitivity

import (
	"context"
	"math"
	"reflect"
	"runtime"
	"strings"
	"testing"

	"github.com/geosim/geosim/sim/dist"
)

// Ishigami & Homma (1990): f = sin x1 + a sin² x2 + b x3⁴ sin x1 on
// U(−π, π)³; with a = 7, b = 0.1 the indices are known in closed form.
func ishigami(_ int, x, out []float64) {
	const a, b = 7, 0.1
	out[0] = math.Sin(x[0]) + a*math.Pow(math.Sin(x[1]), 2) + b*math.Pow(x[2], 4)*math.Sin(x[0])
}

func ishigamiAnalytic() (s1, st []float64) {
	const a, b = 7.0, 0.1
	pi4, pi8 := math.Pow(math.Pi, 4), math.Pow(math.Pi, 8)
	v1 := 0.5 * math.Pow(1+b*pi4/5, 2)
	v2 := a * a / 8
	v13 := 8 * b * b * pi8 / 225
	v := v1 + v2 + v13
	return []float64{v1 / v, v2 / v, 0}, []float64{(v1 + v13) / v, v2 / v, v13 / v}
}

func uniformInputs(names []string, lo, hi float64) []Input {
	var in []Input
	for _, n := range names {
		in = append(in, Input{Name: n, Dist: dist.Uniform{Min: lo, Max: hi}})
	}
	return in
}

// TestSobolIshigami: with N = 8192 base samples (57,344 evaluations) every
// index is within 0.03 of its analytic value (about three times the
// estimators' standard error at this N) and, for the total indices, the
// bootstrap 95% interval covers it.
func TestSobolIshigami(t *testing.T) {
	res, err := Sobol(context.Background(), ishigami, uniformInputs([]string{"x1", "x2", "x3"}, -math.Pi, math.Pi), []string{"y"}, Config{N: 8192, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	s1, st := ishigamiAnalytic()
	idx := res.Outputs[0]
	for i := range s1 {
		t.Logf("x%d: S1 %.3f [%.3f, %.3f] (analytic %.4f); ST %.3f [%.3f, %.3f] (analytic %.4f)", i+1,
			idx.S1[i].Value, idx.S1[i].Lo, idx.S1[i].Hi, s1[i], idx.ST[i].Value, idx.ST[i].Lo, idx.ST[i].Hi, st[i])
		if math.Abs(idx.S1[i].Value-s1[i]) > 0.03 {
			t.Errorf("S1[x%d] = %.4f, analytic %.4f", i+1, idx.S1[i].Value, s1[i])
		}
		if math.Abs(idx.ST[i].Value-st[i]) > 0.03 {
			t.Errorf("ST[x%d] = %.4f, analytic %.4f", i+1, idx.ST[i].Value, st[i])
		}
		if st[i] < idx.ST[i].Lo || st[i] > idx.ST[i].Hi {
			t.Errorf("ST[x%d] interval [%.4f, %.4f] misses %.4f", i+1, idx.ST[i].Lo, idx.ST[i].Hi, st[i])
		}
	}
	if res.Evaluations != 8192*5 {
		t.Errorf("%d evaluations, want N(d+2) = %d", res.Evaluations, 8192*5)
	}
}

// Sobol's G-function on U(0,1)^8 with a = (0, 1, 4.5, 9, 99, 99, 99, 99):
// V_i = 1/(3(1+a_i)²), S1_i = V_i/V, ST_i = V_i Π_{j≠i}(1+V_j)/V with
// V = Π(1+V_j) − 1 (Saltelli et al. 2010).
var gA = []float64{0, 1, 4.5, 9, 99, 99, 99, 99}

func gFunction(_ int, x, out []float64) {
	p := 1.0
	for i, a := range gA {
		p *= (math.Abs(4*x[i]-2) + a) / (1 + a)
	}
	out[0] = p
}

// TestSobolGFunction: with N = 8192 every index is within 0.03 of its
// analytic value, and the ranking of the first four inputs is right.
func TestSobolGFunction(t *testing.T) {
	names := []string{"x1", "x2", "x3", "x4", "x5", "x6", "x7", "x8"}
	res, err := Sobol(context.Background(), gFunction, uniformInputs(names, 0, 1), []string{"g"}, Config{N: 8192, Seed: 2})
	if err != nil {
		t.Fatal(err)
	}
	vs := make([]float64, len(gA))
	prod := 1.0
	for i, a := range gA {
		vs[i] = 1 / (3 * (1 + a) * (1 + a))
		prod *= 1 + vs[i]
	}
	v := prod - 1
	idx := res.Outputs[0]
	for i := range gA {
		s1 := vs[i] / v
		st := vs[i] * prod / (1 + vs[i]) / v
		if math.Abs(idx.S1[i].Value-s1) > 0.03 || math.Abs(idx.ST[i].Value-st) > 0.03 {
			t.Errorf("x%d: S1 %.4f (analytic %.4f), ST %.4f (analytic %.4f)", i+1, idx.S1[i].Value, s1, idx.ST[i].Value, st)
		}
	}
	for i := 0; i+1 < 4; i++ {
		if !(idx.ST[i].Value > idx.ST[i+1].Value) {
			t.Errorf("ST ranking wrong at x%d: %.4f <= %.4f", i+1, idx.ST[i].Value, idx.ST[i+1].Value)
		}
	}
}

// TestSobolDeterministic: the same seed gives the same indices whatever
// the number of workers.
func TestSobolDeterministic(t *testing.T) {
	in := uniformInputs([]string{"x1", "x2", "x3"}, -math.Pi, math.Pi)
	a, _ := Sobol(context.Background(), ishigami, in, []string{"y"}, Config{N: 512, Seed: 3, Workers: 1, Bootstrap: 100})
	b, _ := Sobol(context.Background(), ishigami, in, []string{"y"}, Config{N: 512, Seed: 3, Workers: 4, Bootstrap: 100})
	if !reflect.DeepEqual(a, b) {
		t.Error("results differ between 1 and 4 workers")
	}
}

// TestSobolWarnings: a small sample and a constant output are flagged.
func TestSobolWarnings(t *testing.T) {
	f := func(_ int, x, out []float64) { out[0] = x[0]; out[1] = 1 }
	res, err := Sobol(context.Background(), f, uniformInputs([]string{"a", "b"}, 0, 1), []string{"y", "const"}, Config{N: 100, Seed: 4})
	if err != nil {
		t.Fatal(err)
	}
	var msgs []string
	for _, w := range res.Warnings {
		msgs = append(msgs, w.Error())
	}
	all := strings.Join(msgs, "\n")
	for _, want := range []string{"N = 100 is small", "const: does not vary"} {
		if !strings.Contains(all, want) {
			t.Errorf("warnings lack %q:\n%s", want, all)
		}
	}
	if _, err := Sobol(context.Background(), f, uniformInputs([]string{"a"}, 0, 1), []string{"y", "c"}, Config{N: 10}); err == nil {
		t.Error("N = 10 accepted")
	}
}

// TestMorrisLinear: for f = Σ c_i x_i on U(0,1) every elementary effect
// is c_i times the level span in value (0.75 of the range: from the
// 12.5% to the 87.5% quantile), so μ* = 0.75|c_i|, μ = 0.75 c_i, σ = 0.
func TestMorrisLinear(t *testing.T) {
	c := []float64{3, -1, 0, 0.5}
	f := func(_ int, x, out []float64) {
		out[0] = 0
		for i := range c {
			out[0] += c[i] * x[i]
		}
	}
	res, err := Morris(context.Background(), f, uniformInputs([]string{"a", "b", "c", "d"}, 0, 1), []string{"y"}, Config{N: 20, Seed: 5})
	if err != nil {
		t.Fatal(err)
	}
	e := res.Outputs[0]
	for i := range c {
		if math.Abs(e.MuStar[i].Value-0.75*math.Abs(c[i])) > 1e-9 || math.Abs(e.Mu[i]-0.75*c[i]) > 1e-9 || e.Sigma[i] > 1e-9 {
			t.Errorf("input %d: μ* %.6f μ %.6f σ %.6g, want %.4f, %.4f, 0", i, e.MuStar[i].Value, e.Mu[i], e.Sigma[i], 0.75*math.Abs(c[i]), 0.75*c[i])
		}
	}
	if res.Evaluations != 20*5 {
		t.Errorf("%d evaluations", res.Evaluations)
	}
}

// TestMorrisGRanking: Morris ranks the G-function's inputs as their
// analytic total indices do (x1 > x2 > x3 > x4 > the rest).
func TestMorrisGRanking(t *testing.T) {
	names := []string{"x1", "x2", "x3", "x4", "x5", "x6", "x7", "x8"}
	res, err := Morris(context.Background(), gFunction, uniformInputs(names, 0, 1), []string{"g"}, Config{N: 50, Seed: 6})
	if err != nil {
		t.Fatal(err)
	}
	m := res.Outputs[0].MuStar
	for i := 0; i < 4; i++ {
		if !(m[i].Value > m[i+1].Value) {
			t.Errorf("μ* ranking wrong at x%d: %.4f <= %.4f", i+1, m[i].Value, m[i+1].Value)
		}
	}
}

func TestOATLinear(t *testing.T) {
	f := func(_ int, x, out []float64) { out[0] = 2*x[0] - x[1] + 0*x[2] }
	res, err := OAT(context.Background(), f, uniformInputs([]string{"a", "b", "c"}, 0, 10), []string{"y"}, Config{N: 1})
	if err != nil {
		t.Fatal(err)
	}
	o := res.Outputs[0]
	if math.Abs(o.Base-5) > 1e-12 {
		t.Errorf("base %v, want 5 (2·5 − 5)", o.Base)
	}
	// a: 0.5 → 9.5 gives 2·0.5 − 5 = −4 and 2·9.5 − 5 = 14.
	if e := o.Effects[0]; math.Abs(e.Low+4) > 1e-12 || math.Abs(e.High-14) > 1e-12 || e.LowValue != 0.5 || e.HighValue != 9.5 {
		t.Errorf("effect of a: %+v", e)
	}
	if e := o.Effects[2]; e.Low != o.Base || e.High != o.Base {
		t.Errorf("an input without effect moved the output: %+v", e)
	}
}

// TestMemoryBytes: the estimate covers the memory a plan and its outputs
// hold (measured as the live heap after evaluating them), within a
// factor of four.
func TestMemoryBytes(t *testing.T) {
	in := uniformInputs([]string{"x1", "x2", "x3"}, -math.Pi, math.Pi)
	for _, method := range []string{"sobol", "morris", "oat"} {
		n := map[string]int{"sobol": 2000, "morris": 2000, "oat": 1000}[method]
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		p, err := NewPlan(method, in, Config{N: n, Seed: 1, Workers: 1})
		if err != nil {
			t.Fatal(err)
		}
		ys, err := p.Evaluate(context.Background(), ishigami, 1, 0, len(p.X))
		if err != nil {
			t.Fatal(err)
		}
		runtime.GC()
		runtime.ReadMemStats(&after)
		live := int64(after.HeapAlloc) - int64(before.HeapAlloc)
		switch method { // the analysis's own arrays come on top
		case "sobol":
			p.Sobol(ys, []string{"y"})
		case "morris":
			p.Morris(ys, []string{"y"})
		default:
			p.OAT(ys, []string{"y"})
		}
		var analysed runtime.MemStats
		runtime.ReadMemStats(&analysed)
		peak := live + int64(analysed.TotalAlloc-after.TotalAlloc)
		est := MemoryBytes(method, len(in), 1, n, 0)
		t.Logf("%s: %d rows, live %d bytes, at most %d with the analysis, estimate %d", method, len(p.X), live, peak, est)
		if int64(len(p.X)) != Rows(method, len(in), n) {
			t.Errorf("%s: %d rows, Rows says %d", method, len(p.X), Rows(method, len(in), n))
		}
		if est < live || est > 4*peak {
			t.Errorf("%s: estimate %d for %d live bytes (%d with the analysis)", method, est, live, peak)
		}
	}
}
