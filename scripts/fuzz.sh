#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The fastpath authors
#
# Builds the libFuzzer harnesses of tests/fuzz with clang (build-fuzz/,
# -Dfuzz=true: fuzzer, AddressSanitizer, UndefinedBehaviorSanitizer) and
# runs them on a copy of their seed corpus.
#
#   scripts/fuzz.sh TARGET MINUTES   one harness for MINUTES (e.g. http_parse 10)
#   scripts/fuzz.sh --smoke          every harness for 8 s (the test command's)
#   scripts/fuzz.sh --list           the harnesses
#
# A crash leaves its input in the run's folder (printed) and exits non-zero;
# keep it as a seed of tests/fuzz/corpus/TARGET once fixed. Each run is
# bounded by its time and by -runs.
set -euo pipefail
. "$(dirname "$0")/lib/common.sh"

FUZZ_BUILD=${FP_FUZZ_BUILD:-$FP_TOP/build-fuzz}
TARGETS="http_parse http_resp http_chunked http_ae http_range http_etag http_date http_cond ws ws_handshake config ipv4 tcp"

usage() {
	sed -n '4,15p' "$0" | sed 's/^# \{0,1\}//'
}

build() {
	command -v clang >/dev/null || fp_die "clang is not installed (scripts/test.sh installs it)"
	if [ ! -f "$FUZZ_BUILD/build.ninja" ]; then
		CC=clang meson setup "$FUZZ_BUILD" "$FP_TOP" -Dfuzz=true -Dtests=false \
			-Dbuildtype=debugoptimized >&2 || fp_die "meson setup of $FUZZ_BUILD failed"
	fi
	local t targets=""
	for t in $TARGETS; do targets="$targets tests/fuzz/fuzz_$t"; done
	# shellcheck disable=SC2086
	ninja -C "$FUZZ_BUILD" $targets >&2 || fp_die "building the harnesses failed"
}

# run TARGET SECONDS: fuzzes TARGET from a copy of its corpus.
run() {
	local t=$1 secs=$2 dir rc=0
	dir=$(mktemp -d "/tmp/fp-fuzz-$t.XXXXXX")
	mkdir -p "$dir/corpus"
	cp "$FP_TOP/tests/fuzz/corpus/$t/"* "$dir/corpus/"
	(cd "$dir" && timeout $((secs + 60)) "$FUZZ_BUILD/tests/fuzz/fuzz_$t" \
		-max_total_time="$secs" -runs=2000000000 -max_len=4096 -print_final_stats=1 \
		corpus >"$dir/log" 2>&1) || rc=$?
	grep -E '^(#[0-9]+.*DONE|Done |stat::number_of_executed_units|stat::peak_rss_mb)' \
		"$dir/log" | sed "s/^/$t: /"
	grep -E '^#[0-9]+.*DONE' "$dir/log" | sed -n 's/.*cov: \([0-9]*\).*corp: \([^ ]*\).*/  coverage \1, corpus \2/p'
	if [ "$rc" != 0 ]; then
		tail -40 "$dir/log" >&2
		fp_die "$t: the harness failed (exit $rc); its input and log are in $dir"
	fi
	rm -rf "$dir"
}

case "${1:-}" in
--smoke)
	build
	for t in $TARGETS; do run "$t" 8; done
	;;
--list)
	echo "$TARGETS"
	;;
-h|--help|"")
	usage
	;;
*)
	case " $TARGETS " in *" $1 "*) ;; *) fp_die "no harness $1 (have: $TARGETS)" ;; esac
	mins=${2:-1}
	case $mins in ''|*[!0-9]*) fp_die "MINUTES: not a number: $mins" ;; esac
	build
	run "$1" $((mins * 60))
	;;
esac
