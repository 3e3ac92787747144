/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The fastpath authors
 */

#include <string.h>

#include <rte_ip.h>
#include <rte_random.h>
#include <rte_tcp.h>

#include "fp_tcp_priv.h"

#define FP_TCP_L2 RTE_ETHER_HDR_LEN
#define FP_TCP_L3 sizeof(struct rte_ipv4_hdr)

__rte_hot uint16_t
fp_tcp_rcv_wnd(const struct fp_tcp_lcore *t, struct fp_tcb *tcb)
{
	uint32_t wnd = tcb->rcv_space, promised, adv, ws;

	/* RFC 9293 3.8.6.2.2: the right edge never moves left, whatever the
	 * application can take now (at full space it cannot have).
	 */
	if (unlikely(wnd < t->p.rcv_wnd)) {
		promised = fp_seq_gt(tcb->rcv_adv, tcb->rcv_nxt) ?
			tcb->rcv_adv - tcb->rcv_nxt : 0;
		if (wnd < promised)
			wnd = promised;
	}
	/* RFC 7323 2.2: the window in a SYN or SYN-ACK is never scaled. */
	ws = (tcb->flags & FP_TCB_WS) && tcb->state != FP_TCP_SYN_RECEIVED &&
		tcb->state != FP_TCP_SYN_SENT ? t->rcv_wscale : 0;
	adv = RTE_MIN((wnd + (1u << ws) - 1) >> ws, (uint32_t)UINT16_MAX);
	tcb->rcv_adv = tcb->rcv_nxt + (adv << ws);
	return adv;
}

/* Writes Ethernet, IPv4 and TCP headers at the start of m's data and
 * returns the TCP header; payload_len bytes are to follow them. opt NULL:
 * the options are in place already (fp_tcp_opt_at()).
 */
static __rte_hot struct rte_tcp_hdr *
fp_tcp_headers(const struct fp_tcp_lcore *t, struct rte_mbuf *m,
	const struct rte_ether_addr *dmac, uint32_t raddr, uint16_t rport, uint16_t lport,
	uint32_t seq, uint32_t ack, uint8_t flags, uint16_t wnd, const uint8_t *opt,
	uint8_t optlen, uint32_t payload_len)
{
	uint32_t hlen = FP_TCP_L2 + FP_TCP_L3 + sizeof(struct rte_tcp_hdr) + optlen;
	struct rte_ether_hdr *eh = rte_pktmbuf_mtod(m, struct rte_ether_hdr *);
	struct rte_ipv4_hdr *ip = (struct rte_ipv4_hdr *)(eh + 1);
	struct rte_tcp_hdr *th = (struct rte_tcp_hdr *)(ip + 1);

	rte_ether_addr_copy(dmac, &eh->dst_addr);
	rte_ether_addr_copy(&t->ifc->mac, &eh->src_addr);
	eh->ether_type = RTE_BE16(RTE_ETHER_TYPE_IPV4);
	ip->version_ihl = RTE_IPV4_VHL_DEF;
	ip->type_of_service = 0;
	ip->total_length = rte_cpu_to_be_16(hlen - FP_TCP_L2 + payload_len);
	/* RFC 6864: an atomic datagram (DF set) may carry any ID. */
	ip->packet_id = 0;
	ip->fragment_offset = RTE_BE16(RTE_IPV4_HDR_DF_FLAG);
	ip->time_to_live = 64;
	ip->next_proto_id = IPPROTO_TCP;
	ip->hdr_checksum = 0;
	ip->src_addr = t->ifc->ip;
	ip->dst_addr = raddr;
	th->src_port = lport;
	th->dst_port = rport;
	th->sent_seq = rte_cpu_to_be_32(seq);
	th->recv_ack = rte_cpu_to_be_32(ack);
	th->data_off = (sizeof(*th) + optlen) << 2;
	th->tcp_flags = flags;
	th->rx_win = rte_cpu_to_be_16(wnd);
	th->cksum = 0;
	th->tcp_urp = 0;
	if (opt != NULL && optlen != 0)
		memcpy(th + 1, opt, optlen);
	m->l2_len = FP_TCP_L2;
	m->l3_len = FP_TCP_L3;
	m->l4_len = sizeof(*th) + optlen;
	return th;
}

/* The ones' complement sum of a chain's bytes from offset off. Each piece
 * is folded to 16 bits before a piece at an odd offset is byte-swapped:
 * DPDK 22.11's rte_raw_cksum_mbuf swaps before folding and gets such chains
 * wrong. The mbufs whose bit is set in known (chain position) take their
 * sum from sums[] instead of their bytes.
 */
