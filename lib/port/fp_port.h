/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The fastpath authors
 */

#ifndef FP_PORT_H
#define FP_PORT_H

#include <stdint.h>

#include <rte_mempool.h>

#include "fp_common.h"
#include "fp_config.h"

/* Configures and starts cfg->port_id with nb_queues RX/TX queue pairs, RX
 * queue q filling from pools[q]. RSS spreads flows over the queues when
 * there are several. Fills ifc with the port's MAC, our address and the
 * checksum offloads found. Returns 0 or a negative errno with err set.
 */
int
fp_port_init(const struct fp_config *cfg, uint16_t nb_queues, struct rte_mempool **pools,
	struct fp_iface *ifc, struct fp_err *err);

/* Stops and closes the port. */
void
fp_port_close(uint16_t port_id);

#endif /* FP_PORT_H */
