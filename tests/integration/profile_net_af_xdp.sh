#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The fastpath authors
#
# drivers-cfg/net_af_xdp.ini started with --profile, on the veth pair
# fpk0 (kernel) / fpx0 (fastpath) in a namespace, in copy mode (all veth
# has): ping and curl. SKIP (77) where DPDK has no af_xdp PMD or the kernel
# cannot give it an XDP socket.
. "$(dirname "$0")/lib.sh"
. "$IT_DIR/profile_lib.sh"

pmd=$(compgen -G "/usr/lib/*/dpdk/pmds-*/librte_net_af_xdp.so*" | head -1 || true)
[ -n "$pmd" ] || profile_skip "DPDK has no net_af_xdp PMD (librte_net_af_xdp.so)"
if [ -r /proc/config.gz ] && ! zgrep -q '^CONFIG_XDP_SOCKETS=y' /proc/config.gz; then
	profile_skip "the kernel has no CONFIG_XDP_SOCKETS"
fi

it_make_ns
profile_veth "$(profile_vdev_arg net_af_xdp iface)"
# libxdp wants bpffs at /sys/fs/bpf for its dispatcher. "ip netns exec" gives
# fastpath a fresh /sys in a mount namespace of its own, so a bpffs mounted
# out here would not be seen: mount it in there, when missing, before exec'ing
# fastpath. It goes away with that mount namespace; nothing to unmount.
PROFILE_WRAP=(sh -c 'mountpoint -q /sys/fs/bpf || mount -t bpf bpf /sys/fs/bpf
exec "$@"' fp-bpffs)
profile_launch net_af_xdp
if ! it_wait_serving; then
	# The PMD missing, or failing to probe on an interface the test made,
	# means this DPDK or kernel cannot do AF_XDP: say why and skip. Bad
	# device arguments are the profile's fault, not the machine's.
	if grep -Eq 'parse device "net_af_xdp|failed to initialize net_af_xdp' "$IT_LOG" &&
		! grep -q 'Invalid kvargs' "$IT_LOG"; then
		profile_skip "net_af_xdp cannot probe here: $(grep -Ei 'xdp|xsk|af_xdp' "$IT_LOG" |
			grep -v 'skipping unrecognized' | tail -2 | paste -sd' ')"
	fi
	exit 1
fi

profile_smoke net_af_xdp net_af_xdp fpk0
profile_stop net_af_xdp
