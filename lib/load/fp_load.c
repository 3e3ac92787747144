/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The fastpath authors
 */

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <rte_common.h>
#include <rte_cycles.h>
#include <rte_errno.h>
#include <rte_malloc.h>
#include <rte_telemetry.h>

#include "fp_common.h"
#include "fp_http_chunked.h"
#include "fp_http_parse.h"
#include "fp_load.h"

#define FP_LOAD_E_NAME(a, name, help) #name,
const char *const fp_load_err_names[FP_LOAD_E_MAX] = {
	FP_LOAD_ERR_LIST(FP_LOAD_E_NAME, _)
};
#undef FP_LOAD_E_NAME

#define FP_LOAD_E_HELP(a, name, help) help,
const char *const fp_load_err_help[FP_LOAD_E_MAX] = {
	FP_LOAD_ERR_LIST(FP_LOAD_E_HELP, _)
};
#undef FP_LOAD_E_HELP

#define FP_LOAD_C_NAME(a, name, help) #name,
const char *const fp_load_counter_names[FP_LOAD_C_MAX] = {
	FP_LOAD_COUNTER_LIST(FP_LOAD_C_NAME, _)
};
#undef FP_LOAD_C_NAME

/* Where a connection is in the response it reads. */
enum fp_load_rx {
	FP_LOAD_RX_HEAD,
	FP_LOAD_RX_LENGTH,
	FP_LOAD_RX_CHUNKED,
	FP_LOAD_RX_CLOSE,	/* the body ends with the connection */
};

/* One connection slot; in close mode it serves one request at a time. */
struct fp_load_conn {
	struct fp_load_worker *w;
	struct fp_tcb *c;		/* NULL: idle */
	uint32_t idx;
	uint32_t inflight;		/* requests sent and not answered */
	uint32_t qh;			/* the oldest one's start in w->t0 */
	uint32_t hlen;			/* head bytes held in the slot's hbuf */
	uint16_t status;
	uint8_t rx;			/* enum fp_load_rx */
	bool keep_alive;		/* the response being read lets the connection stay */
	bool ready;			/* in w->ready */
	bool connected;
	bool closing;			/* no more requests on it */
	bool shut;			/* our FIN is queued (fp_tcp_shutdown) */
	uint64_t left;			/* FP_LOAD_RX_LENGTH: body bytes to come */
	uint64_t body;			/* body bytes of the response being read */
	uint64_t open_tsc;		/* close mode: when its request was due */
	struct fp_http_chunked ch;
};

/* ARP requests for the server go this often until it answers. */
#define FP_LOAD_ARP_RETRY_MS 10
/* At most this many SYNs per poll, so ACKs and answers get their turn. */
#define FP_LOAD_OPEN_BURST 32
/* CLOSE waits this long for the server's side of the closes. */
#define FP_LOAD_CLOSE_MS 1000

static inline uint64_t
fp_load_ns(const struct fp_load_worker *w, uint64_t tsc)
{
	return (uint64_t)(((unsigned __int128)tsc * w->ns_mult) >> 32);
}

static inline uint64_t *
fp_load_t0(struct fp_load_worker *w, const struct fp_load_conn *lc)
{
	return &w->t0[(size_t)lc->idx * w->p.pipeline];
}

static inline bool
fp_load_may_issue(const struct fp_load_worker *w)
{
	return w->phase == FP_LOAD_P_RUN && (w->p.requests == 0 || w->issued < w->p.requests);
}

static void
fp_load_ready_push(struct fp_load_worker *w, struct fp_load_conn *lc)
{
	if (lc->ready)
		return;
	lc->ready = true;
	w->ready[(w->ready_head + w->ready_n) % w->p.conns] = lc->idx;
	w->ready_n++;
}

static struct fp_load_conn *
fp_load_ready_pop(struct fp_load_worker *w)
{
	struct fp_load_conn *lc = &w->conns[w->ready[w->ready_head]];

	w->ready_head = (w->ready_head + 1) % w->p.conns;
	w->ready_n--;
	lc->ready = false;
	return lc;
}

/* No more requests on lc, and our FIN after what is queued. */
static void
fp_load_shut(struct fp_load_worker *w, struct fp_load_conn *lc)
{
	lc->closing = true;
	if (lc->shut)
		return;
	lc->shut = true;
	fp_tcp_shutdown(w->tcp, lc->c);
}

/* Arms lc's timer for its oldest request: timeout_ms from when it was due
 * (open loop) or sent, whatever it waited since; 0 when none is in flight.
 */
