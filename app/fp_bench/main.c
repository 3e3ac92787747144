/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The fastpath authors
 */

/* fp-bench: CPU cycles of the whole RX -> TCP -> HTTP -> TX path, in one
 * process and without a port.
 *
 * A synthetic client builds Ethernet/IPv4/TCP frames in the worker's own pool
 * (where a NIC would have received them) and hands them, a burst at a time, to
 * fp_worker_burst(), the worker's per-burst entry point. What the stack queues
 * for TX goes to a fake TX ring; the client reads it to build its next
 * segments, and the frames are then freed as a NIC would free them after DMA.
 * The frames are built, and the stack's checked and parsed, by the unit
 * tests' synthetic peer (tests/common/fp_tcp_peer.h); the connections'
 * states and the HTTP checks are fp-bench's own.
 *
 * Only the server's part is timed with rte_rdtsc(): the clock and timer tick
 * of the worker loop, fp_worker_burst(), the TX flush and the freeing of the
 * sent frames. Building and checking frames on the client side is not, but
 * the whole loop is timed as well and reported beside it.
 *
 * This is a benchmark, not a test: it checks every answer and exits 1 on a
 * wrong one, but its figures are only printed.
 */

#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rte_common.h>
#include <rte_cycles.h>
#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_ether.h>
#include <rte_ip.h>
#include <rte_lcore.h>
#include <rte_malloc.h>
#include <rte_mbuf.h>
#include <rte_mempool.h>
#include <rte_tcp.h>
#include <rte_version.h>
#ifdef RTE_ARCH_X86
#include <emmintrin.h>
#endif

#include "fp_common.h"
#include "fp_config.h"
#include "fp_http.h"
#include "fp_lcore.h"
#include "fp_stats.h"
#include "fp_tcp.h"
#include "fp_tcp_peer.h"

#define B_SERVER_IP	"198.18.0.2/24"
#define B_HOST		"198.18.0.2"
#define B_PORT		80
#define B_CLIENT_NET	0xc6120000u	/* 198.18.0.0, host order */
#define B_CLIENT_IP0	10		/* clients are 198.18.0.10 ... */
#define B_CLIENT_IPS	64		/* ... to 198.18.0.73 */
#define B_PORT0		1024		/* first client port */
#define B_BODY_LEN	1024u
#define B_MSS		1460
#define B_WSCALE	7
#define B_WND		502		/* client window, << B_WSCALE: 64256 */
#define B_MAX_SLOTS	1024		/* connections open at once */
#define B_MAP		4096		/* id -> slot map, a power of 2 over B_MAX_SLOTS */
#define B_WIRE		4096		/* frames the fake TX ring holds */
#define B_SEG_MAX	2048		/* the first response's segment, checked in full */

static const char b_get[] = "GET / HTTP/1.1\r\nHost: " B_HOST "\r\n"
	"User-Agent: fp-bench\r\nAccept: */*\r\n\r\n";
static const char b_get_close[] = "GET / HTTP/1.1\r\nHost: " B_HOST "\r\n"
	"User-Agent: fp-bench\r\nAccept: */*\r\nConnection: close\r\n\r\n";
/* --handler: the same body from a handler route with a parameter. */
static const char b_get_hello[] = "GET /hello/bench HTTP/1.1\r\nHost: " B_HOST "\r\n"
	"User-Agent: fp-bench\r\nAccept: */*\r\n\r\n";
static const char b_get_hello_close[] = "GET /hello/bench HTTP/1.1\r\nHost: " B_HOST "\r\n"
	"User-Agent: fp-bench\r\nAccept: */*\r\nConnection: close\r\n\r\n";

enum b_scn {
	B_KEEPALIVE,	/* N requests over a few persistent connections */
	B_CONN,		/* N connections: the client closes first, the server frees */
	B_CLOSE,	/* N connections with Connection: close: the server closes
			 * first and ends in TIME-WAIT
			 */
	B_NB_SCN
};

static const char *const b_scn_names[B_NB_SCN] = { "keepalive", "conn", "close" };

/* The client's side of one connection. */
enum b_state {
	B_FREE,		/* no connection in this slot */
	B_SEND_SYN,
	B_WAIT_SYNACK,
	B_SEND_REQ,	/* ACK + request in one segment */
	B_WAIT_RESP,
	B_HOLD,		/* keep-alive: no requests left, waiting to close */
	B_SEND_FIN,	/* FIN + ACK */
	B_WAIT_FIN,	/* we closed first: for the server's FIN */
	B_WAIT_FINACK,	/* the server closed first: for the ACK of our FIN */
	B_SEND_LAST,	/* the final ACK */
};

struct b_conn {
	uint32_t id;		/* picks the 4-tuple */
	uint32_t ip;		/* network order */
	uint16_t port;		/* network order */
	uint8_t state;
	uint8_t fin_rcvd;
	uint32_t snd_nxt;
	uint32_t rcv_nxt;
	uint32_t ts_ecr;	/* the server's last TSval */
	uint32_t resp_left;	/* bytes of the response under way still to come */
};

struct b_opts {
	unsigned int scn_mask;
	uint64_t requests;
	uint64_t connections;
	uint32_t conns;
	uint32_t burst;
	uint64_t warm_requests;
	uint64_t warm_connections;
	bool hw_cksum;
	bool multi_seg;
	bool cold_rx;
	bool handler;
	const char *content_type;
};

/* One measured burst. */
struct b_iter {
	uint32_t server;	/* TSC in the timed sections */
	uint32_t loop;		/* TSC of the whole iteration, client included */
	uint32_t pkts;		/* frames handed to fp_worker_burst() */
};

/* A burst that took this many times the median per frame was interrupted
 * (the VM or another process took the CPU): it is left out of the means.
 */
#define B_OUTLIER 20

