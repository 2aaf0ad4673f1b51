package abc

import (
	"math"
	"math/rand/v2"
	"testing"
)

func TestCholesky(t *testing.T) {
	a := []float64{4, 2, 0.4, 2, 5, 1, 0.4, 1, 3}
	l, ok := cholesky(a, 3)
	if !ok {
		t.Fatal("positive definite matrix rejected")
	}
	for i := range 3 {
		for j := range 3 {
			s := 0.0
			for k := range 3 {
				s += l[i*3+k] * l[j*3+k]
			}
			if math.Abs(s-a[i*3+j]) > 1e-12 {
				t.Errorf("(L·Lᵀ)[%d][%d] = %g, want %g", i, j, s, a[i*3+j])
			}
		}
	}
	if _, ok := cholesky([]float64{1, 2, 2, 1}, 2); ok {
		t.Error("indefinite matrix accepted")
	}
}

// The kernel's covariance is twice the population's weighted covariance,
// and its density agrees with the normal density.
func TestKernel(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	n := 4000
	u := make([][]float64, n)
	w := make([]float64, n)
	for i := range u {
		z1, z2 := rng.NormFloat64(), rng.NormFloat64()
		u[i] = []float64{0.5 + 0.05*z1, 0.5 + 0.03*(0.8*z1+0.6*z2)}
		w[i] = 1 / float64(n)
	}
	k := newKernel(u, w, false)
	// Population covariance ≈ [[0.0025, 0.0012], [0.0012, 0.0009]].
	cov := [4]float64{}
	for a := range 2 {
		for b := range 2 {
			for c := range 2 {
				cov[a*2+b] += k.l[a*2+c] * k.l[b*2+c]
			}
		}
	}
	want := [4]float64{2 * 0.0025, 2 * 0.0012, 2 * 0.0012, 2 * 0.0009}
	for i := range cov {
		if math.Abs(cov[i]-want[i]) > 0.1*math.Abs(want[i]) {
			t.Errorf("kernel covariance %v, want about %v", cov, want)
			break
		}
	}
	diag := newKernel(u, w, true)
	if diag.l[2] != 0 {
		t.Errorf("component-wise kernel has off-diagonal %g", diag.l[2])
	}
	// Mahalanobis distance against a direct inverse.
	x, y := []float64{0.52, 0.47}, []float64{0.5, 0.5}
	det := cov[0]*cov[3] - cov[1]*cov[2]
	dx, dy := x[0]-y[0], x[1]-y[1]
	direct := (cov[3]*dx*dx - 2*cov[1]*dx*dy + cov[0]*dy*dy) / det
	if got := k.mahalanobis2(x, y, make([]float64, 2)); math.Abs(got-direct) > 1e-9*direct {
		t.Errorf("Mahalanobis² %g, direct %g", got, direct)
	}
	// The mixture density of a single parent is that parent's term.
	m := make([]float64, 1)
	if got := k.logMixture(x, [][]float64{y}, []float64{1}, m, make([]float64, 2)); math.Abs(got+direct/2) > 1e-9 {
		t.Errorf("log mixture %g, want %g", got, -direct/2)
	}
	// A collapsed population still moves.
	same := [][]float64{{0.3, 0.3}, {0.3, 0.3}}
	c := newKernel(same, []float64{0.5, 0.5}, false)
	out, xi := make([]float64, 2), make([]float64, 2)
	c.perturb(same[0], out, xi, rng)
	if out[0] == 0.3 && out[1] == 0.3 {
		t.Error("a kernel built from identical particles does not move")
	}
}
