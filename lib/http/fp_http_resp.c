/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The fastpath authors
 */

/* Responses: the head (from a file's template, straight into the send
 * queue, or built field by field), the body queued by reference as room
 * comes, error answers, and streams.
 */

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include <rte_cycles.h>
#include <rte_errno.h>
#include <rte_lcore.h>
#include <rte_malloc.h>
#include <rte_memory.h>
#include <rte_ring.h>

#include "fp_http_compress.h"
#include "fp_http_priv.h"

/* Counters. */

static __rte_hot void
fp_http_count_status(struct fp_stats *st, uint16_t status)
{
	static const enum fp_counter cls[] = {
		FP_C_http_2xx, FP_C_http_1xx, FP_C_http_2xx, FP_C_http_3xx, FP_C_http_4xx,
		FP_C_http_5xx,
	};
	enum fp_counter c = FP_C_MAX;

	fp_count(st, cls[status / 100 < RTE_DIM(cls) ? status / 100 : 5], 1);
	switch (status) {
	case 101: c = FP_C_http_101; break;
	case 200: c = FP_C_http_200; break;
	case 206: c = FP_C_http_206; break;
	case 304: c = FP_C_http_304; break;
	case 400: c = FP_C_http_400; break;
	case 404: c = FP_C_http_404; break;
	case 405: c = FP_C_http_405; break;
	case 406: c = FP_C_http_406; break;
	case 408: c = FP_C_http_408; break;
	case 412: c = FP_C_http_412; break;
	case 413: c = FP_C_http_413; break;
	case 414: c = FP_C_http_414; break;
	case 416: c = FP_C_http_416; break;
	case 431: c = FP_C_http_431; break;
	case 501: c = FP_C_http_501; break;
	case 505: c = FP_C_http_505; break;
	}
	if (c != FP_C_MAX)
		fp_count(st, c, 1);
}

static uint16_t
fp_http_err_route(const struct fp_http_server *srv, uint16_t status)
{
	unsigned int i;

	for (i = 0; i < FP_HTTP_E_MAX; i++)
		if (fp_http_err_pages[i].code == status)
			return srv->err_route[i];
	return srv->err_route[FP_HTTP_E500];
}

/* Responses. */

/* Writes bytes [off, off + len) of variant v of route r's ready head,
 * with date in its Date, at dst.
 */
static inline void
fp_http_tmpl_write(const struct fp_http_route *r, unsigned int v, const char *date,
	uint32_t off, char *dst, uint32_t len)
{
	uint32_t lo = RTE_MAX(off, r->date_off[v]);
	uint32_t hi = RTE_MIN(off + len, r->date_off[v] + (uint32_t)FP_HTTP_DATE_LEN);

	memcpy(dst, r->hdr[v] + off, len);
	/* The Date's bytes that fall in the range. */
	if (lo < hi)
		memcpy(dst + (lo - off), date + (lo - r->date_off[v]), hi - lo);
}

/* Writes variant v of route r's ready head, dated now, at dst. */
static inline uint32_t
fp_http_tmpl_copy(const struct fp_http_worker *hw, const struct fp_http_route *r,
	unsigned int v, char *dst)
{
	fp_http_tmpl_write(r, v, hw->date, 0, dst, r->hdr_len[v]);
	return r->hdr_len[v];
}

/* Queues template t of route r's ready head as a generated piece, written
 * by fp_http_fill() into each segment that carries it (aux: the template
 * and the second of the Date). False when it does not fit whole.
 */
static inline bool
fp_http_gen_head(struct fp_http_worker *hw, struct fp_tcb *c, const struct fp_http_route *r,
	unsigned int t)
{
	return fp_tcp_send_gen(hw->tcp, c, r, (uint64_t)t << 32 | hw->date_sec,
		r->hdr_len[t]) == (int)r->hdr_len[t];
}

__rte_hot bool
fp_http_answer_file(struct fp_http_worker *hw, struct fp_tcb *c,
	const struct fp_http_route *r, unsigned int t, bool body)
{
	const struct fp_http_server *srv = hw->srv;
	uint32_t hl = r->hdr_len[t], bl = body ? r->body_len : 0;

	if (!fp_tcp_can_queue(hw->tcp, c, hl + bl, 2) || !fp_http_gen_head(hw, c, r, t))
		return false;
	/* Room and a piece were there for both: the body goes whole. */
	if (bl != 0)
		fp_tcp_send_static(hw->tcp, c, r->body, r->body_iova, bl,
			fp_http_shinfo(srv, hw->worker, r - srv->routes), r->body_sum);
	if (t >= FP_HTTP_T_304) {
		fp_http_count_status(hw->st, 304);
	} else {
		fp_http_count_status(hw->st, r->status);
		fp_http_count_coding(hw->st, r);
	}
	return true;
}

