/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The fastpath authors
 */

#include <string.h>

#include <rte_cycles.h>

#include <rte_icmp.h>
#include <rte_ip.h>
#include <rte_mbuf.h>
#include <rte_mempool.h>

#include "fp_icmp.h"
#include "fp_ipv4.h"
#include "fp_test.h"

#define ETH_LEN 14

static struct fp_iface ifc;
static struct fp_stats st;

static int
ipv4_in(struct rte_mbuf *m)
{
	return fp_test_ipv4_in(&ifc, &st, m);
}
static struct fp_test_mbuf tm;
/* The frame as built, before fp_ipv4_input could touch it. */
static uint8_t orig[RTE_PKTMBUF_HEADROOM + FP_TEST_ROOM];
static uint16_t orig_len;

static void
ipv4_setup(void)
{
	fp_test_iface(&ifc);
	memset(&st, 0, sizeof(st));
}

static struct rte_mbuf *
build(const struct fp_test_ip *p)
{
	struct rte_mbuf *m = fp_test_ip_build(&tm, p);

	m->l2_len = ETH_LEN;
	orig_len = rte_pktmbuf_data_len(m);
	memcpy(orig, rte_pktmbuf_mtod(m, void *), orig_len);
	return m;
}

static int
run(const struct fp_test_ip *p)
{
	return ipv4_in(build(p));
}

static struct rte_ipv4_hdr *
ip_hdr(struct rte_mbuf *m)
{
	return rte_pktmbuf_mtod_offset(m, struct rte_ipv4_hdr *, ETH_LEN);
}

/* Checks the reply to a request built from p with no IP options. */
static void
assert_echo_reply(struct rte_mbuf *m, const struct fp_test_ip *p)
{
	const struct rte_ether_hdr *eh = rte_pktmbuf_mtod(m, struct rte_ether_hdr *);
	const struct rte_ipv4_hdr *ip = ip_hdr(m);
	const struct rte_icmp_hdr *ic = (const struct rte_icmp_hdr *)(ip + 1);
	uint32_t icmp_len = sizeof(*ic) + p->payload_len;
	const uint8_t *data = (const uint8_t *)(ic + 1);
	uint32_t i;

	ck_assert(rte_is_same_ether_addr(&eh->dst_addr, &p->eth_src));
	ck_assert(rte_is_same_ether_addr(&eh->src_addr, &fp_test_mac));
	ck_assert_uint_eq(rte_be_to_cpu_16(eh->ether_type), RTE_ETHER_TYPE_IPV4);

	ck_assert_uint_eq(ip->version_ihl, RTE_IPV4_VHL_DEF);
	ck_assert_uint_eq(rte_be_to_cpu_16(ip->total_length), sizeof(*ip) + icmp_len);
	ck_assert_uint_eq(ip->src_addr, ifc.ip);
	ck_assert_uint_eq(ip->dst_addr, p->src);
	ck_assert_uint_eq(ip->time_to_live, FP_IPV4_TTL);
	ck_assert_uint_eq(ip->next_proto_id, IPPROTO_ICMP);
	ck_assert_uint_eq(rte_be_to_cpu_16(ip->packet_id), 0x4242);
	ck_assert_uint_eq(ip->fragment_offset & RTE_BE16(RTE_IPV4_HDR_MF_FLAG |
		RTE_IPV4_HDR_OFFSET_MASK), 0);

	ck_assert_uint_eq(ic->icmp_type, RTE_IP_ICMP_ECHO_REPLY);
	ck_assert_uint_eq(ic->icmp_code, 0);
	ck_assert_uint_eq(rte_be_to_cpu_16(ic->icmp_ident), p->icmp_id);
	ck_assert_uint_eq(rte_be_to_cpu_16(ic->icmp_seq_nb), p->icmp_seq);
	ck_assert_uint_eq(rte_raw_cksum(ic, icmp_len), 0xffff);
	for (i = 0; i < p->payload_len; i++)
		ck_assert_uint_eq(data[i], fp_test_pattern(i));

	ck_assert_uint_eq(rte_pktmbuf_data_len(m), ETH_LEN + sizeof(*ip) + icmp_len);
	ck_assert_uint_eq(rte_pktmbuf_pkt_len(m), ETH_LEN + sizeof(*ip) + icmp_len);
	ck_assert_uint_eq(m->l2_len, ETH_LEN);
	ck_assert_uint_eq(m->l3_len, sizeof(*ip));
}

static void
assert_counts(uint64_t ipv4, uint64_t echoes)
{
	ck_assert_uint_eq(st.c[FP_C_ipv4_packets], ipv4);
	ck_assert_uint_eq(st.c[FP_C_icmp_echo_requests], echoes);
	ck_assert_uint_eq(st.c[FP_C_icmp_echo_replies], echoes);
}

START_TEST(test_echo_reply)
{
	struct fp_test_ip p;
	struct rte_mbuf *m;

	fp_test_ip_init(&p);
	m = build(&p);
	/* RX flags must not leak into TX. */
	m->ol_flags = RTE_MBUF_F_RX_L4_CKSUM_GOOD | RTE_MBUF_F_RX_RSS_HASH;
	ck_assert_int_eq(ipv4_in(m), FP_TX);
	assert_echo_reply(m, &p);
	ck_assert(fp_test_ipv4_cksum_ok(ip_hdr(m)));
	ck_assert_uint_ne(ip_hdr(m)->hdr_checksum, 0);
	ck_assert_uint_eq(m->ol_flags, 0);
	assert_counts(1, 1);
}
END_TEST

START_TEST(test_echo_reply_tx_offload)
{
	struct fp_test_ip p;
	struct rte_mbuf *m;

	ifc.tx_ip_cksum = true;
	fp_test_ip_init(&p);
	m = build(&p);
	m->ol_flags = RTE_MBUF_F_RX_IP_CKSUM_GOOD;
	ck_assert_int_eq(ipv4_in(m), FP_TX);
	assert_echo_reply(m, &p);
	/* The port fills it in, from a zero field. */
	ck_assert_uint_eq(ip_hdr(m)->hdr_checksum, 0);
	ck_assert_uint_eq(m->ol_flags, RTE_MBUF_F_TX_IP_CKSUM | RTE_MBUF_F_TX_IPV4);
	assert_counts(1, 1);
}
END_TEST

