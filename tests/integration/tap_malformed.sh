#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The fastpath authors
#
# Malformed frames from scapy are dropped under their own reason, nothing
# answers them, no mbuf leaks, and ping still works afterwards.
. "$(dirname "$0")/lib.sh"

N=5
it_start_tap
base=$(tel /fastpath/stats mbufs_in_use)
check "ping works before" ping_ok 3 56
before=$(tel /fastpath/stats)

want=$(nsx "$FP_PY" "$IT_DIR/malformed.py" fp0 "$(fp_mac)" "$FP_IP" "$PEER_IP" "$N")

# Wait until the last reason sent has been counted, then compare them all.
for _ in $(seq 30); do
	after=$(tel /fastpath/stats)
	python3 - "$before" "$after" "$want" <<'PY' && break
import json, sys
b, a, w = (json.loads(x) for x in sys.argv[1:4])
sys.exit(0 if all(a["drops"][k] - b["drops"][k] >= n for k, n in w.items()) else 1)
PY
	sleep 0.1
done
while read -r reason n got; do
	check_eq "drops.$reason rose by exactly $n" "$n" "$got"
done < <(python3 - "$before" "$after" "$want" <<'PY'
import json, sys
b, a, w = (json.loads(x) for x in sys.argv[1:4])
for k, n in w.items():
    print(k, n, a["drops"][k] - b["drops"][k])
PY
)
# Transmits beyond the replies to the kernel's own ARP and pings would be
# answers to malformed frames.
delta() { python3 -c 'import json,sys; b,a=(json.loads(x) for x in sys.argv[1:3]); print(sum(a[k]-b[k] for k in sys.argv[3:]))' "$before" "$after" "$@"; }
check_eq "nothing answered the malformed frames" \
	"$(delta arp_replies icmp_echo_replies)" "$(delta tx_packets)"
check "ping still works afterwards, 1472 bytes too" ping_ok 10 1472
check "mbufs in use back to the baseline of $base" it_mbufs_back_to "$base"
check "SIGINT stops fastpath with status 0" it_stop_fastpath
