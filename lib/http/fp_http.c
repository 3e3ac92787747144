/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The fastpath authors
 */

#define _XOPEN_SOURCE 700
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <rte_cycles.h>
#include <rte_errno.h>
#include <rte_hash.h>
#include <rte_hash_crc.h>
#include <rte_malloc.h>

#include "fp_http.h"

#define FP_HTTP_ERR_TEXT(code, text) [FP_HTTP_E##code] = { code, text },
static const struct {
	uint16_t code;
	const char *text;
} fp_http_err_pages[FP_HTTP_E_MAX] = {
	FP_HTTP_ERRORS(FP_HTTP_ERR_TEXT)
};
#undef FP_HTTP_ERR_TEXT

static const char *
fp_http_reason(uint16_t status)
{
	static const struct {
		uint16_t code;
		const char *text;
	} more[] = {
		{ 200, "OK" }, { 201, "Created" }, { 202, "Accepted" }, { 204, "No Content" },
		{ 301, "Moved Permanently" }, { 302, "Found" }, { 303, "See Other" },
		{ 307, "Temporary Redirect" }, { 308, "Permanent Redirect" },
		{ 401, "Unauthorized" }, { 403, "Forbidden" }, { 410, "Gone" },
		{ 418, "I'm a teapot" }, { 429, "Too Many Requests" },
		{ 500, "Internal Server Error" }, { 502, "Bad Gateway" },
		{ 503, "Service Unavailable" }, { 504, "Gateway Timeout" },
	};
	unsigned int i;

	for (i = 0; i < RTE_DIM(fp_http_err_pages); i++)
		if (fp_http_err_pages[i].code == status)
			return fp_http_err_pages[i].text;
	for (i = 0; i < RTE_DIM(more); i++)
		if (more[i].code == status)
			return more[i].text;
	return "Status";
}

const char *
fp_http_content_type(const char *name)
{
	static const struct {
		const char *ext, *type;
	} types[] = {
		{ "html", "text/html; charset=utf-8" }, { "htm", "text/html; charset=utf-8" },
		{ "css", "text/css; charset=utf-8" }, { "js", "text/javascript; charset=utf-8" },
		{ "mjs", "text/javascript; charset=utf-8" }, { "json", "application/json" },
		{ "txt", "text/plain; charset=utf-8" }, { "md", "text/markdown; charset=utf-8" },
		{ "csv", "text/csv; charset=utf-8" }, { "xml", "application/xml" },
		{ "svg", "image/svg+xml" }, { "png", "image/png" }, { "jpg", "image/jpeg" },
		{ "jpeg", "image/jpeg" }, { "gif", "image/gif" }, { "webp", "image/webp" },
		{ "avif", "image/avif" }, { "ico", "image/x-icon" }, { "wasm", "application/wasm" },
		{ "pdf", "application/pdf" }, { "woff", "font/woff" }, { "woff2", "font/woff2" },
		{ "ttf", "font/ttf" }, { "otf", "font/otf" }, { "mp4", "video/mp4" },
		{ "webm", "video/webm" }, { "mp3", "audio/mpeg" }, { "ogg", "audio/ogg" },
		{ "wav", "audio/wav" }, { "zip", "application/zip" }, { "gz", "application/gzip" },
		{ "tar", "application/x-tar" }, { "map", "application/json" },
		{ "webmanifest", "application/manifest+json" },
	};
	const char *dot = strrchr(name, '.'), *slash = strrchr(name, '/');
	unsigned int i;

	if (dot != NULL && (slash == NULL || dot > slash))
		for (i = 0; i < RTE_DIM(types); i++)
			if (strcasecmp(dot + 1, types[i].ext) == 0)
				return types[i].type;
	return "application/octet-stream";
}

static void
fp_http_digits(char *p, unsigned int v, unsigned int n)
{
	while (n-- > 0) {
		p[n] = '0' + v % 10;
		v /= 10;
	}
}

