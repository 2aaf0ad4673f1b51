// Package stats holds streaming, mergeable accumulators for Monte Carlo
// results: moments (mean, variance, standard error), fixed-bin histograms
// with quantiles, and proportions with Wilson intervals.
//
// Every accumulator merges exactly: sums are kept in 128-bit fixed point
// (values rounded to multiples of 2^-32 before adding), histograms and
// proportions are integer counts, minima and maxima are order-free. A
// result therefore does not depend on how runs were split across worker
// goroutines or shards, or on the order partial results are merged in:
// geosim's outputs are byte-identical for any split. Memory is fixed by
// the number of bins, not by the number of runs.
package stats
