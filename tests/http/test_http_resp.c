/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The fastpath authors
 */

/* The response-head parser and its framing (fp-load reads every answer
 * through them). Plain C, no DPDK.
 */

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <check.h>

#include "fp_http_parse.h"
#include "fp_test_guard.h"

Suite *
http_resp_suite(void);

#define DIM(a) (sizeof(a) / sizeof((a)[0]))

static int
parse_guarded(const void *data, size_t len, struct fp_http_response *r)
{
	return fp_http_parse_response(fp_test_guarded(data, len), len, r);
}

/* Valid heads; the tail after the head (a body, the next response) is
 * never consumed.
 */
static const struct {
	const char *in;
	size_t head;		/* bytes of the head */
	uint8_t minor;
	uint16_t status;
	const char *reason;
	uint16_t nb_headers;
	const char *h0_name, *h0_value;
} good[] = {
#define G(h, tail) .in = h tail, .head = sizeof(h) - 1
	{ G("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n", "hi"), 1, 200, "OK", 1,
		"Content-Length", "2" },
	{ G("HTTP/1.0 404 Not Found\r\n\r\n", ""), 0, 404, "Not Found", 0, NULL, NULL },
	{ G("HTTP/1.1 204 \r\nX-A:  b c \r\n\r\n", "HTTP/1.1 200 OK\r\n"), 1, 204, "", 1,
		"X-A", "b c" },
	/* No SP after the code, bare LFs, obs-text in the reason. */
	{ G("HTTP/1.1 304\nETag: \"x\"\n\n", ""), 1, 304, "", 1, "ETag", "\"x\"" },
	{ G("HTTP/1.1 500 Pr\xc3\xa9 \tvu\r\n\r\n", "x"), 1, 500, "Pr\xc3\xa9 \tvu", 0, NULL,
		NULL },
	{ G("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n\r\n", "\x81"), 1, 101,
		"Switching Protocols", 1, "Upgrade", "websocket" },
	{ G("HTTP/1.9 599 x\r\n\r\n", ""), 9, 599, "x", 0, NULL, NULL },
#undef G
};

START_TEST(test_good)
{
	const char *in = good[_i].in;
	size_t len = strlen(in), k;
	struct fp_http_response r;
	const char *g;
	int ret;

	/* Every prefix of the head is incomplete; the whole is its length. */
	for (k = 0; k < good[_i].head; k++) {
		ret = parse_guarded(in, k, &r);
		ck_assert_msg(ret == -2, "%zu bytes of \"%s\": %d", k, in, ret);
	}
	for (k = good[_i].head; k <= len; k++) {
		g = fp_test_guarded(in, k);
		ret = fp_http_parse_response(g, k, &r);
		ck_assert_int_eq(ret, (int)good[_i].head);
		ck_assert_uint_eq(r.major, 1);
		ck_assert_uint_eq(r.minor, good[_i].minor);
		ck_assert_uint_eq(r.status, good[_i].status);
		ck_assert_uint_eq(r.reason.len, strlen(good[_i].reason));
		ck_assert(r.reason.len == 0 ||
			memcmp(r.reason.p, good[_i].reason, r.reason.len) == 0);
		ck_assert(r.reason.len == 0 || (r.reason.p >= g && r.reason.p < g + k));
		ck_assert_uint_eq(r.nb_headers, good[_i].nb_headers);
		if (good[_i].h0_name != NULL) {
			ck_assert_uint_eq(r.headers[0].name.len, strlen(good[_i].h0_name));
			ck_assert(memcmp(r.headers[0].name.p, good[_i].h0_name,
				r.headers[0].name.len) == 0);
			ck_assert_uint_eq(r.headers[0].value.len, strlen(good[_i].h0_value));
			ck_assert(memcmp(r.headers[0].value.p, good[_i].h0_value,
				r.headers[0].value.len) == 0);
		}
	}
}
END_TEST

/* Bad heads: -2 before byte at, -1 from there, with err. */
static const struct {
	const char *in;
	size_t at;
	enum fp_http_perr err;
} bad[] = {
	{ "HTTP/1.1 20 OK\r\n\r\n", 12, FP_HTTP_PERR_STATUS },
	{ "HTTP/1.1 2000 OK\r\n\r\n", 13, FP_HTTP_PERR_STATUS },
	{ "HTTP/1.1 099 x\r\n\r\n", 10, FP_HTTP_PERR_STATUS },
	{ "HTTP/1.1 600 x\r\n\r\n", 10, FP_HTTP_PERR_STATUS },
	{ "HTTP/1.1  200 OK\r\n\r\n", 10, FP_HTTP_PERR_STATUS },
	{ "HTTP/1.1\r\n\r\n", 9, FP_HTTP_PERR_STATUS },
	{ "HTTP/1.1 2x0 OK\r\n\r\n", 11, FP_HTTP_PERR_STATUS },
	{ "HTTP/1.1 200 O\x01K\r\n\r\n", 15, FP_HTTP_PERR_STATUS },
	{ "http/1.1 200 OK\r\n\r\n", 1, FP_HTTP_PERR_VERSION },
	{ "HTTP/1.1 200 OK\rX\n\r\n", 17, FP_HTTP_PERR_BARE_CR },
	{ "HTTP/1.1 200 OK\r\nA b: c\r\n\r\n", 19, FP_HTTP_PERR_SPACE_BEFORE_COLON },
	{ "HTTP/1.1 200 OK\r\n folded\r\n\r\n", 18, FP_HTTP_PERR_OBS_FOLD },
	{ "HTTP/1.1 200 OK\r\nA: b\x7f\r\n\r\n", 22, FP_HTTP_PERR_HEADER_VALUE },
	{ "<html>", 1, FP_HTTP_PERR_VERSION },
	/* Folds: none before the first field, none in what the framing reads. */
	{ "HTTP/1.1 200 OK\r\nContent-Length: 1\r\n 2\r\n\r\n", 37,
		FP_HTTP_PERR_OBS_FOLD },
	{ "HTTP/1.1 200 OK\r\nX: a\r\n b\x01\r\n\r\n", 26, FP_HTTP_PERR_HEADER_VALUE },
};

