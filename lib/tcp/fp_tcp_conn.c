/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The fastpath authors
 */

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/random.h>

#include <rte_cycles.h>
#include <rte_errno.h>
#include <rte_hash.h>
#include <rte_hash_crc.h>
#include <rte_malloc.h>

#include "fp_tcp_priv.h"

const char *const fp_tcp_state_names[FP_TCP_NB_STATES] = {
	[FP_TCP_CLOSED] = "CLOSED",
	[FP_TCP_SYN_RECEIVED] = "SYN-RECEIVED",
	[FP_TCP_ESTABLISHED] = "ESTABLISHED",
	[FP_TCP_CLOSE_WAIT] = "CLOSE-WAIT",
	[FP_TCP_LAST_ACK] = "LAST-ACK",
	[FP_TCP_FIN_WAIT_1] = "FIN-WAIT-1",
	[FP_TCP_FIN_WAIT_2] = "FIN-WAIT-2",
	[FP_TCP_CLOSING] = "CLOSING",
	[FP_TCP_TIME_WAIT] = "TIME-WAIT",
};

static const enum fp_gauge fp_tcp_state_gauge[FP_TCP_NB_STATES] = {
	[FP_TCP_CLOSED] = FP_G_MAX,
	[FP_TCP_SYN_RECEIVED] = FP_G_tcp_syn_received,
	[FP_TCP_ESTABLISHED] = FP_G_tcp_established,
	[FP_TCP_CLOSE_WAIT] = FP_G_tcp_close_wait,
	[FP_TCP_LAST_ACK] = FP_G_tcp_last_ack,
	[FP_TCP_FIN_WAIT_1] = FP_G_tcp_fin_wait_1,
	[FP_TCP_FIN_WAIT_2] = FP_G_tcp_fin_wait_2,
	[FP_TCP_CLOSING] = FP_G_tcp_closing,
	[FP_TCP_TIME_WAIT] = FP_G_tcp_time_wait,
};

/* SipHash-2-4, written from the algorithm's description (Aumasson and
 * Bernstein, 2012).
 */
#define FP_ROTL(x, b) (uint64_t)(((x) << (b)) | ((x) >> (64 - (b))))
#define FP_SIPROUND(v0, v1, v2, v3) do { \
	v0 += v1; v1 = FP_ROTL(v1, 13); v1 ^= v0; v0 = FP_ROTL(v0, 32); \
	v2 += v3; v3 = FP_ROTL(v3, 16); v3 ^= v2; \
	v0 += v3; v3 = FP_ROTL(v3, 21); v3 ^= v0; \
	v2 += v1; v1 = FP_ROTL(v1, 17); v1 ^= v2; v2 = FP_ROTL(v2, 32); \
} while (0)

static uint64_t
fp_le64(const uint8_t *p)
{
	uint64_t v = 0;
	int i;

	for (i = 7; i >= 0; i--)
		v = v << 8 | p[i];
	return v;
}

uint64_t
fp_siphash(const uint8_t key[16], const void *data, size_t len)
{
	const uint8_t *in = data;
	uint64_t k0 = fp_le64(key), k1 = fp_le64(key + 8);
	uint64_t v0 = k0 ^ 0x736f6d6570736575ULL, v1 = k1 ^ 0x646f72616e646f6dULL;
	uint64_t v2 = k0 ^ 0x6c7967656e657261ULL, v3 = k1 ^ 0x7465646279746573ULL;
	uint64_t m, b = (uint64_t)len << 56;
	size_t i, left = len & 7;

	for (i = 0; i + 8 <= len; i += 8) {
		m = fp_le64(in + i);
		v3 ^= m;
		FP_SIPROUND(v0, v1, v2, v3);
		FP_SIPROUND(v0, v1, v2, v3);
		v0 ^= m;
	}
	while (left-- > 0)
		b |= (uint64_t)in[i + left] << (8 * left);
	v3 ^= b;
	FP_SIPROUND(v0, v1, v2, v3);
	FP_SIPROUND(v0, v1, v2, v3);
	v0 ^= b;
	v2 ^= 0xff;
	FP_SIPROUND(v0, v1, v2, v3);
	FP_SIPROUND(v0, v1, v2, v3);
	FP_SIPROUND(v0, v1, v2, v3);
	FP_SIPROUND(v0, v1, v2, v3);
	return v0 ^ v1 ^ v2 ^ v3;
}

