/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The fastpath authors
 */

#include <rte_tcp.h>

#include "fp_tcp_priv.h"

/* A hashed timer wheel of FP_TCP_WHEEL one-millisecond slots. Each tcb sits
 * in at most one slot, at or before its earliest deadline (a deadline that
 * moves later or stops leaves it where it is); later rounds stay in the
 * slot and are skipped until their millisecond comes. Arming, moving and
 * stopping are O(1) list operations.
 */

__rte_hot void
fp_tcp_timer_unlink(struct fp_tcp_lcore *t, struct fp_tcb *tcb)
{
	uint32_t slot;

	if (tcb->t_expire == 0)
		return;
	slot = tcb->t_expire % FP_TCP_WHEEL;
	if (tcb->t_prev != 0)
		t->tcbs[tcb->t_prev - 1].t_next = tcb->t_next;
	else
		t->wheel[slot] = tcb->t_next;
	if (tcb->t_next != 0)
		t->tcbs[tcb->t_next - 1].t_prev = tcb->t_prev;
	tcb->t_next = 0;
	tcb->t_prev = 0;
	tcb->t_expire = 0;
}

static uint32_t
fp_tcp_earliest(uint32_t a, uint32_t b)
{
	if (a == 0)
		return b;
	if (b == 0)
		return a;
	return fp_seq_lt(a, b) ? a : b;
}

__rte_hot void
fp_tcp_timer_update(struct fp_tcp_lcore *t, struct fp_tcb *tcb)
{
	uint32_t e = fp_tcp_earliest(fp_tcp_earliest(tcb->t_rexmit, tcb->t_delack),
		fp_tcp_earliest(tcb->t_idle, tcb->t_app));
	uint32_t me = fp_tcb_idx(t, tcb) + 1, slot;

	/* A deadline already past runs at the next slot the wheel visits. */
	if (e != 0 && fp_seq_lt(e, t->wheel_ms))
		e = t->wheel_ms;
	/* Linked at or before the earliest deadline: stay. When that slot
	 * comes, fp_tcp_fire() finds nothing due and links it again. Each
	 * request would otherwise move it twice (the ACK stops the
	 * retransmission timer, the answer starts it again).
	 */
	if (tcb->t_expire != 0 && (e == 0 || fp_seq_le(tcb->t_expire, e)))
		return;
	fp_tcp_timer_unlink(t, tcb);
	if (e == 0)
		return;
	slot = e % FP_TCP_WHEEL;
	tcb->t_expire = e;
	tcb->t_prev = 0;
	tcb->t_next = t->wheel[slot];
	if (tcb->t_next != 0)
		t->tcbs[tcb->t_next - 1].t_prev = me;
	t->wheel[slot] = me;
}

__rte_hot void
fp_tcp_arm_rexmit(struct fp_tcp_lcore *t, struct fp_tcb *tcb)
{
	tcb->flags &= ~FP_TCB_PTO;
	tcb->t_rexmit = fp_tcp_deadline(t, tcb->rto);
	fp_tcp_timer_update(t, tcb);
}

static bool
fp_tcp_due(const struct fp_tcp_lcore *t, uint32_t deadline)
{
	return deadline != 0 && fp_seq_le(deadline, t->now_ms);
}

/* Returns false when the tcb was freed. */
static bool
fp_tcp_rexmit_timeout(struct fp_tcp_lcore *t, struct fp_tcb *tcb)
{
	uint32_t flight = tcb->snd_max - tcb->snd_una;

	tcb->t_rexmit = 0;
	if (tcb->state == FP_TCP_TIME_WAIT || tcb->state == FP_TCP_CLOSED)
		return true;
	if (tcb->flags & FP_TCB_PTO) {
		if (flight != 0) {
			fp_tcp_tlp_fire(t, tcb);
			return true;
		}
		tcb->flags &= ~FP_TCB_PTO;
	}
	/* RFC 9293 3.8.6.1: probe a zero window; the peer's ACK reopens it.
	 * Data held back by a window too small to use (sender SWS avoidance,
	 * 3.8.6.2.1) is probed for the same way, as its "override timeout":
	 * the update that would release it may have been lost. The probe is
	 * a byte-less segment below snd_una, which every TCP must answer with
	 * an ACK.
	 */
	if (flight == 0 && tcb->state != FP_TCP_SYN_RECEIVED) {
		if (tcb->sq_bytes == 0)
			return true;
		/* RFC 1122 4.2.2.17: "As long as the receiving TCP continues
		 * to send acknowledgments in response to the probe segments,
		 * the sending TCP MUST allow the connection to stay open." Any
		 * ACK resets the count (fp_tcp_ack); a peer that answers none
		 * of [tcp] retries probes is gone, and would hold the tcb for
		 * ever (Linux: tcp_retries2 on probes too).
		 */
		if (++tcb->retries > t->p.retries) {
			FP_TCB_LOG(tcb, "dropped after %u unanswered window probes",
				tcb->retries - 1);
			fp_tcp_send_ctl(t, tcb, RTE_TCP_RST_FLAG, tcb->snd_nxt);
			fp_count(t->st, FP_C_tcp_probe_timeouts, 1);
			fp_count(t->st, FP_C_tcp_aborts, 1);
			fp_tcb_drop(t, tcb, FP_TCP_CLOSE_timeout);
			return false;
		}
		fp_tcp_send_ctl(t, tcb, RTE_TCP_ACK_FLAG, tcb->snd_una - 1);
		fp_count(t->st, FP_C_tcp_window_probes, 1);
		tcb->rto = RTE_MIN(tcb->rto * 2, t->p.rto_max_ms);
		fp_tcp_arm_rexmit(t, tcb);
		return true;
	}
	if (++tcb->retries > (tcb->state == FP_TCP_SYN_SENT ? t->p.syn_retries : t->p.retries)) {
		FP_TCB_LOG(tcb, "aborted after %u retransmissions (%s)", tcb->retries - 1,
			fp_tcp_state_names[tcb->state]);
		if (tcb->state != FP_TCP_SYN_SENT) {
			fp_tcp_send_ctl(t, tcb, RTE_TCP_RST_FLAG, tcb->snd_nxt);
			fp_count(t->st, FP_C_tcp_aborts, 1);
		}
		fp_tcb_drop(t, tcb, FP_TCP_CLOSE_timeout);
		return false;
	}
	fp_count(t->st, FP_C_tcp_timeouts, 1);
	/* RFC 6298 5.5: "The host MUST set RTO <- RTO * 2 ("back off the
	 * timer")"; the maximum keeps it bounded.
	 */
	tcb->rto = RTE_MIN(tcb->rto * 2, t->p.rto_max_ms);
	/* RFC 5681 (4): ssthresh = max(FlightSize / 2, 2 * SMSS), and cwnd
	 * goes down to the loss window of one segment.
	 */
	tcb->ssthresh = fp_tcp_cc_loss(t, tcb);
	tcb->cwnd = tcb->mss;
	tcb->flags &= ~FP_TCB_RECOVERY;
	tcb->dupacks = 0;
	tcb->tlp_end = 0;
	if (tcb->sb != 0)
		fp_tcp_sb_reset(t, tcb);
	fp_tcp_retransmit(t, tcb);
	fp_tcp_arm_rexmit(t, tcb);
	return true;
}