static uint16_t
fp_tcp_sum_chain(const struct rte_mbuf *m, uint32_t off, uint32_t known, const uint16_t *sums)
{
	uint32_t sum = 0, done = 0, s, i;

	for (i = 0; m != NULL; m = m->next, off = 0, i++) {
		if (off >= m->data_len) {
			off -= m->data_len;
			continue;
		}
		if (known & (1u << i))
			s = sums[i];
		else
			s = fp_cksum_raw(rte_pktmbuf_mtod_offset(m, void *, off),
				m->data_len - off);
		if (done & 1)
			s = rte_bswap16((uint16_t)s);
		sum += s;
		done += m->data_len - off;
	}
	return __rte_raw_cksum_reduce(sum);
}

/* True when a piece other than the last has an odd length: the same 22.11
 * fault sits in net_tap, which checksums chains in software.
 */
static bool
fp_tcp_odd_chain(const struct rte_mbuf *m)
{
	for (; m->next != NULL; m = m->next)
		if (m->data_len & 1)
			return true;
	return false;
}

/* Checksums: the port's offloads when it has them, else software over the
 * whole chain, with the sums of the attached mbufs whose bit is in known
 * taken from sums[].
 */
static __rte_hot void
fp_tcp_cksum_sums(const struct fp_tcp_lcore *t, struct rte_mbuf *m, uint32_t known,
	const uint16_t *sums)
{
	struct rte_ipv4_hdr *ip = rte_pktmbuf_mtod_offset(m, struct rte_ipv4_hdr *, FP_TCP_L2);
	struct rte_tcp_hdr *th = (struct rte_tcp_hdr *)(ip + 1);
	uint32_t sum;

	m->ol_flags &= RTE_MBUF_F_EXTERNAL | RTE_MBUF_F_INDIRECT;
	if (t->ifc->tx_tcp_cksum && (m->nb_segs == 1 || !t->ifc->tx_cksum_odd_bug ||
			!fp_tcp_odd_chain(m))) {
		m->ol_flags |= RTE_MBUF_F_TX_IPV4 | RTE_MBUF_F_TX_IP_CKSUM |
			RTE_MBUF_F_TX_TCP_CKSUM;
		th->cksum = fp_ipv4_phdr_sum(ip->src_addr, ip->dst_addr, IPPROTO_TCP,
			rte_be_to_cpu_16(ip->total_length) - FP_TCP_L3);
		return;
	}
	if (t->ifc->tx_ip_cksum)
		m->ol_flags |= RTE_MBUF_F_TX_IPV4 | RTE_MBUF_F_TX_IP_CKSUM;
	else
		ip->hdr_checksum = rte_ipv4_cksum(ip);
	sum = (uint32_t)fp_ipv4_phdr_sum(ip->src_addr, ip->dst_addr, IPPROTO_TCP,
		rte_be_to_cpu_16(ip->total_length) - FP_TCP_L3) +
		fp_tcp_sum_chain(m, FP_TCP_L2 + FP_TCP_L3, known, sums);
	sum = (uint16_t)~__rte_raw_cksum_reduce(sum);
	/* RFC 768 style: a computed 0 goes out as 0xffff (both mean zero). */
	th->cksum = sum == 0 ? 0xffff : sum;
}

static inline void
fp_tcp_cksum(const struct fp_tcp_lcore *t, struct rte_mbuf *m)
{
	fp_tcp_cksum_sums(t, m, 0, NULL);
}

/* The SACK option with as many blocks as room (bytes) takes, the most
 * recent first. Out of line: only connections with data out of order
 * need it.
 */
static __rte_noinline uint8_t
fp_tcp_sack_opt(const struct fp_tcp_lcore *t, const struct fp_tcb *tcb, uint8_t *o,
	uint32_t room)
{
	uint32_t blocks[4][2], stamps[4], l, r;
	unsigned int nb, i;
	uint8_t n = 0;

	nb = fp_tcp_sack_blocks(t, tcb, blocks, stamps,
		RTE_MIN((room - 4) / 8, (uint32_t)RTE_DIM(blocks)));
	if (nb == 0)
		return 0;
	fp_count(t->st, FP_C_tcp_sack_acks, 1);
	o[n++] = 1;
	o[n++] = 1;
	o[n++] = 5;
	o[n++] = 2 + 8 * nb;
	for (i = 0; i < nb; i++) {
		l = rte_cpu_to_be_32(blocks[i][0]);
		r = rte_cpu_to_be_32(blocks[i][1]);
		memcpy(o + n, &l, 4);
		memcpy(o + n + 4, &r, 4);
		n += 8;
	}
	return n;
}

/* The options of a segment on tcb: timestamps when agreed, on a SYN or
 * SYN-ACK the MSS, window scale and SACK-permitted too, and SACK blocks
 * while data waits out of order (room: the bytes the payload leaves).
 */
static inline void
fp_tcp_opt_put(uint8_t *o, uint32_t be)
{
	memcpy(o, &be, sizeof(be));
}

/* Where the options of a segment built by fp_tcp_headers() go in m. */
static inline uint8_t *
fp_tcp_opt_at(struct rte_mbuf *m)
{
	return rte_pktmbuf_mtod_offset(m, uint8_t *, FP_TCP_L2 + FP_TCP_L3 +
		sizeof(struct rte_tcp_hdr));
}