void
fp_http_date(uint64_t sec, char *out)
{
	static const char days[] = "SunMonTueWedThuFriSat";
	static const char months[] = "JanFebMarAprMayJunJulAugSepOctNovDec";
	time_t t = (time_t)sec;
	struct tm tm;
	char *p = out;

	gmtime_r(&t, &tm);
	memcpy(p, days + 3 * tm.tm_wday, 3);
	p += 3;
	*p++ = ',';
	*p++ = ' ';
	*p++ = '0' + tm.tm_mday / 10;
	*p++ = '0' + tm.tm_mday % 10;
	*p++ = ' ';
	memcpy(p, months + 3 * tm.tm_mon, 3);
	p += 3;
	*p++ = ' ';
	fp_http_digits(p, tm.tm_year + 1900, 4);
	p += 4;
	*p++ = ' ';
	fp_http_digits(p, tm.tm_hour, 2);
	p[2] = ':';
	fp_http_digits(p + 3, tm.tm_min, 2);
	p[5] = ':';
	fp_http_digits(p + 6, tm.tm_sec, 2);
	memcpy(p + 8, " GMT", 4);
}

/* A 64-bit key for a path: two CRC32C passes from different seeds. The route
 * table holds a path's hash; the path itself is compared after a hit.
 */
static uint64_t
fp_http_path_key(const char *path, uint32_t len)
{
	return (uint64_t)rte_hash_crc(path, len, 0x9e3779b9) << 32 |
		rte_hash_crc(path, len, 0x7f4a7c15);
}

const struct fp_http_route *
fp_http_lookup(const struct fp_http_server *srv, const char *path, uint32_t len)
{
	uint64_t key = fp_http_path_key(path, len);
	const struct fp_http_route *r;
	void *data;

	const struct fp_http_name *n;

	if (rte_hash_lookup_data(srv->paths, &key, &data) < 0)
		return NULL;
	n = &srv->names[(uintptr_t)data];
	if (n->len != len || memcmp(n->path, path, len) != 0)
		return NULL;
	r = &srv->routes[n->route];
	return r;
}

/* Builds the three header templates of r. */
static int
fp_http_templates(struct fp_http_route *r, const char *server)
{
	static const char *const conn[FP_HTTP_V_MAX] = {
		[FP_HTTP_V_KEEP] = "",
		[FP_HTTP_V_KEEP10] = "Connection: keep-alive\r\n",
		[FP_HTTP_V_CLOSE] = "Connection: close\r\n",
	};
	char date[FP_HTTP_DATE_LEN + 1];
	unsigned int v;
	int n, off;

	memset(date, 'X', FP_HTTP_DATE_LEN);
	date[FP_HTTP_DATE_LEN] = '\0';
	for (v = 0; v < FP_HTTP_V_MAX; v++) {
		char buf[1024];

		n = snprintf(buf, sizeof(buf), "HTTP/1.1 %u %s\r\nServer: %s\r\nDate: %n%s\r\n"
			"Content-Type: %s\r\nContent-Length: %" PRIu32 "\r\n%s%s\r\n",
			r->status, fp_http_reason(r->status), server, &off, date,
			r->content_type, r->body_len,
			r->status == 405 ? "Allow: GET, HEAD\r\n" : "", conn[v]);
		if (n < 0 || (size_t)n >= sizeof(buf))
			return -ENAMETOOLONG;
		r->hdr[v] = rte_malloc("fp_http_hdr", n, RTE_CACHE_LINE_SIZE);
		if (r->hdr[v] == NULL)
			return -ENOMEM;
		memcpy(r->hdr[v], buf, n);
		r->hdr_len[v] = n;
		r->date_off[v] = off;
	}
	return 0;
}

/* Start-up state of fp_http_server_create: the routes grow as files load. */
struct fp_http_build {
	struct fp_http_server *srv;
	uint32_t cap;
	const struct fp_config *cfg;
	struct fp_err *err;
	size_t root_len;
	int ret;
};

