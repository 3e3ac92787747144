/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The fastpath authors
 */

#ifndef FP_TCP_PRIV_H
#define FP_TCP_PRIV_H

/* Shared by tcp_conn.c, tcp_input.c, tcp_output.c and tcp_timer.c only. */

#include <rte_ip.h>
#include <rte_tcp.h>

#include "fp_ipv4.h"
#include "fp_tcp.h"

#define FP_TCP_HDR_MAX 60
#define FP_TCP_TS_LEN 12	/* NOP, NOP, kind 8 */
#define FP_TCP_IW 10		/* initial window in segments (RFC 6928) */
#define FP_TCP_RTO_INIT 1000	/* ms (RFC 6298 2.1) */
#define FP_TCP_SYNRCVD_MS 75000	/* life of an unanswered SYN-ACK */
#define FP_TCP_MAX_SEGS 16	/* mbufs in one TX chain */
#define FP_TCP_COPYBREAK 256	/* reference bytes copied, not attached, up to this */
#define FP_TCP_WS_MAX 14
#define FP_TCP_RTT_MAX_MS 600000u	/* longer is no RTT sample (10 minutes) */

/* A parsed segment. */
struct fp_tcp_seg {
	struct rte_mbuf *m;	/* the segment's mbuf */
	uint32_t seq;
	uint32_t ack;
	uint32_t len;		/* payload bytes */
	uint32_t wnd;		/* as received, not scaled */
	const char *data;
	uint8_t flags;		/* RTE_TCP_*_FLAG */
	struct fp_tcp_opts o;
};

/* The key of the connection table: the remote address, then the remote
 * and local ports (network order), as one little-endian word. Built in a
 * register and stored whole: two narrower stores read back as one word
 * stall store forwarding, once per segment.
 */
static inline uint64_t
fp_tcp_key(uint32_t raddr, uint16_t rport, uint16_t lport)
{
	return (uint64_t)raddr | (uint64_t)rport << 32 | (uint64_t)lport << 48;
}

static inline uint32_t
fp_tcb_idx(const struct fp_tcp_lcore *t, const struct fp_tcb *tcb)
{
	return tcb - t->tcbs;
}

static inline struct fp_tcb_cold *
fp_tcb_cold(const struct fp_tcp_lcore *t, const struct fp_tcb *tcb)
{
	return &t->cold[fp_tcb_idx(t, tcb)];
}

static inline uint32_t
fp_tcp_seglen(const struct fp_tcp_seg *s)
{
	return s->len + !!(s->flags & RTE_TCP_SYN_FLAG) + !!(s->flags & RTE_TCP_FIN_FLAG);
}

/* The sequence number of a segment that carries neither data nor SYN nor
 * FIN: the highest sent, as BSD does. snd_nxt is behind it while a timeout
 * resends from snd_una, and a peer that has those bytes already would find
 * such a sequence number below its window and ignore the ACK in it.
 */
static inline uint32_t
fp_tcp_ack_seq(const struct fp_tcb *tcb)
{
	return tcb->snd_max;
}

/* tcp_conn.c */
struct fp_tcb *
fp_tcb_lookup(struct fp_tcp_lcore *t, uint32_t raddr, uint16_t rport, uint16_t lport);
struct fp_tcb *
fp_tcb_new(struct fp_tcp_lcore *t, uint32_t raddr, uint16_t rport, uint16_t lport);
void
fp_tcb_free(struct fp_tcp_lcore *t, struct fp_tcb *tcb);
void
fp_tcb_drop(struct fp_tcp_lcore *t, struct fp_tcb *tcb, enum fp_tcp_close why);
void
fp_tcb_set_state(struct fp_tcp_lcore *t, struct fp_tcb *tcb, uint8_t state);
int
fp_tcp_listener(const struct fp_tcp_lcore *t, uint16_t lport);
uint32_t
fp_tcp_isn(const struct fp_tcp_lcore *t, uint32_t raddr, uint16_t rport, uint16_t lport);
uint32_t
fp_tcp_cookie_make(const struct fp_tcp_lcore *t, uint32_t raddr, uint16_t rport,
	uint16_t lport, uint32_t irs, uint16_t mss);
int
fp_tcp_cookie_check(const struct fp_tcp_lcore *t, uint32_t raddr, uint16_t rport,
	uint16_t lport, uint32_t irs, uint32_t iss, uint16_t *mss);
void
fp_tcb_time_wait(struct fp_tcp_lcore *t, struct fp_tcb *tcb);
bool
fp_tcp_evict_time_wait(struct fp_tcp_lcore *t);
void
fp_tcp_sq_advance(struct fp_tcp_lcore *t, struct fp_tcb *tcb, uint32_t acked);
void
fp_tcp_sq_clear(struct fp_tcp_lcore *t, struct fp_tcb *tcb);
void
fp_tcp_closed(struct fp_tcp_lcore *t, struct fp_tcb *tcb, enum fp_tcp_close why);
void
fp_tcp_cc_init(const struct fp_tcp_lcore *t, struct fp_tcb *tcb);

