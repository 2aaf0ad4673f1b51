package plots

import (
	"context"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/geosim/geosim/discover"
	"github.com/geosim/geosim/output"
)

// discoveryFixture is a discovery on synthetic points where the
// condition holds with probability 0.8 when a > 0.7 and b < 0.3, 0.1
// elsewhere.
func discoveryFixture(t *testing.T, runs int) (*discover.Report, *discover.Data) {
	t.Helper()
	rng := rand.New(rand.NewPCG(4, 4))
	const n = 1500
	params := []string{"actor.A.rationality", "incentive.A.B.summit", "model.leverage"}
	x := make([][]float64, len(params))
	for j := range x {
		x[j] = make([]float64, n)
		for i := range x[j] {
			x[j][i] = rng.Float64()
		}
	}
	hits := make([]int32, n)
	for i := range hits {
		p := 0.1
		if x[0][i] > 0.7 && x[1][i] < 0.3 {
			p = 0.8
		}
		for r := 0; r < runs; r++ {
			if rng.Float64() < p {
				hits[i]++
			}
		}
	}
	d, err := discover.NewData(params, x, hits, runs)
	if err != nil {
		t.Fatal(err)
	}
	res, err := discover.Analyse(context.Background(), d, discover.Config{Seed: 1, Permutations: 19, Bootstrap: 10})
	if err != nil {
		t.Fatal(err)
	}
	cond := discover.Condition{Name: "summit", Event: true}
	return discover.NewReport(res, d, discover.ReportMeta{Tool: "geosim", Version: "test", Source: "synthetic", Scenario: "synthetic", Title: "Synthetic",
		Condition: cond, Description: "A–B summit", Labels: discover.Labels{Actors: map[string]string{"A": "Alpha"}}}), d
}

// TestWriteDiscovery renders every discovery chart, for one run per
// point and for replicates, and checks the report embeds them.
func TestWriteDiscovery(t *testing.T) {
	for _, runs := range []int{1, 8} {
		r, d := discoveryFixture(t, runs)
		files := memWriter{}
		if err := WriteDiscovery(context.Background(), files, r, d); err != nil {
			t.Fatal(err)
		}
		for _, name := range []string{"tradeoff.png", "box-1.png", "pairs.png"} {
			data, ok := files[name]
			if !ok {
				t.Fatalf("runs %d: no %s", runs, name)
			}
			h := ChartHeight
			if name == "box-1.png" {
				h = max(520, 250+len(r.Boxes[0].Restrictions)*120)
			}
			checkPNG(t, name, data, ChartWidth, h)
		}
		html := string(files["report.html"])
		for _, want := range []string{"data:image/png;base64,", "Alpha&#39;s rationality", "CART, for comparison", "permutation p"} {
			if !strings.Contains(html, want) {
				t.Errorf("runs %d: report.html lacks %q", runs, want)
			}
		}
		if strings.Contains(html, `src="tradeoff.png"`) {
			t.Error("report.html links a chart instead of embedding it")
		}
	}
}

// TestConvergence renders the convergence chart of a precision run.
func TestConvergence(t *testing.T) {
	s := fixture(t)
	p := &output.Precision{Target: 0.02, Block: 500, MaxRuns: 100000, Runs: 2000, Met: true}
	for _, e := range s.Events {
		p.Quantities = append(p.Quantities, output.PrecisionQuantity{Name: e.Name, Kind: "event", Tolerance: 0.02, HalfWidth: 0.015, Estimate: e.Probability, Met: true})
	}
	for _, o := range s.Outcomes {
		p.Quantities = append(p.Quantities, output.PrecisionQuantity{Name: o.Name, Kind: "outcome", Tolerance: 0.4, HalfWidth: 1.96 * o.SE, Estimate: o.Mean, Met: true})
	}
	p.Binding = p.Quantities[0].Name
	for k := 1; k <= 4; k++ {
		cp := output.Checkpoint{Runs: int64(500 * k)}
		shrink := math.Sqrt(4 / float64(k))
		for _, q := range p.Quantities {
			est := float64(q.Estimate) + 0.01*shrink*float64(k%2*2-1)
			half := float64(q.HalfWidth) * shrink
			cp.Estimate = append(cp.Estimate, output.Float(est))
			cp.Lo = append(cp.Lo, output.Float(est-half))
			cp.Hi = append(cp.Hi, output.Float(est+half))
		}
		p.Checkpoints = append(p.Checkpoints, cp)
	}
	s.Precision = p
	png, err := Convergence(s)
	if err != nil {
		t.Fatal(err)
	}
	checkPNG(t, "convergence.png", png, ConvergenceWidth, ConvergenceHeight)
	found := false
	for _, c := range Charts(s) {
		found = found || c.File == "convergence.png"
	}
	if !found {
		t.Error("Charts lacks the convergence chart of a precision run")
	}
}
