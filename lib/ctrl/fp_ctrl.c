/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The fastpath authors
 */

#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rte_cycles.h>
#include <rte_lcore.h>
#include <rte_mempool.h>
#include <rte_seqlock.h>
#include <rte_telemetry.h>

#include "fp_ctrl.h"
#include "fp_http_tel.h"
#include "fp_ws.h"
#include "fp_stats.h"
#include "fp_stats_tel.h"
#include "fp_tcp.h"
#include "fp_tcp_tel.h"

#define FP_CTRL_ROUTES_PAGE 64
#define FP_CTRL_CONNS_DEFAULT 16
#define FP_CTRL_CONNS_WAIT_MS 200

/* What one worker did over the last second. */
struct fp_ctrl_rates {
	uint64_t rx_pps;
	uint64_t tx_pps;
	uint64_t req_s;
	uint64_t busy_pct;
	uint64_t cyc_pkt;	/* busy cycles per packet received */
	uint64_t cyc_req;	/* busy cycles per request answered */
};

/* The thread's previous reading of one worker. */
struct fp_ctrl_prev {
	uint64_t rx;
	uint64_t tx;
	uint64_t req;
	uint64_t busy;
};

static struct {
	struct fp_ctrl_params p;
	pthread_t thread;
	bool started;
	bool stop;
	/* Written by the control thread, read by telemetry callbacks. */
	rte_seqlock_t lock;
	struct fp_ctrl_rates rates[RTE_MAX_LCORE];
	struct fp_ctrl_rates total;
	/* The control thread's own. */
	struct fp_ctrl_prev prev[RTE_MAX_LCORE];
	uint64_t prev_tsc;
	uint64_t log_tsc;
	uint64_t log_drops;
	uint64_t log_req;
	uint64_t log_rx;
	uint64_t log_tx;
} fp_ctrl;

/* Telemetry callbacks run on DPDK's telemetry threads: word is 1 while
 * fp_ctrl may be read, and fp_ctrl_stop() waits for the callbacks reading.
 */
static struct fp_guard fp_ctrl_guard;

static bool
fp_ctrl_enter(void)
{
	return fp_guard_enter(&fp_ctrl_guard) != 0;
}

static void
fp_ctrl_exit(void)
{
	fp_guard_exit(&fp_ctrl_guard);
}

static inline uint64_t
fp_ld(const uint64_t *v)
{
	return __atomic_load_n(v, __ATOMIC_RELAXED);
}

static uint64_t
fp_ratio(uint64_t a, uint64_t b)
{
	return b == 0 ? 0 : (a + b / 2) / b;
}

static uint64_t
fp_per_s(uint64_t delta, uint64_t tsc, uint64_t hz)
{
	return tsc == 0 ? 0 : (uint64_t)((double)delta * hz / tsc + 0.5);
}

/* One second's reading: rates per worker and in total. */
static void
fp_ctrl_sample(uint64_t now)
{
	uint64_t hz = rte_get_tsc_hz(), dt = now - fp_ctrl.prev_tsc;
	struct fp_ctrl_rates r[RTE_MAX_LCORE], tot;
	struct fp_ctrl_prev *pv;
	const struct fp_stats *st;
	uint64_t rx, tx, req, busy, busy_sum = 0;
	unsigned int i, n = fp_ctrl.p.nb_lcores;

	memset(&tot, 0, sizeof(tot));
	for (i = 0; i < n; i++) {
		st = &fp_ctrl.p.lcores[i]->stats;
		pv = &fp_ctrl.prev[i];
		rx = fp_ld(&st->c[FP_C_rx_packets]);
		tx = fp_ld(&st->c[FP_C_tx_packets]);
		req = fp_ld(&st->c[FP_C_http_requests]);
		busy = fp_ld(&st->c[FP_C_busy_cycles]);
		r[i].rx_pps = fp_per_s(rx - pv->rx, dt, hz);
		r[i].tx_pps = fp_per_s(tx - pv->tx, dt, hz);
		r[i].req_s = fp_per_s(req - pv->req, dt, hz);
		r[i].busy_pct = dt == 0 ? 0 : RTE_MIN((busy - pv->busy) * 100 / dt, 100u);
		r[i].cyc_pkt = fp_ratio(busy - pv->busy, rx - pv->rx);
		r[i].cyc_req = fp_ratio(busy - pv->busy, req - pv->req);
		busy_sum += r[i].busy_pct;
		tot.rx_pps += r[i].rx_pps;
		tot.tx_pps += r[i].tx_pps;
		tot.req_s += r[i].req_s;
		*pv = (struct fp_ctrl_prev){ rx, tx, req, busy };
	}
	tot.busy_pct = n == 0 ? 0 : busy_sum / n;
	fp_ctrl.prev_tsc = now;

	rte_seqlock_write_lock(&fp_ctrl.lock);
	memcpy(fp_ctrl.rates, r, sizeof(r[0]) * n);
	fp_ctrl.total = tot;
	rte_seqlock_write_unlock(&fp_ctrl.lock);
	fp_stats_set_rates(tot.rx_pps, tot.tx_pps, tot.req_s);
}

