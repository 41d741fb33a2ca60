//! The facts of a stretch of days read live from orders, items and runs, a row per day: what
//! the report reads for days with no good summary, and what a summary stores.
use chrono::NaiveDate;
use sqlx::SqliteConnection;

use super::super::day;
use super::{BookingDay, DistrictDay, ItemDay, RunDay, WindowDay};
use crate::error::AppError;

pub(super) async fn live_items(
    conn: &mut SqliteConnection,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Vec<ItemDay>, AppError> {
    let (f, t) = (from.to_string(), to.to_string());
    Ok(sqlx::query!(
        r#"SELECT o.fulfil_on, o.district_id, i.product_id, SUM(i.quantity) AS "units!: i64",
                  SUM(i.quantity * i.unit_price_cents) AS "cents!: i64"
           FROM orders o INDEXED BY orders_for_reports
           JOIN order_items i ON i.order_id = o.id
           WHERE o.fulfil_on BETWEEN ? AND ? AND o.status <> 'cancelled'
           GROUP BY o.fulfil_on, o.district_id, i.product_id"#,
        f,
        t
    )
    .fetch_all(&mut *conn)
    .await?
    .into_iter()
    .filter_map(|r| {
        Some(ItemDay {
            day: day(&r.fulfil_on)?,
            district: r.district_id,
            product: r.product_id,
            units: r.units,
            cents: r.cents,
        })
    })
    .collect())
}

pub(super) async fn live_windows(
    conn: &mut SqliteConnection,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Vec<WindowDay>, AppError> {
    let (f, t) = (from.to_string(), to.to_string());
    Ok(sqlx::query!(
        r#"SELECT fulfil_on, COALESCE(window_from, '') || '–' || COALESCE(window_to, '') AS "window!: String",
                  COUNT(*) AS "n!: i64"
           FROM orders INDEXED BY orders_for_reports
           WHERE fulfil_on BETWEEN ? AND ? AND status <> 'cancelled' AND fulfilment = 'delivery'
           GROUP BY 1, 2"#,
        f,
        t
    )
    .fetch_all(&mut *conn)
    .await?
    .into_iter()
    .filter_map(|r| {
        Some(WindowDay {
            day: day(&r.fulfil_on)?,
            window: r.window,
            deliveries: r.n,
        })
    })
    .collect())
}

pub(super) async fn live_districts(
    conn: &mut SqliteConnection,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Vec<DistrictDay>, AppError> {
    let (f, t) = (from.to_string(), to.to_string());
    Ok(sqlx::query!(
        r#"SELECT o.fulfil_on, o.district_id, COUNT(*) AS "orders!: i64",
                  SUM(o.subtotal_cents + o.delivery_fee_cents) AS "gross!: i64",
                  SUM(o.discount_cents) AS "discount!: i64",
                  COUNT(u.id) AS "unrun!: i64", AVG(u.lat) AS "lat: f64", AVG(u.lng) AS "lng: f64"
           FROM orders o INDEXED BY orders_for_reports
                LEFT JOIN orders u ON u.id = o.id AND o.fulfilment = 'delivery'
                     AND NOT EXISTS (SELECT 1 FROM run_stops s WHERE s.order_id = o.id)
           WHERE o.fulfil_on BETWEEN ? AND ? AND o.status <> 'cancelled'
           GROUP BY o.fulfil_on, o.district_id"#,
        f,
        t
    )
    .fetch_all(&mut *conn)
    .await?
    .into_iter()
    .filter_map(|r| {
        Some(DistrictDay {
            day: day(&r.fulfil_on)?,
            district: r.district_id,
            orders: r.orders,
            gross_cents: r.gross,
            discount_cents: r.discount,
            unrun: r.unrun,
            unrun_at: r.lat.zip(r.lng),
        })
    })
    .collect())
}

/// Each run's kilometres and hours shared evenly among its stops (counted once a run), per run
/// day and the district of the stops' orders (those not cancelled).
pub(super) async fn live_runs(
    conn: &mut SqliteConnection,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Vec<RunDay>, AppError> {
    let (f, t) = (from.to_string(), to.to_string());
    Ok(sqlx::query!(
        r#"SELECT r.day, o.district_id,
                  SUM(r.distance_m / 1000.0 / c.stops) AS "km!: f64",
                  SUM(r.duration_s / 3600.0 / c.stops) AS "hours!: f64"
           FROM runs r
                JOIN (SELECT x.run_id, COUNT(*) AS stops FROM run_stops x JOIN runs y ON y.id = x.run_id
                      WHERE y.day BETWEEN ?1 AND ?2 GROUP BY x.run_id) c ON c.run_id = r.id
                JOIN run_stops s ON s.run_id = r.id JOIN orders o ON o.id = s.order_id
           WHERE r.day BETWEEN ?1 AND ?2 AND o.status <> 'cancelled'
           GROUP BY r.day, o.district_id"#,
        f,
        t
    )
    .fetch_all(&mut *conn)
    .await?
    .into_iter()
    .filter_map(|r| {
        Some(RunDay {
            day: day(&r.day)?,
            district: r.district_id,
            km: r.km,
            hours: r.hours,
        })
    })
    .collect())
}

/// Cancelled orders left out: they were not baked.
pub(super) async fn live_bookings(
    conn: &mut SqliteConnection,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Vec<BookingDay>, AppError> {
    let (f, t) = (from.to_string(), to.to_string());
    Ok(sqlx::query!(
        r#"SELECT o.fulfil_on, i.product_id,
                  CAST(julianday(o.fulfil_on) - julianday(substr(o.created_at, 1, 10)) AS INTEGER) AS "lead!: i64",
                  SUM(i.quantity) AS "units!: i64"
           FROM orders o INDEXED BY orders_for_reports
           JOIN order_items i ON i.order_id = o.id
           WHERE o.fulfil_on BETWEEN ? AND ? AND o.status <> 'cancelled'
           GROUP BY o.fulfil_on, i.product_id, 3"#,
        f,
        t
    )
    .fetch_all(&mut *conn)
    .await?
    .into_iter()
    .filter_map(|r| {
        Some(BookingDay {
            day: day(&r.fulfil_on)?,
            product: r.product_id,
            lead: r.lead,
            units: r.units,
        })
    })
    .collect())
}