/* DF alone does not make a fragment. */
START_TEST(test_df_or_no_flags)
{
	struct fp_test_ip p;

	fp_test_ip_init(&p);
	p.frag = 0;
	ck_assert_int_eq(run(&p), FP_TX);
	p.frag = RTE_IPV4_HDR_DF_FLAG;
	ck_assert_int_eq(run(&p), FP_TX);
	assert_counts(2, 2);
}
END_TEST

/* A source beyond our subnet (routed via the gateway) is answered. */
START_TEST(test_from_other_subnet)
{
	struct fp_test_ip p;
	struct rte_mbuf *m;

	fp_test_ip_init(&p);
	p.src = FP_TEST_ADDR(203, 0, 113, 9);	/* via the gateway */
	m = build(&p);
	ck_assert_int_eq(ipv4_in(m), FP_TX);
	assert_echo_reply(m, &p);
}
END_TEST

/* One malformed or unwanted packet per row. */
struct bad_case {
	const char *name;
	enum fp_drop why;
	void (*mutate)(struct fp_test_ip *p);
};

#define MUT(fn, body) \
static void \
fn(struct fp_test_ip *p) \
{ \
	body; \
}

MUT(runt_eth_only, p->frame_len = ETH_LEN)
MUT(runt_33, p->frame_len = ETH_LEN + 19)
MUT(tot_len_over_frame, p->tot_len_adj = 1)
MUT(frame_cut_short, p->frame_len = ETH_LEN + 20 + 8 + 55)
MUT(tot_len_way_over, p->tot_len_adj = 1000)
MUT(ver6, p->version = 6)
MUT(ver0, p->version = 0)
MUT(ver5, p->version = 5)
MUT(ver15, p->version = 15)
MUT(ihl4, p->ihl = 4)
MUT(ihl0, p->ihl = 0)
MUT(tot_len_19, p->tot_len_adj = -(8 + 56) - 1)
MUT(tot_len_0, p->tot_len_adj = -(20 + 8 + 56))
MUT(tot_len_under_ihl6, { p->ihl = 6; p->tot_len_adj = -(8 + 56) - 1; })
MUT(bad_csum, p->bad_ip_csum = true)
MUT(frag_mf, p->frag = RTE_IPV4_HDR_MF_FLAG)
MUT(frag_mf_df, p->frag = RTE_IPV4_HDR_MF_FLAG | RTE_IPV4_HDR_DF_FLAG)
MUT(frag_off1, p->frag = 1)
MUT(frag_last, p->frag = 185)
MUT(frag_off_max, p->frag = RTE_IPV4_HDR_OFFSET_MASK)
MUT(src_zero, p->src = 0)
MUT(src_loopback, p->src = FP_TEST_ADDR(127, 0, 0, 1))
MUT(src_loopback_net, p->src = FP_TEST_ADDR(127, 200, 1, 1))
MUT(src_bcast, p->src = FP_TEST_ADDR(255, 255, 255, 255))
MUT(src_subnet_bcast, p->src = FP_TEST_ADDR(198, 18, 0, 255))
MUT(src_mcast, p->src = FP_TEST_ADDR(224, 0, 0, 1))
MUT(src_class_e, p->src = FP_TEST_ADDR(240, 0, 0, 1))
MUT(src_ours, p->src = FP_TEST_IP)
MUT(dst_other, p->dst = FP_TEST_ADDR(198, 18, 0, 3))
MUT(dst_bcast, p->dst = FP_TEST_ADDR(255, 255, 255, 255))
MUT(dst_subnet_bcast, p->dst = FP_TEST_ADDR(198, 18, 0, 255))
MUT(dst_mcast, p->dst = FP_TEST_ADDR(224, 0, 0, 1))
MUT(dst_zero, p->dst = 0)
MUT(dst_swapped_order, p->dst = rte_bswap32(FP_TEST_IP))
MUT(proto_udp, p->proto = IPPROTO_UDP)
MUT(proto_zero, p->proto = 0)

static const struct bad_case bad_cases[] = {
	{ "runt_eth_only", FP_DROP_ipv4_truncated, runt_eth_only },
	{ "runt_33", FP_DROP_ipv4_truncated, runt_33 },
	{ "tot_len_over_frame", FP_DROP_ipv4_truncated, tot_len_over_frame },
	{ "frame_cut_short", FP_DROP_ipv4_truncated, frame_cut_short },
	{ "tot_len_way_over", FP_DROP_ipv4_truncated, tot_len_way_over },
	{ "ver6", FP_DROP_ipv4_bad_version, ver6 },
	{ "ver0", FP_DROP_ipv4_bad_version, ver0 },
	{ "ver5", FP_DROP_ipv4_bad_version, ver5 },
	{ "ver15", FP_DROP_ipv4_bad_version, ver15 },
	{ "ihl4", FP_DROP_ipv4_bad_ihl, ihl4 },
	{ "ihl0", FP_DROP_ipv4_bad_ihl, ihl0 },
	{ "tot_len_19", FP_DROP_ipv4_bad_len, tot_len_19 },
	{ "tot_len_0", FP_DROP_ipv4_bad_len, tot_len_0 },
	{ "tot_len_under_ihl6", FP_DROP_ipv4_bad_len, tot_len_under_ihl6 },
	{ "bad_csum", FP_DROP_ipv4_bad_csum, bad_csum },
	{ "frag_mf", FP_DROP_ipv4_fragment, frag_mf },
	{ "frag_mf_df", FP_DROP_ipv4_fragment, frag_mf_df },
	{ "frag_off1", FP_DROP_ipv4_fragment, frag_off1 },
	{ "frag_last", FP_DROP_ipv4_fragment, frag_last },
	{ "frag_off_max", FP_DROP_ipv4_fragment, frag_off_max },
	{ "src_zero", FP_DROP_ipv4_bad_src, src_zero },
	{ "src_loopback", FP_DROP_ipv4_bad_src, src_loopback },
	{ "src_loopback_net", FP_DROP_ipv4_bad_src, src_loopback_net },
	{ "src_bcast", FP_DROP_ipv4_bad_src, src_bcast },
	{ "src_subnet_bcast", FP_DROP_ipv4_bad_src, src_subnet_bcast },
	{ "src_mcast", FP_DROP_ipv4_bad_src, src_mcast },
	{ "src_class_e", FP_DROP_ipv4_bad_src, src_class_e },
	{ "src_ours", FP_DROP_ipv4_bad_src, src_ours },
	{ "dst_other", FP_DROP_ipv4_not_for_us, dst_other },
	{ "dst_bcast", FP_DROP_ipv4_not_for_us, dst_bcast },
	{ "dst_subnet_bcast", FP_DROP_ipv4_not_for_us, dst_subnet_bcast },
	{ "dst_mcast", FP_DROP_ipv4_not_for_us, dst_mcast },
	{ "dst_zero", FP_DROP_ipv4_not_for_us, dst_zero },
	{ "dst_swapped_order", FP_DROP_ipv4_not_for_us, dst_swapped_order },
	{ "proto_udp", FP_DROP_ipv4_unknown_proto, proto_udp },
	{ "proto_zero", FP_DROP_ipv4_unknown_proto, proto_zero },
};

