#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The fastpath authors
#
# fastpath against kernel nginx, Node.js and Go, and against testpmd, on this
# machine in one run. Every server answers the same 1 KB body to wrk in a
# network namespace of this script's own; the server is pinned to CPU 1 and
# the client to CPU 0 (they share the machine: client-bound numbers say so).
#
#   scripts/bench.sh [--smoke] [--out DIR] [--duration S] [--conns "1 64 256"]
#                    [--servers "fastpath-tap fastpath-afp fastpath-afxdp
#                               fastpath-afxdp-plain nginx node go"]
#
# --smoke: 2 s per server, 64 connections, keep-alive only, results in a
# scratch folder; the test command runs it so the harness keeps working.
# Without it: keep-alive at 1, 64 and 256 connections, Connection: close at
# 64, and the testpmd ICMP echo comparison; results (JSON, Markdown, PNG) go
# to --out (default docs/bench) and the summary to docs/benchmarks.md.
# Then scripts/bench-dpdk.sh (with --smoke: its short memif pass): fp-load,
# fastpath's own DPDK client, against fastpath over net_memif.
set -euo pipefail
. "$(dirname "$0")/lib/common.sh"

SMOKE=""
OUT=""
DUR=10
CONNS="1 64 256"
SERVERS="fastpath-tap fastpath-afp fastpath-afxdp fastpath-afxdp-plain nginx node go"
while [ $# -gt 0 ]; do
	case $1 in
	--smoke) SMOKE=1 ;;
	--out) OUT=$2; shift ;;
	--duration) DUR=$2; shift ;;
	--conns) CONNS=$2; shift ;;
	--servers) SERVERS=$2; shift ;;
	-h|--help) sed -n '4,19p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
	*) fp_die "unknown option $1 (see --help)" ;;
	esac
	shift
done
if [ -n "$SMOKE" ]; then
	DUR=2
	CONNS=64
fi

fp_prepare_bench
for t in wrk nginx go node gnuplot taskset nstat; do
	command -v "$t" >/dev/null || fp_die "$t is missing after the install"
done

BENCH_DIR=$FP_TOP/scripts/bench
TMP=$(mktemp -d /tmp/fastpath-bench.XXXXXX)
[ -n "$OUT" ] || OUT=$([ -n "$SMOKE" ] && echo "$TMP/out" || echo "$FP_TOP/docs/bench")
mkdir -p "$OUT"
RESULTS=$TMP/results.jsonl
: >"$RESULTS"
NS_C=fpb-c-$$
NS_S=fpb-s-$$
PREFIX=fpb-$$
SERVER_CPU=1
CLIENT_CPU=0
. "$FP_TOP/scripts/lib/bench.sh"

# On failure the scratch folder (servers' logs) stays for a look.
bench_extra_cleanup() {
	fp_forget_prefix "$PREFIX-pmd"
	rm -rf "$TMP/www" "$TMP/gocache" "$TMP/gopath" "$TMP/gohttp"
}
bench_traps bench

# The body: 1 KB of text, the same file for every server.
# nginx's worker runs as www-data: it must be able to reach the file.
chmod 711 "$TMP"
mkdir -p "$TMP/www"
chmod 755 "$TMP/www"
head -c 1024 /dev/zero | tr '\0' 'x' >"$TMP/www/1k.txt"
chmod 644 "$TMP/www/1k.txt"
BODY=$TMP/www/1k.txt

# Kernel servers: the veth pair, and what wrk's many connections need.
kernel_ns() {
	bench_kernel_ns
	ss_ sysctl -qw net.core.somaxconn=4096 net.ipv4.tcp_max_syn_backlog=4096
	cs sysctl -qw net.ipv4.ip_local_port_range="1024 65000" net.ipv4.tcp_tw_reuse=1
}

start_nginx() { bench_start_nginx "$TMP/www"; }

start_node() {
	ip netns exec "$NS_S" taskset -c $SERVER_CPU node "$BENCH_DIR/server.js" "$BODY" \
		"$SERVER_IP" >"$TMP/server.log" 2>&1 &
	PIDS="$PIDS $!"
}

