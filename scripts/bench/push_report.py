#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The fastpath authors
"""Turns scripts/bench-push.sh's results into push.json, push.csv, push.md
and push.png.

    push_report.py RESULTS.jsonl OUTDIR [--smoke]

The table gives, per server and number of subscribers: delivered messages/s,
server CPU cycles per delivered message, delivered messages per second of
server CPU time (per core), latency p50/p99, missing and out-of-order
messages, and how busy the server and the client were. The ratios are
fastpath over node at each N, from the same run (the goal: at least 10 times
node's delivered messages per server core). Exits 1 if a run failed, nothing
was delivered, or a subscriber missed a message or got one out of order, so
the smoke test fails when the harness or a server breaks.
"""
import csv
import json
import os
import shutil
import subprocess
import sys
import tempfile

COLS = ["server", "subscribers", "messages", "window", "delivered", "seconds",
        "delivered_per_s", "cycles_per_msg", "per_core_s", "p50_us", "p99_us", "missing",
        "out_of_order", "server_busy", "client_busy", "cpu1_user_sys_softirq",
        "cpu0_user_sys_softirq"]
GOAL = 10.0


def fmt(v):
    if v is None:
        return "-"
    if isinstance(v, float):
        return "%.2f" % v if abs(v) < 10 else "%d" % round(v)
    return str(v)


def cpu_split(r, cpu):
    """user/system/softirq of a CPU over the run, in percent."""
    c = r.get("cpus", {}).get(cpu)
    if not c:
        return None
    return "%d/%d/%d" % tuple(round(100 * c[k]) for k in ("user", "system", "softirq"))


def with_splits(r):
    r = dict(r)
    r["cpu1_user_sys_softirq"] = cpu_split(r, "cpu1")
    r["cpu0_user_sys_softirq"] = cpu_split(r, "cpu0")
    return r


def table(runs):
    rows = ["| server | subscribers | messages | window | delivered/s | cycles/msg "
            "| msgs per core-s | p50 µs | p99 µs | missing | out of order | server busy "
            "| client busy | CPU 1 user/sys/softirq % | CPU 0 user/sys/softirq % |",
            "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"]
    for r in runs:
        if "failed" in r:
            rows.append("| %s | %s | failed: %s |" % (r["server"], r["subscribers_asked"],
                                                      r["failed"]))
            continue
        r = with_splits(r)
        rows.append("| " + " | ".join(fmt(r.get(c)) for c in [
            "server", "subscribers", "messages", "window", "delivered_per_s",
            "cycles_per_msg", "per_core_s", "p50_us", "p99_us", "missing", "out_of_order",
            "server_busy", "client_busy", "cpu1_user_sys_softirq",
            "cpu0_user_sys_softirq"]) + " |")
    return "\n".join(rows)


def ratios(runs):
    by = {}
    for r in runs:
        if "failed" not in r:
            by.setdefault(r["subscribers"], {})[r["server"]] = r
    out = []
    for n in sorted(by):
        node = by[n].get("node")
        for s, r in sorted(by[n].items()):
            if s == "node" or node is None:
                continue
            rate = r["delivered_per_s"] / node["delivered_per_s"] \
                if node["delivered_per_s"] else None
            core = r["per_core_s"] / node["per_core_s"] \
                if r["per_core_s"] and node["per_core_s"] else None
            # node charged with its CPU's softirq too, as fastpath's busy
            # cycles are (the kernel work its system calls trigger).
            ncpm = (node.get("cycles_per_msg") or 0) + (node.get("softirq_cycles_per_msg") or 0)
            core_si = r["per_core_s"] / (node["tsc_hz"] / ncpm) \
                if r["per_core_s"] and ncpm else None
            out.append({"subscribers": n, "server": s, "rate_ratio": rate,
                        "per_core_ratio": core, "per_core_ratio_node_softirq": core_si,
                        "goal_met": core is not None and core >= GOAL})
    return out


