/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The fastpath authors
 */

/* WebSocket sessions on an upgraded HTTP connection: the handshake's
 * answer, messages in (whole, in place when they can be), pings, the
 * close handshake and its timeout, frames out.
 */

#include <errno.h>
#include <string.h>
#include <strings.h>

#include <rte_common.h>
#include <rte_byteorder.h>
#include <rte_telemetry.h>

#include "fp_http.h"
#include "fp_stats.h"
#include "fp_stats_tel.h"
#include "fp_ws.h"
#include "fp_ws_handshake.h"

enum fp_ws_state {
	FP_WS_S_OPEN,
	FP_WS_S_CLOSING,	/* our close is sent: waiting for the client's */
	FP_WS_S_DONE,		/* reported; the context ends or has ended */
};

/* One WebSocket, in its context's upgrade state. */
struct fp_ws_sess {
	struct fp_ws_reader rd;
	const struct fp_ws_ops *ops;
	void *arg;
	uint8_t *msg;		/* the body buffer a message is gathered in */
	uint32_t msg_len;
	uint32_t close_ms;
	uint8_t state;		/* enum fp_ws_state */
};

static const struct fp_http_upgrade_ops fp_ws_up_ops;

static struct fp_stats *
fp_ws_st(const struct fp_http_ctx *x)
{
	return fp_http_ctx_stats(x);
}

static void
fp_ws_count_close(struct fp_http_ctx *x, uint16_t code)
{
	enum fp_counter k;

	switch (code) {
#define FP_WS_CLOSE_CASE(a, name, num) case num: k = FP_C_ws_close_##name; break;
	FP_WS_CLOSE_LIST(FP_WS_CLOSE_CASE, 0)
#undef FP_WS_CLOSE_CASE
	default:
		return;
	}
	fp_count(fp_ws_st(x), k, 1);
}

/* Queues one frame whole: header and payload. Returns 0, -EAGAIN (writable
 * comes later), -EMSGSIZE or -EPIPE.
 */
static int
fp_ws_frame_out(struct fp_http_ctx *x, uint8_t opcode, const void *data, size_t len)
{
	uint32_t sndbuf = x->hw->tcp->p.sndbuf;
	uint8_t hdr[FP_WS_HEADER_MAX];
	struct iovec iov[2];
	size_t hl;
	int ret;

	hl = fp_ws_server_header(hdr, true, opcode, len);
	if (len > sndbuf || hl + len > sndbuf)
		return -EMSGSIZE;
	/* The header and its payload, both or neither. */
	iov[0].iov_base = hdr;
	iov[0].iov_len = hl;
	iov[1].iov_base = (void *)(uintptr_t)data;
	iov[1].iov_len = len;
	ret = fp_http_writev_all(x, iov, len != 0 ? 2 : 1);
	return ret < 0 ? ret : 0;
}

/* The WebSocket is over: the handler hears it once, then the connection
 * closes (RFC 6455 7.1.1: "the underlying TCP connection ... SHOULD be
 * closed first by the server") once what was queued has gone.
 */
static void
fp_ws_finish(struct fp_http_ctx *x, struct fp_ws_sess *w, uint16_t code)
{
	w->state = FP_WS_S_DONE;
	fp_http_ctx_timer(x, 0, NULL, NULL);
	fp_http_on_close(x, NULL, NULL);
	fp_gauge_add(fp_ws_st(x), FP_G_ws_open, -1);
	if (w->ops->closed != NULL)
		w->ops->closed(x, w->arg, code);
	fp_http_stream_end(x);
}

/* Sends a close frame of code and reason (len bytes). False when it could
 * not be queued: the connection is reset then.
 */
static bool
fp_ws_send_close(struct fp_http_ctx *x, uint16_t code, const char *reason, size_t len)
{
	uint8_t p[FP_WS_CONTROL_MAX] = { 0 };
	size_t n = 0;

	/* 1005 is "no status": a close without a payload. */
	if (code != 1005) {
		p[0] = code >> 8;
		p[1] = code & 0xff;
		if (len != 0)
			memcpy(p + 2, reason, len);
		n = 2 + len;
	}
	if (fp_ws_frame_out(x, FP_WS_OP_CLOSE, p, n) == 0) {
		fp_ws_count_close(x, code);
		return true;
	}
	/* With no room even for a close, the client is not reading: the
	 * send timeout would reset it anyway.
	 */
	if (!fp_tcp_conn_gone(x->c, x->gen))
		fp_tcp_abort(x->hw->tcp, x->c);
	return false;
}

