//! Capacity and calendar: stops booked per district-day, units booked per product-day, and
//! the next dates that would work. Called inside the order transaction so that the check and
//! the insert see the same data (SQLite has one writer; `BEGIN IMMEDIATE` serialises them).
use chrono::{Datelike, Duration, NaiveDate, Weekday};
use sqlx::SqliteConnection;

use super::validate::ValidItem;
use crate::districts::model::{serves, District};
use crate::error::AppError;

/// Days the bakery opens its counter for pickups, and the hours.
pub const PICKUP_DAYS: [Weekday; 6] = [
    Weekday::Mon,
    Weekday::Tue,
    Weekday::Wed,
    Weekday::Thu,
    Weekday::Fri,
    Weekday::Sat,
];
pub const PICKUP_OPENS: &str = "08:00";
pub const PICKUP_CLOSES: &str = "14:00";
/// How far ahead the calendar and "next possible dates" look.
pub const HORIZON_DAYS: i64 = 14;

/// Delivery stops booked for a district on a day (cancelled orders give their stop back).
pub async fn stops_booked(
    conn: &mut SqliteConnection,
    district_id: i64,
    day: &str,
) -> Result<i64, AppError> {
    Ok(sqlx::query_scalar!(
        r#"SELECT COUNT(*) AS "n!: i64" FROM orders
           WHERE district_id = ? AND fulfil_on = ? AND fulfilment = 'delivery' AND status <> 'cancelled'"#,
        district_id,
        day
    )
    .fetch_one(conn)
    .await?)
}

/// Units of a product booked on a day.
pub async fn units_booked(
    conn: &mut SqliteConnection,
    product_id: i64,
    day: &str,
) -> Result<i64, AppError> {
    Ok(sqlx::query_scalar!(
        r#"SELECT COALESCE(SUM(i.quantity), 0) AS "n!: i64" FROM order_items i JOIN orders o ON o.id = i.order_id
           WHERE i.product_id = ? AND o.fulfil_on = ? AND o.status <> 'cancelled'"#,
        product_id,
        day
    )
    .fetch_one(conn)
    .await?)
}

/// A product's daily capacity.
pub async fn product_capacity(
    conn: &mut SqliteConnection,
    product_id: i64,
) -> Result<i64, AppError> {
    Ok(sqlx::query_scalar!(
        "SELECT daily_capacity FROM products WHERE id = ?",
        product_id
    )
    .fetch_one(conn)
    .await?)
}

/// Items whose product has no room left on `day`: (index in the order, units left).
pub async fn short_items(
    conn: &mut SqliteConnection,
    items: &[ValidItem],
    day: &str,
) -> Result<Vec<(usize, i64)>, AppError> {
    let mut short = Vec::new();
    for (i, item) in items.iter().enumerate() {
        let cap = product_capacity(conn, item.product_id).await?;
        let left = cap - units_booked(conn, item.product_id, day).await?;
        if item.quantity > left {
            short.push((i, left.max(0)));
        }
    }
    Ok(short)
}

/// Whether `district` can take one more stop with these items on `day`.
pub async fn delivery_fits(
    conn: &mut SqliteConnection,
    district: &District,
    items: &[ValidItem],
    day: NaiveDate,
) -> Result<bool, AppError> {
    if !serves(district.served_weekdays, day.weekday()) {
        return Ok(false);
    }
    let key = day.to_string();
    Ok(
        stops_booked(conn, district.id, &key).await? < district.capacity_per_day
            && short_items(conn, items, &key).await?.is_empty(),
    )
}

/// Up to three dates from `from` (within the horizon) on which the order would fit.
pub async fn next_dates(
    conn: &mut SqliteConnection,
    district: Option<&District>,
    items: &[ValidItem],
    from: NaiveDate,
) -> Result<Vec<String>, AppError> {
    let mut out = Vec::new();
    for offset in 0..HORIZON_DAYS {
        let day = from + Duration::days(offset);
        let fits = match district {
            Some(d) => delivery_fits(conn, d, items, day).await?,
            None => {
                PICKUP_DAYS.contains(&day.weekday())
                    && short_items(conn, items, &day.to_string()).await?.is_empty()
            }
        };
        if fits {
            out.push(day.to_string());
            if out.len() == 3 {
                break;
            }
        }
    }
    Ok(out)
}
