/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The fastpath authors
 */

#include <string.h>

#include <rte_common.h>
#include <rte_ip.h>

#include "fp_tcp_peer.h"
#include "fp_tcp_priv.h"

uint32_t
fp_peer_csum_add(uint32_t sum, const void *data, uint32_t len)
{
	const uint8_t *p = data;
	uint32_t i;

	for (i = 0; i + 1 < len; i += 2)
		sum += (uint32_t)p[i] << 8 | p[i + 1];
	if (len & 1)
		sum += (uint32_t)p[len - 1] << 8;
	return sum;
}

uint16_t
fp_peer_csum_fold(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)sum;
}

uint16_t
fp_peer_tcp_sum(uint32_t src, uint32_t dst, const void *th, uint32_t len)
{
	uint8_t ph[12];

	memcpy(ph, &src, 4);
	memcpy(ph + 4, &dst, 4);
	ph[8] = 0;
	ph[9] = IPPROTO_TCP;
	ph[10] = len >> 8;
	ph[11] = len & 0xff;
	return fp_peer_csum_fold(fp_peer_csum_add(fp_peer_csum_add(0, ph, sizeof(ph)), th, len));
}

void
fp_peer_init(struct fp_peer *p, struct fp_tcp_lcore *t, struct rte_mempool *pool,
	uint16_t port)
{
	memset(&p->txq, 0, sizeof(p->txq));
	p->txq.flush = fp_peer_capture;
	p->t = t;
	p->pool = pool;
	p->port = port;
	p->other_port = 0;
	p->nb_out = 0;
}

