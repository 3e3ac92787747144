/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The fastpath authors
 */

/* Loss recovery on the sending side: the SACK scoreboard and the choice of
 * what to retransmit (RFC 6675), paced by Proportional Rate Reduction
 * (RFC 6937).
 *
 * A scoreboard holds the SACKed ranges above snd_una, sorted and disjoint.
 * Connections take one from the worker's pool when the first SACK block
 * arrives and give it back once snd_una has passed every block; without a
 * free one they recover the NewReno way (RFC 6582).
 */

#include <string.h>

#include "fp_tcp_priv.h"

/* RFC 6675 2: "DupThresh: The number of duplicate acknowledgments required
 * to trigger a fast retransmission."
 */
#define FP_TCP_DUPTHRESH 3

static inline struct fp_tcp_sb *
fp_tcp_sb_of(const struct fp_tcp_lcore *t, const struct fp_tcb *tcb)
{
	return tcb->sb != 0 ? &t->sbs[tcb->sb - 1] : NULL;
}

__rte_hot void
fp_tcp_sb_free(struct fp_tcp_lcore *t, struct fp_tcb *tcb)
{
	if (tcb->sb == 0)
		return;
	t->sb_free[t->nb_sb_free++] = tcb->sb - 1;
	tcb->sb = 0;
}

static struct fp_tcp_sb *
fp_tcp_sb_get(struct fp_tcp_lcore *t, struct fp_tcb *tcb)
{
	struct fp_tcp_sb *sb;

	if (tcb->sb != 0)
		return &t->sbs[tcb->sb - 1];
	if (t->nb_sb_free == 0) {
		fp_count(t->st, FP_C_tcp_sack_boards_short, 1);
		return NULL;
	}
	tcb->sb = t->sb_free[--t->nb_sb_free] + 1;
	sb = &t->sbs[tcb->sb - 1];
	sb->nb = 0;
	sb->sacked = 0;
	sb->high_rxt = tcb->snd_una;
	sb->lost_below = tcb->snd_una;
	sb->nb_rxt = 0;
	return sb;
}

/* Forgets what snd_una has passed. */
static void
fp_tcp_sb_trim(struct fp_tcp_sb *sb, uint32_t una)
{
	uint32_t i = 0, n;

	while (i < sb->nb && fp_seq_le(sb->blk[i][1], una)) {
		sb->sacked -= sb->blk[i][1] - sb->blk[i][0];
		i++;
	}
	if (i != 0) {
		n = sb->nb - i;
		memmove(sb->blk, sb->blk + i, n * sizeof(sb->blk[0]));
		sb->nb = n;
	}
	if (sb->nb != 0 && fp_seq_lt(sb->blk[0][0], una)) {
		sb->sacked -= una - sb->blk[0][0];
		sb->blk[0][0] = una;
	}
	if (fp_seq_lt(sb->high_rxt, una))
		sb->high_rxt = una;
	if (fp_seq_lt(sb->lost_below, una))
		sb->lost_below = una;
}

/* Marks [l, r) SACKed; returns how many of its bytes were not already. */
static uint32_t
fp_tcp_sb_add(struct fp_tcp_lcore *t, struct fp_tcp_sb *sb, uint32_t l, uint32_t r)
{
	uint32_t i, j, k, had = 0, nl, nr;

	/* i: the first block that reaches l; j: one past the last that
	 * starts at or before r. Blocks i..j-1 touch [l, r) and merge.
	 */
	for (i = 0; i < sb->nb && fp_seq_lt(sb->blk[i][1], l); i++)
		;
	for (j = i; j < sb->nb && fp_seq_le(sb->blk[j][0], r); j++)
		had += sb->blk[j][1] - sb->blk[j][0];
	if (i == j) {
		if (sb->nb == FP_TCP_SB_BLOCKS) {
			/* Full: the highest range is forgotten (it will be
			 * retransmitted at worst, which is safe).
			 */
			fp_count(t->st, FP_C_tcp_sack_boards_short, 1);
			if (i == sb->nb)
				return 0;
			sb->nb--;
			sb->sacked -= sb->blk[sb->nb][1] - sb->blk[sb->nb][0];
		}
		memmove(sb->blk + i + 1, sb->blk + i, (sb->nb - i) * sizeof(sb->blk[0]));
		sb->blk[i][0] = l;
		sb->blk[i][1] = r;
		sb->nb++;
		sb->sacked += r - l;
		return r - l;
	}
	nl = fp_seq_lt(l, sb->blk[i][0]) ? l : sb->blk[i][0];
	nr = fp_seq_gt(r, sb->blk[j - 1][1]) ? r : sb->blk[j - 1][1];
	sb->blk[i][0] = nl;
	sb->blk[i][1] = nr;
	k = j - i - 1;
	if (k != 0) {
		memmove(sb->blk + i + 1, sb->blk + j, (sb->nb - j) * sizeof(sb->blk[0]));
		sb->nb -= k;
	}
	sb->sacked += (nr - nl) - had;
	return (nr - nl) - had;
}

