/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The fastpath authors
 */

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <net/if.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <linux/if_link.h>
#include <rte_errno.h>
#include <rte_malloc.h>
#include <rte_telemetry.h>

#include "fp_xdp.h"

/* Where the per-interface locks live. */
#define FP_XDP_LOCK_DIR "/run/fastpath"

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

/* The attached program's id and the flags of its mode (0: none). */
static int
fp_xdp_attached(unsigned int ifindex, uint32_t *id, uint32_t *flags)
{
	LIBBPF_OPTS(bpf_xdp_query_opts, q);
	int ret = bpf_xdp_query(ifindex, 0, &q);

	if (ret != 0)
		return ret;
	*id = 0;
	*flags = 0;
	switch (q.attach_mode) {
	case XDP_ATTACHED_DRV:
		*id = q.drv_prog_id;
		*flags = XDP_FLAGS_DRV_MODE;
		break;
	case XDP_ATTACHED_SKB:
		*id = q.skb_prog_id;
		*flags = XDP_FLAGS_SKB_MODE;
		break;
	case XDP_ATTACHED_HW:
		*id = q.hw_prog_id;
		*flags = XDP_FLAGS_HW_MODE;
		break;
	case XDP_ATTACHED_MULTI:
		/* One in each mode: the driver's first. */
		*id = q.drv_prog_id != 0 ? q.drv_prog_id : q.skb_prog_id;
		*flags = q.drv_prog_id != 0 ? XDP_FLAGS_DRV_MODE : XDP_FLAGS_SKB_MODE;
		break;
	}
	return 0;
}

/* The lock a running fastpath holds on each interface it steers, for the
 * life of the process: a program of fastpath's on an interface nobody
 * holds was left by a run that is gone. Kept open until exit.
 */
static int fp_xdp_lock_fd = -1;
static char fp_xdp_lock_path[128];

int
fp_xdp_lock(unsigned int ifindex, const char *ifname, struct fp_err *err)
{
	struct stat ns;
	int fd;

	if (fp_xdp_lock_fd >= 0)
		return 0;
	/* An interface index is per network namespace. */
	if (stat("/proc/self/ns/net", &ns) != 0)
		ns.st_ino = 0;
	mkdir(FP_XDP_LOCK_DIR, 0755);
	snprintf(fp_xdp_lock_path, sizeof(fp_xdp_lock_path), FP_XDP_LOCK_DIR "/xdp-%lu-%u.lock",
		(unsigned long)ns.st_ino, ifindex);
	fd = open(fp_xdp_lock_path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
	if (fd < 0)
		return fp_fail(err, -errno, "%s: cannot open %s: %s", ifname, fp_xdp_lock_path,
			strerror(errno));
	if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
		close(fd);
		return fp_fail(err, -EBUSY, "%s: another fastpath steers this interface (it "
			"holds %s): one per interface", ifname, fp_xdp_lock_path);
	}
	fp_xdp_lock_fd = fd;
	return 0;
}

static int
fp_xdp_prog_name(uint32_t id, char *name, size_t len)
{
	struct bpf_prog_info info;
	uint32_t il = sizeof(info);
	int fd = bpf_prog_get_fd_by_id(id), ret;

	if (fd < 0)
		return -errno;
	memset(&info, 0, sizeof(info));
	ret = bpf_obj_get_info_by_fd(fd, &info, &il);
	close(fd);
	if (ret != 0)
		return -errno;
	snprintf(name, len, "%s", info.name);
	return 0;
}

