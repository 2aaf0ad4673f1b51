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
#
# The second line of output leaves out the Go runtime's own functions
# (runtime.*, internal/runtime/* and the runtime's assembly, except
# memmove and memclr, which the program's copies and clears call): with
# 2 workers under valgrind, an idle worker's scheduler spins for as long
# as valgrind happens to run the other thread, which moves the
# whole-process count by a few thousand instructions per run from one
# measurement to the next — and once in a while by a million (the
# runtime figure printed shows it; measure again then). Changes of a few
# thousand are judged on the second line.
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
	if ! GODEBUG=cpu.rdtscp=off valgrind --tool=cachegrind --cache-sim=no --cachegrind-out-file="$tmp/cg-$runs" \
		"$bin" "${args[@]}" >/dev/null 2>"$tmp/vg-$runs"; then
		grep -v '^==' "$tmp/vg-$runs" >&2
		echo "failed: $bin ${args[*]}" >&2
		exit 1
	fi
	grep 'I *refs' "$tmp/vg-$runs" | sed 's/.*refs: *//; s/,//g'
}
# runtime: the instructions of the Go runtime's functions in a
# cachegrind file, memmove and memclr excepted.
runtime() {
	cg_annotate --threshold=0 "$tmp/cg-$1" 2>/dev/null | awk '
		/file:function/ { on = 1; next }
		on && /^-- / { on = 0 }
		on && /\/src\/(internal\/)?runtime\/|:(runtime|internal\/runtime\/[a-z]+)\./ && !/memmove|memclr/ { v = $1; gsub(",", "", v); sum += v }
		END { printf "%.0f\n", sum }'
}
a=$(count "$lo" "$@")
b=$(count "$hi" "$@")
echo "instructions: $a at $lo runs, $b at $hi runs: $(( (b - a) / (hi - lo) )) per run"
ra=$(runtime "$lo")
rb=$(runtime "$hi")
echo "without the Go runtime: $(( (b - rb - a + ra) / (hi - lo) )) per run (runtime: $(( (rb - ra) / (hi - lo) )) per run)"
