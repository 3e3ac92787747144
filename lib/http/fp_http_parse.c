/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The fastpath authors
 */

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "fp_http_chars.h"
#include "fp_http_parse.h"

const char *const fp_http_perr_names[FP_HTTP_PERR_MAX] = {
	[FP_HTTP_PERR_NONE] = "none",
	[FP_HTTP_PERR_METHOD] = "bad_method",
	[FP_HTTP_PERR_TARGET] = "bad_target",
	[FP_HTTP_PERR_VERSION] = "malformed_version",
	[FP_HTTP_PERR_REQUEST_LINE] = "bad_request_line",
	[FP_HTTP_PERR_BARE_CR] = "bare_cr",
	[FP_HTTP_PERR_HEADER_NAME] = "bad_header_name",
	[FP_HTTP_PERR_SPACE_BEFORE_COLON] = "space_before_colon",
	[FP_HTTP_PERR_OBS_FOLD] = "obs_fold",
	[FP_HTTP_PERR_HEADER_VALUE] = "bad_header_value",
	[FP_HTTP_PERR_TOO_MANY_HEADERS] = "too_many_headers",
	[FP_HTTP_PERR_STATUS] = "bad_status",
};

/* The reason a parse error is answered with. */
static const uint8_t fp_http_perr_reason[FP_HTTP_PERR_MAX] = {
	[FP_HTTP_PERR_NONE] = FP_HTTP_R_other,
	[FP_HTTP_PERR_METHOD] = FP_HTTP_R_bad_method,
	[FP_HTTP_PERR_TARGET] = FP_HTTP_R_bad_target,
	[FP_HTTP_PERR_VERSION] = FP_HTTP_R_malformed_version,
	[FP_HTTP_PERR_REQUEST_LINE] = FP_HTTP_R_bad_request_line,
	[FP_HTTP_PERR_BARE_CR] = FP_HTTP_R_bare_cr,
	[FP_HTTP_PERR_HEADER_NAME] = FP_HTTP_R_bad_header_name,
	[FP_HTTP_PERR_SPACE_BEFORE_COLON] = FP_HTTP_R_space_before_colon,
	[FP_HTTP_PERR_OBS_FOLD] = FP_HTTP_R_obs_fold,
	[FP_HTTP_PERR_HEADER_VALUE] = FP_HTTP_R_bad_header_value,
	[FP_HTTP_PERR_TOO_MANY_HEADERS] = FP_HTTP_R_too_many_headers,
	[FP_HTTP_PERR_STATUS] = FP_HTTP_R_other,	/* responses only */
};

#define FP_HTTP_R_NAME(a, name, status, help) #name,
static const char *const fp_http_reason_names[FP_HTTP_R_NONE] = {
	FP_HTTP_REASON_LIST(FP_HTTP_R_NAME, _)
};
#undef FP_HTTP_R_NAME

#define FP_HTTP_R_STATUS(a, name, status, help) status,
static const uint16_t fp_http_reason_statuses[FP_HTTP_R_NONE] = {
	FP_HTTP_REASON_LIST(FP_HTTP_R_STATUS, _)
};
#undef FP_HTTP_R_STATUS

const char *
fp_http_reason_name(unsigned int reason)
{
	return reason < FP_HTTP_R_NONE ? fp_http_reason_names[reason] : NULL;
}

uint16_t
fp_http_reason_status(unsigned int reason)
{
	return reason < FP_HTTP_R_NONE ? fp_http_reason_statuses[reason] : 0;
}

/* Refuses the request for reason r, with r's status. */
static void
fp_http_refuse(struct fp_http_info *info, enum fp_http_reason r)
{
	info->reason = r;
	info->status = fp_http_reason_statuses[r];
}

const char *const fp_http_meth_names[FP_HTTP_M_MAX] = {
	[FP_HTTP_M_GET] = "GET",
	[FP_HTTP_M_HEAD] = "HEAD",
	[FP_HTTP_M_POST] = "POST",
	[FP_HTTP_M_PUT] = "PUT",
	[FP_HTTP_M_DELETE] = "DELETE",
	[FP_HTTP_M_PATCH] = "PATCH",
	[FP_HTTP_M_OPTIONS] = "OPTIONS",
	[FP_HTTP_M_CONNECT] = "CONNECT",
	[FP_HTTP_M_TRACE] = "TRACE",
};

/* Byte classes (fp_http_chars.h), one table lookup per byte. */
#define T (FP_HTTP_TCHAR | FP_HTTP_VCHAR | FP_HTTP_FVAL)
#define V (FP_HTTP_VCHAR | FP_HTTP_FVAL)
#define W FP_HTTP_FVAL
const uint8_t fp_http_ctype[256] = {
	/* 0x00 */ 0, 0, 0, 0, 0, 0, 0, 0, 0, W, 0, 0, 0, 0, 0, 0,
	/* 0x10 */ 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	/* 0x20 */ W, T, V, T, T, T, T, T, V, V, T, T, V, T, T, V,
	/* 0x30 */ T, T, T, T, T, T, T, T, T, T, V, V, V, V, V, V,
	/* 0x40 */ V, T, T, T, T, T, T, T, T, T, T, T, T, T, T, T,
	/* 0x50 */ T, T, T, T, T, T, T, T, T, T, T, V, V, V, T, T,
	/* 0x60 */ T, T, T, T, T, T, T, T, T, T, T, T, T, T, T, T,
	/* 0x70 */ T, T, T, T, T, T, T, T, T, T, T, V, T, V, T, 0,
	/* 0x80 */ W, W, W, W, W, W, W, W, W, W, W, W, W, W, W, W,
	/* 0x90 */ W, W, W, W, W, W, W, W, W, W, W, W, W, W, W, W,
	/* 0xa0 */ W, W, W, W, W, W, W, W, W, W, W, W, W, W, W, W,
	/* 0xb0 */ W, W, W, W, W, W, W, W, W, W, W, W, W, W, W, W,
	/* 0xc0 */ W, W, W, W, W, W, W, W, W, W, W, W, W, W, W, W,
	/* 0xd0 */ W, W, W, W, W, W, W, W, W, W, W, W, W, W, W, W,
	/* 0xe0 */ W, W, W, W, W, W, W, W, W, W, W, W, W, W, W, W,
	/* 0xf0 */ W, W, W, W, W, W, W, W, W, W, W, W, W, W, W, W,
};
#undef T
#undef V
#undef W

