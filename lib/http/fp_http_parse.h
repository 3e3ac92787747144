/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The fastpath authors
 */

#ifndef FP_HTTP_PARSE_H
#define FP_HTTP_PARSE_H

/* The HTTP/1.x request-head parser and the checks that turn a parsed head
 * into "serve it" or an error status; the response-head parser and its
 * framing, for clients (fp-load). Plain C, no DPDK: unit tests run it
 * without EAL.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "fp_stats_reasons.h"

#define FP_HTTP_MAX_HEADERS 64

/* Bytes inside the caller's buffer; never NUL-terminated. */
struct fp_http_slice {
	const char *p;
	uint32_t len;
};

struct fp_http_header {
	struct fp_http_slice name;
	struct fp_http_slice value;	/* leading and trailing SP/HTAB removed */
};

/* Why a parse failed (returned -1). */
enum fp_http_perr {
	FP_HTTP_PERR_NONE = 0,
	FP_HTTP_PERR_METHOD,		/* method is not a token / empty */
	FP_HTTP_PERR_TARGET,		/* empty target, or CTL / non-ASCII byte in it */
	FP_HTTP_PERR_VERSION,		/* not "HTTP/" DIGIT "." DIGIT */
	FP_HTTP_PERR_REQUEST_LINE,	/* wrong separators (not exactly one SP), garbage */
	FP_HTTP_PERR_BARE_CR,		/* CR not followed by LF anywhere */
	FP_HTTP_PERR_HEADER_NAME,	/* empty or non-token header name, or no colon */
	FP_HTTP_PERR_SPACE_BEFORE_COLON,
	FP_HTTP_PERR_OBS_FOLD,		/* a header line starting with SP or HTAB */
	FP_HTTP_PERR_HEADER_VALUE,	/* CTL other than HTAB (e.g. NUL) in a value */
	FP_HTTP_PERR_TOO_MANY_HEADERS,
	FP_HTTP_PERR_STATUS,		/* response: status-code not 3 digits from 100 to 599 */
	FP_HTTP_PERR_MAX
};

/* Short snake_case names of the above, e.g. "bare_cr", for counters and logs. */
extern const char *const fp_http_perr_names[FP_HTTP_PERR_MAX];

/* Why a request is refused (FP_HTTP_REASON_LIST), each with its status;
 * FP_HTTP_R_NONE when it is not.
 */
#define FP_HTTP_R_ENUM(a, name, status, help) FP_HTTP_R_##name,
enum fp_http_reason {
	FP_HTTP_REASON_LIST(FP_HTTP_R_ENUM, _)
	FP_HTTP_R_NONE
};
#undef FP_HTTP_R_ENUM

/* The reason's short snake_case name ("missing_host"); NULL for none. */
const char *
fp_http_reason_name(unsigned int reason);

/* The status a reason is answered with; 0 for none. */
uint16_t
fp_http_reason_status(unsigned int reason);

struct fp_http_request {
	struct fp_http_slice method;
	struct fp_http_slice target;
	uint8_t major, minor;		/* HTTP version digits */
	uint16_t nb_headers;
	enum fp_http_perr err;		/* set when -1 is returned */
	struct fp_http_header headers[FP_HTTP_MAX_HEADERS];
};

/* Parses one request head (request line + header fields + empty line) at the
 * start of buf. Returns the bytes consumed (through the empty line's LF),
 * -2 when buf holds only a valid prefix of a head, or -1 on error with
 * req->err set. Never reads buf[len] or beyond; never allocates.
 *
 * Empty lines before the request line are skipped and counted as consumed.
 * Lines end in CRLF or a bare LF. An error is reported as soon as the bytes
 * seen make one certain, even before the head is complete. A len over
 * INT_MAX is treated as INT_MAX. After -2, nb_headers counts the complete
 * header lines; the other fields hold nothing useful.
 */
int
fp_http_parse_request(const char *buf, size_t len, struct fp_http_request *req);

struct fp_http_response {
	uint8_t major, minor;		/* HTTP version digits */
	uint16_t status;
	struct fp_http_slice reason;	/* the reason-phrase, possibly empty */
	uint16_t nb_headers;
	enum fp_http_perr err;		/* set when -1 is returned */
	struct fp_http_header headers[FP_HTTP_MAX_HEADERS];
};