/* What one scenario measured. */
struct b_result {
	uint64_t units;		/* requests or connections */
	uint64_t pkts_in;
	uint64_t pkts_out;
	uint64_t bursts;
	uint64_t server_raw;	/* TSC in the timed sections, every burst */
	uint64_t loop_raw;
	double server;		/* per frame in, interrupted bursts left out */
	double loop;
	double server_med;	/* per frame in, median over bursts */
	double loop_med;
	uint64_t dropped;	/* interrupted bursts left out */
	struct b_iter *it;
	uint64_t nb_it;
	uint64_t cap_it;
};

static struct {
	struct fp_lcore *lc;
	struct fp_http_server *srv;
	struct fp_iface ifc;
	uint64_t tick;
	uint64_t cyc;			/* TSC of this burst's timed sections */
	/* The fake TX ring: frames the stack sent, until the "NIC" is done. */
	struct rte_mbuf *wire[B_WIRE];
	uint32_t nb_wire;
	uint64_t wire_lost;
	/* The client. */
	enum b_scn scn;
	bool cold_rx;
	struct b_conn conns[B_MAX_SLOTS];
	uint16_t slot_of[B_MAP];
	uint32_t next_id;
	uint32_t ts;
	const char *req;
	uint32_t req_len;
	uint32_t resp_len;		/* learnt from the first response */
	uint64_t reqs_sent;
	uint64_t reqs_total;
	uint64_t done;			/* connections closed */
	uint64_t tx_hw_cksum;		/* frames left to the "NIC" to checksum */
	uint64_t tx_sw_cksum;		/* frames checksummed by the stack */
	uint64_t tx_pure_ack;
	uint8_t body[B_BODY_LEN];
	struct fp_peer peer;		/* builds, checks and parses the frames */
	struct fp_peer_seg seg;		/* the server's frame being read */
	uint64_t errors;
	char error[256];
} b;

static void
b_fail(const char *fmt, ...) __rte_format_printf(1, 2);

static void
b_fail(const char *fmt, ...)
{
	va_list ap;

	if (b.errors++ != 0)
		return;
	va_start(ap, fmt);
	vsnprintf(b.error, sizeof(b.error), fmt, ap);
	va_end(ap);
}

/* The peer's checks of what the server sent, and its own failures. */
static void
b_peer_fail(struct fp_peer *p __rte_unused, const char *msg)
{
	b_fail("peer: %s", msg);
}

static void
b_die(const char *fmt, ...) __rte_format_printf(1, 2);

static void
b_die(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "fp-bench: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(1);
}

/* The TX queue's flush: hands the frames to the fake TX ring, as
 * rte_eth_tx_burst() hands them to a NIC, and counts them like
 * fp_worker_flush(). The ring is freed after the client has read it.
 */
static void
b_txq_flush(struct fp_txq *q)
{
	struct fp_lcore *lc = container_of(q, struct fp_lcore, txq);
	uint16_t i;

	for (i = 0; i < q->len; i++) {
		if (unlikely(b.nb_wire == B_WIRE)) {
			b.wire_lost++;
			rte_pktmbuf_free(q->pkts[i]);
			continue;
		}
		b.wire[b.nb_wire++] = q->pkts[i];
	}
	fp_count(&lc->stats, FP_C_tx_packets, q->len);
	fp_count(&lc->stats, FP_C_tx_bytes, q->bytes);
	q->len = 0;
	q->bytes = 0;
}

/* Timed: what the worker loop does for one received burst. Not inlined, so
 * that a profiler can collect inside it only.
 */
static __rte_noinline void
b_server_burst(struct rte_mbuf **pkts, uint16_t n)
{
	struct fp_lcore *lc = b.lc;
	uint64_t t0 = rte_rdtsc();

	if (unlikely(t0 - b.tick >= lc->timer_tsc)) {
		fp_tcp_clock(&lc->tcp, t0);
		fp_tcp_timers(&lc->tcp);
		b.tick = t0;
	}
	lc->now = t0;
	fp_tcp_clock(&lc->tcp, t0);
	fp_worker_burst(lc, pkts, n);
	b_txq_flush(&lc->txq);
	b.cyc += rte_rdtsc() - t0;
}

/* Timed: the "NIC" is done with the frames and they are freed, as a PMD
 * frees them on TX completion.
 */
static __rte_noinline void
b_wire_free(void)
{
	uint64_t t0 = rte_rdtsc();

	rte_pktmbuf_free_bulk(b.wire, b.nb_wire);
	b.nb_wire = 0;
	b.cyc += rte_rdtsc() - t0;
}

static void
b_tuple(uint32_t id, uint32_t *ip, uint16_t *port)
{
	*ip = rte_cpu_to_be_32(B_CLIENT_NET | (B_CLIENT_IP0 + id % B_CLIENT_IPS));
	*port = rte_cpu_to_be_16(B_PORT0 + id / B_CLIENT_IPS);
}

static struct b_conn *
b_find(uint32_t ip, uint16_t port)
{
	uint32_t h = rte_be_to_cpu_32(ip), p = rte_be_to_cpu_16(port), id, last = h & 0xff;
	struct b_conn *c;

	if ((h & 0xffffff00u) != B_CLIENT_NET || last < B_CLIENT_IP0 ||
			last >= B_CLIENT_IP0 + B_CLIENT_IPS || p < B_PORT0)
		return NULL;
	id = (p - B_PORT0) * B_CLIENT_IPS + last - B_CLIENT_IP0;
	c = &b.conns[b.slot_of[id % B_MAP]];
	return c->id == id && c->state != B_FREE ? c : NULL;
}

static void
b_open(uint32_t slot)
{
	struct b_conn *c = &b.conns[slot];

	memset(c, 0, sizeof(*c));
	c->id = b.next_id++;
	b_tuple(c->id, &c->ip, &c->port);
	c->snd_nxt = c->id * 2654435761u;
	c->state = B_SEND_SYN;
	b.slot_of[c->id % B_MAP] = slot;
}

