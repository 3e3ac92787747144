/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The fastpath authors
 */

#ifndef FP_IPV4_H
#define FP_IPV4_H

#include <rte_ip.h>
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

struct fp_ipv4_reasm;

/* Where a worker's IPv4 hands each protocol number, and its reassembly
 * table (NULL: fragments are dropped, ipv4_fragment).
 */
struct fp_ipv4_protos {
	uint8_t slot[256];		/* entry index + 1; 0 for none */
	uint8_t nb;
	struct {
		fp_ipv4_l4_fn fn;
		void *ctx;
	} ent[FP_IPV4_PROTOS_MAX];
	struct fp_ipv4_reasm *reasm;
};

/* Hands protocol proto to fn with ctx. Returns 0, -EEXIST or -ENOSPC. */
int
fp_ipv4_register(struct fp_ipv4_protos *p, uint8_t proto, fp_ipv4_l4_fn fn, void *ctx);

/* Validates the IPv4 packet *mp after the Ethernet header (l2_len set),
 * hands its payload to the protocol registered in protos, and turns a
 * reply round. Returns FP_TX, FP_CONSUMED, FP_TAKEN or a drop reason, about
 * *mp: the last fragment of a datagram returns with *mp the whole datagram
 * (the fragment itself is in it, or freed). Sets l3_len.
 */
int
fp_ipv4_input(const struct fp_ipv4_protos *protos, const struct fp_iface *ifc,
	struct fp_stats *st, struct rte_mbuf **mp);

/* A reassembly table of at most entries datagrams in progress, each given
 * timeout_ms to complete. NULL with rte_errno set on failure.
 */
struct fp_ipv4_reasm *
fp_ipv4_reasm_create(uint32_t entries, uint32_t timeout_ms, int socket);

void
fp_ipv4_reasm_free(struct fp_ipv4_reasm *r);

/* Adds fragment *mp (header hlen bytes, trimmed to its total length). 0
 * with *mp the whole datagram when this completed it; FP_TAKEN when the
 * table holds it, or dropped it (counted); or a drop reason for the caller.
 */
int
fp_ipv4_reasm_add(struct fp_ipv4_reasm *r, struct fp_stats *st, struct rte_mbuf **mp,
	uint32_t hlen);

/* Cuts frame m (Ethernet + IPv4, over ifc->mtu) into fragments of at most
 * ifc->mtu bytes of IP, in out (at most nb_out), each with m's Ethernet
 * header and its own IPv4 checksum: headers from direct, data referenced
 * through indirect mbufs. Returns how many, m consumed; or a negative
 * errno, m untouched (-ENOTSUP on a port without multi-segment TX).
 */
int
fp_ipv4_fragment(const struct fp_iface *ifc, struct fp_stats *st, struct rte_mbuf *m,
	struct rte_mbuf **out, uint16_t nb_out, struct rte_mempool *direct,
	struct rte_mempool *indirect);

/* Drops the datagrams whose time ran out (TSC now), counting their
 * fragments; from the worker's timer.
 */
void
fp_ipv4_reasm_tick(struct fp_ipv4_reasm *r, struct fp_stats *st, uint64_t tsc);

/* The pseudo-header's sum (RFC 9293 3.1) for proto and an L4 of l4_len
 * bytes between addresses src and dst as they lie in the header: what
 * rte_ipv4_phdr_cksum() gives without TSO, not complemented. Computed in
 * registers: that one builds the pseudo-header on the stack in narrow
 * stores and reads it back wide, a store-forwarding stall per segment.
 */
static inline uint16_t
fp_ipv4_phdr_sum(uint32_t src, uint32_t dst, uint8_t proto, uint16_t l4_len)
{
	uint32_t s = (src & 0xffff) + (src >> 16) + (dst & 0xffff) + (dst >> 16) +
		rte_cpu_to_be_16((uint16_t)proto) + rte_cpu_to_be_16(l4_len);

	s = (s & 0xffff) + (s >> 16);
	s = (s & 0xffff) + (s >> 16);
	return (uint16_t)s;
}

/* ip's header checksum for TX in m: left to the port when it can (m's TX
 * flags set for it, any RX flags cleared), else written here.
 */
static inline void
fp_ipv4_tx_cksum(const struct fp_iface *ifc, struct rte_mbuf *m, struct rte_ipv4_hdr *ip)
{
	ip->hdr_checksum = 0;
	m->ol_flags &= RTE_MBUF_F_EXTERNAL | RTE_MBUF_F_INDIRECT;
	if (ifc->tx_ip_cksum)
		m->ol_flags |= RTE_MBUF_F_TX_IPV4 | RTE_MBUF_F_TX_IP_CKSUM;
	else
		ip->hdr_checksum = rte_ipv4_cksum(ip);
}

/* Readdresses a received packet, rewritten in place by its protocol, back to
 * its sender: options are removed, TTL reset and the checksum set or left
 * to the port.
 */
void
fp_ipv4_turnaround(const struct fp_iface *ifc, struct rte_mbuf *m);

#endif /* FP_IPV4_H */
