/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The fastpath authors
 */

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <rte_cycles.h>
#include <rte_errno.h>
#include <rte_ethdev.h>
#include <rte_lcore.h>
#include <rte_malloc.h>
#include <rte_prefetch.h>

#include "fp_arp.h"
#include "fp_eth.h"
#include "fp_icmp.h"
#include "fp_ipv4.h"
#include "fp_lcore.h"

/* How many packets ahead of the one being processed to prefetch. */
#define FP_PREFETCH_OFFSET 3

/* Control messages: the operation in the low byte, a sequence above it. */
enum {
	FP_CTL_DRAIN = 1,
	FP_CTL_CONNS = 2,
	FP_CTL_RESET = 3,
};
#define FP_CTL_RING 16

/* One conns request at a time per process: they share each worker's answer. */
static pthread_mutex_t fp_ctl_lock = PTHREAD_MUTEX_INITIALIZER;
static uint32_t fp_ctl_seq;

static volatile bool fp_quit;

void
fp_worker_stop(void)
{
	__atomic_store_n(&fp_quit, true, __ATOMIC_RELAXED);
}

bool
fp_worker_stopping(void)
{
	return __atomic_load_n(&fp_quit, __ATOMIC_RELAXED);
}

static void
fp_worker_txq_flush(struct fp_txq *q)
{
	fp_worker_flush(container_of(q, struct fp_lcore, txq));
}

/* Active opens find the next hop's MAC in the ARP cache, or ask for it. */
static int
fp_worker_resolve(void *ctx, uint32_t ip, struct rte_ether_addr *mac)
{
	struct fp_lcore *lc = ctx;
	struct rte_mbuf *m;

	if (fp_arp_lookup(&lc->arp, ip, lc->now, mac) == 0)
		return 0;
	m = rte_pktmbuf_alloc(lc->pool);
	if (m == NULL)
		return -ENOBUFS;
	if (fp_arp_build_request(lc->ifc, m, ip) != 0) {
		rte_pktmbuf_free(m);
		return -ENOBUFS;
	}
	fp_txq_push(&lc->txq, m);
	return -EAGAIN;
}

int
fp_lcore_init(struct fp_lcore *lc, const struct fp_config *cfg, unsigned int lcore_id,
	uint16_t queue_id, unsigned int nb_workers, struct fp_http_server *srv,
	struct fp_err *err)
{
	struct fp_tcp_params tp;
	int ret;
	int socket = rte_lcore_to_socket_id(lcore_id);
	char name[RTE_MEMPOOL_NAMESIZE];
	uint32_t room;
	size_t sz;
	void *mem;

	memset(lc, 0, sizeof(*lc));
	lc->lcore_id = lcore_id;
	lc->port_id = cfg->port_id;
	lc->queue_id = queue_id;
	lc->burst = cfg->burst;
	lc->drain_tsc = (rte_get_tsc_hz() + US_PER_S - 1) / US_PER_S * cfg->drain_us;
	lc->timer_tsc = rte_get_tsc_hz() / MS_PER_S;
	lc->txq.flush = fp_worker_txq_flush;

	/* One mbuf holds a whole received frame of the MTU: RX scatter is off,
	 * so only TX chains (headers, then attached body pieces).
	 */
	room = RTE_ALIGN_CEIL((uint32_t)cfg->mtu + RTE_ETHER_HDR_LEN + RTE_ETHER_CRC_LEN +
		2 * RTE_VLAN_HLEN, RTE_CACHE_LINE_SIZE);
	room = RTE_MAX(room, (uint32_t)RTE_MBUF_DEFAULT_DATAROOM);
	snprintf(name, sizeof(name), "fp_pool_%u", lcore_id);
	lc->pool = rte_pktmbuf_pool_create(name, cfg->mbufs, cfg->mbuf_cache, 0,
		RTE_PKTMBUF_HEADROOM + room, socket);
	if (lc->pool == NULL)
		return fp_fail(err, -rte_errno,
			"lcore %u: cannot create a pool of %u mbufs on socket %d: %s "
			"(too few hugepages? try fewer [mempool] mbufs or --no-huge -m 512)",
			lcore_id, cfg->mbufs, socket, rte_strerror(rte_errno));

