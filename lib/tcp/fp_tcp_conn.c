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
#include <rte_random.h>
#include <rte_vect.h>

#include "fp_tcp_priv.h"

const char *const fp_tcp_state_names[FP_TCP_NB_STATES] = {
	[FP_TCP_CLOSED] = "CLOSED",
	[FP_TCP_SYN_SENT] = "SYN-SENT",
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
	[FP_TCP_SYN_SENT] = FP_G_tcp_syn_sent,
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

static inline uint64_t
fp_le64(const uint8_t *p)
{
	uint64_t v;

	memcpy(&v, p, sizeof(v));
	return rte_le_to_cpu_64(v);
}

/* SipHash-2-4's state, its rounds over one 8-byte word, and its end. */
struct fp_sip {
	uint64_t v0, v1, v2, v3;
};

static inline void
fp_sip_init(struct fp_sip *s, const uint8_t key[16])
{
	uint64_t k0 = fp_le64(key), k1 = fp_le64(key + 8);

	s->v0 = k0 ^ 0x736f6d6570736575ULL;
	s->v1 = k1 ^ 0x646f72616e646f6dULL;
	s->v2 = k0 ^ 0x6c7967656e657261ULL;
	s->v3 = k1 ^ 0x7465646279746573ULL;
}

static inline void
fp_sip_word(struct fp_sip *s, uint64_t m)
{
	s->v3 ^= m;
	FP_SIPROUND(s->v0, s->v1, s->v2, s->v3);
	FP_SIPROUND(s->v0, s->v1, s->v2, s->v3);
	s->v0 ^= m;
}

static inline uint64_t
fp_sip_end(struct fp_sip *s)
{
	s->v2 ^= 0xff;
	FP_SIPROUND(s->v0, s->v1, s->v2, s->v3);
	FP_SIPROUND(s->v0, s->v1, s->v2, s->v3);
	FP_SIPROUND(s->v0, s->v1, s->v2, s->v3);
	FP_SIPROUND(s->v0, s->v1, s->v2, s->v3);
	return s->v0 ^ s->v1 ^ s->v2 ^ s->v3;
}

/* fp_siphash() of three 32-bit words as they lie in memory (on a
 * little-endian CPU), without its loops: a connection's ISN.
 */
static inline uint64_t
fp_siphash_3u32(const uint8_t key[16], uint32_t a, uint32_t b, uint32_t c)
{
	struct fp_sip s;

	fp_sip_init(&s, key);
	fp_sip_word(&s, (uint64_t)b << 32 | a);
	fp_sip_word(&s, (uint64_t)12 << 56 | c);
	return fp_sip_end(&s);
}

__rte_hot uint64_t
fp_siphash(const uint8_t key[16], const void *data, size_t len)
{
	const uint8_t *in = data;
	uint64_t b = (uint64_t)len << 56;
	size_t i, left = len & 7;
	struct fp_sip s;

	fp_sip_init(&s, key);
	for (i = 0; i + 8 <= len; i += 8)
		fp_sip_word(&s, fp_le64(in + i));
	while (left-- > 0)
		b |= (uint64_t)in[i + left] << (8 * left);
	fp_sip_word(&s, b);
	return fp_sip_end(&s);
}

const char *const fp_tcp_close_names[FP_TCP_CLOSE_MAX] = {
#define FP_TCP_CLOSE_NAME(n, d) [FP_TCP_CLOSE_##n] = #n,
	FP_TCP_CLOSE_LIST(FP_TCP_CLOSE_NAME)
#undef FP_TCP_CLOSE_NAME
};

void
fp_tcp_params_from(struct fp_tcp_params *p, const struct fp_config *cfg, unsigned int w,
	unsigned int nb_workers)
{
	uint32_t span = cfg->port_max - cfg->port_min + 1, each;

	memset(p, 0, sizeof(*p));
	p->max_conns = cfg->max_conns;
	p->syn_backlog = cfg->syn_backlog;
	p->time_wait_ms = cfg->time_wait_ms;
	p->fin_wait2_ms = cfg->fin_wait2_ms;
	p->linger_ms = cfg->linger_ms;
	p->rto_min_ms = cfg->rto_min_ms;
	p->rto_max_ms = cfg->rto_max_ms;
	p->retries = cfg->retries;
	p->syn_retries = cfg->syn_retries;
	p->delack_ms = cfg->delack_ms;
	p->challenge_acks = cfg->challenge_acks;
	p->invalid_ratelimit_ms = cfg->invalid_ratelimit_ms;
	p->rcv_wnd = cfg->rcv_wnd;
	p->sndbuf = cfg->sndbuf;
	p->pieces = cfg->tx_pieces;
	p->chunks = cfg->tx_chunks;
	p->ooo_segs = cfg->ooo_segments;
	p->ooo_max = cfg->ooo_segments != 0 ? cfg->ooo_max : 0;
	p->sack = cfg->sack;
	p->cc = cfg->congestion;
	p->nagle = cfg->nagle;
	p->sack_boards = cfg->sack ? cfg->sack_boards : 0;
	p->timestamps = cfg->timestamps;
	p->init_cwnd = cfg->initial_window;
	p->mtu = cfg->mtu;
	/* Each worker its own slice, so a reply finds the worker that owns
	 * the port when the NIC steers by it.
	 */
	nb_workers = RTE_MAX(nb_workers, 1u);
	each = RTE_MAX(span / nb_workers, 1u);
	p->port_lo = cfg->port_min + RTE_MIN(w * each, span - 1);
	p->port_hi = RTE_MIN(p->port_lo + each - 1, cfg->port_max);
}

int
fp_tcp_lcore_init(struct fp_tcp_lcore *t, const struct fp_tcp_params *p, unsigned int worker,
	int socket, struct fp_err *err)
{
	struct rte_hash_parameters hp = { 0 };
	char name[RTE_MEMPOOL_NAMESIZE];
	static unsigned int seq;
	uint32_t i, wnd;
	unsigned int id = __atomic_fetch_add(&seq, 1, __ATOMIC_RELAXED);

	memset(t, 0, sizeof(*t));
	t->p = *p;
	t->tsc_per_ms = RTE_MAX(rte_get_tsc_hz() / 1000, (uint64_t)2);
	t->ms_div = rte_reciprocal_value_u64(t->tsc_per_ms);
	t->tsc_base = rte_rdtsc();
	t->now_ms = 1;
	t->wheel_ms = 1;
	/* RFC 6056: ephemeral ports hard to guess. From a random place in
	 * the range, then in turn: a restarted client also starts away from
	 * the ports whose TIME-WAIT the server still holds.
	 */
	t->next_port = p->port_lo + (uint16_t)rte_rand_max(p->port_hi - p->port_lo + 1u);
	t->mss_max = p->mtu - sizeof(struct rte_ipv4_hdr) - sizeof(struct rte_tcp_hdr);
	/* The smallest shift that carries the configured window (RFC 7323 2.3). */
	for (wnd = p->rcv_wnd; wnd > UINT16_MAX && t->rcv_wscale < FP_TCP_WS_MAX; wnd >>= 1)
		t->rcv_wscale++;
	if (getrandom(t->isn_key, sizeof(t->isn_key), 0) != sizeof(t->isn_key) ||
			getrandom(t->cookie_key, sizeof(t->cookie_key), 0) !=
			sizeof(t->cookie_key))
		return fp_fail(err, -EIO, "cannot read random keys for ISNs and SYN cookies");
	t->isn_tick = RTE_MAX(rte_get_tsc_hz() / 250000, (uint64_t)2);
	t->isn_div = rte_reciprocal_value_u64(t->isn_tick);

	snprintf(name, sizeof(name), "fp_conns_%u", id);
	hp.name = name;
	/* rte_hash fills buckets of 8; head-room keeps inserts from failing
	 * before max_conns is reached.
	 */
	hp.entries = RTE_MAX(p->max_conns + p->max_conns / 4, 64u);
	hp.key_len = sizeof(uint64_t);
	hp.hash_func = rte_hash_crc;
	hp.hash_func_init_val = 0;	/* fp_tcp_key_sig() */
	hp.socket_id = socket;
	t->table = rte_hash_create(&hp);
	if (t->table == NULL)
		return fp_fail(err, -ENOMEM, "worker %u: cannot create a table of %u "
			"connections: %s", worker, p->max_conns, rte_strerror(rte_errno));
	rte_hash_set_cmp_func(t->table, fp_hash_cmp_u64);
	/* Three cache lines: a clean short connection touches no more. */
	RTE_BUILD_BUG_ON(sizeof(struct fp_tcb) > 3 * RTE_CACHE_LINE_SIZE);
	t->tcbs = rte_zmalloc_socket("fp_tcbs", sizeof(*t->tcbs) * p->max_conns,
		RTE_CACHE_LINE_SIZE, socket);
	t->cold = rte_malloc_socket("fp_tcb_cold", sizeof(*t->cold) * p->max_conns,
		RTE_CACHE_LINE_SIZE, socket);
	t->wheel = rte_zmalloc_socket("fp_wheel", sizeof(uint32_t) * FP_TCP_WHEEL,
		RTE_CACHE_LINE_SIZE, socket);
	t->pieces = rte_malloc_socket("fp_pieces", sizeof(*t->pieces) * p->pieces,
		RTE_CACHE_LINE_SIZE, socket);
	t->piece_free = rte_malloc_socket("fp_piece_free", sizeof(uint32_t) * p->pieces, 0,
		socket);
	t->chunks = rte_malloc_socket("fp_chunks", (size_t)FP_TCP_CHUNK * p->chunks,
		RTE_CACHE_LINE_SIZE, socket);
	t->chunk_free = rte_malloc_socket("fp_chunk_free", sizeof(uint32_t) * p->chunks, 0,
		socket);
	t->ooo = rte_zmalloc_socket("fp_ooo", sizeof(*t->ooo) * RTE_MAX(p->ooo_segs, 1u),
		RTE_CACHE_LINE_SIZE, socket);
	t->ooo_free = rte_malloc_socket("fp_ooo_free",
		sizeof(uint32_t) * RTE_MAX(p->ooo_segs, 1u), 0, socket);
	t->sbs = rte_malloc_socket("fp_sack_boards", sizeof(*t->sbs) *
		RTE_MAX(p->sack_boards, 1u), RTE_CACHE_LINE_SIZE, socket);
	t->sb_free = rte_malloc_socket("fp_sb_free",
		sizeof(uint32_t) * RTE_MAX(p->sack_boards, 1u), 0, socket);
	if (t->tcbs == NULL || t->cold == NULL || t->wheel == NULL || t->pieces == NULL ||
			t->piece_free == NULL || t->chunks == NULL || t->chunk_free == NULL ||
			t->ooo == NULL || t->ooo_free == NULL || t->sbs == NULL ||
			t->sb_free == NULL) {
		fp_tcp_lcore_free(t);
		return fp_fail(err, -ENOMEM, "worker %u: no memory for %u connections, %u "
			"pieces and %u chunks (lower [tcp] max_conns, tx_pieces or tx_chunks)",
			worker, p->max_conns, p->pieces, p->chunks);
	}
	/* Lowest index on top, so a quiet server touches few tcbs. */
	for (i = 0; i + 1 < p->max_conns; i++)
		t->tcbs[i].t_next = i + 2;
	t->free_head = 1;
	t->nb_free = p->max_conns;
	for (i = 0; i < p->pieces; i++)
		t->piece_free[i] = p->pieces - 1 - i;
	t->nb_piece_free = p->pieces;
	for (i = 0; i < p->chunks; i++)
		t->chunk_free[i] = p->chunks - 1 - i;
	t->nb_chunk_free = p->chunks;
	for (i = 0; i < p->ooo_segs; i++)
		t->ooo_free[i] = p->ooo_segs - 1 - i;
	t->nb_ooo_free = p->ooo_segs;
	for (i = 0; i < p->sack_boards; i++)
		t->sb_free[i] = p->sack_boards - 1 - i;
	t->nb_sb_free = p->sack_boards;
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
fp_tcp_set_resolver(struct fp_tcp_lcore *t, fp_tcp_resolve_t fn, void *ctx)
{
	t->resolve = fn;
	t->resolve_ctx = ctx;
}

void
fp_tcp_lcore_free(struct fp_tcp_lcore *t)
{
	uint32_t i;

	if (t->tcbs != NULL && t->st != NULL)
		for (i = 0; i < t->hi_idx; i++)
			if (t->tcbs[i].state != FP_TCP_CLOSED)
				fp_tcb_drop(t, &t->tcbs[i], FP_TCP_CLOSE_aborted);
	/* What the free lists say at the end: a leak shows as non-zero. */
	if (t->piece_free != NULL && t->chunk_free != NULL)
		fp_tcp_gauges(t);
	rte_hash_free(t->table);
	rte_free(t->tcbs);
	rte_free(t->cold);
	rte_free(t->wheel);
	rte_free(t->pieces);
	rte_free(t->piece_free);
	rte_free(t->chunks);
	rte_free(t->chunk_free);
	rte_free(t->ooo);
	rte_free(t->ooo_free);
	rte_free(t->sbs);
	rte_free(t->sb_free);
	t->ooo = NULL;
	t->ooo_free = NULL;
	t->sbs = NULL;
	t->sb_free = NULL;
	t->table = NULL;
	t->tcbs = NULL;
	t->cold = NULL;
	t->wheel = NULL;
	t->pieces = NULL;
	t->piece_free = NULL;
	t->chunks = NULL;
	t->chunk_free = NULL;
}

__rte_hot void
fp_tcp_clock(struct fp_tcp_lcore *t, uint64_t tsc)
{
	uint32_t ms = rte_reciprocal_divide_u64(tsc - t->tsc_base, &t->ms_div) + 1;

	t->now_tsc = tsc;
	t->now_ms = ms != 0 ? ms : 1;
}

/* The listener table's entry serving lport, or -1. */
__rte_hot int
fp_tcp_listener(const struct fp_tcp_lcore *t, uint16_t lport)
{
	unsigned int i;

	for (i = 0; i < t->nb_listeners; i++)
		if (t->listeners[i].port == lport && lport != 0)
			return i;
	return -1;
}

int
fp_tcp_listen(struct fp_tcp_lcore *t, uint16_t port, const struct fp_tcp_ops *ops, void *arg)
{
	uint16_t p = rte_cpu_to_be_16(port);

	if (port != 0 && fp_tcp_listener(t, p) >= 0)
		return -EEXIST;
	if (t->nb_listeners == FP_TCP_MAX_LISTENERS)
		return -ENOSPC;
	t->listeners[t->nb_listeners].port = p;
	t->listeners[t->nb_listeners].ops = ops;
	t->listeners[t->nb_listeners].arg = arg;
	t->nb_listeners++;
	return 0;
}

/* The table entry for an active open's callbacks (port 0 never matches). */
static int
fp_tcp_ops_slot(struct fp_tcp_lcore *t, const struct fp_tcp_ops *ops)
{
	unsigned int i;

	for (i = 0; i < t->nb_listeners; i++)
		if (t->listeners[i].port == 0 && t->listeners[i].ops == ops)
			return i;
	if (fp_tcp_listen(t, 0, ops, NULL) != 0)
		return -1;
	return t->nb_listeners - 1;
}

/* The table's signature of k, as its hash_func would compute it. Every
 * operation passes it: the one lookup routine of librte_hash that the
 * route table uses too, and the key is hashed once per add and delete.
 */
static __rte_hot inline hash_sig_t
fp_tcp_key_sig(uint64_t k)
{
	return rte_hash_crc_8byte(k, 0);
}

__rte_hot struct fp_tcb *
fp_tcb_lookup(struct fp_tcp_lcore *t, uint32_t raddr, uint16_t rport, uint16_t lport)
{
	uint64_t k = fp_tcp_key(raddr, rport, lport);
	void *data;

	if (rte_hash_lookup_with_hash_data(t->table, &k, fp_tcp_key_sig(k), &data) < 0)
		return NULL;
	return &t->tcbs[(uintptr_t)data];
}

struct fp_tcb *
fp_tcp_conn_get(struct fp_tcp_lcore *t, uint32_t id, uint32_t gen)
{
	struct fp_tcb *c;

	if (id >= t->p.max_conns)
		return NULL;
	c = &t->tcbs[id];
	if (c->state == FP_TCP_CLOSED || c->gen != gen || (c->flags & FP_TCB_DETACHED))
		return NULL;
	return c;
}

__rte_hot void
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

/* Zeroes a tcb. memset() of its size compiles to rep stos, whose start-up
 * costs more than the 184 bytes it writes, once per connection.
 */
static inline void
fp_tcb_zero(struct fp_tcb *tcb)
{
#ifdef RTE_ARCH_X86
	/* Written out: a loop of these becomes rep stos again. */
	uint8_t *p = (uint8_t *)tcb;
	__m128i z = _mm_setzero_si128();

	RTE_BUILD_BUG_ON(sizeof(*tcb) > 12 * 16 || sizeof(*tcb) < 11 * 16);
	_mm_storeu_si128((__m128i *)(p + 0), z);
	_mm_storeu_si128((__m128i *)(p + 16), z);
	_mm_storeu_si128((__m128i *)(p + 32), z);
	_mm_storeu_si128((__m128i *)(p + 48), z);
	_mm_storeu_si128((__m128i *)(p + 64), z);
	_mm_storeu_si128((__m128i *)(p + 80), z);
	_mm_storeu_si128((__m128i *)(p + 96), z);
	_mm_storeu_si128((__m128i *)(p + 112), z);
	_mm_storeu_si128((__m128i *)(p + 128), z);
	_mm_storeu_si128((__m128i *)(p + 144), z);
	_mm_storeu_si128((__m128i *)(p + 160), z);
	_mm_storeu_si128((__m128i *)(p + sizeof(*tcb) - 16), z);
#else
	memset(tcb, 0, sizeof(*tcb));
#endif
}

__rte_hot struct fp_tcb *
fp_tcb_new(struct fp_tcp_lcore *t, uint32_t raddr, uint16_t rport, uint16_t lport)
{
	uint64_t k = fp_tcp_key(raddr, rport, lport);
	struct fp_tcb *tcb;
	uint32_t idx, gen;

	if (t->nb_free == 0 && !fp_tcp_evict_time_wait(t))
		return NULL;
	idx = t->free_head - 1;
	if (rte_hash_add_key_with_hash_data(t->table, &k, fp_tcp_key_sig(k),
			(void *)(uintptr_t)idx) != 0)
		return NULL;
	t->free_head = t->tcbs[idx].t_next;
	t->nb_free--;
	if (idx >= t->hi_idx)
		t->hi_idx = idx + 1;
	tcb = &t->tcbs[idx];
	gen = tcb->gen + 1;
	fp_tcb_zero(tcb);
	tcb->gen = gen;
	tcb->raddr = raddr;
	tcb->rport = rport;
	tcb->lport = lport;
	fp_tcb_cold(t, tcb)->open_ms = t->now_ms;
	tcb->rcv_space = t->p.rcv_wnd;
	fp_gauge_add(t->st, FP_G_tcp_conns, 1);
	return tcb;
}

/* Gives back one piece and what it holds. */
static void
fp_tcp_piece_put(struct fp_tcp_lcore *t, struct fp_tcp_piece *pc)
{
	uint32_t idx = pc - t->pieces;

	if (pc->sh > FP_TCP_PIECE_GEN) {
		if (!(pc->sh & FP_TCP_PIECE_NOREF))
			fp_tcp_sh_put(fp_tcp_piece_sh(pc), pc->addr);
	} else if (pc->sh == 0) {
		t->chunk_free[t->nb_chunk_free++] = (pc->addr - t->chunks) / FP_TCP_CHUNK;
	}
	t->piece_free[t->nb_piece_free++] = idx;
}

/* Drops what the peer acknowledged from the send queue. */
__rte_hot void
fp_tcp_sq_advance(struct fp_tcp_lcore *t, struct fp_tcb *tcb, uint32_t acked)
{
	uint32_t n = acked + tcb->sq_off;
	struct fp_tcp_piece *pc;

	tcb->sq_bytes -= RTE_MIN(acked, tcb->sq_bytes);
	while (tcb->sq_head != 0) {
		pc = &t->pieces[tcb->sq_head - 1];
		if (n < pc->len)
			break;
		n -= pc->len;
		tcb->sq_head = pc->next;
		fp_tcp_piece_put(t, pc);
	}
	if (tcb->sq_head == 0)
		tcb->sq_tail = 0;
	tcb->sq_off = tcb->sq_head != 0 ? n : 0;
}

__rte_hot void
fp_tcp_sq_clear(struct fp_tcp_lcore *t, struct fp_tcb *tcb)
{
	struct fp_tcp_piece *pc;

	while (tcb->sq_head != 0) {
		pc = &t->pieces[tcb->sq_head - 1];
		tcb->sq_head = pc->next;
		fp_tcp_piece_put(t, pc);
	}
	tcb->sq_tail = 0;
	tcb->sq_bytes = 0;
	tcb->sq_off = 0;
}

/* Tells the application, once, that the connection is over for it. */
__rte_hot void
fp_tcp_closed(struct fp_tcp_lcore *t, struct fp_tcb *tcb, enum fp_tcp_close why)
{
	const struct fp_tcp_ops *ops;

	if (tcb->flags & FP_TCB_DETACHED)
		return;
	tcb->flags |= FP_TCB_DETACHED;
	if ((tcb->flags & FP_TCB_ACTIVE) && tcb->state == FP_TCP_SYN_SENT)
		fp_count(t->st, FP_C_tcp_connect_failed, 1);
	ops = fp_tcp_conn_ops(t, tcb);
	if (ops != NULL && ops->closed != NULL)
		ops->closed(tcb->app, t, tcb, why);
	tcb->app = NULL;
}

__rte_hot void
fp_tcb_free(struct fp_tcp_lcore *t, struct fp_tcb *tcb)
{
	uint64_t k = fp_tcp_key(tcb->raddr, tcb->rport, tcb->lport);
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
		/* They were the send queue's links. */
		tcb->tw_next = 0;
		tcb->tw_prev = 0;
	}
	fp_tcp_sq_clear(t, tcb);
	fp_tcp_ooo_clear(t, tcb);
	fp_tcp_sb_free(t, tcb);
	fp_tcb_set_state(t, tcb, FP_TCP_CLOSED);
	rte_hash_del_key_with_hash(t->table, &k, fp_tcp_key_sig(k));
	tcb->t_next = t->free_head;
	t->free_head = idx + 1;
	t->nb_free++;
	fp_gauge_add(t->st, FP_G_tcp_conns, -1);
	fp_count(t->st, FP_C_tcp_closed, 1);
}

/* The application hears why, then the tcb goes. */
__rte_hot void
fp_tcb_drop(struct fp_tcp_lcore *t, struct fp_tcb *tcb, enum fp_tcp_close why)
{
	fp_tcp_closed(t, tcb, why);
	if (tcb->state != FP_TCP_CLOSED)
		fp_tcb_free(t, tcb);
}

/* Enters TIME-WAIT: the queue is empty, and the tcb joins the age list. */
void
fp_tcb_time_wait(struct fp_tcp_lcore *t, struct fp_tcb *tcb)
{
	uint32_t me = fp_tcb_idx(t, tcb) + 1;

	fp_tcp_closed(t, tcb, FP_TCP_CLOSE_normal);
	/* The application may have aborted it from closed(). */
	if (tcb->state == FP_TCP_CLOSED)
		return;
	fp_tcb_set_state(t, tcb, FP_TCP_TIME_WAIT);
	fp_tcp_sq_clear(t, tcb);
	fp_tcp_ooo_clear(t, tcb);
	tcb->t_rexmit = 0;
	tcb->t_delack = 0;
	tcb->t_app = 0;
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

__rte_hot uint32_t
fp_tcp_isn(const struct fp_tcp_lcore *t, uint32_t raddr, uint16_t rport, uint16_t lport)
{
	/* RFC 6528 section 3: "ISN = M + F(localip, localport, remoteip,
	 * remoteport, secretkey)", M a 4-microsecond timer.
	 */
	uint64_t m = rte_reciprocal_divide_u64(t->now_tsc, &t->isn_div);

	return (uint32_t)m + (uint32_t)fp_siphash_3u32(t->isn_key, t->ifc->ip, raddr,
		(uint32_t)lport << 16 | rport);
}

/* MSS values a cookie can carry in 3 bits. */
static const uint16_t fp_cookie_mss[8] = { 536, 1220, 1300, 1360, 1400, 1440, 1452, 1460 };

/* Cookies age in 64-second steps; one is good for the step it was made in
 * and the next.
 */
#define FP_COOKIE_STEP_MS 65536

static uint32_t
fp_cookie_hash(const struct fp_tcp_lcore *t, uint32_t raddr, uint16_t rport,
	uint16_t lport, uint32_t irs, uint32_t step, uint32_t mss_idx)
{
	uint32_t in[5] = { t->ifc->ip, raddr, (uint32_t)lport << 16 | rport, irs,
		step << 3 | mss_idx };

	return (uint32_t)fp_siphash(t->cookie_key, in, sizeof(in)) & 0xffffff;
}

/* RFC 4987 section 3.6: the ISN encodes the time step (5 bits), an MSS
 * index (3 bits) and a 24-bit MAC of the 4-tuple, the peer's ISN, the step
 * and the MSS index: an ACK that changes any of them acknowledges nothing we
 * sent.
 */
uint32_t
fp_tcp_cookie_make(const struct fp_tcp_lcore *t, uint32_t raddr, uint16_t rport,
	uint16_t lport, uint32_t irs, uint16_t mss)
{
	uint32_t step = t->now_ms / FP_COOKIE_STEP_MS, i = 0;

	while (i + 1 < RTE_DIM(fp_cookie_mss) && fp_cookie_mss[i + 1] <= mss)
		i++;
	return (step & 0x1f) << 27 | i << 24 |
		fp_cookie_hash(t, raddr, rport, lport, irs, step, i);
}

int
fp_tcp_cookie_check(const struct fp_tcp_lcore *t, uint32_t raddr, uint16_t rport,
	uint16_t lport, uint32_t irs, uint32_t iss, uint16_t *mss)
{
	uint32_t now = t->now_ms / FP_COOKIE_STEP_MS, step;

	for (step = now; step + 1 >= now && step <= now; step--) {
		if ((step & 0x1f) == iss >> 27 &&
				fp_cookie_hash(t, raddr, rport, lport, irs, step,
				(iss >> 24) & 7) == (iss & 0xffffff)) {
			*mss = fp_cookie_mss[(iss >> 24) & 7];
			return 0;
		}
		if (step == 0)
			break;
	}
	return -EINVAL;
}

uint32_t
fp_tcp_nb_conns(const struct fp_tcp_lcore *t)
{
	return t->p.max_conns - t->nb_free;
}

void
fp_tcp_foreach(struct fp_tcp_lcore *t, void (*fn)(void *arg, struct fp_tcp_lcore *t,
	struct fp_tcb *c), void *arg)
{
	struct fp_tcb *tcb;
	uint32_t i;

	for (i = 0; i < t->hi_idx; i++) {
		tcb = &t->tcbs[i];
		if (tcb->state == FP_TCP_CLOSED || (tcb->flags & FP_TCB_DETACHED))
			continue;
		fn(arg, t, tcb);
	}
}

void
fp_tcp_drain(struct fp_tcp_lcore *t)
{
	t->draining = true;
}

uint32_t
fp_tcp_reset_all(struct fp_tcp_lcore *t)
{
	struct fp_tcb *tcb;
	uint32_t i, n = 0;

	for (i = 0; i < t->hi_idx; i++) {
		tcb = &t->tcbs[i];
		if (tcb->state == FP_TCP_CLOSED || tcb->state == FP_TCP_TIME_WAIT)
			continue;
		FP_TCB_LOG(tcb, "reset at shutdown in %s", fp_tcp_state_names[tcb->state]);
		fp_tcp_abort(t, tcb);
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
	uint32_t i, fin;
	bool syn;

	for (i = 0; i < t->hi_idx && n < max; i++) {
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
		syn = tcb->state == FP_TCP_SYN_RECEIVED || tcb->state == FP_TCP_SYN_SENT;
		out[n].bytes_in = syn ? 0 : tcb->rcv_nxt - tcb->irs - 1 - fin;
		out[n].bytes_out = syn ? 0 : fp_tcp_bytes_acked(tcb);
		out[n].age_ms = t->now_ms - fp_tcb_cold(t, tcb)->open_ms;
		out[n].cwnd = tcb->cwnd;
		out[n].srtt_ms = tcb->srtt >> 3;
		out[n].rto_ms = tcb->rto;
		n++;
	}
	return n;
}

/* Initial RTO and congestion state, once the MSS is known. */
__rte_hot void
fp_tcp_cc_init(const struct fp_tcp_lcore *t, struct fp_tcb *tcb)
{
	uint32_t iw = t->p.init_cwnd != 0 ? t->p.init_cwnd : FP_TCP_IW;

	tcb->rto = FP_TCP_RTO_INIT;
	/* RFC 6928: IW = min(10 * MSS, max(2 * MSS, 14600)), with the
	 * configured number of segments for the 10 (14600 = 10 x 1460).
	 */
	tcb->cwnd = RTE_MIN(iw * (uint32_t)tcb->mss, RTE_MAX(2u * tcb->mss, iw * 1460u));
	tcb->ssthresh = UINT32_MAX / 2;
	fp_tcb_cold(t, tcb)->w_max = 0;
	fp_tcb_cold(t, tcb)->cubic_epoch = 0;
	if (t->p.nagle)
		tcb->flags |= FP_TCB_NAGLE;
}

/* A free port of this worker's range toward raddr:rport, or 0. */
static uint16_t
fp_tcp_pick_port(struct fp_tcp_lcore *t, uint32_t raddr, uint16_t rport)
{
	uint32_t span = t->p.port_hi - t->p.port_lo + 1, i;
	uint16_t port;

	for (i = 0; i < span; i++) {
		port = t->next_port;
		t->next_port = port >= t->p.port_hi ? t->p.port_lo : port + 1;
		if (fp_tcp_listener(t, rte_cpu_to_be_16(port)) >= 0)
			continue;
		if (fp_tcb_lookup(t, raddr, rport, rte_cpu_to_be_16(port)) == NULL)
			return port;
	}
	return 0;
}

/* The MAC of raddr's next hop: raddr on our subnet, else the gateway. */
static int
fp_tcp_next_hop(struct fp_tcp_lcore *t, uint32_t raddr, struct rte_ether_addr *mac)
{
	uint32_t hop = raddr;

	if (t->ifc->gateway != 0 && ((raddr ^ t->ifc->ip) & t->ifc->netmask) != 0)
		hop = t->ifc->gateway;
	return t->resolve != NULL ? t->resolve(t->resolve_ctx, hop, mac) : -ENOTSUP;
}

int
fp_tcp_resolve(struct fp_tcp_lcore *t, uint32_t raddr)
{
	struct rte_ether_addr mac;

	return fp_tcp_next_hop(t, raddr, &mac);
}

struct fp_tcb *
fp_tcp_connect(struct fp_tcp_lcore *t, uint32_t raddr, uint16_t rport,
	const struct fp_tcp_ops *ops, void *app)
{
	struct rte_ether_addr mac;
	struct fp_tcb *tcb;
	uint16_t port, prt = rte_cpu_to_be_16(rport);
	int slot, ret;

	if (t->draining) {
		rte_errno = ESHUTDOWN;
		return NULL;
	}
	ret = fp_tcp_next_hop(t, raddr, &mac);
	if (ret != 0) {
		rte_errno = EHOSTUNREACH;
		return NULL;
	}
	slot = fp_tcp_ops_slot(t, ops);
	if (slot < 0) {
		rte_errno = ENOSPC;
		return NULL;
	}
	port = fp_tcp_pick_port(t, raddr, prt);
	if (port == 0) {
		rte_errno = EADDRINUSE;
		return NULL;
	}
	tcb = fp_tcb_new(t, raddr, prt, rte_cpu_to_be_16(port));
	if (tcb == NULL) {
		rte_errno = ENOBUFS;
		return NULL;
	}
	tcb->rmac = mac;
	tcb->ops = slot;
	tcb->app = app;
	tcb->flags |= FP_TCB_ACTIVE | FP_TCB_WS | (t->p.timestamps ? FP_TCB_TS : 0) |
		(t->p.sack ? FP_TCB_SACK : 0);
	tcb->iss = fp_tcp_isn(t, raddr, prt, tcb->lport);
	tcb->snd_una = tcb->iss;
	tcb->recover = tcb->iss;
	tcb->mss = t->mss_max;
	fp_tcp_cc_init(t, tcb);
	fp_tcb_set_state(t, tcb, FP_TCP_SYN_SENT);
	tcb->rtt_ms = t->now_ms;
	if (fp_tcp_send_ctl(t, tcb, RTE_TCP_SYN_FLAG, tcb->iss) != 0) {
		tcb->flags |= FP_TCB_DETACHED;
		fp_tcb_free(t, tcb);
		rte_errno = ENOBUFS;
		return NULL;
	}
	tcb->snd_nxt = tcb->iss + 1;
	tcb->snd_max = tcb->snd_nxt;
	fp_tcp_arm_rexmit(t, tcb);
	return tcb;
}

void
fp_tcp_abort(struct fp_tcp_lcore *t, struct fp_tcb *c)
{
	if (c->state == FP_TCP_CLOSED)
		return;
	/* RFC 9293 3.10.5: "send a reset segment: <SEQ=SND.NXT><CTL=RST>",
	 * except where no RST is owed (SYN-SENT, TIME-WAIT).
	 */
	if (c->state != FP_TCP_SYN_SENT && c->state != FP_TCP_TIME_WAIT)
		fp_tcp_send_ctl(t, c, RTE_TCP_RST_FLAG, c->snd_nxt);
	fp_count(t->st, FP_C_tcp_aborts, 1);
	fp_tcb_drop(t, c, FP_TCP_CLOSE_aborted);
}

__rte_hot void
fp_tcp_shutdown(struct fp_tcp_lcore *t, struct fp_tcb *c)
{
	if (c->flags & FP_TCB_FIN_QUEUED)
		return;
	c->flags |= FP_TCB_FIN_QUEUED;
	/* A peer that never takes what is queued (a zero window) does not
	 * hold the connection for ever.
	 */
	if (c->state == FP_TCP_ESTABLISHED || c->state == FP_TCP_CLOSE_WAIT ||
			c->state == FP_TCP_SYN_RECEIVED || c->state == FP_TCP_SYN_SENT)
		c->t_idle = fp_tcp_deadline(t, t->p.linger_ms);
	fp_tcp_push(t, c);
}

__rte_hot void
fp_tcp_set_timer(struct fp_tcp_lcore *t, struct fp_tcb *c, uint32_t ms)
{
	c->t_app = ms != 0 ? fp_tcp_deadline(t, ms) : 0;
	if (!(c->flags & FP_TCB_IN_CB))
		fp_tcp_timer_update(t, c);
}

void
fp_tcp_rcv_space(struct fp_tcp_lcore *t, struct fp_tcb *c, uint32_t space)
{
	uint32_t promised = fp_seq_gt(c->rcv_adv, c->rcv_nxt) ? c->rcv_adv - c->rcv_nxt : 0;
	uint32_t wnd = RTE_MIN(space, t->p.rcv_wnd);

	c->rcv_space = wnd;
	/* RFC 9293 3.8.6.2.2: announce a window that opened by at least
	 * min(RCV.BUFF / 2, Eff.snd.MSS) beyond what was promised.
	 */
	if (wnd > promised && wnd - promised >= RTE_MIN(t->p.rcv_wnd / 2, (uint32_t)c->mss) &&
			c->state >= FP_TCP_ESTABLISHED && c->state != FP_TCP_TIME_WAIT) {
		c->flags |= FP_TCB_ACK_NOW;
		if (!(c->flags & FP_TCB_IN_CB))
			fp_tcp_push(t, c);
	}
}
