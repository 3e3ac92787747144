/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The fastpath authors
 */

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <rte_arp.h>
#include <rte_mbuf.h>
#include <rte_mempool.h>

#include "fp_arp.h"
#include "fp_test.h"

#define ARP_FRAME_LEN	42
#define ARP_TIMEOUT	1000
#define ARP_NOW		5000

static struct fp_iface ifc;
static struct fp_stats st;
static struct fp_arp_cache cache;
static void *cache_mem;
static struct fp_test_mbuf tm;

static void
cache_new(uint32_t entries, uint64_t timeout)
{
	free(cache_mem);
	cache_mem = calloc(1, fp_arp_cache_memsize(entries));
	ck_assert_ptr_nonnull(cache_mem);
	fp_arp_cache_init(&cache, cache_mem, entries, timeout);
}

static void
arp_setup(void)
{
	fp_test_iface(&ifc);
	memset(&st, 0, sizeof(st));
	cache_mem = NULL;
	cache_new(256, ARP_TIMEOUT);
}

static void
arp_teardown(void)
{
	free(cache_mem);
	cache_mem = NULL;
}

/* Entries in use, read straight from the slots. */
static uint32_t
cache_used(void)
{
	const struct fp_arp_entry *e = cache_mem;
	uint32_t i, n = 0;

	for (i = 0; i < fp_arp_cache_slots(&cache); i++)
		if (e[i].ip != 0)
			n++;
	return n;
}

static struct rte_ether_addr
mac_n(uint32_t n)
{
	struct rte_ether_addr a = { .addr_bytes = { 0x02, 0xaa, n >> 24, n >> 16, n >> 8, n } };

	return a;
}

static bool
cache_has(uint32_t ip, uint64_t now, const struct rte_ether_addr *want)
{
	struct rte_ether_addr got;

	if (fp_arp_lookup(&cache, ip, now, &got) != 0)
		return false;
	return want == NULL || rte_is_same_ether_addr(&got, want);
}

static void
assert_counters(uint64_t requests, uint64_t replies, uint64_t learned)
{
	ck_assert_uint_eq(st.c[FP_C_arp_requests], requests);
	ck_assert_uint_eq(st.c[FP_C_arp_replies], replies);
	ck_assert_uint_eq(st.c[FP_C_arp_learned], learned);
}

/* The reply our stack owes the peer, written out byte by byte. */
static const uint8_t want_reply[ARP_FRAME_LEN] = {
	0x02, 0x00, 0x00, 0x00, 0x00, 0x0a,	/* Ethernet dst: the requester */
	0x02, 0x00, 0x00, 0x00, 0x00, 0x02,	/* Ethernet src: us */
	0x08, 0x06,				/* ARP */
	0x00, 0x01,				/* hardware: Ethernet */
	0x08, 0x00,				/* protocol: IPv4 */
	6, 4,					/* hlen, plen */
	0x00, 0x02,				/* opcode: reply */
	0x02, 0x00, 0x00, 0x00, 0x00, 0x02,	/* sha: us */
	198, 18, 0, 2,				/* spa: us */
	0x02, 0x00, 0x00, 0x00, 0x00, 0x0a,	/* tha: the requester */
	198, 18, 0, 10,				/* tpa: the requester */
};

START_TEST(test_request_for_us)
{
	struct fp_test_arp a;
	struct rte_mbuf *m;

	fp_test_arp_init(&a, RTE_ARP_OP_REQUEST);
	m = fp_test_arp_build(&tm, &a);
	m->l2_len = 14;
	m->ol_flags = RTE_MBUF_F_RX_IP_CKSUM_GOOD | RTE_MBUF_F_RX_VLAN;
	ck_assert_int_eq(fp_arp_input(&ifc, &cache, &st, m, ARP_NOW), FP_TX);
	ck_assert_uint_eq(rte_pktmbuf_data_len(m), ARP_FRAME_LEN);
	ck_assert_uint_eq(rte_pktmbuf_pkt_len(m), ARP_FRAME_LEN);
	ck_assert_mem_eq(rte_pktmbuf_mtod(m, void *), want_reply, ARP_FRAME_LEN);
	/* RX flags would mean nothing to the TX path. */
	ck_assert_uint_eq(m->ol_flags, 0);
	assert_counters(1, 1, 1);
	ck_assert(cache_has(FP_TEST_PEER_IP, ARP_NOW, &fp_test_peer_mac));
	ck_assert_uint_eq(cache_used(), 1);
}
END_TEST

static void
arp_eal_up(void)
{
	fp_test_eal_up("fp_unit_arp");
}

