/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The fastpath authors
 */

#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fp_http_router.h"

enum fp_http_rkind {
	FP_HTTP_RK_EXACT,
	FP_HTTP_RK_PARAM,
	FP_HTTP_RK_PREFIX,
};

/* One distinct pattern. A parameter pattern is lit[0] {name[0]} lit[1] ...
 * {name[n-1]} lit[n], then "*" if star: every literal before a parameter ends
 * in '/', every one after a parameter starts with '/' or is empty.
 */
struct fp_http_rentry {
	char *pattern;			/* NUL-terminated copy */
	uint32_t plen;
	uint8_t kind;			/* enum fp_http_rkind */
	uint8_t nb_params;
	bool star;
	uint32_t methods;		/* registered */
	uint32_t allow;			/* methods, and HEAD when GET is there */
	void *handler[FP_HTTP_M_MAX];
	void *arg[FP_HTTP_M_MAX];
	struct fp_http_slice lit[FP_HTTP_MAX_PARAMS + 1];	/* into pattern */
	struct fp_http_slice name[FP_HTTP_MAX_PARAMS];		/* into pattern */
};

/* Open addressing with linear probing, at most half full, so a probe always
 * ends on an empty slot.
 */
struct fp_http_rslot {
	uint64_t h;			/* fp_http_fnv() of the key */
	const char *key;		/* NULL: empty */
	uint32_t len;
	uint32_t route;
};

struct fp_http_rtab {
	struct fp_http_rslot *slot;
	uint32_t mask;			/* slots - 1 */
	uint32_t shift;			/* 64 - log2(slots) */
	uint32_t nb;
};

struct fp_http_router {
	struct fp_http_rentry *route;
	uint32_t nb_routes;
	uint32_t cap;			/* of route, param and plen */
	struct fp_http_rtab exact;	/* pattern -> route */
	struct fp_http_rtab prefix;	/* pattern without its '*' -> route */
	uint32_t *param;		/* parameter routes, highest precedence first */
	uint32_t nb_param;
	uint32_t *plen;			/* distinct prefix key lengths, ascending */
	uint32_t nb_plen;
};

#define FP_HTTP_RTAB_MIN 16
/* Keeps slot counts (twice the keys) within uint32_t. */
#define FP_HTTP_ROUTES_MAX (1u << 28)

#define FP_HTTP_FNV_INIT 0xcbf29ce484222325ULL
#define FP_HTTP_FNV_PRIME 0x100000001b3ULL

/* 64-bit FNV-1a, resumable: hashing "ab" equals hashing "b" from the hash of
 * "a", so the prefix walk hashes each path byte once.
 */
static inline uint64_t
fp_http_fnv(uint64_t h, const char *p, uint32_t len)
{
	uint32_t i;

	for (i = 0; i < len; i++) {
		h ^= (uint8_t)p[i];
		h *= FP_HTTP_FNV_PRIME;
	}
	return h;
}

/* FNV's low bits mix poorly: take the top bits of a Fibonacci product. */
static inline uint32_t
fp_http_rtab_idx(const struct fp_http_rtab *t, uint64_t h)
{
	return (uint32_t)((h * 0x9e3779b97f4a7c15ULL) >> t->shift);
}

static inline const struct fp_http_rslot *
fp_http_rtab_find(const struct fp_http_rtab *t, uint64_t h, const char *key, uint32_t len)
{
	const struct fp_http_rslot *s;
	uint32_t i;

	if (t->nb == 0)
		return NULL;
	for (i = fp_http_rtab_idx(t, h);; i = (i + 1) & t->mask) {
		s = &t->slot[i];
		if (s->key == NULL)
			return NULL;
		if (s->h == h && s->len == len && memcmp(s->key, key, len) == 0)
			return s;
	}
}