static inline int
fp_http_fail(enum fp_http_perr *ep, enum fp_http_perr err)
{
	*ep = err;
	return -1;
}

/* A CR at b[p] where no line may end: whatever follows, the head is bad, so
 * fail now; the next byte, when there is one, only picks the reason.
 */
static inline int
fp_http_cr_fail(enum fp_http_perr *ep, const uint8_t *b, size_t p, size_t len,
	enum fp_http_perr err)
{
	if (p + 1 < len && b[p + 1] != '\n')
		err = FP_HTTP_PERR_BARE_CR;
	return fp_http_fail(ep, err);
}

/* Length of the line terminator at b[p] (a CR or LF): 1 or 2; 0 when a CR is
 * the last byte; -1 for a bare CR.
 * RFC 9112 2.2: "Although the line terminator for the start-line and fields
 * is the sequence CRLF, a recipient MAY recognize a single LF as a line
 * terminator and ignore any preceding CR."
 * RFC 9112 2.2: "A recipient of such a bare CR MUST consider that element to
 * be invalid or replace each bare CR with SP".
 */
static inline int
fp_http_eol(const uint8_t *b, size_t p, size_t len)
{
	if (b[p] == '\n')
		return 1;
	if (p + 1 == len)
		return 0;
	return b[p + 1] == '\n' ? 2 : -1;
}

static inline struct fp_http_slice
fp_http_slice_of(const uint8_t *b, size_t start, size_t end)
{
	struct fp_http_slice s = { (const char *)b + start, (uint32_t)(end - start) };

	return s;
}

/* RFC 9112 2.3: HTTP-version = HTTP-name "/" DIGIT "." DIGIT, HTTP-name =
 * %s"HTTP" (case-sensitive). Returns 8 when the version is at b[p], -2 on a
 * valid prefix, -1 on error.
 */
static int
fp_http_version(uint8_t *major, uint8_t *minor, enum fp_http_perr *ep, const uint8_t *b, size_t p,
	size_t len)
{
	static const char tpl[8] = { 'H', 'T', 'T', 'P', '/', '0', '.', '0' };
	bool ok;
	size_t i;
	uint8_t c;

	/* Nearly every request: one 8-byte compare. */
	if (len - p >= sizeof(tpl) && memcmp(b + p, "HTTP/1.1", sizeof(tpl)) == 0) {
		*major = 1;
		*minor = 1;
		return (int)sizeof(tpl);
	}
	for (i = 0; i < sizeof(tpl); i++) {
		if (p + i == len)
			return -2;
		c = b[p + i];
		if (tpl[i] == '0')
			ok = c >= '0' && c <= '9';
		else
			ok = c == (uint8_t)tpl[i];
		if (ok)
			continue;
		if (i == 0 && fp_http_ows(c))
			return fp_http_fail(ep, FP_HTTP_PERR_REQUEST_LINE);
		if (c == '\r')
			return fp_http_cr_fail(ep, b, p + i, len, FP_HTTP_PERR_VERSION);
		return fp_http_fail(ep, FP_HTTP_PERR_VERSION);
	}
	*major = b[p + 5] - '0';
	*minor = b[p + 7] - '0';
	return (int)sizeof(tpl);
}

/* Whether a response header names what its framing depends on. */
static bool
fp_http_framing_name(struct fp_http_slice n)
{
	return FP_HTTP_IEQ(n.p, n.len, "connection") ||
		FP_HTTP_IEQ(n.p, n.len, "content-length") ||
		FP_HTTP_IEQ(n.p, n.len, "transfer-encoding");
}

/* A field value from b[p] to the end of its line: *end is set past its
 * last byte that is not whitespace. Returns where the next line starts, or
 * -2/-1 as the parser does.
 */
static inline int
fp_http_value(enum fp_http_perr *ep, const uint8_t *b, size_t p, size_t len, size_t *end)
{
	size_t start = p;
	int eol;

	while (p < len && fp_http_is(b[p], FP_HTTP_FVAL))
		p++;
	if (p == len)
		return -2;
	/* RFC 9110 5.5: "a recipient of CR, LF, or NUL within a field
	 * value MUST either reject the message or replace each of those
	 * characters with SP"; other CTLs are not field-vchar either.
	 */
	if (b[p] != '\r' && b[p] != '\n')
		return fp_http_fail(ep, FP_HTTP_PERR_HEADER_VALUE);
	eol = fp_http_eol(b, p, len);
	if (eol == 0)
		return -2;
	if (eol < 0)
		return fp_http_fail(ep, FP_HTTP_PERR_BARE_CR);
	/* RFC 9112 5.1: "The field line value does not include that leading
	 * or trailing whitespace".
	 */
	*end = p;
	while (*end > start && fp_http_ows(b[*end - 1]))
		(*end)--;
	return (int)(p + eol);
}

