/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The fastpath authors
 */

#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <check.h>

#include "fp_http_router.h"

/* Also in fp_test.h; declared here too since this test is plain C (no DPDK). */
Suite *
http_router_suite(void);

#define DIM(a) (sizeof(a) / sizeof((a)[0]))

#define GET FP_HTTP_MB(FP_HTTP_M_GET)
#define HEAD FP_HTTP_MB(FP_HTTP_M_HEAD)
#define POST FP_HTTP_MB(FP_HTTP_M_POST)
#define PUT FP_HTTP_MB(FP_HTTP_M_PUT)
#define DELETE FP_HTTP_MB(FP_HTTP_M_DELETE)
#define PATCH FP_HTTP_MB(FP_HTTP_M_PATCH)

/* Handlers and args are distinct addresses the router only hands back. */
#define NB_H 32
static char handlers[NB_H];
static char args[NB_H];
#define H(i) ((void *)&handlers[i])
#define A(i) ((void *)&args[i])

static struct fp_http_router *rt;
static struct fp_http_match mt;
/* The last path matched, copied to a buffer of exactly its length so that
 * ASan catches a read past it.
 */
static char *path_buf;
static uint32_t path_len;

static void
router_setup(void)
{
	rt = fp_http_router_create();
	ck_assert_ptr_nonnull(rt);
}

static void
router_teardown(void)
{
	fp_http_router_free(rt);
	rt = NULL;
	free(path_buf);
	path_buf = NULL;
}

static void
add_ok(uint32_t methods, const char *pattern, int h)
{
	int ret = fp_http_router_add(rt, methods, pattern, H(h), A(h));

	ck_assert_msg(ret == 0, "adding \"%s\": %d", pattern, ret);
}

static int
match_n(int meth, const char *path, uint32_t len)
{
	free(path_buf);
	path_buf = malloc(len > 0 ? len : 1);
	ck_assert_ptr_nonnull(path_buf);
	memcpy(path_buf, path, len);
	path_len = len;
	memset(&mt, 0xa5, sizeof(mt));
	return fp_http_route_match(rt, meth, path_buf, len, &mt);
}

static int
match(int meth, const char *path)
{
	return match_n(meth, path, (uint32_t)strlen(path));
}

static const char *
route_pattern(unsigned int i)
{
	const char *p = NULL;

	ck_assert_int_eq(fp_http_router_get(rt, i, &p, NULL), 0);
	return p;
}

/* meth path goes to pattern's handler h, HEAD through GET or not. */
static void
expect_via(int meth, const char *path, const char *pattern, int h, bool via_get)
{
	int ret = match(meth, path);

	ck_assert_msg(ret == 0, "%s %s: %d", fp_http_meth_names[meth], path, ret);
	ck_assert_str_eq(route_pattern(mt.route), pattern);
	ck_assert_ptr_eq(mt.handler, H(h));
	ck_assert_ptr_eq(mt.arg, A(h));
	ck_assert(mt.head_via_get == via_get);
	ck_assert_uint_ne(mt.allow & FP_HTTP_MB(meth), 0);
}

static void
expect(int meth, const char *path, const char *pattern, int h)
{
	expect_via(meth, path, pattern, h, false);
}

static void
expect_none(int meth, const char *path)
{
	ck_assert_msg(match(meth, path) == -ENOENT, "%s %s matched", fp_http_meth_names[meth],
		path);
	ck_assert_uint_eq(mt.allow, 0);
	ck_assert_ptr_null(mt.handler);
	ck_assert_uint_eq(mt.nb_params, 0);
}

static void
expect_405(int meth, const char *path, uint32_t allow)
{
	ck_assert_msg(match(meth, path) == -EPERM, "%s %s: not 405", fp_http_meth_names[meth],
		path);
	ck_assert_uint_eq(mt.allow, allow);
	ck_assert_ptr_null(mt.handler);
}

/* s holds exactly exp and lies within the last path. */
static void
assert_in_path(struct fp_http_slice s, const char *exp)
{
	size_t n = strlen(exp);

	ck_assert_ptr_nonnull(s.p);
	ck_assert_msg(s.p >= path_buf && s.p + s.len <= path_buf + path_len,
		"slice outside the path");
	ck_assert_msg(s.len == n && memcmp(s.p, exp, n) == 0, "got \"%.*s\", expected \"%s\"",
		(int)s.len, s.p, exp);
}

static void
assert_slice(struct fp_http_slice s, const char *exp)
{
	size_t n = strlen(exp);

	ck_assert_msg(s.len == n && memcmp(s.p, exp, n) == 0, "got \"%.*s\", expected \"%s\"",
		(int)s.len, s.p, exp);
}

static void
assert_param(unsigned int i, const char *name, const char *value)
{
	ck_assert_uint_lt(i, mt.nb_params);
	assert_slice(mt.params[i].name, name);
	assert_in_path(mt.params[i].value, value);
}

static void
assert_no_rest(void)
{
	ck_assert_ptr_null(mt.rest.p);
	ck_assert_uint_eq(mt.rest.len, 0);
}

START_TEST(test_meth_of)
{
	static const char *const other[] = {
		"get", "Get", "GETS", "GE", "", "head", "OPTION", "CONNECTX", "PROPFIND", "BREW",
	};
	unsigned int i;

	for (i = 0; i < FP_HTTP_M_MAX; i++) {
		ck_assert_ptr_nonnull(fp_http_meth_names[i]);
		ck_assert_int_eq(fp_http_meth_of(fp_http_meth_names[i],
			(uint32_t)strlen(fp_http_meth_names[i])), (int)i);
	}
	ck_assert_str_eq(fp_http_meth_names[FP_HTTP_M_DELETE], "DELETE");
	for (i = 0; i < DIM(other); i++)
		ck_assert_int_eq(fp_http_meth_of(other[i], (uint32_t)strlen(other[i])), -1);
	/* The length decides, not a NUL. */
	ck_assert_int_eq(fp_http_meth_of("GETTING", 3), FP_HTTP_M_GET);
	ck_assert_int_eq(fp_http_meth_of(NULL, 0), -1);
	ck_assert_uint_eq(FP_HTTP_MB_ANY, 0x1ff);
}
END_TEST