void
fp_tcp_params_from(struct fp_tcp_params *p, const struct fp_config *cfg)
{
	unsigned int i;

	memset(p, 0, sizeof(*p));
	p->max_conns = cfg->max_conns;
	p->syn_backlog = cfg->syn_backlog;
	p->time_wait_ms = cfg->time_wait_ms;
	p->rto_min_ms = cfg->rto_min_ms;
	p->rto_max_ms = cfg->rto_max_ms;
	p->retries = cfg->retries;
	p->delack_ms = cfg->delack_ms;
	p->challenge_acks = cfg->challenge_acks;
	p->rcv_wnd = cfg->rcv_wnd;
	p->keepalive_ms = cfg->keepalive_timeout_s * 1000;
	p->header_ms = cfg->header_timeout_s * 1000;
	p->rxbufs = cfg->rxbufs;
	p->mtu = cfg->mtu;
	for (i = 0; i < cfg->nb_listen; i++)
		p->listen[i] = rte_cpu_to_be_16(cfg->listen[i]);
	p->nb_listen = cfg->nb_listen;
}

int
fp_tcp_lcore_init(struct fp_tcp_lcore *t, const struct fp_tcp_params *p,
	const struct fp_http_server *srv, unsigned int worker, int socket,
	struct fp_err *err)
{
	struct rte_hash_parameters hp = { 0 };
	char name[RTE_MEMPOOL_NAMESIZE];
	static unsigned int seq;
	uint32_t i, wnd;
	unsigned int id = __atomic_fetch_add(&seq, 1, __ATOMIC_RELAXED);

	memset(t, 0, sizeof(*t));
	t->p = *p;
	t->srv = srv;
	t->worker = worker;
	t->tsc_per_ms = RTE_MAX(rte_get_tsc_hz() / 1000, (uint64_t)1);
	t->tsc_base = rte_rdtsc();
	t->now_ms = 1;
	t->wheel_ms = 1;
	if (srv != NULL) {
		t->date_sec = fp_http_epoch(srv, t->tsc_base);
		t->date_tsc = t->tsc_base - (t->tsc_base - srv->tsc_base) % srv->hz;
		fp_http_date(t->date_sec, t->date);
	}
	t->mss_max = p->mtu - sizeof(struct rte_ipv4_hdr) - sizeof(struct rte_tcp_hdr);
	/* The smallest shift that carries the configured window (RFC 7323 2.3). */
	for (wnd = p->rcv_wnd; wnd > UINT16_MAX && t->rcv_wscale < FP_TCP_WS_MAX; wnd >>= 1)
		t->rcv_wscale++;
	if (getrandom(t->isn_key, sizeof(t->isn_key), 0) != sizeof(t->isn_key) ||
			getrandom(t->cookie_key, sizeof(t->cookie_key), 0) !=
			sizeof(t->cookie_key))
		return fp_fail(err, -EIO, "cannot read random keys for ISNs and SYN cookies");

