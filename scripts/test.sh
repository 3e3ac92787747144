#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The fastpath authors
#
# Installs what is missing, builds with warnings as errors, and runs every
# unit and integration test. Exits non-zero on any failure.
#
#   scripts/test.sh [meson test arguments, e.g. --suite unit or tap_ping]
set -euo pipefail
. "$(dirname "$0")/lib/common.sh"

fp_prepare

# The integration tests run fastpath in namespaces of their own; they are not
# parallel, so the busy-polling worker leaves the other core to the client.
rc=0
meson test -C "$FP_BUILD" --print-errorlogs --num-processes 2 "$@" || rc=$?

python3 - "$FP_BUILD/meson-logs/testlog.json" <<'PY'
import json, sys
res = [json.loads(l)["result"] for l in open(sys.argv[1]) if l.strip()]
ok = sum(r == "OK" for r in res)
skip = sum(r == "SKIP" for r in res)
print("fastpath tests: %d passed, %d failed, %d skipped" % (ok, len(res) - ok - skip, skip))
PY
exit "$rc"
