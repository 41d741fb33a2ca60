//! The facts of a stretch of days read live from orders, items and runs, a row per day: what
//! the report reads for days with no good summary, and what a summary stores.
use chrono::NaiveDate;

use super::{
    ArrivalDay, BookingDay, CancelDay, CashDay, DistrictDay, FailureDay, ItemDay, RunDay, WindowDay,
};

readers! {
    live_items -> ItemDay: r#"SELECT o.fulfil_on AS "day!: NaiveDate", o.district_id AS district, i.product_id AS product,
                  SUM(i.quantity) AS "units!: i64", SUM(i.quantity * i.unit_price_cents) AS "cents!: i64"
           FROM orders o INDEXED BY orders_for_reports
           JOIN order_items i ON i.order_id = o.id
           WHERE o.fulfil_on BETWEEN ? AND ? AND o.status <> 'cancelled'
           GROUP BY o.fulfil_on, o.district_id, i.product_id"#;
    live_windows -> WindowDay: r#"SELECT fulfil_on AS "day!: NaiveDate",
                  COALESCE(window_from, '') || '–' || COALESCE(window_to, '') AS "window!: String",
                  COUNT(*) AS "deliveries!: i64"
           FROM orders INDEXED BY orders_for_reports
           WHERE fulfil_on BETWEEN ? AND ? AND status <> 'cancelled' AND fulfilment = 'delivery'
           GROUP BY 1, 2"#;
    live_districts -> DistrictDay: r#"SELECT o.fulfil_on AS "day!: NaiveDate", o.district_id AS district, COUNT(*) AS "orders!: i64",
                  SUM(o.subtotal_cents + o.delivery_fee_cents) AS "gross_cents!: i64",
                  SUM(o.discount_cents) AS "discount_cents!: i64", SUM(o.total_cents) AS "total_cents!: i64",
                  COUNT(u.id) AS "unrun!: i64", AVG(u.lat) AS "unrun_lat: f64", AVG(u.lng) AS "unrun_lng: f64"
           FROM orders o INDEXED BY orders_for_reports
                LEFT JOIN orders u ON u.id = o.id AND o.fulfilment = 'delivery'
                     AND NOT EXISTS (SELECT 1 FROM run_stops s WHERE s.order_id = o.id)
           WHERE o.fulfil_on BETWEEN ? AND ? AND o.status <> 'cancelled'
           GROUP BY o.fulfil_on, o.district_id"#;
    /// Each run's kilometres and hours shared evenly among its stops (counted once a run), per run
    /// day and the district of the stops' orders (those not cancelled).
    live_runs -> RunDay: r#"SELECT r.day AS "day!: NaiveDate", o.district_id AS district,
                  SUM(r.distance_m / 1000.0 / c.stops) AS "km!: f64",
                  SUM(r.duration_s / 3600.0 / c.stops) AS "hours!: f64"
           FROM runs r
                JOIN (SELECT x.run_id, COUNT(*) AS stops FROM run_stops x JOIN runs y ON y.id = x.run_id
                      WHERE y.day BETWEEN ?1 AND ?2 GROUP BY x.run_id) c ON c.run_id = r.id
                JOIN run_stops s ON s.run_id = r.id JOIN orders o ON o.id = s.order_id
           WHERE r.day BETWEEN ?1 AND ?2 AND o.status <> 'cancelled'
           GROUP BY r.day, o.district_id"#;
    /// Cancelled orders left out: they were not baked.
    live_bookings -> BookingDay: r#"SELECT o.fulfil_on AS "day!: NaiveDate", i.product_id AS product,
                  CAST(julianday(o.fulfil_on) - julianday(substr(o.created_at, 1, 10)) AS INTEGER) AS "lead!: i64",
                  SUM(i.quantity) AS "units!: i64"
           FROM orders o INDEXED BY orders_for_reports
           JOIN order_items i ON i.order_id = o.id
           WHERE o.fulfil_on BETWEEN ? AND ? AND o.status <> 'cancelled'
           GROUP BY o.fulfil_on, i.product_id, 3"#;
    live_arrivals -> ArrivalDay: r#"SELECT fulfil_on AS "day!: NaiveDate", substr(created_at, 1, 13) AS "hour!: String",
                  COUNT(*) AS "orders!: i64"
           FROM orders INDEXED BY orders_for_reports
           WHERE fulfil_on BETWEEN ? AND ?
           GROUP BY 1, 2"#;
    /// A cancelled order's reason is the detail of its last cancellation in its history.
    live_cancellations -> CancelDay: r#"SELECT o.fulfil_on AS "day!: NaiveDate",
                  COALESCE((SELECT e.detail FROM order_events e WHERE e.order_id = o.id AND e.kind = 'cancelled'
                            ORDER BY e.id DESC LIMIT 1), '') AS "reason!: String",
                  COUNT(*) AS "orders!: i64"
           FROM orders o INDEXED BY orders_for_reports
           WHERE o.fulfil_on BETWEEN ? AND ? AND o.status = 'cancelled'
           GROUP BY 1, 2"#;
    /// Stops whose last report is "failed", by the run's day.
    live_failures -> FailureDay: r#"SELECT r.day AS "day!: NaiveDate", o.district_id AS district,
                  COALESCE(s.fail_reason, '') AS "reason!: String", COUNT(*) AS "stops!: i64",
                  SUM(o.delivery_fee_cents) AS "fee_cents!: i64"
           FROM runs r JOIN run_stops s ON s.run_id = r.id JOIN orders o ON o.id = s.order_id
           WHERE r.day BETWEEN ? AND ? AND s.outcome = 'failed'
           GROUP BY 1, 2, 3"#;
    /// What was due at each delivered stop (kept on the stop) and what was collected.
    live_cash -> CashDay: r#"SELECT r.day AS "day!: NaiveDate", r.driver_id, COUNT(*) AS "stops!: i64",
                  SUM(CASE WHEN s.outcome = 'delivered' THEN s.cash_due_cents ELSE 0 END) AS "expected_cents!: i64",
                  SUM(COALESCE(s.cash_collected_cents, 0)) AS "collected_cents!: i64"
           FROM runs r JOIN run_stops s INDEXED BY run_stops_cash ON s.run_id = r.id
           WHERE r.day BETWEEN ? AND ?
           GROUP BY r.day, r.driver_id"#;
}
