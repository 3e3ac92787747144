/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The fastpath authors
 */

#include <errno.h>
#include <getopt.h>
#include <glob.h>
#include <inttypes.h>
#include <net/if.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_ethdev.h>
#include <rte_lcore.h>
#include <rte_malloc.h>
#include <rte_pdump.h>

#include "fp_app.h"
#include "fp_chan.h"
#include "fp_common.h"
#include "fp_config.h"
#include "fp_ctrl.h"
#include "fp_http.h"
#include "fp_lcore.h"
#include "fp_port.h"
#include "fp_stats.h"
#include "fp_xdp.h"

/* Exit statuses: 2 for a bad command line or configuration, 1 for any other
 * start-up failure.
 */
#define FP_EXIT_USAGE 2
#define FP_EXIT_FAIL 1
/* A second SIGINT: stopped at once, as a shell expects of Ctrl-C. */
#define FP_EXIT_INTERRUPTED 130

#ifndef FP_PROFILE_DIR
#define FP_PROFILE_DIR "drivers-cfg"
#endif

static const char *prog = "fastpath";
/* What an embedding program adds (fp_app_main). */
static const struct fp_app_ext *app_ext;

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
		"  -p, --profile NAME    start from a driver profile: drivers-cfg/NAME.ini or a\n"
		"                        file; it gives EAL arguments and port settings\n"
		"  -c, --config FILE     read an INI configuration file\n"
		"      --ip ADDR/PREFIX  our address, overrides [ip] address\n"
		"      --gateway ADDR    next hop, overrides [ip] gateway\n"
		"      --port-id N       DPDK port to serve, overrides [port] id\n"
		"      --listen PORTS    TCP ports, comma-separated, overrides [tcp] listen\n"
		"      --root DIR        serve the files under DIR, overrides [http] root\n"
		"      --check-config    validate the configuration, print it, and exit\n"
		"  -h, --help            show this help and exit\n"
		"\n"
		"Profiles, files and options apply in the order given: later ones override.\n"
		"EAL options given before -- replace the profile's options of the same kind.\n"
		"SIGTERM or Ctrl-C drains connections ([shutdown] drain_s) and exits 0;\n"
		"a second Ctrl-C exits at once.\n"
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
		"\nExamples:\n"
		"  %s --no-pci --vdev=net_tap0,iface=fp0 -l 0-1 --file-prefix=fp -- \\\n"
		"      --ip 198.18.0.2/24 --root /var/www/html\n"
		"  %s --file-prefix=fp -- --profile net_tap --ip 198.18.0.2/24\n", prog, prog);
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
	OPT_CHECK,
};

/* Where a profile NAME lives: a path as given when it has a '/' or ends in
 * .ini, else FP_PROFILE_DIR (from the environment, else the build's)/NAME.ini.
 */
void
fp_app_profile_path(const char *name, char *out, size_t len)
{
	const char *dir = getenv("FP_PROFILE_DIR");
	size_t n = strlen(name);

	if (strchr(name, '/') != NULL || (n > 4 && strcmp(name + n - 4, ".ini") == 0)) {
		snprintf(out, len, "%s", name);
		return;
	}
	snprintf(out, len, "%s/%s.ini", dir != NULL ? dir : FP_PROFILE_DIR, name);
}

void
fp_app_apply_profile(const char *name, struct fp_config *cfg, char *path, size_t len)
{
	struct fp_err err;

	fp_app_profile_path(name, path, len);
	if (access(path, R_OK) != 0)
		die(FP_EXIT_USAGE, "--profile %s: no such profile (%s); profiles are the "
			".ini files of %s", name, path, getenv("FP_PROFILE_DIR") != NULL ?
			getenv("FP_PROFILE_DIR") : FP_PROFILE_DIR);
	if (fp_config_load(cfg, path, &err) != 0)
		die(FP_EXIT_USAGE, "%s", err.msg);
}

/* Parses the options after "--" and applies the profile, files and overrides
 * in the order given. Returns true for --check-config.
 */
