/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The fastpath authors
 */

#ifndef FP_HTTP_COND_H
#define FP_HTTP_COND_H

/* What a request asks of a representation beyond its path: the content
 * coding (Accept-Encoding, RFC 9110 12.5.3), preconditions (If-Match,
 * If-None-Match, If-Modified-Since, If-Unmodified-Since, If-Range: 13) and
 * a byte range (Range: 14). Pure functions over field values, like the
 * request parser: plain C, no DPDK, no allocation; the unit tests and the
 * fuzz harnesses run them without EAL.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "fp_http_parse.h"

/* The codings the server keeps variants in, in the order a tie prefers. */
enum fp_http_coding {
	FP_HTTP_CE_BR,
	FP_HTTP_CE_GZIP,
	FP_HTTP_CE_IDENTITY,
	FP_HTTP_CE_MAX
};

/* "br", "gzip", "identity". */
extern const char *const fp_http_coding_names[FP_HTTP_CE_MAX];

/* A qvalue in thousandths (RFC 9110 12.4.2). */
#define FP_HTTP_Q_ONE 1000
/* The bit of "*" in fp_http_ae.listed. */
#define FP_HTTP_AE_STAR (1u << FP_HTTP_CE_MAX)

/* Accept-Encoding as read so far: every field line of it adds. */
struct fp_http_ae {
	uint16_t q[FP_HTTP_CE_MAX];	/* of the codings listed */
	uint16_t q_star;
	uint8_t listed;			/* 1 << coding, FP_HTTP_AE_STAR */
	uint8_t seen;			/* the field was there */
};

void
fp_http_ae_init(struct fp_http_ae *ae);

/* Adds one Accept-Encoding field value, p[0, len), to ae. Returns len, or
 * -1 when it does not follow "#( codings [ weight ] )"; ae is then left as
 * it was. A coding listed twice keeps its first weight; codings other than
 * br, gzip (and x-gzip), identity and "*" are skipped.
 */
int
fp_http_ae_parse(const char *p, size_t len, struct fp_http_ae *ae);

/* The coding to answer with, of identity and the codings in avail (a mask
 * of 1 << enum fp_http_coding): the highest weight, a tie to br, then gzip,
 * then identity. -1 when none is acceptable (406). Without the field,
 * identity. identity not listed is acceptable unless "*;q=0" (RFC 9110
 * 12.5.3), but preferred least, so "gzip;q=0.5" gets gzip.
 */
int
fp_http_ae_choose(const struct fp_http_ae *ae, unsigned int avail);

/* Byte ranges: first and last byte, inclusive. */
struct fp_http_brange {
	uint64_t first;
	uint64_t last;
};

/* The most range-specs a Range field may hold; more and it is ignored. */
#define FP_HTTP_RANGES_MAX 16

struct fp_http_ranges {
	uint32_t nb;
	struct fp_http_brange r[FP_HTTP_RANGES_MAX];
};

/* Reads a Range field value, p[0, len), for a representation of size
 * bytes. Returns len with out holding the satisfiable ranges, clipped to
 * the size, in ascending order, overlapping and adjacent ones merged (so
 * no byte is in two): nb 0 means none is satisfiable (416). -1 when the
 * unit is not "bytes", the value does not follow RFC 9110 14.1.1, or it
 * has more than FP_HTTP_RANGES_MAX specs: the field is then ignored.
 */
int
fp_http_range_parse(const char *p, size_t len, uint64_t size, struct fp_http_ranges *out);

/* Whether the If-Match or If-None-Match value p[0, len) matches the
 * entity tag etag (with its quotes): 1 if it does, 0 if not, -1 when the
 * value is malformed. "*" matches. strong: the strong comparison (both
 * tags strong and equal: If-Match, If-Range), else the weak one
 * (If-None-Match) (RFC 9110 8.8.3.2).
 */
int
fp_http_etag_match(const char *p, size_t len, const char *etag, size_t etag_len, bool strong);

/* Reads an HTTP-date (RFC 9110 5.6.7) in any of its three forms into
 * seconds since the epoch (negative before 1970). now, the server's clock,
 * places a two-digit rfc850 year. Returns len, or -1.
 */
int
fp_http_date_parse(const char *p, size_t len, int64_t now, int64_t *sec);

/* The fields fp_http_cond_scan() collects. */
enum fp_http_cond_field {
	FP_HTTP_CF_IF_MATCH,
	FP_HTTP_CF_IF_NONE_MATCH,
	FP_HTTP_CF_IF_MODIFIED_SINCE,
	FP_HTTP_CF_IF_UNMODIFIED_SINCE,
	FP_HTTP_CF_IF_RANGE,
	FP_HTTP_CF_RANGE,
	FP_HTTP_CF_MAX
};

/* Field lines kept per field; a field in more lines is ignored. */
#define FP_HTTP_CF_LINES 4

struct fp_http_cond {
	struct fp_http_ae ae;
	bool ae_bad;			/* a malformed line: the field is ignored */
	uint8_t present;		/* 1 << enum fp_http_cond_field */
	uint8_t nb[FP_HTTP_CF_MAX];	/* lines of each */
	struct fp_http_slice v[FP_HTTP_CF_MAX][FP_HTTP_CF_LINES];
};

/* Collects the request's Accept-Encoding and conditional fields. */
void
fp_http_cond_scan(const struct fp_http_request *req, struct fp_http_cond *c);

/* A representation, as the preconditions see it. */
struct fp_http_rep {
	const char *etag;		/* strong, with its quotes; NULL for none */
	uint32_t etag_len;
	int64_t mtime;			/* Last-Modified; 0 for none */
	uint64_t size;
};

/* What to answer: 200, 206 (with the range), 304, 412 or 416. */
struct fp_http_precond {
	uint16_t status;
	struct fp_http_brange range;
};

/* Evaluates the preconditions and the range of a request with method meth
 * (enum fp_http_meth) on rep, in RFC 9110 13.2.2's order: If-Match, else
 * If-Unmodified-Since (412); If-None-Match, else If-Modified-Since (304
 * for GET and HEAD, 412 otherwise for If-None-Match); then, for GET,
 * If-Range and Range. Malformed fields are ignored; so is a Range of
 * several ranges that do not merge into one (the whole representation is
 * the answer). now is the server's clock (seconds).
 */
void
fp_http_cond_eval(const struct fp_http_cond *c, uint8_t meth, const struct fp_http_rep *rep,
	int64_t now, struct fp_http_precond *v);

#endif /* FP_HTTP_COND_H */
