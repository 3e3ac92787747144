#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The fastpath authors
#
# HTTP over net_tap: a site of files and a [route], GET and HEAD, headers,
# keep-alive, 20 pipelined requests, a 10 MB body sent without copying, 404;
# connections and mbufs back to their baseline.
. "$(dirname "$0")/lib.sh"

site=$IT_TMP/site
mkdir -p "$site/sub" "$site/pipe"
cat >"$site/index.html" <<'EOF'
<!doctype html>
<title>fastpath test site</title>
<p>the index</p>
EOF
echo 'body { color: black; }' >"$site/style.css"
echo '{"answer": 42}' >"$site/data.json"
echo 'plain text' >"$site/notes.txt"
printf '\x89PNG\r\n\x1a\n0123456789' >"$site/pixel.png"
echo '<p>the sub index</p>' >"$site/sub/index.html"
for i in $(seq -w 1 20); do echo "pipelined $i" >"$site/pipe/$i.txt"; done
head -c 100 /dev/urandom >"$site/blob.bin"
echo 'not published' >"$site/.secret"
head -c 10485760 /dev/urandom >"$site/big.bin"

cfg=$IT_TMP/http.ini
cat >"$cfg" <<'EOF'
[tcp]
time_wait_ms = 1000

[route /health]
body = OK
EOF

it_start_tap --root "$site" -c "$cfg"
base_mbufs=$(tel /fastpath/stats mbufs_in_use)
base_conns=$(tel /fastpath/stats tcp_conns)
URL=http://$FP_IP

raw() { nsx "$FP_PY" "$IT_DIR/http_raw.py" "$FP_IP" 80 "$@"; }

# GET /
c -D "$IT_TMP/h" -o "$IT_TMP/b" "$URL/" || true
check_eq "GET / answers 200" "HTTP/1.1 200 OK" "$(head -1 "$IT_TMP/h" | tr -d '\r')"
check "GET / returns index.html" cmp -s "$site/index.html" "$IT_TMP/b"
check_eq "GET /: Content-Type" "text/html; charset=utf-8" "$(hdr "$IT_TMP/h" Content-Type)"
check_eq "GET /: Content-Length" "$(stat -c %s "$site/index.html")" \
	"$(hdr "$IT_TMP/h" Content-Length)"
check_eq "Server header" "fastpath" "$(hdr "$IT_TMP/h" Server)"
date_re='^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), [0-3][0-9] [A-Z][a-z]{2} [0-9]{4}'
date_re+=' [0-2][0-9]:[0-5][0-9]:[0-6][0-9] GMT$'
d=$(hdr "$IT_TMP/h" Date)
check "Date header in IMF-fixdate form ('$d')" grep -Eq "$date_re" <<<"$d"
# Within a minute of our clock: the date is the time of the response.
age=$(($(date -u +%s) - $(date -u -d "$d" +%s 2>/dev/null || echo 0)))
check "Date header is now (${age} s ago)" test "$age" -ge -2 -a "$age" -lt 60

# Other files: each extension its type, /sub/ its index.
while read -r path type; do
	c -D "$IT_TMP/h" -o "$IT_TMP/b" "$URL$path" || true
	f=$site$path
	[ "${path%/}" = "$path" ] || f=${f}index.html
	check "GET $path returns the file" cmp -s "$f" "$IT_TMP/b"
	check_eq "GET $path: Content-Type" "$type" "$(hdr "$IT_TMP/h" Content-Type)"
done <<'EOF'
/style.css text/css; charset=utf-8
/data.json application/json
/notes.txt text/plain; charset=utf-8
/pixel.png image/png
/blob.bin application/octet-stream
/sub/ text/html; charset=utf-8
/sub/index.html text/html; charset=utf-8
EOF

# HEAD: the headers of GET and no body. A HEAD then a GET on one connection:
# a body after the HEAD would be read as the start of the second answer.
heads=$(tel /fastpath/stats http_head)
c -I -o "$IT_TMP/h" "$URL/style.css" || true
check_eq "HEAD /style.css answers 200" "HTTP/1.1 200 OK" "$(head -1 "$IT_TMP/h" | tr -d '\r')"
check_eq "HEAD: Content-Length of the file" "$(stat -c %s "$site/style.css")" \
	"$(hdr "$IT_TMP/h" Content-Length)"
check_eq "HEAD: Content-Type" "text/css; charset=utf-8" "$(hdr "$IT_TMP/h" Content-Type)"
out=$(printf 'HEAD /data.json HTTP/1.1\r\nHost: x\r\n\r\nGET /health HTTP/1.1\r\nHost: x\r\n\r\n' |
	raw -n 2 --no-body 1 --linger 0.5) || true
