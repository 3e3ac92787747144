/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The fastpath authors
 */

#include <string.h>

#include "fp_ws_frame.h"

enum {
	FP_WS_ST_HEADER,
	FP_WS_ST_PAYLOAD,
	FP_WS_ST_FAILED,
};

static int
fp_ws_fail(struct fp_ws_frame *f, uint16_t code)
{
	f->err = code;
	return -1;
}

int
fp_ws_parse_header(const uint8_t *buf, size_t len, struct fp_ws_frame *f)
{
	size_t need = 2;
	uint64_t n;
	unsigned int i;
	uint8_t b0, b1;

	f->err = 0;
	if (len < 2)
		return -2;
	b0 = buf[0];
	b1 = buf[1];
	f->fin = b0 >> 7;
	f->opcode = b0 & 0x0f;
	f->masked = b1 >> 7;
	n = b1 & 0x7f;
	/* RFC 6455 5.2: "RSV1, RSV2, RSV3: ... MUST be 0 unless an extension
	 * is negotiated that defines meanings for non-zero values."
	 */
	if (b0 & 0x70)
		return fp_ws_fail(f, FP_WS_CLOSE_protocol_error);
	/* "If an unknown opcode is received, the receiving endpoint MUST _Fail
	 * the WebSocket Connection_."
	 */
	if ((f->opcode > FP_WS_OP_BINARY && f->opcode < FP_WS_OP_CLOSE) ||
			f->opcode > FP_WS_OP_PONG)
		return fp_ws_fail(f, FP_WS_CLOSE_protocol_error);
	/* 5.5: "All control frames MUST have a payload length of 125 bytes or
	 * less and MUST NOT be fragmented."
	 */
	if (f->opcode >= FP_WS_OP_CLOSE && (!f->fin || n > FP_WS_CONTROL_MAX))
		return fp_ws_fail(f, FP_WS_CLOSE_protocol_error);
	/* 5.1: "The server MUST close the connection upon receiving a frame
	 * that is not masked."
	 */
	if (!f->masked)
		return fp_ws_fail(f, FP_WS_CLOSE_protocol_error);
	if (n == 126)
		need += 2;
	else if (n == 127)
		need += 8;
	need += 4;
	if (len < need)
		return -2;
	if (n == 126) {
		n = (uint64_t)buf[2] << 8 | buf[3];
		/* 5.2: "the minimal number of bytes MUST be used to encode the
		 * length".
		 */
		if (n < 126)
			return fp_ws_fail(f, FP_WS_CLOSE_protocol_error);
	} else if (n == 127) {
		for (n = 0, i = 2; i < 10; i++)
			n = n << 8 | buf[i];
		/* "the most significant bit MUST be 0" */
		if ((n >> 63) != 0 || n <= 0xffff)
			return fp_ws_fail(f, FP_WS_CLOSE_protocol_error);
	}
	f->len = n;
	memcpy(f->mask, buf + need - 4, 4);
	return (int)need;
}

size_t
fp_ws_server_header(uint8_t *out, bool fin, uint8_t opcode, uint64_t len)
{
	unsigned int i;

	out[0] = (fin ? 0x80 : 0) | (opcode & 0x0f);
	if (len < 126) {
		out[1] = (uint8_t)len;
		return 2;
	}
	if (len <= 0xffff) {
		out[1] = 126;
		out[2] = (uint8_t)(len >> 8);
		out[3] = (uint8_t)len;
		return 4;
	}
	out[1] = 127;
	for (i = 0; i < 8; i++)
		out[2 + i] = (uint8_t)(len >> (56 - 8 * i));
	return 10;
}

