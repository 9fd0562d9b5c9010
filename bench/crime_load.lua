-- wrk script for bench/crime_load.py: POST /api/crimes, each with a new victim and suspect
-- (names unique per run, thread and request), counting responses by status. Each person is
-- sent as "chosen":"new" (the caller has looked: none of the records offered is them), so the
-- app still searches for likely records and keeps the choice, as for an officer.
-- Arguments after "--": token, owning unit id, a tag unique to the run.

local threads = {}

function setup(thread)
  thread:set("id", #threads + 1)
  table.insert(threads, thread)
end

function init(args)
  token, unit, run = args[1], args[2], args[3]
  statuses = {}
  n = 0
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/json"
  wrk.headers["Authorization"] = "Bearer " .. token
end

function request()
  n = n + 1
  local tag = string.format("%s%d%06d", run, id, n)
  local body = string.format(
    '{"summary":"Bench theft %s","offence_code":"49","owning_unit_id":%s,'
      .. '"modus_operandi":"Bag taken from a table in a cafe",'
      .. '"victims":[{"given_names":"Ann%s","family_name":"Lee","dob":"1985-03-04","chosen":"new"}],'
      .. '"suspects":[{"given_names":"Sam%s","family_name":"Cole","dob":"1999-07-08","chosen":"new"}]}',
    tag, unit, tag, tag)
  return wrk.format(nil, "/api/crimes", nil, body)
end

function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end

function done(summary, latency, requests)
  local totals, counts = {}, {}
  for _, thread in ipairs(threads) do
    for status, count in pairs(thread:get("statuses")) do
      totals[status] = (totals[status] or 0) + count
    end
  end
  for status, count in pairs(totals) do
    counts[#counts + 1] = string.format('"%d":%d', status, count)
  end
  io.write(string.format(
    'RESULT {"requests":%d,"seconds":%.3f,"statuses":{%s},"socket_errors":%d,'
      .. '"p50_ms":%.2f,"p95_ms":%.2f,"p99_ms":%.2f,"max_ms":%.2f}\n',
    summary.requests, summary.duration / 1e6, table.concat(counts, ","),
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000,
    latency:percentile(99) / 1000, latency.max / 1000))
end