/* RFC 6455 7.1.7: "Fail the WebSocket Connection": the close frame of the
 * violation's code, then the connection closes without waiting.
 */
static void
fp_ws_fail(struct fp_http_ctx *x, struct fp_ws_sess *w, uint16_t code)
{
	if (w->state == FP_WS_S_OPEN && !fp_ws_send_close(x, code, NULL, 0))
		return;
	fp_ws_finish(x, w, code);
}

static void
fp_ws_deliver(struct fp_http_ctx *x, struct fp_ws_sess *w, uint8_t op, const uint8_t *p,
	size_t n)
{
	struct fp_stats *st = fp_ws_st(x);

	fp_count(st, FP_C_ws_messages_in, 1);
	fp_count(st, FP_C_ws_bytes_in, n);
	if (w->ops->message != NULL)
		w->ops->message(x, w->arg, op, p, n);
}

/* A message gathered in a buffer stopped coming: RFC 6455 7.4.1, 1008
 * (the server's policy), as HTTP answers a body that stalls with 408.
 */
static void
fp_ws_gather_timeout(struct fp_http_ctx *x, void *arg)
{
	struct fp_ws_sess *w = arg;

	if (w->state != FP_WS_S_OPEN || w->msg == NULL)
		return;
	fp_count(fp_ws_st(x), FP_C_ws_gather_timeouts, 1);
	fp_ws_fail(x, w, FP_WS_CLOSE_policy_violation);
}

/* Message bytes. False when the WebSocket ended. */
static bool
fp_ws_data(struct fp_http_ctx *x, struct fp_ws_sess *w, const struct fp_ws_ev *ev)
{
	uint32_t cap;

	/* RFC 6455 5.5.1: after its close the server sends no data; what
	 * still comes in is read and dropped.
	 */
	if (w->state != FP_WS_S_OPEN)
		return true;
	/* Nothing gathered before and the message ends here: it lies whole
	 * in the segment.
	 */
	if (w->msg == NULL && ev->msg_end) {
		fp_ws_deliver(x, w, ev->opcode, ev->p, ev->n);
		return w->state != FP_WS_S_DONE;
	}
	if (ev->n == 0 && !ev->msg_end)
		return true;
	if (w->msg == NULL) {
		w->msg = fp_http_ctx_buffer(x, &cap);
		if (w->msg == NULL) {
			/* RFC 6455 7.4.1 (IANA): 1013 "Try Again Later". */
			fp_ws_fail(x, w, FP_WS_CLOSE_try_again_later);
			return false;
		}
		w->msg_len = 0;
		fp_count(fp_ws_st(x), FP_C_ws_gathered, 1);
		/* A message held in a buffer must keep coming, like a request
		 * body: the worker's buffers are few.
		 */
		fp_http_ctx_timer(x, x->hw->srv->body_ms, fp_ws_gather_timeout, w);
	}
	/* The reader's limit is at most the buffer's size. */
	memcpy(w->msg + w->msg_len, ev->p, ev->n);
	w->msg_len += ev->n;
	if (!ev->msg_end)
		return true;
	fp_ws_deliver(x, w, ev->opcode, w->msg, w->msg_len);
	if (w->state == FP_WS_S_DONE)
		return false;
	w->msg = NULL;
	w->msg_len = 0;
	fp_http_ctx_buffer_put(x);
	/* The gathering's deadline goes; a close waits on its own. */
	if (w->state == FP_WS_S_OPEN)
		fp_http_ctx_timer(x, 0, NULL, NULL);
	return true;
}