static struct fp_http_build *fp_http_walk_state;

static struct fp_http_route *
fp_http_add(struct fp_http_build *b, const char *path)
{
	struct fp_http_server *srv = b->srv;
	struct fp_http_route *r;

	if (srv->nb_routes == b->cap) {
		uint32_t cap = b->cap == 0 ? 64 : b->cap * 2;

		r = realloc(srv->routes, cap * sizeof(*r));
		if (r == NULL)
			return NULL;
		srv->routes = r;
		b->cap = cap;
	}
	r = &srv->routes[srv->nb_routes];
	memset(r, 0, sizeof(*r));
	if (path != NULL) {
		r->path = strdup(path);
		if (r->path == NULL)
			return NULL;
	}
	srv->nb_routes++;
	return r;
}

static int
fp_http_set_body(struct fp_http_route *r, const void *data, size_t len)
{
	if (len == 0)
		return 0;
	r->body = rte_malloc("fp_http_body", len, RTE_CACHE_LINE_SIZE);
	if (r->body == NULL)
		return -ENOMEM;
	memcpy((void *)(uintptr_t)r->body, data, len);
	r->body_iova = rte_malloc_virt2iova(r->body);
	r->body_len = len;
	return 0;
}

/* Reads a whole file into hugepage memory. */
static int
fp_http_load_file(struct fp_http_build *b, struct fp_http_route *r, const char *file)
{
	struct stat st;
	size_t done = 0;
	ssize_t n;
	int fd;

	fd = open(file, O_RDONLY);
	if (fd < 0 || fstat(fd, &st) != 0) {
		int e = errno;

		if (fd >= 0)
			close(fd);
		return fp_fail(b->err, -e, "%s: cannot open: %s", file, strerror(e));
	}
	if (!S_ISREG(st.st_mode) || st.st_size >= UINT32_MAX) {
		close(fd);
		return fp_fail(b->err, -EINVAL, "%s: not a regular file under 4 GiB", file);
	}
	if (st.st_size > 0) {
		r->body = rte_malloc("fp_http_body", st.st_size, RTE_CACHE_LINE_SIZE);
		if (r->body == NULL) {
			close(fd);
			return fp_fail(b->err, -ENOMEM,
				"%s: no hugepage memory for its %" PRIu64 " bytes "
				"(reserve more hugepages or raise -m)", file, (uint64_t)st.st_size);
		}
	}
	while (done < (size_t)st.st_size) {
		n = read(fd, (uint8_t *)(uintptr_t)r->body + done, st.st_size - done);
		if (n <= 0) {
			close(fd);
			return fp_fail(b->err, -EIO, "%s: read failed: %s", file,
				n < 0 ? strerror(errno) : "file shrank");
		}
		done += n;
	}
	close(fd);
	r->body_len = st.st_size;
	r->body_iova = r->body != NULL ? rte_malloc_virt2iova(r->body) : 0;
	b->srv->body_bytes += r->body_len;
	return 0;
}

static int
fp_http_walk_one(const char *fpath, const struct stat *sb, int type, struct FTW *ftw)
{
	struct fp_http_build *b = fp_http_walk_state;
	const char *rel = fpath + b->root_len;
	struct fp_http_route *r;
	char path[FP_PATH_LEN + 8];

	/* Hidden files and folders (.git, .env) are never published. */
	if (ftw->level > 0 && fpath[ftw->base] == '.')
		return type == FTW_D ? FTW_SKIP_SUBTREE : FTW_CONTINUE;
	if (type != FTW_F || !S_ISREG(sb->st_mode))
		return FTW_CONTINUE;
	if (snprintf(path, sizeof(path), "%s%s", rel[0] == '/' ? "" : "/", rel) >=
			FP_PATH_LEN) {
		b->ret = fp_fail(b->err, -ENAMETOOLONG, "%s: path too long to serve", fpath);
		return FTW_STOP;
	}
	r = fp_http_add(b, path);
	if (r == NULL) {
		b->ret = fp_fail(b->err, -ENOMEM, "out of memory loading %s", fpath);
		return FTW_STOP;
	}
	r->status = 200;
	r->content_type = fp_http_content_type(path);
	b->ret = fp_http_load_file(b, r, fpath);
	return b->ret == 0 ? FTW_CONTINUE : FTW_STOP;
}

