/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The fastpath authors
 */

#ifndef FUZZ_PREFIX_H
#define FUZZ_PREFIX_H

/* The check the head parsers' harnesses share: a parser over (buf, len)
 * must answer every prefix of an input as the input met split over
 * segments would. A complete head (whole >= 0): -2 before its end, its
 * length after; incomplete (-2): -2 throughout; an error (-1): -2, then -1
 * from some point on. Each prefix sits in a buffer of its exact size, so
 * AddressSanitizer sees a read past len.
 */

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static inline void
fuzz_prefixes(const uint8_t *data, size_t size, int whole,
	int (*parse)(const char *buf, size_t len, void *out), void *out)
{
	int ret, seen_err = 0;
	size_t k;

	for (k = 0; k < size; k++) {
		uint8_t *copy = malloc(k + 1);

		if (copy == NULL)
			abort();
		memcpy(copy, data, k);
		ret = parse((const char *)copy, k, out);
		free(copy);
		if (whole >= 0) {
			if (k < (size_t)whole ? ret != -2 : ret != whole)
				abort();
		} else if (whole == -2) {
			if (ret != -2)
				abort();
		} else {
			if ((ret != -2 && ret != -1) || (seen_err && ret == -2))
				abort();
			seen_err |= ret == -1;
		}
	}
}

#endif /* FUZZ_PREFIX_H */
