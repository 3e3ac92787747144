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
#include <rte_ring.h>

#include "fp_http_priv.h"

/* CRC32C of len bytes at p, which may sit at any address: rte_hash_crc()
 * reads them as 8- and 4-byte words in place, which C (and UBSan) forbid
 * when they are not aligned. memcpy makes the same loads legal.
 */
static inline uint32_t
fp_http_crc(const char *p, uint32_t len, uint32_t crc)
{
	uint64_t w8;
	uint32_t w4;

	for (; len >= 8; p += 8, len -= 8) {
		memcpy(&w8, p, 8);
		crc = rte_hash_crc_8byte(w8, crc);
	}
	if (len >= 4) {
		memcpy(&w4, p, 4);
		crc = rte_hash_crc_4byte(w4, crc);
		p += 4;
		len -= 4;
	}
	for (; len > 0; p++, len--)
		crc = rte_hash_crc_1byte((uint8_t)*p, crc);
	return crc;
}

/* A 64-bit key for a path: two CRC32C passes from different seeds. The route
 * table holds a path's hash; the path itself is compared after a hit. The
 * low half is the table's signature too, so the key is not hashed again.
 */
static uint64_t
fp_http_path_key(const char *path, uint32_t len)
{
	return (uint64_t)fp_http_crc(path, len, 0x9e3779b9) << 32 |
		fp_http_crc(path, len, 0x7f4a7c15);
}

__rte_hot const struct fp_http_route *
fp_http_lookup(const struct fp_http_server *srv, const char *path, uint32_t len)
{
	uint64_t key = fp_http_path_key(path, len);
	const struct fp_http_route *r;
	void *data;

	const struct fp_http_name *n;

	if (rte_hash_lookup_with_hash_data(srv->paths, &key, (hash_sig_t)key, &data) < 0)
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
			"Content-Type: %s\r\nContent-Length: %" PRIu32 "\r\n%s\r\n",
			r->status, fp_http_reason(r->status), server, &off, date,
			r->content_type, r->body_len, conn[v]);
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
fp_http_route_body(struct fp_http_route *r, const void *data, size_t len)
{
	if (len == 0)
		return 0;
	r->body = rte_malloc("fp_http_body", len, RTE_CACHE_LINE_SIZE);
	if (r->body == NULL)
		return -ENOMEM;
	memcpy((void *)(uintptr_t)r->body, data, len);
	r->body_iova = rte_malloc_virt2iova(r->body);
	r->body_len = len;
	r->body_sum = fp_cksum_raw(r->body, len);
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
	/* Sent as is for the server's life: summed once for ports that
	 * checksum in software.
	 */
	r->body_sum = r->body != NULL ? fp_cksum_raw(r->body, r->body_len) : 0;
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

	if (rte_hash_lookup_with_hash_data(srv->paths, &key, (hash_sig_t)key, &data) >= 0)
		return strcmp(srv->names[(uintptr_t)data].path, path) == 0 ? 0 : -EEXIST;
	n = &srv->names[srv->nb_names];
	n->path = strdup(path);
	if (n->path == NULL)
		return -ENOMEM;
	n->len = len;
	n->route = idx;
	ret = rte_hash_add_key_with_hash_data(srv->paths, &key, (hash_sig_t)key,
		(void *)(uintptr_t)srv->nb_names);
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
fp_http_build_end(struct fp_http_build *b)
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

/* One ring per worker for fp_http_post(), and the messages. */
static int
fp_http_posts(struct fp_http_server *srv, struct fp_err *err)
{
	char name[RTE_RING_NAMESIZE];
	static unsigned int seq;
	unsigned int w, id = __atomic_fetch_add(&seq, 1, __ATOMIC_RELAXED);

	srv->posts = calloc(RTE_MAX(srv->nb_workers, 1u), sizeof(*srv->posts));
	if (srv->posts == NULL)
		return fp_fail(err, -ENOMEM, "cannot allocate the post rings");
	for (w = 0; w < srv->nb_workers; w++) {
		snprintf(name, sizeof(name), "fp_post_%u_%u", id, w);
		srv->posts[w] = rte_ring_create(name, FP_HTTP_POSTS, SOCKET_ID_ANY,
			RING_F_SC_DEQ);
		if (srv->posts[w] == NULL)
			return fp_fail(err, -ENOMEM, "cannot create a post ring: %s",
				rte_strerror(rte_errno));
	}
	snprintf(name, sizeof(name), "fp_posts_%u", id);
	srv->post_pool = rte_mempool_create(name, FP_HTTP_POSTS * RTE_MAX(srv->nb_workers, 1u),
		64, 0, 0, NULL, NULL, NULL, NULL, SOCKET_ID_ANY, 0);
	if (srv->post_pool == NULL)
		return fp_fail(err, -ENOMEM, "cannot create the post messages: %s",
			rte_strerror(rte_errno));
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
	snprintf(srv->server, sizeof(srv->server), "%s", cfg->server);
	srv->server_len = strlen(srv->server);
	srv->nb_ctx = cfg->contexts;
	srv->nb_rbufs = cfg->body_buffers;
	srv->nb_obufs = cfg->reply_buffers;
	srv->body_ms = cfg->body_timeout_s * 1000;
	srv->router = fp_http_router_create();
	if (srv->router == NULL) {
		fp_http_server_free(srv);
		fp_fail(err, -ENOMEM, "cannot create the HTTP router");
		rte_errno = ENOMEM;
		return NULL;
	}
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
			ret = fp_http_route_body(r, cr->body, strlen(cr->body));
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
		ret = fp_http_route_body(r, body, n);
		if (ret != 0)
			fp_fail(err, ret, "no memory for the error pages");
		srv->err_route[i] = srv->nb_routes - 1;
	}
	if (ret == 0 && srv->nb_routes > UINT16_MAX)
		ret = fp_fail(err, -E2BIG, "more than %u files and routes", UINT16_MAX);
	if (ret == 0)
		ret = fp_http_build_end(&b);
	if (ret == 0)
		ret = fp_http_posts(srv, err);
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
	if (srv->posts != NULL)
		for (i = 0; i < srv->nb_workers; i++)
			rte_ring_free(srv->posts[i]);
	free(srv->posts);
	rte_mempool_free(srv->post_pool);
	fp_http_router_free(srv->router);
	rte_free(srv);
}

/* The built-in handler: loaded files and [route] sections, by path. */
int
fp_http_static_handler(struct fp_http_ctx *x, void *arg)
{
	const struct fp_http_server *srv = x->hw->srv;
	const struct fp_http_route *r = arg;

	/* The routing found it already; looked up here when registered as
	 * a route of its own.
	 */
	if (r == NULL)
		r = fp_http_lookup(srv, x->path.p, x->path.len);
	if (r == NULL)
		return FP_HTTP_NEXT;
	fp_count_hit(x->hw->st, r - srv->routes);
	fp_http_use_route(x, r - srv->routes);
	return FP_HTTP_DONE;
}
