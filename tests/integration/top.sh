#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The fastpath authors
#
# scripts/fastpath-top. First against fake_telemetry.py, whose numbers are
# known: --once, drops ranked by their increase, a tiny terminal and a
# resize, and the one-line errors (no socket, nothing listening, not a
# fastpath, an instance that goes away). Then against fastpath over net_tap
# under wrk, in a tmux session: the worker's row with requests per second,
# the connection states, q exits 0; mbufs back to their baseline; and a
# fastpath that stops while watched ends it with status 1.
. "$(dirname "$0")/lib.sh"

TOP=$(cd "$IT_DIR/../../scripts" && pwd)/fastpath-top
FAKE_PREFIX=fpt-fake-$$
FAKE_PID=""
WRK_PID=""
# A tmux server of our own, so that its kill-server touches nothing else;
# its socket goes with IT_TMP.
TMUX_SOCK=$IT_TMP/tmux.sock
TMUX_S=top

stop_fake() {
	[ -n "$FAKE_PID" ] || return 0
	kill "$FAKE_PID" 2>/dev/null || true
	wait "$FAKE_PID" 2>/dev/null || true
	FAKE_PID=""
}

top_cleanup() {
	local rc=$?
	set +e
	tmux -S "$TMUX_SOCK" kill-server 2>/dev/null
	if [ -n "$WRK_PID" ]; then
		kill "$WRK_PID" 2>/dev/null
		wait "$WRK_PID" 2>/dev/null
	fi
	stop_fake
	fp_forget_prefix "$FAKE_PREFIX"
	(exit "$rc")
	it_cleanup
}
trap top_cleanup EXIT

# start_fake [fake_telemetry.py options]: waits (up to 5 s) until it answers.
start_fake() {
	"$FP_PY" "$IT_DIR/fake_telemetry.py" "$FAKE_PREFIX" "$@" &
	FAKE_PID=$!
	for _ in $(seq 50); do
		"$FP_PY" "$IT_DIR/fp_tel.py" "$FAKE_PREFIX" /info >/dev/null 2>&1 && return 0
		sleep 0.1
	done
	echo "fake telemetry did not start"
	return 1
}

# top_in_tmux COLUMNS LINES [fastpath-top options]: runs it in a detached
# session of that size; its status goes to $IT_TMP/top.rc, stderr to top.err.
top_in_tmux() {
	local cols=$1 lines=$2
	shift 2
	rm -f "$IT_TMP/top.rc" "$IT_TMP/top.err"
	tmux -S "$TMUX_SOCK" -f /dev/null new-session -d -s "$TMUX_S" -x "$cols" -y "$lines" \
		"$(printf '%q ' "$TOP" "$@") 2>$IT_TMP/top.err; echo \$? >$IT_TMP/top.rc"
}
screen() { tmux -S "$TMUX_SOCK" capture-pane -p -t "$TMUX_S" 2>/dev/null; }
alive() { tmux -S "$TMUX_SOCK" has-session -t "$TMUX_S" 2>/dev/null; }
# top_gone SECONDS: waits for the session to end (fastpath-top exited).
top_gone() {
	for _ in $(seq $(($1 * 10))); do
		alive || return 0
		sleep 0.1
	done
	return 1
}
# screen_until SECONDS AWK-CONDITION: captures the screen into $IT_TMP/screen
# every 0.25 s until a line meets the condition.
screen_until() {
	for _ in $(seq $(($1 * 4))); do
		screen >"$IT_TMP/screen" || true
		awk "$2 { found = 1 } END { exit !found }" "$IT_TMP/screen" && return 0
		sleep 0.25
	done
	return 1
}
# row FILE FIRST-FIELD: the first line whose first field is that, fields
# separated by single spaces.
row() { awk -v k="$2" '$1 == k { $1 = $1; print; exit }' "$1"; }
# top_err MESSAGE [fastpath-top options]: it exits 1, prints nothing on
# stdout and just MESSAGE on stderr.
top_err() {
	local want=$1 rc=0
	shift
	"$TOP" "$@" >"$IT_TMP/out" 2>"$IT_TMP/err" || rc=$?
	check_eq "fastpath-top $*: status 1" 1 "$rc"
	check_eq "fastpath-top $*: nothing on stdout" "" "$(cat "$IT_TMP/out")"
	check_eq "fastpath-top $*: the message" "$want" "$(cat "$IT_TMP/err")"
}

# --- Against the fake: two workers, known numbers ---
check "the fake telemetry server starts" start_fake --workers 2
rc=0
"$TOP" -p "$FAKE_PREFIX" --once >"$IT_TMP/once" 2>"$IT_TMP/err" || rc=$?
sed 's/^/# /' "$IT_TMP/once"
check_eq "--once: status 0" 0 "$rc"
check_eq "--once: nothing on stderr" "" "$(cat "$IT_TMP/err")"
check_eq "--once: one frame" 1 "$(grep -c '^fastpath-top ' "$IT_TMP/once")"
check "--once: the header names the prefix" grep -q "^fastpath-top  prefix '$FAKE_PREFIX'  pid " \
	"$IT_TMP/once"
