/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The fastpath authors
 */

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_common.h>
#include <rte_ip.h>

#include "fp_tcp_peer.h"
#include "fp_tcp_priv.h"

#define ETH_LEN	RTE_ETHER_HDR_LEN
#define IP_LEN	((uint32_t)sizeof(struct rte_ipv4_hdr))
#define TCP_LEN	((uint32_t)sizeof(struct rte_tcp_hdr))
#define HDRS	(ETH_LEN + IP_LEN)	/* where TCP starts in a frame */

static void
peer_fail(struct fp_peer *p, int line, const char *fmt, ...) __rte_format_printf(3, 4);

static void
peer_fail(struct fp_peer *p, int line, const char *fmt, ...)
{
	char msg[256];
	va_list ap;
	int n;

	n = snprintf(msg, sizeof(msg), "fp_tcp_peer.c:%d: ", line);
	va_start(ap, fmt);
	vsnprintf(msg + n, sizeof(msg) - n, fmt, ap);
	va_end(ap);
	if (p->fail == NULL) {
		fprintf(stderr, "%s\n", msg);
		abort();
	}
	p->fail(p, msg);
}

/* When cond is false: tells p->fail and returns ret from the caller. */
#define PEER_CHECK(p, cond, ret, ...) do { \
		if (unlikely(!(cond))) { \
			peer_fail((p), __LINE__, __VA_ARGS__); \
			return ret; \
		} \
	} while (0)

uint16_t
fp_peer_csum_fold(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)sum;
}

uint32_t
fp_peer_csum_add(uint32_t sum, const void *data, uint32_t len)
{
	const uint8_t *p = data;
	uint64_t acc = 0;
	uint32_t i, w4;
	uint16_t w;

	/* Summed in host order, which folds to the same sum with its bytes
	 * swapped on a little-endian host (RFC 1071, 2.(B)); 32-bit words fold
	 * to the sum of their halves.
	 */
	for (i = 0; i + 4 <= len; i += 4) {
		memcpy(&w4, p + i, 4);
		acc += w4;
	}
	if (len & 2) {
		memcpy(&w, p + i, 2);
		acc += w;
	}
	if (len & 1) {
		const uint8_t last[2] = { p[len - 1], 0 };

		memcpy(&w, last, 2);
		acc += w;
	}
	acc = (acc & 0xffffffff) + (acc >> 32);
	acc = (acc & 0xffffffff) + (acc >> 32);
	return sum + rte_be_to_cpu_16(fp_peer_csum_fold((uint32_t)acc));
}

/* The pseudo header's sum, unfolded. */
static uint32_t
peer_phdr_sum(uint32_t src, uint32_t dst, uint32_t len)
{
	uint8_t ph[12];

	memcpy(ph, &src, 4);
	memcpy(ph + 4, &dst, 4);
	ph[8] = 0;
	ph[9] = IPPROTO_TCP;
	ph[10] = len >> 8;
	ph[11] = len & 0xff;
	return fp_peer_csum_add(0, ph, sizeof(ph));
}

uint16_t
fp_peer_tcp_sum(uint32_t src, uint32_t dst, const void *th, uint32_t len)
{
	return fp_peer_csum_fold(fp_peer_csum_add(peer_phdr_sum(src, dst, len), th, len));
}

void
fp_peer_init(struct fp_peer *p, struct fp_tcp_lcore *t, struct rte_mempool *pool,
	uint16_t port)
{
	memset(&p->txq, 0, sizeof(p->txq));
	p->txq.flush = fp_peer_capture;
	p->t = t;
	p->pool = pool;
	p->ip = 0;
	p->cli_ip = 0;
	memset(&p->mac, 0, sizeof(p->mac));
	memset(&p->cli_mac, 0, sizeof(p->cli_mac));
	p->port = port;
	p->other_port = 0;
	p->tx_ip_cksum = false;
	p->tx_tcp_cksum = false;
	p->keep_data = true;
	p->fail = NULL;
	p->nb_out = 0;
}

