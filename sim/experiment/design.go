// Package experiment derives many runs of a model from one: designs over
// parameters (full grid, Latin hypercube, quasi-random Sobol' points,
// one-at-a-time), sweeps over
// design points, and paired comparisons of scenarios. Every point and
// every scenario is run on common random numbers — run i draws the same
// random streams everywhere — so that differences between points come
// from the parameters, not from noise.
package experiment

import (
	"fmt"
	"math/rand/v2"

	"github.com/geosim/geosim/sim/dist"
	"github.com/geosim/geosim/sim/qmc"
)

// Factor is a parameter an experiment varies: either a list of values
// (grid and one-at-a-time designs) or a distribution (Latin hypercube and
// Sobol' designs).
type Factor struct {
	Path   string    // parameter path, e.g. "trade.DPRK.CHN"
	Values []float64 // the levels, for grid and one-at-a-time designs
	Dist   dist.Dist // for Latin hypercube and Sobol' designs: values are its quantiles
}

// Range returns n equally spaced values from lo to hi inclusive.
func Range(lo, hi float64, n int) []float64 {
	if n == 1 {
		return []float64{lo}
	}
	out := make([]float64, n)
	for i := range out {
		out[i] = lo + (hi-lo)*float64(i)/float64(n-1)
	}
	out[n-1] = hi
	return out
}

// Point is one design point: a value per factor, in factor order. Base
// marks the one-at-a-time design's base point, where no factor is
// changed (the scenario as written).
type Point struct {
	Values []float64
	Base   bool
	Varied int // one-at-a-time: the factor varied at this point (-1: base or other designs)
}

// Grid returns every combination of the factors' values, the last factor
// varying fastest.
func Grid(factors []Factor) ([]Point, error) {
	total := 1
	for _, f := range factors {
		if len(f.Values) == 0 {
			return nil, fmt.Errorf("factor %s has no values", f.Path)
		}
		total *= len(f.Values)
		if total > MaxPoints {
			return nil, fmt.Errorf("the grid has more than %d points", MaxPoints)
		}
	}
	points := make([]Point, total)
	for k := range points {
		vals := make([]float64, len(factors))
		rest := k
		for i := len(factors) - 1; i >= 0; i-- {
			n := len(factors[i].Values)
			vals[i] = factors[i].Values[rest%n]
			rest /= n
		}
		points[k] = Point{Values: vals, Varied: -1}
	}
	return points, nil
}

// LatinHypercube returns n points in which each factor's values are the
// quantiles of its distribution at one uniform from each of n equal
// strata of (0, 1), the strata shuffled independently per factor
// (McKay, Beckman & Conover 1979). The design is determined by rng.
func LatinHypercube(factors []Factor, n int, rng *rand.Rand) ([]Point, error) {
	if n < 2 || n > MaxPoints {
		return nil, fmt.Errorf("a Latin hypercube needs 2 to %d points, got %d", MaxPoints, n)
	}
	points := make([]Point, n)
	for k := range points {
		points[k] = Point{Values: make([]float64, len(factors)), Varied: -1}
	}
	for i, f := range factors {
		if f.Dist == nil {
			return nil, fmt.Errorf("factor %s needs a distribution for a Latin hypercube", f.Path)
		}
		perm := rng.Perm(n)
		for k := range points {
			u := (float64(perm[k]) + dist.Unit(rng.Uint64())) / float64(n)
			points[k].Values[i] = f.Dist.Quantile(u)
		}
	}
	return points, nil
}

// SobolPoints returns the first n points of an Owen-scrambled Sobol'
// sequence with one coordinate per factor, each mapped through its
// factor's quantile function. Unlike a Latin hypercube, which balances
// each factor alone, the points also fill the joint space of every pair
// of factors evenly, which matters when a sweep has many factors. n must
// be a power of two, the sizes at which every factor's n values fall one
// in each of n equally likely intervals. The design is determined by
// seed.
func SobolPoints(factors []Factor, n int, seed uint64) ([]Point, error) {
	if n < 2 || n > maxSobolPoints || !qmc.IsPowerOfTwo(n) {
		lo := 2
		for lo*2 <= min(n, maxSobolPoints/2) {
			lo *= 2
		}
		return nil, fmt.Errorf("a sobol design needs a power of two of points from 2 to %d, got %d (try %d or %d)", maxSobolPoints, n, lo, 2*lo)
	}
	if len(factors) > qmc.MaxDim {
		return nil, fmt.Errorf("a sobol design handles at most %d factors, got %d", qmc.MaxDim, len(factors))
	}
	for _, f := range factors {
		if f.Dist == nil {
			return nil, fmt.Errorf("factor %s needs a distribution for a sobol design", f.Path)
		}
	}
	seq, err := qmc.NewScrambledSobol(len(factors), seed)
	if err != nil {
		return nil, err
	}
	u := make([]float64, len(factors))
	points := make([]Point, n)
	for k := range points {
		seq.Next(u)
		points[k] = Point{Values: make([]float64, len(factors)), Varied: -1}
		for i, f := range factors {
			points[k].Values[i] = f.Dist.Quantile(u[i])
		}
	}
	return points, nil
}

// OneAtATime returns the base point (every factor as in the scenario)
// followed, for each factor in turn, by a point per value with only that
// factor changed. Factors not varied at a point keep their scenario
// distributions, marked by NaN in Values.
func OneAtATime(factors []Factor) ([]Point, error) {
	points := []Point{{Values: nanValues(len(factors)), Base: true, Varied: -1}}
	for i, f := range factors {
		if len(f.Values) == 0 {
			return nil, fmt.Errorf("factor %s has no values", f.Path)
		}
		for _, v := range f.Values {
			vals := nanValues(len(factors))
			vals[i] = v
			points = append(points, Point{Values: vals, Varied: i})
		}
	}
	if len(points) > MaxPoints {
		return nil, fmt.Errorf("the design has more than %d points", MaxPoints)
	}
	return points, nil
}

func nanValues(n int) []float64 {
	out := make([]float64, n)
	for i := range out {
		out[i] = nan
	}
	return out
}

// MaxPoints bounds a design's size. A sweep keeps every point's summary
// to derive points.csv and the charts, and writes one per point, so the
// bound is on memory and output as much as on time (batch also checks
// the estimated memory and output of a sweep before it starts).
const MaxPoints = 10_000

// maxSobolPoints is the largest power of two within MaxPoints.
const maxSobolPoints = 1 << 13