	snprintf(name, sizeof(name), "fp_conns_%u", id);
	hp.name = name;
	/* rte_hash fills buckets of 8; head-room keeps inserts from failing
	 * before max_conns is reached.
	 */
	hp.entries = RTE_MAX(p->max_conns + p->max_conns / 4, 64u);
	hp.key_len = sizeof(struct fp_tcp_key);
	hp.hash_func = rte_hash_crc;
	hp.socket_id = socket;
	t->table = rte_hash_create(&hp);
	if (t->table == NULL)
		return fp_fail(err, -ENOMEM, "worker %u: cannot create a table of %u "
			"connections: %s", worker, p->max_conns, rte_strerror(rte_errno));
	t->tcbs = rte_zmalloc_socket("fp_tcbs", sizeof(*t->tcbs) * p->max_conns,
		RTE_CACHE_LINE_SIZE, socket);
	t->free_idx = rte_malloc_socket("fp_tcb_free", sizeof(uint32_t) * p->max_conns, 0,
		socket);
	t->wheel = rte_zmalloc_socket("fp_wheel", sizeof(uint32_t) * FP_TCP_WHEEL,
		RTE_CACHE_LINE_SIZE, socket);
	snprintf(name, sizeof(name), "fp_rxbuf_%u", id);
	t->rxbufs = rte_mempool_create(name, p->rxbufs, srv != NULL ?
		srv->lim.max_header_bytes : 1024, 0, 0, NULL, NULL, NULL, NULL, socket,
		RTE_MEMPOOL_F_SP_PUT | RTE_MEMPOOL_F_SC_GET);
	if (t->tcbs == NULL || t->free_idx == NULL || t->wheel == NULL || t->rxbufs == NULL) {
		fp_tcp_lcore_free(t);
		return fp_fail(err, -ENOMEM, "worker %u: no memory for %u connections "
			"(lower [tcp] max_conns or [http] rxbufs)", worker, p->max_conns);
	}
	/* Lowest index on top, so a quiet server touches few tcbs. */
	for (i = 0; i < p->max_conns; i++)
		t->free_idx[i] = p->max_conns - 1 - i;
	t->nb_free = p->max_conns;
	return 0;
}

void
fp_tcp_lcore_attach(struct fp_tcp_lcore *t, const struct fp_iface *ifc, struct fp_stats *st,
	struct fp_txq *txq, struct rte_mempool *pool, struct rte_mempool *zc_pool)
{
	t->ifc = ifc;
	t->st = st;
	t->txq = txq;
	t->pool = pool;
	t->zc_pool = zc_pool;
}

void
fp_tcp_lcore_free(struct fp_tcp_lcore *t)
{
	uint32_t i;

	if (t->tcbs != NULL && t->st != NULL)
		for (i = 0; i < t->p.max_conns; i++)
			if (t->tcbs[i].state != FP_TCP_CLOSED)
				fp_tcb_free(t, &t->tcbs[i]);
	rte_hash_free(t->table);
	rte_free(t->tcbs);
	rte_free(t->free_idx);
	rte_free(t->wheel);
	rte_mempool_free(t->rxbufs);
	t->table = NULL;
	t->tcbs = NULL;
	t->free_idx = NULL;
	t->wheel = NULL;
	t->rxbufs = NULL;
}

void
fp_tcp_clock(struct fp_tcp_lcore *t, uint64_t tsc)
{
	uint32_t ms = (tsc - t->tsc_base) / t->tsc_per_ms + 1;

	t->now_tsc = tsc;
	t->now_ms = ms != 0 ? ms : 1;
	/* Date is refreshed once a second, never per request. */
	if (t->srv != NULL && tsc - t->date_tsc >= t->srv->hz) {
		uint64_t sec = fp_http_epoch(t->srv, tsc);

		t->date_tsc = tsc - (tsc - t->srv->tsc_base) % t->srv->hz;
		if (sec != t->date_sec) {
			t->date_sec = sec;
			fp_http_date(sec, t->date);
		}
	}
}

bool
fp_tcp_listening(const struct fp_tcp_lcore *t, uint16_t lport)
{
	unsigned int i;

	for (i = 0; i < t->p.nb_listen; i++)
		if (t->p.listen[i] == lport)
			return true;
	return false;
}

struct fp_tcb *
fp_tcb_lookup(struct fp_tcp_lcore *t, uint32_t raddr, uint16_t rport, uint16_t lport)
{
	struct fp_tcp_key k = { raddr, rport, lport };
	void *data;

	if (rte_hash_lookup_data(t->table, &k, &data) < 0)
		return NULL;
	return &t->tcbs[(uintptr_t)data];
}

