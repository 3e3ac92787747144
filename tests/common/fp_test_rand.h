/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The fastpath authors
 */

#ifndef FP_TEST_RAND_H
#define FP_TEST_RAND_H

/* Random inputs for the parsers' tests: plain C, no DPDK. */

#include <stddef.h>
#include <stdint.h>

/* A small deterministic generator (xorshift64), the same on every libc. */
uint64_t
fp_test_rng(uint64_t *s);

/* Mutates buf (*len bytes, room at most) once, at random: a byte replaced,
 * inserted or removed, or the tail cut; the new byte is from specials half
 * the time.
 */
void
fp_test_mutate(char *buf, size_t *len, size_t room, uint64_t *rng, const char *specials,
	size_t nb_specials);

#endif /* FP_TEST_RAND_H */
