/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The fastpath authors
 */

/* Accept-Encoding negotiation, Range, entity tags, HTTP-dates and the
 * precondition order of RFC 9110 (lib/http/fp_http_cond.c). Plain C: every
 * value is handed over in a buffer that ends at a guard page.
 */

#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <check.h>

#include "fp_http_cond.h"
#include "fp_test_guard.h"
#include "fp_test_rand.h"

Suite *
http_cond_suite(void);

#define DIM(a) (sizeof(a) / sizeof((a)[0]))

#define BR (1u << FP_HTTP_CE_BR)
#define GZ (1u << FP_HTTP_CE_GZIP)
#define ID FP_HTTP_CE_IDENTITY
#define NONE (-1)

/* 2026-11-30 00:00:00 UTC, the clock of these tests. */
#define NOW INT64_C(1795996800)

static int
ae_line(const char *v, struct fp_http_ae *ae)
{
	return fp_http_ae_parse(fp_test_guarded(v, strlen(v)), strlen(v), ae);
}

/* The negotiation matrix: field lines (NULL: no field), codings the
 * resource has, the answer.
 */
static const struct {
	const char *lines[3];
	unsigned int avail;
	int want;
} ae_cases[] = {
	{ { NULL }, BR | GZ, ID },
	{ { "" }, BR | GZ, ID },
	{ { "gzip" }, BR | GZ, FP_HTTP_CE_GZIP },
	{ { "gzip" }, BR, ID },
	{ { "gzip, br" }, BR | GZ, FP_HTTP_CE_BR },
	{ { "br, gzip" }, GZ, FP_HTTP_CE_GZIP },
	{ { "deflate, gzip, br, zstd" }, BR | GZ, FP_HTTP_CE_BR },
	{ { "br;q=0.5, gzip" }, BR | GZ, FP_HTTP_CE_GZIP },
	{ { "br;q=0.5, gzip;q=0.5" }, BR | GZ, FP_HTTP_CE_BR },
	{ { "gzip;q=0.5" }, GZ, FP_HTTP_CE_GZIP },
	{ { "gzip;q=0.5, identity" }, GZ, ID },
	{ { "gzip;q=0" }, GZ, ID },
	{ { "GZIP;Q=1.0" }, GZ, FP_HTTP_CE_GZIP },
	{ { "x-gzip" }, BR | GZ, FP_HTTP_CE_GZIP },
	{ { "gzip , br ;q=0.9" }, BR | GZ, FP_HTTP_CE_GZIP },
	{ { "gzip;q=1., br;q=0.999" }, BR | GZ, FP_HTTP_CE_GZIP },
	{ { "identity;q=0" }, 0, NONE },
	{ { "identity;q=0" }, BR | GZ, NONE },
	{ { "identity;q=0, gzip" }, BR | GZ, FP_HTTP_CE_GZIP },
	{ { "identity;q=0, gzip" }, 0, NONE },
	{ { "*;q=0" }, BR | GZ, NONE },
	{ { "*;q=0, identity" }, BR | GZ, ID },
	{ { "*;q=0, br;q=0.1" }, BR | GZ, FP_HTTP_CE_BR },
	{ { "*" }, BR | GZ, FP_HTTP_CE_BR },
	{ { "*" }, 0, ID },
	{ { "*;q=0.3, gzip;q=0.2" }, BR | GZ, FP_HTTP_CE_BR },
	{ { "*;q=0.3, gzip;q=0.2" }, GZ, ID },
	/* A coding named twice keeps its first weight. */
	{ { "gzip, gzip;q=0" }, GZ, FP_HTTP_CE_GZIP },
	{ { "gzip;q=0, gzip" }, GZ, ID },
	/* Lines make one list. */
	{ { "gzip;q=0.1", "br;q=0.2" }, BR | GZ, FP_HTTP_CE_BR },
	{ { "identity;q=0", "gzip" }, GZ, FP_HTTP_CE_GZIP },
	{ { "compress, deflate" }, BR | GZ, ID },
};