void
fp_tcb_set_state(struct fp_tcp_lcore *t, struct fp_tcb *tcb, uint8_t state)
{
	if (fp_tcp_state_gauge[tcb->state] != FP_G_MAX)
		fp_gauge_add(t->st, fp_tcp_state_gauge[tcb->state], -1);
	if (fp_tcp_state_gauge[state] != FP_G_MAX)
		fp_gauge_add(t->st, fp_tcp_state_gauge[state], 1);
	if (tcb->state == FP_TCP_SYN_RECEIVED)
		t->nb_half_open--;
	if (state == FP_TCP_SYN_RECEIVED)
		t->nb_half_open++;
	tcb->state = state;
}

struct fp_tcb *
fp_tcb_new(struct fp_tcp_lcore *t, uint32_t raddr, uint16_t rport, uint16_t lport)
{
	struct fp_tcp_key k = { raddr, rport, lport };
	struct fp_tcb *tcb;
	uint32_t idx;

	if (t->nb_free == 0 && !fp_tcp_evict_time_wait(t))
		return NULL;
	idx = t->free_idx[t->nb_free - 1];
	if (rte_hash_add_key_data(t->table, &k, (void *)(uintptr_t)idx) != 0)
		return NULL;
	t->nb_free--;
	tcb = &t->tcbs[idx];
	memset(tcb, 0, sizeof(*tcb));
	tcb->raddr = raddr;
	tcb->rport = rport;
	tcb->lport = lport;
	tcb->open_ms = t->now_ms;
	fp_gauge_add(t->st, FP_G_tcp_conns, 1);
	return tcb;
}

void
fp_tcb_free(struct fp_tcp_lcore *t, struct fp_tcb *tcb)
{
	struct fp_tcp_key k = { tcb->raddr, tcb->rport, tcb->lport };
	uint32_t idx = fp_tcb_idx(t, tcb);

	fp_tcp_timer_unlink(t, tcb);
	if (tcb->state == FP_TCP_TIME_WAIT) {
		/* Out of the age list. */
		if (tcb->tw_prev != 0)
			t->tcbs[tcb->tw_prev - 1].tw_next = tcb->tw_next;
		else
			t->tw_oldest = tcb->tw_next;
		if (tcb->tw_next != 0)
			t->tcbs[tcb->tw_next - 1].tw_prev = tcb->tw_prev;
		else
			t->tw_newest = tcb->tw_prev;
	}
	fp_http_conn_free(&tcb->http, t->rxbufs, t->st);
	fp_tcb_set_state(t, tcb, FP_TCP_CLOSED);
	rte_hash_del_key(t->table, &k);
	t->free_idx[t->nb_free++] = idx;
	fp_gauge_add(t->st, FP_G_tcp_conns, -1);
	fp_count(t->st, FP_C_tcp_closed, 1);
}

/* Enters TIME-WAIT: the queue is empty, and the tcb joins the age list. */
void
fp_tcb_time_wait(struct fp_tcp_lcore *t, struct fp_tcb *tcb)
{
	uint32_t me = fp_tcb_idx(t, tcb) + 1;

	fp_tcb_set_state(t, tcb, FP_TCP_TIME_WAIT);
	fp_http_conn_free(&tcb->http, t->rxbufs, t->st);
	tcb->sq_len = 0;
	tcb->t_rexmit = 0;
	tcb->t_delack = 0;
	tcb->t_idle = fp_tcp_deadline(t, t->p.time_wait_ms);
	tcb->tw_next = 0;
	tcb->tw_prev = t->tw_newest;
	if (t->tw_newest != 0)
		t->tcbs[t->tw_newest - 1].tw_next = me;
	else
		t->tw_oldest = me;
	t->tw_newest = me;
	fp_tcp_timer_update(t, tcb);
}

/* A full table gives its oldest TIME-WAIT to a new connection, as Linux
 * does past tcp_max_tw_buckets: TIME-WAIT guards against old duplicates,
 * and refusing live clients would be worse.
 */
