/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The fastpath authors
 */

/* The XDP program (lib/xdp/fp_xdp.bpf.c), loaded through libbpf and run on
 * frames built here with BPF_PROG_TEST_RUN: which frames it steers to
 * fastpath in each mode, read from its verdict counters (no AF_XDP socket
 * is bound, so the redirect itself falls back to XDP_PASS), and what
 * fp_xdp_configure() and fp_xdp_disable() change. Needs root, as the test
 * command runs.
 */

#include <arpa/inet.h>
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <check.h>
#include <linux/bpf.h>

#include "fp_test.h"
#include "fp_xdp.h"

static struct bpf_object *obj;
static int prog_fd, cfg_fd, ports_fd, stats_fd;

#define ADDR "198.18.0.2"

static int
map_fd(const char *name)
{
	struct bpf_map *m = bpf_object__find_map_by_name(obj, name);

	ck_assert_msg(m != NULL, "no map %s in " FP_XDP_OBJ, name);
	return bpf_map__fd(m);
}

static void
setup(void)
{
	struct bpf_program *p;
	int ret;

	obj = bpf_object__open_file(FP_XDP_OBJ, NULL);
	ck_assert_msg(obj != NULL, "cannot open " FP_XDP_OBJ ": %s", strerror(errno));
	ret = bpf_object__load(obj);
	ck_assert_msg(ret == 0, "the verifier refused " FP_XDP_OBJ ": %s", strerror(-ret));
	p = bpf_object__find_program_by_name(obj, "fp_xdp_steer");
	ck_assert_ptr_nonnull(p);
	/* net_af_xdp takes the object's first program: it must be this one. */
	ck_assert_ptr_eq(bpf_object__next_program(obj, NULL), p);
	prog_fd = bpf_program__fd(p);
	ck_assert_ptr_nonnull(bpf_object__find_map_by_name(obj, "xsks_map"));
	cfg_fd = map_fd("fp_xdp_cfg");
	ports_fd = map_fd("fp_xdp_ports");
	stats_fd = map_fd("fp_xdp_stats");
}

static void
teardown(void)
{
	bpf_object__close(obj);
	obj = NULL;
}

/* Frames. */

struct frame {
	uint8_t b[128];
	uint32_t len;
};

static void
eth(struct frame *f, uint16_t type)
{
	static const uint8_t macs[12] = { 2, 0, 0, 0, 0, 1, 2, 0, 0, 0, 0, 2 };

	memset(f, 0, sizeof(*f));
	memcpy(f->b, macs, sizeof(macs));
	f->b[12] = type >> 8;
	f->b[13] = type & 0xff;
	f->len = 14;
}

/* IPv4 to dst with protocol proto, ihl words of header, frag_off as sent,
 * then a TCP (or other) header of 20 bytes to port dport.
 */
static void
ipv4(struct frame *f, const char *dst, uint8_t proto, uint8_t ihl, uint16_t frag,
	uint16_t dport)
{
	uint8_t *ip;
	uint32_t a;

	eth(f, 0x0800);
	ip = f->b + 14;
	ip[0] = 0x40 | ihl;
	ip[2] = 0;
	ip[3] = ihl * 4 + 20;
	ip[6] = frag >> 8;
	ip[7] = frag & 0xff;
	ip[8] = 64;
	ip[9] = proto;
	inet_pton(AF_INET, "198.18.0.1", &a);
	memcpy(ip + 12, &a, 4);
	inet_pton(AF_INET, dst, &a);
	memcpy(ip + 16, &a, 4);
	/* After the addresses even when the IHL says less. */
	ip += (ihl < 5 ? 5 : ihl) * 4;
	ip[0] = 0x9c;
	ip[1] = 0x40;
	ip[2] = dport >> 8;
	ip[3] = dport & 0xff;
	f->len = ip + 20 - f->b;
}

static void
arp(struct frame *f, const char *target)
{
	static const uint8_t head[8] = { 0, 1, 8, 0, 6, 4, 0, 1 };
	uint32_t a;

	eth(f, 0x0806);
	memcpy(f->b + 14, head, sizeof(head));
	inet_pton(AF_INET, target, &a);
	memcpy(f->b + 14 + 8 + 6 + 4 + 6, &a, 4);
	f->len = 14 + 28;
}

/* Runs f through the program: it must answer XDP_PASS (nothing is bound
 * to redirect to), having counted exactly one verdict, why; one for
 * fastpath is also counted as passed for want of a socket.
 */
static void
expect(const struct frame *f, enum fp_xdp_verdict why, const char *what)
{
	bool to = strncmp(fp_xdp_verdict_names[why], "to_", 3) == 0;
	uint64_t before[FP_XDP_V_MAX], after[FP_XDP_V_MAX];
	unsigned int v;
	int ret;
	LIBBPF_OPTS(bpf_test_run_opts, o, .data_in = f->b, .data_size_in = f->len, .repeat = 1);

	ck_assert_int_eq(fp_xdp_stats_read(stats_fd, before), 0);
	ret = bpf_prog_test_run_opts(prog_fd, &o);
	ck_assert_msg(ret == 0, "%s: test run failed: %s", what, strerror(errno));
	ck_assert_msg(o.retval == XDP_PASS, "%s: verdict %u", what, o.retval);
	ck_assert_int_eq(fp_xdp_stats_read(stats_fd, after), 0);
	for (v = 0; v < FP_XDP_V_MAX; v++)
		ck_assert_msg(after[v] - before[v] == (v == why ||
			(to && v == FP_XDP_pass_no_socket)), "%s: %s counted %" PRIu64
			" (want %s)", what, fp_xdp_verdict_names[v], after[v] - before[v],
			fp_xdp_verdict_names[why]);
}

