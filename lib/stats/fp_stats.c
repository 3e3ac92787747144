/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The fastpath authors
 */

#include <errno.h>
#include <string.h>

#include <rte_cycles.h>
#include <rte_lcore.h>
#include <rte_mempool.h>
#include <rte_telemetry.h>

#include "fp_common.h"
#include "fp_stats.h"
#include "fp_stats_tel.h"

#define FP_STATS_NAME(name, help) #name,

const char *const fp_counter_names[FP_C_MAX] = {
	FP_STATS_LIST(FP_STATS_NAME, FP_STATS_SKIP)
};

const char *const fp_drop_names[FP_DROP_MAX] = {
	FP_STATS_LIST(FP_STATS_SKIP, FP_STATS_NAME)
};

const char *const fp_gauge_names[FP_G_MAX] = {
	FP_GAUGE_LIST(FP_STATS_NAME)
};

/* Written by the main thread before workers start, read by telemetry. */
static struct {
	struct fp_stats *st;
	struct rte_mempool *pool[FP_STATS_POOLS];
} fp_reg[RTE_MAX_LCORE];
/* The number of registrations, and the telemetry callbacks reading them. */
static struct fp_guard fp_reg_guard;
/* rx_pps, tx_pps, requests_per_s: written by the control thread. */
static uint64_t fp_rates[3];
/* When the counters were first registered. */
static uint64_t fp_start_tsc;

void
fp_stats_set_rates(uint64_t rx_pps, uint64_t tx_pps, uint64_t requests_per_s)
{
	__atomic_store_n(&fp_rates[0], rx_pps, __ATOMIC_RELAXED);
	__atomic_store_n(&fp_rates[1], tx_pps, __ATOMIC_RELAXED);
	__atomic_store_n(&fp_rates[2], requests_per_s, __ATOMIC_RELAXED);
}

void
fp_stats_get_rates(uint64_t *rx_pps, uint64_t *tx_pps, uint64_t *requests_per_s)
{
	if (rx_pps != NULL)
		*rx_pps = __atomic_load_n(&fp_rates[0], __ATOMIC_RELAXED);
	if (tx_pps != NULL)
		*tx_pps = __atomic_load_n(&fp_rates[1], __ATOMIC_RELAXED);
	if (requests_per_s != NULL)
		*requests_per_s = __atomic_load_n(&fp_rates[2], __ATOMIC_RELAXED);
}

int
fp_stats_register(struct fp_stats *st, struct rte_mempool *pool)
{
	return fp_stats_register_pools(st, &pool, 1);
}

int
fp_stats_register_pools(struct fp_stats *st, struct rte_mempool *const *pools,
	unsigned int nb_pools)
{
	unsigned int n = __atomic_load_n(&fp_reg_guard.word, __ATOMIC_RELAXED), i;

	if (st == NULL || nb_pools > FP_STATS_POOLS)
		return -EINVAL;
	if (n == RTE_DIM(fp_reg))
		return -ENOSPC;
	if (n == 0 && fp_start_tsc == 0)
		fp_start_tsc = rte_get_tsc_cycles();
	fp_reg[n].st = st;
	for (i = 0; i < FP_STATS_POOLS; i++)
		fp_reg[n].pool[i] = i < nb_pools ? pools[i] : NULL;
	fp_guard_publish(&fp_reg_guard, n + 1);
	return 0;
}

void
fp_stats_unregister_all(void)
{
	fp_guard_retire(&fp_reg_guard);
}

static void
fp_stats_sum(unsigned int n, struct fp_stats *out)
{
	unsigned int i, k;

	memset(out, 0, sizeof(*out));
	for (i = 0; i < n; i++) {
		const struct fp_stats *st = fp_reg[i].st;

		for (k = 0; k < FP_C_MAX; k++)
			out->c[k] += __atomic_load_n(&st->c[k], __ATOMIC_RELAXED);
		for (k = 0; k < FP_DROP_MAX; k++)
			out->drop[k] += __atomic_load_n(&st->drop[k], __ATOMIC_RELAXED);
		for (k = 0; k < FP_G_MAX; k++)
			out->g[k] += __atomic_load_n(&st->g[k], __ATOMIC_RELAXED);
	}
}

