/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The fastpath authors
 */

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <rte_byteorder.h>
#include <rte_cfgfile.h>
#include <rte_common.h>

#include "fp_common.h"
#include "fp_config.h"

enum fp_key_type {
	FP_T_U16,
	FP_T_U32,
	FP_T_BOOL,
	FP_T_IPV4,
	FP_T_IPV4_PREFIX,
	FP_T_STR,		/* max is the buffer size */
	FP_T_PORTS,		/* comma-separated TCP ports, off2 the count */
	FP_T_ENUM,		/* one of names[], stored as its index (uint8_t) */
};

struct fp_key {
	struct fp_config_key_info info;
	enum fp_key_type type;
	size_t off;
	size_t off2;		/* FP_T_IPV4_PREFIX: the prefix length */
	uint64_t min, max;	/* integers */
	const char *const *names;	/* FP_T_ENUM, NULL-terminated */
};

#define U16(s, k, f, d, lo, hi, h) \
	{ { s, k, d, h }, FP_T_U16, offsetof(struct fp_config, f), 0, lo, hi, NULL }
#define U32(s, k, f, d, lo, hi, h) \
	{ { s, k, d, h }, FP_T_U32, offsetof(struct fp_config, f), 0, lo, hi, NULL }
#define BOOL(s, k, f, d, h) \
	{ { s, k, d, h }, FP_T_BOOL, offsetof(struct fp_config, f), 0, 0, 1, NULL }
#define ENUM(s, k, f, d, n, h) \
	{ { s, k, d, h }, FP_T_ENUM, offsetof(struct fp_config, f), 0, 0, 0, n }

const char *const fp_cc_names[] = {
#define X(name) #name,
	FP_CC_LIST(X)
#undef X
	NULL
};

const char *const fp_xdp_mode_names[] = {
#define X(name) #name,
	FP_XDP_MODE_LIST(X)
#undef X
	NULL
};