/* Evicts a frame's data from the caches, as a NIC's DMA write would. */
static void
b_evict(const struct rte_mbuf *m)
{
#ifdef RTE_ARCH_X86
	const char *p = RTE_PTR_ALIGN_FLOOR(rte_pktmbuf_mtod(m, const char *),
		RTE_CACHE_LINE_SIZE);
	const char *end = rte_pktmbuf_mtod_offset(m, const char *, m->data_len);

	for (; p < end; p += RTE_CACHE_LINE_SIZE)
		_mm_clflush(p);
#else
	RTE_SET_USED(m);
#endif
}

/* One client segment, built by the peer in the worker's pool as a PMD would
 * fill it, with Linux's options (SYN: MSS, SACK permitted, timestamps, scale).
 */
static struct rte_mbuf *
b_frame(struct b_conn *c, uint8_t flags, const char *data, uint32_t len)
{
	bool syn = (flags & RTE_TCP_SYN_FLAG) != 0;
	struct fp_tcp_opts o = {
		.mss = syn ? B_MSS : 0,
		.wscale = syn ? B_WSCALE : 0xff,
		.sack_ok = syn,
		.has_ts = true,
		.tsval = b.ts,
		.tsecr = c->ts_ecr,
	};
	uint8_t opt[FP_PEER_OPT_MAX];
	struct fp_peer_spec sp;
	struct rte_mbuf *m;

	fp_peer_spec_init(&sp, rte_be_to_cpu_16(c->port), B_PORT, flags, c->snd_nxt,
		(flags & RTE_TCP_ACK_FLAG) ? c->rcv_nxt : 0);
	sp.src = c->ip;
	/* A SYN's window is never scaled (RFC 7323 2.2). */
	sp.wnd = syn ? 64240 : B_WND;
	sp.opt = opt;
	sp.optlen = fp_peer_write_opts(opt, &o);
	sp.data = data;
	sp.len = len;
	m = fp_peer_build(&b.peer, &sp);
	if (m == NULL)
		return NULL;
	m->packet_type = RTE_PTYPE_L2_ETHER | RTE_PTYPE_L3_IPV4 | RTE_PTYPE_L4_TCP;
	if (b.ifc.rx_ip_cksum)
		m->ol_flags |= RTE_MBUF_F_RX_IP_CKSUM_GOOD;
	if (b.ifc.rx_tcp_cksum)
		m->ol_flags |= RTE_MBUF_F_RX_L4_CKSUM_GOOD;
	c->snd_nxt += len + (syn ? 1 : 0) + ((flags & RTE_TCP_FIN_FLAG) ? 1 : 0);
	if (b.cold_rx)
		b_evict(m);
	return m;
}

static bool
b_sendable(const struct b_conn *c)
{
	return c->state == B_SEND_SYN || c->state == B_SEND_REQ || c->state == B_SEND_FIN ||
		c->state == B_SEND_LAST;
}

/* The client's next segment on c. */
static struct rte_mbuf *
b_next(struct b_conn *c)
{
	struct rte_mbuf *m = NULL;

	switch (c->state) {
	case B_SEND_SYN:
		m = b_frame(c, RTE_TCP_SYN_FLAG, NULL, 0);
		c->state = B_WAIT_SYNACK;
		break;
	case B_SEND_REQ:
		m = b_frame(c, RTE_TCP_ACK_FLAG | RTE_TCP_PSH_FLAG, b.req, b.req_len);
		c->state = B_WAIT_RESP;
		c->resp_left = 0;
		b.reqs_sent++;
		break;
	case B_SEND_FIN:
		m = b_frame(c, RTE_TCP_FIN_FLAG | RTE_TCP_ACK_FLAG, NULL, 0);
		c->state = c->fin_rcvd ? B_WAIT_FINACK : B_WAIT_FIN;
		break;
	case B_SEND_LAST:
		m = b_frame(c, RTE_TCP_ACK_FLAG, NULL, 0);
		c->state = B_FREE;
		b.done++;
		break;
	default:
		break;
	}
	return m;
}

/* Checks the first response of a scenario in full and learns its length. */
static void
b_check_first(const struct rte_mbuf *m, uint32_t off, uint32_t plen)
{
	static const char status[] = "HTTP/1.1 200 OK\r\n";
	char buf[B_SEG_MAX + 1], *end, *date, *cl;
	const char *p;
	uint32_t hl;

	if (plen > B_SEG_MAX) {
		b_fail("server: first response segment of %u bytes", plen);
		return;
	}
	p = rte_pktmbuf_read(m, off, plen, buf);
	if (p == NULL) {
		b_fail("server: cannot read the response");
		return;
	}
	if (p != buf)
		memcpy(buf, p, plen);
	buf[plen] = '\0';
	end = strstr(buf, "\r\n\r\n");
	if (strncmp(buf, status, sizeof(status) - 1) != 0 || end == NULL) {
		b_fail("server: response is not 200 OK with its head in one segment: %.40s",
			buf);
		return;
	}
	hl = end + 4 - buf;
	*end = '\0';
	date = strstr(buf, "\r\nDate: ");
	cl = strstr(buf, "\r\nContent-Length: ");
	if (date == NULL || strcspn(date + 8, "\r") != 29 || memchr(date + 8, 'X', 29) != NULL)
		b_fail("server: bad Date header");
	if (cl == NULL || strtoul(cl + 18, NULL, 10) != B_BODY_LEN)
		b_fail("server: Content-Length is not %u", B_BODY_LEN);
	if ((strstr(buf, "\r\nConnection: close") != NULL) != (b.scn == B_CLOSE))
		b_fail("server: Connection: close %s", b.scn == B_CLOSE ? "missing" : "unasked");
	if (plen > hl && memcmp(buf + hl, b.body, RTE_MIN(plen - hl, B_BODY_LEN)) != 0)
		b_fail("server: the body differs from the file");
	b.resp_len = hl + B_BODY_LEN;
}

