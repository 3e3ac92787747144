#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The fastpath authors
#
# The process's life: SIGTERM drains (a large download in flight completes,
# an idle keep-alive connection is closed with a FIN, new connections get a
# RST) and exits 0; a second SIGINT exits at once with 130; start-up
# failures that need a namespace (queues the port lacks, a telemetry socket
# in use) exit 1 with one line.
. "$(dirname "$0")/lib.sh"

site=$IT_TMP/site
mkdir -p "$site"
echo hello >"$site/index.html"
# 6 MB at 2 MB/s: about 3 s, well inside the drain time.
head -c 6000000 /dev/urandom >"$site/big.bin"
cfg=$IT_TMP/life.ini
cat >"$cfg" <<'EOF'
[tcp]
time_wait_ms = 1000

[shutdown]
drain_s = 15
EOF
URL=http://$FP_IP

# it_wait_exit SECONDS: waits for fastpath to exit and sets EXIT to its
# status, or to "running" if it did not. Not in a subshell: only the
# shell that started it can wait for it.
it_wait_exit() {
	EXIT=0
	for _ in $(seq $(($1 * 10))); do
		kill -0 "$IT_PID" 2>/dev/null || break
		sleep 0.1
	done
	if kill -0 "$IT_PID" 2>/dev/null; then
		EXIT=running
		return
	fi
	wait "$IT_PID" || EXIT=$?
	IT_PID=""
}

# wait_est N: waits (up to 5 s) for N established connections; prints how
# many there were last.
wait_est() {
	local est=""
	for _ in $(seq 50); do
		est=$(tel /fastpath/tcp states.established)
		[ "$est" = "$1" ] && break
		sleep 0.1
	done
	echo "$est"
}

# it_restart: forget the previous run's runtime directory before the next.
it_restart() {
	fp_forget_prefix "$IT_PREFIX"
	ip netns del "$IT_NS"
	it_start_tap "$@"
}

# --- SIGTERM drains -------------------------------------------------------
it_start_tap --root "$site" -c "$cfg"

# slow_get.py reads at a set rate through a small receive buffer, so the
# download stays in flight on fastpath's side (curl's --limit-rate would let
# the kernel buffer megabytes of it at once).
slow_get() { nsx "$FP_PY" "$IT_DIR/slow_get.py" "$FP_IP" 80 "$@"; }
slow_get /big.bin 2000000 30 >"$IT_TMP/big.out" 2>&1 &
curl_pid=$!
# An idle keep-alive connection: answered once, then waiting for the server.
nsx "$FP_PY" - "$FP_IP" >"$IT_TMP/idle.out" 2>&1 <<'PY' &
import socket, sys, time
s = socket.create_connection((sys.argv[1], 80), timeout=20)
s.sendall(b"GET / HTTP/1.1\r\nHost: t\r\n\r\n")
got = b""
while b"hello\n" not in got:
    got += s.recv(4096)
print("answered")
sys.stdout.flush()
try:
    rest = s.recv(4096)
    print("eof" if rest == b"" else "data %r" % rest)
except ConnectionResetError:
    print("reset")
except socket.timeout:
    print("timeout")
PY
idle_pid=$!
for _ in $(seq 50); do grep -q answered "$IT_TMP/idle.out" && break; sleep 0.1; done
check_eq "two connections open before SIGTERM" 2 "$(wait_est 2)"
# it_diag: what both sides see, printed when a check above failed.
it_diag() {
	[ "$IT_FAILS" = 0 ] && return 0
	echo "--- diagnostics ($1)"
	nsx ss -tnoi 2>&1 | head -20 || true
	nsx ip neigh || true
	nsx nstat -az 2>/dev/null | grep -E "TcpExtTCPSynRetrans|TcpActiveOpens|TcpAttemptFails|TcpOutRsts|IpOutNoRoutes|TcpExtListenDrops" || true
	tel /fastpath/conns,8 || true
	tel /fastpath/drops | tr ',' '\n' | grep -v ': 0' || true
	tel /fastpath/lcores || true
	ps -eo pid,psr,pcpu,stat,comm --sort=-pcpu | head -8 || true
}
it_diag "before SIGTERM"

kill -TERM "$IT_PID"
for _ in $(seq 30); do grep -q "draining" "$IT_LOG" && break; sleep 0.1; done
check "fastpath says it is draining" grep -q "^fastpath: draining: refusing new connections" \
	"$IT_LOG"
# A new connection is refused with a RST, not left waiting.
out=$(nsx curl -sS --max-time 5 -o /dev/null "$URL/" 2>&1) && out=connected
check "a new connection during the drain is refused ($out)" grep -q "Couldn't connect" <<<"$out"
it_diag "during the drain"

wait "$idle_pid" || true
check_eq "the idle keep-alive connection is closed with a FIN" "answered eof" \
	"$(tr '\n' ' ' <"$IT_TMP/idle.out" | sed 's/ $//')"
wait "$curl_pid" || true
check_eq "the download in flight completes, whole" \
	"complete 6000000 $(sha256sum <"$site/big.bin" | cut -d' ' -f1)" "$(cat "$IT_TMP/big.out")"