/* Puts a key known to be absent into a table with room for it. */
static void
fp_http_rtab_put(struct fp_http_rtab *t, const struct fp_http_rslot *in)
{
	uint32_t i = fp_http_rtab_idx(t, in->h);

	while (t->slot[i].key != NULL)
		i = (i + 1) & t->mask;
	t->slot[i] = *in;
	t->nb++;
}

/* Makes room for one more key, rehashing into twice the slots if needed. */
static int
fp_http_rtab_reserve(struct fp_http_rtab *t)
{
	struct fp_http_rtab n = { 0 };
	uint32_t old = t->slot == NULL ? 0 : t->mask + 1;
	uint32_t size, i;

	if ((uint64_t)(t->nb + 1) * 2 <= old)
		return 0;
	size = old == 0 ? FP_HTTP_RTAB_MIN : old * 2;
	n.slot = calloc(size, sizeof(*n.slot));
	if (n.slot == NULL)
		return -ENOMEM;
	n.mask = size - 1;
	n.shift = 64 - (uint32_t)__builtin_ctz(size);
	for (i = 0; i < old; i++)
		if (t->slot[i].key != NULL)
			fp_http_rtab_put(&n, &t->slot[i]);
	free(t->slot);
	*t = n;
	return 0;
}

/* Appends len bytes at offset n of an snprintf-like buffer. */
static size_t
fp_http_put(char *buf, size_t size, size_t n, const char *s, size_t len)
{
	size_t k;

	if (n + 1 < size) {
		k = size - 1 - n;
		memcpy(buf + n, s, len < k ? len : k);
	}
	return n + len;
}

size_t
fp_http_allow_format(uint32_t allow_mask, char *buf, size_t size)
{
	size_t n = 0;
	int i;

	for (i = 0; i < FP_HTTP_M_MAX; i++) {
		if ((allow_mask & FP_HTTP_MB(i)) == 0)
			continue;
		if (n > 0)
			n = fp_http_put(buf, size, n, ", ", 2);
		n = fp_http_put(buf, size, n, fp_http_meth_names[i], strlen(fp_http_meth_names[i]));
	}
	if (size > 0)
		buf[n < size ? n : size - 1] = '\0';
	return n;
}

struct fp_http_router *
fp_http_router_create(void)
{
	struct fp_http_router *r = calloc(1, sizeof(*r));

	if (r == NULL)
		errno = ENOMEM;
	return r;
}

void
fp_http_router_free(struct fp_http_router *r)
{
	uint32_t i;

	if (r == NULL)
		return;
	for (i = 0; i < r->nb_routes; i++)
		free(r->route[i].pattern);
	free(r->route);
	free(r->param);
	free(r->plen);
	free(r->exact.slot);
	free(r->prefix.slot);
	free(r);
}

unsigned int
fp_http_router_count(const struct fp_http_router *r)
{
	return r == NULL ? 0 : r->nb_routes;
}

int
fp_http_router_get(const struct fp_http_router *r, unsigned int i, const char **pattern,
	uint32_t *methods)
{
	if (r == NULL)
		return -EINVAL;
	if (i >= r->nb_routes)
		return -ENOENT;
	if (pattern != NULL)
		*pattern = r->route[i].pattern;
	if (methods != NULL)
		*methods = r->route[i].methods;
	return 0;
}

/* RFC 9110 9.3.2: "The HEAD method is identical to GET except that the
 * server MUST NOT send content", so GET brings HEAD along.
 */
static uint32_t
fp_http_allow_of(uint32_t methods)
{
	if (methods & FP_HTTP_MB(FP_HTTP_M_GET))
		methods |= FP_HTTP_MB(FP_HTTP_M_HEAD);
	return methods;
}

static inline bool
fp_http_name_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		c == '_';
}

