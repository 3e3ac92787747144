/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The fastpath authors
 */

/* fp-load: an HTTP/1.1 load generator on fastpath's own stack (DPDK port,
 * ARP, IPv4, TCP active opens, the response parser), so that a server can
 * be measured with a client that costs less than it does. Like wrk, with
 * wrk2's open loop; every response is checked.
 */

#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <arpa/inet.h>

#include <rte_cycles.h>
#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_ethdev.h>
#include <rte_lcore.h>
#include <rte_malloc.h>

#include "fp_app.h"
#include "fp_config.h"
#include "fp_hist.h"
#include "fp_http.h"
#include "fp_lcore.h"
#include "fp_load.h"
#include "fp_port.h"
#include "fp_stats.h"

#define PROG "fp-load"
/* Exit statuses: 2 usage or configuration, 1 start-up, 3 the run counted
 * errors (or did not end in time), 0 a clean run.
 */
#define EXIT_USAGE 2
#define EXIT_FAIL 1
#define EXIT_ERRORS 3

#define MAX_HEADERS 32
#define REQ_MAX 8192

struct opts {
	struct fp_load_params p;	/* totals; split between workers */
	char url[512];
	char host[300];
	char path[2048];
	const char *method;
	const char *headers[MAX_HEADERS];
	unsigned int nb_headers;
	const char *json;
	uint32_t link_ms;
	bool quiet;
};

static void
usage(FILE *f)
{
	fprintf(f,
		"Usage: " PROG " [EAL options] -- [options] http://ADDR[:PORT]/PATH\n"
		"\n"
		"An HTTP/1.1 load generator on fastpath's DPDK stack. ADDR is an IPv4\n"
		"address (no DNS); the server's MAC is found by ARP. Always pass --no-pci\n"
		"unless you name PCI devices with -a. Options after --:\n"
		"\n"
		"  -p, --profile NAME     port profile (drivers-cfg/NAME.ini or a file)\n"
		"      --config FILE      an INI file over it ([port] [ip] [mempool] [tcp] ...)\n"
		"      --ip ADDR/PREFIX   the client's address, overrides [ip] address\n"
		"      --gateway ADDR     next hop toward the server, overrides [ip] gateway\n"
		"      --port-id N        DPDK port, overrides [port] id\n"
		"  -c, --connections N    connections at once, all workers (default 64)\n"
		"  -d, --duration S       seconds of requests (default 10; decimals allowed)\n"
		"  -n, --requests N       stop after N requests (default: no bound but -d)\n"
		"  -P, --pipeline N       requests in flight per connection (default 1)\n"
		"      --close            one connection per request (Connection: close)\n"
		"  -R, --rate N           open loop: N requests/s in all, latency from when\n"
		"                         each was due (default: closed loop)\n"
		"  -m, --method M         GET (default) or HEAD\n"
		"  -H, --header 'N: V'    an extra request header line (repeatable)\n"
		"      --timeout MS       a response later than this is an error (2000)\n"
		"      --connect-timeout MS  ARP and SYN; also how long to wait for the\n"
		"                         port's link (3000)\n"
		"      --expect-status N  the status every response must have (any 2xx)\n"
		"      --expect-length N  the body length every response must have\n"
		"      --max-head N       longest response head split across segments (8192)\n"
		"      --json FILE        the results as JSON too (- for standard output)\n"
		"  -q, --quiet            no progress lines\n"
		"  -h, --help             this help\n"
		"\n"
		"Every run is bounded by -d and -n, then waits at most --timeout for the\n"
		"answers in flight. Exit status: 0 clean, 3 errors were counted (or no\n"
		"response was ok), 2 bad command line or configuration, 1 start-up\n"
		"failure. While it runs, /fastpath/load and /fastpath/stats answer on\n"
		"its telemetry socket.\n"
		"\n"
		"Example (against fastpath on net_memif; start " PROG " first, it is the\n"
		"memif server):\n"
		"  " PROG " --no-pci --file-prefix=load --lcores=0@0,1@0 \\\n"
		"      --vdev=net_memif0,role=server,socket=/tmp/m.sock,socket-abstract=no \\\n"
		"      -- --profile net_memif --ip 198.18.0.1/24 -c 64 -d 5 http://198.18.0.2/\n");
}

