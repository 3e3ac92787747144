/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The fastpath authors
 */

/* WebSocket framing (lib/ws/fp_ws_frame.c) without EAL: hand-built client
 * frames for every rule of RFC 6455 5 and its close code, each read whole,
 * byte by byte and split at every point, which must all agree.
 */

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <check.h>

#include "fp_test.h"
#include "fp_http_parse.h"
#include "fp_ws_frame.h"
#include "fp_ws_handshake.h"

static const uint8_t mask_key[4] = { 0x37, 0xfa, 0x21, 0x3d };

/* Appends a client frame to out at *n: header (length in the form given:
 * 0 the shortest, 2 for 16 bits, 8 for 64 bits), mask, masked payload.
 */
static void
frame(uint8_t *out, size_t *n, uint8_t b0, const void *payload, uint64_t len, int form,
	bool masked)
{
	uint8_t *p = out + *n;
	size_t h = 2;
	unsigned int i;

	p[0] = b0;
	if (form == 0)
		form = len < 126 ? 1 : len <= 0xffff ? 2 : 8;
	if (form == 1) {
		p[1] = (uint8_t)len;
	} else if (form == 2) {
		p[1] = 126;
		p[2] = (uint8_t)(len >> 8);
		p[3] = (uint8_t)len;
		h = 4;
	} else {
		p[1] = 127;
		for (i = 0; i < 8; i++)
			p[2 + i] = (uint8_t)(len >> (56 - 8 * i));
		h = 10;
	}
	if (masked) {
		p[1] |= 0x80;
		memcpy(p + h, mask_key, 4);
		h += 4;
	}
	if (payload != NULL) {
		memcpy(p + h, payload, len);
		if (masked)
			fp_ws_unmask(p + h, len, mask_key, 0);
	}
	*n += h + (payload != NULL ? len : 0);
}

/* What reading a stream gave: data per message, control frames, the end. */
struct got {
	uint8_t data[8192];
	size_t data_len;
	unsigned int msgs;
	uint8_t msg_op[16];
	unsigned int ctl;
	uint8_t ctl_op[16];
	uint8_t ctl_data[16][FP_WS_CONTROL_MAX];
	size_t ctl_len[16];
	uint16_t err;		/* 0: read to the end */
	size_t used;
};

/* Reads in[0, n) in pieces of step bytes (0: whole), each in a buffer of its
 * exact size (for AddressSanitizer, were it on), after a first cut.
 */
static void
read_all(const uint8_t *in, size_t n, size_t step, size_t cut, uint64_t max, struct got *g)
{
	struct fp_ws_reader r;
	struct fp_ws_ev ev;
	size_t at = 0, piece, off;
	uint8_t *buf;
	long ret;

	memset(g, 0, sizeof(*g));
	fp_ws_reader_init(&r, max);
	while (at < n) {
		piece = cut != 0 && at == 0 ? cut : step != 0 ? step : n - at;
		if (piece > n - at)
			piece = n - at;
		buf = malloc(piece);
		ck_assert_ptr_nonnull(buf);
		memcpy(buf, in + at, piece);
		for (off = 0; off < piece; off += (size_t)ret) {
			ret = fp_ws_read(&r, buf + off, piece - off, &ev);
			if (ret < 0) {
				g->err = r.err;
				ck_assert_uint_ne(g->err, 0);
				/* Once failed, failed for good. */
				ck_assert_int_eq(fp_ws_read(&r, buf, piece, &ev), -1);
				free(buf);
				return;
			}
			ck_assert_int_gt(ret, 0);
			g->used += (size_t)ret;
			if (ev.type == FP_WS_EV_DATA) {
				ck_assert(ev.n == 0 || (ev.p >= buf && ev.p + ev.n <= buf + piece));
				ck_assert_uint_le(g->data_len + ev.n, sizeof(g->data));
				memcpy(g->data + g->data_len, ev.p, ev.n);
				g->data_len += ev.n;
				if (ev.msg_end && g->msgs < 16)
					g->msg_op[g->msgs++] = ev.opcode;
			} else if (ev.type == FP_WS_EV_CONTROL && g->ctl < 16) {
				g->ctl_op[g->ctl] = ev.opcode;
				memcpy(g->ctl_data[g->ctl], ev.p, ev.n);
				g->ctl_len[g->ctl++] = ev.n;
			}
		}
		free(buf);
		at += piece;
	}
}

