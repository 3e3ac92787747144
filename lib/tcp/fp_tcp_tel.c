/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The fastpath authors
 */

#include <stdbool.h>
#include <string.h>

#include <rte_common.h>
#include <rte_telemetry.h>

#include "fp_stats.h"
#include "fp_stats_tel.h"
#include "fp_tcp_tel.h"

static int
fp_tcp_tel(const char *cmd __rte_unused, const char *params __rte_unused,
	struct rte_tel_data *d)
{
	struct rte_tel_data *states, *drops;
	uint64_t g[FP_G_MAX];
	struct fp_stats tot;
	unsigned int k;
	int ret;

	fp_stats_total(&tot);
	for (k = 0; k < FP_G_MAX; k++)
		g[k] = tot.g[k] > 0 ? tot.g[k] : 0;
	rte_tel_data_start_dict(d);
	states = fp_tel_dict();
	if (states != NULL) {
		for (k = 0; k < FP_G_MAX; k++)
			if (k != FP_G_tcp_conns && strncmp(fp_gauge_names[k], "tcp_", 4) == 0)
				rte_tel_data_add_dict_u64(states, fp_gauge_names[k] + 4, g[k]);
		rte_tel_data_add_dict_u64(states, "total", g[FP_G_tcp_conns]);
	}
	ret = fp_tel_put(d, "states", states);
	fp_tel_add_prefixed(d, fp_counter_names, tot.c, FP_C_MAX, "tcp_");
	drops = fp_tel_dict();
	if (drops != NULL)
		fp_tel_add_prefixed(drops, fp_drop_names, tot.drop, FP_DROP_MAX, "tcp_");
	if (ret != 0) {
		rte_tel_data_free(drops);
		return ret;
	}
	return fp_tel_put(d, "drops", drops);
}

int
fp_tcp_telemetry_init(void)
{
	static bool done;
	int ret;

	if (done)
		return 0;
	ret = rte_telemetry_register_cmd("/fastpath/tcp", fp_tcp_tel,
		"TCP: connections by state, opens, closes, retransmits, cookies, RSTs, drops");
	if (ret == 0)
		done = true;
	return ret;
}
