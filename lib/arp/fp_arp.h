/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The fastpath authors
 */

#ifndef FP_ARP_H
#define FP_ARP_H

#include <stddef.h>
#include <stdint.h>

#include <rte_ether.h>
#include <rte_mbuf.h>

#include "fp_common.h"
#include "fp_stats.h"

#define FP_ARP_WAYS 4

struct fp_arp_entry {
	uint32_t ip;		/* network order; 0 marks a free slot */
	struct rte_ether_addr mac;
	uint64_t expires;	/* TSC */
};

/* A bounded per-worker cache, FP_ARP_WAYS-way set associative: a full set
 * evicts its oldest entry, which rte_hash (which refuses when full) cannot do.
 */
struct fp_arp_cache {
	struct fp_arp_entry *e;
	uint32_t set_mask;
	uint64_t timeout;	/* TSC ticks an entry lives unrefreshed */
};

/* Bytes of memory a cache of at least `entries` entries needs. */
size_t
fp_arp_cache_memsize(uint32_t entries);

/* Sets up c over zeroed mem of fp_arp_cache_memsize(entries) bytes. */
void
fp_arp_cache_init(struct fp_arp_cache *c, void *mem, uint32_t entries, uint64_t timeout);

/* Number of slots (entries rounded up to a power of two). */
uint32_t
fp_arp_cache_slots(const struct fp_arp_cache *c);

/* Returns 0 and the MAC of ip when a live entry exists, else -ENOENT. */
int
fp_arp_lookup(const struct fp_arp_cache *c, uint32_t ip, uint64_t now,
	struct rte_ether_addr *mac);

/* Refreshes ip's entry; when create is set and there is none, adds one.
 * Returns 1 when an entry was added or refreshed, 0 otherwise.
 */
int
fp_arp_update(struct fp_arp_cache *c, uint32_t ip, const struct rte_ether_addr *mac,
	uint64_t now, bool create);

/* Handles one ARP frame (m->l2_len set). Returns FP_TX when m was turned into
 * a reply, FP_CONSUMED, or a drop reason.
 */
int
fp_arp_input(const struct fp_iface *ifc, struct fp_arp_cache *c, struct fp_stats *st,
	struct rte_mbuf *m, uint64_t now);

/* Writes a broadcast who-has for target into the empty mbuf m. With
 * target == ifc->ip it is a gratuitous ARP (an RFC 5227 announcement).
 */
int
fp_arp_build_request(const struct fp_iface *ifc, struct rte_mbuf *m, uint32_t target);

#endif /* FP_ARP_H */