/* Whole, byte by byte, and cut at every point: the same outcome. */
static void
read_every_way(const uint8_t *in, size_t n, uint64_t max, struct got *whole)
{
	struct got *g = malloc(sizeof(*g));
	size_t cut;

	ck_assert_ptr_nonnull(g);
	read_all(in, n, 0, 0, max, whole);
	for (cut = 0; cut <= n; cut++) {
		read_all(in, n, cut == 0 ? 1 : 0, cut, max, g);
		ck_assert_msg(g->err == whole->err, "cut %zu: error %u, whole: %u", cut, g->err,
			whole->err);
		if (whole->err != 0) {
			/* A slice goes out once checked: cut finer, more of a
			 * failing message may have gone before the failure.
			 */
			ck_assert_mem_eq(g->data, whole->data, RTE_MIN(g->data_len,
				whole->data_len));
			continue;
		}
		ck_assert_uint_eq(g->data_len, whole->data_len);
		ck_assert_mem_eq(g->data, whole->data, whole->data_len);
		ck_assert_uint_eq(g->msgs, whole->msgs);
		ck_assert_uint_eq(g->ctl, whole->ctl);
		if (whole->err == 0)
			ck_assert_uint_eq(g->used, n);
	}
	free(g);
}

START_TEST(test_header_forms)
{
	uint8_t buf[32], big[70000], out[10];
	struct fp_ws_frame f;
	size_t n;

	n = 0;
	frame(buf, &n, 0x81, "hi", 2, 0, true);
	ck_assert_int_eq(fp_ws_parse_header(buf, 1, &f), -2);
	ck_assert_int_eq(fp_ws_parse_header(buf, 5, &f), -2);
	ck_assert_int_eq(fp_ws_parse_header(buf, 6, &f), 6);
	ck_assert_uint_eq(f.len, 2);
	ck_assert_uint_eq(f.opcode, FP_WS_OP_TEXT);
	ck_assert(f.fin && f.masked);
	ck_assert_mem_eq(f.mask, mask_key, 4);
	n = 0;
	frame(big, &n, 0x82, NULL, 300, 0, true);
	ck_assert_int_eq(fp_ws_parse_header(big, 7, &f), -2);
	ck_assert_int_eq(fp_ws_parse_header(big, 8, &f), 8);
	ck_assert_uint_eq(f.len, 300);
	n = 0;
	frame(big, &n, 0x02, NULL, 65536, 0, true);
	ck_assert_int_eq(fp_ws_parse_header(big, 13, &f), -2);
	ck_assert_int_eq(fp_ws_parse_header(big, 14, &f), 14);
	ck_assert_uint_eq(f.len, 65536);
	ck_assert(!f.fin);
	/* The server's own headers, in their three forms. */
	ck_assert_uint_eq(fp_ws_server_header(out, true, FP_WS_OP_TEXT, 125), 2);
	ck_assert_uint_eq(out[0], 0x81);
	ck_assert_uint_eq(out[1], 125);
	ck_assert_uint_eq(fp_ws_server_header(out, false, FP_WS_OP_BINARY, 126), 4);
	ck_assert_uint_eq(out[0], 0x02);
	ck_assert_uint_eq(out[1], 126);
	ck_assert_uint_eq(out[2] << 8 | out[3], 126);
	ck_assert_uint_eq(fp_ws_server_header(out, true, FP_WS_OP_BINARY, 1u << 20), 10);
	ck_assert_uint_eq(out[1], 127);
	ck_assert_uint_eq(out[7] << 16 | out[8] << 8 | out[9], 1u << 20);
}
END_TEST

