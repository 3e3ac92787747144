/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The fastpath authors
 */

#ifndef FP_STATS_H
#define FP_STATS_H

#include <stdint.h>

#include <rte_common.h>

#include "fp_stats_reasons.h"

struct rte_mempool;

/* Requests answered with an error, by reason: http_err_<name>. */
#define FP_STATS_HTTP_ERR(C, name, status, help) C(http_err_##name, help)

/* Close frames sent, by code: ws_close_<name>. */
#define FP_STATS_WS_CLOSE(C, name, code) C(ws_close_##name, "close frames sent with code " #code)

/* The one list of counters (C) and drop reasons (D). It generates the enums,
 * the names and the telemetry output; add a counter here and nowhere else.
 */
#define FP_STATS_LIST(C, D) \
	C(rx_packets,		"frames received") \
	C(rx_bytes,		"bytes received") \
	C(tx_packets,		"frames accepted by the PMD") \
	C(tx_bytes,		"bytes accepted by the PMD") \
	C(busy_cycles,		"TSC cycles of loop iterations that received or sent packets") \
	C(port_rx_cycles,	"TSC cycles in the PMD's RX burst calls that returned frames") \
	C(port_tx_cycles,	"TSC cycles in the PMD's TX burst calls") \
	C(fault_rx_dropped,	"received frames dropped by fault injection ([fault])") \
	C(fault_tx_dropped,	"sent frames dropped by fault injection") \
	C(fault_duplicated,	"frames duplicated by fault injection") \
	C(fault_reordered,	"frames held back behind a later one by fault injection") \
	C(fault_delayed,	"frames delayed by fault injection") \
	C(arp_requests,		"ARP who-has for our address") \
	C(arp_replies,		"ARP replies queued for TX") \
	C(arp_learned,		"ARP cache entries added or refreshed") \
	C(garp_sent,		"gratuitous ARPs queued for TX") \
	C(ipv4_packets,		"IPv4 packets for us that passed validation") \
	C(ipv4_fragments,	"IPv4 fragments for us") \
	C(ipv4_reassembled,	"IPv4 datagrams reassembled from fragments") \
	C(ipv4_frags_sent,	"IPv4 fragments sent: replies longer than the MTU") \
	C(icmp_echo_requests,	"ICMP echo requests received") \
	C(icmp_echo_replies,	"ICMP echo replies queued for TX") \
	C(tcp_segments_in,	"TCP segments that passed validation") \
	C(tcp_segments_out,	"TCP segments queued for TX") \
	C(tcp_passive_opens,	"connections that reached ESTABLISHED from a SYN") \
	C(tcp_active_opens,	"connections we opened that reached ESTABLISHED") \
	C(tcp_connect_failed,	"active opens refused or timed out") \
	C(tcp_closed,		"connections freed, for any reason") \
	C(tcp_resets_sent,	"RST segments sent") \
	C(tcp_resets_received,	"acceptable RST segments received") \
	C(tcp_aborts,		"connections aborted (retries exhausted, reset, limits)") \
	C(tcp_syn_cookies_sent,	"SYN-ACKs carrying a SYN cookie") \
	C(tcp_syn_cookies_ok,	"connections opened from a valid SYN cookie") \
	C(tcp_retransmits,	"segments retransmitted") \
	C(tcp_timeouts,		"retransmission timeouts") \
	C(tcp_fast_retransmits,	"fast retransmits after three duplicate ACKs") \
	C(tcp_challenge_acks,	"challenge ACKs sent (RFC 5961)") \
	C(tcp_window_probes,	"zero-window probes sent") \
	C(tcp_ooo_queued,	"out-of-order segments queued for reassembly") \
	C(tcp_ooo_reneged,	"queued out-of-order segments dropped as the pool ran low") \
	C(tcp_sack_acks,	"ACKs that carried SACK blocks") \
	C(tcp_sack_recoveries,	"loss recoveries led by the SACK scoreboard (RFC 6675)") \
	C(tcp_sack_retransmits,	"segments resent in SACK recovery: holes, not what was SACKed") \
	C(tcp_sack_invalid,	"SACK blocks ignored: inverted or beyond what was sent") \
	C(tcp_tlp_probes,	"tail loss probes sent (RFC 8985)") \
	C(tcp_tlp_losses,	"probes SACKed with data missing below: recovery without a timeout") \
	C(tcp_tlp_recoveries,	"retransmitted probes that repaired a loss: window reduced (RFC 8985 7.4)") \
	C(tcp_dsacks,	"D-SACKs received (RFC 2883): a retransmission was not needed") \
	C(tcp_rack_timeouts,	"holes resent in SACK recovery once a reordering window ended") \
	C(tcp_lost_retransmits,	"retransmissions found lost: data sent after them was SACKed") \
	C(tcp_sack_boards_short, "SACK blocks ignored: no scoreboard free, or one full") \
	C(tcp_probe_timeouts,	"connections dropped: window probes went unanswered") \
	C(tcp_ts_echo_ignored,	"timestamp echoes from the future or too old, no RTT sample") \
	C(tcp_time_wait_reused,	"TIME-WAIT connections taken over by a new SYN or evicted") \
	C(tcp_tx_zerocopy_bytes, "payload bytes sent from attached bodies (no copy)") \
	C(tcp_tx_inline_bytes,	"bytes of copy pieces written into TX mbufs") \
	C(tcp_tx_copied_bytes,	"bytes of reference pieces copied (no multi-segment TX)") \
	C(tcp_tx_copybreak_bytes, "bytes of short reference pieces copied, not attached") \
	C(tcp_sndbuf_full,	"sends cut short by a full send buffer or piece pool") \
	C(http_requests,	"HTTP requests answered") \
	C(http_get,		"GET requests") \
	C(http_head,		"HEAD requests") \
	C(http_other_method,	"requests with another method (answered 405 or 501)") \
	C(http_1xx,		"responses with a 1xx status (101 Switching Protocols)") \
	C(http_2xx,		"responses with a 2xx status") \
	C(http_3xx,		"responses with a 3xx status") \
	C(http_4xx,		"responses with a 4xx status") \
	C(http_5xx,		"responses with a 5xx status") \
	C(http_101,		"101 Switching Protocols") \
	C(http_200,		"200 OK") \
	C(http_206,		"206 Partial Content (a byte range)") \
	C(http_304,		"304 Not Modified") \
	C(http_400,		"400 Bad Request") \
	C(http_404,		"404 Not Found") \
	C(http_405,		"405 Method Not Allowed") \
	C(http_406,		"406 Not Acceptable (no acceptable content coding)") \
	C(http_408,		"408 Request Timeout (header timeout)") \
	C(http_412,		"412 Precondition Failed") \
	C(http_413,		"413 Content Too Large") \
	C(http_414,		"414 URI Too Long") \
	C(http_416,		"416 Range Not Satisfiable") \
	C(http_431,		"431 Request Header Fields Too Large") \
	C(http_501,		"501 Not Implemented") \
	C(http_505,		"505 HTTP Version Not Supported") \
	C(http_gzip,		"responses whose body is a gzip variant") \
	C(http_br,		"responses whose body is a brotli variant") \
	C(http_deflated,	"handler bodies compressed on the fly (also in http_gzip)") \
	C(http_deflate_in_bytes, "bytes of handler bodies compressed on the fly") \
	C(http_deflate_out_bytes, "what they compressed to") \
	C(http_body_bytes_discarded, "request body bytes read and discarded") \
	C(http_idle_closed,	"keep-alive connections closed after the idle timeout") \
	C(http_body_stalled,	"connections closed: a body read and thrown away stopped for body_timeout_s") \
	C(http_send_timeouts,	"connections reset: the client took no response byte in send_timeout_s") \
	C(http_drain_closed,	"keep-alive connections closed by a graceful shutdown") \
	C(http_upgrades,	"connections switched to another protocol (101)") \
	C(ws_opened,		"WebSocket handshakes accepted (101)") \
	C(ws_refused,		"WebSocket handshakes refused (400, 426)") \
	C(ws_messages_in,	"WebSocket messages received whole") \
	C(ws_messages_out,	"WebSocket messages sent") \
	C(ws_bytes_in,		"WebSocket message payload bytes received") \
	C(ws_bytes_out,		"WebSocket message payload bytes sent") \
	C(ws_pings,		"WebSocket pings received (each answered with a pong)") \
	C(ws_pongs_unsent,	"pongs not sent: no room in the send buffer") \
	C(ws_closes_received,	"WebSocket close frames received") \
	C(ws_close_timeouts,	"WebSocket closes the client never answered in close_timeout") \
	C(ws_abnormal,		"WebSocket connections ended without a close frame (1006)") \
	C(ws_gathered,		"WebSocket messages gathered in a body buffer (fragmented, split)") \
	C(ws_gather_timeouts,	"WebSocket messages that stopped coming for body_timeout_s (1008)") \
	FP_WS_CLOSE_LIST(FP_STATS_WS_CLOSE, C) \
	C(sse_heartbeats,	"Server-Sent Events heartbeat comments sent") \
	C(chan_subscribed,	"channel subscriptions taken (SSE and WebSocket)") \
	C(chan_published,	"messages published to channels (POST or WebSocket)") \
	C(chan_delivered,	"channel messages queued to subscribers") \
	C(chan_slow_disconnects, "channel subscribers disconnected past their backlog") \
	C(chan_unauthorized,	"channel publishes refused: no or a wrong token, or not allowed") \
	C(chan_refused,		"channel publishes refused: no copy free or a full ring (503)") \
	C(chan_drops,		"channel messages a worker lost: no copy, a full ring or name table") \
	C(chan_pump_unbounded,	"channel fan-outs finished at once: the worker's post ring was full") \
	C(chan_starved,		"channel fan-outs paused: the worker's copy chunks or pieces ran short") \
	FP_HTTP_REASON_LIST(FP_STATS_HTTP_ERR, C) \
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
	D(ipv4_fragment,	"IPv4 fragment, reassembly off ([ip] frag_entries = 0)") \
	D(ipv4_frag_dropped,	"IPv4 fragments of datagrams never completed (timeout, overlap, table full)") \
	D(ipv4_frag_oversize,	"IPv4 fragment reaching past 65535 bytes") \
	D(ipv4_frag_bad_len,	"IPv4 fragment other than the last whose payload is not a multiple of 8") \
	D(ipv4_frag_pool_low,	"IPv4 fragment refused: the mbuf pool is low") \
	D(ipv4_link_bcast,	"IPv4 unicast datagram sent to the Ethernet broadcast") \
	D(ipv4_bad_option,	"IPv4 option with a bad length") \
	D(ipv4_source_route,	"IPv4 with a source route option (LSRR/SSRR)") \
	D(ipv4_bad_src,		"IPv4 source broadcast, multicast, zero or ours") \
	D(ipv4_not_for_us,	"IPv4 destination not our address") \
	D(ipv4_unknown_proto,	"IPv4 protocol not served") \
	D(icmp_truncated,	"ICMP shorter than its header") \
	D(icmp_bad_csum,	"ICMP checksum wrong") \
	D(icmp_unsupported,	"ICMP type other than echo request") \
	D(tcp_truncated,	"TCP shorter than its header") \
	D(tcp_chained,		"TCP segment over several mbufs (a reassembled datagram over 2 KB)") \
	D(tcp_bad_offset,	"TCP data offset under 5 or past the segment") \
	D(tcp_bad_csum,		"TCP checksum wrong") \
	D(tcp_bad_flags,	"TCP flag combination no stack sends (SYN+FIN, SYN+RST, none)") \
	D(tcp_bad_option,	"TCP option with a bad length") \
	D(tcp_no_listener,	"TCP to a port nobody listens on (answered with RST)") \
	D(tcp_no_conn,		"TCP for no known connection (answered with RST)") \
	D(tcp_table_full,	"new connection refused: the connection table is full") \
	D(tcp_pool_low,		"new connection refused: under 1/8 of the mbufs free") \
	D(tcp_draining,		"new connection refused while shutting down (RST)") \
	D(tcp_bad_cookie,	"ACK to a listening port with an invalid SYN cookie") \
	D(tcp_out_of_window,	"TCP segment outside the receive window (ACKed)") \
	D(tcp_paws,		"TCP segment with an old timestamp (RFC 7323 PAWS)") \
	D(tcp_bad_ack,		"TCP ACK for data never sent (RFC 5961 challenge)") \
	D(tcp_rst_ignored,	"RST outside the window, or in it but not exact (RFC 5961)") \
	D(tcp_syn_in_conn,	"SYN on a synchronized connection (RFC 5961 challenge)") \
	D(tcp_challenge_limited, "challenge ACK suppressed by the worker's random per-second budget") \
	D(tcp_ack_ratelimited,	"ACK to an unacceptable segment suppressed: one per connection per invalid_ratelimit_ms") \
	D(tcp_out_of_order,	"TCP segment after a hole not queued (queue full, pool low, off)") \
	D(tcp_ooo_duplicate,	"out-of-order TCP segment whose bytes were all queued already") \
	D(tcp_rx_full,		"segment bytes the application could not take (not ACKed)") \
	D(http_after_close,	"request bytes after a response that closes (discarded)") \
	D(http_no_rxbuf,	"no buffer for a request split over segments") \
	D(no_mbuf,		"mbuf allocation failed") \
	D(tx_full,		"frames the PMD refused to send") \
	D(ipv4_tx_too_big,	"replies longer than the MTU that could not be fragmented")

