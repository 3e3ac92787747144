/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The fastpath authors
 */

/* HTTP as an application of the TCP API: the worker's set-up, the request
 * loop and TCP's callbacks. Each connection's request heads are parsed
 * where they lie in the segment (or in a buffer when split), each request
 * gets a context from the worker's pool, runs the hooks and its route's
 * handler, and its response is queued into TCP (fp_http_resp.c). A request
 * in progress (a body being read, a deferred answer, a stream, a body
 * waiting for room) holds back the requests behind it.
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

static const struct fp_tcp_ops fp_http_ops;

static __rte_cold void fp_http_refuse_method(struct fp_http_ctx *x, uint32_t allow_mask);
static __rte_cold uint32_t fp_http_allow_of(struct fp_http_ctx *x);

/* Arms the connection's timer for ms, or sooner when the context's own
 * timer (fp_http_ctx_timer) is due sooner.
 */
static inline void
fp_http_arm(struct fp_tcp_lcore *t, struct fp_tcb *c, const struct fp_http_sess *s, uint32_t ms)
{
	const struct fp_http_ctx *x = s->x;

	if (unlikely(x != NULL && x->tfn != NULL)) {
		int32_t left = (int32_t)(x->t_at - t->now_ms);

		ms = RTE_MIN(ms, (uint32_t)RTE_MAX(left, 1));
	}
	fp_tcp_set_timer(t, c, ms);
}

/* Arms the connection's timer. The keep-alive one is lazy: a request that
 * comes before it is due only notes the time, and the timer, when it fires,
 * waits again for what is left (no timer-wheel work per request).
 */
static inline void
fp_http_timer(struct fp_http_worker *hw, struct fp_tcb *c, struct fp_http_sess *s,
	uint32_t ms, bool keepalive)
{
	if (keepalive) {
		s->active_ms = hw->tcp->now_ms;
		if (s->lazy && c->t_app != 0)
			return;
		/* Soon enough for a send or body timeout too: it wakes, finds
		 * the time left, and waits again.
		 */
		ms = RTE_MIN(ms, hw->lazy_ms);
	}
	s->lazy = keepalive;
	fp_http_arm(hw->tcp, c, s, ms);
}

/* The worker's clock and set-up. */

void
fp_http_clock(struct fp_http_worker *hw, uint64_t tsc)
{
	const struct fp_http_server *srv = hw->srv;
	uint64_t sec;

	/* Date is formatted once a second, never per request. */
	if (tsc - hw->date_tsc < srv->hz)
		return;
	sec = fp_http_epoch(srv, tsc);
	hw->date_tsc = tsc - (tsc - srv->tsc_base) % srv->hz;
	if (sec != hw->date_sec) {
		hw->date_sec = sec;
		fp_http_date(sec, hw->date);
	}
}

static void
fp_http_obuf_release(void *addr __rte_unused, void *opaque)
{
	struct fp_http_obuf *o = opaque;

	fp_http_obuf_put(o->hw, o);
}

int
fp_http_worker_init(struct fp_http_worker *hw, struct fp_http_server *srv,
	const struct fp_config *cfg, struct fp_tcp_lcore *t, struct fp_stats *st,
	unsigned int w, int socket, struct fp_err *err)
{
	char name[RTE_MEMPOOL_NAMESIZE];
	static unsigned int seq;
	unsigned int i, id = __atomic_fetch_add(&seq, 1, __ATOMIC_RELAXED);
	uint64_t tsc = rte_rdtsc();
	int ret;

	memset(hw, 0, sizeof(*hw));
	/* From now on the routes and hooks are only read. */
	if (!srv->started)
		srv->started = true;
	hw->srv = srv;
	hw->tcp = t;
	hw->st = st;
	hw->worker = w;
	hw->lcore = rte_lcore_id();
	hw->keepalive_ms = cfg->keepalive_timeout_s * 1000;
	hw->header_ms = cfg->header_timeout_s * 1000;
	hw->send_ms = cfg->send_timeout_s * 1000;
	hw->lazy_ms = RTE_MIN(RTE_MIN(hw->keepalive_ms, hw->send_ms), srv->body_ms);
	hw->date_sec = fp_http_epoch(srv, tsc);
	hw->date_tsc = tsc - (tsc - srv->tsc_base) % srv->hz;
	fp_http_date(hw->date_sec, hw->date);
	hw->posts = srv->posts != NULL && w < srv->nb_workers ? srv->posts[w] : NULL;
	hw->files_fast = srv->nb_routes_user == 0;
	for (i = 0; i < FP_HTTP_PHASE_MAX; i++)
		hw->files_fast = hw->files_fast && srv->nb_hooks[i] == 0;
	hw->sess = rte_zmalloc_socket("fp_http_sess", sizeof(*hw->sess) * t->p.max_conns,
		RTE_CACHE_LINE_SIZE, socket);
	snprintf(name, sizeof(name), "fp_rxbuf_%u", id);
	hw->rxbufs = rte_mempool_create(name, cfg->rxbufs, srv->lim.max_header_bytes, 0, 0,
		NULL, NULL, NULL, NULL, socket, RTE_MEMPOOL_F_SP_PUT | RTE_MEMPOOL_F_SC_GET);
	hw->ctx = rte_zmalloc_socket("fp_http_ctx", sizeof(*hw->ctx) * srv->nb_ctx,
		RTE_CACHE_LINE_SIZE, socket);
	hw->ctx_free = rte_malloc_socket("fp_http_ctx_free", sizeof(uint32_t) * srv->nb_ctx,
		0, socket);
	hw->rbuf_size = RTE_ALIGN_CEIL(sizeof(struct fp_http_rbuf) + srv->lim.max_header_bytes +
		srv->lim.max_body, RTE_CACHE_LINE_SIZE);
	hw->rbufs = rte_malloc_socket("fp_http_rbufs", hw->rbuf_size * srv->nb_rbufs,
		RTE_CACHE_LINE_SIZE, socket);
	hw->rbuf_free = rte_malloc_socket("fp_http_rbuf_free", sizeof(uint32_t) *
		srv->nb_rbufs, 0, socket);
	hw->obufs = rte_malloc_socket("fp_http_obufs", sizeof(*hw->obufs) * srv->nb_obufs,
		RTE_CACHE_LINE_SIZE, socket);
	hw->obuf_free = rte_malloc_socket("fp_http_obuf_free", sizeof(uint32_t) *
		srv->nb_obufs, 0, socket);
	hw->pathbuf = rte_malloc_socket("fp_http_path", srv->lim.max_uri + 1, 0, socket);
	/* A compressor of its own, allocated now: none while it works. */
	hw->deflater = fp_http_deflater_new(srv->dynamic_level);
	if (hw->deflater == NULL)
		FP_LOG(WARNING, http, "worker %u: no gzip compressor: bodies go uncompressed", w);
	if (hw->sess == NULL || hw->rxbufs == NULL || hw->ctx == NULL || hw->ctx_free == NULL ||
			hw->rbufs == NULL || hw->rbuf_free == NULL || hw->obufs == NULL ||
			hw->obuf_free == NULL || hw->pathbuf == NULL) {
		fp_http_worker_free(hw);
		return fp_fail(err, -ENOMEM, "worker %u: no memory for %u HTTP sessions, %u "
			"request buffers, %u contexts and %u body buffers (lower [tcp] max_conns "
			"or [http] rxbufs, contexts, body_buffers or reply_buffers)", w,
			t->p.max_conns, cfg->rxbufs, srv->nb_ctx, srv->nb_rbufs);
	}
	for (i = 0; i < srv->nb_ctx; i++)
		hw->ctx_free[i] = srv->nb_ctx - 1 - i;
	hw->nb_ctx_free = srv->nb_ctx;
	for (i = 0; i < srv->nb_rbufs; i++)
		hw->rbuf_free[i] = srv->nb_rbufs - 1 - i;
	hw->nb_rbuf_free = srv->nb_rbufs;
	for (i = 0; i < srv->nb_obufs; i++) {
		struct fp_http_obuf *o = &hw->obufs[i];

		o->hw = hw;
		o->idx = i;
		o->iova = rte_mem_virt2iova(o->data);
		o->sh.free_cb = fp_http_obuf_release;
		o->sh.fcb_opaque = o;
		hw->obuf_free[i] = srv->nb_obufs - 1 - i;
	}
	hw->nb_obuf_free = srv->nb_obufs;
	for (i = 0; i < cfg->nb_listen; i++) {
		ret = fp_tcp_listen(t, cfg->listen[i], &fp_http_ops, hw);
		if (ret != 0) {
			fp_http_worker_free(hw);
			return fp_fail(err, ret, "[tcp] listen: cannot listen on port %u: %s",
				cfg->listen[i], strerror(-ret));
		}
	}
	return 0;
}

