/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The fastpath authors
 */

/* TCP against itself, no HTTP: two workers' TCP (A at 198.18.1.1, B at
 * 198.18.1.2) joined by an in-memory wire on a fake clock. Each side's TX
 * flush copies its frames into one contiguous mbuf each (as a NIC without
 * RX scatter would deliver them) and queues them toward the other side,
 * through faults drawn from a seeded PRNG: drop, duplicate, reorder, delay.
 * pump() delivers what is due, moves both clocks by 1 ms and runs the
 * timers, up to a bound: a transfer that stalls fails, it does not hang.
 * A small application streams a known pattern each way over the callback
 * API and checks every byte in order.
 *
 * FP_TEST_VERBOSE=1 prints what each transfer took (fake ms, retransmissions,
 * faults); FP_TEST_SEED=n draws other faults than the fixed ones.
 */

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_common.h>
#include <rte_errno.h>
#include <rte_hash.h>
#include <rte_hash_crc.h>
#include <rte_malloc.h>
#include <rte_mbuf.h>
#include <rte_mempool.h>
#include <rte_tcp.h>

#include "fp_config.h"
#include "fp_stats.h"
#include "fp_tcp.h"
#include "fp_tcp_priv.h"
#include "fp_test.h"

#define IP_A		FP_TEST_ADDR(198, 18, 1, 1)
#define IP_B		FP_TEST_ADDR(198, 18, 1, 2)
#define IP_NOBODY	FP_TEST_ADDR(198, 18, 1, 99)
#define NETMASK		FP_TEST_ADDR(255, 255, 255, 0)
#define PORT_B		5001	/* B's listener */
#define PORT_NONE	5009	/* nobody listens there */
#define MTU_A		1500
#define MTU_B		1400	/* so that both sides settle on B's MSS */
#define NB_MBUFS	8192
#define WIRE_CAP	16384	/* frames in flight, one direction */
#define PAT_LEN		1048573u	/* prime: a slipped offset never realigns */
#define PAT_B		333333u	/* where B's stream starts in the pattern */
#define KB		1024u
#define MB		(1024u * 1024u)
#define PPM		1000000u
#define NB_SRV		4	/* connections one listener accepts in a test */
#define HOLD_MS		5	/* longest a reordered frame is held back */

/* One direction's faults; probabilities in parts per million. */
struct fault {
	uint32_t drop;
	uint32_t dup;
	uint32_t reorder;	/* held back behind the next 1 to 3 frames */
	uint32_t delay_ms;	/* one-way latency; 0 counts as 1 */
	uint32_t spike;		/* delayed spike_ms more, overtaken by later frames */
	uint32_t spike_ms;
	uint32_t upd_drop;	/* pure window updates dropped */
	/* Data segments dropped by their number (1 for the first this
	 * direction carries, retransmissions counted); a 0 ends the list.
	 */
	uint64_t drop_seg[8];
	/* Retransmissions of those (same first byte) dropped as well, this
	 * many in all.
	 */
	uint32_t drop_again;
	/* ACKs at or past the first segment drop_seg dropped the other way:
	 * from the ack_blackout-th on, dropped until the other way carries
	 * the second dropped segment again.
	 */
	uint32_t ack_blackout;
};

/* What one direction carried, counted as the frames left the sender. */
struct tap {
	uint64_t frames;
	uint64_t data_segs;
	uint64_t data_bytes;
	uint64_t syns;
	uint64_t rsts;
	uint64_t fins;
	uint64_t zero_wnd;	/* segments advertising a zero window */
	uint64_t wnd_updates;	/* pure ACKs that only moved the right edge */
	uint64_t dropped;
	uint64_t duplicated;
	uint64_t reordered;
	uint64_t spiked;
	uint32_t syn_ms[32];	/* when each SYN (not SYN-ACK) left */
	unsigned int nb_syn_ms;
	struct fp_tcp_opts syn_opt;	/* of the last SYN or SYN-ACK */
	uint16_t syn_wnd;
	bool last_valid;	/* last_ack and last_edge hold a segment's */
	uint32_t last_ack;
	uint64_t last_edge;
};

struct side;

struct frame {
	struct rte_mbuf *m;
	uint32_t due;		/* ms of the wire clock */
};

/* One direction of the wire. */
struct dir {
	struct side *from;
	struct side *to;
	struct fault f;
	uint64_t rng;
	struct frame q[WIRE_CAP];	/* sorted by due, FIFO among equals */
	uint32_t head;
	uint32_t len;
	struct rte_mbuf *held;	/* a frame being reordered */
	uint32_t held_left;	/* frames still to pass it */
	uint32_t held_until;
	struct tap tap;
	uint32_t dropped_seq[8];	/* of the drop_seg frames */
	uint32_t nb_dropped_seq;
	uint32_t acks_past;	/* ACKs seen for ack_blackout */
	bool blackout_over;
};

/* One worker's TCP and where it sends. */
struct side {
	const char *name;
	struct fp_tcp_lcore t;
	struct fp_iface ifc;
	struct fp_stats st;
	struct fp_txq txq;
	struct fp_tcp_params prm;
	struct rte_mempool *pool;
	struct rte_mempool *zc_pool;
	struct dir *out;
	struct side *peer;
	bool up;
};

struct app;
typedef void (*app_hook_t)(struct app *a);

/* The application on one end of one connection. */
struct app {
	struct side *s;
	struct fp_tcb *c;
	uint32_t id;
	uint32_t gen;
	/* Sending: tx_len bytes of the pattern from tx_base. */
	bool copy;		/* fp_tcp_send_copy rather than fp_tcp_send_ref */
	bool by_gen;		/* fp_tcp_send_gen, written by app_gen_fill */
	bool by_static;		/* fp_tcp_send_static, with each piece's sum */
	uint16_t sum_xor;	/* spoils those sums */
	uint64_t tx_len;
	uint64_t tx_base;
	uint64_t tx_queued;
	uint64_t tx_acked;
	uint32_t tx_chunk;	/* most bytes per send call, 0 for no limit */
	uint32_t tx_chunk2;	/* when not 0: every other call's limit */
	uint32_t tx_calls;
	bool more;		/* a hook adds to tx_len later: do not shut down */
	bool shut;
	/* Receiving: rx_len bytes of the pattern from rx_base. */
	uint64_t rx_len;
	uint64_t rx_base;
	uint64_t rx_got;
	uint64_t abort_at;	/* abort from recv once this many came; 0: never */
	uint32_t buf_cap;	/* a reader with a buffer this big; 0: takes all */
	uint32_t buf_used;
	uint32_t drain_ms;	/* the buffer empties on a timer this often */
	uint64_t short_at;	/* takes less there once, and closes the window */
	bool stalled;		/* until the timer reopens it */
	/* What it heard. */
	unsigned int accepts;
	unsigned int connects;
	unsigned int fins;
	unsigned int sents;
	unsigned int timeouts;
	unsigned int closes;
	enum fp_tcp_close why;
	uint32_t rx_done_ms;
	uint32_t closed_ms;
	uint32_t timeout_ms[8];
	/* Test hooks, called after the default handling. */
	app_hook_t on_up;	/* connected or accepted */
	app_hook_t on_timeout;
	app_hook_t on_sent;
	uint32_t user;		/* free for hooks */
};

/* A listener's connections: each accept takes the next, from tmpl. */
struct server {
	struct app tmpl;
	struct app conn[NB_SRV];
	unsigned int nb;
};

/* The wire and both ends, per test. */
static struct {
	struct side a;
	struct side b;
	struct dir ab;
	struct dir ba;
	struct rte_mempool *pool;	/* frames on the wire */
	uint32_t now;
} w;

static struct app cli;		/* A's active open */
static struct server srv;	/* B's listener */
static struct fp_config cfg;

/* The pattern both sides stream, and the reference TCP holds on it. */
static uint8_t *pat;
static rte_iova_t pat_iova;
static struct rte_mbuf_ext_shared_info pat_sh;
static unsigned int pat_frees;

static const struct rte_ether_addr mac_a = {
	.addr_bytes = { 0x02, 0x00, 0x00, 0x00, 0x01, 0x01 } };
static const struct rte_ether_addr mac_b = {
	.addr_bytes = { 0x02, 0x00, 0x00, 0x00, 0x01, 0x02 } };

/* Check's ck_assert() reports its line to the runner, a write, each time it
 * passes: the checks run per frame or per callback fail through it only.
 */
#define WANT(expr) do { \
	if (unlikely(!(expr))) \
		ck_abort_msg("assertion '%s' failed", #expr); \
} while (0)

#define WANT_MSG(expr, ...) do { \
	if (unlikely(!(expr))) \
		ck_abort_msg(__VA_ARGS__); \
} while (0)

/* PRNG: xorshift64*, one stream per direction so that one direction's
 * faults do not move the other's.
 */
static uint64_t
rng_next(uint64_t *s)
{
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return *s * 0x2545f4914f6cdd1dULL;
}

static bool
chance(struct dir *d, uint32_t ppm)
{
	return ppm != 0 && rng_next(&d->rng) % PPM < ppm;
}

static void
pat_free_cb(void *addr __rte_unused, void *opaque __rte_unused)
{
	pat_frees++;
}

/* data[0..len) must be the stream from its byte off on. */
static void
pat_check(uint64_t off, const char *data, uint32_t len)
{
	uint32_t o = off % PAT_LEN, done = 0, n, i;

	while (done < len) {
		n = RTE_MIN(len - done, PAT_LEN - o);
		if (memcmp(data + done, pat + o, n) != 0) {
			for (i = 0; (uint8_t)data[done + i] == pat[o + i]; i++)
				;
			ck_abort_msg("stream byte %" PRIu64 " is %#x, expected %#x",
				off + done + i, (uint8_t)data[done + i], pat[o + i]);
		}
		done += n;
		o = 0;
	}
}

/* The wire. */

static void
q_insert(struct dir *d, struct rte_mbuf *m, uint32_t due)
{
	uint32_t i = d->len;

	WANT(d->len < WIRE_CAP);
	while (i > 0 && d->q[(d->head + i - 1) % WIRE_CAP].due > due) {
		d->q[(d->head + i) % WIRE_CAP] = d->q[(d->head + i - 1) % WIRE_CAP];
		i--;
	}
	d->q[(d->head + i) % WIRE_CAP].m = m;
	d->q[(d->head + i) % WIRE_CAP].due = due;
	d->len++;
}

/* Queues a frame that survived the faults, and lets a held one follow. */
static void
wire_put(struct dir *d, struct rte_mbuf *m)
{
	uint32_t due = w.now + RTE_MAX(d->f.delay_ms, 1u);

	if (chance(d, d->f.spike)) {
		due += d->f.spike_ms;
		d->tap.spiked++;
	}
	q_insert(d, m, due);
	if (d->held != NULL && --d->held_left == 0) {
		q_insert(d, d->held, due);
		d->held = NULL;
	}
}

/* One contiguous copy of a TX chain, as the receiving port would see it. */
static struct rte_mbuf *
frame_copy(const struct rte_mbuf *m)
{
	struct rte_mbuf *d = rte_pktmbuf_alloc(w.pool);
	const void *src;
	char *p;

	WANT_MSG(d != NULL, "the wire's pool is empty");
	p = rte_pktmbuf_append(d, m->pkt_len);
	WANT(p != NULL);
	src = rte_pktmbuf_read(m, 0, m->pkt_len, p);
	WANT(src != NULL);
	if (src != p)
		memcpy(p, src, m->pkt_len);
	return d;
}

/* Checks one frame as it leaves d's sender and counts it in d's tap.
 * Returns true for a pure window update.
 */
static bool
tap_frame(struct dir *d, const struct rte_mbuf *m)
{
	uint8_t buf[14 + 20 + 60];
	const uint8_t *f;
	const struct rte_ether_hdr *eh;
	const struct rte_ipv4_hdr *ip;
	const struct rte_tcp_hdr *th;
	struct tap *tp = &d->tap;
	uint32_t doff, len, ack;
	uint64_t edge;
	uint16_t wnd;
	uint8_t fl;
	bool upd;
	int ws;

	WANT(m->pkt_len >= 54);
	WANT(m->pkt_len <= RTE_ETHER_HDR_LEN + (uint32_t)d->from->prm.mtu);
	WANT(m->nb_segs <= FP_TCP_MAX_SEGS);
	f = rte_pktmbuf_read(m, 0, RTE_MIN(m->pkt_len, (uint32_t)sizeof(buf)), buf);
	eh = (const struct rte_ether_hdr *)f;
	ip = (const struct rte_ipv4_hdr *)(eh + 1);
	th = (const struct rte_tcp_hdr *)(ip + 1);
	WANT(rte_is_same_ether_addr(&eh->src_addr, &d->from->ifc.mac));
	WANT(rte_is_same_ether_addr(&eh->dst_addr, &d->to->ifc.mac));
	WANT(eh->ether_type == RTE_BE16(RTE_ETHER_TYPE_IPV4));
	WANT(ip->version_ihl == 0x45);
	WANT(ip->next_proto_id == IPPROTO_TCP);
	WANT(ip->src_addr == d->from->ifc.ip);
	WANT(rte_be_to_cpu_16(ip->total_length) == m->pkt_len - 14);
	doff = (th->data_off >> 4) * 4;
	WANT(doff >= 20);
	len = m->pkt_len - 34 - doff;
	fl = th->tcp_flags;
	tp->frames++;
	if (len > 0) {
		tp->data_segs++;
		tp->data_bytes += len;
	}
	if (fl & RTE_TCP_RST_FLAG)
		tp->rsts++;
	if (fl & RTE_TCP_FIN_FLAG)
		tp->fins++;
	wnd = rte_be_to_cpu_16(th->rx_win);
	if (fl & RTE_TCP_SYN_FLAG) {
		tp->syns++;
		if (!(fl & RTE_TCP_ACK_FLAG) && tp->nb_syn_ms < RTE_DIM(tp->syn_ms))
			tp->syn_ms[tp->nb_syn_ms++] = w.now;
		WANT(fp_tcp_parse_options((const uint8_t *)(th + 1), doff - 20,
			&tp->syn_opt) == 0);
		tp->syn_wnd = wnd;
		tp->last_valid = false;
		return false;
	}
	if (!(fl & RTE_TCP_ACK_FLAG) || (fl & RTE_TCP_RST_FLAG))
		return false;
	if (wnd == 0)
		tp->zero_wnd++;
	/* The right edge, in the sender's own scale (what its peer agreed). */
	ws = d->from->t.rcv_wscale;
	ack = rte_be_to_cpu_32(th->recv_ack);
	edge = (uint64_t)ack + ((uint64_t)wnd << ws);
	upd = tp->last_valid && len == 0 && !(fl & RTE_TCP_FIN_FLAG) && ack == tp->last_ack &&
		edge > tp->last_edge;
	tp->wnd_updates += upd;
	tp->last_valid = true;
	tp->last_ack = ack;
	tp->last_edge = edge;
	return upd;
}

