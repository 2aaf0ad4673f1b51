#!/bin/bash
# Instructions per run of a geosim command, from valgrind's cachegrind at
# two run counts: (count at HI - count at LO) / (HI - LO), so that fixed
# costs (loading, summaries, charts) cancel. The count does not depend on
# the machine's load, unlike wall-clock times. docs/BENCHMARKS.md.
#
#   scripts/instructions.sh BINARY LO HI ARGS...
#
# ARGS is the command line after the binary; {RUNS} is replaced by LO and
# HI, {OUT} by a fresh output folder. Example (the flagship, whole
# process with default outputs):
#
#   go build -o /tmp/geosim ./cmd/geosim
#   scripts/instructions.sh /tmp/geosim 2000 12000 run -runs {RUNS} -workers 2 -out {OUT} -quiet
#
# GODEBUG=cpu.rdtscp=off: valgrind 3.19 does not know RDTSCP, which the Go
# runtime uses for its clock; with it off the runtime falls back to
# RDTSC. Valgrind also hides AVX-512, so a kernel chosen at run time is
# counted in its AVX2 form, the one this repository has.
set -euo pipefail
bin=$1 lo=$2 hi=$3
shift 3
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
count() {
	local runs=$1 args=()
	for a in "${@:2}"; do
		a=${a//\{RUNS\}/$runs}
		args+=("${a//\{OUT\}/$tmp/out-$runs}")
	done
	if ! GODEBUG=cpu.rdtscp=off valgrind --tool=cachegrind --cache-sim=no --cachegrind-out-file=/dev/null \
		"$bin" "${args[@]}" >/dev/null 2>"$tmp/vg-$runs"; then
		grep -v '^==' "$tmp/vg-$runs" >&2
		echo "failed: $bin ${args[*]}" >&2
		exit 1
	fi
	grep 'I *refs' "$tmp/vg-$runs" | sed 's/.*refs: *//; s/,//g'
}
a=$(count "$lo" "$@")
b=$(count "$hi" "$@")
echo "instructions: $a at $lo runs, $b at $hi runs: $(( (b - a) / (hi - lo) )) per run"
