/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The fastpath authors
 */

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rte_arp.h>
#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_icmp.h>
#include <rte_malloc.h>

#include "fp_http.h"
#include "fp_icmp.h"
#include "fp_ipv4.h"
#include "fp_tcp_peer.h"
#include "fp_test.h"

const struct rte_ether_addr fp_test_mac = {
	.addr_bytes = { 0x02, 0x00, 0x00, 0x00, 0x00, 0x02 } };
const struct rte_ether_addr fp_test_peer_mac = {
	.addr_bytes = { 0x02, 0x00, 0x00, 0x00, 0x00, 0x0a } };
const struct rte_ether_addr fp_test_bcast_mac = {
	.addr_bytes = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff } };

void
fp_test_eal_up(const char *name)
{
	static bool up;
	char prefix[64];
	char *argv[] = {
		(char *)(uintptr_t)name, "--no-huge", "--no-pci", "--no-shconf",
		"--no-telemetry", "-m", FP_TEST_EAL_MB, "--lcores=0", "--log-level=*:error",
		prefix,
	};

	if (up)
		return;
	snprintf(prefix, sizeof(prefix), "--file-prefix=%s_%d", name, (int)getpid());
	if (rte_eal_init(RTE_DIM(argv), argv) < 0)
		ck_abort_msg("rte_eal_init: %s", rte_strerror(rte_errno));
	/* --no-shconf leaves the runtime directory empty: nothing to keep, and
	 * nothing left behind in /var/run/dpdk.
	 */
	rmdir(rte_eal_get_runtime_dir());
	up = true;
}

void
fp_test_iface(struct fp_iface *ifc)
{
	memset(ifc, 0, sizeof(*ifc));
	ifc->port_id = 0;
	ifc->mac = fp_test_mac;
	ifc->ip = FP_TEST_IP;
	ifc->netmask = FP_TEST_NETMASK;
	ifc->gateway = FP_TEST_GATEWAY;
	ifc->prefix_len = FP_TEST_PREFIX_LEN;
	ifc->mtu = 1500;
	ifc->tx_ip_cksum = false;
	ifc->rx_ip_cksum = false;
}

static void
fp_test_peer_fail(struct fp_peer *p __rte_unused, const char *msg)
{
	ck_abort_msg("%s", msg);
}

void
fp_test_peer_init(struct fp_peer *p, struct fp_tcp_lcore *t, struct rte_mempool *pool,
	uint16_t port)
{
	fp_peer_init(p, t, pool, port);
	p->ip = FP_TEST_IP;
	p->cli_ip = FP_TEST_PEER_IP;
	p->mac = fp_test_mac;
	p->cli_mac = fp_test_peer_mac;
	p->fail = fp_test_peer_fail;
}

void
fp_test_stack_end(struct fp_peer *pr, struct fp_tcp_lcore *t, struct fp_http_worker *hw,
	const struct fp_stats *st)
{
	const struct fp_http_server *srv = hw->srv;
	struct rte_mempool *pool = t->pool, *zc_pool = t->zc_pool;
	unsigned int i;

	fp_peer_flush(pr);
	fp_tcp_lcore_free(t);
	fp_http_worker_free(hw);
	ck_assert_uint_eq(rte_mempool_in_use_count(pool), 0);
	ck_assert_uint_eq(rte_mempool_in_use_count(zc_pool), 0);
	for (i = 0; i < FP_G_MAX; i++)
		ck_assert_msg(st->g[i] == 0, "gauge %s is %" PRId64 " after the free",
			fp_gauge_names[i], st->g[i]);
	for (i = 0; i < srv->nb_routes; i++)
		ck_assert_uint_eq(rte_mbuf_ext_refcnt_read(fp_http_shinfo(srv, 0, i)), 1);
}

void
fp_test_http_pools(const char *tag, struct rte_mempool **pool, struct rte_mempool **zc_pool,
	struct fp_peer *pr, struct fp_tcp_lcore *t, uint16_t port)
{
	static unsigned int seq;
	char name[RTE_MEMPOOL_NAMESIZE];