START_TEST(test_exact)
{
	add_ok(GET, "/health", 1);
	add_ok(GET, "/", 2);
	add_ok(GET | POST, "/a/b/c.html", 3);
	expect(FP_HTTP_M_GET, "/health", "/health", 1);
	ck_assert_uint_eq(mt.nb_params, 0);
	assert_no_rest();
	ck_assert_uint_eq(mt.allow, GET | HEAD);
	expect(FP_HTTP_M_GET, "/", "/", 2);
	expect(FP_HTTP_M_POST, "/a/b/c.html", "/a/b/c.html", 3);
	ck_assert_uint_eq(mt.allow, GET | HEAD | POST);
	expect_none(FP_HTTP_M_GET, "/health/");
	expect_none(FP_HTTP_M_GET, "/healt");
	expect_none(FP_HTTP_M_GET, "/healthz");
	expect_none(FP_HTTP_M_GET, "/HEALTH");
	expect_none(FP_HTTP_M_GET, "/a/b/c.htm");
	expect_none(FP_HTTP_M_GET, "/a/b");
	/* Only len bytes count. */
	ck_assert_int_eq(match_n(FP_HTTP_M_GET, "/healthXYZ", 7), 0);
	ck_assert_ptr_eq(mt.handler, H(1));
	ck_assert_int_eq(match_n(FP_HTTP_M_GET, "/health\0", 8), -ENOENT);
}
END_TEST

START_TEST(test_prefix)
{
	add_ok(GET, "/static/*", 1);
	expect(FP_HTTP_M_GET, "/static/css/a.css", "/static/*", 1);
	assert_in_path(mt.rest, "css/a.css");
	ck_assert_uint_eq(mt.nb_params, 0);
	expect(FP_HTTP_M_GET, "/static/", "/static/*", 1);
	assert_in_path(mt.rest, "");
	expect(FP_HTTP_M_GET, "/static//x/", "/static/*", 1);
	assert_in_path(mt.rest, "/x/");
	expect_none(FP_HTTP_M_GET, "/static");
	expect_none(FP_HTTP_M_GET, "/staticx/a");
	expect_none(FP_HTTP_M_GET, "/Static/a");
	expect_none(FP_HTTP_M_GET, "/");

	add_ok(GET, "/*", 2);
	expect(FP_HTTP_M_GET, "/", "/*", 2);
	assert_in_path(mt.rest, "");
	expect(FP_HTTP_M_GET, "/anything/at/all", "/*", 2);
	assert_in_path(mt.rest, "anything/at/all");
	expect(FP_HTTP_M_GET, "/static", "/*", 2);
	assert_in_path(mt.rest, "static");
	expect(FP_HTTP_M_GET, "/static/x", "/static/*", 1);
	assert_in_path(mt.rest, "x");
}
END_TEST

START_TEST(test_prefix_longest)
{
	/* Added out of order: length decides, not the order. */
	add_ok(GET, "/a/b/*", 3);
	add_ok(GET, "/*", 1);
	add_ok(GET, "/a/b/c/d/*", 4);
	add_ok(GET, "/a/*", 2);
	add_ok(GET, "/ab/*", 5);
	expect(FP_HTTP_M_GET, "/a/b/c", "/a/b/*", 3);
	assert_in_path(mt.rest, "c");
	expect(FP_HTTP_M_GET, "/a/b/c/d/e", "/a/b/c/d/*", 4);
	assert_in_path(mt.rest, "e");
	expect(FP_HTTP_M_GET, "/a/b/c/d", "/a/b/*", 3);
	assert_in_path(mt.rest, "c/d");
	expect(FP_HTTP_M_GET, "/a/b", "/a/*", 2);
	assert_in_path(mt.rest, "b");
	expect(FP_HTTP_M_GET, "/a/x/b/", "/a/*", 2);
	assert_in_path(mt.rest, "x/b/");
	expect(FP_HTTP_M_GET, "/ab/c", "/ab/*", 5);
	expect(FP_HTTP_M_GET, "/abc/d", "/*", 1);
	expect(FP_HTTP_M_GET, "/b", "/*", 1);
	assert_in_path(mt.rest, "b");
}
END_TEST

START_TEST(test_params)
{
	add_ok(GET, "/hello/{name}", 1);
	add_ok(GET | DELETE, "/users/{id}/posts/{post}", 2);
	add_ok(GET, "/{A_z9}", 3);

	expect(FP_HTTP_M_GET, "/hello/world", "/hello/{name}", 1);
	ck_assert_uint_eq(mt.nb_params, 1);
	assert_param(0, "name", "world");
	assert_no_rest();

	expect(FP_HTTP_M_DELETE, "/users/42/posts/7", "/users/{id}/posts/{post}", 2);
	ck_assert_uint_eq(mt.nb_params, 2);
	assert_param(0, "id", "42");
	assert_param(1, "post", "7");

	expect(FP_HTTP_M_GET, "/x.y", "/{A_z9}", 3);
	assert_param(0, "A_z9", "x.y");

	/* One whole, non-empty segment. */
	expect_none(FP_HTTP_M_GET, "/hello/");
	expect(FP_HTTP_M_GET, "/hello", "/{A_z9}", 3);
	expect_none(FP_HTTP_M_GET, "/hello/a/b");
	expect_none(FP_HTTP_M_GET, "/hello/a/");
	expect_none(FP_HTTP_M_GET, "/users/42/posts/");
	expect_none(FP_HTTP_M_GET, "/users//posts/7");
	expect_none(FP_HTTP_M_GET, "/users/42/post/7");
	expect_none(FP_HTTP_M_GET, "/users/42/posts/7/");
}
END_TEST

START_TEST(test_param_names_owned)
{
	char pattern[] = "/p/{first}/{second}";

	add_ok(GET, pattern, 1);
	/* The router keeps its own copy. */
	memset(pattern, 'x', sizeof(pattern) - 1);
	expect(FP_HTTP_M_GET, "/p/1/2", "/p/{first}/{second}", 1);
	assert_param(0, "first", "1");
	assert_param(1, "second", "2");
	ck_assert(mt.params[0].name.p < pattern ||
		mt.params[0].name.p >= pattern + sizeof(pattern));
}
END_TEST

