/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The fastpath authors
 */

/* fp-example: fastpath with handlers of its own, the way a C program embeds
 * it (docs/handlers.md walks through it). Besides everything fastpath
 * serves, it answers:
 *
 *   GET  /hello/{name}   a JSON greeting
 *   POST /echo           the body back (Content-Length or chunked)
 *   GET  /report?kb=N    N KB of JSON (1-16), gzip-compressed on the fly when the
 *                        client takes it (fp_http_compress)
 *   GET  /stream?n=N     N numbered lines, streamed with backpressure
 *   GET  /events?n=N     N Server-Sent Events of two lines each (&hb=MS: heartbeats,
 *                        &hold=1: stays open after them)
 *   GET  /ws/echo        a WebSocket that sends every message back
 *   GET  /slow?ms=M      answered M ms later by another thread
 *   GET  /private/...    401 without "Authorization: Bearer <token>"
 *
 * and every response carries "X-Example: fastpath" from a hook.
 */

#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <rte_errno.h>
#include <rte_ring.h>

#include "fp_app.h"
#include "fp_http_api.h"
#include "fp_sse.h"
#include "fp_ws.h"

/* The token /private/ wants; FP_EXAMPLE_TOKEN overrides it. */
static const char *token = "let-me-in";

/* Slow jobs go to one thread through this ring. */
struct job {
	struct fp_http_handle h;
	uint32_t ms;
	uint64_t started_ns;
};

static struct {
	struct fp_http_server *srv;
	struct rte_ring *jobs;
	pthread_t thread;
	bool running;
	volatile bool stop;
	uint64_t done;
} slow;

static uint64_t
now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + ts.tv_nsec;
}

/* A small unsigned number from a query like "n=5&x=y", or def. */
static uint32_t
query_u32(struct fp_http_slice q, const char *key, uint32_t def, uint32_t max)
{
	size_t kl = strlen(key);
	uint32_t i = 0, v;

	while (i + kl < q.len) {
		if (memcmp(q.p + i, key, kl) == 0 && q.p[i + kl] == '=' &&
				(i == 0 || q.p[i - 1] == '&')) {
			i += kl + 1;
			for (v = 0; i < q.len && q.p[i] >= '0' && q.p[i] <= '9'; i++)
				v = RTE_MIN(v * 10 + (q.p[i] - '0'), max);
			return v;
		}
		i++;
	}
	return def;
}

