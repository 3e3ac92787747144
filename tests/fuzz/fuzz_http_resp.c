/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The fastpath authors
 */

/* libFuzzer harness of the response-head parser and its framing, which
 * fp-load runs on every answer. As for requests: every prefix of the input
 * agrees with the whole, slices stay inside it, and the framing is
 * consistent (a body length only with BODY_LENGTH, no keep-alive after an
 * error or a body that ends with the connection).
 */

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fp_http_parse.h"
#include "fuzz_prefix.h"

static void
check(int ok)
{
	if (!ok)
		abort();
}

static int
parse_part(const char *buf, size_t len, void *out)
{
	return fp_http_parse_response(buf, len, out);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fp_http_response resp, part;
	struct fp_http_resp_info info;
	const char *b = (const char *)data;
	int whole, ret;
	uint16_t i;
	size_t k;

	if (size > 65536)
		return 0;
	whole = fp_http_parse_response(b, size, &resp);
	check(whole == -2 || whole == -1 || (whole > 0 && (size_t)whole <= size));
	if (whole >= 0) {
		check(resp.status >= 100 && resp.status <= 599);
		check(resp.reason.len == 0 || (resp.reason.p >= b &&
			resp.reason.p + resp.reason.len <= b + whole));
		for (i = 0; i < resp.nb_headers; i++)
			check(resp.headers[i].name.len > 0 && resp.headers[i].name.p >= b &&
				resp.headers[i].value.p + resp.headers[i].value.len <= b + whole);
		for (k = 0; k < 2; k++) {
			ret = fp_http_resp_analyze(&resp, k == 1, &info);
			check(ret == 0 || ret == -1);
			check((ret == -1) == (info.err != FP_HTTP_RESP_E_NONE));
			check(info.body == FP_HTTP_BODY_LENGTH || info.content_length == 0);
			check(!(ret == -1 || info.body == FP_HTTP_BODY_CLOSE) || !info.keep_alive);
			check(k == 0 || info.body == FP_HTTP_BODY_NONE || ret == -1);
		}
	} else if (whole == -1) {
		check(resp.err != FP_HTTP_PERR_NONE && resp.err < FP_HTTP_PERR_MAX);
	}
	fuzz_prefixes(data, size, whole, parse_part, &part);
	return 0;
}
