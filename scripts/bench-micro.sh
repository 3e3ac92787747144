#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The fastpath authors
#
# Builds fp-bench (release) and runs it: CPU cycles per keep-alive request and
# per TCP connection through the whole RX -> TCP -> HTTP -> TX path, with the
# checksums offloaded ("hw") and in software ("sw"). Each mode runs RUNS
# times, each run in its own process with its own --file-prefix, bounded by
# the counts given and a timeout; the summary gives the median and the range.
# docs/performance.md explains the figures.
#
#   scripts/bench-micro.sh [-r RUNS] [-c CPU] [-m "hw sw"] [-- fp-bench options]
#
# e.g. scripts/bench-micro.sh -r 3 -- -s keepalive -n 200000
# FP_BUILD picks the build folder (default build-release, configured with
# -Dbuildtype=release); no root, hugepages or network namespace is needed.
set -euo pipefail

FP_BUILD=${FP_BUILD:-$(cd "$(dirname "$0")/.." && pwd)/build-release}
. "$(dirname "$0")/lib/common.sh"

RUNS=5
CPU=${FP_BENCH_CPU:-1}
MODES="hw sw"
TIMEOUT=300		# seconds per run; the default counts take a few

usage() {
	sed -n '4,17p' "$0" | sed 's/^# \{0,1\}//'
}

while getopts "r:c:m:h" opt; do
	case $opt in
	r) RUNS=$OPTARG ;;
	c) CPU=$OPTARG ;;
	m) MODES=$OPTARG ;;
	h) usage; exit 0 ;;
	*) usage >&2; exit 2 ;;
	esac
done
shift $((OPTIND - 1))
[ "${1:-}" = "--" ] && shift
case $RUNS in ''|*[!0-9]*) fp_die "-r: not a number: $RUNS" ;; esac
if [ "$RUNS" -lt 1 ] || [ "$RUNS" -gt 20 ]; then
	fp_die "-r: from 1 to 20 runs"
fi
case $CPU in ''|*[!0-9]*) fp_die "-c: not a CPU number: $CPU" ;; esac

if [ ! -f "$FP_BUILD/build.ninja" ]; then
	meson setup "$FP_BUILD" "$FP_TOP" -Dwerror=true -Dbuildtype=release >&2 ||
		fp_die "meson setup failed"
fi
fp_build
BENCH=$FP_BUILD/app/fp_bench/fp-bench
[ -x "$BENCH" ] || fp_die "$BENCH was not built"

OUT=$(mktemp -d /tmp/fp-bench-micro.XXXXXX)
PREFIX=""
cleanup() {
	[ -z "$PREFIX" ] || fp_forget_prefix "$PREFIX"
}
trap cleanup EXIT

opt=$("$FP_PY" -c 'import json, sys
o = {x["name"]: x["value"] for x in json.load(open(sys.argv[1]))}
print("buildtype=%s -O%s" % (o["buildtype"], o["optimization"]))' \
	"$FP_BUILD/meson-info/intro-buildoptions.json" 2>/dev/null || echo "buildtype unknown")
echo "machine: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //')," \
	"$(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "build:   $FP_BUILD ($opt), DPDK $(pkg-config --modversion libdpdk)," \
	"commit $(git -C "$FP_TOP" rev-parse --short HEAD 2>/dev/null || echo none)$(
	git -C "$FP_TOP" diff --quiet HEAD 2>/dev/null || echo ' (dirty tree)')"
echo "runs:    $RUNS per mode, on CPU $CPU; fp-bench options: ${*:-(defaults)}"

for mode in $MODES; do
	for i in $(seq "$RUNS"); do
		PREFIX=fp-bench-$$-$mode-$i
		log=$OUT/$mode-$i.log
		rc=0
		# --lcores pins the main (only) lcore; taskset keeps EAL's own
		# threads on the same CPU.
		timeout "$TIMEOUT" taskset -c "$CPU" "$BENCH" --no-huge --no-pci --no-shconf \
			--no-telemetry -m 512 --lcores="0@$CPU" --file-prefix="$PREFIX" \
			--log-level=lib.eal:warning -- --cksum "$mode" "$@" > "$log" 2>&1 || rc=$?
		fp_forget_prefix "$PREFIX"
		PREFIX=""
		if [ "$rc" != 0 ]; then
			cat "$log" >&2
			fp_die "fp-bench failed (exit $rc) in mode $mode, run $i; log in $OUT"
		fi
		grep '^RESULT ' "$log" >> "$OUT/results" || true
		printf '  %s run %s: %s\n' "$mode" "$i" "$(grep '^check: [A-Z]' "$log" | head -1)"
	done
done
[ -s "$OUT/results" ] || fp_die "no results; logs in $OUT"

# field NAME of a RESULT line
field() {
	tr ' ' '\n' | sed -n "s/^$1=//p"
}

# median, min and max of the numbers on stdin
stats() {
	sort -g | awk '{ a[NR] = $1 }
		END {
			if (NR == 0) exit
			m = NR % 2 ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2
			s = m ? 100 * (a[NR] - a[1]) / m : 0
			printf "%7.0f  %6.0f-%-6.0f %5.1f%%", m, a[1], a[NR], s
		}'
}

echo
echo "TSC cycles per unit, server only (interrupted bursts left out), over $RUNS runs:"
printf '%-10s %-5s %-5s %7s  %-13s %6s  %9s  %9s  %s\n' scenario cksum unit median \
	"min-max" spread "raw med" "loop med" target
for mode in $MODES; do
	for scn in keepalive conn close; do
		lines=$(grep " scenario=$scn cksum=$mode " "$OUT/results" || true)
		[ -n "$lines" ] || continue
		unit=$(echo "$lines" | head -1 | field unit)
		med=$(echo "$lines" | while read -r l; do echo "$l" | field server; done | stats)
		raw=$(echo "$lines" | while read -r l; do echo "$l" | field server_raw; done |
			stats | awk '{ print $1 }')
		loop=$(echo "$lines" | while read -r l; do echo "$l" | field loop; done |
			stats | awk '{ print $1 }')
		m=$(echo "$med" | awk '{ print $1 }')
		case $scn in
		keepalive) goal=1000 ;;
		conn) goal=4000 ;;
		*) goal="" ;;
		esac
		verdict="-"
		if [ -n "$goal" ]; then
			verdict=">= $goal: NOT met"
			[ "$m" -ge "$goal" ] || verdict="< $goal: met"
		fi
		printf '%-10s %-5s %-5s %s  %9s  %9s  %s\n' "$scn" "$mode" "$unit" "$med" "$raw" \
			"$loop" "$verdict"
	done
done
echo "(logs and RESULT lines: $OUT)"