int
fp_xdp_clear_leftover(unsigned int ifindex, struct fp_err *err)
{
	char ifname[IF_NAMESIZE] = "?", name[BPF_OBJ_NAME_LEN];
	uint32_t id, flags;
	int ret;

	if_indextoname(ifindex, ifname);
	ret = fp_xdp_lock(ifindex, ifname, err);
	if (ret != 0)
		return ret;
	ret = fp_xdp_attached(ifindex, &id, &flags);
	if (ret != 0)
		return fp_fail(err, ret, "%s: cannot query its XDP program: %s", ifname,
			strerror(-ret));
	if (id == 0)
		return 0;
	ret = fp_xdp_prog_name(id, name, sizeof(name));
	if (ret != 0)
		return fp_fail(err, ret, "%s: cannot read XDP program %u: %s", ifname, id,
			strerror(-ret));
	if (strcmp(name, FP_XDP_PROG_NAME) != 0)
		return fp_fail(err, -EBUSY, "%s: XDP program '%s' (id %u) is attached and is "
			"not fastpath's; it is left alone: remove it (ip link set dev %s xdp off) "
			"or give fastpath another interface", ifname, name, id, ifname);
	{
		/* That very program only, should another come meanwhile. */
		LIBBPF_OPTS(bpf_xdp_attach_opts, o);

		o.old_prog_fd = bpf_prog_get_fd_by_id(id);
		ret = o.old_prog_fd < 0 ? -errno :
			bpf_xdp_detach(ifindex, flags | XDP_FLAGS_REPLACE, &o);
		if (o.old_prog_fd >= 0)
			close(o.old_prog_fd);
	}
	if (ret != 0)
		return fp_fail(err, ret, "%s: cannot remove the XDP program a fastpath that did "
			"not stop left (id %u): %s", ifname, id, strerror(-ret));
	FP_LOG(WARNING, xdp, "%s: removed the XDP program a fastpath that did not stop left "
		"(id %u)", ifname, id);
	return 0;
}

/* The fd of the program's map named name, or -1. */
static int
fp_xdp_map(const uint32_t *ids, uint32_t nb, const char *name)
{
	struct bpf_map_info info;
	uint32_t i, il;
	int fd;

	for (i = 0; i < nb; i++) {
		fd = bpf_map_get_fd_by_id(ids[i]);
		if (fd < 0)
			continue;
		memset(&info, 0, sizeof(info));
		il = sizeof(info);
		if (bpf_obj_get_info_by_fd(fd, &info, &il) == 0 && strcmp(info.name, name) == 0)
			return fd;
		close(fd);
	}
	return -1;
}

struct fp_xdp *
fp_xdp_open(unsigned int ifindex, struct fp_err *err)
{
	struct bpf_prog_info info;
	uint32_t ids[16], il = sizeof(info), flags;
	struct fp_xdp *x;
	int fd, ret;

	x = rte_zmalloc("fp_xdp", sizeof(*x), 0);
	if (x == NULL) {
		fp_fail(err, -ENOMEM, "no memory for the XDP state");
		rte_errno = ENOMEM;
		return NULL;
	}
	x->ifindex = ifindex;
	x->cfg_fd = x->ports_fd = x->stats_fd = -1;
	if (if_indextoname(ifindex, x->ifname) == NULL)
		snprintf(x->ifname, sizeof(x->ifname), "ifindex %u", ifindex);
	ret = fp_xdp_attached(ifindex, &x->prog_id, &flags);
	if (ret == 0 && x->prog_id == 0)
		ret = -ENOENT;
	if (ret != 0) {
		fp_fail(err, ret, "%s: no XDP program attached: give the vdev "
			"xdp_prog=<fp_xdp.bpf.o> (the net_af_xdp profile does)", x->ifname);
		goto fail;
	}
	fd = bpf_prog_get_fd_by_id(x->prog_id);
	memset(&info, 0, sizeof(info));
	info.nr_map_ids = RTE_DIM(ids);
	info.map_ids = (uint64_t)(uintptr_t)ids;
	ret = fd < 0 ? -errno : bpf_obj_get_info_by_fd(fd, &info, &il) != 0 ? -errno : 0;
	if (fd >= 0)
		close(fd);
	if (ret == 0 && strcmp(info.name, FP_XDP_PROG_NAME) != 0)
		ret = -EPROTO;
	if (ret != 0) {
		fp_fail(err, ret, "%s: the XDP program attached (id %u) is not fastpath's %s",
			x->ifname, x->prog_id, FP_XDP_PROG_NAME);
		goto fail;
	}
	x->cfg_fd = fp_xdp_map(ids, RTE_MIN(info.nr_map_ids, (uint32_t)RTE_DIM(ids)),
		"fp_xdp_cfg");
	x->ports_fd = fp_xdp_map(ids, RTE_MIN(info.nr_map_ids, (uint32_t)RTE_DIM(ids)),
		"fp_xdp_ports");
	x->stats_fd = fp_xdp_map(ids, RTE_MIN(info.nr_map_ids, (uint32_t)RTE_DIM(ids)),
		"fp_xdp_stats");
	if (x->cfg_fd < 0 || x->ports_fd < 0 || x->stats_fd < 0) {
		ret = -ENOENT;
		fp_fail(err, ret, "%s: XDP program %u lacks fastpath's maps", x->ifname,
			x->prog_id);
		goto fail;
	}
	return x;
fail:
	fp_xdp_close(x);
	rte_errno = -ret;
	return NULL;
}

