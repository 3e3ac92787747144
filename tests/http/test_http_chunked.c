/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The fastpath authors
 */

#include <inttypes.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <check.h>

#include "fp_http_chunked.h"
#include "fp_test_guard.h"
#include "fp_test_rand.h"

/* Also in fp_test.h; declared here too since this test is plain C (no DPDK). */
Suite *
http_chunked_suite(void);

#define DIM(a) (sizeof(a) / sizeof((a)[0]))

/* ck_assert marks a point (a write) even when it holds; the loops below run
 * millions of times, so they call Check only on a failure.
 */
#define FAST_ASSERT(expr) do { \
	if (!(expr)) \
		ck_abort_msg("Assertion '%s' failed (line %d)", #expr, __LINE__); \
} while (0)
#define FAST_ASSERT_MSG(expr, ...) do { \
	if (!(expr)) \
		ck_abort_msg(__VA_ARGS__); \
} while (0)


/* How feed() cuts its input into the pieces it hands to the decoder. */
enum feed_mode {
	FEED_WHOLE,
	FEED_SPLIT,	/* [0, cut) then [cut, len): either may be empty */
	FEED_BYTES,	/* one byte a call */
	FEED_RANDOM,	/* pieces of random sizes */
};

#define OUT_MAX 16384

/* What one decoder made of an input. */
struct outcome {
	uint64_t consumed;	/* by the calls that did not fail */
	uint64_t first;		/* the same, after the first piece */
	unsigned int fail_piece; /* the piece where it failed, from 0 */
	bool done;
	bool failed;
	uint8_t err;
	uint64_t total;		/* the decoder's total and left at the end */
	uint64_t left;
	size_t out_len;
	char out[OUT_MAX];
};

/* Feeds in[0, len) to a new decoder limited to max, piece by piece, each
 * piece until it is consumed, the body is done or the decoder fails, and
 * checks the contract of every call on the way. Each piece is copied to end
 * where a PROT_NONE page begins (fp_test_guard.h), so a read of piece[len]
 * faults.
 */
static void
feed(const char *in, size_t len, uint64_t max, enum feed_mode mode, size_t cut, uint64_t *rng,
	struct outcome *o)
{
	struct fp_http_chunked c;
	const char *piece, *d;
	size_t off = 0, plen, q, dl;
	unsigned int idx = 0;
	int64_t r;

	memset(o, 0, offsetof(struct outcome, out));
	fp_http_chunked_init(&c, max);
	while (off < len || idx == 0) {
		switch (mode) {
		case FEED_SPLIT:
			plen = idx == 0 ? cut : len - off;
			break;
		case FEED_BYTES:
			plen = len == 0 ? 0 : 1;
			break;
		case FEED_RANDOM:
			plen = len == 0 ? 0 : 1 + fp_test_rng(rng) % (len - off);
			break;
		default:
			plen = len;
			break;
		}
		idx++;
		piece = fp_test_guarded(in + off, plen);
		q = 0;
		do {
			/* Both must be written by every call. */
			d = piece;
			dl = 1;
			r = fp_http_chunked_decode(&c, piece + q, plen - q, &d, &dl);
			if (r < 0) {
				FAST_ASSERT(r == -1);
				FAST_ASSERT(d == NULL && dl == 0);
				FAST_ASSERT(c.err > FP_HTTP_CHUNKED_OK &&
					c.err < FP_HTTP_CHUNKED_ERR_MAX);
				FAST_ASSERT(!fp_http_chunked_done(&c));
				o->failed = true;
				o->fail_piece = idx - 1;
				if (idx == 1)
					o->first = o->consumed;
				o->err = c.err;
				o->total = c.total;
				o->left = c.left;
				/* Once failed, failed for good. */
				r = fp_http_chunked_decode(&c, piece + q, plen - q, &d, &dl);
				FAST_ASSERT(r == -1 && c.err == o->err && d == NULL && dl == 0);
				return;
			}
			FAST_ASSERT(c.err == FP_HTTP_CHUNKED_OK);
			FAST_ASSERT((uint64_t)r <= plen - q);
			/* Something consumed, or the body is over. */
			FAST_ASSERT(r > 0 || q == plen || fp_http_chunked_done(&c));
			if (dl == 0) {
				FAST_ASSERT(d == NULL);
			} else {
				/* The payload lies within the bytes consumed. */
				FAST_ASSERT(d >= piece + q && d + dl <= piece + q + r);
				FAST_ASSERT(o->out_len + dl <= OUT_MAX);
				memcpy(o->out + o->out_len, d, dl);
				o->out_len += dl;
			}
			q += (size_t)r;
			o->consumed += (uint64_t)r;
		} while (q < plen && !fp_http_chunked_done(&c));
		if (idx == 1)
			o->first = o->consumed;
		if (fp_http_chunked_done(&c)) {
			/* The bytes left belong to the next request. */
			r = fp_http_chunked_decode(&c, piece + q, plen - q, &d, &dl);
			FAST_ASSERT(r == 0 && d == NULL && dl == 0);
			break;
		}
		off += plen;
	}
	o->done = fp_http_chunked_done(&c);
	o->total = c.total;
	o->left = c.left;
}

