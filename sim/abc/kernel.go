package abc

import (
	"math"
	"math/rand/v2"
)

// kernel is a Gaussian perturbation kernel on the unit cube: a proposal
// is a parent plus L·ξ with ξ standard normal, L the lower Cholesky
// factor of the kernel covariance.
type kernel struct {
	d int
	l []float64 // lower-triangular Cholesky factor, row-major d×d
}

// minKernelVar is the smallest kernel variance per coordinate of the unit
// cube. A population that has collapsed onto one point (all its particles
// copies of one) would otherwise stop moving.
const minKernelVar = 1e-14

// newKernel builds the kernel from a weighted population of points u
// (each of dimension d) with normalised weights w: covariance twice the
// population's weighted covariance (Beaumont et al. 2009), or its
// diagonal alone when diagonal is set.
func newKernel(u [][]float64, w []float64, diagonal bool) *kernel {
	d := len(u[0])
	mean := make([]float64, d)
	for i, x := range u {
		for a := range d {
			mean[a] += w[i] * x[a]
		}
	}
	cov := make([]float64, d*d)
	for i, x := range u {
		for a := range d {
			da := x[a] - mean[a]
			for b := 0; b <= a; b++ {
				cov[a*d+b] += w[i] * da * (x[b] - mean[b])
			}
		}
	}
	for a := range d {
		for b := 0; b <= a; b++ {
			v := 2 * cov[a*d+b]
			if diagonal && a != b {
				v = 0
			}
			cov[a*d+b], cov[b*d+a] = v, v
		}
		cov[a*d+a] = math.Max(cov[a*d+a], minKernelVar)
	}
	l, ok := cholesky(cov, d)
	if !ok {
		// Numerically singular (e.g. two parameters moving in lockstep):
		// fall back to the diagonal, which is always positive definite.
		for a := range d {
			for b := range d {
				if a != b {
					cov[a*d+b] = 0
				}
			}
		}
		l, _ = cholesky(cov, d)
	}
	return &kernel{d: d, l: l}
}

// cholesky returns the lower-triangular L with L·Lᵀ = a (row-major d×d),
// and false if a is not numerically positive definite.
func cholesky(a []float64, d int) ([]float64, bool) {
	l := make([]float64, d*d)
	for i := range d {
		for j := 0; j <= i; j++ {
			s := a[i*d+j]
			for k := range j {
				s -= l[i*d+k] * l[j*d+k]
			}
			if i == j {
				if !(s > 0) {
					return nil, false
				}
				l[i*d+i] = math.Sqrt(s)
			} else {
				l[i*d+j] = s / l[j*d+j]
			}
		}
	}
	return l, true
}

// perturb writes parent + L·ξ into out, drawing ξ from rng (d normal
// draws), and reports whether out lies inside the open unit cube.
func (k *kernel) perturb(parent, out []float64, xi []float64, rng *rand.Rand) bool {
	for a := range k.d {
		xi[a] = rng.NormFloat64()
	}
	inside := true
	for a := range k.d {
		s := parent[a]
		for b := 0; b <= a; b++ {
			s += k.l[a*k.d+b] * xi[b]
		}
		out[a] = s
		inside = inside && s > 0 && s < 1
	}
	return inside
}

// mahalanobis2 returns (x−y)ᵀ Σ⁻¹ (x−y) for the kernel covariance Σ = L·Lᵀ,
// by forward substitution; z is scratch space of length d.
func (k *kernel) mahalanobis2(x, y, z []float64) float64 {
	s := 0.0
	for a := range k.d {
		v := x[a] - y[a]
		for b := range a {
			v -= k.l[a*k.d+b] * z[b]
		}
		z[a] = v / k.l[a*k.d+a]
		s += z[a] * z[a]
	}
	return s
}

// logMixture returns log Σ_j w_j exp(−½ m(x, parent_j)) for normalised
// weights w: the log density, up to the kernel's constant, of the
// mixture the proposals were drawn from. Terms are summed in index order
// with the largest exponent factored out.
func (k *kernel) logMixture(x []float64, parents [][]float64, w []float64, m, z []float64) float64 {
	top := math.Inf(-1)
	for j, p := range parents {
		m[j] = -0.5 * k.mahalanobis2(x, p, z)
		if w[j] > 0 && m[j] > top {
			top = m[j]
		}
	}
	s := 0.0
	for j := range parents {
		if w[j] > 0 {
			s += w[j] * math.Exp(m[j]-top)
		}
	}
	return top + math.Log(s)
}
