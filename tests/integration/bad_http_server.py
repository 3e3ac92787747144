#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The fastpath authors
"""An HTTP/1.1 server that answers wrongly on purpose, one way per path,
for fp-load's error counting (load_errors.sh).

    bad_http_server.py ADDR PORT

Keeps connections open between requests (keep-alive) unless the path says
otherwise. Runs until killed.
"""
import socket
import socketserver
import struct
import sys
import time

OK = b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello"

# path: (bytes to send, what then: "keep", "close", "reset", "silent")
ANSWERS = {
    "/ok": (OK, "keep"),
    "/chunked": (b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                 b"2\r\nhe\r\n3;x=y\r\nllo\r\n0\r\nT: v\r\n\r\n", "keep"),
    "/eof": (b"HTTP/1.1 200 OK\r\n\r\nhello", "close"),
    "/interim": (b"HTTP/1.1 103 Early Hints\r\nLink: </a>\r\n\r\n" + OK, "keep"),
    "/badcl": (b"HTTP/1.1 200 OK\r\nContent-Length: 5x\r\n\r\nhello", "keep"),
    "/clte": (b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n"
              b"5\r\nhello\r\n0\r\n\r\n", "keep"),
    "/garbage": (b"HTTX/1.1 200 OK\r\n\r\n", "keep"),
    "/short": (b"HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nhello", "close"),
    "/badchunk": (b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", "keep"),
    "/silent": (b"", "silent"),
    "/reset": (b"", "reset"),
    "/close": (b"", "close"),
    "/extra": (OK + b"junk", "keep"),
    "/bighead": (b"HTTP/1.1 200 OK\r\nX-Big: " + b"a" * 20000 + b"\r\nContent-Length: 0\r\n\r\n",
                 "keep"),
}


class Handler(socketserver.BaseRequestHandler):
    def handle(self):
        buf = b""
        s = self.request
        while True:
            while b"\r\n\r\n" not in buf:
                data = s.recv(65536)
                if not data:
                    return
                buf += data
            head, buf = buf.split(b"\r\n\r\n", 1)
            parts = head.split(b"\r\n", 1)[0].split(b" ")
            path = parts[1].decode("latin-1") if len(parts) > 1 else ""
            out, then = ANSWERS.get(path, (b"HTTP/1.1 404 Not Found\r\n"
                                           b"Content-Length: 0\r\n\r\n", "keep"))
            if out:
                s.sendall(out)
            if then == "close":
                return
            if then == "reset":
                # Closed here: socketserver would shut down (FIN) first.
                s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                s.close()
                return
            if then == "silent":
                time.sleep(30)
                return


class Server(socketserver.ThreadingTCPServer):
    allow_reuse_address = True
    daemon_threads = True


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    srv = Server((sys.argv[1], int(sys.argv[2])), Handler)
    srv.serve_forever()


if __name__ == "__main__":
    main()