static void
assert_out(const struct outcome *o, const char *exp, size_t exp_len, const char *what)
{
	FAST_ASSERT_MSG(o->out_len == exp_len && memcmp(o->out, exp, exp_len) == 0,
		"%s: decoded %zu bytes \"%.*s\", expected %zu \"%.*s\"", what, o->out_len,
		(int)o->out_len, o->out, exp_len, (int)exp_len, exp);
}

/* in[0, body) is a valid chunked body that decodes to exp; in[body, len) is
 * what follows it. Fed whole, cut in two anywhere, or a byte at a time, it
 * decodes to exp and ends at body. A first piece shorter than the body is
 * taken whole and leaves the body unfinished.
 */
static void
check_valid(const char *in, size_t len, size_t body, const char *exp, size_t exp_len,
	uint64_t max)
{
	static struct outcome o;
	size_t k;

	/* Cut at 0 and at len: fed whole (after or before an empty call). */
	for (k = 0; k <= len + 1; k++) {
		if (k <= len)
			feed(in, len, max, FEED_SPLIT, k, NULL, &o);
		else
			feed(in, len, max, FEED_BYTES, 0, NULL, &o);
		FAST_ASSERT_MSG(!o.failed, "cut %zu: %s", k, fp_http_chunked_err_names[o.err]);
		FAST_ASSERT_MSG(o.done, "cut %zu: not done", k);
		FAST_ASSERT_MSG(o.consumed == body, "cut %zu: consumed %" PRIu64 ", body %zu",
			k, o.consumed, body);
		FAST_ASSERT_MSG(k > len || o.first == (k < body ? k : body),
			"cut %zu: first piece consumed %" PRIu64, k, o.first);
		FAST_ASSERT(o.total == exp_len);
		FAST_ASSERT(o.left == 0);
		assert_out(&o, exp, exp_len, k > len ? "byte by byte" : "cut");
	}
}

/* in[0, at) is the shortest prefix that fails, with err; a shorter first
 * piece is taken whole. Every way of feeding in fails the same, after the
 * same payload; byte by byte, at byte at - 1.
 */
static void
check_fails(const char *in, size_t len, size_t at, enum fp_http_chunked_err err, uint64_t max)
{
	static struct outcome o, first;
	size_t k;

	ck_assert_uint_gt(at, 0);
	feed(in, len, max, FEED_BYTES, 0, NULL, &first);
	ck_assert(first.failed);
	ck_assert_msg(first.err == err, "%s, expected %s", fp_http_chunked_err_names[first.err],
		fp_http_chunked_err_names[err]);
	ck_assert_uint_eq(first.consumed, at - 1);
	for (k = 0; k <= len; k++) {
		feed(in, len, max, FEED_SPLIT, k, NULL, &o);
		FAST_ASSERT_MSG(o.failed && o.err == err, "cut %zu: %s, expected %s", k,
			o.failed ? fp_http_chunked_err_names[o.err] : "no error",
			fp_http_chunked_err_names[err]);
		if (k < at)
			FAST_ASSERT_MSG(o.fail_piece == 1 && o.first == k,
				"cut %zu: failed in piece %u, first piece consumed %" PRIu64, k,
				o.fail_piece, o.first);
		else
			FAST_ASSERT_MSG(o.fail_piece == 0, "cut %zu: failed in piece %u", k,
				o.fail_piece);
		/* The payload before the error is the same however cut. */
		assert_out(&o, first.out, first.out_len, "cut");
	}
}

/* Valid bodies. Each is also tried with bytes after it. */
#define V(in, out) { in, sizeof(in) - 1, out, sizeof(out) - 1, 0 }
#define VMAX(in, out, max) { in, sizeof(in) - 1, out, sizeof(out) - 1, max }

