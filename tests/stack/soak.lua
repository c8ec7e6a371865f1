-- wrk script for tests/stack/soak.sh: one session per thread (run -t N -c N),
-- mixed session sizes, and a check of every answer: the counter of the
-- thread's session must go up by exactly one (no lost or repeated update)
-- and the app must not report a torn payload. Every SOAK_NEW_EVERY answers a
-- thread drops its cookie and starts a new session.
local sizes = { 1024, 1024, 1024, 1024, 1024, 1024, 1024, 16384, 16384, 131072 }
local big = 524288           -- one request in 200 writes this much
local new_every = tonumber(os.getenv("SOAK_NEW_EVERY") or "500") or 500
local cookie, last, count = nil, 0, 0
-- Globals, so that done() can read them from each thread with thread:get().
bad_count, torn, non200, sessions = 0, 0, 0, 0
local threads = {}

function setup(thread)
   table.insert(threads, thread)
   thread:set("thread_id", #threads)
end

function init(args)
   math.randomseed(os.time() * 1000 + (thread_id or 0))
end

function request()
   local size = sizes[math.random(#sizes)]
   if math.random(200) == 1 then size = big end
   local path = wrk.path .. "?size=" .. size
   if cookie then
      return wrk.format("GET", path, { ["Cookie"] = cookie })
   end
   return wrk.format("GET", path, {})
end

function response(status, headers, body)
   count = count + 1
   if status ~= 200 then
      non200 = non200 + 1
      return
   end
   local set = headers["Set-Cookie"] or headers["set-cookie"]
   if set then
      cookie = set:match("^([^;]+)")
      sessions = sessions + 1
      last = 0
   end
   local n = tonumber(headers["X-Count"] or headers["x-count"] or "-1")
   if n ~= last + 1 then bad_count = bad_count + 1 end
   last = n or last
   if (headers["X-Check"] or headers["x-check"]) == "torn" then torn = torn + 1 end
   if count % new_every == 0 then cookie = nil end
end

function done(summary, latency, requests)
   local b, t, x, s = 0, 0, 0, 0
   for _, thread in ipairs(threads) do
      b = b + thread:get("bad_count")
      t = t + thread:get("torn")
      x = x + thread:get("non200")
      s = s + thread:get("sessions")
   end
   local e = summary.errors
   io.write(string.format(
      "SOAK requests=%d seconds=%.0f rps=%.1f p50_ms=%.1f p99_ms=%.1f max_ms=%.1f socket_errors=%d non200=%d wrong_count=%d torn=%d sessions=%d\n",
      summary.requests, summary.duration / 1e6, summary.requests / (summary.duration / 1e6),
      latency:percentile(50.0) / 1000, latency:percentile(99.0) / 1000, latency.max / 1000,
      e.connect + e.read + e.write + e.timeout, x, b, t, s))
end
