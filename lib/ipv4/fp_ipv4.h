/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The fastpath authors
 */

#ifndef FP_IPV4_H
#define FP_IPV4_H

#include <rte_mbuf.h>

#include "fp_common.h"
#include "fp_stats.h"

#define FP_IPV4_TTL 64

/* An upper protocol's input (grout's ip_local_add_proto): the packet with
 * l2_len and l3_len set, its payload at off, len bytes long. Returns FP_TX
 * when it rewrote m into a reply in place (IPv4 then turns the headers
 * round), FP_CONSUMED when m is to be freed, FP_TAKEN when it kept m, or a
 * drop reason.
 */
typedef int (*fp_ipv4_l4_fn)(void *ctx, struct fp_stats *st, struct rte_mbuf *m,
	uint32_t off, uint32_t len);

#define FP_IPV4_PROTOS_MAX 8

/* Where a worker's IPv4 hands each protocol number. */
struct fp_ipv4_protos {
	uint8_t slot[256];		/* entry index + 1; 0 for none */
	uint8_t nb;
	struct {
		fp_ipv4_l4_fn fn;
		void *ctx;
	} ent[FP_IPV4_PROTOS_MAX];
};

/* Hands protocol proto to fn with ctx. Returns 0, -EEXIST or -ENOSPC. */
int
fp_ipv4_register(struct fp_ipv4_protos *p, uint8_t proto, fp_ipv4_l4_fn fn, void *ctx);

/* Validates the IPv4 packet after the Ethernet header (m->l2_len set),
 * hands its payload to the protocol registered in protos, and turns a
 * reply round. Returns FP_TX, FP_CONSUMED, FP_TAKEN or a drop reason. Sets
 * m->l3_len.
 */
int
fp_ipv4_input(const struct fp_ipv4_protos *protos, const struct fp_iface *ifc,
	struct fp_stats *st, struct rte_mbuf *m);

/* Readdresses a received packet, rewritten in place by its protocol, back to
 * its sender: options are removed, TTL reset and the checksum set or left
 * to the port.
 */
void
fp_ipv4_turnaround(const struct fp_iface *ifc, struct rte_mbuf *m);

#endif /* FP_IPV4_H */