/* Whether [seq, end) is SACKed whole. */
static bool
fp_tcp_sb_covers(const struct fp_tcp_sb *sb, uint32_t seq, uint32_t end)
{
	uint32_t k;

	for (k = 0; k < sb->nb; k++)
		if (fp_seq_le(sb->blk[k][0], seq) && fp_seq_ge(sb->blk[k][1], end))
			return true;
	return false;
}

/* What the order of arrivals says (RFC 8985's idea, with sequence fences
 * for timestamps): data SACKed that was sent after a tail loss probe or
 * after a retransmission means what was sent before it and is still
 * missing is lost, beyond the count of RFC 6675's IsLost().
 */
static void
fp_tcp_sb_order(struct fp_tcp_lcore *t, struct fp_tcb *tcb, struct fp_tcp_sb *sb)
{
	uint32_t high = sb->blk[sb->nb - 1][1], i, n = 0, seq;

	/* The probe went a PTO after the tail; it arrived, the tail did not. */
	if (tcb->tlp_end != 0 && fp_tcp_sb_covers(sb, tcb->tlp_end - 1, tcb->tlp_end)) {
		seq = tcb->tlp_end - (tcb->tlp_len & FP_TLP_LEN);
		if (fp_seq_gt(seq, sb->lost_below))
			sb->lost_below = seq;
		tcb->tlp_end = 0;
		fp_count(t->st, FP_C_tcp_tlp_losses, 1);
	}
	for (i = 0; i < sb->nb_rxt; i++) {
		seq = sb->rxt[i].seq;
		if (fp_seq_le(sb->rxt[i].end, tcb->snd_una) ||
				fp_tcp_sb_covers(sb, seq, sb->rxt[i].end))
			continue;	/* arrived */
		if (fp_seq_gt(high, sb->rxt[i].fence)) {
			/* Lost again: below HighRxt it would not go a third
			 * time, nor count as out of the network.
			 */
			if (fp_seq_lt(seq, tcb->snd_una))
				seq = tcb->snd_una;
			if (fp_seq_lt(seq, sb->high_rxt))
				sb->high_rxt = seq;
			fp_count(t->st, FP_C_tcp_lost_retransmits, 1);
			continue;
		}
		sb->rxt[n++] = sb->rxt[i];
	}
	sb->nb_rxt = n;
}

uint32_t
fp_tcp_sb_update(struct fp_tcp_lcore *t, struct fp_tcb *tcb, const struct fp_tcp_opts *o)
{
	struct fp_tcp_sb *sb = fp_tcp_sb_of(t, tcb);
	uint32_t newly = 0, l, r, k;

	if (sb != NULL)
		fp_tcp_sb_trim(sb, tcb->snd_una);
	for (k = 0; k < o->nb_sack; k++) {
		l = o->sack[k][0];
		r = o->sack[k][1];
		/* RFC 2883: a block at or below the cumulative ACK reports a
		 * duplicate, not a hole. One beyond what was sent, or
		 * inverted, is not from a receiver of this connection.
		 */
		if (fp_seq_le(r, tcb->snd_una))
			continue;
		if (!fp_seq_lt(l, r) || fp_seq_gt(r, tcb->snd_max) ||
				r - l > tcb->snd_max - tcb->snd_una) {
			fp_count(t->st, FP_C_tcp_sack_invalid, 1);
			continue;
		}
		if (fp_seq_lt(l, tcb->snd_una))
			l = tcb->snd_una;
		if (sb == NULL) {
			sb = fp_tcp_sb_get(t, tcb);
			if (sb == NULL)
				break;
		}
		newly += fp_tcp_sb_add(t, sb, l, r);
	}
	if (sb != NULL && newly != 0)
		fp_tcp_sb_order(t, tcb, sb);
	if (sb != NULL && sb->nb == 0 && !(tcb->flags & FP_TCB_SACK_REC))
		fp_tcp_sb_free(t, tcb);
	return newly;
}

/* RFC 6675 IsLost() for every hole at once: "true when either DupThresh
 * discontiguous SACKed sequences have arrived above 'SeqNum' or more than
 * (DupThresh - 1) * SMSS bytes with sequence numbers greater than 'SeqNum'
 * have been SACKed". The fewer blocks above a hole, the less it is lost:
 * returns how many of the lowest holes (the one below block k is hole k)
 * are.
 */
static uint32_t
fp_tcp_sb_nb_lost(const struct fp_tcp_sb *sb, uint32_t mss)
{
	uint32_t k = sb->nb, bytes = 0;

	while (k-- > 0) {
		bytes += sb->blk[k][1] - sb->blk[k][0];
		if (sb->nb - k >= FP_TCP_DUPTHRESH || bytes > (FP_TCP_DUPTHRESH - 1) * mss)
			return k + 1;
	}
	return 0;
}

/* Hole k, from lo: lost by the count, or by RFC 8985's order (sent
 * before data that was delivered long enough after it).
 */
