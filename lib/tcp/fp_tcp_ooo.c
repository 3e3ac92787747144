/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The fastpath authors
 */

/* The out-of-order queue of each connection (reassembly) and the SACK
 * blocks it reports (RFC 2018). Entries come from one per-worker array;
 * each holds a reference to the mbuf its bytes are in.
 */

#include <rte_mbuf.h>

#include "fp_tcp_priv.h"

static inline struct fp_tcp_ooo *
fp_tcp_ooo_at(const struct fp_tcp_lcore *t, uint32_t idx)
{
	return &t->ooo[idx - 1];
}

/* Drops the first n bytes still wanted of e. */
static inline void
fp_tcp_ooo_skip(struct fp_tcp_ooo *e, uint32_t n)
{
	e->data += n;
	e->seq += n;
	e->len -= n;
}

/* Gives back entry idx (index + 1), unlinked by the caller. */
static void
fp_tcp_ooo_put(struct fp_tcp_lcore *t, struct fp_tcb *tcb, uint32_t idx)
{
	struct fp_tcp_ooo *e = fp_tcp_ooo_at(t, idx);

	rte_pktmbuf_free(e->m);
	e->m = NULL;
	t->ooo_free[t->nb_ooo_free++] = idx - 1;
	tcb->nb_ooo--;
}

/* Unlinks and gives back the entry after prev (0: the head). Returns the
 * index of the one that followed it.
 */
static uint32_t
fp_tcp_ooo_remove(struct fp_tcp_lcore *t, struct fp_tcb *tcb, uint32_t prev, uint32_t idx)
{
	uint32_t next = fp_tcp_ooo_at(t, idx)->next;

	if (prev == 0)
		tcb->ooo_head = next;
	else
		fp_tcp_ooo_at(t, prev)->next = next;
	fp_tcp_ooo_put(t, tcb, idx);
	return next;
}

bool
fp_tcp_ooo_add(struct fp_tcp_lcore *t, struct fp_tcb *tcb, struct rte_mbuf *m, uint32_t seq,
	const char *data, uint32_t len, bool fin)
{
	uint32_t prev = 0, idx, end, edge, e_end, i;
	struct fp_tcp_ooo *e;

	if (len == 0 || tcb->nb_ooo >= t->p.ooo_max || t->nb_ooo_free == 0 || t->pool_low ||
			m->nb_segs != 1) {
		fp_count_drop(t->st, FP_DROP_tcp_out_of_order);
		return false;
	}
	/* Nothing past the right edge we advertised. */
	edge = fp_seq_gt(tcb->rcv_adv, tcb->rcv_nxt) ? tcb->rcv_adv : tcb->rcv_nxt + t->p.rcv_wnd;
	if (fp_seq_gt(seq + len, edge)) {
		len = edge - seq;
		fin = false;
		if (fp_seq_le(seq + len, seq) || len == 0) {
			fp_count_drop(t->st, FP_DROP_tcp_out_of_order);
			return false;
		}
	}
	end = seq + len;
	/* The entries before it, and one that overlaps its start: the bytes
	 * already queued win at the edges (RFC 9293 lets either copy win).
	 */
	for (idx = tcb->ooo_head; idx != 0; idx = e->next) {
		e = fp_tcp_ooo_at(t, idx);
		if (!fp_seq_lt(e->seq, seq))
			break;
		e_end = e->seq + e->len;
		if (fp_seq_gt(e_end, seq)) {
			if (!fp_seq_lt(e_end, end)) {
				/* Wholly inside: nothing new. */
				fp_count_drop(t->st, FP_DROP_tcp_ooo_duplicate);
				return false;
			}
			data += e_end - seq;
			seq = e_end;
		}
		prev = idx;
	}
	/* Entries it covers whole are replaced by it; one overlapping its
	 * end cuts it short.
	 */
	while (idx != 0) {
		e = fp_tcp_ooo_at(t, idx);
		if (!fp_seq_lt(e->seq, end))
			break;
		e_end = e->seq + e->len;
		if (fp_seq_gt(e_end, end)) {
			end = e->seq;
			fin = false;
			break;
		}
		fin = fin || (e->fin && e_end == end);
		idx = fp_tcp_ooo_remove(t, tcb, prev, idx);
	}
	len = end - seq;
	if (len == 0) {
		fp_count_drop(t->st, FP_DROP_tcp_ooo_duplicate);
		return false;
	}
	i = t->ooo_free[--t->nb_ooo_free];
	e = &t->ooo[i];
	rte_mbuf_refcnt_update(m, 1);
	e->m = m;
	e->data = data;
	e->seq = seq;
	e->len = len;
	e->fin = fin;
	e->tcb = fp_tcb_idx(t, tcb);
	e->stamp = ++t->ooo_stamp;
	e->next = idx;
	if (prev == 0)
		tcb->ooo_head = i + 1;
	else
		fp_tcp_ooo_at(t, prev)->next = i + 1;
	tcb->nb_ooo++;
	fp_count(t->st, FP_C_tcp_ooo_queued, 1);
	return true;
}

