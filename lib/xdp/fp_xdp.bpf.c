/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The fastpath authors
 */

/* fastpath's XDP program: net_af_xdp loads it (xdp_prog=) and binds its
 * AF_XDP sockets in xsks_map. Frames for fastpath are redirected to the
 * socket of their RX queue; everything else goes on to the kernel
 * (XDP_PASS), so one NIC and one address serve both. fastpath fills
 * fp_xdp_cfg and fp_xdp_ports once its port runs; until then every frame
 * passes. Built with clang -target bpf.
 */

#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <linux/tcp.h>

#include <bpf/bpf_endian.h>
#include <bpf/bpf_helpers.h>

#include "fp_xdp_maps.h"

/* The first map and program of the object are what the PMD uses. */
struct {
	__uint(type, BPF_MAP_TYPE_XSKMAP);
	__uint(max_entries, FP_XDP_QUEUES);
	__type(key, __u32);
	__type(value, __u32);
} xsks_map SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct fp_xdp_cfg);
} fp_xdp_cfg SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, FP_XDP_PORTS);
	__type(key, __u32);
	__type(value, __u8);
} fp_xdp_ports SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, FP_XDP_V_MAX);
	__type(key, __u32);
	__type(value, __u64);
} fp_xdp_stats SEC(".maps");

/* ARP over Ethernet for IPv4 (RFC 826): the header, then the addresses.
 * linux/if_arp.h would bring in the C library's headers.
 */
struct fp_arphdr {
	__be16 ar_hrd;
	__be16 ar_pro;
	__u8 ar_hln;
	__u8 ar_pln;
	__be16 ar_op;
} __attribute__((packed));

struct fp_arp_ipv4 {
	__u8 sha[ETH_ALEN];
	__be32 spa;
	__u8 tha[ETH_ALEN];
	__be32 tpa;
} __attribute__((packed));

static __always_inline int
fp_count(__u32 why, int verdict)
{
	__u64 *n = bpf_map_lookup_elem(&fp_xdp_stats, &why);

	if (n != NULL)
		*n += 1;
	return verdict;
}

/* To fastpath: the socket of the frame's queue; without one (a queue
 * fastpath does not serve), the kernel keeps it, and that is counted too.
 */
static __always_inline int
fp_to_fastpath(struct xdp_md *ctx, __u32 why)
{
	int v = bpf_redirect_map(&xsks_map, ctx->rx_queue_index, XDP_PASS);

	fp_count(why, v);
	if (v != XDP_REDIRECT)
		fp_count(FP_XDP_pass_no_socket, v);
	return v;
}

SEC("xdp")
int
fp_xdp_steer(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data, *end = (void *)(long)ctx->data_end;
	const struct fp_xdp_cfg *cfg;
	struct ethhdr *eth = data;
	struct iphdr *ip;
	struct tcphdr *th;
	__u32 k = 0, ihl;
	__u32 port;
	__u8 *on;

	cfg = bpf_map_lookup_elem(&fp_xdp_cfg, &k);
	if (cfg == NULL || !cfg->enabled)
		return fp_count(FP_XDP_pass_off, XDP_PASS);
	if ((void *)(eth + 1) > end)
		return fp_count(FP_XDP_pass_short, XDP_PASS);
	if (eth->h_proto == bpf_htons(ETH_P_ARP)) {
		struct fp_arphdr *ah = (void *)(eth + 1);
		struct fp_arp_ipv4 *a = (void *)(ah + 1);

		if ((void *)(a + 1) > end)
			return fp_count(FP_XDP_pass_short, XDP_PASS);
		/* Owned: fastpath answers for its address. Shared: the
		 * kernel does.
		 */
		if (cfg->mode == FP_XDP_OWNED && ah->ar_pro == bpf_htons(ETH_P_IP) &&
				a->tpa == cfg->addr)
			return fp_to_fastpath(ctx, FP_XDP_to_arp);
		return fp_count(FP_XDP_pass_arp, XDP_PASS);
	}
	if (eth->h_proto != bpf_htons(ETH_P_IP))
		return fp_count(FP_XDP_pass_other_l2, XDP_PASS);
	ip = (void *)(eth + 1);
	if ((void *)(ip + 1) > end)
		return fp_count(FP_XDP_pass_short, XDP_PASS);
	if (ip->daddr != cfg->addr)
		return fp_count(FP_XDP_pass_other_addr, XDP_PASS);
	/* A fragment's port is in the first one only: every fragment of a
	 * TCP datagram to the address goes to fastpath, which reassembles.
	 */
	if (ip->frag_off & bpf_htons(0x3fff)) {
		if (ip->protocol == IPPROTO_TCP ||
				(ip->protocol == IPPROTO_ICMP && cfg->mode == FP_XDP_OWNED))
			return fp_to_fastpath(ctx, FP_XDP_to_fragment);
		return fp_count(FP_XDP_pass_other_proto, XDP_PASS);
	}
	if (ip->protocol == IPPROTO_ICMP) {
		if (cfg->mode == FP_XDP_OWNED)
			return fp_to_fastpath(ctx, FP_XDP_to_icmp);
		return fp_count(FP_XDP_pass_icmp, XDP_PASS);
	}
	if (ip->protocol != IPPROTO_TCP)
		return fp_count(FP_XDP_pass_other_proto, XDP_PASS);
	ihl = (ip->ihl & 0xf) * 4;
	if (ihl < sizeof(*ip))
		return fp_count(FP_XDP_pass_short, XDP_PASS);
	th = (void *)ip + ihl;
	if ((void *)(th + 1) > end)
		return fp_count(FP_XDP_pass_short, XDP_PASS);
	port = bpf_ntohs(th->dest);
	on = bpf_map_lookup_elem(&fp_xdp_ports, &port);
	if (on != NULL && *on)
		return fp_to_fastpath(ctx, FP_XDP_to_tcp);
	return fp_count(FP_XDP_pass_other_port, XDP_PASS);
}

char _license[] SEC("license") = "Dual BSD/GPL";