def ratio_table(rs):
    rows = ["| subscribers | fastpath / node delivered/s | fastpath / node delivered per "
            "server core-second | the same, node charged its CPU's softirq too "
            "| goal (>= %g per core) |" % GOAL,
            "|---|---|---|---|---|"]
    for x in rs:
        rows.append("| %d (%s) | **%s** | **%s** | %s | %s |" % (
            x["subscribers"], x["server"], fmt(x["rate_ratio"]), fmt(x["per_core_ratio"]),
            fmt(x["per_core_ratio_node_softirq"]), "met" if x["goal_met"] else "not met"))
    return "\n".join(rows)


def chart(runs, out):
    ok = [r for r in runs if "failed" not in r]
    servers = sorted(set(r["server"] for r in ok))
    if not ok:
        return None
    tmp = tempfile.mkdtemp()
    plots = {"rate": [], "core": [], "p99": []}
    for s in servers:
        dat = os.path.join(tmp, s + ".dat")
        with open(dat, "w") as f:
            for r in sorted((r for r in ok if r["server"] == s), key=lambda r: r["subscribers"]):
                f.write("%d %d %d %d\n" % (r["subscribers"], r["delivered_per_s"],
                                           r["per_core_s"] or 0, r["p99_us"]))
        for k, col in (("rate", 2), ("core", 3), ("p99", 4)):
            plots[k].append("'%s' using 1:%d with linespoints lw 2 pt 7 title '%s'" %
                            (dat, col, s))
    png = os.path.join(out, "push.png")
    script = """
set terminal png size 1200,420
set output '%s'
set logscale x
set xlabel 'subscribers'
set key top right
set grid
set multiplot layout 1,3 title 'push: one publisher, 100-byte messages, fan-out to N WebSocket subscribers'
set title 'delivered messages/s'
set yrange [0:*]
plot %s
set title 'delivered per server core-second'
plot %s
set title 'p99 latency (us)'
set logscale y
set yrange [*:*]
plot %s
unset multiplot
""" % (png, ", ".join(plots["rate"]), ", ".join(plots["core"]), ", ".join(plots["p99"]))
    subprocess.run(["gnuplot"], input=script, text=True, check=True)
    shutil.rmtree(tmp)
    return png


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    runs = [json.loads(ln) for ln in open(sys.argv[1]) if ln.strip()]
    out = sys.argv[2]
    os.makedirs(out, exist_ok=True)
    rs = ratios(runs)
    with open(os.path.join(out, "push.json"), "w") as f:
        json.dump({"runs": runs, "ratios": rs}, f, indent=1)
        f.write("\n")
    with open(os.path.join(out, "push.csv"), "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(COLS)
        for r in runs:
            if "failed" not in r:
                r = with_splits(r)
                w.writerow([r.get(c) for c in COLS])
    notes = []
    for r in runs:
        asked = r.get("subscribers_asked")
        if "failed" in r:
            notes.append("%s with %s subscribers: the client failed (%s)" %
                         (r["server"], asked, r["failed"]))
        elif asked is not None and r["subscribers"] < asked:
            notes.append("%s: only %d of %d subscribers connected (%d fds)" %
                         (r["server"], r["subscribers"], asked, r.get("fds", 0)))
    md = table(runs) + "\n\n" + ratio_table(rs) + "\n"
    if notes:
        md += "\n" + "\n".join("- " + n for n in notes) + "\n"
    with open(os.path.join(out, "push.md"), "w") as f:
        f.write(md)
    chart(runs, out)
    print(md)
    bad = [r for r in runs if "failed" in r or not r.get("delivered")
           or r.get("missing") or r.get("out_of_order") or r.get("bad_frames")
           or r.get("duplicates") or r["subscribers"] < r["subscribers_asked"]]
    for r in bad:
        print("push_report: bad run: %s" % json.dumps(r), file=sys.stderr)
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