const struct fp_tcp_ooo *
fp_tcp_ooo_front(struct fp_tcp_lcore *t, struct fp_tcb *tcb)
{
	struct fp_tcp_ooo *e;
	uint32_t cut;

	while (tcb->ooo_head != 0) {
		e = fp_tcp_ooo_at(t, tcb->ooo_head);
		if (fp_seq_gt(e->seq, tcb->rcv_nxt))
			return NULL;
		cut = tcb->rcv_nxt - e->seq;
		if (cut < e->len || (cut == e->len && e->fin)) {
			fp_tcp_ooo_skip(e, cut);
			return e;
		}
		/* Overtaken by the in-order data. */
		fp_tcp_ooo_remove(t, tcb, 0, tcb->ooo_head);
	}
	return NULL;
}

void
fp_tcp_ooo_took(struct fp_tcp_lcore *t, struct fp_tcb *tcb, uint32_t n)
{
	struct fp_tcp_ooo *e = fp_tcp_ooo_at(t, tcb->ooo_head);

	if (n < e->len) {
		fp_tcp_ooo_skip(e, n);
		return;
	}
	fp_tcp_ooo_remove(t, tcb, 0, tcb->ooo_head);
}

__rte_hot void
fp_tcp_ooo_clear(struct fp_tcp_lcore *t, struct fp_tcb *tcb)
{
	while (tcb->ooo_head != 0)
		fp_tcp_ooo_remove(t, tcb, 0, tcb->ooo_head);
}

uint32_t
fp_tcp_ooo_renege(struct fp_tcp_lcore *t)
{
	uint32_t i, n = t->p.ooo_segs - t->nb_ooo_free;

	/* RFC 2018 8: the receiver may discard data it has SACKed ("reneging"),
	 * as the sender keeps all it has not had cumulatively acknowledged.
	 */
	for (i = 0; i < t->p.ooo_segs && t->nb_ooo_free != t->p.ooo_segs; i++)
		if (t->ooo[i].m != NULL)
			fp_tcp_ooo_clear(t, &t->tcbs[t->ooo[i].tcb]);
	return n;
}

unsigned int
fp_tcp_sack_blocks(const struct fp_tcp_lcore *t, const struct fp_tcb *tcb,
	uint32_t blocks[][2], uint32_t stamps[], unsigned int max)
{
	const struct fp_tcp_ooo *e;
	unsigned int n = 0, i, j;
	uint32_t idx, left = 0, right = 0, stamp = 0, bl, br, bs;
	bool open = false;

	/* Runs of adjacent entries make one block each; RFC 2018 4: "The
	 * first SACK block ... MUST specify the contiguous block of data
	 * containing the segment which triggered this ACK", and the rest
	 * follow, most recent first: blocks are kept sorted by their newest
	 * arrival, the max most recent kept.
	 */
	for (idx = tcb->ooo_head; ; idx = e->next) {
		e = idx != 0 ? fp_tcp_ooo_at(t, idx) : NULL;
		if (open && (e == NULL || e->seq != right)) {
			bl = left;
			br = right;
			bs = stamp;
			for (i = 0; i < n && fp_seq_gt(stamps[i], bs); i++)
				;
			if (i < max) {
				if (n == max)
					n--;
				for (j = n; j > i; j--) {
					blocks[j][0] = blocks[j - 1][0];
					blocks[j][1] = blocks[j - 1][1];
					stamps[j] = stamps[j - 1];
				}
				blocks[i][0] = bl;
				blocks[i][1] = br;
				stamps[i] = bs;
				n++;
			}
			open = false;
		}
		if (e == NULL)
			break;
		if (!open) {
			left = e->seq;
			stamp = e->stamp;
			open = true;
		} else if (fp_seq_gt(e->stamp, stamp)) {
			stamp = e->stamp;
		}
		right = e->seq + e->len;
	}
	return n;
}