	sz = fp_arp_cache_memsize(cfg->arp_cache_size);
	mem = rte_zmalloc_socket("fp_arp", sz, RTE_CACHE_LINE_SIZE, socket);
	if (mem == NULL) {
		rte_mempool_free(lc->pool);
		lc->pool = NULL;
		return fp_fail(err, -ENOMEM, "lcore %u: cannot allocate the ARP cache", lcore_id);
	}
	fp_arp_cache_init(&lc->arp, mem, cfg->arp_cache_size,
		rte_get_tsc_hz() * cfg->arp_timeout_s);

	/* Body pieces are attached, not copied: these mbufs have no room. */
	snprintf(name, sizeof(name), "fp_zc_%u", lcore_id);
	lc->zc_pool = rte_pktmbuf_pool_create(name, cfg->mbufs, cfg->mbuf_cache, 0, 0, socket);
	if (lc->zc_pool == NULL) {
		ret = fp_fail(err, -rte_errno, "lcore %u: cannot create a pool of %u zero-copy "
			"mbufs: %s", lcore_id, cfg->mbufs, rte_strerror(rte_errno));
		fp_lcore_free(lc);
		return ret;
	}
	fp_tcp_params_from(&tp, cfg, queue_id, nb_workers);
	ret = fp_tcp_lcore_init(&lc->tcp, &tp, queue_id, socket, err);
	if (ret == 0)
		ret = fp_http_worker_init(&lc->http, srv, cfg, &lc->tcp, &lc->stats, queue_id,
			socket, err);
	if (ret != 0) {
		fp_lcore_free(lc);
		return ret;
	}
	if (cfg->fault_enabled) {
		lc->fault = rte_zmalloc_socket("fp_fault", sizeof(*lc->fault), RTE_CACHE_LINE_SIZE,
			socket);
		if (lc->fault == NULL) {
			fp_lcore_free(lc);
			return fp_fail(err, -ENOMEM, "lcore %u: cannot allocate the fault injector",
				lcore_id);
		}
		fp_fault_init(lc->fault, cfg, queue_id);
	}
	if (cfg->frag_entries != 0) {
		lc->l4.reasm = fp_ipv4_reasm_create(cfg->frag_entries, cfg->frag_timeout_ms,
			socket);
		if (lc->l4.reasm == NULL) {
			ret = fp_fail(err, -rte_errno, "lcore %u: cannot create a reassembly "
				"table of %u datagrams ([ip] frag_entries): %s", lcore_id,
				cfg->frag_entries, rte_strerror(rte_errno));
			fp_lcore_free(lc);
			return ret;
		}
	}
	fp_tcp_set_resolver(&lc->tcp, fp_worker_resolve, lc);
	fp_ipv4_register(&lc->l4, IPPROTO_ICMP, fp_icmp_input, NULL);
	fp_ipv4_register(&lc->l4, IPPROTO_TCP, fp_tcp_ipv4_input, &lc->tcp);

	snprintf(name, sizeof(name), "fp_ctl_%u", lcore_id);
	lc->ctl = rte_ring_create(name, FP_CTL_RING, socket, RING_F_SC_DEQ);
	lc->conns = rte_zmalloc_socket("fp_conns", sizeof(*lc->conns) * FP_CTL_CONNS_MAX,
		RTE_CACHE_LINE_SIZE, socket);
	lc->stats.nb_routes = srv->nb_routes;
	lc->stats.route_hits = rte_zmalloc_socket("fp_hits",
		sizeof(uint64_t) * RTE_MAX(srv->nb_routes, 1u), RTE_CACHE_LINE_SIZE, socket);
	if (lc->ctl == NULL || lc->conns == NULL || lc->stats.route_hits == NULL) {
		fp_lcore_free(lc);
		return fp_fail(err, -ENOMEM, "lcore %u: cannot allocate the control ring",
			lcore_id);
	}
	return 0;
}

void
fp_lcore_attach(struct fp_lcore *lc, const struct fp_iface *ifc)
{
	lc->ifc = ifc;
	fp_tcp_lcore_attach(&lc->tcp, ifc, &lc->stats, &lc->txq, lc->pool, lc->zc_pool);
}

