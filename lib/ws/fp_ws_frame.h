/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The fastpath authors
 */

#ifndef FP_WS_FRAME_H
#define FP_WS_FRAME_H

/* WebSocket framing (RFC 6455 5), server side: a pure header parser, a
 * streaming reader of a client's frames that enforces the protocol's rules
 * and answers each violation with its close code, incremental UTF-8
 * validation, and the header of a server frame. Plain C, no DPDK, no
 * allocation: unit tests and the fuzzer run it alone.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "fp_stats_reasons.h"

/* Close codes fastpath sends: FP_WS_CLOSE_LIST (fp_stats_reasons.h), the
 * one list that also makes the ws_close_<name> counters.
 */
enum fp_ws_close {
#define FP_WS_CLOSE_ENUM(a, name, code) FP_WS_CLOSE_##name = code,
	FP_WS_CLOSE_LIST(FP_WS_CLOSE_ENUM, 0)
#undef FP_WS_CLOSE_ENUM
};

enum fp_ws_opcode {
	FP_WS_OP_CONT = 0x0,
	FP_WS_OP_TEXT = 0x1,
	FP_WS_OP_BINARY = 0x2,
	FP_WS_OP_CLOSE = 0x8,
	FP_WS_OP_PING = 0x9,
	FP_WS_OP_PONG = 0xa,
};

/* Most payload bytes of a control frame (RFC 6455 5.5). */
#define FP_WS_CONTROL_MAX 125
/* Longest frame header: 2 bytes, 8 of extended length, 4 of mask. */
#define FP_WS_HEADER_MAX 14

/* One frame's header. */
struct fp_ws_frame {
	uint64_t len;		/* payload bytes */
	uint8_t mask[4];
	uint8_t opcode;
	uint8_t fin;
	uint8_t masked;
	uint16_t err;		/* with -1: the close code that answers it */
};

/* Parses a client frame's header at buf[0, len). Returns its length (2 to
 * 14), -2 while it is incomplete, or -1 with f->err set when it breaks a
 * rule of RFC 6455 5.2 for a server with no extension: a set RSV bit, a
 * reserved opcode, a fragmented or over-long control frame, a frame not
 * masked, a length with its top bit set or not in its shortest form
 * (protocol_error).
 */
int
fp_ws_parse_header(const uint8_t *buf, size_t len, struct fp_ws_frame *f);

/* Writes the header of an unmasked server frame of len payload bytes into
 * out (at least 10 bytes) and returns its length: 2, 4 or 10.
 */
size_t
fp_ws_server_header(uint8_t *out, bool fin, uint8_t opcode, uint64_t len);

/* XORs p[0, n) with mask, the first byte being payload byte off. */
void
fp_ws_unmask(uint8_t *p, size_t n, const uint8_t mask[4], uint64_t off);

/* UTF-8 checked a byte at a time (RFC 3629 4: no overlong forms, no
 * surrogates, nothing past U+10FFFF). All zero is the start.
 */
struct fp_utf8 {
	uint8_t need;		/* continuation bytes still to come */
	uint8_t lo;		/* the next one's range */
	uint8_t hi;
};

/* Checks p[0, n) after what u saw. Returns false at the first byte that
 * cannot continue valid UTF-8.
 */
bool
fp_utf8_feed(struct fp_utf8 *u, const uint8_t *p, size_t n);

/* True when u ends on a character boundary. */
static inline bool
fp_utf8_whole(const struct fp_utf8 *u)
{
	return u->need == 0;
}

/* Checks a received Close frame's payload (RFC 6455 5.5.1, 7.4): nothing,
 * or a code a peer may send and a UTF-8 reason. Returns 0, or the close
 * code that answers it: protocol_error (one byte, a code not to be sent),
 * invalid_payload (the reason).
 */
uint16_t
fp_ws_close_check(const uint8_t *p, size_t n);

/* What fp_ws_read() found. */
enum fp_ws_event {
	FP_WS_EV_NONE,		/* bytes taken, nothing yet */
	FP_WS_EV_DATA,		/* payload of a data frame: p, n (n may be 0) */
	FP_WS_EV_CONTROL,	/* a whole control frame: opcode, p, n */
};

struct fp_ws_ev {
	uint8_t type;		/* enum fp_ws_event */
	uint8_t opcode;		/* DATA: the message's (text or binary); CONTROL: the frame's */
	uint8_t frame_end;	/* DATA: the frame's last payload byte is in this slice */
	uint8_t msg_end;	/* DATA: and it ends the message (FIN) */
	const uint8_t *p;	/* DATA: unmasked in place in the caller's buffer;
				 * CONTROL: in the reader's own buffer
				 */
	size_t n;
};

/* A client's frames, read as they arrive. All zero, or fp_ws_reader_init(),
 * is the start of a connection.
 */
struct fp_ws_reader {
	uint64_t max;		/* largest message; 0: no limit */
	uint64_t left;		/* payload bytes of the frame still to come */
	uint64_t off;		/* payload bytes of the frame so far */
	uint64_t msg_len;	/* of the message in progress */
	struct fp_ws_frame f;
	struct fp_utf8 utf8;	/* of the text message in progress */
	uint8_t state;		/* private */
	uint8_t msg_op;		/* the message in progress: text or binary; 0: none */
	uint8_t hdr_len;	/* header bytes gathered */
	uint8_t hdr[FP_WS_HEADER_MAX];
	uint16_t err;		/* the close code, once -1 was returned */
	uint8_t ctl_len;
	uint8_t ctl[FP_WS_CONTROL_MAX];
};

/* Starts a connection whose messages may not exceed max_msg bytes (0: no
 * limit).
 */
void
fp_ws_reader_init(struct fp_ws_reader *r, uint64_t max_msg);

/* Reads from buf[0, len), unmasking data payload in place. Returns the bytes
 * taken (at least one when len is not 0) with *ev saying what they held, or
 * -1 with r->err the close code that answers the violation; once -1, every
 * later call returns -1. Besides the header's rules: a continuation without
 * a message, or a data frame inside one, is protocol_error; a text message
 * that is not UTF-8, across frames and calls, or a Close frame's bad
 * payload, its code (fp_ws_close_check()); a message over the limit,
 * message_too_big.
 */
long
fp_ws_read(struct fp_ws_reader *r, uint8_t *buf, size_t len, struct fp_ws_ev *ev);

#endif /* FP_WS_FRAME_H */