/* Each rule of the header, and the code it closes with. */
static const struct {
	const char *what;
	uint8_t b0;
	uint64_t len;
	int form;
	bool masked;
} bad_headers[] = {
	{ "RSV1 set", 0xc1, 1, 0, true },
	{ "RSV3 set", 0x91, 1, 0, true },
	{ "reserved data opcode", 0x83, 1, 0, true },
	{ "reserved control opcode", 0x8b, 0, 0, true },
	{ "fragmented ping", 0x09, 1, 0, true },
	{ "ping of 126 bytes", 0x89, 126, 0, true },
	{ "unmasked", 0x81, 1, 0, false },
	{ "16-bit length under 126", 0x82, 100, 2, true },
	{ "64-bit length under 65536", 0x82, 1000, 8, true },
	{ "64-bit length with its top bit", 0x82, 1ull << 63, 8, true },
};

START_TEST(test_bad_headers)
{
	uint8_t buf[64] = { 0 };
	struct got *g = malloc(sizeof(*g));
	struct fp_ws_frame f;
	size_t n = 0;

	ck_assert_ptr_nonnull(g);
	frame(buf, &n, bad_headers[_i].b0, NULL, bad_headers[_i].len, bad_headers[_i].form,
		bad_headers[_i].masked);
	ck_assert_msg(fp_ws_parse_header(buf, n, &f) == -1, "%s", bad_headers[_i].what);
	ck_assert_uint_eq(f.err, FP_WS_CLOSE_protocol_error);
	/* The reader closes with it, however the header arrives. */
	read_every_way(buf, n, 0, g);
	ck_assert_uint_eq(g->err, FP_WS_CLOSE_protocol_error);
	free(g);
}
END_TEST

/* A fragmented text message with a ping between its fragments, a binary
 * message, a pong and a close: payloads unmasked byte-exact, the control
 * frames whole, however the stream is cut.
 */
START_TEST(test_stream)
{
	static const char text[] = "h\xc3\xa9llo, w\xe2\x82\xacrld \xf0\x9f\x98\x80 and more bytes";
	uint8_t in[2048], bin[300], close[6] = { 0x03, 0xe8, 'b', 'y', 'e', '!' };
	struct got *g = malloc(sizeof(*g));
	size_t n = 0, k, split = 11;	/* inside the euro sign's three bytes */

	ck_assert_ptr_nonnull(g);
	for (k = 0; k < sizeof(bin); k++)
		bin[k] = (uint8_t)(k * 7);
	frame(in, &n, 0x01, text, split, 0, true);
	frame(in, &n, 0x89, "ping!", 5, 0, true);
	frame(in, &n, 0x80, text + split, sizeof(text) - 1 - split, 0, true);
	frame(in, &n, 0x82, bin, sizeof(bin), 0, true);
	frame(in, &n, 0x8a, "", 0, 0, true);
	frame(in, &n, 0x88, close, sizeof(close), 0, true);
	read_every_way(in, n, 0, g);
	ck_assert_uint_eq(g->err, 0);
	ck_assert_uint_eq(g->data_len, sizeof(text) - 1 + sizeof(bin));
	ck_assert_mem_eq(g->data, text, sizeof(text) - 1);
	ck_assert_mem_eq(g->data + sizeof(text) - 1, bin, sizeof(bin));
	ck_assert_uint_eq(g->msgs, 2);
	ck_assert_uint_eq(g->msg_op[0], FP_WS_OP_TEXT);
	ck_assert_uint_eq(g->msg_op[1], FP_WS_OP_BINARY);
	ck_assert_uint_eq(g->ctl, 3);
	ck_assert_uint_eq(g->ctl_op[0], FP_WS_OP_PING);
	ck_assert_uint_eq(g->ctl_len[0], 5);
	ck_assert_mem_eq(g->ctl_data[0], "ping!", 5);
	ck_assert_uint_eq(g->ctl_op[1], FP_WS_OP_PONG);
	ck_assert_uint_eq(g->ctl_len[1], 0);
	ck_assert_uint_eq(g->ctl_op[2], FP_WS_OP_CLOSE);
	ck_assert_mem_eq(g->ctl_data[2], close, sizeof(close));
	free(g);
}
END_TEST

