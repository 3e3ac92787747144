/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The fastpath authors
 */

/* libFuzzer harness of what a worker does with a frame that is not TCP:
 * Ethernet classification, ARP (fp_arp_input), IPv4 (fp_ipv4_input: options,
 * padding, reassembly) with ICMP registered, and the verdicts as
 * fp_worker_packet() takes them, a reply over the MTU cut by
 * fp_ipv4_fragment(). One input is two bytes of settings and then frames,
 * each after a 2-byte header, so that the fragments of a datagram meet in
 * the reassembly table; the table's time runs out at the end. In jumbo mode
 * the pool's mbufs hold frames of a 9000-byte MTU, and each header gives a
 * frame length too, the frame zero-filled past the bytes the input has: 8
 * fragments make a datagram of up to 64 KB from a short input.
 *
 * Asserted: every verdict is one of FP_TX, FP_CONSUMED, FP_TAKEN or a drop
 * reason; a protocol gets its payload where IPv4 says; every reply reads
 * right to the peer (addresses, lengths, checksums, the ARP cache); the
 * fragments of a reply carry the whole of it in order; and after each
 * input every mbuf is back in its pool.
 *
 * A frame sits in a malloc() buffer of its exact size attached to a pool
 * mbuf, so that AddressSanitizer sees a read past its end; a header bit
 * asks for a plain pool mbuf instead, as a NIC fills. Protocol 253 (RFC
 * 3692's experiment number) takes the verdict its first byte names, so
 * that replies need no ICMP checksum to reach the turnaround.
 */

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <rte_arp.h>
#include <rte_cycles.h>
#include <rte_ether.h>
#include <rte_icmp.h>
#include <rte_ip.h>
#include <rte_mbuf.h>
#include <rte_mempool.h>

#include "fp_arp.h"
#include "fp_common.h"
#include "fp_eth.h"
#include "fp_icmp.h"
#include "fp_ipv4.h"
#include "fp_stats.h"
#include "fuzz_common.h"

/* Byte 0 of an input: the interface; byte 1: FZ_CFG2_*. */
#define FZ_CFG_TX_CKSUM		0x01	/* the port computes IPv4 header checksums */
#define FZ_CFG_RX_CKSUM		0x02	/* the port flags them on RX: bits 2-3 which */
#define FZ_CFG_RX_FLAG(c)	(((c) >> 2) & 3)
#define FZ_CFG_NO_MULTI_SEG	0x10	/* no chained TX: no fragments */
#define FZ_CFG_MTU(c)		(((c) >> 5) & 3)
#define FZ_CFG_NO_REASM		0x80	/* no reassembly ([ip] frag_entries = 0) */
#define FZ_CFG2_JUMBO		0x01	/* jumbo mbufs; each header has a frame length */

/* The 2-byte header of each frame, little-endian: the bytes of it the
 * input holds, and flags. In jumbo mode a 2-byte frame length follows.
 */
#define FZ_FRAME_LEN		0x0fff
#define FZ_FRAME_SPLIT		0x1000	/* two chained mbufs, cut where a byte says */
#define FZ_FRAME_DIRECT		0x2000	/* a pool mbuf, not an exact-size buffer */
#define FZ_FRAME_FIX		0x4000	/* the harness writes IPv4 and ICMP checksums */
#define FZ_FRAME_TICK		0x8000	/* the reassembly table's time runs out first */

#define FZ_PROTO_TEST		253
#define FZ_MBUFS		1023
#define FZ_ROOM			2048	/* a worker's data room for an MTU of 1500 */
#define FZ_JUMBO_ROOM		9088	/* and for 9000, as fp_lcore_init() sizes it */
#define FZ_REASM_ENTRIES	8
#define FZ_ARP_ENTRIES		16
#define FZ_KEPT_MAX		64
#define FZ_FRAG_MAX		64	/* as fp_worker_tx_big() */

static const uint16_t fz_mtus[] = { 1500, 576, 1280, 9000 };
static const uint64_t fz_rx_flags[] = {
	RTE_MBUF_F_RX_IP_CKSUM_UNKNOWN, RTE_MBUF_F_RX_IP_CKSUM_GOOD,
	RTE_MBUF_F_RX_IP_CKSUM_BAD, RTE_MBUF_F_RX_IP_CKSUM_NONE,
};
static const struct rte_ether_addr fz_mac = {
	.addr_bytes = { 0x02, 0x00, 0x00, 0x00, 0x00, 0x02 } };