static void
die(int status, const char *fmt, ...) __rte_format_printf(2, 3);

static void
die(int status, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, PROG ": ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(status);
}

static uint64_t
num(const char *opt, const char *v, uint64_t lo, uint64_t hi)
{
	unsigned long long n;
	char *end;

	errno = 0;
	n = strtoull(v, &end, 10);
	if (errno != 0 || end == v || *end != '\0' || v[0] == '-' || n < lo || n > hi)
		die(EXIT_USAGE, "%s %s: not a number from %" PRIu64 " to %" PRIu64, opt, v, lo,
			hi);
	return n;
}

/* http://ADDR[:PORT][/PATH]: ADDR an IPv4 literal. */
static void
parse_url(struct opts *o, const char *url)
{
	const char *h, *end, *colon;
	char addr[INET_ADDRSTRLEN + 1];
	struct in_addr in;
	size_t alen;

	snprintf(o->url, sizeof(o->url), "%s", url);
	if (strncmp(url, "http://", 7) != 0)
		die(EXIT_USAGE, "%s: only http:// URLs", url);
	h = url + 7;
	end = h + strcspn(h, "/?#");
	colon = memchr(h, ':', end - h);
	alen = (colon != NULL ? colon : end) - h;
	if (alen == 0 || alen >= sizeof(addr))
		die(EXIT_USAGE, "%s: no IPv4 address after http://", url);
	memcpy(addr, h, alen);
	addr[alen] = '\0';
	if (inet_pton(AF_INET, addr, &in) != 1)
		die(EXIT_USAGE, "%s: %s is not an IPv4 address (" PROG " does no DNS)", url,
			addr);
	o->p.raddr = in.s_addr;
	o->p.rport = 80;
	if (colon != NULL) {
		char port[8];

		if (end - colon - 1 > 5)
			die(EXIT_USAGE, "%s: the port is not a number from 1 to 65535", url);
		snprintf(port, sizeof(port), "%.*s", (int)(end - colon - 1), colon + 1);
		o->p.rport = num("port of the URL", port, 1, 65535);
	}
	snprintf(o->host, sizeof(o->host), "%.*s", (int)(end - h), h);
	/* RFC 9110 4.2.4: the fragment is the client's, never sent. */
	snprintf(o->path, sizeof(o->path), "%s%.*s", *end == '?' ? "/" : "",
		(int)strcspn(end, "#"), end);
	if (o->path[0] == '\0')
		snprintf(o->path, sizeof(o->path), "/");
}

/* An option that sets a configuration key, as fastpath's do. */
static void
set_key(struct fp_config *cfg, const char *opt, const char *section, const char *key,
	const char *val)
{
	struct fp_err err;

	if (fp_config_set(cfg, opt, section, key, val, &err) != 0)
		die(EXIT_USAGE, "%s", err.msg);
}

enum {
	OPT_CONFIG = 256,
	OPT_IP,
	OPT_GATEWAY,
	OPT_PORT_ID,
	OPT_CLOSE,
	OPT_TIMEOUT,
	OPT_CONNECT_TIMEOUT,
	OPT_EXPECT_STATUS,
	OPT_EXPECT_LENGTH,
	OPT_MAX_HEAD,
	OPT_JSON,
};