/* An obs-fold line of a response from b[p] (its leading whitespace),
 * joined to h's value. Returns where the next line starts, or -2/-1.
 * RFC 9112 5.2: "A user agent that receives an obs-fold in a response
 * message that is not within a "message/http" container MUST replace each
 * received obs-fold with one or more SP octets prior to interpreting the
 * field value." The value is a slice and cannot be rewritten: the fields
 * whose value the framing reads refuse a fold, the others keep it.
 */
static int
fp_http_fold(struct fp_http_header *h, enum fp_http_perr *ep, const uint8_t *b, size_t p,
	size_t len)
{
	size_t end;
	int next;

	if (h == NULL || fp_http_framing_name(h->name))
		return fp_http_fail(ep, FP_HTTP_PERR_OBS_FOLD);
	next = fp_http_value(ep, b, p, len, &end);
	if (next >= 0 && end > p)
		h->value.len = (uint32_t)((const char *)b + end - h->value.p);
	return next;
}

/* The header fields after the start line, from b[p] through the empty line,
 * into hdrs (*nb of them). resp: a response's, which may fold lines (into
 * the field before) and have more fields than hdrs holds (those past it are
 * checked, and kept out unless the framing needs them).
 */
static int
fp_http_fields(struct fp_http_header *hdrs, uint16_t *nb, enum fp_http_perr *ep,
	const uint8_t *b, size_t p, size_t len, bool resp)
{
	struct fp_http_header *h, *last = NULL, spare;
	size_t start, end;
	int eol;
	uint8_t c;

	for (;;) {
		if (p == len)
			return -2;
		c = b[p];
		if (c == '\r' || c == '\n') {
			eol = fp_http_eol(b, p, len);
			if (eol == 0)
				return -2;
			if (eol < 0)
				return fp_http_fail(ep, FP_HTTP_PERR_BARE_CR);
			return (int)(p + eol);
		}
		/* RFC 9112 5.2: "A server that receives an obs-fold in a request
		 * message ... MUST either reject the message by sending a 400 (Bad
		 * Request) ... or replace each received obs-fold with one or more
		 * SP octets". Right after the request line, RFC 9112 2.2: "A
		 * recipient that receives whitespace between the start-line and the
		 * first header field MUST either reject the message as invalid or
		 * consume each whitespace-preceded line". We reject both.
		 */
		if (fp_http_ows(c)) {
			if (!resp)
				return fp_http_fail(ep, FP_HTTP_PERR_OBS_FOLD);
			eol = fp_http_fold(last, ep, b, p, len);
			if (eol < 0)
				return eol;
			p = eol;
			continue;
		}
		if (*nb == FP_HTTP_MAX_HEADERS && !resp)
			return fp_http_fail(ep, FP_HTTP_PERR_TOO_MANY_HEADERS);

		start = p;
		while (p < len && fp_http_is(b[p], FP_HTTP_TCHAR))
			p++;
		if (p == len)
			return -2;
		c = b[p];
		if (c != ':' || p == start) {
			/* RFC 9112 5.1: "No whitespace is allowed between the field
			 * name and colon. ... A server MUST reject, with a response
			 * status code of 400 (Bad Request), any received request
			 * message that contains whitespace between a header field
			 * name and colon."
			 */
			if (p != start && fp_http_ows(c))
				return fp_http_fail(ep, FP_HTTP_PERR_SPACE_BEFORE_COLON);
			if (c == '\r')
				return fp_http_cr_fail(ep, b, p, len, FP_HTTP_PERR_HEADER_NAME);
			return fp_http_fail(ep, FP_HTTP_PERR_HEADER_NAME);
		}
		h = *nb < FP_HTTP_MAX_HEADERS ? &hdrs[*nb] : &spare;
		h->name = fp_http_slice_of(b, start, p);
		/* A response's field past what hdrs holds is left out, unless
		 * the framing would miss it.
		 */
		if (h == &spare && fp_http_framing_name(h->name))
			return fp_http_fail(ep, FP_HTTP_PERR_TOO_MANY_HEADERS);

		p++;
		while (p < len && fp_http_ows(b[p]))
			p++;
		start = p;
		eol = fp_http_value(ep, b, p, len, &end);
		if (eol < 0)
			return eol;
		h->value = fp_http_slice_of(b, start, end);
		if (h != &spare)
			(*nb)++;
		last = h;
		p = eol;
	}
}

