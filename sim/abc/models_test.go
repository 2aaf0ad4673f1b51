package abc

import (
	"math"
	"math/rand/v2"

	"github.com/geosim/geosim/sim/dist"
)

// Toy models with known posteriors, shared by the tests.

// normalMean: y_1..y_n ~ N(mu, sigma²) with sigma known, mu ~ N(m0, s0²);
// the statistic is the sample mean, sufficient for mu. The posterior is
// normal with precision 1/s0² + n/sigma² (conjugate).
type normalMean struct {
	m0, s0, sigma float64
	n             int
}

func (m normalMean) params() []Param {
	return []Param{{Name: "mu", Prior: dist.Normal{Mu: m.m0, Sigma: m.s0}}}
}

func (m normalMean) simulate(theta []float64, key uint64) ([]float64, error) {
	rng := rand.New(rand.NewPCG(key, 1))
	return []float64{theta[0] + m.sigma/math.Sqrt(float64(m.n))*rng.NormFloat64()}, nil
}

func (m normalMean) posterior(ybar float64) (mean, sd float64) {
	prec := 1/(m.s0*m.s0) + float64(m.n)/(m.sigma*m.sigma)
	mean = (m.m0/(m.s0*m.s0) + float64(m.n)*ybar/(m.sigma*m.sigma)) / prec
	return mean, math.Sqrt(1 / prec)
}

// binomial: k ~ Binomial(n, p), p ~ Beta(a, b); the posterior is
// Beta(a+k, b+n−k).
type binomial struct {
	a, b float64
	n    int
}

func (m binomial) params() []Param {
	return []Param{{Name: "p", Prior: dist.Beta{Alpha: m.a, Beta: m.b}}}
}

func (m binomial) simulate(theta []float64, key uint64) ([]float64, error) {
	rng := rand.New(rand.NewPCG(key, 1))
	k := 0
	for range m.n {
		if rng.Float64() < theta[0] {
			k++
		}
	}
	return []float64{float64(k)}, nil
}

// linear: y = A·theta + e, e ~ N(0, s²I), theta ~ N(0, I) in two
// dimensions: a Gaussian posterior whose correlation comes from A.
type linear struct {
	a [2][2]float64
	s float64
}

func (m linear) params() []Param {
	return []Param{
		{Name: "a", Prior: dist.Normal{Mu: 0, Sigma: 1}},
		{Name: "b", Prior: dist.Normal{Mu: 0, Sigma: 1}},
	}
}

func (m linear) simulate(theta []float64, key uint64) ([]float64, error) {
	rng := rand.New(rand.NewPCG(key, 1))
	y := make([]float64, 2)
	for r := range 2 {
		y[r] = m.a[r][0]*theta[0] + m.a[r][1]*theta[1] + m.s*rng.NormFloat64()
	}
	return y, nil
}

// posterior returns the posterior mean, standard deviations and
// correlation: covariance (AᵀA/s² + I)⁻¹, mean covariance·Aᵀy/s².
func (m linear) posterior(y []float64) (mean [2]float64, sd [2]float64, corr float64) {
	var p [2][2]float64 // precision
	s2 := m.s * m.s
	for i := range 2 {
		for j := range 2 {
			for r := range 2 {
				p[i][j] += m.a[r][i] * m.a[r][j] / s2
			}
		}
		p[i][i]++
	}
	det := p[0][0]*p[1][1] - p[0][1]*p[1][0]
	c := [2][2]float64{{p[1][1] / det, -p[0][1] / det}, {-p[1][0] / det, p[0][0] / det}}
	var aty [2]float64
	for i := range 2 {
		for r := range 2 {
			aty[i] += m.a[r][i] * y[r] / s2
		}
	}
	for i := range 2 {
		mean[i] = c[i][0]*aty[0] + c[i][1]*aty[1]
		sd[i] = math.Sqrt(c[i][i])
	}
	return mean, sd, c[0][1] / (sd[0] * sd[1])
}

// launches is a two-state Markov chain of monthly launch indicators over
// a number of months: a launch follows a quiet month with probability
// a, a launch month with probability b. Its statistics are the smoothed
// transition frequencies and the share of launch months — a toy version
// of fitting a launch process's rate and persistence to a record.
type launches struct{ months int }

func (m launches) params() []Param {
	return []Param{
		{Name: "a", Prior: dist.Beta{Alpha: 1, Beta: 4}},
		{Name: "b", Prior: dist.Uniform{Min: 0, Max: 1}},
	}
}

func (m launches) simulate(theta []float64, key uint64) ([]float64, error) {
	rng := rand.New(rand.NewPCG(key, 1))
	a, b := theta[0], theta[1]
	prev := rng.Float64() < a/(1-b+a) // stationary start
	var n0, n01, n1, n11, total float64
	for range m.months {
		var now bool
		if prev {
			now = rng.Float64() < b
			n1++
			if now {
				n11++
			}
		} else {
			now = rng.Float64() < a
			n0++
			if now {
				n01++
			}
		}
		if now {
			total++
		}
		prev = now
	}
	return []float64{(n01 + 0.5) / (n0 + 1), (n11 + 0.5) / (n1 + 1), total / float64(m.months)}, nil
}
