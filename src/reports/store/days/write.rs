//! Writes the day summaries: a past day's facts read live and stored with the day's mark, in one
//! write transaction, so a change to that day (which takes the mark off, by trigger) either
//! came before and is in the summary or comes after and sends the day back to live reading.
use chrono::NaiveDate;
use sqlx::SqliteConnection;

use super::live::{
    live_arrivals, live_bookings, live_cancellations, live_cash, live_districts, live_failures,
    live_items, live_runs, live_windows,
};
use crate::error::AppError;

/// Summarises `day` from its orders, items and runs as they are now (the caller's write
/// transaction makes it one moment).
pub async fn summarise(conn: &mut SqliteConnection, day: NaiveDate) -> Result<(), AppError> {
    let d = day.to_string();
    for sql in [
        "DELETE FROM report_day_items WHERE day = ?",
        "DELETE FROM report_day_windows WHERE day = ?",
        "DELETE FROM report_day_districts WHERE day = ?",
        "DELETE FROM report_day_runs WHERE day = ?",
        "DELETE FROM report_day_bookings WHERE day = ?",
        "DELETE FROM report_day_arrivals WHERE day = ?",
        "DELETE FROM report_day_cancellations WHERE day = ?",
        "DELETE FROM report_day_failures WHERE day = ?",
        "DELETE FROM report_day_cash WHERE day = ?",
    ] {
        sqlx::query(sql).bind(&d).execute(&mut *conn).await?;
    }
    store_item_facts(conn, day).await?;
    store_order_facts(conn, day).await?;
    store_run_facts(conn, day).await?;
    sqlx::query!(
        "INSERT INTO report_days (day) VALUES (?)
         ON CONFLICT (day) DO UPDATE SET summarised_at = excluded.summarised_at",
        d
    )
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// A day's units and takings per district and product, and its units by booking lead.
async fn store_item_facts(conn: &mut SqliteConnection, day: NaiveDate) -> Result<(), AppError> {
    let d = day.to_string();
    for r in live_items(conn, day, day).await? {
        sqlx::query!(
            "INSERT INTO report_day_items (day, district_id, product_id, units, cents) VALUES (?, ?, ?, ?, ?)",
            d,
            r.district,
            r.product,
            r.units,
            r.cents
        )
        .execute(&mut *conn)
        .await?;
    }
    for r in live_bookings(conn, day, day).await? {
        sqlx::query!(
            "INSERT INTO report_day_bookings (day, product_id, lead, units) VALUES (?, ?, ?, ?)",
            d,
            r.product,
            r.lead,
            r.units
        )
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

/// A day's orders: per window, per district (money, deliveries on no run), by the hour they
/// arrived, and the cancelled ones by reason.
async fn store_order_facts(conn: &mut SqliteConnection, day: NaiveDate) -> Result<(), AppError> {
    let d = day.to_string();
    for r in live_windows(conn, day, day).await? {
        sqlx::query!(
            "INSERT INTO report_day_windows (day, slot, deliveries) VALUES (?, ?, ?)",
            d,
            r.window,
            r.deliveries
        )
        .execute(&mut *conn)
        .await?;
    }
    for r in live_districts(conn, day, day).await? {
        sqlx::query!(
            "INSERT INTO report_day_districts
               (day, district_id, orders, gross_cents, discount_cents, total_cents, unrun, unrun_lat, unrun_lng)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            d,
            r.district,
            r.orders,
            r.gross_cents,
            r.discount_cents,
            r.total_cents,
            r.unrun,
            r.unrun_lat,
            r.unrun_lng
        )
        .execute(&mut *conn)
        .await?;
    }
    for r in live_arrivals(conn, day, day).await? {
        sqlx::query!(
            "INSERT INTO report_day_arrivals (day, hour, orders) VALUES (?, ?, ?)",
            d,
            r.hour,
            r.orders
        )
        .execute(&mut *conn)
        .await?;
    }
    for r in live_cancellations(conn, day, day).await? {
        sqlx::query!(
            "INSERT INTO report_day_cancellations (day, reason, orders) VALUES (?, ?, ?)",
            d,
            r.reason,
            r.orders
        )
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

/// A run day's shares of km and hours per district, its failed stops, its cash per driver.
async fn store_run_facts(conn: &mut SqliteConnection, day: NaiveDate) -> Result<(), AppError> {
    let d = day.to_string();
    for r in live_runs(conn, day, day).await? {
        sqlx::query!(
            "INSERT INTO report_day_runs (day, district_id, km, hours) VALUES (?, ?, ?, ?)",
            d,
            r.district,
            r.km,
            r.hours
        )
        .execute(&mut *conn)
        .await?;
    }
    for r in live_failures(conn, day, day).await? {
        sqlx::query!(
            "INSERT INTO report_day_failures (day, district_id, reason, stops, fee_cents) VALUES (?, ?, ?, ?, ?)",
            d,
            r.district,
            r.reason,
            r.stops,
            r.fee_cents
        )
        .execute(&mut *conn)
        .await?;
    }
    for r in live_cash(conn, day, day).await? {
        sqlx::query!(
            "INSERT INTO report_day_cash (day, driver_id, stops, expected_cents, collected_cents)
             VALUES (?, ?, ?, ?, ?)",
            d,
            r.driver_id,
            r.stops,
            r.expected_cents,
            r.collected_cents
        )
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

/// Summarises up to `limit` of the days before `today` that have none (from the first day any
/// order or run has), oldest first; returns how many it did.
pub async fn fill(
    conn: &mut SqliteConnection,
    today: NaiveDate,
    limit: usize,
) -> Result<usize, AppError> {
    let first = sqlx::query_scalar!(
        r#"SELECT MIN(d) AS "d: String" FROM (SELECT MIN(fulfil_on) AS d FROM orders
                                              UNION ALL SELECT MIN(day) FROM runs)"#
    )
    .fetch_one(&mut *conn)
    .await?;
    let Some(first) = first.as_deref().and_then(super::day) else {
        return Ok(0);
    };
    let Some(yesterday) = today.pred_opt() else {
        return Ok(0);
    };
    let mut done = 0;
    'gaps: for (from, to) in super::gaps(conn, first, yesterday).await? {
        for day in from.iter_days().take_while(|d| *d <= to) {
            if done == limit {
                break 'gaps;
            }
            summarise(conn, day).await?;
            done += 1;
        }
    }
    Ok(done)
}

/// Days summarised in one write transaction, so others never wait long for the write lock (a
/// week of 1,250 orders a day: ~110 ms).
const BATCH: usize = 7;

/// The first pass waits this long after start: a server that just started serves its first
/// requests (and the tests' short-lived servers never spend a core on it); until then a report
/// reads the days not summarised live, as it always may.
const FIRST_PASS_AFTER: std::time::Duration = std::time::Duration::from_secs(300);

/// Runs for as long as the server does: every hour (the first time `FIRST_PASS_AFTER` after
/// start), the days before today that have no good summary (the first time: the history), a
/// week of days per transaction.
pub fn spawn_worker(state: crate::server::state::AppState) {
    tokio::spawn(async move {
        tokio::time::sleep(FIRST_PASS_AFTER).await;
        loop {
            loop {
                let filled = async {
                    let mut tx = crate::server::db::begin_write(&state.pool).await?;
                    let n = fill(&mut tx, state.config.today(), BATCH).await?;
                    tx.commit().await?;
                    Ok::<usize, AppError>(n)
                }
                .await;
                match filled {
                    Ok(n) if n == BATCH => continue,
                    Ok(_) => break,
                    Err(e) => {
                        tracing::error!(error = %e, "report day summaries");
                        break;
                    }
                }
            }
            tokio::time::sleep(std::time::Duration::from_secs(3600)).await;
        }
    });
}
