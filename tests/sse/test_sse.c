/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The fastpath authors
 */

/* The event stream's framing (lib/sse), without EAL. */

#include <errno.h>
#include <string.h>

#include <check.h>

#include "fp_sse.h"
#include "fp_test.h"

static void
want_event(const struct fp_sse_event *ev, const char *want)
{
	char out[512];
	long n = fp_sse_format(out, sizeof(out), ev);

	ck_assert_int_eq(n, (long)strlen(want));
	ck_assert_mem_eq(out, want, (size_t)n);
}

START_TEST(test_fields)
{
	struct fp_sse_event ev = { "42", "tick", "hello", 5, 3000 };

	want_event(&ev, "id: 42\nevent: tick\nretry: 3000\ndata: hello\n\n");
	ev.id = NULL;
	ev.event = "";
	ev.retry_ms = 0;
	want_event(&ev, "data: hello\n\n");
}
END_TEST

/* Every line of the payload is a data field, whatever ended it; a line end
 * at the very end adds none; an empty line inside is an empty field, never
 * a blank line (that would dispatch the event early).
 */
START_TEST(test_data_lines)
{
	static const char d1[] = "a\nb\r\nc\rd";
	static const char d2[] = "one\ntwo\n";
	static const char d3[] = "a\n\nb";
	struct fp_sse_event ev = { NULL, NULL, d1, sizeof(d1) - 1, 0 };

	want_event(&ev, "data: a\ndata: b\ndata: c\ndata: d\n\n");
	ev.data = d2;
	ev.data_len = sizeof(d2) - 1;
	want_event(&ev, "data: one\ndata: two\n\n");
	ev.data = d3;
	ev.data_len = sizeof(d3) - 1;
	want_event(&ev, "data: a\ndata: \ndata: b\n\n");
	ev.data = "";
	ev.data_len = 0;
	want_event(&ev, "data: \n\n");
}
END_TEST

START_TEST(test_refused)
{
	struct fp_sse_event ev = { "4\n2", NULL, "x", 1, 0 };
	char out[64];

	ck_assert_int_eq(fp_sse_format(out, sizeof(out), &ev), -EINVAL);
	ev.id = "42";
	ev.event = "a\rb";
	ck_assert_int_eq(fp_sse_format(out, sizeof(out), &ev), -EINVAL);
	ev.event = "ok";
	/* Exactly the room it needs, then one byte less. */
	ck_assert_int_eq(fp_sse_format(out, 26, &ev), 26);
	ck_assert_int_eq(fp_sse_format(out, 25, &ev), -ENOSPC);
	ck_assert_int_eq(fp_sse_comment(out, sizeof(out), "ping"), 8);
	ck_assert_mem_eq(out, ": ping\n\n", 8);
	ck_assert_int_eq(fp_sse_comment(out, sizeof(out), "a\nb"), -EINVAL);
	ck_assert_int_eq(fp_sse_comment(out, 7, "ping"), -ENOSPC);
}
END_TEST

Suite *
sse_suite(void)
{
	Suite *s = suite_create("sse");
	TCase *tc = tcase_create("format");

	tcase_add_test(tc, test_fields);
	tcase_add_test(tc, test_data_lines);
	tcase_add_test(tc, test_refused);
	suite_add_tcase(s, tc);
	return s;
}