static struct rte_mempool *fz_small_pool;
static struct rte_mempool *fz_jumbo_pool;
static struct rte_mempool *fz_pool;	/* one of them, for this input */
static struct rte_mempool *fz_zc_pool;	/* indirect mbufs of fragments */
static struct fp_iface fz_ifc;
static struct fp_stats fz_st;
static struct fp_ipv4_protos fz_l4;
static struct fp_arp_cache fz_arp;
static void *fz_arp_mem;
static size_t fz_arp_size;
static uint64_t fz_now;
static uint64_t fz_rx_flag;
static struct rte_mbuf *fz_kept[FZ_KEPT_MAX];
static unsigned int fz_nb_kept;

/* What the peer put in the frame, for checking the reply. */
struct fz_orig {
	struct rte_ether_addr eth_src;
	uint32_t ip_src;
	struct rte_ether_addr arp_sha;
	uint32_t arp_sip;
};

static void
fz_check_chain(const struct rte_mbuf *m)
{
	const struct rte_mbuf *s;
	uint32_t n = 0, segs = 0;

	for (s = m; s != NULL; s = s->next) {
		n += s->data_len;
		segs++;
	}
	FP_FUZZ_CHECK(n == m->pkt_len && segs == m->nb_segs,
		"%u bytes in %u mbufs, pkt_len %u nb_segs %u", n, segs, m->pkt_len, m->nb_segs);
}

/* What IPv4 promised the protocol: its payload at off, len bytes long. */
static void
fz_check_l4(const struct rte_mbuf *m, uint32_t off, uint32_t len)
{
	fz_check_chain(m);
	FP_FUZZ_CHECK(m->l2_len == RTE_ETHER_HDR_LEN && m->l3_len >= sizeof(struct rte_ipv4_hdr) &&
		off == (uint32_t)m->l2_len + m->l3_len && off + len == rte_pktmbuf_pkt_len(m),
		"l2_len %u l3_len %u off %u len %u pkt_len %u", m->l2_len, m->l3_len, off, len,
		rte_pktmbuf_pkt_len(m));
}

static int
fz_icmp(void *ctx, struct fp_stats *st, struct rte_mbuf *m, uint32_t off, uint32_t len)
{
	fz_check_l4(m, off, len);
	return fp_icmp_input(ctx, st, m, off, len);
}

static int
fz_proto_test(void *ctx __rte_unused, struct fp_stats *st __rte_unused, struct rte_mbuf *m,
	uint32_t off, uint32_t len)
{
	uint8_t v = 0;

	fz_check_l4(m, off, len);
	if (len != 0)
		v = *(const uint8_t *)rte_pktmbuf_read(m, off, 1, &v);
	switch (v & 3) {
	case 0:
		return FP_TX;
	case 1:
		return FP_CONSUMED;
	case 2:
		if (fz_nb_kept == FZ_KEPT_MAX)
			return FP_CONSUMED;
		fz_kept[fz_nb_kept++] = m;
		return FP_TAKEN;
	default:
		return FP_DROP_ipv4_unknown_proto;
	}
}

static void
fz_ext_free(void *addr, void *opaque)
{
	free(addr);
	free(opaque);
}

/* One mbuf holding len bytes at d, or NULL. */
static struct rte_mbuf *
fz_seg(const uint8_t *d, uint32_t len, bool direct)
{
	struct rte_mbuf_ext_shared_info *sh;
	struct rte_mbuf *m;
	uint8_t *buf;

	if (direct && len > rte_pktmbuf_data_room_size(fz_pool) - RTE_PKTMBUF_HEADROOM)
		return NULL;	/* no NIC delivers it: RX scatter is off */
	m = rte_pktmbuf_alloc(fz_pool);
	FP_FUZZ_CHECK(m != NULL, "the pool ran dry: %u in use", rte_mempool_in_use_count(fz_pool));
	if (!direct) {
		buf = malloc(RTE_PKTMBUF_HEADROOM + len);
		sh = malloc(sizeof(*sh));
		FP_FUZZ_CHECK(buf != NULL && sh != NULL, "malloc");
		memset(sh, 0, sizeof(*sh));
		sh->free_cb = fz_ext_free;
		sh->fcb_opaque = sh;
		rte_mbuf_ext_refcnt_set(sh, 1);
		rte_pktmbuf_attach_extbuf(m, buf, (rte_iova_t)(uintptr_t)buf,
			RTE_PKTMBUF_HEADROOM + len, sh);
		m->data_off = RTE_PKTMBUF_HEADROOM;
	}
	memcpy(rte_pktmbuf_mtod(m, uint8_t *), d, len);
	m->data_len = len;
	m->pkt_len = len;
	return m;
}

