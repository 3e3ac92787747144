/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The fastpath authors
 */

#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_ethdev.h>
#include <rte_lcore.h>
#include <rte_malloc.h>

#include "fp_common.h"
#include "fp_config.h"
#include "fp_http.h"
#include "fp_lcore.h"
#include "fp_port.h"
#include "fp_stats.h"

/* Exit statuses: 2 for a bad command line or configuration, 1 for any other
 * start-up failure.
 */
#define FP_EXIT_USAGE 2
#define FP_EXIT_FAIL 1

static const char *prog = "fastpath";

static void
usage(FILE *f)
{
	const struct fp_config_key_info *keys;
	unsigned int i, n = fp_config_keys(&keys);

	fprintf(f,
		"Usage: %s [EAL options] -- [options]\n"
		"\n"
		"A DPDK fast path: an HTTP/1.1 server on a userspace TCP/IP stack, one port.\n"
		"EAL options come first (always pass --no-pci unless you name PCI devices\n"
		"with -a); see the DPDK EAL guide. Options after --:\n"
		"\n"
		"  -c, --config FILE     read an INI configuration file\n"
		"      --ip ADDR/PREFIX  our address, overrides [ip] address\n"
		"      --gateway ADDR    next hop, overrides [ip] gateway\n"
		"      --port-id N       DPDK port to serve, overrides [port] id\n"
		"      --listen PORTS    TCP ports, comma-separated, overrides [tcp] listen\n"
		"      --root DIR        serve the files under DIR, overrides [http] root\n"
		"  -h, --help            show this help and exit\n"
		"\n"
		"Configuration keys ([section] key = value, '#' starts a comment):\n",
		prog);
	for (i = 0; i < n; i++) {
		char name[64];

		snprintf(name, sizeof(name), "[%s] %s", keys[i].section, keys[i].key);
		fprintf(f, "  %-20s %-6s %s\n", name,
			keys[i].def[0] != '\0' ? keys[i].def : "-", keys[i].help);
	}
	fprintf(f,
		"\nExample:\n"
		"  %s --no-pci --vdev=net_tap0,iface=fp0 -l 0-1 --file-prefix=fp -- \\\n"
		"      --ip 198.18.0.2/24 --root /var/www/html\n", prog);
}

static void
die(int status, const char *fmt, ...) __rte_format_printf(2, 3);

static void
die(int status, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", prog);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(status);
}

enum {
	OPT_IP = 256,
	OPT_GATEWAY,
	OPT_PORT_ID,
	OPT_LISTEN,
	OPT_ROOT,
};

/* Parses the options after "--": the file first, then the overrides, in
 * whatever order they were given.
 */
static void
parse_args(int argc, char **argv, struct fp_config *cfg)
{
	static const struct option longopts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "ip", required_argument, NULL, OPT_IP },
		{ "gateway", required_argument, NULL, OPT_GATEWAY },
		{ "port-id", required_argument, NULL, OPT_PORT_ID },
		{ "listen", required_argument, NULL, OPT_LISTEN },
		{ "root", required_argument, NULL, OPT_ROOT },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct {
		const char *opt, *section, *key, *value;
	} over[8];
	const char *file = NULL;
	unsigned int nover = 0, i;
	struct fp_err err;
	int c;

	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":c:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'c':
			file = optarg;
			break;
		case 'h':
			usage(stdout);
			exit(0);
		case OPT_IP:
			over[nover++] = (typeof(over[0])){ "--ip", "ip", "address", optarg };
			break;
		case OPT_GATEWAY:
			over[nover++] = (typeof(over[0])){ "--gateway", "ip", "gateway", optarg };
			break;
		case OPT_PORT_ID:
			over[nover++] = (typeof(over[0])){ "--port-id", "port", "id", optarg };
			break;
		case OPT_LISTEN:
			over[nover++] = (typeof(over[0])){ "--listen", "tcp", "listen", optarg };
			break;
		case OPT_ROOT:
			over[nover++] = (typeof(over[0])){ "--root", "http", "root", optarg };
			break;
		case ':':
			die(FP_EXIT_USAGE, "%s: needs an argument (see --help)", argv[optind - 1]);
			break;
		default:
			die(FP_EXIT_USAGE, "%s: unknown option (see --help)", argv[optind - 1]);
		}
		if (nover == RTE_DIM(over))
			die(FP_EXIT_USAGE, "too many overriding options");
	}
	if (optind < argc)
		die(FP_EXIT_USAGE, "%s: unexpected argument (see --help)", argv[optind]);

	if (fp_config_defaults(cfg) != 0)
		die(FP_EXIT_FAIL, "the built-in defaults are invalid");
	if (file != NULL && fp_config_load(cfg, file, &err) != 0)
		die(FP_EXIT_USAGE, "%s", err.msg);
	for (i = 0; i < nover; i++)
		if (fp_config_set(cfg, over[i].opt, over[i].section, over[i].key, over[i].value,
				&err) != 0)
			die(FP_EXIT_USAGE, "%s", err.msg);
	if (fp_config_validate(cfg, &err) != 0)
		die(FP_EXIT_USAGE, "%s%s%s", file != NULL ? file : "", file != NULL ? ": " : "",
			err.msg);
}

