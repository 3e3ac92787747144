#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The fastpath authors
#
# fp-load against fastpath over net_memif, no kernel between them: fastpath
# is the memif server (worker on CPU 1), each fp-load run a client of its
# own (--file-prefix, worker on CPU 0) that comes and goes. For each mode
# the requests fp-load counted must be the server's http_requests, nothing
# may error, and the server's mbufs and connections come back to their
# baseline. Then what fp-load must count as errors: another status, a
# body of another length, a port that refuses, an address nobody answers.
IT_NAME=load_memif
. "$(dirname "$0")/lib.sh"

FP_LOAD_BIN=${FP_LOAD_BIN:?FP_LOAD_BIN must name the fp-load binary}
SOCK=$IT_TMP/memif.sock
LOAD_PREFIX=fpl-$$
LOAD_PID=""
LOAD_IP=198.18.0.1

load_cleanup() {
	[ -z "$LOAD_PID" ] || fp_stop_pid "$LOAD_PID" 5 >/dev/null 2>&1 || true
	fp_forget_prefix "$LOAD_PREFIX"
}
trap 'load_cleanup; it_cleanup' EXIT

mkdir -p "$IT_TMP/www"
head -c 1024 /dev/urandom >"$IT_TMP/www/k1.bin"
# No namespace traffic here (memif is shared memory), but the helpers
# expect one.
it_make_ns
# fastpath's worker alone on CPU 1, its main lcore (and so DPDK's control
# threads) on CPU 0: DPDK 22.11's memif unmaps the rings when a peer leaves,
# under a worker that may be inside a burst, and a worker descheduled there
# would fault. Each fp-load run leaves.
IT_LCORES=0@0,1@1 it_launch "net_memif0,role=server,id=0,socket=$SOCK,socket-abstract=no" \
	--profile net_memif --root "$IT_TMP/www"
it_wait_serving

# fpload NAME [fp-load options and URL]: one bounded run; its JSON in
# $IT_TMP/NAME.json, its output in $IT_TMP/NAME.out, its status in LOAD_RC.
fpload() {
	local name=$1
	shift
	LOAD_RC=0
	# shellcheck disable=SC2086
	timeout 60 "$FP_LOAD_BIN" --no-pci $FP_EAL_MEM --file-prefix="$LOAD_PREFIX" \
		--lcores=0@0,1@0 \
		--vdev="net_memif0,role=client,id=0,socket=$SOCK,socket-abstract=no" \
		-- --profile net_memif --ip "$LOAD_IP/24" --json "$IT_TMP/$name.json" "$@" \
		>"$IT_TMP/$name.out" 2>&1 &
	LOAD_PID=$!
	wait "$LOAD_PID" || LOAD_RC=$?
	LOAD_PID=""
	fp_forget_prefix "$LOAD_PREFIX"
}
# j NAME KEY.PATH: a value of run NAME's JSON.
j() { it_json "$IT_TMP/$1.json" "$2"; }
srv() { tel /fastpath/stats "$1"; }

# Connections not in TIME-WAIT: in close mode the server closes first and
# keeps each one in TIME-WAIT for [tcp] time_wait_ms, as it should.
live() { echo $(($(srv tcp_conns) - $(srv tcp_time_wait))); }
# live_back: waits (5 s at most) for them to come back to the baseline.
live_back() {
	local now=""
	for _ in $(seq 50); do
		now=$(live)
		[ "$now" = "$conns0" ] && return 0
		sleep 0.1
	done
	echo "connections not in TIME-WAIT: $now, baseline $conns0"
	return 1
}
mbufs0=$(srv mbufs_in_use)
conns0=$(live)

