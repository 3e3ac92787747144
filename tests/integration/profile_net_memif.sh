#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The fastpath authors
#
# drivers-cfg/net_memif.ini started with --profile. fastpath is the memif
# client; the server is a dpdk-testpmd in io forward mode that bridges the
# memif port to a tap fpm0 in the namespace, so the kernel there pings and
# curls fastpath over memif:
#
#   kernel (fpm0) <-> testpmd: net_tap0 <-> net_memif0 (server) <-> fastpath
#
# Two processes busy-poll the 2 CPUs, one each: testpmd's forwarding lcore
# on CPU 0, fastpath's worker on CPU 1.
. "$(dirname "$0")/lib.sh"
. "$IT_DIR/profile_lib.sh"

command -v dpdk-testpmd >/dev/null || profile_skip "no dpdk-testpmd (package dpdk-dev)"
sock=$(profile_vdev_arg net_memif socket)
[ -n "$sock" ] || { echo "drivers-cfg/net_memif.ini names no socket="; exit 1; }
check_eq "the profile's memif socket is a file, not abstract" no \
	"$(profile_vdev_arg net_memif socket-abstract)"
TP_PREFIX=fpt-tp-$$
TP_LOG=$IT_TMP/testpmd.log
TP_PID=""
FEED_PID=""

# The socket is a fixed path on the host: another run may be using it.
if [ -S "$sock" ]; then
	if "$FP_PY" -c 'import socket,sys; s=socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
s.connect(sys.argv[1])' "$sock" 2>/dev/null; then
		echo "$sock is in use by another memif server"
		exit 1
	fi
	rm -f "$sock"	# left by a server that died
fi
sockdir=$(dirname "$sock")
if [ ! -d "$sockdir" ]; then
	mkdir -p "$sockdir"
	profile_undo "rmdir '$sockdir' 2>/dev/null"
fi

# tp_cmd LINE: one command to testpmd's prompt (bounded: writing to a FIFO
# with no reader would block).
# shellcheck disable=SC2016 # expanded by the inner sh
tp_cmd() { timeout 5 sh -c 'printf "%s\n" "$1" >"$2"' tp_cmd "$1" "$IT_TMP/tp.in"; }

# tp_quiet: stops testpmd's forwarding, and waits (up to 5 s) for the
# statistics it prints then. Run before fastpath leaves: DPDK 22.11's memif
# unmaps the rings when the peer disconnects, under a forwarding lcore that
# may still be polling them, and testpmd crashes now and then.
tp_quiet() {
	[ -n "$TP_PID" ] && kill -0 "$TP_PID" 2>/dev/null || return 0
	tp_cmd stop || return 0
	for _ in $(seq 50); do
		grep -q 'Accumulated forward statistics' "$TP_LOG" && return 0
		sleep 0.1
	done
}

# tp_stop: EOF on testpmd's stdin (it closes its ports and exits), SIGINT
# after 10 s; then its runtime files and the socket.
tp_stop() {
	local rc=0
	[ -z "$FEED_PID" ] || kill "$FEED_PID" 2>/dev/null
	FEED_PID=""
	if [ -n "$TP_PID" ]; then
		for _ in $(seq 100); do kill -0 "$TP_PID" 2>/dev/null || break; sleep 0.1; done
		fp_stop_pid "$TP_PID" 5 >/dev/null 2>&1 || rc=$?
		TP_PID=""
	fi
	fp_forget_prefix "$TP_PREFIX"
	rm -f "$sock"
	return "$rc"
}
profile_prestop tp_quiet
profile_undo tp_stop

it_make_ns
# testpmd reads commands from the FIFO and exits at EOF. A bounded sleep
# holds it open, so testpmd stops by itself even if this script is killed;
# tp_cmd writes through it. Line-buffered, its log shows progress at once.
mkfifo "$IT_TMP/tp.in"
tp_mem=""
[ -z "$FP_EAL_MEM" ] || tp_mem="--no-huge -m 256"
# shellcheck disable=SC2086
ip netns exec "$IT_NS" stdbuf -oL dpdk-testpmd --no-pci $tp_mem --file-prefix="$TP_PREFIX" \
	--no-telemetry --lcores=0@1,1@0 \
	--vdev="net_memif0,role=server,id=0,socket=$sock,socket-abstract=no" \
	--vdev=net_tap0,iface=fpm0 \
	-- -i --auto-start --disable-link-check --forward-mode=io --port-topology=paired \
	--nb-cores=1 --total-num-mbufs=8192 <"$IT_TMP/tp.in" >"$TP_LOG" 2>&1 &
TP_PID=$!
sleep 150 >"$IT_TMP/tp.in" &
FEED_PID=$!

# The client must connect after the server's port has started: the server
# turns away ("ID not found") a client that comes earlier, even though its
# socket already listens, and the client does not try again. The prompt
# comes after the ports have started.
ready=""
for _ in $(seq 150); do
	if grep -q '^testpmd> ' "$TP_LOG" && [ -S "$sock" ]; then ready=1; break; fi
	kill -0 "$TP_PID" 2>/dev/null || break
	sleep 0.1
done
if [ -z "$ready" ]; then
	echo "testpmd did not start forwarding on $sock"
	tail -20 "$TP_LOG"
	exit 1
fi
fp_wait_iface fpm0 15 "$IT_NS" || { echo "no tap fpm0 from testpmd"; exit 1; }
nsx sysctl -qw net.ipv6.conf.fpm0.disable_ipv6=1
nsx ip addr add "$PEER_IP/24" dev fpm0
nsx ip link set fpm0 up

profile_launch net_memif
it_wait_serving
# The memif link comes up once the two have exchanged their regions.
link=""
for _ in $(seq 50); do
	link=$(tel /ethdev/link_status,0 status || true)
	[ "$link" = UP ] && break
	sleep 0.1
done
check_eq "fastpath's memif link is up" UP "$link"

profile_smoke net_memif net_memif fpm0

# tp_count PORT DIR: the packets testpmd received (RX) or sent (TX) on PORT
# (0 memif, 1 tap) while forwarding, from the statistics "stop" prints.
tp_count() {
	local n
	n=$(sed -n "/Forward statistics for port $1 /,/^ *TX-packets/s/.*$2-packets: *\([0-9]*\).*/\1/p" \
		"$TP_LOG" | head -1)
	echo "${n:-0}"
}
tp_quiet
check "testpmd: frames in from fastpath over memif ($(tp_count 0 RX))" test "$(tp_count 0 RX)" -gt 0
check "testpmd: frames out to the tap ($(tp_count 1 TX))" test "$(tp_count 1 TX)" -gt 0
check "testpmd: frames in from the tap ($(tp_count 1 RX))" test "$(tp_count 1 RX)" -gt 0
check "testpmd: frames out to fastpath over memif ($(tp_count 0 TX))" test "$(tp_count 0 TX)" -gt 0
profile_stop net_memif
check "testpmd exits 0 after fastpath left" tp_stop
check "the memif socket is gone" test ! -e "$sock"
[ "$IT_FAILS" = 0 ] || { echo "--- testpmd log ---"; tail -30 "$TP_LOG"; }
