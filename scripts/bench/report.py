#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The fastpath authors
"""Turns scripts/bench.sh's results into results.json, results.md and a PNG.

    report.py RESULTS.jsonl OUTDIR [--smoke]

Without --smoke it also writes docs/benchmarks.md: the machine, the table,
the chart and the ratios asked for (fastpath / nginx requests/s and cycles
per request, fastpath / testpmd echo rate). Exits 1 if a server answered
nothing or with errors, so the smoke test fails when the harness breaks.
"""
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile


def machine():
    cpu = "unknown"
    with open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    dpdk = subprocess.run(["pkg-config", "--modversion", "libdpdk"], capture_output=True,
                          text=True).stdout.strip()
    return {"cpu": cpu, "cores": os.cpu_count(), "kernel": platform.release(), "dpdk": dpdk}


def table(runs):
    rows = ["| server | mode | conns | req/s | p50 µs | p99 µs | p99.9 µs | errors "
            "| cycles/req | conns opened / request |",
            "|---|---|---|---|---|---|---|---|---|---|"]
    for r in runs:
        rows.append("| %s | %s | %d | %d | %d | %d | %d | %d | %s | %.3f |" % (
            r["server"], r["mode"], r["conns"], r["rps"], r["p50_us"], r["p99_us"],
            r["p999_us"], r["errors"],
            "%d" % r["cycles_per_req"] if r["cycles_per_req"] is not None else "-",
            r["conns_opened"] / r["requests"] if r["requests"] else 0))
    return "\n".join(rows)


def chart(runs, out):
    """requests/s and p99 per server, keep-alive at the most common conns."""
    ka = [r for r in runs if r["mode"] == "keepalive"]
    if not ka:
        return None
    conns = max(set(r["conns"] for r in ka), key=lambda c: (c == 64, c))
    pick = [r for r in ka if r["conns"] == conns]
    dat = os.path.join(tempfile.mkdtemp(), "chart.dat")
    with open(dat, "w") as f:
        for r in pick:
            f.write('"%s" %d %d\n' % (r["server"], r["rps"], r["p99_us"]))
    png = os.path.join(out, "benchmarks.png")
    script = """
set terminal png size 1000,480
set output '%s'
set xtics rotate by -30 nomirror
set bmargin 5
set style data histograms
set style fill solid 0.8
set boxwidth 0.8
set multiplot layout 1,2 title 'keep-alive, %d connections, 1 KB body'
set title 'requests/s'
set yrange [0:*]
plot '%s' using 2:xtic(1) notitle lc rgb '#3366aa'
set title 'p99 latency (us)'
plot '%s' using 3:xtic(1) notitle lc rgb '#aa6633'
unset multiplot
""" % (png, conns, dat, dat)
    subprocess.run(["gnuplot"], input=script, text=True, check=True)
    shutil.rmtree(os.path.dirname(dat))
    return png


def ratio(a, b):
    return "%.2f" % (a / b) if a and b else "n/a"


def main():
    src, out = sys.argv[1], sys.argv[2]
    smoke = "--smoke" in sys.argv[3:]
    recs = [json.loads(l) for l in open(src) if l.strip()]
    runs = [r for r in recs if "rps" in r]
    skips = [r for r in recs if "skipped" in r]
    echo = {r["server"]: r["echo_per_s"] for r in recs if "echo_per_s" in r}
    mach = machine()
    with open(os.path.join(out, "results.json"), "w") as f:
        json.dump({"machine": mach, "runs": runs, "skipped": skips, "echo": echo}, f,
                  indent=1)
    md = table(runs)
    with open(os.path.join(out, "results.md"), "w") as f:
        f.write(md + "\n")
    png = chart(runs, out)
    bad = [r for r in runs if r["requests"] == 0 or r["errors"] != 0]
    # Connection: close must really close: about one connection per request
    # (wrk counts requests finished in its window, the server every accept).
    for r in runs:
        if r["mode"] == "close" and abs(r["conns_opened"] - r["requests"]) > \
                r["conns"] + 0.03 * r["requests"]:
            bad.append(r)
    print(md)
    if not smoke:
        write_doc(mach, runs, skips, echo, md)
    if bad:
        print("bench: runs that failed: %s" % ", ".join(
            "%s/%s/%d" % (r["server"], r["mode"], r["conns"]) for r in bad), file=sys.stderr)
        sys.exit(1)
    if png is None:
        sys.exit("bench: no chart")