/* tcp_output.c */
void
fp_tcp_output(struct fp_tcp_lcore *t, struct fp_tcb *tcb);
int
fp_tcp_send_ctl(struct fp_tcp_lcore *t, struct fp_tcb *tcb, uint8_t flags, uint32_t seq);
void
fp_tcp_reply_rst(struct fp_tcp_lcore *t, struct rte_mbuf *m, const struct fp_tcp_seg *s);
void
fp_tcp_reply_synack(struct fp_tcp_lcore *t, struct rte_mbuf *m, const struct fp_tcp_seg *s,
	uint32_t iss, uint16_t mss);
bool
fp_tcp_challenge_ok(struct fp_tcp_lcore *t, struct fp_tcb *tcb);

/* Whether an unacceptable segment (out of the window, PAWS) may draw its
 * ACK: one per [tcp] invalid_ratelimit_ms per connection.
 */
bool
fp_tcp_oow_ok(struct fp_tcp_lcore *t, struct fp_tcb *tcb);
uint16_t
fp_tcp_rcv_wnd(const struct fp_tcp_lcore *t, struct fp_tcb *tcb);
void
fp_tcp_retransmit(struct fp_tcp_lcore *t, struct fp_tcb *tcb);
/* Sends [seq, seq + len) of the queue again (cut at its end), with the FIN
 * when it was sent after those bytes; counts the retransmission and stops
 * the RTT timing (Karn). Returns the sequence space sent.
 */
uint32_t
fp_tcp_resend(struct fp_tcp_lcore *t, struct fp_tcb *tcb, uint32_t seq, uint32_t len);

/* Builds and queues the data segment [seq, seq + len) of tcb's stream, with
 * FIN when fin; returns the sequence space sent (0: out of mbufs).
 */
uint32_t
fp_tcp_send_data(struct fp_tcp_lcore *t, struct fp_tcb *tcb, uint32_t seq, uint32_t len,
	bool fin);
void
fp_tcp_fin_sent(struct fp_tcp_lcore *t, struct fp_tcb *tcb);

/* tcp_timer.c */
void
fp_tcp_timer_update(struct fp_tcp_lcore *t, struct fp_tcb *tcb);
void
fp_tcp_timer_unlink(struct fp_tcp_lcore *t, struct fp_tcb *tcb);
void
fp_tcp_arm_rexmit(struct fp_tcp_lcore *t, struct fp_tcb *tcb);

/* Logs what happened to a connection at DEBUG (--log-level=fastpath.tcp:debug);
 * the level is checked before anything is formatted.
 */
#define FP_TCB_LOG(tcb, fmt, ...) do { \
	if (rte_log_can_log(fp_logtype_tcp, RTE_LOG_DEBUG)) { \
		const uint8_t *a_ = (const uint8_t *)&(tcb)->raddr; \
		FP_LOG(DEBUG, tcp, "%u.%u.%u.%u:%u > %u: " fmt, a_[0], a_[1], a_[2], a_[3], \
			rte_be_to_cpu_16((tcb)->rport), rte_be_to_cpu_16((tcb)->lport), \
			##__VA_ARGS__); \
	} \
} while (0)

/* A deadline: never 0, which means "off". */
static inline uint32_t
fp_tcp_deadline(const struct fp_tcp_lcore *t, uint32_t ms)
{
	uint32_t d = t->now_ms + ms;

	return d != 0 ? d : 1;
}

/* Runs callback expr on tcb with output held until it returns. */
#define FP_TCB_CALL(t, tcb, expr) do { \
	(tcb)->flags |= FP_TCB_IN_CB; \
	expr; \
	(tcb)->flags &= ~FP_TCB_IN_CB; \
} while (0)

/* fp_tcp_ooo.c: the out-of-order queue. */

/* Queues len bytes at data (in m, which gains a reference) for sequence
 * seq, after a hole: overlaps with queued bytes trimmed, queued segments it
 * covers replaced. False, with a counted drop, when it is not kept.
 */
bool
fp_tcp_ooo_add(struct fp_tcp_lcore *t, struct fp_tcb *tcb, struct rte_mbuf *m, uint32_t seq,
	const char *data, uint32_t len, bool fin);

/* The queued bytes that now start at rcv_nxt (stale ones dropped), or
 * NULL while a hole remains.
 */
const struct fp_tcp_ooo *
fp_tcp_ooo_front(struct fp_tcp_lcore *t, struct fp_tcb *tcb);

/* n bytes of the front entry were delivered; it goes when all were. */
void
fp_tcp_ooo_took(struct fp_tcp_lcore *t, struct fp_tcb *tcb, uint32_t n);

void
fp_tcp_ooo_clear(struct fp_tcp_lcore *t, struct fp_tcb *tcb);

