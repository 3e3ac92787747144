/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The fastpath authors
 */

#include <string.h>

#include <rte_ip.h>
#include <rte_tcp.h>

#include "fp_tcp_priv.h"

/* A big-endian 32-bit option field at any address. */
static inline uint32_t
fp_tcp_opt32(const uint8_t *p)
{
	uint32_t v;

	memcpy(&v, p, sizeof(v));
	return rte_be_to_cpu_32(v);
}

__rte_hot int
fp_tcp_parse_options(const uint8_t *o, uint32_t len, struct fp_tcp_opts *out)
{
	uint32_t i = 0, olen;

	out->mss = 0;
	out->wscale = 0xff;
	out->sack_ok = false;
	out->nb_sack = 0;
	/* RFC 7323 Appendix A: "The following layout is recommended for
	 * sending options on non-<SYN> segments to make it easier for
	 * implementations to predict" (NOP, NOP, Timestamps): nearly every
	 * segment of a connection, read in one go.
	 */
	if (len == 12 && o[0] == 1 && o[1] == 1 && o[2] == 8 && o[3] == 10) {
		out->has_ts = true;
		out->tsval = fp_tcp_opt32(o + 4);
		out->tsecr = fp_tcp_opt32(o + 8);
		return 0;
	}
	/* Linux's SYN: MSS, SACK permitted, Timestamps, NOP, Window scale,
	 * once per connection.
	 */
	if (len == 20 && o[0] == 2 && o[1] == 4 && o[4] == 4 && o[5] == 2 && o[6] == 8 &&
			o[7] == 10 && o[16] == 1 && o[17] == 3 && o[18] == 3) {
		out->mss = (uint16_t)o[2] << 8 | o[3];
		out->sack_ok = true;
		out->has_ts = true;
		out->tsval = fp_tcp_opt32(o + 8);
		out->tsecr = fp_tcp_opt32(o + 12);
		out->wscale = o[19];
		return 0;
	}
	out->has_ts = false;
	while (i < len) {
		if (o[i] == 0)
			break;
		if (o[i] == 1) {
			i++;
			continue;
		}
		if (i + 1 >= len)
			return -1;
		olen = o[i + 1];
		if (olen < 2 || i + olen > len)
			return -1;
		switch (o[i]) {
		case 2:
			if (olen != 4)
				return -1;
			out->mss = (uint16_t)o[i + 2] << 8 | o[i + 3];
			break;
		case 3:
			if (olen != 3)
				return -1;
			out->wscale = o[i + 2];
			break;
		case 4:
			if (olen != 2)
				return -1;
			out->sack_ok = true;
			break;
		case 5:
			/* RFC 2018 3: "Length: Variable", 8 bytes a block. */
			if (olen < 10 || (olen - 2) % 8 != 0 || olen > 34)
				return -1;
			for (out->nb_sack = 0; out->nb_sack < (olen - 2) / 8; out->nb_sack++) {
				const uint8_t *b = o + i + 2 + 8 * out->nb_sack;

				out->sack[out->nb_sack][0] = fp_tcp_opt32(b);
				out->sack[out->nb_sack][1] = fp_tcp_opt32(b + 4);
			}
			break;
		case 8:
			if (olen != 10)
				return -1;
			out->has_ts = true;
			out->tsval = fp_tcp_opt32(o + i + 2);
			out->tsecr = fp_tcp_opt32(o + i + 6);
			break;
		default:
			break;	/* the rest: not used */
		}
		i += olen;
	}
	return 0;
}

/* The segment's checksum in software, as rte_ipv4_udptcp_cksum_verify()
 * computes it, with the one out-of-line sum of the fast path.
 */
static inline bool
fp_tcp_cksum_bad(const struct rte_ipv4_hdr *ip, const void *th, uint32_t len)
{
	uint32_t sum = (uint32_t)fp_cksum_raw(th, len) +
		fp_ipv4_phdr_sum(ip->src_addr, ip->dst_addr, IPPROTO_TCP, (uint16_t)len);

	sum = (sum >> 16) + (sum & 0xffff);
	return sum != 0xffff;
}

/* Returns -1 for a valid segment, else a drop reason. */
static __rte_hot int
fp_tcp_parse(const struct fp_tcp_lcore *t, struct rte_mbuf *m, struct fp_tcp_seg *s)
{
	const struct rte_ipv4_hdr *ip = rte_pktmbuf_mtod_offset(m, struct rte_ipv4_hdr *,
		m->l2_len);
	const struct rte_tcp_hdr *th = (const struct rte_tcp_hdr *)((const char *)ip +
		m->l3_len);
	uint32_t tlen = rte_be_to_cpu_16(ip->total_length) - m->l3_len, doff;
	uint64_t f = m->ol_flags & RTE_MBUF_F_RX_L4_CKSUM_MASK;
	uint8_t fl;

	if (unlikely(tlen < sizeof(*th)))
		return FP_DROP_tcp_truncated;
	/* The segment is read in place: a datagram reassembled over more
	 * than one mbuf is not (no TCP sends those: they set DF).
	 */
	if (unlikely((const char *)th + tlen > rte_pktmbuf_mtod_offset(m, const char *,
			rte_pktmbuf_data_len(m))))
		return FP_DROP_tcp_chained;
	doff = (th->data_off >> 4) * 4;
	if (unlikely(doff < sizeof(*th) || doff > tlen))
		return FP_DROP_tcp_bad_offset;
	if (t->ifc->rx_tcp_cksum && f == RTE_MBUF_F_RX_L4_CKSUM_BAD)
		return FP_DROP_tcp_bad_csum;
	if (!(t->ifc->rx_tcp_cksum && f == RTE_MBUF_F_RX_L4_CKSUM_GOOD) &&
			unlikely(fp_tcp_cksum_bad(ip, th, tlen)))
		return FP_DROP_tcp_bad_csum;
	fl = th->tcp_flags & (RTE_TCP_FIN_FLAG | RTE_TCP_SYN_FLAG | RTE_TCP_RST_FLAG |
		RTE_TCP_PSH_FLAG | RTE_TCP_ACK_FLAG | RTE_TCP_URG_FLAG);
	/* Combinations no TCP sends, only scanners. */
	if (unlikely(fl == 0 || ((fl & RTE_TCP_SYN_FLAG) &&
			(fl & (RTE_TCP_FIN_FLAG | RTE_TCP_RST_FLAG)))))
		return FP_DROP_tcp_bad_flags;
	s->flags = fl;
	s->m = m;
	s->seq = rte_be_to_cpu_32(th->sent_seq);
	s->ack = rte_be_to_cpu_32(th->recv_ack);
	s->wnd = rte_be_to_cpu_16(th->rx_win);
	s->len = tlen - doff;
	s->data = (const char *)th + doff;
	if (fp_tcp_parse_options((const uint8_t *)(th + 1), doff - sizeof(*th), &s->o) != 0)
		return FP_DROP_tcp_bad_option;
	return -1;
}

