/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The fastpath authors
 */

/* Handlers and hooks (fp_http_api.h) driven from the wire: a server with
 * routes and hooks of its own over one worker's TCP on a fake clock, and
 * the shared synthetic peer (fp_tcp_peer.h) as the client. Responses are
 * checked byte for byte, and every test ends with mbufs, send-queue pieces,
 * contexts and buffers back to zero.
 */

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libdeflate.h>

#include <rte_errno.h>
#include <rte_mbuf.h>
#include <rte_mempool.h>

#include "fp_config.h"
#include "fp_http.h"
#include "fp_http_api.h"
#include "fp_stats.h"
#include "fp_tcp.h"
#include "fp_tcp_peer.h"
#include "fp_tcp_priv.h"
#include "fp_test.h"

#define PORT		80
#define NB_MBUFS	FP_TEST_HTTP_MBUFS
#define MAX_BODY	4096
#define BODY_TIMEOUT_S	2
#define RESP_MAX	8192
#define TEXT		"text/plain; charset=utf-8"
#define OCTETS		"application/octet-stream"

/* Per test (each runs in its own child). */
static struct fp_config cfg;
static struct fp_http_server *srv;
static struct fp_iface ifc;
static struct fp_stats st;
static struct fp_peer pr;
static struct rte_mempool *pool;
static struct rte_mempool *zc_pool;
static struct fp_tcp_params prm;
static struct fp_tcp_lcore t;
static struct fp_http_worker hw;
static bool t_ready;

/* What handlers and hooks saw. */
static struct {
	char log[512];			/* tags, in the order they ran */
	unsigned int handled;		/* handler runs */
	unsigned int completes;		/* ON_COMPLETE runs */
	bool completed;			/* as the last ON_COMPLETE saw them */
	uint16_t status;
	struct fp_http_handle h;	/* the last deferred request */
	unsigned int deferred;
	unsigned int resumes;		/* posted functions run */
	bool resumed;			/* the last resume found its request */
	char type[100];			/* the echo's Content-Type */
} g;

static void
note(const char *tag)
{
	size_t n = strlen(g.log);

	ck_assert_uint_lt(n + strlen(tag) + 1, sizeof(g.log));
	snprintf(g.log + n, sizeof(g.log) - n, "%s,", tag);
}

/* Hooks: arg is the tag they leave in the log. */

static int
hook_note(struct fp_http_ctx *x __rte_unused, void *arg)
{
	note(arg);
	return FP_HTTP_CONTINUE;
}

static int
hook_header(struct fp_http_ctx *x, void *arg)
{
	note(arg);
	ck_assert_int_eq(fp_http_add_header(x, "X-Order", arg), 0);
	return FP_HTTP_CONTINUE;
}

static int
hook_complete(struct fp_http_ctx *x, void *arg)
{
	note(arg);
	g.completes++;
	g.completed = fp_http_ctx_completed(x);
	g.status = fp_http_ctx_status(x);
	return FP_HTTP_CONTINUE;
}

/* ON_REQUEST: /private/ wants a token. */
static int
hook_auth(struct fp_http_ctx *x, void *arg __rte_unused)
{
	struct fp_http_slice p = fp_http_ctx_path(x), a;

	note("auth");
	if (p.len < 9 || memcmp(p.p, "/private/", 9) != 0)
		return FP_HTTP_CONTINUE;
	if (fp_http_ctx_header(x, "Authorization", &a) && a.len == 8 &&
			memcmp(a.p, "Bearer t", 8) == 0)
		return FP_HTTP_CONTINUE;
	fp_http_set_error(x, 401, false);
	ck_assert_int_eq(fp_http_add_header(x, "WWW-Authenticate", "Bearer realm=\"t\""), 0);
	return FP_HTTP_DONE;
}

/* BEFORE_HANDLER: no thing named "bob". */
static int
hook_deny(struct fp_http_ctx *x, void *arg __rte_unused)
{
	struct fp_http_slice id = fp_http_ctx_param(x, "id");

	note("deny");
	if (id.len != 3 || memcmp(id.p, "bob", 3) != 0)
		return FP_HTTP_CONTINUE;
	fp_http_set_error(x, 403, false);
	return FP_HTTP_DONE;
}

/* Handlers. */

static int
body_str(struct fp_http_ctx *x, const char *s)
{
	fp_http_set_type(x, TEXT);
	ck_assert_int_eq(fp_http_set_body(x, s, strlen(s)), 0);
	return FP_HTTP_DONE;
}

static int
h_plain(struct fp_http_ctx *x, void *arg __rte_unused)
{
	note("H");
	g.handled++;
	return body_str(x, "ok\n");
}

/* Everything the request API says, in one body. */
static int
h_info(struct fp_http_ctx *x, void *arg __rte_unused)
{
	struct fp_http_slice a = fp_http_ctx_param(x, "a"), b = fp_http_ctx_param(x, "b");
	struct fp_http_slice none = fp_http_ctx_param(x, "c"), q = fp_http_ctx_query(x);
	struct fp_http_slice p = fp_http_ctx_path(x), tg = fp_http_ctx_target(x), h1, h2;
	uint32_t ip = rte_be_to_cpu_32(fp_http_ctx_peer_ip(x));
	bool has1, has2;
	char body[512];

	g.handled++;
	has1 = fp_http_ctx_header(x, "x-TEST", &h1);
	has2 = fp_http_ctx_header(x, "X-Absent", &h2);
	ck_assert(has1);
	ck_assert(!has2);
	ck_assert_ptr_null(none.p);
	ck_assert_uint_eq(none.len, 0);
	ck_assert_ptr_null(fp_http_ctx_rest(x).p);
	ck_assert_int_eq(fp_http_ctx_method(x), FP_HTTP_M_GET);
	snprintf(body, sizeof(body), "a=[%.*s] b=[%.*s] q=[%.*s] path=[%.*s] target=[%.*s] "
		"x-test=[%.*s] peer=%u.%u.%u.%u:%u\n", (int)a.len, a.p, (int)b.len, b.p,
		(int)q.len, q.p, (int)p.len, p.p, (int)tg.len, tg.p, (int)h1.len, h1.p,
		ip >> 24, ip >> 16 & 0xff, ip >> 8 & 0xff, ip & 0xff, fp_http_ctx_peer_port(x));
	return body_str(x, body);
}

static int
h_rest(struct fp_http_ctx *x, void *arg __rte_unused)
{
	struct fp_http_slice r = fp_http_ctx_rest(x);
	char body[128];

	g.handled++;
	snprintf(body, sizeof(body), "rest=[%.*s]\n", (int)r.len, r.p != NULL ? r.p : "");
	return body_str(x, body);
}

static int
h_thing(struct fp_http_ctx *x, void *arg)
{
	struct fp_http_slice id = fp_http_ctx_param(x, "id");
	char body[128];

	note("H");
	g.handled++;
	snprintf(body, sizeof(body), "%s %.*s\n", (const char *)arg, (int)id.len, id.p);
	return body_str(x, body);
}

/* POST /echo, as fp-example's: the body back with its Content-Type. */
static int
h_echo(struct fp_http_ctx *x, void *arg __rte_unused)
{
	struct fp_http_slice b = fp_http_ctx_body(x), type;

	g.handled++;
	if (fp_http_ctx_header(x, "Content-Type", &type) && type.len < sizeof(g.type)) {
		memcpy(g.type, type.p, type.len);
		g.type[type.len] = '\0';
		fp_http_set_type(x, g.type);
	} else {
		fp_http_set_type(x, OCTETS);
	}
	ck_assert_int_eq(fp_http_set_body(x, b.p, b.len), 0);
	return FP_HTTP_DONE;
}

static int
h_defer(struct fp_http_ctx *x, void *arg __rte_unused)
{
	note("H");
	g.handled++;
	ck_assert_int_eq(fp_http_defer(x, &g.h), 0);
	g.deferred++;
	return FP_HTTP_ASYNC;
}

/* Posted: the deferred answer, arg its body. */
static void
defer_done(struct fp_http_worker *w, const struct fp_http_handle *h, void *arg)
{
	struct fp_http_ctx *x = fp_http_resume(w, h);

	g.resumes++;
	g.resumed = x != NULL;
	if (x == NULL)
		return;
	note("R");
	fp_http_set_type(x, TEXT);
	ck_assert_int_eq(fp_http_set_body(x, arg, strlen(arg)), 0);
	fp_http_finish(x);
}

static int h_stream(struct fp_http_ctx *x, void *arg);

/* Fixtures. */

static void
eal_up(void)
{
	fp_test_eal_up("fp_unit_http_handlers");
}

static void
eal_down(void)
{
}