/* Checks e->pattern and splits it into literals and parameters. */
static int
fp_http_compile(struct fp_http_rentry *e)
{
	const char *p = e->pattern;
	uint32_t n = e->plen, end, i, j, k, lit = 0;
	struct fp_http_slice name;

	if (n == 0 || p[0] != '/')
		return -EINVAL;
	e->star = n >= 2 && p[n - 1] == '*' && p[n - 2] == '/';
	end = e->star ? n - 1 : n;
	e->nb_params = 0;
	for (i = 0; i < end; i++) {
		if (p[i] == '*' || p[i] == '}')
			return -EINVAL;
		if (p[i] != '{')
			continue;
		/* A parameter is a whole segment: '/' before (i > 0 as p[0] is
		 * '/'), and '/' or the end after.
		 */
		if (p[i - 1] != '/')
			return -EINVAL;
		for (j = i + 1; j < end && fp_http_name_char(p[j]); j++)
			;
		if (j == i + 1 || j == end || p[j] != '}')
			return -EINVAL;
		if (j + 1 < end && p[j + 1] != '/')
			return -EINVAL;
		if (e->nb_params == FP_HTTP_MAX_PARAMS)
			return -EINVAL;
		name.p = p + i + 1;
		name.len = j - i - 1;
		for (k = 0; k < e->nb_params; k++)
			if (e->name[k].len == name.len &&
					memcmp(e->name[k].p, name.p, name.len) == 0)
				return -EINVAL;
		e->lit[e->nb_params].p = p + lit;
		e->lit[e->nb_params].len = i - lit;
		e->name[e->nb_params++] = name;
		lit = j + 1;
		i = j;
	}
	e->lit[e->nb_params].p = p + lit;
	e->lit[e->nb_params].len = end - lit;
	if (e->nb_params > 0)
		e->kind = FP_HTTP_RK_PARAM;
	else
		e->kind = e->star ? FP_HTTP_RK_PREFIX : FP_HTTP_RK_EXACT;
	return 0;
}

/* Walks a valid pattern's segments, the bytes between its '/'s. */
struct fp_http_segit {
	const char *p;
	uint32_t n;
	uint32_t pos;
};

enum fp_http_segkind {
	FP_HTTP_SEG_LIT,
	FP_HTTP_SEG_PARAM,
	FP_HTTP_SEG_STAR,
};

static bool
fp_http_seg_next(struct fp_http_segit *it, struct fp_http_slice *seg, int *kind)
{
	const char *e;
	uint32_t end;

	if (it->pos > it->n)
		return false;
	e = memchr(it->p + it->pos, '/', it->n - it->pos);
	end = e == NULL ? it->n : (uint32_t)(e - it->p);
	seg->p = it->p + it->pos;
	seg->len = end - it->pos;
	it->pos = end + 1;
	if (seg->len > 0 && seg->p[0] == '{')
		*kind = FP_HTTP_SEG_PARAM;
	else if (seg->len == 1 && seg->p[0] == '*')
		*kind = FP_HTTP_SEG_STAR;	/* compiled: only the final one */
	else
		*kind = FP_HTTP_SEG_LIT;
	return true;
}

/* < 0 when parameter pattern a takes precedence over b, > 0 when b does, 0
 * when their segments are of the same kinds. *same is set when they differ
 * at most in parameter names. The end of a pattern counts as a kind after
 * all others: that orders patterns that never match the same path, but
 * keeps the order total, which the sorted insertion needs.
 */
static int
fp_http_param_cmp(const struct fp_http_rentry *a, const struct fp_http_rentry *b, bool *same)
{
	struct fp_http_segit ia = { a->pattern, a->plen, 1 };
	struct fp_http_segit ib = { b->pattern, b->plen, 1 };
	struct fp_http_slice sa, sb;
	bool more_a, more_b;
	int ka, kb;

	*same = true;
	for (;;) {
		more_a = fp_http_seg_next(&ia, &sa, &ka);
		more_b = fp_http_seg_next(&ib, &sb, &kb);
		if (!more_a || !more_b) {
			*same = more_a == more_b && *same;
			return more_a == more_b ? 0 : more_a ? -1 : 1;
		}
		if (ka != kb) {
			*same = false;
			return ka - kb;
		}
		if (ka == FP_HTTP_SEG_LIT &&
				(sa.len != sb.len || memcmp(sa.p, sb.p, sa.len) != 0))
			*same = false;
	}
}