/* Gauges: current values (connections by state) rather than running totals. */
#define FP_GAUGE_LIST(G) \
	G(tcp_syn_sent,		"connections in SYN-SENT") \
	G(tcp_syn_received,	"connections in SYN-RECEIVED") \
	G(tcp_established,	"connections in ESTABLISHED") \
	G(tcp_close_wait,	"connections in CLOSE-WAIT") \
	G(tcp_last_ack,		"connections in LAST-ACK") \
	G(tcp_fin_wait_1,	"connections in FIN-WAIT-1") \
	G(tcp_fin_wait_2,	"connections in FIN-WAIT-2") \
	G(tcp_closing,		"connections in CLOSING") \
	G(tcp_time_wait,	"connections in TIME-WAIT") \
	G(tcp_conns,		"connections in any state") \
	G(tcp_pieces,		"send-queue pieces in use") \
	G(tcp_chunks,		"copy chunks in use") \
	G(tcp_ooo_segments,	"out-of-order segments held for reassembly") \
	G(tcp_sack_boards,	"SACK scoreboards in use") \
	G(http_rxbufs,		"request buffers held by split requests") \
	G(http_contexts,	"requests in progress (contexts held)") \
	G(http_body_buffers,	"request bodies being read for handlers") \
	G(http_reply_buffers,	"copied response bodies not yet acknowledged") \
	G(ws_open,		"WebSocket connections open")

