/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The fastpath authors
 */

/* The TCP state machine driven by synthetic segments on a fake clock: no
 * NIC, no worker loop. The client side is the shared peer (fp_tcp_peer.h):
 * what the stack sends is caught by the TX queue's flush, checked (headers,
 * both checksums over the whole chain, options) and freed.
 */

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rte_cycles.h>
#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_lcore.h>
#include <rte_mbuf.h>
#include <rte_mempool.h>
#include <rte_tcp.h>

#include "fp_config.h"
#include "fp_http.h"
#include "fp_stats.h"
#include "fp_tcp.h"
#include "fp_tcp_peer.h"
#include "fp_tcp_priv.h"
#include "fp_test.h"

#define TCP_PORT	80
#define CLOSED_PORT	81
#define BIG_LEN		5000
#define NB_MBUFS	1024

/* Routes, in the order of cfg.routes (configured routes come first). */
enum { R_ROOT, R_BIG, R_B };

static const char GET_ROOT[] = "GET / HTTP/1.1\r\nHost: t\r\n\r\n";
static const char GET_BIG[] = "GET /big HTTP/1.1\r\nHost: t\r\n\r\n";
static const char GET_B[] = "GET /b HTTP/1.1\r\nHost: t\r\n\r\n";
static const char GET_CLOSE[] = "GET / HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n";

/* Per test (each runs in its own child). */
static struct fp_config cfg;
static struct fp_http_server *srv;
static struct fp_iface ifc;
static struct fp_stats st;
static struct fp_peer pr;
static struct rte_mempool *pool;
static struct rte_mempool *zc_pool;
static struct fp_tcp_params prm;
static struct fp_tcp_lcore t;
static struct fp_http_worker hw;
static bool t_ready;

/* Per process. */
static char big_path[64];
static uint8_t big_body[BIG_LEN];

static void
start(void)
{
	struct fp_err err;

	ck_assert_msg(fp_tcp_lcore_init(&t, &prm, 0, SOCKET_ID_ANY, &err) == 0, "%s",
		err.msg);
	fp_tcp_lcore_attach(&t, &ifc, &st, &pr.txq, pool, zc_pool);
	ck_assert_msg(fp_http_worker_init(&hw, srv, &cfg, &t, &st, 0, SOCKET_ID_ANY, &err) == 0,
		"%s", err.msg);
	t_ready = true;
}

/* The bytes of a response as the server must send them. */
static uint32_t
exp_resp(uint8_t *buf, unsigned int r, unsigned int v)
{
	const struct fp_http_route *rt = &srv->routes[r];

	memcpy(buf, rt->hdr[v], rt->hdr_len[v]);
	memcpy(buf + rt->date_off[v], hw.date, FP_HTTP_DATE_LEN);
	memcpy(buf + rt->hdr_len[v], rt->body, rt->body_len);
	return rt->hdr_len[v] + rt->body_len;
}

static uint32_t
resp_len(unsigned int r, unsigned int v)
{
	return srv->routes[r].hdr_len[v] + srv->routes[r].body_len;
}

/* c's stream from offset off holds exactly the response r, v. */
static void
assert_rx(const struct cli *c, uint32_t off, unsigned int r, unsigned int v)
{
	static uint8_t want[FP_PEER_RX_MAX];
	uint32_t n = exp_resp(want, r, v);

	ck_assert_uint_eq(c->rx_len, off + n);
	ck_assert_mem_eq(c->rx + off, want, n);
}

static uint64_t
drops_total(void)
{
	uint64_t n = 0;
	unsigned int i;

	for (i = 0; i < FP_DROP_MAX; i++)
		n += st.drop[i];
	return n;
}

/* Fixtures. */

static void
eal_up(void)
{
	uint32_t i;
	FILE *f;
	int fd;

	fp_test_eal_up("fp_unit_tcp");
	if (big_path[0] != '\0')
		return;
	for (i = 0; i < BIG_LEN; i++)
		big_body[i] = fp_test_pattern(i);
	snprintf(big_path, sizeof(big_path), "/tmp/fp_tcp_bigXXXXXX");
	fd = mkstemp(big_path);
	ck_assert_int_ge(fd, 0);
	f = fdopen(fd, "w");
	ck_assert_ptr_nonnull(f);
	ck_assert_uint_eq(fwrite(big_body, 1, BIG_LEN, f), BIG_LEN);
	ck_assert_int_eq(fclose(f), 0);
}

static void
eal_down(void)
{
	if (big_path[0] != '\0')
		unlink(big_path);
	big_path[0] = '\0';
}

static void
tcp_setup(void)
{
	static unsigned int seq;
	struct fp_config_route *r;
	char name[RTE_MEMPOOL_NAMESIZE];
	struct fp_err err;

	memset(&st, 0, sizeof(st));
	t_ready = false;
	snprintf(name, sizeof(name), "tcp_pkt_%u", seq);
	pool = rte_pktmbuf_pool_create(name, NB_MBUFS, 0, 0,
		RTE_PKTMBUF_HEADROOM + FP_TEST_ROOM, SOCKET_ID_ANY);
	ck_assert_msg(pool != NULL, "packet pool: %s", rte_strerror(rte_errno));
	snprintf(name, sizeof(name), "tcp_zc_%u", seq++);
	zc_pool = rte_pktmbuf_pool_create(name, NB_MBUFS, 0, 0, 0, SOCKET_ID_ANY);
	ck_assert_msg(zc_pool != NULL, "zero-copy pool: %s", rte_strerror(rte_errno));
	fp_test_peer_init(&pr, &t, pool, TCP_PORT);
	pr.other_port = CLOSED_PORT;

	ck_assert_int_eq(fp_config_defaults(&cfg), 0);
	cfg.ip = FP_TEST_IP;
	cfg.prefix_len = FP_TEST_PREFIX_LEN;
	cfg.rxbufs = 64;
	cfg.max_conns = 64;
	r = &cfg.routes[R_ROOT];
	snprintf(r->path, sizeof(r->path), "/");
	snprintf(r->body, sizeof(r->body), "hello");
	r->has_body = true;
	r->status = 200;
	r = &cfg.routes[R_BIG];
	snprintf(r->path, sizeof(r->path), "/big");
	snprintf(r->file, sizeof(r->file), "%s", big_path);
	r->status = 200;
	r = &cfg.routes[R_B];
	snprintf(r->path, sizeof(r->path), "/b");
	snprintf(r->body, sizeof(r->body), "second");
	r->has_body = true;
	r->status = 200;
	cfg.nb_routes = 3;
	srv = fp_http_server_create(&cfg, 1, &err);
	ck_assert_msg(srv != NULL, "%s", err.msg);
	ck_assert_uint_eq(srv->routes[R_BIG].body_len, BIG_LEN);

	fp_test_iface(&ifc);
	ifc.tx_multi_seg = true;
	fp_tcp_params_from(&prm, &cfg, 0, 1);
}

/* Every test ends here: the stack freed, every mbuf and body reference back. */
static void
tcp_teardown(void)
{
	if (t_ready) {
		t_ready = false;
		fp_test_stack_end(&pr, &t, &hw, &st);
	}
	fp_http_server_free(srv);
	srv = NULL;
	rte_mempool_free(pool);
	rte_mempool_free(zc_pool);
	pool = NULL;
	zc_pool = NULL;
}

/* Handshake. */

START_TEST(test_handshake)
{
	struct fp_tcb *tcb;
	struct cli c;

	start();
	cli_init(&c, &pr, 40000, 0x1000);
	cli_send(&c, F_SYN, NULL, 0);
	ck_assert_uint_eq(pr.nb_out, 1);
	ck_assert_uint_eq(pr.out[0].flags, F_SYN | F_ACK);
	ck_assert_uint_eq(pr.out[0].ack, 0x1001);
	ck_assert_uint_eq(pr.out[0].dst, FP_TEST_PEER_IP);
	ck_assert_uint_eq(pr.out[0].dport, 40000);
	ck_assert_uint_eq(pr.out[0].len, 0);
	ck_assert_uint_eq(pr.out[0].mss, 1460);
	ck_assert_int_eq(pr.out[0].ws, t.rcv_wscale);
	ck_assert(pr.out[0].ts);
	ck_assert_uint_eq(pr.out[0].tsval, t.now_ms);
	ck_assert_uint_eq(pr.out[0].tsecr, 1000);
	/* RFC 7323 2.2: the window of a SYN-ACK is never scaled. */
	ck_assert_uint_eq(pr.out[0].wnd, RTE_MIN(prm.rcv_wnd, 65535u));
	tcb = cli_conn(&c);
	ck_assert_ptr_nonnull(tcb);
	ck_assert_uint_eq(tcb->state, FP_TCP_SYN_RECEIVED);
	ck_assert_uint_eq(tcb->iss, pr.out[0].seq);
	ck_assert_uint_eq(tcb->iss, fp_tcp_isn(&t, c.ip, RTE_BE16(40000), RTE_BE16(TCP_PORT)));
	ck_assert_uint_eq(tcb->rto, 1000);
	ck_assert_uint_eq(tcb->mss, 1460 - 12);
	ck_assert_uint_eq(tcb->snd_wscale, 7);
	ck_assert_uint_eq(tcb->flags & (FP_TCB_TS | FP_TCB_WS), FP_TCB_TS | FP_TCB_WS);
	ck_assert_int_eq(st.g[FP_G_tcp_syn_received], 1);
	ck_assert_int_eq(st.g[FP_G_tcp_conns], 1);
	ck_assert_int_eq(st.g[FP_G_tcp_established], 0);

	cli_send(&c, F_ACK, NULL, 0);
	fp_peer_assert_silent(&pr);
	cli_assert_state(&c, FP_TCP_ESTABLISHED);
	ck_assert_int_eq(st.g[FP_G_tcp_syn_received], 0);
	ck_assert_int_eq(st.g[FP_G_tcp_established], 1);
	ck_assert_uint_eq(st.c[FP_C_tcp_passive_opens], 1);
	ck_assert_uint_eq(st.c[FP_C_tcp_segments_in], 2);
	ck_assert_uint_eq(st.c[FP_C_tcp_segments_out], 1);
	ck_assert_uint_eq(tcb->snd_una, c.iss + 1);
	ck_assert_uint_eq(tcb->rcv_nxt, 0x1001);
	/* An RTT of 0 ms: RTO is clamped to rto_min. */
	ck_assert_uint_eq(tcb->rto, prm.rto_min_ms);
	ck_assert_uint_eq(fp_tcp_nb_conns(&t), 1);
	ck_assert_uint_eq(drops_total(), 0);
}
END_TEST

/* RFC 6528: ISN = M + F(4-tuple, key), M a 4 us clock. */
START_TEST(test_isn)
{
	uint64_t div = RTE_MAX(rte_get_tsc_hz() / 250000, (uint64_t)1), tsc0, tsc1;
	uint32_t iss_a, iss_b, iss_a2;
	struct cli a, b;

	start();
	t.now_tsc = tsc0 = 123456789;
	cli_init(&a, &pr, 40000, 1);
	cli_connect(&a);
	iss_a = a.iss;
	cli_init(&b, &pr, 40001, 1);
	cli_connect(&b);
	iss_b = b.iss;
	ck_assert_uint_ne(iss_a, iss_b);
	ck_assert_uint_eq(iss_a, fp_tcp_isn(&t, a.ip, RTE_BE16(40000), RTE_BE16(TCP_PORT)));
	ck_assert_uint_eq(iss_b, fp_tcp_isn(&t, b.ip, RTE_BE16(40001), RTE_BE16(TCP_PORT)));
	/* M plus SipHash-2-4 of (local address, remote address, ports). */
	{
		uint32_t in[3] = { t.ifc->ip, a.ip,
			(uint32_t)RTE_BE16(TCP_PORT) << 16 | RTE_BE16(40000) };

		ck_assert_uint_eq(iss_a, (uint32_t)(tsc0 / div) +
			(uint32_t)fp_siphash(t.isn_key, in, sizeof(in)));
	}
	/* Reset a, and open the same 4-tuple again one second later. */
	cli_send(&a, F_RST | F_ACK, NULL, 0);
	cli_assert_state(&a, FP_TCP_CLOSED);
	t.now_tsc = tsc1 = tsc0 + rte_get_tsc_hz();
	cli_init(&a, &pr, 40000, 5000);
	cli_connect(&a);
	iss_a2 = a.iss;
	ck_assert_uint_eq(iss_a2 - iss_a, (uint32_t)(tsc1 / div - tsc0 / div));
	ck_assert_uint_ge(iss_a2 - iss_a, 249000);
	ck_assert_uint_le(iss_a2 - iss_a, 251000);
}
END_TEST

/* SipHash-2-4's reference vectors (Aumasson and Bernstein, appendix A):
 * key 00..0f, messages 00..len-1.
 */
START_TEST(test_siphash_vectors)
{
	static const uint64_t want[] = {
		0x726fdb47dd0e0e31ull, 0x74f839c593dc67fdull, 0x0d6c8009d9a94f5aull,
		0x85676696d7fb7e2dull, 0xcf2794e0277187b7ull, 0x18765564cd99a68dull,
		0xcbc9466e58fee3ceull, 0xab0200f58b01d137ull, 0x93f5f5799a932462ull,
		0x9e0082df0ba9e4b0ull, 0x7a5dbbc594ddb9f3ull, 0xf4b32f46226bada7ull,
		0x751e8fbc860ee5fbull, 0x14ea5627c0843d90ull, 0xf723ca908e7af2eeull,
		0xa129ca6149be45e5ull,
	};
	uint8_t key[16], msg[16];
	unsigned int i;

	for (i = 0; i < 16; i++) {
		key[i] = i;
		msg[i] = i;
	}
	for (i = 0; i < RTE_DIM(want); i++)
		ck_assert_msg(fp_siphash(key, msg, i) == want[i], "length %u: %#" PRIx64, i,
			fp_siphash(key, msg, i));
}
END_TEST

/* A SYN without options: MSS 536 (RFC 9293 3.7.1), no scaling, no stamps. */
START_TEST(test_handshake_no_options)
{
	struct fp_tcb *tcb;
	struct cli c;

	start();
	cli_init(&c, &pr, 40000, 77);
	c.mss = 0;
	c.ws = FP_PEER_NO_WS;
	c.ts = false;
	c.wnd = 30000;
	cli_send(&c, F_SYN, NULL, 0);
	ck_assert_uint_eq(pr.nb_out, 1);
	ck_assert_uint_eq(pr.out[0].mss, 1460);
	ck_assert_int_eq(pr.out[0].ws, -1);
	ck_assert(!pr.out[0].ts);
	ck_assert_uint_eq(pr.out[0].doff, 24);
	cli_send(&c, F_ACK, NULL, 0);
	fp_peer_assert_silent(&pr);
	tcb = cli_conn(&c);
	ck_assert_ptr_nonnull(tcb);
	ck_assert_uint_eq(tcb->mss, 536);
	ck_assert_uint_eq(tcb->snd_wnd, 30000);
	ck_assert_uint_eq(tcb->flags & (FP_TCB_TS | FP_TCB_WS), 0);
	cli_str(&c, F_ACK | F_PSH, GET_ROOT);
	ck_assert_uint_eq(pr.nb_out, 1);
	ck_assert_uint_eq(pr.out[0].doff, 20);
	ck_assert_uint_eq(pr.out[0].wnd, RTE_MIN(prm.rcv_wnd, 65535u));
	assert_rx(&c, 0, R_ROOT, FP_HTTP_V_KEEP);
}
END_TEST

/* An MSS of 64 cuts the head (written by HTTP as each segment is built)
 * into segments that start and end inside it.
 */
START_TEST(test_small_mss)
{
	uint32_t total = resp_len(R_ROOT, FP_HTTP_V_KEEP), i;
	struct cli c;

	start();
	cli_init(&c, &pr, 40000, 77);
	c.mss = 64;
	c.ts = false;
	cli_connect(&c);
	ck_assert_uint_eq(cli_conn(&c)->mss, 64);
	ck_assert_uint_gt(srv->routes[R_ROOT].hdr_len[FP_HTTP_V_KEEP], 2 * 64);
	cli_str(&c, F_ACK | F_PSH, GET_ROOT);
	ck_assert_uint_gt(pr.nb_out, 2);
	for (i = 0; i < pr.nb_out; i++) {
		ck_assert_uint_eq(pr.out[i].seq, c.iss + 1 + i * 64);
		ck_assert_uint_eq(pr.out[i].len, RTE_MIN(64u, total - i * 64));
	}
	/* The rest as the ACKs open the window. */
	for (i = 0; i < 100 && c.rx_len < total && pr.nb_out != 0; i++)
		cli_send(&c, F_ACK, NULL, 0);
	assert_rx(&c, 0, R_ROOT, FP_HTTP_V_KEEP);
}
END_TEST

