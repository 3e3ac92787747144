/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The fastpath authors
 */

#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <check.h>

#include "fp_http_parse.h"
#include "fp_test_guard.h"
#include "fp_test_rand.h"

/* Also in fp_test.h; declared here too since this test is plain C (no DPDK). */
Suite *
http_parse_suite(void);

#define DIM(a) (sizeof(a) / sizeof((a)[0]))

/* Every input is copied to end exactly where a PROT_NONE page begins
 * (fp_test_guard.h), so a read of buf[len] faults.
 */
static int
parse_guarded(const void *data, size_t len, struct fp_http_request *req)
{
	return fp_http_parse_request(fp_test_guarded(data, len), len, req);
}

/* s holds exactly exp and lies within [buf, buf + len). */
static void
assert_slice(struct fp_http_slice s, const char *exp, const char *buf, size_t len)
{
	size_t n = strlen(exp);

	ck_assert_ptr_nonnull(s.p);
	ck_assert_msg(s.p >= buf && s.p + s.len <= buf + len, "slice outside the buffer");
	ck_assert_msg(s.len == n && memcmp(s.p, exp, n) == 0, "got \"%.*s\", expected \"%s\"",
		(int)s.len, s.p, exp);
}

/* Limits the analysis tests run with. */
static const struct fp_http_limits lim = {
	.max_uri = 32,
	.max_header_bytes = 1024,
	.max_body = 1000,
};

/* Valid heads. IN2's second string follows the head (pipelined bytes or a
 * body) and must not be consumed.
 */
#define IN(lit) .in = lit, .len = sizeof(lit) - 1, .head = sizeof(lit) - 1
#define IN2(h, tail) .in = h tail, .len = sizeof(h tail) - 1, .head = sizeof(h) - 1

struct hdr_exp {
	const char *name;
	const char *value;
};

static const struct valid_case {
	const char *in;
	size_t len;
	size_t head;
	const char *method;
	const char *target;
	uint8_t major, minor;
	uint16_t nb_headers;
	struct hdr_exp h[4];	/* the first headers */
} valid[] = {
	{ IN("GET / HTTP/1.1\r\nHost: a\r\n\r\n"), "GET", "/", 1, 1, 1, { { "Host", "a" } } },
	{ IN("HEAD /index.html HTTP/1.0\r\n\r\n"), "HEAD", "/index.html", 1, 0, 0, { { 0 } } },
	/* OWS around values is not part of them. */
	{ IN("GET / HTTP/1.1\r\nHost:   a b \t\r\nX-A:\tv\t\r\nX-B:w\r\n\r\n"), "GET", "/", 1, 1, 3,
		{ { "Host", "a b" }, { "X-A", "v" }, { "X-B", "w" } } },
	{ IN("GET / HTTP/1.1\r\nHost: a\r\nX-Empty:\r\nX-Blank: \t \r\n\r\n"), "GET", "/", 1, 1, 3,
		{ { "Host", "a" }, { "X-Empty", "" }, { "X-Blank", "" } } },
	/* Bare LF line ends, alone and mixed with CRLF. */
	{ IN("GET /x HTTP/1.1\nHost: a\nX: y\n\n"), "GET", "/x", 1, 1, 2,
		{ { "Host", "a" }, { "X", "y" } } },
	{ IN("GET / HTTP/1.1\r\nHost: a\n\r\n"), "GET", "/", 1, 1, 1, { { "Host", "a" } } },
	{ IN("GET / HTTP/1.1\nHost: a\r\n\n"), "GET", "/", 1, 1, 1, { { "Host", "a" } } },
	/* Empty lines before the request line are consumed. */
	{ IN("\r\n\n\r\nGET / HTTP/1.1\r\nHost: a\r\n\r\n"), "GET", "/", 1, 1, 1,
		{ { "Host", "a" } } },
	/* obs-text in a value. */
	{ IN("GET / HTTP/1.1\r\nHost: a\r\nX-T: caf\xc3\xa9 \x80\xff\r\n\r\n"), "GET", "/", 1, 1, 2,
		{ { "Host", "a" }, { "X-T", "caf\xc3\xa9 \x80\xff" } } },
	{ IN("GET http://example.com:8080/p/q?x=1 HTTP/1.1\r\nHost: example.com:8080\r\n\r\n"),
		"GET", "http://example.com:8080/p/q?x=1", 1, 1, 1,
		{ { "Host", "example.com:8080" } } },
	{ IN("GET /search?q=a%20b&x=%2F HTTP/1.1\r\nHost: a\r\n\r\n"), "GET",
		"/search?q=a%20b&x=%2F", 1, 1, 1, { { "Host", "a" } } },
	/* Pipelined requests and bodies stay unread. */
	{ IN2("GET /a HTTP/1.1\r\nHost: a\r\n\r\n", "GET /b HTTP/1.1\r\nHost: a\r\n\r\n"),
		"GET", "/a", 1, 1, 1, { { "Host", "a" } } },
	{ IN2("GET /a HTTP/1.1\r\nHost: a\r\n\r\n", "\x00\x01\r garbage"), "GET", "/a", 1, 1, 1,
		{ { "Host", "a" } } },
	{ IN2("POST /f HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\n", "hello"), "POST", "/f",
		1, 1, 2, { { "Host", "a" }, { "Content-Length", "5" } } },
	{ IN2("GET / HTTP/1.0\n\n", "\n\n"), "GET", "/", 1, 0, 0, { { 0 } } },
	/* Well-formed versions we do not serve still parse (505 comes later). */
	{ IN("GET / HTTP/2.0\r\n\r\n"), "GET", "/", 2, 0, 0, { { 0 } } },
	{ IN("GET / HTTP/0.9\r\n\r\n"), "GET", "/", 0, 9, 0, { { 0 } } },
	{ IN("GET / HTTP/1.2\r\nHost: a\r\n\r\n"), "GET", "/", 1, 2, 1, { { "Host", "a" } } },
	/* Any token is a method; any tchar goes in a name; ':' in a value. */
	{ IN("M-SEARCH * HTTP/1.1\r\nHOST: 239.255.255.250:1900\r\n\r\n"), "M-SEARCH", "*", 1, 1,
		1, { { "HOST", "239.255.255.250:1900" } } },
	{ IN("BREW /pot HTTP/1.1\r\nHost: a:80\r\n\r\n"), "BREW", "/pot", 1, 1, 1,
		{ { "Host", "a:80" } } },
	{ IN("GET / HTTP/1.1\r\nX!#$%&'*+-.^_`|~0aZ: v\r\nHost: a\r\n\r\n"), "GET", "/", 1, 1, 2,
		{ { "X!#$%&'*+-.^_`|~0aZ", "v" }, { "Host", "a" } } },
	{ IN("OPTIONS * HTTP/1.1\r\nHost: a\r\n\r\n"), "OPTIONS", "*", 1, 1, 1,
		{ { "Host", "a" } } },
	/* Every visible ASCII byte is allowed in the target. */
	{ IN("GET /!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~ HTTP/1.1\r\nHost: a\r\n\r\n"), "GET",
		"/!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~", 1, 1, 1, { { "Host", "a" } } },
	{ IN("GET / HTTP/1.1\r\nHost: a\r\nX: a\tb: c\r\n\r\n"), "GET", "/", 1, 1, 2,
		{ { "Host", "a" }, { "X", "a\tb: c" } } },
};

static void
assert_valid(const struct valid_case *c, const char *buf, const struct fp_http_request *req)
{
	unsigned int i;

	assert_slice(req->method, c->method, buf, c->len);
	assert_slice(req->target, c->target, buf, c->len);
	ck_assert_uint_eq(req->major, c->major);
	ck_assert_uint_eq(req->minor, c->minor);
	ck_assert_uint_eq(req->nb_headers, c->nb_headers);
	ck_assert_int_eq(req->err, FP_HTTP_PERR_NONE);
	for (i = 0; i < DIM(c->h) && i < c->nb_headers; i++) {
		assert_slice(req->headers[i].name, c->h[i].name, buf, c->len);
		assert_slice(req->headers[i].value, c->h[i].value, buf, c->len);
	}
}

START_TEST(test_valid)
{
	const struct valid_case *c = &valid[_i];
	struct fp_http_request req;
	const char *buf;

	buf = fp_test_guarded(c->in, c->len);
	ck_assert_int_eq(fp_http_parse_request(buf, c->len, &req), (int)c->head);
	assert_valid(c, buf, &req);
}
END_TEST