START_TEST(test_ae_matrix)
{
	unsigned int i, l;
	struct fp_http_ae ae;

	for (i = 0; i < DIM(ae_cases); i++) {
		fp_http_ae_init(&ae);
		for (l = 0; l < DIM(ae_cases[i].lines) && ae_cases[i].lines[l] != NULL; l++)
			ck_assert_int_eq(ae_line(ae_cases[i].lines[l], &ae),
				(int)strlen(ae_cases[i].lines[l]));
		ck_assert_msg(fp_http_ae_choose(&ae, ae_cases[i].avail) == ae_cases[i].want,
			"case %u (%s, avail %#x): got %d, want %d", i,
			ae_cases[i].lines[0] ? ae_cases[i].lines[0] : "no field",
			ae_cases[i].avail, fp_http_ae_choose(&ae, ae_cases[i].avail),
			ae_cases[i].want);
	}
}
END_TEST

START_TEST(test_ae_malformed)
{
	static const char *const bad[] = {
		"gzip;q=2", "gzip;q=1.5", "gzip;q=1.001", "gzip;q=0.5000", "gzip;q=",
		"gzip;q", "gzip;level=1", ";q=1", "gzip q=1", "gzip;q=.5", "gzip/1",
		"\"gzip\"", "gzip;q=0.5;q=0.4", "gzip;;q=1", "br;q=-1",
	};
	struct fp_http_ae ae;
	unsigned int i;

	for (i = 0; i < DIM(bad); i++) {
		fp_http_ae_init(&ae);
		ck_assert_int_eq(ae_line("br;q=0.4", &ae), 8);
		ck_assert_msg(ae_line(bad[i], &ae) == -1, "'%s' was taken", bad[i]);
		/* ae is as it was before the bad line. */
		ck_assert_int_eq(ae.listed, BR);
		ck_assert_int_eq(ae.q[FP_HTTP_CE_BR], 400);
	}
}
END_TEST

/* A request holding the given field lines, in a buffer of its own. */
struct fake_req {
	struct fp_http_request req;
	char buf[2048];
};

static void
fake_req(struct fake_req *f, const char *const *lines)
{
	unsigned int n = 0, off = 0;

	memset(&f->req, 0, sizeof(f->req));
	for (; lines[n] != NULL; n++) {
		const char *colon = strchr(lines[n], ':');
		size_t nl = colon - lines[n], vl = strlen(colon + 2);

		memcpy(f->buf + off, lines[n], nl);
		f->req.headers[n].name.p = f->buf + off;
		f->req.headers[n].name.len = nl;
		off += nl;
		memcpy(f->buf + off, colon + 2, vl);
		f->req.headers[n].value.p = f->buf + off;
		f->req.headers[n].value.len = vl;
		off += vl;
	}
	f->req.nb_headers = n;
}

START_TEST(test_scan_ae_bad_line_ignores_field)
{
	static const char *const lines[] = {
		"Accept-Encoding: gzip", "accept-encoding: br;q=7", "Host: x", NULL,
	};
	struct fake_req f;
	struct fp_http_cond c;

	fake_req(&f, lines);
	fp_http_cond_scan(&f.req, &c);
	ck_assert(c.ae_bad);
	ck_assert_int_eq(c.present, 0);
	ck_assert_int_eq(fp_http_ae_choose(&c.ae, BR | GZ), ID);
}
END_TEST

