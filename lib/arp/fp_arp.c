/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The fastpath authors
 */

#include <errno.h>
#include <string.h>

#include <rte_arp.h>
#include <rte_jhash.h>

#include "fp_arp.h"

#define FP_ARP_LEN (sizeof(struct rte_ether_hdr) + sizeof(struct rte_arp_hdr))

static uint32_t
fp_arp_sets(uint32_t entries)
{
	uint32_t sets = (entries + FP_ARP_WAYS - 1) / FP_ARP_WAYS;

	return rte_align32pow2(sets == 0 ? 1 : sets);
}

size_t
fp_arp_cache_memsize(uint32_t entries)
{
	return (size_t)fp_arp_sets(entries) * FP_ARP_WAYS * sizeof(struct fp_arp_entry);
}

void
fp_arp_cache_init(struct fp_arp_cache *c, void *mem, uint32_t entries, uint64_t timeout)
{
	c->e = mem;
	c->set_mask = fp_arp_sets(entries) - 1;
	c->timeout = timeout;
}

uint32_t
fp_arp_cache_slots(const struct fp_arp_cache *c)
{
	return (c->set_mask + 1) * FP_ARP_WAYS;
}

static inline struct fp_arp_entry *
fp_arp_set(const struct fp_arp_cache *c, uint32_t ip)
{
	return &c->e[(rte_jhash_1word(ip, 0x5eed) & c->set_mask) * FP_ARP_WAYS];
}

int
fp_arp_lookup(const struct fp_arp_cache *c, uint32_t ip, uint64_t now,
	struct rte_ether_addr *mac)
{
	const struct fp_arp_entry *set = fp_arp_set(c, ip);
	unsigned int w;

	for (w = 0; w < FP_ARP_WAYS; w++) {
		if (set[w].ip == ip && ip != 0 && (int64_t)(set[w].expires - now) > 0) {
			rte_ether_addr_copy(&set[w].mac, mac);
			return 0;
		}
	}
	return -ENOENT;
}

int
fp_arp_update(struct fp_arp_cache *c, uint32_t ip, const struct rte_ether_addr *mac,
	uint64_t now, bool create)
{
	struct fp_arp_entry *set = fp_arp_set(c, ip);
	struct fp_arp_entry *victim = &set[0];
	unsigned int w;

	if (ip == 0)
		return 0;
	for (w = 0; w < FP_ARP_WAYS; w++) {
		if (set[w].ip == ip) {
			victim = &set[w];
			goto write;
		}
		/* Free slots sort first (expires 0), then the oldest. */
		if (set[w].ip == 0 || (victim->ip != 0 && set[w].expires < victim->expires))
			victim = &set[w];
	}
	if (!create)
		return 0;
write:
	victim->ip = ip;
	rte_ether_addr_copy(mac, &victim->mac);
	victim->expires = now + c->timeout;
	return 1;
}

int
fp_arp_input(const struct fp_iface *ifc, struct fp_arp_cache *c, struct fp_stats *st,
	struct rte_mbuf *m, uint64_t now)
{
	struct rte_ether_hdr *eh = rte_pktmbuf_mtod(m, struct rte_ether_hdr *);
	struct rte_arp_hdr *ah;
	struct rte_arp_ipv4 *a;
	uint32_t sip, tip;
	bool for_us, learned;

	if (rte_pktmbuf_data_len(m) < FP_ARP_LEN)
		return FP_DROP_arp_truncated;
	ah = (struct rte_arp_hdr *)(eh + 1);
	/* RFC 826: "?Do I have the hardware type in ar$hrd? ... ?Do I speak the
	 * protocol in ar$pro?" -- and we check both lengths too.
	 */
	if (ah->arp_hardware != RTE_BE16(RTE_ARP_HRD_ETHER) ||
			ah->arp_protocol != RTE_BE16(RTE_ETHER_TYPE_IPV4) ||
			ah->arp_hlen != RTE_ETHER_ADDR_LEN || ah->arp_plen != 4)
		return FP_DROP_arp_bad_format;
	a = &ah->arp_data;
	sip = a->arp_sip;
	tip = a->arp_tip;
	/* Someone else claiming our address is a conflict, never a mapping. */
	if (sip == ifc->ip || !rte_is_valid_assigned_ether_addr(&a->arp_sha))
		return FP_DROP_arp_bad_sender;
	/* An RFC 5227 probe has sender 0.0.0.0: answer it, but learn nothing
	 * (fp_arp_update ignores address 0).
	 */
	if (sip != 0 && !fp_ipv4_src_valid(ifc, sip))
		return FP_DROP_arp_bad_sender;