static void
parse_args(int argc, char **argv, struct opts *o, struct fp_config *cfg)
{
	static const struct option longopts[] = {
		{ "profile", required_argument, NULL, 'p' },
		{ "config", required_argument, NULL, OPT_CONFIG },
		{ "ip", required_argument, NULL, OPT_IP },
		{ "gateway", required_argument, NULL, OPT_GATEWAY },
		{ "port-id", required_argument, NULL, OPT_PORT_ID },
		{ "connections", required_argument, NULL, 'c' },
		{ "duration", required_argument, NULL, 'd' },
		{ "requests", required_argument, NULL, 'n' },
		{ "pipeline", required_argument, NULL, 'P' },
		{ "close", no_argument, NULL, OPT_CLOSE },
		{ "rate", required_argument, NULL, 'R' },
		{ "method", required_argument, NULL, 'm' },
		{ "header", required_argument, NULL, 'H' },
		{ "timeout", required_argument, NULL, OPT_TIMEOUT },
		{ "connect-timeout", required_argument, NULL, OPT_CONNECT_TIMEOUT },
		{ "expect-status", required_argument, NULL, OPT_EXPECT_STATUS },
		{ "expect-length", required_argument, NULL, OPT_EXPECT_LENGTH },
		{ "max-head", required_argument, NULL, OPT_MAX_HEAD },
		{ "json", required_argument, NULL, OPT_JSON },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	char path[FP_PATH_LEN];
	struct fp_err err;
	double secs;
	char *end;
	int c;

	if (fp_config_defaults(cfg) != 0)
		die(EXIT_FAIL, "the built-in defaults are invalid");
	memset(o, 0, sizeof(*o));
	o->p.conns = 64;
	o->p.pipeline = 1;
	o->p.duration_ms = 10000;
	o->p.timeout_ms = 2000;
	o->p.connect_ms = 3000;
	o->p.expect_length = -1;
	o->p.max_head = 8192;
	o->method = "GET";
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":p:c:d:n:P:R:m:H:qh", longopts, NULL)) != -1) {
		switch (c) {
		case 'p':
			fp_app_apply_profile(optarg, cfg, path, sizeof(path));
			break;
		case OPT_CONFIG:
			if (fp_config_load(cfg, optarg, &err) != 0)
				die(EXIT_USAGE, "%s", err.msg);
			break;
		case OPT_IP:
			set_key(cfg, "--ip", "ip", "address", optarg);
			break;
		case OPT_GATEWAY:
			set_key(cfg, "--gateway", "ip", "gateway", optarg);
			break;
		case OPT_PORT_ID:
			set_key(cfg, "--port-id", "port", "id", optarg);
			break;
		case 'c':
			o->p.conns = num("--connections", optarg, 1, 1u << 20);
			break;
		case 'd':
			secs = strtod(optarg, &end);
			if (end == optarg || *end != '\0' || !(secs > 0) || secs > 86400)
				die(EXIT_USAGE, "--duration %s: seconds, above 0 and at most 86400",
					optarg);
			o->p.duration_ms = (uint64_t)(secs * 1000 + 0.5);
			if (o->p.duration_ms == 0)
				o->p.duration_ms = 1;
			break;
		case 'n':
			o->p.requests = num("--requests", optarg, 1, UINT64_MAX / 2);
			break;
		case 'P':
			o->p.pipeline = num("--pipeline", optarg, 1, FP_LOAD_PIPELINE_MAX);
			break;
		case OPT_CLOSE:
			o->p.close = true;
			break;
		case 'R':
			o->p.rate = num("--rate", optarg, 1, 1000000000);
			break;
		case 'm':
			if (strcmp(optarg, "GET") != 0 && strcmp(optarg, "HEAD") != 0)
				die(EXIT_USAGE, "--method %s: GET or HEAD", optarg);
			o->method = optarg;
			o->p.head = strcmp(optarg, "HEAD") == 0;
			break;
		case 'H':
			if (o->nb_headers == MAX_HEADERS)
				die(EXIT_USAGE, "-H: at most %u header lines", MAX_HEADERS);
			o->headers[o->nb_headers++] = optarg;
			break;
		case OPT_TIMEOUT:
			o->p.timeout_ms = num("--timeout", optarg, 1, 3600000);
			break;
		case OPT_CONNECT_TIMEOUT:
			o->p.connect_ms = num("--connect-timeout", optarg, 1, 3600000);
			break;
		case OPT_EXPECT_STATUS:
			o->p.expect_status = num("--expect-status", optarg, 100, 599);
			break;
		case OPT_EXPECT_LENGTH:
			o->p.expect_length = num("--expect-length", optarg, 0, INT64_MAX);
			break;
		case OPT_MAX_HEAD:
			o->p.max_head = num("--max-head", optarg, 256, 65536);
			break;
		case OPT_JSON:
			o->json = optarg;
			break;
		case 'q':
			o->quiet = true;
			break;
		case 'h':
			usage(stdout);
			exit(0);
		case ':':
			die(EXIT_USAGE, "%s: needs an argument (see --help)", argv[optind - 1]);
			break;
		default:
			die(EXIT_USAGE, "%s: unknown option (see --help)", argv[optind - 1]);
			break;
		}
	}
	if (optind != argc - 1)
		die(EXIT_USAGE, optind == argc ? "no URL (see --help)" :
			"one URL only, after the options (see --help)");
	parse_url(o, argv[optind]);
	if (o->p.close && o->p.pipeline != 1)
		die(EXIT_USAGE, "--close and --pipeline: one request per connection");
	/* A client: nothing to listen on or serve, and no XDP steering, which
	 * only knows listening ports.
	 */
	cfg->nb_listen = 0;
	cfg->nb_routes = 0;
	cfg->nb_channels = 0;
	cfg->root[0] = '\0';
	cfg->contexts = 16;
	cfg->xdp_mode = FP_XDP_MODE_off;
	/* The profiles' gateway (.1) is where a client on the server's link
	 * usually sits: on the same link the client needs none.
	 */
	if (cfg->gateway == cfg->ip)
		cfg->gateway = 0;
	if (fp_config_validate(cfg, &err) != 0)
		die(EXIT_USAGE, "%s", err.msg);
	o->link_ms = o->p.connect_ms;
}

