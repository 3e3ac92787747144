/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The fastpath authors
 */

#ifndef FP_IPV4_H
#define FP_IPV4_H

#include <rte_mbuf.h>

#include "fp_common.h"
#include "fp_stats.h"

#define FP_IPV4_TTL 64

/* Validates the IPv4 packet after the Ethernet header (m->l2_len set),
 * hands its payload to the protocol, and turns a reply round. Returns FP_TX,
 * FP_CONSUMED or a drop reason. Sets m->l3_len.
 */
int
fp_ipv4_input(const struct fp_iface *ifc, struct fp_stats *st, struct rte_mbuf *m);

/* Readdresses a received packet, rewritten in place by its protocol, back to
 * its sender: options are removed, TTL reset and the checksum set or left
 * to the port.
 */
void
fp_ipv4_turnaround(const struct fp_iface *ifc, struct rte_mbuf *m);

#endif /* FP_IPV4_H */
