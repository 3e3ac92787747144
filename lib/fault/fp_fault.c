/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The fastpath authors
 */

#include <string.h>

#include "fp_fault.h"

/* xorshift64* (Vigna): fast, and the same stream for the same seed. */
static inline uint64_t
fp_fault_next(struct fp_fault *f)
{
	f->rng ^= f->rng >> 12;
	f->rng ^= f->rng << 25;
	f->rng ^= f->rng >> 27;
	return f->rng * 0x2545f4914f6cdd1dull;
}

/* True with probability ppm / 1,000,000. */
static inline bool
fp_fault_hit(struct fp_fault *f, uint32_t ppm)
{
	return ppm != 0 && (fp_fault_next(f) >> 32) % 1000000 < ppm;
}

void
fp_fault_init(struct fp_fault *f, const struct fp_config *cfg, unsigned int w)
{
	memset(f, 0, sizeof(*f));
	f->on = cfg->fault_enabled;
	/* splitmix64 of seed and worker: distinct, never-zero streams. */
	f->rng = (uint64_t)cfg->fault_seed * 0x9e3779b97f4a7c15ull + w + 1;
	f->rng = (f->rng ^ (f->rng >> 30)) * 0xbf58476d1ce4e5b9ull;
	f->rng = (f->rng ^ (f->rng >> 27)) * 0x94d049bb133111ebull;
	f->rng ^= f->rng >> 31;
	if (f->rng == 0)
		f->rng = 1;
	f->dir[FP_FAULT_RX].drop = cfg->fault_rx_drop;
	f->dir[FP_FAULT_RX].dup = cfg->fault_rx_dup;
	f->dir[FP_FAULT_RX].reorder = cfg->fault_rx_reorder;
	f->dir[FP_FAULT_RX].delay_ms = cfg->fault_rx_delay_ms;
	f->dir[FP_FAULT_TX].drop = cfg->fault_tx_drop;
	f->dir[FP_FAULT_TX].dup = cfg->fault_tx_dup;
	f->dir[FP_FAULT_TX].reorder = cfg->fault_tx_reorder;
	f->dir[FP_FAULT_TX].delay_ms = cfg->fault_tx_delay_ms;
}

/* Puts m in out (count *k of cap), or frees it when there is no room. */
static inline void
fp_fault_emit(struct rte_mbuf **out, uint16_t *k, uint16_t cap, struct rte_mbuf *m,
	struct fp_stats *st, enum fp_counter dropped)
{
	if (*k < cap) {
		out[(*k)++] = m;
		return;
	}
	rte_pktmbuf_free(m);
	fp_count(st, dropped, 1);
}

/* Sends m down the line: delayed when there is a delay (and room in the
 * line), else out at once.
 */
static inline void
fp_fault_pass(struct fp_fault_dir *d, struct rte_mbuf **out, uint16_t *k, uint16_t cap,
	struct rte_mbuf *m, uint64_t now_ms, struct fp_stats *st, enum fp_counter dropped)
{
	uint32_t tail;

	if (d->delay_ms == 0 || d->len == FP_FAULT_DELAY_MAX) {
		fp_fault_emit(out, k, cap, m, st, dropped);
		return;
	}
	tail = (d->head + d->len) % FP_FAULT_DELAY_MAX;
	d->line[tail] = m;
	d->due[tail] = now_ms + d->delay_ms;
	d->len++;
	fp_count(st, FP_C_fault_delayed, 1);
}

uint16_t
fp_fault_apply(struct fp_fault *f, enum fp_fault_way way, struct rte_mbuf **pkts, uint16_t n,
	uint16_t cap, uint64_t now_ms, struct fp_stats *st)
{
	const enum fp_counter dropped = way == FP_FAULT_RX ? FP_C_fault_rx_dropped :
		FP_C_fault_tx_dropped;
	struct fp_fault_dir *d = &f->dir[way];
	struct rte_mbuf *in[2 * FP_FAULT_CAP_MAX], *m, *c;
	uint16_t nb_in = 0, k = 0, i;

	/* More than a call takes: the excess is lost on the wire. */
	for (; n > FP_FAULT_CAP_MAX; n--) {
		rte_pktmbuf_free(pkts[n - 1]);
		fp_count(st, dropped, 1);
	}
	if (cap > FP_FAULT_CAP_MAX)
		cap = FP_FAULT_CAP_MAX;
	/* Drops and duplicates first: what is left is "the wire". */
	for (i = 0; i < n; i++) {
		m = pkts[i];
		if (fp_fault_hit(f, d->drop)) {
			rte_pktmbuf_free(m);
			fp_count(st, dropped, 1);
			continue;
		}
		in[nb_in++] = m;
		if (fp_fault_hit(f, d->dup)) {
			c = rte_pktmbuf_copy(m, m->pool, 0, UINT32_MAX);
			if (c != NULL) {
				in[nb_in++] = c;
				fp_count(st, FP_C_fault_duplicated, 1);
			}
		}
	}
	/* The delay line: what is due leaves first, then the new frames join
	 * it (or pass at once without a delay).
	 */
	while (d->len != 0 && d->due[d->head] <= now_ms) {
		fp_fault_emit(pkts, &k, cap, d->line[d->head], st, dropped);
		d->head = (d->head + 1) % FP_FAULT_DELAY_MAX;
		d->len--;
	}
	/* A held frame nothing overtook: it goes, late. */
	if (d->held != NULL && now_ms >= d->held_until) {
		fp_fault_pass(d, pkts, &k, cap, d->held, now_ms, st, dropped);
		d->held = NULL;
	}
	for (i = 0; i < nb_in; i++) {
		m = in[i];
		if (d->held == NULL && fp_fault_hit(f, d->reorder)) {
			d->held = m;
			d->held_until = now_ms + FP_FAULT_HOLD_MS;
			fp_count(st, FP_C_fault_reordered, 1);
			continue;
		}
		fp_fault_pass(d, pkts, &k, cap, m, now_ms, st, dropped);
		/* The held frame goes out behind the one that overtook it. */
		if (d->held != NULL) {
			fp_fault_pass(d, pkts, &k, cap, d->held, now_ms, st, dropped);
			d->held = NULL;
		}
	}
	return k;
}

void
fp_fault_free(struct fp_fault *f)
{
	struct fp_fault_dir *d;
	unsigned int w;

	for (w = 0; w < FP_FAULT_WAYS; w++) {
		d = &f->dir[w];
		rte_pktmbuf_free(d->held);
		d->held = NULL;
		while (d->len != 0) {
			rte_pktmbuf_free(d->line[d->head]);
			d->head = (d->head + 1) % FP_FAULT_DELAY_MAX;
			d->len--;
		}
	}
}