/* Response bytes for c at offset off of m. */
static void
b_resp_data(struct b_conn *c, const struct rte_mbuf *m, uint32_t off, uint32_t plen)
{
	char head[13];
	const char *p;

	if (c->state != B_WAIT_RESP) {
		b_fail("server: %u bytes in client state %u", plen, c->state);
		return;
	}
	if (c->resp_left == 0) {
		if (b.resp_len == 0)
			b_check_first(m, off, plen);
		p = rte_pktmbuf_read(m, off, sizeof(head), head);
		if (p == NULL || memcmp(p, "HTTP/1.1 200", sizeof(head) - 1) != 0) {
			b_fail("server: a response is not 200 OK");
			return;
		}
		c->resp_left = b.resp_len;
	}
	if (plen > c->resp_left) {
		b_fail("server: %u response bytes where %u were left", plen, c->resp_left);
		return;
	}
	c->resp_left -= plen;
}

/* The client receives one frame the stack sent: the peer checks it (headers,
 * addresses, checksums or the offload's pseudo-header sum, options) and
 * parses it.
 */
static void
b_client_rx(const struct rte_mbuf *m)
{
	const struct fp_peer_seg *s = &b.seg;
	uint32_t plen, seq, ack;
	struct b_conn *c;
	uint8_t fl;

	if (fp_peer_parse(&b.peer, &b.seg, m) != 0)
		return;
	if (s->tx_cksum)
		b.tx_hw_cksum++;
	else
		b.tx_sw_cksum++;
	c = b_find(s->dst, rte_cpu_to_be_16(s->dport));
	if (c == NULL) {
		b_fail("server: frame (flags %#x) for no open client connection", s->flags);
		return;
	}
	fl = s->flags;
	seq = s->seq;
	ack = s->ack;
	plen = s->len;
	if (fl & RTE_TCP_RST_FLAG) {
		b_fail("server: RST on connection %u in client state %u", c->id, c->state);
		return;
	}
	if (!(fl & RTE_TCP_ACK_FLAG) || fp_seq_gt(ack, c->snd_nxt)) {
		b_fail("server: bad ACK on connection %u", c->id);
		return;
	}
	if (!s->ts) {
		b_fail("server: no timestamp option though both sides offered it");
		return;
	}
	c->ts_ecr = s->tsval;
	if (c->state == B_WAIT_SYNACK) {
		if (!(fl & RTE_TCP_SYN_FLAG) || plen != 0 || ack != c->snd_nxt) {
			b_fail("server: no SYN-ACK for connection %u", c->id);
			return;
		}
		c->rcv_nxt = seq + 1;
		c->state = B_SEND_REQ;
		return;
	}
	if ((fl & RTE_TCP_SYN_FLAG) || seq != c->rcv_nxt) {
		b_fail("server: unexpected seq %u (want %u) flags %#x on connection %u",
			seq, c->rcv_nxt, fl, c->id);
		return;
	}
	if (plen != 0) {
		b_resp_data(c, m, s->off, plen);
		c->rcv_nxt += plen;
	}
	if (fl & RTE_TCP_FIN_FLAG) {
		c->rcv_nxt++;
		c->fin_rcvd = 1;
	}
	if (plen == 0 && !(fl & RTE_TCP_FIN_FLAG))
		b.tx_pure_ack++;
	switch (c->state) {
	case B_WAIT_RESP:
		if (c->resp_left != 0 || plen == 0)
			break;
		if (b.scn == B_CLOSE) {
			if (!c->fin_rcvd)
				b_fail("server: no FIN after Connection: close");
			c->state = B_SEND_FIN;
		} else if (b.scn == B_CONN) {
			c->state = B_SEND_FIN;
		} else {
			c->state = b.reqs_sent < b.reqs_total ? B_SEND_REQ : B_HOLD;
		}
		break;
	case B_WAIT_FIN:
		if (c->fin_rcvd && ack == c->snd_nxt)
			c->state = B_SEND_LAST;
		break;
	case B_WAIT_FINACK:
		if (ack == c->snd_nxt) {
			c->state = B_FREE;
			b.done++;
		}
		break;
	default:
		if (plen != 0 || (fl & RTE_TCP_FIN_FLAG))
			b_fail("server: data or FIN in client state %u", c->state);
		break;
	}
}

static bool
b_waiting(const struct b_conn *c)
{
	return c->state == B_WAIT_SYNACK || c->state == B_WAIT_RESP ||
		c->state == B_WAIT_FIN || c->state == B_WAIT_FINACK;
}

static int
b_record(struct b_result *r, uint64_t server, uint64_t loop, uint32_t pkts)
{
	struct b_iter *it;

	if (r->nb_it == r->cap_it) {
		r->cap_it = r->cap_it != 0 ? 2 * r->cap_it : 65536;
		it = realloc(r->it, r->cap_it * sizeof(*it));
		if (it == NULL) {
			b_fail("bench: out of memory for %" PRIu64 " bursts", r->cap_it);
			return -1;
		}
		r->it = it;
	}
	it = &r->it[r->nb_it++];
	it->server = RTE_MIN(server, (uint64_t)UINT32_MAX);
	it->loop = RTE_MIN(loop, (uint64_t)UINT32_MAX);
	it->pkts = pkts;
	r->server_raw += server;
	r->loop_raw += loop;
	return 0;
}

static int
b_cmp_double(const void *a, const void *b2)
{
	double x = *(const double *)a, y = *(const double *)b2;

	return x < y ? -1 : x > y;
}