/* What the workers got, summed. */
struct totals {
	uint64_t c[FP_LOAD_C_MAX];
	uint64_t err[FP_LOAD_E_MAX];
	uint64_t errors;
	struct fp_hist lat;
	double elapsed;		/* s */
	uint64_t busy_cycles;
	uint64_t port_cycles;	/* of busy_cycles, in the PMD's bursts */
	uint64_t hz;
	unsigned int nb_workers;
	bool finished;
};

static struct totals tot;

static void
sum_up(struct fp_load_worker **w, unsigned int n)
{
	uint64_t start = UINT64_MAX, end = 0;
	struct fp_stats st;
	unsigned int i, k;

	fp_hist_reset(&tot.lat);
	for (i = 0; i < n; i++) {
		for (k = 0; k < FP_LOAD_C_MAX; k++)
			tot.c[k] += w[i]->c[k];
		for (k = 0; k < FP_LOAD_E_MAX; k++)
			tot.err[k] += w[i]->err[k];
		fp_hist_merge(&tot.lat, &w[i]->lat);
		start = RTE_MIN(start, w[i]->start_tsc);
		end = RTE_MAX(end, RTE_MAX(w[i]->last_tsc, w[i]->stop_tsc));
	}
	for (k = 0; k < FP_LOAD_E_MAX; k++)
		tot.errors += tot.err[k];
	tot.hz = rte_get_tsc_hz();
	tot.elapsed = end > start ? (double)(end - start) / tot.hz : 0;
	fp_stats_total(&st);
	tot.busy_cycles = st.c[FP_C_busy_cycles];
	tot.port_cycles = st.c[FP_C_port_rx_cycles] + st.c[FP_C_port_tx_cycles];
	tot.nb_workers = n;
}