static void
setup(void)
{
	const uint32_t get = FP_HTTP_MB(FP_HTTP_M_GET), post = FP_HTTP_MB(FP_HTTP_M_POST);
	struct fp_err err;

	memset(&st, 0, sizeof(st));
	memset(&g, 0, sizeof(g));
	t_ready = false;
	fp_test_http_pools("hh", &pool, &zc_pool, &pr, &t, PORT);
	fp_test_http_config(&cfg, MAX_BODY);
	cfg.body_timeout_s = BODY_TIMEOUT_S;
	srv = fp_http_server_create(&cfg, 1, &err);
	ck_assert_msg(srv != NULL, "%s", err.msg);
	ck_assert_int_eq(fp_http_route(srv, get, "/plain", h_plain, NULL), 0);
	ck_assert_int_eq(fp_http_route(srv, get, "/private/plain", h_plain, NULL), 0);
	ck_assert_int_eq(fp_http_route(srv, get, "/info/{a}/{b}", h_info, NULL), 0);
	ck_assert_int_eq(fp_http_route(srv, get, "/files/*", h_rest, NULL), 0);
	ck_assert_int_eq(fp_http_route(srv, get, "/things/{id}", h_thing, "get"), 0);
	ck_assert_int_eq(fp_http_route(srv, FP_HTTP_MB(FP_HTTP_M_PUT), "/things/{id}", h_thing,
		"put"), 0);
	ck_assert_int_eq(fp_http_route(srv, FP_HTTP_MB(FP_HTTP_M_DELETE), "/things/x", h_plain,
		NULL), 0);
	ck_assert_int_eq(fp_http_route(srv, post, "/echo", h_echo, NULL), 0);
	ck_assert_int_eq(fp_http_route(srv, post, "/private/echo", h_echo, NULL), 0);
	ck_assert_int_eq(fp_http_route(srv, get, "/defer", h_defer, NULL), 0);
	ck_assert_int_eq(fp_http_route(srv, get, "/stream", h_stream, NULL), 0);

	fp_test_iface(&ifc);
	ifc.tx_multi_seg = true;
	fp_tcp_params_from(&prm, &cfg, 0, 1);
}

/* The worker's TCP and HTTP; routes and hooks are closed from here on. */
static void
start(void)
{
	fp_test_http_start(&t, &prm, &ifc, &st, &pr, pool, zc_pool, &hw, srv, &cfg);
	t_ready = true;
}

/* Everything answered and acknowledged: nothing held for requests
 * (contexts, request and body buffers, copied bodies, send-queue pieces).
 */
static void
assert_idle(void)
{
	fp_test_http_assert_idle(&st, &t);
}

static void
teardown(void)
{
	if (t_ready) {
		t_ready = false;
		fp_test_stack_end(&pr, &t, &hw, &st);
	}
	fp_http_server_free(srv);
	srv = NULL;
	rte_mempool_free(pool);
	rte_mempool_free(zc_pool);
	pool = NULL;
	zc_pool = NULL;
}

/* Expected bytes. */

/* A whole response: status line, Server, Date, Content-Type, the extra
 * header lines, Content-Length, Connection (NULL: none), body.
 */
static uint32_t
resp(char *buf, const char *status, const char *type, const char *extra, const char *conn,
	const void *body, uint32_t blen)
{
	int n;

	n = snprintf(buf, RESP_MAX, "HTTP/1.1 %s\r\nServer: %s\r\nDate: %.*s\r\n"
		"Content-Type: %s\r\n%sContent-Length: %" PRIu32 "\r\n", status, cfg.server,
		FP_HTTP_DATE_LEN, hw.date, type, extra, blen);
	if (conn != NULL)
		n += snprintf(buf + n, RESP_MAX - n, "Connection: %s\r\n", conn);
	n += snprintf(buf + n, RESP_MAX - n, "\r\n");
	ck_assert_uint_le(n + blen, RESP_MAX);
	memcpy(buf + n, body, blen);
	return n + blen;
}

/* A text response of the handlers. */
static uint32_t
resp_text(char *buf, const char *status, const char *extra, const char *conn,
	const char *body)
{
	return resp(buf, status, TEXT, extra, conn, body, strlen(body));
}

/* An error page: its body is its status line ("404 Not Found\n"). */
static uint32_t
resp_err(char *buf, const char *status, const char *extra, const char *conn)
{
	char body[64];

	snprintf(body, sizeof(body), "%s\n", status);
	return resp_text(buf, status, extra, conn, body);
}

/* c received exactly want[0, n) since the last call, which it forgets. */
static void
take(struct cli *c, const char *want, uint32_t n)
{
	fp_test_take(c, want, n, "");
}

/* The last step sent no data and no FIN (pure ACKs may go). */
static void
assert_no_data(void)
{
	fp_test_assert_no_data(&pr, "");
}

/* The last step ended with our FIN. */
static void
assert_fin(void)
{
	ck_assert_uint_gt(pr.nb_out, 0);
	ck_assert_uint_eq(pr.out[pr.nb_out - 1].flags & (F_FIN | F_RST), F_FIN);
}

static void
connect_to(struct cli *c, uint16_t port)
{
	fp_test_connect(c, &pr, port);
}

/* Hooks. */

#define GET_PLAIN "GET /plain HTTP/1.1\r\nHost: t\r\n\r\n"

static void
hooks_all(void)
{
	/* Out of order on purpose: each phase runs by priority, equal ones
	 * in the order they came.
	 */
	ck_assert_int_eq(fp_http_hook(srv, FP_HTTP_ON_REQUEST, 10, hook_note, "q10"), 0);
	ck_assert_int_eq(fp_http_hook(srv, FP_HTTP_ON_COMPLETE, 7, hook_complete, "c7"), 0);
	ck_assert_int_eq(fp_http_hook(srv, FP_HTTP_ON_REQUEST, -5, hook_note, "q-5"), 0);
	ck_assert_int_eq(fp_http_hook(srv, FP_HTTP_ON_RESPONSE, 2, hook_header, "s2"), 0);
	ck_assert_int_eq(fp_http_hook(srv, FP_HTTP_BEFORE_HANDLER, 3, hook_note, "b3"), 0);
	ck_assert_int_eq(fp_http_hook(srv, FP_HTTP_ON_REQUEST, 10, hook_note, "q10b"), 0);
	ck_assert_int_eq(fp_http_hook(srv, FP_HTTP_ON_RESPONSE, 0, hook_header, "s0"), 0);
	ck_assert_int_eq(fp_http_hook(srv, FP_HTTP_BEFORE_HANDLER, 1, hook_note, "b1"), 0);
	ck_assert_int_eq(fp_http_hook(srv, FP_HTTP_ON_COMPLETE, -7, hook_complete, "c-7"), 0);
}

#define HOOKS_RUN "q-5,q10,q10b,b1,b3,H,s0,s2,"
#define HOOKS_END "c-7,c7,"

/* What an idle keep-alive connection costs beside its hash entry: its tcb,
 * the tcb's cold part, and what HTTP allocates per connection slot,
 * measured from the heap at two table sizes (docs/tcp.md).
 */
START_TEST(test_idle_conn_memory)
{
	static const uint32_t conns[2] = { 10000, 110000 };
	size_t http[2], before;
	struct fp_err err;
	double per_http;
	unsigned int i;

	for (i = 0; i < 2; i++) {
		prm.max_conns = conns[i];
		ck_assert_msg(fp_tcp_lcore_init(&t, &prm, 0, SOCKET_ID_ANY, &err) == 0, "%s",
			err.msg);
		fp_tcp_lcore_attach(&t, &ifc, &st, &pr.txq, pool, zc_pool);
		before = fp_test_heap_used();
		ck_assert_msg(fp_http_worker_init(&hw, srv, &cfg, &t, &st, 0, SOCKET_ID_ANY,
			&err) == 0, "%s", err.msg);
		http[i] = fp_test_heap_used() - before;
		fp_http_worker_free(&hw);
		fp_tcp_lcore_free(&t);
	}
	per_http = (double)(http[1] - http[0]) / (conns[1] - conns[0]);
	fprintf(stderr, "http_handlers: per connection slot: struct fp_tcb %zu, fp_tcb_cold "
		"%zu, HTTP %.1f (struct fp_http_sess %zu): %.1f bytes beside the hash entry\n",
		sizeof(struct fp_tcb), sizeof(struct fp_tcb_cold), per_http,
		sizeof(struct fp_http_sess),
		sizeof(struct fp_tcb) + sizeof(struct fp_tcb_cold) + per_http);
	ck_assert_double_ge(per_http, sizeof(struct fp_http_sess));
	ck_assert_double_le(sizeof(struct fp_tcb) + sizeof(struct fp_tcb_cold) + per_http, 256);
}
END_TEST

/* Every phase, by priority, once per request; ON_COMPLETE only once the
 * last byte is acknowledged.
 */