/* Grows the route, param and plen arrays to hold one more route. */
static int
fp_http_router_reserve(struct fp_http_router *r)
{
	uint32_t cap;
	void *p;

	if (r->nb_routes < r->cap)
		return 0;
	if (r->nb_routes >= FP_HTTP_ROUTES_MAX)
		return -ENOMEM;
	cap = r->cap == 0 ? 16 : r->cap * 2;
	p = realloc(r->route, cap * sizeof(*r->route));
	if (p == NULL)
		return -ENOMEM;
	r->route = p;
	p = realloc(r->param, cap * sizeof(*r->param));
	if (p == NULL)
		return -ENOMEM;
	r->param = p;
	p = realloc(r->plen, cap * sizeof(*r->plen));
	if (p == NULL)
		return -ENOMEM;
	r->plen = p;
	r->cap = cap;
	return 0;
}

/* The route with exactly this pattern, or UINT32_MAX. */
static uint32_t
fp_http_router_find(const struct fp_http_router *r, const struct fp_http_rentry *e)
{
	const struct fp_http_rslot *s = NULL;
	const struct fp_http_rentry *o;
	uint32_t i;

	switch (e->kind) {
	case FP_HTTP_RK_EXACT:
		s = fp_http_rtab_find(&r->exact, fp_http_fnv(FP_HTTP_FNV_INIT, e->pattern, e->plen),
			e->pattern, e->plen);
		break;
	case FP_HTTP_RK_PREFIX:
		s = fp_http_rtab_find(&r->prefix,
			fp_http_fnv(FP_HTTP_FNV_INIT, e->pattern, e->plen - 1), e->pattern,
			e->plen - 1);
		break;
	default:
		for (i = 0; i < r->nb_param; i++) {
			o = &r->route[r->param[i]];
			if (o->plen == e->plen && memcmp(o->pattern, e->pattern, e->plen) == 0)
				return r->param[i];
		}
		break;
	}
	return s == NULL ? UINT32_MAX : s->route;
}

/* A parameter pattern with merged methods must share no allowed method with
 * another of the same shape: a request would not know whose names to use.
 * Returns where e goes in r->param, or -EEXIST.
 */
static int
fp_http_param_place(const struct fp_http_router *r, const struct fp_http_rentry *e,
	uint32_t self, uint32_t methods)
{
	const struct fp_http_rentry *o;
	uint32_t i, at = r->nb_param;
	bool same;
	int c;

	for (i = 0; i < r->nb_param; i++) {
		if (r->param[i] == self)
			continue;
		o = &r->route[r->param[i]];
		c = fp_http_param_cmp(e, o, &same);
		if (same && (fp_http_allow_of(methods) & o->allow) != 0)
			return -EEXIST;
		/* Equal ones keep the order they came in. */
		if (c < 0 && at == r->nb_param)
			at = i;
	}
	return (int)at;
}

static void
fp_http_set_methods(struct fp_http_rentry *e, uint32_t methods, void *handler, void *arg)
{
	int i;

	for (i = 0; i < FP_HTTP_M_MAX; i++) {
		if ((methods & FP_HTTP_MB(i)) == 0)
			continue;
		e->handler[i] = handler;
		e->arg[i] = arg;
	}
	e->methods |= methods;
	e->allow = fp_http_allow_of(e->methods);
}