static inline bool
fp_tcp_sb_lost(const struct fp_tcp_sb *sb, uint32_t k, uint32_t lo, uint32_t nb_lost)
{
	return k < nb_lost || fp_seq_lt(lo, sb->lost_below);
}

bool
fp_tcp_sb_head_lost(const struct fp_tcp_lcore *t, const struct fp_tcb *tcb)
{
	const struct fp_tcp_sb *sb = fp_tcp_sb_of(t, tcb);

	return sb != NULL && sb->nb != 0 &&
		fp_tcp_sb_lost(sb, 0, tcb->snd_una, fp_tcp_sb_nb_lost(sb, tcb->mss));
}

/* RFC 6675 SetPipe(), by ranges: the bytes of a hole count once unless it
 * is lost, and once more for what of it was retransmitted (below HighRxt);
 * the bytes above the highest SACKed one count once.
 */
static uint32_t
fp_tcp_sb_pipe(const struct fp_tcb *tcb, const struct fp_tcp_sb *sb)
{
	uint32_t pipe = 0, lo = tcb->snd_una, hl, k, nb_lost = fp_tcp_sb_nb_lost(sb, tcb->mss);

	for (k = 0; k < sb->nb; lo = sb->blk[k][1], k++) {
		hl = sb->blk[k][0] - lo;
		if (hl == 0)
			continue;
		if (!fp_tcp_sb_lost(sb, k, lo, nb_lost))
			pipe += hl;
		if (fp_seq_gt(sb->high_rxt, lo))
			pipe += RTE_MIN(sb->high_rxt - lo, hl);
	}
	if (fp_seq_lt(lo, tcb->snd_max))
		pipe += tcb->snd_max - lo;
	return pipe;
}

/* The next hole to retransmit at or above HighRxt: a lost one (RFC 6675
 * NextSeg() rule 1), or with any, the first unSACKed one (rule 3). Returns
 * its length from *seq, or 0.
 */
static uint32_t
fp_tcp_sb_hole(const struct fp_tcb *tcb, const struct fp_tcp_sb *sb, bool any, uint32_t *seq)
{
	uint32_t lo = tcb->snd_una, from = sb->high_rxt, k, s2;
	uint32_t nb_lost = any ? 0 : fp_tcp_sb_nb_lost(sb, tcb->mss);

	for (k = 0; k < sb->nb; lo = sb->blk[k][1], k++) {
		if (fp_seq_le(sb->blk[k][0], from) || sb->blk[k][0] == lo)
			continue;
		if (!any && !fp_tcp_sb_lost(sb, k, lo, nb_lost))
			return 0;	/* holes above are not lost either */
		s2 = fp_seq_gt(from, lo) ? from : lo;
		*seq = s2;
		return RTE_MIN(sb->blk[k][0] - s2, (uint32_t)tcb->mss);
	}
	return 0;
}

/* CUBIC (RFC 9438) in fixed point: windows in bytes, time in ms.
 * C = 0.4 segments / s^3, beta_cubic = 0.7.
 */
#define FP_CUBIC_BETA_NUM 7
#define FP_CUBIC_BETA_DEN 10
#define FP_CUBIC_D_MAX 100000	/* ms: (t - K) clamped, so d^3 * C * MSS fits */

/* The integer cube root of x (Newton's method from above). */
static uint64_t
fp_icbrt(uint64_t x)
{
	uint64_t y = 1, z;

	if (x == 0)
		return 0;
	/* A first guess at or above the root: 2^ceil(bits / 3). */
	y <<= (64 - __builtin_clzll(x) + 2) / 3;
	for (;;) {
		z = (2 * y + x / (y * y)) / 3;
		if (z >= y)
			return y;
		y = z;
	}
}

uint32_t
fp_tcp_cc_loss(const struct fp_tcp_lcore *t, struct fp_tcb *tcb)
{
	struct fp_tcb_cold *cc = fp_tcb_cold(t, tcb);
	uint32_t flight = tcb->snd_max - tcb->snd_una, w;

	if (t->p.cc == FP_CC_newreno)
		/* RFC 5681 (4): "ssthresh = max (FlightSize / 2, 2*SMSS)". */
		return RTE_MAX(flight / 2, 2u * tcb->mss);
	/* 4.6 allows cwnd for flight_size, if cwnd does not grow while the
	 * flight is smaller (fp_tcp_ack grows it only when it was used): a
	 * flight that ACKs have drained before the loss was seen would
	 * otherwise cut far below the window the path held.
	 */
	w = RTE_MAX(RTE_MAX(flight, tcb->cwnd), 2u * tcb->mss);
	/* RFC 9438 4.7 fast convergence: a loss below the last W_max means
	 * another flow took bandwidth; give it room, W_max * (1 + beta) / 2.
	 */
	if (w < cc->w_max)
		cc->w_max = (uint32_t)((uint64_t)w * (FP_CUBIC_BETA_DEN + FP_CUBIC_BETA_NUM) /
			(2 * FP_CUBIC_BETA_DEN));
	else
		cc->w_max = w;
	cc->cubic_epoch = 0;
	/* 4.6: "ssthresh = flight_size * beta_cubic" (cwnd, above). */
	return RTE_MAX((uint32_t)((uint64_t)w * FP_CUBIC_BETA_NUM / FP_CUBIC_BETA_DEN),
		2u * tcb->mss);
}

