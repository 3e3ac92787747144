/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The fastpath authors
 */

#ifndef FP_TCP_H
#define FP_TCP_H

#include <stdbool.h>
#include <stdint.h>

#include <rte_ether.h>
#include <rte_mbuf.h>
#include <rte_mempool.h>

#include "fp_common.h"
#include "fp_config.h"
#include "fp_http.h"
#include "fp_stats.h"
#include "fp_txq.h"

/* RFC 9293 states a server passes through; LISTEN is the port list. */
enum fp_tcp_state {
	FP_TCP_CLOSED,
	FP_TCP_SYN_RECEIVED,
	FP_TCP_ESTABLISHED,
	FP_TCP_CLOSE_WAIT,
	FP_TCP_LAST_ACK,
	FP_TCP_FIN_WAIT_1,
	FP_TCP_FIN_WAIT_2,
	FP_TCP_CLOSING,
	FP_TCP_TIME_WAIT,
	FP_TCP_NB_STATES
};

extern const char *const fp_tcp_state_names[FP_TCP_NB_STATES];

/* Responses a connection holds until they are acknowledged. */
#define FP_TCP_SQ 8

/* One queued response: its bytes are regenerated from the route on every
 * (re)transmission, so the stream is stored as 8 bytes, never as data.
 */
struct fp_tcp_sq_item {
	uint16_t route;
	uint8_t variant;
	uint8_t head;
	uint32_t date;		/* the second its Date header says */
};

/* tcb flags */
#define FP_TCB_TS	0x01	/* timestamps agreed (RFC 7323) */
#define FP_TCB_WS	0x02	/* window scaling agreed */
#define FP_TCB_FIN_QUEUED 0x04	/* close once the queue has gone out */
#define FP_TCB_FIN_SENT	0x08	/* our FIN is at snd_nxt - 1 or acked */
#define FP_TCB_ACK_NOW	0x10	/* an ACK is owed at the end of this input */
#define FP_TCB_RECOVERY	0x20	/* NewReno fast recovery (RFC 6582) */
#define FP_TCB_COOKIE	0x40	/* opened from a SYN cookie */
#define FP_TCB_RTT	0x80	/* timing rtt_seq (no timestamps) */

/* The transmission control block. Field names are the RFC's. */
struct fp_tcb {
	/* Looked at for every segment. */
	uint32_t raddr;		/* network order */
	uint16_t rport;		/* network order */
	uint16_t lport;		/* network order */
	uint8_t state;
	uint8_t flags;
	uint8_t snd_wscale;	/* shift applied to the peer's windows */
	uint8_t dupacks;
	uint16_t mss;		/* effective send MSS, options excluded */
	uint8_t retries;
	uint8_t sq_head;
	uint32_t snd_una;
	uint32_t snd_nxt;
	uint32_t snd_max;	/* highest sequence sent + 1 */
	uint32_t snd_wnd;
	uint32_t snd_wl1;
	uint32_t snd_wl2;
	uint32_t iss;
	uint32_t irs;
	uint32_t rcv_nxt;
	uint32_t rcv_adv;	/* right edge of the window we advertised */
	uint32_t ts_recent;
	/* Congestion control and RTT (RFC 5681, 6582, 6298). */
	uint32_t cwnd;
	uint32_t ssthresh;
	uint32_t recover;
	uint32_t max_snd_wnd;
	uint32_t srtt;		/* ms << 3 */
	uint32_t rttvar;	/* ms << 2 */
	uint32_t rto;		/* ms */
	uint32_t rtt_seq;
	uint32_t rtt_ms;	/* when rtt_seq was sent */
	/* Timers, in ms of the worker clock; 0 when off. */
	uint32_t t_rexmit;
	uint32_t t_delack;
	uint32_t t_idle;	/* keep-alive, header, TIME-WAIT or SYN-RECEIVED life */
	uint32_t t_expire;	/* where the wheel holds it; 0 when not linked */
	uint32_t t_next;	/* wheel links: tcb index + 1, 0 for none */
	uint32_t t_prev;
	uint32_t tw_next;	/* TIME-WAIT age order, same encoding */
	uint32_t tw_prev;
	uint32_t sq_off;	/* bytes of sq[sq_head] already acknowledged */
	uint8_t sq_len;
	struct rte_ether_addr rmac;	/* where the SYN came from */
	uint32_t open_ms;	/* worker clock when the SYN arrived */
	struct fp_http_conn http;
	struct fp_tcp_sq_item sq[FP_TCP_SQ];
};

/* What a worker's TCP needs from the configuration, in its own units. */
struct fp_tcp_params {
	uint32_t max_conns;
	uint32_t syn_backlog;
	uint32_t time_wait_ms;
	uint32_t rto_min_ms;
	uint32_t rto_max_ms;
	uint32_t retries;
	uint32_t delack_ms;
	uint32_t challenge_acks;
	uint32_t rcv_wnd;
	uint32_t keepalive_ms;
	uint32_t header_ms;
	uint32_t rxbufs;
	uint16_t mtu;
	uint16_t listen[FP_MAX_LISTEN];	/* network order */
	uint8_t nb_listen;
};

void
fp_tcp_params_from(struct fp_tcp_params *p, const struct fp_config *cfg);

#define FP_TCP_WHEEL 4096	/* 1 ms slots */

struct rte_hash;

