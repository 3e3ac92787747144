/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The fastpath authors
 */

#ifndef FP_COMMON_H
#define FP_COMMON_H

#include <stdbool.h>
#include <stdint.h>

#include <rte_byteorder.h>
#include <rte_common.h>
#include <rte_ether.h>
#include <rte_log.h>
#include <rte_pause.h>

/* One registered logtype per module, so levels are set per module:
 * --log-level=fastpath.arp:debug
 */
#define FP_LOGTYPE_LIST(X) \
	X(main, "fastpath") \
	X(config, "fastpath.config") \
	X(stats, "fastpath.stats") \
	X(port, "fastpath.port") \
	X(xdp, "fastpath.xdp") \
	X(eth, "fastpath.eth") \
	X(arp, "fastpath.arp") \
	X(ipv4, "fastpath.ipv4") \
	X(icmp, "fastpath.icmp") \
	X(http, "fastpath.http") \
	X(tcp, "fastpath.tcp") \
	X(worker, "fastpath.worker") \
	X(ctrl, "fastpath.ctrl")

#define FP_LOGTYPE_DECL(mod, name) extern int fp_logtype_##mod;
FP_LOGTYPE_LIST(FP_LOGTYPE_DECL)
#undef FP_LOGTYPE_DECL

#define FP_LOG(level, mod, fmt, ...) \
	rte_log(RTE_LOG_##level, fp_logtype_##mod, "fastpath.%s: " fmt "\n", #mod, \
		##__VA_ARGS__)

/* What the control plane publishes to telemetry callbacks (DPDK's threads),
 * and can take back. A callback enters (counts itself, then loads word) and
 * exits; retiring clears word, then waits for the callbacks counted. Both
 * sides are sequentially consistent, so a callback either sees word cleared
 * or is waited for before what word stood for is freed.
 */
struct fp_guard {
	unsigned int word;
	unsigned int readers;
};

static inline unsigned int
fp_guard_enter(struct fp_guard *g)
{
	__atomic_add_fetch(&g->readers, 1, __ATOMIC_SEQ_CST);
	return __atomic_load_n(&g->word, __ATOMIC_SEQ_CST);
}

static inline void
fp_guard_exit(struct fp_guard *g)
{
	__atomic_sub_fetch(&g->readers, 1, __ATOMIC_RELEASE);
}

static inline void
fp_guard_publish(struct fp_guard *g, unsigned int word)
{
	__atomic_store_n(&g->word, word, __ATOMIC_SEQ_CST);
}

static inline void
fp_guard_retire(struct fp_guard *g)
{
	fp_guard_publish(g, 0);
	while (__atomic_load_n(&g->readers, __ATOMIC_SEQ_CST) != 0)
		rte_pause();
}

#define FP_ERR_LEN 512

/* Why set-up failed: one line naming the file or option, the key and the reason. */
struct fp_err {
	char msg[FP_ERR_LEN];
};

/* Fills err (when not NULL) and returns ret, for one-line error returns. */
int
fp_fail(struct fp_err *err, int ret, const char *fmt, ...) __rte_format_printf(3, 4);

/* What a protocol handler decided about one packet. Any value >= 0 is an
 * enum fp_drop: the caller frees the mbuf and counts that reason.
 */
#define FP_TX		(-1)	/* the mbuf was rewritten into a reply: send it */
#define FP_CONSUMED	(-2)	/* handled without a reply: free it, count no drop */
#define FP_TAKEN	(-3)	/* the handler kept the mbuf: neither send nor free it */

/* The address of the interface a worker serves, shared read-only by workers. */
struct fp_iface {
	uint16_t port_id;
	struct rte_ether_addr mac;
	uint32_t ip;		/* network order */
	uint32_t netmask;	/* network order */
	uint32_t gateway;	/* network order, 0 when none */
	uint8_t prefix_len;
	bool tx_ip_cksum;	/* the port computes IPv4 header checksums */
	bool rx_ip_cksum;	/* the port flags IPv4 header checksums on RX */
	bool tx_tcp_cksum;	/* the port computes TCP checksums */
	bool rx_tcp_cksum;	/* the port flags TCP checksums on RX */
	bool tx_multi_seg;	/* the port sends chained mbufs (zero-copy bodies) */
	bool tx_cksum_odd_bug;	/* its TCP offload sums chains with odd pieces wrongly */
	uint16_t mtu;		/* largest IPv4 datagram it sends whole */
};

/* The network-order mask of a prefix length (0 to 32). */
static inline uint32_t
fp_ipv4_netmask(uint8_t prefix_len)
{
	return prefix_len == 0 ? 0 : rte_cpu_to_be_32(~0u << (32 - prefix_len));
}

/* Not zero, loopback (127/8), multicast or class E (224/3). */
static inline bool
fp_ipv4_unicast(uint32_t ip)
{
	uint32_t top = rte_be_to_cpu_32(ip) >> 24;

	return ip != 0 && top != 127 && top < 224;
}

/* RFC 1122 3.2.1.3: a host MUST silently discard a datagram whose source is
 * zero, loopback, broadcast (limited or of our subnet), multicast or class E.
 * We add our own address: nobody else may use it.
 */
static inline bool
fp_ipv4_src_valid(const struct fp_iface *ifc, uint32_t ip)
{
	if (!fp_ipv4_unicast(ip) || ip == ifc->ip)
		return false;
	if (ifc->netmask != UINT32_MAX && ifc->netmask != RTE_BE32(0xfffffffe) &&
			(ip & ifc->netmask) == (ifc->ip & ifc->netmask) &&
			(ip | ifc->netmask) == UINT32_MAX)
		return false;
	return true;
}

/* The ones' complement sum of len bytes at buf added to sum, not folded
 * (DPDK's __rte_raw_cksum). One copy out of line for every software
 * checksum of the fast path: inlined, each caller had its own unrolled
 * loop, and the code a packet runs through grew by as many.
 */
uint32_t
fp_cksum_sum(const void *buf, size_t len, uint32_t sum);

/* rte_hash's key compare for the 8-byte keys of fastpath's tables (a
 * 4-tuple, a path's hash): the table has no compare of its own for that
 * length and calls libc's memcmp, which costs more than the key. Returns 0
 * when equal, as memcmp. Set with rte_hash_set_cmp_func().
 */
int
fp_hash_cmp_u64(const void *a, const void *b, size_t len);

/* The same folded to 16 bits (rte_raw_cksum). */
static inline uint16_t
fp_cksum_raw(const void *buf, size_t len)
{
	uint32_t sum = fp_cksum_sum(buf, len, 0);

	sum = (sum >> 16) + (sum & 0xffff);
	sum = (sum >> 16) + (sum & 0xffff);
	return (uint16_t)sum;
}

struct rte_mbuf;

/* Keeps the first len bytes of m's chain (at most its length): the
 * segments after them are freed and the last one kept is cut, wherever the
 * cut falls (rte_pktmbuf_trim can only shorten the last segment). For the
 * Ethernet padding a frame carries past its IP or ARP length.
 */
void
fp_mbuf_cut(struct rte_mbuf *m, uint32_t len);

/* Formats a network-order IPv4 address; buf needs INET_ADDRSTRLEN bytes. */
const char *
fp_ipv4_str(uint32_t ip, char *buf, size_t len);

#endif /* FP_COMMON_H */