__rte_hot void
fp_http_fill(void *arg, const void *key, uint64_t aux, uint32_t off, void *dst, uint32_t len)
{
	const struct fp_http_worker *hw = arg;
	const struct fp_http_route *r = key;
	uint32_t sec = (uint32_t)aux;
	const char *date = hw->date;
	char old[FP_HTTP_DATE_LEN];

	/* A retransmission in a later second: the Date it was sent with. */
	if (unlikely(sec != hw->date_sec)) {
		fp_http_date(sec, old);
		date = old;
	}
	fp_http_tmpl_write(r, aux >> 32, date, off, dst, len);
}

static inline char *
fp_http_put(char *p, const void *s, size_t n)
{
	memcpy(p, s, n);
	return p + n;
}

#define FP_HTTP_PUT_LIT(p, lit) fp_http_put((p), (lit), sizeof(lit) - 1)

/* Decimal digits of v. */
static char *
fp_http_put_u32(char *p, uint32_t v)
{
	char d[10];
	int n = 0;

	do {
		d[n++] = '0' + v % 10;
		v /= 10;
	} while (v != 0);
	while (n > 0)
		*p++ = d[--n];
	return p;
}

/* Longest Content-Type written; a longer one is cut there. */
#define FP_HTTP_TYPE_MAX 256

/* A head built field by field (no printf: this runs per response). */
static uint32_t
fp_http_head_build(struct fp_http_ctx *x, char *hdr, bool stream)
{
	const struct fp_http_worker *hw = x->hw;
	const char *reason = fp_http_reason(x->status);
	char *p = hdr;

	p = FP_HTTP_PUT_LIT(p, "HTTP/1.1 ");
	p = fp_http_put_u32(p, x->status % 1000);
	*p++ = ' ';
	p = fp_http_put(p, reason, strlen(reason));
	p = FP_HTTP_PUT_LIT(p, "\r\nServer: ");
	p = fp_http_put(p, hw->srv->server, hw->srv->server_len);
	p = FP_HTTP_PUT_LIT(p, "\r\nDate: ");
	p = fp_http_put(p, hw->date, FP_HTTP_DATE_LEN);
	p = FP_HTTP_PUT_LIT(p, "\r\n");
	if (x->type != NULL) {
		p = FP_HTTP_PUT_LIT(p, "Content-Type: ");
		p = fp_http_put(p, x->type, strnlen(x->type, FP_HTTP_TYPE_MAX));
		p = FP_HTTP_PUT_LIT(p, "\r\n");
	}
	p = fp_http_put(p, x->xhdr, x->xlen);
	/* RFC 9110 8.6: no Content-Length in a 1xx or 204 response. */
	if (stream && x->chunked_out) {
		p = FP_HTTP_PUT_LIT(p, "Transfer-Encoding: chunked\r\n");
	} else if (!stream && x->status >= 200 && x->status != 204 && x->status != 304) {
		p = FP_HTTP_PUT_LIT(p, "Content-Length: ");
		p = fp_http_put_u32(p, x->rlen);
		p = FP_HTTP_PUT_LIT(p, "\r\n");
	}
	if (x->close)
		p = FP_HTTP_PUT_LIT(p, "Connection: close\r\n");
	else if (x->minor == 0)
		p = FP_HTTP_PUT_LIT(p, "Connection: keep-alive\r\n");
	p = FP_HTTP_PUT_LIT(p, "\r\n");
	return p - hdr;
}

/* Queues bytes that must go whole (a head, a chunk's framing). A send
 * buffer without room for them was checked before; only a worker out of
 * chunks fails here, and then the connection is reset.
 */
static bool
fp_http_queue(struct fp_http_ctx *x, const void *p, uint32_t n)
{
	struct fp_http_worker *hw = x->hw;
	int ret;

	if (n == 0)
		return true;
	ret = fp_tcp_send_copy(hw->tcp, x->c, p, n);
	if (ret == (int)n)
		return true;
	FP_LOG(DEBUG, http, "no room for %u bytes of response framing: reset", n);
	fp_tcp_abort(hw->tcp, x->c);
	/* closed() ended the context if the session held it; else here. */
	if (x->state != FP_HTTP_X_FREE)
		fp_http_ctx_end(x, false);
	return false;
}

