#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The fastpath authors
#
# fp-load against a kernel server that answers wrongly on purpose
# (bad_http_server.py, one way per path), over net_af_packet on a veth pair
# in a namespace: fp-load finds the kernel's MAC by ARP, and every wrong
# answer must be counted under its own error, with exit status 3; the right
# ones (chunked, a body ended by the close, a 103 before the 200) count
# none.
IT_NAME=load_errors
. "$(dirname "$0")/lib.sh"

FP_LOAD_BIN=${FP_LOAD_BIN:?FP_LOAD_BIN must name the fp-load binary}
LOAD_PREFIX=fpl-$$
SRV_PID=""
SRV_PORT=8080
LOAD_IP=198.18.0.2

load_cleanup() {
	[ -z "$SRV_PID" ] || fp_stop_pid "$SRV_PID" 5 >/dev/null 2>&1 || true
	fp_forget_prefix "$LOAD_PREFIX"
}
trap 'load_cleanup; it_cleanup' EXIT

it_af_packet_veth
# Not nsx: its PID must be the server's, to stop it.
ip netns exec "$IT_NS" python3 "$IT_DIR/bad_http_server.py" "$PEER_IP" "$SRV_PORT" \
	>"$IT_TMP/server.log" 2>&1 &
SRV_PID=$!
for _ in $(seq 50); do
	nsx python3 -c 'import socket,sys; socket.create_connection((sys.argv[1], int(sys.argv[2])), 1)' \
		"$PEER_IP" "$SRV_PORT" 2>/dev/null && break
	sleep 0.1
done

# fpload NAME PATH [fp-load options]: one connection, a few requests, over
# VDEV (net_af_packet unless set). A private mount namespace keeps the
# bpffs mount that net_af_xdp wants to this process.
VDEV=net_af_packet0,iface=fpd0,blocksz=4096,framesz=2048,framecnt=512,qpairs=1
fpload() {
	local name=$1 path=$2
	shift 2
	LOAD_RC=0
	# shellcheck disable=SC2086,SC2016
	ip netns exec "$IT_NS" unshare --mount --propagation private -- sh -c \
		'mountpoint -q /sys/fs/bpf || mount -t bpf bpf /sys/fs/bpf 2>/dev/null; exec "$@"' \
		sh timeout 60 "$FP_LOAD_BIN" --no-pci $FP_EAL_MEM \
		--file-prefix="$LOAD_PREFIX" --lcores=0@0,1@0 --vdev="$VDEV" \
		-- --profile net_af_packet --ip "$LOAD_IP/24" -c 1 -d 10 --timeout 500 \
		--json "$IT_TMP/$name.json" "$@" "http://$PEER_IP:$SRV_PORT$path" \
		>"$IT_TMP/$name.out" 2>&1 || LOAD_RC=$?
	fp_forget_prefix "$LOAD_PREFIX"
}
j() { it_json "$IT_TMP/$1.json" "$2"; }

# good PATH N BODY: N requests, all ok, exit 0, BODY body bytes each.
# LABEL (e.g. "af_xdp ") tells runs of the same path apart.
good() {
	local path=$1 n=$2 body=$3 name
	name=$(echo "${LABEL:-}$path" | tr -d '/ ')
	fpload "$name" "$path" -n "$n"
	check_eq "${LABEL:-}$path: exit status" 0 "$LOAD_RC"
	[ "$LOAD_RC" = 0 ] || tail -15 "$IT_TMP/$name.out"
	check_eq "${LABEL:-}$path: ok" "$n" "$(j "$name" counters.ok)"
	check_eq "${LABEL:-}$path: body bytes" $((n * body)) "$(j "$name" counters.body_bytes)"
}
good /ok 20 5
good /chunked 20 5
good /eof 3 5
good /interim 5 5
check_eq "/interim: the 103s skipped" 5 "$(j interim counters.interim)"
check "/ok: the server's MAC came by ARP (a connection opened)" \
	test "$(j ok counters.connects)" -ge 1

# The same over net_af_xdp on the same veth end (copy mode, the PMD's own
# XDP program); fastpath's steering program would refuse it.
VDEV=net_af_xdp0,iface=fpd0,start_queue=0,queue_count=1
LABEL="af_xdp " good /chunked 20 5
VDEV="$VDEV,xdp_prog=/nonexistent.o"
fpload xdpprog /ok -n 1
check_eq "net_af_xdp with xdp_prog=: refused, status 2" 2 "$LOAD_RC"
check "net_af_xdp with xdp_prog=: says why" grep -q 'xdp_prog=' "$IT_TMP/xdpprog.out"
VDEV=net_af_packet0,iface=fpd0,blocksz=4096,framesz=2048,framecnt=512,qpairs=1

# bad PATH ERROR [fp-load options]: exit 3, ERROR counted, nothing ok.
bad() {
	local path=$1 err=$2 name n
	shift 2
	name=$(echo "$path" | tr -d /)
	fpload "$name" "$path" "$@"
	n=$(j "$name" "errors.$err")
	check_eq "$path: exit status 3" 3 "$LOAD_RC"
	check "$path: counted as $err ($n)" test "$n" -ge 1
	check_eq "$path: nothing ok" 0 "$(j "$name" counters.ok)"
	check "$path: the text output names $err" grep -q "^ *$err " "$IT_TMP/$name.out"
}
bad /badcl bad_framing -n 2
bad /clte bad_framing -n 2
bad /garbage bad_head -n 2
bad /short truncated -n 2
bad /badchunk bad_chunk -n 2
bad /silent timeout -n 1
bad /reset reset -n 2
bad /close closed_early -n 2
bad /bighead head_too_large -n 1
# The junk after the only answer comes when no request is in flight.
fpload extra /extra -n 1
check_eq "/extra: exit status 3" 3 "$LOAD_RC"
check_eq "/extra: the answer itself ok" 1 "$(j extra counters.ok)"
check_eq "/extra: the junk after it counted as unsolicited" 1 "$(j extra errors.unsolicited)"

# The server gone: its SYNs get RSTs from the kernel.
fp_stop_pid "$SRV_PID" 5 >/dev/null 2>&1 || true
SRV_PID=""
fpload refused /ok -d 0.3
check_eq "no server: exit status 3" 3 "$LOAD_RC"
check "no server: refused counted" test "$(j refused errors.refused)" -ge 1