START_TEST(test_bad)
{
	const char *in = bad[_i].in;
	size_t len = strlen(in), k;
	struct fp_http_response r;
	int ret;

	for (k = 0; k <= len; k++) {
		ret = parse_guarded(in, k, &r);
		if (k < bad[_i].at)
			ck_assert_msg(ret == -2, "%zu bytes of \"%s\": %d", k, in, ret);
		else
			ck_assert_msg(ret == -1, "%zu bytes of \"%s\": %d", k, in, ret);
	}
	ck_assert_msg(r.err == bad[_i].err, "\"%s\": %s, expected %s", in,
		fp_http_perr_names[r.err], fp_http_perr_names[bad[_i].err]);
}
END_TEST

/* Framing: how the body ends, and whether the connection stays. */
static const struct {
	const char *in;
	bool head;
	int ret;
	uint8_t body;
	uint64_t cl;
	bool keep_alive;
	uint8_t err;
} fr[] = {
	{ "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n", false, 0, FP_HTTP_BODY_LENGTH, 10,
		true, FP_HTTP_RESP_E_NONE },
	{ "HTTP/1.1 200 OK\r\nContent-Length: 10, 10\r\n\r\n", false, 0, FP_HTTP_BODY_LENGTH,
		10, true, FP_HTTP_RESP_E_NONE },
	{ "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n", true, 0, FP_HTTP_BODY_NONE, 0, true,
		FP_HTTP_RESP_E_NONE },
	{ "HTTP/1.1 200 OK\r\nconnection: Keep-Alive, CLOSE\r\ncontent-length: 0\r\n\r\n",
		false, 0, FP_HTTP_BODY_LENGTH, 0, false, FP_HTTP_RESP_E_NONE },
	{ "HTTP/1.0 200 OK\r\nContent-Length: 1\r\n\r\n", false, 0, FP_HTTP_BODY_LENGTH, 1,
		false, FP_HTTP_RESP_E_NONE },
	{ "HTTP/1.0 200 OK\r\nConnection: keep-alive\r\nContent-Length: 1\r\n\r\n", false, 0,
		FP_HTTP_BODY_LENGTH, 1, true, FP_HTTP_RESP_E_NONE },
	{ "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n", false, 0,
		FP_HTTP_BODY_CHUNKED, 0, true, FP_HTTP_RESP_E_NONE },
	{ "HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\nTransfer-Encoding: Chunked\r\n\r\n",
		false, 0, FP_HTTP_BODY_CHUNKED, 0, true, FP_HTTP_RESP_E_NONE },
	/* Chunked not last: until the server closes. */
	{ "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked, gzip\r\n\r\n", false, 0,
		FP_HTTP_BODY_CLOSE, 0, false, FP_HTTP_RESP_E_NONE },
	{ "HTTP/1.1 200 OK\r\n\r\n", false, 0, FP_HTTP_BODY_CLOSE, 0, false,
		FP_HTTP_RESP_E_NONE },
	{ "HTTP/1.1 204 No Content\r\nContent-Length: 7\r\n\r\n", false, 0, FP_HTTP_BODY_NONE,
		0, true, FP_HTTP_RESP_E_NONE },
	{ "HTTP/1.1 304 Not Modified\r\nContent-Length: 7\r\n\r\n", false, 0,
		FP_HTTP_BODY_NONE, 0, true, FP_HTTP_RESP_E_NONE },
	{ "HTTP/1.1 103 Early Hints\r\nLink: </a.css>\r\n\r\n", false, 0, FP_HTTP_BODY_NONE, 0,
		true, FP_HTTP_RESP_E_NONE },
	{ "HTTP/1.1 200 OK\r\nContent-Length: 1\r\nTransfer-Encoding: chunked\r\n\r\n", false,
		-1, FP_HTTP_BODY_NONE, 0, false, FP_HTTP_RESP_E_cl_and_te },
	{ "HTTP/1.1 200 OK\r\nContent-Length: 1, 2\r\n\r\n", false, -1, FP_HTTP_BODY_NONE, 0,
		false, FP_HTTP_RESP_E_bad_content_length },
	{ "HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n", false, -1, FP_HTTP_BODY_NONE, 0,
		false, FP_HTTP_RESP_E_bad_content_length },
	{ "HTTP/1.1 200 OK\r\nContent-Length: 99999999999999999999\r\n\r\n", false, -1,
		FP_HTTP_BODY_NONE, 0, false, FP_HTTP_RESP_E_bad_content_length },
	{ "HTTP/2.0 200 OK\r\nContent-Length: 1\r\n\r\n", false, -1, FP_HTTP_BODY_NONE, 0,
		false, FP_HTTP_RESP_E_bad_version },
	/* Transfer-Encoding decides, but a Content-Length beside it, even an
	 * invalid one, is the server's error; so is chunked twice.
	 */
	{ "HTTP/1.1 200 OK\r\nContent-Length: x\r\nTransfer-Encoding: chunked\r\n\r\n", false,
		-1, FP_HTTP_BODY_NONE, 0, false, FP_HTTP_RESP_E_cl_and_te },
	{ "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked, chunked\r\n\r\n", false, -1,
		FP_HTTP_BODY_NONE, 0, false, FP_HTTP_RESP_E_chunked_twice },
	/* RFC 9112 6.1: HTTP/1.0 with Transfer-Encoding closes after. */
	{ "HTTP/1.0 200 OK\r\nConnection: keep-alive\r\nTransfer-Encoding: chunked\r\n\r\n",
		false, 0, FP_HTTP_BODY_CHUNKED, 0, false, FP_HTTP_RESP_E_NONE },
	/* A folded field the framing does not read is kept. */
	{ "HTTP/1.1 200 OK\r\nX-A: b\r\n  c\r\nContent-Length: 3\r\n\r\n", false, 0,
		FP_HTTP_BODY_LENGTH, 3, true, FP_HTTP_RESP_E_NONE },
};