/* The TX flush of both sides: frames go onto the wire. */
static void
wire_tx(struct fp_txq *q)
{
	struct side *s = container_of(q, struct side, txq);
	struct dir *d = s->out;
	struct rte_mbuf *m, *c, *dup;
	uint16_t i;

	for (i = 0; i < q->len; i++) {
		uint64_t segs = d->tap.data_segs;
		bool upd;
		unsigned int k;

		m = q->pkts[i];
		upd = tap_frame(d, m);
		if (d->f.ack_blackout != 0 && !d->blackout_over &&
				d->to->out->nb_dropped_seq != 0) {
			uint8_t h[54];
			const struct rte_tcp_hdr *th = (const struct rte_tcp_hdr *)
				((const uint8_t *)rte_pktmbuf_read(m, 0, sizeof(h), h) + 34);

			if ((th->tcp_flags & RTE_TCP_ACK_FLAG) &&
					fp_seq_ge(rte_be_to_cpu_32(th->recv_ack),
					d->to->out->dropped_seq[0]) &&
					++d->acks_past >= d->f.ack_blackout) {
				d->tap.dropped++;
				rte_pktmbuf_free(m);
				continue;
			}
		}
		if (d->tap.data_segs != segs && d->nb_dropped_seq > 1 &&
				d->to->out->f.ack_blackout != 0) {
			uint8_t h[54];
			const struct rte_tcp_hdr *th = (const struct rte_tcp_hdr *)
				((const uint8_t *)rte_pktmbuf_read(m, 0, sizeof(h), h) + 34);

			if (rte_be_to_cpu_32(th->sent_seq) == d->dropped_seq[1])
				d->to->out->blackout_over = true;
		}
		for (k = 0; k < RTE_DIM(d->f.drop_seg) && d->f.drop_seg[k] != 0; k++)
			if (d->tap.data_segs != segs && d->f.drop_seg[k] == d->tap.data_segs)
				break;
		if (d->tap.data_segs != segs && (d->f.drop_again != 0 ||
				(k < RTE_DIM(d->f.drop_seg) && d->f.drop_seg[k] != 0))) {
			uint8_t h[54];
			const struct rte_tcp_hdr *th = (const struct rte_tcp_hdr *)
				((const uint8_t *)rte_pktmbuf_read(m, 0, sizeof(h), h) + 34);
			uint32_t seq = rte_be_to_cpu_32(th->sent_seq), j;

			if (k < RTE_DIM(d->f.drop_seg) && d->f.drop_seg[k] != 0) {
				if (d->nb_dropped_seq < RTE_DIM(d->dropped_seq))
					d->dropped_seq[d->nb_dropped_seq++] = seq;
			} else {
				for (j = 0; j < d->nb_dropped_seq; j++)
					if (d->dropped_seq[j] == seq && d->f.drop_again != 0)
						break;
				if (j < d->nb_dropped_seq) {
					d->f.drop_again--;
					k = 0;	/* drop it */
					d->tap.dropped++;
					rte_pktmbuf_free(m);
					continue;
				}
			}
		}
		if ((k < RTE_DIM(d->f.drop_seg) && d->f.drop_seg[k] != 0) ||
				(upd && chance(d, d->f.upd_drop)) || chance(d, d->f.drop)) {
			d->tap.dropped++;
			rte_pktmbuf_free(m);
			continue;
		}
		c = frame_copy(m);
		dup = NULL;
		if (chance(d, d->f.dup)) {
			dup = frame_copy(m);
			d->tap.duplicated++;
		}
		/* The chain goes back now: attached pieces drop their
		 * reference, as after a NIC's TX completion.
		 */
		rte_pktmbuf_free(m);
		if (d->held == NULL && chance(d, d->f.reorder)) {
			d->held = c;
			d->held_left = 1 + rng_next(&d->rng) % 3;
			d->held_until = w.now + HOLD_MS;
			d->tap.reordered++;
		} else {
			wire_put(d, c);
		}
		if (dup != NULL)
			wire_put(d, dup);
	}
	q->len = 0;
	q->bytes = 0;
}

static void
side_flush(struct side *s)
{
	if (s->txq.len != 0)
		s->txq.flush(&s->txq);
}

/* Hands one frame to the receiving side, as its RX path would. */
static void
deliver(struct dir *d, struct rte_mbuf *m)
{
	struct side *to = d->to;
	const struct rte_ether_hdr *eh = rte_pktmbuf_mtod(m, const struct rte_ether_hdr *);
	const struct rte_ipv4_hdr *ip = (const struct rte_ipv4_hdr *)(eh + 1);

	WANT(m->nb_segs == 1);
	WANT(m->data_len >= 54);
	WANT(eh->ether_type == RTE_BE16(RTE_ETHER_TYPE_IPV4));
	WANT(rte_is_same_ether_addr(&eh->dst_addr, &to->ifc.mac));
	WANT(ip->version_ihl == 0x45);
	WANT(ip->next_proto_id == IPPROTO_TCP);
	WANT(ip->dst_addr == to->ifc.ip);
	m->l2_len = RTE_ETHER_HDR_LEN;
	m->l3_len = sizeof(struct rte_ipv4_hdr);
	fp_tcp_input(&to->t, m);
	side_flush(to);
}

/* Delivers everything d has due by now. */
static void
deliver_due(struct dir *d)
{
	struct rte_mbuf *m;

	if (d->held != NULL && w.now >= d->held_until) {
		q_insert(d, d->held, w.now);
		d->held = NULL;
	}
	while (d->len > 0 && d->q[d->head].due <= w.now) {
		m = d->q[d->head].m;
		d->head = (d->head + 1) % WIRE_CAP;
		d->len--;
		deliver(d, m);
	}
}

static bool
wire_empty(void)
{
	return w.ab.len == 0 && w.ba.len == 0 && w.ab.held == NULL && w.ba.held == NULL;
}

/* Moves both clocks to w.now and runs the timers. */
static void
side_clock(struct side *s)
{
	if (!s->up)
		return;
	fp_tcp_clock(&s->t, s->t.tsc_base + (uint64_t)(w.now - 1) * s->t.tsc_per_ms);
	fp_tcp_timers(&s->t);
	side_flush(s);
}

static void
tick(void)
{
	w.now++;
	side_clock(&w.a);
	side_clock(&w.b);
}

static const char *
state_of(const struct app *a)
{
	return a->c != NULL ? fp_tcp_state_names[a->c->state] : "gone";
}

/* Runs the wire until done() or for at most max_ms; returns the ms taken. */
static uint32_t
pump(bool (*done)(void), uint32_t max_ms)
{
	uint32_t start = w.now;

	for (;;) {
		deliver_due(&w.ab);
		deliver_due(&w.ba);
		if (done())
			return w.now - start;
		WANT_MSG(w.now - start < max_ms, "not done after %u ms: A %s, got %" PRIu64
			" of %" PRIu64 ", queued %" PRIu64 " acked %" PRIu64 "; B %s, got %"
			PRIu64 " of %" PRIu64 ", queued %" PRIu64 " acked %" PRIu64
			"; wire %u + %u frames", max_ms, state_of(&cli), cli.rx_got, cli.rx_len,
			cli.tx_queued, cli.tx_acked, state_of(&srv.conn[0]), srv.conn[0].rx_got,
			srv.conn[0].rx_len, srv.conn[0].tx_queued, srv.conn[0].tx_acked,
			w.ab.len, w.ba.len);
		tick();
	}
}

/* Runs the wire for ms whatever happens. */
static void
run_for(uint32_t ms)
{
	uint32_t end = w.now + ms;

	for (;;) {
		deliver_due(&w.ab);
		deliver_due(&w.ba);
		if (w.now == end)
			return;
		tick();
	}
}

static void
wire_free(struct dir *d)
{
	while (d->len > 0) {
		rte_pktmbuf_free(d->q[d->head].m);
		d->head = (d->head + 1) % WIRE_CAP;
		d->len--;
	}
	rte_pktmbuf_free(d->held);
	d->held = NULL;
}

/* The application. */

static void
app_shutdown(struct app *a)
{
	if (a->shut)
		return;
	a->shut = true;
	fp_tcp_shutdown(&a->s->t, a->c);
}

/* Queues what the send buffer takes; shuts down once all of it is queued
 * (a side with nothing to send waits for the peer's FIN).
 */
static void
app_fill(struct app *a)
{
	struct fp_tcp_lcore *t = &a->s->t;
	uint32_t off, n;
	int r;

	while (a->tx_queued < a->tx_len) {
		off = (a->tx_base + a->tx_queued) % PAT_LEN;
		n = (uint32_t)RTE_MIN(a->tx_len - a->tx_queued, (uint64_t)(PAT_LEN - off));
		if (a->tx_chunk != 0)
			n = RTE_MIN(n, a->tx_chunk2 != 0 && (a->tx_calls++ & 1) ? a->tx_chunk2 :
				a->tx_chunk);
		if (a->by_gen)
			r = fp_tcp_send_gen(t, a->c, pat, off, n);
		else if (a->by_static)
			r = fp_tcp_send_static(t, a->c, pat + off, pat_iova + off, n, &pat_sh,
				fp_cksum_raw(pat + off, n) ^ a->sum_xor);
		else if (a->copy)
			r = fp_tcp_send_copy(t, a->c, pat + off, n);
		else
			r = fp_tcp_send_ref(t, a->c, pat + off, pat_iova + off, n, &pat_sh);
		if (r == -EAGAIN)
			break;
		WANT_MSG(r > 0 && (uint32_t)r <= n, "send of %u bytes returned %d", n, r);
		a->tx_queued += r;
		if ((uint32_t)r < n)
			break;
	}
	if (a->tx_queued == a->tx_len && !a->more && (a->tx_len != 0 || a->fins != 0))
		app_shutdown(a);
}

static void
app_up(struct app *a, struct fp_tcp_lcore *t, struct fp_tcb *c)
{
	a->c = c;
	a->id = fp_tcp_conn_id(t, c);
	a->gen = c->gen;
	WANT(fp_tcp_conn_get(t, a->id, a->gen) == c);
	app_fill(a);
	if (a->on_up != NULL)
		a->on_up(a);
}

static int
app_accept(void *arg, struct fp_tcp_lcore *t, struct fp_tcb *c)
{
	struct server *sv = arg;
	struct app *a;

	WANT(sv->nb < NB_SRV);
	a = &sv->conn[sv->nb++];
	*a = sv->tmpl;
	a->s = &w.b;
	WANT(t == &w.b.t);
	WANT(c->state == FP_TCP_ESTABLISHED);
	a->accepts++;
	fp_tcp_set_app(c, a);
	app_up(a, t, c);
	return 0;
}

static void
app_connected(void *arg, struct fp_tcp_lcore *t, struct fp_tcb *c)
{
	struct app *a = arg;

	WANT(c == a->c);
	WANT(c->state == FP_TCP_ESTABLISHED);
	a->connects++;
	app_up(a, t, c);
}

static uint32_t
app_recv(void *arg, struct fp_tcp_lcore *t, struct fp_tcb *c, const char *data, uint32_t len)
{
	struct app *a = arg;
	uint32_t take = len;

	WANT(c == a->c);
	WANT(len > 0);
	WANT_MSG(a->rx_got + len <= a->rx_len || a->abort_at != 0,
		"%u bytes offered at %" PRIu64 " of a %" PRIu64 "-byte stream", len, a->rx_got,
		a->rx_len);
	if (a->short_at != 0 && a->rx_got + len > a->short_at) {
		/* Takes less than offered once, and closes the window until
		 * a timer: what the window already promised it still takes.
		 */
		take = a->short_at - a->rx_got;
		a->short_at = 0;
		a->stalled = true;
		fp_tcp_rcv_space(t, c, 0);
		fp_tcp_set_timer(t, c, a->drain_ms);
	} else if (a->buf_cap != 0) {
		take = RTE_MIN(len, a->buf_cap - a->buf_used);
		a->buf_used += take;
		fp_tcp_rcv_space(t, c, a->buf_cap - a->buf_used);
		if (c->t_app == 0)
			fp_tcp_set_timer(t, c, a->drain_ms);
	}
	pat_check(a->rx_base + a->rx_got, data, take);
	a->rx_got += take;
	if (a->rx_got == a->rx_len)
		a->rx_done_ms = w.now;
	if (a->abort_at != 0 && a->rx_got >= a->abort_at)
		fp_tcp_abort(t, c);
	return take;
}

