/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The fastpath authors
 */

/* Channels (lib/channels/fp_chan.h) driven from the wire: a [channel
 * /live/] section on a server of one worker, so that worker owns every
 * channel and no message crosses workers (its own post ring only paces a
 * large fan-out), over its TCP on a fake clock, the shared synthetic peer
 * (fp_tcp_peer.h) as subscribers and publishers.
 * The chunked event streams are decoded and their events parsed as a
 * client would; WebSocket frames are parsed one by one; both are checked
 * byte for byte. Every test ends with contexts, buffers, send-queue pieces
 * and the channels' message copies back where they were.
 */

#include <errno.h>
#include <inttypes.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_errno.h>
#include <rte_mbuf.h>
#include <rte_mempool.h>

#include "fp_chan.h"
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
#define TIME_WAIT_MS	10

/* The section under test. */
#define PREFIX		"/live/"
#define HISTORY		4
#define HISTORY_BYTES	65536
#define MAX_MSG		256
#define BACKLOG		4096
#define HEARTBEAT_MS	100
#define TOKEN		"tok"
/* The fewest one worker can have: see test_few_frames. */
#define FRAMES		96
#define NAMES		4

#define AUTH		"Authorization: Bearer " TOKEN "\r\n"

/* RFC 6455 1.3's example key and its accept value. */
#define KEY	"dGhlIHNhbXBsZSBub25jZQ=="
#define ACCEPT	"s3pPLMBiTxaQ9kYGzzhZRbK+xOo="

enum { OP_TEXT = 0x1, OP_BIN = 0x2, OP_CLOSE = 0x8 };

#define FIN 0x80	/* a frame's FIN bit */

/* Per test (each runs in its own child). */
static struct fp_config cfg;
static struct fp_http_server *srv;
static struct fp_chan_server *cs;
static struct rte_mempool *frames;	/* the channels' message copies */
static struct fp_iface ifc;
static struct fp_stats st;
static struct fp_peer pr;
static struct rte_mempool *pool;
static struct rte_mempool *zc_pool;
static struct fp_tcp_params prm;
static struct fp_tcp_lcore t;
static struct fp_http_worker hw;
static bool t_ready;
static unsigned int held;		/* copies history keeps at the end */

/* The clients that take what each step sends them. */
static struct cli *watched[256];
static unsigned int nb_watched;

/* Where the checks of a loop are, for their messages. */
static char where[96];

/* Fixtures. */

static void
eal_up(void)
{
	fp_test_eal_up("fp_unit_channels");
}

static void
eal_down(void)
{
}

static void
find_frames(struct rte_mempool *mp, void *arg __rte_unused)
{
	if (strncmp(mp->name, "fp_chan_", 8) != 0)
		return;
	ck_assert_msg(frames == NULL, "two channel pools: %s and %s", frames->name, mp->name);
	frames = mp;
}

/* The HTTP server, then the channels on it, as the application does. */
static void
servers(void)
{
	struct fp_err err;

	srv = fp_http_server_create(&cfg, 1, &err);
	ck_assert_msg(srv != NULL, "%s", err.msg);
	cs = fp_chan_server_create(&cfg, srv, 1, &err);
	ck_assert_msg(cs != NULL, "%s", err.msg);
	/* The module has no accessor for its pool: found by its name. */
	frames = NULL;
	rte_mempool_walk(find_frames, NULL);
	ck_assert_ptr_nonnull(frames);
	ck_assert_uint_eq(rte_mempool_in_use_count(frames), 0);
}

static void
setup(void)
{
	struct fp_config_channel *ch = &cfg.channels[0];

	memset(&st, 0, sizeof(st));
	where[0] = '\0';
	t_ready = false;
	held = 0;
	nb_watched = 0;
	fp_test_http_pools("chs", &pool, &zc_pool, &pr, &t, PORT);
	fp_test_http_config(&cfg, MAX_BODY);
	memset(ch, 0, sizeof(*ch));
	snprintf(ch->prefix, sizeof(ch->prefix), PREFIX);
	snprintf(ch->token, sizeof(ch->token), TOKEN);
	ch->history = HISTORY;
	ch->history_bytes = HISTORY_BYTES;
	ch->max_message = MAX_MSG;
	ch->backlog = BACKLOG;
	ch->heartbeat_ms = HEARTBEAT_MS;
	ch->names = NAMES;
	ch->frames = FRAMES;
	ch->publish = FP_CHAN_PUB_both;
	cfg.nb_channels = 1;
	servers();

	fp_test_iface(&ifc);
	ifc.tx_multi_seg = true;
	fp_tcp_params_from(&prm, &cfg, 0, 1);
	prm.time_wait_ms = TIME_WAIT_MS;
}

/* Recreates both servers with cfg as the test changed it. */
static void
reconfigure(void)
{
	fp_chan_server_free(cs);
	fp_http_server_free(srv);
	servers();
}

/* The worker's TCP and HTTP. */
static void
start(void)
{
	fp_test_http_start(&t, &prm, &ifc, &st, &pr, pool, zc_pool, &hw, srv, &cfg);
	t_ready = true;
}

/* Everything closed: nothing held (contexts, request and body buffers,
 * send-queue pieces), no WebSocket open, and of the message copies only
 * the n that history keeps.
 */
static void
assert_idle(unsigned int n)
{
	fp_test_http_assert_idle(&st, &t);
	ck_assert_uint_eq(rte_mempool_in_use_count(frames), n);
	held = n;
}

static void
teardown(void)
{
	if (t_ready) {
		t_ready = false;
		fp_test_stack_end(&pr, &t, &hw, &st);
		/* Freeing the stack gave back every reference it held. */
		ck_assert_uint_eq(rte_mempool_in_use_count(frames), held);
	}
	fp_chan_server_free(cs);
	cs = NULL;
	fp_http_server_free(srv);
	srv = NULL;
	rte_mempool_free(pool);
	rte_mempool_free(zc_pool);
	pool = NULL;
	zc_pool = NULL;
}

/* Clients. */

static void
watch(struct cli *c)
{
	ck_assert_uint_lt(nb_watched, RTE_DIM(watched));
	watched[nb_watched++] = c;
}

static void
unwatch(struct cli *c)
{
	unsigned int i;

	for (i = 0; i < nb_watched; i++)
		if (watched[i] == c) {
			watched[i] = watched[--nb_watched];
			return;
		}
}

/* Every watched client takes what the last step sent it (a client that
 * took it already finds nothing new).
 */
static void
collect(void)
{
	unsigned int i;

	for (i = 0; i < nb_watched; i++)
		cli_recv(watched[i]);
}

static void
advance(uint32_t ms)
{
	fp_peer_advance(&pr, ms);
	collect();
}

/* Runs the worker's posted functions as its loop does between receive
 * polls; what they sent is taken as a step's (the TX queue may flush
 * itself on the way, so out is reset before and not after).
 */
static void
poll_posts(void)
{
	pr.nb_out = 0;
	fp_http_poll(&hw);
	fp_peer_capture(&pr.txq);
	collect();
}

/* c acknowledges all it received. */
static void
ack(struct cli *c)
{
	cli_send(c, F_ACK, NULL, 0);
	collect();
}

static void
connect_to(struct cli *c, uint16_t port)
{
	fp_test_connect(c, &pr, port);
}

/* c received exactly want[0, n) since the last call, which it forgets. */
static void
take(struct cli *c, const char *want, uint32_t n)
{
	fp_test_take(c, want, n, where);
}

/* c received want[0, n) first: it forgets those and keeps the rest. */
static void
take_head(struct cli *c, const char *want, uint32_t n)
{
	ck_assert_msg(c->rx_len >= n && memcmp(c->rx, want, n) == 0,
		"%s: received %u bytes:\n%.*s\nexpected a head of %u:\n%.*s", where, c->rx_len,
		(int)c->rx_len, (const char *)c->rx, n, (int)n, want);
	memmove(c->rx, c->rx + n, c->rx_len - n);
	c->rx_len -= n;
}

static void
assert_nothing(const struct cli *c)
{
	ck_assert_msg(c->rx_len == 0, "%s: %u bytes received: %.*s", where, c->rx_len,
		(int)c->rx_len, (const char *)c->rx);
	ck_assert(!c->rx_fin);
}

/* Expected heads. */

static uint32_t
head_sse(char *buf)
{
	int n;

	n = snprintf(buf, RESP_MAX, "HTTP/1.1 200 OK\r\nServer: %s\r\nDate: %.*s\r\n"
		"Content-Type: text/event-stream\r\nCache-Control: no-cache\r\n"
		"Transfer-Encoding: chunked\r\n\r\n", cfg.server, FP_HTTP_DATE_LEN, hw.date);
	ck_assert_int_lt(n, RESP_MAX);
	return n;
}

static uint32_t
head_101(char *buf)
{
	int n;

	n = snprintf(buf, RESP_MAX, "HTTP/1.1 101 Switching Protocols\r\nServer: %s\r\n"
		"Date: %.*s\r\nSec-WebSocket-Accept: " ACCEPT "\r\nUpgrade: websocket\r\n"
		"Connection: Upgrade\r\n\r\n", cfg.server, FP_HTTP_DATE_LEN, hw.date);
	ck_assert_int_lt(n, RESP_MAX);
	return n;
}

/* A whole text answer with the extra header lines, and Connection: close
 * when close is set.
 */
static uint32_t
resp_text_conn(char *buf, const char *status, const char *extra, bool close, const char *body)
{
	int n;

	n = snprintf(buf, RESP_MAX, "HTTP/1.1 %s\r\nServer: %s\r\nDate: %.*s\r\n"
		"Content-Type: " TEXT "\r\n%sContent-Length: %zu\r\n%s\r\n%s", status,
		cfg.server, FP_HTTP_DATE_LEN, hw.date, extra, strlen(body),
		close ? "Connection: close\r\n" : "", body);
	ck_assert_int_lt(n, RESP_MAX);
	return n;
}

static uint32_t
resp_text(char *buf, const char *status, const char *extra, const char *body)
{
	return resp_text_conn(buf, status, extra, false, body);
}

/* An error page: its body is its status line. */
static uint32_t
resp_err_conn(char *buf, const char *status, const char *extra, bool close)
{
	char body[64];

	snprintf(body, sizeof(body), "%s\n", status);
	return resp_text_conn(buf, status, extra, close, body);
}

static uint32_t
resp_err(char *buf, const char *status, const char *extra)
{
	return resp_err_conn(buf, status, extra, false);
}

/* The chunked event stream. */

struct chunk {
	const uint8_t *p;
	uint32_t len;
};

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