/* Queues what fits of the body; true when all of it is queued. */
bool
fp_http_pump_body(struct fp_http_ctx *x)
{
	int n;

	while (x->roff < x->rlen) {
		/* Without a reference of the context's own, the body lives as
		 * long as the server (a loaded file): TCP needs none either.
		 */
		if (x->rsh_ref)
			n = fp_tcp_send_ref(x->hw->tcp, x->c, x->rbody + x->roff,
				x->riova + x->roff, x->rlen - x->roff, x->rsh);
		else
			n = fp_tcp_send_static(x->hw->tcp, x->c, x->rbody + x->roff,
				x->riova + x->roff, x->rlen - x->roff, x->rsh, FP_TCP_NOSUM);
		if (n <= 0)
			return false;
		x->roff += n;
	}
	return true;
}

/* Ends the answers waiting for their ACK: the acknowledged ones, or all
 * of them when the connection ended.
 */
__rte_hot void
fp_http_acked(struct fp_http_sess *s, bool all)
{
	struct fp_http_ctx *x = s->wait;
	uint32_t acked;

	if (x == NULL)
		return;
	/* All of them went on one connection. */
	acked = fp_tcp_bytes_acked(x->c);
	while ((x = s->wait) != NULL && (all || fp_seq_ge(acked, x->end))) {
		s->wait = x->next;
		fp_http_ctx_end(x, fp_seq_ge(acked, x->end));
	}
}

/* The body is queued: wait for its ACK when hooks want it, close when it
 * said so.
 */
void
fp_http_sent_all(struct fp_http_ctx *x)
{
	struct fp_http_worker *hw = x->hw;
	struct fp_http_sess *s = x->s;
	struct fp_http_ctx **tail = &s->wait;
	struct fp_tcb *c = x->c;
	bool close = x->close;

	x->end = fp_tcp_bytes_queued(c);
	x->req = NULL;
	if (close)
		x->s->closing = 1;
	if (hw->srv->nb_hooks[FP_HTTP_ON_COMPLETE] != 0 &&
			fp_seq_gt(x->end, fp_tcp_bytes_acked(c))) {
		/* In the session's queue of answers to be acknowledged, not
		 * in s->x: nothing else would find it again (and ON_COMPLETE
		 * would never run), and the requests behind need not wait.
		 */
		x->state = FP_HTTP_X_SENT;
		if (s->x == x)
			s->x = NULL;
		/* At the end: few wait at once (they are acknowledged in
		 * order), and the session stays small without a tail pointer.
		 */
		while (*tail != NULL)
			tail = &(*tail)->next;
		x->next = NULL;
		*tail = x;
	} else {
		fp_http_ctx_end(x, true);
	}
	if (close)
		fp_tcp_shutdown(hw->tcp, c);
}

/* fp_http_compress(): the body gzip-compressed into a reply buffer, when
 * it is worth it and the client takes gzip. HEAD too, so that its
 * headers are GET's.
 */
static __rte_noinline void
fp_http_deflate_body(struct fp_http_ctx *x)
{
	struct fp_http_worker *hw = x->hw;
	struct fp_http_obuf *o;
	size_t n;

	if (x->status != 200 || x->rlen < hw->srv->dynamic_min || !fp_http_compressible(x->type))
		return;
	/* RFC 9110 12.5.5: the answer depends on Accept-Encoding, compressed
	 * or not.
	 */
	fp_http_add_header(x, "Vary", "Accept-Encoding");
	if (x->deflate != 2 || hw->deflater == NULL || x->roff != 0)
		return;
	o = fp_http_obuf_get(hw);
	if (o == NULL)
		return;
	/* At most 90% of the body, or not at all. */
	n = fp_http_deflate(hw->deflater, x->rbody, x->rlen, o->data,
		RTE_MIN((uint32_t)FP_HTTP_OBUF, x->rlen - x->rlen / 10));
	if (n == 0) {
		fp_http_obuf_put(hw, o);
		return;
	}
	fp_count(hw->st, FP_C_http_deflate_in_bytes, x->rlen);
	fp_count(hw->st, FP_C_http_deflate_out_bytes, n);
	fp_count(hw->st, FP_C_http_deflated, 1);
	fp_count(hw->st, FP_C_http_gzip, 1);
	fp_http_set_body_ref(x, o->data, o->iova, n, &o->sh);
	fp_http_add_header(x, "Content-Encoding", "gzip");
}

