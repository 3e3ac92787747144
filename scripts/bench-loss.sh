#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The fastpath authors
#
# Downloads through random loss, fastpath against Linux + nginx in one run.
# fastpath runs on net_af_packet and on net_af_xdp over a veth pair, nginx
# on a veth pair of its own; TSO, GSO and GRO are off on every end, so both servers send
# MTU-sized frames. The client's kernel drops each way with iptables'
# statistic match (data coming in, ACKs going out), so both see the same loss.
#
#   scripts/bench-loss.sh [--smoke] [--out DIR] [--loss "0 1 2 5"]
#                         [--runs "5 20"]
#                         [--servers "fastpath-afp fastpath-afxdp nginx nginx-cubic"]
#
# nginx runs with the kernel's default congestion control (its name goes in
# the results: BBR on some machines, which does not slow down for random
# loss), nginx-cubic with CUBIC, fastpath's default, set on the server
# namespace's route (a namespace may not pick a default outside the host's
# allowed list).
# --runs: downloads of 10 MB, then of 100 KB, per server and loss rate.
# Reports goodput (size / median time), completion time p50 and p99, and
# the server's retransmissions per MB downloaded, as JSON lines, a Markdown
# table and a PNG in --out (default docs/bench). --smoke: 0% and 5%, two
# downloads of 1 MB and of 100 KB, results in a scratch folder; the test
# command runs it so the harness keeps working. Every download is bounded
# by curl's --max-time.
set -euo pipefail
. "$(dirname "$0")/lib/common.sh"

SMOKE=""
OUT=""
LOSS="0 1 2 5"
RUNS="5 20"
SERVERS="fastpath-afp fastpath-afxdp nginx nginx-cubic"
while [ $# -gt 0 ]; do
	case $1 in
	--smoke) SMOKE=1 ;;
	--out) OUT=$2; shift ;;
	--loss) LOSS=$2; shift ;;
	--runs) RUNS=$2; shift ;;
	--servers) SERVERS=$2; shift ;;
	-h|--help) sed -n '4,20p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
	*) fp_die "unknown option $1 (see --help)" ;;
	esac
	shift
done
BIG=10485760
SMALL=102400
if [ -n "$SMOKE" ]; then
	LOSS="0 5"
	RUNS="2 2"
	BIG=1048576
	SERVERS="fastpath-afp nginx nginx-cubic"
fi
RUNS_BIG=${RUNS%% *}
RUNS_SMALL=${RUNS##* }

fp_prepare_bench
for t in nginx iptables ethtool curl gnuplot taskset; do
	command -v "$t" >/dev/null || fp_die "$t is missing after the install"
done

TMP=$(mktemp -d /tmp/fastpath-bench-loss.XXXXXX)
[ -n "$OUT" ] || OUT=$([ -n "$SMOKE" ] && echo "$TMP/out" || echo "$FP_TOP/docs/bench")
mkdir -p "$OUT"
RESULTS=$TMP/loss.jsonl
: >"$RESULTS"
NS_C=fpl-c-$$
NS_S=fpl-s-$$
PREFIX=fpl-$$
SERVER_CPU=1
CLIENT_CPU=0
# Both servers send MTU-sized frames: no TSO, GSO or GRO on any end.
BENCH_NO_OFFLOADS=1
. "$FP_TOP/scripts/lib/bench.sh"

bench_traps bench-loss

# The files, readable by nginx's worker (www-data).
chmod 711 "$TMP"
mkdir -p "$TMP/www"
chmod 755 "$TMP/www"
head -c "$BIG" /dev/urandom >"$TMP/www/big.bin"
head -c "$SMALL" /dev/urandom >"$TMP/www/small.bin"
chmod 644 "$TMP/www/"*

# start_nginx [CC]: nginx, with congestion control CC on its route if given.
start_nginx() {
	bench_kernel_ns
	CLIENT_IF=cv0
	if [ -n "${1:-}" ] && ! ss_ ip route replace 198.18.1.0/24 dev sv0 congctl "$1"; then
		fp_say "bench-loss: SKIP nginx-$1: the kernel has no $1 congestion control"
		return 2
	fi
	bench_start_nginx "$TMP/www" "default_type application/octet-stream;"
	bench_wait_http /small.bin
}

# The server's segments retransmitted so far.
# shellcheck disable=SC2016
retransmits() {
	case $1 in
	fastpath-*) tel /fastpath/stats tcp_retransmits ;;
	*) ss_ awk '/^Tcp:/ { if (n++) print $13 }' /proc/net/snmp ;;
	esac
}

# The server's congestion control.
cc_of() {
	case $1 in
	fastpath-*) tel /fastpath/config tcp.congestion ;;
	nginx-*) echo "${1#nginx-}" ;;
	*) ss_ sysctl -n net.ipv4.tcp_congestion_control ;;
	esac
}

