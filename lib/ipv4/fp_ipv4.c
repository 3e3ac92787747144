/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The fastpath authors
 */

#include <errno.h>
#include <string.h>

#include <rte_ip.h>

#include "fp_eth.h"
#include "fp_ipv4.h"

static inline bool
fp_ipv4_cksum_ok(const struct fp_iface *ifc, const struct rte_mbuf *m,
	const struct rte_ipv4_hdr *ip, uint32_t hlen)
{
	uint64_t f = m->ol_flags & RTE_MBUF_F_RX_IP_CKSUM_MASK;

	/* NONE: the port verified the header, but the field is not filled in. */
	if (ifc->rx_ip_cksum && (f == RTE_MBUF_F_RX_IP_CKSUM_GOOD ||
			f == RTE_MBUF_F_RX_IP_CKSUM_NONE))
		return true;
	if (ifc->rx_ip_cksum && f == RTE_MBUF_F_RX_IP_CKSUM_BAD)
		return false;
	return fp_cksum_raw(ip, hlen) == 0xffff;
}

/* Walks the options of a header longer than 20 bytes. Returns 0, or the
 * drop reason for a malformed option or a source route.
 */
static int
fp_ipv4_options(const struct rte_ipv4_hdr *ip, uint32_t hlen)
{
	const uint8_t *o = (const uint8_t *)(ip + 1);
	uint32_t len = hlen - sizeof(*ip), i = 0, olen;

	while (i < len) {
		switch (o[i]) {
		case RTE_IPV4_HDR_OPT_EOL:
			return 0;
		case RTE_IPV4_HDR_OPT_NOP:
			i++;
			continue;
		case 131:	/* LSRR */
		case 137:	/* SSRR */
			/* RFC 1122 3.2.2.6 would have the echo reply take the
			 * reversed route; like Linux without accept_source_route,
			 * we take no source-routed datagram at all.
			 */
			return FP_DROP_ipv4_source_route;
		}
		if (i + 1 >= len)
			return FP_DROP_ipv4_bad_option;
		olen = o[i + 1];
		if (olen < 2 || i + olen > len)
			return FP_DROP_ipv4_bad_option;
		i += olen;
	}
	return 0;
}

int
fp_ipv4_register(struct fp_ipv4_protos *p, uint8_t proto, fp_ipv4_l4_fn fn, void *ctx)
{
	if (p->slot[proto] != 0)
		return -EEXIST;
	if (p->nb == FP_IPV4_PROTOS_MAX)
		return -ENOSPC;
	p->ent[p->nb].fn = fn;
	p->ent[p->nb].ctx = ctx;
	p->slot[proto] = ++p->nb;
	return 0;
}

/* Hands a whole datagram to its protocol, and turns a reply round. */
static inline int
fp_ipv4_deliver(const struct fp_ipv4_protos *protos, const struct fp_iface *ifc,
	struct fp_stats *st, struct rte_mbuf *m, const struct rte_ipv4_hdr *ip, uint32_t hlen,
	uint32_t tot)
{
	uint8_t slot;
	int ret;

	fp_count(st, FP_C_ipv4_packets, 1);
	slot = protos->slot[ip->next_proto_id];
	if (unlikely(slot == 0))
		return FP_DROP_ipv4_unknown_proto;
	ret = protos->ent[slot - 1].fn(protos->ent[slot - 1].ctx, st, m, m->l2_len + hlen,
		tot - hlen);
	if (ret == FP_TX)
		fp_ipv4_turnaround(ifc, m);
	return ret;
}

/* A fragment: the datagram goes on once its last piece is in, in the mbuf
 * of its first. Out of line: rare, and the hot path stays short.
 */
static __rte_noinline __rte_cold int
fp_ipv4_fragment_in(const struct fp_ipv4_protos *protos, const struct fp_iface *ifc,
	struct fp_stats *st, struct rte_mbuf **mp, uint32_t hlen)
{
	const struct rte_ipv4_hdr *ip;
	struct rte_mbuf *m;
	int ret;

	if (protos->reasm == NULL)
		return FP_DROP_ipv4_fragment;
	ret = fp_ipv4_reasm_add(protos->reasm, st, mp, hlen);
	if (ret != 0)
		return ret;
	m = *mp;
	ip = rte_pktmbuf_mtod_offset(m, const struct rte_ipv4_hdr *, m->l2_len);
	return fp_ipv4_deliver(protos, ifc, st, m, ip, m->l3_len,
		rte_be_to_cpu_16(ip->total_length));
}