static void
fp_load_arm(struct fp_load_worker *w, struct fp_load_conn *lc, uint64_t now)
{
	uint64_t t0, age;

	if (lc->inflight == 0) {
		fp_tcp_set_timer(w->tcp, lc->c, 0);
		return;
	}
	t0 = fp_load_t0(w, lc)[lc->qh];
	age = now > t0 ? (now - t0) * MS_PER_S / w->hz : 0;
	fp_tcp_set_timer(w->tcp, lc->c, age < w->p.timeout_ms ? w->p.timeout_ms - age : 1);
}

/* Queues one request on lc, due at t0. Returns 0 or -EAGAIN (no room). */
static int
fp_load_send(struct fp_load_worker *w, struct fp_load_conn *lc, uint64_t t0)
{
	struct fp_tcp_lcore *t = w->tcp;

	if (!fp_tcp_can_queue(t, lc->c, w->p.req_len, 1) ||
			fp_tcp_send_static(t, lc->c, w->req, w->req_iova, w->p.req_len, &w->sh,
				w->req_sum) != (int)w->p.req_len)
		return -EAGAIN;
	fp_load_t0(w, lc)[(lc->qh + lc->inflight) % w->p.pipeline] = t0;
	if (lc->inflight++ == 0)
		fp_load_arm(w, lc, t->now_tsc > t0 ? t->now_tsc : t0);
	w->inflight++;
	w->c[FP_LOAD_C_requests]++;
	if (!w->p.close)
		w->issued++;
	return 0;
}

/* Closed loop: fills lc's pipeline now; open loop: lc waits its turn. */
static void
fp_load_refill(struct fp_load_worker *w, struct fp_load_conn *lc)
{
	if (lc->closing || w->p.close)
		return;
	if (w->p.rate != 0) {
		if (lc->inflight < w->p.pipeline)
			fp_load_ready_push(w, lc);
		return;
	}
	while (lc->inflight < w->p.pipeline && fp_load_may_issue(w))
		if (fp_load_send(w, lc, w->tcp->now_tsc) != 0) {
			fp_load_ready_push(w, lc);
			return;
		}
}

/* Counts the requests still in flight on lc as err (the first as first),
 * and forgets them.
 */
static void
fp_load_lose(struct fp_load_worker *w, struct fp_load_conn *lc, enum fp_load_err first,
	enum fp_load_err rest)
{
	if (lc->inflight == 0)
		return;
	w->err[first]++;
	w->err[rest] += lc->inflight - 1;
	w->inflight -= lc->inflight;
	lc->inflight = 0;
}

/* A response went wrong: count it, and end the connection. */
static void
fp_load_fail(struct fp_load_worker *w, struct fp_load_conn *lc, enum fp_load_err err)
{
	if (lc->inflight == 0)
		w->err[err]++;
	fp_load_lose(w, lc, err, FP_LOAD_E_abandoned);
	fp_tcp_abort(w->tcp, lc->c);
}

/* The response at the head of lc's queue is read whole. */
static void
fp_load_complete(struct fp_load_worker *w, struct fp_load_conn *lc)
{
	struct fp_tcp_lcore *t = w->tcp;
	uint64_t t0 = fp_load_t0(w, lc)[lc->qh], now = t->now_tsc;
	bool ok = true;

	lc->qh = (lc->qh + 1) % w->p.pipeline;
	lc->inflight--;
	w->inflight--;
	lc->rx = FP_LOAD_RX_HEAD;
	w->c[FP_LOAD_C_responses]++;
	w->c[FP_LOAD_C_status_2xx + lc->status / 100 - 2]++;
	w->c[FP_LOAD_C_body_bytes] += lc->body;
	w->last_tsc = now;
	fp_hist_add(&w->lat, fp_load_ns(w, now > t0 ? now - t0 : 0));
	if (w->p.expect_status != 0 ? lc->status != w->p.expect_status :
			lc->status < 200 || lc->status > 299) {
		w->err[FP_LOAD_E_status]++;
		ok = false;
	} else if (w->p.expect_length >= 0 && lc->body != (uint64_t)w->p.expect_length) {
		w->err[FP_LOAD_E_body_length]++;
		ok = false;
	}
	if (ok)
		w->c[FP_LOAD_C_ok]++;
	if (w->p.close && !lc->keep_alive) {
		/* The server closes, as asked: waiting for its FIN leaves
		 * TIME-WAIT to it, not to our ports (timeout_ms at most).
		 */
		lc->closing = true;
		fp_tcp_set_timer(t, lc->c, w->p.timeout_ms);
		return;
	}
	if (w->p.close || !lc->keep_alive) {
		/* Pipelined requests after a "close" are lost when it closes. */
		fp_load_arm(w, lc, now);
		fp_load_shut(w, lc);
		return;
	}
	/* One timer update a response: the next one's deadline, or the new
	 * request's (fp_load_send arms it), or none.
	 */
	if (lc->inflight != 0)
		fp_load_arm(w, lc, now);
	fp_load_refill(w, lc);
	if (lc->inflight == 0)
		fp_tcp_set_timer(t, lc->c, 0);
}

