#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The fastpath authors
"""A stand-in for a fastpath's DPDK telemetry socket, for testing clients.

    fake_telemetry.py PREFIX [--workers N] [--lifetime SECONDS] [--no-fastpath]

Listens on /var/run/dpdk/PREFIX/dpdk_telemetry.v2 (the EAL's directory for a
non-root user: $XDG_RUNTIME_DIR/dpdk or /tmp/dpdk) and speaks telemetry v2:
a greeting {"version", "pid", "max_output_len"}, then one JSON answer
{"<command>": value} per command, null for an unknown one. It answers the
/fastpath/* commands with made-up but consistent data: per-lcore rates are
fixed (lcore k: 10000*k RX pps, 9000*k TX pps, 2500*k requests/s, busy
20+10*k %) and counters grow at those rates. Drops: tcp_no_conn grows 400/s,
eth_not_for_us 40/s from 1000000, and tcp_out_of_window (5000),
ipv4_bad_csum (7), arp_not_for_us (3) and icmp_unsupported (1) stay put.

--no-fastpath answers only DPDK's own commands, like a DPDK process that is
not a fastpath. It exits after --lifetime seconds (default 60), or on
SIGTERM/SIGINT, and removes its socket and the directory if it made it.
"""
import argparse
import json
import os
import re
import select
import signal
import socket
import sys
import threading
import time

MAX_OUTPUT_LEN = 16384
STATS_H = os.path.join(os.path.dirname(os.path.abspath(__file__)),
                       "..", "..", "lib", "stats", "fp_stats.h")
# (name, growth per second, starting value); every other reason stays 0.
DROPS = (("tcp_no_conn", 400, 0), ("eth_not_for_us", 40, 1000000),
         ("tcp_out_of_window", 0, 5000), ("ipv4_bad_csum", 0, 7),
         ("arp_not_for_us", 0, 3), ("icmp_unsupported", 0, 1))
STATES = {"syn_received": 1, "established": 42, "close_wait": 0, "last_ack": 0,
          "fin_wait_1": 2, "fin_wait_2": 0, "closing": 0, "time_wait": 7}


def stats_names():
    """Counter, drop and gauge names from lib/stats/fp_stats.h when it is there."""
    counters, drops, gauges = [], [], []
    try:
        with open(STATS_H) as f:
            text = f.read()
    except OSError:
        text = ""
    for kind, name in re.findall(r"\b([CDG])\((\w+),", text):
        {"C": counters, "D": drops, "G": gauges}[kind].append(name)
    for name, _, _ in DROPS:
        if name not in drops:
            drops.append(name)
    return counters, drops, gauges


