/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The fastpath authors
 */

#ifndef FP_LCORE_H
#define FP_LCORE_H

#include <stdbool.h>
#include <stdint.h>

#include <rte_mbuf.h>
#include <rte_mempool.h>
#include <rte_ring.h>

#include "fp_arp.h"
#include "fp_common.h"
#include "fp_config.h"
#include "fp_fault.h"
#include "fp_http.h"
#include "fp_ipv4.h"
#include "fp_stats.h"
#include "fp_tcp.h"
#include "fp_txq.h"

/* Everything one worker owns. Nothing here is shared with another worker;
 * the control plane only reads the counters.
 */
struct fp_lcore {
	/* Read on every burst. */
	const struct fp_iface *ifc;
	uint16_t port_id;
	uint16_t queue_id;
	uint16_t burst;
	uint64_t now;		/* TSC at the start of the burst */
	uint64_t drain_tsc;
	uint64_t timer_tsc;	/* TSC of a millisecond: the timer tick */
	struct fp_txq txq;
	struct fp_arp_cache arp;
	struct fp_ipv4_protos l4;
	struct fp_tcp_lcore tcp;
	struct fp_http_worker http;

	/* Requests from the control plane, looked at once a millisecond. */
	struct rte_ring *ctl;
	struct fp_tcp_conn_info *conns;	/* FP_CTL_CONNS_MAX, answer to a request */
	uint32_t conns_max;		/* written before the request is queued */
	uint32_t conns_n;
	uint32_t conns_done;		/* sequence of the last request answered */

	/* Set up once. */
	struct rte_mempool *pool;
	struct rte_mempool *zc_pool;	/* payload-less mbufs for zero-copy bodies */
	struct fp_fault *fault;		/* [fault] enabled: the injected faults */
	/* An application of the worker's own beside HTTP (fp-load's
	 * generator), polled on every loop with the TSC: true when it did
	 * something, which counts as busy and is sent at once.
	 */
	bool (*poll)(void *arg, uint64_t tsc);
	void *poll_arg;
	unsigned int lcore_id;
	bool send_garp;

	struct fp_stats stats;
} __rte_cache_aligned;

/* Most connections one /fastpath/conns request lists per worker. */
#define FP_CTL_CONNS_MAX 64

/* Prepares lc for worker lcore lcore_id serving queue queue_id, worker
 * queue_id of nb_workers: creates its mbuf pools, ARP cache, TCP and HTTP
 * state on the lcore's socket; srv is what HTTP serves. Returns 0 or a
 * negative errno with err set.
 */
int
fp_lcore_init(struct fp_lcore *lc, const struct fp_config *cfg, unsigned int lcore_id,
	uint16_t queue_id, unsigned int nb_workers, struct fp_http_server *srv,
	struct fp_err *err);

/* Binds lc to the started port's interface. */
void
fp_lcore_attach(struct fp_lcore *lc, const struct fp_iface *ifc);

/* Frees what fp_lcore_init created. The worker must have stopped. */
void
fp_lcore_free(struct fp_lcore *lc);

/* The worker loop, for rte_eal_remote_launch(); arg is a struct fp_lcore. */
int
fp_worker_main(void *arg);

/* Processes one received burst: classify, answer, queue replies. */
void
fp_worker_burst(struct fp_lcore *lc, struct rte_mbuf **pkts, uint16_t nb);

/* Sends whatever is queued for TX. */
void
fp_worker_flush(struct fp_lcore *lc);

/* Control plane: asks the worker to drain (see fp_http_drain()). Returns 0
 * or a negative errno. Safe from any thread.
 */
int
fp_lcore_ctl_drain(struct fp_lcore *lc);

/* Control plane: asks the worker to reset its connections (see
 * fp_tcp_reset_all()). Returns 0 or a negative errno. Safe from any thread.
 */
int
fp_lcore_ctl_reset(struct fp_lcore *lc);

/* Control plane: copies up to max (at most FP_CTL_CONNS_MAX) of the
 * worker's connections into out, waiting up to timeout_ms for the worker to
 * answer. Returns how many, or -ETIMEDOUT / -ENOBUFS. Safe from any thread.
 */
int
fp_lcore_ctl_conns(struct fp_lcore *lc, struct fp_tcp_conn_info *out, unsigned int max,
	unsigned int timeout_ms);

/* Asks every worker to return. Async-signal-safe. */
void
fp_worker_stop(void);

/* True once fp_worker_stop() was called. */
bool
fp_worker_stopping(void);

#endif /* FP_LCORE_H */
