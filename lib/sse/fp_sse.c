/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The fastpath authors
 */

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "fp_sse.h"
#include "fp_stats.h"

/* Appends s[0, n) at *at, within cap. */
static bool
fp_sse_put(char *out, size_t cap, size_t *at, const char *s, size_t n)
{
	if (n > cap - *at)
		return false;
	memcpy(out + *at, s, n);
	*at += n;
	return true;
}

/* One field line: "name: value\n". */
static bool
fp_sse_field(char *out, size_t cap, size_t *at, const char *name, const char *v, size_t n)
{
	return fp_sse_put(out, cap, at, name, strlen(name)) &&
		fp_sse_put(out, cap, at, ": ", 2) && fp_sse_put(out, cap, at, v, n) &&
		fp_sse_put(out, cap, at, "\n", 1);
}

long
fp_sse_format(char *out, size_t cap, const struct fp_sse_event *ev)
{
	size_t at = 0, i, start;
	char num[16];
	int n;

	/* The stream's lines end at CR, LF or CRLF, so those cannot be in a
	 * field's value; "If the field value does not contain U+0000 NULL,
	 * then set the last event ID buffer to the field value."
	 */
	if ((ev->id != NULL && strpbrk(ev->id, "\r\n") != NULL) ||
			(ev->event != NULL && strpbrk(ev->event, "\r\n") != NULL))
		return -EINVAL;
	if (ev->id != NULL && *ev->id != '\0' &&
			!fp_sse_field(out, cap, &at, "id", ev->id, strlen(ev->id)))
		return -ENOSPC;
	if (ev->event != NULL && *ev->event != '\0' &&
			!fp_sse_field(out, cap, &at, "event", ev->event, strlen(ev->event)))
		return -ENOSPC;
	if (ev->retry_ms != 0) {
		n = snprintf(num, sizeof(num), "%u", ev->retry_ms);
		if (!fp_sse_field(out, cap, &at, "retry", num, (size_t)n))
			return -ENOSPC;
	}
	/* "If the field name is "data": Append the field value to the data
	 * buffer, then append a single U+000A LINE FEED": one data line per
	 * line of the payload, whatever ended it.
	 */
	for (i = 0, start = 0; ev->data != NULL && i <= ev->data_len; i++) {
		if (i < ev->data_len && ev->data[i] != '\r' && ev->data[i] != '\n')
			continue;
		if (i == ev->data_len && start == i && i != 0)
			break;	/* the payload ended with its line end */
		if (!fp_sse_field(out, cap, &at, "data", ev->data + start, i - start))
			return -ENOSPC;
		if (i + 1 < ev->data_len && ev->data[i] == '\r' && ev->data[i + 1] == '\n')
			i++;
		start = i + 1;
	}
	/* "If the line is empty (a blank line) Dispatch the event". */
	if (!fp_sse_put(out, cap, &at, "\n", 1))
		return -ENOSPC;
	return (long)at;
}

long
fp_sse_comment(char *out, size_t cap, const char *text)
{
	size_t at = 0;

	if (strpbrk(text, "\r\n") != NULL)
		return -EINVAL;
	if (!fp_sse_put(out, cap, &at, ": ", 2) ||
			!fp_sse_put(out, cap, &at, text, strlen(text)) ||
			!fp_sse_put(out, cap, &at, "\n\n", 2))
		return -ENOSPC;
	return (long)at;
}

int
fp_sse_start(struct fp_http_ctx *x, void (*writable)(struct fp_http_ctx *x, void *arg),
	void *arg)
{
	int ret;

	fp_http_set_type(x, "text/event-stream");
	/* Caches and proxies must not hold events back or replay them. */
	ret = fp_http_add_header(x, "Cache-Control", "no-cache");
	if (ret != 0)
		return ret;
	return fp_http_stream(x, writable, arg);
}

int
fp_sse_send(struct fp_http_ctx *x, const struct fp_sse_event *ev)
{
	char buf[FP_SSE_EVENT_MAX];
	long n = fp_sse_format(buf, sizeof(buf), ev);
	int w;

	if (n == -ENOSPC)
		return -EMSGSIZE;
	if (n < 0)
		return (int)n;
	/* Whole or nothing: a writer that waits for room sends the event
	 * again, so none goes out twice or in halves.
	 */
	w = fp_http_write_all(x, buf, (uint32_t)n);
	if (w < 0)
		return w;
	return w == n ? 0 : -EPIPE;
}

/* A heartbeat: an empty comment, then the next one. A stream with no room
 * for it is busy anyway: proxies see its bytes.
 */
static void
fp_sse_beat(struct fp_http_ctx *x, void *arg)
{
	uint32_t ms = (uint32_t)(uintptr_t)arg;

	if (fp_http_write_all(x, ":\n\n", 3) == 3)
		fp_count(fp_http_ctx_stats(x), FP_C_sse_heartbeats, 1);
	fp_http_ctx_timer(x, ms, fp_sse_beat, arg);
}

int
fp_sse_heartbeat(struct fp_http_ctx *x, uint32_t ms)
{
	return fp_http_ctx_timer(x, ms, ms != 0 ? fp_sse_beat : NULL, (void *)(uintptr_t)ms);
}