void
fp_tcp_cc_ack(const struct fp_tcp_lcore *t, struct fp_tcb *tcb, uint32_t acked)
{
	uint32_t mss = tcb->mss, cwnd = tcb->cwnd, target, now = t->now_ms;
	struct fp_tcb_cold *cc;
	int64_t d, dw;

	if (t->p.cc == FP_CC_newreno) {
		/* RFC 5681 3.1: about one segment per RTT. */
		tcb->cwnd += RTE_MAX(mss * mss / cwnd, 1u);
		return;
	}
	cc = fp_tcb_cold(t, tcb);
	if (cc->cubic_epoch == 0) {
		/* 4.2: a new epoch at the first ACK of congestion avoidance;
		 * K is when the curve comes back to W_max, from below.
		 */
		cc->cubic_epoch = now != 0 ? now : 1;
		cc->w_est = cwnd;
		if (cwnd < cc->w_max) {
			/* K = cbrt((W_max - cwnd) / C), in ms:
			 * cbrt(segments * 2.5 * 10^9).
			 */
			cc->cubic_k = (uint32_t)fp_icbrt((uint64_t)(cc->w_max - cwnd) *
				2500000000ull / mss);
			cc->cubic_origin = cc->w_max;
		} else {
			cc->cubic_k = 0;
			cc->cubic_origin = cwnd;
		}
	}
	/* 4.2: the target is W_cubic(t + RTT). */
	d = (int64_t)(uint32_t)(now - cc->cubic_epoch) + (tcb->srtt >> 3) - cc->cubic_k;
	d = RTE_MAX(RTE_MIN(d, (int64_t)FP_CUBIC_D_MAX), -(int64_t)FP_CUBIC_D_MAX);
	/* C * d^3 segments, d in ms: 0.4 * d^3 / 10^9 = 4 * d^3 / 10^10. */
	dw = 4 * d * d * d / 10000 * mss / 1000000;
	target = (uint32_t)RTE_MAX((int64_t)cc->cubic_origin + dw, (int64_t)0);
	/* 4.3: the Reno-friendly estimate grows by alpha = 3 (1 - beta) /
	 * (1 + beta) = 9 / 17 segments per window acknowledged; where it is
	 * ahead, it is the target.
	 */
	cc->w_est += (uint32_t)((uint64_t)9 * acked * mss / (17ull * cwnd));
	target = RTE_MAX(target, cc->w_est);
	/* 4.4: at most 1.5 times cwnd per RTT, never less than cwnd. */
	target = RTE_MIN(target, cwnd + cwnd / 2);
	if (target > cwnd)
		tcb->cwnd += RTE_MAX((uint32_t)((uint64_t)(target - cwnd) * acked / cwnd), 1u);
}

bool
fp_tcp_sack_enter(struct fp_tcp_lcore *t, struct fp_tcb *tcb)
{
	struct fp_tcp_sb *sb = fp_tcp_sb_of(t, tcb);

	if (sb == NULL || sb->nb == 0)
		return false;
	/* RFC 6675 (4.1)-(4.3) with RFC 6937's start: RecoveryPoint is
	 * HighData, ssthresh is halved, and the first segment presumed lost
	 * goes out at once.
	 */
	tcb->recover = tcb->snd_max;
	tcb->ssthresh = fp_tcp_cc_loss(t, tcb);
	tcb->cwnd = tcb->ssthresh;
	tcb->flags |= FP_TCB_RECOVERY | FP_TCB_SACK_REC;
	tcb->dupacks = 0;
	sb->high_rxt = tcb->snd_una;
	sb->recover_fs = tcb->snd_max - tcb->snd_una;
	sb->prr_delivered = 0;
	sb->prr_out = 0;
	sb->sndcnt = 0;
	fp_count(t->st, FP_C_tcp_sack_recoveries, 1);
	fp_tcp_sack_resend(t, tcb, tcb->snd_una, RTE_MIN((uint32_t)tcb->mss,
		sb->nb != 0 ? sb->blk[0][0] - tcb->snd_una : tcb->snd_max - tcb->snd_una));
	return true;
}