START_TEST(test_drop)
{
	const struct bad_case *bc = &bad_cases[_i];
	struct fp_test_ip p;
	struct rte_mbuf *m;
	int ret;

	fp_test_ip_init(&p);
	bc->mutate(&p);
	m = build(&p);
	ret = ipv4_in(m);
	ck_assert_msg(ret == (int)bc->why, "%s: got %d (%s), want %s", bc->name, ret,
		ret >= 0 && ret < FP_DROP_MAX ? fp_drop_names[ret] : "no drop",
		fp_drop_names[bc->why]);
	/* A dropped frame is left as it came. */
	ck_assert_uint_eq(rte_pktmbuf_data_len(m), orig_len);
	ck_assert_mem_eq(rte_pktmbuf_mtod(m, void *), orig, orig_len);
	ck_assert_uint_eq(st.c[FP_C_icmp_echo_requests], 0);
	ck_assert_uint_eq(st.c[FP_C_icmp_echo_replies], 0);
	/* Only a valid datagram for us counts; an unknown protocol is one. */
	ck_assert_uint_eq(st.c[FP_C_ipv4_packets], bc->why == FP_DROP_ipv4_unknown_proto);
}
END_TEST

/* The port's checksum verdict is used only when the interface trusts it. */
START_TEST(test_rx_cksum_offload)
{
	struct fp_test_ip p;
	struct rte_mbuf *m;

	fp_test_ip_init(&p);
	p.bad_ip_csum = true;

	/* Not trusted: software finds the bad checksum. */
	m = build(&p);
	m->ol_flags = RTE_MBUF_F_RX_IP_CKSUM_GOOD;
	ck_assert_int_eq(ipv4_in(m), FP_DROP_ipv4_bad_csum);

	ifc.rx_ip_cksum = true;
	m = build(&p);
	m->ol_flags = RTE_MBUF_F_RX_IP_CKSUM_GOOD;
	ck_assert_int_eq(ipv4_in(m), FP_TX);
	/* The reply's checksum is computed fresh, so it is right anyway. */
	ck_assert(fp_test_ipv4_cksum_ok(ip_hdr(m)));

	m = build(&p);
	m->ol_flags = RTE_MBUF_F_RX_IP_CKSUM_UNKNOWN;
	ck_assert_int_eq(ipv4_in(m), FP_DROP_ipv4_bad_csum);
	/* NONE: the port verified the header but left the field unfilled. */
	m = build(&p);
	m->ol_flags = RTE_MBUF_F_RX_IP_CKSUM_NONE;
	ck_assert_int_eq(ipv4_in(m), FP_TX);

	/* A good header the port calls bad is dropped. */
	p.bad_ip_csum = false;
	m = build(&p);
	m->ol_flags = RTE_MBUF_F_RX_IP_CKSUM_BAD;
	ck_assert_int_eq(ipv4_in(m), FP_DROP_ipv4_bad_csum);
	m = build(&p);
	m->ol_flags = RTE_MBUF_F_RX_IP_CKSUM_UNKNOWN;
	ck_assert_int_eq(ipv4_in(m), FP_TX);
}
END_TEST

/* Ethernet pads to 60 bytes; the IP total length says what is real. */
START_TEST(test_padding_trimmed)
{
	struct fp_test_ip p;
	struct rte_mbuf *m;

	fp_test_ip_init(&p);
	p.payload_len = 0;		/* 20 + 8 = 28 bytes of IP */
	p.frame_len = 60;
	m = build(&p);
	/* Padding that is not zero must not reach the checksum. */
	memset(rte_pktmbuf_mtod_offset(m, uint8_t *, 42), 0xab, 60 - 42);
	ck_assert_uint_eq(rte_pktmbuf_pkt_len(m), 60);
	ck_assert_int_eq(ipv4_in(m), FP_TX);
	ck_assert_uint_eq(rte_pktmbuf_pkt_len(m), 42);
	ck_assert_uint_eq(rte_pktmbuf_data_len(m), 42);
	assert_echo_reply(m, &p);
	ck_assert(fp_test_ipv4_cksum_ok(ip_hdr(m)));
}
END_TEST

/* fp_cksum_raw, the fast path's one checksum: it agrees with rte_raw_cksum at
 * every length and alignment, and for every byte value at the edges.
 */
START_TEST(test_cksum_matches_dpdk)
{
	static uint8_t buf[300];
	uint32_t off, len, i, seed = 12345;

	for (off = 0; off < 8; off++) {
		for (len = 0; len + off <= sizeof(buf) && len < 260; len++) {
			for (i = 0; i < sizeof(buf); i++) {
				seed = seed * 1103515245 + 12345;
				buf[i] = (uint8_t)(seed >> 16);
			}
			if (len % 7 == 0)
				memset(buf + off, 0xff, len);
			ck_assert_uint_eq(fp_cksum_raw(buf + off, len), rte_raw_cksum(buf + off, len));
		}
	}
}
END_TEST