/* [tcp] initial_window: the first flight of a response is that many
 * segments; [tcp] timestamps = false answers a SYN that offers them
 * without, and the MSS keeps their 12 bytes.
 */
START_TEST(test_tuning_keys)
{
	struct fp_tcb *tcb;
	struct cli c;

	cfg.initial_window = 2;
	cfg.timestamps = false;
	fp_tcp_params_from(&prm, &cfg, 0, 1);
	start();
	cli_init(&c, &pr, 40000, 1000);
	cli_send(&c, F_SYN, NULL, 0);
	ck_assert_uint_eq(pr.nb_out, 1);
	ck_assert(!pr.out[0].ts);
	c.ts = false;
	cli_send(&c, F_ACK, NULL, 0);
	tcb = cli_conn(&c);
	ck_assert_ptr_nonnull(tcb);
	ck_assert(!(tcb->flags & FP_TCB_TS));
	ck_assert_uint_eq(tcb->mss, 1460);
	ck_assert_uint_eq(tcb->cwnd, 2 * 1460);
	cli_str(&c, F_ACK | F_PSH, GET_BIG);
	ck_assert_uint_eq(pr.nb_out, 2);
	ck_assert_uint_eq(pr.out[0].len, 1460);
	ck_assert(!pr.out[0].ts);
}
END_TEST

/* The SYN-ACK goes again after the initial RTO of 1 s, and for a
 * retransmitted SYN.
 */
START_TEST(test_synack_retransmit)
{
	struct cli c;
	uint32_t iss;

	start();
	cli_init(&c, &pr, 40000, 9);
	cli_send(&c, F_SYN, NULL, 0);
	ck_assert_uint_eq(pr.nb_out, 1);
	iss = pr.out[0].seq;
	fp_peer_advance(&pr, 999);
	fp_peer_assert_silent(&pr);
	fp_peer_advance(&pr, 1);
	ck_assert_uint_eq(pr.nb_out, 1);
	ck_assert_uint_eq(pr.out[0].flags, F_SYN | F_ACK);
	ck_assert_uint_eq(pr.out[0].seq, iss);
	ck_assert_uint_eq(pr.out[0].ack, 10);
	ck_assert_uint_eq(st.c[FP_C_tcp_retransmits], 1);
	ck_assert_uint_eq(st.c[FP_C_tcp_timeouts], 1);
	ck_assert_uint_eq(cli_conn(&c)->rto, 2000);
	/* The client did not get it either and sends its SYN again. */
	cli_send_at(&c, F_SYN, 9, 0, NULL, 0);
	ck_assert_uint_eq(pr.nb_out, 1);
	ck_assert_uint_eq(pr.out[0].flags, F_SYN | F_ACK);
	ck_assert_uint_eq(pr.out[0].seq, iss);
	ck_assert_uint_eq(fp_tcp_nb_conns(&t), 1);
	cli_send(&c, F_ACK, NULL, 0);
	fp_peer_assert_silent(&pr);
	cli_assert_state(&c, FP_TCP_ESTABLISHED);
}
END_TEST

/* SYN-RECEIVED, an ACK of something else: <SEQ=SEG.ACK><CTL=RST>. */
START_TEST(test_synrcvd_bad_ack)
{
	struct cli c;

	start();
	cli_init(&c, &pr, 40000, 50);
	cli_send(&c, F_SYN, NULL, 0);
	ck_assert_uint_eq(pr.nb_out, 1);
	cli_send_at(&c, F_ACK, c.seq, c.iss + 5, NULL, 0);
	ck_assert_uint_eq(pr.nb_out, 1);
	ck_assert_uint_eq(pr.out[0].flags, F_RST);
	ck_assert_uint_eq(pr.out[0].seq, c.iss + 5);
	ck_assert_uint_eq(st.drop[FP_DROP_tcp_bad_ack], 1);
	cli_assert_state(&c, FP_TCP_SYN_RECEIVED);
	cli_send(&c, F_ACK, NULL, 0);
	fp_peer_assert_silent(&pr);
	cli_assert_state(&c, FP_TCP_ESTABLISHED);
}
END_TEST

/* SYN cookies (RFC 4987 3.6) once the backlog is full. */
START_TEST(test_syn_cookies)
{
	struct cli a, b, d;
	struct fp_tcb *tcb;
	uint32_t cookie;
	struct fp_peer_spec sp;

	prm.syn_backlog = 1;
	start();
	cli_init(&a, &pr, 40000, 100);
	cli_send(&a, F_SYN, NULL, 0);
	ck_assert_uint_eq(pr.nb_out, 1);
	cli_assert_state(&a, FP_TCP_SYN_RECEIVED);
	ck_assert_uint_eq(st.c[FP_C_tcp_syn_cookies_sent], 0);

	cli_init(&b, &pr, 40001, 200);
	cli_send(&b, F_SYN, NULL, 0);
	ck_assert_uint_eq(pr.nb_out, 1);
	ck_assert_uint_eq(pr.out[0].flags, F_SYN | F_ACK);
	ck_assert_uint_eq(pr.out[0].ack, 201);
	ck_assert_uint_eq(pr.out[0].dport, 40001);
	/* A cookie remembers only the MSS. */
	ck_assert_uint_eq(pr.out[0].mss, 1460);
	ck_assert_int_eq(pr.out[0].ws, -1);
	ck_assert(!pr.out[0].ts);
	cookie = pr.out[0].seq;
	ck_assert_uint_eq(st.c[FP_C_tcp_syn_cookies_sent], 1);
	ck_assert_ptr_null(cli_conn(&b));
	ck_assert_uint_eq(fp_tcp_nb_conns(&t), 1);
	ck_assert_int_eq(st.g[FP_G_tcp_syn_received], 1);

	ck_assert(!b.ts);
	ck_assert(!b.ws_ok);
	cli_send(&b, F_ACK, NULL, 0);
	fp_peer_assert_silent(&pr);
	ck_assert_uint_eq(st.c[FP_C_tcp_syn_cookies_ok], 1);
	cli_assert_state(&b, FP_TCP_ESTABLISHED);
	tcb = cli_conn(&b);
	ck_assert_uint_eq(tcb->flags & FP_TCB_COOKIE, FP_TCB_COOKIE);
	ck_assert_uint_eq(tcb->iss, cookie);
	ck_assert_uint_eq(tcb->mss, 1460);
	ck_assert_int_eq(st.g[FP_G_tcp_established], 1);
	ck_assert_uint_eq(fp_tcp_nb_conns(&t), 2);
	cli_str(&b, F_ACK | F_PSH, GET_ROOT);
	ck_assert_uint_eq(pr.nb_out, 1);
	ck_assert_uint_eq(pr.out[0].seq, cookie + 1);
	ck_assert_uint_eq(pr.out[0].ack, b.seq);
	ck_assert_uint_eq(pr.out[0].flags, F_ACK | F_PSH);
	ck_assert(!pr.out[0].ts);
	assert_rx(&b, 0, R_ROOT, FP_HTTP_V_KEEP);

	/* A forged ACK: another 4-tuple with b's cookie. */
	fp_peer_spec_init(&sp, 40002, TCP_PORT, F_ACK, 201, cookie + 1);
	fp_peer_xmit(&pr, &sp);
	ck_assert_uint_eq(pr.nb_out, 1);
	ck_assert_uint_eq(pr.out[0].flags, F_RST);
	ck_assert_uint_eq(pr.out[0].seq, cookie + 1);
	ck_assert_uint_eq(pr.out[0].dport, 40002);
	ck_assert_uint_eq(st.drop[FP_DROP_tcp_bad_cookie], 1);
	ck_assert_uint_eq(st.c[FP_C_tcp_syn_cookies_ok], 1);
	ck_assert_uint_eq(fp_tcp_nb_conns(&t), 2);

	/* The cookie's own 4-tuple and ISN, another MSS index in the ACK:
	 * the MAC covers it (a fuzzer found it did not, and the connection
	 * then sent from an ISS it never announced).
	 */
	cli_init(&d, &pr, 40004, 400);
	cli_send(&d, F_SYN, NULL, 0);
	ck_assert_uint_eq(pr.nb_out, 1);
	cookie = pr.out[0].seq;
	fp_peer_spec_init(&sp, 40004, TCP_PORT, F_ACK, 401, (cookie ^ (1u << 25)) + 1);
	fp_peer_xmit(&pr, &sp);
	ck_assert_uint_eq(pr.nb_out, 1);
	ck_assert_uint_eq(pr.out[0].flags, F_RST);
	ck_assert_uint_eq(st.drop[FP_DROP_tcp_bad_cookie], 2);
	ck_assert_uint_eq(st.c[FP_C_tcp_syn_cookies_ok], 1);
	ck_assert_uint_eq(fp_tcp_nb_conns(&t), 2);
	/* The right one still opens it. */
	fp_peer_spec_init(&sp, 40004, TCP_PORT, F_ACK, 401, cookie + 1);
	fp_peer_xmit(&pr, &sp);
	fp_peer_assert_silent(&pr);
	ck_assert_uint_eq(st.c[FP_C_tcp_syn_cookies_ok], 2);
	ck_assert_uint_eq(fp_tcp_nb_conns(&t), 3);

	/* A cookie ACK that carries the request. */
	cli_init(&d, &pr, 40003, 300);
	cli_send(&d, F_SYN, NULL, 0);
	ck_assert_uint_eq(pr.nb_out, 1);
	ck_assert_uint_eq(st.c[FP_C_tcp_syn_cookies_sent], 3);
	cli_str(&d, F_ACK | F_PSH, GET_ROOT);
	ck_assert_uint_eq(pr.nb_out, 1);
	ck_assert_uint_eq(st.c[FP_C_tcp_syn_cookies_ok], 3);
	ck_assert_uint_eq(pr.out[0].ack, d.seq);
	assert_rx(&d, 0, R_ROOT, FP_HTTP_V_KEEP);
	cli_assert_state(&d, FP_TCP_ESTABLISHED);
}
END_TEST

/* Data. */

START_TEST(test_get)
{
	static const char date_hdr[] = "\r\nDate: ";
	const char *p;
	struct fp_tcb *tcb;
	struct cli c;
	uint32_t n;

	start();
	cli_init(&c, &pr, 40000, 1000);
	cli_connect(&c);
	cli_str(&c, F_ACK | F_PSH, GET_ROOT);
	ck_assert_uint_eq(pr.nb_out, 1);
	ck_assert_uint_eq(pr.out[0].flags, F_ACK | F_PSH);
	ck_assert_uint_eq(pr.out[0].seq, c.iss + 1);
	ck_assert_uint_eq(pr.out[0].ack, 1001 + strlen(GET_ROOT));
	ck_assert_uint_eq(pr.out[0].wnd, RTE_MIN(prm.rcv_wnd >> t.rcv_wscale, 65535u));
	ck_assert(pr.out[0].ts);
	ck_assert_uint_eq(pr.out[0].tsecr, c.tsval);
	n = pr.out[0].len;
	ck_assert_uint_eq(n, resp_len(R_ROOT, FP_HTTP_V_KEEP));
	p = (const char *)pr.out[0].data;
	ck_assert_mem_eq(p, "HTTP/1.1 200 OK\r\n", 17);
	ck_assert_ptr_nonnull(memmem(p, n, "\r\nContent-Length: 5\r\n", 21));
	p = memmem(p, n, date_hdr, 8);
	ck_assert_ptr_nonnull(p);
	ck_assert_mem_eq(p + 8, hw.date, FP_HTTP_DATE_LEN);
	ck_assert_mem_eq(p + 8 + FP_HTTP_DATE_LEN - 4, " GMT\r\n", 6);
	ck_assert_ptr_null(memchr(p + 8, 'X', FP_HTTP_DATE_LEN));
	ck_assert_mem_eq(pr.out[0].data + n - 9, "\r\n\r\nhello", 9);
	assert_rx(&c, 0, R_ROOT, FP_HTTP_V_KEEP);
	ck_assert_uint_eq(st.c[FP_C_http_requests], 1);
	ck_assert_uint_eq(st.c[FP_C_http_2xx], 1);
	/* The header is copied, and the body too: it is shorter than the
	 * copybreak (test_big_response has an attached one).
	 */
	ck_assert_uint_eq(st.c[FP_C_tcp_tx_inline_bytes], n - 5);
	ck_assert_uint_eq(st.c[FP_C_tcp_tx_copied_bytes], 0);
	ck_assert_uint_eq(st.c[FP_C_tcp_tx_copybreak_bytes], 5);
	ck_assert_uint_eq(st.c[FP_C_tcp_tx_zerocopy_bytes], 0);
	ck_assert(!pr.out[0].ext);
	ck_assert_uint_eq(pr.out[0].nb_segs, 1);

	cli_send(&c, F_ACK, NULL, 0);
	fp_peer_assert_silent(&pr);
	tcb = cli_conn(&c);
	ck_assert_uint_eq(tcb->snd_una, c.iss + 1 + n);
	ck_assert_uint_eq(tcb->snd_una, tcb->snd_max);
	ck_assert_uint_eq(tcb->sq_bytes, 0);
	ck_assert_uint_eq(tcb->t_rexmit, 0);

	/* Keep-alive: the next request on the same connection. */
	cli_str(&c, F_ACK | F_PSH, GET_B);
	ck_assert_uint_eq(pr.nb_out, 1);
	ck_assert_uint_eq(pr.out[0].seq, c.iss + 1 + n);
	ck_assert_uint_eq(pr.out[0].ack, c.seq);
	assert_rx(&c, n, R_B, FP_HTTP_V_KEEP);
	ck_assert_uint_eq(drops_total(), 0);
}
END_TEST

/* A request in two segments: a delayed ACK for the first, the answer for
 * the whole.
 */
START_TEST(test_get_split)
{
	uint32_t cut = 18;
	struct cli c;

	start();
	cli_init(&c, &pr, 40000, 1000);
	cli_connect(&c);
	cli_send(&c, F_ACK | F_PSH, GET_ROOT, cut);
	fp_peer_assert_silent(&pr);
	ck_assert_int_eq(st.g[FP_G_http_rxbufs], 1);
	fp_peer_advance(&pr, prm.delack_ms - 1);
	fp_peer_assert_silent(&pr);
	fp_peer_advance(&pr, 1);
	ck_assert_uint_eq(pr.nb_out, 1);
	ck_assert_uint_eq(pr.out[0].flags, F_ACK);
	ck_assert_uint_eq(pr.out[0].len, 0);
	ck_assert_uint_eq(pr.out[0].seq, c.iss + 1);
	ck_assert_uint_eq(pr.out[0].ack, 1001 + cut);
	cli_send(&c, F_ACK | F_PSH, GET_ROOT + cut, strlen(GET_ROOT) - cut);
	ck_assert_uint_eq(pr.nb_out, 1);
	ck_assert_uint_eq(pr.out[0].seq, c.iss + 1);
	ck_assert_uint_eq(pr.out[0].ack, 1001 + strlen(GET_ROOT));
	assert_rx(&c, 0, R_ROOT, FP_HTTP_V_KEEP);
	ck_assert_int_eq(st.g[FP_G_http_rxbufs], 0);
	ck_assert_uint_eq(st.c[FP_C_http_requests], 1);
}
END_TEST

/* A server of files only answers them without a context (the session's
 * request sequence, which each context takes a number from, stays 0), in
 * the head's variant: GET, HEAD, HTTP/1.0 kept alive, close. A path it
 * does not serve takes the general path, with a context.
 */
START_TEST(test_file_fast)
{
	static const char head_root[] = "HEAD / HTTP/1.1\r\nHost: t\r\n\r\n";
	static const char get10[] = "GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n";
	static uint8_t want[FP_PEER_RX_MAX];
	const struct fp_http_sess *sess;
	uint32_t off = 0, n, hl;
	struct cli c;

	start();
	ck_assert(hw.files_fast);
	cli_init(&c, &pr, 40000, 1000);
	cli_connect(&c);
	sess = &hw.sess[fp_tcp_conn_id(&t, cli_conn(&c))];
	cli_str(&c, F_ACK | F_PSH, GET_ROOT);
	assert_rx(&c, off, R_ROOT, FP_HTTP_V_KEEP);
	off = c.rx_len;
	cli_str(&c, F_ACK | F_PSH, head_root);
	hl = exp_resp(want, R_ROOT, FP_HTTP_V_KEEP) - srv->routes[R_ROOT].body_len;
	ck_assert_uint_eq(c.rx_len, off + hl);
	ck_assert_mem_eq(c.rx + off, want, hl);
	off = c.rx_len;
	cli_str(&c, F_ACK | F_PSH, get10);
	assert_rx(&c, off, R_ROOT, FP_HTTP_V_KEEP10);
	off = c.rx_len;
	ck_assert_uint_eq(sess->seq, 0);
	ck_assert_int_eq(st.g[FP_G_http_contexts], 0);
	ck_assert_uint_eq(st.c[FP_C_http_get], 2);
	ck_assert_uint_eq(st.c[FP_C_http_head], 1);
	ck_assert_uint_eq(st.c[FP_C_http_2xx], 3);
	/* Not a file: a context, and 404. */
	cli_str(&c, F_ACK | F_PSH, "GET /nothing HTTP/1.1\r\nHost: t\r\n\r\n");
	ck_assert_uint_eq(sess->seq, 1);
	ck_assert_uint_eq(st.c[FP_C_http_4xx], 1);
	off = c.rx_len;
	cli_str(&c, F_ACK | F_PSH, GET_CLOSE);
	n = exp_resp(want, R_ROOT, FP_HTTP_V_CLOSE);
	ck_assert_uint_eq(c.rx_len, off + n);
	ck_assert_mem_eq(c.rx + off, want, n);
	ck_assert_uint_eq(sess->seq, 1);
	ck_assert_uint_eq(pr.out[pr.nb_out - 1].flags & F_FIN, F_FIN);
	cli_assert_state(&c, FP_TCP_FIN_WAIT_1);
}
END_TEST

