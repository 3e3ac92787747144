/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The fastpath authors
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "fp_http_chars.h"
#include "fp_http_chunked.h"

const char *const fp_http_chunked_err_names[FP_HTTP_CHUNKED_ERR_MAX] = {
	[FP_HTTP_CHUNKED_OK] = "ok",
	[FP_HTTP_CHUNKED_BAD_SIZE] = "bad_chunk_size",
	[FP_HTTP_CHUNKED_LINE_TOO_LONG] = "chunk_line_too_long",
	[FP_HTTP_CHUNKED_BAD_CRLF] = "bad_chunk_crlf",
	[FP_HTTP_CHUNKED_BAD_EXT] = "bad_chunk_ext",
	[FP_HTTP_CHUNKED_TRAILER_TOO_LARGE] = "trailer_too_large",
	[FP_HTTP_CHUNKED_BAD_TRAILER] = "bad_trailer",
	[FP_HTTP_CHUNKED_TOO_LARGE] = "body_too_large",
};

/* Where the decoder is; the order matters: the chunk-size line's states come
 * first (FP_CHUNKED_SIZE0 is 0, the zeroed struct), then the trailer's.
 */
enum fp_chunked_state {
	FP_CHUNKED_SIZE0,	/* before the first digit of a chunk-size */
	FP_CHUNKED_SIZE,	/* in its digits */
	FP_CHUNKED_EXT_WS,	/* BWS after the size or an extension: ';' must come */
	FP_CHUNKED_EXT_NAME0,	/* after ';' */
	FP_CHUNKED_EXT_NAME,
	FP_CHUNKED_EXT_NAME_WS,	/* BWS after a name: '=' or ';' must come */
	FP_CHUNKED_EXT_VAL0,	/* after '=' */
	FP_CHUNKED_EXT_TOKEN,
	FP_CHUNKED_EXT_QUOTED,
	FP_CHUNKED_EXT_ESCAPE,	/* after a backslash in a quoted string */
	FP_CHUNKED_EXT_END,	/* after the closing quote */
	FP_CHUNKED_SIZE_LF,	/* after the CR that ends the chunk-size line */
	FP_CHUNKED_DATA,
	FP_CHUNKED_DATA_CR,	/* the data is over, its line end comes */
	FP_CHUNKED_DATA_LF,
	FP_CHUNKED_TRAILER,	/* at the start of a trailer line or of the last line */
	FP_CHUNKED_TR_NAME,
	FP_CHUNKED_TR_VALUE,
	FP_CHUNKED_TR_LF,	/* after the CR that ends a trailer field line */
	FP_CHUNKED_END_LF,	/* after the CR of the empty last line */
	FP_CHUNKED_DONE,
	FP_CHUNKED_ERROR,
};

/* RFC 5234 B.1: HEXDIG, case-insensitive. -1 for any other byte; OR-ing 0x20
 * maps only 'A'-'F' onto 'a'-'f'.
 */
static inline int
fp_chunked_hex(uint8_t ch)
{
	if (ch >= '0' && ch <= '9')
		return ch - '0';
	ch |= 0x20;
	if (ch >= 'a' && ch <= 'f')
		return ch - 'a' + 10;
	return -1;
}

void
fp_http_chunked_init(struct fp_http_chunked *c, uint64_t max_body)
{
	*c = (struct fp_http_chunked){ .max = max_body };
}

bool
fp_http_chunked_done(const struct fp_http_chunked *c)
{
	return c->state == FP_CHUNKED_DONE;
}

/* The chunk-size line has ended: its data follows, or the trailer. */
static inline void
fp_chunked_size_line_end(struct fp_http_chunked *c)
{
	c->line = 0;
	/* RFC 9112 7.1: "The chunked transfer coding is complete when a chunk
	 * with a chunk-size of zero is received, possibly followed by a trailer
	 * section, and finally terminated by an empty line."
	 */
	c->state = c->left == 0 ? FP_CHUNKED_TRAILER : FP_CHUNKED_DATA;
}

/* ch follows a complete chunk-size, extension name or value. */
static inline enum fp_http_chunked_err
fp_chunked_ext_next(struct fp_http_chunked *c, uint8_t ch)
{
	if (ch == ';')
		c->state = FP_CHUNKED_EXT_NAME0;
	else if (fp_http_ows(ch))
		c->state = FP_CHUNKED_EXT_WS;
	else if (ch == '\r')
		c->state = FP_CHUNKED_SIZE_LF;
	else if (ch == '\n')
		fp_chunked_size_line_end(c);
	else
		return FP_HTTP_CHUNKED_BAD_EXT;
	return FP_HTTP_CHUNKED_OK;
}