/* A final response's head said status and info: its body, if any, next. */
static void
fp_load_final(struct fp_load_worker *w, struct fp_load_conn *lc, uint16_t status,
	const struct fp_http_resp_info *info)
{
	lc->status = status;
	lc->keep_alive = info->keep_alive;
	lc->body = 0;
	switch (info->body) {
	case FP_HTTP_BODY_NONE:
		fp_load_complete(w, lc);
		break;
	case FP_HTTP_BODY_LENGTH:
		lc->left = info->content_length;
		lc->rx = FP_LOAD_RX_LENGTH;
		if (lc->left == 0)
			fp_load_complete(w, lc);
		break;
	case FP_HTTP_BODY_CHUNKED:
		fp_http_chunked_init(&lc->ch, 0);
		lc->rx = FP_LOAD_RX_CHUNKED;
		break;
	default:
		lc->rx = FP_LOAD_RX_CLOSE;
		break;
	}
}

/* Takes a response head from the bytes at data (lc->hlen of it already
 * held). Returns the bytes of data used, 0 when all were held and more are
 * needed, or -1 when the connection failed.
 */
static int64_t
fp_load_head(struct fp_load_worker *w, struct fp_load_conn *lc, const char *data, uint32_t len)
{
	struct fp_http_response resp;
	struct fp_http_resp_info info;
	char *hb = w->hbuf + (size_t)lc->idx * w->p.max_head;
	uint32_t held = lc->hlen, add;
	int ret;

	if (held == 0) {
		if (w->memo_len != 0 && len >= w->memo_len &&
				memcmp(data, w->memo, w->memo_len) == 0) {
			w->c[FP_LOAD_C_heads_memo]++;
			fp_load_final(w, lc, w->memo_status, &w->memo_info);
			return w->memo_len;
		}
		ret = fp_http_parse_response(data, len, &resp);
		add = len;
	} else {
		add = RTE_MIN(len, w->p.max_head - held);
		memcpy(hb + held, data, add);
		ret = fp_http_parse_response(hb, held + add, &resp);
	}
	if (ret == -2) {
		if (held + add >= w->p.max_head || (held == 0 && len >= w->p.max_head)) {
			fp_load_fail(w, lc, FP_LOAD_E_head_too_large);
			return -1;
		}
		if (held == 0)
			memcpy(hb, data, len);
		lc->hlen = held + add;
		return 0;
	}
	if (ret < 0) {
		fp_load_fail(w, lc, FP_LOAD_E_bad_head);
		return -1;
	}
	lc->hlen = 0;
	if (fp_http_resp_analyze(&resp, w->p.head, &info) != 0) {
		fp_load_fail(w, lc, FP_LOAD_E_bad_framing);
		return -1;
	}
	/* RFC 9110 15.2: "A client MUST be able to parse one or more 1xx
	 * responses received prior to a final response". 101 would switch
	 * protocols, which no request of ours asks for.
	 */
	if (resp.status < 200) {
		if (resp.status == 101) {
			fp_load_fail(w, lc, FP_LOAD_E_status);
			return -1;
		}
		w->c[FP_LOAD_C_interim]++;
		return (int64_t)ret - held;
	}
	if (held == 0 && (uint32_t)ret <= sizeof(w->memo)) {
		memcpy(w->memo, data, ret);
		w->memo_len = ret;
		w->memo_status = resp.status;
		w->memo_info = info;
	}
	fp_load_final(w, lc, resp.status, &info);
	return (int64_t)ret - held;
}

/* Body bytes at data; returns those used, or -1 when the connection failed. */
static int64_t
fp_load_body(struct fp_load_worker *w, struct fp_load_conn *lc, const char *data, uint32_t len)
{
	const char *d;
	size_t dl;
	int64_t n;

	switch (lc->rx) {
	case FP_LOAD_RX_LENGTH:
		n = (int64_t)RTE_MIN((uint64_t)len, lc->left);
		lc->left -= n;
		lc->body += n;
		if (lc->left == 0)
			fp_load_complete(w, lc);
		return n;
	case FP_LOAD_RX_CHUNKED:
		n = fp_http_chunked_decode(&lc->ch, data, len, &d, &dl);
		if (n < 0) {
			fp_load_fail(w, lc, FP_LOAD_E_bad_chunk);
			return -1;
		}
		lc->body += dl;
		if (fp_http_chunked_done(&lc->ch))
			fp_load_complete(w, lc);
		return n;
	default:
		lc->body += len;
		return len;
	}
}