/* Returns false when the tcb was freed. */
static bool
fp_tcp_idle_timeout(struct fp_tcp_lcore *t, struct fp_tcb *tcb)
{
	tcb->t_idle = 0;
	switch (tcb->state) {
	case FP_TCP_TIME_WAIT:
		fp_tcb_free(t, tcb);
		return false;
	case FP_TCP_SYN_RECEIVED:
		/* A SYN nobody completed. */
		fp_tcb_drop(t, tcb, FP_TCP_CLOSE_timeout);
		return false;
	default:
		/* Nothing more will come of it: a closing peer that went
		 * silent (FIN-WAIT-2), or a close whose data and FIN could not
		 * go out within the linger time.
		 */
		FP_TCB_LOG(tcb, "peer silent in %s: dropped", fp_tcp_state_names[tcb->state]);
		if (tcb->state != FP_TCP_FIN_WAIT_2)
			fp_tcp_send_ctl(t, tcb, RTE_TCP_RST_FLAG, tcb->snd_nxt);
		fp_count(t->st, FP_C_tcp_aborts, 1);
		fp_tcb_drop(t, tcb, FP_TCP_CLOSE_idle);
		return false;
	}
}

static void
fp_tcp_fire(struct fp_tcp_lcore *t, struct fp_tcb *tcb)
{
	const struct fp_tcp_ops *ops;
	uint32_t gen = tcb->gen;

	if (fp_tcp_due(t, tcb->t_idle) && !fp_tcp_idle_timeout(t, tcb))
		return;
	if (fp_tcp_due(t, tcb->t_rexmit) && !fp_tcp_rexmit_timeout(t, tcb))
		return;
	if (fp_tcp_due(t, tcb->t_delack)) {
		tcb->t_delack = 0;
		fp_tcp_send_ctl(t, tcb, RTE_TCP_ACK_FLAG, fp_tcp_ack_seq(tcb));
	}
	if (fp_tcp_due(t, tcb->t_app)) {
		tcb->t_app = 0;
		ops = fp_tcp_conn_ops(t, tcb);
		if (!(tcb->flags & FP_TCB_DETACHED) && ops->timeout != NULL) {
			FP_TCB_CALL(t, tcb, ops->timeout(tcb->app, t, tcb));
			if (fp_tcp_conn_gone(tcb, gen))
				return;
			fp_tcp_output(t, tcb);
			if (tcb->state == FP_TCP_CLOSED)
				return;
		}
	}
	fp_tcp_timer_update(t, tcb);
}

__rte_hot void
fp_tcp_timers(struct fp_tcp_lcore *t)
{
	uint32_t idx, next, ms;
	struct fp_tcb *tcb;

	/* Counting the free mbufs walks every lcore cache: once a tick, not
	 * once a SYN.
	 */
	if (t->pool != NULL)
		t->pool_low = rte_mempool_avail_count(t->pool) < t->pool->size / 8;
	if (t->pool_low && t->nb_ooo_free != t->p.ooo_segs)
		fp_count(t->st, FP_C_tcp_ooo_reneged, fp_tcp_ooo_renege(t));
	fp_tcp_gauges(t);

	while (fp_seq_le(t->wheel_ms, t->now_ms)) {
		ms = t->wheel_ms;
		/* Moved first, so a deadline set by a handler lands ahead. */
		t->wheel_ms = ms + 1;
		idx = t->wheel[ms % FP_TCP_WHEEL];
		while (idx != 0) {
			tcb = &t->tcbs[idx - 1];
			next = tcb->t_next;
			if (tcb->t_expire == ms) {
				fp_tcp_timer_unlink(t, tcb);
				fp_tcp_fire(t, tcb);
				/* A callback may have moved or freed other
				 * connections of this slot: walk it again (what
				 * fired is out of it; later rounds stay).
				 */
				next = t->wheel[ms % FP_TCP_WHEEL];
			}
			idx = next;
		}
	}
}