/* Splits what c received into chunks (RFC 9112 7.1: a hex size, CRLF,
 * the data, CRLF), each whole; *end when the last-chunk and its empty
 * trailer section end the bytes. Returns how many, at most max.
 */
static unsigned int
chunks(const struct cli *c, struct chunk *ch, unsigned int max, bool *end)
{
	const uint8_t *b = c->rx;
	uint32_t off = 0, size;
	unsigned int n = 0, digits;
	int v;

	*end = false;
	while (off < c->rx_len) {
		ck_assert_msg(!*end, "%s: bytes after the last chunk", where);
		for (size = 0, digits = 0; off < c->rx_len && (v = hexval(b[off])) >= 0; off++) {
			ck_assert_msg(digits++ < 8, "%s: chunk size too long", where);
			size = size * 16 + v;
		}
		ck_assert_msg(digits > 0 && c->rx_len - off >= 2 && b[off] == '\r' &&
			b[off + 1] == '\n', "%s: bad chunk size line at %u: %.*s", where, off,
			(int)RTE_MIN(c->rx_len - off, 16u), b + off);
		off += 2;
		ck_assert_msg(c->rx_len - off >= size + 2, "%s: chunk %u cut short", where, n);
		ck_assert_msg(b[off + size] == '\r' && b[off + size + 1] == '\n',
			"%s: chunk %u not ended by CRLF", where, n);
		if (size == 0) {
			*end = true;
			off += 2;
			continue;
		}
		ck_assert_msg(n < max, "%s: over %u chunks", where, max);
		ch[n].p = b + off;
		ch[n].len = size;
		n++;
		off += size + 2;
	}
	return n;
}

/* An event as the server writes it: "id: ID", a data line for each line
 * of data, the blank line.
 */
static uint32_t
event_bytes(char *buf, size_t cap, uint64_t id, const char *data)
{
	const char *p = data, *nl;
	size_t n;

	n = snprintf(buf, cap, "id: %" PRIu64 "\n", id);
	for (;;) {
		nl = strchr(p, '\n');
		n += snprintf(buf + n, cap - n, "data: %.*s\n",
			(int)(nl != NULL ? nl - p : (ptrdiff_t)strlen(p)), p);
		if (nl == NULL)
			break;
		p = nl + 1;
	}
	n += snprintf(buf + n, cap - n, "\n");
	ck_assert_uint_lt(n, cap);
	return n;
}

/* Reads one chunk as a client reads an event stream (WHATWG HTML,
 * "Interpreting an event stream": lines end at LF here, the field name is
 * up to the first colon, one space after it is dropped, a line starting
 * with a colon is a comment, the blank line dispatches): exactly one
 * event, ending the chunk, whose id and data come back.
 */
static void
parse_event(const struct chunk *ch, char *id, size_t id_cap, char *data, size_t data_cap)
{
	const char *p = (const char *)ch->p, *end = p + ch->len, *nl, *colon, *v;
	size_t dl = 0, fl, vl;
	bool dispatched = false;

	id[0] = '\0';
	data[0] = '\0';
	while (p < end) {
		ck_assert_msg(!dispatched, "%s: bytes after the event", where);
		nl = memchr(p, '\n', end - p);
		ck_assert_msg(nl != NULL, "%s: a line without its end", where);
		if (nl == p) {
			dispatched = true;
			p = nl + 1;
			continue;
		}
		colon = memchr(p, ':', nl - p);
		ck_assert_msg(colon != NULL && colon != p, "%s: not a field: %.*s", where,
			(int)(nl - p), p);
		fl = colon - p;
		v = colon + 1 < nl && colon[1] == ' ' ? colon + 2 : colon + 1;
		vl = nl - v;
		if (fl == 2 && memcmp(p, "id", 2) == 0) {
			ck_assert_uint_lt(vl, id_cap);
			memcpy(id, v, vl);
			id[vl] = '\0';
		} else if (fl == 4 && memcmp(p, "data", 4) == 0) {
			ck_assert_uint_lt(dl + vl + 1, data_cap);
			memcpy(data + dl, v, vl);
			dl += vl;
			data[dl++] = '\n';
			data[dl] = '\0';
		} else {
			ck_abort_msg("%s: field %.*s", where, (int)fl, p);
		}
		p = nl + 1;
	}
	ck_assert_msg(dispatched, "%s: no blank line", where);
	/* "If the data buffer's last character is a U+000A LINE FEED
	 * character, then remove the last character from the data buffer."
	 */
	if (dl > 0)
		data[dl - 1] = '\0';
}

/* c received exactly the events ids[0, n) carrying data[0, n), one per
 * chunk, then the stream's end when end is set; it forgets them.
 */
static void
take_events_ids(struct cli *c, const uint64_t *ids, const char *const *data, unsigned int n,
	bool end)
{
	struct chunk ch[128];
	char want[1024], id[32], got[MAX_MSG + 2], num[32];
	unsigned int nb, i;
	bool e;
	uint32_t wl;

	nb = chunks(c, ch, RTE_DIM(ch), &e);
	ck_assert_msg(nb == n, "%s: %u chunks, expected %u events", where, nb, n);
	for (i = 0; i < nb; i++) {
		wl = event_bytes(want, sizeof(want), ids[i], data[i]);
		ck_assert_msg(ch[i].len == wl && memcmp(ch[i].p, want, wl) == 0,
			"%s: chunk %u:\n%.*s\nexpected:\n%s", where, i, (int)ch[i].len, ch[i].p,
			want);
		parse_event(&ch[i], id, sizeof(id), got, sizeof(got));
		snprintf(num, sizeof(num), "%" PRIu64, ids[i]);
		ck_assert_str_eq(id, num);
		ck_assert_str_eq(got, data[i]);
	}
	ck_assert_msg(e == end, "%s: the stream %s", where, e ? "ended" : "did not end");
	c->rx_len = 0;
}

/* The same for ids first, first + 1, ... */
static void
take_events(struct cli *c, uint64_t first, const char *const *data, unsigned int n, bool end)
{
	uint64_t ids[128] = { 0 };
	unsigned int i;

	ck_assert_uint_le(n, RTE_DIM(ids));
	for (i = 0; i < n; i++)
		ids[i] = first + i;
	take_events_ids(c, ids, data, n, end);
}

static void
take_event(struct cli *c, uint64_t id, const char *data)
{
	take_events(c, id, &data, 1, false);
}

/* c received exactly n heartbeats: a comment each, ":" and the blank line. */
static void
take_heartbeats(struct cli *c, unsigned int n)
{
	struct chunk ch[8];
	unsigned int nb, i;
	bool end;

	nb = chunks(c, ch, RTE_DIM(ch), &end);
	ck_assert_msg(nb == n && !end, "%s: %u chunks, expected %u heartbeats", where, nb, n);
	for (i = 0; i < nb; i++)
		ck_assert_msg(ch[i].len == 3 && memcmp(ch[i].p, ":\n\n", 3) == 0,
			"%s: chunk %u: %.*s", where, i, (int)ch[i].len, ch[i].p);
	c->rx_len = 0;
}

/* Subscriptions and publishing. */

/* An event-stream subscription to path on a new connection from port,
 * with extra header lines: exactly the stream's head back (what follows,
 * a replayed history, stays), then the client acknowledges it all.
 */
static void
sse_open(struct cli *c, uint16_t port, const char *path, const char *extra)
{
	static char want[RESP_MAX];
	char req[512];

	connect_to(c, port);
	snprintf(req, sizeof(req), "GET %s HTTP/1.1\r\nHost: t\r\n"
		"Accept: text/event-stream\r\n%s\r\n", path, extra);
	cli_str(c, F_ACK | F_PSH, req);
	take_head(c, want, head_sse(want));
	ck_assert(!c->rx_fin);
	watch(c);
	ack(c);
}

/* The client resets: its subscription goes with the connection. */
static void
sse_reset(struct cli *c)
{
	unwatch(c);
	cli_send(c, F_RST, NULL, 0);
	fp_peer_assert_silent(&pr);
	cli_assert_state(c, FP_TCP_CLOSED);
}

/* Writes a masked client frame at out and returns its length. */
static uint32_t
cframe(uint8_t *out, uint8_t b0, const void *payload, uint32_t len)
{
	static const uint8_t mask[4] = { 0x9c, 0x0f, 0x61, 0xd2 };
	const uint8_t *p = payload;
	uint32_t h = 2, i;

	out[0] = b0;
	if (len < 126) {
		out[1] = 0x80 | len;
	} else {
		out[1] = 0x80 | 126;
		out[2] = len >> 8;
		out[3] = len & 0xff;
		h = 4;
	}
	memcpy(out + h, mask, 4);
	h += 4;
	for (i = 0; i < len; i++)
		out[h + i] = p[i] ^ mask[i % 4];
	return h + len;
}

static void
send_frame(struct cli *c, uint8_t b0, const void *p, uint32_t len)
{
	uint8_t buf[MAX_BODY + 16];

	ck_assert_uint_le(len, MAX_BODY);
	cli_send(c, F_ACK | F_PSH, buf, cframe(buf, b0, p, len));
	collect();
}

/* A WebSocket subscription to path from port, with extra header lines:
 * exactly the 101 back, then the client acknowledges it all.
 */
static void
ws_open(struct cli *c, uint16_t port, const char *path, const char *extra)
{
	static char want[RESP_MAX];
	int64_t open = st.g[FP_G_ws_open];
	char req[512];

	connect_to(c, port);
	snprintf(req, sizeof(req), "GET %s HTTP/1.1\r\nHost: t\r\nUpgrade: websocket\r\n"
		"Connection: Upgrade\r\nSec-WebSocket-Key: " KEY "\r\n"
		"Sec-WebSocket-Version: 13\r\n%s\r\n", path, extra);
	cli_str(c, F_ACK | F_PSH, req);
	take_head(c, want, head_101(want));
	ck_assert_int_eq(st.g[FP_G_ws_open], open + 1);
	watch(c);
	ack(c);
}

struct sframe {
	uint8_t op;
	bool fin;
	uint32_t len;
	const uint8_t *p;
};

/* Parses what c received into server frames: unmasked (RFC 6455 5.1), no
 * RSV bit, the length in its shortest form, the bytes ending where a
 * frame ends. Returns how many, at most max.
 */