/* Adds the chunk-size just read to the total, within max. */
static inline enum fp_http_chunked_err
fp_chunked_add(struct fp_http_chunked *c)
{
	uint64_t limit = c->max == 0 ? UINT64_MAX : c->max;

	/* RFC 9110 15.5.14: 413 "indicates that the server is refusing to
	 * process a request because the request content is larger than the
	 * server is willing or able to process." Refused as soon as the size
	 * is known, before its data comes.
	 */
	if (c->total > limit || c->left > limit - c->total)
		return FP_HTTP_CHUNKED_TOO_LARGE;
	c->total += c->left;
	return FP_HTTP_CHUNKED_OK;
}

/* One framing byte (anything but chunk data) in the current state. */
static enum fp_http_chunked_err
fp_chunked_byte(struct fp_http_chunked *c, uint8_t ch)
{
	int d;

	switch (c->state) {
	case FP_CHUNKED_SIZE0:
	case FP_CHUNKED_SIZE:
		/* RFC 9112 7.1: chunk-size = 1*HEXDIG */
		d = fp_chunked_hex(ch);
		if (d >= 0) {
			/* RFC 9112 7.1: "recipients MUST anticipate potentially
			 * large hexadecimal numerals and prevent parsing errors
			 * due to integer conversion overflows". Leading zeros
			 * leave left at 0: only 16 significant digits fit.
			 */
			if ((c->left >> 60) != 0)
				return FP_HTTP_CHUNKED_BAD_SIZE;
			c->left = c->left << 4 | (uint64_t)d;
			c->state = FP_CHUNKED_SIZE;
			return FP_HTTP_CHUNKED_OK;
		}
		if (c->state == FP_CHUNKED_SIZE0)
			return FP_HTTP_CHUNKED_BAD_SIZE;
		if (ch != ';' && ch != '\r' && ch != '\n' && !fp_http_ows(ch))
			return FP_HTTP_CHUNKED_BAD_SIZE;
		if (fp_chunked_add(c) != FP_HTTP_CHUNKED_OK)
			return FP_HTTP_CHUNKED_TOO_LARGE;
		return fp_chunked_ext_next(c, ch);

	/* RFC 9112 7.1.1: chunk-ext = *( BWS ";" BWS chunk-ext-name
	 * [ BWS "=" BWS chunk-ext-val ] ). RFC 9110 5.6.3: "A recipient MUST
	 * parse for such bad whitespace and remove it"; the grammar has none
	 * before the line end, so "1 \r\n" is refused.
	 */
	case FP_CHUNKED_EXT_WS:
		if (ch == ';')
			c->state = FP_CHUNKED_EXT_NAME0;
		else if (!fp_http_ows(ch))
			return FP_HTTP_CHUNKED_BAD_EXT;
		return FP_HTTP_CHUNKED_OK;
	case FP_CHUNKED_EXT_NAME0:
		if (fp_http_is(ch, FP_HTTP_TCHAR))
			c->state = FP_CHUNKED_EXT_NAME;
		else if (!fp_http_ows(ch))
			return FP_HTTP_CHUNKED_BAD_EXT;
		return FP_HTTP_CHUNKED_OK;
	case FP_CHUNKED_EXT_NAME:
		if (fp_http_is(ch, FP_HTTP_TCHAR))
			return FP_HTTP_CHUNKED_OK;
		if (ch == '=') {
			c->state = FP_CHUNKED_EXT_VAL0;
			return FP_HTTP_CHUNKED_OK;
		}
		if (fp_http_ows(ch)) {
			c->state = FP_CHUNKED_EXT_NAME_WS;
			return FP_HTTP_CHUNKED_OK;
		}
		return fp_chunked_ext_next(c, ch);
	case FP_CHUNKED_EXT_NAME_WS:
		if (ch == '=')
			c->state = FP_CHUNKED_EXT_VAL0;
		else if (ch == ';')
			c->state = FP_CHUNKED_EXT_NAME0;
		else if (!fp_http_ows(ch))
			return FP_HTTP_CHUNKED_BAD_EXT;
		return FP_HTTP_CHUNKED_OK;
	case FP_CHUNKED_EXT_VAL0:
		/* RFC 9112 7.1.1: chunk-ext-val = token / quoted-string */
		if (fp_http_is(ch, FP_HTTP_TCHAR))
			c->state = FP_CHUNKED_EXT_TOKEN;
		else if (ch == '"')
			c->state = FP_CHUNKED_EXT_QUOTED;
		else if (!fp_http_ows(ch))
			return FP_HTTP_CHUNKED_BAD_EXT;
		return FP_HTTP_CHUNKED_OK;
	case FP_CHUNKED_EXT_TOKEN:
		if (fp_http_is(ch, FP_HTTP_TCHAR))
			return FP_HTTP_CHUNKED_OK;
		return fp_chunked_ext_next(c, ch);
	case FP_CHUNKED_EXT_QUOTED:
		/* RFC 9110 5.6.4: qdtext = HTAB / SP / %x21 / %x23-5B / %x5D-7E
		 * / obs-text: a field-vchar but DQUOTE and backslash.
		 */
		if (ch == '"')
			c->state = FP_CHUNKED_EXT_END;
		else if (ch == '\\')
			c->state = FP_CHUNKED_EXT_ESCAPE;
		else if (!fp_http_is(ch, FP_HTTP_FVAL))
			return FP_HTTP_CHUNKED_BAD_EXT;
		return FP_HTTP_CHUNKED_OK;
	case FP_CHUNKED_EXT_ESCAPE:
		/* RFC 9110 5.6.4: quoted-pair = "\" ( HTAB / SP / VCHAR / obs-text ) */
		if (!fp_http_is(ch, FP_HTTP_FVAL))
			return FP_HTTP_CHUNKED_BAD_EXT;
		c->state = FP_CHUNKED_EXT_QUOTED;
		return FP_HTTP_CHUNKED_OK;
	case FP_CHUNKED_EXT_END:
		return fp_chunked_ext_next(c, ch);

	/* RFC 9112 2.2: "A recipient of such a bare CR MUST consider that
	 * element to be invalid or replace each bare CR with SP". After a CR
	 * where a line may end, only LF may come.
	 */
	case FP_CHUNKED_SIZE_LF:
		if (ch != '\n')
			return FP_HTTP_CHUNKED_BAD_CRLF;
		fp_chunked_size_line_end(c);
		return FP_HTTP_CHUNKED_OK;
	case FP_CHUNKED_DATA_CR:
		/* RFC 9112 7.1: chunk = chunk-size [ chunk-ext ] CRLF chunk-data
		 * CRLF. RFC 9112 2.2: "a recipient MAY recognize a single LF as a
		 * line terminator and ignore any preceding CR."
		 */
		if (ch == '\r') {
			c->state = FP_CHUNKED_DATA_LF;
			return FP_HTTP_CHUNKED_OK;
		}
		if (ch != '\n')
			return FP_HTTP_CHUNKED_BAD_CRLF;
		c->state = FP_CHUNKED_SIZE0;
		return FP_HTTP_CHUNKED_OK;
	case FP_CHUNKED_DATA_LF:
		if (ch != '\n')
			return FP_HTTP_CHUNKED_BAD_CRLF;
		c->state = FP_CHUNKED_SIZE0;
		return FP_HTTP_CHUNKED_OK;

	/* RFC 9112 7.1.2: trailer-section = *( field-line CRLF ). "A recipient
	 * that removes the chunked coding from a message MAY selectively retain
	 * or discard the received trailer fields": all are checked, then
	 * discarded.
	 */
	case FP_CHUNKED_TRAILER:
		if (ch == '\r')
			c->state = FP_CHUNKED_END_LF;
		else if (ch == '\n')
			c->state = FP_CHUNKED_DONE;
		else if (fp_http_is(ch, FP_HTTP_TCHAR))
			c->state = FP_CHUNKED_TR_NAME;
		else
			/* Includes obs-fold, refused like in the head (RFC 9112 5.2). */
			return FP_HTTP_CHUNKED_BAD_TRAILER;
		return FP_HTTP_CHUNKED_OK;
	case FP_CHUNKED_TR_NAME:
		/* RFC 9112 5.1: "No whitespace is allowed between the field name
		 * and colon."
		 */
		if (ch == ':')
			c->state = FP_CHUNKED_TR_VALUE;
		else if (!fp_http_is(ch, FP_HTTP_TCHAR))
			return FP_HTTP_CHUNKED_BAD_TRAILER;
		return FP_HTTP_CHUNKED_OK;
	case FP_CHUNKED_TR_VALUE:
		/* RFC 9110 5.5: "a recipient of CR, LF, or NUL within a field
		 * value MUST either reject the message or replace each of those
		 * characters with SP"; other CTLs are not field-vchar either.
		 */
		if (ch == '\r')
			c->state = FP_CHUNKED_TR_LF;
		else if (ch == '\n')
			c->state = FP_CHUNKED_TRAILER;
		else if (!fp_http_is(ch, FP_HTTP_FVAL))
			return FP_HTTP_CHUNKED_BAD_TRAILER;
		return FP_HTTP_CHUNKED_OK;
	case FP_CHUNKED_TR_LF:
		if (ch != '\n')
			return FP_HTTP_CHUNKED_BAD_CRLF;
		c->state = FP_CHUNKED_TRAILER;
		return FP_HTTP_CHUNKED_OK;
	case FP_CHUNKED_END_LF:
		if (ch != '\n')
			return FP_HTTP_CHUNKED_BAD_CRLF;
		c->state = FP_CHUNKED_DONE;
		return FP_HTTP_CHUNKED_OK;
	default:
		/* DATA, DONE and ERROR never get here; anything else is no state. */
		return FP_HTTP_CHUNKED_BAD_SIZE;
	}
}

