#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The fastpath authors
#
# The tap ping test on net_af_packet, over a veth pair.
. "$(dirname "$0")/lib.sh"

it_start_af_packet -c "$IT_DIR/../../drivers-cfg/net_af_packet.ini"
base=$(tel /fastpath/stats mbufs_in_use)
mac=$(fp_mac)

check "20 echo requests of 56 bytes, 0% loss" ping_ok 20 56
check "20 echo requests of 1472 bytes (1500-byte IP), 0% loss" ping_ok 20 1472
out=$(nsx arping -c 3 -i fpk0 "$FP_IP" 2>&1 || true)
check "arping answers with fastpath's MAC $mac" grep -qi "from $mac" <<<"$out"
check_eq "icmp_echo_replies counts all 40 echoes" 40 "$(tel /fastpath/stats icmp_echo_replies)"
check "mbufs in use back to the baseline of $base" it_mbufs_back_to "$base"
check "SIGINT stops fastpath with status 0" it_stop_fastpath
