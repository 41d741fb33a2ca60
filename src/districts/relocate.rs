//! After boundaries change, every undelivered order and every customer is given the district
//! its pin is now in — each order through the order core (`orders::core::relocate_in`), so the
//! districts' own store never writes an order.
use crate::error::AppError;

/// After boundaries change: gives every undelivered delivery order from `today` on (and every
/// customer) the district its pin is now in, or none when it is outside them all ("needs a
/// location"). Records the change in each moved order's history. Returns the moved orders as
/// (order id, number, status, new version).
pub async fn relocate(
    tx: &mut sqlx::SqliteConnection,
    today: &str,
    actor: Option<i64>,
) -> Result<Vec<(i64, i64, String, i64)>, AppError> {
    use super::locate::locate;
    let districts = super::repo::list(&mut *tx).await?;
    let rows = sqlx::query!(
        r#"SELECT o.id AS "id!", o.number, o.status, o.version, o.district_id, o.lat AS "lat!: f64", o.lng AS "lng!: f64"
           FROM orders o
           WHERE o.fulfilment = 'delivery' AND o.status NOT IN ('delivered', 'cancelled')
             AND o.lat IS NOT NULL AND o.lng IS NOT NULL AND o.fulfil_on >= ?"#,
        today
    )
    .fetch_all(&mut *tx)
    .await?;
    let mut moved = Vec::new();
    let who = crate::orders::core::Actor::hearth(actor);
    for r in rows {
        let now_in = locate(&districts, r.lat, r.lng);
        if now_in.map(|d| d.id) == r.district_id {
            continue;
        }
        let district = now_in.map(|d| (d.id, d.name.clone()));
        let applied = crate::orders::core::relocate_in(&mut *tx, &who, r.id, district).await?;
        moved.push((r.id, r.number, r.status, applied.change.version));
    }
    let customers = sqlx::query!(
        r#"SELECT id AS "id!", district_id, lat AS "lat!: f64", lng AS "lng!: f64"
           FROM customers WHERE lat IS NOT NULL AND lng IS NOT NULL"#
    )
    .fetch_all(&mut *tx)
    .await?;
    for c in customers {
        let to = locate(&districts, c.lat, c.lng).map(|d| d.id);
        if to != c.district_id {
            sqlx::query!(
                "UPDATE customers SET district_id = ? WHERE id = ?",
                to,
                c.id
            )
            .execute(&mut *tx)
            .await?;
        }
    }
    Ok(moved)
}
