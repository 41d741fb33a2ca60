//! Server functions of the district editor: list, save (draw or redraw), delete, GeoJSON import
//! and export. Every change re-locates upcoming orders in the same transaction.
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use super::District;
use crate::error::AppError;

/// A district with how many orders use it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DistrictRow {
    pub district: District,
    /// Undelivered delivery orders from today on.
    pub upcoming: i64,
    /// Every order ever placed in it (a district with orders on record can't be deleted).
    pub on_record: i64,
}

/// What the district editor shows.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DistrictsData {
    pub districts: Vec<DistrictRow>,
    /// Upcoming delivery orders without a district (outside every boundary, or no pin).
    pub needs_location: i64,
    pub tile_url: String,
    pub tile_attribution: String,
}

/// What a save or an import changed.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DistrictChange {
    /// The saved district's id (0 for an import).
    pub id: i64,
    /// "Saved Chamberí" or "Imported 2 districts (1 new)".
    pub summary: String,
    /// Upcoming orders whose district changed with the new boundaries.
    pub moved: usize,
}

/// Every district with its order counts. Owner.
#[server(endpoint = "get_districts")]
pub async fn get_districts() -> Result<DistrictsData, AppError> {
    use crate::auth::Role;
    use crate::server::ctx::Ctx;
    Ctx::serve(&[Role::Owner], move |cx, _me| async move {
            let pool = &cx.state.pool;
            let today = cx.state.config.today().to_string();
            let districts = super::repo::list(pool).await?;
            let counts = sqlx::query!(
                r#"SELECT district_id AS "district_id!: i64", COUNT(*) AS "all!: i64",
                          SUM(fulfil_on >= ? AND status NOT IN ('delivered', 'cancelled')) AS "upcoming!: i64"
                   FROM orders WHERE district_id IS NOT NULL GROUP BY district_id"#,
                today
            )
            .fetch_all(pool)
            .await?;
            let needs_location = sqlx::query_scalar!(
                r#"SELECT COUNT(*) AS "n!: i64" FROM orders
                   WHERE fulfilment = 'delivery' AND status NOT IN ('delivered', 'cancelled')
                     AND district_id IS NULL AND fulfil_on >= ?"#,
                today
            )
            .fetch_one(pool)
            .await?;
            let districts = districts
                .into_iter()
                .map(|district| {
                    let c = counts.iter().find(|c| c.district_id == district.id);
                    DistrictRow {
                        upcoming: c.map_or(0, |c| c.upcoming),
                        on_record: c.map_or(0, |c| c.all),
                        district,
                    }
                })
                .collect();
            Ok(DistrictsData {
                districts,
                needs_location,
                tile_url: cx.state.config.tile_url.clone(),
                tile_attribution: cx.state.config.tile_attribution.clone(),
            })
    })
    .await
}

/// Creates (`id` absent) or updates a district. Refuses a boundary that overlaps another
/// district or crosses itself, and a name already taken; then gives upcoming orders the district
/// they now fall in. Owner.
#[server(endpoint = "save_district")]
#[allow(clippy::too_many_arguments)]
pub async fn save_district(
    id: Option<i64>,
    name: String,
    colour: String,
    served_weekdays: u8,
    delivery_fee: String,
    min_order: String,
    capacity_per_day: String,
    /// The outline as JSON `[[lat, lng], ...]`.
    ring: String,
    /// Delivery windows as typed, one text per weekday (Monday first), e.g.
    /// "09:00–11:00, 11:00–13:00"; empty: the customer names any window.
    #[server(default)]
    windows: Vec<String>,
) -> Result<DistrictChange, AppError> {
    use crate::auth::Role;
    use crate::server::ctx::Ctx;
    Ctx::serve(&[Role::Owner], move |cx, me| async move {
        let mut d = super::check::validate(
            id.unwrap_or(0),
            &name,
            &colour,
            served_weekdays,
            &delivery_fee,
            &min_order,
            &capacity_per_day,
            &ring,
            &windows,
        )?;
        let mut tx = crate::server::db::begin_write(&cx.state.pool).await?;
        let all = super::repo::list(&mut *tx).await?;
        let all_before = all.clone();
        super::check::fits_among(&mut d, id, all)?;
        // Orders already on an unserved day before this change are not blamed on it.
        let today = cx.state.config.today().to_string();
        let stranded_before = super::repo::stranded(&mut tx, &today).await?;
        let saved = super::repo::save_in(&mut tx, id, &d).await?;
        let moved = super::relocate::relocate(&mut tx, &today, Some(me.id)).await?;
        // Orders booked on a day this change stops serving: the owner moves them first
        // (nothing is saved until then); orders already stranded before are not blamed on it.
        let stranded: Vec<_> = super::repo::stranded(&mut tx, &today)
            .await?
            .into_iter()
            .filter(|o| !stranded_before.iter().any(|b| b.number == o.number))
            .collect();
        if !stranded.is_empty() {
            return Err(super::check::refuse_stranded(&stranded, &d.name));
        }
        let before = all_before.iter().find(|o| Some(o.id) == id).map(audit_json);
        let mut after = audit_json(&d);
        after["orders_moved"] = moved.len().into();
        crate::audit::record(
            &mut *tx,
            &crate::audit::Who::user(me.id, &me.name),
            "district.save",
            &d.name,
            crate::audit::change(&before, &Some(after)),
        )
        .await?;
        tx.commit().await?;
        announce(&cx, &moved, &me.name);
        Ok(DistrictChange {
            id: saved,
            summary: crate::said::said_with("districts-saved", &[("name", &d.name)]),
            moved: moved.len(),
        })
    })
    .await
}