static const struct fp_key fp_keys[] = {
	{ { "eal", "args", "", "EAL arguments of a driver profile (see drivers-cfg/); "
		"the same options on the command line replace them" },
		FP_T_STR, offsetof(struct fp_config, eal_args), 0, 0, FP_EAL_ARGS_LEN, NULL },
	U16("port", "id", port_id, "0", 0, RTE_MAX_ETHPORTS - 1,
		"DPDK port to serve (0 is the first probed device or vdev)"),
	U16("port", "rx_desc", rx_desc, "1024", 64, 16384, "RX descriptors per queue"),
	U16("port", "tx_desc", tx_desc, "1024", 64, 16384, "TX descriptors per queue"),
	U16("port", "mtu", mtu, "1500", 576, 9000, "IP MTU of the port"),
	BOOL("port", "checksum_offload", cksum_offload, "true",
		"use the port's IPv4 and TCP checksum offloads when it has them"),
	BOOL("port", "multi_seg_tx", multi_seg_tx, "true",
		"send bodies zero-copy as multi-segment frames when the port can"),
	{ { "ip", "address", "", "our address and prefix, e.g. 198.18.0.2/24 (required)" },
		FP_T_IPV4_PREFIX, offsetof(struct fp_config, ip),
		offsetof(struct fp_config, prefix_len), 0, 0, NULL },
	{ { "ip", "gateway", "", "next hop for off-link peers; empty for none" },
		FP_T_IPV4, offsetof(struct fp_config, gateway), 0, 0, 0, NULL },
	U32("ip", "frag_entries", frag_entries, "64", 0, 65536,
		"per worker: datagrams being reassembled at once, each of at most 8 fragments "
		"(0: fragments are dropped)"),
	U32("ip", "frag_timeout_ms", frag_timeout_ms, "30000", 10, 120000,
		"time a fragmented datagram has to arrive whole, as Linux's ipfrag_time"),
	U32("mempool", "mbufs", mbufs, "8191", 512, 1u << 24,
		"mbufs in each worker's pool (best as 2^n - 1)"),
	U32("mempool", "cache", mbuf_cache, "256", 0, 512, "per-lcore mempool cache size"),
	U32("arp", "cache_size", arp_cache_size, "256", 4, 65536,
		"ARP cache entries per worker, rounded up to a power of two"),
	U32("arp", "timeout_s", arp_timeout_s, "300", 1, 86400,
		"seconds an ARP cache entry stays valid without being refreshed"),
	BOOL("arp", "gratuitous", garp, "true",
		"announce our address with a gratuitous ARP at start"),
	U32("worker", "drain_us", drain_us, "100", 1, 100000,
		"longest time a queued TX frame waits before the queue is flushed"),
	U16("worker", "burst", burst, "32", 1, FP_BURST_MAX, "RX burst size"),
	{ { "tcp", "listen", "80", "TCP ports served, comma-separated (at most 8)" },
		FP_T_PORTS, offsetof(struct fp_config, listen),
		offsetof(struct fp_config, nb_listen), 0, 0, NULL },
	U32("tcp", "max_conns", max_conns, "16384", 16, 1u << 22,
		"connections per worker, in any state (the table is sized for this)"),
	U32("tcp", "syn_backlog", syn_backlog, "1024", 1, 1u << 22,
		"half-open connections per worker before SYN cookies take over"),
	U32("tcp", "time_wait_ms", time_wait_ms, "60000", 1, 240000,
		"TIME-WAIT duration (2 MSL); the oldest is reused when the table is full"),
	U32("tcp", "fin_wait2_ms", fin_wait2_ms, "60000", 1, 600000,
		"how long FIN-WAIT-2 waits for the peer's FIN (Linux tcp_fin_timeout)"),
	U32("tcp", "linger_ms", linger_ms, "60000", 1, 600000,
		"after a close, longest wait for queued data and the FIN to go out"),
	U32("tcp", "rto_min_ms", rto_min_ms, "200", 10, 1000,
		"lower bound of the retransmission timeout (RFC 6298 says 1 s; Linux 200 ms)"),
	U32("tcp", "rto_max_ms", rto_max_ms, "60000", 1000, 120000,
		"upper bound of the retransmission timeout after backoff"),
	U32("tcp", "retries", retries, "8", 1, 30,
		"retransmissions of one segment before the connection is aborted"),
	U32("tcp", "syn_retries", syn_retries, "6", 1, 30,
		"SYN retransmissions of an active open before it fails"),
	U32("tcp", "delack_ms", delack_ms, "40", 1, 500,
		"longest delay of an ACK that no response could carry"),
	U32("tcp", "challenge_acks", challenge_acks, "1000", 1, 1000000,
		"challenge ACKs per second per worker, on average: each second's budget is drawn at random (RFC 5961 section 7)"),
	U32("tcp", "invalid_ratelimit_ms", invalid_ratelimit_ms, "500", 0, 30000,
		"per connection: at most one ACK to unacceptable segments in this time (0: no limit)"),
	U32("tcp", "rcv_wnd", rcv_wnd, "65535", 1460, 1u << 20,
		"receive window advertised, in bytes"),
	U32("tcp", "sndbuf", sndbuf, "1048576", 4096, 1u << 30,
		"bytes one connection may have queued and unacknowledged"),
	U32("tcp", "tx_pieces", tx_pieces, "65536", 64, 1u << 24,
		"per worker: send-queue pieces (one per queued run of bytes, 32 bytes each)"),
	U32("tcp", "tx_chunks", tx_chunks, "16384", 64, 1u << 22,
		"per worker: 512-byte buffers for copied send data (response headers)"),
	U32("tcp", "initial_window", initial_window, "10", 1, 100,
		"segments of the initial congestion window (RFC 6928: 10)"),
	ENUM("tcp", "congestion", congestion, "cubic", fp_cc_names,
		"congestion control: cubic (RFC 9438, as Linux) or newreno (RFC 5681, 6582)"),
	BOOL("tcp", "nagle", nagle, "false",
		"Nagle's algorithm: a segment shorter than the MSS waits for the ACK of what "
		"is out (RFC 896); fp_tcp_set_nagle() per connection"),
	BOOL("tcp", "timestamps", timestamps, "true",
		"offer and accept timestamps (RFC 7323: RTT, PAWS)"),
	U32("tcp", "ooo_segments", ooo_segments, "4096", 0, 1u << 20,
		"per worker: out-of-order segments held for reassembly (0: none)"),
	U32("tcp", "ooo_max", ooo_max, "64", 0, 4096,
		"out-of-order segments one connection may hold (0: none)"),
	BOOL("tcp", "sack", sack, "true",
		"offer and accept selective acknowledgments (RFC 2018)"),
	U32("tcp", "sack_boards", sack_boards, "1024", 0, 1u << 20,
		"per worker: SACK scoreboards (284 bytes each), one per connection the peer SACKs; "
		"without one a connection recovers the NewReno way (0: never SACK-led)"),
	U32("tcp", "port_min", port_min, "32768", 1024, 65535,
		"lowest ephemeral port for active opens (split between workers)"),
	U32("tcp", "port_max", port_max, "60999", 1024, 65535,
		"highest ephemeral port for active opens"),
	{ { "http", "root", "", "directory whose files are served; empty for none" },
		FP_T_STR, offsetof(struct fp_config, root), 0, 0, FP_PATH_LEN, NULL },
	{ { "http", "server", "fastpath", "value of the Server header" },
		FP_T_STR, offsetof(struct fp_config, server), 0, 0, 64, NULL },
	U32("http", "max_header_bytes", max_header_bytes, "32768", 512, 65535,
		"longest request head (request line and headers); longer gets 431"),
	U32("http", "max_uri", max_uri, "8192", 16, 65535,
		"longest request target; longer gets 414"),
	U32("http", "max_body", max_body, "1048576", 0, 1u << 31,
		"longest request body read and discarded; longer gets 413"),
	U32("http", "keepalive_timeout_s", keepalive_timeout_s, "75", 1, 86400,
		"an idle keep-alive connection is closed after this"),
	U32("http", "header_timeout_s", header_timeout_s, "10", 1, 3600,
		"a request head must arrive whole within this (then 408)"),
	U32("http", "rxbufs", rxbufs, "512", 16, 1u << 20,
		"per worker: buffers for request heads split over segments"),
	U32("http", "body_timeout_s", body_timeout_s, "30", 1, 3600,
		"a request body must arrive whole within this (then 408)"),
	U32("http", "send_timeout_s", send_timeout_s, "60", 1, 3600,
		"a client that acknowledges no response byte for this long is reset"),
	U32("http", "contexts", contexts, "4096", 16, 1u << 20,
		"per worker: requests in progress at once (more get 503)"),
	U32("http", "body_buffers", body_buffers, "16", 1, 65536,
		"per worker: request bodies read for handlers at once (more get 503)"),
	U32("http", "reply_buffers", reply_buffers, "256", 16, 1u << 20,
		"per worker: 16 KB buffers for response bodies handlers copy"),
	BOOL("http", "compress", compress, "true",
		"make gzip and brotli variants of compressible files at start, kept when at "
		"most 90% of the original; file.gz and file.br siblings are used as they are"),
	U32("http", "compress_min", compress_min, "256", 1, 1u << 30,
		"smallest file compressed at start, in bytes"),
	U32("http", "compress_max", compress_max, "4194304", 1, 1u << 30,
		"largest file compressed at start, in bytes (siblings are used at any size)"),
	U32("http", "compress_budget_s", compress_budget_s, "60", 0, 3600,
		"time compression at start may take in all; the files after it go "
		"uncompressed (0: no compression)"),
	U32("http", "gzip_level", gzip_level, "12", 1, 12,
		"libdeflate level of the gzip variants (12: smallest)"),
	U32("http", "brotli_quality", brotli_quality, "11", 0, 11,
		"quality of the brotli variants (11: smallest)"),
	U32("http", "dynamic_min", dynamic_min, "1024", 1, 1u << 30,
		"smallest handler body compressed on the fly, for handlers that call "
		"fp_http_compress()"),
	U32("http", "dynamic_level", dynamic_level, "1", 1, 12,
		"libdeflate level of bodies compressed on the fly (1: fastest)"),
	ENUM("xdp", "mode", xdp_mode, "off", fp_xdp_mode_names,
		"steering by fastpath's XDP program (net_af_xdp with xdp_prog=): off; shared, the "
		"kernel keeps the address and answers its ARP and ICMP, fastpath gets TCP to its "
		"ports; owned, fastpath gets the address's ARP, ICMP and TCP to its ports. "
		"Every other frame stays with the kernel"),
	BOOL("fault", "enabled", fault_enabled, "false",
		"inject the faults below on every worker's RX and TX (tests, demos)"),
	U32("fault", "seed", fault_seed, "1", 0, UINT32_MAX,
		"seed of the fault generator (each worker its own stream from it)"),
	U32("fault", "rx_drop_ppm", fault_rx_drop, "0", 0, 1000000,
		"received frames dropped, parts per million"),
	U32("fault", "tx_drop_ppm", fault_tx_drop, "0", 0, 1000000,
		"sent frames dropped, parts per million"),
	U32("fault", "rx_dup_ppm", fault_rx_dup, "0", 0, 1000000,
		"received frames duplicated, parts per million"),
	U32("fault", "tx_dup_ppm", fault_tx_dup, "0", 0, 1000000,
		"sent frames duplicated, parts per million"),
	U32("fault", "rx_reorder_ppm", fault_rx_reorder, "0", 0, 1000000,
		"received frames held back behind the next one, parts per million"),
	U32("fault", "tx_reorder_ppm", fault_tx_reorder, "0", 0, 1000000,
		"sent frames held back behind the next one, parts per million"),
	U32("fault", "rx_delay_ms", fault_rx_delay_ms, "0", 0, 10000,
		"received frames delayed this long"),
	U32("fault", "tx_delay_ms", fault_tx_delay_ms, "0", 0, 10000,
		"sent frames delayed this long"),
	U32("log", "summary_s", summary_s, "60", 0, 86400,
		"seconds between one-line summaries in the log; 0 for none"),
	U32("shutdown", "drain_s", drain_s, "5", 0, 3600,
		"on SIGTERM, longest wait for in-flight responses before exiting"),
};

