/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The fastpath authors
 */

#ifndef FP_CONFIG_H
#define FP_CONFIG_H

#include <stdbool.h>
#include <stdint.h>

#include "fp_common.h"

/* The effective configuration. Every field has a row in the key table of
 * fp_config.c, which also documents it (docs/configuration.md mirrors it).
 */
struct fp_config {
	/* [port] */
	uint16_t port_id;
	uint16_t rx_desc;
	uint16_t tx_desc;
	uint16_t mtu;
	/* [ip] */
	uint32_t ip;		/* network order; 0 until set */
	uint8_t prefix_len;
	uint32_t gateway;	/* network order; 0 for none */
	/* [mempool] */
	uint32_t mbufs;		/* per worker */
	uint32_t mbuf_cache;
	/* [arp] */
	uint32_t arp_cache_size;	/* entries per worker */
	uint32_t arp_timeout_s;
	bool garp;
	/* [worker] */
	uint32_t drain_us;
	uint16_t burst;
};

#define FP_BURST_MAX 64

/* Fills cfg with every key's default. Returns 0, or -EINVAL if the key
 * table itself holds a default it refuses (a bug, caught by the tests).
 */
int
fp_config_defaults(struct fp_config *cfg);

/* Applies one INI file over cfg. Returns 0, or -EINVAL/-ENOENT with err set
 * to "FILE: [section] key: reason".
 */
int
fp_config_load(struct fp_config *cfg, const char *path, struct fp_err *err);

/* Sets section.key from text; origin names where it came from in errors
 * (a file name or a command-line option).
 */
int
fp_config_set(struct fp_config *cfg, const char *origin, const char *section,
	const char *key, const char *value, struct fp_err *err);

/* Checks what no single key can: the address is set, the gateway is on-link,
 * the pool is larger than the rings it fills.
 */
int
fp_config_validate(const struct fp_config *cfg, struct fp_err *err);

/* Parses "a.b.c.d" into network order. Returns 0 or -EINVAL. */
int
fp_parse_ipv4(const char *s, uint32_t *ip);

/* Parses "a.b.c.d/len". Returns 0 or -EINVAL, with *why set on error. */
int
fp_parse_ipv4_prefix(const char *s, uint32_t *ip, uint8_t *prefix_len, const char **why);

/* The key table, for --help and documentation. */
struct fp_config_key_info {
	const char *section;
	const char *key;
	const char *def;
	const char *help;
};

unsigned int
fp_config_keys(const struct fp_config_key_info **keys);

#endif /* FP_CONFIG_H */
