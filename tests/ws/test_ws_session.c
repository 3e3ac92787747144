/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The fastpath authors
 */

/* WebSocket sessions (lib/ws/fp_ws.h) driven from the wire: a handler that
 * accepts on GET /ws over one worker's TCP on a fake clock, the shared
 * synthetic peer (fp_tcp_peer.h) as the client, hand-built masked frames
 * in. What the server sends is parsed frame by frame and checked byte for
 * byte; every test ends with contexts, buffers and send-queue pieces back
 * to zero and no WebSocket open.
 */

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
#include "fp_ws.h"

#define PORT		80
#define MAX_BODY	4096
#define RESP_MAX	8192
#define TEXT		"text/plain; charset=utf-8"
#define MAX_MSG		1000	/* params.max_message */
#define CLOSE_MS	2000	/* params.close_ms */
#define TIME_WAIT_MS	10	/* a slot comes back soon: tests reuse the client's port */
#define SMALL_SNDBUF	8192
#define FRAME_MAX	(MAX_MSG + 1024)	/* a client frame or two */

/* RFC 6455 1.3's example key and its accept value. */
#define KEY	"dGhlIHNhbXBsZSBub25jZQ=="
#define ACCEPT	"s3pPLMBiTxaQ9kYGzzhZRbK+xOo="

/* The 101's reason phrase (RFC 9110 15.2.2). */
#define REASON_101	"Switching Protocols"

/* An opening handshake for path, with extra header lines. */
#define HANDSHAKE(path, extra) "GET " path " HTTP/1.1\r\nHost: t\r\nUpgrade: websocket\r\n" \
	"Connection: Upgrade\r\nSec-WebSocket-Key: " KEY "\r\nSec-WebSocket-Version: 13\r\n" \
	extra "\r\n"

enum { OP_CONT = 0x0, OP_TEXT = 0x1, OP_BIN = 0x2, OP_CLOSE = 0x8, OP_PING = 0x9,
	OP_PONG = 0xa };

#define FIN 0x80	/* a frame's FIN bit */

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

/* What the handler and the WebSocket callbacks saw. */
static struct {
	struct fp_http_ctx *x;		/* the last WebSocket accepted, until closed */
	unsigned int accepts;		/* fp_ws_accept() returned 0 */
	int accept_ret;			/* what the last one returned */
	bool offered;			/* fp_ws_offered() of the route's protocol */
	const char *quit;		/* a message that makes the server close */
	unsigned int nb_msg;
	uint8_t op;			/* the last message */
	uint32_t len;
	uint8_t msg[MAX_MSG];
	int echo_ret;			/* the last echo's fp_ws_send() */
	unsigned int writables;
	unsigned int nb_closed;
	uint16_t code;			/* the last closed() */
	int send_in_closed;		/* fp_ws_send() from closed(): -EPIPE */
} g;

/* Where the checks of a loop are, for their messages. */
static char where[96];

/* WebSocket callbacks. */

static void
ws_message(struct fp_http_ctx *x, void *arg __rte_unused, uint8_t opcode, const uint8_t *p,
	size_t n)
{
	ck_assert_uint_le(n, MAX_MSG);
	g.nb_msg++;
	g.op = opcode;
	g.len = n;
	memcpy(g.msg, p, n);
	if (g.quit != NULL && n == strlen(g.quit) && memcmp(p, g.quit, n) == 0) {
		ck_assert_int_eq(fp_ws_close(x, 1000, "as asked"), 0);
		return;
	}
	g.echo_ret = fp_ws_send(x, opcode, p, n);
}

static void
ws_writable(struct fp_http_ctx *x __rte_unused, void *arg __rte_unused)
{
	g.writables++;
}

static void
ws_closed(struct fp_http_ctx *x, void *arg __rte_unused, uint16_t code)
{
	g.nb_closed++;
	g.code = code;
	g.send_in_closed = fp_ws_send(x, OP_TEXT, "x", 1);
	if (x == g.x)
		g.x = NULL;
}

static const struct fp_ws_ops ws_ops = {
	.message = ws_message,
	.writable = ws_writable,
	.closed = ws_closed,
};

/* GET /ws: arg is a subprotocol taken when the client offers it. */
static int
h_ws(struct fp_http_ctx *x, void *arg)
{
	struct fp_ws_params params = { .max_message = MAX_MSG, .close_ms = CLOSE_MS };
	const char *proto = arg;

	g.offered = proto != NULL && fp_ws_offered(x, proto);
	if (g.offered)
		params.subprotocol = proto;
	g.accept_ret = fp_ws_accept(x, &params, &ws_ops, NULL);
	if (g.accept_ret != 0)
		return FP_HTTP_DONE;
	g.accepts++;
	g.x = x;
	return FP_HTTP_ASYNC;
}

/* GET /ws/nolimit: max_message 0, [http] max_body's. */
static int
h_ws_nolimit(struct fp_http_ctx *x, void *arg __rte_unused)
{
	struct fp_ws_params params = { .max_message = 0 };

	g.accept_ret = fp_ws_accept(x, &params, &ws_ops, NULL);
	if (g.accept_ret != 0)
		return FP_HTTP_DONE;
	g.accepts++;
	g.x = x;
	return FP_HTTP_ASYNC;
}

/* GET /ws/force: a subprotocol whether offered or not. */
static int
h_ws_force(struct fp_http_ctx *x, void *arg __rte_unused)
{
	struct fp_ws_params params = { .subprotocol = "chat", .max_message = MAX_MSG };

	g.accept_ret = fp_ws_accept(x, &params, &ws_ops, NULL);
	if (g.accept_ret != 0)
		return FP_HTTP_DONE;
	g.accepts++;
	g.x = x;
	return FP_HTTP_ASYNC;
}

/* Fixtures. */

static void
eal_up(void)
{
	fp_test_eal_up("fp_unit_ws_session");
}

static void
eal_down(void)
{
}

static void
routes(void)
{
	const uint32_t get = FP_HTTP_MB(FP_HTTP_M_GET);

	ck_assert_int_eq(fp_http_route(srv, get, "/ws", h_ws, NULL), 0);
	ck_assert_int_eq(fp_http_route(srv, get, "/ws/chat", h_ws, "chat"), 0);
	ck_assert_int_eq(fp_http_route(srv, get, "/ws/force", h_ws_force, NULL), 0);
	ck_assert_int_eq(fp_http_route(srv, get, "/ws/nolimit", h_ws_nolimit, NULL), 0);
}

static void
setup(void)
{
	struct fp_err err;

	memset(&st, 0, sizeof(st));
	memset(&g, 0, sizeof(g));
	where[0] = '\0';
	t_ready = false;
	fp_test_http_pools("wss", &pool, &zc_pool, &pr, &t, PORT);
	fp_test_http_config(&cfg, MAX_BODY);
	srv = fp_http_server_create(&cfg, 1, &err);
	ck_assert_msg(srv != NULL, "%s", err.msg);
	routes();

	fp_test_iface(&ifc);
	ifc.tx_multi_seg = true;
	fp_tcp_params_from(&prm, &cfg, 0, 1);
	prm.time_wait_ms = TIME_WAIT_MS;
}

/* Recreates the server with cfg as the test changed it. */
static void
reconfigure(void)
{
	struct fp_err err;

	fp_http_server_free(srv);
	srv = fp_http_server_create(&cfg, 1, &err);
	ck_assert_msg(srv != NULL, "%s", err.msg);
	routes();
}

/* The worker's TCP and HTTP. */
static void
start(void)
{
	fp_test_http_start(&t, &prm, &ifc, &st, &pr, pool, zc_pool, &hw, srv, &cfg);
	t_ready = true;
}

/* Everything closed and acknowledged: nothing held (contexts, request and
 * body buffers, send-queue pieces), no WebSocket open.
 */