/* Every prefix shorter than the head is -2; any longer one gives the head. */
START_TEST(test_valid_prefixes)
{
	const struct valid_case *c = &valid[_i];
	struct fp_http_request req;
	size_t k;
	int ret;

	for (k = 0; k <= c->len; k++) {
		ret = parse_guarded(c->in, k, &req);
		if (k < c->head) {
			ck_assert_msg(ret == -2, "prefix %zu: %d", k, ret);
			ck_assert_int_eq(req.err, FP_HTTP_PERR_NONE);
		} else {
			ck_assert_msg(ret == (int)c->head, "prefix %zu: %d", k, ret);
		}
	}
}
END_TEST

/* Writes a request with Host and then more fields, nb in all, to out. */
static size_t
many_headers(char *out, size_t room, unsigned int nb)
{
	size_t n;
	unsigned int i;

	n = (size_t)snprintf(out, room, "GET /many HTTP/1.1\r\nHost: a\r\n");
	for (i = 1; i < nb; i++)
		n += (size_t)snprintf(out + n, room - n, "X-H%02u: value %u\r\n", i, i);
	n += (size_t)snprintf(out + n, room - n, "\r\n");
	ck_assert_uint_lt(n, room);
	return n;
}

START_TEST(test_max_headers)
{
	static char in[4096];
	struct fp_http_request req;
	struct fp_http_info info;
	const char *buf;
	size_t n, k;

	n = many_headers(in, sizeof(in), FP_HTTP_MAX_HEADERS);
	buf = fp_test_guarded(in, n);
	ck_assert_int_eq(fp_http_parse_request(buf, n, &req), (int)n);
	ck_assert_uint_eq(req.nb_headers, FP_HTTP_MAX_HEADERS);
	assert_slice(req.headers[0].name, "Host", buf, n);
	assert_slice(req.headers[63].name, "X-H63", buf, n);
	assert_slice(req.headers[63].value, "value 63", buf, n);
	ck_assert_int_eq(fp_http_analyze(&req, &lim, &info), 0);
	ck_assert_uint_eq(info.status, 0);
	for (k = 0; k < n; k++)
		ck_assert_int_eq(parse_guarded(in, k, &req), -2);
}
END_TEST

START_TEST(test_too_many_headers)
{
	static char in[4096];
	struct fp_http_request req;
	uint8_t reason;
	size_t n, k, at;
	uint16_t st;
	int ret;

	n = many_headers(in, sizeof(in), FP_HTTP_MAX_HEADERS + 1);
	/* Fails at the first byte of the 65th field, before its end. */
	at = n - strlen("X-H64: value 64\r\n\r\n") + 1;
	for (k = 0; k <= n; k++) {
		ret = parse_guarded(in, k, &req);
		ck_assert_int_eq(ret, k < at ? -2 : -1);
	}
	ck_assert_int_eq(req.err, FP_HTTP_PERR_TOO_MANY_HEADERS);
	st = fp_http_incomplete_status(fp_test_guard_end - n, n, -1, &req, &lim, &reason);
	ck_assert_uint_eq(st, 431);
	ck_assert_str_eq(fp_http_reason_name(reason), "too_many_headers");
}
END_TEST

/* A len too big for the return value: the head still ends where it ends,
 * and nothing past it is read.
 */
START_TEST(test_huge_len)
{
	static const char in[] = "GET / HTTP/1.1\r\nHost: a\r\n\r\n";
	struct fp_http_request req;

	ck_assert_int_eq(fp_http_parse_request(fp_test_guarded(in, sizeof(in) - 1),
		(size_t)INT_MAX + 10, &req), (int)sizeof(in) - 1);
}
END_TEST

/* Invalid heads. BAD's first string is the shortest prefix that fails;
 * everything shorter is a valid prefix (-2).
 */
#define BAD(fail, rest, e) { fail rest, sizeof(fail rest) - 1, sizeof(fail) - 1, FP_HTTP_PERR_##e }

static const struct bad_case {
	const char *in;
	size_t len;
	size_t at;
	enum fp_http_perr err;
} bad[] = {
	BAD("GE\x01", "T / HTTP/1.1\r\n\r\n", METHOD),
	BAD(" ", "GET / HTTP/1.1\r\n\r\n", METHOD),
	BAD("G(", "ET / HTTP/1.1\r\n\r\n", METHOD),
	BAD("\x80", "GET / HTTP/1.1\r\n\r\n", METHOD),
	BAD("\r\nGET@", " / HTTP/1.1\r\n\r\n", METHOD),
	BAD("GET/", "index HTTP/1.1\r\n\r\n", METHOD),

	BAD("GET /a\x01", "b HTTP/1.1\r\n\r\n", TARGET),
	BAD("GET /\x7f", " HTTP/1.1\r\n\r\n", TARGET),
	BAD("GET /\x00", " HTTP/1.1\r\n\r\n", TARGET),
	BAD("GET /caf\xc3", "\xa9 HTTP/1.1\r\n\r\n", TARGET),
	BAD("GET \n", "\n", TARGET),
	BAD("GET \r", "\n\r\n", TARGET),

	BAD("GET / h", "ttp/1.1\r\n\r\n", VERSION),
	BAD("GET / HTTP/1.a", "\r\n\r\n", VERSION),
	BAD("GET / HTTP/11", ".1\r\n\r\n", VERSION),
	BAD("GET / HTTP/1.10", "\r\n\r\n", VERSION),
	BAD("GET / HTTPS", "/1.1\r\n\r\n", VERSION),
	BAD("GET / HTTP/1\r", "\n\r\n", VERSION),
	BAD("GET / HTTP/1.1x", "\r\n\r\n", VERSION),

	BAD("GET  ", "/ HTTP/1.1\r\n\r\n", REQUEST_LINE),
	BAD("GET\t", "/ HTTP/1.1\r\n\r\n", REQUEST_LINE),
	BAD("GET /\t", "HTTP/1.1\r\n\r\n", REQUEST_LINE),
	BAD("GET /  ", "HTTP/1.1\r\n\r\n", REQUEST_LINE),
	BAD("GET / HTTP/1.1 ", "\r\n\r\n", REQUEST_LINE),
	BAD("GET /\r", "\n\r\n", REQUEST_LINE),
	BAD("GET /\n", "\n", REQUEST_LINE),
	BAD("GET\r", "\n\r\n", REQUEST_LINE),
	BAD("GET\n", "\n", REQUEST_LINE),

	BAD("\rX", "GET / HTTP/1.1\r\n\r\n", BARE_CR),
	BAD("GET\r", "X / HTTP/1.1\r\n\r\n", BARE_CR),
	BAD("GET /a\r", "b HTTP/1.1\r\n\r\n", BARE_CR),
	BAD("GET / HTTP/1.1\rX", "Host: a\r\n\r\n", BARE_CR),
	BAD("GET / HTTP/1.1\r\nHost: a\rb", "\r\n\r\n", BARE_CR),
	BAD("GET / HTTP/1.1\r\nHost: a \r\t", "\n\r\n", BARE_CR),
	BAD("GET / HTTP/1.1\r\nHo\r", "st: a\r\n\r\n", BARE_CR),
	BAD("GET / HTTP/1.1\r\nHost: a\r\n\r ", "", BARE_CR),

	BAD("GET / HTTP/1.1\r\n:", " a\r\n\r\n", HEADER_NAME),
	BAD("GET / HTTP/1.1\r\nHo(", "st: a\r\n\r\n", HEADER_NAME),
	BAD("GET / HTTP/1.1\r\nHost\r", "\n\r\n", HEADER_NAME),
	BAD("GET / HTTP/1.1\r\nHost\n", "\n", HEADER_NAME),
	BAD("GET / HTTP/1.1\r\n\x80", "ost: a\r\n\r\n", HEADER_NAME),
	BAD("GET / HTTP/1.1\r\nHost: a\r\nX@", ": b\r\n\r\n", HEADER_NAME),
	BAD("GET / HTTP/1.1\r\nHost: a\r\n\x00", "\r\n", HEADER_NAME),

	BAD("GET / HTTP/1.1\r\nHost ", ": a\r\n\r\n", SPACE_BEFORE_COLON),
	BAD("GET / HTTP/1.1\r\nHost\t", ": a\r\n\r\n", SPACE_BEFORE_COLON),
	BAD("GET / HTTP/1.1\r\nHost: a\r\nContent-Length ", ": 0\r\n\r\n", SPACE_BEFORE_COLON),

	BAD("GET / HTTP/1.1\r\nHost: a\r\n ", "b\r\n\r\n", OBS_FOLD),
	BAD("GET / HTTP/1.1\r\nHost: a\r\n\t", "b\r\n\r\n", OBS_FOLD),
	BAD("GET / HTTP/1.1\r\n ", "Host: a\r\n\r\n", OBS_FOLD),
	BAD("GET / HTTP/1.1\n\t", "Host: a\n\n", OBS_FOLD),

	BAD("GET / HTTP/1.1\r\nHost: a\x00", "b\r\n\r\n", HEADER_VALUE),
	BAD("GET / HTTP/1.1\r\nHost: \x01", "\r\n\r\n", HEADER_VALUE),
	BAD("GET / HTTP/1.1\r\nX: a\x7f", "\r\n\r\n", HEADER_VALUE),
	BAD("GET / HTTP/1.1\r\nX: \x1b", "[0m\r\n\r\n", HEADER_VALUE),
	BAD("GET / HTTP/1.1\r\nX: a\x0b", "b\r\n\r\n", HEADER_VALUE),
};