static unsigned int
sframes(const struct cli *c, struct sframe *f, unsigned int max)
{
	uint32_t off = 0, hl;
	unsigned int n = 0;
	const uint8_t *b;
	uint64_t len;

	while (off < c->rx_len) {
		b = c->rx + off;
		ck_assert_msg(n < max, "%s: over %u frames", where, max);
		ck_assert_msg(c->rx_len - off >= 2, "%s: frame %u cut short", where, n);
		ck_assert_msg((b[0] & 0x70) == 0, "%s: frame %u has RSV bits", where, n);
		ck_assert_msg((b[1] & 0x80) == 0, "%s: frame %u is masked", where, n);
		len = b[1] & 0x7f;
		hl = 2;
		if (len == 126) {
			hl = 4;
			ck_assert_msg(c->rx_len - off >= hl, "%s: frame %u cut short", where, n);
			len = (uint32_t)b[2] << 8 | b[3];
			ck_assert_msg(len >= 126, "%s: frame %u: %" PRIu64 " in 16 bits", where, n,
				len);
		} else {
			/* Nothing here is 64 KB. */
			ck_assert_msg(len < 126, "%s: frame %u: a 64-bit length", where, n);
		}
		ck_assert_msg(c->rx_len - off >= hl + len, "%s: frame %u cut short", where, n);
		f[n].fin = b[0] >> 7;
		f[n].op = b[0] & 0x0f;
		f[n].len = (uint32_t)len;
		f[n].p = b + hl;
		n++;
		off += hl + (uint32_t)len;
	}
	return n;
}

/* c received exactly n text frames carrying data[0, n), each whole, then
 * a close with code (0: none); it forgets them.
 */
static void
take_texts(struct cli *c, const char *const *data, unsigned int n, uint16_t code,
	const char *reason)
{
	struct sframe f[64];
	unsigned int nb, i;
	size_t rl = reason != NULL ? strlen(reason) : 0;

	nb = sframes(c, f, RTE_DIM(f));
	ck_assert_msg(nb == n + (code != 0), "%s: %u frames, expected %u", where, nb,
		n + (code != 0));
	for (i = 0; i < n; i++) {
		ck_assert_msg(f[i].fin && f[i].op == OP_TEXT, "%s: frame %u: op %#x fin %d", where,
			i, f[i].op, f[i].fin);
		ck_assert_msg(f[i].len == strlen(data[i]) && memcmp(f[i].p, data[i],
			f[i].len) == 0, "%s: frame %u: [%.*s], expected [%s]", where, i,
			(int)f[i].len, f[i].p, data[i]);
	}
	if (code != 0) {
		ck_assert_msg(f[n].fin && f[n].op == OP_CLOSE, "%s: op %#x, expected a close",
			where, f[n].op);
		ck_assert_msg(f[n].len == 2 + rl && (f[n].p[0] << 8 | f[n].p[1]) == code &&
			memcmp(f[n].p + 2, reason, rl) == 0, "%s: close %u [%.*s], expected %u"
			" [%s]", where, f[n].len >= 2 ? f[n].p[0] << 8 | f[n].p[1] : 0,
			(int)(f[n].len >= 2 ? f[n].len - 2 : 0), f[n].p + 2, code, reason);
	}
	c->rx_len = 0;
}

static void
take_text(struct cli *c, const char *data)
{
	take_texts(c, &data, 1, 0, NULL);
}

/* The client answers the server's close: our FIN follows. */
static void
ws_answer_close(struct cli *c, uint16_t code)
{
	uint8_t p[2] = { code >> 8, code & 0xff };

	unwatch(c);
	send_frame(c, FIN | OP_CLOSE, p, 2);
	ck_assert_msg(c->rx_fin, "%s: no FIN after the close", where);
	ck_assert_uint_eq(c->rx_len, 0);
	cli_send(c, F_ACK | F_FIN, NULL, 0);
	cli_assert_state(c, FP_TCP_TIME_WAIT);
}

/* The client's close 1000: ours back, then FIN. */
static void
ws_bye(struct cli *c)
{
	uint8_t p[2] = { 1000 >> 8, 1000 & 0xff };

	unwatch(c);
	send_frame(c, FIN | OP_CLOSE, p, 2);
	take_texts(c, NULL, 0, 1000, NULL);
	ck_assert(c->rx_fin);
	cli_send(c, F_ACK | F_FIN, NULL, 0);
	cli_assert_state(c, FP_TCP_TIME_WAIT);
}

/* A request from p (a connection kept alive) with extra header lines and
 * a body of len bytes; every watched client takes what the step sent it.
 */
static void
request(struct cli *p, const char *method, const char *path, const char *extra,
	const void *body, uint32_t len)
{
	static uint8_t req[MAX_BODY + 1024];
	int n;

	n = snprintf((char *)req, sizeof(req), "%s %s HTTP/1.1\r\nHost: t\r\n%s"
		"Content-Length: %u\r\n\r\n", method, path, extra, len);
	ck_assert_uint_le(n + len, sizeof(req));
	memcpy(req + n, body, len);
	cli_send(p, F_ACK | F_PSH, req, n + len);
	collect();
}

/* POST of data to path with the token: 202 back. */
static void
publish(struct cli *p, const char *path, const char *data)
{
	static char want[RESP_MAX];

	request(p, "POST", path, AUTH, data, strlen(data));
	take(p, want, resp_text(want, "202 Accepted", "", "accepted\n"));
}

/* A request answered with an error page (and the extra header lines). */
static void
refused(struct cli *p, const char *method, const char *path, const char *extra,
	const void *body, uint32_t len, const char *status, const char *rextra)
{
	static char want[RESP_MAX];

	request(p, method, path, extra, body, len);
	take(p, want, resp_err(want, status, rextra));
}

/* A POST with extra header lines refused by the token hook on a new
 * connection from port: the hook answers before the body is read, so
 * the connection closes after (our FIN).
 */
static void
refused_token(uint16_t port, const char *extra, const char *status, const char *rextra)
{
	static char want[RESP_MAX];
	struct cli c;

	connect_to(&c, port);
	request(&c, "POST", PREFIX "a", extra, "m", 1);
	take(&c, want, resp_err_conn(want, status, rextra, true));
	ck_assert_msg(c.rx_fin, "%s: no FIN after %s", where, status);
	cli_send(&c, F_ACK | F_FIN, NULL, 0);
	cli_assert_state(&c, FP_TCP_TIME_WAIT);
}

/* The client closes an idle kept-alive connection: our FIN at once. */
static void
cli_bye(struct cli *c)
{
	unwatch(c);
	cli_send(c, F_ACK | F_FIN, NULL, 0);
	ck_assert_uint_eq(c->rx_len, 0);
	ck_assert(c->rx_fin);
	cli_send(c, F_ACK, NULL, 0);
	cli_assert_state(c, FP_TCP_CLOSED);
}

/* a. Event streams. */

/* One event per message, in one chunk, ids 1, 2, 3 ...; a message of
 * several lines is several data lines, whatever ended them.
 */
START_TEST(test_sse_publish)
{
	static const char *const msgs[] = {
		"hello", "one\ntwo\nthree", "x", "crlf\r\nand\rcr", "trailing\n",
		"h\xc3\xa9llo \xe2\x82\xac", "\n",
	};
	/* As the event's data reads. */
	static const char *const want[] = {
		"hello", "one\ntwo\nthree", "x", "crlf\nand\ncr", "trailing",
		"h\xc3\xa9llo \xe2\x82\xac", "",
	};
	struct cli s, p;
	unsigned int i;

	start();
	sse_open(&s, 40001, PREFIX "a", "");
	assert_nothing(&s);
	ck_assert_uint_eq(st.c[FP_C_chan_subscribed], 1);
	connect_to(&p, 40100);
	for (i = 0; i < RTE_DIM(msgs); i++) {
		snprintf(where, sizeof(where), "message %u", i + 1);
		publish(&p, PREFIX "a", msgs[i]);
		take_event(&s, i + 1, want[i]);
		ack(&s);
		assert_nothing(&s);
	}
	ck_assert_uint_eq(st.c[FP_C_chan_published], RTE_DIM(msgs));
	ck_assert_uint_eq(st.c[FP_C_chan_delivered], RTE_DIM(msgs));
	/* Two in one segment: two events, two answers. */
	snprintf(where, sizeof(where), "pipelined");
	{
		static char req[512], resp[2 * RESP_MAX];
		uint32_t n;

		n = snprintf(req, sizeof(req), "POST " PREFIX "a HTTP/1.1\r\nHost: t\r\n" AUTH
			"Content-Length: 2\r\n\r\np1POST " PREFIX "a HTTP/1.1\r\nHost: t\r\n"
			AUTH "Content-Length: 2\r\n\r\np2");
		cli_send(&p, F_ACK | F_PSH, req, n);
		collect();
		n = resp_text(resp, "202 Accepted", "", "accepted\n");
		memcpy(resp + n, resp, n);
		take(&p, resp, 2 * n);
		take_events(&s, RTE_DIM(msgs) + 1, (const char *const[]){ "p1", "p2" }, 2,
			false);
	}
	sse_reset(&s);
	cli_bye(&p);
	ck_assert_uint_eq(st.c[FP_C_chan_slow_disconnects], 0);
	assert_idle(HISTORY);
}
END_TEST

/* HTTP/1.0 has no chunks: the events go as they are, until the close. */
START_TEST(test_sse_http10)
{
	static char want[RESP_MAX];
	struct cli s, p;
	char ev[64];
	int n;

	start();
	connect_to(&s, 40001);
	cli_str(&s, F_ACK | F_PSH, "GET " PREFIX "a HTTP/1.0\r\nAccept: text/event-stream\r\n\r\n");
	n = snprintf(want, sizeof(want), "HTTP/1.1 200 OK\r\nServer: %s\r\nDate: %.*s\r\n"
		"Content-Type: text/event-stream\r\nCache-Control: no-cache\r\n"
		"Connection: close\r\n\r\n", cfg.server, FP_HTTP_DATE_LEN, hw.date);
	take(&s, want, n);
	watch(&s);
	connect_to(&p, 40100);
	publish(&p, PREFIX "a", "plain");
	take(&s, ev, event_bytes(ev, sizeof(ev), 1, "plain"));
	sse_reset(&s);
	cli_bye(&p);
	assert_idle(1);
}
END_TEST

/* b. WebSocket subscribers; channels apart. */

START_TEST(test_ws_subscribe)
{
	struct cli w, s, wb, sb, p;

	start();
	ws_open(&w, 40001, PREFIX "a", "");
	sse_open(&s, 40002, PREFIX "a", "");
	ws_open(&wb, 40003, PREFIX "b", "");
	sse_open(&sb, 40004, PREFIX "b", "");
	ck_assert_uint_eq(st.c[FP_C_chan_subscribed], 4);
	connect_to(&p, 40100);
	snprintf(where, sizeof(where), "to a");
	publish(&p, PREFIX "a", "for a");
	take_text(&w, "for a");
	take_event(&s, 1, "for a");
	assert_nothing(&wb);
	assert_nothing(&sb);
	/* 126 bytes and more: a 16-bit length. */
	snprintf(where, sizeof(where), "to b");
	{
		char big[201];

		memset(big, 'b', 200);
		big[200] = '\0';
		publish(&p, PREFIX "b", big);
		take_text(&wb, big);
		take_event(&sb, 1, big);
	}
	assert_nothing(&w);
	assert_nothing(&s);
	publish(&p, PREFIX "a", "again");
	take_text(&w, "again");
	take_event(&s, 2, "again");
	ck_assert_uint_eq(st.c[FP_C_chan_delivered], 6);
	ws_bye(&w);
	ws_bye(&wb);
	sse_reset(&s);
	sse_reset(&sb);
	cli_bye(&p);
	assert_idle(3);
}
END_TEST

