#!/usr/bin/env bash
# The restore drill (BENCHMARKS.md): a demo bakery grown to N orders (default 500,000, two
# lines each, spread over five years), served by the release build while the website keeps
# posting orders; `hearth backup` takes an online copy meanwhile; then `hearth restore` puts
# it in place of a stopped database. Prints the size and both times, and checks that every
# order acknowledged before the backup began is in the restored file.
#   scripts/restore-drill.sh [N]
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
n=${1:-500000}
# HEARTH_DRILL_BUILT=1: use the release binary already built.
[ -n "${HEARTH_DRILL_BUILT:-}" ] || cargo +stable build --release --features ssr --bin hearth
bin="$CARGO_TARGET_DIR/release/hearth"
dir=$(mktemp -d)
port=${HEARTH_BENCH_PORT:-3921}
export DATABASE_URL="sqlite://$dir/live.db" LEPTOS_SITE_ADDR="127.0.0.1:$port" HEARTH_LOG=warn HEARTH_BACKUP_DIR=off
server=
trap '[ -n "$server" ] && kill $server 2>/dev/null; rm -rf "$dir"' EXIT
"$bin" demo >/dev/null
key=$("$bin" api-key create --name drill | tail -n 1)
start=$(date +%s.%N)
sqlite3 "$dir/live.db" <<SQL
PRAGMA journal_mode = WAL;
UPDATE products SET daily_capacity = 1000000;
BEGIN;
WITH RECURSIVE k(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM k WHERE i < $n)
INSERT INTO orders (number, tracking_token, customer_id, status, fulfilment, fulfil_on, payment_method,
                    paid, subtotal_cents, total_cents, source, created_at, updated_at)
SELECT 1000000 + i, 'drill-' || i, (SELECT MIN(id) FROM customers) + (i % 50),
       'collected', 'pickup', date('now', '-' || (i % 1800) || ' days'), 'pay_at_pickup', 1, 900, 900,
       'storefront', strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
FROM k;
INSERT INTO order_items (order_id, product_id, quantity, unit_price_cents)
SELECT o.id, p.id, 1, 450 FROM orders o JOIN (SELECT id FROM products ORDER BY id LIMIT 2) p
WHERE o.number > 1000000;
COMMIT;
SQL
printf "   grew the demo to %s orders in %.0f s; file %s MB\n" \
  "$(sqlite3 "$dir/live.db" 'SELECT COUNT(*) FROM orders')" "$(echo "$(date +%s.%N) - $start" | bc)" \
  "$(( $(stat -c %s "$dir/live.db") / 1048576 ))"

"$bin" serve >/dev/null 2>&1 &
server=$!
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.1; done
day=$(date -d '+1 day' +%F); [ "$(date -d "$day" +%u)" = 7 ] && day=$(date -d '+2 days' +%F)
# The website keeps ordering; each acknowledged number goes into acked.txt.
(
  i=0
  while :; do
    i=$((i + 1))
    curl -sf -X POST "http://127.0.0.1:$port/api/v1/orders" -H "Authorization: Bearer $key" \
      -H "Idempotency-Key: drill-$i" -H 'Content-Type: application/json' \
      -d "{\"customer\":{\"name\":\"Drill $i\",\"phone\":\"6$(printf %08d $i)\"},\"fulfilment\":{\"type\":\"pickup\",\"date\":\"$day\",\"time\":\"10:00\"},\"items\":[{\"sku\":\"BRD-SOUR\",\"quantity\":1}],\"payment\":{\"method\":\"pay_at_pickup\"}}" \
      | grep -o '"order_number":[0-9]*' | cut -d: -f2 >> "$dir/acked.txt" || true
  done
) &
writer=$!
sleep 2
cp "$dir/acked.txt" "$dir/before.txt"
t0=$(date +%s.%N)
"$bin" backup "$dir/copy.db" >/dev/null
t1=$(date +%s.%N)
sleep 1
kill $writer; wait $writer 2>/dev/null || true
kill $server; wait $server 2>/dev/null || true
server=
t2=$(date +%s.%N)
"$bin" restore "$dir/copy.db"
t3=$(date +%s.%N)
missing=0
while read -r num; do
  [ "$(sqlite3 "$dir/live.db" "SELECT COUNT(*) FROM orders WHERE number = $num")" = 1 ] || missing=$((missing + 1))
done < "$dir/before.txt"
printf "== restore drill: %s orders, backup file %s MB\n" "$(sqlite3 "$dir/live.db" 'SELECT COUNT(*) FROM orders')" \
  "$(( $(stat -c %s "$dir/copy.db") / 1048576 ))"
printf "   online backup while orders arrived: %.1f s; restore (full integrity check, copy, migrate): %.1f s\n" \
  "$(echo "$t1 - $t0" | bc)" "$(echo "$t3 - $t2" | bc)"
printf "   acknowledged before the backup began: %s; missing after restore: %s; acknowledged in all: %s\n" \
  "$(wc -l < "$dir/before.txt")" "$missing" "$(wc -l < "$dir/acked.txt")"
[ "$missing" = 0 ]
