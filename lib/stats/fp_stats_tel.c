/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The fastpath authors
 */

#include <errno.h>
#include <string.h>

#include <rte_telemetry.h>

#include "fp_stats_tel.h"

struct rte_tel_data *
fp_tel_dict(void)
{
	struct rte_tel_data *c = rte_tel_data_alloc();

	if (c != NULL)
		rte_tel_data_start_dict(c);
	return c;
}

int
fp_tel_put(struct rte_tel_data *d, const char *name, struct rte_tel_data *c)
{
	if (c == NULL)
		return -ENOMEM;
	if (rte_tel_data_add_dict_container(d, name, c, 0) != 0) {
		rte_tel_data_free(c);
		return -ENOMEM;
	}
	return 0;
}

void
fp_tel_add_prefixed(struct rte_tel_data *d, const char *const *names, const uint64_t *vals,
	unsigned int n, const char *prefix)
{
	size_t len = strlen(prefix);
	unsigned int k;

	for (k = 0; k < n; k++)
		if (strncmp(names[k], prefix, len) == 0)
			rte_tel_data_add_dict_u64(d, names[k] + len, vals[k]);
}
