/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The fastpath authors
 */

#ifndef FP_LOAD_H
#define FP_LOAD_H

/* An HTTP/1.1 load generator on fastpath's own TCP (active opens), for
 * fp-load: each worker keeps its share of the connections busy with one
 * request, checks every response (status, framing, body length) and puts
 * its latency in a histogram.
 *
 * Modes: keep-alive with up to `pipeline` requests in flight per
 * connection, or one connection per request (Connection: close). Closed
 * loop (a request as soon as a connection has room) or open loop at a fixed
 * rate, where a request's latency counts from when it was due, not from
 * when a connection was free to send it (as wrk2 does, so that a stalled
 * server cannot hide its stall). Every run ends at a duration or a request
 * count, whichever comes first, then waits at most `timeout_ms` for the
 * answers in flight and closes its connections.
 *
 * Everything runs on the worker through fp_load_poll() and TCP's callbacks:
 * no lock, no allocation after fp_load_worker_create().
 */

#include <stdbool.h>
#include <stdint.h>

#include <rte_mbuf.h>

#include "fp_hist.h"
#include "fp_http_parse.h"
#include "fp_tcp.h"

/* What can go wrong, each counted once: per request for what happens to a
 * request, per attempt for an active open that fails (unreachable: once a
 * run). X(arg, name, help).
 */
#define FP_LOAD_ERR_LIST(X, a) \
	X(a, unreachable,	"no ARP answer from the server (or its gateway)") \
	X(a, refused,		"the server answered a SYN with a RST") \
	X(a, connect_timeout,	"SYN retries ran out") \
	X(a, no_conn,		"no local port, connection or mbuf for an active open") \
	X(a, reset,		"the server reset a connection with requests in flight") \
	X(a, conn_timeout,	"retransmissions ran out with requests in flight") \
	X(a, closed_early,	"the server closed with requests in flight") \
	X(a, bad_head,		"a response head that does not parse") \
	X(a, head_too_large,	"a response head over max_head bytes") \
	X(a, bad_framing,	"bad Content-Length, or with Transfer-Encoding, or not HTTP/1") \
	X(a, bad_chunk,		"a malformed chunked body") \
	X(a, truncated,		"the connection ended inside a response") \
	X(a, unsolicited,	"bytes from the server with no request in flight") \
	X(a, status,		"a status other than the one expected") \
	X(a, body_length,	"a body of another length than the one expected") \
	X(a, timeout,		"no complete response within timeout_ms of its request") \
	X(a, abandoned,		"in flight on a connection closed for another error")

#define FP_LOAD_E_ENUM(a, name, help) FP_LOAD_E_##name,
enum fp_load_err {
	FP_LOAD_ERR_LIST(FP_LOAD_E_ENUM, _)
	FP_LOAD_E_MAX
};
#undef FP_LOAD_E_ENUM

/* What a worker counts: X(arg, name, help). */
#define FP_LOAD_COUNTER_LIST(X, a) \
	X(a, requests,		"requests sent") \
	X(a, responses,		"responses read whole, whatever their status") \
	X(a, ok,		"responses with no error: the expected status and length") \
	X(a, connects,		"connections established") \
	X(a, connect_attempts,	"SYNs sent (active opens)") \
	X(a, interim,		"1xx interim responses skipped") \
	X(a, status_2xx,	"responses 200-299") \
	X(a, status_3xx,	"responses 300-399") \
	X(a, status_4xx,	"responses 400-499") \
	X(a, status_5xx,	"responses 500-599") \
	X(a, bytes_in,		"bytes received from the server, heads and bodies") \
	X(a, body_bytes,	"body bytes received (chunked: decoded)") \
	X(a, backlog,		"open loop: due, but no connection had room before the end") \
	X(a, heads_memo,	"heads the same bytes as the last one parsed, so read as it was")

#define FP_LOAD_C_ENUM(a, name, help) FP_LOAD_C_##name,
enum fp_load_counter {
	FP_LOAD_COUNTER_LIST(FP_LOAD_C_ENUM, _)
	FP_LOAD_C_MAX
};
#undef FP_LOAD_C_ENUM

extern const char *const fp_load_err_names[FP_LOAD_E_MAX];
extern const char *const fp_load_err_help[FP_LOAD_E_MAX];
extern const char *const fp_load_counter_names[FP_LOAD_C_MAX];

/* Most requests in flight on one connection. */
#define FP_LOAD_PIPELINE_MAX 256

/* One worker's share of a run. */
struct fp_load_params {
	uint32_t raddr;		/* the server, network order */
	uint16_t rport;		/* host order */
	bool close;		/* one connection per request */
	bool head;		/* the request is a HEAD: answers have no body */
	uint32_t conns;		/* connections at once */
	uint32_t pipeline;	/* requests in flight per keep-alive connection */
	uint64_t rate;		/* requests per second; 0: closed loop */
	uint64_t requests;	/* at most this many requests; 0: no bound */
	uint64_t duration_ms;	/* issue requests for this long */
	uint32_t timeout_ms;	/* a response later than this is an error */
	uint32_t connect_ms;	/* ARP and SYN: give up on the server after this */
	uint16_t expect_status;	/* 0: any 2xx */
	int64_t expect_length;	/* body bytes; -1: any */
	uint32_t max_head;	/* longest response head held across segments */
	const char *req;	/* the request's bytes (fp_load_request()) */
	uint32_t req_len;
};

