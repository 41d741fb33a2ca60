//! The owner's reports at size (run: `./hearth.sh bench`): 500,000 orders over 400 days on top
//! of the demo bakery (deliveries in eleven districts with windows and positions, pickups,
//! cancellations with reasons, two runs a day with their stops, cash and failed deliveries).
//! Prints each report section's time (median of 5) for the last 30 days and the last 365 days,
//! the whole page's report and the forecast, and the query plans that show the covering indexes.
use std::time::Instant;

use chrono::{Datelike, Duration};
use hearth::reports::{store, Grain};
use hearth::server::config::Config;
use hearth::server::{cli, demo};

const ORDERS: i64 = 500_000;

fn p50(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

async fn plan(pool: &sqlx::SqlitePool, sql: &str) -> Vec<String> {
    sqlx::query_as::<_, (i64, i64, i64, String)>(&format!("EXPLAIN QUERY PLAN {sql}"))
        .fetch_all(pool)
        .await
        .unwrap()
        .into_iter()
        .map(|r| r.3)
        .collect()
}

macro_rules! timed {
    ($label:expr, $body:expr) => {{
        let mut times = Vec::new();
        for _ in 0..5 {
            let t = Instant::now();
            let _ = $body;
            times.push(t.elapsed().as_secs_f64() * 1000.0);
        }
        let ms = p50(times);
        println!(
            "   {:<44} {:>8.1} ms{}",
            $label,
            ms,
            if ms > 200.0 { "  (over 200 ms)" } else { "" }
        );
        ms
    }};
}

#[tokio::main]
async fn main() {
    let dir = tempfile::tempdir().unwrap();
    let mut config = Config::from_env().unwrap();
    config.database_url = format!("sqlite://{}/reports.db", dir.path().display());
    config.site_root = dir.path().display().to_string();
    let state = cli::prepare(config).await.unwrap();
    demo::load(&state.pool, &state.config, false).await.unwrap();
    let pool = &state.pool;
    let today = state.config.today();
    {
        let mut conn = pool.acquire().await.unwrap();
        let f = store::forecast(&mut conn, today, 14, 8).await.unwrap();
        println!(
            "== forecast on the demo bakery's year: MAPE {:.1} % against {:.1} % for the naive forecast (same weekday last week), weighted error {:.1} % (naive {:.1} %), bias {:+.1} % (naive {:+.1} %), {} product-days × horizons",
            f.mape * 100.0,
            f.naive_mape * 100.0,
            f.wape * 100.0,
            f.naive_wape * 100.0,
            f.bias * 100.0,
            f.naive_bias * 100.0,
            f.points
        );
    }
    let t = Instant::now();
    for sql in [
        format!(
            "INSERT INTO orders (number, tracking_token, customer_id, status, fulfilment, fulfil_on, window_from, window_to,
                                 lat, lng, district_id, payment_method, paid, subtotal_cents, delivery_fee_cents,
                                 discount_cents, total_cents, created_at)
             WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {ORDERS})
             SELECT 3000000 + i, 'rep' || i, 1 + (i * 7919) % 80,
                    CASE WHEN i % 17 = 0 THEN 'cancelled' WHEN i % 5 = 0 THEN 'collected' ELSE 'delivered' END,
                    CASE WHEN i % 5 = 0 THEN 'pickup' ELSE 'delivery' END,
                    date('{today}', '-' || (i % 400) || ' day'),
                    CASE WHEN i % 5 = 0 THEN NULL ELSE printf('%02d:00', 9 + (i % 4) * 2) END,
                    CASE WHEN i % 5 = 0 THEN NULL ELSE printf('%02d:00', 11 + (i % 4) * 2) END,
                    CASE WHEN i % 5 = 0 THEN NULL ELSE 40.40 + (i % 97) / 1000.0 END,
                    CASE WHEN i % 5 = 0 THEN NULL ELSE -3.72 + (i % 89) / 1000.0 END,
                    CASE WHEN i % 5 = 0 THEN NULL ELSE (SELECT MIN(id) FROM districts) + (i % 11) END,
                    CASE WHEN i % 3 = 0 THEN 'cod' ELSE 'prepaid' END, 1,
                    1000 + (i % 37) * 100, CASE WHEN i % 5 = 0 THEN 0 ELSE 250 END, CASE WHEN i % 9 = 0 THEN 200 ELSE 0 END,
                    1000 + (i % 37) * 100 + CASE WHEN i % 5 = 0 THEN 0 ELSE 250 END - CASE WHEN i % 9 = 0 THEN 200 ELSE 0 END,
                    strftime('%Y-%m-%dT%H:%M:%fZ', date('{today}', '-' || (i % 400 + i % 4) || ' day'), '+' || (7 + i % 14) || ' hours')
             FROM n"
        ),
        "INSERT INTO order_items (order_id, product_id, quantity, unit_price_cents)
         SELECT id, (SELECT MIN(id) FROM products) + (id % 15), 1 + (id % 3), 500 FROM orders WHERE number > 3000000
         UNION ALL
         SELECT id, (SELECT MIN(id) FROM products) + ((id + 5) % 15), 1, 500 FROM orders WHERE number > 3000000 AND id % 2 = 0"
            .to_string(),
        "INSERT INTO order_events (order_id, kind, from_status, to_status, detail)
         SELECT id, 'cancelled', 'received', 'cancelled',
                CASE id % 3 WHEN 0 THEN 'Customer away' WHEN 1 THEN 'Ordered twice' ELSE 'Changed their mind' END
         FROM orders WHERE number > 3000000 AND status = 'cancelled'"
            .to_string(),
        // Two runs a day (both demo drivers), each delivery on one of them.
        "INSERT OR IGNORE INTO runs (day, driver_id, status, shift_start, shift_end, capacity, distance_m, duration_s)
         SELECT DISTINCT o.fulfil_on, u.id, 'published', '09:00', '14:00', 1000, 60000, 18000
         FROM orders o, users u WHERE o.number > 3000000 AND o.fulfilment = 'delivery' AND u.role = 'driver'"
            .to_string(),
        "INSERT INTO run_stops (run_id, order_id, seq, eta, outcome, cash_collected_cents, fail_reason)
         SELECT r.id, o.id, o.id, o.created_at,
                CASE WHEN o.id % 31 = 0 THEN 'failed' ELSE 'delivered' END,
                CASE WHEN o.payment_method = 'cod' AND o.id % 31 <> 0 THEN o.total_cents ELSE NULL END,
                CASE WHEN o.id % 31 = 0 THEN 'Nobody home' END
         FROM orders o JOIN runs r ON r.day = o.fulfil_on
              AND r.driver_id = CASE WHEN o.id % 2 = 0 THEN (SELECT MIN(id) FROM users WHERE role = 'driver')
                                     ELSE (SELECT MAX(id) FROM users WHERE role = 'driver') END
         WHERE o.number > 3000000 AND o.fulfilment = 'delivery' AND o.status <> 'cancelled'
           AND NOT EXISTS (SELECT 1 FROM run_stops s WHERE s.order_id = o.id)"
            .to_string(),
        "ANALYZE".to_string(),
    ] {
        sqlx::query(&sql).execute(pool).await.unwrap();
    }
    let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM orders")
        .fetch_one(pool)
        .await
        .unwrap();
    let stops: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM run_stops")
        .fetch_one(pool)
        .await
        .unwrap();
    println!(
        "   {n} orders, {stops} run stops, loaded in {:.1} s",
        t.elapsed().as_secs_f64()
    );
    let tz = state.config.timezone();
    let mut conn = pool.acquire().await.unwrap();
    let c = &mut *conn;
    let costs = hearth::kitchen::recipes::unit_costs(c).await.unwrap();
    live_then_fill(c, today, tz, &costs).await;
    for days in [30, 365] {
        let (from, to) = (today - Duration::days(days - 1), today);
        let orders: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM orders WHERE fulfil_on BETWEEN ? AND ?")
                .bind(from.to_string())
                .bind(to.to_string())
                .fetch_one(&mut *c)
                .await
                .unwrap();
        println!("== the last {days} days ({orders} orders), past days summarised");
        timed!("sales by day + previous period", {
            store::sales(c, from, to).await.unwrap();
            let (pf, pt) = hearth::reports::figures::previous_period(from, to);
            store::sales(c, pf, pt).await.unwrap()
        });
        timed!(
            "sales by day",
            store::sales_by_day(c, from, to).await.unwrap()
        );
        let items = store::items(c, from, to).await.unwrap();
        timed!(
            "products (district × weekday × product)",
            store::items(c, from, to).await.unwrap()
        );
        timed!(
            "arrivals heat map",
            store::arrivals(c, from, to, tz).await.unwrap()
        );
        timed!(
            "delivery windows",
            store::windows(c, from, to).await.unwrap()
        );
        timed!(
            "new and returning customers",
            store::customers(c, from, to).await.unwrap()
        );
        // As it was read before: every customer's first order over the whole history.
        timed!("new and returning, first orders grouped (before)", {
            sqlx::query_as::<_, (bool, i64, i64)>(
                "SELECT f.first >= ?1, COUNT(DISTINCT o.customer_id), COUNT(*)
                 FROM orders o INDEXED BY orders_for_reports
                 JOIN (SELECT customer_id, MIN(fulfil_on) AS first FROM orders INDEXED BY orders_by_customer_time
                       WHERE status <> 'cancelled' GROUP BY customer_id) f ON f.customer_id = o.customer_id
                 WHERE o.fulfil_on BETWEEN ?1 AND ?2 AND o.status <> 'cancelled' GROUP BY 1",
            )
            .bind(from.to_string())
            .bind(to.to_string())
            .fetch_all(&mut *c)
            .await
            .unwrap()
        });
        timed!(
            "cancellations by reason",
            store::cancellations(c, from, to).await.unwrap()
        );
        let (_, fees) = store::failures(c, from, to).await.unwrap();
        timed!(
            "failed deliveries by reason",
            store::failures(c, from, to).await.unwrap()
        );
        timed!("cash per driver", store::cash(c, from, to).await.unwrap());
        // The same figure as it was read before the stops kept what was due (each stop's
        // order looked up), for the ratio in one run.
        timed!("cash per driver, each stop's order read (before)", {
            sqlx::query_as::<_, (String, i64, i64, i64)>(
                "SELECT u.name, COUNT(*),
                        SUM(CASE WHEN s.outcome = 'delivered' AND o.payment_method = 'cod' THEN o.total_cents ELSE 0 END),
                        SUM(COALESCE(s.cash_collected_cents, 0))
                 FROM runs r JOIN run_stops s ON s.run_id = r.id JOIN orders o ON o.id = s.order_id
                      JOIN users u ON u.id = r.driver_id
                 WHERE r.day BETWEEN ? AND ? GROUP BY r.driver_id ORDER BY u.name",
            )
            .bind(from.to_string())
            .bind(to.to_string())
            .fetch_all(&mut *c)
            .await
            .unwrap()
        });
        let rates = store::rates(c).await.unwrap();
        timed!(
            "profit per district and district-day",
            store::profit_cells(c, from, to, &items, &costs, &fees, &rates)
                .await
                .unwrap()
        );
        timed!(
            "the whole report (all of the above)",
            store::report(c, today, from, to, Grain::Day, tz, "EUR".into())
                .await
                .unwrap()
        );
    }
    println!("== calendar (district-days, pickups, items, takings, closed days, promotions)");
    let first = today.with_day(1).unwrap();
    let before = (first - chrono::Duration::days(1)).with_day(1).unwrap();
    let in_month = |from: chrono::NaiveDate| {
        let to = (from + chrono::Duration::days(31)).with_day(1).unwrap();
        sqlx::query_scalar::<_, i64>(
            "SELECT COUNT(*) FROM orders WHERE fulfil_on >= ? AND fulfil_on < ?",
        )
        .bind(from.to_string())
        .bind(to.to_string())
    };
    let n = in_month(before).fetch_one(&mut *c).await.unwrap();
    timed!(
        &format!("the month before ({before}, {n} orders)"),
        hearth::calendar::store::month(c, before, today, "EUR".into())
            .await
            .unwrap()
    );
    let n = in_month(first).fetch_one(&mut *c).await.unwrap();
    timed!(
        &format!("this month ({first}, {n} orders)"),
        hearth::calendar::store::month(c, first, today, "EUR".into())
            .await
            .unwrap()
    );
    println!("== forecast (14 days × 15 products, backtest 8 weeks × 7 horizons)");
    let f = store::forecast(c, today, 14, 8).await.unwrap();
    timed!(
        "forecast + backtest",
        store::forecast(c, today, 14, 8).await.unwrap()
    );
    println!(
        "   backtest on these generated orders: MAPE {:.1} % (naive {:.1} %), weighted error {:.1} % (naive {:.1} %), bias {:+.1} % (naive {:+.1} %), {} points",
        f.mape * 100.0,
        f.naive_mape * 100.0,
        f.wape * 100.0,
        f.naive_wape * 100.0,
        f.bias * 100.0,
        f.naive_bias * 100.0,
        f.points
    );
    println!("== query plans");
    let (a, b) = ((today - Duration::days(364)).to_string(), today.to_string());
    for (name, sql) in [
        (
            "sales",
            format!("SELECT fulfil_on, COUNT(*), SUM(total_cents) FROM orders INDEXED BY orders_for_reports WHERE fulfil_on BETWEEN '{a}' AND '{b}' AND status <> 'cancelled' GROUP BY fulfil_on"),
        ),
        (
            "products",
            format!("SELECT o.district_id, i.product_id, SUM(i.quantity) FROM orders o INDEXED BY orders_for_reports JOIN order_items i ON i.order_id = o.id WHERE o.fulfil_on BETWEEN '{a}' AND '{b}' AND o.status <> 'cancelled' GROUP BY 1, 2"),
        ),
    ] {
        for line in plan(pool, &sql).await {
            println!("   {name}: {line}");
        }
    }
}

