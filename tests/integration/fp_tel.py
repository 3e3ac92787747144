#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The fastpath authors
"""Reads one telemetry command from a running DPDK process.

    fp_tel.py PREFIX COMMAND [KEY.PATH]

Prints the JSON answer, or with KEY.PATH (e.g. drops.ipv4_bad_csum) just
that value. Exits 1 when the socket or the key is missing.
"""
import json
import socket
import sys


def query(prefix, cmd):
    path = "/var/run/dpdk/%s/dpdk_telemetry.v2" % prefix
    s = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
    s.settimeout(5)
    s.connect(path)
    info = json.loads(s.recv(4096).decode())
    s.send(cmd.encode())
    data = json.loads(s.recv(info.get("max_output_len", 16384)).decode())
    s.close()
    return data[cmd.split(",")[0]]


def main():
    if len(sys.argv) not in (3, 4):
        sys.exit(__doc__)
    try:
        val = query(sys.argv[1], sys.argv[2])
    except OSError as e:
        sys.exit("fp_tel: %s: %s" % (sys.argv[1], e))
    if len(sys.argv) == 4:
        for k in sys.argv[3].split("."):
            if not isinstance(val, dict) or k not in val:
                sys.exit("fp_tel: no key %s in %s" % (sys.argv[3], sys.argv[2]))
            val = val[k]
    print(json.dumps(val) if isinstance(val, (dict, list)) else val)


if __name__ == "__main__":
    main()