/* c. Heartbeats: a comment every heartbeat_ms on event streams only. */

START_TEST(test_heartbeat)
{
	struct cli s, w, p;

	start();
	sse_open(&s, 40001, PREFIX "a", "");
	ws_open(&w, 40002, PREFIX "a", "");
	advance(HEARTBEAT_MS - 1);
	assert_nothing(&s);
	advance(1);
	take_heartbeats(&s, 1);
	ck_assert_uint_eq(st.c[FP_C_sse_heartbeats], 1);
	ack(&s);
	advance(HEARTBEAT_MS);
	take_heartbeats(&s, 1);
	ack(&s);
	/* Between events too, and the events keep their ids. */
	connect_to(&p, 40100);
	publish(&p, PREFIX "a", "m");
	take_event(&s, 1, "m");
	take_text(&w, "m");
	ack(&s);
	advance(HEARTBEAT_MS);
	take_heartbeats(&s, 1);
	assert_nothing(&w);
	ck_assert_uint_eq(st.c[FP_C_sse_heartbeats], 3);
	ws_bye(&w);
	sse_reset(&s);
	cli_bye(&p);
	assert_idle(1);
}
END_TEST

/* A fan-out to more subscribers than one burst serves: some at once, the
 * rest after the worker's next polls (its own post ring), each subscriber
 * still getting every message once and in order. Variant 1: after the
 * first burst, all that still wait leave but the oldest (the last one
 * served), the next one to serve among them.
 */
#define MANY 200

START_TEST(test_fanout_paced)
{
	static struct cli subs[MANY];
	static const char *const two[] = { "first", "second" };
	static bool early[MANY], gone[MANY];
	unsigned int i, now, polls;
	bool leave = _i == 1;
	uint64_t want, segs;
	struct cli p;

	cfg.contexts = MANY + 8;
	cfg.max_conns = MANY + 8;
	cfg.rxbufs = MANY + 8;
	reconfigure();
	fp_tcp_params_from(&prm, &cfg, 0, 1);
	prm.time_wait_ms = TIME_WAIT_MS;
	start();
	for (i = 0; i < MANY; i++)
		sse_open(&subs[i], 41000 + i, PREFIX "a", "");
	connect_to(&p, 40100);
	publish(&p, PREFIX "a", two[0]);
	for (i = 0, now = 0; i < MANY; i++) {
		early[i] = subs[i].rx_len != 0;
		gone[i] = false;
		now += early[i];
	}
	ck_assert_uint_gt(now, 0);
	ck_assert_uint_lt(now, MANY);
	want = 2 * MANY;
	if (leave) {
		ck_assert(!early[0]);
		for (i = 1; i < MANY; i++)
			if (!early[i]) {
				sse_reset(&subs[i]);
				gone[i] = true;
			}
		want = 2 * now + 2;
	}
	/* The next one waits behind the first for everybody. */
	publish(&p, PREFIX "a", two[1]);
	for (i = 0; i < MANY; i++) {
		snprintf(where, sizeof(where), "subscriber %u before the poll", i);
		if (early[i])
			take_events(&subs[i], 1, two, 1, false);
		else if (!gone[i])
			assert_nothing(&subs[i]);
	}
	/* A burst a poll, whatever its size: the rest of the first, then the
	 * second; each poll goes on. A subscriber the first fan-out had not
	 * reached yet takes the second along: both in one segment, so one
	 * segment per subscriber in all.
	 */
	segs = st.c[FP_C_tcp_segments_out];
	for (polls = 0; st.c[FP_C_chan_delivered] < want; polls++) {
		uint64_t before = st.c[FP_C_chan_delivered];

		poll_posts();
		ck_assert_msg(st.c[FP_C_chan_delivered] > before, "poll %u delivered nothing"
			" (%" PRIu64 " of %" PRIu64 ")", polls, before, want);
	}
	ck_assert_uint_gt(polls, 0);
	poll_posts();
	ck_assert_uint_eq(st.c[FP_C_chan_delivered], want);
	if (!leave)
		ck_assert_msg(st.c[FP_C_tcp_segments_out] - segs == MANY, "%" PRIu64
			" segments for %u subscribers", st.c[FP_C_tcp_segments_out] - segs, MANY);
	for (i = 0; i < MANY; i++) {
		snprintf(where, sizeof(where), "subscriber %u", i);
		if (gone[i])
			continue;
		if (early[i])
			take_events(&subs[i], 2, two + 1, 1, false);
		else
			take_events(&subs[i], 1, two, 2, false);
		sse_reset(&subs[i]);
	}
	ck_assert_uint_eq(st.c[FP_C_chan_pump_unbounded], 0);
	cli_bye(&p);
	assert_idle(2);
}
END_TEST

/* d. History for Last-Event-ID. */

static const char *const six[] = { "m1", "m2", "m3", "m4", "m5", "m6" };

/* A subscriber with header lines extra receives exactly the events
 * first .. 6 of six[] (none when first is 0), then it goes.
 */
static void
replay(uint16_t port, const char *extra, unsigned int first)
{
	struct cli s;

	snprintf(where, sizeof(where), "replay [%.*s]", (int)strcspn(extra, "\r"), extra);
	sse_open(&s, port, PREFIX "a", extra);
	if (first == 0)
		assert_nothing(&s);
	else
		take_events(&s, first, six + first - 1, 7 - first, false);
	sse_reset(&s);
}

START_TEST(test_history)
{
	struct cli p, s, w;
	unsigned int i;

	start();
	connect_to(&p, 40100);
	for (i = 0; i < RTE_DIM(six); i++)
		publish(&p, PREFIX "a", six[i]);
	ck_assert_uint_eq(rte_mempool_in_use_count(frames), HISTORY);
	/* None without the header, nor for the last id. */
	replay(40001, "", 0);
	replay(40002, "Last-Event-ID: 6\r\n", 0);
	replay(40003, "Last-Event-ID: 3\r\n", 4);
	replay(40004, "Last-Event-ID: 5\r\n", 6);
	/* Just before the oldest kept: all of it. */
	replay(40005, "Last-Event-ID: 2\r\n", 3);
	/* Ids it does not know (lost, or after a restart): all of it. */
	replay(40006, "Last-Event-ID: 1\r\n", 3);
	replay(40007, "Last-Event-ID: 99\r\n", 3);
	/* 0, an id never given: all of it too. */
	replay(40008, "Last-Event-ID: 0\r\n", 3);
	/* Not a number: as if absent. */
	replay(40009, "Last-Event-ID: 4x\r\n", 0);
	replay(40010, "Last-Event-ID: 12345678901234567890\r\n", 0);
	/* A WebSocket takes it the same way. */
	snprintf(where, sizeof(where), "WebSocket replay");
	ws_open(&w, 40011, PREFIX "a", "Last-Event-ID: 4\r\n");
	take_texts(&w, six + 4, 2, 0, NULL);
	/* Live messages follow the replay. */
	sse_open(&s, 40012, PREFIX "a", "Last-Event-ID: 5\r\n");
	take_event(&s, 6, "m6");
	publish(&p, PREFIX "a", "m7");
	take_event(&s, 7, "m7");
	take_text(&w, "m7");
	ck_assert_uint_eq(rte_mempool_in_use_count(frames), HISTORY);
	ws_bye(&w);
	sse_reset(&s);
	cli_bye(&p);
	assert_idle(HISTORY);
}
END_TEST

/* history_bytes bounds it too; a message over it is not kept at all, and
 * history 0 keeps nothing.
 */
START_TEST(test_history_bytes)
{
	char big[101];
	struct cli p, s;
	unsigned int i;

	/* Two of the two-byte messages. */
	cfg.channels[0].history_bytes = 5;
	reconfigure();
	start();
	connect_to(&p, 40100);
	for (i = 0; i < RTE_DIM(six); i++)
		publish(&p, PREFIX "a", six[i]);
	replay(40001, "Last-Event-ID: 99\r\n", 5);
	ck_assert_uint_eq(rte_mempool_in_use_count(frames), 2);
	memset(big, 'B', 100);
	big[100] = '\0';
	publish(&p, PREFIX "a", big);
	ck_assert_uint_eq(rte_mempool_in_use_count(frames), 2);
	replay(40002, "Last-Event-ID: 99\r\n", 5);
	/* The one that fits again evicts the oldest. */
	publish(&p, PREFIX "a", "m8");
	snprintf(where, sizeof(where), "after the large one");
	sse_open(&s, 40003, PREFIX "a", "Last-Event-ID: 99\r\n");
	take_events_ids(&s, (const uint64_t[]){ 6, 8 }, (const char *const[]){ "m6", "m8" }, 2,
		false);
	sse_reset(&s);
	cli_bye(&p);
	assert_idle(2);
}
END_TEST

START_TEST(test_history_none)
{
	struct cli p;
	unsigned int i;

	cfg.channels[0].history = 0;
	reconfigure();
	start();
	connect_to(&p, 40100);
	for (i = 0; i < RTE_DIM(six); i++)
		publish(&p, PREFIX "a", six[i]);
	ck_assert_uint_eq(rte_mempool_in_use_count(frames), 0);
	replay(40001, "Last-Event-ID: 99\r\n", 0);
	replay(40002, "Last-Event-ID: 3\r\n", 0);
	cli_bye(&p);
	assert_idle(0);
}
END_TEST

/* e. What is refused. */