void
fp_lcore_free(struct fp_lcore *lc)
{
	rte_ring_free(lc->ctl);
	lc->ctl = NULL;
	rte_free(lc->conns);
	lc->conns = NULL;
	rte_free(lc->stats.route_hits);
	lc->stats.route_hits = NULL;
	fp_tcp_lcore_free(&lc->tcp);
	fp_ipv4_reasm_free(lc->l4.reasm);
	lc->l4.reasm = NULL;
	/* Frames the TCP teardown queued (RSTs) never leave; freed before
	 * HTTP, whose reply buffers an attached frame may still point at.
	 */
	while (lc->txq.len > 0)
		rte_pktmbuf_free(lc->txq.pkts[--lc->txq.len]);
	if (lc->fault != NULL) {
		fp_fault_free(lc->fault);
		rte_free(lc->fault);
		lc->fault = NULL;
	}
	fp_http_worker_free(&lc->http);
	rte_mempool_free(lc->zc_pool);
	lc->zc_pool = NULL;
	rte_free(lc->arp.e);
	lc->arp.e = NULL;
	rte_mempool_free(lc->pool);
	lc->pool = NULL;
}

void
fp_worker_flush(struct fp_lcore *lc)
{
	struct fp_txq *q = &lc->txq;
	uint16_t n = q->len, sent, i;
	uint32_t lost = 0;
	uint64_t t0;

	/* Faults on the way out; delayed frames leave here once due (the drain
	 * timer calls this with an empty queue too).
	 */
	if (unlikely(lc->fault != NULL)) {
		n = fp_fault_apply(lc->fault, FP_FAULT_TX, q->pkts, n, FP_TXQ_SIZE,
			lc->tcp.now_ms, &lc->stats);
		q->len = n;
		for (q->bytes = 0, i = 0; i < n; i++)
			q->bytes += rte_pktmbuf_pkt_len(q->pkts[i]);
	}
	if (n == 0)
		return;
	t0 = rte_rdtsc();
	sent = rte_eth_tx_burst(lc->port_id, lc->queue_id, q->pkts, n);
	fp_count(&lc->stats, FP_C_port_tx_cycles, rte_rdtsc() - t0);
	/* What the PMD refused is freed and counted, never retried: the
	 * protocols above recover (ping retries; TCP will retransmit).
	 */
	for (i = sent; i < n; i++) {
		lost += rte_pktmbuf_pkt_len(q->pkts[i]);
		rte_pktmbuf_free(q->pkts[i]);
	}
	fp_count(&lc->stats, FP_C_tx_packets, sent);
	fp_count(&lc->stats, FP_C_tx_bytes, q->bytes - lost);
	fp_count_drops(&lc->stats, FP_DROP_tx_full, n - sent);
	q->len = 0;
	q->bytes = 0;
}

static inline void
fp_worker_tx(struct fp_lcore *lc, struct rte_mbuf *m)
{
	fp_txq_push(&lc->txq, m);
}

/* A reply longer than the MTU (an echo of a reassembled datagram) leaves
 * in fragments, as a host's would (RFC 791).
 */
static __rte_noinline void
fp_worker_tx_big(struct fp_lcore *lc, struct rte_mbuf *m)
{
	struct rte_mbuf *out[64];
	int n, i;

	n = fp_ipv4_fragment(lc->ifc, &lc->stats, m, out, RTE_DIM(out), lc->pool, lc->zc_pool);
	if (n < 0) {
		fp_count_drop(&lc->stats, FP_DROP_ipv4_tx_too_big);
		rte_pktmbuf_free(m);
		return;
	}
	for (i = 0; i < n; i++)
		fp_worker_tx(lc, out[i]);
}

