/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The fastpath authors
 */

#include <stdbool.h>
#include <string.h>

#include <rte_common.h>
#include <rte_telemetry.h>

#include "fp_http_tel.h"
#include "fp_stats.h"
#include "fp_stats_tel.h"

static int
fp_http_tel(const char *cmd __rte_unused, const char *params __rte_unused,
	struct rte_tel_data *d)
{
	struct rte_tel_data *methods, *cls, *codes, *errs;
	struct fp_stats tot;
	uint64_t req_s;
	unsigned int k;
	int ret;

	fp_stats_total(&tot);
	rte_tel_data_start_dict(d);
	rte_tel_data_add_dict_u64(d, "requests", tot.c[FP_C_http_requests]);
	/* The control plane's last whole second (0 while it is not running). */
	fp_stats_get_rates(NULL, NULL, &req_s);
	rte_tel_data_add_dict_u64(d, "requests_per_s", req_s);
	methods = fp_tel_dict();
	if (methods != NULL) {
		rte_tel_data_add_dict_u64(methods, "GET", tot.c[FP_C_http_get]);
		rte_tel_data_add_dict_u64(methods, "HEAD", tot.c[FP_C_http_head]);
		rte_tel_data_add_dict_u64(methods, "other", tot.c[FP_C_http_other_method]);
	}
	ret = fp_tel_put(d, "methods", methods);
	cls = fp_tel_dict();
	codes = fp_tel_dict();
	for (k = 0; k < FP_C_MAX && cls != NULL && codes != NULL; k++) {
		const char *n = fp_counter_names[k];

		/* http_2xx (a class) or http_404 (a code). */
		if (strncmp(n, "http_", 5) != 0 || strlen(n) != 8 || n[5] < '1' || n[5] > '5')
			continue;
		if (n[6] == 'x')
			rte_tel_data_add_dict_u64(cls, n + 5, tot.c[k]);
		else
			rte_tel_data_add_dict_u64(codes, n + 5, tot.c[k]);
	}
	if (ret == 0)
		ret = fp_tel_put(d, "status_class", cls);
	else
		rte_tel_data_free(cls);
	if (ret == 0)
		ret = fp_tel_put(d, "status", codes);
	else
		rte_tel_data_free(codes);
	errs = fp_tel_dict();
	if (errs != NULL)
		fp_tel_add_prefixed(errs, fp_counter_names, tot.c, FP_C_MAX, "http_err_");
	if (ret == 0)
		ret = fp_tel_put(d, "parse_errors", errs);
	else
		rte_tel_data_free(errs);
	rte_tel_data_add_dict_u64(d, "body_bytes_discarded", tot.c[FP_C_http_body_bytes_discarded]);
	rte_tel_data_add_dict_u64(d, "idle_closed", tot.c[FP_C_http_idle_closed]);
	rte_tel_data_add_dict_u64(d, "send_timeouts", tot.c[FP_C_http_send_timeouts]);
	rte_tel_data_add_dict_u64(d, "drain_closed", tot.c[FP_C_http_drain_closed]);
	rte_tel_data_add_dict_u64(d, "split_request_buffers",
		tot.g[FP_G_http_rxbufs] > 0 ? tot.g[FP_G_http_rxbufs] : 0);
	return ret;
}

int
fp_http_telemetry_init(void)
{
	static bool done;
	int ret;

	if (done)
		return 0;
	ret = rte_telemetry_register_cmd("/fastpath/http", fp_http_tel,
		"HTTP: requests by method, responses by status, errors by reason");
	if (ret == 0)
		done = true;
	return ret;
}
