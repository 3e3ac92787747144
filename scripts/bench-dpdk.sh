#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The fastpath authors
#
# DPDK to DPDK: fp-load against fastpath over net_memif, so that the client
# costs less than the server and the kernel is out of the path. In one run:
#   - fastpath (memif server, worker on CPU 1) and fp-load (memif client,
#     worker on CPU 0): keep-alive at 1, 64 and 1,024 connections and
#     Connection: close at 64, each with a 64-byte and a 1 KB body;
#   - the ceiling over the same link and CPUs: testpmd flowgen (CPU 0) into
#     testpmd macswap (CPU 1), packets forwarded per second;
#   - nginx (CPU 1) driven by the same fp-load (net_af_packet, CPU 0) over a
#     veth pair: the kernel when the client is not the limit;
#   - fp-bench's in-process cycles per keep-alive request (software
#     checksums, as memif has no offloads), the server's cost without a port.
# Per row: requests/s, latency, server busy cycles per request (fastpath:
# telemetry; nginx: its process and CPU 1's softirq) and, for fastpath, how
# many of them went to the PMD's bursts, client cycles per request (fp-load's
# own figures, the port's share too), and how busy each side was. testpmd
# forwards 64-byte frames, then frames of the size fastpath answered 64-byte
# bodies with.
#
#   scripts/bench-dpdk.sh [--smoke] [--out DIR] [--duration S]
#
# Results: dpdk.json, dpdk.md and dpdk.png in --out (default docs/bench).
# fastpath is FP_BIN, fp-load FP_LOAD_BIN (default: beside FP_BIN), fp-bench
# FP_BENCH_BIN; all from FP_BUILD (default build-release) when not given.
# --smoke: fastpath over memif only, keep-alive at 64 and close at 64, 1 s
# each, results in a scratch folder; scripts/bench.sh --smoke runs it, and it
# fails when a run errs or fp-load's count differs from the server's.
set -euo pipefail
FP_BUILD=${FP_BUILD:-$(cd "$(dirname "$0")/.." && pwd)/build-release}
. "$(dirname "$0")/lib/common.sh"

SMOKE=""
OUT=""
RESP_FRAME=""
DUR=5
while [ $# -gt 0 ]; do
	case $1 in
	--smoke) SMOKE=1 ;;
	--out) OUT=$2; shift ;;
	--duration) DUR=$2; shift ;;
	-h|--help) sed -n '4,29p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
	*) fp_die "unknown option $1 (see --help)" ;;
	esac
	shift
done
[ -z "$SMOKE" ] || DUR=1

if [ -z "${FP_BIN:-}" ] && [ ! -f "$FP_BUILD/build.ninja" ]; then
	fp_need_root
	fp_install_deps
	meson setup "$FP_BUILD" "$FP_TOP" -Dwerror=true -Dbuildtype=release >&2 ||
		fp_die "meson setup failed"
fi
if [ -z "${FP_BIN:-}" ]; then
	ninja -C "$FP_BUILD" >&2 || fp_die "build failed"
	FP_BIN=$FP_BUILD/app/fastpath/fastpath
fi
fp_prepare_bench
FP_APP_DIR=$(dirname "$(dirname "$FP_BIN")")
FP_LOAD_BIN=${FP_LOAD_BIN:-$FP_APP_DIR/fp_load/fp-load}
FP_BENCH_BIN=${FP_BENCH_BIN:-$FP_APP_DIR/fp_bench/fp-bench}
[ -x "$FP_LOAD_BIN" ] || fp_die "no fp-load at $FP_LOAD_BIN (set FP_LOAD_BIN)"
for t in dpdk-testpmd nginx gnuplot taskset; do
	command -v "$t" >/dev/null || fp_die "$t is missing after the install"
done

BENCH_DIR=$FP_TOP/scripts/bench
TMP=$(mktemp -d /tmp/fastpath-bench-dpdk.XXXXXX)
[ -n "$OUT" ] || OUT=$([ -n "$SMOKE" ] && echo "$TMP/out" || echo "$FP_TOP/docs/bench")
mkdir -p "$OUT"
RESULTS=$TMP/dpdk.jsonl
: >"$RESULTS"
NS_C=fpd-c-$$
NS_S=fpd-s-$$
PREFIX=fpd-$$
LPREFIX=fpd-load-$$
SERVER_CPU=1
CLIENT_CPU=0
SOCK=$TMP/memif.sock
. "$FP_TOP/scripts/lib/bench.sh"