START_TEST(test_publish_refused)
{
	static char body[MAX_MSG + 2], lines[201], want[RESP_MAX];
	struct cli p, s;
	unsigned int i;

	start();
	sse_open(&s, 40001, PREFIX "a", "");
	connect_to(&p, 40100);
	/* RFC 6750 3.1: no credentials, 401 with the scheme. */
	snprintf(where, sizeof(where), "no token");
	refused_token(40200, "", "401 Unauthorized",
		"WWW-Authenticate: Bearer realm=\"channels\"\r\n");
	refused_token(40201, "Authorization: Basic dG9r\r\n", "401 Unauthorized",
		"WWW-Authenticate: Bearer realm=\"channels\"\r\n");
	refused_token(40202, "Authorization: Bearer\r\n", "401 Unauthorized",
		"WWW-Authenticate: Bearer realm=\"channels\"\r\n");
	snprintf(where, sizeof(where), "wrong token");
	refused_token(40203, "Authorization: Bearer tok2\r\n", "403 Forbidden", "");
	refused_token(40204, "Authorization: Bearer to\r\n", "403 Forbidden", "");
	refused_token(40205, "Authorization: Bearer TOK\r\n", "403 Forbidden", "");
	ck_assert_uint_eq(st.c[FP_C_chan_unauthorized], 6);
	/* The scheme is case-insensitive (RFC 9110 11.1). */
	snprintf(where, sizeof(where), "bearer");
	request(&p, "POST", PREFIX "a", "Authorization: bearer " TOKEN "\r\n", "ok", 2);
	take(&p, want, resp_text(want, "202 Accepted", "", "accepted\n"));
	take_event(&s, 1, "ok");
	/* max_message whole is taken; one more byte is not. */
	snprintf(where, sizeof(where), "sizes");
	memset(body, 'z', MAX_MSG + 1);
	body[MAX_MSG] = '\0';
	publish(&p, PREFIX "a", body);
	take_event(&s, 2, body);
	refused(&p, "POST", PREFIX "a", AUTH, body, MAX_MSG + 1, "413 Content Too Large", "");
	/* Short lines make a longer event than the section leaves room for. */
	for (i = 0; i < 100; i++)
		memcpy(lines + 2 * i, "a\n", 2);
	refused(&p, "POST", PREFIX "a", AUTH, lines, 200, "413 Content Too Large", "");
	snprintf(where, sizeof(where), "not text");
	refused(&p, "POST", PREFIX "a", AUTH, "", 0, "400 Bad Request", "");
	refused(&p, "POST", PREFIX "a", AUTH, "\xff", 1, "400 Bad Request", "");
	refused(&p, "POST", PREFIX "a", AUTH, "ab\xc3", 3, "400 Bad Request", "");
	refused(&p, "POST", PREFIX "a", AUTH, "\xed\xa0\x80", 3, "400 Bad Request", "");
	ck_assert_uint_eq(st.c[FP_C_chan_published], 2);
	/* Names: one path segment of A-Z a-z 0-9 - . _ ~. */
	snprintf(where, sizeof(where), "names");
	refused(&p, "POST", PREFIX, AUTH, "m", 1, "404 Not Found", "");
	refused(&p, "POST", PREFIX "a/b", AUTH, "m", 1, "404 Not Found", "");
	refused(&p, "POST", PREFIX "a%2Fb", AUTH, "m", 1, "404 Not Found", "");
	refused(&p, "POST", PREFIX "a%20b", AUTH, "m", 1, "404 Not Found", "");
	/* Outside every channel the token is not asked for. */
	refused(&p, "POST", "/other/a", "", "m", 1, "404 Not Found", "");
	assert_nothing(&s);
	/* Another method. */
	refused(&p, "PUT", PREFIX "a", AUTH, "m", 1, "405 Method Not Allowed",
		"Allow: GET, HEAD, POST\r\n");
	sse_reset(&s);
	cli_bye(&p);
	assert_idle(2);
}
END_TEST

START_TEST(test_subscribe_refused)
{
	static char want[RESP_MAX];
	static const char *const bad[] = {
		PREFIX, PREFIX "a/b", PREFIX "a%2Fb", PREFIX "a%2fb", PREFIX "%C3%A9",
		/* FP_CHAN_NAME_MAX bytes: one too many. */
		PREFIX "0123456789012345678901234567890123456789012345678901234567890123",
	};
	struct cli c, s[NAMES], w;
	char req[256];
	unsigned int i;

	start();
	connect_to(&c, 40100);
	for (i = 0; i < RTE_DIM(bad); i++) {
		snprintf(where, sizeof(where), "GET %s", bad[i]);
		snprintf(req, sizeof(req), "GET %s HTTP/1.1\r\nHost: t\r\n"
			"Accept: text/event-stream\r\n\r\n", bad[i]);
		cli_str(&c, F_ACK | F_PSH, req);
		take(&c, want, resp_err(want, "404 Not Found", ""));
	}
	/* RFC 9110 15.5.7: neither an event stream accepted nor an upgrade. */
	snprintf(where, sizeof(where), "406");
	cli_str(&c, F_ACK | F_PSH, "GET " PREFIX "a HTTP/1.1\r\nHost: t\r\n\r\n");
	take(&c, want, resp_err(want, "406 Not Acceptable", ""));
	cli_str(&c, F_ACK | F_PSH, "GET " PREFIX "a HTTP/1.1\r\nHost: t\r\n"
		"Accept: text/html\r\n\r\n");
	take(&c, want, resp_err(want, "406 Not Acceptable", ""));
	ck_assert_uint_eq(st.c[FP_C_chan_subscribed], 0);
	/* A list with it is fine; the longest name is too. */
	snprintf(where, sizeof(where), "accepted");
	sse_open(&s[0], 40001, PREFIX "a", "");
	sse_reset(&s[0]);
	connect_to(&s[0], 40001);
	cli_str(&s[0], F_ACK | F_PSH, "GET " PREFIX "A-z.0_~ HTTP/1.1\r\nHost: t\r\n"
		"Accept: text/html, text/event-stream;q=0.9\r\n\r\n");
	take(&s[0], want, head_sse(want));
	sse_reset(&s[0]);
	/* names 4: a fifth distinct name finds the table full while four are
	 * held; a name nobody holds (no subscriber, no history) is given
	 * back, so clients cannot fill the table for good.
	 */
	snprintf(where, sizeof(where), "names");
	sse_open(&s[0], 40002,
		PREFIX "012345678901234567890123456789012345678901234567890123456789012", "");
	sse_open(&s[1], 40003, PREFIX "c", "");
	sse_open(&s[2], 40005, PREFIX "a", "");
	sse_open(&s[3], 40006, PREFIX "d", "");
	ck_assert_uint_eq(st.c[FP_C_chan_subscribed], 6);
	cli_str(&c, F_ACK | F_PSH, "GET " PREFIX "e HTTP/1.1\r\nHost: t\r\n"
		"Accept: text/event-stream\r\n\r\n");
	take(&c, want, resp_err(want, "503 Service Unavailable", "Retry-After: 1\r\n"));
	cli_str(&c, F_ACK | F_PSH, "GET " PREFIX "e HTTP/1.1\r\nHost: t\r\nUpgrade: websocket\r\n"
		"Connection: Upgrade\r\nSec-WebSocket-Key: " KEY "\r\n"
		"Sec-WebSocket-Version: 13\r\n\r\n");
	take(&c, want, resp_err(want, "503 Service Unavailable", "Retry-After: 1\r\n"));
	for (i = 0; i < 4; i++)
		sse_reset(&s[i]);
	sse_open(&s[0], 40007, PREFIX "e", "");
	sse_reset(&s[0]);
	ws_open(&w, 40004, PREFIX "c", "");
	ws_bye(&w);
	/* A bad WebSocket handshake is the WebSocket layer's refusal. */
	snprintf(where, sizeof(where), "handshake");
	cli_str(&c, F_ACK | F_PSH, "GET " PREFIX "a HTTP/1.1\r\nHost: t\r\nUpgrade: websocket\r\n"
		"Connection: Upgrade\r\nSec-WebSocket-Key: " KEY "\r\n\r\n");
	take(&c, want, resp_err(want, "426 Upgrade Required", "Sec-WebSocket-Version: 13\r\n"));
	ck_assert_uint_eq(st.c[FP_C_chan_subscribed], 8);
	cli_bye(&c);
	assert_idle(0);
}
END_TEST

/* HEAD (RFC 9110 9.3.2): the head a GET would have and no content; the
 * answer is then whole.
 */
START_TEST(test_head)
{
	static char want[RESP_MAX];
	struct cli c, p;

	start();
	connect_to(&c, 40001);
	watch(&c);
	cli_str(&c, F_ACK | F_PSH, "HEAD " PREFIX "a HTTP/1.1\r\nHost: t\r\n"
		"Accept: text/event-stream\r\n\r\n");
	take(&c, want, head_sse(want));
	connect_to(&p, 40100);
	publish(&p, PREFIX "a", "m");
	assert_nothing(&c);
	/* HEAD gets the head alone and subscribes nothing; the connection
	 * goes on.
	 */
	ck_assert_uint_eq(st.c[FP_C_chan_subscribed], 0);
	ck_assert_uint_eq(st.c[FP_C_chan_delivered], 0);
	ck_assert_int_eq(st.g[FP_G_http_contexts], 0);
	cli_str(&c, F_ACK | F_PSH, "GET /nothing HTTP/1.1\r\nHost: t\r\n\r\n");
	take(&c, want, resp_err(want, "404 Not Found", ""));
	sse_reset(&c);
	cli_bye(&p);
	assert_idle(1);
}
END_TEST

/* A POST to a name the full table has no room for is accepted for the
 * owner (202) and lost there, counted in chan_drops: nobody receives it
 * and no copy stays.
 */
START_TEST(test_publish_names_full)
{
	static const char *const names[] = { "a", "b", "c", "d" };
	struct cli p, s;
	unsigned int i;

	start();
	connect_to(&p, 40100);
	for (i = 0; i < RTE_DIM(names); i++) {
		char path[32];

		snprintf(path, sizeof(path), PREFIX "%s", names[i]);
		publish(&p, path, "m");
	}
	ck_assert_uint_eq(rte_mempool_in_use_count(frames), NAMES);
	sse_open(&s, 40001, PREFIX "a", "");
	publish(&p, PREFIX "e", "lost");
	ck_assert_uint_eq(st.c[FP_C_chan_drops], 1);
	ck_assert_uint_eq(st.c[FP_C_chan_published], NAMES + 1);
	assert_nothing(&s);
	ck_assert_uint_eq(rte_mempool_in_use_count(frames), NAMES);
	publish(&p, PREFIX "a", "kept");
	take_event(&s, 2, "kept");
	ck_assert_uint_eq(st.c[FP_C_chan_drops], 1);
	sse_reset(&s);
	cli_bye(&p);
	assert_idle(NAMES + 1);
}
END_TEST

/* f. Slow subscribers: one whose unacknowledged bytes would pass the
 * backlog goes (the end of its stream, or close 1008), counted; the others
 * keep receiving. Variant 0: an event stream; 1: a WebSocket.
 */

#define SLOW_BODY	200
#define SLOW_J		15	/* the message that fills the backlog exactly */

/* Message i's bytes as the backlog counts them: the event, or the frame
 * (a 16-bit length: 4 bytes of header).
 */
