/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The fastpath authors
 */

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <rte_byteorder.h>
#include <rte_ip.h>
#include <rte_mbuf.h>

#include "fp_common.h"

/* RTE_LOG_REGISTER would quote the already quoted name: "\"fastpath.tcp\"". */
#define FP_LOGTYPE_DEF(mod, name) RTE_LOG_REGISTER_IMPL(fp_logtype_##mod, name, INFO);
FP_LOGTYPE_LIST(FP_LOGTYPE_DEF)
#undef FP_LOGTYPE_DEF

int
fp_hash_cmp_u64(const void *a, const void *b, size_t len)
{
	uint64_t x, y;

	RTE_SET_USED(len);
	memcpy(&x, a, sizeof(x));
	memcpy(&y, b, sizeof(y));
	return x != y;
}

uint32_t
fp_cksum_sum(const void *buf, size_t len, uint32_t sum)
{
	return __rte_raw_cksum(buf, len, sum);
}

void
fp_mbuf_cut(struct rte_mbuf *m, uint32_t len)
{
	struct rte_mbuf *seg = m;
	uint16_t segs = 1;

	if (len >= rte_pktmbuf_pkt_len(m))
		return;
	m->pkt_len = len;
	while (len > seg->data_len) {
		len -= seg->data_len;
		seg = seg->next;
		segs++;
	}
	seg->data_len = len;
	if (seg->next != NULL) {
		rte_pktmbuf_free(seg->next);
		seg->next = NULL;
	}
	m->nb_segs = segs;
}

const char *
fp_ipv4_str(uint32_t ip, char *buf, size_t len)
{
	uint32_t h = rte_be_to_cpu_32(ip);

	snprintf(buf, len, "%u.%u.%u.%u", h >> 24, (h >> 16) & 0xff, (h >> 8) & 0xff,
		h & 0xff);
	return buf;
}

int
fp_fail(struct fp_err *err, int ret, const char *fmt, ...)
{
	va_list ap;

	if (err != NULL) {
		va_start(ap, fmt);
		vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
		va_end(ap);
	}
	return ret;
}