START_TEST(test_hooks_order)
{
	static char want[RESP_MAX];
	uint32_t n, i;
	struct cli c;

	hooks_all();
	start();
	connect_to(&c, 40000);
	cli_str(&c, F_ACK | F_PSH, GET_PLAIN);
	n = resp_text(want, "200 OK", "X-Order: s0\r\nX-Order: s2\r\n", NULL, "ok\n");
	take(&c, want, n);
	ck_assert_str_eq(g.log, HOOKS_RUN);
	ck_assert_uint_eq(g.completes, 0);
	ck_assert_int_eq(st.g[FP_G_http_contexts], 1);
	/* All but the last byte: still not complete. */
	cli_send_at(&c, F_ACK, c.seq, c.ack - 1, NULL, 0);
	fp_peer_assert_silent(&pr);
	ck_assert_str_eq(g.log, HOOKS_RUN);
	ck_assert_uint_eq(g.completes, 0);
	cli_send(&c, F_ACK, NULL, 0);
	fp_peer_assert_silent(&pr);
	ck_assert_str_eq(g.log, HOOKS_RUN HOOKS_END);
	ck_assert_uint_eq(g.completes, 2);
	ck_assert(g.completed);
	ck_assert_uint_eq(g.status, 200);
	assert_idle();

	/* Two more in one segment: each runs every phase once, in turn. */
	g.log[0] = '\0';
	cli_str(&c, F_ACK | F_PSH, GET_PLAIN GET_PLAIN);
	ck_assert_uint_eq(c.rx_len, 2 * n);
	for (i = 0; i < 2; i++)
		ck_assert_mem_eq(c.rx + i * n, want, n);
	c.rx_len = 0;
	ck_assert_str_eq(g.log, HOOKS_RUN HOOKS_RUN);
	ck_assert_uint_eq(g.completes, 2);
	/* The first response acknowledged, not the second. */
	cli_send_at(&c, F_ACK, c.seq, c.ack - n, NULL, 0);
	ck_assert_str_eq(g.log, HOOKS_RUN HOOKS_RUN HOOKS_END);
	ck_assert_uint_eq(g.completes, 4);
	cli_send(&c, F_ACK, NULL, 0);
	ck_assert_str_eq(g.log, HOOKS_RUN HOOKS_RUN HOOKS_END HOOKS_END);
	ck_assert_uint_eq(g.completes, 6);
	ck_assert(g.completed);
	assert_idle();

	/* Connection: close: the ACK of the last byte comes with that of
	 * our FIN, and ends the connection.
	 */
	g.log[0] = '\0';
	cli_str(&c, F_ACK | F_PSH, "GET /plain HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n");
	n = resp_text(want, "200 OK", "X-Order: s0\r\nX-Order: s2\r\n", "close", "ok\n");
	take(&c, want, n);
	assert_fin();
	ck_assert_str_eq(g.log, HOOKS_RUN);
	cli_send(&c, F_ACK | F_FIN, NULL, 0);
	cli_assert_state(&c, FP_TCP_TIME_WAIT);
	ck_assert_str_eq(g.log, HOOKS_RUN HOOKS_END);
	ck_assert_uint_eq(g.completes, 8);
	ck_assert(g.completed);
	assert_idle();
	ck_assert_uint_eq(g.handled, 4);
}
END_TEST

/* The peer resets before it acknowledges: ON_COMPLETE says not completed. */
START_TEST(test_hooks_reset)
{
	static char want[RESP_MAX];
	struct cli c;
	uint32_t n;

	hooks_all();
	start();
	connect_to(&c, 40000);
	cli_str(&c, F_ACK | F_PSH, GET_PLAIN);
	n = resp_text(want, "200 OK", "X-Order: s0\r\nX-Order: s2\r\n", NULL, "ok\n");
	take(&c, want, n);
	ck_assert_uint_eq(g.completes, 0);
	cli_send(&c, F_RST, NULL, 0);
	fp_peer_assert_silent(&pr);
	cli_assert_state(&c, FP_TCP_CLOSED);
	ck_assert_str_eq(g.log, HOOKS_RUN HOOKS_END);
	ck_assert_uint_eq(g.completes, 2);
	ck_assert(!g.completed);
	ck_assert_uint_eq(g.status, 200);
	assert_idle();
}
END_TEST

/* A response larger than the send buffer goes out as ACKs make room, the
 * request behind it waits for it, and each completes once acknowledged.
 */
START_TEST(test_hooks_large)
{
	static char req[MAX_BODY + 512], want[2 * RESP_MAX], body[MAX_BODY];
	uint32_t k, n, len, steps = 0;
	struct fp_tcb *tcb;
	struct cli c;

	ck_assert_int_eq(fp_http_hook(srv, FP_HTTP_ON_COMPLETE, 0, hook_complete, "c"), 0);
	prm.sndbuf = 4096;
	start();
	for (k = 0; k < MAX_BODY; k++)
		body[k] = 'A' + k % 26;
	len = snprintf(req, sizeof(req), "POST /echo HTTP/1.1\r\nHost: t\r\n"
		"Content-Length: %u\r\n\r\n", MAX_BODY);
	memcpy(req + len, body, MAX_BODY);
	len += MAX_BODY;
	len += snprintf(req + len, sizeof(req) - len, GET_PLAIN);
	n = resp(want, "200 OK", OCTETS, "", NULL, body, MAX_BODY);
	n += resp_text(want + n, "200 OK", "", NULL, "ok\n");
	connect_to(&c, 40000);
	tcb = cli_conn(&c);
	cli_send(&c, F_ACK | F_PSH, req, len);
	ck_assert_uint_le(c.rx_len, prm.sndbuf);
	while (c.rx_len < n) {
		ck_assert_uint_lt(++steps, 100);
		ck_assert_uint_eq(g.handled, 1);
		ck_assert_uint_le(tcb->sq_bytes, prm.sndbuf);
		cli_send(&c, F_ACK, NULL, 0);
	}
	ck_assert_uint_gt(steps, 0);
	ck_assert_uint_le(g.completes, 1);
	take(&c, want, n);
	cli_send(&c, F_ACK, NULL, 0);
	ck_assert_str_eq(g.log, "H,c,c,");
	ck_assert(g.completed);
	assert_idle();
}
END_TEST

/* An ON_REQUEST hook answers: no routing, no handler. */
START_TEST(test_hook_answers_on_request)
{
	static const char post[] = "POST /private/echo HTTP/1.1\r\nHost: t\r\n"
		"Content-Length: 5\r\n\r\nhello";
	static const char www[] = "WWW-Authenticate: Bearer realm=\"t\"\r\n";
	static char want[RESP_MAX];
	struct cli c;
	uint32_t n;

	ck_assert_int_eq(fp_http_hook(srv, FP_HTTP_ON_REQUEST, 0, hook_auth, NULL), 0);
	ck_assert_int_eq(fp_http_hook(srv, FP_HTTP_BEFORE_HANDLER, 0, hook_note, "b"), 0);
	start();
	connect_to(&c, 40000);
	cli_str(&c, F_ACK | F_PSH, "GET /private/plain HTTP/1.1\r\nHost: t\r\n\r\n");
	n = resp_err(want, "401 Unauthorized", www, NULL);
	take(&c, want, n);
	ck_assert_str_eq(g.log, "auth,");
	ck_assert_uint_eq(g.handled, 0);
	/* The connection goes on; with the token, the handler answers. */
	cli_str(&c, F_ACK | F_PSH, "GET /private/plain HTTP/1.1\r\nHost: t\r\n"
		"Authorization: Bearer t\r\n\r\n");
	n = resp_text(want, "200 OK", "", NULL, "ok\n");
	take(&c, want, n);
	ck_assert_str_eq(g.log, "auth,auth,b,H,");
	cli_send(&c, F_ACK, NULL, 0);
	assert_idle();
	/* A body the answer did not wait for: closed after it. */
	cli_str(&c, F_ACK | F_PSH, post);
	n = resp_err(want, "401 Unauthorized", www, "close");
	take(&c, want, n);
	assert_fin();
	cli_assert_state(&c, FP_TCP_FIN_WAIT_1);
	ck_assert_uint_eq(g.handled, 1);
	cli_send(&c, F_ACK | F_FIN, NULL, 0);
	cli_assert_state(&c, FP_TCP_TIME_WAIT);
	assert_idle();
}
END_TEST

/* A BEFORE_HANDLER hook answers: routed, but no handler. */
START_TEST(test_hook_answers_before_handler)
{
	static char want[RESP_MAX];
	struct cli c;
	uint32_t n;

	ck_assert_int_eq(fp_http_hook(srv, FP_HTTP_ON_REQUEST, 0, hook_note, "q"), 0);
	ck_assert_int_eq(fp_http_hook(srv, FP_HTTP_BEFORE_HANDLER, 0, hook_deny, NULL), 0);
	ck_assert_int_eq(fp_http_hook(srv, FP_HTTP_BEFORE_HANDLER, 1, hook_note, "b1"), 0);
	start();
	connect_to(&c, 40000);
	cli_str(&c, F_ACK | F_PSH, "GET /things/bob HTTP/1.1\r\nHost: t\r\n\r\n");
	n = resp_err(want, "403 Forbidden", "", NULL);
	take(&c, want, n);
	ck_assert_str_eq(g.log, "q,deny,");
	ck_assert_uint_eq(g.handled, 0);
	cli_str(&c, F_ACK | F_PSH, "GET /things/ann HTTP/1.1\r\nHost: t\r\n\r\n");
	n = resp_text(want, "200 OK", "", NULL, "get ann\n");
	take(&c, want, n);
	ck_assert_str_eq(g.log, "q,deny,q,deny,b1,H,");
	ck_assert_uint_eq(g.handled, 1);
	cli_send(&c, F_ACK, NULL, 0);
	assert_idle();
}
END_TEST

/* Registration closes when the first worker starts. */
START_TEST(test_register_after_start)
{
	static char want[RESP_MAX];
	struct cli c;
	uint32_t n;

	start();
	ck_assert_int_eq(fp_http_route(srv, FP_HTTP_MB(FP_HTTP_M_GET), "/late", h_plain, NULL),
		-EBUSY);
	ck_assert_int_eq(fp_http_hook(srv, FP_HTTP_ON_REQUEST, 0, hook_note, "late"), -EBUSY);
	connect_to(&c, 40000);
	cli_str(&c, F_ACK | F_PSH, "GET /late HTTP/1.1\r\nHost: t\r\n\r\n");
	n = resp_err(want, "404 Not Found", "", NULL);
	take(&c, want, n);
	ck_assert_str_eq(g.log, "");
	ck_assert_uint_eq(g.handled, 0);
	cli_send(&c, F_ACK, NULL, 0);
	assert_idle();
}
END_TEST

