/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The fastpath authors
 */

#ifndef FP_HTTP_API_H
#define FP_HTTP_API_H

/* Handlers and middleware: what a C program embedding fastpath registers,
 * in the manner of h2o's handlers and filters. Everything is registered on
 * the server before the workers launch and only read afterwards. Handlers
 * and hooks run on the worker that owns the connection, to completion: they
 * never block. Slow work goes to another thread and comes back through
 * fp_http_post() with a handle.
 *
 * A request's context (struct fp_http_ctx) is the same object whatever the
 * answer: a whole response, a stream written later, or a deferred one.
 * The method, the body and the user pointer last as long as the context;
 * the target, path, query, headers and parameters point into the received
 * bytes and are valid only while the handler (or hook) runs: a handler
 * that defers or streams copies what it needs of them.
 */

#include <stdbool.h>
#include <stdint.h>
#include <sys/uio.h>

#include <rte_mbuf.h>

#include "fp_http_parse.h"

struct fp_http_server;
struct fp_http_worker;
struct fp_http_ctx;

/* What a handler or hook returns. */
enum fp_http_verdict {
	FP_HTTP_NEXT = -1,	/* handler: not mine, as if no route matched (404) */
	FP_HTTP_CONTINUE = 0,	/* hook: go on to the next hook and the handler */
	FP_HTTP_DONE = 1,	/* the response is set: send it */
	FP_HTTP_ASYNC = 2,	/* deferred (fp_http_defer) or streaming (fp_http_stream) */
};

typedef int (*fp_http_handler_fn)(struct fp_http_ctx *x, void *arg);

/* Where a hook runs. */
enum fp_http_phase {
	FP_HTTP_ON_REQUEST,	/* before routing: may answer (auth, redirect, limits) */
	FP_HTTP_BEFORE_HANDLER,	/* routed, body read, just before the handler */
	FP_HTTP_ON_RESPONSE,	/* status and headers set, before they are sent */
	FP_HTTP_ON_COMPLETE,	/* last byte acknowledged, or the connection ended */
	FP_HTTP_PHASE_MAX
};

/* Serves pattern for the methods in the mask (FP_HTTP_MB(FP_HTTP_M_GET) |
 * ...): exact ("/health"), with parameters ("/hello/{name}") or a prefix
 * ("/static/" followed by "*"). Exact beats parameters beats prefixes. A
 * path some route matches but not for the method gets 405 with Allow; no
 * route, 404. Returns 0 or a negative errno (-EINVAL for a bad pattern,
 * -EEXIST, -EBUSY once the server runs).
 */
int
fp_http_route(struct fp_http_server *srv, uint32_t methods, const char *pattern,
	fp_http_handler_fn fn, void *arg);

/* Runs fn at phase for every request, lower priority first. A hook
 * returns FP_HTTP_CONTINUE, or ends the request with the response it set
 * (FP_HTTP_DONE). ON_RESPONSE hooks may change the status and headers;
 * ON_COMPLETE hooks only observe (fp_http_ctx_status, fp_http_ctx_completed).
 */
int
fp_http_hook(struct fp_http_server *srv, enum fp_http_phase phase, int priority,
	fp_http_handler_fn fn, void *arg);

/* The request. */
int
fp_http_ctx_method(const struct fp_http_ctx *x);	/* enum fp_http_meth */
struct fp_http_slice
fp_http_ctx_target(const struct fp_http_ctx *x);
struct fp_http_slice
fp_http_ctx_path(const struct fp_http_ctx *x);		/* percent-decoded */
struct fp_http_slice
fp_http_ctx_query(const struct fp_http_ctx *x);		/* after '?', or empty */
/* The value of header name (any case), the first of several; false when
 * absent.
 */
bool
fp_http_ctx_header(const struct fp_http_ctx *x, const char *name, struct fp_http_slice *value);
/* A {name} segment of the route's pattern; an empty slice when absent. */
struct fp_http_slice
fp_http_ctx_param(const struct fp_http_ctx *x, const char *name);
/* What a prefix route's "*" matched. */
struct fp_http_slice
fp_http_ctx_rest(const struct fp_http_ctx *x);
/* The request body, decoded (Content-Length or chunked). */
struct fp_http_slice
fp_http_ctx_body(const struct fp_http_ctx *x);
uint32_t
fp_http_ctx_peer_ip(const struct fp_http_ctx *x);	/* network order */
uint16_t
fp_http_ctx_peer_port(const struct fp_http_ctx *x);	/* host order */
unsigned int
fp_http_ctx_lcore(const struct fp_http_ctx *x);
/* One pointer for the request's hooks and handler to share. */
void **
fp_http_ctx_user(struct fp_http_ctx *x);

/* The response. */
void
fp_http_set_status(struct fp_http_ctx *x, uint16_t status);
uint16_t
fp_http_ctx_status(const struct fp_http_ctx *x);
/* Adds a header line. The server's own (Content-Length, Transfer-Encoding,
 * Connection, Date, Server, and Content-Type: see fp_http_set_type) are
 * refused, and so are a name that is not a token and a value with CR or
 * LF. Returns 0, -EINVAL or -ENOSPC (FP_HTTP_XHDR_MAX bytes in all).
 */
