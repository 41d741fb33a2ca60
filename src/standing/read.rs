//! Reading standing orders for the customer page and the API.
use sqlx::SqlitePool;

use super::model::{patterns_from_text, Place, StandingView, VisitView};
use crate::error::AppError;

/// Standing orders of one customer, or one standing order (ended ones last).
pub async fn list(
    pool: &SqlitePool,
    customer_id: Option<i64>,
    id: Option<i64>,
    today: chrono::NaiveDate,
) -> Result<Vec<StandingView>, AppError> {
    let rows = sqlx::query!(
        r#"SELECT s.id AS "id!", s.customer_id, c.name, s.fulfilment, s.address, s.lat, s.lng, s.window_from, s.window_to,
                  s.visits_per_week, s.patterns, s.starts_on, s.ends_on, s.status, s.paused_until, s.version
           FROM standing_orders s JOIN customers c ON c.id = s.customer_id
           WHERE (? IS NULL OR s.customer_id = ?) AND (? IS NULL OR s.id = ?)
           ORDER BY s.status = 'ended', s.id"#,
        customer_id,
        customer_id,
        id,
        id
    )
    .fetch_all(pool)
    .await?;
    let from = today.to_string();
    let mut out = Vec::with_capacity(rows.len());
    for r in rows {
        let items = sqlx::query!(
            "SELECT p.name, p.sku, i.quantity, p.price_cents FROM standing_order_items i JOIN products p ON p.id = i.product_id
             WHERE i.standing_order_id = ? ORDER BY i.position",
            r.id
        )
        .fetch_all(pool)
        .await?;
        let (skips, visits) = visits_of(pool, r.id, &from).await?;
        // A pickup's slot is its time.
        let delivery = r.fulfilment == "delivery";
        out.push(StandingView {
            id: r.id,
            customer_id: r.customer_id,
            customer: r.name,
            fulfilment: r.fulfilment,
            address: r.address,
            pin: r.lat.zip(r.lng),
            window_times: r.window_from.clone().zip(r.window_to.clone()),
            window: r.window_from.map(|f| match r.window_to {
                Some(t) if delivery => format!("{f}–{t}"),
                _ => f,
            }),
            subtotal_cents: items.iter().map(|i| i.quantity * i.price_cents).sum(),
            skus: items.iter().map(|i| i.sku.clone()).collect(),
            items: items.into_iter().map(|i| (i.name, i.quantity)).collect(),
            per_week: r.visits_per_week,
            patterns: patterns_from_text(&r.patterns),
            starts_on: r.starts_on,
            ends_on: r.ends_on,
            status: r.status,
            paused_until: r.paused_until,
            skips,
            visits,
            version: r.version,
        });
    }
    Ok(out)
}

/// Standing order `id`'s dates skipped after `from`, and its visits then (the orders made,
/// the refusals, and the skipped dates), by day.
async fn visits_of(
    pool: &SqlitePool,
    id: i64,
    from: &str,
) -> Result<(Vec<String>, Vec<VisitView>), AppError> {
    let skips = sqlx::query_scalar!(
        "SELECT day FROM standing_order_skips WHERE standing_order_id = ? AND day > ? ORDER BY day",
        id,
        from
    )
    .fetch_all(pool)
    .await?;
    let rows = sqlx::query!(
        r#"SELECT v.day, v.refusal, o.id AS "order_id?", o.number AS "number?", o.fulfil_on AS "fulfil_on?",
                  o.status AS "status?"
           FROM standing_order_visits v LEFT JOIN orders o ON o.id = v.order_id
           WHERE v.standing_order_id = ? AND v.day > ? ORDER BY v.day"#,
        id,
        from
    )
    .fetch_all(pool)
    .await?;
    let mut visits: Vec<VisitView> = rows
        .into_iter()
        .map(|v| VisitView {
            day: v.day,
            order: match (v.order_id, v.number, v.fulfil_on, v.status) {
                (Some(id), Some(n), Some(d), Some(s)) => Some((id, n, d, s)),
                _ => None,
            },
            refusal: v.refusal,
            skipped: false,
        })
        .collect();
    visits.extend(skips.iter().map(|d| VisitView {
        day: d.clone(),
        order: None,
        refusal: None,
        skipped: true,
    }));
    visits.sort_by(|a, b| a.day.cmp(&b.day));
    Ok((skips, visits))
}

/// One standing order.
pub async fn one(
    pool: &SqlitePool,
    id: i64,
    today: chrono::NaiveDate,
) -> Result<StandingView, AppError> {
    list(pool, None, Some(id), today)
        .await?
        .pop()
        .ok_or_else(|| crate::standing::model::unknown(id))
}

/// The addresses (with a pin) customer `id` has on file or had orders delivered to, the
/// latest first, each once.
pub async fn places(pool: &SqlitePool, id: i64) -> Result<Vec<Place>, AppError> {
    let rows = sqlx::query!(
        r#"SELECT address AS "address!", lat AS "lat!", lng AS "lng!", district_id, MAX(at) AS "at!: String" FROM (
               SELECT address, lat, lng, district_id, '9999' AS at FROM customers
               WHERE id = ?1 AND address IS NOT NULL AND lat IS NOT NULL AND lng IS NOT NULL
               UNION ALL
               SELECT address, lat, lng, district_id, created_at FROM orders
               WHERE customer_id = ?1 AND address IS NOT NULL AND lat IS NOT NULL AND lng IS NOT NULL)
           GROUP BY address, lat, lng ORDER BY MAX(at) DESC LIMIT 8"#,
        id
    )
    .fetch_all(pool)
    .await?;
    let districts = crate::districts::repo::list(pool).await?;
    Ok(rows
        .into_iter()
        .map(|r| Place {
            district: districts
                .iter()
                .find(|d| Some(d.id) == r.district_id)
                .map(|d| d.name.clone()),
            address: r.address,
            lat: r.lat,
            lng: r.lng,
        })
        .collect())
}

/// Standing order `id`'s items as an order's lines (sku, quantity, note), in their order.
pub async fn items_in(
    pool: &SqlitePool,
    id: i64,
) -> Result<Vec<crate::storefront::model::ItemIn>, AppError> {
    Ok(sqlx::query!(
        "SELECT p.sku, i.quantity, i.note FROM standing_order_items i JOIN products p ON p.id = i.product_id
         WHERE i.standing_order_id = ? ORDER BY i.position",
        id
    )
    .fetch_all(pool)
    .await?
    .into_iter()
    .map(|i| crate::storefront::model::ItemIn {
        sku: Some(i.sku),
        quantity: Some(i.quantity),
        note: i.note,
    })
    .collect())
}
