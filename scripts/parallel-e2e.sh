#!/usr/bin/env bash
# Runs the GNU parallel recipe of docs/SCALING.md on this machine and
# checks that the merged shards equal an unsharded run byte for byte.
# Exit status: 0 passed or skipped (it says which), 1 failed.
set -uo pipefail
say() { printf 'parallel-e2e: %s\n' "$*"; }
root=$(cd "$(dirname "$0")/.." && pwd)
if ! command -v parallel >/dev/null; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends parallel >/tmp/geosim-parallel-apt.log 2>&1 ||
      { DEBIAN_FRONTEND=noninteractive apt-get update >>/tmp/geosim-parallel-apt.log 2>&1 &&
        DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends parallel >>/tmp/geosim-parallel-apt.log 2>&1; }
  fi
  command -v parallel >/dev/null || { say "SKIPPED: GNU parallel is not installed and cannot be"; exit 0; }
fi
work=$(mktemp -d /tmp/geosim-parallel.XXXXXX)
trap 'rm -rf "$work"' EXIT
(cd "$root" && go build -o "$work/geosim" ./cmd/geosim) || { say "FAILED: go build"; exit 1; }
cd "$root"
GEOSIM=$work/geosim
OUT=$work
# --- the recipe (docs/SCALING.md, "GNU parallel on one machine") ---
N=4
parallel -j 2 "$GEOSIM" run scenarios/beijing-parade-2025.toml -runs 20000 -seed 7 \
  -shard {}/$N -out "$OUT/shard-{}" -quiet ::: $(seq 0 $((N - 1)))
"$GEOSIM" merge "$OUT"/shard-* -out "$OUT/merged" -quiet
# --- end of the recipe ---
"$GEOSIM" run scenarios/beijing-parade-2025.toml -runs 20000 -seed 7 -out "$work/single" -quiet
for f in summary.json runs.csv timeseries.csv; do
  cmp -s "$work/single/$f" "$work/merged/$f" || { say "FAILED: $f differs"; exit 1; }
done
say "PASSED: $N shards under GNU parallel merged byte-identical to one unsharded run"