static struct rte_mbuf *
fz_mbuf(const uint8_t *d, uint32_t len, uint16_t hdr, uint32_t split)
{
	bool direct = hdr & FZ_FRAME_DIRECT;
	struct rte_mbuf *m, *tail;

	if (!(hdr & FZ_FRAME_SPLIT) || split == 0 || split >= len)
		split = len;
	m = fz_seg(d, split, direct);
	if (m == NULL)
		return NULL;
	if (split < len) {
		tail = fz_seg(d + split, len - split, direct);
		if (tail == NULL) {
			rte_pktmbuf_free(m);
			return NULL;
		}
		FP_FUZZ_CHECK(rte_pktmbuf_chain(m, tail) == 0, "chain");
	}
	m->ol_flags |= fz_rx_flag;
	return m;
}

/* Writes the checksums a sender would: the IPv4 header's, and ICMP's for
 * a datagram that is not a fragment.
 */
static void
fz_fix(uint8_t *f, uint32_t len)
{
	const struct rte_ether_hdr *eh = (const struct rte_ether_hdr *)f;
	struct rte_ipv4_hdr *ip = (struct rte_ipv4_hdr *)(eh + 1);
	struct rte_icmp_hdr *ic;
	uint32_t hlen, tot;

	if (len < sizeof(*eh) + sizeof(*ip) || eh->ether_type != RTE_BE16(RTE_ETHER_TYPE_IPV4))
		return;
	hlen = (ip->version_ihl & RTE_IPV4_HDR_IHL_MASK) * RTE_IPV4_IHL_MULTIPLIER;
	if (hlen < sizeof(*ip) || sizeof(*eh) + hlen > len)
		return;
	tot = rte_be_to_cpu_16(ip->total_length);
	if (ip->next_proto_id == IPPROTO_ICMP && tot >= hlen + sizeof(*ic) &&
			sizeof(*eh) + tot <= len && !(ip->fragment_offset &
			RTE_BE16(RTE_IPV4_HDR_MF_FLAG | RTE_IPV4_HDR_OFFSET_MASK))) {
		ic = (struct rte_icmp_hdr *)((uint8_t *)ip + hlen);
		ic->icmp_cksum = 0;
		ic->icmp_cksum = (uint16_t)~rte_raw_cksum(ic, tot - hlen);
	}
	ip->hdr_checksum = 0;
	ip->hdr_checksum = (uint16_t)~rte_raw_cksum(ip, hlen);
}

static void
fz_orig(const uint8_t *f, uint32_t len, struct fz_orig *o)
{
	const struct rte_ether_hdr *eh = (const struct rte_ether_hdr *)f;
	const struct rte_arp_hdr *ah = (const struct rte_arp_hdr *)(eh + 1);
	const struct rte_ipv4_hdr *ip = (const struct rte_ipv4_hdr *)(eh + 1);

	memset(o, 0, sizeof(*o));
	if (len >= sizeof(*eh))
		o->eth_src = eh->src_addr;
	if (len >= sizeof(*eh) + sizeof(*ip))
		o->ip_src = ip->src_addr;
	if (len >= sizeof(*eh) + sizeof(*ah)) {
		o->arp_sha = ah->arp_data.arp_sha;
		o->arp_sip = ah->arp_data.arp_sip;
	}
}

