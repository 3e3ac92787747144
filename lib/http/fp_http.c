/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The fastpath authors
 */

#define _XOPEN_SOURCE 700
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <search.h>
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

#include "fp_http_compress.h"
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

/* The representation's header lines of r, after Content-Length (full:
 * with Content-Encoding and Accept-Ranges, which a 304 does not repeat).
 */
static int
fp_http_rep_lines(const struct fp_http_route *r, bool full, char *buf, size_t size)
{
	char lm[FP_HTTP_DATE_LEN + 1];
	int n = 0;

	buf[0] = '\0';
	if (full && r->coding != FP_HTTP_CE_IDENTITY)
		n += snprintf(buf + n, size - n, "Content-Encoding: %s\r\n",
			fp_http_coding_names[r->coding]);
	/* RFC 9110 12.5.5: the answer depends on Accept-Encoding. */
	if (r->avail != 0 || r->coding != FP_HTTP_CE_IDENTITY)
		n += snprintf(buf + n, size - n, "Vary: Accept-Encoding\r\n");
	if (r->etag_len != 0)
		n += snprintf(buf + n, size - n, "ETag: %s\r\n", r->etag);
	if (r->mtime > 0) {
		fp_http_date(r->mtime, lm);
		lm[FP_HTTP_DATE_LEN] = '\0';
		n += snprintf(buf + n, size - n, "Last-Modified: %s\r\n", lm);
	}
	if (full && r->etag_len != 0)
		n += snprintf(buf + n, size - n, "Accept-Ranges: bytes\r\n");
	return n;
}

/* Builds the header templates of r: its status, and a 304 when it has
 * validators.
 */