/* Hands in-order bytes to the application. Returns how many it took. */
static __rte_hot uint32_t
fp_tcp_deliver(struct fp_tcp_lcore *t, struct fp_tcb *tcb, const char *data, uint32_t len)
{
	const struct fp_tcp_ops *ops = fp_tcp_conn_ops(t, tcb);
	uint32_t used;

	if ((tcb->flags & FP_TCB_DETACHED) || ops->recv == NULL)
		return len;
	FP_TCB_CALL(t, tcb, used = ops->recv(tcb->app, t, tcb, data, len));
	return RTE_MIN(used, len);
}

/* RFC 6298 section 2: one RTT sample into SRTT, RTTVAR and RTO. */
static __rte_hot void
fp_tcp_rtt_sample(struct fp_tcp_lcore *t, struct fp_tcb *tcb, uint32_t rtt)
{
	int32_t delta;

	if (rtt == 0)
		rtt = 1;
	/* Far from overflowing SRTT (8 x) and RTTVAR; no RTO is this long. */
	rtt = RTE_MIN(rtt, FP_TCP_RTT_MAX_MS);
	if (tcb->srtt == 0) {
		/* 2.2: SRTT <- R, RTTVAR <- R/2 */
		tcb->srtt = rtt << 3;
		tcb->rttvar = rtt << 1;
	} else {
		/* 2.3: RTTVAR <- 3/4 RTTVAR + 1/4 |SRTT - R'|,
		 * SRTT <- 7/8 SRTT + 1/8 R'
		 */
		delta = (int32_t)rtt - (int32_t)(tcb->srtt >> 3);
		if (delta < 0)
			delta = -delta;
		tcb->rttvar = tcb->rttvar - (tcb->rttvar >> 2) + delta;
		tcb->srtt = tcb->srtt - (tcb->srtt >> 3) + rtt;
	}
	/* RTO <- SRTT + max(G, K * RTTVAR), G being our 1 ms tick. */
	tcb->rto = (tcb->srtt >> 3) + RTE_MAX(1u, tcb->rttvar);
	tcb->rto = RTE_MIN(RTE_MAX(tcb->rto, t->p.rto_min_ms), t->p.rto_max_ms);
}

/* An RTT sample from the peer's echo of our timestamp (our ms clock). An
 * echo from the future, or older than any RTT, is a broken or forged one:
 * it says nothing of the path (Linux's tcp_rtt_tsopt_us ignores both).
 */
static __rte_hot void
fp_tcp_rtt_echo(struct fp_tcp_lcore *t, struct fp_tcb *tcb, uint32_t tsecr)
{
	uint32_t rtt = t->now_ms - tsecr;

	if (fp_seq_gt(tsecr, t->now_ms) || rtt > FP_TCP_RTT_MAX_MS) {
		fp_count(t->st, FP_C_tcp_ts_echo_ignored, 1);
		return;
	}
	fp_tcp_rtt_sample(t, tcb, rtt);
}

/* A connection reached ESTABLISHED: its application hears of it. Returns
 * false when the tcb is gone (refused, or closed by the callback).
 */
static __rte_hot bool
fp_tcp_established(struct fp_tcp_lcore *t, struct fp_tcb *tcb)
{
	const struct fp_tcp_listener *l = &t->listeners[tcb->ops];
	uint32_t gen = tcb->gen;
	int ret = 0;

	fp_tcb_set_state(t, tcb, FP_TCP_ESTABLISHED);
	/* SYN-RECEIVED's life is over; only a close already asked for
	 * (fp_tcp_shutdown in SYN-SENT) keeps its linger deadline.
	 */
	if (!(tcb->flags & FP_TCB_FIN_QUEUED))
		tcb->t_idle = 0;
	if (tcb->flags & FP_TCB_ACTIVE) {
		fp_count(t->st, FP_C_tcp_active_opens, 1);
		if (l->ops->connected != NULL)
			FP_TCB_CALL(t, tcb, l->ops->connected(tcb->app, t, tcb));
		return !fp_tcp_conn_gone(tcb, gen);
	}
	fp_count(t->st, FP_C_tcp_passive_opens, 1);
	tcb->flags &= ~FP_TCB_DETACHED;
	if (l->ops->accept != NULL)
		FP_TCB_CALL(t, tcb, ret = l->ops->accept(l->arg, t, tcb));
	if (fp_tcp_conn_gone(tcb, gen))
		return false;
	if (ret != 0) {
		tcb->flags |= FP_TCB_DETACHED;
		fp_tcp_abort(t, tcb);
		return false;
	}
	return true;
}

/* Tells the application how much was acknowledged. Returns false when the
 * tcb is gone.
 */
static __rte_hot bool
fp_tcp_notify_sent(struct fp_tcp_lcore *t, struct fp_tcb *tcb, uint32_t acked)
{
	const struct fp_tcp_ops *ops = fp_tcp_conn_ops(t, tcb);
	uint32_t gen = tcb->gen;

	if (acked == 0 || (tcb->flags & FP_TCB_DETACHED) || ops->sent == NULL)
		return true;
	FP_TCB_CALL(t, tcb, ops->sent(tcb->app, t, tcb, acked));
	return !fp_tcp_conn_gone(tcb, gen);
}

/* Whether an unacceptable segment draws its ACK. Data that was all
 * received already is a retransmission whose ACK was lost: it is answered
 * every time, or the peer never learns (Linux exempts data segments from
 * tcp_invalid_ratelimit too: they are not part of an ACK loop). Anything
 * else, one per [tcp] invalid_ratelimit_ms.
 */
static inline bool
fp_tcp_dup_ok(struct fp_tcp_lcore *t, struct fp_tcb *tcb, const struct fp_tcp_seg *s)
{
	if (s->len != 0 && !(s->flags & RTE_TCP_SYN_FLAG) &&
			fp_seq_le(s->seq + s->len, tcb->rcv_nxt))
		return true;
	return fp_tcp_oow_ok(t, tcb);
}

/* The SACK blocks of s, when it has any or tcb a scoreboard; returns the
 * bytes newly SACKed.
 */
static inline uint32_t
fp_tcp_sb_ack(struct fp_tcp_lcore *t, struct fp_tcb *tcb, const struct fp_tcp_seg *s)
{
	if (likely(s->o.nb_sack == 0 && tcb->sb == 0))
		return 0;
	return fp_tcp_sb_update(t, tcb, &s->o);
}