START_TEST(test_padded_request_trimmed)
{
	struct fp_test_arp a;
	struct rte_mbuf *m;

	fp_test_arp_init(&a, RTE_ARP_OP_REQUEST);
	a.frame_len = RTE_ETHER_MIN_LEN - RTE_ETHER_CRC_LEN;	/* 60 */
	m = fp_test_arp_build(&tm, &a);
	/* Padding that is not zero must not leak into the reply either. */
	memset(rte_pktmbuf_mtod_offset(m, uint8_t *, ARP_FRAME_LEN), 0xee, 60 - ARP_FRAME_LEN);
	m->l2_len = 14;
	ck_assert_uint_eq(rte_pktmbuf_pkt_len(m), 60);
	ck_assert_int_eq(fp_arp_input(&ifc, &cache, &st, m, ARP_NOW), FP_TX);
	ck_assert_uint_eq(rte_pktmbuf_data_len(m), ARP_FRAME_LEN);
	ck_assert_uint_eq(rte_pktmbuf_pkt_len(m), ARP_FRAME_LEN);
	ck_assert_mem_eq(rte_pktmbuf_mtod(m, void *), want_reply, ARP_FRAME_LEN);
}
END_TEST

/* Padding over two segments, the second 10 bytes of the 18: trimming the
 * last segment alone cannot remove it (it was kept, and the reply carried
 * it). The reply is one segment of 42 bytes; the second goes back to its
 * pool.
 */
START_TEST(test_padded_chain_trimmed)
{
	struct rte_mempool *mp;
	struct rte_mbuf *m, *m2;
	struct fp_test_arp a;
	uint8_t *p;

	mp = rte_pktmbuf_pool_create("fp_arp_chain", 63, 0, 0, RTE_MBUF_DEFAULT_BUF_SIZE,
		SOCKET_ID_ANY);
	ck_assert_ptr_nonnull(mp);
	fp_test_arp_init(&a, RTE_ARP_OP_REQUEST);
	fp_test_arp_build(&tm, &a);	/* the request's 42 bytes, copied below */
	m = rte_pktmbuf_alloc(mp);
	m2 = rte_pktmbuf_alloc(mp);
	ck_assert_ptr_nonnull(m);
	ck_assert_ptr_nonnull(m2);
	p = (uint8_t *)rte_pktmbuf_append(m, 50);
	memcpy(p, rte_pktmbuf_mtod(&tm.m, void *), ARP_FRAME_LEN);
	memset(p + ARP_FRAME_LEN, 0xee, 8);
	memset(rte_pktmbuf_append(m2, 10), 0xee, 10);
	ck_assert_int_eq(rte_pktmbuf_chain(m, m2), 0);
	m->l2_len = 14;
	ck_assert_uint_eq(rte_pktmbuf_pkt_len(m), 60);
	ck_assert_int_eq(fp_arp_input(&ifc, &cache, &st, m, ARP_NOW), FP_TX);
	ck_assert_uint_eq(m->nb_segs, 1);
	ck_assert_ptr_null(m->next);
	ck_assert_uint_eq(rte_pktmbuf_data_len(m), ARP_FRAME_LEN);
	ck_assert_uint_eq(rte_pktmbuf_pkt_len(m), ARP_FRAME_LEN);
	ck_assert_mem_eq(rte_pktmbuf_mtod(m, void *), want_reply, ARP_FRAME_LEN);
	ck_assert_uint_eq(rte_mempool_in_use_count(mp), 1);
	rte_pktmbuf_free(m);
	ck_assert_uint_eq(rte_mempool_in_use_count(mp), 0);
	rte_mempool_free(mp);
}
END_TEST

/* A request sent unicast to our MAC (a cache refresh) is answered too. */
START_TEST(test_unicast_request)
{
	struct fp_test_arp a;
	struct rte_mbuf *m;

	fp_test_arp_init(&a, RTE_ARP_OP_REQUEST);
	a.eth_dst = fp_test_mac;
	a.tha = fp_test_mac;
	m = fp_test_arp_build(&tm, &a);
	m->l2_len = 14;
	ck_assert_int_eq(fp_arp_input(&ifc, &cache, &st, m, ARP_NOW), FP_TX);
	ck_assert_mem_eq(rte_pktmbuf_mtod(m, void *), want_reply, ARP_FRAME_LEN);
}
END_TEST

START_TEST(test_request_not_for_us)
{
	uint8_t before[ARP_FRAME_LEN];
	struct fp_test_arp a;
	struct rte_mbuf *m;

	fp_test_arp_init(&a, RTE_ARP_OP_REQUEST);
	a.tpa = FP_TEST_ADDR(198, 18, 0, 20);
	m = fp_test_arp_build(&tm, &a);
	m->l2_len = 14;
	memcpy(before, rte_pktmbuf_mtod(m, void *), sizeof(before));
	ck_assert_int_eq(fp_arp_input(&ifc, &cache, &st, m, ARP_NOW), FP_DROP_arp_not_for_us);
	ck_assert(!cache_has(FP_TEST_PEER_IP, ARP_NOW, NULL));
	ck_assert_uint_eq(cache_used(), 0);
	assert_counters(0, 0, 0);
	ck_assert_mem_eq(rte_pktmbuf_mtod(m, void *), before, sizeof(before));
}
END_TEST