/* Sends the response x holds: ON_RESPONSE hooks, the head, the body. */
void
fp_http_respond(struct fp_http_ctx *x)
{
	struct fp_http_worker *hw = x->hw;
	const struct fp_http_route *r, *tr;
	char hdr[FP_HTTP_HDR_MAX];
	unsigned int t;
	uint32_t hl;
	int v;

	/* A handler that set no status answered 200: hooks see that. */
	if (x->status == 0)
		x->status = 200;
	if (hw->srv->nb_hooks[FP_HTTP_ON_RESPONSE] != 0)
		fp_http_hooks(x, FP_HTTP_ON_RESPONSE, false, &v);
	/* After the hooks, which may change the body. */
	if (unlikely(x->deflate))
		fp_http_deflate_body(x);
	/* Draining: this answer says Connection: close, and what the client
	 * sent after it is ignored.
	 */
	if (unlikely(hw->draining))
		x->close = 1;
	/* RFC 9110 6.4.1: no content in a response to HEAD, in a 1xx, 204 or
	 * 304 response.
	 */
	if (x->head || x->status < 200 || x->status == 204 || x->status == 304)
		x->roff = x->rlen;
	/* The route whose ready head is this answer's, if one is: its own
	 * status, or the 304 of a route with validators.
	 */
	r = x->tmpl >= 0 ? &hw->srv->routes[x->tmpl] : NULL;
	t = fp_http_variant(x);
	if (r != NULL && x->status == 304 && r->status == 200 && r->etag_len != 0)
		t += FP_HTTP_T_304;
	else if (r != NULL && r->status != x->status)
		r = NULL;
	if (r != NULL && (x->xlen != 0 || r->content_type != x->type))
		r = NULL;
	/* Its body too, as the hooks left it: head and body queued whole (and
	 * counted) by the one function that answers files (fp_http_file_fast()
	 * too), when they fit.
	 */
	if (r != NULL && !x->rsh_ref && x->rbody == r->body && x->rlen == r->body_len &&
			(x->roff == 0 || x->roff == x->rlen) &&
			fp_http_answer_file(hw, x->c, r, t, x->roff == 0)) {
		x->roff = x->rlen;
		fp_http_sent_all(x);
		return;
	}
	fp_http_count_status(hw->st, x->status);
	if (r == NULL || !fp_http_gen_head(hw, x->c, r, t)) {
		/* A file's answer whose head is built: its fields too. */
		tr = x->tmpl >= 0 ? &hw->srv->routes[x->tmpl] : NULL;
		if (tr != NULL && tr->status == 200 && (x->status == 200 || x->status == 304))
			fp_http_rep_fields(x, tr, x->status == 200);
		hl = fp_http_head_build(x, hdr, false);
		if (!fp_http_queue(x, hdr, hl))
			return;
	}
	if (!fp_http_pump_body(x)) {
		x->state = FP_HTTP_X_SENDING;
		x->s->x = x;
		return;
	}
	fp_http_sent_all(x);
}

void
fp_http_set_error(struct fp_http_ctx *x, uint16_t status, bool close)
{
	/* A status without a page of its own gets the 500 page. */
	fp_http_use_route(x, fp_http_err_route(x->hw->srv, status));
	if (close)
		x->close = 1;
}

/* An error answer to a request, counted under its reason, with the
 * reason's status.
 */
void
fp_http_fail(struct fp_http_ctx *x, uint8_t reason, bool close)
{
	/* One list makes both: the counters follow the reasons' order. */
	RTE_BUILD_BUG_ON(FP_C_HTTP_ERR_LAST - FP_C_HTTP_ERR_FIRST + 1 != FP_HTTP_R_NONE);
	fp_count(x->hw->st, FP_C_HTTP_ERR(reason), 1);
	FP_LOG(DEBUG, http, "answering %u: %s", fp_http_reason_status(reason),
		fp_http_reason_name(reason));
	fp_http_set_error(x, fp_http_reason_status(reason), close);
	fp_http_respond(x);
}