START_TEST(test_invalid)
{
	const struct bad_case *c = &bad[_i];
	struct fp_http_request req;
	uint8_t reason;
	uint16_t st;
	size_t k;
	int ret;

	for (k = 0; k <= c->len; k++) {
		ret = parse_guarded(c->in, k, &req);
		if (k < c->at) {
			ck_assert_msg(ret == -2, "prefix %zu: %d (err %d)", k, ret, req.err);
		} else {
			ck_assert_msg(ret == -1, "prefix %zu: %d", k, ret);
			ck_assert_int_ne(req.err, FP_HTTP_PERR_NONE);
		}
	}
	ck_assert_msg(req.err == c->err, "err %s, expected %s", fp_http_perr_names[req.err],
		fp_http_perr_names[c->err]);
	st = fp_http_incomplete_status(fp_test_guard_end - c->len, c->len, -1, &req, &lim, &reason);
	ck_assert_uint_eq(st, 400);
	ck_assert_str_eq(fp_http_reason_name(reason), fp_http_perr_names[c->err]);
}
END_TEST

/* Every perr has a distinct snake_case name and a case in the table above. */
START_TEST(test_perr_names)
{
	bool covered[FP_HTTP_PERR_MAX] = { false };
	const char *s;
	unsigned int i, j;

	for (i = 0; i < FP_HTTP_PERR_MAX; i++) {
		s = fp_http_perr_names[i];
		ck_assert_ptr_nonnull(s);
		ck_assert_uint_gt(strlen(s), 0);
		for (; *s != '\0'; s++)
			ck_assert_msg((*s >= 'a' && *s <= 'z') || *s == '_', "%s",
				fp_http_perr_names[i]);
		for (j = 0; j < i; j++)
			ck_assert_str_ne(fp_http_perr_names[i], fp_http_perr_names[j]);
	}
	for (i = 0; i < DIM(bad); i++)
		covered[bad[i].err] = true;
	for (i = FP_HTTP_PERR_NONE + 1; i < FP_HTTP_PERR_MAX; i++)
		ck_assert_msg(covered[i] || i == FP_HTTP_PERR_TOO_MANY_HEADERS ||
			i == FP_HTTP_PERR_STATUS, "%s untested",
			fp_http_perr_names[i]);
}
END_TEST

/* fp_http_analyze on complete heads; NULL path: not checked. */
#define AN(lit) .in = lit, .len = sizeof(lit) - 1
#define H11 " HTTP/1.1\r\nHost: a\r\n"
#define LONG33 "/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"	/* 33 bytes, max_uri + 1 */
#define LONG32 "/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"	/* 32 bytes, max_uri */