int
fp_http_router_add(struct fp_http_router *r, uint32_t methods, const char *pattern,
	void *handler, void *arg)
{
	struct fp_http_rentry e = { 0 };
	struct fp_http_rslot s;
	struct fp_http_rentry *o;
	uint32_t idx, i;
	size_t n;
	int at = 0;
	int ret;

	if (r == NULL || pattern == NULL || handler == NULL || methods == 0 ||
			(methods & ~FP_HTTP_MB_ANY) != 0)
		return -EINVAL;
	n = strlen(pattern);
	if (n >= UINT32_MAX)
		return -EINVAL;
	e.plen = (uint32_t)n;
	e.pattern = malloc(n + 1);
	if (e.pattern == NULL)
		return -ENOMEM;
	memcpy(e.pattern, pattern, n + 1);
	ret = fp_http_compile(&e);
	if (ret < 0)
		goto fail;

	idx = fp_http_router_find(r, &e);
	if (idx != UINT32_MAX) {
		o = &r->route[idx];
		ret = -EEXIST;
		if ((o->methods & methods) != 0)
			goto fail;
		if (o->kind == FP_HTTP_RK_PARAM) {
			ret = fp_http_param_place(r, o, idx, o->methods | methods);
			if (ret < 0)
				goto fail;
		}
		fp_http_set_methods(o, methods, handler, arg);
		free(e.pattern);
		return 0;
	}

	if (e.kind == FP_HTTP_RK_PARAM) {
		at = fp_http_param_place(r, &e, UINT32_MAX, methods);
		if (at < 0) {
			ret = at;
			goto fail;
		}
	}
	ret = fp_http_router_reserve(r);
	if (ret == 0 && e.kind == FP_HTTP_RK_EXACT)
		ret = fp_http_rtab_reserve(&r->exact);
	if (ret == 0 && e.kind == FP_HTTP_RK_PREFIX)
		ret = fp_http_rtab_reserve(&r->prefix);
	if (ret < 0)
		goto fail;

	/* Nothing fails from here on. */
	idx = r->nb_routes++;
	fp_http_set_methods(&e, methods, handler, arg);
	r->route[idx] = e;
	s.key = e.pattern;
	s.route = idx;
	switch (e.kind) {
	case FP_HTTP_RK_EXACT:
		s.len = e.plen;
		s.h = fp_http_fnv(FP_HTTP_FNV_INIT, s.key, s.len);
		fp_http_rtab_put(&r->exact, &s);
		break;
	case FP_HTTP_RK_PREFIX:
		s.len = e.plen - 1;
		s.h = fp_http_fnv(FP_HTTP_FNV_INIT, s.key, s.len);
		fp_http_rtab_put(&r->prefix, &s);
		for (i = 0; i < r->nb_plen && r->plen[i] < s.len; i++)
			;
		if (i == r->nb_plen || r->plen[i] != s.len) {
			memmove(&r->plen[i + 1], &r->plen[i], (r->nb_plen - i) * sizeof(*r->plen));
			r->plen[i] = s.len;
			r->nb_plen++;
		}
		break;
	default:
		memmove(&r->param[at + 1], &r->param[at],
			(r->nb_param - (uint32_t)at) * sizeof(*r->param));
		r->param[at] = idx;
		r->nb_param++;
		break;
	}
	return 0;
fail:
	free(e.pattern);
	return ret;
}

/* Matches path against parameter pattern e, filling m's params and rest. */
static inline bool
fp_http_param_match(const struct fp_http_rentry *e, const char *path, uint32_t len,
	struct fp_http_match *m)
{
	const struct fp_http_slice *lit;
	const char *slash;
	uint32_t pos = 0, end, i;

	for (i = 0;; i++) {
		lit = &e->lit[i];
		if (len - pos < lit->len || memcmp(path + pos, lit->p, lit->len) != 0)
			return false;
		pos += lit->len;
		if (i == e->nb_params)
			break;
		slash = memchr(path + pos, '/', len - pos);
		end = slash == NULL ? len : (uint32_t)(slash - path);
		if (end == pos)
			return false;
		m->params[i].name = e->name[i];
		m->params[i].value.p = path + pos;
		m->params[i].value.len = end - pos;
		pos = end;
	}
	if (e->star) {
		m->rest.p = path + pos;
		m->rest.len = len - pos;
	} else if (pos != len) {
		return false;
	} else {
		m->rest.p = NULL;
		m->rest.len = 0;
	}
	m->nb_params = e->nb_params;
	return true;
}

