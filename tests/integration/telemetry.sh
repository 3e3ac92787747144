#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The fastpath authors
#
# Each telemetry command after known traffic: pings, GETs and HEADs of two
# [route]s, a 404, one malformed request per parse-error reason, a frame
# with a bad IPv4 checksum and a SYN to a closed port. Every counter they
# move must move by exactly what was sent, every other one not at all.
# Then two held keep-alive connections in /fastpath/conns, rates and busy %
# under load, the periodic summary line, and the HTTP debug log switched on
# by an EAL --log-level option (and off without it).
. "$(dirname "$0")/lib.sh"

site=$IT_TMP/site
mkdir -p "$site/sub"
echo '<p>telemetry test</p>' >"$site/index.html"
echo 'body { color: black; }' >"$site/sub/style.css"
site_files=2
# Served by a [route] with a file, from outside the root.
afile=$IT_TMP/a.txt
head -c 1234 /dev/zero | tr '\0' a >"$afile"
asize=$(stat -c %s "$afile")

cfg=$IT_TMP/telemetry.ini
cat >"$cfg" <<EOF
[tcp]
time_wait_ms = 500

[log]
summary_s = 1

[route /health]
body = OK

[route /a.txt]
file = $afile
status = 200
content_type = text/x-fastpath-test
EOF

URL=http://$FP_IP
TC=$IT_DIR/tel_check.py
# Telemetry values by KEY (command.name.name): base, after, and their deltas.
declare -A A B D
t_start=$(date +%s%N)
it_start_tap --root "$site" -c "$cfg"
# The kernel's IPv6 (router solicitations, MLD) would move the Ethernet drop
# counters at times of its own choosing: silence it before the baselines.
nsx sysctl -qw net.ipv6.conf.fp0.disable_ipv6=1

# snap NAME: every command's answer into $IT_TMP/NAME.json.
snap() { "$FP_PY" "$TC" snap "$IT_PREFIX" "$IT_TMP/$1.json"; }
# load ARRAY flat F / load ARRAY delta F1 F2 (files in $IT_TMP): the values of
# snapshot F, or the deltas from F1 to F2, into an associative array.
load() {
	# shellcheck disable=SC2178
	local -n _arr=$1
	local what=$2 k v
	shift 2
	_arr=()
	while read -r k v; do _arr["$k"]=$v; done < <("$FP_PY" "$TC" "$what" \
		"${@/#/$IT_TMP/}")
}
keys() { "$FP_PY" "$TC" keys "$IT_TMP/$1.json" "$2"; }
raw() { nsx "$FP_PY" "$IT_DIR/http_raw.py" "$FP_IP" 80 "$@"; }
# Waits up to 5 s for no TCP connection in any state (TIME-WAIT is 0.5 s).
no_conns() { it_stat_back_to tcp_conns 0 5; }

sum_re='fastpath\.ctrl: rx [0-9]+ pps, tx [0-9]+ pps, [0-9]+ req/s, busy [0-9]+%, '
sum_re+='conns [0-9]+ \([0-9]+ established, [0-9]+ time-wait\), drops \+[0-9]+ '
sum_re+='\([0-9]+ total\), requests [0-9]+$'
# summaries_within SECONDS: waits for two summary lines in the log.
summaries_within() {
	local n=0
	for _ in $(seq $(($1 * 10))); do
		n=$(grep -Ec "$sum_re" "$IT_LOG" || true)
		[ "$n" -ge 2 ] && return 0
		sleep 0.1
	done
	echo "$n summary lines in the log"
	return 1
}
# summary_s = 1: two lines within ~3 s of serving. This wait also lets ARP
# and the gratuitous ARP finish before the baselines.
check "two summary lines within 3 s of serving" summaries_within 3
check "no connection before the traffic" no_conns
snap base
load B flat base.json
base_mbufs=${B[/fastpath/stats.mbufs_in_use]}

# --- The known mix. ---
P=5	# pings
K=3	# GET /health, one connection each
J=2	# GET /a.txt
L=2	# HEAD /a.txt
check "$P pings answered" ping_ok "$P" 56
for _ in $(seq "$K"); do
	check_eq "GET /health" OK "$(c "$URL/health" || true)"
done
for _ in $(seq "$J"); do
	c -o "$IT_TMP/a.out" "$URL/a.txt" || true
	check "GET /a.txt returns the file" cmp -s "$afile" "$IT_TMP/a.out"