static void
app_fin(void *arg, struct fp_tcp_lcore *t __rte_unused, struct fp_tcb *c)
{
	struct app *a = arg;

	WANT(c == a->c);
	WANT(a->fins == 0);
	WANT_MSG(a->rx_got == a->rx_len, "FIN after %" PRIu64 " of %" PRIu64 " bytes",
		a->rx_got, a->rx_len);
	a->fins++;
	if (a->tx_queued == a->tx_len && !a->more)
		app_shutdown(a);
}

static void
app_sent(void *arg, struct fp_tcp_lcore *t __rte_unused, struct fp_tcb *c, uint32_t acked)
{
	struct app *a = arg;

	WANT(c == a->c);
	WANT(acked > 0);
	a->sents++;
	a->tx_acked += acked;
	WANT(a->tx_acked <= a->tx_queued);
	if (a->on_sent != NULL)
		a->on_sent(a);
	app_fill(a);
}

static void
app_timeout(void *arg, struct fp_tcp_lcore *t, struct fp_tcb *c)
{
	struct app *a = arg;

	WANT(c == a->c);
	if (a->timeouts < RTE_DIM(a->timeout_ms))
		a->timeout_ms[a->timeouts] = w.now;
	a->timeouts++;
	if (a->stalled || a->buf_cap != 0) {
		/* The reader caught up: its whole buffer is free again. */
		a->stalled = false;
		a->buf_used = 0;
		fp_tcp_rcv_space(t, c, UINT32_MAX);
	}
	if (a->on_timeout != NULL)
		a->on_timeout(a);
}

static void
app_closed(void *arg, struct fp_tcp_lcore *t __rte_unused, struct fp_tcb *c,
	enum fp_tcp_close why)
{
	struct app *a = arg;

	WANT(c == a->c);
	a->closes++;
	a->why = why;
	a->closed_ms = w.now;
	a->c = NULL;
}

/* Generated pieces: key is the pattern, aux the offset of the piece in it. */
static uint64_t gen_fills;

static void
app_gen_fill(void *arg __rte_unused, const void *key, uint64_t aux, uint32_t off, void *dst,
	uint32_t len)
{
	WANT(key == pat && aux + off + len <= PAT_LEN);
	memcpy(dst, (const uint8_t *)key + aux + off, len);
	gen_fills++;
}

static const struct fp_tcp_ops app_ops = {
	.accept = app_accept,
	.connected = app_connected,
	.recv = app_recv,
	.fin = app_fin,
	.sent = app_sent,
	.timeout = app_timeout,
	.closed = app_closed,
	.fill = app_gen_fill,
};

/* Fixtures. */

static int
resolve(void *ctx, uint32_t ip, struct rte_ether_addr *mac)
{
	struct side *s = ctx;

	if (ip != s->peer->ifc.ip)
		return -EAGAIN;
	*mac = s->peer->ifc.mac;
	return 0;
}

static void
eal_up(void)
{
	fp_test_eal_up("fp_unit_tcp_wire");
}

static struct rte_mempool *
pool_new(const char *what, uint32_t n, uint16_t room)
{
	static unsigned int seq;
	char name[RTE_MEMPOOL_NAMESIZE];
	struct rte_mempool *mp;

	snprintf(name, sizeof(name), "wire_%s_%u", what, seq++);
	mp = rte_pktmbuf_pool_create(name, n, 0, 0, room, SOCKET_ID_ANY);
	ck_assert_msg(mp != NULL, "pool %s: %s", name, rte_strerror(rte_errno));
	return mp;
}

/* Everything but the TCP itself, which side_up() starts once the test has
 * set its parameters.
 */
static void
side_init(struct side *s, const char *name, uint32_t ip, const struct rte_ether_addr *mac,
	uint16_t mtu, struct side *peer, struct dir *out)
{
	memset(s, 0, sizeof(*s));
	s->name = name;
	fp_test_iface(&s->ifc);
	s->ifc.ip = ip;
	s->ifc.mtu = 1500;
	s->ifc.mac = *mac;
	s->ifc.netmask = NETMASK;
	s->ifc.gateway = 0;
	s->ifc.tx_multi_seg = true;
	s->txq.flush = wire_tx;
	s->peer = peer;
	s->out = out;
	fp_tcp_params_from(&s->prm, &cfg, 0, 1);
	s->prm.max_conns = 64;
	s->prm.mtu = mtu;
	/* Long enough for any FIN retransmission under loss to find it. */
	s->prm.time_wait_ms = 5000;
}

static void
side_pools(struct side *s)
{
	s->pool = pool_new("pkt", NB_MBUFS, RTE_PKTMBUF_HEADROOM + FP_TEST_ROOM);
	s->zc_pool = pool_new("zc", NB_MBUFS, 0);
}

static void
side_up(struct side *s)
{
	struct fp_err err;

	ck_assert_msg(fp_tcp_lcore_init(&s->t, &s->prm, 0, SOCKET_ID_ANY, &err) == 0, "%s",
		err.msg);
	fp_tcp_lcore_attach(&s->t, &s->ifc, &s->st, &s->txq, s->pool, s->zc_pool);
	fp_tcp_set_resolver(&s->t, resolve, s);
	fp_tcp_clock(&s->t, s->t.tsc_base + (uint64_t)(w.now - 1) * s->t.tsc_per_ms);
	s->up = true;
}

static void
dir_init(struct dir *d, struct side *from, struct side *to, uint64_t seed)
{
	memset(d, 0, sizeof(*d));
	d->from = from;
	d->to = to;
	d->rng = seed;
}

static void
wire_setup(void)
{
	uint64_t r = 0x9e3779b97f4a7c15ULL, seed;
	uint32_t i;

	memset(&w, 0, sizeof(w));
	memset(&cli, 0, sizeof(cli));
	memset(&srv, 0, sizeof(srv));
	ck_assert_int_eq(fp_config_defaults(&cfg), 0);
	w.now = 1;
	side_init(&w.a, "A", IP_A, &mac_a, MTU_A, &w.b, &w.ab);
	side_init(&w.b, "B", IP_B, &mac_b, MTU_B, &w.a, &w.ba);
	/* The same faults every run; FP_TEST_SEED explores others. */
	seed = getenv("FP_TEST_SEED") != NULL ? strtoull(getenv("FP_TEST_SEED"), NULL, 0) : 0;
	dir_init(&w.ab, &w.a, &w.b, 0x1234567887654321ULL ^ (seed * 0x9e3779b97f4a7c15ULL));
	dir_init(&w.ba, &w.b, &w.a, 0x0fedcba987654321ULL ^ (seed * 0xbf58476d1ce4e5b9ULL));
	side_pools(&w.a);
	side_pools(&w.b);
	w.pool = pool_new("rx", NB_MBUFS, RTE_PKTMBUF_HEADROOM + FP_TEST_ROOM);

	pat = rte_malloc("wire_pattern", PAT_LEN, RTE_CACHE_LINE_SIZE);
	ck_assert_ptr_nonnull(pat);
	for (i = 0; i < PAT_LEN; i++)
		pat[i] = (uint8_t)(rng_next(&r) >> 56);
	pat_iova = rte_malloc_virt2iova(pat);
	memset(&pat_sh, 0, sizeof(pat_sh));
	pat_sh.free_cb = pat_free_cb;
	rte_mbuf_ext_refcnt_set(&pat_sh, 1);
	pat_frees = 0;

	cli.s = &w.a;
	srv.tmpl.s = &w.b;
}

/* The stack freed: every mbuf, gauge and pattern reference back. */
static void
side_down(struct side *s)
{
	unsigned int i;

	if (!s->up)
		return;
	side_flush(s);
	fp_tcp_lcore_free(&s->t);
	s->up = false;
	for (i = 0; i < FP_G_MAX; i++)
		ck_assert_msg(s->st.g[i] == 0, "%s: gauge %s is %" PRId64 " after the free",
			s->name, fp_gauge_names[i], s->st.g[i]);
}

static void
wire_teardown(void)
{
	/* lcore_free aborts what is left: no callback may touch the wire. */
	side_down(&w.a);
	side_down(&w.b);
	wire_free(&w.ab);
	wire_free(&w.ba);
	side_flush(&w.a);
	side_flush(&w.b);
	wire_free(&w.ab);
	wire_free(&w.ba);
	ck_assert_uint_eq(rte_mempool_in_use_count(w.a.pool), 0);
	ck_assert_uint_eq(rte_mempool_in_use_count(w.a.zc_pool), 0);
	ck_assert_uint_eq(rte_mempool_in_use_count(w.b.pool), 0);
	ck_assert_uint_eq(rte_mempool_in_use_count(w.b.zc_pool), 0);
	ck_assert_uint_eq(rte_mempool_in_use_count(w.pool), 0);
	ck_assert_uint_eq(rte_mbuf_ext_refcnt_read(&pat_sh), 1);
	ck_assert_uint_eq(pat_frees, 0);
	rte_mempool_free(w.a.pool);
	rte_mempool_free(w.a.zc_pool);
	rte_mempool_free(w.b.pool);
	rte_mempool_free(w.b.zc_pool);
	rte_mempool_free(w.pool);
	rte_free(pat);
	pat = NULL;
}

static void
wire_up(void)
{
	side_up(&w.a);
	side_up(&w.b);
	ck_assert_int_eq(fp_tcp_listen(&w.b.t, PORT_B, &app_ops, &srv), 0);
}

/* A's active open toward B's listener. */
static void
connect_ab(uint16_t port)
{
	struct fp_tcb *c;

	c = fp_tcp_connect(&w.a.t, IP_B, port, &app_ops, &cli);
	ck_assert_msg(c != NULL, "connect: %s", rte_strerror(rte_errno));
	ck_assert_uint_eq(c->state, FP_TCP_SYN_SENT);
	cli.c = c;
	side_flush(&w.a);
}

/* Both directions: len bytes each way, A from 0 and B from PAT_B. */
static void
streams(uint64_t a_to_b, uint64_t b_to_a, bool copy)
{
	cli.tx_len = a_to_b;
	cli.tx_base = 0;
	cli.rx_len = b_to_a;
	cli.rx_base = PAT_B;
	cli.copy = copy;
	srv.tmpl.tx_len = b_to_a;
	srv.tmpl.tx_base = PAT_B;
	srv.tmpl.rx_len = a_to_b;
	srv.tmpl.rx_base = 0;
	srv.tmpl.copy = copy;
}

static bool
done_rx_all(void)
{
	return srv.nb == 1 && srv.conn[0].rx_got == srv.conn[0].rx_len && wire_empty();
}

static bool
done_established(void)
{
	return cli.connects == 1 && srv.nb == 1 && wire_empty();
}

/* Both applications heard closed, and both tables emptied (TIME-WAIT
 * included).
 */
static bool
done_closed(void)
{
	return cli.closes != 0 && srv.nb != 0 && srv.conn[srv.nb - 1].closes != 0 &&
		wire_empty() && fp_tcp_nb_conns(&w.a.t) == 0 && fp_tcp_nb_conns(&w.b.t) == 0;
}

/* Both ends got everything and closed normally, once. */
static void
assert_clean_close(const struct app *a, const struct app *b)
{
	ck_assert_msg(a->why == FP_TCP_CLOSE_normal && b->why == FP_TCP_CLOSE_normal,
		"A closed %s, B closed %s", fp_tcp_close_names[a->why],
		fp_tcp_close_names[b->why]);
	ck_assert_uint_eq(a->rx_got, a->rx_len);
	ck_assert_uint_eq(b->rx_got, b->rx_len);
	/* The ACK of the last bytes may come with that of the FIN, which
	 * closes: then closed() says it, not sent().
	 */
	ck_assert_uint_le(a->tx_acked, a->tx_len);
	ck_assert_uint_le(b->tx_acked, b->tx_len);
	ck_assert_uint_eq(a->tx_queued, a->tx_len);
	ck_assert_uint_eq(b->tx_queued, b->tx_len);
	/* fin() is for a FIN that came first; after our own, closed() says it. */
	ck_assert_uint_le(a->fins, 1);
	ck_assert_uint_le(b->fins, 1);
	ck_assert_msg(a->closes == 1 && a->why == FP_TCP_CLOSE_normal,
		"A: closed %u times, last %s", a->closes, fp_tcp_close_names[a->why]);
	ck_assert_msg(b->closes == 1 && b->why == FP_TCP_CLOSE_normal,
		"B: closed %u times, last %s", b->closes, fp_tcp_close_names[b->why]);
	ck_assert_ptr_null(a->c);
	ck_assert_ptr_null(b->c);
	/* Each side's checksums were right on the other. */
	ck_assert_uint_eq(w.a.st.drop[FP_DROP_tcp_bad_csum], 0);
	ck_assert_uint_eq(w.b.st.drop[FP_DROP_tcp_bad_csum], 0);
}

/* One line of numbers for the docs, when FP_TEST_VERBOSE is set: the
 * transfer from start, in ms of the fake clock, and what it cost.
 */