class Fake:
    def __init__(self, workers, fastpath):
        self.t0 = time.monotonic()
        self.workers = workers
        self.fastpath = fastpath
        self.counters, self.drop_names, self.gauges = stats_names()

    def secs(self):
        return time.monotonic() - self.t0

    def lcores(self):
        t = self.secs()
        out = {}
        for k in range(1, self.workers + 1):
            rx, tx, req = 10000 * k, 9000 * k, 2500 * k
            busy_cycles = int(t * 2.0e9 * (20 + 10 * k) / 100)
            rxp, reqs = int(rx * t), int(req * t)
            out[str(k)] = {
                "queue": k - 1, "rx_packets": rxp, "tx_packets": int(tx * t),
                "requests": reqs, "rx_pps": rx, "tx_pps": tx, "requests_per_s": req,
                "busy_pct": 20 + 10 * k, "busy_cycles": busy_cycles,
                "cycles_per_packet": busy_cycles // rxp if rxp else 0,
                "cycles_per_request": busy_cycles // reqs if reqs else 0,
            }
        return out

    def drops(self):
        t = self.secs()
        d = dict.fromkeys(self.drop_names, 0)
        for name, per_s, start in DROPS:
            d[name] = start + int(per_s * t)
        return d

    def stats(self):
        t = self.secs()
        lc = self.lcores().values()
        d = {name: 0 for name in self.counters}
        d.update({name: 0 for name in self.gauges})
        d.update({"rx_packets": sum(v["rx_packets"] for v in lc),
                  "tx_packets": sum(v["tx_packets"] for v in lc),
                  "http_requests": sum(v["requests"] for v in lc),
                  "tcp_passive_opens": int(100 * t)})
        for k, v in STATES.items():
            d["tcp_" + k] = v
        d["tcp_conns"] = sum(STATES.values())
        drops = self.drops()
        d.update({"drops_total": sum(drops.values()), "mbufs_in_use": 1234,
                  "workers": self.workers, "drops": drops,
                  "rx_pps": sum(v["rx_pps"] for v in lc),
                  "tx_pps": sum(v["tx_pps"] for v in lc),
                  "requests_per_s": sum(v["requests_per_s"] for v in lc)})
        return d

    def tcp(self):
        t = self.secs()
        states = dict(STATES, total=sum(STATES.values()))
        return {"states": states, "passive_opens": int(100 * t), "closed": int(100 * t) - 50,
                "retransmits": 3, "timeouts": 1, "fast_retransmits": 2, "syn_cookies_sent": 0,
                "syn_cookies_ok": 0, "challenge_acks": 0, "resets_sent": 5,
                "resets_received": 0, "aborts": 1}

    def http(self):
        reqs = sum(v["requests"] for v in self.lcores().values())
        return {"requests": reqs, "requests_per_s": 2500 * sum(range(1, self.workers + 1)),
                "methods": {"GET": reqs - 10, "HEAD": 10, "other": 0},
                "status_class": {"2xx": reqs - 4, "3xx": 0, "4xx": 4, "5xx": 0},
                "status": {"200": reqs - 4, "400": 1, "404": 3},
                "parse_errors": {"bad_request_line": 1}}

    def answer(self, cmd, param):
        """The value for CMD, or None (JSON null) when it is unknown."""
        common = {
            "/": lambda: sorted(["/", "/info", "/help", "/eal/params"] +
                                ([] if not self.fastpath else list(self.fp_cmds()))),
            "/info": lambda: {"version": "DPDK 22.11.0 (fake)", "pid": os.getpid(),
                              "max_output_len": MAX_OUTPUT_LEN},
            "/help": lambda: {param or "/help": "help text"},
            "/eal/params": lambda: ["fake_telemetry"],
        }
        fn = common.get(cmd) or (self.fp_cmds().get(cmd) if self.fastpath else None)
        return fn() if fn else None

    def fp_cmds(self):
        return {
            "/fastpath/stats": self.stats,
            "/fastpath/lcores": self.lcores,
            "/fastpath/tcp": self.tcp,
            "/fastpath/http": self.http,
            "/fastpath/drops": self.drops,
            "/fastpath/mempool": lambda: {"fp_pool_%d" % k: {"size": 8191, "in_use": 617,
                                                             "free": 7574}
                                          for k in range(1, self.workers + 1)},
            "/fastpath/config": lambda: {"http": {"port": "80"}, "routes": {},
                                         "eal_args": "fake"},
            "/fastpath/routes": lambda: {"total": 0, "first": 0, "routes": {}},
            "/fastpath/conns": lambda: {"total": 0, "shown": 0, "conns": {}},
        }


def serve_client(fake, conn, stop):
    greeting = {"version": "DPDK 22.11.0 (fake)", "pid": os.getpid(),
                "max_output_len": MAX_OUTPUT_LEN}
    try:
        conn.send(json.dumps(greeting).encode())
        while not stop.is_set():
            r, _, _ = select.select([conn], [], [], 0.2)
            if not r:
                continue
            msg = conn.recv(1024)
            if not msg:
                break
            text = msg.decode(errors="replace")
            cmd, _, param = text.partition(",")
            reply = json.dumps({cmd: fake.answer(cmd, param)})
            conn.send(reply[:MAX_OUTPUT_LEN].encode())
    except OSError:
        pass
    finally:
        conn.close()


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("prefix")
    p.add_argument("--workers", type=int, default=1)
    p.add_argument("--lifetime", type=float, default=60.0)
    p.add_argument("--no-fastpath", action="store_true")
    args = p.parse_args()

    base = "/var/run"
    if os.getuid() != 0:
        base = os.environ.get("XDG_RUNTIME_DIR") or "/tmp"
    rundir = os.path.join(base, "dpdk", args.prefix)
    made = not os.path.isdir(rundir)
    os.makedirs(rundir, exist_ok=True)
    path = os.path.join(rundir, "dpdk_telemetry.v2")
    if os.path.exists(path):
        os.unlink(path)

    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    fake = Fake(args.workers, not args.no_fastpath)
    srv = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
    srv.bind(path)
    srv.listen(8)
    threads = []
    end = time.monotonic() + args.lifetime
    try:
        while not stop.is_set() and time.monotonic() < end:
            r, _, _ = select.select([srv], [], [], 0.1)
            if r:
                conn, _ = srv.accept()
                t = threading.Thread(target=serve_client, args=(fake, conn, stop), daemon=True)
                t.start()
                threads.append(t)
    finally:
        stop.set()
        srv.close()
        os.unlink(path)
        for t in threads:
            t.join(1)
        if made:
            try:
                os.rmdir(rundir)
            except OSError:
                pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