static uint32_t
fp_load_recv(void *app, struct fp_tcp_lcore *t, struct fp_tcb *c, const char *data,
	uint32_t len)
{
	struct fp_load_conn *lc = app;
	struct fp_load_worker *w = lc->w;
	uint32_t off = 0;
	int64_t n;

	RTE_SET_USED(t);
	RTE_SET_USED(c);
	w->c[FP_LOAD_C_bytes_in] += len;
	while (off < len) {
		if (lc->rx == FP_LOAD_RX_HEAD) {
			if (lc->inflight == 0) {
				fp_load_fail(w, lc, FP_LOAD_E_unsolicited);
				break;
			}
			n = fp_load_head(w, lc, data + off, len - off);
			if (n == 0)
				break;
		} else {
			n = fp_load_body(w, lc, data + off, len - off);
		}
		if (n < 0)
			break;
		off += n;
	}
	return len;
}

static void
fp_load_connected(void *app, struct fp_tcp_lcore *t, struct fp_tcb *c)
{
	struct fp_load_conn *lc = app;
	struct fp_load_worker *w = lc->w;

	RTE_SET_USED(c);
	lc->connected = true;
	w->established++;
	w->c[FP_LOAD_C_connects]++;
	fp_tcp_set_timer(t, lc->c, 0);
	if (w->p.close) {
		if (fp_load_send(w, lc, lc->open_tsc) != 0)
			fp_load_fail(w, lc, FP_LOAD_E_no_conn);
		return;
	}
	fp_load_refill(w, lc);
}

/* The server closed its side: a body that ends with the connection is
 * whole; anything else in flight is lost.
 */
static void
fp_load_fin(void *app, struct fp_tcp_lcore *t, struct fp_tcb *c)
{
	struct fp_load_conn *lc = app;
	struct fp_load_worker *w = lc->w;

	RTE_SET_USED(c);
	if (lc->rx == FP_LOAD_RX_CLOSE)
		fp_load_complete(w, lc);
	if (lc->rx != FP_LOAD_RX_HEAD || lc->hlen != 0)
		fp_load_lose(w, lc, FP_LOAD_E_truncated, FP_LOAD_E_closed_early);
	else
		fp_load_lose(w, lc, FP_LOAD_E_closed_early, FP_LOAD_E_closed_early);
	fp_tcp_set_timer(t, lc->c, 0);
	fp_load_shut(w, lc);
}

/* lc's timer: its oldest request is late, or its SYN went unanswered. */
static void
fp_load_timeout(void *app, struct fp_tcp_lcore *t, struct fp_tcb *c)
{
	struct fp_load_conn *lc = app;
	struct fp_load_worker *w = lc->w;

	if (!lc->connected) {
		w->err[FP_LOAD_E_connect_timeout]++;
		fp_tcp_abort(t, c);
		return;
	}
	/* Nothing in flight: the server did not close as it said it would. */
	if (lc->inflight == 0) {
		fp_load_shut(w, lc);
		return;
	}
	fp_load_lose(w, lc, FP_LOAD_E_timeout, FP_LOAD_E_abandoned);
	fp_tcp_abort(t, c);
}

static void
fp_load_closed(void *app, struct fp_tcp_lcore *t, struct fp_tcb *c, enum fp_tcp_close why)
{
	struct fp_load_conn *lc = app;
	struct fp_load_worker *w = lc->w;

	RTE_SET_USED(c);
	if (!lc->connected) {
		/* The next active open waits a millisecond: a server that
		 * refuses is not to be flooded with SYNs.
		 */
		if (why == FP_TCP_CLOSE_refused)
			w->err[FP_LOAD_E_refused]++;
		else if (why == FP_TCP_CLOSE_timeout)
			w->err[FP_LOAD_E_connect_timeout]++;
		if (why != FP_TCP_CLOSE_aborted)
			w->retry_tsc = t->now_tsc + w->hz / MS_PER_S;
	} else if (why == FP_TCP_CLOSE_reset) {
		fp_load_lose(w, lc, FP_LOAD_E_reset, FP_LOAD_E_reset);
	} else if (why == FP_TCP_CLOSE_timeout) {
		fp_load_lose(w, lc, FP_LOAD_E_conn_timeout, FP_LOAD_E_conn_timeout);
	} else {
		fp_load_lose(w, lc, FP_LOAD_E_closed_early, FP_LOAD_E_closed_early);
	}
	if (lc->connected)
		w->established--;
	lc->c = NULL;
	lc->connected = false;
	lc->closing = false;
	lc->shut = false;
	lc->rx = FP_LOAD_RX_HEAD;
	lc->hlen = 0;
	lc->qh = 0;
	w->open--;
}

