/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The fastpath authors
 */

/* Compression at start (before the workers run): gzip with libdeflate,
 * brotli with libbrotlienc, into malloc()ed buffers the loader copies to
 * hugepage memory. Never called on a worker.
 */

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <brotli/encode.h>
#include <libdeflate.h>

#include "fp_http_compress.h"

bool
fp_http_compressible(const char *type)
{
	static const char *const prefixes[] = {
		"text/", "application/json", "application/javascript", "application/xml",
		"application/wasm", "application/manifest+json", "application/x-tar",
		"image/svg+xml", "image/x-icon", "font/ttf", "font/otf",
	};
	unsigned int i;

	if (type == NULL)
		return false;
	/* A stream goes out as it is written: never compressed. */
	if (strncmp(type, "text/event-stream", 17) == 0)
		return false;
	for (i = 0; i < sizeof(prefixes) / sizeof(prefixes[0]); i++)
		if (strncmp(type, prefixes[i], strlen(prefixes[i])) == 0)
			return true;
	return false;
}

/* The largest output worth having: at most 90% of the input. */
static size_t
fp_http_keep_max(size_t len)
{
	return len - len / 10;
}

int
fp_http_gzip(const void *in, size_t len, unsigned int level, void **out, size_t *out_len)
{
	struct libdeflate_compressor *c;
	size_t max = fp_http_keep_max(len), n;
	void *buf;

	*out = NULL;
	*out_len = 0;
	c = libdeflate_alloc_compressor(level);
	if (c == NULL)
		return -ENOMEM;
	buf = malloc(max > 0 ? max : 1);
	if (buf == NULL) {
		libdeflate_free_compressor(c);
		return -ENOMEM;
	}
	/* 0 when it does not fit in max: not small enough to keep. */
	n = max > 0 ? libdeflate_gzip_compress(c, in, len, buf, max) : 0;
	libdeflate_free_compressor(c);
	if (n == 0) {
		free(buf);
		return -E2BIG;
	}
	*out = buf;
	*out_len = n;
	return 0;
}

int
fp_http_brotli(const void *in, size_t len, unsigned int quality, void **out, size_t *out_len)
{
	size_t max = fp_http_keep_max(len), n = max;
	void *buf;

	*out = NULL;
	*out_len = 0;
	buf = malloc(max > 0 ? max : 1);
	if (buf == NULL)
		return -ENOMEM;
	/* BROTLI_FALSE also when the output would not fit in max. */
	if (max == 0 || !BrotliEncoderCompress(quality, BROTLI_DEFAULT_WINDOW,
			BROTLI_MODE_GENERIC, len, in, &n, buf)) {
		free(buf);
		return -E2BIG;
	}
	*out = buf;
	*out_len = n;
	return 0;
}

void *
fp_http_deflater_new(unsigned int level)
{
	return libdeflate_alloc_compressor(level);
}

void
fp_http_deflater_free(void *d)
{
	if (d != NULL)
		libdeflate_free_compressor(d);
}

size_t
fp_http_deflate(void *d, const void *in, size_t len, void *out, size_t max)
{
	return libdeflate_gzip_compress(d, in, len, out, max);
}
