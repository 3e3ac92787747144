#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The fastpath authors
"""A slow HTTP/1.1 client that keeps a download genuinely in flight.

    slow_get.py HOST PORT PATH RATE SECONDS

A small receive buffer (64 KB) stops the kernel from taking the whole body
at once: the server can only send as fast as RATE bytes/s are read. Prints
one line: "complete BYTES SHA256", "reset after BYTES", "closed after
BYTES" (EOF before Content-Length), or "timeout after BYTES".
"""
import hashlib
import socket
import sys
import time


def main():
    host, port, path = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    rate, limit = float(sys.argv[4]), float(sys.argv[5])
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 65536)
    s.settimeout(limit)
    s.connect((host, port))
    s.sendall(("GET %s HTTP/1.1\r\nHost: t\r\n\r\n" % path).encode())
    start = time.monotonic()
    head, body, length = b"", hashlib.sha256(), None
    got = 0
    try:
        while length is None or got < length:
            if time.monotonic() - start > limit:
                print("timeout after %d" % got)
                return
            data = s.recv(16384)
            if not data:
                print("closed after %d" % got)
                return
            if length is None:
                head += data
                if b"\r\n\r\n" not in head:
                    continue
                head, data = head.split(b"\r\n\r\n", 1)
                for line in head.split(b"\r\n"):
                    if line.lower().startswith(b"content-length:"):
                        length = int(line.split(b":")[1])
                if length is None:
                    print("no content-length")
                    return
            body.update(data)
            got += len(data)
            # Read no faster than rate: sleep until the bytes so far are due.
            ahead = got / rate - (time.monotonic() - start)
            if ahead > 0:
                time.sleep(ahead)
    except ConnectionResetError:
        print("reset after %d" % got)
        return
    except socket.timeout:
        print("timeout after %d" % got)
        return
    print("complete %d %s" % (got, body.hexdigest()))


if __name__ == "__main__":
    main()