check "--once: workers, mbufs in use and requests/s" grep -q \
	"^workers 2  mbufs in use 1234  requests/s 7500  rx pps 30000  tx pps 27000 " "$IT_TMP/once"
check_eq "--once: lcore 1: queue, RX, TX, req/s, busy" "1 0 10000 9000 2500 30" \
	"$(row "$IT_TMP/once" 1 | cut -d' ' -f1-6)"
check_eq "--once: lcore 2: queue, RX, TX, req/s, busy" "2 1 20000 18000 5000 40" \
	"$(row "$IT_TMP/once" 2 | cut -d' ' -f1-6)"
check_eq "--once: totals" "total 30000 27000 7500" "$(row "$IT_TMP/once" total)"
check_eq "--once: connections" "CONNECTIONS 52" "$(row "$IT_TMP/once" CONNECTIONS)"
check_eq "--once: ESTABLISHED and FIN-WAIT-2" "ESTABLISHED 42 FIN-WAIT-2 0" \
	"$(row "$IT_TMP/once" ESTABLISHED)"
check_eq "--once: LAST-ACK and TIME-WAIT" "LAST-ACK 0 TIME-WAIT 7" \
	"$(row "$IT_TMP/once" LAST-ACK)"
# Six reasons are non-zero; with no earlier frame, the five largest totals.
drops() { sed -n '/^TOP DROPS/,$p' "$1" | awk 'NR > 1 { print $1 }' | paste -sd' '; }
check_eq "--once: the five largest drops, then the rest counted" \
	"eth_not_for_us tcp_out_of_window tcp_no_conn ipv4_bad_csum arp_not_for_us (1" \
	"$(drops "$IT_TMP/once")"

# Two frames: the second ranks drops by their increase, then by total.
rc=0
"$TOP" -p "$FAKE_PREFIX" -n 2 -i 0.5 >"$IT_TMP/two" 2>"$IT_TMP/err" || rc=$?
check_eq "-n 2: status 0" 0 "$rc"
check_eq "-n 2: two frames" 2 "$(grep -c '^fastpath-top ' "$IT_TMP/two")"
awk '/^fastpath-top / { n++ } n == 2' "$IT_TMP/two" >"$IT_TMP/second"
check_eq "-n 2: drops by increase, then total" \
	"tcp_no_conn eth_not_for_us tcp_out_of_window ipv4_bad_csum arp_not_for_us (1" \
	"$(drops "$IT_TMP/second")"
new=$(row "$IT_TMP/second" tcp_no_conn | cut -d' ' -f2)
check "-n 2: tcp_no_conn rose by about 200 in 0.5 s ($new)" \
	test "${new#+}" -ge 100 -a "${new#+}" -le 400
check_eq "-n 2: a reason that did not grow shows +0" "+0" \
	"$(row "$IT_TMP/second" tcp_out_of_window | cut -d' ' -f2)"

# A terminal of 30x6: lines cut, no crash; then grown to 120x40, then q.
top_in_tmux 30 6 -p "$FAKE_PREFIX"
check "30x6 terminal: the header is drawn" screen_until 5 '/^fastpath-top/'
check_eq "30x6 terminal: no line wider than 30" "" "$(awk 'length > 30' "$IT_TMP/screen")"
check "30x6 terminal: the key line at the bottom" grep -q '^q quit' "$IT_TMP/screen"
tmux -S "$TMUX_SOCK" resize-window -t "$TMUX_S" -x 120 -y 40 || true
check "resized to 120x40: the connection states are drawn" screen_until 5 '/TIME-WAIT/'
check "resized to 120x40: still running" alive
tmux -S "$TMUX_SOCK" send-keys -t "$TMUX_S" q || true
check "q: fastpath-top exits" top_gone 3
check_eq "q: status 0" 0 "$(cat "$IT_TMP/top.rc" 2>/dev/null)"

# Errors, each one line with status 1.
stop_fake
check "a fake that is not a fastpath starts" start_fake --no-fastpath
top_err "fastpath-top: no fastpath running with file prefix \
'$FAKE_PREFIX' (the DPDK process there does not answer /fastpath/lcores)" \
	-p "$FAKE_PREFIX" --once
stop_fake
check "a fake that goes away after 1.5 s starts" start_fake --lifetime 1.5
rc=0
"$TOP" -p "$FAKE_PREFIX" -i 0.2 -n 50 >/dev/null 2>"$IT_TMP/err" || rc=$?
check_eq "an instance that goes away: status 1" 1 "$rc"
check "an instance that goes away: says so ($(cat "$IT_TMP/err"))" \
	grep -q "^fastpath-top: fastpath with file prefix '$FAKE_PREFIX' went away" "$IT_TMP/err"
stop_fake
# A socket nobody listens on, as a killed process leaves it.
mkdir -p "/var/run/dpdk/$FAKE_PREFIX"
"$FP_PY" -c 'import socket as s, sys; s.socket(s.AF_UNIX, s.SOCK_SEQPACKET).bind(sys.argv[1])' \
	"/var/run/dpdk/$FAKE_PREFIX/dpdk_telemetry.v2"
