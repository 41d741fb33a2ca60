//! Delivery settings: the kitchen every run starts from, how travel is estimated, and what
//! delivering costs (own van and driver against a delivery platform's fee).
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::AppError;
use crate::ui::{ErrorNotice, Loading};
use crate::words::tr;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DeliverySettings {
    pub kitchen_address: String,
    pub kitchen_lat: Option<f64>,
    pub kitchen_lng: Option<f64>,
    pub detour_factor: f64,
    pub avg_speed_kmh: f64,
    pub service_minutes: i64,
    pub shift_start: String,
    pub shift_end: String,
    pub van_capacity: i64,
    pub cost_per_km_cents: i64,
    pub driver_cost_per_hour_cents: i64,
    pub third_party_base_cents: i64,
    pub third_party_per_km_cents: i64,
    /// Road distances come from an OSRM server (HEARTH_OSRM_URL).
    pub osrm: bool,
    /// Map tiles (URL template, attribution) and the districts, for the kitchen's pin.
    pub tiles: (String, String),
    pub districts: Vec<crate::districts::District>,
}

/// "3.90" or "3,90" → 390; the error names `field` (see `field::parse_cents`).
pub fn parse_money(raw: &str, field: &str) -> Result<i64, AppError> {
    crate::field::parse_cents(raw, field, field)
}

/// A whole number within `range`; otherwise the error "{field}: {what}." names `field` (`what`
/// as the reader reads it).
pub fn parse_whole(
    raw: &str,
    field: &str,
    range: std::ops::RangeInclusive<i64>,
    what: &str,
) -> Result<i64, AppError> {
    raw.trim()
        .parse::<i64>()
        .ok()
        .filter(|n| range.contains(n))
        .ok_or_else(|| AppError::invalid(field, format!("{field}: {what}.")))
}

#[cfg(feature = "ssr")]
fn number(raw: &str, field: &str, lo: f64, hi: f64, what: &str) -> Result<f64, AppError> {
    raw.trim()
        .replace(',', ".")
        .parse::<f64>()
        .ok()
        .filter(|v| v.is_finite() && (lo..=hi).contains(v))
        .ok_or_else(|| AppError::invalid(field, format!("{field}: {what}.")))
}

#[server(endpoint = "get_delivery_settings")]
pub async fn get_delivery_settings() -> Result<DeliverySettings, AppError> {
    use crate::auth::Role;
    use crate::server::ctx::Ctx;
    Ctx::serve(&[Role::Owner], move |cx, _me| async move {
            let r = sqlx::query!(
                r#"SELECT kitchen_address, kitchen_lat, kitchen_lng, detour_factor, avg_speed_kmh,
                          service_minutes, shift_start, shift_end, van_capacity, cost_per_km_cents,
                          driver_cost_per_hour_cents, third_party_base_cents, third_party_per_km_cents
                   FROM business_settings WHERE id = 1"#
            )
            .fetch_one(&cx.state.pool)
            .await?;
            Ok(DeliverySettings {
                kitchen_address: r.kitchen_address,
                kitchen_lat: r.kitchen_lat,
                kitchen_lng: r.kitchen_lng,
                detour_factor: r.detour_factor,
                avg_speed_kmh: r.avg_speed_kmh,
                service_minutes: r.service_minutes,
                shift_start: r.shift_start,
                shift_end: r.shift_end,
                van_capacity: r.van_capacity,
                cost_per_km_cents: r.cost_per_km_cents,
                driver_cost_per_hour_cents: r.driver_cost_per_hour_cents,
                third_party_base_cents: r.third_party_base_cents,
                third_party_per_km_cents: r.third_party_per_km_cents,
                osrm: cx.state.config.osrm_url.is_some(),
                tiles: (
                    cx.state.config.tile_url.clone(),
                    cx.state.config.tile_attribution.clone(),
                ),
                districts: crate::districts::repo::list(&cx.state.pool).await?,
            })
    })
    .await
}