	snprintf(name, sizeof(name), "%s_pkt_%u", tag, seq);
	*pool = rte_pktmbuf_pool_create(name, FP_TEST_HTTP_MBUFS, 0, 0,
		RTE_PKTMBUF_HEADROOM + FP_TEST_HTTP_ROOM, SOCKET_ID_ANY);
	ck_assert_msg(*pool != NULL, "packet pool: %s", rte_strerror(rte_errno));
	snprintf(name, sizeof(name), "%s_zc_%u", tag, seq++);
	*zc_pool = rte_pktmbuf_pool_create(name, FP_TEST_HTTP_MBUFS, 0, 0, 0, SOCKET_ID_ANY);
	ck_assert_msg(*zc_pool != NULL, "zero-copy pool: %s", rte_strerror(rte_errno));
	fp_test_peer_init(pr, t, *pool, port);
}

void
fp_test_http_config(struct fp_config *cfg, uint32_t max_body)
{
	ck_assert_int_eq(fp_config_defaults(cfg), 0);
	cfg->ip = FP_TEST_IP;
	cfg->prefix_len = FP_TEST_PREFIX_LEN;
	cfg->rxbufs = 64;
	cfg->max_conns = 64;
	cfg->max_body = max_body;
	cfg->contexts = 16;
	cfg->body_buffers = 4;
	cfg->reply_buffers = 16;
}

void
fp_test_http_start(struct fp_tcp_lcore *t, const struct fp_tcp_params *prm,
	const struct fp_iface *ifc, struct fp_stats *st, struct fp_peer *pr,
	struct rte_mempool *pool, struct rte_mempool *zc_pool, struct fp_http_worker *hw,
	struct fp_http_server *srv, const struct fp_config *cfg)
{
	struct fp_err err;

	ck_assert_msg(fp_tcp_lcore_init(t, prm, 0, SOCKET_ID_ANY, &err) == 0, "%s", err.msg);
	fp_tcp_lcore_attach(t, ifc, st, &pr->txq, pool, zc_pool);
	ck_assert_msg(fp_http_worker_init(hw, srv, cfg, t, st, 0, SOCKET_ID_ANY, &err) == 0,
		"%s", err.msg);
}

void
fp_test_take(struct cli *c, const char *want, uint32_t n, const char *where)
{
	ck_assert_msg(c->rx_len == n && memcmp(c->rx, want, n) == 0,
		"%s%sreceived %u bytes:\n%.*s\nexpected %u:\n%.*s", where, *where ? ": " : "",
		c->rx_len, (int)c->rx_len, (const char *)c->rx, n, (int)n, want);
	c->rx_len = 0;
}

void
fp_test_assert_no_data(const struct fp_peer *pr, const char *where)
{
	unsigned int i;

	for (i = 0; i < pr->nb_out; i++)
		ck_assert_msg(pr->out[i].len == 0 && !(pr->out[i].flags & (F_FIN | F_RST)),
			"%s%ssegment %u: %u bytes, flags %#x", where, *where ? ": " : "", i,
			pr->out[i].len, pr->out[i].flags);
}

void
fp_test_connect(struct cli *c, struct fp_peer *pr, uint16_t port)
{
	cli_init(c, pr, port, 1000);
	cli_connect(c);
}

void
fp_test_http_assert_idle(const struct fp_stats *st, const struct fp_tcp_lcore *t)
{
	ck_assert_int_eq(st->g[FP_G_http_contexts], 0);
	ck_assert_int_eq(st->g[FP_G_http_rxbufs], 0);
	ck_assert_int_eq(st->g[FP_G_http_body_buffers], 0);
	ck_assert_int_eq(st->g[FP_G_http_reply_buffers], 0);
	ck_assert_int_eq(st->g[FP_G_ws_open], 0);
	/* The send-queue gauges are published once a tick: the free lists
	 * themselves say it now.
	 */
	ck_assert_uint_eq(t->nb_piece_free, t->p.pieces);
	ck_assert_uint_eq(t->nb_chunk_free, t->p.chunks);
}

int
fp_test_ipv4_in(const struct fp_iface *ifc, struct fp_stats *st, struct rte_mbuf *m)
{
	static struct fp_ipv4_protos l4;

	if (l4.nb == 0)
		ck_assert_int_eq(fp_ipv4_register(&l4, IPPROTO_ICMP, fp_icmp_input, NULL), 0);
	return fp_ipv4_input(&l4, ifc, st, &m);
}

