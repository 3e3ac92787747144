/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The fastpath authors
 */

/* Contexts: the per-worker pool, hooks, the context API of fp_http_api.h,
 * posts from other threads, and registration.
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

#include "fp_http_priv.h"

/* Contexts. */

struct fp_http_ctx *
fp_http_ctx_get(struct fp_http_worker *hw, struct fp_tcb *c, struct fp_http_sess *s)
{
	struct fp_http_ctx *x;

	if (unlikely(hw->nb_ctx_free == 0))
		return NULL;
	x = &hw->ctx[hw->ctx_free[--hw->nb_ctx_free]];
	fp_gauge_add(hw->st, FP_G_http_contexts, 1);
	/* The request's own fields (info, path, match) are written before
	 * they are read: only the response's few are cleared.
	 */
	memset(x, 0, offsetof(struct fp_http_ctx, reset_end));
	x->hw = hw;
	x->c = c;
	x->s = s;
	x->gen = c->gen;
	x->seq = ++s->seq;
	x->tmpl = -1;
	x->minor = 1;
	x->state = FP_HTTP_X_RUN;
	return x;
}

struct fp_http_rbuf *
fp_http_rbuf_get(struct fp_http_worker *hw)
{
	struct fp_http_rbuf *rb;

	if (hw->nb_rbuf_free == 0)
		return NULL;
	rb = (struct fp_http_rbuf *)(hw->rbufs + hw->rbuf_size * hw->rbuf_free[--hw->nb_rbuf_free]);
	rb->idx = ((uint8_t *)rb - hw->rbufs) / hw->rbuf_size;
	rb->head_len = 0;
	rb->body_len = 0;
	fp_gauge_add(hw->st, FP_G_http_body_buffers, 1);
	return rb;
}

void
fp_http_rbuf_put(struct fp_http_worker *hw, struct fp_http_ctx *x)
{
	if (x->rb == NULL)
		return;
	hw->rbuf_free[hw->nb_rbuf_free++] = x->rb->idx;
	x->rb = NULL;
	fp_gauge_add(hw->st, FP_G_http_body_buffers, -1);
}

/* The request is over: ON_COMPLETE hooks, then the context goes back. */
void
fp_http_ctx_end(struct fp_http_ctx *x, bool completed)
{
	struct fp_http_worker *hw = x->hw;
	int v;

	/* The request's bytes are gone by now: hooks here only observe the
	 * status and whether the answer went out whole.
	 */
	if (hw->srv->nb_hooks[FP_HTTP_ON_COMPLETE] != 0) {
		x->req = NULL;
		x->path.p = NULL;
		x->path.len = 0;
		x->m.nb_params = 0;
		x->m.rest = x->path;
		x->completed = completed;
		fp_http_hooks(x, FP_HTTP_ON_COMPLETE, false, &v);
	}
	if (x->rsh_ref)
		fp_http_body_put(x);
	if (x->rb != NULL)
		fp_http_rbuf_put(hw, x);
	if (x->s->x == x)
		x->s->x = NULL;
	x->state = FP_HTTP_X_FREE;
	hw->ctx_free[hw->nb_ctx_free++] = x - hw->ctx;
	fp_gauge_add(hw->st, FP_G_http_contexts, -1);
}

/* Hooks. */

void
fp_http_hooks(struct fp_http_ctx *x, enum fp_http_phase ph, bool may_end, int *verdict)
{
	const struct fp_http_server *srv = x->hw->srv;
	unsigned int i;
	int v;

	*verdict = FP_HTTP_CONTINUE;
	for (i = 0; i < srv->nb_hooks[ph]; i++) {
		v = srv->hooks[ph][i].fn(x, srv->hooks[ph][i].arg);
		if (v == FP_HTTP_DONE && may_end) {
			*verdict = v;
			return;
		}
	}
}

/* The context API (fp_http_api.h). */

int
fp_http_ctx_method(const struct fp_http_ctx *x)
{
	return x->info.method;
}