/* RFC 826: a sender already in the table is updated whatever the target. */
START_TEST(test_known_sender_refreshed)
{
	const struct rte_ether_addr old_mac = mac_n(1);
	struct fp_test_arp a;
	struct rte_mbuf *m;

	ck_assert_int_eq(fp_arp_update(&cache, FP_TEST_PEER_IP, &old_mac, 100, true), 1);
	fp_test_arp_init(&a, RTE_ARP_OP_REQUEST);
	a.tpa = FP_TEST_ADDR(198, 18, 0, 20);
	m = fp_test_arp_build(&tm, &a);
	m->l2_len = 14;
	ck_assert_int_eq(fp_arp_input(&ifc, &cache, &st, m, 900), FP_CONSUMED);
	ck_assert(cache_has(FP_TEST_PEER_IP, 900, &fp_test_peer_mac));
	/* Refreshed at 900: alive past the first expiry at 1100. */
	ck_assert(cache_has(FP_TEST_PEER_IP, 100 + ARP_TIMEOUT + 1, &fp_test_peer_mac));
	ck_assert(!cache_has(FP_TEST_PEER_IP, 900 + ARP_TIMEOUT, NULL));
	ck_assert_uint_eq(cache_used(), 1);
	assert_counters(0, 0, 1);
	/* Not answered: the frame is untouched. */
	ck_assert_uint_eq(rte_be_to_cpu_16(rte_pktmbuf_mtod_offset(m, struct rte_arp_hdr *,
		14)->arp_opcode), RTE_ARP_OP_REQUEST);
}
END_TEST

START_TEST(test_reply_to_us_learned)
{
	uint8_t before[ARP_FRAME_LEN];
	struct fp_test_arp a;
	struct rte_mbuf *m;

	fp_test_arp_init(&a, RTE_ARP_OP_REPLY);
	m = fp_test_arp_build(&tm, &a);
	m->l2_len = 14;
	memcpy(before, rte_pktmbuf_mtod(m, void *), sizeof(before));
	ck_assert_int_eq(fp_arp_input(&ifc, &cache, &st, m, ARP_NOW), FP_CONSUMED);
	ck_assert(cache_has(FP_TEST_PEER_IP, ARP_NOW, &fp_test_peer_mac));
	assert_counters(0, 0, 1);
	ck_assert_mem_eq(rte_pktmbuf_mtod(m, void *), before, sizeof(before));
}
END_TEST

/* A reply about someone else, from an unknown sender, teaches us nothing. */
START_TEST(test_reply_not_for_us)
{
	struct fp_test_arp a;
	struct rte_mbuf *m;

	fp_test_arp_init(&a, RTE_ARP_OP_REPLY);
	a.tpa = FP_TEST_ADDR(198, 18, 0, 20);
	m = fp_test_arp_build(&tm, &a);
	m->l2_len = 14;
	ck_assert_int_eq(fp_arp_input(&ifc, &cache, &st, m, ARP_NOW), FP_DROP_arp_not_for_us);
	ck_assert_uint_eq(cache_used(), 0);
	assert_counters(0, 0, 0);
}
END_TEST

START_TEST(test_truncated)
{
	/* _i is the frame length, 14 (Ethernet only) to 41. */
	struct fp_test_arp a;
	struct rte_mbuf *m;

	fp_test_arp_init(&a, RTE_ARP_OP_REQUEST);
	a.frame_len = _i;
	m = fp_test_arp_build(&tm, &a);
	m->l2_len = 14;
	ck_assert_int_eq(fp_arp_input(&ifc, &cache, &st, m, ARP_NOW), FP_DROP_arp_truncated);
	ck_assert_uint_eq(rte_pktmbuf_data_len(m), _i);
	ck_assert_uint_eq(cache_used(), 0);
	assert_counters(0, 0, 0);
}
END_TEST

static void
break_format(struct fp_test_arp *a, int i)
{
	switch (i) {
	case 0:
		a->hrd = 6;		/* IEEE 802 */
		break;
	case 1:
		a->hrd = 0x0100;	/* Ethernet in the wrong byte order */
		break;
	case 2:
		a->pro = RTE_ETHER_TYPE_IPV6;
		break;
	case 3:
		a->pro = 0x0008;	/* IPv4 in the wrong byte order */
		break;
	case 4:
		a->hln = 8;
		break;
	case 5:
		a->hln = 0;
		break;
	case 6:
		a->pln = 16;
		break;
	case 7:
		a->pln = 0;
		break;
	}
}

