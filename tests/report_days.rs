//! The reports' day summaries: a report read with past days summarised is the report read live,
//! however the orders, items, runs and stops of summarised days change afterwards (each change
//! written here in plain SQL, as any path could write it), and the worker's fill summarises
//! exactly the days before today that need it.
use chrono::{Duration, NaiveDate};
use hearth::reports::store::{self, days};
use hearth::reports::{Forecast, Grain, Report};
use sqlx::{SqliteConnection, SqlitePool};

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

async fn exec(conn: &mut SqliteConnection, sql: &str) {
    sqlx::query(sql).execute(&mut *conn).await.unwrap();
}

/// A small deterministic generator (no dependency needed for a test's dice).
struct Dice(u64);
impl Dice {
    fn roll(&mut self, n: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 33) % n
    }
}

const FIRST: &str = "2026-10-01";
const TODAY: &str = "2026-11-25";

/// Three districts, four products (three with a recipe), 600 orders over 60 days (a tenth
/// cancelled, a fifth pickups, two windows; the last five days after TODAY), and a run each day carrying most of that
/// day's deliveries.
async fn bakery(conn: &mut SqliteConnection, dice: &mut Dice) {
    for sql in [
        "UPDATE business_settings SET kitchen_lat = 40.44, kitchen_lng = -3.70, cost_per_km_cents = 30,
             driver_cost_per_hour_cents = 1500 WHERE id = 1",
        "INSERT INTO users (id, email, name, role, password_hash) VALUES (7, 'd@x.test', 'Dora', 'driver', 'x'),
             (8, 'e@x.test', 'Eli', 'driver', 'x')",
        r#"INSERT INTO districts (id, name, colour, boundary, served_weekdays) VALUES
             (1, 'A', '#111111', '{"type":"Polygon","coordinates":[[[-3.71,40.43],[-3.69,40.43],[-3.69,40.45],[-3.71,40.43]]]}', 127),
             (2, 'B', '#222222', '{"type":"Polygon","coordinates":[[[-3.69,40.43],[-3.67,40.43],[-3.67,40.45],[-3.69,40.43]]]}', 127),
             (3, 'C', '#333333', '{"type":"Polygon","coordinates":[[[-3.67,40.43],[-3.65,40.43],[-3.65,40.45],[-3.67,40.43]]]}', 127)"#,
        "INSERT INTO products (id, sku, name, price_cents, daily_capacity) VALUES
             (1, 'L', 'Loaf', 400, 500), (2, 'C', 'Cake', 2000, 500), (3, 'B', 'Bun', 150, 500), (4, 'T', 'Tart', 900, 500)",
        "INSERT INTO ingredients (id, name, unit, cost_cents) VALUES (1, 'Kit', 'piece', 100)",
        "INSERT INTO recipes (product_id, batch_yield) VALUES (1, 1), (2, 2), (3, 5)",
        "INSERT INTO recipe_lines (product_id, ingredient_id, quantity) VALUES (1, 1, 1), (2, 1, 7), (3, 1, 1)",
        "INSERT INTO customers (id, name, phone) VALUES (1, 'One', '+34600000001'), (2, 'Two', '+34600000002'),
             (3, 'Three', '+34600000003'), (4, 'Four', '+34600000004')",
    ] {
        exec(conn, sql).await;
    }
    let first = d(FIRST);
    for id in 1..=600u64 {
        let day = first + Duration::days(dice.roll(60) as i64);
        let pickup = dice.roll(5) == 0;
        let district = if pickup {
            "NULL".to_string()
        } else {
            (1 + dice.roll(3)).to_string()
        };
        let status = if dice.roll(10) == 0 {
            "cancelled"
        } else {
            "delivered"
        };
        let (qty, product, price) = (1 + dice.roll(3), 1 + dice.roll(4), [400, 2000, 150, 900]);
        let sub = qty * price[product as usize - 1];
        let fee = if pickup { 0 } else { 250 };
        let discount = dice.roll(3) * 50;
        let window = if dice.roll(2) == 0 { "09:00" } else { "11:00" };
        let lat = 40.44 + dice.roll(100) as f64 / 10_000.0;
        exec(
            conn,
            &format!(
                "INSERT INTO orders (id, number, tracking_token, customer_id, status, fulfilment, fulfil_on, window_from,
                     window_to, lat, lng, district_id, payment_method, paid, subtotal_cents, delivery_fee_cents,
                     discount_cents, total_cents, created_at)
                 VALUES ({id}, {id}, 't{id}', {cust}, '{status}', '{kind}', '{day}', '{window}', '13:00', {lat}, -3.68,
                     {district}, 'cod', 1, {sub}, {fee}, {discount}, {total},
                     strftime('%Y-%m-%dT%H:%M:%fZ', '{day}', '-{ahead} days', '+{hour} hours'))",
                cust = 1 + dice.roll(4),
                ahead = dice.roll(4),
                hour = 6 + dice.roll(14),
                kind = if pickup { "pickup" } else { "delivery" },
                total = sub + fee - discount,
            ),
        )
        .await;
        exec(
            conn,
            &format!(
                "INSERT INTO order_items (order_id, product_id, quantity, unit_price_cents)
                 VALUES ({id}, {product}, {qty}, {})",
                price[product as usize - 1]
            ),
        )
        .await;
    }
    exec(
        conn,
        "INSERT INTO order_events (order_id, kind, from_status, to_status, detail)
         SELECT id, 'cancelled', 'received', 'cancelled',
                CASE id % 3 WHEN 0 THEN 'Customer away' WHEN 1 THEN 'customer  AWAY' ELSE '' END
         FROM orders WHERE status = 'cancelled'",
    )
    .await;
    for day in first.iter_days().take(60) {
        exec(
            conn,
            &format!(
                "INSERT INTO runs (day, driver_id, status, shift_start, shift_end, capacity, distance_m, duration_s)
                 VALUES ('{day}', {}, 'published', '09:00', '13:00', 400, {}, {})",
                7 + dice.roll(2),
                5_000 + dice.roll(20_000),
                1_800 + dice.roll(7_200)
            ),
        )
        .await;
        exec(
            conn,
            &format!(
                "INSERT INTO run_stops (run_id, order_id, seq, eta, outcome, fail_reason, cash_collected_cents)
                 SELECT r.id, o.id, ROW_NUMBER() OVER (ORDER BY o.id), '{day}T08:00:00Z',
                        CASE WHEN o.id % 11 = 0 THEN 'failed' ELSE 'delivered' END,
                        CASE o.id % 33 WHEN 0 THEN 'Nobody home: rang twice' WHEN 11 THEN 'nobody  HOME'
                                       WHEN 22 THEN NULL END,
                        CASE WHEN o.id % 11 = 0 THEN NULL ELSE o.total_cents - o.id % 3 END
                 FROM orders o, runs r WHERE o.fulfil_on = '{day}' AND r.day = '{day}'
                   AND o.fulfilment = 'delivery' AND o.id % 7 <> 0"
            ),
        )
        .await;
    }
}