static const struct fp_tcp_ops fp_load_ops = {
	.connected = fp_load_connected,
	.recv = fp_load_recv,
	.fin = fp_load_fin,
	.timeout = fp_load_timeout,
	.closed = fp_load_closed,
};

/* Opens a connection in an idle slot, its request (close mode) due at
 * due. Returns 0, -EAGAIN to try later, or -ENOENT when no slot is idle.
 */
static int
fp_load_open(struct fp_load_worker *w, uint64_t now, uint64_t due)
{
	struct fp_load_conn *lc = NULL;
	uint32_t i;

	if (now < w->retry_tsc)
		return -EAGAIN;
	for (i = 0; i < w->p.conns; i++) {
		lc = &w->conns[(w->scan + i) % w->p.conns];
		if (lc->c == NULL)
			break;
	}
	if (i == w->p.conns)
		return -ENOENT;
	w->scan = (lc->idx + 1) % w->p.conns;
	lc->c = fp_tcp_connect(w->tcp, w->p.raddr, w->p.rport, &fp_load_ops, lc);
	if (lc->c == NULL) {
		/* EHOSTUNREACH: the ARP entry expired, and a request went out. */
		if (rte_errno != EHOSTUNREACH)
			w->err[FP_LOAD_E_no_conn]++;
		w->retry_tsc = now + w->hz / MS_PER_S;
		return -EAGAIN;
	}
	w->open++;
	w->c[FP_LOAD_C_connect_attempts]++;
	lc->inflight = 0;
	lc->open_tsc = due;
	if (w->p.close)
		w->issued++;
	fp_tcp_set_timer(w->tcp, lc->c, w->p.connect_ms);
	fp_tcp_push(w->tcp, lc->c);
	return 0;
}

/* RUN: keeps the connections open (keep-alive), or opens one per request
 * (close mode, closed loop).
 */
static bool
fp_load_open_more(struct fp_load_worker *w, uint64_t now)
{
	unsigned int n;

	if (w->p.close && w->p.rate != 0)
		return false;
	for (n = 0; n < FP_LOAD_OPEN_BURST && w->open < w->p.conns; n++) {
		if (w->p.close && !fp_load_may_issue(w))
			break;
		if (fp_load_open(w, now, now) != 0)
			break;
	}
	return n != 0;
}

/* Open loop: every request that is due, on a connection with room (close
 * mode: a new connection); one that finds none waits, still timed from
 * when it was due.
 */
static bool
fp_load_issue_due(struct fp_load_worker *w, uint64_t now)
{
	struct fp_load_conn *lc;
	bool work = false;

	/* Ends: each turn sends one request or takes a connection without
	 * room out of the ring.
	 */
	while (fp_load_may_issue(w) && (w->p.rate == 0 || now >= w->next_tsc)) {
		if (w->p.close) {
			if (w->open >= w->p.conns || fp_load_open(w, now, w->next_tsc) != 0)
				break;
		} else {
			if (w->ready_n == 0)
				break;
			lc = fp_load_ready_pop(w);
			if (lc->c == NULL || !lc->connected || lc->closing ||
					lc->inflight >= w->p.pipeline)
				continue;
			if (fp_load_send(w, lc, w->p.rate != 0 ? w->next_tsc : now) != 0) {
				fp_load_ready_push(w, lc);
				break;
			}
			fp_tcp_push(w->tcp, lc->c);
			if (lc->inflight < w->p.pipeline)
				fp_load_ready_push(w, lc);
		}
		w->next_tsc += w->tsc_per_req;
		work = true;
	}
	return work;
}

/* CLOSE: requests still in flight are late; the rest close with a FIN. */
static void
fp_load_close_all(struct fp_load_worker *w)
{
	struct fp_load_conn *lc;
	uint32_t i;

	for (i = 0; i < w->p.conns; i++) {
		lc = &w->conns[i];
		if (lc->c == NULL)
			continue;
		if (lc->inflight != 0 || !lc->connected) {
			/* Close mode: the request this connection was for. */
			if (!lc->connected && w->p.close)
				w->err[FP_LOAD_E_connect_timeout]++;
			fp_load_lose(w, lc, FP_LOAD_E_timeout, FP_LOAD_E_timeout);
			fp_tcp_abort(w->tcp, lc->c);
		} else if (!lc->shut) {
			fp_load_shut(w, lc);
			fp_tcp_push(w->tcp, lc->c);
		}
	}
}

static void
fp_load_abort_all(struct fp_load_worker *w)
{
	uint32_t i;

	for (i = 0; i < w->p.conns; i++)
		if (w->conns[i].c != NULL)
			fp_tcp_abort(w->tcp, w->conns[i].c);
}