/* The ACK field of a segment on a synchronized connection. Returns 0 to go
 * on with the segment, -1 to drop it, 1 when the tcb was freed.
 */
static __rte_hot int
fp_tcp_ack(struct fp_tcp_lcore *t, struct fp_tcb *tcb, const struct fp_tcp_seg *s,
	uint32_t *data_acked)
{
	uint32_t ack = s->ack, acked, flight, wnd = s->wnd << tcb->snd_wscale, newly;
	bool fin_acked;

	/* RFC 5961 5.2: "If the ACK value is acceptable ... (SND.UNA -
	 * MAX.SND.WND) =< SEG.ACK =< SND.NXT ... All incoming segments whose
	 * ACK value doesn't satisfy the above condition MUST be discarded and
	 * an ACK sent back."
	 */
	if (fp_seq_gt(ack, tcb->snd_max) || fp_seq_lt(ack, tcb->snd_una - tcb->max_snd_wnd)) {
		if (fp_tcp_challenge_ok(t, tcb))
			tcb->flags |= FP_TCB_ACK_NOW;
		fp_count_drop(t->st, FP_DROP_tcp_bad_ack);
		return -1;
	}
	/* RFC 2883: a first block at or below the cumulative ACK reports a
	 * duplicate, whatever else the ACK says: a retransmission was not
	 * needed.
	 */
	if (unlikely(s->o.nb_sack != 0) && (tcb->flags & FP_TCB_SACK) &&
			fp_seq_le(s->o.sack[0][1], ack) && fp_seq_lt(s->o.sack[0][0], s->o.sack[0][1])) {
		fp_tcp_reo_dsack(t, tcb);
		/* A duplicate ACK may bring the probe copy's D-SACK, after
		 * the ACK of its original (RFC 8985 7.4.2).
		 */
		if (tcb->tlp_end != 0 && fp_seq_ge(ack, tcb->tlp_end))
			fp_tcp_tlp_ack(t, tcb, s);
	}
	if (fp_seq_gt(ack, tcb->snd_una)) {
		acked = ack - tcb->snd_una;
		flight = tcb->snd_max - tcb->snd_una;
		/* Our FIN is acknowledged when the ACK covers all the data and
		 * one more: after a retransmission timeout that resent only the
		 * first segment FIN_SENT is clear, yet the FIN went out before.
		 */
		fin_acked = (tcb->flags & FP_TCB_FIN_QUEUED) && ack == tcb->snd_max &&
			tcb->snd_max - tcb->snd_una == tcb->sq_bytes + 1;
		if (fin_acked)
			tcb->flags |= FP_TCB_FIN_SENT;
		*data_acked = RTE_MIN(acked - (fin_acked ? 1 : 0), tcb->sq_bytes);
		fp_tcp_sq_advance(t, tcb, acked - (fin_acked ? 1 : 0));
		tcb->snd_una = ack;
		if (fp_seq_lt(tcb->snd_nxt, ack))
			tcb->snd_nxt = ack;
		tcb->retries = 0;
		/* RTT: from the echoed timestamp, or from the one timed
		 * segment (Karn: fp_tcp_retransmit stops that timing).
		 */
		if ((tcb->flags & FP_TCB_TS) && s->o.has_ts && s->o.tsecr != 0)
			fp_tcp_rtt_echo(t, tcb, s->o.tsecr);
		else if ((tcb->flags & FP_TCB_RTT) && fp_seq_ge(ack, tcb->rtt_seq)) {
			tcb->flags &= ~FP_TCB_RTT;
			fp_tcp_rtt_sample(t, tcb, t->now_ms - tcb->rtt_ms);
		}
		newly = (tcb->flags & FP_TCB_SACK) ? fp_tcp_sb_ack(t, tcb, s) : 0;
		if (tcb->flags & FP_TCB_RECOVERY) {
			if (fp_seq_ge(ack, tcb->recover)) {
				/* RFC 6582 3.2 (3): full acknowledgment; deflate.
				 * SACK recovery ends at ssthresh (RFC 6937).
				 */
				if (tcb->flags & FP_TCB_SACK_REC) {
					fp_tcp_sack_exit(t, tcb);
				} else {
					tcb->cwnd = RTE_MIN(tcb->ssthresh,
						RTE_MAX(flight - acked, 0u) + tcb->mss);
					tcb->flags &= ~FP_TCB_RECOVERY;
					fp_tcp_reo_recovered(tcb);
					tcb->dupacks = 0;
				}
			} else if (tcb->flags & FP_TCB_SACK_REC) {
				/* RFC 6675: a partial ACK; the scoreboard picks
				 * the holes, PRR how much goes.
				 */
				fp_tcp_prr(t, tcb, acked + newly);
			} else {
				/* (4) partial acknowledgment: resend the first
				 * unacknowledged segment, deflate by what was
				 * acked, add back one segment.
				 */
				fp_tcp_resend(t, tcb, tcb->snd_una, tcb->mss);
				tcb->cwnd = tcb->cwnd > acked ? tcb->cwnd - acked : 0;
				tcb->cwnd += tcb->mss;
			}
		} else if (unlikely(tcb->sb != 0) && fp_seq_ge(ack, tcb->recover) &&
				fp_tcp_sb_head_lost(t, tcb) && fp_tcp_sack_enter(t, tcb)) {
			/* RFC 6675 (4): "IsLost (HighACK + 1) returns true". */
			fp_tcp_prr(t, tcb, acked + newly);
		} else {
			tcb->dupacks = 0;
			/* RFC 5681 3.1: slow start, then about one segment
			 * per RTT; only while the window is used (RFC 7661: an
			 * application that sends little must not earn a window
			 * the path never carried).
			 */
			if (2 * flight >= tcb->cwnd) {
				if (tcb->cwnd < tcb->ssthresh)
					tcb->cwnd += RTE_MIN(acked, (uint32_t)tcb->mss);
				else
					fp_tcp_cc_ack(t, tcb, acked);
			}
		}
		/* RFC 6298 5.2/5.3: stop when all is acked, else restart (a
		 * tail loss probe's timeout first, RFC 8985 7.2).
		 */
		if (tcb->tlp_end != 0 && fp_seq_ge(ack, tcb->tlp_end))
			fp_tcp_tlp_ack(t, tcb, s);
		if (tcb->snd_una == tcb->snd_max) {
			tcb->t_rexmit = 0;
			tcb->flags &= ~FP_TCB_PTO;
		} else {
			fp_tcp_arm_pto(t, tcb);
		}
		if (fin_acked && (tcb->state == FP_TCP_CLOSING || tcb->state == FP_TCP_LAST_ACK ||
				(tcb->state == FP_TCP_FIN_WAIT_1 &&
				(s->flags & RTE_TCP_FIN_FLAG)))) {
			/* The last data acknowledged with our FIN: the
			 * application hears of it before closed(). In
			 * FIN-WAIT-1 the peer's FIN in this segment is what
			 * closes, through TIME-WAIT in fp_tcp_text().
			 */
			if (!fp_tcp_notify_sent(t, tcb, *data_acked))
				return 1;
			*data_acked = 0;
		}
		if (fin_acked) {
			switch (tcb->state) {
			case FP_TCP_FIN_WAIT_1:
				fp_tcb_set_state(t, tcb, FP_TCP_FIN_WAIT_2);
				/* Like Linux's tcp_fin_timeout: a peer that never
				 * closes does not hold the tcb for ever.
				 */
				tcb->t_idle = fp_tcp_deadline(t, t->p.fin_wait2_ms);
				break;
			case FP_TCP_CLOSING:
				fp_tcb_time_wait(t, tcb);
				break;
			case FP_TCP_LAST_ACK:
				fp_tcb_drop(t, tcb, FP_TCP_CLOSE_normal);
				return 1;
			default:
				break;
			}
		}
	} else if (ack == tcb->snd_una && tcb->snd_max == tcb->snd_una) {
		/* Nothing in flight: an answer to a window probe, or data.
		 * The peer is there (fp_tcp_rexmit_timeout counts probes).
		 */
		tcb->retries = 0;
	} else if (ack == tcb->snd_una && s->len == 0 && !(s->flags & RTE_TCP_FIN_FLAG) &&
			tcb->snd_max != tcb->snd_una && wnd == tcb->snd_wnd) {
		/* RFC 5681 3.2: a duplicate ACK. */
		flight = tcb->snd_max - tcb->snd_una;
		newly = (tcb->flags & FP_TCB_SACK) ? fp_tcp_sb_ack(t, tcb, s) : 0;
		++tcb->dupacks;
		if (tcb->sb != 0 && fp_tcp_sack_dupack(t, tcb, ack, newly)) {
			/* SACK recovery: entered or paced by PRR. */
			fp_tcp_arm_rack(t, tcb);
		} else if (tcb->dupacks == 3 && !(tcb->flags & FP_TCB_RECOVERY) &&
				fp_seq_gt(ack, tcb->recover)) {
			/* RFC 6582 3.2 (2): enter fast recovery. recover starts at
			 * the ISS and later holds snd_max (one past the highest
			 * byte sent), so ack > recover is "covers more than
			 * recover", as in FreeBSD.
			 */
			tcb->recover = tcb->snd_max;
			tcb->ssthresh = fp_tcp_cc_loss(t, tcb);
			fp_tcp_resend(t, tcb, tcb->snd_una, tcb->mss);
			tcb->cwnd = tcb->ssthresh + 3u * tcb->mss;
			tcb->flags |= FP_TCB_RECOVERY;
			fp_count(t->st, FP_C_tcp_fast_retransmits, 1);
			fp_tcp_arm_rexmit(t, tcb);
		} else if (tcb->dupacks > 3 && (tcb->flags & FP_TCB_RECOVERY)) {
			tcb->cwnd += tcb->mss;
		} else if (newly != 0) {
			fp_tcp_arm_rack(t, tcb);
		}
	} else if (ack == tcb->snd_una && (tcb->flags & FP_TCB_SACK)) {
		/* RFC 6675 2: "an ACK which carries new SACK data is counted
		 * as a duplicate acknowledgment under this definition even if
		 * it carries new data, changes the advertised window" (Linux
		 * receivers open theirs with nearly every ACK).
		 */
		newly = fp_tcp_sb_ack(t, tcb, s);
		if (newly != 0 && tcb->snd_max != tcb->snd_una) {
			++tcb->dupacks;
			fp_tcp_sack_dupack(t, tcb, ack, newly);
			fp_tcp_arm_rack(t, tcb);
		}
	}
	/* RFC 9293 3.10.7.4: "If SND.WL1 < SEG.SEQ or (SND.WL1 = SEG.SEQ and
	 * SND.WL2 =< SEG.ACK), set SND.WND <- SEG.WND, set SND.WL1 <- SEG.SEQ,
	 * and set SND.WL2 <- SEG.ACK."
	 */
	if (fp_seq_lt(tcb->snd_wl1, s->seq) ||
			(tcb->snd_wl1 == s->seq && fp_seq_le(tcb->snd_wl2, ack))) {
		tcb->snd_wnd = wnd;
		tcb->snd_wl1 = s->seq;
		tcb->snd_wl2 = ack;
		tcb->max_snd_wnd = RTE_MAX(tcb->max_snd_wnd, wnd);
	}
	return 0;
}

