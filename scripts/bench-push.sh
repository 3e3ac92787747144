#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The fastpath authors
#
# Push: fastpath's channel fan-out ([channel /live/], publish = both) against
# Node.js + ws doing the same broadcast (scripts/bench/push_node.js), in one
# run. N WebSocket subscribers and one WebSocket publisher on /live/bench
# (scripts/bench/pushclient.go, on CPU 0); the server on CPU 1 (fastpath's
# worker lcore, or node under taskset), in namespaces and veths of this
# script's own (198.18.0.0/15). The publisher sends M = D / N messages of
# 100 bytes (at least 300: --min-messages), each holding its send time, at
# most W messages ahead of the slowest subscriber (W = 163840 / N, from 2
# to 32: --window).
#
#   scripts/bench-push.sh [--smoke] [--out DIR] [--subs "100 1000 10000"]
#                         [--deliveries D] [--window W|auto] [--ring FRAMES]
#                         [--min-messages M]
#                         [--servers "fastpath-afxdp fastpath-afp fastpath-tap
#                                    node"]
#                         [--client-rps]
#
# Per server and N: delivered messages/s, the server's CPU cycles per
# delivered message (fastpath: its worker's busy TSC cycles from telemetry;
# node: utime + stime of its process, at the TSC rate), delivered messages
# per second of server CPU time, latency p50/p99, messages a subscriber never
# got, and where both CPUs' time went. D defaults to 1,000,000 deliveries.
# --ring: the depth of the port's queue towards fastpath (af_packet's
# framecnt, the tap's txqueuelen; 0 keeps the profile's). Results: push.json,
# push.csv, push.md and push.png in --out (default docs/bench). fastpath is
# FP_BIN, or FP_BUILD's (default build-release, -Dbuildtype=release).
# --client-rps: the client's receive runs on the client's CPU (RPS on its
# interface), not on the server's, where veth and the tap run it by default.
# --smoke: fastpath-afp and node, N = 100 and 1,000, 200,000 deliveries each,
# results in a scratch folder; the test command runs it so the harness keeps
# working. Each client run is bounded (60 s + N / 200 s), and so is every
# wait.
set -euo pipefail
FP_BUILD=${FP_BUILD:-$(cd "$(dirname "$0")/.." && pwd)/build-release}
. "$(dirname "$0")/lib/common.sh"

SMOKE=""
OUT=""
SUBS="100 1000 10000"
DELIV=1000000
WINDOW=auto
MIN_MSGS=300
RING=0
CLIENT_RPS=""
SERVERS="fastpath-afxdp fastpath-afp fastpath-tap node"
while [ $# -gt 0 ]; do
	case $1 in
	--smoke) SMOKE=1 ;;
	--out) OUT=$2; shift ;;
	--subs) SUBS=$2; shift ;;
	--deliveries) DELIV=$2; shift ;;
	--window) WINDOW=$2; shift ;;
	--min-messages) MIN_MSGS=$2; shift ;;
	--ring) RING=$2; shift ;;
	--servers) SERVERS=$2; shift ;;
	--client-rps) CLIENT_RPS=1 ;;
	-h|--help) sed -n '4,36p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
	*) fp_die "unknown option $1 (see --help)" ;;
	esac
	shift
done
if [ -n "$SMOKE" ]; then
	SUBS="100 1000"
	DELIV=200000
	MIN_MSGS=20
	SERVERS="fastpath-afp node"
fi

if [ -z "${FP_BIN:-}" ] && [ ! -f "$FP_BUILD/build.ninja" ]; then
	fp_need_root
	fp_install_deps
	meson setup "$FP_BUILD" "$FP_TOP" -Dwerror=true -Dbuildtype=release >&2 ||
		fp_die "meson setup failed"
fi
fp_prepare_bench
for t in go node gnuplot taskset ss; do
	command -v "$t" >/dev/null || fp_die "$t is missing after the install"
done
NODE_PATH=/usr/share/nodejs
[ -f "$NODE_PATH/ws/package.json" ] || fp_die "node-ws is missing after the install"