static int
fp_http_load_root(struct fp_http_build *b, const char *root)
{
	char real[PATH_MAX];
	struct stat st;

	if (realpath(root, real) == NULL || stat(real, &st) != 0 || !S_ISDIR(st.st_mode))
		return fp_fail(b->err, -ENOENT, "[http] root: '%s' is not a directory", root);
	b->root_len = strlen(real);
	if (b->root_len > 1 && real[b->root_len - 1] == '/')
		b->root_len--;
	fp_http_walk_state = b;
	b->ret = 0;
	if (nftw(real, fp_http_walk_one, 32, FTW_PHYS | FTW_ACTIONRETVAL) < 0 && b->ret == 0)
		b->ret = fp_fail(b->err, -errno, "[http] root: cannot read '%s': %s", root,
			strerror(errno));
	fp_http_walk_state = NULL;
	return b->ret;
}

/* Indexes path to route idx. A path already indexed keeps its route (a
 * [route] wins over a file); another path with the same 64-bit key would be
 * a silent wrong answer, so it fails.
 */
/* Indexes path to route idx. A path already indexed keeps its route (a
 * [route] wins over a file, a file over a directory index); another path
 * with the same 64-bit key would be a silent wrong answer, so it fails.
 */
static int
fp_http_index(struct fp_http_server *srv, const char *path, uint32_t idx)
{
	uint32_t len = strlen(path);
	uint64_t key = fp_http_path_key(path, len);
	struct fp_http_name *n;
	void *data;
	int ret;

	if (rte_hash_lookup_data(srv->paths, &key, &data) >= 0)
		return strcmp(srv->names[(uintptr_t)data].path, path) == 0 ? 0 : -EEXIST;
	n = &srv->names[srv->nb_names];
	n->path = strdup(path);
	if (n->path == NULL)
		return -ENOMEM;
	n->len = len;
	n->route = idx;
	ret = rte_hash_add_key_data(srv->paths, &key, (void *)(uintptr_t)srv->nb_names);
	if (ret != 0) {
		free(n->path);
		return ret;
	}
	srv->nb_names++;
	return 0;
}

/* A shared info whose last reference never goes: bodies live until exit. */
static void
fp_http_body_keep(void *addr __rte_unused, void *opaque __rte_unused)
{
}