static void
on_signal(int sig __rte_unused)
{
	fp_worker_stop();
}

static void
print_totals(void)
{
	struct fp_stats tot;
	unsigned int k;

	fp_stats_total(&tot);
	printf("%s: final counters:\n", prog);
	for (k = 0; k < FP_C_MAX; k++)
		printf("  %-22s %" PRIu64 "\n", fp_counter_names[k], tot.c[k]);
	printf("  drops:\n");
	for (k = 0; k < FP_DROP_MAX; k++)
		if (tot.drop[k] != 0)
			printf("    %-20s %" PRIu64 "\n", fp_drop_names[k], tot.drop[k]);
	fflush(stdout);
}

/* What start-up built, so that a failure half-way undoes exactly that. */
struct fp_app {
	struct fp_lcore *lcores[RTE_MAX_LCORE];
	struct rte_mempool *pools[RTE_MAX_LCORE];
	unsigned int nb_workers;
	struct fp_iface *ifc;
	struct fp_http_server *http;
	bool port_started;
	uint16_t port_id;
};

static void
app_teardown(struct fp_app *app)
{
	unsigned int i;

	if (app->port_started)
		fp_port_close(app->port_id);
	/* Waits for telemetry callbacks still reading the counters and pools. */
	fp_stats_unregister_all();
	for (i = 0; i < app->nb_workers; i++) {
		if (app->lcores[i] == NULL)
			continue;
		fp_lcore_free(app->lcores[i]);
		rte_free(app->lcores[i]);
	}
	rte_free(app->ifc);
	fp_http_server_free(app->http);
	rte_eal_cleanup();
}

/* Set-up failed after EAL started: release hugepages and files, then exit. */
static void
app_fail(struct fp_app *app, const char *msg)
{
	fprintf(stderr, "%s: %s\n", prog, msg);
	app_teardown(app);
	exit(FP_EXIT_FAIL);
}