BENCH_DIR=$FP_TOP/scripts/bench
TMP=$(mktemp -d /tmp/fastpath-bench-push.XXXXXX)
[ -n "$OUT" ] || OUT=$([ -n "$SMOKE" ] && echo "$TMP/out" || echo "$FP_TOP/docs/bench")
mkdir -p "$OUT"
RESULTS=$TMP/push.jsonl
: >"$RESULTS"
NS_C=fpp-c-$$
NS_S=fpp-s-$$
PREFIX=fpp-$$
SERVER_CPU=1
CLIENT_CPU=0
CLIENT_PID=""
. "$FP_TOP/scripts/lib/bench.sh"

bench_extra_cleanup() {
	[ -z "$CLIENT_PID" ] || fp_stop_pid "$CLIENT_PID" 2 >/dev/null 2>&1 || true
	rm -rf "$TMP/gocache" "$TMP/gopath" "$TMP/www"
}
bench_traps bench-push

# 10,000 subscribers are 10,001 sockets in the client and in node.
want_fds=$((${SUBS##* } + 1000))
for s in $SUBS; do [ "$s" -lt "$want_fds" ] || want_fds=$((s + 1000)); done
hard=$(ulimit -Hn)
[ "$hard" = unlimited ] || [ "$hard" -ge "$want_fds" ] || ulimit -Hn "$want_fds" 2>/dev/null || true
ulimit -n "$want_fds" 2>/dev/null || ulimit -n "$(ulimit -Hn)"
FDS=$(ulimit -n)

(cd "$BENCH_DIR" && GOCACHE=$TMP/gocache GOPATH=$TMP/gopath GO111MODULE=off \
	go build -o "$TMP/pushclient" pushclient.go) || fp_die "go build failed"
mkdir -p "$TMP/www"

# fastpath's side: one worker, room for every subscriber, no history and no
# heartbeats; backlog and send-queue pieces for --window messages in flight
# to each of 10,000 subscribers.
cat >"$TMP/push.ini" <<EOF
[tcp]
max_conns = 32768
time_wait_ms = 1000
tx_pieces = 2097152
[http]
contexts = 16384
[log]
summary_s = 0
[channel /live/]
publish = both
max_message = 1024
backlog = 1048576
history = 0
heartbeat_ms = 0
frames = 8192
EOF

# Kernel servers: the veth pair, and what many connections need.
kernel_ns() {
	bench_kernel_ns
	ss_ sysctl -qw net.core.somaxconn=4096 net.ipv4.tcp_max_syn_backlog=4096
	cs sysctl -qw net.ipv4.ip_local_port_range="1024 65000"
}

start_node() {
	kernel_ns
	ip netns exec "$NS_S" env NODE_PATH="$NODE_PATH" taskset -c $SERVER_CPU \
		node "$BENCH_DIR/push_node.js" "$SERVER_IP" 80 >"$TMP/server.log" 2>&1 &
	PIDS="$PIDS $!"
	for _ in $(seq 100); do
		grep -q "listening" "$TMP/server.log" && return 0
		sleep 0.1
	done
	return 1
}

# The server's CPU so far: fastpath's busy TSC cycles, node's utime + stime
# in clock ticks.
cpu_snap() {
	case $1 in
	fastpath-*) tel /fastpath/stats busy_cycles ;;
	*) awk '{print $14 + $15}' "/proc/${PIDS##* }/stat" ;;
	esac
}

# softirq ticks on the server's CPU (for the record: not in node's figure).
softirq_snap() { awk -v c="cpu$SERVER_CPU" '$1 == c {print $8}' /proc/stat; }

# Both CPUs' ticks: user+nice, system, softirq, idle+iowait, steal.
cpus_snap() {
	awk '/^cpu[0-9]/ {printf "%s:%d,%d,%d,%d,%d ", $1, $2 + $3, $4, $8, $5 + $6, $9}' /proc/stat
}

chan_snap() {
	case $1 in
	fastpath-*) tel /fastpath/channels ;;
	*) echo '{}' ;;
	esac
}

# Subscribers still open on the server, to start each N from none.
open_subs() {
	case $1 in
	fastpath-*) tel /fastpath/stats ws_open ;;
	*) ss_ ss -Htn state established "( sport = :80 )" | wc -l ;;
	esac
}

# RPS on the client's end (fpk0 for af_packet, fp0 for the tap, cv0 for
# node): its TCP receive moves to the client's CPU, as with a NIC, where it
# otherwise runs inside the server's send.
client_rps() {
	local d
	for d in fpk0 fp0 cv0; do
		cs sh -c "[ ! -e /sys/class/net/$d ] ||
			printf '%x' $((1 << CLIENT_CPU)) >/sys/class/net/$d/queues/rx-0/rps_cpus" ||
			fp_die "cannot set RPS on the client's $d"
	done
}

