//! The one writer of `product_waste`: baked goods thrown away on a bake day (unsold, expired,
//! burnt, damaged, other), and its reads for the production sheet.
use std::collections::HashMap;

use chrono::NaiveDate;
use sqlx::SqliteConnection;

use super::{WasteRow, WASTE_REASONS};
use crate::error::AppError;

/// What was thrown away, as typed.
pub struct Waste<'a> {
    pub day: NaiveDate,
    pub product_id: i64,
    pub units: &'a str,
    pub reason: &'a str,
    pub note: &'a str,
    pub user_id: Option<i64>,
}

/// Records waste; returns the product's name and the units. Refused, naming the field, for a
/// day still to come, an unknown product, units that aren't 1 to 100,000, an unknown reason or
/// a note over 200 characters.
pub async fn record(
    conn: &mut SqliteConnection,
    today: NaiveDate,
    w: &Waste<'_>,
) -> Result<(String, i64), AppError> {
    if w.day > today {
        return Err(AppError::invalid(
            "day",
            crate::said::said("refuse-waste-day"),
        ));
    }
    let units: i64 = w
        .units
        .trim()
        .parse()
        .ok()
        .filter(|u| (1..=100_000).contains(u))
        .ok_or_else(|| AppError::invalid("units", crate::said::said("refuse-waste-units")))?;
    if !WASTE_REASONS.contains(&w.reason) {
        return Err(AppError::invalid(
            "reason",
            crate::said::said("refuse-waste-reason"),
        ));
    }
    let note = w.note.trim();
    if note.chars().count() > 200 {
        return Err(AppError::invalid(
            "note",
            crate::said::said("refuse-note-long"),
        ));
    }
    let name = sqlx::query_scalar!("SELECT name FROM products WHERE id = ?", w.product_id)
        .fetch_optional(&mut *conn)
        .await?
        .ok_or_else(|| AppError::invalid("product_id", crate::said::said("refuse-no-product")))?;
    let day = w.day.to_string();
    sqlx::query!(
        "INSERT INTO product_waste (bake_day, product_id, units, reason, note, user_id) VALUES (?, ?, ?, ?, ?, ?)",
        day,
        w.product_id,
        units,
        w.reason,
        note,
        w.user_id
    )
    .execute(conn)
    .await?;
    Ok((name, units))
}

/// Units thrown away per product on `day`.
pub async fn per_product(
    conn: &mut SqliteConnection,
    day: &str,
) -> Result<HashMap<i64, i64>, AppError> {
    Ok(sqlx::query!(
        r#"SELECT product_id, SUM(units) AS "units!: i64" FROM product_waste WHERE bake_day = ? GROUP BY product_id"#,
        day
    )
    .fetch_all(conn)
    .await?
    .into_iter()
    .map(|r| (r.product_id, r.units))
    .collect())
}

/// Every entry of `day`, oldest first.
pub async fn entries(conn: &mut SqliteConnection, day: &str) -> Result<Vec<WasteRow>, AppError> {
    Ok(sqlx::query_as!(
        WasteRow,
        r#"SELECT p.name AS product, w.units, w.reason, w.note, COALESCE(u.name, '') AS "by!: String"
           FROM product_waste w JOIN products p ON p.id = w.product_id LEFT JOIN users u ON u.id = w.user_id
           WHERE w.bake_day = ? ORDER BY w.id"#,
        day
    )
    .fetch_all(conn)
    .await?)
}

/// Removes every entry (the demo's reset, before products go).
pub async fn clear(conn: &mut SqliteConnection) -> Result<(), AppError> {
    sqlx::query!("DELETE FROM product_waste")
        .execute(conn)
        .await?;
    Ok(())
}