# clean NAME N: run NAME ended 0 with N requests, all answered and ok, as
# many as the server counted, and the server is back to its baseline.
clean() {
	local name=$1 n=$2 before=$3
	check_eq "$name: exit status" 0 "$LOAD_RC"
	[ "$LOAD_RC" = 0 ] || tail -20 "$IT_TMP/$name.out"
	check_eq "$name: requests sent" "$n" "$(j "$name" counters.requests)"
	check_eq "$name: responses ok" "$n" "$(j "$name" counters.ok)"
	check_eq "$name: no error" 0 "$(j "$name" errors_total)"
	check_eq "$name: the server's http_requests" "$n" $(($(srv http_requests) - before))
	check "$name: the server's connections back to their baseline" live_back
	check "$name: the server's mbufs back to their baseline" it_mbufs_back_to "$mbufs0"
}

before=$(srv http_requests)
busy0=$(srv busy_cycles)
port0=$(($(srv port_rx_cycles) + $(srv port_tx_cycles)))
fpload keepalive -c 32 -n 100000 -d 30 "http://$FP_IP/health"
clean keepalive 100000 "$before"
# The port's share of the busy cycles, on both sides: some, not all.
busy=$(($(srv busy_cycles) - busy0))
port=$(($(srv port_rx_cycles) + $(srv port_tx_cycles) - port0))
check "keepalive: the server's port cycles ($port) are part of its busy cycles ($busy)" \
	test "$port" -gt 0 -a "$port" -lt "$busy"
check "keepalive: fp-load's port cycles are part of its busy cycles" test \
	"$(j keepalive client_port_cycles)" -gt 0 -a \
	"$(j keepalive client_port_cycles)" -lt "$(j keepalive client_busy_cycles)"
check_eq "keepalive: 32 connections" 32 "$(j keepalive counters.connects)"
# fastpath's heads differ only when the Date moves: parsed once a second.
check "keepalive: heads read as the last one ($(j keepalive counters.heads_memo))" \
	test "$(j keepalive counters.heads_memo)" -ge 99000
check "keepalive: the text output has Requests/sec" grep -q '^Requests/sec: [0-9]' \
	"$IT_TMP/keepalive.out"

before=$(srv http_requests)
opens=$(srv tcp_passive_opens)
fpload close -c 16 -n 5000 -d 30 --close "http://$FP_IP/health"
clean close 5000 "$before"
check_eq "close: one connection per request at the server" 5000 \
	$(($(srv tcp_passive_opens) - opens))

before=$(srv http_requests)
fpload pipeline -c 8 -P 16 -n 40000 -d 30 --expect-length 1024 "http://$FP_IP/k1.bin"
clean pipeline 40000 "$before"
check_eq "pipeline: body bytes" $((40000 * 1024)) "$(j pipeline counters.body_bytes)"

before=$(srv http_requests)
fpload head -c 4 -n 2000 -d 30 -m HEAD --expect-length 0 "http://$FP_IP/k1.bin"
clean head 2000 "$before"

# Open loop: 20,000/s for 1 s is 20,000 requests due: sent, or left in the
# backlog when the client fell behind (a hiccup of this shared machine).
before=$(srv http_requests)
fpload open -c 16 -R 20000 -d 1 "http://$FP_IP/health"
n=$(j open counters.requests)
due=$((n + $(j open counters.backlog)))
check "open: 20,000 requests due in 1 s at -R 20000 ($n sent, $due due)" \
	test "$due" -ge 19999 -a "$due" -le 20001
check "open: at most a few hundred of them left in the backlog" test "$n" -ge 19700
clean open "$n" "$before"

# While it runs, /fastpath/load answers on fp-load's own telemetry socket.
fpload_bg() {
	# shellcheck disable=SC2086
	timeout 60 "$FP_LOAD_BIN" --no-pci $FP_EAL_MEM --file-prefix="$LOAD_PREFIX" \
		--lcores=0@0,1@0 --vdev="net_memif0,role=client,id=0,socket=$SOCK,socket-abstract=no" \
		-- --profile net_memif --ip "$LOAD_IP/24" -q "$@" >"$IT_TMP/bg.out" 2>&1 &
	LOAD_PID=$!
}
fpload_bg -c 4 -R 1000 -d 3 "http://$FP_IP/health"
phase="" sent=0
for _ in $(seq 40); do
	phase=$(python3 "$IT_DIR/fp_tel.py" "$LOAD_PREFIX" /fastpath/load phase 2>/dev/null || true)
	[ "$phase" = run ] && break
	sleep 0.1