static void
fp_ctrl_read_rates(struct fp_ctrl_rates *r, struct fp_ctrl_rates *tot)
{
	uint32_t sn;

	do {
		sn = rte_seqlock_read_begin(&fp_ctrl.lock);
		if (r != NULL)
			memcpy(r, fp_ctrl.rates, sizeof(r[0]) * fp_ctrl.p.nb_lcores);
		*tot = fp_ctrl.total;
	} while (rte_seqlock_read_retry(&fp_ctrl.lock, sn));
}

/* The periodic one-line summary: rates over the period, then gauges. */
static void
fp_ctrl_log(uint64_t now)
{
	uint64_t hz = rte_get_tsc_hz(), dt = now - fp_ctrl.log_tsc, drops = 0;
	struct fp_ctrl_rates r;
	struct fp_stats tot;
	unsigned int k;

	fp_stats_total(&tot);
	for (k = 0; k < FP_DROP_MAX; k++)
		drops += tot.drop[k];
	fp_ctrl_read_rates(NULL, &r);
	FP_LOG(INFO, ctrl, "rx %" PRIu64 " pps, tx %" PRIu64 " pps, %" PRIu64 " req/s, "
		"busy %" PRIu64 "%%, conns %" PRId64 " (%" PRId64 " established, %" PRId64
		" time-wait), drops +%" PRIu64 " (%" PRIu64 " total), requests %" PRIu64,
		fp_per_s(tot.c[FP_C_rx_packets] - fp_ctrl.log_rx, dt, hz),
		fp_per_s(tot.c[FP_C_tx_packets] - fp_ctrl.log_tx, dt, hz),
		fp_per_s(tot.c[FP_C_http_requests] - fp_ctrl.log_req, dt, hz), r.busy_pct,
		RTE_MAX(tot.g[FP_G_tcp_conns], 0), RTE_MAX(tot.g[FP_G_tcp_established], 0),
		RTE_MAX(tot.g[FP_G_tcp_time_wait], 0), drops - fp_ctrl.log_drops, drops,
		tot.c[FP_C_http_requests]);
	fp_ctrl.log_tsc = now;
	fp_ctrl.log_drops = drops;
	fp_ctrl.log_req = tot.c[FP_C_http_requests];
	fp_ctrl.log_rx = tot.c[FP_C_rx_packets];
	fp_ctrl.log_tx = tot.c[FP_C_tx_packets];
}

static void *
fp_ctrl_main(void *arg __rte_unused)
{
	uint64_t hz = rte_get_tsc_hz(), now;
	uint64_t log_every = hz * fp_ctrl.p.cfg->summary_s;

	fp_ctrl.prev_tsc = fp_ctrl.log_tsc = rte_rdtsc();
	while (!__atomic_load_n(&fp_ctrl.stop, __ATOMIC_RELAXED)) {
		/* Short sleeps, so that stopping takes at most 50 ms. */
		usleep(50 * 1000);
		now = rte_rdtsc();
		if (now - fp_ctrl.prev_tsc >= hz)
			fp_ctrl_sample(now);
		if (log_every != 0 && now - fp_ctrl.log_tsc >= log_every)
			fp_ctrl_log(now);
	}
	return NULL;
}