it_wait_exit 20
check_eq "fastpath exits 0 after the drain" 0 "$EXIT"
check "it says it drained" grep -q "^fastpath: drained" "$IT_LOG"
check "it prints final counters" grep -q "^fastpath: final counters" "$IT_LOG"
check "the refused SYN is counted as tcp_draining" grep -Eq "^ +tcp_draining +1$" "$IT_LOG"
check "both keep-alive connections are counted as closed by the drain" \
	grep -Eq "^ +http_drain_closed +2$" "$IT_LOG"

# --- SIGTERM with nothing in flight exits at once ---------------------------
it_restart --root "$site" -c "$cfg"
start=$(date +%s%N)
kill -TERM "$IT_PID"
it_wait_exit 5
ms=$((($(date +%s%N) - start) / 1000000))
check_eq "idle SIGTERM exits 0" 0 "$EXIT"
check "idle SIGTERM exits within 1 s (${ms} ms)" test "$ms" -lt 1000

# --- A second SIGINT exits at once ------------------------------------------
it_restart --root "$site" -c "$cfg"
slow_get /big.bin 500000 30 >/dev/null 2>&1 &
curl_pid=$!
check_eq "the download is under way" 1 "$(wait_est 1)"
kill -INT "$IT_PID"
for _ in $(seq 30); do grep -q "draining" "$IT_LOG" && break; sleep 0.1; done
check "the first SIGINT drains" grep -q "^fastpath: draining" "$IT_LOG"
start=$(date +%s%N)
kill -INT "$IT_PID"
it_wait_exit 5
ms=$((($(date +%s%N) - start) / 1000000))
check_eq "the second SIGINT exits with 130" 130 "$EXIT"
check "it exits within 1 s of the second SIGINT (${ms} ms)" test "$ms" -lt 1000
check "it says it did not drain" grep -q "^fastpath: interrupted twice" "$IT_LOG"
kill "$curl_pid" 2>/dev/null || true
wait "$curl_pid" 2>/dev/null || true

# --- A drain that runs out of time resets what is left -----------------------
short=$IT_TMP/short.ini
printf '[shutdown]\ndrain_s = 1\n' >"$short"
eal_mem=$FP_EAL_MEM
FP_EAL_MEM="$FP_EAL_MEM --log-level=fastpath.tcp:debug"
it_restart --root "$site" -c "$short"
FP_EAL_MEM=$eal_mem
slow_get /big.bin 200000 30 >"$IT_TMP/cut.out" 2>&1 &
curl_pid=$!
check_eq "the download is under way" 1 "$(wait_est 1)"
it_diag "before a short drain"
kill -TERM "$IT_PID"
it_wait_exit 5
check_eq "a drain out of time still exits 0" 0 "$EXIT"
check "it says it reset the connection" \
	grep -q "^fastpath: drain time over: resetting 1 connection(s)" "$IT_LOG"
wait "$curl_pid" || true
check "the client sees the reset ($(cat "$IT_TMP/cut.out"))" grep -q "^reset after" \
	"$IT_TMP/cut.out"
check "fastpath.tcp:debug logs the reset" \
	grep -Eq "^fastpath.tcp: $PEER_IP:[0-9]+ > 80: reset at shutdown in ESTABLISHED" "$IT_LOG"

# --- Start-up failures in a namespace -------------------------------------
it_restart --root "$site" -c "$cfg"
# The same --file-prefix twice: the first instance keeps running.
# shellcheck disable=SC2086
err=$(nsx "$FP_BIN" --no-pci $FP_EAL_MEM --lcores=0@0,1@1 --file-prefix="$IT_PREFIX" \
	--vdev=net_tap1,iface=fp1 -- --ip "$FP_IP/24" 2>&1 >/dev/null) && rc=0 || rc=$?
check_eq "a telemetry socket in use: status 1" 1 "$rc"
check_eq "a telemetry socket in use: one line" \
	"fastpath: telemetry socket /var/run/dpdk/$IT_PREFIX/dpdk_telemetry.v2 is in use by another DPDK process: give this one its own --file-prefix" \
	"$err"
check "the first instance still answers" nsx curl -sf --max-time 5 -o /dev/null "$URL/"
it_stop_fastpath

# Two workers on a port with one queue pair.
fp_forget_prefix "$IT_PREFIX"
nsx ip link add fpk0 type veth peer name fpd0
nsx ip link set fpd0 up
nsx ip link set fpk0 up
# shellcheck disable=SC2086
err=$(nsx "$FP_BIN" --no-pci $FP_EAL_MEM --lcores=0@0,1@1,2@1 --file-prefix="$IT_PREFIX" \
	--vdev=net_af_packet0,iface=fpd0,qpairs=1 -- --ip "$FP_IP/24" 2>&1 >/dev/null) &&
	rc=0 || rc=$?
check_eq "queues the port lacks: status 1" 1 "$rc"
check_eq "queues the port lacks: one clear last line" \
	"fastpath: port 0 (net_af_packet): 2 workers need 2 queue pairs, it has 1 RX and 1 TX" \
	"$(tail -n 1 <<<"$err")"
check_eq "queues the port lacks: fastpath says one line" 1 "$(grep -c '^fastpath: ' <<<"$err")"