static unsigned int completes;

static int
count_complete(struct fp_http_ctx *x __rte_unused, void *arg __rte_unused)
{
	completes++;
	return FP_HTTP_CONTINUE;
}

/* With a hook, a file goes through a context and the static handler and
 * leaves as the same bytes; ON_COMPLETE sees it acknowledged. A file over
 * the send buffer goes in parts as ACKs make room (sndbuf 4000, the body
 * 5000).
 */
START_TEST(test_file_hooked)
{
	struct cli c;

	ck_assert_int_eq(fp_http_hook(srv, FP_HTTP_ON_COMPLETE, 0, count_complete, NULL), 0);
	completes = 0;
	prm.sndbuf = 4000;
	start();
	ck_assert(!hw.files_fast);
	cli_init(&c, &pr, 40000, 1000);
	cli_connect(&c);
	cli_str(&c, F_ACK | F_PSH, GET_ROOT);
	assert_rx(&c, 0, R_ROOT, FP_HTTP_V_KEEP);
	ck_assert_int_eq(st.g[FP_G_http_contexts], 1);
	cli_send(&c, F_ACK, NULL, 0);
	ck_assert_uint_eq(completes, 1);
	ck_assert_int_eq(st.g[FP_G_http_contexts], 0);
	c.rx_len = 0;
	cli_str(&c, F_ACK | F_PSH, GET_BIG);
	ck_assert_uint_lt(c.rx_len, resp_len(R_BIG, FP_HTTP_V_KEEP));
	while (c.rx_len < resp_len(R_BIG, FP_HTTP_V_KEEP) && pr.nb_out != 0)
		cli_send(&c, F_ACK, NULL, 0);
	assert_rx(&c, 0, R_BIG, FP_HTTP_V_KEEP);
	cli_send(&c, F_ACK, NULL, 0);
	ck_assert_uint_eq(completes, 2);
	ck_assert_int_eq(st.g[FP_G_http_contexts], 0);
	ck_assert_uint_eq(st.c[FP_C_http_2xx], 2);
}
END_TEST

/* A path at any address finds its file: the path hash loads words with
 * memcpy (rte_hash_crc read them in place, misaligned, which UBSan
 * reports).
 */
START_TEST(test_lookup_unaligned)
{
	char buf[32];
	unsigned int off;

	for (off = 0; off < 8; off++) {
		memcpy(buf + off, "/big", 4);
		ck_assert_ptr_eq(fp_http_lookup(srv, buf + off, 4), &srv->routes[R_BIG]);
		memcpy(buf + off, "/bigger-than-eight", 18);
		ck_assert_ptr_null(fp_http_lookup(srv, buf + off, 18));
	}
}
END_TEST

/* Three requests in one segment, answered in order in one segment. */
START_TEST(test_pipelined)
{
	static uint8_t want[4096];
	char req[512];
	uint32_t n;
	struct cli c;

	start();
	cli_init(&c, &pr, 40000, 1000);
	cli_connect(&c);
	snprintf(req, sizeof(req), "%s%s%s", GET_ROOT, GET_B, GET_ROOT);
	cli_str(&c, F_ACK | F_PSH, req);
	ck_assert_uint_eq(pr.nb_out, 1);
	ck_assert_uint_eq(pr.out[0].ack, 1001 + strlen(req));
	n = exp_resp(want, R_ROOT, FP_HTTP_V_KEEP);
	n += exp_resp(want + n, R_B, FP_HTTP_V_KEEP);
	n += exp_resp(want + n, R_ROOT, FP_HTTP_V_KEEP);
	ck_assert_uint_eq(c.rx_len, n);
	ck_assert_mem_eq(c.rx, want, n);
	ck_assert_uint_eq(st.c[FP_C_http_requests], 3);
	cli_send(&c, F_ACK, NULL, 0);
	fp_peer_assert_silent(&pr);
	ck_assert_uint_eq(cli_conn(&c)->sq_bytes, 0);
}
END_TEST

/* A drain: the idle connection gets a FIN at once, a request arriving later
 * is answered with Connection: close and a FIN, and a SYN gets a RST.
 */
START_TEST(test_drain)
{
	struct cli idle, busy, late;

	start();
	cli_init(&idle, &pr, 40000, 1000);
	cli_connect(&idle);
	cli_str(&idle, F_ACK | F_PSH, GET_ROOT);
	assert_rx(&idle, 0, R_ROOT, FP_HTTP_V_KEEP);
	cli_send(&idle, F_ACK, NULL, 0);
	cli_init(&busy, &pr, 40001, 5000);
	cli_connect(&busy);

	fp_http_drain(&hw);
	fp_peer_flush(&pr);
	/* Only the idle one is told: the other has asked nothing yet. */
	ck_assert_uint_eq(pr.nb_out, 2);
	ck_assert_uint_eq(pr.out[0].dport, 40000);
	ck_assert_uint_eq(pr.out[0].flags, F_FIN | F_ACK);
	ck_assert_uint_eq(st.c[FP_C_http_drain_closed], 2);
	cli_assert_state(&idle, FP_TCP_FIN_WAIT_1);

	cli_init(&late, &pr, 40002, 9000);
	cli_send(&late, F_SYN, NULL, 0);
	ck_assert_uint_eq(pr.nb_out, 1);
	ck_assert_uint_eq(pr.out[0].flags, F_RST | F_ACK);
	ck_assert_uint_eq(pr.out[0].ack, 9001);
	ck_assert_uint_eq(st.drop[FP_DROP_tcp_draining], 1);
	cli_assert_state(&late, FP_TCP_CLOSED);
}
END_TEST

/* A request that arrives during the drain is answered with Connection: close. */
START_TEST(test_drain_request)
{
	struct cli c;

	start();
	cli_init(&c, &pr, 40000, 1000);
	cli_connect(&c);
	cli_str(&c, F_ACK | F_PSH, "GET / HTTP/1.1\r\nHo");
	fp_http_drain(&hw);
	fp_peer_flush(&pr);
	ck_assert_uint_eq(pr.nb_out, 0);
	ck_assert_uint_eq(st.c[FP_C_http_drain_closed], 0);
	cli_str(&c, F_ACK | F_PSH, "st: t\r\n\r\n");
	assert_rx(&c, 0, R_ROOT, FP_HTTP_V_CLOSE);
	ck_assert(pr.out[pr.nb_out - 1].flags & F_FIN);
	cli_assert_state(&c, FP_TCP_FIN_WAIT_1);
	/* What follows the answered request is read and ignored. */
	cli_str(&c, F_ACK | F_PSH, GET_ROOT);
	ck_assert_uint_eq(c.rx_len, resp_len(R_ROOT, FP_HTTP_V_CLOSE));
	ck_assert_uint_eq(st.c[FP_C_http_requests], 1);
}
END_TEST

/* The end of a drain: every connection but TIME-WAIT gets a RST and goes. */
START_TEST(test_reset_all)
{
	struct cli a, b;

	start();
	cli_init(&a, &pr, 40000, 1000);
	cli_connect(&a);
	cli_init(&b, &pr, 40001, 5000);
	cli_send(&b, F_SYN, NULL, 0);
	ck_assert_uint_eq(fp_tcp_reset_all(&t), 2);
	fp_peer_flush(&pr);
	ck_assert_uint_eq(pr.nb_out, 2);
	ck_assert_uint_eq(pr.out[0].flags & F_RST, F_RST);
	ck_assert_uint_eq(pr.out[1].flags & F_RST, F_RST);
	ck_assert_uint_eq(pr.out[0].seq, a.ack);
	cli_assert_state(&a, FP_TCP_CLOSED);
	cli_assert_state(&b, FP_TCP_CLOSED);
	ck_assert_uint_eq(fp_tcp_nb_conns(&t), 0);
	ck_assert_uint_eq(st.c[FP_C_tcp_aborts], 2);
}
END_TEST

/* What /fastpath/conns shows: 4-tuple, state, bytes each way, age. */
START_TEST(test_conns_snapshot)
{
	struct fp_tcp_conn_info info[4];
	struct cli a, b;
	unsigned int n;

	start();
	cli_init(&a, &pr, 40000, 1000);
	cli_connect(&a);
	fp_peer_advance(&pr, 30);
	cli_init(&b, &pr, 40001, 5000);
	cli_connect(&b);
	cli_str(&b, F_ACK | F_PSH, GET_ROOT);
	cli_send(&b, F_ACK, NULL, 0);
	fp_peer_advance(&pr, 5);
	n = fp_tcp_conns_snapshot(&t, info, RTE_DIM(info));
	ck_assert_uint_eq(n, 2);
	if (info[0].rport != 40000) {
		struct fp_tcp_conn_info x = info[0];

		info[0] = info[1];
		info[1] = x;
	}
	ck_assert_uint_eq(info[0].raddr, FP_TEST_PEER_IP);
	ck_assert_uint_eq(info[0].rport, 40000);
	ck_assert_uint_eq(info[0].lport, TCP_PORT);
	ck_assert_uint_eq(info[0].state, FP_TCP_ESTABLISHED);
	ck_assert_uint_eq(info[0].bytes_in, 0);
	ck_assert_uint_eq(info[0].bytes_out, 0);
	ck_assert_uint_eq(info[0].age_ms, 35);
	ck_assert_uint_eq(info[1].bytes_in, strlen(GET_ROOT));
	ck_assert_uint_eq(info[1].bytes_out, resp_len(R_ROOT, FP_HTTP_V_KEEP));
	ck_assert_uint_eq(info[1].age_ms, 5);
	ck_assert_uint_gt(info[1].cwnd, 0);
	ck_assert_uint_eq(fp_tcp_conns_snapshot(&t, info, 1), 1);
}
END_TEST

/* A segment after a hole is dropped with a duplicate ACK for the hole. */
START_TEST(test_out_of_order)
{
	uint32_t cut = 10, len = strlen(GET_ROOT), seq0;
	struct cli c;

	start();
	cli_init(&c, &pr, 40000, 1000);
	cli_connect(&c);
	seq0 = c.seq;
	/* After a hole: queued, and a duplicate ACK at once (no SACK: the
	 * client did not offer it).
	 */
	cli_send_at(&c, F_ACK | F_PSH, seq0 + cut, c.ack, GET_ROOT + cut, len - cut);
	ck_assert_uint_eq(pr.nb_out, 1);
	ck_assert_uint_eq(pr.out[0].flags, F_ACK);
	ck_assert_uint_eq(pr.out[0].len, 0);
	ck_assert_uint_eq(pr.out[0].ack, seq0);
	ck_assert_uint_eq(pr.out[0].seq, c.iss + 1);
	ck_assert_uint_eq(pr.out[0].nb_sack, 0);
	ck_assert_uint_eq(st.c[FP_C_tcp_ooo_queued], 1);
	ck_assert_uint_eq(cli_conn(&c)->rcv_nxt, seq0);
	ck_assert_uint_eq(cli_conn(&c)->nb_ooo, 1);
	/* The hole is filled: the queued rest follows, and the answer. */
	cli_send_at(&c, F_ACK, seq0, c.ack, GET_ROOT, cut);
	ck_assert_uint_eq(pr.nb_out, 1);
	ck_assert_uint_eq(pr.out[0].ack, seq0 + len);
	ck_assert_uint_eq(pr.out[0].seq, c.iss + 1);
	assert_rx(&c, 0, R_ROOT, FP_HTTP_V_KEEP);
	ck_assert_uint_eq(cli_conn(&c)->nb_ooo, 0);
	/* The rest again, all below RCV.NXT: an ACK and no answer. */
	cli_send_at(&c, F_ACK | F_PSH, seq0 + cut, c.ack, GET_ROOT + cut, len - cut);
	ck_assert_uint_eq(pr.nb_out, 1);
	ck_assert_uint_eq(pr.out[0].len, 0);
	ck_assert_uint_eq(pr.out[0].ack, seq0 + len);
	ck_assert_uint_eq(st.c[FP_C_http_requests], 1);
	ck_assert_uint_eq(st.drop[FP_DROP_tcp_out_of_order], 0);
}
END_TEST

/* Overlapping out-of-order copies whose losing bytes are garbage: the
 * request parses, and /b is answered, only if the right bytes won. At the
 * edges the bytes already queued win; a queued segment the new one covers
 * whole is replaced by it. A copy wholly inside the queue adds nothing.
 */
START_TEST(test_ooo_overlaps)
{
	static const char req[] = "GET /b HTTP/1.1\r\nHost: t\r\nX-A: 0123456789abcdef\r\n\r\n";
	uint32_t len = sizeof(req) - 1, seq0;
	char bad[64];
	struct cli c;

	ck_assert_uint_eq(len, 51);
	start();
	cli_init(&c, &pr, 40000, 1000);
	cli_connect(&c);
	seq0 = c.seq;
	memcpy(bad, req, len);
	memset(bad + 25, '#', 5);	/* 2's first 5 bytes: overlap 1's tail */
	memset(bad + 45, '#', 5);	/* 3: covered by 4 */
	memset(bad + 20, '#', 2);	/* 2b's last 2 bytes: overlap 1's head */
	/* 1: [20, 30) */
	cli_send_at(&c, F_ACK, seq0 + 20, c.ack, req + 20, 10);
	/* 2: [25, 40), its head overlapping 1: 1 keeps its bytes */
	cli_send_at(&c, F_ACK, seq0 + 25, c.ack, bad + 25, 15);
	/* 2b: [12, 22), its tail overlapping 1: 1 keeps its bytes */
	cli_send_at(&c, F_ACK, seq0 + 12, c.ack, bad + 12, 10);
	/* 3: [45, 50), garbage */
	cli_send_at(&c, F_ACK, seq0 + 45, c.ack, bad + 45, 5);
	/* 4: [42, 51) covers 3 whole: it replaces it */
	cli_send_at(&c, F_ACK, seq0 + 42, c.ack, req + 42, len - 42);
	/* 5: [21, 29), all queued already */
	cli_send_at(&c, F_ACK, seq0 + 21, c.ack, bad + 21, 8);
	ck_assert_uint_eq(st.c[FP_C_tcp_ooo_queued], 5);
	ck_assert_uint_eq(st.drop[FP_DROP_tcp_ooo_duplicate], 1);
	ck_assert_uint_eq(cli_conn(&c)->nb_ooo, 4);
	ck_assert_uint_eq(cli_conn(&c)->rcv_nxt, seq0);
	/* [0, 12) joins [12, 40); [40, 42) is still missing. */
	cli_send_at(&c, F_ACK, seq0, c.ack, req, 12);
	ck_assert_uint_eq(cli_conn(&c)->rcv_nxt, seq0 + 40);
	ck_assert_uint_eq(cli_conn(&c)->nb_ooo, 1);
	ck_assert_uint_eq(c.rx_len, 0);
	cli_send_at(&c, F_ACK | F_PSH, seq0 + 40, c.ack, req + 40, len - 40);
	ck_assert_uint_eq(cli_conn(&c)->rcv_nxt, seq0 + len);
	assert_rx(&c, 0, R_B, FP_HTTP_V_KEEP);
	ck_assert_uint_eq(cli_conn(&c)->nb_ooo, 0);
	ck_assert_uint_eq(st.c[FP_C_http_4xx], 0);
	ck_assert_int_eq(st.g[FP_G_tcp_ooo_segments], 0);
}
END_TEST

/* With SACK agreed, each duplicate ACK carries the queue's blocks, the one
 * holding the segment that triggered it first, then the most recent.
 */
