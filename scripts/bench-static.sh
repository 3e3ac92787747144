#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The fastpath authors
#
# Static variants: fastpath's zero-copy gzip and brotli variants against
# nginx with gzip_static and brotli_static, in one run, serving the same
# files and the same precompressed siblings (gzip -9, brotli -q 11): a 100 KB
# JavaScript file and a 1 KB JSON file, without Accept-Encoding, with
# "gzip" and with "gzip, br"; and an identity file for each variant whose
# answer is as long on the wire, to compare a variant's cost with an
# identity body of its size. Then
# a handler's body compressed on the fly (fp-example's /report?kb=4, with
# and without gzip): its cost in cycles per KB. wrk on CPU 0 in a namespace
# of this script's own; the server on CPU 1 (fastpath's worker over
# net_af_packet, or nginx under taskset behind a veth pair).
#
#   scripts/bench-static.sh [--smoke] [--out DIR] [--duration S] [--conns N]
#                           [--servers "fastpath-afp nginx"] [--offloads]
#                           [--repeat N]
#
# TSO, GSO and GRO are off on every end, so that both servers send frames of
# an MTU, as fastpath does (it has no TSO): --offloads leaves the kernel's
# on, and nginx's 100 KB then leaves in a few 64 KB super-frames.
# Per case: requests/s, bytes on the wire per response (what the server's
# end of the link sent, over the responses) and server cycles per request
# (fastpath: its worker's busy TSC cycles; nginx: its processes' CPU time and
# the softirq of its CPU, at the TSC rate). Results: static.json and
# static.md in --out (default docs/bench), the median of --repeat rounds
# (default 3; each round runs every case once, so a case and its
# same-size identity file alternate). --smoke: 1 s per case, one round,
# fewer cases, results in a scratch folder; the test command runs it. Each
# wrk run is bounded by its duration.
set -euo pipefail
. "$(dirname "$0")/lib/common.sh"

SMOKE=""
OUT=""
DUR=5
CONNS=32
SERVERS="fastpath-afp nginx"
OFFLOADS=""
REPEAT=3
while [ $# -gt 0 ]; do
	case $1 in
	--smoke) SMOKE=1 ;;
	--out) OUT=$2; shift ;;
	--duration) DUR=$2; shift ;;
	--conns) CONNS=$2; shift ;;
	--servers) SERVERS=$2; shift ;;
	--offloads) OFFLOADS=1 ;;
	--repeat) REPEAT=$2; shift ;;
	-h|--help) sed -n '4,30p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
	*) fp_die "unknown option $1 (see --help)" ;;
	esac
	shift
done
[ -z "$SMOKE" ] || { DUR=1; REPEAT=1; }
case $REPEAT in ''|*[!0-9]*|0) fp_die "--repeat: not a number from 1: $REPEAT" ;; esac

fp_prepare_bench
for t in wrk nginx brotli gzip taskset; do
	command -v "$t" >/dev/null || fp_die "$t is missing after the install"
done
FP_EXAMPLE_BIN=${FP_EXAMPLE_BIN:-$(dirname "$FP_BIN")/../example/fp-example}
[ -x "$FP_EXAMPLE_BIN" ] || fp_die "no fp-example next to $FP_BIN"
BROTLI_MOD=/usr/lib/nginx/modules/ngx_http_brotli_static_module.so

BENCH_DIR=$FP_TOP/scripts/bench
TMP=$(mktemp -d /tmp/fastpath-bench-static.XXXXXX)
[ -n "$OUT" ] || OUT=$([ -n "$SMOKE" ] && echo "$TMP/out" || echo "$FP_TOP/docs/bench")
mkdir -p "$OUT"
RESULTS=$TMP/results.jsonl
: >"$RESULTS"
NS_C=fps-c-$$
NS_S=fps-s-$$
PREFIX=fps-$$
SERVER_CPU=1
CLIENT_CPU=0
[ -n "$OFFLOADS" ] || BENCH_NO_OFFLOADS=1
. "$FP_TOP/scripts/lib/bench.sh"

bench_traps bench-static

# The site, readable by nginx's worker (www-data).
chmod 711 "$TMP"
WWW=$TMP/www
mkdir -p "$WWW"
"$FP_PY" - "$WWW" <<'PY'
import json, random, sys
www = sys.argv[1]
rnd = random.Random(13)
words = ("state", "props", "render", "value", "index", "length", "push", "filter",
         "map", "reduce", "event", "target", "node", "child", "parent", "style")
