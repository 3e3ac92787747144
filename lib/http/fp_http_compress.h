/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The fastpath authors
 */

#ifndef FP_HTTP_COMPRESS_H
#define FP_HTTP_COMPRESS_H

/* Compression of loaded bodies at start, off the workers. */

#include <stdbool.h>
#include <stddef.h>

/* Whether a Content-Type is worth compressing: text, JSON, JavaScript,
 * XML, SVG, wasm and the like; never an event stream, and never a type
 * that is compressed already (images, fonts in woff, video, archives).
 */
bool
fp_http_compressible(const char *type);

/* in[0, len) as gzip (libdeflate, level 1-12) or brotli (quality 0-11),
 * into *out (malloc()ed, the caller frees it) of *out_len bytes. -E2BIG
 * when the result would not be at most 90% of len: no variant is kept
 * that saves less. -ENOMEM.
 */
int
fp_http_gzip(const void *in, size_t len, unsigned int level, void **out, size_t *out_len);

int
fp_http_brotli(const void *in, size_t len, unsigned int quality, void **out, size_t *out_len);

/* On the fly, on a worker: a gzip compressor made at start (it allocates
 * then, never while compressing), NULL on failure.
 */
void *
fp_http_deflater_new(unsigned int level);

void
fp_http_deflater_free(void *d);

/* in[0, len) as gzip into out[0, max): the bytes written, 0 when they do
 * not fit. No allocation.
 */
size_t
fp_http_deflate(void *d, const void *in, size_t len, void *out, size_t max);

#endif /* FP_HTTP_COMPRESS_H */