#define FP_STATS_ENUM_C(name, help) FP_C_##name,
#define FP_STATS_ENUM_G(name, help) FP_G_##name,
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

enum fp_gauge {
	FP_GAUGE_LIST(FP_STATS_ENUM_G)
	FP_G_MAX
};

/* One per worker. Only that worker writes it, with relaxed atomic stores
 * (a plain mov on x86); readers load each word the same way.
 */
struct fp_stats {
	uint64_t c[FP_C_MAX];
	uint64_t drop[FP_DROP_MAX];
	int64_t g[FP_G_MAX];
	/* Requests answered by each HTTP route (NULL: not counted); summed
	 * by the control plane, not by fp_stats_total().
	 */
	uint64_t *route_hits;
	uint32_t nb_routes;
} __rte_cache_aligned;

#define FP_C_HTTP_ERR_FIRST FP_C_http_err_bad_method
#define FP_C_HTTP_ERR_LAST FP_C_http_err_other

/* The counter of reason, an enum fp_http_reason (fp_http_parse.h): the
 * list makes them in the same order.
 */
#define FP_C_HTTP_ERR(reason) ((enum fp_counter)(FP_C_HTTP_ERR_FIRST + (reason)))

extern const char *const fp_counter_names[FP_C_MAX];
extern const char *const fp_drop_names[FP_DROP_MAX];
extern const char *const fp_gauge_names[FP_G_MAX];