/* Ranges: the value, the size, -1 or the ranges expected. */
static const struct {
	const char *v;
	uint64_t size;
	int ok;
	unsigned int nb;
	uint64_t r[2][2];
} range_cases[] = {
	{ "bytes=0-499", 1000, 1, 1, { { 0, 499 } } },
	{ "bytes=500-", 1000, 1, 1, { { 500, 999 } } },
	{ "bytes=-200", 1000, 1, 1, { { 800, 999 } } },
	{ "bytes=-2000", 1000, 1, 1, { { 0, 999 } } },
	{ "bytes=900-1999", 1000, 1, 1, { { 900, 999 } } },
	{ "bytes=999-999", 1000, 1, 1, { { 999, 999 } } },
	{ "bytes=0-0,-1", 1000, 1, 2, { { 0, 0 }, { 999, 999 } } },
	{ "bytes=500-999, 0-499", 1000, 1, 1, { { 0, 999 } } },
	{ "bytes=0-10,5-20,3-4", 1000, 1, 1, { { 0, 20 } } },
	{ "bytes=0-10,12-20", 1000, 1, 2, { { 0, 10 }, { 12, 20 } } },
	{ "bytes=0-1,,2-3", 1000, 1, 1, { { 0, 3 } } },
	{ "BYTES=0-1", 1000, 1, 1, { { 0, 1 } } },
	{ "bytes=0-99999999999999999999999999", 1000, 1, 1, { { 0, 999 } } },
	{ "bytes=1000-", 1000, 1, 0, { { 0 } } },
	{ "bytes=1000-2000, 5000-", 1000, 1, 0, { { 0 } } },
	{ "bytes=-0", 1000, 1, 0, { { 0 } } },
	{ "bytes=0-", 0, 1, 0, { { 0 } } },
	{ "bytes=-5", 0, 1, 0, { { 0 } } },
	{ "bytes=2000-, 5-6", 1000, 1, 1, { { 5, 6 } } },
	{ "bytes=5-4", 1000, -1, 0, { { 0 } } },
	{ "items=0-1", 1000, -1, 0, { { 0 } } },
	{ "bytes=", 1000, -1, 0, { { 0 } } },
	{ "bytes=,", 1000, -1, 0, { { 0 } } },
	{ "bytes", 1000, -1, 0, { { 0 } } },
	{ "bytes=abc", 1000, -1, 0, { { 0 } } },
	{ "bytes=1", 1000, -1, 0, { { 0 } } },
	{ "bytes=-", 1000, -1, 0, { { 0 } } },
	{ "bytes=1-2-3", 1000, -1, 0, { { 0 } } },
	{ "bytes=1-2;x", 1000, -1, 0, { { 0 } } },
	{ "bytes=0-1 2-3", 1000, -1, 0, { { 0 } } },
};

START_TEST(test_range_forms)
{
	struct fp_http_ranges rs;
	unsigned int i, k;
	int ret;

	for (i = 0; i < DIM(range_cases); i++) {
		const char *v = range_cases[i].v;

		ret = fp_http_range_parse(fp_test_guarded(v, strlen(v)), strlen(v),
			range_cases[i].size, &rs);
		ck_assert_msg(ret == (range_cases[i].ok > 0 ? (int)strlen(v) : -1),
			"'%s': returned %d", v, ret);
		if (ret < 0)
			continue;
		ck_assert_msg(rs.nb == range_cases[i].nb, "'%s': %u ranges", v, rs.nb);
		for (k = 0; k < rs.nb; k++) {
			ck_assert_uint_eq(rs.r[k].first, range_cases[i].r[k][0]);
			ck_assert_uint_eq(rs.r[k].last, range_cases[i].r[k][1]);
		}
	}
}
END_TEST

/* Many specs cannot make more work or more bytes: 16 are read, 17 ignore
 * the field, and whatever they are they merge into disjoint ranges.
 */
START_TEST(test_range_amplification)
{
	char v[512];
	struct fp_http_ranges rs;
	uint64_t total, rng = 42;
	unsigned int i, n;

	n = snprintf(v, sizeof(v), "bytes=0-999");
	for (i = 1; i < FP_HTTP_RANGES_MAX; i++)
		n += snprintf(v + n, sizeof(v) - n, ",0-999");
	ck_assert_int_eq(fp_http_range_parse(v, n, 1000, &rs), (int)n);
	ck_assert_uint_eq(rs.nb, 1);
	ck_assert_uint_eq(rs.r[0].last - rs.r[0].first + 1, 1000);
	n += snprintf(v + n, sizeof(v) - n, ",0-999");
	ck_assert_int_eq(fp_http_range_parse(v, n, 1000, &rs), -1);
	/* Random specs: sorted, disjoint, inside the size. */
	for (i = 0; i < 2000; i++) {
		unsigned int k, specs = 1 + fp_test_rng(&rng) % FP_HTTP_RANGES_MAX;

		n = snprintf(v, sizeof(v), "bytes=");
		for (k = 0; k < specs; k++) {
			unsigned int a = fp_test_rng(&rng) % 1200;
			unsigned int b = a + fp_test_rng(&rng) % 300;

			n += snprintf(v + n, sizeof(v) - n, k % 5 == 4 ? "%s-%u" : "%s%u-%u",
				k ? "," : "", k % 5 == 4 ? b % 100 : a, b);
		}
		ck_assert_int_eq(fp_http_range_parse(v, n, 1000, &rs), (int)n);
		total = 0;
		for (k = 0; k < rs.nb; k++) {
			ck_assert(rs.r[k].first <= rs.r[k].last && rs.r[k].last < 1000);
			if (k > 0)
				ck_assert(rs.r[k].first > rs.r[k - 1].last + 1);
			total += rs.r[k].last - rs.r[k].first + 1;
		}
		ck_assert(total <= 1000);
	}
}
END_TEST