/// The report of `from..=to` and the kitchen's forecast (with its backtest) made on TODAY.
async fn report(conn: &mut SqliteConnection, from: NaiveDate, to: NaiveDate) -> (Report, Forecast) {
    let r = store::report(
        &mut *conn,
        d(TODAY),
        from,
        to,
        Grain::Week,
        chrono_tz::Europe::Madrid,
        "EUR".into(),
    )
    .await
    .unwrap();
    (r, store::forecast(conn, d(TODAY), 14, 4).await.unwrap())
}

/// The same report with every day read live (the summaries' marks taken off, then put back).
async fn live_report(pool: &SqlitePool, from: NaiveDate, to: NaiveDate) -> (Report, Forecast) {
    let mut tx = pool.begin().await.unwrap();
    exec(&mut tx, "DELETE FROM report_days").await;
    let r = report(&mut tx, from, to).await;
    tx.rollback().await.unwrap();
    r
}

async fn summarised(conn: &mut SqliteConnection) -> Vec<String> {
    sqlx::query_scalar("SELECT day FROM report_days ORDER BY day")
        .fetch_all(&mut *conn)
        .await
        .unwrap()
}

#[sqlx::test(migrations = "./migrations")]
async fn a_report_over_summarised_days_is_the_report_read_live(pool: SqlitePool) {
    let mut conn = pool.acquire().await.unwrap();
    let mut dice = Dice(7);
    bakery(&mut conn, &mut dice).await;
    let (from, to) = (d("2026-10-10"), d("2026-11-30"));
    let live = live_report(&pool, from, to).await;
    let (r, f) = &live;
    assert!(r.totals.orders > 400 && !r.profit.is_empty() && r.windows.len() == 2);
    assert!(r.cash.len() == 2 && r.failed > 10 && r.cancelled > 20 && r.failures.len() == 2);
    assert_eq!(r.cancellations.len(), 2, "{:?}", r.cancellations);
    assert!(f.points > 0 && f.rows.iter().any(|p| p.cells.iter().any(|c| c.booked > 0)));

    // The worker's fill: every day from the first order's to yesterday, a batch at a time.
    assert_eq!(days::fill(&mut conn, d(TODAY), 40).await.unwrap(), 40);
    assert_eq!(days::fill(&mut conn, d(TODAY), 40).await.unwrap(), 15);
    assert_eq!(days::fill(&mut conn, d(TODAY), 40).await.unwrap(), 0);
    let done = summarised(&mut conn).await;
    assert_eq!(
        (done.len(), done[0].as_str(), done[54].as_str()),
        (55, FIRST, "2026-11-24")
    );
    assert_eq!(report(&mut conn, from, to).await, live);

    // Changes to summarised days (all summarised before each), each taking its day(s) back
    // to live reading; the report with the rest summarised is still the live one.
    let changes = [
        ("UPDATE orders SET status = 'cancelled' WHERE id = 11", 1),
        (
            "UPDATE orders SET fulfil_on = date(fulfil_on, '+3 days')
             WHERE id = (SELECT MIN(id) FROM orders WHERE id > 11 AND fulfil_on < '2026-11-20')",
            2,
        ),
        (
            "UPDATE orders SET district_id = 3, lat = 40.45
             WHERE id = (SELECT MIN(id) FROM orders WHERE id > 12 AND fulfilment = 'delivery' AND district_id <> 3)",
            1,
        ),
        ("UPDATE order_items SET quantity = quantity + 5 WHERE order_id = 14", 1),
        (
            "INSERT INTO order_items (order_id, product_id, quantity, unit_price_cents) VALUES (15, 4, 2, 900)",
            1,
        ),
        ("DELETE FROM order_items WHERE order_id = 16", 1),
        (
            "UPDATE orders SET window_from = '16:00', window_to = '18:00'
             WHERE id = (SELECT MIN(id) FROM orders WHERE id > 16 AND fulfilment = 'delivery' AND status <> 'cancelled')",
            1,
        ),
        ("UPDATE runs SET distance_m = distance_m + 9000 WHERE day = '2026-10-20'", 1),
        (
            "DELETE FROM run_stops WHERE order_id = (SELECT MIN(order_id) FROM run_stops s
                 JOIN runs r ON r.id = s.run_id WHERE r.day = '2026-11-02')",
            1,
        ),
        (
            "INSERT INTO run_stops (run_id, order_id, seq, eta)
             SELECT r.id, o.id, 99, o.fulfil_on || 'T08:00:00Z' FROM orders o JOIN runs r ON r.day = o.fulfil_on
             WHERE o.id = (SELECT MIN(id) FROM orders WHERE fulfilment = 'delivery' AND fulfil_on < '2026-11-20'
                             AND id NOT IN (SELECT order_id FROM run_stops))",
            1,
        ),
        ("DELETE FROM runs WHERE day = '2026-11-05'", 1),
        (
            "UPDATE run_stops SET outcome = 'failed', fail_reason = 'Wrong address', cash_collected_cents = NULL
             WHERE order_id = (SELECT MIN(s.order_id) FROM run_stops s JOIN runs r ON r.id = s.run_id
                               WHERE r.day = '2026-10-12' AND s.outcome = 'delivered')",
            1,
        ),
        (
            "UPDATE run_stops SET cash_collected_cents = 1 WHERE order_id = (SELECT MIN(s.order_id)
                 FROM run_stops s JOIN runs r ON r.id = s.run_id WHERE r.day = '2026-10-13')",
            1,
        ),
        ("UPDATE runs SET driver_id = 15 - driver_id WHERE day = '2026-10-14'", 1),
        (
            "INSERT INTO order_events (order_id, kind, from_status, to_status, detail)
             SELECT MIN(id), 'cancelled', 'received', 'cancelled', 'Changed their mind' FROM orders
             WHERE status = 'cancelled' AND fulfil_on < '2026-11-20'",
            1,
        ),
    ];
    for (sql, at_least) in changes {
        days::fill(&mut conn, d(TODAY), 100).await.unwrap();
        assert_eq!(summarised(&mut conn).await.len(), 55);
        let changed = sqlx::query(sql).execute(&mut *conn).await.unwrap();
        assert!(changed.rows_affected() >= 1, "{sql} changed nothing");
        let after = summarised(&mut conn).await.len();
        assert!(
            55 - after >= at_least,
            "{sql}: 55 → {after} days summarised"
        );
        assert_eq!(
            report(&mut conn, from, to).await,
            live_report(&pool, from, to).await,
            "after {sql}"
        );
    }
    // The changed days summarised again read as live; the figures did change.
    days::fill(&mut conn, d(TODAY), 100).await.unwrap();
    let now = live_report(&pool, from, to).await;
    assert_ne!(now, live);
    assert_eq!(report(&mut conn, from, to).await, now);
}

#[sqlx::test(migrations = "./migrations")]
async fn today_and_later_are_never_summarised(pool: SqlitePool) {
    let mut conn = pool.acquire().await.unwrap();
    bakery(&mut conn, &mut Dice(11)).await;
    // A day with nothing in it is summarised as nothing: its mark saves reading it live again.
    days::fill(&mut conn, d("2026-10-03"), 100).await.unwrap();
    assert_eq!(summarised(&mut conn).await, ["2026-10-01", "2026-10-02"]);
    assert_eq!(days::fill(&mut conn, d(FIRST), 100).await.unwrap(), 0);
    days::summarise(&mut conn, d("2026-09-01")).await.unwrap();
    let (f, t) = (d("2026-09-01"), d("2026-10-05"));
    assert_eq!(
        days::gaps(&mut conn, f, t).await.unwrap(),
        [(d("2026-09-02"), d("2026-09-30")), (d("2026-10-03"), t)]
    );
}