static __rte_hot uint8_t
fp_tcp_options(const struct fp_tcp_lcore *t, const struct fp_tcb *tcb, uint8_t flags,
	uint8_t *o, uint32_t room)
{
	bool sack_ok = (flags & RTE_TCP_SYN_FLAG) && (tcb->flags & FP_TCB_SACK);
	uint8_t n = 0;

	/* Whole 32-bit words, in network order (each option is padded to
	 * them with NOPs anyway), stored one by one where they go: read back
	 * wider from a scratch array, they stalled store forwarding.
	 */
	if (flags & RTE_TCP_SYN_FLAG) {
		fp_tcp_opt_put(o, rte_cpu_to_be_32(0x02040000u | t->mss_max));
		n = 4;
		if (tcb->flags & FP_TCB_WS) {
			fp_tcp_opt_put(o + n, rte_cpu_to_be_32(0x01030300u | t->rcv_wscale));
			n += 4;
		}
		/* SACK-permitted takes the NOPs before the timestamps, as
		 * Linux lays it out; alone, two NOPs of its own.
		 */
		if (sack_ok && !(tcb->flags & FP_TCB_TS)) {
			fp_tcp_opt_put(o + n, RTE_BE32(0x01010402u));
			n += 4;
		}
	}
	if (tcb->flags & FP_TCB_TS) {
		fp_tcp_opt_put(o + n, sack_ok ? RTE_BE32(0x0402080au) : RTE_BE32(0x0101080au));
		fp_tcp_opt_put(o + n + 4, rte_cpu_to_be_32(t->now_ms));
		fp_tcp_opt_put(o + n + 8, rte_cpu_to_be_32(tcb->ts_recent));
		n += 12;
	}
	/* RFC 2018 4: "If sent at all, SACK options SHOULD be included in all
	 * ACKs which do not ACK the highest sequence number in the data
	 * receiver's queue".
	 */
	if (unlikely(tcb->nb_ooo != 0) && (tcb->flags & FP_TCB_SACK) &&
			!(flags & RTE_TCP_SYN_FLAG) && room >= 12)
		n += fp_tcp_sack_opt(t, tcb, o + n, RTE_MIN(room, (uint32_t)(40 - n)));
	return n;
}

static __rte_hot void
fp_tcp_sent(struct fp_tcp_lcore *t, struct fp_tcb *tcb, struct rte_mbuf *m)
{
	if (tcb != NULL) {
		tcb->flags &= ~(FP_TCB_ACK_NOW | FP_TCB_WND_UPD);
		tcb->t_delack = 0;
	}
	fp_count(t->st, FP_C_tcp_segments_out, 1);
	fp_txq_push(t->txq, m);
}

__rte_hot int
fp_tcp_send_ctl(struct fp_tcp_lcore *t, struct fp_tcb *tcb, uint8_t flags, uint32_t seq)
{
	struct rte_mbuf *m = rte_pktmbuf_alloc(t->pool);
	uint8_t optlen;
	uint16_t wnd;

	if (m == NULL) {
		fp_count_drop(t->st, FP_DROP_no_mbuf);
		return -ENOBUFS;
	}
	optlen = (flags & RTE_TCP_RST_FLAG) ? 0 :
		fp_tcp_options(t, tcb, flags, fp_tcp_opt_at(m), 40);
	wnd = (flags & RTE_TCP_RST_FLAG) ? 0 : fp_tcp_rcv_wnd(t, tcb);
	rte_pktmbuf_append(m, FP_TCP_L2 + FP_TCP_L3 + sizeof(struct rte_tcp_hdr) + optlen);
	fp_tcp_headers(t, m, &tcb->rmac, tcb->raddr, tcb->rport, tcb->lport, seq,
		tcb->rcv_nxt, flags, wnd, NULL, optlen, 0);
	fp_tcp_cksum(t, m);
	if (flags & RTE_TCP_RST_FLAG)
		fp_count(t->st, FP_C_tcp_resets_sent, 1);
	fp_tcp_sent(t, tcb, m);
	return 0;
}

/* Builds and queues the data segment [seq, seq + len) of tcb's stream,
 * with FIN when fin. Copy pieces are written into the header mbuf (and
 * more direct mbufs when needed); reference pieces are attached. Returns
 * the sequence space actually sent (a chain is cut short at
 * FP_TCP_MAX_SEGS mbufs), or 0 when out of mbufs.
 */