static const struct an_case {
	const char *in;
	size_t len;
	uint16_t status;
	const char *reason;
	bool keep_alive;
	uint64_t content_length;
	const char *path;
	uint8_t method;
	bool chunked;
} an[] = {
	{ AN("GET /" H11 "\r\n"), 0, NULL, true, 0, "/", FP_HTTP_M_GET },
	{ AN("GET /a/b?x=1&y" H11 "\r\n"), 0, NULL, true, 0, "/a/b", FP_HTTP_M_GET },
	{ AN("GET /?" H11 "\r\n"), 0, NULL, true, 0, "/", FP_HTTP_M_GET },
	{ AN("HEAD /x HTTP/1.0\r\n\r\n"), 0, NULL, false, 0, "/x", FP_HTTP_M_HEAD },
	{ AN("GET " LONG32 H11 "\r\n"), 0, NULL, true, 0, LONG32, FP_HTTP_M_GET },

	/* Persistence: 1.0 needs keep-alive, 1.1 has it unless close. */
	{ AN("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n"), 0, NULL, true, 0, "/",
		FP_HTTP_M_GET },
	{ AN("GET / HTTP/1.0\r\nConnection: close\r\n\r\n"), 0, NULL, false, 0, "/",
		FP_HTTP_M_GET },
	{ AN("GET / HTTP/1.0\r\nConnection: foo, close\r\n\r\n"), 0, NULL, false, 0, "/",
		FP_HTTP_M_GET },
	{ AN("GET / HTTP/1.0\r\nconnection: Keep-Alive\r\n\r\n"), 0, NULL, true, 0, "/",
		FP_HTTP_M_GET },
	{ AN("GET / HTTP/1.0\r\nConnection: keep-alive, close\r\n\r\n"), 0, NULL, false, 0, "/",
		FP_HTTP_M_GET },
	{ AN("GET / HTTP/1.0\r\nConnection: foo\r\n\r\n"), 0, NULL, false, 0, "/",
		FP_HTTP_M_GET },
	{ AN("GET / HTTP/1.0\r\nConnection: keep-alives\r\n\r\n"), 0, NULL, false, 0, "/",
		FP_HTTP_M_GET },
	{ AN("GET /" H11 "Connection: keep-alive\r\n\r\n"), 0, NULL, true, 0, "/",
		FP_HTTP_M_GET },
	{ AN("GET /" H11 "Connection: close\r\n\r\n"), 0, NULL, false, 0, "/", FP_HTTP_M_GET },
	{ AN("GET /" H11 "Connection: foo, close\r\n\r\n"), 0, NULL, false, 0, "/",
		FP_HTTP_M_GET },
	{ AN("GET /" H11 "connection: Keep-Alive\r\n\r\n"), 0, NULL, true, 0, "/",
		FP_HTTP_M_GET },
	{ AN("GET /" H11 "Connection: foo\r\n\r\n"), 0, NULL, true, 0, "/", FP_HTTP_M_GET },
	{ AN("GET /" H11 "Connection: closed\r\n\r\n"), 0, NULL, true, 0, "/", FP_HTTP_M_GET },
	{ AN("GET /" H11 "Connection: ,, CLOSE\t,\r\n\r\n"), 0, NULL, false, 0, "/",
		FP_HTTP_M_GET },
	{ AN("GET /" H11 "Connection: keep-alive\r\nConnection: close\r\n\r\n"), 0, NULL, false,
		0, "/", FP_HTTP_M_GET },
	/* 1.2 and up are 1.1. */
	{ AN("GET / HTTP/1.2\r\nHost: a\r\n\r\n"), 0, NULL, true, 0, "/", FP_HTTP_M_GET },
	{ AN("GET / HTTP/1.9\r\n\r\n"), 400, "missing_host", false, 0, NULL, FP_HTTP_M_GET },

	/* Target forms. */
	{ AN("GET http://example.com/p?q" H11 "\r\n"), 0, NULL, true, 0, "/p", FP_HTTP_M_GET },
	{ AN("GET HTTPS://Example.COM" H11 "\r\n"), 0, NULL, true, 0, "/", FP_HTTP_M_GET },
	{ AN("GET http://example.com?x=/y" H11 "\r\n"), 0, NULL, true, 0, "/", FP_HTTP_M_GET },
	{ AN("GET hTtP://a/b/c" H11 "\r\n"), 0, NULL, true, 0, "/b/c", FP_HTTP_M_GET },
	{ AN("GET http:///p" H11 "\r\n"), 400, "bad_target_form", false, 0, NULL,
		FP_HTTP_M_GET },
	{ AN("GET http://" H11 "\r\n"), 400, "bad_target_form", false, 0, NULL, FP_HTTP_M_GET },
	{ AN("GET http:/a" H11 "\r\n"), 400, "bad_target_form", false, 0, NULL, FP_HTTP_M_GET },
	{ AN("GET ftp://a/" H11 "\r\n"), 400, "bad_target_form", false, 0, NULL, FP_HTTP_M_GET },
	{ AN("GET a/b" H11 "\r\n"), 400, "bad_target_form", false, 0, NULL, FP_HTTP_M_GET },
	{ AN("GET *" H11 "\r\n"), 400, "bad_target_form", false, 0, NULL, FP_HTTP_M_GET },
	{ AN("OPTIONS *" H11 "\r\n"), 0, NULL, true, 0, "*", FP_HTTP_M_OPTIONS },
	{ AN("POST a.example:443" H11 "\r\n"), 400, "bad_target_form", false, 0, NULL,
		FP_HTTP_M_POST },
	{ AN("CONNECT a.example:443 HTTP/1.1\r\nHost: a.example:443\r\n\r\n"), 405,
		"method_not_allowed", true, 0, NULL, FP_HTTP_M_CONNECT },

	/* 505 */
	{ AN("GET / HTTP/2.0\r\nHost: a\r\n\r\n"), 505, "bad_version", false, 0, NULL,
		FP_HTTP_M_GET },
	{ AN("GET / HTTP/0.9\r\n\r\n"), 505, "bad_version", false, 0, NULL, FP_HTTP_M_GET },
	{ AN("GET / HTTP/3.0\r\nHost: a\r\nHost: b\r\n\r\n"), 505, "bad_version", false, 0, NULL,
		FP_HTTP_M_GET },
	{ AN("BREW " LONG33 " HTTP/2.0\r\n\r\n"), 505, "bad_version", false, 0, NULL,
		FP_HTTP_M_UNKNOWN },
	{ AN("POST / HTTP/2.0\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n"), 505,
		"bad_version", false, 0, NULL, FP_HTTP_M_POST, false },

	/* Host */
	{ AN("GET / HTTP/1.1\r\n\r\n"), 400, "missing_host", false, 0, NULL, FP_HTTP_M_GET },
	{ AN("GET / HTTP/1.1\r\nX-Host: a\r\nHosts: a\r\n\r\n"), 400, "missing_host", false, 0,
		NULL, FP_HTTP_M_GET },
	{ AN("GET /" H11 "host: b\r\n\r\n"), 400, "duplicate_host", false, 0, NULL,
		FP_HTTP_M_GET },
	{ AN("GET / HTTP/1.0\r\nHost: a\r\nHOST: a\r\n\r\n"), 400, "duplicate_host", false, 0,
		NULL, FP_HTTP_M_GET },
	{ AN("GET / HTTP/1.0\r\nHost: a\r\n\r\n"), 0, NULL, false, 0, "/", FP_HTTP_M_GET },

	/* Content-Length */
	{ AN("GET /" H11 "Content-Length: 5\r\n\r\n"), 0, NULL, true, 5, "/", FP_HTTP_M_GET },
	{ AN("GET /" H11 "Content-Length: 007\r\n\r\n"), 0, NULL, true, 7, "/", FP_HTTP_M_GET },
	{ AN("GET /" H11 "Content-Length: 0\r\n\r\n"), 0, NULL, true, 0, "/", FP_HTTP_M_GET },
	{ AN("GET /" H11 "content-length: 5, 5\r\n\r\n"), 0, NULL, true, 5, "/",
		FP_HTTP_M_GET },
	{ AN("GET /" H11 "Content-Length: 5,,5\r\n\r\n"), 0, NULL, true, 5, "/", FP_HTTP_M_GET },
	{ AN("GET /" H11 "Content-Length: 5\r\nContent-Length: 5\r\n\r\n"), 0, NULL, true, 5,
		"/", FP_HTTP_M_GET },
	{ AN("GET /" H11 "Content-Length: 1000\r\n\r\n"), 0, NULL, true, 1000, "/",
		FP_HTTP_M_GET },
	{ AN("GET /" H11 "Content-Length: -1\r\n\r\n"), 400, "bad_content_length", false, 0,
		NULL, FP_HTTP_M_GET },
	{ AN("GET /" H11 "Content-Length: +1\r\n\r\n"), 400, "bad_content_length", false, 0,
		NULL, FP_HTTP_M_GET },
	{ AN("GET /" H11 "Content-Length: 1 2\r\n\r\n"), 400, "bad_content_length", false, 0,
		NULL, FP_HTTP_M_GET },
	{ AN("GET /" H11 "Content-Length: abc\r\n\r\n"), 400, "bad_content_length", false, 0,
		NULL, FP_HTTP_M_GET },
	{ AN("GET /" H11 "Content-Length: 5a\r\n\r\n"), 400, "bad_content_length", false, 0,
		NULL, FP_HTTP_M_GET },
	{ AN("GET /" H11 "Content-Length: 0x10\r\n\r\n"), 400, "bad_content_length", false, 0,
		NULL, FP_HTTP_M_GET },
	{ AN("GET /" H11 "Content-Length:\r\n\r\n"), 400, "bad_content_length", false, 0, NULL,
		FP_HTTP_M_GET },
	{ AN("GET /" H11 "Content-Length: ,\r\n\r\n"), 400, "bad_content_length", false, 0,
		NULL, FP_HTTP_M_GET },
	{ AN("GET /" H11 "Content-Length: 9223372036854775808\r\n\r\n"), 400,
		"bad_content_length", false, 0, NULL, FP_HTTP_M_GET },
	{ AN("GET /" H11 "Content-Length: 18446744073709551616\r\n\r\n"), 400,
		"bad_content_length", false, 0, NULL, FP_HTTP_M_GET },
	{ AN("GET /" H11 "Content-Length: 99999999999999999999999\r\n\r\n"), 400,
		"bad_content_length", false, 0, NULL, FP_HTTP_M_GET },
	{ AN("GET /" H11 "Content-Length: 5, 6\r\n\r\n"), 400, "bad_content_length", false, 0,
		NULL, FP_HTTP_M_GET },
	{ AN("GET /" H11 "Content-Length: 5\r\nContent-Length: 6\r\n\r\n"), 400,
		"bad_content_length", false, 0, NULL, FP_HTTP_M_GET },
	{ AN("GET /" H11 "Content-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n"), 400,
		"cl_and_te", false, 5, NULL, FP_HTTP_M_GET },
	{ AN("POST /" H11 "transfer-encoding: chunked\r\nContent-Length: 5\r\n\r\n"), 400,
		"cl_and_te", false, 5, NULL, FP_HTTP_M_POST },
	{ AN("POST /" H11 "Transfer-Encoding: gzip\r\nContent-Length: 5\r\n\r\n"), 400,
		"cl_and_te", false, 5, NULL, FP_HTTP_M_POST },

	/* Methods other than CONNECT and TRACE are the router's business:
	 * status 0, keep-alive as the framing allows.
	 */
	{ AN("POST /" H11 "\r\n"), 0, NULL, true, 0, "/", FP_HTTP_M_POST },
	{ AN("PUT /" H11 "\r\n"), 0, NULL, true, 0, "/", FP_HTTP_M_PUT },
	{ AN("DELETE /" H11 "\r\n"), 0, NULL, true, 0, "/", FP_HTTP_M_DELETE },
	{ AN("PATCH /" H11 "\r\n"), 0, NULL, true, 0, "/", FP_HTTP_M_PATCH },
	{ AN("OPTIONS /" H11 "\r\n"), 0, NULL, true, 0, "/", FP_HTTP_M_OPTIONS },
	{ AN("POST /f" H11 "Content-Length: 5\r\n\r\n"), 0, NULL, true, 5, "/f",
		FP_HTTP_M_POST },
	{ AN("PUT /f" H11 "Content-Length: 1000\r\n\r\n"), 0, NULL, true, 1000, "/f",
		FP_HTTP_M_PUT },
	{ AN("DELETE /f" H11 "Content-Length: 0\r\n\r\n"), 0, NULL, true, 0, "/f",
		FP_HTTP_M_DELETE },
	{ AN("PATCH /f" H11 "Content-Length: 3\r\n\r\n"), 0, NULL, true, 3, "/f",
		FP_HTTP_M_PATCH },
	{ AN("OPTIONS *" H11 "Content-Length: 2\r\n\r\n"), 0, NULL, true, 2, "*",
		FP_HTTP_M_OPTIONS },
	{ AN("POST /f" H11 "Transfer-Encoding: chunked\r\n\r\n"), 0, NULL, true, 0, "/f",
		FP_HTTP_M_POST, true },
	{ AN("PUT /f" H11 "Transfer-Encoding: chunked\r\n\r\n"), 0, NULL, true, 0, "/f",
		FP_HTTP_M_PUT, true },
	{ AN("DELETE /f" H11 "Transfer-Encoding: chunked\r\n\r\n"), 0, NULL, true, 0, "/f",
		FP_HTTP_M_DELETE, true },
	{ AN("PATCH /f" H11 "Transfer-Encoding: chunked\r\n\r\n"), 0, NULL, true, 0, "/f",
		FP_HTTP_M_PATCH, true },
	{ AN("OPTIONS /f" H11 "Transfer-Encoding: chunked\r\n\r\n"), 0, NULL, true, 0, "/f",
		FP_HTTP_M_OPTIONS, true },
	{ AN("POST / HTTP/1.0\r\n\r\n"), 0, NULL, false, 0, "/", FP_HTTP_M_POST },
	{ AN("POST / HTTP/1.0\r\nContent-Length: 3\r\n\r\n"), 0, NULL, false, 3, "/",
		FP_HTTP_M_POST },
	{ AN("PUT / HTTP/1.0\r\nConnection: keep-alive\r\nContent-Length: 3\r\n\r\n"), 0, NULL,
		true, 3, "/", FP_HTTP_M_PUT },
	{ AN("POST /" H11 "Connection: close\r\n\r\n"), 0, NULL, false, 0, "/", FP_HTTP_M_POST },
	{ AN("POST /" H11 "Connection: close\r\nTransfer-Encoding: chunked\r\n\r\n"), 0, NULL,
		false, 0, "/", FP_HTTP_M_POST, true },
	{ AN("POST http://a/up?x" H11 "Content-Length: 1\r\n\r\n"), 0, NULL, true, 1, "/up",
		FP_HTTP_M_POST },

	/* Transfer-Encoding: exactly one "chunked" frames the body. */
	{ AN("GET /" H11 "Transfer-Encoding: chunked\r\n\r\n"), 0, NULL, true, 0, "/",
		FP_HTTP_M_GET, true },
	{ AN("POST /" H11 "Transfer-Encoding: Chunked\r\n\r\n"), 0, NULL, true, 0, "/",
		FP_HTTP_M_POST, true },
	{ AN("POST /" H11 "TRANSFER-ENCODING: CHUNKED\r\n\r\n"), 0, NULL, true, 0, "/",
		FP_HTTP_M_POST, true },
	{ AN("POST /" H11 "Transfer-Encoding:  chunked \t\r\n\r\n"), 0, NULL, true, 0, "/",
		FP_HTTP_M_POST, true },
	{ AN("POST /" H11 "Transfer-Encoding: , chunked\t,, \r\n\r\n"), 0, NULL, true, 0, "/",
		FP_HTTP_M_POST, true },
	{ AN("POST /" H11 "Transfer-Encoding: chunked\r\nTransfer-Encoding:\r\n\r\n"), 0, NULL,
		true, 0, "/", FP_HTTP_M_POST, true },
	{ AN("POST /" H11 "Transfer-Encoding: ,\r\nTransfer-Encoding: chunked\r\n\r\n"), 0, NULL,
		true, 0, "/", FP_HTTP_M_POST, true },
	{ AN("POST / HTTP/1.2\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n"), 0, NULL, true,
		0, "/", FP_HTTP_M_POST, true },
	/* Anything else is 501: we decode no other coding, and chunked only once
	 * (RFC 9112 6.1: "A sender MUST NOT apply the chunked transfer coding
	 * more than once to a message body").
	 */
	{ AN("POST /" H11 "Transfer-Encoding: gzip, chunked\r\n\r\n"), 501, "transfer_encoding",
		false, 0, "/", FP_HTTP_M_POST },
	{ AN("POST /" H11 "Transfer-Encoding: gzip\r\nTransfer-Encoding: chunked\r\n\r\n"), 501,
		"transfer_encoding", false, 0, "/", FP_HTTP_M_POST },
	{ AN("POST /" H11 "Transfer-Encoding: chunked, gzip\r\n\r\n"), 501, "transfer_encoding",
		false, 0, "/", FP_HTTP_M_POST },
	{ AN("POST /" H11 "Transfer-Encoding: chunked, chunked\r\n\r\n"), 501,
		"transfer_encoding", false, 0, "/", FP_HTTP_M_POST },
	{ AN("POST /" H11 "Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n"),
		501, "transfer_encoding", false, 0, "/", FP_HTTP_M_POST },
	{ AN("GET /" H11 "TRANSFER-ENCODING: identity\r\n\r\n"), 501, "transfer_encoding", false,
		0, "/", FP_HTTP_M_GET },
	{ AN("POST /" H11 "Transfer-Encoding: chunked;x=1\r\n\r\n"), 501, "transfer_encoding",
		false, 0, "/", FP_HTTP_M_POST },
	{ AN("POST /" H11 "Transfer-Encoding: chunkedx\r\n\r\n"), 501, "transfer_encoding", false,
		0, "/", FP_HTTP_M_POST },
	{ AN("POST /" H11 "Transfer-Encoding: chun ked\r\n\r\n"), 501, "transfer_encoding", false,
		0, "/", FP_HTTP_M_POST },
	{ AN("POST /" H11 "Transfer-Encoding:\r\n\r\n"), 501, "transfer_encoding", false, 0, "/",
		FP_HTTP_M_POST },
	{ AN("POST /" H11 "Transfer-Encoding: ,\r\n\r\n"), 501, "transfer_encoding", false, 0,
		"/", FP_HTTP_M_POST },
	/* HTTP/1.0: the framing is faulty whatever the coding; close. */
	{ AN("POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n"), 400, "te_in_http10",
		false, 0, "/", FP_HTTP_M_POST },
	{ AN("POST / HTTP/1.0\r\nConnection: keep-alive\r\nTransfer-Encoding: chunked\r\n\r\n"),
		400, "te_in_http10", false, 0, "/", FP_HTTP_M_POST },
	{ AN("GET / HTTP/1.0\r\nTransfer-Encoding: gzip\r\n\r\n"), 400, "te_in_http10", false, 0,
		"/", FP_HTTP_M_GET },

	/* 414 */
	{ AN("GET " LONG33 H11 "\r\n"), 414, "uri_too_long", false, 0, NULL, FP_HTTP_M_GET },
	{ AN("GET http://a" LONG32 H11 "\r\n"), 414, "uri_too_long", false, 0, NULL,
		FP_HTTP_M_GET },

	/* 501 */
	{ AN("BREW /" H11 "\r\n"), 501, "unknown_method", false, 0, "/", FP_HTTP_M_UNKNOWN },
	{ AN("get /" H11 "\r\n"), 501, "unknown_method", false, 0, "/", FP_HTTP_M_UNKNOWN },
	{ AN("GETS /" H11 "\r\n"), 501, "unknown_method", false, 0, "/", FP_HTTP_M_UNKNOWN },
	{ AN("M-SEARCH *" H11 "\r\n"), 400, "bad_target_form", false, 0, NULL,
		FP_HTTP_M_UNKNOWN },

	/* 405: CONNECT and TRACE only, whatever the target; the connection stays
	 * when the body is known to be small.
	 */
	{ AN("TRACE /" H11 "\r\n"), 405, "method_not_allowed", true, 0, "/", FP_HTTP_M_TRACE },
	{ AN("TRACE *" H11 "\r\n"), 405, "method_not_allowed", true, 0, NULL, FP_HTTP_M_TRACE },
	{ AN("TRACE x" H11 "\r\n"), 405, "method_not_allowed", true, 0, NULL, FP_HTTP_M_TRACE },
	{ AN("CONNECT /" H11 "\r\n"), 405, "method_not_allowed", true, 0, "/",
		FP_HTTP_M_CONNECT },
	{ AN("CONNECT *" H11 "\r\n"), 405, "method_not_allowed", true, 0, NULL,
		FP_HTTP_M_CONNECT },
	{ AN("TRACE /" H11 "Content-Length: 5\r\n\r\n"), 405, "method_not_allowed", true, 5, "/",
		FP_HTTP_M_TRACE },
	{ AN("TRACE /" H11 "Content-Length: 1000\r\n\r\n"), 405, "method_not_allowed", true,
		1000, "/", FP_HTTP_M_TRACE },
	{ AN("TRACE /" H11 "Content-Length: 1001\r\n\r\n"), 405, "method_not_allowed", false,
		1001, "/", FP_HTTP_M_TRACE },
	{ AN("CONNECT a:1" H11 "Content-Length: 1001\r\n\r\n"), 405, "method_not_allowed", false,
		1001, NULL, FP_HTTP_M_CONNECT },
	{ AN("TRACE / HTTP/1.0\r\n\r\n"), 405, "method_not_allowed", false, 0, "/",
		FP_HTTP_M_TRACE },
	{ AN("TRACE / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n"), 405, "method_not_allowed",
		true, 0, "/", FP_HTTP_M_TRACE },
	{ AN("TRACE /" H11 "Connection: close\r\n\r\n"), 405, "method_not_allowed", false, 0,
		"/", FP_HTTP_M_TRACE },
	/* A body of unknown length is not worth reading to stay open. */
	{ AN("TRACE /" H11 "Transfer-Encoding: chunked\r\n\r\n"), 405, "method_not_allowed",
		false, 0, "/", FP_HTTP_M_TRACE, true },
	{ AN("CONNECT a:1" H11 "Transfer-Encoding: gzip\r\n\r\n"), 405, "method_not_allowed",
		false, 0, NULL, FP_HTTP_M_CONNECT },

	/* 413, for every method. */
	{ AN("GET /" H11 "Content-Length: 1001\r\n\r\n"), 413, "body_too_large", false, 1001, "/",
		FP_HTTP_M_GET },
	{ AN("HEAD /" H11 "Content-Length: 9223372036854775807\r\n\r\n"), 413, "body_too_large",
		false, 9223372036854775807ULL, "/", FP_HTTP_M_HEAD },
	{ AN("POST /" H11 "Content-Length: 1001\r\n\r\n"), 413, "body_too_large", false, 1001,
		"/", FP_HTTP_M_POST },
	{ AN("PUT / HTTP/1.0\r\nConnection: keep-alive\r\nContent-Length: 1001\r\n\r\n"), 413,
		"body_too_large", false, 1001, "/", FP_HTTP_M_PUT },

	/* Precedence: 505, 400 Host, 400 Content-Length, 400 cl_and_te,
	 * 400 te_in_http10, 414, 405, 400 target form, 501 transfer_encoding,
	 * 501 unknown_method, 413.
	 */
	{ AN("GET " LONG33 " HTTP/1.1\r\n\r\n"), 400, "missing_host", false, 0, NULL,
		FP_HTTP_M_GET },
	{ AN("GET " LONG33 H11 "Content-Length: x\r\n\r\n"), 400, "bad_content_length", false, 0,
		NULL, FP_HTTP_M_GET },
	{ AN("BREW " LONG33 H11 "Transfer-Encoding: chunked\r\nContent-Length: 1\r\n\r\n"), 400,
		"cl_and_te", false, 1, NULL, FP_HTTP_M_UNKNOWN },
	{ AN("GET / HTTP/1.1\r\nTransfer-Encoding: chunked\r\nContent-Length: 1\r\n\r\n"), 400,
		"missing_host", false, 1, NULL, FP_HTTP_M_GET },
	{ AN("POST / HTTP/1.0\r\nHost: a\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n"), 400,
		"duplicate_host", false, 0, "/", FP_HTTP_M_POST },
	{ AN("POST / HTTP/1.0\r\nContent-Length: x\r\nTransfer-Encoding: chunked\r\n\r\n"), 400,
		"bad_content_length", false, 0, "/", FP_HTTP_M_POST },
	/* Both 400 and close: cl_and_te is named first. */
	{ AN("POST / HTTP/1.0\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n"), 400,
		"cl_and_te", false, 3, "/", FP_HTTP_M_POST },
	{ AN("TRACE " LONG33 " HTTP/1.0\r\nTransfer-Encoding: gzip\r\n\r\n"), 400,
		"te_in_http10", false, 0, NULL, FP_HTTP_M_TRACE },
	{ AN("BREW " LONG33 H11 "\r\n"), 414, "uri_too_long", false, 0, NULL, FP_HTTP_M_UNKNOWN },
	{ AN("GET x" LONG32 H11 "\r\n"), 414, "uri_too_long", false, 0, NULL, FP_HTTP_M_GET },
	{ AN("TRACE " LONG33 H11 "\r\n"), 414, "uri_too_long", false, 0, NULL, FP_HTTP_M_TRACE },
	{ AN("POST " LONG33 H11 "Transfer-Encoding: chunked\r\n\r\n"), 414, "uri_too_long",
		false, 0, NULL, FP_HTTP_M_POST, true },
	{ AN("TRACE /" H11 "Transfer-Encoding: gzip\r\n\r\n"), 405, "method_not_allowed", false,
		0, "/", FP_HTTP_M_TRACE },
	{ AN("BREW x" H11 "\r\n"), 400, "bad_target_form", false, 0, NULL, FP_HTTP_M_UNKNOWN },
	{ AN("POST x" H11 "Transfer-Encoding: gzip\r\n\r\n"), 400, "bad_target_form", false, 0,
		NULL, FP_HTTP_M_POST },
	{ AN("BREW /" H11 "Transfer-Encoding: gzip\r\n\r\n"), 501, "transfer_encoding", false, 0,
		"/", FP_HTTP_M_UNKNOWN },
	{ AN("BREW /" H11 "Transfer-Encoding: chunked\r\n\r\n"), 501, "unknown_method", false,
		0, "/", FP_HTTP_M_UNKNOWN, true },
	{ AN("BREW /" H11 "Content-Length: 5000\r\n\r\n"), 501, "unknown_method", false, 5000,
		"/", FP_HTTP_M_UNKNOWN },
};