void
fp_ws_unmask(uint8_t *p, size_t n, const uint8_t mask[4], uint64_t off)
{
	uint8_t m[8];
	uint64_t m8, w;
	size_t i = 0, k;

	/* 5.3: byte i of the payload is XORed with mask[i % 4]. */
	for (k = 0; k < 8; k++)
		m[k] = mask[(off + k) % 4];
	memcpy(&m8, m, sizeof(m8));
	for (; i + 8 <= n; i += 8) {
		memcpy(&w, p + i, sizeof(w));
		w ^= m8;
		memcpy(p + i, &w, sizeof(w));
	}
	for (; i < n; i++)
		p[i] ^= m[i % 8];
}

bool
fp_utf8_feed(struct fp_utf8 *u, const uint8_t *p, size_t n)
{
	const uint64_t high = 0x8080808080808080ull;
	uint64_t w;
	size_t i = 0;
	uint8_t c;

	while (i < n) {
		/* ASCII eight bytes at a time, between characters. */
		if (u->need == 0 && i + 8 <= n) {
			memcpy(&w, p + i, sizeof(w));
			if ((w & high) == 0) {
				i += 8;
				continue;
			}
		}
		c = p[i++];
		if (u->need != 0) {
			if (c < u->lo || c > u->hi)
				return false;
			u->need--;
			u->lo = 0x80;
			u->hi = 0xbf;
			continue;
		}
		if (c < 0x80)
			continue;
		/* RFC 3629 4's UTF8-2, -3 and -4: C0, C1 and F5-FF never
		 * appear; after E0, ED, F0 and F4 the next byte's range is
		 * narrower (overlong forms, surrogates, past U+10FFFF).
		 */
		if (c < 0xc2 || c > 0xf4)
			return false;
		u->lo = 0x80;
		u->hi = 0xbf;
		if (c < 0xe0) {
			u->need = 1;
		} else if (c < 0xf0) {
			u->need = 2;
			if (c == 0xe0)
				u->lo = 0xa0;
			else if (c == 0xed)
				u->hi = 0x9f;
		} else {
			u->need = 3;
			if (c == 0xf0)
				u->lo = 0x90;
			else if (c == 0xf4)
				u->hi = 0x8f;
		}
	}
	return true;
}

uint16_t
fp_ws_close_check(const uint8_t *p, size_t n)
{
	struct fp_utf8 u = { 0, 0, 0 };
	uint16_t code;

	if (n == 0)
		return 0;
	/* 5.5.1: "If there is a body, the first two bytes of the body MUST
	 * be a 2-byte unsigned integer".
	 */
	if (n == 1)
		return FP_WS_CLOSE_protocol_error;
	code = (uint16_t)(p[0] << 8 | p[1]);
	/* 7.4: 1004-1006 and 1015 are never sent; below 1000 and 1016-2999
	 * are not in use; 1012-1014 were registered since.
	 */
	if (!((code >= 1000 && code <= 1003) || (code >= 1007 && code <= 1014) ||
			(code >= 3000 && code <= 4999)))
		return FP_WS_CLOSE_protocol_error;
	/* 5.5.1: the reason is "not guaranteed to be human readable" but
	 * "the data is UTF-8-encoded".
	 */
	if (!fp_utf8_feed(&u, p + 2, n - 2) || !fp_utf8_whole(&u))
		return FP_WS_CLOSE_invalid_payload;
	return 0;
}

void
fp_ws_reader_init(struct fp_ws_reader *r, uint64_t max_msg)
{
	memset(r, 0, sizeof(*r));
	r->max = max_msg;
}

static long
fp_ws_reader_fail(struct fp_ws_reader *r, uint16_t code)
{
	r->state = FP_WS_ST_FAILED;
	r->err = code;
	return -1;
}

/* A whole header in f: checks it against the message in progress. Returns
 * 0 or the close code.
 */
