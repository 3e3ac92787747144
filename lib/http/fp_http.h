/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The fastpath authors
 */

#ifndef FP_HTTP_H
#define FP_HTTP_H

#include <stdbool.h>
#include <stdint.h>

#include <rte_mbuf.h>
#include <rte_mempool.h>

#include "fp_common.h"
#include "fp_config.h"
#include "fp_http_api.h"
#include "fp_http_chunked.h"
#include "fp_http_cond.h"
#include "fp_http_parse.h"
#include "fp_http_router.h"
#include "fp_stats.h"
#include "fp_tcp.h"

/* How a response ends its headers, which decides what the connection does. */
enum fp_http_variant {
	FP_HTTP_V_KEEP,		/* HTTP/1.1 persistent: no Connection header */
	FP_HTTP_V_KEEP10,	/* HTTP/1.0 persistent: Connection: keep-alive */
	FP_HTTP_V_CLOSE,	/* Connection: close, then FIN */
	FP_HTTP_V_MAX
};

/* IMF-fixdate, e.g. "Sun, 06 Nov 1994 08:49:37 GMT". */
#define FP_HTTP_DATE_LEN 29

/* Head templates of a route: its own status in each enum fp_http_variant,
 * then a 304's (FP_HTTP_T_304 + variant), for routes with validators.
 */
#define FP_HTTP_T_304 FP_HTTP_V_MAX
#define FP_HTTP_T_MAX (2 * FP_HTTP_V_MAX)

/* A strong entity tag with its quotes: 16 hex digits and "-gz" or "-br". */
#define FP_HTTP_ETAG_MAX 24

/* Something the server answers with: a loaded file, a variant of one (its
 * gzip or brotli body), a configured route or an error page. Everything
 * here is built at start and then only read.
 */
struct fp_http_route {
	const uint8_t *body;		/* hugepage memory, shared by all workers */
	rte_iova_t body_iova;
	uint32_t body_len;
	uint16_t status;
	uint16_t body_sum;		/* fp_cksum_raw() of the body */
	uint16_t hdr_len[FP_HTTP_T_MAX];
	uint16_t date_off[FP_HTTP_T_MAX];
	char *hdr[FP_HTTP_T_MAX];	/* header templates, Date to be patched in */
	char *path;			/* NULL for variants and error pages */
	const char *content_type;
	char *file;			/* read from; NULL for a configured body */
	int64_t mtime;			/* Last-Modified; 0 for none */
	uint32_t base;			/* the identity route: its path, its hits */
	uint32_t alt[FP_HTTP_CE_MAX];	/* the variants' routes, where avail says */
	uint8_t avail;			/* 1 << enum fp_http_coding of the variants */
	uint8_t coding;			/* enum fp_http_coding of this body */
	uint8_t etag_len;		/* 0: no validators, no ranges */
	uint8_t body_shared;		/* another route's body (not freed with it) */
	char etag[FP_HTTP_ETAG_MAX];
};

/* Error pages, one route each. */
#define FP_HTTP_ERRORS(X) \
	X(400, "Bad Request") \
	X(401, "Unauthorized") \
	X(403, "Forbidden") \
	X(404, "Not Found") \
	X(405, "Method Not Allowed") \
	X(406, "Not Acceptable") \
	X(408, "Request Timeout") \
	X(412, "Precondition Failed") \
	X(413, "Content Too Large") \
	X(414, "URI Too Long") \
	X(416, "Range Not Satisfiable") \
	X(426, "Upgrade Required") \
	X(431, "Request Header Fields Too Large") \
	X(500, "Internal Server Error") \
	X(501, "Not Implemented") \
	X(503, "Service Unavailable") \
	X(505, "HTTP Version Not Supported")

#define FP_HTTP_ERR_ENUM(code, text) FP_HTTP_E##code,
enum fp_http_err_idx {
	FP_HTTP_ERRORS(FP_HTTP_ERR_ENUM)
	FP_HTTP_E_MAX
};
#undef FP_HTTP_ERR_ENUM

struct fp_http_err_page {
	uint16_t code;
	const char *text;
};

/* Status and reason of each error page, from FP_HTTP_ERRORS. */
extern const struct fp_http_err_page fp_http_err_pages[FP_HTTP_E_MAX];

/* The reason phrase of status ("Status" for one we do not know). */
const char *
fp_http_reason(uint16_t status);

