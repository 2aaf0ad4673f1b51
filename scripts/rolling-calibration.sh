#!/bin/sh
# Recalibrates the flagship's model every two years on the record up to
# the end of each odd year, for the calibrated backtest
# (scenarios/backtest/dprk-2014-2025-calibrated.toml): the posterior that
# origins 2014-2015 use is fitted to 2012-2013 only, the one for
# 2016-2017 to 2012-2015, and so on, so that no origin's forecast sees
# data after it. Each posterior.csv and summary.json is kept in
# scenarios/calibration/rolling/YYYY-12/. Run from the repository root:
#
#   sh scripts/rolling-calibration.sh [geosim command, default: go run ./cmd/geosim]
set -eu
GEOSIM=${1:-"go run ./cmd/geosim"}
for year in 2013 2015 2017 2019 2021 2023; do
	out=out/calibration-rolling/$year-12
	$GEOSIM calibrate scenarios/calibration/dprk.toml -fit-to $year-12-31 -out "$out" -quiet
	mkdir -p scenarios/calibration/rolling/$year-12
	cp "$out/posterior.csv" "$out/summary.json" scenarios/calibration/rolling/$year-12/
	echo "fitted to $year-12-31: $out"
done