done
sleep 0.5
sent=$(python3 "$IT_DIR/fp_tel.py" "$LOAD_PREFIX" /fastpath/load requests 2>/dev/null || echo 0)
check_eq "telemetry: /fastpath/load phase while it runs" run "$phase"
check "telemetry: /fastpath/load requests while it runs ($sent)" test "$sent" -gt 0
busy=$(python3 "$IT_DIR/fp_tel.py" "$LOAD_PREFIX" /fastpath/stats busy_cycles 2>/dev/null || echo 0)
check "telemetry: fp-load's /fastpath/stats busy_cycles ($busy)" test "$busy" -gt 0
rc=0
wait "$LOAD_PID" || rc=$?
LOAD_PID=""
fp_forget_prefix "$LOAD_PREFIX"
check_eq "telemetry run: exit status" 0 "$rc"

# Errors, each counted per request, and exit status 3.
fpload status -c 2 -n 100 -d 30 --expect-status 404 "http://$FP_IP/health"
check_eq "status: exit status 3" 3 "$LOAD_RC"
check_eq "status: every response counted as a status error" 100 "$(j status errors.status)"
check_eq "status: none ok" 0 "$(j status counters.ok)"
check "status: the text output names the error" grep -q 'status  *100' "$IT_TMP/status.out"

fpload length -c 2 -n 50 -d 30 --expect-length 1000 "http://$FP_IP/k1.bin"
check_eq "length: exit status 3" 3 "$LOAD_RC"
check_eq "length: body_length errors" 50 "$(j length errors.body_length)"

fpload notfound -c 1 -n 10 -d 30 "http://$FP_IP/no-such-file"
check_eq "404 without --expect-status: status errors" 10 "$(j notfound errors.status)"
check_eq "404: counted as 4xx" 10 "$(j notfound counters.status_4xx)"

# A port fastpath does not listen on: each SYN gets a RST.
fpload refused -c 2 -d 0.5 "http://$FP_IP:81/"
check_eq "refused: exit status 3" 3 "$LOAD_RC"
check "refused: refused counted ($(j refused errors.refused))" test "$(j refused errors.refused)" -gt 0
check_eq "refused: no request answered" 0 "$(j refused counters.responses)"

# Nobody answers ARP for .9: the run ends after --connect-timeout.
start=$(date +%s%N)
fpload unreachable -c 2 -d 30 --connect-timeout 300 "http://198.18.0.9/"
ms=$((($(date +%s%N) - start) / 1000000))
check_eq "unreachable: exit status 3" 3 "$LOAD_RC"
check_eq "unreachable: counted once" 1 "$(j unreachable errors.unreachable)"
check "unreachable: ends long before -d 30 (${ms} ms)" test "$ms" -lt 10000

# Bad command lines: status 2 and a message, before EAL.
rc=0
"$FP_LOAD_BIN" --no-pci -- -c 0 "http://$FP_IP/" >"$IT_TMP/bad.out" 2>&1 || rc=$?
check_eq "-c 0: exit status 2" 2 "$rc"
check "-c 0: says why" grep -q -- '--connections 0' "$IT_TMP/bad.out"
rc=0
"$FP_LOAD_BIN" --no-pci -- "http://example.org/" >"$IT_TMP/bad.out" 2>&1 || rc=$?
check_eq "a host name: exit status 2" 2 "$rc"
check "a host name: says there is no DNS" grep -q 'no DNS' "$IT_TMP/bad.out"

check "the server's connections back to their baseline at the end" live_back
check "the server's mbufs back to their baseline at the end" it_mbufs_back_to "$mbufs0"
check "fastpath stops cleanly" it_stop_fastpath
