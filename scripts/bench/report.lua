-- SPDX-License-Identifier: BSD-3-Clause
-- Copyright(c) 2026 The fastpath authors
--
-- wrk -s report.lua: prints one JSON line with the run's totals and latency
-- percentiles (microseconds), for scripts/bench.sh.
done = function(summary, latency, requests)
	local e = summary.errors
	io.write(string.format(
		'{"requests": %d, "duration_us": %d, "bytes": %d, ' ..
		'"errors": {"connect": %d, "read": %d, "write": %d, "status": %d, "timeout": %d}, ' ..
		'"latency_us": {"p50": %d, "p99": %d, "p999": %d, "max": %d, "mean": %.1f}}\n',
		summary.requests, summary.duration, summary.bytes,
		e.connect, e.read, e.write, e.status, e.timeout,
		latency:percentile(50), latency:percentile(99), latency:percentile(99.9),
		latency.max, latency.mean))
end