static uint64_t
fp_stats_in_use(unsigned int n)
{
	uint64_t used = 0;
	unsigned int i, j;

	for (i = 0; i < n; i++)
		for (j = 0; j < FP_STATS_POOLS; j++)
			if (fp_reg[i].pool[j] != NULL)
				used += rte_mempool_in_use_count(fp_reg[i].pool[j]);
	return used;
}

void
fp_stats_total(struct fp_stats *out)
{
	unsigned int n = fp_guard_enter(&fp_reg_guard);

	fp_stats_sum(n, out);
	fp_guard_exit(&fp_reg_guard);
}


static int
fp_tel_stats(const char *cmd __rte_unused, const char *params __rte_unused,
	struct rte_tel_data *d)
{
	struct rte_tel_data *drops;
	struct fp_stats tot;
	uint64_t drop_total = 0, in_use, rx_pps, tx_pps, req_s;
	unsigned int k, n;

	drops = fp_tel_dict();
	if (drops == NULL)
		return -ENOMEM;
	n = fp_guard_enter(&fp_reg_guard);
	fp_stats_sum(n, &tot);
	in_use = fp_stats_in_use(n);
	fp_guard_exit(&fp_reg_guard);
	rte_tel_data_start_dict(d);
	for (k = 0; k < FP_C_MAX; k++)
		rte_tel_data_add_dict_u64(d, fp_counter_names[k], tot.c[k]);
	for (k = 0; k < FP_DROP_MAX; k++) {
		rte_tel_data_add_dict_u64(drops, fp_drop_names[k], tot.drop[k]);
		drop_total += tot.drop[k];
	}
	/* A gauge summed over workers while they move may be briefly off by
	 * one; never negative.
	 */
	for (k = 0; k < FP_G_MAX; k++)
		rte_tel_data_add_dict_u64(d, fp_gauge_names[k], tot.g[k] > 0 ? tot.g[k] : 0);
	rte_tel_data_add_dict_u64(d, "drops_total", drop_total);
	rte_tel_data_add_dict_u64(d, "mbufs_in_use", in_use);
	rte_tel_data_add_dict_u64(d, "workers", n);
	rte_tel_data_add_dict_u64(d, "uptime_s", (rte_get_tsc_cycles() - fp_start_tsc) /
		rte_get_tsc_hz());
	/* What busy cycles count in, for turning them into time. */
	rte_tel_data_add_dict_u64(d, "tsc_hz", rte_get_tsc_hz());
	fp_stats_get_rates(&rx_pps, &tx_pps, &req_s);
	rte_tel_data_add_dict_u64(d, "rx_pps", rx_pps);
	rte_tel_data_add_dict_u64(d, "tx_pps", tx_pps);
	rte_tel_data_add_dict_u64(d, "requests_per_s", req_s);
	return fp_tel_put(d, "drops", drops);
}

static int
fp_tel_mempool(const char *cmd __rte_unused, const char *params __rte_unused,
	struct rte_tel_data *d)
{
	unsigned int n = fp_guard_enter(&fp_reg_guard);
	unsigned int i;
	int ret = 0;

	rte_tel_data_start_dict(d);
	for (i = 0; i < n * FP_STATS_POOLS && ret == 0; i++) {
		struct rte_mempool *mp = fp_reg[i / FP_STATS_POOLS].pool[i % FP_STATS_POOLS];
		struct rte_tel_data *p;

		if (mp == NULL)
			continue;
		p = fp_tel_dict();
		if (p == NULL) {
			ret = -ENOMEM;
			break;
		}
		rte_tel_data_add_dict_u64(p, "size", mp->size);
		rte_tel_data_add_dict_u64(p, "in_use", rte_mempool_in_use_count(mp));
		rte_tel_data_add_dict_u64(p, "free", rte_mempool_avail_count(mp));
		ret = fp_tel_put(d, mp->name, p);
	}
	fp_guard_exit(&fp_reg_guard);
	return ret;
}

int
fp_stats_telemetry_init(void)
{
	int ret;

	ret = rte_telemetry_register_cmd("/fastpath/stats", fp_tel_stats,
		"Totals over all workers: counters, mbufs in use and drops by reason");
	if (ret == 0)
		ret = rte_telemetry_register_cmd("/fastpath/mempool", fp_tel_mempool,
			"Per-worker mbuf pools: size, in use and free");
	if (ret != 0)
		FP_LOG(ERR, stats, "cannot register telemetry commands: %s", strerror(-ret));
	return ret;
}