/* Telemetry. */

static int
fp_tel_lcores(const char *cmd __rte_unused, const char *params __rte_unused,
	struct rte_tel_data *d)
{
	struct fp_ctrl_rates r[RTE_MAX_LCORE], tot;
	const struct fp_lcore *lc;
	struct rte_tel_data *row;
	uint64_t rx, req, busy;
	char name[16];
	unsigned int i;
	int ret = 0;

	if (!fp_ctrl_enter()) {
		fp_ctrl_exit();
		return -ENODEV;
	}
	fp_ctrl_read_rates(r, &tot);
	rte_tel_data_start_dict(d);
	for (i = 0; i < fp_ctrl.p.nb_lcores && ret == 0; i++) {
		lc = fp_ctrl.p.lcores[i];
		row = rte_tel_data_alloc();
		if (row == NULL) {
			ret = -ENOMEM;
			break;
		}
		rx = fp_ld(&lc->stats.c[FP_C_rx_packets]);
		req = fp_ld(&lc->stats.c[FP_C_http_requests]);
		busy = fp_ld(&lc->stats.c[FP_C_busy_cycles]);
		rte_tel_data_start_dict(row);
		rte_tel_data_add_dict_u64(row, "queue", lc->queue_id);
		rte_tel_data_add_dict_u64(row, "rx_packets", rx);
		rte_tel_data_add_dict_u64(row, "tx_packets", fp_ld(&lc->stats.c[FP_C_tx_packets]));
		rte_tel_data_add_dict_u64(row, "requests", req);
		rte_tel_data_add_dict_u64(row, "rx_pps", r[i].rx_pps);
		rte_tel_data_add_dict_u64(row, "tx_pps", r[i].tx_pps);
		rte_tel_data_add_dict_u64(row, "requests_per_s", r[i].req_s);
		rte_tel_data_add_dict_u64(row, "busy_pct", r[i].busy_pct);
		rte_tel_data_add_dict_u64(row, "busy_cycles", busy);
		rte_tel_data_add_dict_u64(row, "cycles_per_packet", fp_ratio(busy, rx));
		rte_tel_data_add_dict_u64(row, "cycles_per_request", fp_ratio(busy, req));
		rte_tel_data_add_dict_u64(row, "cycles_per_packet_1s", r[i].cyc_pkt);
		rte_tel_data_add_dict_u64(row, "cycles_per_request_1s", r[i].cyc_req);
		snprintf(name, sizeof(name), "%u", lc->lcore_id);
		if (rte_tel_data_add_dict_container(d, name, row, 0) != 0) {
			rte_tel_data_free(row);
			ret = -ENOMEM;
		}
	}
	fp_ctrl_exit();
	return ret;
}

static int
fp_tel_drops(const char *cmd __rte_unused, const char *params __rte_unused,
	struct rte_tel_data *d)
{
	struct fp_stats tot;

	fp_stats_total(&tot);
	rte_tel_data_start_dict(d);
	fp_tel_add_prefixed(d, fp_drop_names, tot.drop, FP_DROP_MAX, "");
	return 0;
}

/* Splits a copy of s at whitespace into an array of strings. */
static struct rte_tel_data *
fp_tel_words(const char *s)
{
	struct rte_tel_data *a = rte_tel_data_alloc();
	char *copy, *tok, *save = NULL;

	if (a == NULL)
		return NULL;
	rte_tel_data_start_array(a, RTE_TEL_STRING_VAL);
	copy = strdup(s != NULL ? s : "");
	if (copy == NULL) {
		rte_tel_data_free(a);
		return NULL;
	}
	for (tok = strtok_r(copy, " \t", &save); tok != NULL; tok = strtok_r(NULL, " \t", &save))
		rte_tel_data_add_array_string(a, tok);
	free(copy);
	return a;
}

static int
fp_tel_config(const char *cmd __rte_unused, const char *params __rte_unused,
	struct rte_tel_data *d)
{
	const struct fp_config_key_info *keys;
	const struct fp_config *cfg;
	struct rte_tel_data *sec = NULL, *routes;
	unsigned int n, i;
	char val[FP_EAL_ARGS_LEN];
	int ret = 0;

