/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The fastpath authors
 */

#ifndef FP_CHAN_H
#define FP_CHAN_H

/* Channels: publish/subscribe over the handler API, declared by
 * [channel PREFIX] sections. GET PREFIX NAME subscribes, as Server-Sent
 * Events (Accept: text/event-stream) or as a WebSocket (the upgrade);
 * POST PREFIX NAME, or a WebSocket message where the section allows it,
 * publishes.
 *
 * Order: a channel's messages are numbered by one worker, its owner (a
 * hash of the name), so every subscriber on every worker sees them in the
 * same order with increasing ids. A publish received elsewhere goes to the
 * owner first; the owner sends each other worker one copy through its post
 * ring (fp_http_post). Each worker builds the message's frames once, an
 * SSE event and an unmasked WebSocket frame, in its own copy, and every
 * subscriber's send queue refers to them without a copy: the copy's
 * reference count is only ever touched by that worker.
 *
 * History: each worker keeps a channel's last messages (bounded in count
 * and bytes) for Last-Event-ID. Slow subscribers: one whose unacknowledged
 * bytes would pass the section's backlog is disconnected (WebSocket close
 * 1008, or the end of its event stream) and counted.
 */

#include <stdint.h>

#include "fp_common.h"
#include "fp_config.h"
#include "fp_http.h"

/* Longest channel name: the path after the prefix. */
#define FP_CHAN_NAME_MAX 64

struct fp_chan_server;

/* Sets up cfg's [channel PREFIX] sections on srv for nb_workers workers:
 * their routes and publish hook (so before the workers start), the tables
 * and the message pool. Returns NULL with err set.
 */
struct fp_chan_server *
fp_chan_server_create(const struct fp_config *cfg, struct fp_http_server *srv,
	unsigned int nb_workers, struct fp_err *err);

/* After the workers stopped. */
void
fp_chan_server_free(struct fp_chan_server *cs);

/* Registers /fastpath/channels for cs (NULL: an empty answer). Returns 0 or
 * a negative errno.
 */
int
fp_chan_telemetry_init(struct fp_chan_server *cs);

/* Whether name may follow a prefix: 1 to FP_CHAN_NAME_MAX - 1 bytes of
 * A-Z a-z 0-9 - . _ ~ (no /: a channel is one path segment).
 */
bool
fp_chan_name_ok(const char *name, size_t len);

#endif /* FP_CHAN_H */
