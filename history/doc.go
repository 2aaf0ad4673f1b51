// Package history reads the historical event record — the dated,
// sourced events (summits, visits, missile launches, nuclear tests,
// sanctions designations …) that backtests replay into scenarios and
// resolve their questions against.
//
// A record file is a tidy CSV whose header is exactly
//
//	date,actor,target,type,count,source,note
//
// with one row per event (the contract is in scenarios/history/README.md
// and docs/BACKTEST.md). Load and Parse check every row and report every
// problem at once as "file:line: column: message": the header, the date
// (YYYY-MM-DD, or YYYY-MM when only the month is known, between
// RecordStart and an as-of cut-off), known actors and types and who may
// be actor and target of each type, a positive count, a non-empty
// source, and the sort order (date, then type, then actor).
//
// The monthly helpers count events of a type for an actor and target
// per calendar month: the unit in which the model acts (one choice per
// actor and month) and in which backtest questions resolve.
package history