struct rte_mbuf *
fp_test_mbuf_init(struct fp_test_mbuf *tm, uint16_t room)
{
	struct rte_mbuf *m = &tm->m;

	if (room > FP_TEST_ROOM)
		abort();
	memset(tm, 0, sizeof(*tm));
	m->buf_addr = tm->buf;
	m->buf_len = RTE_PKTMBUF_HEADROOM + room;
	m->data_off = RTE_PKTMBUF_HEADROOM;
	m->data_len = 0;
	m->pkt_len = 0;
	m->nb_segs = 1;
	rte_mbuf_refcnt_set(m, 1);
	m->next = NULL;
	m->pool = NULL;
	m->ol_flags = 0;
	m->port = 0;
	return m;
}

struct rte_mbuf *
fp_test_mbuf_from(struct fp_test_mbuf *tm, const void *data, uint16_t len)
{
	struct rte_mbuf *m = fp_test_mbuf_init(tm, FP_TEST_ROOM);

	if (len > FP_TEST_ROOM)
		abort();
	memcpy(rte_pktmbuf_mtod(m, void *), data, len);
	m->data_len = len;
	m->pkt_len = len;
	return m;
}

size_t
fp_test_heap_used(void)
{
	struct rte_malloc_socket_stats ss;
	size_t n = 0;
	int i;

	for (i = 0; i < RTE_MAX_NUMA_NODES; i++)
		if (rte_malloc_get_socket_stats(i, &ss) == 0)
			n += ss.heap_allocsz_bytes;
	return n;
}

/* Sets the frame length to len bytes of which built are written; the rest,
 * if any, is zero padding, as a NIC would see it.
 */
static void
fp_test_set_len(struct rte_mbuf *m, uint16_t built, uint16_t len)
{
	if (len == 0)
		len = built;
	if (len > FP_TEST_ROOM)
		abort();
	if (len > built)
		memset(rte_pktmbuf_mtod_offset(m, uint8_t *, built), 0, len - built);
	m->data_len = len;
	m->pkt_len = len;
}

void
fp_test_arp_init(struct fp_test_arp *a, uint16_t op)
{
	memset(a, 0, sizeof(*a));
	a->eth_dst = op == RTE_ARP_OP_REQUEST ? fp_test_bcast_mac : fp_test_mac;
	a->eth_src = fp_test_peer_mac;
	a->hrd = RTE_ARP_HRD_ETHER;
	a->pro = RTE_ETHER_TYPE_IPV4;
	a->hln = RTE_ETHER_ADDR_LEN;
	a->pln = 4;
	a->op = op;
	a->sha = fp_test_peer_mac;
	a->spa = FP_TEST_PEER_IP;
	if (op != RTE_ARP_OP_REQUEST)
		a->tha = fp_test_mac;
	a->tpa = FP_TEST_IP;
}

struct rte_mbuf *
fp_test_arp_build(struct fp_test_mbuf *tm, const struct fp_test_arp *a)
{
	struct rte_mbuf *m = fp_test_mbuf_init(tm, FP_TEST_ROOM);
	struct rte_ether_hdr *eh = rte_pktmbuf_mtod(m, struct rte_ether_hdr *);
	struct rte_arp_hdr *ah = (struct rte_arp_hdr *)(eh + 1);

	eh->dst_addr = a->eth_dst;
	eh->src_addr = a->eth_src;
	eh->ether_type = rte_cpu_to_be_16(RTE_ETHER_TYPE_ARP);
	ah->arp_hardware = rte_cpu_to_be_16(a->hrd);
	ah->arp_protocol = rte_cpu_to_be_16(a->pro);
	ah->arp_hlen = a->hln;
	ah->arp_plen = a->pln;
	ah->arp_opcode = rte_cpu_to_be_16(a->op);
	ah->arp_data.arp_sha = a->sha;
	ah->arp_data.arp_sip = a->spa;
	ah->arp_data.arp_tha = a->tha;
	ah->arp_data.arp_tip = a->tpa;
	fp_test_set_len(m, sizeof(*eh) + sizeof(*ah), a->frame_len);
	return m;
}

