// Package scenarios embeds the shipped scenario files so that the
// geosim binary can run the flagship from anywhere. The files themselves
// are data: see docs/SCENARIOS.md for the format.
package scenarios

import "embed"

// FS holds every scenario file in this folder.
//
//go:embed *.toml calibration/posterior.csv
var FS embed.FS

// Flagship is the file name of the flagship scenario.
const Flagship = "beijing-parade-2025.toml"