static void
fz_check_arp_reply(const struct rte_mbuf *m, const struct fz_orig *o)
{
	const struct rte_ether_hdr *eh = rte_pktmbuf_mtod(m, const struct rte_ether_hdr *);
	const struct rte_arp_hdr *ah = (const struct rte_arp_hdr *)(eh + 1);
	const struct rte_arp_ipv4 *a = &ah->arp_data;
	struct rte_ether_addr mac;

	fz_check_chain(m);
	FP_FUZZ_CHECK(m->nb_segs == 1 && m->pkt_len == sizeof(*eh) + sizeof(*ah),
		"an ARP reply of %u bytes in %u mbufs", m->pkt_len, m->nb_segs);
	FP_FUZZ_CHECK(eh->ether_type == RTE_BE16(RTE_ETHER_TYPE_ARP) &&
		rte_is_same_ether_addr(&eh->src_addr, &fz_ifc.mac) &&
		rte_is_same_ether_addr(&eh->dst_addr, &o->arp_sha), "Ethernet header");
	FP_FUZZ_CHECK(ah->arp_hardware == RTE_BE16(RTE_ARP_HRD_ETHER) &&
		ah->arp_protocol == RTE_BE16(RTE_ETHER_TYPE_IPV4) &&
		ah->arp_hlen == RTE_ETHER_ADDR_LEN && ah->arp_plen == 4 &&
		ah->arp_opcode == RTE_BE16(RTE_ARP_OP_REPLY), "ARP header");
	FP_FUZZ_CHECK(rte_is_same_ether_addr(&a->arp_sha, &fz_ifc.mac) &&
		a->arp_sip == fz_ifc.ip && rte_is_same_ether_addr(&a->arp_tha, &o->arp_sha) &&
		a->arp_tip == o->arp_sip, "ARP addresses");
	/* RFC 826: we are the target, so the sender is in the table now
	 * (a probe's 0.0.0.0 excepted).
	 */
	if (o->arp_sip != 0)
		FP_FUZZ_CHECK(fp_arp_lookup(&fz_arp, o->arp_sip, fz_now, &mac) == 0 &&
			rte_is_same_ether_addr(&mac, &o->arp_sha), "the sender was not learned");
}

static void
fz_check_ip_cksum(const struct rte_mbuf *m, const struct rte_ipv4_hdr *ip)
{
	const uint64_t want = RTE_MBUF_F_TX_IPV4 | RTE_MBUF_F_TX_IP_CKSUM;

	if (fz_ifc.tx_ip_cksum)
		FP_FUZZ_CHECK((m->ol_flags & want) == want, "no checksum offload asked for");
	else
		FP_FUZZ_CHECK(rte_raw_cksum(ip, sizeof(*ip)) == 0xffff, "IPv4 header checksum");
}

static void
fz_check_ip_reply(const struct rte_mbuf *m, const struct fz_orig *o, bool reassembled)
{
	const struct rte_ether_hdr *eh = rte_pktmbuf_mtod(m, const struct rte_ether_hdr *);
	const struct rte_ipv4_hdr *ip = (const struct rte_ipv4_hdr *)(eh + 1);
	const struct rte_icmp_hdr *ic = (const struct rte_icmp_hdr *)(ip + 1);
	uint32_t tot;
	uint16_t sum;

	fz_check_chain(m);
	FP_FUZZ_CHECK(m->l2_len == sizeof(*eh) && m->l3_len == sizeof(*ip) &&
		rte_pktmbuf_data_len(m) >= sizeof(*eh) + sizeof(*ip),
		"l2_len %u l3_len %u data_len %u", m->l2_len, m->l3_len, rte_pktmbuf_data_len(m));
	tot = rte_be_to_cpu_16(ip->total_length);
	FP_FUZZ_CHECK(ip->version_ihl == RTE_IPV4_VHL_DEF && tot == m->pkt_len - sizeof(*eh),
		"version/IHL %#x, total length %u in a frame of %u", ip->version_ihl, tot,
		m->pkt_len);
	FP_FUZZ_CHECK(ip->src_addr == fz_ifc.ip && ip->dst_addr == o->ip_src &&
		ip->time_to_live == FP_IPV4_TTL && ip->fragment_offset == 0,
		"IPv4 addresses, TTL or fragment offset");
	FP_FUZZ_CHECK(rte_is_same_ether_addr(&eh->src_addr, &fz_ifc.mac), "Ethernet source");
	/* A reassembled datagram has the first fragment's Ethernet header. */
	if (!reassembled)
		FP_FUZZ_CHECK(rte_is_same_ether_addr(&eh->dst_addr, &o->eth_src),
			"Ethernet destination");
	fz_check_ip_cksum(m, ip);
	if (ip->next_proto_id != IPPROTO_ICMP)
		return;
	FP_FUZZ_CHECK(rte_raw_cksum_mbuf(m, sizeof(*eh) + sizeof(*ip), tot - sizeof(*ip),
		&sum) == 0 && sum == 0xffff, "ICMP checksum");
	FP_FUZZ_CHECK(ic->icmp_type == RTE_IP_ICMP_ECHO_REPLY && ic->icmp_code == 0,
		"ICMP type %u code %u", ic->icmp_type, ic->icmp_code);
}

