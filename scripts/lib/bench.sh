# shellcheck shell=bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The fastpath authors
#
# Shared by scripts/bench.sh, bench-loss.sh, bench-push.sh, bench-static.sh
# and bench-dpdk.sh: the client's and the kernel server's namespaces,
# fastpath on a vdev in the client's, nginx, and stopping what was started.
# Source it after lib/common.sh, with NS_C, NS_S, PREFIX, TMP, SERVER_CPU
# and CLIENT_CPU set; it keeps the PIDs it starts in PIDS and sets SERVER_IP.

PIDS=""

# Never put these in the background: "cs cmd &" forks a subshell, and $!
# would name it rather than the process to stop.
cs() { ip netns exec "$NS_C" "$@"; }
ss_() { ip netns exec "$NS_S" "$@"; }

tel() { "$FP_PY" "$FP_TOP/tests/integration/fp_tel.py" "$PREFIX" "$@"; }

# Stops what this script started, by PID: SIGINT (fastpath drains for up to
# 5 s, so give it 8), then SIGKILL.
stop_all() {
	local p
	for p in $PIDS; do fp_stop_pid "$p" 8 >/dev/null 2>&1 || true; done
	PIDS=""
}

# What the EXIT trap undoes: processes, namespaces, the DPDK prefix.
bench_teardown() {
	stop_all
	ip netns del "$NS_C" 2>/dev/null || true
	ip netns del "$NS_S" 2>/dev/null || true
	fp_forget_prefix "$PREFIX"
}

# Installs the EXIT trap of benchmark NAME: what the script's own
# bench_extra_cleanup undoes (when it defines one), bench_teardown, and the
# scratch folder TMP, kept when the run failed or BENCH_KEEP is set.
bench_traps() {
	BENCH_NAME=$1
	trap bench_exit EXIT
	trap 'exit 130' INT TERM HUP
}

bench_exit() {
	local rc=$?
	trap '' INT TERM HUP
	trap - EXIT
	! declare -F bench_extra_cleanup >/dev/null || bench_extra_cleanup
	bench_teardown
	if [ "$rc" = 0 ] && [ -z "${BENCH_KEEP:-}" ]; then
		rm -rf "$TMP"
	else
		fp_say "$BENCH_NAME: scratch files kept in $TMP"
	fi
	exit "$rc"
}

fresh_ns() {
	ip netns del "$NS_C" 2>/dev/null || true
	ip netns del "$NS_S" 2>/dev/null || true
	ip netns add "$NS_C"
	cs ip link set lo up
}

# With BENCH_NO_OFFLOADS set: no TSO, GSO or GRO on DEV in namespace NS, so
# every frame is at most an MTU.
bench_offloads() {
	[ -n "${BENCH_NO_OFFLOADS:-}" ] || return 0
	ip netns exec "$1" ethtool -K "$2" tso off gso off gro off >/dev/null 2>&1 || true
}

# Kernel servers: a veth pair, the server's end sv0 in its own namespace.
bench_kernel_ns() {
	fresh_ns
	ip netns add "$NS_S"
	ss_ ip link set lo up
	cs ip link add cv0 type veth peer name sv0
	cs ip link set sv0 netns "$NS_S"
	cs ip addr add 198.18.1.1/24 dev cv0
	ss_ ip addr add 198.18.1.2/24 dev sv0
	bench_offloads "$NS_C" cv0
	bench_offloads "$NS_S" sv0
	cs ip link set cv0 up
	ss_ ip link set sv0 up
	SERVER_IP=198.18.1.2
}

