/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The fastpath authors
 */

/* libFuzzer harness of the WebSocket opening handshake: a request head
 * parsed, checked as a handshake (fp_ws_check_request), its key turned into
 * the accept value, and its header values read as lists
 * (fp_ws_list_has), which are what fp_ws_accept() and fp_ws_offered() run
 * on a client's bytes. Invariants: a check passes only with a key of 24
 * characters inside the request, and then the accept value is 28 base64
 * characters; the status is 0, 400 or 426.
 */

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fp_http_parse.h"
#include "fp_ws_handshake.h"

static void
check(int ok)
{
	if (!ok)
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char b64[] =
		"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=";
	char acc[FP_WS_ACCEPT_LEN + 1];
	struct fp_http_request req;
	struct fp_http_slice key;
	char *buf;
	uint16_t i;
	int ret, st;

	if (size > 65536)
		return 0;
	/* An exact-size copy: AddressSanitizer sees a read past the end. */
	buf = malloc(size + 1);
	if (buf == NULL)
		return 0;
	memcpy(buf, data, size);
	ret = fp_http_parse_request(buf, size, &req);
	if (ret > 0) {
		st = fp_ws_check_request(&req, &key);
		check(st == 0 || st == 400 || st == 426);
		if (st == 0) {
			check(key.len == 24 && key.p >= buf && key.p + key.len <= buf + ret);
			check(fp_ws_accept_key(key, acc) == 0);
			check(strlen(acc) == FP_WS_ACCEPT_LEN && strspn(acc, b64) ==
				FP_WS_ACCEPT_LEN);
		}
		for (i = 0; i < req.nb_headers; i++) {
			/* Both cases, any token: they read the value only. */
			(void)fp_ws_list_has(req.headers[i].value, "chat", false);
			(void)fp_ws_list_has(req.headers[i].value, "upgrade", true);
		}
	}
	free(buf);
	return 0;
}
