//! The owner's reports on a small hand-checked bakery (every expected number worked out in the
//! comments), the forecast against the naive one on the demo's year, and the HTTP surface:
//! the report, bad periods refused naming the field, the tables as CSV.
mod common;

use chrono::NaiveDate;
use common::*;
use hearth::reports::{store, Grain};
use sqlx::SqlitePool;

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

async fn exec(pool: &SqlitePool, sql: &str) {
    sqlx::query(sql).execute(pool).await.unwrap();
}

/// Two districts, a loaf with a recipe (cost 1.00) and a cake without, three customers, and
/// these orders (Madrid time, UTC+1 in November):
/// - #1 Mon 2 Nov, C1 in A: 3 loaves (12.00) + fee 2.50 − 1.00 discount = 13.50, cash; placed
///   Sat 31 Oct 09:15; on the run, delivered, 13.00 collected.
/// - #2 Mon 2 Nov, C2 in B: a cake 20.00 + fee 3.00 = 23.00; placed Sun 1 Nov 20:30; on the
///   run, failed ("Nobody home").
/// - #3 Fri 6 Nov, C3 pickup: 2 loaves + a cake = 28.00; placed Thu 5 Nov 09:05.
/// - #4 Fri 6 Nov, C1 in A: cancelled ("Customer away"); placed Wed 4 Nov 18:00.
/// - #5 Tue 20 Oct, C1 in A: a loaf + fee = 6.50 (before both periods).
/// - #6 Fri 30 Oct, C2 pickup: a loaf, 4.00 (the previous period).
///
/// The run of 2 Nov: 10 km and 1 hour at 0.30/km and 15.00/h = 18.00, 9.00 per stop.
async fn small_bakery(pool: &SqlitePool) {
    for sql in [
        "UPDATE business_settings SET kitchen_lat = 40.44, kitchen_lng = -3.70, cost_per_km_cents = 30,
             driver_cost_per_hour_cents = 1500 WHERE id = 1",
        "INSERT INTO users (id, email, name, role, password_hash) VALUES (7, 'd@x.test', 'Dora Driver', 'driver', 'x')",
        r#"INSERT INTO districts (id, name, colour, boundary, served_weekdays) VALUES
             (1, 'Alpha', '#111111', '{"type":"Polygon","coordinates":[[[-3.71,40.43],[-3.69,40.43],[-3.69,40.45],[-3.71,40.45],[-3.71,40.43]]]}', 127),
             (2, 'Beta', '#222222', '{"type":"Polygon","coordinates":[[[-3.69,40.43],[-3.67,40.43],[-3.67,40.45],[-3.69,40.45],[-3.69,40.43]]]}', 127)"#,
        "INSERT INTO products (id, sku, name, price_cents, daily_capacity) VALUES
             (1, 'LOAF', 'Loaf', 400, 50), (2, 'CAKE', 'Cake', 2000, 5)",
        "INSERT INTO ingredients (id, name, unit, cost_cents) VALUES (1, 'Loaf kit', 'piece', 100)",
        "INSERT INTO recipes (product_id, batch_yield) VALUES (1, 1)",
        "INSERT INTO recipe_lines (product_id, ingredient_id, quantity) VALUES (1, 1, 1)",
        "INSERT INTO customers (id, name, phone) VALUES (1, 'C One', '+34600000001'), (2, 'C Two', '+34600000002'),
             (3, 'C Three', '+34600000003')",
        "INSERT INTO orders (id, number, tracking_token, customer_id, status, fulfilment, fulfil_on, window_from, window_to,
                             lat, lng, district_id, payment_method, paid, subtotal_cents, delivery_fee_cents, discount_cents,
                             total_cents, created_at) VALUES
             (1, 1, 't1', 1, 'delivered', 'delivery', '2026-11-02', '09:00', '11:00', 40.44, -3.70, 1, 'cod', 1, 1200, 250, 100, 1350, '2026-10-31T08:15:00.000Z'),
             (2, 2, 't2', 2, 'ready', 'delivery', '2026-11-02', '09:00', '11:00', 40.44, -3.68, 2, 'prepaid', 1, 2000, 300, 0, 2300, '2026-11-01T19:30:00.000Z'),
             (3, 3, 't3', 3, 'collected', 'pickup', '2026-11-06', '10:00', '10:30', NULL, NULL, NULL, 'prepaid', 1, 2800, 0, 0, 2800, '2026-11-05T08:05:00.000Z'),
             (4, 4, 't4', 1, 'cancelled', 'delivery', '2026-11-06', '09:00', '11:00', 40.44, -3.70, 1, 'prepaid', 0, 400, 250, 0, 650, '2026-11-04T17:00:00.000Z'),
             (5, 5, 't5', 1, 'delivered', 'delivery', '2026-10-20', '09:00', '11:00', 40.44, -3.70, 1, 'prepaid', 1, 400, 250, 0, 650, '2026-10-19T08:00:00.000Z'),
             (6, 6, 't6', 2, 'collected', 'pickup', '2026-10-30', '10:00', '10:30', NULL, NULL, NULL, 'prepaid', 1, 400, 0, 0, 400, '2026-10-29T08:00:00.000Z')",
        "INSERT INTO order_items (order_id, product_id, quantity, unit_price_cents) VALUES
             (1, 1, 3, 400), (2, 2, 1, 2000), (3, 1, 2, 400), (3, 2, 1, 2000), (4, 1, 1, 400), (5, 1, 1, 400), (6, 1, 1, 400)",
        "INSERT INTO order_events (order_id, kind, from_status, to_status, detail) VALUES
             (4, 'cancelled', 'received', 'cancelled', 'Customer away')",
        "INSERT INTO runs (id, day, driver_id, status, shift_start, shift_end, capacity, distance_m, duration_s)
             VALUES (1, '2026-11-02', 7, 'published', '09:00', '13:00', 40, 10000, 3600)",
        "INSERT INTO run_stops (run_id, order_id, seq, eta, outcome, cash_collected_cents, fail_reason) VALUES
             (1, 1, 1, '2026-11-02T08:30:00Z', 'delivered', 1300, NULL),
             (1, 2, 2, '2026-11-02T09:00:00Z', 'failed', NULL, 'Nobody home')",
    ] {
        exec(pool, sql).await;
    }
}