__attribute__((hot)) int
fp_http_parse_request(const char *buf, size_t len, struct fp_http_request *req)
{
	const uint8_t *b = (const uint8_t *)buf;
	size_t p = 0, start;
	int ret;
	uint8_t c;

	req->method.p = NULL;
	req->method.len = 0;
	req->target.p = NULL;
	req->target.len = 0;
	req->major = 0;
	req->minor = 0;
	req->nb_headers = 0;
	req->err = FP_HTTP_PERR_NONE;
	/* The return value must hold the length consumed. */
	if (len > INT_MAX)
		len = INT_MAX;

	/* RFC 9112 2.2: "a server that is expecting to receive and parse a
	 * request-line SHOULD ignore at least one empty line (CRLF) received
	 * prior to the request-line."
	 */
	while (p < len && (b[p] == '\r' || b[p] == '\n')) {
		ret = fp_http_eol(b, p, len);
		if (ret == 0)
			return -2;
		if (ret < 0)
			return fp_http_fail(&req->err, FP_HTTP_PERR_BARE_CR);
		p += ret;
	}

	/* RFC 9112 3: request-line = method SP request-target SP HTTP-version */
	start = p;
	while (p < len && fp_http_is(b[p], FP_HTTP_TCHAR))
		p++;
	if (p == len)
		return -2;
	c = b[p];
	if (c != ' ' || p == start) {
		if (p == start)
			return fp_http_fail(&req->err, FP_HTTP_PERR_METHOD);
		if (c == '\r')
			return fp_http_cr_fail(&req->err, b, p, len, FP_HTTP_PERR_REQUEST_LINE);
		if (c == '\t' || c == '\n')
			return fp_http_fail(&req->err, FP_HTTP_PERR_REQUEST_LINE);
		return fp_http_fail(&req->err, FP_HTTP_PERR_METHOD);
	}
	req->method = fp_http_slice_of(b, start, p);

	/* RFC 9112 3.2: "No whitespace is allowed in the request-target." */
	start = ++p;
	while (p < len && fp_http_is(b[p], FP_HTTP_VCHAR))
		p++;
	if (p == len)
		return -2;
	c = b[p];
	if (c != ' ' || p == start) {
		if (fp_http_ows(c))
			return fp_http_fail(&req->err, FP_HTTP_PERR_REQUEST_LINE);
		/* A line ending here has no version: with no target either,
		 * the target is what is missing.
		 */
		if (c == '\r')
			return fp_http_cr_fail(&req->err, b, p, len, p == start ?
				FP_HTTP_PERR_TARGET : FP_HTTP_PERR_REQUEST_LINE);
		if (c == '\n')
			return fp_http_fail(&req->err, p == start ?
				FP_HTTP_PERR_TARGET : FP_HTTP_PERR_REQUEST_LINE);
		return fp_http_fail(&req->err, FP_HTTP_PERR_TARGET);
	}
	req->target = fp_http_slice_of(b, start, p);

	p++;
	ret = fp_http_version(&req->major, &req->minor, &req->err, b, p, len);
	if (ret < 0)
		return ret;
	p += ret;
	if (p == len)
		return -2;
	c = b[p];
	if (c != '\r' && c != '\n')
		return fp_http_fail(&req->err, fp_http_ows(c) ?
			FP_HTTP_PERR_REQUEST_LINE : FP_HTTP_PERR_VERSION);
	ret = fp_http_eol(b, p, len);
	if (ret == 0)
		return -2;
	if (ret < 0)
		return fp_http_fail(&req->err, FP_HTTP_PERR_BARE_CR);
	return fp_http_fields(req->headers, &req->nb_headers, &req->err, b, p + ret, len,
		false);
}

__attribute__((hot)) int
fp_http_parse_response(const char *buf, size_t len, struct fp_http_response *resp)
{
	const uint8_t *b = (const uint8_t *)buf;
	size_t p, start;
	unsigned int i;
	int ret;
	uint8_t c;

	resp->major = 0;
	resp->minor = 0;
	resp->status = 0;
	resp->reason.p = NULL;
	resp->reason.len = 0;
	resp->nb_headers = 0;
	resp->err = FP_HTTP_PERR_NONE;
	if (len > INT_MAX)
		len = INT_MAX;

	/* RFC 9112 4: status-line = HTTP-version SP status-code SP
	 * [ reason-phrase ]
	 */
	ret = fp_http_version(&resp->major, &resp->minor, &resp->err, b, 0, len);
	if (ret < 0)
		return ret;
	p = ret;
	if (p == len)
		return -2;
	if (b[p] != ' ')
		return b[p] == '\r' ? fp_http_cr_fail(&resp->err, b, p, len, FP_HTTP_PERR_STATUS) :
			fp_http_fail(&resp->err, FP_HTTP_PERR_STATUS);
	p++;
	/* RFC 9110 15: "The first digit of the status code defines the class
	 * of response." Only 1 to 5 are classes.
	 */
	for (i = 0; i < 3; i++, p++) {
		if (p == len)
			return -2;
		c = b[p];
		if (c < '0' || c > '9' || (i == 0 && (c < '1' || c > '5')))
			return fp_http_fail(&resp->err, FP_HTTP_PERR_STATUS);
		resp->status = resp->status * 10 + (c - '0');
	}
	if (p == len)
		return -2;
	/* RFC 9112 4: "A client SHOULD ignore the reason-phrase content";
	 * reason-phrase = 1*( HTAB / SP / VCHAR / obs-text ). Like most
	 * clients, a line that ends after the code is taken too.
	 */
	if (b[p] == ' ') {
		start = ++p;
		while (p < len && fp_http_is(b[p], FP_HTTP_FVAL))
			p++;
		if (p == len)
			return -2;
		resp->reason = fp_http_slice_of(b, start, p);
	}
	c = b[p];
	if (c != '\r' && c != '\n')
		return fp_http_fail(&resp->err, FP_HTTP_PERR_STATUS);
	ret = fp_http_eol(b, p, len);
	if (ret == 0)
		return -2;
	if (ret < 0)
		return fp_http_fail(&resp->err, FP_HTTP_PERR_BARE_CR);
	return fp_http_fields(resp->headers, &resp->nb_headers, &resp->err, b, p + ret, len,
		true);
}

/* Request analysis: cold next to the parser, but still per request. */