static const struct valid_case {
	const char *in;
	size_t len;
	const char *out;
	size_t out_len;
	uint64_t max;
} valid[] = {
	V("5\r\nhello\r\n0\r\n\r\n", "hello"),
	V("0\r\n\r\n", ""),
	V("1\r\na\r\n2\r\nbc\r\n3\r\ndef\r\n4\r\nghij\r\n0\r\n\r\n", "abcdefghij"),
	/* Upper, lower and mixed case hex. */
	V("A\r\n0123456789\r\n1f\r\nabcdefghijklmnopqrstuvwxyz01234\r\n0\r\n\r\n",
		"0123456789abcdefghijklmnopqrstuvwxyz01234"),
	V("1B\r\nabcdefghijklmnopqrstuvwxyz!\r\n0\r\n\r\n", "abcdefghijklmnopqrstuvwxyz!"),
	V("c\r\nhello, world\r\n0\r\n\r\n", "hello, world"),
	/* Leading zeros, more of them than a u64 has digits. */
	V("0005\r\nhello\r\n000\r\n\r\n", "hello"),
	V("00000000000000000000000001\r\nx\r\n00000000000000000000\r\n\r\n", "x"),
	/* Chunk extensions: tokens, quoted strings, escapes, BWS. */
	V("5;name=value\r\nhello\r\n0\r\n\r\n", "hello"),
	V("5;a\r\nhello\r\n6 ; a = \"q \\\"x\\\" ;=\" ;b;c=d\r\n world\r\n0;last\r\n\r\n",
		"hello world"),
	V("1;x=\"\x80\xff\\\t\\\x80\"\r\nZ\r\n0;a=\"\"\r\n\r\n", "Z"),
	V("3\t;\tn\t=\ttok!#$%&'*+-.^_`|~\r\nabc\r\n0\r\n\r\n", "abc"),
	V("2;a=\"(),/:;<=>?@[]{}\";b\r\nxy\r\n0\r\n\r\n", "xy"),
	V("2;a;b;c\r\nxy\r\n0\r\n\r\n", "xy"),
	/* Trailers, checked and dropped. */
	V("3\r\nabc\r\n0\r\nX-Sum: 123\r\nX-Empty:\r\nY:\t a b \t\r\n\r\n", "abc"),
	V("0;e=1\r\nExpires: Wed, 21 Oct 2015 07:28:00 GMT\r\n\r\n", ""),
	V("1\r\nq\r\n0\r\nX!#$%&'*+-.^_`|~0aZ: caf\xc3\xa9 \x80\xff \"\\\r\n\r\n", "q"),
	/* Bare LF line ends, alone and mixed with CRLF. */
	V("3\nabc\n0\nX: y\n\n", "abc"),
	V("3\r\nabc\n2;a=b\nde\r\n0\r\nT: 1\n\r\n", "abcde"),
	V("0\n\n", ""),
	/* Data is any bytes, line ends and NULs included. */
	V("7\r\n0\r\n\r\n\r\n\r\n0\r\n\r\n", "0\r\n\r\n\r\n"),
	V("4\r\n\x00\r\xff\n\r\n0\r\n\r\n", "\x00\r\xff\n"),
	/* A decoded body of exactly max bytes. */
	VMAX("A\r\n0123456789\r\n0\r\n\r\n", "0123456789", 10),
	VMAX("5\r\nhello\r\n5\r\nworld\r\n0\r\n\r\n", "helloworld", 10),
	VMAX("1\r\na\r\n0\r\n\r\n", "a", 1),
};

/* Bytes that may follow a body: none, a pipelined request, garbage. */
static const char *const tails[] = {
	"",
	"GET /next HTTP/1.1\r\nHost: a\r\n\r\n",
	"\r\n\x01\xff 5\r\nhello\r\n",
};

START_TEST(test_valid)
{
	static char in[1024];
	const struct valid_case *c = &valid[_i];
	size_t t, n;

	for (t = 0; t < DIM(tails); t++) {
		n = strlen(tails[t]);
		ck_assert_uint_le(c->len + n, sizeof(in));
		memcpy(in, c->in, c->len);
		memcpy(in + c->len, tails[t], n);
		check_valid(in, c->len + n, c->len, c->out, c->out_len, c->max);
	}
}
END_TEST

