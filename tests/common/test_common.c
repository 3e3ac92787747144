/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The fastpath authors
 */

/* lib/common: the latency histogram (fp_hist). */

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <check.h>

#include "fp_hist.h"
#include "fp_test.h"

static struct fp_hist h, h2;

static int
cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* Buckets tile the whole range: each starts one past the previous one's
 * end, every value lands in the bucket whose range holds it, and no bucket
 * is wider than 1/32 of its lowest value.
 */
START_TEST(test_buckets_tile)
{
	uint64_t lo, hi, prev_hi = 0, v;
	unsigned int i, k;

	for (i = 0; i < FP_HIST_BUCKETS; i++) {
		fp_hist_bucket_range(i, &lo, &hi);
		if (i > 0)
			ck_assert_msg(lo == prev_hi + 1, "bucket %u starts at %" PRIu64, i, lo);
		ck_assert_uint_ge(hi, lo);
		if (lo >= FP_HIST_SUB)
			ck_assert_msg((hi - lo + 1) * FP_HIST_SUB <= lo, "bucket %u too wide", i);
		ck_assert_uint_eq(fp_hist_bucket(lo), i);
		ck_assert_uint_eq(fp_hist_bucket(hi), i);
		prev_hi = hi;
	}
	ck_assert(prev_hi == UINT64_MAX);
	for (k = 0; k < 100000; k++) {
		v = ((uint64_t)random() << 33) ^ ((uint64_t)random() << 11) ^ (uint64_t)random();
		v >>= random() % 64;
		fp_hist_bucket_range(fp_hist_bucket(v), &lo, &hi);
		ck_assert(lo <= v && v <= hi);
	}
}
END_TEST

/* Quantiles against the exact ones of sorted values: never below them, and
 * at most a bucket's width (1/32) above.
 */
START_TEST(test_quantiles)
{
	static const double qs[] = { 0.5, 0.9, 0.99, 0.999, 1.0 };
	enum { N = 20000 };
	static uint64_t v[N];
	uint64_t exact, got;
	unsigned int i;
	size_t idx;

	fp_hist_reset(&h);
	ck_assert_uint_eq(fp_hist_quantile(&h, 0.5), 0);
	srandom(7);
	for (i = 0; i < N; i++) {
		/* Mostly ~100 us, a tail to 50 ms. */
		v[i] = 50000 + (uint64_t)(random() % 100000);
		if (i % 100 == 0)
			v[i] = (uint64_t)(random() % 50000000);
		fp_hist_add(&h, v[i]);
	}
	qsort(v, N, sizeof(v[0]), cmp_u64);
	ck_assert_uint_eq(h.n, N);
	ck_assert_uint_eq(h.min, v[0]);
	ck_assert_uint_eq(h.max, v[N - 1]);
	for (i = 0; i < sizeof(qs) / sizeof(qs[0]); i++) {
		idx = (size_t)(qs[i] * N + 0.999999) - 1;
		exact = v[idx];
		got = fp_hist_quantile(&h, qs[i]);
		ck_assert_msg(got >= exact && got - exact <= exact / FP_HIST_SUB + 1,
			"q %.3f: %" PRIu64 ", exact %" PRIu64, qs[i], got, exact);
	}
	ck_assert_uint_eq(fp_hist_quantile(&h, 1.0), v[N - 1]);
	ck_assert_uint_eq(fp_hist_quantile(&h, 0.0), v[0]);
}
END_TEST

/* Merging two halves gives the histogram of the whole. */
START_TEST(test_merge)
{
	static struct fp_hist whole;
	unsigned int i;
	uint64_t v;

	fp_hist_reset(&h);
	fp_hist_reset(&h2);
	fp_hist_reset(&whole);
	for (i = 0; i < 1000; i++) {
		v = (uint64_t)i * i * 37;
		fp_hist_add(i % 2 ? &h : &h2, v);
		fp_hist_add(&whole, v);
	}
	fp_hist_merge(&h, &h2);
	ck_assert_uint_eq(h.n, whole.n);
	ck_assert_uint_eq(h.sum, whole.sum);
	ck_assert_uint_eq(h.min, whole.min);
	ck_assert_uint_eq(h.max, whole.max);
	ck_assert(memcmp(h.b, whole.b, sizeof(h.b)) == 0);
}
END_TEST

Suite *
common_suite(void)
{
	Suite *s = suite_create("common");
	TCase *tc = tcase_create("hist");

	tcase_add_test(tc, test_buckets_tile);
	tcase_add_test(tc, test_quantiles);
	tcase_add_test(tc, test_merge);
	suite_add_tcase(s, tc);
	return s;
}