struct rte_hash;

/* A path the server answers: a route's own, or "/dir/" for "/dir/index.html". */
struct fp_http_name {
	char *path;
	uint32_t len;
	uint32_t route;
};

struct fp_http_hook_ent {
	int prio;
	fp_http_handler_fn fn;
	void *arg;
};

#define FP_HTTP_HOOKS_MAX 16
#define FP_HTTP_POSTS 1024	/* messages a worker's post ring holds */

struct rte_ring;

struct fp_http_server {
	struct rte_hash *paths;		/* path hash -> names index */
	struct fp_http_name *names;
	uint32_t nb_names;
	struct fp_http_route *routes;
	uint32_t nb_routes;
	uint32_t nb_content;		/* routes with paths, first; then variants, errors */
	uint16_t err_route[FP_HTTP_E_MAX];
	unsigned int nb_workers;
	/* Per worker, per route: refcounts of the attached bodies. Each worker
	 * has its own, so no cache line bounces between cores.
	 */
	struct rte_mbuf_ext_shared_info *shinfo;
	uint32_t shinfo_stride;		/* entries per worker */
	struct fp_http_limits lim;
	uint64_t body_bytes;		/* all bodies together */
	/* Wall clock = epoch_base + (TSC - tsc_base) / hz, without syscalls. */
	uint64_t epoch_base;
	uint64_t tsc_base;
	uint64_t hz;
	/* Handlers and hooks: registered before the workers start. */
	struct fp_http_router *router;
	uint32_t nb_routes_user;	/* registrations that took */
	struct fp_http_hook_ent hooks[FP_HTTP_PHASE_MAX][FP_HTTP_HOOKS_MAX];
	uint8_t nb_hooks[FP_HTTP_PHASE_MAX];
	bool started;
	char server[64];
	uint32_t server_len;
	/* Per worker: what other threads post to it (fp_http_post). */
	struct rte_ring **posts;
	struct rte_mempool *post_pool;
	/* Sizes of the per-worker pools. */
	uint32_t nb_ctx;
	uint32_t nb_rbufs;
	uint32_t nb_obufs;
	uint32_t body_ms;
	uint32_t dynamic_min;
	uint32_t dynamic_level;
};

/* Loads every body (the --root tree, [route] sections, error pages) into
 * hugepage memory and builds the header templates. Returns NULL with err set.
 */
struct fp_http_server *
fp_http_server_create(const struct fp_config *cfg, unsigned int nb_workers, struct fp_err *err);

void
fp_http_server_free(struct fp_http_server *srv);

/* The route serving a request path (already without its query), or NULL. */
const struct fp_http_route *
fp_http_lookup(const struct fp_http_server *srv, const char *path, uint32_t len);

/* The shared info worker w attaches route r's body with. */
static inline struct rte_mbuf_ext_shared_info *
fp_http_shinfo(const struct fp_http_server *srv, unsigned int w, uint32_t r)
{
	return &srv->shinfo[(size_t)w * srv->shinfo_stride + r];
}

/* Seconds since the epoch at TSC value tsc. */
static inline uint64_t
fp_http_epoch(const struct fp_http_server *srv, uint64_t tsc)
{
	return srv->epoch_base + (tsc - srv->tsc_base) / srv->hz;
}

/* Writes the IMF-fixdate of sec (FP_HTTP_DATE_LEN bytes, no NUL). */
void
fp_http_date(uint64_t sec, char *out);

/* The Content-Type for a file name, from its extension. */
const char *
fp_http_content_type(const char *name);

/* Bytes of a copied response body one buffer holds (fp_http_set_body). */
#define FP_HTTP_OBUF 16384
/* Extra header bytes a response may carry (fp_http_add_header). */
#define FP_HTTP_XHDR_MAX 768

/* A buffer of copied response bytes, sent by reference: it goes back to
 * its worker's free list when the last reference drops.
 */
struct fp_http_obuf {
	struct rte_mbuf_ext_shared_info sh;
	struct fp_http_worker *hw;
	rte_iova_t iova;		/* of data */
	uint32_t idx;
	uint8_t data[FP_HTTP_OBUF];
};

/* A request with a body: its head, then its decoded body. */
struct fp_http_rbuf {
	uint32_t idx;
	uint32_t head_len;
	uint32_t body_len;
	char data[];
};