/* The rules between frames, and of their payloads, with their codes. */
START_TEST(test_stream_errors)
{
	uint8_t in[256], bad_close[4] = { 0x03, 0xe8, 0xff, 0xfe };
	struct got *g = malloc(sizeof(*g));
	size_t n;

	ck_assert_ptr_nonnull(g);
	/* A continuation with no message. */
	n = 0;
	frame(in, &n, 0x80, "x", 1, 0, true);
	read_every_way(in, n, 0, g);
	ck_assert_uint_eq(g->err, FP_WS_CLOSE_protocol_error);
	/* A new message inside a fragmented one. */
	n = 0;
	frame(in, &n, 0x01, "ab", 2, 0, true);
	frame(in, &n, 0x81, "cd", 2, 0, true);
	read_every_way(in, n, 0, g);
	ck_assert_uint_eq(g->err, FP_WS_CLOSE_protocol_error);
	ck_assert_uint_eq(g->data_len, 2);
	/* Text that is not UTF-8: an overlong slash, a surrogate, a byte past
	 * U+10FFFF, a message ending inside a character.
	 */
	n = 0;
	frame(in, &n, 0x81, "a\xc0\xaf", 3, 0, true);
	read_every_way(in, n, 0, g);
	ck_assert_uint_eq(g->err, FP_WS_CLOSE_invalid_payload);
	n = 0;
	frame(in, &n, 0x81, "\xed\xa0\x80", 3, 0, true);
	read_every_way(in, n, 0, g);
	ck_assert_uint_eq(g->err, FP_WS_CLOSE_invalid_payload);
	n = 0;
	frame(in, &n, 0x81, "\xf4\x90\x80\x80", 4, 0, true);
	read_every_way(in, n, 0, g);
	ck_assert_uint_eq(g->err, FP_WS_CLOSE_invalid_payload);
	n = 0;
	frame(in, &n, 0x01, "ok \xe2\x82", 5, 0, true);
	frame(in, &n, 0x80, "", 0, 0, true);
	read_every_way(in, n, 0, g);
	ck_assert_uint_eq(g->err, FP_WS_CLOSE_invalid_payload);
	/* The same bytes as binary are fine. */
	n = 0;
	frame(in, &n, 0x82, "a\xc0\xaf", 3, 0, true);
	read_every_way(in, n, 0, g);
	ck_assert_uint_eq(g->err, 0);
	/* Close frames: one byte, a code no peer sends, a reason not UTF-8. */
	n = 0;
	frame(in, &n, 0x88, "\x03", 1, 0, true);
	read_every_way(in, n, 0, g);
	ck_assert_uint_eq(g->err, FP_WS_CLOSE_protocol_error);
	n = 0;
	frame(in, &n, 0x88, "\x03\xed", 2, 0, true);	/* 1005 */
	read_every_way(in, n, 0, g);
	ck_assert_uint_eq(g->err, FP_WS_CLOSE_protocol_error);
	n = 0;
	frame(in, &n, 0x88, bad_close, sizeof(bad_close), 0, true);
	read_every_way(in, n, 0, g);
	ck_assert_uint_eq(g->err, FP_WS_CLOSE_invalid_payload);
	/* A message over the limit, in one frame and across two. */
	n = 0;
	frame(in, &n, 0x82, "0123456789", 10, 0, true);
	read_every_way(in, n, 9, g);
	ck_assert_uint_eq(g->err, FP_WS_CLOSE_message_too_big);
	n = 0;
	frame(in, &n, 0x02, "01234", 5, 0, true);
	frame(in, &n, 0x80, "56789", 5, 0, true);
	read_every_way(in, n, 9, g);
	ck_assert_uint_eq(g->err, FP_WS_CLOSE_message_too_big);
	read_every_way(in, n, 10, g);
	ck_assert_uint_eq(g->err, 0);
	free(g);
}
END_TEST

