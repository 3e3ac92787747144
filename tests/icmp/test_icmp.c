/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The fastpath authors
 */

#include <string.h>

#include <rte_icmp.h>

#include "fp_icmp.h"
#include "fp_ipv4.h"
#include "fp_test.h"

#define ICMP_OFF	(14 + 20)	/* Ethernet + IPv4 without options */
#define ICMP_HDR_LEN	8
#define MAX_PAYLOAD	1472		/* a 1500-byte IP MTU */

static struct fp_iface ifc;
static struct fp_stats st;

static int
ipv4_in(struct rte_mbuf *m)
{
	return fp_test_ipv4_in(&ifc, &st, m);
}
static struct fp_test_mbuf tm;

static void
icmp_setup(void)
{
	fp_test_iface(&ifc);
	memset(&st, 0, sizeof(st));
}

static struct rte_icmp_hdr *
icmp_hdr(struct rte_mbuf *m)
{
	return rte_pktmbuf_mtod_offset(m, struct rte_icmp_hdr *, ICMP_OFF);
}

static void
set_cksum(struct rte_icmp_hdr *ic, uint32_t len)
{
	ic->icmp_cksum = 0;
	ic->icmp_cksum = (uint16_t)~rte_raw_cksum(ic, len);
}

/* Runs fp_icmp_input on the message p describes and checks a correct echo
 * reply came out: same id, seq and payload, a checksum that verifies and
 * equals a fresh one.
 */
static void
assert_echo(const struct fp_test_ip *p, struct rte_mbuf *m)
{
	uint32_t len = ICMP_HDR_LEN + p->payload_len;
	struct rte_icmp_hdr *ic = icmp_hdr(m);
	uint8_t before[ICMP_HDR_LEN + MAX_PAYLOAD];
	const uint8_t *data;
	uint32_t i;

	memcpy(before, ic, len);
	ck_assert_int_eq(fp_icmp_input(NULL, &st, m, ICMP_OFF, len), FP_TX);
	ck_assert_uint_eq(ic->icmp_type, RTE_IP_ICMP_ECHO_REPLY);
	ck_assert_uint_eq(ic->icmp_code, 0);
	ck_assert_uint_eq(ic->icmp_ident, ((struct rte_icmp_hdr *)before)->icmp_ident);
	ck_assert_uint_eq(ic->icmp_seq_nb, ((struct rte_icmp_hdr *)before)->icmp_seq_nb);
	ck_assert_mem_eq(ic + 1, before + ICMP_HDR_LEN, p->payload_len);
	data = (const uint8_t *)(ic + 1);
	if (p->payload == NULL)
		for (i = 0; i < p->payload_len; i++)
			ck_assert_uint_eq(data[i], fp_test_pattern(i));
	ck_assert_msg(rte_raw_cksum(ic, len) == 0xffff, "reply checksum %#x does not verify",
		rte_be_to_cpu_16(ic->icmp_cksum));
	/* 0x0000 and 0xffff are the same one's-complement zero, but only 0xffff
	 * verifies when the rest of the message sums to zero.
	 */
	ck_assert_uint_ne(ic->icmp_cksum, 0);
	/* ICMP rewrites nothing outside its message, nor the frame's length. */
	ck_assert_uint_eq(rte_pktmbuf_pkt_len(m), ICMP_OFF + len);
}

static const uint16_t sizes[] = { 0, 1, 56, 57, 1000, MAX_PAYLOAD };

START_TEST(test_echo_sizes)
{
	struct fp_test_ip p;
	struct rte_mbuf *m;

	fp_test_ip_init(&p);
	p.payload_len = sizes[_i];
	m = fp_test_ip_build(&tm, &p);
	assert_echo(&p, m);
	ck_assert_uint_eq(st.c[FP_C_icmp_echo_requests], 1);
	ck_assert_uint_eq(st.c[FP_C_icmp_echo_replies], 1);
}
END_TEST