static inline void
fp_count(struct fp_stats *st, enum fp_counter c, uint64_t n)
{
	__atomic_store_n(&st->c[c], st->c[c] + n, __ATOMIC_RELAXED);
}

static inline void
fp_gauge_add(struct fp_stats *st, enum fp_gauge g, int64_t n)
{
	__atomic_store_n(&st->g[g], st->g[g] + n, __ATOMIC_RELAXED);
}

static inline void
fp_count_hit(struct fp_stats *st, uint32_t route)
{
	if (st->route_hits != NULL && route < st->nb_routes)
		__atomic_store_n(&st->route_hits[route], st->route_hits[route] + 1,
			__ATOMIC_RELAXED);
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

/* Pools a worker may own: packets, and payload-less mbufs for zero copy. */
#define FP_STATS_POOLS 2

/* The same with up to FP_STATS_POOLS pools. */
int
fp_stats_register_pools(struct fp_stats *st, struct rte_mempool *const *pools,
	unsigned int nb_pools);

/* Forgets every registration (at shutdown, and between tests). Returns once
 * no telemetry callback can still reach what was registered, so it may be
 * freed.
 */
void
fp_stats_unregister_all(void);

/* Sums every registered worker into out. Safe while the workers run. */
void
fp_stats_total(struct fp_stats *out);

/* The control plane's latest per-second totals, shown by /fastpath/stats and
 * /fastpath/http; 0 while no control plane measures them.
 */
void
fp_stats_set_rates(uint64_t rx_pps, uint64_t tx_pps, uint64_t requests_per_s);

/* Reads them; a NULL pointer skips its rate. */
void
fp_stats_get_rates(uint64_t *rx_pps, uint64_t *tx_pps, uint64_t *requests_per_s);

/* Registers /fastpath/stats and /fastpath/mempool with rte_telemetry. */
int
fp_stats_telemetry_init(void);

#endif /* FP_STATS_H */
