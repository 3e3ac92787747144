#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The fastpath authors
#
# The example program (app/example) over net_tap with curl: a route with a
# parameter, POST echo with Content-Length and chunked bodies, the hooks
# (a header on every answer, 401 without a token), a stream, an event stream, an answer
# from another thread, a WebSocket echo (python3-websockets and hand-built frames), 404 and 405 with Allow; connections, mbufs and
# request contexts back to their baseline.
. "$(dirname "$0")/lib.sh"

FP_BIN=${FP_EXAMPLE_BIN:?FP_EXAMPLE_BIN must name fp-example}
site=$IT_TMP/site
mkdir -p "$site"
echo 'the index' >"$site/index.html"

cfg=$IT_TMP/example.ini
printf '[tcp]\ntime_wait_ms = 1000\n' >"$cfg"

it_start_tap --root "$site" -c "$cfg"
base_mbufs=$(tel /fastpath/stats mbufs_in_use)
base_conns=$(tel /fastpath/stats tcp_conns)
URL=http://$FP_IP


# A route with a parameter, and the ON_RESPONSE hook's header.
c -D "$IT_TMP/h" -o "$IT_TMP/b" "$URL/hello/world" || true
check_eq "GET /hello/world: 200" 200 "$(status "$IT_TMP/h")"
check "GET /hello/world: JSON with the name" grep -q '^{"hello": "world", "lcore": [0-9]*}$' \
	"$IT_TMP/b"
check_eq "GET /hello/world: Content-Type" "application/json" "$(hdr "$IT_TMP/h" Content-Type)"
check_eq "the hook's header on a handler's answer" "fastpath" "$(hdr "$IT_TMP/h" X-Example)"
c -D "$IT_TMP/h" -o "$IT_TMP/b" "$URL/" || true
check_eq "the hook's header on a file too" "fastpath" "$(hdr "$IT_TMP/h" X-Example)"
check "the file is still served" cmp -s "$site/index.html" "$IT_TMP/b"
# /report: compressed on the fly for a client that takes gzip.
c -D "$IT_TMP/h" -o "$IT_TMP/b" --compressed -H 'Accept-Encoding: gzip' "$URL/report?kb=8" ||
	true
check_eq "GET /report, gzip taken: Content-Encoding" gzip "$(hdr "$IT_TMP/h" Content-Encoding)"
check "GET /report, gzip taken: JSON of 8 KB once decoded" "$FP_PY" -c 'import json, sys
d = open(sys.argv[1], "rb").read()
assert len(d) == 8192, len(d)
assert len(json.loads(d)["rows"]) > 50' "$IT_TMP/b"
check "GET /report, gzip taken: the wire held under a third of it" \
	test "$(hdr "$IT_TMP/h" Content-Length)" -lt 2731
c -D "$IT_TMP/h" -o "$IT_TMP/b2" "$URL/report?kb=8" || true
check_eq "GET /report, no Accept-Encoding: no Content-Encoding" "" \
	"$(hdr "$IT_TMP/h" Content-Encoding)"
check_eq "GET /report, no Accept-Encoding: Vary" Accept-Encoding "$(hdr "$IT_TMP/h" Vary)"
check "GET /report: the same JSON either way" cmp -s "$IT_TMP/b" "$IT_TMP/b2"
c -D "$IT_TMP/h" -o /dev/null "$URL/hello/bad%20name" || true
check_eq "a name that is not plain: 400" 400 "$(status "$IT_TMP/h")"

# 404 and 405 with Allow built from the routes.
c -D "$IT_TMP/h" -o /dev/null "$URL/nothing/here" || true
check_eq "an unknown path: 404" 404 "$(status "$IT_TMP/h")"
c -D "$IT_TMP/h" -o /dev/null -X DELETE "$URL/hello/world" || true
check_eq "DELETE on a GET route: 405" 405 "$(status "$IT_TMP/h")"
check_eq "405 names what the route allows" "GET, HEAD" "$(hdr "$IT_TMP/h" Allow)"
c -D "$IT_TMP/h" -o /dev/null "$URL/echo" || true
check_eq "GET on the POST route: 405" 405 "$(status "$IT_TMP/h")"
check_eq "405 for /echo allows POST" "POST" "$(hdr "$IT_TMP/h" Allow)"

