/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The fastpath authors
 */

#ifndef FP_STATS_REASONS_H
#define FP_STATS_REASONS_H

/* Why a request was refused: the one list. Each reason has the status it
 * is answered with, written here and nowhere else. It makes the parser's
 * enum fp_http_reason (fp_http_parse.h) and the http_err_<name> counters
 * (fp_stats.h) in the same order, so a reason is its counter's offset.
 * Plain C: the parser and its fuzz harness use it without DPDK.
 *
 * X(arg, name, status, description)
 */
#define FP_HTTP_REASON_LIST(X, a) \
	X(a, bad_method,	400, "method not a token") \
	X(a, bad_target,	400, "request target empty or with a control byte") \
	X(a, malformed_version,	400, "version not HTTP/d.d") \
	X(a, bad_request_line,	400, "request line not method SP target SP version") \
	X(a, bare_cr,		400, "CR without LF") \
	X(a, bad_header_name,	400, "header name empty, not a token, or no colon") \
	X(a, space_before_colon, 400, "whitespace between header name and colon") \
	X(a, obs_fold,		400, "obsolete line folding") \
	X(a, bad_header_value,	400, "control byte in a header value") \
	X(a, too_many_headers,	431, "more header lines than the parser holds (431)") \
	X(a, header_too_large,	431, "head over max_header_bytes (431)") \
	X(a, uri_too_long,	414, "target over max_uri (414)") \
	X(a, bad_version,	505, "HTTP major version other than 1 (505)") \
	X(a, missing_host,	400, "HTTP/1.1 request without Host") \
	X(a, duplicate_host,	400, "more than one Host") \
	X(a, bad_content_length, 400, "invalid or conflicting Content-Length") \
	X(a, cl_and_te,		400, "both Content-Length and Transfer-Encoding") \
	X(a, te_in_http10,	400, "Transfer-Encoding in an HTTP/1.0 request") \
	X(a, bad_target_form,	400, "target neither origin-form nor absolute-form") \
	X(a, bad_path_encoding,	400, "bad percent-encoding in the path") \
	X(a, transfer_encoding,	501, "transfer coding other than chunked (501)") \
	X(a, unknown_method,	501, "unknown method (501)") \
	X(a, method_not_allowed, 405, "method the route does not allow (405)") \
	X(a, body_too_large,	413, "Content-Length or chunked body over max_body (413)") \
	X(a, header_timeout,	408, "head not complete within header_timeout_s (408)") \
	X(a, bad_chunk,		400, "malformed chunked request body (400)") \
	X(a, body_timeout,	408, "request body not complete within body_timeout_s (408)") \
	X(a, no_body_buffer,	503, "no buffer free for a request body (503)") \
	X(a, not_found,		404, "no route for the path (404)") \
	X(a, no_context,	503, "no request context free (503)") \
	X(a, other,		500, "any other refused request")

/* WebSocket close codes fastpath sends (RFC 6455 7.4.1, and IANA's
 * 1012-1014): enum fp_ws_close (fp_ws_frame.h) and the ws_close_<name>
 * counters. X(arg, name, code)
 */
#define FP_WS_CLOSE_LIST(X, a) \
	X(a, normal,		1000) \
	X(a, going_away,		1001) \
	X(a, protocol_error,	1002) \
	X(a, unsupported_data,	1003) \
	X(a, invalid_payload,	1007) \
	X(a, policy_violation,	1008) \
	X(a, message_too_big,	1009) \
	X(a, internal_error,	1011) \
	X(a, try_again_later,	1013)

#endif /* FP_STATS_REASONS_H */