int
fp_http_add_header(struct fp_http_ctx *x, const char *name, const char *value);
/* Sets the Content-Type. */
void
fp_http_set_type(struct fp_http_ctx *x, const char *type);
/* The body: len bytes copied now. Returns 0 or -ENOSPC. */
int
fp_http_set_body(struct fp_http_ctx *x, const void *data, uint32_t len);
/* The body by reference, sent without a copy: the bytes stay valid until
 * sh's reference count (one is taken here) drops to zero and its free_cb
 * runs. A body that lives for ever can use an sh whose count never drops.
 */
void
fp_http_set_body_ref(struct fp_http_ctx *x, const void *addr, rte_iova_t iova, uint32_t len,
	struct rte_mbuf_ext_shared_info *sh);
/* Lets this response's body be compressed on the fly: gzip at [http]
 * dynamic_level, when the body is at least [http] dynamic_min bytes, its
 * Content-Type compressible (never text/event-stream), the status 200 and
 * the request's Accept-Encoding takes gzip; Vary: Accept-Encoding goes
 * with it either way. The compressed body takes a reply buffer (16 KB);
 * when none is free, or it saves less than 10%, the body goes as it is.
 * Off unless called, from the handler (it reads the request). Returns 0,
 * or -EINVAL when no handler runs.
 */
int
fp_http_compress(struct fp_http_ctx *x);
/* A whole error answer: status, a short text body, and Connection: close
 * when close is set.
 */
void
fp_http_set_error(struct fp_http_ctx *x, uint16_t status, bool close);
/* True once the response went out whole and was acknowledged (for
 * ON_COMPLETE hooks: false when the connection ended first).
 */
bool
fp_http_ctx_completed(const struct fp_http_ctx *x);

/* Streams: the handler sends the status and headers now and the body in
 * pieces later (chunked on HTTP/1.1, until close on HTTP/1.0). writable is
 * called, on the worker, when the connection can take more after a write
 * returned short; NULL for none. Returns 0 (then the handler returns
 * FP_HTTP_ASYNC), -EINVAL when the context is not running a handler, or
 * -EPIPE when the head could not be queued (the connection was reset).
 */
int
fp_http_stream(struct fp_http_ctx *x, void (*writable)(struct fp_http_ctx *x, void *arg),
	void *arg);
/* Writes len bytes (copied). Returns the bytes taken, which may be short,
 * -EAGAIN when nothing fits now (writable comes later), or -EPIPE when the
 * connection is gone.
 */
int
fp_http_write(struct fp_http_ctx *x, const void *data, uint32_t len);
/* Writes len bytes whole, or nothing: len, -EAGAIN when they do not all
 * fit now (writable comes later), or -EPIPE. For framed streams (SSE
 * events) whose pieces must not be cut.
 */
int
fp_http_write_all(struct fp_http_ctx *x, const void *data, uint32_t len);
/* Writes the nb buffers of iov (copied) back to back, whole or nothing:
 * one room check for all, so that a frame's header and its payload never go
 * apart. Returns the bytes, -EAGAIN (writable comes later) or -EPIPE.
 */
int
fp_http_writev_all(struct fp_http_ctx *x, const struct iovec *iov, unsigned int nb);
/* Ends the stream; the context is not to be used after. */
void
fp_http_stream_end(struct fp_http_ctx *x);
/* Called, on the worker, when the server starts a graceful shutdown while
 * the stream (or upgraded connection) runs: a stream with no end of its
 * own (events, a feed, a WebSocket) ends itself there. Without it a stream
 * goes on, and the shutdown waits for it up to [shutdown] drain_s; an
 * upgraded connection closes once what was written has gone.
 */
void
fp_http_on_drain(struct fp_http_ctx *x, void (*fn)(struct fp_http_ctx *x, void *arg), void *arg);
/* Called, on the worker, when a stream's connection ended before its end. */
void
fp_http_on_close(struct fp_http_ctx *x, void (*fn)(struct fp_http_ctx *x, void *arg),
	void *arg);

/* A timer of the context's own, for a stream, an upgraded connection or a
 * deferred answer (heartbeats, a close handshake's wait): fn runs on the
 * worker ms from now, once. Setting it again replaces it; fn NULL stops
 * it. Returns 0, or -EINVAL in any other state.
 */
int
fp_http_ctx_timer(struct fp_http_ctx *x, uint32_t ms, void (*fn)(struct fp_http_ctx *x, void *arg),
	void *arg);

/* Upgrades (RFC 9110 7.8): the handler answers 101 Switching Protocols and
 * the connection carries another protocol from then on, through the same
 * context (lib/ws does WebSocket this way). Writes go out as they are
 * (fp_http_write, fp_http_write_all: no chunk framing), writable and
 * fp_http_on_close() work as for streams, and fp_http_stream_end() closes
 * the connection once what was written has gone.
 */