/* Phases of a worker's run. */
enum fp_load_phase {
	FP_LOAD_P_START,	/* waiting for fp_load_start() */
	FP_LOAD_P_ARP,		/* finding the server's (or gateway's) MAC */
	FP_LOAD_P_CONNECT,	/* keep-alive: opening the connections */
	FP_LOAD_P_RUN,		/* issuing requests; the bounds count from here */
	FP_LOAD_P_DRAIN,	/* bound reached: waiting for answers in flight */
	FP_LOAD_P_CLOSE,	/* closing the connections */
	FP_LOAD_P_DONE,
};

struct fp_load_conn;

#define FP_LOAD_MEMO_MAX 512	/* longest head remembered */

struct fp_load_worker {
	struct fp_load_params p;
	struct fp_tcp_lcore *tcp;
	struct fp_load_conn *conns;
	uint32_t *ready;		/* ring of connections with room (open loop) */
	uint32_t ready_head;
	uint32_t ready_n;
	uint64_t *t0;			/* conns x pipeline start times (TSC) */
	char *hbuf;			/* conns x max_head bytes */
	char *req;			/* the request, in hugepage memory */
	rte_iova_t req_iova;
	uint32_t req_sum;
	struct rte_mbuf_ext_shared_info sh;	/* never freed: attached mbufs count */
	uint64_t hz;
	uint64_t ns_mult;		/* ns = tsc * ns_mult >> 32 */
	uint64_t issued;		/* requests sent, or connections opened for one */
	uint64_t start_tsc;
	uint64_t end_tsc;		/* RUN ends here */
	uint64_t drain_tsc;		/* DRAIN, then CLOSE end here */
	uint64_t next_tsc;		/* open loop: when the next request is due */
	uint64_t tsc_per_req;		/* open loop */
	uint64_t last_tsc;		/* the last response */
	uint64_t stop_tsc;		/* when RUN ended */
	uint64_t retry_tsc;		/* no ARP request or active open before this */
	uint64_t phase_tsc;		/* when ARP or CONNECT began */
	uint32_t open;			/* connections opening or open */
	uint32_t established;		/* of which connected */
	uint32_t inflight;		/* requests in flight, all connections */
	uint32_t scan;			/* next idle slot to look at */
	volatile uint8_t phase;		/* enum fp_load_phase; read by telemetry */
	volatile bool stop;		/* fp_load_stop() */
	uint64_t c[FP_LOAD_C_MAX];
	uint64_t err[FP_LOAD_E_MAX];
	struct fp_hist lat;		/* ns */
	/* The last final head parsed whole, and what it said: a head of the
	 * same bytes says the same, and a server repeats its head but for the
	 * Date, which moves once a second.
	 */
	struct fp_http_resp_info memo_info;
	uint32_t memo_len;		/* 0: none */
	uint16_t memo_status;
	char memo[FP_LOAD_MEMO_MAX];
} __rte_cache_aligned;

/* Builds the request: "METHOD path HTTP/1.1", Host, the extra header lines
 * (each "Name: value", no line end), and Connection: close when close is
 * set. Returns its length, or -ENOSPC when it does not fit in cap, or
 * -EINVAL for a method, path, host or header line with a byte that would
 * break the request (a CR, LF, or in the path a space).
 */
int
fp_load_request(char *buf, uint32_t cap, const char *method, const char *host,
	const char *path, const char *const *headers, unsigned int nb_headers, bool close);

/* A worker's generator over t, with p (p->req is copied). Returns NULL with
 * rte_errno set (EINVAL for params out of range, ENOMEM).
 */
struct fp_load_worker *
fp_load_worker_create(const struct fp_load_params *p, struct fp_tcp_lcore *t, int socket);

void
fp_load_worker_free(struct fp_load_worker *w);

/* Starts the run at TSC now, before the worker starts: the server's MAC,
 * then (keep-alive) every connection, then requests, the bounds counting
 * from the first one. ARP and the connections get p->connect_ms each.
 */
void
fp_load_start(struct fp_load_worker *w, uint64_t now);

/* Ends the run early, as its bounds would (safe from any thread, and from
 * a signal handler).
 */
static inline void
fp_load_stop(struct fp_load_worker *w)
{
	__atomic_store_n(&w->stop, true, __ATOMIC_RELAXED);
}

/* The worker's poll, for fp_lcore's hook (arg the worker): opens
 * connections, issues what an open loop owes, moves through the phases.
 * Returns true when it did something.
 */
bool
fp_load_poll(void *arg, uint64_t now);

/* True once the worker's run is over (safe from any thread). */
static inline bool
fp_load_done(const struct fp_load_worker *w)
{
	return __atomic_load_n(&w->phase, __ATOMIC_ACQUIRE) == FP_LOAD_P_DONE;
}

/* Registers /fastpath/load over the workers (NULL to detach). Returns 0 or
 * a negative errno.
 */
int
fp_load_telemetry_init(struct fp_load_worker **w, unsigned int n);

#endif /* FP_LOAD_H */