static void
report(const char *what, uint64_t bytes, uint32_t start)
{
	const struct fp_stats *sa = &w.a.st, *sb = &w.b.st;

	if (getenv("FP_TEST_VERBOSE") == NULL)
		return;
	fprintf(stderr, "tcp_wire: %s: %" PRIu64 " bytes each way in %u ms (A got all at "
		"%u, B at %u), both closed at %u; retransmits A %" PRIu64 " B %" PRIu64
		", timeouts A %" PRIu64
		" B %" PRIu64 ", fast A %" PRIu64 " B %" PRIu64 "; wire A>B %" PRIu64
		" frames (%" PRIu64 " dropped, %" PRIu64 " dup, %" PRIu64 " reordered, %"
		PRIu64 " late), B>A %" PRIu64 " (%" PRIu64 ", %" PRIu64 ", %" PRIu64 ", %"
		PRIu64 ")\n", what, bytes, RTE_MAX(cli.rx_done_ms, srv.conn[0].rx_done_ms) - start,
		cli.rx_done_ms - start, srv.conn[0].rx_done_ms - start,
		RTE_MAX(cli.closed_ms, srv.conn[0].closed_ms) - start,
		sa->c[FP_C_tcp_retransmits], sb->c[FP_C_tcp_retransmits],
		sa->c[FP_C_tcp_timeouts], sb->c[FP_C_tcp_timeouts],
		sa->c[FP_C_tcp_fast_retransmits], sb->c[FP_C_tcp_fast_retransmits],
		w.ab.tap.frames, w.ab.tap.dropped, w.ab.tap.duplicated, w.ab.tap.reordered,
		w.ab.tap.spiked, w.ba.tap.frames, w.ba.tap.dropped, w.ba.tap.duplicated,
		w.ba.tap.reordered, w.ba.tap.spiked);
}

/* Opening. */

START_TEST(test_handshake)
{
	const struct fp_tcp_opts *oa = &w.ab.tap.syn_opt, *ob = &w.ba.tap.syn_opt;
	struct app *b = &srv.conn[0];
	struct fp_tcb *ca, *cb;

	w.a.prm.rcv_wnd = MB;
	w.b.prm.rcv_wnd = 256 * KB;
	w.ab.f.delay_ms = 3;
	w.ba.f.delay_ms = 3;
	wire_up();
	/* The smallest shifts that carry each window (RFC 7323 2.3). */
	ck_assert_uint_eq(w.a.t.rcv_wscale, 5);
	ck_assert_uint_eq(w.b.t.rcv_wscale, 3);
	connect_ab(PORT_B);
	/* SYN, SYN-ACK, ACK: three one-way trips. */
	ck_assert_uint_eq(pump(done_established, 1000), 9);
	ca = cli.c;
	cb = b->c;
	ck_assert_ptr_nonnull(ca);
	ck_assert_ptr_nonnull(cb);

	/* What each SYN offered: A's MSS, shift and timestamp, then B's,
	 * echoing A's.
	 */
	ck_assert_uint_eq(w.ab.tap.syns, 1);
	ck_assert_uint_eq(w.ba.tap.syns, 1);
	ck_assert_uint_eq(oa->mss, MTU_A - 40);
	ck_assert_uint_eq(oa->wscale, 5);
	ck_assert(oa->has_ts);
	ck_assert_uint_eq(oa->tsval, 1);
	ck_assert_uint_eq(ob->mss, MTU_B - 40);
	ck_assert_uint_eq(ob->wscale, 3);
	ck_assert(ob->has_ts);
	ck_assert_uint_eq(ob->tsval, 4);
	ck_assert_uint_eq(ob->tsecr, 1);
	/* A window in a SYN is never scaled. */
	ck_assert_uint_eq(w.ab.tap.syn_wnd, 65535);
	ck_assert_uint_eq(w.ba.tap.syn_wnd, 65535);

	/* What each side agreed: both options, the smaller MSS less the
	 * timestamp option, the peer's shift.
	 */
	ck_assert_uint_eq(ca->flags & (FP_TCB_TS | FP_TCB_WS), FP_TCB_TS | FP_TCB_WS);
	ck_assert_uint_eq(cb->flags & (FP_TCB_TS | FP_TCB_WS), FP_TCB_TS | FP_TCB_WS);
	ck_assert_uint_eq(ca->mss, MTU_B - 40 - 12);
	ck_assert_uint_eq(cb->mss, MTU_B - 40 - 12);
	ck_assert_uint_eq(ca->snd_wscale, 3);
	ck_assert_uint_eq(cb->snd_wscale, 5);
	ck_assert_uint_eq(ca->iss, cb->irs);
	ck_assert_uint_eq(cb->iss, ca->irs);
	ck_assert_uint_eq(ca->snd_nxt, ca->iss + 1);
	ck_assert_uint_eq(cb->rcv_nxt, ca->snd_nxt);
	ck_assert_uint_eq(ca->rcv_nxt, cb->snd_nxt);
	ck_assert_uint_eq(ca->snd_una, ca->snd_nxt);
	ck_assert_uint_eq(cb->snd_una, cb->snd_nxt);
	ck_assert_uint_eq(ca->snd_wnd, 65535);
	ck_assert_uint_eq(cb->snd_wnd, MB);
	ck_assert_uint_eq(ca->ts_recent, 4);
	ck_assert_uint_eq(cb->ts_recent, 7);
	/* One RTT sample each, from the echoed timestamps. */
	ck_assert_uint_eq(ca->srtt >> 3, 6);
	ck_assert_uint_eq(cb->srtt >> 3, 6);
	ck_assert_uint_eq(ca->rto, w.a.prm.rto_min_ms);
	ck_assert_uint_eq(cb->rto, w.b.prm.rto_min_ms);

	ck_assert_uint_eq(cli.connects, 1);
	ck_assert_uint_eq(cli.accepts, 0);
	ck_assert_uint_eq(srv.nb, 1);
	ck_assert_uint_eq(b->accepts, 1);
	ck_assert_uint_eq(b->connects, 0);
	ck_assert_uint_eq(ca->state, FP_TCP_ESTABLISHED);
	ck_assert_uint_eq(cb->state, FP_TCP_ESTABLISHED);
	ck_assert_int_eq(w.a.st.g[FP_G_tcp_established], 1);
	ck_assert_int_eq(w.b.st.g[FP_G_tcp_established], 1);
	ck_assert_uint_eq(w.a.st.c[FP_C_tcp_active_opens], 1);
	ck_assert_uint_eq(w.b.st.c[FP_C_tcp_passive_opens], 1);
	ck_assert_uint_eq(w.a.st.c[FP_C_tcp_retransmits] + w.b.st.c[FP_C_tcp_retransmits], 0);

	/* A closes; B answers its FIN with its own. */
	app_shutdown(&cli);
	side_flush(&w.a);
	pump(done_closed, 20000);
	assert_clean_close(&cli, b);
	ck_assert_uint_eq(w.a.st.c[FP_C_tcp_closed], 1);
	ck_assert_uint_eq(w.b.st.c[FP_C_tcp_closed], 1);
}
END_TEST

static bool
done_cli_closed(void)
{
	return cli.closes != 0 && wire_empty();
}

/* A SYN to a port nobody listens on: a RST, and the connection refused. */
START_TEST(test_refused)
{
	wire_up();
	/* No MAC for the next hop: nothing is opened. */
	ck_assert_ptr_null(fp_tcp_connect(&w.a.t, IP_NOBODY, PORT_B, &app_ops, &cli));
	ck_assert_int_eq(rte_errno, EHOSTUNREACH);
	ck_assert_uint_eq(fp_tcp_nb_conns(&w.a.t), 0);

	connect_ab(PORT_NONE);
	pump(done_cli_closed, 1000);
	ck_assert_uint_eq(cli.closes, 1);
	ck_assert_int_eq(cli.why, FP_TCP_CLOSE_refused);
	ck_assert_uint_eq(cli.connects, 0);
	ck_assert_uint_eq(srv.nb, 0);
	ck_assert_uint_eq(w.ba.tap.rsts, 1);
	ck_assert_uint_eq(w.b.st.drop[FP_DROP_tcp_no_listener], 1);
	ck_assert_uint_eq(w.a.st.c[FP_C_tcp_connect_failed], 1);
	ck_assert_uint_eq(w.a.st.c[FP_C_tcp_resets_received], 1);
	ck_assert_uint_eq(fp_tcp_nb_conns(&w.b.t), 0);
}
END_TEST

static bool
done_second_open(void)
{
	return cli.connects == 2 && wire_empty();
}

/* A client restarted on the same address (a DPDK process: its clock starts
 * again, its timestamps are older) opens the 4-tuple the server still holds
 * in TIME-WAIT, with a SYN below RCV.NXT. The server's challenge ACK draws
 * the client's RST, which ends TIME-WAIT, and the client sends its SYN
 * again at once rather than after its 1 s RTO.
 */
START_TEST(test_syn_into_time_wait)
{
	struct fp_tcb *tw = NULL;
	uint32_t i, start;

	streams(0, 100, false);
	wire_up();
	connect_ab(PORT_B);
	pump(done_cli_closed, 1000);
	ck_assert_uint_eq(fp_tcp_nb_conns(&w.b.t), 1);
	for (i = 0; i < w.b.t.hi_idx; i++)
		if (w.b.t.tcbs[i].state == FP_TCP_TIME_WAIT)
			tw = &w.b.t.tcbs[i];
	ck_assert_ptr_nonnull(tw);

	/* The same port again, and nothing more to send either way. */
	streams(0, 0, false);
	w.a.t.next_port = rte_be_to_cpu_16(tw->rport);
	connect_ab(PORT_B);
	ck_assert_uint_eq(cli.c->lport, tw->rport);
	/* Older in both ways RFC 6191 looks at. */
	tw->rcv_nxt = cli.c->iss + 1000;
	tw->ts_recent = w.a.t.now_ms + 100000;
	start = w.now;
	pump(done_second_open, 200);
	ck_assert_uint_lt(w.now - start, 50);
	ck_assert_uint_eq(w.a.st.c[FP_C_tcp_resets_sent], 1);
	ck_assert_uint_eq(w.b.st.c[FP_C_tcp_resets_received], 1);
	ck_assert_uint_eq(srv.nb, 2);
}
END_TEST

/* Nothing gets through: the SYN goes again with the timeout doubled each
 * time (up to rto_max_ms), then the open fails after syn_retries.
 */
START_TEST(test_syn_timeout)
{
	uint32_t start, gap = 1000, at = 0;
	unsigned int i;

	w.ab.f.drop = PPM;
	wire_up();
	start = w.now;
	connect_ab(PORT_B);
	pump(done_cli_closed, 200000);
	ck_assert_uint_eq(cli.closes, 1);
	ck_assert_int_eq(cli.why, FP_TCP_CLOSE_timeout);
	ck_assert_uint_eq(cli.connects, 0);
	ck_assert_uint_eq(w.ab.tap.nb_syn_ms, w.a.prm.syn_retries + 1);
	ck_assert_uint_eq(w.ab.tap.dropped, w.ab.tap.frames);
	for (i = 0; i < w.ab.tap.nb_syn_ms; i++) {
		/* RFC 6298 2.1 and 5.5: 1 s, then doubled. */
		ck_assert_msg(w.ab.tap.syn_ms[i] == start + at, "SYN %u at %u ms, expected %u", i,
			w.ab.tap.syn_ms[i] - start, at);
		at += gap;
		gap = RTE_MIN(gap * 2, w.a.prm.rto_max_ms);
	}
	/* The last SYN had its full timeout before the open failed. */
	ck_assert_uint_eq(cli.closed_ms, start + at);
	ck_assert_uint_eq(w.a.st.c[FP_C_tcp_retransmits], w.a.prm.syn_retries);
	ck_assert_uint_eq(w.a.st.c[FP_C_tcp_connect_failed], 1);
	ck_assert_uint_eq(w.b.st.c[FP_C_tcp_segments_in], 0);
	ck_assert_uint_eq(fp_tcp_nb_conns(&w.a.t), 0);
}
END_TEST

/* Transfers. */

/* 10 MB each way at once on a clean wire: not one retransmission. */
START_TEST(test_transfer)
{
	bool copy = _i == 1;
	uint64_t len = 10ull * MB;
	uint32_t start;

	w.a.prm.rcv_wnd = MB;
	w.b.prm.rcv_wnd = 256 * KB;
	wire_up();
	streams(len, len, copy);
	/* A queues in runs of 1000 bytes (pieces that segments straddle), B
	 * as much as fits each time.
	 */
	cli.tx_chunk = 1000;
	connect_ab(PORT_B);
	start = w.now;
	pump(done_closed, 60000);
	report(copy ? "clean, copy" : "clean, zero-copy", len, start);
	assert_clean_close(&cli, &srv.conn[0]);
	ck_assert_uint_eq(srv.nb, 1);
	ck_assert_uint_eq(w.ab.tap.data_bytes, len);
	ck_assert_uint_eq(w.ba.tap.data_bytes, len);
	ck_assert_uint_eq(w.a.st.c[FP_C_tcp_retransmits], 0);
	ck_assert_uint_eq(w.b.st.c[FP_C_tcp_retransmits], 0);
	ck_assert_uint_eq(w.a.st.drop[FP_DROP_tcp_out_of_order], 0);
	ck_assert_uint_eq(w.b.st.drop[FP_DROP_tcp_out_of_order], 0);
	ck_assert_uint_eq(w.a.st.drop[FP_DROP_tcp_rx_full], 0);
	ck_assert_uint_eq(w.b.st.drop[FP_DROP_tcp_rx_full], 0);
	if (copy) {
		ck_assert_uint_eq(w.a.st.c[FP_C_tcp_tx_inline_bytes], len);
		ck_assert_uint_eq(w.a.st.c[FP_C_tcp_tx_zerocopy_bytes], 0);
	} else {
		/* Attached, but for the few short pieces where the pattern
		 * wraps and at the end (copybreak).
		 */
		ck_assert_uint_eq(w.a.st.c[FP_C_tcp_tx_zerocopy_bytes] +
			w.a.st.c[FP_C_tcp_tx_copybreak_bytes], len);
		ck_assert_uint_lt(w.a.st.c[FP_C_tcp_tx_copybreak_bytes], len / 1000);
		ck_assert_uint_eq(w.a.st.c[FP_C_tcp_tx_inline_bytes], 0);
	}
}
END_TEST