done
for _ in $(seq "$L"); do
	check_eq "HEAD /a.txt" 200 "$(c -I -o /dev/null -w '%{http_code}' "$URL/a.txt" || true)"
done
check_eq "GET /nope" 404 "$(c -o /dev/null -w '%{http_code}' "$URL/nope" || true)"

# bad DESCRIPTION REQUEST STATUS CONNECTION: one raw request (printf format)
# on its own connection; wants STATUS, and the connection then "closed" or
# "open".
bad() {
	local out
	# shellcheck disable=SC2059
	out=$(printf "$2" | raw -n 1 --linger 0.3) || true
	check "$1: answers $3" grep -Eq "^status HTTP/1\.1 $3 " <<<"$out"
	check_eq "$1: connection then $4" "end $4" "$(tail -1 <<<"$out")"
}
H='Host: x\r\n'
# One header of 33 KB: over max_header_bytes (32768), so 431 header_too_large
# (a hundred short ones would be too_many_headers). The answer closes the
# connection after the segment that fills the 32768 bytes; the one segment
# after it (34,000 bytes in all: at any MSS from 1400 to 1460) counts
# drops.http_after_close.
big="X-Big: $(head -c 33964 /dev/zero | tr '\0' b)\\r\\n"
bad "no Host on HTTP/1.1" 'GET /health HTTP/1.1\r\n\r\n' 400 closed
# Junk after the version: bad_request_line.
bad "junk after the version" 'GET / HTTP/1.1 junk\r\n'"$H"'\r\n' 400 closed
bad "obs-fold" 'GET / HTTP/1.1\r\n'"$H"'X-A: a\r\n b\r\n\r\n' 400 closed
bad "method BREW" 'BREW /pot HTTP/1.1\r\n'"$H"'\r\n' 501 closed
bad "POST" 'POST /health HTTP/1.1\r\n'"$H"'Content-Length: 0\r\n\r\n' 405 open
bad "a 33 KB header" "GET / HTTP/1.1\\r\\n$H$big\\r\\n" 431 closed
BAD=6

# A ping with a bad IPv4 header checksum, then a SYN to a closed port.
nsx "$FP_PY" "$TC" badcsum fp0 "$(fp_mac)" "$FP_IP" "$PEER_IP"
rc=0
nsx curl -sS --max-time 5 -o /dev/null "$URL:81/" 2>/dev/null || rc=$?
check_eq "port 81: connection refused (curl exit 7)" 7 "$rc"

CONNS=$((K + J + L + 1 + BAD))
REQS=$((K + J + L + 1 + BAD))
check "connections all closed (TIME-WAIT 0.5 s)" no_conns
check "mbufs in use back to the baseline of $base_mbufs" it_mbufs_back_to "$base_mbufs"
# The bad checksum, the SYN to port 81 and the segment after the 431.
DROPS=3
base_drops=${B[/fastpath/stats.drops_total]}
for _ in $(seq 20); do
	[ "$(tel /fastpath/stats drops_total)" -ge $((base_drops + DROPS)) ] &&
		break
	sleep 0.1
done
snap after
load A flat after.json
load D delta base.json after.json

# --- /fastpath/stats ---
S=/fastpath/stats
check_eq "stats: icmp_echo_requests +$P" "$P" "${D[$S.icmp_echo_requests]}"
check_eq "stats: icmp_echo_replies +$P" "$P" "${D[$S.icmp_echo_replies]}"
check_eq "stats: http_requests +$REQS" "$REQS" "${D[$S.http_requests]}"
check_eq "stats: http_get +$((K + J + 2))" $((K + J + 2)) "${D[$S.http_get]}"
check_eq "stats: http_head +$L" "$L" "${D[$S.http_head]}"
check_eq "stats: http_other_method +2" 2 "${D[$S.http_other_method]}"
check_eq "stats: tcp_passive_opens +$CONNS" "$CONNS" "${D[$S.tcp_passive_opens]}"
# The 431 leaves the tail of the 33 KB header unread. How the client's
# kernel sends it once the server has closed (one segment, or a second one
# that arrives out of window and a reset when the client closes) is its
# timing, not the server's: that second drop and reset are allowed.
TAIL_OOW=${D[/fastpath/drops.tcp_out_of_window]:-0}
check "stats: drops_total +$DROPS (+1 with the 431's tail out of window)" \
	test "${D[$S.drops_total]}" = $((DROPS + TAIL_OOW)) -a "$TAIL_OOW" -le 1
