/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The fastpath authors
 */

/* IPv4 reassembly (RFC 791 3.2, a MUST for hosts by RFC 1122 3.3.2) on
 * DPDK's rte_ip_frag: a bounded table per worker, entries that expire, and
 * fragments refused while the pool runs low, so that a flood of fragments
 * can hold at most entries x RTE_LIBRTE_IP_FRAG_MAX_FRAG mbufs.
 */

#include <errno.h>
#include <string.h>

#include <rte_cycles.h>
#include <rte_ether.h>
#include <rte_errno.h>
#include <rte_ip.h>
#include <rte_ip_frag.h>
#include <rte_malloc.h>
#include <rte_mempool.h>

#include "fp_ipv4.h"

struct fp_ipv4_reasm {
	struct rte_ip_frag_tbl *tbl;
	struct rte_ip_frag_death_row dr;
	uint32_t entries;
};

struct fp_ipv4_reasm *
fp_ipv4_reasm_create(uint32_t entries, uint32_t timeout_ms, int socket)
{
	struct fp_ipv4_reasm *r;
	uint64_t cycles = (rte_get_tsc_hz() + 999) / 1000 * timeout_ms;
	uint32_t buckets;

	if (entries == 0 || timeout_ms == 0) {
		rte_errno = EINVAL;
		return NULL;
	}
	r = rte_zmalloc_socket("fp_ipv4_reasm", sizeof(*r), RTE_CACHE_LINE_SIZE, socket);
	if (r == NULL) {
		rte_errno = ENOMEM;
		return NULL;
	}
	/* Buckets of 8, a power of two of them, room for every entry. */
	buckets = rte_align32pow2(RTE_MAX((entries + 7) / 8, 1u));
	r->tbl = rte_ip_frag_table_create(buckets, 8, entries, cycles, socket);
	if (r->tbl == NULL) {
		rte_free(r);
		rte_errno = ENOMEM;
		return NULL;
	}
	r->entries = entries;
	return r;
}

/* Frees what the table gave up, counting each fragment dropped. */
static void
fp_ipv4_reasm_bury(struct fp_ipv4_reasm *r, struct fp_stats *st)
{
	if (r->dr.cnt == 0)
		return;
	fp_count_drops(st, FP_DROP_ipv4_frag_dropped, r->dr.cnt);
	rte_ip_frag_free_death_row(&r->dr, 0);
}

void
fp_ipv4_reasm_free(struct fp_ipv4_reasm *r)
{
	if (r == NULL)
		return;
	/* Every entry expires at a time past all of them. */
	rte_ip_frag_table_del_expired_entries(r->tbl, &r->dr, UINT64_MAX);
	rte_ip_frag_free_death_row(&r->dr, 0);
	rte_ip_frag_table_destroy(r->tbl);
	rte_free(r);
}

void
fp_ipv4_reasm_tick(struct fp_ipv4_reasm *r, struct fp_stats *st, uint64_t tsc)
{
	if (r == NULL)
		return;
	rte_ip_frag_table_del_expired_entries(r->tbl, &r->dr, tsc);
	fp_ipv4_reasm_bury(r, st);
}

/* A whole datagram that fits one mbuf is copied into one: the protocols
 * above read their headers and payload contiguous. Returns m, or the copy.
 */
static struct rte_mbuf *
fp_ipv4_flatten(struct rte_mbuf *m)
{
	struct rte_mbuf *d;
	char *p;

	if (m->nb_segs == 1 || m->pkt_len + RTE_PKTMBUF_HEADROOM >
			(uint32_t)rte_pktmbuf_data_room_size(m->pool))
		return m;
	d = rte_pktmbuf_alloc(m->pool);
	if (d == NULL)
		return m;
	p = rte_pktmbuf_append(d, m->pkt_len);
	if (p == NULL || rte_pktmbuf_read(m, 0, m->pkt_len, p) != p) {
		rte_pktmbuf_free(d);
		return m;
	}
	d->port = m->port;
	d->l2_len = m->l2_len;
	d->l3_len = m->l3_len;
	d->ol_flags = m->ol_flags & RTE_MBUF_F_RX_IP_CKSUM_MASK;
	rte_pktmbuf_free(m);
	return d;
}

