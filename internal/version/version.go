// Package version holds geosim's version, recorded in every output's
// provenance. Shards merge only when their versions match, so it changes
// whenever results for the same scenario, seed and runs could change.
package version

// Version is the geosim release.
const Version = "0.1.0"