start_go() {
	if [ ! -x "$TMP/gohttp" ]; then
		(cd "$BENCH_DIR" && GOCACHE=$TMP/gocache GOPATH=$TMP/gopath GO111MODULE=off \
			go build -o "$TMP/gohttp" server.go) || fp_die "go build failed"
	fi
	ip netns exec "$NS_S" env GOMAXPROCS=1 taskset -c $SERVER_CPU "$TMP/gohttp" "$BODY" \
		"$SERVER_IP" >"$TMP/server.log" 2>&1 &
	PIDS="$PIDS $!"
}

# afxdp is the net_af_xdp profile, XDP steering included; afxdp-plain the
# same port without the program (every frame of the queue to fastpath), for
# the steering's cost.
start_fastpath() {
	if [ "$1" = afxdp-plain ]; then
		printf '[xdp]\nmode = off\n' >"$TMP/no-xdp.ini"
		BENCH_FP_EAL="--no-pci --vdev=net_af_xdp0,iface=fpx0,start_queue=0,queue_count=1" \
			bench_fastpath afxdp "$TMP/www" -c "$TMP/no-xdp.ini"
		return
	fi
	bench_fastpath "$1" "$TMP/www"
}

# TCP connections the server accepted so far (its namespace's counter).
# shellcheck disable=SC2016
passive_opens() {
	case $1 in
	fastpath-*) tel /fastpath/stats tcp_passive_opens ;;
	*) ss_ awk '/^Tcp:/ { if (n++) print $7 }' /proc/net/snmp ;;
	esac
}

# Cycles per second, to turn kernel servers' CPU time into cycles: fastpath's
# own TSC rate once it has run, the kernel's estimate until then.
TSC_HZ=$(awk -F: '/^cpu MHz/ {printf "%d", $2 * 1000000; exit}' /proc/cpuinfo)
# run_wrk LABEL CONNS MODE: one bounded wrk run; appends a JSON record.
run_wrk() {
	local label=$1 conns=$2 mode=$3 hdr=() out c0 c1 o0 o1 json
	[ "$mode" = close ] && hdr=(-H 'Connection: close')
	c0=$(cpu_snap "$label")
	o0=$(passive_opens "$label")
	out=$(cs timeout $((DUR + 30)) taskset -c $CLIENT_CPU wrk -t1 -c"$conns" -d"${DUR}s" \
		--latency -s "$BENCH_DIR/report.lua" "${hdr[@]}" "http://$SERVER_IP/1k.txt" 2>&1) ||
		{ echo "$out" >&2; fp_say "wrk failed for $label"; return 1; }
	c1=$(cpu_snap "$label")
	o1=$(passive_opens "$label")
	json=$(grep '^{' <<<"$out" | tail -1)
	"$FP_PY" - "$label" "$conns" "$mode" "$((c1 - c0))" "$((o1 - o0))" "$TSC_HZ" \
		"$(getconf CLK_TCK)" "$json" >>"$RESULTS" <<'PY'
import json, sys
label, conns, mode, cpu, opens, hz, tck, w = sys.argv[1:]
w = json.loads(w)
req, secs = w["requests"], w["duration_us"] / 1e6
# fastpath reports TSC cycles; kernel servers jiffies, turned into cycles.
cycles = int(cpu) if label.startswith("fastpath") else int(cpu) / int(tck) * int(hz)
print(json.dumps({
    "server": label, "conns": int(conns), "mode": mode,
    "requests": req, "seconds": round(secs, 3), "rps": round(req / secs),
    "p50_us": w["latency_us"]["p50"], "p99_us": w["latency_us"]["p99"],
    "p999_us": w["latency_us"]["p999"], "errors": sum(w["errors"].values()),
    "cycles_per_req": round(cycles / req) if req else None,
    "conns_opened": int(opens),
}))
PY
	tail -1 "$RESULTS" >&2
}

