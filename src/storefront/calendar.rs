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
/// Read from `capacity_used`, which triggers keep in step with every write to orders.
pub async fn stops_booked(
    conn: &mut SqliteConnection,
    district_id: i64,
    day: &str,
) -> Result<i64, AppError> {
    Ok(sqlx::query_scalar!(
        r#"SELECT COALESCE((SELECT used FROM capacity_used WHERE kind = 'stops' AND ref_id = ? AND day = ?), 0) AS "n!: i64""#,
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
        r#"SELECT COALESCE((SELECT used FROM capacity_used WHERE kind = 'units' AND ref_id = ? AND day = ?), 0) AS "n!: i64""#,
        product_id,
        day
    )
    .fetch_one(conn)
    .await?)
}

/// Everything booked from `from` to `to` (inclusive), keyed by (kind, id, day), in one query:
/// for views of the whole calendar, where a lookup per cell would be hundreds of queries.
pub async fn booked_between(
    conn: &mut SqliteConnection,
    from: &str,
    to: &str,
) -> Result<std::collections::HashMap<(String, i64, String), i64>, AppError> {
    let rows = sqlx::query!(
        "SELECT kind, ref_id, day, used FROM capacity_used WHERE day BETWEEN ? AND ?",
        from,
        to
    )
    .fetch_all(conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| ((r.kind, r.ref_id, r.day), r.used))
        .collect())
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

#[cfg(test)]
mod tests {
    use sqlx::SqlitePool;

    /// The counters equal a recount from the orders themselves.
    async fn counters_match(pool: &SqlitePool) {
        let drift: i64 = sqlx::query_scalar(
            "WITH truth AS (
                 SELECT 'stops' AS kind, district_id AS ref_id, fulfil_on AS day, COUNT(*) AS used FROM orders
                 WHERE fulfilment = 'delivery' AND status <> 'cancelled' AND district_id IS NOT NULL
                 GROUP BY district_id, fulfil_on
                 UNION ALL
                 SELECT 'units', i.product_id, o.fulfil_on, SUM(i.quantity) FROM order_items i JOIN orders o ON o.id = i.order_id
                 WHERE o.status <> 'cancelled' GROUP BY i.product_id, o.fulfil_on)
             SELECT COUNT(*) FROM (
                 SELECT kind, ref_id, day, used FROM truth
                 EXCEPT SELECT kind, ref_id, day, used FROM capacity_used WHERE used > 0
                 UNION ALL
                 SELECT kind, ref_id, day, used FROM capacity_used WHERE used > 0
                 EXCEPT SELECT kind, ref_id, day, used FROM truth)",
        )
        .fetch_one(pool)
        .await
        .unwrap();
        assert_eq!(drift, 0, "capacity counters drifted from the orders");
    }

    #[sqlx::test(migrations = "./migrations")]
    async fn counters_follow_every_kind_of_write(pool: SqlitePool) {
        let cfg = crate::server::config::Config::from_env().unwrap();
        crate::server::demo::load(&pool, &cfg, false).await.unwrap();
        counters_match(&pool).await;
        let ids: Vec<i64> = sqlx::query_scalar("SELECT id FROM orders ORDER BY id")
            .fetch_all(&pool)
            .await
            .unwrap();
        // Cancel some, reopen one, move a day, change a district, edit and delete items.
        for id in ids.iter().step_by(7) {
            sqlx::query("UPDATE orders SET status = 'cancelled' WHERE id = ?")
                .bind(id)
                .execute(&pool)
                .await
                .unwrap();
        }
        counters_match(&pool).await;
        sqlx::query("UPDATE orders SET status = 'received' WHERE id = ?")
            .bind(ids[0])
            .execute(&pool)
            .await
            .unwrap();
        sqlx::query("UPDATE orders SET fulfil_on = date(fulfil_on, '+1 day') WHERE id IN (?, ?)")
            .bind(ids[1])
            .bind(ids[2])
            .execute(&pool)
            .await
            .unwrap();
        sqlx::query("UPDATE orders SET district_id = 1 WHERE id = ? AND district_id IS NOT NULL")
            .bind(ids[3])
            .execute(&pool)
            .await
            .unwrap();
        sqlx::query("UPDATE order_items SET quantity = quantity + 2 WHERE order_id = ?")
            .bind(ids[4])
            .execute(&pool)
            .await
            .unwrap();
        sqlx::query("DELETE FROM order_items WHERE id = (SELECT MIN(id) FROM order_items WHERE order_id = ?)")
            .bind(ids[5])
            .execute(&pool)
            .await
            .unwrap();
        sqlx::query("UPDATE orders SET fulfilment = 'pickup', district_id = NULL WHERE id = ?")
            .bind(ids[6])
            .execute(&pool)
            .await
            .unwrap();
        counters_match(&pool).await;
    }
}