START_TEST(test_sack_blocks)
{
	uint32_t len = strlen(GET_ROOT), seq0;
	struct cli c;

	start();
	cli_init(&c, &pr, 40000, 1000);
	c.sack = true;
	cli_send(&c, F_SYN, NULL, 0);
	ck_assert_uint_eq(pr.nb_out, 1);
	ck_assert(pr.out[0].sack_ok);
	cli_send(&c, F_ACK, NULL, 0);
	ck_assert(cli_conn(&c)->flags & FP_TCB_SACK);
	seq0 = c.seq;
	cli_send_at(&c, F_ACK, seq0 + 4, c.ack, GET_ROOT + 4, 4);
	ck_assert_uint_eq(pr.nb_out, 1);
	ck_assert_uint_eq(pr.out[0].ack, seq0);
	ck_assert_uint_eq(pr.out[0].nb_sack, 1);
	ck_assert_uint_eq(pr.out[0].sack[0][0], seq0 + 4);
	ck_assert_uint_eq(pr.out[0].sack[0][1], seq0 + 8);
	cli_send_at(&c, F_ACK, seq0 + 12, c.ack, GET_ROOT + 12, 4);
	ck_assert_uint_eq(pr.out[0].nb_sack, 2);
	ck_assert_uint_eq(pr.out[0].sack[0][0], seq0 + 12);
	ck_assert_uint_eq(pr.out[0].sack[1][0], seq0 + 4);
	cli_send_at(&c, F_ACK, seq0 + 20, c.ack, GET_ROOT + 20, 4);
	ck_assert_uint_eq(pr.out[0].nb_sack, 3);
	/* [8, 12) joins the first two into one block, reported first. */
	cli_send_at(&c, F_ACK, seq0 + 8, c.ack, GET_ROOT + 8, 4);
	ck_assert_uint_eq(pr.out[0].nb_sack, 2);
	ck_assert_uint_eq(pr.out[0].sack[0][0], seq0 + 4);
	ck_assert_uint_eq(pr.out[0].sack[0][1], seq0 + 16);
	ck_assert_uint_eq(pr.out[0].sack[1][0], seq0 + 20);
	ck_assert_uint_eq(pr.out[0].sack[1][1], seq0 + 24);
	ck_assert_uint_ge(st.c[FP_C_tcp_sack_acks], 4);
	/* All of it: the answer, and no block left to report. */
	cli_send_at(&c, F_ACK, seq0, c.ack, GET_ROOT, 4);
	cli_send_at(&c, F_ACK | F_PSH, seq0 + 16, c.ack, GET_ROOT + 16, 4);
	cli_send_at(&c, F_ACK | F_PSH, seq0 + 24, c.ack, GET_ROOT + 24, len - 24);
	assert_rx(&c, 0, R_ROOT, FP_HTTP_V_KEEP);
	ck_assert_uint_eq(pr.out[pr.nb_out - 1].nb_sack, 0);
}
END_TEST

/* Without SACK offered, the SYN-ACK offers none, and [tcp] sack = false
 * answers a client that offers it without.
 */
START_TEST(test_sack_off)
{
	struct cli c;

	cfg.sack = false;
	fp_tcp_params_from(&prm, &cfg, 0, 1);
	start();
	cli_init(&c, &pr, 40000, 1000);
	c.sack = true;
	cli_send(&c, F_SYN, NULL, 0);
	ck_assert_uint_eq(pr.nb_out, 1);
	ck_assert(!pr.out[0].sack_ok);
	cli_send(&c, F_ACK, NULL, 0);
	ck_assert(!(cli_conn(&c)->flags & FP_TCB_SACK));
	cli_send_at(&c, F_ACK, c.seq + 4, c.ack, GET_ROOT + 4, 4);
	ck_assert_uint_eq(pr.out[0].nb_sack, 0);
}
END_TEST

/* The pool runs low: the queued segments are dropped (reneging, RFC 2018
 * 8), and the client's retransmission still completes the request.
 */
START_TEST(test_ooo_renege)
{
	struct rte_mbuf *hold[NB_MBUFS];
	uint32_t len = strlen(GET_ROOT), seq0, n = 0;
	struct cli c;

	start();
	cli_init(&c, &pr, 40000, 1000);
	cli_connect(&c);
	seq0 = c.seq;
	cli_send_at(&c, F_ACK, seq0 + 10, c.ack, GET_ROOT + 10, len - 10);
	ck_assert_uint_eq(cli_conn(&c)->nb_ooo, 1);
	while (rte_mempool_avail_count(pool) >= pool->size / 8 &&
			(hold[n] = rte_pktmbuf_alloc(pool)) != NULL)
		n++;
	fp_peer_advance(&pr, 1);
	ck_assert_uint_eq(st.c[FP_C_tcp_ooo_reneged], 1);
	ck_assert_uint_eq(cli_conn(&c)->nb_ooo, 0);
	rte_pktmbuf_free_bulk(hold, n);
	fp_peer_advance(&pr, 1);
	cli_send_at(&c, F_ACK, seq0, c.ack, GET_ROOT, 10);
	ck_assert_uint_eq(cli_conn(&c)->rcv_nxt, seq0 + 10);
	cli_send_at(&c, F_ACK | F_PSH, seq0 + 10, c.ack, GET_ROOT + 10, len - 10);
	assert_rx(&c, 0, R_ROOT, FP_HTTP_V_KEEP);
}
END_TEST

/* A response of several segments, chained zero copy or copied. */
START_TEST(test_big_response)
{
	bool multi = _i == 0;
	struct fp_tcb *tcb;
	uint32_t hl, total, i;
	struct cli c;

	ifc.tx_multi_seg = multi;
	start();
	cli_init(&c, &pr, 40000, 1000);
	cli_connect(&c);
	hl = srv->routes[R_BIG].hdr_len[FP_HTTP_V_KEEP];
	total = hl + BIG_LEN;
	cli_str(&c, F_ACK | F_PSH, GET_BIG);
	ck_assert_uint_eq(pr.nb_out, (total + 1447) / 1448);
	for (i = 0; i < pr.nb_out; i++) {
		ck_assert_uint_eq(pr.out[i].seq, c.iss + 1 + i * 1448);
		ck_assert_uint_eq(pr.out[i].len, i + 1 < pr.nb_out ? 1448 : total - i * 1448);
		/* PSH: on every segment that carries all it was cut for. */
		ck_assert_uint_eq(pr.out[i].flags & ~F_PSH, F_ACK);
		ck_assert_uint_eq(pr.out[i].ext, multi);
		if (!multi)
			ck_assert_uint_eq(pr.out[i].nb_segs, 1);
		else
			ck_assert_uint_ge(pr.out[i].nb_segs, 2);
	}
	ck_assert_uint_eq(pr.out[pr.nb_out - 1].flags, F_ACK | F_PSH);
	assert_rx(&c, 0, R_BIG, FP_HTTP_V_KEEP);
	ck_assert_uint_eq(st.c[FP_C_tcp_tx_zerocopy_bytes], multi ? BIG_LEN : 0);
	ck_assert_uint_eq(st.c[FP_C_tcp_tx_inline_bytes], hl);
	ck_assert_uint_eq(st.c[FP_C_tcp_tx_copied_bytes], multi ? 0 : BIG_LEN);
	/* All acknowledged: the queue is empty. */
	cli_send(&c, F_ACK, NULL, 0);
	fp_peer_assert_silent(&pr);
	tcb = cli_conn(&c);
	ck_assert_uint_eq(tcb->snd_una, c.iss + 1 + total);
	ck_assert_uint_eq(tcb->sq_bytes, 0);
}
END_TEST

/* Closing. */

/* The client half-closes while the response is held back by its window:
 * CLOSE-WAIT, the rest of the response with our FIN, LAST-ACK, freed.
 */
START_TEST(test_client_fin)
{
	struct cli c;
	uint32_t total;

	start();
	cli_init(&c, &pr, 40000, 1000);
	c.ws = FP_PEER_NO_WS;
	c.wnd = 1000;
	cli_connect(&c);
	total = resp_len(R_BIG, FP_HTTP_V_KEEP);
	cli_str(&c, F_ACK | F_PSH, GET_BIG);
	ck_assert_uint_eq(pr.nb_out, 1);
	ck_assert_uint_eq(pr.out[0].len, 1000);
	/* Its FIN acknowledges none of it, so the window stays full. */
	cli_send_at(&c, F_ACK | F_FIN, c.seq, c.iss + 1, NULL, 0);
	c.seq++;
	ck_assert_uint_eq(pr.nb_out, 1);
	ck_assert_uint_eq(pr.out[0].flags, F_ACK);
	ck_assert_uint_eq(pr.out[0].len, 0);
	ck_assert_uint_eq(pr.out[0].seq, c.iss + 1 + 1000);
	ck_assert_uint_eq(pr.out[0].ack, c.seq);
	cli_assert_state(&c, FP_TCP_CLOSE_WAIT);
	ck_assert_int_eq(st.g[FP_G_tcp_close_wait], 1);
	c.wnd = 65535;
	cli_send(&c, F_ACK, NULL, 0);
	ck_assert_uint_eq(pr.nb_out, 3);
	ck_assert_uint_eq(pr.out[2].flags, F_ACK | F_PSH | F_FIN);
	ck_assert_uint_eq(pr.out[2].seq + pr.out[2].len, c.iss + 1 + total);
	assert_rx(&c, 0, R_BIG, FP_HTTP_V_KEEP);
	ck_assert_uint_eq(c.ack, c.iss + 2 + total);
	cli_assert_state(&c, FP_TCP_LAST_ACK);
	ck_assert_int_eq(st.g[FP_G_tcp_last_ack], 1);
	cli_send(&c, F_ACK, NULL, 0);
	fp_peer_assert_silent(&pr);
	cli_assert_state(&c, FP_TCP_CLOSED);
	ck_assert_uint_eq(st.c[FP_C_tcp_closed], 1);
	ck_assert_uint_eq(fp_tcp_nb_conns(&t), 0);
}
END_TEST

/* A request and FIN in one segment: the answer carries our FIN. */
START_TEST(test_client_fin_with_request)
{
	struct cli c;

	start();
	cli_init(&c, &pr, 40000, 1000);
	cli_connect(&c);
	cli_str(&c, F_ACK | F_PSH | F_FIN, GET_ROOT);
	ck_assert_uint_eq(pr.nb_out, 1);
	ck_assert_uint_eq(pr.out[0].flags, F_ACK | F_PSH | F_FIN);
	ck_assert_uint_eq(pr.out[0].ack, 1001 + strlen(GET_ROOT) + 1);
	assert_rx(&c, 0, R_ROOT, FP_HTTP_V_KEEP);
	cli_assert_state(&c, FP_TCP_LAST_ACK);
	cli_send(&c, F_ACK, NULL, 0);
	fp_peer_assert_silent(&pr);
	cli_assert_state(&c, FP_TCP_CLOSED);
	ck_assert_uint_eq(st.c[FP_C_tcp_closed], 1);
}
END_TEST

/* Connection: close, then FIN-WAIT-1, FIN-WAIT-2, TIME-WAIT, freed. */
START_TEST(test_server_close)
{
	struct cli c;

	start();
	cli_init(&c, &pr, 40000, 1000);
	cli_connect(&c);
	cli_str(&c, F_ACK | F_PSH, GET_CLOSE);
	ck_assert_uint_eq(pr.nb_out, 1);
	ck_assert_uint_eq(pr.out[0].flags, F_ACK | F_PSH | F_FIN);
	ck_assert_ptr_nonnull(memmem(pr.out[0].data, pr.out[0].len, "\r\nConnection: close\r\n",
		21));
	assert_rx(&c, 0, R_ROOT, FP_HTTP_V_CLOSE);
	cli_assert_state(&c, FP_TCP_FIN_WAIT_1);
	ck_assert_int_eq(st.g[FP_G_tcp_fin_wait_1], 1);
	cli_send(&c, F_ACK, NULL, 0);
	fp_peer_assert_silent(&pr);
	cli_assert_state(&c, FP_TCP_FIN_WAIT_2);
	ck_assert_int_eq(st.g[FP_G_tcp_fin_wait_2], 1);
	cli_send(&c, F_ACK | F_FIN, NULL, 0);
	ck_assert_uint_eq(pr.nb_out, 1);
	ck_assert_uint_eq(pr.out[0].flags, F_ACK);
	ck_assert_uint_eq(pr.out[0].seq, c.ack);
	ck_assert_uint_eq(pr.out[0].ack, c.seq);
	cli_assert_state(&c, FP_TCP_TIME_WAIT);
	ck_assert_int_eq(st.g[FP_G_tcp_time_wait], 1);
	/* Its FIN again (our ACK was lost): ACKed again. */
	cli_send_at(&c, F_ACK | F_FIN, c.seq - 1, c.ack, NULL, 0);
	ck_assert_uint_eq(pr.nb_out, 1);
	ck_assert_uint_eq(pr.out[0].flags, F_ACK);
	ck_assert_uint_eq(pr.out[0].ack, c.seq);
	cli_assert_state(&c, FP_TCP_TIME_WAIT);
	fp_peer_advance(&pr, prm.time_wait_ms - 1);
	fp_peer_assert_silent(&pr);
	cli_assert_state(&c, FP_TCP_TIME_WAIT);
	fp_peer_advance(&pr, 1);
	fp_peer_assert_silent(&pr);
	cli_assert_state(&c, FP_TCP_CLOSED);
	ck_assert_int_eq(st.g[FP_G_tcp_time_wait], 0);
	ck_assert_uint_eq(st.c[FP_C_tcp_closed], 1);
	ck_assert_uint_eq(st.c[FP_C_tcp_aborts], 0);
}
END_TEST

/* A full table gives its oldest TIME-WAIT to a new connection; without
 * one, a SYN gets a cookie whose ACK finds no room.
 */
START_TEST(test_time_wait_evict)
{
	struct cli a, b, c, d, e;

	prm.max_conns = 2;
	start();
	cli_init(&a, &pr, 40000, 1000);
	cli_connect(&a);
	cli_str(&a, F_ACK | F_PSH, GET_CLOSE);
	cli_send(&a, F_ACK, NULL, 0);
	cli_send(&a, F_ACK | F_FIN, NULL, 0);
	cli_assert_state(&a, FP_TCP_TIME_WAIT);
	fp_peer_advance(&pr, 10);
	cli_init(&b, &pr, 40001, 1000);
	cli_connect(&b);
	cli_str(&b, F_ACK | F_PSH, GET_CLOSE);
	cli_send(&b, F_ACK, NULL, 0);
	cli_send(&b, F_ACK | F_FIN, NULL, 0);
	cli_assert_state(&b, FP_TCP_TIME_WAIT);
	ck_assert_uint_eq(fp_tcp_nb_conns(&t), 2);
	cli_init(&c, &pr, 40002, 1000);
	cli_connect(&c);
	ck_assert_uint_eq(st.c[FP_C_tcp_time_wait_reused], 1);
	cli_assert_state(&a, FP_TCP_CLOSED);
	cli_assert_state(&b, FP_TCP_TIME_WAIT);
	cli_str(&c, F_ACK | F_PSH, GET_ROOT);
	assert_rx(&c, 0, R_ROOT, FP_HTTP_V_KEEP);
	/* Acknowledged: a response left unacknowledged for send_timeout_s
	 * (60 s, as long as TIME-WAIT here) would have the connection reset.
	 */
	cli_send(&c, F_ACK, NULL, 0);
	/* b entered TIME-WAIT at 11. */
	fp_peer_advance(&pr, prm.time_wait_ms - 1);
	cli_assert_state(&b, FP_TCP_TIME_WAIT);
	fp_peer_advance(&pr, 1);
	fp_peer_assert_silent(&pr);
	cli_assert_state(&b, FP_TCP_CLOSED);
	cli_assert_state(&c, FP_TCP_ESTABLISHED);
	ck_assert_int_eq(st.g[FP_G_tcp_time_wait], 0);
	/* d takes the last tcb; e gets a cookie, and a RST for its ACK. */
	cli_init(&d, &pr, 40003, 1000);
	cli_connect(&d);
	cli_init(&e, &pr, 40004, 1000);
	cli_send(&e, F_SYN, NULL, 0);
	ck_assert_uint_eq(pr.nb_out, 1);
	ck_assert_uint_eq(st.c[FP_C_tcp_syn_cookies_sent], 1);
	cli_send(&e, F_ACK, NULL, 0);
	ck_assert_uint_eq(pr.nb_out, 1);
	ck_assert_uint_eq(pr.out[0].flags, F_RST);
	ck_assert_uint_eq(pr.out[0].seq, e.iss + 1);
	ck_assert_uint_eq(st.drop[FP_DROP_tcp_table_full], 1);
	ck_assert_uint_eq(fp_tcp_nb_conns(&t), 2);
}
END_TEST

