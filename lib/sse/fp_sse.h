/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The fastpath authors
 */

#ifndef FP_SSE_H
#define FP_SSE_H

/* Server-Sent Events (WHATWG HTML, "Server-sent events"): the event stream's
 * framing, and a stream on the handler API's context that carries it.
 */

#include <stddef.h>
#include <stdint.h>

#include "fp_http_api.h"

/* One event. NULL or empty fields are left out; data may hold several lines
 * (ended by LF, CRLF or CR), each sent as a data field of its own.
 */
struct fp_sse_event {
	const char *id;		/* no CR, LF or NUL */
	const char *event;	/* no CR or LF */
	const char *data;
	size_t data_len;
	uint32_t retry_ms;	/* 0: none */
};

/* Writes ev as event-stream bytes into out[0, cap): its fields, then the
 * empty line that dispatches it. Returns the length, -EINVAL when id or
 * event could not survive the framing, or -ENOSPC when cap is short.
 */
long
fp_sse_format(char *out, size_t cap, const struct fp_sse_event *ev);

/* A comment line and its blank line (": text\n\n"): proxies see traffic,
 * clients dispatch nothing. Same returns; text has no CR or LF.
 */
long
fp_sse_comment(char *out, size_t cap, const char *text);

/* Starts x's answer as an event stream: 200, Content-Type text/event-stream,
 * Cache-Control no-cache, never compressed, the body streamed (chunked on
 * HTTP/1.1). writable as for fp_http_stream(). Returns its values.
 */
int
fp_sse_start(struct fp_http_ctx *x, void (*writable)(struct fp_http_ctx *x, void *arg),
	void *arg);

/* Sends ev on a started stream, whole or not at all. Returns 0, -EAGAIN when
 * the connection has no room for it now (writable comes later), -EMSGSIZE
 * for an event over FP_SSE_EVENT_MAX bytes, -EINVAL for a bad field, or
 * -EPIPE when the connection is gone.
 */
int
fp_sse_send(struct fp_http_ctx *x, const struct fp_sse_event *ev);

/* Sends a comment line every ms on a started stream (0 stops it), so that
 * proxies that close idle connections keep it. It uses the context's timer
 * (fp_http_ctx_timer). Returns its values.
 */
int
fp_sse_heartbeat(struct fp_http_ctx *x, uint32_t ms);

/* Largest formatted event fp_sse_send() takes. */
#define FP_SSE_EVENT_MAX 4096

#endif /* FP_SSE_H */
