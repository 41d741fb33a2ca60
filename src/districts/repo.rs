//! Queries on districts.
use sqlx::SqlitePool;

use super::model::{ring_from_geojson, District};
use crate::error::AppError;

/// All districts by name.
pub async fn list(pool: &SqlitePool) -> Result<Vec<District>, AppError> {
    let rows = sqlx::query!(
        r#"SELECT id AS "id!", name, colour, boundary, served_weekdays, delivery_fee_cents, min_order_cents,
                capacity_per_day
         FROM districts ORDER BY name"#
    )
    .fetch_all(pool)
    .await?;
    rows.into_iter()
        .map(|r| {
            Ok(District {
                id: r.id,
                ring: ring_from_geojson(&r.boundary)
                    .map_err(|e| AppError::internal("districts.boundary", e))?,
                name: r.name,
                colour: r.colour,
                served_weekdays: r.served_weekdays as u8,
                delivery_fee_cents: r.delivery_fee_cents,
                min_order_cents: r.min_order_cents,
                capacity_per_day: r.capacity_per_day,
            })
        })
        .collect()
}
