/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The fastpath authors
 */

/* Fault injection: each fault at its rate, from the seed, with every frame
 * accounted for (passed, freed, or held and freed at the end).
 */

#include <string.h>

#include <check.h>
#include <rte_mbuf.h>
#include <rte_mempool.h>

#include "fp_config.h"
#include "fp_fault.h"
#include "fp_stats.h"
#include "fp_test.h"

#define NB_MBUFS 2047

static struct rte_mempool *pool;
static struct fp_config cfg;
static struct fp_stats st;
static struct fp_fault *f;

static void
eal_up(void)
{
	fp_test_eal_up("fp_unit_fault");
}

static void
fault_setup(void)
{
	static unsigned int seq;
	char name[RTE_MEMPOOL_NAMESIZE];

	snprintf(name, sizeof(name), "fp_fault_%u", seq++);
	pool = rte_pktmbuf_pool_create(name, NB_MBUFS, 0, 0, RTE_MBUF_DEFAULT_BUF_SIZE,
		SOCKET_ID_ANY);
	ck_assert_ptr_nonnull(pool);
	ck_assert_int_eq(fp_config_defaults(&cfg), 0);
	cfg.fault_enabled = true;
	memset(&st, 0, sizeof(st));
	f = calloc(1, sizeof(*f));
	ck_assert_ptr_nonnull(f);
}

static void
fault_teardown(void)
{
	fp_fault_free(f);
	free(f);
	ck_assert_uint_eq(rte_mempool_in_use_count(pool), 0);
	rte_mempool_free(pool);
}

/* A burst of n frames, each carrying its number. */
static void
burst(struct rte_mbuf **pkts, uint16_t n, uint32_t first)
{
	uint16_t i;

	for (i = 0; i < n; i++) {
		pkts[i] = rte_pktmbuf_alloc(pool);
		ck_assert_ptr_nonnull(pkts[i]);
		*(uint32_t *)rte_pktmbuf_append(pkts[i], 4) = first + i;
	}
}

static uint32_t
num(const struct rte_mbuf *m)
{
	return *rte_pktmbuf_mtod(m, const uint32_t *);
}

static void
free_all(struct rte_mbuf **pkts, uint16_t n)
{
	rte_pktmbuf_free_bulk(pkts, n);
}

/* Off: frames pass untouched and in order. */
START_TEST(test_off_passes)
{
	struct rte_mbuf *pkts[32];
	uint16_t n, i;

	fp_fault_init(f, &cfg, 0);
	burst(pkts, 32, 0);
	n = fp_fault_apply(f, FP_FAULT_RX, pkts, 32, 32, 1, &st);
	ck_assert_uint_eq(n, 32);
	for (i = 0; i < n; i++)
		ck_assert_uint_eq(num(pkts[i]), i);
	free_all(pkts, n);
}
END_TEST

/* Drops at 5% over 20,000 frames: within 4 to 6%, counted, freed; the same
 * seed drops the same frames, another seed others.
 */
START_TEST(test_drop_rate_and_seed)
{
	struct rte_mbuf *pkts[32];
	uint32_t dropped[3], first_kept[3], k, r;
	uint16_t n;

	for (r = 0; r < 3; r++) {
		cfg.fault_seed = r == 2 ? 7 : 1;
		cfg.fault_tx_drop = 50000;
		fp_fault_init(f, &cfg, 0);
		memset(&st, 0, sizeof(st));
		first_kept[r] = 0;
		for (k = 0; k < 20000 / 32; k++) {
			burst(pkts, 32, k * 32);
			n = fp_fault_apply(f, FP_FAULT_TX, pkts, 32, 32, 1, &st);
			first_kept[r] = first_kept[r] * 31 + n;
			free_all(pkts, n);
		}
		dropped[r] = st.c[FP_C_fault_tx_dropped];
		ck_assert_uint_ge(dropped[r], 20000 / 32 * 32 * 4 / 100);
		ck_assert_uint_le(dropped[r], 20000 / 32 * 32 * 6 / 100);
		ck_assert_uint_eq(st.c[FP_C_fault_rx_dropped], 0);
	}
	ck_assert_uint_eq(dropped[0], dropped[1]);
	ck_assert_uint_eq(first_kept[0], first_kept[1]);
	ck_assert_uint_ne(first_kept[0], first_kept[2]);
}
END_TEST

/* Every frame duplicated: each followed by an identical copy. */
START_TEST(test_dup)
{
	struct rte_mbuf *pkts[64];
	uint16_t n, i;

	cfg.fault_rx_dup = 1000000;
	fp_fault_init(f, &cfg, 0);
	burst(pkts, 16, 100);
	n = fp_fault_apply(f, FP_FAULT_RX, pkts, 16, 64, 1, &st);
	ck_assert_uint_eq(n, 32);
	for (i = 0; i < n; i++)
		ck_assert_uint_eq(num(pkts[i]), 100 + i / 2);
	ck_assert_ptr_ne(pkts[0], pkts[1]);
	ck_assert_uint_eq(st.c[FP_C_fault_duplicated], 16);
	free_all(pkts, n);
	/* No room for the copies: the excess is freed and counted. */
	burst(pkts, 16, 0);
	n = fp_fault_apply(f, FP_FAULT_RX, pkts, 16, 20, 1, &st);
	ck_assert_uint_eq(n, 20);
	ck_assert_uint_eq(st.c[FP_C_fault_rx_dropped], 12);
	free_all(pkts, n);
}
END_TEST