/* Invalid bodies. BAD's first string is the shortest prefix that fails. */
#define BAD(fail, rest, e) \
	{ fail rest, sizeof(fail rest) - 1, sizeof(fail) - 1, FP_HTTP_CHUNKED_##e, 0 }
#define BADMAX(fail, rest, e, max) \
	{ fail rest, sizeof(fail rest) - 1, sizeof(fail) - 1, FP_HTTP_CHUNKED_##e, max }

static const struct bad_case {
	const char *in;
	size_t len;
	size_t at;
	enum fp_http_chunked_err err;
	uint64_t max;
} bad[] = {
	BAD("x", "\r\n", BAD_SIZE),
	BAD("\r", "\n0\r\n\r\n", BAD_SIZE),
	BAD("\n", "0\r\n\r\n", BAD_SIZE),
	BAD(";", "a\r\nx\r\n0\r\n\r\n", BAD_SIZE),
	BAD(" ", "5\r\nhello\r\n0\r\n\r\n", BAD_SIZE),
	BAD("5x", "\r\nhello\r\n0\r\n\r\n", BAD_SIZE),
	BAD("-", "1\r\nx\r\n0\r\n\r\n", BAD_SIZE),
	BAD("+", "1\r\nx\r\n0\r\n\r\n", BAD_SIZE),
	BAD("0x", "5\r\nhello\r\n0\r\n\r\n", BAD_SIZE),
	BAD("5g", "\r\nhello\r\n0\r\n\r\n", BAD_SIZE),
	BAD("1\r\na\r\nz", "\r\n0\r\n\r\n", BAD_SIZE),
	BAD("1\r\na\r\n\r", "\n0\r\n\r\n", BAD_SIZE),
	/* 17 significant digits do not fit 64 bits, leading zeros or not. */
	BAD("10000000000000000", "\r\n", BAD_SIZE),
	BAD("0000FFFFFFFFFFFFFFFF0", "\r\n", BAD_SIZE),
	BAD("fffffffffffffffff", "\r\n", BAD_SIZE),

	BAD("5\r\nhelloX", "\r\n0\r\n\r\n", BAD_CRLF),
	BAD("5\r\nhello\rX", "\n0\r\n\r\n", BAD_CRLF),
	BAD("5\r\nhello\r\r", "\n0\r\n\r\n", BAD_CRLF),
	BAD("2\r\nabc", "\r\n0\r\n\r\n", BAD_CRLF),
	BAD("5\rX", "\nhello\r\n0\r\n\r\n", BAD_CRLF),
	BAD("5;a=b\r ", "\nhello\r\n0\r\n\r\n", BAD_CRLF),
	BAD("5;a\r\r", "\nhello\r\n0\r\n\r\n", BAD_CRLF),
	BAD("0\r\nX: y\rZ", "\r\n\r\n", BAD_CRLF),
	BAD("0\r\n\rX", "", BAD_CRLF),
	BAD("0\r\n\r\r", "\n", BAD_CRLF),

	BAD("1;\r", "\na\r\n0\r\n\r\n", BAD_EXT),
	BAD("1;=", "v\r\na\r\n0\r\n\r\n", BAD_EXT),
	BAD("1;a=\r", "\na\r\n0\r\n\r\n", BAD_EXT),
	BAD("1;a=\n", "a\r\n0\r\n\r\n", BAD_EXT),
	BAD("1;a=\"x\r", "\na\r\n0\r\n\r\n", BAD_EXT),
	BAD("1;a=\"\x01", "\"\r\na\r\n0\r\n\r\n", BAD_EXT),
	BAD("1;a=\"\x7f", "\"\r\na\r\n0\r\n\r\n", BAD_EXT),
	BAD("1;a=\"\\\x01", "\"\r\na\r\n0\r\n\r\n", BAD_EXT),
	BAD("1;a=\"\\\n", "\"\r\na\r\n0\r\n\r\n", BAD_EXT),
	BAD("1;a=b\"", "\r\na\r\n0\r\n\r\n", BAD_EXT),
	BAD("1;a=\"b\"c", "\r\na\r\n0\r\n\r\n", BAD_EXT),
	BAD("1;a=,", "\r\na\r\n0\r\n\r\n", BAD_EXT),
	BAD("1;a@", "\r\na\r\n0\r\n\r\n", BAD_EXT),
	BAD("1;a==", "b\r\na\r\n0\r\n\r\n", BAD_EXT),
	BAD("1;a b", "\r\na\r\n0\r\n\r\n", BAD_EXT),
	BAD("1 x", "\r\na\r\n0\r\n\r\n", BAD_EXT),
	BAD("1 =", "v\r\na\r\n0\r\n\r\n", BAD_EXT),
	BAD("1;a=b =", "c\r\na\r\n0\r\n\r\n", BAD_EXT),
	BAD("1;a=\"b\" =", "c\r\na\r\n0\r\n\r\n", BAD_EXT),
	/* BWS only comes before ';' or '=', never before the line end. */
	BAD("1 \r", "\na\r\n0\r\n\r\n", BAD_EXT),
	BAD("1\t\n", "a\r\n0\r\n\r\n", BAD_EXT),
	BAD("1;a \r", "\na\r\n0\r\n\r\n", BAD_EXT),
	BAD("1;a=b \r", "\na\r\n0\r\n\r\n", BAD_EXT),
	BAD("1;a=\"b\" \n", "a\r\n0\r\n\r\n", BAD_EXT),
	BAD("0;\x80", "\r\n\r\n", BAD_EXT),

	/* obs-fold, whitespace before the colon, no colon, bad bytes. */
	BAD("0\r\n ", "X: y\r\n\r\n", BAD_TRAILER),
	BAD("0\r\n\t", "X: y\r\n\r\n", BAD_TRAILER),
	BAD("0\r\nX: a\r\n\t", "b\r\n\r\n", BAD_TRAILER),
	BAD("0\r\nX ", ": y\r\n\r\n", BAD_TRAILER),
	BAD("0\r\nX\r", "\n\r\n", BAD_TRAILER),
	BAD("0\nX\n", "\n", BAD_TRAILER),
	BAD("0\r\n:", " y\r\n\r\n", BAD_TRAILER),
	BAD("0\r\nX@", ": y\r\n\r\n", BAD_TRAILER),
	BAD("0\r\n\x80", ": y\r\n\r\n", BAD_TRAILER),
	BAD("0\r\nX: a\x00", "b\r\n\r\n", BAD_TRAILER),
	BAD("0\r\nX: \x7f", "\r\n\r\n", BAD_TRAILER),
	BAD("0\r\nX: a\x0b", "\r\n\r\n", BAD_TRAILER),
	BAD("0\r\n\x00", "\r\n", BAD_TRAILER),

	/* max + 1: refused once the size is read, before its data. */
	BADMAX("B\r", "\n0123456789a\r\n0\r\n\r\n", TOO_LARGE, 10),
	BADMAX("B;", "a\r\n0123456789a\r\n0\r\n\r\n", TOO_LARGE, 10),
	BADMAX("5\r\nhello\r\n6\n", "world!\r\n0\r\n\r\n", TOO_LARGE, 10),
	BADMAX("5\r\nhello\r\n5\r", "\nworld\r\n0\r\n\r\n", TOO_LARGE, 9),
	BADMAX("2 ", ";a\r\nab\r\n0\r\n\r\n", TOO_LARGE, 1),
	BADMAX("FFFFFFFFFFFFFFFF\r", "\n", TOO_LARGE, UINT64_MAX - 1),
};

START_TEST(test_invalid)
{
	const struct bad_case *c = &bad[_i];

	check_fails(c->in, c->len, c->at, c->err, c->max);
}
END_TEST

/* A chunk-size line of FP_HTTP_CHUNK_LINE_MAX bytes, its line end not
 * counted, passes; one byte more fails at that byte.
 */
START_TEST(test_line_limit)
{
	static char in[FP_HTTP_CHUNK_LINE_MAX + 64];
	const size_t max = FP_HTTP_CHUNK_LINE_MAX;
	size_t n;

	/* An extension: "1;aaa...". */
	in[0] = '1';
	in[1] = ';';
	memset(in + 2, 'a', max - 2);
	n = max + (size_t)sprintf(in + max, "\r\nx\r\n0\r\n\r\n");
	check_valid(in, n, n, "x", 1, 0);
	/* The same with a bare LF. */
	n = max + (size_t)sprintf(in + max, "\nx\n0\n\n");
	check_valid(in, n, n, "x", 1, 0);
	n = max + (size_t)sprintf(in + max, "a\r\nx\r\n0\r\n\r\n");
	check_fails(in, n, max + 1, FP_HTTP_CHUNKED_LINE_TOO_LONG, 0);
	/* A quoted string up to the limit; the byte after its quote is over. */
	in[2] = 'q';
	in[3] = '=';
	in[4] = '"';
	in[max - 1] = '"';
	n = max + (size_t)sprintf(in + max, "\r\nx\r\n0\r\n\r\n");
	check_valid(in, n, n, "x", 1, 0);
	n = max + (size_t)sprintf(in + max, ";\r\nx\r\n0\r\n\r\n");
	check_fails(in, n, max + 1, FP_HTTP_CHUNKED_LINE_TOO_LONG, 0);

	/* Leading zeros count, here on the last chunk. */
	memset(in, '0', max);
	n = max + (size_t)sprintf(in + max, "\r\n\r\n");
	check_valid(in, n, n, "", 0, 0);
	memset(in, '0', max + 1);
	n = max + 1 + (size_t)sprintf(in + max + 1, "\r\n\r\n");
	check_fails(in, n, max + 1, FP_HTTP_CHUNKED_LINE_TOO_LONG, 0);
}
END_TEST

/* The limit is per line: two lines of the limit pass. */
START_TEST(test_line_limit_per_line)
{
	static char in[2 * FP_HTTP_CHUNK_LINE_MAX + 64];
	const size_t max = FP_HTTP_CHUNK_LINE_MAX;
	size_t n = 0;

	n += (size_t)sprintf(in + n, "1;");
	memset(in + n, 'b', max - 2);
	n += max - 2;
	n += (size_t)sprintf(in + n, "\r\nx\r\n1;");
	memset(in + n, 'c', max - 2);
	n += max - 2;
	n += (size_t)sprintf(in + n, "\r\ny\r\n0\r\n\r\n");
	check_valid(in, n, n, "xy", 2, 0);
}
END_TEST

/* A trailer section of FP_HTTP_CHUNK_TRAILER_MAX bytes, its line ends counted
 * and the empty last line not, passes; one byte more fails at that byte.
 */
START_TEST(test_trailer_limit)
{
	static const char field[] = "X-Long: ";
	static char in[FP_HTTP_CHUNK_TRAILER_MAX + 64];
	const size_t max = FP_HTTP_CHUNK_TRAILER_MAX;
	const size_t start = strlen("1\r\nz\r\n0\r\n");
	const size_t fill = max - strlen(field) - 2;
	size_t n;
	unsigned int i;

	/* One long field: its LF is the last byte allowed. */
	n = (size_t)sprintf(in, "1\r\nz\r\n0\r\n%s", field);
	memset(in + n, 'v', fill);
	n += fill;
	n += (size_t)sprintf(in + n, "\r\n\r\n");
	ck_assert_uint_eq(n - start - 2, max);
	check_valid(in, n, n, "z", 1, 0);
	/* One byte more: its LF is the byte over. */
	n = start + strlen(field);
	memset(in + n, 'v', fill + 1);
	n += fill + 1;
	n += (size_t)sprintf(in + n, "\r\n\r\n");
	check_fails(in, n, n - 2, FP_HTTP_CHUNKED_TRAILER_TOO_LARGE, 0);

	/* Fields of 16 bytes, bare LF: max / 16 of them pass; one more fails
	 * at its first byte.
	 */
	n = (size_t)sprintf(in, "0\n");
	for (i = 0; i < max / 16; i++)
		n += (size_t)sprintf(in + n, "X-F%04u: 567890\n", i);
	n += (size_t)sprintf(in + n, "\n");
	ck_assert_uint_eq(n, 2 + max + 1);
	check_valid(in, n, n, "", 0, 0);
	n--;
	n += (size_t)sprintf(in + n, "Y: 1\n\n");
	check_fails(in, n, n - strlen("Y: 1\n\n") + 1, FP_HTTP_CHUNKED_TRAILER_TOO_LARGE, 0);
}
END_TEST

/* 16 significant hex digits fit: the data after such a size just flows. */
START_TEST(test_size_64bit)
{
	static const char *const in[] = {
		"FFFFFFFFFFFFFFFF\r\nab",
		"ffffffffffffffff;x=\"y\"\nab",
		"0000000000000000fFfFfFfFfFfFfFfF\r\nab",
	};
	static struct outcome o;
	size_t i, k, n;

	for (i = 0; i < DIM(in); i++) {
		n = strlen(in[i]);
		for (k = 0; k <= n; k++) {
			feed(in[i], n, k % 2 ? 0 : UINT64_MAX, FEED_SPLIT, k, NULL, &o);
			ck_assert(!o.failed && !o.done);
			ck_assert_uint_eq(o.consumed, n);
			ck_assert_uint_eq(o.total, UINT64_MAX);
			ck_assert_uint_eq(o.left, UINT64_MAX - 2);
			assert_out(&o, "ab", 2, in[i]);
		}
	}
}
END_TEST

/* With no limit the total still cannot wrap. Feeding 2^64 bytes is not an
 * option: the test sets the total.
 */
START_TEST(test_total_wrap)
{
	struct fp_http_chunked c;
	const char *d;
	size_t dl;

	fp_http_chunked_init(&c, 0);
	c.total = UINT64_MAX - 1;
	ck_assert_int_eq(fp_http_chunked_decode(&c, fp_test_guarded("2\r\n", 3), 3, &d, &dl), -1);
	ck_assert_uint_eq(c.err, FP_HTTP_CHUNKED_TOO_LARGE);

	fp_http_chunked_init(&c, 0);
	c.total = UINT64_MAX - 1;
	ck_assert_int_eq(fp_http_chunked_decode(&c, fp_test_guarded("1\r\n", 3), 3, &d, &dl), 3);
	ck_assert_uint_eq(c.total, UINT64_MAX);
	ck_assert_uint_eq(c.left, 1);
}
END_TEST

/* init is the zeroed struct with max set, whatever was there before. */
START_TEST(test_init)
{
	struct fp_http_chunked c, z;
	const char *d;
	size_t dl;

	memset(&c, 0xa5, sizeof(c));
	fp_http_chunked_init(&c, 1234);
	memset(&z, 0, sizeof(z));
	z.max = 1234;
	ck_assert_uint_eq(c.left, 0);
	ck_assert_uint_eq(c.total, 0);
	ck_assert_uint_eq(c.max, 1234);
	ck_assert_uint_eq(c.line, 0);
	ck_assert_uint_eq(c.state, z.state);
	ck_assert_uint_eq(c.err, FP_HTTP_CHUNKED_OK);
	ck_assert(!fp_http_chunked_done(&c));

	/* A zeroed struct decodes a body with no limit. */
	memset(&z, 0, sizeof(z));
	ck_assert_int_eq(fp_http_chunked_decode(&z, fp_test_guarded("3\r\n", 3), 3, &d, &dl), 3);
	ck_assert_ptr_null(d);
	ck_assert_uint_eq(dl, 0);
	ck_assert_int_eq(fp_http_chunked_decode(&z, fp_test_guarded("abc", 3), 3, &d, &dl), 3);
	ck_assert_uint_eq(dl, 3);
	ck_assert(memcmp(d, "abc", 3) == 0);
	ck_assert_int_eq(fp_http_chunked_decode(&z, fp_test_guarded("\r\n0\r\n\r\nX", 8), 8, &d,
		&dl), 7);
	ck_assert(fp_http_chunked_done(&z));
	ck_assert_uint_eq(z.total, 3);
}
END_TEST

/* A len too big for the return value: the body still ends where it ends, and
 * nothing past it is read.
 */
START_TEST(test_huge_len)
{
	static const char in[] = "5\r\nhello\r\n0\r\n\r\n";
	const size_t huge = (size_t)INT64_MAX + 10;
	struct fp_http_chunked c;
	const char *buf, *d;
	size_t dl, off = 0;
	int64_t r;

	buf = fp_test_guarded(in, sizeof(in) - 1);
	fp_http_chunked_init(&c, 0);
	r = fp_http_chunked_decode(&c, buf, huge, &d, &dl);
	ck_assert_int_eq(r, 8);
	ck_assert_uint_eq(dl, 5);
	ck_assert(d == buf + 3);
	off += (size_t)r;
	r = fp_http_chunked_decode(&c, buf + off, huge - off, &d, &dl);
	ck_assert_int_eq(r, (int64_t)(sizeof(in) - 1 - off));
	ck_assert(fp_http_chunked_done(&c));
}
END_TEST

/* Every reason has a distinct snake_case name and a test that reaches it. */
START_TEST(test_err_names)
{
	bool covered[FP_HTTP_CHUNKED_ERR_MAX] = { false };
	const char *s;
	unsigned int i, j;

	ck_assert_str_eq(fp_http_chunked_err_names[FP_HTTP_CHUNKED_OK], "ok");
	for (i = 0; i < FP_HTTP_CHUNKED_ERR_MAX; i++) {
		s = fp_http_chunked_err_names[i];
		ck_assert_ptr_nonnull(s);
		ck_assert_uint_gt(strlen(s), 0);
		for (; *s != '\0'; s++)
			ck_assert_msg((*s >= 'a' && *s <= 'z') || *s == '_', "%s",
				fp_http_chunked_err_names[i]);
		for (j = 0; j < i; j++)
			ck_assert_str_ne(fp_http_chunked_err_names[i],
				fp_http_chunked_err_names[j]);
	}
	for (i = 0; i < DIM(bad); i++)
		covered[bad[i].err] = true;
	/* test_line_limit and test_trailer_limit. */
	covered[FP_HTTP_CHUNKED_LINE_TOO_LONG] = true;
	covered[FP_HTTP_CHUNKED_TRAILER_TOO_LARGE] = true;
	for (i = FP_HTTP_CHUNKED_OK + 1; i < FP_HTTP_CHUNKED_ERR_MAX; i++)
		ck_assert_msg(covered[i], "%s untested", fp_http_chunked_err_names[i]);
}
END_TEST

static const char *const seeds[] = {
	"5\r\nhello\r\n0\r\n\r\n",
	"3;a=b\r\nabc\r\n10 ; q=\"x\\\"y\"\r\n0123456789abcdef\r\n0\r\nX-T: v\r\n\r\n",
	"1\na\n0\nK: v\n\n",
	"0;e\r\nA: 1\r\nB:\t2 \r\n\r\nGET / HTTP/1.1\r\n\r\n",
};

/* Bytes that sit on the decoder's decision points. */
static const char specials[] = { '0', '1', '9', 'a', 'f', 'A', 'F', 'g', 'x', '\r', '\n', ';',
	'=', ' ', '\t', '"', '\\', ':', '\0', '\x7f', '\x80', '\xff' };

#define mutate(buf, len, room, rng) \
	fp_test_mutate((buf), (len), (room), (rng), specials, sizeof(specials))

static const char *const gen_exts[] = { "", "", ";a", ";a=b", " ;q=\"x y\"", ";n = \"\\\"\";m" };
static const char *const gen_trailers[] = { "X: y", "T-1:\tv v ", "A:" };

/* Appends s[0, n) to buf (*len bytes, room at most), or nothing if it does not fit. */
static void
put(char *buf, size_t *len, size_t room, const char *s, size_t n)
{
	if (*len + n <= room) {
		memcpy(buf + *len, s, n);
		*len += n;
	}
}

/* A line end: CRLF mostly, or a bare LF. */
static void
put_eol(char *buf, size_t *len, size_t room, uint64_t *rng)
{
	if (fp_test_rng(rng) % 4 == 0)
		put(buf, len, room, "\n", 1);
	else
		put(buf, len, room, "\r\n", 2);
}

/* Writes a random valid body, possibly followed by other bytes. */
static size_t
gen_body(char *buf, size_t room, uint64_t *rng)
{
	static const char hex[] = "0123456789abcdef0123456789ABCDEF";
	char tmp[32], data[16];
	size_t len = 0, n, i;
	unsigned int nb, size, z;
	const char *s;

	for (nb = fp_test_rng(rng) % 4; nb > 0; nb--) {
		size = 1 + fp_test_rng(rng) % 16;
		n = 0;
		for (z = fp_test_rng(rng) % 3; z > 0; z--)
			tmp[n++] = '0';
		if (size >= 16)
			tmp[n++] = hex[size / 16 + (fp_test_rng(rng) % 2) * 16];
		tmp[n++] = hex[size % 16 + (fp_test_rng(rng) % 2) * 16];
		put(buf, &len, room, tmp, n);
		s = gen_exts[fp_test_rng(rng) % DIM(gen_exts)];
		put(buf, &len, room, s, strlen(s));
		put_eol(buf, &len, room, rng);
		for (i = 0; i < size; i++)
			data[i] = (char)fp_test_rng(rng);
		put(buf, &len, room, data, size);
		put_eol(buf, &len, room, rng);
	}
	put(buf, &len, room, "0", 1);
	s = gen_exts[fp_test_rng(rng) % DIM(gen_exts)];
	put(buf, &len, room, s, strlen(s));
	put_eol(buf, &len, room, rng);
	for (nb = fp_test_rng(rng) % 3; nb > 0; nb--) {
		s = gen_trailers[fp_test_rng(rng) % DIM(gen_trailers)];
		put(buf, &len, room, s, strlen(s));
		put_eol(buf, &len, room, rng);
	}
	put_eol(buf, &len, room, rng);
	if (fp_test_rng(rng) % 2)
		put(buf, &len, room, "GET / HTTP/1.1\r\n", 16);
	return len;
}

/* Random, mutated and generated inputs: every call keeps the contract (feed
 * checks it), and whole, in random pieces or a byte at a time, the decoder
 * reaches the same end with the same payload.
 */
START_TEST(test_random)
{
	static const uint64_t maxes[] = { 0, 0, 3, 10, 16 };
	static struct outcome whole, pieces, bytes;
	static char in[256];
	uint64_t rng = 0x5eed1e55c0ffee11ULL, max;
	unsigned int nb_err[FP_HTTP_CHUNKED_ERR_MAX] = { 0 };
	unsigned int n, m, nb_done = 0, nb_bad = 0, nb_more = 0;
	size_t len, i;

	for (n = 0; n < 20000; n++) {
		switch (n % 3) {
		case 0:
			/* Random bytes, mostly from the decision points. */
			len = fp_test_rng(&rng) % 48;
			for (i = 0; i < len; i++)
				in[i] = fp_test_rng(&rng) % 4 == 0 ? (char)fp_test_rng(&rng) :
					specials[fp_test_rng(&rng) % DIM(specials)];
			break;
		case 1:
			len = strlen(seeds[n / 3 % DIM(seeds)]);
			memcpy(in, seeds[n / 3 % DIM(seeds)], len);
			for (m = 1 + fp_test_rng(&rng) % 4; m > 0; m--)
				mutate(in, &len, sizeof(in), &rng);
			break;
		default:
			/* Valid bodies, a third of them left whole. */
			len = gen_body(in, sizeof(in), &rng);
			for (m = fp_test_rng(&rng) % 3; m > 0; m--)
				mutate(in, &len, sizeof(in), &rng);
			break;
		}
		max = maxes[fp_test_rng(&rng) % DIM(maxes)];
		feed(in, len, max, FEED_WHOLE, 0, NULL, &whole);
		feed(in, len, max, FEED_RANDOM, 0, &rng, &pieces);
		feed(in, len, max, FEED_BYTES, 0, NULL, &bytes);
		FAST_ASSERT_MSG(whole.failed == pieces.failed && whole.failed == bytes.failed &&
			whole.err == pieces.err && whole.err == bytes.err &&
			whole.done == pieces.done && whole.done == bytes.done,
			"input %u: whole %d/%s/%d, pieces %d/%s/%d, bytes %d/%s/%d", n,
			whole.failed, fp_http_chunked_err_names[whole.err], whole.done,
			pieces.failed, fp_http_chunked_err_names[pieces.err], pieces.done,
			bytes.failed, fp_http_chunked_err_names[bytes.err], bytes.done);
		assert_out(&pieces, whole.out, whole.out_len, "pieces");
		assert_out(&bytes, whole.out, whole.out_len, "bytes");
		if (whole.failed) {
			nb_bad++;
			nb_err[whole.err]++;
			FAST_ASSERT(bytes.consumed < len);
			continue;
		}
		FAST_ASSERT(whole.consumed == pieces.consumed && whole.consumed == bytes.consumed);
		if (whole.done) {
			nb_done++;
			FAST_ASSERT(whole.consumed <= len && whole.total == whole.out_len);
			FAST_ASSERT(max == 0 || whole.total <= max);
		} else {
			/* Not done, no error: every byte was taken. */
			nb_more++;
			FAST_ASSERT(whole.consumed == len);
		}
	}
	/* The inputs reached every outcome. */
	ck_assert_uint_gt(nb_done, 2000);
	ck_assert_uint_gt(nb_bad, 2000);
	ck_assert_uint_gt(nb_more, 1000);
	/* And every reason short inputs can reach. */
	for (n = FP_HTTP_CHUNKED_OK + 1; n < FP_HTTP_CHUNKED_ERR_MAX; n++)
		ck_assert_msg(nb_err[n] > 50 || n == FP_HTTP_CHUNKED_LINE_TOO_LONG ||
			n == FP_HTTP_CHUNKED_TRAILER_TOO_LARGE, "%s: %u",
			fp_http_chunked_err_names[n], nb_err[n]);
}
END_TEST

Suite *
http_chunked_suite(void)
{
	Suite *s = suite_create("http_chunked");
	TCase *tc;

	tc = tcase_create("valid");
	tcase_add_checked_fixture(tc, fp_test_guard_setup, fp_test_guard_teardown);
	tcase_add_loop_test(tc, test_valid, 0, DIM(valid));
	tcase_add_test(tc, test_size_64bit);
	tcase_add_test(tc, test_init);
	tcase_add_test(tc, test_huge_len);
	suite_add_tcase(s, tc);

	tc = tcase_create("invalid");
	tcase_add_checked_fixture(tc, fp_test_guard_setup, fp_test_guard_teardown);
	tcase_add_loop_test(tc, test_invalid, 0, DIM(bad));
	tcase_add_test(tc, test_total_wrap);
	tcase_add_test(tc, test_err_names);
	suite_add_tcase(s, tc);

	tc = tcase_create("limits");
	tcase_add_checked_fixture(tc, fp_test_guard_setup, fp_test_guard_teardown);
	tcase_add_test(tc, test_line_limit);
	tcase_add_test(tc, test_line_limit_per_line);
	tcase_add_test(tc, test_trailer_limit);
	suite_add_tcase(s, tc);

	tc = tcase_create("random");
	tcase_add_checked_fixture(tc, fp_test_guard_setup, fp_test_guard_teardown);
	tcase_add_test(tc, test_random);
	suite_add_tcase(s, tc);
	return s;
}