static int
fp_http_templates(struct fp_http_route *r, const char *server)
{
	static const char *const conn[FP_HTTP_V_MAX] = {
		[FP_HTTP_V_KEEP] = "",
		[FP_HTTP_V_KEEP10] = "Connection: keep-alive\r\n",
		[FP_HTTP_V_CLOSE] = "Connection: close\r\n",
	};
	char date[FP_HTTP_DATE_LEN + 1], rep[512], rep304[512];
	unsigned int t, v;
	int n, off;

	memset(date, 'X', FP_HTTP_DATE_LEN);
	date[FP_HTTP_DATE_LEN] = '\0';
	fp_http_rep_lines(r, true, rep, sizeof(rep));
	fp_http_rep_lines(r, false, rep304, sizeof(rep304));
	for (t = 0; t < FP_HTTP_T_MAX; t++) {
		char buf[1024];

		v = t % FP_HTTP_V_MAX;
		if (t >= FP_HTTP_T_304 && r->etag_len == 0)
			break;
		if (t < FP_HTTP_T_304)
			n = snprintf(buf, sizeof(buf), "HTTP/1.1 %u %s\r\nServer: %s\r\n"
				"Date: %n%s\r\nContent-Type: %s\r\nContent-Length: %" PRIu32
				"\r\n%s%s\r\n", r->status, fp_http_reason(r->status), server,
				&off, date, r->content_type, r->body_len, rep, conn[v]);
		else
			/* RFC 9110 15.4.5: the fields a 200 would have had
			 * that describe it (ETag, Vary, Last-Modified), no
			 * content.
			 */
			n = snprintf(buf, sizeof(buf), "HTTP/1.1 304 Not Modified\r\n"
				"Server: %s\r\nDate: %n%s\r\n%s%s\r\n", server, &off, date,
				rep304, conn[v]);
		if (n < 0 || (size_t)n >= sizeof(buf))
			return -ENAMETOOLONG;
		r->hdr[t] = rte_malloc("fp_http_hdr", n, RTE_CACHE_LINE_SIZE);
		if (r->hdr[t] == NULL)
			return -ENOMEM;
		memcpy(r->hdr[t], buf, n);
		r->hdr_len[t] = n;
		r->date_off[t] = off;
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
	void *loaded;			/* tsearch() tree of struct fp_http_loaded */
};

/* A file loaded already: another name for it (a hard link, a .gz sibling
 * that is also served under its own path, a [route] file = of a file under
 * root) shares its body.
 */
struct fp_http_loaded {
	dev_t dev;
	ino_t ino;
	off_t size;
	time_t mtime;
	uint32_t route;
};

static int
fp_http_loaded_cmp(const void *a, const void *b)
{
	const struct fp_http_loaded *x = a, *y = b;

	if (x->dev != y->dev)
		return x->dev < y->dev ? -1 : 1;
	if (x->ino != y->ino)
		return x->ino < y->ino ? -1 : 1;
	if (x->size != y->size)
		return x->size < y->size ? -1 : 1;
	return x->mtime < y->mtime ? -1 : x->mtime > y->mtime;
}

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
	/* Until fp_http_variants() says otherwise: its own body, as it is. */
	r->base = srv->nb_routes;
	r->coding = FP_HTTP_CE_IDENTITY;
	r->alt[FP_HTTP_CE_IDENTITY] = srv->nb_routes;
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
	struct fp_http_loaded key, *rec, *const *found;
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
	key.dev = st.st_dev;
	key.ino = st.st_ino;
	key.size = st.st_size;
	key.mtime = st.st_mtime;
	key.route = r - b->srv->routes;
	found = tfind(&key, &b->loaded, fp_http_loaded_cmp);
	if (found != NULL) {
		const struct fp_http_route *o = &b->srv->routes[(*found)->route];

		close(fd);
		r->body = o->body;
		r->body_iova = o->body_iova;
		r->body_len = o->body_len;
		r->body_sum = o->body_sum;
		r->body_shared = 1;
		r->mtime = o->mtime;
		r->file = strdup(file);
		return r->file != NULL ? 0 :
			fp_fail(b->err, -ENOMEM, "out of memory loading %s", file);
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
	r->file = strdup(file);
	if (r->file == NULL)
		return fp_fail(b->err, -ENOMEM, "out of memory loading %s", file);
	/* RFC 9110 8.8.2.1: never a Last-Modified later than the clock. */
	r->mtime = RTE_MIN((int64_t)st.st_mtime, (int64_t)b->srv->epoch_base);
	if (r->mtime <= 0)
		r->mtime = 0;
	r->body_len = st.st_size;
	r->body_iova = r->body != NULL ? rte_malloc_virt2iova(r->body) : 0;
	/* Sent as is for the server's life: summed once for ports that
	 * checksum in software.
	 */
	r->body_sum = r->body != NULL ? fp_cksum_raw(r->body, r->body_len) : 0;
	b->srv->body_bytes += r->body_len;
	/* Remembered for the other names it may have. */
	rec = malloc(sizeof(*rec));
	if (rec != NULL)
		*rec = key;
	if (rec == NULL || tsearch(rec, &b->loaded, fp_http_loaded_cmp) == NULL) {
		free(rec);
		return fp_fail(b->err, -ENOMEM, "out of memory loading %s", file);
	}
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

/* Variants at start. */

/* What the variant pass made, for the log. */
struct fp_http_vstats {
	uint32_t made[FP_HTTP_CE_MAX];
	uint32_t siblings;
	uint32_t too_big;
	uint32_t late;			/* after compress_budget_s */
	uint64_t saved;
	struct timespec t0;
};

static double
fp_http_since(const struct timespec *t0)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (t.tv_sec - t0->tv_sec) + (t.tv_nsec - t0->tv_nsec) / 1e9;
}

/* Route r's strong entity tag: 64 bits of its own bytes and their length,
 * so it changes when they do and is the same on every server that has the
 * same bytes (RFC 9110 8.8.3). A variant's says which coding it is too.
 */
static void
fp_http_etag(struct fp_http_route *r, const char *suffix)
{
	const char *p = (const char *)r->body;
	uint64_t h = (uint64_t)fp_http_crc(p, r->body_len, 0x9e3779b9 ^ r->body_len) << 32 |
		fp_http_crc(p, r->body_len, 0x7f4a7c15);

	r->etag_len = snprintf(r->etag, sizeof(r->etag), "\"%016" PRIx64 "%s\"", h, suffix);
}

/* A variant of base route bi in coding c: a route without a path, found
 * through the base's alt[]. From file when given (a sibling), else from
 * data[0, len).
 */
static int
fp_http_variant_add(struct fp_http_build *b, uint32_t bi, unsigned int c, const char *file,
	const void *data, size_t len)
{
	static const char *const suffix[FP_HTTP_CE_MAX] = {
		[FP_HTTP_CE_BR] = "-br", [FP_HTTP_CE_GZIP] = "-gz",
	};
	struct fp_http_route *r = fp_http_add(b, NULL), *base;
	int ret;

	if (r == NULL)
		return fp_fail(b->err, -ENOMEM, "out of memory making variants");
	ret = file != NULL ? fp_http_load_file(b, r, file) : fp_http_route_body(r, data, len);
	if (ret != 0 && file == NULL)
		return fp_fail(b->err, ret, "no hugepage memory for a variant");
	if (ret != 0)
		return ret;
	if (file == NULL)
		b->srv->body_bytes += len;
	/* fp_http_add() may have moved the routes. */
	base = &b->srv->routes[bi];
	r->status = base->status;
	r->content_type = base->content_type;
	r->mtime = base->mtime;
	r->base = bi;
	r->coding = c;
	/* Its own bytes: gzip and brotli levels, library versions and
	 * sibling files make different bytes of the same file.
	 */
	fp_http_etag(r, suffix[c]);
	base->alt[c] = r - b->srv->routes;
	base->avail |= 1u << c;
	return 0;
}

/* Route bi's variant in coding c: its sibling file (file.br, file.gz) when
 * there is one not older than the file and at most 90% of it, else one
 * compressed now when the type, the size and the time budget allow.
 */
static int
fp_http_variant_make(struct fp_http_build *b, uint32_t bi, unsigned int c,
	struct fp_http_vstats *vs)
{
	const struct fp_config *cfg = b->cfg;
	const struct fp_http_route *r = &b->srv->routes[bi];
	size_t len = r->body_len, out_len;
	char sib[PATH_MAX];
	struct stat st, fst;
	void *out;
	int ret;

	if (r->file != NULL && stat(r->file, &fst) == 0 &&
			snprintf(sib, sizeof(sib), "%s.%s", r->file,
				c == FP_HTTP_CE_BR ? "br" : "gz") < (int)sizeof(sib) &&
			stat(sib, &st) == 0 && S_ISREG(st.st_mode) &&
			st.st_mtime >= fst.st_mtime && (uint64_t)st.st_size <= len - len / 10 &&
			st.st_size > 0) {
		vs->siblings++;
		vs->made[c]++;
		vs->saved += len - st.st_size;
		return fp_http_variant_add(b, bi, c, sib, NULL, 0);
	}
	if (!fp_http_compressible(r->content_type) || len < cfg->compress_min)
		return 0;
	if (len > cfg->compress_max) {
		vs->too_big += c == FP_HTTP_CE_GZIP;
		return 0;
	}
	if (fp_http_since(&vs->t0) >= cfg->compress_budget_s) {
		vs->late += c == FP_HTTP_CE_GZIP;
		return 0;
	}
	ret = c == FP_HTTP_CE_BR ?
		fp_http_brotli(r->body, len, cfg->brotli_quality, &out, &out_len) :
		fp_http_gzip(r->body, len, cfg->gzip_level, &out, &out_len);
	/* Not small enough: no variant, the identity body serves all. */
	if (ret == -E2BIG)
		return 0;
	if (ret != 0)
		return fp_fail(b->err, ret, "%s: cannot compress it", r->file ? r->file : r->path);
	ret = fp_http_variant_add(b, bi, c, NULL, out, out_len);
	if (ret == 0) {
		vs->made[c]++;
		vs->saved += len - out_len;
	}
	free(out);
	return ret;
}

/* Validators and variants for the files among the routes [0, nb) that
 * answer 200: made here, before any worker runs.
 */
static int
fp_http_variants(struct fp_http_build *b, uint32_t nb)
{
	struct fp_http_vstats vs = { 0 };
	struct fp_http_route *r;
	unsigned int c;
	uint32_t i;
	int ret;

	clock_gettime(CLOCK_MONOTONIC, &vs.t0);
	for (i = 0; i < nb; i++) {
		r = &b->srv->routes[i];
		/* Files only: a [route] body is a configured answer (a health
		 * check), sent as it is with the smallest head.
		 */
		if (r->status != 200 || r->file == NULL)
			continue;
		fp_http_etag(r, "");
		if (!b->cfg->compress || r->body_len == 0)
			continue;
		for (c = 0; c < FP_HTTP_CE_IDENTITY; c++) {
			ret = fp_http_variant_make(b, i, c, &vs);
			if (ret != 0)
				return ret;
		}
	}
	if (vs.made[FP_HTTP_CE_GZIP] + vs.made[FP_HTTP_CE_BR] != 0 || vs.too_big + vs.late != 0)
		FP_LOG(INFO, http, "variants: %u gzip, %u brotli (%u from .gz/.br files), %"
			PRIu64 " bytes saved, in %.1f s; %u files over compress_max and %u "
			"past compress_budget_s are served uncompressed",
			vs.made[FP_HTTP_CE_GZIP], vs.made[FP_HTTP_CE_BR], vs.siblings, vs.saved,
			fp_http_since(&vs.t0), vs.too_big, vs.late);
	return 0;
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
	rte_hash_set_cmp_func(srv->paths, fp_hash_cmp_u64);
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
	srv->dynamic_min = cfg->dynamic_min;
	srv->dynamic_level = cfg->dynamic_level;
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
	/* The variants after the routes with paths, which stay [0, nb_content). */
	srv->nb_content = srv->nb_routes;
	if (ret == 0)
		ret = fp_http_variants(&b, srv->nb_content);
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
	/* Every file is loaded: the names' tree goes. */
	tdestroy(b.loaded, free);
	b.loaded = NULL;
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

		if (!r->body_shared)
			rte_free((void *)(uintptr_t)r->body);
		for (v = 0; v < FP_HTTP_T_MAX; v++)
			rte_free(r->hdr[v]);
		free(r->path);
		free(r->file);
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

uint16_t
fp_http_select(const struct fp_http_server *srv, const struct fp_http_route **r,
	const struct fp_http_request *req, uint8_t meth, int64_t now, struct fp_http_brange *range)
{
	const struct fp_http_route *b = *r;
	struct fp_http_precond v;
	struct fp_http_cond c;
	struct fp_http_rep rep;
	int ce;

	if (b->etag_len == 0 && b->avail == 0)
		return 200;
	fp_http_cond_scan(req, &c);
	if (b->avail != 0) {
		ce = fp_http_ae_choose(&c.ae, b->avail);
		/* RFC 9110 12.5.3: nothing acceptable, identity excluded. */
		if (ce < 0)
			return 406;
		*r = &srv->routes[b->alt[ce]];
	}
	if (c.present == 0)
		return 200;
	rep.etag = (*r)->etag;
	rep.etag_len = (*r)->etag_len;
	rep.mtime = (*r)->mtime;
	rep.size = (*r)->body_len;
	fp_http_cond_eval(&c, meth, &rep, now, &v);
	*range = v.range;
	return v.status;
}

void
fp_http_rep_fields(struct fp_http_ctx *x, const struct fp_http_route *r, bool full)
{
	char buf[512];
	int n = fp_http_rep_lines(r, full, buf, sizeof(buf));

	if (n > 0 && x->xlen + (size_t)n <= sizeof(x->xhdr)) {
		memcpy(x->xhdr + x->xlen, buf, n);
		x->xlen += n;
	}
}

/* The built-in handler: loaded files and [route] sections, by path. */
int
fp_http_static_handler(struct fp_http_ctx *x, void *arg)
{
	const struct fp_http_server *srv = x->hw->srv;
	const struct fp_http_route *r = arg;
	struct fp_http_brange range = { 0, 0 };
	uint16_t status = 200;
	char cr[64];

	/* The routing found it already; looked up here when registered as
	 * a route of its own.
	 */
	if (r == NULL)
		r = fp_http_lookup(srv, x->path.p, x->path.len);
	if (r == NULL)
		return FP_HTTP_NEXT;
	fp_count_hit(x->hw->st, r->base);
	if (x->req != NULL)
		status = fp_http_select(srv, &r, x->req, x->info.method, x->hw->date_sec, &range);
	switch (status) {
	case 200:
	case 304:
		fp_http_use_route(x, r - srv->routes);
		x->status = status;
		break;
	case 206:
		/* The range's bytes, by reference from the middle of the
		 * body, under a head built for them.
		 */
		fp_http_use_route(x, r - srv->routes);
		x->status = 206;
		x->tmpl = -1;
		x->rbody += range.first;
		x->riova += range.first;
		x->rlen = range.last - range.first + 1;
		snprintf(cr, sizeof(cr), "bytes %" PRIu64 "-%" PRIu64 "/%" PRIu32, range.first,
			range.last, r->body_len);
		fp_http_add_header(x, "Content-Range", cr);
		fp_http_rep_fields(x, r, true);
		fp_http_count_coding(x->hw->st, r);
		break;
	case 416:
		/* RFC 9110 15.5.17: "SHOULD generate a Content-Range header
		 * field specifying the current length".
		 */
		fp_http_set_error(x, 416, false);
		snprintf(cr, sizeof(cr), "bytes */%" PRIu32, r->body_len);
		fp_http_add_header(x, "Content-Range", cr);
		break;
	default:
		fp_http_set_error(x, status, false);
		break;
	}
	return FP_HTTP_DONE;
}
