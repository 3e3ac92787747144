/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The fastpath authors
 */

#ifndef FP_CONFIG_H
#define FP_CONFIG_H

#include <stdbool.h>
#include <stdint.h>

#include "fp_common.h"

#define FP_BURST_MAX 64
#define FP_MAX_LISTEN 8
#define FP_MAX_ROUTES 64
#define FP_MAX_CHANNELS 16
#define FP_PATH_LEN 256
#define FP_EAL_ARGS_LEN 256

/* Congestion control algorithms ([tcp] congestion), the default first. */
#define FP_CC_LIST(X) \
	X(cubic) \
	X(newreno)

enum fp_cc {
#define X(name) FP_CC_##name,
	FP_CC_LIST(X)
#undef X
	FP_CC_MAX
};

extern const char *const fp_cc_names[];

/* [xdp] mode: steering by fastpath's XDP program on net_af_xdp. */
#define FP_XDP_MODE_LIST(X) \
	X(off) \
	X(shared) \
	X(owned)

enum fp_xdp_mode_cfg {
#define X(name) FP_XDP_MODE_##name,
	FP_XDP_MODE_LIST(X)
#undef X
	FP_XDP_MODE_MAX
};

extern const char *const fp_xdp_mode_names[];

/* One [route PATH] section: a body given inline or by file. */
struct fp_config_route {
	char path[FP_PATH_LEN];
	char file[FP_PATH_LEN];
	char body[FP_PATH_LEN];
	char content_type[128];
	uint16_t status;
	bool has_body;
};

/* Who may publish to a channel ([channel PREFIX] publish). */
#define FP_CHAN_PUB_LIST(X) \
	X(post) \
	X(websocket) \
	X(both) \
	X(none)

enum fp_chan_pub {
#define X(name) FP_CHAN_PUB_##name,
	FP_CHAN_PUB_LIST(X)
#undef X
	FP_CHAN_PUB_MAX
};

extern const char *const fp_chan_pub_names[];

/* One [channel PREFIX] section: pub/sub channels PREFIX + NAME. */
struct fp_config_channel {
	char prefix[FP_PATH_LEN];	/* starts and ends with / */
	char token[128];		/* bearer token publishers need; empty: none */
	uint32_t history;		/* messages kept for Last-Event-ID */
	uint32_t history_bytes;
	uint32_t max_message;		/* bytes of one published message */
	uint32_t backlog;		/* bytes a subscriber may have unacknowledged */
	uint32_t heartbeat_ms;		/* SSE comment period; 0: none */
	uint32_t names;			/* channel names per worker */
	uint32_t frames;		/* message copies per worker */
	uint8_t publish;		/* enum fp_chan_pub */
};

/* The effective configuration. Every field has a row in the key table of
 * fp_config.c, which also documents it (docs/configuration.md mirrors it).
 */
struct fp_config {
	/* [eal] */
	char eal_args[FP_EAL_ARGS_LEN];	/* a profile's EAL arguments */
	/* [port] */
	uint16_t port_id;
	uint16_t rx_desc;
	uint16_t tx_desc;
	uint16_t mtu;
	bool cksum_offload;
	bool multi_seg_tx;
	/* [ip] */
	uint32_t ip;		/* network order; 0 until set */
	uint8_t prefix_len;
	uint32_t gateway;	/* network order; 0 for none */
	uint32_t frag_entries;	/* reassembly table per worker; 0: none */
	uint32_t frag_timeout_ms;
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
	/* [tcp] */
	uint16_t listen[FP_MAX_LISTEN];	/* host order */
	uint8_t nb_listen;
	uint32_t max_conns;		/* per worker */
	uint32_t syn_backlog;		/* half-open connections per worker */
	uint32_t time_wait_ms;
	uint32_t fin_wait2_ms;
	uint32_t linger_ms;
	uint32_t syn_retries;
	uint32_t sndbuf;		/* bytes queued per connection */
	uint32_t tx_pieces;		/* per worker */
	uint32_t tx_chunks;		/* per worker */
	uint32_t port_min;		/* ephemeral ports */
	uint32_t port_max;
	uint32_t rto_min_ms;
	uint32_t rto_max_ms;
	uint32_t retries;
	uint32_t delack_ms;
	uint32_t challenge_acks;	/* per second per worker */
	uint32_t rcv_wnd;
	uint32_t invalid_ratelimit_ms;
	uint32_t initial_window;	/* segments */
	bool timestamps;
	uint32_t ooo_segments;		/* per worker */
	uint32_t ooo_max;		/* per connection */
	uint32_t sack_boards;		/* SACK scoreboards per worker */
	uint8_t congestion;		/* enum fp_cc */
	uint8_t xdp_mode;		/* enum fp_xdp_mode_cfg */
	bool nagle;
	bool sack;
	/* [http] */
	char root[FP_PATH_LEN];		/* empty: no directory served */
	char server[64];
	uint32_t max_header_bytes;
	uint32_t max_uri;
	uint32_t max_body;
	uint32_t keepalive_timeout_s;
	uint32_t header_timeout_s;
	uint32_t rxbufs;		/* per worker */
	uint32_t body_timeout_s;
	uint32_t send_timeout_s;
	uint32_t contexts;		/* per worker */
	uint32_t body_buffers;		/* per worker */
	uint32_t reply_buffers;		/* per worker */
	bool compress;			/* gzip and brotli variants at start */
	uint32_t compress_min;		/* bytes */
	uint32_t compress_max;		/* bytes */
	uint32_t compress_budget_s;
	uint32_t gzip_level;
	uint32_t brotli_quality;
	uint32_t dynamic_min;		/* bytes: fp_http_compress() */
	uint32_t dynamic_level;
	/* [log] */
	uint32_t summary_s;		/* one-line summary period; 0 for none */
	/* [fault] */
	bool fault_enabled;
	uint32_t fault_seed;
	uint32_t fault_rx_drop;		/* parts per million */
	uint32_t fault_tx_drop;
	uint32_t fault_rx_dup;
	uint32_t fault_tx_dup;
	uint32_t fault_rx_reorder;
	uint32_t fault_tx_reorder;
	uint32_t fault_rx_delay_ms;
	uint32_t fault_tx_delay_ms;
	/* [shutdown] */
	uint32_t drain_s;
	/* [route PATH] sections */
	struct fp_config_route routes[FP_MAX_ROUTES];
	uint16_t nb_routes;
	/* [channel PREFIX] sections */
	struct fp_config_channel channels[FP_MAX_CHANNELS];
	uint16_t nb_channels;
};

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

/* Checks that what the configuration names on disk is there: [http] root
 * a directory, each route's file readable and not a directory.
 */
int
fp_config_check_files(const struct fp_config *cfg, struct fp_err *err);

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

/* Writes the value of key number idx (in fp_config_keys() order) as it
 * would be written in a file. Returns 0, or -EINVAL for no such key.
 */
int
fp_config_value(const struct fp_config *cfg, unsigned int idx, char *buf, size_t len);

#endif /* FP_CONFIG_H */