START_TEST(test_bad_format)
{
	struct fp_test_arp a;
	struct rte_mbuf *m;

	fp_test_arp_init(&a, RTE_ARP_OP_REQUEST);
	break_format(&a, _i);
	m = fp_test_arp_build(&tm, &a);
	m->l2_len = 14;
	ck_assert_int_eq(fp_arp_input(&ifc, &cache, &st, m, ARP_NOW), FP_DROP_arp_bad_format);
	ck_assert_uint_eq(cache_used(), 0);
	assert_counters(0, 0, 0);
}
END_TEST

static const uint16_t bad_ops[] = {
	0,
	3,			/* RARP request */
	4,			/* RARP reply */
	8,			/* InARP request */
	0x0100,			/* request in the wrong byte order */
	0x0200,			/* reply in the wrong byte order */
	0xffff,
};

START_TEST(test_bad_op)
{
	struct fp_test_arp a;
	struct rte_mbuf *m;

	fp_test_arp_init(&a, RTE_ARP_OP_REQUEST);
	a.op = bad_ops[_i];
	m = fp_test_arp_build(&tm, &a);
	m->l2_len = 14;
	ck_assert_int_eq(fp_arp_input(&ifc, &cache, &st, m, ARP_NOW), FP_DROP_arp_bad_op);
	/* RFC 826 merges the sender before it looks at the opcode. */
	ck_assert_uint_eq(cache_used(), 1);
	assert_counters(0, 0, 1);
}
END_TEST

static void
break_sender(struct fp_test_arp *a, int i)
{
	static const struct rte_ether_addr mcast = {
		.addr_bytes = { 0x01, 0x00, 0x5e, 0x00, 0x00, 0x01 } };

	switch (i) {
	case 0:
		a->spa = FP_TEST_IP;	/* a conflict, not a mapping */
		break;
	case 1:
		a->sha = fp_test_bcast_mac;
		break;
	case 2:
		a->sha = mcast;
		break;
	case 3:
		a->spa = FP_TEST_ADDR(224, 0, 0, 1);
		break;
	case 4:
		a->spa = FP_TEST_ADDR(239, 255, 255, 250);
		break;
	case 5:
		a->spa = FP_TEST_ADDR(255, 255, 255, 255);
		break;
	case 6:
		a->spa = FP_TEST_ADDR(198, 18, 0, 255);	/* our subnet broadcast */
		break;
	case 7:
		a->spa = FP_TEST_ADDR(127, 0, 0, 1);
		break;
	case 8:
		a->spa = FP_TEST_ADDR(240, 0, 0, 1);	/* class E */
		break;
	case 9:
		memset(&a->sha, 0, sizeof(a->sha));	/* replies would go to MAC 0 */
		break;
	}
}

#define NB_BAD_SENDERS 10

/* Bad senders are refused as requests and as replies. */
START_TEST(test_bad_sender)
{
	uint16_t op = _i % 2 == 0 ? RTE_ARP_OP_REQUEST : RTE_ARP_OP_REPLY;
	uint8_t before[ARP_FRAME_LEN];
	struct fp_test_arp a;
	struct rte_mbuf *m;

	fp_test_arp_init(&a, op);
	break_sender(&a, _i / 2);
	m = fp_test_arp_build(&tm, &a);
	m->l2_len = 14;
	memcpy(before, rte_pktmbuf_mtod(m, void *), sizeof(before));
	ck_assert_int_eq(fp_arp_input(&ifc, &cache, &st, m, ARP_NOW), FP_DROP_arp_bad_sender);
	ck_assert_uint_eq(cache_used(), 0);
	assert_counters(0, 0, 0);
	ck_assert_mem_eq(rte_pktmbuf_mtod(m, void *), before, sizeof(before));
}
END_TEST

/* A bad sender must not overwrite a good entry either. */
START_TEST(test_bad_sender_keeps_entry)
{
	struct fp_test_arp a;
	struct rte_mbuf *m;

	ck_assert_int_eq(fp_arp_update(&cache, FP_TEST_PEER_IP, &fp_test_peer_mac, ARP_NOW,
		true), 1);
	fp_test_arp_init(&a, RTE_ARP_OP_REQUEST);
	a.sha = fp_test_bcast_mac;
	m = fp_test_arp_build(&tm, &a);
	m->l2_len = 14;
	ck_assert_int_eq(fp_arp_input(&ifc, &cache, &st, m, ARP_NOW), FP_DROP_arp_bad_sender);
	ck_assert(cache_has(FP_TEST_PEER_IP, ARP_NOW, &fp_test_peer_mac));
}
END_TEST

