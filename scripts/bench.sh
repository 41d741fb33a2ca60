#!/usr/bin/env bash
# Benchmarks (release builds), described with their figures in BENCHMARKS.md:
#   1. order intake over HTTP: wrk, 32 connections, 15 s, against the release server
#   2. the same inserts straight into SQLite, intake without HTTP (with and without a promotion
#      code), board render, SSE fan-out (benches/intake.rs)
#   3. segments and a promotion's report on 50,000 customers / 500,000 orders (benches/crm.rs)
#   4. every section of the owner's report and the forecast on 500,000 orders (benches/reports.rs)
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
command -v wrk >/dev/null || { echo "installing wrk"; apt-get install -y -qq wrk >/dev/null; }

cargo +stable build --release --features ssr --bin hearth
bin="$CARGO_TARGET_DIR/release/hearth"
dir=$(mktemp -d)
port=${HEARTH_BENCH_PORT:-3919}
export DATABASE_URL="sqlite://$dir/bench.db" LEPTOS_SITE_ADDR="127.0.0.1:$port" HEARTH_LOG=warn
"$bin" demo >/dev/null
key=$("$bin" api-key create --name bench | tail -n 1)
sqlite3 "$dir/bench.db" "UPDATE districts SET capacity_per_day = 1000000, served_weekdays = 127, min_order_cents = 0;
                         UPDATE products SET daily_capacity = 1000000;"
"$bin" serve >/dev/null 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true; rm -rf "$dir"' EXIT
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.1; done
echo "== order intake over HTTP (wrk -t2 -c32 -d15s; client and server share the 2 cores)"
HEARTH_KEY="$key" HEARTH_DATE="$(date -d '+3 days' +%F)" \
  wrk -t2 -c32 -d15s -s scripts/wrk-orders.lua "http://127.0.0.1:$port" | grep '^http'
echo "   orders in the database afterwards: $(sqlite3 "$dir/bench.db" 'SELECT COUNT(*) FROM orders')"
echo "   integrity: $(sqlite3 "$dir/bench.db" 'PRAGMA integrity_check')"
kill $server; wait $server 2>/dev/null || true

echo "== in-process figures (benches/intake.rs)"
cargo +stable bench -q --features ssr --bench intake

echo "== customers and promotions at 50,000 customers / 500,000 orders (benches/crm.rs)"
cargo +stable bench -q --features ssr --bench crm

echo "== the owner's reports on 500,000 orders (benches/reports.rs)"
cargo +stable bench -q --features ssr --bench reports
