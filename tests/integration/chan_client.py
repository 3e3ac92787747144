#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The fastpath authors
"""Channel fan-out checks against fastpath's [channel /live/] section.

  chan_client.py HOST --subs N --messages M --token T

N subscribers of /live/fan, half Server-Sent Events (parsed as the
standard says, sse_client.py) and half WebSocket (python3-websockets), and
one slow subscriber that never reads. One publisher POSTs M messages. Every
subscriber must get all M in order, the SSE ones with increasing ids; the
slow one must be cut off (its stream ends) without holding the others back.
Then: Last-Event-ID resumes from history, heartbeats come to an idle
subscriber, a WebSocket holding the token publishes, and one without it is
closed with 1008.

Prints one line per check; exits 1 when any failed.
"""

import argparse
import asyncio
import os
import socket
import sys
import time

import websockets

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from sse_client import Chunked, EventStream  # noqa: E402

FAILS = 0


def check(what, ok, detail=""):
    global FAILS
    print(("ok   " if ok else "FAIL ") + what + ("" if ok else ": " + str(detail)), flush=True)
    if not ok:
        FAILS += 1


class SseSub:
    """A subscriber over a raw stream: head, chunked body, events."""

    def __init__(self, host, path, headers=""):
        self.host, self.path, self.headers = host, path, headers
        self.es, self.ck = EventStream(), Chunked()
        self.status = None
        self.ended = False

    async def open(self):
        self.r, self.w = await asyncio.open_connection(self.host, 80)
        self.w.write((f"GET {self.path} HTTP/1.1\r\nHost: {self.host}\r\n"
                      f"Accept: text/event-stream\r\n{self.headers}\r\n").encode())
        head = await self.r.readuntil(b"\r\n\r\n")
        self.status = int(head.split()[1])
        return self

    async def read(self, count, secs):
        end = time.monotonic() + secs
        while len(self.es.events) < count and not self.ck.done:
            left = end - time.monotonic()
            if left <= 0:
                break
            try:
                b = await asyncio.wait_for(self.r.read(65536), left)
            except asyncio.TimeoutError:
                break
            if not b:
                break
            self.es.feed(self.ck.feed(b).decode())
        self.ended = self.ck.done
        return self.es.events

    def close(self):
        self.w.close()


async def post(r, w, host, path, body, token):
    auth = f"Authorization: Bearer {token}\r\n" if token is not None else ""
    w.write((f"POST {path} HTTP/1.1\r\nHost: {host}\r\n{auth}"
             f"Content-Type: text/plain\r\nContent-Length: {len(body)}\r\n\r\n").encode() + body)
    head = await r.readuntil(b"\r\n\r\n")
    n = 0
    for ln in head.split(b"\r\n"):
        if ln.lower().startswith(b"content-length:"):
            n = int(ln.split(b":")[1])
    await r.readexactly(n)
    return int(head.split()[1])


