# shellcheck shell=bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The fastpath authors
#
# TAP-like assertions for the shell tests. it_summary prints the closing line.

IT_NAME=${IT_NAME:-$(basename "$0" .sh)}
IT_FAILS=0
IT_PASSES=0

ok() { IT_PASSES=$((IT_PASSES + 1)); echo "ok - $*"; }
fail() { IT_FAILS=$((IT_FAILS + 1)); echo "FAIL - $*"; }
# check DESCRIPTION COMMAND...: passes when the command succeeds.
check() { local d=$1; shift; if "$@"; then ok "$d"; else fail "$d"; fi; }
# check_eq DESCRIPTION WANT GOT
check_eq() {
	if [ "$2" = "$3" ]; then ok "$1"; else fail "$1: want '$2', got '$3'"; fi
}
it_summary() { echo "$IT_NAME: $IT_PASSES passed, $IT_FAILS failed"; }
