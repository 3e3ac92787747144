#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The fastpath authors
#
# Every HTTP error status from raw requests: the status line, its counter,
# and the connection closed after a framing error. A body read and dropped
# between two pipelined requests; a RST for a closed port; connections and
# mbufs back to their baseline.
. "$(dirname "$0")/lib.sh"

site=$IT_TMP/site
mkdir -p "$site"
echo 'hello' >"$site/index.html"
cfg=$IT_TMP/http.ini
cat >"$cfg" <<'EOF'
[tcp]
time_wait_ms = 1000

[http]
header_timeout_s = 1

[route /health]
body = OK
EOF

it_start_tap --root "$site" -c "$cfg"
base_mbufs=$(tel /fastpath/stats mbufs_in_use)
base_conns=$(tel /fastpath/stats tcp_conns)

raw() { nsx "$FP_PY" "$IT_DIR/http_raw.py" "$FP_IP" 80 "$@"; }

# expect DESCRIPTION STATUS CONNECTION REQUEST [http_raw options]: sends the
# request (printf format), wants one answer with STATUS, http_STATUS up by
# one, and the connection then "closed" or "open".
expect() {
	local what=$1 status=$2 conn=$3 req=$4 before out line
	shift 4
	before=$(tel /fastpath/stats "http_$status")
	# shellcheck disable=SC2059
	out=$(printf "$req" | raw -n 1 --linger 1 "$@") || true
	line=$(sed -n 's/^status //p' <<<"$out" | head -1)
	check "$what: answers $status ('$line')" grep -Eq "^HTTP/1\.1 $status [A-Z]" <<<"$line"
	check_eq "$what: http_$status rose by one" $((before + 1)) \
		"$(tel /fastpath/stats "http_$status")"
	check_eq "$what: connection $conn after the answer" "end $conn" "$(tail -1 <<<"$out")"
	LAST=$out
}

H='Host: x\r\n'
n400=$(tel /fastpath/stats http_400)
expect "malformed request line" 400 closed 'GET / HTTP/1.1 junk\r\n'"$H"'\r\n'
expect "no Host on HTTP/1.1" 400 closed 'GET / HTTP/1.1\r\n\r\n'
expect "two Host headers" 400 closed 'GET / HTTP/1.1\r\n'"$H$H"'\r\n'
expect "Content-Length: -1" 400 closed 'POST / HTTP/1.1\r\n'"$H"'Content-Length: -1\r\n\r\n'
expect "two different Content-Length" 400 closed \
	'POST / HTTP/1.1\r\n'"$H"'Content-Length: 3\r\nContent-Length: 4\r\n\r\nabcd'
expect "Content-Length with Transfer-Encoding" 400 closed \
	'POST / HTTP/1.1\r\n'"$H"'Content-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\nabc'
expect "whitespace before the colon" 400 closed 'GET / HTTP/1.1\r\nHost : x\r\n\r\n'
expect "bare CR in a header" 400 closed 'GET / HTTP/1.1\r\n'"$H"'X-A: a\rb\r\n\r\n'
expect "obs-fold" 400 closed 'GET / HTTP/1.1\r\n'"$H"'X-A: a\r\n b\r\n\r\n'
check_eq "http_400 counted the nine" $((n400 + 9)) "$(tel /fastpath/stats http_400)"

expect "a path nobody serves" 404 open 'GET /nope HTTP/1.1\r\n'"$H"'\r\n'
expect "DELETE" 405 open 'DELETE / HTTP/1.1\r\n'"$H"'\r\n'
check_eq "405 carries Allow: GET, HEAD" "header Allow: GET, HEAD" \
	"$(grep '^header Allow:' <<<"$LAST")"
expect "POST" 405 open 'POST /health HTTP/1.1\r\n'"$H"'Content-Length: 0\r\n\r\n'
# Half a head, then nothing: 408 once header_timeout_s (1 s) has passed.
t0=$(date +%s%N)
expect "half a head, then silence" 408 closed 'GET / HTTP/1.1\r\nHo' --timeout 5
ms=$((($(date +%s%N) - t0) / 1000000))
check "408 after the 1 s header timeout, not before (${ms} ms)" test "$ms" -ge 900
expect "Content-Length above max_body" 413 closed \
	'GET / HTTP/1.1\r\n'"$H"'Content-Length: 1048577\r\n\r\n'
