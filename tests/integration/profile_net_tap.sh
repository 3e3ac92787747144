#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The fastpath authors
#
# drivers-cfg/net_tap.ini started with --profile: fastpath creates the tap
# fp0 in a namespace; ping and curl reach it, its counters say it answered.
. "$(dirname "$0")/lib.sh"
. "$IT_DIR/profile_lib.sh"

it_make_ns
profile_launch net_tap
fp_wait_iface fp0 15 "$IT_NS" || { echo "no tap interface"; exit 1; }
nsx ip addr add "$PEER_IP/24" dev fp0
nsx ip link set fp0 up
it_wait_serving

profile_smoke net_tap net_tap fp0
profile_stop net_tap