void
fp_http_worker_free(struct fp_http_worker *hw)
{
	rte_free(hw->sess);
	hw->sess = NULL;
	rte_mempool_free(hw->rxbufs);
	hw->rxbufs = NULL;
	rte_free(hw->ctx);
	hw->ctx = NULL;
	rte_free(hw->ctx_free);
	hw->ctx_free = NULL;
	rte_free(hw->rbufs);
	hw->rbufs = NULL;
	rte_free(hw->rbuf_free);
	hw->rbuf_free = NULL;
	rte_free(hw->obufs);
	hw->obufs = NULL;
	rte_free(hw->obuf_free);
	hw->obuf_free = NULL;
	rte_free(hw->pathbuf);
	hw->pathbuf = NULL;
	fp_http_deflater_free(hw->deflater);
	hw->deflater = NULL;
}

/* The request buffer: heads split over segments. */

static void
fp_http_buf_put(struct fp_http_sess *s, struct rte_mempool *bufs, struct fp_stats *st)
{
	if (s->buf == NULL)
		return;
	rte_mempool_put(bufs, s->buf);
	s->buf = NULL;
	s->off = 0;
	s->buf_len = 0;
	fp_gauge_add(st, FP_G_http_rxbufs, -1);
}

__rte_hot void
fp_http_rx_free(struct fp_http_sess *s, struct rte_mempool *bufs, struct fp_stats *st)
{
	fp_http_buf_put(s, bufs, st);
	s->body_left = 0;
	s->closing = 0;
}

/* Requests. */

