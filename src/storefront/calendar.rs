//! The storefront's calendar: pickup days and hours, and what is booked over the fortnight for
//! the catalog. The rules on capacity are the order core's (`orders::core::capacity`).
use chrono::Weekday;
use sqlx::SqliteConnection;

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
pub use crate::orders::core::capacity::HORIZON_DAYS;

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