/* The same through the IPv4 layer: the whole frame comes back. */
START_TEST(test_echo_sizes_via_ipv4)
{
	const struct rte_ipv4_hdr *ip;
	struct rte_icmp_hdr *ic;
	struct fp_test_ip p;
	struct rte_mbuf *m;
	uint32_t len, i;
	const uint8_t *data;

	fp_test_ip_init(&p);
	p.payload_len = sizes[_i];
	len = ICMP_HDR_LEN + p.payload_len;
	m = fp_test_ip_build(&tm, &p);
	m->l2_len = 14;
	ck_assert_int_eq(ipv4_in(m), FP_TX);
	ck_assert_uint_eq(rte_pktmbuf_pkt_len(m), ICMP_OFF + len);
	ip = rte_pktmbuf_mtod_offset(m, const struct rte_ipv4_hdr *, 14);
	ck_assert_uint_eq(ip->dst_addr, FP_TEST_PEER_IP);
	ck_assert_uint_eq(ip->src_addr, FP_TEST_IP);
	ck_assert(fp_test_ipv4_cksum_ok(ip));
	ic = icmp_hdr(m);
	ck_assert_uint_eq(ic->icmp_type, RTE_IP_ICMP_ECHO_REPLY);
	ck_assert_uint_eq(ic->icmp_code, 0);
	ck_assert_uint_eq(rte_be_to_cpu_16(ic->icmp_ident), p.icmp_id);
	ck_assert_uint_eq(rte_be_to_cpu_16(ic->icmp_seq_nb), p.icmp_seq);
	data = (const uint8_t *)(ic + 1);
	for (i = 0; i < p.payload_len; i++)
		ck_assert_uint_eq(data[i], fp_test_pattern(i));
	ck_assert_uint_eq(rte_raw_cksum(ic, len), 0xffff);
	ck_assert_uint_eq(st.c[FP_C_icmp_echo_requests], 1);
	ck_assert_uint_eq(st.c[FP_C_icmp_echo_replies], 1);
}
END_TEST