static void
ipv4_eal_up(void)
{
	fp_test_eal_up("fp_unit_ipv4");
}

/* Padding that starts inside the first of two segments: the frame is cut
 * at the IP length (it was dropped, rte_pktmbuf_trim refusing to cut past
 * the last segment), and the second segment goes back to its pool.
 */
START_TEST(test_padding_chain_cut)
{
	struct rte_mempool *mp;
	struct rte_mbuf *m, *m2;
	struct fp_test_ip p;
	uint8_t *d;

	mp = rte_pktmbuf_pool_create("fp_ipv4_chain", 63, 0, 0, RTE_MBUF_DEFAULT_BUF_SIZE,
		SOCKET_ID_ANY);
	ck_assert_ptr_nonnull(mp);
	fp_test_ip_init(&p);
	p.payload_len = 0;		/* 42 bytes of frame */
	build(&p);
	m = rte_pktmbuf_alloc(mp);
	m2 = rte_pktmbuf_alloc(mp);
	ck_assert_ptr_nonnull(m);
	ck_assert_ptr_nonnull(m2);
	d = (uint8_t *)rte_pktmbuf_append(m, 50);
	memcpy(d, orig, 42);
	memset(d + 42, 0xab, 8);
	memset(rte_pktmbuf_append(m2, 10), 0xab, 10);
	ck_assert_int_eq(rte_pktmbuf_chain(m, m2), 0);
	m->l2_len = ETH_LEN;
	ck_assert_int_eq(ipv4_in(m), FP_TX);
	ck_assert_uint_eq(m->nb_segs, 1);
	ck_assert_ptr_null(m->next);
	ck_assert_uint_eq(rte_pktmbuf_pkt_len(m), 42);
	ck_assert_uint_eq(rte_pktmbuf_data_len(m), 42);
	assert_echo_reply(m, &p);
	ck_assert_uint_eq(rte_mempool_in_use_count(mp), 1);
	rte_pktmbuf_free(m);
	ck_assert_uint_eq(rte_mempool_in_use_count(mp), 0);
	rte_mempool_free(mp);
}
END_TEST

START_TEST(test_padding_trimmed_large)
{
	struct fp_test_ip p;
	struct rte_mbuf *m;

	fp_test_ip_init(&p);
	p.frame_len = 300;
	m = build(&p);
	ck_assert_int_eq(ipv4_in(m), FP_TX);
	ck_assert_uint_eq(rte_pktmbuf_pkt_len(m), ETH_LEN + 20 + 8 + 56);
	assert_echo_reply(m, &p);
}
END_TEST

/* Reassembly. A 1,828-byte echo request (1,800 bytes of payload) is cut
 * into fragments built in pool mbufs, as a port would hand them over.
 */
#define FRAG_PAYLOAD 1800
#define FRAG_POOL 255

static struct rte_mempool *fpool;
static struct fp_ipv4_protos fl4;
static struct fp_test_ip fp_req;

static void
frag_setup(void)
{
	ipv4_setup();
	fpool = rte_pktmbuf_pool_create("fp_ipv4_frag", FRAG_POOL, 0, 0,
		RTE_MBUF_DEFAULT_BUF_SIZE, SOCKET_ID_ANY);
	ck_assert_ptr_nonnull(fpool);
	memset(&fl4, 0, sizeof(fl4));
	ck_assert_int_eq(fp_ipv4_register(&fl4, IPPROTO_ICMP, fp_icmp_input, NULL), 0);
	fl4.reasm = fp_ipv4_reasm_create(16, 1000, SOCKET_ID_ANY);
	ck_assert_ptr_nonnull(fl4.reasm);
	fp_test_ip_init(&fp_req);
	fp_req.payload_len = FRAG_PAYLOAD;
	build(&fp_req);
}

static void
frag_teardown(void)
{
	fp_ipv4_reasm_free(fl4.reasm);
	/* Whatever a test left in the table is back. */
	ck_assert_uint_eq(rte_mempool_in_use_count(fpool), 0);
	rte_mempool_free(fpool);
}

/* The fragment of the datagram in orig holding its bytes [off, off + len)
 * (after the IP header), more fragments to follow when mf, with IP id id.
 */
static struct rte_mbuf *
frag(uint32_t off, uint32_t len, bool mf, uint16_t id)
{
	struct rte_mbuf *m = rte_pktmbuf_alloc(fpool);
	struct rte_ipv4_hdr *ip;
	uint8_t *d;

	ck_assert_ptr_nonnull(m);
	d = (uint8_t *)rte_pktmbuf_append(m, ETH_LEN + 20 + len);
	ck_assert_ptr_nonnull(d);
	memcpy(d, orig, ETH_LEN + 20);
	memcpy(d + ETH_LEN + 20, orig + ETH_LEN + 20 + off, len);
	ip = (struct rte_ipv4_hdr *)(d + ETH_LEN);
	ip->total_length = rte_cpu_to_be_16(20 + len);
	ip->packet_id = rte_cpu_to_be_16(id);
	ip->fragment_offset = rte_cpu_to_be_16((mf ? RTE_IPV4_HDR_MF_FLAG : 0) | off / 8);
	ip->hdr_checksum = 0;
	ip->hdr_checksum = rte_ipv4_cksum(ip);
	m->l2_len = ETH_LEN;
	return m;
}

/* Feeds fragment m; returns the verdict and, for the last, the datagram. */
static int
feed(struct rte_mbuf *m, struct rte_mbuf **out)
{
	int v = fp_ipv4_input(&fl4, &ifc, &st, &m);

	*out = m;
	if (v != FP_TX && v != FP_TAKEN)
		rte_pktmbuf_free(m);
	return v;
}

