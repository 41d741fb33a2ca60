//! The stored summaries of the days marked good in `from..=to`.
use chrono::NaiveDate;
use sqlx::SqliteConnection;

use super::super::day;
use super::{BookingDay, DistrictDay, ItemDay, RunDay, WindowDay};
use crate::error::AppError;

pub(super) async fn summarised_items(
    conn: &mut SqliteConnection,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Vec<ItemDay>, AppError> {
    let (f, t) = (from.to_string(), to.to_string());
    Ok(sqlx::query!(
        r#"SELECT x.day, x.district_id, x.product_id, x.units, x.cents
           FROM report_days d JOIN report_day_items x INDEXED BY report_day_items_by_day ON x.day = d.day
           WHERE d.day BETWEEN ? AND ?"#,
        f,
        t
    )
    .fetch_all(&mut *conn)
    .await?
    .into_iter()
    .filter_map(|r| {
        Some(ItemDay {
            day: day(&r.day)?,
            district: r.district_id,
            product: r.product_id,
            units: r.units,
            cents: r.cents,
        })
    })
    .collect())
}

pub(super) async fn summarised_windows(
    conn: &mut SqliteConnection,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Vec<WindowDay>, AppError> {
    let (f, t) = (from.to_string(), to.to_string());
    Ok(sqlx::query!(
        r#"SELECT x.day, x.slot, x.deliveries
           FROM report_days d JOIN report_day_windows x INDEXED BY report_day_windows_by_day ON x.day = d.day
           WHERE d.day BETWEEN ? AND ?"#,
        f,
        t
    )
    .fetch_all(&mut *conn)
    .await?
    .into_iter()
    .filter_map(|r| {
        Some(WindowDay {
            day: day(&r.day)?,
            window: r.slot,
            deliveries: r.deliveries,
        })
    })
    .collect())
}

pub(super) async fn summarised_districts(
    conn: &mut SqliteConnection,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Vec<DistrictDay>, AppError> {
    let (f, t) = (from.to_string(), to.to_string());
    Ok(sqlx::query!(
        r#"SELECT x.day, x.district_id, x.orders, x.gross_cents, x.discount_cents, x.unrun,
                  x.unrun_lat, x.unrun_lng
           FROM report_days d JOIN report_day_districts x ON x.day = d.day
           WHERE d.day BETWEEN ? AND ?"#,
        f,
        t
    )
    .fetch_all(&mut *conn)
    .await?
    .into_iter()
    .filter_map(|r| {
        Some(DistrictDay {
            day: day(&r.day)?,
            district: r.district_id,
            orders: r.orders,
            gross_cents: r.gross_cents,
            discount_cents: r.discount_cents,
            unrun: r.unrun,
            unrun_at: r.unrun_lat.zip(r.unrun_lng),
        })
    })
    .collect())
}

pub(super) async fn summarised_runs(
    conn: &mut SqliteConnection,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Vec<RunDay>, AppError> {
    let (f, t) = (from.to_string(), to.to_string());
    Ok(sqlx::query!(
        r#"SELECT x.day, x.district_id, x.km, x.hours
           FROM report_days d JOIN report_day_runs x ON x.day = d.day
           WHERE d.day BETWEEN ? AND ?"#,
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

pub(super) async fn summarised_bookings(
    conn: &mut SqliteConnection,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Vec<BookingDay>, AppError> {
    let (f, t) = (from.to_string(), to.to_string());
    Ok(sqlx::query!(
        r#"SELECT x.day, x.product_id, x.lead, x.units
           FROM report_days d JOIN report_day_bookings x INDEXED BY report_day_bookings_by_day ON x.day = d.day
           WHERE d.day BETWEEN ? AND ?"#,
        f,
        t
    )
    .fetch_all(&mut *conn)
    .await?
    .into_iter()
    .filter_map(|r| {
        Some(BookingDay {
            day: day(&r.day)?,
            product: r.product_id,
            lead: r.lead,
            units: r.units,
        })
    })
    .collect())
}
