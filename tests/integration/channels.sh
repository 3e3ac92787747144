#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The fastpath authors
#
# Channels ([channel /live/]) on two workers over net_tap: 1,000 subscribers,
# half Server-Sent Events and half WebSocket, each receive all of 1,000
# published messages in order; a slow subscriber is cut off; Last-Event-ID
# resumes from history; heartbeats; publishing by WebSocket with and
# without the token; the bad inputs' answers; /fastpath/channels; and
# connections, contexts and mbufs back to their baseline.
. "$(dirname "$0")/lib.sh"

# shellcheck disable=SC2034 # read by it_launch in lib.sh
IT_LCORES=0@0,1@1,2@1
cfg=$IT_TMP/channels.ini
cat >"$cfg" <<'INI'
[tcp]
time_wait_ms = 1000
linger_ms = 120000
[http]
contexts = 2048
[channel /live/]
history = 100
max_message = 1024
backlog = 16384
heartbeat_ms = 200
publish = both
token = s3cret
frames = 512
[channel /quiet/]
history = 0
publish = post
INI

it_start_tap -c "$cfg"
check_eq "two workers" 2 "$(tel /fastpath/stats workers)"
base_mbufs=$(tel /fastpath/stats mbufs_in_use)
base_conns=$(tel /fastpath/stats tcp_conns)
URL=http://$FP_IP

# Bad input first: each gets its own answer.
c -D "$IT_TMP/h" -o /dev/null -d 'x' "$URL/live/a" || true
check_eq "a publish without a token: 401" 401 "$(status "$IT_TMP/h")"
check_eq "401 names the scheme" 'Bearer realm="channels"' "$(hdr "$IT_TMP/h" WWW-Authenticate)"
c -D "$IT_TMP/h" -o /dev/null -H 'Authorization: Bearer wrong' -d 'x' "$URL/live/a" || true
check_eq "a publish with a wrong token: 403" 403 "$(status "$IT_TMP/h")"
head -c 1025 /dev/zero | tr '\0' 'a' >"$IT_TMP/big"
c -D "$IT_TMP/h" -o /dev/null -H 'Authorization: Bearer s3cret' --data-binary @"$IT_TMP/big" \
	"$URL/live/a" || true
check_eq "a publish over max_message: 413" 413 "$(status "$IT_TMP/h")"
printf '\xc3\x28' >"$IT_TMP/bad"
c -D "$IT_TMP/h" -o /dev/null -H 'Authorization: Bearer s3cret' --data-binary @"$IT_TMP/bad" \
	"$URL/live/a" || true
check_eq "a publish that is not UTF-8: 400" 400 "$(status "$IT_TMP/h")"
for p in /live/ /live/a/b "/live/a%20b" /nochannel/a; do
	c -D "$IT_TMP/h" -o /dev/null -H 'Accept: text/event-stream' "$URL$p" || true
	check_eq "GET $p: 404" 404 "$(status "$IT_TMP/h")"
done
c -D "$IT_TMP/h" -o /dev/null "$URL/live/a" || true
check_eq "a subscription accepting neither SSE nor WebSocket: 406" 406 "$(status "$IT_TMP/h")"
c -D "$IT_TMP/h" -o /dev/null -X DELETE "$URL/live/a" || true
check_eq "DELETE on a channel: 405" 405 "$(status "$IT_TMP/h")"

# The fan-out, and what follows it.
rc=0
# glibc's MALLOC_PERTURB_ (meson sets it) fills every 64 KB read buffer of the
# client: five times slower, and not what is under test.
nsx timeout 240 env -u MALLOC_PERTURB_ "$FP_PY" "$IT_DIR/chan_client.py" "$FP_IP" \
	--subs "${CHAN_SUBS:-1000}" --messages "${CHAN_MSGS:-1000}" >"$IT_TMP/chan.out" 2>&1 || rc=$?
sed 's/^/    chan: /' "$IT_TMP/chan.out"
check_eq "chan_client.py passed every check" 0 "$rc"
check "chan_client.py ran its checks" test "$(grep -c '^ok ' "$IT_TMP/chan.out")" -ge 13

tel /fastpath/channels >"$IT_TMP/tel.json"
check "/fastpath/channels: /live/fan published 1000, delivered 1,000,000 and more, one slow" \
	"$FP_PY" -c '
import json, sys
d = json.load(open(sys.argv[1]))
f = ([c for c in d.values() if c["channel"] == "/live/fan"] + [d])[0]
ok = isinstance(f, dict) and f["published"] == 1000 and f["delivered"] >= 1000000 and f["slow_disconnects"] == 1 \
	and f["last_id"] == 1000 and f["drops"] == 0
print(f) if not ok else None
sys.exit(0 if ok else 1)' "$IT_TMP/tel.json"
# A channel whose owner keeps nothing between messages (no history, no
# subscriber of its own) gives its name back, and its ids start again at
# 1: a subscriber on the other worker must still get every message. Eight
# channels, one subscriber each: some are on the other worker than their
# channel's owner.
qpids=""
for i in 1 2 3 4 5 6 7 8; do
	nsx curl -sN --max-time 4 -H 'Accept: text/event-stream' "$URL/quiet/q$i" \
		>"$IT_TMP/q$i.out" &
	qpids="$qpids $!"
done
sleep 1
for m in one two three; do
	for i in 1 2 3 4 5 6 7 8; do
		c -o /dev/null -d "$m" "$URL/quiet/q$i" || true
	done
	sleep 0.3
done
for p in $qpids; do wait "$p" || true; done
for i in 1 2 3 4 5 6 7 8; do
	check_eq "quiet channel q$i: every message, though its ids start again" \
		"one two three" "$(sed -n 's/^data: //p' "$IT_TMP/q$i.out" | paste -sd' ')"
done
check "no subscriber left" it_stat_back_to ws_open 0 5
check "both workers took subscribers (100 requests and more each)" "$FP_PY" -c '
import json, sys
d = json.loads(sys.argv[1])
sys.exit(0 if len(d) == 2 and all(w["requests"] >= 100 for w in d.values()) else 1)' \
	"$(tel /fastpath/lcores)" || tel /fastpath/lcores
check "connections back to baseline" it_stat_back_to tcp_conns "$base_conns" 10
check "mbufs back to baseline" it_mbufs_back_to "$base_mbufs"
check_eq "no request context held" 0 "$(tel /fastpath/stats http_contexts)"
check_eq "no body buffer held" 0 "$(tel /fastpath/stats http_body_buffers)"
# A graceful shutdown ends an event stream at once, cleanly (the last
# chunk), rather than waiting drain_s for it.
nsx curl -sN --max-time 20 -H 'Accept: text/event-stream' "$URL/live/end" >"$IT_TMP/end.out" &
cpid=$!
sleep 0.5
t0=$(date +%s%N)
check "fastpath stops cleanly" it_stop_fastpath
crc=0
wait "$cpid" || crc=$?
check_eq "the shutdown ended an SSE subscription cleanly (curl exit 0)" 0 "$crc"
check "and within 2 s" test $((($(date +%s%N) - t0) / 1000000)) -lt 2000
it_summary
[ "$IT_FAILS" = 0 ]