void
fp_test_ip_init(struct fp_test_ip *p)
{
	memset(p, 0, sizeof(*p));
	p->eth_dst = fp_test_mac;
	p->eth_src = fp_test_peer_mac;
	p->ether_type = RTE_ETHER_TYPE_IPV4;
	p->version = 4;
	p->ihl = 5;
	p->frag = RTE_IPV4_HDR_DF_FLAG;
	p->ttl = 61;
	p->proto = IPPROTO_ICMP;
	p->src = FP_TEST_PEER_IP;
	p->dst = FP_TEST_IP;
	p->icmp_type = RTE_IP_ICMP_ECHO_REQUEST;
	p->icmp_code = 0;
	p->icmp_id = 0x1234;
	p->icmp_seq = 7;
	p->payload_len = 56;
}

struct rte_mbuf *
fp_test_ip_build(struct fp_test_mbuf *tm, const struct fp_test_ip *p)
{
	struct rte_mbuf *m = fp_test_mbuf_init(tm, FP_TEST_ROOM);
	struct rte_ether_hdr *eh = rte_pktmbuf_mtod(m, struct rte_ether_hdr *);
	struct rte_ipv4_hdr *ip = (struct rte_ipv4_hdr *)(eh + 1);
	uint32_t hlen = p->ihl * RTE_IPV4_IHL_MULTIPLIER;
	uint32_t icmp_len = sizeof(struct rte_icmp_hdr) + p->payload_len;
	struct rte_icmp_hdr *ic;
	uint8_t *data;
	uint32_t i;

	if (hlen < sizeof(*ip))
		hlen = sizeof(*ip);	/* a bad IHL still gets a full fixed header */
	if (sizeof(*eh) + hlen + icmp_len > FP_TEST_ROOM)
		abort();
	eh->dst_addr = p->eth_dst;
	eh->src_addr = p->eth_src;
	eh->ether_type = rte_cpu_to_be_16(p->ether_type);

	ip->version_ihl = (uint8_t)(p->version << 4 | (p->ihl & RTE_IPV4_HDR_IHL_MASK));
	ip->type_of_service = 0;
	ip->total_length = rte_cpu_to_be_16((uint16_t)(hlen + icmp_len + p->tot_len_adj));
	ip->packet_id = rte_cpu_to_be_16(0x4242);
	ip->fragment_offset = rte_cpu_to_be_16(p->frag);
	ip->time_to_live = p->ttl;
	ip->next_proto_id = p->proto;
	ip->src_addr = p->src;
	ip->dst_addr = p->dst;
	/* Options: NOPs (type 1), valid in any number. */
	memset(ip + 1, 1, hlen - sizeof(*ip));

	ic = (struct rte_icmp_hdr *)((uint8_t *)ip + hlen);
	ic->icmp_type = p->icmp_type;
	ic->icmp_code = p->icmp_code;
	ic->icmp_ident = rte_cpu_to_be_16(p->icmp_id);
	ic->icmp_seq_nb = rte_cpu_to_be_16(p->icmp_seq);
	data = (uint8_t *)(ic + 1);
	for (i = 0; i < p->payload_len; i++)
		data[i] = p->payload != NULL ? p->payload[i] : fp_test_pattern(i);
	ic->icmp_cksum = 0;
	ic->icmp_cksum = (uint16_t)~rte_raw_cksum(ic, icmp_len);
	/* XOR with 0x00ff never maps one zero (0x0000, 0xffff) to the other. */
	if (p->bad_icmp_csum)
		ic->icmp_cksum ^= RTE_BE16(0x00ff);

	ip->hdr_checksum = 0;
	ip->hdr_checksum = (uint16_t)~rte_raw_cksum(ip, hlen);
	if (p->bad_ip_csum)
		ip->hdr_checksum ^= RTE_BE16(0x00ff);

	fp_test_set_len(m, sizeof(*eh) + hlen + icmp_len, p->frame_len);
	return m;
}

bool
fp_test_ipv4_cksum_ok(const struct rte_ipv4_hdr *ip)
{
	uint32_t hlen = (ip->version_ihl & RTE_IPV4_HDR_IHL_MASK) * RTE_IPV4_IHL_MULTIPLIER;

	return rte_raw_cksum(ip, hlen) == 0xffff;
}