static bool
parse_args(int argc, char **argv, struct fp_config *cfg)
{
	static const struct option longopts[] = {
		{ "profile", required_argument, NULL, 'p' },
		{ "config", required_argument, NULL, 'c' },
		{ "ip", required_argument, NULL, OPT_IP },
		{ "gateway", required_argument, NULL, OPT_GATEWAY },
		{ "port-id", required_argument, NULL, OPT_PORT_ID },
		{ "listen", required_argument, NULL, OPT_LISTEN },
		{ "root", required_argument, NULL, OPT_ROOT },
		{ "check-config", no_argument, NULL, OPT_CHECK },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	static const struct {
		int opt;
		const char *name, *section, *key;
	} over[] = {
		{ OPT_IP, "--ip", "ip", "address" },
		{ OPT_GATEWAY, "--gateway", "ip", "gateway" },
		{ OPT_PORT_ID, "--port-id", "port", "id" },
		{ OPT_LISTEN, "--listen", "tcp", "listen" },
		{ OPT_ROOT, "--root", "http", "root" },
	};
	static char last[FP_PATH_LEN];
	const char *last_file = NULL;
	char path[FP_PATH_LEN];
	bool check = false;
	struct fp_err err;
	unsigned int i;
	int c;

	if (fp_config_defaults(cfg) != 0)
		die(FP_EXIT_FAIL, "the built-in defaults are invalid");
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":p:c:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'p':
		case 'c':
			if (c == 'p')
				fp_app_apply_profile(optarg, cfg, path, sizeof(path));
			else if (fp_config_load(cfg, optarg, &err) != 0)
				die(FP_EXIT_USAGE, "%s", err.msg);
			snprintf(last, sizeof(last), "%s", c == 'p' ? path : optarg);
			last_file = last;
			break;
		case 'h':
			usage(stdout);
			exit(0);
		case OPT_CHECK:
			check = true;
			break;
		case ':':
			die(FP_EXIT_USAGE, "%s: needs an argument (see --help)", argv[optind - 1]);
			break;
		case '?':
			die(FP_EXIT_USAGE, "%s: unknown option (see --help)", argv[optind - 1]);
			break;
		default:
			for (i = 0; i < RTE_DIM(over); i++)
				if (over[i].opt == c &&
						fp_config_set(cfg, over[i].name, over[i].section,
							over[i].key, optarg, &err) != 0)
					die(FP_EXIT_USAGE, "%s", err.msg);
			break;
		}
	}
	if (optind < argc)
		die(FP_EXIT_USAGE, "%s: unexpected argument (see --help)", argv[optind]);
	if (fp_config_validate(cfg, &err) != 0)
		die(FP_EXIT_USAGE, "%s%s%s", last_file != NULL ? last_file : "",
			last_file != NULL ? ": " : "", err.msg);
	if (fp_config_check_files(cfg, &err) != 0)
		die(FP_EXIT_USAGE, "%s", err.msg);
	return check;
}

/* EAL options of one kind: giving one on the command line replaces all of
 * the profile's options of that kind.
 */
static const char *
eal_kind(const char *opt)
{
	static const struct {
		const char *opt, *kind;
	} kinds[] = {
		{ "--vdev", "devices" }, { "-a", "devices" }, { "--allow", "devices" },
		{ "-b", "devices" }, { "--block", "devices" },
		{ "-l", "cores" }, { "--lcores", "cores" }, { "-c", "cores" },
	};
	static char name[64];
	size_t len = strcspn(opt, "=");
	unsigned int i;

	/* "-l0-1" is -l with its value attached. */
	if (opt[1] != '-' && len > 2)
		len = 2;
	snprintf(name, sizeof(name), "%.*s", (int)RTE_MIN(len, sizeof(name) - 1), opt);
	for (i = 0; i < RTE_DIM(kinds); i++)
		if (strcmp(name, kinds[i].opt) == 0)
			return kinds[i].kind;
	return name;
}

/* "@XDP_PROG@" in an EAL option (the net_af_xdp profile's xdp_prog=) is
 * the XDP program this build made, lib/xdp/fp_xdp.bpf.o.
 */
static char *
eal_subst(char *tok)
{
	static const char key[] = "@XDP_PROG@";
	char *at = strstr(tok, key), *r;

	if (at == NULL)
		return tok;
	if (asprintf(&r, "%.*s%s%s", (int)(at - tok), tok, FP_XDP_OBJ_PATH,
			at + sizeof(key) - 1) < 0)
		die(FP_EXIT_FAIL, "out of memory");
	return r;
}

/* The EAL command line: the profile's [eal] args, less what the command
 * line replaces, then the command line's own. Never freed: EAL keeps argv.
 */
