/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The fastpath authors
 */

#ifndef FP_WS_HANDSHAKE_H
#define FP_WS_HANDSHAKE_H

/* The server's side of the WebSocket opening handshake (RFC 6455 4.2): the
 * checks of the client's upgrade request, and the Sec-WebSocket-Accept
 * value of the 101 answer.
 */

#include <stdbool.h>
#include <stddef.h>

#include "fp_http_parse.h"

/* Characters of a Sec-WebSocket-Accept value: base64 of a 20-byte SHA-1. */
#define FP_WS_ACCEPT_LEN 28

/* Checks req as an opening handshake (RFC 6455 4.2.1): GET, HTTP/1.1 or
 * later, an Upgrade header naming websocket, a Connection header whose list
 * holds the upgrade token (case-insensitive), one Sec-WebSocket-Key that
 * decodes to 16 bytes, and Sec-WebSocket-Version 13. Returns 0 with *key
 * set, or the status that answers it: 426 when only the version is wrong
 * or missing (the answer then carries Sec-WebSocket-Version: 13), 400 for
 * the rest.
 */
int
fp_ws_check_request(const struct fp_http_request *req, struct fp_http_slice *key);

/* Whether the comma-separated list v (RFC 9110 5.6.1: elements trimmed of
 * spaces and tabs) holds token, in any case when icase (Connection,
 * Upgrade), exactly otherwise (subprotocols).
 */
bool
fp_ws_list_has(struct fp_http_slice v, const char *token, bool icase);

/* Writes the Sec-WebSocket-Accept value for key (4.2.2: base64 of the SHA-1
 * of the key and RFC 6455's GUID) and a NUL into out. Returns 0, or
 * -EINVAL when libcrypto fails.
 */
int
fp_ws_accept_key(struct fp_http_slice key, char out[FP_WS_ACCEPT_LEN + 1]);

#endif /* FP_WS_HANDSHAKE_H */