__rte_hot uint32_t
fp_tcp_send_data(struct fp_tcp_lcore *t, struct fp_tcb *tcb, uint32_t seq, uint32_t len,
	bool fin)
{
	uint32_t hdr = FP_TCP_L2 + FP_TCP_L3 + sizeof(struct rte_tcp_hdr);
	uint32_t skip = tcb->sq_off + (seq - tcb->snd_una), done = 0, n, copied = 0;
	uint32_t zc = 0, inl = 0, brk = 0, idx = tcb->sq_head, known = 0;
	const struct fp_tcp_piece *pc;
	struct rte_mbuf *h, *tail;
	uint8_t optlen, flags;
	uint16_t sums[FP_TCP_MAX_SEGS];

	h = rte_pktmbuf_alloc(t->pool);
	if (h == NULL) {
		fp_count_drop(t->st, FP_DROP_no_mbuf);
		return 0;
	}
	optlen = fp_tcp_options(t, tcb, 0, fp_tcp_opt_at(h), tcb->mss > len ? tcb->mss - len : 0);
	rte_pktmbuf_append(h, hdr + optlen);
	tail = h;
	/* Find the piece holding seq. */
	while (idx != 0 && skip >= t->pieces[idx - 1].len) {
		skip -= t->pieces[idx - 1].len;
		idx = t->pieces[idx - 1].next;
	}
	while (done < len && idx != 0) {
		pc = &t->pieces[idx - 1];
		n = RTE_MIN(pc->len - skip, len - done);
		/* Copied or generated bytes, or a reference on a port that
		 * cannot chain, go after whatever direct mbuf ends the chain; so
		 * does a short reference (Linux's copybreak, on the way out): an
		 * attached mbuf costs an allocation and two atomic updates of the
		 * piece's count (attach, and the PMD's free, whose locked
		 * instruction also waits for the frame's stores to drain).
		 */
		if (pc->sh <= FP_TCP_PIECE_GEN || !t->ifc->tx_multi_seg ||
				pc->len <= FP_TCP_COPYBREAK) {
			uint32_t room;

			if (RTE_MBUF_HAS_EXTBUF(tail) || rte_pktmbuf_tailroom(tail) == 0) {
				struct rte_mbuf *d;

				if (h->nb_segs == FP_TCP_MAX_SEGS)
					break;
				d = rte_pktmbuf_alloc(t->pool);
				if (d == NULL)
					break;
				tail->next = d;
				tail = d;
				h->nb_segs++;
			}
			room = rte_pktmbuf_tailroom(tail);
			n = RTE_MIN(n, room);
			if (pc->sh == FP_TCP_PIECE_GEN)
				fp_tcp_conn_ops(t, tcb)->fill(fp_tcp_conn_arg(t, tcb), pc->addr,
					pc->iova, skip, rte_pktmbuf_mtod_offset(tail, char *,
					tail->data_len), n);
			else
				memcpy(rte_pktmbuf_mtod_offset(tail, char *, tail->data_len),
					pc->addr + skip, n);
			tail->data_len += n;
			if (pc->sh <= FP_TCP_PIECE_GEN)
				inl += n;
			else if (t->ifc->tx_multi_seg)
				brk += n;
			else
				copied += n;
		} else {
			/* An mbuf pointing into the application's memory. */
			struct rte_mbuf *z;

			if (h->nb_segs == FP_TCP_MAX_SEGS)
				break;
			z = rte_pktmbuf_alloc(t->zc_pool);
			if (z == NULL)
				break;
			n = RTE_MIN(n, (uint32_t)UINT16_MAX);
			rte_mbuf_ext_refcnt_update(fp_tcp_piece_sh(pc), 1);
			rte_pktmbuf_attach_extbuf(z, (void *)(uintptr_t)(pc->addr + skip),
				pc->iova + skip, n, fp_tcp_piece_sh(pc));
			z->data_len = n;
			tail->next = z;
			tail = z;
			/* Static bytes whose sum the application gave, whole. */
			if (pc->sum != FP_TCP_NOSUM && skip == 0 && n == pc->len) {
				known |= 1u << h->nb_segs;
				sums[h->nb_segs] = (uint16_t)pc->sum;
			}
			h->nb_segs++;
			zc += n;
		}
		done += n;
		skip += n;
		if (skip == pc->len) {
			skip = 0;
			idx = pc->next;
		}
	}
	if (done == 0 && len != 0) {
		rte_pktmbuf_free(h);
		fp_count_drop(t->st, FP_DROP_no_mbuf);
		return 0;
	}
	fin = fin && done == len;
	h->pkt_len = hdr + optlen + done;
	flags = RTE_TCP_ACK_FLAG | (fin ? RTE_TCP_FIN_FLAG : 0) |
		(done == len ? RTE_TCP_PSH_FLAG : 0);
	fp_tcp_headers(t, h, &tcb->rmac, tcb->raddr, tcb->rport, tcb->lport, seq,
		tcb->rcv_nxt, flags, fp_tcp_rcv_wnd(t, tcb), NULL, optlen, done);
	fp_tcp_cksum_sums(t, h, known, sums);
	fp_count(t->st, FP_C_tcp_tx_inline_bytes, inl);
	fp_count(t->st, FP_C_tcp_tx_copied_bytes, copied);
	fp_count(t->st, FP_C_tcp_tx_copybreak_bytes, brk);
	fp_count(t->st, FP_C_tcp_tx_zerocopy_bytes, zc);
	fp_tcp_sent(t, tcb, h);
	return done + (fin ? 1 : 0);
}