/* The same under faults, each direction with its own draws. */
static const struct profile {
	const char *name;
	struct fault ab;	/* A's data, B's ACKs */
	struct fault ba;
	uint32_t mb;
} profiles[] = {
	{ "drop 2%", { .drop = 20000 }, { .drop = 20000 }, 10 },
	{ "reorder 2%", { .reorder = 20000 }, { .reorder = 20000 }, 10 },
	{ "duplicate 2%", { .dup = 20000 }, { .dup = 20000 }, 10 },
	{ "delay 10 ms, 0.5% late by 300 ms", { .delay_ms = 10, .spike = 5000, .spike_ms = 300 },
		{ .delay_ms = 10, .spike = 5000, .spike_ms = 300 }, 10 },
	{ "drop, reorder and duplicate 2%", { .drop = 20000, .reorder = 20000, .dup = 20000 },
		{ .drop = 20000, .reorder = 20000, .dup = 20000 }, 10 },
	{ "A>B drop 5% and 20 ms, B>A reorder and duplicate 5%", { .drop = 50000,
		.delay_ms = 20 }, { .reorder = 50000, .dup = 50000 }, 10 },
};

START_TEST(test_transfer_faults)
{
	const struct profile *p = &profiles[_i];
	uint64_t len = (uint64_t)p->mb * MB;
	const struct tap *ta = &w.ab.tap, *tb = &w.ba.tap;
	uint32_t start;

	w.a.prm.rcv_wnd = 256 * KB;
	w.b.prm.rcv_wnd = 256 * KB;
	w.ab.f = p->ab;
	w.ba.f = p->ba;
	wire_up();
	/* A sends by reference, B by copy. */
	streams(len, len, false);
	srv.tmpl.copy = true;
	connect_ab(PORT_B);
	start = w.now;
	pump(done_closed, 600000);
	report(p->name, len, start);
	assert_clean_close(&cli, &srv.conn[0]);
	ck_assert_uint_eq(srv.nb, 1);
	/* The faults happened, and what they cost was paid again. */
	ck_assert_uint_eq(ta->dropped != 0, p->ab.drop != 0);
	ck_assert_uint_eq(tb->dropped != 0, p->ba.drop != 0);
	ck_assert_uint_eq(ta->duplicated != 0, p->ab.dup != 0);
	ck_assert_uint_eq(tb->duplicated != 0, p->ba.dup != 0);
	ck_assert_uint_eq(ta->reordered != 0, p->ab.reorder != 0);
	ck_assert_uint_eq(tb->reordered != 0, p->ba.reorder != 0);
	ck_assert_uint_eq(ta->spiked != 0, p->ab.spike != 0);
	ck_assert_uint_eq(tb->spiked != 0, p->ba.spike != 0);
	if (p->ab.drop != 0) {
		ck_assert_uint_gt(w.a.st.c[FP_C_tcp_retransmits], 0);
		ck_assert_uint_gt(ta->data_bytes, len);
	}
	if (p->ba.drop != 0) {
		ck_assert_uint_gt(w.b.st.c[FP_C_tcp_retransmits], 0);
		ck_assert_uint_gt(tb->data_bytes, len);
	}
}
END_TEST

/* Generated pieces (fp_tcp_send_gen) under loss and reordering: TCP keeps
 * no bytes and asks for them again, in other cuts, for each retransmission.
 */
START_TEST(test_transfer_gen)
{
	uint64_t len = 4 * MB;
	const struct tap *ta = &w.ab.tap;

	w.a.prm.rcv_wnd = 256 * KB;
	w.b.prm.rcv_wnd = 256 * KB;
	w.ab.f.drop = 20000;
	w.ab.f.reorder = 20000;
	wire_up();
	streams(len, MB, false);
	cli.by_gen = true;
	cli.tx_chunk = 1000;	/* pieces that segments straddle */
	gen_fills = 0;
	connect_ab(PORT_B);
	pump(done_closed, 600000);
	assert_clean_close(&cli, &srv.conn[0]);
	ck_assert_uint_eq(srv.conn[0].rx_got, len);
	ck_assert_uint_gt(ta->dropped, 0);
	ck_assert_uint_gt(w.a.st.c[FP_C_tcp_retransmits], 0);
	ck_assert_uint_gt(ta->data_bytes, len);
	/* Every byte sent, first or again, was written by the fill. */
	ck_assert_uint_eq(w.a.st.c[FP_C_tcp_tx_inline_bytes], ta->data_bytes);
	ck_assert_uint_eq(w.a.st.c[FP_C_tcp_tx_zerocopy_bytes], 0);
	ck_assert_uint_ge(gen_fills, len / 1000);
}
END_TEST

/* Tail losses (RFC 8985 7): the last one or two segments of a transfer
 * are lost. A probe goes a PTO after the tail instead of waiting for the
 * RTO; with one lost it repairs it, with two its SACK shows the hole below
 * and recovery resends it. The third before last lost: the two after it
 * are SACKed (too few for IsLost), so when the PTO comes recovery starts
 * without a probe. No timeout in any case.
 */
static const struct {
	uint64_t drop[2];
	unsigned int probes;
	unsigned int losses;	/* tcp_tlp_losses */
	uint32_t within_ms;
} tail_cases[] = {
	{ { 76 }, 1, 0, 300 },
	{ { 76, 75 }, 1, 1, 120 },
	{ { 74 }, 0, 1, 120 },
};

START_TEST(test_tail_loss_probe)
{
	uint64_t len = 100 * KB;	/* 76 data segments (the wire counts them) */
	unsigned int lost = tail_cases[_i].drop[1] != 0 ? 2 : 1;
	uint32_t start;

	w.a.prm.rcv_wnd = 256 * KB;
	w.b.prm.rcv_wnd = 256 * KB;
	w.ab.f.delay_ms = 5;
	w.ba.f.delay_ms = 5;
	w.ab.f.drop_seg[0] = tail_cases[_i].drop[0];
	w.ab.f.drop_seg[1] = tail_cases[_i].drop[1];
	wire_up();
	streams(len, 0, false);
	cli.more = true;	/* no FIN: the tail is data */
	start = w.now;
	connect_ab(PORT_B);
	pump(done_rx_all, 60000);
	ck_assert_uint_eq(srv.conn[0].rx_got, len);
	ck_assert_uint_eq(w.ab.tap.dropped, lost);
	ck_assert_uint_eq(w.a.st.c[FP_C_tcp_timeouts], 0);
	ck_assert_uint_eq(w.a.st.c[FP_C_tcp_tlp_probes], tail_cases[_i].probes);
	ck_assert_uint_eq(w.a.st.c[FP_C_tcp_tlp_losses], tail_cases[_i].losses);
	ck_assert_uint_eq(w.a.st.c[FP_C_tcp_retransmits], lost);
	/* One segment out: the probe waits 2 SRTT and a delayed ACK (RFC
	 * 8985's WCDelAckT, 200 ms), about the RTO; more out, 2 SRTT.
	 */
	ck_assert_uint_lt(srv.conn[0].rx_done_ms - start, tail_cases[_i].within_ms);
	fp_tcp_abort(&w.a.t, cli.c);
	side_flush(&w.a);
	run_for(10);
}
END_TEST

/* RFC 8985 6.3 in SACK recovery: segments 60 and 62 are lost; three
 * duplicate ACKs (SACKing 61, 63 and 64) start recovery for 60, but 62
 * has only two segments SACKed above it, too few for RFC 6675's IsLost(),
 * and the ACKs that would tell more are lost until 62 is sent again. RACK's
 * reordering timer resends it, not the RTO.
 */
START_TEST(test_rack_in_recovery)
{
	uint64_t len = 200 * KB;
	uint32_t start;

	w.a.prm.rcv_wnd = 256 * KB;
	w.b.prm.rcv_wnd = 256 * KB;
	w.ab.f.delay_ms = 5;
	w.ba.f.delay_ms = 5;
	w.ab.f.drop_seg[0] = 60;
	w.ab.f.drop_seg[1] = 62;
	w.ba.f.ack_blackout = 5;
	wire_up();
	streams(len, 0, false);
	cli.more = true;
	start = w.now;
	connect_ab(PORT_B);
	/* Without the timer nothing resends 62: no ACK would ever come. */
	pump(done_rx_all, 5000);
	ck_assert_uint_eq(srv.conn[0].rx_got, len);
	ck_assert_uint_eq(w.ab.tap.dropped, 2);
	ck_assert(w.ba.blackout_over);
	ck_assert_uint_gt(w.ba.tap.dropped, 0);
	ck_assert_uint_eq(w.a.st.c[FP_C_tcp_timeouts], 0);
	ck_assert_uint_eq(w.a.st.c[FP_C_tcp_sack_recoveries], 1);
	ck_assert_uint_ge(w.a.st.c[FP_C_tcp_rack_timeouts], 1);
	/* An RTO would take 200 ms at least. */
	ck_assert_uint_lt(srv.conn[0].rx_done_ms - start, 200);
	fp_tcp_abort(&w.a.t, cli.c);
	side_flush(&w.a);
	run_for(10);
}
END_TEST

/* A retransmission lost too: data sent after it arrives, so it is found
 * lost and sent a third time, without a timeout.
 */
START_TEST(test_lost_retransmit)
{
	uint64_t len = 400 * KB;

	/* B's window keeps what it holds out of order under ooo_max (64). */
	w.a.prm.rcv_wnd = 64 * KB;
	w.b.prm.rcv_wnd = 64 * KB;
	w.ab.f.delay_ms = 5;
	w.ba.f.delay_ms = 5;
	w.ab.f.drop_seg[0] = 30;
	w.ab.f.drop_again = 1;
	wire_up();
	streams(len, 0, false);
	connect_ab(PORT_B);
	pump(done_closed, 60000);
	assert_clean_close(&cli, &srv.conn[0]);
	ck_assert_uint_eq(w.ab.tap.dropped, 2);
	ck_assert_uint_eq(w.a.st.c[FP_C_tcp_timeouts], 0);
	ck_assert_uint_eq(w.a.st.c[FP_C_tcp_lost_retransmits], 1);
	ck_assert_uint_eq(w.a.st.c[FP_C_tcp_retransmits], 2);
	ck_assert_uint_eq(w.a.st.c[FP_C_tcp_sack_recoveries], 1);
}
END_TEST

/* Each congestion controller through loss episodes, both ends, with and
 * without SACK: byte-exact, and the losses were recovered by fast
 * retransmits more than by timeouts.
 */
START_TEST(test_transfer_cc)
{
	uint8_t cc = _i / 2 == 0 ? FP_CC_cubic : FP_CC_newreno;
	bool sack = _i % 2 == 0;
	uint64_t len = 4 * MB;

	w.a.prm.cc = cc;
	w.b.prm.cc = cc;
	w.a.prm.sack = sack;
	w.b.prm.sack = sack;
	w.a.prm.rcv_wnd = 256 * KB;
	w.b.prm.rcv_wnd = 256 * KB;
	w.ab.f.drop = 10000;
	w.ab.f.delay_ms = 5;
	w.ba.f.delay_ms = 5;
	wire_up();
	streams(len, 0, false);
	connect_ab(PORT_B);
	pump(done_closed, 600000);
	assert_clean_close(&cli, &srv.conn[0]);
	ck_assert_uint_gt(w.ab.tap.dropped, 10);
	ck_assert_uint_gt(w.a.st.c[FP_C_tcp_fast_retransmits], w.a.st.c[FP_C_tcp_timeouts]);
	ck_assert_uint_eq(w.a.st.c[FP_C_tcp_sack_recoveries] != 0, sack);
}
END_TEST

/* Three holes in one window (RFC 6675): with SACK, one recovery resends
 * exactly the three lost segments and no timeout fires; without it,
 * NewReno resends them one partial ACK at a time. Either way no byte that
 * arrived is sent again.
 */