void
fp_tcp_prr(struct fp_tcp_lcore *t, struct fp_tcb *tcb, uint32_t delivered)
{
	struct fp_tcp_sb *sb = fp_tcp_sb_of(t, tcb);
	uint32_t pipe, limit;
	int64_t sndcnt;

	if (sb == NULL)
		return;
	sb->prr_delivered += delivered;
	pipe = fp_tcp_sb_pipe(tcb, sb);
	/* RFC 6937 3.1: while pipe is above ssthresh, send in proportion to
	 * what was delivered; below it, slow start back up to ssthresh, by
	 * at most one segment more than was delivered (PRR-SSRB).
	 */
	if (pipe > tcb->ssthresh) {
		sndcnt = ((uint64_t)sb->prr_delivered * tcb->ssthresh + sb->recover_fs - 1) /
			RTE_MAX(sb->recover_fs, 1u);
		sndcnt -= sb->prr_out;
	} else {
		limit = RTE_MAX(sb->prr_delivered > sb->prr_out ?
			sb->prr_delivered - sb->prr_out : 0, delivered) + tcb->mss;
		sndcnt = RTE_MIN(tcb->ssthresh - pipe, limit);
	}
	sb->sndcnt = sndcnt > 0 ? (uint32_t)sndcnt : 0;
	tcb->cwnd = pipe + sb->sndcnt;
}

bool
fp_tcp_sack_dupack(struct fp_tcp_lcore *t, struct fp_tcb *tcb, uint32_t ack, uint32_t newly)
{
	if (tcb->flags & FP_TCB_SACK_REC) {
		fp_tcp_prr(t, tcb, newly);
		return true;
	}
	/* RFC 6582's "ack > recover" keeps NewReno from a second fast
	 * retransmit for one window; with SACK the blocks say what is new,
	 * and a loss right at the last recovery point must not wait for an
	 * RTO.
	 */
	if ((tcb->flags & FP_TCB_RECOVERY) || !fp_seq_ge(ack, tcb->recover))
		return false;
	/* RFC 6675 (4): "DupAcks >= DupThresh" or "IsLost (HighACK + 1)". */
	if ((tcb->dupacks >= FP_TCP_DUPTHRESH || fp_tcp_sb_head_lost(t, tcb)) &&
			fp_tcp_sack_enter(t, tcb)) {
		fp_tcp_prr(t, tcb, newly);
		fp_count(t->st, FP_C_tcp_fast_retransmits, 1);
		fp_tcp_arm_rexmit(t, tcb);
		return true;
	}
	return false;
}

void
fp_tcp_sack_exit(struct fp_tcp_lcore *t, struct fp_tcb *tcb)
{
	struct fp_tcp_sb *sb = fp_tcp_sb_of(t, tcb);

	/* RFC 6937 3.1: "On any ACK ... that exits recovery: cwnd = ssthresh". */
	tcb->cwnd = tcb->ssthresh;
	tcb->flags &= ~(FP_TCB_RECOVERY | FP_TCB_SACK_REC);
	fp_tcp_reo_recovered(tcb);
	tcb->dupacks = 0;
	if (sb != NULL && sb->nb == 0)
		fp_tcp_sb_free(t, tcb);
}

void
fp_tcp_sb_reset(struct fp_tcp_lcore *t, struct fp_tcb *tcb)
{
	/* RFC 2018 8: "After a retransmit timeout the data sender SHOULD
	 * turn off all of the SACKed bits", the receiver may have reneged.
	 */
	tcb->flags &= ~FP_TCB_SACK_REC;
	fp_tcp_sb_free(t, tcb);
}

/* Sends one segment of [seq, seq + len) again; returns the bytes sent. */
uint32_t
fp_tcp_sack_resend(struct fp_tcp_lcore *t, struct fp_tcb *tcb, uint32_t seq, uint32_t len)
{
	struct fp_tcp_sb *sb = fp_tcp_sb_of(t, tcb);
	uint32_t end = tcb->snd_una + tcb->sq_bytes, sent;

	if (fp_seq_gt(seq + len, end))
		len = fp_seq_gt(end, seq) ? end - seq : 0;
	sent = fp_tcp_resend(t, tcb, seq, len);
	if (sent == 0)
		return 0;
	fp_count(t->st, FP_C_tcp_sack_retransmits, 1);
	if (sb != NULL && fp_seq_gt(seq + sent, sb->high_rxt))
		sb->high_rxt = seq + sent;
	if (sb != NULL) {
		sb->prr_out += sent;
		/* Watched: the oldest is forgotten when full (an RTO then). */
		if (sb->nb_rxt == FP_TCP_SB_RXT) {
			memmove(sb->rxt, sb->rxt + 1, (FP_TCP_SB_RXT - 1) * sizeof(sb->rxt[0]));
			sb->nb_rxt--;
		}
		sb->rxt[sb->nb_rxt].seq = seq;
		sb->rxt[sb->nb_rxt].end = seq + RTE_MIN(sent, len);
		sb->rxt[sb->nb_rxt].fence = tcb->snd_max;
		sb->nb_rxt++;
	}
	return sent;
}

/* One segment of data never sent (up to an MSS, within the peer's
 * window; cwnd is the caller's business), or the FIN alone once all data
 * went. Returns the sequence space sent, from *seq.
 */