/* Params, rest, query, headers by any case, the peer. */
START_TEST(test_request_api)
{
	static char want[RESP_MAX];
	char body[512];
	struct cli c;
	uint32_t n;

	start();
	connect_to(&c, 40123);
	cli_str(&c, F_ACK | F_PSH, "GET /info/a%20b/c?x=1&y=%41 HTTP/1.1\r\nHost: t\r\n"
		"X-Test: Value1\r\nx-test: second\r\n\r\n");
	snprintf(body, sizeof(body), "a=[a b] b=[c] q=[x=1&y=%%41] path=[/info/a b/c] "
		"target=[/info/a%%20b/c?x=1&y=%%41] x-test=[Value1] peer=198.18.0.10:40123\n");
	n = resp_text(want, "200 OK", "", NULL, body);
	take(&c, want, n);
	/* HEAD through the GET handler: its head, no body. */
	cli_str(&c, F_ACK | F_PSH, "HEAD /plain HTTP/1.1\r\nHost: t\r\n\r\n");
	n = resp_text(want, "200 OK", "", NULL, "ok\n") - 3;
	take(&c, want, n);
	cli_str(&c, F_ACK | F_PSH, "GET /files/css/a.css HTTP/1.1\r\nHost: t\r\n\r\n");
	n = resp_text(want, "200 OK", "", NULL, "rest=[css/a.css]\n");
	take(&c, want, n);
	cli_str(&c, F_ACK | F_PSH, "GET /files/ HTTP/1.1\r\nHost: t\r\n\r\n");
	n = resp_text(want, "200 OK", "", NULL, "rest=[]\n");
	take(&c, want, n);
	ck_assert_uint_eq(g.handled, 4);
	cli_send(&c, F_ACK, NULL, 0);
	assert_idle();
}
END_TEST

/* Deferred answers. */

/* Answered later from a posted function; the request behind it waits. */
START_TEST(test_defer)
{
	static char want[RESP_MAX];
	struct cli c;
	uint32_t n;

	ck_assert_int_eq(fp_http_hook(srv, FP_HTTP_ON_COMPLETE, 0, hook_complete, "c"), 0);
	start();
	connect_to(&c, 40000);
	cli_str(&c, F_ACK | F_PSH, "GET /defer HTTP/1.1\r\nHost: t\r\n\r\n" GET_PLAIN);
	assert_no_data();
	ck_assert_uint_eq(g.deferred, 1);
	ck_assert_str_eq(g.log, "H,");
	ck_assert_int_eq(st.g[FP_G_http_contexts], 1);
	ck_assert_int_eq(fp_http_post(srv, &g.h, defer_done, "later\n"), 0);
	/* Nothing runs before the worker polls. */
	ck_assert_uint_eq(g.resumes, 0);
	fp_http_poll(&hw);
	ck_assert_uint_eq(g.resumes, 1);
	ck_assert(g.resumed);
	fp_peer_flush(&pr);
	cli_recv(&c);
	n = resp_text(want, "200 OK", "", NULL, "later\n");
	n += resp_text(want + n, "200 OK", "", NULL, "ok\n");
	take(&c, want, n);
	ck_assert_str_eq(g.log, "H,R,H,");
	ck_assert_uint_eq(g.completes, 0);
	cli_send(&c, F_ACK, NULL, 0);
	fp_peer_assert_silent(&pr);
	ck_assert_str_eq(g.log, "H,R,H,c,c,");
	ck_assert(g.completed);
	assert_idle();
	/* A handle that was answered already finds nothing. */
	ck_assert_int_eq(fp_http_post(srv, &g.h, defer_done, "again\n"), 0);
	fp_http_poll(&hw);
	fp_peer_flush(&pr);
	fp_peer_assert_silent(&pr);
	ck_assert_uint_eq(g.resumes, 2);
	ck_assert(!g.resumed);
}
END_TEST

/* The completion arrives after the peer reset: nothing is sent. */
START_TEST(test_defer_reset)
{
	struct cli c;

	ck_assert_int_eq(fp_http_hook(srv, FP_HTTP_ON_COMPLETE, 0, hook_complete, "c"), 0);
	start();
	connect_to(&c, 40000);
	cli_str(&c, F_ACK | F_PSH, "GET /defer HTTP/1.1\r\nHost: t\r\n\r\n");
	assert_no_data();
	ck_assert_uint_eq(g.deferred, 1);
	cli_send(&c, F_RST, NULL, 0);
	fp_peer_assert_silent(&pr);
	cli_assert_state(&c, FP_TCP_CLOSED);
	ck_assert_str_eq(g.log, "H,c,");
	ck_assert(!g.completed);
	assert_idle();
	ck_assert_int_eq(fp_http_post(srv, &g.h, defer_done, "late\n"), 0);
	fp_http_poll(&hw);
	fp_peer_flush(&pr);
	fp_peer_assert_silent(&pr);
	ck_assert_uint_eq(g.resumes, 1);
	ck_assert(!g.resumed);
	/* Nor on a new connection in the same slot. */
	connect_to(&c, 40000);
	ck_assert_int_eq(fp_http_post(srv, &g.h, defer_done, "late\n"), 0);
	fp_http_poll(&hw);
	fp_peer_flush(&pr);
	fp_peer_assert_silent(&pr);
	ck_assert(!g.resumed);
	assert_idle();
}
END_TEST

/* Request bodies. */

static const char ECHO_BODY[] = "hello, world: 0123456789";

static const char *const echo_reqs[] = {
	"POST /echo HTTP/1.1\r\nHost: t\r\nContent-Type: text/x-test\r\n"
		"Content-Length: 24\r\n\r\nhello, world: 0123456789",
	"POST /echo HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n"
		"5\r\nhello\r\n8;ext=\"a b\"\r\n, world:\r\nB\r\n 0123456789\r\n"
		"0\r\nX-Trailer: t\r\n\r\n",
};

/* The body back byte for byte, the request cut in two at every byte. */
START_TEST(test_echo_split)
{
	const char *req = echo_reqs[_i], *type = _i == 0 ? "text/x-test" : OCTETS;
	uint32_t len = strlen(req), k, n;
	static char want[RESP_MAX];
	struct cli c;

	start();
	connect_to(&c, 40000);
	n = resp(want, "200 OK", type, "", NULL, ECHO_BODY, strlen(ECHO_BODY));
	cli_str(&c, F_ACK | F_PSH, req);
	take(&c, want, n);
	for (k = 1; k < len; k++) {
		cli_send(&c, F_ACK | F_PSH, req, k);
		ck_assert_msg(c.rx_len == 0, "cut at %u: answered early", k);
		assert_no_data();
		cli_send(&c, F_ACK | F_PSH, req + k, len - k);
		take(&c, want, n);
		cli_send(&c, F_ACK, NULL, 0);
		fp_peer_assert_silent(&pr);
		assert_idle();
	}
	ck_assert_uint_eq(g.handled, len);
	ck_assert_uint_eq(st.c[FP_C_http_requests], len);
}
END_TEST

/* Errors. */

START_TEST(test_not_found)
{
	static char want[RESP_MAX];
	struct cli c;
	uint32_t n;

	start();
	connect_to(&c, 40000);
	cli_str(&c, F_ACK | F_PSH, "GET /nowhere HTTP/1.1\r\nHost: t\r\n\r\n");
	n = resp_err(want, "404 Not Found", "", NULL);
	take(&c, want, n);
	/* Not a parameter's match: "/things/x/y" has one segment too many. */
	cli_str(&c, F_ACK | F_PSH, "GET /things/x/y HTTP/1.1\r\nHost: t\r\n\r\n");
	take(&c, want, n);
	cli_send(&c, F_ACK, NULL, 0);
	ck_assert_uint_eq(g.handled, 0);
	assert_idle();
}
END_TEST

/* 405 with Allow from every route that matches the path. */
START_TEST(test_method_not_allowed)
{
	static char want[RESP_MAX];
	struct cli c;
	uint32_t n;

	start();
	connect_to(&c, 40000);
	cli_str(&c, F_ACK | F_PSH, "POST /things/x HTTP/1.1\r\nHost: t\r\n"
		"Content-Length: 3\r\n\r\nabc");
	n = resp_err(want, "405 Method Not Allowed", "Allow: GET, HEAD, PUT, DELETE\r\n", NULL);
	take(&c, want, n);
	cli_str(&c, F_ACK | F_PSH, "DELETE /things/y HTTP/1.1\r\nHost: t\r\n\r\n");
	n = resp_err(want, "405 Method Not Allowed", "Allow: GET, HEAD, PUT\r\n", NULL);
	take(&c, want, n);
	cli_str(&c, F_ACK | F_PSH, "GET /echo HTTP/1.1\r\nHost: t\r\n\r\n");
	n = resp_err(want, "405 Method Not Allowed", "Allow: POST\r\n", NULL);
	take(&c, want, n);
	/* The connection stays usable. */
	cli_str(&c, F_ACK | F_PSH, "DELETE /things/x HTTP/1.1\r\nHost: t\r\n\r\n");
	n = resp_text(want, "200 OK", "", NULL, "ok\n");
	take(&c, want, n);
	cli_send(&c, F_ACK, NULL, 0);
	ck_assert_uint_eq(g.handled, 1);
	assert_idle();
}
END_TEST

/* One request on a connection from port that is answered with close: the
 * answer, then our FIN.
 */
