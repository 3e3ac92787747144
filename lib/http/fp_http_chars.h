/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The fastpath authors
 */

#ifndef FP_HTTP_CHARS_H
#define FP_HTTP_CHARS_H

/* The byte classes of the HTTP grammar, shared by the request parser and
 * the chunked decoder: one table lookup per byte. Plain C.
 */

#include <stdbool.h>
#include <stdint.h>

#define FP_HTTP_TCHAR	0x1	/* RFC 9110 5.6.2 tchar: methods and field names */
#define FP_HTTP_VCHAR	0x2	/* 0x21-0x7e: the request-target */
#define FP_HTTP_FVAL	0x4	/* field-vchar, SP, HTAB: a field value (RFC 9110 5.5) */

extern const uint8_t fp_http_ctype[256];

static inline bool
fp_http_is(uint8_t c, uint8_t cls)
{
	return (fp_http_ctype[c] & cls) != 0;
}

/* RFC 9110 5.6.3: OWS is SP and HTAB. */
static inline bool
fp_http_ows(uint8_t c)
{
	return c == ' ' || c == '\t';
}

#endif /* FP_HTTP_CHARS_H */