/* Drops every connection's queue; returns the segments dropped. */
uint32_t
fp_tcp_ooo_renege(struct fp_tcp_lcore *t);

/* The SACK blocks of tcb's queue, most recent first, at most max; stamps
 * is scratch of max entries.
 */
unsigned int
fp_tcp_sack_blocks(const struct fp_tcp_lcore *t, const struct fp_tcb *tcb,
	uint32_t blocks[][2], uint32_t stamps[], unsigned int max);

/* fp_tcp_recovery.c: SACK-based loss recovery (RFC 6675) with PRR (RFC 6937). */

/* The SACK blocks of an acceptable ACK into tcb's scoreboard (after
 * snd_una moved); returns the bytes newly SACKed.
 */
uint32_t
fp_tcp_sb_update(struct fp_tcp_lcore *t, struct fp_tcb *tcb, const struct fp_tcp_opts *o);

/* RFC 6675 IsLost(HighACK + 1): the scoreboard says the first
 * unacknowledged segment is lost.
 */
bool
fp_tcp_sb_head_lost(const struct fp_tcp_lcore *t, const struct fp_tcb *tcb);
void
fp_tcp_sb_free(struct fp_tcp_lcore *t, struct fp_tcb *tcb);

/* After a retransmission timeout: SACK information is forgotten. */
void
fp_tcp_sb_reset(struct fp_tcp_lcore *t, struct fp_tcb *tcb);

/* Enters SACK recovery and resends the first segment; false when tcb has
 * no scoreboard with blocks (then NewReno's recovery applies).
 */
bool
fp_tcp_sack_enter(struct fp_tcp_lcore *t, struct fp_tcb *tcb);

/* An ACK in SACK recovery delivered this many bytes: PRR's budget. */
void
fp_tcp_prr(struct fp_tcp_lcore *t, struct fp_tcb *tcb, uint32_t delivered);
void
fp_tcp_sack_exit(struct fp_tcp_lcore *t, struct fp_tcb *tcb);

/* A duplicate ACK (newly SACKed bytes) on a connection with a scoreboard:
 * true when SACK recovery took it (entered, or paced by PRR).
 */
bool
fp_tcp_sack_dupack(struct fp_tcp_lcore *t, struct fp_tcb *tcb, uint32_t ack, uint32_t newly);
uint32_t
fp_tcp_sack_resend(struct fp_tcp_lcore *t, struct fp_tcb *tcb, uint32_t seq, uint32_t len);

/* Arms the tail loss probe's timeout (RFC 8985 7.2) when a probe may go,
 * else the retransmission timer.
 */
void
fp_tcp_arm_pto(struct fp_tcp_lcore *t, struct fp_tcb *tcb);

/* RFC 8985 6.2's reordering window adapts: tcb->reo. */
#define FP_REO_MULT 0x03	/* reo_wnd_mult - 1, at most 3 */
#define FP_REO_PERSIST_SHIFT 2
#define FP_REO_PERSIST 16	/* recoveries a widened window lasts */

/* A D-SACK (RFC 2883) came: a retransmission was not needed, so the
 * reordering window widens, for the next FP_REO_PERSIST recoveries.
 */
void
fp_tcp_reo_dsack(struct fp_tcp_lcore *t, struct fp_tcb *tcb);

/* A recovery ended: one fewer that a widened window lasts. */
void
fp_tcp_reo_recovered(struct fp_tcb *tcb);

/* An ACK at or past the outstanding probe's end: its episode is over, and
 * a retransmitted probe that repaired a loss reduces the window (RFC 8985
 * 7.4).
 */
void
fp_tcp_tlp_ack(struct fp_tcp_lcore *t, struct fp_tcb *tcb, const struct fp_tcp_seg *s);

/* Data SACKed above a hole: a timeout of RACK's reordering window, after
 * which the hole is taken as lost (RFC 8985 6.2), unless one is due
 * sooner.
 */
void
fp_tcp_arm_rack(struct fp_tcp_lcore *t, struct fp_tcb *tcb);

/* The probe timeout fired: new data or the last segment again, then the
 * retransmission timer.
 */
void
fp_tcp_tlp_fire(struct fp_tcp_lcore *t, struct fp_tcb *tcb);

/* Sends what SACK recovery allows; false when tcb is not in it. */
bool
fp_tcp_sack_output(struct fp_tcp_lcore *t, struct fp_tcb *tcb);

/* Congestion control ([tcp] congestion): a loss was detected; returns the
 * new ssthresh (and CUBIC remembers the window it happened at).
 */
uint32_t
fp_tcp_cc_loss(const struct fp_tcp_lcore *t, struct fp_tcb *tcb);

/* acked bytes were acknowledged in congestion avoidance: cwnd grows. */
void
fp_tcp_cc_ack(const struct fp_tcp_lcore *t, struct fp_tcb *tcb, uint32_t acked);

#endif /* FP_TCP_PRIV_H */
