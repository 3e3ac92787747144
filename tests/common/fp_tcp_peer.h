/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The fastpath authors
 */

#ifndef FP_TCP_PEER_H
#define FP_TCP_PEER_H

/* A synthetic TCP peer: the client of one worker's TCP (and the HTTP above
 * it) for the suites that drive it from the wire on a fake clock, and for
 * fp-bench. Client segments are built field by field with both checksums
 * computed apart from DPDK's. What the stack sends is checked (headers, both
 * checksums over the whole chain or the pseudo-header sum left to the port,
 * options through fp_tcp_parse_options()) and parsed. A struct cli is one
 * client connection: its numbers, its options, and the in-order stream it
 * received.
 *
 * No Check in here, so that fp-bench links it too: a failed check goes to
 * the peer's fail callback. The suites' callback fails the test and never
 * returns; when a callback returns, the call that failed returns -1 (or
 * NULL) with its step undone.
 */

#include <stdbool.h>
#include <stdint.h>

#include <rte_ether.h>
#include <rte_mbuf.h>
#include <rte_mempool.h>
#include <rte_tcp.h>

#include "fp_tcp.h"
#include "fp_txq.h"

#define F_FIN	RTE_TCP_FIN_FLAG
#define F_SYN	RTE_TCP_SYN_FLAG
#define F_RST	RTE_TCP_RST_FLAG
#define F_PSH	RTE_TCP_PSH_FLAG
#define F_ACK	RTE_TCP_ACK_FLAG

#define FP_PEER_MAX_OUT	256	/* frames one step may make the stack send */
#define FP_PEER_RX_MAX	65536	/* bytes a client keeps of its stream */
#define FP_PEER_NO_WS	0xff	/* cli.ws: no window scale option */
#define FP_PEER_OPT_MAX	40	/* bytes of TCP options */
/* Payload of the largest segment: [port] mtu is at most 9000. */
#define FP_PEER_SEG_MAX	(9000 - 40)
#define FP_PEER_FRAME_MAX (RTE_ETHER_HDR_LEN + 9000)

/* One segment the stack sent, as parsed after its checks. */
struct fp_peer_seg {
	uint8_t flags;
	uint32_t seq;
	uint32_t ack;
	uint16_t wnd;
	uint32_t len;
	uint16_t mss;		/* 0: no option */
	int16_t ws;		/* -1: no option */
	bool ts;
	uint32_t tsval;
	uint32_t tsecr;
	bool sack_ok;		/* SACK-permitted (a SYN) */
	uint8_t nb_sack;	/* SACK blocks */
	uint32_t sack[4][2];
	uint8_t doff;		/* bytes */
	uint32_t dst;		/* network order */
	uint16_t dport;		/* host order */
	uint16_t nb_segs;
	bool ext;		/* part of the payload is an attached body */
	bool tx_cksum;		/* the TCP checksum was left to the port */
	uint32_t off;		/* where the payload starts in the frame */
	uint8_t data[FP_PEER_SEG_MAX];	/* the payload, when the peer keeps it */
};

struct fp_peer;

/* Told of a failed check; msg says which, and where in fp_tcp_peer.c. */
typedef void (*fp_peer_fail_t)(struct fp_peer *p, const char *msg);

/* The peer of one worker's TCP. Its txq is the one the stack is attached
 * to (fp_tcp_lcore_attach); out holds what the last step made it send.
 * fp_peer_init() leaves the addresses to the caller.
 */
struct fp_peer {
	struct fp_txq txq;
	struct fp_tcp_lcore *t;
	struct rte_mempool *pool;	/* client segments are built in it */
	uint32_t ip;			/* the server's address, network order */
	uint32_t cli_ip;		/* a client's, unless its segment says */
	struct rte_ether_addr mac;	/* the server's */
	struct rte_ether_addr cli_mac;	/* every client's */
	uint16_t port;			/* the server's port, host order */
	uint16_t other_port;		/* another port it may answer from; 0: none */
	bool tx_ip_cksum;		/* the port offloads the IPv4 checksum */
	bool tx_tcp_cksum;		/* the port offloads the TCP checksum */
	/* Payloads are copied to fp_peer_seg.data, as cli_recv() needs;
	 * without, a caller reads them from the frame.
	 */
	bool keep_data;
	fp_peer_fail_t fail;		/* NULL: print the message and abort() */
	unsigned int nb_out;
	struct fp_peer_seg out[FP_PEER_MAX_OUT];
};

/* Ones' complement sums, independent of DPDK's. */
uint32_t
fp_peer_csum_add(uint32_t sum, const void *data, uint32_t len);
uint16_t
fp_peer_csum_fold(uint32_t sum);
/* The sum of the pseudo header and len bytes of TCP at th. */
uint16_t
fp_peer_tcp_sum(uint32_t src, uint32_t dst, const void *th, uint32_t len);

/* Sets p up as the peer of t (which may be initialised later) serving port:
 * no offloads, payloads kept, no addresses.
 */
void
fp_peer_init(struct fp_peer *p, struct fp_tcp_lcore *t, struct rte_mempool *pool,
	uint16_t port);

