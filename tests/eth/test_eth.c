/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The fastpath authors
 */

#include <string.h>

#include <rte_arp.h>

#include "fp_eth.h"
#include "fp_test.h"

static struct fp_iface ifc;
static struct fp_test_mbuf tm;

static void
eth_setup(void)
{
	fp_test_iface(&ifc);
}

/* A minimum-size frame (60 bytes, zero padded) with the given header. */
static struct rte_mbuf *
eth_frame(const struct rte_ether_addr *dst, uint16_t ether_type, uint16_t len)
{
	uint8_t frame[RTE_ETHER_MIN_LEN];
	struct rte_ether_hdr *eh = (struct rte_ether_hdr *)frame;
	struct rte_mbuf *m;

	memset(frame, 0, sizeof(frame));
	eh->dst_addr = *dst;
	eh->src_addr = fp_test_peer_mac;
	eh->ether_type = rte_cpu_to_be_16(ether_type);
	m = fp_test_mbuf_from(&tm, frame, len);
	/* Any stale value must be overwritten by the classifier. */
	m->l2_len = 99;
	return m;
}

START_TEST(test_ipv4_to_our_mac)
{
	struct rte_mbuf *m = eth_frame(&fp_test_mac, RTE_ETHER_TYPE_IPV4, 60);
	enum fp_drop why = FP_DROP_MAX;

	ck_assert_int_eq(fp_eth_classify(&ifc, m, &why), FP_PKT_IPV4);
	ck_assert_uint_eq(m->l2_len, sizeof(struct rte_ether_hdr));
	ck_assert_uint_eq(m->l2_len, 14);
	/* why is only written on a drop. */
	ck_assert_int_eq(why, FP_DROP_MAX);
}
END_TEST

START_TEST(test_arp_broadcast)
{
	struct rte_mbuf *m = eth_frame(&fp_test_bcast_mac, RTE_ETHER_TYPE_ARP, 60);
	enum fp_drop why = FP_DROP_MAX;

	ck_assert_int_eq(fp_eth_classify(&ifc, m, &why), FP_PKT_ARP);
	ck_assert_uint_eq(m->l2_len, 14);
}
END_TEST

START_TEST(test_arp_to_our_mac)
{
	struct rte_mbuf *m = eth_frame(&fp_test_mac, RTE_ETHER_TYPE_ARP, 60);
	enum fp_drop why = FP_DROP_MAX;

	ck_assert_int_eq(fp_eth_classify(&ifc, m, &why), FP_PKT_ARP);
	ck_assert_uint_eq(m->l2_len, 14);
}
END_TEST

/* RFC 1122 3.3.6: we serve only a unicast address, so IPv4 that came on
 * the Ethernet broadcast is dropped.
 */
START_TEST(test_ipv4_broadcast)
{
	struct rte_mbuf *m = eth_frame(&fp_test_bcast_mac, RTE_ETHER_TYPE_IPV4, 60);
	enum fp_drop why = FP_DROP_MAX;

	ck_assert_int_eq(fp_eth_classify(&ifc, m, &why), FP_PKT_DROP);
	ck_assert_int_eq(why, FP_DROP_ipv4_link_bcast);
}
END_TEST

/* A reply goes to the source MAC, so a group source would make us reflect
 * traffic onto the LAN.
 */
static const struct rte_ether_addr group_srcs[] = {
	{ .addr_bytes = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff } },
	{ .addr_bytes = { 0x01, 0x00, 0x5e, 0x00, 0x00, 0x01 } },
	{ .addr_bytes = { 0x33, 0x33, 0x00, 0x00, 0x00, 0x01 } },
};

START_TEST(test_group_source)
{
	static const uint16_t types[] = { RTE_ETHER_TYPE_IPV4, RTE_ETHER_TYPE_ARP };
	struct rte_mbuf *m;
	enum fp_drop why;
	unsigned int t;

	for (t = 0; t < RTE_DIM(types); t++) {
		m = eth_frame(&fp_test_mac, types[t], 60);
		rte_pktmbuf_mtod(m, struct rte_ether_hdr *)->src_addr = group_srcs[_i];
		why = FP_DROP_MAX;
		ck_assert_int_eq(fp_eth_classify(&ifc, m, &why), FP_PKT_DROP);
		ck_assert_int_eq(why, FP_DROP_eth_bad_src);
	}
}
END_TEST

/* A header alone, with nothing after it, is still a header. */
START_TEST(test_exact_header)
{
	struct rte_mbuf *m = eth_frame(&fp_test_mac, RTE_ETHER_TYPE_IPV4, 14);
	enum fp_drop why = FP_DROP_MAX;

	ck_assert_int_eq(fp_eth_classify(&ifc, m, &why), FP_PKT_IPV4);
}
END_TEST

