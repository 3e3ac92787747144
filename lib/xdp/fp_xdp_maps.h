/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The fastpath authors
 */

#ifndef FP_XDP_MAPS_H
#define FP_XDP_MAPS_H

/* What the XDP program (fp_xdp.bpf.c) and fastpath share: the layout of
 * the program's maps and its verdicts. Plain C over the kernel's types,
 * for both sides.
 */

#include <linux/types.h>

/* Why a frame went where it went: fp_xdp_stats (per CPU) counts each. */
#define FP_XDP_VERDICTS(X) \
	X(pass_off,		"passed: steering not configured (before the port starts)") \
	X(pass_short,		"passed: too short to parse") \
	X(pass_other_l2,	"passed: neither IPv4 nor ARP (IPv6, VLAN, ...)") \
	X(pass_arp,		"passed: ARP the kernel answers (shared mode, or another address)") \
	X(pass_other_addr,	"passed: IPv4 to another address") \
	X(pass_icmp,		"passed: ICMP to the address, which the kernel answers (shared mode)") \
	X(pass_other_proto,	"passed: another protocol to the address") \
	X(pass_other_port,	"passed: TCP to a port fastpath does not listen on") \
	X(pass_no_socket,	"passed: for fastpath (counted under its to_ reason too), but no " \
				"socket of fastpath's on the frame's queue") \
	X(to_arp,		"to fastpath: ARP for its address (owned mode)") \
	X(to_icmp,		"to fastpath: ICMP to its address (owned mode)") \
	X(to_tcp,		"to fastpath: TCP to one of its ports") \
	X(to_fragment,		"to fastpath: an IPv4 fragment of TCP (or of ICMP, owned) to its address")

#define FP_XDP_V_ENUM(name, help) FP_XDP_##name,
enum fp_xdp_verdict {
	FP_XDP_VERDICTS(FP_XDP_V_ENUM)
	FP_XDP_V_MAX
};
#undef FP_XDP_V_ENUM

/* Who owns the address. */
enum fp_xdp_mode {
	FP_XDP_SHARED,		/* the kernel: it answers ARP and ICMP */
	FP_XDP_OWNED,		/* fastpath: ARP and ICMP to it go to fastpath too */
};

/* fp_xdp_cfg[0]. Zero (enabled 0) passes everything. */
struct fp_xdp_cfg {
	__u32 addr;		/* network order */
	__u8 enabled;
	__u8 mode;		/* enum fp_xdp_mode */
	__u16 pad;
};

/* fp_xdp_ports[port] (host order) is 1 for a port fastpath listens on. */
#define FP_XDP_PORTS 65536

/* The AF_XDP sockets, by RX queue index: net_af_xdp needs the name. */
#define FP_XDP_QUEUES 64

#endif /* FP_XDP_MAPS_H */