static void
refused(uint16_t port, const char *req, uint32_t len, const char *status)
{
	static char want[RESP_MAX];
	struct cli c;
	uint32_t n;

	connect_to(&c, port);
	cli_send(&c, F_ACK | F_PSH, req, len);
	n = resp_err(want, status, "", "close");
	take(&c, want, n);
	assert_fin();
	ck_assert(c.rx_fin);
	cli_assert_state(&c, FP_TCP_FIN_WAIT_1);
	cli_send(&c, F_ACK | F_FIN, NULL, 0);
	cli_assert_state(&c, FP_TCP_TIME_WAIT);
	ck_assert_uint_eq(g.handled, 0);
	assert_idle();
}

START_TEST(test_body_too_large)
{
	static char req[MAX_BODY + 512], want[RESP_MAX], body[MAX_BODY];
	struct cli c;
	uint32_t k;
	int n;

	start();
	/* By its Content-Length, before any of it comes. */
	n = snprintf(req, sizeof(req), "POST /echo HTTP/1.1\r\nHost: t\r\n"
		"Content-Length: %u\r\n\r\n", MAX_BODY + 1);
	refused(40000, req, n, "413 Content Too Large");
	/* Chunked: one chunk too large, or chunks that add up to too much. */
	n = snprintf(req, sizeof(req), "POST /echo HTTP/1.1\r\nHost: t\r\n"
		"Transfer-Encoding: chunked\r\n\r\n%x\r\n", MAX_BODY + 1);
	refused(40001, req, n, "413 Content Too Large");
	n = snprintf(req, sizeof(req), "POST /echo HTTP/1.1\r\nHost: t\r\n"
		"Transfer-Encoding: chunked\r\n\r\n%x\r\n", MAX_BODY);
	memset(req + n, 'a', MAX_BODY);
	n += MAX_BODY;
	n += snprintf(req + n, sizeof(req) - n, "\r\n1\r\nb\r\n0\r\n\r\n");
	refused(40002, req, n, "413 Content Too Large");
	ck_assert_uint_eq(st.c[FP_C_http_413], 3);
	/* Exactly max_body, either way, is read and answered. */
	for (k = 0; k < MAX_BODY; k++)
		body[k] = 'a' + k % 26;
	connect_to(&c, 40003);
	n = snprintf(req, sizeof(req), "POST /echo HTTP/1.1\r\nHost: t\r\n"
		"Content-Length: %u\r\n\r\n", MAX_BODY);
	memcpy(req + n, body, MAX_BODY);
	cli_send(&c, F_ACK | F_PSH, req, n + MAX_BODY);
	k = resp(want, "200 OK", OCTETS, "", NULL, body, MAX_BODY);
	take(&c, want, k);
	n = snprintf(req, sizeof(req), "POST /echo HTTP/1.1\r\nHost: t\r\n"
		"Transfer-Encoding: chunked\r\n\r\n%x\r\n", MAX_BODY);
	memcpy(req + n, body, MAX_BODY);
	n += MAX_BODY;
	n += snprintf(req + n, sizeof(req) - n, "\r\n0\r\n\r\n");
	cli_send(&c, F_ACK | F_PSH, req, n);
	take(&c, want, k);
	cli_send(&c, F_ACK, NULL, 0);
	ck_assert_uint_eq(g.handled, 2);
	assert_idle();
}
END_TEST

/* Malformed chunk sizes and framing: 400, then close. */
static const char *const bad_chunks[] = {
	"zz\r\nhello\r\n0\r\n\r\n",		/* not hex */
	"\r\nhello\r\n0\r\n\r\n",		/* empty */
	"-5\r\nhello\r\n0\r\n\r\n",		/* a sign */
	"0x5\r\nhello\r\n0\r\n\r\n",		/* a C prefix */
	"10000000000000000\r\nhello\r\n",	/* over 64 bits */
	"5\rhello\r\n0\r\n\r\n",		/* a bare CR */
	"5\r\nhelloX\r\n0\r\n\r\n",		/* data longer than its size */
	"5;\r\nhello\r\n0\r\n\r\n",		/* an extension without a name */
};

START_TEST(test_bad_chunk)
{
	static char req[512];
	int n;

	start();
	n = snprintf(req, sizeof(req), "POST /echo HTTP/1.1\r\nHost: t\r\n"
		"Transfer-Encoding: chunked\r\n\r\n%s", bad_chunks[_i]);
	refused(40000, req, n, "400 Bad Request");
	ck_assert_uint_eq(st.c[FP_C_http_400], 1);
}
END_TEST

/* A body that stops coming: 408 after body_timeout_s, then FIN. */
START_TEST(test_body_timeout)
{
	static char want[RESP_MAX];
	uint32_t ms = BODY_TIMEOUT_S * 1000, n;
	struct cli c;

	start();
	connect_to(&c, 40000);
	cli_str(&c, F_ACK | F_PSH, "POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 10\r\n"
		"\r\nhel");
	assert_no_data();
	ck_assert_int_eq(st.g[FP_G_http_body_buffers], 1);
	fp_peer_advance(&pr, prm.delack_ms);
	assert_no_data();
	cli_str(&c, F_ACK | F_PSH, "lo");
	assert_no_data();
	fp_peer_advance(&pr, ms - prm.delack_ms - 1);
	assert_no_data();
	ck_assert_uint_eq(c.rx_len, 0);
	fp_peer_advance(&pr, 1);
	cli_recv(&c);
	n = resp_err(want, "408 Request Timeout", "", "close");
	take(&c, want, n);
	assert_fin();
	ck_assert(c.rx_fin);
	ck_assert_uint_eq(g.handled, 0);
	ck_assert_uint_eq(st.c[FP_C_http_408], 1);
	/* The rest of the body is too late: read and ignored. */
	cli_str(&c, F_ACK | F_PSH, "world");
	ck_assert_uint_eq(c.rx_len, 0);
	cli_send(&c, F_ACK | F_FIN, NULL, 0);
	cli_assert_state(&c, FP_TCP_TIME_WAIT);
	assert_idle();
}
END_TEST

/* Streams: 100 MB to a slow reader. */

#define ST_TOTAL	(100u * 1024 * 1024)
#define ST_PAT		1048573u	/* prime: a slipped offset never realigns */
#define ST_WRITE	(64u * 1024)	/* what one write offers */
#define ST_SNDBUF	(256u * 1024)
#define ST_WND		(64u * 1024)	/* the reader's window */
#define ST_MSS		8960
#define ST_ACK		5000	/* what one ACK of the reader takes: part of a segment */
#define ST_SIZES	4096	/* chunks written and not yet read */
#define ST_STALL	1000	/* ms the reader waits for more before it fails */

enum { SR_HEAD, SR_SIZE, SR_SIZE_LF, SR_DATA, SR_DATA_CR, SR_DATA_LF, SR_LAST_CR,
	SR_LAST_LF, SR_DONE };

static struct {
	uint8_t *pat;		/* ST_PAT bytes, then again ST_WRITE of them */
	struct fp_tcb *tcb;
	/* The writer. */
	uint64_t w_off;
	uint32_t sizes[ST_SIZES];	/* each write's size: its chunk's */
	uint32_t w_n;
	unsigned int writables;
	uint32_t max_sq;	/* the fullest the send queue got */
	bool ended;
	/* The reader. */
	char head[512];
	uint32_t head_len;
	uint32_t head_got;
	int state;
	uint64_t size;
	unsigned int digits;
	uint64_t left;
	uint64_t r_off;
	uint32_t r_n;
} sm;

static void
st_fill(struct fp_http_ctx *x)
{
	uint32_t n;
	int ret;

	while (sm.w_off < ST_TOTAL) {
		n = RTE_MIN(ST_WRITE, ST_TOTAL - (uint32_t)sm.w_off);
		ret = fp_http_write(x, sm.pat + sm.w_off % ST_PAT, n);
		ck_assert_uint_le(sm.tcb->sq_bytes, prm.sndbuf);
		sm.max_sq = RTE_MAX(sm.max_sq, sm.tcb->sq_bytes);
		if (ret == -EAGAIN)
			return;
		ck_assert_int_gt(ret, 0);
		ck_assert_int_le(ret, (int)n);
		ck_assert_uint_lt(sm.w_n - sm.r_n, ST_SIZES);
		sm.sizes[sm.w_n++ % ST_SIZES] = ret;
		sm.w_off += ret;
		if ((uint32_t)ret < n)
			return;
	}
	fp_http_stream_end(x);
	sm.ended = true;
}

static void
st_writable(struct fp_http_ctx *x, void *arg __rte_unused)
{
	ck_assert(!sm.ended);
	sm.writables++;
	st_fill(x);
}

static int
h_stream(struct fp_http_ctx *x, void *arg __rte_unused)
{
	fp_http_set_type(x, OCTETS);
	ck_assert_int_eq(fp_http_stream(x, st_writable, NULL), 0);
	st_fill(x);
	return FP_HTTP_ASYNC;
}

static int
hexval(uint8_t ch)
{
	if (ch >= '0' && ch <= '9')
		return ch - '0';
	if (ch >= 'a' && ch <= 'f')
		return ch - 'a' + 10;
	if (ch >= 'A' && ch <= 'F')
		return ch - 'A' + 10;
	return -1;
}

/* The reader: the head, then the chunks checked against the pattern and
 * the sizes written, as they come.
 */