FP = ["fastpath-tap", "fastpath-afp", "fastpath-afxdp", "fastpath-afxdp-plain"]
MARK = "<!-- Everything above is written by scripts/bench/report.py; below, by people. -->"


def find(runs, server, mode, conns):
    for r in runs:
        if r["server"] == server and r["mode"] == mode and r["conns"] == conns:
            return r
    return None


def write_doc(mach, runs, skips, echo, md):
    top = os.path.join(os.path.dirname(__file__), "..", "..")
    lines = ["| ratio (same run) | " + " | ".join(FP) + " |",
             "|---|" + "---|" * len(FP)]

    def row(title, mode, key):
        ng = find(runs, "nginx", mode, 64)
        vals = []
        for v in FP:
            r = find(runs, v, mode, 64)
            vals.append(ratio(r[key], ng[key]) if r and ng else "n/a")
        lines.append("| %s | %s |" % (title, " | ".join(vals)))

    row("fastpath / nginx requests/s, keep-alive, 64 conns", "keepalive", "rps")
    row("fastpath / nginx CPU cycles per request, keep-alive", "keepalive", "cycles_per_req")
    row("fastpath / nginx requests/s, Connection: close", "close", "rps")
    row("fastpath / nginx CPU cycles per request, Connection: close", "close",
        "cycles_per_req")
    pmd, fpe = echo.get("testpmd-icmpecho"), echo.get("fastpath-tap-icmp")
    fp = find(runs, "fastpath-tap", "keepalive", 64)
    tail = []
    if pmd and fpe:
        tail.append("| fastpath / testpmd ICMP echo replies/s, same net_tap port, core and "
                    "ping flood | %s |" % ratio(fpe, pmd))
    if pmd and fp:
        tail.append("| fastpath-tap HTTP responses/s (keep-alive, 64) / testpmd echo "
                    "replies/s | %s |" % ratio(fp["rps"], pmd))
    if tail:
        lines += ["", "| against testpmd (same run) | value |", "|---|---|"] + tail
    # What XDP steering costs: af_xdp with the program against without.
    steer = []
    for mode, title in (("keepalive", "keep-alive, 64 conns"), ("close", "Connection: close")):
        a = find(runs, "fastpath-afxdp", mode, 64)
        b = find(runs, "fastpath-afxdp-plain", mode, 64)
        if a and b:
            steer.append("| CPU cycles per request, %s | %s |" %
                         (title, ratio(a["cycles_per_req"], b["cycles_per_req"])))
            steer.append("| requests/s, %s | %s |" % (title, ratio(a["rps"], b["rps"])))
    if steer:
        lines += ["", "| fastpath-afxdp (XDP steering) / fastpath-afxdp-plain (no program), "
                  "same run | ratio |", "|---|---|"] + steer
    skipped = "".join("- %s skipped: %s\n" % (s["server"], s["skipped"]) for s in skips)
    doc = """<!-- SPDX-License-Identifier: BSD-3-Clause
     Copyright(c) 2026 The fastpath authors -->
# Benchmarks

Generated by `scripts/bench.sh` (the full run; `--smoke` is the test
command's 2-second pass). Every server answers the same 1 KB body to
`wrk --latency` from a network namespace; the server is pinned to CPU 1
and wrk to CPU 0, so **the client shares this 2-CPU machine** and runs
that are client-bound understate the server. That is why CPU cycles per
request are reported beside requests/s: for fastpath the worker's busy
TSC cycles (telemetry), for kernel servers the CPU time of the server's
processes plus softirq time on its CPU (`/proc`), in cycles.

Machine: %(cpu)s, %(cores)d CPUs, Linux %(kernel)s, DPDK %(dpdk)s.

%(ratios)s

%(table)s

%(skipped)s
![requests/s and p99 latency per server](bench/benchmarks.png)

Raw data: [bench/results.json](bench/results.json).

%(mark)s
""" % dict(mach, ratios="\n".join(lines), table=md, skipped=skipped, mark=MARK)
    path = os.path.join(top, "docs", "benchmarks.md")
    # Keep what people wrote under the mark.
    kept = ""
    if os.path.exists(path):
        old = open(path).read()
        if MARK in old:
            kept = old.split(MARK, 1)[1].lstrip("\n")
    with open(path, "w") as f:
        f.write(doc + kept)


if __name__ == "__main__":
    main()
