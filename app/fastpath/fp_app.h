/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The fastpath authors
 */

#ifndef FP_APP_H
#define FP_APP_H

/* The fastpath program as a function, for programs that embed it with
 * handlers of their own (app/example). It parses the command line, starts
 * EAL, the port, the workers and the control plane, and exits on error.
 */

#include "fp_common.h"
#include "fp_config.h"
#include "fp_http.h"

struct fp_app_ext {
	const char *name;	/* in messages; "fastpath" when NULL */
	/* Registers routes and hooks on srv before the workers start.
	 * Returns 0, or a negative errno with err set (the program exits 1).
	 */
	int (*setup)(struct fp_http_server *srv, const struct fp_config *cfg, void *arg,
		struct fp_err *err);
	/* After the workers stopped: stop what setup started. */
	void (*stop)(void *arg);
	void *arg;
};

/* Runs the program; returns its exit status. ext may be NULL. */
int
fp_app_main(int argc, char **argv, const struct fp_app_ext *ext);

#endif /* FP_APP_H */