#[sqlx::test(migrations = "./migrations")]
async fn every_figure_on_a_hand_checked_week(pool: SqlitePool) {
    small_bakery(&pool).await;
    let mut conn = pool.acquire().await.unwrap();
    let r = store::report(
        &mut conn,
        d("2026-11-08"),
        d("2026-11-02"),
        d("2026-11-08"),
        Grain::Day,
        chrono_tz::Europe::Madrid,
        "EUR".into(),
    )
    .await
    .unwrap();

    // #1, #2, #3: 13.50 + 23.00 + 28.00 = 64.50 from 3 customers; average 21.50.
    assert_eq!(
        (
            r.totals.orders,
            r.totals.revenue_cents,
            r.totals.average_cents,
            r.totals.customers
        ),
        (3, 6450, 2150, 3)
    );
    // The week before (26 Oct – 1 Nov): #6 only.
    assert_eq!(
        (r.previous_from.as_str(), r.previous_to.as_str()),
        ("2026-10-26", "2026-11-01")
    );
    assert_eq!((r.previous.orders, r.previous.revenue_cents), (1, 400));
    let series: Vec<(&str, i64, i64)> = r
        .series
        .iter()
        .map(|p| (p.start.as_str(), p.orders, p.revenue_cents))
        .collect();
    assert_eq!(series.len(), 7);
    assert_eq!(series[0], ("2026-11-02", 2, 3650));
    assert_eq!(series[4], ("2026-11-06", 1, 2800));
    assert_eq!(series.iter().map(|s| s.1).sum::<i64>(), 3);

    // Loaves: 3 + 2 = 5 for 20.00, cost 5.00, margin 15.00; cakes: 2 for 40.00, no recipe.
    type Line<'a> = (&'a str, i64, i64, Option<i64>, Option<i64>);
    let p: Vec<Line> = r
        .products
        .iter()
        .map(|p| {
            (
                p.name.as_str(),
                p.units,
                p.revenue_cents,
                p.cogs_cents,
                p.margin_cents,
            )
        })
        .collect();
    assert_eq!(
        p,
        vec![
            ("Cake", 2, 4000, None, None),
            ("Loaf", 5, 2000, Some(500), Some(1500))
        ]
        .into_iter()
        .rev()
        .collect::<Vec<_>>()
    );
    assert_eq!(r.units_without_cost, 2);
    let loaf = r.by_district.iter().find(|x| x.product == "Loaf").unwrap();
    assert_eq!(
        loaf.districts,
        vec![("Alpha".to_string(), 3), ("Pickup".to_string(), 2)]
    );
    let cake = r.by_district.iter().find(|x| x.product == "Cake").unwrap();
    assert_eq!(
        cake.districts,
        vec![("Beta".to_string(), 1), ("Pickup".to_string(), 1)]
    );

    // Arrivals in Madrid time (the cancelled #4 arrived too): Sat 09, Sun 20, Wed 18, Thu 09.
    let h = &r.heat.cells;
    assert_eq!((h[5][9], h[6][20], h[2][18], h[3][9]), (1, 1, 1, 1));
    assert_eq!(h.iter().flatten().sum::<i64>(), 4);
    // Both deliveries wanted 09:00–11:00 on the Monday.
    assert_eq!(r.windows.len(), 1);
    assert_eq!(r.windows[0].window, "09:00–11:00");
    assert_eq!(r.windows[0].by_weekday, vec![2, 0, 0, 0, 0, 0, 0]);

    // C3's first order is in the week; C1 and C2 ordered before.
    let c = &r.customers;
    assert_eq!(
        (
            c.new_customers,
            c.orders_new,
            c.returning_customers,
            c.orders_returning
        ),
        (1, 1, 2, 2)
    );
    assert_eq!(r.cancelled, 1);
    assert_eq!(r.cancellations[0].reason, "Customer away");
    assert_eq!(r.failed, 1);
    assert_eq!(r.failures[0].reason, "Nobody home");
    // Dora's run: 2 stops; #1 was cash (13.50 expected), 13.00 came back.
    assert_eq!(r.cash.len(), 1);
    let cash = &r.cash[0];
    assert_eq!(
        (
            cash.driver.as_str(),
            cash.stops,
            cash.expected_cents,
            cash.collected_cents
        ),
        ("Dora Driver", 2, 1350, 1300)
    );

    // Profit: Alpha 14.50 − 1.00 − 3.00 goods − 9.00 run = 1.50;
    //         Beta 23.00 − 9.00 run − 3.00 failed fee = 11.00; pickups 28.00 − 2.00 goods = 26.00.
    let rows: Vec<(&str, i64, i64)> = r
        .profit
        .iter()
        .map(|p| (p.name.as_str(), p.orders, p.profit_cents))
        .collect();
    assert_eq!(
        rows,
        vec![("Beta", 1, 1100), ("Alpha", 1, 150), ("Pickup", 1, 2600)]
    );
    let t = &r.profit_total;
    assert_eq!(t.profit_cents, 3850);
    assert_eq!(
        (
            t.gross_cents,
            t.discount_cents,
            t.cogs_cents,
            t.delivery_cents,
            t.failed_fees_cents
        ),
        (6550, 100, 500, 1800, 300)
    );
    assert_eq!(t.gross_cents - t.discount_cents, r.totals.revenue_cents);
    assert_eq!(t.estimated_stops, 0);
    assert_eq!(
        r.profit.iter().map(|p| p.profit_cents).sum::<i64>(),
        t.profit_cents,
        "the districts add up to the total"
    );
    let days: Vec<(&str, usize, i64)> = r
        .district_days
        .iter()
        .map(|x| (x.district.as_str(), x.weekday, x.profit_cents))
        .collect();
    assert_eq!(days, vec![("Beta", 0, 1100), ("Alpha", 0, 150)]);
}