/* Where a request is. */
enum fp_http_xstate {
	FP_HTTP_X_FREE,
	FP_HTTP_X_BODY,		/* reading its body */
	FP_HTTP_X_RUN,		/* hooks and handler running */
	FP_HTTP_X_DEFERRED,	/* waiting for fp_http_finish() */
	FP_HTTP_X_STREAM,	/* streaming: head sent, writes to come */
	FP_HTTP_X_UPGRADED,	/* 101 sent: the connection speaks another protocol */
	FP_HTTP_X_SENDING,	/* queued as room allows */
	FP_HTTP_X_SENT,		/* queued whole, waiting for the ACK (ON_COMPLETE) */
	FP_HTTP_X_CLOSED,	/* its connection ended: nothing more goes out */
};

/* One request and its response (fp_http_api.h). From a per-worker pool. */
struct fp_http_ctx {
	/* Reset for each request (fp_http_ctx_get clears up to reset_end). */
	uint8_t head;			/* HEAD: no body goes out */
	uint8_t close;			/* Connection: close, then FIN */
	uint8_t chunked_out;		/* the stream is chunked */
	uint8_t completed;
	uint8_t want_writable;
	uint8_t discard;		/* a body read only to be thrown away */
	uint8_t rsh_ref;		/* the context holds a reference of rsh */
	uint8_t deflate;		/* fp_http_compress(): 1, or 2 if gzip is acceptable */
	uint16_t status;
	uint16_t xlen;
	uint32_t rlen;
	uint32_t roff;
	void *user;
	const char *type;
	const uint8_t *rbody;
	rte_iova_t riova;
	struct rte_mbuf_ext_shared_info *rsh;
	struct fp_http_slice body;
	struct fp_http_rbuf *rb;
	void (*writable)(struct fp_http_ctx *x, void *arg);
	void (*on_close)(struct fp_http_ctx *x, void *arg);
	void (*tfn)(struct fp_http_ctx *x, void *arg);	/* fp_http_ctx_timer() */
	void (*on_drain)(struct fp_http_ctx *x, void *arg);
	char reset_end[0];
	/* Set for each request. */
	struct fp_http_worker *hw;
	struct fp_tcb *c;
	struct fp_http_sess *s;
	uint32_t gen;			/* c's generation */
	uint32_t seq;			/* the request's number on its connection */
	int32_t tmpl;			/* a static route whose ready head fits, or -1 */
	uint32_t end;			/* session's queued count at its last byte */
	struct fp_http_ctx *next;	/* the next answer waiting for its ACK */
	uint8_t state;			/* enum fp_http_xstate */
	uint8_t minor;			/* the request's HTTP minor version */
	/* The request: valid while the handler runs. */
	const struct fp_http_request *req;
	struct fp_http_info info;
	struct fp_http_slice path;
	struct fp_http_match m;
	/* The response's extra header lines; after an upgrade's 101 has
	 * gone, the state of the protocol that took the connection over.
	 */
	union {
		char xhdr[FP_HTTP_XHDR_MAX];
		uint64_t proto[FP_HTTP_XHDR_MAX / sizeof(uint64_t)];
	};
	/* The request body. */
	uint64_t need;			/* Content-Length bytes still to come */
	struct fp_http_chunked ck;
	/* Streams and upgrades. */
	void *warg;
	void *carg;
	void *targ;
	void *darg;
	uint32_t t_at;			/* tfn is due at this now_ms */
	const struct fp_http_upgrade_ops *up;
	void *uarg;
	struct fp_http_request rq;	/* a head read again from rb */
};

/* One connection as HTTP serves it; zero is the initial state. With its
 * tcb, what an idle keep-alive connection costs (docs/tcp.md).
 */
struct fp_http_sess {
	char *buf;		/* request bytes not yet answered, from the rxbuf pool */
	struct fp_http_ctx *x;		/* the request in progress past its head */
	struct fp_http_ctx *wait;	/* answers waiting for their ACK, oldest first */
	uint32_t seq;			/* requests begun */
	/* Last request or acknowledged response byte: the lazy keep-alive
	 * timer and the send timeout count from it.
	 */
	uint32_t active_ms;
	uint32_t body_left;	/* request body bytes still to discard */
	uint16_t off;		/* buf[off, buf_len) waits */
	uint16_t buf_len;
	uint8_t closing;	/* answered with close: ignore what follows */
	uint8_t blocked;	/* the receive window follows the buffer's room */
	uint8_t starved;	/* the worker's copy chunks ran short: retry soon */
	uint8_t lazy;		/* the timer armed is the keep-alive one */
	uint8_t feeding;	/* fp_http_feed is on the stack: no second one */
	uint8_t peer_fin;	/* the client closed: answer what waits, then FIN */
};