# As nginx's large_client_header_buffers: a request line of 8 KB is served,
# a longer target gets 414.
long=/$(head -c 8100 /dev/zero | tr '\0' a)
expect "an 8 KB request line" 404 open "GET $long HTTP/1.1\\r\\n$H\\r\\n"
long=/$(head -c 8999 /dev/zero | tr '\0' a)
expect "a 9000-byte target" 414 closed "GET $long HTTP/1.1\\r\\n$H\\r\\n"
big=""
for i in $(seq 40); do big+="X-Filler-$i: $(head -c 900 /dev/zero | tr '\0' b)\\r\\n"; done
expect "36 KB of headers" 431 closed "GET / HTTP/1.1\\r\\n$H$big\\r\\n"
expect "method BREW" 501 closed 'BREW /pot HTTP/1.1\r\n'"$H"'\r\n'
expect "a transfer coding other than chunked" 501 closed \
	'POST / HTTP/1.1\r\n'"$H"'Transfer-Encoding: gzip\r\n\r\n'
# A file takes no POST; a chunked body is not read to skip it, so close.
expect "a chunked POST to a file" 405 closed \
	'POST / HTTP/1.1\r\n'"$H"'Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n'
expect "HTTP/2.0" 505 closed 'GET / HTTP/2.0\r\n'"$H"'\r\n'

# A body is read and dropped; the request after it on the same connection
# is answered.
dropped=$(tel /fastpath/stats http_body_bytes_discarded)
req='POST /health HTTP/1.1\r\n'"$H"'Content-Length: 5\r\n\r\nhello'
req+='GET /health HTTP/1.1\r\n'"$H"'\r\n'
# shellcheck disable=SC2059
out=$(printf "$req" | raw -n 2 --linger 0.5) || true
check_eq "a 5-byte body then a GET: 405 then 200" \
	"HTTP/1.1 405 Method Not Allowed HTTP/1.1 200 OK" \
	"$(sed -n 's/^status //p' <<<"$out" | paste -sd' ')"
check "a 5-byte body then a GET: the GET gets OK" grep -qx "body 'OK'" <<<"$out"
check_eq "a 5-byte body then a GET: connection open" "end open" "$(tail -1 <<<"$out")"
check_eq "the 5 body bytes were discarded" $((dropped + 5)) \
	"$(tel /fastpath/stats http_body_bytes_discarded)"

# A SYN to a port nobody listens on gets a RST: refused at once.
nol=$(tel /fastpath/stats drops.tcp_no_listener)
rsts=$(tel /fastpath/stats tcp_resets_sent)
t0=$(date +%s%N)
rc=0
out=$(nsx curl -sSv --max-time 5 "http://$FP_IP:81/" 2>&1) || rc=$?
ms=$((($(date +%s%N) - t0) / 1000000))
check_eq "port 81: curl cannot connect (exit 7)" 7 "$rc"
check "port 81: Connection refused" grep -q "port 81 failed: Connection refused" <<<"$out"
check "tcp_resets_sent rose" test "$(tel /fastpath/stats tcp_resets_sent)" -gt "$rsts"
check "port 81: refused fast (${ms} ms)" test "$ms" -lt 2000
check "drops.tcp_no_listener rose" test "$(tel /fastpath/stats drops.tcp_no_listener)" -gt "$nol"

check "connections back to the baseline of $base_conns" it_stat_back_to tcp_conns "$base_conns" 10
check "mbufs in use back to the baseline of $base_mbufs" it_mbufs_back_to "$base_mbufs"
check_eq "no request buffer held" 0 "$(tel /fastpath/stats http_rxbufs)"
check "SIGINT stops fastpath with status 0" it_stop_fastpath
