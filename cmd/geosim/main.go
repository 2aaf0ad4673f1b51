// Command geosim runs Monte Carlo simulations of agent models of
// countries from TOML scenario files and writes outcome distributions,
// event probabilities, tables and charts.
//
//	geosim validate FILE...          check scenario files
//	geosim run [FILE] [flags]         run a scenario and write its results
//
// Run "geosim help" for every subcommand.
package main

import "os"

func main() { os.Exit(cli(os.Args[1:], os.Stdin, os.Stdout, os.Stderr)) }