START_TEST(test_etag_match)
{
	static const struct {
		const char *v;
		int strong, weak;
	} c[] = {
		{ "\"e1\"", 1, 1 },
		{ "W/\"e1\"", 0, 1 },
		{ "\"zz\", \"e1\"", 1, 1 },
		{ "\"zz\",W/\"e1\"", 0, 1 },
		{ "\"zz\"", 0, 0 },
		{ "\"E1\"", 0, 0 },
		{ "*", 1, 1 },
		{ " * ", 1, 1 },
		{ "", 0, 0 },
		{ " , ,", 0, 0 },
		{ "\"\"", 0, 0 },
		{ "\"e1", -1, -1 },
		{ "e1", -1, -1 },
		{ "\"a\"b\"", -1, -1 },
		{ "\"a\" \"e1\"", -1, -1 },
		{ "*, \"e1\"", -1, -1 },
		{ "w/\"e1\"", -1, -1 },
		{ "\"e 1\"", -1, -1 },
	};
	unsigned int i;

	for (i = 0; i < DIM(c); i++) {
		const char *g = fp_test_guarded(c[i].v, strlen(c[i].v));

		ck_assert_msg(fp_http_etag_match(g, strlen(c[i].v), "\"e1\"", 4, true) ==
			c[i].strong, "'%s' strong", c[i].v);
		ck_assert_msg(fp_http_etag_match(g, strlen(c[i].v), "\"e1\"", 4, false) ==
			c[i].weak, "'%s' weak", c[i].v);
	}
}
END_TEST

static int64_t
date_of(const char *v)
{
	int64_t s = -1;

	if (fp_http_date_parse(fp_test_guarded(v, strlen(v)), strlen(v), NOW, &s) !=
			(int)strlen(v))
		return -1;
	return s;
}

START_TEST(test_date_forms)
{
	static const char *const bad[] = {
		"Sun, 06 Nov 1994 08:49:37 UTC", "Sun, 06 Nov 1994 08:49:37 GMT ",
		"Sun, 6 Nov 1994 08:49:37 GMT", "Sun, 31 Feb 2020 00:00:00 GMT",
		"Mon, 29 Feb 2021 00:00:00 GMT", "Sun, 06 Nov 1994 24:00:00 GMT",
		"Sun, 06 Nov 1994 08:60:00 GMT", "Sun, 06 nov 1994 08:49:37 GMT",
		"Xyz, 06 Nov 1994 08:49:37 GMT", "Sunday, 06-Nov-1994 08:49:37 GMT",
		"Sunday, 6-Nov-94 08:49:37 GMT", "Sun Nov 6 08:49:37 1994",
		"Sun Nov  6 08:49:37 94", "", ",", "1994-11-06T08:49:37Z", "784111777",
		"Sun, 00 Nov 1994 08:49:37 GMT", "Sun, 06 Nov 1994 08:49:3x GMT",
	};
	unsigned int i;

	ck_assert_int_eq(date_of("Sun, 06 Nov 1994 08:49:37 GMT"), 784111777);
	ck_assert_int_eq(date_of("Sunday, 06-Nov-94 08:49:37 GMT"), 784111777);
	ck_assert_int_eq(date_of("Sun Nov  6 08:49:37 1994"), 784111777);
	ck_assert_int_eq(date_of("Sun Nov 06 08:49:37 1994"), 784111777);
	ck_assert_int_eq(date_of("Sat, 29 Feb 2020 00:00:00 GMT"), 1582934400);
	ck_assert_int_eq(date_of("Thu, 01 Jan 1970 00:00:00 GMT"), 0);
	ck_assert_int_eq(date_of("Wed, 31 Dec 1969 23:59:58 GMT"), -2);
	/* Leap second 60 is allowed; it is the next minute's first. */
	ck_assert_int_eq(date_of("Wed, 31 Dec 2016 23:59:60 GMT"), 1483228800);
	/* rfc850's two digits: more than 50 years ahead of 2026 is the past. */
	ck_assert_int_eq(date_of("Thursday, 01-Jan-70 00:00:00 GMT"), 3155760000);
	ck_assert_int_eq(date_of("Wednesday, 01-Jan-77 00:00:00 GMT"), 220924800);
	for (i = 0; i < DIM(bad); i++)
		ck_assert_msg(date_of(bad[i]) == -1, "'%s' was taken", bad[i]);
}
END_TEST

