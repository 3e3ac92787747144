/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The fastpath authors
 */

#ifndef FP_ETH_H
#define FP_ETH_H

#include <rte_ether.h>
#include <rte_mbuf.h>

#include "fp_common.h"
#include "fp_stats.h"

/* The one classification a received frame gets. */
enum fp_pkt_class {
	FP_PKT_DROP,
	FP_PKT_ARP,
	FP_PKT_IPV4,
};

/* Accepts frames to our MAC or broadcast and returns their class; on
 * FP_PKT_DROP, *why holds the reason. Sets m->l2_len.
 */
static inline enum fp_pkt_class
fp_eth_classify(const struct fp_iface *ifc, struct rte_mbuf *m, enum fp_drop *why)
{
	const struct rte_ether_hdr *eh;
	bool bcast;

	if (unlikely(rte_pktmbuf_data_len(m) < sizeof(*eh))) {
		*why = FP_DROP_eth_runt;
		return FP_PKT_DROP;
	}
	eh = rte_pktmbuf_mtod(m, const struct rte_ether_hdr *);
	bcast = rte_is_broadcast_ether_addr(&eh->dst_addr);
	if (unlikely(!bcast && !rte_is_same_ether_addr(&eh->dst_addr, &ifc->mac))) {
		*why = FP_DROP_eth_not_for_us;
		return FP_PKT_DROP;
	}
	/* A reply goes back to the source MAC: never let it be a group. */
	if (unlikely(rte_is_multicast_ether_addr(&eh->src_addr))) {
		*why = FP_DROP_eth_bad_src;
		return FP_PKT_DROP;
	}
	m->l2_len = sizeof(*eh);
	if (likely(eh->ether_type == RTE_BE16(RTE_ETHER_TYPE_IPV4))) {
		/* RFC 1122 3.3.6: "A host SHOULD silently discard a datagram that
		 * is received via a link-layer broadcast but does not specify an
		 * IP multicast or broadcast destination address." We serve only
		 * our unicast address.
		 */
		if (unlikely(bcast)) {
			*why = FP_DROP_ipv4_link_bcast;
			return FP_PKT_DROP;
		}
		return FP_PKT_IPV4;
	}
	if (eh->ether_type == RTE_BE16(RTE_ETHER_TYPE_ARP))
		return FP_PKT_ARP;
	*why = FP_DROP_eth_unknown_type;
	return FP_PKT_DROP;
}

/* Addresses a reply to the sender of the frame it was built from. */
static inline void
fp_eth_turnaround(const struct fp_iface *ifc, struct rte_ether_hdr *eh)
{
	rte_ether_addr_copy(&eh->src_addr, &eh->dst_addr);
	rte_ether_addr_copy(&ifc->mac, &eh->src_addr);
}

#endif /* FP_ETH_H */
