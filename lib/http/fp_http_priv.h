/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The fastpath authors
 */

#ifndef FP_HTTP_PRIV_H
#define FP_HTTP_PRIV_H

/* Shared by fp_http_conn.c (the request loop and TCP's callbacks),
 * fp_http_resp.c (responses and streams) and fp_http_ctx.c (contexts,
 * hooks, the context API, posts and registration) only.
 */

#include "fp_http.h"

/* The longest response head: status line, the server's headers, the
 * handler's (FP_HTTP_XHDR_MAX) and the framing.
 */
#define FP_HTTP_HDR_MAX (FP_HTTP_XHDR_MAX + 512)

/* Lets go of the response body's reference, if the context holds one. */
static inline void
fp_http_body_put(struct fp_http_ctx *x)
{
	if (x->rsh != NULL && x->rsh_ref)
		fp_tcp_sh_put(x->rsh, x->rbody);
	x->rsh = NULL;
	x->rsh_ref = 0;
}

/* x answers with route ri: its status, type, ready head and body. Loaded
 * bodies live as long as the server: no reference to hold.
 */
static inline void
fp_http_use_route(struct fp_http_ctx *x, uint32_t ri)
{
	const struct fp_http_server *srv = x->hw->srv;
	const struct fp_http_route *r = &srv->routes[ri];

	/* A body a handler or hook set before goes. */
	if (unlikely(x->rsh_ref))
		fp_http_body_put(x);
	x->status = r->status;
	x->type = r->content_type;
	x->tmpl = ri;
	x->rbody = r->body;
	x->riova = r->body_iova;
	x->rlen = r->body_len;
	x->roff = 0;
	x->rsh = fp_http_shinfo(srv, x->hw->worker, ri);
}

/* The head variant of an answer that closes or not, to an HTTP/1.minor
 * request.
 */
static inline unsigned int
fp_http_variant_of(bool close, uint8_t minor)
{
	return close ? FP_HTTP_V_CLOSE : minor == 0 ? FP_HTTP_V_KEEP10 : FP_HTTP_V_KEEP;
}

static inline unsigned int
fp_http_variant(const struct fp_http_ctx *x)
{
	return fp_http_variant_of(x->close, x->minor);
}

/* A stream or an upgraded connection: the handler writes, later. */
static inline bool
fp_http_streaming(const struct fp_http_ctx *x)
{
	return x->state == FP_HTTP_X_STREAM || x->state == FP_HTTP_X_UPGRADED;
}

/* A request in progress that holds back the requests behind it: anything
 * but one whose body is being read, or a connection that speaks another
 * protocol now.
 */
static inline bool
fp_http_holds(const struct fp_http_ctx *x)
{
	return x->state != FP_HTTP_X_BODY && x->state != FP_HTTP_X_UPGRADED;
}

/* Where the first percent escape of path p is: p->len when it has none. */
static inline uint32_t
fp_http_first_escape(const struct fp_http_slice *p)
{
	uint32_t i;

	/* Most paths are short: a loop beats calling memchr. */
	for (i = 0; i < p->len && p->p[i] != '%'; i++)
		;
	return i;
}

/* A reply buffer, its count at 0 (the body's reference makes it 1); NULL
 * when none is free.
 */
static inline struct fp_http_obuf *
fp_http_obuf_get(struct fp_http_worker *hw)
{
	struct fp_http_obuf *o;

	if (hw->nb_obuf_free == 0)
		return NULL;
	o = &hw->obufs[hw->obuf_free[--hw->nb_obuf_free]];
	fp_gauge_add(hw->st, FP_G_http_reply_buffers, 1);
	rte_mbuf_ext_refcnt_set(&o->sh, 0);
	return o;
}

/* Gives back a reply buffer nobody references. */
static inline void
fp_http_obuf_put(struct fp_http_worker *hw, struct fp_http_obuf *o)
{
	hw->obuf_free[hw->nb_obuf_free++] = o->idx;
	fp_gauge_add(hw->st, FP_G_http_reply_buffers, -1);
}

/* fp_http_ctx.c */
struct fp_http_ctx *
fp_http_ctx_get(struct fp_http_worker *hw, struct fp_tcb *c, struct fp_http_sess *s);
/* A body buffer from the worker's pool, empty; NULL when none is free. */
struct fp_http_rbuf *
fp_http_rbuf_get(struct fp_http_worker *hw);
void
fp_http_rbuf_put(struct fp_http_worker *hw, struct fp_http_ctx *x);
void
fp_http_ctx_end(struct fp_http_ctx *x, bool completed);
void
fp_http_hooks(struct fp_http_ctx *x, enum fp_http_phase ph, bool may_end, int *verdict);

/* Queues route r's ready answer, its head (template t) and, when body, its
 * body, all or nothing, and counts its status; false, having done nothing,
 * when they do not fit now. The one function that queues a file's answer,
 * with a context or without.
 */
bool
fp_http_answer_file(struct fp_http_worker *hw, struct fp_tcb *c,
	const struct fp_http_route *r, unsigned int t, bool body);

/* fp_http_ops.fill: writes part of a template head queued by
 * fp_http_head_tmpl() (key the route, aux the variant and the second).
 */
void
fp_http_fill(void *arg, const void *key, uint64_t aux, uint32_t off, void *dst, uint32_t len);

/* fp_http.c: appends the representation fields of route r (Vary, ETag,
 * Last-Modified; full: Content-Encoding and Accept-Ranges too) to x's
 * extra header lines, when they fit.
 */
void
fp_http_rep_fields(struct fp_http_ctx *x, const struct fp_http_route *r, bool full);

/* fp_http_resp.c */
void
fp_http_respond(struct fp_http_ctx *x);
__rte_cold void
fp_http_fail(struct fp_http_ctx *x, uint8_t reason, bool close);
__rte_cold void
fp_http_fail_bare(struct fp_http_worker *hw, struct fp_tcb *c, struct fp_http_sess *s,
	uint16_t status);
__rte_cold void
fp_http_fail_head(struct fp_http_worker *hw, struct fp_tcb *c, struct fp_http_sess *s,
	uint8_t reason);
bool
fp_http_pump_body(struct fp_http_ctx *x);
void
fp_http_sent_all(struct fp_http_ctx *x);
void
fp_http_acked(struct fp_http_sess *s, bool all);

/* fp_http_conn.c */
bool
fp_http_feed(struct fp_http_worker *hw, struct fp_tcb *c, struct fp_http_sess *s,
	const char *data, uint32_t len, uint32_t *used);
void
fp_http_next(struct fp_http_worker *hw, struct fp_tcb *c, struct fp_http_sess *s);

#endif /* FP_HTTP_PRIV_H */
