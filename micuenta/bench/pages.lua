-- wrk script of `make bench`: GET one path with the session cookies of many people, in turn.
-- Arguments after "--": cookie file (one session id per line, may be empty), path, X-Forwarded-Proto, cookie name.
-- Any status but 200 is counted as an error (a redirect to the sign-in page is a failure, not a fast page).
local threads = {}
local count = 0

function setup(thread)
  count = count + 1
  thread:set("id", count)
  table.insert(threads, thread)
end

function init(args)
  cookies = {}
  for line in io.lines(args[1]) do
    if #line > 0 then cookies[#cookies + 1] = line end
  end
  path = args[2]
  proto = args[3]
  cookie_name = args[4]
  bad = 0
  n = (id * 7919) % math.max(#cookies, 1)
end

function request()
  local headers = { ["X-Forwarded-Proto"] = proto }
  if #cookies > 0 then
    n = n % #cookies + 1
    headers["Cookie"] = cookie_name .. "=" .. cookies[n]
  end
  return wrk.format("GET", path, headers)
end

function response(status, headers, body)
  if status ~= 200 then bad = bad + 1 end
end

function done(summary, latency, requests)
  local bad_total = 0
  for _, t in ipairs(threads) do bad_total = bad_total + (t:get("bad") or 0) end
  local e = summary.errors
  io.write(string.format(
    'BENCH_JSON {"requests": %d, "duration_us": %d, "bad_status": %d, "socket_errors": %d, '
      .. '"p50_us": %d, "p95_us": %d, "p99_us": %d}\n',
    summary.requests, summary.duration, bad_total, e.connect + e.read + e.write + e.timeout,
    latency:percentile(50), latency:percentile(95), latency:percentile(99)))
end