/* OR-ing 0x20 folds an upper-case letter onto its lower case; the only
 * other byte it maps onto a letter, '-', ':' or '/' is a CTL, which no
 * parsed name, value or target holds.
 */
bool
fp_http_ieq(const char *s, uint32_t len, const char *lc, uint32_t lc_len)
{
	uint32_t i;

	if (len != lc_len)
		return false;
	for (i = 0; i < len; i++)
		if (((uint8_t)s[i] | 0x20) != (uint8_t)lc[i])
			return false;
	return true;
}

__attribute__((hot)) int
fp_http_meth_of(const char *p, uint32_t len)
{
	if (p == NULL)
		return -1;
	/* RFC 9110 9.1: "The method token is case-sensitive". */
	switch (len) {
	case 3:
		if (memcmp(p, "GET", 3) == 0)
			return FP_HTTP_M_GET;
		if (memcmp(p, "PUT", 3) == 0)
			return FP_HTTP_M_PUT;
		break;
	case 4:
		if (memcmp(p, "HEAD", 4) == 0)
			return FP_HTTP_M_HEAD;
		if (memcmp(p, "POST", 4) == 0)
			return FP_HTTP_M_POST;
		break;
	case 5:
		if (memcmp(p, "PATCH", 5) == 0)
			return FP_HTTP_M_PATCH;
		if (memcmp(p, "TRACE", 5) == 0)
			return FP_HTTP_M_TRACE;
		break;
	case 6:
		if (memcmp(p, "DELETE", 6) == 0)
			return FP_HTTP_M_DELETE;
		break;
	case 7:
		if (memcmp(p, "OPTIONS", 7) == 0)
			return FP_HTTP_M_OPTIONS;
		if (memcmp(p, "CONNECT", 7) == 0)
			return FP_HTTP_M_CONNECT;
		break;
	default:
		break;
	}
	return -1;
}

/* The list and number readers below are out of line: few requests have
 * those fields, and fp_http_analyze(), run for each, stays small.
 */

/* Sets *e to the next element of the comma-separated list v from v.p[*i]
 * on, OWS around it removed, and moves *i past it; false at the end of v.
 * RFC 9110 5.6.1.2: "Empty elements do not contribute to the count of
 * elements present."
 */
static bool
fp_http_list_next(struct fp_http_slice v, uint32_t *i, struct fp_http_slice *e)
{
	uint32_t p = *i, start;

	while (p < v.len && (v.p[p] == ',' || fp_http_ows(v.p[p])))
		p++;
	start = p;
	while (p < v.len && v.p[p] != ',')
		p++;
	*i = p;
	while (p > start && fp_http_ows(v.p[p - 1]))
		p--;
	e->p = v.p + start;
	e->len = p - start;
	return e->len > 0;
}

/* Looks for the "close" and "keep-alive" options in a Connection value.
 * RFC 9110 7.6.1: "Connection = #connection-option" and "Connection options
 * are case-insensitive."
 */
static __attribute__((noinline)) void
fp_http_conn_options(struct fp_http_slice v, bool *close, bool *keep_alive)
{
	struct fp_http_slice e;
	uint32_t i = 0;

	while (fp_http_list_next(v, &i, &e)) {
		if (FP_HTTP_IEQ(e.p, e.len, "close"))
			*close = true;
		else if (FP_HTTP_IEQ(e.p, e.len, "keep-alive"))
			*keep_alive = true;
	}
}

/* What Connection, Content-Length and Transfer-Encoding say of a message's
 * framing, gathered field by field, for requests and responses alike.
 */
struct fp_http_framing {
	uint64_t cl;		/* Content-Length, once cl_seen */
	uint32_t nb_chunked;	/* "chunked" codings in Transfer-Encoding */
	bool conn_close;	/* the "close" option */
	bool conn_keep;		/* the "keep-alive" option */
	bool te;		/* Transfer-Encoding is there */
	bool te_other;		/* with a coding other than chunked */
	bool te_last_chunked;	/* chunked is its final coding */
	bool cl_seen;
	bool cl_ok;		/* no invalid or conflicting Content-Length */
};

/* Adds the codings of one Transfer-Encoding field to those of the lines
 * before it: counts "chunked", notes any other coding and which one is
 * last. RFC 9112 6.1: "Transfer-Encoding = #transfer-coding"; RFC 9112 7:
 * "All transfer-coding names are case-insensitive". RFC 9110 5.3: field
 * lines of one name combine, in order, into one list.
 */
static __attribute__((noinline)) void
fp_http_te_codings(struct fp_http_slice v, struct fp_http_framing *f)
{
	struct fp_http_slice e;
	uint32_t i = 0;

	while (fp_http_list_next(v, &i, &e)) {
		f->te_last_chunked = FP_HTTP_IEQ(e.p, e.len, "chunked");
		if (f->te_last_chunked)
			f->nb_chunked++;
		else
			f->te_other = true;
	}
}

/* Folds one Content-Length field into *cl (*seen once one value is known).
 * RFC 9110 8.6: Content-Length = 1*DIGIT. RFC 9112 6.3: an invalid one is an
 * unrecoverable error "unless the field value can be successfully parsed as a
 * comma-separated list ..., all values in the list are valid, and all values
 * in the list are the same". Returns false when the field breaks that.
 */