/* Per frame in: the median over bursts, and the mean without the bursts
 * that took over B_OUTLIER times the median (interrupted).
 */
static int
b_summary(const struct b_result *r, bool loop, double *med, double *mean, uint64_t *dropped)
{
	uint64_t i, sum = 0, pkts = 0;
	double *v = malloc(sizeof(*v) * RTE_MAX(r->nb_it, (uint64_t)1));

	if (v == NULL)
		return -1;
	for (i = 0; i < r->nb_it; i++)
		v[i] = (double)(loop ? r->it[i].loop : r->it[i].server) / r->it[i].pkts;
	qsort(v, r->nb_it, sizeof(*v), b_cmp_double);
	*med = r->nb_it != 0 ? v[r->nb_it / 2] : 0;
	*dropped = 0;
	for (i = 0; i < r->nb_it; i++) {
		uint32_t c = loop ? r->it[i].loop : r->it[i].server;

		if (c > B_OUTLIER * *med * r->it[i].pkts) {
			(*dropped)++;
			continue;
		}
		sum += c;
		pkts += r->it[i].pkts;
	}
	*mean = pkts != 0 ? (double)sum / pkts : 0;
	free(v);
	return 0;
}

/* Runs one scenario. Returns 0, or -1 on a wrong answer (b.error says). */
static int
b_run(enum b_scn scn, const struct b_opts *o, struct b_result *r)
{
	struct rte_mbuf *pkts[FP_BURST_MAX];
	struct b_conn *sent[FP_BURST_MAX];
	uint64_t total_new, warm, units0 = 0, t_end, t_it, reqs;
	uint32_t nslots, cap, rr = 0, s, k, i, n, opened_now, holding;
	bool meas, started = false;

	memset(b.conns, 0, sizeof(b.conns));
	b.scn = scn;
	b.resp_len = 0;
	if (o->handler)
		b.req = scn == B_CLOSE ? b_get_hello_close : b_get_hello;
	else
		b.req = scn == B_CLOSE ? b_get_close : b_get;
	b.req_len = strlen(b.req);
	b.reqs_sent = 0;
	b.done = 0;
	if (scn == B_KEEPALIVE) {
		nslots = o->conns;
		total_new = nslots;
		cap = o->burst;
		warm = o->warm_requests;
		b.reqs_total = warm + o->requests;
	} else {
		/* Each slot cycles through 4 (3) bursts per connection; opening
		 * a quarter (third) of them per burst staggers the stages, so
		 * a burst mixes SYNs, requests and closes as a busy server's do.
		 */
		nslots = o->burst;
		cap = RTE_MAX(o->burst / (scn == B_CONN ? 4 : 3), 1u);
		warm = o->warm_connections;
		total_new = warm + o->connections;
		b.reqs_total = UINT64_MAX;
	}
	if ((uint64_t)b.next_id + total_new > (uint64_t)B_CLIENT_IPS * (65535 - B_PORT0))
		b_die("too many connections for the client 4-tuples");

	for (;;) {
		t_it = rte_rdtsc();
		if (scn == B_KEEPALIVE)
			meas = b.reqs_sent >= warm && b.reqs_sent < b.reqs_total;
		else
			meas = b.done >= warm;
		if (meas && !started) {
			started = true;
			units0 = scn == B_KEEPALIVE ? b.reqs_sent : b.done;
		}
		/* Build the burst: one segment per ready connection, round robin. */
		n = 0;
		opened_now = 0;
		reqs = b.reqs_sent;
		b.ts++;
		for (k = 0; k < nslots && n < o->burst; k++) {
			s = (rr + k) % nslots;
			if (b.conns[s].state == B_FREE) {
				if (opened_now == cap || total_new == 0)
					continue;
				total_new--;	/* from here on: connections left to open */
				opened_now++;
				b_open(s);
			}
			if (!b_sendable(&b.conns[s]))
				continue;
			sent[n] = &b.conns[s];
			pkts[n] = b_next(&b.conns[s]);
			if (pkts[n] == NULL)
				return -1;
			n++;
		}
		rr = (rr + k) % nslots;
		if (n == 0) {
			holding = 0;
			for (s = 0; s < nslots; s++) {
				if (b.conns[s].state == B_HOLD) {
					b.conns[s].state = B_SEND_FIN;
					holding++;
				} else if (b.conns[s].state != B_FREE) {
					b_fail("client: stalled in state %u", b.conns[s].state);
					return -1;
				}
			}
			if (holding != 0)
				continue;
			break;	/* every connection is closed */
		}

		b.cyc = 0;
		b_server_burst(pkts, n);
		for (i = 0; i < b.nb_wire; i++)
			b_client_rx(b.wire[i]);
		if (meas) {
			r->pkts_out += b.nb_wire;
			r->pkts_in += n;
			r->bursts++;
		}
		b_wire_free();
		if (meas) {
			t_end = rte_rdtsc();
			if (scn == B_KEEPALIVE)
				r->units += b.reqs_sent - reqs;
			if (b_record(r, b.cyc, t_end - t_it, n) != 0)
				return -1;
		}
		for (i = 0; i < n; i++)
			if (b_waiting(sent[i]))
				b_fail("server: no answer on connection %u in client state %u",
					sent[i]->id, sent[i]->state);
		if (b.wire_lost != 0)
			b_fail("bench: the fake TX ring overflowed");
		if (b.errors != 0)
			return -1;
	}
	if (scn != B_KEEPALIVE)
		r->units = b.done - units0;
	return 0;
}

