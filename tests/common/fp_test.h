/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The fastpath authors
 */

#ifndef FP_TEST_H
#define FP_TEST_H

#include <stdbool.h>
#include <stdint.h>

#include <check.h>

#include <rte_byteorder.h>
#include <rte_ether.h>
#include <rte_ip.h>
#include <rte_mbuf.h>

#include "fp_common.h"

/* One suite per module; test_main.c runs them all. */
Suite *
common_suite(void);
Suite *
fault_suite(void);
Suite *
config_suite(void);
Suite *
stats_suite(void);
Suite *
eth_suite(void);
Suite *
xdp_suite(void);
Suite *
arp_suite(void);
Suite *
ipv4_suite(void);
Suite *
icmp_suite(void);
Suite *
http_parse_suite(void);
Suite *
http_resp_suite(void);
Suite *
http_chunked_suite(void);
Suite *
http_cond_suite(void);
Suite *
http_router_suite(void);
Suite *
http_handlers_suite(void);
Suite *
tcp_suite(void);
Suite *
tcp_wire_suite(void);
Suite *
ws_suite(void);
Suite *
ws_session_suite(void);
Suite *
sse_suite(void);
Suite *
channels_suite(void);

/* A network-order IPv4 address, usable in constant expressions. Not
 * RTE_IPV4(): it shifts an int, undefined for a first byte over 127.
 */
#define FP_TEST_ADDR(a, b, c, d) \
	RTE_BE32((uint32_t)(a) << 24 | (uint32_t)(b) << 16 | (uint32_t)(c) << 8 | (uint32_t)(d))

/* The interface under test: 198.18.0.2/24, gateway 198.18.0.1. */
#define FP_TEST_IP		FP_TEST_ADDR(198, 18, 0, 2)
#define FP_TEST_NETMASK		FP_TEST_ADDR(255, 255, 255, 0)
#define FP_TEST_GATEWAY		FP_TEST_ADDR(198, 18, 0, 1)
#define FP_TEST_PREFIX_LEN	24
/* The host on the other end of the wire. */
#define FP_TEST_PEER_IP		FP_TEST_ADDR(198, 18, 0, 10)

extern const struct rte_ether_addr fp_test_mac;		/* 02:00:00:00:00:02, ours */
extern const struct rte_ether_addr fp_test_peer_mac;	/* 02:00:00:00:00:0a */
extern const struct rte_ether_addr fp_test_bcast_mac;	/* ff:ff:ff:ff:ff:ff */

/* EAL memory for every suite that needs it, in MB. --no-huge maps it
 * without touching it, so a suite pays only for what it allocates; the
 * largest user is tcp_wire's million idle connections.
 */
#define FP_TEST_EAL_MB "512"

/* Starts EAL once per process, whichever suite asks first: no hugepages, no
 * PCI, no shared config, FP_TEST_EAL_MB of memory, a file prefix from name
 * and the pid. Fails the calling test when EAL does not start.
 */
void
fp_test_eal_up(const char *name);

/* Fills ifc with the test interface: no checksum offloads. */
void
fp_test_iface(struct fp_iface *ifc);

struct fp_peer;
struct fp_tcp_lcore;
struct rte_mempool;

/* fp_peer_init() between the test interface and the peer's address, with
 * a fail callback that fails the test.
 */
void
fp_test_peer_init(struct fp_peer *p, struct fp_tcp_lcore *t, struct rte_mempool *pool,
	uint16_t port);

struct fp_stats;

/* IPv4 input with ICMP registered, as a worker has it. */
int
fp_test_ipv4_in(const struct fp_iface *ifc, struct fp_stats *st, struct rte_mbuf *m);

struct fp_http_worker;

/* Ends a test of worker 0's TCP t and HTTP hw on the peer pr: frees them,
 * then fails the test unless every mbuf of t's pools, every gauge of st and
 * every reference of the server's loaded bodies is back.
 */
void
fp_test_stack_end(struct fp_peer *pr, struct fp_tcp_lcore *t, struct fp_http_worker *hw,
	const struct fp_stats *st);

struct fp_config;
struct fp_http_server;
struct fp_iface;
struct fp_tcp_params;

/* The wire tests of HTTP and what runs on it (handlers, WebSocket,
 * channels): one worker on the synthetic peer.
 */

/* Mbufs of each pool, and the data room of the packet pool's: a whole
 * 9000-byte frame in one mbuf.
 */
#define FP_TEST_HTTP_MBUFS 1024
#define FP_TEST_HTTP_ROOM 9216

struct cli;

/* c received exactly want[0, n) since the last call, which it forgets;
 * where names the step in the message ("" for none).
 */
void
fp_test_take(struct cli *c, const char *want, uint32_t n, const char *where);

/* The peer's last step sent no data, FIN or RST (pure ACKs may go). */
void
fp_test_assert_no_data(const struct fp_peer *pr, const char *where);

/* A client of pr on port: connected, 1000 its first sequence number. */
void
fp_test_connect(struct cli *c, struct fp_peer *pr, uint16_t port);