unsigned int
fp_config_keys(const struct fp_config_key_info **keys)
{
	static struct fp_config_key_info info[RTE_DIM(fp_keys)];
	unsigned int i;

	for (i = 0; i < RTE_DIM(fp_keys); i++)
		info[i] = fp_keys[i].info;
	*keys = info;
	return RTE_DIM(fp_keys);
}

int
fp_config_value(const struct fp_config *cfg, unsigned int idx, char *buf, size_t len)
{
	const struct fp_key *k;
	const uint8_t *base = (const uint8_t *)cfg;
	char ip[INET_ADDRSTRLEN];
	size_t used;
	unsigned int i;
	uint8_t nb;

	if (idx >= RTE_DIM(fp_keys) || len == 0)
		return -EINVAL;
	k = &fp_keys[idx];
	buf[0] = '\0';
	switch (k->type) {
	case FP_T_U16:
		snprintf(buf, len, "%u", *(const uint16_t *)(base + k->off));
		break;
	case FP_T_U32:
		snprintf(buf, len, "%u", *(const uint32_t *)(base + k->off));
		break;
	case FP_T_BOOL:
		snprintf(buf, len, "%s", *(const bool *)(base + k->off) ? "true" : "false");
		break;
	case FP_T_IPV4:
	case FP_T_IPV4_PREFIX:
		if (*(const uint32_t *)(base + k->off) == 0)
			break;
		inet_ntop(AF_INET, base + k->off, ip, sizeof(ip));
		if (k->type == FP_T_IPV4)
			snprintf(buf, len, "%s", ip);
		else
			snprintf(buf, len, "%s/%u", ip, *(base + k->off2));
		break;
	case FP_T_STR:
		snprintf(buf, len, "%s", (const char *)(base + k->off));
		break;
	case FP_T_ENUM:
		snprintf(buf, len, "%s", k->names[*(base + k->off)]);
		break;
	case FP_T_PORTS:
		nb = *(base + k->off2);
		for (i = 0, used = 0; i < nb && used < len; i++)
			used += snprintf(buf + used, len - used, "%s%u", i > 0 ? "," : "",
				((const uint16_t *)(base + k->off))[i]);
		break;
	}
	return 0;
}