/* fp_worker_tx_big(): the fragments carry the reply whole, in order. */
static void
fz_tx_big(struct rte_mbuf *m)
{
	static uint8_t whole[UINT16_MAX + RTE_ETHER_HDR_LEN], piece[UINT16_MAX];
	const uint32_t hdrs = RTE_ETHER_HDR_LEN + sizeof(struct rte_ipv4_hdr);
	const struct rte_ipv4_hdr *wip = (const struct rte_ipv4_hdr *)(whole + RTE_ETHER_HDR_LEN);
	uint32_t len = rte_pktmbuf_pkt_len(m), at = 0, tot, off;
	struct rte_mbuf *out[FZ_FRAG_MAX];
	const struct rte_ipv4_hdr *ip;
	const void *p;
	uint16_t fo;
	int n, i;

	FP_FUZZ_CHECK(len <= sizeof(whole), "a reply of %u bytes", len);
	p = rte_pktmbuf_read(m, 0, len, whole);
	FP_FUZZ_CHECK(p != NULL, "read");
	if (p != whole)
		memcpy(whole, p, len);
	n = fp_ipv4_fragment(&fz_ifc, &fz_st, m, out, RTE_DIM(out), fz_pool, fz_zc_pool);
	if (n < 0) {
		FP_FUZZ_CHECK(fz_ifc.tx_multi_seg || n == -ENOTSUP, "returned %d", n);
		FP_FUZZ_CHECK(rte_pktmbuf_pkt_len(m) == len, "failed, but changed the frame");
		fp_count_drop(&fz_st, FP_DROP_ipv4_tx_too_big);
		rte_pktmbuf_free(m);
		return;
	}
	FP_FUZZ_CHECK(n >= 2 && n <= FZ_FRAG_MAX, "%d fragments of %u bytes", n, len);
	for (i = 0; i < n; i++) {
		fz_check_chain(out[i]);
		FP_FUZZ_CHECK(out[i]->l2_len == RTE_ETHER_HDR_LEN &&
			out[i]->l3_len == sizeof(*ip) && rte_pktmbuf_data_len(out[i]) >= hdrs &&
			out[i]->pkt_len <= RTE_ETHER_HDR_LEN + (uint32_t)fz_ifc.mtu,
			"fragment %d: %u bytes, l2_len %u l3_len %u", i, out[i]->pkt_len,
			out[i]->l2_len, out[i]->l3_len);
		FP_FUZZ_CHECK(memcmp(rte_pktmbuf_mtod(out[i], void *), whole,
			RTE_ETHER_HDR_LEN) == 0, "fragment %d: Ethernet header", i);
		ip = rte_pktmbuf_mtod_offset(out[i], const struct rte_ipv4_hdr *,
			RTE_ETHER_HDR_LEN);
		tot = rte_be_to_cpu_16(ip->total_length);
		fo = rte_be_to_cpu_16(ip->fragment_offset);
		off = (uint32_t)(fo & RTE_IPV4_HDR_OFFSET_MASK) * RTE_IPV4_HDR_OFFSET_UNITS;
		FP_FUZZ_CHECK(ip->version_ihl == RTE_IPV4_VHL_DEF &&
			tot == out[i]->pkt_len - RTE_ETHER_HDR_LEN && tot > sizeof(*ip),
			"fragment %d: version/IHL %#x, total length %u", i, ip->version_ihl, tot);
		FP_FUZZ_CHECK(ip->src_addr == wip->src_addr && ip->dst_addr == wip->dst_addr &&
			ip->packet_id == wip->packet_id && ip->next_proto_id == wip->next_proto_id,
			"fragment %d: not of the datagram", i);
		FP_FUZZ_CHECK(off == at && !(fo & RTE_IPV4_HDR_DF_FLAG) &&
			!!(fo & RTE_IPV4_HDR_MF_FLAG) == (i < n - 1),
			"fragment %d: offset %u flags %#x, expected offset %u", i, off, fo, at);
		fz_check_ip_cksum(out[i], ip);
		p = rte_pktmbuf_read(out[i], hdrs, tot - sizeof(*ip), piece);
		FP_FUZZ_CHECK(p != NULL && hdrs + at + tot - sizeof(*ip) <= len &&
			memcmp(p, whole + hdrs + at, tot - sizeof(*ip)) == 0,
			"fragment %d: not the bytes at %u", i, at);
		at += tot - sizeof(*ip);
		rte_pktmbuf_free(out[i]);
	}
	FP_FUZZ_CHECK(hdrs + at == len, "fragments of %u bytes for %u", at, len - hdrs);
}

