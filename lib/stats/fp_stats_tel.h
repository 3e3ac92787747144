/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The fastpath authors
 */

#ifndef FP_STATS_TEL_H
#define FP_STATS_TEL_H

/* Helpers for the telemetry commands each module registers for its own
 * counters (/fastpath/tcp in lib/tcp, /fastpath/http in lib/http, the rest
 * in lib/ctrl). Telemetry prints two levels of containers and takes only
 * letters, digits, '_' and '/' in names.
 */

#include <stdint.h>

struct rte_tel_data;

/* A new dict, or NULL. */
struct rte_tel_data *
fp_tel_dict(void);

/* Adds the container c (from fp_tel_dict(), may be NULL) to the dict d under
 * name, or frees it. Returns 0, or -ENOMEM when c is NULL or did not fit.
 */
int
fp_tel_put(struct rte_tel_data *d, const char *name, struct rte_tel_data *c);

/* Adds every name in names[0, n) that starts with prefix to d, without the
 * prefix, with its value in vals.
 */
void
fp_tel_add_prefixed(struct rte_tel_data *d, const char *const *names, const uint64_t *vals,
	unsigned int n, const char *prefix);

#endif /* FP_STATS_TEL_H */
