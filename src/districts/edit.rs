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

/// Checks a district's fields; every message names its field.
#[cfg(feature = "ssr")]
#[allow(clippy::too_many_arguments)]
pub fn validate(
    id: i64,
    name: &str,
    colour: &str,
    served_weekdays: u8,
    delivery_fee: &str,
    min_order: &str,
    capacity_per_day: &str,
    ring: &str,
    windows: &[String],
) -> Result<District, AppError> {
    use crate::settings::delivery::{parse_money, parse_whole};
    use geo::Validation;
    let name = name.trim();
    if name.is_empty() || name.chars().count() > 60 {
        return Err(AppError::invalid(
            "name",
            crate::said::said("refuse-district-name"),
        ));
    }
    let colour = colour.trim().to_lowercase();
    let hex = colour.strip_prefix('#').unwrap_or("");
    if hex.len() != 6 || !hex.chars().all(|c| c.is_ascii_hexdigit()) {
        return Err(AppError::invalid(
            "colour",
            crate::said::said("refuse-district-colour"),
        ));
    }
    if served_weekdays > 127 {
        return Err(AppError::invalid(
            "served_weekdays",
            crate::said::said("refuse-district-weekdays"),
        ));
    }
    let fee = parse_money(delivery_fee, "delivery_fee")?;
    let min = parse_money(min_order, "min_order")?;
    let capacity = parse_whole(
        capacity_per_day,
        "capacity_per_day",
        0..=1000,
        &crate::said::said("refuse-hint-stops"),
    )?;
    // Windows count on served days only; a day that is not served offers none.
    let mut slots: super::model::Windows = Default::default();
    for (i, day) in slots.iter_mut().enumerate() {
        let raw = windows.get(i).map_or("", String::as_str);
        if served_weekdays & (1 << i) != 0 {
            let short = super::model::WEEKDAYS[i];
            *day = super::model::parse_slots(
                raw,
                &format!("windows_{}", short.to_lowercase()),
                &crate::said::weekdays(1 << i),
            )?;
        }
    }
    let ring: Vec<[f64; 2]> = serde_json::from_str(ring)
        .map_err(|_| AppError::invalid("boundary", crate::said::said("refuse-boundary-draw")))?;
    if ring.len() < 3 {
        return Err(AppError::invalid(
            "boundary",
            crate::said::said("refuse-boundary-three"),
        ));
    }
    if ring.len() > 500 {
        return Err(AppError::invalid(
            "boundary",
            crate::said::said("refuse-boundary-many"),
        ));
    }
    if ring
        .iter()
        .any(|[lat, lng]| !(-90.0..=90.0).contains(lat) || !(-180.0..=180.0).contains(lng))
    {
        return Err(AppError::invalid(
            "boundary",
            crate::said::said("refuse-boundary-earth"),
        ));
    }
    let district = District {
        id,
        name: name.to_string(),
        colour,
        ring,
        holes: vec![],
        served_weekdays,
        delivery_fee_cents: fee,
        min_order_cents: min,
        capacity_per_day: capacity,
        windows: slots,
    };
    let poly = super::locate::polygon(&district);
    if poly.check_validation().is_err() || geo::Area::unsigned_area(&poly) < 1e-8 {
        return Err(AppError::invalid(
            "boundary",
            crate::said::said("refuse-boundary-crosses"),
        ));
    }
    Ok(district)
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
        let mut d = validate(
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
        if id.is_some_and(|id| !all.iter().any(|o| o.id == id)) {
            return Err(AppError::NotFound(crate::said::said(
                "refuse-what-that-district",
            )));
        }
        // The map edits the outline; holes (imported as GeoJSON) stay as they are.
        if let Some(old) = all.iter().find(|o| Some(o.id) == id) {
            d.holes = old.holes.clone();
            if !d.holes.is_empty()
                && geo::Validation::check_validation(&super::locate::polygon(&d)).is_err()
            {
                return Err(AppError::invalid(
                    "boundary",
                    crate::said::said("refuse-boundary-holes"),
                ));
            }
        }
        let others: Vec<District> = all.into_iter().filter(|o| Some(o.id) != id).collect();
        if let Some(o) = others
            .iter()
            .find(|o| o.name.to_lowercase() == d.name.to_lowercase())
        {
            return Err(AppError::invalid(
                "name",
                crate::said::said_with("refuse-district-taken", &[("name", &o.name)]),
            ));
        }
        let shape = super::locate::polygon(&d);
        if let Some(o) = others
            .iter()
            .find(|o| super::geojson::overlaps(&shape, &super::locate::polygon(o)))
        {
            return Err(AppError::invalid(
                "boundary",
                crate::said::said_with("refuse-boundary-overlaps", &[("name", &o.name)]),
            ));
        }
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
            let list = stranded
                .iter()
                .take(12)
                .map(|o| format!("#{} ({} {})", o.number, o.weekday, o.day))
                .collect::<Vec<_>>()
                .join(", ");
            let more = stranded.len().saturating_sub(12);
            return Err(AppError::invalid("served_weekdays", {
                let list = if more > 0 {
                    crate::said::said_with("refuse-and-more", &[("list", &list), ("more", &more)])
                } else {
                    list
                };
                crate::said::said_count(
                    "refuse-stranded",
                    stranded.len() as i64,
                    &[("district", &d.name), ("list", &list)],
                )
            }));
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
            summary: format!("Saved {}", d.name),
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
            summary: format!(
                "Imported {n} district{} ({} new, {} updated)",
                if n == 1 { "" } else { "s" },
                done.added,
                done.updated
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