# POST echo: Content-Length and chunked, small and large (streamed back).
for size in 1 1000 100000 1000000; do
	head -c "$size" /dev/urandom >"$IT_TMP/in"
	c -o "$IT_TMP/out" --data-binary @"$IT_TMP/in" -H 'Content-Type: application/x-test' \
		"$URL/echo" || true
	check "POST /echo of $size bytes (Content-Length) comes back whole" \
		cmp -s "$IT_TMP/in" "$IT_TMP/out"
	c -o "$IT_TMP/out" --data-binary @"$IT_TMP/in" -H 'Transfer-Encoding: chunked' \
		"$URL/echo" || true
	check "POST /echo of $size bytes (chunked) comes back whole" \
		cmp -s "$IT_TMP/in" "$IT_TMP/out"
done
c -D "$IT_TMP/h" -o /dev/null --data-binary 'x' "$URL/echo" || true
check_eq "echo keeps the request's Content-Type" "application/x-www-form-urlencoded" \
	"$(hdr "$IT_TMP/h" Content-Type)"
head -c 1048577 /dev/zero >"$IT_TMP/big"
c -D "$IT_TMP/h" -o /dev/null --data-binary @"$IT_TMP/big" "$URL/echo" || true
check_eq "a body over max_body: 413" 413 "$(status "$IT_TMP/h")"
out=$(printf 'POST /echo HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n' |
	nsx "$FP_PY" "$IT_DIR/http_raw.py" "$FP_IP" 80 -n 1 --timeout 5 --linger 1 |
	sed -n '1p;$p' | tr '\n' ' ')
check_eq "a bad chunk size: 400, then close" "status HTTP/1.1 400 Bad Request end closed " "$out"

# The ON_REQUEST hook: /private/ wants the bearer token.
c -D "$IT_TMP/h" -o /dev/null "$URL/private/x" || true
check_eq "/private/ without a token: 401" 401 "$(status "$IT_TMP/h")"
check_eq "401 names the scheme" 'Bearer realm="example"' "$(hdr "$IT_TMP/h" WWW-Authenticate)"
c -D "$IT_TMP/h" -o /dev/null -H 'Authorization: Bearer wrong' "$URL/private/x" || true
check_eq "/private/ with a wrong token: 401" 401 "$(status "$IT_TMP/h")"
c -D "$IT_TMP/h" -o /dev/null -H 'Authorization: Bearer let-me-in' "$URL/private/x" || true
check_eq "/private/ with the token goes on to routing (404 here)" 404 "$(status "$IT_TMP/h")"

# A stream: chunked, every line in order.
c -D "$IT_TMP/h" -o "$IT_TMP/s" "$URL/stream?n=20000" || true
check_eq "GET /stream: chunked" "chunked" "$(hdr "$IT_TMP/h" Transfer-Encoding)"
check_eq "GET /stream: 20000 lines" 20000 "$(wc -l <"$IT_TMP/s")"
check_eq "GET /stream: the last line" "line 20000 of 20000" "$(tail -1 "$IT_TMP/s")"
c -o "$IT_TMP/s" --http1.0 "$URL/stream?n=100" || true
check_eq "GET /stream over HTTP/1.0 (until close): 100 lines" 100 "$(wc -l <"$IT_TMP/s")"

# Server-Sent Events: the event stream's headers, and every event whole and
# in order (id, event, two data lines, the blank line that dispatches it).
c -N -D "$IT_TMP/h" -o "$IT_TMP/e" "$URL/events?n=2000" || true
check_eq "GET /events: text/event-stream" "text/event-stream" "$(hdr "$IT_TMP/h" Content-Type)"
check_eq "GET /events: no-cache" "no-cache" "$(hdr "$IT_TMP/h" Cache-Control)"
check_eq "GET /events: 2000 events in order, each whole" "ok" "$(awk '
	/^id: / { if ($2 != n + 1 || f != 0) bad = 1; n = $2; f = 1; next }
	/^event: tick$/ { if (f != 1) bad = 1; f = 2; next }
	/^data: event / { if (f != 2 || $3 != n) bad = 1; f = 3; next }
	/^data: second line$/ { if (f != 3) bad = 1; f = 4; next }
	/^$/ { if (f != 4) bad = 1; f = 0; next }
	{ bad = 1 }
	END { print (bad || n != 2000 || f != 0) ? "bad at event " n : "ok" }' "$IT_TMP/e")"

