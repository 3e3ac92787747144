#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The fastpath authors
#
# Packet capture: scripts/fastpath-dumpcap (dpdk-dumpcap, a secondary
# process) records a ping and a curl while fastpath runs; tcpdump reads the
# pcapng back; fastpath's mbufs return to their baseline afterwards.
. "$(dirname "$0")/lib.sh"

# A secondary process maps the primary's hugepages: --no-huge has none.
if [ -n "$FP_EAL_MEM" ]; then
	echo "SKIP: dpdk-dumpcap needs hugepages shared with fastpath (have: $FP_EAL_MEM)"
	exit 77
fi

printf '[route /health]\nbody = OK\n' >"$IT_TMP/cfg.ini"
it_start_tap -c "$IT_TMP/cfg.ini"
base_mbufs=$(tel /fastpath/stats mbufs_in_use)
cap=$IT_TMP/cap.pcapng
DUMPCAP=$IT_DIR/../../scripts/fastpath-dumpcap

# Bounded twice over: by duration, and by timeout in case it hangs.
# dpdk-dumpcap's "Capturing on" line is buffered until it exits, and it
# takes a moment to attach: pings go out until its running count (on
# stderr) moves, then the traffic to check follows, then Ctrl-C stops it.
filter="icmp or tcp port 80"
timeout 60 "$DUMPCAP" --file-prefix="$IT_PREFIX" -i net_tap0 -p -f "$filter" -w "$cap" \
	-a duration:40 >"$IT_TMP/dumpcap.out" 2>&1 &
dc_pid=$!
# captured: the latest packet count dpdk-dumpcap reported.
captured() { tr '\b\r' '  ' <"$IT_TMP/dumpcap.out" | grep -o '[0-9]\+' | tail -1 || echo 0; }
live=""
for _ in $(seq 60); do
	nsx ping -c 1 -W 1 "$FP_IP" >/dev/null 2>&1 || true
	[ "$(captured)" -ge 2 ] && live=1 && break
	kill -0 "$dc_pid" 2>/dev/null || break
	sleep 0.2
done
check "dpdk-dumpcap attaches to fastpath and captures" test -n "$live"
before=$(captured)

nsx ping -c 4 -i 0.2 -W 2 "$FP_IP" >"$IT_TMP/ping.out" 2>&1 || true
check "4 pings answered during the capture" grep -q "4 received" "$IT_TMP/ping.out"
check_eq "curl during the capture" OK \
	"$(nsx curl -sS --max-time 5 "http://$FP_IP/health" 2>/dev/null || true)"
# 8 ICMP + 3 handshake + request, response, FINs and ACKs: at least 16.
for _ in $(seq 30); do [ "$(captured)" -ge $((before + 16)) ] && break; sleep 0.1; done
kill -INT "$dc_pid" 2>/dev/null || true
rc=0
wait "$dc_pid" || rc=$?
check_eq "dpdk-dumpcap stops cleanly on Ctrl-C" 0 "$rc"
check "it captured on fastpath's port" grep -q "Capturing on 'net_tap0'" "$IT_TMP/dumpcap.out"

txt=$(tcpdump -nn -r "$cap" 2>"$IT_TMP/tcpdump.err") || true
check "tcpdump reads the pcapng" grep -q "link-type EN10MB" "$IT_TMP/tcpdump.err"
nreq=$(grep -c "$PEER_IP > $FP_IP: ICMP echo request" <<<"$txt") || true
nrep=$(grep -c "$FP_IP > $PEER_IP: ICMP echo reply" <<<"$txt") || true
check "the 4 echo requests are captured ($nreq with the first ones)" test "$nreq" -ge 5
check_eq "and as many replies" "$nreq" "$nrep"
check "the filter kept only ICMP and port 80" test -z "$(grep -v -e ICMP -e '\.80[ :]' <<<"$txt")"
check "the SYN-ACK is captured" grep -q "$FP_IP.80 > $PEER_IP.[0-9]*: Flags \[S.\]" <<<"$txt"
check "the request is captured" grep -q "HTTP: GET /health HTTP/1.1" <<<"$txt"
check "the response, sent zero-copy as a chain, is captured whole" \
	grep -q "$FP_IP.80 > .*HTTP: HTTP/1.1 200 OK" <<<"$txt"
check "the FIN is captured" grep -q "$FP_IP.80 > $PEER_IP.*Flags \[F" <<<"$txt"

# The response's bytes: the captured payload is the whole response.
resp=$(tcpdump -nn -A -r "$cap" "src host $FP_IP and tcp src port 80" 2>/dev/null)
check "the captured response carries its body" grep -q "^OK" <<<"$resp"

check "fastpath keeps serving after the capture" nsx curl -sf --max-time 5 -o /dev/null \
	"http://$FP_IP/health"
check "mbufs back to the baseline after the capture" it_mbufs_back_to "$base_mbufs"