/* What strftime writes in each form reads back as the same second. */
START_TEST(test_date_round_trip)
{
	static const char *const fmt[] = {
		"%a, %d %b %Y %H:%M:%S GMT", "%A, %d-%b-%y %H:%M:%S GMT", "%a %b %e %H:%M:%S %Y",
	};
	uint64_t rng = 7;
	unsigned int i, f;
	struct tm tm;
	char v[64];
	time_t t;

	for (i = 0; i < 20000; i++) {
		/* 1977 to 2075: where rfc850's two digits are unambiguous. */
		t = 220924800 + (time_t)(fp_test_rng(&rng) % 3124137600u);
		gmtime_r(&t, &tm);
		for (f = 0; f < DIM(fmt); f++) {
			strftime(v, sizeof(v), fmt[f], &tm);
			ck_assert_msg(date_of(v) == (int64_t)t, "'%s' read as %" PRId64
				", not %" PRId64, v, date_of(v), (int64_t)t);
		}
	}
}
END_TEST

/* Preconditions on the representation "e1" of 1000 bytes modified at
 * MTIME.
 */
#define MTIME INT64_C(784111777)

static uint16_t
eval_rep(uint8_t meth, const char *const *lines, struct fp_http_brange *r, int64_t mtime)
{
	const struct fp_http_rep rep = {
		.etag = "\"e1\"", .etag_len = 4, .mtime = mtime, .size = 1000,
	};
	struct fake_req f;
	struct fp_http_cond c;
	struct fp_http_precond v;

	fake_req(&f, lines);
	fp_http_cond_scan(&f.req, &c);
	memset(&v, 0xa5, sizeof(v));
	fp_http_cond_eval(&c, meth, &rep, NOW, &v);
	if (r != NULL)
		*r = v.range;
	return v.status;
}

static uint16_t
eval(uint8_t meth, const char *const *lines, struct fp_http_brange *r)
{
	return eval_rep(meth, lines, r, MTIME);
}

/* The same on a representation modified at mtime. */
static uint16_t
eval_at(uint8_t meth, const char *const *lines, int64_t mtime)
{
	return eval_rep(meth, lines, NULL, mtime);
}

#define L(...) ((const char *const[]){ __VA_ARGS__, NULL })
#define GET FP_HTTP_M_GET
#define HEAD FP_HTTP_M_HEAD
#define POST FP_HTTP_M_POST
#define AT "Sun, 06 Nov 1994 08:49:37 GMT"
#define BEFORE "Sun, 06 Nov 1994 08:49:36 GMT"
#define AFTER "Sun, 06 Nov 1994 08:49:38 GMT"