/* A free piece appended to tcb's queue, or NULL. */
static __rte_hot struct fp_tcp_piece *
fp_tcp_piece_add(struct fp_tcp_lcore *t, struct fp_tcb *tcb)
{
	struct fp_tcp_piece *pc;
	uint32_t idx;

	if (unlikely(t->nb_piece_free == 0))
		return NULL;
	idx = t->piece_free[--t->nb_piece_free];
	pc = &t->pieces[idx];
	pc->next = 0;
	if (tcb->sq_tail != 0)
		t->pieces[tcb->sq_tail - 1].next = idx + 1;
	else
		tcb->sq_head = idx + 1;
	tcb->sq_tail = idx + 1;
	return pc;
}

/* A new copy piece, empty, in a free chunk, appended to tcb's queue; NULL
 * when no chunk or piece is free.
 */
static struct fp_tcp_piece *
fp_tcp_chunk_add(struct fp_tcp_lcore *t, struct fp_tcb *tcb)
{
	struct fp_tcp_piece *pc;

	if (unlikely(t->nb_chunk_free == 0))
		return NULL;
	pc = fp_tcp_piece_add(t, tcb);
	if (pc == NULL)
		return NULL;
	pc->addr = t->chunks + (size_t)t->chunk_free[--t->nb_chunk_free] * FP_TCP_CHUNK;
	pc->iova = 0;
	pc->sh = 0;
	pc->len = 0;
	return pc;
}

/* Room left in the chunk of tcb's last piece when it is a copy; 0 when it
 * is not one.
 */
static inline uint32_t
fp_tcp_tail_room(const struct fp_tcp_lcore *t, const struct fp_tcb *tcb)
{
	const struct fp_tcp_piece *pc;

	if (tcb->sq_tail == 0)
		return 0;
	pc = &t->pieces[tcb->sq_tail - 1];
	if (pc->sh != 0)
		return 0;
	return FP_TCP_CHUNK - ((pc->addr - t->chunks) % FP_TCP_CHUNK + pc->len);
}

/* How much of len fits, or a negative errno when nothing can be queued. */
static __rte_hot inline int
fp_tcp_send_room(struct fp_tcp_lcore *t, const struct fp_tcb *c, uint32_t len)
{
	uint32_t room;

	/* Data goes on a connection that can still send it: from SYN-SENT to
	 * CLOSE-WAIT, before a shutdown (the states enum keeps them apart).
	 */
	if (unlikely((c->flags & (FP_TCB_FIN_QUEUED | FP_TCB_DETACHED)) ||
			(c->state != FP_TCP_ESTABLISHED && c->state != FP_TCP_CLOSE_WAIT &&
			c->state != FP_TCP_SYN_SENT && c->state != FP_TCP_SYN_RECEIVED)))
		return -EPIPE;
	room = fp_tcp_sndbuf_room(t, c);
	if (unlikely(room < len)) {
		fp_count(t->st, FP_C_tcp_sndbuf_full, 1);
		if (room == 0 && len != 0)
			return -EAGAIN;
	}
	return RTE_MIN(room, len);
}

int
fp_tcp_send_copy(struct fp_tcp_lcore *t, struct fp_tcb *c, const void *data, uint32_t len)
{
	const uint8_t *src = data;
	struct fp_tcp_piece *pc;
	uint32_t done = 0, n, tail;
	int room = fp_tcp_send_room(t, c, len);

	if (room < 0)
		return room;
	while (done < (uint32_t)room) {
		/* Into the room left in the last piece's chunk first. */
		tail = fp_tcp_tail_room(t, c);
		if (tail != 0) {
			pc = &t->pieces[c->sq_tail - 1];
		} else {
			pc = fp_tcp_chunk_add(t, c);
			if (pc == NULL)
				break;
			tail = FP_TCP_CHUNK;
		}
		n = RTE_MIN((uint32_t)room - done, tail);
		memcpy((uint8_t *)(uintptr_t)pc->addr + pc->len, src + done, n);
		pc->len += n;
		done += n;
	}
	c->sq_bytes += done;
	/* Cut short by the chunks or pieces (the send buffer counted). */
	if (done < (uint32_t)room)
		fp_count(t->st, FP_C_tcp_sndbuf_full, 1);
	return done != 0 || len == 0 ? (int)done : -EAGAIN;
}