static int
fp_http_finish(struct fp_http_build *b)
{
	struct fp_http_server *srv = b->srv;
	struct rte_hash_parameters hp = { 0 };
	char name[RTE_HASH_NAMESIZE];
	static unsigned int seq;
	uint32_t i, w;
	int ret;

	snprintf(name, sizeof(name), "fp_routes_%u", seq++);
	hp.name = name;
	hp.entries = RTE_MAX(srv->nb_routes * 2, 64u);
	hp.key_len = sizeof(uint64_t);
	hp.hash_func = rte_hash_crc;
	hp.socket_id = SOCKET_ID_ANY;
	srv->paths = rte_hash_create(&hp);
	srv->names = calloc(2 * srv->nb_routes + 1, sizeof(*srv->names));
	if (srv->paths == NULL || srv->names == NULL)
		return fp_fail(b->err, -ENOMEM, "cannot create the route table: %s",
			rte_strerror(rte_errno));
	for (i = 0; i < srv->nb_routes; i++) {
		struct fp_http_route *r = &srv->routes[i];
		size_t len;

		ret = fp_http_templates(r, b->cfg->server);
		if (ret != 0)
			return fp_fail(b->err, ret, "cannot build the headers of %s",
				r->path != NULL ? r->path : "an error page");
		if (r->path == NULL)
			continue;
		ret = fp_http_index(srv, r->path, i);
		if (ret != 0)
			return fp_fail(b->err, ret, "cannot index %s", r->path);
		/* "/dir/index.html" also answers "/dir/". */
		len = strlen(r->path);
		if (len >= 11 && strcmp(r->path + len - 11, "/index.html") == 0) {
			char dir[FP_PATH_LEN];

			snprintf(dir, sizeof(dir), "%.*s", (int)(len - 10), r->path);
			ret = fp_http_index(srv, dir, i);
			if (ret != 0)
				return fp_fail(b->err, ret, "cannot index %s", dir);
		}
	}
	/* A cache line of padding between workers' blocks. */
	srv->shinfo_stride = srv->nb_routes + (RTE_CACHE_LINE_SIZE +
		sizeof(*srv->shinfo) - 1) / sizeof(*srv->shinfo);
	srv->shinfo = rte_zmalloc("fp_http_shinfo", sizeof(*srv->shinfo) *
		srv->shinfo_stride * srv->nb_workers, RTE_CACHE_LINE_SIZE);
	if (srv->shinfo == NULL)
		return fp_fail(b->err, -ENOMEM, "cannot allocate the body references");
	for (w = 0; w < srv->nb_workers; w++)
		for (i = 0; i < srv->nb_routes; i++) {
			struct rte_mbuf_ext_shared_info *s = fp_http_shinfo(srv, w, i);

			s->free_cb = fp_http_body_keep;
			rte_mbuf_ext_refcnt_set(s, 1);
		}
	return 0;
}

struct fp_http_server *
fp_http_server_create(const struct fp_config *cfg, unsigned int nb_workers, struct fp_err *err)
{
	struct fp_http_build b = { .cfg = cfg, .err = err };
	struct fp_http_server *srv;
	struct timespec ts;
	unsigned int i;
	int ret = 0;

	srv = rte_zmalloc("fp_http", sizeof(*srv), RTE_CACHE_LINE_SIZE);
	if (srv == NULL) {
		fp_fail(err, -ENOMEM, "cannot allocate the HTTP server");
		rte_errno = ENOMEM;
		return NULL;
	}
	b.srv = srv;
	srv->nb_workers = nb_workers;
	srv->lim.max_uri = cfg->max_uri;
	srv->lim.max_header_bytes = cfg->max_header_bytes;
	srv->lim.max_body = cfg->max_body;
	clock_gettime(CLOCK_REALTIME, &ts);
	srv->epoch_base = ts.tv_sec;
	srv->tsc_base = rte_rdtsc();
	srv->hz = rte_get_tsc_hz();

	/* Configured routes first: they win over files of the same path. */
	for (i = 0; i < cfg->nb_routes && ret == 0; i++) {
		const struct fp_config_route *cr = &cfg->routes[i];
		struct fp_http_route *r = fp_http_add(&b, cr->path);

		if (r == NULL) {
			ret = fp_fail(err, -ENOMEM, "out of memory");
			break;
		}
		r->status = cr->status;
		r->content_type = cr->content_type[0] != '\0' ? cr->content_type :
			cr->has_body ? "text/plain; charset=utf-8" : fp_http_content_type(cr->file);
		if (cr->has_body) {
			ret = fp_http_set_body(r, cr->body, strlen(cr->body));
			if (ret != 0)
				fp_fail(err, ret, "[route %s] body: no memory", cr->path);
		} else {
			ret = fp_http_load_file(&b, r, cr->file);
		}
	}
	if (ret == 0 && cfg->root[0] != '\0')
		ret = fp_http_load_root(&b, cfg->root);
	srv->nb_content = srv->nb_routes;
	for (i = 0; i < FP_HTTP_E_MAX && ret == 0; i++) {
		struct fp_http_route *r = fp_http_add(&b, NULL);
		char body[96];
		int n;

		if (r == NULL) {
			ret = fp_fail(err, -ENOMEM, "out of memory");
			break;
		}
		r->status = fp_http_err_pages[i].code;
		r->content_type = "text/plain; charset=utf-8";
		n = snprintf(body, sizeof(body), "%u %s\n", r->status, fp_http_err_pages[i].text);
		ret = fp_http_set_body(r, body, n);
		if (ret != 0)
			fp_fail(err, ret, "no memory for the error pages");
		srv->err_route[i] = srv->nb_routes - 1;
	}
	if (ret == 0 && srv->nb_routes > UINT16_MAX)
		ret = fp_fail(err, -E2BIG, "more than %u files and routes", UINT16_MAX);
	if (ret == 0)
		ret = fp_http_finish(&b);
	if (ret != 0) {
		fp_http_server_free(srv);
		rte_errno = -ret;
		return NULL;
	}
	FP_LOG(INFO, http, "%u routes, %" PRIu64 " bytes of content in hugepage memory",
		srv->nb_content, srv->body_bytes);
	return srv;
}