top_err "fastpath-top: no fastpath running with file prefix \
'$FAKE_PREFIX' (nothing listens on /var/run/dpdk/$FAKE_PREFIX/dpdk_telemetry.v2)" \
	-p "$FAKE_PREFIX"
fp_forget_prefix "$FAKE_PREFIX"
bogus=fpt-bogus-$$
top_err "fastpath-top: no fastpath running with file prefix \
'$bogus' (no /var/run/dpdk/$bogus/dpdk_telemetry.v2)" -p "$bogus"

# --- Against fastpath under load ---
site=$IT_TMP/site
mkdir -p "$site"
head -c 1024 /dev/urandom >"$site/index.html"
cfg=$IT_TMP/http.ini
printf '[tcp]\ntime_wait_ms = 1000\n' >"$cfg"
it_start_tap --root "$site" -c "$cfg"
base_mbufs=$(tel /fastpath/stats mbufs_in_use)
base_conns=$(tel /fastpath/stats tcp_conns)
lcores=$(tel /fastpath/lcores | "$FP_PY" -c '
import json, sys
try:
    print(" ".join(sorted(json.load(sys.stdin), key=int)))
except (ValueError, TypeError):
    pass') || true
check "/fastpath/lcores names the worker lcores ($lcores)" test -n "$lcores"

rc=0
"$TOP" -p "$IT_PREFIX" --once >"$IT_TMP/once" 2>"$IT_TMP/err" || rc=$?
sed 's/^/# /' "$IT_TMP/once"
check_eq "fastpath, --once: status 0" 0 "$rc"
for lc in $lcores; do
	check "fastpath, --once: a row for lcore $lc" test -n "$(row "$IT_TMP/once" "$lc")"
done
check "fastpath, --once: the connection states" grep -q '^  SYN-RECEIVED ' "$IT_TMP/once"

# Keep-alive load for 10 s, bounded twice over.
nsx timeout 30 taskset -c 0 wrk -t1 -c8 -d10s --timeout 2s "http://$FP_IP/index.html" \
	>"$IT_TMP/wrk" 2>&1 &
WRK_PID=$!
top_in_tmux 120 40 -p "$IT_PREFIX"
first=${lcores%% *}
# The worker's row with a non-zero REQ/S (the fifth column).
check "under load: lcore $first shows requests per second" \
	screen_until 8 "\$1 == \"$first\" && \$5 > 0"
sed 's/^/# /' "$IT_TMP/screen"
check "under load: the header names the prefix" grep -q "^fastpath-top  prefix '$IT_PREFIX'" \
	"$IT_TMP/screen"
for lc in $lcores; do
	check "under load: a row for lcore $lc" test -n "$(row "$IT_TMP/screen" "$lc")"
done
req=$(row "$IT_TMP/screen" total | cut -d' ' -f4)
check "under load: total requests/s is not zero ($req)" test "${req:-0}" -gt 0
est=$(row "$IT_TMP/screen" ESTABLISHED | cut -d' ' -f2)
check "under load: connections in ESTABLISHED ($est)" test "${est:-0}" -ge 1
for s in SYN-RECEIVED FIN-WAIT-1 ESTABLISHED FIN-WAIT-2 CLOSE-WAIT CLOSING LAST-ACK TIME-WAIT; do
	check "under load: the connection states show $s" grep -q " $s  *[0-9]" "$IT_TMP/screen"
done
check "under load: the drops block" grep -q '^TOP DROPS' "$IT_TMP/screen"
tmux -S "$TMUX_SOCK" send-keys -t "$TMUX_S" q || true
check "q: fastpath-top exits" top_gone 3
check_eq "q: status 0" 0 "$(cat "$IT_TMP/top.rc" 2>/dev/null)"
check_eq "q: nothing on stderr" "" "$(cat "$IT_TMP/top.err" 2>/dev/null)"

rc=0
wait "$WRK_PID" || rc=$?
WRK_PID=""
sed 's/^/# /' "$IT_TMP/wrk"
check_eq "wrk ran to the end" 0 "$rc"

check "connections back to the baseline of $base_conns" it_stat_back_to tcp_conns "$base_conns" 10
check "mbufs in use back to the baseline of $base_mbufs" it_mbufs_back_to "$base_mbufs"

# fastpath stops while watched: fastpath-top says so and exits 1.
top_in_tmux 120 40 -p "$IT_PREFIX"
check "watching again" screen_until 5 '/^LCORE /'
check "SIGINT stops fastpath with status 0" it_stop_fastpath
check "fastpath stopped: fastpath-top exits" top_gone 8
check_eq "fastpath stopped: status 1" 1 "$(cat "$IT_TMP/top.rc" 2>/dev/null)"
check "fastpath stopped: says so ($(cat "$IT_TMP/top.err" 2>/dev/null))" \
	grep -q "^fastpath-top: fastpath with file prefix '$IT_PREFIX' went away" "$IT_TMP/top.err"