/* Both FINs cross: CLOSING, then TIME-WAIT. */
START_TEST(test_simultaneous_close)
{
	uint32_t fin_seq;
	struct cli c;

	start();
	cli_init(&c, &pr, 40000, 1000);
	cli_connect(&c);
	cli_str(&c, F_ACK | F_PSH, GET_CLOSE);
	ck_assert_uint_eq(pr.nb_out, 1);
	ck_assert(pr.out[0].flags & F_FIN);
	fin_seq = pr.out[0].seq + pr.out[0].len;
	cli_assert_state(&c, FP_TCP_FIN_WAIT_1);
	/* The client's FIN left before ours arrived: it acks the data only. */
	cli_send_at(&c, F_ACK | F_FIN, c.seq, fin_seq, NULL, 0);
	c.seq++;
	ck_assert_uint_eq(pr.nb_out, 1);
	ck_assert_uint_eq(pr.out[0].flags, F_ACK);
	ck_assert_uint_eq(pr.out[0].ack, c.seq);
	cli_assert_state(&c, FP_TCP_CLOSING);
	ck_assert_int_eq(st.g[FP_G_tcp_closing], 1);
	cli_send(&c, F_ACK, NULL, 0);
	fp_peer_assert_silent(&pr);
	cli_assert_state(&c, FP_TCP_TIME_WAIT);
	fp_peer_advance(&pr, prm.time_wait_ms);
	cli_assert_state(&c, FP_TCP_CLOSED);
}
END_TEST

/* From TIME-WAIT: the server answered GET_CLOSE and closed first; the
 * client's FIN ended it.
 */
static void
cli_time_wait(struct cli *c)
{
	start();
	cli_init(c, &pr, 40000, 1000);
	cli_connect(c);
	cli_str(c, F_ACK | F_PSH, GET_CLOSE);
	cli_send(c, F_ACK, NULL, 0);
	cli_send(c, F_ACK | F_FIN, NULL, 0);
	cli_assert_state(c, FP_TCP_TIME_WAIT);
}

/* From TIME-WAIT: an old SYN gets an ACK, a SYN above RCV.NXT reopens. */
START_TEST(test_time_wait_reuse)
{
	uint32_t old_seq;
	struct cli c;

	cli_time_wait(&c);
	old_seq = c.seq;
	/* Below RCV.NXT, and no newer timestamp: not a new connection. */
	cli_send_at(&c, F_SYN, old_seq - 100, 0, NULL, 0);
	ck_assert_uint_eq(pr.nb_out, 1);
	ck_assert_uint_eq(pr.out[0].flags, F_ACK);
	ck_assert_uint_eq(pr.out[0].ack, old_seq);
	cli_assert_state(&c, FP_TCP_TIME_WAIT);
	ck_assert_uint_eq(st.c[FP_C_tcp_time_wait_reused], 0);
	/* Above it: the old tcb goes, a new one answers. */
	cli_init(&c, &pr, 40000, old_seq + 100000);
	cli_send(&c, F_SYN, NULL, 0);
	ck_assert_uint_eq(pr.nb_out, 1);
	ck_assert_uint_eq(pr.out[0].flags, F_SYN | F_ACK);
	ck_assert_uint_eq(pr.out[0].ack, old_seq + 100001);
	ck_assert_uint_eq(st.c[FP_C_tcp_time_wait_reused], 1);
	ck_assert_int_eq(st.g[FP_G_tcp_time_wait], 0);
	cli_assert_state(&c, FP_TCP_SYN_RECEIVED);
	cli_send(&c, F_ACK, NULL, 0);
	cli_assert_state(&c, FP_TCP_ESTABLISHED);
	cli_str(&c, F_ACK | F_PSH, GET_ROOT);
	assert_rx(&c, 0, R_ROOT, FP_HTTP_V_KEEP);
}
END_TEST

/* A peer that comes back on the same address with another MAC (a DPDK
 * client restarted) and an old SYN: TIME-WAIT's ACK goes to the new MAC,
 * its RST ends the old connection, and the next SYN opens a new one.
 */
START_TEST(test_time_wait_new_mac)
{
	static const struct rte_ether_addr mac2 = {{ 0x02, 0, 0, 0, 0, 0x42 }};
	uint32_t old_seq;
	struct cli c;

	cli_time_wait(&c);
	old_seq = c.seq;
	/* fp_peer checks every frame goes to pr.cli_mac. */
	pr.cli_mac = mac2;
	cli_send_at(&c, F_SYN, old_seq - 100, 0, NULL, 0);
	ck_assert_uint_eq(pr.nb_out, 1);
	ck_assert_uint_eq(pr.out[0].flags, F_ACK);
	cli_send_at(&c, F_RST, pr.out[0].ack, 0, NULL, 0);
	ck_assert_uint_eq(st.c[FP_C_tcp_resets_received], 1);
	ck_assert_uint_eq(fp_tcp_nb_conns(&t), 0);
	cli_init(&c, &pr, 40000, old_seq - 100);
	cli_send(&c, F_SYN, NULL, 0);
	ck_assert_uint_eq(pr.nb_out, 1);
	ck_assert_uint_eq(pr.out[0].flags, F_SYN | F_ACK);
}
END_TEST

/* RFC 5961. */

/* RST with SEQ = RCV.NXT resets. */
START_TEST(test_rst_exact)
{
	struct cli c;

	start();
	cli_init(&c, &pr, 40000, 1000);
	cli_connect(&c);
	cli_send(&c, F_RST | F_ACK, NULL, 0);
	fp_peer_assert_silent(&pr);
	cli_assert_state(&c, FP_TCP_CLOSED);
	ck_assert_uint_eq(st.c[FP_C_tcp_resets_received], 1);
	ck_assert_uint_eq(st.c[FP_C_tcp_closed], 1);
	ck_assert_uint_eq(fp_tcp_nb_conns(&t), 0);
}
END_TEST

/* RST in the window but not at RCV.NXT: challenge ACK, connection kept. */
START_TEST(test_rst_in_window)
{
	struct cli c;

	start();
	cli_init(&c, &pr, 40000, 1000);
	cli_connect(&c);
	cli_send_at(&c, F_RST | F_ACK, c.seq + 1, c.ack, NULL, 0);
	ck_assert_uint_eq(pr.nb_out, 1);
	ck_assert_uint_eq(pr.out[0].flags, F_ACK);
	ck_assert_uint_eq(pr.out[0].seq, c.iss + 1);
	ck_assert_uint_eq(pr.out[0].ack, c.seq);
	ck_assert_uint_eq(st.c[FP_C_tcp_challenge_acks], 1);
	ck_assert_uint_eq(st.drop[FP_DROP_tcp_rst_ignored], 1);
	ck_assert_uint_eq(st.c[FP_C_tcp_resets_received], 0);
	cli_assert_state(&c, FP_TCP_ESTABLISHED);
	/* The window's last byte too (once the connection's one ACK per
	 * invalid_ratelimit_ms allows another).
	 */
	fp_peer_advance(&pr, prm.invalid_ratelimit_ms);
	cli_send_at(&c, F_RST, c.seq + prm.rcv_wnd - 1, 0, NULL, 0);
	ck_assert_uint_eq(pr.nb_out, 1);
	ck_assert_uint_eq(st.c[FP_C_tcp_challenge_acks], 2);
	cli_assert_state(&c, FP_TCP_ESTABLISHED);
	cli_str(&c, F_ACK | F_PSH, GET_ROOT);
	assert_rx(&c, 0, R_ROOT, FP_HTTP_V_KEEP);
}
END_TEST

/* RST outside the window: ignored, no reply. */
START_TEST(test_rst_out_of_window)
{
	struct cli c;

	start();
	cli_init(&c, &pr, 40000, 1000);
	cli_connect(&c);
	cli_send_at(&c, F_RST | F_ACK, c.seq + prm.rcv_wnd, c.ack, NULL, 0);
	fp_peer_assert_silent(&pr);
	cli_send_at(&c, F_RST | F_ACK, c.seq - 1, c.ack, NULL, 0);
	fp_peer_assert_silent(&pr);
	cli_send_at(&c, F_RST, c.seq + 0x40000000, 0, NULL, 0);
	fp_peer_assert_silent(&pr);
	cli_assert_state(&c, FP_TCP_ESTABLISHED);
	ck_assert_uint_eq(st.drop[FP_DROP_tcp_rst_ignored], 3);
	ck_assert_uint_eq(st.c[FP_C_tcp_challenge_acks], 0);
	ck_assert_uint_eq(st.c[FP_C_tcp_resets_received], 0);
}
END_TEST

/* SYN on a synchronized connection: challenge ACK (RFC 5961 4.2). */
START_TEST(test_syn_established)
{
	struct cli c;

	start();
	cli_init(&c, &pr, 40000, 1000);
	cli_connect(&c);
	cli_send_at(&c, F_SYN, c.seq + 5, 0, NULL, 0);
	ck_assert_uint_eq(pr.nb_out, 1);
	ck_assert_uint_eq(pr.out[0].flags, F_ACK);
	ck_assert_uint_eq(pr.out[0].seq, c.iss + 1);
	ck_assert_uint_eq(pr.out[0].ack, c.seq);
	ck_assert_uint_eq(st.c[FP_C_tcp_challenge_acks], 1);
	ck_assert_uint_eq(st.drop[FP_DROP_tcp_syn_in_conn], 1);
	cli_assert_state(&c, FP_TCP_ESTABLISHED);
	ck_assert_uint_eq(cli_conn(&c)->rcv_nxt, c.seq);
	ck_assert_uint_eq(fp_tcp_nb_conns(&t), 1);
}
END_TEST

/* An ACK for data never sent: challenge ACK, the segment (and its data)
 * dropped (RFC 5961 5.2).
 */
START_TEST(test_ack_unsent)
{
	struct cli c;

	start();
	cli_init(&c, &pr, 40000, 1000);
	cli_connect(&c);
	cli_send_at(&c, F_ACK | F_PSH, c.seq, c.iss + 1 + 1000, GET_ROOT, strlen(GET_ROOT));
	ck_assert_uint_eq(pr.nb_out, 1);
	ck_assert_uint_eq(pr.out[0].flags, F_ACK);
	ck_assert_uint_eq(pr.out[0].len, 0);
	ck_assert_uint_eq(pr.out[0].seq, c.iss + 1);
	ck_assert_uint_eq(pr.out[0].ack, c.seq);
	ck_assert_uint_eq(st.c[FP_C_tcp_challenge_acks], 1);
	ck_assert_uint_eq(st.drop[FP_DROP_tcp_bad_ack], 1);
	ck_assert_uint_eq(st.c[FP_C_http_requests], 0);
	ck_assert_uint_eq(cli_conn(&c)->rcv_nxt, c.seq);
	cli_assert_state(&c, FP_TCP_ESTABLISHED);
	/* The same request with a good ACK is answered. */
	cli_str(&c, F_ACK | F_PSH, GET_ROOT);
	ck_assert_uint_eq(pr.nb_out, 1);
	assert_rx(&c, 0, R_ROOT, FP_HTTP_V_KEEP);
}
END_TEST

/* At most challenge_acks challenge ACKs a second (RFC 5961 7). */
START_TEST(test_challenge_limit)
{
	uint32_t sec, k, before, got[8], lo = UINT32_MAX, hi = 0;
	struct cli c;

	/* The worker's budget alone: no per-connection limit. */
	prm.challenge_acks = 10;
	prm.invalid_ratelimit_ms = 0;
	start();
	cli_init(&c, &pr, 40000, 1000);
	cli_connect(&c);
	for (sec = 0; sec < RTE_DIM(got); sec++) {
		before = st.c[FP_C_tcp_challenge_acks];
		for (k = 0; k < 40; k++)
			cli_send_at(&c, F_RST | F_ACK, c.seq + 1 + k, c.ack, NULL, 0);
		got[sec] = st.c[FP_C_tcp_challenge_acks] - before;
		/* RFC 5961 7 with CVE-2016-5696's fix: limit / 2 + [0, limit). */
		ck_assert_uint_ge(got[sec], 5);
		ck_assert_uint_lt(got[sec], 15);
		lo = RTE_MIN(lo, got[sec]);
		hi = RTE_MAX(hi, got[sec]);
		fp_peer_advance(&pr, 1000);
	}
	/* Drawn anew each second: eight equal budgets would be 1 in 10^7. */
	ck_assert_uint_lt(lo, hi);
	ck_assert_uint_eq(st.drop[FP_DROP_tcp_challenge_limited],
		RTE_DIM(got) * 40 - st.c[FP_C_tcp_challenge_acks]);
	cli_assert_state(&c, FP_TCP_ESTABLISHED);
}
END_TEST

/* Nagle ([tcp] nagle): a second, small answer waits while the first is
 * unacknowledged, and goes with the ACK; off (the default), it goes at
 * once.
 */
START_TEST(test_nagle)
{
	bool nagle = _i == 1;
	uint32_t len = strlen(GET_ROOT), seq0, ack0, r1, k;
	struct cli c;

	prm.nagle = nagle;
	start();
	cli_init(&c, &pr, 40000, 1000);
	cli_connect(&c);
	ck_assert_uint_eq((cli_conn(&c)->flags & FP_TCB_NAGLE) != 0, nagle);
	seq0 = c.seq;
	ack0 = c.ack;
	cli_send_at(&c, F_ACK | F_PSH, seq0, ack0, GET_ROOT, len);
	ck_assert_uint_eq(pr.nb_out, 1);
	r1 = pr.out[0].len;
	ck_assert_uint_gt(r1, 0);
	ck_assert_uint_lt(r1, cli_conn(&c)->mss);
	/* The second request, the first answer not acknowledged yet. */
	cli_send_at(&c, F_ACK | F_PSH, seq0 + len, ack0, GET_ROOT, len);
	for (k = 0; k < pr.nb_out; k++)
		if (pr.out[k].len != 0)
			break;
	ck_assert_uint_eq(k < pr.nb_out, !nagle);
	if (!nagle)
		return;
	/* Its ACK lets the second answer go. */
	cli_send_at(&c, F_ACK, seq0 + 2 * len, ack0 + r1, NULL, 0);
	ck_assert_uint_eq(pr.nb_out, 1);
	ck_assert_uint_eq(pr.out[0].len, r1);
	ck_assert_uint_eq(pr.out[0].seq, ack0 + r1);
}
END_TEST

/* Data the receiver holds already (its ACK was lost) draws an ACK every
 * time, whatever the per-connection limit: without one the sender never
 * learns, and resends until it gives up.
 */
START_TEST(test_old_data_always_acked)
{
	uint32_t len = strlen(GET_ROOT), seq0, k;
	struct cli c;

	start();
	cli_init(&c, &pr, 40000, 1000);
	cli_connect(&c);
	seq0 = c.seq;
	cli_str(&c, F_ACK | F_PSH, GET_ROOT);
	assert_rx(&c, 0, R_ROOT, FP_HTTP_V_KEEP);
	for (k = 0; k < 5; k++) {
		cli_send_at(&c, F_ACK | F_PSH, seq0, c.ack, GET_ROOT, len);
		ck_assert_uint_eq(pr.nb_out, 1);
		ck_assert_uint_eq(pr.out[0].len, 0);
		ck_assert_uint_eq(pr.out[0].ack, seq0 + len);
		/* SND.MAX, not SND.NXT: the answer's bytes are counted in. */
		ck_assert_uint_eq(pr.out[0].seq, cli_conn(&c)->snd_max);
	}
	ck_assert_uint_eq(st.drop[FP_DROP_tcp_ack_ratelimited], 0);
	ck_assert_uint_eq(st.drop[FP_DROP_tcp_out_of_window], 5);
	/* A byte-less segment below the window is still limited. */
	cli_send_at(&c, F_ACK, seq0 - 100, c.ack, NULL, 0);
	cli_send_at(&c, F_ACK, seq0 - 100, c.ack, NULL, 0);
	ck_assert_uint_eq(st.drop[FP_DROP_tcp_ack_ratelimited], 1);
}
END_TEST

/* A flood of unacceptable segments on one connection (out of the window,
 * in-window RSTs, SYNs) draws one ACK per invalid_ratelimit_ms, whatever
 * the worker's budget.
 */