/* RFC 5227 probe: sender 0.0.0.0 asks whether anyone has our address. */
START_TEST(test_probe_answered_not_learned)
{
	static const uint8_t want[ARP_FRAME_LEN] = {
		0x02, 0x00, 0x00, 0x00, 0x00, 0x0a,
		0x02, 0x00, 0x00, 0x00, 0x00, 0x02,
		0x08, 0x06,
		0x00, 0x01, 0x08, 0x00, 6, 4, 0x00, 0x02,
		0x02, 0x00, 0x00, 0x00, 0x00, 0x02,
		198, 18, 0, 2,
		0x02, 0x00, 0x00, 0x00, 0x00, 0x0a,
		0, 0, 0, 0,			/* tpa: the prober's 0.0.0.0 */
	};
	struct fp_test_arp a;
	struct rte_mbuf *m;

	fp_test_arp_init(&a, RTE_ARP_OP_REQUEST);
	a.spa = 0;
	m = fp_test_arp_build(&tm, &a);
	m->l2_len = 14;
	ck_assert_int_eq(fp_arp_input(&ifc, &cache, &st, m, ARP_NOW), FP_TX);
	ck_assert_uint_eq(rte_pktmbuf_pkt_len(m), ARP_FRAME_LEN);
	ck_assert_mem_eq(rte_pktmbuf_mtod(m, void *), want, ARP_FRAME_LEN);
	ck_assert_uint_eq(cache_used(), 0);
	ck_assert(!cache_has(0, ARP_NOW, NULL));
	assert_counters(1, 1, 0);
}
END_TEST

/* A probe for another address is none of our business. */
START_TEST(test_probe_not_for_us)
{
	struct fp_test_arp a;
	struct rte_mbuf *m;

	fp_test_arp_init(&a, RTE_ARP_OP_REQUEST);
	a.spa = 0;
	a.tpa = FP_TEST_ADDR(198, 18, 0, 20);
	m = fp_test_arp_build(&tm, &a);
	m->l2_len = 14;
	ck_assert_int_eq(fp_arp_input(&ifc, &cache, &st, m, ARP_NOW), FP_DROP_arp_not_for_us);
	ck_assert_uint_eq(cache_used(), 0);
}
END_TEST

START_TEST(test_cache_update_lookup)
{
	const struct rte_ether_addr m1 = mac_n(1), m2 = mac_n(2);
	const uint32_t ip = FP_TEST_ADDR(10, 1, 2, 3);
	struct rte_ether_addr got = m2;

	ck_assert_int_eq(fp_arp_lookup(&cache, ip, ARP_NOW, &got), -ENOENT);
	/* A failed lookup leaves the output alone. */
	ck_assert(rte_is_same_ether_addr(&got, &m2));
	/* Without create, an unknown address is not added. */
	ck_assert_int_eq(fp_arp_update(&cache, ip, &m1, ARP_NOW, false), 0);
	ck_assert_int_eq(fp_arp_lookup(&cache, ip, ARP_NOW, &got), -ENOENT);
	ck_assert_uint_eq(cache_used(), 0);

	ck_assert_int_eq(fp_arp_update(&cache, ip, &m1, ARP_NOW, true), 1);
	ck_assert_int_eq(fp_arp_lookup(&cache, ip, ARP_NOW, &got), 0);
	ck_assert(rte_is_same_ether_addr(&got, &m1));
	/* Refresh with or without create: one entry, the new MAC. */
	ck_assert_int_eq(fp_arp_update(&cache, ip, &m2, ARP_NOW + 1, false), 1);
	ck_assert_int_eq(fp_arp_lookup(&cache, ip, ARP_NOW, &got), 0);
	ck_assert(rte_is_same_ether_addr(&got, &m2));
	ck_assert_int_eq(fp_arp_update(&cache, ip, &m1, ARP_NOW + 2, true), 1);
	ck_assert(cache_has(ip, ARP_NOW, &m1));
	ck_assert_uint_eq(cache_used(), 1);
	/* Another address is still unknown. */
	ck_assert(!cache_has(FP_TEST_ADDR(10, 1, 2, 4), ARP_NOW, NULL));
}
END_TEST

/* 0.0.0.0 marks a free slot, so it can never be an entry. */
START_TEST(test_cache_zero_ip)
{
	const struct rte_ether_addr m1 = mac_n(1);
	struct rte_ether_addr got;

	ck_assert_int_eq(fp_arp_update(&cache, 0, &m1, ARP_NOW, true), 0);
	ck_assert_int_eq(fp_arp_lookup(&cache, 0, ARP_NOW, &got), -ENOENT);
	ck_assert_uint_eq(cache_used(), 0);
}
END_TEST

