/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The fastpath authors
 */

#include <errno.h>
#include <stdbool.h>
#include <string.h>
#include <strings.h>

#include <openssl/evp.h>
#include <openssl/sha.h>

#include "fp_ws_handshake.h"

/* RFC 6455 1.3: the GUID the key is concatenated with. */
static const char fp_ws_guid[] = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

static bool
fp_ws_ieq(struct fp_http_slice s, const char *lit)
{
	size_t n = strlen(lit);

	return s.len == n && strncasecmp(s.p, lit, n) == 0;
}

bool
fp_ws_list_has(struct fp_http_slice v, const char *token, bool icase)
{
	size_t tl = strlen(token);
	uint32_t i = 0, start, end;
	struct fp_http_slice e;

	while (i <= v.len) {
		start = i;
		while (i < v.len && v.p[i] != ',')
			i++;
		end = i;
		while (start < end && (v.p[start] == ' ' || v.p[start] == '\t'))
			start++;
		while (end > start && (v.p[end - 1] == ' ' || v.p[end - 1] == '\t'))
			end--;
		e.p = v.p + start;
		e.len = end - start;
		if (icase ? fp_ws_ieq(e, token) : e.len == tl && memcmp(e.p, token, tl) == 0)
			return true;
		i++;
	}
	return false;
}

/* RFC 6455 4.1: the key is "a base64-encoded value that, when decoded, is
 * 16 bytes in length": 22 characters of the base64 alphabet, the last
 * holding only 2 bits, and "==".
 */
static bool
fp_ws_key_ok(struct fp_http_slice k)
{
	static const char b64[] =
		"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	const char *c;
	uint32_t i;

	if (k.len != 24 || k.p[22] != '=' || k.p[23] != '=')
		return false;
	for (i = 0; i < 22; i++) {
		if (k.p[i] == '\0')
			return false;
		c = strchr(b64, k.p[i]);
		if (c == NULL)
			return false;
		/* The 22nd character's low four bits lie past 16 bytes. */
		if (i == 21 && ((c - b64) & 0x0f) != 0)
			return false;
	}
	return true;
}

int
fp_ws_check_request(const struct fp_http_request *req, struct fp_http_slice *key)
{
	bool upgrade = false, conn = false, version = false;
	unsigned int nb_keys = 0, nb_versions = 0;
	const struct fp_http_header *h;
	uint16_t i;

	/* 4.2.1: "An HTTP/1.1 or higher GET request". */
	if (req->method.len != 3 || memcmp(req->method.p, "GET", 3) != 0 || req->major != 1 ||
			req->minor < 1)
		return 400;
	for (i = 0; i < req->nb_headers; i++) {
		h = &req->headers[i];
		if (fp_ws_ieq(h->name, "upgrade")) {
			/* "containing the value "websocket", treated as an
			 * ASCII case-insensitive value."
			 */
			upgrade = upgrade || fp_ws_list_has(h->value, "websocket", true);
		} else if (fp_ws_ieq(h->name, "connection")) {
			conn = conn || fp_ws_list_has(h->value, "upgrade", true);
		} else if (fp_ws_ieq(h->name, "sec-websocket-key")) {
			nb_keys++;
			*key = h->value;
		} else if (fp_ws_ieq(h->name, "sec-websocket-version")) {
			nb_versions++;
			version = h->value.len == 2 && h->value.p[0] == '1' && h->value.p[1] == '3';
		}
	}
	if (!upgrade || !conn || nb_keys != 1 || !fp_ws_key_ok(*key))
		return 400;
	/* 4.4: a version the server does not speak gets 426 and the one it
	 * does.
	 */
	if (nb_versions != 1 || !version)
		return 426;
	return 0;
}

int
fp_ws_accept_key(struct fp_http_slice key, char out[FP_WS_ACCEPT_LEN + 1])
{
	unsigned char md[SHA_DIGEST_LENGTH];
	unsigned int md_len = 0;
	EVP_MD_CTX *ctx;
	int ok;

	/* 4.2.2 (5.4): "the base64-encoded SHA-1 of the concatenation of the
	 * |Sec-WebSocket-Key| (as a string, not base64-decoded) with the
	 * string "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"".
	 */
	ctx = EVP_MD_CTX_new();
	if (ctx == NULL)
		return -EINVAL;
	ok = EVP_DigestInit_ex(ctx, EVP_sha1(), NULL) == 1 &&
		EVP_DigestUpdate(ctx, key.p, key.len) == 1 &&
		EVP_DigestUpdate(ctx, fp_ws_guid, sizeof(fp_ws_guid) - 1) == 1 &&
		EVP_DigestFinal_ex(ctx, md, &md_len) == 1 && md_len == SHA_DIGEST_LENGTH;
	EVP_MD_CTX_free(ctx);
	if (!ok || EVP_EncodeBlock((unsigned char *)out, md, SHA_DIGEST_LENGTH) !=
			FP_WS_ACCEPT_LEN)
		return -EINVAL;
	return 0;
}
