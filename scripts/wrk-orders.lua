-- wrk script: POST /api/v1/orders with a fresh Idempotency-Key, customer and body per request.
-- Environment: HEARTH_KEY (storefront key), HEARTH_DATE (YYYY-MM-DD).
local key = os.getenv("HEARTH_KEY")
local date = os.getenv("HEARTH_DATE")
local threads = {}
local next_id = 0

function setup(thread)
  thread:set("id", next_id)
  next_id = next_id + 1
  table.insert(threads, thread)
end

local counter = 0
function request()
  counter = counter + 1
  local body = string.format(
    '{"customer":{"name":"Wrk Bench","phone":"+3474%02d%06d"},' ..
    '"fulfilment":{"type":"delivery","address":"Calle Mayor 1","lat":40.417,"lng":-3.704,"date":"%s"},' ..
    '"items":[{"sku":"BRD-SOUR","quantity":2}],"payment":{"method":"prepaid"}}',
    id, counter, date)
  return wrk.format("POST", "/api/v1/orders", {
    ["Content-Type"] = "application/json",
    ["Authorization"] = "Bearer " .. key,
    ["Idempotency-Key"] = string.format("wrk-%d-%d", id, counter),
  }, body)
end

function done(summary, latency, requests)
  io.write(string.format(
    "http     %8.0f orders/s   p50 %6.2f ms   p99 %6.2f ms   (%d requests in %.1f s, %d not 201, %d socket errors)\n",
    summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    summary.requests, summary.duration / 1e6,
    summary.errors.status, summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
