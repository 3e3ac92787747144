#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The fastpath authors
"""Helpers of telemetry.sh: snapshots of every /fastpath command, their
values and deltas in a form bash reads, and the phases that must hold TCP
connections open while telemetry looks at them.

    tel_check.py snap PREFIX FILE       every command's answer into FILE (JSON)
    tel_check.py flat FILE              one "KEY VALUE" line per leaf
    tel_check.py delta BEFORE AFTER     one "KEY DELTA" line per numeric leaf
    tel_check.py keys FILE KEY          the names under KEY, one a line, sorted
    tel_check.py held PREFIX HOST PORT LCORE
                                        two held keep-alive connections on
                                        the worker LCORE
    tel_check.py badcsum IFACE FP_MAC FP_IP PEER_IP
                                        one ping with a bad IPv4 checksum

KEY is the command and the path of names, joined by dots:
/fastpath/http.status.200. A list's items are numbered like names.

"held" prints one line per check, "DESCRIPTION<TAB>WANT<TAB>GOT", for
telemetry.sh to assert; it runs in the namespace (it opens the connections)
and reaches the telemetry socket through the file system.
"""
import json
import os
import socket
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from fp_tel import query  # noqa: E402

COMMANDS = ["/fastpath/stats", "/fastpath/lcores", "/fastpath/tcp", "/fastpath/http",
            "/fastpath/drops", "/fastpath/mempool", "/fastpath/config", "/fastpath/routes",
            "/fastpath/conns"]


def leaves(prefix, val):
    if isinstance(val, dict):
        for k, v in val.items():
            yield from leaves(prefix + "." + k, v)
    elif isinstance(val, list):
        for i, v in enumerate(val):
            yield from leaves(prefix + "." + str(i), v)
    else:
        yield prefix, val


def load(path):
    with open(path) as f:
        return json.load(f)


def flat(snap):
    out = {}
    for cmd, val in snap.items():
        for k, v in leaves(cmd, val):
            out[k] = v
    return out


def number(v):
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def consistent(snap):
    """Whether no packet came in between the stats and the lcores queries."""
    st, lc = snap["/fastpath/stats"], snap["/fastpath/lcores"].values()
    return all(st[k] == sum(r[k] for r in lc) for k in ("rx_packets", "tx_packets"))


def cmd_snap(prefix, path):
    # The commands are read one after another: a stray frame (the kernel's
    # ARP) between them would make totals disagree. Read again, a few times.
    for _ in range(5):
        snap = {cmd: query(prefix, cmd) for cmd in COMMANDS}
        if consistent(snap):
            break
        time.sleep(0.1)
    with open(path, "w") as f:
        json.dump(snap, f)


def cmd_flat(path):
    for k, v in flat(load(path)).items():
        print(k, v)


def cmd_delta(before, after):
    b, a = flat(load(before)), flat(load(after))
    for k, v in a.items():
        if k in b and number(v) and number(b[k]):
            print(k, v - b[k])


def cmd_keys(path, key):
    val = load(path)
    cmd, _, rest = key.partition(".")
    val = val[cmd]
    for k in rest.split(".") if rest else []:
        val = val[k]
    for k in range(len(val)) if isinstance(val, list) else sorted(val):
        print(k)


def http_exchange(s, request):
    """Sends one request, reads its whole response (framed by Content-Length),
    returns the number of response bytes."""
    s.sendall(request)
    buf = b""
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        i = buf.find(b"\r\n\r\n")
        if i >= 0:
            length = 0
            for line in buf[:i].decode("latin-1").split("\r\n")[1:]:
                name, _, value = line.partition(":")
                if name.strip().lower() == "content-length":
                    length = int(value.strip())
            if len(buf) >= i + 4 + length:
                if len(buf) != i + 4 + length:
                    raise RuntimeError("more bytes than one response")
                return len(buf)
        s.settimeout(max(deadline - time.monotonic(), 0.01))
        data = s.recv(65536)
        if not data:
            raise RuntimeError("closed in the middle of a response")
        buf += data
    raise RuntimeError("no whole response within 5 s")


def poll(prefix, cmd, good, secs=3.0):
    """Queries cmd until good(answer) holds or secs pass; returns the last answer."""
    deadline = time.monotonic() + secs
    for _ in range(int(secs * 20) + 1):
        val = query(prefix, cmd)
        if good(val) or time.monotonic() >= deadline:
            return val
        time.sleep(0.05)
    return val


def rows(val):
    return [v for k, v in sorted(val.items(), key=lambda kv: kv[0]) if k.isdigit()]