START_TEST(test_bad_segment_ratelimit)
{
	uint32_t k, acks = 0;
	struct cli c;

	start();
	ck_assert_uint_eq(prm.invalid_ratelimit_ms, 500);
	cli_init(&c, &pr, 40000, 1000);
	cli_connect(&c);
	for (k = 0; k < 300; k++) {
		switch (k % 3) {
		case 0:	/* beyond the window */
			cli_send_at(&c, F_ACK, c.seq + 2 * prm.rcv_wnd, c.ack, "x", 1);
			break;
		case 1:	/* RST in the window, not at RCV.NXT */
			cli_send_at(&c, F_RST | F_ACK, c.seq + 5, c.ack, NULL, 0);
			break;
		default:	/* SYN in a synchronized state */
			cli_send_at(&c, F_SYN, c.seq + 7, 0, NULL, 0);
			break;
		}
		acks += pr.nb_out;
		if (k % 100 == 99)
			fp_peer_advance(&pr, 250);
	}
	/* 0, 500 ms: two ACKs in the 750 ms the flood took. */
	ck_assert_uint_eq(acks, 2);
	ck_assert_uint_eq(st.drop[FP_DROP_tcp_ack_ratelimited], 298);
	cli_assert_state(&c, FP_TCP_ESTABLISHED);
	cli_str(&c, F_ACK | F_PSH, GET_ROOT);
	assert_rx(&c, 0, R_ROOT, FP_HTTP_V_KEEP);
}
END_TEST

/* Retransmission (RFC 6298). */

START_TEST(test_retransmit_backoff)
{
	uint32_t rto = 900, len, when, k;
	static uint8_t first[FP_TEST_ROOM];
	struct fp_tcb *tcb;
	struct cli c;

	prm.retries = 3;
	start();
	cli_init(&c, &pr, 40000, 1000);
	/* RTT 300 ms: SRTT 300, RTTVAR 150, RTO = 300 + 4 * 150. */
	cli_connect_rtt(&c, 300);
	tcb = cli_conn(&c);
	ck_assert_uint_eq(tcb->rto, rto);
	cli_str(&c, F_ACK | F_PSH, GET_ROOT);
	ck_assert_uint_eq(pr.nb_out, 1);
	len = pr.out[0].len;
	memcpy(first, pr.out[0].data, len);
	ck_assert_uint_eq(tcb->t_rexmit, t.now_ms + rto);
	/* The clock turns a second: the head, written again for each
	 * retransmission, keeps the Date it was first sent with.
	 */
	ck_assert_ptr_nonnull(memmem(first, len, hw.date, FP_HTTP_DATE_LEN));
	hw.date_sec++;
	fp_http_date(hw.date_sec, hw.date);
	ck_assert_ptr_null(memmem(first, len, hw.date, FP_HTTP_DATE_LEN));
	for (k = 1; k <= prm.retries; k++) {
		fp_peer_advance(&pr, rto - 1);
		fp_peer_assert_silent(&pr);
		fp_peer_advance(&pr, 1);
		ck_assert_uint_eq(pr.nb_out, 1);
		ck_assert_uint_eq(pr.out[0].seq, c.iss + 1);
		ck_assert_uint_eq(pr.out[0].len, len);
		ck_assert_uint_eq(pr.out[0].flags, F_ACK | F_PSH);
		ck_assert_mem_eq(pr.out[0].data, first, len);
		ck_assert_uint_eq(st.c[FP_C_tcp_retransmits], k);
		ck_assert_uint_eq(st.c[FP_C_tcp_timeouts], k);
		rto *= 2;
		ck_assert_uint_eq(tcb->rto, rto);
		ck_assert_uint_eq(tcb->t_rexmit, t.now_ms + rto);
	}
	when = t.now_ms + rto;
	fp_peer_advance(&pr, rto - 1);
	fp_peer_assert_silent(&pr);
	fp_peer_advance(&pr, 1);
	ck_assert_uint_eq(t.now_ms, when);
	ck_assert_uint_eq(pr.nb_out, 1);
	ck_assert_uint_eq(pr.out[0].flags, F_RST);
	ck_assert_uint_eq(pr.out[0].seq, c.iss + 1 + len);
	ck_assert_uint_eq(st.c[FP_C_tcp_aborts], 1);
	ck_assert_uint_eq(st.c[FP_C_tcp_timeouts], prm.retries);
	ck_assert_uint_eq(st.c[FP_C_tcp_resets_sent], 1);
	cli_assert_state(&c, FP_TCP_CLOSED);
	ck_assert_uint_eq(fp_tcp_nb_conns(&t), 0);
}
END_TEST

/* A client that shuts its window, asks for a file and falls silent: the
 * window probes go unanswered, and after [tcp] retries of them the
 * connection is reset (it was held for ever, and an attacker could fill
 * max_conns so).
 */
START_TEST(test_zero_window_silent)
{
	uint32_t i;
	struct cli c;

	prm.retries = 3;
	cfg.send_timeout_s = 3600;	/* TCP's limit, not HTTP's */
	start();
	cli_init(&c, &pr, 40000, 1000);
	cli_connect(&c);
	c.wnd = 0;
	cli_str(&c, F_ACK | F_PSH, GET_BIG);
	for (i = 0; i < 600 && fp_tcp_nb_conns(&t) != 0; i++)
		fp_peer_advance(&pr, 1000);
	ck_assert_uint_eq(fp_tcp_nb_conns(&t), 0);
	ck_assert_uint_eq(st.c[FP_C_tcp_window_probes], prm.retries);
	ck_assert_uint_eq(st.c[FP_C_tcp_probe_timeouts], 1);
	ck_assert_uint_eq(st.c[FP_C_tcp_resets_sent], 1);
	ck_assert_uint_eq(st.c[FP_C_http_send_timeouts], 0);
	ck_assert_uint_eq(c.rx_len, 0);
	ck_assert_int_eq(st.g[FP_G_http_contexts], 0);
}
END_TEST

/* The same client answering every probe, its window still shut: TCP must
 * keep the connection (RFC 1122 4.2.2.17), and HTTP resets it once no
 * byte was taken for send_timeout_s.
 */
START_TEST(test_zero_window_answered)
{
	uint32_t i, probes = 0, reset_at = 0;
	struct cli c;

	prm.retries = 3;
	cfg.send_timeout_s = 30;
	start();
	cli_init(&c, &pr, 40000, 1000);
	cli_connect(&c);
	c.wnd = 0;
	cli_str(&c, F_ACK | F_PSH, GET_BIG);
	for (i = 1; i <= 600 && fp_tcp_nb_conns(&t) != 0; i++) {
		fp_peer_advance(&pr, 100);
		if (pr.nb_out != 0 && pr.out[pr.nb_out - 1].flags == F_RST) {
			reset_at = i * 100;
			break;
		}
		if (pr.nb_out != 0) {
			probes++;
			cli_send(&c, F_ACK, NULL, 0);
		}
	}
	ck_assert_uint_eq(fp_tcp_nb_conns(&t), 0);
	ck_assert_uint_gt(probes, prm.retries);
	ck_assert_uint_eq(st.c[FP_C_tcp_probe_timeouts], 0);
	ck_assert_uint_eq(st.c[FP_C_http_send_timeouts], 1);
	ck_assert_uint_ge(reset_at, cfg.send_timeout_s * 1000);
	ck_assert_uint_le(reset_at, cfg.send_timeout_s * 1000 + 1000);
	ck_assert_uint_eq(c.rx_len, 0);
}
END_TEST

/* RFC 7323: an echoed timestamp from the future, or older than any RTT,
 * gives no RTT sample (the future one overflowed the estimator, the old
 * one pushed the RTO to its maximum).
 */
START_TEST(test_ts_echo_bogus)
{
	uint32_t rto, srtt, echo[2], k;
	struct fp_tcb *tcb;
	struct cli c;

	start();
	fp_peer_advance(&pr, 700000);
	cli_init(&c, &pr, 40000, 1000);
	cli_connect(&c);
	tcb = cli_conn(&c);
	echo[0] = t.now_ms + 1000;
	echo[1] = t.now_ms - 650000;
	for (k = 0; k < 2; k++) {
		rto = tcb->rto;
		srtt = tcb->srtt;
		cli_str(&c, F_ACK | F_PSH, GET_ROOT);
		ck_assert_uint_eq(pr.nb_out, 1);
		fp_peer_advance(&pr, 5);
		c.tsecr = echo[k];
		cli_send(&c, F_ACK, NULL, 0);
		ck_assert_uint_eq(tcb->snd_una, tcb->snd_max);
		ck_assert_uint_eq(st.c[FP_C_tcp_ts_echo_ignored], k + 1);
		ck_assert_uint_eq(tcb->rto, rto);
		ck_assert_uint_eq(tcb->srtt, srtt);
	}
	/* A true echo still counts. */
	cli_str(&c, F_ACK | F_PSH, GET_ROOT);
	fp_peer_advance(&pr, 300);
	cli_send(&c, F_ACK, NULL, 0);
	ck_assert_uint_eq(st.c[FP_C_tcp_ts_echo_ignored], 2);
	ck_assert_uint_ne(tcb->srtt, srtt);
}
END_TEST

/* A request refused with 404 whose body (read and thrown away, as the
 * connection stays open) stops halfway: the body must keep coming like any
 * body, and the connection closes body_timeout_s after its last byte (it
 * waited for the keep-alive timeout, 75 s).
 */
START_TEST(test_discarded_body_stalls)
{
	static const char req[] = "GET /nope HTTP/1.1\r\nHost: t\r\nContent-Length: 1000\r\n\r\n";
	char body[100];
	uint32_t i, fin_at = 0;
	struct cli c;

	start();
	ck_assert_uint_eq(srv->body_ms, 30000);
	ck_assert_uint_eq(hw.keepalive_ms, 75000);
	cli_init(&c, &pr, 40000, 1000);
	cli_connect(&c);
	memset(body, 'b', sizeof(body));
	cli_str(&c, F_ACK | F_PSH, req);
	ck_assert_uint_eq(st.c[FP_C_http_404], 1);
	ck_assert_uint_gt(c.rx_len, 0);
	cli_send(&c, F_ACK | F_PSH, body, sizeof(body));
	ck_assert_uint_eq(st.c[FP_C_http_body_bytes_discarded], 100);
	for (i = 1; i <= 80 && fin_at == 0; i++) {
		fp_peer_advance(&pr, 1000);
		if (pr.nb_out != 0 && (pr.out[pr.nb_out - 1].flags & F_FIN))
			fin_at = i;
		else if (pr.nb_out != 0)
			cli_send(&c, F_ACK, NULL, 0);
	}
	ck_assert_uint_ge(fin_at, 30);
	ck_assert_uint_le(fin_at, 31);
	ck_assert_uint_eq(st.c[FP_C_http_body_stalled], 1);
	ck_assert_uint_eq(st.c[FP_C_http_idle_closed], 0);
	ck_assert(cli_conn(&c) == NULL || cli_conn(&c)->state != FP_TCP_ESTABLISHED);
}
END_TEST

/* Response and FIN unacknowledged: the timeout sends both again. */
START_TEST(test_retransmit_fin)
{
	struct fp_tcb *tcb;
	struct fp_peer_seg first;
	struct cli c;

	start();
	cli_init(&c, &pr, 40000, 1000);
	cli_connect(&c);
	cli_str(&c, F_ACK | F_PSH, GET_CLOSE);
	ck_assert_uint_eq(pr.nb_out, 1);
	first = pr.out[0];
	ck_assert_uint_eq(first.flags, F_ACK | F_PSH | F_FIN);
	tcb = cli_conn(&c);
	fp_peer_advance(&pr, tcb->rto);
	ck_assert_uint_eq(pr.nb_out, 1);
	ck_assert_uint_eq(pr.out[0].flags, F_ACK | F_PSH | F_FIN);
	ck_assert_uint_eq(pr.out[0].seq, first.seq);
	ck_assert_uint_eq(pr.out[0].len, first.len);
	ck_assert_mem_eq(pr.out[0].data, first.data, first.len);
	ck_assert_uint_eq(st.c[FP_C_tcp_retransmits], 1);
	cli_assert_state(&c, FP_TCP_FIN_WAIT_1);
	ck_assert_uint_eq(tcb->snd_max, first.seq + first.len + 1);
	cli_send(&c, F_ACK, NULL, 0);
	fp_peer_assert_silent(&pr);
	cli_assert_state(&c, FP_TCP_FIN_WAIT_2);
	ck_assert_uint_eq(tcb->t_rexmit, 0);
}
END_TEST

/* Three duplicate ACKs resend the segment they ask for (RFC 5681 3.2,
 * RFC 6582). _i: bit 0 copies instead of chaining, bit 1 loses the second
 * segment instead of the first.
 */
START_TEST(test_fast_retransmit)
{
	static uint8_t lost_data[FP_TEST_ROOM];
	uint32_t lost = (_i & 2) ? 1 : 0, ack, lost_len, total;
	struct fp_tcb *tcb;
	unsigned int k, nseg;
	struct cli c;

	ifc.tx_multi_seg = (_i & 1) == 0;
	start();
	cli_init(&c, &pr, 40000, 1000);
	cli_connect(&c);
	total = resp_len(R_BIG, FP_HTTP_V_KEEP);
	cli_str(&c, F_ACK | F_PSH, GET_BIG);
	nseg = pr.nb_out;
	ck_assert_uint_eq(nseg, 4);
	ack = pr.out[lost].seq;
	lost_len = pr.out[lost].len;
	memcpy(lost_data, pr.out[lost].data, lost_len);
	if (lost == 1) {
		cli_send_at(&c, F_ACK, c.seq, ack, NULL, 0);
		fp_peer_assert_silent(&pr);
	}
	for (k = 1; k <= 3; k++) {
		c.tsval++;
		cli_send_at(&c, F_ACK, c.seq, ack, NULL, 0);
		if (k < 3) {
			fp_peer_assert_silent(&pr);
			continue;
		}
		ck_assert_msg(pr.nb_out == 1, "3 duplicate ACKs for %u (ISS + %u): %u segments "
			"out, fast_retransmits %" PRIu64, ack, ack - c.iss, pr.nb_out,
			st.c[FP_C_tcp_fast_retransmits]);
		ck_assert_uint_eq(pr.out[0].seq, ack);
		ck_assert_uint_eq(pr.out[0].len, lost_len);
		ck_assert_mem_eq(pr.out[0].data, lost_data, lost_len);
	}
	ck_assert_uint_eq(st.c[FP_C_tcp_fast_retransmits], 1);
	ck_assert_uint_eq(st.c[FP_C_tcp_retransmits], 1);
	ck_assert_uint_eq(st.c[FP_C_tcp_timeouts], 0);
	tcb = cli_conn(&c);
	ck_assert_uint_eq(tcb->flags & FP_TCB_RECOVERY, FP_TCB_RECOVERY);
	/* Everything acknowledged: out of recovery, nothing more to send. */
	cli_send_at(&c, F_ACK, c.seq, c.iss + 1 + total, NULL, 0);
	fp_peer_assert_silent(&pr);
	ck_assert_uint_eq(tcb->flags & FP_TCB_RECOVERY, 0);
	ck_assert_uint_eq(tcb->snd_una, tcb->snd_max);
	ck_assert_uint_eq(tcb->t_rexmit, 0);
}
END_TEST

/* RFC 8985 7.4: the last segment of a response is not acknowledged, and
 * the probe is that segment again. An ACK beyond it without a D-SACK means
 * the probe repaired a loss, and the window is reduced; with a D-SACK for
 * it, the original had arrived (its ACK was late or lost): the window
 * stays, and the reordering window widens (6.2). An ACK of the probe's end
 * alone decides nothing: a receiver's delayed ACK of the original comes
 * so, before the copy's D-SACK.
 */
