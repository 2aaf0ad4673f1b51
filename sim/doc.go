// Package sim is geosim's engine: agent models of countries driven by
// trade dependency and diplomatic signals, run as Monte Carlo
// simulations.
//
// The pipeline:
//
//	load      package sim/scenario reads a TOML file into a Scenario
//	validate  Compile checks it — every problem at once, located by
//	          parameter path — and returns an immutable Model
//	run       Run performs runs in parallel; each run samples the
//	          uncertain parameters, draws shock times and simulates
//	          month by month (Workspace.Run)
//	summarize each run is added to a Result of streaming accumulators
//	          (package sim/stats) and, optionally, written as a CSV row
//	plot      package output writes summary files; package plots draws
//
// The model itself — stances on the Goldstein conflict–cooperation scale,
// logit choice over economic, affinity, reciprocity, status and security
// payoffs, leverage from asymmetric trade dependence, third-party links,
// shocks — is specified in docs/MODEL.md, equation by equation.
//
// sim imports no TOML or plotting code: it can be used as a library and
// tested without files.
//
// # Determinism
//
// One seed decides everything. Run r under seed S draws its uncertain
// parameters and shock times from counter-based uniforms derived from
// (S, r, parameter path) and its choices from a PCG generator seeded with
// (S, r); nothing else is random and there is no package-level random
// state. Results are accumulated with exact merges (fixed-point sums,
// integer histograms), and CSV rows are written in run order, so the
// outputs are byte-identical for any number of workers and any split of
// the runs into shards. Because each parameter has its own uniform,
// scenarios that differ in a few parameters share their random numbers
// run by run (common random numbers).
//
// # Invariants
//
//   - A Model is immutable after Compile; With returns a changed copy.
//   - Every numeric parameter has a dotted path and a slot in the
//     parameter vector; every value its distribution can take lies in
//     the parameter's range.
//   - Stances stay in [-10, 10]; each actor's trade shares sum to at most 1.
//   - A run allocates nothing once its Workspace exists.
//   - Each month consumes exactly n(n-1)+n uniforms from the run's
//     generator, in a fixed order.
package sim