check_eq "stats: drops.ipv4_bad_csum +1" 1 "${D[$S.drops.ipv4_bad_csum]}"
check_eq "stats: drops.tcp_no_listener +1" 1 "${D[$S.drops.tcp_no_listener]}"
check_eq "stats: drops.http_after_close +1" 1 "${D[$S.drops.http_after_close]}"
check_eq "stats: mbufs_in_use at the baseline" "$base_mbufs" "${A[$S.mbufs_in_use]}"
check_eq "stats: workers" 1 "${A[$S.workers]}"
for k in rx_pps tx_pps requests_per_s uptime_s; do
	check "stats: $k present (${A[$S.$k]:-})" test -n "${A[$S.$k]:-}"
done
check "stats: uptime_s counts from the start (${A[$S.uptime_s]} s)" \
	test "${A[$S.uptime_s]}" -le $((($(date +%s%N) - t_start) / 1000000000 + 1))

# --- /fastpath/lcores: one worker, lcore 1, queue 0 ---
W=/fastpath/lcores
check_eq "lcores: one row, lcore 1" 1 "$(keys after $W | paste -sd' ')"
check_eq "lcores: queue 0" 0 "${A[$W.1.queue]}"
check_eq "lcores: requests +$REQS" "$REQS" "${D[$W.1.requests]}"
check_eq "lcores: requests = stats http_requests" "${A[$S.http_requests]}" "${A[$W.1.requests]}"
check_eq "lcores: rx_packets = stats rx_packets" "${A[$S.rx_packets]}" "${A[$W.1.rx_packets]}"
check_eq "lcores: tx_packets = stats tx_packets" "${A[$S.tx_packets]}" "${A[$W.1.tx_packets]}"
check_eq "lcores: busy_cycles = stats busy_cycles" "${A[$S.busy_cycles]}" \
	"${A[$W.1.busy_cycles]}"
for k in busy_cycles cycles_per_packet cycles_per_request; do
	check "lcores: $k > 0 (${A[$W.1.$k]})" test "${A[$W.1.$k]}" -gt 0
done
check_eq "lcores: cycles_per_packet = busy_cycles / rx_packets" \
	$(((A[$W.1.busy_cycles] + A[$W.1.rx_packets] / 2) / A[$W.1.rx_packets])) \
	"${A[$W.1.cycles_per_packet]}"
check_eq "lcores: cycles_per_request = busy_cycles / requests" \
	$(((A[$W.1.busy_cycles] + A[$W.1.requests] / 2) / A[$W.1.requests])) \
	"${A[$W.1.cycles_per_request]}"

# --- /fastpath/tcp ---
T=/fastpath/tcp
check_eq "tcp: passive_opens +$CONNS" "$CONNS" "${D[$T.passive_opens]}"
check_eq "tcp: closed +$CONNS" "$CONNS" "${D[$T.closed]}"
check_eq "tcp: states.total 0 after" 0 "${A[$T.states.total]}"
for k in syn_received established close_wait last_ack fin_wait_1 fin_wait_2 closing \
		time_wait; do
	check_eq "tcp: states.$k 0 after" 0 "${A[$T.states.$k]:-missing}"
done
check_eq "tcp: resets_sent +1 (the SYN to port 81)" 1 "${D[$T.resets_sent]}"
check_eq "tcp: drops.no_listener +1" 1 "${D[$T.drops.no_listener]}"
for k in retransmits timeouts fast_retransmits syn_cookies_sent syn_cookies_ok challenge_acks \
		aborts; do
	check_eq "tcp: $k +0" 0 "${D[$T.$k]:-missing}"
done
check_eq "tcp: resets_received +0 (+1 with the 431's tail out of window)" "$TAIL_OOW" \
	"${D[$T.resets_received]:-missing}"
check_eq "tcp: passive_opens = stats tcp_passive_opens" "${A[$S.tcp_passive_opens]}" \
	"${A[$T.passive_opens]}"