/* Parses one response head (status line + header fields + empty line) at
 * the start of buf, as fp_http_parse_request() does a request's: returns
 * the bytes consumed, -2 for a valid prefix, or -1 with resp->err set.
 * Never reads buf[len] or beyond; never allocates. A status line may end
 * right after the status code (no SP, no reason-phrase). Unlike a request,
 * a response may fold a line (RFC 9112 5.2: the value's slice then spans
 * the fold; Connection, Content-Length and Transfer-Encoding refuse it)
 * and have more fields than headers[] holds (the rest are checked and left
 * out, unless they are one of those three: then -1, too_many_headers).
 */
int
fp_http_parse_response(const char *buf, size_t len, struct fp_http_response *resp);

/* How a response's body is delimited (RFC 9112 6.3). */
enum fp_http_body {
	FP_HTTP_BODY_NONE,	/* HEAD, 1xx, 204, 304: the head is all */
	FP_HTTP_BODY_LENGTH,	/* Content-Length bytes */
	FP_HTTP_BODY_CHUNKED,	/* the chunked coding (fp_http_chunked_decode) */
	FP_HTTP_BODY_CLOSE,	/* until the server closes the connection */
};

/* Why a response cannot be read as a message: X(arg, name, help). */
#define FP_HTTP_RESP_ERR_LIST(X, a) \
	X(a, bad_version,	"HTTP major version other than 1") \
	X(a, bad_content_length, "Content-Length invalid or with differing values") \
	X(a, cl_and_te,		"both Content-Length and Transfer-Encoding") \
	X(a, chunked_twice,	"the chunked coding applied more than once")

#define FP_HTTP_RESP_ERR_ENUM(a, name, help) FP_HTTP_RESP_E_##name,
enum fp_http_resp_err {
	FP_HTTP_RESP_ERR_LIST(FP_HTTP_RESP_ERR_ENUM, _)
	FP_HTTP_RESP_E_NONE
};
#undef FP_HTTP_RESP_ERR_ENUM

extern const char *const fp_http_resp_err_names[FP_HTTP_RESP_E_NONE];

struct fp_http_resp_info {
	uint64_t content_length;	/* FP_HTTP_BODY_LENGTH's */
	uint8_t body;			/* enum fp_http_body */
	uint8_t err;			/* enum fp_http_resp_err; FP_HTTP_RESP_E_NONE */
	/* The connection may carry another response after this one. */
	bool keep_alive;
};

/* Decides how the body of a response that fp_http_parse_response()
 * returned >= 0 for is delimited, head telling whether it answers a HEAD.
 * Returns 0, or -1 with info->err set: the response cannot be told apart
 * from what follows it, and the connection is to be closed.
 */
int
fp_http_resp_analyze(const struct fp_http_response *resp, bool head,
	struct fp_http_resp_info *info);

/* Case-insensitive s[0, len) == lc, lc lower case (a name or a token). */
bool
fp_http_ieq(const char *s, uint32_t len, const char *lc, uint32_t lc_len);

#define FP_HTTP_IEQ(s, len, lit) fp_http_ieq((s), (len), (lit), sizeof(lit) - 1)

/* Methods the server knows (RFC 9110 9.3). */
enum fp_http_meth {
	FP_HTTP_M_GET,
	FP_HTTP_M_HEAD,
	FP_HTTP_M_POST,
	FP_HTTP_M_PUT,
	FP_HTTP_M_DELETE,
	FP_HTTP_M_PATCH,
	FP_HTTP_M_OPTIONS,
	FP_HTTP_M_CONNECT,
	FP_HTTP_M_TRACE,
	FP_HTTP_M_MAX
};

/* fp_http_info.method of any other method (501). */
#define FP_HTTP_M_UNKNOWN FP_HTTP_M_MAX

/* Method masks: FP_HTTP_MB(FP_HTTP_M_GET) | FP_HTTP_MB(FP_HTTP_M_POST). */
#define FP_HTTP_MB(m) (1u << (m))
#define FP_HTTP_MB_ANY (FP_HTTP_MB(FP_HTTP_M_MAX) - 1)

/* The methods' tokens, e.g. "GET". */
extern const char *const fp_http_meth_names[FP_HTTP_M_MAX];