bench_extra_cleanup() {
	fp_forget_prefix "$LPREFIX"
	fp_forget_prefix "$PREFIX-gen"
	fp_forget_prefix "$PREFIX-fwd"
	fp_forget_prefix "$PREFIX-bench"
	rm -rf "$TMP/www"
}
bench_traps bench-dpdk

# nginx's worker runs as www-data: it must reach the files.
chmod 711 "$TMP"
mkdir -p "$TMP/www"
chmod 755 "$TMP/www"
head -c 64 /dev/zero | tr '\0' 'x' >"$TMP/www/64.txt"
head -c 1024 /dev/zero | tr '\0' 'x' >"$TMP/www/1k.txt"
chmod 644 "$TMP/www/"*.txt

# fpload NAME PROFILE VDEV IP [options and URL]: one bounded fp-load run in
# the client's namespace, its JSON in $TMP/NAME.json.
fpload() {
	local name=$1 profile=$2 vdev=$3 ip=$4
	shift 4
	# shellcheck disable=SC2086
	cs timeout $((DUR + 40)) "$FP_LOAD_BIN" --no-pci $FP_EAL_MEM --file-prefix="$LPREFIX" \
		--lcores=0@$CLIENT_CPU,1@$CLIENT_CPU --vdev="$vdev" -- --profile "$profile" \
		--ip "$ip" -q -d "$DUR" --json "$TMP/$name.json" "$@" >"$TMP/$name.out" 2>&1 || true
	fp_forget_prefix "$LPREFIX"
	[ -s "$TMP/$name.json" ] || { cat "$TMP/$name.out" >&2; return 1; }
}

# record LABEL BODY MODE CONNS CYCLES REQUESTS [TX_BYTES TX_FRAMES PORT_CYCLES]:
# the fp-load run's figures and the server's, as one JSON line.
record() {
	"$FP_PY" - "$1" "$2" "$3" "$4" "$5" "$6" "${7:-0}" "${8:-0}" "${9:-0}" \
		"$TMP/$1-$2-$3-$4.json" "$TSC_HZ" >>"$RESULTS" <<'PY'
import json, sys
label, body, mode, conns, cyc, sreq, txb, txf, port, path, hz = sys.argv[1:]
j = json.load(open(path))
c, hz = j["counters"], int(hz)
resp, el = c["responses"], j["elapsed_s"]
cyc, sreq, txb, txf, port = int(cyc), int(sreq), int(txb), int(txf), int(port)
print(json.dumps({
    "server": label, "body": body, "mode": mode, "conns": int(conns),
    "requests": c["requests"], "responses": resp, "ok": c["ok"],
    "errors": j["errors_total"], "seconds": el, "rps": round(j["requests_per_s"]),
    "p50_us": j["latency_us"]["p50"], "p99_us": j["latency_us"]["p99"],
    "p999_us": j["latency_us"]["p999"],
    "server_requests": sreq,
    "server_cycles_per_req": round(cyc / resp) if resp else None,
    "server_busy": round(cyc / hz / el, 3) if el else None,
    "client_cycles_per_req": round(j["client_busy_cycles"] / resp) if resp else None,
    "client_busy": round(j["client_busy_cycles"] / hz / el / j["workers"], 3) if el else None,
    "server_tx_frame_bytes": round(txb / txf) if txf else None,
    "server_port_cycles_per_req": round(port / resp) if resp and port else None,
    "client_port_cycles_per_req": round(j["client_port_cycles"] / resp) if resp else None,
    "tsc_hz": hz,
}))
PY
	tail -1 "$RESULTS" >&2
}

MEMIF_C="net_memif0,role=client,id=0,socket=$SOCK,socket-abstract=no"
MEMIF_S="net_memif0,role=server,id=0,socket=$SOCK,socket-abstract=no"

