# shellcheck shell=bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The fastpath authors
#
# Helpers for the integration tests. Each test sources this, calls
# it_start_tap or it_start_af_packet, and everything it made (process,
# namespace, runtime directory) goes away on exit, pass or fail.

set -euo pipefail
IT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
. "$IT_DIR/../../scripts/lib/common.sh"
. "$IT_DIR/assert.sh"

FP_BIN=${FP_BIN:?FP_BIN must name the fastpath binary}
IT_NS=fpt-$$
IT_PREFIX=fpt-$$
IT_LOG=$(mktemp "/tmp/fastpath-$IT_NAME.XXXXXX.log")
IT_PID=""
FP_IP=198.18.0.2
PEER_IP=198.18.0.1

[ "$(id -u)" = 0 ] || { echo "SKIP: $IT_NAME needs root (network namespaces)"; exit 77; }
if [ -z "${FP_EAL_MEM+x}" ]; then
	fp_hugepages 2>/dev/null
fi

# IT_KEEP_LOG=1 keeps the fastpath log of a passing test too.
it_cleanup() {
	local rc=$?
	trap '' INT TERM HUP
	trap - EXIT
	it_stop_fastpath || true
	ip netns del "$IT_NS" 2>/dev/null || true
	fp_forget_prefix "$IT_PREFIX"
	rm -rf "${IT_TMP:-}"
	[ "$rc" = 0 ] || fail "the test stopped early (status $rc)"
	if [ "$rc" != 0 ] || [ "$IT_FAILS" != 0 ]; then
		echo "--- fastpath log ($IT_LOG) ---"
		tail -40 "$IT_LOG" || true
		[ "$rc" != 0 ] || rc=1
	else
		[ -n "${IT_KEEP_LOG:-}" ] || rm -f "$IT_LOG"
	fi
	it_summary
	exit "$rc"
}
trap it_cleanup EXIT
# A meson timeout or Ctrl-C still removes what the test made.
trap 'exit 130' INT TERM HUP
# Scratch space for the test's files (a site to serve, a config), removed on exit.
IT_TMP=$(mktemp -d "/tmp/fastpath-$IT_NAME.XXXXXX.d")

nsx() { ip netns exec "$IT_NS" "$@"; }

# it_json FILE KEY.PATH: a value of a JSON file (the dots walk into objects).
it_json() {
	python3 -c 'import json, sys
v = json.load(open(sys.argv[1]))
for k in sys.argv[2].split("."):
    v = v[k]
print(v)' "$1" "$2"
}

# Telemetry: tel COMMAND [KEY.PATH]
tel() { python3 "$IT_DIR/fp_tel.py" "$IT_PREFIX" "$@"; }

# curl in the namespace, bounded; the options come first.
c() { nsx curl -sS --max-time 10 "$@"; }
# hdr FILE NAME: the value of header NAME in the headers curl -D wrote.
hdr() { tr -d '\r' <"$1" | sed -n "s/^$2: //Ip" | head -1; }
# status FILE: the status code in the headers curl -D wrote.
status() { head -1 "$1" | tr -d '\r' | cut -d' ' -f2; }

it_make_ns() {
	ip netns add "$IT_NS"
	nsx ip link set lo up
}

# it_launch VDEV [fastpath options...]: starts fastpath in the namespace, in
# the background; it_wait_serving then waits for it.
it_launch() {
	local vdev=$1
	shift
	# shellcheck disable=SC2086
	ip netns exec "$IT_NS" "$FP_BIN" --no-pci $FP_EAL_MEM --lcores="${IT_LCORES:-0@0,1@1}" \
		--file-prefix="$IT_PREFIX" --vdev="$vdev" -- --ip "$FP_IP/24" "$@" \
		>"$IT_LOG" 2>&1 &
	IT_PID=$!
}

it_wait_serving() {
	for _ in $(seq 150); do
		grep -Eq "^[a-z-]+: serving" "$IT_LOG" && return 0
		kill -0 "$IT_PID" 2>/dev/null || break
		sleep 0.1
	done
	echo "fastpath did not start"
	return 1
}

# The MAC fastpath reports for its port.
fp_mac() { sed -n 's/.*(MAC \([0-9A-Fa-f:]*\)).*/\1/p' "$IT_LOG" | head -1 | tr 'A-F' 'a-f'; }

it_start_tap() {
	it_make_ns
	it_launch net_tap0,iface=fp0 "$@"
	fp_wait_iface fp0 15 "$IT_NS" || { echo "no tap interface"; return 1; }
	nsx ip addr add "$PEER_IP/24" dev fp0
	nsx ip link set fp0 up

	it_wait_serving
}

# The namespace, and a veth pair in it: fpd0 for a DPDK port (no address of
# the kernel's), fpk0 the kernel's end at PEER_IP.
it_af_packet_veth() {
	it_make_ns
	nsx ip link add fpk0 type veth peer name fpd0
	# The DPDK side has no address: only fastpath answers for 198.18.0.2.
	nsx sysctl -qw net.ipv6.conf.fpd0.disable_ipv6=1
	nsx ip link set fpd0 up
	nsx ip addr add "$PEER_IP/24" dev fpk0
	# The kernel leaves TCP checksums to the veth "hardware" (CHECKSUM_PARTIAL),
	# which never fills them in on the way to a packet socket: fastpath would
	# drop every segment as tcp_bad_csum. Make the kernel side compute them.
	nsx ethtool -K fpk0 tx off >/dev/null
	nsx ip link set fpk0 up
}

it_start_af_packet() {
	it_af_packet_veth
	it_launch net_af_packet0,iface=fpd0,blocksz=4096,framesz=2048,framecnt=512,qpairs=1 \
		"$@"

	it_wait_serving
}

# Stops fastpath with SIGINT and checks that it exits 0 within 10 s.
it_stop_fastpath() {
	local rc=0
	[ -n "$IT_PID" ] || return 0
	fp_stop_pid "$IT_PID" 10 || rc=$?
	IT_PID=""
	[ "$rc" != 137 ] || echo "fastpath ignored SIGINT for 10 s"
	return "$rc"
}

# it_stat_back_to KEY BASE [SECONDS]: waits (up to 3 s by default) for the
# stats value KEY (e.g. tcp_conns) to come back to BASE.
it_stat_back_to() {
	local key=$1 base=$2 secs=${3:-3} now=""
	for _ in $(seq $((secs * 10))); do
		now=$(tel /fastpath/stats "$key")
		[ "$now" = "$base" ] && return 0
		sleep 0.1
	done
	echo "$key: $now, baseline $base"
	return 1
}

# Waits (up to 3 s) for mbufs in use to come back to $1.
it_mbufs_back_to() { it_stat_back_to mbufs_in_use "$1" 3; }

# ping_ok COUNT SIZE: COUNT echoes of SIZE bytes, all answered.
ping_ok() {
	local out
	out=$(nsx ping -c "$1" -s "$2" -i 0.05 -W 2 "$FP_IP" 2>&1) || { echo "$out"; return 1; }
	echo "$out" | grep -q " 0% packet loss" || { echo "$out"; return 1; }
}