START_TEST(test_analyze)
{
	const struct an_case *c = &an[_i];
	struct fp_http_request req;
	struct fp_http_info info;
	const char *buf;
	uint8_t reason;

	buf = fp_test_guarded(c->in, c->len);
	ck_assert_int_eq(fp_http_parse_request(buf, c->len, &req), (int)c->len);
	ck_assert_int_eq(fp_http_analyze(&req, &lim, &info), 0);
	ck_assert_uint_eq(info.status, c->status);
	if (c->reason == NULL)
		ck_assert_ptr_null(fp_http_reason_name(info.reason));
	else
		ck_assert_str_eq(fp_http_reason_name(info.reason), c->reason);
	/* The status is the reason's own. */
	ck_assert_uint_eq(fp_http_reason_status(info.reason), info.status);
	ck_assert_uint_eq(info.method, c->method);
	ck_assert_msg(info.keep_alive == c->keep_alive, "keep_alive %d", info.keep_alive);
	ck_assert_msg(info.chunked == c->chunked, "chunked %d", info.chunked);
	ck_assert_uint_eq(info.content_length, c->content_length);
	if (c->path != NULL)
		ck_assert_msg(info.path.len == strlen(c->path) &&
			memcmp(info.path.p, c->path, info.path.len) == 0,
			"path \"%.*s\", expected \"%s\"", (int)info.path.len, info.path.p, c->path);
	/* The head is complete and under max_header_bytes: nothing to add. */
	ck_assert_uint_eq(fp_http_incomplete_status(buf, c->len, (int)c->len, &req, &lim,
		&reason), 0);
	ck_assert_uint_eq(reason, FP_HTTP_R_NONE);
}
END_TEST