/* RFC 9293 3.10.7.4, first check: is the segment in the window? */
static bool
fp_tcp_acceptable(const struct fp_tcp_lcore *t, const struct fp_tcb *tcb,
	const struct fp_tcp_seg *s)
{
	uint32_t len = fp_tcp_seglen(s), wnd = t->p.rcv_wnd, end = tcb->rcv_nxt + wnd;

	if (len == 0)
		return fp_seq_le(tcb->rcv_nxt, s->seq) && fp_seq_lt(s->seq, end);
	return (fp_seq_le(tcb->rcv_nxt, s->seq) && fp_seq_lt(s->seq, end)) ||
		(fp_seq_le(tcb->rcv_nxt, s->seq + len - 1) && fp_seq_lt(s->seq + len - 1, end));
}

/* The text and FIN of an acceptable segment. Returns false when the tcb
 * is gone.
 */
static __rte_hot bool
fp_tcp_text(struct fp_tcp_lcore *t, struct fp_tcb *tcb, const struct fp_tcp_seg *s)
{
	const struct fp_tcp_ops *ops;
	const struct fp_tcp_ooo *e;
	uint32_t seq = s->seq, len = s->len, used, trim, gen = tcb->gen;
	const char *data = s->data;
	bool fin = (s->flags & RTE_TCP_FIN_FLAG) != 0;

	if (fp_seq_lt(seq, tcb->rcv_nxt)) {
		/* Part of it came before: keep only the new part. */
		trim = tcb->rcv_nxt - seq;
		if (trim > len) {
			/* Only an old FIN is left of it. */
			tcb->flags |= FP_TCB_ACK_NOW;
			return true;
		}
		data += trim;
		len -= trim;
		seq += trim;
	}
	if (seq != tcb->rcv_nxt) {
		/* After a hole: queued for when it fills (or dropped when it
		 * cannot be), and RFC 5681 4.2: "A TCP receiver SHOULD send an
		 * immediate duplicate ACK when an out-of-order segment
		 * arrives", with the SACK blocks of what is queued (RFC 2018).
		 */
		if (tcb->state == FP_TCP_ESTABLISHED || tcb->state == FP_TCP_FIN_WAIT_1 ||
				tcb->state == FP_TCP_FIN_WAIT_2)
			fp_tcp_ooo_add(t, tcb, s->m, seq, data, len, fin);
		else
			fp_count_drop(t->st, FP_DROP_tcp_out_of_order);
		fp_tcp_send_ctl(t, tcb, RTE_TCP_ACK_FLAG, fp_tcp_ack_seq(tcb));
		return true;
	}
	if (len > 0) {
		switch (tcb->state) {
		case FP_TCP_ESTABLISHED:
		case FP_TCP_FIN_WAIT_1:
		case FP_TCP_FIN_WAIT_2:
			break;
		default:
			/* RFC 9293: after the peer's FIN, text "should not
			 * occur ... Ignore the segment text."
			 */
			return true;
		}
		if (len > t->p.rcv_wnd) {
			/* The cut tail comes again, and its FIN with it. */
			len = t->p.rcv_wnd;
			fin = false;
		}
		used = fp_tcp_deliver(t, tcb, data, len);
		if (fp_tcp_conn_gone(tcb, gen))
			return false;
		tcb->rcv_nxt += used;
		if (used < len) {
			fp_count_drop(t->st, FP_DROP_tcp_rx_full);
			tcb->flags |= FP_TCB_ACK_NOW;
			return true;	/* the FIN, if any, comes again */
		}
		/* RFC 9293 3.8.6.3: an ACK at least every second full-sized
		 * segment, and none delayed over 500 ms. Data queued now
		 * carries it.
		 */
		if (tcb->t_delack != 0 || len >= tcb->mss)
			tcb->flags |= FP_TCB_ACK_NOW;
		else
			tcb->t_delack = fp_tcp_deadline(t, t->p.delack_ms);
		/* FIN-WAIT-2's deadline is for a peer gone silent: one still
		 * sending gets it again.
		 */
		if (tcb->state == FP_TCP_FIN_WAIT_2)
			tcb->t_idle = fp_tcp_deadline(t, t->p.fin_wait2_ms);
		/* The queued segments it reaches follow it, and one ACK covers
		 * them all, at once (RFC 5681 4.2: "an immediate ACK SHOULD be
		 * generated when a segment arrives that fills in all or part
		 * of a gap").
		 */
		while (!fin && tcb->ooo_head != 0 && (e = fp_tcp_ooo_front(t, tcb)) != NULL) {
			tcb->flags |= FP_TCB_ACK_NOW;
			if (e->len > 0) {
				used = fp_tcp_deliver(t, tcb, e->data, e->len);
				if (fp_tcp_conn_gone(tcb, gen))
					return false;
				tcb->rcv_nxt += used;
				if (used < e->len) {
					/* The rest stays queued for when
					 * the application takes more.
					 */
					fp_tcp_ooo_took(t, tcb, used);
					return true;
				}
			}
			fin = e->fin;
			fp_tcp_ooo_took(t, tcb, e->len);
		}
	}
	if (!fin)
		return true;
	tcb->rcv_nxt++;
	tcb->flags |= FP_TCB_ACK_NOW;
	switch (tcb->state) {
	case FP_TCP_ESTABLISHED:
		fp_tcb_set_state(t, tcb, FP_TCP_CLOSE_WAIT);
		ops = fp_tcp_conn_ops(t, tcb);
		if (!(tcb->flags & FP_TCB_DETACHED) && ops->fin != NULL) {
			FP_TCB_CALL(t, tcb, ops->fin(tcb->app, t, tcb));
			if (fp_tcp_conn_gone(tcb, gen))
				return false;
		}
		break;
	case FP_TCP_FIN_WAIT_1:
		if ((tcb->flags & FP_TCB_FIN_SENT) && tcb->snd_una == tcb->snd_max)
			fp_tcb_time_wait(t, tcb);
		else
			fp_tcb_set_state(t, tcb, FP_TCP_CLOSING);
		break;
	case FP_TCP_FIN_WAIT_2:
		fp_tcb_time_wait(t, tcb);
		break;
	default:
		break;
	}
	return true;
}

