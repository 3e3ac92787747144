/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The fastpath authors
 */

#ifndef FP_HTTP_ROUTER_H
#define FP_HTTP_ROUTER_H

/* The request router: maps a method and a path to the handler registered for
 * a pattern. Plain C, no DPDK: unit tests run it without EAL.
 *
 * Routes are added before the server starts, which allocates. Matching only
 * reads the router: it never allocates, locks or makes syscalls, so every
 * worker can share one router once it is built. Adding routes while another
 * thread matches is not supported.
 *
 * Patterns:
 *   "/health"        exact: only the path "/health".
 *   "/static/" "*"   prefix: "/static/" and every path under it; what follows
 *                    "/static/" (e.g. "css/a.css") is the match's rest.
 *                    "/" "*" matches every path (that starts with '/').
 *   "/users/{id}"    parameters: each "{name}" stands for one whole, non-empty
 *                    path segment (no '/'). A parameter pattern may end in
 *                    "/" "*", e.g. "/files/{user}/" "*".
 * (Patterns ending in a star are written as two C strings here: a comment
 * cannot hold a slash followed by a star.)
 * A pattern starts with '/'. '*' may only be the final "/" "*". A parameter
 * is a whole segment ("/a{x}" and "/{x}.txt" are refused); its name is
 * [A-Za-z0-9_]+, different from the pattern's other names; a pattern has at
 * most FP_HTTP_MAX_PARAMS of them.
 *
 * Precedence: among the patterns that match the path and allow the method,
 *   1. the exact pattern wins, then
 *   2. parameter patterns (with or without a final "/" "*"): compared
 *      segment by segment from the left, at the first segment where their
 *      kinds differ a literal segment beats a "{param}", which beats the
 *      final "*". For "/u/me/edit", "/u/me/{b}" beats "/u/{a}/edit" beats
 *      "/u/{a}/{b}" beats "/u/{a}/" "*" beats "/{x}/me/edit". Patterns that
 *      differ only in their parameter names are the same shape, see
 *      fp_http_router_add(). Any other two parameter patterns that match one
 *      path differ in kind at some segment, so there are no ties. Then
 *   3. prefix patterns without parameters: the longest wins.
 * So "/{x}/" "*" beats "/static/" "*" for "/static/a". A pattern that matches
 * the path but not the method does not hide a less specific one that allows
 * it.
 *
 * HEAD: a pattern with a GET handler also answers HEAD, with the GET
 * handler, unless HEAD was registered for it too (RFC 9110 9.3.2: "The HEAD
 * method is identical to GET except that the server MUST NOT send content").
 * That HEAD takes part in the precedence above like any method: HEAD "/a"
 * goes to the GET handler of "/a" rather than to a HEAD handler of "/" "*".
 *
 * Paths are matched byte for byte, case-sensitively, as given: the caller
 * percent-decodes, removes the query and normalises (dot segments, "//")
 * first if it wants to. "/a/" is not "/a", "//a" is not "/a", and a path that
 * does not start with '/' (such as "" or "*") matches nothing.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "fp_http_parse.h"

#define FP_HTTP_MAX_PARAMS 8

/* enum fp_http_meth, FP_HTTP_MB() and fp_http_meth_of() are in fp_http_parse.h. */

struct fp_http_router;

struct fp_http_param {
	struct fp_http_slice name;	/* in the router's memory, valid while it is */
	struct fp_http_slice value;	/* in the path */
};

struct fp_http_match {
	void *handler;
	void *arg;
	unsigned int route;		/* index for fp_http_router_get() */
	/* After 0: the matched pattern's methods. After -EPERM: those of every
	 * pattern matching the path. HEAD is in either when GET is.
	 */
	uint32_t allow;
	/* HEAD matched a pattern without a HEAD handler: handler and arg are
	 * the GET ones, and the response carries no content.
	 */
	bool head_via_get;
	uint8_t nb_params;
	/* After a pattern ending in "/" "*": the path after the prefix, maybe
	 * empty. Otherwise {NULL, 0}.
	 */
	struct fp_http_slice rest;
	struct fp_http_param params[FP_HTTP_MAX_PARAMS];	/* in pattern order */
};

/* An empty router, or NULL with errno set. */
struct fp_http_router *
fp_http_router_create(void);

/* Frees the router and its patterns; r may be NULL. */
void
fp_http_router_free(struct fp_http_router *r);

/* Routes methods (a mask of FP_HTTP_MB()) of pattern to handler and arg,
 * which the router only hands back. Returns 0, or
 *   -EINVAL  a bad pattern (see above), methods 0 or outside
 *            FP_HTTP_MB_ANY, or a NULL r, pattern or handler;
 *   -EEXIST  the pattern already has one of the methods. The same pattern
 *            with other methods adds them to it, each with its own handler.
 *            A parameter pattern that differs from another only in its
 *            parameter names is kept as its own route, but only if no method
 *            is allowed by both (counting HEAD with GET);
 *   -ENOMEM.
 * On error the router is unchanged. The pattern is copied.
 */
int
fp_http_router_add(struct fp_http_router *r, uint32_t methods, const char *pattern,
	void *handler, void *arg);

/* Finds the route for a request: meth is an enum fp_http_meth, path the
 * percent-decoded path without the query (len bytes, not NUL-terminated).
 * Returns
 *   0        and fills m: handler, arg, route, allow, head_via_get, the first
 *            nb_params params and rest;
 *   -ENOENT  no pattern matches the path (404); m->allow is 0;
 *   -EPERM   some pattern matches the path but none allows meth (405):
 *            m->allow is the union of the methods they allow, for Allow;
 *   -EINVAL  r or m is NULL, meth is not an enum fp_http_meth, or path is
 *            NULL with len > 0.
 * Costs one hash of the path for the exact patterns, a walk through the
 * parameter patterns in precedence order (each rejected by its leading
 * literal, usually), and one more hash pass over the path for the prefixes.
 */
int
fp_http_route_match(const struct fp_http_router *r, int meth, const char *path, uint32_t len,
	struct fp_http_match *m);

/* Writes the methods in allow_mask as an Allow value, e.g. "GET, HEAD, POST"
 * (in enum order) into buf, NUL-terminated. Like snprintf: returns the length
 * of the whole value and writes at most size bytes; buf may be NULL when size
 * is 0.
 */
size_t
fp_http_allow_format(uint32_t allow_mask, char *buf, size_t size);

/* The number of routes: distinct patterns, in the order they were first
 * added, indices 0 to count - 1.
 */
unsigned int
fp_http_router_count(const struct fp_http_router *r);

/* Route i's pattern (NUL-terminated, owned by the router) and the methods
 * registered for it (HEAD only if registered). Either output may be NULL.
 * Returns 0, or -ENOENT when i is not below the count, -EINVAL when r is NULL.
 */
int
fp_http_router_get(const struct fp_http_router *r, unsigned int i, const char **pattern,
	uint32_t *methods);

#endif /* FP_HTTP_ROUTER_H */
