/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The fastpath authors
 */

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "fp_xdp.h"

#define FP_XDP_NAME(name, help) [FP_XDP_##name] = #name,
const char *const fp_xdp_verdict_names[FP_XDP_V_MAX] = {
	FP_XDP_VERDICTS(FP_XDP_NAME)
};
#undef FP_XDP_NAME

#define FP_XDP_HELP(name, help) [FP_XDP_##name] = help,
const char *const fp_xdp_verdict_help[FP_XDP_V_MAX] = {
	FP_XDP_VERDICTS(FP_XDP_HELP)
};
#undef FP_XDP_HELP

static int
fp_xdp_errno(int ret)
{
	return ret < 0 ? (errno != 0 ? -errno : ret) : 0;
}

int
fp_xdp_configure(int cfg_fd, int ports_fd, uint32_t addr, enum fp_xdp_mode mode,
	const uint16_t *ports, unsigned int nb)
{
	struct fp_xdp_cfg cfg = { .addr = addr, .enabled = 1, .mode = mode };
	uint8_t *want = calloc(FP_XDP_PORTS, 1);
	uint32_t k, i;
	uint8_t v;
	int ret = 0;

	if (want == NULL)
		return -ENOMEM;
	for (i = 0; i < nb; i++)
		want[ports[i]] = 1;
	/* Every port, so that one steered by an earlier run goes. */
	for (k = 0; k < FP_XDP_PORTS && ret == 0; k++) {
		if (bpf_map_lookup_elem(ports_fd, &k, &v) != 0) {
			ret = fp_xdp_errno(-1);
			break;
		}
		if (v != want[k])
			ret = fp_xdp_errno(bpf_map_update_elem(ports_fd, &k, &want[k], BPF_ANY));
	}
	free(want);
	if (ret != 0)
		return ret;
	k = 0;
	return fp_xdp_errno(bpf_map_update_elem(cfg_fd, &k, &cfg, BPF_ANY));
}

int
fp_xdp_disable(int cfg_fd)
{
	struct fp_xdp_cfg cfg = { .enabled = 0 };
	uint32_t k = 0;

	return fp_xdp_errno(bpf_map_update_elem(cfg_fd, &k, &cfg, BPF_ANY));
}

int
fp_xdp_stats_read(int stats_fd, uint64_t out[FP_XDP_V_MAX])
{
	int ncpu = libbpf_num_possible_cpus();
	uint64_t *per;
	uint32_t k;
	int c, ret = 0;

	if (ncpu <= 0)
		return ncpu < 0 ? ncpu : -EINVAL;
	per = calloc(ncpu, sizeof(*per));
	if (per == NULL)
		return -ENOMEM;
	for (k = 0; k < FP_XDP_V_MAX && ret == 0; k++) {
		out[k] = 0;
		if (bpf_map_lookup_elem(stats_fd, &k, per) != 0) {
			ret = fp_xdp_errno(-1);
			break;
		}
		for (c = 0; c < ncpu; c++)
			out[k] += per[c];
	}
	free(per);
	return ret;
}
