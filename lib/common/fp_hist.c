/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The fastpath authors
 */

#include <string.h>

#include "fp_hist.h"

void
fp_hist_reset(struct fp_hist *h)
{
	memset(h, 0, sizeof(*h));
	h->min = UINT64_MAX;
}

void
fp_hist_merge(struct fp_hist *dst, const struct fp_hist *src)
{
	unsigned int i;

	for (i = 0; i < FP_HIST_BUCKETS; i++)
		dst->b[i] += src->b[i];
	dst->n += src->n;
	dst->sum += src->sum;
	if (src->min < dst->min)
		dst->min = src->min;
	if (src->max > dst->max)
		dst->max = src->max;
}

void
fp_hist_bucket_range(unsigned int i, uint64_t *lo, uint64_t *hi)
{
	unsigned int e;

	if (i < FP_HIST_SUB) {
		*lo = *hi = i;
		return;
	}
	e = i / FP_HIST_SUB + FP_HIST_SUB_BITS - 1;
	*lo = (uint64_t)(FP_HIST_SUB + i % FP_HIST_SUB) << (e - FP_HIST_SUB_BITS);
	*hi = *lo + ((uint64_t)1 << (e - FP_HIST_SUB_BITS)) - 1;
}

uint64_t
fp_hist_quantile(const struct fp_hist *h, double q)
{
	uint64_t rank, seen = 0, lo, hi;
	unsigned int i;
	double r;

	if (h->n == 0)
		return 0;
	if (q <= 0)
		return h->min;
	r = q * (double)h->n;
	rank = (uint64_t)r;
	if ((double)rank < r)
		rank++;
	if (rank > h->n)
		rank = h->n;
	for (i = 0; i < FP_HIST_BUCKETS; i++) {
		seen += h->b[i];
		if (seen >= rank)
			break;
	}
	fp_hist_bucket_range(i < FP_HIST_BUCKETS ? i : FP_HIST_BUCKETS - 1, &lo, &hi);
	if (hi > h->max)
		hi = h->max;
	if (hi < h->min)
		hi = h->min;
	return hi;
}