/* Reordered: a held frame leaves behind the next one. */
START_TEST(test_reorder)
{
	struct rte_mbuf *pkts[64];
	uint32_t swaps = 0, in = 0, out = 0, k;
	uint16_t n, i;

	cfg.fault_tx_reorder = 200000;
	fp_fault_init(f, &cfg, 0);
	for (k = 0; k < 100; k++) {
		burst(pkts, 32, k * 32);
		in += 32;
		n = fp_fault_apply(f, FP_FAULT_TX, pkts, 32, 64, 1, &st);
		out += n;
		for (i = 0; i + 1 < n; i++)
			if (num(pkts[i]) > num(pkts[i + 1]))
				swaps++;
		free_all(pkts, n);
		/* At most one frame is held at a time. */
		ck_assert_uint_le(in - out, 1);
	}
	ck_assert_uint_gt(st.c[FP_C_fault_reordered], 100 * 32 / 10);
	ck_assert_uint_gt(swaps, 0);
	ck_assert_uint_eq(st.c[FP_C_fault_tx_dropped], 0);

}
END_TEST

/* With no frame after it, a held frame still leaves FP_FAULT_HOLD_MS later
 * (a quiet wire kept it for ever: an mbuf short of the baseline).
 */
START_TEST(test_reorder_alone)
{
	struct rte_mbuf *pkts[4];
	uint16_t n;

	cfg.fault_rx_reorder = 1000000;
	fp_fault_init(f, &cfg, 0);
	burst(pkts, 1, 7);
	n = fp_fault_apply(f, FP_FAULT_RX, pkts, 1, 4, 100, &st);
	ck_assert_uint_eq(n, 0);
	n = fp_fault_apply(f, FP_FAULT_RX, pkts, 0, 4, 100 + FP_FAULT_HOLD_MS - 1, &st);
	ck_assert_uint_eq(n, 0);
	n = fp_fault_apply(f, FP_FAULT_RX, pkts, 0, 4, 100 + FP_FAULT_HOLD_MS, &st);
	ck_assert_uint_eq(n, 1);
	ck_assert_uint_eq(num(pkts[0]), 7);
	free_all(pkts, n);
}
END_TEST

/* Delayed: nothing before its time, all of it after, in order. */
START_TEST(test_delay)
{
	struct rte_mbuf *pkts[32];
	uint16_t n, i;

	cfg.fault_rx_delay_ms = 10;
	fp_fault_init(f, &cfg, 0);
	burst(pkts, 8, 0);
	n = fp_fault_apply(f, FP_FAULT_RX, pkts, 8, 32, 100, &st);
	ck_assert_uint_eq(n, 0);
	burst(pkts, 8, 8);
	n = fp_fault_apply(f, FP_FAULT_RX, pkts, 8, 32, 105, &st);
	ck_assert_uint_eq(n, 0);
	n = fp_fault_apply(f, FP_FAULT_RX, pkts, 0, 32, 109, &st);
	ck_assert_uint_eq(n, 0);
	n = fp_fault_apply(f, FP_FAULT_RX, pkts, 0, 32, 110, &st);
	ck_assert_uint_eq(n, 8);
	for (i = 0; i < n; i++)
		ck_assert_uint_eq(num(pkts[i]), i);
	free_all(pkts, n);
	n = fp_fault_apply(f, FP_FAULT_RX, pkts, 0, 32, 115, &st);
	ck_assert_uint_eq(n, 8);
	free_all(pkts, n);
	ck_assert_uint_eq(st.c[FP_C_fault_delayed], 16);
	/* Held at the end: fp_fault_free gives them back (teardown checks). */
	burst(pkts, 4, 0);
	n = fp_fault_apply(f, FP_FAULT_RX, pkts, 4, 32, 200, &st);
	ck_assert_uint_eq(n, 0);
}
END_TEST

Suite *
fault_suite(void)
{
	Suite *s = suite_create("fault");
	TCase *tc;

	tc = tcase_create("faults");
	tcase_add_unchecked_fixture(tc, eal_up, NULL);
	tcase_add_checked_fixture(tc, fault_setup, fault_teardown);
	tcase_add_test(tc, test_off_passes);
	tcase_add_test(tc, test_drop_rate_and_seed);
	tcase_add_test(tc, test_dup);
	tcase_add_test(tc, test_reorder);
	tcase_add_test(tc, test_reorder_alone);
	tcase_add_test(tc, test_delay);
	suite_add_tcase(s, tc);
	return s;
}
