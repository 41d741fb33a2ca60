//! Marking batches baked, the one writer of `bake_batches`: the batches' ingredients leave
//! stock first-expired-first-out and the day's orders move on through the order core.
use std::collections::HashMap;

use chrono::NaiveDate;
use sqlx::SqliteConnection;

use super::super::recipes::recipes;
use crate::error::AppError;
use crate::server::config::Config;

/// Units marked baked per product on `day`.
pub(super) async fn baked(
    conn: &mut SqliteConnection,
    day: &str,
) -> Result<HashMap<i64, i64>, AppError> {
    Ok(sqlx::query!(
        r#"SELECT product_id, SUM(units) AS "units!: i64" FROM bake_batches WHERE bake_day = ? GROUP BY product_id"#,
        day
    )
    .fetch_all(conn)
    .await?
    .into_iter()
    .map(|r| (r.product_id, r.units))
    .collect())
}

/// An order's id, status and (product, quantity) lines.
type OrderLines = (i64, String, Vec<(i64, i64)>);

/// What marking batches baked did.
pub struct Baked {
    pub units: i64,
    pub changes: Vec<crate::orders::model::OrderChange>,
}

/// Marks `batches` of `product_id` baked for `day`, if `baked_before` units were marked before
/// (a second click or a retry is refused, not counted twice). The batches' ingredients leave
/// stock first-expired-first-out (refused, naming the ingredient, when short); the day's
/// orders with the product move to Baking, and to Ready once all their products are baked.
pub async fn mark_baked(
    conn: &mut SqliteConnection,
    config: &Config,
    who: (i64, &str),
    day: NaiveDate,
    product_id: i64,
    batches: i64,
    baked_before: i64,
) -> Result<Baked, AppError> {
    let d = day.format("%Y-%m-%d").to_string();
    if !(1..=1000).contains(&batches) {
        return Err(AppError::invalid(
            "batches",
            crate::said::said("refuse-batches"),
        ));
    }
    let recipes = recipes(conn).await?;
    let r = recipes
        .get(&product_id)
        .ok_or_else(|| AppError::invalid("product_id", crate::said::said("refuse-no-recipe")))?;
    let done = baked(conn, &d).await?;
    if done.get(&product_id).copied().unwrap_or(0) != baked_before {
        return Err(AppError::Conflict(crate::said::said(
            "refuse-batches-meanwhile",
        )));
    }
    let units = batches * r.batch_yield;
    let now = crate::server::db::now();
    let batch_id = record_batch(conn, &d, product_id, (batches, units), who.0, &now).await?;
    let by = crate::kitchen::stock::MoveBy {
        user_id: Some(who.0),
        reason: "baked",
        batch_id: Some(batch_id),
    };
    for (ing, q) in &r.lines {
        crate::kitchen::stock::take(conn, *ing, q * batches, "use", &by).await?;
    }
    let changes = advance_orders(conn, config, who, &d).await?;
    Ok(Baked { units, changes })
}

/// Moves the day's open orders on: Ready when every product in them is covered by what was
/// baked (orders served first come first), Baking when some of it is.
async fn advance_orders(
    conn: &mut SqliteConnection,
    config: &Config,
    who: (i64, &str),
    day: &str,
) -> Result<Vec<crate::orders::model::OrderChange>, AppError> {
    use crate::orders::model::OrderStatus;
    let mut left = baked(conn, day).await?;
    let rows = sqlx::query!(
        r#"SELECT o.id AS "id!", o.status, i.product_id, i.quantity FROM orders o JOIN order_items i ON i.order_id = o.id
           WHERE o.fulfil_on = ? AND o.status <> 'cancelled' ORDER BY o.created_at, o.id"#,
        day
    )
    .fetch_all(&mut *conn)
    .await?;
    let mut by_order: Vec<OrderLines> = Vec::new();
    for r in rows {
        match by_order.last_mut() {
            Some(last) if last.0 == r.id => last.2.push((r.product_id, r.quantity)),
            _ => by_order.push((r.id, r.status, vec![(r.product_id, r.quantity)])),
        }
    }
    let actor = crate::orders::core::Actor::user(who.0, who.1);
    let mut changes = Vec::new();
    for (id, status, lines) in by_order {
        // Baked goods go to the orders in the order they came in.
        let mut all = true;
        let mut some = false;
        for (p, q) in &lines {
            let have = left.entry(*p).or_default();
            let give = (*have).min(*q);
            *have -= give;
            all &= give == *q;
            some |= give > 0;
        }
        let to = match (all, some) {
            (true, _) => OrderStatus::Ready,
            (false, true) => OrderStatus::Baking,
            _ => continue,
        };
        let moves = match OrderStatus::parse(&status)? {
            OrderStatus::Received | OrderStatus::Confirmed => true,
            OrderStatus::Baking => to == OrderStatus::Ready,
            _ => false,
        };
        if moves {
            let applied = crate::orders::core::apply_in(
                conn,
                config,
                &actor,
                id,
                None,
                crate::orders::core::Command::Move(to),
            )
            .await?;
            changes.push(applied.change);
        }
    }
    Ok(changes)
}

/// Records `(batches, units)` of `product_id` baked for `day` by `user` at `at`.
pub async fn record_batch(
    conn: &mut SqliteConnection,
    day: &str,
    product_id: i64,
    (batches, units): (i64, i64),
    user: i64,
    at: &str,
) -> Result<i64, AppError> {
    Ok(sqlx::query_scalar!(
        r#"INSERT INTO bake_batches (bake_day, product_id, batches, units, user_id, baked_at) VALUES (?, ?, ?, ?, ?, ?)
           RETURNING id AS "id!""#,
        day,
        product_id,
        batches,
        units,
        user,
        at
    )
    .fetch_one(conn)
    .await?)
}

/// Removes every batch record (the demo's reset).
pub async fn clear_batches(conn: &mut SqliteConnection) -> Result<(), AppError> {
    sqlx::query!("DELETE FROM bake_batches")
        .execute(conn)
        .await?;
    Ok(())
}