	if (!fp_ctrl_enter()) {
		fp_ctrl_exit();
		return -ENODEV;
	}
	cfg = fp_ctrl.p.cfg;
	n = fp_config_keys(&keys);
	rte_tel_data_start_dict(d);
	/* The key table lists each section's keys together. */
	for (i = 0; i < n && ret == 0; i++) {
		if (sec == NULL)
			sec = fp_tel_dict();
		if (sec == NULL) {
			ret = -ENOMEM;
			break;
		}
		fp_config_value(cfg, i, val, sizeof(val));
		rte_tel_data_add_dict_string(sec, keys[i].key, val);
		if (i + 1 == n || strcmp(keys[i + 1].section, keys[i].section) != 0) {
			ret = fp_tel_put(d, keys[i].section, sec);
			sec = NULL;
		}
	}
	/* One line per [route PATH] section (a third level would not print). */
	routes = rte_tel_data_alloc();
	if (routes != NULL)
		rte_tel_data_start_array(routes, RTE_TEL_STRING_VAL);
	for (i = 0; i < cfg->nb_routes && routes != NULL; i++) {
		const struct fp_config_route *cr = &cfg->routes[i];

		snprintf(val, sizeof(val), "%s %s=%s status=%u%s%s", cr->path,
			cr->has_body ? "body" : "file", cr->has_body ? cr->body : cr->file,
			cr->status, cr->content_type[0] != '\0' ? " content_type=" : "",
			cr->content_type);
		rte_tel_data_add_array_string(routes, val);
	}
	if (ret == 0)
		ret = fp_tel_put(d, "routes", routes);
	else
		rte_tel_data_free(routes);
	if (ret == 0)
		ret = fp_tel_put(d, "eal_args", fp_tel_words(fp_ctrl.p.eal_args));
	fp_ctrl_exit();
	return ret;
}

/* Parses an optional non-negative number parameter; def when absent. */
static int
fp_tel_param(const char *params, unsigned long def, unsigned long *out)
{
	char *end;

	if (params == NULL || params[0] == '\0') {
		*out = def;
		return 0;
	}
	errno = 0;
	*out = strtoul(params, &end, 10);
	if (params[0] < '0' || params[0] > '9' || *end != '\0' || errno != 0)
		return -EINVAL;
	return 0;
}

/* Telemetry prints two levels of containers and takes only letters, digits,
 * '_' and '/' in names: rows go at the top level, keyed by their number,
 * beside the plain "total" and "first" values.
 */
static int
fp_tel_routes(const char *cmd __rte_unused, const char *params, struct rte_tel_data *d)
{
	const struct fp_http_server *srv;
	const struct fp_http_route *rt;
	struct rte_tel_data *r;
	unsigned long first;
	char name[16];
	uint64_t hits;
	unsigned int i, w;
	int ret = 0;

	if (fp_tel_param(params, 0, &first) != 0)
		return -EINVAL;
	if (!fp_ctrl_enter()) {
		fp_ctrl_exit();
		return -ENODEV;
	}
	srv = fp_ctrl.p.srv;
	rte_tel_data_start_dict(d);
	rte_tel_data_add_dict_u64(d, "total", srv->nb_content);
	rte_tel_data_add_dict_u64(d, "first", first);
	for (i = first; i < srv->nb_content && i < first + FP_CTRL_ROUTES_PAGE && ret == 0;
			i++) {
		rt = &srv->routes[i];
		r = fp_tel_dict();
		if (r == NULL) {
			ret = -ENOMEM;
			break;
		}
		hits = 0;
		for (w = 0; w < fp_ctrl.p.nb_lcores; w++)
			hits += fp_ld(&fp_ctrl.p.lcores[w]->stats.route_hits[i]);
		rte_tel_data_add_dict_string(r, "path", rt->path);
		rte_tel_data_add_dict_u64(r, "size", rt->body_len);
		rte_tel_data_add_dict_string(r, "content_type", rt->content_type);
		rte_tel_data_add_dict_u64(r, "status", rt->status);
		rte_tel_data_add_dict_u64(r, "hits", hits);
		if (rt->etag_len != 0)
			rte_tel_data_add_dict_string(r, "etag", rt->etag);
		/* The variants' sizes: what the negotiation can pick. */
		if (rt->avail & (1u << FP_HTTP_CE_GZIP))
			rte_tel_data_add_dict_u64(r, "gzip_size",
				srv->routes[rt->alt[FP_HTTP_CE_GZIP]].body_len);
		if (rt->avail & (1u << FP_HTTP_CE_BR))
			rte_tel_data_add_dict_u64(r, "br_size",
				srv->routes[rt->alt[FP_HTTP_CE_BR]].body_len);
		snprintf(name, sizeof(name), "%u", i);
		ret = fp_tel_put(d, name, r);
	}
	fp_ctrl_exit();
	return ret;
}