int
fp_parse_ipv4(const char *s, uint32_t *ip)
{
	struct in_addr a;

	/* inet_pton takes only the four-part dotted-decimal form. */
	if (s == NULL || inet_pton(AF_INET, s, &a) != 1)
		return -EINVAL;
	*ip = a.s_addr;
	return 0;
}

int
fp_parse_ipv4_prefix(const char *s, uint32_t *ip, uint8_t *prefix_len, const char **why)
{
	char addr[INET_ADDRSTRLEN];
	const char *slash;
	unsigned long len;
	char *end;

	if (s == NULL) {
		*why = "is missing";
		return -EINVAL;
	}
	slash = strchr(s, '/');
	if (slash == NULL) {
		*why = "has no /prefix length";
		return -EINVAL;
	}
	if ((size_t)(slash - s) >= sizeof(addr)) {
		*why = "is not an IPv4 address";
		return -EINVAL;
	}
	memcpy(addr, s, slash - s);
	addr[slash - s] = '\0';
	if (fp_parse_ipv4(addr, ip) != 0) {
		*why = "is not an IPv4 address";
		return -EINVAL;
	}
	errno = 0;
	len = strtoul(slash + 1, &end, 10);
	if (!isdigit((unsigned char)slash[1]) || *end != '\0' || errno != 0) {
		*why = "has a prefix length that is not a number";
		return -EINVAL;
	}
	if (len > 32) {
		*why = "has a prefix length over 32";
		return -EINVAL;
	}
	*prefix_len = len;
	return 0;
}

static int
fp_parse_bool(const char *s, bool *b)
{
	static const char *const yes[] = { "true", "yes", "on", "1" };
	static const char *const no[] = { "false", "no", "off", "0" };
	unsigned int i;

	for (i = 0; i < RTE_DIM(yes); i++) {
		if (strcasecmp(s, yes[i]) == 0) {
			*b = true;
			return 0;
		}
		if (strcasecmp(s, no[i]) == 0) {
			*b = false;
			return 0;
		}
	}
	return -EINVAL;
}

static int
fp_parse_ports(struct fp_config *cfg, const struct fp_key *k, const char *origin,
	const char *section, const char *key, const char *value, struct fp_err *err)
{
	uint16_t *ports = (uint16_t *)((uint8_t *)cfg + k->off);
	uint8_t *nb = (uint8_t *)cfg + k->off2;
	const char *p = value;
	unsigned long n;
	unsigned int i;
	char *end;

	*nb = 0;
	for (;;) {
		while (*p == ' ')
			p++;
		errno = 0;
		n = strtoul(p, &end, 10);
		if (!isdigit((unsigned char)*p) || errno != 0 || n == 0 || n > UINT16_MAX)
			return fp_fail(err, -EINVAL,
				"%s: [%s] %s: '%s' is not a list of ports from 1 to 65535",
				origin, section, key, value);
		for (i = 0; i < *nb; i++)
			if (ports[i] == n)
				return fp_fail(err, -EINVAL, "%s: [%s] %s: port %lu given twice",
					origin, section, key, n);
		if (*nb == FP_MAX_LISTEN)
			return fp_fail(err, -EINVAL, "%s: [%s] %s: more than %u ports",
				origin, section, key, FP_MAX_LISTEN);
		ports[(*nb)++] = n;
		p = end;
		while (*p == ' ')
			p++;
		if (*p == '\0')
			return 0;
		if (*p != ',')
			return fp_fail(err, -EINVAL,
				"%s: [%s] %s: '%s' is not a list of ports from 1 to 65535",
				origin, section, key, value);
		p++;
	}
}

static const struct fp_key *
fp_key_find(const char *section, const char *key)
{
	unsigned int i;

	for (i = 0; i < RTE_DIM(fp_keys); i++)
		if (strcmp(fp_keys[i].info.section, section) == 0 &&
				strcmp(fp_keys[i].info.key, key) == 0)
			return &fp_keys[i];
	return NULL;
}

static bool
fp_section_known(const char *section)
{
	unsigned int i;

	for (i = 0; i < RTE_DIM(fp_keys); i++)
		if (strcmp(fp_keys[i].info.section, section) == 0)
			return true;
	return false;
}

/* One of k's names, or an error that lists them. */
static int
fp_parse_enum(struct fp_config *cfg, const struct fp_key *k, const char *origin,
	const char *section, const char *key, const char *value, struct fp_err *err)
{
	char list[128];
	size_t used = 0;
	unsigned int i;

	for (i = 0; k->names[i] != NULL; i++) {
		if (strcmp(value, k->names[i]) == 0) {
			*((uint8_t *)cfg + k->off) = i;
			return 0;
		}
		if (used < sizeof(list))
			used += snprintf(list + used, sizeof(list) - used, "%s%s",
				i > 0 ? ", " : "", k->names[i]);
	}
	return fp_fail(err, -EINVAL, "%s: [%s] %s: '%s' is not one of: %s", origin, section, key,
		value, list);
}