/* Gives back the request buffer, and forgets the body left and closing. */
void
fp_http_rx_free(struct fp_http_sess *s, struct rte_mempool *bufs, struct fp_stats *st);

/* True while request bytes wait unanswered (the header timeout runs). */
static inline bool
fp_http_partial(const struct fp_http_sess *s)
{
	return s->buf != NULL;
}

/* One worker's HTTP: its connections' state, next to its TCP. */
struct fp_http_worker {
	const struct fp_http_server *srv;
	struct fp_tcp_lcore *tcp;
	struct fp_stats *st;
	struct rte_mempool *rxbufs;
	struct fp_http_sess *sess;	/* one per TCP connection slot */
	unsigned int worker;		/* index into the bodies' shared infos */
	unsigned int lcore;
	uint32_t keepalive_ms;
	uint32_t header_ms;
	uint32_t send_ms;
	uint32_t lazy_ms;		/* the lazy timer's period: the shortest limit */
	uint64_t date_tsc;		/* TSC at the start of date_sec */
	uint32_t date_sec;
	bool draining;
	/* No hook and no handler route: files are answered without a context. */
	bool files_fast;
	char date[FP_HTTP_DATE_LEN];
	/* Pools: contexts, request-body buffers, copied-body buffers. */
	struct fp_http_ctx *ctx;
	uint32_t *ctx_free;
	uint32_t nb_ctx_free;
	uint8_t *rbufs;
	size_t rbuf_size;
	uint32_t *rbuf_free;
	uint32_t nb_rbuf_free;
	struct fp_http_obuf *obufs;
	uint32_t *obuf_free;
	uint32_t nb_obuf_free;
	char *pathbuf;			/* a decoded path, max_uri bytes */
	struct rte_ring *posts;
	void *deflater;			/* fp_http_compress(); NULL: none */
};

/* Sets up HTTP for worker w on its TCP t: sessions and pools on socket,
 * and a listener on each [tcp] listen port. The first call closes the
 * server to registrations. Returns 0 or a negative errno with err set.
 */
int
fp_http_worker_init(struct fp_http_worker *hw, struct fp_http_server *srv,
	const struct fp_config *cfg, struct fp_tcp_lcore *t, struct fp_stats *st,
	unsigned int w, int socket, struct fp_err *err);

void
fp_http_worker_free(struct fp_http_worker *hw);

/* Moves the Date clock to TSC value tsc (once a second it formats). */
void
fp_http_clock(struct fp_http_worker *hw, uint64_t tsc);

/* Runs what other threads posted (fp_http_post); cheap when nothing was. */
void
fp_http_poll(struct fp_http_worker *hw);

/* Graceful shutdown: new connections are refused, idle keep-alive
 * connections closed, and a request in progress is answered with close.
 */
void
fp_http_drain(struct fp_http_worker *hw);

/* What a GET or HEAD (meth) of route *r, an identity route, is answered
 * with: *r becomes the variant its Accept-Encoding gets, and the status is
 * 200, 206 (with *range), 304, 406, 412 or 416 after the preconditions
 * (fp_http_cond_eval(); now: the clock, seconds). Just 200 for a route
 * without variants or validators.
 */
uint16_t
fp_http_select(const struct fp_http_server *srv, const struct fp_http_route **r,
	const struct fp_http_request *req, uint8_t meth, int64_t now, struct fp_http_brange *range);

/* Counts a response whose body is in r's coding (http_gzip, http_br). */
static inline void
fp_http_count_coding(struct fp_stats *st, const struct fp_http_route *r)
{
	if (r->coding == FP_HTTP_CE_GZIP)
		fp_count(st, FP_C_http_gzip, 1);
	else if (r->coding == FP_HTTP_CE_BR)
		fp_count(st, FP_C_http_br, 1);
}

/* The built-in handler of loaded files and [route] sections: arg is the
 * route when the routing found it, or NULL to look the path up.
 */
int
fp_http_static_handler(struct fp_http_ctx *x, void *arg);

#endif /* FP_HTTP_H */