static uint16_t
fp_ws_reader_frame(struct fp_ws_reader *r)
{
	const struct fp_ws_frame *f = &r->f;

	if (f->opcode >= FP_WS_OP_CLOSE)
		return 0;	/* control frames may come between fragments */
	/* 5.4: a fragmented message is a first frame with its opcode, then
	 * continuations; "EXAMPLE: ... an endpoint MUST NOT ... interleave"
	 * other messages' fragments.
	 */
	if (f->opcode == FP_WS_OP_CONT) {
		if (r->msg_op == 0)
			return FP_WS_CLOSE_protocol_error;
	} else {
		if (r->msg_op != 0)
			return FP_WS_CLOSE_protocol_error;
		r->msg_op = f->opcode;
		r->msg_len = 0;
		memset(&r->utf8, 0, sizeof(r->utf8));
	}
	if (r->max != 0 && (f->len > r->max || r->msg_len > r->max - f->len))
		return FP_WS_CLOSE_message_too_big;
	r->msg_len += f->len;
	return 0;
}

long
fp_ws_read(struct fp_ws_reader *r, uint8_t *buf, size_t len, struct fp_ws_ev *ev)
{
	size_t take, from = 0;
	uint16_t code;
	int h;

	memset(ev, 0, sizeof(*ev));
	if (r->state == FP_WS_ST_FAILED)
		return -1;
	if (len == 0)
		return 0;
	if (r->state == FP_WS_ST_HEADER) {
		/* Gathered across calls: a header may come a byte at a time. */
		take = len < (size_t)(FP_WS_HEADER_MAX - r->hdr_len) ?
			len : (size_t)(FP_WS_HEADER_MAX - r->hdr_len);
		memcpy(r->hdr + r->hdr_len, buf, take);
		h = fp_ws_parse_header(r->hdr, r->hdr_len + take, &r->f);
		if (h == -1)
			return fp_ws_reader_fail(r, r->f.err);
		if (h == -2) {
			r->hdr_len += (uint8_t)take;
			return (long)take;
		}
		from = (size_t)h - r->hdr_len;	/* of buf */
		r->hdr_len = 0;
		code = fp_ws_reader_frame(r);
		if (code != 0)
			return fp_ws_reader_fail(r, code);
		r->left = r->f.len;
		r->off = 0;
		r->ctl_len = 0;
		r->state = FP_WS_ST_PAYLOAD;
		if (r->left != 0 && from == len)
			return (long)from;
	}
	take = len - from < r->left ? len - from : (size_t)r->left;
	fp_ws_unmask(buf + from, take, r->f.mask, r->off);
	r->off += take;
	r->left -= take;
	if (r->f.opcode >= FP_WS_OP_CLOSE) {
		/* Control frames are delivered whole, from the reader. */
		memcpy(r->ctl + r->ctl_len, buf + from, take);
		r->ctl_len += (uint8_t)take;
		if (r->left != 0)
			return (long)(from + take);
		if (r->f.opcode == FP_WS_OP_CLOSE) {
			code = fp_ws_close_check(r->ctl, r->ctl_len);
			if (code != 0)
				return fp_ws_reader_fail(r, code);
		}
		r->state = FP_WS_ST_HEADER;
		ev->type = FP_WS_EV_CONTROL;
		ev->opcode = r->f.opcode;
		ev->p = r->ctl;
		ev->n = r->ctl_len;
		return (long)(from + take);
	}
	/* 8.1: "When an endpoint is to interpret a byte stream as UTF-8 but
	 * finds that the byte stream is not, in fact, a valid UTF-8 stream,
	 * that endpoint MUST _Fail the WebSocket Connection_" (1007).
	 */
	if (r->msg_op == FP_WS_OP_TEXT && (!fp_utf8_feed(&r->utf8, buf + from, take) ||
			(r->left == 0 && r->f.fin && !fp_utf8_whole(&r->utf8))))
		return fp_ws_reader_fail(r, FP_WS_CLOSE_invalid_payload);
	ev->type = FP_WS_EV_DATA;
	ev->opcode = r->msg_op;
	ev->p = buf + from;
	ev->n = take;
	if (r->left == 0) {
		ev->frame_end = 1;
		ev->msg_end = r->f.fin;
		if (r->f.fin)
			r->msg_op = 0;
		r->state = FP_WS_ST_HEADER;
	}
	return (long)(from + take);
}