START_TEST(test_max_params)
{
	static const char *const names[] = { "a", "b", "c", "d", "e", "f", "g", "h" };
	unsigned int i;

	add_ok(GET, "/{a}/{b}/{c}/{d}/{e}/{f}/{g}/{h}", 1);
	add_ok(GET, "/x/{a}/{b}/{c}/{d}/{e}/{f}/{g}/{h}/*", 2);
	ck_assert_int_eq(fp_http_router_add(rt, GET, "/{a}/{b}/{c}/{d}/{e}/{f}/{g}/{h}/{i}", H(3),
		NULL), -EINVAL);
	expect(FP_HTTP_M_GET, "/1/2/3/4/5/6/7/8", "/{a}/{b}/{c}/{d}/{e}/{f}/{g}/{h}", 1);
	ck_assert_uint_eq(mt.nb_params, FP_HTTP_MAX_PARAMS);
	for (i = 0; i < FP_HTTP_MAX_PARAMS; i++) {
		char v[2] = { (char)('1' + i), 0 };

		assert_param(i, names[i], v);
	}
	expect(FP_HTTP_M_GET, "/x/1/2/3/4/5/6/7/8/r/s", "/x/{a}/{b}/{c}/{d}/{e}/{f}/{g}/{h}/*", 2);
	ck_assert_uint_eq(mt.nb_params, FP_HTTP_MAX_PARAMS);
	assert_param(7, "h", "8");
	assert_in_path(mt.rest, "r/s");
}
END_TEST

START_TEST(test_params_star)
{
	add_ok(GET, "/files/{user}/*", 1);
	add_ok(GET, "/{a}/x/{b}/*", 2);
	expect(FP_HTTP_M_GET, "/files/bob/a/b.txt", "/files/{user}/*", 1);
	ck_assert_uint_eq(mt.nb_params, 1);
	assert_param(0, "user", "bob");
	assert_in_path(mt.rest, "a/b.txt");
	expect(FP_HTTP_M_GET, "/files/bob/", "/files/{user}/*", 1);
	assert_in_path(mt.rest, "");
	expect(FP_HTTP_M_GET, "/files/bob//", "/files/{user}/*", 1);
	assert_in_path(mt.rest, "/");
	expect_none(FP_HTTP_M_GET, "/files/bob");
	expect_none(FP_HTTP_M_GET, "/files//x");
	expect_none(FP_HTTP_M_GET, "/files/");

	expect(FP_HTTP_M_GET, "/q/x/r/s/t", "/{a}/x/{b}/*", 2);
	assert_param(0, "a", "q");
	assert_param(1, "b", "r");
	assert_in_path(mt.rest, "s/t");
	expect_none(FP_HTTP_M_GET, "/q/x/r");
	expect_none(FP_HTTP_M_GET, "/q/y/r/s");
}
END_TEST

START_TEST(test_precedence_kinds)
{
	add_ok(GET, "/users/*", 3);
	add_ok(GET, "/users/{id}", 2);
	add_ok(GET, "/users/me", 1);
	add_ok(GET, "/*", 4);
	expect(FP_HTTP_M_GET, "/users/me", "/users/me", 1);
	expect(FP_HTTP_M_GET, "/users/42", "/users/{id}", 2);
	assert_param(0, "id", "42");
	expect(FP_HTTP_M_GET, "/users/42/x", "/users/*", 3);
	ck_assert_uint_eq(mt.nb_params, 0);
	assert_in_path(mt.rest, "42/x");
	/* The parameter can't be empty. */
	expect(FP_HTTP_M_GET, "/users/", "/users/*", 3);
	assert_in_path(mt.rest, "");
	expect(FP_HTTP_M_GET, "/users", "/*", 4);

	/* A parameter pattern beats a longer prefix, even with a final star. */
	add_ok(GET, "/static/a/*", 5);
	add_ok(GET, "/{dir}/*", 6);
	expect(FP_HTTP_M_GET, "/static/a/b", "/{dir}/*", 6);
	assert_param(0, "dir", "static");
	assert_in_path(mt.rest, "a/b");
	expect(FP_HTTP_M_GET, "/users/me", "/users/me", 1);
	expect(FP_HTTP_M_GET, "/users/42", "/users/{id}", 2);
	expect(FP_HTTP_M_GET, "/users/42/x", "/{dir}/*", 6);
}
END_TEST

START_TEST(test_precedence_params)
{
	/* Added lowest precedence first. */
	add_ok(GET, "/{x}/me/edit", 5);
	add_ok(GET, "/u/{a}/*", 4);
	add_ok(GET, "/u/{a}/{b}", 3);
	add_ok(GET, "/u/{a}/edit", 2);
	add_ok(GET, "/u/me/{b}", 1);
	expect(FP_HTTP_M_GET, "/u/me/edit", "/u/me/{b}", 1);
	assert_param(0, "b", "edit");
	expect(FP_HTTP_M_GET, "/u/you/edit", "/u/{a}/edit", 2);
	assert_param(0, "a", "you");
	expect(FP_HTTP_M_GET, "/u/you/view", "/u/{a}/{b}", 3);
	assert_param(0, "a", "you");
	assert_param(1, "b", "view");
	expect(FP_HTTP_M_GET, "/u/you/view/x", "/u/{a}/*", 4);
	assert_in_path(mt.rest, "view/x");
	expect(FP_HTTP_M_GET, "/u/you/", "/u/{a}/*", 4);
	expect(FP_HTTP_M_GET, "/v/me/edit", "/{x}/me/edit", 5);
	expect_none(FP_HTTP_M_GET, "/v/me/view");
}
END_TEST

START_TEST(test_precedence_order_free)
{
	/* The same routes added highest precedence first give the same answers. */
	add_ok(GET, "/u/me/{b}", 1);
	add_ok(GET, "/u/{a}/edit", 2);
	add_ok(GET, "/u/{a}/{b}", 3);
	add_ok(GET, "/u/{a}/*", 4);
	add_ok(GET, "/{x}/me/edit", 5);
	expect(FP_HTTP_M_GET, "/u/me/edit", "/u/me/{b}", 1);
	expect(FP_HTTP_M_GET, "/u/you/edit", "/u/{a}/edit", 2);
	expect(FP_HTTP_M_GET, "/u/you/view", "/u/{a}/{b}", 3);
	expect(FP_HTTP_M_GET, "/u/you/view/x", "/u/{a}/*", 4);
	expect(FP_HTTP_M_GET, "/v/me/edit", "/{x}/me/edit", 5);
}
END_TEST

START_TEST(test_405)
{
	add_ok(GET, "/r", 1);
	add_ok(POST, "/r", 2);
	add_ok(DELETE, "/r/*", 3);
	expect_405(FP_HTTP_M_PUT, "/r", GET | HEAD | POST);
	expect_405(FP_HTTP_M_PUT, "/r/x", DELETE);
	expect(FP_HTTP_M_POST, "/r", "/r", 2);
	expect(FP_HTTP_M_DELETE, "/r/x", "/r/*", 3);
	expect_none(FP_HTTP_M_PUT, "/s");
	expect_405(FP_HTTP_M_GET, "/r/", DELETE);
	expect(FP_HTTP_M_DELETE, "/r/", "/r/*", 3);
	assert_in_path(mt.rest, "");
}
END_TEST