/// Saves every delivery setting at once; any bad field is named and nothing changes.
/// The delivery settings as JSON, for the audit log's before/after.
#[cfg(feature = "ssr")]
async fn snapshot(conn: &mut sqlx::SqliteConnection) -> Result<serde_json::Value, AppError> {
    let text = sqlx::query_scalar!(
        r#"SELECT json_object('kitchen_address', kitchen_address, 'kitchen_lat', kitchen_lat, 'kitchen_lng', kitchen_lng,
                  'detour_factor', detour_factor, 'avg_speed_kmh', avg_speed_kmh, 'service_minutes', service_minutes,
                  'shift_start', shift_start, 'shift_end', shift_end, 'van_capacity', van_capacity,
                  'cost_per_km_cents', cost_per_km_cents, 'driver_cost_per_hour_cents', driver_cost_per_hour_cents,
                  'third_party_base_cents', third_party_base_cents, 'third_party_per_km_cents', third_party_per_km_cents)
           AS "j!: String" FROM business_settings WHERE id = 1"#
    )
    .fetch_one(conn)
    .await?;
    Ok(serde_json::from_str(&text).unwrap_or_default())
}

#[server(endpoint = "save_delivery_settings")]
#[allow(clippy::too_many_arguments)]
pub async fn save_delivery_settings(
    kitchen_address: String,
    kitchen_lat: String,
    kitchen_lng: String,
    detour_factor: String,
    avg_speed_kmh: String,
    service_minutes: String,
    shift_start: String,
    shift_end: String,
    van_capacity: String,
    cost_per_km: String,
    driver_cost_per_hour: String,
    third_party_base: String,
    third_party_per_km: String,
) -> Result<(), AppError> {
    use crate::auth::Role;
    use crate::runs::model::parse_clock;
    use crate::server::ctx::Ctx;
    Ctx::serve(&[Role::Owner], move |cx, me| async move {
            let address = kitchen_address.trim().to_string();
            if address.chars().count() > 200 {
                return Err(AppError::invalid("kitchen_address", crate::said::said("refuse-kitchen-address")));
            }
            let lat = number(&kitchen_lat, "kitchen_lat", -90.0, 90.0, &crate::said::said("refuse-hint-lat"))?;
            let lng = number(&kitchen_lng, "kitchen_lng", -180.0, 180.0, &crate::said::said("refuse-hint-lng"))?;
            let detour = number(&detour_factor, "detour_factor", 1.0, 3.0, &crate::said::said("refuse-hint-detour"))?;
            let speed = number(&avg_speed_kmh, "avg_speed_kmh", 3.0, 120.0, &crate::said::said("refuse-hint-speed"))?;
            let service = number(&service_minutes, "service_minutes", 0.0, 60.0, &crate::said::said("refuse-hint-service"))?.round() as i64;
            let (a, b) = (parse_clock(&shift_start, "shift_start")?, parse_clock(&shift_end, "shift_end")?);
            if b <= a {
                return Err(AppError::invalid("shift_end", crate::said::said("refuse-shift-end")));
            }
            let capacity = number(&van_capacity, "van_capacity", 1.0, 100_000.0, &crate::said::said("refuse-hint-capacity"))?.round() as i64;
            let per_km = parse_money(&cost_per_km, "cost_per_km")?;
            let per_hour = parse_money(&driver_cost_per_hour, "driver_cost_per_hour")?;
            let base = parse_money(&third_party_base, "third_party_base")?;
            let tp_km = parse_money(&third_party_per_km, "third_party_per_km")?;
            let (start, end) = (shift_start.trim().to_string(), shift_end.trim().to_string());
            let mut tx = crate::server::db::begin_write(&cx.state.pool).await?;
            let before = snapshot(&mut tx).await?;
            sqlx::query!(
                "UPDATE business_settings SET kitchen_address = ?, kitchen_lat = ?, kitchen_lng = ?, detour_factor = ?,
                        avg_speed_kmh = ?, service_minutes = ?, shift_start = ?, shift_end = ?, van_capacity = ?,
                        cost_per_km_cents = ?, driver_cost_per_hour_cents = ?, third_party_base_cents = ?,
                        third_party_per_km_cents = ?, updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
                 WHERE id = 1",
                address, lat, lng, detour, speed, service, start, end, capacity, per_km, per_hour, base, tp_km
            )
            .execute(&mut *tx)
            .await?;
            let after = snapshot(&mut tx).await?;
            let who = crate::audit::Who::user(me.id, &me.name);
            crate::audit::record(&mut *tx, &who, "settings.delivery", "Delivery and costs", crate::audit::change(&before, &after))
                .await?;
            tx.commit().await?;
            Ok(())
    })
    .await
}