static __rte_hot void
fp_tcp_syn_options(struct fp_tcp_lcore *t, struct fp_tcb *tcb, const struct fp_tcp_seg *s);

/* RFC 9293 3.10.7.3: a segment for a connection in SYN-SENT. */
static __rte_noinline void
fp_tcp_syn_sent(struct fp_tcp_lcore *t, struct fp_tcb *tcb, struct rte_mbuf *m,
	const struct fp_tcp_seg *s)
{
	bool ack = (s->flags & RTE_TCP_ACK_FLAG) != 0;

	/* "If SEG.ACK =< ISS or SEG.ACK > SND.NXT, send a reset (unless the
	 * RST bit is set, if so drop the segment and return)".
	 */
	if (ack && (fp_seq_le(s->ack, tcb->iss) || fp_seq_gt(s->ack, tcb->snd_nxt))) {
		if (s->flags & RTE_TCP_RST_FLAG) {
			fp_count_drop(t->st, FP_DROP_tcp_rst_ignored);
			rte_pktmbuf_free(m);
			return;
		}
		fp_count_drop(t->st, FP_DROP_tcp_bad_ack);
		fp_tcp_reply_rst(t, m, s);
		/* Most often the peer's TIME-WAIT of an earlier connection on
		 * this 4-tuple, which did not take our SYN as a new one (RFC
		 * 6191: our timestamps restarted with us) and answered with a
		 * challenge ACK. The RST just ended it: the SYN goes again at
		 * once, not after the RTO. It counts as a retry, so a peer
		 * that keeps answering so cannot make a loop.
		 */
		if (tcb->retries < t->p.syn_retries) {
			tcb->retries++;
			fp_count(t->st, FP_C_tcp_retransmits, 1);
			fp_tcp_send_ctl(t, tcb, RTE_TCP_SYN_FLAG, tcb->iss);
		}
		return;
	}
	if (s->flags & RTE_TCP_RST_FLAG) {
		/* "If the ACK was acceptable, then signal to the user 'error:
		 * connection reset', drop the segment, enter CLOSED state".
		 * RFC 5961 3.2 leaves this check as it is.
		 */
		rte_pktmbuf_free(m);
		if (ack) {
			FP_TCB_LOG(tcb, "connection refused");
			fp_count(t->st, FP_C_tcp_resets_received, 1);
			fp_tcb_drop(t, tcb, FP_TCP_CLOSE_refused);
		} else {
			fp_count_drop(t->st, FP_DROP_tcp_rst_ignored);
		}
		return;
	}
	if (!(s->flags & RTE_TCP_SYN_FLAG)) {
		/* "If neither of the SYN or RST bits is set, then drop the
		 * segment and return."
		 */
		fp_count_drop(t->st, FP_DROP_tcp_bad_flags);
		rte_pktmbuf_free(m);
		return;
	}
	tcb->irs = s->seq;
	tcb->rcv_nxt = s->seq + 1;
	/* Our SYN's window was reckoned from RCV.NXT = 0, so rcv_adv holds
	 * its size: it offered that much from the peer's first byte on
	 * (RFC 9293 3.8.6.2.2 keeps the right edge from moving left).
	 */
	tcb->rcv_adv += tcb->rcv_nxt;
	/* Our SYN offered both; what the peer answers decides. */
	tcb->flags &= ~(FP_TCB_WS | FP_TCB_TS | FP_TCB_SACK);
	tcb->snd_wscale = 0;
	fp_tcp_syn_options(t, tcb, s);
	if (!ack) {
		/* Simultaneous open: "enter SYN-RECEIVED, form a SYN,ACK
		 * segment".
		 */
		fp_tcb_set_state(t, tcb, FP_TCP_SYN_RECEIVED);
		tcb->snd_wnd = s->wnd;
		tcb->max_snd_wnd = s->wnd;
		tcb->snd_wl1 = s->seq;
		rte_pktmbuf_free(m);
		fp_tcp_send_ctl(t, tcb, RTE_TCP_SYN_FLAG | RTE_TCP_ACK_FLAG, tcb->iss);
		fp_tcp_arm_rexmit(t, tcb);
		return;
	}
	tcb->snd_una = s->ack;
	tcb->snd_wnd = s->wnd;	/* a SYN's window is never scaled */
	tcb->max_snd_wnd = s->wnd;
	tcb->snd_wl1 = s->seq;
	tcb->snd_wl2 = s->ack;
	tcb->t_rexmit = 0;
	/* Karn: no sample from a SYN that was sent again. */
	if ((tcb->flags & FP_TCB_TS) && s->o.tsecr != 0)
		fp_tcp_rtt_echo(t, tcb, s->o.tsecr);
	else if (tcb->retries == 0)
		fp_tcp_rtt_sample(t, tcb, t->now_ms - tcb->rtt_ms);
	tcb->retries = 0;
	/* "form an ACK segment <SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK> and send
	 * it"; data queued by connected() carries it.
	 */
	tcb->flags |= FP_TCB_ACK_NOW;
	/* Data on a SYN-ACK is left unacknowledged: the peer sends it again. */
	rte_pktmbuf_free(m);
	if (!fp_tcp_established(t, tcb))
		return;
	fp_tcp_output(t, tcb);
	if (tcb->state != FP_TCP_CLOSED)
		fp_tcp_timer_update(t, tcb);
}