/* The echo reply to the whole request, the packet id aside. */
static void
assert_frag_reply(struct rte_mbuf *m, uint16_t id)
{
	ck_assert_uint_eq(rte_be_to_cpu_16(ip_hdr(m)->packet_id), id);
	ip_hdr(m)->packet_id = RTE_BE16(0x4242);
	assert_echo_reply(m, &fp_req);
	rte_pktmbuf_free(m);
}

static const struct {
	const char *name;
	uint16_t cut[4][2];	/* [off, len) of the payload after the IP header */
	unsigned int nb;
} frag_orders[] = {
	{ "in order", { { 0, 600 }, { 600, 600 }, { 1200, 608 } }, 3 },
	{ "reversed", { { 1200, 608 }, { 600, 600 }, { 0, 600 } }, 3 },
	{ "last first", { { 1200, 608 }, { 0, 600 }, { 600, 600 } }, 3 },
	{ "two", { { 0, 1000 }, { 1000, 808 } }, 2 },
};

START_TEST(test_reassembly)
{
	struct rte_mbuf *m = NULL;
	unsigned int i;
	int v = -1;

	for (i = 0; i < frag_orders[_i].nb; i++) {
		uint32_t off = frag_orders[_i].cut[i][0], len = frag_orders[_i].cut[i][1];

		v = feed(frag(off, len, off + len < 8 + FRAG_PAYLOAD, 7), &m);
		if (i + 1 < frag_orders[_i].nb)
			ck_assert_int_eq(v, FP_TAKEN);
	}
	ck_assert_msg(v == FP_TX, "%s: %d", frag_orders[_i].name, v);
	/* The whole datagram fits one mbuf: it was made one. */
	ck_assert_uint_eq(m->nb_segs, 1);
	assert_frag_reply(m, 7);
	ck_assert_uint_eq(st.c[FP_C_ipv4_fragments], frag_orders[_i].nb);
	ck_assert_uint_eq(st.c[FP_C_ipv4_reassembled], 1);
	ck_assert_uint_eq(st.c[FP_C_icmp_echo_replies], 1);
	ck_assert_uint_eq(st.drop[FP_DROP_ipv4_frag_dropped], 0);
}
END_TEST

/* Two datagrams interleaved, told apart by their id. */
START_TEST(test_reassembly_interleaved)
{
	struct rte_mbuf *m;

	ck_assert_int_eq(feed(frag(0, 1000, true, 1), &m), FP_TAKEN);
	ck_assert_int_eq(feed(frag(1000, 808, false, 2), &m), FP_TAKEN);
	ck_assert_int_eq(feed(frag(0, 1000, true, 2), &m), FP_TX);
	assert_frag_reply(m, 2);
	ck_assert_int_eq(feed(frag(1000, 808, false, 1), &m), FP_TX);
	assert_frag_reply(m, 1);
	ck_assert_uint_eq(st.c[FP_C_ipv4_reassembled], 2);
}
END_TEST

/* Overlapping fragments: the datagram is never delivered, its pieces are
 * dropped and counted, nothing leaks (the teardown checks the pool).
 */
START_TEST(test_reassembly_overlap)
{
	struct rte_mbuf *m;
	int v;

	ck_assert_int_eq(feed(frag(0, 1000, true, 3), &m), FP_TAKEN);
	ck_assert_int_eq(feed(frag(992, 600, true, 3), &m), FP_TAKEN);
	v = feed(frag(1592, 216, false, 3), &m);
	ck_assert_int_ne(v, FP_TX);
	ck_assert_uint_eq(st.c[FP_C_ipv4_reassembled], 0);
	ck_assert_uint_eq(st.c[FP_C_icmp_echo_replies], 0);
	ck_assert_uint_eq(st.drop[FP_DROP_ipv4_frag_dropped], 3);
}
END_TEST

/* A datagram whose last fragment never comes is dropped after the
 * timeout, by the worker's tick.
 */
START_TEST(test_reassembly_timeout)
{
	uint64_t ms = rte_get_tsc_hz() / 1000;
	struct rte_mbuf *m;

	ck_assert_int_eq(feed(frag(0, 1000, true, 4), &m), FP_TAKEN);
	ck_assert_uint_eq(rte_mempool_in_use_count(fpool), 1);
	fp_ipv4_reasm_tick(fl4.reasm, &st, rte_rdtsc() + 500 * ms);
	ck_assert_uint_eq(rte_mempool_in_use_count(fpool), 1);
	fp_ipv4_reasm_tick(fl4.reasm, &st, rte_rdtsc() + 1100 * ms);
	ck_assert_uint_eq(rte_mempool_in_use_count(fpool), 0);
	ck_assert_uint_eq(st.drop[FP_DROP_ipv4_frag_dropped], 1);
	/* Its last fragment alone now starts a new, incomplete datagram. */
	ck_assert_int_eq(feed(frag(1000, 808, false, 4), &m), FP_TAKEN);
	ck_assert_uint_eq(st.c[FP_C_ipv4_reassembled], 0);
}
END_TEST

/* A flood of first fragments, each of another datagram: the table (16
 * entries) holds at most 16, the rest are dropped and counted, and the
 * pool keeps what live traffic needs. A datagram sent whole afterwards
 * still gets its answer.
 */
START_TEST(test_reassembly_flood)
{
	struct rte_mbuf *m;
	unsigned int i, taken = 0;

	for (i = 0; i < 1000; i++) {
		ck_assert_int_eq(feed(frag(0, 1000, true, (uint16_t)(100 + i)), &m), FP_TAKEN);
		ck_assert_uint_le(rte_mempool_in_use_count(fpool), 16);
		taken++;
	}
	ck_assert_uint_eq(taken, 1000);
	ck_assert_uint_eq(st.c[FP_C_ipv4_fragments], 1000);
	ck_assert_uint_ge(st.drop[FP_DROP_ipv4_frag_dropped], 1000 - 16);
	m = frag(0, 8 + FRAG_PAYLOAD, false, 0);
	ck_assert_int_eq(fp_ipv4_input(&fl4, &ifc, &st, &m), FP_TX);
	assert_frag_reply(m, 0);
}
END_TEST

