#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The fastpath authors
#
# ping and arping over net_tap; telemetry through dpdk-telemetry.py; mbufs
# back to their baseline; a clean stop on SIGINT.
. "$(dirname "$0")/lib.sh"

it_start_tap
base=$(tel /fastpath/stats mbufs_in_use)
mac=$(fp_mac)

check "20 echo requests of 56 bytes, 0% loss" ping_ok 20 56
check "20 echo requests of 1472 bytes (1500-byte IP), 0% loss" ping_ok 20 1472
# Over the MTU: the kernel fragments each request, fastpath reassembles it
# and fragments its reply.
check "5 echo requests of 3000 bytes (fragmented both ways), 0% loss" ping_ok 5 3000
check_eq "ipv4_reassembled counts the 5" 5 "$(tel /fastpath/stats ipv4_reassembled)"
check_eq "ipv4_frags_sent counts 3 fragments a reply" 15 "$(tel /fastpath/stats ipv4_frags_sent)"
check_eq "no fragment dropped" 0 "$(tel /fastpath/stats drops.ipv4_frag_dropped)"

out=$(nsx arping -c 3 -i fp0 "$FP_IP" 2>&1 || true)
check "arping answers with fastpath's MAC $mac" grep -qi "from $mac" <<<"$out"
neigh=$(nsx ip neigh show "$FP_IP")
check "the kernel's neighbour entry holds fastpath's MAC" grep -qi "lladdr $mac" <<<"$neigh"

# The same numbers through the tool operators use.
json=$(echo /fastpath/stats | dpdk-telemetry.py -f "$IT_PREFIX" 2>/dev/null | grep '/fastpath/stats')
replies=$(python3 -c 'import json,sys; print(json.loads(sys.argv[1])["/fastpath/stats"]["icmp_echo_replies"])' "$json")
check_eq "dpdk-telemetry.py: icmp_echo_replies counts all 45 echoes" 45 "$replies"
check_eq "garp_sent is 1" 1 "$(tel /fastpath/stats garp_sent)"
check "arp_replies rose" test "$(tel /fastpath/stats arp_replies)" -ge 1
check_eq "no transmit was refused" 0 "$(tel /fastpath/stats drops.tx_full)"
check_eq "one worker registered" 1 "$(tel /fastpath/stats workers)"

check "mbufs in use back to the baseline of $base" it_mbufs_back_to "$base"
check "SIGINT stops fastpath with status 0" it_stop_fastpath
check "final counters printed" grep -q "icmp_echo_replies *45" "$IT_LOG"
