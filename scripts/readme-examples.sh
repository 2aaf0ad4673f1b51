#!/usr/bin/env bash
# Runs the README's examples on a clean clone: clones the repository's
# committed tree into a temporary folder, installs geosim there with the
# README's install step (go install ./cmd/geosim, into a temporary
# GOBIN), then runs every command between the README's "<!-- examples -->"
# markers, in order, from the clone's root, and checks that each
# succeeds. Takes a few minutes. Exit status: 0 passed, 1 failed.
set -uo pipefail
say() { printf 'readme-examples: %s\n' "$*"; }
root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d /tmp/geosim-readme.XXXXXX)
trap 'rm -rf "$work"' EXIT
git clone -q "$root" "$work/clone" || { say "FAILED: git clone"; exit 1; }
cd "$work/clone"
GOBIN="$work/bin" go install ./cmd/geosim || { say "FAILED: go install ./cmd/geosim"; exit 1; }
export PATH="$work/bin:$PATH"
commands=$(sed -n '/^<!-- examples -->$/,/^<!-- end of examples -->$/p' README.md | grep '^geosim ')
[ -n "$commands" ] || { say "FAILED: no examples found in README.md"; exit 1; }
n=0
while IFS= read -r line; do
  n=$((n + 1))
  say "$line"
  bash -c "$line" >"$work/out.txt" 2>&1 </dev/null ||
    { cat "$work/out.txt"; say "FAILED: $line"; exit 1; }
done <<<"$commands"
say "PASSED: $n examples on a clean clone"