static __rte_hot inline void
fp_worker_packet(struct fp_lcore *lc, struct rte_mbuf *m)
{
	enum fp_drop why = FP_DROP_MAX;
	int v;

	switch (fp_eth_classify(lc->ifc, m, &why)) {
	case FP_PKT_IPV4:
		v = fp_ipv4_input(&lc->l4, lc->ifc, &lc->stats, &m);
		break;
	case FP_PKT_ARP:
		v = fp_arp_input(lc->ifc, &lc->arp, &lc->stats, m, lc->now);
		break;
	default:
		v = why;
		break;
	}
	if (likely(v == FP_TX)) {
		if (unlikely(rte_pktmbuf_pkt_len(m) > m->l2_len + (uint32_t)lc->ifc->mtu))
			fp_worker_tx_big(lc, m);
		else
			fp_worker_tx(lc, m);
		return;
	}
	if (v == FP_TAKEN)
		return;
	if (v >= 0)
		fp_count_drop(&lc->stats, v);
	rte_pktmbuf_free(m);
}

__rte_hot void
fp_worker_burst(struct fp_lcore *lc, struct rte_mbuf **pkts, uint16_t nb)
{
	uint64_t bytes = 0;
	uint16_t i;

	for (i = 0; i < nb && i < FP_PREFETCH_OFFSET; i++)
		rte_prefetch0(rte_pktmbuf_mtod(pkts[i], void *));
	for (i = 0; i < nb; i++) {
		if (i + FP_PREFETCH_OFFSET < nb)
			rte_prefetch0(rte_pktmbuf_mtod(pkts[i + FP_PREFETCH_OFFSET], void *));
		bytes += rte_pktmbuf_pkt_len(pkts[i]);
		fp_worker_packet(lc, pkts[i]);
	}
	fp_count(&lc->stats, FP_C_rx_packets, nb);
	fp_count(&lc->stats, FP_C_rx_bytes, bytes);
}

static void
fp_worker_garp(struct fp_lcore *lc)
{
	struct rte_mbuf *m = rte_pktmbuf_alloc(lc->pool);

	if (m == NULL) {
		fp_count_drop(&lc->stats, FP_DROP_no_mbuf);
		return;
	}
	if (fp_arp_build_request(lc->ifc, m, lc->ifc->ip) != 0) {
		fp_count_drop(&lc->stats, FP_DROP_no_mbuf);
		rte_pktmbuf_free(m);
		return;
	}
	fp_worker_tx(lc, m);
	fp_worker_flush(lc);
	fp_count(&lc->stats, FP_C_garp_sent, 1);
}

int
fp_lcore_ctl_drain(struct fp_lcore *lc)
{
	return rte_ring_enqueue(lc->ctl, (void *)(uintptr_t)FP_CTL_DRAIN);
}

int
fp_lcore_ctl_reset(struct fp_lcore *lc)
{
	return rte_ring_enqueue(lc->ctl, (void *)(uintptr_t)FP_CTL_RESET);
}

int
fp_lcore_ctl_conns(struct fp_lcore *lc, struct fp_tcp_conn_info *out, unsigned int max,
	unsigned int timeout_ms)
{
	unsigned int waited;
	uint32_t seq;
	int ret = -ETIMEDOUT;

	pthread_mutex_lock(&fp_ctl_lock);
	/* A request that timed out may still be answered later, into the same
	 * buffer: only the answer carrying our sequence is ours to read.
	 */
	seq = ++fp_ctl_seq & 0xffffff;
	lc->conns_max = RTE_MIN(max, (unsigned int)FP_CTL_CONNS_MAX);
	if (rte_ring_enqueue(lc->ctl, (void *)(uintptr_t)(seq << 8 | FP_CTL_CONNS)) != 0) {
		pthread_mutex_unlock(&fp_ctl_lock);
		return -ENOBUFS;
	}
	for (waited = 0; waited <= timeout_ms * 10; waited++) {
		if (__atomic_load_n(&lc->conns_done, __ATOMIC_ACQUIRE) == seq) {
			ret = RTE_MIN(lc->conns_n, max);
			memcpy(out, lc->conns, sizeof(*out) * ret);
			break;
		}
		usleep(100);
	}
	pthread_mutex_unlock(&fp_ctl_lock);
	return ret;
}