static inline int
fp_http_found(const struct fp_http_router *r, uint32_t idx, int meth, struct fp_http_match *m)
{
	const struct fp_http_rentry *e = &r->route[idx];

	if (e->methods & FP_HTTP_MB(meth)) {
		m->handler = e->handler[meth];
		m->arg = e->arg[meth];
	} else {
		/* Only HEAD gets here, through GET. */
		m->handler = e->handler[FP_HTTP_M_GET];
		m->arg = e->arg[FP_HTTP_M_GET];
		m->head_via_get = true;
	}
	m->route = idx;
	m->allow = e->allow;
	return 0;
}

int
fp_http_route_match(const struct fp_http_router *r, int meth, const char *path, uint32_t len,
	struct fp_http_match *m)
{
	const struct fp_http_rentry *e;
	const struct fp_http_rslot *s;
	uint32_t mb, allow = 0, best = UINT32_MAX, pos = 0, plen, i;
	uint64_t h = FP_HTTP_FNV_INIT;

	if (r == NULL || m == NULL || meth < 0 || meth >= FP_HTTP_M_MAX ||
			(path == NULL && len > 0))
		return -EINVAL;
	m->handler = NULL;
	m->arg = NULL;
	m->route = 0;
	m->allow = 0;
	m->head_via_get = false;
	m->nb_params = 0;
	m->rest.p = NULL;
	m->rest.len = 0;
	/* No route at all (a server of files only): nothing to look at. */
	if (r->exact.nb == 0 && r->nb_param == 0 && r->nb_plen == 0)
		return -ENOENT;
	if (len == 0 || path[0] != '/')
		return -ENOENT;
	mb = FP_HTTP_MB(meth);

	if (r->exact.nb > 0) {
		s = fp_http_rtab_find(&r->exact, fp_http_fnv(h, path, len), path, len);
		if (s != NULL) {
			if (r->route[s->route].allow & mb)
				return fp_http_found(r, s->route, meth, m);
			allow = r->route[s->route].allow;
		}
	}

	for (i = 0; i < r->nb_param; i++) {
		e = &r->route[r->param[i]];
		if ((e->allow & mb) && fp_http_param_match(e, path, len, m))
			return fp_http_found(r, r->param[i], meth, m);
	}

	/* Every prefix length once, shortest first, hashing on from the last:
	 * a longer prefix that allows the method replaces a shorter one.
	 */
	for (i = 0; i < r->nb_plen && r->plen[i] <= len; i++) {
		plen = r->plen[i];
		h = fp_http_fnv(h, path + pos, plen - pos);
		pos = plen;
		if (path[plen - 1] != '/')
			continue;
		s = fp_http_rtab_find(&r->prefix, h, path, plen);
		if (s == NULL)
			continue;
		allow |= r->route[s->route].allow;
		if (r->route[s->route].allow & mb)
			best = s->route;
	}
	if (best != UINT32_MAX) {
		m->nb_params = 0;
		plen = r->route[best].plen - 1;
		m->rest.p = path + plen;
		m->rest.len = len - plen;
		return fp_http_found(r, best, meth, m);
	}

	/* No route for this method: the slow path, for the Allow header. */
	for (i = 0; i < r->nb_param; i++) {
		e = &r->route[r->param[i]];
		if ((e->allow & mb) == 0 && (allow & e->allow) != e->allow &&
				fp_http_param_match(e, path, len, m))
			allow |= e->allow;
	}
	m->nb_params = 0;
	m->rest.p = NULL;
	m->rest.len = 0;
	m->allow = allow;
	return allow != 0 ? -EPERM : -ENOENT;
}
