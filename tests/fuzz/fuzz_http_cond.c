/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The fastpath authors
 */

/* libFuzzer harnesses of lib/http/fp_http_cond.c, one per parser, built
 * from this file with FUZZ_ONE naming it: http_ae (Accept-Encoding),
 * http_range (Range), http_etag (entity-tag lists), http_date (HTTP-date),
 * and http_cond (a request head: the scan and the precondition
 * evaluation). Each checks what its result promises. The input sits in a
 * buffer of its exact size, for AddressSanitizer.
 */

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fp_http_cond.h"

#ifndef FUZZ_ONE
#error "FUZZ_ONE names the parser: fuzz_ae, fuzz_range, fuzz_etag, fuzz_date or fuzz_eval"
#endif

static void
check(int ok)
{
	if (!ok)
		abort();
}

static __attribute__((unused)) void
fuzz_ae(const char *p, size_t len)
{
	struct fp_http_ae ae, before;
	int ret, c;

	fp_http_ae_init(&ae);
	check(fp_http_ae_parse("br;q=0.5", 8, &ae) == 8);
	before = ae;
	ret = fp_http_ae_parse(p, len, &ae);
	check(ret == -1 || (size_t)ret == len);
	if (ret < 0)
		check(memcmp(&ae, &before, sizeof(ae)) == 0);
	for (unsigned int avail = 0; avail < 4; avail++) {
		c = fp_http_ae_choose(&ae, avail);
		/* A coding it has, or identity, or none. */
		check(c == -1 || c == FP_HTTP_CE_IDENTITY ||
			(c >= 0 && c < FP_HTTP_CE_MAX && (avail & (1u << c))));
	}
}

static __attribute__((unused)) void
fuzz_range(const char *p, size_t len)
{
	static const uint64_t sizes[] = { 0, 1, 1000, UINT64_C(1) << 40 };
	struct fp_http_ranges rs;
	uint64_t total;
	unsigned int i, k;
	int ret;

	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		ret = fp_http_range_parse(p, len, sizes[i], &rs);
		check(ret == -1 || (size_t)ret == len);
		if (ret < 0)
			continue;
		check(rs.nb <= FP_HTTP_RANGES_MAX);
		total = 0;
		for (k = 0; k < rs.nb; k++) {
			check(rs.r[k].first <= rs.r[k].last && rs.r[k].last < sizes[i]);
			check(k == 0 || rs.r[k].first > rs.r[k - 1].last + 1);
			total += rs.r[k].last - rs.r[k].first + 1;
		}
		/* Never more bytes than the representation has. */
		check(total <= sizes[i]);
	}
}

static __attribute__((unused)) void
fuzz_etag(const char *p, size_t len)
{
	int s = fp_http_etag_match(p, len, "\"e1\"", 4, true);
	int w = fp_http_etag_match(p, len, "\"e1\"", 4, false);

	check(s >= -1 && s <= 1 && w >= -1 && w <= 1);
	/* Both read the same grammar; a strong match is a weak one. */
	check((s < 0) == (w < 0));
	check(s != 1 || w == 1);
}

static __attribute__((unused)) void
fuzz_date(const char *p, size_t len)
{
	int64_t sec = 0, again = 1;
	int ret = fp_http_date_parse(p, len, INT64_C(1795996800), &sec);

	check(ret == -1 || (size_t)ret == len);
	if (ret >= 0) {
		check(fp_http_date_parse(p, len, INT64_C(1795996800), &again) == ret);
		check(again == sec);
		/* Years 0 to 9999 at most. */
		check(sec >= INT64_C(-62167219200) && sec < INT64_C(253402300801));
	}
}

static __attribute__((unused)) void
fuzz_eval(const char *p, size_t len)
{
	static const struct fp_http_rep rep = {
		.etag = "\"e1\"", .etag_len = 4, .mtime = 784111777, .size = 1000,
	};
	struct fp_http_request req;
	struct fp_http_precond v;
	struct fp_http_cond c;
	uint8_t m;

	if (fp_http_parse_request(p, len, &req) < 0)
		return;
	fp_http_cond_scan(&req, &c);
	for (m = 0; m < FP_HTTP_M_MAX; m++) {
		fp_http_cond_eval(&c, m, &rep, INT64_C(1795996800), &v);
		check(v.status == 200 || v.status == 206 || v.status == 304 ||
			v.status == 412 || v.status == 416);
		if (v.status == 206)
			check(m == FP_HTTP_M_GET && v.range.first <= v.range.last &&
				v.range.last < rep.size);
		if (v.status == 304)
			check(m == FP_HTTP_M_GET || m == FP_HTTP_M_HEAD);
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *p = malloc(size == 0 ? 1 : size);

	check(p != NULL);
	memcpy(p, data, size);
	FUZZ_ONE(p, size);
	free(p);
	return 0;
}