/* Counts ch against the limit of the line or section it belongs to. */
static inline enum fp_http_chunked_err
fp_chunked_count(struct fp_http_chunked *c, uint8_t ch)
{
	/* RFC 9112 7.1.1: "A server ought to limit the total length of chunk
	 * extensions received in a request ... and generate an appropriate 4xx
	 * (Client Error) response if that amount is exceeded."
	 */
	if (c->state <= FP_CHUNKED_EXT_END) {
		if (ch != '\r' && ch != '\n' && ++c->line > FP_HTTP_CHUNK_LINE_MAX)
			return FP_HTTP_CHUNKED_LINE_TOO_LONG;
		return FP_HTTP_CHUNKED_OK;
	}
	/* RFC 9110 5.4: "A server that receives a request header field line,
	 * field value, or set of fields larger than it wishes to process MUST
	 * respond with an appropriate 4xx (Client Error) status code." The
	 * empty line that ends the body is not counted.
	 */
	if (c->state >= FP_CHUNKED_TRAILER && c->state <= FP_CHUNKED_TR_LF &&
			!(c->state == FP_CHUNKED_TRAILER && (ch == '\r' || ch == '\n')) &&
			++c->line > FP_HTTP_CHUNK_TRAILER_MAX)
		return FP_HTTP_CHUNKED_TRAILER_TOO_LARGE;
	return FP_HTTP_CHUNKED_OK;
}

