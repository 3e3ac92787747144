/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The fastpath authors
 */

#include <errno.h>
#include <string.h>

#include "fp_stats.h"
#include "fp_test.h"

/* Registrations are global: every test starts and ends with none. */
static void
stats_setup(void)
{
	fp_stats_unregister_all();
}

static void
stats_teardown(void)
{
	fp_stats_unregister_all();
}

/* Spelled out by hand, so a slip in the X-macro shows up. */
#define FP_EXPECT(e, name) [e##name] = #name

START_TEST(test_counter_names)
{
	static const char *const want[FP_C_MAX] = {
		FP_EXPECT(FP_C_, rx_packets),
		FP_EXPECT(FP_C_, rx_bytes),
		FP_EXPECT(FP_C_, tx_packets),
		FP_EXPECT(FP_C_, tx_bytes),
		FP_EXPECT(FP_C_, arp_requests),
		FP_EXPECT(FP_C_, arp_replies),
		FP_EXPECT(FP_C_, arp_learned),
		FP_EXPECT(FP_C_, garp_sent),
		FP_EXPECT(FP_C_, ipv4_packets),
		FP_EXPECT(FP_C_, icmp_echo_requests),
		FP_EXPECT(FP_C_, icmp_echo_replies),
	};
	unsigned int i, j;

	ck_assert_str_eq(fp_counter_names[FP_C_rx_packets], "rx_packets");
	for (i = 0; i < FP_C_MAX; i++) {
		ck_assert_ptr_nonnull(fp_counter_names[i]);
		ck_assert_uint_gt(strlen(fp_counter_names[i]), 0);
		/* A counter added later has no row here; the others must match. */
		if (want[i] != NULL)
			ck_assert_str_eq(fp_counter_names[i], want[i]);
		for (j = 0; j < i; j++)
			ck_assert_str_ne(fp_counter_names[i], fp_counter_names[j]);
	}
}
END_TEST

START_TEST(test_drop_names)
{
	static const char *const want[FP_DROP_MAX] = {
		FP_EXPECT(FP_DROP_, eth_runt),
		FP_EXPECT(FP_DROP_, eth_not_for_us),
		FP_EXPECT(FP_DROP_, eth_unknown_type),
		FP_EXPECT(FP_DROP_, arp_truncated),
		FP_EXPECT(FP_DROP_, arp_bad_format),
		FP_EXPECT(FP_DROP_, arp_bad_op),
		FP_EXPECT(FP_DROP_, arp_bad_sender),
		FP_EXPECT(FP_DROP_, arp_not_for_us),
		FP_EXPECT(FP_DROP_, ipv4_truncated),
		FP_EXPECT(FP_DROP_, ipv4_bad_version),
		FP_EXPECT(FP_DROP_, ipv4_bad_ihl),
		FP_EXPECT(FP_DROP_, ipv4_bad_len),
		FP_EXPECT(FP_DROP_, ipv4_bad_csum),
		FP_EXPECT(FP_DROP_, ipv4_fragment),
		FP_EXPECT(FP_DROP_, ipv4_bad_src),
		FP_EXPECT(FP_DROP_, ipv4_not_for_us),
		FP_EXPECT(FP_DROP_, ipv4_unknown_proto),
		FP_EXPECT(FP_DROP_, icmp_truncated),
		FP_EXPECT(FP_DROP_, icmp_bad_csum),
		FP_EXPECT(FP_DROP_, icmp_unsupported),
		FP_EXPECT(FP_DROP_, tx_full),
	};
	unsigned int i, j;

	ck_assert_str_eq(fp_drop_names[FP_DROP_eth_runt], "eth_runt");
	for (i = 0; i < FP_DROP_MAX; i++) {
		ck_assert_ptr_nonnull(fp_drop_names[i]);
		ck_assert_uint_gt(strlen(fp_drop_names[i]), 0);
		if (want[i] != NULL)
			ck_assert_str_eq(fp_drop_names[i], want[i]);
		for (j = 0; j < i; j++)
			ck_assert_str_ne(fp_drop_names[i], fp_drop_names[j]);
		/* Telemetry shows both lists side by side. */
		for (j = 0; j < FP_C_MAX; j++)
			ck_assert_str_ne(fp_drop_names[i], fp_counter_names[j]);
	}
}
END_TEST

/* The handlers return drop reasons as ints >= 0 and FP_TX/FP_CONSUMED < 0. */
START_TEST(test_verdicts_disjoint)
{
	ck_assert_int_lt(FP_TX, 0);
	ck_assert_int_lt(FP_CONSUMED, 0);
	ck_assert_int_ne(FP_TX, FP_CONSUMED);
	ck_assert_int_eq(FP_DROP_eth_runt, 0);
}
END_TEST

START_TEST(test_count_helpers)
{
	struct fp_stats st;

	memset(&st, 0, sizeof(st));
	fp_count(&st, FP_C_rx_bytes, 60);
	fp_count(&st, FP_C_rx_bytes, 1514);
	fp_count_drop(&st, FP_DROP_ipv4_fragment);
	fp_count_drop(&st, FP_DROP_ipv4_fragment);
	ck_assert_uint_eq(st.c[FP_C_rx_bytes], 1574);
	ck_assert_uint_eq(st.c[FP_C_rx_packets], 0);
	ck_assert_uint_eq(st.drop[FP_DROP_ipv4_fragment], 2);
	ck_assert_uint_eq(st.drop[FP_DROP_ipv4_bad_src], 0);
}
END_TEST