START_TEST(test_tlp_response)
{
	/* 0: the original's ACK, then the copy's D-SACK; 1: the D-SACK at
	 * once; 2: no D-SACK, then an ACK beyond the probe.
	 */
	bool dsack = _i == 1;
	uint32_t last, end, blk[1][2], cwnd;
	struct fp_tcb *tcb;
	struct cli c;

	start();
	cli_init(&c, &pr, 40000, 1000);
	c.sack = true;
	cli_connect_rtt(&c, 10);
	cli_str(&c, F_ACK | F_PSH, GET_BIG);
	ck_assert_uint_eq(pr.nb_out, 4);
	last = pr.out[3].seq;
	end = last + pr.out[3].len;
	tcb = cli_conn(&c);
	ck_assert(tcb->flags & FP_TCB_SACK);
	/* All but the last: the probe timeout is armed for it. */
	c.tsval++;
	cli_send_at(&c, F_ACK, c.seq, last, NULL, 0);
	fp_peer_assert_silent(&pr);
	cwnd = tcb->cwnd;
	ck_assert_uint_gt(tcb->ssthresh, cwnd);
	fp_peer_advance(&pr, tcb->rto);
	ck_assert_uint_eq(st.c[FP_C_tcp_tlp_probes], 1);
	ck_assert_uint_eq(st.c[FP_C_tcp_timeouts], 0);
	ck_assert_uint_eq(pr.nb_out, 1);
	ck_assert_uint_eq(pr.out[0].seq, last);
	ck_assert_uint_eq(pr.out[0].len, end - last);
	blk[0][0] = last;
	blk[0][1] = end;
	c.tsval++;
	if (!dsack) {
		/* The ACK of the probe's end alone: the original's, maybe,
		 * its copy's D-SACK to come. The episode waits.
		 */
		cli_ack_sack(&c, end, blk, 0);
		ck_assert_uint_ne(tcb->tlp_end, 0);
		ck_assert_uint_eq(st.c[FP_C_tcp_tlp_recoveries], 0);
		c.tsval++;
		if (_i == 0) {
			/* The D-SACK on a duplicate ACK: no loss. */
			cli_ack_sack(&c, end, blk, 1);
			ck_assert_uint_eq(tcb->tlp_end, 0);
			ck_assert_uint_eq(st.c[FP_C_tcp_tlp_recoveries], 0);
			ck_assert_uint_gt(tcb->ssthresh, cwnd);
		} else {
			/* None, and an ACK beyond the probe: it repaired a
			 * loss, and the window goes down.
			 */
			cli_str(&c, F_ACK | F_PSH, GET_BIG);
			ck_assert_uint_gt(pr.nb_out, 0);
			c.tsval++;
			cli_send_at(&c, F_ACK, c.seq, pr.out[0].seq + pr.out[0].len, NULL, 0);
			ck_assert_uint_eq(tcb->tlp_end, 0);
			ck_assert_uint_eq(st.c[FP_C_tcp_tlp_recoveries], 1);
			ck_assert_uint_le(tcb->ssthresh, cwnd);
			ck_assert_uint_le(tcb->cwnd, tcb->ssthresh);
		}
		ck_assert_uint_eq(st.c[FP_C_tcp_retransmits], 1);
		return;
	}
	cli_ack_sack(&c, end, blk, 1);
	ck_assert_uint_eq(tcb->tlp_end, 0);
	ck_assert_uint_eq(st.c[FP_C_tcp_tlp_recoveries], 0);
	ck_assert_uint_eq(st.c[FP_C_tcp_dsacks], 1);
	if (dsack) {
		unsigned int k;

		ck_assert_uint_gt(tcb->ssthresh, cwnd);
		/* RFC 8985 6.2: the D-SACK widened the reordering window, for
		 * the next 16 recoveries; more widen it up to 4 times.
		 */
		ck_assert_uint_eq(tcb->reo & FP_REO_MULT, 1);
		ck_assert_uint_eq(tcb->reo >> FP_REO_PERSIST_SHIFT, FP_REO_PERSIST);
		for (k = 0; k < 4; k++) {
			c.tsval++;
			cli_ack_sack(&c, end, blk, 1);
		}
		ck_assert_uint_eq(st.c[FP_C_tcp_dsacks], 5);
		ck_assert_uint_eq(tcb->reo & FP_REO_MULT, FP_REO_MULT);
		for (k = 0; k < FP_REO_PERSIST - 1; k++)
			fp_tcp_reo_recovered(tcb);
		ck_assert_uint_eq(tcb->reo & FP_REO_MULT, FP_REO_MULT);
		fp_tcp_reo_recovered(tcb);
		ck_assert_uint_eq(tcb->reo, 0);
	} else {
		ck_assert_uint_le(tcb->ssthresh, cwnd);
		ck_assert_uint_le(tcb->cwnd, tcb->ssthresh);
	}
	ck_assert_uint_eq(st.c[FP_C_tcp_retransmits], 1);
}
END_TEST

/* Closed ports and segments for no connection (RFC 9293 3.10.7.1). */

START_TEST(test_closed_port)
{
	static const char data[] = "abcde";
	struct fp_peer_spec sp;

	start();
	/* No ACK: <SEQ=0><ACK=SEG.SEQ+SEG.LEN><CTL=RST,ACK>. */
	fp_peer_spec_init(&sp, 40000, CLOSED_PORT, F_SYN, 5000, 0);
	fp_peer_xmit(&pr, &sp);
	ck_assert_uint_eq(pr.nb_out, 1);
	ck_assert_uint_eq(pr.out[0].flags, F_RST | F_ACK);
	ck_assert_uint_eq(pr.out[0].seq, 0);
	ck_assert_uint_eq(pr.out[0].ack, 5001);
	ck_assert_uint_eq(pr.out[0].wnd, 0);
	ck_assert_uint_eq(pr.out[0].len, 0);
	ck_assert_uint_eq(pr.out[0].dport, 40000);
	ck_assert_uint_eq(pr.out[0].dst, FP_TEST_PEER_IP);
	fp_peer_spec_init(&sp, 40000, CLOSED_PORT, F_PSH | F_FIN, 7000, 0);
	sp.data = data;
	sp.len = 5;
	fp_peer_xmit(&pr, &sp);
	ck_assert_uint_eq(pr.nb_out, 1);
	ck_assert_uint_eq(pr.out[0].flags, F_RST | F_ACK);
	ck_assert_uint_eq(pr.out[0].seq, 0);
	ck_assert_uint_eq(pr.out[0].ack, 7006);
	/* ACK set: <SEQ=SEG.ACK><CTL=RST>. */
	fp_peer_spec_init(&sp, 40000, CLOSED_PORT, F_ACK | F_PSH, 9000, 0xdeadbeef);
	sp.data = data;
	sp.len = 5;
	fp_peer_xmit(&pr, &sp);
	ck_assert_uint_eq(pr.nb_out, 1);
	ck_assert_uint_eq(pr.out[0].flags, F_RST);
	ck_assert_uint_eq(pr.out[0].seq, 0xdeadbeef);
	ck_assert_uint_eq(st.drop[FP_DROP_tcp_no_listener], 3);
	ck_assert_uint_eq(st.c[FP_C_tcp_resets_sent], 3);
	/* "An incoming segment containing a RST is discarded." */
	fp_peer_spec_init(&sp, 40000, CLOSED_PORT, F_RST, 1, 0);
	fp_peer_xmit(&pr, &sp);
	fp_peer_assert_silent(&pr);
	fp_peer_spec_init(&sp, 40000, CLOSED_PORT, F_RST | F_ACK, 1, 2);
	fp_peer_xmit(&pr, &sp);
	fp_peer_assert_silent(&pr);
	ck_assert_uint_eq(st.drop[FP_DROP_tcp_no_conn], 2);
	ck_assert_uint_eq(st.c[FP_C_tcp_resets_sent], 3);
	ck_assert_uint_eq(fp_tcp_nb_conns(&t), 0);
}
END_TEST

/* The listening port, no connection: an ACK gets a RST, a RST nothing. */
START_TEST(test_listen_no_conn)
{
	struct fp_peer_spec sp;

	start();
	fp_peer_spec_init(&sp, 40000, TCP_PORT, F_ACK, 100, 12345);
	fp_peer_xmit(&pr, &sp);
	ck_assert_uint_eq(pr.nb_out, 1);
	ck_assert_uint_eq(pr.out[0].flags, F_RST);
	ck_assert_uint_eq(pr.out[0].seq, 12345);
	ck_assert_uint_eq(st.drop[FP_DROP_tcp_no_conn], 1);
	fp_peer_spec_init(&sp, 40000, TCP_PORT, F_FIN, 100, 0);
	fp_peer_xmit(&pr, &sp);
	ck_assert_uint_eq(pr.nb_out, 1);
	ck_assert_uint_eq(pr.out[0].flags, F_RST | F_ACK);
	ck_assert_uint_eq(pr.out[0].ack, 101);
	fp_peer_spec_init(&sp, 40000, TCP_PORT, F_RST | F_ACK, 100, 12345);
	fp_peer_xmit(&pr, &sp);
	fp_peer_assert_silent(&pr);
	ck_assert_uint_eq(st.drop[FP_DROP_tcp_no_conn], 3);
	ck_assert_uint_eq(fp_tcp_nb_conns(&t), 0);
}
END_TEST

/* Sequence numbers across 2^32. */

START_TEST(test_seq_helpers)
{
	ck_assert(fp_seq_lt(0xffffffff, 0));
	ck_assert(fp_seq_lt(0xfffffff0, 0x10));
	ck_assert(!fp_seq_lt(0, 0xffffffff));
	ck_assert(!fp_seq_lt(5, 5));
	ck_assert(fp_seq_le(5, 5));
	ck_assert(fp_seq_le(0xffffffff, 0));
	ck_assert(!fp_seq_le(0, 0xffffffff));
	ck_assert(fp_seq_gt(0, 0xffffffff));
	ck_assert(fp_seq_gt(0x10, 0xfffffff0));
	ck_assert(!fp_seq_gt(0xffffffff, 0));
	ck_assert(!fp_seq_gt(5, 5));
	ck_assert(fp_seq_ge(5, 5));
	ck_assert(fp_seq_ge(0, 0xffffffff));
	ck_assert(!fp_seq_ge(0xffffffff, 0));
	/* Just under half the space either way. */
	ck_assert(fp_seq_lt(0xc0000000, 0x3fffffff));
	ck_assert(fp_seq_gt(0x3fffffff, 0xc0000000));
	ck_assert(fp_seq_lt(1, 0x80000000));
	ck_assert(fp_seq_gt(0x80000000, 1));
	ck_assert(fp_seq_lt(0x7fffffff, 0xfffffffe));
}
END_TEST

/* RFC 7323 5.3 (PAWS): an older timestamp makes a segment unacceptable. */
START_TEST(test_paws)
{
	struct cli c;

	start();
	cli_init(&c, &pr, 40000, 1000);
	cli_connect(&c);
	c.tsval = 2000;
	cli_str(&c, F_ACK | F_PSH, GET_ROOT);
	ck_assert_uint_eq(pr.nb_out, 1);
	ck_assert_uint_eq(pr.out[0].tsecr, 2000);
	c.tsval = 1500;
	cli_send_at(&c, F_ACK | F_PSH, c.seq, c.ack, GET_ROOT, strlen(GET_ROOT));
	ck_assert_uint_eq(pr.nb_out, 1);
	ck_assert_uint_eq(pr.out[0].flags, F_ACK);
	ck_assert_uint_eq(pr.out[0].len, 0);
	ck_assert_uint_eq(pr.out[0].ack, c.seq);
	ck_assert_uint_eq(pr.out[0].tsecr, 2000);
	ck_assert_uint_eq(st.drop[FP_DROP_tcp_paws], 1);
	ck_assert_uint_eq(st.c[FP_C_http_requests], 1);
	ck_assert_uint_eq(cli_conn(&c)->rcv_nxt, c.seq);
}
END_TEST

/* The client's sequence numbers wrap inside its requests. */
START_TEST(test_wrap_client)
{
	uint32_t len = strlen(GET_ROOT), n;
	struct cli c;

	start();
	cli_init(&c, &pr, 40000, 0xfffffff0);
	cli_connect(&c);
	ck_assert_uint_eq(c.seq, 0xfffffff1);
	/* 15 bytes end exactly at 2^32; the rest starts at 0. */
	cli_send(&c, F_ACK | F_PSH, GET_ROOT, 15);
	fp_peer_assert_silent(&pr);
	ck_assert_uint_eq(c.seq, 0);
	ck_assert_uint_eq(cli_conn(&c)->rcv_nxt, 0);
	cli_send(&c, F_ACK | F_PSH, GET_ROOT + 15, len - 15);
	ck_assert_uint_eq(pr.nb_out, 1);
	ck_assert_uint_eq(pr.out[0].ack, (uint32_t)(0xfffffff1 + len));
	ck_assert_uint_eq(pr.out[0].ack, len - 15);
	assert_rx(&c, 0, R_ROOT, FP_HTTP_V_KEEP);
	n = c.rx_len;
	/* A segment straddling 0 in one piece. */
	cli_init(&c, &pr, 40001, 0xffffffe0);
	cli_connect(&c);
	cli_str(&c, F_ACK | F_PSH, GET_ROOT);
	ck_assert_uint_eq(pr.nb_out, 1);
	ck_assert_uint_eq(pr.out[0].ack, (uint32_t)(0xffffffe1 + len));
	ck_assert_uint_eq(pr.out[0].len, n);
	/* Out of window just below RCV.NXT across the wrap: ignored. */
	cli_send_at(&c, F_RST, c.seq - 2 * len, 0, NULL, 0);
	fp_peer_assert_silent(&pr);
	cli_str(&c, F_ACK | F_PSH, GET_B);
	ck_assert_uint_eq(pr.nb_out, 1);
	ck_assert_uint_eq(pr.out[0].ack, c.seq);
	cli_send(&c, F_ACK | F_FIN, NULL, 0);
	ck_assert_uint_eq(pr.nb_out, 1);
	ck_assert_uint_eq(pr.out[0].flags, F_ACK | F_FIN);
	ck_assert_uint_eq(pr.out[0].ack, c.seq);
	cli_send(&c, F_ACK, NULL, 0);
	fp_peer_assert_silent(&pr);
	cli_assert_state(&c, FP_TCP_CLOSED);
}
END_TEST

/* Our sequence numbers wrap inside a response: ISS set to 2^32 - 256 by
 * moving the 4 us clock.
 */
START_TEST(test_wrap_server)
{
	uint64_t div = RTE_MAX(rte_get_tsc_hz() / 250000, (uint64_t)1);
	uint32_t f, total, i, end[4];
	struct fp_tcb *tcb;
	struct cli c;

	start();
	t.now_tsc = 0;
	f = fp_tcp_isn(&t, FP_TEST_PEER_IP, RTE_BE16(40000), RTE_BE16(TCP_PORT));
	t.now_tsc = (uint64_t)(uint32_t)(0xffffff00u - f) * div;
	cli_init(&c, &pr, 40000, 0x7fffffff);
	cli_connect(&c);
	ck_assert_uint_eq(c.iss, 0xffffff00);
	total = resp_len(R_BIG, FP_HTTP_V_KEEP);
	cli_str(&c, F_ACK | F_PSH, GET_BIG);
	ck_assert_uint_eq(pr.nb_out, 4);
	assert_rx(&c, 0, R_BIG, FP_HTTP_V_KEEP);
	ck_assert_uint_eq(c.ack, (uint32_t)(0xffffff01 + total));
	tcb = cli_conn(&c);
	for (i = 0; i < 4; i++)
		end[i] = pr.out[i].seq + pr.out[i].len;
	ck_assert_uint_lt(end[0], 0x1000);
	/* Acknowledged one segment at a time, across 0. */
	for (i = 0; i < 4; i++) {
		cli_send_at(&c, F_ACK, c.seq, end[i], NULL, 0);
		fp_peer_assert_silent(&pr);
		ck_assert_uint_eq(tcb->snd_una, end[i]);
	}
	ck_assert_uint_eq(tcb->snd_una, tcb->snd_max);
	ck_assert_uint_eq(tcb->sq_bytes, 0);
	ck_assert_uint_eq(tcb->t_rexmit, 0);
	ck_assert_uint_eq(st.c[FP_C_tcp_retransmits], 0);
	/* And the next response starts past 0. */
	cli_str(&c, F_ACK | F_PSH, GET_ROOT);
	ck_assert_uint_eq(pr.nb_out, 1);
	ck_assert_uint_eq(pr.out[0].seq, (uint32_t)(0xffffff01 + total));
	ck_assert_uint_lt(pr.out[0].seq, 0x2000);
	assert_rx(&c, total, R_ROOT, FP_HTTP_V_KEEP);
	ck_assert_uint_eq(drops_total(), 0);
}
END_TEST

/* Zero window: no data, probes on the timer, data once it opens. */
START_TEST(test_zero_window)
{
	struct fp_tcb *tcb;
	uint32_t rto;
	struct cli c;

	start();
	cli_init(&c, &pr, 40000, 1000);
	c.wnd = 0;
	cli_connect(&c);
	tcb = cli_conn(&c);
	ck_assert_uint_eq(tcb->snd_wnd, 0);
	rto = tcb->rto;
	cli_str(&c, F_ACK | F_PSH, GET_ROOT);
	fp_peer_assert_silent(&pr);
	ck_assert_uint_eq(tcb->sq_bytes, resp_len(R_ROOT, FP_HTTP_V_KEEP));
	ck_assert_uint_eq(tcb->snd_nxt, tcb->snd_una);
	fp_peer_advance(&pr, prm.delack_ms);
	ck_assert_uint_eq(pr.nb_out, 1);
	ck_assert_uint_eq(pr.out[0].flags, F_ACK);
	ck_assert_uint_eq(pr.out[0].len, 0);
	ck_assert_uint_eq(pr.out[0].ack, c.seq);
	fp_peer_advance(&pr, rto - prm.delack_ms - 1);
	fp_peer_assert_silent(&pr);
	fp_peer_advance(&pr, 1);
	ck_assert_uint_eq(pr.nb_out, 1);
	ck_assert_uint_eq(pr.out[0].flags, F_ACK);
	ck_assert_uint_eq(pr.out[0].len, 0);
	ck_assert_uint_eq(pr.out[0].seq, c.iss);
	ck_assert_uint_eq(st.c[FP_C_tcp_window_probes], 1);
	ck_assert_uint_eq(st.c[FP_C_tcp_retransmits], 0);
	/* The client answers the probe, window still shut. */
	cli_send(&c, F_ACK, NULL, 0);
	fp_peer_assert_silent(&pr);
	fp_peer_advance(&pr, 2 * rto - 1);
	fp_peer_assert_silent(&pr);
	fp_peer_advance(&pr, 1);
	ck_assert_uint_eq(pr.nb_out, 1);
	ck_assert_uint_eq(pr.out[0].seq, c.iss);
	ck_assert_uint_eq(pr.out[0].len, 0);
	ck_assert_uint_eq(st.c[FP_C_tcp_window_probes], 2);
	cli_assert_state(&c, FP_TCP_ESTABLISHED);
	/* It opens. */
	c.wnd = 65536;
	cli_send(&c, F_ACK, NULL, 0);
	ck_assert_uint_eq(pr.nb_out, 1);
	ck_assert_uint_eq(pr.out[0].seq, c.iss + 1);
	assert_rx(&c, 0, R_ROOT, FP_HTTP_V_KEEP);
	cli_send(&c, F_ACK, NULL, 0);
	fp_peer_assert_silent(&pr);
	ck_assert_uint_eq(tcb->sq_bytes, 0);
}
END_TEST

