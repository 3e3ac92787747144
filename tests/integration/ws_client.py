#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The fastpath authors
"""WebSocket checks against fp-example's /ws/echo.

With Debian's python3-websockets as the client: the handshake with and
without a subprotocol, text and binary echoes of every length class, a
fragmented message, ping and pong, the close handshake, and N messages in
order. With hand-built frames on a raw socket: protocol errors answered by
the close code RFC 6455 gives them, then the connection's end.

Prints one line per check; exits 1 when any failed.
"""

import argparse
import asyncio
import base64
import os
import socket
import struct
import sys

import websockets

FAILS = 0


def check(what, ok, detail=""):
    global FAILS
    print(("ok   " if ok else "FAIL ") + what + ("" if ok else ": " + str(detail)))
    if not ok:
        FAILS += 1


async def client_checks(url, count):
    # No compression: fastpath negotiates no extension, and the client must
    # cope with that; asking for none keeps the frames plain.
    async with websockets.connect(url, subprotocols=["echo"], compression=None,
                                  max_size=None, open_timeout=5) as ws:
        check("subprotocol echo chosen", ws.subprotocol == "echo", ws.subprotocol)
        for n in (0, 1, 125, 126, 65535, 65536, 300000):
            text = ("é" * n)[:n] if n < 1000 else "x" * n
            await ws.send(text)
            got = await asyncio.wait_for(ws.recv(), 10)
            check(f"text echo of {len(text.encode())} bytes", got == text,
                  f"{len(got)} chars")
            data = os.urandom(n)
            await ws.send(data)
            got = await asyncio.wait_for(ws.recv(), 10)
            check(f"binary echo of {n} bytes", got == data, f"{len(got)} bytes")
        # A fragmented message: three frames, one message back.
        await ws.send(["part one, ", "part two, ", "part three"])
        got = await asyncio.wait_for(ws.recv(), 10)
        check("a fragmented message comes back whole",
              got == "part one, part two, part three", got)
        waiter = await ws.ping(b"are you there")
        try:
            await asyncio.wait_for(waiter, 5)
            check("ping answered with a pong", True)
        except asyncio.TimeoutError:
            check("ping answered with a pong", False, "no pong in 5 s")

        async def sender():
            for i in range(count):
                await ws.send(f"message {i}")

        async def receiver():
            got = []
            for _ in range(count):
                got.append(await asyncio.wait_for(ws.recv(), 10))
            return got

        _, got = await asyncio.gather(sender(), receiver())
        want = [f"message {i}" for i in range(count)]
        check(f"{count} messages back in order", got == want,
              next((f"at {i}: {g!r}" for i, (g, w) in enumerate(zip(got, want)) if g != w),
                   f"{len(got)} received"))
        await ws.close(code=1000, reason="done")
        check("close handshake: the server echoed 1000",
              ws.close_code == 1000 and ws.close_rcvd is not None
              and ws.close_rcvd.code == 1000, f"{ws.close_code} {ws.close_rcvd}")
    async with websockets.connect(url, compression=None, open_timeout=5) as ws:
        check("no subprotocol when none is offered", ws.subprotocol is None, ws.subprotocol)
        await ws.send("again")
        check("a second connection echoes", await asyncio.wait_for(ws.recv(), 5) == "again")


def raw_open(host, port):
    s = socket.create_connection((host, port), timeout=5)
    key = base64.b64encode(os.urandom(16)).decode()
    s.sendall((f"GET /ws/echo HTTP/1.1\r\nHost: {host}\r\nUpgrade: websocket\r\n"
               f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\n"
               "Sec-WebSocket-Version: 13\r\n\r\n").encode())
    head = b""
    while b"\r\n\r\n" not in head:
        b = s.recv(4096)
        if not b:
            break
        head += b
    status = head.split(b"\r\n", 1)[0]
    rest = head.split(b"\r\n\r\n", 1)[1] if b"\r\n\r\n" in head else b""
    return s, status, rest