/* RFC 9293 3.10.7.4: a segment for a connection past LISTEN. */
static __rte_hot void
fp_tcp_segment(struct fp_tcp_lcore *t, struct fp_tcb *tcb, struct rte_mbuf *m,
	const struct fp_tcp_seg *s)
{
	uint32_t acked = 0;
	int ret;

	if (tcb->state == FP_TCP_SYN_SENT) {
		fp_tcp_syn_sent(t, tcb, m, s);
		return;
	}
	if (tcb->state == FP_TCP_SYN_RECEIVED && (s->flags & RTE_TCP_SYN_FLAG) &&
			!(s->flags & RTE_TCP_ACK_FLAG) && s->seq == tcb->irs) {
		/* The peer did not get our SYN-ACK: send it again. */
		fp_tcp_send_ctl(t, tcb, RTE_TCP_SYN_FLAG | RTE_TCP_ACK_FLAG, tcb->iss);
		goto done;
	}
	/* TIME-WAIT only answers what comes, and the peer may be a new host
	 * on the old address (a restarted DPDK client has a new MAC): its
	 * ACK goes where the segment came from, or the new peer never
	 * learns to reset the old connection and its SYNs time out.
	 */
	if (unlikely(tcb->state == FP_TCP_TIME_WAIT))
		tcb->rmac = rte_pktmbuf_mtod(m, const struct rte_ether_hdr *)->src_addr;
	/* RFC 7323 5.3: "If SEG.TSval < TS.Recent and the RST bit is off ...
	 * the segment is not acceptable" (PAWS).
	 */
	if ((tcb->flags & FP_TCB_TS) && s->o.has_ts && !(s->flags & RTE_TCP_RST_FLAG) &&
			fp_seq_lt(s->o.tsval, tcb->ts_recent)) {
		fp_count_drop(t->st, FP_DROP_tcp_paws);
		if (fp_tcp_dup_ok(t, tcb, s))
			tcb->flags |= FP_TCB_ACK_NOW;
		goto out;
	}
	if (!fp_tcp_acceptable(t, tcb, s)) {
		/* "If an incoming segment is not acceptable, an acknowledgment
		 * should be sent in reply (unless the RST bit is set ...)".
		 */
		if (!(s->flags & RTE_TCP_RST_FLAG) && fp_tcp_dup_ok(t, tcb, s))
			tcb->flags |= FP_TCB_ACK_NOW;
		fp_count_drop(t->st, (s->flags & RTE_TCP_RST_FLAG) ?
			FP_DROP_tcp_rst_ignored : FP_DROP_tcp_out_of_window);
		goto out;
	}
	/* RFC 7323 4.3: remember the timestamp of the segment that holds
	 * RCV.NXT, for echoing.
	 */
	if ((tcb->flags & FP_TCB_TS) && s->o.has_ts && fp_seq_le(s->seq, tcb->rcv_nxt))
		tcb->ts_recent = s->o.tsval;
	if (s->flags & RTE_TCP_RST_FLAG) {
		/* RFC 5961 3.2: "If the RST bit is set and the sequence number
		 * exactly matches the next expected sequence number (RCV.NXT),
		 * then TCP MUST reset the connection"; otherwise, in the window,
		 * "TCP MUST send an ACK (challenge ACK)".
		 */
		if (s->seq == tcb->rcv_nxt) {
			FP_TCB_LOG(tcb, "reset by the peer in %s", fp_tcp_state_names[tcb->state]);
			fp_count(t->st, FP_C_tcp_resets_received, 1);
			rte_pktmbuf_free(m);
			fp_tcb_drop(t, tcb, FP_TCP_CLOSE_reset);
			return;
		}
		if (fp_tcp_challenge_ok(t, tcb))
			tcb->flags |= FP_TCB_ACK_NOW;
		fp_count_drop(t->st, FP_DROP_tcp_rst_ignored);
		goto out;
	}
	if (s->flags & RTE_TCP_SYN_FLAG) {
		/* RFC 5961 4.2: for a SYN in a synchronized state, whatever its
		 * sequence number, "TCP MUST send an ACK (challenge ACK)".
		 */
		if (fp_tcp_challenge_ok(t, tcb))
			tcb->flags |= FP_TCB_ACK_NOW;
		fp_count_drop(t->st, FP_DROP_tcp_syn_in_conn);
		goto out;
	}
	if (!(s->flags & RTE_TCP_ACK_FLAG)) {
		/* "if the ACK bit is off, drop the segment and return" */
		fp_count_drop(t->st, FP_DROP_tcp_bad_flags);
		goto out;
	}
	if (tcb->state == FP_TCP_SYN_RECEIVED) {
		if (fp_seq_lt(tcb->snd_una, s->ack) && fp_seq_le(s->ack, tcb->snd_max)) {
			bool resent = tcb->retries != 0;

			tcb->snd_una = s->ack;
			tcb->snd_nxt = s->ack;
			tcb->snd_wnd = s->wnd << tcb->snd_wscale;
			tcb->max_snd_wnd = tcb->snd_wnd;
			tcb->snd_wl1 = s->seq;
			tcb->snd_wl2 = s->ack;
			tcb->retries = 0;
			tcb->t_rexmit = 0;
			if ((tcb->flags & FP_TCB_TS) && s->o.has_ts && s->o.tsecr != 0)
				fp_tcp_rtt_echo(t, tcb, s->o.tsecr);
			else if (!resent)	/* Karn: not after a resent SYN-ACK */
				fp_tcp_rtt_sample(t, tcb, t->now_ms - tcb->rtt_ms);
			if (!fp_tcp_established(t, tcb)) {
				rte_pktmbuf_free(m);
				return;
			}
		} else {
			/* "If the segment acknowledgment is not acceptable,
			 * form a reset segment <SEQ=SEG.ACK><CTL=RST>".
			 */
			fp_count_drop(t->st, FP_DROP_tcp_bad_ack);
			fp_tcp_reply_rst(t, m, s);
			return;
		}
	} else if (tcb->state == FP_TCP_TIME_WAIT) {
		/* Only a retransmitted FIN can come; it was not acceptable
		 * above and got its ACK.
		 */
		goto out;
	} else {
		ret = fp_tcp_ack(t, tcb, s, &acked);
		if (ret == 1) {
			rte_pktmbuf_free(m);
			return;
		}
		if (ret < 0)
			goto out;
	}
	if ((s->len > 0 || (s->flags & RTE_TCP_FIN_FLAG)) && !fp_tcp_text(t, tcb, s)) {
		rte_pktmbuf_free(m);
		return;
	}
	/* After the text, so a request and the ACK that made room for its
	 * answer are seen together.
	 */
	if (!fp_tcp_notify_sent(t, tcb, acked)) {
		rte_pktmbuf_free(m);
		return;
	}
	goto out;
done:
	rte_pktmbuf_free(m);
	fp_tcp_timer_update(t, tcb);
	return;
out:
	rte_pktmbuf_free(m);
	if (tcb->state == FP_TCP_CLOSED)
		return;
	fp_tcp_output(t, tcb);
	fp_tcp_timer_update(t, tcb);
}