static __rte_hot int
fp_tcp_queue_ref(struct fp_tcp_lcore *t, struct fp_tcb *c, const void *addr, rte_iova_t iova,
	uint32_t len, struct rte_mbuf_ext_shared_info *sh, bool ref, uint32_t sum)
{
	struct fp_tcp_piece *pc;
	int room = fp_tcp_send_room(t, c, len);

	if (room <= 0)
		return room;
	/* The rest of the tail piece's run (a body queued as ACKs make room):
	 * one piece longer, not one more piece per ACK for each segment to
	 * walk past. Its reference, if any, covers the run.
	 */
	if (c->sq_tail != 0) {
		pc = &t->pieces[c->sq_tail - 1];
		if (pc->sh == ((uintptr_t)sh | (ref ? 0 : FP_TCP_PIECE_NOREF)) &&
				pc->addr + pc->len == (const uint8_t *)addr &&
				pc->iova + pc->len == iova && pc->sum == FP_TCP_NOSUM &&
				(uint64_t)pc->len + room <= UINT32_MAX) {
			pc->len += room;
			c->sq_bytes += room;
			return room;
		}
	}
	pc = fp_tcp_piece_add(t, c);
	if (pc == NULL) {
		fp_count(t->st, FP_C_tcp_sndbuf_full, 1);
		return -EAGAIN;
	}
	if (ref)
		rte_mbuf_ext_refcnt_update(sh, 1);
	pc->addr = addr;
	pc->iova = iova;
	pc->sh = (uintptr_t)sh | (ref ? 0 : FP_TCP_PIECE_NOREF);
	pc->len = room;
	/* The sum is of all len bytes: no use for fewer. */
	pc->sum = (uint32_t)room == len ? sum : FP_TCP_NOSUM;
	c->sq_bytes += room;
	return room;
}

int
fp_tcp_send_ref(struct fp_tcp_lcore *t, struct fp_tcb *c, const void *addr, rte_iova_t iova,
	uint32_t len, struct rte_mbuf_ext_shared_info *sh)
{
	return fp_tcp_queue_ref(t, c, addr, iova, len, sh, true, FP_TCP_NOSUM);
}

__rte_hot int
fp_tcp_send_static(struct fp_tcp_lcore *t, struct fp_tcb *c, const void *addr,
	rte_iova_t iova, uint32_t len, struct rte_mbuf_ext_shared_info *sh, uint32_t sum)
{
	return fp_tcp_queue_ref(t, c, addr, iova, len, sh, false, sum);
}

__rte_hot int
fp_tcp_send_gen(struct fp_tcp_lcore *t, struct fp_tcb *c, const void *key, uint64_t aux,
	uint32_t len)
{
	struct fp_tcp_piece *pc;
	int room = fp_tcp_send_room(t, c, len);

	if (room <= 0)
		return room;
	if ((uint32_t)room < len)
		return -EAGAIN;		/* counted by fp_tcp_send_room() */
	pc = fp_tcp_piece_add(t, c);
	if (pc == NULL) {
		fp_count(t->st, FP_C_tcp_sndbuf_full, 1);
		return -EAGAIN;
	}
	pc->addr = key;
	pc->iova = aux;
	pc->sh = FP_TCP_PIECE_GEN;
	pc->len = len;
	c->sq_bytes += len;
	return (int)len;
}

__rte_hot void
fp_tcp_push(struct fp_tcp_lcore *t, struct fp_tcb *c)
{
	if ((c->flags & FP_TCB_IN_CB) || c->state == FP_TCP_CLOSED)
		return;
	fp_tcp_output(t, c);
	if (c->state != FP_TCP_CLOSED)
		fp_tcp_timer_update(t, c);
}

/* Moves to the state after our FIN went out. */
__rte_hot void
fp_tcp_fin_sent(struct fp_tcp_lcore *t, struct fp_tcb *tcb)
{
	tcb->flags |= FP_TCB_FIN_SENT;
	if (tcb->state == FP_TCP_ESTABLISHED)
		fp_tcb_set_state(t, tcb, FP_TCP_FIN_WAIT_1);
	else if (tcb->state == FP_TCP_CLOSE_WAIT)
		fp_tcb_set_state(t, tcb, FP_TCP_LAST_ACK);
}