/* An error when no context can be had: the page alone, then close. */
void
fp_http_fail_bare(struct fp_http_worker *hw, struct fp_tcb *c, struct fp_http_sess *s,
	uint16_t status)
{
	const struct fp_http_route *r = &hw->srv->routes[fp_http_err_route(hw->srv, status)];
	char hdr[FP_HTTP_HDR_MAX];
	uint32_t hl = fp_http_tmpl_copy(hw, r, FP_HTTP_V_CLOSE, hdr);

	fp_http_count_status(hw->st, r->status);
	s->closing = 1;
	if (fp_tcp_send_copy(hw->tcp, c, hdr, hl) != (int)hl ||
			fp_tcp_send_copy(hw->tcp, c, r->body, r->body_len) != (int)r->body_len) {
		fp_tcp_abort(hw->tcp, c);
		return;
	}
	fp_tcp_shutdown(hw->tcp, c);
}

/* A head that could not be read (malformed, too large, too slow): counted
 * as a request, answered for reason, then the connection closes.
 */
void
fp_http_fail_head(struct fp_http_worker *hw, struct fp_tcb *c, struct fp_http_sess *s,
	uint8_t reason)
{
	struct fp_http_ctx *x;

	fp_count(hw->st, FP_C_http_requests, 1);
	x = fp_http_ctx_get(hw, c, s);
	if (x == NULL) {
		fp_http_fail_bare(hw, c, s, fp_http_reason_status(reason));
		return;
	}
	/* No version was read: answer as HTTP/1.1. */
	x->minor = 1;
	fp_http_fail(x, reason, true);
}

/* Streams. */

int
fp_http_stream(struct fp_http_ctx *x, void (*writable)(struct fp_http_ctx *x, void *arg),
	void *arg)
{
	struct fp_http_worker *hw = x->hw;
	char hdr[FP_HTTP_HDR_MAX];
	uint32_t hl;
	int v;

	if (x->state != FP_HTTP_X_RUN)
		return -EINVAL;
	x->writable = writable;
	x->warg = arg;
	if (x->status == 0)
		x->status = 200;
	/* RFC 9112 7.1: chunked needs HTTP/1.1; a 1.0 client reads until
	 * the connection closes.
	 */
	if (x->minor == 0)
		x->close = 1;
	else
		x->chunked_out = 1;
	if (unlikely(hw->draining))
		x->close = 1;
	if (hw->srv->nb_hooks[FP_HTTP_ON_RESPONSE] != 0)
		fp_http_hooks(x, FP_HTTP_ON_RESPONSE, false, &v);
	fp_http_count_status(hw->st, x->status);
	hl = fp_http_head_build(x, hdr, true);
	if (!fp_http_queue(x, hdr, hl))
		return -EPIPE;
	x->state = FP_HTTP_X_STREAM;
	x->s->x = x;
	return 0;
}

/* A chunk's size line, at most. */
#define FP_HTTP_SIZE_LINE 16

/* A chunk's size line for n bytes, and its CRLF after them: nothing on a
 * stream that is not chunked. False when the connection was reset.
 */
static bool
fp_http_chunk_open(struct fp_http_ctx *x, uint32_t n)
{
	char size[FP_HTTP_SIZE_LINE];
	int sl;

	if (!x->chunked_out)
		return true;
	sl = snprintf(size, sizeof(size), "%x\r\n", n);
	return fp_http_queue(x, size, sl);
}

static bool
fp_http_chunk_close(struct fp_http_ctx *x)
{
	return !x->chunked_out || fp_http_queue(x, "\r\n", 2);
}

/* Payload bytes a stream write can take now, its chunk framing set aside
 * (a size line and CRLF go whole with its bytes); 0 when none.
 */
uint32_t
fp_http_write_room(struct fp_http_ctx *x)
{
	struct fp_http_worker *hw = x->hw;
	uint32_t room, frame = x->chunked_out ? FP_HTTP_SIZE_LINE + 2 : 0;

	if (!fp_http_streaming(x) || fp_tcp_conn_gone(x->c, x->gen))
		return 0;
	room = fp_tcp_sndbuf_room(hw->tcp, x->c);
	/* The worker's copy chunks are shared: when they run short, the
	 * writer is called again in a millisecond rather than this
	 * connection's ACKs (it may have none to come).
	 */
	if (unlikely(fp_tcp_copy_room(hw->tcp) < room + 2 * FP_TCP_CHUNK)) {
		room = fp_tcp_copy_room(hw->tcp) > 2 * FP_TCP_CHUNK ?
			fp_tcp_copy_room(hw->tcp) - 2 * FP_TCP_CHUNK : 0;
		if (room <= FP_HTTP_SIZE_LINE + 2) {
			x->s->starved = 1;
			x->s->lazy = 0;
			fp_tcp_set_timer(hw->tcp, x->c, 1);
		}
	}
	return room > frame ? room - frame : 0;
}

