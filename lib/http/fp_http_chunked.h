/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The fastpath authors
 */

#ifndef FP_HTTP_CHUNKED_H
#define FP_HTTP_CHUNKED_H

/* A streaming decoder of the chunked transfer coding (RFC 9112 7.1) for
 * request bodies. Plain C, no DPDK, no allocation: unit tests run it without
 * EAL.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Longest chunk-size line, extensions included, line end excluded. */
#define FP_HTTP_CHUNK_LINE_MAX 4096
/* Largest trailer section: its field lines with their line ends, the empty
 * line that ends the body excluded.
 */
#define FP_HTTP_CHUNK_TRAILER_MAX 8192

/* Why a decode failed (returned -1). */
enum fp_http_chunked_err {
	FP_HTTP_CHUNKED_OK = 0,
	FP_HTTP_CHUNKED_BAD_SIZE,		/* empty or non-hex chunk-size, or over 64 bits */
	FP_HTTP_CHUNKED_LINE_TOO_LONG,		/* size line over FP_HTTP_CHUNK_LINE_MAX */
	FP_HTTP_CHUNKED_BAD_CRLF,		/* data not followed by a line end, or a bare CR */
	FP_HTTP_CHUNKED_BAD_EXT,		/* chunk extension syntax */
	FP_HTTP_CHUNKED_TRAILER_TOO_LARGE,	/* over FP_HTTP_CHUNK_TRAILER_MAX */
	FP_HTTP_CHUNKED_BAD_TRAILER,		/* a trailer line that is no field line */
	FP_HTTP_CHUNKED_TOO_LARGE,		/* decoded body over max: answer 413 */
	FP_HTTP_CHUNKED_ERR_MAX
};

/* Short snake_case names of the above, e.g. "bad_chunk_size", for counters and logs. */
extern const char *const fp_http_chunked_err_names[FP_HTTP_CHUNKED_ERR_MAX];

/* One body's decoding state, owned by the caller. All zero (or after
 * fp_http_chunked_init) is the start of a body with no size limit.
 */
struct fp_http_chunked {
	uint64_t left;		/* chunk-size being read, then its data bytes still to come */
	uint64_t total;		/* sum of the chunk-sizes so far: the body size once done */
	uint64_t max;		/* largest decoded body accepted; 0: no limit */
	uint32_t line;		/* bytes of the size line, then of the trailer section */
	uint8_t state;		/* private */
	uint8_t err;		/* enum fp_http_chunked_err, set when -1 is returned */
};

/* Starts a body whose decoded size may not exceed max_body (0: no limit). */
void
fp_http_chunked_init(struct fp_http_chunked *c, uint64_t max_body);

/* Decodes bytes from the start of buf. Returns how many it consumed, or -1 on
 * error with c->err set; once -1, every later call returns -1.
 *
 * *data and *data_len receive at most one run of payload bytes, a slice of
 * buf (NULL and 0 when there is none; always so with -1). The caller uses
 * the slice, advances buf by the return value and calls again while bytes
 * remain and fp_http_chunked_done() is false.
 *
 * No byte is ever handed back: with len > 0 a call consumes at least one
 * byte unless the body is done (then 0) or it fails. A size line, line end,
 * extension or trailer cut anywhere is taken in part and remembered in c,
 * so the caller keeps nothing. The result does not depend on how the bytes
 * are split across calls. Never reads buf[len] or beyond; a len over
 * INT64_MAX is treated as INT64_MAX.
 *
 * Lines end in CRLF or a bare LF; a CR not followed by LF is an error.
 * Extensions and trailer fields are checked against their grammar and
 * otherwise ignored.
 */
int64_t
fp_http_chunked_decode(struct fp_http_chunked *c, const char *buf, size_t len,
	const char **data, size_t *data_len);

/* True once the last chunk, the trailer section and the empty line after it
 * were consumed. The bytes after them belong to the next request.
 */
bool
fp_http_chunked_done(const struct fp_http_chunked *c);

#endif /* FP_HTTP_CHUNKED_H */