int
fp_config_set(struct fp_config *cfg, const char *origin, const char *section,
	const char *key, const char *value, struct fp_err *err)
{
	const struct fp_key *k = fp_key_find(section, key);
	uint8_t *base = (uint8_t *)cfg;
	unsigned long long n;
	const char *why;
	uint32_t ip;
	char *end;
	bool b;

	if (k == NULL) {
		if (!fp_section_known(section))
			return fp_fail(err, -EINVAL, "%s: [%s]: unknown section", origin, section);
		return fp_fail(err, -EINVAL, "%s: [%s] %s: unknown key", origin, section, key);
	}
	switch (k->type) {
	case FP_T_U16:
	case FP_T_U32:
		errno = 0;
		n = strtoull(value, &end, 10);
		if (!isdigit((unsigned char)value[0]) || *end != '\0')
			return fp_fail(err, -EINVAL, "%s: [%s] %s: '%s' is not a number",
				origin, section, key, value);
		if (errno == ERANGE || n < k->min || n > k->max)
			return fp_fail(err, -EINVAL,
				"%s: [%s] %s: %s is out of range [%" PRIu64 ", %" PRIu64 "]",
				origin, section, key, value, k->min, k->max);
		if (k->type == FP_T_U16)
			*(uint16_t *)(base + k->off) = n;
		else
			*(uint32_t *)(base + k->off) = n;
		break;
	case FP_T_BOOL:
		if (fp_parse_bool(value, &b) != 0)
			return fp_fail(err, -EINVAL,
				"%s: [%s] %s: '%s' is not a boolean (true or false)",
				origin, section, key, value);
		*(bool *)(base + k->off) = b;
		break;
	case FP_T_IPV4:
		if (value[0] == '\0') {
			ip = 0;
		} else if (fp_parse_ipv4(value, &ip) != 0) {
			return fp_fail(err, -EINVAL, "%s: [%s] %s: '%s' is not an IPv4 address",
				origin, section, key, value);
		}
		*(uint32_t *)(base + k->off) = ip;
		break;
	case FP_T_IPV4_PREFIX:
		if (value[0] == '\0') {
			*(uint32_t *)(base + k->off) = 0;
			*(uint8_t *)(base + k->off2) = 0;
			break;
		}
		if (fp_parse_ipv4_prefix(value, &ip, base + k->off2, &why) != 0)
			return fp_fail(err, -EINVAL, "%s: [%s] %s: '%s' %s",
				origin, section, key, value, why);
		*(uint32_t *)(base + k->off) = ip;
		break;
	case FP_T_STR:
		if (strlen(value) >= k->max)
			return fp_fail(err, -EINVAL, "%s: [%s] %s: longer than %" PRIu64 " bytes",
				origin, section, key, k->max - 1);
		strcpy((char *)(base + k->off), value);
		break;
	case FP_T_PORTS:
		return fp_parse_ports(cfg, k, origin, section, key, value, err);
	case FP_T_ENUM:
		return fp_parse_enum(cfg, k, origin, section, key, value, err);
	}
	return 0;
}

int
fp_config_defaults(struct fp_config *cfg)
{
	unsigned int i;
	int ret;

	memset(cfg, 0, sizeof(*cfg));
	for (i = 0; i < RTE_DIM(fp_keys); i++) {
		ret = fp_config_set(cfg, "defaults", fp_keys[i].info.section,
			fp_keys[i].info.key, fp_keys[i].info.def, NULL);
		if (ret != 0)
			return ret;
	}
	return 0;
}

/* rte_cfgfile reports syntax errors without a file or line; find the line. */
static int
fp_config_syntax(FILE *f, const char *path, struct fp_err *err)
{
	char line[1024];
	unsigned int lineno = 0;
	bool in_section = false;

	while (fgets(line, sizeof(line), f) != NULL) {
		char *p = line, *e;

		lineno++;
		e = strchr(p, '#');
		if (e != NULL)
			*e = '\0';
		while (isspace((unsigned char)*p))
			p++;
		e = p + strlen(p);
		while (e > p && isspace((unsigned char)e[-1]))
			*--e = '\0';
		if (*p == '\0')
			continue;
		if (*p == '[') {
			if (e[-1] != ']' || e - p < 3)
				return fp_fail(err, -EINVAL,
					"%s:%u: a section header must be [name]", path, lineno);
			in_section = true;
			continue;
		}
		if (strchr(p, '=') == NULL)
			return fp_fail(err, -EINVAL, "%s:%u: expected key = value", path, lineno);
		if (!in_section)
			return fp_fail(err, -EINVAL, "%s:%u: key outside any [section]",
				path, lineno);
		if (strlen(p) >= CFG_VALUE_LEN)
			return fp_fail(err, -EINVAL, "%s:%u: line too long", path, lineno);
	}
	return 0;
}

/* Where section sec ([KIND NAME]) goes among the n of its kind, whose names
 * are at names + i * stride: over the same name's slot from an earlier
 * file (index below first), else a new one.
 */
static int
fp_config_slot(const char *path, const char *sec, const char *kind, const char *name,
	const char *names, size_t stride, uint16_t n, uint16_t first, uint16_t max,
	uint16_t *slot, struct fp_err *err)
{
	uint16_t i;

	*slot = n;
	for (i = 0; i < n; i++) {
		if (strcmp(names + i * stride, name) != 0)
			continue;
		if (i >= first)
			return fp_fail(err, -EINVAL, "%s: [%s]: %s given twice", path, sec, kind);
		*slot = i;
	}
	if (*slot == max)
		return fp_fail(err, -EINVAL, "%s: [%s]: more than %u %s sections", path, sec, max,
			kind);
	return 0;
}