# fastpath: the memif server, in the client's namespace (memif needs no
# network; the namespace keeps its ARP and GARP to itself).
fp_say "bench-dpdk: fastpath over net_memif, fp-load on CPU $CLIENT_CPU, fastpath on CPU $SERVER_CPU"
fresh_ns
# shellcheck disable=SC2086
ip netns exec "$NS_C" "$FP_BIN" --no-pci $FP_EAL_MEM --file-prefix="$PREFIX" \
	--lcores=0@$CLIENT_CPU,1@$SERVER_CPU --vdev="$MEMIF_S" -- --profile net_memif \
	--ip 198.18.0.2/24 --root "$TMP/www" >"$TMP/server.log" 2>&1 &
PIDS="$PIDS $!"
for _ in $(seq 150); do
	grep -q "^fastpath: serving" "$TMP/server.log" && break
	sleep 0.1
done
grep -q "^fastpath: serving" "$TMP/server.log" || fp_die "fastpath did not start ($TMP/server.log)"
TSC_HZ=$(tel /fastpath/stats tsc_hz)

if [ -n "$SMOKE" ]; then
	ROWS="keepalive:64:1k close:64:1k"
else
	ROWS="keepalive:1:64 keepalive:64:64 keepalive:1024:64 close:64:64
keepalive:1:1k keepalive:64:1k keepalive:1024:1k close:64:1k"
fi
for row in $ROWS; do
	IFS=: read -r mode conns body <<<"$row"
	b0=$(tel /fastpath/stats busy_cycles)
	r0=$(tel /fastpath/stats http_requests)
	tb0=$(tel /fastpath/stats tx_bytes)
	tf0=$(tel /fastpath/stats tx_packets)
	p0=$(($(tel /fastpath/stats port_rx_cycles) + $(tel /fastpath/stats port_tx_cycles)))
	# shellcheck disable=SC2046
	fpload "fastpath-memif-$body-$mode-$conns" net_memif "$MEMIF_C" 198.18.0.1/24 \
		-c "$conns" $([ "$mode" = close ] && echo --close) \
		--expect-length "$([ "$body" = 64 ] && echo 64 || echo 1024)" \
		"http://198.18.0.2/$body.txt" ||
		fp_die "fp-load failed against fastpath ($row)"
	b1=$(tel /fastpath/stats busy_cycles)
	r1=$(tel /fastpath/stats http_requests)
	tb1=$(tel /fastpath/stats tx_bytes)
	tf1=$(tel /fastpath/stats tx_packets)
	p1=$(($(tel /fastpath/stats port_rx_cycles) + $(tel /fastpath/stats port_tx_cycles)))
	record fastpath-memif "$body" "$mode" "$conns" $((b1 - b0)) $((r1 - r0)) \
		$((tb1 - tb0)) $((tf1 - tf0)) $((p1 - p0))
	# The frames fastpath answers 64-byte bodies with: testpmd's second size.
	[ "$mode:$body" != keepalive:64 ] || [ $((tf1 - tf0)) -eq 0 ] ||
		RESP_FRAME=$(((tb1 - tb0) / (tf1 - tf0)))
done
stop_all
fp_forget_prefix "$PREFIX"