/// The delivery settings form.
#[component]
pub fn DeliverySection() -> impl IntoView {
    let save = ServerAction::<SaveDeliverySettings>::new();
    let data = Resource::new(move || save.version().get(), |_| get_delivery_settings());
    view! {
        <section class="card" id="delivery">
            <h2>{tr("delivery-title")}</h2>
            <p class="muted small">{tr("delivery-hint")}</p>
            <Transition fallback=|| view! { <Loading label=tr("delivery-loading")/> }>
                {move || Suspend::new(async move {
                    match data.await {
                        Ok(s) => view! { <DeliveryForm s save/> }.into_any(),
                        Err(error) => view! { <ErrorNotice error/> }.into_any(),
                    }
                })}
            </Transition>
            {move || save.value().get().map(|r| match r {
                Ok(()) => view! { <p class="form-ok" role="status">{tr("delivery-saved")}</p> }.into_any(),
                Err(e) => view! { <p class="form-error" role="alert">{e.to_string()}</p> }.into_any(),
            })}
        </section>
    }
}

#[component]
fn DeliveryForm(s: DeliverySettings, save: ServerAction<SaveDeliverySettings>) -> impl IntoView {
    let euros = |c: i64| format!("{:.2}", c as f64 / 100.0);
    let kitchen = RwSignal::new(s.kitchen_lat.zip(s.kitchen_lng));
    let travel = if s.osrm {
        tr("delivery-osrm")
    } else {
        tr("delivery-straight")
    };
    view! {
        <ActionForm action=save attr:class="form form-grid">
            <label class="field field-wide"><span>{tr("delivery-kitchen-address")}</span><input name="kitchen_address" value=s.kitchen_address.clone()/></label>
            <div class="field-wide kitchen-pin-field" role="group" aria-label=tr("delivery-kitchen-pin")>
                <crate::orders::drawer::DoorPin pin=kitchen tiles=s.tiles.clone() districts=s.districts.clone()
                    names=("kitchen_lat", "kitchen_lng") label="pin-map-kitchen"/>
            </div>
            <label class="field"><span>{tr("delivery-detour")}</span><input name="detour_factor" inputmode="decimal" value=s.detour_factor.to_string()/></label>
            <label class="field"><span>{tr("delivery-speed")}</span><input name="avg_speed_kmh" inputmode="decimal" value=s.avg_speed_kmh.to_string()/></label>
            <label class="field"><span>{tr("delivery-service")}</span><input name="service_minutes" inputmode="numeric" value=s.service_minutes.to_string()/></label>
            <label class="field"><span>{tr("delivery-shift-start")}</span><input name="shift_start" type="time" value=s.shift_start.clone()/></label>
            <label class="field"><span>{tr("delivery-shift-end")}</span><input name="shift_end" type="time" value=s.shift_end.clone()/></label>
            <label class="field"><span>{tr("delivery-van-capacity")}</span><input name="van_capacity" inputmode="numeric" value=s.van_capacity.to_string()/></label>
            <label class="field"><span>{tr("delivery-cost-km")}</span><input name="cost_per_km" inputmode="decimal" value=euros(s.cost_per_km_cents)/></label>
            <label class="field"><span>{tr("delivery-cost-hour")}</span><input name="driver_cost_per_hour" inputmode="decimal" value=euros(s.driver_cost_per_hour_cents)/></label>
            <label class="field"><span>{tr("delivery-platform-base")}</span><input name="third_party_base" inputmode="decimal" value=euros(s.third_party_base_cents)/></label>
            <label class="field"><span>{tr("delivery-platform-km")}</span><input name="third_party_per_km" inputmode="decimal" value=euros(s.third_party_per_km_cents)/></label>
            <p class="muted small field-wide">{travel}</p>
            <div class="form-actions">
                <button type="submit" class="btn btn-primary" disabled=move || save.pending().get()>{tr("delivery-save")}</button>
            </div>
        </ActionForm>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn money_is_read_in_cents_and_bad_amounts_are_named() {
        assert_eq!(parse_money("3.90", "fee").unwrap(), 390);
        assert_eq!(parse_money("0,3", "fee").unwrap(), 30);
        assert_eq!(parse_money(" 12 ", "fee").unwrap(), 1200);
        assert_eq!(parse_money("-1", "fee").unwrap_err().field(), Some("fee"));
        assert!(parse_money("1.234", "fee").is_err());
        assert!(parse_money("abc", "fee").is_err());
    }
}
