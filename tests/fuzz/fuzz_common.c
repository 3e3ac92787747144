/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The fastpath authors
 */

#include <stdio.h>
#include <unistd.h>

#include <rte_common.h>
#include <rte_eal.h>
#include <rte_errno.h>

#include "fuzz_common.h"

void
fp_fuzz_eal_up(const char *name)
{
	char prefix[64];
	/* --in-memory: refused with --no-huge (which implies --legacy-mem) by
	 * DPDK 22.11; --no-shconf is what it would add here.
	 */
	char *argv[] = {
		(char *)(uintptr_t)name, "--no-huge", "--no-pci", "--no-shconf", "-m", "256",
		"--no-telemetry", "--log-level=*:error", "--lcores=0", prefix,
	};

	snprintf(prefix, sizeof(prefix), "--file-prefix=%s_%d", name, (int)getpid());
	FP_FUZZ_CHECK(rte_eal_init(RTE_DIM(argv), argv) >= 0, "rte_eal_init: %s",
		rte_strerror(rte_errno));
	/* Nothing is shared: leave nothing in /var/run/dpdk. */
	rmdir(rte_eal_get_runtime_dir());
}