/* A small deterministic generator, the same on every libc. */
static uint64_t
rng_next(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

enum edge {
	EDGE_NONE,
	EDGE_REPLY_ZERO,	/* the reply's checksum must be 0x0000 */
	EDGE_REQUEST_ZERO,	/* the request's checksum is 0x0000 */
	EDGE_REQUEST_NEG_ZERO,	/* as above but sent as 0xffff, which verifies too */
	EDGE_MAX,
};

/* Sets the message's last 16-bit word so the sum of the rest comes to
 * 0xffff with the given type, then restores the request's type and gives it
 * a checksum. len is even, so the last word is aligned.
 */
static void
force_sum(struct rte_icmp_hdr *ic, uint32_t len, uint8_t type)
{
	uint16_t *last = (uint16_t *)((uint8_t *)ic + len - 2);
	uint16_t rest;

	ic->icmp_type = type;
	ic->icmp_cksum = 0;
	*last = 0;
	rest = rte_raw_cksum(ic, len);
	*last = (uint16_t)~rest;
	ic->icmp_type = RTE_IP_ICMP_ECHO_REQUEST;
	set_cksum(ic, len);
}

/* Many random echoes, a quarter of them built so the checksum lands on
 * one of the two zeros.
 */
START_TEST(test_echo_random)
{
	static uint8_t payload[MAX_PAYLOAD];
	uint64_t seed = 0x5eed1e55c0ffee11ULL;
	struct rte_icmp_hdr *ic;
	struct fp_test_ip p;
	struct rte_mbuf *m;
	unsigned int n, i, zeros = 0;
	enum edge e;
	uint32_t len;

	for (n = 0; n < 2000; n++) {
		e = n % EDGE_MAX;
		fp_test_ip_init(&p);
		p.icmp_id = rng_next(&seed);
		p.icmp_seq = rng_next(&seed);
		p.payload_len = rng_next(&seed) % (MAX_PAYLOAD + 1);
		if (e != EDGE_NONE && p.payload_len < 2)
			p.payload_len = 2;
		if (e != EDGE_NONE)
			p.payload_len &= ~1;
		for (i = 0; i < p.payload_len; i++)
			payload[i] = rng_next(&seed);
		p.payload = payload;
		m = fp_test_ip_build(&tm, &p);
		len = ICMP_HDR_LEN + p.payload_len;
		ic = icmp_hdr(m);
		if (e == EDGE_REPLY_ZERO)
			force_sum(ic, len, RTE_IP_ICMP_ECHO_REPLY);
		else if (e == EDGE_REQUEST_ZERO || e == EDGE_REQUEST_NEG_ZERO)
			force_sum(ic, len, RTE_IP_ICMP_ECHO_REQUEST);
		if (e == EDGE_REQUEST_ZERO || e == EDGE_REQUEST_NEG_ZERO)
			ck_assert_uint_eq(ic->icmp_cksum, 0);
		if (e == EDGE_REQUEST_NEG_ZERO)
			ic->icmp_cksum = 0xffff;
		/* force_sum() changed the last word; expect what was sent. */
		memcpy(payload, ic + 1, p.payload_len);
		assert_echo(&p, m);
		/* A zero result goes out as 0xffff, never 0x0000. */
		if (e == EDGE_REPLY_ZERO)
			ck_assert_uint_eq(ic->icmp_cksum, 0xffff);
		if (ic->icmp_cksum == 0xffff)
			zeros++;
	}
	/* The edge cases were really reached. */
	ck_assert_uint_ge(zeros, 2000 / EDGE_MAX);
	ck_assert_uint_eq(st.c[FP_C_icmp_echo_requests], 2000);
	ck_assert_uint_eq(st.c[FP_C_icmp_echo_replies], 2000);
}
END_TEST

/* Hand-picked two-byte payloads with id 0 and seq 0 where the type change
 * moves the sum onto or off a zero. Words are given in network order.
 */
static const struct {
	uint8_t payload[2];
	uint16_t req_cksum;	/* what the request must carry */
	uint16_t reply_cksum;	/* what the reply must carry */
} edges[] = {
	/* Request sums to 0xffff: its checksum is 0x0000. */
	{ { 0xf7, 0xff }, 0x0000, 0x0800 },
	/* The rest of the reply sums to 0xffff: 0x0000 would do, and so does
	 * 0xffff, which fastpath always writes for a zero result.
	 */
	{ { 0xff, 0xff }, 0xf7ff, 0xffff },
	{ { 0x00, 0x01 }, 0xf7fe, 0xfffe },
	/* The request's sum wraps round: 0x0800 + 0xf800 = 0x0001. */
	{ { 0xf8, 0x00 }, 0xfffe, 0x07ff },
};

START_TEST(test_echo_edges)
{
	struct rte_icmp_hdr *ic;
	struct fp_test_ip p;
	struct rte_mbuf *m;

	fp_test_ip_init(&p);
	p.icmp_id = 0;
	p.icmp_seq = 0;
	p.payload = edges[_i].payload;
	p.payload_len = 2;
	m = fp_test_ip_build(&tm, &p);
	ic = icmp_hdr(m);
	ck_assert_uint_eq(rte_be_to_cpu_16(ic->icmp_cksum), edges[_i].req_cksum);
	assert_echo(&p, m);
	ck_assert_uint_eq(rte_be_to_cpu_16(ic->icmp_cksum), edges[_i].reply_cksum);
}
END_TEST

/* Sender wrote the request's zero checksum as 0xffff: still valid, and the
 * reply must still come out right.
 */
START_TEST(test_echo_neg_zero_request)
{
	static const uint8_t payload[2] = { 0xf7, 0xff };
	struct rte_icmp_hdr *ic;
	struct fp_test_ip p;
	struct rte_mbuf *m;

	fp_test_ip_init(&p);
	p.icmp_id = 0;
	p.icmp_seq = 0;
	p.payload = payload;
	p.payload_len = 2;
	m = fp_test_ip_build(&tm, &p);
	ic = icmp_hdr(m);
	ck_assert_uint_eq(ic->icmp_cksum, 0);
	ic->icmp_cksum = 0xffff;
	assert_echo(&p, m);
	ck_assert_uint_eq(rte_be_to_cpu_16(ic->icmp_cksum), 0x0800);
}
END_TEST

/* id 0, seq 0, no payload or a zero payload: the reply is all zero bytes,
 * whose only valid checksum is 0xffff.
 */
START_TEST(test_echo_all_zero_reply)
{
	static const uint8_t zeros[64];
	struct fp_test_ip p;
	struct rte_mbuf *m;

	fp_test_ip_init(&p);
	p.icmp_id = 0;
	p.icmp_seq = 0;
	p.payload = zeros;
	p.payload_len = _i == 0 ? 0 : sizeof(zeros);
	m = fp_test_ip_build(&tm, &p);
	assert_echo(&p, m);
	ck_assert_uint_eq(icmp_hdr(m)->icmp_cksum, 0xffff);
}
END_TEST

/* The payload may continue in a second segment. */
START_TEST(test_echo_two_segments)
{
	static struct fp_test_mbuf tm2;
	const uint32_t split = ICMP_OFF + ICMP_HDR_LEN + 100;
	uint8_t frame[ICMP_OFF + ICMP_HDR_LEN + 1000];
	struct rte_mbuf *m, *m2;
	struct rte_icmp_hdr *ic;
	struct fp_test_ip p;
	uint32_t len, sum;
	uint16_t s1, s2;

	fp_test_ip_init(&p);
	p.payload_len = 1000;
	len = ICMP_HDR_LEN + p.payload_len;
	m = fp_test_ip_build(&tm, &p);
	memcpy(frame, rte_pktmbuf_mtod(m, void *), sizeof(frame));
	/* First segment: headers and 100 payload bytes; the rest in m2. */
	m = fp_test_mbuf_from(&tm, frame, split);
	m2 = fp_test_mbuf_from(&tm2, frame + split, sizeof(frame) - split);
	m->next = m2;
	m->nb_segs = 2;
	m->pkt_len = sizeof(frame);
	m2->pkt_len = 0;

	ck_assert_int_eq(fp_icmp_input(NULL, &st, m, ICMP_OFF, len), FP_TX);
	ic = icmp_hdr(m);
	ck_assert_uint_eq(ic->icmp_type, RTE_IP_ICMP_ECHO_REPLY);
	/* Both segments even in length, so the two partial sums just add. */
	s1 = rte_raw_cksum(ic, split - ICMP_OFF);
	s2 = rte_raw_cksum(rte_pktmbuf_mtod(m2, void *), m2->data_len);
	sum = (uint32_t)s1 + s2;
	sum = (sum & 0xffff) + (sum >> 16);
	ck_assert_uint_eq(sum, 0xffff);
	ck_assert_mem_eq(rte_pktmbuf_mtod(m2, void *), frame + split, sizeof(frame) - split);
}
END_TEST

START_TEST(test_bad_cksum)
{
	struct fp_test_ip p;
	struct rte_mbuf *m;
	uint8_t before[ICMP_HDR_LEN + 56];

	fp_test_ip_init(&p);
	p.bad_icmp_csum = true;
	m = fp_test_ip_build(&tm, &p);
	memcpy(before, icmp_hdr(m), sizeof(before));
	ck_assert_int_eq(fp_icmp_input(NULL, &st, m, ICMP_OFF, sizeof(before)),
		FP_DROP_icmp_bad_csum);
	ck_assert_mem_eq(icmp_hdr(m), before, sizeof(before));
	ck_assert_uint_eq(st.c[FP_C_icmp_echo_requests], 0);
	ck_assert_uint_eq(st.c[FP_C_icmp_echo_replies], 0);
}
END_TEST

/* A flipped payload bit, after the checksum was computed: _i picks the byte. */
START_TEST(test_bad_cksum_payload)
{
	struct fp_test_ip p;
	struct rte_mbuf *m;

	fp_test_ip_init(&p);
	m = fp_test_ip_build(&tm, &p);
	*rte_pktmbuf_mtod_offset(m, uint8_t *, ICMP_OFF + ICMP_HDR_LEN + _i * 11) ^= 0x10;
	ck_assert_int_eq(fp_icmp_input(NULL, &st, m, ICMP_OFF, ICMP_HDR_LEN + 56),
		FP_DROP_icmp_bad_csum);
}
END_TEST

/* The checksum covers the length given, not what the mbuf holds: a length
 * that leaves out the last payload bytes no longer verifies.
 */
START_TEST(test_bad_cksum_short_len)
{
	struct fp_test_ip p;
	struct rte_mbuf *m;

	fp_test_ip_init(&p);
	m = fp_test_ip_build(&tm, &p);
	ck_assert_int_eq(fp_icmp_input(NULL, &st, m, ICMP_OFF, ICMP_HDR_LEN + 54),
		FP_DROP_icmp_bad_csum);
}
END_TEST

START_TEST(test_truncated)
{
	/* _i is the ICMP length: 0 to 7 bytes. */
	struct fp_test_ip p;
	struct rte_mbuf *m;

	fp_test_ip_init(&p);
	p.payload_len = 0;
	m = fp_test_ip_build(&tm, &p);
	ck_assert_int_eq(fp_icmp_input(NULL, &st, m, ICMP_OFF, _i), FP_DROP_icmp_truncated);
	ck_assert_uint_eq(icmp_hdr(m)->icmp_type, RTE_IP_ICMP_ECHO_REQUEST);
}
END_TEST

/* The length claims more than the mbuf has. */
START_TEST(test_truncated_mbuf)
{
	struct fp_test_ip p;
	struct rte_mbuf *m;

	fp_test_ip_init(&p);
	m = fp_test_ip_build(&tm, &p);
	ck_assert_int_eq(fp_icmp_input(NULL, &st, m, ICMP_OFF, ICMP_HDR_LEN + 57),
		FP_DROP_icmp_truncated);
	/* The header itself lies past the data. */
	ck_assert_int_eq(fp_icmp_input(NULL, &st, m, rte_pktmbuf_data_len(m) - 4, ICMP_HDR_LEN),
		FP_DROP_icmp_truncated);
	ck_assert_uint_eq(st.c[FP_C_icmp_echo_requests], 0);
}
END_TEST

/* Through IPv4: a total length that leaves 4 bytes for ICMP. */
START_TEST(test_truncated_via_ipv4)
{
	struct fp_test_ip p;
	struct rte_mbuf *m;

	fp_test_ip_init(&p);
	p.payload_len = 0;
	p.tot_len_adj = -4;
	m = fp_test_ip_build(&tm, &p);
	m->l2_len = 14;
	ck_assert_int_eq(ipv4_in(m), FP_DROP_icmp_truncated);
}
END_TEST

static const struct {
	uint8_t type, code;
} unsupported[] = {
	{ RTE_IP_ICMP_ECHO_REPLY, 0 },
	{ 3, 0 },		/* destination unreachable: net */
	{ 3, 3 },		/* destination unreachable: port */
	{ 5, 1 },		/* redirect */
	{ 11, 0 },		/* time exceeded */
	{ 13, 0 },		/* timestamp */
	{ 14, 0 },		/* timestamp reply */
	{ 17, 0 },		/* address mask request */
	{ RTE_IP_ICMP_ECHO_REQUEST, 1 },	/* echo with a code it cannot have */
	{ 255, 0 },
};

START_TEST(test_unsupported)
{
	struct fp_test_ip p;
	struct rte_mbuf *m;
	uint8_t before[ICMP_HDR_LEN + 56];

	fp_test_ip_init(&p);
	p.icmp_type = unsupported[_i].type;
	p.icmp_code = unsupported[_i].code;
	m = fp_test_ip_build(&tm, &p);
	memcpy(before, icmp_hdr(m), sizeof(before));
	ck_assert_int_eq(fp_icmp_input(NULL, &st, m, ICMP_OFF, sizeof(before)),
		FP_DROP_icmp_unsupported);
	ck_assert_mem_eq(icmp_hdr(m), before, sizeof(before));
	ck_assert_uint_eq(st.c[FP_C_icmp_echo_requests], 0);
	ck_assert_uint_eq(st.c[FP_C_icmp_echo_replies], 0);
}
END_TEST

START_TEST(test_counters)
{
	struct fp_test_ip p;
	struct rte_mbuf *m;
	unsigned int n;

	for (n = 1; n <= 5; n++) {
		fp_test_ip_init(&p);
		p.icmp_seq = n;
		m = fp_test_ip_build(&tm, &p);
		m->l2_len = 14;
		ck_assert_int_eq(ipv4_in(m), FP_TX);
		ck_assert_uint_eq(st.c[FP_C_icmp_echo_requests], n);
		ck_assert_uint_eq(st.c[FP_C_icmp_echo_replies], n);
	}
	/* Drops move neither. */
	fp_test_ip_init(&p);
	p.icmp_type = 13;
	m = fp_test_ip_build(&tm, &p);
	ck_assert_int_eq(fp_icmp_input(NULL, &st, m, ICMP_OFF, ICMP_HDR_LEN + 56),
		FP_DROP_icmp_unsupported);
	fp_test_ip_init(&p);
	p.bad_icmp_csum = true;
	m = fp_test_ip_build(&tm, &p);
	ck_assert_int_eq(fp_icmp_input(NULL, &st, m, ICMP_OFF, ICMP_HDR_LEN + 56),
		FP_DROP_icmp_bad_csum);
	ck_assert_uint_eq(st.c[FP_C_icmp_echo_requests], 5);
	ck_assert_uint_eq(st.c[FP_C_icmp_echo_replies], 5);
}
END_TEST

Suite *
icmp_suite(void)
{
	Suite *s = suite_create("icmp");
	TCase *tc;

	tc = tcase_create("echo");
	tcase_add_checked_fixture(tc, icmp_setup, NULL);
	tcase_add_loop_test(tc, test_echo_sizes, 0, RTE_DIM(sizes));
	tcase_add_loop_test(tc, test_echo_sizes_via_ipv4, 0, RTE_DIM(sizes));
	tcase_add_test(tc, test_echo_random);
	tcase_add_loop_test(tc, test_echo_edges, 0, RTE_DIM(edges));
	tcase_add_test(tc, test_echo_neg_zero_request);
	tcase_add_test(tc, test_echo_two_segments);
	tcase_add_test(tc, test_counters);
	suite_add_tcase(s, tc);

	tc = tcase_create("drop");
	tcase_add_checked_fixture(tc, icmp_setup, NULL);
	tcase_add_test(tc, test_bad_cksum);
	tcase_add_loop_test(tc, test_bad_cksum_payload, 0, 5);
	tcase_add_test(tc, test_bad_cksum_short_len);
	tcase_add_loop_test(tc, test_truncated, 0, ICMP_HDR_LEN);
	tcase_add_test(tc, test_truncated_mbuf);
	tcase_add_test(tc, test_truncated_via_ipv4);
	tcase_add_loop_test(tc, test_unsupported, 0, RTE_DIM(unsupported));
	suite_add_tcase(s, tc);

	/* The incremental update once wrote 0x0000 into an all-zero reply. */
	tc = tcase_create("regressions");
	tcase_add_checked_fixture(tc, icmp_setup, NULL);
	tcase_add_loop_test(tc, test_echo_all_zero_reply, 0, 2);
	suite_add_tcase(s, tc);
	return s;
}
