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
#include "fp_http_parse.h"
#include "fp_stats.h"

/* How a response ends its headers, which decides what the connection does. */
enum fp_http_variant {
	FP_HTTP_V_KEEP,		/* HTTP/1.1 persistent: no Connection header */
	FP_HTTP_V_KEEP10,	/* HTTP/1.0 persistent: Connection: keep-alive */
	FP_HTTP_V_CLOSE,	/* Connection: close, then FIN */
	FP_HTTP_V_MAX
};

/* IMF-fixdate, e.g. "Sun, 06 Nov 1994 08:49:37 GMT". */
#define FP_HTTP_DATE_LEN 29

/* Something the server answers with: a loaded file, a configured route or an
 * error page. Everything here is built at start and then only read.
 */
struct fp_http_route {
	const uint8_t *body;		/* hugepage memory, shared by all workers */
	rte_iova_t body_iova;
	uint32_t body_len;
	uint16_t status;
	uint16_t hdr_len[FP_HTTP_V_MAX];
	uint16_t date_off[FP_HTTP_V_MAX];
	char *hdr[FP_HTTP_V_MAX];	/* header templates, Date to be patched in */
	char *path;			/* NULL for error pages */
	const char *content_type;
};

/* Error pages, one route each. */
#define FP_HTTP_ERRORS(X) \
	X(400, "Bad Request") \
	X(404, "Not Found") \
	X(405, "Method Not Allowed") \
	X(408, "Request Timeout") \
	X(413, "Content Too Large") \
	X(414, "URI Too Long") \
	X(431, "Request Header Fields Too Large") \
	X(501, "Not Implemented") \
	X(505, "HTTP Version Not Supported")

#define FP_HTTP_ERR_ENUM(code, text) FP_HTTP_E##code,
enum fp_http_err_page {
	FP_HTTP_ERRORS(FP_HTTP_ERR_ENUM)
	FP_HTTP_E_MAX
};
#undef FP_HTTP_ERR_ENUM

struct rte_hash;

/* A path the server answers: a route's own, or "/dir/" for "/dir/index.html". */
struct fp_http_name {
	char *path;
	uint32_t len;
	uint32_t route;
};

struct fp_http_server {
	struct rte_hash *paths;		/* path hash -> names index */
	struct fp_http_name *names;
	uint32_t nb_names;
	struct fp_http_route *routes;
	uint32_t nb_routes;
	uint32_t nb_content;		/* routes before the error pages */
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

/* What a request became: a route to answer with, and how. */
struct fp_http_resp {
	uint16_t route;
	uint8_t variant;	/* enum fp_http_variant */
	uint8_t head;		/* headers only */
};

/* Per-connection request state; zero is the initial state. */
struct fp_http_conn {
	char *buf;		/* request bytes not yet answered, from the rxbuf pool */
	uint16_t off;		/* buf[off, buf_len) waits */
	uint16_t buf_len;
	uint32_t body_left;	/* request body bytes still to discard */
	uint8_t closing;	/* answered with close: ignore what follows */
};

/* Reads request bytes. Appends at most room responses to resp (*nb counts
 * them) and returns the bytes taken. Bytes taken but not yet answered (a
 * head split over segments, or requests beyond room) wait in a buffer from
 * bufs; call again with len 0 once there is room. Bytes not taken are to be
 * offered again. Never fails: bad input becomes an error response.
 */
uint32_t
fp_http_input(const struct fp_http_server *srv, struct fp_http_conn *hc,
	struct rte_mempool *bufs, struct fp_stats *st, const char *data, uint32_t len,
	struct fp_http_resp *resp, unsigned int room, unsigned int *nb);

/* Adds one error response (status from FP_HTTP_ERRORS) that closes, and
 * counts it under reason (see FP_HTTP_REASON_LIST).
 */
void
fp_http_error(const struct fp_http_server *srv, struct fp_http_conn *hc,
	struct fp_stats *st, uint16_t status, const char *reason, struct fp_http_resp *resp);

/* Gives back what hc holds. */
void
fp_http_conn_free(struct fp_http_conn *hc, struct rte_mempool *bufs, struct fp_stats *st);

/* True while request bytes wait unanswered (the header timeout runs). */
static inline bool
fp_http_partial(const struct fp_http_conn *hc)
{
	return hc->buf != NULL;
}

#endif /* FP_HTTP_H */