if [ -z "$SMOKE" ]; then
	# The ceiling: testpmd flowgen (memif server) into macswap (client),
	# the forwarder's Tx-pps, in 64-byte frames and in frames of the size
	# fastpath answered 64-byte bodies with (the link's cost grows with the
	# bytes it copies).
	for len in 64 ${RESP_FRAME:-}; do
		fp_say "bench-dpdk: testpmd flowgen -> macswap over net_memif, $len-byte frames"
		fresh_ns
		# shellcheck disable=SC2086
		ip netns exec "$NS_C" timeout $((DUR + 15)) dpdk-testpmd --no-pci $FP_EAL_MEM \
			--file-prefix="$PREFIX-gen" --lcores=0@$CLIENT_CPU,1@$CLIENT_CPU \
			--vdev="$MEMIF_S" -- --forward-mode=flowgen --txpkts="$len" --nb-cores=1 \
			--auto-start --stats-period 1 --disable-link-check >"$TMP/testpmd-gen.log" 2>&1 &
		PIDS="$PIDS $!"
		sleep 2
		# shellcheck disable=SC2086
		ip netns exec "$NS_C" timeout $((DUR + 3)) dpdk-testpmd --no-pci $FP_EAL_MEM \
			--file-prefix="$PREFIX-fwd" --lcores=0@$SERVER_CPU,1@$SERVER_CPU \
			--vdev="$MEMIF_C" -- --forward-mode=macswap --nb-cores=1 --auto-start \
			--stats-period 1 --disable-link-check >"$TMP/testpmd-fwd.log" 2>&1 || true
		stop_all
		fp_forget_prefix "$PREFIX-gen"
		fp_forget_prefix "$PREFIX-fwd"
		# Its one-second samples run at one of two rates from one run to
		# the next (about 15 and 30 Mpps here in 64-byte frames): the
		# ceiling is the best second, and every sample goes in the results.
		samples=$(sed -n 's/.*Tx-pps: *\([0-9]*\).*/\1/p' "$TMP/testpmd-fwd.log" |
			grep -v '^0$' | tr '\n' ' ')
		pps=$(tr ' ' '\n' <<<"$samples" | sort -n | tail -1)
		[ -n "$pps" ] || fp_die "no Tx-pps from testpmd ($TMP/testpmd-fwd.log)"
		# shellcheck disable=SC2086 # the samples, one word each
		echo "{\"server\": \"testpmd-macswap\", \"frame_bytes\": $len," \
			"\"forwarded_pps\": $pps, \"tsc_hz\": $TSC_HZ," \
			"\"samples\": [$(echo $samples | tr ' ' ',')]}" >>"$RESULTS"
		tail -1 "$RESULTS" >&2
	done

	# The kernel with the same client: nginx behind a veth pair, fp-load on
	# net_af_packet on the client's end, which the kernel there leaves alone
	# (fp-load has its own address). Frames of an MTU, checksums filled in.
	fp_say "bench-dpdk: nginx driven by fp-load over a veth pair"
	BENCH_NO_OFFLOADS=1 bench_kernel_ns
	ss_ ethtool -K sv0 tx off >/dev/null
	ss_ sysctl -qw net.core.somaxconn=4096 net.ipv4.tcp_max_syn_backlog=4096
	bench_start_nginx "$TMP/www"
	sleep 1
	AFP="net_af_packet0,iface=cv0,blocksz=65536,framesz=2048,framecnt=4096,qpairs=1"
	for row in keepalive:1 keepalive:64 keepalive:1024 close:64; do
		IFS=: read -r mode conns <<<"$row"
		c0=$(cpu_snap nginx)
		# shellcheck disable=SC2046
		fpload "nginx-1k-$mode-$conns" net_af_packet "$AFP" 198.18.1.3/24 \
			--gateway 198.18.1.1 -c "$conns" \
			$([ "$mode" = close ] && echo --close) --expect-length 1024 \
			"http://$SERVER_IP/1k.txt" || fp_die "fp-load failed against nginx ($row)"
		c1=$(cpu_snap nginx)
		cyc=$("$FP_PY" -c 'import sys; print(int(int(sys.argv[1]) / int(sys.argv[2]) *
			int(sys.argv[3])))' $((c1 - c0)) "$(getconf CLK_TCK)" "$TSC_HZ")
		record nginx 1k "$mode" "$conns" "$cyc" 0
	done
	stop_all

	# fp-bench: the same stack in process, no port (software checksums).
	if [ -x "$FP_BENCH_BIN" ]; then
		fp_say "bench-dpdk: fp-bench keep-alive, in process"
		out=$(timeout 120 taskset -c $SERVER_CPU "$FP_BENCH_BIN" --no-huge --no-pci \
			--no-shconf --no-telemetry -m 512 --lcores="0@$SERVER_CPU" \
			--file-prefix="$PREFIX-bench" --log-level=lib.eal:warning -- -s keepalive \
			--cksum sw 2>&1) || fp_die "fp-bench failed: $out"
		fp_forget_prefix "$PREFIX-bench"
		cyc=$(sed -n 's/^RESULT .* server=\([0-9.]*\) .*/\1/p' <<<"$out")
		echo "{\"server\": \"fp-bench\", \"cycles_per_req\": ${cyc:-0}}" >>"$RESULTS"
		tail -1 "$RESULTS" >&2
	fi
fi

"$FP_PY" "$BENCH_DIR/dpdk_report.py" "$RESULTS" "$OUT" ${SMOKE:+--smoke}
fp_say "bench-dpdk: results in $OUT"