/* Open loop, at the end of RUN: the requests that fell due but never
 * found a connection with room, the backlog a stalling server leaves (or
 * a client that was not scheduled).
 */
static void
fp_load_count_backlog(struct fp_load_worker *w, uint64_t now)
{
	uint64_t n, end = RTE_MIN(now, w->end_tsc);

	if (w->p.rate == 0)
		return;
	/* What fell due before the end goes first, if it can. */
	fp_load_issue_due(w, end);
	if (end <= w->next_tsc)
		return;
	n = (end - w->next_tsc - 1) / w->tsc_per_req + 1;
	if (w->p.requests != 0)
		n = RTE_MIN(n, w->p.requests - RTE_MIN(w->issued, w->p.requests));
	w->c[FP_LOAD_C_backlog] += n;
}

/* RUN begins: the bounds count from now, and the connections open so far
 * get their first requests (open loop: as they fall due).
 */
static void
fp_load_run(struct fp_load_worker *w, uint64_t now)
{
	struct fp_load_conn *lc;
	uint32_t i;

	w->start_tsc = now;
	w->next_tsc = now;
	w->last_tsc = now;
	w->end_tsc = now + w->hz / MS_PER_S * w->p.duration_ms;
	w->phase = FP_LOAD_P_RUN;
	fp_tcp_clock(w->tcp, now);
	for (i = 0; i < w->p.conns; i++) {
		lc = &w->conns[i];
		if (lc->c == NULL || !lc->connected)
			continue;
		fp_load_refill(w, lc);
		fp_tcp_push(w->tcp, lc->c);
	}
}

/* ARP: the server's MAC, asked again every FP_LOAD_ARP_RETRY_MS; with no
 * answer within connect_ms no request could ever leave, and the run ends.
 */
static bool
fp_load_arp(struct fp_load_worker *w, uint64_t now)
{
	if (now < w->retry_tsc)
		return false;
	if (fp_tcp_resolve(w->tcp, w->p.raddr) == 0) {
		w->phase_tsc = now;
		if (w->p.close)
			fp_load_run(w, now);
		else
			w->phase = FP_LOAD_P_CONNECT;
	} else if (now - w->phase_tsc > w->hz / MS_PER_S * w->p.connect_ms) {
		w->err[FP_LOAD_E_unreachable]++;
		w->start_tsc = w->stop_tsc = w->last_tsc = now;
		__atomic_store_n(&w->phase, FP_LOAD_P_DONE, __ATOMIC_RELEASE);
	} else {
		w->retry_tsc = now + w->hz / MS_PER_S * FP_LOAD_ARP_RETRY_MS;
	}
	return true;
}

bool
fp_load_poll(void *arg, uint64_t now)
{
	struct fp_load_worker *w = arg;
	bool work = false;

	if (unlikely(w->stop) && w->phase < FP_LOAD_P_RUN)
		fp_load_run(w, now);
	switch (w->phase) {
	case FP_LOAD_P_ARP:
		work = fp_load_arp(w, now);
		break;
	case FP_LOAD_P_CONNECT:
		if (w->established == w->p.conns ||
				now - w->phase_tsc > w->hz / MS_PER_S * w->p.connect_ms)
			fp_load_run(w, now);
		else
			work = fp_load_open_more(w, now);
		break;
	case FP_LOAD_P_RUN:
		if (now >= w->end_tsc || w->stop ||
				(w->p.requests != 0 && w->issued >= w->p.requests)) {
			fp_load_count_backlog(w, now);
			w->stop_tsc = now;
			w->drain_tsc = now + w->hz / MS_PER_S * w->p.timeout_ms;
			w->phase = FP_LOAD_P_DRAIN;
			return true;
		}
		work = fp_load_open_more(w, now);
		work |= fp_load_issue_due(w, now);
		break;
	case FP_LOAD_P_DRAIN:
		/* Answers in flight, and (close mode) requests whose connection
		 * is still opening.
		 */
		if ((w->inflight != 0 || (w->p.close && w->open != w->established)) &&
				now < w->drain_tsc)
			break;
		fp_load_close_all(w);
		w->drain_tsc = now + w->hz / MS_PER_S * FP_LOAD_CLOSE_MS;
		w->phase = FP_LOAD_P_CLOSE;
		work = true;
		break;
	case FP_LOAD_P_CLOSE:
		if (w->open != 0 && now < w->drain_tsc)
			break;
		fp_load_abort_all(w);
		__atomic_store_n(&w->phase, FP_LOAD_P_DONE, __ATOMIC_RELEASE);
		work = true;
		break;
	default:
		break;
	}
	return work;
}