def cmd_held(prefix, host, port, lcore):
    port, lcore = int(port), int(lcore)
    checks = []

    def check(desc, want, got):
        checks.append((desc, str(want), str(got)))

    reqs = [
        [b"GET /health HTTP/1.1\r\nHost: %s\r\n\r\n" % host.encode()],
        [b"GET /a.txt HTTP/1.1\r\nHost: %s\r\nUser-Agent: tel_check\r\n\r\n" % host.encode(),
         b"HEAD /health HTTP/1.1\r\nHost: %s\r\n\r\n" % host.encode()],
    ]
    socks = []
    sent = []
    got = []
    try:
        for i, rq in enumerate(reqs):
            s = socket.create_connection((host, port), timeout=5)
            socks.append(s)
            nin = nout = 0
            for r in rq:
                if r.startswith(b"HEAD"):
                    # A HEAD answer has a Content-Length but no body.
                    s.sendall(r)
                    buf = b""
                    while b"\r\n\r\n" not in buf:
                        data = s.recv(65536)
                        if not data:
                            raise RuntimeError("closed after HEAD")
                        buf += data
                    nout += len(buf)
                else:
                    nout += http_exchange(s, r)
                nin += len(r)
            sent.append(nin)
            got.append(nout)
            local = s.getsockname()
            if i == 0:
                tcp = poll(prefix, "/fastpath/tcp",
                           lambda v: v["states"]["established"] == 1)
                check("tcp: one held connection: states.established", 1,
                      tcp["states"]["established"])
                check("tcp: one held connection: states.total", 1, tcp["states"]["total"])

        ports = {s.getsockname()[1]: i for i, s in enumerate(socks)}

        # bytes_out counts acknowledged bytes: wait for the ACKs.
        def settled(v):
            rs = rows(v)
            if len(rs) != 2:
                return False
            return all(r["remote_port"] in ports and
                       r["bytes_out"] == got[ports[r["remote_port"]]] for r in rs)
        conns = poll(prefix, "/fastpath/conns", settled)
        rs = rows(conns)
        check("conns: total with two held connections", 2, conns["total"])
        check("conns: shown", 2, conns["shown"])
        check("conns: rows", 2, len(rs))
        check("conns: the rows are our two connections", sorted(ports),
              sorted(r["remote_port"] for r in rs))
        for r in rs:
            i = ports.get(r["remote_port"])
            if i is None:
                continue
            n = "conns: connection %d (port %d)" % (i, r["remote_port"])
            check(n + ": remote_ip", local[0], r["remote_ip"])
            check(n + ": local_port", port, r["local_port"])
            check(n + ": state", "ESTABLISHED", r["state"])
            check(n + ": bytes_in = request bytes sent", sent[i], r["bytes_in"])
            check(n + ": bytes_out = response bytes received", got[i], r["bytes_out"])
            check(n + ": age_ms > 0 (%d)" % r["age_ms"], True, r["age_ms"] > 0)
            check(n + ": lcore", lcore, r["lcore"])
            check(n + ": cwnd > 0 (%d)" % r["cwnd"], True, r["cwnd"] > 0)
            check(n + ": rto_ms > 0 (%d)" % r["rto_ms"], True, r["rto_ms"] > 0)
        one = query(prefix, "/fastpath/conns,1")
        check("conns,1: total", 2, one["total"])
        check("conns,1: shown", 1, one["shown"])
        check("conns,1: rows", 1, len(rows(one)))
        tcp = query(prefix, "/fastpath/tcp")
        check("tcp: two held connections: states.established", 2,
              tcp["states"]["established"])
    finally:
        for s in socks:
            s.close()
    conns = poll(prefix, "/fastpath/conns", lambda v: v["total"] == 0)
    check("conns: total after closing both", 0, conns["total"])
    check("conns: no row after closing both", 0, len(rows(conns)))
    for desc, want, have in checks:
        print("%s\t%s\t%s" % (desc, want, have))


def cmd_badcsum(iface, fp_mac, fp_ip, peer_ip):
    from scapy.all import ICMP, IP, Ether, Raw, conf, get_if_hwaddr, sendp

    conf.verb = 0
    pkt = (Ether(dst=fp_mac, src=get_if_hwaddr(iface)) /
           IP(src=peer_ip, dst=fp_ip, chksum=0x1234) / ICMP(type=8, id=9, seq=1) /
           Raw(b"bad ipv4 checksum"))
    sendp(pkt, iface=iface)


def main():
    cmds = {"snap": (cmd_snap, 2), "flat": (cmd_flat, 1), "delta": (cmd_delta, 2),
            "keys": (cmd_keys, 2), "held": (cmd_held, 4), "badcsum": (cmd_badcsum, 4)}
    if len(sys.argv) < 2 or sys.argv[1] not in cmds or len(sys.argv) != cmds[sys.argv[1]][1] + 2:
        sys.exit(__doc__)
    cmds[sys.argv[1]][0](*sys.argv[2:])


if __name__ == "__main__":
    main()
