#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The fastpath authors
"""A Server-Sent Events client for the tests: HTTP/1.1 over a socket, the
chunked body decoded, and the event stream parsed the way the WHATWG HTML
standard's "Server-sent events" section says (fields, multi-line data,
comments, the blank line that dispatches).

  sse_client.py HOST PATH [--secs S] [--events N] [--last-event-id ID]

Reads for S seconds (or until N events came, or the server ended the
stream) and prints a JSON summary: status, headers, events (id, event,
data), comments, and whether the stream ended cleanly.
"""

import argparse
import json
import socket
import time


def read_head(s, buf):
    while b"\r\n\r\n" not in buf:
        b = s.recv(65536)
        if not b:
            raise EOFError("closed before the head ended")
        buf += b
    head, rest = buf.split(b"\r\n\r\n", 1)
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1])
    headers = {}
    for ln in lines[1:]:
        k, v = ln.split(":", 1)
        headers[k.strip().lower()] = v.strip()
    return status, headers, rest


class Chunked:
    """Decodes a chunked body as bytes come; .done after the last chunk."""

    def __init__(self):
        self.buf = b""
        self.done = False

    def feed(self, data):
        self.buf += data
        out = b""
        while not self.done:
            i = self.buf.find(b"\r\n")
            if i < 0:
                break
            size = int(self.buf[:i].split(b";")[0], 16)
            if size == 0:
                self.done = True
                break
            if len(self.buf) < i + 2 + size + 2:
                break
            out += self.buf[i + 2:i + 2 + size]
            assert self.buf[i + 2 + size:i + 4 + size] == b"\r\n", "chunk not ended by CRLF"
            self.buf = self.buf[i + 4 + size:]
        return out


class EventStream:
    """The event stream interpretation (lines ended by CRLF, LF or CR)."""

    def __init__(self):
        self.pending = ""
        self.events = []
        self.comments = 0
        self.data, self.event, self.id = [], "", None
        self.last_id = ""

    def feed(self, text):
        self.pending += text
        while True:
            cut = [i for i in (self.pending.find("\r"), self.pending.find("\n")) if i >= 0]
            if not cut:
                return
            i = min(cut)
            if self.pending[i] == "\r" and i + 1 == len(self.pending):
                return  # a CR that may be half of a CRLF
            line = self.pending[:i]
            skip = 2 if self.pending[i:i + 2] == "\r\n" else 1
            self.pending = self.pending[i + skip:]
            self.line(line)

    def line(self, line):
        if line == "":
            if self.data:
                self.events.append({"id": self.last_id, "event": self.event or "message",
                                    "data": "\n".join(self.data)})
            self.data, self.event = [], ""
            return
        if line.startswith(":"):
            self.comments += 1
            return
        name, _, value = line.partition(":")
        if value.startswith(" "):
            value = value[1:]
        if name == "data":
            self.data.append(value)
        elif name == "event":
            self.event = value
        elif name == "id" and "\0" not in value:
            self.last_id = value


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("host")
    ap.add_argument("path")
    ap.add_argument("--port", type=int, default=80)
    ap.add_argument("--secs", type=float, default=5)
    ap.add_argument("--events", type=int, default=0)
    ap.add_argument("--last-event-id")
    a = ap.parse_args()
    s = socket.create_connection((a.host, a.port), timeout=5)
    extra = f"Last-Event-ID: {a.last_event_id}\r\n" if a.last_event_id is not None else ""
    s.sendall(f"GET {a.path} HTTP/1.1\r\nHost: {a.host}\r\nAccept: text/event-stream\r\n"
              f"{extra}\r\n".encode())
    status, headers, rest = read_head(s, b"")
    ck, es = Chunked(), EventStream()
    ended = False
    if headers.get("transfer-encoding") == "chunked":
        es.feed(ck.feed(rest).decode())
        end = time.monotonic() + a.secs
        while not ck.done and time.monotonic() < end:
            if a.events and len(es.events) >= a.events:
                break
            s.settimeout(max(0.01, end - time.monotonic()))
            try:
                b = s.recv(65536)
            except socket.timeout:
                break
            if not b:
                break
            es.feed(ck.feed(b).decode())
        ended = ck.done
    s.close()
    print(json.dumps({"status": status, "headers": headers, "events": es.events,
                      "comments": es.comments, "ended": ended}))


if __name__ == "__main__":
    main()