START_TEST(test_total_sums_workers)
{
	static struct fp_stats w[3];
	struct fp_stats tot;
	unsigned int i, k;

	memset(w, 0, sizeof(w));
	for (i = 0; i < RTE_DIM(w); i++) {
		for (k = 0; k < FP_C_MAX; k++)
			w[i].c[k] = (i + 1) * 1000 + k;
		for (k = 0; k < FP_DROP_MAX; k++)
			w[i].drop[k] = (i + 1) * 100 + k;
		ck_assert_int_eq(fp_stats_register(&w[i], NULL), 0);
	}
	/* Poison: total must overwrite, not add to, what out held. */
	memset(&tot, 0xa5, sizeof(tot));
	fp_stats_total(&tot);
	for (k = 0; k < FP_C_MAX; k++)
		ck_assert_uint_eq(tot.c[k], 6000 + 3 * k);
	for (k = 0; k < FP_DROP_MAX; k++)
		ck_assert_uint_eq(tot.drop[k], 600 + 3 * k);

	/* Totals are read live, not copied at registration. */
	w[1].c[FP_C_rx_packets] += 5;
	w[2].drop[FP_DROP_tx_full] += 7;
	fp_stats_total(&tot);
	ck_assert_uint_eq(tot.c[FP_C_rx_packets], 6000 + 5);
	ck_assert_uint_eq(tot.drop[FP_DROP_tx_full], 600 + 3 * FP_DROP_tx_full + 7);
}
END_TEST

START_TEST(test_total_none_registered)
{
	struct fp_stats tot;
	unsigned int k;

	memset(&tot, 0xff, sizeof(tot));
	fp_stats_total(&tot);
	for (k = 0; k < FP_C_MAX; k++)
		ck_assert_uint_eq(tot.c[k], 0);
	for (k = 0; k < FP_DROP_MAX; k++)
		ck_assert_uint_eq(tot.drop[k], 0);
}
END_TEST

START_TEST(test_unregister_all_resets)
{
	static struct fp_stats a, b;
	struct fp_stats tot;

	memset(&a, 0, sizeof(a));
	memset(&b, 0, sizeof(b));
	a.c[FP_C_tx_packets] = 10;
	b.c[FP_C_tx_packets] = 20;
	ck_assert_int_eq(fp_stats_register(&a, NULL), 0);
	ck_assert_int_eq(fp_stats_register(&b, NULL), 0);
	fp_stats_total(&tot);
	ck_assert_uint_eq(tot.c[FP_C_tx_packets], 30);

	fp_stats_unregister_all();
	fp_stats_total(&tot);
	ck_assert_uint_eq(tot.c[FP_C_tx_packets], 0);

	/* Registering again starts from an empty list. */
	ck_assert_int_eq(fp_stats_register(&b, NULL), 0);
	fp_stats_total(&tot);
	ck_assert_uint_eq(tot.c[FP_C_tx_packets], 20);
}
END_TEST

START_TEST(test_register_null)
{
	static struct fp_stats a;
	struct fp_stats tot;

	memset(&a, 0, sizeof(a));
	a.c[FP_C_rx_packets] = 3;
	ck_assert_int_eq(fp_stats_register(NULL, NULL), -EINVAL);
	ck_assert_int_eq(fp_stats_register(&a, NULL), 0);
	/* The refused NULL took no slot, so the sum reads only a. */
	ck_assert_int_eq(fp_stats_register(NULL, NULL), -EINVAL);
	fp_stats_total(&tot);
	ck_assert_uint_eq(tot.c[FP_C_rx_packets], 3);
}
END_TEST

START_TEST(test_register_full)
{
	static struct fp_stats a;
	struct fp_stats tot;
	unsigned int i;

	memset(&a, 0, sizeof(a));
	a.c[FP_C_rx_packets] = 1;
	for (i = 0; i < RTE_MAX_LCORE; i++)
		ck_assert_int_eq(fp_stats_register(&a, NULL), 0);
	ck_assert_int_eq(fp_stats_register(&a, NULL), -ENOSPC);
	fp_stats_total(&tot);
	ck_assert_uint_eq(tot.c[FP_C_rx_packets], RTE_MAX_LCORE);
}
END_TEST

/* The control plane's rates read back as set; a NULL pointer skips one. */
START_TEST(test_rates)
{
	uint64_t rx = 1, tx = 1, req = 1;

	fp_stats_set_rates(10, 20, 30);
	fp_stats_get_rates(&rx, &tx, &req);
	ck_assert_uint_eq(rx, 10);
	ck_assert_uint_eq(tx, 20);
	ck_assert_uint_eq(req, 30);
	req = 0;
	fp_stats_get_rates(NULL, NULL, &req);
	ck_assert_uint_eq(req, 30);
	fp_stats_set_rates(0, 0, 0);
	fp_stats_get_rates(&rx, NULL, NULL);
	ck_assert_uint_eq(rx, 0);
}
END_TEST

Suite *
stats_suite(void)
{
	Suite *s = suite_create("stats");
	TCase *tc;

	tc = tcase_create("names");
	tcase_add_test(tc, test_counter_names);
	tcase_add_test(tc, test_drop_names);
	tcase_add_test(tc, test_verdicts_disjoint);
	tcase_add_test(tc, test_count_helpers);
	suite_add_tcase(s, tc);

	tc = tcase_create("registry");
	tcase_add_checked_fixture(tc, stats_setup, stats_teardown);
	tcase_add_test(tc, test_total_sums_workers);
	tcase_add_test(tc, test_total_none_registered);
	tcase_add_test(tc, test_unregister_all_resets);
	tcase_add_test(tc, test_register_null);
	tcase_add_test(tc, test_register_full);
	tcase_add_test(tc, test_rates);
	suite_add_tcase(s, tc);
	return s;
}
