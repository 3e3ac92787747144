#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The fastpath authors
#
# Installs what is missing, builds, and runs fastpath on a net_tap port in a
# network namespace of its own. Ctrl-C stops it and removes the namespace.
#
#   scripts/run.sh [-- fastpath options]
#
# The fast path is 198.18.0.2/24; the kernel side of the tap is 198.18.0.1/24.
# It serves the site in scripts/sample-site (another --root DIR after -- wins).
set -euo pipefail
. "$(dirname "$0")/lib/common.sh"

fp_prepare

NS=fp-run-$$
PREFIX=fp-run-$$
IFACE=fp0
LOG=$(mktemp /tmp/fastpath-run.XXXXXX.log)
[ "${1:-}" = "--" ] && shift
PID=""

cleanup() {
	# Bounded below (5 s, then SIGKILL), so a second Ctrl-C need not cut it short.
	trap '' INT TERM HUP
	trap - EXIT
	[ -z "$PID" ] || fp_stop_pid "$PID" 5 || true
	ip netns del "$NS" 2>/dev/null || true
	fp_forget_prefix "$PREFIX"
	echo "fastpath stopped; namespace $NS removed (log: $LOG)"
}
trap cleanup EXIT
trap 'exit 0' INT TERM HUP

ip netns add "$NS"
ip netns exec "$NS" ip link set lo up
# shellcheck disable=SC2086
# The net_tap profile gives the EAL arguments (--no-pci, the tap vdev, the
# lcores) and the port settings; options after it override it.
ip netns exec "$NS" "$FP_BIN" $FP_EAL_MEM --file-prefix="$PREFIX" \
	-- --profile net_tap --root "$FP_TOP/scripts/sample-site" "$@" \
	> >(trap '' INT TERM HUP; exec tee "$LOG") 2>&1 &
PID=$!

fp_wait_iface $IFACE 20 "$NS" || fp_die "fastpath did not create $IFACE; see $LOG"
ip netns exec "$NS" ip addr add 198.18.0.1/24 dev $IFACE
ip netns exec "$NS" ip link set $IFACE up
for _ in $(seq 100); do grep -q "serving" "$LOG" && break; sleep 0.1; done
grep -q "serving" "$LOG" || fp_die "fastpath did not start; see $LOG"

cat <<MSG

fastpath is running (PID $PID) on net_tap in network namespace $NS.
  ping it:      ip netns exec $NS ping -c 3 198.18.0.2
  ARP:          ip netns exec $NS arping -c 3 -i $IFACE 198.18.0.2
  HTTP:         ip netns exec $NS curl http://198.18.0.2/
  telemetry:    echo /fastpath/stats | dpdk-telemetry.py -f $PREFIX
                (or interactively: dpdk-telemetry.py -f $PREFIX, then /fastpath/lcores,
                /fastpath/tcp, /fastpath/http, /fastpath/drops, /fastpath/conns,10 ...)
  live view:    $FP_TOP/scripts/fastpath-top -p $PREFIX
  capture:      $FP_TOP/scripts/fastpath-dumpcap --file-prefix=$PREFIX -i net_tap0 \\
                    -w /tmp/fastpath.pcapng -c 100
Press Ctrl-C to stop: it drains connections for up to 5 s (Ctrl-C again stops at once).

MSG
wait "$PID" || true
PID=""