int
fp_http_write(struct fp_http_ctx *x, const void *data, uint32_t len)
{
	struct fp_http_worker *hw = x->hw;
	uint32_t room, n;
	int ret;

	if (!fp_http_streaming(x) || fp_tcp_conn_gone(x->c, x->gen))
		return -EPIPE;
	if (x->head || len == 0)
		return len;
	room = fp_http_write_room(x);
	if (room == 0) {
		x->want_writable = 1;
		return -EAGAIN;
	}
	n = RTE_MIN(len, room);
	if (!fp_http_chunk_open(x, n))
		return -EPIPE;
	ret = fp_tcp_send_copy(hw->tcp, x->c, data, n);
	if (ret != (int)n) {
		fp_tcp_abort(hw->tcp, x->c);
		return -EPIPE;
	}
	if (!fp_http_chunk_close(x))
		return -EPIPE;
	if (n < len)
		x->want_writable = 1;
	fp_tcp_push(hw->tcp, x->c);
	return n;
}

int
fp_http_write_all(struct fp_http_ctx *x, const void *data, uint32_t len)
{
	struct iovec v = { .iov_base = (void *)(uintptr_t)data, .iov_len = len };

	return fp_http_writev_all(x, &v, 1);
}

int
fp_http_writev_all(struct fp_http_ctx *x, const struct iovec *iov, unsigned int nb)
{
	struct fp_http_worker *hw = x->hw;
	uint32_t total = 0;
	unsigned int i;

	if (!fp_http_streaming(x) || fp_tcp_conn_gone(x->c, x->gen))
		return -EPIPE;
	for (i = 0; i < nb; i++)
		total += iov[i].iov_len;
	if (x->head || total == 0)
		return total;
	if (fp_http_write_room(x) < total) {
		x->want_writable = 1;
		return -EAGAIN;
	}
	if (!fp_http_chunk_open(x, total))
		return -EPIPE;
	/* The room covers them all: no second check between them. */
	for (i = 0; i < nb; i++)
		if (!fp_http_queue(x, iov[i].iov_base, iov[i].iov_len))
			return -EPIPE;
	if (!fp_http_chunk_close(x))
		return -EPIPE;
	fp_tcp_push(hw->tcp, x->c);
	return total;
}

int
fp_http_write_ref(struct fp_http_ctx *x, const void *addr, rte_iova_t iova, uint32_t len,
	struct rte_mbuf_ext_shared_info *sh, bool more)
{
	struct fp_http_worker *hw = x->hw;

	if (!fp_http_streaming(x) || fp_tcp_conn_gone(x->c, x->gen))
		return -EPIPE;
	if (x->head || len == 0)
		return 0;
	/* A size line, the bytes and a CRLF: three pieces, all or none. */
	if (fp_http_write_room(x) < len || !fp_tcp_can_queue(hw->tcp, x->c,
			len + (x->chunked_out ? FP_HTTP_SIZE_LINE + 2 : 0), 3)) {
		if (fp_tcp_conn_gone(x->c, x->gen))
			return -EPIPE;
		x->want_writable = 1;
		return -EAGAIN;
	}
	if (!fp_http_chunk_open(x, len))
		return -EPIPE;
	if (fp_tcp_send_ref(hw->tcp, x->c, addr, iova, len, sh) != (int)len) {
		fp_tcp_abort(hw->tcp, x->c);
		return -EPIPE;
	}
	if (!fp_http_chunk_close(x))
		return -EPIPE;
	if (!more && !(x->c->flags & FP_TCB_IN_CB))
		fp_tcp_push(hw->tcp, x->c);
	return 0;
}

void
fp_http_push(struct fp_http_ctx *x)
{
	if (fp_http_streaming(x) && !fp_tcp_conn_gone(x->c, x->gen) &&
			!(x->c->flags & FP_TCB_IN_CB))
		fp_tcp_push(x->hw->tcp, x->c);
}