static void
st_sink(struct cli *c __rte_unused, const uint8_t *p, uint32_t len)
{
	uint32_t i = 0, n;
	int v;

	while (i < len) {
		switch (sm.state) {
		case SR_HEAD:
			n = RTE_MIN(len - i, sm.head_len - sm.head_got);
			ck_assert_msg(memcmp(p + i, sm.head + sm.head_got, n) == 0,
				"the head differs: %.*s", (int)(len - i), p + i);
			sm.head_got += n;
			i += n;
			if (sm.head_got == sm.head_len)
				sm.state = SR_SIZE;
			continue;
		case SR_SIZE:
			if (p[i] == '\r') {
				ck_assert_uint_gt(sm.digits, 0);
				sm.state = SR_SIZE_LF;
				break;
			}
			v = hexval(p[i]);
			ck_assert_msg(v >= 0 && sm.digits < 8, "bad chunk size byte %#x after %"
				PRIu64, p[i], sm.r_off);
			sm.size = sm.size * 16 + v;
			sm.digits++;
			break;
		case SR_SIZE_LF:
			ck_assert_uint_eq(p[i], '\n');
			if (sm.size == 0) {
				sm.state = SR_LAST_CR;
				break;
			}
			ck_assert_uint_lt(sm.r_n, sm.w_n);
			ck_assert_uint_eq(sm.size, sm.sizes[sm.r_n++ % ST_SIZES]);
			sm.left = sm.size;
			sm.state = SR_DATA;
			break;
		case SR_DATA:
			n = (uint32_t)RTE_MIN((uint64_t)(len - i), sm.left);
			ck_assert_msg(memcmp(p + i, sm.pat + sm.r_off % ST_PAT, n) == 0,
				"stream bytes differ within [%" PRIu64 ", %" PRIu64 ")", sm.r_off,
				sm.r_off + n);
			sm.r_off += n;
			sm.left -= n;
			i += n;
			if (sm.left == 0)
				sm.state = SR_DATA_CR;
			continue;
		case SR_DATA_CR:
		case SR_LAST_CR:
			ck_assert_uint_eq(p[i], '\r');
			sm.state++;
			break;
		case SR_DATA_LF:
			ck_assert_uint_eq(p[i], '\n');
			sm.state = SR_SIZE;
			sm.size = 0;
			sm.digits = 0;
			break;
		case SR_LAST_LF:
			ck_assert_uint_eq(p[i], '\n');
			sm.state = SR_DONE;
			break;
		default:
			ck_abort_msg("%u bytes after the last chunk", len - i);
		}
		i++;
	}
}

/* The stream goes through the send buffer, never over it, as fast as a
 * reader with a small window that acknowledges ST_ACK bytes a millisecond
 * takes it; each chunk decodes to exactly what its write gave.
 */
START_TEST(test_stream_backpressure)
{
	uint32_t acked, next, idle = 0, i, x = 2463534242u;
	unsigned int steps = 0;
	struct cli c;

	prm.mtu = 9000;
	prm.sndbuf = ST_SNDBUF;
	memset(&sm, 0, sizeof(sm));
	sm.pat = malloc(ST_PAT + ST_WRITE);
	ck_assert_ptr_nonnull(sm.pat);
	for (i = 0; i < ST_PAT; i++) {
		x ^= x << 13;
		x ^= x >> 17;
		x ^= x << 5;
		sm.pat[i] = (uint8_t)x;
	}
	memcpy(sm.pat + ST_PAT, sm.pat, ST_WRITE);
	ck_assert_int_eq(fp_http_hook(srv, FP_HTTP_ON_COMPLETE, 0, hook_complete, "c"), 0);
	start();
	sm.head_len = snprintf(sm.head, sizeof(sm.head), "HTTP/1.1 200 OK\r\nServer: %s\r\n"
		"Date: %.*s\r\nContent-Type: %s\r\nTransfer-Encoding: chunked\r\n\r\n",
		cfg.server, FP_HTTP_DATE_LEN, hw.date, OCTETS);
	cli_init(&c, &pr, 40000, 1000);
	c.mss = ST_MSS;
	c.wnd = ST_WND;
	cli_connect(&c);
	sm.tcb = cli_conn(&c);
	ck_assert_uint_eq(sm.tcb->mss, ST_MSS - 12);
	c.sink = st_sink;
	cli_str(&c, F_ACK | F_PSH, "GET /stream HTTP/1.1\r\nHost: t\r\n\r\n");
	ck_assert_uint_gt(pr.nb_out, 0);
	ck_assert_uint_le(sm.tcb->sq_bytes, prm.sndbuf);
	/* The first writes filled the send buffer. */
	ck_assert_uint_ge(sm.w_off, ST_SNDBUF - ST_WRITE);
	acked = c.iss + 1;
	while (sm.state != SR_DONE || acked != c.ack) {
		ck_assert_uint_lt(++steps, 2 * ST_TOTAL / ST_MSS + 10000);
		fp_peer_advance(&pr, 1);
		cli_recv(&c);
		next = fp_seq_lt(acked + ST_ACK, c.ack) ? acked + ST_ACK : c.ack;
		if (next == acked) {
			ck_assert_msg(++idle < ST_STALL, "stalled at %" PRIu64 " of %u bytes read",
				sm.r_off, ST_TOTAL);
			continue;
		}
		idle = 0;
		cli_send_at(&c, F_ACK, c.seq, next, NULL, 0);
		acked = next;
		ck_assert_uint_le(sm.tcb->sq_bytes, prm.sndbuf);
		ck_assert_uint_le(sm.tcb->snd_max - sm.tcb->snd_una, ST_WND);
	}
	ck_assert(sm.ended);
	ck_assert_uint_eq(sm.w_off, ST_TOTAL);
	ck_assert_uint_eq(sm.r_off, ST_TOTAL);
	ck_assert_uint_eq(sm.r_n, sm.w_n);
	ck_assert_uint_gt(sm.writables, 1);
	/* Full: a write found no room for a chunk's framing. */
	ck_assert_uint_gt(sm.max_sq, prm.sndbuf - 18);
	ck_assert_str_eq(g.log, "c,");
	ck_assert(g.completed);
	ck_assert_uint_eq(st.c[FP_C_tcp_retransmits], 0);
	cli_assert_state(&c, FP_TCP_ESTABLISHED);
	assert_idle();
	if (getenv("FP_TEST_VERBOSE") != NULL)
		printf("stream: %u MB in %u chunks, %u writable calls, %u reader steps, "
			"%u fake ms\n", ST_TOTAL >> 20, sm.w_n, sm.writables, steps, t.now_ms);
	free(sm.pat);
	sm.pat = NULL;
}
END_TEST

/* Regressions: each of these once went wrong. */

static unsigned int s1_runs;

/* A stream that ends inside its handler. */
static int
h_s1(struct fp_http_ctx *x, void *arg __rte_unused)
{
	s1_runs++;
	fp_http_set_type(x, TEXT);
	ck_assert_int_eq(fp_http_stream(x, NULL, NULL), 0);
	ck_assert_int_eq(fp_http_write(x, "x\n", 2), 2);
	fp_http_stream_end(x);
	return FP_HTTP_ASYNC;
}

/* A deferred answer finished by a posted function starts the loop over the
 * requests behind it; one of those that finishes itself must not start a
 * second loop (it ran the same request again and again, then crashed).
 */
START_TEST(test_reg_finish_in_loop)
{
	static char want[RESP_MAX];
	struct cli c;
	uint32_t n;

	ck_assert_int_eq(fp_http_route(srv, FP_HTTP_MB(FP_HTTP_M_GET), "/s1", h_s1, NULL), 0);
	start();
	connect_to(&c, 40000);
	cli_str(&c, F_ACK | F_PSH, "GET /defer HTTP/1.1\r\nHost: t\r\n\r\n"
		"GET /s1 HTTP/1.1\r\nHost: t\r\n\r\n");
	ck_assert_int_eq(fp_http_post(srv, &g.h, defer_done, "later\n"), 0);
	fp_http_poll(&hw);
	fp_peer_flush(&pr);
	cli_recv(&c);
	ck_assert_uint_eq(s1_runs, 1);
	n = resp_text(want, "200 OK", "", NULL, "later\n");
	n += snprintf(want + n, RESP_MAX - n, "HTTP/1.1 200 OK\r\nServer: %s\r\nDate: %.*s\r\n"
		"Content-Type: %s\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nx\n\r\n0\r\n\r\n",
		cfg.server, FP_HTTP_DATE_LEN, hw.date, TEXT);
	take(&c, want, n);
	cli_send(&c, F_ACK, NULL, 0);
	assert_idle();
}
END_TEST

static char qseen[64];

static int
h_q(struct fp_http_ctx *x, void *arg __rte_unused)
{
	struct fp_http_slice q = fp_http_ctx_query(x);

	snprintf(qseen, sizeof(qseen), "%.*s", (int)RTE_MIN(q.len, 40u), q.p);
	return body_str(x, "q\n");
}

/* The query of a request whose body came later is read from the request's
 * own copy, not from the segment the head came in.
 */
START_TEST(test_reg_query_after_body)
{
	static struct rte_mbuf *ms[NB_MBUFS];
	char body[300];
	struct cli c;
	unsigned int k = 0;

	ck_assert_int_eq(fp_http_route(srv, FP_HTTP_MB(FP_HTTP_M_POST), "/q", h_q, NULL), 0);
	start();
	connect_to(&c, 40000);
	cli_str(&c, F_ACK | F_PSH, "POST /q?name=abcdef HTTP/1.1\r\nHost: t\r\n"
		"Content-Length: 300\r\n\r\n");
	/* Every free mbuf scribbled over, as their reuse would. */
	while (k < NB_MBUFS && (ms[k] = rte_pktmbuf_alloc(pool)) != NULL) {
		memset(rte_pktmbuf_mtod(ms[k], char *), 'Q', rte_pktmbuf_tailroom(ms[k]));
		k++;
	}
	while (k > 0)
		rte_pktmbuf_free(ms[--k]);
	memset(body, 'Z', sizeof(body));
	cli_send(&c, F_ACK | F_PSH, body, sizeof(body));
	ck_assert_str_eq(qseen, "name=abcdef");
}
END_TEST