/* Entry i of a section must not repeat an earlier one's key. */
static int
fp_config_key_once(const char *path, const char *sec, const struct rte_cfgfile_entry *e, int i,
	struct fp_err *err)
{
	int j;

	for (j = 0; j < i; j++)
		if (strcmp(e[i].name, e[j].name) == 0)
			return fp_fail(err, -EINVAL, "%s: [%s] %s: key given twice", path, sec,
				e[i].name);
	return 0;
}

/* A route of an earlier file (a profile) is replaced by a later file's;
 * within one file (from index first on) it may appear once.
 */
static int
fp_config_route(struct fp_config *cfg, const char *path, const char *sec,
	const struct rte_cfgfile_entry *e, int n, uint16_t first, struct fp_err *err)
{
	struct fp_config_route *r;
	const char *name = sec + 6;
	unsigned long status;
	uint16_t slot;
	char *end;
	int i, ret;

	while (*name == ' ')
		name++;
	if (name[0] != '/' || strpbrk(name, " ?#\t") != NULL)
		return fp_fail(err, -EINVAL,
			"%s: [%s]: a route path starts with / and has no space, ? or #", path, sec);
	ret = fp_config_slot(path, sec, "route", name, cfg->routes[0].path,
		sizeof(cfg->routes[0]), cfg->nb_routes, first, FP_MAX_ROUTES, &slot, err);
	if (ret != 0)
		return ret;
	r = &cfg->routes[slot];
	memset(r, 0, sizeof(*r));
	snprintf(r->path, sizeof(r->path), "%s", name);
	r->status = 200;
	for (i = 0; i < n; i++) {
		const char *k = e[i].name, *v = e[i].value;

		ret = fp_config_key_once(path, sec, e, i, err);
		if (ret != 0)
			return ret;
		if (strcmp(k, "body") == 0) {
			snprintf(r->body, sizeof(r->body), "%s", v);
			r->has_body = true;
		} else if (strcmp(k, "file") == 0) {
			if (v[0] == '\0')
				return fp_fail(err, -EINVAL, "%s: [%s] file: is empty", path, sec);
			snprintf(r->file, sizeof(r->file), "%s", v);
		} else if (strcmp(k, "content_type") == 0) {
			if (strlen(v) >= sizeof(r->content_type) || strpbrk(v, "\r\n") != NULL)
				return fp_fail(err, -EINVAL,
					"%s: [%s] content_type: too long or not one line",
					path, sec);
			snprintf(r->content_type, sizeof(r->content_type), "%s", v);
		} else if (strcmp(k, "status") == 0) {
			errno = 0;
			status = strtoul(v, &end, 10);
			if (!isdigit((unsigned char)v[0]) || *end != '\0' || status < 200 ||
					status > 599 || errno != 0)
				return fp_fail(err, -EINVAL,
					"%s: [%s] status: '%s' is not a status from 200 to 599",
					path, sec, v);
			r->status = status;
		} else {
			return fp_fail(err, -EINVAL,
				"%s: [%s] %s: unknown key (body, file, status, content_type)",
				path, sec, k);
		}
	}
	if (r->has_body == (r->file[0] != '\0'))
		return fp_fail(err, -EINVAL, "%s: [%s]: give exactly one of body and file",
			path, sec);
	if (slot == cfg->nb_routes)
		cfg->nb_routes++;
	return 0;
}

const char *const fp_chan_pub_names[] = {
#define X(name) #name,
	FP_CHAN_PUB_LIST(X)
#undef X
};

/* A number of [sec] key from lo to hi. */
static int
fp_config_sec_u32(const char *path, const char *sec, const char *k, const char *v, uint32_t lo,
	uint32_t hi, uint32_t *out, struct fp_err *err)
{
	unsigned long n;
	char *end;

	errno = 0;
	n = strtoul(v, &end, 10);
	if (!isdigit((unsigned char)v[0]) || *end != '\0' || errno != 0 || n < lo || n > hi)
		return fp_fail(err, -EINVAL, "%s: [%s] %s: '%s' is not a number from %u to %u",
			path, sec, k, v, lo, hi);
	*out = n;
	return 0;
}