/* fp_http_meth_of knows the RFC 9110 methods, byte for byte, and nothing
 * else; fp_http_analyze leaves all but CONNECT and TRACE to the router.
 */
START_TEST(test_meth_of)
{
	static const char *const other[] = { "get", "GETS", "", "G", "Get", "HEAD ", "POS",
		"OPTION", "CONNECTS", "trace", "BREW", "M-SEARCH" };
	static const char *const exp[FP_HTTP_M_MAX] = {
		[FP_HTTP_M_GET] = "GET", [FP_HTTP_M_HEAD] = "HEAD", [FP_HTTP_M_POST] = "POST",
		[FP_HTTP_M_PUT] = "PUT", [FP_HTTP_M_DELETE] = "DELETE",
		[FP_HTTP_M_PATCH] = "PATCH", [FP_HTTP_M_OPTIONS] = "OPTIONS",
		[FP_HTTP_M_CONNECT] = "CONNECT", [FP_HTTP_M_TRACE] = "TRACE",
	};
	struct fp_http_request req;
	struct fp_http_info info;
	const char *name;
	char in[64];
	unsigned int i, j;
	uint32_t len;
	int n;

	ck_assert_int_eq(FP_HTTP_M_UNKNOWN, FP_HTTP_M_MAX);
	ck_assert_uint_eq(FP_HTTP_MB_ANY, (1u << FP_HTTP_M_MAX) - 1);
	for (i = 0; i < FP_HTTP_M_MAX; i++) {
		name = fp_http_meth_names[i];
		ck_assert_ptr_nonnull(name);
		ck_assert_str_eq(name, exp[i]);
		for (j = 0; j < i; j++)
			ck_assert_str_ne(name, fp_http_meth_names[j]);
		len = (uint32_t)strlen(name);
		ck_assert_int_eq(fp_http_meth_of(fp_test_guarded(name, len), len), (int)i);

		n = snprintf(in, sizeof(in), "%s /" H11 "\r\n", name);
		ck_assert_int_eq(parse_guarded(in, (size_t)n, &req), n);
		ck_assert_int_eq(fp_http_analyze(&req, &lim, &info), 0);
		ck_assert_uint_eq(info.method, i);
		if (i == FP_HTTP_M_CONNECT || i == FP_HTTP_M_TRACE)
			ck_assert_uint_eq(info.status, 405);
		else
			ck_assert_uint_eq(info.status, 0);
		ck_assert(info.keep_alive);
	}
	for (i = 0; i < DIM(other); i++) {
		len = (uint32_t)strlen(other[i]);
		ck_assert_msg(fp_http_meth_of(fp_test_guarded(other[i], len), len) == -1, "\"%s\"",
			other[i]);
	}
	/* Only len bytes count. */
	ck_assert_int_eq(fp_http_meth_of("GETTING", 3), FP_HTTP_M_GET);
	ck_assert_int_eq(fp_http_meth_of("POSTAL", 4), FP_HTTP_M_POST);
	ck_assert_int_eq(fp_http_meth_of(NULL, 0), -1);
}
END_TEST

