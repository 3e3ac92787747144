/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The fastpath authors
 */

/* libFuzzer harness of the request-head parser and its analysis. The
 * parser is a pure function of (buf, len): every prefix of the input must
 * agree with the whole (a complete head: -2 before its end, its length
 * after; an error: -2 or -1, and -1 from some point on; incomplete: -2
 * throughout), as it would be met split over segments. The input sits in a
 * buffer of its exact size, so AddressSanitizer sees any read past len.
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
	return fp_http_parse_request(buf, len, out);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct fp_http_limits lim = { 8192, 32768, 1048576 };
	struct fp_http_request req, part;
	struct fp_http_info info;
	int whole;
	uint8_t reason;

	if (size > 65536)
		return 0;
	whole = fp_http_parse_request((const char *)data, size, &req);
	check(whole == -2 || whole == -1 || (whole > 0 && (size_t)whole <= size));
	if (whole >= 0) {
		check(fp_http_analyze(&req, &lim, &info) == 0);
		check(info.status == 0 || info.status >= 400);
		if (info.path.p != NULL && info.path.len > 1)
			check(info.path.p >= (const char *)data &&
				info.path.p + info.path.len <= (const char *)data + size);
	}
	(void)fp_http_incomplete_status((const char *)data, size, whole, &req, &lim, &reason);
	fuzz_prefixes(data, size, whole, parse_part, &part);
	return 0;
}
