/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The fastpath authors
 */

#ifndef FP_HTTP_TEL_H
#define FP_HTTP_TEL_H

/* Registers /fastpath/http (requests by method, responses by status class
 * and status, errors by reason, summed over the workers) with rte_telemetry.
 * Calling it again does nothing. Returns 0 or a negative errno.
 */
int
fp_http_telemetry_init(void);

#endif /* FP_HTTP_TEL_H */