/* Incomplete heads: wait, or answer now. */
struct inc_case {
	const char *what;
	char in[2048];
	size_t len;
	uint16_t status;
	const char *reason;
};

/* Fills c->in with prefix, then n copies of fill, then suffix. */
static void
inc_build(struct inc_case *c, const char *prefix, const char *fill, size_t n, const char *suffix)
{
	size_t i, l = 0;

	l += (size_t)snprintf(c->in + l, sizeof(c->in) - l, "%s", prefix);
	for (i = 0; i < n; i++)
		l += (size_t)snprintf(c->in + l, sizeof(c->in) - l, "%s", fill);
	l += (size_t)snprintf(c->in + l, sizeof(c->in) - l, "%s", suffix);
	ck_assert_uint_lt(l, sizeof(c->in));
	c->len = l;
}

/* A request whose one X field's value is padded with 'v' so that the whole
 * is total bytes long, ending with end.
 */
static void
inc_build_total(struct inc_case *c, size_t total, const char *end)
{
	static const char start[] = "GET / HTTP/1.1\r\nHost: a\r\nX: ";

	inc_build(c, start, "v", total - (sizeof(start) - 1) - strlen(end), end);
	ck_assert_uint_eq(c->len, total);
}

#define NB_INC 13

static void
inc_case_get(unsigned int i, struct inc_case *c)
{
	c->reason = NULL;
	c->status = 0;
	switch (i) {
	case 0:
		c->what = "short head, wait";
		inc_build(c, "GET /abc HTTP/1.1\r\nHost: a\r\n", "", 0, "");
		break;
	case 1:
		c->what = "target over max_uri in an unfinished request line";
		inc_build(c, "GET ", "a", lim.max_uri + 1, "");
		c->status = 414;
		break;
	case 2:
		c->what = "target of max_uri in an unfinished request line, wait";
		inc_build(c, "GET ", "a", lim.max_uri, "");
		break;
	case 3:
		c->what = "long target, request line done: fp_http_analyze answers it";
		inc_build(c, "GET ", "a", lim.max_uri + 1, " HTTP/1.1\r\nHost: a\r\n");
		break;
	case 4:
		c->what = "header bytes over the limit";
		inc_build(c, "GET / HTTP/1.1\r\nHost: a\r\n", "X-Filler: 0123456789\r\n", 60, "");
		c->status = 431;
		break;
	case 5:
		c->what = "unfinished request line over the limit, long target";
		inc_build(c, "GET /", "a", 1100, "");
		c->status = 414;
		break;
	case 6:
		c->what = "unfinished request line over the limit, long method";
		inc_build(c, "", "A", 1100, "");
		c->status = 414;
		break;
	case 7:
		c->what = "unfinished request line over the limit, short target";
		inc_build(c, "", "A", 1030, " /aa");
		c->status = 414;
		break;
	case 8:
		c->what = "only empty lines, past the limit";
		inc_build(c, "", "\r\n", 520, "");
		c->status = 431;
		break;
	case 9:
		/* 8 + 1 + 32 + 7 = 48 = max_uri + 16 bytes, after 976 of empty lines. */
		c->what = "unfinished request line of max_uri + 16 bytes at the limit";
		inc_build(c, "", "\r\n", 488, "ABCDEFGH " LONG32 " HTTP/1");
		ck_assert_uint_eq(c->len, lim.max_header_bytes);
		c->status = 431;
		break;
	case 10:
		c->what = "unfinished request line of max_uri + 17 bytes at the limit";
		inc_build(c, "", "\r\n", 488, "ABCDEFGH " LONG32 " HTTP/1.");
		c->status = 414;
		break;
	case 11:
		c->what = "one byte under the limit";
		inc_build_total(c, lim.max_header_bytes - 1, "");
		break;
	default:
		c->what = "exactly at the limit";
		inc_build_total(c, lim.max_header_bytes, "");
		c->status = 431;
		break;
	}
	if (c->status == 414)
		c->reason = "uri_too_long";
	else if (c->status == 431)
		c->reason = "header_too_large";
}

START_TEST(test_incomplete)
{
	static struct inc_case c;
	struct fp_http_request req;
	uint8_t reason = 0;
	const char *buf;
	uint16_t st;

	inc_case_get(_i, &c);
	buf = fp_test_guarded(c.in, c.len);
	ck_assert_msg(fp_http_parse_request(buf, c.len, &req) == -2, "%s: not a valid prefix",
		c.what);
	st = fp_http_incomplete_status(buf, c.len, -2, &req, &lim, &reason);
	ck_assert_msg(st == c.status, "%s: %u", c.what, st);
	if (c.reason == NULL)
		ck_assert_uint_eq(reason, FP_HTTP_R_NONE);
	else
		ck_assert_str_eq(fp_http_reason_name(reason), c.reason);
}
END_TEST

/* Heads of 1024 and 1025 bytes against max_header_bytes 1024: every prefix
 * and the complete head agree on 431 or not.
 */
START_TEST(test_head_limit_boundary)
{
	static struct inc_case c;
	struct fp_http_request req;
	const char *buf;
	uint8_t reason;
	size_t total = 1024 + _i;
	size_t k;
	uint16_t st;
	int ret;

	inc_build_total(&c, total, "\r\n\r\n");
	for (k = total - 3; k <= total; k++) {
		buf = fp_test_guarded(c.in, k);
		ret = fp_http_parse_request(buf, k, &req);
		ck_assert_int_eq(ret, k < total ? -2 : (int)total);
		st = fp_http_incomplete_status(buf, k, ret, &req, &lim, &reason);
		if (total > lim.max_header_bytes && k >= lim.max_header_bytes) {
			ck_assert_uint_eq(st, 431);
			ck_assert_str_eq(fp_http_reason_name(reason), "header_too_large");
		} else {
			ck_assert_uint_eq(st, 0);
		}
	}
}
END_TEST


