/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The fastpath authors
 */

#ifndef FP_TXQ_H
#define FP_TXQ_H

#include <stdint.h>

#include <rte_mbuf.h>

#define FP_TXQ_SIZE 64

/* Frames waiting for one TX queue. The worker flushes it with
 * rte_eth_tx_burst when full or on the drain timer; unit tests install a
 * flush that keeps what the stack sent.
 */
struct fp_txq {
	uint16_t len;
	uint32_t bytes;
	void (*flush)(struct fp_txq *q);
	struct rte_mbuf *pkts[FP_TXQ_SIZE];
};

static inline void
fp_txq_push(struct fp_txq *q, struct rte_mbuf *m)
{
	q->pkts[q->len++] = m;
	q->bytes += rte_pktmbuf_pkt_len(m);
	if (unlikely(q->len == FP_TXQ_SIZE))
		q->flush(q);
}

#endif /* FP_TXQ_H */
