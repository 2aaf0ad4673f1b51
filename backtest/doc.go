// Package backtest measures forecast skill over many past origins: a
// rolling-origin backtest of a scenario template against the historical
// event record (package history), scored against benchmarks fixed in
// advance.
//
// A Spec names a scenario template (actors and structural parameters),
// the record, the origins (e.g. quarterly from 2014-01), the horizons
// (e.g. 3, 6 and 12 months) and question templates ("does a Kim–Xi
// summit occur within h months?", "do at least half of the h months
// hold a ballistic launch?"). Prepare builds, for each origin, the
// template started at the origin with the record's events of the
// preceding months replayed as dated signals (the declared Mappings
// from record types to model actions), the dated Overrides known by
// then, and one model event per question; it resolves each question
// from the record and computes the benchmarks — climatology, persistence
// and always 50% — from the record before the origin. RunOrigin runs an
// origin's Monte Carlo runs; ScoreRows scores every forecaster per
// template, per horizon and overall (Brier, log score, Murphy
// decomposition, skill with block-bootstrap intervals over origins,
// confident-forecast hit rate).
//
// # Determinism
//
// Run i at origin o draws only from the streams of (OriginSeed(seed, o),
// i), the yes counts — in total and by group of replicates, for the
// Monte Carlo interval (Tally) — are integer sums over runs, and each
// group is counted by one worker, so an origin's result is the same for
// any number of workers, and the backtest's for
// any split of the origins into shards or resumed sessions. Bootstrap
// resamples are seeded from the seed and the group's key.
//
// docs/BACKTEST.md documents the mapping, the benchmarks and the file
// format.
package backtest