START_TEST(test_405_union)
{
	add_ok(GET, "/a", 1);
	add_ok(POST, "/{x}", 2);
	add_ok(POST, "/{x}/{y}", 3);
	add_ok(PUT, "/*", 4);
	add_ok(DELETE, "/b/*", 5);

	/* A pattern without the method hides nothing. */
	expect(FP_HTTP_M_GET, "/a", "/a", 1);
	expect(FP_HTTP_M_POST, "/a", "/{x}", 2);
	assert_param(0, "x", "a");
	expect(FP_HTTP_M_PUT, "/a", "/*", 4);
	assert_in_path(mt.rest, "a");
	expect_405(FP_HTTP_M_PATCH, "/a", GET | HEAD | POST | PUT);
	expect_405(FP_HTTP_M_PATCH, "/b", POST | PUT);
	expect_405(FP_HTTP_M_PATCH, "/b/c", POST | PUT | DELETE);
	expect_405(FP_HTTP_M_GET, "/b/c/d", PUT | DELETE);
	expect_405(FP_HTTP_M_GET, "/", PUT);
	expect(FP_HTTP_M_DELETE, "/b/c", "/b/*", 5);
}
END_TEST

START_TEST(test_404_no_catch_all)
{
	add_ok(GET, "/a", 1);
	add_ok(GET, "/p/{x}", 2);
	add_ok(GET, "/s/*", 3);
	expect_none(FP_HTTP_M_GET, "/");
	expect_none(FP_HTTP_M_POST, "/b");
	expect_none(FP_HTTP_M_GET, "/p/x/y");
	expect_none(FP_HTTP_M_GET, "/s");
	expect_405(FP_HTTP_M_POST, "/p/x", GET | HEAD);
	expect_405(FP_HTTP_M_POST, "/s/x", GET | HEAD);
}
END_TEST

START_TEST(test_empty_router)
{
	expect_none(FP_HTTP_M_GET, "/");
	expect_none(FP_HTTP_M_GET, "/x");
	ck_assert_uint_eq(fp_http_router_count(rt), 0);
	ck_assert_int_eq(fp_http_router_get(rt, 0, NULL, NULL), -ENOENT);
}
END_TEST

START_TEST(test_head)
{
	add_ok(GET, "/g", 1);
	add_ok(GET, "/h", 2);
	add_ok(HEAD, "/h", 3);
	add_ok(HEAD, "/o", 4);
	add_ok(GET, "/o", 5);
	add_ok(POST, "/p", 6);
	add_ok(GET, "/v/{id}", 7);
	add_ok(GET, "/s/*", 8);

	expect_via(FP_HTTP_M_HEAD, "/g", "/g", 1, true);
	ck_assert_uint_eq(mt.allow, GET | HEAD);
	expect(FP_HTTP_M_HEAD, "/h", "/h", 3);
	expect(FP_HTTP_M_GET, "/h", "/h", 2);
	/* HEAD registered before GET. */
	expect(FP_HTTP_M_HEAD, "/o", "/o", 4);
	expect(FP_HTTP_M_GET, "/o", "/o", 5);
	expect_405(FP_HTTP_M_HEAD, "/p", POST);
	expect_via(FP_HTTP_M_HEAD, "/v/1", "/v/{id}", 7, true);
	assert_param(0, "id", "1");
	expect_via(FP_HTTP_M_HEAD, "/s/a", "/s/*", 8, true);
	assert_in_path(mt.rest, "a");

	/* A HEAD-only pattern does not answer GET. */
	add_ok(HEAD, "/only", 9);
	expect_405(FP_HTTP_M_GET, "/only", HEAD);
	expect(FP_HTTP_M_HEAD, "/only", "/only", 9);
	ck_assert_uint_eq(mt.allow, HEAD);
}
END_TEST

START_TEST(test_head_precedence)
{
	/* HEAD through GET follows the precedence like any method. */
	add_ok(HEAD, "/*", 1);
	add_ok(GET, "/a", 2);
	add_ok(HEAD, "/{x}/b", 3);
	add_ok(GET, "/a/{y}", 4);
	expect_via(FP_HTTP_M_HEAD, "/a", "/a", 2, true);
	expect_via(FP_HTTP_M_HEAD, "/a/b", "/a/{y}", 4, true);
	expect(FP_HTTP_M_HEAD, "/c/b", "/{x}/b", 3);
	expect(FP_HTTP_M_HEAD, "/c", "/*", 1);
	expect_405(FP_HTTP_M_GET, "/c", HEAD);
}
END_TEST

START_TEST(test_merge)
{
	const char *p;
	uint32_t mask;

	add_ok(GET, "/m", 1);
	add_ok(POST | PUT, "/m", 2);
	add_ok(GET, "/m/{id}", 3);
	add_ok(DELETE, "/m/{id}", 4);
	add_ok(GET, "/m/s/*", 5);
	add_ok(PATCH, "/m/s/*", 6);
	ck_assert_uint_eq(fp_http_router_count(rt), 3);

	expect(FP_HTTP_M_GET, "/m", "/m", 1);
	expect(FP_HTTP_M_POST, "/m", "/m", 2);
	expect(FP_HTTP_M_PUT, "/m", "/m", 2);
	ck_assert_uint_eq(mt.allow, GET | HEAD | POST | PUT);
	expect(FP_HTTP_M_DELETE, "/m/7", "/m/{id}", 4);
	assert_param(0, "id", "7");
	expect(FP_HTTP_M_GET, "/m/7", "/m/{id}", 3);
	expect(FP_HTTP_M_PATCH, "/m/s/x", "/m/s/*", 6);
	expect(FP_HTTP_M_GET, "/m/s/x", "/m/s/*", 5);

	/* Overlapping methods fail and change nothing. */
	ck_assert_int_eq(fp_http_router_add(rt, GET, "/m", H(7), NULL), -EEXIST);
	ck_assert_int_eq(fp_http_router_add(rt, PATCH | PUT, "/m", H(7), NULL), -EEXIST);
	ck_assert_int_eq(fp_http_router_add(rt, DELETE | PUT, "/m/{id}", H(7), NULL), -EEXIST);
	ck_assert_int_eq(fp_http_router_add(rt, FP_HTTP_MB_ANY, "/m/s/*", H(7), NULL), -EEXIST);
	expect_405(FP_HTTP_M_PATCH, "/m", GET | HEAD | POST | PUT);
	expect_405(FP_HTTP_M_PUT, "/m/7", GET | HEAD | DELETE);
	expect_405(FP_HTTP_M_PUT, "/m/s/x", GET | HEAD | PATCH);
	expect(FP_HTTP_M_GET, "/m", "/m", 1);
	ck_assert_uint_eq(fp_http_router_count(rt), 3);

	ck_assert_int_eq(fp_http_router_get(rt, 0, &p, &mask), 0);
	ck_assert_str_eq(p, "/m");
	ck_assert_uint_eq(mask, GET | POST | PUT);
	ck_assert_int_eq(fp_http_router_get(rt, 1, &p, &mask), 0);
	ck_assert_str_eq(p, "/m/{id}");
	ck_assert_uint_eq(mask, GET | DELETE);
	ck_assert_int_eq(fp_http_router_get(rt, 2, &p, &mask), 0);
	ck_assert_str_eq(p, "/m/s/*");
	ck_assert_uint_eq(mask, GET | PATCH);
	ck_assert_int_eq(fp_http_router_get(rt, 3, &p, &mask), -ENOENT);
	ck_assert_int_eq(fp_http_router_get(NULL, 0, &p, &mask), -EINVAL);

	/* An explicit HEAD merges into a GET pattern. */
	add_ok(HEAD, "/m", 8);
	expect(FP_HTTP_M_HEAD, "/m", "/m", 8);
}
END_TEST