void
fp_http_server_free(struct fp_http_server *srv)
{
	uint32_t i;
	unsigned int v;

	if (srv == NULL)
		return;
	for (i = 0; i < srv->nb_routes; i++) {
		struct fp_http_route *r = &srv->routes[i];

		rte_free((void *)(uintptr_t)r->body);
		for (v = 0; v < FP_HTTP_V_MAX; v++)
			rte_free(r->hdr[v]);
		free(r->path);
	}
	free(srv->routes);
	for (i = 0; i < srv->nb_names; i++)
		free(srv->names[i].path);
	free(srv->names);
	rte_hash_free(srv->paths);
	rte_free(srv->shinfo);
	rte_free(srv);
}

/* Request handling: from bytes to responses. */

static void
fp_http_count_status(struct fp_stats *st, uint16_t status)
{
	static const enum fp_counter cls[] = {
		FP_C_http_2xx, FP_C_http_2xx, FP_C_http_2xx, FP_C_http_3xx, FP_C_http_4xx,
		FP_C_http_5xx,
	};
	enum fp_counter c = FP_C_MAX;

	fp_count(st, cls[status / 100 < RTE_DIM(cls) ? status / 100 : 5], 1);
	switch (status) {
	case 200: c = FP_C_http_200; break;
	case 400: c = FP_C_http_400; break;
	case 404: c = FP_C_http_404; break;
	case 405: c = FP_C_http_405; break;
	case 408: c = FP_C_http_408; break;
	case 413: c = FP_C_http_413; break;
	case 414: c = FP_C_http_414; break;
	case 431: c = FP_C_http_431; break;
	case 501: c = FP_C_http_501; break;
	case 505: c = FP_C_http_505; break;
	}
	if (c != FP_C_MAX)
		fp_count(st, c, 1);
}

static uint16_t
fp_http_err_route(const struct fp_http_server *srv, uint16_t status)
{
	unsigned int i;

	for (i = 0; i < FP_HTTP_E_MAX; i++)
		if (fp_http_err_pages[i].code == status)
			return srv->err_route[i];
	return srv->err_route[FP_HTTP_E400];
}

void
fp_http_error(const struct fp_http_server *srv, struct fp_http_conn *hc,
	struct fp_stats *st, uint16_t status, const char *reason, struct fp_http_resp *resp)
{
	resp->route = fp_http_err_route(srv, status);
	resp->variant = FP_HTTP_V_CLOSE;
	resp->head = 0;
	hc->closing = 1;
	fp_count(st, FP_C_http_requests, 1);
	fp_count(st, fp_http_err_counter(reason), 1);
	fp_http_count_status(st, status);
}