/// The three sections that read every order, item line and stop of the period, and the whole
/// report, before any day is summarised (all read live, as the first version did); then the
/// worker's fill of the day summaries, a week of days per write transaction.
async fn live_then_fill(
    c: &mut sqlx::SqliteConnection,
    today: chrono::NaiveDate,
    tz: chrono_tz::Tz,
    costs: &std::collections::HashMap<i64, f64>,
) {
    use hearth::reports::store::days;
    let rates = store::rates(c).await.unwrap();
    for days in [30, 365] {
        let (from, to) = (today - Duration::days(days - 1), today);
        println!("== the last {days} days, every day read live (no day summarised yet)");
        let items = store::items(c, from, to).await.unwrap();
        let (_, fees) = store::failures(c, from, to).await.unwrap();
        timed!(
            "sales by day",
            store::sales_by_day(c, from, to).await.unwrap()
        );
        timed!(
            "arrivals heat map",
            store::arrivals(c, from, to, tz).await.unwrap()
        );
        timed!(
            "cancellations by reason",
            store::cancellations(c, from, to).await.unwrap()
        );
        timed!(
            "failed deliveries by reason",
            store::failures(c, from, to).await.unwrap()
        );
        timed!("cash per driver", store::cash(c, from, to).await.unwrap());
        timed!(
            "products (district × weekday × product)",
            store::items(c, from, to).await.unwrap()
        );
        timed!(
            "delivery windows",
            store::windows(c, from, to).await.unwrap()
        );
        timed!(
            "profit per district and district-day",
            store::profit_cells(c, from, to, &items, costs, &fees, &rates)
                .await
                .unwrap()
        );
        timed!(
            "the whole report",
            store::report(c, today, from, to, Grain::Day, tz, "EUR".into())
                .await
                .unwrap()
        );
    }
    println!("== forecast (14 days × 15 products, backtest 8 weeks × 7 horizons), read live");
    timed!(
        "forecast + backtest",
        store::forecast(c, today, 14, 8).await.unwrap()
    );
    let (t, mut longest, mut total) = (Instant::now(), 0.0f64, 0);
    loop {
        let b = Instant::now();
        sqlx::query("BEGIN IMMEDIATE")
            .execute(&mut *c)
            .await
            .unwrap();
        let n = days::fill(c, today, 7).await.unwrap();
        sqlx::query("COMMIT").execute(&mut *c).await.unwrap();
        longest = longest.max(b.elapsed().as_secs_f64() * 1000.0);
        total += n;
        if n < 7 {
            break;
        }
    }
    println!(
        "== day summaries: {total} days summarised in {:.1} s (a week of days per write transaction, as the worker does; the longest {longest:.0} ms)",
        t.elapsed().as_secs_f64()
    );
}