static struct fp_guard fp_xdp_tel;
static struct fp_xdp *fp_xdp_cur;

void
fp_xdp_close(struct fp_xdp *x)
{
	if (x == NULL)
		return;
	/* Telemetry lets go of it first. */
	if (x == fp_xdp_cur) {
		fp_guard_retire(&fp_xdp_tel);
		fp_xdp_cur = NULL;
	}
	if (x->cfg_fd >= 0) {
		fp_xdp_disable(x->cfg_fd);
		close(x->cfg_fd);
	}
	if (x->ports_fd >= 0)
		close(x->ports_fd);
	if (x->stats_fd >= 0)
		close(x->stats_fd);
	rte_free(x);
	/* Stopping: the interface is nobody's. */
	if (fp_xdp_lock_fd >= 0) {
		unlink(fp_xdp_lock_path);
		close(fp_xdp_lock_fd);
		fp_xdp_lock_fd = -1;
		/* The last one out leaves no directory (fails while others hold
		 * theirs, as it should).
		 */
		rmdir(FP_XDP_LOCK_DIR);
	}
}

static int
fp_xdp_tel_cmd(const char *cmd __rte_unused, const char *params __rte_unused,
	struct rte_tel_data *d)
{
	uint64_t v[FP_XDP_V_MAX];
	struct fp_xdp *x;
	unsigned int i;

	rte_tel_data_start_dict(d);
	x = fp_guard_enter(&fp_xdp_tel) != 0 ? fp_xdp_cur : NULL;
	if (x == NULL) {
		fp_guard_exit(&fp_xdp_tel);
		rte_tel_data_add_dict_string(d, "steering", "off");
		return 0;
	}
	rte_tel_data_add_dict_string(d, "steering", "on");
	rte_tel_data_add_dict_string(d, "interface", x->ifname);
	rte_tel_data_add_dict_u64(d, "program_id", x->prog_id);
	if (fp_xdp_stats_read(x->stats_fd, v) == 0)
		for (i = 0; i < FP_XDP_V_MAX; i++)
			rte_tel_data_add_dict_u64(d, fp_xdp_verdict_names[i], v[i]);
	fp_guard_exit(&fp_xdp_tel);
	return 0;
}

int
fp_xdp_telemetry_init(struct fp_xdp *x)
{
	static bool registered;

	fp_xdp_cur = x;
	fp_guard_publish(&fp_xdp_tel, x != NULL);
	if (registered)
		return 0;
	registered = true;
	return rte_telemetry_register_cmd("/fastpath/xdp", fp_xdp_tel_cmd,
		"XDP steering: the interface, the program and its verdicts. No parameters.");
}