/* Fragments no datagram can be made of. */
START_TEST(test_reassembly_bad)
{
	struct rte_mbuf *m;
	struct rte_ipv4_hdr *ip;

	/* Past 65535 bytes (ping of death). */
	m = frag(0, 1000, true, 5);
	ip = ip_hdr(m);
	ip->fragment_offset = rte_cpu_to_be_16(RTE_IPV4_HDR_MF_FLAG | 8100);
	ip->hdr_checksum = 0;
	ip->hdr_checksum = rte_ipv4_cksum(ip);
	ck_assert_int_eq(feed(m, &m), FP_DROP_ipv4_frag_oversize);
	/* Not the last, and not a multiple of 8. */
	ck_assert_int_eq(feed(frag(0, 1001, true, 6), &m), FP_DROP_ipv4_frag_bad_len);
	ck_assert_uint_eq(st.c[FP_C_ipv4_fragments], 2);
}
END_TEST

/* The reply to a reassembled request is longer than the MTU: it leaves in
 * fragments of at most 1500 bytes of IP, each with its Ethernet header and
 * checksum, and they reassemble into the reply.
 */
START_TEST(test_fragment_reply)
{
	struct rte_mempool *ind;
	struct rte_mbuf *m = NULL, *out[8], *again;
	const struct rte_ipv4_hdr *ip;
	uint8_t want[ETH_LEN + 20 + 8 + FRAG_PAYLOAD];
	uint32_t covered = 0, l;
	int n, i, v = -1;

	ind = rte_pktmbuf_pool_create("fp_ipv4_ind", 63, 0, 0, 0, SOCKET_ID_ANY);
	ck_assert_ptr_nonnull(ind);
	ck_assert_int_eq(feed(frag(0, 1000, true, 9), &m), FP_TAKEN);
	ck_assert_int_eq(feed(frag(1000, 808, false, 9), &m), FP_TX);
	ck_assert_uint_eq(rte_pktmbuf_pkt_len(m), sizeof(want));
	{
		const void *r = rte_pktmbuf_read(m, 0, sizeof(want), want);

		ck_assert_ptr_nonnull(r);
		if (r != want)
			memcpy(want, r, sizeof(want));
	}
	ifc.tx_multi_seg = false;
	ck_assert_int_eq(fp_ipv4_fragment(&ifc, &st, m, out, RTE_DIM(out), fpool, ind),
		-ENOTSUP);
	ifc.tx_multi_seg = true;
	n = fp_ipv4_fragment(&ifc, &st, m, out, RTE_DIM(out), fpool, ind);
	ck_assert_int_eq(n, 2);
	ck_assert_uint_eq(st.c[FP_C_ipv4_frags_sent], 2);
	for (i = 0; i < n; i++) {
		ip = ip_hdr(out[i]);
		l = rte_be_to_cpu_16(ip->total_length);
		ck_assert_uint_le(l, 1500);
		ck_assert_uint_eq(rte_pktmbuf_pkt_len(out[i]), ETH_LEN + l);
		ck_assert_int_eq(memcmp(rte_pktmbuf_mtod(out[i], void *), want, ETH_LEN), 0);
		ck_assert(fp_test_ipv4_cksum_ok(ip));
		ck_assert_uint_eq((rte_be_to_cpu_16(ip->fragment_offset) &
			RTE_IPV4_HDR_OFFSET_MASK) * 8, covered);
		ck_assert_uint_eq((rte_be_to_cpu_16(ip->fragment_offset) &
			RTE_IPV4_HDR_MF_FLAG) != 0, i + 1 < n);
		covered += l - 20;
	}
	ck_assert_uint_eq(covered, 8 + FRAG_PAYLOAD);
	/* Back through a reassembler, as the peer's: the same bytes. */
	for (i = 0; i < n; i++) {
		again = out[i];
		again->l2_len = ETH_LEN;
		v = fp_ipv4_reasm_add(fl4.reasm, &st, &again, 20);
	}
	ck_assert_int_eq(v, 0);
	ck_assert_uint_eq(rte_pktmbuf_pkt_len(again), sizeof(want));
	{
		uint8_t got[sizeof(want)];
		const uint8_t *g = rte_pktmbuf_read(again, 0, sizeof(got), got);

		/* The header checksum is left for the receiver to redo. */
		ck_assert_int_eq(memcmp(g + ETH_LEN + 20, want + ETH_LEN + 20,
			sizeof(want) - ETH_LEN - 20), 0);
	}
	rte_pktmbuf_free(again);
	ck_assert_uint_eq(rte_mempool_in_use_count(ind), 0);
	rte_mempool_free(ind);
}
END_TEST

/* A fragment of a 64 KB datagram, in a jumbo mbuf of mp: an hlen-byte
 * header (NOP options past 20 bytes) and len bytes at off, the first ones
 * from the echo request in orig, zeros after.
 */
static struct rte_mbuf *
jumbo_frag(struct rte_mempool *mp, uint32_t hlen, uint32_t off, uint32_t len, bool mf)
{
	struct rte_mbuf *m = rte_pktmbuf_alloc(mp);
	struct rte_ipv4_hdr *ip;
	uint8_t *d;

	ck_assert_ptr_nonnull(m);
	d = (uint8_t *)rte_pktmbuf_append(m, ETH_LEN + hlen + len);
	ck_assert_ptr_nonnull(d);
	memset(d, 0, ETH_LEN + hlen + len);
	memcpy(d, orig, ETH_LEN + 20);
	memset(d + ETH_LEN + 20, 1, hlen - 20);
	if (off == 0)
		memcpy(d + ETH_LEN + hlen, orig + ETH_LEN + 20, 8 + 56);
	ip = (struct rte_ipv4_hdr *)(d + ETH_LEN);
	ip->version_ihl = (uint8_t)(0x40 | hlen / 4);
	ip->total_length = rte_cpu_to_be_16(hlen + len);
	ip->packet_id = RTE_BE16(0x5151);
	ip->fragment_offset = rte_cpu_to_be_16((mf ? RTE_IPV4_HDR_MF_FLAG : 0) | off / 8);
	ip->hdr_checksum = 0;
	ip->hdr_checksum = rte_ipv4_cksum(ip);
	m->l2_len = ETH_LEN;
	return m;
}