# --- /fastpath/http ---
Hc=/fastpath/http
check_eq "http: requests +$REQS" "$REQS" "${D[$Hc.requests]}"
check "http: requests_per_s present" test -n "${A[$Hc.requests_per_s]:-}"
# GET: the 200s, the 404 and the request without Host. The bad request
# line, the obs-fold and the 431 never got as far as a method.
check_eq "http: methods.GET +$((K + J + 2))" $((K + J + 2)) "${D[$Hc.methods.GET]}"
check_eq "http: methods.HEAD +$L" "$L" "${D[$Hc.methods.HEAD]}"
check_eq "http: methods.other +2 (BREW, POST)" 2 "${D[$Hc.methods.other]}"
check_eq "http: status_class.2xx +$((K + J + L))" $((K + J + L)) "${D[$Hc.status_class.2xx]}"
check_eq "http: status_class.3xx +0" 0 "${D[$Hc.status_class.3xx]}"
check_eq "http: status_class.4xx +6" 6 "${D[$Hc.status_class.4xx]}"
check_eq "http: status_class.5xx +1" 1 "${D[$Hc.status_class.5xx]}"
while read -r code n; do
	check_eq "http: status.$code +$n" "$n" "${D[$Hc.status.$code]:-missing}"
done <<EOF
200 $((K + J + L))
400 3
404 1
405 1
408 0
413 0
414 0
431 1
501 1
505 0
EOF
want_errs="bad_request_line=1 header_too_large=1 method_not_allowed=1 missing_host=1"
want_errs+=" not_found=1 obs_fold=1 unknown_method=1"
got_errs=""
for k in $(keys after $Hc.parse_errors); do
	[ "${D[$Hc.parse_errors.$k]}" = 0 ] || got_errs+=" $k=${D[$Hc.parse_errors.$k]}"
done
check_eq "http: parse_errors moved exactly by the refused requests (the 404 too)" "$want_errs" \
	"${got_errs# }"
nr=$(sed -n '/^#define FP_HTTP_REASON_LIST/,/^$/p' "$IT_DIR/../../lib/stats/fp_stats_reasons.h" |
	grep -c '^	X(a, ')
check_eq "http: one error reason per counter of the list ($nr)" "$nr" \
	"$(keys after $Hc.parse_errors | wc -l)"

# --- /fastpath/drops ---
Dr=/fastpath/drops
declared=$(sed -n 's/^[[:space:]]*D(\([a-z0-9_]*\),.*/\1/p' "$IT_DIR/../../lib/stats/fp_stats.h" |
	sort | paste -sd' ')
check "fp_stats.h declares drop reasons" test -n "$declared"
check_eq "drops: every reason of fp_stats.h, no other" "$declared" \
	"$(keys after $Dr | paste -sd' ')"
check_eq "stats: drops has the same reasons" "$declared" "$(keys after $S.drops | paste -sd' ')"
got_drops=""
for k in $(keys after $Dr); do
	[ "${D[$Dr.$k]}" = 0 ] || got_drops+=" $k=${D[$Dr.$k]}"
done
want_drops="http_after_close=1 ipv4_bad_csum=1 tcp_no_listener=1"
[ "$TAIL_OOW" = 1 ] && want_drops+=" tcp_out_of_window=1"
check_eq "drops: only the triggered reasons moved, by one" "$want_drops" "${got_drops# }"
sum=0
for k in $(keys after $Dr); do sum=$((sum + A[$Dr.$k])); done
check_eq "drops: the sum is stats drops_total" "${A[$S.drops_total]}" "$sum"

# --- /fastpath/mempool ---
M=/fastpath/mempool
pools=$(keys after $M)
check "mempool: at least one pool (${pools//$'\n'/ })" test -n "$pools"
for p in $pools; do
	check_eq "mempool $p: in_use back to its baseline" "${B[$M.$p.in_use]}" \
		"${A[$M.$p.in_use]}"
	check_eq "mempool $p: free + in_use = size" "${A[$M.$p.size]}" \
		$((A[$M.$p.free] + A[$M.$p.in_use]))
done
check_eq "mempool: in_use sums to stats mbufs_in_use" "${A[$S.mbufs_in_use]}" \
	"$(n=0; for p in $pools; do n=$((n + A[$M.$p.in_use])); done; echo "$n")"

# --- /fastpath/config ---
C=/fastpath/config
check_eq "config: ip.address" "$FP_IP/24" "${A[$C.ip.address]}"
check_eq "config: http.root" "$site" "${A[$C.http.root]}"
check_eq "config: tcp.listen" 80 "${A[$C.tcp.listen]}"
check_eq "config: tcp.time_wait_ms" 500 "${A[$C.tcp.time_wait_ms]}"
check_eq "config: log.summary_s" 1 "${A[$C.log.summary_s]}"
check_eq "config: http.max_header_bytes (default)" 32768 "${A[$C.http.max_header_bytes]}"
check_eq "config: routes" \
	"/health body=OK status=200|/a.txt file=$afile status=200 content_type=text/x-fastpath-test" \
	"$(keys after $C.routes | sort -n | while read -r i; do echo "${A[$C.routes.$i]}"; done |
		paste -sd'|')"
