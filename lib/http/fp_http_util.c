/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The fastpath authors
 */

/* Small HTTP utilities: reason phrases, MIME types and dates. */

#include <string.h>
#include <strings.h>
#include <time.h>

#include <rte_common.h>

#include "fp_http.h"

#define FP_HTTP_ERR_TEXT(code, text) [FP_HTTP_E##code] = { code, text },
const struct fp_http_err_page fp_http_err_pages[FP_HTTP_E_MAX] = {
	FP_HTTP_ERRORS(FP_HTTP_ERR_TEXT)
};
#undef FP_HTTP_ERR_TEXT

const char *
fp_http_reason(uint16_t status)
{
	/* Besides the error pages' (FP_HTTP_ERRORS). */
	static const struct {
		uint16_t code;
		const char *text;
	} more[] = {
		{ 101, "Switching Protocols" }, { 200, "OK" }, { 201, "Created" },
		{ 202, "Accepted" }, { 204, "No Content" },
		{ 301, "Moved Permanently" }, { 302, "Found" }, { 303, "See Other" },
		{ 304, "Not Modified" }, { 307, "Temporary Redirect" },
		{ 308, "Permanent Redirect" },
		{ 410, "Gone" }, { 418, "I'm a teapot" }, { 429, "Too Many Requests" },
		{ 502, "Bad Gateway" }, { 504, "Gateway Timeout" },
	};
	unsigned int i;

	for (i = 0; i < RTE_DIM(fp_http_err_pages); i++)
		if (fp_http_err_pages[i].code == status)
			return fp_http_err_pages[i].text;
	for (i = 0; i < RTE_DIM(more); i++)
		if (more[i].code == status)
			return more[i].text;
	return "Status";
}

const char *
fp_http_content_type(const char *name)
{
	static const struct {
		const char *ext, *type;
	} types[] = {
		{ "html", "text/html; charset=utf-8" }, { "htm", "text/html; charset=utf-8" },
		{ "css", "text/css; charset=utf-8" }, { "js", "text/javascript; charset=utf-8" },
		{ "mjs", "text/javascript; charset=utf-8" }, { "json", "application/json" },
		{ "txt", "text/plain; charset=utf-8" }, { "md", "text/markdown; charset=utf-8" },
		{ "csv", "text/csv; charset=utf-8" }, { "xml", "application/xml" },
		{ "svg", "image/svg+xml" }, { "png", "image/png" }, { "jpg", "image/jpeg" },
		{ "jpeg", "image/jpeg" }, { "gif", "image/gif" }, { "webp", "image/webp" },
		{ "avif", "image/avif" }, { "ico", "image/x-icon" }, { "wasm", "application/wasm" },
		{ "pdf", "application/pdf" }, { "woff", "font/woff" }, { "woff2", "font/woff2" },
		{ "ttf", "font/ttf" }, { "otf", "font/otf" }, { "mp4", "video/mp4" },
		{ "webm", "video/webm" }, { "mp3", "audio/mpeg" }, { "ogg", "audio/ogg" },
		{ "wav", "audio/wav" }, { "zip", "application/zip" }, { "gz", "application/gzip" },
		{ "tar", "application/x-tar" }, { "map", "application/json" },
		{ "webmanifest", "application/manifest+json" },
	};
	const char *dot = strrchr(name, '.'), *slash = strrchr(name, '/');
	unsigned int i;

	if (dot != NULL && (slash == NULL || dot > slash))
		for (i = 0; i < RTE_DIM(types); i++)
			if (strcasecmp(dot + 1, types[i].ext) == 0)
				return types[i].type;
	return "application/octet-stream";
}

static void
fp_http_digits(char *p, unsigned int v, unsigned int n)
{
	while (n-- > 0) {
		p[n] = '0' + v % 10;
		v /= 10;
	}
}

void
fp_http_date(uint64_t sec, char *out)
{
	static const char days[] = "SunMonTueWedThuFriSat";
	static const char months[] = "JanFebMarAprMayJunJulAugSepOctNovDec";
	time_t t = (time_t)sec;
	struct tm tm;
	char *p = out;

	gmtime_r(&t, &tm);
	memcpy(p, days + 3 * tm.tm_wday, 3);
	p += 3;
	*p++ = ',';
	*p++ = ' ';
	*p++ = '0' + tm.tm_mday / 10;
	*p++ = '0' + tm.tm_mday % 10;
	*p++ = ' ';
	memcpy(p, months + 3 * tm.tm_mon, 3);
	p += 3;
	*p++ = ' ';
	fp_http_digits(p, tm.tm_year + 1900, 4);
	p += 4;
	*p++ = ' ';
	fp_http_digits(p, tm.tm_hour, 2);
	p[2] = ':';
	fp_http_digits(p + 3, tm.tm_min, 2);
	p[5] = ':';
	fp_http_digits(p + 6, tm.tm_sec, 2);
	memcpy(p + 8, " GMT", 4);
}