/* Each fragment ends within 65535 bytes counting its own header, but the
 * datagram takes the first one's, 60 bytes: 65575 bytes, more than its
 * total length can say. It is dropped, not handed on with a length that
 * wrapped (ICMP summed 4 GB from it). The fuzz harness's seed
 * tests/fuzz/corpus/ipv4/jumbo_oversize is the same datagram.
 */
START_TEST(test_reassembly_oversize_header)
{
	struct rte_mempool *jp;
	struct rte_mbuf *m;
	uint32_t off = 8936;
	unsigned int i;

	jp = rte_pktmbuf_pool_create("fp_ipv4_jumbo", 15, 0, 0, RTE_PKTMBUF_HEADROOM + 9088,
		SOCKET_ID_ANY);
	ck_assert_ptr_nonnull(jp);
	ck_assert_int_eq(feed(jumbo_frag(jp, 60, 0, off, true), &m), FP_TAKEN);
	for (i = 0; i < 6; i++, off += 8976)
		ck_assert_int_eq(feed(jumbo_frag(jp, 20, off, 8976, true), &m), FP_TAKEN);
	ck_assert_int_eq(feed(jumbo_frag(jp, 20, off, UINT16_MAX - 20 - off, false), &m),
		FP_TAKEN);
	ck_assert_uint_eq(st.drop[FP_DROP_ipv4_frag_oversize], 1);
	ck_assert_uint_eq(st.c[FP_C_ipv4_reassembled], 0);
	ck_assert_uint_eq(st.c[FP_C_icmp_echo_requests], 0);
	ck_assert_uint_eq(rte_mempool_in_use_count(jp), 0);
	rte_mempool_free(jp);
}
END_TEST

/* Reassembly off ([ip] frag_entries = 0): fragments are dropped. */
START_TEST(test_reassembly_off)
{
	struct rte_mbuf *m;

	fp_ipv4_reasm_free(fl4.reasm);
	fl4.reasm = NULL;
	ck_assert_int_eq(feed(frag(0, 1000, true, 8), &m), FP_DROP_ipv4_fragment);
}
END_TEST

/* Four option bytes written over the NOPs of a 24-byte header. */
static const struct {
	uint8_t opt[4];
	int want;
} opt_cases[] = {
	{ { 131, 3, 4, 0 }, FP_DROP_ipv4_source_route },	/* LSRR */
	{ { 137, 3, 4, 0 }, FP_DROP_ipv4_source_route },	/* SSRR */
	{ { 1, 1, 137, 3 }, FP_DROP_ipv4_source_route },	/* SSRR after NOPs */
	{ { 7, 0, 0, 0 }, FP_DROP_ipv4_bad_option },		/* length 0 */
	{ { 7, 1, 0, 0 }, FP_DROP_ipv4_bad_option },		/* length 1 */
	{ { 7, 9, 4, 0 }, FP_DROP_ipv4_bad_option },		/* past the header */
	{ { 1, 1, 1, 68 }, FP_DROP_ipv4_bad_option },		/* no room for a length */
	{ { 7, 4, 4, 0 }, FP_TX },				/* record route, fine */
	{ { 0, 131, 3, 4 }, FP_TX },				/* nothing after EOL counts */
};

START_TEST(test_option_walk)
{
	struct rte_ipv4_hdr *ip;
	struct fp_test_ip p;
	struct rte_mbuf *m;

	fp_test_ip_init(&p);
	p.ihl = 6;
	m = build(&p);
	ip = ip_hdr(m);
	memcpy(ip + 1, opt_cases[_i].opt, 4);
	ip->hdr_checksum = 0;
	ip->hdr_checksum = rte_ipv4_cksum(ip);
	ck_assert_int_eq(ipv4_in(m), opt_cases[_i].want);
	if (opt_cases[_i].want == FP_TX)
		ck_assert_uint_eq(ip_hdr(m)->version_ihl, 0x45);
}
END_TEST

/* _i is the IHL: 6 (one 4-byte NOP option) to 15 (40 bytes of options). */
START_TEST(test_options_stripped)
{
	uint32_t opt = (_i - 5) * 4;
	struct fp_test_ip p;
	struct rte_mbuf *m;

	fp_test_ip_init(&p);
	p.ihl = _i;
	m = build(&p);
	ck_assert_uint_eq(rte_be_to_cpu_16(ip_hdr(m)->total_length), 20 + opt + 8 + 56);
	ck_assert_int_eq(ipv4_in(m), FP_TX);
	/* Same as a reply to the option-less request: IHL 5, 4 * (IHL - 5) shorter. */
	assert_echo_reply(m, &p);
	ck_assert(fp_test_ipv4_cksum_ok(ip_hdr(m)));
	ck_assert_uint_eq(rte_pktmbuf_pkt_len(m), orig_len - opt);
	assert_counts(1, 1);
}
END_TEST

START_TEST(test_options_stripped_tx_offload)
{
	struct fp_test_ip p;
	struct rte_mbuf *m;

	ifc.tx_ip_cksum = true;
	fp_test_ip_init(&p);
	p.ihl = 6;
	p.frame_len = ETH_LEN + 24 + 8 + 56 + 10;	/* padded too */
	m = build(&p);
	ck_assert_int_eq(ipv4_in(m), FP_TX);
	assert_echo_reply(m, &p);
	ck_assert_uint_eq(ip_hdr(m)->hdr_checksum, 0);
	ck_assert_uint_eq(m->ol_flags, RTE_MBUF_F_TX_IP_CKSUM | RTE_MBUF_F_TX_IPV4);
	/* The PMD reads the header lengths from the mbuf. */
	ck_assert_uint_eq(m->l3_len, 20);
}
END_TEST