/* Copies len bytes of m's chain from offset off to buf. */
static void
peer_read(const struct rte_mbuf *m, uint32_t off, uint32_t len, uint8_t *buf)
{
	uint32_t k;

	for (; m != NULL && len != 0; m = m->next, off = 0) {
		if (off >= m->data_len) {
			off -= m->data_len;
			continue;
		}
		k = RTE_MIN(m->data_len - off, len);
		memcpy(buf, rte_pktmbuf_mtod_offset(m, const uint8_t *, off), k);
		buf += k;
		len -= k;
	}
}

/* The unfolded sum of len bytes of m's chain from offset off. A piece that
 * starts at an odd offset has the bytes of its folded sum swapped.
 */
static uint32_t
peer_chain_sum(const struct rte_mbuf *m, uint32_t off, uint32_t len)
{
	uint32_t sum = 0, pos = 0, k;
	uint16_t s;

	for (; m != NULL && len != 0; m = m->next, off = 0) {
		if (off >= m->data_len) {
			off -= m->data_len;
			continue;
		}
		k = RTE_MIN(m->data_len - off, len);
		s = fp_peer_csum_fold(fp_peer_csum_add(0, rte_pktmbuf_mtod_offset(m,
			const uint8_t *, off), k));
		sum += (pos & 1) ? (uint16_t)(s << 8 | s >> 8) : s;
		pos += k;
		len -= k;
	}
	return sum;
}

/* The checksums of frame m (n bytes, its headers copied at hdr), or what it
 * asks the port to compute.
 */
static int
peer_check_cksum(struct fp_peer *p, struct fp_peer_seg *s, const struct rte_mbuf *m,
	const uint8_t *hdr, uint32_t n)
{
	const struct rte_ipv4_hdr *ip = (const struct rte_ipv4_hdr *)(hdr + ETH_LEN);
	const struct rte_tcp_hdr *th = (const struct rte_tcp_hdr *)(hdr + HDRS);
	uint64_t l4 = m->ol_flags & RTE_MBUF_F_TX_L4_MASK;
	uint32_t phdr = peer_phdr_sum(ip->src_addr, ip->dst_addr, n - HDRS);
	uint16_t want;

	/* A PMD reads the header lengths and the IPv4 flag to offload. */
	if ((m->ol_flags & RTE_MBUF_F_TX_IP_CKSUM) || l4 != 0) {
		PEER_CHECK(p, (m->ol_flags & RTE_MBUF_F_TX_IPV4) && m->l2_len == ETH_LEN &&
			m->l3_len == IP_LEN, -1,
			"checksum offload with l2_len %u, l3_len %u, flags %#" PRIx64,
			m->l2_len, m->l3_len, m->ol_flags);
	}
	if (m->ol_flags & RTE_MBUF_F_TX_IP_CKSUM) {
		PEER_CHECK(p, p->tx_ip_cksum, -1, "IPv4 checksum left to a port without it");
	} else {
		PEER_CHECK(p, fp_peer_csum_fold(fp_peer_csum_add(0, ip, IP_LEN)) == 0xffff, -1,
			"bad IPv4 header checksum");
	}
	s->tx_cksum = l4 != 0;
	if (l4 == 0) {
		PEER_CHECK(p, fp_peer_csum_fold(phdr + peer_chain_sum(m, HDRS, n - HDRS)) ==
			0xffff, -1, "bad TCP checksum %#x over a %u-byte chain of %u mbufs",
			rte_be_to_cpu_16(th->cksum), n, m->nb_segs);
		return 0;
	}
	PEER_CHECK(p, l4 == RTE_MBUF_F_TX_TCP_CKSUM && p->tx_tcp_cksum, -1,
		"L4 checksum offload %#" PRIx64 " on a port %s TCP's", l4,
		p->tx_tcp_cksum ? "with" : "without");
	/* The port adds the segment's bytes to the pseudo-header sum it finds
	 * in the checksum field.
	 */
	want = fp_peer_csum_fold(phdr);
	PEER_CHECK(p, rte_be_to_cpu_16(th->cksum) == want, -1,
		"pseudo-header sum %#x for TCP checksum offload, not %#x",
		rte_be_to_cpu_16(th->cksum), want);
	return 0;
}