lines = []
size = 0
i = 0
while size < 102400:
    a, b, c = rnd.sample(words, 3)
    line = (f"export function {a}{i}({b}, {c}) {{ const r = {b}.{rnd.choice(words)}"
            f"({c}, {rnd.randint(0, 9999)}); if (r > {rnd.randint(0, 99)}) return r.{a}; "
            f"return {c}[{i % 17}] || null; }}\n")
    lines.append(line)
    size += len(line)
    i += 1
open(f"{www}/app.js", "w").write("".join(lines)[:102400])
rows = []
doc = ""
while True:
    rows.append({"id": len(rows), "name": rnd.choice(words), "score": rnd.randint(0, 1000)})
    d = json.dumps({"items": rows}) + "\n"
    if len(d) > 1024:
        break
    doc = d
open(f"{www}/data.json", "w").write(doc.rstrip("\n").ljust(1023) + "\n")
PY
for f in app.js data.json; do
	gzip -9 -n -c "$WWW/$f" >"$WWW/$f.gz"
	brotli -q 11 -c "$WWW/$f" >"$WWW/$f.br"
	# Identity answers of the variants' sizes, for the goal's comparison:
	# the body longer by the two head lines a variant has and it has not
	# (Content-Encoding, Vary), so that both are the same bytes, and the
	# same frames, on the wire. They are asked for with the variant's
	# Accept-Encoding (they have no variant): the same request too.
	for v in gz br; do
		enc=$([ "$v" = gz ] && echo gzip || echo br)
		extra="Content-Encoding: $enc\r\nVary: Accept-Encoding\r\n"
		head -c "$(($(stat -c %s "$WWW/$f.$v") + ${#extra} - 4))" /dev/urandom \
			>"$WWW/same-$f-$v.bin"
	done
done
chmod -R a+rX "$WWW"

# CASES: label, server path, Accept-Encoding (- for none), server kinds.
CASES=${BENCH_STATIC_CASES:-"js-identity /app.js -
js-gzip-size-identity /same-app.js-gz.bin gzip
js-gzip /app.js gzip
js-br-size-identity /same-app.js-br.bin gzip,_br
js-br /app.js gzip,_br
json-identity /data.json -
json-gzip /data.json gzip
json-br /data.json gzip,_br
json-gzip-size-identity /same-data.json-gz.bin gzip
json-br-size-identity /same-data.json-br.bin gzip,_br"}
[ -z "$SMOKE" ] || CASES="js-identity /app.js -
js-br /app.js gzip,_br
js-br-size-identity /same-app.js-br.bin gzip,_br
json-br /data.json gzip,_br"
DYN_CASES="dyn-identity /report?kb=4 -
dyn-gzip /report?kb=4 gzip"

start_nginx() {
	bench_kernel_ns
	ss_ sysctl -qw net.core.somaxconn=4096
	cs sysctl -qw net.ipv4.ip_local_port_range="1024 65000" net.ipv4.tcp_tw_reuse=1
	local brotli="" bs=""
	if [ -f "$BROTLI_MOD" ]; then
		brotli="load_module $BROTLI_MOD;"
		bs="brotli_static on;"
	fi
	bench_start_nginx "$WWW" "include /etc/nginx/mime.types; gzip_static on; gzip_vary on; $bs" \
		"$brotli"
	CLIENT_DEV=cv0
}

# Bytes the client's end received (what the server sent, with headers).
rx_bytes() { cs cat "/sys/class/net/$CLIENT_DEV/statistics/rx_bytes"; }

# Connections the server still has (the last run's, closing).
open_conns() {
	case $1 in
	fastpath-*) tel /fastpath/stats tcp_conns ;;
	*) ss_ ss -Htn "( sport = :80 )" | grep -vc LISTEN || true ;;
	esac
}