/// A district's settings for the audit log (the outline as its number of corners).
#[cfg(feature = "ssr")]
fn audit_json(d: &District) -> serde_json::Value {
    serde_json::json!({
        "name": d.name,
        "days": super::model::weekday_summary(d.served_weekdays),
        "delivery_fee_cents": d.delivery_fee_cents,
        "min_order_cents": d.min_order_cents,
        "capacity_per_day": d.capacity_per_day,
        "windows": d.windows.iter().zip(super::model::WEEKDAYS)
            .filter(|(w, _)| !w.is_empty())
            .map(|(w, day)| format!("{day} {}", super::model::slots_text(w)))
            .collect::<Vec<_>>(),
        "corners": d.ring.len(),
    })
}

/// Tells open boards and maps about orders whose district changed.
#[cfg(feature = "ssr")]
fn announce(cx: &crate::server::ctx::Ctx, moved: &[(i64, i64, String, i64)], by: &str) {
    use crate::orders::model::{first_name, OrderChange, OrderStatus};
    for (order_id, number, status, version) in moved {
        if let Ok(status) = OrderStatus::parse(status) {
            let _ = cx.state.events.send(OrderChange {
                order_id: *order_id,
                number: *number,
                from: status,
                status,
                version: *version,
                by: first_name(by),
            });
        }
    }
}

/// Deletes a district that no order has ever used (history keeps its name otherwise); one in
/// use can stop being served instead. Owner.
#[server(endpoint = "delete_district")]
pub async fn delete_district(id: i64) -> Result<String, AppError> {
    use crate::auth::Role;
    use crate::server::ctx::Ctx;
    Ctx::serve(&[Role::Owner], move |cx, me| async move {
        let mut tx = crate::server::db::begin_write(&cx.state.pool).await?;
        let name = super::repo::delete_in(&mut tx, id).await?;
        crate::audit::record(
            &mut *tx,
            &crate::audit::Who::user(me.id, &me.name),
            "district.delete",
            &name,
            serde_json::json!({}),
        )
        .await?;
        tx.commit().await?;
        Ok(name)
    })
    .await
}

/// Imports a GeoJSON FeatureCollection (same name updates, new names are added); bad features
/// are named and nothing changes. Owner.
#[server(endpoint = "import_districts")]
pub async fn import_districts(geojson: String) -> Result<DistrictChange, AppError> {
    use crate::auth::Role;
    use crate::server::ctx::Ctx;
    Ctx::serve(&[Role::Owner], move |cx, me| async move {
        if geojson.len() > 5_000_000 {
            return Err(AppError::invalid(
                "geojson",
                crate::said::said("refuse-geojson-size"),
            ));
        }
        let today = cx.state.config.today().to_string();
        let (done, moved) =
            super::geojson::import(&cx.state.pool, &geojson, &today, Some(me.id)).await?;
        announce(&cx, &moved, &me.name);
        let n = done.updated + done.added;
        cx.audit(&me, "district.import", "Districts", serde_json::json!({"added": done.added, "updated": done.updated, "orders_moved": done.moved}))
            .await?;
        Ok(DistrictChange {
            id: 0,
            summary: crate::said::said_count(
                "districts-imported",
                n as i64,
                &[("added", &done.added), ("updated", &done.updated)],
            ),
            moved: done.moved,
        })
    })
    .await
}

/// Every district as a GeoJSON FeatureCollection (text). Owner.
#[server(endpoint = "export_districts")]
pub async fn export_districts() -> Result<String, AppError> {
    use crate::auth::Role;
    use crate::server::ctx::Ctx;
    Ctx::serve(&[Role::Owner], move |cx, me| async move {
        let doc = super::geojson::export(&cx.state.pool).await?;
        let n = doc["features"].as_array().map_or(0, Vec::len);
        cx.audit(
            &me,
            "export.districts",
            "Districts",
            serde_json::json!({"districts": n}),
        )
        .await?;
        serde_json::to_string_pretty(&doc).map_err(|e| AppError::internal("export districts", e))
    })
    .await
}