static uint32_t
fp_tcp_send_new(struct fp_tcp_lcore *t, struct fp_tcb *tcb, uint32_t *seq)
{
	uint32_t end = tcb->snd_una + tcb->sq_bytes, avail, room, len, sent;
	bool fin;

	*seq = tcb->snd_nxt;
	avail = fp_seq_lt(tcb->snd_nxt, end) ? end - tcb->snd_nxt : 0;
	if (avail == 0) {
		/* A FIN takes no window. */
		if (!(tcb->flags & FP_TCB_FIN_QUEUED) || (tcb->flags & FP_TCB_FIN_SENT) ||
				fp_tcp_send_ctl(t, tcb, RTE_TCP_FIN_FLAG | RTE_TCP_ACK_FLAG,
				tcb->snd_nxt) != 0)
			return 0;
		sent = 1;
		fin = true;
	} else {
		room = fp_seq_lt(tcb->snd_nxt, tcb->snd_una + tcb->snd_wnd) ?
			tcb->snd_una + tcb->snd_wnd - tcb->snd_nxt : 0;
		len = RTE_MIN(RTE_MIN(avail, room), (uint32_t)tcb->mss);
		if (len == 0)
			return 0;
		fin = (tcb->flags & FP_TCB_FIN_QUEUED) && len == avail;
		sent = fp_tcp_send_data(t, tcb, tcb->snd_nxt, len, fin);
		if (sent == 0)
			return 0;
		fin = fin && sent == len + 1;
	}
	tcb->snd_nxt += sent;
	if (fp_seq_gt(tcb->snd_nxt, tcb->snd_max))
		tcb->snd_max = tcb->snd_nxt;
	if (fin)
		fp_tcp_fin_sent(t, tcb);
	return sent;
}

bool
fp_tcp_sack_output(struct fp_tcp_lcore *t, struct fp_tcb *tcb)
{
	struct fp_tcp_sb *sb = fp_tcp_sb_of(t, tcb);
	uint32_t seq = 0, len, sent;

	if (sb == NULL || !(tcb->flags & FP_TCB_SACK_REC))
		return false;
	while (sb->sndcnt != 0) {
		/* Rule 1: a lost hole. */
		len = fp_tcp_sb_hole(tcb, sb, false, &seq);
		if (len == 0) {
			/* Rule 2: new data, within the peer's window. */
			sent = fp_tcp_send_new(t, tcb, &seq);
			if (sent != 0) {
				sb->prr_out += sent;
				sb->sndcnt = sent >= sb->sndcnt ? 0 : sb->sndcnt - sent;
				continue;
			}
			/* Rule 3: any hole not SACKed. */
			len = fp_tcp_sb_hole(tcb, sb, true, &seq);
			if (len == 0)
				break;
		}
		sent = fp_tcp_sack_resend(t, tcb, seq, len);
		if (sent == 0)
			break;
		sb->sndcnt = sent >= sb->sndcnt ? 0 : sb->sndcnt - sent;
	}
	return true;
}

/* RFC 8985 6.2's reordering window: SRTT / 4 (no min_RTT is kept) times
 * reo_wnd_mult, at most SRTT, at least the 1 ms clock.
 */
static inline uint32_t
fp_tcp_reo_wnd(const struct fp_tcb *tcb)
{
	uint32_t mult = (tcb->reo & FP_REO_MULT) + 1;

	return RTE_MAX(RTE_MIN((tcb->srtt >> 5) * mult, tcb->srtt >> 3), 1u);
}

void
fp_tcp_reo_dsack(struct fp_tcp_lcore *t, struct fp_tcb *tcb)
{
	uint8_t mult = tcb->reo & FP_REO_MULT;

	/* 6.2: "If ... a DSACK was received ..., RACK.reo_wnd_mult += 1;
	 * RACK.reo_wnd_persist = 16" (per D-SACK here, not per round: the
	 * window stops at SRTT after three anyway).
	 */
	if (mult < FP_REO_MULT)
		mult++;
	tcb->reo = mult | FP_REO_PERSIST << FP_REO_PERSIST_SHIFT;
	fp_count(t->st, FP_C_tcp_dsacks, 1);
}

void
fp_tcp_reo_recovered(struct fp_tcb *tcb)
{
	uint8_t left = tcb->reo >> FP_REO_PERSIST_SHIFT;

	/* 6.2: "Else if exiting Fast or RTO recovery: RACK.reo_wnd_persist
	 * -= 1; If RACK.reo_wnd_persist <= 0: RACK.reo_wnd_mult = 1".
	 */
	if (left == 0)
		return;
	left--;
	tcb->reo = left == 0 ? 0 : (tcb->reo & FP_REO_MULT) | left << FP_REO_PERSIST_SHIFT;
}

/* In SACK recovery, a hole below the highest SACKed block that neither
 * IsLost() nor an earlier reordering window marked, and that was not
 * retransmitted yet.
 */