static int
fp_tel_conns(const char *cmd __rte_unused, const char *params, struct rte_tel_data *d)
{
	struct fp_tcp_conn_info info[FP_CTL_CONNS_MAX];
	struct rte_tel_data *c;
	char name[16], ip[INET_ADDRSTRLEN];
	unsigned long want;
	unsigned int w, j, shown = 0;
	int64_t total = 0;
	int n, ret = 0;

	if (fp_tel_param(params, FP_CTRL_CONNS_DEFAULT, &want) != 0)
		return -EINVAL;
	want = RTE_MIN(want, (unsigned long)FP_CTL_CONNS_MAX);
	if (!fp_ctrl_enter()) {
		fp_ctrl_exit();
		return -ENODEV;
	}
	rte_tel_data_start_dict(d);
	for (w = 0; w < fp_ctrl.p.nb_lcores; w++)
		total += RTE_MAX(__atomic_load_n(&fp_ctrl.p.lcores[w]->stats.g[FP_G_tcp_conns],
			__ATOMIC_RELAXED), (int64_t)0);
	rte_tel_data_add_dict_u64(d, "total", total);
	for (w = 0; w < fp_ctrl.p.nb_lcores && shown < want && ret == 0; w++) {
		const struct fp_lcore *lc = fp_ctrl.p.lcores[w];

		n = fp_lcore_ctl_conns(fp_ctrl.p.lcores[w], info, want - shown,
			FP_CTRL_CONNS_WAIT_MS);
		if (n < 0) {
			FP_LOG(WARNING, ctrl, "lcore %u did not list its connections: %s",
				lc->lcore_id, strerror(-n));
			continue;
		}
		for (j = 0; j < (unsigned int)n && ret == 0; j++) {
			c = fp_tel_dict();
			if (c == NULL) {
				ret = -ENOMEM;
				break;
			}
			inet_ntop(AF_INET, &info[j].raddr, ip, sizeof(ip));
			rte_tel_data_add_dict_string(c, "remote_ip", ip);
			rte_tel_data_add_dict_u64(c, "remote_port", info[j].rport);
			rte_tel_data_add_dict_u64(c, "local_port", info[j].lport);
			rte_tel_data_add_dict_u64(c, "lcore", lc->lcore_id);
			rte_tel_data_add_dict_string(c, "state", fp_tcp_state_names[info[j].state]);
			rte_tel_data_add_dict_u64(c, "bytes_in", info[j].bytes_in);
			rte_tel_data_add_dict_u64(c, "bytes_out", info[j].bytes_out);
			rte_tel_data_add_dict_u64(c, "age_ms", info[j].age_ms);
			rte_tel_data_add_dict_u64(c, "cwnd", info[j].cwnd);
			rte_tel_data_add_dict_u64(c, "srtt_ms", info[j].srtt_ms);
			rte_tel_data_add_dict_u64(c, "rto_ms", info[j].rto_ms);
			snprintf(name, sizeof(name), "%u", shown);
			ret = fp_tel_put(d, name, c);
			shown += ret == 0;
		}
	}
	rte_tel_data_add_dict_u64(d, "shown", shown);
	fp_ctrl_exit();
	return ret;
}

