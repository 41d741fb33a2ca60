//! Queries on districts.
use super::model::{polygon_to_geojson, rings_from_geojson, District, Slot, Windows};
use crate::error::AppError;

/// All districts by name.
pub async fn list<'e>(ex: impl sqlx::SqliteExecutor<'e>) -> Result<Vec<District>, AppError> {
    fetch(ex, None).await
}

/// One district, or None.
pub async fn get<'e>(
    ex: impl sqlx::SqliteExecutor<'e>,
    id: i64,
) -> Result<Option<District>, AppError> {
    Ok(fetch(ex, Some(id)).await?.pop())
}

/// Districts by name, all or the one with `id` (only its boundary is parsed).
async fn fetch<'e>(
    ex: impl sqlx::SqliteExecutor<'e>,
    id: Option<i64>,
) -> Result<Vec<District>, AppError> {
    let rows = sqlx::query!(
        r#"SELECT id AS "id!", name, colour, boundary, served_weekdays, delivery_fee_cents, min_order_cents,
                capacity_per_day, delivery_windows
         FROM districts WHERE ?1 IS NULL OR id = ?1 ORDER BY name"#,
        id
    )
    .fetch_all(ex)
    .await?;
    rows.into_iter()
        .map(|r| {
            let (ring, holes) = rings_from_geojson(&r.boundary)
                .map_err(|e| AppError::internal("districts.boundary", e))?;
            Ok(District {
                id: r.id,
                ring,
                holes,
                name: r.name,
                colour: r.colour,
                served_weekdays: r.served_weekdays as u8,
                delivery_fee_cents: r.delivery_fee_cents,
                min_order_cents: r.min_order_cents,
                capacity_per_day: r.capacity_per_day,
                windows: windows_from_json(&r.delivery_windows)
                    .map_err(|e| AppError::internal("districts.delivery_windows", e))?,
            })
        })
        .collect()
}

/// The stored form of a district's windows: seven arrays of `[from, to]` pairs, Monday first.
pub fn windows_json(w: &Windows) -> String {
    let days: Vec<Vec<[&str; 2]>> = w
        .iter()
        .map(|d| d.iter().map(|s| [s.from.as_str(), s.to.as_str()]).collect())
        .collect();
    serde_json::to_string(&days).unwrap_or_else(|_| "[]".into())
}

/// Reads `windows_json`'s text back ('[]' or missing days: no windows).
pub fn windows_from_json(text: &str) -> Result<Windows, serde_json::Error> {
    let days: Vec<Vec<[String; 2]>> = serde_json::from_str(text)?;
    let mut w: Windows = Default::default();
    for (slot, day) in w.iter_mut().zip(days) {
        *slot = day
            .into_iter()
            .map(|[from, to]| Slot { from, to })
            .collect();
    }
    Ok(w)
}

/// The one writer of `districts` rows: creates (`id` None) or updates a checked district.
/// Re-locating orders after a change is the caller's next step (`relocate`).
pub async fn save_in(
    tx: &mut sqlx::SqliteConnection,
    id: Option<i64>,
    d: &District,
) -> Result<i64, AppError> {
    let boundary = polygon_to_geojson(&d.ring, &d.holes);
    let mask = d.served_weekdays as i64;
    let windows = windows_json(&d.windows);
    let now = crate::server::db::now();
    Ok(match id {
        Some(id) => {
            sqlx::query!(
                "UPDATE districts SET name = ?, colour = ?, boundary = ?, served_weekdays = ?, delivery_fee_cents = ?,
                        min_order_cents = ?, capacity_per_day = ?, delivery_windows = ?, updated_at = ? WHERE id = ?",
                d.name, d.colour, boundary, mask, d.delivery_fee_cents, d.min_order_cents, d.capacity_per_day,
                windows, now, id
            )
            .execute(&mut *tx)
            .await?;
            id
        }
        None => sqlx::query_scalar!(
            r#"INSERT INTO districts (name, colour, boundary, served_weekdays, delivery_fee_cents, min_order_cents,
                                    capacity_per_day, delivery_windows, created_at, updated_at)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
               RETURNING id AS "id!: i64""#,
            d.name, d.colour, boundary, mask, d.delivery_fee_cents, d.min_order_cents, d.capacity_per_day,
            windows, now, now
        )
        .fetch_one(&mut *tx)
        .await?,
    })
}