static inline bool
fp_tcp_rack_pending(const struct fp_tcp_sb *sb)
{
	uint32_t top = sb->blk[sb->nb - 1][0];

	return fp_seq_lt(sb->lost_below, top) && fp_seq_lt(sb->high_rxt, top);
}

void
fp_tcp_arm_rack(struct fp_tcp_lcore *t, struct fp_tcb *tcb)
{
	const struct fp_tcp_sb *sb = fp_tcp_sb_of(t, tcb);
	uint32_t d;

	/* RFC 8985 6.2: a hole below SACKed data (sent after it) is lost
	 * once that data has been in for a reordering window; the PTO's
	 * handler turns the timeout into recovery, or in SACK recovery into
	 * retransmissions (fp_tcp_tlp_fire). Without this a recovery whose
	 * last ACKs were lost would wait for the RTO: 6.3's reordering
	 * timer.
	 */
	if (sb == NULL || sb->nb == 0 || tcb->retries != 0 || tcb->snd_nxt != tcb->snd_max)
		return;
	if (tcb->flags & FP_TCB_RECOVERY) {
		if (!(tcb->flags & FP_TCB_SACK_REC) || !fp_tcp_rack_pending(sb))
			return;
	}
	d = fp_tcp_deadline(t, fp_tcp_reo_wnd(tcb));
	if (tcb->t_rexmit != 0 && fp_seq_le(tcb->t_rexmit, d))
		return;		/* an earlier deadline stays */
	tcb->t_rexmit = d;
	tcb->flags |= FP_TCB_PTO;
	fp_tcp_timer_update(t, tcb);
}

__rte_hot void
fp_tcp_arm_pto(struct fp_tcp_lcore *t, struct fp_tcb *tcb)
{
	uint32_t pto, flight = tcb->snd_max - tcb->snd_una;

	/* A probe whose answer had two RTTs to come and told nothing (its
	 * copy was there already, or the answer was lost) is over.
	 */
	if (unlikely(tcb->tlp_end != 0) &&
			(uint16_t)(t->now_ms - tcb->tlp_ms) >
			RTE_MIN(RTE_MAX(tcb->srtt >> 2, 2u), (uint32_t)UINT16_MAX))
		tcb->tlp_end = 0;
	/* RFC 8985 7.2: a probe when the RTT is known, SACK will say what it
	 * found, no recovery or probe is under way, and no timeout has
	 * fired for this data (then go-back-N is resending it). The states
	 * with data in flight are ESTABLISHED to CLOSING (FIN-WAIT-2 has
	 * none).
	 */
	if ((tcb->flags & (FP_TCB_SACK | FP_TCB_RECOVERY)) != FP_TCB_SACK || tcb->srtt == 0 ||
			(tcb->tlp_end | tcb->retries) != 0 || tcb->snd_nxt != tcb->snd_max ||
			flight == 0 || (uint8_t)(tcb->state - FP_TCP_ESTABLISHED) >
			FP_TCP_CLOSING - FP_TCP_ESTABLISHED) {
		fp_tcp_arm_rexmit(t, tcb);
		if (unlikely(tcb->flags & FP_TCB_SACK_REC))
			fp_tcp_arm_rack(t, tcb);
		return;
	}
	/* 7.2: "PTO = 2 * SRTT", plus the worst delayed ACK (200 ms) when a
	 * single segment is out, else 2 ms; never beyond the RTO. With data
	 * SACKed above a hole, RACK's reordering window instead.
	 */
	if (tcb->sb != 0 && t->sbs[tcb->sb - 1].nb != 0)
		pto = fp_tcp_reo_wnd(tcb);
	else
		pto = 2 * (tcb->srtt >> 3) + (flight <= tcb->mss ? 200 : 2);
	pto = RTE_MIN(pto, tcb->rto);
	tcb->t_rexmit = fp_tcp_deadline(t, pto);
	tcb->flags |= FP_TCB_PTO;
	fp_tcp_timer_update(t, tcb);
}

/* A tail loss probe went: [seq, seq + sent), rtx when sent before. */
static void
fp_tcp_tlp_mark(struct fp_tcp_lcore *t, struct fp_tcb *tcb, uint32_t seq, uint32_t sent,
	bool rtx)
{
	tcb->tlp_end = seq + sent;
	tcb->tlp_len = (uint16_t)(sent & FP_TLP_LEN) | (rtx ? FP_TLP_RTX : 0);
	tcb->tlp_ms = (uint16_t)t->now_ms;
	fp_count(t->st, FP_C_tcp_tlp_probes, 1);
}

/* One new segment as a probe (beyond cwnd, as TLP's); its length, or 0
 * when none may go.
 */
static uint32_t
fp_tcp_probe_new(struct fp_tcp_lcore *t, struct fp_tcb *tcb)
{
	uint32_t seq, sent;

	if (tcb->snd_nxt != tcb->snd_max)
		return 0;
	sent = fp_tcp_send_new(t, tcb, &seq);
	if (sent != 0)
		fp_tcp_tlp_mark(t, tcb, seq, sent, false);
	return sent;
}