static double
per_s(uint64_t v)
{
	return tot.elapsed > 0 ? v / tot.elapsed : 0;
}

static void
print_text(const struct opts *o)
{
	static const double qs[] = { 0.5, 0.9, 0.99, 0.999 };
	static const char *const qn[] = { "p50", "p90", "p99", "p99.9" };
	unsigned int k;

	printf("%" PRIu64 " requests in %.2fs, %" PRIu64 " responses, %" PRIu64 " ok, %.2f MB "
		"read\n", tot.c[FP_LOAD_C_requests], tot.elapsed, tot.c[FP_LOAD_C_responses],
		tot.c[FP_LOAD_C_ok], tot.c[FP_LOAD_C_bytes_in] / 1e6);
	printf("  Latency (us)");
	for (k = 0; k < RTE_DIM(qs); k++)
		printf("  %s %.1f", qn[k], fp_hist_quantile(&tot.lat, qs[k]) / 1e3);
	printf("  max %.1f  mean %.1f\n", tot.lat.n ? tot.lat.max / 1e3 : 0,
		tot.lat.n ? (double)tot.lat.sum / tot.lat.n / 1e3 : 0);
	printf("  Status 2xx %" PRIu64 ", 3xx %" PRIu64 ", 4xx %" PRIu64 ", 5xx %" PRIu64
		", 1xx skipped %" PRIu64 "; connections opened %" PRIu64 "\n",
		tot.c[FP_LOAD_C_status_2xx], tot.c[FP_LOAD_C_status_3xx],
		tot.c[FP_LOAD_C_status_4xx], tot.c[FP_LOAD_C_status_5xx],
		tot.c[FP_LOAD_C_interim], tot.c[FP_LOAD_C_connects]);
	if (tot.c[FP_LOAD_C_backlog] != 0)
		printf("  Backlog: %" PRIu64 " requests fell due and found no connection with room "
			"before the end\n", tot.c[FP_LOAD_C_backlog]);
	if (tot.errors == 0) {
		printf("  Errors: none\n");
	} else {
		printf("  Errors: %" PRIu64 "\n", tot.errors);
		for (k = 0; k < FP_LOAD_E_MAX; k++)
			if (tot.err[k] != 0)
				printf("    %-16s %" PRIu64 "  (%s)\n", fp_load_err_names[k],
					tot.err[k], fp_load_err_help[k]);
	}
	if (tot.c[FP_LOAD_C_responses] != 0)
		printf("  Client: %.0f busy cycles per response (%.0f in the port), %.0f%% of %u "
			"worker core(s) busy\n",
			(double)tot.busy_cycles / tot.c[FP_LOAD_C_responses],
			(double)tot.port_cycles / tot.c[FP_LOAD_C_responses],
			tot.elapsed > 0 ? 100.0 * tot.busy_cycles / tot.hz / tot.elapsed /
			tot.nb_workers : 0, tot.nb_workers);
	if (!tot.finished)
		printf("  The run did not end within its bound: stopped\n");
	if (tot.c[FP_LOAD_C_ok] == 0)
		printf("  No response was ok\n");
	printf("Requests/sec: %.2f\nTransfer/sec: %.2f MB\n", per_s(tot.c[FP_LOAD_C_ok]),
		per_s(tot.c[FP_LOAD_C_bytes_in]) / 1e6);
	RTE_SET_USED(o);
}

/* s as a JSON string's contents. */
static void
json_str(FILE *f, const char *s)
{
	for (; *s != '\0'; s++) {
		if (*s == '"' || *s == '\\')
			fprintf(f, "\\%c", *s);
		else if ((unsigned char)*s < 0x20)
			fprintf(f, "\\u%04x", (unsigned char)*s);
		else
			fputc(*s, f);
	}
}

