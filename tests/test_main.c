/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The fastpath authors
 */

#include <stdlib.h>

#include <check.h>

#include "fp_test.h"

/* Every suite in one runner; CK_RUN_SUITE (set by meson) picks one. */
int
main(void)
{
	SRunner *sr;
	int failed;

	sr = srunner_create(common_suite());
	srunner_add_suite(sr, config_suite());
	srunner_add_suite(sr, stats_suite());
	srunner_add_suite(sr, fault_suite());
	srunner_add_suite(sr, xdp_suite());
	srunner_add_suite(sr, eth_suite());
	srunner_add_suite(sr, arp_suite());
	srunner_add_suite(sr, ipv4_suite());
	srunner_add_suite(sr, icmp_suite());
	srunner_add_suite(sr, http_parse_suite());
	srunner_add_suite(sr, http_resp_suite());
	srunner_add_suite(sr, http_chunked_suite());
	srunner_add_suite(sr, http_cond_suite());
	srunner_add_suite(sr, http_router_suite());
	srunner_add_suite(sr, http_handlers_suite());
	srunner_add_suite(sr, tcp_suite());
	srunner_add_suite(sr, tcp_wire_suite());
	srunner_add_suite(sr, ws_suite());
	srunner_add_suite(sr, ws_session_suite());
	srunner_add_suite(sr, sse_suite());
	srunner_add_suite(sr, channels_suite());
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
