#!/usr/bin/env bash
# Writes a report of every kind — run, sweep, compare, sensitivity
# (Sobol, Morris, one-at-a-time), score, backtest, discover, calibrate — on small
# settings, opens each report.html in headless Chromium, and checks the
# screenshots (scripts/shotcheck): a styled page with its bottom line and
# its charts drawn, from the one file (the charts are embedded). Opt-in:
# installs Chromium when root with apt, and skips cleanly otherwise.
# Exit status: 0 passed or skipped (it says which), 1 failed. The
# screenshots are kept in $GEOSIM_SHOTS when set.
set -uo pipefail
say() { printf 'report-screenshots: %s\n' "$*"; }
root=$(cd "$(dirname "$0")/.." && pwd)
browser=$(command -v chromium || command -v chromium-browser || command -v google-chrome || true)
if [ -z "$browser" ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    DEBIAN_FRONTEND=noninteractive apt-get install -y chromium >/tmp/geosim-chromium-apt.log 2>&1 ||
      { DEBIAN_FRONTEND=noninteractive apt-get update >>/tmp/geosim-chromium-apt.log 2>&1 &&
        DEBIAN_FRONTEND=noninteractive apt-get install -y chromium >>/tmp/geosim-chromium-apt.log 2>&1; }
  fi
  browser=$(command -v chromium || true)
  [ -n "$browser" ] || { say "SKIPPED: Chromium is not installed and cannot be"; exit 0; }
fi
work=$(mktemp -d /tmp/geosim-shots.XXXXXX)
trap 'rm -rf "$work"' EXIT
shots=${GEOSIM_SHOTS:-$work/shots}
mkdir -p "$shots"
(cd "$root" && go build -o "$work/geosim" ./cmd/geosim && go build -o "$work/shotcheck" ./scripts/shotcheck) || { say "FAILED: go build"; exit 1; }
cd "$root"
G="$work/geosim"
O="$work/out"
fail() { say "FAILED: $*"; exit 1; }
"$G" run scenarios/beijing-parade-2025.toml -runs 400 -out "$O/run" -quiet || fail "run"
"$G" sweep batch/testdata/small-sweep.toml -out "$O/sweep" -quiet || fail "sweep"
"$G" compare scenarios/beijing-parade-2025.toml scenarios/early-ceasefire.toml -runs 300 -out "$O/compare" -quiet || fail "compare"
"$G" sensitivity batch/testdata/small.toml -method sobol -n 256 -out "$O/sobol" -quiet 2>/dev/null || fail "sensitivity sobol"
"$G" sensitivity batch/testdata/small.toml -method morris -n 10 -out "$O/morris" -quiet 2>/dev/null || fail "sensitivity morris"
"$G" sensitivity batch/testdata/small.toml -method oat -n 50 -out "$O/oat" -quiet 2>/dev/null || fail "sensitivity oat"
"$G" run scenarios/backtest-2018.toml -runs 300 -out "$O/bt2018" -quiet || fail "run backtest-2018"
"$G" score "$O/bt2018/forecasts.csv" -resolutions scenarios/resolutions/backtest-2018.toml -out "$O/score" -quiet 2>/dev/null || fail "score"
"$G" backtest scenarios/backtest/dprk-2014-2025.toml -runs 20 -out "$O/backtest" -quiet || fail "backtest"
"$G" discover "$O/run" -condition kim_trump_summit -permutations 9 -bootstrap 5 -out "$O/discover" -quiet 2>/dev/null || fail "discover"
"$G" calibrate scenarios/calibration/dprk.toml -particles 100 -generations 2 -draws 100 -out "$O/calibrate" -quiet 2>/dev/null || fail "calibrate"
n=0
for kind in run sweep compare sobol morris oat score backtest discover calibrate; do
  report="$O/$kind/report.html"
  [ -f "$report" ] || fail "$kind wrote no report.html"
  # The report must stand alone: copied away from its folder, with no
  # file beside it, it must look the same.
  mkdir -p "$work/alone/$kind" && cp "$report" "$work/alone/$kind/report.html"
  timeout 120 "$browser" --headless --no-sandbox --disable-gpu --hide-scrollbars --window-size=1280,5000 \
    --disable-background-networking --disable-component-update --disable-sync --no-first-run \
    --user-data-dir="$work/profile-$kind" \
    --screenshot="$shots/$kind.png" "file://$work/alone/$kind/report.html" >/dev/null 2>&1 || fail "$kind: Chromium did not take a screenshot"
  n=$((n + 1))
done
"$work/shotcheck" "$shots"/*.png || fail "a screenshot is not a complete report (above)"
say "PASSED: $n reports (run, sweep, compare, sensitivity ×3, score, backtest, discover, calibrate) render on their own in headless Chromium"