static void
print_json(const struct opts *o)
{
	FILE *f = strcmp(o->json, "-") == 0 ? stdout : fopen(o->json, "w");
	unsigned int k;

	if (f == NULL) {
		fprintf(stderr, PROG ": %s: %s\n", o->json, strerror(errno));
		return;
	}
	fprintf(f, "{\"url\": \"");
	json_str(f, o->url);
	fprintf(f, "\", \"mode\": \"%s\", \"connections\": %u, \"pipeline\": %u, "
		"\"rate\": %" PRIu64 ", \"workers\": %u, \"elapsed_s\": %.6f, "
		"\"requests_per_s\": %.2f, \"finished\": %s,\n",
		o->p.close ? "close" : "keepalive", o->p.conns, o->p.pipeline, o->p.rate,
		tot.nb_workers, tot.elapsed, per_s(tot.c[FP_LOAD_C_ok]),
		tot.finished ? "true" : "false");
	fprintf(f, " \"latency_us\": {\"p50\": %.3f, \"p90\": %.3f, \"p99\": %.3f, "
		"\"p999\": %.3f, \"max\": %.3f, \"mean\": %.3f},\n",
		fp_hist_quantile(&tot.lat, 0.5) / 1e3, fp_hist_quantile(&tot.lat, 0.9) / 1e3,
		fp_hist_quantile(&tot.lat, 0.99) / 1e3, fp_hist_quantile(&tot.lat, 0.999) / 1e3,
		tot.lat.n ? tot.lat.max / 1e3 : 0,
		tot.lat.n ? (double)tot.lat.sum / tot.lat.n / 1e3 : 0);
	fprintf(f, " \"counters\": {");
	for (k = 0; k < FP_LOAD_C_MAX; k++)
		fprintf(f, "%s\"%s\": %" PRIu64, k ? ", " : "", fp_load_counter_names[k], tot.c[k]);
	fprintf(f, "},\n \"errors\": {");
	for (k = 0; k < FP_LOAD_E_MAX; k++)
		fprintf(f, "%s\"%s\": %" PRIu64, k ? ", " : "", fp_load_err_names[k], tot.err[k]);
	fprintf(f, "},\n \"errors_total\": %" PRIu64 ", \"client_busy_cycles\": %" PRIu64
		", \"client_port_cycles\": %" PRIu64 ", \"tsc_hz\": %" PRIu64 "}\n", tot.errors,
		tot.busy_cycles, tot.port_cycles, tot.hz);
	if (f != stdout)
		fclose(f);
	else
		fflush(f);
}

/* The run's workers, for the signal handler. */
static struct fp_load_worker *workers[RTE_MAX_LCORE];
static unsigned int nb_workers;

static void
on_signal(int sig)
{
	unsigned int i;

	RTE_SET_USED(sig);
	/* Ends RUN at the workers' next poll: answers in flight still count. */
	for (i = 0; i < nb_workers; i++)
		fp_load_stop(workers[i]);
}

/* Waits for the port's link: a memif server's comes up when the client
 * connects.
 */
static bool
wait_link(uint16_t port, uint32_t ms)
{
	struct rte_eth_link link;
	uint32_t waited;

	for (waited = 0; waited <= ms; waited += 10) {
		if (rte_eth_link_get_nowait(port, &link) == 0 && link.link_status)
			return true;
		usleep(10 * 1000);
	}
	return false;
}

