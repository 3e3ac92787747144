#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The fastpath authors
#
# wrk with 256 keep-alive connections for 5 s against a 1 KB file over
# net_tap: no socket error, no non-2xx answer, thousands of requests; then
# connections and mbufs back to their baseline. Not a benchmark: wrk runs on
# CPU 0 and fastpath's worker (lcore 1) on CPU 1, and the tap is the limit.
. "$(dirname "$0")/lib.sh"

site=$IT_TMP/site
mkdir -p "$site"
head -c 1024 /dev/urandom >"$site/1k.bin"
cfg=$IT_TMP/http.ini
printf '[tcp]\ntime_wait_ms = 1000\n' >"$cfg"

it_start_tap --root "$site" -c "$cfg"
base_mbufs=$(tel /fastpath/stats mbufs_in_use)
base_conns=$(tel /fastpath/stats tcp_conns)
ok2xx=$(tel /fastpath/stats http_2xx)

check "a GET before the load answers" nsx curl -sS --max-time 5 -o /dev/null "http://$FP_IP/1k.bin"
rc=0
out=$(nsx timeout 30 taskset -c 0 wrk -t1 -c256 -d5s --timeout 2s "http://$FP_IP/1k.bin" 2>&1) ||
	rc=$?
while IFS= read -r line; do echo "# $line"; done <<<"$out"
check_eq "wrk ran to the end" 0 "$rc"
# wrk prints these two lines only when something went wrong.
errs=$(sed -n 's/^ *Socket errors: *//p' <<<"$out")
check_eq "no socket error (connect, read, write, timeout)" "" "$errs"
non2xx=$(sed -n 's/^ *Non-2xx or 3xx responses: *//p' <<<"$out")
check_eq "no non-2xx answer" "" "$non2xx"
reqs=$(sed -n 's/^ *\([0-9][0-9]*\) requests in .*/\1/p' <<<"$out")
check "at least 2000 requests (${reqs:-none})" test "${reqs:-0}" -ge 2000
# The server answered at least what wrk counted (wrk leaves the last ones
# in flight uncounted), and each with a 2xx.
got2xx=$(($(tel /fastpath/stats http_2xx) - ok2xx - 1))
check "http_2xx rose by at least wrk's $reqs ($got2xx)" test "$got2xx" -ge "${reqs:-1}"
check_eq "no mbuf allocation failed" 0 "$(tel /fastpath/stats drops.no_mbuf)"

check "connections back to the baseline of $base_conns" it_stat_back_to tcp_conns "$base_conns" 15
check "mbufs in use back to the baseline of $base_mbufs" it_mbufs_back_to "$base_mbufs"
check_eq "no request buffer held" 0 "$(tel /fastpath/stats http_rxbufs)"
check "a GET after the load answers" nsx curl -sS --max-time 5 -o /dev/null "http://$FP_IP/1k.bin"
check "SIGINT stops fastpath with status 0" it_stop_fastpath