/* A whole control frame. False when the WebSocket ended. */
static bool
fp_ws_control(struct fp_http_ctx *x, struct fp_ws_sess *w, const struct fp_ws_ev *ev)
{
	uint16_t code;

	switch (ev->opcode) {
	case FP_WS_OP_PING:
		fp_count(fp_ws_st(x), FP_C_ws_pings, 1);
		/* RFC 6455 5.5.2: "Upon receipt of a Ping frame, an endpoint
		 * MUST send a Pong frame in response, unless it already
		 * received a Close frame."
		 */
		if (w->state == FP_WS_S_OPEN &&
				fp_ws_frame_out(x, FP_WS_OP_PONG, ev->p, ev->n) != 0)
			fp_count(fp_ws_st(x), FP_C_ws_pongs_unsent, 1);
		return true;
	case FP_WS_OP_CLOSE:
		fp_count(fp_ws_st(x), FP_C_ws_closes_received, 1);
		code = ev->n >= 2 ? (uint16_t)(ev->p[0] << 8 | ev->p[1]) : 1005;
		/* RFC 6455 5.5.1: "If an endpoint receives a Close frame and
		 * did not previously send a Close frame, the endpoint MUST
		 * send a Close frame in response. ... the endpoint typically
		 * echos the status code it received."
		 */
		if (w->state == FP_WS_S_OPEN && !fp_ws_send_close(x, code, NULL, 0))
			return false;
		fp_ws_finish(x, w, code);
		return false;
	default:
		return true;	/* a pong */
	}
}

static void
fp_ws_recv(struct fp_http_ctx *x, void *arg, uint8_t *data, uint32_t len)
{
	struct fp_ws_sess *w = arg;
	struct fp_ws_ev ev;
	uint32_t off = 0;
	long n;

	while (off < len && w->state != FP_WS_S_DONE) {
		n = fp_ws_read(&w->rd, data + off, len - off, &ev);
		if (n < 0) {
			fp_ws_fail(x, w, w->rd.err);
			return;
		}
		off += n;
		if (ev.type == FP_WS_EV_DATA && !fp_ws_data(x, w, &ev))
			return;
		if (ev.type == FP_WS_EV_CONTROL && !fp_ws_control(x, w, &ev))
			return;
	}
}

/* The client closed TCP without a close frame (or before answering ours). */
static void
fp_ws_fin(struct fp_http_ctx *x, void *arg)
{
	struct fp_ws_sess *w = arg;

	if (w->state == FP_WS_S_DONE)
		return;
	fp_count(fp_ws_st(x), FP_C_ws_abnormal, 1);
	fp_ws_finish(x, w, 1006);
}

/* A graceful shutdown: RFC 6455 7.4.1, 1001 "going away". */
static void
fp_ws_drain(struct fp_http_ctx *x, void *arg)
{
	struct fp_ws_sess *w = arg;

	if (w->state == FP_WS_S_OPEN)
		fp_ws_close(x, FP_WS_CLOSE_going_away, "");
}

/* The connection ended under the WebSocket (reset, send timeout). */
static void
fp_ws_on_close(struct fp_http_ctx *x, void *arg)
{
	struct fp_ws_sess *w = arg;

	if (w->state == FP_WS_S_DONE)
		return;
	w->state = FP_WS_S_DONE;
	fp_count(fp_ws_st(x), FP_C_ws_abnormal, 1);
	fp_gauge_add(fp_ws_st(x), FP_G_ws_open, -1);
	if (w->ops->closed != NULL)
		w->ops->closed(x, w->arg, 1006);
}

static void
fp_ws_writable(struct fp_http_ctx *x, void *arg)
{
	struct fp_ws_sess *w = arg;

	if (w->state == FP_WS_S_OPEN && w->ops->writable != NULL)
		w->ops->writable(x, w->arg);
}

static void
fp_ws_close_timeout(struct fp_http_ctx *x, void *arg)
{
	struct fp_ws_sess *w = arg;

	if (w->state != FP_WS_S_CLOSING)
		return;
	fp_count(fp_ws_st(x), FP_C_ws_close_timeouts, 1);
	fp_ws_finish(x, w, 1006);
}

static const struct fp_http_upgrade_ops fp_ws_up_ops = {
	.recv = fp_ws_recv,
	.fin = fp_ws_fin,
};