eal=$(keys after $C.eal_args | sort -n | while read -r i; do echo "${A[$C.eal_args.$i]}"; done)
check "config: eal_args has --vdev=net_tap0,iface=fp0" grep -qx -- "--vdev=net_tap0,iface=fp0" \
	<<<"$eal"
check "config: eal_args has --file-prefix=$IT_PREFIX" grep -qx -- "--file-prefix=$IT_PREFIX" \
	<<<"$eal"
check "config: eal_args has --no-pci" grep -qx -- "--no-pci" <<<"$eal"

# --- /fastpath/routes: the two [route]s first, then the site's files ---
R=/fastpath/routes
check_eq "routes: total" $((2 + site_files)) "${A[$R.total]}"
check_eq "routes: first" 0 "${A[$R.first]}"
check_eq "routes: 0 is /health" /health "${A[$R.0.path]}"
check_eq "routes: /health size" 2 "${A[$R.0.size]}"
check_eq "routes: /health content_type" "text/plain; charset=utf-8" "${A[$R.0.content_type]}"
check_eq "routes: /health status" 200 "${A[$R.0.status]}"
check_eq "routes: /health hits +$K" "$K" "${D[$R.0.hits]}"
check_eq "routes: 1 is /a.txt" /a.txt "${A[$R.1.path]}"
check_eq "routes: /a.txt size" "$asize" "${A[$R.1.size]}"
check_eq "routes: /a.txt content_type" text/x-fastpath-test "${A[$R.1.content_type]}"
check_eq "routes: /a.txt status" 200 "${A[$R.1.status]}"
check_eq "routes: /a.txt hits +$((J + L))" $((J + L)) "${D[$R.1.hits]}"
check_eq "routes: the site's files" "/index.html /sub/style.css" \
	"$(for i in $(seq 2 $((1 + site_files))); do echo "${A[$R.$i.path]:-}"; done | sort |
		paste -sd' ')"
for i in $(seq 2 $((1 + site_files))); do
	f=$site${A[$R.$i.path]}
	check_eq "routes: ${A[$R.$i.path]} size" "$(stat -c %s "$f")" "${A[$R.$i.size]}"
	check_eq "routes: ${A[$R.$i.path]} hits +0" 0 "${D[$R.$i.hits]}"
done
check_eq "routes,2: first" 2 "$(tel $R,2 first)"
check_eq "routes,2: total" "${A[$R.total]}" "$(tel $R,2 total)"
check_eq "routes,2: row 2 as in the first page" "${A[$R.2.path]}" "$(tel $R,2 2.path)"
check "routes,2: no row 0" test -z "$(tel $R,2 0.path 2>/dev/null)"

# --- /fastpath/conns: two held keep-alive connections ---
check_eq "conns: total 0 before" 0 "${A[/fastpath/conns.total]}"
snap held0
while IFS=$'\t' read -r desc want got; do
	check_eq "$desc" "$want" "$got"
done < <(nsx "$FP_PY" "$TC" held "$IT_PREFIX" "$FP_IP" 80 1 ||
	printf 'the held phase ran to its end\tyes\tno\n')
check "connections all closed" no_conns
snap held1
load D delta held0.json held1.json
check_eq "tcp: passive_opens +2 for the held connections" 2 "${D[$T.passive_opens]}"
check_eq "tcp: closed +2 for the held connections" 2 "${D[$T.closed]}"
check_eq "http: requests +3 on the held connections" 3 "${D[$Hc.requests]}"

# --- Rates and busy % under a bounded load ---
wrk_out=$IT_TMP/wrk.out
nsx timeout 15 wrk -t1 -c4 -d3s "$URL/health" >"$wrk_out" 2>&1 &
wrk_pid=$!
lc_rps=0 lc_busy=0 st_rps=0 st_rx=0 st_tx=0 http_rps=0
for _ in $(seq 40); do
	tel $W >"$IT_TMP/lc.json"
	lc_rps=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["1"]["requests_per_s"])' \
		"$IT_TMP/lc.json")
	lc_busy=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["1"]["busy_pct"])' \
		"$IT_TMP/lc.json")
	st_rps=$(tel $S requests_per_s)
	st_rx=$(tel $S rx_pps)
	st_tx=$(tel $S tx_pps)
	http_rps=$(tel $Hc requests_per_s)
	[ "$lc_rps" -gt 0 ] && [ "$lc_busy" -gt 0 ] && [ "$st_rps" -gt 0 ] && [ "$st_rx" -gt 0 ] &&
		[ "$st_tx" -gt 0 ] && [ "$http_rps" -gt 0 ] && break
	kill -0 "$wrk_pid" 2>/dev/null || break
	sleep 0.1