static void
app_start(struct fp_app *app, const struct fp_config *cfg)
{
	struct fp_err err;
	unsigned int lcore, i = 0;

	RTE_LCORE_FOREACH_WORKER(lcore)
		app->nb_workers++;
	if (app->nb_workers == 0)
		app_fail(app, "no worker lcore: the main lcore only runs the control plane, "
			"so give at least two (e.g. -l 0-1)");
	if (rte_eth_dev_count_avail() == 0)
		app_fail(app, "no port: name one with --vdev (e.g. --vdev=net_tap0) or -a");

	app->http = fp_http_server_create(cfg, app->nb_workers, &err);
	if (app->http == NULL)
		app_fail(app, err.msg);

	RTE_LCORE_FOREACH_WORKER(lcore) {
		struct rte_mempool *pools[2];

		app->lcores[i] = rte_zmalloc_socket("fp_lcore", sizeof(struct fp_lcore),
			RTE_CACHE_LINE_SIZE, rte_lcore_to_socket_id(lcore));
		if (app->lcores[i] == NULL)
			app_fail(app, "cannot allocate worker state");
		if (fp_lcore_init(app->lcores[i], cfg, lcore, i, app->http, &err) != 0) {
			rte_free(app->lcores[i]);
			app->lcores[i] = NULL;
			app_fail(app, err.msg);
		}
		app->lcores[i]->send_garp = cfg->garp && i == 0;
		app->pools[i] = app->lcores[i]->pool;
		pools[0] = app->lcores[i]->pool;
		pools[1] = app->lcores[i]->zc_pool;
		fp_stats_register_pools(&app->lcores[i]->stats, pools, 2);
		i++;
	}

	app->ifc = rte_zmalloc("fp_iface", sizeof(*app->ifc), RTE_CACHE_LINE_SIZE);
	if (app->ifc == NULL)
		app_fail(app, "cannot allocate the interface");
	app->port_id = cfg->port_id;
	if (fp_port_init(cfg, app->nb_workers, app->pools, app->ifc, &err) != 0)
		app_fail(app, err.msg);
	app->port_started = true;
	for (i = 0; i < app->nb_workers; i++)
		fp_lcore_attach(app->lcores[i], app->ifc);

	if (fp_stats_telemetry_init() != 0)
		app_fail(app, "cannot register the telemetry commands (is another "
			"fastpath using this --file-prefix?)");
}

int
main(int argc, char **argv)
{
	struct fp_app app;
	struct fp_config cfg;
	char ipbuf[INET_ADDRSTRLEN], mac[RTE_ETHER_ADDR_FMT_SIZE];
	unsigned int lcore, i;
	int eal_argc, ret;

	/* EAL options end at "--"; ours follow it. Parse ours first, so that a
	 * bad configuration fails before EAL takes hugepages and devices.
	 */
	if (argc == 2 && (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0)) {
		usage(stdout);
		return 0;
	}
	for (eal_argc = 1; eal_argc < argc; eal_argc++)
		if (strcmp(argv[eal_argc], "--") == 0)
			break;
	if (eal_argc < argc) {
		/* getopt wants a program name first: it takes the place of "--". */
		argv[eal_argc] = argv[0];
		parse_args(argc - eal_argc, argv + eal_argc, &cfg);
	} else {
		parse_args(1, argv, &cfg);
	}

	ret = rte_eal_init(eal_argc, argv);
	if (ret < 0)
		die(FP_EXIT_FAIL, "EAL initialisation failed: %s", rte_strerror(rte_errno));

	memset(&app, 0, sizeof(app));
	app_start(&app, &cfg);

	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	/* A closed log pipe must not kill us before the port is closed. */
	signal(SIGPIPE, SIG_IGN);

	i = 0;
	RTE_LCORE_FOREACH_WORKER(lcore) {
		FP_LOG(INFO, main, "lcore %u serves port %u queue %u", lcore, app.port_id, i);
		rte_eal_remote_launch(fp_worker_main, app.lcores[i++], lcore);
	}

	rte_ether_format_addr(mac, sizeof(mac), &app.ifc->mac);
	printf("%s: serving %s/%u on port %u (MAC %s) with %u worker(s)\n", prog,
		fp_ipv4_str(app.ifc->ip, ipbuf, sizeof(ipbuf)), app.ifc->prefix_len,
		app.port_id, mac, app.nb_workers);
	for (i = 0; i < cfg.nb_listen; i++)
		printf("%s: HTTP on http://%s:%u/ (%u routes, %" PRIu64 " bytes of content)\n",
			prog, ipbuf, cfg.listen[i], app.http->nb_content, app.http->body_bytes);
	printf("%s: telemetry socket %s/dpdk_telemetry.v2\n", prog, rte_eal_get_runtime_dir());
	fflush(stdout);

	while (!fp_worker_stopping())
		usleep(100 * 1000);

	RTE_LCORE_FOREACH_WORKER(lcore) {
		rte_eal_wait_lcore(lcore);
		FP_LOG(INFO, main, "lcore %u stopped", lcore);
	}
	print_totals();
	app_teardown(&app);
	return 0;
}