int
fp_ipv4_reasm_add(struct fp_ipv4_reasm *r, struct fp_stats *st, struct rte_mbuf **mp,
	uint32_t hlen)
{
	struct rte_mbuf *m = *mp, *whole;
	struct rte_ipv4_hdr *ip = rte_pktmbuf_mtod_offset(m, struct rte_ipv4_hdr *, m->l2_len);
	uint16_t fo = rte_be_to_cpu_16(ip->fragment_offset);
	uint32_t off = (uint32_t)(fo & RTE_IPV4_HDR_OFFSET_MASK) * RTE_IPV4_HDR_OFFSET_UNITS;
	uint32_t len = rte_be_to_cpu_16(ip->total_length) - hlen;

	fp_count(st, FP_C_ipv4_fragments, 1);
	/* RFC 791: a datagram is at most 65535 bytes; a fragment that reaches
	 * past it is the "ping of death".
	 */
	if (off + len + hlen > UINT16_MAX)
		return FP_DROP_ipv4_frag_oversize;
	/* Every fragment but the last carries a multiple of 8 bytes. */
	if ((fo & RTE_IPV4_HDR_MF_FLAG) && (len == 0 || len % 8 != 0))
		return FP_DROP_ipv4_frag_bad_len;
	/* A flood must not take the mbufs live connections need. */
	if (rte_mempool_avail_count(m->pool) < m->pool->size / 8)
		return FP_DROP_ipv4_frag_pool_low;
	m->l3_len = hlen;
	whole = rte_ipv4_frag_reassemble_packet(r->tbl, &r->dr, m, rte_rdtsc(), ip);
	fp_ipv4_reasm_bury(r, st);
	if (whole == NULL)
		return FP_TAKEN;	/* held, or on the death row (counted) */
	/* The datagram has the first fragment's header, maybe longer than
	 * the one checked above: its 16-bit total length would wrap.
	 */
	if (rte_pktmbuf_pkt_len(whole) - whole->l2_len > UINT16_MAX) {
		fp_count_drop(st, FP_DROP_ipv4_frag_oversize);
		rte_pktmbuf_free(whole);
		return FP_TAKEN;
	}
	fp_count(st, FP_C_ipv4_reassembled, 1);
	*mp = fp_ipv4_flatten(whole);
	return 0;
}

int
fp_ipv4_fragment(const struct fp_iface *ifc, struct fp_stats *st, struct rte_mbuf *m,
	struct rte_mbuf **out, uint16_t nb_out, struct rte_mempool *direct,
	struct rte_mempool *indirect)
{
	struct rte_ether_hdr eh;
	struct rte_ipv4_hdr *ip;
	uint32_t l2 = m->l2_len;
	int32_t n;
	int i;

	if (!ifc->tx_multi_seg)
		return -ENOTSUP;	/* each fragment is a header and a reference */
	memcpy(&eh, rte_pktmbuf_mtod(m, void *), sizeof(eh));
	rte_pktmbuf_adj(m, l2);
	n = rte_ipv4_fragment_packet(m, out, nb_out, ifc->mtu, direct, indirect);
	if (n < 0) {
		rte_pktmbuf_prepend(m, l2);
		return n;
	}
	/* The fragments hold references to m's data; m itself goes. */
	rte_pktmbuf_free(m);
	for (i = 0; i < n; i++) {
		struct rte_mbuf *f = out[i];
		char *p = rte_pktmbuf_prepend(f, sizeof(eh));

		if (p == NULL) {
			/* A direct mbuf has the headroom; not expected. */
			for (i = 0; i < n; i++)
				rte_pktmbuf_free(out[i]);
			return -ENOSPC;
		}
		memcpy(p, &eh, sizeof(eh));
		f->l2_len = sizeof(eh);
		f->l3_len = sizeof(*ip);
		ip = rte_pktmbuf_mtod_offset(f, struct rte_ipv4_hdr *, sizeof(eh));
		fp_ipv4_tx_cksum(ifc, f, ip);
	}
	fp_count(st, FP_C_ipv4_frags_sent, n);
	return n;
}