wait_file() {
	for _ in $(seq $(($2 * 10))); do
		[ -e "$1" ] && return 0
		kill -0 "$CLIENT_PID" 2>/dev/null || return 1
		sleep 0.1
	done
	return 1
}

TSC_HZ=$(awk -F: '/^cpu MHz/ {printf "%.0f", $2 * 1000000; exit}' /proc/cpuinfo)
# run_push SERVER N: one bounded client run; appends a JSON record.
run_push() {
	local server=$1 n=$2 m w sync c0 c1 s0 s1 ch0 ch1 p0 p1 rc=0 bound
	m=$((DELIV / n))
	# Past the client's TCP start: Linux ACKs the first segments of a
	# connection at once (quick ACKs), and 100 messages to each of
	# 10,000 subscribers are hardly more than that.
	[ "$m" -ge "$MIN_MSGS" ] || m=$MIN_MSGS
	w=$WINDOW
	if [ "$w" = auto ]; then
		w=$((163840 / n))
		[ "$w" -le 32 ] || w=32
		[ "$w" -ge 2 ] || w=2
	fi
	sync=$TMP/sync-$server-$n
	mkdir -p "$sync"
	bound=$((60 + n / 200))
	for _ in $(seq 150); do
		[ "$(open_subs "$server")" = 0 ] && break
		sleep 0.1
	done
	fp_say "bench-push: $server, $n subscribers, $m messages"
	[ -z "$CLIENT_RPS" ] || client_rps
	ip netns exec "$NS_C" timeout $((bound + 20)) taskset -c $CLIENT_CPU "$TMP/pushclient" \
		-addr "$SERVER_IP:80" -subs "$n" -messages "$m" -window "$w" \
		-timeout "$bound" -drain 10 -sync "$sync" >"$TMP/client-$server-$n.json" \
		2>"$TMP/client-$server-$n.err" &
	CLIENT_PID=$!
	if wait_file "$sync/ready" "$bound"; then
		c0=$(cpu_snap "$server")
		p0=$(cpus_snap)
		s0=$(softirq_snap)
		ch0=$(chan_snap "$server")
		touch "$sync/go"
		wait_file "$sync/done" "$bound" || true
		c1=$(cpu_snap "$server")
		p1=$(cpus_snap)
		s1=$(softirq_snap)
		ch1=$(chan_snap "$server")
		touch "$sync/close"
	fi
	wait "$CLIENT_PID" || rc=$?
	CLIENT_PID=""
	if [ "$rc" != 0 ] || [ -z "${c1:-}" ]; then
		cat "$TMP/client-$server-$n.err" >&2
		fp_say "bench-push: the client failed for $server with $n subscribers (status $rc)"
		"$FP_PY" -c 'import json, sys
print(json.dumps({"server": sys.argv[1], "subscribers_asked": int(sys.argv[2]),
                  "failed": sys.argv[3] or "no result"}))' "$server" "$n" \
			"$(tail -1 "$TMP/client-$server-$n.err")" >>"$RESULTS"
		return 0
	fi
	"$FP_PY" - "$server" "$((c1 - c0))" "$((s1 - s0))" "$TSC_HZ" "$(getconf CLK_TCK)" \
		"$ch0" "$ch1" "$FDS" "$TMP/client-$server-$n.json" \
		"$p0" "$p1" "${CLIENT_RPS:-0}" >>"$RESULTS" <<'PY'
import json, sys
server, cpu, sirq, hz, tck, ch0, ch1, fds, res, p0, p1, rps = sys.argv[1:]
r = json.loads(open(res).read().strip().splitlines()[-1])
hz, tck = int(hz), int(tck)
# fastpath: TSC cycles; node: clock ticks of utime + stime, in cycles.
cycles = int(cpu) if server.startswith("fastpath") else int(cpu) / tck * hz
d = r["delivered"]
r.update({
    "server": server, "tsc_hz": hz, "fds": int(fds), "client_rps": rps == "1",
    "server_cycles": int(cycles),
    "cycles_per_msg": round(cycles / d) if d else None,
    "server_cpu_s": round(cycles / hz, 3),
    "server_busy": round(cycles / hz / r["seconds"], 3) if r["seconds"] else None,
    "client_busy": round(r["client_cpu_s"] / r["seconds"], 3) if r["seconds"] else None,
    # Delivered messages per second of one server core's time.
    "per_core_s": round(d / (cycles / hz)) if cycles else None,
    "softirq_cycles_per_msg": round(int(sirq) / tck * hz / d) if d else None,
})
# Where both CPUs' time went, as shares of the interval: on the server's
# CPU, system and softirq are the kernel's part (for fastpath, the port's
# system calls and the client's TCP receive that veth or the tap runs in
# them).
def cpus(snap):
    return {c: [int(x) for x in v.split(",")] for c, v in
            (w.split(":") for w in snap.split())}
a, b = cpus(p0), cpus(p1)
r["cpus"] = {}
for c in sorted(b):
    d_ = [y - x for x, y in zip(a[c], b[c])]
    tot = sum(d_) or 1
    r["cpus"][c] = dict(zip(("user", "system", "softirq", "idle", "steal"),
                            (round(x / tot, 2) for x in d_)))
def chan(s):
    d = json.loads(s)
    f = [c for c in d.values() if isinstance(c, dict) and c.get("channel") == "/live/bench"]
    return f[0] if f else {}
a, b = chan(ch0), chan(ch1)
if b:
    r["server_counters"] = {k: b[k] - a.get(k, 0) for k in
                            ("published", "delivered", "drops", "slow_disconnects")
                            if isinstance(b.get(k), int)}
print(json.dumps(r))
PY
	tail -1 "$RESULTS" >&2
}