/* Takes the options of the peer's SYN into a new tcb. */
static __rte_hot void
fp_tcp_syn_options(struct fp_tcp_lcore *t, struct fp_tcb *tcb, const struct fp_tcp_seg *s)
{
	/* RFC 9293 3.7.1: without the option, the peer's MSS is 536. */
	tcb->mss = RTE_MIN(s->o.mss != 0 ? s->o.mss : 536, t->mss_max);
	if (tcb->mss < 64)
		tcb->mss = 64;
	if (s->o.wscale != 0xff) {
		tcb->flags |= FP_TCB_WS;
		/* RFC 7323 2.3: a shift over 14 is used as 14. */
		tcb->snd_wscale = RTE_MIN(s->o.wscale, (uint8_t)FP_TCP_WS_MAX);
	}
	if (s->o.has_ts && t->p.timestamps) {
		tcb->flags |= FP_TCB_TS;
		tcb->ts_recent = s->o.tsval;
	}
	/* RFC 2018 2: SACK-permitted "MUST NOT be sent on a SYN-ACK unless it
	 * was received in the SYN"; ours went in our SYN when [tcp] sack.
	 */
	if (s->o.sack_ok && t->p.sack)
		tcb->flags |= FP_TCB_SACK;
	/* RFC 7323 3.2: the timestamp option takes 12 bytes of each segment. */
	if (tcb->flags & FP_TCB_TS)
		tcb->mss -= FP_TCP_TS_LEN;
	fp_tcp_cc_init(t, tcb);
}

