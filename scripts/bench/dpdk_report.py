#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The fastpath authors
"""Turns scripts/bench-dpdk.sh's results into dpdk.json, dpdk.md and
dpdk.png.

    dpdk_report.py RESULTS.jsonl OUTDIR [--smoke]

One row per fp-load run (fastpath over net_memif, nginx over a veth pair):
requests/s, latency, server and client cycles per request, how busy each
side was and which one was the limit. Then the goals, as ratios of the same
run: fastpath's keep-alive responses/s against testpmd's forwarded packets/s
on the same link (at least 0.5; testpmd forwards 64-byte frames, and again
frames of the size of fastpath's answers, which shows what the link alone
costs per frame), server cycles per keep-alive request over
memif against fp-bench's in-process figure (at most 2), and what the
measured cycles per request give per server core. Exits 1 when a run
errored, answered nothing, or (fastpath) fp-load's responses differ from the
server's http_requests.
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile

BUSY = 0.9


def fmt(v):
    if v is None:
        return "-"
    if isinstance(v, float):
        return "%.2f" % v if abs(v) < 10 else "%d" % round(v)
    return str(v)


def limit(r):
    s, c = r.get("server_busy") or 0, r.get("client_busy") or 0
    if s >= BUSY and c >= BUSY:
        return "both"
    if s >= BUSY:
        return "server"
    if c >= BUSY:
        return "client"
    return "neither (round trips)"


def table(runs):
    rows = ["| server | body | mode | conns | requests/s | p50 µs | p99 µs | p99.9 µs "
            "| server cycles/req | of which port | server busy | client cycles/req "
            "| of which port | client busy | limit | errors |",
            "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"]
    for r in runs:
        rows.append("| " + " | ".join(fmt(r.get(k)) for k in [
            "server", "body", "mode", "conns", "rps", "p50_us", "p99_us", "p999_us",
            "server_cycles_per_req", "server_port_cycles_per_req", "server_busy",
            "client_cycles_per_req", "client_port_cycles_per_req",
            "client_busy"]) + " | %s | %s |" % (limit(r), fmt(r.get("errors"))))
    return "\n".join(rows)


def goals(rows, pmds, bench):
    fp = [r for r in rows if r["server"] == "fastpath-memif"]
    ka64 = [r for r in fp if r["mode"] == "keepalive" and r["body"] == "64"]
    ka1k = [r for r in fp if r["mode"] == "keepalive" and r["body"] == "1k"]
    out = {}
    pmd = pmds.get(64)
    if ka64 and pmd:
        best = max(ka64, key=lambda r: r["rps"])
        out["rps_over_testpmd_pps"] = {
            "value": best["rps"] / pmd, "fastpath_rps": best["rps"], "conns": best["conns"],
            "testpmd_pps": pmd, "goal": ">= 0.5", "met": best["rps"] / pmd >= 0.5}
        same = [(n, v) for n, v in pmds.items() if n != 64]
        if same:
            n, v = same[0]
            hz = best["tsc_hz"]
            out["rps_over_testpmd_same_frames"] = {
                "value": best["rps"] / v, "fastpath_rps": best["rps"], "frame_bytes": n,
                "testpmd_pps": v, "link_cycles_per_frame_at_most": hz / v,
                "budget_cycles_per_req_for_goal": 2 * hz / pmd,
                "server_cycles_per_req": best["server_cycles_per_req"],
                "server_port_cycles_per_req": best.get("server_port_cycles_per_req")}
    ref = [r for r in ka1k if r["conns"] == 64]
    if ref and bench:
        v = ref[0]["server_cycles_per_req"] / bench
        out["memif_cycles_over_fp_bench"] = {
            "value": v, "memif_cycles": ref[0]["server_cycles_per_req"],
            "fp_bench_cycles": bench, "goal": "<= 2", "met": v <= 2}
    if fp:
        best = min((r for r in fp if r["mode"] == "keepalive"),
                   key=lambda r: r["server_cycles_per_req"] or 1e18, default=None)
        if best and best["server_cycles_per_req"]:
            hz = best["tsc_hz"]
            out["per_core"] = {
                "cycles_per_req": best["server_cycles_per_req"], "tsc_hz": hz,
                "requests_per_s_per_core": hz / best["server_cycles_per_req"],
                "body": best["body"], "conns": best["conns"]}
    return out


def goal_text(g):
    lines = []
    x = g.get("rps_over_testpmd_pps")
    if x:
        lines.append("- fastpath keep-alive responses/s (64-byte body, %d connections) over "
                     "testpmd's forwarded packets/s on the same memif link and CPUs: "
                     "%d / %d = **%.2f** (goal %s: %s)" % (
                         x["conns"], x["fastpath_rps"], x["testpmd_pps"], x["value"],
                         x["goal"], "met" if x["met"] else "not met"))
    x = g.get("rps_over_testpmd_same_frames")
    if x:
        line = ("- the same against testpmd forwarding %d-byte frames, the size of "
                "fastpath's answers: %d / %d = **%.2f**. To meet the goal a server core may "
                "spend %d cycles per request; a forwarder spends at most %d per such "
                "frame" % (x["frame_bytes"], x["fastpath_rps"], x["testpmd_pps"], x["value"],
                           round(x["budget_cycles_per_req_for_goal"]),
                           round(x["link_cycles_per_frame_at_most"])))
        if x.get("server_port_cycles_per_req") and x.get("server_cycles_per_req"):
            line += ("; fastpath spent %d, %d of them in the PMD and %d in its own "
                     "IPv4, TCP and HTTP" % (x["server_cycles_per_req"],
                                             x["server_port_cycles_per_req"],
                                             x["server_cycles_per_req"] -
                                             x["server_port_cycles_per_req"]))
        lines.append(line)
    x = g.get("memif_cycles_over_fp_bench")
    if x:
        lines.append("- server cycles per keep-alive request over memif (1 KB, 64 "
                     "connections) over fp-bench's in process (software checksums): "
                     "%d / %d = **%.2f** (goal %s: %s)" % (
                         x["memif_cycles"], x["fp_bench_cycles"], x["value"], x["goal"],
                         "met" if x["met"] else "not met"))
    x = g.get("per_core")
    if x:
        lines.append("- per server core: %.2f GHz / %d cycles per keep-alive request "
                     "(%s body, %d connections) = **%.2f million requests/s** at full "
                     "busy" % (x["tsc_hz"] / 1e9, x["cycles_per_req"], x["body"],
                               x["conns"], x["requests_per_s_per_core"] / 1e6))
    return "\n".join(lines)


def chart(rows, pmd, out):
    if not rows:
        return
    tmp = tempfile.mkdtemp()
    dat = os.path.join(tmp, "rows.dat")
    with open(dat, "w") as f:
        for i, r in enumerate(rows):
            label = "%s\\n%s %s %s" % (r["server"].replace("fastpath-memif", "fastpath"),
                                       r["body"], r["mode"].replace("keepalive", "ka"),
                                       r["conns"])
            f.write('%d "%s" %d %d %d\n' % (i, label, r["rps"],
                                            r["server_cycles_per_req"] or 0,
                                            r["client_cycles_per_req"] or 0))
    png = os.path.join(out, "dpdk.png")
    pmd_line = ", %d with lines lw 2 dt 2 title 'testpmd macswap packets/s'" % pmd \
        if pmd else ""
    script = """
