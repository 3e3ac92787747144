#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The fastpath authors
#
# The HTTP smoke test on net_af_packet, over a veth pair: GET, HEAD,
# keep-alive, a 1 MB file intact, 404; connections and mbufs back to their
# baseline.
. "$(dirname "$0")/lib.sh"

site=$IT_TMP/site
mkdir -p "$site"
printf '<!doctype html>\n<title>af_packet</title>\n' >"$site/index.html"
echo 'body { margin: 0; }' >"$site/style.css"
head -c 1048576 /dev/urandom >"$site/1m.bin"
# drivers-cfg/net_af_packet.ini's ring sizes, and a short TIME-WAIT.
cfg=$IT_TMP/http.ini
cat >"$cfg" <<'EOF'
[port]
rx_desc = 512
tx_desc = 512

[mempool]
mbufs = 4095
cache = 256

[tcp]
time_wait_ms = 1000
EOF

it_start_af_packet --root "$site" -c "$cfg"
base_mbufs=$(tel /fastpath/stats mbufs_in_use)
base_conns=$(tel /fastpath/stats tcp_conns)
URL=http://$FP_IP


c -D "$IT_TMP/h" -o "$IT_TMP/b" "$URL/" || true
check_eq "GET / answers 200" "HTTP/1.1 200 OK" "$(head -1 "$IT_TMP/h" | tr -d '\r')"
check "GET / returns index.html" cmp -s "$site/index.html" "$IT_TMP/b"
check_eq "GET /: Content-Type" "text/html; charset=utf-8" "$(hdr "$IT_TMP/h" Content-Type)"

c -I -o "$IT_TMP/h" "$URL/style.css" || true
check_eq "HEAD /style.css answers 200" "HTTP/1.1 200 OK" "$(head -1 "$IT_TMP/h" | tr -d '\r')"
check_eq "HEAD: Content-Length of the file" "$(stat -c %s "$site/style.css")" \
	"$(hdr "$IT_TMP/h" Content-Length)"

opens=$(tel /fastpath/stats tcp_passive_opens)
n=$(c -o /dev/null -o /dev/null -o /dev/null -w '%{num_connects}\n' \
	"$URL/" "$URL/style.css" "$URL/index.html" | paste -sd' ') || true
check_eq "keep-alive: curl connected once for 3 URLs" "1 0 0" "$n"
check_eq "keep-alive: one passive open" $((opens + 1)) "$(tel /fastpath/stats tcp_passive_opens)"

c --max-time 30 -o "$IT_TMP/1m" "$URL/1m.bin" || true
check_eq "1 MB file: sha256 matches" "$(sha256sum <"$site/1m.bin")" "$(sha256sum <"$IT_TMP/1m")"

check_eq "/nope answers 404" 404 "$(c -o /dev/null -w '%{http_code}' "$URL/nope" || true)"

check "connections back to the baseline of $base_conns" it_stat_back_to tcp_conns "$base_conns" 10
check "mbufs in use back to the baseline of $base_mbufs" it_mbufs_back_to "$base_mbufs"
check "SIGINT stops fastpath with status 0" it_stop_fastpath