__rte_hot void
fp_tcp_output(struct fp_tcp_lcore *t, struct fp_tcb *tcb)
{
	uint32_t pending, off, avail, wnd, usable, len, sent;
	bool fin;

	if (tcb->state == FP_TCP_SYN_RECEIVED || tcb->state == FP_TCP_TIME_WAIT ||
			tcb->state == FP_TCP_CLOSED || tcb->state == FP_TCP_SYN_SENT)
		goto ack;
	/* RFC 6675: in SACK recovery the scoreboard picks what goes. */
	if (unlikely(tcb->flags & FP_TCB_RECOVERY) && fp_tcp_sack_output(t, tcb))
		goto ack;
	pending = tcb->sq_bytes;
	for (;;) {
		off = tcb->snd_nxt - tcb->snd_una;
		if (tcb->flags & FP_TCB_FIN_SENT && off > pending)
			break;	/* everything, FIN included, is out */
		avail = pending - off;
		wnd = RTE_MIN(tcb->snd_wnd, tcb->cwnd);
		usable = fp_seq_lt(tcb->snd_nxt, tcb->snd_una + wnd) ?
			tcb->snd_una + wnd - tcb->snd_nxt : 0;
		fin = (tcb->flags & FP_TCB_FIN_QUEUED) != 0;
		if (avail == 0) {
			if (!fin || (tcb->flags & FP_TCB_FIN_SENT))
				break;
			/* A FIN takes no window. */
			if (fp_tcp_send_ctl(t, tcb, RTE_TCP_FIN_FLAG | RTE_TCP_ACK_FLAG,
					tcb->snd_nxt) != 0)
				break;
			tcb->snd_nxt++;
			fp_tcp_fin_sent(t, tcb);
		} else {
			len = RTE_MIN(RTE_MIN(avail, (uint32_t)tcb->mss), usable);
			/* RFC 9293 3.8.6.2.1 (sender SWS avoidance): send a full
			 * segment, or all that is queued, or half the largest
			 * window the peer offered.
			 */
			if (len == 0 || (len < tcb->mss && len < avail &&
					len < tcb->max_snd_wnd / 2)) {
				/* Persist, for a window too small as for a
				 * zero one: see fp_tcp_rexmit_timeout().
				 */
				if (tcb->snd_nxt == tcb->snd_una)
					fp_tcp_arm_rexmit(t, tcb);
				break;
			}
			/* RFC 1122 4.2.3.4 (Nagle): "If there is unacknowledged
			 * data ..., then the sending TCP buffers all user data
			 * ... until the outstanding data has been acknowledged or
			 * until the TCP can send a full-sized segment". A FIN to
			 * follow does not wait.
			 */
			if (unlikely(tcb->flags & FP_TCB_NAGLE) && len < tcb->mss &&
					len == avail && tcb->snd_nxt != tcb->snd_una && !fin)
				break;
			fin = fin && len == avail;
			if (!(tcb->flags & FP_TCB_TS) && !(tcb->flags & FP_TCB_RTT) &&
					tcb->snd_nxt == tcb->snd_max) {
				/* Karn: time only new data. */
				tcb->flags |= FP_TCB_RTT;
				tcb->rtt_seq = tcb->snd_nxt + len;
				tcb->rtt_ms = t->now_ms;
			}
			sent = fp_tcp_send_data(t, tcb, tcb->snd_nxt, len, fin);
			if (sent == 0)
				break;
			tcb->snd_nxt += sent;
			if (fin && sent == len + 1)
				fp_tcp_fin_sent(t, tcb);
		}
		if (fp_seq_gt(tcb->snd_nxt, tcb->snd_max))
			tcb->snd_max = tcb->snd_nxt;
		/* RFC 8985 7.2: a probe's timeout restarts with each new
		 * transmission, for what is in flight now.
		 */
		if (tcb->t_rexmit == 0 || (tcb->flags & FP_TCB_PTO))
			fp_tcp_arm_pto(t, tcb);
	}
ack:
	if (tcb->flags & FP_TCB_ACK_NOW)
		fp_tcp_send_ctl(t, tcb, RTE_TCP_ACK_FLAG, fp_tcp_ack_seq(tcb));
}

void
fp_tcp_retransmit(struct fp_tcp_lcore *t, struct fp_tcb *tcb)
{
	if (tcb->state == FP_TCP_SYN_RECEIVED || tcb->state == FP_TCP_SYN_SENT) {
		fp_tcp_send_ctl(t, tcb, tcb->state == FP_TCP_SYN_SENT ? RTE_TCP_SYN_FLAG :
			RTE_TCP_SYN_FLAG | RTE_TCP_ACK_FLAG, tcb->iss);
		fp_count(t->st, FP_C_tcp_retransmits, 1);
		return;
	}
	/* Go back to the first unacknowledged byte; a FIN not yet acked goes
	 * again with the data.
	 */
	tcb->snd_nxt = tcb->snd_una;
	if ((tcb->flags & FP_TCB_FIN_SENT) &&
			fp_seq_lt(tcb->snd_una, tcb->snd_max))
		tcb->flags &= ~FP_TCB_FIN_SENT;
	tcb->flags &= ~FP_TCB_RTT;
	fp_count(t->st, FP_C_tcp_retransmits, 1);
	fp_tcp_output(t, tcb);
}

/* Rewrites the received m into a reply to its sender. */
static void
fp_tcp_reply(struct fp_tcp_lcore *t, struct rte_mbuf *m, uint32_t seq, uint32_t ack,
	uint8_t flags, uint16_t wnd, const uint8_t *opt, uint8_t optlen)
{
	struct rte_ether_hdr *eh = rte_pktmbuf_mtod(m, struct rte_ether_hdr *);
	struct rte_ipv4_hdr *ip = rte_pktmbuf_mtod_offset(m, struct rte_ipv4_hdr *, m->l2_len);
	struct rte_tcp_hdr *th = (struct rte_tcp_hdr *)((char *)ip + m->l3_len);
	struct rte_ether_addr dmac = eh->src_addr;
	uint32_t raddr = ip->src_addr;
	uint16_t rport = th->src_port, lport = th->dst_port;

	rte_pktmbuf_reset(m);
	rte_pktmbuf_append(m, FP_TCP_L2 + FP_TCP_L3 + sizeof(struct rte_tcp_hdr) + optlen);
	fp_tcp_headers(t, m, &dmac, raddr, rport, lport, seq, ack, flags, wnd, opt, optlen, 0);
	fp_tcp_cksum(t, m);
	fp_tcp_sent(t, NULL, m);
}