/* Runs what the control plane asked for (on the worker, between bursts). */
static void
fp_worker_ctl(struct fp_lcore *lc)
{
	void *msg;
	uintptr_t v;

	while (rte_ring_dequeue(lc->ctl, &msg) == 0) {
		v = (uintptr_t)msg;
		switch (v & 0xff) {
		case FP_CTL_DRAIN:
			fp_http_drain(&lc->http);
			break;
		case FP_CTL_RESET:
			fp_tcp_reset_all(&lc->tcp);
			fp_worker_flush(lc);
			break;
		case FP_CTL_CONNS:
			lc->conns_n = fp_tcp_conns_snapshot(&lc->tcp, lc->conns,
				__atomic_load_n(&lc->conns_max, __ATOMIC_RELAXED));
			__atomic_store_n(&lc->conns_done, (uint32_t)(v >> 8), __ATOMIC_RELEASE);
			break;
		default:
			break;
		}
	}
}

int
fp_worker_main(void *arg)
{
	struct fp_lcore *lc = arg;
	struct rte_mbuf *pkts[FP_BURST_MAX];
	uint64_t prev, cur, tick, busy = 0, t0, t1;
	uint16_t nb;

	lc->now = prev = tick = rte_rdtsc();
	/* Handlers ask which lcore they run on: this one, not the one that
	 * set the worker up.
	 */
	lc->http.lcore = rte_lcore_id();
	if (lc->send_garp)
		fp_worker_garp(lc);

	while (!__atomic_load_n(&fp_quit, __ATOMIC_RELAXED)) {
		cur = rte_rdtsc();
		/* Busy cycles: from the start of an iteration that received
		 * packets (or sent what earlier ones queued) to the start of
		 * the next (as OVS counts them).
		 */
		if (busy != 0) {
			fp_count(&lc->stats, FP_C_busy_cycles, cur - busy);
			busy = 0;
		}
		if (unlikely(cur - tick >= lc->timer_tsc)) {
			fp_tcp_clock(&lc->tcp, cur);
			fp_http_clock(&lc->http, cur);
			fp_tcp_timers(&lc->tcp);
			if (lc->l4.reasm != NULL)
				fp_ipv4_reasm_tick(lc->l4.reasm, &lc->stats, cur);
			if (unlikely(!rte_ring_empty(lc->ctl)))
				fp_worker_ctl(lc);
			tick = cur;
		}
		if (unlikely(cur - prev > lc->drain_tsc)) {
			if (lc->txq.len != 0)
				busy = cur;
			fp_worker_flush(lc);
			prev = cur;
		}
		fp_http_poll(&lc->http);
		if (lc->poll != NULL && lc->poll(lc->poll_arg, cur)) {
			busy = cur;
			fp_worker_flush(lc);
			prev = cur;
		}
		/* The PMD's share of the busy cycles (port_rx_cycles and
		 * port_tx_cycles): what a faster port, or none, would save.
		 */
		t0 = t1 = rte_rdtsc();
		nb = rte_eth_rx_burst(lc->port_id, lc->queue_id, pkts, lc->burst);
		if (nb != 0) {
			t1 = rte_rdtsc();
			fp_count(&lc->stats, FP_C_port_rx_cycles, t1 - t0);
			busy = cur;
		}
		if (unlikely(lc->fault != NULL))
			nb = fp_fault_apply(lc->fault, FP_FAULT_RX, pkts, nb, FP_BURST_MAX,
				lc->tcp.now_ms, &lc->stats);
		if (nb == 0) {
			/* An empty poll is the shortest burst: what full bursts
			 * queued leaves now, not at the drain timer (connections
			 * in step with the burst size waited 2 x drain_us per
			 * round trip).
			 */
			if (lc->txq.len != 0) {
				busy = cur;
				fp_worker_flush(lc);
			}
			continue;
		}
		busy = cur;
		lc->now = t1;
		fp_tcp_clock(&lc->tcp, lc->now);
		fp_http_clock(&lc->http, lc->now);
		fp_worker_burst(lc, pkts, nb);
		/* A short burst means the RX queue is empty: nothing more will
		 * join the replies soon, so waiting for the drain timer would
		 * only add its delay to every round trip (a ping flood measured
		 * 4 times fewer echoes than testpmd's). Full bursts still batch.
		 */
		if (nb < lc->burst)
			fp_worker_flush(lc);
	}
	fp_worker_flush(lc);
	return 0;
}