static void
b_usage(FILE *f)
{
	fprintf(f,
		"Usage: fp-bench [EAL options] -- [options]\n"
		"\n"
		"Cycles per HTTP request and per TCP connection through fp_worker_burst(),\n"
		"with a synthetic client and no port. Always give EAL --no-pci; e.g.\n"
		"  fp-bench --no-huge --no-pci --no-shconf --no-telemetry -m 512 \\\n"
		"      --lcores=0@1 --file-prefix=fp-bench -- -s all\n"
		"\n"
		"  -s, --scenario S       keepalive, conn, close or all (default all)\n"
		"  -n, --requests N       keep-alive requests measured (default 1000000)\n"
		"  -N, --connections N    connections measured per connection scenario\n"
		"                         (default 200000)\n"
		"  -c, --conns N          keep-alive connections, round robin (default 64)\n"
		"  -b, --burst N          packets per RX burst (default 32)\n"
		"      --warmup-requests N, --warmup-connections N\n"
		"                         run before measuring (default 16 per connection, 2048)\n"
		"      --cksum hw|sw      checksums by the \"NIC\" (RX and TX offload flags)\n"
		"                         or in software (default hw)\n"
		"      --copy-body        a port without multi-segment TX: bodies copied\n"
		"      --cold-rx          evict received frames from the caches (as DMA would)\n"
		"      --content-type T   Content-Type of the body (changes the head length)\n"
		"      --handler          GET /hello/{name}: a handler route with a parameter\n"
		"                         answers the same body, copied (fp_http_set_body)\n"
		"  -h, --help\n");
}

static uint64_t
b_num(const char *opt, const char *v, uint64_t min, uint64_t max)
{
	unsigned long long x;
	char *end;

	errno = 0;
	x = strtoull(v, &end, 10);
	if (errno != 0 || end == v || *end != '\0' || x < min || x > max)
		b_die("%s: '%s' is not a number from %" PRIu64 " to %" PRIu64, opt, v, min, max);
	return x;
}

enum {
	OPT_CKSUM = 256,
	OPT_COPY_BODY,
	OPT_COLD_RX,
	OPT_CONTENT_TYPE,
	OPT_WARM_REQ,
	OPT_WARM_CONN,
	OPT_HANDLER,
};

static void
b_parse(int argc, char **argv, struct b_opts *o)
{
	static const struct option longopts[] = {
		{ "scenario", required_argument, NULL, 's' },
		{ "requests", required_argument, NULL, 'n' },
		{ "connections", required_argument, NULL, 'N' },
		{ "conns", required_argument, NULL, 'c' },
		{ "burst", required_argument, NULL, 'b' },
		{ "cksum", required_argument, NULL, OPT_CKSUM },
		{ "copy-body", no_argument, NULL, OPT_COPY_BODY },
		{ "cold-rx", no_argument, NULL, OPT_COLD_RX },
		{ "content-type", required_argument, NULL, OPT_CONTENT_TYPE },
		{ "warmup-requests", required_argument, NULL, OPT_WARM_REQ },
		{ "warmup-connections", required_argument, NULL, OPT_WARM_CONN },
		{ "handler", no_argument, NULL, OPT_HANDLER },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	bool warm_set = false;
	unsigned int i;
	int c;

	memset(o, 0, sizeof(*o));
	o->scn_mask = (1u << B_NB_SCN) - 1;
	o->requests = 1000000;
	o->connections = 200000;
	o->conns = 64;
	o->burst = 32;
	o->warm_connections = 2048;
	o->hw_cksum = true;
	o->multi_seg = true;
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":s:n:N:c:b:h", longopts, NULL)) != -1) {
		switch (c) {
		case 's':
			if (strcmp(optarg, "all") == 0) {
				o->scn_mask = (1u << B_NB_SCN) - 1;
				break;
			}
			for (i = 0; i < B_NB_SCN; i++)
				if (strcmp(optarg, b_scn_names[i]) == 0)
					break;
			if (i == B_NB_SCN)
				b_die("--scenario: keepalive, conn, close or all, not '%s'",
					optarg);
			o->scn_mask = 1u << i;
			break;
		case 'n':
			o->requests = b_num("--requests", optarg, 1, UINT32_MAX);
			break;
		case 'N':
			o->connections = b_num("--connections", optarg, 1, 2000000);
			break;
		case 'c':
			o->conns = b_num("--conns", optarg, 1, B_MAX_SLOTS);
			break;
		case 'b':
			o->burst = b_num("--burst", optarg, 1, FP_BURST_MAX);
			break;
		case OPT_CKSUM:
			if (strcmp(optarg, "hw") != 0 && strcmp(optarg, "sw") != 0)
				b_die("--cksum: hw or sw, not '%s'", optarg);
			o->hw_cksum = strcmp(optarg, "hw") == 0;
			break;
		case OPT_COPY_BODY:
			o->multi_seg = false;
			break;
		case OPT_COLD_RX:
			o->cold_rx = true;
			break;
		case OPT_HANDLER:
			o->handler = true;
			break;
		case OPT_CONTENT_TYPE:
			o->content_type = optarg;
			break;
		case OPT_WARM_REQ:
			o->warm_requests = b_num("--warmup-requests", optarg, 0, UINT32_MAX);
			warm_set = true;
			break;
		case OPT_WARM_CONN:
			o->warm_connections = b_num("--warmup-connections", optarg, 0, 2000000);
			break;
		case 'h':
			b_usage(stdout);
			exit(0);
		case ':':
			b_die("%s: needs an argument (see --help)", argv[optind - 1]);
			break;
		default:
			b_die("%s: unknown option (see --help)", argv[optind - 1]);
		}
	}
	if (optind < argc)
		b_die("%s: unexpected argument (see --help)", argv[optind]);
	if (!warm_set)
		o->warm_requests = 16ull * o->conns;
	/* Each open connection has at most one segment in a burst. */
	if (o->warm_requests < o->conns)
		o->warm_requests = o->conns;
}

