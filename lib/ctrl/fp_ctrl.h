/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The fastpath authors
 */

#ifndef FP_CTRL_H
#define FP_CTRL_H

#include <stdint.h>

#include "fp_config.h"
#include "fp_http.h"
#include "fp_lcore.h"

/* The control plane: a control thread that reads the workers' counters once
 * a second, derives rates, logs a summary, and answers the telemetry
 * commands that need more than totals. It only reads what workers write,
 * and asks them for anything else through their control rings.
 */

/* What the control plane looks at; it must outlive fp_ctrl_stop(). */
struct fp_ctrl_params {
	const struct fp_config *cfg;
	const struct fp_http_server *srv;
	struct fp_lcore *const *lcores;
	unsigned int nb_lcores;
	const char *eal_args;		/* as EAL got them, for /fastpath/config */
};

/* Starts the control thread and registers the telemetry commands. Returns 0
 * or a negative errno with err set.
 */
int
fp_ctrl_start(const struct fp_ctrl_params *p, struct fp_err *err);

/* Stops the thread; telemetry commands answer "not running" from then on.
 * Returns once no command can still be reading the workers.
 */
void
fp_ctrl_stop(void);

/* Asks every worker to drain (fp_tcp_drain()). Returns 0 or a negative errno. */
int
fp_ctrl_drain(void);

/* Asks every worker to reset what is left when the drain time is over. */
int
fp_ctrl_reset(void);

/* Connections that still hold work during a drain: any state but
 * FIN-WAIT-2 and TIME-WAIT, where everything we sent has been acknowledged.
 */
uint64_t
fp_ctrl_busy_conns(void);

#endif /* FP_CTRL_H */