START_TEST(test_cache_expiry)
{
	const struct rte_ether_addr m1 = mac_n(1);
	const uint32_t ip = FP_TEST_ADDR(10, 1, 2, 3);

	ck_assert_int_eq(fp_arp_update(&cache, ip, &m1, 1000, true), 1);
	ck_assert(cache_has(ip, 1000, &m1));
	ck_assert(cache_has(ip, 1000 + ARP_TIMEOUT - 1, &m1));
	ck_assert(!cache_has(ip, 1000 + ARP_TIMEOUT, NULL));
	ck_assert(!cache_has(ip, 1000 + ARP_TIMEOUT + 1, NULL));
	ck_assert(!cache_has(ip, UINT64_C(1) << 40, NULL));
	/* A refresh brings an expired entry back with a new deadline. */
	ck_assert_int_eq(fp_arp_update(&cache, ip, &m1, 3000, false), 1);
	ck_assert(cache_has(ip, 3000 + ARP_TIMEOUT - 1, &m1));
	ck_assert(!cache_has(ip, 3000 + ARP_TIMEOUT + 1, NULL));
}
END_TEST

/* An entry learned from ARP input expires like any other. */
START_TEST(test_learned_entry_expires)
{
	struct fp_test_arp a;
	struct rte_mbuf *m;

	fp_test_arp_init(&a, RTE_ARP_OP_REPLY);
	m = fp_test_arp_build(&tm, &a);
	m->l2_len = 14;
	ck_assert_int_eq(fp_arp_input(&ifc, &cache, &st, m, ARP_NOW), FP_CONSUMED);
	ck_assert(cache_has(FP_TEST_PEER_IP, ARP_NOW + ARP_TIMEOUT - 1, &fp_test_peer_mac));
	ck_assert(!cache_has(FP_TEST_PEER_IP, ARP_NOW + ARP_TIMEOUT + 1, NULL));
}
END_TEST

START_TEST(test_cache_slots)
{
	static const struct {
		uint32_t entries;
		uint32_t slots;
	} t[] = {
		{ 0, 4 }, { 1, 4 }, { 4, 4 }, { 5, 8 }, { 8, 8 }, { 9, 16 }, { 16, 16 },
		{ 17, 32 }, { 256, 256 }, { 257, 512 }, { 65536, 65536 },
	};
	struct fp_arp_cache c;
	unsigned int i;

	for (i = 0; i < RTE_DIM(t); i++) {
		fp_arp_cache_init(&c, NULL, t[i].entries, 1);
		ck_assert_msg(fp_arp_cache_slots(&c) == t[i].slots, "%u entries: %u slots, want %u",
			t[i].entries, fp_arp_cache_slots(&c), t[i].slots);
		ck_assert_uint_ge(fp_arp_cache_slots(&c), t[i].entries);
		ck_assert_uint_eq(fp_arp_cache_memsize(t[i].entries),
			(size_t)t[i].slots * sizeof(struct fp_arp_entry));
	}
}
END_TEST

/* Far more addresses than slots: the cache never grows, and the newest
 * entry always wins its set.
 */
START_TEST(test_cache_bounded)
{
	const uint32_t n = 5000;
	struct rte_ether_addr mac;
	uint32_t i, ip, slots;

	cache_new(16, 1u << 30);
	slots = fp_arp_cache_slots(&cache);
	ck_assert_uint_eq(slots, 16);
	for (i = 1; i <= n; i++) {
		ip = rte_cpu_to_be_32(rte_be_to_cpu_32(FP_TEST_ADDR(10, 0, 0, 0)) + i);
		mac = mac_n(i);
		ck_assert_int_eq(fp_arp_update(&cache, ip, &mac, i, true), 1);
		ck_assert_msg(cache_has(ip, i, &mac), "entry %u lost right after insertion", i);
		ck_assert_uint_le(cache_used(), slots);
	}
	/* Once full it stays full: eviction reuses slots, never frees them. */
	ck_assert_uint_eq(cache_used(), slots);
}
END_TEST