/* GET /hello/{name} */
static int
hello(struct fp_http_ctx *x, void *arg __rte_unused)
{
	struct fp_http_slice name = fp_http_ctx_param(x, "name");
	char body[256];
	uint32_t i;
	int n;

	/* Only a plain name goes into the JSON; anything else is refused. */
	for (i = 0; i < name.len; i++) {
		char c = name.p[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
				(c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.')) {
			fp_http_set_error(x, 400, false);
			return FP_HTTP_DONE;
		}
	}
	n = snprintf(body, sizeof(body), "{\"hello\": \"%.*s\", \"lcore\": %u}\n",
		(int)name.len, name.p, fp_http_ctx_lcore(x));
	fp_http_set_type(x, "application/json");
	if (fp_http_set_body(x, body, RTE_MIN(n, (int)sizeof(body) - 1)) != 0) {
		fp_http_set_error(x, 503, false);
		return FP_HTTP_DONE;
	}
	return FP_HTTP_DONE;
}

/* POST /echo: small bodies in one piece, larger ones streamed. */
static void
echo_more(struct fp_http_ctx *x, void *arg __rte_unused)
{
	struct fp_http_slice b = fp_http_ctx_body(x);
	uintptr_t *off = (uintptr_t *)fp_http_ctx_user(x);
	int n;

	while (*off < b.len) {
		n = fp_http_write(x, b.p + *off, b.len - *off);
		if (n <= 0)
			return;	/* -EAGAIN: called again when there is room */
		*off += n;
	}
	fp_http_stream_end(x);
}

static int
echo(struct fp_http_ctx *x, void *arg __rte_unused)
{
	struct fp_http_slice b = fp_http_ctx_body(x), type;

	if (fp_http_ctx_header(x, "Content-Type", &type) && type.len < 100) {
		static char t[RTE_MAX_LCORE][100];
		char *tt = t[fp_http_ctx_lcore(x) % RTE_MAX_LCORE];

		memcpy(tt, type.p, type.len);
		tt[type.len] = '\0';
		fp_http_set_type(x, tt);
	} else {
		fp_http_set_type(x, "application/octet-stream");
	}
	if (fp_http_set_body(x, b.p, b.len) == 0)
		return FP_HTTP_DONE;
	/* Too large to copy at once: the body stays with the context while
	 * it streams.
	 */
	*fp_http_ctx_user(x) = NULL;
	if (fp_http_stream(x, echo_more, NULL) != 0) {
		fp_http_set_error(x, 503, true);
		return FP_HTTP_DONE;
	}
	echo_more(x, NULL);
	return FP_HTTP_ASYNC;
}

/* GET /stream?n=N: N lines, written as room comes. The state is packed in
 * the context's pointer: lines in all, lines sent, and how much of the
 * current line went out (a write may take part of it).
 */
#define ST_SENT(st) ((uint32_t)((st) & 0xffffff))
#define ST_OFF(st) ((uint32_t)((st) >> 24 & 0xff))
#define ST_TOTAL(st) ((uint32_t)((st) >> 32))
#define ST(total, off, sent) ((uintptr_t)(total) << 32 | (uintptr_t)(off) << 24 | (sent))

static void
stream_more(struct fp_http_ctx *x, void *arg __rte_unused)
{
	uintptr_t *st = (uintptr_t *)fp_http_ctx_user(x);
	uint32_t sent = ST_SENT(*st), off = ST_OFF(*st), total = ST_TOTAL(*st);
	char line[64];
	int n, w;

	while (sent < total) {
		n = snprintf(line, sizeof(line), "line %" PRIu32 " of %" PRIu32 "\n", sent + 1,
			total);
		w = fp_http_write(x, line + off, n - off);
		if (w <= 0)
			break;	/* -EAGAIN: called again when there is room */
		off += w;
		if (off == (uint32_t)n) {
			off = 0;
			sent++;
		}
	}
	*st = ST(total, off, sent);
	if (sent == total)
		fp_http_stream_end(x);
}

/* GET /report?kb=N: a JSON report of N KB, made once for each N, copied
 * into the response and compressed on the fly for clients that take gzip.
 */
#define REPORT_KB 16
static char report_json[REPORT_KB][REPORT_KB * 1024];

static void
report_init(void)
{
	uint32_t k, n, i, len;

	for (k = 0; k < REPORT_KB; k++) {
		char *r = report_json[k];

		len = (k + 1) * 1024;
		n = snprintf(r, len, "{\"rows\": [");
		for (i = 0; n < len - 160; i++)
			n += snprintf(r + n, len - n, "%s{\"id\": %u, \"name\": \"item-%u\", "
				"\"price\": %u.%02u, \"stock\": %u, \"tags\": [\"%s\", \"%s\"]}",
				i ? ", " : "", i, i * 7919 % 10007, i * 37 % 500, i % 100,
				i * 13 % 97, i % 3 ? "blue" : "red", i % 5 ? "small" : "large");
		/* Whitespace up to the size: still one JSON document. */
		memset(r + n, ' ', len - n);
		memcpy(r + len - 3, "]}\n", 3);
	}
}

static int
report(struct fp_http_ctx *x, void *arg __rte_unused)
{
	uint32_t kb = query_u32(fp_http_ctx_query(x), "kb", 4, REPORT_KB);

	if (kb == 0)
		kb = 1;
	fp_http_set_type(x, "application/json");
	if (fp_http_set_body(x, report_json[kb - 1], kb * 1024) != 0) {
		fp_http_set_error(x, 503, false);
		return FP_HTTP_DONE;
	}
	fp_http_compress(x);
	return FP_HTTP_DONE;
}

static int
stream(struct fp_http_ctx *x, void *arg __rte_unused)
{
	uint32_t n = query_u32(fp_http_ctx_query(x), "n", 10, 10000000);


	fp_http_set_type(x, "text/plain; charset=utf-8");
	if (fp_http_stream(x, stream_more, NULL) != 0) {
		fp_http_set_error(x, 503, false);
		return FP_HTTP_DONE;
	}
	*fp_http_ctx_user(x) = (void *)ST(n, 0, 0);
	stream_more(x, NULL);
	return FP_HTTP_ASYNC;
}

/* GET /events?n=N[&hb=MS][&hold=1]: N events, each whole or not yet (the
 * state in the context's pointer: events in all, events sent), a heartbeat
 * comment every MS, and with hold the stream stays open after the last.
 */
#define EVENTS_HOLD (1u << 31)
static void
events_more(struct fp_http_ctx *x, void *arg __rte_unused)
{
	uintptr_t *st = (uintptr_t *)fp_http_ctx_user(x);
	uint32_t sent = (uint32_t)*st, total = (uint32_t)(*st >> 32) & ~EVENTS_HOLD;
	struct fp_sse_event ev = { .event = "tick" };
	char id[16], data[64];
	int n;

	while (sent < total) {
		snprintf(id, sizeof(id), "%" PRIu32, sent + 1);
		n = snprintf(data, sizeof(data), "event %" PRIu32 " of %" PRIu32 "\nsecond line",
			sent + 1, total);
		ev.id = id;
		ev.data = data;
		ev.data_len = (size_t)n;
		if (fp_sse_send(x, &ev) != 0)
			break;	/* -EAGAIN: called again when there is room */
		sent++;
	}
	*st = (*st >> 32) << 32 | sent;
	/* Held streams stay open, heartbeats only, until the client leaves. */
	if (sent == total && !((*st >> 32) & EVENTS_HOLD))
		fp_http_stream_end(x);
}

static int
events(struct fp_http_ctx *x, void *arg __rte_unused)
{
	struct fp_http_slice q = fp_http_ctx_query(x);
	uint32_t n = query_u32(q, "n", 10, 1000000);
	uint32_t hb = query_u32(q, "hb", 0, 3600000);
	uint32_t hold = query_u32(q, "hold", 0, 1);

	if (fp_sse_start(x, events_more, NULL) != 0) {
		fp_http_set_error(x, 503, false);
		return FP_HTTP_DONE;
	}
	if (hb != 0)
		fp_sse_heartbeat(x, hb);
	*fp_http_ctx_user(x) = (void *)((uintptr_t)(n | (hold ? EVENTS_HOLD : 0)) << 32);
	events_more(x, NULL);
	return FP_HTTP_ASYNC;
}

/* GET /ws/echo: every message back as it came, text or binary. A client
 * that sends faster than it reads is closed with 1008 once the send buffer
 * is full.
 */
static void
ws_echo_msg(struct fp_http_ctx *x, void *arg __rte_unused, uint8_t opcode, const uint8_t *p,
	size_t n)
{
	if (fp_ws_send(x, opcode, p, n) == -EAGAIN)
		fp_ws_close(x, 1008, "reading too slowly");
}

static const struct fp_ws_ops ws_echo_ops = {
	.message = ws_echo_msg,
};

static int
ws_echo(struct fp_http_ctx *x, void *arg __rte_unused)
{
	struct fp_ws_params p = { .subprotocol = NULL };

	/* RFC 6455 4.2.2: a subprotocol only when the client offers it. */
	if (fp_ws_offered(x, "echo"))
		p.subprotocol = "echo";
	return fp_ws_accept(x, &p, &ws_echo_ops, NULL) == 0 ? FP_HTTP_ASYNC : FP_HTTP_DONE;
}

/* GET /slow?ms=M: the answer comes from the slow thread. */
static void
slow_done(struct fp_http_worker *w, const struct fp_http_handle *h, void *arg)
{
	struct job *j = arg;
	struct fp_http_ctx *x = fp_http_resume(w, h);
	char body[96];
	int n;

	/* NULL: the client left meanwhile; the answer is dropped. */
	if (x != NULL) {
		n = snprintf(body, sizeof(body), "{\"slept_ms\": %" PRIu32 ", \"took_ms\": %" PRIu64
			"}\n", j->ms, (now_ns() - j->started_ns) / 1000000);
		fp_http_set_type(x, "application/json");
		if (fp_http_set_body(x, body, n) != 0)
			fp_http_set_error(x, 503, true);
		fp_http_finish(x);
	}
	free(j);
}

static void *
slow_thread(void *arg __rte_unused)
{
	void *p;

	while (!slow.stop) {
		if (rte_ring_dequeue(slow.jobs, &p) != 0) {
			usleep(1000);
			continue;
		}
		struct job *j = p;

		usleep(j->ms * 1000);
		/* The worker's queue is full only under a flood: retry. */
		while (fp_http_post(slow.srv, &j->h, slow_done, j) != 0 && !slow.stop)
			usleep(100);
		__atomic_add_fetch(&slow.done, 1, __ATOMIC_RELAXED);
	}
	return NULL;
}

static int
slow_route(struct fp_http_ctx *x, void *arg __rte_unused)
{
	struct job *j;

	/* Not on the data path of a real server; a pool would do there. */
	j = malloc(sizeof(*j));
	if (j == NULL || fp_http_defer(x, &j->h) != 0) {
		free(j);
		fp_http_set_error(x, 503, false);
		return FP_HTTP_DONE;
	}
	j->ms = query_u32(fp_http_ctx_query(x), "ms", 100, 10000);
	j->started_ns = now_ns();
	if (rte_ring_enqueue(slow.jobs, j) != 0) {
		/* Deferred but not queued: answer now through the same path. */
		struct fp_http_ctx *y = x;

		free(j);
		fp_http_set_error(y, 503, false);
		fp_http_finish(y);
	}
	return FP_HTTP_ASYNC;
}

/* ON_REQUEST hook: /private/ wants the bearer token. */
static int
auth(struct fp_http_ctx *x, void *arg __rte_unused)
{
	struct fp_http_slice p = fp_http_ctx_path(x), a;
	size_t tl = strlen(token);

	if (p.len < 9 || memcmp(p.p, "/private/", 9) != 0)
		return FP_HTTP_CONTINUE;
	/* RFC 6750 2.1: credentials = "Bearer" 1*SP b64token. */
	if (fp_http_ctx_header(x, "Authorization", &a) && a.len == 7 + tl &&
			strncasecmp(a.p, "Bearer ", 7) == 0 && memcmp(a.p + 7, token, tl) == 0)
		return FP_HTTP_CONTINUE;
	fp_http_set_error(x, 401, false);
	fp_http_add_header(x, "WWW-Authenticate", "Bearer realm=\"example\"");
	return FP_HTTP_DONE;
}

/* ON_RESPONSE hook: a header on every answer. */
static int
brand(struct fp_http_ctx *x, void *arg __rte_unused)
{
	fp_http_add_header(x, "X-Example", "fastpath");
	return FP_HTTP_CONTINUE;
}

static int
setup(struct fp_http_server *srv, const struct fp_config *cfg __rte_unused,
	void *arg __rte_unused, struct fp_err *err)
{
	const uint32_t get = FP_HTTP_MB(FP_HTTP_M_GET);
	const char *t = getenv("FP_EXAMPLE_TOKEN");
	int ret;

	if (t != NULL && t[0] != '\0')
		token = t;
	report_init();
	ret = fp_http_route(srv, get, "/hello/{name}", hello, NULL);
	if (ret == 0)
		ret = fp_http_route(srv, get, "/report", report, NULL);
	if (ret == 0)
		ret = fp_http_route(srv, FP_HTTP_MB(FP_HTTP_M_POST), "/echo", echo, NULL);
	if (ret == 0)
		ret = fp_http_route(srv, get, "/stream", stream, NULL);
	if (ret == 0)
		ret = fp_http_route(srv, get, "/events", events, NULL);
	if (ret == 0)
		ret = fp_http_route(srv, get, "/ws/echo", ws_echo, NULL);
	if (ret == 0)
		ret = fp_http_route(srv, get, "/slow", slow_route, NULL);
	if (ret == 0)
		ret = fp_http_hook(srv, FP_HTTP_ON_REQUEST, 0, auth, NULL);
	if (ret == 0)
		ret = fp_http_hook(srv, FP_HTTP_ON_RESPONSE, 0, brand, NULL);
	if (ret != 0)
		return fp_fail(err, ret, "cannot register the example's routes: %s",
			strerror(-ret));
	slow.srv = srv;
	slow.jobs = rte_ring_create("example_jobs", 1024, SOCKET_ID_ANY, RING_F_SC_DEQ);
	if (slow.jobs == NULL)
		return fp_fail(err, -ENOMEM, "cannot create the job ring: %s",
			rte_strerror(rte_errno));
	if (pthread_create(&slow.thread, NULL, slow_thread, NULL) != 0)
		return fp_fail(err, -EAGAIN, "cannot start the slow thread");
	slow.running = true;
	return 0;
}

static void
stop(void *arg __rte_unused)
{
	void *p;

	if (slow.running) {
		slow.stop = true;
		pthread_join(slow.thread, NULL);
		slow.running = false;
	}
	while (slow.jobs != NULL && rte_ring_dequeue(slow.jobs, &p) == 0)
		free(p);
	rte_ring_free(slow.jobs);
	slow.jobs = NULL;
}

int
main(int argc, char **argv)
{
	static const struct fp_app_ext ext = {
		.name = "fp-example",
		.setup = setup,
		.stop = stop,
	};

	return fp_app_main(argc, argv, &ext);
}