START_TEST(test_framing)
{
	struct fp_http_response r;
	struct fp_http_resp_info info;
	size_t len = strlen(fr[_i].in);

	ck_assert_int_eq(parse_guarded(fr[_i].in, len, &r), (int)len);
	ck_assert_int_eq(fp_http_resp_analyze(&r, fr[_i].head, &info), fr[_i].ret);
	ck_assert_msg(info.body == fr[_i].body, "\"%s\": body %u, expected %u", fr[_i].in,
		info.body, fr[_i].body);
	ck_assert_uint_eq(info.content_length, fr[_i].cl);
	ck_assert_msg(info.keep_alive == fr[_i].keep_alive, "\"%s\": keep_alive", fr[_i].in);
	ck_assert_uint_eq(info.err, fr[_i].err);
	if (fr[_i].ret < 0)
		ck_assert_ptr_nonnull(fp_http_resp_err_names[info.err]);
}
END_TEST

/* A folded value spans the fold; more fields than headers[] holds are
 * checked and left out, unless the framing reads them.
 */
START_TEST(test_fold_and_many)
{
	static char buf[16384];
	struct fp_http_response r;
	size_t n;
	int i;

	n = (size_t)snprintf(buf, sizeof(buf), "HTTP/1.1 200 OK\r\nX-A: b\r\n\tc \r\n\r\n");
	ck_assert_int_eq(parse_guarded(buf, n, &r), (int)n);
	ck_assert_uint_eq(r.nb_headers, 1);
	ck_assert_uint_eq(r.headers[0].value.len, strlen("b\r\n\tc"));
	ck_assert(memcmp(r.headers[0].value.p, "b\r\n\tc", r.headers[0].value.len) == 0);

	n = (size_t)snprintf(buf, sizeof(buf), "HTTP/1.1 200 OK\r\n");
	for (i = 0; i < FP_HTTP_MAX_HEADERS + 10; i++)
		n += (size_t)snprintf(buf + n, sizeof(buf) - n, "Set-Cookie: c%d=1\r\n", i);
	n += (size_t)snprintf(buf + n, sizeof(buf) - n, "\r\n");
	ck_assert_int_eq(parse_guarded(buf, n, &r), (int)n);
	ck_assert_uint_eq(r.nb_headers, FP_HTTP_MAX_HEADERS);

	n -= 2;
	n += (size_t)snprintf(buf + n, sizeof(buf) - n, "Content-Length: 5\r\n\r\n");
	ck_assert_int_eq(parse_guarded(buf, n, &r), -1);
	ck_assert_uint_eq(r.err, FP_HTTP_PERR_TOO_MANY_HEADERS);
}
END_TEST

Suite *
http_resp_suite(void)
{
	Suite *s = suite_create("http_resp");
	TCase *tc = tcase_create("resp");

	tcase_add_checked_fixture(tc, fp_test_guard_setup, fp_test_guard_teardown);
	tcase_add_loop_test(tc, test_good, 0, DIM(good));
	tcase_add_loop_test(tc, test_bad, 0, DIM(bad));
	tcase_add_loop_test(tc, test_framing, 0, DIM(fr));
	tcase_add_test(tc, test_fold_and_many);
	suite_add_tcase(s, tc);
	return s;
}
