/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The fastpath authors
 */

/* Everything in this module is inline in fp_eth.h, on the hot path. */
#include "fp_eth.h"