/* A 1 KB body in a temporary file, loaded by the server as a [route]. */
static void
b_body_file(char *path, size_t len)
{
	unsigned int i;
	FILE *f;
	int fd;

	for (i = 0; i < B_BODY_LEN; i++)
		b.body[i] = i % 64 == 63 ? '\n' : 'a' + i % 26;
	snprintf(path, len, "/tmp/fp-bench-XXXXXX.html");
	fd = mkstemps(path, 5);
	if (fd < 0)
		b_die("cannot create a temporary file: %s", strerror(errno));
	f = fdopen(fd, "w");
	if (f == NULL || fwrite(b.body, 1, B_BODY_LEN, f) != B_BODY_LEN || fclose(f) != 0)
		b_die("cannot write %s", path);
}

static int
b_cmp_u64(const void *a, const void *b2)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b2;

	return x < y ? -1 : x > y;
}

/* Back-to-back rte_rdtsc(), the median of many: what each timed section adds
 * (two per burst; not subtracted from the figures).
 */
static uint64_t
b_rdtsc_cost(void)
{
	static uint64_t d[1001];
	uint64_t t0, t1;
	unsigned int i;

	for (i = 0; i < RTE_DIM(d); i++) {
		t0 = rte_rdtsc();
		t1 = rte_rdtsc();
		d[i] = t1 - t0;
	}
	qsort(d, RTE_DIM(d), sizeof(d[0]), b_cmp_u64);
	return d[RTE_DIM(d) / 2];
}

static void
b_print(enum b_scn scn, const struct b_opts *o, struct b_result *r, const char *end)
{
	double u = r->units != 0 ? (double)r->units : 1, ppu = r->pkts_in / u;
	const char *unit = scn == B_KEEPALIVE ? "req" : "conn";
	uint64_t dl = 0;

	if (b_summary(r, false, &r->server_med, &r->server, &r->dropped) != 0 ||
			b_summary(r, true, &r->loop_med, &r->loop, &dl) != 0)
		b_die("out of memory");
	/* Per unit: per frame in, times the frames a unit takes. */
	printf("RESULT scenario=%s cksum=%s multiseg=%s cold_rx=%s units=%" PRIu64 " unit=%s "
		"server=%.1f server_med=%.1f server_raw=%.1f loop=%.1f loop_med=%.1f "
		"pkts_in=%.2f pkts_out=%.2f bursts=%" PRIu64 " interrupted=%" PRIu64 " end=%s\n",
		b_scn_names[scn], o->hw_cksum ? "hw" : "sw", o->multi_seg ? "yes" : "no",
		o->cold_rx ? "yes" : "no", r->units, unit, r->server * ppu,
		r->server_med * ppu, r->server_raw / u, r->loop * ppu, r->loop_med * ppu,
		ppu, r->pkts_out / u, r->bursts, RTE_MAX(r->dropped, dl), end);
	fflush(stdout);
}

/* What the stack holds must be back at its baseline once every connection
 * is closed: mbufs, request buffers, body references.
 */
static int
b_check_leaks(unsigned int pool0, unsigned int zc0)
{
	struct fp_lcore *lc = b.lc;
	const struct fp_stats *st = &lc->stats;
	unsigned int pool = rte_mempool_in_use_count(lc->pool);
	unsigned int zc = rte_mempool_in_use_count(lc->zc_pool);
	unsigned int rx = rte_mempool_in_use_count(lc->http.rxbufs);
	uint16_t ref = rte_mbuf_ext_refcnt_read(fp_http_shinfo(b.srv, 0, 0));
	int ret = 0;
	unsigned int k;

	printf("check: mbufs in use %u (baseline %u), zero-copy mbufs %u (baseline %u), "
		"request buffers %u, body refcnt %u, open tcbs %u (TIME-WAIT %" PRId64 ")\n",
		pool, pool0, zc, zc0, rx, ref, fp_tcp_nb_conns(&lc->tcp),
		st->g[FP_G_tcp_time_wait]);
	if (pool != pool0 || zc != zc0 || rx != 0 || ref != 1 ||
			fp_tcp_nb_conns(&lc->tcp) != (uint32_t)st->g[FP_G_tcp_time_wait]) {
		printf("check: LEAK\n");
		ret = -1;
	}
	for (k = 0; k < FP_DROP_MAX; k++)
		if (st->drop[k] != 0) {
			printf("check: drop %s = %" PRIu64 "\n", fp_drop_names[k], st->drop[k]);
			ret = -1;
		}
	printf("check: tx frames: %" PRIu64 " checksummed by the stack, %" PRIu64
		" left to the port; %" PRIu64 " pure ACKs\n", b.tx_sw_cksum, b.tx_hw_cksum,
		b.tx_pure_ack);
	return ret;
}

/* GET /hello/{name}: the file's bytes again, from a handler. */
static int
b_hello(struct fp_http_ctx *x, void *arg __rte_unused)
{
	struct fp_http_slice name = fp_http_ctx_param(x, "name");

	if (name.len != 5 || memcmp(name.p, "bench", 5) != 0) {
		fp_http_set_error(x, 400, false);
		return FP_HTTP_DONE;
	}
	fp_http_set_type(x, "application/octet-stream");
	if (fp_http_set_body(x, b.body, B_BODY_LEN) != 0)
		fp_http_set_error(x, 503, false);
	return FP_HTTP_DONE;
}