/* With 4 entries the cache is a single set of FP_ARP_WAYS slots. */
START_TEST(test_cache_evicts_oldest)
{
	struct rte_ether_addr m[6];
	uint32_t ip[6];
	unsigned int i;

	cache_new(FP_ARP_WAYS, ARP_TIMEOUT);
	ck_assert_uint_eq(fp_arp_cache_slots(&cache), FP_ARP_WAYS);
	for (i = 0; i < RTE_DIM(ip); i++) {
		ip[i] = FP_TEST_ADDR(10, 0, 0, 1 + i);
		m[i] = mac_n(i);
	}
	/* Fill the set: 0 at t=10, 1 at t=20, 2 at t=30, 3 at t=40. */
	for (i = 0; i < 4; i++)
		ck_assert_int_eq(fp_arp_update(&cache, ip[i], &m[i], 10 * (i + 1), true), 1);
	for (i = 0; i < 4; i++)
		ck_assert(cache_has(ip[i], 50, &m[i]));

	/* Refreshing 0 makes 1 the oldest; refreshing a present entry evicts nothing. */
	ck_assert_int_eq(fp_arp_update(&cache, ip[0], &m[0], 50, true), 1);
	for (i = 0; i < 4; i++)
		ck_assert(cache_has(ip[i], 50, &m[i]));
	ck_assert_uint_eq(cache_used(), 4);

	ck_assert_int_eq(fp_arp_update(&cache, ip[4], &m[4], 60, true), 1);
	ck_assert(!cache_has(ip[1], 60, NULL));
	ck_assert(cache_has(ip[0], 60, &m[0]));
	ck_assert(cache_has(ip[2], 60, &m[2]));
	ck_assert(cache_has(ip[3], 60, &m[3]));
	ck_assert(cache_has(ip[4], 60, &m[4]));

	/* Next oldest is 2 (t=30). */
	ck_assert_int_eq(fp_arp_update(&cache, ip[5], &m[5], 70, true), 1);
	ck_assert(!cache_has(ip[2], 70, NULL));
	ck_assert(cache_has(ip[0], 70, &m[0]));
	ck_assert(cache_has(ip[3], 70, &m[3]));
	ck_assert(cache_has(ip[4], 70, &m[4]));
	ck_assert(cache_has(ip[5], 70, &m[5]));
	ck_assert_uint_eq(cache_used(), 4);

	/* A merge-only update of an evicted address does not bring it back. */
	ck_assert_int_eq(fp_arp_update(&cache, ip[1], &m[1], 80, false), 0);
	ck_assert(!cache_has(ip[1], 80, NULL));
	ck_assert(cache_has(ip[3], 80, &m[3]));
}
END_TEST

/* Free slots are used before anything is evicted. */
START_TEST(test_cache_free_slots_first)
{
	struct rte_ether_addr mac;
	unsigned int i;

	cache_new(FP_ARP_WAYS, ARP_TIMEOUT);
	for (i = 0; i < FP_ARP_WAYS; i++) {
		mac = mac_n(i);
		/* Decreasing times: a wrong "oldest" pick would evict a live one. */
		ck_assert_int_eq(fp_arp_update(&cache, FP_TEST_ADDR(10, 0, 0, 1 + i), &mac,
			100 - i, true), 1);
		ck_assert_uint_eq(cache_used(), i + 1);
	}
	for (i = 0; i < FP_ARP_WAYS; i++) {
		mac = mac_n(i);
		ck_assert(cache_has(FP_TEST_ADDR(10, 0, 0, 1 + i), 100, &mac));
	}
}
END_TEST

/* The announcement sent at start: RFC 5227 2.3 layout. */
START_TEST(test_build_gratuitous)
{
	static const uint8_t want[ARP_FRAME_LEN] = {
		0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
		0x02, 0x00, 0x00, 0x00, 0x00, 0x02,
		0x08, 0x06,
		0x00, 0x01, 0x08, 0x00, 6, 4, 0x00, 0x01,
		0x02, 0x00, 0x00, 0x00, 0x00, 0x02,
		198, 18, 0, 2,				/* spa */
		0x00, 0x00, 0x00, 0x00, 0x00, 0x00,	/* tha: unknown */
		198, 18, 0, 2,				/* tpa == spa */
	};
	struct rte_mbuf *m = fp_test_mbuf_init(&tm, FP_TEST_ROOM);

	/* Garbage where the frame goes must all be overwritten. */
	memset(rte_pktmbuf_mtod(m, void *), 0x5a, 64);
	ck_assert_int_eq(fp_arp_build_request(&ifc, m, ifc.ip), 0);
	ck_assert_uint_eq(rte_pktmbuf_data_len(m), ARP_FRAME_LEN);
	ck_assert_uint_eq(rte_pktmbuf_pkt_len(m), ARP_FRAME_LEN);
	ck_assert_uint_eq(m->l2_len, 14);
	ck_assert_mem_eq(rte_pktmbuf_mtod(m, void *), want, ARP_FRAME_LEN);
}
END_TEST

