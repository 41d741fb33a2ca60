//! The facts segments are evaluated on, loaded in a few grouped queries (not one per customer).
use sqlx::SqliteConnection;

use super::segments::{self, Extras, Facts, Filter, Population};
use crate::error::AppError;

/// Every customer (erased ones left out) with their orders, spend, last order and consent.
pub async fn facts(conn: &mut SqliteConnection) -> Result<Vec<Facts>, AppError> {
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
    Ok(rows
        .into_iter()
        .map(|r| Facts {
            id: r.id,
            district_id: r.district_id,
            orders: r.orders,
            spend_cents: r.spend,
            last_order: r.last.and_then(|d| d.parse().ok()),
            email_ok: r.email_ok,
            sms_ok: r.sms_ok,
            whatsapp_ok: r.whatsapp_ok,
        })
        .collect())
}

/// What `filter` asks beyond the facts: its product's buyers, its tag's customers, the points
/// customers hold on `today`.
pub async fn extras(
    conn: &mut SqliteConnection,
    filter: &Filter,
    today: chrono::NaiveDate,
) -> Result<Extras, AppError> {
    let mut out = Extras::default();
    if filter.min_points.is_some() {
        out.points = crate::loyalty::store::held_by_all(&mut *conn, today).await?;
    }
    if let Some(product) = filter.product_id {
        out.buyers = sqlx::query_scalar!(
            r#"SELECT DISTINCT o.customer_id AS "id!: i64" FROM order_items i JOIN orders o ON o.id = i.order_id
               WHERE i.product_id = ? AND o.status <> 'cancelled'"#,
            product
        )
        .fetch_all(&mut *conn)
        .await?
        .into_iter()
        .collect();
    }
    if let Some(tag) = &filter.tag {
        out.tagged =
            sqlx::query_scalar!("SELECT customer_id FROM customer_tags WHERE tag = ?", tag)
                .fetch_all(&mut *conn)
                .await?
                .into_iter()
                .collect();
    }
    Ok(out)
}

/// The customers in the segment `filter` describes (for one segment; several are picked from
/// one [`Population`]).
pub async fn members(
    conn: &mut SqliteConnection,
    filter: &Filter,
    today: chrono::NaiveDate,
) -> Result<Vec<Facts>, AppError> {
    let all = Population::new(facts(&mut *conn).await?);
    let extras = extras(conn, filter, today).await?;
    Ok(all.members(filter, &extras).cloned().collect())
}

/// A saved segment's filter.
pub async fn saved(conn: &mut SqliteConnection, id: i64) -> Result<(String, Filter), AppError> {
    let r = sqlx::query!("SELECT name, rules FROM segments WHERE id = ?", id)
        .fetch_optional(&mut *conn)
        .await?
        .ok_or_else(|| AppError::NotFound(crate::said::said("refuse-what-that-segment")))?;
    let rules: segments::Rules =
        serde_json::from_str(&r.rules).map_err(|e| AppError::internal("segments.rules", e))?;
    let filter = rules.filter().map_err(|(f, m)| AppError::invalid(&f, m))?;
    Ok((r.name, filter))
}

/// A customer's contact details as exports write them.
pub struct Contact {
    pub name: String,
    pub phone: String,
    pub email: Option<String>,
    pub unsubscribe_token: Option<String>,
}

/// The contact details of every customer (one query, for exports of many).
pub async fn contacts(
    conn: &mut SqliteConnection,
) -> Result<std::collections::HashMap<i64, Contact>, AppError> {
    Ok(sqlx::query!(
        r#"SELECT id AS "id!", name, phone, email, unsubscribe_token FROM customers WHERE erased_at IS NULL"#
    )
    .fetch_all(conn)
    .await?
    .into_iter()
    .map(|r| {
        (
            r.id,
            Contact {
                name: r.name,
                phone: r.phone,
                email: r.email,
                unsubscribe_token: r.unsubscribe_token,
            },
        )
    })
    .collect())
}