/* One worker's TCP: connections, timers, keys and where segments go. */
struct fp_tcp_lcore {
	/* Hot. */
	const struct fp_iface *ifc;
	const struct fp_http_server *srv;
	struct fp_stats *st;
	struct fp_txq *txq;
	struct rte_mempool *pool;	/* headers and control segments */
	struct rte_mempool *zc_pool;	/* payload-less mbufs for attached bodies */
	struct rte_mempool *rxbufs;
	struct rte_hash *table;		/* 4-tuple -> tcb index */
	struct fp_tcb *tcbs;
	uint32_t *free_idx;
	uint32_t nb_free;
	uint32_t now_ms;		/* worker clock, never 0 */
	uint64_t now_tsc;
	uint64_t tsc_base;
	uint64_t tsc_per_ms;
	uint64_t date_tsc;		/* TSC at the start of date_sec */
	uint32_t date_sec;
	char date[FP_HTTP_DATE_LEN];
	unsigned int worker;		/* index into the bodies' shared infos */
	/* Timers. */
	uint32_t wheel_ms;		/* every slot before this was run */
	uint32_t *wheel;		/* FP_TCP_WHEEL heads, tcb index + 1 */
	uint32_t tw_oldest;		/* TIME-WAIT list, tcb index + 1 */
	uint32_t tw_newest;
	uint32_t nb_half_open;
	uint32_t chal_ms;		/* start of this challenge-ACK second */
	uint32_t chal_count;
	uint32_t cookie_ms;		/* when the last SYN cookie went out */
	bool pool_low;			/* under 1/8 of the pool free, checked each ms */
	bool draining;			/* graceful shutdown: no new connections */
	uint16_t mss_max;
	uint8_t rcv_wscale;
	struct fp_tcp_params p;
	uint8_t isn_key[16];
	uint8_t cookie_key[16];
};

/* Sets up t for one worker: the connection table and its tcbs, the timer
 * wheel and the request buffers, on socket. Returns 0 or a negative errno
 * with err set.
 */
int
fp_tcp_lcore_init(struct fp_tcp_lcore *t, const struct fp_tcp_params *p,
	const struct fp_http_server *srv, unsigned int worker, int socket,
	struct fp_err *err);

/* Binds t to where it sends from. */
void
fp_tcp_lcore_attach(struct fp_tcp_lcore *t, const struct fp_iface *ifc, struct fp_stats *st,
	struct fp_txq *txq, struct rte_mempool *pool, struct rte_mempool *zc_pool);

/* Frees every connection (their mbufs included) and what init made. */
void
fp_tcp_lcore_free(struct fp_tcp_lcore *t);

/* Moves the clock to TSC value tsc; call once per burst before input. */
void
fp_tcp_clock(struct fp_tcp_lcore *t, uint64_t tsc);

/* Handles one IPv4 packet for TCP (l2_len and l3_len set). Always takes
 * the mbuf: it is turned into a reply or freed.
 */
void
fp_tcp_input(struct fp_tcp_lcore *t, struct rte_mbuf *m);

/* Runs the timers due by now. */
void
fp_tcp_timers(struct fp_tcp_lcore *t);

/* Connections in use, in any state. */
uint32_t
fp_tcp_nb_conns(const struct fp_tcp_lcore *t);

/* Starts a graceful shutdown: SYNs get a RST from now on, idle keep-alive
 * connections are closed, and a connection with a request in progress is
 * closed after answering it.
 */
void
fp_tcp_drain(struct fp_tcp_lcore *t);

/* Ends every connection but those in TIME-WAIT with a RST (RFC 9293
 * 3.10.5 ABORT), so that peers learn at once rather than by timing out.
 * Returns how many.
 */
uint32_t
fp_tcp_reset_all(struct fp_tcp_lcore *t);

/* One connection, as the control plane shows it. */
struct fp_tcp_conn_info {
	uint32_t raddr;		/* network order */
	uint16_t rport;		/* host order */
	uint16_t lport;
	uint8_t state;
	uint32_t bytes_in;	/* request bytes received (modulo 2^32) */
	uint32_t bytes_out;	/* response bytes acknowledged (modulo 2^32) */
	uint32_t age_ms;
	uint32_t cwnd;
	uint32_t srtt_ms;
	uint32_t rto_ms;
};

/* Describes up to max connections into out; returns how many. Walks the
 * table up to the last connection in use, so it is for the control plane's
 * requests, not per packet.
 */
unsigned int
fp_tcp_conns_snapshot(const struct fp_tcp_lcore *t, struct fp_tcp_conn_info *out,
	unsigned int max);

/* Wraparound-safe sequence comparisons (RFC 9293 section 3.4). */
static inline bool
fp_seq_lt(uint32_t a, uint32_t b)
{
	return (int32_t)(a - b) < 0;
}

static inline bool
fp_seq_le(uint32_t a, uint32_t b)
{
	return (int32_t)(a - b) <= 0;
}

static inline bool
fp_seq_gt(uint32_t a, uint32_t b)
{
	return (int32_t)(a - b) > 0;
}

static inline bool
fp_seq_ge(uint32_t a, uint32_t b)
{
	return (int32_t)(a - b) >= 0;
}

/* Keyed hash (SipHash-2-4) used for ISNs (RFC 6528) and SYN cookies. */
uint64_t
fp_siphash(const uint8_t key[16], const void *data, size_t len);

#endif /* FP_TCP_H */