START_TEST(test_sack_holes)
{
	bool sack = _i == 0;
	uint64_t len = 200 * KB;

	w.a.prm.rcv_wnd = 256 * KB;
	w.b.prm.rcv_wnd = 256 * KB;
	w.a.prm.sack = sack;
	w.b.prm.sack = sack;
	w.ab.f.delay_ms = 5;
	w.ba.f.delay_ms = 5;
	w.ab.f.drop_seg[0] = 20;
	w.ab.f.drop_seg[1] = 23;
	w.ab.f.drop_seg[2] = 26;
	wire_up();
	streams(len, 0, false);
	connect_ab(PORT_B);
	pump(done_closed, 60000);
	assert_clean_close(&cli, &srv.conn[0]);
	ck_assert_uint_eq(w.ab.tap.dropped, 3);
	ck_assert_uint_eq(w.a.st.c[FP_C_tcp_retransmits], 3);
	ck_assert_uint_eq(w.a.st.c[FP_C_tcp_timeouts], 0);
	ck_assert_uint_eq(w.a.st.c[FP_C_tcp_fast_retransmits], 1);
	ck_assert_uint_eq(w.a.st.c[FP_C_tcp_sack_recoveries], sack ? 1 : 0);
	ck_assert_uint_eq(w.a.st.c[FP_C_tcp_sack_retransmits], sack ? 3 : 0);
	ck_assert_uint_eq(w.b.st.c[FP_C_tcp_sack_acks] != 0, sack);
	/* Every scoreboard went back to the pool. */
	ck_assert_uint_eq(w.a.t.nb_sb_free, w.a.t.p.sack_boards);
}
END_TEST

/* Static pieces with the sum their application computed: segments that
 * carry a piece whole add it instead of reading the bytes. Pieces of odd
 * length put the others at odd offsets, and loss makes other cuts.
 */
START_TEST(test_transfer_static_sum)
{
	uint64_t len = 4 * MB;

	w.a.prm.rcv_wnd = 256 * KB;
	w.b.prm.rcv_wnd = 256 * KB;
	w.ab.f.drop = 20000;
	w.ab.f.reorder = 20000;
	wire_up();
	streams(len, MB, false);
	cli.by_static = true;
	cli.tx_chunk = 999;
	connect_ab(PORT_B);
	pump(done_closed, 600000);
	assert_clean_close(&cli, &srv.conn[0]);
	ck_assert_uint_gt(w.a.st.c[FP_C_tcp_retransmits], 0);
	ck_assert_uint_eq(w.a.st.c[FP_C_tcp_tx_zerocopy_bytes] +
		w.a.st.c[FP_C_tcp_tx_copybreak_bytes], w.ab.tap.data_bytes);
}
END_TEST

/* A body queued a little at a time, as ACKs make room, stays one piece
 * while each part continues the last (same memory, same shared info): a
 * segment never walks a list of them. A part that does not continue it
 * takes a piece of its own.
 */
START_TEST(test_pieces_merge)
{
	uint32_t used0;

	wire_up();
	streams(9500, 0, false);
	cli.tx_len = 9000;	/* the last 500 by hand */
	cli.tx_chunk = 1000;
	cli.more = true;
	w.ab.f.delay_ms = 5;
	w.ba.f.delay_ms = 5;
	used0 = w.a.t.p.pieces - w.a.t.nb_piece_free;
	connect_ab(PORT_B);
	while (cli.connects == 0 && w.now < 1000)
		run_for(1);
	/* Queued in the connected callback; nothing acknowledged yet. */
	ck_assert_uint_eq(cli.tx_queued, 9000);
	ck_assert_uint_eq(w.a.t.p.pieces - w.a.t.nb_piece_free - used0, 1);
	/* The next bytes, but without a reference held for the queue: a
	 * second piece.
	 */
	ck_assert_int_eq(fp_tcp_send_static(&w.a.t, cli.c, pat + 9000, pat_iova + 9000, 500,
		&pat_sh, FP_TCP_NOSUM), 500);
	cli.tx_queued += 500;
	ck_assert_uint_eq(w.a.t.p.pieces - w.a.t.nb_piece_free - used0, 2);
	fp_tcp_push(&w.a.t, cli.c);
	side_flush(&w.a);
	pump(done_rx_all, 5000);
	ck_assert_uint_eq(srv.conn[0].rx_got, 9500);
	run_for(300);
	/* All acknowledged: both pieces back. */
	ck_assert_uint_eq(w.a.t.p.pieces - w.a.t.nb_piece_free, used0);
	fp_tcp_abort(&w.a.t, cli.c);
	side_flush(&w.a);
	run_for(10);
}
END_TEST

/* The sum given is the one used: a wrong one makes every segment that
 * carries the piece whole fail B's check, first send and retransmissions.
 */
START_TEST(test_static_sum_used)
{
	wire_up();
	streams(999, 0, false);
	cli.by_static = true;
	cli.sum_xor = 0x1234;
	connect_ab(PORT_B);
	run_for(3000);
	ck_assert_uint_eq(srv.nb, 1);
	ck_assert_uint_eq(srv.conn[0].rx_got, 0);
	ck_assert_uint_ge(w.b.st.drop[FP_DROP_tcp_bad_csum], 2);
	ck_assert_uint_eq(w.b.st.drop[FP_DROP_tcp_bad_csum], w.ab.tap.data_segs);
	fp_tcp_abort(&w.a.t, cli.c);
	side_flush(&w.a);
	run_for(10);
	ck_assert_uint_eq(srv.conn[0].closes, 1);
	ck_assert_int_eq(srv.conn[0].why, FP_TCP_CLOSE_reset);
}
END_TEST

/* The API from inside and outside callbacks. */

static bool
done_both_gone(void)
{
	return cli.closes != 0 && srv.nb != 0 && srv.conn[0].closes != 0 && wire_empty() &&
		fp_tcp_nb_conns(&w.a.t) == 0 && fp_tcp_nb_conns(&w.b.t) == 0;
}

/* B aborts from inside recv: it hears aborted at once, A hears reset. */
START_TEST(test_abort_in_recv)
{
	struct app *b = &srv.conn[0];

	wire_up();
	streams(MB, MB, false);
	srv.tmpl.abort_at = 100000;
	connect_ab(PORT_B);
	pump(done_both_gone, 10000);
	ck_assert_uint_ge(b->rx_got, 100000);
	ck_assert_uint_lt(b->rx_got, MB);
	ck_assert_msg(b->closes == 1 && b->why == FP_TCP_CLOSE_aborted, "B: %u, %s", b->closes,
		fp_tcp_close_names[b->why]);
	ck_assert_msg(cli.closes == 1 && cli.why == FP_TCP_CLOSE_reset, "A: %u, %s", cli.closes,
		fp_tcp_close_names[cli.why]);
	ck_assert_uint_eq(b->fins + cli.fins, 0);
	ck_assert_uint_eq(w.b.st.c[FP_C_tcp_aborts], 1);
	ck_assert_uint_eq(w.a.st.c[FP_C_tcp_resets_received], 1);
	ck_assert_uint_ge(w.ba.tap.rsts, 1);
	ck_assert_ptr_null(fp_tcp_conn_get(&w.b.t, b->id, b->gen));
}
END_TEST

/* fp_tcp_set_timer: fires once at its time, re-arms from its own callback,
 * and 0 stops it.
 */
static uint32_t timer_armed_ms;

static void
timer_on_up(struct app *a)
{
	timer_armed_ms = w.now;
	a->user = 1;
	fp_tcp_set_timer(&a->s->t, a->c, 100);
}

static void
timer_on_timeout(struct app *a)
{
	if (a->timeouts == 1) {
		fp_tcp_set_timer(&a->s->t, a->c, 40);
		return;
	}
	/* Armed and stopped: it must never fire. */
	fp_tcp_set_timer(&a->s->t, a->c, 30);
	fp_tcp_set_timer(&a->s->t, a->c, 0);
	a->user = 0;
}

static bool
done_two_timeouts(void)
{
	return cli.timeouts == 2 && wire_empty();
}

START_TEST(test_timer)
{
	uint32_t up;

	wire_up();
	cli.on_up = timer_on_up;
	cli.on_timeout = timer_on_timeout;
	connect_ab(PORT_B);
	pump(done_two_timeouts, 1000);
	ck_assert_uint_gt(timer_armed_ms, 1);
	ck_assert_uint_eq(cli.timeout_ms[0], timer_armed_ms + 100);
	ck_assert_uint_eq(cli.timeout_ms[1], cli.timeout_ms[0] + 40);
	ck_assert_uint_eq(cli.user, 0);
	/* Stopped from outside a callback too. */
	fp_tcp_set_timer(&w.a.t, cli.c, 20);
	fp_tcp_set_timer(&w.a.t, cli.c, 0);
	run_for(500);
	ck_assert_uint_eq(cli.timeouts, 2);
	ck_assert_uint_eq(cli.closes, 0);
	/* And armed from outside one. */
	fp_tcp_set_timer(&w.a.t, cli.c, 25);
	up = w.now;
	run_for(100);
	ck_assert_uint_eq(cli.timeouts, 3);
	ck_assert_uint_eq(cli.timeout_ms[2], up + 25);
	ck_assert_uint_eq(srv.conn[0].timeouts, 0);
	app_shutdown(&cli);
	side_flush(&w.a);
	pump(done_closed, 20000);
	assert_clean_close(&cli, &srv.conn[0]);
}
END_TEST

/* A connection's (id, gen) name finds it while it is open and nothing once
 * it ended, even when its slot serves a new connection.
 */
static bool
done_heard_closed(void)
{
	return cli.closes != 0 && srv.nb != 0 && srv.conn[0].closes != 0;
}

static bool
done_second(void)
{
	return cli.connects == 1 && srv.nb == 2 && wire_empty();
}

START_TEST(test_conn_get)
{
	struct app first_cli, first_srv;
	struct fp_tcb *c;

	wire_up();
	streams(10000, 20000, false);
	connect_ab(PORT_B);
	pump(done_established, 1000);
	ck_assert_ptr_eq(fp_tcp_conn_get(&w.a.t, cli.id, cli.gen), cli.c);
	ck_assert_ptr_eq(fp_tcp_conn_get(&w.b.t, srv.conn[0].id, srv.conn[0].gen),
		srv.conn[0].c);
	ck_assert_ptr_null(fp_tcp_conn_get(&w.b.t, srv.conn[0].id, srv.conn[0].gen + 1));
	ck_assert_ptr_null(fp_tcp_conn_get(&w.b.t, w.b.prm.max_conns, 0));
	/* Over for both applications while TIME-WAIT still holds a slot. */
	pump(done_heard_closed, 20000);
	ck_assert_uint_gt(fp_tcp_nb_conns(&w.a.t) + fp_tcp_nb_conns(&w.b.t), 0);
	ck_assert_ptr_null(fp_tcp_conn_get(&w.a.t, cli.id, cli.gen));
	ck_assert_ptr_null(fp_tcp_conn_get(&w.b.t, srv.conn[0].id, srv.conn[0].gen));
	pump(done_closed, 20000);
	assert_clean_close(&cli, &srv.conn[0]);

	/* A second connection takes the same slots, a generation on. */
	first_cli = cli;
	first_srv = srv.conn[0];
	memset(&cli, 0, sizeof(cli));
	cli.s = &w.a;
	srv.tmpl.tx_len = 0;
	srv.tmpl.rx_len = 0;
	connect_ab(PORT_B);
	pump(done_second, 1000);
	ck_assert_uint_eq(srv.nb, 2);
	ck_assert_uint_eq(cli.id, first_cli.id);
	ck_assert_uint_ne(cli.gen, first_cli.gen);
	ck_assert_uint_eq(srv.conn[1].id, first_srv.id);
	ck_assert_uint_ne(srv.conn[1].gen, first_srv.gen);
	c = fp_tcp_conn_get(&w.b.t, srv.conn[1].id, srv.conn[1].gen);
	ck_assert_ptr_eq(c, srv.conn[1].c);
	ck_assert_ptr_null(fp_tcp_conn_get(&w.b.t, first_srv.id, first_srv.gen));
	ck_assert_ptr_null(fp_tcp_conn_get(&w.a.t, first_cli.id, first_cli.gen));
	ck_assert_ptr_eq(fp_tcp_conn_get(&w.a.t, cli.id, cli.gen), cli.c);
	fp_tcp_abort(&w.a.t, cli.c);
	side_flush(&w.a);
	ck_assert_uint_eq(cli.closes, 1);
	ck_assert_int_eq(cli.why, FP_TCP_CLOSE_aborted);
	ck_assert_ptr_null(fp_tcp_conn_get(&w.a.t, cli.id, cli.gen));
	run_for(10);
	ck_assert_uint_eq(srv.conn[1].closes, 1);
	ck_assert_int_eq(srv.conn[1].why, FP_TCP_CLOSE_reset);
	ck_assert_ptr_null(fp_tcp_conn_get(&w.b.t, srv.conn[1].id, srv.conn[1].gen));
}
END_TEST

/* An open connection is not timed out however long it stays quiet. */
START_TEST(test_idle_established)
{
	wire_up();
	streams(64 * KB, 64 * KB, false);
	/* Nothing is sent until a timer well past SYN-RECEIVED's life. */
	cli.tx_len = 0;
	srv.tmpl.tx_len = 0;
	connect_ab(PORT_B);
	pump(done_established, 1000);
	run_for(120000);
	ck_assert_uint_eq(cli.closes + srv.conn[0].closes, 0);
	ck_assert_uint_eq(cli.c->state, FP_TCP_ESTABLISHED);
	ck_assert_uint_eq(srv.conn[0].c->state, FP_TCP_ESTABLISHED);
	ck_assert_uint_eq(w.ab.tap.frames + w.ba.tap.frames, 3);
	cli.tx_len = 64 * KB;
	srv.conn[0].tx_len = 64 * KB;
	app_fill(&cli);
	fp_tcp_push(&w.a.t, cli.c);
	app_fill(&srv.conn[0]);
	fp_tcp_push(&w.b.t, srv.conn[0].c);
	side_flush(&w.a);
	side_flush(&w.b);
	pump(done_closed, 20000);
	assert_clean_close(&cli, &srv.conn[0]);
}
END_TEST