/* A segment for no connection. */
static __rte_hot __rte_noinline void
fp_tcp_closed_port(struct fp_tcp_lcore *t, struct rte_mbuf *m, const struct fp_tcp_seg *s,
	uint32_t raddr, uint16_t rport, uint16_t lport)
{
	const struct rte_ether_hdr *eh = rte_pktmbuf_mtod(m, const struct rte_ether_hdr *);
	struct fp_tcb *tcb;
	uint16_t mss;
	int l;

	/* RFC 9293 3.10.7.1: "An incoming segment containing a RST is
	 * discarded."
	 */
	if (s->flags & RTE_TCP_RST_FLAG) {
		fp_count_drop(t->st, FP_DROP_tcp_no_conn);
		rte_pktmbuf_free(m);
		return;
	}
	l = fp_tcp_listener(t, lport);
	if (l < 0) {
		fp_count_drop(t->st, FP_DROP_tcp_no_listener);
		fp_tcp_reply_rst(t, m, s);
		return;
	}
	/* Shutting down: the port is closed to new connections, so a SYN
	 * (or a cookie's ACK) gets what a closed port gives (RFC 9293 3.10.7.1).
	 */
	if (unlikely(t->draining)) {
		fp_count_drop(t->st, FP_DROP_tcp_draining);
		fp_tcp_reply_rst(t, m, s);
		return;
	}
	if ((s->flags & (RTE_TCP_SYN_FLAG | RTE_TCP_ACK_FLAG)) == RTE_TCP_SYN_FLAG) {
		/* The last eighth of the pool is kept for connections that
		 * already exist: new work is refused first.
		 */
		if (t->pool_low) {
			fp_count_drop(t->st, FP_DROP_tcp_pool_low);
			rte_pktmbuf_free(m);
			return;
		}
		tcb = NULL;
		if (t->nb_half_open < t->p.syn_backlog)
			tcb = fp_tcb_new(t, raddr, rport, lport);
		if (tcb == NULL) {
			/* RFC 4987 3.6: when the backlog (or the table) is
			 * full, answer with a cookie and keep no state.
			 */
			mss = RTE_MIN(s->o.mss != 0 ? s->o.mss : 536, t->mss_max);
			fp_tcp_reply_synack(t, m, s, fp_tcp_cookie_make(t, raddr, rport, lport,
				s->seq, mss), mss);
			fp_count(t->st, FP_C_tcp_syn_cookies_sent, 1);
			t->cookie_ms = t->now_ms;
			return;
		}
		tcb->rmac = eh->src_addr;
		tcb->ops = l;
		tcb->flags |= FP_TCB_DETACHED;	/* until accepted */
		tcb->irs = s->seq;
		tcb->rcv_nxt = s->seq + 1;
		tcb->iss = fp_tcp_isn(t, raddr, rport, lport);
		tcb->snd_una = tcb->iss;
		tcb->snd_wnd = s->wnd;	/* a SYN's window is never scaled */
		tcb->max_snd_wnd = s->wnd;
		tcb->snd_wl1 = s->seq;
		tcb->recover = tcb->iss;
		fp_tcp_syn_options(t, tcb, s);
		fp_tcb_set_state(t, tcb, FP_TCP_SYN_RECEIVED);
		tcb->rtt_ms = t->now_ms;
		rte_pktmbuf_free(m);
		fp_tcp_send_ctl(t, tcb, RTE_TCP_SYN_FLAG | RTE_TCP_ACK_FLAG, tcb->iss);
		tcb->snd_nxt = tcb->iss + 1;
		tcb->snd_max = tcb->snd_nxt;
		tcb->t_idle = fp_tcp_deadline(t, FP_TCP_SYNRCVD_MS);
		fp_tcp_arm_rexmit(t, tcb);
		return;
	}
	if ((s->flags & (RTE_TCP_SYN_FLAG | RTE_TCP_ACK_FLAG)) == RTE_TCP_ACK_FLAG &&
			fp_tcp_cookie_check(t, raddr, rport, lport, s->seq - 1, s->ack - 1,
				&mss) == 0) {
		tcb = fp_tcb_new(t, raddr, rport, lport);
		if (tcb == NULL) {
			fp_count_drop(t->st, FP_DROP_tcp_table_full);
			fp_tcp_reply_rst(t, m, s);
			return;
		}
		tcb->rmac = eh->src_addr;
		tcb->ops = l;
		tcb->flags |= FP_TCB_DETACHED;
		tcb->irs = s->seq - 1;
		tcb->rcv_nxt = s->seq;
		tcb->iss = s->ack - 1;
		tcb->snd_una = s->ack;
		tcb->snd_nxt = s->ack;
		tcb->snd_max = s->ack;
		tcb->recover = tcb->iss;
		tcb->snd_wnd = s->wnd;
		tcb->max_snd_wnd = s->wnd;
		tcb->snd_wl1 = s->seq;
		tcb->snd_wl2 = s->ack;
		tcb->mss = RTE_MIN(mss, t->mss_max);
		fp_tcp_cc_init(t, tcb);
		tcb->flags |= FP_TCB_COOKIE;
		fp_count(t->st, FP_C_tcp_syn_cookies_ok, 1);
		if (!fp_tcp_established(t, tcb)) {
			rte_pktmbuf_free(m);
			return;
		}
		/* The ACK may carry the request already. */
		fp_tcp_segment(t, tcb, m, s);
		return;
	}
	/* RFC 9293 3.10.7.2: in LISTEN, "Any acknowledgment is bad if it
	 * arrives on a connection still in the LISTEN state. An acceptable
	 * reset segment should be formed for any arriving ACK-bearing segment."
	 */
	fp_count_drop(t->st, t->now_ms - t->cookie_ms < 2 * 65536 && t->cookie_ms != 0 ?
		FP_DROP_tcp_bad_cookie : FP_DROP_tcp_no_conn);
	fp_tcp_reply_rst(t, m, s);
}

__rte_hot void
fp_tcp_input(struct fp_tcp_lcore *t, struct rte_mbuf *m)
{
	const struct rte_ipv4_hdr *ip = rte_pktmbuf_mtod_offset(m, struct rte_ipv4_hdr *,
		m->l2_len);
	const struct rte_tcp_hdr *th = (const struct rte_tcp_hdr *)((const char *)ip +
		m->l3_len);
	struct fp_tcp_seg s;
	struct fp_tcb *tcb;
	int ret;

	ret = fp_tcp_parse(t, m, &s);
	if (unlikely(ret >= 0)) {
		fp_count_drop(t->st, ret);
		rte_pktmbuf_free(m);
		return;
	}
	fp_count(t->st, FP_C_tcp_segments_in, 1);
	tcb = fp_tcb_lookup(t, ip->src_addr, th->src_port, th->dst_port);
	if (tcb != NULL && tcb->state == FP_TCP_TIME_WAIT &&
			(s.flags & (RTE_TCP_SYN_FLAG | RTE_TCP_ACK_FLAG)) == RTE_TCP_SYN_FLAG &&
			(fp_seq_gt(s.seq, tcb->rcv_nxt) || ((tcb->flags & FP_TCB_TS) &&
			s.o.has_ts && fp_seq_gt(s.o.tsval, tcb->ts_recent)))) {
		/* RFC 6191 / RFC 1122 4.2.2.13: a new SYN above the old
		 * connection's sequence space (or with a newer timestamp) may
		 * reopen it from TIME-WAIT.
		 */
		fp_tcb_free(t, tcb);
		fp_count(t->st, FP_C_tcp_time_wait_reused, 1);
		tcb = NULL;
	}
	if (tcb == NULL) {
		fp_tcp_closed_port(t, m, &s, ip->src_addr, th->src_port, th->dst_port);
		return;
	}
	fp_tcp_segment(t, tcb, m, &s);
}

__rte_hot int
fp_tcp_ipv4_input(void *ctx, struct fp_stats *st __rte_unused, struct rte_mbuf *m,
	uint32_t off __rte_unused, uint32_t len __rte_unused)
{
	fp_tcp_input(ctx, m);
	return FP_TAKEN;
}