static __attribute__((noinline)) bool
fp_http_content_length(struct fp_http_slice v, uint64_t *cl, bool *seen)
{
	const uint64_t max = INT64_MAX;
	bool any = false;
	uint32_t i = 0;
	uint64_t n, d;

	while (i < v.len) {
		if (v.p[i] == ',' || fp_http_ows(v.p[i])) {
			i++;
			continue;
		}
		if (v.p[i] < '0' || v.p[i] > '9')
			return false;
		n = 0;
		while (i < v.len && v.p[i] >= '0' && v.p[i] <= '9') {
			d = (uint64_t)(v.p[i] - '0');
			if (n > (max - d) / 10)
				return false;
			n = n * 10 + d;
			i++;
		}
		while (i < v.len && fp_http_ows(v.p[i]))
			i++;
		/* "1 2": digits, space, digits is no list element. */
		if (i < v.len && v.p[i] != ',')
			return false;
		if (*seen && n != *cl)
			return false;
		*cl = n;
		*seen = true;
		any = true;
	}
	return any;
}

/* Takes h into f when it is Connection, Content-Length or
 * Transfer-Encoding (by length first: most fields are none of them).
 * Returns false for any other field.
 */
static inline bool
fp_http_framing_field(const struct fp_http_header *h, struct fp_http_framing *f)
{
	switch (h->name.len) {
	case 10:
		if (!FP_HTTP_IEQ(h->name.p, 10, "connection"))
			return false;
		fp_http_conn_options(h->value, &f->conn_close, &f->conn_keep);
		return true;
	case 14:
		if (!FP_HTTP_IEQ(h->name.p, 14, "content-length"))
			return false;
		if (f->cl_ok)
			f->cl_ok = fp_http_content_length(h->value, &f->cl, &f->cl_seen);
		return true;
	case 17:
		if (!FP_HTTP_IEQ(h->name.p, 17, "transfer-encoding"))
			return false;
		f->te = true;
		fp_http_te_codings(h->value, f);
		return true;
	default:
		return false;
	}
}

/* Finds the path of the target (query cut off), or returns false when the
 * target has none of the forms a server accepts.
 */
static bool
fp_http_target_path(struct fp_http_slice t, uint8_t meth, struct fp_http_slice *path)
{
	const char *q;
	uint32_t i;

	if (t.len > 0 && t.p[0] == '/') {
		/* RFC 9112 3.2.1: origin-form = absolute-path [ "?" query ] */
		q = memchr(t.p, '?', t.len);
		path->p = t.p;
		path->len = q == NULL ? t.len : (uint32_t)(q - t.p);
		return true;
	}
	/* RFC 9112 3.2.2: "a server MUST accept the absolute-form in requests,
	 * even though HTTP/1.1 clients will only send them in requests to
	 * proxies." RFC 9110 4.2.3: "The scheme and host are case-insensitive".
	 */
	if (t.len >= 7 && FP_HTTP_IEQ(t.p, 7, "http://"))
		i = 7;
	else if (t.len >= 8 && FP_HTTP_IEQ(t.p, 8, "https://"))
		i = 8;
	else if (meth == FP_HTTP_M_CONNECT) {
		/* RFC 9112 3.2.3: the authority-form "is only used for CONNECT
		 * requests"; CONNECT gets 405 anyway, so no deeper check.
		 */
		*path = t;
		return true;
	} else if (t.len == 1 && t.p[0] == '*') {
		/* RFC 9112 3.2.4: "The asterisk-form of request-target is only
		 * used for a server-wide OPTIONS request".
		 */
		*path = t;
		return meth == FP_HTTP_M_OPTIONS;
	} else {
		return false;
	}
	path->p = t.p + i;
	while (i < t.len && t.p[i] != '/' && t.p[i] != '?')
		i++;
	/* RFC 9110 4.2.1: "A sender MUST NOT generate an "http" URI with an
	 * empty host identifier. A recipient that processes such a URI
	 * reference MUST reject it as invalid."
	 */
	if (t.p + i == path->p)
		return false;
	if (i == t.len || t.p[i] == '?') {
		path->p = "/";
		path->len = 1;
		return true;
	}
	path->p = t.p + i;
	q = memchr(path->p, '?', t.len - i);
	path->len = q == NULL ? t.len - i : (uint32_t)(q - path->p);
	return true;
}

__attribute__((hot)) int
fp_http_analyze(const struct fp_http_request *req, const struct fp_http_limits *lim,
	struct fp_http_info *info)
{
	struct fp_http_framing f = { .cl_ok = true };
	bool form_ok, te_chunked;
	const struct fp_http_header *h;
	unsigned int nb_host = 0;
	uint16_t i;
	int meth;

	info->status = 0;
	info->reason = FP_HTTP_R_NONE;
	info->keep_alive = false;
	info->chunked = false;
	info->content_length = 0;
	info->path.p = NULL;
	info->path.len = 0;
	meth = fp_http_meth_of(req->method.p, req->method.len);
	info->method = meth < 0 ? FP_HTTP_M_UNKNOWN : (uint8_t)meth;

	/* RFC 9110 15.6.6: 505 is for "the major version of HTTP that was used
	 * in the request message". RFC 9110 2.5: a recipient given a higher
	 * minor version "SHOULD process the message as if it were in the
	 * highest minor version within that major version to which the
	 * recipient is conformant", so 1.2 and up are 1.1.
	 */
	if (req->major != 1) {
		fp_http_refuse(info, FP_HTTP_R_bad_version);
		return 0;
	}

	for (i = 0; i < req->nb_headers; i++) {
		h = &req->headers[i];
		if (!fp_http_framing_field(h, &f) && h->name.len == 4 &&
				FP_HTTP_IEQ(h->name.p, 4, "host"))
			nb_host++;
	}