/* One [channel PREFIX] section, in the manner of [route PATH]. */
static int
fp_config_channel(struct fp_config *cfg, const char *path, const char *sec,
	const struct rte_cfgfile_entry *e, int n, uint16_t first, struct fp_err *err)
{
	static const struct {
		const char *key;
		size_t off;
		uint32_t lo, hi;
	} nums[] = {
		{ "history", offsetof(struct fp_config_channel, history), 0, 65535 },
		{ "history_bytes", offsetof(struct fp_config_channel, history_bytes), 0,
			1u << 30 },
		{ "max_message", offsetof(struct fp_config_channel, max_message), 1, 1u << 20 },
		{ "backlog", offsetof(struct fp_config_channel, backlog), 1024, 1u << 30 },
		{ "heartbeat_ms", offsetof(struct fp_config_channel, heartbeat_ms), 0, 3600000 },
		{ "names", offsetof(struct fp_config_channel, names), 1, 1u << 20 },
		{ "frames", offsetof(struct fp_config_channel, frames), 16, 1u << 20 },
	};
	struct fp_config_channel *ch;
	const char *name = sec + 8;
	size_t len;
	uint16_t slot;
	int i, ret;
	unsigned int k;

	while (*name == ' ')
		name++;
	len = strlen(name);
	if (len < 2 || name[0] != '/' || name[len - 1] != '/' ||
			strpbrk(name, " ?#\t*{}%\"\\") != NULL)
		return fp_fail(err, -EINVAL, "%s: [%s]: a channel prefix starts and ends with / "
			"and has no space, ?, #, *, {, }, %%, \" or \\", path, sec);
	ret = fp_config_slot(path, sec, "channel", name, cfg->channels[0].prefix,
		sizeof(cfg->channels[0]), cfg->nb_channels, first, FP_MAX_CHANNELS, &slot, err);
	if (ret != 0)
		return ret;
	ch = &cfg->channels[slot];
	memset(ch, 0, sizeof(*ch));
	snprintf(ch->prefix, sizeof(ch->prefix), "%s", name);
	ch->history = 64;
	ch->history_bytes = 1u << 20;
	ch->max_message = 16384;
	ch->backlog = 256 * 1024;
	ch->heartbeat_ms = 15000;
	ch->names = 1024;
	ch->frames = 1024;
	ch->publish = FP_CHAN_PUB_post;
	for (i = 0; i < n; i++) {
		const char *key = e[i].name, *v = e[i].value;

		ret = fp_config_key_once(path, sec, e, i, err);
		if (ret != 0)
			return ret;
		for (k = 0; k < RTE_DIM(nums) && strcmp(key, nums[k].key) != 0; k++)
			;
		if (k < RTE_DIM(nums)) {
			ret = fp_config_sec_u32(path, sec, key, v, nums[k].lo, nums[k].hi,
				(uint32_t *)((char *)ch + nums[k].off), err);
			if (ret != 0)
				return ret;
		} else if (strcmp(key, "publish") == 0) {
			for (k = 0; k < FP_CHAN_PUB_MAX && strcmp(v, fp_chan_pub_names[k]) != 0; k++)
				;
			if (k == FP_CHAN_PUB_MAX)
				return fp_fail(err, -EINVAL, "%s: [%s] publish: '%s' is not one of "
					"post, websocket, both, none", path, sec, v);
			ch->publish = k;
		} else if (strcmp(key, "token") == 0) {
			/* RFC 6750 2.1: b64token. */
			if (strlen(v) >= sizeof(ch->token) || strspn(v, "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
					"abcdefghijklmnopqrstuvwxyz0123456789-._~+/=") != strlen(v))
				return fp_fail(err, -EINVAL, "%s: [%s] token: at most %zu "
					"characters of A-Z a-z 0-9 - . _ ~ + / =", path, sec,
					sizeof(ch->token) - 1);
			snprintf(ch->token, sizeof(ch->token), "%s", v);
		} else {
			return fp_fail(err, -EINVAL, "%s: [%s] %s: unknown key (history, "
				"history_bytes, max_message, backlog, heartbeat_ms, names, frames, "
				"publish, token)", path, sec, key);
		}
	}
	/* A subscriber must hold one message in its largest form, an event
	 * of max_message bytes and its framing (lib/channels), or every
	 * message would find it slow.
	 */
	if (ch->backlog < ch->max_message + ch->max_message / 4 + 64)
		return fp_fail(err, -EINVAL, "%s: [%s] backlog: %u is below the largest event "
			"of max_message %u bytes (%u)", path, sec, ch->backlog, ch->max_message,
			ch->max_message + ch->max_message / 4 + 64);
	if (slot == cfg->nb_channels)
		cfg->nb_channels++;
	return 0;
}

int
fp_config_load(struct fp_config *cfg, const char *path, struct fp_err *err)
{
	const struct rte_cfgfile_parameters params = { .comment_character = '#' };
	struct rte_cfgfile_entry *entries = NULL;
	char sec[CFG_NAME_LEN], prev[CFG_NAME_LEN];
	struct rte_cfgfile *f;
	uint16_t first = cfg->nb_routes, first_ch = cfg->nb_channels;
	int nsec, s, t, n, i;
	struct stat st;
	int ret = 0;
	FILE *fp;

	fp = fopen(path, "r");
	if (fp == NULL)
		return fp_fail(err, -ENOENT, "%s: cannot open: %s", path, strerror(errno));
	if (fstat(fileno(fp), &st) != 0 || !S_ISREG(st.st_mode)) {
		fclose(fp);
		return fp_fail(err, -EINVAL, "%s: not a regular file", path);
	}
	ret = fp_config_syntax(fp, path, err);
	fclose(fp);
	if (ret != 0)
		return ret;

	f = rte_cfgfile_load_with_params(path, CFG_FLAG_EMPTY_VALUES, &params);
	if (f == NULL)
		return fp_fail(err, -EINVAL, "%s: cannot be parsed as an INI file", path);

	nsec = rte_cfgfile_num_sections(f, NULL, 0);
	for (s = 0; s < nsec && ret == 0; s++) {
		n = rte_cfgfile_section_num_entries_by_index(f, sec, s);
		if (n < 0) {
			ret = fp_fail(err, -EINVAL, "%s: cannot read section %d", path, s);
			break;
		}
		/* The same section twice would silently hide its second half. */
		for (t = 0; t < s; t++) {
			rte_cfgfile_section_num_entries_by_index(f, prev, t);
			if (strcmp(prev, sec) == 0)
				ret = fp_fail(err, -EINVAL, "%s: [%s]: section given twice",
					path, sec);
		}
		if (ret == 0 && !fp_section_known(sec) && strncmp(sec, "route ", 6) != 0 &&
				strncmp(sec, "channel ", 8) != 0)
			ret = fp_fail(err, -EINVAL, "%s: [%s]: unknown section", path, sec);
		if (ret != 0)
			continue;
		entries = realloc(entries, sizeof(*entries) * RTE_MAX(n, 1));
		if (entries == NULL) {
			ret = fp_fail(err, -ENOMEM, "%s: out of memory", path);
			break;
		}
		rte_cfgfile_section_entries_by_index(f, s, sec, entries, n);
		if (strncmp(sec, "route ", 6) == 0) {
			ret = fp_config_route(cfg, path, sec, entries, n, first, err);
			continue;
		}
		if (strncmp(sec, "channel ", 8) == 0) {
			ret = fp_config_channel(cfg, path, sec, entries, n, first_ch, err);
			continue;
		}
		for (i = 0; i < n && ret == 0; i++) {
			ret = fp_config_key_once(path, sec, entries, i, err);
			if (ret == 0)
				ret = fp_config_set(cfg, path, sec, entries[i].name,
					entries[i].value, err);
		}
	}
	free(entries);
	rte_cfgfile_close(f);
	return ret;
}