# run_case SERVER LABEL PATH AE: one bounded wrk run; appends a JSON record.
run_case() {
	local server=$1 label=$2 path=$3 ae=${4//_/ } hdr=() out c0 c1 b0 b1 json enc
	[ "$ae" = - ] || hdr=(-H "Accept-Encoding: $ae")
	# The Content-Encoding this server answers the case with, for the record.
	enc=$(cs curl -s --max-time 5 -o /dev/null -D - "${hdr[@]}" "http://$SERVER_IP$path" |
		tr -d '\r' | sed -n 's/^[Cc]ontent-[Ee]ncoding: //p')
	# The last run's connections gone first (10 s at most): what they
	# still send is not this case's.
	for _ in $(seq 100); do
		[ "$(open_conns "$server")" = 0 ] && break
		sleep 0.1
	done
	c0=$(cpu_snap "$server")
	b0=$(rx_bytes)
	out=$(cs timeout $((DUR + 30)) taskset -c $CLIENT_CPU wrk -t1 -c"$CONNS" -d"${DUR}s" \
		--latency -s "$BENCH_DIR/report.lua" "${hdr[@]}" "http://$SERVER_IP$path" 2>&1) ||
		{ echo "$out" >&2; fp_say "wrk failed for $server $label"; return 1; }
	c1=$(cpu_snap "$server")
	b1=$(rx_bytes)
	json=$(grep '^{' <<<"$out" | tail -1)
	"$FP_PY" - "$server" "$label" "$path" "$ae" "${enc:-identity}" "$((c1 - c0))" \
		"$((b1 - b0))" "$TSC_HZ" "$(getconf CLK_TCK)" "$json" >>"$RESULTS" <<'PY'
import json, sys
server, label, path, ae, enc, cpu, wire, hz, tck, w = sys.argv[1:]
w = json.loads(w)
req, secs = w["requests"], w["duration_us"] / 1e6
cycles = int(cpu) if server.startswith("fastpath") else int(cpu) / int(tck) * int(hz)
print(json.dumps({
    "server": server, "case": label, "path": path, "accept_encoding": ae,
    "content_encoding": enc, "requests": req, "rps": round(req / secs) if secs else 0,
    "wire_bytes_per_resp": round(int(wire) / req) if req else None,
    "cycles_per_req": round(cycles / req) if req else None,
    "errors": sum(w["errors"].values()), "p99_us": w["latency_us"]["p99"],
}))
PY
	tail -1 "$RESULTS" >&2
}

# REPEAT rounds of every case.
run_cases() {
	local server=$1 cases=$2 label path ae r
	for r in $(seq "$REPEAT"); do
		fp_say "bench-static: $server, round $r of $REPEAT"
		while read -r label path ae; do
			run_case "$server" "$label" "$path" "$ae"
		done <<<"$cases"
	done
}

fp_say "bench-static: server on CPU $SERVER_CPU, wrk on CPU $CLIENT_CPU, $CONNS connections," \
	"${DUR} s per case"
for s in $SERVERS; do
	case $s in
	fastpath-afp)
		bench_fastpath afp "$WWW" || fp_die "fastpath did not start ($TMP/server.log)"
		CLIENT_DEV=fpk0
		TSC_HZ=$(tel /fastpath/stats tsc_hz)
		bench_wait_http /app.js || fp_die "fastpath does not answer"
		run_cases "$s" "$CASES"
		# For a look afterwards (BENCH_KEEP=1): retransmissions, drops,
		# and the client's side of them.
		tel /fastpath/stats >"$TMP/stats-$s.json" || true
		tel "/ethdev/xstats,0" >"$TMP/ethdev-$s.json" || true
		cs nstat -az >"$TMP/nstat-client-$s.txt" 2>&1 || true
		stop_all
		fp_forget_prefix "$PREFIX"
		# The handler's body compressed on the fly: fp-example.
		FP_BIN=$FP_EXAMPLE_BIN bench_fastpath afp "$WWW" ||
			fp_die "fp-example did not start ($TMP/server.log)"
		bench_wait_http /report || fp_die "fp-example does not answer"
		run_cases "$s" "$DYN_CASES"
		stop_all
		fp_forget_prefix "$PREFIX"
		;;
	nginx)
		start_nginx
		TSC_HZ=$(awk -F: '/^cpu MHz/ {printf "%d", $2 * 1000000; exit}' /proc/cpuinfo)
		bench_wait_http /app.js || fp_die "nginx does not answer ($TMP/server.log)"
		run_cases "$s" "$CASES"
		stop_all
		;;
	*) fp_die "unknown server $s" ;;
	esac
done

"$FP_PY" "$BENCH_DIR/static_report.py" "$RESULTS" "$OUT" ${SMOKE:+--smoke}
fp_say "bench-static: results in $OUT"