void
fp_http_stream_end(struct fp_http_ctx *x)
{
	struct fp_http_worker *hw = x->hw;
	struct fp_tcb *c = x->c;
	struct fp_http_sess *s = x->s;
	uint32_t gen = x->gen;

	if (!fp_http_streaming(x))
		return;
	if (fp_tcp_conn_gone(c, gen)) {
		fp_http_ctx_end(x, false);
		return;
	}
	/* An upgraded connection carries no more HTTP: it closes once what
	 * was written has gone.
	 */
	if (x->state == FP_HTTP_X_UPGRADED) {
		s->x = NULL;
		fp_http_ctx_end(x, true);
		fp_http_rx_free(s, hw->rxbufs, hw->st);
		s->closing = 1;
		fp_tcp_shutdown(hw->tcp, c);
		if (!(c->flags & FP_TCB_IN_CB))
			fp_tcp_push(hw->tcp, c);
		return;
	}
	if (x->chunked_out && !x->head && !fp_http_queue(x, "0\r\n\r\n", 5))
		return;
	s->x = NULL;
	x->tfn = NULL;
	fp_http_sent_all(x);
	if (!fp_tcp_conn_gone(c, gen))
		fp_http_next(hw, c, s);
}

void
fp_http_on_close(struct fp_http_ctx *x, void (*fn)(struct fp_http_ctx *x, void *arg),
	void *arg)
{
	x->on_close = fn;
	x->carg = arg;
}

void
fp_http_on_drain(struct fp_http_ctx *x, void (*fn)(struct fp_http_ctx *x, void *arg), void *arg)
{
	x->on_drain = fn;
	x->darg = arg;
}

void
fp_http_on_writable(struct fp_http_ctx *x, void (*fn)(struct fp_http_ctx *x, void *arg),
	void *arg)
{
	x->writable = fn;
	x->warg = arg;
}

/* RFC 9110 7.8: "Upgrade = #protocol", protocol-name a token. */
static bool
fp_http_token(const char *p)
{
	if (*p == '\0')
		return false;
	for (; *p != '\0'; p++)
		if (*p <= ' ' || *p >= 0x7f || strchr("\"(),:;<=>?@[\\]{}", *p) != NULL)
			return false;
	return true;
}

int
fp_http_upgrade(struct fp_http_ctx *x, const char *protocol,
	const struct fp_http_upgrade_ops *ops, void *arg)
{
	struct fp_http_worker *hw = x->hw;
	char hdr[FP_HTTP_HDR_MAX];
	size_t pl;
	uint32_t hl;
	int v;

	if (x->state != FP_HTTP_X_RUN || ops == NULL || ops->recv == NULL ||
			protocol == NULL || !fp_http_token(protocol) ||
			(pl = strlen(protocol)) > 64)
		return -EINVAL;
	if (x->minor == 0 || x->close)
		return -EPROTO;
	if (unlikely(hw->draining))
		return -ESHUTDOWN;
	x->status = 101;
	x->type = NULL;
	if (hw->srv->nb_hooks[FP_HTTP_ON_RESPONSE] != 0)
		fp_http_hooks(x, FP_HTTP_ON_RESPONSE, false, &v);
	/* A hook may have refused it: then it is an ordinary answer. */
	if (x->status != 101)
		return -EPERM;
	/* After the hooks, which may have added lines of their own. */
	if (x->xlen + pl + sizeof("Upgrade: \r\nConnection: Upgrade\r\n") > sizeof(x->xhdr))
		return -ENOSPC;
	x->xlen += snprintf(x->xhdr + x->xlen, sizeof(x->xhdr) - x->xlen,
		"Upgrade: %s\r\nConnection: Upgrade\r\n", protocol);
	fp_http_count_status(hw->st, x->status);
	hl = fp_http_head_build(x, hdr, true);
	if (!fp_http_queue(x, hdr, hl))
		return -EPIPE;
	fp_count(hw->st, FP_C_http_upgrades, 1);
	x->up = ops;
	x->uarg = arg;
	x->state = FP_HTTP_X_UPGRADED;
	x->s->x = x;
	/* The extra headers are sent: the protocol's state takes their room. */
	x->xlen = 0;
	return 0;
}

void *
fp_http_upgrade_state(struct fp_http_ctx *x)
{
	RTE_BUILD_BUG_ON(sizeof(x->proto) != FP_HTTP_UPGRADE_STATE);
	return x->proto;
}