/* Request-body buffers next to the one in use keep their bytes. */
static void
canary_fill(unsigned int idx, uint8_t v)
{
	memset(hw.rbufs + hw.rbuf_size * idx, v, hw.rbuf_size);
}

static void
canary_check(unsigned int idx, uint8_t v)
{
	size_t i;

	for (i = 0; i < hw.rbuf_size; i++)
		ck_assert_msg(hw.rbufs[hw.rbuf_size * idx + i] == v, "byte %zu of buffer %u", i,
			idx);
}

/* Recreates the server with cfg as the test changed it. */
static void
reconfigure(void)
{
	struct fp_err err;

	fp_http_server_free(srv);
	srv = fp_http_server_create(&cfg, 1, &err);
	ck_assert_msg(srv != NULL, "%s", err.msg);
	ck_assert_int_eq(fp_http_route(srv, FP_HTTP_MB(FP_HTTP_M_POST), "/echo", h_echo,
		NULL), 0);
}

/* A whole head over max_header_bytes in one segment gets 431, like a split
 * one (it overflowed the request-body buffer).
 */
START_TEST(test_reg_head_over_limit)
{
	static char req[MAX_BODY + 2048], want[RESP_MAX];
	struct cli c;
	int n;

	cfg.max_header_bytes = 512;
	cfg.max_uri = 256;
	reconfigure();
	start();
	canary_fill(0, 0xab);
	canary_fill(1, 0xab);
	connect_to(&c, 40000);
	n = snprintf(req, sizeof(req), "POST /echo HTTP/1.1\r\nHost: t\r\nX-Pad: ");
	memset(req + n, 'A', 1000);
	n += 1000;
	n += snprintf(req + n, sizeof(req) - n, "\r\nContent-Length: %u\r\n\r\n", MAX_BODY);
	memset(req + n, 'B', MAX_BODY);
	cli_send(&c, F_ACK | F_PSH, req, n + MAX_BODY);
	ck_assert_uint_eq(g.handled, 0);
	canary_check(1, 0xab);
	assert_fin();
	take(&c, want, resp_err(want, "431 Request Header Fields Too Large", "", "close"));
	ck_assert_uint_eq(st.c[FP_C_http_err_header_too_large], 1);
}
END_TEST

/* max_body 0 takes no chunked body either (0 meant no limit to the
 * decoder, and the body overflowed its buffer).
 */
START_TEST(test_reg_chunked_max_body_0)
{
	static char req[20000], want[RESP_MAX];
	struct cli c;
	int n;

	cfg.max_body = 0;
	reconfigure();
	start();
	canary_fill(1, 0xab);
	connect_to(&c, 40000);
	n = snprintf(req, sizeof(req), "POST /echo HTTP/1.1\r\nHost: t\r\n"
		"Transfer-Encoding: chunked\r\n\r\n%x\r\n", 8000);
	memset(req + n, 'B', 8000);
	n += 8000;
	n += snprintf(req + n, sizeof(req) - n, "\r\n0\r\n\r\n");
	cli_send(&c, F_ACK | F_PSH, req, n);
	canary_check(1, 0xab);
	ck_assert_uint_eq(g.handled, 0);
	take(&c, want, resp_err(want, "413 Content Too Large", "", "close"));
}
END_TEST

static int
h_big(struct fp_http_ctx *x, void *arg __rte_unused)
{
	static char b[5000];

	memset(b, 'b', sizeof(b));
	fp_http_set_type(x, TEXT);
	ck_assert_int_eq(fp_http_set_body(x, b, sizeof(b)), 0);
	return FP_HTTP_DONE;
}

/* The ACK of everything, FIN included, after a retransmission timeout that
 * resent only the first segment, completes the close (a second FIN went out
 * one past the first, and the close never completed).
 */
START_TEST(test_reg_fin_after_rto)
{
	struct fp_tcb *tcb;
	struct cli c;
	unsigned int i;

	ck_assert_int_eq(fp_http_route(srv, FP_HTTP_MB(FP_HTTP_M_GET), "/big", h_big, NULL), 0);
	start();
	connect_to(&c, 40000);
	cli_str(&c, F_ACK | F_PSH, "GET /big HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n");
	assert_fin();
	/* The client has it all; its ACK is lost, the timer goes off. */
	fp_peer_advance(&pr, 1100);
	ck_assert_uint_gt(pr.nb_out, 0);
	c.rx_len = 0;
	cli_send(&c, F_ACK, NULL, 0);
	for (i = 0; i < pr.nb_out; i++)
		ck_assert_msg(!(pr.out[i].flags & F_FIN), "a FIN again, at %u",
			pr.out[i].seq - c.iss);
	tcb = cli_conn(&c);
	ck_assert_ptr_nonnull(tcb);
	ck_assert_uint_eq(tcb->state, FP_TCP_FIN_WAIT_2);
	ck_assert_uint_eq(tcb->snd_una, tcb->snd_max);
}
END_TEST

static void
oc_end(struct fp_http_ctx *x, void *arg __rte_unused)
{
	note("oc");
	fp_http_stream_end(x);
	ck_assert_int_eq(fp_http_write(x, "y", 1), -EPIPE);
}

static int
h_oc(struct fp_http_ctx *x, void *arg __rte_unused)
{
	fp_http_set_type(x, TEXT);
	ck_assert_int_eq(fp_http_stream(x, NULL, NULL), 0);
	fp_http_on_close(x, oc_end, NULL);
	return FP_HTTP_ASYNC;
}

/* on_close may call the stream functions: nothing goes out, and the
 * context ends once (it was freed twice).
 */
START_TEST(test_reg_on_close_calls)
{
	struct cli c;

	ck_assert_int_eq(fp_http_route(srv, FP_HTTP_MB(FP_HTTP_M_GET), "/oc", h_oc, NULL), 0);
	start();
	connect_to(&c, 40000);
	cli_str(&c, F_ACK | F_PSH, "GET /oc HTTP/1.1\r\nHost: t\r\n\r\n");
	ck_assert_int_eq(st.g[FP_G_http_contexts], 1);
	cli_send(&c, F_RST, NULL, 0);
	fp_peer_assert_silent(&pr);
	ck_assert_str_eq(g.log, "oc,");
	ck_assert_uint_eq(hw.nb_ctx_free, srv->nb_ctx);
	ck_assert_int_eq(st.g[FP_G_http_contexts], 0);
}
END_TEST

/* A client's FIN keeps the requests it sent behind a request in progress:
 * they are answered, then the FIN (they were thrown away).
 */
START_TEST(test_reg_fin_keeps_pipelined)
{
	static char want[RESP_MAX];
	struct cli c;
	uint32_t n;

	start();
	connect_to(&c, 40000);
	cli_str(&c, F_ACK | F_PSH, "GET /defer HTTP/1.1\r\nHost: t\r\n\r\n" GET_PLAIN);
	cli_send(&c, F_ACK | F_FIN, NULL, 0);
	ck_assert_int_eq(fp_http_post(srv, &g.h, defer_done, "later\n"), 0);
	fp_http_poll(&hw);
	fp_peer_flush(&pr);
	cli_recv(&c);
	n = resp_text(want, "200 OK", "", NULL, "later\n");
	n += resp_text(want + n, "200 OK", "", NULL, "ok\n");
	take(&c, want, n);
	assert_fin();
	ck_assert_uint_eq(g.handled, 2);
}
END_TEST

static int
hook_304(struct fp_http_ctx *x, void *arg __rte_unused)
{
	fp_http_set_status(x, 304);
	return FP_HTTP_CONTINUE;
}

/* RFC 9110 6.4.1: a 304 carries no content (the body went out after the
 * head, to be read as the next response).
 */
START_TEST(test_reg_304_no_body)
{
	static char want[RESP_MAX];
	struct cli c;
	int n;

	ck_assert_int_eq(fp_http_hook(srv, FP_HTTP_ON_RESPONSE, 0, hook_304, NULL), 0);
	start();
	connect_to(&c, 40000);
	cli_str(&c, F_ACK | F_PSH, GET_PLAIN);
	n = snprintf(want, sizeof(want), "HTTP/1.1 304 Not Modified\r\nServer: %s\r\n"
		"Date: %.*s\r\nContent-Type: %s\r\n\r\n", cfg.server, FP_HTTP_DATE_LEN, hw.date,
		TEXT);
	take(&c, want, n);
	cli_send(&c, F_ACK, NULL, 0);
	assert_idle();
}
END_TEST

/* fp_http_compress(): arg is the Content-Type; the body is 4 KB of JSON
 * that compresses well, or a short one when the path ends in "small".
 */
static char gz_body[4096];

static int
h_gz(struct fp_http_ctx *x, void *arg)
{
	struct fp_http_slice p = fp_http_ctx_path(x);
	uint32_t len = p.len > 5 && memcmp(p.p + p.len - 5, "small", 5) == 0 ? 100 :
		sizeof(gz_body);

	fp_http_set_type(x, arg);
	ck_assert_int_eq(fp_http_set_body(x, gz_body, len), 0);
	ck_assert_int_eq(fp_http_compress(x), 0);
	return FP_HTTP_DONE;
}