struct fp_http_slice
fp_http_ctx_target(const struct fp_http_ctx *x)
{
	struct fp_http_slice none = { NULL, 0 };

	return x->req != NULL ? x->req->target : none;
}

struct fp_http_slice
fp_http_ctx_path(const struct fp_http_ctx *x)
{
	return x->path;
}

struct fp_http_slice
fp_http_ctx_query(const struct fp_http_ctx *x)
{
	struct fp_http_slice q = { NULL, 0 };
	const char *p;

	/* Found when asked: most handlers never do. */
	if (x->req == NULL)
		return q;
	p = memchr(x->req->target.p, '?', x->req->target.len);
	if (p != NULL) {
		q.p = p + 1;
		q.len = x->req->target.p + x->req->target.len - q.p;
	}
	return q;
}

bool
fp_http_ctx_header(const struct fp_http_ctx *x, const char *name, struct fp_http_slice *value)
{
	size_t n = strlen(name);
	uint16_t i;

	if (x->req == NULL)
		return false;
	for (i = 0; i < x->req->nb_headers; i++) {
		const struct fp_http_header *h = &x->req->headers[i];

		if (h->name.len == n && strncasecmp(h->name.p, name, n) == 0) {
			*value = h->value;
			return true;
		}
	}
	return false;
}

struct fp_http_slice
fp_http_ctx_param(const struct fp_http_ctx *x, const char *name)
{
	struct fp_http_slice none = { NULL, 0 };
	size_t n = strlen(name);
	unsigned int i;

	for (i = 0; i < x->m.nb_params; i++)
		if (x->m.params[i].name.len == n && memcmp(x->m.params[i].name.p, name, n) == 0)
			return x->m.params[i].value;
	return none;
}

struct fp_http_slice
fp_http_ctx_rest(const struct fp_http_ctx *x)
{
	return x->m.rest;
}

struct fp_http_slice
fp_http_ctx_body(const struct fp_http_ctx *x)
{
	return x->body;
}

uint32_t
fp_http_ctx_peer_ip(const struct fp_http_ctx *x)
{
	return x->c->raddr;
}

uint16_t
fp_http_ctx_peer_port(const struct fp_http_ctx *x)
{
	return rte_be_to_cpu_16(x->c->rport);
}

unsigned int
fp_http_ctx_lcore(const struct fp_http_ctx *x)
{
	return x->hw->lcore;
}

void **
fp_http_ctx_user(struct fp_http_ctx *x)
{
	return &x->user;
}

void
fp_http_set_status(struct fp_http_ctx *x, uint16_t status)
{
	x->status = status;
}

uint16_t
fp_http_ctx_status(const struct fp_http_ctx *x)
{
	return x->status;
}

bool
fp_http_ctx_completed(const struct fp_http_ctx *x)
{
	return x->completed;
}

/* A token (RFC 9110 5.6.2) and a value without CR, LF or NUL. */
static bool
fp_http_field_ok(const char *name, const char *value)
{
	static const char *const framing[] = {
		"content-length", "transfer-encoding", "connection", "date", "server",
		"content-type",
	};
	const char *p;
	unsigned int i;

	if (name[0] == '\0')
		return false;
	for (p = name; *p != '\0'; p++)
		if (*p <= ' ' || *p >= 0x7f || strchr("\"(),/:;<=>?@[\\]{}", *p) != NULL)
			return false;
	for (p = value; *p != '\0'; p++)
		if (*p == '\r' || *p == '\n')
			return false;
	for (i = 0; i < RTE_DIM(framing); i++)
		if (strcasecmp(name, framing[i]) == 0)
			return false;
	return true;
}

