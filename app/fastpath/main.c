/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The fastpath authors
 */

#include <stddef.h>

#include "fp_app.h"

int
main(int argc, char **argv)
{
	return fp_app_main(argc, argv, NULL);
}