	/* RFC 9112 9.3: "If the "close" connection option is present ..., the
	 * connection will not persist after the current response; else, If the
	 * received protocol is HTTP/1.1 (or later), the connection will persist
	 * ...; else, If the received protocol is HTTP/1.0, the "keep-alive"
	 * connection option is present, ... the connection will persist".
	 */
	info->keep_alive = !f.conn_close && (req->minor >= 1 || f.conn_keep);
	if (f.cl_ok && f.cl_seen)
		info->content_length = f.cl;
	te_chunked = f.te && !f.te_other && f.nb_chunked == 1;
	/* RFC 9112 6.3: "If a Transfer-Encoding header field is present and
	 * the chunked transfer coding ... is the final encoding, the message
	 * body length is determined by reading and decoding the chunked data".
	 * Content-Length and HTTP/1.0 spoil it: see their 400s below.
	 */
	info->chunked = te_chunked && f.cl_ok && !f.cl_seen && req->minor >= 1;
	form_ok = fp_http_target_path(req->target, info->method, &info->path);
	if (!form_ok) {
		info->path.p = NULL;
		info->path.len = 0;
	}

	/* RFC 9112 3.2: "A server MUST respond with a 400 (Bad Request) status
	 * code to any HTTP/1.1 request message that lacks a Host header field
	 * and to any request message that contains more than one Host header
	 * field line".
	 */
	if (req->minor >= 1 && nb_host == 0) {
		fp_http_refuse(info, FP_HTTP_R_missing_host);
	} else if (nb_host > 1) {
		fp_http_refuse(info, FP_HTTP_R_duplicate_host);
	} else if (!f.cl_ok) {
		/* RFC 9112 6.3: "If the unrecoverable error is in a request
		 * message, the server MUST respond with a 400 (Bad Request)
		 * status code and then close the connection."
		 */
		fp_http_refuse(info, FP_HTTP_R_bad_content_length);
	} else if (f.cl_seen && f.te) {
		/* RFC 9112 6.1: "A server MAY reject a request that contains
		 * both Content-Length and Transfer-Encoding ... Regardless, the
		 * server MUST close the connection after responding".
		 */
		fp_http_refuse(info, FP_HTTP_R_cl_and_te);
	} else if (f.te && req->minor == 0) {
		/* RFC 9112 6.1: "A server or client that receives an HTTP/1.0
		 * message containing a Transfer-Encoding header field MUST treat
		 * the message as if the framing is faulty, even if a
		 * Content-Length is present, and close the connection after
		 * processing the message."
		 */
		fp_http_refuse(info, FP_HTTP_R_te_in_http10);
	} else if (req->target.len > lim->max_uri) {
		/* RFC 9112 3: "A server that receives a request-target longer
		 * than any URI it wishes to parse MUST respond with a 414 (URI
		 * Too Long) status code".
		 */
		fp_http_refuse(info, FP_HTTP_R_uri_too_long);
	} else if (info->method == FP_HTTP_M_CONNECT || info->method == FP_HTTP_M_TRACE) {
		/* We never tunnel, and TRACE would echo cookies and credentials
		 * back. RFC 9110 15.5.6: 405 means "the method received in the
		 * request-line is known by the origin server but not supported
		 * by the target resource." Before the target's form, so that
		 * CONNECT gets 405 with any target.
		 */
		fp_http_refuse(info, FP_HTTP_R_method_not_allowed);
	} else if (!form_ok) {
		fp_http_refuse(info, FP_HTTP_R_bad_target_form);
	} else if (f.te && !te_chunked) {
		/* RFC 9112 6.1: "A server that receives a request message with
		 * a transfer coding it does not understand SHOULD respond with
		 * 501 (Not Implemented)." We decode chunked alone: not gzip
		 * under it, nor chunked twice ("A sender MUST NOT apply the
		 * chunked transfer coding more than once to a message body").
		 */
		fp_http_refuse(info, FP_HTTP_R_transfer_encoding);
	} else if (info->method == FP_HTTP_M_UNKNOWN) {
		/* RFC 9110 15.6.2: 501 "is the appropriate response when the
		 * server does not recognize the request method".
		 */
		fp_http_refuse(info, FP_HTTP_R_unknown_method);
	} else if (f.cl > lim->max_body) {
		fp_http_refuse(info, FP_HTTP_R_body_too_large);
	}

	/* After any other error the body's framing is suspect or the client is
	 * confused: close. A 405 keeps the connection if its body is known to
	 * be small enough to read and throw away: a Content-Length within
	 * max_body, not a Transfer-Encoding of unknown length.
	 */
	if (info->status >= 400 && info->status != 404 && info->status != 405)
		info->keep_alive = false;
	if (info->status == 405 && (f.cl > lim->max_body || f.te))
		info->keep_alive = false;
	return 0;
}