int64_t
fp_http_chunked_decode(struct fp_http_chunked *c, const char *buf, size_t len,
	const char **data, size_t *data_len)
{
	const uint8_t *b = (const uint8_t *)buf;
	enum fp_http_chunked_err err;
	size_t p = 0, n;

	*data = NULL;
	*data_len = 0;
	if (c->state == FP_CHUNKED_ERROR)
		return -1;
	/* The return value must hold the length consumed. */
	if ((uint64_t)len > INT64_MAX)
		len = INT64_MAX;

	while (p < len) {
		if (c->state == FP_CHUNKED_DONE)
			break;
		if (c->state == FP_CHUNKED_DATA) {
			/* One run per call: stop after it, so that an error
			 * never comes with data the caller would drop.
			 */
			n = len - p;
			if (c->left < n)
				n = (size_t)c->left;
			*data = buf + p;
			*data_len = n;
			c->left -= n;
			p += n;
			if (c->left == 0)
				c->state = FP_CHUNKED_DATA_CR;
			break;
		}
		err = fp_chunked_count(c, b[p]);
		if (err == FP_HTTP_CHUNKED_OK)
			err = fp_chunked_byte(c, b[p]);
		if (err != FP_HTTP_CHUNKED_OK) {
			c->err = err;
			c->state = FP_CHUNKED_ERROR;
			return -1;
		}
		p++;
	}
	return (int64_t)p;
}