async def fanout(a):
    url = f"ws://{a.host}/live/fan"
    nsse = a.subs // 2
    sses = []
    for i in range(0, nsse, 50):
        sses += await asyncio.gather(*[SseSub(a.host, "/live/fan").open()
                                       for _ in range(min(50, nsse - i))])
    check(f"{nsse} SSE subscribers: 200", all(s.status == 200 for s in sses))
    wss = []
    for i in range(0, a.subs - nsse, 50):
        wss += await asyncio.gather(*[websockets.connect(url, compression=None, max_queue=None,
                                                         open_timeout=10)
                                      for _ in range(min(50, a.subs - nsse - i))])
    check(f"{len(wss)} WebSocket subscribers open", len(wss) == a.subs - nsse)
    # The slow one: a tiny receive buffer, and it never reads.
    slow = socket.socket()
    slow.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 2048)
    slow.connect((a.host, 80))
    slow.sendall(f"GET /live/fan HTTP/1.1\r\nHost: {a.host}\r\n"
                 "Accept: text/event-stream\r\n\r\n".encode())

    r, w = await asyncio.open_connection(a.host, 80)
    want = [f"message {i} " + "x" * 80 for i in range(a.messages)]
    t0 = time.monotonic()

    async def publisher():
        codes = [await post(r, w, a.host, "/live/fan", m.encode(), a.token) for m in want]
        return codes

    async def ws_read(ws):
        got = []
        try:
            while len(got) < a.messages:
                got.append(await asyncio.wait_for(ws.recv(), 60))
        except (asyncio.TimeoutError, websockets.ConnectionClosed):
            pass
        return got

    res = await asyncio.gather(publisher(), *[s.read(a.messages, 90) for s in sses],
                               *[ws_read(ws) for ws in wss])
    secs = time.monotonic() - t0
    codes, sse_got, ws_got = res[0], res[1:1 + len(sses)], res[1 + len(sses):]
    check(f"{a.messages} publishes: 202 each", codes == [202] * a.messages,
          {c: codes.count(c) for c in set(codes)})
    bad = [i for i, ev in enumerate(sse_got) if [e["data"] for e in ev] != want]
    check(f"every SSE subscriber got all {a.messages} messages in order", not bad,
          f"{len(bad)} did not, e.g. {len(sse_got[bad[0]]) if bad else 0} events")
    ids_ok = all(all(int(ev[i]["id"]) < int(ev[i + 1]["id"]) for i in range(len(ev) - 1))
                 for ev in sse_got)
    check("SSE ids increase", ids_ok)
    same = len({tuple(e["id"] for e in ev) for ev in sse_got}) == 1
    check("every SSE subscriber saw the same ids", same)
    bad = [i for i, got in enumerate(ws_got) if got != want]
    check(f"every WebSocket subscriber got all {a.messages} messages in order", not bad,
          f"{len(bad)} did not, e.g. {len(ws_got[bad[0]]) if bad else 0}")
    total = sum(len(e) for e in sse_got) + sum(len(g) for g in ws_got)
    print(f"     delivered {total} messages to {a.subs} subscribers in {secs:.1f} s", flush=True)
    # The slow subscriber: cut off before the end, its stream ended.
    # Heartbeats keep a live stream busy: read for 5 s at most.
    data = b""
    end = time.monotonic() + 5
    try:
        while time.monotonic() < end:
            slow.settimeout(max(0.01, end - time.monotonic()))
            b = slow.recv(65536)
            if not b:
                break
            data += b
    except socket.timeout:
        pass
    slow.close()
    got = data.count(b"\ndata: message ")
    if a.messages * 100 > 4 * a.backlog:
        check("the slow subscriber was cut off: fewer messages, stream ended",
              got < a.messages and data.endswith(b"0\r\n\r\n"), f"{got} messages, "
              f"ends {data[-10:]!r}")
    last_id = int(sse_got[0][-1]["id"]) if sse_got and sse_got[0] else 0
    for s in sses:
        s.close()
    for ws in wss:
        await ws.close()
    w.close()
    return last_id


async def extras(a, last_id):
    # Resume: the history's last 50 after Last-Event-ID.
    back = min(50, last_id // 2)
    s = await SseSub(a.host, "/live/fan", f"Last-Event-ID: {last_id - back}\r\n").open()
    ev = await s.read(back, 10)
    check(f"Last-Event-ID resumes with the {back} messages after it",
          [int(e["id"]) for e in ev] == list(range(last_id - back + 1, last_id + 1)),
          [e["id"] for e in ev][:5])
    s.close()
    # Heartbeats on an idle channel.
    s = await SseSub(a.host, "/live/quiet").open()
    await s.read(1, 1.1)
    check("heartbeat comments on an idle subscriber (200 ms)", s.es.comments >= 3,
          s.es.comments)
    # A WebSocket with the token publishes; an SSE subscriber gets it.
    hdr = {"Authorization": f"Bearer {a.token}"}
    async with websockets.connect(f"ws://{a.host}/live/quiet", extra_headers=hdr,
                                  compression=None) as pub:
        await pub.send("from a websocket")
        ev = await s.read(1, 5)
        check("a WebSocket publisher with the token reaches SSE subscribers",
              [e["data"] for e in ev] == ["from a websocket"], ev)
        echo = await asyncio.wait_for(pub.recv(), 5)
        check("the publisher, a subscriber too, gets its own message",
              echo == "from a websocket", echo)
    s.close()
    # Without the token: closed with 1008.
    async with websockets.connect(f"ws://{a.host}/live/quiet", compression=None) as ws:
        await ws.send("not allowed")
        try:
            await asyncio.wait_for(ws.recv(), 5)
        except websockets.ConnectionClosed:
            pass
        check("a WebSocket publisher without the token: close 1008",
              ws.close_code == 1008, ws.close_code)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("host")
    ap.add_argument("--subs", type=int, default=1000)
    ap.add_argument("--messages", type=int, default=1000)
    ap.add_argument("--token", default="s3cret")
    ap.add_argument("--backlog", type=int, default=16384)
    a = ap.parse_args()
    last = asyncio.run(fanout(a))
    asyncio.run(extras(a, last))
    sys.exit(1 if FAILS else 0)


if __name__ == "__main__":
    main()