void
fp_load_start(struct fp_load_worker *w, uint64_t now)
{
	w->phase_tsc = now;
	w->retry_tsc = 0;
	__atomic_store_n(&w->phase, FP_LOAD_P_ARP, __ATOMIC_RELEASE);
}

static int
fp_load_hdr_ok(const char *s, bool no_space)
{
	for (; *s != '\0'; s++)
		if (*s == '\r' || *s == '\n' || (no_space && (*s == ' ' || *s == '\t')))
			return 0;
	return 1;
}

int
fp_load_request(char *buf, uint32_t cap, const char *method, const char *host,
	const char *path, const char *const *headers, unsigned int nb_headers, bool close)
{
	unsigned int i;
	int n, k;

	if (method[0] == '\0' || path[0] == '\0' || !fp_load_hdr_ok(method, true) ||
			!fp_load_hdr_ok(path, true) || !fp_load_hdr_ok(host, true))
		return -EINVAL;
	n = snprintf(buf, cap, "%s %s HTTP/1.1\r\nHost: %s\r\n", method, path, host);
	for (i = 0; i < nb_headers && n >= 0 && (uint32_t)n < cap; i++) {
		if (!fp_load_hdr_ok(headers[i], false) || strchr(headers[i], ':') == NULL)
			return -EINVAL;
		k = snprintf(buf + n, cap - n, "%s\r\n", headers[i]);
		n = k < 0 ? k : n + k;
	}
	if (n >= 0 && (uint32_t)n < cap) {
		k = snprintf(buf + n, cap - n, "%s\r\n", close ? "Connection: close\r\n" : "");
		n = k < 0 ? k : n + k;
	}
	if (n < 0 || (uint32_t)n >= cap)
		return -ENOSPC;
	return n;
}

static void
fp_load_sh_keep(void *addr, void *opaque)
{
	RTE_SET_USED(addr);
	RTE_SET_USED(opaque);
}

struct fp_load_worker *
fp_load_worker_create(const struct fp_load_params *p, struct fp_tcp_lcore *t, int socket)
{
	struct fp_load_worker *w;
	uint32_t i;

	/* Every connection needs a port of the worker's own, and the request
	 * must fit the send buffer whole.
	 */
	if (p->conns == 0 || p->conns > t->p.max_conns ||
			p->conns > (uint32_t)(t->p.port_hi - t->p.port_lo + 1) ||
			p->req_len > t->p.sndbuf || p->pipeline == 0 ||
			p->pipeline > FP_LOAD_PIPELINE_MAX || (p->close && p->pipeline != 1) ||
			p->req_len == 0 || p->max_head < 256 || p->timeout_ms == 0 ||
			p->connect_ms == 0 || p->rport == 0) {
		rte_errno = EINVAL;
		return NULL;
	}
	w = rte_zmalloc_socket("fp_load", sizeof(*w), RTE_CACHE_LINE_SIZE, socket);
	if (w == NULL) {
		rte_errno = ENOMEM;
		return NULL;
	}
	w->p = *p;
	w->tcp = t;
	w->conns = rte_zmalloc_socket("fp_load_conns", sizeof(*w->conns) * p->conns,
		RTE_CACHE_LINE_SIZE, socket);
	w->ready = rte_zmalloc_socket("fp_load_ready", sizeof(*w->ready) * p->conns, 0, socket);
	w->t0 = rte_zmalloc_socket("fp_load_t0", sizeof(*w->t0) * p->conns * p->pipeline,
		RTE_CACHE_LINE_SIZE, socket);
	w->hbuf = rte_malloc_socket("fp_load_hbuf", (size_t)p->conns * p->max_head,
		RTE_CACHE_LINE_SIZE, socket);
	w->req = rte_malloc_socket("fp_load_req", p->req_len, RTE_CACHE_LINE_SIZE, socket);
	if (w->conns == NULL || w->ready == NULL || w->t0 == NULL || w->hbuf == NULL ||
			w->req == NULL) {
		fp_load_worker_free(w);
		rte_errno = ENOMEM;
		return NULL;
	}
	memcpy(w->req, p->req, p->req_len);
	w->p.req = w->req;
	w->req_iova = rte_malloc_virt2iova(w->req);
	w->req_sum = fp_cksum_raw(w->req, p->req_len);
	w->sh.free_cb = fp_load_sh_keep;
	rte_mbuf_ext_refcnt_set(&w->sh, 1);
	for (i = 0; i < p->conns; i++) {
		w->conns[i].w = w;
		w->conns[i].idx = i;
	}
	w->hz = rte_get_tsc_hz();
	w->ns_mult = (uint64_t)(((unsigned __int128)NS_PER_S << 32) / w->hz);
	w->tsc_per_req = p->rate != 0 ? RTE_MAX(w->hz / p->rate, (uint64_t)1) : 0;
	fp_hist_reset(&w->lat);
	w->phase = FP_LOAD_P_START;
	return w;
}