int
fp_http_add_header(struct fp_http_ctx *x, const char *name, const char *value)
{
	size_t nl = strlen(name), vl = strlen(value);

	if (!fp_http_field_ok(name, value))
		return -EINVAL;
	if (x->xlen + nl + vl + 4 > sizeof(x->xhdr))
		return -ENOSPC;
	memcpy(x->xhdr + x->xlen, name, nl);
	x->xhdr[x->xlen + nl] = ':';
	x->xhdr[x->xlen + nl + 1] = ' ';
	memcpy(x->xhdr + x->xlen + nl + 2, value, vl);
	memcpy(x->xhdr + x->xlen + nl + 2 + vl, "\r\n", 2);
	x->xlen += nl + vl + 4;
	return 0;
}

void
fp_http_set_type(struct fp_http_ctx *x, const char *type)
{
	x->type = type;
}

void
fp_http_set_body_ref(struct fp_http_ctx *x, const void *addr, rte_iova_t iova, uint32_t len,
	struct rte_mbuf_ext_shared_info *sh)
{
	fp_http_body_put(x);
	rte_mbuf_ext_refcnt_update(sh, 1);
	x->rsh_ref = 1;
	x->rbody = addr;
	x->riova = iova;
	x->rlen = len;
	x->roff = 0;
	x->rsh = sh;
	x->tmpl = -1;
}

int
fp_http_set_body(struct fp_http_ctx *x, const void *data, uint32_t len)
{
	struct fp_http_worker *hw = x->hw;
	struct fp_http_obuf *o;

	if (len > FP_HTTP_OBUF)
		return -ENOSPC;
	if (len == 0) {
		fp_http_set_body_ref(x, NULL, 0, 0, fp_http_shinfo(hw->srv, hw->worker,
			hw->srv->err_route[FP_HTTP_E500]));
		return 0;
	}
	o = fp_http_obuf_get(hw);
	if (o == NULL)
		return -ENOSPC;
	memcpy(o->data, data, len);
	fp_http_set_body_ref(x, o->data, o->iova, len, &o->sh);
	return 0;
}

int
fp_http_compress(struct fp_http_ctx *x)
{
	struct fp_http_cond c;

	if (x->state != FP_HTTP_X_RUN || x->req == NULL)
		return -EINVAL;
	/* The same reading of Accept-Encoding as the files' (a malformed one
	 * is as if absent).
	 */
	fp_http_cond_scan(x->req, &c);
	x->deflate = fp_http_ae_choose(&c.ae, 1u << FP_HTTP_CE_GZIP) == FP_HTTP_CE_GZIP ? 2 : 1;
	return 0;
}

/* What other threads post. */
struct fp_http_post_msg {
	void (*fn)(struct fp_http_worker *w, const struct fp_http_handle *h, void *arg);
	void *arg;
	struct fp_http_handle h;
};

int
fp_http_post(struct fp_http_server *srv, const struct fp_http_handle *h,
	void (*fn)(struct fp_http_worker *w, const struct fp_http_handle *h, void *arg),
	void *arg)
{
	struct fp_http_post_msg *m;

	if (h->worker >= srv->nb_workers || srv->posts == NULL)
		return -EINVAL;
	if (rte_mempool_get(srv->post_pool, (void **)&m) != 0)
		return -ENOBUFS;
	m->fn = fn;
	m->arg = arg;
	m->h = *h;
	if (rte_ring_mp_enqueue(srv->posts[h->worker], m) != 0) {
		rte_mempool_put(srv->post_pool, m);
		return -ENOBUFS;
	}
	return 0;
}

void
fp_http_poll(struct fp_http_worker *hw)
{
	struct fp_http_post_msg *m;
	unsigned int n;
	void *p;

	if (hw->posts == NULL || likely(rte_ring_empty(hw->posts)))
		return;
	/* What was there on entry: a function that posts to its own worker
	 * (to go on after the next receive poll) runs next time.
	 */
	n = rte_ring_count(hw->posts);
	while (n-- != 0 && rte_ring_sc_dequeue(hw->posts, &p) == 0) {
		m = p;
		m->fn(hw, &m->h, m->arg);
		rte_mempool_put(hw->srv->post_pool, m);
	}
}

/* Registration. */