/* The options of th (olen bytes) into s: nothing but what was parsed, as the
 * stack lays it out (MSS, NOP + scale, NOP NOP + timestamps, SACK-permitted
 * in the place of those NOPs or after NOP NOP without timestamps, NOP NOP +
 * SACK blocks). Another option kind, or other padding, makes the bytes
 * differ.
 */
static int
peer_parse_opts(struct fp_peer *p, struct fp_peer_seg *s, const struct rte_tcp_hdr *th,
	uint32_t olen)
{
	struct fp_tcp_opts o;
	uint8_t want[FP_PEER_OPT_MAX];
	uint32_t nw = 0;

	PEER_CHECK(p, fp_tcp_parse_options((const uint8_t *)(th + 1), olen, &o) == 0, -1,
		"an option of the wrong length in %u bytes of options", olen);
	if (o.mss != 0) {
		want[nw++] = 2;
		want[nw++] = 4;
		want[nw++] = o.mss >> 8;
		want[nw++] = o.mss & 0xff;
	}
	if (o.wscale != 0xff) {
		want[nw++] = 1;
		want[nw++] = 3;
		want[nw++] = 3;
		want[nw++] = o.wscale;
	}
	if (o.sack_ok && !o.has_ts) {
		want[nw++] = 1;
		want[nw++] = 1;
		want[nw++] = 4;
		want[nw++] = 2;
	}
	if (o.has_ts) {
		uint32_t val = rte_cpu_to_be_32(o.tsval), ecr = rte_cpu_to_be_32(o.tsecr);

		want[nw++] = o.sack_ok ? 4 : 1;
		want[nw++] = o.sack_ok ? 2 : 1;
		want[nw++] = 8;
		want[nw++] = 10;
		memcpy(want + nw, &val, 4);
		memcpy(want + nw + 4, &ecr, 4);
		nw += 8;
	}
	if (o.nb_sack != 0) {
		uint32_t i, v;

		want[nw++] = 1;
		want[nw++] = 1;
		want[nw++] = 5;
		want[nw++] = 2 + 8 * o.nb_sack;
		for (i = 0; i < o.nb_sack; i++) {
			v = rte_cpu_to_be_32(o.sack[i][0]);
			memcpy(want + nw, &v, 4);
			v = rte_cpu_to_be_32(o.sack[i][1]);
			memcpy(want + nw + 4, &v, 4);
			nw += 8;
		}
	}
	PEER_CHECK(p, olen == nw && memcmp(th + 1, want, nw) == 0, -1,
		"unexpected TCP options (%u bytes; MSS %u, scale %u, timestamps %d, SACK %d)",
		olen, o.mss, o.wscale, o.has_ts, o.sack_ok);
	s->mss = o.mss;
	if (o.wscale != 0xff)
		s->ws = o.wscale;
	if (o.has_ts) {
		s->ts = true;
		s->tsval = o.tsval;
		s->tsecr = o.tsecr;
	}
	s->sack_ok = o.sack_ok;
	s->nb_sack = o.nb_sack;
	memcpy(s->sack, o.sack, sizeof(s->sack));
	return 0;
}