START_TEST(test_same_shape)
{
	add_ok(GET, "/u/{id}", 1);
	/* Differs only in the name: a clash for any shared method... */
	ck_assert_int_eq(fp_http_router_add(rt, GET | POST, "/u/{name}", H(2), NULL), -EEXIST);
	/* ... HEAD included, which GET brings along. */
	ck_assert_int_eq(fp_http_router_add(rt, HEAD, "/u/{name}", H(2), NULL), -EEXIST);
	/* Other methods keep their own names. */
	add_ok(DELETE, "/u/{name}", 2);
	ck_assert_uint_eq(fp_http_router_count(rt), 2);
	expect(FP_HTTP_M_GET, "/u/7", "/u/{id}", 1);
	assert_param(0, "id", "7");
	expect(FP_HTTP_M_DELETE, "/u/7", "/u/{name}", 2);
	assert_param(0, "name", "7");
	expect_405(FP_HTTP_M_PUT, "/u/7", GET | HEAD | DELETE);
	/* Merging into one must not clash with the other either. */
	ck_assert_int_eq(fp_http_router_add(rt, GET, "/u/{name}", H(3), NULL), -EEXIST);
	ck_assert_int_eq(fp_http_router_add(rt, DELETE, "/u/{id}", H(3), NULL), -EEXIST);
	add_ok(PUT, "/u/{id}", 4);
	expect(FP_HTTP_M_PUT, "/u/7", "/u/{id}", 4);

	/* Same shape with a final star. */
	add_ok(GET, "/f/{a}/*", 5);
	ck_assert_int_eq(fp_http_router_add(rt, GET, "/f/{b}/*", H(6), NULL), -EEXIST);
	/* Different literals are not the same shape. */
	add_ok(GET, "/g/{id}", 6);
}
END_TEST

static const char *const bad_patterns[] = {
	"",
	"health",
	"*",
	"{a}",
	"/a*",
	"/*a",
	"/**",
	"/*/a",
	"/*/",
	"/a/*/",
	"/a/*b",
	"/a/b*",
	"/{a}*",
	"/{*}",
	"/{}",
	"/{}/a",
	"/{a",
	"/{a/b}",
	"/a}",
	"/}",
	"/{a}}",
	"/{{a}}",
	"/{a{b}}",
	"/x{a}",
	"/{a}x",
	"/{a}.txt",
	"/{a-b}",
	"/{a b}",
	"/{a.b}",
	"/{\xc3\xa9}",
	"/{a}/{a}",
	"/{id}/x/{id}/*",
	"/{a}/{b}/{c}/{d}/{e}/{f}/{g}/{h}/{i}",
	"/a/{b}/{c}/{d}/{e}/{f}/{g}/{h}/{i}/{j}/*",
};

START_TEST(test_bad_pattern)
{
	const char *p = bad_patterns[_i];

	ck_assert_msg(fp_http_router_add(rt, GET, p, H(1), NULL) == -EINVAL, "\"%s\" accepted", p);
	ck_assert_uint_eq(fp_http_router_count(rt), 0);
	expect_none(FP_HTTP_M_GET, "/");
}
END_TEST

START_TEST(test_bad_args)
{
	ck_assert_int_eq(fp_http_router_add(NULL, GET, "/", H(1), NULL), -EINVAL);
	ck_assert_int_eq(fp_http_router_add(rt, GET, NULL, H(1), NULL), -EINVAL);
	ck_assert_int_eq(fp_http_router_add(rt, GET, "/", NULL, NULL), -EINVAL);
	ck_assert_int_eq(fp_http_router_add(rt, 0, "/", H(1), NULL), -EINVAL);
	ck_assert_int_eq(fp_http_router_add(rt, FP_HTTP_MB(FP_HTTP_M_MAX), "/", H(1), NULL),
		-EINVAL);
	ck_assert_int_eq(fp_http_router_add(rt, GET | 0x80000000u, "/", H(1), NULL), -EINVAL);
	ck_assert_uint_eq(fp_http_router_count(rt), 0);

	add_ok(FP_HTTP_MB_ANY, "/*", 1);
	ck_assert_int_eq(match(-1, "/"), -EINVAL);
	ck_assert_int_eq(match(FP_HTTP_M_MAX, "/"), -EINVAL);
	ck_assert_int_eq(fp_http_route_match(NULL, FP_HTTP_M_GET, "/", 1, &mt), -EINVAL);
	ck_assert_int_eq(fp_http_route_match(rt, FP_HTTP_M_GET, "/", 1, NULL), -EINVAL);
	ck_assert_int_eq(fp_http_route_match(rt, FP_HTTP_M_GET, NULL, 1, &mt), -EINVAL);
	ck_assert_int_eq(fp_http_route_match(rt, FP_HTTP_M_GET, NULL, 0, &mt), -ENOENT);
	ck_assert_uint_eq(fp_http_router_count(NULL), 0);
	fp_http_router_free(NULL);
	expect(FP_HTTP_M_TRACE, "/x", "/*", 1);
	ck_assert_uint_eq(mt.allow, FP_HTTP_MB_ANY);
}
END_TEST

