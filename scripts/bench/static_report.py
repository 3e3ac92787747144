#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The fastpath authors
#
# scripts/bench-static.sh's report: RESULTS (JSON lines) into OUT/static.json
# and OUT/static.md, the comparisons the goal asks for, and with --smoke a
# check that every run answered with the coding it should.
import json
import sys


def main():
    results, out = sys.argv[1], sys.argv[2]
    smoke = "--smoke" in sys.argv[3:]
    raw = [json.loads(line) for line in open(results) if line.strip()]
    # The median round of each case, by cycles per request (its other
    # figures come from that same round).
    groups = {}
    for r in raw:
        groups.setdefault((r["server"], r["case"]), []).append(r)
    runs = []
    for rs in groups.values():
        rs = sorted(rs, key=lambda r: r["cycles_per_req"] or 0)
        m = dict(rs[len(rs) // 2])
        m["rounds"] = len(rs)
        m["cycles_per_req_all"] = [r["cycles_per_req"] for r in rs]
        runs.append(m)
    by = {(r["server"], r["case"]): r for r in runs}
    servers = sorted({r["server"] for r in runs})

    rows = ["| server | case | Accept-Encoding | answered | requests/s | wire bytes/response "
            "| cycles/request | p99 µs | errors |", "|---|---|---|---|---|---|---|---|---|"]
    for r in runs:
        rows.append(f"| {r['server']} | {r['case']} | {r['accept_encoding']} | "
                    f"{r['content_encoding']} | {r['rps']} | {r['wire_bytes_per_resp']} | "
                    f"{r['cycles_per_req']} | {r['p99_us']} | {r['errors']} |")

    # The goal: a variant costs no more than an identity body of its size.
    goal = ["| server | variant | cycles/request | identity of its size | ratio |",
            "|---|---|---|---|---|"]
    ratios = {}
    for s in servers:
        for f in ("js", "json"):
            for v in ("gzip", "br"):
                a, b = by.get((s, f"{f}-{v}")), by.get((s, f"{f}-{v}-size-identity"))
                if a and b and a["cycles_per_req"] and b["cycles_per_req"]:
                    ratio = a["cycles_per_req"] / b["cycles_per_req"]
                    ratios[(s, f, v)] = ratio
                    goal.append(f"| {s} | {f} {v} | {a['cycles_per_req']} | "
                                f"{b['cycles_per_req']} | {ratio:.2f} |")
    vs = ["| case | fastpath-afp / nginx requests/s | nginx / fastpath-afp cycles/request |",
          "|---|---|---|"]
    for r in runs:
        if r["server"] != "fastpath-afp":
            continue
        n = by.get(("nginx", r["case"]))
        if n and n["rps"] and r["cycles_per_req"]:
            vs.append(f"| {r['case']} | {r['rps'] / n['rps']:.2f} | "
                      f"{n['cycles_per_req'] / r['cycles_per_req']:.2f} |")
    dyn = []
    a, b = by.get(("fastpath-afp", "dyn-gzip")), by.get(("fastpath-afp", "dyn-identity"))
    if a and b and a["cycles_per_req"] and b["cycles_per_req"]:
        per_kb = (a["cycles_per_req"] - b["cycles_per_req"]) / 4
        dyn = [f"On-the-fly gzip of a handler's 4 KB JSON (`/report?kb=4`, level 1): "
               f"{a['cycles_per_req']} cycles/request against {b['cycles_per_req']} "
               f"without, **{per_kb:.0f} cycles per KB** compressed; "
               f"{a['wire_bytes_per_resp']} wire bytes/response against "
               f"{b['wire_bytes_per_resp']}."]
    md = "\n".join(rows) + "\n\n" + "\n".join(goal) + "\n\n" + "\n".join(vs) + "\n\n" + \
        "\n".join(dyn) + "\n"
    json.dump({"runs": runs, "rounds": raw, "variant_vs_identity": {f"{k[0]} {k[1]} {k[2]}": round(v, 3)
                                                     for k, v in ratios.items()}},
              open(f"{out}/static.json", "w"), indent=1)
    open(f"{out}/static.md", "w").write(md)
    print(md)

    if smoke:
        bad = []
        want = {"js-identity": "identity", "js-br": "br", "json-br": "br",
                "js-br-size-identity": "identity", "dyn-identity": "identity",
                "dyn-gzip": "gzip"}
        for r in raw:
            if not r["requests"] or r["errors"]:
                bad.append(f"{r['server']} {r['case']}: {r['requests']} requests, "
                           f"{r['errors']} errors")
            w = want.get(r["case"])
            if w and r["content_encoding"] != w:
                bad.append(f"{r['server']} {r['case']}: answered {r['content_encoding']}, "
                           f"not {w}")
        cases = {(r["server"], r["case"]) for r in runs}
        for s in servers:
            for c in want:
                if c.startswith("dyn") and s != "fastpath-afp":
                    continue
                if (s, c) not in cases:
                    bad.append(f"{s} {c}: no result")
        if bad:
            print("bench-static smoke failed:\n  " + "\n  ".join(bad), file=sys.stderr)
            sys.exit(1)


main()