done
check "under load: lcores requests_per_s > 0 ($lc_rps)" test "$lc_rps" -gt 0
check "under load: lcores busy_pct > 0 ($lc_busy)" test "$lc_busy" -gt 0
check "under load: lcores busy_pct <= 100" test "$lc_busy" -le 100
check "under load: stats requests_per_s > 0 ($st_rps)" test "$st_rps" -gt 0
check "under load: stats rx_pps > 0 ($st_rx)" test "$st_rx" -gt 0
check "under load: stats tx_pps > 0 ($st_tx)" test "$st_tx" -gt 0
check "under load: http requests_per_s > 0 ($http_rps)" test "$http_rps" -gt 0
wait "$wrk_pid" || true
check "wrk ran and got answers" grep -q "Requests/sec" "$wrk_out"
check "connections all closed after the load" no_conns
check "mbufs in use back to the baseline of $base_mbufs" it_mbufs_back_to "$base_mbufs"
# Idle again: the rates fall back to 0 within a couple of seconds.
for _ in $(seq 30); do
	[ "$(tel $S requests_per_s)" = 0 ] && [ "$(tel $Hc requests_per_s)" = 0 ] && break
	sleep 0.1
done
check_eq "idle: stats requests_per_s back to 0" 0 "$(tel $S requests_per_s)"

# --- The periodic summary, and no HTTP debug line at the default level ---
n_sum=$(grep -Ec "$sum_re" "$IT_LOG" || true)
secs=$((($(date +%s%N) - t_start) / 1000000000))
check "summary line about once a second ($n_sum in ${secs} s)" \
	test "$n_sum" -ge $((secs / 2)) -a "$n_sum" -le $((secs + 1))
check "a summary line under load shows req/s > 0" grep -Eq 'fastpath\.ctrl: .* [1-9][0-9]* req/s' \
	"$IT_LOG"
check_eq "no fastpath.http debug line at the default log level" 0 \
	"$(grep -c 'fastpath\.http: answering' "$IT_LOG" || true)"
check "SIGINT stops fastpath with status 0" it_stop_fastpath

# --- A second run with --log-level=fastpath.http:debug ---
ip netns del "$IT_NS"
fp_forget_prefix "$IT_PREFIX"
if [ "$IT_FAILS" = 0 ]; then rm -f "$IT_LOG"; else echo "the first run's log: $IT_LOG"; fi
IT_LOG=$(mktemp "/tmp/fastpath-$IT_NAME.XXXXXX.log")
# lib.sh passes FP_EAL_MEM unquoted among the EAL options: one more goes there.
FP_EAL_MEM="${FP_EAL_MEM:-} --log-level=fastpath.http:debug"
it_start_tap --root "$site" -c "$cfg"
check "debug run: eal_args has --log-level=fastpath.http:debug" \
	grep -qx -- "--log-level=fastpath.http:debug" \
	<(tel /fastpath/config eal_args |
		python3 -c 'import json, sys; print(*json.load(sys.stdin), sep="\n")')
bad "debug run: obs-fold" 'GET / HTTP/1.1\r\n'"$H"'X-A: a\r\n b\r\n\r\n' 400 closed
bad "debug run: a 33 KB header" "GET / HTTP/1.1\\r\\n$H$big\\r\\n" 431 closed
for _ in $(seq 20); do
	[ "$(grep -c 'fastpath\.http: answering' "$IT_LOG" || true)" -ge 2 ] && break
	sleep 0.1
done
check "debug run: 'fastpath.http: answering 400: obs_fold' logged" \
	grep -q 'fastpath\.http: answering 400: obs_fold$' "$IT_LOG"
check "debug run: 'fastpath.http: answering 431: header_too_large' logged" \
	grep -q 'fastpath\.http: answering 431: header_too_large$' "$IT_LOG"
check_eq "debug run: one debug line per refused request" 2 \
	"$(grep -c 'fastpath\.http: answering' "$IT_LOG" || true)"
check "debug run: summary lines too" summaries_within 3
check "debug run: connections all closed" no_conns
check "SIGINT stops fastpath with status 0" it_stop_fastpath