int
fp_peer_parse(struct fp_peer *p, struct fp_peer_seg *s, const struct rte_mbuf *m)
{
	uint8_t hdr[HDRS + 60];	/* the headers, with the most TCP options */
	const struct rte_ether_hdr *eh = (const struct rte_ether_hdr *)hdr;
	const struct rte_ipv4_hdr *ip = (const struct rte_ipv4_hdr *)(hdr + ETH_LEN);
	const struct rte_tcp_hdr *th = (const struct rte_tcp_hdr *)(hdr + HDRS);
	const struct rte_mbuf *q;
	uint32_t n = 0, segs = 0;
	uint16_t sport;

	s->ws = -1;
	s->mss = 0;
	s->ts = false;
	s->tsval = 0;
	s->tsecr = 0;
	s->sack_ok = false;
	s->nb_sack = 0;
	s->ext = false;
	for (q = m; q != NULL; q = q->next) {
		n += q->data_len;
		segs++;
		if (q != m && RTE_MBUF_HAS_EXTBUF(q))
			s->ext = true;
	}
	PEER_CHECK(p, n == m->pkt_len && segs == m->nb_segs, -1,
		"%u bytes in %u mbufs, but pkt_len %u and nb_segs %u", n, segs, m->pkt_len,
		m->nb_segs);
	PEER_CHECK(p, segs <= FP_TCP_MAX_SEGS, -1, "a chain of %u mbufs", segs);
	s->nb_segs = segs;
	PEER_CHECK(p, n >= HDRS + TCP_LEN && n <= FP_PEER_FRAME_MAX, -1, "a frame of %u bytes",
		n);
	peer_read(m, 0, RTE_MIN(n, (uint32_t)sizeof(hdr)), hdr);
	PEER_CHECK(p, rte_is_same_ether_addr(&eh->dst_addr, &p->cli_mac) &&
		rte_is_same_ether_addr(&eh->src_addr, &p->mac) &&
		eh->ether_type == RTE_BE16(RTE_ETHER_TYPE_IPV4), -1,
		"wrong Ethernet addresses or type %#x", rte_be_to_cpu_16(eh->ether_type));
	PEER_CHECK(p, ip->version_ihl == 0x45 && ip->next_proto_id == IPPROTO_TCP &&
		ip->time_to_live > 0, -1, "IPv4 version/IHL %#x, protocol %u, TTL %u",
		ip->version_ihl, ip->next_proto_id, ip->time_to_live);
	PEER_CHECK(p, rte_be_to_cpu_16(ip->total_length) == n - ETH_LEN, -1,
		"IPv4 total length %u in a frame of %u bytes", rte_be_to_cpu_16(ip->total_length),
		n);
	PEER_CHECK(p, ip->src_addr == p->ip, -1, "IPv4 source %#x", rte_be_to_cpu_32(ip->src_addr));
	if (peer_check_cksum(p, s, m, hdr, n) != 0)
		return -1;
	s->dst = ip->dst_addr;
	s->dport = rte_be_to_cpu_16(th->dst_port);
	sport = rte_be_to_cpu_16(th->src_port);
	PEER_CHECK(p, sport == p->port || (p->other_port != 0 && sport == p->other_port), -1,
		"TCP source port %u", sport);
	s->flags = th->tcp_flags;
	s->seq = rte_be_to_cpu_32(th->sent_seq);
	s->ack = rte_be_to_cpu_32(th->recv_ack);
	s->wnd = rte_be_to_cpu_16(th->rx_win);
	s->doff = (th->data_off >> 4) * 4;
	PEER_CHECK(p, s->doff >= TCP_LEN && HDRS + s->doff <= n, -1,
		"TCP data offset %u in a frame of %u bytes", s->doff, n);
	if (peer_parse_opts(p, s, th, s->doff - TCP_LEN) != 0)
		return -1;
	s->off = HDRS + s->doff;
	s->len = n - s->off;
	if (p->keep_data) {
		PEER_CHECK(p, s->len <= sizeof(s->data), -1, "%u bytes of payload", s->len);
		peer_read(m, s->off, s->len, s->data);
	}
	return 0;
}

void
fp_peer_capture(struct fp_txq *q)
{
	struct fp_peer *p = container_of(q, struct fp_peer, txq);
	bool full = false;
	uint16_t i;

	for (i = 0; i < q->len; i++) {
		if (p->nb_out == FP_PEER_MAX_OUT)
			full = true;
		else if (fp_peer_parse(p, &p->out[p->nb_out], q->pkts[i]) == 0)
			p->nb_out++;
		rte_pktmbuf_free(q->pkts[i]);
	}
	q->len = 0;
	q->bytes = 0;
	if (full)
		peer_fail(p, __LINE__, "more than %u frames in one step", FP_PEER_MAX_OUT);
}