static uint32_t
slow_len(bool ws, unsigned int i)
{
	char id[16];

	/* "id: I\n", "data: BODY\n", "\n". */
	return ws ? 4 + SLOW_BODY : 4 + (uint32_t)snprintf(id, sizeof(id), "%u", i) + 1 + 6 +
		SLOW_BODY + 1 + 1;
}

/* And on the wire: a chunk adds its size line and CRLF. */
static uint32_t
slow_wire(bool ws, unsigned int i)
{
	char size[16];
	uint32_t n = slow_len(ws, i);

	return ws ? n : n + (uint32_t)snprintf(size, sizeof(size), "%x\r\n", n) + 2;
}

START_TEST(test_slow)
{
	static char body[SLOW_BODY + 1], req[64], want[RESP_MAX];
	const char *data[SLOW_J + 1];
	struct cli slow, fast, p;
	uint32_t backlog = 0, got;
	bool ws = _i == 1;
	unsigned int i;

	memset(body, 's', SLOW_BODY);
	for (i = 1; i <= SLOW_J; i++) {
		backlog += i < SLOW_J ? slow_wire(ws, i) : slow_len(ws, i);
		data[i - 1] = body;
	}
	/* Inclusive: message SLOW_J makes the backlog exactly. */
	cfg.channels[0].backlog = backlog;
	reconfigure();
	start();
	if (ws)
		ws_open(&slow, 40001, PREFIX "a", "");
	else
		sse_open(&slow, 40001, PREFIX "a", "");
	sse_open(&fast, 40002, PREFIX "a", "");
	connect_to(&p, 40100);
	for (i = 1; i <= SLOW_J + 1; i++) {
		snprintf(where, sizeof(where), "message %u of backlog %u", i, backlog);
		got = slow.rx_len;
		publish(&p, PREFIX "a", body);
		take_event(&fast, i, body);
		ack(&fast);
		if (i <= SLOW_J) {
			ck_assert_msg(slow.rx_len - got == slow_wire(ws, i),
				"%s: %u bytes, expected %u", where, slow.rx_len - got,
				slow_wire(ws, i));
			ck_assert_uint_eq(st.c[FP_C_chan_slow_disconnects], 0);
		}
	}
	ck_assert_uint_eq(st.c[FP_C_chan_slow_disconnects], 1);
	ck_assert_uint_eq(st.c[FP_C_chan_delivered], 2 * SLOW_J + 1);
	/* Everything up to SLOW_J, then the end, nothing of SLOW_J + 1. */
	snprintf(where, sizeof(where), "the slow one");
	if (ws) {
		take_texts(&slow, data, SLOW_J, 1008, "subscriber too slow");
		ws_answer_close(&slow, 1008);
	} else {
		take_events(&slow, 1, data, SLOW_J, true);
		/* The connection stays for another request: the missed one
		 * comes back from history.
		 */
		ack(&slow);
		cli_str(&slow, F_ACK | F_PSH, "GET " PREFIX "a HTTP/1.1\r\nHost: t\r\n"
			"Accept: text/event-stream\r\n");
		snprintf(req, sizeof(req), "Last-Event-ID: %u\r\n\r\n", SLOW_J);
		cli_str(&slow, F_ACK | F_PSH, req);
		take_head(&slow, want, head_sse(want));
		take_event(&slow, SLOW_J + 1, body);
		ck_assert_uint_eq(st.c[FP_C_chan_subscribed], 3);
		sse_reset(&slow);
	}
	/* The others go on; the slow one gets nothing more. */
	snprintf(where, sizeof(where), "after");
	publish(&p, PREFIX "a", "next");
	take_event(&fast, SLOW_J + 2, "next");
	ck_assert_uint_eq(st.c[FP_C_chan_slow_disconnects], 1);
	sse_reset(&fast);
	cli_bye(&p);
	assert_idle(HISTORY);
}
END_TEST

/* A slow subscriber with a publish pipelined behind its subscription: the
 * fan-out that drops it ends its stream, which serves that publish there
 * and then, inside the fan-out. Its message is only queued, goes out after
 * the one in progress with the next id, and no copy is put twice (the
 * fan-out once ran again inside itself here).
 */
START_TEST(test_slow_pipelined_publish)
{
	static char body[SLOW_BODY + 1], want[RESP_MAX];
	const char *data[SLOW_J + 1];
	struct cli slow, fast, p;
	uint32_t backlog = 0;
	unsigned int i;

	memset(body, 's', SLOW_BODY);
	for (i = 1; i <= SLOW_J; i++) {
		backlog += i < SLOW_J ? slow_wire(false, i) : slow_len(false, i);
		data[i - 1] = body;
	}
	cfg.channels[0].backlog = backlog;
	reconfigure();
	start();
	connect_to(&slow, 40001);
	cli_str(&slow, F_ACK | F_PSH, "GET " PREFIX "a HTTP/1.1\r\nHost: t\r\n"
		"Accept: text/event-stream\r\n\r\n"
		"POST " PREFIX "a HTTP/1.1\r\nHost: t\r\n" AUTH "Content-Length: 5\r\n\r\ninner");
	take_head(&slow, want, head_sse(want));
	watch(&slow);
	ack(&slow);
	sse_open(&fast, 40002, PREFIX "a", "");
	connect_to(&p, 40100);
	for (i = 1; i <= SLOW_J; i++) {
		snprintf(where, sizeof(where), "message %u", i);
		publish(&p, PREFIX "a", body);
		take_event(&fast, i, body);
		ack(&fast);
	}
	/* The pipelined one comes right after the message whose fan-out
	 * served it, with the next id.
	 */
	snprintf(where, sizeof(where), "the pipelined publish");
	publish(&p, PREFIX "a", body);
	{
		static const uint64_t ids[] = { SLOW_J + 1, SLOW_J + 2 };
		const char *const two[] = { body, "inner" };

		take_events_ids(&fast, ids, two, 2, false);
	}
	ck_assert_uint_eq(st.c[FP_C_chan_slow_disconnects], 1);
	ck_assert_uint_eq(st.c[FP_C_chan_published], SLOW_J + 2);
	/* The slow one: its events, the end, then the 202 of its POST. */
	snprintf(where, sizeof(where), "the slow one");
	{
		uint32_t n = resp_text(want, "202 Accepted", "", "accepted\n");

		/* Its events and the stream's end, then the answer to its
		 * POST, served once the stream ended.
		 */
		ck_assert_uint_gt(slow.rx_len, n);
		ck_assert_msg(memcmp(slow.rx + slow.rx_len - n, want, n) == 0,
			"no 202 after the stream");
		slow.rx_len -= n;
	}
	take_events(&slow, 1, data, SLOW_J, true);
	ack(&slow);
	sse_reset(&slow);
	sse_reset(&fast);
	cli_bye(&p);
	assert_idle(HISTORY);
}
END_TEST

/* History over many channels shares the worker's copies: at most half of
 * them stay in history, the oldest (over all channels) going first, so
 * publishing never finds the pool emptied by history; a channel whose
 * history went and that nobody subscribes to gives its name back.
 */
START_TEST(test_history_budget)
{
	char path[64], msg[16];
	unsigned int i, j;
	struct cli p, s;

	cfg.channels[0].names = 20;
	reconfigure();
	start();
	connect_to(&p, 40100);
	for (i = 0; i < 20; i++)
		for (j = 1; j <= HISTORY; j++) {
			snprintf(path, sizeof(path), PREFIX "c%u", i);
			snprintf(msg, sizeof(msg), "m%u.%u", i, j);
			snprintf(where, sizeof(where), "%s", msg);
			publish(&p, path, msg);
		}
	/* 80 kept by the channels' own bounds; half the copies at most. */
	ck_assert_uint_eq(rte_mempool_in_use_count(frames), FRAMES / 2);
	/* The newest are there, the oldest gone: c19 resumes whole, c0 has
	 * nothing left (its name was given back and is made anew).
	 */
	snprintf(where, sizeof(where), "c19");
	sse_open(&s, 40001, PREFIX "c19", "Last-Event-ID: 0\r\n");
	{
		const char *const all[HISTORY] = { "m19.1", "m19.2", "m19.3", "m19.4" };

		take_events(&s, 1, all, HISTORY, false);
	}
	sse_reset(&s);
	snprintf(where, sizeof(where), "c0");
	sse_open(&s, 40002, PREFIX "c0", "Last-Event-ID: 0\r\n");
	assert_nothing(&s);
	publish(&p, PREFIX "c0", "again");
	take_event(&s, 1, "again");
	sse_reset(&s);
	cli_bye(&p);
	assert_idle(FRAMES / 2);
}
END_TEST

/* The message copies run out while a subscriber holds them all unread:
 * a POST gets 503 with Retry-After, a WebSocket publisher 1013; once they
 * are acknowledged, publishing works again.
 */
START_TEST(test_frames_out)
{
	struct cli s, p, w;
	unsigned int i;

	cfg.channels[0].backlog = 1u << 20;
	reconfigure();
	start();
	sse_open(&s, 40001, PREFIX "a", "");
	ws_open(&w, 40002, PREFIX "b", AUTH);
	connect_to(&p, 40100);
	for (i = 1; i <= FRAMES; i++) {
		snprintf(where, sizeof(where), "message %u", i);
		publish(&p, PREFIX "a", "x");
	}
	ck_assert_uint_eq(rte_mempool_avail_count(frames), 0);
	snprintf(where, sizeof(where), "none left");
	refused(&p, "POST", PREFIX "a", AUTH, "y", 1, "503 Service Unavailable",
		"Retry-After: 1\r\n");
	ck_assert_uint_eq(st.c[FP_C_chan_refused], 1);
	send_frame(&w, FIN | OP_TEXT, "y", 1);
	take_texts(&w, NULL, 0, 1013, NULL);
	ws_answer_close(&w, 1013);
	ck_assert_uint_eq(st.c[FP_C_chan_published], FRAMES);
	/* All of them reached the subscriber, in order. */
	{
		const char *data[FRAMES];

		for (i = 0; i < FRAMES; i++)
			data[i] = "x";
		take_events(&s, 1, data, FRAMES, false);
	}
	ack(&s);
	ck_assert_uint_eq(rte_mempool_in_use_count(frames), HISTORY);
	publish(&p, PREFIX "a", "again");
	take_event(&s, FRAMES + 1, "again");
	sse_reset(&s);
	cli_bye(&p);
	assert_idle(HISTORY);
}
END_TEST

/* A send buffer full before the backlog is reached: that subscriber goes
 * the same way (what was queued, then the end), counted as slow. The send
 * buffer is 4096 bytes, the backlog far more.
 */
