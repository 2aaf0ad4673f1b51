package sensitivity

import (
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/geosim/geosim/sim/dist"
	"github.com/geosim/geosim/sim/qmc"
)

// Designs of the Sobol sample matrices.
const (
	// DesignSobol draws A and B from a scrambled Sobol' sequence in 2d
	// dimensions — A from the first d coordinates, B from the last d —
	// in Replicates independently scrambled copies (the default).
	DesignSobol = "sobol"
	// DesignRandom draws A and B from independent pseudo-random uniforms,
	// with bootstrap intervals.
	DesignRandom = "random"
)

// DefaultReplicates is the number of independently scrambled replicates
// of the quasi-random Sobol design. Fewer replicates keep more points per
// replicate, which helps smooth models; more replicates shrink the cost
// of estimating the error from the replicates themselves (the 97.5% t
// quantile is 2.36 with 8 replicates, 2.13 with 16, against 1.96 for
// infinitely many), which is all that matters for outputs dominated by
// the model's own randomness. docs/SENSITIVITY.md has the measurements
// behind 16.
const DefaultReplicates = 16

// minReplicatePoints is the smallest number of points per replicate.
const minReplicatePoints = 8

// sobolDesign fills the rows of a Sobol plan: for each replicate r (one
// for the pseudo-random design), the n rows of A_r, the n rows of B_r,
// then for each input i the n rows of AB_r,i — A_r with column i from
// B_r.
func (p *Plan) sobolDesign() error {
	cfg, d := p.cfg, len(p.Inputs)
	if cfg.N < MinSobolN {
		return fmt.Errorf("sensitivity: Sobol needs N >= %d, got %d", MinSobolN, cfg.N)
	}
	p.Design = cfg.Design
	if p.Design == "" {
		p.Design = DesignSobol
	}
	switch p.Design {
	case DesignRandom:
		p.Replicates = 1
		if cfg.Replicates > 1 {
			return fmt.Errorf("sensitivity: the random design takes no replicates (its intervals come from the bootstrap); got %d", cfg.Replicates)
		}
		a, b := randomMatrices(p.Inputs, cfg.N, cfg.Seed)
		p.X = abRows(a, b)
		return nil
	case DesignSobol:
	default:
		return fmt.Errorf("sensitivity: unknown Sobol design %q (use %s or %s)", p.Design, DesignSobol, DesignRandom)
	}
	r := cfg.Replicates
	if r == 0 {
		r = DefaultReplicates
	}
	if r < 2 {
		return fmt.Errorf("sensitivity: the quasi-random design needs at least 2 replicates for its intervals, got %d", r)
	}
	if 2*d > qmc.MaxDim {
		return fmt.Errorf("sensitivity: the quasi-random design handles at most %d inputs (a Sobol' sequence of %d dimensions), got %d: use the random design", qmc.MaxDim/2, qmc.MaxDim, d)
	}
	n := SobolN(cfg.N, r) / r
	if n < minReplicatePoints {
		return fmt.Errorf("sensitivity: N = %d over %d replicates leaves %d points each; a replicate needs at least %d: raise N or lower the replicates", cfg.N, r, n, minReplicatePoints)
	}
	p.Replicates, p.N = r, n*r
	if p.N != cfg.N {
		p.Warnings = append(p.Warnings, Warning{Msg: fmt.Sprintf("N = %d rounded to %d = %d replicates × %d points: the quasi-random design needs a power of two of points per replicate", cfg.N, p.N, r, n)})
	}
	p.X = make([][]float64, 0, p.N*(d+2))
	for rep, seed := range replicateSeeds(cfg.Seed, r) {
		a, b, err := sobolMatrices(p.Inputs, n, seed)
		if err != nil {
			return fmt.Errorf("sensitivity: replicate %d: %v", rep, err)
		}
		p.X = append(p.X, abRows(a, b)...)
	}
	return nil
}

// replicateSeeds returns the scrambling seed of each replicate, drawn
// from the analysis seed.
func replicateSeeds(seed uint64, r int) []uint64 {
	rng := rand.New(rand.NewPCG(seed, 0x5c2a_b1e5))
	out := make([]uint64, r)
	for i := range out {
		out[i] = rng.Uint64()
	}
	return out
}

// sobolMatrices returns A and B (n rows each) from the first n points of
// a Sobol' sequence in 2d dimensions, Owen-scrambled with seed: A takes
// coordinates 1..d, B coordinates d+1..2d, each mapped through its
// input's quantile function.
func sobolMatrices(inputs []Input, n int, seed uint64) (a, b [][]float64, err error) {
	d := len(inputs)
	seq, err := qmc.NewScrambledSobol(2*d, seed)
	if err != nil {
		return nil, nil, err
	}
	u := make([]float64, 2*d)
	a, b = make([][]float64, n), make([][]float64, n)
	for j := 0; j < n; j++ {
		seq.Next(u)
		a[j], b[j] = make([]float64, d), make([]float64, d)
		for i, in := range inputs {
			a[j][i] = in.Dist.Quantile(u[i])
			b[j][i] = in.Dist.Quantile(u[d+i])
		}
	}
	return a, b, nil
}

// randomMatrices returns two independent n×d matrices of pseudo-random
// draws: the design used before the quasi-random one became the default,
// row for row, so that earlier analyses reproduce with the random design.
func randomMatrices(inputs []Input, n int, seed uint64) (a, b [][]float64) {
	rng := rand.New(rand.NewPCG(seed, 0x50b01))
	sample := func() [][]float64 {
		m := make([][]float64, n)
		for j := range m {
			m[j] = make([]float64, len(inputs))
			for i, in := range inputs {
				m[j][i] = in.Dist.Quantile(dist.Unit(rng.Uint64()))
			}
		}
		return m
	}
	a = sample()
	return a, sample()
}

// abRows returns the rows A, B, AB_1, …, AB_d.
func abRows(a, b [][]float64) [][]float64 {
	n, d := len(a), len(a[0])
	xs := make([][]float64, 0, n*(d+2))
	xs = append(xs, a...)
	xs = append(xs, b...)
	for i := 0; i < d; i++ {
		for j := 0; j < n; j++ {
			row := append([]float64(nil), a[j]...)
			row[i] = b[j][i]
			xs = append(xs, row)
		}
	}
	return xs
}

// SobolN returns the base size the quasi-random design uses for a
// requested N and r replicates (0: DefaultReplicates): r times the power
// of two nearest N/r.
func SobolN(n, r int) int {
	if r <= 0 {
		r = DefaultReplicates
	}
	return r * qmc.RoundPowerOfTwo(int(math.Round(float64(n)/float64(r))))
}