void
fp_tcp_reply_rst(struct fp_tcp_lcore *t, struct rte_mbuf *m, const struct fp_tcp_seg *s)
{
	/* RFC 9293 3.10.7.1: "If the incoming segment has the ACK bit set, the
	 * reset takes its sequence number from the ACK field of the segment,
	 * otherwise the reset has sequence number zero and the ACK field is set
	 * to the sum of the sequence number and segment length".
	 */
	if (s->flags & RTE_TCP_ACK_FLAG)
		fp_tcp_reply(t, m, s->ack, 0, RTE_TCP_RST_FLAG, 0, NULL, 0);
	else
		fp_tcp_reply(t, m, 0, s->seq + fp_tcp_seglen(s),
			RTE_TCP_RST_FLAG | RTE_TCP_ACK_FLAG, 0, NULL, 0);
	fp_count(t->st, FP_C_tcp_resets_sent, 1);
}

void
fp_tcp_reply_synack(struct fp_tcp_lcore *t, struct rte_mbuf *m, const struct fp_tcp_seg *s,
	uint32_t iss, uint16_t mss)
{
	uint8_t opt[4] = { 2, 4, mss >> 8, mss & 0xff };

	/* A cookie cannot remember window scaling or timestamps, so the
	 * SYN-ACK offers neither and the connection does without.
	 */
	fp_tcp_reply(t, m, iss, s->seq + 1, RTE_TCP_SYN_FLAG | RTE_TCP_ACK_FLAG,
		RTE_MIN(t->p.rcv_wnd, (uint32_t)UINT16_MAX), opt, sizeof(opt));
}

bool
fp_tcp_oow_ok(struct fp_tcp_lcore *t, struct fp_tcb *tcb)
{
	uint16_t now = (uint16_t)t->now_ms;

	/* Like Linux's tcp_invalid_ratelimit: a flood of bad segments on one
	 * connection draws one ACK per interval, not one each (an ACK loop
	 * or a reflector otherwise).
	 */
	if (t->p.invalid_ratelimit_ms != 0 && tcb->bad_ack_ms != 0 &&
			(uint16_t)(now - tcb->bad_ack_ms) < t->p.invalid_ratelimit_ms) {
		fp_count_drop(t->st, FP_DROP_tcp_ack_ratelimited);
		return false;
	}
	tcb->bad_ack_ms = now != 0 ? now : 1;
	return true;
}

bool
fp_tcp_challenge_ok(struct fp_tcp_lcore *t, struct fp_tcb *tcb)
{
	uint32_t limit = t->p.challenge_acks;

	if (!fp_tcp_oow_ok(t, tcb))
		return false;
	/* RFC 5961 section 7: "an implementation SHOULD include an ACK
	 * throttling mechanism". A fixed budget shared by every connection
	 * tells an off-path attacker, counting the ACKs it provokes, whether
	 * its guess hit (CVE-2016-5696): each second's budget is drawn at
	 * random, limit / 2 + [0, limit), as Linux does since.
	 */
	if (t->now_ms - t->chal_ms >= 1000 || t->chal_ms == 0) {
		t->chal_ms = t->now_ms;
		t->chal_left = (limit + 1) / 2 + (uint32_t)rte_rand_max(limit);
	}
	if (t->chal_left == 0) {
		fp_count_drop(t->st, FP_DROP_tcp_challenge_limited);
		return false;
	}
	t->chal_left--;
	fp_count(t->st, FP_C_tcp_challenge_acks, 1);
	return true;
}

uint32_t
fp_tcp_resend(struct fp_tcp_lcore *t, struct fp_tcb *tcb, uint32_t seq, uint32_t len)
{
	uint32_t end = tcb->snd_una + tcb->sq_bytes, sent;
	bool fin;

	if (fp_seq_gt(seq + len, end))
		len = fp_seq_gt(end, seq) ? end - seq : 0;
	/* A FIN sent after the last byte goes again with it. */
	fin = (tcb->flags & FP_TCB_FIN_SENT) && seq + len == end &&
		fp_seq_lt(end, tcb->snd_max);
	if (len == 0 && !fin)
		return 0;
	if (len == 0)
		sent = fp_tcp_send_ctl(t, tcb, RTE_TCP_FIN_FLAG | RTE_TCP_ACK_FLAG, seq) == 0 ?
			1 : 0;
	else
		sent = fp_tcp_send_data(t, tcb, seq, len, fin);
	if (sent == 0)
		return 0;
	tcb->flags &= ~FP_TCB_RTT;	/* Karn */
	fp_count(t->st, FP_C_tcp_retransmits, 1);
	return sent;
}