#[sqlx::test(migrations = "./migrations")]
async fn a_delivery_on_no_run_is_estimated_from_its_distance(pool: SqlitePool) {
    small_bakery(&pool).await;
    // #7: Tue 3 Nov in Alpha, 2.00 km east of the kitchen... not on any run.
    exec(
        &pool,
        "INSERT INTO orders (id, number, tracking_token, customer_id, status, fulfilment, fulfil_on, lat, lng, district_id,
                             payment_method, paid, subtotal_cents, delivery_fee_cents, total_cents, created_at)
         VALUES (7, 7, 't7', 3, 'delivered', 'delivery', '2026-11-03', 40.44, -3.6765, 1, 'prepaid', 1, 400, 250, 650,
                 '2026-11-02T08:00:00.000Z')",
    )
    .await;
    exec(&pool, "INSERT INTO order_items (order_id, product_id, quantity, unit_price_cents) VALUES (7, 1, 1, 400)").await;
    let mut conn = pool.acquire().await.unwrap();
    let r = store::report(
        &mut conn,
        d("2026-11-08"),
        d("2026-11-02"),
        d("2026-11-08"),
        Grain::Day,
        chrono_tz::Europe::Madrid,
        "EUR".into(),
    )
    .await
    .unwrap();
    let alpha = r.profit.iter().find(|p| p.name == "Alpha").unwrap();
    assert_eq!(alpha.estimated_stops, 1);
    // ≈ 1.99 km away: 2 × 1.99 × 1.35 + 1.5 = 6.87 km → 2.06; 6.87/22 h + 4 min → 5.68;
    // the run's 9.00 for #1 on top.
    let estimated = alpha.delivery_cents - 900;
    assert!((770..=776).contains(&estimated), "{estimated}");
    assert_eq!(
        r.profit.iter().map(|p| p.profit_cents).sum::<i64>(),
        r.profit_total.profit_cents
    );
}