struct fp_http_upgrade_ops {
	/* Bytes received after the request, in order, all taken. data is the
	 * receiver's own: it may be changed in place (WebSocket unmasks it)
	 * but not kept after the call.
	 */
	void (*recv)(struct fp_http_ctx *x, void *arg, uint8_t *data, uint32_t len);
	/* The client closed its direction: nothing more will come. NULL:
	 * the server closes too.
	 */
	void (*fin)(struct fp_http_ctx *x, void *arg);
};

/* Sends 101 with "Upgrade: protocol", the headers added to x, and
 * Connection: Upgrade; bytes after the request go to ops from now on.
 * Returns 0 (the handler then returns FP_HTTP_ASYNC), -EINVAL when the
 * context is not running a handler or protocol is not a token, -EPROTO for
 * an HTTP/1.0 request (RFC 9110 7.8 is HTTP/1.1's), -ESHUTDOWN while the
 * server drains, or -EPIPE when the head could not be queued.
 */
int
fp_http_upgrade(struct fp_http_ctx *x, const char *protocol,
	const struct fp_http_upgrade_ops *ops, void *arg);

/* Bytes an upgraded connection's protocol may keep its state in, in the
 * context itself (8-byte aligned): no pool of its own to size.
 */
#define FP_HTTP_UPGRADE_STATE 768

void *
fp_http_upgrade_state(struct fp_http_ctx *x);

/* Sets the function called, on the worker, when a stream or an upgraded
 * connection can take more after a write returned short.
 */
void
fp_http_on_writable(struct fp_http_ctx *x, void (*fn)(struct fp_http_ctx *x, void *arg),
	void *arg);

/* Bytes a write of a stream or an upgraded connection takes now (framing
 * set aside); 0 when none.
 */
uint32_t
fp_http_write_room(struct fp_http_ctx *x);

/* A buffer of the worker's body buffers ([http] body_buffers, max_body
 * bytes and more), held by the context until it ends or
 * fp_http_ctx_buffer_put(): for what a protocol gathers over segments (a
 * WebSocket message). NULL when none is free. *cap is its size.
 */
uint8_t *
fp_http_ctx_buffer(struct fp_http_ctx *x, uint32_t *cap);

void
fp_http_ctx_buffer_put(struct fp_http_ctx *x);

/* Writes len bytes at addr (IOVA iova) by reference, whole or not at all,
 * on a stream (one chunk) or an upgraded connection: they go out attached,
 * never copied, holding a reference of sh until acknowledged (one bump of
 * sh's count per piece, on this worker). For bytes many connections send,
 * such as a channel's message. With more, nothing is sent yet: several
 * writes then leave in as few segments as fp_http_push() can make of them.
 * Returns 0, -EAGAIN (writable comes later) or -EPIPE.
 */
int
fp_http_write_ref(struct fp_http_ctx *x, const void *addr, rte_iova_t iova, uint32_t len,
	struct rte_mbuf_ext_shared_info *sh, bool more);

/* Sends what the writes with more queued (nothing inside TCP's callbacks,
 * which send at their end).
 */
void
fp_http_push(struct fp_http_ctx *x);

/* Bytes written on x's connection and not yet acknowledged. */
uint32_t
fp_http_ctx_backlog(const struct fp_http_ctx *x);

/* x's index in its worker's pool of contexts, below
 * fp_http_server_contexts(): for side tables of the layers above.
 */
uint32_t
fp_http_ctx_id(const struct fp_http_ctx *x);

uint32_t
fp_http_server_contexts(const struct fp_http_server *srv);

/* The worker x runs on, from 0: the index fp_http_post() handles take. */
unsigned int
fp_http_ctx_worker(const struct fp_http_ctx *x);

unsigned int
fp_http_worker_id(const struct fp_http_worker *w);

/* The worker's counters, for the layers above HTTP (lib/ws, lib/sse). */
struct fp_stats *
fp_http_ctx_stats(const struct fp_http_ctx *x);

/* Deferred answers: a handle that names the request across threads. */
struct fp_http_handle {
	uint32_t conn;		/* connection slot */
	uint32_t gen;		/* its generation */
	uint32_t seq;		/* the request on that connection */
	uint16_t worker;
};

/* Keeps the request open after the handler returns FP_HTTP_ASYNC. Returns
 * 0 and fills h, or -EINVAL when the context is not running a handler.
 */
int
fp_http_defer(struct fp_http_ctx *x, struct fp_http_handle *h);

/* From any thread: runs fn(w, arg) on the worker h names, soon. Returns 0,
 * -ENOBUFS when that worker's queue (FP_HTTP_POSTS - 1 messages) is full,
 * or -EINVAL for a handle of no worker.
 */
int
fp_http_post(struct fp_http_server *srv, const struct fp_http_handle *h,
	void (*fn)(struct fp_http_worker *w, const struct fp_http_handle *h, void *arg),
	void *arg);

/* On the worker, in a posted function: the deferred request h names, or
 * NULL when its connection ended meanwhile (then nothing is to be sent).
 */
struct fp_http_ctx *
fp_http_resume(struct fp_http_worker *w, const struct fp_http_handle *h);

/* Sends the response a resumed context holds; the context is not to be
 * used after.
 */
void
fp_http_finish(struct fp_http_ctx *x);

#endif /* FP_HTTP_API_H */