static const char *const seeds[] = {
	"GET /index.html?x=1 HTTP/1.1\r\nHost: a.example\r\nConnection: close\r\n\r\n",
	"\r\nPOST http://a/b HTTP/1.0\nContent-Length: 3\nX:\t v \n\nabc",
	"HEAD / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\nGET / HTTP/1.1\r\n\r\n",
};

/* Bytes that sit on the parser's decision points. */
static const char specials[] = { ' ', '\t', '\r', '\n', ':', ',', '/', '?', '\0', '\x7f',
	'\x80', '\xff', 'H', '1', '.' };

#define mutate(buf, len, room, rng) \
	fp_test_mutate((buf), (len), (room), (rng), specials, sizeof(specials))

/* Every byte at every place of a 20-byte name, a 40-byte value and a
 * reason-phrase: each is taken exactly when the grammar allows it (the
 * byte-class table checked against the RFC 9110 sets written out).
 */
static bool
is_tchar(unsigned int c)
{
	return c != 0 && (strchr("!#$%&'*+-.^_`|~", (int)c) != NULL ||
		(c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'));
}

static bool
is_fval(unsigned int c)
{
	return c == '\t' || (c >= 0x20 && c != 0x7f);
}

/* What parsing a head of n bytes whose 40-byte value (or reason) has c at k
 * returns: a LF last ends the line, and the CRLF after it the head.
 */
static int
want_fval(unsigned int c, unsigned int k, size_t n)
{
	if (c == '\n' && k == 39)
		return (int)n - 2;
	return is_fval(c) ? (int)n : -1;
}

/* a, then n bytes of mid (any byte), then c, into buf: the length. */
static size_t
cat3(char *buf, const char *a, const char *mid, size_t n, const char *c)
{
	size_t la = strlen(a), lc = strlen(c);

	memcpy(buf, a, la);
	memcpy(buf + la, mid, n);
	memcpy(buf + la + n, c, lc);
	return la + n + lc;
}

START_TEST(test_byte_classes)
{
	static const char req0[] = "GET / HTTP/1.1\r\n";
	struct fp_http_response *resp;
	struct fp_http_request req;
	char buf[128], field[48];
	unsigned int c, k;
	size_t n;
	bool ok;
	int ret;

	resp = malloc(sizeof(*resp));
	ck_assert_ptr_nonnull(resp);
	for (c = 0; c < 256; c++) {
		for (k = 0; k < 40; k++) {
			/* The name: a colon inside only makes it shorter. */
			if (k < 20) {
				memset(field, 'a', 20);
				field[k] = (char)c;
				n = cat3(buf, req0, field, 20, ": v\r\n\r\n");
				ok = is_tchar(c) || (c == ':' && k > 0);
				ret = parse_guarded(buf, n, &req);
				/* A bare LF there is the empty line: a head without it. */
				if (c == '\n' && k == 0)
					ok = ret == (int)strlen(req0) + 1;
				else
					ok = ok ? ret == (int)n : ret == -1;
				ck_assert_msg(ok,
					"name byte 0x%02x at %u: %d", c, k, ret);
			}
			/* The value: CR and LF end it where no line may end. */
			memset(field, 'v', 40);
			field[k] = (char)c;
			n = cat3(buf, "GET / HTTP/1.1\r\nX: ", field, 40, "\r\n\r\n");
			ret = parse_guarded(buf, n, &req);
			ck_assert_msg(ret == want_fval(c, k, n), "value byte 0x%02x at %u: %d", c, k,
				ret);
			/* The reason-phrase, of the same class. */
			n = cat3(buf, "HTTP/1.1 200 ", field, 40, "\r\n\r\n");
			ret = fp_http_parse_response(fp_test_guarded(buf, n), n, resp);
			ck_assert_msg(ret == want_fval(c, k, n), "reason byte 0x%02x at %u: %d", c,
				k, ret);
		}
	}
	free(resp);
}
END_TEST

/* Random mutations never crash or read past len; the result is -2, -1 or
 * a length within the buffer, and prefixes agree with the whole: shorter
 * than a head is -2, and once -1, -1 for good.
 */
START_TEST(test_random)
{
	static char in[512];
	uint64_t rng = 0x5eed1e55c0ffee11ULL;
	unsigned int n, m, nb_ok = 0, nb_bad = 0, nb_more = 0;
	struct fp_http_request req;
	struct fp_http_info info;
	const char *buf;
	uint8_t reason;
	int ret, r;
	size_t len, k;
	uint16_t st;

	for (n = 0; n < 2000; n++) {
		len = strlen(seeds[n % DIM(seeds)]);
		memcpy(in, seeds[n % DIM(seeds)], len);
		for (m = 1 + fp_test_rng(&rng) % 4; m > 0; m--)
			mutate(in, &len, sizeof(in), &rng);
		buf = fp_test_guarded(in, len);
		ret = fp_http_parse_request(buf, len, &req);
		ck_assert_msg(ret == -2 || ret == -1 || (ret > 0 && (size_t)ret <= len),
			"mutation %u: %d for %zu bytes", n, ret, len);
		if (ret >= 0) {
			nb_ok++;
			ck_assert_int_eq(fp_http_analyze(&req, &lim, &info), 0);
			ck_assert(info.status == 0 || (info.status >= 400 && info.status < 600));
			ck_assert(info.status == 0 || info.reason != FP_HTTP_R_NONE);
		} else if (ret == -1) {
			nb_bad++;
			ck_assert(req.err > FP_HTTP_PERR_NONE && req.err < FP_HTTP_PERR_MAX);
		} else {
			nb_more++;
		}
		st = fp_http_incomplete_status(buf, len, ret, &req, &lim, &reason);
		ck_assert(st == 0 || st == 400 || st == 414 || st == 431);
		ck_assert(st == 0 || reason != FP_HTTP_R_NONE);
		for (k = 0; k < len; k++) {
			r = parse_guarded(in, k, &req);
			if (ret >= 0)
				ck_assert_int_eq(r, k < (size_t)ret ? -2 : ret);
			else if (ret == -2)
				ck_assert_int_eq(r, -2);
			else if (r == -1)
				break;
			else
				ck_assert_int_eq(r, -2);
		}
		if (ret == -1)
			for (; k < len; k++)
				ck_assert_int_eq(parse_guarded(in, k, &req), -1);
	}
	/* The mutations reached every outcome. */
	ck_assert_uint_gt(nb_ok, 100);
	ck_assert_uint_gt(nb_bad, 100);
	ck_assert_uint_gt(nb_more, 100);
}
END_TEST

Suite *
http_parse_suite(void)
{
	Suite *s = suite_create("http_parse");
	TCase *tc;

	tc = tcase_create("valid");
	tcase_add_checked_fixture(tc, fp_test_guard_setup, fp_test_guard_teardown);
	tcase_add_loop_test(tc, test_valid, 0, DIM(valid));
	tcase_add_loop_test(tc, test_valid_prefixes, 0, DIM(valid));
	tcase_add_test(tc, test_max_headers);
	tcase_add_test(tc, test_byte_classes);
	tcase_add_test(tc, test_huge_len);
	suite_add_tcase(s, tc);

	tc = tcase_create("invalid");
	tcase_add_checked_fixture(tc, fp_test_guard_setup, fp_test_guard_teardown);
	tcase_add_loop_test(tc, test_invalid, 0, DIM(bad));
	tcase_add_test(tc, test_too_many_headers);
	tcase_add_test(tc, test_perr_names);
	suite_add_tcase(s, tc);

	tc = tcase_create("analyze");
	tcase_add_checked_fixture(tc, fp_test_guard_setup, fp_test_guard_teardown);
	tcase_add_loop_test(tc, test_analyze, 0, DIM(an));
	tcase_add_test(tc, test_meth_of);
	tcase_add_loop_test(tc, test_incomplete, 0, NB_INC);
	tcase_add_loop_test(tc, test_head_limit_boundary, 0, 2);
	suite_add_tcase(s, tc);

	tc = tcase_create("random");
	tcase_add_checked_fixture(tc, fp_test_guard_setup, fp_test_guard_teardown);
	tcase_add_test(tc, test_random);
	suite_add_tcase(s, tc);
	return s;
}