static const struct rte_ether_addr other_macs[] = {
	{ .addr_bytes = { 0x02, 0x00, 0x00, 0x00, 0x00, 0x03 } },	/* another host */
	{ .addr_bytes = { 0x02, 0x00, 0x00, 0x00, 0x00, 0x0a } },	/* the peer */
	{ .addr_bytes = { 0x03, 0x00, 0x00, 0x00, 0x00, 0x02 } },	/* ours + group bit */
	{ .addr_bytes = { 0x01, 0x00, 0x5e, 0x00, 0x00, 0x01 } },	/* IPv4 multicast */
	{ .addr_bytes = { 0x33, 0x33, 0x00, 0x00, 0x00, 0x01 } },	/* IPv6 multicast */
	{ .addr_bytes = { 0x00, 0x00, 0x00, 0x00, 0x00, 0x00 } },
	{ .addr_bytes = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xfe } },	/* almost broadcast */
};

START_TEST(test_not_for_us)
{
	struct rte_mbuf *m = eth_frame(&other_macs[_i], RTE_ETHER_TYPE_IPV4, 60);
	enum fp_drop why = FP_DROP_MAX;

	ck_assert_int_eq(fp_eth_classify(&ifc, m, &why), FP_PKT_DROP);
	ck_assert_int_eq(why, FP_DROP_eth_not_for_us);
}
END_TEST

START_TEST(test_runt)
{
	/* _i is the frame length: 0 to 13 bytes. */
	struct rte_mbuf *m = eth_frame(&fp_test_mac, RTE_ETHER_TYPE_IPV4, _i);
	enum fp_drop why = FP_DROP_MAX;

	ck_assert_int_eq(fp_eth_classify(&ifc, m, &why), FP_PKT_DROP);
	ck_assert_int_eq(why, FP_DROP_eth_runt);
}
END_TEST

static const uint16_t other_types[] = {
	RTE_ETHER_TYPE_IPV6,
	RTE_ETHER_TYPE_VLAN,
	RTE_ETHER_TYPE_QINQ,
	RTE_ETHER_TYPE_RARP,
	RTE_ETHER_TYPE_LLDP,
	0x0060,			/* an 802.3 length field, not a type */
	0x0008,			/* IPv4 in the wrong byte order */
	0x0608,			/* ARP in the wrong byte order */
};

START_TEST(test_unknown_type)
{
	struct rte_mbuf *m = eth_frame(&fp_test_mac, other_types[_i], 60);
	enum fp_drop why = FP_DROP_MAX;

	ck_assert_int_eq(fp_eth_classify(&ifc, m, &why), FP_PKT_DROP);
	ck_assert_int_eq(why, FP_DROP_eth_unknown_type);
}
END_TEST

START_TEST(test_turnaround)
{
	struct rte_mbuf *m = eth_frame(&fp_test_bcast_mac, RTE_ETHER_TYPE_ARP, 60);
	struct rte_ether_hdr *eh = rte_pktmbuf_mtod(m, struct rte_ether_hdr *);

	fp_eth_turnaround(&ifc, eh);
	ck_assert(rte_is_same_ether_addr(&eh->dst_addr, &fp_test_peer_mac));
	ck_assert(rte_is_same_ether_addr(&eh->src_addr, &fp_test_mac));
	ck_assert_uint_eq(rte_be_to_cpu_16(eh->ether_type), RTE_ETHER_TYPE_ARP);
	ck_assert_uint_eq(m->data_len, 60);
}
END_TEST

Suite *
eth_suite(void)
{
	Suite *s = suite_create("eth");
	TCase *tc;

	tc = tcase_create("classify");
	tcase_add_checked_fixture(tc, eth_setup, NULL);
	tcase_add_test(tc, test_ipv4_to_our_mac);
	tcase_add_test(tc, test_arp_broadcast);
	tcase_add_test(tc, test_arp_to_our_mac);
	tcase_add_test(tc, test_ipv4_broadcast);
	tcase_add_loop_test(tc, test_group_source, 0, RTE_DIM(group_srcs));
	tcase_add_test(tc, test_exact_header);
	tcase_add_loop_test(tc, test_not_for_us, 0, RTE_DIM(other_macs));
	tcase_add_loop_test(tc, test_runt, 0, sizeof(struct rte_ether_hdr));
	tcase_add_loop_test(tc, test_unknown_type, 0, RTE_DIM(other_types));
	tcase_add_test(tc, test_turnaround);
	suite_add_tcase(s, tc);
	return s;
}