static uint32_t
addr(void)
{
	uint32_t a;

	inet_pton(AF_INET, ADDR, &a);
	return a;
}

START_TEST(test_passes_until_configured)
{
	struct frame f;

	ipv4(&f, ADDR, IPPROTO_TCP, 5, 0, 80);
	expect(&f, FP_XDP_pass_off, "TCP to :80 before the configuration");
	arp(&f, ADDR);
	expect(&f, FP_XDP_pass_off, "ARP before the configuration");
}
END_TEST

START_TEST(test_shared)
{
	static const uint16_t ports[] = { 80, 8080 };
	struct frame f;

	ck_assert_int_eq(fp_xdp_configure(cfg_fd, ports_fd, addr(), FP_XDP_SHARED, ports, 2), 0);
	ipv4(&f, ADDR, IPPROTO_TCP, 5, 0, 80);
	expect(&f, FP_XDP_to_tcp, "TCP to :80");
	ipv4(&f, ADDR, IPPROTO_TCP, 5, 0, 8080);
	expect(&f, FP_XDP_to_tcp, "TCP to :8080");
	ipv4(&f, ADDR, IPPROTO_TCP, 6, 0, 80);
	expect(&f, FP_XDP_to_tcp, "TCP to :80 with an IP option");
	ipv4(&f, ADDR, IPPROTO_TCP, 5, 0, 22);
	expect(&f, FP_XDP_pass_other_port, "TCP to :22 (ssh)");
	ipv4(&f, "198.18.0.3", IPPROTO_TCP, 5, 0, 80);
	expect(&f, FP_XDP_pass_other_addr, "TCP to another address");
	ipv4(&f, ADDR, IPPROTO_UDP, 5, 0, 53);
	expect(&f, FP_XDP_pass_other_proto, "UDP to :53 (DNS)");
	ipv4(&f, ADDR, IPPROTO_ICMP, 5, 0, 0);
	expect(&f, FP_XDP_pass_icmp, "ICMP, shared: the kernel's");
	arp(&f, ADDR);
	expect(&f, FP_XDP_pass_arp, "ARP, shared: the kernel's");
	ipv4(&f, ADDR, IPPROTO_TCP, 5, 0x2000, 22);
	expect(&f, FP_XDP_to_fragment, "a first TCP fragment (MF)");
	ipv4(&f, ADDR, IPPROTO_TCP, 5, 0x0010, 22);
	expect(&f, FP_XDP_to_fragment, "a later TCP fragment (offset)");
	ipv4(&f, ADDR, IPPROTO_ICMP, 5, 0x2000, 0);
	expect(&f, FP_XDP_pass_other_proto, "an ICMP fragment, shared");
	eth(&f, 0x86dd);
	f.len = 60;
	expect(&f, FP_XDP_pass_other_l2, "IPv6");
	eth(&f, 0x0800);
	expect(&f, FP_XDP_pass_short, "an Ethernet header alone");
	ipv4(&f, ADDR, IPPROTO_TCP, 5, 0, 80);
	f.len = 14 + 20 + 3;
	expect(&f, FP_XDP_pass_short, "a TCP header cut short");
	ipv4(&f, ADDR, IPPROTO_TCP, 4, 0, 80);
	expect(&f, FP_XDP_pass_short, "an IHL below 5");
	arp(&f, ADDR);
	f.len = 14 + 20;
	expect(&f, FP_XDP_pass_short, "an ARP cut short");
}
END_TEST

START_TEST(test_owned_and_reconfigured)
{
	static const uint16_t before[] = { 80 }, after[] = { 8080 };
	struct frame f;

	ck_assert_int_eq(fp_xdp_configure(cfg_fd, ports_fd, addr(), FP_XDP_SHARED, before, 1),
		0);
	ck_assert_int_eq(fp_xdp_configure(cfg_fd, ports_fd, addr(), FP_XDP_OWNED, after, 1), 0);
	ipv4(&f, ADDR, IPPROTO_TCP, 5, 0, 80);
	expect(&f, FP_XDP_pass_other_port, "TCP to :80, no longer listened on");
	ipv4(&f, ADDR, IPPROTO_TCP, 5, 0, 8080);
	expect(&f, FP_XDP_to_tcp, "TCP to :8080");
	ipv4(&f, ADDR, IPPROTO_ICMP, 5, 0, 0);
	expect(&f, FP_XDP_to_icmp, "ICMP, owned");
	ipv4(&f, ADDR, IPPROTO_ICMP, 5, 0x2000, 0);
	expect(&f, FP_XDP_to_fragment, "an ICMP fragment, owned");
	arp(&f, ADDR);
	expect(&f, FP_XDP_to_arp, "ARP for the address, owned");
	arp(&f, "198.18.0.9");
	expect(&f, FP_XDP_pass_arp, "ARP for another address");
	ipv4(&f, ADDR, IPPROTO_UDP, 5, 0, 53);
	expect(&f, FP_XDP_pass_other_proto, "UDP, owned: still the kernel's");
	ck_assert_int_eq(fp_xdp_disable(cfg_fd), 0);
	ipv4(&f, ADDR, IPPROTO_TCP, 5, 0, 8080);
	expect(&f, FP_XDP_pass_off, "TCP to :8080 once disabled");
}
END_TEST

Suite *
xdp_suite(void)
{
	Suite *s = suite_create("xdp");
	TCase *tc = tcase_create("program");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_passes_until_configured);
	tcase_add_test(tc, test_shared);
	tcase_add_test(tc, test_owned_and_reconfigured);
	suite_add_tcase(s, tc);
	return s;
}