# ICMP echo replies/s under a bounded ping flood from the namespace.
ping_rate() {
	local out
	out=$(cs timeout $((DUR + 10)) taskset -c $CLIENT_CPU ping -f -q -w "$DUR" -c 10000000 \
		-s 56 198.18.0.2 2>&1) || true
	awk -v d="$DUR" '/received/ {for (i = 1; i <= NF; i++) if ($(i+1) ~ /^received/) print int($i / d)}' \
		<<<"$out"
}

# testpmd icmpecho and fastpath on the same net_tap, core and flood.
compare_testpmd() {
	local pmd fp
	fresh_ns
	# shellcheck disable=SC2086
	# testpmd quits at the end of its input: a bounded sleep feeds it.
	ip netns exec "$NS_C" dpdk-testpmd --no-pci $FP_EAL_MEM --file-prefix="$PREFIX-pmd" \
		--lcores=0@$CLIENT_CPU,1@$SERVER_CPU --vdev=net_tap0,iface=fp0 -- \
		--forward-mode=icmpecho --nb-cores=1 --auto-start \
		< <(sleep $((DUR + 8))) >"$TMP/testpmd.log" 2>&1 &
	PIDS="$PIDS $!"
	fp_wait_iface fp0 15 "$NS_C" || fp_die "testpmd did not create fp0 ($TMP/testpmd.log)"
	cs ip addr add 198.18.0.1/24 dev fp0
	cs ip link set fp0 up
	sleep 2
	pmd=$(ping_rate)
	stop_all
	fp_forget_prefix "$PREFIX-pmd"
	start_fastpath tap || fp_die "fastpath did not start ($TMP/server.log)"
	fp=$(ping_rate)
	stop_all
	fp_forget_prefix "$PREFIX"
	echo "{\"server\": \"testpmd-icmpecho\", \"echo_per_s\": ${pmd:-0}}" >>"$RESULTS"
	echo "{\"server\": \"fastpath-tap-icmp\", \"echo_per_s\": ${fp:-0}}" >>"$RESULTS"
	tail -2 "$RESULTS" >&2
}

fp_say "bench: server on CPU $SERVER_CPU, client (wrk) on CPU $CLIENT_CPU of $(nproc):" \
	"they share the machine, so a client-bound run understates the server"
for s in $SERVERS; do
	fp_say "bench: $s"
	case $s in
	fastpath-tap|fastpath-afp|fastpath-afxdp|fastpath-afxdp-plain)
		if ! start_fastpath "${s#fastpath-}"; then
			reason=$(grep -m1 "^fastpath: " "$TMP/server.log" || tail -1 "$TMP/server.log")
			case $s in fastpath-afxdp*) ;; *) fp_die "$s did not start: $reason" ;; esac
			fp_say "bench: SKIP $s: $reason"
			echo "{\"server\": \"$s\", \"skipped\": \"$reason\"}" >>"$RESULTS"
			stop_all
			fp_forget_prefix "$PREFIX"
			continue
		fi
		TSC_HZ=$(tel /fastpath/stats tsc_hz)
		;;
	nginx|node|go)
		kernel_ns
		"start_$s"
		;;
	*) fp_die "unknown server $s" ;;
	esac
	bench_wait_http /1k.txt || fp_die "$s does not answer ($TMP/server.log)"
	for c in $CONNS; do
		run_wrk "$s" "$c" keepalive
	done
	[ -n "$SMOKE" ] || run_wrk "$s" 64 close
	stop_all
	fp_forget_prefix "$PREFIX"
done
[ -n "$SMOKE" ] || compare_testpmd

"$FP_PY" "$BENCH_DIR/report.py" "$RESULTS" "$OUT" ${SMOKE:+--smoke}
fp_say "bench: results in $OUT"

# DPDK to DPDK: fp-load against fastpath over net_memif, the testpmd
# ceiling and nginx under the same client (scripts/bench-dpdk.sh).
FP_BIN=$FP_BIN "$FP_TOP/scripts/bench-dpdk.sh" ${SMOKE:+--smoke} --out "$OUT" ||
	fp_die "bench-dpdk failed"