def frame(op, payload, fin=True, mask=True, rsv=0):
    b0 = (0x80 if fin else 0) | rsv << 4 | op
    n = len(payload)
    if n < 126:
        h = bytes([b0, (0x80 if mask else 0) | n])
    elif n < 65536:
        h = bytes([b0, (0x80 if mask else 0) | 126]) + struct.pack("!H", n)
    else:
        h = bytes([b0, (0x80 if mask else 0) | 127]) + struct.pack("!Q", n)
    if not mask:
        return h + payload
    m = os.urandom(4)
    return h + m + bytes(c ^ m[i % 4] for i, c in enumerate(payload))


def read_all(s, rest):
    """Everything until the server closes (or 5 s)."""
    data = rest
    try:
        while True:
            b = s.recv(65536)
            if not b:
                return data, True
            data += b
    except (socket.timeout, ConnectionResetError):
        return data, False


def close_code(data):
    """The code of the first close frame among the server's frames."""
    i = 0
    while i + 2 <= len(data):
        op, n = data[i] & 0x0F, data[i + 1] & 0x7F
        i += 2
        if n == 126:
            n = struct.unpack("!H", data[i:i + 2])[0]
            i += 2
        elif n == 127:
            n = struct.unpack("!Q", data[i:i + 8])[0]
            i += 8
        if op == 8:
            return struct.unpack("!H", data[i:i + 2])[0] if n >= 2 else 1005
        i += n
    return None


def raw_checks(host, port, max_message):
    cases = [
        ("an unmasked frame", frame(1, b"hi", mask=False), 1002),
        ("a set RSV bit", frame(1, b"hi", rsv=4), 1002),
        ("a reserved opcode", frame(3, b"hi"), 1002),
        ("a fragmented ping", frame(9, b"hi", fin=False), 1002),
        ("a ping of 126 bytes", frame(9, b"p" * 126), 1002),
        ("a continuation with no message", frame(0, b"hi"), 1002),
        ("a new message inside a fragmented one",
         frame(1, b"a", fin=False) + frame(1, b"b"), 1002),
        ("text that is not UTF-8", frame(1, b"\xc3\x28"), 1007),
        ("UTF-8 cut across fragments then broken",
         frame(1, b"\xe2\x82", fin=False) + frame(0, b"\x28"), 1007),
        ("a close with a code not to be sent", frame(8, struct.pack("!H", 1005)), 1002),
        ("a close with a one-byte payload", frame(8, b"\x03"), 1002),
        ("a message over the limit", frame(2, b"z" * (max_message + 1)), 1009),
        ("a close with 1000", frame(8, struct.pack("!H", 1000) + b"bye"), 1000),
        ("a close with 4000 (private use)", frame(8, struct.pack("!H", 4000)), 4000),
        ("a close without a code", frame(8, b""), 1005),
    ]
    for what, data, want in cases:
        s, status, rest = raw_open(host, port)
        check(f"raw handshake for {what}", status.startswith(b"HTTP/1.1 101"), status)
        # Byte by byte: the reader must not care where segments end.
        s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        for i in range(0, len(data), 1 if len(data) < 64 else 4096):
            s.sendall(data[i:i + (1 if len(data) < 64 else 4096)])
        out, closed = read_all(s, rest)
        got = close_code(out)
        check(f"{what}: close {want}, then the server closes", got == want and closed,
              f"close {got}, closed {closed}")
        s.close()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("host")
    ap.add_argument("--port", type=int, default=80)
    ap.add_argument("--count", type=int, default=1000)
    ap.add_argument("--max-message", type=int, default=1048576)
    a = ap.parse_args()
    asyncio.run(client_checks(f"ws://{a.host}:{a.port}/ws/echo", a.count))
    raw_checks(a.host, a.port, a.max_message)
    sys.exit(1 if FAILS else 0)


if __name__ == "__main__":
    main()