bool
fp_ws_offered(const struct fp_http_ctx *x, const char *protocol)
{
	static const char name[] = "sec-websocket-protocol";
	uint16_t i;

	if (x->req == NULL || protocol[0] == '\0')
		return false;
	/* The header may come several times: each is part of the list. */
	for (i = 0; i < x->req->nb_headers; i++) {
		const struct fp_http_header *h = &x->req->headers[i];

		if (h->name.len == sizeof(name) - 1 &&
				strncasecmp(h->name.p, name, sizeof(name) - 1) == 0 &&
				fp_ws_list_has(h->value, protocol, false))
			return true;
	}
	return false;
}

int
fp_ws_accept(struct fp_http_ctx *x, const struct fp_ws_params *p, const struct fp_ws_ops *ops,
	void *arg)
{
	const char *proto = p != NULL ? p->subprotocol : NULL;
	char acc[FP_WS_ACCEPT_LEN + 1];
	struct fp_http_slice key;
	struct fp_ws_sess *w;
	uint32_t cap, max;
	int status, ret;

	RTE_BUILD_BUG_ON(sizeof(struct fp_ws_sess) > FP_HTTP_UPGRADE_STATE);
	if (x->req == NULL || x->state != FP_HTTP_X_RUN || ops == NULL)
		return -EINVAL;
	status = fp_ws_check_request(x->req, &key);
	if (status != 0) {
		fp_count(fp_ws_st(x), FP_C_ws_refused, 1);
		fp_http_set_error(x, status, false);
		/* RFC 6455 4.2.2: a version it does not understand is answered
		 * with the versions it does.
		 */
		if (status == 426)
			fp_http_add_header(x, "Sec-WebSocket-Version", "13");
		return -EPROTO;
	}
	if ((proto != NULL && !fp_ws_offered(x, proto)) || fp_ws_accept_key(key, acc) != 0) {
		fp_http_set_error(x, 500, false);
		return -EINVAL;
	}
	if (fp_http_add_header(x, "Sec-WebSocket-Accept", acc) != 0 || (proto != NULL &&
			fp_http_add_header(x, "Sec-WebSocket-Protocol", proto) != 0)) {
		fp_http_set_error(x, 500, false);
		return -EINVAL;
	}
	/* The session is written where the extra headers were, once they
	 * have gone with the 101.
	 */
	w = fp_http_upgrade_state(x);
	ret = fp_http_upgrade(x, "websocket", &fp_ws_up_ops, w);
	if (ret == -ESHUTDOWN) {
		fp_http_set_error(x, 503, true);
		return ret;
	}
	/* -EPERM: an ON_RESPONSE hook set another answer, which stands. */
	if (ret != 0) {
		if (ret != -EPIPE && ret != -EPERM)
			fp_http_set_error(x, 400, false);
		return ret;
	}
	memset(w, 0, sizeof(*w));
	/* [http] max_body by default; a message gathered must fit one body
	 * buffer.
	 */
	cap = x->hw->rbuf_size - sizeof(struct fp_http_rbuf);
	max = p != NULL && p->max_message != 0 ? p->max_message : x->hw->srv->lim.max_body;
	/* 0 would be no limit to the reader: a buffer's size is one. */
	max = max != 0 ? RTE_MIN(max, cap) : cap;
	fp_ws_reader_init(&w->rd, max);
	w->ops = ops;
	w->arg = arg;
	w->close_ms = p != NULL && p->close_ms != 0 ? p->close_ms : FP_WS_CLOSE_MS;
	w->state = FP_WS_S_OPEN;
	fp_http_on_writable(x, fp_ws_writable, w);
	fp_http_on_close(x, fp_ws_on_close, w);
	fp_http_on_drain(x, fp_ws_drain, w);
	fp_count(fp_ws_st(x), FP_C_ws_opened, 1);
	fp_gauge_add(fp_ws_st(x), FP_G_ws_open, 1);
	return 0;
}

static struct fp_ws_sess *
fp_ws_of(struct fp_http_ctx *x)
{
	if (x->state != FP_HTTP_X_UPGRADED || x->up != &fp_ws_up_ops)
		return NULL;
	return x->uarg;
}