/* A half-closed connection keeps receiving for as long as the peer sends:
 * FIN-WAIT-2's deadline is for a peer gone silent, not a busy one.
 */
static void
slow_on_up(struct app *a)
{
	fp_tcp_set_timer(&a->s->t, a->c, 10000);
}

static void
slow_on_timeout(struct app *a)
{
	a->tx_len += 4 * KB;
	a->more = a->tx_len < a->user;
	app_fill(a);
	if (a->tx_len < a->user)
		fp_tcp_set_timer(&a->s->t, a->c, 10000);
}

START_TEST(test_half_close_long)
{
	uint32_t total = 40 * KB;

	wire_up();
	streams(KB, total, false);
	/* B sends 4 KB every 10 s: 100 s in all, past fin_wait2_ms. */
	srv.tmpl.tx_len = 0;
	srv.tmpl.more = true;
	srv.tmpl.user = total;
	srv.tmpl.on_up = slow_on_up;
	srv.tmpl.on_timeout = slow_on_timeout;
	ck_assert_uint_lt(w.a.prm.fin_wait2_ms, total / (4 * KB) * 10000);
	connect_ab(PORT_B);
	pump(done_closed, 200000);
	assert_clean_close(&cli, &srv.conn[0]);
	ck_assert_uint_eq(srv.conn[0].timeouts, total / (4 * KB));
}
END_TEST

/* Copybreak: static pieces of up to FP_TCP_COPYBREAK bytes are copied into
 * the frame, longer ones attached; either way B gets every byte, summed
 * right. The third case mixes them, 255 copied and 999 attached in turn, so
 * attached pieces with known sums sit at odd offsets after copied bytes,
 * and copied ones after attached ones.
 */
START_TEST(test_copybreak)
{
	uint32_t chunk = _i == 2 ? FP_TCP_COPYBREAK - 1 : FP_TCP_COPYBREAK + _i, n, k;
	uint64_t len = 64 * KB, copied, want = 0, off;

	wire_up();
	streams(len, 0, false);
	cli.by_static = true;
	cli.tx_chunk = chunk;
	cli.tx_chunk2 = _i == 2 ? 999 : 0;
	connect_ab(PORT_B);
	pump(done_closed, 60000);
	assert_clean_close(&cli, &srv.conn[0]);
	ck_assert_uint_eq(srv.conn[0].rx_got, len);
	ck_assert_uint_eq(w.b.st.drop[FP_DROP_tcp_bad_csum], 0);
	ck_assert_uint_eq(w.a.st.c[FP_C_tcp_tx_copied_bytes], 0);
	copied = w.a.st.c[FP_C_tcp_tx_copybreak_bytes];
	ck_assert_uint_eq(copied + w.a.st.c[FP_C_tcp_tx_zerocopy_bytes], w.ab.tap.data_bytes);
	ck_assert_uint_eq(w.ab.tap.data_bytes, len);
	/* The pieces queued, as app_fill cut them: the short ones copied. */
	for (off = 0, k = 0; off < len; off += n, k++) {
		n = (uint32_t)RTE_MIN(len - off, (uint64_t)(_i == 2 && (k & 1) ? 999 : chunk));
		if (n <= FP_TCP_COPYBREAK)
			want += n;
	}
	ck_assert_uint_eq(copied, want);
	ck_assert_uint_gt(want, _i == 1 ? 0 : len / 8);
}
END_TEST

/* Backpressure. */

#define SMALL_SNDBUF 4096

/* Short counts and -EAGAIN once the send buffer is full. */
static void
sndbuf_on_up(struct app *a)
{
	struct fp_tcp_lcore *t = &a->s->t;

	WANT(fp_tcp_sndbuf_room(t, a->c) == SMALL_SNDBUF);
	WANT(fp_tcp_send_copy(t, a->c, pat, 1000) == 1000);
	WANT(fp_tcp_sndbuf_room(t, a->c) == SMALL_SNDBUF - 1000);
	WANT(fp_tcp_send_ref(t, a->c, pat + 1000, pat_iova + 1000, 10000, &pat_sh) ==
		SMALL_SNDBUF - 1000);
	WANT(fp_tcp_sndbuf_room(t, a->c) == 0);
	WANT(fp_tcp_send_copy(t, a->c, pat + SMALL_SNDBUF, 1) == -EAGAIN);
	WANT(fp_tcp_send_ref(t, a->c, pat + SMALL_SNDBUF, pat_iova + SMALL_SNDBUF, 1,
		&pat_sh) == -EAGAIN);
	WANT(a->s->st.c[FP_C_tcp_sndbuf_full] == 3);
	a->tx_queued = SMALL_SNDBUF;
	a->tx_len = a->user;
}

/* The room is the buffer less what is unacknowledged: it comes back as
 * the peer acknowledges, all of it at the end. After the shutdown nothing
 * more is taken.
 */
static void
sndbuf_on_sent(struct app *a)
{
	struct fp_tcp_lcore *t = &a->s->t;

	WANT(fp_tcp_sndbuf_room(t, a->c) == SMALL_SNDBUF - (a->tx_queued - a->tx_acked));
	if (a->tx_acked != a->user)
		return;
	a->more = false;
	app_shutdown(a);
	WANT(fp_tcp_send_copy(t, a->c, pat, 1) == -EPIPE);
	WANT(fp_tcp_send_ref(t, a->c, pat, pat_iova, 1, &pat_sh) == -EPIPE);
	WANT(fp_tcp_sndbuf_room(t, a->c) == SMALL_SNDBUF);
	a->user = 0;
}

START_TEST(test_sndbuf)
{
	uint64_t len = 256 * KB;

	w.a.prm.sndbuf = SMALL_SNDBUF;
	wire_up();
	streams(len, 0, true);
	cli.tx_len = 0;
	cli.more = true;
	cli.user = len;
	cli.on_up = sndbuf_on_up;
	cli.on_sent = sndbuf_on_sent;
	connect_ab(PORT_B);
	pump(done_closed, 60000);
	assert_clean_close(&cli, &srv.conn[0]);
	/* All of it was acknowledged and the room came back whole. */
	ck_assert_uint_eq(cli.user, 0);
	ck_assert_uint_eq(cli.tx_acked, len);
	/* Most fills stopped at a full buffer. */
	ck_assert_uint_gt(w.a.st.c[FP_C_tcp_sndbuf_full], len / SMALL_SNDBUF / 2);
	ck_assert_uint_gt(cli.sents, len / SMALL_SNDBUF);
	ck_assert_uint_eq(w.a.st.c[FP_C_tcp_retransmits], 0);
}
END_TEST

/* A reader that takes less than offered, closes its window and comes back
 * on a timer: what it did not take comes again, and the window update
 * restarts the sender.
 */
START_TEST(test_rcv_short)
{
	struct app *b = &srv.conn[0];
	uint64_t len = MB;

	wire_up();
	streams(len, 0, false);
	srv.tmpl.short_at = 100000;
	srv.tmpl.drain_ms = 300;
	connect_ab(PORT_B);
	pump(done_closed, 60000);
	assert_clean_close(&cli, b);
	ck_assert_uint_eq(b->timeouts, 1);
	ck_assert_uint_gt(w.b.st.drop[FP_DROP_tcp_rx_full], 0);
	ck_assert_uint_gt(w.a.st.c[FP_C_tcp_retransmits], 0);
	ck_assert_uint_ge(w.ba.tap.wnd_updates, 1);
	/* The rest waited for the window to open again. */
	ck_assert_uint_gt(b->rx_done_ms, b->timeout_ms[0]);
}
END_TEST

/* A reader with a buffer the size of its window, emptied every 500 ms: the
 * window closes, the sender probes it, and each drain reopens it. Nothing
 * offered is refused and nothing is sent twice. The window is a whole
 * number of segments, or the sender would leave its tail unused (sender
 * SWS avoidance) and it would never reach zero.
 */
START_TEST(test_zero_window)
{
	struct app *b = &srv.conn[0];
	uint32_t cap = 48 * (MTU_B - 40 - 12);
	uint64_t len = MB;

	w.b.prm.rcv_wnd = cap;
	wire_up();
	ck_assert_uint_eq(w.b.t.rcv_wscale, 0);
	streams(len, 0, false);
	srv.tmpl.buf_cap = cap;
	srv.tmpl.drain_ms = 500;
	connect_ab(PORT_B);
	pump(done_closed, 60000);
	assert_clean_close(&cli, b);
	ck_assert_uint_ge(b->timeouts, len / cap);
	ck_assert_uint_ge(w.ba.tap.zero_wnd, len / cap);
	ck_assert_uint_ge(w.ba.tap.wnd_updates, len / cap);
	ck_assert_uint_gt(w.a.st.c[FP_C_tcp_window_probes], 0);
	ck_assert_uint_eq(w.b.st.drop[FP_DROP_tcp_rx_full], 0);
	ck_assert_uint_eq(w.a.st.c[FP_C_tcp_retransmits], 0);
	ck_assert_uint_eq(w.ab.tap.data_bytes, len);
}
END_TEST

/* The same reader with a window that is not a whole number of segments:
 * the sender holds back the last bytes of each window (sender SWS
 * avoidance), and every window update is lost. Only its probing, as for a
 * zero window, finds the window open again.
 */
START_TEST(test_window_update_lost)
{
	struct app *b = &srv.conn[0];
	uint64_t len = 256 * KB;

	w.b.prm.rcv_wnd = 65535;
	w.ba.f.upd_drop = PPM;
	wire_up();
	ck_assert_uint_ne(65535 % (MTU_B - 40 - 12), 0);
	streams(len, 0, false);
	srv.tmpl.buf_cap = 65535;
	srv.tmpl.drain_ms = 500;
	connect_ab(PORT_B);
	pump(done_closed, 60000);
	assert_clean_close(&cli, b);
	ck_assert_uint_ge(b->timeouts, len / 65535);
	ck_assert_uint_ge(w.ba.tap.wnd_updates, len / 65535);
	ck_assert_uint_eq(w.ba.tap.dropped, w.ba.tap.wnd_updates);
	ck_assert_uint_ge(w.a.st.c[FP_C_tcp_window_probes], len / 65535);
	ck_assert_uint_eq(w.b.st.drop[FP_DROP_tcp_rx_full], 0);
}
END_TEST

/* Memory: a million idle connections on one worker. */

#define MILLION		1000000u
#define MEM_PORTS	62500u	/* source ports per client address */

static unsigned int idle_accepts;
static unsigned int idle_closes[FP_TCP_CLOSE_MAX];
static unsigned int idle_sent;	/* frames B sent that mem_open() did not take */

/* B's flush in the memory test: its replies are taken one by one, so
 * anything flushed was sent unasked.
 */
static void
idle_tx(struct fp_txq *q)
{
	uint16_t i;

	for (i = 0; i < q->len; i++)
		rte_pktmbuf_free(q->pkts[i]);
	idle_sent += q->len;
	q->len = 0;
	q->bytes = 0;
}

static int
idle_accept(void *arg __rte_unused, struct fp_tcp_lcore *t __rte_unused,
	struct fp_tcb *c __rte_unused)
{
	idle_accepts++;
	return 0;
}

static void
idle_closed(void *app __rte_unused, struct fp_tcp_lcore *t __rte_unused,
	struct fp_tcb *c __rte_unused, enum fp_tcp_close why)
{
	idle_closes[why]++;
}

static const struct fp_tcp_ops idle_ops = {
	.accept = idle_accept,
	.closed = idle_closed,
};

/* Bytes allocated from the DPDK heap, every socket. */

/* What the connection table alone takes, built as fp_tcp_lcore_init builds
 * it.
 */
static size_t
hash_cost(uint32_t max_conns)
{
	struct rte_hash_parameters hp = { 0 };
	struct rte_hash *h;
	size_t before = fp_test_heap_used(), after;

	hp.name = "wire_hash_probe";
	hp.entries = RTE_MAX(max_conns + max_conns / 4, 64u);
	hp.key_len = sizeof(uint64_t);
	hp.hash_func = rte_hash_crc;
	hp.socket_id = SOCKET_ID_ANY;
	h = rte_hash_create(&hp);
	ck_assert_msg(h != NULL, "rte_hash_create: %s", rte_strerror(rte_errno));
	after = fp_test_heap_used();
	rte_hash_free(h);
	ck_assert_uint_eq(fp_test_heap_used(), before);
	return after - before;
}

