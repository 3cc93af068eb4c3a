-- The report every phase prints: one JSON line after wrk's own summary,
-- which benchmarks/load.py reads. Latencies in microseconds.
-- Scripts that count their own requests (the POSTs) add their counters
-- through `extra_report`, a function returning a table of numbers.

local report_threads = {}

function setup(thread)
  report_threads[#report_threads + 1] = thread
  thread:set("id", #report_threads - 1)
end

function done(summary, latency, requests)
  local counters = {}
  if extra_report_keys then
    for _, key in ipairs(extra_report_keys) do
      counters[key] = 0
      for _, thread in ipairs(report_threads) do
        counters[key] = counters[key] + (tonumber(thread:get(key)) or 0)
      end
    end
  end
  local parts = {}
  for key, value in pairs(counters) do
    parts[#parts + 1] = string.format('"%s":%d', key, value)
  end
  local pendings = {}
  if pending_key then
    for _, thread in ipairs(report_threads) do
      local value = thread:get(pending_key)
      if value and value ~= "" then pendings[#pendings + 1] = '"' .. value .. '"' end
    end
  end
  io.write(string.format(
    'WRK-JSON {"requests":%d,"duration_us":%d,"bytes":%d,' ..
    '"errors":{"connect":%d,"read":%d,"write":%d,"status":%d,"timeout":%d},' ..
    '"p50":%d,"p95":%d,"p99":%d,"max":%d,"counters":{%s},"pending":[%s]}\n',
    summary.requests, summary.duration, summary.bytes,
    summary.errors.connect, summary.errors.read, summary.errors.write,
    summary.errors.status, summary.errors.timeout,
    latency:percentile(50), latency:percentile(95), latency:percentile(99), latency.max,
    table.concat(parts, ","), table.concat(pendings, ",")))
end


-- The answer to a POST script's last request (one connection per thread:
-- it answers the thread's last request). A person's first send is counted
-- as acknowledged or refused; every tenth person then sends again (a double
-- tap, an offline replay), counted apart.
--
-- The counters move here, on the answer, never in request(): wrk calls
-- request() once more than it sends, on thread 0 before the run, to check
-- what the script builds (script_verify_request). A script's request()
-- therefore only builds the request for person `people + 1` (or the last
-- one again while `repeating`), so that extra call changes nothing. Before,
-- it skipped thread 0's first person, who was then sent past the end of the
-- list and counted as a replay: "database holds 2570, acknowledged 2569".
people, acked, double_taps, double_acked, refused, pending, repeating = 0, 0, 0, 0, 0, "", false

function count_answer(ok)
  if repeating then
    double_taps = double_taps + 1
    if ok then double_acked = double_acked + 1 else refused = refused + 1 end
    repeating = false
  else
    people = people + 1
    if ok then acked = acked + 1 else refused = refused + 1 end
    pending = ""
    repeating = (people % 10 == 0)
  end
end