int
fp_http_route(struct fp_http_server *srv, uint32_t methods, const char *pattern,
	fp_http_handler_fn fn, void *arg)
{
	int ret;

	if (srv->started)
		return -EBUSY;
	ret = fp_http_router_add(srv->router, methods, pattern, (void *)fn, arg);
	if (ret == 0)
		srv->nb_routes_user++;
	return ret;
}

int
fp_http_hook(struct fp_http_server *srv, enum fp_http_phase phase, int priority,
	fp_http_handler_fn fn, void *arg)
{
	struct fp_http_hook_ent *h;
	unsigned int i;

	if (srv->started)
		return -EBUSY;
	if (phase >= FP_HTTP_PHASE_MAX || fn == NULL)
		return -EINVAL;
	if (srv->nb_hooks[phase] == FP_HTTP_HOOKS_MAX)
		return -ENOSPC;
	h = srv->hooks[phase];
	/* Sorted by priority; equal ones keep their order. */
	for (i = srv->nb_hooks[phase]; i > 0 && h[i - 1].prio > priority; i--)
		h[i] = h[i - 1];
	h[i].prio = priority;
	h[i].fn = fn;
	h[i].arg = arg;
	srv->nb_hooks[phase]++;
	return 0;
}

/* What the layers above HTTP use. */

int
fp_http_ctx_timer(struct fp_http_ctx *x, uint32_t ms, void (*fn)(struct fp_http_ctx *x, void *arg),
	void *arg)
{
	struct fp_http_worker *hw = x->hw;
	uint32_t wait;

	if ((!fp_http_streaming(x) && x->state != FP_HTTP_X_DEFERRED) ||
			fp_tcp_conn_gone(x->c, x->gen))
		return -EINVAL;
	/* Deadlines are compared as signed 32-bit times: 24 days at most. */
	ms = RTE_MIN(ms, (uint32_t)INT32_MAX / 2);
	x->tfn = ms != 0 ? fn : NULL;
	x->targ = arg;
	x->t_at = hw->tcp->now_ms + ms;
	/* The connection's one timer wakes for whichever comes first (what
	 * it was armed for before is found again when it fires): a sooner
	 * deadline already armed stays.
	 */
	wait = RTE_MAX(1u, RTE_MIN(ms, hw->lazy_ms));
	if (x->tfn != NULL && (x->c->t_app == 0 ||
			(int32_t)(x->c->t_app - (hw->tcp->now_ms + wait)) > 0))
		fp_tcp_set_timer(hw->tcp, x->c, wait);
	return 0;
}

uint8_t *
fp_http_ctx_buffer(struct fp_http_ctx *x, uint32_t *cap)
{
	struct fp_http_worker *hw = x->hw;
	struct fp_http_rbuf *rb = x->rb;

	if (rb == NULL) {
		rb = fp_http_rbuf_get(hw);
		if (rb == NULL)
			return NULL;
		x->rb = rb;
	}
	*cap = hw->rbuf_size - sizeof(*rb);
	return (uint8_t *)rb->data;
}

void
fp_http_ctx_buffer_put(struct fp_http_ctx *x)
{
	fp_http_rbuf_put(x->hw, x);
}

struct fp_stats *
fp_http_ctx_stats(const struct fp_http_ctx *x)
{
	return x->hw->st;
}

uint32_t
fp_http_ctx_backlog(const struct fp_http_ctx *x)
{
	if (fp_tcp_conn_gone(x->c, x->gen))
		return 0;
	return fp_tcp_bytes_queued(x->c) - fp_tcp_bytes_acked(x->c);
}

uint32_t
fp_http_ctx_id(const struct fp_http_ctx *x)
{
	return x - x->hw->ctx;
}

uint32_t
fp_http_server_contexts(const struct fp_http_server *srv)
{
	return srv->nb_ctx;
}

unsigned int
fp_http_ctx_worker(const struct fp_http_ctx *x)
{
	return x->hw->worker;
}

unsigned int
fp_http_worker_id(const struct fp_http_worker *w)
{
	return w->worker;
}