bool
fp_tcp_evict_time_wait(struct fp_tcp_lcore *t)
{
	if (t->tw_oldest == 0)
		return false;
	fp_tcb_free(t, &t->tcbs[t->tw_oldest - 1]);
	fp_count(t->st, FP_C_tcp_time_wait_reused, 1);
	return true;
}

uint32_t
fp_tcp_isn(const struct fp_tcp_lcore *t, uint32_t raddr, uint16_t rport, uint16_t lport)
{
	/* RFC 6528 section 3: "ISN = M + F(localip, localport, remoteip,
	 * remoteport, secretkey)", M a 4-microsecond timer.
	 */
	uint32_t in[3] = { t->ifc->ip, raddr, (uint32_t)lport << 16 | rport };
	uint64_t m = t->now_tsc / RTE_MAX(rte_get_tsc_hz() / 250000, (uint64_t)1);

	return (uint32_t)m + (uint32_t)fp_siphash(t->isn_key, in, sizeof(in));
}

/* MSS values a cookie can carry in 3 bits. */
static const uint16_t fp_cookie_mss[8] = { 536, 1220, 1300, 1360, 1400, 1440, 1452, 1460 };

/* Cookies age in 64-second steps; one is good for the step it was made in
 * and the next.
 */
#define FP_COOKIE_STEP_MS 65536

static uint32_t
fp_cookie_hash(const struct fp_tcp_lcore *t, uint32_t raddr, uint16_t rport,
	uint16_t lport, uint32_t irs, uint32_t step)
{
	uint32_t in[5] = { t->ifc->ip, raddr, (uint32_t)lport << 16 | rport, irs, step };

	return (uint32_t)fp_siphash(t->cookie_key, in, sizeof(in)) & 0xffffff;
}

/* RFC 4987 section 3.6: the ISN encodes the time step (5 bits), an MSS
 * index (3 bits) and a 24-bit MAC of the 4-tuple, the peer's ISN and the step.
 */
uint32_t
fp_tcp_cookie_make(const struct fp_tcp_lcore *t, uint32_t raddr, uint16_t rport,
	uint16_t lport, uint32_t irs, uint16_t mss)
{
	uint32_t step = t->now_ms / FP_COOKIE_STEP_MS, i = 0;

	while (i + 1 < RTE_DIM(fp_cookie_mss) && fp_cookie_mss[i + 1] <= mss)
		i++;
	return (step & 0x1f) << 27 | i << 24 | fp_cookie_hash(t, raddr, rport, lport, irs, step);
}

int
fp_tcp_cookie_check(const struct fp_tcp_lcore *t, uint32_t raddr, uint16_t rport,
	uint16_t lport, uint32_t irs, uint32_t iss, uint16_t *mss)
{
	uint32_t now = t->now_ms / FP_COOKIE_STEP_MS, step;

	for (step = now; step + 1 >= now && step <= now; step--) {
		if ((step & 0x1f) == iss >> 27 &&
				fp_cookie_hash(t, raddr, rport, lport, irs, step) ==
				(iss & 0xffffff)) {
			*mss = fp_cookie_mss[(iss >> 24) & 7];
			return 0;
		}
		if (step == 0)
			break;
	}
	return -EINVAL;
}

uint32_t
fp_tcp_item_len(const struct fp_tcp_lcore *t, const struct fp_tcp_sq_item *it)
{
	const struct fp_http_route *r = &t->srv->routes[it->route];

	return r->hdr_len[it->variant] + (it->head ? 0 : r->body_len);
}

/* Bytes queued and not yet acknowledged. */
uint32_t
fp_tcp_sq_bytes(const struct fp_tcp_lcore *t, const struct fp_tcb *tcb)
{
	uint32_t n = 0, i;

	for (i = 0; i < tcb->sq_len; i++)
		n += fp_tcp_item_len(t, &tcb->sq[(tcb->sq_head + i) % FP_TCP_SQ]);
	return n - tcb->sq_off;
}

uint32_t
fp_tcp_nb_conns(const struct fp_tcp_lcore *t)
{
	return t->p.max_conns - t->nb_free;
}