/* fp_worker_packet(), with each reply checked and sent to nowhere. */
static void
fz_packet(struct rte_mbuf *m, const struct fz_orig *o)
{
	uint64_t reassembled = fz_st.c[FP_C_ipv4_reassembled];
	enum fp_drop why = FP_DROP_MAX;
	enum fp_pkt_class cls;
	int v;

	cls = fp_eth_classify(&fz_ifc, m, &why);
	switch (cls) {
	case FP_PKT_IPV4:
		v = fp_ipv4_input(&fz_l4, &fz_ifc, &fz_st, &m);
		break;
	case FP_PKT_ARP:
		v = fp_arp_input(&fz_ifc, &fz_arp, &fz_st, m, fz_now);
		break;
	default:
		v = why;
		break;
	}
	FP_FUZZ_CHECK(v == FP_TX || v == FP_CONSUMED || v == FP_TAKEN ||
		(v >= 0 && v < FP_DROP_MAX), "verdict %d", v);
	if (v == FP_TAKEN)
		return;
	if (v != FP_TX) {
		if (v >= 0)
			fp_count_drop(&fz_st, v);
		rte_pktmbuf_free(m);
		return;
	}
	if (cls == FP_PKT_ARP)
		fz_check_arp_reply(m, o);
	else
		fz_check_ip_reply(m, o, fz_st.c[FP_C_ipv4_reassembled] != reassembled);
	if (rte_pktmbuf_pkt_len(m) > m->l2_len + (uint32_t)fz_ifc.mtu)
		fz_tx_big(m);
	else
		rte_pktmbuf_free(m);
}

static void
fz_setup(uint8_t cfg, uint8_t cfg2)
{
	memset(&fz_st, 0, sizeof(fz_st));
	memset(&fz_ifc, 0, sizeof(fz_ifc));
	fz_ifc.mac = fz_mac;
	fz_ifc.ip = RTE_BE32(0xc6120002);	/* 198.18.0.2/24 */
	fz_ifc.netmask = RTE_BE32(0xffffff00);
	fz_ifc.gateway = RTE_BE32(0xc6120001);
	fz_ifc.prefix_len = 24;
	fz_ifc.tx_ip_cksum = cfg & FZ_CFG_TX_CKSUM;
	fz_ifc.rx_ip_cksum = cfg & FZ_CFG_RX_CKSUM;
	fz_ifc.tx_multi_seg = !(cfg & FZ_CFG_NO_MULTI_SEG);
	fz_ifc.mtu = fz_mtus[FZ_CFG_MTU(cfg)];
	fz_rx_flag = fz_ifc.rx_ip_cksum ? fz_rx_flags[FZ_CFG_RX_FLAG(cfg)] : 0;
	fz_pool = (cfg2 & FZ_CFG2_JUMBO) ? fz_jumbo_pool : fz_small_pool;

	memset(&fz_l4, 0, sizeof(fz_l4));
	FP_FUZZ_CHECK(fp_ipv4_register(&fz_l4, IPPROTO_ICMP, fz_icmp, NULL) == 0, "ICMP");
	FP_FUZZ_CHECK(fp_ipv4_register(&fz_l4, FZ_PROTO_TEST, fz_proto_test, NULL) == 0, "253");
	if (!(cfg & FZ_CFG_NO_REASM)) {
		fz_l4.reasm = fp_ipv4_reasm_create(FZ_REASM_ENTRIES, 30000, SOCKET_ID_ANY);
		FP_FUZZ_CHECK(fz_l4.reasm != NULL, "reassembly table");
	}
	memset(fz_arp_mem, 0, fz_arp_size);
	fp_arp_cache_init(&fz_arp, fz_arp_mem, FZ_ARP_ENTRIES, rte_get_tsc_hz() * 300);
	fz_now = rte_get_tsc_hz();
	fz_nb_kept = 0;
}

