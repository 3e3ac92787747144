#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The fastpath authors
#
# Two workers, so two queue pairs and two pools, sharing CPU 1. The kernel's
# multiqueue tap spreads flows over the queues by hash; every echo must be
# answered whichever worker gets it.
. "$(dirname "$0")/lib.sh"

# shellcheck disable=SC2034 # read by it_launch in lib.sh
IT_LCORES=0@0,1@1,2@1
it_start_tap
check "fastpath reports 2 workers" grep -q "with 2 worker(s)" "$IT_LOG"
check_eq "two workers registered" 2 "$(tel /fastpath/stats workers)"
pools=$(tel /fastpath/mempool)
check "each worker has its own packet and zero-copy pools" python3 -c '
import json, sys
d = json.loads(sys.argv[1])
pkt = [n for n in d if n.startswith("fp_pool_")]
zc = [n for n in d if n.startswith("fp_zc_")]
sys.exit(0 if len(pkt) == 2 and len(zc) == 2 and all(p["size"] > 0 for p in d.values())
	else 1)' "$pools"
base=$(tel /fastpath/stats mbufs_in_use)

# Several flows: echoes from four source addresses, several ids each.
for a in 11 12 13; do nsx ip addr add "198.18.0.$a/24" dev fp0; done
lost=0
for a in 1 11 12 13; do
	for _ in 1 2; do
		nsx ping -c 5 -i 0.05 -W 2 -I "198.18.0.$a" "$FP_IP" 2>&1 | grep -q " 0% packet loss" ||
			lost=$((lost + 1))
	done
done
check_eq "40 echoes over 8 flows, none lost" 0 "$lost"
check_eq "icmp_echo_replies counts all 40" 40 "$(tel /fastpath/stats icmp_echo_replies)"
check "mbufs in use back to the baseline of $base" it_mbufs_back_to "$base"
check "SIGINT stops both workers with status 0" it_stop_fastpath
check_eq "both workers stopped" 2 "$(grep -c "lcore [12] stopped" "$IT_LOG")"