uint8_t
fp_peer_write_opts(uint8_t *opt, const struct fp_tcp_opts *o)
{
	uint8_t n = 0;

	if (o->mss != 0) {
		opt[n++] = 2;
		opt[n++] = 4;
		opt[n++] = o->mss >> 8;
		opt[n++] = o->mss & 0xff;
	}
	if (o->has_ts) {
		if (o->sack_ok) {
			opt[n++] = 4;
			opt[n++] = 2;
		} else {
			opt[n++] = 1;
			opt[n++] = 1;
		}
		opt[n++] = 8;
		opt[n++] = 10;
		opt[n++] = o->tsval >> 24;
		opt[n++] = o->tsval >> 16;
		opt[n++] = o->tsval >> 8;
		opt[n++] = o->tsval;
		opt[n++] = o->tsecr >> 24;
		opt[n++] = o->tsecr >> 16;
		opt[n++] = o->tsecr >> 8;
		opt[n++] = o->tsecr;
	} else if (o->sack_ok) {
		opt[n++] = 1;
		opt[n++] = 1;
		opt[n++] = 4;
		opt[n++] = 2;
	}
	if (o->wscale != 0xff) {
		opt[n++] = 1;
		opt[n++] = 3;
		opt[n++] = 3;
		opt[n++] = o->wscale;
	}
	if (o->nb_sack != 0) {
		uint8_t k, b;

		opt[n++] = 1;
		opt[n++] = 1;
		opt[n++] = 5;
		opt[n++] = 2 + 8 * o->nb_sack;
		for (k = 0; k < o->nb_sack; k++)
			for (b = 0; b < 2; b++) {
				opt[n++] = o->sack[k][b] >> 24;
				opt[n++] = o->sack[k][b] >> 16;
				opt[n++] = o->sack[k][b] >> 8;
				opt[n++] = o->sack[k][b];
			}
	}
	return n;
}

void
fp_peer_spec_init(struct fp_peer_spec *sp, uint16_t sport, uint16_t dport, uint8_t flags,
	uint32_t seq, uint32_t ack)
{
	memset(sp, 0, sizeof(*sp));
	sp->sport = sport;
	sp->dport = dport;
	sp->flags = flags;
	sp->seq = seq;
	sp->ack = ack;
	sp->wnd = 65535;
	sp->doff = -1;
}

struct rte_mbuf *
fp_peer_build(struct fp_peer *p, const struct fp_peer_spec *sp)
{
	uint32_t tl = TCP_LEN + sp->optlen + sp->len;
	struct rte_ether_hdr *eh;
	struct rte_ipv4_hdr *ip;
	struct rte_tcp_hdr *th;
	struct rte_mbuf *m;
	uint16_t sum;

	PEER_CHECK(p, sp->optlen % 4 == 0 && sp->optlen <= FP_PEER_OPT_MAX, NULL,
		"%u bytes of options", sp->optlen);
	m = rte_pktmbuf_alloc(p->pool);
	PEER_CHECK(p, m != NULL, NULL, "the pool is empty");
	eh = (struct rte_ether_hdr *)rte_pktmbuf_append(m, HDRS + tl);
	if (eh == NULL) {
		rte_pktmbuf_free(m);
		peer_fail(p, __LINE__, "a %u-byte frame does not fit in an mbuf", HDRS + tl);
		return NULL;
	}
	ip = (struct rte_ipv4_hdr *)(eh + 1);
	th = (struct rte_tcp_hdr *)(ip + 1);
	eh->dst_addr = p->mac;
	eh->src_addr = p->cli_mac;
	eh->ether_type = RTE_BE16(RTE_ETHER_TYPE_IPV4);
	ip->version_ihl = 0x45;
	ip->type_of_service = 0;
	ip->total_length = rte_cpu_to_be_16((uint16_t)(IP_LEN + tl + sp->tot_adj));
	ip->packet_id = RTE_BE16(0x4242);
	ip->fragment_offset = RTE_BE16(RTE_IPV4_HDR_DF_FLAG);
	ip->time_to_live = 64;
	ip->next_proto_id = IPPROTO_TCP;
	ip->src_addr = sp->src != 0 ? sp->src : p->cli_ip;
	ip->dst_addr = p->ip;
	ip->hdr_checksum = 0;
	ip->hdr_checksum = rte_cpu_to_be_16((uint16_t)~fp_peer_csum_fold(fp_peer_csum_add(0,
		ip, IP_LEN)));
	th->src_port = rte_cpu_to_be_16(sp->sport);
	th->dst_port = rte_cpu_to_be_16(sp->dport);
	th->sent_seq = rte_cpu_to_be_32(sp->seq);
	th->recv_ack = rte_cpu_to_be_32(sp->ack);
	th->data_off = (uint8_t)((sp->doff >= 0 ? (uint32_t)sp->doff :
		(TCP_LEN + sp->optlen) / 4) << 4);
	th->tcp_flags = sp->flags;
	th->rx_win = rte_cpu_to_be_16(sp->wnd);
	th->cksum = 0;
	th->tcp_urp = 0;
	if (sp->optlen != 0)
		memcpy(th + 1, sp->opt, sp->optlen);
	if (sp->len != 0)
		memcpy((uint8_t *)(th + 1) + sp->optlen, sp->data, sp->len);
	sum = (uint16_t)~fp_peer_tcp_sum(ip->src_addr, ip->dst_addr, th, tl);
	th->cksum = rte_cpu_to_be_16(sum);
	if (sp->bad_csum)
		th->cksum ^= RTE_BE16(0x00ff);
	m->l2_len = ETH_LEN;
	m->l3_len = IP_LEN;
	return m;
}