# The server's retransmission timeouts so far.
timeouts() {
	case $1 in
	fastpath-*) tel /fastpath/stats tcp_timeouts ;;
	*) ss_ nstat -az TcpExtTCPTimeouts 2>/dev/null | awk '$1 == "TcpExtTCPTimeouts" {print $2}' ;;
	esac
}

# PCT: the client's kernel drops that share of frames each way.
set_loss() {
	local p
	p=$(awk -v l="$1" 'BEGIN { printf "%.4f", l / 100 }')
	cs iptables -F INPUT
	cs iptables -F OUTPUT
	[ "$1" = 0 ] && return 0
	cs iptables -A INPUT -i "$CLIENT_IF" -p tcp --sport 80 \
		-m statistic --mode random --probability "$p" -j DROP
	cs iptables -A OUTPUT -o "$CLIENT_IF" -p tcp --dport 80 \
		-m statistic --mode random --probability "$p" -j DROP
}

# downloads SERVER LOSS FILE SIZE RUNS: appends one JSON record.
downloads() {
	local server=$1 loss=$2 file=$3 size=$4 runs=$5 r0 r1 o0 o1 i out times=""
	local fails=0 maxt=$((size > 1048576 ? 120 : 30)) cc
	cc=$(cc_of "$server")
	r0=$(retransmits "$server")
	o0=$(timeouts "$server")
	for i in $(seq "$runs"); do
		out=$(cs timeout $((maxt + 10)) taskset -c $CLIENT_CPU curl -s -o /dev/null \
			--max-time "$maxt" -w '%{time_total} %{size_download} %{http_code}' \
			"http://$SERVER_IP/$file" 2>/dev/null) || true
		# shellcheck disable=SC2086
		set -- $out
		if [ "${3:-}" = 200 ] && [ "${2:-0}" = "$size" ]; then
			times="$times $1"
		else
			fails=$((fails + 1))
		fi
	done
	r1=$(retransmits "$server")
	o1=$(timeouts "$server")
	"$FP_PY" - "$server" "$loss" "$size" "$runs" "$fails" "$((r1 - r0))" "$((o1 - o0))" \
		"$times" "$cc" >>"$RESULTS" <<'PY'
import json, sys
server, loss, size, runs, fails, rexmit, rto, times, cc = sys.argv[1:]
t = sorted(float(x) for x in times.split())
size, runs, fails = int(size), int(runs), int(fails)
def pct(p):
    if not t:
        return None
    return round(t[min(len(t) - 1, int(p / 100 * len(t)))], 4)
p50 = pct(50)
mb = size * len(t) / 1048576
print(json.dumps({
    "server": server, "cc": cc, "loss_pct": float(loss), "size": size, "runs": runs,
    "failed": fails, "p50_s": p50, "p99_s": pct(99),
    "goodput_mbit": round(size * 8 / p50 / 1e6, 2) if p50 else None,
    "retrans_per_mb": round(int(rexmit) / mb, 2) if mb else None,
    "timeouts_per_mb": round(int(rto) / mb, 2) if mb else None,
}))
PY
	tail -1 "$RESULTS" >&2
}

fp_say "bench-loss: loss each way ${LOSS// /%, }%; ${RUNS_BIG} downloads of $BIG bytes and" \
	"${RUNS_SMALL} of $SMALL per rate; server on CPU $SERVER_CPU, curl on CPU $CLIENT_CPU"
for s in $SERVERS; do
	case $s in
	fastpath-afp|fastpath-afxdp)
		CLIENT_IF=fpk0
		if ! bench_fastpath "${s#fastpath-}" "$TMP/www"; then
			# af_xdp needs kernel support this machine may lack.
			[ "$s" = fastpath-afxdp ] || fp_die "$s did not start ($TMP/server.log)"
			fp_say "bench-loss: SKIP $s: $(grep -m1 '^fastpath: ' "$TMP/server.log" ||
				tail -1 "$TMP/server.log")"
			stop_all
			fp_forget_prefix "$PREFIX"
			continue
		fi
		;;
	nginx) start_nginx || fp_die "nginx does not answer ($TMP/server.log)" ;;
	nginx-*)
		rc=0
		start_nginx "${s#nginx-}" || rc=$?
		if [ "$rc" = 2 ]; then
			stop_all
			continue
		fi
		[ "$rc" = 0 ] || fp_die "nginx does not answer ($TMP/server.log)"
		;;
	*) fp_die "unknown server $s" ;;
	esac
	for l in $LOSS; do
		fp_say "bench-loss: $s at $l%"
		set_loss "$l"
		downloads "$s" "$l" big.bin "$BIG" "$RUNS_BIG"
		downloads "$s" "$l" small.bin "$SMALL" "$RUNS_SMALL"
	done
	set_loss 0
	stop_all
	fp_forget_prefix "$PREFIX"
done

"$FP_PY" "$FP_TOP/scripts/bench/loss_report.py" "$RESULTS" "$OUT" ${SMOKE:+--smoke}
fp_say "bench-loss: results in $OUT"