__rte_hot int
fp_ipv4_input(const struct fp_ipv4_protos *protos, const struct fp_iface *ifc,
	struct fp_stats *st, struct rte_mbuf **mp)
{
	struct rte_mbuf *m = *mp;
	uint32_t l2 = m->l2_len, hlen, tot, avail;
	struct rte_ipv4_hdr *ip;
	int ret;

	if (unlikely(rte_pktmbuf_data_len(m) < l2 + sizeof(*ip)))
		return FP_DROP_ipv4_truncated;
	ip = rte_pktmbuf_mtod_offset(m, struct rte_ipv4_hdr *, l2);
	/* RFC 1122 3.2.1.1: "A datagram whose version number is not 4 MUST be
	 * silently discarded."
	 */
	if (unlikely((ip->version_ihl >> 4) != 4))
		return FP_DROP_ipv4_bad_version;
	hlen = (ip->version_ihl & RTE_IPV4_HDR_IHL_MASK) * RTE_IPV4_IHL_MULTIPLIER;
	if (unlikely(hlen < sizeof(*ip)))
		return FP_DROP_ipv4_bad_ihl;
	tot = rte_be_to_cpu_16(ip->total_length);
	if (unlikely(tot < hlen))
		return FP_DROP_ipv4_bad_len;
	avail = rte_pktmbuf_pkt_len(m) - l2;
	if (unlikely(tot > avail || rte_pktmbuf_data_len(m) < l2 + hlen))
		return FP_DROP_ipv4_truncated;
	if (unlikely(!fp_ipv4_cksum_ok(ifc, m, ip, hlen)))
		return FP_DROP_ipv4_bad_csum;
	if (unlikely(ip->dst_addr != ifc->ip))
		return FP_DROP_ipv4_not_for_us;
	if (unlikely(!fp_ipv4_src_valid(ifc, ip->src_addr)))
		return FP_DROP_ipv4_bad_src;
	if (unlikely(hlen > sizeof(*ip))) {
		ret = fp_ipv4_options(ip, hlen);
		if (ret != 0)
			return ret;
	}
	/* Ethernet pads short frames; the IP length is the truth, wherever in
	 * the chain the padding starts.
	 */
	if (unlikely(tot < avail))
		fp_mbuf_cut(m, l2 + tot);
	m->l3_len = hlen;
	if (unlikely(ip->fragment_offset &
			RTE_BE16(RTE_IPV4_HDR_MF_FLAG | RTE_IPV4_HDR_OFFSET_MASK)))
		return fp_ipv4_fragment_in(protos, ifc, st, mp, hlen);
	return fp_ipv4_deliver(protos, ifc, st, m, ip, hlen, tot);
}

void
fp_ipv4_turnaround(const struct fp_iface *ifc, struct rte_mbuf *m)
{
	uint32_t l2 = m->l2_len, opt = m->l3_len - sizeof(struct rte_ipv4_hdr);
	struct rte_ipv4_hdr *ip;
	uint32_t src;

	/* Options are not echoed: slide Ethernet and the fixed header forward
	 * over them, so the payload stays where it is.
	 */
	if (unlikely(opt != 0)) {
		char *p = rte_pktmbuf_mtod(m, char *);

		memmove(p + opt, p, l2 + sizeof(*ip));
		rte_pktmbuf_adj(m, opt);
		ip = rte_pktmbuf_mtod_offset(m, struct rte_ipv4_hdr *, l2);
		ip->version_ihl = RTE_IPV4_VHL_DEF;
		ip->total_length = rte_cpu_to_be_16(rte_be_to_cpu_16(ip->total_length) - opt);
		m->l3_len = sizeof(*ip);
	}
	ip = rte_pktmbuf_mtod_offset(m, struct rte_ipv4_hdr *, l2);
	src = ip->src_addr;
	ip->src_addr = ifc->ip;
	ip->dst_addr = src;
	ip->time_to_live = FP_IPV4_TTL;
	ip->fragment_offset = 0;
	fp_ipv4_tx_cksum(ifc, m, ip);
	fp_eth_turnaround(ifc, rte_pktmbuf_mtod(m, struct rte_ether_hdr *));
}