START_TEST(test_close_codes)
{
	static const uint16_t ok[] = { 1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011,
		1012, 1013, 1014, 3000, 3999, 4000, 4999 };
	static const uint16_t bad[] = { 0, 999, 1004, 1005, 1006, 1015, 1016, 1100, 2000,
		2999, 5000, 65535 };
	uint8_t p[2];
	unsigned int i;

	ck_assert_uint_eq(fp_ws_close_check(NULL, 0), 0);
	for (i = 0; i < RTE_DIM(ok); i++) {
		p[0] = (uint8_t)(ok[i] >> 8);
		p[1] = (uint8_t)ok[i];
		ck_assert_msg(fp_ws_close_check(p, 2) == 0, "code %u", ok[i]);
	}
	for (i = 0; i < RTE_DIM(bad); i++) {
		p[0] = (uint8_t)(bad[i] >> 8);
		p[1] = (uint8_t)bad[i];
		ck_assert_msg(fp_ws_close_check(p, 2) == FP_WS_CLOSE_protocol_error, "code %u",
			bad[i]);
	}
}
END_TEST

/* UTF-8 fed at every split gives the same verdict as whole. */
START_TEST(test_utf8)
{
	static const struct {
		const char *s;
		bool ok;
	} cases[] = {
		{ "plain ASCII, longer than eight bytes", true },
		{ "\xc2\x80\xdf\xbf", true },
		{ "\xe0\xa0\x80\xef\xbf\xbf", true },
		{ "\xf0\x90\x80\x80\xf4\x8f\xbf\xbf", true },
		{ "\xc1\xbf", false },			/* overlong */
		{ "\xe0\x9f\xbf", false },		/* overlong */
		{ "\xed\xbf\xbf", false },		/* surrogate */
		{ "\xf0\x8f\xbf\xbf", false },		/* overlong */
		{ "\xf4\x90\x80\x80", false },		/* past U+10FFFF */
		{ "\xf5\x80\x80\x80", false },
		{ "ab\x80", false },			/* stray continuation */
		{ "\xe2\x82", false },			/* cut short */
	};
	struct fp_utf8 u;
	unsigned int i;
	size_t len, cut;
	bool ok;

	for (i = 0; i < RTE_DIM(cases); i++) {
		len = strlen(cases[i].s);
		for (cut = 0; cut <= len; cut++) {
			memset(&u, 0, sizeof(u));
			ok = fp_utf8_feed(&u, (const uint8_t *)cases[i].s, cut) &&
				fp_utf8_feed(&u, (const uint8_t *)cases[i].s + cut, len - cut) &&
				fp_utf8_whole(&u);
			ck_assert_msg(ok == cases[i].ok, "case %u cut at %zu", i, cut);
		}
	}
}
END_TEST

/* Unmasking from any offset is the same as from the start. */
START_TEST(test_unmask_offsets)
{
	uint8_t a[40], b[40];
	size_t off;

	for (off = 0; off < sizeof(a); off++)
		a[off] = (uint8_t)(off * 13 + 1);
	memcpy(b, a, sizeof(a));
	fp_ws_unmask(a, sizeof(a), mask_key, 0);
	for (off = 0; off < sizeof(b); off += 7)
		fp_ws_unmask(b + off, RTE_MIN(sizeof(b) - off, (size_t)7), mask_key, off);
	ck_assert_mem_eq(a, b, sizeof(a));
	for (off = 0; off < sizeof(a); off++)
		ck_assert_uint_eq(a[off], (uint8_t)((off * 13 + 1) ^ mask_key[off % 4]));
}
END_TEST