int
fp_config_validate(const struct fp_config *cfg, struct fp_err *err)
{
	uint32_t mask, need;

	if (cfg->ip == 0)
		return fp_fail(err, -EINVAL,
			"[ip] address: required (set it in the config file or with --ip)");
	if (!fp_ipv4_unicast(cfg->ip))
		return fp_fail(err, -EINVAL,
			"[ip] address: not a unicast address (loopback, multicast or reserved)");
	mask = fp_ipv4_netmask(cfg->prefix_len);
	if (cfg->prefix_len < 31 && ((cfg->ip & ~mask) == 0 || (cfg->ip | mask) == UINT32_MAX))
		return fp_fail(err, -EINVAL,
			"[ip] address: the network or broadcast address of its prefix");
	if (cfg->gateway != 0 && (cfg->gateway & mask) != (cfg->ip & mask))
		return fp_fail(err, -EINVAL, "[ip] gateway: not inside the address's prefix");
	if (cfg->gateway == cfg->ip)
		return fp_fail(err, -EINVAL, "[ip] gateway: is our own address");
	if (cfg->gateway != 0 && cfg->prefix_len < 31 &&
			((cfg->gateway & ~mask) == 0 || (cfg->gateway | mask) == UINT32_MAX))
		return fp_fail(err, -EINVAL,
			"[ip] gateway: the network or broadcast address of the prefix");
	/* The RX ring holds rx_desc mbufs at all times; TX and bursts need more. */
	need = cfg->rx_desc + cfg->tx_desc + 2 * FP_BURST_MAX + cfg->mbuf_cache;
	if (cfg->mbufs < need)
		return fp_fail(err, -EINVAL,
			"[mempool] mbufs: %u is too few for %u RX + %u TX descriptors and "
			"a cache of %u (need at least %u)", cfg->mbufs, cfg->rx_desc,
			cfg->tx_desc, cfg->mbuf_cache, need);
	if (cfg->max_uri >= cfg->max_header_bytes)
		return fp_fail(err, -EINVAL,
			"[http] max_uri: %u is not below max_header_bytes (%u)",
			cfg->max_uri, cfg->max_header_bytes);
	if (cfg->rto_min_ms > cfg->rto_max_ms)
		return fp_fail(err, -EINVAL, "[tcp] rto_min_ms: %u is over rto_max_ms (%u)",
			cfg->rto_min_ms, cfg->rto_max_ms);
	if (cfg->port_min > cfg->port_max)
		return fp_fail(err, -EINVAL, "[tcp] port_min: %u is over port_max (%u)",
			cfg->port_min, cfg->port_max);
	if (cfg->syn_backlog > cfg->max_conns)
		return fp_fail(err, -EINVAL, "[tcp] syn_backlog: %u is over max_conns (%u)",
			cfg->syn_backlog, cfg->max_conns);
	if (cfg->mbuf_cache > cfg->mbufs / 4)
		return fp_fail(err, -EINVAL, "[mempool] cache: %u is over a quarter of mbufs",
			cfg->mbuf_cache);
	return 0;
}

int
fp_config_check_files(const struct fp_config *cfg, struct fp_err *err)
{
	struct stat st;
	unsigned int i;

	if (cfg->root[0] != '\0' && (stat(cfg->root, &st) != 0 || !S_ISDIR(st.st_mode)))
		return fp_fail(err, -ENOENT, "[http] root: %s: not a directory", cfg->root);
	for (i = 0; i < cfg->nb_routes; i++) {
		const char *f = cfg->routes[i].file;

		if (f[0] == '\0')
			continue;
		if (stat(f, &st) != 0 || S_ISDIR(st.st_mode) || access(f, R_OK) != 0)
			return fp_fail(err, -ENOENT, "[route %s] file: %s: not a readable file",
				cfg->routes[i].path, f);
	}
	return 0;
}