static int
fp_http_hex(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c |= 0x20;
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/* Percent-decodes x's path from its first escape, at i, into the worker's
 * buffer. Returns false for an undecodable path. Out of line: the caller,
 * on every request, stays a leaf.
 */
static __rte_noinline bool
fp_http_decode_escapes(struct fp_http_ctx *x, uint32_t i)
{
	const struct fp_http_slice *p = &x->info.path;
	char *dec = x->hw->pathbuf;
	uint32_t n;
	int hi, lo;

	/* What precedes the first escape is copied as it is. */
	memcpy(dec, p->p, i);
	for (n = i; i < p->len; i++) {
		if (p->p[i] != '%') {
			dec[n++] = p->p[i];
			continue;
		}
		hi = i + 2 < p->len ? fp_http_hex(p->p[i + 1]) : -1;
		lo = hi >= 0 ? fp_http_hex(p->p[i + 2]) : -1;
		/* A NUL hidden in an escape names nothing we serve. */
		if (lo < 0 || (hi == 0 && lo == 0))
			return false;
		dec[n++] = (char)(hi << 4 | lo);
		i += 2;
	}
	x->path.p = dec;
	x->path.len = n;
	return true;
}

/* Percent-decodes x's path when it has to. Returns false for an
 * undecodable path.
 */
static bool
fp_http_decode_path(struct fp_http_ctx *x)
{
	const struct fp_http_slice *p = &x->info.path;
	uint32_t i = fp_http_first_escape(p);

	x->path = *p;
	return i == p->len || fp_http_decode_escapes(x, i);
}

/* An answer that does not wait for the request's body: one framed by
 * Content-Length is read and thrown away as it comes; a chunked one, or one
 * whose framing is unsound, closes the connection after the answer.
 */
static void
fp_http_skip_body(struct fp_http_ctx *x)
{
	if (x->info.chunked || !x->info.keep_alive)
		x->close = 1;
	else
		x->s->body_left = x->info.content_length;
}

/* Analysis, path and query of the head x->req. Returns false after
 * answering an error.
 */
static bool
fp_http_prepare(struct fp_http_ctx *x)
{
	const struct fp_http_request *req = x->req;

	fp_http_analyze(req, &x->hw->srv->lim, &x->info);
	if (x->info.method == FP_HTTP_M_GET)
		fp_count(x->hw->st, FP_C_http_get, 1);
	else if (x->info.method == FP_HTTP_M_HEAD)
		fp_count(x->hw->st, FP_C_http_head, 1);
	else
		fp_count(x->hw->st, FP_C_http_other_method, 1);
	x->minor = req->minor;
	x->head = x->info.method == FP_HTTP_M_HEAD;
	x->close = !x->info.keep_alive;
	if (x->info.status != 0 && x->info.reason != FP_HTTP_R_method_not_allowed) {
		/* Only a refused request whose body framing is sound keeps the
		 * connection.
		 */
		fp_http_skip_body(x);
		fp_http_fail(x, x->info.reason, false);
		return false;
	}
	if (!fp_http_decode_path(x)) {
		fp_http_fail(x, FP_HTTP_R_bad_path_encoding, true);
		return false;
	}
	/* CONNECT and TRACE: 405, with the Allow of the path as routing has
	 * it (RFC 9110 15.5.6: "The origin server MUST generate an Allow
	 * header field in a 405 response").
	 */
	if (x->info.status != 0) {
		fp_http_skip_body(x);
		fp_http_refuse_method(x, fp_http_allow_of(x));
		return false;
	}
	return true;
}

/* 405 with the methods the path allows (RFC 9110 15.5.6: "The origin
 * server MUST generate an Allow header field in a 405 response"; an empty
 * one says none).
 */
static __rte_cold void
fp_http_refuse_method(struct fp_http_ctx *x, uint32_t allow_mask)
{
	char allow[128];

	fp_http_allow_format(allow_mask, allow, sizeof(allow));
	fp_http_set_error(x, 405, false);
	fp_http_add_header(x, "Allow", allow);
	fp_count(x->hw->st, FP_C_HTTP_ERR(FP_HTTP_R_method_not_allowed), 1);
	fp_http_respond(x);
}

/* Routes x; false after answering 404 or 405. */
static bool
fp_http_route_find(struct fp_http_ctx *x)
{
	const struct fp_http_route *r;
	int ret;

	/* A server of files only has no route to look at. */
	if (x->hw->srv->nb_routes_user != 0) {
		ret = fp_http_route_match(x->hw->srv->router, x->info.method, x->path.p,
			x->path.len, &x->m);
		if (ret == 0)
			return true;
	} else {
		ret = -ENOENT;
		x->m.allow = 0;
	}
	/* Files answer GET and HEAD on what no route takes. */
	r = fp_http_lookup(x->hw->srv, x->path.p, x->path.len);
	if (r != NULL) {
		if (x->info.method == FP_HTTP_M_GET || x->info.method == FP_HTTP_M_HEAD) {
			x->m.handler = (void *)fp_http_static_handler;
			x->m.arg = (void *)(uintptr_t)r;
			x->m.nb_params = 0;
			x->m.rest.p = NULL;
			x->m.rest.len = 0;
			return true;
		}
		x->m.allow |= FP_HTTP_MB(FP_HTTP_M_GET) | FP_HTTP_MB(FP_HTTP_M_HEAD);
		ret = -EPERM;
	}
	fp_http_skip_body(x);
	if (ret == -EPERM) {
		fp_http_refuse_method(x, x->m.allow);
		return false;
	}
	fp_http_fail(x, FP_HTTP_R_not_found, false);
	return false;
}

/* What every method of the path is, for a 405 that routing did not give. */
static __rte_cold uint32_t
fp_http_allow_of(struct fp_http_ctx *x)
{
	uint32_t allow = 0;
	int ret;

	/* TRACE is refused before routing, so no route takes it: the match
	 * fails and tells what the path allows.
	 */
	ret = fp_http_route_match(x->hw->srv->router, FP_HTTP_M_TRACE, x->path.p, x->path.len,
		&x->m);
	if (ret == -EPERM || ret == 0)
		allow = x->m.allow;
	if (fp_http_lookup(x->hw->srv, x->path.p, x->path.len) != NULL)
		allow |= FP_HTTP_MB(FP_HTTP_M_GET) | FP_HTTP_MB(FP_HTTP_M_HEAD);
	return allow & ~(FP_HTTP_MB(FP_HTTP_M_CONNECT) | FP_HTTP_MB(FP_HTTP_M_TRACE));
}

/* BEFORE_HANDLER hooks and the handler. */
static void
fp_http_run(struct fp_http_ctx *x)
{
	int v;

	x->state = FP_HTTP_X_RUN;
	if (x->hw->srv->nb_hooks[FP_HTTP_BEFORE_HANDLER] != 0) {
		fp_http_hooks(x, FP_HTTP_BEFORE_HANDLER, true, &v);
		if (v == FP_HTTP_DONE) {
			fp_http_respond(x);
			return;
		}
	}
	/* Files, the most common handler, by a direct call. */
	if (x->m.handler == (void *)fp_http_static_handler)
		v = fp_http_static_handler(x, x->m.arg);
	else
		v = ((fp_http_handler_fn)x->m.handler)(x, x->m.arg);
	/* The handler may have lost the connection (a reset while queueing):
	 * then nothing is sent, and a context nobody holds ends here.
	 */
	if (x->state == FP_HTTP_X_FREE)
		return;
	if (fp_tcp_conn_gone(x->c, x->gen)) {
		fp_http_ctx_end(x, false);
		return;
	}
	switch (v) {
	case FP_HTTP_DONE:
		fp_http_respond(x);
		break;
	case FP_HTTP_ASYNC:
		/* Deferred or streaming (s->x holds it), or already finished
		 * inside the handler; still running means neither was called.
		 * The request's bytes are not valid after the handler.
		 */
		if (x->state == FP_HTTP_X_RUN)
			fp_http_fail(x, FP_HTTP_R_other, true);
		else
			x->req = NULL;
		break;
	case FP_HTTP_NEXT:
		fp_http_fail(x, FP_HTTP_R_not_found, false);
		break;
	default:
		fp_http_fail(x, FP_HTTP_R_other, true);
		break;
	}
}

/* A file asked for with GET or HEAD and no body, on a server with neither
 * hooks nor handler routes (hw->files_fast): nothing can run between the
 * request and its answer, so no context is taken and the answer is queued
 * at once, as fp_http_respond() would queue it. False, having changed
 * nothing, for any other request, or when the answer does not fit the send
 * buffer now: the general path takes it (and analyzes it again).
 */
static __rte_hot bool
fp_http_file_fast(struct fp_http_worker *hw, struct fp_tcb *c, struct fp_http_sess *s,
	const struct fp_http_request *req)
{
	const struct fp_http_server *srv = hw->srv;
	const struct fp_http_route *r;
	struct fp_http_brange range;
	struct fp_http_info info;
	uint16_t status;
	uint32_t base;
	bool close;

	fp_http_analyze(req, &srv->lim, &info);
	if (info.status != 0 || info.chunked || info.content_length != 0 ||
			(info.method != FP_HTTP_M_GET && info.method != FP_HTTP_M_HEAD) ||
			fp_http_first_escape(&info.path) != info.path.len)
		return false;
	r = fp_http_lookup(srv, info.path.p, info.path.len);
	if (r == NULL)
		return false;
	base = r->base;
	/* The variant and a 304 from ready heads; the rarer answers (206,
	 * 406, 412, 416) build theirs on the general path.
	 */
	status = fp_http_select(srv, &r, req, info.method, hw->date_sec, &range);
	if (status != 200 && status != 304)
		return false;
	close = !info.keep_alive || hw->draining;
	if (!fp_http_answer_file(hw, c, r, fp_http_variant_of(close, req->minor) +
			(status == 304 ? FP_HTTP_T_304 : 0),
			status == 200 && info.method == FP_HTTP_M_GET))
		return false;
	fp_count(hw->st, info.method == FP_HTTP_M_GET ? FP_C_http_get : FP_C_http_head, 1);
	fp_count_hit(hw->st, base);
	if (close) {
		s->closing = 1;
		fp_tcp_shutdown(hw->tcp, c);
	}
	return true;
}

/* fp_http_request() with a context: hooks, the router, a body, errors.
 * Out of line, so that the file path stays small.
 */
static __rte_noinline bool
fp_http_request_ctx(struct fp_http_worker *hw, struct fp_tcb *c, struct fp_http_sess *s,
	const struct fp_http_request *req, const char *head, uint32_t len)
{
	struct fp_http_ctx *x;
	struct fp_http_rbuf *rb;
	bool body;
	int v;

	x = fp_http_ctx_get(hw, c, s);
	if (x == NULL) {
		fp_count(hw->st, FP_C_http_err_no_context, 1);
		fp_http_fail_bare(hw, c, s, 503);
		return false;
	}
	x->req = req;
	if (!fp_http_prepare(x))
		goto done;
	if (hw->srv->nb_hooks[FP_HTTP_ON_REQUEST] != 0) {
		fp_http_hooks(x, FP_HTTP_ON_REQUEST, true, &v);
		if (v == FP_HTTP_DONE) {
			/* The body, if any, is not read: close after. */
			if (x->info.chunked || x->info.content_length != 0)
				x->close = 1;
			fp_http_respond(x);
			goto done;
		}
	}
	if (!fp_http_route_find(x))
		goto done;
	body = x->info.chunked || x->info.content_length != 0;
	if (!body) {
		fp_http_run(x);
		goto done;
	}
	/* A body: read whole before the handler runs; one for the files
	 * is read and thrown away.
	 */
	x->discard = x->m.handler == (void *)fp_http_static_handler;
	/* max_body 0 takes no body: the chunked decoder would read 0 as no
	 * limit.
	 */
	if (!x->discard && x->info.chunked && hw->srv->lim.max_body == 0) {
		fp_http_fail(x, FP_HTTP_R_body_too_large, true);
		goto done;
	}
	if (!x->discard) {
		rb = fp_http_rbuf_get(hw);
		if (rb == NULL) {
			fp_count(hw->st, FP_C_http_err_no_body_buffer, 1);
			fp_http_set_error(x, 503, true);
			fp_http_add_header(x, "Retry-After", "1");
			fp_http_respond(x);
			goto done;
		}
		memcpy(rb->data, head, len);
		rb->head_len = len;
		x->rb = rb;
	}
	x->need = x->info.content_length;
	if (x->info.chunked)
		fp_http_chunked_init(&x->ck, hw->srv->lim.max_body);
	x->state = FP_HTTP_X_BODY;
	/* The head is read again from the buffer once the body is in. */
	x->req = NULL;
	s->x = x;
	fp_http_timer(hw, c, s, hw->srv->body_ms, false);
	return false;
done:
	return s->x == NULL && !s->closing && c->state != FP_TCP_CLOSED;
}

/* A whole head at head[0, len) in the segment or the buffer. Returns true
 * to go on with the bytes after it, false to stop there.
 */
static bool
fp_http_request(struct fp_http_worker *hw, struct fp_tcb *c, struct fp_http_sess *s,
	const struct fp_http_request *req, const char *head, uint32_t len)
{
	fp_count(hw->st, FP_C_http_requests, 1);
	if (hw->files_fast && fp_http_file_fast(hw, c, s, req))
		return !s->closing && c->state != FP_TCP_CLOSED;
	return fp_http_request_ctx(hw, c, s, req, head, len);
}

/* The body is whole: the head is read again from the buffer (the segment
 * it came in is gone), and the handler runs.
 */
static __rte_noinline void
fp_http_body_done(struct fp_http_ctx *x)
{
	struct fp_http_rbuf *rb = x->rb;

	x->s->x = NULL;
	if (x->discard) {
		/* The head is gone with its segment: a file needs none of it
		 * (the routing found the route); hooks see no path.
		 */
		x->req = NULL;
		x->path.p = NULL;
		x->path.len = 0;
		fp_http_run(x);
		return;
	}
	if (fp_http_parse_request(rb->data, rb->head_len, &x->rq) <= 0) {
		fp_http_fail(x, FP_HTTP_R_other, true);
		return;
	}
	x->req = &x->rq;
	x->body.p = rb->data + rb->head_len;
	x->body.len = rb->body_len;
	fp_http_analyze(x->req, &x->hw->srv->lim, &x->info);
	/* Params point into the path just decoded again. */
	if (!fp_http_decode_path(x) || fp_http_route_match(x->hw->srv->router,
			x->info.method, x->path.p, x->path.len, &x->m) != 0) {
		fp_http_fail(x, FP_HTTP_R_other, true);
		return;
	}
	fp_http_run(x);
}

/* Body bytes for x. Returns how many it took. */
static __rte_noinline uint32_t
fp_http_body(struct fp_http_ctx *x, const char *data, uint32_t len)
{
	struct fp_http_rbuf *rb = x->rb;
	const char *p;
	uint32_t done = 0, n;
	size_t pl;
	int64_t ret;

	if (!x->info.chunked) {
		n = RTE_MIN((uint64_t)len, x->need);
		if (rb != NULL)
			memcpy(rb->data + rb->head_len + rb->body_len, data, n);
		else
			fp_count(x->hw->st, FP_C_http_body_bytes_discarded, n);
		if (rb != NULL)
			rb->body_len += n;
		x->need -= n;
		if (x->need == 0)
			fp_http_body_done(x);
		return n;
	}
	while (done < len && !fp_http_chunked_done(&x->ck)) {
		ret = fp_http_chunked_decode(&x->ck, data + done, len - done, &p, &pl);
		if (ret < 0) {
			x->s->x = NULL;
			if (x->ck.err == FP_HTTP_CHUNKED_TOO_LARGE)
				fp_http_fail(x, FP_HTTP_R_body_too_large, true);
			else
				fp_http_fail(x, FP_HTTP_R_bad_chunk, true);
			return len;
		}
		done += ret;
		if (pl == 0)
			continue;
		if (rb != NULL) {
			memcpy(rb->data + rb->head_len + rb->body_len, p, pl);
			rb->body_len += pl;
		} else {
			fp_count(x->hw->st, FP_C_http_body_bytes_discarded, pl);
		}
	}
	if (fp_http_chunked_done(&x->ck))
		fp_http_body_done(x);
	return done;
}

/* Bytes for an upgraded connection's protocol: all of them. */
static __rte_noinline uint32_t
fp_http_up_recv(struct fp_http_worker *hw, struct fp_tcb *c, struct fp_http_sess *s,
	const char *data, uint32_t len)
{
	struct fp_http_ctx *x = s->x;

	s->active_ms = hw->tcp->now_ms;
	if (s->blocked) {
		s->blocked = 0;
		fp_tcp_rcv_space(hw->tcp, c, UINT32_MAX);
	}
	/* The segment (or the request buffer) is the receiver's: the
	 * protocol may rewrite it in place.
	 */
	x->up->recv(x, x->uarg, (uint8_t *)(uintptr_t)data, len);
	return len;
}

/* Request heads from data[0, len), and the body of the request waiting
 * for one. Returns how many bytes it took; *more is false when a request in
 * progress stops the parsing.
 */
static __rte_hot uint32_t
fp_http_process(struct fp_http_worker *hw, struct fp_tcb *c, struct fp_http_sess *s,
	const char *data, uint32_t len, bool *more)
{
	struct fp_http_request req;
	uint32_t done = 0, take;
	uint8_t why;
	uint16_t status;
	int ret;

	*more = true;
	while (done < len && s->closing == 0 && c->state != FP_TCP_CLOSED) {
		if (s->x != NULL) {
			if (s->x->state == FP_HTTP_X_UPGRADED) {
				done += fp_http_up_recv(hw, c, s, data + done, len - done);
				continue;
			}
			if (s->x->state != FP_HTTP_X_BODY) {
				*more = false;
				break;
			}
			done += fp_http_body(s->x, data + done, len - done);
			continue;
		}
		if (s->body_left != 0) {
			take = RTE_MIN(s->body_left, len - done);
			s->body_left -= take;
			done += take;
			fp_count(hw->st, FP_C_http_body_bytes_discarded, take);
			continue;
		}
		/* A head answered needs a head's room in the send buffer, and
		 * in the worker's copy chunks (shared by every connection:
		 * when they run short, this one tries again in a millisecond).
		 */
		if (fp_tcp_sndbuf_room(hw->tcp, c) < FP_HTTP_HDR_MAX) {
			*more = false;
			break;
		}
		if (unlikely(fp_tcp_copy_room(hw->tcp) < FP_HTTP_HDR_MAX + FP_TCP_CHUNK)) {
			s->starved = 1;
			*more = false;
			break;
		}
		ret = fp_http_parse_request(data + done, len - done, &req);
		/* A whole head over max_header_bytes (one large segment) is
		 * refused like a split one: 431.
		 */
		if (unlikely(ret > 0 && (uint32_t)ret > hw->srv->lim.max_header_bytes))
			ret = -3;
		if (ret > 0) {
			done += ret;
			if (!fp_http_request(hw, c, s, &req, data + done - ret, ret) &&
					s->x == NULL && s->closing == 0) {
				*more = false;
				break;
			}
			continue;
		}
		status = fp_http_incomplete_status(data + done, len - done,
			ret == -3 ? (int)(len - done) : ret, &req, &hw->srv->lim, &why);
		if (status == 0)
			break;
		fp_http_fail_head(hw, c, s, why);
		s->closing = 1;
	}
	/* After a response that closes, the rest is read and ignored. */
	return s->closing != 0 ? len : done;
}

/* Feeds data[0, len) (and what waits in the buffer) to the requests.
 * Returns true when the connection is still there; *used is what it took.
 */
static bool
fp_http_feed_once(struct fp_http_worker *hw, struct fp_tcb *c, struct fp_http_sess *s,
	const char *data, uint32_t len, uint32_t *used)
{
	uint32_t cap = hw->srv->lim.max_header_bytes, done = 0, take, n, gen = c->gen;
	struct fp_http_request req;
	bool was_partial = fp_http_partial(s), more = true;
	uint8_t why;

	for (;;) {
		if (fp_tcp_conn_gone(c, gen))
			return false;
		if (s->closing != 0) {
			fp_http_buf_put(s, hw->rxbufs, hw->st);
			done = len;
			break;
		}
		if (s->buf == NULL) {
			/* The common case: requests parsed where they lie. */
			done += fp_http_process(hw, c, s, data + done, len - done, &more);
			if (s->closing != 0 || c->state == FP_TCP_CLOSED)
				continue;
			if (done == len)
				break;
			if (rte_mempool_get(hw->rxbufs, (void **)&s->buf) != 0) {
				s->buf = NULL;
				fp_count_drop(hw->st, FP_DROP_http_no_rxbuf);
				break;
			}
			fp_gauge_add(hw->st, FP_G_http_rxbufs, 1);
			s->off = 0;
			s->buf_len = 0;
		}
		/* Waiting bytes first, topped up with new ones. */
		take = RTE_MIN(len - done, cap - s->buf_len);
		if (take != 0)
			memcpy(s->buf + s->buf_len, data + done, take);
		s->buf_len += take;
		done += take;
		n = fp_http_process(hw, c, s, s->buf + s->off, s->buf_len - s->off, &more);
		s->off += n;
		if (s->closing != 0 || c->state == FP_TCP_CLOSED)
			continue;
		if (s->off == s->buf_len) {
			fp_http_buf_put(s, hw->rxbufs, hw->st);
			if (done == len)
				break;
			continue;
		}
		if (!more) {
			if (take != 0)
				continue;
			break;
		}
		/* An incomplete head: move it to the front for the rest. */
		if (s->off != 0) {
			memmove(s->buf, s->buf + s->off, s->buf_len - s->off);
			s->buf_len -= s->off;
			s->off = 0;
		}
		if (s->buf_len == cap) {
			(void)fp_http_parse_request(s->buf, s->buf_len, &req);
			if (fp_http_incomplete_status(s->buf, s->buf_len, -2, &req,
					&hw->srv->lim, &why) == 0)
				why = FP_HTTP_R_header_too_large;
			fp_http_fail_head(hw, c, s, why);
			s->closing = 1;
			continue;
		}
		if (done == len)
			break;
	}
	*used = done;
	if (fp_tcp_conn_gone(c, gen))
		return false;
	/* While a request holds the line, what follows waits in the buffer,
	 * and the window shows only what the buffer can still take.
	 */
	if ((!more && s->x == NULL) || s->blocked || (s->x != NULL && fp_http_holds(s->x))) {
		bool hold = !more || (s->x != NULL && fp_http_holds(s->x));

		s->blocked = hold;
		fp_tcp_rcv_space(hw->tcp, c, !hold ? UINT32_MAX : s->buf == NULL ? cap :
			cap - s->buf_len);
	}
	/* The header timeout runs from the first byte of a head, however
	 * slowly the rest trickles in; a body has its own; otherwise the idle
	 * timeout runs.
	 */
	if (unlikely(s->starved)) {
		fp_http_timer(hw, c, s, 1, false);
	} else if (s->x != NULL) {
		if (fp_http_holds(s->x))
			fp_http_timer(hw, c, s, hw->keepalive_ms, true);
	} else if (fp_http_partial(s) && more) {
		if (!was_partial)
			fp_http_timer(hw, c, s, hw->header_ms, false);
	} else {
		fp_http_timer(hw, c, s, hw->keepalive_ms, true);
	}
	return true;
}

bool
fp_http_feed(struct fp_http_worker *hw, struct fp_tcb *c, struct fp_http_sess *s,
	const char *data, uint32_t len, uint32_t *used)
{
	uint32_t gen = c->gen;
	bool alive;

	/* A handler that finishes its own request (fp_http_finish,
	 * fp_http_stream_end) inside this loop leaves the requests behind to
	 * the loop already running: one feed at a time per connection.
	 */
	s->feeding = 1;
	alive = fp_http_feed_once(hw, c, s, data, len, used);
	if (fp_tcp_conn_gone(c, gen))
		return false;
	s->feeding = 0;
	/* The client closed: once nothing is held, the rest is answered. */
	if (unlikely(s->peer_fin) && s->x == NULL && !s->closing) {
		fp_http_rx_free(s, hw->rxbufs, hw->st);
		s->closing = 1;
		fp_tcp_shutdown(hw->tcp, c);
	}
	return alive;
}

/* TCP callbacks. */

static __rte_hot int
fp_http_accept(void *arg, struct fp_tcp_lcore *t, struct fp_tcb *c)
{
	struct fp_http_worker *hw = arg;
	struct fp_http_sess *s = &hw->sess[fp_tcp_conn_id(t, c)];

	memset(s, 0, sizeof(*s));
	fp_tcp_set_app(c, s);
	fp_tcp_set_timer(t, c, hw->header_ms);
	return 0;
}

static struct fp_http_worker *
fp_http_hw(const struct fp_tcp_lcore *t, const struct fp_tcb *c)
{
	return fp_tcp_conn_arg(t, c);
}

static __rte_hot uint32_t
fp_http_recv(void *app, struct fp_tcp_lcore *t, struct fp_tcb *c, const char *data,
	uint32_t len)
{
	struct fp_http_worker *hw = fp_http_hw(t, c);
	struct fp_http_sess *s = app;
	uint32_t used = len, done, gen = c->gen;
	bool more;

	if (s->closing) {
		fp_count_drop(hw->st, FP_DROP_http_after_close);
		return len;
	}
	/* The common case: whole requests, nothing waiting, nothing held. */
	if (likely(s->buf == NULL && s->x == NULL && !s->blocked && !s->starved)) {
		s->feeding = 1;
		done = fp_http_process(hw, c, s, data, len, &more);
		if (fp_tcp_conn_gone(c, gen))
			return len;
		s->feeding = 0;
		if (likely(done == len && more && s->x == NULL && s->buf == NULL &&
				!s->starved)) {
			if (!s->closing)
				fp_http_timer(hw, c, s, hw->keepalive_ms, true);
			return len;
		}
		/* The rest (a split head, a request held back) as below. */
		data += done;
		len -= done;
		if (len == 0 && s->x == NULL && !s->starved) {
			fp_http_feed(hw, c, s, NULL, 0, &used);
			return done;
		}
		fp_http_feed(hw, c, s, data, len, &used);
		return done + used;
	}
	if (s->x != NULL && s->x->state == FP_HTTP_X_UPGRADED && s->buf == NULL)
		return fp_http_up_recv(hw, c, s, data, len);
	fp_http_feed(hw, c, s, data, len, &used);
	return used;
}

static __rte_hot void
fp_http_fin(void *app, struct fp_tcp_lcore *t, struct fp_tcb *c)
{
	struct fp_http_worker *hw = fp_http_hw(t, c);
	struct fp_http_sess *s = app;
	struct fp_http_ctx *x = s->x;

	/* A client that half-closes sends no more requests: answer what it
	 * asked (the ones waiting behind a request in progress too), then
	 * close. A body or a head cut short by the FIN gets no answer.
	 */
	if (x != NULL && x->state == FP_HTTP_X_BODY) {
		fp_http_ctx_end(x, false);
		x = NULL;
	}
	if (x != NULL && x->state == FP_HTTP_X_UPGRADED) {
		s->peer_fin = 1;
		if (x->up->fin != NULL)
			x->up->fin(x, x->uarg);
		else
			fp_http_stream_end(x);
		return;
	}
	if (x == NULL) {
		fp_http_rx_free(s, hw->rxbufs, hw->st);
		s->closing = 1;
		fp_tcp_shutdown(t, c);
		return;
	}
	s->peer_fin = 1;
}

static __rte_hot void
fp_http_sent(void *app, struct fp_tcp_lcore *t, struct fp_tcb *c, uint32_t acked __rte_unused)
{
	struct fp_http_worker *hw = fp_http_hw(t, c);
	struct fp_http_sess *s = app;
	struct fp_http_ctx *x = s->x;
	uint32_t used, gen = c->gen;

	s->active_ms = t->now_ms;
	/* Most ACKs find nothing waiting on them. */
	if (likely(x == NULL && s->wait == NULL && s->buf == NULL && !s->blocked))
		return;
	fp_http_acked(s, false);
	if (x != NULL) {
		switch (x->state) {
		case FP_HTTP_X_SENDING:
			if (!fp_http_pump_body(x))
				return;
			fp_http_sent_all(x);
			break;
		case FP_HTTP_X_STREAM:
		case FP_HTTP_X_UPGRADED:
			if (x->want_writable && x->writable != NULL) {
				x->want_writable = 0;
				x->writable(x, x->warg);
			}
			break;
		default:
			return;
		}
	}
	if (fp_tcp_conn_gone(c, gen) || s->x != NULL || s->closing)
		return;
	/* Room again: answer the requests that waited, if any did (and
	 * close after them when the client did).
	 */
	if (s->buf != NULL || s->blocked || s->peer_fin)
		fp_http_feed(hw, c, s, NULL, 0, &used);
}

/* Arms the timer for what is left of limit since s was last active; false
 * when nothing is: the limit is reached.
 */
static bool
fp_http_wait_rest(struct fp_tcp_lcore *t, struct fp_tcb *c, const struct fp_http_sess *s,
	uint32_t limit)
{
	uint32_t idle = t->now_ms - s->active_ms;

	if (idle >= limit)
		return false;
	fp_http_arm(t, c, s, limit - idle);
	return true;
}

static void
fp_http_timeout(void *app, struct fp_tcp_lcore *t, struct fp_tcb *c)
{
	struct fp_http_worker *hw = fp_http_hw(t, c);
	struct fp_http_sess *s = app;
	struct fp_http_ctx *x = s->x;
	uint32_t used, gen = c->gen;

	/* The context's own timer first: what it does may change the rest. */
	if (x != NULL && x->tfn != NULL && (int32_t)(t->now_ms - x->t_at) >= 0 &&
			(fp_http_streaming(x) || x->state == FP_HTTP_X_DEFERRED)) {
		void (*fn)(struct fp_http_ctx *x, void *arg) = x->tfn;

		x->tfn = NULL;
		fn(x, x->targ);
		if (fp_tcp_conn_gone(c, gen))
			return;
		/* It ended its request: the connection's own timer (keep-alive,
		 * the next request) is armed again by serving what follows.
		 */
		if (s->x != x) {
			if (!s->closing)
				fp_http_feed(hw, c, s, NULL, 0, &used);
			return;
		}
	}
	if (unlikely(s->starved)) {
		/* Copy chunks were short a millisecond ago: try again. */
		s->starved = 0;
		if (x != NULL && fp_http_streaming(x)) {
			s->lazy = 0;
			fp_http_arm(t, c, s, hw->keepalive_ms);
			if (x->want_writable && x->writable != NULL) {
				x->want_writable = 0;
				x->writable(x, x->warg);
			}
		} else if (x == NULL && !s->closing) {
			fp_http_feed(hw, c, s, NULL, 0, &used);
		}
		return;
	}
	if (s->lazy) {
		/* Requests or ACKs came since it was armed: wait for the rest. */
		if (fp_http_wait_rest(t, c, s, fp_tcp_sending(c) ? hw->send_ms :
				s->body_left != 0 ? hw->srv->body_ms : hw->keepalive_ms))
			return;
		s->lazy = 0;
	}
	if (x != NULL && x->state == FP_HTTP_X_BODY) {
		/* RFC 9110 15.5.9: 408 "indicates that the server did not
		 * receive a complete request message within the time that it
		 * was prepared to wait".
		 */
		s->x = NULL;
		fp_http_rbuf_put(hw, x);
		fp_http_rx_free(s, hw->rxbufs, hw->st);
		fp_http_fail(x, FP_HTTP_R_body_timeout, true);
		return;
	}
	/* A body read and thrown away after its answer (a file asked for
	 * with a body, a refusal that kept the connection) must keep coming
	 * like any body: once it stops for body_timeout_s the connection
	 * closes (the answer went already; no 408).
	 */
	if (x == NULL && s->body_left != 0 && !fp_tcp_sending(c) && !s->closing) {
		if (fp_http_wait_rest(t, c, s, hw->srv->body_ms))
			return;
		fp_count(hw->st, FP_C_http_body_stalled, 1);
		s->closing = 1;
		fp_tcp_shutdown(t, c);
		return;
	}
	/* Still answering: a slow reader of a large body is not idle, but one
	 * that takes nothing for send_timeout_s (a window kept shut, a peer
	 * gone silent) would hold the connection for ever: reset it, as
	 * nginx's send_timeout closes it.
	 */
	if (x != NULL || fp_tcp_sending(c)) {
		if (!fp_tcp_sending(c)) {
			fp_http_arm(t, c, s, hw->keepalive_ms);
		} else if (!fp_http_wait_rest(t, c, s, hw->send_ms)) {
			fp_count(hw->st, FP_C_http_send_timeouts, 1);
			fp_tcp_abort(t, c);
		}
		return;
	}
	if (s->closing)
		return;
	if (fp_http_partial(s)) {
		fp_http_rx_free(s, hw->rxbufs, hw->st);
		fp_http_fail_head(hw, c, s, FP_HTTP_R_header_timeout);
	} else {
		s->closing = 1;
		fp_count(hw->st, FP_C_http_idle_closed, 1);
		fp_tcp_shutdown(t, c);
	}
}

static __rte_hot void
fp_http_closed(void *app, struct fp_tcp_lcore *t, struct fp_tcb *c,
	enum fp_tcp_close why __rte_unused)
{
	struct fp_http_worker *hw = fp_http_hw(t, c);
	struct fp_http_sess *s = app;
	struct fp_http_ctx *x = s->x;

	fp_http_acked(s, true);
	if (x != NULL) {
		uint8_t was = x->state;

		/* Nothing may go out on it now, whatever on_close calls. */
		s->x = NULL;
		x->state = FP_HTTP_X_CLOSED;
		if ((was == FP_HTTP_X_STREAM || was == FP_HTTP_X_UPGRADED ||
				was == FP_HTTP_X_DEFERRED) && x->on_close != NULL)
			x->on_close(x, x->carg);
		fp_http_ctx_end(x, false);
	}
	fp_http_rx_free(s, hw->rxbufs, hw->st);
	memset(s, 0, sizeof(*s));
}

static const struct fp_tcp_ops fp_http_ops = {
	.accept = fp_http_accept,
	.recv = fp_http_recv,
	.fin = fp_http_fin,
	.sent = fp_http_sent,
	.timeout = fp_http_timeout,
	.closed = fp_http_closed,
	.fill = fp_http_fill,
};

static void
fp_http_drain_one(void *arg, struct fp_tcp_lcore *t, struct fp_tcb *c)
{
	struct fp_http_worker *hw = arg;
	struct fp_http_sess *s = c->app;

	if (fp_tcp_conn_ops(t, c) != &fp_http_ops || c->state != FP_TCP_ESTABLISHED ||
			s->closing)
		return;
	/* A request half-read is answered first (with close), by input. */
	if (fp_http_partial(s) || (s->x != NULL && s->x->state == FP_HTTP_X_BODY))
		return;
	/* RFC 9112 9.6: a server closing a persistent connection it has
	 * nothing more to send on.
	 */
	fp_count(hw->st, FP_C_http_drain_closed, 1);
	/* A stream or an upgraded connection ends as its writer says; an
	 * upgraded one that says nothing closes.
	 */
	if (s->x != NULL && fp_http_streaming(s->x)) {
		if (s->x->on_drain != NULL) {
			s->x->close = 1;
			s->x->on_drain(s->x, s->x->darg);
			return;
		}
		if (s->x->state == FP_HTTP_X_UPGRADED) {
			fp_http_stream_end(s->x);
			return;
		}
	}
	s->closing = 1;
	/* A response still being sent goes out whole; the FIN follows it. */
	if (s->x != NULL)
		s->x->close = 1;
	else
		fp_tcp_shutdown(t, c);
}

void
fp_http_drain(struct fp_http_worker *hw)
{
	if (hw->draining)
		return;
	hw->draining = true;
	fp_tcp_drain(hw->tcp);
	fp_tcp_foreach(hw->tcp, fp_http_drain_one, hw);
}

/* Deferred answers. */

int
fp_http_defer(struct fp_http_ctx *x, struct fp_http_handle *h)
{
	if (x->state != FP_HTTP_X_RUN)
		return -EINVAL;
	x->state = FP_HTTP_X_DEFERRED;
	x->s->x = x;
	h->conn = fp_tcp_conn_id(x->hw->tcp, x->c);
	h->gen = x->gen;
	h->seq = x->seq;
	h->worker = x->hw->worker;
	return 0;
}

struct fp_http_ctx *
fp_http_resume(struct fp_http_worker *w, const struct fp_http_handle *h)
{
	struct fp_tcb *c = fp_tcp_conn_get(w->tcp, h->conn, h->gen);
	struct fp_http_sess *s;

	if (c == NULL || fp_tcp_conn_ops(w->tcp, c) != &fp_http_ops)
		return NULL;
	s = c->app;
	if (s->x == NULL || s->x->seq != h->seq || s->x->state != FP_HTTP_X_DEFERRED)
		return NULL;
	return s->x;
}

void
fp_http_finish(struct fp_http_ctx *x)
{
	struct fp_http_worker *hw = x->hw;
	struct fp_tcb *c = x->c;
	struct fp_http_sess *s = x->s;
	uint32_t gen = x->gen;

	if (x->state != FP_HTTP_X_DEFERRED)
		return;
	s->x = NULL;
	x->state = FP_HTTP_X_RUN;
	/* Its timer was the deferral's: the answer being sent has none. */
	x->tfn = NULL;
	fp_http_respond(x);
	if (!fp_tcp_conn_gone(c, gen))
		fp_http_next(hw, c, s);
}

/* A request ended outside the request loop (a deferred answer, a stream's
 * end): what it queued goes out, then the requests that waited behind it
 * are served. Inside a callback or a feed (the handler itself answered),
 * the caller goes on with them and TCP sends at its end.
 */
void
fp_http_next(struct fp_http_worker *hw, struct fp_tcb *c, struct fp_http_sess *s)
{
	uint32_t used, gen = c->gen;

	fp_tcp_push(hw->tcp, c);
	if (fp_tcp_conn_gone(c, gen) || s->x != NULL || s->closing ||
			(c->flags & FP_TCB_IN_CB) || s->feeding)
		return;
	fp_http_feed(hw, c, s, NULL, 0, &used);
	if (!fp_tcp_conn_gone(c, gen))
		fp_tcp_push(hw->tcp, c);
}