void
fp_load_worker_free(struct fp_load_worker *w)
{
	if (w == NULL)
		return;
	rte_free(w->conns);
	rte_free(w->ready);
	rte_free(w->t0);
	rte_free(w->hbuf);
	rte_free(w->req);
	rte_free(w);
}

/* Telemetry: the workers' counters summed, read while they run. */
static struct fp_load_worker **fp_load_tel_w;
static unsigned int fp_load_tel_n;
static struct fp_guard fp_load_tel_guard;

static const char *const fp_load_phase_names[] = {
	[FP_LOAD_P_START] = "start",
	[FP_LOAD_P_ARP] = "arp",
	[FP_LOAD_P_CONNECT] = "connect",
	[FP_LOAD_P_RUN] = "run",
	[FP_LOAD_P_DRAIN] = "drain",
	[FP_LOAD_P_CLOSE] = "close",
	[FP_LOAD_P_DONE] = "done",
};

static int
fp_load_tel(const char *cmd, const char *params, struct rte_tel_data *d)
{
	uint64_t c[FP_LOAD_C_MAX] = { 0 }, e[FP_LOAD_E_MAX] = { 0 }, open = 0, inflight = 0;
	uint64_t p50, p99;
	struct rte_tel_data *errs;
	unsigned int i, k, phase = FP_LOAD_P_DONE;
	/* Each telemetry client has a thread: no static scratch. */
	struct fp_hist *lat = malloc(sizeof(*lat));

	RTE_SET_USED(cmd);
	RTE_SET_USED(params);
	if (lat == NULL)
		return -ENOMEM;
	if (fp_guard_enter(&fp_load_tel_guard) == 0) {
		fp_guard_exit(&fp_load_tel_guard);
		free(lat);
		return -ENODEV;
	}
	fp_hist_reset(lat);
	for (i = 0; i < fp_load_tel_n; i++) {
		const struct fp_load_worker *w = fp_load_tel_w[i];

		for (k = 0; k < FP_LOAD_C_MAX; k++)
			c[k] += __atomic_load_n(&w->c[k], __ATOMIC_RELAXED);
		for (k = 0; k < FP_LOAD_E_MAX; k++)
			e[k] += __atomic_load_n(&w->err[k], __ATOMIC_RELAXED);
		open += __atomic_load_n(&w->open, __ATOMIC_RELAXED);
		inflight += __atomic_load_n(&w->inflight, __ATOMIC_RELAXED);
		phase = RTE_MIN(phase, (unsigned int)__atomic_load_n(&w->phase,
			__ATOMIC_RELAXED));
		fp_hist_merge(lat, &w->lat);
	}
	fp_guard_exit(&fp_load_tel_guard);
	p50 = fp_hist_quantile(lat, 0.5);
	p99 = fp_hist_quantile(lat, 0.99);
	free(lat);
	errs = rte_tel_data_alloc();
	if (errs == NULL)
		return -ENOMEM;
	rte_tel_data_start_dict(d);
	rte_tel_data_add_dict_string(d, "phase", fp_load_phase_names[phase]);
	for (k = 0; k < FP_LOAD_C_MAX; k++)
		rte_tel_data_add_dict_u64(d, fp_load_counter_names[k], c[k]);
	rte_tel_data_add_dict_u64(d, "open", open);
	rte_tel_data_add_dict_u64(d, "inflight", inflight);
	rte_tel_data_add_dict_u64(d, "latency_p50_us", p50 / 1000);
	rte_tel_data_add_dict_u64(d, "latency_p99_us", p99 / 1000);
	rte_tel_data_start_dict(errs);
	for (k = 0; k < FP_LOAD_E_MAX; k++)
		rte_tel_data_add_dict_u64(errs, fp_load_err_names[k], e[k]);
	rte_tel_data_add_dict_container(d, "errors", errs, 0);
	return 0;
}

int
fp_load_telemetry_init(struct fp_load_worker **w, unsigned int n)
{
	static bool done;
	int ret;

	fp_guard_retire(&fp_load_tel_guard);
	fp_load_tel_w = w;
	fp_load_tel_n = w != NULL ? n : 0;
	if (w != NULL)
		fp_guard_publish(&fp_load_tel_guard, 1);
	if (done)
		return 0;
	ret = rte_telemetry_register_cmd("/fastpath/load", fp_load_tel,
		"fp-load: requests, responses, errors by kind, open connections, latency p50/p99 "
		"(us), summed over the workers");
	if (ret == 0)
		done = true;
	return ret;
}