/* Checks one frame the stack sent and records it in s. Returns 0, or -1
 * after telling p->fail.
 */
int
fp_peer_parse(struct fp_peer *p, struct fp_peer_seg *s, const struct rte_mbuf *m);

/* The TX queue's flush: takes every frame, checks it into out and frees it. */
void
fp_peer_capture(struct fp_txq *q);

/* Writes the options in o (fp_tcp_parse_options()'s fields) as Linux lays
 * them out: MSS, SACK permitted and timestamps in one word (NOP NOP when
 * SACK is not offered), NOP NOP SACK permitted without timestamps, NOP +
 * window scale, then NOP NOP and the SACK blocks (at most three beside
 * timestamps). opt has room for FP_PEER_OPT_MAX bytes; returns the length.
 */
uint8_t
fp_peer_write_opts(uint8_t *opt, const struct fp_tcp_opts *o);

/* A segment from a client, field by field. */
struct fp_peer_spec {
	uint32_t src;		/* network order; 0: the peer's cli_ip */
	uint16_t sport;		/* host order */
	uint16_t dport;
	uint32_t seq;
	uint32_t ack;
	uint8_t flags;
	uint16_t wnd;
	const uint8_t *opt;	/* a multiple of 4 bytes */
	uint8_t optlen;
	const void *data;
	uint32_t len;
	int doff;		/* data offset in words; -1 for the true one */
	int tot_adj;		/* added to the IPv4 total length */
	bool bad_csum;
};

/* From the peer's client address, window 65535, no options, no data. */
void
fp_peer_spec_init(struct fp_peer_spec *sp, uint16_t sport, uint16_t dport, uint8_t flags,
	uint32_t seq, uint32_t ack);

/* Ethernet + IPv4 + TCP with both checksums right, in a pool mbuf, l2_len
 * and l3_len set. NULL after telling p->fail.
 */
struct rte_mbuf *
fp_peer_build(struct fp_peer *p, const struct fp_peer_spec *sp);

/* One input: out then holds what it made the stack send. */
void
fp_peer_xmit(struct fp_peer *p, const struct fp_peer_spec *sp);

/* Takes what a call other than input or the clock queued. */
void
fp_peer_flush(struct fp_peer *p);

/* Moves the fake clock by ms and runs the timers. */
void
fp_peer_advance(struct fp_peer *p, uint32_t ms);

/* Fails when the last step sent anything. */
int
fp_peer_assert_silent(struct fp_peer *p);

struct cli;

/* Where a client's in-order bytes go instead of its rx buffer. */
typedef void (*cli_sink_t)(struct cli *c, const uint8_t *data, uint32_t len);

/* A client: its side of one connection. */
struct cli {
	struct fp_peer *peer;
	uint32_t ip;		/* network order */
	uint16_t port;		/* host order */
	uint32_t seq;		/* SND.NXT */
	uint32_t ack;		/* RCV.NXT */
	uint32_t iss;		/* the server's ISN */
	uint32_t wnd;		/* bytes offered */
	uint16_t mss;		/* offered in the SYN; 0 for none */
	uint8_t ws;		/* shift offered; FP_PEER_NO_WS for none */
	bool ws_ok;		/* both sides offered it */
	bool ts;		/* offered, then agreed */
	bool sack;		/* SACK-permitted offered in the SYN */
	bool rx_fin;		/* the server's FIN was taken in order */
	uint32_t tsval;
	uint32_t tsecr;
	cli_sink_t sink;	/* NULL: the stream goes to rx */
	void *sink_arg;
	uint32_t rx_len;	/* the in-order stream received */
	uint8_t rx[FP_PEER_RX_MAX];
};

/* From the peer's client address, port, ISN isn: MSS 1460, scale 7,
 * timestamps, a 64 KB window.
 */
void
cli_init(struct cli *c, struct fp_peer *p, uint16_t port, uint32_t isn);

/* c's connection in the stack, or NULL. */
struct fp_tcb *
cli_conn(const struct cli *c);

/* c's connection is in state (FP_TCP_CLOSED: there is none). */
int
cli_assert_state(const struct cli *c, uint8_t state);

/* Takes what the server sent to c in the last step, in order, as a client
 * would.
 */
int
cli_recv(struct cli *c);

/* A segment from c with the given numbers, options as negotiated. */
int
cli_send_at(struct cli *c, uint8_t flags, uint32_t seq, uint32_t ack, const void *data,
	uint32_t len);

/* A pure ACK from c carrying nb SACK blocks (D-SACK ones too, RFC 2883),
 * after the timestamps as Linux lays them.
 */
int
cli_ack_sack(struct cli *c, uint32_t ack, const uint32_t (*blk)[2], uint8_t nb);

/* The next segment of c's stream. */
int
cli_send(struct cli *c, uint8_t flags, const void *data, uint32_t len);

int
cli_str(struct cli *c, uint8_t flags, const char *s);

/* SYN, SYN-ACK, ACK, with rtt_ms between the last two. */
int
cli_connect_rtt(struct cli *c, uint32_t rtt_ms);

int
cli_connect(struct cli *c);

#endif /* FP_TCP_PEER_H */
