#!/usr/bin/env bash
# The planning page with 2,000 undelivered orders on the map (BENCHMARKS.md, issue 4):
# builds the demo bakery, multiplies its upcoming deliveries to 2,000 (points jittered by a
# few hundred metres), serves it and measures in Chromium (end2end/planning-perf.mjs).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
profile=${1:-debug}
bin="$CARGO_TARGET_DIR/$profile/hearth"
dir=$(mktemp -d)
port=${HEARTH_PERF_PORT:-3921}
export DATABASE_URL="sqlite://$dir/perf.db" LEPTOS_SITE_ADDR="127.0.0.1:$port" HEARTH_LOG=warn LEPTOS_SITE_ROOT=target/site
"$bin" demo >/dev/null
base=$(sqlite3 "$dir/perf.db" "SELECT COUNT(*) FROM orders WHERE fulfilment = 'delivery' AND lat IS NOT NULL
  AND status NOT IN ('delivered', 'cancelled') AND fulfil_on >= date('now')")
copies=$(( (2000 + base - 1) / base - 1 ))
sqlite3 "$dir/perf.db" "
UPDATE districts SET capacity_per_day = 1000;
WITH RECURSIVE n(k) AS (SELECT 1 UNION ALL SELECT k + 1 FROM n WHERE k < $copies)
INSERT INTO orders (number, tracking_token, customer_id, status, fulfilment, fulfil_on, window_from, window_to,
                    address, lat, lng, district_id, payment_method, paid, subtotal_cents, delivery_fee_cents,
                    total_cents, source)
SELECT 100000 + o.id * 100 + n.k, lower(hex(randomblob(16))), o.customer_id, 'confirmed', 'delivery', o.fulfil_on,
       o.window_from, o.window_to, o.address, o.lat + (abs(random()) % 4000 - 2000) / 1e6,
       o.lng + (abs(random()) % 4000 - 2000) / 1e6, o.district_id, 'prepaid', 1, 1000, 300, 1300, 'demo'
FROM orders o, n
WHERE o.fulfilment = 'delivery' AND o.lat IS NOT NULL AND o.status NOT IN ('delivered', 'cancelled')
  AND o.fulfil_on >= date('now');"
echo "orders on the map: $(sqlite3 "$dir/perf.db" "SELECT COUNT(*) FROM orders WHERE fulfilment = 'delivery'
  AND lat IS NOT NULL AND status NOT IN ('delivered', 'cancelled') AND fulfil_on BETWEEN date('now') AND date('now', '+13 days')")"
"$bin" serve >/dev/null 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true; rm -rf "$dir"' EXIT
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.1; done
HEARTH_URL="http://127.0.0.1:$port" node end2end/planning-perf.mjs