	/* RFC 826: "If the pair <protocol type, sender protocol address> is
	 * already in my translation table, update the sender hardware address
	 * field ... ?Am I the target protocol address? Yes: If Merge_flag is
	 * false, add the triplet ... to the translation table." One pass does
	 * both: refresh always, add only when we are the target.
	 */
	for_us = tip == ifc->ip;
	learned = fp_arp_update(c, sip, &a->arp_sha, now, for_us);
	if (learned)
		fp_count(st, FP_C_arp_learned, 1);

	/* "?Is the opcode ares_op$REQUEST? (NOW look at the opcode!!)" */
	if (ah->arp_opcode != RTE_BE16(RTE_ARP_OP_REQUEST) &&
			ah->arp_opcode != RTE_BE16(RTE_ARP_OP_REPLY))
		return FP_DROP_arp_bad_op;
	if (!for_us)
		return learned ? FP_CONSUMED : FP_DROP_arp_not_for_us;
	if (ah->arp_opcode == RTE_BE16(RTE_ARP_OP_REPLY))
		return FP_CONSUMED;
	fp_count(st, FP_C_arp_requests, 1);

	/* "Swap hardware and protocol fields, putting the local hardware and
	 * protocol addresses in the sender fields. Set the ar$op field to
	 * ares_op$REPLY. Send the packet to the (new) target hardware address."
	 */
	ah->arp_opcode = RTE_BE16(RTE_ARP_OP_REPLY);
	rte_ether_addr_copy(&a->arp_sha, &a->arp_tha);
	a->arp_tip = sip;
	rte_ether_addr_copy(&ifc->mac, &a->arp_sha);
	a->arp_sip = ifc->ip;
	rte_ether_addr_copy(&a->arp_tha, &eh->dst_addr);
	rte_ether_addr_copy(&ifc->mac, &eh->src_addr);
	/* Drop any Ethernet padding the request carried, in whatever segments
	 * it lies (what stayed would go out in the reply).
	 */
	fp_mbuf_cut(m, FP_ARP_LEN);
	m->ol_flags &= RTE_MBUF_F_EXTERNAL | RTE_MBUF_F_INDIRECT;
	fp_count(st, FP_C_arp_replies, 1);
	return FP_TX;
}

int
fp_arp_build_request(const struct fp_iface *ifc, struct rte_mbuf *m, uint32_t target)
{
	struct rte_ether_hdr *eh;
	struct rte_arp_hdr *ah;

	eh = (struct rte_ether_hdr *)rte_pktmbuf_append(m, FP_ARP_LEN);
	if (eh == NULL)
		return -ENOSPC;
	memset(&eh->dst_addr, 0xff, sizeof(eh->dst_addr));
	rte_ether_addr_copy(&ifc->mac, &eh->src_addr);
	eh->ether_type = RTE_BE16(RTE_ETHER_TYPE_ARP);
	ah = (struct rte_arp_hdr *)(eh + 1);
	ah->arp_hardware = RTE_BE16(RTE_ARP_HRD_ETHER);
	ah->arp_protocol = RTE_BE16(RTE_ETHER_TYPE_IPV4);
	ah->arp_hlen = RTE_ETHER_ADDR_LEN;
	ah->arp_plen = 4;
	ah->arp_opcode = RTE_BE16(RTE_ARP_OP_REQUEST);
	rte_ether_addr_copy(&ifc->mac, &ah->arp_data.arp_sha);
	ah->arp_data.arp_sip = ifc->ip;
	memset(&ah->arp_data.arp_tha, 0, sizeof(ah->arp_data.arp_tha));
	ah->arp_data.arp_tip = target;
	m->l2_len = sizeof(*eh);
	return 0;
}