START_TEST(test_counter_only_accepted)
{
	struct fp_test_ip p;
	unsigned int i;

	for (i = 0; i < 3; i++) {
		fp_test_ip_init(&p);
		p.icmp_seq = i;
		ck_assert_int_eq(run(&p), FP_TX);
	}
	fp_test_ip_init(&p);
	p.bad_ip_csum = true;
	ck_assert_int_eq(run(&p), FP_DROP_ipv4_bad_csum);
	fp_test_ip_init(&p);
	p.dst = FP_TEST_ADDR(198, 18, 0, 3);
	ck_assert_int_eq(run(&p), FP_DROP_ipv4_not_for_us);
	fp_test_ip_init(&p);
	p.frag = RTE_IPV4_HDR_MF_FLAG;
	ck_assert_int_eq(run(&p), FP_DROP_ipv4_fragment);
	fp_test_ip_init(&p);
	p.src = 0;
	ck_assert_int_eq(run(&p), FP_DROP_ipv4_bad_src);
	assert_counts(3, 3);
}
END_TEST

/* A valid IPv4 packet whose ICMP is bad: counted as IPv4, not answered. */
START_TEST(test_icmp_drop_passes_through)
{
	struct fp_test_ip p;
	struct rte_mbuf *m;

	fp_test_ip_init(&p);
	p.bad_icmp_csum = true;
	m = build(&p);
	ck_assert_int_eq(ipv4_in(m), FP_DROP_icmp_bad_csum);
	ck_assert_mem_eq(rte_pktmbuf_mtod(m, void *), orig, orig_len);
	assert_counts(1, 0);

	fp_test_ip_init(&p);
	p.icmp_type = RTE_IP_ICMP_ECHO_REPLY;
	ck_assert_int_eq(run(&p), FP_DROP_icmp_unsupported);
	assert_counts(2, 0);
}
END_TEST

/* Turnaround alone, as a protocol handler's caller uses it. */
START_TEST(test_turnaround)
{
	struct fp_test_ip p;
	struct rte_mbuf *m;
	struct rte_ipv4_hdr *ip;

	fp_test_ip_init(&p);
	p.ttl = 1;
	m = build(&p);
	m->l3_len = 20;
	fp_ipv4_turnaround(&ifc, m);
	ip = ip_hdr(m);
	ck_assert_uint_eq(ip->src_addr, FP_TEST_IP);
	ck_assert_uint_eq(ip->dst_addr, FP_TEST_PEER_IP);
	ck_assert_uint_eq(ip->time_to_live, 64);
	ck_assert_uint_eq(ip->fragment_offset, 0);
	ck_assert(fp_test_ipv4_cksum_ok(ip));
	ck_assert(rte_is_same_ether_addr(&rte_pktmbuf_mtod(m, struct rte_ether_hdr *)->dst_addr,
		&fp_test_peer_mac));
	/* The ICMP message is not the IP layer's to touch. */
	ck_assert_mem_eq(ip + 1, orig + ETH_LEN + 20, orig_len - ETH_LEN - 20);
}
END_TEST

/* A routed source whose host part is all ones under OUR mask is a plain
 * host of a bigger remote network (203.0.112.0/23 here), not a broadcast.
 * Known bug: fp_ipv4_src_valid() tests the host part of any network.
 */
START_TEST(test_remote_all_ones_host)
{
	struct fp_test_ip p;

	fp_test_ip_init(&p);
	p.src = FP_TEST_ADDR(203, 0, 113, 255);
	ck_assert_int_eq(run(&p), FP_TX);
}
END_TEST

Suite *
ipv4_suite(void)
{
	Suite *s = suite_create("ipv4");
	TCase *tc;

	tc = tcase_create("accept");
	tcase_add_checked_fixture(tc, ipv4_setup, NULL);
	tcase_add_test(tc, test_echo_reply);
	tcase_add_test(tc, test_echo_reply_tx_offload);
	tcase_add_test(tc, test_df_or_no_flags);
	tcase_add_test(tc, test_from_other_subnet);
	tcase_add_test(tc, test_rx_cksum_offload);
	tcase_add_test(tc, test_padding_trimmed);
	tcase_add_test(tc, test_padding_trimmed_large);
	tcase_add_loop_test(tc, test_options_stripped, 6, 16);
	tcase_add_test(tc, test_options_stripped_tx_offload);
	tcase_add_loop_test(tc, test_option_walk, 0, RTE_DIM(opt_cases));
	tcase_add_test(tc, test_turnaround);
	tcase_add_test(tc, test_cksum_matches_dpdk);
	suite_add_tcase(s, tc);

	tc = tcase_create("drop");
	tcase_add_checked_fixture(tc, ipv4_setup, NULL);
	tcase_add_loop_test(tc, test_drop, 0, RTE_DIM(bad_cases));
	tcase_add_test(tc, test_counter_only_accepted);
	tcase_add_test(tc, test_icmp_drop_passes_through);
	suite_add_tcase(s, tc);

	tc = tcase_create("chain");
	tcase_add_unchecked_fixture(tc, ipv4_eal_up, NULL);
	tcase_add_checked_fixture(tc, ipv4_setup, NULL);
	tcase_add_test(tc, test_padding_chain_cut);
	suite_add_tcase(s, tc);

	tc = tcase_create("reassembly");
	tcase_add_unchecked_fixture(tc, ipv4_eal_up, NULL);
	tcase_add_checked_fixture(tc, frag_setup, frag_teardown);
	tcase_add_loop_test(tc, test_reassembly, 0, RTE_DIM(frag_orders));
	tcase_add_test(tc, test_reassembly_interleaved);
	tcase_add_test(tc, test_reassembly_overlap);
	tcase_add_test(tc, test_reassembly_timeout);
	tcase_add_test(tc, test_reassembly_flood);
	tcase_add_test(tc, test_reassembly_bad);
	tcase_add_test(tc, test_reassembly_oversize_header);
	tcase_add_test(tc, test_reassembly_off);
	tcase_add_test(tc, test_fragment_reply);
	suite_add_tcase(s, tc);

	tc = tcase_create("regressions");
	tcase_add_checked_fixture(tc, ipv4_setup, NULL);
	tcase_add_test(tc, test_remote_all_ones_host);
	suite_add_tcase(s, tc);
	return s;
}