START_TEST(test_allow_format)
{
	char buf[128];
	size_t n;

	n = fp_http_allow_format(GET | HEAD | POST, buf, sizeof(buf));
	ck_assert_str_eq(buf, "GET, HEAD, POST");
	ck_assert_uint_eq(n, 15);
	/* Enum order, whatever the mask was built from. */
	n = fp_http_allow_format(FP_HTTP_MB(FP_HTTP_M_TRACE) | DELETE | GET, buf, sizeof(buf));
	ck_assert_str_eq(buf, "GET, DELETE, TRACE");
	ck_assert_uint_eq(n, 18);
	n = fp_http_allow_format(FP_HTTP_MB_ANY, buf, sizeof(buf));
	ck_assert_str_eq(buf, "GET, HEAD, POST, PUT, DELETE, PATCH, OPTIONS, CONNECT, TRACE");
	ck_assert_uint_eq(n, strlen(buf));
	n = fp_http_allow_format(PUT, buf, sizeof(buf));
	ck_assert_str_eq(buf, "PUT");
	ck_assert_uint_eq(n, 3);
	/* Bits past the last method are ignored. */
	n = fp_http_allow_format(POST | 0xfffffe00u, buf, sizeof(buf));
	ck_assert_str_eq(buf, "POST");
	ck_assert_uint_eq(n, 4);
	memset(buf, 'z', sizeof(buf));
	n = fp_http_allow_format(0, buf, sizeof(buf));
	ck_assert_str_eq(buf, "");
	ck_assert_uint_eq(n, 0);
}
END_TEST

START_TEST(test_allow_truncate)
{
	static const char full[] = "GET, HEAD, POST";
	char buf[sizeof(full) + 4];
	size_t size, n;

	for (size = 1; size <= sizeof(buf); size++) {
		memset(buf, 'z', sizeof(buf));
		n = fp_http_allow_format(GET | HEAD | POST, buf, size);
		ck_assert_uint_eq(n, sizeof(full) - 1);
		ck_assert_uint_eq(strlen(buf), size - 1 < n ? size - 1 : n);
		ck_assert(strncmp(buf, full, strlen(buf)) == 0);
		/* Nothing written past size. */
		if (size < sizeof(buf))
			ck_assert_int_eq(buf[size], 'z');
	}
	buf[0] = 'z';
	ck_assert_uint_eq(fp_http_allow_format(GET | HEAD | POST, buf, 0), 15);
	ck_assert_int_eq(buf[0], 'z');
	ck_assert_uint_eq(fp_http_allow_format(GET | HEAD | POST, NULL, 0), 15);
	n = fp_http_allow_format(GET | HEAD | POST, buf, 5);
	ck_assert_str_eq(buf, "GET,");
	ck_assert_uint_eq(n, 15);
}
END_TEST

#define NB_MANY 5000
#define NB_MANY_PREFIX 1000

START_TEST(test_many)
{
	char p[64];
	unsigned int i;

	for (i = 0; i < NB_MANY; i++) {
		snprintf(p, sizeof(p), "/r/%u", i);
		ck_assert_int_eq(fp_http_router_add(rt, GET, p, H(1),
			(void *)(uintptr_t)(i + 1)), 0);
	}
	for (i = 0; i < NB_MANY_PREFIX; i++) {
		snprintf(p, sizeof(p), "/p/%u/*", i);
		ck_assert_int_eq(fp_http_router_add(rt, POST, p, H(2), (void *)(uintptr_t)(i + 1)),
			0);
	}
	ck_assert_uint_eq(fp_http_router_count(rt), NB_MANY + NB_MANY_PREFIX);
	for (i = 0; i < NB_MANY; i++) {
		snprintf(p, sizeof(p), "/r/%u", i);
		ck_assert_int_eq(match(FP_HTTP_M_GET, p), 0);
		ck_assert_ptr_eq(mt.arg, (void *)(uintptr_t)(i + 1));
		ck_assert_uint_eq(mt.route, i);
		ck_assert_str_eq(route_pattern(mt.route), p);
		ck_assert_int_eq(fp_http_router_add(rt, GET, p, H(1), NULL), -EEXIST);
	}
	for (i = 0; i < NB_MANY_PREFIX; i++) {
		snprintf(p, sizeof(p), "/p/%u/x/y", i);
		ck_assert_int_eq(match(FP_HTTP_M_POST, p), 0);
		ck_assert_ptr_eq(mt.arg, (void *)(uintptr_t)(i + 1));
		ck_assert_uint_eq(mt.route, NB_MANY + i);
		assert_in_path(mt.rest, "x/y");
	}
	expect_none(FP_HTTP_M_GET, "/r/5000");
	expect_none(FP_HTTP_M_GET, "/r/");
	expect_none(FP_HTTP_M_GET, "/r/01");
	expect_none(FP_HTTP_M_POST, "/p/1000/x");
	expect_none(FP_HTTP_M_POST, "/p/1");
	expect_405(FP_HTTP_M_POST, "/r/4999", GET | HEAD);
	ck_assert_uint_eq(fp_http_router_count(rt), NB_MANY + NB_MANY_PREFIX);
}
END_TEST