static int
fp_ctrl_register(void)
{
	static const struct {
		const char *name;
		telemetry_cb fn;
		const char *help;
	} cmds[] = {
		{ "/fastpath/lcores", fp_tel_lcores,
			"Per worker lcore: packets, requests, rates, busy % and busy cycles "
			"per packet and per request" },
		{ "/fastpath/drops", fp_tel_drops, "Every drop reason with its count" },
		{ "/fastpath/config", fp_tel_config, "The effective configuration" },
		{ "/fastpath/routes", fp_tel_routes,
			"Routes: path, size, content type, status, hits. Param: first index" },
		{ "/fastpath/conns", fp_tel_conns,
			"Connections: 4-tuple, state, bytes, age, cwnd, RTT. "
			"Param: how many (64 max)" },
	};
	static bool done;
	unsigned int i;
	int ret;

	if (done)
		return 0;
	for (i = 0; i < RTE_DIM(cmds); i++) {
		ret = rte_telemetry_register_cmd(cmds[i].name, cmds[i].fn, cmds[i].help);
		if (ret != 0)
			return ret;
	}
	/* The modules below register their own. */
	ret = fp_tcp_telemetry_init();
	if (ret == 0)
		ret = fp_http_telemetry_init();
	if (ret == 0)
		ret = fp_ws_telemetry_init();
	if (ret != 0)
		return ret;
	done = true;
	return 0;
}

int
fp_ctrl_start(const struct fp_ctrl_params *p, struct fp_err *err)
{
	int ret;

	if (p->nb_lcores > RTE_MAX_LCORE)
		return fp_fail(err, -EINVAL, "too many workers");
	memset(&fp_ctrl, 0, sizeof(fp_ctrl));
	fp_ctrl.p = *p;
	rte_seqlock_init(&fp_ctrl.lock);
	ret = fp_ctrl_register();
	if (ret != 0)
		return fp_fail(err, ret, "cannot register the telemetry commands: %s",
			strerror(-ret));
	fp_guard_publish(&fp_ctrl_guard, 1);
	ret = rte_ctrl_thread_create(&fp_ctrl.thread, "fp-ctrl", NULL, fp_ctrl_main, NULL);
	if (ret != 0) {
		fp_ctrl_stop();
		return fp_fail(err, -ret, "cannot start the control thread: %s", strerror(ret));
	}
	fp_ctrl.started = true;
	return 0;
}

void
fp_ctrl_stop(void)
{
	if (fp_ctrl.started) {
		__atomic_store_n(&fp_ctrl.stop, true, __ATOMIC_RELAXED);
		pthread_join(fp_ctrl.thread, NULL);
		fp_ctrl.started = false;
	}
	/* Rates nobody measures any more read 0. */
	fp_stats_set_rates(0, 0, 0);
	fp_guard_retire(&fp_ctrl_guard);
}

/* Queues one request on every worker's control ring. */
static int
fp_ctrl_ask_all(int (*ask)(struct fp_lcore *lc))
{
	unsigned int i;
	int ret = 0;

	for (i = 0; i < fp_ctrl.p.nb_lcores; i++)
		if (ask(fp_ctrl.p.lcores[i]) != 0)
			ret = -ENOBUFS;
	return ret;
}

int
fp_ctrl_drain(void)
{
	return fp_ctrl_ask_all(fp_lcore_ctl_drain);
}

int
fp_ctrl_reset(void)
{
	return fp_ctrl_ask_all(fp_lcore_ctl_reset);
}

uint64_t
fp_ctrl_busy_conns(void)
{
	const struct fp_stats *st;
	int64_t busy = 0;
	unsigned int i;

	for (i = 0; i < fp_ctrl.p.nb_lcores; i++) {
		st = &fp_ctrl.p.lcores[i]->stats;
		busy += __atomic_load_n(&st->g[FP_G_tcp_conns], __ATOMIC_RELAXED) -
			__atomic_load_n(&st->g[FP_G_tcp_fin_wait_2], __ATOMIC_RELAXED) -
			__atomic_load_n(&st->g[FP_G_tcp_time_wait], __ATOMIC_RELAXED);
	}
	return busy > 0 ? busy : 0;
}
