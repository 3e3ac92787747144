/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The fastpath authors
 */

/* libFuzzer harness of the WebSocket frame reader: the input (after one
 * byte that sets the message limit) is a client's byte stream, read whole,
 * then byte by byte and cut at every point. Every reading must end the same
 * way (read to the end, or the same close code), deliver the same data and
 * control frames when it ends well, and otherwise data that agrees as far as
 * both went. Each piece sits in a buffer of its exact size, for
 * AddressSanitizer, and every slice handed out must lie in it.
 */

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fp_ws_frame.h"

struct result {
	uint8_t data[4096];
	size_t data_len;
	unsigned int msgs;
	unsigned int ctl;
	uint32_t ctl_sum;
	uint16_t err;
	size_t used;
};

static void
check(int ok)
{
	if (!ok)
		abort();
}

static void
run(const uint8_t *in, size_t n, size_t step, size_t cut, uint64_t max, struct result *r)
{
	struct fp_ws_reader rd;
	struct fp_ws_ev ev;
	size_t at = 0, piece, off, k;
	uint8_t *buf;
	long ret;

	memset(r, 0, sizeof(*r));
	fp_ws_reader_init(&rd, max);
	while (at < n) {
		piece = cut != 0 && at == 0 ? cut : step != 0 ? step : n - at;
		if (piece > n - at)
			piece = n - at;
		buf = malloc(piece);
		check(buf != NULL);
		memcpy(buf, in + at, piece);
		for (off = 0; off < piece; off += (size_t)ret) {
			ret = fp_ws_read(&rd, buf + off, piece - off, &ev);
			if (ret < 0) {
				check(rd.err >= 1000 && rd.err <= 1013);
				check(fp_ws_read(&rd, buf, piece, &ev) == -1);
				r->err = rd.err;
				free(buf);
				return;
			}
			check(ret > 0 && (size_t)ret <= piece - off);
			r->used += (size_t)ret;
			if (ev.type == FP_WS_EV_DATA) {
				check(ev.n == 0 ||
					(ev.p >= buf + off && ev.p + ev.n <= buf + piece));
				check(ev.opcode == FP_WS_OP_TEXT || ev.opcode == FP_WS_OP_BINARY);
				if (r->data_len + ev.n <= sizeof(r->data))
					memcpy(r->data + r->data_len, ev.p, ev.n);
				r->data_len += ev.n;
				r->msgs += ev.msg_end;
			} else if (ev.type == FP_WS_EV_CONTROL) {
				check(ev.n <= FP_WS_CONTROL_MAX && ev.opcode >= FP_WS_OP_CLOSE);
				r->ctl++;
				for (k = 0; k < ev.n; k++)
					r->ctl_sum = r->ctl_sum * 31 + ev.p[k];
			}
		}
		free(buf);
		at += piece;
	}
	check(r->used == n);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct result whole, part;
	uint64_t max;
	size_t cut, n;

	if (size == 0)
		return 0;
	/* Byte 0: no limit, or one of a few small ones. */
	max = data[0] & 0x80 ? 0 : (uint64_t)(data[0] & 0x7f) * 8;
	data++;
	n = size - 1;
	run(data, n, 0, 0, max, &whole);
	for (cut = 0; cut <= n && cut <= 2048; cut++) {
		run(data, n, cut == 0 ? 1 : 0, cut, max, &part);
		check(part.err == whole.err);
		if (whole.err != 0) {
			size_t m = part.data_len < whole.data_len ? part.data_len : whole.data_len;

			if (m > sizeof(part.data))
				m = sizeof(part.data);
			check(memcmp(part.data, whole.data, m) == 0);
			continue;
		}
		check(part.data_len == whole.data_len && part.msgs == whole.msgs &&
			part.ctl == whole.ctl && part.ctl_sum == whole.ctl_sum);
		check(memcmp(part.data, whole.data, whole.data_len < sizeof(whole.data) ?
			whole.data_len : sizeof(whole.data)) == 0);
	}
	return 0;
}