int
fp_ws_send(struct fp_http_ctx *x, uint8_t opcode, const void *data, size_t len)
{
	struct fp_ws_sess *w = fp_ws_of(x);
	int ret;

	if (w == NULL || w->state != FP_WS_S_OPEN)
		return -EPIPE;
	switch (opcode) {
	case FP_WS_OP_TEXT:
	case FP_WS_OP_BINARY:
		break;
	case FP_WS_OP_PING:
	case FP_WS_OP_PONG:
		if (len > FP_WS_CONTROL_MAX)
			return -EMSGSIZE;
		break;
	default:
		return -EINVAL;
	}
	ret = fp_ws_frame_out(x, opcode, data, len);
	if (ret == 0 && opcode <= FP_WS_OP_BINARY) {
		fp_count(fp_ws_st(x), FP_C_ws_messages_out, 1);
		fp_count(fp_ws_st(x), FP_C_ws_bytes_out, len);
	}
	return ret;
}

int
fp_ws_send_ref(struct fp_http_ctx *x, const void *frame, rte_iova_t iova, uint32_t len,
	struct rte_mbuf_ext_shared_info *sh, uint32_t payload_len, bool more)
{
	struct fp_ws_sess *w = fp_ws_of(x);
	int ret;

	if (w == NULL || w->state != FP_WS_S_OPEN)
		return -EPIPE;
	ret = fp_http_write_ref(x, frame, iova, len, sh, more);
	if (ret == 0) {
		fp_count(fp_ws_st(x), FP_C_ws_messages_out, 1);
		fp_count(fp_ws_st(x), FP_C_ws_bytes_out, payload_len);
	}
	return ret;
}

int
fp_ws_close(struct fp_http_ctx *x, uint16_t code, const char *reason)
{
	struct fp_ws_sess *w = fp_ws_of(x);
	uint8_t p[FP_WS_CONTROL_MAX];
	size_t rl = reason != NULL ? strlen(reason) : 0;

	if (w == NULL || w->state != FP_WS_S_OPEN)
		return -EPIPE;
	if (rl > FP_WS_CONTROL_MAX - 2)
		return -EINVAL;
	/* What the client may not send, the server may not either. */
	p[0] = code >> 8;
	p[1] = code & 0xff;
	if (rl != 0)
		memcpy(p + 2, reason, rl);
	if (fp_ws_close_check(p, rl + 2) != 0)
		return -EINVAL;
	w->state = FP_WS_S_CLOSING;
	if (!fp_ws_send_close(x, code, reason, rl))
		return 0;	/* reset: closed() said 1006 */
	fp_http_ctx_timer(x, w->close_ms, fp_ws_close_timeout, w);
	if (!(x->c->flags & FP_TCB_IN_CB))
		fp_tcp_push(x->hw->tcp, x->c);
	return 0;
}

/* /fastpath/ws: the WebSocket counters summed over the workers. */
static int
fp_ws_tel(const char *cmd __rte_unused, const char *params __rte_unused,
	struct rte_tel_data *d)
{
	struct rte_tel_data *codes;
	struct fp_stats tot;

	fp_stats_total(&tot);
	rte_tel_data_start_dict(d);
	rte_tel_data_add_dict_u64(d, "open", tot.g[FP_G_ws_open] > 0 ? tot.g[FP_G_ws_open] : 0);
	fp_tel_add_prefixed(d, fp_counter_names, tot.c, FP_C_MAX, "ws_");
	codes = fp_tel_dict();
	if (codes != NULL)
		fp_tel_add_prefixed(codes, fp_counter_names, tot.c, FP_C_MAX, "ws_close_");
	return fp_tel_put(d, "closes_sent", codes);
}

int
fp_ws_telemetry_init(void)
{
	static bool done;
	int ret;

	if (done)
		return 0;
	ret = rte_telemetry_register_cmd("/fastpath/ws", fp_ws_tel,
		"WebSocket: handshakes, messages and bytes each way, pings, close frames by code");
	if (ret == 0)
		done = true;
	return ret;
}
