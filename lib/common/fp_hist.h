/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The fastpath authors
 */

#ifndef FP_HIST_H
#define FP_HIST_H

/* A log-linear histogram of 64-bit values (latencies in ns), as
 * HdrHistogram lays it out: values below 2^FP_HIST_SUB_BITS have a bucket
 * each; above, every power of two is cut into 2^FP_HIST_SUB_BITS equal
 * buckets, so a bucket is at most 1/32 (3.1%) of its values wide. Adding a
 * value is a few instructions and no branch on its size; the whole range of
 * uint64_t fits in 15 KB. Plain C, no DPDK.
 */

#include <stdint.h>

#define FP_HIST_SUB_BITS 5
#define FP_HIST_SUB (1u << FP_HIST_SUB_BITS)
#define FP_HIST_BUCKETS ((64 - FP_HIST_SUB_BITS + 1) * FP_HIST_SUB)

struct fp_hist {
	uint64_t n;
	uint64_t sum;
	uint64_t min;		/* UINT64_MAX while empty */
	uint64_t max;
	uint64_t b[FP_HIST_BUCKETS];
};

/* The bucket of v. */
static inline unsigned int
fp_hist_bucket(uint64_t v)
{
	unsigned int e;

	if (v < FP_HIST_SUB)
		return (unsigned int)v;
	e = 63 - (unsigned int)__builtin_clzll(v);	/* >= FP_HIST_SUB_BITS */
	return (e - FP_HIST_SUB_BITS + 1) * FP_HIST_SUB +
		(unsigned int)((v >> (e - FP_HIST_SUB_BITS)) & (FP_HIST_SUB - 1));
}

static inline void
fp_hist_add(struct fp_hist *h, uint64_t v)
{
	h->b[fp_hist_bucket(v)]++;
	h->n++;
	h->sum += v;
	if (v < h->min)
		h->min = v;
	if (v > h->max)
		h->max = v;
}

/* Empties h. */
void
fp_hist_reset(struct fp_hist *h);

/* Adds src's values to dst. */
void
fp_hist_merge(struct fp_hist *dst, const struct fp_hist *src);

/* The smallest and largest value bucket i holds. */
void
fp_hist_bucket_range(unsigned int i, uint64_t *lo, uint64_t *hi);

/* The value at quantile q (0 to 1): the highest value of the bucket where
 * the ceil(q * n)-th smallest value lies, but no more than the largest
 * value added (and no less than the smallest). 0 when h is empty.
 */
uint64_t
fp_hist_quantile(const struct fp_hist *h, double q);

#endif /* FP_HIST_H */
