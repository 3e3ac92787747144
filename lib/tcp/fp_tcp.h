/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The fastpath authors
 */

#ifndef FP_TCP_H
#define FP_TCP_H

/* TCP as a transport that knows no application, shaped like lwIP's raw API:
 * an application listens or connects with a table of callbacks, gets
 * in-order bytes through recv (and says how many it took), queues pieces to
 * send (bytes to copy, or zero-copy references), and hears why a connection
 * ended through closed. Everything runs on the worker that owns the
 * connection; nothing here locks, sleeps or allocates from the heap.
 */

#include <stdbool.h>
#include <stdint.h>

#include <rte_ether.h>
#include <rte_mbuf.h>
#include <rte_mempool.h>
#include <rte_reciprocal.h>

#include "fp_common.h"
#include "fp_config.h"
#include "fp_stats.h"
#include "fp_txq.h"

/* RFC 9293 states; LISTEN is the listener table. */
enum fp_tcp_state {
	FP_TCP_CLOSED,
	FP_TCP_SYN_SENT,
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

/* Why a connection ended, as closed() hears it. */
#define FP_TCP_CLOSE_LIST(X) \
	X(normal,	"both sides closed") \
	X(reset,	"the peer sent a RST") \
	X(refused,	"the peer answered our SYN with a RST") \
	X(timeout,	"retransmissions or SYN retries ran out") \
	X(idle,		"the peer went silent while closing (FIN-WAIT-2 or linger)") \
	X(aborted,	"aborted locally (fp_tcp_abort, shutdown, limits)")

#define FP_TCP_CLOSE_ENUM(n, d) FP_TCP_CLOSE_##n,
enum fp_tcp_close {
	FP_TCP_CLOSE_LIST(FP_TCP_CLOSE_ENUM)
	FP_TCP_CLOSE_MAX
};
#undef FP_TCP_CLOSE_ENUM

extern const char *const fp_tcp_close_names[FP_TCP_CLOSE_MAX];

/* tcb flags */
#define FP_TCB_TS	0x0001	/* timestamps agreed (RFC 7323) */
#define FP_TCB_WS	0x0002	/* window scaling agreed */
#define FP_TCB_FIN_QUEUED 0x0004	/* close once the queue has gone out */
#define FP_TCB_FIN_SENT	0x0008	/* our FIN is at snd_nxt - 1 or acked */
#define FP_TCB_ACK_NOW	0x0010	/* an ACK is owed at the end of this input */
#define FP_TCB_RECOVERY	0x0020	/* NewReno fast recovery (RFC 6582) */
#define FP_TCB_COOKIE	0x0040	/* opened from a SYN cookie */
#define FP_TCB_RTT	0x0080	/* timing rtt_seq (no timestamps) */
#define FP_TCB_ACTIVE	0x0100	/* we sent the SYN */
#define FP_TCB_DETACHED	0x0200	/* closed() was called: no more callbacks */
#define FP_TCB_IN_CB	0x0400	/* inside a callback: output waits for its end */
#define FP_TCB_WND_UPD	0x0800	/* the application opened the window: tell the peer */
#define FP_TCB_SACK	0x1000	/* selective acknowledgments agreed (RFC 2018) */
#define FP_TCB_SACK_REC	0x2000	/* the recovery is led by the scoreboard (RFC 6675) */
#define FP_TCB_NAGLE	0x4000	/* small segments wait for the ACK of what is out (RFC 896) */
#define FP_TCB_PTO	0x8000	/* t_rexmit is a tail loss probe's timeout (RFC 8985 7) */

/* The transmission control block. Field names are the RFC's. An idle
 * connection costs this and its hash entry; queued data costs one piece
 * (struct fp_tcp_piece) per run of bytes.
 */
struct fp_tcb {
	/* Looked at for every segment. */
	uint32_t raddr;		/* network order */
	uint16_t rport;		/* network order */
	uint16_t lport;		/* network order */
	uint8_t state;
	uint8_t snd_wscale;	/* shift applied to the peer's windows */
	uint16_t flags;
	uint16_t mss;		/* effective send MSS, options excluded */
	uint8_t retries;
	uint8_t dupacks;
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
	uint32_t rcv_space;	/* what the application can take (its buffer) */
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
	uint32_t t_idle;	/* TIME-WAIT, SYN-RECEIVED life, FIN-WAIT-2, linger */
	uint32_t t_app;		/* the application's timer */
	uint32_t t_expire;	/* the wheel slot it is in (at or before the earliest); 0: none */
	uint32_t t_next;	/* wheel links: tcb index + 1, 0 for none; free: next free */
	uint32_t t_prev;
	union {
		/* The send queue: pieces from snd_una on, FIN excluded. */
		struct {
			uint32_t sq_head;	/* piece index + 1, 0 for none */
			uint32_t sq_tail;
		};
		/* TIME-WAIT, whose queue is empty: age order, tcb index + 1. */
		struct {
			uint32_t tw_next;
			uint32_t tw_prev;
		};
	};
	uint32_t sq_bytes;	/* queued and not yet acknowledged */
	uint32_t sq_off;	/* bytes of the head piece already acknowledged */
	uint32_t gen;		/* bumped each time the slot is reused */
	uint32_t ooo_head;	/* out-of-order queue, by sequence: entry index + 1 */
	uint32_t sb;		/* SACK scoreboard index + 1, 0 for none */
	/* The outstanding tail loss probe: [tlp_end - len, tlp_end), len the
	 * low 15 bits of tlp_len, FP_TLP_RTX set when it was sent before;
	 * sent at tlp_ms (modulo 2^16: one out for 65 s may look recent, which
	 * only holds the next probe back until the RTO ends it); tlp_end 0:
	 * none.
	 */
	uint32_t tlp_end;
	uint16_t tlp_len;
	uint16_t tlp_ms;
	uint16_t nb_ooo;	/* its entries */
	uint8_t ops;		/* index of its callbacks in the listener table */
	/* RFC 8985 6.2: RACK.reo_wnd_mult - 1 (bits 0-1) and
	 * RACK.reo_wnd_persist (bits 2-6).
	 */
	uint8_t reo;
	struct rte_ether_addr rmac;	/* the next hop's MAC */
	/* When (ms, modulo 2^16) an unacceptable segment last drew an ACK. */
	uint16_t bad_ack_ms;
	void *app;		/* the application's pointer */
};

#define FP_TLP_RTX 0x8000
#define FP_TLP_LEN 0x7fff

/* What only congestion avoidance and telemetry touch, one per tcb in a
 * parallel array (fp_tcb_cold()), so that the tcb stays within three cache
 * lines.
 */
struct fp_tcb_cold {
	/* CUBIC (RFC 9438): bytes, and ms of the worker clock. */
	uint32_t w_max;		/* the window at the last loss */
	uint32_t w_est;		/* the Reno-friendly estimate */
	uint32_t cubic_origin;	/* W_max of this epoch's curve */
	uint32_t cubic_k;	/* ms from the epoch to the origin */
	uint32_t cubic_epoch;	/* when congestion avoidance began; 0: not yet */
	uint32_t open_ms;	/* worker clock when the connection began */
};

struct fp_tcp_lcore;

/* What an application hears. Every callback runs on the connection's worker;
 * TCP sends what the callback queued once it returns. A callback may call
 * any function below on its own connection, fp_tcp_abort() included.
 */
struct fp_tcp_ops {
	/* A passive open completed (ESTABLISHED); arg is the listener's.
	 * Set the connection's pointer with fp_tcp_set_app(). Return 0 to
	 * keep it, or a negative errno to refuse it with a RST.
	 */
	int (*accept)(void *arg, struct fp_tcp_lcore *t, struct fp_tcb *c);
	/* An active open completed. */
	void (*connected)(void *app, struct fp_tcp_lcore *t, struct fp_tcb *c);
	/* In-order bytes. Returns how many it took: the rest is neither
	 * acknowledged nor offered again until the peer resends it.
	 */
	uint32_t (*recv)(void *app, struct fp_tcp_lcore *t, struct fp_tcb *c,
		const char *data, uint32_t len);
	/* The peer closed its direction (FIN): nothing more will arrive. */
	void (*fin)(void *app, struct fp_tcp_lcore *t, struct fp_tcb *c);
	/* acked bytes of queued data were acknowledged: room to send again. */
	void (*sent)(void *app, struct fp_tcp_lcore *t, struct fp_tcb *c, uint32_t acked);
	/* The application's timer (fp_tcp_set_timer) expired. */
	void (*timeout)(void *app, struct fp_tcp_lcore *t, struct fp_tcb *c);
	/* The connection is over for the application, for reason why: both
	 * directions closed (it may linger in TIME-WAIT without it), reset,
	 * timed out or aborted. Called once; c is not to be used after.
	 */
	void (*closed)(void *app, struct fp_tcp_lcore *t, struct fp_tcb *c,
		enum fp_tcp_close why);
	/* Writes bytes [off, off + len) of a piece queued by fp_tcp_send_gen()
	 * with key and aux, at dst: the same bytes every time it is asked,
	 * first send or retransmission. arg is the listener's. It may be
	 * called after closed(), while a shut-down queue drains, so it must
	 * not need the connection's application state.
	 */
	void (*fill)(void *arg, const void *key, uint64_t aux, uint32_t off, void *dst,
		uint32_t len);
};

/* One run of queued bytes: a copy in a TX chunk (sh NULL), a reference
 * into memory the application keeps alive through sh's refcount, or bytes
 * the application writes when they are sent (sh FP_TCP_PIECE_GEN, addr and
 * iova holding its key and aux).
 */
struct fp_tcp_piece {
	const uint8_t *addr;
	rte_iova_t iova;
	/* The shared info, its lowest bit set when its count is not held for
	 * the queue (fp_tcp_send_static); NULL for a copy.
	 */
	uintptr_t sh;
	uint32_t len;
	uint32_t next;		/* piece index + 1, 0 for none */
	uint32_t sum;		/* the bytes' fp_cksum_raw(), or FP_TCP_NOSUM */
};

#define FP_TCP_PIECE_NOREF 1
#define FP_TCP_PIECE_GEN 2	/* no shared info is at this address */

static inline struct rte_mbuf_ext_shared_info *
fp_tcp_piece_sh(const struct fp_tcp_piece *pc)
{
	return (struct rte_mbuf_ext_shared_info *)(pc->sh & ~(uintptr_t)FP_TCP_PIECE_NOREF);
}

/* One out-of-order segment held for reassembly (RFC 9293 3.10.7.4: "TCP
 * implementations ... should queue segments that are not in order"). It
 * holds one reference to its mbuf; data and len are what is still wanted of
 * it, which may be less than it brought (overlaps are trimmed).
 */
struct fp_tcp_ooo {
	struct rte_mbuf *m;
	const char *data;
	uint32_t seq;
	uint32_t len;
	uint32_t next;		/* entry index + 1, 0 for none */
	uint32_t tcb;		/* its connection's index, for reneging */
	uint32_t stamp;		/* arrival order */
	uint8_t fin;		/* the segment carried a FIN after len bytes */
};

/* SACKed ranges one scoreboard holds, and retransmissions it watches. */
#define FP_TCP_SB_BLOCKS 32
#define FP_TCP_SB_RXT 16

/* What the peer SACKed above snd_una, and the state of a SACK recovery
 * (RFC 6675, RFC 6937); one per connection that has SACK blocks.
 */
struct fp_tcp_sb {
	uint32_t blk[FP_TCP_SB_BLOCKS][2];	/* [left, right), sorted, disjoint */
	uint32_t nb;
	uint32_t sacked;	/* bytes in blk */
	uint32_t high_rxt;	/* one past the highest byte retransmitted */
	uint32_t recover_fs;	/* RFC 6937 RecoverFS */
	uint32_t prr_delivered;
	uint32_t prr_out;
	uint32_t sndcnt;	/* bytes this ACK lets go */
	/* Holes below lost_below are lost (RFC 8985's time order, known
	 * from a probe that arrived after them).
	 */
	uint32_t lost_below;
	/* Retransmissions in flight, oldest first: [seq, end) went again
	 * when snd_max was fence; data from fence on SACKed says it was lost.
	 */
	struct {
		uint32_t seq;
		uint32_t end;
		uint32_t fence;
	} rxt[FP_TCP_SB_RXT];
	uint32_t nb_rxt;
};

/* Bytes one copy piece holds. */
#define FP_TCP_CHUNK 512

/* What a worker's TCP needs from the configuration, in its own units. */
struct fp_tcp_params {
	uint32_t max_conns;
	uint32_t syn_backlog;
	uint32_t time_wait_ms;
	uint32_t fin_wait2_ms;
	uint32_t linger_ms;
	uint32_t rto_min_ms;
	uint32_t rto_max_ms;
	uint32_t retries;
	uint32_t syn_retries;
	uint32_t delack_ms;
	uint32_t challenge_acks;
	uint32_t invalid_ratelimit_ms;
	uint32_t rcv_wnd;
	uint32_t sndbuf;
	uint32_t pieces;	/* send-queue pieces per worker */
	uint32_t ooo_segs;	/* out-of-order entries per worker */
	uint32_t ooo_max;	/* out-of-order entries per connection */
	uint32_t sack_boards;	/* SACK scoreboards per worker */
	uint32_t init_cwnd;	/* initial window, in segments */
	bool sack;
	bool timestamps;
	uint8_t cc;		/* enum fp_cc */
	bool nagle;
	uint32_t chunks;	/* copy chunks per worker */
	uint16_t port_lo;	/* this worker's ephemeral ports */
	uint16_t port_hi;
	uint16_t mtu;
};

/* Fills p from cfg for worker w of nb_workers (each gets its own slice of
 * the ephemeral port range).
 */
void
fp_tcp_params_from(struct fp_tcp_params *p, const struct fp_config *cfg, unsigned int w,
	unsigned int nb_workers);

#define FP_TCP_WHEEL 4096	/* 1 ms slots */
#define FP_TCP_MAX_LISTENERS 16

struct fp_tcp_listener {
	uint16_t port;		/* network order; 0 for an active-open entry */
	const struct fp_tcp_ops *ops;
	void *arg;
};

struct rte_hash;

/* Finds the MAC of next hop ip (network order) for an active open. Returns
 * 0, or a negative errno (-EAGAIN while a resolution is under way).
 */
typedef int (*fp_tcp_resolve_t)(void *ctx, uint32_t ip, struct rte_ether_addr *mac);

/* One worker's TCP: connections, timers, keys and where segments go. */
struct fp_tcp_lcore {
	/* Hot. */
	const struct fp_iface *ifc;
	struct fp_stats *st;
	struct fp_txq *txq;
	struct rte_mempool *pool;	/* headers and control segments */
	struct rte_mempool *zc_pool;	/* payload-less mbufs for attached pieces */
	struct rte_hash *table;		/* 4-tuple -> tcb index */
	struct fp_tcb *tcbs;
	struct fp_tcb_cold *cold;	/* one per tcb, same index */
	uint32_t free_head;	/* free tcbs, linked by t_next: index + 1 */
	uint32_t nb_free;
	uint32_t now_ms;		/* worker clock, never 0 */
	uint64_t now_tsc;
	uint64_t tsc_base;
	uint64_t tsc_per_ms;
	struct rte_reciprocal_u64 ms_div;	/* dividing by tsc_per_ms: each burst */
	struct fp_tcp_piece *pieces;
	uint32_t *piece_free;
	uint32_t nb_piece_free;
	uint8_t *chunks;		/* FP_TCP_CHUNK bytes each */
	uint32_t *chunk_free;
	uint32_t nb_chunk_free;
	struct fp_tcp_sb *sbs;		/* p.sack_boards scoreboards */
	uint32_t *sb_free;
	uint32_t nb_sb_free;
	struct fp_tcp_ooo *ooo;		/* p.ooo_segs out-of-order entries */
	uint32_t *ooo_free;
	uint32_t nb_ooo_free;
	uint32_t ooo_stamp;		/* arrivals, for the SACK blocks' order */
	/* Timers. */
	uint32_t wheel_ms;		/* every slot before this was run */
	uint32_t *wheel;		/* FP_TCP_WHEEL heads, tcb index + 1 */
	uint32_t tw_oldest;		/* TIME-WAIT list, tcb index + 1 */
	uint32_t tw_newest;
	uint32_t nb_half_open;
	uint32_t chal_ms;		/* start of this challenge-ACK second */
	uint32_t chal_left;		/* this second's budget, drawn at random */
	uint32_t cookie_ms;		/* when the last SYN cookie went out */
	uint32_t hi_idx;		/* highest tcb index ever used + 1 */
	uint16_t next_port;		/* next ephemeral port to try */
	bool pool_low;			/* under 1/8 of the pool free, checked each ms */
	bool draining;			/* graceful shutdown: no new connections */
	uint16_t mss_max;
	uint8_t rcv_wscale;
	uint8_t nb_listeners;
	struct fp_tcp_listener listeners[FP_TCP_MAX_LISTENERS];
	fp_tcp_resolve_t resolve;
	void *resolve_ctx;
	struct fp_tcp_params p;
	uint8_t isn_key[16];
	uint8_t cookie_key[16];
	uint64_t isn_tick;	/* TSC ticks per 4 microseconds (RFC 6528's M) */
	struct rte_reciprocal_u64 isn_div;	/* dividing by isn_tick, without a division */
};

/* Sets up t for one worker: the connection table and its tcbs, the timer
 * wheel and the send-queue pieces, on socket. Returns 0 or a negative errno
 * with err set.
 */
int
fp_tcp_lcore_init(struct fp_tcp_lcore *t, const struct fp_tcp_params *p, unsigned int worker,
	int socket, struct fp_err *err);

/* Binds t to where it sends from. */
void
fp_tcp_lcore_attach(struct fp_tcp_lcore *t, const struct fp_iface *ifc, struct fp_stats *st,
	struct fp_txq *txq, struct rte_mempool *pool, struct rte_mempool *zc_pool);

/* Sets how active opens find the next hop's MAC. */
void
fp_tcp_set_resolver(struct fp_tcp_lcore *t, fp_tcp_resolve_t fn, void *ctx);

/* Frees every connection (their queued pieces included, with closed()
 * called as aborted) and what init made.
 */
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

/* fp_tcp_input() in the shape IPv4 dispatches to (an fp_ipv4_l4_fn, ctx
 * the worker's struct fp_tcp_lcore). Returns FP_TAKEN: the mbuf is TCP's.
 */
int
fp_tcp_ipv4_input(void *ctx, struct fp_stats *st, struct rte_mbuf *m, uint32_t off,
	uint32_t len);

/* Publishes the send-queue gauges (pieces and chunks in use): counted from
 * the free lists once a tick by fp_tcp_timers(), not on every send.
 */
static inline void
fp_tcp_gauges(struct fp_tcp_lcore *t)
{
	if (t->st == NULL)
		return;
	__atomic_store_n(&t->st->g[FP_G_tcp_pieces], (int64_t)(t->p.pieces - t->nb_piece_free),
		__ATOMIC_RELAXED);
	__atomic_store_n(&t->st->g[FP_G_tcp_chunks], (int64_t)(t->p.chunks - t->nb_chunk_free),
		__ATOMIC_RELAXED);
	__atomic_store_n(&t->st->g[FP_G_tcp_ooo_segments],
		(int64_t)(t->p.ooo_segs - t->nb_ooo_free), __ATOMIC_RELAXED);
	__atomic_store_n(&t->st->g[FP_G_tcp_sack_boards],
		(int64_t)(t->p.sack_boards - t->nb_sb_free), __ATOMIC_RELAXED);
}

/* Runs the timers due by now. */
void
fp_tcp_timers(struct fp_tcp_lcore *t);

/* Passive open: port (host order) is served with ops, accept() getting arg.
 * Returns 0, -EEXIST or -ENOSPC.
 */
int
fp_tcp_listen(struct fp_tcp_lcore *t, uint16_t port, const struct fp_tcp_ops *ops, void *arg);

/* Active open to raddr:rport (network order, host order) from one of this
 * worker's ephemeral ports, with app as the connection's pointer. Returns
 * the connection in SYN-SENT, or NULL with rte_errno set: EHOSTUNREACH (no
 * MAC for the next hop yet; an ARP request went out, try again), EADDRINUSE
 * (no free port toward that peer), ENOBUFS (table full or no mbuf), ENOSPC
 * (the listener table has no room for ops), ESHUTDOWN (draining). With more
 * than one worker, the NIC must steer each worker's port range to it (not
 * set up by fastpath yet).
 */
struct fp_tcb *
fp_tcp_connect(struct fp_tcp_lcore *t, uint32_t raddr, uint16_t rport,
	const struct fp_tcp_ops *ops, void *app);

/* Finds the MAC of raddr's next hop as fp_tcp_connect() would: 0 when it
 * is known, -EAGAIN when a resolution is under way (an ARP request went
 * out: ask again later), -ENOTSUP without a resolver.
 */
int
fp_tcp_resolve(struct fp_tcp_lcore *t, uint32_t raddr);

/* Queues len bytes of data, copied. Returns how many were queued (short
 * when the send buffer fills), -EAGAIN when none fit, or -EPIPE once the
 * connection was shut down for sending.
 */
int
fp_tcp_send_copy(struct fp_tcp_lcore *t, struct fp_tcb *c, const void *data, uint32_t len);

/* Queues len bytes at addr (IOVA iova) by reference: they go out attached,
 * never copied, and retransmissions attach them again. TCP holds one
 * reference of sh for as long as it needs the bytes. Returns like
 * fp_tcp_send_copy().
 */
int
fp_tcp_send_ref(struct fp_tcp_lcore *t, struct fp_tcb *c, const void *addr, rte_iova_t iova,
	uint32_t len, struct rte_mbuf_ext_shared_info *sh);

/* No sum given for fp_tcp_send_static(). */
#define FP_TCP_NOSUM UINT32_MAX

/* Like fp_tcp_send_ref() for bytes that outlive the connection and never
 * change, such as a file loaded at start whose sh never drops to zero: the
 * queue holds no reference (attached mbufs still take theirs), which saves
 * two atomic operations per piece. sum is fp_cksum_raw(addr, len) computed
 * once by the caller, or FP_TCP_NOSUM: on a port without TCP checksum
 * offload, a segment carrying the whole piece then adds sum instead of
 * reading the bytes again.
 */
int
fp_tcp_send_static(struct fp_tcp_lcore *t, struct fp_tcb *c, const void *addr,
	rte_iova_t iova, uint32_t len, struct rte_mbuf_ext_shared_info *sh, uint32_t sum);

/* Queues len bytes that the listener's ops->fill writes, from key and aux,
 * into each segment that carries them: no copy is kept in the queue, and
 * nothing is held. For small, generated bytes such as a response head
 * made from a template. All or nothing: returns len, or -EAGAIN (-ENOTCONN,
 * -EPIPE as fp_tcp_send_copy()) with nothing queued. key must stay valid
 * until the connection is freed; the listener's ops must have fill.
 */
int
fp_tcp_send_gen(struct fp_tcp_lcore *t, struct fp_tcb *c, const void *key, uint64_t aux,
	uint32_t len);

/* Bytes the worker's copy chunks can still take for all its connections
 * (fp_tcp_send_copy), roughly: at least this many.
 */
static inline uint32_t
fp_tcp_copy_room(const struct fp_tcp_lcore *t)
{
	return RTE_MIN(t->nb_chunk_free, t->nb_piece_free) * (uint32_t)FP_TCP_CHUNK;
}

/* Room left in c's send buffer, in bytes. */
static inline uint32_t
fp_tcp_sndbuf_room(const struct fp_tcp_lcore *t, const struct fp_tcb *c)
{
	return c->sq_bytes < t->p.sndbuf ? t->p.sndbuf - c->sq_bytes : 0;
}

/* Whether len bytes in at most pieces pieces of fp_tcp_send_gen(),
 * fp_tcp_send_ref() or fp_tcp_send_static() would be queued whole now (the
 * state allowing). Lets an application queue a few pieces all or nothing.
 */
static inline bool
fp_tcp_can_queue(const struct fp_tcp_lcore *t, const struct fp_tcb *c, uint32_t len,
	uint32_t pieces)
{
	return fp_tcp_sndbuf_room(t, c) >= len && t->nb_piece_free >= pieces;
}

/* Sends what the window allows now. Callbacks need not call it; code that
 * queues data from outside a callback (a timer of its own, a completion)
 * must.
 */
void
fp_tcp_push(struct fp_tcp_lcore *t, struct fp_tcb *c);

/* The application can take space more bytes: the window advertised follows
 * (never shrinking what was promised), and a window that opens by a segment
 * or more is announced at once.
 */
void
fp_tcp_rcv_space(struct fp_tcp_lcore *t, struct fp_tcb *c, uint32_t space);

/* Sends FIN once everything queued has gone out. The connection lingers
 * at most [tcp] linger_ms for that before it is reset.
 */
void
fp_tcp_shutdown(struct fp_tcp_lcore *t, struct fp_tcb *c);

/* Resets the connection (RFC 9293 3.10.5 ABORT); closed() is called with
 * FP_TCP_CLOSE_aborted before this returns.
 */
void
fp_tcp_abort(struct fp_tcp_lcore *t, struct fp_tcb *c);

/* Arms the application's timer ms from now (0 stops it). */
void
fp_tcp_set_timer(struct fp_tcp_lcore *t, struct fp_tcb *c, uint32_t ms);

/* The callbacks c was opened with. */
static inline const struct fp_tcp_ops *
fp_tcp_conn_ops(const struct fp_tcp_lcore *t, const struct fp_tcb *c)
{
	return t->listeners[c->ops].ops;
}

/* The arg of the listener c came through (NULL for an active open). */
static inline void *
fp_tcp_conn_arg(const struct fp_tcp_lcore *t, const struct fp_tcb *c)
{
	return t->listeners[c->ops].arg;
}

static inline void
fp_tcp_set_app(struct fp_tcb *c, void *app)
{
	c->app = app;
}

/* Nagle's algorithm on c (RFC 896, RFC 1122 4.2.3.4): on, a segment
 * shorter than the MSS waits while sent data is unacknowledged; off, it
 * goes at once. Connections start as [tcp] nagle says.
 */
static inline void
fp_tcp_set_nagle(struct fp_tcb *c, bool on)
{
	if (on)
		c->flags |= FP_TCB_NAGLE;
	else
		c->flags &= ~FP_TCB_NAGLE;
}

/* A stable name for c: its slot and generation. */
static inline uint32_t
fp_tcp_conn_id(const struct fp_tcp_lcore *t, const struct fp_tcb *c)
{
	return c - t->tcbs;
}

/* True when c is no longer the connection it was when gen was read from
 * it: it ended, or its slot holds another one now.
 */
static inline bool
fp_tcp_conn_gone(const struct fp_tcb *c, uint32_t gen)
{
	return c->state == FP_TCP_CLOSED || c->gen != gen;
}

/* Drops one reference of sh, as fp_tcp_send_ref() took it, freeing through
 * its callback at the last (with addr: callbacks should rely on fcb_opaque).
 */
static inline void
fp_tcp_sh_put(struct rte_mbuf_ext_shared_info *sh, const void *addr)
{
	if (rte_mbuf_ext_refcnt_update(sh, -1) == 0)
		sh->free_cb((void *)(uintptr_t)addr, sh->fcb_opaque);
}

/* The connection named (id, gen), or NULL when it has ended since. */
struct fp_tcb *
fp_tcp_conn_get(struct fp_tcp_lcore *t, uint32_t id, uint32_t gen);

/* True while queued data or our FIN waits to be acknowledged. */
static inline bool
fp_tcp_sending(const struct fp_tcb *c)
{
	return c->sq_bytes != 0 || ((c->flags & FP_TCB_FIN_QUEUED) && c->snd_una != c->snd_max);
}

/* Data bytes the peer acknowledged since the connection opened, SYN and
 * FIN excluded, modulo 2^32. For a synchronized connection.
 */
static inline uint32_t
fp_tcp_bytes_acked(const struct fp_tcb *c)
{
	return c->snd_una - c->iss - 1 -
		((c->flags & FP_TCB_FIN_SENT) && c->snd_una == c->snd_max);
}

/* Data bytes queued since the connection opened, modulo 2^32: the
 * acknowledged ones and those waiting.
 */
static inline uint32_t
fp_tcp_bytes_queued(const struct fp_tcb *c)
{
	return fp_tcp_bytes_acked(c) + c->sq_bytes;
}

/* Connections in use, in any state. */
uint32_t
fp_tcp_nb_conns(const struct fp_tcp_lcore *t);

/* Calls fn on every connection in use that has an application attached
 * (not detached), lowest slot first. fn may abort or shut down c.
 */
void
fp_tcp_foreach(struct fp_tcp_lcore *t, void (*fn)(void *arg, struct fp_tcp_lcore *t,
	struct fp_tcb *c), void *arg);

/* Graceful shutdown: SYNs get a RST from now on (the applications close
 * their own connections).
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
	uint32_t bytes_in;	/* bytes received (modulo 2^32) */
	uint32_t bytes_out;	/* bytes acknowledged (modulo 2^32) */
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

/* The TCP options of a segment, parsed. */
struct fp_tcp_opts {
	uint16_t mss;		/* 0 when not offered */
	uint8_t wscale;		/* 0xff when not offered */
	bool has_ts;
	bool sack_ok;
	uint8_t nb_sack;	/* SACK blocks (RFC 2018), at most 4 */
	uint32_t tsval;
	uint32_t tsecr;
	uint32_t sack[4][2];	/* left and right edges, host order */
};

/* Parses len bytes of TCP options. Returns 0, or -1 for an option whose
 * length is wrong. The one option parser of the tree: tests use it too.
 */
int
fp_tcp_parse_options(const uint8_t *o, uint32_t len, struct fp_tcp_opts *out);

#endif /* FP_TCP_H */