void
fp_peer_parse(const struct fp_peer *p, struct fp_peer_seg *s, const struct rte_mbuf *m)
{
	static uint8_t f[FP_PEER_FRAME_MAX];
	const struct rte_ether_hdr *eh = (const struct rte_ether_hdr *)f;
	const struct rte_ipv4_hdr *ip = (const struct rte_ipv4_hdr *)(f + 14);
	const struct rte_tcp_hdr *th = (const struct rte_tcp_hdr *)(f + 34);
	const struct rte_mbuf *q;
	uint32_t n = 0, segs = 0, olen, nw = 0;
	struct fp_tcp_opts o;
	uint8_t want[40];
	uint16_t sport;

	s->ws = -1;
	s->mss = 0;
	s->ts = false;
	s->tsval = 0;
	s->tsecr = 0;
	s->ext = false;
	for (q = m; q != NULL; q = q->next) {
		ck_assert_uint_le(n + q->data_len, sizeof(f));
		memcpy(f + n, rte_pktmbuf_mtod(q, const void *), q->data_len);
		n += q->data_len;
		segs++;
		if (q != m && RTE_MBUF_HAS_EXTBUF(q))
			s->ext = true;
	}
	ck_assert_uint_eq(n, m->pkt_len);
	ck_assert_uint_eq(segs, m->nb_segs);
	ck_assert_uint_le(segs, FP_TCP_MAX_SEGS);
	s->nb_segs = segs;
	ck_assert_uint_ge(n, 54);
	ck_assert(rte_is_same_ether_addr(&eh->dst_addr, &fp_test_peer_mac));
	ck_assert(rte_is_same_ether_addr(&eh->src_addr, &fp_test_mac));
	ck_assert_uint_eq(eh->ether_type, RTE_BE16(RTE_ETHER_TYPE_IPV4));
	ck_assert_uint_eq(ip->version_ihl, 0x45);
	ck_assert_uint_eq(rte_be_to_cpu_16(ip->total_length), n - 14);
	ck_assert_uint_eq(ip->next_proto_id, IPPROTO_TCP);
	ck_assert_uint_eq(ip->src_addr, FP_TEST_IP);
	ck_assert_uint_gt(ip->time_to_live, 0);
	/* No offloads: both checksums are in the frame. */
	ck_assert_uint_eq(m->ol_flags & (RTE_MBUF_F_TX_IP_CKSUM | RTE_MBUF_F_TX_TCP_CKSUM), 0);
	ck_assert_msg(fp_peer_csum_fold(fp_peer_csum_add(0, ip, 20)) == 0xffff,
		"bad IPv4 header checksum");
	ck_assert_msg(fp_peer_tcp_sum(ip->src_addr, ip->dst_addr, th, n - 34) == 0xffff,
		"bad TCP checksum %#x over a %u-byte chain of %u mbufs",
		rte_be_to_cpu_16(th->cksum), n, segs);
	s->dst = ip->dst_addr;
	s->dport = rte_be_to_cpu_16(th->dst_port);
	sport = rte_be_to_cpu_16(th->src_port);
	ck_assert(sport == p->port || (p->other_port != 0 && sport == p->other_port));
	s->flags = th->tcp_flags;
	s->seq = rte_be_to_cpu_32(th->sent_seq);
	s->ack = rte_be_to_cpu_32(th->recv_ack);
	s->wnd = rte_be_to_cpu_16(th->rx_win);
	s->doff = (th->data_off >> 4) * 4;
	ck_assert_uint_ge(s->doff, 20);
	ck_assert_uint_le(34 + s->doff, n);
	olen = s->doff - 20u;
	ck_assert_msg(fp_tcp_parse_options((const uint8_t *)(th + 1), olen, &o) == 0,
		"an option of the wrong length in %u bytes of options", olen);
	/* Nothing but what was parsed, as the stack lays it out (MSS, NOP +
	 * scale, NOP NOP + timestamps): another option kind, or other
	 * padding, makes the bytes differ.
	 */
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
	if (o.has_ts) {
		uint32_t val = rte_cpu_to_be_32(o.tsval), ecr = rte_cpu_to_be_32(o.tsecr);

		want[nw++] = 1;
		want[nw++] = 1;
		want[nw++] = 8;
		want[nw++] = 10;
		memcpy(want + nw, &val, 4);
		memcpy(want + nw + 4, &ecr, 4);
		nw += 8;
	}
	ck_assert_msg(!o.sack_ok && olen == nw && memcmp(th + 1, want, nw) == 0,
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
	s->len = n - 34 - s->doff;
	ck_assert_uint_le(s->len, sizeof(s->data));
	memcpy(s->data, f + 34 + s->doff, s->len);
}

void
fp_peer_capture(struct fp_txq *q)
{
	struct fp_peer *p = container_of(q, struct fp_peer, txq);
	uint16_t i;

	for (i = 0; i < q->len; i++) {
		ck_assert_uint_lt(p->nb_out, FP_PEER_MAX_OUT);
		fp_peer_parse(p, &p->out[p->nb_out++], q->pkts[i]);
		rte_pktmbuf_free(q->pkts[i]);
	}
	q->len = 0;
	q->bytes = 0;
}

void
fp_peer_spec_init(struct fp_peer_spec *sp, uint16_t sport, uint16_t dport, uint8_t flags,
	uint32_t seq, uint32_t ack)
{
	memset(sp, 0, sizeof(*sp));
	sp->src = FP_TEST_PEER_IP;
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
	uint32_t tl = 20 + sp->optlen + sp->len;
	struct rte_mbuf *m = rte_pktmbuf_alloc(p->pool);
	struct rte_ether_hdr *eh;
	struct rte_ipv4_hdr *ip;
	struct rte_tcp_hdr *th;
	uint16_t sum;

	ck_assert_ptr_nonnull(m);
	ck_assert_uint_eq(sp->optlen % 4, 0);
	eh = (struct rte_ether_hdr *)rte_pktmbuf_append(m, 34 + tl);
	ck_assert_ptr_nonnull(eh);
	ip = (struct rte_ipv4_hdr *)(eh + 1);
	th = (struct rte_tcp_hdr *)(ip + 1);
	eh->dst_addr = fp_test_mac;
	eh->src_addr = fp_test_peer_mac;
	eh->ether_type = RTE_BE16(RTE_ETHER_TYPE_IPV4);
	ip->version_ihl = 0x45;
	ip->type_of_service = 0;
	ip->total_length = rte_cpu_to_be_16((uint16_t)(20 + tl + sp->tot_adj));
	ip->packet_id = RTE_BE16(0x4242);
	ip->fragment_offset = RTE_BE16(RTE_IPV4_HDR_DF_FLAG);
	ip->time_to_live = 64;
	ip->next_proto_id = IPPROTO_TCP;
	ip->src_addr = sp->src;
	ip->dst_addr = FP_TEST_IP;
	ip->hdr_checksum = 0;
	ip->hdr_checksum = rte_cpu_to_be_16((uint16_t)~fp_peer_csum_fold(fp_peer_csum_add(0,
		ip, 20)));
	th->src_port = rte_cpu_to_be_16(sp->sport);
	th->dst_port = rte_cpu_to_be_16(sp->dport);
	th->sent_seq = rte_cpu_to_be_32(sp->seq);
	th->recv_ack = rte_cpu_to_be_32(sp->ack);
	th->data_off = (uint8_t)((sp->doff >= 0 ? sp->doff : (20 + sp->optlen) / 4) << 4);
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
	m->l2_len = 14;
	m->l3_len = 20;
	return m;
}

void
fp_peer_xmit(struct fp_peer *p, const struct fp_peer_spec *sp)
{
	p->nb_out = 0;
	fp_tcp_input(p->t, fp_peer_build(p, sp));
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

void
fp_peer_assert_silent(const struct fp_peer *p)
{
	const struct fp_peer_seg *s = &p->out[0];

	ck_assert_msg(p->nb_out == 0, "%u segments sent, the first with flags %#x seq %u ack %u",
		p->nb_out, p->nb_out > 0 ? s->flags : 0, p->nb_out > 0 ? s->seq : 0,
		p->nb_out > 0 ? s->ack : 0);
}

void
cli_init(struct cli *c, struct fp_peer *p, uint16_t port, uint32_t isn)
{
	memset(c, 0, sizeof(*c));
	c->peer = p;
	c->ip = FP_TEST_PEER_IP;
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

void
cli_assert_state(const struct cli *c, uint8_t state)
{
	struct fp_tcb *tcb = cli_conn(c);

	if (state == FP_TCP_CLOSED) {
		ck_assert_msg(tcb == NULL, "connection still there, in %s",
			tcb != NULL ? fp_tcp_state_names[tcb->state] : "");
		return;
	}
	ck_assert_msg(tcb != NULL, "no connection, expected %s", fp_tcp_state_names[state]);
	ck_assert_msg(tcb->state == state, "in %s, expected %s", fp_tcp_state_names[tcb->state],
		fp_tcp_state_names[state]);
}

void
cli_recv(struct cli *c)
{
	const struct fp_peer *p = c->peer;
	unsigned int i;

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
			ck_assert_uint_le(c->rx_len + s->len, FP_PEER_RX_MAX);
			memcpy(c->rx + c->rx_len, s->data, s->len);
			c->rx_len += s->len;
		}
		c->ack += s->len + !!(s->flags & F_FIN);
		if (s->flags & F_FIN)
			c->rx_fin = true;
	}
}

void
cli_send_at(struct cli *c, uint8_t flags, uint32_t seq, uint32_t ack, const void *data,
	uint32_t len)
{
	struct fp_peer_spec sp;
	uint8_t opt[40];
	uint8_t n = 0;

	fp_peer_spec_init(&sp, c->port, c->peer->port, flags, seq, ack);
	if (flags & F_SYN) {
		if (c->mss != 0) {
			opt[n++] = 2;
			opt[n++] = 4;
			opt[n++] = c->mss >> 8;
			opt[n++] = c->mss & 0xff;
		}
		if (c->ws != FP_PEER_NO_WS) {
			opt[n++] = 1;
			opt[n++] = 3;
			opt[n++] = 3;
			opt[n++] = c->ws;
		}
		sp.wnd = (uint16_t)RTE_MIN(c->wnd, 65535u);
	} else {
		sp.wnd = (uint16_t)RTE_MIN(c->ws_ok ? c->wnd >> c->ws : c->wnd, 65535u);
	}
	if (c->ts) {
		opt[n++] = 1;
		opt[n++] = 1;
		opt[n++] = 8;
		opt[n++] = 10;
		opt[n++] = c->tsval >> 24;
		opt[n++] = c->tsval >> 16;
		opt[n++] = c->tsval >> 8;
		opt[n++] = c->tsval;
		opt[n++] = c->tsecr >> 24;
		opt[n++] = c->tsecr >> 16;
		opt[n++] = c->tsecr >> 8;
		opt[n++] = c->tsecr;
	}
	sp.opt = opt;
	sp.optlen = n;
	sp.data = data;
	sp.len = len;
	sp.src = c->ip;
	fp_peer_xmit(c->peer, &sp);
	cli_recv(c);
}

void
cli_send(struct cli *c, uint8_t flags, const void *data, uint32_t len)
{
	uint32_t seq = c->seq;

	c->seq += len + !!(flags & F_SYN) + !!(flags & F_FIN);
	cli_send_at(c, flags, seq, c->ack, data, len);
}

void
cli_str(struct cli *c, uint8_t flags, const char *s)
{
	cli_send(c, flags, s, strlen(s));
}

void
cli_connect_rtt(struct cli *c, uint32_t rtt_ms)
{
	const struct fp_peer *p = c->peer;
	uint32_t isn = c->seq;

	cli_send(c, F_SYN, NULL, 0);
	ck_assert_uint_eq(p->nb_out, 1);
	ck_assert_uint_eq(p->out[0].flags, F_SYN | F_ACK);
	ck_assert_uint_eq(p->out[0].ack, isn + 1);
	ck_assert_uint_eq(p->out[0].len, 0);
	cli_assert_state(c, FP_TCP_SYN_RECEIVED);
	if (rtt_ms != 0) {
		fp_peer_advance(c->peer, rtt_ms);
		ck_assert_uint_eq(p->nb_out, 0);
	}
	cli_send(c, F_ACK, NULL, 0);
	ck_assert_uint_eq(p->nb_out, 0);
	cli_assert_state(c, FP_TCP_ESTABLISHED);
}

void
cli_connect(struct cli *c)
{
	cli_connect_rtt(c, 0);
}