#[sqlx::test(migrations = "./migrations")]
async fn the_forecast_beats_last_week_on_the_demo_year(pool: SqlitePool) {
    let config = hearth::server::config::Config::from_env().unwrap();
    hearth::server::demo::load(&pool, &config, false)
        .await
        .unwrap();
    let mut conn = pool.acquire().await.unwrap();
    let f = store::forecast(&mut conn, config.today(), 14, 8)
        .await
        .unwrap();
    assert_eq!(f.days.len(), 14);
    assert_eq!(f.rows.len(), 15, "every product on the menu");
    assert!(f.points > 300, "{} product-days compared", f.points);
    assert!(
        f.mape < f.naive_mape && f.wape < f.naive_wape,
        "forecast {:.3}/{:.3} vs naive {:.3}/{:.3}",
        f.mape,
        f.wape,
        f.naive_mape,
        f.naive_wape
    );
    assert!(f.bias.abs() < 0.15, "bias {:.3}", f.bias);
    // Tomorrow's booked units are what the orders hold, and the expectation is at least that.
    let tomorrow = (config.today() + chrono::Duration::days(1)).to_string();
    let booked: i64 = sqlx::query_scalar(
        "SELECT COALESCE(SUM(i.quantity), 0) FROM order_items i JOIN orders o ON o.id = i.order_id
         WHERE o.fulfil_on = ? AND o.status <> 'cancelled'",
    )
    .bind(&tomorrow)
    .fetch_one(&pool)
    .await
    .unwrap();
    let cells: Vec<_> = f
        .rows
        .iter()
        .flat_map(|r| r.cells.iter().filter(|c| c.day == tomorrow))
        .collect();
    assert_eq!(cells.iter().map(|c| c.booked).sum::<i64>(), booked);
    assert!(cells.iter().all(|c| c.expected >= c.booked as f64 - 1e-9));
}

#[tokio::test]
async fn the_report_over_http_refuses_bad_periods_and_exports_csv() {
    let s = spawn().await;
    let owner = s.signed_in("owner@hearth.demo").await;
    let res = s.call(&owner, "/api/get_report", "from=&to=&grain=").await;
    assert_eq!(res.status(), 200);
    let r: serde_json::Value = res.json().await.unwrap();
    assert!(r["totals"]["orders"].as_i64().unwrap() > 0, "{r}");
    assert_eq!(r["series"].as_array().unwrap().len(), 30);

    for (body, field) in [
        ("from=2026-13-01&to=&grain=", "from"),
        ("from=2026-11-10&to=2026-11-01&grain=", "from"),
        ("from=2020-01-01&to=2026-11-01&grain=", "from"),
        ("from=&to=tomorrow&grain=", "to"),
        ("from=&to=&grain=hourly", "grain"),
    ] {
        let res = s.call(&owner, "/api/get_report", body).await;
        assert_eq!(res.status(), 422, "{body}");
        let text = res.text().await.unwrap();
        assert!(text.contains(field), "{body}: {text}");
    }

    let res = s
        .call(&owner, "/api/report_csv", "from=&to=&grain=&table=profit")
        .await;
    assert_eq!(res.status(), 200);
    let c: serde_json::Value = res.json().await.unwrap();
    let csv = c["csv"].as_str().unwrap();
    assert!(csv.starts_with("\u{feff}district,orders,gross"), "{csv}");
    assert!(csv.lines().last().unwrap().starts_with("Total,"), "{csv}");
    let res = s
        .call(&owner, "/api/report_csv", "from=&to=&grain=&table=forecast")
        .await;
    assert_eq!(res.status(), 200);
    let res = s
        .call(
            &owner,
            "/api/report_csv",
            "from=&to=&grain=&table=orders;drop",
        )
        .await;
    assert_eq!(res.status(), 422);
    assert!(res.text().await.unwrap().contains("table"));
}
