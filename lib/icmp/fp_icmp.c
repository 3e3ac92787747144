/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The fastpath authors
 */

#include <rte_icmp.h>
#include <rte_ip.h>

#include "fp_icmp.h"

/* RFC 1624 eqn. 3: HC' = ~(~HC + ~m + m'), for one changed 16-bit word. */
static inline uint16_t
fp_cksum_adjust(uint16_t hc, uint16_t old, uint16_t new)
{
	uint32_t sum = (uint16_t)~hc + (uint16_t)~old + (uint32_t)new;

	sum = (sum & 0xffff) + (sum >> 16);
	sum = (sum & 0xffff) + (sum >> 16);
	/* Eqn. 3 can yield 0x0000 (an all-zero reply); its one's-complement
	 * twin 0xffff is the value that verifies.
	 */
	return (uint16_t)~sum == 0 ? 0xffff : (uint16_t)~sum;
}

int
fp_icmp_input(void *ctx __rte_unused, struct fp_stats *st, struct rte_mbuf *m, uint32_t off,
	uint32_t len)
{
	struct rte_icmp_hdr *ic;
	uint16_t sum, old;

	if (len < sizeof(*ic) || rte_pktmbuf_data_len(m) < off + sizeof(*ic))
		return FP_DROP_icmp_truncated;
	/* The payload may span segments; the header never does (checked above). */
	if (rte_raw_cksum_mbuf(m, off, len, &sum) != 0)
		return FP_DROP_icmp_truncated;
	if (sum != 0xffff)
		return FP_DROP_icmp_bad_csum;
	ic = rte_pktmbuf_mtod_offset(m, struct rte_icmp_hdr *, off);
	/* RFC 792: "The data received in the echo message must be returned in
	 * the echo reply message" -- so only type and code change.
	 */
	if (ic->icmp_type != RTE_IP_ICMP_ECHO_REQUEST || ic->icmp_code != 0)
		return FP_DROP_icmp_unsupported;
	fp_count(st, FP_C_icmp_echo_requests, 1);
	old = *(uint16_t *)ic;
	ic->icmp_type = RTE_IP_ICMP_ECHO_REPLY;
	ic->icmp_cksum = fp_cksum_adjust(ic->icmp_cksum, old, *(uint16_t *)ic);
	fp_count(st, FP_C_icmp_echo_replies, 1);
	return FP_TX;
}