fp_say "bench-push: server on CPU $SERVER_CPU, client on CPU $CLIENT_CPU of $(nproc):" \
	"they share the machine; $DELIV deliveries per point, window $WINDOW, $FDS fds"
for s in $SERVERS; do
	case $s in
	fastpath-tap|fastpath-afp|fastpath-afxdp)
		# The port's queue towards fastpath: af_packet's RX ring (framecnt),
		# the tap's txqueuelen. A fan-out to N subscribers brings N ACKs
		# back while the worker is still sending it (see docs/benchmarks.md).
		BENCH_FP_EAL=""
		afp="iface=fpd0,blocksz=65536,framesz=2048,framecnt=$RING,qpairs=1"
		# bench_fastpath passes --no-pci too; said here beside the vdev.
		[ "$s" != fastpath-afp ] || [ "$RING" = 0 ] ||
			BENCH_FP_EAL="--no-pci --vdev=net_af_packet0,$afp"
		bench_fastpath "${s#fastpath-}" "$TMP/www" -c "$TMP/push.ini" ||
			fp_die "$s did not start ($TMP/server.log)"
		[ "$s" != fastpath-tap ] || [ "$RING" = 0 ] || cs ip link set fp0 txqueuelen "$RING"
		TSC_HZ=$(tel /fastpath/stats tsc_hz)
		;;
	node) start_node || fp_die "node did not start ($TMP/server.log)" ;;
	*) fp_die "unknown server $s" ;;
	esac
	for n in $SUBS; do
		run_push "$s" "$n"
	done
	# Every subscriber the client closed is gone from the server (15 s at
	# most); then, for a look afterwards (BENCH_KEEP=1), the server's
	# counters, the port's and the client's interfaces.
	for _ in $(seq 150); do
		[ "$(open_subs "$s")" = 0 ] && break
		sleep 0.1
	done
	left=$(open_subs "$s")
	[ "$left" = 0 ] || fp_say "bench-push: $s still has $left subscribers open 15 s after" \
		"the client closed them"
	if [ "$s" != node ]; then
		tel /fastpath/stats >"$TMP/stats-$s.json" || true
		tel "/ethdev/xstats,0" >"$TMP/ethdev-$s.json" || true
	fi
	cs ip -s -s link >"$TMP/links-$s.txt" 2>&1 || true
	cs nstat -az >"$TMP/nstat-client-$s.txt" 2>&1 || true
	stop_all
	fp_forget_prefix "$PREFIX"
done

"$FP_PY" "$BENCH_DIR/push_report.py" "$RESULTS" "$OUT" ${SMOKE:+--smoke}
fp_say "bench-push: results in $OUT"