int
fp_app_eal_argv(int argc, char **argv, const struct fp_config *cfg, char ***out, char *joined,
	size_t joined_len)
{
	char **v, *words, *tok, *save = NULL, *prof[FP_EAL_ARGS_LEN];
	unsigned int np = 0, i, j;
	int n = 0, k;
	size_t used = 0;
	bool keep;

	words = strdup(cfg->eal_args);
	v = calloc(argc + FP_EAL_ARGS_LEN + 1, sizeof(*v));
	if (words == NULL || v == NULL)
		die(FP_EXIT_FAIL, "out of memory");
	for (tok = strtok_r(words, " \t", &save); tok != NULL; tok = strtok_r(NULL, " \t", &save))
		prof[np++] = eal_subst(tok);
	v[n++] = argv[0];
	for (i = 0; i < np; i++) {
		/* An option and, unless it is another option, its value. */
		j = i + 1;
		if (prof[i][0] == '-' && strchr(prof[i], '=') == NULL && j < np &&
				prof[j][0] != '-')
			j++;
		keep = true;
		if (prof[i][0] == '-') {
			char kind[64];

			snprintf(kind, sizeof(kind), "%s", eal_kind(prof[i]));
			for (k = 1; k < argc && keep; k++)
				if (argv[k][0] == '-' && strcmp(eal_kind(argv[k]), kind) == 0)
					keep = false;
		}
		for (; i < j; i++)
			if (keep)
				v[n++] = prof[i];
		i--;
	}
	for (k = 1; k < argc; k++)
		v[n++] = eal_subst(argv[k]);
	for (k = 1; k < n && used < joined_len; k++)
		used += snprintf(joined + used, joined_len - used, "%s%s", k > 1 ? " " : "", v[k]);
	*out = v;
	return n;
}

static bool
eal_has(int argc, char **argv, const char *opt)
{
	int i;

	for (i = 1; i < argc; i++)
		if (strcmp(argv[i], opt) == 0)
			return true;
	return false;
}

/* EAL's own message for missing hugepages is a page of logs; say it in one
 * line, with the fix, before it tries.
 */
static void
check_hugepages(int argc, char **argv)
{
	unsigned long free_pages = 0, n;
	glob_t g;
	size_t i;
	FILE *f;

	if (eal_has(argc, argv, "--no-huge"))
		return;
	if (glob("/sys/kernel/mm/hugepages/hugepages-*/free_hugepages", 0, NULL, &g) == 0) {
		for (i = 0; i < g.gl_pathc; i++) {
			f = fopen(g.gl_pathv[i], "r");
			if (f == NULL)
				continue;
			if (fscanf(f, "%lu", &n) == 1)
				free_pages += n;
			fclose(f);
		}
		globfree(&g);
	}
	if (free_pages == 0)
		die(FP_EXIT_FAIL, "no free hugepages: reserve some (echo 512 > "
			"/sys/kernel/mm/hugepages/hugepages-2048kB/nr_hugepages) or add "
			"--no-huge -m 512 to the EAL options");
}

/* The value of EAL option opt ("--file-prefix"), or NULL. */
static const char *
eal_value(int argc, char **argv, const char *opt)
{
	size_t len = strlen(opt);
	const char *v = NULL;
	int i;

	for (i = 1; i < argc; i++) {
		if (strncmp(argv[i], opt, len) == 0 && argv[i][len] == '=')
			v = argv[i] + len + 1;
		else if (strcmp(argv[i], opt) == 0 && i + 1 < argc)
			v = argv[++i];
	}
	return v;
}

/* [xdp] mode: the net_af_xdp vdev's interface is locked before EAL probes
 * it. A second fastpath on it stops here: its PMD, closing, would take the
 * first one's XDP program off the interface.
 */
static void
xdp_lock_first(int argc, char **argv)
{
	char name[IF_NAMESIZE];
	const char *at;
	struct fp_err err;
	unsigned int ifindex;
	int i;

	for (i = 1; i < argc; i++) {
		if (strncmp(argv[i], "--vdev=net_af_xdp", 17) != 0 ||
				(at = strstr(argv[i], "iface=")) == NULL)
			continue;
		snprintf(name, sizeof(name), "%.*s", (int)strcspn(at + 6, ","), at + 6);
		ifindex = if_nametoindex(name);
		if (ifindex == 0)
			die(FP_EXIT_FAIL, "[xdp] mode: no interface %s (the net_af_xdp vdev's iface=)",
				name);
		if (fp_xdp_lock(ifindex, name, &err) != 0)
			die(FP_EXIT_FAIL, "%s", err.msg);
		return;
	}
}