START_TEST(test_odd_paths)
{
	add_ok(GET, "/a", 1);
	add_ok(GET, "/a/", 2);
	add_ok(GET, "/x/{id}", 3);
	add_ok(GET, "/y/{a}/{b}", 4);
	add_ok(GET, "/d//{id}", 5);

	/* A trailing slash is another path. */
	expect(FP_HTTP_M_GET, "/a", "/a", 1);
	expect(FP_HTTP_M_GET, "/a/", "/a/", 2);
	expect_none(FP_HTTP_M_GET, "/a//");
	/* No normalisation. */
	expect_none(FP_HTTP_M_GET, "//a");
	expect_none(FP_HTTP_M_GET, "/./a");
	expect_none(FP_HTTP_M_GET, "/x/1/../2");
	/* An empty segment is no parameter. */
	expect_none(FP_HTTP_M_GET, "/x/");
	expect_none(FP_HTTP_M_GET, "/x//");
	expect_none(FP_HTTP_M_GET, "/x//1");
	expect_none(FP_HTTP_M_GET, "//x/1");
	expect_none(FP_HTTP_M_GET, "/y//b");
	expect_none(FP_HTTP_M_GET, "/y/a/");
	expect_none(FP_HTTP_M_GET, "/y//");
	expect(FP_HTTP_M_GET, "/y/a/b", "/y/{a}/{b}", 4);
	expect(FP_HTTP_M_GET, "/d//1", "/d//{id}", 5);
	assert_param(0, "id", "1");
	expect_none(FP_HTTP_M_GET, "/d/1");
	/* Bytes a decoded path may hold. */
	ck_assert_int_eq(match_n(FP_HTTP_M_GET, "/x/a\0b", 6), 0);
	ck_assert_uint_eq(mt.params[0].value.len, 3);
	expect(FP_HTTP_M_GET, "/x/\xc3\xa9", "/x/{id}", 3);
	assert_param(0, "id", "\xc3\xa9");

	/* An empty path, or one without the leading '/', matches nothing. */
	add_ok(GET, "/*", 6);
	ck_assert_int_eq(match_n(FP_HTTP_M_GET, "", 0), -ENOENT);
	ck_assert_uint_eq(mt.allow, 0);
	expect_none(FP_HTTP_M_GET, "a");
	expect_none(FP_HTTP_M_GET, "*");
	expect_none(FP_HTTP_M_GET, "a/");
	expect(FP_HTTP_M_GET, "//a", "/*", 6);
	assert_in_path(mt.rest, "/a");
	expect(FP_HTTP_M_GET, "/x//", "/*", 6);
}
END_TEST

/* Random routes and paths over a small alphabet, checked against a plain
 * reimplementation of the documented rules.
 */
#define RND_ROUTES 48
#define RND_PATHS 3000

struct rnd_route {
	char pattern[48];
	uint32_t methods;		/* all registered for this pattern */
	int h[FP_HTTP_M_MAX];
};

static struct rnd_route rnd[RND_ROUTES * 2];
static unsigned int nb_rnd;
static uint64_t rnd_state;

static uint32_t
rnd_next(uint32_t n)
{
	rnd_state = rnd_state * 6364136223846793005ULL + 1442695040888963407ULL;
	return (uint32_t)(rnd_state >> 33) % n;
}

/* Splits "/a/b" after its leading '/' into segments; returns their count. */
static unsigned int
split(const char *s, const char *seg[], uint32_t len[], unsigned int max)
{
	unsigned int n = 0;
	const char *e;

	s++;
	for (;;) {
		ck_assert_uint_lt(n, max);
		e = strchr(s, '/');
		seg[n] = s;
		len[n++] = e == NULL ? (uint32_t)strlen(s) : (uint32_t)(e - s);
		if (e == NULL)
			return n;
		s = e + 1;
	}
}

static int
seg_kind(const char *s, uint32_t len)
{
	if (len > 0 && s[0] == '{')
		return 1;
	if (len == 1 && s[0] == '*')
		return 2;
	return 0;
}

/* 0 exact, 1 parameters, 2 prefix. */
static int
ref_class(const char *p)
{
	if (strchr(p, '{') != NULL)
		return 1;
	return p[strlen(p) - 1] == '*' ? 2 : 0;
}

static bool
ref_matches(const char *pat, const char *path)
{
	const char *ps[16], *xs[16];
	uint32_t pl[16], xl[16];
	unsigned int np = split(pat, ps, pl, 16), nx = split(path, xs, xl, 16), i;
	bool star = seg_kind(ps[np - 1], pl[np - 1]) == 2;

	if (star ? nx < np : nx != np)
		return false;
	for (i = 0; i < np - (star ? 1 : 0); i++) {
		if (seg_kind(ps[i], pl[i]) == 1) {
			if (xl[i] == 0)
				return false;
		} else if (pl[i] != xl[i] || memcmp(ps[i], xs[i], pl[i]) != 0) {
			return false;
		}
	}
	return true;
}

/* < 0 when a takes precedence over b; both match some path. */
static int
ref_cmp(const char *a, const char *b)
{
	const char *as[16], *bs[16];
	uint32_t al[16], bl[16];
	unsigned int na, nb, i;
	int ca = ref_class(a), cb = ref_class(b), ka, kb;

	if (ca != cb)
		return ca - cb;
	if (ca == 2)
		return (int)strlen(b) - (int)strlen(a);
	na = split(a, as, al, 16);
	nb = split(b, bs, bl, 16);
	for (i = 0; i < na && i < nb; i++) {
		ka = seg_kind(as[i], al[i]);
		kb = seg_kind(bs[i], bl[i]);
		if (ka != kb)
			return ka - kb;
	}
	ck_assert_msg(false, "\"%s\" and \"%s\" tie", a, b);
	return 0;
}

static uint32_t
ref_allow(uint32_t methods)
{
	return methods & GET ? methods | HEAD : methods;
}

/* The same pattern but for parameter names. */
static bool
ref_same_shape(const char *a, const char *b)
{
	const char *as[16], *bs[16];
	uint32_t al[16], bl[16];
	unsigned int na = split(a, as, al, 16), nb = split(b, bs, bl, 16), i;

	if (na != nb)
		return false;
	for (i = 0; i < na; i++) {
		if (seg_kind(as[i], al[i]) != seg_kind(bs[i], bl[i]))
			return false;
		if (seg_kind(as[i], al[i]) != 1 &&
				(al[i] != bl[i] || memcmp(as[i], bs[i], al[i]) != 0))
			return false;
	}
	return true;
}

static void
rnd_pattern(char *p, size_t size)
{
	static const char *const segs[] = { "a", "b", "", "{p}", "{q}" };
	unsigned int n = 1 + rnd_next(3), i;
	size_t len = 0;
	const char *s;

	p[0] = '\0';
	for (i = 0; i < n; i++) {
		s = segs[rnd_next(DIM(segs))];
		/* Numbered names keep a pattern's names different. */
		if (s[0] == '{')
			len += (size_t)snprintf(p + len, size - len, "/{%c%u}", s[1], i);
		else
			len += (size_t)snprintf(p + len, size - len, "/%s", s);
	}
	if (rnd_next(3) == 0)
		snprintf(p + len, size - len, "/*");
}

static void
rnd_path(char *p, size_t size)
{
	static const char *const segs[] = { "a", "b", "c", "" };
	unsigned int n = 1 + rnd_next(5), i;
	size_t len = 0;

	for (i = 0; i < n; i++)
		len += (size_t)snprintf(p + len, size - len, "/%s", segs[rnd_next(DIM(segs))]);
}