START_TEST(test_cond_none_match_and_modified)
{
	ck_assert_uint_eq(eval(GET, L("Host: a"), NULL), 200);
	ck_assert_uint_eq(eval(GET, L("If-None-Match: \"e1\""), NULL), 304);
	ck_assert_uint_eq(eval(HEAD, L("If-None-Match: \"e1\""), NULL), 304);
	ck_assert_uint_eq(eval(POST, L("If-None-Match: \"e1\""), NULL), 412);
	ck_assert_uint_eq(eval(GET, L("If-None-Match: W/\"e1\""), NULL), 304);
	ck_assert_uint_eq(eval(GET, L("If-None-Match: \"x\", \"e1\""), NULL), 304);
	ck_assert_uint_eq(eval(GET, L("If-None-Match: \"x\"", "If-None-Match: \"e1\""), NULL),
		304);
	ck_assert_uint_eq(eval(GET, L("If-None-Match: *"), NULL), 304);
	ck_assert_uint_eq(eval(GET, L("If-None-Match: \"x\""), NULL), 200);
	/* Malformed: ignored. */
	ck_assert_uint_eq(eval(GET, L("If-None-Match: e1"), NULL), 200);
	ck_assert_uint_eq(eval(GET, L("If-Modified-Since: " AT), NULL), 304);
	ck_assert_uint_eq(eval(GET, L("If-Modified-Since: " AFTER), NULL), 304);
	ck_assert_uint_eq(eval(HEAD, L("If-Modified-Since: " AFTER), NULL), 304);
	ck_assert_uint_eq(eval(GET, L("If-Modified-Since: " BEFORE), NULL), 200);
	ck_assert_uint_eq(eval(POST, L("If-Modified-Since: " AFTER), NULL), 200);
	ck_assert_uint_eq(eval(GET, L("If-Modified-Since: yesterday"), NULL), 200);
	/* "more than one member": ignored. */
	ck_assert_uint_eq(eval(GET, L("If-Modified-Since: " AT, "If-Modified-Since: " AT),
		NULL), 200);
	/* 13.2.2: If-None-Match takes precedence; If-Modified-Since is not
	 * looked at when it is there.
	 */
	ck_assert_uint_eq(eval(GET, L("If-None-Match: \"x\"", "If-Modified-Since: " AFTER),
		NULL), 200);
	ck_assert_uint_eq(eval(GET, L("If-Modified-Since: " BEFORE, "If-None-Match: \"e1\""),
		NULL), 304);
}
END_TEST

START_TEST(test_cond_match_and_unmodified)
{
	ck_assert_uint_eq(eval(GET, L("If-Match: \"e1\""), NULL), 200);
	ck_assert_uint_eq(eval(GET, L("If-Match: *"), NULL), 200);
	ck_assert_uint_eq(eval(GET, L("If-Match: \"x\""), NULL), 412);
	ck_assert_uint_eq(eval(HEAD, L("If-Match: \"x\""), NULL), 412);
	/* Strong comparison: a weak tag never matches. */
	ck_assert_uint_eq(eval(GET, L("If-Match: W/\"e1\""), NULL), 412);
	ck_assert_uint_eq(eval(GET, L("If-Match: \"x\"", "If-Match: \"e1\""), NULL), 200);
	ck_assert_uint_eq(eval(GET, L("If-Unmodified-Since: " AT), NULL), 200);
	ck_assert_uint_eq(eval(GET, L("If-Unmodified-Since: " AFTER), NULL), 200);
	ck_assert_uint_eq(eval(GET, L("If-Unmodified-Since: " BEFORE), NULL), 412);
	ck_assert_uint_eq(eval(GET, L("If-Unmodified-Since: soon"), NULL), 200);
	/* If-Match there: If-Unmodified-Since is not evaluated. */
	ck_assert_uint_eq(eval(GET, L("If-Match: \"e1\"", "If-Unmodified-Since: " BEFORE),
		NULL), 200);
	/* 412 comes before 304. */
	ck_assert_uint_eq(eval(GET, L("If-None-Match: \"e1\"", "If-Match: \"x\""), NULL), 412);
	ck_assert_uint_eq(eval(GET, L("If-Match: \"e1\"", "If-None-Match: \"e1\""), NULL), 304);
}
END_TEST

