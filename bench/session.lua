-- wrk script: one PHP session per connection.
-- Run wrk with as many threads as connections (-t N -c N): each wrk thread
-- has its own Lua state, so a thread's cookie is its connection's cookie.
--   WRK_MAX_REQUESTS   stop each thread after this many responses (0: no limit)
--   WRK_DONE_DIR       where a thread that stopped leaves a file: wrk itself runs
--                      for its whole -d, so the caller waits for one file per
--                      thread and then ends wrk with SIGINT (it prints its summary)
--   WRK_NEW_SESSION_EVERY  drop the cookie every K responses (0: never), so a
--                      long run also exercises session creation
local cookie = nil
local count = 0
local max_requests = tonumber(os.getenv("WRK_MAX_REQUESTS") or "0") or 0
local new_every = tonumber(os.getenv("WRK_NEW_SESSION_EVERY") or "0") or 0
local done_dir = os.getenv("WRK_DONE_DIR")
local next_id = 0

function setup(thread)
   next_id = next_id + 1
   thread:set("thread_id", next_id)
end

function request()
   if cookie then
      return wrk.format("GET", nil, { ["Cookie"] = cookie })
   end
   return wrk.format("GET", nil, {})
end

function response(status, headers, body)
   local set = headers["Set-Cookie"] or headers["set-cookie"]
   if set then
      cookie = set:match("^([^;]+)")
   end
   count = count + 1
   if new_every > 0 and count % new_every == 0 then
      cookie = nil
   end
   if max_requests > 0 and count == max_requests then
      if done_dir then
         local f = io.open(done_dir .. "/thread." .. tostring(thread_id), "w")
         if f then f:write(count, "\n"); f:close() end
      end
      wrk.thread:stop()
   end
end

function done(summary, latency, requests)
   local e = summary.errors
   io.write(string.format(
      "RESULT requests=%d duration_us=%d rps=%.2f p50_us=%d p99_us=%d errors=%d status_errors=%d\n",
      summary.requests, summary.duration,
      summary.requests / (summary.duration / 1e6),
      latency:percentile(50.0), latency:percentile(99.0),
      e.connect + e.read + e.write + e.timeout, e.status))
end