/* The response to a GET of path with Accept-Encoding ae (NULL: none),
 * whole in c's buffer; returns the head's length.
 */
static uint32_t
gz_get(struct cli *c, const char *path, const char *ae)
{
	char req[256];
	const char *end;

	snprintf(req, sizeof(req), "GET %s HTTP/1.1\r\nHost: t\r\n%s%s%s\r\n", path,
		ae ? "Accept-Encoding: " : "", ae ? ae : "", ae ? "\r\n" : "");
	c->rx_len = 0;
	cli_str(c, F_ACK | F_PSH, req);
	cli_send(c, F_ACK, NULL, 0);
	end = memmem(c->rx, c->rx_len, "\r\n\r\n", 4);
	ck_assert_msg(end != NULL, "no whole head in %u bytes", c->rx_len);
	return end + 4 - (const char *)c->rx;
}

static bool
has_line(const struct cli *c, uint32_t hl, const char *line)
{
	return memmem(c->rx, hl, line, strlen(line)) != NULL;
}

START_TEST(test_compress_on_the_fly)
{
	struct libdeflate_decompressor *d = libdeflate_alloc_decompressor();
	static char out[sizeof(gz_body)];
	char cl[64];
	size_t got = 0;
	uint32_t hl, i;
	struct cli c;

	ck_assert_ptr_nonnull(d);
	for (i = 0; i < sizeof(gz_body); i++)
		gz_body[i] = "{\"k\": 12345, \"v\": [1, 2, 3]}\n"[i % 30];
	ck_assert_int_eq(fp_http_route(srv, FP_HTTP_MB(FP_HTTP_M_GET), "/gz/json", h_gz,
		"application/json"), 0);
	ck_assert_int_eq(fp_http_route(srv, FP_HTTP_MB(FP_HTTP_M_GET), "/gz/json/small", h_gz,
		"application/json"), 0);
	ck_assert_int_eq(fp_http_route(srv, FP_HTTP_MB(FP_HTTP_M_GET), "/gz/png", h_gz,
		"image/png"), 0);
	ck_assert_int_eq(fp_http_route(srv, FP_HTTP_MB(FP_HTTP_M_GET), "/gz/events", h_gz,
		"text/event-stream"), 0);
	start();
	connect_to(&c, 40000);

	/* gzip taken: compressed, and it decompresses to the body. */
	hl = gz_get(&c, "/gz/json", "br, gzip");
	ck_assert(has_line(&c, hl, "\r\nContent-Encoding: gzip\r\n"));
	ck_assert(has_line(&c, hl, "\r\nVary: Accept-Encoding\r\n"));
	snprintf(cl, sizeof(cl), "\r\nContent-Length: %u\r\n", c.rx_len - hl);
	ck_assert_msg(has_line(&c, hl, cl), "%.*s", (int)hl, (const char *)c.rx);
	ck_assert_uint_lt(c.rx_len - hl, sizeof(gz_body) / 4);
	ck_assert_int_eq(libdeflate_gzip_decompress(d, c.rx + hl, c.rx_len - hl, out,
		sizeof(out), &got), LIBDEFLATE_SUCCESS);
	ck_assert_uint_eq(got, sizeof(gz_body));
	ck_assert_mem_eq(out, gz_body, sizeof(gz_body));
	ck_assert_uint_eq(st.c[FP_C_http_deflated], 1);
	ck_assert_uint_eq(st.c[FP_C_http_deflate_in_bytes], sizeof(gz_body));
	ck_assert_uint_eq(st.c[FP_C_http_deflate_out_bytes], c.rx_len - hl);

	/* Not taken (none, q=0, malformed): the body as it is, with Vary. */
	hl = gz_get(&c, "/gz/json", NULL);
	ck_assert(!has_line(&c, hl, "Content-Encoding"));
	ck_assert(has_line(&c, hl, "\r\nVary: Accept-Encoding\r\n"));
	ck_assert_uint_eq(c.rx_len - hl, sizeof(gz_body));
	hl = gz_get(&c, "/gz/json", "gzip;q=0, br");
	ck_assert(!has_line(&c, hl, "Content-Encoding"));
	hl = gz_get(&c, "/gz/json", "gzip;q=5");
	ck_assert(!has_line(&c, hl, "Content-Encoding"));
	/* Below dynamic_min, an image, an event stream: untouched, no Vary. */
	hl = gz_get(&c, "/gz/json/small", "gzip");
	ck_assert(!has_line(&c, hl, "Content-Encoding") && !has_line(&c, hl, "Vary"));
	ck_assert_uint_eq(c.rx_len - hl, 100);
	hl = gz_get(&c, "/gz/png", "gzip");
	ck_assert(!has_line(&c, hl, "Content-Encoding") && !has_line(&c, hl, "Vary"));
	hl = gz_get(&c, "/gz/events", "gzip");
	ck_assert(!has_line(&c, hl, "Content-Encoding") && !has_line(&c, hl, "Vary"));
	ck_assert_uint_eq(st.c[FP_C_http_deflated], 1);
	libdeflate_free_decompressor(d);
	assert_idle();
}
END_TEST

static struct fp_http_ctx *late_x;

static void
late_closed(struct fp_http_ctx *x __rte_unused, void *arg __rte_unused)
{
	late_x = NULL;
}

/* A stream the application ends later, from outside any callback. */
static int
h_late(struct fp_http_ctx *x, void *arg __rte_unused)
{
	fp_http_set_type(x, TEXT);
	ck_assert_int_eq(fp_http_stream(x, NULL, NULL), 0);
	fp_http_on_close(x, late_closed, NULL);
	late_x = x;
	return FP_HTTP_ASYNC;
}

/* A stream ended outside TCP's callbacks sends the answers of the requests
 * that waited behind it at once (they stayed queued until the next event).
 */
START_TEST(test_reg_stream_end_pipelined)
{
	static char want[RESP_MAX];
	struct cli c;
	int n;

	ck_assert_int_eq(fp_http_route(srv, FP_HTTP_MB(FP_HTTP_M_GET), "/late", h_late, NULL),
		0);
	start();
	connect_to(&c, 40000);
	cli_str(&c, F_ACK | F_PSH, "GET /late HTTP/1.1\r\nHost: t\r\n\r\n" GET_PLAIN);
	n = snprintf(want, sizeof(want), "HTTP/1.1 200 OK\r\nServer: %s\r\nDate: %.*s\r\n"
		"Content-Type: %s\r\nTransfer-Encoding: chunked\r\n\r\n", cfg.server,
		FP_HTTP_DATE_LEN, hw.date, TEXT);
	take(&c, want, n);
	ck_assert_ptr_nonnull(late_x);
	ck_assert_int_eq(fp_http_write(late_x, "z\n", 2), 2);
	fp_http_stream_end(late_x);
	fp_peer_flush(&pr);
	cli_recv(&c);
	n = snprintf(want, sizeof(want), "2\r\nz\n\r\n0\r\n\r\n");
	n += resp_text(want + n, "200 OK", "", NULL, "ok\n");
	take(&c, want, n);
	ck_assert_uint_eq(g.handled, 1);
	cli_send(&c, F_ACK, NULL, 0);
	assert_idle();
}
END_TEST

Suite *
http_handlers_suite(void)
{
	Suite *s = suite_create("http_handlers");
	TCase *tc;

	tc = tcase_create("hooks");
	tcase_add_unchecked_fixture(tc, eal_up, eal_down);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_hooks_order);
	tcase_add_test(tc, test_idle_conn_memory);
	tcase_add_test(tc, test_hooks_reset);
	tcase_add_test(tc, test_hooks_large);
	tcase_add_test(tc, test_hook_answers_on_request);
	tcase_add_test(tc, test_hook_answers_before_handler);
	tcase_add_test(tc, test_register_after_start);
	suite_add_tcase(s, tc);

	tc = tcase_create("handlers");
	tcase_add_unchecked_fixture(tc, eal_up, eal_down);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_request_api);
	tcase_add_test(tc, test_defer);
	tcase_add_test(tc, test_defer_reset);
	tcase_add_loop_test(tc, test_echo_split, 0, RTE_DIM(echo_reqs));
	suite_add_tcase(s, tc);

	tc = tcase_create("errors");
	tcase_add_unchecked_fixture(tc, eal_up, eal_down);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_not_found);
	tcase_add_test(tc, test_method_not_allowed);
	tcase_add_test(tc, test_body_too_large);
	tcase_add_loop_test(tc, test_bad_chunk, 0, RTE_DIM(bad_chunks));
	tcase_add_test(tc, test_body_timeout);
	suite_add_tcase(s, tc);

	tc = tcase_create("stream");
	tcase_add_unchecked_fixture(tc, eal_up, eal_down);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_stream_backpressure);
	suite_add_tcase(s, tc);
	tc = tcase_create("regressions");
	tcase_add_unchecked_fixture(tc, eal_up, eal_down);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_reg_finish_in_loop);
	tcase_add_test(tc, test_reg_query_after_body);
	tcase_add_test(tc, test_reg_head_over_limit);
	tcase_add_test(tc, test_reg_chunked_max_body_0);
	tcase_add_test(tc, test_reg_fin_after_rto);
	tcase_add_test(tc, test_reg_on_close_calls);
	tcase_add_test(tc, test_reg_fin_keeps_pipelined);
	tcase_add_test(tc, test_reg_304_no_body);
	tcase_add_test(tc, test_compress_on_the_fly);
	tcase_add_test(tc, test_reg_stream_end_pipelined);
	suite_add_tcase(s, tc);

	return s;
}
