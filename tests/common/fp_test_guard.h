/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The fastpath authors
 */

#ifndef FP_TEST_GUARD_H
#define FP_TEST_GUARD_H

/* Input that ends right before a PROT_NONE page, so a parser that reads one
 * byte past what it was given faults. Plain C (and Check), no DPDK.
 */

#include <stddef.h>

/* The first byte of the guard page, once fp_test_guard_setup() ran. */
extern char *fp_test_guard_end;

/* Check fixtures: map the pages (four of data) and the guard, and unmap. */
void
fp_test_guard_setup(void);
void
fp_test_guard_teardown(void);

/* Copies len bytes so that they end at the guard page; returns the copy. */
const char *
fp_test_guarded(const void *data, size_t len);

#endif /* FP_TEST_GUARD_H */