/* Malformed segments: counted, dropped, nothing sent. */

static const uint8_t opt_mss5[] = { 2, 5, 5, 0xb4, 0, 1, 1, 1 };
static const uint8_t opt_ts_cut[] = { 1, 1, 8, 10, 0, 0, 0, 0 };
static const uint8_t opt_len1[] = { 3, 1, 0, 0 };

static const struct {
	const char *name;
	uint8_t flags;
	int doff;
	int tot_adj;
	bool bad_csum;
	const uint8_t *opt;
	uint8_t optlen;
	enum fp_drop drop;
} malformed[] = {
	{ "bad checksum", F_SYN, -1, 0, true, NULL, 0, FP_DROP_tcp_bad_csum },
	{ "data offset 4", F_SYN, 4, 0, false, NULL, 0, FP_DROP_tcp_bad_offset },
	{ "data offset 0", F_ACK, 0, 0, false, NULL, 0, FP_DROP_tcp_bad_offset },
	{ "data offset past the end", F_SYN, 15, 0, false, NULL, 0, FP_DROP_tcp_bad_offset },
	{ "data offset 6 in 20 bytes", F_SYN, 6, 0, false, NULL, 0, FP_DROP_tcp_bad_offset },
	{ "SYN+FIN", F_SYN | F_FIN, -1, 0, false, NULL, 0, FP_DROP_tcp_bad_flags },
	{ "SYN+RST", F_SYN | F_RST, -1, 0, false, NULL, 0, FP_DROP_tcp_bad_flags },
	{ "no flags", 0, -1, 0, false, NULL, 0, FP_DROP_tcp_bad_flags },
	{ "truncated", F_SYN, -1, -10, false, NULL, 0, FP_DROP_tcp_truncated },
	{ "MSS length 5", F_SYN, -1, 0, false, opt_mss5, sizeof(opt_mss5),
		FP_DROP_tcp_bad_option },
	{ "timestamp cut", F_SYN, -1, 0, false, opt_ts_cut, sizeof(opt_ts_cut),
		FP_DROP_tcp_bad_option },
	{ "option length 1", F_SYN, -1, 0, false, opt_len1, sizeof(opt_len1),
		FP_DROP_tcp_bad_option },
};

START_TEST(test_malformed)
{
	struct fp_peer_spec sp;

	start();
	fp_peer_spec_init(&sp, 40000, TCP_PORT, malformed[_i].flags, 1000, 0);
	sp.doff = malformed[_i].doff;
	sp.tot_adj = malformed[_i].tot_adj;
	sp.bad_csum = malformed[_i].bad_csum;
	sp.opt = malformed[_i].opt;
	sp.optlen = malformed[_i].optlen;
	fp_peer_xmit(&pr, &sp);
	ck_assert_msg(pr.nb_out == 0, "%s: %u segments sent", malformed[_i].name, pr.nb_out);
	ck_assert_msg(st.drop[malformed[_i].drop] == 1, "%s: not counted as %s",
		malformed[_i].name, fp_drop_names[malformed[_i].drop]);
	ck_assert_uint_eq(drops_total(), 1);
	ck_assert_uint_eq(st.c[FP_C_tcp_segments_in], 0);
	ck_assert_uint_eq(fp_tcp_nb_conns(&t), 0);
}
END_TEST

/* A RST with a bad checksum does not touch a connection. */
START_TEST(test_malformed_on_conn)
{
	struct fp_peer_spec sp;
	struct cli c;

	start();
	cli_init(&c, &pr, 40000, 1000);
	cli_connect(&c);
	fp_peer_spec_init(&sp, 40000, TCP_PORT, F_RST | F_ACK, c.seq, c.ack);
	sp.bad_csum = true;
	fp_peer_xmit(&pr, &sp);
	fp_peer_assert_silent(&pr);
	ck_assert_uint_eq(st.drop[FP_DROP_tcp_bad_csum], 1);
	cli_assert_state(&c, FP_TCP_ESTABLISHED);
	fp_peer_spec_init(&sp, 40000, TCP_PORT, F_SYN | F_FIN, c.seq, 0);
	fp_peer_xmit(&pr, &sp);
	fp_peer_assert_silent(&pr);
	ck_assert_uint_eq(st.drop[FP_DROP_tcp_bad_flags], 1);
	cli_assert_state(&c, FP_TCP_ESTABLISHED);
	cli_str(&c, F_ACK | F_PSH, GET_ROOT);
	assert_rx(&c, 0, R_ROOT, FP_HTTP_V_KEEP);
}
END_TEST

/* Congestion control on its own: a fake clock and a tcb whose window is
 * acknowledged whole each RTT, one segment per ACK.
 */
#define CC_MSS 1448u
#define CC_RTT 100u	/* ms */

static struct fp_tcp_lcore cc_t;
static struct fp_tcb cc_tcb;
static struct fp_tcb_cold cc_cold;

/* One loss with w bytes in flight; returns the new ssthresh, with cwnd set
 * to it as recovery ends.
 */
static uint32_t
cc_loss(uint32_t w)
{
	cc_tcb.snd_una = 1000;
	cc_tcb.snd_max = 1000 + w;
	cc_tcb.cwnd = w;
	cc_tcb.ssthresh = fp_tcp_cc_loss(&cc_t, &cc_tcb);
	cc_tcb.cwnd = cc_tcb.ssthresh;
	return cc_tcb.ssthresh;
}

/* One RTT of congestion avoidance: the whole window acknowledged. */
static void
cc_rtt(void)
{
	uint32_t acked = 0;

	while (acked < cc_tcb.cwnd) {
		fp_tcp_cc_ack(&cc_t, &cc_tcb, CC_MSS);
		acked += CC_MSS;
	}
	cc_t.now_ms += CC_RTT;
}

static void
cc_setup(uint8_t cc)
{
	memset(&cc_t, 0, sizeof(cc_t));
	memset(&cc_tcb, 0, sizeof(cc_tcb));
	memset(&cc_cold, 0, sizeof(cc_cold));
	cc_t.tcbs = &cc_tcb;
	cc_t.cold = &cc_cold;
	cc_t.p.cc = cc;
	cc_t.now_ms = 1;
	cc_tcb.mss = CC_MSS;
	cc_tcb.srtt = CC_RTT << 3;
}

/* NewReno: half the flight, then one segment per RTT. */
START_TEST(test_cc_newreno)
{
	uint32_t w = 100 * CC_MSS, before;
	unsigned int i;

	cc_setup(FP_CC_newreno);
	ck_assert_uint_eq(cc_loss(w), w / 2);
	before = cc_tcb.cwnd;
	for (i = 0; i < 10; i++)
		cc_rtt();
	/* 10 RTTs: 10 segments more, give or take the rounding. */
	ck_assert_uint_ge(cc_tcb.cwnd, before + 9 * CC_MSS);
	ck_assert_uint_le(cc_tcb.cwnd, before + 11 * CC_MSS);
	/* A tiny window never leaves ssthresh below two segments. */
	ck_assert_uint_eq(cc_loss(CC_MSS), 2 * CC_MSS);
}
END_TEST

/* CUBIC (RFC 9438): 0.7 of the flight, a concave climb back to W_max that
 * arrives about K = cbrt(W_max (1 - beta) / C) later, a plateau there, then
 * a convex probe beyond; a loss below W_max lowers it (fast convergence).
 */
START_TEST(test_cc_cubic)
{
	uint32_t w = 1000 * CC_MSS, ssthresh, at_k, early, mid, t0;
	unsigned int i;

	cc_setup(FP_CC_cubic);
	ssthresh = cc_loss(w);
	ck_assert_uint_eq(ssthresh, w / 10 * 7);
	ck_assert_uint_eq(cc_cold.w_max, w);
	/* K = cbrt(1000 * 0.3 / 0.4) = cbrt(750) = 9.09 s. */
	t0 = cc_t.now_ms;
	cc_rtt();
	ck_assert_uint_ge(cc_cold.cubic_k, 9080);
	ck_assert_uint_le(cc_cold.cubic_k, 9100);
	/* Concave: the first seconds gain more than the ones before K. */
	while (cc_t.now_ms - t0 < 2000)
		cc_rtt();
	early = cc_tcb.cwnd - ssthresh;
	while (cc_t.now_ms - t0 < 6000)
		cc_rtt();
	mid = cc_tcb.cwnd;
	while (cc_t.now_ms - t0 < 8000)
		cc_rtt();
	ck_assert_uint_gt(early, cc_tcb.cwnd - mid);
	while (cc_t.now_ms - t0 < cc_cold.cubic_k)
		cc_rtt();
	at_k = cc_tcb.cwnd;
	/* Close to W_max at K (the target looks one RTT ahead). */
	ck_assert_uint_ge(at_k, w - w / 50);
	ck_assert_uint_le(at_k, w + w / 50);
	/* Convex beyond it: C (t - K)^3 segments more, 25.6 at 4 s, 400 at
	 * 10 s.
	 */
	for (i = 0; i < 40; i++)
		cc_rtt();
	ck_assert_uint_ge(cc_tcb.cwnd, w + 20 * CC_MSS);
	ck_assert_uint_le(cc_tcb.cwnd, w + 32 * CC_MSS);
	for (i = 0; i < 60; i++)
		cc_rtt();
	ck_assert_uint_ge(cc_tcb.cwnd, w + 380 * CC_MSS);
	ck_assert_uint_le(cc_tcb.cwnd, w + 440 * CC_MSS);
	/* A loss below W_max: W_max becomes 0.85 of that window. */
	cc_cold.w_max = 2 * w;
	cc_loss(w);
	ck_assert_uint_eq(cc_cold.w_max, w / 20 * 17);
	ck_assert_uint_eq(cc_cold.cubic_epoch, 0);
}
END_TEST

/* CUBIC where Reno would be faster (small windows, short RTTs): it grows
 * at least as fast as the Reno-friendly estimate, alpha = 9/17 segment per
 * RTT.
 */
START_TEST(test_cc_cubic_reno_friendly)
{
	uint32_t w = 20 * CC_MSS, before;
	unsigned int i;

	cc_setup(FP_CC_cubic);
	cc_tcb.srtt = 1 << 3;	/* 1 ms: the cubic curve barely moves */
	cc_loss(w);
	before = cc_tcb.cwnd;
	for (i = 0; i < 34; i++) {
		uint32_t acked = 0;

		while (acked < cc_tcb.cwnd) {
			fp_tcp_cc_ack(&cc_t, &cc_tcb, CC_MSS);
			acked += CC_MSS;
		}
		cc_t.now_ms += 1;
	}
	/* 34 RTTs at 9/17 segment: 18 segments. */
	ck_assert_uint_ge(cc_tcb.cwnd, before + 16 * CC_MSS);
}
END_TEST

Suite *
tcp_suite(void)
{
	Suite *s = suite_create("tcp");
	TCase *tc;

	tc = tcase_create("open");
	tcase_add_unchecked_fixture(tc, eal_up, eal_down);
	tcase_add_checked_fixture(tc, tcp_setup, tcp_teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_handshake);
	tcase_add_test(tc, test_isn);
	tcase_add_test(tc, test_siphash_vectors);
	tcase_add_test(tc, test_handshake_no_options);
	tcase_add_test(tc, test_small_mss);
	tcase_add_test(tc, test_tuning_keys);
	tcase_add_test(tc, test_synack_retransmit);
	tcase_add_test(tc, test_synrcvd_bad_ack);
	tcase_add_test(tc, test_syn_cookies);
	suite_add_tcase(s, tc);

	tc = tcase_create("data");
	tcase_add_unchecked_fixture(tc, eal_up, eal_down);
	tcase_add_checked_fixture(tc, tcp_setup, tcp_teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_get);
	tcase_add_test(tc, test_get_split);
	tcase_add_test(tc, test_pipelined);
	tcase_add_test(tc, test_file_fast);
	tcase_add_test(tc, test_ooo_overlaps);
	tcase_add_test(tc, test_sack_blocks);
	tcase_add_test(tc, test_sack_off);
	tcase_add_test(tc, test_ooo_renege);
	tcase_add_test(tc, test_lookup_unaligned);
	tcase_add_test(tc, test_file_hooked);
	tcase_add_test(tc, test_out_of_order);
	tcase_add_loop_test(tc, test_big_response, 0, 2);
	tcase_add_test(tc, test_zero_window);
	suite_add_tcase(s, tc);

	tc = tcase_create("close");
	tcase_add_unchecked_fixture(tc, eal_up, eal_down);
	tcase_add_checked_fixture(tc, tcp_setup, tcp_teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_client_fin);
	tcase_add_test(tc, test_client_fin_with_request);
	tcase_add_test(tc, test_server_close);
	tcase_add_test(tc, test_simultaneous_close);
	tcase_add_test(tc, test_time_wait_reuse);
	tcase_add_test(tc, test_time_wait_new_mac);
	tcase_add_test(tc, test_time_wait_evict);
	suite_add_tcase(s, tc);

	tc = tcase_create("rfc5961");
	tcase_add_unchecked_fixture(tc, eal_up, eal_down);
	tcase_add_checked_fixture(tc, tcp_setup, tcp_teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_rst_exact);
	tcase_add_test(tc, test_rst_in_window);
	tcase_add_test(tc, test_rst_out_of_window);
	tcase_add_test(tc, test_syn_established);
	tcase_add_test(tc, test_ack_unsent);
	tcase_add_test(tc, test_challenge_limit);
	tcase_add_test(tc, test_bad_segment_ratelimit);
	tcase_add_test(tc, test_old_data_always_acked);
	tcase_add_loop_test(tc, test_nagle, 0, 2);
	suite_add_tcase(s, tc);

	tc = tcase_create("retransmit");
	tcase_add_unchecked_fixture(tc, eal_up, eal_down);
	tcase_add_checked_fixture(tc, tcp_setup, tcp_teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_retransmit_backoff);
	tcase_add_test(tc, test_retransmit_fin);
	tcase_add_test(tc, test_zero_window_silent);
	tcase_add_test(tc, test_discarded_body_stalls);
	tcase_add_test(tc, test_zero_window_answered);
	tcase_add_test(tc, test_ts_echo_bogus);
	tcase_add_loop_test(tc, test_tlp_response, 0, 3);
	tcase_add_loop_test(tc, test_fast_retransmit, 0, 4);
	suite_add_tcase(s, tc);

	tc = tcase_create("edges");
	tcase_add_unchecked_fixture(tc, eal_up, eal_down);
	tcase_add_checked_fixture(tc, tcp_setup, tcp_teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_closed_port);
	tcase_add_test(tc, test_listen_no_conn);
	tcase_add_test(tc, test_seq_helpers);
	tcase_add_test(tc, test_paws);
	tcase_add_test(tc, test_wrap_client);
	tcase_add_test(tc, test_wrap_server);
	tcase_add_loop_test(tc, test_malformed, 0, RTE_DIM(malformed));
	tcase_add_test(tc, test_malformed_on_conn);
	tcase_add_test(tc, test_drain);
	tcase_add_test(tc, test_drain_request);
	tcase_add_test(tc, test_reset_all);
	tcase_add_test(tc, test_conns_snapshot);
	suite_add_tcase(s, tc);
	tc = tcase_create("cc");
	tcase_add_test(tc, test_cc_newreno);
	tcase_add_test(tc, test_cc_cubic);
	tcase_add_test(tc, test_cc_cubic_reno_friendly);
	suite_add_tcase(s, tc);
	return s;
}
