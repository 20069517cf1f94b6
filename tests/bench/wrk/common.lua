-- Shared by the benchmark scripts: one machine-readable summary line when wrk finishes,
--   RESULT rps=<requests per second> p50_ms=<median> p99_ms=<99th percentile> errors=<non-2xx + socket errors> requests=<count>
function done(summary, latency, requests)
  local seconds = summary.duration / 1e6
  local errors = summary.errors.status + summary.errors.connect + summary.errors.read +
                 summary.errors.write + summary.errors.timeout
  io.write(string.format("RESULT rps=%.1f p50_ms=%.3f p99_ms=%.3f errors=%d requests=%d\n",
                         summary.requests / seconds, latency:percentile(50) / 1000,
                         latency:percentile(99) / 1000, errors, summary.requests))
end