void
fp_peer_xmit(struct fp_peer *p, const struct fp_peer_spec *sp)
{
	struct rte_mbuf *m;

	p->nb_out = 0;
	m = fp_peer_build(p, sp);
	if (m == NULL)
		return;
	fp_tcp_input(p->t, m);
	fp_peer_capture(&p->txq);
}

void
fp_peer_flush(struct fp_peer *p)
{
	p->nb_out = 0;
	fp_peer_capture(&p->txq);
}

void
fp_peer_advance(struct fp_peer *p, uint32_t ms)
{
	p->nb_out = 0;
	p->t->now_ms += ms;
	p->t->now_tsc += (uint64_t)ms * p->t->tsc_per_ms;
	fp_tcp_timers(p->t);
	fp_peer_capture(&p->txq);
}

int
fp_peer_assert_silent(struct fp_peer *p)
{
	const struct fp_peer_seg *s = &p->out[0];

	PEER_CHECK(p, p->nb_out == 0, -1,
		"%u segments sent, the first with flags %#x seq %u ack %u",
		p->nb_out, s->flags, s->seq, s->ack);
	return 0;
}

void
cli_init(struct cli *c, struct fp_peer *p, uint16_t port, uint32_t isn)
{
	memset(c, 0, sizeof(*c));
	c->peer = p;
	c->ip = p->cli_ip;
	c->port = port;
	c->seq = isn;
	c->wnd = 65536;
	c->mss = 1460;
	c->ws = 7;
	c->ts = true;
	c->tsval = 1000;
}

struct fp_tcb *
cli_conn(const struct cli *c)
{
	return fp_tcb_lookup(c->peer->t, c->ip, rte_cpu_to_be_16(c->port),
		rte_cpu_to_be_16(c->peer->port));
}

int
cli_assert_state(const struct cli *c, uint8_t state)
{
	struct fp_tcb *tcb = cli_conn(c);

	if (state == FP_TCP_CLOSED) {
		PEER_CHECK(c->peer, tcb == NULL, -1, "connection still there, in %s",
			fp_tcp_state_names[tcb->state]);
		return 0;
	}
	PEER_CHECK(c->peer, tcb != NULL, -1, "no connection, expected %s",
		fp_tcp_state_names[state]);
	PEER_CHECK(c->peer, tcb->state == state, -1, "in %s, expected %s",
		fp_tcp_state_names[tcb->state], fp_tcp_state_names[state]);
	return 0;
}

int
cli_recv(struct cli *c)
{
	const struct fp_peer *p = c->peer;
	unsigned int i;

	PEER_CHECK(c->peer, p->keep_data, -1, "a client needs the payloads kept");
	for (i = 0; i < p->nb_out; i++) {
		const struct fp_peer_seg *s = &p->out[i];

		if (s->dport != c->port || (s->flags & F_RST))
			continue;
		if (s->ts)
			c->tsecr = s->tsval;
		if (s->flags & F_SYN) {
			c->iss = s->seq;
			c->ack = s->seq + 1;
			c->ws_ok = c->ws != FP_PEER_NO_WS && s->ws >= 0;
			c->ts = c->ts && s->ts;
			continue;
		}
		if (s->seq != c->ack)
			continue;
		if (c->sink != NULL) {
			if (s->len != 0)
				c->sink(c, s->data, s->len);
		} else {
			PEER_CHECK(c->peer, c->rx_len + s->len <= FP_PEER_RX_MAX, -1,
				"over %u bytes received", FP_PEER_RX_MAX);
			memcpy(c->rx + c->rx_len, s->data, s->len);
			c->rx_len += s->len;
		}
		c->ack += s->len + !!(s->flags & F_FIN);
		if (s->flags & F_FIN)
			c->rx_fin = true;
	}
	return 0;
}

