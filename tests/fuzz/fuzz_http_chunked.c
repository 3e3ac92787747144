/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The fastpath authors
 */

/* libFuzzer harness of the chunked body decoder: the input decoded whole,
 * then split at every point (and byte by byte), must give the same payload,
 * the same bytes consumed and the same end (done, error and its reason).
 * Every piece sits in a buffer of its exact size, for AddressSanitizer.
 */

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fp_http_chunked.h"

struct result {
	uint8_t out[8192];
	size_t out_len;
	size_t used;
	int failed;
	uint8_t err;
	int done;
};

static void
check(int ok)
{
	if (!ok)
		abort();
}

/* Feeds data[from, to) in one piece: returns false once the body ended. */
static int
feed(struct fp_http_chunked *c, const uint8_t *data, size_t from, size_t to, struct result *r)
{
	uint8_t *piece;
	const char *d;
	size_t off = 0, len = to - from, dl;
	long ret;

	if (len == 0)
		return 1;
	piece = malloc(len);
	check(piece != NULL);
	memcpy(piece, data + from, len);
	while (off < len && !fp_http_chunked_done(c)) {
		ret = fp_http_chunked_decode(c, (const char *)piece + off, len - off, &d, &dl);
		if (ret < 0) {
			r->failed = 1;
			r->err = c->err;
			check(d == NULL && dl == 0);
			free(piece);
			return 0;
		}
		check((size_t)ret <= len - off && (ret > 0 || fp_http_chunked_done(c)));
		if (dl != 0) {
			check(d >= (const char *)piece + off &&
				d + dl <= (const char *)piece + len);
			if (r->out_len + dl <= sizeof(r->out))
				memcpy(r->out + r->out_len, d, dl);
			r->out_len += dl;
		}
		off += ret;
		r->used += ret;
	}
	free(piece);
	r->done = fp_http_chunked_done(c);
	return !r->done;
}

static void
run(const uint8_t *data, size_t size, size_t step, size_t cut, struct result *r)
{
	struct fp_http_chunked c;
	size_t at = 0, to;

	memset(r, 0, sizeof(*r));
	fp_http_chunked_init(&c, 1 << 20);
	if (cut != 0 && !feed(&c, data, 0, cut, r))
		return;
	at = cut;
	while (at < size) {
		to = step == 0 ? size : (at + step < size ? at + step : size);
		if (!feed(&c, data, at, to, r))
			return;
		at = to;
	}
}

static void
same(const struct result *a, const struct result *b)
{
	check(a->failed == b->failed && a->done == b->done && a->out_len == b->out_len);
	if (a->failed)
		check(a->err == b->err);
	else
		check(a->used == b->used);
	check(memcmp(a->out, b->out, a->out_len < sizeof(a->out) ? a->out_len :
		sizeof(a->out)) == 0);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct result whole, part;
	size_t k;

	if (size > 4096)
		return 0;
	run(data, size, 0, 0, &whole);
	run(data, size, 1, 0, &part);
	same(&whole, &part);
	for (k = 1; k < size; k++) {
		run(data, size, 0, k, &part);
		same(&whole, &part);
	}
	return 0;
}