# Heartbeats on a stream held open, read by a client that parses the event
# stream as the standard does: the events whole, and a comment every 200 ms.
sse=$(nsx timeout 20 "$FP_PY" "$IT_DIR/sse_client.py" "$FP_IP" "/events?n=3&hb=200&hold=1" \
	--secs 1.3 | "$FP_PY" -c '
import json, sys
d = json.load(sys.stdin)
ev = d["events"]
ok = [e["id"] for e in ev] == ["1", "2", "3"] and all(
    e["event"] == "tick" and e["data"] == "event %s of 3\nsecond line" % e["id"] for e in ev)
print("events", "ok" if ok else ev, "beats", d["comments"], "ended", d["ended"])')
check "SSE heartbeats: 3 events whole, then 5 or 6 comments in 1.3 s, still open" \
	grep -Eq '^events ok beats [56] ended False$' <<<"$sse"
echo "    sse: $sse"

# An answer from the slow thread, and one whose client left first.
c -D "$IT_TMP/h" -o "$IT_TMP/b" "$URL/slow?ms=200" || true
check_eq "GET /slow: 200" 200 "$(status "$IT_TMP/h")"
check "GET /slow: answered after the sleep" grep -q '"slept_ms": 200' "$IT_TMP/b"
c -o /dev/null --max-time 0.3 "$URL/slow?ms=1000" 2>/dev/null || true
sleep 1.2

# Keep-alive: several requests on one connection, with a POST among them.
c -o /dev/null -o /dev/null -o "$IT_TMP/b" "$URL/hello/a" "$URL/hello/b" "$URL/hello/c" || true
check "three requests on one connection" grep -q '"c"' "$IT_TMP/b"

# WebSocket: python3-websockets against /ws/echo (handshake, echoes,
# fragments, ping, close, 1000 messages in order), then hand-built frames
# for each protocol error, sent a byte at a time, and the handshake's
# refusals.
ws0=$(tel /fastpath/stats ws_close_protocol_error)
ws_rc=0
nsx timeout 120 "$FP_PY" "$IT_DIR/ws_client.py" "$FP_IP" --count 1000 >"$IT_TMP/ws.out" 2>&1 ||
	ws_rc=$?
sed 's/^/    ws: /' "$IT_TMP/ws.out"
check_eq "websocket: ws_client.py passed every check" 0 "$ws_rc"
check "websocket: at least 40 checks ran" test "$(grep -c '^ok ' "$IT_TMP/ws.out")" -ge 40
check_eq "websocket: nine 1002 closes counted" 9 \
	$(($(tel /fastpath/stats ws_close_protocol_error) - ws0))
check "websocket: no session left open" it_stat_back_to ws_open 0 5
c -D "$IT_TMP/h" -o /dev/null -H 'Upgrade: websocket' -H 'Connection: Upgrade' \
	-H 'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==' "$URL/ws/echo" || true
check_eq "websocket without a version: 426" 426 "$(status "$IT_TMP/h")"
check_eq "426 names version 13" 13 "$(hdr "$IT_TMP/h" Sec-WebSocket-Version)"
c -D "$IT_TMP/h" -o /dev/null "$URL/ws/echo" || true
check_eq "a plain GET of the WebSocket route: 400" 400 "$(status "$IT_TMP/h")"

check "connections back to baseline" it_stat_back_to tcp_conns "$base_conns" 5
check "mbufs back to baseline" it_mbufs_back_to "$base_mbufs"
check_eq "no request buffer held" 0 "$(tel /fastpath/stats http_rxbufs)"
check_eq "no request context held" 0 "$(tel /fastpath/stats http_contexts)"
check "fp-example stops cleanly" it_stop_fastpath
it_summary
[ "$IT_FAILS" = 0 ]