/* RFC 6455 1.3's example: key and accept value. */
START_TEST(test_accept)
{
	static const char k[] = "dGhlIHNhbXBsZSBub25jZQ==";
	struct fp_http_slice key = { k, sizeof(k) - 1 };
	char out[FP_WS_ACCEPT_LEN + 1];

	ck_assert_int_eq(fp_ws_accept_key(key, out), 0);
	ck_assert_str_eq(out, "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
}
END_TEST

#define WS_KEY "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
#define WS_VER "Sec-WebSocket-Version: 13\r\n"

static const struct {
	const char *req;
	int status;
} handshakes[] = {
	{ "GET /chat HTTP/1.1\r\nHost: s\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
		WS_KEY WS_VER "\r\n", 0 },
	/* Case-insensitive values, the token inside a list. */
	{ "GET /chat HTTP/1.1\r\nHost: s\r\nupgrade: WebSocket\r\n"
		"connection: keep-alive, UPGRADE\r\n" WS_KEY WS_VER "\r\n", 0 },
	{ "POST /chat HTTP/1.1\r\nHost: s\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
		WS_KEY WS_VER "\r\n", 400 },
	{ "GET /chat HTTP/1.0\r\nHost: s\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
		WS_KEY WS_VER "\r\n", 400 },
	{ "GET /chat HTTP/1.1\r\nHost: s\r\nConnection: Upgrade\r\n" WS_KEY WS_VER "\r\n",
		400 },
	{ "GET /chat HTTP/1.1\r\nHost: s\r\nUpgrade: websocket\r\nConnection: close\r\n"
		WS_KEY WS_VER "\r\n", 400 },
	{ "GET /chat HTTP/1.1\r\nHost: s\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
		WS_VER "\r\n", 400 },
	/* A key that decodes to 15 bytes, one with a bad character, two keys. */
	{ "GET /chat HTTP/1.1\r\nHost: s\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
		"Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25j\r\n" WS_VER "\r\n", 400 },
	{ "GET /chat HTTP/1.1\r\nHost: s\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
		"Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25j*Q==\r\n" WS_VER "\r\n", 400 },
	{ "GET /chat HTTP/1.1\r\nHost: s\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
		WS_KEY WS_KEY WS_VER "\r\n", 400 },
	/* The version: missing, another, twice. */
	{ "GET /chat HTTP/1.1\r\nHost: s\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
		WS_KEY "\r\n", 426 },
	{ "GET /chat HTTP/1.1\r\nHost: s\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
		WS_KEY "Sec-WebSocket-Version: 8\r\n\r\n", 426 },
	{ "GET /chat HTTP/1.1\r\nHost: s\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
		WS_KEY WS_VER WS_VER "\r\n", 426 },
};

START_TEST(test_handshake_checks)
{
	struct fp_http_request req;
	struct fp_http_slice key = { NULL, 0 };
	const char *r = handshakes[_i].req;

	ck_assert_int_eq(fp_http_parse_request(r, strlen(r), &req), (int)strlen(r));
	ck_assert_int_eq(fp_ws_check_request(&req, &key), handshakes[_i].status);
	if (handshakes[_i].status == 0) {
		ck_assert_uint_eq(key.len, 24);
		ck_assert_mem_eq(key.p, "dGhlIHNhbXBsZSBub25jZQ==", 24);
	}
}
END_TEST

Suite *
ws_suite(void)
{
	Suite *s = suite_create("ws");
	TCase *tc = tcase_create("frames");

	tcase_add_test(tc, test_header_forms);
	tcase_add_loop_test(tc, test_bad_headers, 0, RTE_DIM(bad_headers));
	tcase_add_test(tc, test_stream);
	tcase_add_test(tc, test_stream_errors);
	tcase_add_test(tc, test_close_codes);
	tcase_add_test(tc, test_utf8);
	tcase_add_test(tc, test_unmask_offsets);
	suite_add_tcase(s, tc);
	tc = tcase_create("handshake");
	tcase_add_test(tc, test_accept);
	tcase_add_loop_test(tc, test_handshake_checks, 0, RTE_DIM(handshakes));
	suite_add_tcase(s, tc);
	return s;
}