START_TEST(test_build_request_gateway)
{
	struct rte_mbuf *m = fp_test_mbuf_init(&tm, FP_TEST_ROOM);
	const struct rte_arp_hdr *ah;

	ck_assert_int_eq(fp_arp_build_request(&ifc, m, FP_TEST_GATEWAY), 0);
	ah = rte_pktmbuf_mtod_offset(m, const struct rte_arp_hdr *, 14);
	ck_assert_uint_eq(ah->arp_data.arp_sip, FP_TEST_IP);
	ck_assert_uint_eq(ah->arp_data.arp_tip, FP_TEST_GATEWAY);
	ck_assert_uint_eq(rte_be_to_cpu_16(ah->arp_opcode), RTE_ARP_OP_REQUEST);
	ck_assert(rte_is_zero_ether_addr(&ah->arp_data.arp_tha));
}
END_TEST

/* Our own gratuitous ARP, looped back, must pass as a valid request format
 * but be refused as a conflict (sender is our address).
 */
START_TEST(test_own_garp_is_conflict)
{
	struct rte_mbuf *m = fp_test_mbuf_init(&tm, FP_TEST_ROOM);

	ck_assert_int_eq(fp_arp_build_request(&ifc, m, ifc.ip), 0);
	ck_assert_int_eq(fp_arp_input(&ifc, &cache, &st, m, ARP_NOW), FP_DROP_arp_bad_sender);
	ck_assert_uint_eq(cache_used(), 0);
}
END_TEST

START_TEST(test_build_no_room)
{
	/* _i is the room: 0, then 41 (one byte short). */
	uint16_t room = _i == 0 ? 0 : ARP_FRAME_LEN - 1;
	struct rte_mbuf *m = fp_test_mbuf_init(&tm, room);

	ck_assert_int_eq(fp_arp_build_request(&ifc, m, ifc.ip), -ENOSPC);
	ck_assert_uint_eq(rte_pktmbuf_data_len(m), 0);
	ck_assert_uint_eq(rte_pktmbuf_pkt_len(m), 0);
}
END_TEST

START_TEST(test_build_exact_room)
{
	struct rte_mbuf *m = fp_test_mbuf_init(&tm, ARP_FRAME_LEN);

	ck_assert_int_eq(fp_arp_build_request(&ifc, m, ifc.ip), 0);
	ck_assert_uint_eq(rte_pktmbuf_data_len(m), ARP_FRAME_LEN);
}
END_TEST

Suite *
arp_suite(void)
{
	Suite *s = suite_create("arp");
	TCase *tc;

	tc = tcase_create("input");
	tcase_add_checked_fixture(tc, arp_setup, arp_teardown);
	tcase_add_test(tc, test_request_for_us);
	tcase_add_test(tc, test_padded_request_trimmed);
	tcase_add_test(tc, test_unicast_request);
	tcase_add_test(tc, test_request_not_for_us);
	tcase_add_test(tc, test_known_sender_refreshed);
	tcase_add_test(tc, test_reply_to_us_learned);
	tcase_add_test(tc, test_reply_not_for_us);
	tcase_add_loop_test(tc, test_truncated, 14, ARP_FRAME_LEN);
	tcase_add_loop_test(tc, test_bad_format, 0, 8);
	tcase_add_loop_test(tc, test_bad_op, 0, RTE_DIM(bad_ops));
	tcase_add_loop_test(tc, test_bad_sender, 0, 2 * NB_BAD_SENDERS);
	tcase_add_test(tc, test_bad_sender_keeps_entry);
	tcase_add_test(tc, test_probe_answered_not_learned);
	tcase_add_test(tc, test_probe_not_for_us);
	suite_add_tcase(s, tc);

	tc = tcase_create("chain");
	tcase_add_unchecked_fixture(tc, arp_eal_up, NULL);
	tcase_add_checked_fixture(tc, arp_setup, arp_teardown);
	tcase_add_test(tc, test_padded_chain_trimmed);
	suite_add_tcase(s, tc);

	tc = tcase_create("cache");
	tcase_add_checked_fixture(tc, arp_setup, arp_teardown);
	tcase_add_test(tc, test_cache_update_lookup);
	tcase_add_test(tc, test_cache_zero_ip);
	tcase_add_test(tc, test_cache_expiry);
	tcase_add_test(tc, test_learned_entry_expires);
	tcase_add_test(tc, test_cache_slots);
	tcase_add_test(tc, test_cache_bounded);
	tcase_add_test(tc, test_cache_evicts_oldest);
	tcase_add_test(tc, test_cache_free_slots_first);
	suite_add_tcase(s, tc);

	tc = tcase_create("build");
	tcase_add_checked_fixture(tc, arp_setup, arp_teardown);
	tcase_add_test(tc, test_build_gratuitous);
	tcase_add_test(tc, test_build_request_gateway);
	tcase_add_test(tc, test_own_garp_is_conflict);
	tcase_add_loop_test(tc, test_build_no_room, 0, 2);
	tcase_add_test(tc, test_build_exact_room);
	suite_add_tcase(s, tc);
	return s;
}