uint16_t
fp_http_incomplete_status(const char *buf, size_t len, int parse_ret,
	const struct fp_http_request *req, const struct fp_http_limits *lim, uint8_t *reason)
{
	const char *line, *nl, *sp, *tend;
	size_t skip = 0, target = 0, line_len;
	enum fp_http_perr err;

	*reason = FP_HTTP_R_NONE;
	if (parse_ret == -1) {
		err = req->err < FP_HTTP_PERR_MAX ? req->err : FP_HTTP_PERR_NONE;
		/* RFC 6585 5: 431 "indicates that the server is unwilling to
		 * process the request because its header fields are too large"
		 * (too_many_headers has it; the other parse errors 400).
		 */
		*reason = fp_http_perr_reason[err];
		return fp_http_reason_statuses[*reason];
	}
	if (parse_ret >= 0) {
		if ((uint64_t)parse_ret > lim->max_header_bytes) {
			*reason = FP_HTTP_R_header_too_large;
			return fp_http_reason_statuses[*reason];
		}
		return 0;
	}

	/* A valid prefix: any CR is followed by LF or ends the buffer. */
	while (skip < len && (buf[skip] == '\r' || buf[skip] == '\n'))
		skip++;
	line = buf + skip;
	line_len = len - skip;
	nl = line_len == 0 ? NULL : memchr(line, '\n', line_len);
	if (nl == NULL) {
		sp = line_len == 0 ? NULL : memchr(line, ' ', line_len);
		if (sp != NULL) {
			sp++;
			tend = memchr(sp, ' ', (size_t)(buf + len - sp));
			target = (size_t)((tend == NULL ? buf + len : tend) - sp);
		}
		if (target > lim->max_uri || (len >= lim->max_header_bytes &&
				(uint64_t)line_len > (uint64_t)lim->max_uri + 16)) {
			*reason = FP_HTTP_R_uri_too_long;
			return fp_http_reason_statuses[*reason];
		}
	}
	if (len >= lim->max_header_bytes) {
		*reason = FP_HTTP_R_header_too_large;
		return fp_http_reason_statuses[*reason];
	}
	return 0;
}

/* Response analysis, for clients. */

#define FP_HTTP_RESP_ERR_NAME(a, name, help) #name,
const char *const fp_http_resp_err_names[FP_HTTP_RESP_E_NONE] = {
	FP_HTTP_RESP_ERR_LIST(FP_HTTP_RESP_ERR_NAME, _)
};
#undef FP_HTTP_RESP_ERR_NAME

static int
fp_http_resp_fail(struct fp_http_resp_info *info, enum fp_http_resp_err err)
{
	info->err = err;
	info->keep_alive = false;
	return -1;
}

int
fp_http_resp_analyze(const struct fp_http_response *resp, bool head,
	struct fp_http_resp_info *info)
{
	struct fp_http_framing f = { .cl_ok = true };
	uint16_t i;

	info->content_length = 0;
	info->body = FP_HTTP_BODY_NONE;
	info->err = FP_HTTP_RESP_E_NONE;
	info->keep_alive = false;
	if (resp->major != 1)
		return fp_http_resp_fail(info, FP_HTTP_RESP_E_bad_version);
	for (i = 0; i < resp->nb_headers; i++)
		fp_http_framing_field(&resp->headers[i], &f);
	/* RFC 9112 9.3, as for requests. */
	info->keep_alive = !f.conn_close && (resp->minor >= 1 || f.conn_keep);

	/* RFC 9112 6.3: "Any response to a HEAD request and any response with
	 * a 1xx (Informational), 204 (No Content), or 304 (Not Modified)
	 * status code is always terminated by the first empty line after the
	 * header fields, regardless of the header fields present".
	 */
	if (head || resp->status < 200 || resp->status == 204 || resp->status == 304)
		return 0;
	/* RFC 9112 6.2: "A sender MUST NOT send a Content-Length header field
	 * in any message that contains a Transfer-Encoding header field." The
	 * client would go by Transfer-Encoding; a checking client says no.
	 */
	if (f.te && (f.cl_seen || !f.cl_ok))
		return fp_http_resp_fail(info, FP_HTTP_RESP_E_cl_and_te);
	/* RFC 9112 6.1: "A sender MUST NOT apply the chunked transfer coding
	 * more than once to a message body".
	 */
	if (f.nb_chunked > 1)
		return fp_http_resp_fail(info, FP_HTTP_RESP_E_chunked_twice);
	/* RFC 9112 6.1: "A server or client that receives an HTTP/1.0
	 * message containing a Transfer-Encoding header field MUST treat the
	 * message as if the framing is faulty, even if a Content-Length is
	 * present, and close the connection after processing the message."
	 */
	if (f.te && resp->minor == 0)
		info->keep_alive = false;
	/* RFC 9112 6.3: "If a Transfer-Encoding header field is present in a
	 * response and the chunked transfer coding is not the final encoding,
	 * the message body length is determined by reading the connection
	 * until it is closed by the server."
	 */
	if (f.te) {
		if (f.te_last_chunked) {
			info->body = FP_HTTP_BODY_CHUNKED;
		} else {
			info->body = FP_HTTP_BODY_CLOSE;
			info->keep_alive = false;
		}
		return 0;
	}
	/* RFC 9112 6.3: "If a message is received without Transfer-Encoding
	 * and with an invalid Content-Length header field, then the message
	 * framing is invalid and the recipient MUST treat it as an
	 * unrecoverable error".
	 */
	if (!f.cl_ok)
		return fp_http_resp_fail(info, FP_HTTP_RESP_E_bad_content_length);
	if (f.cl_seen) {
		info->body = FP_HTTP_BODY_LENGTH;
		info->content_length = f.cl;
		return 0;
	}
	/* RFC 9112 6.3: "Otherwise, this is a response message without a
	 * declared message body length, so the message body length is
	 * determined by the number of octets received prior to the server
	 * closing the connection."
	 */
	info->body = FP_HTTP_BODY_CLOSE;
	info->keep_alive = false;
	return 0;
}
