//! The storefront's calendar. The rules live in the order core: the owner's booking rules in
//! `orders::core::calendar`, capacity in `orders::core::capacity`; the tests below keep the
//! capacity counters honest under every kind of write.
#[cfg(test)]
mod tests {
    use sqlx::SqlitePool;

    /// The counters equal a recount from the orders themselves.
    async fn counters_match(pool: &SqlitePool) {
        let drift = crate::orders::core::capacity::drift(pool).await.unwrap();
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
