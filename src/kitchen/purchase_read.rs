//! What is on order: purchase orders for the stock page, and what arrives before a bake day
//! for the production plan. Reads only; `kitchen::purchase` writes.
use std::collections::HashMap;

use sqlx::SqliteConnection;

use super::model::Unit;
use super::{PurchaseLine, PurchaseRow};
use crate::error::AppError;

struct Head {
    id: i64,
    supplier: String,
    arrives_on: String,
    status: String,
    note: String,
    by_name: String,
}

/// Open purchase orders (soonest first), then the latest `closed` received or cancelled ones.
pub async fn list(
    conn: &mut SqliteConnection,
    currency: &str,
    closed: i64,
) -> Result<Vec<PurchaseRow>, AppError> {
    let mut heads = sqlx::query_as!(
        Head,
        r#"SELECT o.id AS "id!", s.name AS supplier, o.arrives_on, o.status, o.note, COALESCE(u.name, '') AS "by_name!: String"
           FROM purchase_orders o JOIN suppliers s ON s.id = o.supplier_id LEFT JOIN users u ON u.id = o.created_by
           WHERE o.status = 'open' ORDER BY o.arrives_on, o.id"#
    )
    .fetch_all(&mut *conn)
    .await?;
    heads.extend(
        sqlx::query_as!(
            Head,
            r#"SELECT o.id AS "id!", s.name AS supplier, o.arrives_on, o.status, o.note, COALESCE(u.name, '') AS "by_name!: String"
               FROM purchase_orders o JOIN suppliers s ON s.id = o.supplier_id LEFT JOIN users u ON u.id = o.created_by
               WHERE o.status <> 'open' ORDER BY o.id DESC LIMIT ?"#,
            closed
        )
        .fetch_all(&mut *conn)
        .await?,
    );
    let mut lines: HashMap<i64, Vec<(PurchaseLine, f64)>> = HashMap::new();
    for r in sqlx::query!(
        r#"SELECT l.purchase_order_id, l.ingredient_id, i.name, i.unit, i.cost_cents, l.quantity, l.received
           FROM purchase_order_lines l JOIN ingredients i ON i.id = l.ingredient_id ORDER BY i.name"#
    )
    .fetch_all(&mut *conn)
    .await?
    {
        let unit = Unit::parse(&r.unit).unwrap_or(Unit::G);
        // What it cost: what came, once received; what was ordered before.
        let cost = unit.cost(r.received.unwrap_or(r.quantity), r.cost_cents);
        let shown = unit.show(r.quantity);
        let line = PurchaseLine {
            ingredient_id: r.ingredient_id,
            name: r.name,
            unit,
            ordered: shown.split(' ').next().unwrap_or_default().to_string(),
            ordered_shown: shown,
            received: r.received.map(|q| unit.show(q)),
        };
        lines
            .entry(r.purchase_order_id)
            .or_default()
            .push((line, cost));
    }
    Ok(heads
        .into_iter()
        .map(|h| {
            let own = lines.remove(&h.id).unwrap_or_default();
            let cost: f64 = own.iter().map(|(_, c)| c).sum();
            PurchaseRow {
                id: h.id,
                supplier: h.supplier,
                arrives_on: h.arrives_on,
                status: h.status,
                note: h.note,
                by: h.by_name,
                lines: own.into_iter().map(|(l, _)| l).collect(),
                cost: crate::money::format_cents(cost.round() as i64, currency),
            }
        })
        .collect())
}

/// Base units per ingredient on open orders arriving before `day` (a late one counts).
pub async fn arriving_before(
    conn: &mut SqliteConnection,
    day: &str,
) -> Result<HashMap<i64, i64>, AppError> {
    Ok(sqlx::query!(
        r#"SELECT l.ingredient_id, SUM(l.quantity) AS "quantity!: i64"
           FROM purchase_order_lines l JOIN purchase_orders o ON o.id = l.purchase_order_id
           WHERE o.status = 'open' AND o.arrives_on < ? GROUP BY l.ingredient_id"#,
        day
    )
    .fetch_all(conn)
    .await?
    .into_iter()
    .map(|r| (r.ingredient_id, r.quantity))
    .collect())
}

/// Everything on open purchase orders, per ingredient (base units), whenever it arrives.
pub async fn on_order(conn: &mut SqliteConnection) -> Result<HashMap<i64, i64>, AppError> {
    Ok(sqlx::query!(
        r#"SELECT l.ingredient_id, SUM(l.quantity) AS "quantity!: i64"
           FROM purchase_order_lines l JOIN purchase_orders o ON o.id = l.purchase_order_id
           WHERE o.status = 'open' GROUP BY l.ingredient_id"#
    )
    .fetch_all(conn)
    .await?
    .into_iter()
    .map(|r| (r.ingredient_id, r.quantity))
    .collect())
}

/// Fails naming `supplier_id` when no supplier has that id.
pub async fn supplier_exists(conn: &mut SqliteConnection, id: i64) -> Result<(), AppError> {
    sqlx::query_scalar!("SELECT id FROM suppliers WHERE id = ?", id)
        .fetch_optional(conn)
        .await?
        .map(|_| ())
        .ok_or_else(|| AppError::invalid("supplier_id", crate::said::said("refuse-no-supplier")))
}

/// Whether booking checks the pantry.
pub async fn check_pantry(conn: &mut SqliteConnection) -> Result<bool, AppError> {
    Ok(
        sqlx::query_scalar!("SELECT check_pantry FROM kitchen_rules WHERE id = 1")
            .fetch_optional(conn)
            .await?
            .unwrap_or(0)
            == 1,
    )
}