static void
assert_idle(void)
{
	fp_test_http_assert_idle(&st, &t);
	ck_assert_ptr_null(g.x);
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

/* Client frames. */

static const uint8_t mask_key[4] = { 0x9c, 0x0f, 0x61, 0xd2 };

/* Writes a client frame at out and returns its length: first byte b0, the
 * length in its shortest form (form 2: 16 bits, 8: 64 bits), the payload
 * masked unless told not (the mask's own XOR, not the library's).
 */
static uint32_t
cframe_f(uint8_t *out, uint8_t b0, const void *payload, uint32_t len, bool masked, int form)
{
	const uint8_t *p = payload;
	uint32_t h = 2, i;

	out[0] = b0;
	if (form == 0)
		form = len < 126 ? 1 : len <= 0xffff ? 2 : 8;
	if (form == 1) {
		out[1] = (uint8_t)len;
	} else if (form == 2) {
		out[1] = 126;
		out[2] = (uint8_t)(len >> 8);
		out[3] = (uint8_t)len;
		h = 4;
	} else {
		out[1] = 127;
		for (i = 0; i < 8; i++)
			out[2 + i] = (uint8_t)((uint64_t)len >> (56 - 8 * i));
		h = 10;
	}
	if (masked) {
		out[1] |= 0x80;
		memcpy(out + h, mask_key, 4);
		h += 4;
	}
	for (i = 0; i < len; i++)
		out[h + i] = p[i] ^ (masked ? mask_key[i % 4] : 0);
	return h + len;
}

static uint32_t
cframe(uint8_t *out, uint8_t b0, const void *payload, uint32_t len)
{
	return cframe_f(out, b0, payload, len, true, 0);
}

/* Server frames. */

struct sframe {
	uint8_t op;
	bool fin;
	uint32_t len;
	const uint8_t *p;
};

/* Parses what c received into frames: each one unmasked (RFC 6455 5.1),
 * with no RSV bit and its length in the shortest form, and the bytes end
 * where a frame ends. Returns how many, at most max.
 */
static unsigned int
sframes(const struct cli *c, struct sframe *f, unsigned int max)
{
	uint32_t off = 0, hl, i;
	unsigned int n = 0;
	const uint8_t *b;
	uint64_t len;

	while (off < c->rx_len) {
		b = c->rx + off;
		ck_assert_msg(n < max, "%s: over %u frames", where, max);
		ck_assert_msg(c->rx_len - off >= 2, "%s: frame %u cut short", where, n);
		ck_assert_msg((b[0] & 0x70) == 0, "%s: frame %u has RSV bits: %#x", where, n, b[0]);
		ck_assert_msg((b[1] & 0x80) == 0, "%s: frame %u is masked", where, n);
		len = b[1] & 0x7f;
		hl = 2;
		if (len == 126) {
			hl = 4;
			ck_assert_msg(c->rx_len - off >= hl, "%s: frame %u cut short", where, n);
			len = (uint32_t)b[2] << 8 | b[3];
			ck_assert_msg(len >= 126, "%s: frame %u: %" PRIu64 " in 16 bits", where, n,
				len);
		} else if (len == 127) {
			hl = 10;
			ck_assert_msg(c->rx_len - off >= hl, "%s: frame %u cut short", where, n);
			for (len = 0, i = 2; i < 10; i++)
				len = len << 8 | b[i];
			ck_assert_msg(len > 0xffff && len >> 63 == 0, "%s: frame %u: %" PRIu64
				" in 64 bits", where, n, len);
		}
		ck_assert_msg(c->rx_len - off >= hl + len, "%s: frame %u: %" PRIu64 " bytes, %u"
			" received", where, n, len, c->rx_len - off - hl);
		f[n].fin = b[0] >> 7;
		f[n].op = b[0] & 0x0f;
		f[n].len = (uint32_t)len;
		f[n].p = b + hl;
		n++;
		off += hl + (uint32_t)len;
	}
	return n;
}

/* c received exactly the frames want[0, nb) since the last call (each
 * with FIN: the server never fragments), which it forgets.
 */
static void
take_frames(struct cli *c, const struct sframe *want, unsigned int nb)
{
	struct sframe f[16];
	unsigned int n, i;

	n = sframes(c, f, RTE_DIM(f));
	ck_assert_msg(n == nb, "%s: %u frames received, %u expected (the first: op %#x, %u"
		" bytes)", where, n, nb, n > 0 ? f[0].op : 0, n > 0 ? f[0].len : 0);
	for (i = 0; i < n; i++) {
		ck_assert_msg(f[i].fin, "%s: frame %u without FIN", where, i);
		ck_assert_msg(f[i].op == want[i].op, "%s: frame %u: op %#x, expected %#x", where,
			i, f[i].op, want[i].op);
		if (f[i].op == OP_CLOSE && f[i].len >= 2 && want[i].len >= 2)
			ck_assert_msg(f[i].p[0] == want[i].p[0] && f[i].p[1] == want[i].p[1],
				"%s: close code %u, expected %u", where, f[i].p[0] << 8 | f[i].p[1],
				want[i].p[0] << 8 | want[i].p[1]);
		ck_assert_msg(f[i].len == want[i].len && memcmp(f[i].p, want[i].p, f[i].len) == 0,
			"%s: frame %u (op %#x): %u bytes [%.*s], expected %u [%.*s]", where, i,
			f[i].op, f[i].len, (int)RTE_MIN(f[i].len, 64u), f[i].p, want[i].len,
			(int)RTE_MIN(want[i].len, 64u), want[i].p);
	}
	c->rx_len = 0;
}

static void
take_frame(struct cli *c, uint8_t op, const void *p, uint32_t len)
{
	const struct sframe f = { .op = op, .fin = true, .len = len, .p = p };

	take_frames(c, &f, 1);
}

/* A close frame's payload: code and reason, or nothing for 1005. */
static uint32_t
close_payload(uint8_t *p, uint16_t code, const char *reason)
{
	uint32_t n = reason != NULL ? strlen(reason) : 0;

	if (code == 1005)
		return 0;
	p[0] = code >> 8;
	p[1] = code & 0xff;
	if (n != 0)
		memcpy(p + 2, reason, n);
	return 2 + n;
}

static void
take_close(struct cli *c, uint16_t code, const char *reason)
{
	uint8_t p[125];

	take_frame(c, OP_CLOSE, p, close_payload(p, code, reason));
}

/* Connections. */

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
	fp_test_assert_no_data(&pr, where);
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

/* The 101 that accepts HANDSHAKE(), with a subprotocol or none. */
static uint32_t
head_101(char *buf, const char *proto)
{
	int n;

	n = snprintf(buf, RESP_MAX, "HTTP/1.1 101 " REASON_101 "\r\nServer: %s\r\n"
		"Date: %.*s\r\nSec-WebSocket-Accept: " ACCEPT "\r\n%s%s%sUpgrade: websocket\r\n"
		"Connection: Upgrade\r\n\r\n", cfg.server, FP_HTTP_DATE_LEN, hw.date,
		proto != NULL ? "Sec-WebSocket-Protocol: " : "", proto != NULL ? proto : "",
		proto != NULL ? "\r\n" : "");
	ck_assert_int_lt(n, RESP_MAX);
	return n;
}

/* An error page (the body is its status line), as fp_http_set_error() makes
 * it, with the extra header lines and a Connection header (NULL: none).
 */
static uint32_t
resp_err_conn(char *buf, const char *status, const char *extra, const char *conn)
{
	int n;

	n = snprintf(buf, RESP_MAX, "HTTP/1.1 %s\r\nServer: %s\r\nDate: %.*s\r\n"
		"Content-Type: %s\r\n%sContent-Length: %zu\r\n%s%s%s\r\n%s\n", status,
		cfg.server, FP_HTTP_DATE_LEN, hw.date, TEXT, extra, strlen(status) + 1,
		conn != NULL ? "Connection: " : "", conn != NULL ? conn : "",
		conn != NULL ? "\r\n" : "", status);
	ck_assert_int_lt(n, RESP_MAX);
	return n;
}

/* The same, on a connection that stays. */
static uint32_t
resp_err(char *buf, const char *status, const char *extra)
{
	return resp_err_conn(buf, status, extra, NULL);
}

/* A WebSocket on a new connection from port: the handshake, exactly a 101
 * back, the session open.
 */
static void
ws_open(struct cli *c, uint16_t port)
{
	static char want[RESP_MAX];
	unsigned int accepts = g.accepts;
	int64_t open = st.g[FP_G_ws_open];

	connect_to(c, port);
	cli_str(c, F_ACK | F_PSH, HANDSHAKE("/ws", ""));
	take(c, want, head_101(want, NULL));
	ck_assert(!c->rx_fin);
	ck_assert_uint_eq(g.accepts, accepts + 1);
	ck_assert_int_eq(g.accept_ret, 0);
	ck_assert_ptr_nonnull(g.x);
	ck_assert_int_eq(st.g[FP_G_ws_open], open + 1);
}

/* A masked frame from c in one segment. */
static void
send_frame(struct cli *c, uint8_t b0, const void *p, uint32_t len)
{
	uint8_t buf[FRAME_MAX];

	ck_assert_uint_le(len, MAX_MSG);
	cli_send(c, F_ACK | F_PSH, buf, cframe(buf, b0, p, len));
}

static void
send_close(struct cli *c, uint16_t code, const char *reason)
{
	uint8_t p[125];

	send_frame(c, FIN | OP_CLOSE, p, close_payload(p, code, reason));
}

/* A segment from c that acknowledges only up to ack: what came after
 * stays in the server's send buffer.
 */
static void
send_at_ack(struct cli *c, uint32_t ack, const void *data, uint32_t len)
{
	uint32_t seq = c->seq;

	c->seq += len;
	cli_send_at(c, F_ACK | F_PSH, seq, ack, data, len);
}

/* The server sent its FIN (after its close frame, taken): the client
 * acknowledges it with its own, and the TIME-WAIT slot comes back.
 */
static void
cli_finish(struct cli *c)
{
	ck_assert_msg(c->rx_fin, "%s: no FIN from the server", where);
	cli_send(c, F_ACK | F_FIN, NULL, 0);
	ck_assert_uint_eq(c->rx_len, 0);
	cli_assert_state(c, FP_TCP_TIME_WAIT);
	fp_peer_advance(&pr, TIME_WAIT_MS);
	cli_assert_state(c, FP_TCP_CLOSED);
}

/* closed() ran once since it had run closed times, and with code. */
static void
assert_closed(unsigned int closed, uint16_t code)
{
	ck_assert_msg(g.nb_closed == closed + 1, "%s: closed() %u times, expected %u", where,
		g.nb_closed - closed, 1);
	ck_assert_msg(g.code == code, "%s: closed(%u), expected %u", where, g.code, code);
	ck_assert_int_eq(g.send_in_closed, -EPIPE);
}

/* A message echoed whole: one message in, the same frame out. */
static void
echo_ok(struct cli *c, unsigned int msgs, uint8_t op, const void *p, uint32_t len)
{
	ck_assert_msg(g.nb_msg == msgs + 1, "%s: %u messages, expected 1", where,
		g.nb_msg - msgs);
	ck_assert_uint_eq(g.op, op);
	ck_assert_msg(g.len == len && memcmp(g.msg, p, len) == 0, "%s: message of %u bytes"
		" [%.*s], expected %u", where, g.len, (int)RTE_MIN(g.len, 64u), g.msg, len);
	ck_assert_int_eq(g.echo_ret, 0);
	take_frame(c, op, p, len);
}

/* The client's close 1000: ours back, then FIN; closed(1000). */
static void
ws_bye(struct cli *c)
{
	unsigned int closed = g.nb_closed;

	send_close(c, 1000, "bye");
	take_close(c, 1000, NULL);
	assert_closed(closed, 1000);
	cli_finish(c);
}

/* 1. Messages. */

/* Text and binary of every length form, control frames between. */
START_TEST(test_echo)
{
	static const uint32_t sizes[] = { 0, 1, 125, 126, 999, MAX_MSG };
	static const char utf8[] = "h\xc3\xa9llo \xe2\x82\xac \xf0\x9d\x84\x9e \xef\xbf\xbf";
	const struct sframe three[3] = {
		{ .op = OP_TEXT, .len = 3, .p = (const uint8_t *)"one" },
		{ .op = OP_PONG, .len = 1, .p = (const uint8_t *)"P" },
		{ .op = OP_BIN, .len = 3, .p = (const uint8_t *)"two" },
	};
	uint8_t p[MAX_MSG], big[FP_WS_CONTROL_MAX], seg[3 * 16];
	unsigned int i, k, op, msgs = 0;
	struct cli c;
	uint32_t n;

	start();
	ws_open(&c, 40000);
	for (i = 0; i < RTE_DIM(sizes); i++) {
		for (op = OP_TEXT; op <= OP_BIN; op++) {
			snprintf(where, sizeof(where), "op %u, %u bytes", op, sizes[i]);
			for (k = 0; k < sizes[i]; k++)
				p[k] = op == OP_TEXT ? 'a' + k % 26 : (uint8_t)(k * 7 + 3);
			send_frame(&c, FIN | op, p, sizes[i]);
			echo_ok(&c, msgs++, op, p, sizes[i]);
		}
	}
	snprintf(where, sizeof(where), "UTF-8");
	send_frame(&c, FIN | OP_TEXT, utf8, sizeof(utf8) - 1);
	echo_ok(&c, msgs++, OP_TEXT, utf8, sizeof(utf8) - 1);
	/* Pings: a pong with the same payload, empty or as large as allowed. */
	snprintf(where, sizeof(where), "pings");
	send_frame(&c, FIN | OP_PING, "are you there", 13);
	take_frame(&c, OP_PONG, "are you there", 13);
	send_frame(&c, FIN | OP_PING, NULL, 0);
	take_frame(&c, OP_PONG, "", 0);
	memset(big, 0xa5, sizeof(big));
	send_frame(&c, FIN | OP_PING, big, sizeof(big));
	take_frame(&c, OP_PONG, big, sizeof(big));
	ck_assert_uint_eq(st.c[FP_C_ws_pings], 3);
	/* An unsolicited pong is read and ignored. */
	send_frame(&c, FIN | OP_PONG, "tick", 4);
	assert_no_data();
	ck_assert_uint_eq(c.rx_len, 0);
	ck_assert_uint_eq(g.nb_msg, msgs);
	/* Messages in one segment: each whole, in order. */
	snprintf(where, sizeof(where), "three in one segment");
	n = cframe(seg, FIN | OP_TEXT, "one", 3);
	n += cframe(seg + n, FIN | OP_PING, "P", 1);
	n += cframe(seg + n, FIN | OP_BIN, "two", 3);
	cli_send(&c, F_ACK | F_PSH, seg, n);
	take_frames(&c, three, 3);
	msgs += 2;
	ck_assert_uint_eq(g.nb_msg, msgs);
	ck_assert_uint_eq(st.c[FP_C_ws_messages_in], msgs);
	ck_assert_uint_eq(st.c[FP_C_ws_messages_out], msgs);
	ck_assert_uint_eq(st.c[FP_C_ws_gathered], 0);
	ck_assert_uint_eq(g.nb_closed, 0);
	ws_bye(&c);
	ck_assert_uint_eq(st.c[FP_C_ws_opened], 1);
	assert_idle();
}
END_TEST

/* One frame cut in two at every byte, on one connection: each delivered
 * whole, once; gathered in a body buffer only when the payload is cut.
 */
START_TEST(test_split_every_byte)
{
	uint8_t p[130], fr[FRAME_MAX];
	unsigned int msgs = 0;
	uint32_t len, k;
	struct cli c;

	for (k = 0; k < sizeof(p); k++)
		p[k] = ' ' + k % 90;
	len = cframe(fr, FIN | OP_TEXT, p, sizeof(p));
	ck_assert_uint_eq(len, 8 + sizeof(p));
	start();
	ws_open(&c, 40000);
	for (k = 1; k < len; k++) {
		snprintf(where, sizeof(where), "cut at %u", k);
		cli_send(&c, F_ACK | F_PSH, fr, k);
		ck_assert_msg(g.nb_msg == msgs, "%s: delivered early", where);
		assert_no_data();
		ck_assert_uint_eq(c.rx_len, 0);
		cli_send(&c, F_ACK | F_PSH, fr + k, len - k);
		echo_ok(&c, msgs++, OP_TEXT, p, sizeof(p));
		ck_assert_int_eq(st.g[FP_G_http_body_buffers], 0);
	}
	/* The payload is cut for k in (8, len). */
	ck_assert_uint_eq(st.c[FP_C_ws_gathered], sizeof(p) - 1);
	/* Out of order: the second part first, held by TCP until the first. */
	for (k = 1; k < len; k++) {
		snprintf(where, sizeof(where), "out of order, cut at %u", k);
		cli_send_at(&c, F_ACK | F_PSH, c.seq + k, c.ack, fr + k, len - k);
		ck_assert_uint_eq(g.nb_msg, msgs);
		assert_no_data();
		cli_send_at(&c, F_ACK | F_PSH, c.seq, c.ack, fr, k);
		c.seq += len;
		echo_ok(&c, msgs++, OP_TEXT, p, sizeof(p));
	}
	/* A byte a segment. */
	snprintf(where, sizeof(where), "a byte a segment");
	for (k = 0; k + 1 < len; k++) {
		cli_send(&c, F_ACK | F_PSH, fr + k, 1);
		ck_assert_uint_eq(g.nb_msg, msgs);
		assert_no_data();
	}
	cli_send(&c, F_ACK | F_PSH, fr + k, 1);
	echo_ok(&c, msgs++, OP_TEXT, p, sizeof(p));
	/* A ping cut at every byte: one pong each, once it is whole. */
	len = cframe(fr, FIN | OP_PING, p, FP_WS_CONTROL_MAX);
	for (k = 1; k < len; k++) {
		snprintf(where, sizeof(where), "ping cut at %u", k);
		cli_send(&c, F_ACK | F_PSH, fr, k);
		assert_no_data();
		cli_send(&c, F_ACK | F_PSH, fr + k, len - k);
		take_frame(&c, OP_PONG, p, FP_WS_CONTROL_MAX);
	}
	ck_assert_uint_eq(st.c[FP_C_ws_pings], len - 1);
	ck_assert_uint_eq(g.nb_msg, msgs);
	ws_bye(&c);
	assert_idle();
}
END_TEST

/* Frames in the handshake's own segment, the two cut at every byte: the
 * head waits in a request buffer, what follows it is read from there.
 * 0: a message and a ping; 1: a close; 2: a message that overflows a
 * request buffer (max_header_bytes 512) after the head.
 */
START_TEST(test_handshake_then_frame)
{
	static uint8_t req[2048], big[MAX_MSG];
	static char want[RESP_MAX];
	uint32_t len, n, k, closed;
	struct cli c;

	memset(big, 'B', sizeof(big));
	if (_i == 2) {
		cfg.max_header_bytes = 512;
		cfg.max_uri = 256;
		reconfigure();
	}
	start();
	len = strlen(HANDSHAKE("/ws", ""));
	memcpy(req, HANDSHAKE("/ws", ""), len);
	n = head_101(want, NULL);
	if (_i == 0) {
		len += cframe(req + len, FIN | OP_TEXT, "early", 5);
		len += cframe(req + len, FIN | OP_PING, "pp", 2);
		memcpy(want + n, "\x81\x05" "early" "\x8a\x02" "pp", 11);
		n += 11;
	} else if (_i == 1) {
		len += cframe(req + len, FIN | OP_CLOSE, "\x03\xe8" "now", 5);
		memcpy(want + n, "\x88\x02\x03\xe8", 4);
		n += 4;
	} else {
		len += cframe(req + len, FIN | OP_TEXT, big, MAX_MSG);
		ck_assert_uint_gt(len, cfg.max_header_bytes);
		memcpy(want + n, "\x81\x7e\x03\xe8", 4);
		memcpy(want + n + 4, big, MAX_MSG);
		n += 4 + MAX_MSG;
	}
	for (k = 0; k < len; k++) {
		snprintf(where, sizeof(where), "variant %d, cut at %u", _i, k);
		closed = g.nb_closed;
		connect_to(&c, 40000);
		if (k == 0) {
			cli_send(&c, F_ACK | F_PSH, req, len);
		} else {
			cli_send(&c, F_ACK | F_PSH, req, k);
			cli_send(&c, F_ACK | F_PSH, req + k, len - k);
		}
		take(&c, want, n);
		ck_assert_int_eq(st.g[FP_G_http_rxbufs], 0);
		if (_i == 1) {
			assert_closed(closed, 1000);
			cli_finish(&c);
		} else {
			ck_assert_uint_eq(g.nb_msg, k + 1);
			ws_bye(&c);
		}
		assert_idle();
	}
	ck_assert_uint_eq(g.accepts, len);
}
END_TEST

/* A message in three frames with a ping between: the pong comes at once,
 * before the echo, which is one message. Frame by frame, then all in one
 * segment.
 */
START_TEST(test_fragmented_ping)
{
	static const char whole[] = "Hello, world!";
	const struct sframe want[2] = {
		{ .op = OP_PONG, .len = 2, .p = (const uint8_t *)"p1" },
		{ .op = OP_TEXT, .len = 13, .p = (const uint8_t *)whole },
	};
	static uint8_t seg[FRAME_MAX], big[MAX_MSG];
	unsigned int msgs = 0;
	struct cli c;
	uint32_t n;

	start();
	ws_open(&c, 40000);
	snprintf(where, sizeof(where), "frame by frame");
	send_frame(&c, OP_TEXT, "Hello, ", 7);
	assert_no_data();
	ck_assert_int_eq(st.g[FP_G_http_body_buffers], 1);
	send_frame(&c, FIN | OP_PING, "p1", 2);
	take_frame(&c, OP_PONG, "p1", 2);
	send_frame(&c, OP_CONT, "wor", 3);
	assert_no_data();
	ck_assert_uint_eq(g.nb_msg, 0);
	send_frame(&c, FIN | OP_CONT, "ld!", 3);
	echo_ok(&c, msgs++, OP_TEXT, whole, 13);
	ck_assert_int_eq(st.g[FP_G_http_body_buffers], 0);

	snprintf(where, sizeof(where), "one segment");
	n = cframe(seg, OP_TEXT, "Hello, ", 7);
	n += cframe(seg + n, FIN | OP_PING, "p1", 2);
	n += cframe(seg + n, OP_CONT, "wor", 3);
	n += cframe(seg + n, FIN | OP_CONT, "ld!", 3);
	cli_send(&c, F_ACK | F_PSH, seg, n);
	ck_assert_uint_eq(g.nb_msg, ++msgs);
	take_frames(&c, want, 2);

	/* Empty fragments and a binary message: still one message. */
	snprintf(where, sizeof(where), "empty fragments");
	n = cframe(seg, OP_BIN, NULL, 0);
	n += cframe(seg + n, OP_CONT, "\x00\xff", 2);
	n += cframe(seg + n, FIN | OP_CONT, NULL, 0);
	cli_send(&c, F_ACK | F_PSH, seg, n);
	echo_ok(&c, msgs++, OP_BIN, "\x00\xff", 2);
	/* Exactly max_message over two frames, cut inside the second. */
	snprintf(where, sizeof(where), "max_message in two frames");
	memset(big, 'm', sizeof(big));
	n = cframe(seg, OP_TEXT, big, 600);
	cli_send(&c, F_ACK | F_PSH, seg, n);
	n = cframe(seg, FIN | OP_CONT, big + 600, MAX_MSG - 600);
	cli_send(&c, F_ACK | F_PSH, seg, 100);
	assert_no_data();
	cli_send(&c, F_ACK | F_PSH, seg + 100, n - 100);
	echo_ok(&c, msgs++, OP_TEXT, big, MAX_MSG);
	ck_assert_uint_eq(st.c[FP_C_ws_messages_in], 4);
	ws_bye(&c);
	assert_idle();
}
END_TEST

/* 2 and 3. Closes: protocol errors and the client's close frames. */

struct cfr {
	uint8_t b0;
	uint8_t form;		/* the length's form: 0 the shortest, 2 or 8 bytes */
	bool unmasked;
	const char *p;		/* NULL: n bytes of 'x' */
	uint32_t n;
};

struct close_case {
	const char *name;
	uint8_t nb;
	struct cfr f[2];
	uint16_t reply;		/* the code of our close frame (1005: empty) */
	uint16_t code;		/* closed()'s */
};

#define S(s) .p = (s), .n = sizeof(s) - 1
#define CASE1(name, b0, pl, code) { name, 1, { { b0, 0, false, pl } }, code, code }

static const struct close_case bads[] = {
	{ "unmasked", 1, { { FIN | OP_TEXT, 0, true, S("hi") } }, 1002, 1002 },
	CASE1("RSV1", 0xc0 | OP_TEXT, S("hi"), 1002),
	CASE1("RSV2", 0xa0 | OP_TEXT, S("hi"), 1002),
	CASE1("RSV3", 0x90 | OP_BIN, S("hi"), 1002),
	CASE1("opcode 0x3", FIN | 0x3, S("hi"), 1002),
	CASE1("opcode 0xb", FIN | 0xb, S(""), 1002),
	CASE1("fragmented ping", OP_PING, S("p"), 1002),
	{ "ping of 126", 1, { { FIN | OP_PING, 0, false, NULL, 126 } }, 1002, 1002 },
	{ "16-bit length for 5", 1, { { FIN | OP_BIN, 2, false, S("abcde") } }, 1002, 1002 },
	{ "64-bit length for 300", 1, { { FIN | OP_BIN, 8, false, NULL, 300 } }, 1002, 1002 },
	CASE1("continuation alone", FIN | OP_CONT, S("x"), 1002),
	{ "data inside a message", 2, { { OP_TEXT, 0, false, S("a") },
		{ FIN | OP_TEXT, 0, false, S("b") } }, 1002, 1002 },
	CASE1("UTF-8 0xff", FIN | OP_TEXT, S("ab\xff"), 1007),
	CASE1("UTF-8 overlong", FIN | OP_TEXT, S("a\xc0\xaf"), 1007),
	CASE1("UTF-8 surrogate", FIN | OP_TEXT, S("\xed\xa0\x80"), 1007),
	CASE1("UTF-8 over U+10FFFF", FIN | OP_TEXT, S("\xf4\x90\x80\x80"), 1007),
	CASE1("UTF-8 ends inside", FIN | OP_TEXT, S("ok\xe2\x82"), 1007),
	{ "UTF-8 across frames", 2, { { OP_TEXT, 0, false, S("\xe2\x82") },
		{ FIN | OP_CONT, 0, false, S("(") } }, 1007, 1007 },
	{ "UTF-8 ends inside, two frames", 2, { { OP_TEXT, 0, false, S("\xe2") },
		{ FIN | OP_CONT, 0, false, S("") } }, 1007, 1007 },
	CASE1("close of one byte", FIN | OP_CLOSE, S("\x03"), 1002),
	CASE1("close 1005", FIN | OP_CLOSE, S("\x03\xed"), 1002),
	CASE1("close 1006", FIN | OP_CLOSE, S("\x03\xee"), 1002),
	CASE1("close 999", FIN | OP_CLOSE, S("\x03\xe7"), 1002),
	CASE1("close 1015", FIN | OP_CLOSE, S("\x03\xf7"), 1002),
	CASE1("close 5000", FIN | OP_CLOSE, S("\x13\x88"), 1002),
	CASE1("close reason not UTF-8", FIN | OP_CLOSE, S("\x03\xe8ok\xff"), 1007),
	{ "over max_message", 1, { { FIN | OP_BIN, 0, false, NULL, MAX_MSG + 1 } }, 1009,
		1009 },
	{ "over max_message in two", 2, { { OP_TEXT, 0, false, NULL, 600 },
		{ FIN | OP_CONT, 0, false, NULL, MAX_MSG - 599 } }, 1009, 1009 },
};

/* The client's close frames: ours echoes the code, without the reason. */
static const struct close_case closes[] = {
	CASE1("close 1000 with a reason", FIN | OP_CLOSE, S("\x03\xe8" "done"), 1000),
	CASE1("close 1001", FIN | OP_CLOSE, S("\x03\xe9"), 1001),
	CASE1("close 4000", FIN | OP_CLOSE, S("\x0f\xa0" "app"), 4000),
	/* 7.1.5: no status code: closed() says 1005, our close is empty. */
	CASE1("close without a code", FIN | OP_CLOSE, S(""), 1005),
	{ "close after half a message", 2, { { OP_TEXT, 0, false, S("half") },
		{ FIN | OP_CLOSE, 0, false, S("\x03\xe8") } }, 1000, 1000 },
};

static uint32_t
case_build(const struct close_case *b, uint8_t *out)
{
	uint8_t pl[FRAME_MAX];
	uint32_t n = 0;
	unsigned int i;

	for (i = 0; i < b->nb; i++) {
		const struct cfr *f = &b->f[i];

		if (f->p != NULL)
			memcpy(pl, f->p, f->n);
		else
			memset(pl, 'x', f->n);
		n += cframe_f(out + n, f->b0, pl, f->n, !f->unmasked, f->form);
	}
	return n;
}

/* The ws_close_<name> counter of a code we send; -1: none. */
static int
close_counter(uint16_t code)
{
	switch (code) {
	case 1000:
		return FP_C_ws_close_normal;
	case 1001:
		return FP_C_ws_close_going_away;
	case 1002:
		return FP_C_ws_close_protocol_error;
	case 1007:
		return FP_C_ws_close_invalid_payload;
	case 1009:
		return FP_C_ws_close_message_too_big;
	case 1013:
		return FP_C_ws_close_try_again_later;
	default:
		return -1;
	}
}

/* b's bytes on a new connection, whole (cut 0) or in two segments cut at
 * cut: our close frame, then our FIN; closed() once; no message.
 */
static void
close_run(const struct close_case *b, const uint8_t *bytes, uint32_t len, uint32_t cut)
{
	unsigned int closed = g.nb_closed, msgs = g.nb_msg;
	struct cli c;

	snprintf(where, sizeof(where), "%s, cut at %u", b->name, cut);
	ws_open(&c, 40000);
	if (cut == 0) {
		cli_send(&c, F_ACK | F_PSH, bytes, len);
	} else {
		cli_send(&c, F_ACK | F_PSH, bytes, cut);
		cli_send(&c, F_ACK | F_PSH, bytes + cut, len - cut);
	}
	take_close(&c, b->reply, NULL);
	assert_closed(closed, b->code);
	ck_assert_msg(g.nb_msg == msgs, "%s: a message", where);
	cli_finish(&c);
	assert_idle();
}

static void
closes_all(const struct close_case *b)
{
	static uint8_t bytes[2 * FRAME_MAX];
	uint32_t len = case_build(b, bytes), cut;
	int k = close_counter(b->reply);

	start();
	for (cut = 0; cut < len; cut++)
		close_run(b, bytes, len, cut);
	ck_assert_uint_eq(g.nb_closed, len);
	ck_assert_uint_eq(st.c[FP_C_ws_opened], len);
	if (k >= 0)
		ck_assert_uint_eq(st.c[k], len);
}

START_TEST(test_protocol_error)
{
	closes_all(&bads[_i]);
	ck_assert_uint_eq(st.c[FP_C_ws_abnormal], 0);
}
END_TEST

START_TEST(test_client_close)
{
	closes_all(&closes[_i]);
	ck_assert_uint_eq(st.c[FP_C_ws_closes_received], st.c[FP_C_ws_opened]);
	ck_assert_uint_eq(st.c[FP_C_ws_abnormal], 0);
}
END_TEST

/* After the client's close, what it still sends is ignored. */
START_TEST(test_client_close_then_data)
{
	const struct sframe want[2] = {
		{ .op = OP_TEXT, .len = 4, .p = (const uint8_t *)"last" },
		{ .op = OP_CLOSE, .len = 2, .p = (const uint8_t *)"\x03\xe8" },
	};
	unsigned int closed;
	uint8_t seg[64];
	struct cli c;
	uint32_t n;

	start();
	ws_open(&c, 40000);
	closed = g.nb_closed;
	/* A message, then the close, in one segment: the echo first. */
	n = cframe(seg, FIN | OP_TEXT, "last", 4);
	n += cframe(seg + n, FIN | OP_CLOSE, "\x03\xe8", 2);
	n += cframe(seg + n, FIN | OP_TEXT, "after", 5);
	cli_send(&c, F_ACK | F_PSH, seg, n);
	take_frames(&c, want, 2);
	assert_fin();
	ck_assert_uint_eq(g.nb_msg, 1);
	assert_closed(closed, 1000);
	send_frame(&c, FIN | OP_TEXT, "later", 5);
	ck_assert_uint_eq(c.rx_len, 0);
	ck_assert_uint_eq(g.nb_msg, 1);
	ck_assert_uint_eq(g.nb_closed, closed + 1);
	cli_finish(&c);
	assert_idle();
}
END_TEST

/* The close frame and the client's FIN in one segment: ours, then our FIN;
 * closed() once.
 */
START_TEST(test_client_close_fin)
{
	uint8_t fr[16];
	struct cli c;

	start();
	ws_open(&c, 40000);
	cli_send(&c, F_ACK | F_PSH | F_FIN, fr, cframe(fr, FIN | OP_CLOSE, "\x03\xe8", 2));
	take_close(&c, 1000, NULL);
	assert_fin();
	assert_closed(0, 1000);
	ck_assert_uint_eq(st.c[FP_C_ws_abnormal], 0);
	cli_send(&c, F_ACK, NULL, 0);
	cli_assert_state(&c, FP_TCP_CLOSED);
	fp_peer_advance(&pr, CLOSE_MS);
	fp_peer_assert_silent(&pr);
	ck_assert_uint_eq(g.nb_closed, 1);
	assert_idle();
}
END_TEST

/* 4. The server's close. */

/* Unanswered: the close frame, then after close_ms our FIN and closed(1006). */
START_TEST(test_server_close_timeout)
{
	struct cli c;

	start();
	ws_open(&c, 40000);
	ck_assert_int_eq(fp_ws_close(g.x, 1001, "bye"), 0);
	fp_peer_flush(&pr);
	cli_recv(&c);
	take_close(&c, 1001, "bye");
	ck_assert(!c.rx_fin);
	ck_assert_uint_eq(st.c[FP_C_ws_close_going_away], 1);
	/* Closing: nothing more goes out, twice closing is refused. */
	ck_assert_int_eq(fp_ws_send(g.x, OP_TEXT, "x", 1), -EPIPE);
	ck_assert_int_eq(fp_ws_send(g.x, OP_PING, "x", 1), -EPIPE);
	ck_assert_int_eq(fp_ws_close(g.x, 1000, NULL), -EPIPE);
	/* Messages that still come are read and dropped; pings get no pong
	 * (RFC 6455 5.5.1: no data after our close).
	 */
	send_frame(&c, FIN | OP_TEXT, "late", 4);
	send_frame(&c, FIN | OP_PING, "p", 1);
	assert_no_data();
	ck_assert_uint_eq(c.rx_len, 0);
	ck_assert_uint_eq(g.nb_msg, 0);
	fp_peer_advance(&pr, CLOSE_MS - 1);
	assert_no_data();
	ck_assert_uint_eq(g.nb_closed, 0);
	ck_assert_ptr_nonnull(g.x);
	fp_peer_advance(&pr, 1);
	cli_recv(&c);
	assert_fin();
	ck_assert_uint_eq(c.rx_len, 0);
	assert_closed(0, 1006);
	ck_assert_uint_eq(st.c[FP_C_ws_close_timeouts], 1);
	cli_finish(&c);
	fp_peer_advance(&pr, CLOSE_MS);
	fp_peer_assert_silent(&pr);
	ck_assert_uint_eq(g.nb_closed, 1);
	assert_idle();
}
END_TEST

/* Answered: our FIN at once, closed() once with the client's code, and the
 * timer never fires.
 */
START_TEST(test_server_close_answered)
{
	struct cli c;

	start();
	ws_open(&c, 40000);
	ck_assert_int_eq(fp_ws_close(g.x, 1001, "bye"), 0);
	fp_peer_flush(&pr);
	cli_recv(&c);
	take_close(&c, 1001, "bye");
	cli_send(&c, F_ACK, NULL, 0);
	fp_peer_advance(&pr, CLOSE_MS / 2);
	assert_no_data();
	ck_assert_uint_eq(g.nb_closed, 0);
	send_close(&c, 1001, NULL);
	assert_fin();
	ck_assert_uint_eq(c.rx_len, 0);
	assert_closed(0, 1001);
	cli_finish(&c);
	fp_peer_advance(&pr, CLOSE_MS);
	fp_peer_assert_silent(&pr);
	ck_assert_uint_eq(g.nb_closed, 1);
	ck_assert_uint_eq(st.c[FP_C_ws_close_timeouts], 0);
	ck_assert_uint_eq(st.c[FP_C_ws_close_going_away], 1);
	assert_idle();
}
END_TEST

/* From a message callback: the close goes out in the same step. */
START_TEST(test_server_close_in_callback)
{
	uint8_t seg[64];
	struct cli c;
	uint32_t n;

	g.quit = "quit";
	start();
	ws_open(&c, 40000);
	send_frame(&c, FIN | OP_TEXT, "quit", 4);
	ck_assert_uint_eq(g.nb_msg, 1);
	take_close(&c, 1000, "as asked");
	ck_assert(!c.rx_fin);
	send_close(&c, 1000, NULL);
	assert_fin();
	assert_closed(0, 1000);
	cli_finish(&c);
	assert_idle();
	/* The client's close behind it in the same segment: no second close
	 * frame, our FIN at once, what came between dropped.
	 */
	ws_open(&c, 40000);
	n = cframe(seg, FIN | OP_TEXT, "quit", 4);
	n += cframe(seg + n, FIN | OP_TEXT, "dropped", 7);
	n += cframe(seg + n, FIN | OP_CLOSE, "\x03\xe9", 2);
	cli_send(&c, F_ACK | F_PSH, seg, n);
	take_close(&c, 1000, "as asked");
	assert_fin();
	ck_assert_uint_eq(g.nb_msg, 2);
	assert_closed(1, 1001);
	cli_finish(&c);
	ck_assert_uint_eq(st.c[FP_C_ws_close_timeouts], 0);
	assert_idle();
}
END_TEST

/* A graceful shutdown closes with 1001 (going away). */
START_TEST(test_server_drain)
{
	struct cli c;

	start();
	ws_open(&c, 40000);
	fp_http_drain(&hw);
	fp_peer_flush(&pr);
	cli_recv(&c);
	take_close(&c, 1001, NULL);
	send_close(&c, 1001, NULL);
	assert_fin();
	assert_closed(0, 1001);
	cli_finish(&c);
	assert_idle();
}
END_TEST

/* 5. The connection ends without a close frame. */

START_TEST(test_reset)
{
	struct cli c;

	start();
	/* An open WebSocket. */
	ws_open(&c, 40000);
	cli_send(&c, F_RST, NULL, 0);
	fp_peer_assert_silent(&pr);
	cli_assert_state(&c, FP_TCP_CLOSED);
	assert_closed(0, 1006);
	assert_idle();
	/* Inside a gathered message: its buffer comes back. */
	ws_open(&c, 40000);
	send_frame(&c, OP_BIN, "part", 4);
	ck_assert_int_eq(st.g[FP_G_http_body_buffers], 1);
	cli_send(&c, F_RST, NULL, 0);
	fp_peer_assert_silent(&pr);
	assert_closed(1, 1006);
	assert_idle();
	/* While our close waits for the client's. */
	ws_open(&c, 40000);
	ck_assert_int_eq(fp_ws_close(g.x, 1000, NULL), 0);
	fp_peer_flush(&pr);
	cli_recv(&c);
	take_close(&c, 1000, NULL);
	cli_send(&c, F_RST, NULL, 0);
	fp_peer_assert_silent(&pr);
	assert_closed(2, 1006);
	ck_assert_uint_eq(st.c[FP_C_ws_abnormal], 3);
	fp_peer_advance(&pr, CLOSE_MS);
	ck_assert_uint_eq(g.nb_closed, 3);
	ck_assert_uint_eq(st.c[FP_C_ws_close_timeouts], 0);
	assert_idle();
}
END_TEST

/* The client's FIN without a close frame: closed(1006), then our FIN. */
START_TEST(test_client_fin)
{
	struct cli c;

	start();
	ws_open(&c, 40000);
	cli_send(&c, F_ACK | F_FIN, NULL, 0);
	assert_fin();
	ck_assert_uint_eq(c.rx_len, 0);
	ck_assert(c.rx_fin);
	assert_closed(0, 1006);
	cli_send(&c, F_ACK, NULL, 0);
	cli_assert_state(&c, FP_TCP_CLOSED);
	assert_idle();
	/* Inside a gathered message. */
	ws_open(&c, 40000);
	send_frame(&c, OP_TEXT, "part", 4);
	cli_send(&c, F_ACK | F_FIN, NULL, 0);
	assert_fin();
	ck_assert_uint_eq(c.rx_len, 0);
	assert_closed(1, 1006);
	ck_assert_uint_eq(g.nb_msg, 0);
	cli_send(&c, F_ACK, NULL, 0);
	cli_assert_state(&c, FP_TCP_CLOSED);
	ck_assert_uint_eq(st.c[FP_C_ws_abnormal], 2);
	assert_idle();
}
END_TEST

/* No HTTP timeout closes an idle WebSocket: past keepalive_timeout_s it
 * still echoes.
 */
START_TEST(test_idle_stays_open)
{
	struct cli c;

	start();
	ws_open(&c, 40000);
	cli_send(&c, F_ACK, NULL, 0);
	fp_peer_advance(&pr, cfg.keepalive_timeout_s * 1000 + 1000);
	assert_no_data();
	cli_assert_state(&c, FP_TCP_ESTABLISHED);
	ck_assert_uint_eq(g.nb_closed, 0);
	send_frame(&c, FIN | OP_TEXT, "still here", 10);
	echo_ok(&c, 0, OP_TEXT, "still here", 10);
	ws_bye(&c);
	assert_idle();
}
END_TEST

/* A client that takes nothing more: send_timeout_s resets the connection,
 * closed(1006) once.
 */
START_TEST(test_send_stalled)
{
	unsigned int i;
	struct cli c;

	start();
	ws_open(&c, 40000);
	cli_send(&c, F_ACK, NULL, 0);
	ck_assert_int_eq(fp_ws_send(g.x, OP_TEXT, "unread", 6), 0);
	fp_peer_flush(&pr);
	for (i = 0; i < 600 && cli_conn(&c) != NULL; i++)
		fp_peer_advance(&pr, 1000);
	cli_assert_state(&c, FP_TCP_CLOSED);
	assert_closed(0, 1006);
	ck_assert_uint_eq(st.c[FP_C_ws_abnormal], 1);
	ck_assert_uint_eq(st.c[FP_C_http_send_timeouts], 1);
	assert_idle();
}
END_TEST

/* A message gathered in a body buffer must keep coming: after
 * body_timeout_s without its end, 1008 and the buffer back.
 */
START_TEST(test_gather_timeout)
{
	struct cli c;

	start();
	ws_open(&c, 40001);
	send_frame(&c, OP_TEXT, "part", 4);
	ck_assert_int_eq(st.g[FP_G_http_body_buffers], 1);
	fp_peer_advance(&pr, cfg.body_timeout_s * 1000 - 10);
	assert_no_data();
	ck_assert_uint_eq(g.nb_closed, 0);
	fp_peer_advance(&pr, 20);
	cli_recv(&c);
	snprintf(where, sizeof(where), "the stalled message");
	take_close(&c, 1008, NULL);
	assert_fin();
	assert_closed(0, 1008);
	ck_assert_uint_eq(st.c[FP_C_ws_gather_timeouts], 1);
	ck_assert_int_eq(st.g[FP_G_http_body_buffers], 0);
	cli_finish(&c);
	assert_idle();
}
END_TEST

/* With [http] max_body 0 and no max_message, a message is limited by the
 * body buffer's size, never unlimited: fragments past it get 1009, and
 * nothing is written past the buffer.
 */
START_TEST(test_max_body_zero)
{
	static char want[RESP_MAX];
	static uint8_t part[MAX_MSG];
	unsigned int i;
	struct cli c;

	cfg.max_body = 0;
	reconfigure();
	start();
	connect_to(&c, 40001);
	cli_str(&c, F_ACK | F_PSH, HANDSHAKE("/ws/nolimit", ""));
	take(&c, want, head_101(want, NULL));
	memset(part, 'z', sizeof(part));
	send_frame(&c, OP_BIN, part, sizeof(part));
	/* The buffer holds max_header_bytes (and a little more). */
	for (i = 1; i <= cfg.max_header_bytes / MAX_MSG + 1 && c.rx_len == 0; i++)
		send_frame(&c, OP_CONT, part, sizeof(part));
	snprintf(where, sizeof(where), "past the buffer, after %u fragments", i);
	take_close(&c, 1009, NULL);
	assert_closed(0, 1009);
	cli_finish(&c);
	assert_idle();
}
END_TEST

/* 6. Body buffers run out: the message that needs one gets 1013. */

START_TEST(test_no_body_buffer)
{
	struct cli a, b, c;
	uint8_t fr[64];
	uint32_t n;

	cfg.body_buffers = 2;
	reconfigure();
	start();
	ws_open(&a, 40001);
	ws_open(&b, 40002);
	ws_open(&c, 40003);
	send_frame(&a, OP_TEXT, "a1", 2);
	send_frame(&b, OP_BIN, "b1", 2);
	assert_no_data();
	ck_assert_int_eq(st.g[FP_G_http_body_buffers], 2);
	/* A fragment with no buffer left. */
	snprintf(where, sizeof(where), "a fragment");
	send_frame(&c, OP_TEXT, "c1", 2);
	take_close(&c, 1013, NULL);
	assert_fin();
	assert_closed(0, 1013);
	cli_finish(&c);
	/* One frame cut inside its payload needs one too. */
	snprintf(where, sizeof(where), "a cut frame");
	ws_open(&c, 40003);
	n = cframe(fr, FIN | OP_TEXT, "cut here", 8);
	cli_send(&c, F_ACK | F_PSH, fr, n - 3);
	take_close(&c, 1013, NULL);
	assert_closed(1, 1013);
	cli_send(&c, F_ACK | F_PSH, fr + n - 3, 3);
	ck_assert_uint_eq(g.nb_msg, 0);
	cli_finish(&c);
	/* A message whole in its segment needs none. */
	snprintf(where, sizeof(where), "a whole frame");
	ws_open(&c, 40003);
	send_frame(&c, FIN | OP_TEXT, "whole", 5);
	echo_ok(&c, 0, OP_TEXT, "whole", 5);
	ws_bye(&c);
	ck_assert_uint_eq(st.c[FP_C_ws_close_try_again_later], 2);
	/* The two held finish, and give their buffers back. */
	snprintf(where, sizeof(where), "the held ones");
	send_frame(&a, FIN | OP_CONT, "a2", 2);
	echo_ok(&a, 1, OP_TEXT, "a1a2", 4);
	ck_assert_int_eq(st.g[FP_G_http_body_buffers], 1);
	send_frame(&b, FIN | OP_CONT, "b2", 2);
	echo_ok(&b, 2, OP_BIN, "b1b2", 4);
	ck_assert_int_eq(st.g[FP_G_http_body_buffers], 0);
	ws_bye(&a);
	ws_bye(&b);
	ck_assert_uint_eq(g.nb_closed, 5);
	assert_idle();
}
END_TEST

/* 7. Sending. */

/* A send buffer full of unacknowledged frames: -EAGAIN (small frames and
 * large ones), then writable once the client's ACK makes room.
 */
START_TEST(test_send_backpressure)
{
	static uint8_t p[2000];
	struct sframe f[16];
	unsigned int sent = 0, i, nf;
	struct fp_http_ctx *x;
	struct cli c;
	int ret;

	for (i = 0; i < sizeof(p); i++)
		p[i] = (uint8_t)(i * 13 + 1);
	prm.sndbuf = SMALL_SNDBUF;
	start();
	ws_open(&c, 40000);
	x = g.x;
	/* The 101 acknowledged: the send buffer is empty. */
	cli_send(&c, F_ACK, NULL, 0);
	for (;;) {
		ck_assert_uint_lt(sent, 16);
		ret = fp_ws_send(x, OP_BIN, p, MAX_MSG);
		fp_peer_flush(&pr);
		cli_recv(&c);
		if (ret == -EAGAIN)
			break;
		ck_assert_int_eq(ret, 0);
		sent++;
	}
	/* Frames of 4 + 1000 bytes: as many as the buffer holds. */
	ck_assert_uint_eq(sent, SMALL_SNDBUF / (4 + MAX_MSG));
	nf = sframes(&c, f, RTE_DIM(f));
	ck_assert_uint_eq(nf, sent);
	for (i = 0; i < nf; i++) {
		ck_assert_uint_eq(f[i].op, OP_BIN);
		ck_assert_uint_eq(f[i].len, MAX_MSG);
		ck_assert_mem_eq(f[i].p, p, MAX_MSG);
	}
	c.rx_len = 0;
	/* The large path (two copies) says the same. */
	ck_assert_int_eq(fp_ws_send(x, OP_BIN, p, sizeof(p)), -EAGAIN);
	fp_peer_flush(&pr);
	fp_peer_assert_silent(&pr);
	ck_assert_uint_eq(g.writables, 0);
	ck_assert_uint_eq(st.c[FP_C_ws_messages_out], sent);
	/* The ACK of it all: writable, once. */
	cli_send(&c, F_ACK, NULL, 0);
	ck_assert_uint_eq(g.writables, 1);
	cli_send(&c, F_ACK, NULL, 0);
	ck_assert_uint_eq(g.writables, 1);
	ck_assert_int_eq(fp_ws_send(x, OP_BIN, p, sizeof(p)), 0);
	fp_peer_flush(&pr);
	cli_recv(&c);
	take_frame(&c, OP_BIN, p, sizeof(p));
	ws_bye(&c);
	ck_assert_uint_eq(g.writables, 1);
	assert_idle();
}
END_TEST

/* Sizes, opcodes and closes fp_ws_send() and fp_ws_close() refuse. */
START_TEST(test_send_errors)
{
	static uint8_t p[SMALL_SNDBUF + 1];
	const struct sframe ctl[2] = {
		{ .op = OP_PING, .len = 125, .p = p },
		{ .op = OP_PONG, .len = 0, .p = p },
	};
	char reason[130];
	struct fp_http_ctx *x;
	struct cli c;

	memset(p, 'z', sizeof(p));
	prm.sndbuf = SMALL_SNDBUF;
	start();
	ws_open(&c, 40000);
	cli_send(&c, F_ACK, NULL, 0);
	x = g.x;
	/* Control frames: at most 125 bytes. */
	ck_assert_int_eq(fp_ws_send(x, OP_PING, p, 126), -EMSGSIZE);
	ck_assert_int_eq(fp_ws_send(x, OP_PONG, p, 126), -EMSGSIZE);
	ck_assert_int_eq(fp_ws_send(x, OP_PING, p, 125), 0);
	ck_assert_int_eq(fp_ws_send(x, OP_PONG, p, 0), 0);
	fp_peer_flush(&pr);
	cli_recv(&c);
	take_frames(&c, ctl, 2);
	/* Not a message's or a control frame's opcode. */
	ck_assert_int_eq(fp_ws_send(x, OP_CONT, p, 1), -EINVAL);
	ck_assert_int_eq(fp_ws_send(x, OP_CLOSE, "\x03\xe8", 2), -EINVAL);
	ck_assert_int_eq(fp_ws_send(x, 0x3, p, 1), -EINVAL);
	ck_assert_int_eq(fp_ws_send(x, 0xb, p, 1), -EINVAL);
	/* Larger than the send buffer, header and all. */
	ck_assert_int_eq(fp_ws_send(x, OP_BIN, p, SMALL_SNDBUF + 1), -EMSGSIZE);
	ck_assert_int_eq(fp_ws_send(x, OP_BIN, p, SMALL_SNDBUF), -EMSGSIZE);
	fp_peer_flush(&pr);
	fp_peer_assert_silent(&pr);
	/* Exactly the send buffer, header and all, once it is empty. */
	cli_send(&c, F_ACK, NULL, 0);
	ck_assert_int_eq(fp_ws_send(x, OP_BIN, p, SMALL_SNDBUF - 4), 0);
	fp_peer_flush(&pr);
	cli_recv(&c);
	take_frame(&c, OP_BIN, p, SMALL_SNDBUF - 4);
	cli_send(&c, F_ACK, NULL, 0);
	/* Close codes an endpoint may not send, reasons too long or not UTF-8. */
	ck_assert_int_eq(fp_ws_close(x, 1005, NULL), -EINVAL);
	ck_assert_int_eq(fp_ws_close(x, 1006, NULL), -EINVAL);
	ck_assert_int_eq(fp_ws_close(x, 999, NULL), -EINVAL);
	ck_assert_int_eq(fp_ws_close(x, 5000, NULL), -EINVAL);
	memset(reason, 'r', sizeof(reason));
	reason[124] = '\0';
	ck_assert_int_eq(fp_ws_close(x, 1000, reason), -EINVAL);
	ck_assert_int_eq(fp_ws_close(x, 1000, "bad \xff"), -EINVAL);
	fp_peer_flush(&pr);
	fp_peer_assert_silent(&pr);
	/* Still open: a message goes. */
	ck_assert_int_eq(fp_ws_send(x, OP_TEXT, "still", 5), 0);
	fp_peer_flush(&pr);
	cli_recv(&c);
	take_frame(&c, OP_TEXT, "still", 5);
	/* 123 bytes of reason is the most. */
	reason[123] = '\0';
	ck_assert_int_eq(fp_ws_close(x, 4999, reason), 0);
	fp_peer_flush(&pr);
	cli_recv(&c);
	take_close(&c, 4999, reason);
	/* After the close, nothing: -EPIPE. */
	ck_assert_int_eq(fp_ws_send(x, OP_TEXT, "x", 1), -EPIPE);
	ck_assert_int_eq(fp_ws_send(x, OP_PONG, "x", 1), -EPIPE);
	ck_assert_int_eq(fp_ws_close(x, 1000, NULL), -EPIPE);
	fp_peer_flush(&pr);
	fp_peer_assert_silent(&pr);
	send_close(&c, 4999, NULL);
	assert_fin();
	assert_closed(0, 4999);
	cli_finish(&c);
	assert_idle();
}
END_TEST

/* Fills x's send buffer to the last byte with binary frames the client
 * does not acknowledge.
 */
static void
fill(struct cli *c, struct fp_http_ctx *x)
{
	static uint8_t p[MAX_MSG];
	uint32_t room;

	while (fp_ws_send(x, OP_BIN, p, MAX_MSG) == 0)
		;
	room = fp_http_write_room(x);
	ck_assert_uint_lt(room, 4 + MAX_MSG);
	/* The last frame's header is 2 bytes up to 125, then 4. */
	if (room >= 4 + 126)
		ck_assert_int_eq(fp_ws_send(x, OP_BIN, p, room - 4), 0);
	else if (room >= 2)
		ck_assert_int_eq(fp_ws_send(x, OP_BIN, p, room - 2), 0);
	ck_assert_uint_eq(fp_http_write_room(x), 0);
	fp_peer_flush(&pr);
	cli_recv(c);
	c->rx_len = 0;
}

/* No room even for a close frame: the connection is reset, closed(1006)
 * once; a ping meanwhile gets no pong.
 */
START_TEST(test_close_when_full)
{
	uint8_t fr[32];
	uint32_t acked;
	struct cli c;

	prm.sndbuf = SMALL_SNDBUF;
	start();
	/* The server's own close. */
	ws_open(&c, 40000);
	cli_send(&c, F_ACK, NULL, 0);
	acked = c.ack;
	fill(&c, g.x);
	send_at_ack(&c, acked, fr, cframe(fr, FIN | OP_PING, "p", 1));
	assert_no_data();
	ck_assert_uint_eq(st.c[FP_C_ws_pongs_unsent], 1);
	ck_assert_int_eq(fp_ws_close(g.x, 1000, NULL), 0);
	fp_peer_flush(&pr);
	ck_assert_uint_eq(pr.nb_out, 1);
	ck_assert_uint_eq(pr.out[0].flags & F_RST, F_RST);
	cli_assert_state(&c, FP_TCP_CLOSED);
	assert_closed(0, 1006);
	assert_idle();
	/* A protocol error's close. */
	ws_open(&c, 40000);
	cli_send(&c, F_ACK, NULL, 0);
	acked = c.ack;
	fill(&c, g.x);
	send_at_ack(&c, acked, fr, cframe_f(fr, FIN | OP_TEXT, "u", 1, false, 0));
	ck_assert_uint_eq(pr.nb_out, 1);
	ck_assert_uint_eq(pr.out[0].flags & F_RST, F_RST);
	cli_assert_state(&c, FP_TCP_CLOSED);
	assert_closed(1, 1006);
	ck_assert_uint_eq(st.c[FP_C_ws_close_protocol_error], 0);
	assert_idle();
}
END_TEST

/* A frame over 1024 bytes when the worker's copy chunks, not the send
 * buffer, are what is short: the header takes a chunk of its own, and the
 * frame must still go whole or not at all (it once went out as a bare
 * header, the payload refused).
 */
START_TEST(test_send_chunks_short)
{
	static uint8_t p[3000];
	uint32_t room;
	struct cli c;
	int ret;

	memset(p, 'c', sizeof(p));
	prm.chunks = 8;
	start();
	ws_open(&c, 40000);
	cli_send(&c, F_ACK, NULL, 0);
	ck_assert_uint_eq(t.nb_chunk_free, 8);
	room = fp_http_write_room(g.x);
	ck_assert_uint_ge(room, 4 + sizeof(p));
	ret = fp_ws_send(g.x, OP_BIN, p, sizeof(p));
	fp_peer_flush(&pr);
	cli_recv(&c);
	ck_assert_msg(ret == 0 || c.rx_len == 0, "fp_ws_send() returned %d after %u bytes went"
		" out", ret, c.rx_len);
	ck_assert_int_eq(ret, 0);
	take_frame(&c, OP_BIN, p, sizeof(p));
	cli_send(&c, F_ACK, NULL, 0);
	ws_bye(&c);
	assert_idle();
}
END_TEST


/* Frames out in each length form: 125 and 126 bytes, 65535, 65536 and
 * more (64 bits), read by a client that acknowledges as it goes.
 */
static struct {
	const uint8_t *want;	/* the payload */
	uint32_t len;
	uint8_t hdr[10];
	uint32_t got;		/* bytes of the frame so far */
} lf;

static void
large_sink(struct cli *c __rte_unused, const uint8_t *p, uint32_t len)
{
	uint32_t i, hl;

	for (i = 0; i < len; i++, lf.got++) {
		hl = lf.got < 2 ? 10 : (lf.hdr[1] & 0x7f) == 127 ? 10 :
			(lf.hdr[1] & 0x7f) == 126 ? 4 : 2;
		if (lf.got < hl) {
			lf.hdr[lf.got] = p[i];
			continue;
		}
		ck_assert_msg(lf.got - hl < lf.len, "%u bytes past the frame", lf.got - hl);
		ck_assert_msg(p[i] == lf.want[lf.got - hl], "byte %u differs", lf.got - hl);
	}
}

START_TEST(test_send_large)
{
	static const uint32_t sizes[] = { 125, 126, 65535, 65536, 200000 };
	static uint8_t p[200000];
	unsigned int i, steps;
	uint8_t hdr[10];
	uint32_t hl, k;
	struct cli c;

	for (k = 0; k < sizeof(p); k++)
		p[k] = (uint8_t)(k * 31 + k / 251);
	start();
	ws_open(&c, 40000);
	c.sink = large_sink;
	for (i = 0; i < RTE_DIM(sizes); i++) {
		memset(&lf, 0, sizeof(lf));
		lf.want = p;
		lf.len = sizes[i];
		ck_assert_int_eq(fp_ws_send(g.x, OP_BIN, p, sizes[i]), 0);
		fp_peer_flush(&pr);
		cli_recv(&c);
		hdr[0] = FIN | OP_BIN;
		if (sizes[i] < 126) {
			hdr[1] = sizes[i];
			hl = 2;
		} else if (sizes[i] <= 0xffff) {
			hdr[1] = 126;
			hdr[2] = sizes[i] >> 8;
			hdr[3] = sizes[i] & 0xff;
			hl = 4;
		} else {
			hdr[1] = 127;
			for (k = 0; k < 8; k++)
				hdr[2 + k] = (uint8_t)((uint64_t)sizes[i] >> (56 - 8 * k));
			hl = 10;
		}
		for (steps = 0; lf.got < hl + sizes[i]; steps++) {
			ck_assert_uint_lt(steps, 1000);
			cli_send(&c, F_ACK, NULL, 0);
		}
		ck_assert_uint_eq(lf.got, hl + sizes[i]);
		ck_assert_mem_eq(lf.hdr, hdr, hl);
	}
	cli_send(&c, F_ACK, NULL, 0);
	c.sink = NULL;
	ws_bye(&c);
	ck_assert_uint_eq(st.c[FP_C_ws_bytes_out], 125 + 126 + 65535 + 65536 + 200000);
	assert_idle();
}
END_TEST

/* 8. The handshake. */

/* Refusals keep the connection; a good handshake after them is taken. */
START_TEST(test_handshake_refused)
{
	static char want[RESP_MAX];
	struct cli c;

	start();
	connect_to(&c, 40000);
	cli_str(&c, F_ACK | F_PSH, "GET /ws HTTP/1.1\r\nHost: t\r\nUpgrade: websocket\r\n"
		"Connection: Upgrade\r\nSec-WebSocket-Key: " KEY "\r\n\r\n");
	take(&c, want, resp_err(want, "426 Upgrade Required", "Sec-WebSocket-Version: 13\r\n"));
	ck_assert_int_eq(g.accept_ret, -EPROTO);
	cli_str(&c, F_ACK | F_PSH, "GET /ws HTTP/1.1\r\nHost: t\r\nUpgrade: websocket\r\n"
		"Connection: Upgrade\r\nSec-WebSocket-Key: " KEY "\r\n"
		"Sec-WebSocket-Version: 8\r\n\r\n");
	take(&c, want, resp_err(want, "426 Upgrade Required", "Sec-WebSocket-Version: 13\r\n"));
	cli_str(&c, F_ACK | F_PSH, "GET /ws HTTP/1.1\r\nHost: t\r\n\r\n");
	take(&c, want, resp_err(want, "400 Bad Request", ""));
	ck_assert_int_eq(g.accept_ret, -EPROTO);
	/* A key that is not 16 bytes of base64. */
	cli_str(&c, F_ACK | F_PSH, "GET /ws HTTP/1.1\r\nHost: t\r\nUpgrade: websocket\r\n"
		"Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ\r\n"
		"Sec-WebSocket-Version: 13\r\n\r\n");
	take(&c, want, resp_err(want, "400 Bad Request", ""));
	/* A subprotocol the client did not offer. */
	cli_str(&c, F_ACK | F_PSH, HANDSHAKE("/ws/force", "Sec-WebSocket-Protocol: a\r\n"));
	take(&c, want, resp_err(want, "500 Internal Server Error", ""));
	ck_assert_int_eq(g.accept_ret, -EINVAL);
	ck_assert_uint_eq(g.accepts, 0);
	ck_assert_int_eq(st.g[FP_G_ws_open], 0);
	ck_assert_uint_eq(st.c[FP_C_ws_refused], 4);
	cli_str(&c, F_ACK | F_PSH, HANDSHAKE("/ws", ""));
	take(&c, want, head_101(want, NULL));
	ck_assert_uint_eq(g.accepts, 1);
	ws_bye(&c);
	/* RFC 6455 4.2.1: HTTP/1.1 or higher. */
	connect_to(&c, 40001);
	cli_str(&c, F_ACK | F_PSH, "GET /ws HTTP/1.0\r\nHost: t\r\nUpgrade: websocket\r\n"
		"Connection: Upgrade\r\nSec-WebSocket-Key: " KEY "\r\n"
		"Sec-WebSocket-Version: 13\r\n\r\n");
	take(&c, want, resp_err_conn(want, "400 Bad Request", "", "close"));
	assert_fin();
	cli_finish(&c);
	ck_assert_uint_eq(g.accepts, 1);
	ck_assert_uint_eq(st.c[FP_C_ws_refused], 5);
	assert_idle();
}
END_TEST

/* The 101's status line (RFC 9110 15.2.2: "Switching Protocols"). */
START_TEST(test_101_reason)
{
	static const char line[] = "HTTP/1.1 101 Switching Protocols\r\n";
	struct cli c;

	start();
	connect_to(&c, 40000);
	cli_str(&c, F_ACK | F_PSH, HANDSHAKE("/ws", ""));
	ck_assert_uint_gt(c.rx_len, sizeof(line) - 1);
	ck_assert_msg(memcmp(c.rx, line, sizeof(line) - 1) == 0, "status line: %.*s",
		(int)(strchr((const char *)c.rx, '\r') - (const char *)c.rx), c.rx);
	c.rx_len = 0;
	ws_bye(&c);
	assert_idle();
}
END_TEST

/* Other spellings of a good handshake (RFC 6455 4.2.1: the values are
 * case-insensitive, Connection a list).
 */
START_TEST(test_handshake_variants)
{
	static const char *const reqs[] = {
		"GET /ws HTTP/1.1\r\nHost: t\r\nUpgrade: WebSocket\r\n"
			"Connection: keep-alive, Upgrade\r\nSec-WebSocket-Key: " KEY "\r\n"
			"Sec-WebSocket-Version: 13\r\n\r\n",
		"GET /ws HTTP/1.1\r\nsec-websocket-version: 13\r\nsec-websocket-key: " KEY "\r\n"
			"connection: upgrade\r\nupgrade: websocket\r\nHost: t\r\n\r\n",
	};
	static char want[RESP_MAX];
	unsigned int i;
	struct cli c;

	start();
	for (i = 0; i < RTE_DIM(reqs); i++) {
		snprintf(where, sizeof(where), "request %u", i);
		connect_to(&c, 40000);
		cli_str(&c, F_ACK | F_PSH, reqs[i]);
		take(&c, want, head_101(want, NULL));
		ck_assert_uint_eq(g.accepts, i + 1);
		send_frame(&c, FIN | OP_TEXT, "hi", 2);
		echo_ok(&c, i, OP_TEXT, "hi", 2);
		ws_bye(&c);
	}
	assert_idle();
}
END_TEST

/* A subprotocol only when the client offers it. */
START_TEST(test_subprotocol)
{
	static const char *const offers[] = {
		"Sec-WebSocket-Protocol: a, chat\r\n",
		"Sec-WebSocket-Protocol: a\r\nSec-WebSocket-Protocol: x ,\tchat \r\n",
		"Sec-WebSocket-Protocol: a, chatty, cha\r\n",
		"Sec-WebSocket-Protocol: Chat\r\n",
		"",
	};
	static const bool taken[] = { true, true, false, false, false };
	static char req[1024], want[RESP_MAX];
	unsigned int i;
	struct cli c;

	start();
	for (i = 0; i < RTE_DIM(offers); i++) {
		snprintf(where, sizeof(where), "offer %u", i);
		connect_to(&c, 40000);
		snprintf(req, sizeof(req), HANDSHAKE("/ws/chat", "%s"), offers[i]);
		cli_str(&c, F_ACK | F_PSH, req);
		ck_assert_msg(g.offered == taken[i], "%s: fp_ws_offered() is %d", where,
			g.offered);
		take(&c, want, head_101(want, taken[i] ? "chat" : NULL));
		ck_assert_uint_eq(g.accepts, i + 1);
		ws_bye(&c);
	}
	assert_idle();
}
END_TEST

Suite *
ws_session_suite(void)
{
	Suite *s = suite_create("ws_session");
	TCase *tc;

	tc = tcase_create("messages");
	tcase_add_unchecked_fixture(tc, eal_up, eal_down);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_echo);
	tcase_add_test(tc, test_split_every_byte);
	tcase_add_test(tc, test_fragmented_ping);
	tcase_add_loop_test(tc, test_handshake_then_frame, 0, 3);
	suite_add_tcase(s, tc);

	tc = tcase_create("closes");
	tcase_add_unchecked_fixture(tc, eal_up, eal_down);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_loop_test(tc, test_protocol_error, 0, RTE_DIM(bads));
	tcase_add_loop_test(tc, test_client_close, 0, RTE_DIM(closes));
	tcase_add_test(tc, test_client_close_then_data);
	tcase_add_test(tc, test_client_close_fin);
	tcase_add_test(tc, test_server_close_timeout);
	tcase_add_test(tc, test_server_close_answered);
	tcase_add_test(tc, test_server_close_in_callback);
	tcase_add_test(tc, test_server_drain);
	tcase_add_test(tc, test_reset);
	tcase_add_test(tc, test_client_fin);
	tcase_add_test(tc, test_idle_stays_open);
	tcase_add_test(tc, test_send_stalled);
	suite_add_tcase(s, tc);

	tc = tcase_create("limits");
	tcase_add_unchecked_fixture(tc, eal_up, eal_down);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_no_body_buffer);
	tcase_add_test(tc, test_gather_timeout);
	tcase_add_test(tc, test_max_body_zero);
	tcase_add_test(tc, test_send_backpressure);
	tcase_add_test(tc, test_send_errors);
	tcase_add_test(tc, test_close_when_full);
	tcase_add_test(tc, test_send_large);
	tcase_add_test(tc, test_send_chunks_short);
	suite_add_tcase(s, tc);

	tc = tcase_create("handshake");
	tcase_add_unchecked_fixture(tc, eal_up, eal_down);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_handshake_refused);
	tcase_add_test(tc, test_101_reason);
	tcase_add_test(tc, test_handshake_variants);
	tcase_add_test(tc, test_subprotocol);
	suite_add_tcase(s, tc);

	return s;
}