/* The enum fp_http_meth of the len bytes at p, or -1 for any other method
 * (the caller answers 501). Methods are case-sensitive (RFC 9110 9.1).
 */
int
fp_http_meth_of(const char *p, uint32_t len);

struct fp_http_limits {
	uint32_t max_uri;		/* longest request-target: longer -> 414 */
	uint32_t max_header_bytes;	/* longest head: longer -> 431 */
	uint64_t max_body;		/* longest Content-Length accepted: longer -> 413 */
};

struct fp_http_info {
	uint16_t status;		/* 0: serve it; else the error status to answer */
	uint8_t method;			/* enum fp_http_meth, or FP_HTTP_M_UNKNOWN */
	/* The connection may carry another request after this one. */
	bool keep_alive;
	/* The body is framed by the chunked transfer coding; content_length is 0. */
	bool chunked;
	/* Request body bytes that follow the head, from Content-Length. */
	uint64_t content_length;
	/* The target's path, query ("?...") removed; for absolute-form
	 * "http://host/p" the "/p" part. Points into the buffer, except the
	 * "/" of an absolute-form target without a path.
	 */
	struct fp_http_slice path;
	/* Why, for a non-zero status (enum fp_http_reason; the status is its
	 * own), FP_HTTP_R_NONE otherwise.
	 */
	uint8_t reason;
};

/* Decides what to do with a request that fp_http_parse_request returned >= 0
 * for. Returns 0; info->status is 0 (serve) or the HTTP status to answer,
 * info->reason its reason. The first that applies, in this order:
 *   505 bad_version         HTTP major version other than 1;
 *   400 missing_host        HTTP/1.1 (or 1.x above) request without Host;
 *   400 duplicate_host      more than one Host;
 *   400 bad_content_length  Content-Length invalid or with differing values;
 *   400 cl_and_te           both Content-Length and Transfer-Encoding;
 *   400 te_in_http10        Transfer-Encoding in an HTTP/1.0 request;
 *   414 uri_too_long        target longer than max_uri;
 *   405 method_not_allowed  CONNECT or TRACE, whatever the target;
 *   400 bad_target_form     target neither origin-form, absolute-form, nor
 *                           "*" with OPTIONS;
 *   501 transfer_encoding   Transfer-Encoding other than exactly one
 *                           "chunked": another coding, "gzip, chunked",
 *                           "chunked, chunked", an empty value. All
 *                           Transfer-Encoding lines make one list; letter
 *                           case and empty elements do not matter;
 *   501 unknown_method      not an enum fp_http_meth;
 *   413 body_too_large      Content-Length over max_body.
 * Any other request is status 0, whatever its method: POST, PUT, DELETE,
 * PATCH and OPTIONS are for the router to allow or not.
 *
 * keep_alive follows Connection and the version, but is false after every
 * error status except 404 and 405, and after a 405 whose body is longer than
 * max_body or has a Transfer-Encoding (not worth reading to stay open).
 * Unless the status is 505, content_length is set whenever Content-Length is
 * valid, path whenever the target's form is, and chunked whenever the body is
 * framed by chunked: HTTP/1.1, no Content-Length, Transfer-Encoding exactly
 * "chunked". method is set even for 505.
 */
int
fp_http_analyze(const struct fp_http_request *req, const struct fp_http_limits *lim,
	struct fp_http_info *info);

/* For a buffer where fp_http_parse_request returned parse_ret (-1 or -2):
 * the status to answer now, or 0 to wait for more bytes. -1 -> 400 (431
 * when req->err is TOO_MANY_HEADERS). -2 with len >= lim->max_header_bytes
 * -> 414 if the request line is still incomplete and already longer than
 * max_uri + 16 (or the target seen so far exceeds max_uri), else 431. -2
 * with len below the limit -> 0, but 414 at once if the request line is
 * incomplete and the target seen so far already exceeds max_uri.
 *
 * A complete head (parse_ret >= 0) longer than max_header_bytes gives 431,
 * so the caller can call this for every parse result; otherwise 0.
 * *reason is set like info->reason (FP_HTTP_R_NONE with 0). req is read only for -1.
 */
uint16_t
fp_http_incomplete_status(const char *buf, size_t len, int parse_ret,
	const struct fp_http_request *req, const struct fp_http_limits *lim, uint8_t *reason);

#endif /* FP_HTTP_PARSE_H */