set terminal png size 1300,460 noenhanced
set output '%s'
set style fill solid 0.6
set boxwidth 0.7
set grid ytics
set xtics rotate by -30 font ',8'
set multiplot layout 1,2 title 'fp-load (DPDK, CPU 0) against fastpath over net_memif and nginx over veth (CPU 1)'
set title 'requests/s'
set logscale y
plot '%s' using 1:3:xtic(2) with boxes title 'requests/s'%s
set title 'cycles per request'
set boxwidth 0.34
plot '%s' using ($1-0.17):4 with boxes fs solid 0.6 title 'server' , '' using ($1+0.17):5:xtic(2) with boxes title 'client (fp-load)'
unset multiplot
""" % (png, dat, pmd_line, dat)
    subprocess.run(["gnuplot"], input=script, text=True, check=True)
    shutil.rmtree(tmp)


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    runs = [json.loads(ln) for ln in open(sys.argv[1]) if ln.strip()]
    out = sys.argv[2]
    os.makedirs(out, exist_ok=True)
    rows = [r for r in runs if "mode" in r]
    pmds = {r.get("frame_bytes", 64): r["forwarded_pps"] for r in runs
            if r["server"] == "testpmd-macswap"}
    pmd = pmds.get(64)
    bench = next((r["cycles_per_req"] for r in runs if r["server"] == "fp-bench"), None)
    g = goals(rows, pmds, bench)
    with open(os.path.join(out, "dpdk.json"), "w") as f:
        json.dump({"runs": runs, "goals": g}, f, indent=1)
        f.write("\n")
    md = table(rows) + "\n"
    if pmds:
        md += "\n| testpmd flowgen -> macswap over net_memif | packets/s forwarded |\n" \
              "|---|---|\n"
        for n in sorted(pmds):
            md += "| %d-byte frames | %d |\n" % (n, pmds[n])
    if bench:
        md += "\nfp-bench, keep-alive, in process: %d server cycles per request.\n" % bench
    gt = goal_text(g)
    if gt:
        md += "\n" + gt + "\n"
    with open(os.path.join(out, "dpdk.md"), "w") as f:
        f.write(md)
    chart(rows, pmd, out)
    print(md)
    bad = [r for r in rows if r.get("errors") or not r.get("ok")
           or (r["server"].startswith("fastpath") and r["server_requests"] != r["responses"])]
    for r in bad:
        print("dpdk_report: bad run: %s" % json.dumps(r), file=sys.stderr)
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
