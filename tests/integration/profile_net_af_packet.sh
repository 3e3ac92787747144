#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The fastpath authors
#
# drivers-cfg/net_af_packet.ini started with --profile, on the veth pair
# fpk0 (kernel) / fpd0 (fastpath) in a namespace: ping and curl.
. "$(dirname "$0")/lib.sh"
. "$IT_DIR/profile_lib.sh"

it_make_ns
profile_veth "$(profile_vdev_arg net_af_packet iface)"
profile_launch net_af_packet
it_wait_serving

profile_smoke net_af_packet net_af_packet fpk0
profile_stop net_af_packet