int
main(int argc, char **argv)
{
	static struct fp_lcore *lcores[RTE_MAX_LCORE];
	struct rte_mempool *pools[RTE_MAX_LCORE];
	char joined[1024], ip[INET_ADDRSTRLEN], req[REQ_MAX], name[RTE_ETH_NAME_MAX_LEN];
	struct fp_http_server *srv;
	struct fp_config cfg;
	struct fp_iface *ifc;
	struct fp_err err;
	struct opts o;
	unsigned int lcore, i;
	uint64_t now, bound;
	int eal_argc, n, req_len;
	char **eal;

	fp_app_set_prog(PROG);
	if (argc == 2 && (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0)) {
		usage(stdout);
		return 0;
	}
	for (eal_argc = 1; eal_argc < argc; eal_argc++)
		if (strcmp(argv[eal_argc], "--") == 0)
			break;
	if (eal_argc == argc)
		die(EXIT_USAGE, "no options after -- (see --help)");
	{
		char *arg0 = argv[eal_argc];

		argv[eal_argc] = argv[0];
		parse_args(argc - eal_argc, argv + eal_argc, &o, &cfg);
		argv[eal_argc] = arg0;
	}
	req_len = fp_load_request(req, sizeof(req), o.method, o.host, o.path, o.headers,
		o.nb_headers, o.p.close);
	if (req_len < 0)
		die(EXIT_USAGE, req_len == -ENOSPC ? "the request is over %d bytes" :
			"-H: a header line needs \"Name: value\" and no line break (%d)", REQ_MAX);
	o.p.req = req;
	o.p.req_len = req_len;

	n = fp_app_eal_argv(eal_argc, argv, &cfg, &eal, joined, sizeof(joined));
	for (i = 1; i < (unsigned int)n; i++)
		if (strstr(eal[i], "xdp_prog=") != NULL)
			die(EXIT_USAGE, "the net_af_xdp vdev loads fastpath's XDP program, which "
				"passes a client's traffic to the kernel: give a --vdev without "
				"xdp_prog= before --");
	fp_app_check_eal(n, eal);
	if (rte_eal_init(n, eal) < 0)
		die(EXIT_FAIL, "EAL initialisation failed: %s (EAL arguments: %s)",
			rte_strerror(rte_errno), joined);
	RTE_LCORE_FOREACH_WORKER(lcore)
		nb_workers++;
	if (nb_workers == 0)
		die(EXIT_FAIL, "no worker lcore: give at least two (e.g. --lcores=0@0,1@0)");
	if (o.p.conns < nb_workers)
		die(EXIT_USAGE, "-c %u: at least one connection per worker (%u)", o.p.conns,
			nb_workers);
	if (rte_eth_dev_count_avail() == 0)
		die(EXIT_FAIL, "no port: name one with --vdev");
	srv = fp_http_server_create(&cfg, nb_workers, &err);
	if (srv == NULL)
		die(EXIT_FAIL, "%s", err.msg);

	i = 0;
	RTE_LCORE_FOREACH_WORKER(lcore) {
		struct rte_mempool *wp[2];

		lcores[i] = rte_zmalloc_socket("fp_lcore", sizeof(struct fp_lcore),
			RTE_CACHE_LINE_SIZE, rte_lcore_to_socket_id(lcore));
		if (lcores[i] == NULL || fp_lcore_init(lcores[i], &cfg, lcore, i, nb_workers,
				srv, &err) != 0)
			die(EXIT_FAIL, "%s", lcores[i] == NULL ? "cannot allocate a worker" :
				err.msg);
		pools[i] = wp[0] = lcores[i]->pool;
		wp[1] = lcores[i]->zc_pool;
		fp_stats_register_pools(&lcores[i]->stats, wp, 2);
		i++;
	}
	ifc = rte_zmalloc("fp_iface", sizeof(*ifc), RTE_CACHE_LINE_SIZE);
	if (ifc == NULL)
		die(EXIT_FAIL, "cannot allocate the interface");
	if (fp_port_init(&cfg, nb_workers, pools, ifc, &err) != 0)
		die(EXIT_FAIL, "%s", err.msg);
	for (i = 0; i < nb_workers; i++) {
		struct fp_load_params p = o.p;

		fp_lcore_attach(lcores[i], ifc);
		/* Each worker its share; the first ones take what does not divide. */
		p.conns = o.p.conns / nb_workers + (i < o.p.conns % nb_workers);
		p.rate = o.p.rate / nb_workers + (i < o.p.rate % nb_workers);
		if (o.p.rate != 0 && p.rate == 0)
			die(EXIT_USAGE, "-R %" PRIu64 ": at least 1 request/s per worker",
				o.p.rate);
		p.requests = o.p.requests / nb_workers + (i < o.p.requests % nb_workers);
		if (o.p.requests != 0 && p.requests == 0)
			die(EXIT_USAGE, "-n %" PRIu64 ": at least one request per worker",
				o.p.requests);
		workers[i] = fp_load_worker_create(&p, &lcores[i]->tcp,
			rte_lcore_to_socket_id(lcores[i]->lcore_id));
		if (workers[i] == NULL)
			die(EXIT_FAIL, "cannot set up the generator: %s (-c %u over [tcp] "
				"max_conns %u per worker, or its ports?)", rte_strerror(rte_errno),
				p.conns, cfg.max_conns);
		lcores[i]->poll = fp_load_poll;
		lcores[i]->poll_arg = workers[i];
	}
	if (fp_stats_telemetry_init() != 0 || fp_load_telemetry_init(workers, nb_workers) != 0)
		die(EXIT_FAIL, "cannot register the telemetry commands");

	rte_eth_dev_get_name_by_port(cfg.port_id, name);
	if (!wait_link(cfg.port_id, o.link_ms))
		die(EXIT_FAIL, "port %u (%s): link still down after %u ms (a memif server waits "
			"for its client: start the server after " PROG ")", cfg.port_id, name,
			o.link_ms);
	if (!o.quiet) {
		printf(PROG ": %s for %.2f s%s%s, %s, %u connection(s), pipeline %u, %s, from %s "
			"on port %u (%s), %u worker(s)\n", o.url, o.p.duration_ms / 1e3,
			o.p.requests ? " or " : "", o.p.requests ? "a request bound" : "",
			o.p.close ? "Connection: close" : "keep-alive", o.p.conns, o.p.pipeline,
			o.p.rate ? "open loop" : "closed loop",
			inet_ntop(AF_INET, &ifc->ip, ip, sizeof(ip)), cfg.port_id, name,
			nb_workers);
		fflush(stdout);
	}
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	signal(SIGPIPE, SIG_IGN);
	now = rte_rdtsc();
	for (i = 0; i < nb_workers; i++)
		fp_load_start(workers[i], now);
	i = 0;
	RTE_LCORE_FOREACH_WORKER(lcore)
		rte_eal_remote_launch(fp_worker_main, lcores[i++], lcore);

	/* Every phase has its bound; this one is only for a worker that
	 * hangs: the run, the connects, the answers in flight, the closes.
	 */
	bound = now + rte_get_tsc_hz() / MS_PER_S * (o.p.duration_ms + 2 * o.p.connect_ms +
		o.p.timeout_ms + 5000);
	tot.finished = false;
	while (rte_rdtsc() < bound) {
		for (i = 0; i < nb_workers && fp_load_done(workers[i]); i++)
			;
		if (i == nb_workers) {
			tot.finished = true;
			break;
		}
		usleep(2000);
	}
	fp_worker_stop();
	rte_eal_mp_wait_lcore();
	sum_up(workers, nb_workers);
	print_text(&o);
	if (o.json != NULL)
		print_json(&o);
	fflush(stdout);

	fp_load_telemetry_init(NULL, 0);
	fp_port_close(cfg.port_id);
	fp_stats_unregister_all();
	for (i = 0; i < nb_workers; i++) {
		fp_lcore_free(lcores[i]);
		rte_free(lcores[i]);
		fp_load_worker_free(workers[i]);
	}
	rte_free(ifc);
	fp_http_server_free(srv);
	rte_eal_cleanup();
	return tot.errors != 0 || !tot.finished || tot.c[FP_LOAD_C_ok] == 0 ? EXIT_ERRORS : 0;
}
