#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The fastpath authors
"""Sends raw bytes to an HTTP server in one write and prints the responses.

    http_raw.py HOST PORT [-n N] [--no-body I,J] [--timeout S] [--linger S] < request

The request bytes come from stdin, sent with a single send(). Then responses
are read and parsed (framed by Content-Length) until N of them have arrived,
or without -n until the server closes or --timeout passes. Each response is
printed as

    status HTTP/1.1 200 OK
    header Name: value          (one line per header, as received)
    body 'escaped body'         (bodies over 200 bytes: body LEN sha256 HEX)

and a last line tells what the connection did after the last response:

    end closed   the server closed it (recv returned b'') within --linger s
    end open     still open after --linger s
    end reset    the server reset it
    end partial  the server closed or timed out in the middle of a response
    end timeout  fewer than N responses within --timeout s

--no-body lists the (1-based) responses that answer HEAD: they carry no body.
"""
import argparse
import hashlib
import socket
import sys
import time


def parse_head(raw):
    lines = raw.decode("latin-1").split("\r\n")
    headers = [line for line in lines[1:] if line]
    length = 0
    for h in headers:
        name, _, value = h.partition(":")
        if name.strip().lower() == "content-length":
            length = int(value.strip())
    return lines[0], headers, length


def show_body(body):
    if len(body) > 200:
        return "body %d sha256 %s" % (len(body), hashlib.sha256(body).hexdigest())
    return "body " + repr(body.decode("latin-1"))


def main():
    ap = argparse.ArgumentParser(usage=__doc__)
    ap.add_argument("host")
    ap.add_argument("port", type=int)
    ap.add_argument("-n", type=int, default=0)
    ap.add_argument("--no-body", default="")
    ap.add_argument("--timeout", type=float, default=5.0)
    ap.add_argument("--linger", type=float, default=2.0)
    a = ap.parse_args()
    no_body = {int(x) for x in a.no_body.split(",") if x}
    request = sys.stdin.buffer.read()

    s = socket.create_connection((a.host, a.port), timeout=a.timeout)
    s.sendall(request)
    buf = b""
    got = 0
    deadline = time.monotonic() + a.timeout
    end = None
    while a.n == 0 or got < a.n:
        # A whole response in buf?
        i = buf.find(b"\r\n\r\n")
        if i >= 0:
            status, headers, length = parse_head(buf[:i])
            if got + 1 in no_body:
                length = 0
            if len(buf) >= i + 4 + length:
                body = buf[i + 4:i + 4 + length]
                buf = buf[i + 4 + length:]
                got += 1
                print("status " + status)
                for h in headers:
                    print("header " + h)
                print(show_body(body))
                continue
        left = deadline - time.monotonic()
        if left <= 0:
            end = "timeout" if a.n else ("partial" if buf else "open")
            break
        s.settimeout(left)
        try:
            data = s.recv(65536)
        except socket.timeout:
            continue
        except ConnectionResetError:
            end = "reset"
            break
        if not data:
            end = "partial" if buf else "closed"
            break
        buf += data
    if end is None:
        # N responses: does the server close after them?
        s.settimeout(a.linger)
        try:
            data = s.recv(65536)
            end = "closed" if not data else "open (%d more bytes)" % len(data)
        except socket.timeout:
            end = "open"
        except ConnectionResetError:
            end = "reset"
    s.close()
    print("end " + end)


if __name__ == "__main__":
    main()