static int
fp_http_hex(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c |= 0x20;
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/* Finds the route for a path, percent-decoding it first when it has to.
 * Returns NULL for no such route, and sets *bad for an undecodable path.
 */
static const struct fp_http_route *
fp_http_find(const struct fp_http_server *srv, const struct fp_http_slice *p, bool *bad)
{
	char dec[FP_PATH_LEN];
	uint32_t i, n = 0;
	int hi, lo;

	if (memchr(p->p, '%', p->len) == NULL)
		return fp_http_lookup(srv, p->p, p->len);
	for (i = 0; i < p->len; i++) {
		if (n == sizeof(dec))
			return NULL;	/* longer than any route */
		if (p->p[i] != '%') {
			dec[n++] = p->p[i];
			continue;
		}
		hi = i + 2 < p->len ? fp_http_hex(p->p[i + 1]) : -1;
		lo = hi >= 0 ? fp_http_hex(p->p[i + 2]) : -1;
		/* A NUL or a slash hidden in an escape names no file we load. */
		if (lo < 0 || (hi == 0 && lo == 0)) {
			*bad = true;
			return NULL;
		}
		dec[n++] = (char)(hi << 4 | lo);
		i += 2;
	}
	return fp_http_lookup(srv, dec, n);
}

/* Turns one parsed head into a response. */
static void
fp_http_request(const struct fp_http_server *srv, struct fp_http_conn *hc,
	struct fp_stats *st, const struct fp_http_request *req, struct fp_http_resp *resp)
{
	const struct fp_http_route *r = NULL;
	struct fp_http_info info;
	bool bad = false;
	uint16_t status;

	fp_http_analyze(req, &srv->lim, &info);
	status = info.status;
	if (status == 0) {
		r = fp_http_find(srv, &info.path, &bad);
		if (bad) {
			status = 400;
			info.reason = "bad_path_encoding";
			info.keep_alive = false;
		} else if (r == NULL) {
			status = 404;
		}
	}
	if (info.method == FP_HTTP_GET)
		fp_count(st, FP_C_http_get, 1);
	else if (info.method == FP_HTTP_HEAD)
		fp_count(st, FP_C_http_head, 1);
	else
		fp_count(st, FP_C_http_other_method, 1);
	fp_count(st, FP_C_http_requests, 1);
	if (r == NULL) {
		r = &srv->routes[fp_http_err_route(srv, status)];
		fp_http_count_status(st, status);
		if (status != 404)
			fp_count(st, fp_http_err_counter(info.reason), 1);
	} else {
		fp_http_count_status(st, r->status);
	}
	resp->route = r - srv->routes;
	fp_count_hit(st, resp->route);
	resp->head = info.method == FP_HTTP_HEAD;
	if (!info.keep_alive) {
		resp->variant = FP_HTTP_V_CLOSE;
		hc->closing = 1;
		return;
	}
	resp->variant = req->minor == 0 ? FP_HTTP_V_KEEP10 : FP_HTTP_V_KEEP;
	/* Only a served or refused request keeps the connection, so its body
	 * is framed by a valid Content-Length: read it and drop it.
	 */
	hc->body_left = info.content_length;
}

static void
fp_http_buf_put(struct fp_http_conn *hc, struct rte_mempool *bufs, struct fp_stats *st)
{
	if (hc->buf == NULL)
		return;
	rte_mempool_put(bufs, hc->buf);
	hc->buf = NULL;
	hc->off = 0;
	hc->buf_len = 0;
	fp_gauge_add(st, FP_G_http_rxbufs, -1);
}

void
fp_http_conn_free(struct fp_http_conn *hc, struct rte_mempool *bufs, struct fp_stats *st)
{
	fp_http_buf_put(hc, bufs, st);
	memset(hc, 0, sizeof(*hc));
}

/* Answers the requests at the start of data[0, len). Returns the bytes
 * used: everything, or up to a head that is not complete yet, or up to
 * where room ran out.
 */
static uint32_t
fp_http_process(const struct fp_http_server *srv, struct fp_http_conn *hc,
	struct fp_stats *st, const char *data, uint32_t len, struct fp_http_resp *resp,
	unsigned int room, unsigned int *nb)
{
	struct fp_http_request req;
	uint32_t done = 0, take;
	const char *why;
	uint16_t status;
	int ret;

	while (done < len && hc->closing == 0) {
		if (hc->body_left != 0) {
			take = RTE_MIN(hc->body_left, len - done);
			hc->body_left -= take;
			done += take;
			fp_count(st, FP_C_http_body_bytes_discarded, take);
			continue;
		}
		if (*nb == room)
			break;
		ret = fp_http_parse_request(data + done, len - done, &req);
		if (ret > 0) {
			fp_http_request(srv, hc, st, &req, &resp[(*nb)++]);
			done += ret;
			continue;
		}
		status = fp_http_incomplete_status(data + done, len - done, ret, &req,
			&srv->lim, &why);
		if (status == 0)
			break;
		FP_LOG(DEBUG, http, "answering %u: %s", status, why);
		fp_http_error(srv, hc, st, status, why, &resp[(*nb)++]);
	}
	/* After a response that closes, the rest is read and ignored. */
	return hc->closing != 0 ? len : done;
}

uint32_t
fp_http_input(const struct fp_http_server *srv, struct fp_http_conn *hc,
	struct rte_mempool *bufs, struct fp_stats *st, const char *data, uint32_t len,
	struct fp_http_resp *resp, unsigned int room, unsigned int *nb)
{
	uint32_t cap = srv->lim.max_header_bytes, done = 0, take, used;
	struct fp_http_request req;
	const char *why;
	uint16_t status;

	for (;;) {
		if (hc->closing != 0) {
			fp_http_buf_put(hc, bufs, st);
			return len;
		}
		if (hc->buf == NULL) {
			/* The common case: requests parsed where they lie. */
			done += fp_http_process(srv, hc, st, data + done, len - done, resp,
				room, nb);
			if (hc->closing != 0)
				continue;
			if (done == len)
				return len;
			if (rte_mempool_get(bufs, (void **)&hc->buf) != 0) {
				hc->buf = NULL;
				fp_count_drop(st, FP_DROP_tcp_no_rxbuf);
				return done;
			}
			fp_gauge_add(st, FP_G_http_rxbufs, 1);
			hc->off = 0;
			hc->buf_len = 0;
		}
		/* Waiting bytes first, topped up with new ones. */
		take = RTE_MIN(len - done, cap - hc->buf_len);
		if (take != 0)
			memcpy(hc->buf + hc->buf_len, data + done, take);
		hc->buf_len += take;
		done += take;
		used = fp_http_process(srv, hc, st, hc->buf + hc->off, hc->buf_len - hc->off,
			resp, room, nb);
		hc->off += used;
		if (hc->closing != 0)
			continue;
		if (hc->off == hc->buf_len) {
			fp_http_buf_put(hc, bufs, st);
			if (done == len)
				return len;
			continue;
		}
		if (*nb == room)
			return done;
		/* An incomplete head: move it to the front for the rest. */
		if (hc->off != 0) {
			memmove(hc->buf, hc->buf + hc->off, hc->buf_len - hc->off);
			hc->buf_len -= hc->off;
			hc->off = 0;
		}
		if (hc->buf_len == cap) {
			(void)fp_http_parse_request(hc->buf, hc->buf_len, &req);
			status = fp_http_incomplete_status(hc->buf, hc->buf_len, -2, &req,
				&srv->lim, &why);
			fp_http_error(srv, hc, st, status != 0 ? status : 431,
				status != 0 ? why : "header_too_large", &resp[(*nb)++]);
			continue;
		}
		if (done == len)
			return len;
	}
}
