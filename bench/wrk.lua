-- One wrk script for every page of bench/run.py, configured by environment variables:
--   BENCH_OUT      file that done() writes one JSON object to (latency in microseconds)
--   BENCH_METHOD   GET (default) or POST
--   BENCH_BODIES   for POST: a file with one url-encoded form body per line; each thread
--                  takes every BENCH_THREADS-th line from its own offset, so threads never
--                  send the same body (distinct booking slots); it wraps around at the end
--   BENCH_THREADS  the -t given to wrk
-- Cookies and other headers come from wrk's -H options (wrk.headers).

local counter = 0
local threads = {}

function setup(thread)
   thread:set("tid", counter)
   counter = counter + 1
   table.insert(threads, thread)
end

local bodies = {}
local index = 0
local method = os.getenv("BENCH_METHOD") or "GET"

function init(args)
   local path = os.getenv("BENCH_BODIES")
   if path == nil or path == "" then
      return
   end
   local n = tonumber(os.getenv("BENCH_THREADS") or "1")
   local line_no = 0
   for line in io.lines(path) do
      if line_no % n == tid then
         table.insert(bodies, line)
      end
      line_no = line_no + 1
   end
end

function request()
   if #bodies == 0 then
      return wrk.format(method, nil, nil, nil)
   end
   index = index + 1
   if index > #bodies then
      index = 1
   end
   return wrk.format(method, nil, nil, bodies[index])
end

statuses = {}  -- global: done() reads it from every thread with thread:get

function response(status, headers, body)
   statuses[status] = (statuses[status] or 0) + 1
end

function done(summary, latency, requests)
   local totals = {}
   for _, thread in ipairs(threads) do
      local counts = thread:get("statuses") or {}
      for code, count in pairs(counts) do
         totals[code] = (totals[code] or 0) + count
      end
   end
   local codes = {}
   for code, count in pairs(totals) do
      codes[#codes + 1] = string.format('"%d": %d', code, count)
   end
   local out = io.open(os.getenv("BENCH_OUT"), "w")
   out:write(string.format(
      '{"requests": %d, "duration_us": %d, "bytes": %d, ' ..
      '"errors": {"connect": %d, "read": %d, "write": %d, "status": %d, "timeout": %d}, ' ..
      '"p50": %d, "p90": %d, "p95": %d, "p99": %d, "mean": %.1f, "max": %d, ' ..
      '"statuses": {%s}}\n',
      summary.requests, summary.duration, summary.bytes,
      summary.errors.connect, summary.errors.read, summary.errors.write,
      summary.errors.status, summary.errors.timeout,
      latency:percentile(50), latency:percentile(90), latency:percentile(95),
      latency:percentile(99), latency.mean, latency.max,
      table.concat(codes, ", ")))
   out:close()
end