/// Empties the table (the demo's reset, once orders and customers are gone).
pub async fn clear_in(tx: &mut sqlx::SqliteConnection) -> Result<(), AppError> {
    sqlx::query!("DELETE FROM districts")
        .execute(&mut *tx)
        .await?;
    Ok(())
}

/// Deletes a district no order was ever placed in (its customers lose it, its stop counters
/// go); returns its name. Refused (409) while any order has it.
pub async fn delete_in(tx: &mut sqlx::SqliteConnection, id: i64) -> Result<String, AppError> {
    let name = sqlx::query_scalar!("SELECT name FROM districts WHERE id = ?", id)
        .fetch_optional(&mut *tx)
        .await?
        .ok_or_else(|| AppError::NotFound(crate::said::said("refuse-what-that-district")))?;
    let used = sqlx::query_scalar!(
        r#"SELECT COUNT(*) AS "n!: i64" FROM orders WHERE district_id = ?"#,
        id
    )
    .fetch_one(&mut *tx)
    .await?;
    if used > 0 {
        return Err(AppError::Conflict(crate::said::said_count(
            "refuse-district-in-use",
            used,
            &[("name", &name)],
        )));
    }
    sqlx::query!(
        "UPDATE customers SET district_id = NULL WHERE district_id = ?",
        id
    )
    .execute(&mut *tx)
    .await?;
    sqlx::query!(
        "DELETE FROM capacity_used WHERE kind = 'stops' AND ref_id = ?",
        id
    )
    .execute(&mut *tx)
    .await?;
    sqlx::query!("DELETE FROM districts WHERE id = ?", id)
        .execute(&mut *tx)
        .await?;
    Ok(name)
}

/// An upcoming delivery booked on a weekday its district does not serve.
#[derive(Debug, Clone, PartialEq)]
pub struct Stranded {
    pub number: i64,
    pub day: String,
    pub weekday: String,
}

/// Undelivered deliveries from `today` on whose district does not serve their day.
pub async fn stranded(
    tx: &mut sqlx::SqliteConnection,
    today: &str,
) -> Result<Vec<Stranded>, AppError> {
    use chrono::Datelike;
    let rows = sqlx::query!(
        r#"SELECT o.number, o.fulfil_on, d.served_weekdays
           FROM orders o JOIN districts d ON d.id = o.district_id
           WHERE o.fulfilment = 'delivery' AND o.status NOT IN ('delivered', 'cancelled')
             AND o.fulfil_on >= ?
           ORDER BY o.fulfil_on, o.number"#,
        today
    )
    .fetch_all(&mut *tx)
    .await?;
    Ok(rows
        .into_iter()
        .filter_map(|r| {
            let day = chrono::NaiveDate::parse_from_str(&r.fulfil_on, "%Y-%m-%d").ok()?;
            (!super::model::serves(r.served_weekdays as u8, day.weekday())).then(|| Stranded {
                number: r.number,
                weekday: day.format("%a").to_string(),
                day: day.format("%-d %b").to_string(),
            })
        })
        .collect())
}

/// Every district as (id, name) for a chooser, by name.
pub async fn names(conn: &mut sqlx::SqliteConnection) -> Result<Vec<(i64, String)>, AppError> {
    Ok(
        sqlx::query!(r#"SELECT id AS "id!", name FROM districts ORDER BY name"#)
            .fetch_all(conn)
            .await?
            .into_iter()
            .map(|r| (r.id, r.name))
            .collect(),
    )
}
