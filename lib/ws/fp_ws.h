/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The fastpath authors
 */

#ifndef FP_WS_H
#define FP_WS_H

/* WebSocket connections (RFC 6455) on the handler API's context: a handler
 * accepts the upgrade, then receives whole messages and sends frames
 * through the same struct fp_http_ctx. The session lives in the context
 * (fp_http_upgrade_state): no pool of its own. A message that arrives
 * whole in one segment is handed over where it lies, unmasked in place;
 * one fragmented or split over segments is gathered in one of the
 * worker's body buffers first.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "fp_http_api.h"
#include "fp_ws_frame.h"

/* How long a close the server sent waits for the client's, by default. */
#define FP_WS_CLOSE_MS 5000

struct fp_ws_params {
	const char *subprotocol;	/* chosen from the client's offer; NULL: none */
	uint32_t max_message;		/* largest message taken (at most a body
					 * buffer); 0: [http] max_body
					 */
	uint32_t close_ms;		/* 0: FP_WS_CLOSE_MS */
};

/* What the handler hears, on the worker. */
struct fp_ws_ops {
	/* A whole text (UTF-8 checked) or binary message; p is valid during
	 * the call only.
	 */
	void (*message)(struct fp_http_ctx *x, void *arg, uint8_t opcode, const uint8_t *p,
		size_t n);
	/* Room again after fp_ws_send() returned -EAGAIN; NULL for none. */
	void (*writable)(struct fp_http_ctx *x, void *arg);
	/* The WebSocket ended, once: with the close code the client sent or
	 * the server's own (1005 for a close without one), or 1006 when the
	 * connection ended without a close frame. The context is not to be
	 * used after. NULL for none.
	 */
	void (*closed)(struct fp_http_ctx *x, void *arg, uint16_t code);
};

/* True when the client's Sec-WebSocket-Protocol list offers protocol
 * (RFC 6455 4.2.2: the server picks one of them, or none).
 */
bool
fp_ws_offered(const struct fp_http_ctx *x, const char *protocol);

/* Accepts x's request as a WebSocket opening handshake: 101 with the accept
 * value and the subprotocol, then messages go to ops. Returns 0 (the
 * handler returns FP_HTTP_ASYNC), or a negative errno with the refusal set
 * on x (the handler returns FP_HTTP_DONE): -EPROTO for a bad handshake
 * (400, or 426 with Sec-WebSocket-Version: 13 for the version), -EINVAL
 * for a subprotocol the client did not offer (500), -ESHUTDOWN while the
 * server drains (503).
 */
int
fp_ws_accept(struct fp_http_ctx *x, const struct fp_ws_params *p, const struct fp_ws_ops *ops,
	void *arg);

/* Sends one whole message (text, binary) or control frame (ping, pong:
 * at most 125 bytes), copied. Returns 0, -EAGAIN when the connection has
 * no room for it now (writable comes later), -EMSGSIZE for one larger than
 * the send buffer or a control frame over 125 bytes, -EINVAL for another
 * opcode, or -EPIPE once the WebSocket is closing or gone.
 */
int
fp_ws_send(struct fp_http_ctx *x, uint8_t opcode, const void *data, size_t len);

/* Sends a ready server frame (its header, fp_ws_server_header(), then
 * payload_len bytes) by reference, whole or not at all: bytes that many
 * connections send, built once (fp_http_write_ref(), more as there).
 * Returns 0, -EAGAIN, or -EPIPE once the WebSocket is closing or gone.
 */
int
fp_ws_send_ref(struct fp_http_ctx *x, const void *frame, rte_iova_t iova, uint32_t len,
	struct rte_mbuf_ext_shared_info *sh, uint32_t payload_len, bool more);

/* Starts the close handshake with code (a code an endpoint may send) and a
 * reason of at most 123 bytes: no message goes out after it, messages that
 * still come are dropped, and the connection closes when the client answers
 * or close_ms passes. Returns 0, -EINVAL for a bad code or reason, or
 * -EPIPE when already closing.
 */
int
fp_ws_close(struct fp_http_ctx *x, uint16_t code, const char *reason);

/* Registers /fastpath/ws (the ws_ counters summed over the workers, close
 * frames sent by code). Calling it again does nothing. Returns 0 or a
 * negative errno.
 */
int
fp_ws_telemetry_init(void);

#endif /* FP_WS_H */