START_TEST(test_cond_range)
{
	struct fp_http_brange r;

	ck_assert_uint_eq(eval(GET, L("Range: bytes=10-19"), &r), 206);
	ck_assert_uint_eq(r.first, 10);
	ck_assert_uint_eq(r.last, 19);
	ck_assert_uint_eq(eval(GET, L("Range: bytes=-1"), &r), 206);
	ck_assert_uint_eq(r.first, 999);
	ck_assert_uint_eq(eval(GET, L("Range: bytes=1000-"), NULL), 416);
	/* Apart: the whole. Merged: one. */
	ck_assert_uint_eq(eval(GET, L("Range: bytes=0-1,5-6"), NULL), 200);
	ck_assert_uint_eq(eval(GET, L("Range: bytes=0-5,5-6"), &r), 206);
	ck_assert_uint_eq(r.last, 6);
	/* GET only; a malformed or unknown unit is ignored. */
	ck_assert_uint_eq(eval(HEAD, L("Range: bytes=10-19"), NULL), 200);
	ck_assert_uint_eq(eval(POST, L("Range: bytes=10-19"), NULL), 200);
	ck_assert_uint_eq(eval(GET, L("Range: lines=1-2"), NULL), 200);
	ck_assert_uint_eq(eval(GET, L("Range: bytes=9-1"), NULL), 200);
	ck_assert_uint_eq(eval(GET, L("Range: bytes=0-1", "Range: bytes=2-3"), NULL), 200);
	/* If-Range. */
	ck_assert_uint_eq(eval(GET, L("Range: bytes=0-9", "If-Range: \"e1\""), NULL), 206);
	ck_assert_uint_eq(eval(GET, L("Range: bytes=0-9", "If-Range: \"x\""), NULL), 200);
	ck_assert_uint_eq(eval(GET, L("Range: bytes=0-9", "If-Range: W/\"e1\""), NULL), 200);
	ck_assert_uint_eq(eval(GET, L("Range: bytes=0-9", "If-Range: " AT), NULL), 206);
	/* A Wednesday is a date, not a weak tag. */
	ck_assert_uint_eq(eval_at(GET, L("Range: bytes=0-9",
		"If-Range: Wed, 21 Oct 2015 07:28:00 GMT"), INT64_C(1445412480)), 206);
	ck_assert_uint_eq(eval(GET, L("Range: bytes=0-9", "If-Range: " AFTER), NULL), 200);
	ck_assert_uint_eq(eval(GET, L("Range: bytes=0-9", "If-Range: junk"), NULL), 200);
	ck_assert_uint_eq(eval(GET, L("Range: bytes=5000-", "If-Range: \"x\""), NULL), 200);
	ck_assert_uint_eq(eval(GET, L("If-Range: \"e1\""), NULL), 200);
	/* Preconditions first. */
	ck_assert_uint_eq(eval(GET, L("Range: bytes=0-9", "If-None-Match: \"e1\""), NULL), 304);
	ck_assert_uint_eq(eval(GET, L("Range: bytes=0-9", "If-Match: \"x\""), NULL), 412);
}
END_TEST

Suite *
http_cond_suite(void)
{
	Suite *s = suite_create("http_cond");
	TCase *tc = tcase_create("negotiation");

	tcase_add_checked_fixture(tc, fp_test_guard_setup, fp_test_guard_teardown);
	tcase_add_test(tc, test_ae_matrix);
	tcase_add_test(tc, test_ae_malformed);
	tcase_add_test(tc, test_scan_ae_bad_line_ignores_field);
	suite_add_tcase(s, tc);
	tc = tcase_create("values");
	tcase_add_checked_fixture(tc, fp_test_guard_setup, fp_test_guard_teardown);
	tcase_add_test(tc, test_range_forms);
	tcase_add_test(tc, test_range_amplification);
	tcase_add_test(tc, test_etag_match);
	tcase_add_test(tc, test_date_forms);
	tcase_add_test(tc, test_date_round_trip);
	suite_add_tcase(s, tc);
	tc = tcase_create("preconditions");
	tcase_add_test(tc, test_cond_none_match_and_modified);
	tcase_add_test(tc, test_cond_match_and_unmodified);
	tcase_add_test(tc, test_cond_range);
	suite_add_tcase(s, tc);
	return s;
}