# fastpath on KIND tap, afp (net_af_packet) or afxdp (net_af_xdp), serving
# ROOT, with any further fastpath OPTIONS (e.g. -c FILE) after the profile's;
# the worker lcore on SERVER_CPU. The client's end is fpk0 (fp0 for tap).
# BENCH_FP_EAL: more EAL options (one given replaces the profile's options of
# its kind, e.g. a --vdev with deeper rings). Returns once it serves,
# non-zero if it does not.
bench_fastpath() {
	local kind=$1 root=$2 profile dev
	shift 2
	fresh_ns
	SERVER_IP=198.18.0.2
	case $kind in
	tap) profile=net_tap ;;
	afp|afxdp)
		profile=$([ "$kind" = afp ] && echo net_af_packet || echo net_af_xdp)
		dev=$([ "$kind" = afp ] && echo fpd0 || echo fpx0)
		cs ip link add fpk0 type veth peer name "$dev"
		cs sysctl -qw "net.ipv6.conf.$dev.disable_ipv6=1"
		cs ip link set "$dev" up
		cs ip addr add 198.18.0.1/24 dev fpk0
		# The port sees the client's frames before any checksum is
		# filled in.
		cs ethtool -K fpk0 tx off >/dev/null
		bench_offloads "$NS_C" fpk0
		bench_offloads "$NS_C" "$dev"
		cs ip link set fpk0 up
		;;
	*) fp_die "unknown fastpath port kind $kind" ;;
	esac
	# A private mount namespace keeps the af_xdp bpffs mount to this process.
	# shellcheck disable=SC2086
	ip netns exec "$NS_C" unshare --mount --propagation private -- sh -c \
		'mountpoint -q /sys/fs/bpf || mount -t bpf bpf /sys/fs/bpf 2>/dev/null; exec "$@"' sh \
		"$FP_BIN" --no-pci $FP_EAL_MEM --file-prefix="$PREFIX" \
		--lcores=0@$CLIENT_CPU,1@$SERVER_CPU ${BENCH_FP_EAL:-} \
		-- --profile "$profile" --ip 198.18.0.2/24 --root "$root" "$@" \
		>"$TMP/server.log" 2>&1 &
	PIDS="$PIDS $!"
	if [ "$kind" = tap ]; then
		fp_wait_iface fp0 15 "$NS_C" || return 1
		cs ip addr add 198.18.0.1/24 dev fp0
		cs ip link set fp0 up
	fi
	for _ in $(seq 150); do
		grep -Eq "^(fastpath|fp-example): serving" "$TMP/server.log" && return 0
		kill -0 "${PIDS##* }" 2>/dev/null || break
		sleep 0.1
	done
	grep -Eq "^(fastpath|fp-example): serving" "$TMP/server.log"
}

# CPU cost snapshot of the server LABEL: for fastpath (fastpath-*), busy TSC
# cycles; for a kernel server, the jiffies of its processes plus softirq on
# its CPU.
cpu_snap() {
	local label=$1 p t=0
	case $label in
	fastpath-*) tel /fastpath/stats busy_cycles ;;
	*)
		for p in $(server_pids); do
			t=$((t + $(awk '{print $14 + $15}' "/proc/$p/stat" 2>/dev/null || echo 0)))
		done
		echo $((t + $(awk -v c="cpu$SERVER_CPU" '$1 == c {print $8}' /proc/stat)))
		;;
	esac
}

# The server's processes: what we started (ip netns exec and taskset exec
# into it) and its children (nginx's worker). Threads count in their process.
server_pids() {
	local p
	for p in $PIDS; do
		echo "$p"
		pgrep -P "$p" 2>/dev/null || true
	done
}

# bench_start_nginx ROOT [HTTP] [MAIN]: nginx (nginx-light) serving ROOT on
# SERVER_IP:80 in the server's namespace, one worker on SERVER_CPU, no access
# log, keep-alive unbounded; its log in $TMP/server.log. HTTP replaces the
# http block's "default_type text/plain;" (types, gzip_static, ...), MAIN
# goes first (load_module). nginx's worker runs as www-data: ROOT must be
# reachable.
bench_start_nginx() {
	cat >"$TMP/nginx.conf" <<EOF
${3:-}
worker_processes 1;
daemon off;
pid $TMP/nginx.pid;
error_log $TMP/nginx-error.log;
events { worker_connections 4096; }
http {
	access_log off;
	keepalive_requests 100000000;
	${2:-default_type text/plain;}
	server { listen $SERVER_IP:80 backlog=4096; root $1; }
}
EOF
	ip netns exec "$NS_S" taskset -c "$SERVER_CPU" nginx -c "$TMP/nginx.conf" -p "$TMP" \
		>"$TMP/server.log" 2>&1 &
	PIDS="$PIDS $!"
}

# Waits up to 10 s for the server to answer GET PATH; non-zero if it does not.
bench_wait_http() {
	for _ in $(seq 100); do
		cs curl -sf --max-time 1 -o /dev/null "http://$SERVER_IP$1" && return 0
		sleep 0.1
	done
	return 1
}