/* DPDK 22.11 starts a second process on a runtime directory whose telemetry
 * socket is taken, and then only one of them answers: refuse instead.
 */
static void
check_telemetry(int argc, char **argv)
{
	const char *prefix = eal_value(argc, argv, "--file-prefix");
	const char *run = getenv("XDG_RUNTIME_DIR");
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	int fd, ok;

	if (eal_has(argc, argv, "--no-telemetry"))
		return;
	/* Where EAL puts its runtime directory. */
	if (getuid() == 0)
		run = "/var/run";
	else if (run == NULL)
		run = "/tmp";
	snprintf(sun.sun_path, sizeof(sun.sun_path), "%s/dpdk/%s/dpdk_telemetry.v2", run,
		prefix != NULL ? prefix : "rte");
	fd = socket(AF_UNIX, SOCK_SEQPACKET, 0);
	if (fd < 0)
		return;
	ok = connect(fd, (struct sockaddr *)&sun, sizeof(sun));
	close(fd);
	if (ok == 0)
		die(FP_EXIT_FAIL, "telemetry socket %s is in use by another DPDK process: give "
			"this one its own --file-prefix", sun.sun_path);
}

void
fp_app_check_eal(int argc, char **argv)
{
	check_telemetry(argc, argv);
	check_hugepages(argc, argv);
}

void
fp_app_set_prog(const char *name)
{
	prog = name;
}

/* The effective configuration, as an INI file that would give it. */
static void
print_config(const struct fp_config *cfg)
{
	const struct fp_config_key_info *keys;
	unsigned int n = fp_config_keys(&keys), i;
	char val[FP_EAL_ARGS_LEN];

	for (i = 0; i < n; i++) {
		if (i == 0 || strcmp(keys[i].section, keys[i - 1].section) != 0)
			printf("%s[%s]\n", i == 0 ? "" : "\n", keys[i].section);
		fp_config_value(cfg, i, val, sizeof(val));
		printf("%s = %s\n", keys[i].key, val);
	}
	for (i = 0; i < cfg->nb_routes; i++) {
		const struct fp_config_route *r = &cfg->routes[i];

		printf("\n[route %s]\n%s = %s\nstatus = %u\n", r->path,
			r->has_body ? "body" : "file", r->has_body ? r->body : r->file, r->status);
		if (r->content_type[0] != '\0')
			printf("content_type = %s\n", r->content_type);
	}
	printf("\n");
}

/* Signals: the first SIGTERM or SIGINT drains; a second SIGINT stops now. */
static volatile sig_atomic_t sig_drain;
static volatile sig_atomic_t sig_now;

static void
on_signal(int sig)
{
	if (sig == SIGINT && sig_drain) {
		sig_now = 1;
		fp_worker_stop();
		return;
	}
	sig_drain = 1;
}

static void
print_totals(void)
{
	struct fp_stats tot;
	unsigned int k;

	fp_stats_total(&tot);
	printf("%s: final counters (those not 0):\n", prog);
	for (k = 0; k < FP_C_MAX; k++)
		if (tot.c[k] != 0)
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
	struct fp_chan_server *chan;
	struct fp_xdp *xdp;		/* [xdp] mode shared or owned */
	bool port_started;
	bool pdump;
	bool ext_started;	/* app_ext->setup succeeded: stop it at the end */
	uint16_t port_id;
	char eal_args[1024];
};

