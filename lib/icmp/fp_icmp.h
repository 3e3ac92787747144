/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The fastpath authors
 */

#ifndef FP_ICMP_H
#define FP_ICMP_H

#include <stdint.h>

#include <rte_mbuf.h>

#include "fp_common.h"
#include "fp_stats.h"

/* Handles the ICMP message at offset off, len bytes long (the IPv4 payload);
 * an fp_ipv4_l4_fn (ctx unused). An echo request becomes an echo reply in
 * place, its checksum updated, and FP_TX is returned: IPv4 then turns the
 * headers round. Anything else returns a drop reason.
 */
int
fp_icmp_input(void *ctx, struct fp_stats *st, struct rte_mbuf *m, uint32_t off, uint32_t len);

#endif /* FP_ICMP_H */
