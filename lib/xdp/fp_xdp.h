/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The fastpath authors
 */

#ifndef FP_XDP_H
#define FP_XDP_H

/* The control plane's side of the XDP program (fp_xdp.bpf.c): what to
 * steer, written into its maps, and its verdict counters read back. Map
 * file descriptors in, 0 or a negative errno out; never on a worker.
 */

#include <stdint.h>

#include "fp_common.h"
#include "fp_xdp_maps.h"

/* The program's name, as the kernel shows it (ip link, bpftool). */
#define FP_XDP_PROG_NAME "fp_xdp_steer"

/* The program net_af_xdp attached to an interface, and its maps. */
struct fp_xdp {
	unsigned int ifindex;
	char ifname[16];
	uint32_t prog_id;
	int cfg_fd;
	int ports_fd;
	int stats_fd;
};

/* Takes this process's lock on the interface (one fastpath steers it at a
 * time), held until fp_xdp_close() or exit; again is a no-op. -EBUSY, with
 * err saying so, when another fastpath holds it. Before EAL probes the
 * port: net_af_xdp's close takes the program off the interface whoever
 * attached it, so a refused second fastpath must never start the port.
 */
int
fp_xdp_lock(unsigned int ifindex, const char *ifname, struct fp_err *err);

/* Before the port's queues are set up (the PMD attaches then, and fails
 * when a program is there): a program of fastpath's left on ifindex by a
 * run that did not stop goes; another program is an error naming it.
 */
int
fp_xdp_clear_leftover(unsigned int ifindex, struct fp_err *err);

/* After the port started: the program attached to ifindex, which must be
 * fastpath's (the vdev's xdp_prog=), with its maps open. NULL with err
 * set and rte_errno when there is none or it is another.
 */
struct fp_xdp *
fp_xdp_open(unsigned int ifindex, struct fp_err *err);

/* Disables steering (everything to the kernel) and closes the maps. */
void
fp_xdp_close(struct fp_xdp *x);

/* /fastpath/xdp: the interface, the program, and its verdicts. x may be
 * NULL (steering off): the command then says so.
 */
int
fp_xdp_telemetry_init(struct fp_xdp *x);

/* Short names and help of enum fp_xdp_verdict ("to_tcp"). */
extern const char *const fp_xdp_verdict_names[FP_XDP_V_MAX];
extern const char *const fp_xdp_verdict_help[FP_XDP_V_MAX];

/* Steers to fastpath TCP to addr (network order) on the nb ports (host
 * order), and in FP_XDP_OWNED mode ARP and ICMP for addr too: the ports
 * first, then the switch, so that no frame sees half of it. Ports set
 * before and not in the list are cleared.
 */
int
fp_xdp_configure(int cfg_fd, int ports_fd, uint32_t addr, enum fp_xdp_mode mode,
	const uint16_t *ports, unsigned int nb);

/* Everything goes to the kernel again. */
int
fp_xdp_disable(int cfg_fd);

/* The verdicts so far, summed over CPUs. */
int
fp_xdp_stats_read(int stats_fd, uint64_t out[FP_XDP_V_MAX]);

#endif /* FP_XDP_H */