START_TEST(test_sndbuf_full)
{
	static char body[SLOW_BODY + 1];
	const char *data[64];
	struct cli slow, fast, p;
	unsigned int i, k = 0;

	memset(body, 'f', SLOW_BODY);
	cfg.channels[0].backlog = 1u << 20;
	reconfigure();
	prm.sndbuf = 4096;
	start();
	sse_open(&slow, 40001, PREFIX "a", "");
	sse_open(&fast, 40002, PREFIX "a", "");
	connect_to(&p, 40100);
	for (i = 1; i < RTE_DIM(data) && k == 0; i++) {
		snprintf(where, sizeof(where), "message %u", i);
		data[i - 1] = body;
		publish(&p, PREFIX "a", body);
		take_event(&fast, i, body);
		ack(&fast);
		if (st.c[FP_C_chan_slow_disconnects] != 0)
			k = i;
	}
	ck_assert_uint_gt(k, 1);
	/* It held all the buffer took; the end still fits. */
	ck_assert_uint_le(slow.rx_len, 4096);
	ck_assert_uint_gt(slow.rx_len + slow_wire(false, k), 4096);
	snprintf(where, sizeof(where), "the slow one, cut at %u", k);
	take_events(&slow, 1, data, k - 1, true);
	ck_assert_uint_eq(st.c[FP_C_chan_slow_disconnects], 1);
	sse_reset(&slow);
	sse_reset(&fast);
	cli_bye(&p);
	assert_idle(HISTORY);
}
END_TEST

/* A replay longer than the backlog: what fits goes, then the stream ends
 * (the client comes back with the last id it got); over a WebSocket, a
 * close.
 */
START_TEST(test_replay_over_backlog)
{
	static char body[MAX_MSG + 1], want[RESP_MAX];
	const char *data[HISTORY];
	struct cli p, s;
	uint32_t unacked, len;
	unsigned int i, fit = 0;
	bool ws = _i == 1;

	memset(body, 'r', MAX_MSG);
	cfg.channels[0].backlog = 1024;
	reconfigure();
	start();
	connect_to(&p, 40100);
	for (i = 1; i <= HISTORY; i++) {
		publish(&p, PREFIX "a", body);
		data[i - 1] = body;
	}
	/* What fits after the unacknowledged head. */
	unacked = ws ? head_101(want) : head_sse(want);
	for (i = 1; i <= HISTORY; i++) {
		len = ws ? 4 + MAX_MSG : (uint32_t)snprintf(want, sizeof(want), "id: %u\ndata: %s"
			"\n\n", i, body);
		if (unacked + len > 1024)
			break;
		unacked += ws ? len : len + (uint32_t)snprintf(want, sizeof(want), "%x\r\n", len) +
			2;
		fit++;
	}
	ck_assert_uint_gt(fit, 0);
	ck_assert_uint_lt(fit, HISTORY);
	snprintf(where, sizeof(where), "%s replay of %u", ws ? "WebSocket" : "SSE", fit);
	if (ws) {
		ws_open(&s, 40001, PREFIX "a", "Last-Event-ID: 99\r\n");
		/* What fits of the history, then 1013: not a slow one. */
		ck_assert_uint_eq(st.c[FP_C_chan_slow_disconnects], 0);
		{
			struct sframe f[HISTORY + 1];
			unsigned int nb = sframes(&s, f, RTE_DIM(f));

			/* Either way: what fits, then a close. */
			ck_assert_uint_eq(nb, fit + 1);
			for (i = 0; i < fit; i++)
				ck_assert(f[i].op == OP_TEXT && f[i].len == MAX_MSG &&
					memcmp(f[i].p, body, MAX_MSG) == 0);
			ck_assert_uint_eq(f[fit].op, OP_CLOSE);
			ck_assert_uint_ge(f[fit].len, 2);
			len = f[fit].p[0] << 8 | f[fit].p[1];
			s.rx_len = 0;
			ws_answer_close(&s, len);
		}
	} else {
		sse_open(&s, 40001, PREFIX "a", "Last-Event-ID: 99\r\n");
		take_events(&s, 1, data, fit, true);
		sse_reset(&s);
	}
	cli_bye(&p);
	assert_idle(HISTORY);
}
END_TEST

/* g. Publishing from a WebSocket. */

START_TEST(test_ws_publish)
{
	static char big[MAX_MSG + 2];
	struct cli w, n, s, b, x;

	start();
	sse_open(&s, 40001, PREFIX "a", "");
	ws_open(&w, 40002, PREFIX "a", AUTH);
	snprintf(where, sizeof(where), "with the token");
	send_frame(&w, FIN | OP_TEXT, "from ws", 7);
	take_event(&s, 1, "from ws");
	/* The publisher is a subscriber too. */
	take_text(&w, "from ws");
	ck_assert_uint_eq(st.c[FP_C_chan_published], 1);
	/* max_message is the WebSocket's limit too (RFC 6455 7.4.1: 1009). */
	memset(big, 'm', MAX_MSG);
	send_frame(&w, FIN | OP_TEXT, big, MAX_MSG);
	take_event(&s, 2, big);
	take_text(&w, big);
	/* Without it, or with another: 1008. */
	snprintf(where, sizeof(where), "without");
	ws_open(&n, 40003, PREFIX "a", "");
	send_frame(&n, FIN | OP_TEXT, "sneaky", 6);
	take_texts(&n, NULL, 0, 1008, "publishing not allowed");
	ws_answer_close(&n, 1008);
	ws_open(&n, 40004, PREFIX "a", "Authorization: Bearer nope\r\n");
	send_frame(&n, FIN | OP_TEXT, "sneaky", 6);
	take_texts(&n, NULL, 0, 1008, "publishing not allowed");
	ws_answer_close(&n, 1008);
	ck_assert_uint_eq(st.c[FP_C_chan_unauthorized], 2);
	assert_nothing(&s);
	assert_nothing(&w);
	/* Binary: 1003; empty text: 1007; too long: the WebSocket's 1009. */
	snprintf(where, sizeof(where), "binary");
	ws_open(&b, 40005, PREFIX "a", AUTH);
	send_frame(&b, FIN | OP_BIN, "bin", 3);
	take_texts(&b, NULL, 0, 1003, "channels carry text");
	ws_answer_close(&b, 1003);
	snprintf(where, sizeof(where), "empty");
	ws_open(&x, 40006, PREFIX "a", AUTH);
	send_frame(&x, FIN | OP_TEXT, NULL, 0);
	take_texts(&x, NULL, 0, 1007, NULL);
	ws_answer_close(&x, 1007);
	/* Short lines: an event longer than the section leaves room for. */
	snprintf(where, sizeof(where), "short lines");
	{
		char lines[200];
		unsigned int i;

		for (i = 0; i < 100; i++)
			memcpy(lines + 2 * i, "a\n", 2);
		ws_open(&x, 40008, PREFIX "a", AUTH);
		send_frame(&x, FIN | OP_TEXT, lines, sizeof(lines));
		take_texts(&x, NULL, 0, 1009, NULL);
		ws_answer_close(&x, 1009);
	}
	snprintf(where, sizeof(where), "too long");
	ws_open(&x, 40007, PREFIX "a", AUTH);
	send_frame(&x, FIN | OP_TEXT, big, MAX_MSG + 1);
	ck_assert_uint_ge(x.rx_len, 4);
	ck_assert_uint_eq(x.rx[0], FIN | OP_CLOSE);
	ck_assert_uint_eq(x.rx[2] << 8 | x.rx[3], 1009);
	x.rx_len = 0;
	ws_answer_close(&x, 1009);
	assert_nothing(&s);
	assert_nothing(&w);
	ck_assert_uint_eq(st.c[FP_C_chan_published], 2);
	ws_bye(&w);
	sse_reset(&s);
	assert_idle(2);
}
END_TEST

/* Who may publish, by the section's publish key. */
START_TEST(test_publish_modes)
{
	static const struct {
		uint8_t mode;
		bool post, ws;
	} t[] = {
		{ FP_CHAN_PUB_post, true, false },
		{ FP_CHAN_PUB_websocket, false, true },
		{ FP_CHAN_PUB_both, true, true },
		{ FP_CHAN_PUB_none, false, false },
	};
	static char want[RESP_MAX];
	struct cli p, w, s;
	uint64_t id = 0;

	cfg.channels[0].publish = t[_i].mode;
	reconfigure();
	start();
	snprintf(where, sizeof(where), "publish = %s", fp_chan_pub_names[t[_i].mode]);
	sse_open(&s, 40001, PREFIX "a", "");
	ws_open(&w, 40002, PREFIX "a", AUTH);
	connect_to(&p, 40100);
	request(&p, "POST", PREFIX "a", AUTH, "post", 4);
	if (t[_i].post) {
		take(&p, want, resp_text(want, "202 Accepted", "", "accepted\n"));
		take_event(&s, ++id, "post");
		take_text(&w, "post");
	} else {
		take(&p, want, resp_err(want, "405 Method Not Allowed", "Allow: GET, HEAD\r\n"));
		assert_nothing(&s);
	}
	send_frame(&w, FIN | OP_TEXT, "ws", 2);
	if (t[_i].ws) {
		take_event(&s, ++id, "ws");
		take_text(&w, "ws");
		ws_bye(&w);
	} else {
		take_texts(&w, NULL, 0, 1008, "publishing not allowed");
		ws_answer_close(&w, 1008);
		assert_nothing(&s);
	}
	ck_assert_uint_eq(st.c[FP_C_chan_published], id);
	sse_reset(&s);
	cli_bye(&p);
	assert_idle(id);
}
END_TEST

/* Without a token anyone may publish, by POST or from a WebSocket. */
START_TEST(test_no_token)
{
	struct cli p, w, s;
	static char want[RESP_MAX];

	cfg.channels[0].token[0] = '\0';
	reconfigure();
	start();
	sse_open(&s, 40001, PREFIX "a", "");
	ws_open(&w, 40002, PREFIX "a", "");
	connect_to(&p, 40100);
	request(&p, "POST", PREFIX "a", "", "open", 4);
	take(&p, want, resp_text(want, "202 Accepted", "", "accepted\n"));
	take_event(&s, 1, "open");
	take_text(&w, "open");
	send_frame(&w, FIN | OP_TEXT, "too", 3);
	take_event(&s, 2, "too");
	take_text(&w, "too");
	ck_assert_uint_eq(st.c[FP_C_chan_unauthorized], 0);
	ws_bye(&w);
	sse_reset(&s);
	cli_bye(&p);
	assert_idle(2);
}
END_TEST

/* Sections whose prefixes nest: a name under the longer prefix belongs to
 * its section (the router's longest prefix), and so does its token.
 */
