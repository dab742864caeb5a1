-- wrk script for the manifest workload: the method and headers come from the environment
-- (BENCH_METHOD, and BENCH_HEADERS as "Name: value" lines), and the summary is printed as
-- one JSON line for scripts/benchmark to read.

wrk.method = os.getenv("BENCH_METHOD") or "GET"
for line in (os.getenv("BENCH_HEADERS") or ""):gmatch("[^\n]+") do
  local name, value = line:match("^([^:]+):%s*(.*)$")
  if name then
    wrk.headers[name] = value
  end
end

function done(summary, latency, requests)
  io.write(string.format(
    '{"requests": %d, "duration_us": %d, "p50_us": %d, "p99_us": %d, "non_2xx": %d, ' ..
    '"timeouts": %d, "connect_errors": %d, "read_errors": %d, "write_errors": %d}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
    summary.errors.status, summary.errors.timeout, summary.errors.connect,
    summary.errors.read, summary.errors.write))
end