/* Adds a random route, checking the router's verdict against the rules. */
static void
rnd_add(int h)
{
	static const uint32_t masks[] = { GET, HEAD, POST, GET | POST, HEAD | PUT, PUT, DELETE };
	uint32_t methods = masks[rnd_next(DIM(masks))];
	struct rnd_route *same = NULL;
	char p[48];
	bool clash = false;
	unsigned int i;
	int m, ret;

	rnd_pattern(p, sizeof(p));
	for (i = 0; i < nb_rnd; i++) {
		if (strcmp(rnd[i].pattern, p) == 0) {
			same = &rnd[i];
			clash |= (rnd[i].methods & methods) != 0;
		}
	}
	for (i = 0; i < nb_rnd; i++) {
		if (&rnd[i] != same && ref_class(p) == 1 && ref_same_shape(rnd[i].pattern, p) &&
				(ref_allow(methods | (same ? same->methods : 0)) &
				ref_allow(rnd[i].methods)) != 0)
			clash = true;
	}
	ret = fp_http_router_add(rt, methods, p, H(h), A(h));
	ck_assert_msg(ret == (clash ? -EEXIST : 0), "adding \"%s\": %d", p, ret);
	if (clash)
		return;
	if (same == NULL) {
		same = &rnd[nb_rnd++];
		snprintf(same->pattern, sizeof(same->pattern), "%s", p);
	}
	same->methods |= methods;
	for (m = 0; m < FP_HTTP_M_MAX; m++)
		if (methods & FP_HTTP_MB(m))
			same->h[m] = h;
}

static unsigned int
count_params(const char *p)
{
	unsigned int n = 0;

	for (; *p != '\0'; p++)
		n += *p == '{';
	return n;
}

static void
rnd_check(int meth, const char *path)
{
	const struct rnd_route *best = NULL;
	uint32_t allow = 0;
	unsigned int i;
	int ret, h;

	for (i = 0; i < nb_rnd; i++) {
		if (!ref_matches(rnd[i].pattern, path))
			continue;
		allow |= ref_allow(rnd[i].methods);
		if ((ref_allow(rnd[i].methods) & FP_HTTP_MB(meth)) == 0)
			continue;
		if (best == NULL || ref_cmp(rnd[i].pattern, best->pattern) < 0)
			best = &rnd[i];
	}
	ret = match(meth, path);
	if (best == NULL) {
		ck_assert_msg(ret == (allow != 0 ? -EPERM : -ENOENT), "%s %s: %d",
			fp_http_meth_names[meth], path, ret);
		ck_assert_uint_eq(mt.allow, allow);
		return;
	}
	ck_assert_msg(ret == 0, "%s %s: %d, expected \"%s\"", fp_http_meth_names[meth], path,
		ret, best->pattern);
	ck_assert_str_eq(route_pattern(mt.route), best->pattern);
	h = best->methods & FP_HTTP_MB(meth) ? best->h[meth] : best->h[FP_HTTP_M_GET];
	ck_assert_ptr_eq(mt.handler, H(h));
	ck_assert(mt.head_via_get == ((best->methods & FP_HTTP_MB(meth)) == 0));
	ck_assert_uint_eq(mt.allow, ref_allow(best->methods));
	ck_assert_uint_eq(mt.nb_params, count_params(best->pattern));
	for (i = 0; i < mt.nb_params; i++) {
		ck_assert_uint_gt(mt.params[i].value.len, 0);
		ck_assert_ptr_null(memchr(mt.params[i].value.p, '/', mt.params[i].value.len));
	}
	ck_assert((mt.rest.p != NULL) == (best->pattern[strlen(best->pattern) - 1] == '*'));
}

START_TEST(test_random)
{
	static const int meths[] = {
		FP_HTTP_M_GET, FP_HTTP_M_HEAD, FP_HTTP_M_POST, FP_HTTP_M_PUT, FP_HTTP_M_DELETE,
	};
	char path[64];
	unsigned int i;

	rnd_state = 0x5eed + (uint64_t)_i;
	nb_rnd = 0;
	memset(rnd, 0, sizeof(rnd));
	for (i = 0; i < RND_ROUTES; i++)
		rnd_add((int)(i % NB_H));
	for (i = 0; i < RND_PATHS; i++) {
		rnd_path(path, sizeof(path));
		rnd_check(meths[rnd_next(DIM(meths))], path);
	}
}
END_TEST

Suite *
http_router_suite(void)
{
	Suite *s = suite_create("http_router");
	TCase *tc;

	tc = tcase_create("kinds");
	tcase_add_checked_fixture(tc, router_setup, router_teardown);
	tcase_add_test(tc, test_meth_of);
	tcase_add_test(tc, test_empty_router);
	tcase_add_test(tc, test_exact);
	tcase_add_test(tc, test_prefix);
	tcase_add_test(tc, test_prefix_longest);
	tcase_add_test(tc, test_params);
	tcase_add_test(tc, test_param_names_owned);
	tcase_add_test(tc, test_max_params);
	tcase_add_test(tc, test_params_star);
	tcase_add_test(tc, test_odd_paths);
	suite_add_tcase(s, tc);

	tc = tcase_create("precedence");
	tcase_add_checked_fixture(tc, router_setup, router_teardown);
	tcase_add_test(tc, test_precedence_kinds);
	tcase_add_test(tc, test_precedence_params);
	tcase_add_test(tc, test_precedence_order_free);
	tcase_add_test(tc, test_head_precedence);
	tcase_add_loop_test(tc, test_random, 0, 20);
	suite_add_tcase(s, tc);

	tc = tcase_create("methods");
	tcase_add_checked_fixture(tc, router_setup, router_teardown);
	tcase_add_test(tc, test_405);
	tcase_add_test(tc, test_405_union);
	tcase_add_test(tc, test_404_no_catch_all);
	tcase_add_test(tc, test_head);
	tcase_add_test(tc, test_merge);
	tcase_add_test(tc, test_same_shape);
	tcase_add_test(tc, test_allow_format);
	tcase_add_test(tc, test_allow_truncate);
	suite_add_tcase(s, tc);

	tc = tcase_create("registration");
	tcase_add_checked_fixture(tc, router_setup, router_teardown);
	tcase_add_loop_test(tc, test_bad_pattern, 0, DIM(bad_patterns));
	tcase_add_test(tc, test_bad_args);
	tcase_add_test(tc, test_many);
	suite_add_tcase(s, tc);
	return s;
}
