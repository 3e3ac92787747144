/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The fastpath authors
 */

#ifndef FP_STATS_H
#define FP_STATS_H

#include <stdint.h>

#include <rte_common.h>

struct rte_mempool;

/* The one list of counters (C) and drop reasons (D). It generates the enums,
 * the names and the telemetry output; add a counter here and nowhere else.
 */
#define FP_STATS_LIST(C, D) \
	C(rx_packets,		"frames received") \
	C(rx_bytes,		"bytes received") \
	C(tx_packets,		"frames accepted by the PMD") \
	C(tx_bytes,		"bytes accepted by the PMD") \
	C(arp_requests,		"ARP who-has for our address") \
	C(arp_replies,		"ARP replies queued for TX") \
	C(arp_learned,		"ARP cache entries added or refreshed") \
	C(garp_sent,		"gratuitous ARPs queued for TX") \
	C(ipv4_packets,		"IPv4 packets for us that passed validation") \
	C(icmp_echo_requests,	"ICMP echo requests received") \
	C(icmp_echo_replies,	"ICMP echo replies queued for TX") \
	D(eth_runt,		"frame shorter than an Ethernet header") \
	D(eth_not_for_us,	"destination MAC neither ours nor broadcast") \
	D(eth_bad_src,		"source MAC multicast or broadcast") \
	D(eth_unknown_type,	"EtherType other than IPv4 or ARP") \
	D(arp_truncated,	"ARP shorter than 28 bytes") \
	D(arp_bad_format,	"ARP not Ethernet/IPv4 or with bad lengths") \
	D(arp_bad_op,		"ARP opcode neither request nor reply") \
	D(arp_bad_sender,	"ARP sender MAC not unicast, or IP broadcast, multicast or ours") \
	D(arp_not_for_us,	"ARP about another target address") \
	D(ipv4_truncated,	"IPv4 shorter than its header or total length") \
	D(ipv4_bad_version,	"IP version other than 4") \
	D(ipv4_bad_ihl,		"IPv4 header length under 20 bytes") \
	D(ipv4_bad_len,		"IPv4 total length shorter than its header") \
	D(ipv4_bad_csum,	"IPv4 header checksum wrong") \
	D(ipv4_fragment,	"IPv4 fragment (no reassembly)") \
	D(ipv4_link_bcast,	"IPv4 unicast datagram sent to the Ethernet broadcast") \
	D(ipv4_bad_option,	"IPv4 option with a bad length") \
	D(ipv4_source_route,	"IPv4 with a source route option (LSRR/SSRR)") \
	D(ipv4_bad_src,		"IPv4 source broadcast, multicast, zero or ours") \
	D(ipv4_not_for_us,	"IPv4 destination not our address") \
	D(ipv4_unknown_proto,	"IPv4 protocol not served") \
	D(icmp_truncated,	"ICMP shorter than its header") \
	D(icmp_bad_csum,	"ICMP checksum wrong") \
	D(icmp_unsupported,	"ICMP type other than echo request") \
	D(no_mbuf,		"mbuf allocation failed") \
	D(tx_full,		"frames the PMD refused to send")

#define FP_STATS_ENUM_C(name, help) FP_C_##name,
#define FP_STATS_ENUM_D(name, help) FP_DROP_##name,
#define FP_STATS_SKIP(name, help)

enum fp_counter {
	FP_STATS_LIST(FP_STATS_ENUM_C, FP_STATS_SKIP)
	FP_C_MAX
};

enum fp_drop {
	FP_STATS_LIST(FP_STATS_SKIP, FP_STATS_ENUM_D)
	FP_DROP_MAX
};

/* One per worker. Only that worker writes it, with relaxed atomic stores
 * (a plain mov on x86); readers load each word the same way.
 */
struct fp_stats {
	uint64_t c[FP_C_MAX];
	uint64_t drop[FP_DROP_MAX];
} __rte_cache_aligned;

extern const char *const fp_counter_names[FP_C_MAX];
extern const char *const fp_drop_names[FP_DROP_MAX];

static inline void
fp_count(struct fp_stats *st, enum fp_counter c, uint64_t n)
{
	__atomic_store_n(&st->c[c], st->c[c] + n, __ATOMIC_RELAXED);
}

static inline void
fp_count_drops(struct fp_stats *st, enum fp_drop d, uint64_t n)
{
	__atomic_store_n(&st->drop[d], st->drop[d] + n, __ATOMIC_RELAXED);
}

static inline void
fp_count_drop(struct fp_stats *st, enum fp_drop d)
{
	fp_count_drops(st, d, 1);
}

/* Makes a worker's counters and pool visible to the totals and telemetry.
 * Called before the workers start; pool may be NULL.
 */
int
fp_stats_register(struct fp_stats *st, struct rte_mempool *pool);

/* Forgets every registration (at shutdown, and between tests). Returns once
 * no telemetry callback can still reach what was registered, so it may be
 * freed.
 */
void
fp_stats_unregister_all(void);

/* Sums every registered worker into out. Safe while the workers run. */
void
fp_stats_total(struct fp_stats *out);

/* Registers /fastpath/stats and /fastpath/mempool with rte_telemetry. */
int
fp_stats_telemetry_init(void);

#endif /* FP_STATS_H */