int
main(int argc, char **argv)
{
	char file[64], ipbuf[INET_ADDRSTRLEN];
	struct fp_http_server *srv;
	struct fp_config cfg;
	struct b_result r;
	struct b_opts o;
	struct fp_err err;
	unsigned int pool0, zc0, s;
	uint64_t tw0;
	int ret, status = 0;

	ret = rte_eal_init(argc, argv);
	if (ret < 0)
		b_die("EAL initialisation failed: %s", rte_strerror(rte_errno));
	b_parse(argc - ret, argv + ret, &o);

	b_body_file(file, sizeof(file));
	if (fp_config_defaults(&cfg) != 0 ||
			fp_config_set(&cfg, "fp-bench", "ip", "address", B_SERVER_IP, &err) != 0)
		b_die("cannot set up the configuration");
	snprintf(cfg.routes[0].path, sizeof(cfg.routes[0].path), "/");
	snprintf(cfg.routes[0].file, sizeof(cfg.routes[0].file), "%s", file);
	if (o.content_type != NULL)
		snprintf(cfg.routes[0].content_type, sizeof(cfg.routes[0].content_type), "%s",
			o.content_type);
	cfg.routes[0].status = 200;
	cfg.nb_routes = 1;
	if (fp_config_validate(&cfg, &err) != 0)
		b_die("%s", err.msg);

	srv = fp_http_server_create(&cfg, 1, &err);
	unlink(file);
	if (srv == NULL)
		b_die("%s", err.msg);
	b.srv = srv;
	if (o.handler && fp_http_route(srv, FP_HTTP_MB(FP_HTTP_M_GET), "/hello/{name}", b_hello,
			NULL) != 0)
		b_die("cannot register the handler");
	b.lc = rte_zmalloc("fp_bench_lcore", sizeof(*b.lc), RTE_CACHE_LINE_SIZE);
	if (b.lc == NULL)
		b_die("no memory for the worker");
	if (fp_lcore_init(b.lc, &cfg, rte_lcore_id(), 0, 1, srv, &err) != 0)
		b_die("%s", err.msg);

	/* A port with every offload, or none (checksums in software). */
	b.ifc.port_id = 0;
	b.ifc.mac = (struct rte_ether_addr){ { 0x02, 0, 0, 0, 0, 0x02 } };
	b.ifc.ip = cfg.ip;
	b.ifc.mtu = cfg.mtu;
	b.ifc.prefix_len = cfg.prefix_len;
	b.ifc.netmask = fp_ipv4_netmask(cfg.prefix_len);
	b.ifc.tx_ip_cksum = o.hw_cksum;
	b.ifc.rx_ip_cksum = o.hw_cksum;
	b.ifc.tx_tcp_cksum = o.hw_cksum;
	b.ifc.rx_tcp_cksum = o.hw_cksum;
	b.ifc.tx_multi_seg = o.multi_seg;
	b.cold_rx = o.cold_rx;
	fp_lcore_attach(b.lc, &b.ifc);
	/* The clients' side; the worker's own TX queue stays the fake ring. */
	fp_peer_init(&b.peer, &b.lc->tcp, b.lc->pool, B_PORT);
	b.peer.ip = b.ifc.ip;
	b.peer.mac = b.ifc.mac;
	b.peer.cli_mac = (struct rte_ether_addr){ { 0x02, 0, 0, 0, 0, 0x01 } };
	b.peer.tx_ip_cksum = b.ifc.tx_ip_cksum;
	b.peer.tx_tcp_cksum = b.ifc.tx_tcp_cksum;
	b.peer.keep_data = false;
	b.peer.fail = b_peer_fail;
	b.lc->txq.flush = b_txq_flush;
	pool0 = rte_mempool_in_use_count(b.lc->pool);
	zc0 = rte_mempool_in_use_count(b.lc->zc_pool);
	b.tick = rte_rdtsc();

	printf("fp-bench: %s, %s, TSC %.0f MHz, rdtsc pair %" PRIu64 " cycles, "
		"lcore %u\n", rte_version(), "gcc " __VERSION__, rte_get_tsc_hz() / 1e6,
		b_rdtsc_cost(), rte_lcore_id());
	printf("fp-bench: server %s:%u, body %u B, checksums %s, multi-segment TX %s, "
		"burst %u, rx frames %s, max_conns %u, time_wait_ms %u\n",
		fp_ipv4_str(b.ifc.ip, ipbuf, sizeof(ipbuf)), B_PORT, B_BODY_LEN,
		o.hw_cksum ? "offloaded" : "software", o.multi_seg ? "yes" : "no (copied)",
		o.burst, o.cold_rx ? "evicted" : "cache-hot", cfg.max_conns, cfg.time_wait_ms);
	fflush(stdout);

	for (s = 0; s < B_NB_SCN && status == 0; s++) {
		char end[64];

		if (!(o.scn_mask & (1u << s)))
			continue;
		tw0 = b.lc->stats.c[FP_C_tcp_time_wait_reused];
		memset(&r, 0, sizeof(r));
		if (b_run(s, &o, &r) != 0) {
			printf("fp-bench: %s: FAILED: %s\n", b_scn_names[s], b.error);
			free(r.it);
			status = 1;
			break;
		}
		if (s == B_CLOSE)
			snprintf(end, sizeof(end), "time-wait(%" PRId64 "_held,%" PRIu64
				"_evicted)", b.lc->stats.g[FP_G_tcp_time_wait],
				b.lc->stats.c[FP_C_tcp_time_wait_reused] - tw0);
		else
			snprintf(end, sizeof(end), "freed");
		b_print(s, &o, &r, end);
		free(r.it);
	}
	if (b_check_leaks(pool0, zc0) != 0)
		status = 1;
	printf("check: %s; requests answered %" PRIu64 " (2xx %" PRIu64 "), passive opens %"
		PRIu64 ", closed %" PRIu64 "\n", status == 0 ? "OK" : "FAILED",
		b.lc->stats.c[FP_C_http_requests], b.lc->stats.c[FP_C_http_2xx],
		b.lc->stats.c[FP_C_tcp_passive_opens], b.lc->stats.c[FP_C_tcp_closed]);

	fp_lcore_free(b.lc);
	rte_free(b.lc);
	fp_http_server_free(srv);
	rte_eal_cleanup();
	return status;
}
