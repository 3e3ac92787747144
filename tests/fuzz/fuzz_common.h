/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The fastpath authors
 */

#ifndef FUZZ_COMMON_H
#define FUZZ_COMMON_H

/* What the harnesses over DPDK mbufs share: a property check that says
 * which failed before it aborts (libFuzzer then keeps the input), and EAL.
 */

#include <stdio.h>
#include <stdlib.h>

#define FP_FUZZ_CHECK(cond, fmt, ...) do { \
	if (!(cond)) { \
		fprintf(stderr, "%s:%d: %s: " fmt "\n", __FILE__, __LINE__, #cond, \
			##__VA_ARGS__); \
		abort(); \
	} \
} while (0)

/* Starts EAL once, from LLVMFuzzerInitialize: no hugepages, no PCI, no
 * device, no shared files, one lcore; aborts when it does not start.
 */
void
fp_fuzz_eal_up(const char *name);

#endif /* FUZZ_COMMON_H */