static void
app_teardown(struct fp_app *app)
{
	unsigned int i;

	/* Waits for telemetry callbacks still reading the workers. */
	fp_ctrl_stop();
	if (app->ext_started && app_ext->stop != NULL)
		app_ext->stop(app_ext->arg);
	app->ext_started = false;
	if (app->pdump)
		rte_pdump_uninit();
	/* Everything to the kernel again, then the PMD takes the program off. */
	fp_xdp_close(app->xdp);
	app->xdp = NULL;
	if (app->port_started)
		fp_port_close(app->port_id);
	fp_stats_unregister_all();
	for (i = 0; i < app->nb_workers; i++) {
		if (app->lcores[i] == NULL)
			continue;
		fp_lcore_free(app->lcores[i]);
		rte_free(app->lcores[i]);
	}
	rte_free(app->ifc);
	fp_chan_server_free(app->chan);
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

/* The kernel interface under the port (net_af_xdp's), for [xdp] mode. */
static unsigned int
app_ifindex(struct fp_app *app, const struct fp_config *cfg)
{
	struct rte_eth_dev_info di;

	if (rte_eth_dev_info_get(cfg->port_id, &di) != 0 || di.if_index == 0)
		app_fail(app, "[xdp] mode: the port has no kernel interface to steer on "
			"(it needs net_af_xdp with xdp_prog=, as the net_af_xdp profile gives)");
	return di.if_index;
}

/* Before the port's queues: what a fastpath that did not stop left goes. */
static void
app_xdp_before(struct fp_app *app, const struct fp_config *cfg)
{
	struct fp_err err;

	if (fp_xdp_clear_leftover(app_ifindex(app, cfg), &err) != 0)
		app_fail(app, err.msg);
}

/* The port runs: fastpath's address and ports go into the program's maps. */
static void
app_xdp_after(struct fp_app *app, const struct fp_config *cfg)
{
	uint16_t ports[FP_MAX_LISTEN];
	struct fp_err err;
	unsigned int i;
	int ret;

	app->xdp = fp_xdp_open(app_ifindex(app, cfg), &err);
	if (app->xdp == NULL)
		app_fail(app, err.msg);
	for (i = 0; i < cfg->nb_listen; i++)
		ports[i] = cfg->listen[i];
	ret = fp_xdp_configure(app->xdp->cfg_fd, app->xdp->ports_fd, app->ifc->ip,
		cfg->xdp_mode == FP_XDP_MODE_owned ? FP_XDP_OWNED : FP_XDP_SHARED, ports,
		cfg->nb_listen);
	if (ret != 0) {
		snprintf(err.msg, sizeof(err.msg), "%s: cannot configure the XDP program: %s",
			app->xdp->ifname, strerror(-ret));
		app_fail(app, err.msg);
	}
	FP_LOG(INFO, main, "%s: XDP steering (%s): fastpath's TCP%s to it, the rest to the kernel",
		app->xdp->ifname, fp_xdp_mode_names[cfg->xdp_mode],
		cfg->xdp_mode == FP_XDP_MODE_owned ? ", ARP and ICMP" : "");
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
	/* [channel PREFIX] sections: their routes go in with the others. */
	if (cfg->nb_channels != 0) {
		app->chan = fp_chan_server_create(cfg, app->http, app->nb_workers, &err);
		if (app->chan == NULL)
			app_fail(app, err.msg);
	}
	/* Handlers and hooks go in before any worker exists. */
	if (app_ext != NULL && app_ext->setup != NULL) {
		if (app_ext->setup(app->http, cfg, app_ext->arg, &err) != 0)
			app_fail(app, err.msg);
		app->ext_started = true;
	}

	RTE_LCORE_FOREACH_WORKER(lcore) {
		struct rte_mempool *pools[2];

		app->lcores[i] = rte_zmalloc_socket("fp_lcore", sizeof(struct fp_lcore),
			RTE_CACHE_LINE_SIZE, rte_lcore_to_socket_id(lcore));
		if (app->lcores[i] == NULL)
			app_fail(app, "cannot allocate worker state");
		if (fp_lcore_init(app->lcores[i], cfg, lcore, i, app->nb_workers, app->http,
			&err) != 0) {
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
	if (cfg->xdp_mode != FP_XDP_MODE_off)
		app_xdp_before(app, cfg);
	if (fp_port_init(cfg, app->nb_workers, app->pools, app->ifc, &err) != 0)
		app_fail(app, err.msg);
	app->port_started = true;
	for (i = 0; i < app->nb_workers; i++)
		fp_lcore_attach(app->lcores[i], app->ifc);
	if (cfg->xdp_mode != FP_XDP_MODE_off)
		app_xdp_after(app, cfg);

	if (fp_stats_telemetry_init() != 0 || fp_chan_telemetry_init(app->chan) != 0 ||
			fp_xdp_telemetry_init(app->xdp) != 0)
		app_fail(app, "cannot register the telemetry commands (is another "
			"fastpath using this --file-prefix?)");
	/* Secondary processes (dpdk-dumpcap) attach through the multi-process
	 * channel, which --in-memory does not have.
	 */
	if (rte_pdump_init() == 0)
		app->pdump = true;
	else
		FP_LOG(WARNING, main, "packet capture unavailable: %s (dpdk-dumpcap needs a "
			"--file-prefix without --in-memory)", rte_strerror(rte_errno));
}

static void
app_run_ctrl(struct fp_app *app, const struct fp_config *cfg)
{
	struct fp_ctrl_params p = {
		.cfg = cfg,
		.srv = app->http,
		.lcores = app->lcores,
		.nb_lcores = app->nb_workers,
		.eal_args = app->eal_args,
	};
	struct fp_err err;

	if (fp_ctrl_start(&p, &err) != 0)
		app_fail(app, err.msg);
}

/* Until a signal: then drain within cfg->drain_s unless told to stop now. */
static void
app_wait(const struct fp_config *cfg)
{
	uint64_t busy, hz = rte_get_tsc_hz(), end;

	while (!sig_drain && !fp_worker_stopping())
		usleep(50 * 1000);
	if (sig_now || fp_worker_stopping())
		return;
	busy = fp_ctrl_busy_conns();
	printf("%s: draining: refusing new connections, %" PRIu64 " in flight, waiting up to "
		"%u s (Ctrl-C again to exit now)\n", prog, busy, cfg->drain_s);
	fflush(stdout);
	if (fp_ctrl_drain() != 0)
		FP_LOG(WARNING, main, "a worker's control ring is full: it may not drain");
	/* The workers take the request at their next millisecond tick. */
	usleep(20 * 1000);
	end = rte_rdtsc() + hz * cfg->drain_s;
	while (!sig_now && (busy = fp_ctrl_busy_conns()) != 0 && rte_rdtsc() < end)
		usleep(10 * 1000);
	if (sig_now)
		return;
	if (busy != 0) {
		printf("%s: drain time over: resetting %" PRIu64 " connection(s)\n", prog, busy);
		/* The RSTs leave at the workers' next tick. */
		if (fp_ctrl_reset() == 0)
			usleep(20 * 1000);
	} else {
		printf("%s: drained\n", prog);
	}
	fflush(stdout);
}

int
fp_app_main(int argc, char **argv, const struct fp_app_ext *ext)
{
	struct fp_app app;
	struct fp_config cfg;
	struct sigaction sa;
	char ipbuf[INET_ADDRSTRLEN], mac[RTE_ETHER_ADDR_FMT_SIZE];
	unsigned int lcore, i;
	int eal_argc, ret, n;
	char **eal;

	/* EAL options end at "--"; ours follow it. Parse ours first, so that a
	 * bad configuration fails before EAL takes hugepages and devices.
	 */
	app_ext = ext;
	if (ext != NULL && ext->name != NULL)
		prog = ext->name;
	if (argc == 2 && (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0)) {
		usage(stdout);
		return 0;
	}
	for (eal_argc = 1; eal_argc < argc; eal_argc++)
		if (strcmp(argv[eal_argc], "--") == 0)
			break;
	memset(&app, 0, sizeof(app));
	if (eal_argc < argc) {
		char *arg0 = argv[eal_argc];

		/* getopt wants a program name first: it takes the place of "--". */
		argv[eal_argc] = argv[0];
		ret = parse_args(argc - eal_argc, argv + eal_argc, &cfg);
		argv[eal_argc] = arg0;
	} else {
		ret = parse_args(1, argv, &cfg);
	}
	n = fp_app_eal_argv(eal_argc, argv, &cfg, &eal, app.eal_args, sizeof(app.eal_args));
	if (ret) {
		print_config(&cfg);
		printf("%s: configuration OK\n%s: EAL arguments: %s\n", prog, prog, app.eal_args);
		return 0;
	}

	if (cfg.xdp_mode != FP_XDP_MODE_off)
		xdp_lock_first(n, eal);
	fp_app_check_eal(n, eal);
	ret = rte_eal_init(n, eal);
	if (ret < 0)
		die(FP_EXIT_FAIL, "EAL initialisation failed: %s (EAL arguments: %s)",
			rte_strerror(rte_errno), app.eal_args);

	app_start(&app, &cfg);

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	/* A closed log pipe must not kill us before the port is closed. */
	signal(SIGPIPE, SIG_IGN);

	app_run_ctrl(&app, &cfg);
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

	app_wait(&cfg);
	fp_worker_stop();
	RTE_LCORE_FOREACH_WORKER(lcore) {
		rte_eal_wait_lcore(lcore);
		FP_LOG(INFO, main, "lcore %u stopped", lcore);
	}
	if (sig_now)
		printf("%s: interrupted twice: stopped without draining\n", prog);
	/* What the embedding program runs beside the workers ends first. */
	if (app.ext_started && app_ext->stop != NULL)
		app_ext->stop(app_ext->arg);
	app.ext_started = false;
	print_totals();
	app_teardown(&app);
	return sig_now ? FP_EXIT_INTERRUPTED : 0;
}
