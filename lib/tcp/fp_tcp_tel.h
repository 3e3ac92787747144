/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The fastpath authors
 */

#ifndef FP_TCP_TEL_H
#define FP_TCP_TEL_H

/* Registers /fastpath/tcp (connections by state, the tcp_ counters and the
 * tcp_ drop reasons, summed over the workers) with rte_telemetry. Calling it
 * again does nothing. Returns 0 or a negative errno.
 */
int
fp_tcp_telemetry_init(void);

#endif /* FP_TCP_TEL_H */
