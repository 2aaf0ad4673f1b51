package qmc_test

import (
	"fmt"

	"github.com/geosim/geosim/sim/qmc"
)

// The first points of the unscrambled sequence in two dimensions: each
// prefix of 2^m points puts one point in every interval of length 2^-m
// of each coordinate.
func ExampleNewSobol() {
	s, _ := qmc.NewSobol(2)
	p := make([]float64, 2)
	for range 4 {
		s.Next(p)
		fmt.Println(p)
	}
	// Output:
	// [0 0]
	// [0.5 0.5]
	// [0.75 0.25]
	// [0.25 0.75]
}

// A scrambled sequence: the same seed always gives the same points, and
// the first 2^m of them are still balanced.
func ExampleNewScrambledSobol() {
	s, _ := qmc.NewScrambledSobol(2, 7)
	p := make([]float64, 2)
	for range 4 {
		s.Next(p)
		fmt.Println(int(4*p[0]), int(4*p[1])) // the quarter each coordinate falls in
	}
	// Output:
	// 1 0
	// 2 2
	// 3 1
	// 0 3
}