void
fp_tcp_tlp_fire(struct fp_tcp_lcore *t, struct fp_tcb *tcb)
{
	struct fp_tcp_sb *sb = fp_tcp_sb_of(t, tcb);
	uint32_t end = tcb->snd_una + tcb->sq_bytes, len, seq, sent, pipe;

	tcb->flags &= ~FP_TCB_PTO;
	/* RFC 8985 6.3, in SACK recovery: the reordering window of the
	 * highest SACKed data is over, so the holes sent before it are lost;
	 * they go within what cwnd leaves once they no longer count in pipe
	 * (as Linux's tcp_rack_reo_timeout does).
	 */
	if (tcb->flags & FP_TCB_SACK_REC) {
		if (sb != NULL && sb->nb != 0 && fp_tcp_rack_pending(sb)) {
			sb->lost_below = sb->blk[sb->nb - 1][0];
			fp_count(t->st, FP_C_tcp_rack_timeouts, 1);
			pipe = fp_tcp_sb_pipe(tcb, sb);
			sb->sndcnt = tcb->cwnd > pipe ? tcb->cwnd - pipe : 0;
			fp_tcp_sack_output(t, tcb);
		}
		fp_tcp_arm_rexmit(t, tcb);
		return;
	}
	/* Data SACKed above a hole, and nothing for a PTO since: RACK would
	 * have marked the hole lost by now (sent before data that arrived
	 * at least an RTT ago), and a probe of the last segment, SACKed
	 * already, would tell nothing new. Recovery, at once; and new data
	 * behind the retransmission, whose SACK will tell if that was lost
	 * too.
	 */
	if (sb != NULL && sb->nb != 0 && fp_seq_ge(tcb->snd_una, tcb->recover)) {
		if (fp_seq_gt(sb->blk[sb->nb - 1][0], sb->lost_below))
			sb->lost_below = sb->blk[sb->nb - 1][0];
		if (fp_tcp_sack_enter(t, tcb)) {
			fp_count(t->st, FP_C_tcp_tlp_losses, 1);
			fp_tcp_prr(t, tcb, 0);
			fp_tcp_probe_new(t, tcb);
			fp_tcp_arm_rexmit(t, tcb);
			return;
		}
	}
	/* RFC 8985 7.3: "If a previously unsent segment exists AND the
	 * receive window allows new data to be sent": that one; else the
	 * last segment sent, again.
	 */
	if (fp_tcp_probe_new(t, tcb) == 0) {
		len = RTE_MIN(tcb->sq_bytes, (uint32_t)tcb->mss);
		seq = end - len;
		sent = fp_tcp_resend(t, tcb, seq, len);
		if (sent != 0)
			fp_tcp_tlp_mark(t, tcb, seq, sent, true);
	}
	/* 7.3: then the retransmission timer, for the probe too. */
	fp_tcp_arm_rexmit(t, tcb);
}

void
fp_tcp_tlp_ack(struct fp_tcp_lcore *t, struct fp_tcb *tcb, const struct fp_tcp_seg *s)
{
	uint32_t seq = tcb->tlp_end - (tcb->tlp_len & FP_TLP_LEN), k;

	/* RFC 8985 7.4: the probe's episode ends with the ACK of it. New
	 * data tells nothing of a loss. A copy sent again that the peer
	 * reports as a duplicate (D-SACK, RFC 2883) was not needed: the
	 * original and the probe both arrived.
	 */
	if (!(tcb->tlp_len & FP_TLP_RTX))
		goto over;
	for (k = 0; k < s->o.nb_sack; k++)
		if (fp_seq_le(s->o.sack[k][0], seq) && fp_seq_ge(s->o.sack[k][1], tcb->tlp_end) &&
				fp_seq_le(s->o.sack[k][1], s->ack))
			goto over;
	/* An ACK of the probe's end and no more may be the original's,
	 * delayed by the receiver, with the copy's D-SACK still to come
	 * (RFC 8985 7.4.2: the episode ends "upon receiving an ACK that
	 * acknowledges data beyond the TLP retransmission", as Linux's
	 * tcp_process_tlp_ack): wait for either.
	 */
	if (!fp_seq_gt(s->ack, tcb->tlp_end))
		return;
	/* Without it, the probe repaired a loss, which congestion control
	 * must hear of (7.4.2): a window reduction, as at the end of a fast
	 * recovery (Linux's CWR), unless a recovery already made one.
	 */
	if (!(tcb->flags & FP_TCB_RECOVERY) && fp_seq_ge(tcb->snd_una, tcb->recover)) {
		tcb->ssthresh = fp_tcp_cc_loss(t, tcb);
		tcb->cwnd = RTE_MIN(tcb->cwnd, tcb->ssthresh);
		tcb->recover = tcb->snd_max;
		fp_count(t->st, FP_C_tcp_tlp_recoveries, 1);
	}
over:
	tcb->tlp_end = 0;
}