static void
fz_teardown(void)
{
	while (fz_nb_kept > 0)
		rte_pktmbuf_free(fz_kept[--fz_nb_kept]);
	/* Whatever is held for reassembly times out. */
	fp_ipv4_reasm_tick(fz_l4.reasm, &fz_st, UINT64_MAX);
	FP_FUZZ_CHECK(rte_mempool_in_use_count(fz_pool) == 0, "%u mbufs not back",
		rte_mempool_in_use_count(fz_pool));
	FP_FUZZ_CHECK(rte_mempool_in_use_count(fz_small_pool) +
		rte_mempool_in_use_count(fz_jumbo_pool) == 0, "mbufs of the other pool in use");
	FP_FUZZ_CHECK(rte_mempool_in_use_count(fz_zc_pool) == 0, "%u indirect mbufs not back",
		rte_mempool_in_use_count(fz_zc_pool));
	fp_ipv4_reasm_free(fz_l4.reasm);
	fz_l4.reasm = NULL;
}

int
LLVMFuzzerInitialize(int *argc, char ***argv);

int
LLVMFuzzerInitialize(int *argc __rte_unused, char ***argv __rte_unused)
{
	fp_fuzz_eal_up("fp_fuzz_ipv4");
	fz_small_pool = rte_pktmbuf_pool_create("fz_pkt", FZ_MBUFS, 0, 0,
		RTE_PKTMBUF_HEADROOM + FZ_ROOM, SOCKET_ID_ANY);
	fz_jumbo_pool = rte_pktmbuf_pool_create("fz_jumbo", FZ_MBUFS, 0, 0,
		RTE_PKTMBUF_HEADROOM + FZ_JUMBO_ROOM, SOCKET_ID_ANY);
	fz_zc_pool = rte_pktmbuf_pool_create("fz_zc", FZ_MBUFS, 0, 0, 0, SOCKET_ID_ANY);
	FP_FUZZ_CHECK(fz_small_pool != NULL && fz_jumbo_pool != NULL && fz_zc_pool != NULL,
		"pools");
	fz_arp_size = fp_arp_cache_memsize(FZ_ARP_ENTRIES);
	fz_arp_mem = malloc(fz_arp_size);
	FP_FUZZ_CHECK(fz_arp_mem != NULL, "malloc");
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint8_t frame[FZ_JUMBO_ROOM];
	bool jumbo;
	size_t at = 2;
	struct rte_mbuf *m;
	struct fz_orig o;
	uint32_t len, n, split;
	uint16_t hdr;

	if (size < 2 || size > 65536)
		return 0;
	fz_setup(data[0], data[1]);
	jumbo = data[1] & FZ_CFG2_JUMBO;
	while (at + 2 <= size) {
		hdr = (uint16_t)(data[at] | data[at + 1] << 8);
		at += 2;
		split = 0;
		if ((hdr & FZ_FRAME_SPLIT) && at < size)
			split = data[at++];
		n = len = RTE_MIN((size_t)(hdr & FZ_FRAME_LEN), size - at);
		if (jumbo && at + 2 <= size) {
			len = RTE_MAX(n, (uint32_t)(data[at] | data[at + 1] << 8));
			len = RTE_MIN(len, (uint32_t)sizeof(frame));
			at += 2;
			n = RTE_MIN((size_t)n, size - at);
		}
		memcpy(frame, data + at, n);
		memset(frame + n, 0, len - n);
		at += n;
		if (hdr & FZ_FRAME_TICK)
			fp_ipv4_reasm_tick(fz_l4.reasm, &fz_st, UINT64_MAX);
		if (hdr & FZ_FRAME_FIX)
			fz_fix(frame, len);
		fz_orig(frame, len, &o);
		fz_now += rte_get_tsc_hz() / 1000;
		m = fz_mbuf(frame, len, hdr, split);
		if (m != NULL)
			fz_packet(m, &o);
	}
	fz_teardown();
	return 0;
}
