/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The fastpath authors
 */

#ifndef FP_APP_H
#define FP_APP_H

/* The fastpath program as a function, for programs that embed it with
 * handlers of their own (app/example). It parses the command line, starts
 * EAL, the port, the workers and the control plane, and exits on error.
 */

#include <stddef.h>

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

/* Start-up steps other programs on fastpath's stack share (fp-load). They
 * print and exit on error, naming the program fp_app_set_prog() gave.
 */
void
fp_app_set_prog(const char *name);

/* Where profile NAME lives: the path as given when it has a '/' or ends in
 * .ini, else $FP_PROFILE_DIR (or the build's drivers-cfg)/NAME.ini.
 */
void
fp_app_profile_path(const char *name, char *out, size_t len);

/* Applies profile NAME over cfg, its path left in path; a missing or bad
 * profile ends the program (status 2) with the reason.
 */
void
fp_app_apply_profile(const char *name, struct fp_config *cfg, char *path, size_t len);

/* The EAL command line: cfg's [eal] args, less what argv (the EAL options
 * before "--") replaces, then argv's own; joined into joined for messages.
 * Returns its length; *out is never freed (EAL keeps it).
 */
int
fp_app_eal_argv(int argc, char **argv, const struct fp_config *cfg, char ***out, char *joined,
	size_t joined_len);

/* Before rte_eal_init(): free hugepages, and a telemetry socket of its own. */
void
fp_app_check_eal(int argc, char **argv);

/* Runs the program; returns its exit status. ext may be NULL. */
int
fp_app_main(int argc, char **argv, const struct fp_app_ext *ext);

#endif /* FP_APP_H */