int
cli_send_at(struct cli *c, uint8_t flags, uint32_t seq, uint32_t ack, const void *data,
	uint32_t len)
{
	struct fp_tcp_opts o = {
		.wscale = 0xff,
		.has_ts = c->ts,
		.tsval = c->tsval,
		.tsecr = c->tsecr,
	};
	struct fp_peer_spec sp;
	uint8_t opt[FP_PEER_OPT_MAX];

	fp_peer_spec_init(&sp, c->port, c->peer->port, flags, seq, ack);
	if (flags & F_SYN) {
		o.mss = c->mss;
		o.wscale = c->ws;
		o.sack_ok = c->sack;
		sp.wnd = (uint16_t)RTE_MIN(c->wnd, 65535u);
	} else {
		sp.wnd = (uint16_t)RTE_MIN(c->ws_ok ? c->wnd >> c->ws : c->wnd, 65535u);
	}
	sp.opt = opt;
	sp.optlen = fp_peer_write_opts(opt, &o);
	sp.data = data;
	sp.len = len;
	sp.src = c->ip;
	fp_peer_xmit(c->peer, &sp);
	return cli_recv(c);
}

int
cli_ack_sack(struct cli *c, uint32_t ack, const uint32_t (*blk)[2], uint8_t nb)
{
	struct fp_tcp_opts o = {
		.wscale = 0xff,
		.has_ts = c->ts,
		.tsval = c->tsval,
		.tsecr = c->tsecr,
		.nb_sack = nb,
	};
	struct fp_peer_spec sp;
	uint8_t opt[FP_PEER_OPT_MAX];

	memcpy(o.sack, blk, sizeof(o.sack[0]) * nb);
	fp_peer_spec_init(&sp, c->port, c->peer->port, F_ACK, c->seq, ack);
	sp.wnd = (uint16_t)RTE_MIN(c->ws_ok ? c->wnd >> c->ws : c->wnd, 65535u);
	sp.opt = opt;
	sp.optlen = fp_peer_write_opts(opt, &o);
	sp.src = c->ip;
	fp_peer_xmit(c->peer, &sp);
	return cli_recv(c);
}

int
cli_send(struct cli *c, uint8_t flags, const void *data, uint32_t len)
{
	uint32_t seq = c->seq;

	c->seq += len + !!(flags & F_SYN) + !!(flags & F_FIN);
	return cli_send_at(c, flags, seq, c->ack, data, len);
}

int
cli_str(struct cli *c, uint8_t flags, const char *s)
{
	return cli_send(c, flags, s, strlen(s));
}

int
cli_connect_rtt(struct cli *c, uint32_t rtt_ms)
{
	struct fp_peer *p = c->peer;
	const struct fp_peer_seg *s = &p->out[0];
	uint32_t isn = c->seq;

	if (cli_send(c, F_SYN, NULL, 0) != 0)
		return -1;
	PEER_CHECK(p, p->nb_out == 1 && s->flags == (F_SYN | F_ACK) && s->ack == isn + 1 &&
		s->len == 0, -1, "%u segments for a SYN, the first with flags %#x ack %u, %u bytes",
		p->nb_out, s->flags, s->ack, s->len);
	if (cli_assert_state(c, FP_TCP_SYN_RECEIVED) != 0)
		return -1;
	if (rtt_ms != 0) {
		fp_peer_advance(p, rtt_ms);
		if (fp_peer_assert_silent(p) != 0)
			return -1;
	}
	if (cli_send(c, F_ACK, NULL, 0) != 0 || fp_peer_assert_silent(p) != 0)
		return -1;
	return cli_assert_state(c, FP_TCP_ESTABLISHED);
}

int
cli_connect(struct cli *c)
{
	return cli_connect_rtt(c, 0);
}