START_TEST(test_nested_sections)
{
	static char want[RESP_MAX];
	struct cli p, q, s, v;

	cfg.channels[1] = cfg.channels[0];
	snprintf(cfg.channels[1].prefix, sizeof(cfg.channels[1].prefix), PREFIX "vip/");
	snprintf(cfg.channels[1].token, sizeof(cfg.channels[1].token), "vip");
	cfg.nb_channels = 2;
	reconfigure();
	start();
	sse_open(&s, 40001, PREFIX "x", "");
	sse_open(&v, 40002, PREFIX "vip/x", "");
	connect_to(&p, 40100);
	publish(&p, PREFIX "x", "outer");
	take_event(&s, 1, "outer");
	assert_nothing(&v);
	/* The nested section's own token, as routing picks it. */
	request(&p, "POST", PREFIX "vip/x", "Authorization: Bearer vip\r\n", "inner", 5);
	take(&p, want, resp_text(want, "202 Accepted", "", "accepted\n"));
	take_event(&v, 1, "inner");
	/* The outer token on the inner channel: 403, then close (the body
	 * is not read).
	 */
	connect_to(&q, 40300);
	request(&q, "POST", PREFIX "vip/x", AUTH, "m", 1);
	take(&q, want, resp_err_conn(want, "403 Forbidden", "", true));
	ck_assert(q.rx_fin);
	cli_send(&q, F_ACK | F_FIN, NULL, 0);
	cli_assert_state(&q, FP_TCP_TIME_WAIT);
	assert_nothing(&s);
	sse_reset(&s);
	sse_reset(&v);
	cli_bye(&p);
	/* Each channel's history keeps its message. */
	assert_idle(2);
}
END_TEST

/* A graceful shutdown: an event stream ends (its client comes back with
 * its Last-Event-ID to a server that runs), a WebSocket closes with 1001;
 * neither is a subscriber any more.
 */
START_TEST(test_drain)
{
	struct cli s, w, p;

	start();
	sse_open(&s, 40001, PREFIX "a", "");
	ws_open(&w, 40002, PREFIX "a", "");
	connect_to(&p, 40100);
	publish(&p, PREFIX "a", "before");
	take_event(&s, 1, "before");
	take_text(&w, "before");
	ack(&s);
	ack(&w);
	pr.nb_out = 0;
	fp_http_drain(&hw);
	fp_peer_capture(&pr.txq);
	collect();
	take_events(&s, 0, NULL, 0, true);
	ck_assert_msg(s.rx_fin, "no FIN after the stream's end");
	take_texts(&w, NULL, 0, 1001, NULL);
	ck_assert_uint_eq(st.c[FP_C_chan_slow_disconnects], 0);
	/* The publisher's idle connection closes too; its FIN is answered. */
	cli_recv(&p);
	ck_assert(p.rx_fin);
	unwatch(&s);
	cli_send(&s, F_ACK | F_FIN, NULL, 0);
	cli_send(&p, F_ACK | F_FIN, NULL, 0);
	ws_answer_close(&w, 1001);
	assert_idle(1);
}
END_TEST

/* h. Set-up and the pieces outside the wire. */

START_TEST(test_name_ok)
{
	static const char *const good[] = {
		"a", "A-Z.a_z~0", "012345678901234567890123456789012345678901234567890123456789012",
	};
	static const char *const bad[] = {
		"", "a/b", "a b", "a%2F", "\xc3\xa9", "a?", "a#", "*",
		"0123456789012345678901234567890123456789012345678901234567890123",
	};
	unsigned int i;

	for (i = 0; i < RTE_DIM(good); i++)
		ck_assert_msg(fp_chan_name_ok(good[i], strlen(good[i])), "'%s' refused", good[i]);
	for (i = 0; i < RTE_DIM(bad); i++)
		ck_assert_msg(!fp_chan_name_ok(bad[i], strlen(bad[i])), "'%s' taken", bad[i]);
	/* The length, not a NUL, ends it. */
	ck_assert(fp_chan_name_ok("ab/", 2));
	ck_assert(!fp_chan_name_ok("a\0b", 3));
	ck_assert_int_eq(fp_chan_telemetry_init(cs), 0);
	ck_assert_int_eq(fp_chan_telemetry_init(NULL), 0);
	fp_chan_server_free(NULL);
}
END_TEST

/* No section: nothing routed, no pool. */
START_TEST(test_no_sections)
{
	static char want[RESP_MAX];
	struct cli c;

	cfg.nb_channels = 0;
	fp_chan_server_free(cs);
	fp_http_server_free(srv);
	srv = fp_http_server_create(&cfg, 1, NULL);
	ck_assert_ptr_nonnull(srv);
	cs = fp_chan_server_create(&cfg, srv, 1, NULL);
	ck_assert_ptr_nonnull(cs);
	frames = NULL;
	rte_mempool_walk(find_frames, NULL);
	ck_assert_ptr_null(frames);
	start();
	connect_to(&c, 40100);
	cli_str(&c, F_ACK | F_PSH, "GET " PREFIX "a HTTP/1.1\r\nHost: t\r\n"
		"Accept: text/event-stream\r\n\r\n");
	take(&c, want, resp_err(want, "404 Not Found", ""));
	cli_bye(&c);
	t_ready = false;
	fp_test_stack_end(&pr, &t, &hw, &st);
}
END_TEST

static int
hook_none(struct fp_http_ctx *x __rte_unused, void *arg __rte_unused)
{
	return FP_HTTP_CONTINUE;
}

/* What fp_chan_server_create() refuses: NULL, rte_errno and a message
 * that says why, and nothing left behind (no pool, the heap as before).
 */
static void
create_fails(int errnum, const char *why)
{
	struct fp_err err;
	size_t heap;

	fp_chan_server_free(cs);
	cs = NULL;
	heap = fp_test_heap_used();
	err.msg[0] = '\0';
	rte_errno = 0;
	ck_assert_ptr_null(fp_chan_server_create(&cfg, srv, 1, &err));
	ck_assert_int_eq(rte_errno, errnum);
	ck_assert_msg(strstr(err.msg, why) != NULL, "error \"%s\" does not contain \"%s\"",
		err.msg, why);
	frames = NULL;
	rte_mempool_walk(find_frames, NULL);
	ck_assert_ptr_null(frames);
	ck_assert_uint_eq(fp_test_heap_used(), heap);
}

START_TEST(test_create_fails)
{
	unsigned int i;

	/* More copies than memory. */
	cfg.channels[0].frames = 1u << 20;
	create_fails(ENOMEM, "channels: no memory for 1048576 message copies");
	/* More names and history than memory. */
	cfg.channels[0].frames = FRAMES;
	cfg.channels[0].names = 1u << 20;
	cfg.channels[0].history = 65535;
	create_fails(ENOMEM, "channels: no memory for 1048576 names and their history");
	/* A route already there. */
	cfg.channels[0].names = NAMES;
	cfg.channels[0].history = HISTORY;
	fp_http_server_free(srv);
	srv = fp_http_server_create(&cfg, 1, NULL);
	ck_assert_int_eq(fp_http_route(srv, FP_HTTP_MB(FP_HTTP_M_GET), PREFIX "*", hook_none,
		NULL), 0);
	create_fails(EEXIST, "[channel " PREFIX "]: cannot route it");
	/* No room for the token's hook. */
	fp_http_server_free(srv);
	srv = fp_http_server_create(&cfg, 1, NULL);
	for (i = 0; fp_http_hook(srv, FP_HTTP_ON_REQUEST, 0, hook_none, NULL) == 0; i++)
		ck_assert_uint_lt(i, 1000);
	create_fails(ENOSPC, "channels: cannot add the token hook");
	/* Without a token none is needed. */
	cfg.channels[0].token[0] = '\0';
	fp_http_server_free(srv);
	srv = fp_http_server_create(&cfg, 1, NULL);
	for (i = 0; fp_http_hook(srv, FP_HTTP_ON_REQUEST, 0, hook_none, NULL) == 0; i++)
		ck_assert_uint_lt(i, 1000);
	cs = fp_chan_server_create(&cfg, srv, 1, NULL);
	ck_assert_ptr_nonnull(cs);
}
END_TEST

/* The fewest copies: a server with a pool of exactly that many. */
START_TEST(test_few_frames)
{
	cfg.channels[0].frames = 96;
	reconfigure();
	ck_assert_uint_eq(rte_mempool_avail_count(frames), 96);
	ck_assert_uint_eq(rte_mempool_in_use_count(frames), 0);
	/* The smallest pool [channel] frames takes (the cache fits it). */
	cfg.channels[0].frames = 16;
	reconfigure();
}
END_TEST

Suite *
channels_suite(void)
{
	Suite *s = suite_create("channels");
	TCase *tc;

	tc = tcase_create("subscribe");
	tcase_add_unchecked_fixture(tc, eal_up, eal_down);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_sse_publish);
	tcase_add_test(tc, test_sse_http10);
	tcase_add_test(tc, test_ws_subscribe);
	tcase_add_test(tc, test_heartbeat);
	tcase_add_loop_test(tc, test_fanout_paced, 0, 2);
	tcase_add_test(tc, test_history);
	tcase_add_test(tc, test_history_bytes);
	tcase_add_test(tc, test_history_none);
	suite_add_tcase(s, tc);

	tc = tcase_create("refusals");
	tcase_add_unchecked_fixture(tc, eal_up, eal_down);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_publish_refused);
	tcase_add_test(tc, test_subscribe_refused);
	tcase_add_test(tc, test_publish_names_full);
	tcase_add_test(tc, test_head);
	tcase_add_loop_test(tc, test_slow, 0, 2);
	tcase_add_test(tc, test_slow_pipelined_publish);
	tcase_add_test(tc, test_frames_out);
	tcase_add_test(tc, test_history_budget);
	tcase_add_test(tc, test_sndbuf_full);
	tcase_add_loop_test(tc, test_replay_over_backlog, 0, 2);
	suite_add_tcase(s, tc);

	tc = tcase_create("publishers");
	tcase_add_unchecked_fixture(tc, eal_up, eal_down);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_ws_publish);
	tcase_add_loop_test(tc, test_publish_modes, 0, 4);
	tcase_add_test(tc, test_no_token);
	tcase_add_test(tc, test_nested_sections);
	tcase_add_test(tc, test_drain);
	suite_add_tcase(s, tc);

	tc = tcase_create("setup");
	tcase_add_unchecked_fixture(tc, eal_up, eal_down);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_name_ok);
	tcase_add_test(tc, test_no_sections);
	tcase_add_test(tc, test_few_frames);
	tcase_add_test(tc, test_create_fails);
	suite_add_tcase(s, tc);
	return s;
}