check_eq "HEAD then GET on one connection: two answers" 2 \
	"$(grep -c '^status HTTP/1.1 200 OK$' <<<"$out")"
check "HEAD: no body before the next answer" grep -qx "body 'OK'" <<<"$out"
check_eq "http_head counted both HEADs" $((heads + 2)) "$(tel /fastpath/stats http_head)"

# Keep-alive: four URLs in one curl, one connection.
opens=$(tel /fastpath/stats tcp_passive_opens)
n=$(c -o /dev/null -o /dev/null -o /dev/null -o /dev/null -w '%{num_connects}\n' \
	"$URL/" "$URL/style.css" "$URL/health" "$URL/sub/" | paste -sd' ') || true
check_eq "keep-alive: curl connected once for 4 URLs" "1 0 0 0" "$n"
check_eq "keep-alive: one passive open" $((opens + 1)) "$(tel /fastpath/stats tcp_passive_opens)"

# 20 requests in one write, answered in order.
req=""
want=""
for i in $(seq -w 20 -1 1); do
	req+="GET /pipe/$i.txt HTTP/1.1\r\nHost: $FP_IP\r\n\r\n"
	want+="body 'pipelined $i\\n'"$'\n'
done
opens=$(tel /fastpath/stats tcp_passive_opens)
# shellcheck disable=SC2059
out=$(printf "$req" | raw -n 20 --linger 0.5) || true
check_eq "20 pipelined requests: 20 answers 200" 20 \
	"$(grep -c '^status HTTP/1.1 200 OK$' <<<"$out")"
check_eq "20 pipelined requests: bodies in request order" "${want%$'\n'}" \
	"$(grep '^body ' <<<"$out")"
check_eq "20 pipelined requests: connection kept open" "end open" "$(tail -1 <<<"$out")"
check_eq "20 pipelined requests: one connection" $((opens + 1)) \
	"$(tel /fastpath/stats tcp_passive_opens)"

# 10 MB: intact, and only its header was written into mbufs.
hdrs=$(tel /fastpath/stats tcp_tx_inline_bytes)
copied=$(tel /fastpath/stats tcp_tx_copied_bytes)
zc=$(tel /fastpath/stats tcp_tx_zerocopy_bytes)
c --max-time 60 -D "$IT_TMP/h" -o "$IT_TMP/big" "$URL/big.bin" || true
check_eq "10 MB file: sha256 matches" "$(sha256sum <"$site/big.bin")" "$(sha256sum <"$IT_TMP/big")"
hlen=$(stat -c %s "$IT_TMP/h")
check_eq "10 MB file: header bytes rose by the header length" "$hlen" \
	$(($(tel /fastpath/stats tcp_tx_inline_bytes) - hdrs))
check_eq "10 MB file: no body byte copied" "$copied" "$(tel /fastpath/stats tcp_tx_copied_bytes)"
check_eq "no body byte copied since start" 0 "$(tel /fastpath/stats tcp_tx_copied_bytes)"
zc_delta=$(($(tel /fastpath/stats tcp_tx_zerocopy_bytes) - zc))
check "10 MB file: zero-copy bytes rose by at least 10485760 (by $zc_delta)" \
	test "$zc_delta" -ge 10485760

# A [route], and a path nobody serves.
check_eq "/health: body OK" "OK" "$(c "$URL/health" || true)"
c -D "$IT_TMP/h" -o /dev/null "$URL/health" || true
check_eq "/health: Content-Type of an inline body" "text/plain; charset=utf-8" \
	"$(hdr "$IT_TMP/h" Content-Type)"
n404=$(tel /fastpath/stats http_404)
check_eq "/nope answers 404" 404 "$(c -o /dev/null -w '%{http_code}' "$URL/nope" || true)"
check_eq "http_404 rose by one" $((n404 + 1)) "$(tel /fastpath/stats http_404)"
check_eq "a hidden file, /.secret, answers 404" 404 \
	"$(c -o /dev/null -w '%{http_code}' "$URL/.secret" || true)"

# TIME-WAIT lasts 1 s: everything is gone within a few.
check "connections back to the baseline of $base_conns" it_stat_back_to tcp_conns "$base_conns" 10
check_eq "no connection in TIME-WAIT" 0 "$(tel /fastpath/stats tcp_time_wait)"
check "mbufs in use back to the baseline of $base_mbufs" it_mbufs_back_to "$base_mbufs"
check_eq "no request buffer held" 0 "$(tel /fastpath/stats http_rxbufs)"
check "SIGINT stops fastpath with status 0" it_stop_fastpath
