//! The facts segments are evaluated on, loaded in a few grouped queries (not one per customer).
use std::collections::HashMap;

use sqlx::SqliteConnection;

use super::segments::{self, Facts, Filter};
use crate::error::AppError;

/// Every customer (erased ones left out) with their orders, spend and last order; products
/// bought and tags only when `filter` asks for them.
pub async fn facts(
    conn: &mut SqliteConnection,
    filter: Option<&Filter>,
) -> Result<Vec<Facts>, AppError> {
    let rows = sqlx::query!(
        r#"SELECT c.id AS "id!", c.district_id, c.email_ok AS "email_ok!: bool", c.sms_ok AS "sms_ok!: bool",
                  c.whatsapp_ok AS "whatsapp_ok!: bool",
                  COUNT(o.id) AS "orders!: i64", COALESCE(SUM(o.total_cents), 0) AS "spend!: i64",
                  MAX(o.fulfil_on) AS "last?: String"
           FROM customers c
           LEFT JOIN orders o ON o.customer_id = c.id AND o.status <> 'cancelled'
           WHERE c.erased_at IS NULL
           GROUP BY c.id ORDER BY c.id"#
    )
    .fetch_all(&mut *conn)
    .await?;
    let mut out: Vec<Facts> = rows
        .into_iter()
        .map(|r| Facts {
            id: r.id,
            district_id: r.district_id,
            orders: r.orders,
            spend_cents: r.spend,
            last_order: r.last.and_then(|d| d.parse().ok()),
            products: vec![],
            tags: vec![],
            email_ok: r.email_ok,
            sms_ok: r.sms_ok,
            whatsapp_ok: r.whatsapp_ok,
        })
        .collect();
    let index: HashMap<i64, usize> = out.iter().enumerate().map(|(i, f)| (f.id, i)).collect();
    if let Some(product) = filter.and_then(|f| f.product_id) {
        let buyers = sqlx::query_scalar!(
            r#"SELECT DISTINCT o.customer_id AS "id!: i64" FROM order_items i JOIN orders o ON o.id = i.order_id
               WHERE i.product_id = ? AND o.status <> 'cancelled'"#,
            product
        )
        .fetch_all(&mut *conn)
        .await?;
        for b in buyers {
            if let Some(&i) = index.get(&b) {
                out[i].products.push(product);
            }
        }
    }
    if let Some(tag) = filter.and_then(|f| f.tag.as_ref()) {
        let tagged =
            sqlx::query_scalar!("SELECT customer_id FROM customer_tags WHERE tag = ?", tag)
                .fetch_all(&mut *conn)
                .await?;
        for c in tagged {
            if let Some(&i) = index.get(&c) {
                out[i].tags.push(tag.clone());
            }
        }
    }
    Ok(out)
}

/// The ids of the customers in the segment `filter` describes.
pub async fn members(conn: &mut SqliteConnection, filter: &Filter) -> Result<Vec<Facts>, AppError> {
    let all = facts(conn, Some(filter)).await?;
    let scores = segments::rfm(&all);
    Ok(all
        .into_iter()
        .filter(|c| segments::matches(filter, c, scores.get(&c.id).copied()))
        .collect())
}

/// A saved segment's filter.
pub async fn saved(conn: &mut SqliteConnection, id: i64) -> Result<(String, Filter), AppError> {
    let r = sqlx::query!("SELECT name, rules FROM segments WHERE id = ?", id)
        .fetch_optional(&mut *conn)
        .await?
        .ok_or_else(|| AppError::NotFound("That segment".into()))?;
    let rules: segments::Rules =
        serde_json::from_str(&r.rules).map_err(|e| AppError::internal("segments.rules", e))?;
    let filter = rules.filter().map_err(|(f, m)| AppError::invalid(&f, m))?;
    Ok((r.name, filter))
}