/* A packet pool and a zero-copy pool (no data room), named from tag and a
 * counter; the peer on the packet one, to port.
 */
void
fp_test_http_pools(const char *tag, struct rte_mempool **pool, struct rte_mempool **zc_pool,
	struct fp_peer *pr, struct fp_tcp_lcore *t, uint16_t port);

/* The configuration they share: defaults, the test address, small pools
 * (rxbufs and max_conns 64, contexts 16, body_buffers 4, reply_buffers 16)
 * and max_body.
 */
void
fp_test_http_config(struct fp_config *cfg, uint32_t max_body);

/* Worker 0's TCP on the peer's queue and its HTTP on srv. */
void
fp_test_http_start(struct fp_tcp_lcore *t, const struct fp_tcp_params *prm,
	const struct fp_iface *ifc, struct fp_stats *st, struct fp_peer *pr,
	struct rte_mempool *pool, struct rte_mempool *zc_pool, struct fp_http_worker *hw,
	struct fp_http_server *srv, const struct fp_config *cfg);

/* Nothing held for requests (contexts, request and body buffers, copied
 * bodies, send-queue pieces and chunks) and no WebSocket open.
 */
void
fp_test_http_assert_idle(const struct fp_stats *st, const struct fp_tcp_lcore *t);

/* Data room of a fake mbuf, after its headroom. */
#define FP_TEST_ROOM 2048

/* A one-segment mbuf that needs neither EAL nor a mempool. Never pass it
 * to anything that frees it.
 */
struct fp_test_mbuf {
	struct rte_mbuf m;
	uint8_t buf[RTE_PKTMBUF_HEADROOM + FP_TEST_ROOM];
};

/* Makes tm an empty mbuf with room bytes (at most FP_TEST_ROOM) after the
 * headroom, and returns it.
 */
struct rte_mbuf *
fp_test_mbuf_init(struct fp_test_mbuf *tm, uint16_t room);

/* Makes tm a full-room mbuf holding a copy of the len bytes at data. */
struct rte_mbuf *
fp_test_mbuf_from(struct fp_test_mbuf *tm, const void *data, uint16_t len);

/* Bytes allocated from every socket's rte_malloc heap. */
size_t
fp_test_heap_used(void);

/* The fields of an Ethernet + ARP frame; fp_test_arp_init fills in a valid
 * one and a test changes what it wants to break.
 */
struct fp_test_arp {
	struct rte_ether_addr eth_dst;
	struct rte_ether_addr eth_src;
	uint16_t hrd;		/* host order */
	uint16_t pro;		/* host order */
	uint8_t hln;
	uint8_t pln;
	uint16_t op;		/* host order */
	struct rte_ether_addr sha;
	uint32_t spa;		/* network order */
	struct rte_ether_addr tha;
	uint32_t tpa;		/* network order */
	uint16_t frame_len;	/* 0: 42 bytes; more pads with zeros, less truncates */
};

/* A request (op 1, broadcast) or reply (op 2, to our MAC) from the peer
 * about our address.
 */
void
fp_test_arp_init(struct fp_test_arp *a, uint16_t op);

/* Writes the frame into a fresh tm and returns the mbuf. */
struct rte_mbuf *
fp_test_arp_build(struct fp_test_mbuf *tm, const struct fp_test_arp *a);

/* The fields of an Ethernet + IPv4 + ICMP frame, as for ARP above. Both
 * checksums are computed after every other field is written.
 */
struct fp_test_ip {
	struct rte_ether_addr eth_dst;
	struct rte_ether_addr eth_src;
	uint16_t ether_type;	/* host order */
	uint8_t version;
	uint8_t ihl;		/* 32-bit words; over 5 adds NOP options */
	uint16_t frag;		/* host order flags and fragment offset */
	uint8_t ttl;
	uint8_t proto;
	uint32_t src;		/* network order */
	uint32_t dst;		/* network order */
	int32_t tot_len_adj;	/* added to the right total_length */
	bool bad_ip_csum;
	uint8_t icmp_type;
	uint8_t icmp_code;
	uint16_t icmp_id;	/* host order */
	uint16_t icmp_seq;	/* host order */
	const uint8_t *payload;	/* NULL: fp_test_pattern() bytes */
	uint16_t payload_len;
	bool bad_icmp_csum;
	uint16_t frame_len;	/* 0: exact; more pads with zeros, less truncates */
};

/* An echo request from the peer to us with a 56-byte payload. */
void
fp_test_ip_init(struct fp_test_ip *p);

/* Writes the frame into a fresh tm and returns the mbuf; l2_len is left 0. */
struct rte_mbuf *
fp_test_ip_build(struct fp_test_mbuf *tm, const struct fp_test_ip *p);

/* Byte i of the default payload. */
static inline uint8_t
fp_test_pattern(uint32_t i)
{
	return (uint8_t)(i * 7 + 3);
}

/* True when the IPv4 header at ip (of its own IHL) sums to 0xffff. */
bool
fp_test_ipv4_cksum_ok(const struct rte_ipv4_hdr *ip);

#endif /* FP_TEST_H */