/* A client's segment to B: no options but an MSS on a SYN. */
static struct rte_mbuf *
mem_segment(uint32_t src, uint16_t sport, uint32_t seq, uint32_t ack, uint8_t flags)
{
	static const uint8_t mss_opt[4] = { 2, 4, 0x05, 0xb4 };
	uint32_t optlen = (flags & RTE_TCP_SYN_FLAG) ? sizeof(mss_opt) : 0;
	struct rte_mbuf *m = rte_pktmbuf_alloc(w.b.pool);
	struct rte_ether_hdr *eh;
	struct rte_ipv4_hdr *ip;
	struct rte_tcp_hdr *th;

	WANT(m != NULL);
	eh = (struct rte_ether_hdr *)rte_pktmbuf_append(m, 54 + optlen);
	ip = (struct rte_ipv4_hdr *)(eh + 1);
	th = (struct rte_tcp_hdr *)(ip + 1);
	eh->dst_addr = mac_b;
	eh->src_addr = mac_a;
	eh->ether_type = RTE_BE16(RTE_ETHER_TYPE_IPV4);
	memset(ip, 0, sizeof(*ip));
	ip->version_ihl = 0x45;
	ip->total_length = rte_cpu_to_be_16(40 + optlen);
	ip->fragment_offset = RTE_BE16(RTE_IPV4_HDR_DF_FLAG);
	ip->time_to_live = 64;
	ip->next_proto_id = IPPROTO_TCP;
	ip->src_addr = src;
	ip->dst_addr = IP_B;
	ip->hdr_checksum = rte_ipv4_cksum(ip);
	th->src_port = rte_cpu_to_be_16(sport);
	th->dst_port = RTE_BE16(PORT_B);
	th->sent_seq = rte_cpu_to_be_32(seq);
	th->recv_ack = rte_cpu_to_be_32(ack);
	th->data_off = (uint8_t)((20 + optlen) << 2);
	th->tcp_flags = flags;
	th->rx_win = RTE_BE16(65535);
	th->cksum = 0;
	th->tcp_urp = 0;
	memcpy(th + 1, mss_opt, optlen);
	th->cksum = rte_ipv4_udptcp_cksum(ip, th);
	m->l2_len = RTE_ETHER_HDR_LEN;
	m->l3_len = sizeof(*ip);
	return m;
}

/* The option parser: Linux's NOP, NOP, Timestamps (the fast path) and the
 * same values in other layouts, and lengths that are wrong.
 */
static const struct {
	uint8_t o[40];
	uint32_t len;
	int ret;
	bool has_ts;
	uint16_t mss;
	uint8_t wscale;
	bool sack_ok;
} opt_cases[] = {
	{ { 1, 1, 8, 10, 0, 0, 0, 5, 0x80, 0, 0, 1 }, 12, 0, true, 0, 0xff, false },
	{ { 8, 10, 0, 0, 0, 5, 0x80, 0, 0, 1, 1, 1 }, 12, 0, true, 0, 0xff, false },
	{ { 1, 1, 8, 10, 0, 0, 0, 5, 0x80, 0, 0, 1, 0, 0, 0, 0 }, 16, 0, true, 0, 0xff, false },
	{ { 2, 4, 5, 0xb4, 4, 2, 8, 10, 0, 0, 0, 5, 0x80, 0, 0, 1, 1, 3, 3, 7 }, 20, 0, true,
		1460, 7, true },
	{ { 1, 1, 8, 11, 0, 0, 0, 5, 0x80, 0, 0, 1 }, 12, -1, false, 0, 0xff, false },
	{ { 1, 1, 8, 9, 0, 0, 0, 5, 0x80, 0, 0, 1 }, 12, -1, false, 0, 0xff, false },
	{ { 1, 1, 8, 10, 0, 0, 0, 5, 0x80, 0, 0 }, 11, -1, false, 0, 0xff, false },
	{ { 1, 1, 5, 10, 0, 0, 0, 5, 0x80, 0, 0, 1 }, 12, 0, false, 0, 0xff, false },
	{ { 0, 1, 8, 10, 0, 0, 0, 5, 0x80, 0, 0, 1 }, 12, 0, false, 0, 0xff, false },
	{ { 2, 4, 5 }, 3, -1, false, 0, 0xff, false },
	/* Linux's SYN layout (read at once), and the same with a bad length. */
	{ { 2, 4, 5, 0xb4, 4, 2, 8, 10, 0, 0, 0, 5, 0x80, 0, 0, 1, 1, 3, 3, 7 }, 20, 0, true,
		1460, 7, true },
	{ { 2, 4, 5, 0xb4, 4, 2, 8, 10, 0, 0, 0, 5, 0x80, 0, 0, 1, 1, 3, 4, 7 }, 20, -1, false,
		0, 0xff, false },
	{ { 2, 4, 5, 0xb4, 4, 3, 8, 10, 0, 0, 0, 5, 0x80, 0, 0, 1, 1, 3, 3, 7 }, 20, -1, false,
		0, 0xff, false },
	{ { 2, 4, 5, 0xb4, 1, 1, 8, 10, 0, 0, 0, 5, 0x80, 0, 0, 1, 1, 3, 3, 7 }, 20, 0, true,
		1460, 7, false },
};

START_TEST(test_options)
{
	struct fp_tcp_opts o;

	memset(&o, 0xa5, sizeof(o));
	ck_assert_int_eq(fp_tcp_parse_options(opt_cases[_i].o, opt_cases[_i].len, &o),
		opt_cases[_i].ret);
	if (opt_cases[_i].ret != 0)
		return;
	ck_assert_int_eq(o.has_ts, opt_cases[_i].has_ts);
	ck_assert_uint_eq(o.mss, opt_cases[_i].mss);
	ck_assert_uint_eq(o.wscale, opt_cases[_i].wscale);
	ck_assert_int_eq(o.sack_ok, opt_cases[_i].sack_ok);
	if (o.has_ts) {
		ck_assert_uint_eq(o.tsval, 5);
		ck_assert_uint_eq(o.tsecr, 0x80000001u);
	}
}
END_TEST

/* Opens connection i from the client side: SYN, B's SYN-ACK, ACK. */
static void
mem_open(uint32_t i)
{
	uint32_t src = FP_TEST_ADDR(198, 19, i / MEM_PORTS, 1), isn = i * 2654435761u, iss;
	uint16_t sport = 1024 + i % MEM_PORTS;
	const struct rte_tcp_hdr *th;
	struct rte_mbuf *m;

	fp_tcp_input(&w.b.t, mem_segment(src, sport, isn, 0, RTE_TCP_SYN_FLAG));
	WANT_MSG(w.b.txq.len == 1, "connection %u: %u replies to the SYN", i, w.b.txq.len);
	m = w.b.txq.pkts[0];
	th = rte_pktmbuf_mtod_offset(m, const struct rte_tcp_hdr *, 34);
	WANT(th->tcp_flags == (RTE_TCP_SYN_FLAG | RTE_TCP_ACK_FLAG));
	WANT(rte_be_to_cpu_32(th->recv_ack) == isn + 1);
	iss = rte_be_to_cpu_32(th->sent_seq);
	rte_pktmbuf_free(m);
	w.b.txq.len = 0;
	w.b.txq.bytes = 0;
	fp_tcp_input(&w.b.t, mem_segment(src, sport, isn + 1, iss + 1, RTE_TCP_ACK_FLAG));
	WANT(w.b.txq.len == 0);
}

static void
mem_setup(void)
{
	memset(&w, 0, sizeof(w));
	ck_assert_int_eq(fp_config_defaults(&cfg), 0);
	w.now = 1;
	side_init(&w.b, "B", IP_B, &mac_b, MTU_B, &w.a, &w.ba);
	w.b.pool = pool_new("pkt", 1024, RTE_PKTMBUF_HEADROOM + FP_TEST_ROOM);
	w.b.zc_pool = pool_new("zc", 64, 0);
	w.b.txq.flush = idle_tx;
	idle_sent = 0;
	idle_accepts = 0;
	memset(idle_closes, 0, sizeof(idle_closes));
}

static void
mem_teardown(void)
{
	side_down(&w.b);
	ck_assert_uint_eq(rte_mempool_in_use_count(w.b.pool), 0);
	rte_mempool_free(w.b.pool);
	rte_mempool_free(w.b.zc_pool);
}

START_TEST(test_million_idle)
{
	size_t base, table, init, hash;
	uint32_t i;
	double per;

	w.b.prm.max_conns = MILLION;
	w.b.prm.syn_backlog = MILLION;
	hash = hash_cost(MILLION);
	base = fp_test_heap_used();
	side_up(&w.b);
	init = fp_test_heap_used() - base;
	ck_assert_int_eq(fp_tcp_listen(&w.b.t, PORT_B, &idle_ops, NULL), 0);
	for (i = 0; i < MILLION; i++)
		mem_open(i);
	ck_assert_uint_eq(idle_accepts, MILLION);
	ck_assert_uint_eq(fp_tcp_nb_conns(&w.b.t), MILLION);
	ck_assert_int_eq(w.b.st.g[FP_G_tcp_established], MILLION);
	ck_assert_int_eq(w.b.st.g[FP_G_tcp_syn_received], 0);
	ck_assert_uint_eq(w.b.st.c[FP_C_tcp_syn_cookies_sent], 0);
	/* A connection costs nothing beyond what init reserved... */
	ck_assert_uint_eq(fp_test_heap_used() - base, init);
	ck_assert_uint_eq(rte_mempool_in_use_count(w.b.pool), 0);
	/* ...and idle ones cost no time: past SYN-RECEIVED's life, every one
	 * is still there and nothing was sent.
	 */
	for (i = 0; i < 80000; i++) {
		w.now++;
		fp_tcp_clock(&w.b.t, w.b.t.tsc_base + (uint64_t)(w.now - 1) * w.b.t.tsc_per_ms);
		fp_tcp_timers(&w.b.t);
	}
	side_flush(&w.b);
	ck_assert_uint_eq(idle_sent, 0);
	ck_assert_int_eq(w.b.st.g[FP_G_tcp_established], MILLION);
	/* The table is full: the next SYN is answered with a cookie, and its
	 * ACK finds no room.
	 */
	fp_tcp_input(&w.b.t, mem_segment(FP_TEST_ADDR(198, 19, 200, 1), 1024, 7, 0,
		RTE_TCP_SYN_FLAG));
	ck_assert_uint_eq(w.b.txq.len, 1);
	ck_assert_uint_eq(w.b.st.c[FP_C_tcp_syn_cookies_sent], 1);
	rte_pktmbuf_free(w.b.txq.pkts[0]);
	w.b.txq.len = 0;

	table = init - hash;
	per = (double)sizeof(struct fp_tcb) + sizeof(struct fp_tcb_cold) + (double)hash / MILLION;
	/* The tcb in three cache lines; with HTTP's part, at most 256 bytes
	 * beside the hash entry (test_idle_conn_memory, tests/http).
	 */
	ck_assert_uint_le(sizeof(struct fp_tcb), 3 * RTE_CACHE_LINE_SIZE);
	fprintf(stderr, "tcp_wire: %u idle connections: struct fp_tcb %zu bytes, fp_tcb_cold "
		"%zu, rte_hash %zu bytes (%.1f per connection): %.1f bytes per idle connection; "
		"fp_tcp_lcore_init took %.1f MB (%.1f MB besides the hash)\n",
		MILLION, sizeof(struct fp_tcb), sizeof(struct fp_tcb_cold), hash,
		(double)hash / MILLION, per, init / 1048576.0, table / 1048576.0);
	side_down(&w.b);
	ck_assert_uint_eq(idle_closes[FP_TCP_CLOSE_aborted], MILLION);
	ck_assert_uint_eq(fp_test_heap_used(), base);
}
END_TEST

Suite *
tcp_wire_suite(void)
{
	Suite *s = suite_create("tcp_wire");
	TCase *tc;

	tc = tcase_create("open");
	tcase_add_unchecked_fixture(tc, eal_up, NULL);
	tcase_add_checked_fixture(tc, wire_setup, wire_teardown);
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, test_handshake);
	tcase_add_test(tc, test_refused);
	tcase_add_test(tc, test_syn_into_time_wait);
	tcase_add_test(tc, test_syn_timeout);
	suite_add_tcase(s, tc);

	tc = tcase_create("transfer");
	tcase_add_unchecked_fixture(tc, eal_up, NULL);
	tcase_add_checked_fixture(tc, wire_setup, wire_teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_loop_test(tc, test_transfer, 0, 2);
	tcase_add_loop_test(tc, test_transfer_faults, 0, RTE_DIM(profiles));
	tcase_add_test(tc, test_transfer_gen);
	tcase_add_test(tc, test_transfer_static_sum);
	tcase_add_loop_test(tc, test_sack_holes, 0, 2);
	tcase_add_loop_test(tc, test_transfer_cc, 0, 4);
	tcase_add_loop_test(tc, test_tail_loss_probe, 0, RTE_DIM(tail_cases));
	tcase_add_test(tc, test_lost_retransmit);
	tcase_add_test(tc, test_rack_in_recovery);
	tcase_add_test(tc, test_pieces_merge);
	tcase_add_test(tc, test_static_sum_used);
	tcase_add_loop_test(tc, test_copybreak, 0, 3);
	suite_add_tcase(s, tc);

	tc = tcase_create("api");
	tcase_add_unchecked_fixture(tc, eal_up, NULL);
	tcase_add_checked_fixture(tc, wire_setup, wire_teardown);
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, test_abort_in_recv);
	tcase_add_test(tc, test_timer);
	tcase_add_test(tc, test_conn_get);
	tcase_add_test(tc, test_idle_established);
	tcase_add_test(tc, test_half_close_long);
	suite_add_tcase(s, tc);

	tc = tcase_create("backpressure");
	tcase_add_unchecked_fixture(tc, eal_up, NULL);
	tcase_add_checked_fixture(tc, wire_setup, wire_teardown);
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, test_sndbuf);
	tcase_add_test(tc, test_rcv_short);
	tcase_add_test(tc, test_zero_window);
	tcase_add_test(tc, test_window_update_lost);
	suite_add_tcase(s, tc);

	tc = tcase_create("options");
	tcase_add_loop_test(tc, test_options, 0, RTE_DIM(opt_cases));
	suite_add_tcase(s, tc);

	tc = tcase_create("memory");
	tcase_add_unchecked_fixture(tc, eal_up, NULL);
	tcase_add_checked_fixture(tc, mem_setup, mem_teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_million_idle);
	suite_add_tcase(s, tc);

	return s;
}