void
fp_tcp_drain(struct fp_tcp_lcore *t)
{
	struct fp_tcb *tcb;
	uint32_t i, left;

	if (t->draining)
		return;
	t->draining = true;
	/* In-use tcbs sit at the low indexes (see fp_tcp_lcore_init()): stop
	 * once all of them were seen.
	 */
	for (i = 0, left = fp_tcp_nb_conns(t); i < t->p.max_conns && left > 0; i++) {
		tcb = &t->tcbs[i];
		if (tcb->state == FP_TCP_CLOSED)
			continue;
		left--;
		if (tcb->state != FP_TCP_ESTABLISHED || tcb->http.closing ||
				(tcb->flags & FP_TCB_FIN_QUEUED))
			continue;
		/* A request half-read is answered first (with close), by input. */
		if (fp_http_partial(&tcb->http))
			continue;
		/* Responses still queued go out first; the FIN follows them.
		 * RFC 9112 9.6: a server closing a persistent connection it
		 * has nothing more to send on.
		 */
		fp_count(t->st, FP_C_http_drain_closed, 1);
		tcb->http.closing = 1;
		tcb->flags |= FP_TCB_FIN_QUEUED;
		tcb->t_idle = fp_tcp_deadline(t, t->p.time_wait_ms);
		fp_tcp_output(t, tcb);
		fp_tcp_timer_update(t, tcb);
	}
}

uint32_t
fp_tcp_reset_all(struct fp_tcp_lcore *t)
{
	struct fp_tcb *tcb;
	uint32_t i, n = 0, left;

	for (i = 0, left = fp_tcp_nb_conns(t); i < t->p.max_conns && left > 0; i++) {
		tcb = &t->tcbs[i];
		if (tcb->state == FP_TCP_CLOSED)
			continue;
		left--;
		if (tcb->state == FP_TCP_TIME_WAIT)
			continue;
		FP_TCB_LOG(tcb, "reset at shutdown in %s", fp_tcp_state_names[tcb->state]);
		fp_tcp_send_ctl(t, tcb, RTE_TCP_RST_FLAG, tcb->snd_nxt);
		fp_count(t->st, FP_C_tcp_aborts, 1);
		fp_tcb_free(t, tcb);
		n++;
	}
	return n;
}

unsigned int
fp_tcp_conns_snapshot(const struct fp_tcp_lcore *t, struct fp_tcp_conn_info *out,
	unsigned int max)
{
	const struct fp_tcb *tcb;
	unsigned int n = 0;
	uint32_t i, fin, left = fp_tcp_nb_conns(t);

	for (i = 0; i < t->p.max_conns && n < max && n < left; i++) {
		tcb = &t->tcbs[i];
		if (tcb->state == FP_TCP_CLOSED)
			continue;
		out[n].raddr = tcb->raddr;
		out[n].rport = rte_be_to_cpu_16(tcb->rport);
		out[n].lport = rte_be_to_cpu_16(tcb->lport);
		out[n].state = tcb->state;
		/* Sequence space less the SYN and any FIN, modulo 2^32. */
		fin = tcb->state == FP_TCP_CLOSE_WAIT || tcb->state == FP_TCP_LAST_ACK ||
			tcb->state == FP_TCP_CLOSING || tcb->state == FP_TCP_TIME_WAIT;
		out[n].bytes_in = tcb->state == FP_TCP_SYN_RECEIVED ? 0 :
			tcb->rcv_nxt - tcb->irs - 1 - fin;
		out[n].bytes_out = tcb->state == FP_TCP_SYN_RECEIVED ? 0 :
			tcb->snd_una - tcb->iss - 1 -
			((tcb->flags & FP_TCB_FIN_SENT) && tcb->snd_una == tcb->snd_max);
		out[n].age_ms = t->now_ms - tcb->open_ms;
		out[n].cwnd = tcb->cwnd;
		out[n].srtt_ms = tcb->srtt >> 3;
		out[n].rto_ms = tcb->rto;
		n++;
	}
	return n;
}
